//! Backups, restores, migrations and damaged stores through the real
//! binary: `backup`, `restore`, `backups`, `check`, and what every command
//! says on a store that cannot be used.

mod common;
use common::{copy_dir, Cli};


use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

type Data = Cli;

impl Cli {
    fn import(&self, file: &str) {
        self.ok(&["import", fixtures().join(file).to_str().unwrap()]);
    }
    fn state(&self) -> (Value, Value) {
        (self.json(&["customers", "--json"]), self.json(&["accounts", "--all", "--json"]))
    }
    fn backups(&self) -> Vec<Value> {
        self.json(&["backups", "--json"]).as_array().unwrap().clone()
    }
}


#[test]
fn a_manual_backup_restores_everything_and_is_listed() {
    let d = Data::new();
    d.import("ledger_gbk.csv");
    d.ok(&["account", "promote", "1"]);
    d.ok(&["account", "set-type", "1", "economic"]);
    let before = d.state();
    let file = d.path().join("mine.vfbackup");
    let said = d.ok(&["backup", "--out", file.to_str().unwrap()]);
    assert!(said.contains("4 customers") && said.contains("1 key accounts"), "{said}");

    let list = d.backups();
    let manual: Vec<&Value> = list.iter().filter(|b| b["kind"] == "manual").collect();
    assert_eq!(manual.len(), 1, "a copy is kept in the backups folder: {list:?}");
    let keys: Vec<&str> = manual[0].as_object().unwrap().keys().map(String::as_str).collect();
    for field in ["file", "created_at", "kind", "reason", "customers", "sales_lines", "accounts", "bytes"] {
        assert!(keys.contains(&field), "{field} in {keys:?}");
    }
    assert_eq!((manual[0]["customers"].as_u64(), manual[0]["sales_lines"].as_u64(), manual[0]["accounts"].as_u64()), (Some(4), Some(6), Some(1)));

    // Change everything, then restore: exactly the state of the backup.
    d.import("ledger_title.xlsx");
    d.ok(&["account", "promote", "2"]);
    d.ok(&["account", "move", "1", "--phase", "stabilize"]);
    assert_ne!(d.state(), before);
    let restored = d.ok(&["restore", file.to_str().unwrap()]);
    assert!(restored.contains("Restored"), "{restored}");
    assert_eq!(d.state(), before);
    assert!(d.json(&["check", "--json"])["ok"].as_bool().unwrap());
    // The state it replaced was kept as an automatic backup first.
    assert!(d.backups().iter().any(|b| b["kind"] == "auto" && b["reason"].as_str().unwrap().contains("before restoring mine.vfbackup")));
}

#[test]
fn imports_and_undos_are_preceded_by_automatic_backups_and_a_day_gets_one_daily() {
    let d = Data::new();
    d.import("ledger_gbk.csv"); // an empty store has nothing to back up
    assert!(d.backups().iter().all(|b| b["kind"] != "auto"));
    d.import("ledger_dayfirst.csv");
    d.ok(&["undo-import"]);
    let list = d.backups();
    let reasons: Vec<&str> = list.iter().filter(|b| b["kind"] == "auto").map(|b| b["reason"].as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("before importing ledger_dayfirst.csv")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("before undoing the import of ledger_dayfirst.csv")), "{reasons:?}");
    // One a day (the test may run across midnight: one for each day it saw).
    let mut days: Vec<&str> = list.iter().filter(|b| b["kind"] == "daily").map(|b| &b["created_at"].as_str().unwrap()[..10]).collect();
    let dailies = days.len();
    days.dedup();
    assert!(dailies >= 1 && dailies == days.len(), "one daily backup a day, made once there is data: {list:?}");
}

#[test]
fn damaged_foreign_and_newer_backups_are_refused_with_the_store_untouched() {
    let d = Data::new();
    d.import("ledger_gbk.csv");
    let file = d.path().join("b.vfbackup");
    d.ok(&["backup", "--out", file.to_str().unwrap()]);
    d.import("ledger_title.xlsx");
    let before = d.state();
    let good = std::fs::read(&file).unwrap();
    let bad = d.path().join("bad.vfbackup");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (good[..good.len() - 100].to_vec(), "checksum"),
        ({
            let mut v = good.clone();
            v[good.len() / 2] ^= 1;
            v
        }, "checksum does not match"),
        (b"name,amount\nx,1\n".to_vec(), "not a Vital Few backup"),
        ({
            let mut v = good.clone();
            v[8] = 7;
            v
        }, "damaged (its format number is unreadable)"),
    ];
    for (bytes, needle) in cases {
        std::fs::write(&bad, bytes).unwrap();
        d.fails(&["restore", bad.to_str().unwrap()], needle);
        assert_eq!(d.state(), before);
    }
    d.fails(&["restore", d.path().join("missing.vfbackup").to_str().unwrap()], "cannot use the backup");
}

#[test]
fn a_v1_store_from_the_first_release_opens_migrated_with_everything_intact() {
    let d = Data::new();
    let v1 = fixtures().join("store-v1");
    copy_dir(&v1.join("store"), &d.dir().join("store"));
    let info = d.json(&["info", "--json"]);
    assert_eq!(info["schema_version"], vitalfew::store::SCHEMA_VERSION);
    let old: Value = serde_json::from_slice(&std::fs::read(v1.join("info.json")).unwrap()).unwrap();
    for field in ["customers", "sales_lines", "accounts"] {
        assert_eq!(info[field], old[field], "{field}");
    }
    for (args, file) in [(&["customers", "--json"][..], "customers.json"), (&["accounts", "--all", "--json"][..], "accounts.json"), (&["imports", "--json"][..], "imports.json")] {
        let expected: Value = serde_json::from_slice(&std::fs::read(v1.join(file)).unwrap()).unwrap();
        let now = if file == "customers.json" { d.json(args) } else { common::as_first_release(d.json(args)) };
        assert_eq!(now, expected, "{args:?}");
    }
    assert!(d.json(&["check", "--json"])["ok"].as_bool().unwrap());
    // A backup before each step, holding what the store held then.
    for (to, from) in [(2, 1), (3, 2), (4, 3)] {
        let before: Vec<Value> =
            d.backups().into_iter().filter(|b| b["reason"].as_str().unwrap().contains(&format!("schema version {to}"))).collect();
        assert_eq!(before.len(), 1, "a backup of the v{from} store was made first");
        assert_eq!((&before[0]["schema_version"], &before[0]["customers"]), (&Value::from(from), &old["customers"]));
    }
    // The history entries survived too: the account can move on from where it was.
    d.ok(&["account", "move", "1", "--phase", "stabilize"]);
}

/// Makes the store in `d` damaged in one of the ways a real store is.
fn damage(d: &Data, how: &str) {
    let db = d.dir().join("store/db");
    match how {
        "truncated" => std::fs::OpenOptions::new().write(true).open(&db).unwrap().set_len(1000).unwrap(),
        "lost entries" => {
            let sled = sled::Config::new().path(d.dir().join("store")).open().unwrap();
            let customers = sled.open_tree("customers").unwrap();
            let (k, _) = customers.first().unwrap().unwrap();
            customers.remove(k).unwrap();
            sled.flush().unwrap();
        }
        "no schema" => {
            let sled = sled::Config::new().path(d.dir().join("store")).open().unwrap();
            sled.open_tree("meta").unwrap().remove("schema_version").unwrap();
            sled.flush().unwrap();
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_command_on_a_damaged_store_fails_naming_the_newest_good_backup_and_restore_recovers() {
    for how in ["truncated", "lost entries", "no schema"] {
        let d = Data::new();
        d.import("ledger_gbk.csv");
        d.import("ledger_dayfirst.csv");
        d.ok(&["account", "promote", "1"]);
        let before = d.state();
        let file = d.path().join("safe.vfbackup");
        d.ok(&["backup", "--out", file.to_str().unwrap()]);
        let newest = d.backups()[0]["file"].as_str().unwrap().to_string();
        damage(&d, how);
        for args in [&["info"][..], &["customers"], &["accounts"], &["check"], &["import", fixtures().join("ledger_gbk.csv").to_str().unwrap()], &["undo-import"], &["backup", "--out", "/tmp/x.vfbackup"]] {
            let started = Instant::now();
            let err = d.fails(args, "is damaged");
            assert!(err.contains(&newest), "{how} {args:?}: {err}");
            assert!(started.elapsed() < Duration::from_secs(15), "within the open time limit");
        }
        // Nothing of ours is written into it: no schema version, no counts.
        // (sled's own recovery may zero a torn tail it cannot read; the
        // folder is then kept aside as it is.)
        if how != "truncated" {
            let sled = sled::Config::new().path(d.dir().join("store")).open().unwrap();
            let meta = sled.open_tree("meta").unwrap();
            assert_eq!(meta.get("schema_version").unwrap().is_some(), how != "no schema", "{how}");
            let customers = sled.open_tree("customers").unwrap().len() as u64;
            let counted = meta.get("count:customers").unwrap().map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap()));
            assert_eq!(counted == Some(customers), how == "no schema", "{how}: counts left as they were");
        }
        // The backups can still be listed, and a restore recovers; the
        // damaged store is kept aside, never deleted.
        assert!(!d.backups().is_empty());
        d.ok(&["restore", &newest]);
        assert_eq!(d.state(), before, "{how}");
        let aside = std::fs::read_dir(d.dir()).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("store.damaged-")).count();
        assert_eq!(aside, 1, "{how}");
    }
}

#[test]
fn check_reports_the_trees_and_lines() {
    let d = Data::new();
    d.import("ledger_gbk.csv");
    let report = d.json(&["check", "--json"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["sales_lines"], 6);
    assert_eq!(report["trees"]["customers"], 4);
    assert!(d.ok(&["check"]).contains("intact"));
}

#[test]
fn a_v1_store_keeps_deduplicating_re_imports_and_takes_compressed_chunks_beside_its_old_ones() {
    let d = Data::new();
    copy_dir(&fixtures().join("store-v1").join("store"), &d.dir().join("store"));
    let lines = |d: &Data| d.json(&["info", "--json"])["sales_lines"].as_u64().unwrap();
    let before = lines(&d);
    // Its first import again: every line is stored already, in
    // chunks the first release wrote uncompressed, with fingerprints.
    d.import("ledger_gbk.csv");
    assert_eq!(lines(&d), before, "a re-import adds nothing");
    d.import("ledger_dayfirst.csv");
    assert!(lines(&d) > before, "new lines, in a compressed chunk");
    assert!(d.json(&["check", "--json"])["ok"].as_bool().unwrap());
    let customers = d.json(&["customers", "--json"]);
    assert!(customers.as_array().unwrap().len() >= 54);
}
