//! The owner's imports reach the team as import batches: the file as
//! imported, with the choices made for it, sealed into the team folder as
//! chunks of the pseudo-document `imports`. Each member's PC takes in the
//! batches it has not applied yet through the same idempotent import, so
//! every member sees the same figures for the shared accounts.
//!
//! A batch is `u32 header length (big-endian) ‖ header JSON ‖ the file's
//! bytes`, sealed as one chunk.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::folder::{FolderError, TeamFolder};
use crate::import::ImportOptions;

/// The pseudo-document the batches are chunks of.
pub const IMPORTS: &str = "imports";

/// Larger files are not shared (each member imports them by hand).
pub const MAX_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    file_name: String,
    options: ImportOptions,
    by: String,
    at: String,
}

/// A batch another member published.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// `member/chunk`: what this PC remembers as applied.
    pub id: String,
    pub file_name: String,
    pub options: ImportOptions,
    pub by: String,
    pub bytes: Vec<u8>,
}

/// Seals the file at `path`, imported with `options`, into the folder as
/// `member`'s batch; its id. `None` when the file is too large to share.
pub fn publish(folder: &TeamFolder, member: &str, path: &Path, options: &ImportOptions, at: &str) -> Result<Option<String>, FolderError> {
    let size = std::fs::metadata(path).map_err(FolderError::Unavailable)?.len();
    if size > MAX_BYTES {
        return Ok(None);
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    let header = serde_json::to_vec(&Header { file_name, options: options.clone(), by: member.to_string(), at: at.to_string() }).expect("serializes");
    let mut bytes = (header.len() as u32).to_be_bytes().to_vec();
    bytes.extend(header);
    bytes.extend(std::fs::read(path).map_err(FolderError::Unavailable)?);
    let name = folder.write(member, IMPORTS, &bytes)?;
    Ok(Some(format!("{member}/{name}")))
}

/// The batches in the folder not in `applied`, oldest publisher's first,
/// and how many did not open yet (still syncing: tried again later).
pub fn unapplied(folder: &TeamFolder, applied: &BTreeSet<String>) -> Result<(Vec<Batch>, usize), FolderError> {
    let mut batches = Vec::new();
    let mut pending = 0;
    for chunk in folder.chunks(IMPORTS)? {
        let id = format!("{}/{}", chunk.member, chunk.name);
        if applied.contains(&id) {
            continue;
        }
        match folder.read(&chunk).and_then(|bytes| parse(id, bytes)) {
            Some(batch) => batches.push(batch),
            None => pending += 1,
        }
    }
    batches.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((batches, pending))
}

fn parse(id: String, bytes: Vec<u8>) -> Option<Batch> {
    let len = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let header: Header = serde_json::from_slice(bytes.get(4..4 + len)?).ok()?;
    // Only a plain file name: a batch never writes outside its folder.
    let file_name = Path::new(&header.file_name).file_name()?.to_string_lossy().into_owned();
    Some(Batch { id, file_name, options: header.options, by: header.by, bytes: bytes[4 + len..].to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_file_comes_back_whole_with_its_choices_once() {
        let dir = tempfile::tempdir().unwrap();
        let team = TeamFolder::create(&dir.path().join("t"), "t", "passphrase").unwrap();
        let file = dir.path().join("销售 2026.csv");
        std::fs::write(&file, "日期,客户,金额\n2026-01-02,甲,100\n").unwrap();
        let options = ImportOptions { header_row: Some(1), keep_duplicates: true, ..Default::default() };
        let id = publish(&team, "lina", &file, &options, "2026-12-05T10:00:00+08:00").unwrap().unwrap();
        let (batches, pending) = unapplied(&team, &BTreeSet::new()).unwrap();
        assert_eq!((batches.len(), pending), (1, 0));
        let b = &batches[0];
        assert_eq!((b.id.as_str(), b.file_name.as_str(), &b.options, b.by.as_str()), (id.as_str(), "销售 2026.csv", &options, "lina"));
        assert_eq!(b.bytes, std::fs::read(&file).unwrap());
        assert!(unapplied(&team, &BTreeSet::from([id])).unwrap().0.is_empty());
    }

    #[test]
    fn a_batch_naming_a_path_is_read_as_its_file_name_only() {
        let header = serde_json::to_vec(&Header { file_name: "../../evil.csv".into(), options: ImportOptions::default(), by: "x".into(), at: String::new() }).unwrap();
        let mut bytes = (header.len() as u32).to_be_bytes().to_vec();
        bytes.extend(header);
        bytes.extend(b"a,b\n");
        assert_eq!(parse("x/1".into(), bytes).unwrap().file_name, "evil.csv");
        assert!(parse("x/2".into(), vec![0, 0, 0, 200, 1]).is_none(), "cut");
    }
}
