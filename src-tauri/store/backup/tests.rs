use std::path::Path;

use super::format::*;
use super::kept::*;
use super::*;
use crate::store::{Store, SCHEMA_VERSION};
use crate::store::tests::import;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn summary() -> Summary {
    Summary { customers: 3, sales_lines: 6, accounts: 1, ..Summary::default() }
}

/// Every tree of the store in `data_dir`, as (tree, key, value) triples.
fn contents(data_dir: &Path) -> Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let store = Store::open(data_dir).unwrap();
    let mut all = Vec::new();
    for name in store.db.tree_names() {
        for e in store.db.open_tree(&name).unwrap().iter() {
            let (k, v) = e.unwrap();
            all.push((name.to_vec(), k.to_vec(), v.to_vec()));
        }
    }
    all.sort();
    all
}

fn backed_up() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1, 2, 3], 2);
    let path = dir.path().join("a.vfbackup");
    let info = write(&store, &path, &Cause::Manual, &summary()).unwrap();
    assert_eq!((info.customers, info.sales_lines, info.accounts, info.kind), (3, 6, 1, Kind::Manual));
    assert_eq!(info.bytes, std::fs::metadata(&path).unwrap().len());
    (dir, path)
}

#[test]
fn a_backup_restores_every_tree_exactly() {
    let (dir, path) = backed_up();
    let before = contents(dir.path());
    let target = tmp();
    Store::open(target.path()).unwrap();
    let restored = restore(target.path(), &path, false, &|_| {}).unwrap();
    assert_eq!(restored.customers, 3);
    assert_eq!(contents(target.path()), before);
    assert!(!target.path().join("store.incoming").exists() && !target.path().join("store.replaced").exists());
}

#[test]
fn a_damaged_store_is_kept_aside_when_restored_over() {
    let (_dir, path) = backed_up();
    let target = tmp();
    Store::open(target.path()).unwrap();
    restore(target.path(), &path, true, &|_| {}).unwrap();
    let aside: Vec<_> = std::fs::read_dir(target.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("store.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
}

fn refused_for(bytes: Vec<u8>, expected: &str) {
    let dir = tmp();
    let bad = dir.path().join("bad.vfbackup");
    std::fs::write(&bad, bytes).unwrap();
    let err = verify(&bad).unwrap_err();
    assert!(err.to_string().contains(expected), "{err}");
    // A restore refuses before touching anything.
    let target = tmp();
    {
        let store = Store::open(target.path()).unwrap();
        import(&store, &[9], 1);
    }
    let before = contents(target.path());
    assert!(restore(target.path(), &bad, false, &|_| {}).is_err());
    assert_eq!(contents(target.path()), before);
}

#[test]
fn truncated_flipped_foreign_and_newer_backups_are_refused() {
    let (_dir, path) = backed_up();
    let good = std::fs::read(&path).unwrap();
    refused_for(good[..good.len() / 2].to_vec(), "checksum");
    refused_for(good[..10].to_vec(), "not a Vital Few backup");
    for at in [20, good.len() / 2, good.len() - 1] {
        let mut flipped = good.clone();
        flipped[at] ^= 0x10;
        refused_for(flipped, "damaged");
    }
    let mut foreign = good.clone();
    foreign[..8].copy_from_slice(b"PK\x03\x04xxxx");
    refused_for(foreign, "not a Vital Few backup");
    // A format number changed by damage is damage, not a newer version.
    let mut garbled = good.clone();
    garbled[8..12].copy_from_slice(&16711681u32.to_le_bytes());
    refused_for(garbled, "damaged (its format number is unreadable)");
    refused_for(newer_format("9.0.0"), "newer Vital Few (9.0.0, backup format 2)");
    refused_for(newer_format(env!("CARGO_PKG_VERSION")), "damaged");
}

/// A backup as a later format would start: the magic, format 2 and a
/// readable header naming the version that wrote it.
fn newer_format(app_version: &str) -> Vec<u8> {
    let header = format!(r#"{{"app_version": "{app_version}", "created_at": "2030-01-01T00:00:00+08:00"}}"#);
    let mut bytes = MAGIC.to_vec();
    bytes.extend(2u32.to_le_bytes());
    bytes.extend((header.len() as u32).to_le_bytes());
    bytes.extend(header.as_bytes());
    bytes.extend([0u8; 64]);
    bytes
}

#[test]
fn a_backup_of_a_newer_schema_is_refused() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    store.meta.insert(crate::store::KEY_SCHEMA_VERSION, &(SCHEMA_VERSION + 1).to_be_bytes()).unwrap();
    let path = dir.path().join("n.vfbackup");
    write(&store, &path, &Cause::Manual, &Summary::default()).unwrap();
    let err = verify(&path).unwrap_err();
    assert!(err.to_string().contains("newer Vital Few") && err.to_string().contains("schema version"), "{err}");
}

#[test]
fn the_folder_keeps_ten_automatic_seven_daily_and_every_manual_backup() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1], 1);
    for _ in 0..12 {
        write_in_folder(&store, &Cause::Import { file: "f".into() }, &Summary::default()).unwrap();
        write_in_folder(&store, &Cause::Daily, &Summary::default()).unwrap();
    }
    let manual_dir = folder(dir.path());
    for n in 0..3 {
        write(&store, &manual_dir.join(format!("m{n}.{EXTENSION}")), &Cause::Manual, &Summary::default()).unwrap();
    }
    write_in_folder(&store, &Cause::Import { file: "f".into() }, &Summary::default()).unwrap();
    let all = list(dir.path());
    let count = |k: Kind| all.iter().filter(|b| b.kind == k).count();
    assert_eq!((count(Kind::Auto), count(Kind::Daily), count(Kind::Manual)), (10, 7, 3));
    assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    assert_eq!(newest_good(dir.path()).unwrap().file, all[0].file);
    // A damaged newest backup is passed over for the next good one, and
    // listed after the good ones, with why.
    std::fs::write(&all[0].file, b"VFBACKUP garbage").unwrap();
    assert_ne!(newest_good(dir.path()).unwrap().file, all[0].file);
    let checked = checked(dir.path());
    assert_eq!(checked.len(), all.len());
    let last = checked.last().unwrap();
    assert_eq!((last.file.as_str(), last.ok, last.kind), (all[0].file.as_str(), false, Kind::Unknown));
    assert!(last.problem.as_deref().unwrap().contains("damaged"), "{last:?}");
    assert!(checked[..checked.len() - 1].iter().all(|b| b.ok && b.problem.is_none()));
}

#[test]
fn backups_are_recognised_by_their_first_bytes_not_their_names() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1, 2], 1);
    let backups = folder(dir.path());
    std::fs::create_dir_all(&backups).unwrap();
    write(&store, &backups.join("base_backup.vfb"), &Cause::Manual, &summary()).unwrap();
    write(&store, &backups.join("no extension"), &Cause::Manual, &summary()).unwrap();
    std::fs::write(backups.join("notes.vfbackup"), b"not a backup at all").unwrap();
    std::fs::write(backups.join("half.partial"), b"VFBACKUP\x01").unwrap();
    let mut names: Vec<String> = checked(dir.path()).iter().map(|b| Path::new(&b.file).file_name().unwrap().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["base_backup.vfb", "no extension"]);
    assert!(checked(dir.path()).iter().all(|b| b.ok && b.customers == 3));
}
