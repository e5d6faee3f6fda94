//! Atomic writes: an import, a restore, a migration or a notebook change
//! killed (SIGKILL) at any moment leaves the store with the old state or the
//! new one, never a mix. sled 0.34.7 lacks an
//! upstream crash-consistency fix, so this is tested rather than assumed.

#![cfg(unix)]

mod common;
use common::copy_dir;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LINES: usize = 120_000;
const CUSTOMERS: usize = 3_000;

fn vitalfew(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vitalfew"));
    c.arg("--data-dir").arg(dir).env_remove("VITALFEW_DATA_DIR");
    c
}

fn info(dir: &Path) -> serde_json::Value {
    let o = vitalfew(dir).args(["info", "--json"]).output().unwrap();
    assert!(o.status.success(), "store must open after a crash: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn an_import_killed_at_any_moment_leaves_old_or_new_state() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ledger.csv");
    let mut text = String::from("订单号,日期,客户编号,客户名称,销售额,成本\n");
    for i in 0..LINES {
        let c = i % CUSTOMERS;
        text.push_str(&format!("SO{i},2024-{:02}-{:02},C{c},客户{c},{}.50,{}\n", 1 + i % 12, 1 + i % 28, 100 + i % 900, 50 + i % 700));
    }
    std::fs::write(&file, text).unwrap();

    // How long an uninterrupted import takes, to spread the kills over it.
    let probe = dir.path().join("probe");
    let started = Instant::now();
    assert!(vitalfew(&probe).arg("import").arg(&file).stdout(Stdio::null()).status().unwrap().success());
    let full = started.elapsed();

    let data = dir.path().join("data");
    let mut seen_old = false;
    let mut seen_new = false;
    for attempt in 0..8u32 {
        // Kill points from 10% to 130% of a full run.
        let at = full.mul_f64(0.1 + 0.17 * f64::from(attempt));
        let mut child = vitalfew(&data).arg("import").arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let i = info(&data);
        let lines = i["sales_lines"].as_u64().unwrap();
        let customers = i["customers"].as_u64().unwrap();
        match (lines, customers) {
            (0, 0) => seen_old = true,
            (l, c) if l == LINES as u64 && c == CUSTOMERS as u64 => seen_new = true,
            other => panic!("attempt {attempt} (killed after {at:?}): mixed state {other:?}"),
        }
        // The customers' totals agree with the counters.
        let o = vitalfew(&data).args(["customers", "--json"]).output().unwrap();
        let list: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(list.len() as u64, customers);
        if seen_new {
            break;
        }
        if lines == 0 {
            // Start the next attempt from a clean slate too.
            std::fs::remove_dir_all(&data).ok();
        }
    }
    assert!(seen_old || seen_new);
    // A completed import is durable: a fresh process sees it.
    if !seen_new {
        assert!(vitalfew(&data).arg("import").arg(&file).stdout(Stdio::null()).status().unwrap().success());
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && info(&data)["sales_lines"] != LINES as u64 {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(info(&data)["sales_lines"], LINES as u64);
}


fn ledger(dir: &Path, name: &str, lines: usize, customers: usize) -> std::path::PathBuf {
    let file = dir.join(name);
    let mut text = String::from("订单号,日期,客户编号,客户名称,销售额,成本\n");
    for i in 0..lines {
        let c = i % customers;
        text.push_str(&format!("{name}{i},2024-{:02}-{:02},C{c},客户{c},{}.50,{}\n", 1 + i % 12, 1 + i % 28, 100 + i % 900, 50 + i % 700));
    }
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_restore_killed_at_any_moment_leaves_old_or_new_state() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The backup holds one large import; the store then gets a second one.
    assert!(vitalfew(&data).arg("import").arg(ledger(dir.path(), "A", LINES, CUSTOMERS)).stdout(Stdio::null()).status().unwrap().success());
    let backup = dir.path().join("one.vfbackup");
    assert!(vitalfew(&data).arg("backup").arg("--out").arg(&backup).stdout(Stdio::null()).status().unwrap().success());
    assert!(vitalfew(&data).arg("import").arg(ledger(dir.path(), "B", 1000, 10)).stdout(Stdio::null()).status().unwrap().success());
    let pristine = dir.path().join("pristine");
    copy_dir(&data, &pristine);
    let (old, new) = ((LINES + 1000) as u64, LINES as u64);

    let probe = dir.path().join("probe");
    copy_dir(&pristine, &probe);
    let started = Instant::now();
    assert!(vitalfew(&probe).arg("restore").arg(&backup).stdout(Stdio::null()).status().unwrap().success());
    let full = started.elapsed();
    assert_eq!(info(&probe)["sales_lines"], new);

    let mut seen = (false, false);
    for attempt in 0..10u32 {
        let at = full.mul_f64(0.05 + 0.12 * f64::from(attempt));
        let _ = std::fs::remove_dir_all(&data);
        copy_dir(&pristine, &data);
        let mut child = vitalfew(&data).arg("restore").arg(&backup).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        match info(&data)["sales_lines"].as_u64().unwrap() {
            n if n == old => seen.0 = true,
            n if n == new => seen.1 = true,
            other => panic!("attempt {attempt} (killed after {at:?}): {other} lines, neither the old state nor the backup's"),
        }
        let names: Vec<String> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(!names.iter().any(|n| n.starts_with("store.incoming") || n == "store.replaced"), "left over: {names:?}");
    }
    assert!(seen.0 || seen.1);
}

#[test]
fn a_migration_killed_at_any_moment_leaves_the_data_whole() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1");
    let expected: serde_json::Value = serde_json::from_slice(&std::fs::read(fixture.join("accounts.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    copy_dir(&fixture.join("store"), &probe.join("store"));
    let started = Instant::now();
    assert!(vitalfew(&probe).args(["info"]).stdout(Stdio::null()).status().unwrap().success());
    let full = started.elapsed();
    for attempt in 0..8u32 {
        let data = dir.path().join(format!("d{attempt}"));
        copy_dir(&fixture.join("store"), &data.join("store"));
        let mut child = vitalfew(&data).args(["info"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(full.mul_f64(0.1 * f64::from(attempt)));
        let _ = child.kill();
        let _ = child.wait();
        let i = info(&data);
        assert_eq!((i["schema_version"].as_u64(), i["customers"].as_u64(), i["sales_lines"].as_u64()), (Some(u64::from(vitalfew::store::SCHEMA_VERSION)), Some(58), Some(3006)), "attempt {attempt}");
        let o = vitalfew(&data).args(["accounts", "--all", "--json"]).output().unwrap();
        assert_eq!(common::as_first_release(serde_json::from_slice(&o.stdout).unwrap()), expected, "attempt {attempt}");
    }
}

#[test]
fn a_touch_killed_at_any_moment_is_logged_with_its_next_step_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("ledger.csv");
    std::fs::write(&file, "客户编号,客户名称,日期,销售额\nC1,甲,2026-01-05,100\nC2,乙,2026-02-05,50\n").unwrap();
    let ok = |args: &[&str]| {
        let o = vitalfew(&data).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    ok(&["import", file.to_str().unwrap()]);
    ok(&["account", "promote", "C1"]);
    ok(&["contact", "add", "C1", "--name", "王伟"]);
    // (touches, open actions) as the store holds them.
    let counts = || {
        let nb: serde_json::Value = serde_json::from_slice(&ok(&["notebook", "C1", "--json"])).unwrap();
        let due: serde_json::Value = serde_json::from_slice(&ok(&["due", "--days", "30", "--json"])).unwrap();
        let open = due.as_array().unwrap().iter().filter(|i| i["kind"] == "action").count();
        (nb["touches"].as_array().unwrap().len(), open)
    };
    let due = (chrono::Local::now().date_naive() + chrono::Duration::days(10)).to_string();
    let args = ["touch", "C1", "--kind", "visit", "--contact", "1", "--summary", "Plant tour", "--next", "Send the quote", "--due", due.as_str()];
    let started = Instant::now();
    ok(&args);
    let full = started.elapsed();
    let (mut touches, mut actions) = counts();
    assert_eq!((touches, actions), (1, 1));
    for attempt in 0..8u32 {
        let mut child = vitalfew(&data).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(full.mul_f64(0.1 + 0.17 * f64::from(attempt)));
        let _ = child.kill();
        let _ = child.wait();
        let (t, a) = counts();
        assert!(t == touches || t == touches + 1, "attempt {attempt}: {touches} → {t} touches");
        assert_eq!(t - touches, a - actions, "attempt {attempt}: the touch and its next step are saved together");
        (touches, actions) = (t, a);
        let check: serde_json::Value = serde_json::from_slice(&ok(&["check", "--json"])).unwrap();
        assert_eq!(check["ok"], true, "attempt {attempt}: {check}");
    }
}

/// Marks the data dir's store as a crash leaves it: the manifest of a
/// session still open.
fn as_after_a_crash(data: &Path) {
    let path = data.join("store.manifest");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["state"] = "open".into();
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
}

/// The kill points of `n` attempts: spread over 0–120 % of a full run by a
/// fixed sequence, so that every run of the test kills at the same moments
/// (relative to how long the operation takes on this machine).
fn kill_points(n: u32, full: Duration) -> impl Iterator<Item = Duration> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n).map(move |_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        full.mul_f64((x % 1200) as f64 / 1000.0)
    })
}

#[test]
fn two_hundred_kills_at_any_moment_never_make_a_good_store_look_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str]| vitalfew(&data).args(args).output().unwrap();
    let ok = |args: &[&str]| {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    ok(&["import", ledger(dir.path(), "A", 40_000, 2_000).to_str().unwrap()]);
    ok(&["account", "promote", "C1"]);
    ok(&["contact", "add", "C1", "--name", "王伟"]);
    let touches = || -> usize {
        let nb: serde_json::Value = serde_json::from_slice(&ok(&["notebook", "C1", "--json"])).unwrap();
        nb["touches"].as_array().unwrap().len()
    };
    let touch = ["touch", "C1", "--kind", "call", "--contact", "1", "--summary", "Price check"];
    let timed = |args: &[&str]| {
        let started = Instant::now();
        ok(args);
        started.elapsed()
    };
    // The operations killed: a touch (a commit, the manifest after it, the
    // close's hashing and manifest); an open after a crash (the copy aside,
    // sled's recovery, the check, the copy's removal); an import (a backup
    // before it, the commit).
    let small = ledger(dir.path(), "B", 200, 50);
    let full_touch = timed(&touch);
    as_after_a_crash(&data);
    let full_open = timed(&["info"]);
    let full_import = timed(&["import", small.to_str().unwrap()]);
    ok(&["undo-import"]);

    let (mut kills, mut false_alarms) = (0u32, Vec::new());
    let mut expected = touches();
    let mut kill = |args: &[&str], at: Duration, before: &dyn Fn()| {
        before();
        let mut child = vitalfew(&data).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        kills += 1;
        let o = run(&["info", "--json"]);
        if !o.status.success() {
            false_alarms.push(format!("{args:?} killed after {at:?}: {}", String::from_utf8_lossy(&o.stderr)));
            return false;
        }
        true
    };
    for at in kill_points(90, full_touch) {
        if kill(&touch, at, &|| {}) {
            let now = touches();
            assert!(now == expected || now == expected + 1, "after {at:?}: {expected} → {now} touches");
            expected = now;
        }
    }
    for at in kill_points(70, full_open) {
        kill(&["info"], at, &|| as_after_a_crash(&data));
    }
    for at in kill_points(40, full_import) {
        if kill(&["import", small.to_str().unwrap()], at, &|| {}) {
            let lines: serde_json::Value = serde_json::from_slice(&ok(&["info", "--json"])).unwrap();
            match lines["sales_lines"].as_u64().unwrap() {
                40_000 => {}
                40_200 => {
                    ok(&["undo-import"]);
                }
                other => panic!("after {at:?}: {other} lines, neither before nor after the import"),
            }
        }
    }
    eprintln!("kill test: {kills} kills (touch, open after a crash, import), {} false alarms", false_alarms.len());
    assert!(kills >= 200);
    assert!(false_alarms.is_empty(), "a good store was refused as damaged:\n{}", false_alarms.join("\n"));
    let check: serde_json::Value = serde_json::from_slice(&ok(&["check", "--json"])).unwrap();
    assert_eq!(check["ok"], true, "{check}");
    // No copy made aside is left behind once the store checked out.
    let left: Vec<String> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("store.before-recovery")).collect();
    assert!(left.is_empty(), "{left:?}");
}
