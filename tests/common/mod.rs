//! Helpers shared by the integration tests (each test crate uses some).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `vitalfew` binary on a data dir of its own (`data/` inside a
/// temporary folder that also holds the test's files).
pub struct Cli(pub tempfile::TempDir);

impl Cli {
    pub fn new() -> Cli {
        Cli(tempfile::tempdir().unwrap())
    }

    /// The temporary folder (for the test's own files).
    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// The data dir.
    pub fn dir(&self) -> PathBuf {
        self.0.path().join("data")
    }

    pub fn cmd(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vitalfew")).arg("--data-dir").arg(self.dir()).args(args).env_remove("VITALFEW_DATA_DIR").output().unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.cmd(args);
        assert!(o.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Fails with exit 1 and one line on stderr (ending in a newline)
    /// containing `needle`; returns that line.
    pub fn fails(&self, args: &[&str], needle: &str) -> String {
        let o = self.cmd(args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(1), "{args:?} should fail: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.ends_with('\n'), "ends with a newline");
        err
    }
}

/// `accounts --json` or `imports --json` without the fields added since
/// the first release (an account's `ext_id`; an import's `source`, which
/// must be `generic` for the imports of that release), to compare with what
/// that release printed.
pub fn as_first_release(mut list: serde_json::Value) -> serde_json::Value {
    for item in list.as_array_mut().unwrap() {
        let item = item.as_object_mut().unwrap();
        item.remove("ext_id");
        if let Some(source) = item.remove("source") {
            assert_eq!(source, "generic", "an import of the first release came from no known program");
        }
    }
    list
}

/// Copies the folder tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
