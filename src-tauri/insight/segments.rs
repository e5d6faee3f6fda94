//! Every customer classified from the data (seed 001, DOMAIN.md §5): the
//! lifecycle (potential, new, active, churned) over windows the owner can
//! change, RFM scores 1–5 by quintile with named segments, frequency and
//! spend bands, and the profit class (ABC).

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::concentration::{classes, cumulative, rank, Class};
use crate::analysis::{CustomerValue, Dataset, Measure, Thresholds};
use crate::{Error, Result};

/// The windows of the lifecycle, in days before the *as of* date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Windows {
    /// Bought within this many days: active.
    pub active_days: u32,
    /// First bought within this many days: new.
    pub new_days: u32,
}

impl Default for Windows {
    fn default() -> Windows {
        Windows { active_days: 365, new_days: 90 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Lifecycle {
    /// Known, no purchase yet.
    Potential,
    /// First purchase within the new window.
    New,
    /// Bought within the active window.
    Active,
    /// Bought before, not within the active window.
    Churned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalists,
    New,
    AtRisk,
    CantLose,
    Hibernating,
    Lost,
}

impl Segment {
    pub const ALL: [Segment; 8] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalists,
        Segment::New,
        Segment::AtRisk,
        Segment::CantLose,
        Segment::Hibernating,
        Segment::Lost,
    ];

    /// The segment of R, F and M scores (1–5), by the first rule that holds.
    pub fn of(r: u8, f: u8, m: u8) -> Segment {
        match (r, f, m) {
            (4.., 4.., 4..) => Segment::Champions,
            (..=2, 4.., 4..) => Segment::CantLose,
            (3.., 4.., _) => Segment::Loyal,
            (..=2, 3.., _) => Segment::AtRisk,
            (4.., ..=1, _) => Segment::New,
            (3.., _, _) => Segment::PotentialLoyalists,
            (2, _, _) => Segment::Hibernating,
            _ => Segment::Lost,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    High,
    Mid,
    Low,
}

impl Band {
    fn of(score: u8) -> Band {
        match score {
            4.. => Band::High,
            2..=3 => Band::Mid,
            _ => Band::Low,
        }
    }
}

/// One customer's classes, for the Customers table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CustomerSegment {
    pub id: u32,
    pub lifecycle: Lifecycle,
    /// RFM scores and segment; `None` for a customer who never bought.
    pub rfm: Option<Rfm>,
    /// Class among all customers (ABC by profit; by revenue when no line
    /// has a profit: `Segments::measure`).
    pub class: Option<Class>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Rfm {
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
    pub frequency: Band,
    pub spend: Band,
    /// Days since the last purchase, purchase days, revenue.
    #[ts(type = "number")]
    pub recency_days: i64,
    pub purchase_days: u32,
    pub revenue: f64,
}

/// Counts per lifecycle stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct LifecycleCounts {
    pub potential: u32,
    pub new: u32,
    pub active: u32,
    pub churned: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct BandCounts {
    pub high: u32,
    pub mid: u32,
    pub low: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Bands {
    pub frequency: BandCounts,
    pub spend: BandCounts,
}

/// Count and profit share (revenue share when no line has a profit) of one
/// segment, for the summary chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SegmentStat {
    pub segment: Segment,
    pub count: u32,
    pub profit: f64,
    /// Of the total profit of customers who bought (`None` when that total
    /// is not positive).
    pub profit_share: Option<f64>,
}

/// Everything the segments give: per customer and in total.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Segments {
    #[ts(type = "string")]
    pub as_of: NaiveDate,
    /// What the classes and shares are of: profit, or revenue when no line
    /// has a profit.
    pub measure: Measure,
    pub windows: Windows,
    pub lifecycle: LifecycleCounts,
    pub bands: Bands,
    pub stats: Vec<SegmentStat>,
    pub customers: Vec<CustomerSegment>,
}

/// Per-customer purchase history up to the *as of* date.
#[derive(Debug, Clone, Default)]
struct History {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Distinct days with a purchase.
    days: u32,
    revenue: f64,
    /// Profit, when some line has it.
    profit: Option<f64>,
}

/// Classifies every customer of `data` as of `as_of` (default: the latest
/// sale). Refused when `as_of` is before every sale.
pub fn segments(data: &Dataset, as_of: Option<NaiveDate>, windows: Windows) -> Result<Segments> {
    let latest = data.lines.iter().filter_map(|l| l.date).max();
    let earliest = data.lines.iter().filter_map(|l| l.date).min();
    let as_of = match (as_of, latest) {
        (Some(d), _) => d,
        (None, Some(l)) => l,
        (None, None) => return Err(Error::Refused(crate::msg!("refused.segments_no_dates"))),
    };
    if let Some(first) = earliest.filter(|f| as_of < *f) {
        return Err(Error::Refused(crate::msg!("refused.segments_as_of", as_of = as_of, first = first)));
    }
    if windows.new_days == 0 || windows.active_days == 0 || windows.new_days > windows.active_days {
        return Err(Error::Refused(crate::msg!("refused.segments_windows", active = windows.active_days, new = windows.new_days)));
    }
    let slots = data.customers.iter().map(|c| c.id as usize + 1).max().unwrap_or(0);
    let mut hist: Vec<History> = vec![History::default(); slots];
    // (customer, day) of every purchase, to count distinct days: one sort of
    // one vector costs less than a vector per customer.
    let mut purchases: Vec<u64> = Vec::with_capacity(data.lines.len());
    for l in data.lines.iter() {
        let Some(d) = l.date.filter(|d| *d <= as_of) else { continue };
        let h = &mut hist[l.customer as usize];
        h.first = Some(h.first.map_or(d, |f| f.min(d)));
        h.last = Some(h.last.map_or(d, |x| x.max(d)));
        purchases.push(u64::from(l.customer) << 32 | u64::from(d.num_days_from_ce() as u32));
        h.revenue += l.revenue.unwrap_or(0.0);
        if let Some(p) = l.profit {
            h.profit = Some(h.profit.unwrap_or(0.0) + p);
        }
    }
    // A ledger without profit is classed by revenue.
    let measure = data.measure();
    if measure == Measure::Revenue {
        for h in hist.iter_mut().filter(|h| h.last.is_some()) {
            h.profit = Some(h.revenue);
        }
    }
    purchases.sort_unstable();
    purchases.dedup();
    for p in &purchases {
        hist[(p >> 32) as usize].days += 1;
    }
    drop(purchases);
    let mut buyers: Vec<(u32, i64, u32, f64)> = Vec::new();
    for c in data.customers.iter() {
        let h = &hist[c.id as usize];
        if let Some(last) = h.last {
            buyers.push((c.id, (as_of - last).num_days(), h.days, h.revenue));
        }
    }
    // Scores by quintile of rank, ties split by id so bins never collapse.
    let by_id = |order: Vec<u32>| {
        let n = order.len();
        let mut v = vec![0u8; slots];
        for (i, id) in order.into_iter().enumerate() {
            v[id as usize] = ((i as f64 + 0.5) * 5.0 / n as f64).floor() as u8 + 1;
        }
        v
    };
    let ranked = |mut keyed: Vec<(u32, f64)>| {
        keyed.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        keyed.into_iter().map(|(id, _)| id).collect::<Vec<u32>>()
    };
    // Recent is good: the oldest last purchase scores 1.
    let mut by_recency: Vec<(i64, u32)> = buyers.iter().map(|b| (-b.1, b.0)).collect();
    by_recency.sort_unstable();
    let r = by_id(by_recency.into_iter().map(|(_, id)| id).collect());
    let mut by_frequency: Vec<(u32, u32)> = buyers.iter().map(|b| (b.2, b.0)).collect();
    by_frequency.sort_unstable();
    let f = by_id(by_frequency.into_iter().map(|(_, id)| id).collect());
    let m = by_id(ranked(buyers.iter().map(|b| (b.0, b.3)).collect()));

    // Profit class among the customers with profit up to the as-of date.
    let mut profit: Vec<CustomerValue> =
        data.customers.iter().filter_map(|c| hist[c.id as usize].profit.map(|value| CustomerValue { id: c.id, name: String::new(), value })).collect();
    rank(&mut profit);
    let cum = cumulative(&profit);
    let total = cum.last().copied().unwrap_or(0.0);
    let mut class_of: Vec<Option<Class>> = vec![None; slots];
    for (v, c) in profit.iter().zip(classes(&profit, &cum, total, Thresholds::default())) {
        class_of[v.id as usize] = Some(c);
    }

    let new_since = as_of - Duration::days(i64::from(windows.new_days));
    let active_since = as_of - Duration::days(i64::from(windows.active_days));
    let mut out = Segments {
        as_of,
        measure,
        windows,
        lifecycle: LifecycleCounts::default(),
        bands: Bands::default(),
        stats: Segment::ALL.iter().map(|s| SegmentStat { segment: *s, count: 0, profit: 0.0, profit_share: None }).collect(),
        customers: Vec::with_capacity(data.customers.len()),
    };
    let mut buyers_profit = 0.0;
    for c in data.customers.iter() {
        let h = &hist[c.id as usize];
        let lifecycle = match (h.first, h.last) {
            (Some(first), _) if first >= new_since => Lifecycle::New,
            (_, Some(last)) if last >= active_since => Lifecycle::Active,
            (Some(_), _) => Lifecycle::Churned,
            _ => Lifecycle::Potential,
        };
        let counter = match lifecycle {
            Lifecycle::Potential => &mut out.lifecycle.potential,
            Lifecycle::New => &mut out.lifecycle.new,
            Lifecycle::Active => &mut out.lifecycle.active,
            Lifecycle::Churned => &mut out.lifecycle.churned,
        };
        *counter += 1;
        let i = c.id as usize;
        let rfm = h.last.map(|last| {
            let (r, f, m) = (r[i], f[i], m[i]);
            let segment = Segment::of(r, f, m);
            let stat = out.stats.iter_mut().find(|s| s.segment == segment).expect("every segment has a stat");
            stat.count += 1;
            stat.profit += h.profit.unwrap_or(0.0);
            buyers_profit += h.profit.unwrap_or(0.0);
            let (frequency, spend) = (Band::of(f), Band::of(m));
            for (band, counts) in [(frequency, &mut out.bands.frequency), (spend, &mut out.bands.spend)] {
                match band {
                    Band::High => counts.high += 1,
                    Band::Mid => counts.mid += 1,
                    Band::Low => counts.low += 1,
                }
            }
            Rfm { r, f, m, segment, frequency, spend, recency_days: (as_of - last).num_days(), purchase_days: h.days, revenue: h.revenue }
        });
        out.customers.push(CustomerSegment { id: c.id, lifecycle, rfm, class: class_of[i] });
    }
    for s in &mut out.stats {
        s.profit_share = (buyers_profit > 0.0).then(|| s.profit / buyers_profit);
    }
    Ok(out)
}

/// `vitalfew segments --json`: these field names are an interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentsSummary {
    pub as_of: NaiveDate,
    pub lifecycle: LifecycleCounts,
    pub rfm: Vec<RfmRow>,
    pub bands: Bands,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmRow {
    pub id: u32,
    pub ext_id: Option<String>,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

impl Segments {
    pub fn summary(&self, data: &Dataset) -> SegmentsSummary {
        let ids: std::collections::HashMap<u32, &Option<String>> = data.customers.iter().map(|c| (c.id, &c.ext_id)).collect();
        let ext = |id: u32| ids.get(&id).and_then(|e| (*e).clone());
        SegmentsSummary {
            as_of: self.as_of,
            lifecycle: self.lifecycle,
            rfm: self
                .customers
                .iter()
                .filter_map(|c| c.rfm.map(|x| RfmRow { id: c.id, ext_id: ext(c.id), r: x.r, f: x.f, m: x.m, segment: x.segment }))
                .collect(),
            bands: self.bands,
        }
    }
}

#[cfg(test)]
mod tests;
