//! Where the data lives: `--data-dir DIR`, else `VITALFEW_DATA_DIR`, else the
//! platform data directory (`~/.local/share/vitalfew` on Linux,
//! `%APPDATA%\vitalfew` on Windows, `~/Library/Application Support/vitalfew`
//! on macOS).
//!
//! The folder holds the store and everything around it (`store/`,
//! `store.manifest`, `store.lock`, `backups/`, folders kept after a damage
//! or a refused recovery: see `store/folders.rs`) and `webview/`, the
//! webview's own data, which the window keeps here so that nothing is
//! written elsewhere.

use std::path::PathBuf;

use crate::{Error, Result};

pub const ENV_VAR: &str = "VITALFEW_DATA_DIR";
const APP_DIR: &str = "vitalfew";

/// Resolves the data directory from `--data-dir` (which clap fills from
/// [`ENV_VAR`] when the flag is absent). An empty value counts as unset.
pub fn resolve(flag: Option<PathBuf>) -> Result<PathBuf> {
    match flag.filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => Ok(dir),
        None => dirs::data_dir().map(|d| d.join(APP_DIR)).ok_or(Error::NoDataDir),
    }
}

/// True when `dir` is the platform default (used to keep the webview's own
/// data and the single-instance key beside a non-default store).
pub fn is_default(dir: &std::path::Path) -> bool {
    dirs::data_dir().map(|d| d.join(APP_DIR)) == Some(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_default() {
        assert_eq!(resolve(Some(PathBuf::from("/flag"))).unwrap(), PathBuf::from("/flag"));
        let default = resolve(None).unwrap();
        assert!(default.ends_with("vitalfew"));
        assert!(is_default(&default));
        assert!(!is_default(std::path::Path::new("/flag")));
    }

    #[test]
    fn empty_value_counts_as_unset() {
        assert_eq!(resolve(Some(PathBuf::new())).unwrap(), resolve(None).unwrap());
    }
}
