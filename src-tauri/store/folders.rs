//! The data folder, at the bottom of the store: the names of what it
//! holds, the lock one process takes on it, a sled handle opened and closed
//! (with the manifest of a clean close), and the swap that installs a
//! complete new store in place of the old one. Restore and *Start with no
//! data* replace the store only through [`install`].
//!
//! Folders and files inside the data dir:
//! - `store/` — the sled database; `store.manifest` — what it holds
//!   ([`super::manifest`]); `store.lock` — held by the process using it;
//! - `store.incoming/` — a complete, flushed store waiting to replace it,
//!   with its manifest `store.incoming.manifest`; the file
//!   `store.incoming.ready` says it is complete and names where the old
//!   store goes (`store.replaced`, removed once the swap is done, or
//!   `store.damaged-<time>`, which is never removed);
//! - `store.recovering/` — the folder as a crash left it, while sled
//!   recovers the store; `store.before-recovery-<time>/` — the same, kept
//!   when the recovery was refused;
//! - `backups/` — see [`super::backup`].

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::manifest::{self, Counts, Manifest, State};
use super::{counts_of, fsx, storage, TREE_META};
use crate::i18n::Msg;
use crate::{Error, Result};

/// sled's page cache. Its default (1 GiB) lets RSS grow far beyond what a
/// desktop app should take.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How long to wait for a store another process (or a closing handle) holds.
const LOCK_WAIT: Duration = Duration::from_millis(1500);
const STORE: &str = "store";
const LOCK: &str = "store.lock";
pub const INCOMING: &str = "store.incoming";
const INCOMING_MANIFEST: &str = "store.incoming.manifest";
const READY: &str = "store.incoming.ready";
pub const REPLACED: &str = "store.replaced";
pub const RECOVERING: &str = "store.recovering";
pub const BEFORE_RECOVERY: &str = "store.before-recovery-";
pub const PARTIAL: &str = ".partial";

/// The data dir's lock: one process at a time reads the manifest, opens,
/// swaps or closes its store. Held by the open [`Store`] and by a restore.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Takes the lock of `data_dir`, waiting briefly for a process that is
    /// closing it.
    pub fn take(data_dir: &Path) -> Result<DirLock> {
        let io = |e: std::io::Error| Error::StoreOpen { path: data_dir.to_path_buf(), reason: e.to_string() };
        fs::create_dir_all(data_dir).map_err(io)?;
        let file = File::options().create(true).truncate(false).write(true).open(data_dir.join(LOCK)).map_err(io)?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(DirLock { _file: file }),
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(25)),
                Err(fs::TryLockError::WouldBlock) => return Err(Error::StoreLocked { path: data_dir.to_path_buf() }),
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
        }
    }
}

/// A sled handle on `dir`, waiting briefly for a lock another handle holds.
pub fn open_db(dir: &Path, data_dir: &Path) -> Result<sled::Db> {
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
            Err(sled::Error::Corruption { .. }) => return Err(damaged(data_dir, crate::msg!("store.damaged.corrupted"))),
            Err(other) => return Err(damaged(data_dir, crate::msg!("store.damaged.read_failed", reason = other.to_string()))),
        }
    }
}

fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock")
}

/// Closes the complete store built in `store.incoming` and writes its
/// manifest beside it, so that it opens as a cleanly closed store once it
/// is moved in.
pub fn seal_incoming(db: sled::Db, data_dir: &Path) -> Result<()> {
    let counts = counts_of(&db.open_tree(TREE_META).map_err(storage)?)?;
    let incoming = incoming_dir(data_dir);
    if !close(db, &incoming) {
        return Err(Error::Storage("the new store was not released in time".into()));
    }
    let files = manifest::snapshot(&incoming).map_err(|e| Error::Storage(e.to_string()))?;
    manifest::write_named(data_dir, INCOMING_MANIFEST, &Manifest::new(State::Closed, counts, files)).map_err(|e| Error::Storage(e.to_string()))
}

/// Records a clean close of the store in `data_dir`: what its folder holds
/// now that sled let go of it, and `counts`.
pub fn record_close(data_dir: &Path, counts: Counts) -> std::io::Result<()> {
    let files = manifest::snapshot(&store_dir(data_dir))?;
    manifest::write(data_dir, &Manifest::new(State::Closed, counts, files))
}

/// Closes a sled handle and waits until its files are let go (sled's
/// background thread holds them a moment longer); `false` when they were
/// not within 10 s.
pub fn close(db: sled::Db, dir: &Path) -> bool {
    drop(db);
    let deadline = Instant::now() + Duration::from_secs(10);
    let Ok(file) = File::open(dir.join("db")) else { return true };
    loop {
        if file.try_lock().is_ok() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Makes the complete store in `store.incoming` the store; the old one goes
/// to `aside` (a name inside the data dir).
pub fn install(data_dir: &Path, aside: &str) -> std::io::Result<()> {
    let mut ready = File::create(data_dir.join(READY))?;
    ready.write_all(aside.as_bytes())?;
    ready.sync_all()?;
    fsx::sync_dir(data_dir)?;
    finish_install(data_dir)
}

/// Completes (or, when the incoming store was not complete, discards) a
/// swap a crash interrupted. Each step can be repeated.
pub fn finish_install(data_dir: &Path) -> std::io::Result<()> {
    let ready = data_dir.join(READY);
    let incoming = data_dir.join(INCOMING);
    let incoming_manifest = data_dir.join(INCOMING_MANIFEST);
    let store = data_dir.join(STORE);
    let replaced = data_dir.join(REPLACED);
    let Ok(aside) = fs::read_to_string(&ready) else {
        if incoming.exists() {
            fs::remove_dir_all(&incoming)?;
        }
        if incoming_manifest.exists() {
            fs::remove_file(&incoming_manifest)?;
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
            fsx::rename(&store, &aside)?;
        }
        keep_recovering(data_dir)?;
        fsx::rename(&incoming, &store)?;
        fsx::sync_dir(data_dir)?;
        if !incoming_manifest.exists() {
            // The old store's manifest does not describe the new one.
            match fs::remove_file(manifest::path(data_dir)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    if incoming_manifest.exists() {
        fsx::rename(&incoming_manifest, manifest::path(data_dir))?;
        fsx::sync_dir(data_dir)?;
    }
    // The old store goes before the mark: removing it can be repeated.
    if replaced.exists() {
        fs::remove_dir_all(&replaced)?;
    }
    fs::remove_file(&ready)?;
    fsx::sync_dir(data_dir)
}

/// A copy left by an interrupted recovery belongs to the store being
/// replaced: it is kept under a dated name, never reused for another store.
pub fn keep_recovering(data_dir: &Path) -> std::io::Result<()> {
    let recovering = data_dir.join(RECOVERING);
    if recovering.is_dir() {
        fsx::rename(&recovering, data_dir.join(unused_name(data_dir, BEFORE_RECOVERY)))?;
    }
    Ok(())
}

/// Where the store folder of `data_dir` is.
pub fn store_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(STORE)
}

/// Where a restore builds the store that will replace the current one.
pub fn incoming_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(INCOMING)
}

/// The name a damaged store is kept under when it is replaced.
pub fn damaged_name(data_dir: &Path) -> String {
    unused_name(data_dir, "store.damaged-")
}

/// `<prefix><time>`, numbered when a folder of that name exists already.
pub fn unused_name(data_dir: &Path, prefix: &str) -> String {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut name = format!("{prefix}{stamp}");
    let mut n = 2;
    while data_dir.join(&name).exists() {
        name = format!("{prefix}{stamp}-{n}");
        n += 1;
    }
    name
}

/// `<data dir>/backups`: the backups kept for the owner ([`super::backup`]).
pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

/// A damaged store at `data_dir`; the open names the newest good backup
/// ([`super::open`]).
fn damaged(data_dir: &Path, reason: Msg) -> Error {
    Error::StoreDamaged { path: data_dir.to_path_buf(), reason, backup: None }
}
