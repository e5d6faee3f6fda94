//! The damage suite: a store holding a ledger (two sales chunks, kept by
//! sled as blob files) and data typed by hand (key accounts, a phase move,
//! contacts, touches, a note, surveys), damaged the ways a full disk, a bad
//! copy, a half-synced cloud folder or a failing disk damages files — every
//! file of the store folder overwritten, flipped, cut, zeroed, deleted;
//! `snap.*` deleted with and without a cut `db`; the folder deleted or
//! emptied — once after a clean close and once after a crash. For each,
//! either exactly the same data is read, or every command is refused,
//! naming the newest good backup, with the folder as it was found (left
//! untouched, or — after a crash, once sled's recovery ran — kept whole in
//! `store.before-recovery-*`). No exceptions list.

mod common;
use common::{copy_dir, Cli};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Every file under `dir` with its bytes.
fn bytes_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            for (k, v) in bytes_of(&p) {
                out.insert(format!("{}/{k}", p.file_name().unwrap().to_string_lossy()), v);
            }
        } else {
            out.insert(p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
        }
    }
    out
}

/// What the owner sees: the data, the hand-typed notebook, the history.
fn seen(d: &Cli) -> Vec<Value> {
    let mut info = d.json(&["info", "--json"]);
    info.as_object_mut().unwrap().remove("data_dir");
    vec![
        info,
        d.json(&["customers", "--json", "--limit", "200"]),
        d.json(&["accounts", "--all", "--json"]),
        d.json(&["notebook", "C1", "--json"]),
        d.json(&["surveys", "C1", "--json"]),
        d.json(&["contacts", "C2", "--json"]),
        d.json(&["imports", "--json"]),
    ]
}

/// A ledger of `lines` lines over 3,000 customers.
fn ledger(dir: &Path, name: &str, lines: usize) -> PathBuf {
    let file = dir.join(name);
    let mut text = String::from("订单号,日期,客户编号,客户名称,销售额,成本\n");
    for i in 0..lines {
        let c = i % 3000;
        text.push_str(&format!("{name}{i},2025-{:02}-{:02},C{c},客户{c},{}.50,{}\n", 1 + i % 12, 1 + i % 28, 100 + i % 900, 50 + i % 700));
    }
    std::fs::write(&file, text).unwrap();
    file
}

/// The store every damage starts from, and what it shows.
fn pristine() -> (Cli, Vec<Value>) {
    let d = Cli::new();
    d.ok(&["import", ledger(d.path(), "A", 150_000).to_str().unwrap()]);
    d.ok(&["import", ledger(d.path(), "B", 2_000).to_str().unwrap()]); // backed up before it
    for id in ["C1", "C2"] {
        d.ok(&["account", "promote", id]);
    }
    d.ok(&["account", "set-type", "C1", "economic"]);
    d.ok(&["account", "move", "C1", "--phase", "stabilize"]);
    d.ok(&["contact", "add", "C1", "--name", "王伟", "--phone", "13800000000"]);
    d.ok(&["contact", "add", "C2", "--name", "李娜"]);
    d.ok(&["touch", "C1", "--kind", "visit", "--contact", "1", "--summary", "Plant tour", "--date", "2026-03-05"]);
    d.ok(&["survey", "C1", "--product", "4", "--service", "5", "--delivery", "3", "--price", "4", "--overall", "4", "--date", "2026-03-06"]);
    d.ok(&["survey", "C1", "--product", "5", "--service", "5", "--delivery", "4", "--price", "3", "--overall", "5", "--date", "2026-04-06"]);
    // A manual backup kept in the backups folder under a name of the owner's.
    d.ok(&["backup", "--out", d.dir().join("backups/base_backup.vfb").to_str().unwrap()]);
    let shown = seen(&d);
    (d, shown)
}

/// One way of damaging the folder `store`; `None` when it does not apply.
type Damage = Box<dyn Fn(&Path)>;

fn damages(store: &Path) -> Vec<(String, Damage)> {
    let mut out: Vec<(String, Damage)> = Vec::new();
    for file in bytes_of(store).into_keys() {
        let f = file.clone();
        let path = move |s: &Path| s.join(&f);
        for at in [10u64, 50, 90] {
            let p = path.clone();
            out.push((
                format!("{file}: 4 KB overwritten at {at}%"),
                Box::new(move |s| {
                    let mut bytes = std::fs::read(p(s)).unwrap();
                    let start = bytes.len() * at as usize / 100;
                    for (i, b) in bytes.iter_mut().skip(start).take(4096).enumerate() {
                        *b = (i as u8).wrapping_mul(37).wrapping_add(11);
                    }
                    std::fs::write(p(s), bytes).unwrap();
                }),
            ));
        }
        let p = path.clone();
        out.push((
            format!("{file}: bits flipped"),
            Box::new(move |s| {
                let mut bytes = std::fs::read(p(s)).unwrap();
                let n = bytes.len();
                for at in [n / 7, n / 3, n * 5 / 6] {
                    bytes[at] ^= 0x21;
                }
                std::fs::write(p(s), bytes).unwrap();
            }),
        ));
        let p = path.clone();
        out.push((format!("{file}: cut in half"), Box::new(move |s| cut(&p(s), |n| n / 2))));
        let p = path.clone();
        out.push((format!("{file}: emptied"), Box::new(move |s| cut(&p(s), |_| 0))));
        let p = path.clone();
        out.push((
            format!("{file}: zero-filled"),
            Box::new(move |s| {
                let n = std::fs::metadata(p(s)).unwrap().len();
                std::fs::write(p(s), vec![0u8; n as usize]).unwrap();
            }),
        ));
        let p = path.clone();
        out.push((format!("{file}: deleted"), Box::new(move |s| std::fs::remove_file(p(s)).unwrap())));
    }
    for end in [0u64, 8_000, 32_000] {
        out.push((
            format!("snap.* deleted, db cut by {end} bytes"),
            Box::new(move |s| {
                for e in std::fs::read_dir(s).unwrap() {
                    let p = e.unwrap().path();
                    if p.file_name().unwrap().to_string_lossy().starts_with("snap.") {
                        std::fs::remove_file(p).unwrap();
                    }
                }
                cut(&s.join("db"), |n| n.saturating_sub(end));
            }),
        ));
    }
    out.push(("store folder deleted".into(), Box::new(|s| std::fs::remove_dir_all(s).unwrap())));
    out.push((
        "store folder emptied".into(),
        Box::new(|s| {
            std::fs::remove_dir_all(s).unwrap();
            std::fs::create_dir(s).unwrap();
        }),
    ));
    out
}

fn cut(path: &Path, to: impl Fn(u64) -> u64) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let n = f.metadata().unwrap().len();
    f.set_len(to(n)).unwrap();
}

/// Makes the data dir look as a crash leaves it: the manifest of a session
/// still open (what it holds then is what was flushed, as here).
fn as_after_a_crash(data: &Path) {
    let path = data.join("store.manifest");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(m["state"], "closed");
    m["state"] = "open".into();
    m.as_object_mut().unwrap().remove("files");
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
}

fn kept_copies(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("store.before-recovery-"))
        .collect();
    v.sort();
    v
}

fn run_suite(crashed: bool) {
    let (base, shown) = pristine();
    let names: Vec<(String, Damage)> = damages(&base.dir().join("store"));
    let backups = base.json(&["backups", "--json"]);
    let newest_good = backups[0]["file"].as_str().unwrap().to_string();
    assert!(backups.as_array().unwrap().iter().any(|b| b["file"].as_str().unwrap().ends_with("base_backup.vfb")), "the manual backup is found by its header");
    let (mut same, mut refused) = (Vec::new(), Vec::new());
    for (what, damage) in &names {
        let d = Cli::new();
        copy_dir(&base.dir(), &d.dir());
        // The backups folder names the data dir it was copied from: as a
        // restore would see them.
        let newest = newest_good.replace(base.dir().to_str().unwrap(), d.dir().to_str().unwrap());
        if crashed {
            as_after_a_crash(&d.dir());
        }
        let store = d.dir().join("store");
        damage(&store);
        let found = bytes_of(&store);
        let manifest = std::fs::read(d.dir().join("store.manifest")).unwrap();
        let o = d.cmd(&["info", "--json"]);
        if o.status.success() {
            assert_eq!(seen(&d), shown, "{what}: opened, so exactly the same data must be read");
            assert!(d.json(&["check", "--json"])["ok"].as_bool().unwrap(), "{what}");
            same.push(what.clone());
            continue;
        }
        // Refused: by every command, naming the newest good backup, the
        // folder as it was found.
        for args in [&["info"][..], &["check"], &["customers"], &["notebook", "C1"], &["touch", "C1", "--kind", "call", "--summary", "x"]] {
            let err = d.fails(args, "is damaged");
            assert!(err.contains(&newest), "{what} {args:?}: {err}");
        }
        let copies = kept_copies(&d.dir());
        if crashed && found.contains_key("db") && !store.join("db").exists() {
            panic!("{what}: the store folder lost its db");
        }
        match copies.as_slice() {
            [] => {
                assert_eq!(bytes_of(&store), found, "{what}: the folder is left exactly as it was found");
                assert_eq!(std::fs::read(d.dir().join("store.manifest")).unwrap(), manifest, "{what}: the manifest too");
            }
            [copy] => {
                assert!(crashed, "{what}: copied aside after a clean close");
                assert_eq!(bytes_of(copy), found, "{what}: the copy is the folder as it was found");
            }
            more => panic!("{what}: one copy, not {more:?}"),
        }
        refused.push(what.clone());
    }
    eprintln!(
        "damage suite ({}): {} damaged copies, {} read exactly as before, {} refused",
        if crashed { "after a crash" } else { "after a clean close" },
        names.len(),
        same.len(),
        refused.len()
    );
    eprintln!("  read as before: {same:?}");
    // After a clean close any change is refused before sled opens.
    if !crashed {
        assert!(same.is_empty(), "{same:?}");
    }
}

#[test]
fn every_damage_after_a_clean_close_is_refused_with_the_folder_untouched() {
    run_suite(false);
}

#[test]
fn every_damage_after_a_crash_reads_the_same_data_or_is_refused_with_the_folder_kept() {
    run_suite(true);
}

#[test]
fn a_refused_store_is_recovered_from_the_backup_it_names_and_kept_aside() {
    let (d, shown) = pristine();
    cut(&d.dir().join("store/db"), |n| n - 8_000);
    let err = d.fails(&["info"], "is damaged");
    let newest = d.json(&["backups", "--json"])[0]["file"].as_str().unwrap().to_string();
    assert!(err.contains(&newest), "{err}");
    // The backup made last holds every key account and notebook entry.
    let named = d.dir().join("backups/base_backup.vfb");
    let listed = d.ok(&["backups"]);
    let line = listed.lines().find(|l| l.contains("base_backup.vfb")).unwrap_or_else(|| panic!("{listed}"));
    assert!(line.contains("2 key accounts, 2 notebooks (5 entries)"), "{line}");
    d.ok(&["restore", named.to_str().unwrap()]);
    assert_eq!(seen(&d), shown);
    let aside: Vec<_> = std::fs::read_dir(d.dir()).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("store.damaged-")).collect();
    assert_eq!(aside.len(), 1);
}

#[test]
fn a_missing_store_with_backups_is_refused_until_the_owner_starts_with_no_data() {
    let (d, _) = pristine();
    std::fs::remove_dir_all(d.dir().join("store")).unwrap();
    let newest = d.json(&["backups", "--json"])[0]["file"].as_str().unwrap().to_string();
    for args in [&["info"][..], &["check"], &["customers"]] {
        let err = d.fails(args, "missing or empty");
        assert!(err.contains(&newest) && err.contains("--new-store"), "{err}");
    }
    assert!(!d.dir().join("store").exists(), "no new store was written");
    // The same without the manifest: the backups alone say there was data.
    std::fs::remove_file(d.dir().join("store.manifest")).unwrap();
    d.fails(&["info"], "backups folder holds earlier data");
    let info = d.json(&["--new-store", "info", "--json"]);
    assert_eq!((info["customers"].as_u64(), info["sales_lines"].as_u64()), (Some(0), Some(0)));
    assert!(!d.json(&["backups", "--json"]).as_array().unwrap().is_empty(), "the backups stay");
    // Once there is a store, --new-store changes nothing.
    d.ok(&["import", ledger(d.path(), "C", 10).to_str().unwrap()]);
    assert_eq!(d.json(&["--new-store", "info", "--json"])["sales_lines"], 10);
}

/// sled writes a snapshot as `snap.<lsn>.generating` and renames it when
/// done; killed halfway, it leaves that file, which sled 0.34.7 then takes
/// for the newest snapshot and refuses as corrupted. After a crash the
/// store opens with everything in it (the unfinished snapshot was never
/// relied on), and the folder as the crash left it is not kept: nothing
/// was wrong with it.
#[test]
fn a_snapshot_half_written_when_the_process_died_does_not_make_the_store_look_damaged() {
    let (base, shown) = pristine();
    let store = base.dir().join("store");
    let snap = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("snap.") && p.extension().is_some_and(|e| e != "generating"))
        .expect("a snapshot after a clean close");
    let bytes = std::fs::read(&snap).unwrap();
    let name = snap.file_name().unwrap().to_string_lossy().into_owned();
    // The same snapshot's successor, and one of a later position: each
    // sorts after the finished one.
    for half_written in [format!("{name}.generating"), "snap.FFFFFFFFFFFFFFF0.generating".to_string()] {
        let d = Cli::new();
        copy_dir(&base.dir(), &d.dir());
        as_after_a_crash(&d.dir());
        std::fs::write(d.dir().join("store").join(&half_written), &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(seen(&d), shown, "{half_written}: the store opens as it was");
        assert!(d.json(&["check", "--json"])["ok"].as_bool().unwrap(), "{half_written}");
        assert!(kept_copies(&d.dir()).is_empty(), "{half_written}: no copy kept of a store that was fine");
    }
}
