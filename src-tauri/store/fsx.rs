//! Durable file-system steps the store's folder swaps, backups and manifest
//! are built from: a file replaced atomically, a folder copied whole, a
//! rename made durable — the same steps on Linux and Windows, where a
//! folder cannot be opened to be synced.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Makes the entries of `dir` (files created, renamed or removed in it)
/// durable. On Windows a folder cannot be opened as a file (os error 5),
/// and need not be: NTFS journals its metadata, and [`rename`] there
/// returns only once the rename is on disk.
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

/// Renames `from` to `to`, replacing a file there. On Windows through
/// `MoveFileExW` with `MOVEFILE_WRITE_THROUGH`, which returns only when the
/// rename is on disk (what the folder's sync gives on Linux, where the
/// caller syncs the folder).
pub fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    let (from, to) = (from.as_ref(), to.as_ref());
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        use windows_sys::Win32::Storage::FileSystem::{MoveFileExW, MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH};
        let wide = |p: &Path| p.as_os_str().encode_wide().chain(Some(0)).collect::<Vec<u16>>();
        let (from, to) = (wide(from), wide(to));
        // SAFETY: two NUL-terminated UTF-16 paths that live across the call.
        if unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(windows))]
    {
        fs::rename(from, to)
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
    rename(&tmp, path)?;
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
            // Opened for writing: Windows flushes only a handle that may write.
            File::options().write(true).open(&target)?.sync_all()?;
        }
    }
    sync_dir(to)
}

/// Whether `dir` is missing or holds nothing.
pub fn is_missing_or_empty(dir: &Path) -> bool {
    fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}
