use super::*;
use crate::model::{Lang, WindowGeometry};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A plain sled handle on the store in `dir`, waiting for a closing handle
/// to release the lock (sled lets go asynchronously).
fn raw_open(dir: &Path) -> sled::Db {
    let config = sled::Config::new().path(dir.join("store"));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match config.open() {
            Ok(db) => return db,
            Err(e) if Instant::now() > deadline => panic!("{e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

#[test]
fn new_store_records_schema_version() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    let info = store.info().unwrap();
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert_eq!((info.customers, info.sales_lines, info.accounts), (0, 0, 0));
    assert_eq!(info.data_dir, dir.path().display().to_string());
    assert!(store.meta.get(KEY_CREATED_AT).unwrap().is_some());
}

#[test]
fn reopening_keeps_creation_time() {
    let dir = tmp();
    let created = Store::open(dir.path()).unwrap().meta.get(KEY_CREATED_AT).unwrap();
    let again = Store::open(dir.path()).unwrap().meta.get(KEY_CREATED_AT).unwrap();
    assert_eq!(created, again);
}

#[test]
fn newer_schema_is_refused_without_writing() {
    let dir = tmp();
    {
        let db = sled::open(dir.path().join("store")).unwrap();
        let meta = db.open_tree(TREE_META).unwrap();
        meta.insert(KEY_SCHEMA_VERSION, &99u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).err().expect("must refuse");
    assert!(matches!(err, Error::SchemaTooNew { found: 99, supported: SCHEMA_VERSION, .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was changed"));
    // Nothing was added: no created_at, no settings tree.
    let db = raw_open(dir.path());
    let meta = db.open_tree(TREE_META).unwrap();
    assert!(meta.get(KEY_CREATED_AT).unwrap().is_none());
    assert_eq!(meta.len(), 1);
    assert!(!db.tree_names().iter().any(|n| n.as_ref() == TREE_SETTINGS.as_bytes()), "no tree created");
}

#[test]
fn second_open_reports_locked_store() {
    let dir = tmp();
    let _first = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path()).err().expect("second open must fail");
    assert!(matches!(err, Error::StoreLocked { .. }), "{err:?}");
    assert!(err.to_string().contains("in use by another Vital Few"));
}

#[test]
fn settings_update_is_durable_across_reopen() {
    let dir = tmp();
    let geometry = WindowGeometry { x: 10, y: 20, width: 1100, height: 700, maximized: false };
    {
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.settings().unwrap(), Settings::default());
        let s = store.update_settings(|s| s.language = Some(Lang::ZhCn)).unwrap();
        assert_eq!(s.language, Some(Lang::ZhCn));
        store.update_settings(|s| s.window = Some(geometry)).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let s = store.settings().unwrap();
    assert_eq!(s.language, Some(Lang::ZhCn));
    assert_eq!(s.window, Some(geometry));
}

#[test]
fn damaged_settings_are_reported_and_left_alone() {
    let dir = tmp();
    {
        let store = Store::open(dir.path()).unwrap();
        store.settings.insert(KEY_SETTINGS, b"{not json".to_vec()).unwrap();
        store.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert!(matches!(store.settings(), Err(Error::Corrupt { .. })));
    let err = store.update_settings(|s| s.language = Some(Lang::En)).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }));
    assert_eq!(store.settings.get(KEY_SETTINGS).unwrap().unwrap().as_ref(), b"{not json");
}

#[test]
fn unwritable_location_is_a_clear_error() {
    let dir = tmp();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let err = Store::open(&file.join("sub")).err().expect("cannot create dir under a file");
    assert!(matches!(err, Error::StoreOpen { .. }), "{err:?}");
}
