//! The team folder: a folder the team already syncs (Syncthing, 坚果云, a NAS
//! share, OneDrive) holding the shared documents, sealed ([`super::seal`]).
//!
//! Layout:
//! - `team.json`: the format, the team's name, the key's salt and a sealed
//!   check word, so a wrong passphrase is told at once;
//! - `members/<member>/<document>/<hash>.chunk`: one set of Automerge
//!   changes, sealed, named by the BLAKE3 of its bytes. Only its member
//!   writes in `members/<member>/`, and a chunk is written once (under a
//!   temporary name, then renamed) and never changed: no file is ever
//!   edited on two PCs, so a folder sync never makes a conflict copy.
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

#[derive(Debug)]
pub enum FolderError {
    /// No `team.json` there (or not one we can read).
    NotATeamFolder(PathBuf),
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
    salt: String,
    check: String,
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
    key: TeamKey,
}

impl TeamFolder {
    /// Makes `root` a team folder named `name`, sealed with `passphrase`.
    pub fn create(root: &Path, name: &str, passphrase: &str) -> Result<TeamFolder, FolderError> {
        if root.join(MANIFEST).exists() {
            return Err(FolderError::AlreadyATeam(root.to_path_buf()));
        }
        fs::create_dir_all(root.join(MEMBERS)).map_err(FolderError::Unavailable)?;
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).expect("the system's random source");
        let key = TeamKey::derive(passphrase, &salt);
        let manifest = Manifest { format: FORMAT, name: name.to_string(), salt: hex(&salt), check: hex(&key.seal(CHECK)) };
        write_once(&root.join(MANIFEST), &serde_json::to_vec_pretty(&manifest).expect("serializes"))?;
        Ok(TeamFolder { root: root.to_path_buf(), name: name.to_string(), key })
    }

    /// Opens the team folder at `root` with `passphrase`.
    pub fn open(root: &Path, passphrase: &str) -> Result<TeamFolder, FolderError> {
        let raw = match fs::read(root.join(MANIFEST)) {
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
        let key = TeamKey::derive(passphrase, &salt);
        match unhex(&m.check).and_then(|c| key.open(&c)) {
            Some(check) if check == CHECK => Ok(TeamFolder { root: root.to_path_buf(), name: m.name, key }),
            _ => Err(FolderError::WrongPassphrase),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds `changes` of `document` as `member`'s new chunk; its name.
    pub fn write(&self, member: &str, document: &str, changes: &[u8]) -> Result<String, FolderError> {
        let dir = self.root.join(MEMBERS).join(plain(member)?).join(plain(document)?);
        fs::create_dir_all(&dir).map_err(FolderError::Unavailable)?;
        let sealed = self.key.seal(changes);
        let name = format!("{}.{CHUNK}", &blake3::hash(&sealed).to_hex()[..32]);
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
                let (Some(name), Some(member)) = (path.file_name().and_then(|n| n.to_str()), member.file_name().and_then(|n| n.to_str())) else { continue };
                if name.ends_with(&format!(".{CHUNK}")) && !name.starts_with('.') {
                    out.push(ChunkRef { member: member.to_string(), name: name.to_string(), path: path.clone() });
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The changes in `chunk`; `None` while it does not open (still
    /// syncing, cut, or not ours): the next sync tries again.
    pub fn read(&self, chunk: &ChunkRef) -> Option<Vec<u8>> {
        self.key.open(&fs::read(&chunk.path).ok()?)
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

fn entries(dir: &Path) -> Result<Vec<PathBuf>, FolderError> {
    Ok(fs::read_dir(dir).map_err(FolderError::Unavailable)?.filter_map(|e| e.ok().map(|e| e.path())).collect())
}

/// `name` when it is a plain file name (letters, digits, `-`, `_`).
fn plain(name: &str) -> Result<&str, FolderError> {
    let ok = !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(name) } else { Err(FolderError::BadName(name.to_string())) }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (s.len() % 2 == 0).then(|| (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect::<Option<Vec<u8>>>())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { files(&p, out) } else { out.push(p) }
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
        assert!(matches!(TeamFolder::open(&dir.path().join("gone"), "x"), Err(FolderError::NotATeamFolder(_))));
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
        fs::write(member.join("0123.chunk"), TeamKey::derive("other", &[0; 16]).seal(b"not ours")).unwrap();
        let chunks = team.chunks("account-7").unwrap();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks.iter().filter_map(|c| team.read(c)).collect::<Vec<_>>(), [b"whole".to_vec()]);
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
