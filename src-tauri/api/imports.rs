//! Importing files: plan (nothing written), preview, commit, undo, history.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{backups, lock, Api, Changed};
use crate::import::plan::{ImportPreview, Progress};
use crate::import::remembered::{self, RememberedMapping};
use crate::import::{self, ImportOptions, Plan};
use crate::model::ImportRecord;
use crate::store::backup::Cause;
use crate::{Error, Result};

/// A plan and the state of the store it was made against: committing it
/// after any other change of the data is refused.
pub struct Planned {
    pub plan: Plan,
    generation: u64,
    /// The file and the choices it was read with: what a team member's
    /// import publishes to the team.
    source: (PathBuf, ImportOptions),
}

impl Api {
    /// Reads `path` and plans its import. Writes nothing.
    pub fn plan_import(&self, path: &Path, options: &ImportOptions, progress: Progress<'_>, cancel: &AtomicBool) -> Result<Planned> {
        let store = self.store()?;
        let generation = store.generation();
        let plan = import::prepare(&store, path, options, progress, cancel)?;
        Ok(Planned { plan, generation, source: (path.to_path_buf(), options.clone()) })
    }

    /// Writes a planned import, after an automatic backup (`None`: it
    /// changes nothing, and nothing is written).
    pub fn commit_import(&self, planned: Planned) -> Result<Option<ImportRecord>> {
        self.commit(planned, true)
    }

    /// [`Api::commit_import`]; on a team, a committed import is published
    /// to the team folder when `publish` (not when it came from there).
    pub(super) fn commit(&self, planned: Planned, publish: bool) -> Result<Option<ImportRecord>> {
        let Planned { plan, generation, source } = planned;
        if let Some(check) = plan.preview.blocked() {
            return Err(Error::Import { file: plan.preview.file_name.clone(), reason: crate::msg!("import.not_imported", check = check.message()) });
        }
        if !plan.preview.changes_anything() {
            return Ok(None);
        }
        let store = self.store()?;
        backups::before(&store, Cause::Import { file: plan.preview.file_name.clone() })?;
        let record = store.commit_import(&plan.batch, plan.record(&chrono::Utc::now().to_rfc3339()), generation)?;
        self.changed(Changed::Data);
        if publish {
            self.publish_import(&source.0, &source.1)?;
        }
        Ok(Some(record))
    }

    /// Plans an import and keeps it for [`Api::commit_pending`] (the
    /// window's preview). A plan it replaces can no longer be committed.
    pub fn preview_import(&self, path: &Path, options: &ImportOptions, progress: Progress<'_>) -> Result<ImportPreview> {
        *lock(&self.pending) = None;
        let cancel = Arc::new(AtomicBool::new(false));
        *lock(&self.cancel) = cancel.clone();
        let planned = self.plan_import(path, options, progress, &cancel)?;
        let preview = planned.plan.preview.clone();
        *lock(&self.pending) = Some(planned);
        Ok(preview)
    }

    /// Stops the preview being planned.
    pub fn cancel_import(&self) {
        lock(&self.cancel).store(true, Ordering::Relaxed);
    }

    /// Commits the previewed import.
    pub fn commit_pending(&self) -> Result<Option<ImportRecord>> {
        let planned = lock(&self.pending).take().ok_or_else(|| Error::NotFound(crate::msg!("error.no_preview")))?;
        self.commit_import(planned)
    }

    pub fn discard_pending(&self) {
        *lock(&self.pending) = None;
    }

    /// The previewed import's problem rows as CSV.
    pub fn pending_problems_csv(&self) -> Result<String> {
        let pending = lock(&self.pending);
        let planned = pending.as_ref().ok_or_else(|| Error::NotFound(crate::msg!("error.no_preview")))?;
        Ok(import::problems_csv(&planned.plan.preview))
    }

    /// Undoes the most recent import, after an automatic backup.
    pub fn undo_import(&self) -> Result<ImportRecord> {
        let store = self.store()?;
        let last = store.check_undo()?;
        backups::before(&store, Cause::Undo { file: last.file_name })?;
        let record = store.undo_last_import()?;
        self.changed(Changed::Data);
        Ok(record)
    }

    /// The import history, newest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        self.store()?.imports()
    }

    /// The mappings the owner corrected and the app remembers, newest first.
    pub fn mappings(&self) -> Result<Vec<RememberedMapping>> {
        Ok(remembered::mappings(&self.store()?.imports()?))
    }

    /// Forgets the mapping remembered by import `id` (and older imports of
    /// files with the same headers): such files are read as detected again.
    pub fn forget_mapping(&self, id: u32) -> Result<RememberedMapping> {
        let store = self.store()?;
        let found = remembered::mappings(&store.imports()?).into_iter().find(|m| m.id == id);
        let mapping = found.ok_or_else(|| Error::NotFound(crate::msg!("error.no_mapping", id = id)))?;
        let signature = mapping.signature.clone();
        store.update_imports(|r| r.mapping.take_if(|m| m.signature == signature).is_some())?;
        Ok(mapping)
    }
}
