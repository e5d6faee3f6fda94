//! The team: create or join one, sync, what it looks like from here, which
//! key accounts are shared, a new passphrase.

use std::path::Path;

use super::{Api, Changed};
use crate::model::Author;
use crate::notebook;
use crate::team::local::{Membership, MEMBERSHIP};
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
        let report = membership::create(&*self.store()?, folder, name, member, passphrase, &notebook::now())?;
        self.synced(&report);
        self.team_status()
    }

    /// Joins the team whose folder is `folder`.
    pub fn team_join(&self, folder: &Path, member: &str, passphrase: &str) -> Result<TeamStatus> {
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

    /// One sync with the team folder.
    pub fn team_sync(&self) -> Result<SyncReport> {
        let report = share::sync_store(&*self.store()?, &notebook::now())?;
        self.synced(&report);
        Ok(report)
    }

    /// Shares key account `customer` with the team, or keeps it private.
    pub fn team_share(&self, customer: u32, shared: bool) -> Result<TeamStatus> {
        membership::share(&*self.store()?, customer, shared)?;
        self.team_status()
    }

    /// A new team passphrase.
    pub fn team_rekey(&self, passphrase: &str) -> Result<TeamStatus> {
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
