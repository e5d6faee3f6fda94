//! The team folder: a folder the team already syncs (Syncthing, 坚果云, a NAS
//! share, OneDrive) holding the shared documents, sealed ([`super::seal`]).
//!
//! Layout:
//! - `team.json`: the format, the team's name, the key's epoch and salt and
//!   a sealed check word, so a wrong passphrase is told at once;
//! - `members/<member>/<document>/<epoch>-<hash>.chunk`: one set of
//!   Automerge changes, sealed, named by the BLAKE3 of its bytes. Only its
//!   member writes in `members/<member>/`, and a chunk is written once
//!   (under a temporary name, then renamed) and never changed: no file is
//!   ever edited on two PCs, so a folder sync never makes a conflict copy;
//! - `members/<member>/last-sync`: when that member's PC last synced,
//!   sealed, rewritten by that member alone.
//!
//! A new passphrase ([`TeamFolder::rekey`]) starts a new epoch: a new salt
//! and check in `team.json`. Chunks of older epochs are no longer read; the
//! member who re-keys writes every document whole in the new epoch.
//!
//! A chunk that does not open (still syncing, cut, or a stray file) is not
//! an error: [`TeamFolder::read`] says `None` and the next sync tries again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::seal::TeamKey;

const FORMAT: u32 = 1;
const MANIFEST: &str = "team.json";
const MEMBERS: &str = "members";
const CHUNK: &str = "chunk";
const CHECK: &[u8] = b"vitalfew-team";
const LAST_SYNC: &str = "last-sync";
/// A larger file is no chunk of ours (the largest, an import batch, is at
/// most 256 MiB): it is never read into memory.
const MAX_FILE: u64 = 300 << 20;
/// The same for `team.json` and a `last-sync` file.
const MAX_SMALL: u64 = 64 << 10;

#[derive(Debug)]
pub enum FolderError {
    /// No `team.json` there (or not one we can read).
    NotATeamFolder(PathBuf),
    /// The team's passphrase was changed since this PC joined.
    Rekeyed,
    /// A team's folder already.
    AlreadyATeam(PathBuf),
    WrongPassphrase,
    /// A member or document name that is no plain file name.
    BadName(String),
    /// The folder cannot be read or written now (unplugged, offline): retried later.
    Unavailable(io::Error),
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    name: String,
    #[serde(default = "first_epoch")]
    epoch: u32,
    salt: String,
    check: String,
}

fn first_epoch() -> u32 {
    1
}

/// One chunk in the folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChunkRef {
    pub member: String,
    pub name: String,
    path: PathBuf,
}

pub struct TeamFolder {
    root: PathBuf,
    name: String,
    epoch: u32,
    salt: [u8; 16],
    key: TeamKey,
}

impl TeamFolder {
    /// Makes `root` a team folder named `name`, sealed with `passphrase`.
    pub fn create(root: &Path, name: &str, passphrase: &str) -> Result<TeamFolder, FolderError> {
        if root.join(MANIFEST).exists() {
            return Err(FolderError::AlreadyATeam(root.to_path_buf()));
        }
        fs::create_dir_all(root.join(MEMBERS)).map_err(FolderError::Unavailable)?;
        let team = TeamFolder::sealed(root, name, 1, passphrase);
        team.write_manifest()?;
        Ok(team)
    }

    /// A new salt and the key `passphrase` makes with it.
    fn sealed(root: &Path, name: &str, epoch: u32, passphrase: &str) -> TeamFolder {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).expect("the system's random source");
        TeamFolder { root: root.to_path_buf(), name: name.to_string(), epoch, salt, key: TeamKey::derive(passphrase, &salt) }
    }

    fn write_manifest(&self) -> Result<(), FolderError> {
        let manifest = Manifest { format: FORMAT, name: self.name.clone(), epoch: self.epoch, salt: hex(&self.salt), check: hex(&self.key.seal(CHECK)) };
        write_once(&self.root.join(MANIFEST), &serde_json::to_vec_pretty(&manifest).expect("serializes"))
    }

    fn manifest(root: &Path) -> Result<(Manifest, [u8; 16]), FolderError> {
        if !root.is_dir() {
            // Unplugged, offline, or not there (yet).
            return Err(FolderError::Unavailable(io::Error::new(io::ErrorKind::NotFound, "the folder is not there")));
        }
        let raw = match read_at_most(&root.join(MANIFEST), MAX_SMALL) {
            Ok(raw) => raw,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(FolderError::NotATeamFolder(root.to_path_buf())),
            Err(e) => return Err(FolderError::Unavailable(e)),
        };
        let not_team = || FolderError::NotATeamFolder(root.to_path_buf());
        let m: Manifest = serde_json::from_slice(&raw).map_err(|_| not_team())?;
        let salt: [u8; 16] = unhex(&m.salt).and_then(|s| s.try_into().ok()).ok_or_else(not_team)?;
        if m.format != FORMAT {
            return Err(not_team());
        }
        Ok((m, salt))
    }

    /// Opens the team folder at `root` with `passphrase`.
    pub fn open(root: &Path, passphrase: &str) -> Result<TeamFolder, FolderError> {
        let (m, salt) = TeamFolder::manifest(root)?;
        TeamFolder::checked(root, m, salt, TeamKey::derive(passphrase, &salt)).ok_or(FolderError::WrongPassphrase)
    }

    /// Opens the team folder at `root` with the key this PC keeps; refused
    /// when the team has a new passphrase since.
    pub fn open_with_key(root: &Path, key: [u8; 32]) -> Result<TeamFolder, FolderError> {
        let (m, salt) = TeamFolder::manifest(root)?;
        TeamFolder::checked(root, m, salt, TeamKey::from_bytes(key)).ok_or(FolderError::Rekeyed)
    }

    fn checked(root: &Path, m: Manifest, salt: [u8; 16], key: TeamKey) -> Option<TeamFolder> {
        let check = unhex(&m.check).and_then(|c| key.open(&c))?;
        (check == CHECK).then(|| TeamFolder { root: root.to_path_buf(), name: m.name, epoch: m.epoch, salt, key })
    }

    /// A new passphrase: a new epoch, whose chunks only it opens.
    pub fn rekey(&mut self, passphrase: &str) -> Result<(), FolderError> {
        let next = TeamFolder::sealed(&self.root, &self.name, self.epoch + 1, passphrase);
        next.write_manifest()?;
        *self = next;
        Ok(())
    }

    pub fn key(&self) -> [u8; 32] {
        self.key.bytes()
    }

    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds `changes` of `document` as `member`'s new chunk; its name.
    pub fn write(&self, member: &str, document: &str, changes: &[u8]) -> Result<String, FolderError> {
        let dir = self.root.join(MEMBERS).join(plain(member)?).join(plain(document)?);
        fs::create_dir_all(&dir).map_err(FolderError::Unavailable)?;
        let sealed = self.key.seal(changes);
        let name = format!("{}-{}.{CHUNK}", self.epoch, &blake3::hash(&sealed).to_hex()[..32]);
        write_once(&dir.join(&name), &sealed)?;
        Ok(name)
    }

    /// Every member's chunks of `document`, in a stable order.
    pub fn chunks(&self, document: &str) -> Result<Vec<ChunkRef>, FolderError> {
        let document = plain(document)?;
        let mut out = Vec::new();
        for member in entries(&self.root.join(MEMBERS))? {
            let dir = member.join(document);
            let Ok(files) = entries(&dir) else { continue };
            for path in files {
                let (Some(name), Some(member)) = (path.file_name().and_then(|n| n.to_str()), member.file_name().and_then(|n| n.to_str())) else {
                    continue;
                };
                if name.ends_with(&format!(".{CHUNK}")) && name.starts_with(&format!("{}-", self.epoch)) {
                    out.push(ChunkRef { member: member.to_string(), name: name.to_string(), path: path.clone() });
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The names of the documents any member has written.
    pub fn documents(&self) -> Result<std::collections::BTreeSet<String>, FolderError> {
        let mut out = std::collections::BTreeSet::new();
        for member in entries(&self.root.join(MEMBERS))? {
            for doc in entries(&member).unwrap_or_default() {
                if let Some(name) = doc.file_name().and_then(|n| n.to_str()).filter(|n| doc.is_dir() && plain(n).is_ok()) {
                    out.insert(name.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Notes that `member`'s PC synced at `at` (RFC 3339).
    pub fn mark_synced(&self, member: &str, at: &str) -> Result<(), FolderError> {
        let dir = self.root.join(MEMBERS).join(plain(member)?);
        fs::create_dir_all(&dir).map_err(FolderError::Unavailable)?;
        write_once(&dir.join(LAST_SYNC), &self.key.seal(at.as_bytes()))
    }

    /// When each member's PC last synced, as far as the folder shows now.
    pub fn last_syncs(&self) -> Result<Vec<(String, Option<String>)>, FolderError> {
        let mut out = Vec::new();
        for member in entries(&self.root.join(MEMBERS))? {
            let Some(name) = member.file_name().and_then(|n| n.to_str()).filter(|n| plain(n).is_ok()) else {
                continue;
            };
            let at = read_at_most(&member.join(LAST_SYNC), MAX_SMALL).ok().and_then(|b| self.key.open(&b)).and_then(|b| String::from_utf8(b).ok());
            out.push((name.to_string(), at));
        }
        out.sort();
        Ok(out)
    }

    /// The changes in `chunk`; `None` while it does not open (still
    /// syncing, cut, or not ours): the next sync tries again.
    pub fn read(&self, chunk: &ChunkRef) -> Option<Vec<u8>> {
        self.key.open(&read_at_most(&chunk.path, MAX_FILE).ok()?)
    }
}

/// Writes `bytes` to `path` under a temporary name, then renames it, so a
/// folder sync never sees half a file of ours.
fn write_once(path: &Path, bytes: &[u8]) -> Result<(), FolderError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    fs::write(&tmp, bytes).and_then(|_| fs::rename(&tmp, path)).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        FolderError::Unavailable(e)
    })
}

/// The file at `path`, refused when larger than `max` bytes.
fn read_at_most(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    if fs::metadata(path)?.len() > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "larger than any file of ours"));
    }
    fs::read(path)
}

fn entries(dir: &Path) -> Result<Vec<PathBuf>, FolderError> {
    Ok(fs::read_dir(dir).map_err(FolderError::Unavailable)?.filter_map(|e| e.ok().map(|e| e.path())).collect())
}

/// `name` when it is a plain file name on every system: letters (any
/// script), digits, `-`, `_`, at most 64 bytes, and not one of the names
/// Windows keeps for devices.
pub fn plain(name: &str) -> Result<&str, FolderError> {
    let chars = !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let upper = name.to_ascii_uppercase();
    let device = ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
        || ((upper.starts_with("COM") || upper.starts_with("LPT")) && upper.len() == 4 && upper.as_bytes()[3].is_ascii_digit());
    if chars && !device {
        Ok(name)
    } else {
        Err(FolderError::BadName(name.to_string()))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    s.len().is_multiple_of(2).then(|| (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect::<Option<Vec<u8>>>())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out)
            } else {
                out.push(p)
            }
        }
    }

    #[test]
    fn a_team_folder_opens_only_with_its_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let team = TeamFolder::create(dir.path(), "华东销售部", "春风十里").unwrap();
        assert_eq!(team.name(), "华东销售部");
        assert!(matches!(TeamFolder::create(dir.path(), "again", "x"), Err(FolderError::AlreadyATeam(_))));
        assert_eq!(TeamFolder::open(dir.path(), "春风十里").unwrap().name(), "华东销售部");
        assert!(matches!(TeamFolder::open(dir.path(), "春风十里?"), Err(FolderError::WrongPassphrase)));
        let other = tempfile::tempdir().unwrap();
        assert!(matches!(TeamFolder::open(other.path(), "春风十里"), Err(FolderError::NotATeamFolder(_))));
        fs::write(other.path().join(MANIFEST), b"{\"format\": 1, \"name\": ").unwrap();
        assert!(matches!(TeamFolder::open(other.path(), "春风十里"), Err(FolderError::NotATeamFolder(_))));
        assert!(matches!(TeamFolder::open(&dir.path().join("gone"), "x"), Err(FolderError::Unavailable(_))));
    }

    #[test]
    fn chunks_of_every_member_are_read_back_and_nothing_in_the_folder_is_readable() {
        let dir = tempfile::tempdir().unwrap();
        let team = TeamFolder::create(dir.path(), "team", "pass").unwrap();
        team.write("wangwei", "account-7", "王伟 13800001111".as_bytes()).unwrap();
        team.write("lina", "account-7", "李娜 visit".as_bytes()).unwrap();
        team.write("lina", "account-8", b"other").unwrap();
        let chunks = team.chunks("account-7").unwrap();
        assert_eq!(chunks.iter().map(|c| c.member.as_str()).collect::<Vec<_>>(), ["lina", "wangwei"]);
        let mut read: Vec<String> = chunks.iter().map(|c| String::from_utf8(team.read(c).unwrap()).unwrap()).collect();
        read.sort();
        assert_eq!(read, ["李娜 visit", "王伟 13800001111"]);
        let mut all = Vec::new();
        files(dir.path(), &mut all);
        for f in all {
            let bytes = fs::read(&f).unwrap();
            for secret in ["王伟".as_bytes(), "李娜".as_bytes(), b"1380", b"visit"] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret), "{} shows {:?}", f.display(), String::from_utf8_lossy(secret));
            }
        }
        assert!(matches!(team.write("../x", "account-7", b"x"), Err(FolderError::BadName(_))));
    }

    #[test]
    fn a_chunk_still_syncing_or_cut_is_left_for_later_and_strays_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let team = TeamFolder::create(dir.path(), "team", "pass").unwrap();
        let name = team.write("lina", "account-7", b"whole").unwrap();
        let path = dir.path().join(MEMBERS).join("lina").join("account-7").join(&name);
        let whole = fs::read(&path).unwrap();
        fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        let chunk = &team.chunks("account-7").unwrap()[0];
        assert_eq!(team.read(chunk), None, "half synced: later");
        fs::write(&path, &whole).unwrap();
        assert_eq!(team.read(chunk).unwrap(), b"whole", "once whole");
        // A sync tool's temporary file, a stray note, another team's chunk.
        let member = dir.path().join(MEMBERS).join("lina").join("account-7");
        fs::write(member.join(".syncthing.x.chunk.tmp"), b"...").unwrap();
        fs::write(member.join("readme.txt"), b"hello").unwrap();
        // A huge file where a chunk should be is never read in.
        std::fs::File::create(member.join("1-huge.chunk")).unwrap().set_len(MAX_FILE + 1).unwrap();
        fs::write(member.join("1-0123.chunk"), TeamKey::derive("other", &[0; 16]).seal(b"not ours")).unwrap();
        let chunks = team.chunks("account-7").unwrap();
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks.iter().filter_map(|c| team.read(c)).collect::<Vec<_>>(), [b"whole".to_vec()]);
    }

    #[test]
    fn a_new_passphrase_starts_an_epoch_the_old_one_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut team = TeamFolder::create(dir.path(), "team", "old").unwrap();
        let old_key = team.key();
        team.write("lina", "account-7", b"before").unwrap();
        team.mark_synced("李娜", "2026-12-05T10:00:00+08:00").unwrap();
        team.rekey("new").unwrap();
        assert_eq!(team.epoch(), 2);
        assert!(team.chunks("account-7").unwrap().is_empty(), "the old epoch's chunks are not read");
        team.write("wang", "account-7", b"after").unwrap();
        assert!(matches!(TeamFolder::open(dir.path(), "old"), Err(FolderError::WrongPassphrase)));
        assert!(matches!(TeamFolder::open_with_key(dir.path(), old_key), Err(FolderError::Rekeyed)));
        let reopened = TeamFolder::open(dir.path(), "new").unwrap();
        assert_eq!(reopened.chunks("account-7").unwrap().iter().filter_map(|c| reopened.read(c)).collect::<Vec<_>>(), [b"after".to_vec()]);
        assert_eq!(TeamFolder::open_with_key(dir.path(), reopened.key()).unwrap().epoch(), 2);
        assert_eq!(reopened.documents().unwrap().into_iter().collect::<Vec<_>>(), ["account-7"]);
        // The old key's last-sync is no longer readable either.
        assert_eq!(reopened.last_syncs().unwrap().iter().find(|(m, _)| m == "李娜").unwrap().1, None);
    }

    #[test]
    fn member_names_may_be_chinese_but_never_a_path_or_a_device() {
        for ok in ["李娜", "wang_wei", "Anna-Maria", "王伟2"] {
            assert!(plain(ok).is_ok(), "{ok}");
        }
        for bad in ["", "../x", "a/b", "a\\b", "a b", "con", "NUL", "com1", "x.y", &"长".repeat(30)] {
            assert!(plain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unavailable_folder_is_an_error_to_retry_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let team = TeamFolder::create(&dir.path().join("t"), "team", "pass").unwrap();
        fs::remove_dir_all(dir.path().join("t")).unwrap();
        assert!(matches!(team.chunks("account-7"), Err(FolderError::Unavailable(_))));
        fs::write(dir.path().join("t"), b"a file where the folder was").unwrap();
        assert!(matches!(team.write("lina", "account-7", b"x"), Err(FolderError::Unavailable(_))));
    }
}
