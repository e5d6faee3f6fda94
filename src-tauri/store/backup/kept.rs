//! The backups folder, `<data dir>/backups/`: where automatic and daily
//! backups are written, how many of each are kept, and which are there
//! (listed, verified, the newest good one). Backups are recognised by their
//! first bytes, not their names: every file of the folder that starts with
//! `VFBACKUP` is listed, whatever it is called (a manual backup saved as
//! `base_backup.vfb` too).

use std::fs;
use std::path::{Path, PathBuf};

use super::format::{looks_like_backup, read_info, verify, write_db};
use super::{BackupInfo, Cause, Kind, Summary, EXTENSION};
use crate::store::{folders, Store};
use crate::i18n::Msg;
use crate::{Error, Result};

/// Backups kept by kind; manual ones are never removed.
const KEEP_AUTO: usize = 10;
const KEEP_DAILY: usize = 7;

/// Writes an automatic or daily backup into `<data dir>/backups/` and
/// removes the oldest ones of its kind beyond what is kept.
pub fn write_auto(db: &sled::Db, data_dir: &Path, cause: &Cause, summary: &Summary) -> Result<BackupInfo> {
    let path = new_path(data_dir, cause.kind())?;
    let written = write_db(db, &path, cause, summary)?;
    prune(data_dir)?;
    Ok(written)
}

/// Like [`write_auto`], holding the store's write gate.
pub fn write_in_folder(store: &Store, cause: &Cause, summary: &Summary) -> Result<BackupInfo> {
    let _gate = store.write_gate();
    write_auto(&store.db, &store.dir, cause, summary)
}

/// `<data dir>/backups`.
pub fn folder(data_dir: &Path) -> PathBuf {
    folders::backups_dir(data_dir)
}

fn new_path(data_dir: &Path, kind: Kind) -> Result<PathBuf> {
    let dir = folder(data_dir);
    fs::create_dir_all(&dir).map_err(|e| Error::Output(format!("{}: {e}", dir.display())))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{stamp}-{}.{EXTENSION}", kind.name()));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stamp}-{}-{n}.{EXTENSION}", kind.name()));
        n += 1;
    }
    Ok(path)
}

/// The files of `<data dir>/backups/` that start as a backup does,
/// whatever their names.
fn backup_files(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder(data_dir)) else { return Vec::new() };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|e| e != "partial") && looks_like_backup(p))
        .collect()
}

fn newest_first(all: &mut [BackupInfo]) {
    all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.file.cmp(&a.file)));
}

/// The backups in `<data dir>/backups/` whose header can be read, newest
/// first (not verified: see [`checked`]).
pub fn list(data_dir: &Path) -> Vec<BackupInfo> {
    let mut all: Vec<BackupInfo> = backup_files(data_dir).iter().filter_map(|p| read_info(p).ok()).collect();
    newest_first(&mut all);
    all
}

/// Every backup file in `<data dir>/backups/`, each verified whole: the
/// good ones newest first, then the damaged ones (with why; one whose
/// header cannot be read is dated by its file).
pub fn checked(data_dir: &Path) -> Vec<BackupInfo> {
    let mut all: Vec<BackupInfo> = backup_files(data_dir)
        .iter()
        .map(|p| match (read_info(p), verify(p)) {
            (Ok(info), Ok(_)) => info,
            (Ok(info), Err(e)) => {
                let why = reason_of(e);
                BackupInfo { ok: false, problem: Some(why.to_string()), problem_message: Some(why), ..info }
            }
            (Err(e), _) => unreadable(p, reason_of(e)),
        })
        .collect();
    newest_first(&mut all);
    all.sort_by_key(|b| !b.ok);
    all
}

fn reason_of(e: Error) -> Msg {
    match e {
        Error::Backup { reason, .. } => reason,
        other => crate::msg!("backup.refused.other", reason = other.to_string()),
    }
}

/// A backup file whose header cannot be read.
fn unreadable(path: &Path, problem: Msg) -> BackupInfo {
    let meta = fs::metadata(path).ok();
    let modified = meta.as_ref().and_then(|m| m.modified().ok()).map(chrono::DateTime::<chrono::Local>::from);
    BackupInfo {
        file: path.display().to_string(),
        created_at: modified.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)).unwrap_or_default(),
        kind: Kind::Unknown,
        reason: Cause::Unreadable.sentence(),
        cause: Cause::Unreadable,
        customers: 0,
        sales_lines: 0,
        accounts: 0,
        notebooks: 0,
        notebook_entries: 0,
        bytes: meta.map_or(0, |m| m.len()),
        schema_version: 0,
        ok: false,
        problem: Some(problem.to_string()),
        problem_message: Some(problem),
    }
}

/// The newest backup in the folder whose checksum matches.
pub fn newest_good(data_dir: &Path) -> Option<BackupInfo> {
    list(data_dir).into_iter().find(|b| verify(Path::new(&b.file)).is_ok())
}

/// Removes the oldest automatic and daily backups beyond those kept.
fn prune(data_dir: &Path) -> Result<()> {
    let all = list(data_dir);
    for (kind, keep) in [(Kind::Auto, KEEP_AUTO), (Kind::Daily, KEEP_DAILY)] {
        for old in all.iter().filter(|b| b.kind == kind).skip(keep) {
            fs::remove_file(&old.file).map_err(|e| Error::Output(format!("{}: {e}", old.file)))?;
        }
    }
    Ok(())
}
