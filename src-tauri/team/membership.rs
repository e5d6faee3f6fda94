//! Joining and keeping a team: create one, join one, what the team looks
//! like from this PC ([`TeamStatus`]), which key accounts are shared, and a
//! new passphrase.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::DateTime;
use serde_json::Value;
use serde::Serialize;
use ts_rs::TS;

use super::doc;
use super::folder::{hex, TeamFolder};
use super::local::{self, Membership, MEMBERSHIP};
use super::share::{self, doc_name, folder_error, SyncReport, TEAM_DOC};
use super::sync;
use crate::accounts::Account;
use crate::notebook::Notebook;
use crate::store::{Key, Record, Store};
use crate::{Error, Result};

/// A member's PC that has not synced for this many days is pointed out.
pub const STALE_DAYS: i64 = 7;

/// The team as this PC sees it (`vitalfew team status --json`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TeamStatus {
    pub team: String,
    pub member: String,
    pub folder: String,
    pub members: Vec<MemberStatus>,
    /// Key accounts this PC shares with the team.
    pub shared_accounts: u32,
    /// Changes not through yet: this PC's not yet sent, and others' chunks
    /// still syncing into the folder.
    pub pending: u32,
    /// When this PC last synced (RFC 3339).
    pub last_sync: Option<String>,
    /// Shared accounts whose customer has no sales data on this PC yet.
    pub waiting: u32,
    /// This PC's key accounts, each shared or kept private.
    pub accounts: Vec<SharedAccount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MemberStatus {
    pub name: String,
    /// When they last changed something the team shares (RFC 3339).
    pub last_change: Option<String>,
    /// When their PC last synced with the folder.
    pub last_sync: Option<String>,
    /// Not synced for a week (or never).
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SharedAccount {
    pub customer: u32,
    pub name: String,
    pub shared: bool,
}

/// Makes `folder` the folder of a new team `team`, with this PC's owner as
/// its first member `member`, and shares every key account.
pub fn create(store: &Store, folder: &Path, team: &str, member: &str, passphrase: &str, now: &str) -> Result<SyncReport> {
    not_in_a_team(store)?;
    check_passphrase(passphrase)?;
    let member = member_name(member)?;
    let folder = &std::path::absolute(folder).map_err(|e| folder_error(super::folder::FolderError::Unavailable(e), &folder.display().to_string()))?;
    let place = folder.display().to_string();
    let shared = TeamFolder::create(folder, team.trim(), passphrase).map_err(|e| folder_error(e, &place))?;
    enter(store, &shared, member, 1)?;
    share::sync_store(store, now)
}

/// Joins the team whose folder is `folder` as `member`. On a PC in that team
/// already (the passphrase changed), takes the new key and keeps everything.
pub fn join(store: &Store, folder: &Path, member: &str, passphrase: &str, now: &str) -> Result<SyncReport> {
    let member = member_name(member)?;
    let folder = &std::path::absolute(folder).map_err(|e| folder_error(super::folder::FolderError::Unavailable(e), &folder.display().to_string()))?;
    let place = folder.display().to_string();
    let shared = TeamFolder::open(folder, passphrase).map_err(|e| folder_error(e, &place))?;
    match store.get::<Membership>(MEMBERSHIP)? {
        Some(m) if m.team == shared.name() && m.member == member => {
            m.update(store, |now| (now.key, now.folder) = (hex(&shared.key()), place.clone()))?;
        }
        Some(m) => return Err(Error::Refused(crate::msg!("refused.team_in_other", team = m.team, member = m.member))),
        None => {
            let lane = free_lane(&shared).map_err(|e| folder_error(e, &place))?;
            enter(store, &shared, member, lane)?;
        }
    }
    share::sync_store(store, now)
}

fn enter(store: &Store, folder: &TeamFolder, member: &str, lane: u8) -> Result<()> {
    let mut pc = [0u8; 8];
    getrandom::fill(&mut pc).expect("the system's random source");
    let m = Membership {
        team: folder.name().to_string(),
        member: member.to_string(),
        lane,
        folder: folder.root().display().to_string(),
        key: hex(&folder.key()),
        pc: hex(&pc),
        private: BTreeSet::new(),
        last_sync: None,
        pending: 0,
        waiting: 0,
        applied: BTreeSet::new(),
        unpublished: Vec::new(),
    };
    // The items typed here before the team move into this member's lane,
    // in the same transaction as the membership.
    let accounts = store.all::<Account>()?;
    let notebooks = store.all::<Notebook>()?;
    store.transact(&[Membership::TREE, Account::TREE, Notebook::TREE], |tx| {
        for a in &accounts {
            let mut a = a.clone();
            a.into_lane(lane)?;
            tx.put(Key::Customer(a.customer), &a)?;
        }
        for n in &notebooks {
            let mut n = n.clone();
            n.into_lane(lane);
            tx.put(Key::Customer(n.customer), &n)?;
        }
        tx.put(MEMBERSHIP, &m)?;
        Ok(())
    })
}

fn not_in_a_team(store: &Store) -> Result<()> {
    match store.get::<Membership>(MEMBERSHIP)? {
        Some(m) => Err(Error::Refused(crate::msg!("refused.team_in_other", team = m.team, member = m.member))),
        None => Ok(()),
    }
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < 8 {
        return Err(Error::Refused(crate::msg!("refused.team_short_passphrase")));
    }
    Ok(())
}

fn member_name(name: &str) -> Result<&str> {
    super::folder::plain(name.trim()).map_err(|_| Error::Refused(crate::msg!("refused.team_member_name", name = name)))
}

/// A lane no member of the team document (as the folder holds it now) has
/// taken.
fn free_lane(folder: &TeamFolder) -> std::result::Result<u8, super::folder::FolderError> {
    let mut doc = doc::start(&share::team_skeleton());
    let mut state = local::fresh(&mut doc);
    sync::sync(folder, "-", TEAM_DOC, &mut doc, &mut state)?;
    Ok(lane_free_in(&doc::read(&doc)))
}

/// The lanes the members of team document `team` hold, by member.
fn lanes(team: &Value) -> impl Iterator<Item = (&String, u64)> {
    team.get("members").and_then(Value::as_object).into_iter().flatten().filter_map(|(name, v)| Some((name, v.get("lane")?.as_u64()?)))
}

/// A lane no member of team document `team` holds, drawn at random: two
/// members who join while their folders have not seen each other's
/// entries yet rarely draw the same one (the lowest free lane would be
/// the same for both).
pub(super) fn lane_free_in(team: &Value) -> u8 {
    let taken: BTreeSet<u64> = lanes(team).map(|(_, lane)| lane).collect();
    let free: Vec<u8> = (1..=255u8).filter(|l| !taken.contains(&u64::from(*l))).collect();
    let mut draw = [0u8; 2];
    getrandom::fill(&mut draw).expect("the system's random source");
    free.get(usize::from(u16::from_le_bytes(draw)) % free.len().max(1)).copied().unwrap_or(255)
}

/// Whether member `me` must leave lane `lane`: a member whose name sorts
/// before theirs holds it too (they joined blind to each other). Every PC
/// tells the same, so exactly one of the two moves.
pub(super) fn must_move(team: &Value, me: &str, lane: u8) -> bool {
    lane != 0 && lanes(team).any(|(name, l)| name.as_str() < me && l == u64::from(lane))
}

/// The team as this PC sees it, at `now`.
pub fn status(store: &Store, now: &str) -> Result<TeamStatus> {
    let m = share::membership(store)?;
    let customers = store.customers()?;
    let mut accounts = Vec::new();
    for a in store.all::<Account>()? {
        let Some(c) = customers.iter().find(|c| c.id == a.customer) else {
            continue;
        };
        accounts.push(SharedAccount { customer: a.customer, name: c.name.clone(), shared: !m.private.contains(&doc_name(c)) });
    }
    let unsent = share::unsent(store, &m, &customers)?;
    let synced: Vec<(String, Option<String>)> = share::folder(&m).ok().and_then(|f| f.last_syncs().ok()).unwrap_or_default();
    let now = DateTime::parse_from_rfc3339(now).ok();
    let mut members: Vec<MemberStatus> = share::members(store)?
        .into_iter()
        .map(|(name, last_change)| {
            let last_sync = synced.iter().find(|(n, _)| *n == name).and_then(|(_, at)| at.clone());
            let age = |at: &Option<String>| at.as_deref().and_then(|a| DateTime::parse_from_rfc3339(a).ok()).zip(now).map(|(a, n)| (n - a).num_days());
            let stale = name != m.member && age(&last_sync).or(age(&last_change)).is_none_or(|days| days >= STALE_DAYS);
            MemberStatus { name, last_change, last_sync, stale }
        })
        .collect();
    if !members.iter().any(|x| x.name == m.member) {
        members.push(MemberStatus { name: m.member.clone(), last_change: None, last_sync: m.last_sync.clone(), stale: false });
    }
    Ok(TeamStatus {
        team: m.team.clone(),
        member: m.member.clone(),
        folder: m.folder.clone(),
        members,
        shared_accounts: accounts.iter().filter(|a| a.shared).count() as u32,
        pending: m.pending + unsent,
        last_sync: m.last_sync.clone(),
        waiting: m.waiting,
        accounts,
    })
}

/// Shares key account `customer` with the team, or keeps it private from
/// the next sync on (what the team has of it already stays with them).
pub fn share(store: &Store, customer: u32, shared: bool) -> Result<()> {
    let c = store.customers()?.into_iter().find(|c| c.id == customer).ok_or_else(|| Error::NotFound(crate::msg!("error.no_customer", id = customer)))?;
    if store.get::<Account>(Key::Customer(customer))?.is_none() {
        return Err(Error::Refused(crate::msg!("refused.not_key", customer = customer)));
    }
    let name = doc_name(&c);
    store.update::<Membership>(MEMBERSHIP, |m| {
        let mut m = m.ok_or_else(|| Error::Refused(crate::msg!("refused.team_none")))?;
        if shared {
            m.private.remove(&name);
        } else {
            m.private.insert(name.clone());
        }
        Ok(m)
    })?;
    Ok(())
}

/// A new team passphrase (a member left): a new key epoch in the folder,
/// every shared document written whole under it. The others join again
/// with the new passphrase; the old one reads nothing new.
pub fn rekey(store: &Store, passphrase: &str, now: &str) -> Result<SyncReport> {
    check_passphrase(passphrase)?;
    let m = share::membership(store)?;
    let mut folder = share::folder(&m)?;
    folder.rekey(passphrase).map_err(|e| folder_error(e, &m.folder))?;
    m.update(store, |now| now.key = hex(&folder.key()))?;
    share::sync_store(store, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_drawn_lane_is_one_nobody_holds_and_only_the_later_name_moves() {
        let mut members = serde_json::Map::new();
        for lane in (1..=255u64).filter(|l| l % 7 != 0) {
            members.insert(format!("m{lane}"), json!({"lane": lane}));
        }
        let team = json!({ "members": members });
        for _ in 0..500 {
            let lane = lane_free_in(&team);
            assert_eq!(lane % 7, 0, "{lane} is taken");
        }
        let team = json!({"members": {"张强": {"lane": 5}, "李娜": {"lane": 5}, "王伟": {"lane": 1}}});
        assert!(must_move(&team, "李娜", 5));
        assert!(!must_move(&team, "张强", 5));
        assert!(!must_move(&team, "王伟", 1));
        assert!(!must_move(&json!({}), "王伟", 1));
    }
}
