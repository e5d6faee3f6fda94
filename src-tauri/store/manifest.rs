//! What Vital Few left in the store folder, recorded beside it (not inside:
//! sled owns that folder) in `<data dir>/store.manifest`, so that a folder
//! damaged while the app was closed is recognised *before* sled opens it —
//! sled's recovery writes into the files it opens, and would destroy what a
//! recovery tool could still save.
//!
//! The manifest is JSON, replaced atomically ([`fsx::write_atomic`]):
//! - `state`: `closed` (written at a clean close, after sled let go of its
//!   files: `files` then lists every file of the folder with its length and
//!   BLAKE3, and the folder must match it byte for byte), `open` (written
//!   before sled opens the folder and after every commit: a crash leaves
//!   it so, and the next open knows the session was not closed), or
//!   `refused` (a recovery after an unclean session found the store short:
//!   it stays refused, with the reason, until a restore replaces it);
//! - `counts`: the schema version, the commit sequence and every count kept
//!   in `meta`, as they were at the last commit or close. A store that opens
//!   with an older commit sequence lost committed work.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fsx;
use crate::i18n::Msg;

/// The manifest of `<data dir>/store`.
pub const FILE: &str = "store.manifest";
/// The format this build writes; a newer one is refused before sled opens.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Closed,
    Open,
    Refused,
}

/// What `meta` said at the last commit or close.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub schema_version: u32,
    /// The commit sequence: one more for every transaction ever committed.
    pub commits: u64,
    pub customers: u64,
    pub sales_lines: u64,
    /// Entries per counted tree.
    pub trees: BTreeMap<String, u64>,
}

impl Counts {
    /// Whether the store held anything but settings.
    pub fn holds_data(&self) -> bool {
        self.customers > 0 || self.sales_lines > 0 || self.trees.values().any(|n| *n > 0)
    }
}

/// One file of the store folder as it was left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the store folder, `/`-separated.
    pub path: String,
    pub len: u64,
    pub blake3: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub state: State,
    /// When it was written (UTC, RFC 3339).
    pub at: String,
    pub app_version: String,
    pub counts: Counts,
    /// Every file of the folder (at a clean close only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileEntry>,
    /// Why the store is refused (state `refused`): a message, or the
    /// English sentence of a manifest written before messages were.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "reason_or_sentence")]
    pub reason: Option<Msg>,
}

impl Manifest {
    pub fn new(state: State, counts: Counts, files: Vec<FileEntry>) -> Manifest {
        Manifest {
            format: FORMAT,
            state,
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            counts,
            files,
            reason: None,
        }
    }
}

/// What was found beside the store.
#[derive(Debug)]
pub enum Found {
    None,
    Manifest(Manifest),
    /// Written by a newer Vital Few (its format and version).
    Newer(u32, String),
    /// There, but not readable: as good as an unclean session.
    Unreadable(String),
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Reads the manifest `name` inside `data_dir`.
pub fn read_named(data_dir: &Path, name: &str) -> Found {
    let bytes = match fs::read(data_dir.join(name)) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Found::None,
        Err(e) => return Found::Unreadable(e.to_string()),
    };
    #[derive(Deserialize)]
    struct Head {
        format: u32,
        #[serde(default)]
        app_version: String,
    }
    match serde_json::from_slice::<Head>(&bytes) {
        Ok(h) if h.format > FORMAT => Found::Newer(h.format, h.app_version),
        Ok(_) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) => Found::Manifest(m),
            Err(e) => Found::Unreadable(e.to_string()),
        },
        Err(e) => Found::Unreadable(e.to_string()),
    }
}

pub fn read(data_dir: &Path) -> Found {
    read_named(data_dir, FILE)
}

/// Writes `m` as the manifest `name` inside `data_dir`, atomically.
pub fn write_named(data_dir: &Path, name: &str, m: &Manifest) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(m).expect("a manifest serializes");
    fsx::write_atomic(&data_dir.join(name), &json)
}

pub fn write(data_dir: &Path, m: &Manifest) -> io::Result<()> {
    write_named(data_dir, FILE, m)
}

/// Every file under `dir` (relative, `/`-separated, sorted) with its length.
fn listing(dir: &Path) -> io::Result<BTreeMap<String, (PathBuf, u64)>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, (PathBuf, u64)>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let meta = entry.metadata()?;
            if meta.is_dir() {
                walk(&entry.path(), &rel, out)?;
            } else {
                out.insert(rel, (entry.path(), meta.len()));
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out)?;
    Ok(out)
}

/// BLAKE3 of a file, read in large blocks.
fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// What the store folder `dir` holds now: every file, its length and hash.
pub fn snapshot(dir: &Path) -> io::Result<Vec<FileEntry>> {
    listing(dir)?
        .into_iter()
        .map(|(rel, (path, len))| Ok(FileEntry { path: rel, len, blake3: hash_file(&path)? }))
        .collect()
}

/// How the folder `dir` differs from `expected`, in one sentence (`None`:
/// byte for byte the same). Lengths are compared before anything is hashed.
pub fn difference(dir: &Path, expected: &[FileEntry]) -> Option<Msg> {
    let found = match listing(dir) {
        Ok(f) => f,
        Err(e) => return Some(crate::msg!("store.damaged.folder_unreadable", reason = e.to_string())),
    };
    for e in expected {
        let file = e.path.as_str();
        match found.get(&e.path) {
            None => return Some(crate::msg!("store.damaged.file_missing", file = file)),
            Some((_, len)) if *len < e.len => return Some(crate::msg!("store.damaged.file_shorter", file = file, bytes = e.len - len)),
            Some((_, len)) if *len > e.len => return Some(crate::msg!("store.damaged.file_longer", file = file, bytes = len - e.len)),
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().find(|p| !expected.iter().any(|e| &e.path == *p)) {
        return Some(crate::msg!("store.damaged.file_added", file = extra.as_str()));
    }
    for e in expected {
        let (path, _) = &found[&e.path];
        match hash_file(path) {
            Ok(h) if h == e.blake3 => {}
            Ok(_) => return Some(crate::msg!("store.damaged.file_changed", file = e.path.as_str())),
            Err(err) => return Some(crate::msg!("store.damaged.file_unreadable", file = e.path.as_str(), reason = err.to_string())),
        }
    }
    None
}

/// A refusal's reason as a manifest holds it: a message, or (written by an
/// earlier version) an English sentence, kept as it is.
fn reason_or_sentence<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Msg>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Msg(Msg),
        Sentence(String),
    }
    Ok(Option::<Stored>::deserialize(d)?.map(|r| match r {
        Stored::Msg(m) => m,
        Stored::Sentence(s) => crate::msg!("store.damaged.recorded", reason = s),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("db"), vec![7u8; 10_000]).unwrap();
        fs::create_dir(dir.path().join("blobs")).unwrap();
        fs::write(dir.path().join("blobs/3"), b"blob").unwrap();
        dir
    }

    #[test]
    fn a_folder_matches_its_snapshot_until_a_byte_changes() {
        let dir = folder();
        let snap = snapshot(dir.path()).unwrap();
        assert_eq!(snap.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["blobs/3", "db"]);
        assert_eq!(difference(dir.path(), &snap), None);
        let mut bytes = fs::read(dir.path().join("db")).unwrap();
        bytes[5_000] ^= 1;
        fs::write(dir.path().join("db"), &bytes).unwrap();
        assert_eq!(difference(dir.path(), &snap).unwrap().to_string(), "its file db was changed after Vital Few closed it");
    }

    #[test]
    fn missing_added_and_cut_files_are_named() {
        let dir = folder();
        let snap = snapshot(dir.path()).unwrap();
        File::options().write(true).open(dir.path().join("db")).unwrap().set_len(8_000).unwrap();
        assert_eq!(difference(dir.path(), &snap).unwrap().to_string(), "its file db is 2000 bytes shorter than Vital Few left it");
        let snap = snapshot(dir.path()).unwrap();
        fs::remove_file(dir.path().join("blobs/3")).unwrap();
        assert_eq!(difference(dir.path(), &snap).unwrap().to_string(), "its file blobs/3 is missing");
        let snap = snapshot(dir.path()).unwrap();
        fs::write(dir.path().join("snap.0001"), b"x").unwrap();
        assert_eq!(difference(dir.path(), &snap).unwrap().to_string(), "its file snap.0001 was added after Vital Few closed it");
    }

    #[test]
    fn a_manifest_round_trips_and_a_newer_or_damaged_one_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()), Found::None));
        let mut counts = Counts { schema_version: 4, commits: 9, customers: 3, ..Counts::default() };
        counts.trees.insert("customer:notebook".into(), 2);
        let m = Manifest::new(State::Closed, counts, vec![FileEntry { path: "db".into(), len: 1, blake3: "00".into() }]);
        write(dir.path(), &m).unwrap();
        assert!(matches!(read(dir.path()), Found::Manifest(found) if found == m));
        fs::write(path(dir.path()), br#"{"format": 7, "app_version": "9.0.0", "whatever": []}"#).unwrap();
        assert!(matches!(read(dir.path()), Found::Newer(7, v) if v == "9.0.0"));
        fs::write(path(dir.path()), b"{\"format\": 1, \"sta").unwrap();
        assert!(matches!(read(dir.path()), Found::Unreadable(_)));
    }
}
