//! The store: the only module that touches sled.
//!
//! Layout (one sled database in `<data dir>/store/`):
//! - tree `meta`: `schema_version` (u32, big-endian), `created_at` (RFC 3339);
//! - tree `settings`: `settings` (JSON of [`Settings`]);
//! - trees `customers`, `sales`, `accounts`: filled by later features.
//!
//! Invariants: every user action is one sled transaction followed by a
//! flush (fsync), so a crash leaves the old state or the new one; a store
//! whose schema version is newer than [`SCHEMA_VERSION`] is refused before
//! anything is written to it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Tree;

use crate::model::{Settings, StoreInfo};
use crate::{Error, Result};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

const TREE_META: &str = "meta";
const TREE_SETTINGS: &str = "settings";
const TREE_CUSTOMERS: &str = "customers";
const TREE_SALES: &str = "sales";
const TREE_ACCOUNTS: &str = "accounts";

const KEY_SCHEMA_VERSION: &[u8] = b"schema_version";
const KEY_CREATED_AT: &[u8] = b"created_at";
const KEY_SETTINGS: &[u8] = b"settings";

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
        Ok(Store { settings: db.open_tree(TREE_SETTINGS).map_err(storage)?, meta, dir: data_dir.to_path_buf(), db })
    }

    pub fn schema_version(&self) -> Result<u32> {
        let raw = self.meta.get(KEY_SCHEMA_VERSION).map_err(storage)?;
        Ok(raw.as_deref().and_then(decode_u32).unwrap_or(0))
    }

    /// Counts and identity of this store, for `vitalfew info` and the UI.
    pub fn info(&self) -> Result<StoreInfo> {
        let count = |name: &str| -> Result<u64> {
            Ok(self.db.open_tree(name).map_err(storage)?.len() as u64)
        };
        Ok(StoreInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.dir.display().to_string(),
            schema_version: self.schema_version()?,
            customers: count(TREE_CUSTOMERS)?,
            sales_lines: count(TREE_SALES)?,
            accounts: count(TREE_ACCOUNTS)?,
        })
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
