//! Key accounts: which customers are key accounts, what type each is (four
//! types, DOMAIN.md §2) and where each relationship stands (three phases
//! with checklists, a cycle that can fall back to the first, §3), plus the
//! owner's next actions.
//!
//! Everything here is a pure function over an [`Account`] record; the store
//! runs each change inside one transaction. The history is append-only:
//! changes add events, nothing rewrites one.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::{Dataset, KeyAccounts, Measure};
pub use crate::model::AccountType;
use crate::model::{Author, Customer};
use crate::store::{Key, Record, Store};
use crate::{Error, Result};

pub mod suggest;
pub mod view;

pub use suggest::{Candidate, CandidateReason, Metrics, Signal, Suggestion};
pub use view::{AccountSummary, AccountView};

/// The key accounts among `accounts` (demoted ones left out), as the
/// analysis filters by them.
pub fn key_accounts(accounts: &[Account]) -> KeyAccounts {
    accounts.iter().filter(|a| a.active).map(|a| (a.customer, a.account_type)).collect()
}

/// The three relationship phases (大客户营销的三个阶段), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 建立关系: choose the account, build trust.
    Establish,
    /// 稳定关系: deliver, serve, survey satisfaction, handle complaints.
    Stabilize,
    /// 加强关系: long-term agreements, added value, partnership.
    Strengthen,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::Establish, Phase::Stabilize, Phase::Strengthen];

    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Establish => Some(Phase::Stabilize),
            Phase::Stabilize => Some(Phase::Strengthen),
            Phase::Strengthen => None,
        }
    }

    /// This phase's checklist.
    pub fn checklist(self) -> impl Iterator<Item = CheckItem> {
        CheckItem::ALL.into_iter().filter(move |i| i.phase() == self)
    }

    /// The phase's name as the window shows it (`phase.*`).
    pub fn label(self) -> crate::i18n::Msg {
        crate::i18n::Msg::new(&format!("phase.{}", self.name()))
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Establish => "establish",
            Phase::Stabilize => "stabilize",
            Phase::Strengthen => "strengthen",
        }
    }
}

/// One point of a phase's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckItem {
    // Establish: is it really our key account, and what can we bring?
    ProductFit,
    CentralPurchasing,
    /// Filled in from the sales data when the owner has not answered.
    BuysContinuously,
    ScaleMatch,
    KnowIndustry,
    // Stabilize
    DeliveryService,
    SatisfactionSurvey,
    ComplaintsHandled,
    RegularVisits,
    // Strengthen
    LongTermAgreement,
    AddedValueServices,
    TopManagementContact,
    CoDevelopment,
    CustomerEvents,
}

impl CheckItem {
    pub const ALL: [CheckItem; 14] = [
        CheckItem::ProductFit,
        CheckItem::CentralPurchasing,
        CheckItem::BuysContinuously,
        CheckItem::ScaleMatch,
        CheckItem::KnowIndustry,
        CheckItem::DeliveryService,
        CheckItem::SatisfactionSurvey,
        CheckItem::ComplaintsHandled,
        CheckItem::RegularVisits,
        CheckItem::LongTermAgreement,
        CheckItem::AddedValueServices,
        CheckItem::TopManagementContact,
        CheckItem::CoDevelopment,
        CheckItem::CustomerEvents,
    ];

    pub fn phase(self) -> Phase {
        use CheckItem::*;
        match self {
            ProductFit | CentralPurchasing | BuysContinuously | ScaleMatch | KnowIndustry => Phase::Establish,
            DeliveryService | SatisfactionSurvey | ComplaintsHandled | RegularVisits => Phase::Stabilize,
            LongTermAgreement | AddedValueServices | TopManagementContact | CoDevelopment | CustomerEvents => Phase::Strengthen,
        }
    }
}

/// Why a relationship fell back. Serialized as one string: the code of a
/// listed reason, or the owner's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(into = "String", from = "String")]
#[ts(type = "string")]
pub enum Reason {
    MarketChange,
    /// 人事变动 on the customer's side.
    TheirPersonnel,
    /// 人事变动 on ours.
    OurPersonnel,
    Other(String),
}

impl Reason {
    pub const CODES: [&'static str; 3] = ["market_change", "their_personnel", "our_personnel"];

    /// A listed reason by its code (`market_change`, `market-change`…),
    /// else the text itself as "other". Empty text is no reason.
    pub fn parse(text: &str) -> Option<Reason> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        Some(match text.to_ascii_lowercase().replace('-', "_").as_str() {
            "market_change" => Reason::MarketChange,
            "their_personnel" => Reason::TheirPersonnel,
            "our_personnel" => Reason::OurPersonnel,
            _ => Reason::Other(text.to_string()),
        })
    }
}

impl From<Reason> for String {
    fn from(r: Reason) -> String {
        r.to_string()
    }
}

impl From<String> for Reason {
    fn from(s: String) -> Reason {
        Reason::parse(&s).unwrap_or(Reason::Other(s))
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::MarketChange => Reason::CODES[0],
            Reason::TheirPersonnel => Reason::CODES[1],
            Reason::OurPersonnel => Reason::CODES[2],
            Reason::Other(text) => text,
        })
    }
}

/// The owner's answers to the type questionnaire (built on the A/B/C inquiry
/// case of the seeds) and the flags only the owner can set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Answers {
    /// They ask for the lowest price and decide fast (case A).
    pub asked_price: bool,
    /// They ask about service, installation and maintenance guidance (case B).
    pub asked_service: bool,
    /// They ask about cooperation, outsourcing, resource sharing, top-management coordination (case C).
    pub asked_cooperation: bool,
    /// Party/government, military, police/courts, culture, education, health, news.
    pub special_status: bool,
    /// Tied to us in the industry or value chain; they use our products.
    pub value_chain_tie: bool,
    /// The owner sees growth potential that competitors will go after.
    pub potential: bool,
}

/// A dated to-do for an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Action {
    pub id: u32,
    pub text: String,
    #[ts(type = "string")]
    pub due: NaiveDate,
    #[ts(type = "string | null")]
    pub done: Option<NaiveDate>,
    /// The team member who added it (empty for a solo owner's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub by: String,
}

/// One entry of an account's timeline. Entries are only ever appended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// Became a key account (again); the relationship starts at establish.
    Promoted {
        #[ts(type = "string")]
        at: NaiveDate,
        /// Checklist points that were ticked before and start over.
        cleared: Vec<CheckItem>,
        /// The team member who made it (empty for a solo owner's).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        #[ts(as = "Option<String>", optional)]
        by: String,
    },
    Demoted {
        #[ts(type = "string")]
        at: NaiveDate,
        /// The team member who made it (empty for a solo owner's).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        #[ts(as = "Option<String>", optional)]
        by: String,
    },
    TypeSet {
        #[ts(type = "string")]
        at: NaiveDate,
        account_type: AccountType,
        /// What the app suggested at that moment.
        suggested: Option<AccountType>,
        /// The team member who made it (empty for a solo owner's).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        #[ts(as = "Option<String>", optional)]
        by: String,
    },
    Moved {
        #[ts(type = "string")]
        at: NaiveDate,
        from: Phase,
        phase: Phase,
        reason: Option<Reason>,
        note: Option<String>,
        /// Checklist points of the phases started over by a fallback.
        cleared: Vec<CheckItem>,
        /// The team member who made it (empty for a solo owner's).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        #[ts(as = "Option<String>", optional)]
        by: String,
    },
    ActionDone {
        #[ts(type = "string")]
        at: NaiveDate,
        text: String,
        /// The team member who made it (empty for a solo owner's).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        #[ts(as = "Option<String>", optional)]
        by: String,
    },
}

/// A key account as stored (one per customer that was ever promoted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub customer: u32,
    /// False once demoted; the record and its history are kept.
    pub active: bool,
    pub phase: Phase,
    /// When the current phase began.
    pub since: NaiveDate,
    /// The type the owner confirmed.
    pub account_type: Option<AccountType>,
    #[serde(default)]
    pub answers: Answers,
    /// The owner's ticks; points not in the map are open (or, for
    /// [`CheckItem::BuysContinuously`], read from the sales data).
    #[serde(default)]
    pub checklist: BTreeMap<CheckItem, bool>,
    #[serde(default)]
    pub actions: Vec<Action>,
    pub history: Vec<Event>,
}

/// Longest note, reason or action text kept.
pub const MAX_TEXT: usize = 2000;

/// Key-account records live in the store keyed by their customer.
impl Record for Account {
    const TREE: &'static str = "customer:accounts";
    const VERSION: u32 = 1;
}

/// A change the owner makes to an account. Applied by [`apply`], inside the
/// store's transaction.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Change {
    Promote,
    Demote,
    SetAnswers { answers: Answers },
    SetType { account_type: AccountType, suggested: Option<AccountType> },
    Tick { item: CheckItem, done: bool },
    Move {
        phase: Phase,
        /// Defaults to today.
        #[ts(optional, type = "string")]
        at: Option<NaiveDate>,
        #[ts(optional)]
        reason: Option<Reason>,
        #[ts(optional)]
        note: Option<String>,
    },
    AddAction {
        text: String,
        #[ts(type = "string")]
        due: NaiveDate,
    },
    SetActionDone { action: u32, done: bool },
}

/// Applies `change` to the stored record of customer `customer` (`None`: never
/// promoted), on day `today`. Errors leave the record as it was.
pub fn apply(record: Option<Account>, customer: u32, change: &Change, today: NaiveDate) -> Result<Account> {
    apply_by(record, customer, change, today, &Author::default())
}

/// [`apply`] made by `author`: a new action gets an id in the author's lane
/// and carries their name.
pub fn apply_by(record: Option<Account>, customer: u32, change: &Change, today: NaiveDate, author: &Author) -> Result<Account> {
    let Some(mut acc) = record else {
        return match change {
            Change::Promote => Ok(Account {
                customer,
                active: true,
                phase: Phase::Establish,
                since: today,
                account_type: None,
                answers: Answers::default(),
                checklist: BTreeMap::new(),
                actions: Vec::new(),
                history: vec![Event::Promoted { at: today, cleared: Vec::new(), by: author.name.clone() }],
            }),
            _ => Err(not_key(customer)),
        };
    };
    match change {
        Change::Promote => {
            if acc.active {
                return Err(Error::Refused(crate::msg!("refused.already_key", customer = customer)));
            }
            let cleared = acc.restart_from(Phase::Establish);
            acc.active = true;
            acc.phase = Phase::Establish;
            acc.since = today;
            acc.history.push(Event::Promoted { at: today, cleared, by: author.name.clone() });
            return Ok(acc);
        }
        _ if !acc.active => return Err(not_key(customer)),
        Change::Demote => {
            acc.active = false;
            acc.history.push(Event::Demoted { at: today, by: author.name.clone() });
        }
        Change::SetAnswers { answers } => acc.answers = *answers,
        Change::SetType { account_type, suggested } => {
            acc.account_type = Some(*account_type);
            acc.history.push(Event::TypeSet { at: today, account_type: *account_type, suggested: *suggested, by: author.name.clone() });
        }
        Change::Tick { item, done } => {
            acc.checklist.insert(*item, *done);
        }
        Change::Move { phase, at, reason, note } => acc.move_to(*phase, at.unwrap_or(today), reason.clone(), note.as_deref(), today, &author.name)?,
        Change::AddAction { text, due } => {
            let text = clean_text(text, crate::msg!("what.action"))?.ok_or_else(|| Error::Refused(crate::msg!("refused.action_text")))?;
            let max = acc.actions.iter().map(|a| a.id).max().unwrap_or(0);
            let id = u32::try_from(author.next_id(max.into())).map_err(|_| Error::Refused(crate::msg!("refused.no_more_ids")))?;
            acc.actions.push(Action { id, text, due: *due, done: None, by: author.name.clone() });
        }
        Change::SetActionDone { action, done } => {
            let a = acc
                .actions
                .iter_mut()
                .find(|a| a.id == *action)
                .ok_or_else(|| Error::NotFound(crate::msg!("error.no_action", customer = customer, action = *action)))?;
            if *done && a.done.is_none() {
                a.done = Some(today);
                let text = a.text.clone();
                acc.history.push(Event::ActionDone { at: today, text, by: author.name.clone() });
            } else if !*done {
                a.done = None;
            }
        }
    }
    Ok(acc)
}

fn not_key(customer: u32) -> Error {
    Error::Refused(crate::msg!("refused.not_key_promote", customer = customer))
}

/// Trims `text`; `None` when empty; refused when too long.
fn clean_text(text: &str, what: crate::i18n::Msg) -> Result<Option<String>> {
    let text = text.trim();
    if text.chars().count() > MAX_TEXT {
        return Err(Error::Refused(crate::msg!("refused.too_long", what = what, max = MAX_TEXT)));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

impl Account {
    /// Moves the actions' ids into `lane`, as [`crate::notebook::Notebook::into_lane`]
    /// does the notebook's; refused when an id does not fit.
    pub fn into_lane(&mut self, lane: u8) -> Result<()> {
        for a in &mut self.actions {
            a.id = a.id.checked_mul(256).map(|id| id | u32::from(lane)).ok_or_else(|| Error::Refused(crate::msg!("refused.no_more_ids")))?;
        }
        Ok(())
    }

    fn move_to(&mut self, phase: Phase, at: NaiveDate, reason: Option<Reason>, note: Option<&str>, today: NaiveDate, by: &str) -> Result<()> {
        let from = self.phase;
        if phase == from {
            return Err(Error::Refused(crate::msg!("refused.same_phase", phase = phase.label())));
        }
        if at > today {
            return Err(Error::Refused(crate::msg!("refused.move_future", at = at)));
        }
        if at < self.since {
            return Err(Error::Refused(crate::msg!("refused.move_before", since = self.since, at = at)));
        }
        let reason = match reason {
            Some(Reason::Other(text)) => clean_text(&text, crate::msg!("what.reason"))?.map(Reason::Other),
            r => r,
        };
        if phase < from && reason.is_none() {
            return Err(Error::Refused(crate::msg!("refused.fallback_reason", from = from.label(), to = phase.label())));
        }
        let note = match note {
            Some(n) => clean_text(n, crate::msg!("what.note"))?,
            None => None,
        };
        let cleared = if phase < from { self.restart_from(phase) } else { Vec::new() };
        self.phase = phase;
        self.since = at;
        self.history.push(Event::Moved { at, from, phase, reason, note, cleared, by: by.to_string() });
        Ok(())
    }

    /// Starts the checklists of `phase` and later phases over; returns the
    /// points that were ticked (the history keeps them).
    fn restart_from(&mut self, phase: Phase) -> Vec<CheckItem> {
        let cleared: Vec<CheckItem> = self.checklist.iter().filter(|(i, done)| **done && i.phase() >= phase).map(|(i, _)| *i).collect();
        self.checklist.retain(|i, _| i.phase() < phase);
        cleared
    }

    /// The earliest open action.
    pub fn next_action(&self) -> Option<&Action> {
        self.actions.iter().filter(|a| a.done.is_none()).min_by_key(|a| (a.due, a.id))
    }
}

/// Today in the owner's time zone.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The customer `key` names: its id as `vitalfew customers` shows it, else
/// its ID in the owner's own books.
pub fn find_customer<'a>(customers: &'a [Customer], key: &str) -> Result<&'a Customer> {
    let key = key.trim();
    let by_id = key.parse::<u32>().ok().and_then(|id| customers.iter().find(|c| c.id == id));
    by_id
        .or_else(|| customers.iter().find(|c| c.ext_id.as_deref() == Some(key)))
        .ok_or_else(|| Error::NotFound(crate::msg!("error.no_customer", id = key)))
}

/// Applies `change` to customer `id`'s account: one store transaction.
pub fn change(store: &Store, id: u32, change: &Change, author: &Author) -> Result<Account> {
    let today = today();
    store.update(Key::Customer(id), |old| apply_by(old, id, change, today, author))
}

/// What the Key accounts page shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Overview {
    pub accounts: Vec<AccountView>,
    /// Demoted accounts (their history is kept).
    pub former: Vec<AccountView>,
    pub candidates: Vec<Candidate>,
    /// All candidates, of which the first [`suggest::MAX_CANDIDATES`] are listed.
    #[ts(type = "number")]
    pub candidates_total: u64,
    /// The latest dated sale: the data's "now".
    #[ts(type = "string | null")]
    pub as_of: Option<NaiveDate>,
    /// What the accounts' figures are of: profit, or revenue when the files
    /// have no profit (the page shows revenue then, and says why).
    pub measure: Measure,
}

pub fn overview(data: &Dataset, metrics: &Metrics, accounts: &[Account], today: NaiveDate) -> Overview {
    let (candidates, total) = suggest::candidates(data, metrics, |id| data.keys.contains_key(&id));
    let (active, former) = view::views(accounts, &data.customers, metrics, today, true).into_iter().partition(|v| v.active);
    Overview {
        accounts: active,
        former,
        candidates,
        candidates_total: total as u64,
        as_of: metrics.as_of,
        measure: data.measure(),
    }
}

#[cfg(test)]
mod tests;
