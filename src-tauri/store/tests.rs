//! Unit tests of the store: transactions and counts, imports and their
//! undo, records, the check, opening after crashes. Over 500 lines because
//! each case builds and damages a real store; they share its helpers.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::*;
use crate::model::{Customer, ImportRecord, Lang, Shape, WindowGeometry};

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
fn new_store_records_schema_version_and_zero_counts() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!((store.customer_count().unwrap(), store.line_count().unwrap()), (0, 0));
    assert!(store.is_empty().unwrap());
    assert!(store.meta.get(KEY_CREATED_AT).unwrap().is_some());
    assert!(store.check_counts().is_empty());
    // Created elsewhere and moved in: nothing is left beside it but its
    // manifest and the data dir's lock.
    assert_eq!(names(dir.path()), vec!["store"]);
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

// ---- helpers ----

/// A record kind for these tests, kept per customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Note {
    text: String,
}

impl Record for Note {
    const TREE: &'static str = "customer:notes";
    const VERSION: u32 = 1;
}

fn customer(id: u32) -> Customer {
    Customer { id, ext_id: Some(format!("C{id}")), name: format!("Customer {id}"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None }
}

fn record(file: &str) -> ImportRecord {
    ImportRecord { id: 0, file_name: file.into(), at: "2026-01-01T00:00:00Z".into(), shape: Shape::SalesLedger, rows: 1, customers: 1, new_customers: 1, sales_lines: 0, skipped: 0, checksum: "00".into(), source: Default::default(), mapping: None }
}

/// Imports customers `ids`, each with `lines` sales lines.
pub(crate) fn import(store: &Store, ids: &[u32], lines: u32) -> ImportRecord {
    let mut enc = LineEncoder::default();
    for &id in ids {
        for n in 0..lines {
            enc.push(&LineRef {
                customer: id,
                date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1 + n % 28),
                order_id: Some("O1"),
                product: Some("P"),
                category: None,
                revenue: Some(100.0 + f64::from(n)),
                cost: Some(60.0),
                profit: None,
                quantity: None,
            });
        }
    }
    let batch = ImportBatch { upserts: ids.iter().map(|&id| customer(id)).collect(), lines: enc.finish() };
    store.commit_import(&batch, record("f.csv"), store.generation()).unwrap()
}

// ---- damage ----

#[test]
fn a_store_folder_without_schema_version_is_damaged_and_left_alone() {
    let dir = tmp();
    {
        let db = sled::open(dir.path().join("store")).unwrap();
        db.open_tree(TREE_CUSTOMERS).unwrap().insert(1u32.to_be_bytes(), b"{}".to_vec()).unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).err().expect("refused");
    assert!(matches!(err, Error::StoreDamaged { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    let db = raw_open(dir.path());
    assert!(db.open_tree(TREE_META).unwrap().is_empty(), "no schema version was written");
}

#[test]
fn counts_that_disagree_with_the_trees_are_refused() {
    let dir = tmp();
    {
        let store = Store::open(dir.path()).unwrap();
        import(&store, &[1, 2, 3], 2);
        // Lose the customers behind the store's back.
        store.customers.remove(customers::chunk_key(2)).unwrap();
        store.flush().unwrap();
    }
    let err = Store::open(dir.path()).err().expect("refused");
    let text = err.to_string();
    assert!(matches!(err, Error::StoreDamaged { .. }) && text.contains("customers should hold 1 entries but holds 0"), "{text}");
    assert!(text.contains("No backup"), "{text}");
}

#[test]
fn check_finds_lines_that_do_not_decode() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1], 5);
    assert!(store.check().unwrap().ok);
    let (key, _) = store.sales.first().unwrap().unwrap();
    store.sales.insert(key, vec![9u8, 0, 0, 0, 1]).unwrap();
    let report = store.check().unwrap();
    assert!(!report.ok);
    assert!(report.problems.iter().any(|p| p.contains("sales chunk 1")), "{:?}", report.problems);
}

// ---- records ----

#[test]
fn records_are_read_changed_and_written_in_one_transaction() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1, 2], 1);
    let key = Key::CustomerItem(1, 1);
    let note = store.update::<Note>(key, |old| {
        assert!(old.is_none());
        Ok(Note { text: "first".into() })
    });
    assert_eq!(note.unwrap().text, "first");
    store.update::<Note>(key, |old| Ok(Note { text: format!("{} and second", old.unwrap().text) })).unwrap();
    store.update::<Note>(Key::CustomerItem(2, 7), |_| Ok(Note { text: "other".into() })).unwrap();
    assert_eq!(store.get::<Note>(key).unwrap().unwrap().text, "first and second");
    assert_eq!(store.of_customer::<Note>(1).unwrap().len(), 1);
    assert_eq!(store.all::<Note>().unwrap().len(), 2);
    assert!(store.check_counts().is_empty());
    assert_eq!(store.meta_u64(&count_key(Note::TREE)).unwrap(), 2);

    // A failing change writes nothing, not even the part before the failure.
    let err = store
        .transact(&[Note::TREE], |tx| {
            tx.put(Key::CustomerItem(2, 8), &Note { text: "half".into() })?;
            Err::<(), _>(Error::InvalidArgument("no".into()).into())
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)));
    assert_eq!(store.all::<Note>().unwrap().len(), 2);

    // Removing keeps the count right; a record needs its customer.
    assert!(store.transact(&[Note::TREE], |tx| tx.remove::<Note>(Key::CustomerItem(2, 7))).unwrap());
    let missing = store.update::<Note>(Key::Customer(99), |_| Ok(Note { text: "x".into() })).unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing:?}");
    assert!(store.check_counts().is_empty());
    drop(store);
    assert!(Store::open(dir.path()).is_ok(), "counts agree after reopening");
}

#[test]
fn item_numbers_count_up() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    let first = store.transact(&[Note::TREE], |tx| tx.next_item::<Note>()).unwrap();
    let second = store.transact(&[Note::TREE], |tx| tx.next_item::<Note>()).unwrap();
    assert_eq!((first, second), (1, 2));
}

// ---- imports ----

#[test]
fn undo_is_refused_when_any_customer_record_belongs_to_an_added_customer() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1], 1);
    import(&store, &[2], 1);
    store.update::<Note>(Key::CustomerItem(2, 1), |_| Ok(Note { text: "keep me".into() })).unwrap();
    let err = store.undo_last_import().unwrap_err();
    assert!(err.to_string().contains("customer 2") && err.to_string().contains("notes"), "{err}");
    assert_eq!(store.customer_count().unwrap(), 2, "nothing undone");
    store.transact(&[Note::TREE], |tx| tx.remove::<Note>(Key::CustomerItem(2, 1))).unwrap();
    store.undo_last_import().unwrap();
    assert_eq!((store.customer_count().unwrap(), store.line_count().unwrap()), (1, 1));
    assert!(store.check_counts().is_empty());
}

#[test]
fn a_plan_made_before_another_change_is_not_committed() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    let before = store.generation();
    import(&store, &[1], 1);
    let batch = ImportBatch { upserts: vec![customer(5)], lines: EncodedLines::default() };
    let err = store.commit_import(&batch, record("late.csv"), before).unwrap_err();
    assert!(err.to_string().contains("preview the file again"), "{err}");
    assert_eq!(store.customer_count().unwrap(), 1);
}

// ---- migrations ----

#[test]
fn a_v1_store_is_migrated_after_a_backup() {
    let dir = tmp();
    {
        let db = sled::open(dir.path().join("store")).unwrap();
        let meta = db.open_tree(TREE_META).unwrap();
        meta.insert(KEY_SCHEMA_VERSION, &1u32.to_be_bytes()).unwrap();
        meta.insert(KEY_SALES_LINES, &0u64.to_be_bytes()).unwrap();
        let customers = db.open_tree(TREE_CUSTOMERS).unwrap();
        for id in [1u32, 2] {
            customers.insert(id.to_be_bytes(), serde_json::to_vec(&customer(id)).unwrap()).unwrap();
        }
        db.open_tree("accounts").unwrap().insert(2u32.to_be_bytes(), br#"{"active":true,"x":1}"#.to_vec()).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.customer_count().unwrap(), 2);
    assert_eq!(store.customers().unwrap(), vec![customer(1), customer(2)]);
    let moved = store.db.open_tree("customer:accounts").unwrap();
    assert_eq!(moved.get(2u32.to_be_bytes()).unwrap().unwrap().as_ref(), br#"{"active":true,"x":1}"#);
    assert!(!store.db.tree_names().iter().any(|n| n.as_ref() == b"accounts"), "the v1 tree is gone");
    assert!(store.check().unwrap().ok);
    // One backup before each step, each of the schema it was made from.
    let mut backups: Vec<_> = backup::list(dir.path()).into_iter().map(|b| (b.schema_version, b.customers, b.accounts, b.reason)).collect();
    backups.sort();
    assert_eq!(backups.len(), 3, "{backups:?}");
    for (n, backup) in backups.iter().enumerate() {
        let from = n as u32 + 1;
        assert_eq!((backup.0, backup.1, backup.2), (from, 2, 1));
        assert!(backup.3.contains(&format!("schema version {}", from + 1)));
    }
    // From v4 on every transaction is counted: the migration was the first.
    assert_eq!(counts_of(&store.meta).unwrap().commits, 1);
}

#[test]
fn a_v2_store_gets_its_customers_in_chunks() {
    let dir = tmp();
    let all: Vec<Customer> = (1..=2500).map(customer).collect();
    {
        // The v2 layout: one entry per customer, counted one by one.
        let db = sled::open(dir.path().join("store")).unwrap();
        let meta = db.open_tree(TREE_META).unwrap();
        meta.insert(KEY_SCHEMA_VERSION, &2u32.to_be_bytes()).unwrap();
        for name in COUNTED {
            meta.insert(count_key(name), &0u64.to_be_bytes()).unwrap();
        }
        meta.insert(count_key(TREE_CUSTOMERS), &2500u64.to_be_bytes()).unwrap();
        let tree = db.open_tree(TREE_CUSTOMERS).unwrap();
        for c in &all {
            tree.insert(c.id.to_be_bytes(), serde_json::to_vec(c).unwrap()).unwrap();
        }
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.customer_count().unwrap(), 2500);
    assert_eq!(store.customers.len(), 3, "ids 1–1023, 1024–2047, 2048–2500");
    assert_eq!(store.customers().unwrap(), all);
    let report = store.check().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.trees["customers"], 2500);
    // Records keyed by customer still find their customer.
    let found = store.transact(&[], |tx| Ok((tx.customer_exists(2048)?, tx.customer_exists(2501)?))).unwrap();
    assert_eq!(found, (true, false));
    let mut backups = backup::list(dir.path());
    backups.sort_by_key(|b| b.schema_version);
    assert_eq!((backups.len(), backups[0].schema_version, backups[0].customers), (2, 2, 2500));
}

// ---- swaps a crash can interrupt ----

/// What the data dir holds besides the store's manifest and lock.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "store.manifest" && n != "store.lock")
        .collect();
    v.sort();
    v
}

#[test]
fn an_interrupted_swap_is_finished_or_discarded() {
    let dir = tmp();
    let make = |customers: &[u32]| {
        let store = Store::open(dir.path()).unwrap();
        import(&store, customers, 1);
    };
    make(&[1]);
    // Build a second store with three customers in store.incoming.
    let other = tmp();
    {
        let store = Store::open(other.path()).unwrap();
        import(&store, &[1, 2, 3], 1);
    }
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    };
    // Not marked ready: discarded, the old store stays.
    copy(&other.path().join("store"), &dir.path().join("store.incoming"));
    assert_eq!(Store::open(dir.path()).unwrap().customer_count().unwrap(), 1);
    assert_eq!(names(dir.path()), vec!["store"]);
    // Ready, old store not yet moved: the swap is finished.
    copy(&other.path().join("store"), &dir.path().join("store.incoming"));
    std::fs::write(dir.path().join("store.incoming.ready"), "store.replaced").unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().customer_count().unwrap(), 3);
    assert_eq!(names(dir.path()), vec!["store"]);
    // Ready, old store already moved aside: the new one is moved in.
    std::fs::rename(dir.path().join("store"), dir.path().join("store.damaged-x")).unwrap();
    copy(&other.path().join("store"), &dir.path().join("store.incoming"));
    std::fs::write(dir.path().join("store.incoming.ready"), "store.damaged-x").unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().customer_count().unwrap(), 3);
    assert_eq!(names(dir.path()), vec!["store", "store.damaged-x"], "a damaged store is never removed");
    // Swap done, the ready mark gone, but the old store only partly removed
    // (killed while deleting it): it is removed on the next open.
    copy(&other.path().join("store"), &dir.path().join("store.replaced"));
    std::fs::remove_file(dir.path().join("store.replaced").join("conf")).ok();
    assert_eq!(Store::open(dir.path()).unwrap().customer_count().unwrap(), 3);
    assert_eq!(names(dir.path()), vec!["store", "store.damaged-x"]);
}

#[test]
fn opening_has_a_time_limit() {
    let dir = tmp();
    drop(Store::open(dir.path()).unwrap());
    // sled's lock held by another program (the data dir's is free) makes
    // sled's open wait ~1.5 s: a shorter limit gives up first. (Without a
    // manifest the store is opened as after a crash: copied aside first.)
    std::fs::remove_file(manifest::path(dir.path())).unwrap();
    let _held = raw_open(dir.path());
    let started = Instant::now();
    let err = open::open_within(dir.path(), Duration::from_millis(200)).err().expect("gave up");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(err.to_string().contains("could not be opened within"), "{err}");
    // It stays refused, and the folder as it was is kept.
    assert!(matches!(manifest::read(dir.path()), manifest::Found::Manifest(m) if m.state == manifest::State::Refused));
    assert!(names(dir.path()).iter().any(|n| n.starts_with("store.before-recovery-")));
}

#[test]
fn a_second_process_is_refused_by_the_data_dirs_lock_before_anything_is_read() {
    let dir = tmp();
    let _first = Store::open(dir.path()).unwrap();
    let started = Instant::now();
    let err = open::open_within(dir.path(), Duration::from_secs(10)).err().expect("locked");
    assert!(matches!(err, Error::StoreLocked { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The session in progress was not mistaken for a crash: nothing copied aside.
    assert_eq!(names(dir.path()), vec!["store"]);
}

// ---- customer chunks ----

#[test]
fn an_import_across_chunks_is_undone_exactly() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    let first: Vec<u32> = (1..=1500).collect();
    import(&store, &first, 1);
    let before = store.customers().unwrap();
    assert_eq!((before.len(), store.customers.len()), (1500, 2));
    // Changes customers in both chunks and adds some that open a third.
    let mut upserts = vec![Customer { name: "Renamed 5".into(), ..customer(5) }, Customer { region: Some("North".into()), ..customer(1100) }];
    upserts.extend((1501..=2100).map(customer));
    let batch = ImportBatch { upserts, lines: EncodedLines::default() };
    store.commit_import(&batch, record("second.csv"), store.generation()).unwrap();
    assert_eq!((store.customer_count().unwrap(), store.customers.len()), (2100, 3));
    let after = store.customers().unwrap();
    assert_eq!((after[4].name.as_str(), after[1099].region.as_deref()), ("Renamed 5", Some("North")));
    assert!(after.windows(2).all(|w| w[0].id < w[1].id), "in id order");
    assert!(store.check().unwrap().ok);

    store.undo_last_import().unwrap();
    assert_eq!(store.customers().unwrap(), before);
    assert_eq!((store.customer_count().unwrap(), store.customers.len()), (1500, 2));
    assert!(store.check().unwrap().ok);
    store.undo_last_import().unwrap();
    assert_eq!((store.customer_count().unwrap(), store.customers.len()), (0, 0));
    assert!(store.check().unwrap().ok);
}

#[test]
fn check_finds_customers_that_do_not_decode() {
    let dir = tmp();
    let store = Store::open(dir.path()).unwrap();
    import(&store, &[1, 2], 1);
    store.customers.insert(customers::chunk_key(1), b"\x02\x00\x00\x00garbage".to_vec()).unwrap();
    let report = store.check().unwrap();
    assert!(!report.ok && report.problems.iter().any(|p| p.contains("customer chunk 1")), "{report:?}");
    assert!(matches!(store.customers(), Err(Error::Corrupt { .. })));
}

// ---- the manifest: verified before sled opens ----

/// Every file under `dir` with its bytes, to compare folders exactly.
fn bytes_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A copy of the data dir `from` as a crash would leave it at this moment
/// (what was flushed is in the files; the manifest says `open`).
fn crash_copy(from: &Path) -> tempfile::TempDir {
    let to = tmp();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.path().join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            fsx::copy_dir(&e.path(), &target).unwrap();
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
    to
}

fn with_notes(dir: &Path, n: u64) -> Store {
    let store = Store::open(dir).unwrap();
    import(&store, &[1, 2], 3);
    for i in 0..n {
        store.update::<Note>(Key::CustomerItem(1, i), |_| Ok(Note { text: format!("note {i}") })).unwrap();
    }
    store
}

#[test]
fn a_cleanly_closed_store_opens_only_as_it_was_left() {
    let dir = tmp();
    drop(with_notes(dir.path(), 2));
    let m = match manifest::read(dir.path()) {
        manifest::Found::Manifest(m) => m,
        other => panic!("{other:?}"),
    };
    assert_eq!(m.state, manifest::State::Closed);
    assert!(m.files.iter().any(|f| f.path == "db"));
    assert_eq!((m.counts.customers, m.counts.trees["customer:notes"], m.counts.commits), (2, 2, 3));
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.check().unwrap().opened, Some(open::Opened::Matched));
    drop(store);

    // One byte changed while it was closed: refused, and not a byte of the
    // folder or the manifest changed, nothing copied.
    let db = dir.path().join("store/db");
    let mut bytes = std::fs::read(&db).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    std::fs::write(&db, &bytes).unwrap();
    let before = (bytes_of(&dir.path().join("store")), std::fs::read(manifest::path(dir.path())).unwrap());
    for _ in 0..2 {
        let err = Store::open(dir.path()).err().expect("refused");
        assert!(matches!(&err, Error::StoreDamaged { reason, .. } if reason.to_string().contains("its file db was changed after Vital Few closed it")), "{err}");
    }
    assert_eq!((bytes_of(&dir.path().join("store")), std::fs::read(manifest::path(dir.path())).unwrap()), before);
    assert_eq!(names(dir.path()), vec!["store"]);
    // The block put back (a sync that finished late): it opens again.
    bytes[at] ^= 0x40;
    std::fs::write(&db, &bytes).unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().all::<Note>().unwrap().len(), 2);
}

#[test]
fn after_a_crash_the_store_is_recovered_from_a_copy_and_checked() {
    let dir = tmp();
    let store = with_notes(dir.path(), 2);
    let crashed = crash_copy(dir.path());
    drop(store);
    let store = Store::open(crashed.path()).unwrap();
    let report = store.check().unwrap();
    assert_eq!((report.ok, report.opened), (true, Some(open::Opened::Recovered)), "{report:?}");
    assert_eq!(store.all::<Note>().unwrap().len(), 2);
    drop(store);
    // The copy made before sled's recovery is removed once it checked out.
    assert_eq!(names(crashed.path()), vec!["store"]);
}

#[test]
fn a_store_that_lost_committed_work_is_refused_and_both_folders_kept() {
    let dir = tmp();
    let store = with_notes(dir.path(), 2);
    // The folder as it was two commits ago, with the manifest of now: what
    // a store that lost its last writes looks like after a crash.
    let earlier = crash_copy(dir.path());
    store.update::<Note>(Key::CustomerItem(1, 0), |_| Ok(Note { text: "changed".into() })).unwrap();
    store.update::<Note>(Key::CustomerItem(1, 9), |_| Ok(Note { text: "new".into() })).unwrap();
    std::fs::copy(manifest::path(dir.path()), manifest::path(earlier.path())).unwrap();
    drop(store);
    let original = bytes_of(&earlier.path().join("store"));
    let err = Store::open(earlier.path()).err().expect("refused");
    let text = err.to_string();
    assert!(text.contains("it lacks the last 2 of the 5 changes Vital Few saved (customer:notes 2 instead of 3)"), "{text}");
    assert!(text.contains("store.before-recovery-"), "names the copy: {text}");
    let kept = names(earlier.path()).into_iter().find(|n| n.starts_with("store.before-recovery-")).expect("copy kept");
    assert_eq!(bytes_of(&earlier.path().join(kept)), original, "the copy is the folder as the crash left it");
    // It stays refused, without sled opening it again.
    let again = bytes_of(&earlier.path().join("store"));
    let err = Store::open(earlier.path()).err().expect("still refused");
    assert!(err.to_string().contains("it lacks the last 2"), "{err}");
    assert_eq!(bytes_of(&earlier.path().join("store")), again);
}

#[test]
fn a_missing_store_with_backups_is_not_a_new_store_until_asked() {
    let dir = tmp();
    {
        let store = with_notes(dir.path(), 1);
        backup::write_in_folder(&store, &backup::Cause::Daily, &backup::Summary::default()).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("store")).unwrap();
    let err = Store::open(dir.path()).err().expect("refused");
    assert!(matches!(&err, Error::StoreDamaged { reason, backup: Some(_), .. } if reason.to_string().contains("missing or empty")), "{err}");
    // Empty instead of missing, and without the manifest: the backups say it.
    std::fs::create_dir(dir.path().join("store")).unwrap();
    std::fs::remove_file(manifest::path(dir.path())).unwrap();
    assert!(matches!(Store::open(dir.path()), Err(Error::StoreDamaged { .. })));
    open::start_empty(dir.path()).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.is_empty().unwrap());
    assert_eq!(backup::list(dir.path()).len(), 1, "the backups stay");
}

#[test]
fn what_a_killed_process_left_half_made_is_removed_on_the_next_open() {
    let dir = tmp();
    drop(Store::open(dir.path()).unwrap());
    std::fs::create_dir_all(dir.path().join("store.recovering.partial/blobs")).unwrap();
    std::fs::write(dir.path().join("store.manifest.tmp"), b"{").unwrap();
    std::fs::create_dir_all(backup::folder(dir.path())).unwrap();
    std::fs::write(backup::folder(dir.path()).join("20260101-000000-auto.partial"), b"VFBACKUP").unwrap();
    drop(Store::open(dir.path()).unwrap());
    assert_eq!(names(dir.path()), vec!["backups", "store"]);
    assert_eq!(std::fs::read_dir(backup::folder(dir.path())).unwrap().count(), 0);
}

#[test]
fn a_restore_replaces_a_refused_store_with_its_manifest() {
    let dir = tmp();
    let path = dir.path().join("b.vfbackup");
    {
        let store = with_notes(dir.path(), 1);
        backup::write(&store, &path, &backup::Cause::Manual, &backup::Summary::default()).unwrap();
    }
    std::fs::OpenOptions::new().write(true).open(dir.path().join("store/db")).unwrap().set_len(100).unwrap();
    assert!(matches!(Store::open(dir.path()), Err(Error::StoreDamaged { .. })));
    backup::restore(dir.path(), &path, true, &|_| {}).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!((store.all::<Note>().unwrap().len(), store.check().unwrap().opened), (1, Some(open::Opened::Matched)));
    assert!(names(dir.path()).iter().any(|n| n.starts_with("store.damaged-")));
}
