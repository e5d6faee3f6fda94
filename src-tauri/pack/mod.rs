//! The meeting pack (File ▸ Export meeting pack…, `vitalfew pack`): one PDF
//! of 16:9 pages an owner puts on a projector. This module is the model —
//! what the pack says, built from the data, the key accounts and their
//! notebooks, in one language — as plain values and sentences; `pdf.rs`
//! lays it out and writes it, `text.rs` measures and wraps its text.
//!
//! Pages: a cover (period, the 80/20 headline, the concentration risk), one
//! chart per page (every kind of `ChartKind::ALL`, drawn by `charts` as SVG
//! and kept as vectors), the key-accounts table (paginated), then one page
//! per key account.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::accounts::{AccountType, AccountView, Action, CheckItem, Phase};
use crate::analysis::concentration::{rank, Thresholds};
use crate::analysis::{self, concentration, Dataset, Filter, Measure};
use crate::charts::{self, ChartKind, ChartRequest, ImageFormat};
use crate::i18n;
use crate::insight::{Health, Risk};
use crate::model::{Customer, Lang};
use crate::notebook::view::LoyaltyStatus;
use crate::notebook::{Attitude, Function, Level, NotebookView, TouchKind};
use crate::{Error, Result};

pub mod pdf;
pub mod text;

/// What the owner asks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PackRequest {
    /// Inclusive ISO dates; none: all dates.
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    /// The key accounts (customer ids) to put in the table and give a page
    /// each, in the pack's order (most profitable first); none: all.
    #[ts(optional)]
    pub accounts: Option<Vec<u32>>,
    #[ts(optional)]
    pub lang: Option<Lang>,
}

/// How far the writing has come: `done` of `total` steps (charts drawn,
/// pages written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct PackProgress {
    pub done: u32,
    pub total: u32,
}

/// Charts are drawn on a canvas of this width (pixels) and the height the
/// page's chart area gives, then scaled onto the page as vectors.
pub const CHART_WIDTH: u32 = 1200;

/// Recent touches and open actions shown on an account's page.
pub const RECENT_TOUCHES: usize = 4;
pub const NEXT_ACTIONS: usize = 4;

/// The profit and revenue share of the top 20% of customers by profit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    /// Customers with sales in the period, and how many are the top 20%.
    pub customers: u64,
    pub top: u64,
    pub profit_share: f64,
    pub revenue_share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PackChart {
    pub kind: ChartKind,
    pub title: String,
    pub svg: String,
}

/// A row of the key-accounts table.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub id: u32,
    pub name: String,
    pub account_type: Option<AccountType>,
    pub phase: Phase,
    pub days_in_phase: i64,
    pub next_action: Option<Action>,
    pub health: Option<u8>,
    /// The pack's measure (profit, or revenue when the data has no profit)
    /// in its period; `None`: no sales with one in it.
    pub value: Option<f64>,
}

/// One cell of the buying map, with its people's names.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCell {
    pub level: Level,
    pub function: Function,
    pub names: Vec<String>,
    pub attitude: Option<Attitude>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TouchLine {
    pub date: NaiveDate,
    pub kind: TouchKind,
    pub summary: String,
}

/// The latest survey's overall score and the average over all of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Satisfaction {
    pub latest: u8,
    pub date: NaiveDate,
    pub average: f64,
    pub surveys: usize,
}

/// One key account's page.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountPage {
    pub row: AccountRow,
    /// The type whose strategy card is shown, and whether the owner
    /// confirmed it (else it is the app's suggestion).
    pub card: Option<(AccountType, bool)>,
    /// The current phase's checklist.
    pub checklist: Vec<(CheckItem, bool)>,
    /// Decision, management, operational × user, technical, finance.
    pub map: Vec<MapCell>,
    pub decision_supporter: bool,
    pub touches: Vec<TouchLine>,
    pub satisfaction: Option<Satisfaction>,
    pub loyalty: LoyaltyStatus,
    pub health: Option<Health>,
    pub actions: Vec<Action>,
}

/// Everything the pack says, in `lang`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub lang: Lang,
    pub currency: String,
    /// "2025-01-01 – 2025-12-31", or "All dates".
    pub period: String,
    /// The latest sale in the data.
    pub data_date: Option<NaiveDate>,
    pub headline: Option<Headline>,
    /// What the figures are of: profit, or revenue when the data has no
    /// profit (the cover then says so once, in `headline_text`).
    pub measure: Measure,
    /// The headline as a sentence (or why there is none).
    pub headline_text: String,
    /// What losing the largest accounts would cost, and who holds them.
    pub risk: Vec<String>,
    pub charts: Vec<PackChart>,
    pub table: Vec<AccountRow>,
    pub accounts: Vec<AccountPage>,
}

/// What the pack is made from (the API reads it from the store).
pub struct Inputs<'a> {
    pub data: &'a Dataset,
    /// The active key accounts, most profitable first.
    pub views: &'a [AccountView],
    /// Their notebooks, by customer id.
    pub notebooks: &'a HashMap<u32, NotebookView>,
    pub health: &'a [Health],
    /// The concentration risk over the pack's period (see [`in_period`]).
    pub risk: &'a Risk,
    pub currency: &'a str,
    pub today: NaiveDate,
}

/// Checks the request against the key accounts: the period must not end
/// before it begins; every account asked for must be an active key account.
/// Returns the chosen accounts' ids in the pack's order.
pub fn choose(req: &PackRequest, views: &[AccountView]) -> Result<Vec<u32>> {
    if let (Some(from), Some(to)) = (req.from, req.to) {
        if from > to {
            return Err(Error::Refused(crate::msg!("refused.period", from = from, to = to)));
        }
    }
    let Some(wanted) = &req.accounts else { return Ok(views.iter().map(|v| v.id).collect()) };
    if wanted.is_empty() {
        return Err(Error::Refused(crate::msg!("refused.pack_no_accounts")));
    }
    for id in wanted {
        if !views.iter().any(|v| v.id == *id) {
            return Err(Error::Refused(crate::msg!("refused.not_key", customer = *id)));
        }
    }
    Ok(views.iter().map(|v| v.id).filter(|id| wanted.contains(id)).collect())
}

/// `data` with only the sales of the period (and, when there is a period,
/// no customer-table totals, which carry no dates): the risk of a period is
/// computed on it.
pub fn in_period(data: &Dataset, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Dataset {
    if from.is_none() && to.is_none() {
        return data.clone();
    }
    let keep = |d: Option<NaiveDate>| d.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t));
    let customers: Vec<Customer> = data.customers.iter().map(|c| Customer { declared: None, ..c.clone() }).collect();
    Dataset {
        customers: Arc::new(customers),
        lines: Arc::new(data.lines.iter().filter(|l| keep(l.date)).copied().collect()),
        keys: data.keys.clone(),
        categories: data.categories.clone(),
    }
}

/// The top 20% of customers by profit (⌈0.2·n⌉, as the Dashboard counts
/// them) and their share of profit and of revenue; `None` when either total
/// is not positive or there are no customers.
pub fn headline(data: &Dataset, filter: &Filter) -> Option<Headline> {
    let mut profit = data.values(Measure::Profit, filter);
    rank(&mut profit);
    let c = concentration::concentration_of_ranked(&profit, Thresholds::default());
    let profit_share = c.top20_share?;
    let top = &profit[..c.top20_count as usize];
    let revenue_share = analysis::dashboard::revenue_share_of(top, &data.values(Measure::Revenue, filter))?;
    Some(Headline { customers: c.customers, top: c.top20_count, profit_share, revenue_share })
}

/// 0.8174 → "81.7%".
pub fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// The cover's risk sentences: what losing the largest key account costs,
/// what all of them make together, and each person who is the only
/// decision-level supporter of accounts (days since their last touch
/// counted to `today`). Without key accounts: the largest customers' shares.
pub fn risk_sentences(risk: &Risk, data: &Dataset, filter: &Filter, lang: Lang, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let measure = measure_word(risk.measure, lang);
    if let Some(first) = risk.accounts.first() {
        if let Some(share) = first.profit_share {
            out.push(i18n::format(lang, "pack.risk.largest", &[("name", first.name.clone()), ("share", pct(share)), ("measure", measure.clone())]));
        }
        let all: Option<f64> = risk.accounts.iter().map(|a| a.profit_share).sum();
        if let (Some(all), true) = (all, risk.accounts.len() > 1) {
            out.push(i18n::format(lang, "pack.risk.all", &[("n", risk.accounts.len().to_string()), ("share", pct(all)), ("measure", measure.clone())]));
        }
        for p in &risk.people {
            let Some(share) = p.profit_share else { continue };
            let touched = match p.last_touch {
                Some(d) => i18n::format(lang, "risk.touched", &[("when", i18n::days_ago(lang, (today - d).num_days()))]),
                None => i18n::text(lang, "risk.never_touched"),
            };
            let accounts = i18n::count(lang, "count.accounts", p.accounts.len() as u64);
            let params = [("share", pct(share)), ("measure", measure.clone()), ("accounts", accounts), ("name", p.name.clone()), ("touched", touched)];
            out.push(i18n::format(lang, "risk.person", &params));
        }
        return out;
    }
    let mut ranked = data.values(risk.measure, filter);
    rank(&mut ranked);
    let c = concentration::concentration_of_ranked(&ranked, Thresholds::default());
    if let (Some(largest), Some(first)) = (c.largest_share, ranked.first()) {
        let top5: f64 = ranked.iter().take(5).map(|v| v.value).sum::<f64>() / c.total;
        let params = [("name", first.name.clone()), ("largest", pct(largest)), ("measure", measure), ("top5", pct(top5))];
        out.push(i18n::format(lang, "dashboard.risk", &params));
    }
    out
}

/// "profit", "营业额": the measure as a sentence names it.
fn measure_word(measure: Measure, lang: Lang) -> String {
    let key = serde_json::to_value(measure).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    i18n::text(lang, &format!("measure.{key}"))
}

/// The cover's headline sentence: the top 20% by profit and their share of
/// profit and of revenue; on data without profit, why the figures are by
/// revenue and the top 20%'s share of it.
fn headline_text(data: &Dataset, filter: &Filter, measure: Measure, lang: Lang) -> String {
    if measure == Measure::Profit {
        return match headline(data, filter) {
            Some(h) => i18n::format(lang, "dashboard.headline", &[("n", h.top.to_string()), ("profit", pct(h.profit_share)), ("revenue", pct(h.revenue_share))]),
            None => i18n::text(lang, "pack.headline_na"),
        };
    }
    let c = concentration::concentration(&data.values(Measure::Revenue, filter), Thresholds::default());
    let figures = match c.top20_share {
        Some(share) => i18n::format(lang, "dashboard.headline_revenue", &[("n", c.top20_count.to_string()), ("revenue", pct(share))]),
        None => i18n::text(lang, "pack.headline_na"),
    };
    format!("{} {figures}", i18n::text(lang, "measure.no_profit"))
}

/// The period as the cover and the charts' subtitles write it.
pub fn period_text(from: Option<NaiveDate>, to: Option<NaiveDate>, lang: Lang) -> String {
    match (from, to) {
        (None, None) => i18n::text(lang, "chart.period_all"),
        (from, to) => format!("{} – {}", from.map_or(String::new(), |d| i18n::date(lang, d)), to.map_or(String::new(), |d| i18n::date(lang, d))),
    }
}

/// The title of a chart's page.
pub fn chart_title(kind: ChartKind, lang: Lang) -> String {
    let key = serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    i18n::text(lang, &format!("dashboard.chart.{key}"))
}

/// Draws every chart of `ChartKind::ALL` of `measure` for the period (profit
/// vs revenue only when there is profit), `height` pixels high, as SVG;
/// `step` is called after each.
pub fn charts(data: &Dataset, filter: &Filter, measure: Measure, lang: Lang, currency: &str, height: u32, step: &dyn Fn()) -> Result<Vec<PackChart>> {
    ChartKind::ALL
        .into_iter()
        .filter(|kind| measure == Measure::Profit || *kind != ChartKind::RevenueVsProfit)
        .map(|kind| {
            let req = ChartRequest { kind, measure, filter: filter.clone(), width: CHART_WIDTH, height, scale: 1, lang, currency: currency.to_string() };
            let svg = String::from_utf8(charts::chart(data, &req, ImageFormat::Svg)?.bytes).map_err(|e| Error::Output(format!("a chart's SVG is not UTF-8: {e}")))?;
            step();
            Ok(PackChart { kind, title: chart_title(kind, lang), svg })
        })
        .collect()
}

/// The row and the page of one key account.
pub fn account_page(v: &AccountView, nb: Option<&NotebookView>, health: Option<&Health>) -> AccountPage {
    let row = AccountRow {
        id: v.id,
        name: v.name.clone(),
        account_type: v.account_type,
        phase: v.phase,
        days_in_phase: v.days_in_phase,
        next_action: v.next_action.clone(),
        health: health.map(|h| h.score),
        value: v.profit,
    };
    let card = match (v.account_type, v.suggestion.account_type) {
        (Some(t), _) => Some((t, true)),
        (None, Some(t)) => Some((t, false)),
        (None, None) => None,
    };
    let checklist = v.checklist.iter().filter(|e| e.phase == v.phase).map(|e| (e.item, e.done)).collect();
    let mut actions: Vec<Action> = v.actions.iter().filter(|a| a.done.is_none()).cloned().collect();
    actions.sort_by_key(|a| (a.due, a.id));
    actions.truncate(NEXT_ACTIONS);
    let name_of = |id: u64| nb.and_then(|nb| nb.contacts.iter().find(|c| c.contact.id == id)).map_or_else(|| format!("#{id}"), |c| c.contact.name.clone());
    let (map, decision_supporter, touches, satisfaction, loyalty) = match nb {
        Some(nb) => {
            let map = nb.buying_map.cells.iter().map(|c| MapCell { level: c.level, function: c.function, names: c.contacts.iter().map(|id| name_of(*id)).collect(), attitude: c.attitude }).collect();
            let touches = nb.touches.iter().take(RECENT_TOUCHES).map(|t| TouchLine { date: t.date, kind: t.kind, summary: t.summary.clone() }).collect();
            let satisfaction = nb.surveys.last().map(|latest| Satisfaction {
                latest: latest.overall,
                date: latest.date,
                average: nb.surveys.iter().map(|s| f64::from(s.overall)).sum::<f64>() / nb.surveys.len() as f64,
                surveys: nb.surveys.len(),
            });
            (map, nb.buying_map.decision_supporter, touches, satisfaction, nb.loyalty.status)
        }
        None => {
            let map = crate::notebook::view::buying_map(&[]).cells.into_iter().map(|c| MapCell { level: c.level, function: c.function, names: Vec::new(), attitude: None }).collect();
            (map, false, Vec::new(), None, LoyaltyStatus::Ordinary)
        }
    };
    AccountPage { row, card, checklist, map, decision_supporter, touches, satisfaction, loyalty, health: health.cloned(), actions }
}

/// The whole pack for `req` (already checked by [`choose`]: `chosen` are
/// the accounts' ids in order). `step` is called after each chart.
pub fn build(inputs: &Inputs<'_>, req: &PackRequest, chosen: &[u32], chart_height: u32, step: &dyn Fn()) -> Result<Pack> {
    let lang = req.lang.unwrap_or(Lang::En);
    let filter = Filter { from: req.from, to: req.to, ..Filter::default() };
    let measure = inputs.data.measure();
    let headline = headline(inputs.data, &filter);
    let headline_text = headline_text(inputs.data, &filter, measure, lang);
    let health: HashMap<u32, &Health> = inputs.health.iter().map(|h| (h.id, h)).collect();
    let value: HashMap<u32, f64> = inputs.data.values(measure, &filter).into_iter().map(|v| (v.id, v.value)).collect();
    let accounts: Vec<AccountPage> = chosen
        .iter()
        .filter_map(|id| inputs.views.iter().find(|v| v.id == *id))
        .map(|v| {
            let mut page = account_page(v, inputs.notebooks.get(&v.id), health.get(&v.id).copied());
            page.row.value = value.get(&v.id).copied();
            page
        })
        .collect();
    Ok(Pack {
        lang,
        currency: inputs.currency.to_string(),
        period: period_text(req.from, req.to, lang),
        data_date: inputs.data.date_range().map(|(_, last)| last),
        headline,
        measure,
        headline_text,
        risk: risk_sentences(inputs.risk, inputs.data, &filter, lang, inputs.today),
        charts: charts(inputs.data, &filter, measure, lang, inputs.currency, chart_height, step)?,
        table: accounts.iter().map(|a| a.row.clone()).collect(),
        accounts,
    })
}

#[cfg(test)]
mod tests;
