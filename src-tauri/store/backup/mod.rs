//! Backups: one file per backup holding every tree of the store, and the
//! folder `<data dir>/backups/` where the automatic ones are kept.
//!
//! File layout (format 1):
//! - `VFBACKUP` (8 bytes), the format version (u32 little-endian);
//! - the header's length (u32 LE) and the header, JSON ([`Header`]: when,
//!   why, the schema version and what the store held), readable without
//!   decompressing anything;
//! - the body, one zstd frame: per tree its name (u32 LE length + bytes),
//!   then entries (key and value, each u32 LE length + bytes) ended by the
//!   length `u32::MAX`; the body ends with an empty tree name;
//! - BLAKE3 of every byte before it (32 bytes).
//!
//! A restore verifies the checksum, the format and the schema version of
//! the whole file, then builds the store in another folder and swaps it in
//! ([`super::open::install`]); the current store is untouched until then.
//!
//! Backups are recognised by their first bytes, not their names: every file
//! of the backups folder that starts with `VFBACKUP` is listed, whatever it
//! is called (a manual backup saved as `base_backup.vfb` too).

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{fsx, open, storage, Store, SCHEMA_VERSION};
use crate::i18n::Msg;
use crate::{Error, Result};

const MAGIC: &[u8; 8] = b"VFBACKUP";
const FORMAT: u32 = 1;
const END: u32 = u32::MAX;
const HASH_LEN: u64 = 32;
/// The largest header we read (a real one is a few hundred bytes).
const MAX_HEADER: u32 = 1 << 20;
/// zstd level 1: the sales lines are dense binary that higher levels hardly
/// shrink further (measured: level 3 took twice as long for a larger file).
const LEVEL: i32 = 1;
/// Backups kept by kind; manual ones are never removed.
const KEEP_AUTO: usize = 10;
const KEEP_DAILY: usize = 7;
pub const EXTENSION: &str = "vfbackup";

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Before an import, an undo, a restore or a migration.
    Auto,
    /// At the first start of a day.
    Daily,
    /// Asked for by the owner.
    Manual,
    /// A backup file whose header cannot be read: why it was made is lost.
    Unknown,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Auto => "auto",
            Kind::Daily => "daily",
            Kind::Manual => "manual",
            Kind::Unknown => "unknown",
        }
    }
}

/// Why a backup was made; the list shows it in the owner's language, the
/// command line as [`Cause::sentence`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Cause {
    Import { file: String },
    Undo { file: String },
    Restore { file: String },
    Migration { to: u32 },
    Daily,
    Manual,
    /// The header of a damaged backup file cannot be read.
    Unreadable,
}

impl Cause {
    pub fn kind(&self) -> Kind {
        match self {
            Cause::Daily => Kind::Daily,
            Cause::Manual => Kind::Manual,
            Cause::Unreadable => Kind::Unknown,
            _ => Kind::Auto,
        }
    }

    /// In English, for `vitalfew backups`.
    pub fn sentence(&self) -> String {
        match self {
            Cause::Import { file } => format!("before importing {file}"),
            Cause::Undo { file } => format!("before undoing the import of {file}"),
            Cause::Restore { file } => format!("before restoring {file}"),
            Cause::Migration { to } => format!("before upgrading the data to schema version {to}"),
            Cause::Daily => "first start of the day".into(),
            Cause::Manual => "made by you".into(),
            Cause::Unreadable => "damaged: why it was made cannot be read".into(),
        }
    }
}

/// What the store held, for the list of backups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub customers: u64,
    pub sales_lines: u64,
    /// Active key accounts.
    pub accounts: u64,
    /// Key accounts with a notebook, and what their notebooks hold (every
    /// item the owner typed: contacts, touches, notes, surveys…). Backups
    /// made before these were counted say 0.
    #[serde(default)]
    pub notebooks: u64,
    #[serde(default)]
    pub notebook_entries: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    created_at: String,
    kind: Kind,
    reason: String,
    cause: Cause,
    app_version: String,
    schema_version: u32,
    #[serde(flatten)]
    summary: Summary,
}

/// One backup, as `vitalfew backups --json` and the Restore dialog list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupInfo {
    pub file: String,
    /// RFC 3339, local time.
    pub created_at: String,
    pub kind: Kind,
    pub reason: String,
    pub cause: Cause,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub sales_lines: u64,
    #[ts(type = "number")]
    pub accounts: u64,
    #[ts(type = "number")]
    pub notebooks: u64,
    #[ts(type = "number")]
    pub notebook_entries: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    pub schema_version: u32,
    /// Whether it can be restored: its whole file verifies (in lists that
    /// checked it; a backup just written or restored is).
    pub ok: bool,
    /// Why it cannot be restored, one sentence (in English).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<String>,
    /// The same, as the window says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem_message: Option<Msg>,
}

fn info(path: &Path, h: Header, bytes: u64) -> BackupInfo {
    BackupInfo {
        file: path.display().to_string(),
        created_at: h.created_at,
        kind: h.kind,
        reason: h.reason,
        cause: h.cause,
        customers: h.summary.customers,
        sales_lines: h.summary.sales_lines,
        accounts: h.summary.accounts,
        notebooks: h.summary.notebooks,
        notebook_entries: h.summary.notebook_entries,
        bytes,
        schema_version: h.schema_version,
        ok: true,
        problem: None,
        problem_message: None,
    }
}

// ---- writing ----

/// Writes a backup of `store` to `path` (replacing it only once complete).
pub fn write(store: &Store, path: &Path, cause: &Cause, summary: &Summary) -> Result<BackupInfo> {
    let _gate = store.write_gate();
    write_db(&store.db, path, cause, summary)
}

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

fn write_db(db: &sled::Db, path: &Path, cause: &Cause, summary: &Summary) -> Result<BackupInfo> {
    let out = |e: io::Error| Error::Output(format!("{}: {e}", path.display()));
    let header = Header {
        created_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        kind: cause.kind(),
        reason: cause.sentence(),
        cause: cause.clone(),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: schema_version(db)?,
        summary: *summary,
    };
    let tmp = path.with_extension("partial");
    let file = File::create(&tmp).map_err(out)?;
    let mut w = Hashing { inner: BufWriter::with_capacity(1 << 20, file), hash: blake3::Hasher::new() };
    let head = serde_json::to_vec(&header).expect("header serializes");
    w.write_all(MAGIC).map_err(out)?;
    w.write_all(&FORMAT.to_le_bytes()).map_err(out)?;
    w.write_all(&(head.len() as u32).to_le_bytes()).map_err(out)?;
    w.write_all(&head).map_err(out)?;
    let mut z = zstd::stream::write::Encoder::new(w, LEVEL).map_err(out)?;
    for name in db.tree_names() {
        if name.as_ref() == b"__sled__default" {
            continue;
        }
        put(&mut z, &name).map_err(out)?;
        for entry in db.open_tree(&name).map_err(storage)?.iter() {
            let (k, v) = entry.map_err(storage)?;
            put(&mut z, &k).map_err(out)?;
            put(&mut z, &v).map_err(out)?;
        }
        z.write_all(&END.to_le_bytes()).map_err(out)?;
    }
    put(&mut z, b"").map_err(out)?;
    let mut w = z.finish().map_err(out)?;
    let hash = w.hash.finalize();
    w.inner.write_all(hash.as_bytes()).map_err(out)?;
    let file = w.inner.into_inner().map_err(|e| out(e.into_error()))?;
    file.sync_all().map_err(out)?;
    let bytes = file.metadata().map_err(out)?.len();
    drop(file);
    fsx::rename(&tmp, path).map_err(out)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = fsx::sync_dir(dir);
    }
    Ok(info(path, header, bytes))
}

fn schema_version(db: &sled::Db) -> Result<u32> {
    let meta = db.open_tree(super::TREE_META).map_err(storage)?;
    let raw = meta.get(super::KEY_SCHEMA_VERSION).map_err(storage)?;
    Ok(raw.as_deref().and_then(super::decode_u32).unwrap_or(0))
}

fn put(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(&(bytes.len() as u32).to_le_bytes())?;
    w.write_all(bytes)
}

struct Hashing<W> {
    inner: W,
    hash: blake3::Hasher,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

// ---- reading ----

fn refused(path: &Path, why: Msg) -> Error {
    Error::Backup { file: path.display().to_string(), reason: why }
}

/// A backup that cannot be read for an I/O reason.
fn io_refused(path: &Path, e: &io::Error) -> Error {
    refused(path, crate::msg!("backup.refused.io", reason = e.to_string()))
}

/// Reads a backup's header (cheap: no decompression, no checksum).
pub fn read_info(path: &Path) -> Result<BackupInfo> {
    let mut f = File::open(path).map_err(|e| io_refused(path, &e))?;
    let bytes = f.metadata().map_err(|e| io_refused(path, &e))?.len();
    let header = read_header(&mut f, path)?;
    Ok(info(path, header, bytes))
}

fn read_header(r: &mut impl Read, path: &Path) -> Result<Header> {
    let mut start = [0u8; 16];
    r.read_exact(&mut start).map_err(|_| refused(path, crate::msg!("backup.refused.too_short")))?;
    if &start[..8] != MAGIC {
        return Err(refused(path, crate::msg!("backup.refused.not_backup")));
    }
    let format = u32::from_le_bytes(start[8..12].try_into().unwrap());
    let len = u32::from_le_bytes(start[12..16].try_into().unwrap());
    if len > MAX_HEADER {
        return Err(refused(path, crate::msg!("backup.refused.header_too_long")));
    }
    let mut head = vec![0u8; len as usize];
    r.read_exact(&mut head).map_err(|_| refused(path, crate::msg!("backup.refused.cut_short")))?;
    if format > FORMAT {
        // A newer format still starts with a readable header naming the
        // version that wrote it; a format number that came with garbage, or
        // with this very version, is damage.
        #[derive(Deserialize)]
        struct Writer {
            app_version: String,
        }
        return Err(match serde_json::from_slice::<Writer>(&head) {
            Ok(w) if w.app_version != env!("CARGO_PKG_VERSION") => refused(path, crate::msg!("backup.refused.newer_app", version = w.app_version, format = format)),
            _ => refused(path, crate::msg!("backup.refused.format_unreadable")),
        });
    }
    serde_json::from_slice(&head).map_err(|_| refused(path, crate::msg!("backup.refused.header_unreadable")))
}

/// Whether the file at `path` starts as a backup does.
fn looks_like_backup(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && &magic == MAGIC
}

/// Checks a backup whole: its checksum over every byte, and that this
/// version can restore it. Returns what it holds.
pub fn verify(path: &Path) -> Result<BackupInfo> {
    let info = read_info(path)?;
    if info.schema_version > SCHEMA_VERSION {
        return Err(refused(path, crate::msg!("backup.refused.newer_schema", found = info.schema_version, supported = SCHEMA_VERSION)));
    }
    if info.bytes < HASH_LEN + 16 {
        return Err(refused(path, crate::msg!("backup.refused.cut_short")));
    }
    let f = File::open(path).map_err(|e| io_refused(path, &e))?;
    let mut r = BufReader::with_capacity(1 << 20, f).take(info.bytes - HASH_LEN);
    let mut hash = blake3::Hasher::new();
    io::copy(&mut r, &mut HashSink(&mut hash)).map_err(|e| io_refused(path, &e))?;
    let mut stored = [0u8; 32];
    r.into_inner().read_exact(&mut stored).map_err(|_| refused(path, crate::msg!("backup.refused.cut_short")))?;
    if hash.finalize().as_bytes() != &stored {
        return Err(refused(path, crate::msg!("backup.refused.checksum")));
    }
    Ok(info)
}

struct HashSink<'a>(&'a mut blake3::Hasher);

impl Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Rebuilds the store of `data_dir` from the backup at `path`: verifies it
/// whole, builds the new store beside the current one, then swaps them in
/// one step. The current store must be closed; it is discarded (the caller
/// backed it up first) or, when `damaged`, kept aside under a dated name.
/// `progress` gets the fraction done.
pub fn restore(data_dir: &Path, path: &Path, damaged: bool, progress: &dyn Fn(f64)) -> Result<BackupInfo> {
    let info = verify(path)?;
    let _lock = open::DirLock::take(data_dir)?;
    let incoming = open::incoming_dir(data_dir);
    if incoming.exists() {
        fs::remove_dir_all(&incoming).map_err(|e| Error::Storage(e.to_string()))?;
    }
    let built = build(path, &incoming, info.bytes, data_dir, progress);
    if let Err(e) = built {
        let _ = fs::remove_dir_all(&incoming);
        return Err(e);
    }
    let aside = if damaged { open::damaged_name(data_dir) } else { "store.replaced".to_string() };
    open::install(data_dir, &aside).map_err(|e| Error::Storage(format!("the restored store could not be moved in: {e}")))?;
    progress(1.0);
    Ok(info)
}

fn build(path: &Path, dir: &Path, total: u64, data_dir: &Path, progress: &dyn Fn(f64)) -> Result<()> {
    let damaged = || refused(path, crate::msg!("backup.refused.contents"));
    let mut f = BufReader::with_capacity(1 << 20, File::open(path).map_err(|e| io_refused(path, &e))?);
    read_header(&mut f, path)?;
    let counter = Counting { inner: f, read: 0 };
    let mut z = zstd::stream::read::Decoder::with_buffer(counter).map_err(|_| damaged())?;
    let db = open::open_db(dir, data_dir)?;
    let mut last = 0.0;
    loop {
        let name = get(&mut z).map_err(|_| damaged())?.ok_or_else(damaged)?;
        if name.is_empty() {
            break;
        }
        let tree = db.open_tree(&name).map_err(storage)?;
        let mut batch = sled::Batch::default();
        let mut pending = 0usize;
        while let Some(key) = get(&mut z).map_err(|_| damaged())? {
            let value = get(&mut z).map_err(|_| damaged())?.ok_or_else(damaged)?;
            pending += key.len() + value.len();
            batch.insert(key, value);
            if pending > 8 << 20 {
                tree.apply_batch(std::mem::take(&mut batch)).map_err(storage)?;
                pending = 0;
                let done = z.get_ref().read as f64 / total.max(1) as f64;
                if done - last > 0.01 {
                    progress(done.min(0.99));
                    last = done;
                }
            }
        }
        tree.apply_batch(batch).map_err(storage)?;
    }
    db.flush().map_err(storage)?;
    open::seal_incoming(db, data_dir)
}

/// A length-prefixed byte string; `None` at the end marker.
fn get(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len);
    if len == END {
        return Ok(None);
    }
    // Lengths come from a file whose checksum matched, but a bound keeps a
    // mistake from asking for gigabytes at once.
    let mut buf = Vec::with_capacity((len as usize).min(1 << 24));
    r.take(u64::from(len)).read_to_end(&mut buf)?;
    if buf.len() != len as usize {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(buf))
}

struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: io::BufRead> io::BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.read += n as u64;
        self.inner.consume(n)
    }
}

// ---- the backups folder ----

/// `<data dir>/backups`.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
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

#[cfg(test)]
mod tests;
