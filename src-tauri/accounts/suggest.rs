//! What the data and the owner's answers say: a suggested type for each key
//! account (with the signals behind it) and customers worth promoting.
//!
//! "The last 12 months" and "the last 3 years" end at the latest dated sale
//! ([`Metrics::as_of`]), so an old export is judged on its own period.
//!
//! Nothing here is stored: the API computes it from the cached `Dataset`
//! (and keeps the [`Metrics`] until the data changes).

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::{AccountType, Answers};
use crate::analysis::concentration::{classes, cumulative, rank, Class};
use crate::analysis::{Dataset, Filter, Measure, Thresholds};
use crate::model::Customer;

/// Purchases on at least this many different days of the last 12 months
/// make a frequent buyer (monthly or more).
pub const FREQUENT_DAYS: u32 = 12;
/// Revenue of the last 12 months at least this much above the 12 months
/// before is growth.
pub const GROWTH_RATE: f64 = 0.3;
/// Candidates shown at most.
pub const MAX_CANDIDATES: usize = 50;

/// Words in a customer's industry or name that point to an "important"
/// body: party/government, military, police/courts, culture, education,
/// health, news (lower case).
const SECTOR_WORDS: &[&str] = &[
    "政府", "党", "人大", "政协", "军", "部队", "武警", "公安", "警", "法院", "检察", "司法", "文化", "教育", "学校", "大学", "学院", "中学", "小学",
    "医院", "卫生", "医疗", "疾控", "新闻", "报社", "日报", "电视台", "广播", "媒体", "government", "ministry", "municipal", "military",
    "army", "defence", "defense", "police", "court", "justice", "culture", "museum", "education", "school", "university", "college",
    "health", "hospital", "clinic", "news", "newspaper", "broadcast", "media",
];

/// A fact that speaks for one type of account.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    AskedPrice,
    AskedService,
    AskedCooperation,
    SpecialStatus,
    ValueChainTie,
    Potential,
    /// The industry or name contains a word of an important sector.
    Sector { word: String },
    /// Bought on this many different days in the last 12 months.
    Frequent { days: u32 },
    /// A-class by revenue; its share of all revenue.
    Volume { share: f64 },
    /// Revenue growth of the last 12 months over the 12 before.
    Growth { rate: f64 },
}

impl Signal {
    /// The type this signal speaks for and how strongly. Owner answers weigh
    /// more than what the data hints at.
    pub fn weight(&self) -> (AccountType, u32) {
        use AccountType::*;
        match self {
            Signal::AskedPrice => (Economic, 3),
            Signal::Frequent { .. } | Signal::Volume { .. } => (Economic, 1),
            Signal::SpecialStatus => (Important, 3),
            Signal::Sector { .. } => (Important, 2),
            Signal::ValueChainTie => (Group, 3),
            Signal::AskedCooperation => (Strategic, 3),
            Signal::AskedService | Signal::Potential => (Strategic, 2),
            Signal::Growth { .. } => (Strategic, 1),
        }
    }
}

/// The suggested type and the signals behind it (empty: nothing to go on).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Suggestion {
    pub account_type: Option<AccountType>,
    pub signals: Vec<Signal>,
}

/// What the sales data says about one customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerMetrics {
    pub revenue: f64,
    pub profit: Option<f64>,
    /// 1-based rank by profit, and whether that makes it A-class.
    pub profit_rank: Option<u32>,
    pub profit_share: Option<f64>,
    pub profit_a: bool,
    /// 1-based rank by revenue.
    pub revenue_rank: Option<u32>,
    pub revenue_share: Option<f64>,
    pub revenue_a: bool,
    pub purchase_days_12m: u32,
    pub revenue_12m: f64,
    pub revenue_prev_12m: f64,
    /// Years among the last three (ending at `as_of`) with a dated sale.
    pub recent_years: Vec<i32>,
    /// Whether the customer has any dated sale.
    pub dated: bool,
}

impl CustomerMetrics {
    /// Bought in at least 2 of the last 3 years; `None` without dated sales.
    pub fn buys_continuously(&self) -> Option<bool> {
        self.dated.then_some(self.recent_years.len() >= 2)
    }
}

/// [`CustomerMetrics`] of every customer: two ranking passes and one pass over the dated lines.
#[derive(Debug, Default)]
pub struct Metrics {
    pub as_of: Option<NaiveDate>,
    by_customer: HashMap<u32, CustomerMetrics>,
}

impl Metrics {
    pub fn compute(data: &Dataset) -> Metrics {
        let mut by_customer: HashMap<u32, CustomerMetrics> = HashMap::with_capacity(data.customers.len());
        for (i, r) in ranked(data, Measure::Profit).into_iter().enumerate() {
            let m = by_customer.entry(r.id).or_default();
            m.profit = Some(r.value);
            m.profit_rank = Some(i as u32 + 1);
            m.profit_share = r.share;
            m.profit_a = r.a_class;
        }
        for (i, r) in ranked(data, Measure::Revenue).into_iter().enumerate() {
            let m = by_customer.entry(r.id).or_default();
            m.revenue = r.value;
            m.revenue_rank = Some(i as u32 + 1);
            m.revenue_share = r.share;
            m.revenue_a = r.a_class;
        }
        let as_of = data.date_range().map(|(_, last)| last);
        if let Some(as_of) = as_of {
            // The last 12 months are (as_of − 365 days, as_of]; the 12 before end where they begin.
            let year = Duration::days(365);
            let (w12, w24) = (as_of - year, as_of - year - year);
            let mut days_12m: Vec<(u32, NaiveDate)> = Vec::new();
            let mut years: HashMap<u32, u8> = HashMap::new();
            for l in data.lines.iter() {
                let Some(d) = l.date else { continue };
                let m = by_customer.entry(l.customer).or_default();
                m.dated = true;
                let revenue = l.revenue.unwrap_or(0.0);
                if d > w12 {
                    m.revenue_12m += revenue;
                    days_12m.push((l.customer, d));
                } else if d > w24 {
                    m.revenue_prev_12m += revenue;
                }
                let back = as_of.year() - d.year();
                if (0..3).contains(&back) {
                    *years.entry(l.customer).or_default() |= 1 << back;
                }
            }
            days_12m.sort_unstable();
            days_12m.dedup();
            for (c, _) in days_12m {
                by_customer.entry(c).or_default().purchase_days_12m += 1;
            }
            for (c, mask) in years {
                by_customer.entry(c).or_default().recent_years =
                    (0..3).rev().filter(|b| mask & (1 << b) != 0).map(|b| as_of.year() - b).collect();
            }
        }
        Metrics { as_of, by_customer }
    }

    /// What the data says about `customer` (nothing, for one without sales).
    pub fn of(&self, customer: u32) -> &CustomerMetrics {
        static NONE: CustomerMetrics = CustomerMetrics {
            revenue: 0.0,
            profit: None,
            profit_rank: None,
            profit_share: None,
            profit_a: false,
            revenue_rank: None,
            revenue_share: None,
            revenue_a: false,
            purchase_days_12m: 0,
            revenue_12m: 0.0,
            revenue_prev_12m: 0.0,
            recent_years: Vec::new(),
            dated: false,
        };
        self.by_customer.get(&customer).unwrap_or(&NONE)
    }
}

struct Ranked {
    id: u32,
    value: f64,
    share: Option<f64>,
    a_class: bool,
}

/// Every customer's value for `measure` (all time), highest first, with its
/// share and ABC class.
fn ranked(data: &Dataset, measure: Measure) -> Vec<Ranked> {
    let mut values = data.values(measure, &Filter::default());
    rank(&mut values);
    let cum = cumulative(&values);
    let total = cum.last().copied().unwrap_or(0.0);
    let class = classes(&values, &cum, total, Thresholds::default());
    values
        .iter()
        .zip(class)
        .map(|(v, c)| Ranked { id: v.id, value: v.value, share: (total > 0.0).then(|| v.value / total), a_class: c == Class::A })
        .collect()
}

/// Every signal the answers and the data give for `customer`.
pub fn signals(answers: &Answers, customer: &Customer, m: &CustomerMetrics) -> Vec<Signal> {
    let mut out = Vec::new();
    let flags = [
        (answers.special_status, Signal::SpecialStatus),
        (answers.value_chain_tie, Signal::ValueChainTie),
        (answers.asked_cooperation, Signal::AskedCooperation),
        (answers.asked_service, Signal::AskedService),
        (answers.potential, Signal::Potential),
        (answers.asked_price, Signal::AskedPrice),
    ];
    out.extend(flags.into_iter().filter(|(on, _)| *on).map(|(_, s)| s));
    if let Some(word) = sector_word(customer) {
        out.push(Signal::Sector { word: word.to_string() });
    }
    if m.revenue_prev_12m > 0.0 && m.revenue_12m >= m.revenue_prev_12m * (1.0 + GROWTH_RATE) {
        out.push(Signal::Growth { rate: m.revenue_12m / m.revenue_prev_12m - 1.0 });
    }
    if m.purchase_days_12m >= FREQUENT_DAYS {
        out.push(Signal::Frequent { days: m.purchase_days_12m });
    }
    if m.revenue_a {
        out.push(Signal::Volume { share: m.revenue_share.unwrap_or(0.0) });
    }
    out
}

fn sector_word(c: &Customer) -> Option<&'static str> {
    let text = format!("{} {}", c.industry.as_deref().unwrap_or(""), c.name).to_lowercase();
    SECTOR_WORDS.iter().copied().find(|w| text.contains(w))
}

/// The type with the most weight behind it; ties go to the more specific
/// type (important, group, strategic, then economic). The signals kept are
/// those for the suggested type.
pub fn suggest(signals: Vec<Signal>) -> Suggestion {
    const ORDER: [AccountType; 4] = [AccountType::Important, AccountType::Group, AccountType::Strategic, AccountType::Economic];
    let score = |t: AccountType| signals.iter().map(Signal::weight).filter(|(s, _)| *s == t).map(|(_, w)| w).sum::<u32>();
    let best = ORDER.into_iter().map(|t| (t, score(t))).filter(|(_, s)| *s > 0).fold(None, |best: Option<(AccountType, u32)>, (t, s)| {
        match best {
            Some((_, b)) if b >= s => best,
            _ => Some((t, s)),
        }
    });
    match best {
        None => Suggestion { account_type: None, signals: Vec::new() },
        Some((t, _)) => Suggestion { account_type: Some(t), signals: signals.into_iter().filter(|s| s.weight().0 == t).collect() },
    }
}

/// Why a customer is worth promoting.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CandidateReason {
    /// A-class by the data's measure (profit, or revenue when the files
    /// have no profit): its rank and share of the whole.
    AClass { rank: u32, share: f64, measure: Measure },
    /// Bought in these years (at least 2 of the last 3).
    Continuous { years: Vec<i32> },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Candidate {
    pub id: u32,
    pub name: String,
    pub profit: Option<f64>,
    pub revenue: f64,
    pub reasons: Vec<CandidateReason>,
}

/// Customers that are not key accounts but look like they should be, most
/// profitable first (by revenue when the files have no profit), at most
/// [`MAX_CANDIDATES`]; and how many there are in all.
pub fn candidates(data: &Dataset, metrics: &Metrics, is_key: impl Fn(u32) -> bool) -> (Vec<Candidate>, usize) {
    let measure = data.measure();
    let mut all: Vec<Candidate> = data
        .customers
        .iter()
        .filter(|c| !is_key(c.id))
        .filter_map(|c| {
            let m = metrics.of(c.id);
            let mut reasons = Vec::new();
            let class = match measure {
                Measure::Revenue => (m.revenue_a, m.revenue_rank, m.revenue_share),
                _ => (m.profit_a, m.profit_rank, m.profit_share),
            };
            if let (true, Some(rank), Some(share)) = class {
                reasons.push(CandidateReason::AClass { rank, share, measure });
            }
            if m.buys_continuously() == Some(true) {
                reasons.push(CandidateReason::Continuous { years: m.recent_years.clone() });
            }
            (!reasons.is_empty()).then(|| Candidate { id: c.id, name: c.name.clone(), profit: m.profit, revenue: m.revenue, reasons })
        })
        .collect();
    all.sort_by(|a, b| {
        let p = |c: &Candidate| c.profit.unwrap_or(f64::NEG_INFINITY);
        p(b).total_cmp(&p(a)).then(b.revenue.total_cmp(&a.revenue)).then(a.id.cmp(&b.id))
    });
    let total = all.len();
    all.truncate(MAX_CANDIDATES);
    (all, total)
}
