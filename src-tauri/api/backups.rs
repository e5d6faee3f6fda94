//! Backups and restores, and the store's own check.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::{Api, Changed};
use crate::store::backup::{self, Summary};
use crate::store::Store;
use crate::model::Lang;
use crate::notebook::Notebook;
use crate::store::{folders, fsx, open};
use crate::i18n::Msg;
use crate::{i18n, Error, Result};

/// The store's backup vocabulary, as the shells see it.
pub use crate::store::backup::{BackupInfo, Cause, Kind, EXTENSION};
pub use crate::store::CheckReport;
pub use crate::store::open::open_abandoned;

/// What the recovery screen shows when the store cannot be used.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Recovery {
    /// The language to show it in (the store's own choice cannot be read).
    pub language: Lang,
    pub data_dir: String,
    /// What happened, one sentence.
    pub reason: Msg,
    /// The store folder is missing or empty (rather than damaged).
    pub missing: bool,
    /// Every backup file of the data folder: the good ones newest first,
    /// then the damaged ones.
    pub backups: Vec<BackupInfo>,
}

/// What a store holds, as a backup's header records it.
fn summary(store: &Store) -> Result<Summary> {
    let notebooks = store.all::<Notebook>()?;
    Ok(Summary {
        customers: store.customer_count()?,
        sales_lines: store.line_count()?,
        accounts: super::accounts::active(store)?,
        notebooks: notebooks.iter().filter(|n| n.entries() > 0).count() as u64,
        notebook_entries: notebooks.iter().map(Notebook::entries).sum(),
    })
}

/// Keeps the store as it is now in the backups folder before an operation
/// that changes much (an import, an undo, a restore). An empty store has
/// nothing to keep.
pub(super) fn before(store: &Store, cause: Cause) -> Result<()> {
    if store.is_empty()? {
        return Ok(());
    }
    backup::write_in_folder(store, &cause, &summary(store)?).map(|_| ())
}

/// The daily backup, at the first start of a day that has none yet.
pub(super) fn daily(store: &Store) -> Result<()> {
    let today = chrono::Local::now().date_naive().to_string();
    let done = backup::list(store.data_dir()).iter().any(|b| b.kind == Kind::Daily && b.created_at.starts_with(&today));
    if done || store.is_empty()? {
        return Ok(());
    }
    backup::write_in_folder(store, &Cause::Daily, &summary(store)?).map(|_| ())
}

impl Api {
    /// Writes a backup to `path` (the owner's choice) and keeps a copy in
    /// the backups folder, where manual backups are never removed.
    pub fn backup_to(&self, path: &Path) -> Result<BackupInfo> {
        let store = self.store()?;
        let written = backup::write(&store, path, &Cause::Manual, &summary(&store)?)?;
        let folder = backup::folder(&self.data_dir());
        let inside = path.parent().and_then(|p| p.canonicalize().ok()) == folder.canonicalize().ok();
        if !inside {
            std::fs::create_dir_all(&folder).map_err(|e| Error::Output(format!("{}: {e}", folder.display())))?;
            let name = path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "manual.vfbackup".into());
            let mut copy = folder.join(&name);
            if copy.exists() {
                copy = folder.join(format!("{}-{}", chrono::Local::now().format("%Y%m%d-%H%M%S"), name.to_string_lossy()));
            }
            std::fs::copy(path, &copy).map_err(|e| Error::Output(format!("{}: {e}", copy.display())))?;
        }
        Ok(written)
    }

    /// Every backup in the backups folder, each verified: the good ones
    /// newest first, then the damaged ones.
    pub fn backups(&self) -> Vec<BackupInfo> {
        backup::checked(&self.data_dir())
    }

    /// Replaces the store with the backup at `path`. The backup is verified
    /// whole first; the current store is kept as an automatic backup (or,
    /// when it is damaged, moved aside) and then replaced in one step.
    pub fn restore(&self, path: &Path, progress: &dyn Fn(f64)) -> Result<BackupInfo> {
        backup::verify(path)?;
        let damaged = match self.store() {
            Ok(store) => {
                let file = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                before(&store, Cause::Restore { file })?;
                false
            }
            Err(Error::StoreDamaged { .. }) => true,
            Err(e) => return Err(e),
        };
        self.close_store()?;
        let restored = backup::restore(&self.data_dir(), path, damaged, progress);
        self.changed(Changed::Store);
        let restored = restored?;
        self.store()?;
        Ok(restored)
    }

    /// Verifies the whole store.
    pub fn check(&self) -> Result<CheckReport> {
        self.store()?.check()
    }

    /// `None` when the store can be used; else what the recovery screen
    /// shows.
    pub fn recovery(&self) -> Option<Recovery> {
        match self.store() {
            Err(Error::StoreDamaged { reason, .. }) => {
                let dir = self.data_dir();
                let missing = fsx::is_missing_or_empty(&folders::store_dir(&dir));
                Some(Recovery { language: i18n::system_lang(), data_dir: dir.display().to_string(), reason, missing, backups: backup::checked(&dir) })
            }
            _ => None,
        }
    }

    /// *Start with no data* (`--new-store`): when the store is refused
    /// (damaged, or missing while backups exist), an empty one replaces it;
    /// the refused one is kept aside as `store.damaged-<time>` and the
    /// backups stay — nothing is deleted. `false`: the store can be used,
    /// and nothing was done.
    pub fn start_empty(&self) -> Result<bool> {
        match self.store() {
            Err(Error::StoreDamaged { .. }) => {}
            Ok(_) => return Ok(false),
            Err(e) => return Err(e),
        }
        self.close_store()?;
        open::start_empty(&self.data_dir())?;
        self.changed(Changed::Store);
        self.store().map(|_| true)
    }
}
