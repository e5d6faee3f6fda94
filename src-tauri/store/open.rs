//! Opening the store without ever losing it. sled's recovery writes into
//! the files it opens, so whether the folder is as Vital Few left it is
//! decided *before* sled touches it ([`super::manifest`]):
//! - after a clean close the folder must match the manifest byte for byte,
//!   else it is refused and left exactly as it was found;
//! - after an unclean session (a crash, a kill, a power cut — or no
//!   manifest at all) the folder is first copied aside (`store.recovering`),
//!   then sled recovers the original, and the result must hold every commit
//!   the manifest recorded and decode whole; on any doubt both are kept (the
//!   copy as `store.before-recovery-<time>`) and the store stays refused. A
//!   recovery that was itself interrupted keeps the copy it made: the next
//!   one starts from it, the folder as the crash left it;
//! - a missing or empty store folder is a new store only when neither the
//!   manifest nor the backups folder says there was data.
//!
//! The folders it works with, and how one store replaces another, are
//! [`super::folders`].

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use sled::transaction::ConflictableTransactionError;

use super::manifest::{self, Counts, Found, Manifest, State};
use super::folders::{self, finish_install, install, keep_recovering, open_db, seal_incoming, store_dir, unused_name, DirLock, BEFORE_RECOVERY, INCOMING, PARTIAL, RECOVERING, REPLACED};
use super::{backup, count_key, fsx, migrate, storage, tx_error, Store, COUNTED, KEY_CREATED_AT, KEY_SCHEMA_VERSION, SCHEMA_VERSION, TREE_META};
use crate::i18n::Msg;
use crate::{Error, Result};

/// How long sled may take to open the store before it is treated as
/// damaged (sled can spin forever on some damaged files). Checking the
/// manifest and copying the folder aside come before and are not counted.
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

/// How the open found the store folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Opened {
    /// As the manifest of its last clean close says, byte for byte.
    Matched,
    /// After an unclean session: recovered by sled and checked against the
    /// last manifest.
    Recovered,
    /// Without a manifest (made by an earlier version): recovered and
    /// checked whole.
    Unrecorded,
}

/// What the open checked the store against, kept for `check`.
#[derive(Debug, Clone)]
pub(super) struct Expected {
    pub how: Opened,
    pub counts: Option<Counts>,
}

/// Opens (creating if needed) the store inside `data_dir`; sled gets at
/// most `limit`: a store it cannot open in time is reported as damaged (the
/// attempt is left running in the background; it holds nothing the
/// recovery needs).
pub fn open_within(data_dir: &Path, limit: Duration) -> Result<Store> {
    open_with(data_dir, Some(limit))
}

/// Opens (creating if needed) the store inside `data_dir`, with no time
/// limit; see the module documentation for what is refused.
pub fn open(data_dir: &Path) -> Result<Store> {
    open_with(data_dir, None)
}

fn open_with(data_dir: &Path, limit: Option<Duration>) -> Result<Store> {
    let lock = DirLock::take(data_dir)?;
    let io = |e: std::io::Error| Error::StoreOpen { path: data_dir.to_path_buf(), reason: e.to_string() };
    finish_install(data_dir).map_err(io)?;
    tidy(data_dir);
    let store_dir = store_dir(data_dir);
    let mut found = manifest::read(data_dir);
    if let Found::Newer(format, version) = &found {
        return Err(Error::StoreOpen {
            path: data_dir.to_path_buf(),
            reason: format!("it was last used by Vital Few {version}, which is newer than this one (store manifest format {format}); update Vital Few — nothing was changed"),
        });
    }
    if fsx::is_missing_or_empty(&store_dir) {
        if let Some(reason) = lost_store(data_dir, &found) {
            return Err(damaged(data_dir, reason));
        }
        create(data_dir)?;
        found = manifest::read(data_dir);
    }
    let (expected, aside) = match found {
        Found::Manifest(m) if m.state == State::Refused => {
            return Err(damaged(data_dir, m.reason.unwrap_or_else(|| crate::msg!("store.damaged.refused_before"))));
        }
        Found::Manifest(m) if m.state == State::Closed => {
            if m.counts.schema_version > SCHEMA_VERSION {
                return Err(Error::SchemaTooNew { path: data_dir.to_path_buf(), found: m.counts.schema_version, supported: SCHEMA_VERSION });
            }
            if let Some(difference) = manifest::difference(&store_dir, &m.files) {
                return Err(damaged(data_dir, difference));
            }
            // From here on a crash is an unclean session.
            manifest::write(data_dir, &Manifest::new(State::Open, m.counts.clone(), Vec::new())).map_err(io)?;
            (Expected { how: Opened::Matched, counts: Some(m.counts) }, None)
        }
        other => {
            let counts = match other {
                Found::Manifest(m) => Some(m.counts),
                _ => None,
            };
            let how = if counts.is_some() { Opened::Recovered } else { Opened::Unrecorded };
            let aside = copy_aside(data_dir).map_err(io)?;
            drop_unfinished_snapshots(&store_dir).map_err(io)?;
            (Expected { how, counts }, Some(aside))
        }
    };
    let started = {
        let (dir, expected) = (data_dir.to_path_buf(), expected.clone());
        with_limit(limit, move || start(&dir, &expected))
    };
    match started {
        Some(Ok(mut store)) => {
            // The copy goes first: a kill before `begin` is still an
            // unclean session, which copies again.
            if let Some(aside) = aside {
                discard(&aside);
            }
            store.begin(lock, expected).map_err(io)?;
            Ok(store)
        }
        Some(Err(e)) => Err(refused(data_dir, e, aside)),
        // sled spins on some damaged folders. Ten seconds are hundreds of
        // times what a sound store takes: it stays refused (not opened,
        // copied and waited for again at every start).
        None => {
            let late = damaged(data_dir, crate::msg!("store.damaged.too_slow", seconds = limit.unwrap_or_default().as_secs()));
            Err(refused(data_dir, late, aside))
        }
    }
}

/// Keeps the copy made before sled's recovery under a dated name; the
/// refusal's `reason`, saying where it is.
fn keep(data_dir: &Path, aside: Option<PathBuf>, reason: &Msg) -> Msg {
    let Some(aside) = aside else { return reason.clone() };
    let dated = data_dir.join(unused_name(data_dir, BEFORE_RECOVERY));
    let kept = match fsx::rename(&aside, &dated).and_then(|_| fsx::sync_dir(data_dir)) {
        Ok(()) => dated,
        Err(_) => aside,
    };
    crate::msg!("store.damaged.kept", reason = reason.clone(), folder = kept.display().to_string())
}

/// What an open that failed once sled had the folder leaves behind: a
/// damaged store stays refused (the manifest says why), and the copy made
/// before sled's recovery is kept beside it.
fn refused(data_dir: &Path, e: Error, aside: Option<PathBuf>) -> Error {
    let Error::StoreDamaged { reason, .. } = &e else {
        // Locked by another program, or newer: sled did not recover
        // anything, and the copy is the folder as it still is. Any other
        // failure keeps it for the next attempt.
        if let (Some(aside), Error::StoreLocked { .. } | Error::SchemaTooNew { .. }) = (aside, &e) {
            discard(&aside);
        }
        return e;
    };
    let reason = keep(data_dir, aside, reason);
    let counts = match manifest::read(data_dir) {
        Found::Manifest(m) => m.counts,
        _ => Counts::default(),
    };
    let mut m = Manifest::new(State::Refused, counts, Vec::new());
    m.reason = Some(reason.clone());
    let _ = manifest::write(data_dir, &m);
    damaged(data_dir, reason)
}

/// Runs `open` on a thread of its own when there is a time limit; `None`
/// when it ran past it.
fn with_limit(limit: Option<Duration>, open: impl FnOnce() -> Result<Store> + Send + 'static) -> Option<Result<Store>> {
    let Some(limit) = limit else { return Some(open()) };
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("store-open".into())
        .spawn(move || {
            // A store that comes too late is dropped here without a lock:
            // it records nothing (see `Store::drop`).
            let _ = tx.send(open());
        })
        .map_err(|e| Error::Storage(format!("cannot start a thread: {e}")));
    if let Err(e) = spawned {
        return Some(Err(e));
    }
    match rx.recv_timeout(limit) {
        Ok(result) => Some(result),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            ABANDONED.store(true, Ordering::SeqCst);
            None
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err(Error::Storage("opening the store failed on its thread".into()))),
    }
}

/// sled's part: opens the folder, checks the schema version, migrates an
/// older one, and verifies the store against what the open expects.
fn start(data_dir: &Path, expected: &Expected) -> Result<Store> {
    let db = open_db(&store_dir(data_dir), data_dir).map_err(|e| match e {
        Error::StoreDamaged { reason, .. } => damaged(data_dir, reason),
        other => other,
    })?;
    // The version is checked before any other tree is opened: opening a
    // tree creates it, and a newer or damaged store must not be written to.
    let meta = db.open_tree(TREE_META).map_err(storage)?;
    let found = match meta.get(KEY_SCHEMA_VERSION).map_err(storage)? {
        Some(raw) => super::decode_u32(&raw)
            .ok_or_else(|| damaged(data_dir, crate::msg!("store.damaged.version_length", bytes = raw.len())))?,
        // A new store is created whole in another folder and moved in, so a
        // store folder without a version has lost its data.
        None => return Err(damaged(data_dir, crate::msg!("store.damaged.no_version"))),
    };
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { path: data_dir.to_path_buf(), found, supported: SCHEMA_VERSION });
    }
    if found < SCHEMA_VERSION {
        migrate::run(&db, &meta, data_dir, found)?;
    }
    let store = Store::from_db(db, data_dir)?;
    // After a clean close the bytes were checked: counts and commits are
    // enough. After a crash every record must decode too.
    let full = expected.how != Opened::Matched;
    let problems = store.verify(expected.counts.as_ref(), full)?;
    if !problems.is_empty() {
        return Err(damaged(data_dir, crate::msg!("store.damaged.records", problems = problems.join("; "))));
    }
    Ok(store)
}

/// Why a missing or empty store folder is not a new store: the manifest
/// or the backups say there was data. `None`: a new store may be created.
fn lost_store(data_dir: &Path, found: &Found) -> Option<Msg> {
    match found {
        Found::Manifest(m) if m.counts.holds_data() => {
            Some(crate::msg!("store.damaged.missing_with_data", customers = m.counts.customers, lines = m.counts.sales_lines))
        }
        _ if !backup::list(data_dir).is_empty() => Some(crate::msg!("store.damaged.missing_with_backups")),
        _ => None,
    }
}

/// Copies the store folder to `store.recovering` (a copy, not links: sled
/// rewrites its files in place), complete or not at all — unless a recovery
/// that was interrupted left its copy: that one is the folder as the crash
/// left it, before any recovery touched it.
fn copy_aside(data_dir: &Path) -> std::io::Result<PathBuf> {
    let done = data_dir.join(RECOVERING);
    if done.is_dir() {
        return Ok(done);
    }
    let partial = data_dir.join(format!("{RECOVERING}{PARTIAL}"));
    fsx::copy_dir(&store_dir(data_dir), &partial)?;
    fsx::rename(&partial, &done)?;
    fsx::sync_dir(data_dir)?;
    Ok(done)
}

/// Removes the snapshot sled was writing when the process died
/// (`snap.<lsn>.generating`). sled 0.34.7 writes a snapshot under that
/// name, syncs it and renames it to `snap.<lsn>`, removing older snapshots
/// only after the rename; but at open it takes the last `snap.*` file by
/// name, `.generating` included, so a half-written one is read as the
/// newest snapshot and the open fails with "corrupted" (sled issues #1527,
/// #1533). Never renamed, it was never a snapshot sled relied on: the
/// previous one and the log hold everything. Called after the folder was
/// copied aside, so the crash's folder is kept as it was.
fn drop_unfinished_snapshots(store: &Path) -> std::io::Result<()> {
    let Ok(entries) = fs::read_dir(store) else { return Ok(()) };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Removes a copy made aside that is not needed: renamed to a partial one
/// first, so that a kill halfway leaves something [`tidy`] removes.
fn discard(aside: &Path) {
    let mut partial = aside.as_os_str().to_owned();
    partial.push(PARTIAL);
    if fsx::rename(aside, &partial).is_ok() {
        let _ = fs::remove_dir_all(&partial);
    }
}

/// Removes what a killed process left half-made: a copy aside, a backup,
/// a manifest being written.
fn tidy(data_dir: &Path) {
    let leftovers = |dir: &Path, keep: &dyn Fn(&str) -> bool| {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if keep(&name) {
                continue;
            }
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
    };
    leftovers(data_dir, &|n| n != format!("{RECOVERING}{PARTIAL}") && !(n.starts_with("store.") && n.ends_with(".manifest.tmp")));
    leftovers(&folders::backups_dir(data_dir), &|n| !n.ends_with(PARTIAL));
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
    seal_incoming(db, data_dir)?;
    install(data_dir, REPLACED).map_err(|e| Error::Storage(e.to_string()))
}

/// Sets the store of `data_dir` aside as damaged (if there is one) and
/// creates an empty one: *Start with no data*. Nothing is deleted.
pub fn start_empty(data_dir: &Path) -> Result<()> {
    let _lock = DirLock::take(data_dir)?;
    let io = |e: std::io::Error| Error::StoreOpen { path: data_dir.to_path_buf(), reason: e.to_string() };
    finish_install(data_dir).map_err(io)?;
    keep_recovering(data_dir).map_err(io)?;
    let store = store_dir(data_dir);
    if !fsx::is_missing_or_empty(&store) {
        fsx::rename(&store, data_dir.join(folders::damaged_name(data_dir))).map_err(io)?;
    } else if store.exists() {
        fs::remove_dir(&store).map_err(io)?;
    }
    if manifest::path(data_dir).exists() {
        fs::remove_file(manifest::path(data_dir)).map_err(io)?;
    }
    fsx::sync_dir(data_dir).map_err(io)?;
    create(data_dir)
}

/// The error for a damaged store, naming the newest backup that verifies.
fn damaged(data_dir: &Path, reason: Msg) -> Error {
    let newest = backup::newest_good(data_dir).map(|b| b.file);
    Error::StoreDamaged { path: data_dir.to_path_buf(), reason, backup: newest }
}
