//! Health 0–100 of each key account, made of visible parts (DOMAIN.md §7):
//! recency against the account's own buying rhythm, revenue and margin
//! trend (last 12 months against the 12 before), satisfaction trend, touch
//! overdue, buying-map coverage, overdue actions. Never a black box: every
//! part says its score, weight and why.
//!
//! A part scores only what is on record: no touch is 0 for touches, and no
//! survey leaves satisfaction out of the average (weight 0) rather than
//! guessing a middle score that would lift a bad account. Two facts hold
//! the score in the red band whatever the parts say — loyalty lost and
//! revenue down by half or more — and the health says which. The score
//! falls in a green, amber or red band whose thresholds travel with it.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::accounts::Account;
use crate::analysis::Dataset;
use crate::i18n;
use crate::model::{Customer, Lang};
use crate::notebook::view::LoyaltyReason;
use crate::notebook::{view as nbview, Attitude, Level, Notebook, Survey};

/// Without two purchase days, an account is expected to buy every 90 days.
const DEFAULT_RHYTHM_DAYS: i64 = 90;

/// Where the bands begin. Green needs more than good sales alone: an
/// account that buys steadily but was never touched, mapped or surveyed
/// scores 71 (its sales parts, weighted without satisfaction), and calling
/// it healthy is the mistake this guards against. Red below 40 is where
/// the account page suggests moving back to establish.
pub const THRESHOLDS: BandThresholds = BandThresholds { green: 75, amber: 40 };

/// Revenue of the last 12 months at or below this share of the 12 before
/// caps the score: half the business is gone.
const HALVED: f64 = 0.5;

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
    /// 0 when the part has nothing on record to judge (it is left out of
    /// the score, and its reason says so).
    pub weight: u8,
    pub reason: String,
}

/// The score's band: green (healthy), amber (watch), red (act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HealthBand {
    Green,
    Amber,
    Red,
}

impl HealthBand {
    /// The band of `score` under [`THRESHOLDS`].
    pub fn of(score: u8) -> HealthBand {
        THRESHOLDS.band(score)
    }
}

/// Green from `green` up, amber from `amber` up, red below `amber`. Sent
/// with every health so the UI and other tools show the bands the score
/// was judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct BandThresholds {
    pub green: u8,
    pub amber: u8,
}

impl BandThresholds {
    /// The band `score` falls in.
    pub fn band(self, score: u8) -> HealthBand {
        if score >= self.green {
            HealthBand::Green
        } else if score >= self.amber {
            HealthBand::Amber
        } else {
            HealthBand::Red
        }
    }

    /// The highest score of the red band: what a cap holds the score to.
    pub fn red_max(self) -> u8 {
        self.amber.saturating_sub(1)
    }
}

/// What holds a score in the red band whatever the parts say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CapKey {
    /// The account's loyalty is lost (the notebook's `LoyaltyStatus::Lost`).
    LoyaltyLost,
    /// Revenue of the last 12 months is half or less of the 12 before.
    RevenueHalved,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HealthCap {
    #[ts(inline)]
    pub key: CapKey,
    pub reason: String,
}

/// The new fields (`weighted`, `band`, `thresholds`, `caps`) are inlined
/// in the TypeScript, so the UI needs no new named types.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Health {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    /// 0–100: the parts' scores, weighted; at most the top of the red band
    /// when a cap holds it.
    pub score: u8,
    pub parts: Vec<HealthPart>,
    /// The parts' scores weighted, before any cap.
    pub weighted: u8,
    #[ts(inline)]
    pub band: HealthBand,
    #[ts(inline)]
    pub thresholds: BandThresholds,
    /// Why the score is held in the red band; empty when nothing holds it.
    #[ts(inline)]
    pub caps: Vec<HealthCap>,
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
    let as_of = data.lines.iter().filter_map(|l| l.date).max();
    let mut sales = sales_of(data, &active, as_of);
    let customers: HashMap<u32, &Customer> = data.customers.iter().map(|c| (c.id, c)).collect();
    let books: HashMap<u32, &Notebook> = notebooks.iter().map(|n| (n.customer, n)).collect();
    let empty = Notebook::default();
    let t = |key: &str, params: &[(&str, String)]| i18n::format(lang, &format!("health.reason.{key}"), params);
    let mut out = Vec::new();
    for a in active {
        let (Some(c), Some(s)) = (customers.get(&a.customer), sales.get_mut(&a.customer)) else { continue };
        let nb = books.get(&a.customer).copied().unwrap_or(&empty);
        s.days.sort_unstable();
        s.days.dedup();
        let surveys = live_surveys(nb);
        let parts = vec![
            recency(s, as_of, &t),
            revenue_trend(s, &t),
            margin_trend(s, &t),
            satisfaction(&surveys, &t),
            touch(nb, a, today, &t),
            coverage(nb, &t),
            actions(a, today, &t),
        ];
        let caps = caps(s, &surveys, as_of, lang);
        out.push(scored(c, parts, caps));
    }
    out
}

/// The sales of each of `active`, in the windows ending at `as_of`.
fn sales_of(data: &Dataset, active: &[&Account], as_of: Option<NaiveDate>) -> HashMap<u32, Sales> {
    let mut sales: HashMap<u32, Sales> = active.iter().map(|a| (a.customer, Sales::default())).collect();
    let Some(as_of) = as_of else { return sales };
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
    sales
}

/// The health of customer `c` from its parts and caps: the weighted score,
/// held to the top of the red band when a cap applies.
fn scored(c: &Customer, parts: Vec<HealthPart>, caps: Vec<HealthCap>) -> Health {
    let weighted = weighted(&parts);
    let score = if caps.is_empty() { weighted } else { weighted.min(THRESHOLDS.red_max()) };
    Health {
        id: c.id,
        ext_id: c.ext_id.clone(),
        name: c.name.clone(),
        score,
        parts,
        weighted,
        band: THRESHOLDS.band(score),
        thresholds: THRESHOLDS,
        caps,
    }
}

/// The weighted average of the parts that count (weight above 0).
fn weighted(parts: &[HealthPart]) -> u8 {
    let weights: u32 = parts.iter().map(|p| u32::from(p.weight)).sum();
    let total: u32 = parts.iter().map(|p| u32::from(p.weight) * u32::from(p.score)).sum();
    if weights == 0 {
        return 0;
    }
    (f64::from(total) / f64::from(weights)).round() as u8
}

/// The surveys not removed, oldest first (as the notebook's loyalty reads them).
fn live_surveys(nb: &Notebook) -> Vec<&Survey> {
    let mut surveys: Vec<&Survey> = nb.surveys.iter().filter(|v| !v.removed).collect();
    surveys.sort_by_key(|v| (v.date, v.id));
    surveys
}

/// What holds the score in the red band: loyalty lost — judged by the
/// notebook's own rule, so the account page and health never disagree —
/// and revenue down by half or more.
fn caps(s: &Sales, surveys: &[&Survey], as_of: Option<NaiveDate>, lang: Lang) -> Vec<HealthCap> {
    let cap = |key, reason| HealthCap { key, reason };
    let mut caps = Vec::new();
    // As the notebook's page: `None` when the account's sales carry no dates.
    let bought_last_year = s.days.last().zip(as_of).map(|(last, as_of)| *last > as_of - Duration::days(365));
    let loyalty = nbview::loyalty(surveys, bought_last_year);
    if loyalty.status == nbview::LoyaltyStatus::Lost {
        let why = loyalty_reason(loyalty.reason, lang);
        caps.push(cap(CapKey::LoyaltyLost, i18n::format(lang, "health.cap.loyalty_lost", &[("why", why)])));
    }
    let [now, before] = s.revenue;
    if before > 0.0 && now <= before * HALVED {
        let change = i18n::percent(now / before - 1.0, true);
        caps.push(cap(CapKey::RevenueHalved, i18n::format(lang, "health.cap.revenue_halved", &[("change", change)])));
    }
    caps
}

/// The account page's sentence for a loyalty reason.
fn loyalty_reason(r: LoyaltyReason, lang: Lang) -> String {
    let (key, params) = match r {
        LoyaltyReason::NoPurchase => ("no_purchase", Vec::new()),
        LoyaltyReason::NoSurvey => ("no_survey", Vec::new()),
        LoyaltyReason::LowScore { overall } => ("low_score", vec![("overall", overall.to_string())]),
        LoyaltyReason::Dropped { from, to } => ("dropped", vec![("from", from.to_string()), ("to", to.to_string())]),
        LoyaltyReason::HighScore { overall } => ("high_score", vec![("overall", overall.to_string())]),
        LoyaltyReason::Middling { overall } => ("middling", vec![("overall", overall.to_string())]),
    };
    i18n::format(lang, &format!("loyalty.reason.{key}"), &params)
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
    part(PartKey::RevenueTrend, (ratio - 0.5) / 0.5, t("revenue", &[("change", i18n::percent(ratio - 1.0, true))]))
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

/// The latest overall satisfaction score (`surveys` oldest first), less
/// when it fell since the survey before. No survey says nothing either
/// way: the part is left out of the score (weight 0) rather than given a
/// middle score that would pull a bad account up.
fn satisfaction(surveys: &[&Survey], t: &Text<'_>) -> HealthPart {
    let Some(latest) = surveys.last() else {
        return HealthPart { weight: 0, ..part(PartKey::Satisfaction, 0.5, t("survey_none", &[])) };
    };
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

/// Days the next touch is overdue, against the cadence. No touch on record
/// scores nothing: a relationship nobody has tended is not "within its
/// cadence", however recently the account was promoted.
fn touch(nb: &Notebook, a: &Account, today: NaiveDate, t: &Text<'_>) -> HealthPart {
    let cadence = nb.cadence_days.unwrap_or_else(|| nbview::default_cadence(a.account_type));
    if nb.last_touch().is_none() {
        return part(PartKey::Touch, 0.0, t("touch_none", &[("cadence", cadence.to_string())]));
    }
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
