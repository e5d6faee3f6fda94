//! Helpers shared by the integration tests.

use std::path::Path;

/// `accounts --json` without the fields added since the first release
/// (`ext_id`), to compare with what that release printed.
pub fn as_first_release(mut accounts: serde_json::Value) -> serde_json::Value {
    for a in accounts.as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("ext_id");
    }
    accounts
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
