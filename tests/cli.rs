//! The headless CLI, run as a user would: the real binary, a temporary data
//! directory (through --data-dir or VITALFEW_DATA_DIR), never the user's.

use std::path::Path;
use std::process::{Command, Output};

fn vitalfew(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitalfew"));
    cmd.args(args).env_remove("VITALFEW_DATA_DIR");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run vitalfew")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("valid JSON on stdout")
}

#[test]
fn version_prints_the_package_version() {
    let o = run(&mut vitalfew(&["--version"]));
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), format!("vitalfew {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn info_json_on_a_new_store_reports_schema_and_zero_counts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let v = json(&run(&mut vitalfew(&["--data-dir", d, "info", "--json"])));
    assert_eq!(v["schema_version"], vitalfew::store::SCHEMA_VERSION);
    assert_eq!(v["data_dir"], d);
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    for field in ["customers", "sales_lines", "accounts"] {
        assert_eq!(v[field], 0, "{field}");
    }
}

#[test]
fn data_dir_comes_from_the_environment_and_the_flag_wins() {
    let env_dir = tempfile::tempdir().unwrap();
    let flag_dir = tempfile::tempdir().unwrap();
    let v = json(&run(vitalfew(&["info", "--json"]).env("VITALFEW_DATA_DIR", env_dir.path())));
    assert_eq!(v["data_dir"], env_dir.path().to_str().unwrap());
    assert!(env_dir.path().join("store").is_dir());

    let flag = flag_dir.path().to_str().unwrap();
    let v = json(&run(vitalfew(&["--data-dir", flag, "info", "--json"]).env("VITALFEW_DATA_DIR", env_dir.path())));
    assert_eq!(v["data_dir"], flag);
}

#[test]
fn info_text_is_readable() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&mut vitalfew(&["--data-dir", dir.path().to_str().unwrap(), "info"]));
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains(&format!("schema version: {}", vitalfew::store::SCHEMA_VERSION)), "{out}");
    assert!(out.contains("customers:      0"), "{out}");
}

/// Exactly one line on stderr, exit code 1, nothing on stdout, no panic.
fn assert_clean_failure(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(o.stdout.is_empty());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("vitalfew: error: "), "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_store_in_use_gets_a_one_line_message() {
    let dir = tempfile::tempdir().unwrap();
    let _held = vitalfew::store::Store::open(dir.path()).unwrap();
    let o = run(&mut vitalfew(&["--data-dir", dir.path().to_str().unwrap(), "info", "--json"]));
    assert_clean_failure(&o, "in use by another Vital Few window or command");
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    fabricate_future_store(dir.path(), 7);
    let before = snapshot(&dir.path().join("store"));
    let o = run(&mut vitalfew(&["--data-dir", dir.path().to_str().unwrap(), "info"]));
    assert_clean_failure(&o, "schema version 7");
    assert!(stderr(&o).contains("nothing was changed"));
    // sled may rewrite its own bookkeeping on open; the data must be as it was.
    let after = snapshot(&dir.path().join("store"));
    assert_eq!(before, after);
}

#[test]
fn unusable_data_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let o = run(&mut vitalfew(&["--data-dir", file.to_str().unwrap(), "info"]));
    assert_clean_failure(&o, "cannot open the data store");
}

#[test]
fn unknown_command_is_a_usage_error() {
    let o = run(&mut vitalfew(&["frobnicate"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unrecognized subcommand"));
}

/// A store written by a future Vital Few: its schema version is `version`, and
/// it holds a record this build must not touch. (Tests may use sled directly
/// to fake this; the app's own code reaches sled only through `store`.)
fn fabricate_future_store(data_dir: &Path, version: u32) {
    let db = open_raw(&data_dir.join("store"));
    db.open_tree("meta").unwrap().insert("schema_version", &version.to_be_bytes()).unwrap();
    db.open_tree("future").unwrap().insert("k", "v").unwrap();
    db.flush().unwrap();
}

/// Every tree's contents, read with a plain sled open.
type Snapshot = Vec<(Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>)>;

fn snapshot(path: &Path) -> Snapshot {
    let db = open_raw(path);
    let mut names = db.tree_names();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let tree = db.open_tree(&name).unwrap();
            let kv = tree.iter().map(|r| r.unwrap()).map(|(k, v)| (k.to_vec(), v.to_vec())).collect();
            (name.to_vec(), kv)
        })
        .collect()
}

/// sled releases its file lock shortly after the last handle is dropped (its
/// flusher thread lets go asynchronously), so a reopen in the same process may
/// need a moment.
fn open_raw(path: &Path) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("cannot open {}: {e}", path.display()),
        }
    }
}
