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
//!
//! The items (contacts, touches, projects, …) are in `items.rs`; a change,
//! its checks and how it is applied and logged are in `changes.rs`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::store::Record;

pub mod calendar;
mod changes;
mod items;
pub mod view;

pub use calendar::{Holiday, LunarDay, Yearly};
pub use changes::{apply, apply_by, Change, Edit, EditAction, Item};
pub use items::{
    Attitude, Background, Competitor, Contact, Function, Gift, Influence, ItemKind, Level, Need, NeedStatus, Note, Personal, Project, ProjectStatus, Survey,
    Touch, TouchKind,
};
pub use view::{BuyingMap, Conflict, DueItem, NotebookView};

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

/// Calls macro `$m` with the names of the notebook's eight item lists:
/// the one place that lists them.
macro_rules! item_lists {
    ($m:ident) => {
        $m!(competitors, projects, notes, contacts, touches, gifts, needs, surveys)
    };
}

impl Notebook {
    /// How many items the owner has typed into it (contacts, touches,
    /// notes, surveys, …), removed ones included: what a backup's list
    /// shows so the owner can tell which one holds their typing.
    pub fn entries(&self) -> u64 {
        self.item_ids().count() as u64
    }

    /// The id of every item in the eight lists, removed ones included.
    pub fn item_ids(&self) -> impl Iterator<Item = u64> + '_ {
        macro_rules! ids {
            ($($list:ident),*) => { std::iter::empty()$(.chain(self.$list.iter().map(|x| x.id)))* };
        }
        item_lists!(ids)
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

    /// Moves every item's id into `lane` (id × 256 + lane), and every
    /// reference to one with it: done once, when a PC's notebooks join a
    /// team, so that items typed on two PCs before they shared never share
    /// an id (see [`crate::model::Author::next_id`]).
    pub fn into_lane(&mut self, lane: u8) {
        let to = |id: u64| (id << 8) | u64::from(lane);
        macro_rules! ids {
            ($($list:ident),*) => {$(for x in &mut self.$list { x.id = to(x.id); })*};
        }
        item_lists!(ids);
        for c in &mut self.contacts {
            c.reports_to = c.reports_to.map(to);
        }
        for t in &mut self.touches {
            t.contacts.iter_mut().for_each(|c| *c = to(*c));
        }
        for g in &mut self.gifts {
            g.contact = to(g.contact);
        }
        for n in &mut self.needs {
            n.touch = n.touch.map(to);
        }
        for v in &mut self.surveys {
            v.contact = v.contact.map(to);
        }
        for e in self.timeline.iter_mut().filter(|e| e.item != 0) {
            e.item = to(e.item);
        }
        self.last_id = to(self.last_id);
    }
}

/// Now in the owner's time zone, as the timeline records it.
pub fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests;
