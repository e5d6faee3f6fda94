//! The key-account notebook (DOMAIN.md §4, §6, §9): what the owner knows
//! about an account — its background, competitors, projects, dated notes —,
//! its people with their buying roles, every touch (visit, call, …), gifts,
//! and needs. All of it is typed by hand and cannot be imported again.
//!
//! One [`Notebook`] record per key account. Every change is a [`Change`]
//! applied by the pure function [`apply`] to the record as stored, inside one
//! store transaction: a change names the item and the fields it sets, so
//! two edits never lose each other's fields. Nothing is deleted: a removed
//! item is marked and can be restored. Each change is written to the
//! account's timeline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Msg;
use crate::store::Record;
use crate::{Error, Result};

pub mod calendar;
pub mod view;

pub use calendar::{Holiday, LunarDay, Yearly};
pub use view::{BuyingMap, DueItem, NotebookView};

/// Where a contact sits: operational 操作层, management 管理层, decision 决策层.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Operational,
    Management,
    Decision,
}

/// Which department: user 使用部门, technical 技术部门, finance 财务部门.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BuyingFunction")]
pub enum Function {
    User,
    Technical,
    Finance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Attitude {
    Supporter,
    Neutral,
    Opponent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Influence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum TouchKind {
    Visit,
    Call,
    Message,
    Wechat,
    Email,
    Meeting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    #[default]
    Open,
    Won,
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    /// Heard (听到): noted as the customer said it.
    #[default]
    Heard,
    /// Made explicit (明确): the customer agrees this is the need.
    Explicit,
    /// Answered (满足): we met it.
    Answered,
}

/// The account's background (客户背景). Every field is optional (empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Background {
    pub organisation: String,
    /// Departments that use, buy, and support what we sell.
    pub uses: String,
    pub buys: String,
    pub supports: String,
    pub industry: String,
    pub size: String,
    /// Similar products they have installed.
    pub installed_base: String,
}

/// What a contact's personal notes hold (个人资料).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Personal {
    pub hometown: String,
    pub university: String,
    pub sports: String,
    pub food: String,
    pub family: String,
    pub pets: String,
    pub books: String,
    pub holidays: String,
    pub travel: String,
    pub goals: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: u64,
    pub name: String,
    pub title: String,
    pub department: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    #[ts(type = "string | null")]
    pub birthday: Option<NaiveDate>,
    pub lunar_birthday: Option<LunarDay>,
    pub level: Option<Level>,
    pub function: Option<Function>,
    pub attitude: Option<Attitude>,
    pub influence: Option<Influence>,
    #[ts(type = "number | null")]
    pub reports_to: Option<u64>,
    pub cares_about: String,
    pub personal: Personal,
    /// The day they left the customer (kept on record).
    #[ts(type = "string | null")]
    pub left_on: Option<NaiveDate>,
    pub removed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Competitor {
    #[ts(type = "number")]
    pub id: u64,
    pub name: String,
    pub product: String,
    /// The customer's satisfaction with it, 1–5.
    pub satisfaction: Option<u8>,
    /// The competitor's sales rep and that rep's relationship with them.
    pub rep: String,
    pub rep_relationship: String,
    pub removed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Project {
    #[ts(type = "number")]
    pub id: u64,
    pub name: String,
    /// The problem the purchase must solve.
    pub problem: String,
    pub budget: Option<f64>,
    pub timetable: String,
    /// How they buy (tender, approvals, …).
    pub process: String,
    #[ts(type = "number[]")]
    pub decision_makers: Vec<u64>,
    #[ts(type = "number[]")]
    pub influencers: Vec<u64>,
    pub status: ProjectStatus,
    pub removed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Note {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub text: String,
    pub removed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Touch {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub kind: TouchKind,
    #[ts(type = "number[]")]
    #[serde(default)]
    pub contacts: Vec<u64>,
    pub summary: String,
    /// The next step; with `due`, it is also the account's next action.
    #[serde(default)]
    pub next: String,
    #[ts(type = "string | null")]
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// Time spent (hours) and money spent (travel, gifts, entertainment).
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub cost: Option<f64>,
    #[serde(default)]
    pub removed: bool,
}

/// A gift or greeting to a contact, so nothing is repeated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Gift {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "number")]
    pub contact: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub what: String,
    pub cost: Option<f64>,
    pub reaction: String,
    pub removed: bool,
}

/// A need the customer has (DOMAIN.md §9).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Need {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub text: String,
    /// Stated by the customer, or implicit (a complaint, a doubt).
    pub explicit: bool,
    /// Where it came from: a touch of this account, else free text.
    #[ts(type = "number | null")]
    pub touch: Option<u64>,
    pub source: String,
    pub status: NeedStatus,
    pub removed: bool,
}

/// A satisfaction survey (seed 002: the stabilize phase runs them). Each
/// score is 1–5. Surveys are added, never changed: the history is the point.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Survey {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Who answered (a contact of the account).
    #[ts(type = "number | null")]
    pub contact: Option<u64>,
    pub product: u8,
    pub service: u8,
    pub delivery: u8,
    pub price: u8,
    pub overall: u8,
    pub comment: String,
    pub removed: bool,
}

/// The kinds of item a notebook lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Background,
    Competitor,
    Project,
    Note,
    Contact,
    Touch,
    Gift,
    Need,
    Survey,
    Cadence,
}

/// One entry of the account's timeline of edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Edit {
    /// When (RFC 3339, local time).
    pub at: String,
    pub kind: ItemKind,
    #[ts(type = "number")]
    pub item: u64,
    pub action: EditAction,
    /// What the item is called (a contact's name, a touch's summary).
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EditAction {
    Added,
    Changed,
    Removed,
    Restored,
}

/// Everything the owner keeps about one key account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notebook {
    pub customer: u32,
    pub background: Background,
    pub competitors: Vec<Competitor>,
    pub projects: Vec<Project>,
    pub notes: Vec<Note>,
    pub contacts: Vec<Contact>,
    pub touches: Vec<Touch>,
    pub gifts: Vec<Gift>,
    pub needs: Vec<Need>,
    pub surveys: Vec<Survey>,
    /// Days between touches the owner wants; `None`: by the account's type.
    pub cadence_days: Option<u32>,
    pub timeline: Vec<Edit>,
    /// The last item id handed out (ids are unique within a notebook).
    pub last_id: u64,
}

impl Record for Notebook {
    const TREE: &'static str = "customer:notebook";
    const VERSION: u32 = 1;
}

impl Notebook {
    /// How many items the owner has typed into it (contacts, touches,
    /// notes, surveys, …), removed ones included: what a backup's list
    /// shows so the owner can tell which one holds their typing.
    pub fn entries(&self) -> u64 {
        let lists = [
            self.competitors.len(),
            self.projects.len(),
            self.notes.len(),
            self.contacts.len(),
            self.touches.len(),
            self.gifts.len(),
            self.needs.len(),
            self.surveys.len(),
        ];
        lists.iter().sum::<usize>() as u64
    }
}

/// An item to add (id 0) or to save over the one with its id. (A contact is
/// larger than the other items; an `Item` lives for one change, so it is
/// not boxed.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, TS)]
#[serde(tag = "kind", content = "item", rename_all = "snake_case")]
pub enum Item {
    Competitor(Competitor),
    Project(Project),
    Note(Note),
    Contact(Contact),
    Touch(Touch),
    Gift(Gift),
    Need(Need),
    Survey(Survey),
}

/// A change the owner makes to a notebook.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
#[ts(rename = "NotebookChange")]
pub enum Change {
    SetBackground { background: Background },
    Save { item: Item },
    /// Marks an item removed (`removed: true`) or brings it back.
    Remove {
        kind: ItemKind,
        #[ts(type = "number")]
        id: u64,
        removed: bool,
    },
    SetCadence { days: Option<u32> },
}

/// Edits of the same item within this many minutes are one timeline entry
/// (a form saved as the owner types).
const COALESCE_MINUTES: i64 = 10;

/// Applies `change` to the stored notebook of customer `customer` (`None`:
/// nothing kept yet) at `now` (RFC 3339). Returns the notebook and the id of
/// the item the change was about (a new item's id). Errors leave it as it
/// was.
pub fn apply(record: Option<Notebook>, customer: u32, change: &Change, now: &str) -> Result<(Notebook, u64)> {
    let mut nb = record.unwrap_or(Notebook { customer, ..Default::default() });
    let (kind, id, action, label) = match change {
        Change::SetBackground { background } => {
            nb.background = background.clone();
            (ItemKind::Background, 0, EditAction::Changed, String::new())
        }
        Change::SetCadence { days } => {
            if let Some(d) = days.filter(|d| !(1..=366).contains(d)) {
                return Err(Error::Refused(crate::msg!("refused.cadence", days = d)));
            }
            nb.cadence_days = *days;
            (ItemKind::Cadence, 0, EditAction::Changed, days.map(|d| d.to_string()).unwrap_or_default())
        }
        Change::Save { item } => {
            check(&nb, item)?;
            let (kind, label) = (item.kind(), item.label(&nb));
            let (id, action) = nb.save(item.clone());
            (kind, id, action, label)
        }
        Change::Remove { kind, id, removed } => {
            let label = nb.set_removed(*kind, *id, *removed)?;
            (*kind, *id, if *removed { EditAction::Removed } else { EditAction::Restored }, label)
        }
    };
    nb.log(Edit { at: now.to_string(), kind, item: id, action, label });
    Ok((nb, id))
}

/// What an item must satisfy before it is saved.
fn check(nb: &Notebook, item: &Item) -> Result<()> {
    let bad = |m: Msg| Err(Error::Refused(m));
    let known = |id: u64| nb.contacts.iter().any(|c| c.id == id);
    let rating = |r: Option<u8>, what: Msg| match r {
        Some(v) if !(1..=5).contains(&v) => bad(crate::msg!("refused.rating", what = what, value = v)),
        _ => Ok(()),
    };
    let money = |v: Option<f64>, what: Msg| match v {
        Some(v) if !v.is_finite() || v < 0.0 => bad(crate::msg!("refused.amount", what = what, value = v.to_string())),
        _ => Ok(()),
    };
    let existing = |id: u64, found: bool| {
        if id != 0 && !found {
            return bad(crate::msg!("refused.no_item", id = id));
        }
        Ok(())
    };
    match item {
        Item::Contact(c) => {
            existing(c.id, nb.contacts.iter().any(|x| x.id == c.id))?;
            if c.name.trim().is_empty() {
                return bad(crate::msg!("refused.contact_name"));
            }
            if let Some(l) = c.lunar_birthday {
                l.check()?;
            }
            if c.birthday.is_some() && c.lunar_birthday.is_some() {
                return bad(crate::msg!("refused.two_birthdays"));
            }
            if let Some(boss) = c.reports_to {
                if !known(boss) {
                    return bad(crate::msg!("refused.reports_to_unknown", contact = boss));
                }
                // Following reports-to from the boss must not come back.
                let mut at = Some(boss);
                for _ in 0..=nb.contacts.len() {
                    match at {
                        Some(x) if x == c.id && c.id != 0 => return bad(crate::msg!("refused.reports_to_circle")),
                        Some(x) => at = nb.contacts.iter().find(|o| o.id == x).and_then(|o| o.reports_to),
                        None => break,
                    }
                }
            }
        }
        Item::Touch(t) => {
            existing(t.id, nb.touches.iter().any(|x| x.id == t.id))?;
            if t.summary.trim().is_empty() {
                return bad(crate::msg!("refused.touch_summary"));
            }
            if let Some(c) = t.contacts.iter().find(|c| !known(**c)) {
                return bad(crate::msg!("refused.unknown_contact", contact = c.to_string()));
            }
            match t.due {
                Some(due) if due < t.date => return bad(crate::msg!("refused.due_before", due = due, date = t.date)),
                Some(_) if t.next.trim().is_empty() => return bad(crate::msg!("refused.due_without_step")),
                _ => {}
            }
            if let Some(h) = t.hours.filter(|h| !h.is_finite() || *h < 0.0 || *h > 24.0 * 31.0) {
                return bad(crate::msg!("refused.hours", hours = h.to_string()));
            }
            money(t.cost, crate::msg!("what.money_spent"))?;
        }
        Item::Competitor(c) => {
            existing(c.id, nb.competitors.iter().any(|x| x.id == c.id))?;
            if c.name.trim().is_empty() {
                return bad(crate::msg!("refused.competitor_name"));
            }
            rating(c.satisfaction, crate::msg!("what.satisfaction"))?;
        }
        Item::Project(p) => {
            existing(p.id, nb.projects.iter().any(|x| x.id == p.id))?;
            if let Some(c) = p.decision_makers.iter().chain(&p.influencers).find(|c| !known(**c)) {
                return bad(crate::msg!("refused.unknown_contact", contact = c.to_string()));
            }
            money(p.budget, crate::msg!("what.budget"))?;
        }
        Item::Note(n) => {
            existing(n.id, nb.notes.iter().any(|x| x.id == n.id))?;
            if n.text.trim().is_empty() {
                return bad(crate::msg!("refused.note_text"));
            }
        }
        Item::Gift(g) => {
            existing(g.id, nb.gifts.iter().any(|x| x.id == g.id))?;
            if !known(g.contact) {
                return bad(crate::msg!("refused.unknown_contact", contact = g.contact));
            }
            if g.what.trim().is_empty() {
                return bad(crate::msg!("refused.gift_what"));
            }
            money(g.cost, crate::msg!("what.cost"))?;
        }
        Item::Survey(v) => {
            if v.id != 0 {
                return bad(crate::msg!("refused.survey_changed"));
            }
            for (score, what) in [
                (v.product, crate::msg!("what.product_quality")),
                (v.service, crate::msg!("what.service")),
                (v.delivery, crate::msg!("what.delivery")),
                (v.price, crate::msg!("what.price")),
                (v.overall, crate::msg!("what.overall")),
            ] {
                if !(1..=5).contains(&score) {
                    return bad(crate::msg!("refused.rating", what = what, value = score));
                }
            }
            if let Some(c) = v.contact.filter(|c| !known(*c)) {
                return bad(crate::msg!("refused.unknown_contact", contact = c.to_string()));
            }
        }
        Item::Need(n) => {
            existing(n.id, nb.needs.iter().any(|x| x.id == n.id))?;
            if n.text.trim().is_empty() {
                return bad(crate::msg!("refused.need_text"));
            }
            if let Some(t) = n.touch.filter(|t| !nb.touches.iter().any(|x| x.id == *t)) {
                return bad(crate::msg!("refused.unknown_touch", touch = t));
            }
        }
    }
    Ok(())
}

impl Item {
    pub fn kind(&self) -> ItemKind {
        match self {
            Item::Competitor(_) => ItemKind::Competitor,
            Item::Project(_) => ItemKind::Project,
            Item::Note(_) => ItemKind::Note,
            Item::Contact(_) => ItemKind::Contact,
            Item::Touch(_) => ItemKind::Touch,
            Item::Gift(_) => ItemKind::Gift,
            Item::Need(_) => ItemKind::Need,
            Item::Survey(_) => ItemKind::Survey,
        }
    }

    fn label(&self, nb: &Notebook) -> String {
        let short = |s: &str| s.chars().take(60).collect::<String>();
        match self {
            Item::Competitor(c) => c.name.clone(),
            Item::Project(p) => short(if p.name.is_empty() { &p.problem } else { &p.name }),
            Item::Note(n) => short(&n.text),
            Item::Contact(c) => c.name.clone(),
            Item::Touch(t) => short(&t.summary),
            Item::Gift(g) => format!("{} → {}", short(&g.what), nb.contact_name(g.contact)),
            Item::Need(n) => short(&n.text),
            Item::Survey(v) => format!("{} {}/5", v.date, v.overall),
        }
    }
}

/// Sets `item`'s id (a new one for id 0) and puts it in `list`, over the
/// item with its id if there is one.
macro_rules! put {
    ($nb:expr, $list:ident, $item:expr) => {{
        let mut item = $item;
        if item.id == 0 {
            $nb.last_id += 1;
            item.id = $nb.last_id;
            $nb.$list.push(item);
            ($nb.last_id, EditAction::Added)
        } else {
            let id = item.id;
            let slot = $nb.$list.iter_mut().find(|x| x.id == id).expect("checked: the item exists");
            item.removed = slot.removed;
            *slot = item;
            (id, EditAction::Changed)
        }
    }};
}

/// Marks the item `id` of `list` removed or not; returns its label.
macro_rules! mark {
    ($nb:expr, $list:ident, $id:expr, $removed:expr, $label:expr) => {{
        let item = $nb.$list.iter_mut().find(|x| x.id == $id).ok_or_else(|| Error::NotFound(crate::msg!("error.no_item", id = $id)))?;
        item.removed = $removed;
        Ok($label(&*item))
    }};
}

impl Notebook {
    fn save(&mut self, item: Item) -> (u64, EditAction) {
        match item {
            Item::Competitor(x) => put!(self, competitors, x),
            Item::Project(x) => put!(self, projects, x),
            Item::Note(x) => put!(self, notes, x),
            Item::Contact(x) => put!(self, contacts, x),
            Item::Touch(x) => put!(self, touches, x),
            Item::Gift(x) => put!(self, gifts, x),
            Item::Need(x) => put!(self, needs, x),
            Item::Survey(x) => put!(self, surveys, x),
        }
    }

    fn set_removed(&mut self, kind: ItemKind, id: u64, removed: bool) -> Result<String> {
        match kind {
            ItemKind::Competitor => mark!(self, competitors, id, removed, |x: &Competitor| x.name.clone()),
            ItemKind::Project => mark!(self, projects, id, removed, |x: &Project| x.name.clone()),
            ItemKind::Note => mark!(self, notes, id, removed, |x: &Note| x.text.chars().take(60).collect()),
            ItemKind::Contact => mark!(self, contacts, id, removed, |x: &Contact| x.name.clone()),
            ItemKind::Touch => mark!(self, touches, id, removed, |x: &Touch| x.summary.chars().take(60).collect()),
            ItemKind::Gift => mark!(self, gifts, id, removed, |x: &Gift| x.what.clone()),
            ItemKind::Need => mark!(self, needs, id, removed, |x: &Need| x.text.chars().take(60).collect()),
            ItemKind::Survey => mark!(self, surveys, id, removed, |x: &Survey| format!("{} {}/5", x.date, x.overall)),
            ItemKind::Background | ItemKind::Cadence => Err(Error::Refused(crate::msg!("refused.remove_fixed"))),
        }
    }

    /// Adds `edit` to the timeline; a change of the item last changed, within
    /// a few minutes, updates that entry instead.
    fn log(&mut self, edit: Edit) {
        if let Some(last) = self.timeline.last_mut() {
            let recent = match (chrono::DateTime::parse_from_rfc3339(&last.at), chrono::DateTime::parse_from_rfc3339(&edit.at)) {
                (Ok(a), Ok(b)) => (b - a).num_minutes() < COALESCE_MINUTES,
                _ => false,
            };
            let same = last.kind == edit.kind && last.item == edit.item;
            if recent && same && edit.action == EditAction::Changed && matches!(last.action, EditAction::Changed | EditAction::Added) {
                last.at = edit.at;
                last.label = edit.label;
                return;
            }
        }
        self.timeline.push(edit);
    }

    pub fn contact_name(&self, id: u64) -> String {
        self.contacts.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_else(|| format!("#{id}"))
    }

    /// Contacts on record (not removed), including those who left.
    pub fn live_contacts(&self) -> impl Iterator<Item = &Contact> {
        self.contacts.iter().filter(|c| !c.removed)
    }

    /// Touches not removed.
    pub fn live_touches(&self) -> impl Iterator<Item = &Touch> {
        self.touches.iter().filter(|t| !t.removed)
    }

    /// The latest touch's date.
    pub fn last_touch(&self) -> Option<NaiveDate> {
        self.live_touches().map(|t| t.date).max()
    }
}

/// Now in the owner's time zone, as the timeline records it.
pub fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests;
