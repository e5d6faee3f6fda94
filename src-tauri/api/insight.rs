//! What the data says: segments for every customer, the key accounts'
//! concentration risk.

use chrono::NaiveDate;

use super::Api;
use crate::accounts::Account;
use crate::insight::{self, Risk, Segments, Windows};
use crate::notebook::Notebook;
use crate::Result;

impl Api {
    /// Every customer's lifecycle stage, RFM scores and segment, bands and
    /// profit class, as of `as_of` (default: the latest sale).
    pub fn segments(&self, as_of: Option<NaiveDate>, windows: Windows) -> Result<Segments> {
        insight::segments(&*self.dataset()?, as_of, windows)
    }

    /// What losing each key account costs, and who is an account's only
    /// decision-level supporter.
    pub fn risk(&self) -> Result<Risk> {
        let store = self.store()?;
        Ok(insight::risk(&*self.dataset()?, &store.all::<Account>()?, &store.all::<Notebook>()?))
    }
}
