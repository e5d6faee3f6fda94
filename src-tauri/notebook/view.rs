//! The notebook as the account page and the CLI show it: the buying map,
//! the touch cadence, and what is due (actions, touches, birthdays,
//! holidays).

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::calendar::{self, Holiday, Yearly};
use super::{Attitude, Background, Competitor, Contact, Edit, Function, Gift, Level, Need, Note, Notebook, Project, Survey, Touch};
use crate::accounts::{Account, AccountType, Phase};
use crate::model::{Customer, Lang};

/// Days between touches when the owner has not set a cadence: economic
/// accounts buy often and are courted by competitors, the others less so.
pub fn default_cadence(t: Option<AccountType>) -> u32 {
    match t {
        Some(AccountType::Economic) => 14,
        _ => 30,
    }
}

/// One cell of the buying map: a level × a function, and who fills it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MapCell {
    pub level: Level,
    pub function: Function,
    #[ts(type = "number[]")]
    pub contacts: Vec<u64>,
    /// The best attitude among them (a supporter anywhere makes it green).
    pub attitude: Option<Attitude>,
}

/// A cell nobody fills, and what that role weighs when they buy.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MapGap {
    pub level: Level,
    pub function: Function,
}

/// The 3×3 buying map (DOMAIN.md §4): levels × functions.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BuyingMap {
    pub cells: Vec<MapCell>,
    pub missing: Vec<MapGap>,
    /// A decision-level supporter is on record (who has not left).
    pub decision_supporter: bool,
}

/// The buying map of the contacts still with the customer.
pub fn buying_map(contacts: &[&Contact]) -> BuyingMap {
    let levels = [Level::Decision, Level::Management, Level::Operational];
    let functions = [Function::User, Function::Technical, Function::Finance];
    let mut cells = Vec::new();
    let mut missing = Vec::new();
    for level in levels {
        for function in functions {
            let here: Vec<&&Contact> = contacts.iter().filter(|c| c.level == Some(level) && c.function == Some(function)).collect();
            let attitude = [Attitude::Supporter, Attitude::Neutral, Attitude::Opponent].into_iter().find(|a| here.iter().any(|c| c.attitude == Some(*a)));
            if here.is_empty() {
                missing.push(MapGap { level, function });
            }
            cells.push(MapCell { level, function, contacts: here.iter().map(|c| c.id).collect(), attitude });
        }
    }
    let decision_supporter = contacts.iter().any(|c| c.level == Some(Level::Decision) && c.attitude == Some(Attitude::Supporter));
    BuyingMap { cells, missing, decision_supporter }
}

/// A contact as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContactView {
    #[serde(flatten)]
    pub contact: Contact,
    #[ts(type = "string | null")]
    pub last_touch: Option<NaiveDate>,
    /// The next birthday, lunar ones turned into a solar date.
    #[ts(type = "string | null")]
    pub next_birthday: Option<NaiveDate>,
}

/// `vitalfew contacts ACCOUNT --json`: these field names are an interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactSummary {
    pub id: u64,
    pub name: String,
    pub title: String,
    pub level: Option<Level>,
    pub function: Option<Function>,
    pub attitude: Option<Attitude>,
    pub influence: Option<super::Influence>,
    pub birthday: Option<NaiveDate>,
    /// `MM-DD`.
    pub lunar_birthday: Option<String>,
    pub reports_to: Option<u64>,
    pub left_on: Option<NaiveDate>,
    pub last_touch: Option<NaiveDate>,
}

impl From<&ContactView> for ContactSummary {
    fn from(v: &ContactView) -> ContactSummary {
        let c = &v.contact;
        ContactSummary {
            id: c.id,
            name: c.name.clone(),
            title: c.title.clone(),
            level: c.level,
            function: c.function,
            attitude: c.attitude,
            influence: c.influence,
            birthday: c.birthday,
            lunar_birthday: c.lunar_birthday.map(|l| format!("{:02}-{:02}", l.month, l.day)),
            reports_to: c.reports_to,
            left_on: c.left_on,
            last_touch: v.last_touch,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountHead {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: Option<AccountType>,
    pub phase: Phase,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dossier {
    pub background: Background,
    pub competitors: Vec<Competitor>,
    pub projects: Vec<Project>,
    /// Newest first.
    pub notes: Vec<Note>,
}

/// Everything the account page shows of the notebook. Removed items are
/// left out, except in `removed` (for the owner to bring back).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NotebookView {
    pub account: AccountHead,
    pub dossier: Dossier,
    /// Current contacts first (by level, decision first), then those who left.
    pub contacts: Vec<ContactView>,
    pub buying_map: BuyingMap,
    /// Newest first.
    pub touches: Vec<Touch>,
    pub gifts: Vec<Gift>,
    pub needs: Vec<Need>,
    /// The cadence in force, and whether the owner set it.
    pub cadence_days: u32,
    pub cadence_set: bool,
    #[ts(type = "string | null")]
    pub last_touch: Option<NaiveDate>,
    /// The day the next touch is due.
    #[ts(type = "string")]
    pub touch_due: NaiveDate,
    /// Days past `touch_due` (0 when not overdue).
    #[ts(type = "number")]
    pub overdue_days: i64,
    /// Satisfaction surveys, oldest first, and the loyalty they show.
    pub surveys: Vec<Survey>,
    pub loyalty: Loyalty,
    /// Hours and money logged on touches and gifts.
    pub hours: f64,
    pub spent: f64,
    /// Newest first.
    pub timeline: Vec<Edit>,
    /// Items removed, newest change first: each can be brought back.
    pub removed: Vec<Edit>,
    /// On a team: fields two members set while apart (left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Conflict>>", optional)]
    pub conflicts: Vec<Conflict>,
}

/// A field two team members set while apart: the value every PC shows and
/// the other one, with who set each, so nobody's typing disappears unseen.
/// Setting the field again settles it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Conflict {
    /// What holds the field: a contact's name, a touch's summary, the part
    /// of the page (`background`), or the account's name.
    pub item: String,
    /// The field as stored (`phone`, `phase`).
    pub field: String,
    pub shown: String,
    pub shown_by: String,
    pub other: String,
    pub other_by: String,
    /// When the other member last changed that item (RFC 3339), when known.
    pub other_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LoyaltyStatus {
    Loyal,
    Ordinary,
    AtRisk,
    Lost,
}

/// Why an account has its loyalty status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoyaltyReason {
    /// No purchase in the last 12 months.
    NoPurchase,
    NoSurvey,
    /// The latest overall score is 1 or 2.
    LowScore { overall: u8 },
    /// The overall score fell from one survey to the next.
    Dropped { from: u8, to: u8 },
    /// The latest overall score is 4 or 5.
    HighScore { overall: u8 },
    /// The latest overall score is 3.
    Middling { overall: u8 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Loyalty {
    pub status: LoyaltyStatus,
    pub reason: LoyaltyReason,
}

/// The loyalty of an account from its surveys (oldest first) and whether it
/// bought in the last 12 months (`None`: its sales carry no dates).
pub fn loyalty(surveys: &[&Survey], bought_last_year: Option<bool>) -> Loyalty {
    use LoyaltyReason as R;
    use LoyaltyStatus as S;
    let l = |status, reason| Loyalty { status, reason };
    if bought_last_year == Some(false) {
        return l(S::Lost, R::NoPurchase);
    }
    let Some(latest) = surveys.last() else { return l(S::Ordinary, R::NoSurvey) };
    let previous = surveys.len().checked_sub(2).map(|i| surveys[i]);
    match (latest.overall, previous) {
        (o @ ..=2, _) => l(S::AtRisk, R::LowScore { overall: o }),
        (o, Some(p)) if o < p.overall => l(S::AtRisk, R::Dropped { from: p.overall, to: o }),
        (o @ 4.., _) => l(S::Loyal, R::HighScore { overall: o }),
        (o, _) => l(S::Ordinary, R::Middling { overall: o }),
    }
}

/// The day the next touch is due: the last touch (else the day the account
/// was promoted) plus the cadence.
pub fn touch_due(nb: &Notebook, account: &Account, cadence: u32) -> NaiveDate {
    let start = nb.last_touch().unwrap_or_else(|| promoted_on(account));
    start + Duration::days(i64::from(cadence))
}

fn promoted_on(account: &Account) -> NaiveDate {
    account
        .history
        .iter()
        .rev()
        .find_map(|e| match e {
            crate::accounts::Event::Promoted { at, .. } => Some(*at),
            _ => None,
        })
        .unwrap_or(account.since)
}

/// The notebook of `account` (whose customer is `customer`) on `today`;
/// `bought_last_year` as for [`loyalty`].
pub fn view(nb: &Notebook, account: &Account, customer: &Customer, today: NaiveDate, bought_last_year: Option<bool>) -> NotebookView {
    let cadence = nb.cadence_days.unwrap_or_else(|| default_cadence(account.account_type));
    let due = touch_due(nb, account, cadence);
    let mut contacts: Vec<ContactView> = nb
        .live_contacts()
        .map(|c| ContactView {
            contact: c.clone(),
            last_touch: nb.live_touches().filter(|t| t.contacts.contains(&c.id)).map(|t| t.date).max(),
            next_birthday: birthday(c).and_then(|b| b.next_on_or_after(today)),
        })
        .collect();
    contacts.sort_by_key(|v| (v.contact.left_on.is_some(), std::cmp::Reverse(v.contact.level), v.contact.id));
    let present: Vec<&Contact> = nb.live_contacts().filter(|c| c.left_on.is_none()).collect();
    let mut touches: Vec<Touch> = nb.live_touches().cloned().collect();
    touches.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    let mut notes: Vec<Note> = nb.notes.iter().filter(|n| !n.removed).cloned().collect();
    notes.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    let live_gifts = nb.gifts.iter().filter(|g| !g.removed);
    // `+ 0.0`: an empty sum of floats is -0.0, shown as "-¥0.00".
    let hours = nb.live_touches().filter_map(|t| t.hours).sum::<f64>() + 0.0;
    let spent = nb.live_touches().filter_map(|t| t.cost).chain(live_gifts.clone().filter_map(|g| g.cost)).sum::<f64>() + 0.0;
    let is_removed = |e: &Edit| nb.is_removed(e.kind, e.item);
    let mut surveys: Vec<&Survey> = nb.surveys.iter().filter(|v| !v.removed).collect();
    surveys.sort_by_key(|v| (v.date, v.id));
    let mut removed: Vec<Edit> = nb.timeline.iter().rev().filter(|e| e.action == super::EditAction::Removed && is_removed(e)).cloned().collect();
    removed.dedup_by_key(|e| (e.kind, e.item));
    NotebookView {
        account: AccountHead {
            id: customer.id,
            ext_id: customer.ext_id.clone(),
            name: customer.name.clone(),
            account_type: account.account_type,
            phase: account.phase,
        },
        dossier: Dossier {
            background: nb.background.clone(),
            competitors: nb.competitors.iter().filter(|c| !c.removed).cloned().collect(),
            projects: nb.projects.iter().filter(|p| !p.removed).cloned().collect(),
            notes,
        },
        contacts,
        buying_map: buying_map(&present),
        touches,
        gifts: live_gifts.cloned().collect(),
        needs: nb.needs.iter().filter(|n| !n.removed).cloned().collect(),
        loyalty: loyalty(&surveys, bought_last_year),
        surveys: surveys.into_iter().cloned().collect(),
        cadence_days: cadence,
        cadence_set: nb.cadence_days.is_some(),
        last_touch: nb.last_touch(),
        touch_due: due,
        overdue_days: (today - due).num_days().max(0),
        hours,
        spent,
        timeline: nb.timeline.iter().rev().cloned().collect(),
        removed,
        conflicts: Vec::new(),
    }
}

impl Notebook {
    fn is_removed(&self, kind: super::ItemKind, id: u64) -> bool {
        use super::ItemKind::*;
        match kind {
            Competitor => self.competitors.iter().any(|x| x.id == id && x.removed),
            Project => self.projects.iter().any(|x| x.id == id && x.removed),
            Note => self.notes.iter().any(|x| x.id == id && x.removed),
            Contact => self.contacts.iter().any(|x| x.id == id && x.removed),
            Touch => self.touches.iter().any(|x| x.id == id && x.removed),
            Gift => self.gifts.iter().any(|x| x.id == id && x.removed),
            Need => self.needs.iter().any(|x| x.id == id && x.removed),
            Survey => self.surveys.iter().any(|x| x.id == id && x.removed),
            Background | Cadence => false,
        }
    }
}

fn birthday(c: &Contact) -> Option<Yearly> {
    match (c.birthday, c.lunar_birthday) {
        (Some(d), _) => Some(Yearly::Solar { month: chrono::Datelike::month(&d), day: chrono::Datelike::day(&d) }),
        (None, Some(l)) => Some(Yearly::Lunar { month: l.month, day: l.day }),
        (None, None) => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    Action,
    Touch,
    Birthday,
    Holiday,
}

/// Something due on a day: an action, a touch, a birthday, a holiday.
/// `vitalfew due --json` gives these field names (an interface).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DueItem {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub kind: DueKind,
    /// The key account (customer id); none for a holiday.
    pub account: Option<u32>,
    #[ts(type = "number | null")]
    pub contact: Option<u64>,
    /// What it is: the action, "touch (every 14 days)", the contact's name,
    /// the holiday's name.
    pub text: String,
    /// The account's name (empty for a holiday).
    pub account_name: String,
    /// For an action, its id (to tick it off).
    #[ts(type = "number | null")]
    pub action: Option<u32>,
    /// Days it is late (0 when it is not).
    #[ts(type = "number")]
    pub overdue_days: i64,
    /// On a team, whose it is: who added the action, else who last touched
    /// the account (This week's "mine"). Left out when no one's.
    #[serde(skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub by: String,
}

/// A key account with its notebook and customer, as [`due`] reads them.
pub struct Kept<'a> {
    pub account: &'a Account,
    pub customer: &'a Customer,
    pub notebook: Option<&'a Notebook>,
}

/// What is due from `from` through `from + days`, by date: open actions and
/// touches due in that time (and earlier ones still open: they are late),
/// birthdays of current contacts, and holidays — a holiday shows from its
/// notice days before it.
pub fn due(accounts: &[Kept<'_>], holidays: &[Holiday], from: NaiveDate, days: u32, lang: Lang) -> Vec<DueItem> {
    let to = from + Duration::days(i64::from(days));
    let late = |date: NaiveDate| (from - date).num_days().max(0);
    let mut out = Vec::new();
    for k in accounts.iter().filter(|k| k.account.active) {
        let empty = Notebook::default();
        let nb = k.notebook.unwrap_or(&empty);
        let keeper = nb.live_touches().max_by_key(|t| t.date).map(|t| t.by.clone()).unwrap_or_default();
        let base = |date, kind, contact, text: String, action| DueItem {
            date,
            kind,
            account: Some(k.customer.id),
            contact,
            text,
            account_name: k.customer.name.clone(),
            action,
            overdue_days: late(date),
            by: keeper.clone(),
        };
        for a in k.account.actions.iter().filter(|a| a.done.is_none() && a.due <= to) {
            let item = base(a.due, DueKind::Action, None, a.text.clone(), Some(a.id));
            out.push(if a.by.is_empty() { item } else { DueItem { by: a.by.clone(), ..item } });
        }
        let cadence = nb.cadence_days.unwrap_or_else(|| default_cadence(k.account.account_type));
        let touch = touch_due(nb, k.account, cadence);
        if touch <= to {
            let text = match nb.last_touch() {
                Some(last) => format!("last touch {last}, every {cadence} days"),
                None => format!("no touch logged yet, every {cadence} days"),
            };
            out.push(base(touch, DueKind::Touch, None, text, None));
        }
        for c in nb.live_contacts().filter(|c| c.left_on.is_none()) {
            if let Some(date) = birthday(c).and_then(|b| b.next_on_or_after(from)).filter(|d| *d <= to) {
                out.push(base(date, DueKind::Birthday, Some(c.id), c.name.clone(), None));
            }
        }
    }
    for h in holidays {
        let last_shown = from + Duration::days(i64::from(h.notice_days.max(days)));
        if let Some(date) = h.date.next_on_or_after(from).filter(|d| *d <= last_shown) {
            out.push(DueItem {
                date,
                kind: DueKind::Holiday,
                account: None,
                contact: None,
                text: calendar::holiday_name(h, lang),
                account_name: String::new(),
                action: None,
                overdue_days: 0,
                by: String::new(),
            });
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.account_name.cmp(&b.account_name)).then(a.text.cmp(&b.text)));
    out
}
