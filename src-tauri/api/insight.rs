//! What the data says: segments for every customer.

use chrono::NaiveDate;

use super::Api;
use crate::insight::{self, Segments, Windows};
use crate::Result;

impl Api {
    /// Every customer's lifecycle stage, RFM scores and segment, bands and
    /// profit class, as of `as_of` (default: the latest sale).
    pub fn segments(&self, as_of: Option<NaiveDate>, windows: Windows) -> Result<Segments> {
        insight::segments(&*self.dataset()?, as_of, windows)
    }
}
