//! Accounts as the UI and the CLI show them: the stored record joined with
//! its customer, the sales data and the suggestion.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::suggest::{self, Metrics, Signal, Suggestion};
use super::{Account, AccountType, Action, Answers, CheckItem, Event, Phase, Reason};
use crate::i18n;
use crate::model::{Customer, Lang};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChecklistEntry {
    pub item: CheckItem,
    pub phase: Phase,
    pub done: bool,
    /// Read from the sales data (the owner has not answered it).
    pub from_data: bool,
}

/// Ticked points of the current phase's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ChecklistCount {
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountView {
    pub id: u32,
    pub name: String,
    pub ext_id: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub active: bool,
    /// The type the owner confirmed.
    pub account_type: Option<AccountType>,
    pub suggestion: Suggestion,
    pub answers: Answers,
    pub phase: Phase,
    #[ts(type = "string")]
    pub since: NaiveDate,
    #[ts(type = "number")]
    pub days_in_phase: i64,
    pub checklist: Vec<ChecklistEntry>,
    pub progress: ChecklistCount,
    /// Suggested when the current phase's checklist is complete.
    pub next_phase: Option<Phase>,
    pub profit: Option<f64>,
    pub revenue: f64,
    /// Years among the last three with a purchase.
    pub recent_years: Vec<i32>,
    pub actions: Vec<Action>,
    pub next_action: Option<Action>,
    pub history: Vec<Event>,
}

/// Every account (active ones only unless `all`), most profitable first.
pub fn views(accounts: &[Account], customers: &[Customer], metrics: &Metrics, today: NaiveDate, all: bool) -> Vec<AccountView> {
    let by_id: HashMap<u32, &Customer> = customers.iter().map(|c| (c.id, c)).collect();
    let mut out: Vec<AccountView> = accounts
        .iter()
        .filter(|a| all || a.active)
        .filter_map(|a| by_id.get(&a.customer).map(|c| view(a, c, metrics, today)))
        .collect();
    out.sort_by(|a, b| b.profit.unwrap_or(f64::NEG_INFINITY).total_cmp(&a.profit.unwrap_or(f64::NEG_INFINITY)).then(a.id.cmp(&b.id)));
    out
}

/// [`view`] of `acc`, whose customer is looked up in `customers`.
pub fn view_among(acc: &Account, customers: &[Customer], metrics: &Metrics, today: NaiveDate) -> crate::Result<AccountView> {
    let customer = customers
        .iter()
        .find(|c| c.id == acc.customer)
        .ok_or_else(|| crate::Error::NotFound(crate::msg!("error.no_customer", id = acc.customer)))?;
    Ok(view(acc, customer, metrics, today))
}

pub fn view(acc: &Account, customer: &Customer, metrics: &Metrics, today: NaiveDate) -> AccountView {
    let m = metrics.of(customer.id);
    let from_data = m.buys_continuously();
    let checklist: Vec<ChecklistEntry> = CheckItem::ALL
        .into_iter()
        .map(|item| {
            let owner = acc.checklist.get(&item).copied();
            let data = (item == CheckItem::BuysContinuously).then_some(from_data).flatten();
            ChecklistEntry { item, phase: item.phase(), done: owner.or(data).unwrap_or(false), from_data: owner.is_none() && data.is_some() }
        })
        .collect();
    let current: Vec<&ChecklistEntry> = checklist.iter().filter(|e| e.phase == acc.phase).collect();
    let progress = ChecklistCount { done: current.iter().filter(|e| e.done).count() as u32, total: current.len() as u32 };
    AccountView {
        id: customer.id,
        name: customer.name.clone(),
        ext_id: customer.ext_id.clone(),
        region: customer.region.clone(),
        industry: customer.industry.clone(),
        active: acc.active,
        account_type: acc.account_type,
        suggestion: suggest::suggest(suggest::signals(&acc.answers, customer, m)),
        answers: acc.answers,
        phase: acc.phase,
        since: acc.since,
        days_in_phase: (today - acc.since).num_days().max(0),
        next_phase: acc.phase.next().filter(|_| progress.done == progress.total),
        progress,
        checklist,
        profit: m.profit,
        revenue: m.revenue,
        recent_years: m.recent_years.clone(),
        actions: acc.actions.clone(),
        next_action: acc.next_action().cloned(),
        history: acc.history.clone(),
    }
}

/// `vitalfew accounts --json`: these field names are an interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountSummary {
    pub id: u32,
    /// The customer's ID in the owner's own books, when a file had one.
    pub ext_id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: Option<AccountType>,
    pub suggested_type: Option<AccountType>,
    pub suggested_reason: String,
    pub phase: Phase,
    pub since: NaiveDate,
    pub checklist: ChecklistCount,
    pub history: Vec<PhaseEntry>,
}

/// A phase the account entered: by promotion (establish) or a move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseEntry {
    pub at: NaiveDate,
    pub phase: Phase,
    pub reason: Option<Reason>,
    pub note: Option<String>,
}

impl AccountView {
    pub fn summary(&self, lang: Lang) -> AccountSummary {
        AccountSummary {
            id: self.id,
            ext_id: self.ext_id.clone(),
            name: self.name.clone(),
            account_type: self.account_type,
            suggested_type: self.suggestion.account_type,
            suggested_reason: reason_text(&self.suggestion, lang),
            phase: self.phase,
            since: self.since,
            checklist: self.progress,
            history: self
                .history
                .iter()
                .filter_map(|e| match e {
                    Event::Promoted { at, .. } => Some(PhaseEntry { at: *at, phase: Phase::Establish, reason: None, note: None }),
                    Event::Moved { at, phase, reason, note, .. } => Some(PhaseEntry { at: *at, phase: *phase, reason: reason.clone(), note: note.clone() }),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// The suggestion's signals as one sentence in `lang`.
pub fn reason_text(s: &Suggestion, lang: Lang) -> String {
    if s.signals.is_empty() {
        return i18n::text(lang, "accounts.signal.none");
    }
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    let parts: Vec<String> = s
        .signals
        .iter()
        .map(|sig| {
            let kind = serde_json::to_value(sig).ok().and_then(|v| v["kind"].as_str().map(String::from)).unwrap_or_default();
            let params: Vec<(&str, String)> = match sig {
                Signal::Sector { word } => vec![("word", word.clone())],
                Signal::Frequent { days } => vec![("days", days.to_string())],
                Signal::Volume { share } => vec![("share", pct(*share))],
                Signal::Growth { rate } => vec![("rate", pct(*rate))],
                _ => Vec::new(),
            };
            i18n::format(lang, &format!("accounts.signal.{kind}"), &params)
        })
        .collect();
    parts.join(if lang == Lang::ZhCn { "；" } else { "; " })
}
