//! Opening the store without ever losing it: a time limit, damage
//! detection, and the folder swaps (a new store, a restore) done in steps a
//! crash can interrupt anywhere.
//!
//! Folders inside the data dir:
//! - `store/` — the sled database;
//! - `store.incoming/` — a complete, flushed store waiting to replace it;
//!   the file `store.incoming.ready` says it is complete and names where
//!   the old store goes (`store.replaced`, removed once the swap is done, or
//!   `store.damaged-<time>`, which is never removed);
//! - `backups/` — see [`super::backup`].

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sled::transaction::ConflictableTransactionError;

use super::{backup, count_key, migrate, storage, tx_error, Store, COUNTED, KEY_CREATED_AT, KEY_SCHEMA_VERSION, SCHEMA_VERSION, TREE_META};
use crate::{Error, Result};

/// How long opening may take before the store is treated as damaged (sled
/// can spin forever on some damaged files).
pub const OPEN_LIMIT: Duration = Duration::from_secs(10);

/// Set when an open was given up on while it still ran (see [`open_within`]).
static ABANDONED: AtomicBool = AtomicBool::new(false);

/// Whether an open that ran past its time limit may still be running in
/// this process. It holds the old store's files and could, should it ever
/// finish, write into whatever is at that path then: a window restarts after
/// restoring in that case.
pub fn open_abandoned() -> bool {
    ABANDONED.load(Ordering::SeqCst)
}

/// sled's page cache. Its default (1 GiB) lets RSS grow far beyond what a
/// desktop app should take.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How long to wait for a store another process (or a closing handle) holds.
const LOCK_WAIT: Duration = Duration::from_millis(1500);

const STORE: &str = "store";
const INCOMING: &str = "store.incoming";
const READY: &str = "store.incoming.ready";
const REPLACED: &str = "store.replaced";

/// Opens the store in `data_dir`, giving up after `limit`: a store that
/// cannot be opened in time is reported as damaged (the attempt is left
/// running in the background; it holds nothing the recovery needs).
pub fn open_within(data_dir: &Path, limit: Duration) -> Result<Store> {
    let (tx, rx) = mpsc::channel();
    let dir = data_dir.to_path_buf();
    std::thread::Builder::new()
        .name("store-open".into())
        .spawn(move || {
            let _ = tx.send(open(&dir));
        })
        .map_err(|e| Error::Storage(format!("cannot start a thread: {e}")))?;
    match rx.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            ABANDONED.store(true, Ordering::SeqCst);
            Err(damaged(data_dir, format!("it could not be opened within {} seconds", limit.as_secs())))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(damaged(data_dir, "reading it failed".into())),
    }
}

/// Opens (creating if needed) the store inside `data_dir`; see the module
/// documentation of [`super`] for what is refused.
pub fn open(data_dir: &Path) -> Result<Store> {
    let io = |e: std::io::Error| Error::StoreOpen { path: data_dir.to_path_buf(), reason: e.to_string() };
    fs::create_dir_all(data_dir).map_err(io)?;
    finish_install(data_dir).map_err(io)?;
    let store_dir = data_dir.join(STORE);
    if fs::read_dir(&store_dir).map_or(true, |mut d| d.next().is_none()) {
        create(data_dir).map_err(|e| match e {
            Error::Storage(reason) => Error::StoreOpen { path: data_dir.to_path_buf(), reason },
            other => other,
        })?;
    }
    let db = open_db(&store_dir, data_dir)?;
    // The version is checked before any other tree is opened: opening a
    // tree creates it, and a newer or damaged store must not be written to.
    let meta = db.open_tree(TREE_META).map_err(storage)?;
    let found = match meta.get(KEY_SCHEMA_VERSION).map_err(storage)? {
        Some(raw) => super::decode_u32(&raw)
            .ok_or_else(|| damaged(data_dir, format!("its schema version is {} bytes long instead of 4", raw.len())))?,
        // A new store is created whole in another folder and moved in, so a
        // store folder without a version has lost its data.
        None => return Err(damaged(data_dir, "its folder holds a database without a schema version".into())),
    };
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { path: data_dir.to_path_buf(), found, supported: SCHEMA_VERSION });
    }
    if found < SCHEMA_VERSION {
        migrate::run(&db, &meta, data_dir, found)?;
    }
    let store = Store::from_db(db, data_dir)?;
    let problems = store.check_counts();
    if !problems.is_empty() {
        return Err(damaged(data_dir, format!("parts of it are missing ({})", problems.join("; "))));
    }
    Ok(store)
}

/// A sled handle on `dir`, waiting briefly for a lock another handle holds.
pub(super) fn open_db(dir: &Path, data_dir: &Path) -> Result<sled::Db> {
    let config = sled::Config::new().path(dir).cache_capacity(CACHE_BYTES);
    // The lock is released a moment after its holder closes (sled's flusher
    // thread lets go asynchronously), so a lock error is retried briefly.
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(io)) if is_lock_error(&io) => {
                if Instant::now() >= deadline {
                    return Err(Error::StoreLocked { path: data_dir.to_path_buf() });
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(sled::Error::Io(io)) => return Err(Error::StoreOpen { path: data_dir.to_path_buf(), reason: io.to_string() }),
            Err(sled::Error::Corruption { .. }) => return Err(damaged(data_dir, "some of its data is corrupted".into())),
            Err(other) => return Err(damaged(data_dir, format!("reading it failed ({other})"))),
        }
    }
}

fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock")
}

/// Creates an empty store of the current schema in `store.incoming` and
/// moves it in.
fn create(data_dir: &Path) -> Result<()> {
    let incoming = data_dir.join(INCOMING);
    if incoming.exists() {
        fs::remove_dir_all(&incoming).map_err(|e| Error::Storage(e.to_string()))?;
    }
    let db = open_db(&incoming, data_dir)?;
    let meta = db.open_tree(TREE_META).map_err(storage)?;
    let now = chrono::Utc::now().to_rfc3339();
    meta.transaction(|meta| {
        meta.insert(KEY_SCHEMA_VERSION, &SCHEMA_VERSION.to_be_bytes())?;
        meta.insert(KEY_CREATED_AT, now.as_bytes())?;
        for tree in COUNTED {
            meta.insert(count_key(tree), &0u64.to_be_bytes())?;
        }
        Ok::<_, ConflictableTransactionError<Error>>(())
    })
    .map_err(tx_error)?;
    db.flush().map_err(storage)?;
    drop(meta);
    close(db, &incoming);
    install(data_dir, REPLACED).map_err(|e| Error::Storage(e.to_string()))
}

/// Closes a sled handle and waits until its files are let go (sled's
/// background thread holds them a moment longer).
pub(super) fn close(db: sled::Db, dir: &Path) {
    drop(db);
    let deadline = Instant::now() + Duration::from_secs(10);
    let Ok(file) = fs::File::open(dir.join("db")) else { return };
    while file.try_lock().is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Makes the complete store in `store.incoming` the store; the old one goes
/// to `aside` (a name inside the data dir).
pub(super) fn install(data_dir: &Path, aside: &str) -> std::io::Result<()> {
    let mut ready = fs::File::create(data_dir.join(READY))?;
    ready.write_all(aside.as_bytes())?;
    ready.sync_all()?;
    sync_dir(data_dir)?;
    finish_install(data_dir)
}

/// Completes (or, when the incoming store was not complete, discards) a
/// swap a crash interrupted. Each step can be repeated.
fn finish_install(data_dir: &Path) -> std::io::Result<()> {
    let ready = data_dir.join(READY);
    let incoming = data_dir.join(INCOMING);
    let store = data_dir.join(STORE);
    let replaced = data_dir.join(REPLACED);
    let Ok(aside) = fs::read_to_string(&ready) else {
        if incoming.exists() {
            fs::remove_dir_all(&incoming)?;
        }
        // Without the ready mark a swap is complete: an old store still set
        // aside is what a crash left while it was being removed.
        if replaced.exists() {
            fs::remove_dir_all(&replaced)?;
        }
        return Ok(());
    };
    let aside = data_dir.join(if aside.is_empty() || aside.contains(['/', '\\']) { REPLACED } else { aside.as_str() });
    if incoming.exists() {
        if store.exists() {
            if aside.exists() {
                fs::remove_dir_all(&aside)?;
            }
            fs::rename(&store, &aside)?;
        }
        fs::rename(&incoming, &store)?;
        sync_dir(data_dir)?;
    }
    // The old store goes before the mark: removing it can be repeated.
    if replaced.exists() {
        fs::remove_dir_all(&replaced)?;
    }
    fs::remove_file(&ready)?;
    sync_dir(data_dir)
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Where the store folder of `data_dir` is.
pub fn store_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(STORE)
}

/// Where a restore builds the store that will replace the current one.
pub(super) fn incoming_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(INCOMING)
}

/// The name a damaged store is kept under when it is replaced.
pub(super) fn damaged_name() -> String {
    format!("store.damaged-{}", chrono::Local::now().format("%Y%m%d-%H%M%S"))
}

/// The error for a damaged store, naming the newest backup that verifies.
fn damaged(data_dir: &Path, reason: String) -> Error {
    let newest = backup::newest_good(data_dir).map(|b| b.file);
    Error::StoreDamaged { path: data_dir.to_path_buf(), reason, backup: newest }
}
