//! The team: create or join one, sync, what it looks like from here, which
//! key accounts are shared, a new passphrase.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::{Api, Changed};
use crate::import::ImportOptions;
use crate::model::Author;
use crate::notebook;
use crate::team::imports;
use crate::team::local::{Membership, Unpublished, MEMBERSHIP};
use crate::team::membership::{self, TeamStatus};
use crate::team::share::{self, SyncReport};
use crate::Result;

impl Api {
    /// Who this PC's changes are by: the team member, or no one (a solo owner).
    pub fn author(&self) -> Result<Author> {
        Ok(self.store()?.get::<Membership>(MEMBERSHIP)?.map(|m| m.author()).unwrap_or_default())
    }

    /// Makes `folder` a new team's folder, with this PC as member `member`.
    pub fn team_create(&self, folder: &Path, name: &str, member: &str, passphrase: &str) -> Result<TeamStatus> {
        let _one_at_a_time = super::lock(&self.syncing);
        let report = membership::create(&*self.store()?, folder, name, member, passphrase, &notebook::now())?;
        self.synced(&report);
        self.team_status()
    }

    /// Joins the team whose folder is `folder`.
    pub fn team_join(&self, folder: &Path, member: &str, passphrase: &str) -> Result<TeamStatus> {
        let _one_at_a_time = super::lock(&self.syncing);
        let report = membership::join(&*self.store()?, folder, member, passphrase, &notebook::now())?;
        self.synced(&report);
        self.team_status()
    }

    /// The team as this PC sees it; `None` for a solo owner.
    pub fn team(&self) -> Result<Option<TeamStatus>> {
        match self.store()?.get::<Membership>(MEMBERSHIP)? {
            Some(_) => self.team_status().map(Some),
            None => Ok(None),
        }
    }

    pub fn team_status(&self) -> Result<TeamStatus> {
        membership::status(&*self.store()?, &notebook::now())
    }

    /// One sync with the team folder: the import batches first (so that
    /// shared accounts waiting for their customer find it), then the
    /// documents.
    pub fn team_sync(&self) -> Result<SyncReport> {
        let _one_at_a_time = super::lock(&self.syncing);
        let taken = self.take_in_imports()?;
        let mut report = share::sync_store(&*self.store()?, &notebook::now())?;
        report.pending += taken.pending;
        report.imported = taken.imported;
        report.not_imported = taken.not_imported;
        report.changed |= taken.imported > 0;
        self.synced(&report);
        Ok(report)
    }

    /// On a team, shares the file just imported with it (nothing for a solo
    /// owner). A folder out of reach keeps it for the next sync.
    pub(super) fn publish_import(&self, path: &Path, options: &ImportOptions) -> Result<()> {
        let store = self.store()?;
        let Some(m) = store.get::<Membership>(MEMBERSHIP)? else { return Ok(()) };
        let published = share::folder(&m).ok().map(|f| imports::publish(&f, &m.member, path, options, &notebook::now()));
        m.update(&store, |now| match &published {
            Some(Ok(Some(id))) => {
                now.applied.insert(id.clone());
            }
            Some(Ok(None)) => {} // Too large to share.
            _ => now.unpublished.push(Unpublished { path: path.display().to_string(), options: options.clone() }),
        })?;
        Ok(())
    }

    /// Publishes what could not reach the folder before, then imports the
    /// other members' batches not applied here yet.
    fn take_in_imports(&self) -> Result<SyncReport> {
        let store = self.store()?;
        let m = share::membership(&store)?;
        let folder = share::folder(&m)?;
        let unreachable = |e| share::folder_error(e, &m.folder);
        for u in &m.unpublished {
            let path = Path::new(&u.path);
            // A file gone since cannot be shared any more.
            let id = if path.is_file() { imports::publish(&folder, &m.member, path, &u.options, &notebook::now()).map_err(unreachable)? } else { None };
            m.update(&store, |now| {
                now.unpublished.retain(|x| x != u);
                now.applied.extend(id.clone());
            })?;
        }
        let (batches, pending) = imports::unapplied(&folder, &m.applied).map_err(unreachable)?;
        let mut taken = SyncReport { pending: pending as u32, ..SyncReport::default() };
        for batch in batches {
            match self.import_batch(&batch) {
                Ok(_) => taken.imported += 1,
                Err(e) => taken.not_imported.push(format!("{} ({}): {e}", batch.file_name, batch.by)),
            }
            m.update(&store, |now| {
                now.applied.insert(batch.id.clone());
            })?;
        }
        Ok(taken)
    }

    /// Imports one batch as its member did, from a scratch copy of the file.
    fn import_batch(&self, batch: &imports::Batch) -> Result<()> {
        let scratch = std::env::temp_dir().join(format!("vitalfew-team-{}-{}", std::process::id(), batch.id.replace(['/', '\\'], "-")));
        std::fs::create_dir_all(&scratch).map_err(|e| crate::Error::Storage(format!("{}: {e}", scratch.display())))?;
        let path = scratch.join(&batch.file_name);
        let result = std::fs::write(&path, &batch.bytes)
            .map_err(|e| crate::Error::Storage(format!("{}: {e}", path.display())))
            .and_then(|_| self.plan_import(&path, &batch.options, &|_, _| {}, &AtomicBool::new(false)))
            .and_then(|planned| self.commit(planned, false));
        let _ = std::fs::remove_dir_all(&scratch);
        result.map(|_| ())
    }

    /// Shares key account `customer` with the team, or keeps it private.
    pub fn team_share(&self, customer: u32, shared: bool) -> Result<TeamStatus> {
        membership::share(&*self.store()?, customer, shared)?;
        self.team_status()
    }

    /// A new team passphrase.
    pub fn team_rekey(&self, passphrase: &str) -> Result<TeamStatus> {
        let _one_at_a_time = super::lock(&self.syncing);
        let report = membership::rekey(&*self.store()?, passphrase, &notebook::now())?;
        self.synced(&report);
        self.team_status()
    }

    fn synced(&self, report: &SyncReport) {
        if report.changed {
            self.changed(Changed::Accounts);
        }
    }
}
