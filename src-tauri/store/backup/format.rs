//! The backup file: writing one, reading its header, verifying it whole.
//!
//! Layout (format 1):
//! - `VFBACKUP` (8 bytes), the format version (u32 little-endian);
//! - the header's length (u32 LE) and the header, JSON ([`Header`]: when,
//!   why, the schema version and what the store held), readable without
//!   decompressing anything;
//! - the body, one zstd frame: per tree its name (u32 LE length + bytes),
//!   then entries (key and value, each u32 LE length + bytes) ended by the
//!   length `u32::MAX`; the body ends with an empty tree name;
//! - BLAKE3 of every byte before it (32 bytes).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{BackupInfo, Cause, Kind, Summary};
use crate::store::{fsx, storage, Store, SCHEMA_VERSION};
use crate::i18n::Msg;
use crate::{Error, Result};

pub(super) const MAGIC: &[u8; 8] = b"VFBACKUP";
const FORMAT: u32 = 1;
pub(super) const END: u32 = u32::MAX;
const HASH_LEN: u64 = 32;
/// The largest header we read (a real one is a few hundred bytes).
const MAX_HEADER: u32 = 1 << 20;
/// zstd level 1: the sales lines are dense binary that higher levels hardly
/// shrink further (measured: level 3 took twice as long for a larger file).
const LEVEL: i32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Header {
    created_at: String,
    kind: Kind,
    reason: String,
    cause: Cause,
    app_version: String,
    schema_version: u32,
    #[serde(flatten)]
    summary: Summary,
}

pub(super) fn info(path: &Path, h: Header, bytes: u64) -> BackupInfo {
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

/// Writes a backup of `store` to `path` (replacing it only once complete).
pub fn write(store: &Store, path: &Path, cause: &Cause, summary: &Summary) -> Result<BackupInfo> {
    let _gate = store.write_gate();
    write_db(&store.db, path, cause, summary)
}

pub(super) fn write_db(db: &sled::Db, path: &Path, cause: &Cause, summary: &Summary) -> Result<BackupInfo> {
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
    let meta = db.open_tree(crate::store::TREE_META).map_err(storage)?;
    let raw = meta.get(crate::store::KEY_SCHEMA_VERSION).map_err(storage)?;
    Ok(raw.as_deref().and_then(crate::store::decode_u32).unwrap_or(0))
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

pub(super) fn refused(path: &Path, why: Msg) -> Error {
    Error::Backup { file: path.display().to_string(), reason: why }
}

/// A backup that cannot be read for an I/O reason.
pub(super) fn io_refused(path: &Path, e: &io::Error) -> Error {
    refused(path, crate::msg!("backup.refused.io", reason = e.to_string()))
}

/// Reads a backup's header (cheap: no decompression, no checksum).
pub fn read_info(path: &Path) -> Result<BackupInfo> {
    let mut f = File::open(path).map_err(|e| io_refused(path, &e))?;
    let bytes = f.metadata().map_err(|e| io_refused(path, &e))?.len();
    let header = read_header(&mut f, path)?;
    Ok(info(path, header, bytes))
}

pub(super) fn read_header(r: &mut impl Read, path: &Path) -> Result<Header> {
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
pub(super) fn looks_like_backup(path: &Path) -> bool {
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
