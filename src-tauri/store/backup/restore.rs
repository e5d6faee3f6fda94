//! Restoring a backup: the file is verified whole, a new store is built
//! from it beside the current one (`store.incoming`), and the two are
//! swapped in one step ([`crate::store::folders::install`]). The current
//! store is untouched until then; a restore that fails or is killed leaves
//! it as it was.

use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::format::{io_refused, read_header, refused, verify, END};
use super::BackupInfo;
use crate::store::folders::{self, DirLock};
use crate::store::storage;
use crate::{Error, Result};

/// Rebuilds the store of `data_dir` from the backup at `path`: verifies it
/// whole, builds the new store beside the current one, then swaps them in
/// one step. The current store must be closed; it is discarded (the caller
/// backed it up first) or, when `damaged`, kept aside under a dated name.
/// `progress` gets the fraction done.
pub fn restore(data_dir: &Path, path: &Path, damaged: bool, progress: &dyn Fn(f64)) -> Result<BackupInfo> {
    let info = verify(path)?;
    let _lock = DirLock::take(data_dir)?;
    let incoming = folders::incoming_dir(data_dir);
    if incoming.exists() {
        fs::remove_dir_all(&incoming).map_err(|e| Error::Storage(e.to_string()))?;
    }
    let built = build(path, &incoming, info.bytes, data_dir, progress);
    if let Err(e) = built {
        let _ = fs::remove_dir_all(&incoming);
        return Err(e);
    }
    let aside = if damaged { folders::damaged_name(data_dir) } else { folders::REPLACED.to_string() };
    folders::install(data_dir, &aside).map_err(|e| Error::Storage(format!("the restored store could not be moved in: {e}")))?;
    progress(1.0);
    Ok(info)
}

fn build(path: &Path, dir: &Path, total: u64, data_dir: &Path, progress: &dyn Fn(f64)) -> Result<()> {
    let damaged = || refused(path, crate::msg!("backup.refused.contents"));
    let mut f = BufReader::with_capacity(1 << 20, File::open(path).map_err(|e| io_refused(path, &e))?);
    read_header(&mut f, path)?;
    let counter = Counting { inner: f, read: 0 };
    let mut z = zstd::stream::read::Decoder::with_buffer(counter).map_err(|_| damaged())?;
    let db = folders::open_db(dir, data_dir)?;
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
    folders::seal_incoming(db, data_dir)
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
