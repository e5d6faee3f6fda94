//! Tables for other programs: customers, key accounts, contacts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Api;
use crate::export::{tables, Table};
use crate::insight::Windows;
use crate::model::Lang;
use crate::notebook::NotebookView;
use crate::Result;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Customers,
    Accounts,
    Contacts,
}

impl Api {
    /// The table of `kind`, headers and classes in `lang`.
    pub fn export_table(&self, kind: ExportKind, lang: Lang) -> Result<Table> {
        match kind {
            ExportKind::Customers => {
                // Without dated sales there are no segments: those columns stay empty.
                let segments = self.segments(None, Windows::default()).ok();
                Ok(tables::customers(&self.customers()?, segments.as_ref(), &self.account_views(false)?, lang))
            }
            ExportKind::Accounts => {
                let views = self.account_views(false)?;
                let notebooks: HashMap<u32, NotebookView> = self.notebooks()?.into_iter().map(|n| (n.account.id, n)).collect();
                Ok(tables::accounts(&views, &notebooks, lang))
            }
            ExportKind::Contacts => Ok(tables::contacts(&self.notebooks()?, lang)),
        }
    }

    /// The notebook of every active key account, most profitable first.
    fn notebooks(&self) -> Result<Vec<NotebookView>> {
        self.account_views(false)?.iter().map(|a| self.notebook(a.id)).collect()
    }
}
