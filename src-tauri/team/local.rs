//! What a member's PC keeps of the team, in its own store (so in every
//! backup): the membership ([`Membership`], `record:team`), where each
//! shared document's sync stands ([`SharedDoc`], `record:team_docs`) and
//! the document itself ([`DocBytes`], `record:team_doc_bytes`). A solo
//! owner has none of these trees.

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash};
use serde::{Deserialize, Serialize};

use super::doc;
use super::folder::{hex, unhex};
use super::sync::DocState;
use crate::model::Author;
use crate::store::{Key, Record, Store};

/// This PC's place in a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub team: String,
    pub member: String,
    /// The lane of item ids this member's new items take (1–255).
    pub lane: u8,
    /// The team folder, as this PC reaches it.
    pub folder: String,
    /// The team key (hex): this data folder holds the notebooks in clear
    /// already, so keeping the key beside them gives nothing away.
    pub key: String,
    /// Eight random bytes (hex) that tell this PC's changes from the same
    /// member's on another PC.
    pub pc: String,
    /// Key accounts (their documents) the owner keeps off the team.
    #[serde(default)]
    pub private: BTreeSet<String>,
    /// When the last sync ended (RFC 3339), and what it left for later.
    #[serde(default)]
    pub last_sync: Option<String>,
    #[serde(default)]
    pub pending: u32,
    /// Shared accounts whose customer this PC has no sales data of yet.
    #[serde(default)]
    pub waiting: u32,
    /// Import batches this PC has taken in or published (`member/chunk`).
    #[serde(default)]
    pub applied: BTreeSet<String>,
    /// Imports made here that could not reach the folder yet: published at
    /// the next sync, while their file is still there.
    #[serde(default)]
    pub unpublished: Vec<Unpublished>,
}

/// An import to publish to the team once the folder is reachable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unpublished {
    pub path: String,
    pub options: crate::import::ImportOptions,
}

impl Record for Membership {
    const TREE: &'static str = "record:team";
    const VERSION: u32 = 1;
}

pub const MEMBERSHIP: Key = Key::Item(1);

impl Membership {
    pub fn author(&self) -> Author {
        Author { name: self.member.clone(), lane: self.lane }
    }

    pub fn actor(&self) -> automerge::ActorId {
        let pc: [u8; 8] = unhex(&self.pc).and_then(|b| b.try_into().ok()).unwrap_or_default();
        doc::actor(&self.member, &pc)
    }

    pub fn key_bytes(&self) -> Option<[u8; 32]> {
        unhex(&self.key).and_then(|b| b.try_into().ok())
    }

    /// Applies `change` to the membership as stored now (this one if it
    /// went away), in one transaction: what another action saved since
    /// this one was read is kept.
    pub fn update(&self, store: &Store, change: impl Fn(&mut Membership)) -> crate::Result<Membership> {
        store.update::<Membership>(MEMBERSHIP, |now| {
            let mut now = now.unwrap_or_else(|| self.clone());
            change(&mut now);
            Ok(now)
        })
    }
}

/// Where one shared document's sync stands on this PC. Small, so a sync
/// reads every one of them; the document itself is a [`DocBytes`], read
/// only when there is something to do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedDoc {
    pub name: String,
    /// The key epoch its sync state belongs to.
    pub epoch: u32,
    /// Heads already in the folder (hex).
    pub written: Vec<String>,
    /// Chunks taken in (`member/file`).
    pub seen: BTreeSet<String>,
    /// The local records' fingerprint when they last matched the document:
    /// when they differ, the owner changed something since.
    pub local: String,
}

impl Record for SharedDoc {
    const TREE: &'static str = "record:team_docs";
    const VERSION: u32 = 1;
}

/// One shared document, saved (hex), under its [`SharedDoc`]'s key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocBytes {
    pub bytes: String,
}

impl Record for DocBytes {
    const TREE: &'static str = "record:team_doc_bytes";
    const VERSION: u32 = 1;
}

/// Where document `name` is kept (its [`SharedDoc`] and its [`DocBytes`]).
pub fn doc_key(name: &str) -> Key {
    let hash = blake3::hash(name.as_bytes());
    Key::Item(u64::from_be_bytes(hash.as_bytes()[..8].try_into().expect("eight bytes")))
}

/// A new document's sync state: the first change every PC starts from
/// ([`doc::start`]) is never sent.
pub fn fresh(doc: &mut AutoCommit) -> DocState {
    DocState { written: doc.get_heads(), seen: BTreeSet::new() }
}

impl SharedDoc {
    /// Its sync state; a new passphrase (another epoch) sends everything
    /// again, sealed anew.
    pub fn state(&self, epoch: u32) -> DocState {
        if self.epoch != epoch {
            return DocState::default();
        }
        DocState { written: self.written.iter().filter_map(|h| h.parse::<ChangeHash>().ok()).collect(), seen: self.seen.clone() }
    }

    pub fn new(name: &str, state: &DocState, epoch: u32, local: String) -> SharedDoc {
        SharedDoc { name: name.to_string(), epoch, written: state.written.iter().map(|h| h.to_string()).collect(), seen: state.seen.clone(), local }
    }
}

impl DocBytes {
    pub fn of(doc: &mut AutoCommit) -> DocBytes {
        DocBytes { bytes: hex(&doc.save()) }
    }

    /// The document; `None` when it does not load (a damaged record).
    pub fn load(&self) -> Option<AutoCommit> {
        unhex(&self.bytes).and_then(|b| AutoCommit::load(&b).ok())
    }
}

/// Document `name` as this PC keeps it (`kept` says where its sync
/// stands), read from the store: from `skeleton` when there is none yet,
/// or when it does not load (then every chunk is taken in again).
pub fn open(store: &crate::store::Store, name: &str, kept: Option<&SharedDoc>, epoch: u32, skeleton: &serde_json::Value) -> crate::Result<(AutoCommit, DocState)> {
    let doc = match kept {
        Some(_) => store.get::<DocBytes>(doc_key(name))?.and_then(|b| b.load()),
        None => None,
    };
    Ok(match (kept, doc) {
        (Some(d), Some(doc)) => (doc, d.state(epoch)),
        _ => {
            let mut doc = doc::start(skeleton);
            let state = fresh(&mut doc);
            (doc, state)
        }
    })
}

/// Document `name` as this PC keeps it, for reading (`None`: none yet).
pub fn read(store: &crate::store::Store, name: &str) -> crate::Result<Option<AutoCommit>> {
    Ok(store.get::<DocBytes>(doc_key(name))?.and_then(|b| b.load()))
}
