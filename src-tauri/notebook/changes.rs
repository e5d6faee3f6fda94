//! A change to a notebook ([`Change`], with the [`Item`] it saves): what it
//! must satisfy, how [`apply`] makes it, and the timeline entry ([`Edit`]) it
//! leaves.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Background, Competitor, Contact, Gift, ItemKind, Need, Note, Notebook, Project, Survey, Touch};
use crate::i18n::Msg;
use crate::model::Author;
use crate::{Error, Result};

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
    /// The team member who made it (empty for a solo owner's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EditAction {
    Added,
    Changed,
    Removed,
    Restored,
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

/// Edits of the same item by the same person within this many minutes are one timeline entry
/// (a form saved as the owner types).
const COALESCE_MINUTES: i64 = 10;

/// Applies `change` to the stored notebook of customer `customer` (`None`:
/// nothing kept yet) at `now` (RFC 3339). Returns the notebook and the id of
/// the item the change was about (a new item's id). Errors leave it as it
/// was.
pub fn apply(record: Option<Notebook>, customer: u32, change: &Change, now: &str) -> Result<(Notebook, u64)> {
    apply_by(record, customer, change, now, &Author::default())
}

/// [`apply`] made by `author`: a new item gets an id in the author's lane,
/// and a new touch, note or survey and the timeline entry carry their name.
pub fn apply_by(record: Option<Notebook>, customer: u32, change: &Change, now: &str, author: &Author) -> Result<(Notebook, u64)> {
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
            let (id, action) = nb.save(item.clone(), author);
            (kind, id, action, label)
        }
        Change::Remove { kind, id, removed } => {
            let label = nb.set_removed(*kind, *id, *removed)?;
            (*kind, *id, if *removed { EditAction::Removed } else { EditAction::Restored }, label)
        }
    };
    nb.log(Edit { at: now.to_string(), kind, item: id, action, label, by: author.name.clone() });
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

/// Sets `item`'s id (a new one for id 0, in `$author`'s lane) and puts it
/// in `list`, over the item with its id if there is one. `$keep` carries
/// over from the item saved over what the form does not send.
macro_rules! put {
    ($nb:expr, $list:ident, $item:expr, $author:expr) => {
        put!($nb, $list, $item, $author, |_new: &mut _, _old: &_| {})
    };
    ($nb:expr, $list:ident, $item:expr, $author:expr, $keep:expr) => {{
        let mut item = $item;
        if item.id == 0 {
            item.id = $author.next_id($nb.last_id);
            $nb.last_id = item.id;
            $nb.$list.push(item);
            ($nb.last_id, EditAction::Added)
        } else {
            let id = item.id;
            let slot = $nb.$list.iter_mut().find(|x| x.id == id).expect("checked: the item exists");
            item.removed = slot.removed;
            $keep(&mut item, &*slot);
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
    /// Saves `item`. A new touch, note or survey is by `author`; a changed
    /// one stays by whoever wrote it.
    fn save(&mut self, item: Item, author: &Author) -> (u64, EditAction) {
        match item {
            Item::Competitor(x) => put!(self, competitors, x, author),
            Item::Project(x) => put!(self, projects, x, author),
            Item::Note(mut x) => {
                x.by = author.name.clone();
                put!(self, notes, x, author, |n: &mut Note, o: &Note| n.by = o.by.clone())
            }
            Item::Contact(x) => put!(self, contacts, x, author),
            Item::Touch(mut x) => {
                x.by = author.name.clone();
                put!(self, touches, x, author, |n: &mut Touch, o: &Touch| n.by = o.by.clone())
            }
            Item::Gift(x) => put!(self, gifts, x, author),
            Item::Need(x) => put!(self, needs, x, author),
            Item::Survey(mut x) => {
                x.by = author.name.clone();
                put!(self, surveys, x, author, |n: &mut Survey, o: &Survey| n.by = o.by.clone())
            }
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
            let same = last.kind == edit.kind && last.item == edit.item && last.by == edit.by;
            if recent && same && edit.action == EditAction::Changed && matches!(last.action, EditAction::Changed | EditAction::Added) {
                last.at = edit.at;
                last.label = edit.label;
                return;
            }
        }
        self.timeline.push(edit);
    }
}
