//! Concentration figures over one value per customer (profit, revenue or
//! gross margin). Values may be negative: loss-making customers stay in the
//! ranking, so cumulative shares can rise above 100% and fall back (the
//! whale curve). Shares are undefined when the total is not positive; they
//! are then `None` with a reason, never NaN.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::values::CustomerValue;

/// ABC class boundaries on cumulative share: A up to `a`, B up to `b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Thresholds {
    pub a: f64,
    pub b: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { a: 0.8, b: 0.95 }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct ClassStat {
    #[ts(type = "number")]
    pub count: u64,
    /// Share of the total; `None` when the total is not positive.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct Abc {
    pub a: ClassStat,
    pub b: ClassStat,
    pub c: ClassStat,
}

/// The class letter of each ranked customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum Class {
    A,
    B,
    C,
}

/// `vitalfew concentration --json`: these field names are an interface.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Concentration {
    /// Customers with a value (any sales in the period).
    #[ts(type = "number")]
    pub customers: u64,
    pub total: f64,
    /// Share of the total made by the ⌈0.2·n⌉ highest values; may exceed 1
    /// when other customers lose money.
    pub top20_share: Option<f64>,
    #[ts(type = "number")]
    pub top20_count: u64,
    /// Smallest k whose cumulative value reaches 80% of the total.
    #[ts(type = "number | null")]
    pub customers_for_80: Option<u64>,
    /// Customers with a value below zero, and their sum.
    #[ts(type = "number")]
    pub unprofitable: u64,
    pub unprofitable_total: f64,
    /// Highest cumulative share and the (1-based) rank where it is reached.
    pub whale_peak_share: Option<f64>,
    #[ts(type = "number | null")]
    pub whale_peak_at: Option<u64>,
    /// Gini coefficient of the non-negative values (losses left out).
    pub gini: Option<f64>,
    /// Herfindahl–Hirschman index of the non-negative values' shares (0–1).
    pub hhi: Option<f64>,
    /// The largest value's share of the total.
    pub largest_share: Option<f64>,
    pub abc: Abc,
    pub thresholds: Thresholds,
    /// Why shares are undefined, when they are (in English).
    pub na_reason: Option<String>,
    /// The same, as the window says it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub na_message: Option<crate::i18n::Msg>,
}

impl Concentration {
    /// Shares are undefined, for this reason.
    fn not_applicable(&mut self, why: crate::i18n::Msg) {
        self.na_reason = Some(why.to_string());
        self.na_message = Some(why);
    }
}

/// Values sorted for ranking: highest first, ties by customer id.
pub fn rank(values: &mut [CustomerValue]) {
    values.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.id.cmp(&b.id)));
}

/// Cumulative sums of ranked values (`out[k]` = sum of the first k+1).
pub fn cumulative(ranked: &[CustomerValue]) -> Vec<f64> {
    let mut sum = 0.0;
    ranked.iter().map(|v| {
        sum += v.value;
        sum
    })
    .collect()
}

/// The ABC class of each ranked customer: a customer is in A while the
/// cumulative share *before* it is below `a` (so the one that crosses 80% is
/// still A), in B while below `b`, else C. Losses always fall in C.
pub fn classes(ranked: &[CustomerValue], cum: &[f64], total: f64, t: Thresholds) -> Vec<Class> {
    ranked
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if total <= 0.0 || v.value < 0.0 {
                return Class::C;
            }
            let before = if i == 0 { 0.0 } else { cum[i - 1] / total };
            if before < t.a {
                Class::A
            } else if before < t.b {
                Class::B
            } else {
                Class::C
            }
        })
        .collect()
}

/// All figures for `values` (any order; ranked here).
pub fn concentration(values: &[CustomerValue], thresholds: Thresholds) -> Concentration {
    let mut ranked = values.to_vec();
    rank(&mut ranked);
    concentration_of_ranked(&ranked, thresholds)
}

/// As [`concentration`], for values already ranked.
pub fn concentration_of_ranked(ranked: &[CustomerValue], thresholds: Thresholds) -> Concentration {
    let n = ranked.len();
    let cum = cumulative(ranked);
    let total = cum.last().copied().unwrap_or(0.0);
    let losses: Vec<f64> = ranked.iter().map(|v| v.value).filter(|v| *v < 0.0).collect();
    let top20_count = (n as f64 * 0.2).ceil() as usize;
    let mut c = Concentration {
        customers: n as u64,
        total,
        top20_share: None,
        top20_count: top20_count as u64,
        customers_for_80: None,
        unprofitable: losses.len() as u64,
        unprofitable_total: losses.iter().sum::<f64>() + 0.0,
        whale_peak_share: None,
        whale_peak_at: None,
        gini: None,
        hhi: None,
        largest_share: None,
        abc: Abc::default(),
        thresholds,
        na_reason: None,
        na_message: None,
    };
    let classes = classes(ranked, &cum, total, thresholds);
    for (class, v) in classes.iter().zip(ranked) {
        let stat = match class {
            Class::A => &mut c.abc.a,
            Class::B => &mut c.abc.b,
            Class::C => &mut c.abc.c,
        };
        stat.count += 1;
        stat.share = Some(stat.share.unwrap_or(0.0) + v.value);
    }
    if n == 0 {
        c.not_applicable(crate::msg!("concentration.na.empty"));
        for s in [&mut c.abc.a, &mut c.abc.b, &mut c.abc.c] {
            s.share = None;
        }
        return c;
    }
    if total <= 0.0 {
        c.not_applicable(if total == 0.0 {
            crate::msg!("concentration.na.zero")
        } else {
            crate::msg!("concentration.na.negative", total = format!("{total:.2}"))
        });
        for s in [&mut c.abc.a, &mut c.abc.b, &mut c.abc.c] {
            s.share = None;
        }
    } else {
        for s in [&mut c.abc.a, &mut c.abc.b, &mut c.abc.c] {
            s.share = s.share.map(|v| v / total).or(Some(0.0));
        }
        c.top20_share = Some(cum[top20_count.max(1) - 1] / total);
        c.customers_for_80 = cum.iter().position(|s| *s >= 0.8 * total - total * 1e-12).map(|k| k as u64 + 1);
        let (peak_at, peak) = cum
            .iter()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (i, s)| if *s > best.1 { (i, *s) } else { best });
        c.whale_peak_share = Some(peak / total);
        c.whale_peak_at = Some(peak_at as u64 + 1);
        c.largest_share = Some(ranked[0].value / total);
    }
    let positive: Vec<f64> = ranked.iter().map(|v| v.value).filter(|v| *v >= 0.0).collect();
    c.gini = gini(&positive);
    let pos_total: f64 = positive.iter().sum();
    if pos_total > 0.0 {
        c.hhi = Some(positive.iter().map(|v| (v / pos_total).powi(2)).sum());
    }
    c
}

/// Gini coefficient of non-negative values; `None` when there are none or
/// they sum to zero. 0 = all equal, (n−1)/n = one holds everything.
pub fn gini(values: &[f64]) -> Option<f64> {
    let n = values.len();
    let total: f64 = values.iter().sum();
    if n == 0 || total <= 0.0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let weighted: f64 = sorted.iter().enumerate().map(|(i, v)| (i as f64 + 1.0) * v).sum();
    let n = n as f64;
    Some(((2.0 * weighted) / (n * total) - (n + 1.0) / n).clamp(0.0, 1.0))
}

/// Points of the Lorenz curve (share of customers, share of value), from
/// the smallest non-negative value up, starting at (0, 0).
pub fn lorenz(values: &[f64]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| *v >= 0.0).collect();
    sorted.sort_by(f64::total_cmp);
    let total: f64 = sorted.iter().sum();
    let n = sorted.len() as f64;
    let mut out = vec![(0.0, 0.0)];
    let mut sum = 0.0;
    for (i, v) in sorted.iter().enumerate() {
        sum += v;
        out.push(((i + 1) as f64 / n, if total > 0.0 { sum / total } else { 0.0 }));
    }
    out
}

#[cfg(test)]
mod tests;
