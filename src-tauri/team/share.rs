//! A sync between this PC's store and the team folder.
//!
//! Each shared key account is one document: `{"customer": {ext_id, name},
//! "account": …, "notebook": …}` — the records in their stored shape,
//! without this PC's customer number (customers are matched by their ID in
//! the owner's files, else their name). The team document holds the members
//! and the holidays.
//!
//! A sync: the records the owner changed since the last sync are written
//! into their documents (only what differs); each document goes through the
//! folder ([`super::sync`]); what came in is read back into records. Every
//! record and document is then saved in one store transaction, and a record
//! the owner changed meanwhile is left for the next sync — so a sync killed
//! at any moment leaves the store as before or after it, and the folder
//! only ever gains chunks that loading twice does not change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use ts_rs::TS;
use serde_json::{json, Value};

use super::doc;
use super::folder::{FolderError, TeamFolder};
use super::local::{self, doc_key, DocBytes, Membership, SharedDoc, MEMBERSHIP};
use super::membership;
use super::sync::{self, DocState};
use crate::accounts::Account;
use crate::model::Customer;
use crate::notebook::calendar::{Reminders, REMINDERS};
use crate::notebook::Notebook;
use crate::store::{Key, Record, Store};
use crate::{Error, Result};

/// The team document's name.
pub const TEAM_DOC: &str = "team";

/// The maps and lists every account document starts with ([`doc::start`]).
pub fn account_skeleton() -> Value {
    json!({
        "customer": {},
        "account": {"answers": {}, "checklist": {}, "actions": [], "history": []},
        "notebook": {
            "background": {}, "competitors": [], "projects": [], "notes": [], "contacts": [],
            "touches": [], "gifts": [], "needs": [], "surveys": [], "timeline": []
        }
    })
}

/// What the team document starts with.
pub fn team_skeleton() -> Value {
    json!({"members": {}})
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SyncReport {
    /// Documents with changes of this PC's that went out.
    pub sent: u32,
    /// Documents that took in others' changes.
    pub received: u32,
    /// Chunks that did not open yet (still syncing): tried at the next sync.
    pub pending: u32,
    /// Shared accounts whose customer is not on this PC yet.
    pub waiting: u32,
    /// Whether key accounts, notebooks or sales data here changed.
    pub changed: bool,
    /// Import batches of other members taken in, and those that could not
    /// be imported here (each named with its reason).
    pub imported: u32,
    pub not_imported: Vec<String>,
}

/// A customer as the team knows it: its ID in the owner's files, else its name.
pub fn identity(c: &Customer) -> String {
    identity_of(c.ext_id.as_deref(), &c.name)
}

fn identity_of(ext_id: Option<&str>, name: &str) -> String {
    match ext_id.map(str::trim).filter(|e| !e.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => format!("name:{}", name.trim().to_lowercase()),
    }
}

/// The document of the key account of customer `c`.
pub fn doc_name(c: &Customer) -> String {
    format!("account-{}", &blake3::hash(identity(c).as_bytes()).to_hex()[..24])
}

/// An account's records as its document holds them.
fn account_value(c: &Customer, account: &Account, notebook: Option<&Notebook>) -> Value {
    let mut account = serde_json::to_value(account).expect("records serialize");
    strip(&mut account, &["customer"]);
    let mut notebook = serde_json::to_value(notebook.cloned().unwrap_or_default()).expect("records serialize");
    strip(&mut notebook, &["customer", "last_id"]);
    json!({"customer": {"ext_id": c.ext_id, "name": c.name}, "account": account, "notebook": notebook})
}

fn strip(v: &mut Value, keys: &[&str]) {
    if let Some(o) = v.as_object_mut() {
        for k in keys {
            o.remove(*k);
        }
    }
}

/// The fingerprint of an account's records as stored (their JSON), as
/// [`SharedDoc::local`] keeps it: telling a change costs no decoding.
fn fingerprint_raw(account: &[u8], notebook: Option<&[u8]>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(account);
    h.update(&[0xff]);
    h.update(notebook.unwrap_or_default());
    h.finalize().to_hex()[..32].to_string()
}

fn fingerprint(v: &Value) -> String {
    blake3::hash(v.to_string().as_bytes()).to_hex()[..32].to_string()
}

/// Every shared key account here, by document: its customer and the
/// fingerprint of its records as stored.
fn shared_here(store: &Store, m: &Membership, by_id: &HashMap<u32, &Customer>) -> Result<BTreeMap<String, (u32, String)>> {
    let notebooks: HashMap<u32, Vec<u8>> = store.raw_by_customer::<Notebook>()?.into_iter().collect();
    let mut out = BTreeMap::new();
    for (id, account) in store.raw_by_customer::<Account>()? {
        let Some(c) = by_id.get(&id) else { continue };
        let name = doc_name(c);
        if !m.private.contains(&name) {
            out.insert(name, (id, fingerprint_raw(&account, notebooks.get(&id).map(Vec::as_slice))));
        }
    }
    Ok(out)
}

/// How many shared accounts were changed here since they last went out
/// (`customers`: the store's, as the caller read them).
pub fn unsent(store: &Store, m: &Membership, customers: &[Customer]) -> Result<u32> {
    let by_id: HashMap<u32, &Customer> = customers.iter().map(|c| (c.id, c)).collect();
    let mut n = 0;
    for (name, (_, fp)) in shared_here(store, m, &by_id)? {
        n += u32::from(store.get::<SharedDoc>(doc_key(&name))?.is_none_or(|d| d.local != fp));
    }
    Ok(n)
}

/// The records of customer `customer` a merged document holds; `None` when
/// they do not read (a newer Vital Few's document): left as they are here.
fn records(v: &Value, customer: u32) -> Option<(Account, Notebook)> {
    let mut account = v.get("account")?.clone();
    account.as_object_mut()?.insert("customer".into(), customer.into());
    let mut notebook = v.get("notebook").cloned().unwrap_or_else(|| json!({}));
    notebook.as_object_mut()?.insert("customer".into(), customer.into());
    let account: Account = serde_json::from_value(account).ok()?;
    let mut notebook: Notebook = serde_json::from_value(notebook).ok()?;
    notebook.last_id = notebook.item_ids().max().unwrap_or(0);
    Some((account, notebook))
}

/// What a sync saves for one account.
struct Merged {
    customer: u32,
    /// The fingerprint of the records read at the start: saved only if the
    /// store still holds them.
    read: Option<String>,
    records: Option<(Account, Notebook)>,
}

/// This PC's membership; refused when it is in no team.
pub fn membership(store: &Store) -> Result<Membership> {
    store.get::<Membership>(MEMBERSHIP)?.ok_or_else(|| Error::Refused(crate::msg!("refused.team_none")))
}

/// Opens the team folder with this PC's key.
pub fn folder(m: &Membership) -> Result<TeamFolder> {
    let key = m.key_bytes().ok_or_else(|| Error::Refused(crate::msg!("refused.team_rekeyed")))?;
    TeamFolder::open_with_key(std::path::Path::new(&m.folder), key).map_err(|e| folder_error(e, &m.folder))
}

pub fn folder_error(e: FolderError, folder: &str) -> Error {
    Error::Refused(match e {
        FolderError::NotATeamFolder(_) => crate::msg!("refused.team_not_folder", folder = folder),
        FolderError::Rekeyed => crate::msg!("refused.team_rekeyed"),
        FolderError::AlreadyATeam(_) => crate::msg!("refused.team_already", folder = folder),
        FolderError::WrongPassphrase => crate::msg!("refused.team_passphrase"),
        FolderError::BadName(name) => crate::msg!("refused.team_member_name", name = name),
        FolderError::Unavailable(e) => crate::msg!("refused.team_unavailable", folder = folder, reason = e.to_string()),
    })
}

/// One sync of every shared document, at `now` (RFC 3339).
pub fn sync_store(store: &Store, now: &str) -> Result<SyncReport> {
    let mut m = membership(store)?;
    let folder = folder(&m)?;
    let place = m.folder.clone();
    let unavailable = |e| folder_error(e, &place);
    let customers = store.customers()?;
    let by_identity: HashMap<String, &Customer> = customers.iter().map(|c| (identity(c), c)).collect();
    let by_id: HashMap<u32, &Customer> = customers.iter().map(|c| (c.id, c)).collect();
    let local = shared_here(store, &m, &by_id)?;
    let kept: HashMap<String, SharedDoc> = store.all::<SharedDoc>()?.into_iter().map(|d| (d.name.clone(), d)).collect();
    let mut names: BTreeSet<String> = folder.documents().map_err(unavailable)?;
    names.extend(local.keys().cloned());
    names.extend(kept.keys().cloned());
    // Only account documents (the team's and the import batches are
    // synced on their own; other names are a newer version's, or strays).
    names.retain(|n| n.starts_with("account-"));
    names.retain(|n| !m.private.contains(n));

    let actor = m.actor();
    let skeleton = account_skeleton();
    let mut report = SyncReport::default();
    // Each document to save, with the customer whose records it matches.
    let mut docs: Vec<(Option<u32>, SharedDoc, DocBytes)> = Vec::new();
    let fresh = local::fresh(&mut doc::start(&skeleton));
    let mut merged: Vec<Merged> = Vec::new();
    for name in &names {
        let here = local.get(name);
        let before = kept.get(name);
        let read = here.map(|(_, fp)| fp.clone());
        let changed_here = read.is_some() && before.map(|d| Some(&d.local) != read.as_ref()).unwrap_or(true);
        let state = before.map_or_else(|| fresh.clone(), |d| d.state(folder.epoch()));
        let new_epoch = before.is_some_and(|d| d.epoch != folder.epoch());
        if !changed_here && !new_epoch && !news(&folder, name, &state).map_err(unavailable)? {
            continue;
        }
        let (mut doc, mut state) = local::open(store, name, before, folder.epoch(), &skeleton)?;
        doc.set_actor(actor.clone());
        if let (true, Some((id, _))) = (changed_here, here) {
            // Only what changed here is decoded and written in.
            let account = store.get::<Account>(Key::Customer(*id))?.ok_or_else(|| Error::Storage(format!("key account {id} went away")))?;
            let value = account_value(by_id[id], &account, store.get::<Notebook>(Key::Customer(*id))?.as_ref());
            doc::write(&mut doc, &value).map_err(|e| Error::Storage(e.to_string()))?;
            doc.commit();
        }
        let synced = sync::sync(&folder, &m.member, name, &mut doc, &mut state).map_err(unavailable)?;
        report.sent += u32::from(synced.wrote);
        report.received += u32::from(synced.took_in > 0);
        report.pending += synced.pending as u32;
        let value = doc::read(&doc);
        let customer = here.map(|(c, _)| *c).or_else(|| {
            let c = value.get("customer")?;
            let who = identity_of(c.get("ext_id").and_then(Value::as_str), c.get("name").and_then(Value::as_str).unwrap_or_default());
            by_identity.get(&who).map(|c| c.id)
        });
        let Some(customer) = customer else {
            // Its customer's sales are not here yet: kept, read in later.
            report.waiting += 1;
            docs.push((None, SharedDoc::new(name, &state, folder.epoch(), String::new()), DocBytes::of(&mut doc)));
            continue;
        };
        // Its fingerprint is the records' as saved, set when they are.
        let records = records(&value, customer);
        docs.push((Some(customer), SharedDoc::new(name, &state, folder.epoch(), String::new()), DocBytes::of(&mut doc)));
        merged.push(Merged { customer, read: read.clone(), records });
    }
    let holidays = sync_team_doc(store, &folder, &mut m, &kept, report.sent > 0, now, &mut docs, &mut report).map_err(unavailable)?;

    m.last_sync = Some(now.to_string());
    m.pending = report.pending;
    m.waiting = report.waiting;
    let trees = [SharedDoc::TREE, DocBytes::TREE, Account::TREE, Notebook::TREE, Membership::TREE, Reminders::TREE];
    report.changed = store.transact(&trees, |tx| {
        let mut changed = false;
        let mut skipped = BTreeSet::new();
        let mut saved = HashMap::new();
        for one in &merged {
            let key = Key::Customer(one.customer);
            let (account, notebook) = (tx.raw::<Account>(key)?, tx.raw::<Notebook>(key)?);
            let mut stored = account.as_ref().map(|a| fingerprint_raw(a, notebook.as_deref()));
            // Changed here while the sync ran: left for the next one.
            if stored != one.read {
                skipped.insert(one.customer);
                continue;
            }
            if let Some((merged_account, merged_notebook)) = &one.records {
                let a = serde_json::to_vec(merged_account).expect("records serialize");
                let n = serde_json::to_vec(merged_notebook).expect("records serialize");
                if account.as_deref() != Some(&a[..]) || notebook.as_deref() != Some(&n[..]) {
                    tx.put(key, merged_account)?;
                    tx.put(key, merged_notebook)?;
                    changed = true;
                    // What `put` stored is these bytes.
                    stored = Some(fingerprint_raw(&a, Some(&n)));
                }
            }
            saved.insert(one.customer, stored.unwrap_or_default());
        }
        // A skipped account's document is not saved either: the next sync
        // takes in the same chunks again (loading twice changes nothing).
        for (customer, d, bytes) in &docs {
            if customer.is_some_and(|c| skipped.contains(&c)) {
                continue;
            }
            let d = match customer.and_then(|c| saved.get(&c)) {
                Some(fp) => &SharedDoc { local: fp.clone(), ..d.clone() },
                None => d,
            };
            tx.put(doc_key(&d.name), d)?;
            tx.put(doc_key(&d.name), bytes)?;
        }
        if let Some(holidays) = &holidays {
            tx.put(REMINDERS, &Reminders { holidays: holidays.clone() })?;
        }
        // Only what the sync knows: a share or an import published
        // meanwhile stays as it was saved.
        let mut now_m = tx.get::<Membership>(MEMBERSHIP)?.unwrap_or_else(|| m.clone());
        (now_m.lane, now_m.last_sync, now_m.pending, now_m.waiting) = (m.lane, m.last_sync.clone(), m.pending, m.waiting);
        tx.put(MEMBERSHIP, &now_m)?;
        Ok(changed)
    })?;
    let _ = folder.mark_synced(&m.member, now);
    Ok(report)
}

/// Whether the folder holds chunks of `name` not taken in yet.
fn news(folder: &TeamFolder, name: &str, state: &DocState) -> std::result::Result<bool, FolderError> {
    Ok(folder.chunks(name)?.iter().any(|c| !state.seen.contains(&format!("{}/{}", c.member, c.name))))
}

/// Syncs the team document: this member's entry (their lane, and when they
/// last changed something) and the holidays. Returns the holidays to keep
/// here when they came in changed.
#[allow(clippy::too_many_arguments)]
fn sync_team_doc(
    store: &Store,
    folder: &TeamFolder,
    m: &mut Membership,
    kept: &HashMap<String, SharedDoc>,
    sent: bool,
    now: &str,
    docs: &mut Vec<(Option<u32>, SharedDoc, DocBytes)>,
    report: &mut SyncReport,
) -> std::result::Result<Option<Vec<crate::notebook::Holiday>>, FolderError> {
    let (mut doc, mut state) = local::open(store, TEAM_DOC, kept.get(TEAM_DOC), folder.epoch(), &team_skeleton()).map_err(|e| FolderError::Unavailable(std::io::Error::other(e.to_string())))?;
    doc.set_actor(m.actor());
    let mut value = doc::read(&doc);
    let mine = json!({"lane": m.lane, "last_change": value.pointer(&format!("/members/{}/last_change", m.member)).cloned().filter(|_| !sent).unwrap_or_else(|| json!(now))});
    let holidays = store.get::<Reminders>(REMINDERS).ok().flatten().map(|r| r.holidays);
    let before = value.clone();
    let root = value.as_object_mut().expect("a document is a map");
    root.entry("members").or_insert_with(|| json!({})).as_object_mut().map(|members| members.insert(m.member.clone(), mine));
    let holidays_here = holidays.as_ref().map(|h| serde_json::to_value(h).expect("serializes"));
    let local = holidays_here.as_ref().map(fingerprint).unwrap_or_default();
    let changed_here = kept.get(TEAM_DOC).map(|d| d.local != local).unwrap_or(holidays_here.is_some());
    if let (true, Some(h)) = (changed_here, holidays_here) {
        root.insert("holidays".into(), h);
    }
    if value != before {
        doc::write(&mut doc, &value).expect("JSON reconciles");
        doc.commit();
    }
    let synced = sync::sync(folder, &m.member, TEAM_DOC, &mut doc, &mut state)?;
    report.pending += synced.pending as u32;
    let mut merged = doc::read(&doc);
    // Two members who joined blind to each other can hold one lane: the
    // one whose name sorts later moves to a free one, so that the items
    // they add from now on never share an id.
    if membership::must_move(&merged, &m.member, m.lane) {
        m.lane = membership::lane_free_in(&merged);
        merged["members"][&m.member]["lane"] = json!(m.lane);
        doc::write(&mut doc, &merged).expect("JSON reconciles");
        doc.commit();
        sync::sync(folder, &m.member, TEAM_DOC, &mut doc, &mut state)?;
    }
    let came: Option<Vec<crate::notebook::Holiday>> = merged.get("holidays").and_then(|h| serde_json::from_value(h.clone()).ok());
    let local = came.as_ref().map(|h| fingerprint(&serde_json::to_value(h).expect("serializes"))).unwrap_or(local);
    docs.push((None, SharedDoc::new(TEAM_DOC, &state, folder.epoch(), local), DocBytes::of(&mut doc)));
    Ok(if synced.took_in > 0 && came != holidays { came } else { None })
}

/// The members the team document lists, by name, with their last change.
pub fn members(store: &Store) -> Result<Vec<(String, Option<String>)>> {
    let Some(doc) = local::read(store, TEAM_DOC)? else {
        return Ok(Vec::new());
    };
    let value = doc::read(&doc);
    let members = value.get("members").and_then(Value::as_object).into_iter().flatten();
    let mut out: Vec<(String, Option<String>)> =
        members.map(|(name, v)| (name.clone(), v.get("last_change").and_then(Value::as_str).map(str::to_string))).collect();
    out.sort();
    Ok(out)
}

/// The fields of customer `customer`'s account that two members set while
/// apart, as the account page shows them.
pub fn conflicts(store: &Store, customer: &Customer) -> Result<Vec<crate::notebook::Conflict>> {
    if store.get::<Membership>(MEMBERSHIP)?.is_none() {
        return Ok(Vec::new());
    }
    let Some(doc) = local::read(store, &doc_name(customer))? else {
        return Ok(Vec::new());
    };
    let found = [("account", doc::conflicts(&doc, "account")), ("notebook", doc::conflicts(&doc, "notebook"))];
    if found.iter().all(|(_, c)| c.is_empty()) {
        return Ok(Vec::new());
    }
    let value = doc::read(&doc);
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let named = |v: &Value| ["name", "summary", "text", "what"].iter().find_map(|k| v.get(k).and_then(Value::as_str).map(str::to_string));
    let mut out = Vec::new();
    for (under, list) in found {
        for c in list {
            // What holds the field: a listed item by its name, else the
            // part of the page.
            let item = match c.path.as_slice() {
                [_, list, id, _, ..] => value[under][list]
                    .as_array()
                    .and_then(|items| items.iter().find(|i| i.get("id").map(Value::to_string).as_deref() == Some(id)))
                    .and_then(named)
                    .unwrap_or_else(|| list.clone()),
                [_, part, _] => part.clone(),
                // A field of the account itself: the account, by its name.
                _ => customer.name.clone(),
            };
            // When the other member last changed that item, by the timeline.
            let other_at = match c.path.as_slice() {
                [_, _, id, _, ..] => value["notebook"]["timeline"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e.get("item").map(Value::to_string).as_deref() == Some(id) && e["by"] == c.other_by.as_str())
                    .filter_map(|e| e["at"].as_str())
                    .max()
                    .map(str::to_string),
                _ => None,
            };
            out.push(crate::notebook::Conflict {
                other_at,
                item,
                field: c.path.last().cloned().unwrap_or_default(),
                shown: text(&c.shown),
                shown_by: c.shown_by,
                other: text(&c.other),
                other_by: c.other_by,
            });
        }
    }
    Ok(out)
}
