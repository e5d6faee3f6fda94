//! The store: the only module that touches sled. It knows the model's plain
//! types (customers, import records, settings) and keeps the domain's own
//! records as typed trees ([`record`]) without knowing what they mean.
//!
//! Layout (one sled database in `<data dir>/store/`), schema version 4:
//! - tree `meta`: `schema_version` (u32, big-endian), `created_at` (RFC 3339),
//!   `sales_lines` and `customers` (u64 counts), `next_import` (u32),
//!   `count:<tree>` (u64, the
//!   number of entries of each counted tree, checked on every open),
//!   `next:<tree>` (the next item number of a record tree), `commits` (u64,
//!   one more in every transaction: the manifest beside the store records
//!   it, so a store that lost committed work is recognised, see
//!   [`manifest`]);
//! - tree `settings`: `settings` (JSON of [`Settings`]);
//! - tree `customers`: chunk number (u32 BE) → up to 1,024 customers
//!   ([`customers`]);
//! - tree `sales`: import id (u32 BE) ++ chunk number (u32 BE) → a chunk of
//!   sales lines ([`lines`]);
//! - tree `imports`: import id → JSON of [`ImportRecord`]; tree `undo`:
//!   import id → what undoing that import restores;
//! - trees `customer:<name>` and `record:<name>`: the domain's records
//!   ([`record::Record`]), JSON.
//!
//! Invariants: every user action is one sled transaction followed by a
//! flush (fsync), so a crash leaves the old state or the new one; a store
//! whose schema version is newer than [`SCHEMA_VERSION`] is refused before
//! anything is written to it; a store folder that is not as the manifest of
//! its last clean close says is refused before sled opens it, and one that
//! lost committed work, holds data but no schema version, or whose counts
//! disagree with its trees, is refused as damaged ([`open`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use sled::Tree;

use crate::model::{Customer, ImportRecord, Settings};
use crate::{Error, Result};

pub mod backup;
mod check;
pub mod customers;
pub mod folders;
pub mod fsx;
mod imports;
pub mod lines;
pub mod manifest;
mod migrate;
pub mod open;
pub mod record;

pub use check::CheckReport;
pub use imports::ImportBatch;
pub use lines::{EncodedLines, LineEncoder, LineRef};
pub use record::{Key, Record, Tx, TxResult};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 4;

const TREE_META: &str = "meta";
const TREE_SETTINGS: &str = "settings";
const TREE_CUSTOMERS: &str = "customers";
const TREE_SALES: &str = "sales";
const TREE_IMPORTS: &str = "imports";
const TREE_UNDO: &str = "undo";
/// Trees whose entries are counted in `meta` (besides the record trees).
const COUNTED: [&str; 4] = [TREE_CUSTOMERS, TREE_SALES, TREE_IMPORTS, TREE_UNDO];

const KEY_SCHEMA_VERSION: &[u8] = b"schema_version";
const KEY_CREATED_AT: &[u8] = b"created_at";
const KEY_SETTINGS: &[u8] = b"settings";
const KEY_SALES_LINES: &[u8] = b"sales_lines";
const KEY_CUSTOMERS: &[u8] = b"customers";
const KEY_NEXT_IMPORT: &[u8] = b"next_import";
const KEY_COMMITS: &[u8] = b"commits";
const COUNT_PREFIX: &str = "count:";

/// The open store. Dropping it closes it: sled lets go of its files, and
/// the manifest records what the folder holds (see [`manifest`]).
pub struct Store {
    /// sled's handles; taken when the store is dropped.
    trees: Option<Trees>,
    dir: PathBuf,
    /// One writer at a time; a backup holds it too, so it copies one state.
    write: Mutex<()>,
    /// Counts data changes made through this handle (not settings), so a
    /// plan made before one can be recognised as stale.
    generation: AtomicU64,
    /// Set once the open verified the store: the data dir's lock and what
    /// the open checked against. Only then are commits and the close
    /// recorded in the manifest.
    session: Option<Session>,
    /// A write or flush failed: the close does not vouch for the folder,
    /// and the next open checks it as after a crash.
    poisoned: AtomicBool,
}

struct Session {
    _lock: folders::DirLock,
    expected: open::Expected,
}

/// sled's handles of an open store.
pub struct Trees {
    db: sled::Db,
    meta: Tree,
    settings: Tree,
    customers: Tree,
    sales: Tree,
    imports: Tree,
    undo: Tree,
}

impl std::ops::Deref for Store {
    type Target = Trees;
    fn deref(&self) -> &Trees {
        self.trees.as_ref().expect("a store is open until it is dropped")
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let counts = self.session.as_ref().and_then(|_| counts_of(&self.meta).ok());
        let Some(trees) = self.trees.take() else { return };
        let db = trees.db.clone();
        drop(trees);
        let released = folders::close(db, &folders::store_dir(&self.dir));
        if let (Some(counts), true, false) = (counts, released, self.poisoned.load(Ordering::SeqCst)) {
            if let Err(e) = folders::record_close(&self.dir, counts) {
                eprintln!("vitalfew: the store's manifest was not written ({e}); it will be checked as after a crash");
            }
        }
        // The lock goes last, after the manifest.
        self.session = None;
    }
}

impl Store {
    /// Opens (creating if needed) the store inside `data_dir`, migrating an
    /// older schema (each step after an automatic backup) and refusing a
    /// damaged or newer one. See [`open::open_within`] for the time limit.
    pub fn open(data_dir: &Path) -> Result<Store> {
        open::open(data_dir)
    }

    fn from_db(db: sled::Db, data_dir: &Path) -> Result<Store> {
        let tree = |name: &str| db.open_tree(name).map_err(storage);
        let trees = Trees {
            meta: tree(TREE_META)?,
            settings: tree(TREE_SETTINGS)?,
            customers: tree(TREE_CUSTOMERS)?,
            sales: tree(TREE_SALES)?,
            imports: tree(TREE_IMPORTS)?,
            undo: tree(TREE_UNDO)?,
            db,
        };
        Ok(Store {
            trees: Some(trees),
            dir: data_dir.to_path_buf(),
            write: Mutex::new(()),
            generation: AtomicU64::new(0),
            session: None,
            poisoned: AtomicBool::new(false),
        })
    }

    /// Starts recording: the open verified the store; from now on a crash
    /// is an unclean session, each commit is recorded and the close too.
    fn begin(&mut self, lock: folders::DirLock, expected: open::Expected) -> std::io::Result<()> {
        self.session = Some(Session { _lock: lock, expected });
        self.record_commit()
    }

    /// Writes the manifest of a session in progress: the counts after the
    /// last commit.
    fn record_commit(&self) -> std::io::Result<()> {
        let counts = counts_of(&self.meta).map_err(|e| std::io::Error::other(e.to_string()))?;
        manifest::write(&self.dir, &manifest::Manifest::new(manifest::State::Open, counts, Vec::new()))
    }

    /// After a transaction is flushed: the change is recorded, and counted
    /// as a change of the data when it is one.
    fn committed(&self, data: bool) {
        if data {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        if self.session.is_some() {
            if let Err(e) = self.record_commit() {
                eprintln!("vitalfew: the store's manifest was not updated: {e}");
            }
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    pub fn schema_version(&self) -> Result<u32> {
        let raw = self.meta.get(KEY_SCHEMA_VERSION).map_err(storage)?;
        Ok(raw.as_deref().and_then(decode_u32).unwrap_or(0))
    }

    /// Changes since this handle was opened (imports, undos, records).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Number of stored customers.
    pub fn customer_count(&self) -> Result<u64> {
        self.meta_u64(KEY_CUSTOMERS)
    }

    /// Number of stored sales lines.
    pub fn line_count(&self) -> Result<u64> {
        self.meta_u64(KEY_SALES_LINES)
    }

    /// Whether nothing but settings is stored (nothing worth a backup).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.counted_trees()?.iter().all(|(_, t)| t.is_empty()))
    }

    fn meta_u64(&self, key: &[u8]) -> Result<u64> {
        Ok(self.meta.get(key).map_err(storage)?.as_deref().and_then(decode_u64).unwrap_or(0))
    }

    /// Every stored customer, by id.
    pub fn customers(&self) -> Result<Vec<Customer>> {
        let mut all = Vec::with_capacity(self.customer_count()? as usize);
        for chunk in self.customers.iter().values() {
            all.extend(customers::decode(&chunk.map_err(storage)?).map_err(corrupt_customers)?);
        }
        Ok(all)
    }

    /// Calls `f` for every stored sales line.
    pub fn for_each_line(&self, mut f: impl FnMut(LineRef<'_>)) -> Result<()> {
        for chunk in self.sales.iter().values() {
            let chunk = chunk.map_err(storage)?;
            lines::decode_each(&chunk, &mut f).map_err(|reason| Error::Corrupt { what: "sales lines".into(), reason })?;
        }
        Ok(())
    }

    /// The import history, newest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        self.imports.iter().values().rev().map(|v| decode_json(&v.map_err(storage)?, "import record")).collect()
    }

    // ---- records ----

    fn record_tree<R: Record>(&self) -> Result<Tree> {
        debug_assert!(record::check_tree_name(R::TREE), "bad tree name {}", R::TREE);
        self.db.open_tree(R::TREE).map_err(storage)
    }

    /// The record under `key`, if any.
    pub fn get<R: Record>(&self, key: Key) -> Result<Option<R>> {
        match self.record_tree::<R>()?.get(key.bytes()).map_err(storage)? {
            Some(raw) => Ok(Some(decode_json(&raw, R::TREE)?)),
            None => Ok(None),
        }
    }

    /// Every record of a kind, in key order.
    pub fn all<R: Record>(&self) -> Result<Vec<R>> {
        self.record_tree::<R>()?.iter().values().map(|v| decode_json(&v.map_err(storage)?, R::TREE)).collect()
    }

    /// Every record of a kind kept one per customer (`Key::Customer`), as
    /// stored (its JSON), by customer: for a caller that only asks whether
    /// one changed, without decoding them all.
    pub fn raw_by_customer<R: Record>(&self) -> Result<Vec<(u32, Vec<u8>)>> {
        let mut out = Vec::new();
        for kv in self.record_tree::<R>()?.iter() {
            let (k, v) = kv.map_err(storage)?;
            if let Ok(id) = <[u8; 4]>::try_from(&k[..]) {
                out.push((u32::from_be_bytes(id), v.to_vec()));
            }
        }
        Ok(out)
    }

    /// The records of a kind that belong to customer `id`, in key order.
    pub fn of_customer<R: Record>(&self, id: u32) -> Result<Vec<R>> {
        let tree = self.record_tree::<R>()?;
        tree.scan_prefix(id.to_be_bytes()).values().map(|v| decode_json(&v.map_err(storage)?, R::TREE)).collect()
    }

    /// Runs `change` over the record trees named in `trees` (plus `meta` and
    /// `customers`) in one transaction, then flushes. `change` may run more
    /// than once if the transaction is retried, so it must be a pure
    /// function of what it reads.
    pub fn transact<T>(&self, trees: &[&str], change: impl Fn(&Tx<'_>) -> TxResult<T>) -> Result<T> {
        let mut names = vec![TREE_META.to_string(), TREE_CUSTOMERS.to_string()];
        let mut handles = vec![self.meta.clone(), self.customers.clone()];
        for name in trees {
            if !record::check_tree_name(name) {
                return Err(Error::Storage(format!("{name} is not a record tree")));
            }
            names.push(name.to_string());
            handles.push(self.db.open_tree(name).map_err(storage)?);
        }
        let _gate = self.write_gate();
        let out = handles
            .as_slice()
            .transaction(|trees| {
                let out = change(&Tx { names: &names, trees }).map_err(ConflictableTransactionError::<Error>::from)?;
                shift(&trees[0], KEY_COMMITS, 1)?;
                Ok(out)
            })
            .map_err(|e| self.failed(tx_error(e)))?;
        self.flush()?;
        self.committed(true);
        Ok(out)
    }

    /// Reads the record under `key`, changes it, writes it back: one
    /// transaction, then a flush. A record keyed by customer needs the
    /// customer to exist.
    pub fn update<R: Record>(&self, key: Key, change: impl Fn(Option<R>) -> Result<R>) -> Result<R> {
        self.transact(&[R::TREE], |tx| {
            let new = change(tx.get::<R>(key)?)?;
            tx.put(key, &new)?;
            Ok(new)
        })
    }

    // ---- settings ----

    pub fn settings(&self) -> Result<Settings> {
        match self.settings.get(KEY_SETTINGS).map_err(storage)? {
            Some(raw) => decode_json(&raw, "settings"),
            None => Ok(Settings::default()),
        }
    }

    /// Applies `change` to the stored settings in one transaction, flushes,
    /// and returns the new settings. `change` may run more than once if the
    /// transaction is retried, so it must be a pure function of its input.
    pub fn update_settings(&self, change: impl Fn(&mut Settings)) -> Result<Settings> {
        let _gate = self.write_gate();
        let updated = (&self.meta, &self.settings)
            .transaction(|(meta, tree)| {
                let mut s = match tree.get(KEY_SETTINGS)? {
                    Some(raw) => decode_json(&raw, "settings").map_err(ConflictableTransactionError::Abort)?,
                    None => Settings::default(),
                };
                change(&mut s);
                tree.insert(KEY_SETTINGS, serde_json::to_vec(&s).expect("settings serialize"))?;
                shift(meta, KEY_COMMITS, 1)?;
                Ok(s)
            })
            .map_err(|e| self.failed(tx_error(e)))?;
        self.flush()?;
        // Settings are no data change: plans made before stay valid.
        self.committed(false);
        Ok(updated)
    }

    /// Closes the database and waits until its files are let go, so its
    /// folder can be replaced; the manifest records what it holds.
    pub fn close(self) {
        drop(self);
    }

    fn write_gate(&self) -> MutexGuard<'_, ()> {
        self.write.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes everything written so far durable (fsync).
    fn flush(&self) -> Result<()> {
        self.db.flush().map(|_| ()).map_err(|e| self.failed(storage(e)))
    }

    /// Notes that a write failed (see `poisoned`) and passes the error on.
    /// An abort of the domain's own is no failure of the store.
    fn failed(&self, e: Error) -> Error {
        if matches!(e, Error::Storage(_)) {
            self.poisoned.store(true, Ordering::SeqCst);
        }
        e
    }
}

/// What `meta` says: the schema version, the commit sequence and every
/// count (see [`manifest::Counts`]).
fn counts_of(meta: &Tree) -> Result<manifest::Counts> {
    let get = |key: &[u8]| -> Result<u64> { Ok(meta.get(key).map_err(storage)?.as_deref().and_then(decode_u64).unwrap_or(0)) };
    let mut trees = BTreeMap::new();
    for entry in meta.scan_prefix(COUNT_PREFIX.as_bytes()) {
        let (key, value) = entry.map_err(storage)?;
        let name = String::from_utf8_lossy(&key[COUNT_PREFIX.len()..]).into_owned();
        trees.insert(name, decode_u64(&value).unwrap_or(0));
    }
    Ok(manifest::Counts {
        schema_version: meta.get(KEY_SCHEMA_VERSION).map_err(storage)?.as_deref().and_then(decode_u32).unwrap_or(0),
        commits: get(KEY_COMMITS)?,
        customers: get(KEY_CUSTOMERS)?,
        sales_lines: get(KEY_SALES_LINES)?,
        trees,
    })
}

/// Adds `delta` to the u64 count under `key` in `meta`, within a transaction.
fn shift(meta: &sled::transaction::TransactionalTree, key: &[u8], delta: i64) -> Result<(), sled::transaction::UnabortableTransactionError> {
    let old = meta.get(key)?.as_deref().and_then(decode_u64).unwrap_or(0);
    meta.insert(key, &old.saturating_add_signed(delta).to_be_bytes())?;
    Ok(())
}

fn corrupt_customers(reason: String) -> Error {
    Error::Corrupt { what: "customers".into(), reason }
}

pub(crate) fn count_key(tree: &str) -> Vec<u8> {
    format!("count:{tree}").into_bytes()
}

fn decode_u32(raw: &[u8]) -> Option<u32> {
    raw.try_into().ok().map(u32::from_be_bytes)
}

pub(crate) fn decode_u64(raw: &[u8]) -> Option<u64> {
    raw.try_into().ok().map(u64::from_be_bytes)
}

pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(raw: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(raw).map_err(|e| Error::Corrupt { what: what.into(), reason: e.to_string() })
}

fn chunk_key(import: u32, chunk: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&import.to_be_bytes());
    k[4..].copy_from_slice(&chunk.to_be_bytes());
    k
}

fn storage(e: sled::Error) -> Error {
    Error::Storage(e.to_string())
}

fn tx_error(e: TransactionError<Error>) -> Error {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => storage(e),
    }
}

#[cfg(test)]
pub(crate) mod tests;
