//! Health 0–100 of each key account, made of visible parts (DOMAIN.md §7):
//! recency against the account's own buying rhythm, revenue and margin
//! trend (last 12 months against the 12 before), satisfaction trend, touch
//! overdue, buying-map coverage, overdue actions. Never a black box: every
//! part says its score, weight and why.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::accounts::Account;
use crate::analysis::Dataset;
use crate::i18n;
use crate::model::{Customer, Lang};
use crate::notebook::{view as nbview, Attitude, Level, Notebook};

/// Without two purchase days, an account is expected to buy every 90 days.
const DEFAULT_RHYTHM_DAYS: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PartKey {
    Recency,
    RevenueTrend,
    MarginTrend,
    Satisfaction,
    Touch,
    Coverage,
    Actions,
}

impl PartKey {
    fn weight(self) -> u8 {
        match self {
            PartKey::Recency => 25,
            PartKey::RevenueTrend | PartKey::Satisfaction | PartKey::Touch => 15,
            PartKey::MarginTrend | PartKey::Coverage | PartKey::Actions => 10,
        }
    }
}

/// `vitalfew health --json` gives these field names (an interface).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HealthPart {
    pub key: PartKey,
    /// 0–100.
    pub score: u8,
    pub weight: u8,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Health {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    /// 0–100: the parts' scores, weighted.
    pub score: u8,
    pub parts: Vec<HealthPart>,
}

/// Sales of one customer, as health reads them.
#[derive(Debug, Default)]
struct Sales {
    days: Vec<NaiveDate>,
    revenue: [f64; 2],
    profit: [f64; 2],
    /// Whether the profit of each window is known (some line has it).
    profit_known: [bool; 2],
}

/// The health of every active key account in `accounts` on `today`; the
/// sales windows end at the latest sale.
pub fn health(data: &Dataset, accounts: &[Account], notebooks: &[Notebook], today: NaiveDate, lang: Lang) -> Vec<Health> {
    let active: Vec<&Account> = accounts.iter().filter(|a| a.active).collect();
    let mut sales: HashMap<u32, Sales> = active.iter().map(|a| (a.customer, Sales::default())).collect();
    let as_of = data.lines.iter().filter_map(|l| l.date).max();
    if let Some(as_of) = as_of {
        let year = Duration::days(365);
        for l in data.lines.iter() {
            let (Some(s), Some(d)) = (sales.get_mut(&l.customer), l.date) else { continue };
            s.days.push(d);
            let window = if d > as_of - year { Some(0) } else if d > as_of - year - year { Some(1) } else { None };
            if let Some(w) = window {
                s.revenue[w] += l.revenue.unwrap_or(0.0);
                if let Some(p) = l.profit {
                    s.profit[w] += p;
                    s.profit_known[w] = true;
                }
            }
        }
    }
    let customers: HashMap<u32, &Customer> = data.customers.iter().map(|c| (c.id, c)).collect();
    let books: HashMap<u32, &Notebook> = notebooks.iter().map(|n| (n.customer, n)).collect();
    let empty = Notebook::default();
    let t = |key: &str, params: &[(&str, String)]| i18n::format(lang, &format!("health.reason.{key}"), params);
    let mut out = Vec::new();
    for a in active {
        let Some(c) = customers.get(&a.customer) else { continue };
        let nb = books.get(&a.customer).copied().unwrap_or(&empty);
        let s = sales.get_mut(&a.customer).expect("every active account has sales");
        s.days.sort_unstable();
        s.days.dedup();
        let parts = vec![
            recency(s, as_of, &t),
            revenue_trend(s, &t),
            margin_trend(s, &t),
            satisfaction(nb, &t),
            touch(nb, a, today, &t),
            coverage(nb, &t),
            actions(a, today, &t),
        ];
        let total: f64 = parts.iter().map(|p| f64::from(p.weight) * f64::from(p.score)).sum();
        let weights: f64 = parts.iter().map(|p| f64::from(p.weight)).sum();
        out.push(Health { id: c.id, ext_id: c.ext_id.clone(), name: c.name.clone(), score: (total / weights).round() as u8, parts });
    }
    out
}

fn part(key: PartKey, score: f64, reason: String) -> HealthPart {
    HealthPart { key, score: (score.clamp(0.0, 1.0) * 100.0).round() as u8, weight: key.weight(), reason }
}

type Text<'a> = dyn Fn(&str, &[(&str, String)]) -> String + 'a;

/// Days since the last purchase against the account's own rhythm (the
/// median gap between its purchase days): full marks within one rhythm,
/// none at three.
fn recency(s: &Sales, as_of: Option<NaiveDate>, t: &Text<'_>) -> HealthPart {
    let (Some(last), Some(as_of)) = (s.days.last(), as_of) else { return part(PartKey::Recency, 0.0, t("no_purchase", &[])) };
    let mut gaps: Vec<i64> = s.days.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    gaps.sort_unstable();
    let rhythm = gaps.get(gaps.len() / 2).copied().unwrap_or(DEFAULT_RHYTHM_DAYS).max(1);
    let days = (as_of - *last).num_days();
    let score = 1.0 - (days - rhythm).max(0) as f64 / (2 * rhythm) as f64;
    part(PartKey::Recency, score, t("recency", &[("days", days.to_string()), ("rhythm", rhythm.to_string())]))
}

/// Revenue of the last 12 months against the 12 before: full marks when it
/// held, none at half of it.
fn revenue_trend(s: &Sales, t: &Text<'_>) -> HealthPart {
    let [now, before] = s.revenue;
    if before <= 0.0 {
        return if now > 0.0 { part(PartKey::RevenueTrend, 1.0, t("revenue_new", &[])) } else { part(PartKey::RevenueTrend, 0.0, t("revenue_none", &[])) };
    }
    let ratio = now / before;
    part(PartKey::RevenueTrend, (ratio - 0.5) / 0.5, t("revenue", &[("change", format!("{:+.0}", (ratio - 1.0) * 100.0))]))
}

/// Margin of the last 12 months against the 12 before: full marks when it
/// held, none at 10 points lower.
fn margin_trend(s: &Sales, t: &Text<'_>) -> HealthPart {
    let margin = |w: usize| (s.profit_known[w] && s.revenue[w] > 0.0).then(|| s.profit[w] / s.revenue[w]);
    match (margin(0), margin(1)) {
        (Some(now), Some(before)) => {
            let points = (now - before) * 100.0;
            part(PartKey::MarginTrend, 1.0 + points / 10.0, t("margin", &[("points", format!("{points:+.1}"))]))
        }
        _ => part(PartKey::MarginTrend, 0.5, t("margin_unknown", &[])),
    }
}

/// The latest overall satisfaction score, less when it fell since the survey
/// before.
fn satisfaction(nb: &Notebook, t: &Text<'_>) -> HealthPart {
    let mut surveys: Vec<_> = nb.surveys.iter().filter(|v| !v.removed).collect();
    surveys.sort_by_key(|v| (v.date, v.id));
    let Some(latest) = surveys.last() else { return part(PartKey::Satisfaction, 0.5, t("no_survey", &[])) };
    let base = f64::from(latest.overall.saturating_sub(1)) / 4.0;
    match surveys.len().checked_sub(2).map(|i| surveys[i].overall) {
        Some(prev) if prev > latest.overall => part(
            PartKey::Satisfaction,
            base - 0.2,
            t("satisfaction_fell", &[("from", prev.to_string()), ("to", latest.overall.to_string())]),
        ),
        _ => part(PartKey::Satisfaction, base, t("satisfaction", &[("overall", latest.overall.to_string())])),
    }
}

/// Days the next touch is overdue, against the cadence.
fn touch(nb: &Notebook, a: &Account, today: NaiveDate, t: &Text<'_>) -> HealthPart {
    let cadence = nb.cadence_days.unwrap_or_else(|| nbview::default_cadence(a.account_type));
    let overdue = (today - nbview::touch_due(nb, a, cadence)).num_days().max(0);
    let reason = if overdue > 0 { t("touch_overdue", &[("days", overdue.to_string())]) } else { t("touch_ok", &[("cadence", cadence.to_string())]) };
    part(PartKey::Touch, 1.0 - overdue as f64 / f64::from(cadence.max(1)), reason)
}

/// A decision-level supporter on record: full marks; a decision-level
/// contact who is not one: half.
fn coverage(nb: &Notebook, t: &Text<'_>) -> HealthPart {
    let deciders: Vec<_> = nb.live_contacts().filter(|c| c.left_on.is_none() && c.level == Some(Level::Decision)).collect();
    if deciders.iter().any(|c| c.attitude == Some(Attitude::Supporter)) {
        part(PartKey::Coverage, 1.0, t("coverage_supporter", &[]))
    } else if !deciders.is_empty() {
        part(PartKey::Coverage, 0.5, t("coverage_decider", &[]))
    } else {
        part(PartKey::Coverage, 0.0, t("coverage_none", &[]))
    }
}

/// Open actions past their due date: a third of the marks each.
fn actions(a: &Account, today: NaiveDate, t: &Text<'_>) -> HealthPart {
    let late = a.actions.iter().filter(|x| x.done.is_none() && x.due < today).count();
    part(PartKey::Actions, 1.0 - late as f64 / 3.0, t("actions", &[("n", late.to_string())]))
}

#[cfg(test)]
mod tests;
