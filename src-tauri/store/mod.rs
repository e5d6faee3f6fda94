//! The store: the only module that touches sled.
//!
//! Layout (one sled database in `<data dir>/store/`):
//! - tree `meta`: `schema_version` (u32, big-endian), `created_at` (RFC 3339),
//!   `sales_lines` (u64 count), `next_import` (u32);
//! - tree `settings`: `settings` (JSON of [`Settings`]);
//! - tree `customers`: customer id (u32 BE) → JSON of [`Customer`];
//! - tree `sales`: import id (u32 BE) ++ chunk number (u32 BE) → a chunk of
//!   sales lines ([`lines`]);
//! - tree `imports`: import id → JSON of [`ImportRecord`]; tree `undo`:
//!   import id → what undoing that import restores;
//! - tree `accounts`: customer id (u32 BE) → JSON of [`Account`] (kept when
//!   demoted).
//!
//! Invariants: every user action is one sled transaction followed by a
//! flush (fsync), so a crash leaves the old state or the new one; a store
//! whose schema version is newer than [`SCHEMA_VERSION`] is refused before
//! anything is written to it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use sled::Tree;

use crate::accounts::Account;
use crate::import::Plan;
use crate::model::{Customer, ImportRecord, Settings, StoreInfo};
use crate::{Error, Result};

pub mod lines;
pub use lines::{EncodedLines, LineEncoder, LineRef};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

const TREE_META: &str = "meta";
const TREE_SETTINGS: &str = "settings";
const TREE_CUSTOMERS: &str = "customers";
const TREE_SALES: &str = "sales";
const TREE_IMPORTS: &str = "imports";
const TREE_UNDO: &str = "undo";
const TREE_ACCOUNTS: &str = "accounts";

const KEY_SCHEMA_VERSION: &[u8] = b"schema_version";
const KEY_CREATED_AT: &[u8] = b"created_at";
const KEY_SETTINGS: &[u8] = b"settings";
const KEY_SALES_LINES: &[u8] = b"sales_lines";
const KEY_NEXT_IMPORT: &[u8] = b"next_import";

/// sled's page cache. Its default (1 GiB) lets RSS grow far beyond what a
/// desktop app should take.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// How long to wait for a store another process (or a closing handle) holds.
const LOCK_WAIT: Duration = Duration::from_millis(1500);

pub struct Store {
    db: sled::Db,
    dir: PathBuf,
    meta: Tree,
    settings: Tree,
    customers: Tree,
    sales: Tree,
    imports: Tree,
    undo: Tree,
    accounts: Tree,
}

/// What undoing an import restores.
#[derive(Debug, Serialize, Deserialize)]
struct UndoInfo {
    /// Customers as they were before the import changed them.
    previous: Vec<Customer>,
    /// Customers the import created.
    created: Vec<u32>,
    chunks: u32,
}

impl Store {
    /// Opens (creating if needed) the store inside `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Store> {
        let open_err = |reason: String| Error::StoreOpen { path: data_dir.to_path_buf(), reason };
        std::fs::create_dir_all(data_dir).map_err(|e| open_err(e.to_string()))?;
        let config = sled::Config::new().path(data_dir.join("store")).cache_capacity(CACHE_BYTES);
        // The lock is released a moment after its holder closes (sled's flusher
        // thread lets go asynchronously), so a lock error is retried briefly.
        let deadline = Instant::now() + LOCK_WAIT;
        let db = loop {
            match config.open() {
                Ok(db) => break db,
                Err(sled::Error::Io(io)) if is_lock_error(&io) => {
                    if Instant::now() >= deadline {
                        return Err(Error::StoreLocked { path: data_dir.to_path_buf() });
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(other) => return Err(open_err(other.to_string())),
            }
        };
        // The version is checked before any other tree is opened: opening a
        // tree creates it, and a newer store must not be written to.
        let meta = db.open_tree(TREE_META).map_err(storage)?;
        check_or_init_schema(&db, &meta, data_dir)?;
        let tree = |name: &str| db.open_tree(name).map_err(storage);
        Ok(Store {
            settings: tree(TREE_SETTINGS)?,
            customers: tree(TREE_CUSTOMERS)?,
            sales: tree(TREE_SALES)?,
            imports: tree(TREE_IMPORTS)?,
            undo: tree(TREE_UNDO)?,
            accounts: tree(TREE_ACCOUNTS)?,
            meta,
            dir: data_dir.to_path_buf(),
            db,
        })
    }

    pub fn schema_version(&self) -> Result<u32> {
        let raw = self.meta.get(KEY_SCHEMA_VERSION).map_err(storage)?;
        Ok(raw.as_deref().and_then(decode_u32).unwrap_or(0))
    }

    /// Counts and identity of this store, for `vitalfew info` and the UI.
    pub fn info(&self) -> Result<StoreInfo> {
        Ok(StoreInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.dir.display().to_string(),
            schema_version: self.schema_version()?,
            customers: self.customers.len() as u64,
            sales_lines: self.meta_u64(KEY_SALES_LINES)?,
            accounts: self.accounts()?.iter().filter(|a| a.active).count() as u64,
        })
    }

    /// Number of stored sales lines.
    pub fn line_count(&self) -> Result<u64> {
        self.meta_u64(KEY_SALES_LINES)
    }

    fn meta_u64(&self, key: &[u8]) -> Result<u64> {
        Ok(self.meta.get(key).map_err(storage)?.as_deref().and_then(decode_u64).unwrap_or(0))
    }

    /// Every stored customer, by id.
    pub fn customers(&self) -> Result<Vec<Customer>> {
        self.customers
            .iter()
            .values()
            .map(|v| {
                let v = v.map_err(storage)?;
                serde_json::from_slice(&v).map_err(|e| Error::Corrupt { what: "customer".into(), reason: e.to_string() })
            })
            .collect()
    }

    /// Every account record (active and demoted), by customer id.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.accounts.iter().values().map(|v| decode_json(&v.map_err(storage)?, "account")).collect()
    }

    /// The account record of customer `id`, if it was ever promoted.
    pub fn account(&self, id: u32) -> Result<Option<Account>> {
        match self.accounts.get(id.to_be_bytes()).map_err(storage)? {
            Some(raw) => Ok(Some(decode_json(&raw, "account")?)),
            None => Ok(None),
        }
    }

    /// Changes the account record of customer `id` (`None`: never promoted)
    /// with `change` — one transaction, then a flush. `change` may run more
    /// than once if the transaction is retried, so it must be a pure
    /// function of its input. Fails when there is no such customer.
    pub fn change_account(&self, id: u32, change: impl Fn(Option<Account>) -> Result<Account>) -> Result<Account> {
        let key = id.to_be_bytes();
        let account = (&self.customers, &self.accounts)
            .transaction(|(customers, accounts)| {
                let abort = ConflictableTransactionError::Abort;
                if customers.get(key)?.is_none() {
                    return Err(abort(Error::NotFound(format!("there is no customer with id {id}"))));
                }
                let old = match accounts.get(key)? {
                    Some(raw) => Some(decode_json(&raw, "account").map_err(abort)?),
                    None => None,
                };
                let new = change(old).map_err(abort)?;
                accounts.insert(&key, serde_json::to_vec(&new).expect("account serializes"))?;
                Ok(new)
            })
            .map_err(tx_error)?;
        self.flush()?;
        Ok(account)
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

    /// Commits a plan: its customers and new lines, a history record and
    /// what undo needs — one transaction, then a flush. Returns `None` (and
    /// writes nothing) when the plan changes nothing.
    pub fn commit_import(&self, plan: &Plan, at: &str) -> Result<Option<ImportRecord>> {
        if !plan.preview.changes_anything() {
            return Ok(None);
        }
        // The plan holds its lines already encoded as sled values: inserting
        // one shares it (a retried transaction inserts it again), never copies.
        let chunks = plan.lines.chunks();
        let customer_json: Vec<(u32, Vec<u8>)> =
            plan.upserts.iter().map(|c| (c.id, serde_json::to_vec(c).expect("customer serializes"))).collect();
        let p = &plan.preview;
        let trees = (&self.meta, &self.customers, &self.sales, &self.imports, &self.undo);
        let record = trees
            .transaction(|(meta, customers, sales, imports, undo)| {
                let id = meta.get(KEY_NEXT_IMPORT)?.as_deref().and_then(decode_u32).unwrap_or(1);
                let mut info = UndoInfo { previous: Vec::new(), created: Vec::new(), chunks: chunks.len() as u32 };
                for (cid, json) in &customer_json {
                    match customers.insert(&cid.to_be_bytes(), json.as_slice())? {
                        Some(old) => info.previous.push(
                            decode_json(&old, "customer").map_err(ConflictableTransactionError::Abort)?,
                        ),
                        None => info.created.push(*cid),
                    }
                }
                for (n, chunk) in chunks.iter().enumerate() {
                    sales.insert(chunk_key(id, n as u32).as_slice(), chunk.clone())?;
                }
                let record = ImportRecord {
                    id,
                    file_name: p.file_name.clone(),
                    at: at.to_string(),
                    shape: p.shape,
                    rows: p.rows,
                    customers: p.customers,
                    new_customers: p.new_customers,
                    sales_lines: plan.lines.len() as u64,
                    skipped: p.skipped,
                    checksum: plan.checksum.clone(),
                };
                imports.insert(&id.to_be_bytes(), serde_json::to_vec(&record).expect("record serializes"))?;
                undo.insert(&id.to_be_bytes(), serde_json::to_vec(&info).expect("undo serializes"))?;
                let count = meta.get(KEY_SALES_LINES)?.as_deref().and_then(decode_u64).unwrap_or(0);
                meta.insert(KEY_SALES_LINES, &(count + record.sales_lines).to_be_bytes())?;
                meta.insert(KEY_NEXT_IMPORT, &(id + 1).to_be_bytes())?;
                Ok(record)
            })
            .map_err(tx_error)?;
        self.flush()?;
        Ok(Some(record))
    }

    /// Undoes the most recent import, restoring exactly the state before it.
    pub fn undo_last_import(&self) -> Result<ImportRecord> {
        let (key, raw) = self
            .imports
            .last()
            .map_err(storage)?
            .ok_or_else(|| Error::NotFound("there is no import to undo".into()))?;
        let record: ImportRecord = decode_json(&raw, "import record")?;
        let info: UndoInfo = match self.undo.get(&key).map_err(storage)? {
            Some(v) => decode_json(&v, "undo record")?,
            None => return Err(Error::Corrupt { what: "undo record".into(), reason: format!("missing for import {}", record.id) }),
        };
        if let Some(id) = info.created.iter().find(|id| matches!(self.accounts.contains_key(id.to_be_bytes()), Ok(true))) {
            return Err(Error::InvalidArgument(format!(
                "cannot undo the import of {}: customer {id}, which it added, has a key-account record (its history and notes would be lost)",
                record.file_name
            )));
        }
        let trees = (&self.meta, &self.customers, &self.sales, &self.imports, &self.undo);
        trees
            .transaction(|(meta, customers, sales, imports, undo)| {
                for c in &info.previous {
                    customers.insert(&c.id.to_be_bytes(), serde_json::to_vec(c).expect("customer serializes"))?;
                }
                for id in &info.created {
                    customers.remove(&id.to_be_bytes())?;
                }
                for n in 0..info.chunks {
                    sales.remove(chunk_key(record.id, n).as_slice())?;
                }
                imports.remove(&key)?;
                undo.remove(&key)?;
                let count = meta.get(KEY_SALES_LINES)?.as_deref().and_then(decode_u64).unwrap_or(0);
                meta.insert(KEY_SALES_LINES, &count.saturating_sub(record.sales_lines).to_be_bytes())?;
                meta.insert(KEY_NEXT_IMPORT, &record.id.to_be_bytes())?;
                Ok::<_, ConflictableTransactionError<Error>>(())
            })
            .map_err(tx_error)?;
        self.flush()?;
        Ok(record)
    }

    pub fn settings(&self) -> Result<Settings> {
        match self.settings.get(KEY_SETTINGS).map_err(storage)? {
            Some(raw) => decode_settings(&raw),
            None => Ok(Settings::default()),
        }
    }

    /// Applies `change` to the stored settings in one transaction, flushes,
    /// and returns the new settings. `change` may run more than once if the
    /// transaction is retried, so it must be a pure function of its input.
    pub fn update_settings(&self, change: impl Fn(&mut Settings)) -> Result<Settings> {
        let updated = self
            .settings
            .transaction(|tree| {
                let mut s = match tree.get(KEY_SETTINGS)? {
                    Some(raw) => decode_settings(&raw).map_err(ConflictableTransactionError::Abort)?,
                    None => Settings::default(),
                };
                change(&mut s);
                let json = serde_json::to_vec(&s).expect("settings serialize");
                tree.insert(KEY_SETTINGS, json)?;
                Ok(s)
            })
            .map_err(tx_error)?;
        self.flush()?;
        Ok(updated)
    }

    /// Makes everything written so far durable (fsync).
    fn flush(&self) -> Result<()> {
        self.db.flush().map(|_| ()).map_err(storage)
    }
}

fn check_or_init_schema(db: &sled::Db, meta: &Tree, dir: &Path) -> Result<()> {
    match meta.get(KEY_SCHEMA_VERSION).map_err(storage)? {
        Some(raw) => {
            let found = decode_u32(&raw).ok_or_else(|| Error::Corrupt {
                what: "schema_version".into(),
                reason: format!("expected 4 bytes, found {}", raw.len()),
            })?;
            if found > SCHEMA_VERSION {
                return Err(Error::SchemaTooNew { path: dir.to_path_buf(), found, supported: SCHEMA_VERSION });
            }
            // Older versions would be migrated here; version 1 is the first.
            Ok(())
        }
        None => {
            let now = chrono::Utc::now().to_rfc3339();
            meta.transaction(|meta| {
                meta.insert(KEY_SCHEMA_VERSION, &SCHEMA_VERSION.to_be_bytes())?;
                meta.insert(KEY_CREATED_AT, now.as_bytes())?;
                Ok::<_, ConflictableTransactionError<Error>>(())
            })
            .map_err(tx_error)?;
            db.flush().map(|_| ()).map_err(storage)
        }
    }
}

fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock")
}

fn decode_u32(raw: &[u8]) -> Option<u32> {
    raw.try_into().ok().map(u32::from_be_bytes)
}

fn decode_u64(raw: &[u8]) -> Option<u64> {
    raw.try_into().ok().map(u64::from_be_bytes)
}

fn decode_json<T: serde::de::DeserializeOwned>(raw: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(raw).map_err(|e| Error::Corrupt { what: what.into(), reason: e.to_string() })
}

fn chunk_key(import: u32, chunk: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&import.to_be_bytes());
    k[4..].copy_from_slice(&chunk.to_be_bytes());
    k
}

fn decode_settings(raw: &[u8]) -> Result<Settings> {
    serde_json::from_slice(raw)
        .map_err(|e| Error::Corrupt { what: "settings".into(), reason: e.to_string() })
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
mod tests;
