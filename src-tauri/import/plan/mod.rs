//! From a source file to a plan: every row parsed and validated, customers
//! matched against the stored ones, lines deduplicated against stored lines,
//! and a preview of what committing would do. Building a plan writes nothing.
//!
//! [`plan`] drives the passes over the rows: `checks.rs` checks the file as a
//! whole, `read.rs` reads a row, `state.rs` applies it, `identity.rs` says
//! which customer and which stored sale it is, `preview.rs` holds what the
//! user sees and `rules.rs` the rules the preview names.

mod checks;
mod identity;
mod preview;
mod read;
mod rules;
mod state;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;

use super::mapping::Field;
use super::remembered;
use super::sources::layout::Flattened;
use super::sources::{self, Exclusion, SourceKind};
use super::table::{column_label, column_letter, quoted, Body, Cell, Rows, Source};
use super::values::{self, DayOrder};
use super::{find_header, DateOrder, ImportOptions, HEADER_SCAN_ROWS};
use crate::i18n::Msg;
use crate::model::{ImportRecord, Shape};
use crate::store::ImportBatch;
use crate::{Error, Result};

pub use identity::{customer_key, normalize_name, Existing};
pub use preview::{describe, problem_message, CheckCode, ColumnPreview, DuplicateSource, ExcludedRows, FileCheck, ImportPreview, ImportRule, Kept, RowProblem};

use checks::{check_duplicate_headers, detect_decimal_mark, file_checks, Outside};
use read::{cell_text, read_row, DateEvidence, Reading};
use rules::{avoid_constant_customer, check_not_purchases, rules};
use state::State;

/// Longest text accepted in a name, ID or attribute cell.
pub const MAX_TEXT_CHARS: usize = 1000;
/// At most this many problems are listed (all are counted).
pub const MAX_LISTED_PROBLEMS: usize = 10_000;
const SAMPLES_PER_COLUMN: usize = 5;

/// A ready-to-commit import.
#[derive(Debug)]
pub struct Plan {
    pub preview: ImportPreview,
    /// What the store writes: new customers, the new state of changed ones,
    /// and the lines not stored yet, encoded as the store keeps them.
    pub batch: ImportBatch,
    pub checksum: String,
    /// The owner's mapping, when it differs from the detected one: kept
    /// with the import for files with the same headers.
    pub remember: Option<crate::model::SavedMapping>,
}

impl Plan {
    /// The history record of this import, committed `at` (RFC 3339); the
    /// store assigns its id and counts its lines.
    pub fn record(&self, at: &str) -> ImportRecord {
        let p = &self.preview;
        ImportRecord {
            id: 0,
            file_name: p.file_name.clone(),
            at: at.to_string(),
            shape: p.shape,
            rows: p.rows,
            customers: p.customers,
            new_customers: p.new_customers,
            sales_lines: self.batch.lines.len() as u64,
            skipped: p.skipped,
            checksum: self.checksum.clone(),
            source: p.source,
            mapping: self.remember.clone(),
        }
    }
}

/// Progress of a long plan: rows read and the fraction of the file done.
pub type Progress<'a> = &'a dyn Fn(u64, f64);

/// Reads every row of `source` and plans the import.
pub fn plan(
    source: &Source,
    options: &ImportOptions,
    existing: &Existing,
    progress: Progress<'_>,
    cancel: &AtomicBool,
) -> Result<Plan> {
    let file = source.file_name.as_str();
    let fail = |reason: Msg| Error::Import { file: file.to_string(), reason };

    // Header row.
    let head = source.head(HEADER_SCAN_ROWS.max(options.header_row.unwrap_or(0) as usize))?;
    let (header_row, raw_headers) = match options.header_row {
        Some(r) => head
            .iter()
            .find(|(row, _)| *row == r)
            .cloned()
            .ok_or_else(|| fail(crate::msg!("import.plan.no_such_row", row = r)))?,
        None => find_header(&head).ok_or_else(|| fail(crate::msg!("import.plan.no_header")))?,
    };
    let headers: Vec<String> = raw_headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim();
            if h.is_empty() { format!("Column {}", column_letter(i)) } else { h.to_string() }
        })
        .collect();
    check_duplicate_headers(&headers).map_err(fail)?;

    // Source, and mapping: the owner's, else one remembered for these
    // headers, else the detected one (the source's, over the generic one).
    let above: Vec<(u64, Vec<String>)> = head.iter().filter(|(r, _)| *r < header_row).cloned().collect();
    let below: Vec<(u64, Vec<String>)> = head.iter().filter(|(r, _)| *r > header_row).cloned().collect();
    let detected_source = sources::detect(&headers, &above);
    let kind = options.source.unwrap_or(detected_source);
    let generic = super::mapping::auto_map(&headers);
    let mut recipe = sources::recipe(kind, &headers, &generic, &below);
    let mut detected = generic;
    for &(i, f) in &recipe.fields {
        // The field moves to this column (the generic mapping may have
        // given it to another: 发票号码 beside 数电发票号码).
        if let Some(f) = f.filter(|f| *f != Field::Ignore) {
            for m in detected.iter_mut().filter(|m| **m == Some(f)) {
                *m = None;
            }
        }
        detected[i] = f;
    }
    if !recipe.missing.is_empty() {
        let columns = recipe.missing.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
        return Err(fail(crate::msg!("import.plan.source_missing", source = kind.label(), columns = columns)));
    }
    // The rows as the source's layout has them (group rows, first-row order fields).
    let (laid, flattened) = match recipe.layout.is_empty() {
        true => (None, Flattened::default()),
        false => {
            let (rows, done) = recipe.layout.apply(source, header_row)?;
            (Some(rows), done)
        }
    };
    let rows = Rows { source, laid: laid.as_ref() };
    let constant = avoid_constant_customer(&headers, &mut detected, rows, header_row)?;
    let signature = remembered::signature(&headers);
    let remembered = match options.mapping {
        Some(_) => None,
        None => existing.mappings.iter().find(|m| m.signature == signature && m.columns.len() == headers.len()).cloned(),
    };
    let mut mapping: Vec<Option<Field>> = match (&options.mapping, &remembered) {
        (Some(m), _) => (0..headers.len()).map(|i| m.get(i).copied().flatten()).collect(),
        (None, Some(r)) => r.fields(),
        (None, None) => detected.clone(),
    };
    for (header, field) in &options.by_header {
        let key = super::mapping::normalize_header(header);
        let i = headers
            .iter()
            .position(|h| super::mapping::normalize_header(h) == key)
            .ok_or_else(|| fail(crate::msg!("import.plan.no_such_header", header = quoted(header), headers = quoted_list(&headers))))?;
        // The field moves to this column.
        if let Some(f) = field.filter(|f| *f != Field::Ignore) {
            for m in mapping.iter_mut().filter(|m| **m == Some(f)) {
                *m = None;
            }
        }
        mapping[i] = *field;
    }
    let col = |f: Field| mapping.iter().position(|m| *m == Some(f));
    let mut seen = HashSet::new();
    for f in mapping.iter().flatten().filter(|f| **f != Field::Ignore) {
        if !seen.insert(*f) {
            return Err(fail(crate::msg!("import.plan.field_twice", field = f.label())));
        }
    }
    if col(Field::CustomerName).is_none() && col(Field::CustomerId).is_none() {
        return Err(fail(match &constant {
            Some((i, value)) => crate::msg!("import.plan.constant_customer", column = column_label(*i, &headers[*i]), value = quoted(value)),
            None => crate::msg!("import.plan.no_customer_column", headers = quoted_list(&headers)),
        }));
    }
    let shape = if col(Field::Date).is_some() || col(Field::OrderId).is_some() {
        Shape::SalesLedger
    } else {
        Shape::CustomerTable
    };
    // A status says whether an order is a sale; a customer table's (an
    // account closed) does not unmake the customer's totals.
    if shape == Shape::CustomerTable {
        recipe.status.clear();
    }
    let priced = col(Field::Revenue).is_none() && col(Field::UnitPrice).is_some();
    if shape == Shape::SalesLedger && col(Field::Revenue).is_none() && col(Field::Profit).is_none() && !priced {
        return Err(fail(match kind {
            SourceKind::Generic => crate::msg!("import.plan.no_amount_column"),
            _ => crate::msg!("import.plan.source_no_amount", source = kind.label()),
        }));
    }
    if let Some((buyer, seller)) = recipe.buyer_seller {
        check_not_purchases(rows, header_row, buyer, seller, &headers).map_err(fail)?;
    }
    let has_profit = col(Field::Profit).is_some() || col(Field::Cost).is_some();

    let columns = Columns::new(&mapping, &headers);
    let (decimal, decimal_evident) = match options.decimal {
        Some(m) => (values::Mark::from(m), false),
        None => detect_decimal_mark(rows, header_row, &columns)?,
    };
    let attributes = columns.attributes.len();
    let keep = options.keep_duplicates;
    let keep_excluded = options.keep_excluded;
    let mut state = State::fresh(existing, shape, source.rows_hint(), attributes, keep, None);
    let order_hint: DayOrder = options.date_order.map(Into::into).unwrap_or(DayOrder::MonthFirst);
    let mut evidence = DateEvidence::default();
    let mut samples: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    let total_bytes = match &source.body {
        Body::Text { text, .. } => text.len().max(1) as f64,
        Body::Workbook { rows, .. } => rows.last().map_or(1, |r| r.0).max(1) as f64,
    };
    let mut cancelled = false;

    // Values right of the header's columns (workbooks): not part of the table.
    let workbook = matches!(source.body, Body::Workbook { .. });
    let width = headers.len();
    let mut outside = Outside::default();

    // One pass; it runs again if the file shows that ambiguous dates were
    // read in the wrong order, and when lines matched stored sales that the
    // file's identical lines may take too (see `State::again`).
    let mut order = order_hint;
    let mut attempt = 0;
    loop {
        let mut approx_pos = 0usize;
        let reading = Reading { cols: &columns, shape, decimal, order, recipe: &recipe, keep_excluded };
        let mut read_evidence = DateEvidence::default();
        // Rows are read (numbers, dates, checks) a batch ahead on the
        // tokenizing thread, and applied here in order.
        let read = |row: u64, cells: &[Cell<'_>]| {
            // A workbook row with values only outside the table is no row of it.
            let table = if workbook { &cells[..cells.len().min(width)] } else { cells };
            (row > header_row && !table.iter().all(Cell::is_empty)).then(|| read_row(reading, row, cells, &mut read_evidence))
        };
        rows.for_each_row_read(read, |row, cells, read| {
            approx_pos += cells.iter().map(|c| if let Cell::Text(t) = c { t.len() + 1 } else { 8 }).sum::<usize>();
            if attempt == 0 && workbook && cells.len() > width && row != header_row {
                for (i, cell) in cells.iter().enumerate().skip(width) {
                    if !cell.is_empty() {
                        outside.add(row, i as u32);
                    }
                }
            }
            // The header and rows above it, and empty rows.
            let Some(read) = read else { return true };
            state.rows += 1;
            if state.rows.is_multiple_of(8192) {
                if cancel.load(Ordering::Relaxed) {
                    cancelled = true;
                    return false;
                }
                let done = match source.body {
                    Body::Text { .. } => approx_pos as f64 / total_bytes,
                    Body::Workbook { .. } => (row - header_row) as f64 / total_bytes,
                };
                progress(state.rows, done.min(1.0));
            }
            if attempt == 0 {
                for (i, cell) in cells.iter().enumerate().take(samples.len()) {
                    if samples[i].len() < SAMPLES_PER_COLUMN && !cell.is_empty() {
                        samples[i].push(cell.display());
                    }
                }
            }
            state.row(row, cells, &columns, &recipe, keep_excluded, read);
            true
        })?;
        evidence.merge(&read_evidence);
        if cancelled {
            return Err(Error::Cancelled);
        }
        attempt += 1;
        match evidence.decide() {
            Err(reason) => return Err(fail(reason)),
            Ok(Some(found)) if found != order && evidence.ambiguous && options.date_order.is_none() && attempt == 1 => {
                order = found;
                evidence = DateEvidence::default();
                state = State::fresh(existing, shape, state.rows as usize, attributes, keep, None);
                continue;
            }
            _ => {}
        }
        match state.again() {
            Some(reserved) => state = State::fresh(existing, shape, state.rows as usize, attributes, keep, reserved.as_ref()),
            None => break,
        }
    }
    progress(state.rows, 1.0);
    for (row, col) in source.outside_columns() {
        outside.add(row, col);
    }

    if state.rows == 0 {
        return Err(fail(crate::msg!("import.plan.no_rows", row = header_row)));
    }
    if state.valid_rows == 0 && state.excluded.iter().any(|e| e.0 > 0) {
        let rows: u64 = state.excluded.iter().map(|e| e.0).sum();
        return Err(fail(crate::msg!("import.plan.all_excluded", rows = rows)));
    }
    if state.valid_rows == 0 {
        let first = state.errors.first().map(problem_message).unwrap_or_else(|| Msg::new("import.plan.no_problem"));
        return Err(fail(crate::msg!("import.plan.no_valid_rows", rows = state.rows, first = first)));
    }

    // The order only matters, and is only shown, for files with a/b/yyyy dates.
    let date_order = (evidence.seen || options.date_order.is_some()).then(|| DateOrder::from(order));
    let evident = evidence.decide().ok().flatten().is_some();
    let varying: Vec<&str> = columns.attributes.iter().zip(&state.varying).filter(|(_, v)| **v).map(|((_, h), _)| h.as_str()).collect();
    let (upserts, new_customers, changed_customers) = state.customer_changes(&varying);
    let kept = |i: usize| match mapping[i] {
        Some(Field::Ignore) => Kept::Ignored,
        Some(_) => Kept::Field,
        None if varying.contains(&headers[i].as_str()) => Kept::PerLine,
        None => Kept::Attribute,
    };
    let mut checks = file_checks(source, &headers, &mapping, shape, &state, &upserts, new_customers, &samples, decimal);
    let rules = rules(&recipe, &state, flattened, constant.as_ref().map(|(i, _)| column_label(*i, &headers[*i])), priced);
    let excluded = Exclusion::ALL
        .iter()
        .zip(&state.excluded)
        .filter(|(_, (rows, _))| *rows > 0)
        .map(|(&reason, &(rows, amount))| ExcludedRows { reason, rows, amount })
        .collect();
    // What the owner chose (in the window, or with `--map`) is remembered.
    let chosen = options.mapping.is_some() || !options.by_header.is_empty();
    let remember = chosen.then(|| remembered::to_remember(&headers, &detected, &mapping)).flatten();
    checks.extend(outside.check(state.rows));
    let preview = ImportPreview {
        file_name: source.file_name.clone(),
        format: match source.body {
            Body::Text { .. } => "delimited".into(),
            Body::Workbook { .. } => "workbook".into(),
        },
        encoding: match &source.body {
            Body::Text { encoding, .. } => Some(*encoding),
            Body::Workbook { .. } => None,
        },
        detected_encoding: match &source.body {
            Body::Text { detected, .. } => Some(*detected),
            Body::Workbook { .. } => None,
        },
        delimiter: match &source.body {
            Body::Text { delimiter, .. } => Some(*delimiter),
            Body::Workbook { .. } => None,
        },
        detected_delimiter: match &source.body {
            Body::Text { detected_delimiter, .. } => Some(*detected_delimiter),
            Body::Workbook { .. } => None,
        },
        decimal: decimal.into(),
        decimal_evident,
        sheets: match &source.body {
            Body::Workbook { sheets, .. } => sheets.clone(),
            Body::Text { .. } => Vec::new(),
        },
        sheet: match &source.body {
            Body::Workbook { sheet, .. } => Some(sheet.clone()),
            Body::Text { .. } => None,
        },
        header_row,
        columns: headers
            .iter()
            .enumerate()
            .map(|(i, h)| ColumnPreview {
                index: i as u32,
                letter: column_letter(i),
                header: h.clone(),
                field: mapping[i],
                kept: kept(i),
                samples: std::mem::take(&mut samples[i]),
            })
            .collect(),
        shape,
        date_order,
        date_order_evident: evident,
        rows: state.rows,
        customers: state.customers_in_file,
        new_customers,
        changed_customers,
        sales_lines: state.valid_lines,
        new_lines: state.lines.len() as u64,
        revenue: state.revenue,
        profit: has_profit.then_some(state.profit),
        skipped: state.skipped,
        errors: std::mem::take(&mut state.errors),
        warnings: std::mem::take(&mut state.warnings),
        checks,
        duplicates: state.duplicates,
        duplicates_from: state.duplicate_sources(),
        duplicates_added: state.keep_duplicates && state.duplicates > 0,
        source: kind,
        detected_source,
        rules,
        excluded,
        excluded_kept: keep_excluded && state.excluded.iter().any(|e| e.0 > 0),
        remembered,
    };
    let batch = ImportBatch { upserts, lines: std::mem::take(&mut state.lines).finish() };
    Ok(Plan { preview, batch, checksum: source.checksum.clone(), remember })
}

/// Headers as a message lists them: each [`quoted`], comma-separated.
fn quoted_list(headers: &[String]) -> String {
    headers.iter().map(|h| quoted(h)).collect::<Vec<_>>().join(", ")
}

/// Where each field is, and every unmapped column (kept as an attribute).
struct Columns {
    /// Column of each field, indexed by the field's position in `Field::ALL`.
    field: [Option<usize>; Field::ALL.len()],
    attributes: Vec<(usize, String)>,
    labels: Vec<String>,
}

impl Columns {
    fn new(mapping: &[Option<Field>], headers: &[String]) -> Columns {
        Columns {
            field: Field::ALL.map(|f| mapping.iter().position(|m| *m == Some(f))),
            attributes: mapping
                .iter()
                .enumerate()
                .filter(|(_, f)| f.is_none())
                .map(|(i, _)| (i, headers[i].clone()))
                .collect(),
            labels: headers.iter().enumerate().map(|(i, h)| column_label(i, h)).collect(),
        }
    }

    fn get(&self, f: Field) -> Option<usize> {
        self.field[f as usize]
    }
}

/// The key of a totals row's reason (skipped on purpose).
const TOTALS_ROW: &str = "import.row.totals";

/// An ISO date for the UI.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests;
