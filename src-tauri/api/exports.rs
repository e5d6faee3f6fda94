//! Tables for other programs: customers, key accounts, contacts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Api;
use crate::customers::{self, SortBy};
use crate::export::{tables, Table};
use crate::insight::segments::{CustomerSegment, Lifecycle, Segment};
use crate::insight::{Segments, Windows};
use crate::model::{CustomerRow, Lang};
use crate::notebook::NotebookView;
use crate::Result;

/// Which rows of a table an export holds, and which columns: what the
/// window's table shows (its rows in its order, its visible columns), or
/// what the command line asks for (a segment, a stage, a sort, a limit).
/// Empty: every row, every column.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(default)]
pub struct Selection {
    /// The rows shown, by customer id, in the order shown.
    #[ts(optional)]
    pub ids: Option<Vec<u32>>,
    /// The columns shown (customers: keys of `export::tables::CUSTOMER_COLUMNS`).
    #[ts(optional)]
    pub columns: Option<Vec<String>>,
    #[ts(optional)]
    pub segment: Option<Segment>,
    #[ts(optional)]
    pub stage: Option<Lifecycle>,
    #[ts(optional)]
    pub sort: Option<SortBy>,
    #[ts(optional)]
    pub limit: Option<usize>,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Customers,
    Accounts,
    Contacts,
}

impl Api {
    /// The table of `kind`, headers and classes in `lang`, holding what
    /// `selection` selects.
    pub fn export_table(&self, kind: ExportKind, selection: &Selection, lang: Lang) -> Result<Table> {
        match kind {
            ExportKind::Customers => {
                // Without dated sales there are no segments: those columns stay empty.
                let segments = self.segments(None, Windows::default()).ok();
                let rows = select(self.customers()?, segments.as_ref(), selection);
                Ok(tables::customers(&rows, segments.as_ref(), &self.account_views(false)?, selection.columns.as_deref(), lang))
            }
            ExportKind::Accounts => {
                let views = in_order(self.account_views(false)?, selection.ids.as_deref(), |v| v.id);
                let notebooks: HashMap<u32, NotebookView> = self.notebooks()?.into_iter().map(|n| (n.account.id, n)).collect();
                Ok(tables::accounts(&views, &notebooks, lang))
            }
            ExportKind::Contacts => Ok(tables::contacts(&in_order(self.notebooks()?, selection.ids.as_deref(), |n| n.account.id), lang)),
        }
    }

    /// The notebook of every active key account, most profitable first.
    fn notebooks(&self) -> Result<Vec<NotebookView>> {
        self.account_views(false)?.iter().map(|a| self.notebook(a.id)).collect()
    }
}

/// The customers `selection` selects: the ids given, in their order; else
/// those of its segment and stage, sorted, at most its limit.
fn select(rows: Vec<CustomerRow>, segments: Option<&Segments>, selection: &Selection) -> Vec<CustomerRow> {
    let mut rows = in_order(rows, selection.ids.as_deref(), |r| r.id);
    if selection.segment.is_some() || selection.stage.is_some() {
        let of: HashMap<u32, &CustomerSegment> = segments.iter().flat_map(|s| &s.customers).map(|c| (c.id, c)).collect();
        rows.retain(|r| {
            let s = of.get(&r.id);
            selection.stage.is_none_or(|stage| s.is_some_and(|s| s.lifecycle == stage))
                && selection.segment.is_none_or(|segment| s.and_then(|s| s.rfm).is_some_and(|x| x.segment == segment))
        });
    }
    if let Some(by) = selection.sort {
        customers::sort(&mut rows, by);
    }
    rows.truncate(selection.limit.unwrap_or(usize::MAX));
    rows
}

/// `items` in the order of `ids` (those not named left out); all of them,
/// as they are, without ids.
fn in_order<T>(items: Vec<T>, ids: Option<&[u32]>, id: impl Fn(&T) -> u32) -> Vec<T> {
    let Some(ids) = ids else { return items };
    let mut by_id: HashMap<u32, T> = items.into_iter().map(|t| (id(&t), t)).collect();
    ids.iter().filter_map(|i| by_id.remove(i)).collect()
}
