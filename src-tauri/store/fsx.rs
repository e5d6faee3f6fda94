//! Durable file-system steps the store's folder swaps, backups and manifest
//! are built from: a file replaced atomically, a folder copied whole, a
//! rename made durable.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Makes the entries of `dir` (files created, renamed or removed in it)
/// durable. On Windows a folder cannot be opened as a file; NTFS journals
/// its metadata, and a rename there is made durable by the file's own
/// flush before it.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Replaces `path` with `bytes` so that a crash leaves the old content or
/// the new one: written beside it, flushed, renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Copies the folder tree `from` to `to` (which must not exist), every file
/// flushed: `to` is complete once this returns.
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
            File::open(&target)?.sync_all()?;
        }
    }
    sync_dir(to)
}

/// Whether `dir` is missing or holds nothing.
pub fn is_missing_or_empty(dir: &Path) -> bool {
    fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}
