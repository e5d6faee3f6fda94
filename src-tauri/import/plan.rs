//! From a source file to a plan: every row parsed and validated, customers
//! matched against the stored ones, lines deduplicated against stored lines,
//! and a preview of what committing would do. Building a plan writes nothing.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use ts_rs::TS;

use super::mapping::{fold_width, Field};
use super::table::{column_label, column_letter, quoted, Body, Cell, Source};
use super::values::{self, DayOrder};
use super::text::Delimiter;
use super::{find_header, DateOrder, DecimalMark, ImportOptions, TextEncoding, HEADER_SCAN_ROWS};
use crate::model::{add_known, Customer, ImportRecord, Shape, Totals};
use crate::store::{ImportBatch, LineEncoder, LineRef};
use crate::{Error, Result};

/// Longest text accepted in a name, ID or attribute cell.
pub const MAX_TEXT_CHARS: usize = 1000;
/// At most this many problems are listed (all are counted).
pub const MAX_LISTED_PROBLEMS: usize = 10_000;
const SAMPLES_PER_COLUMN: usize = 5;

/// A row that was skipped or needs the user's attention.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RowProblem {
    #[ts(type = "number")]
    pub row: u64,
    /// Column letter and header, e.g. `C (销售额)`; empty for the whole row.
    pub column: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ColumnPreview {
    pub index: u32,
    pub letter: String,
    pub header: String,
    pub field: Option<Field>,
    /// What happens to the column's values.
    pub kept: Kept,
    pub samples: Vec<String>,
}

/// What an import does with a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// Read into its field.
    Field,
    /// Unmapped, the same on all of a customer's rows: a custom attribute.
    Attribute,
    /// Unmapped and different within a customer's rows (a discount, a ship
    /// date, a row id): not kept; map it to a line field to keep it.
    PerLine,
    /// Mapped to "ignore".
    Ignored,
}

/// Something about the file as a whole that the owner must see before
/// importing it: a likely wrong reading, with its cause and fix.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FileCheck {
    pub code: CheckCode,
    /// A blocking check keeps the import from being committed.
    pub blocking: bool,
    /// The column it is about, as `C (Sales)`, if any.
    pub column: Option<String>,
    /// How many rows it concerns, of how many.
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// The most common reason rows were skipped (for `many_skipped`).
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckCode {
    /// A text file read as one column: the delimiter is likely wrong.
    OneColumn,
    /// Nearly every row is a new customer whose name holds digits and
    /// spaces: whole lines were likely read as names.
    NamesLookLikeLines,
    /// A customer table with no amount column while a column holds numbers.
    NoAmountColumn,
    /// More than a fifth of the rows are skipped.
    ManySkipped,
}

impl FileCheck {
    /// The check in English, with its likely cause and fix (the CLI's text).
    pub fn describe(&self) -> String {
        let col = self.column.as_deref().unwrap_or("?");
        match self.code {
            CheckCode::OneColumn => "the file was read as a single column: its delimiter is likely not the detected one; choose comma, semicolon, tab, pipe or space (aligned columns) with --delimiter".into(),
            CheckCode::NamesLookLikeLines => format!(
                "{} of {} rows became new customers whose names hold digits and spaces: whole lines were likely read as names; choose the delimiter (--delimiter space for aligned columns) and check the mapping",
                self.count, self.total
            ),
            CheckCode::NoAmountColumn => format!("no revenue, cost or profit column was recognised, but column {col} holds numbers; map it (--map \"HEADER=revenue\") or the customers will have no amounts"),
            CheckCode::ManySkipped => format!(
                "{} of {} rows ({:.0}%) would be skipped{}; check the mapping, the date order and the decimal mark",
                self.count,
                self.total,
                self.count as f64 * 100.0 / self.total.max(1) as f64,
                self.detail.as_deref().map(|d| format!(", most often: {d}")).unwrap_or_default()
            ),
        }
    }
}

/// Everything the user sees before committing.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportPreview {
    pub file_name: String,
    /// `delimited` or `workbook`.
    pub format: String,
    pub encoding: Option<TextEncoding>,
    pub detected_encoding: Option<TextEncoding>,
    /// How a text file's fields were split, and what was detected.
    pub delimiter: Option<Delimiter>,
    pub detected_delimiter: Option<Delimiter>,
    /// How numbers such as 1.234,56 were read.
    pub decimal: DecimalMark,
    /// True when the file's numbers showed the mark.
    pub decimal_evident: bool,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    #[ts(type = "number")]
    pub header_row: u64,
    pub columns: Vec<ColumnPreview>,
    pub shape: Shape,
    /// How dates like 03/04/2024 were read; `None` when the file has none.
    pub date_order: Option<DateOrder>,
    /// True when the file itself showed the order (a day above 12 somewhere).
    pub date_order_evident: bool,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub new_customers: u64,
    /// Customers already stored whose details this import changes.
    #[ts(type = "number")]
    pub changed_customers: u64,
    /// Valid sales lines in the file.
    #[ts(type = "number")]
    pub sales_lines: u64,
    /// Of those, lines not stored yet.
    #[ts(type = "number")]
    pub new_lines: u64,
    pub revenue: f64,
    /// `None` when the file has neither a profit nor a cost column.
    pub profit: Option<f64>,
    #[ts(type = "number")]
    pub skipped: u64,
    pub errors: Vec<RowProblem>,
    /// Not errors, but worth a look (e.g. one customer ID with two names).
    pub warnings: Vec<RowProblem>,
    /// Likely wrong readings of the whole file; a blocking one keeps the
    /// import from being committed.
    pub checks: Vec<FileCheck>,
}

impl ImportPreview {
    /// Whether committing would change anything.
    pub fn changes_anything(&self) -> bool {
        self.new_customers > 0 || self.changed_customers > 0 || self.new_lines > 0
    }

    /// The first check that keeps this import from being committed.
    pub fn blocked(&self) -> Option<&FileCheck> {
        self.checks.iter().find(|c| c.blocking)
    }
}

/// What is already stored, as the planner needs it.
#[derive(Debug, Default)]
pub struct Existing {
    pub customers: Vec<Customer>,
    /// The identity of every stored line: the hash of its content plus k
    /// steps for the k-th line of that content (see [`Existing::add_line`]).
    pub fingerprints: FxHashSet<u128>,
    hash_input: Vec<u8>,
}

impl Existing {
    pub fn new(customers: Vec<Customer>, lines: usize) -> Existing {
        let mut fingerprints = FxHashSet::default();
        fingerprints.reserve(lines);
        Existing { customers, fingerprints, hash_input: Vec::new() }
    }

    /// Adds a stored line. Lines of the same content get the occurrence
    /// numbers 1, 2, … in turn: an import stores the k-th line of a content
    /// only when fewer than k are stored, so a store holding m lines of a
    /// content holds exactly what occurrences 1..=m of it denote.
    pub fn add_line(&mut self, line: &LineRef<'_>) {
        let content = content_hash(&mut self.hash_input, line);
        let mut k = 1u128;
        while !self.fingerprints.insert(content.wrapping_add(k.wrapping_mul(OCCURRENCE_STEP))) {
            k += 1;
        }
    }
}

/// A ready-to-commit import.
#[derive(Debug)]
pub struct Plan {
    pub preview: ImportPreview,
    /// What the store writes: new customers, the new state of changed ones,
    /// and the lines not stored yet, encoded as the store keeps them.
    pub batch: ImportBatch,
    pub checksum: String,
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
    let fail = |reason: String| Error::Import { file: file.to_string(), reason };

    // Header row.
    let head = source.head(HEADER_SCAN_ROWS.max(options.header_row.unwrap_or(0) as usize))?;
    let (header_row, raw_headers) = match options.header_row {
        Some(r) => head
            .iter()
            .find(|(row, _)| *row == r)
            .cloned()
            .ok_or_else(|| fail(format!("row {r} is not in the file")))?,
        None => find_header(&head).ok_or_else(|| fail("no header row found: the first rows are empty".into()))?,
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

    // Mapping.
    let mut mapping: Vec<Option<Field>> = match &options.mapping {
        Some(m) => (0..headers.len()).map(|i| m.get(i).copied().flatten()).collect(),
        None => super::mapping::auto_map(&headers),
    };
    for (header, field) in &options.by_header {
        let key = super::mapping::normalize_header(header);
        let i = headers
            .iter()
            .position(|h| super::mapping::normalize_header(h) == key)
            .ok_or_else(|| fail(format!("no column is headed {}; the headers are: {}", quoted(header), quoted_list(&headers))))?;
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
            return Err(fail(format!("more than one column is mapped to {f:?}; map each field once")));
        }
    }
    if col(Field::CustomerName).is_none() && col(Field::CustomerId).is_none() {
        return Err(fail(format!(
            "no column can be the customer (headers: {}); map one column to Customer name or Customer ID",
            quoted_list(&headers)
        )));
    }
    let shape = if col(Field::Date).is_some() || col(Field::OrderId).is_some() {
        Shape::SalesLedger
    } else {
        Shape::CustomerTable
    };
    if shape == Shape::SalesLedger && col(Field::Revenue).is_none() && col(Field::Profit).is_none() {
        return Err(fail("a sales ledger needs an amount: map a column to Revenue or Profit".into()));
    }
    let has_profit = col(Field::Profit).is_some() || col(Field::Cost).is_some();

    let columns = Columns::new(&mapping, &headers);
    let (decimal, decimal_evident) = match options.decimal {
        Some(m) => (values::Mark::from(m), false),
        None => detect_decimal_mark(source, header_row, &columns)?,
    };
    let mut state = State::fresh(existing, shape, source.rows_hint(), columns.attributes.len());
    let order_hint: DayOrder = options.date_order.map(Into::into).unwrap_or(DayOrder::MonthFirst);
    let mut evidence = DateEvidence::default();
    let mut samples: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    let total_bytes = match &source.body {
        Body::Text { text, .. } => text.len().max(1) as f64,
        Body::Workbook { rows, .. } => rows.last().map_or(1, |r| r.0).max(1) as f64,
    };
    let mut cancelled = false;

    // One pass; it runs again only if the file shows that ambiguous dates
    // were read in the wrong order.
    let mut order = order_hint;
    for attempt in 0..2 {
        if attempt > 0 {
            state = State::fresh(existing, shape, state.rows as usize, columns.attributes.len());
        }
        let mut approx_pos = 0usize;
        let reading = Reading { cols: &columns, shape, decimal, order };
        let mut read_evidence = DateEvidence::default();
        // Rows are read (numbers, dates, checks) a batch ahead on the
        // tokenizing thread, and applied here in order.
        let read = |row: u64, cells: &[Cell<'_>]| {
            (row > header_row && !cells.iter().all(Cell::is_empty)).then(|| read_row(reading, row, cells, &mut read_evidence))
        };
        source.for_each_row_read(read, |row, cells, read| {
            approx_pos += cells.iter().map(|c| if let Cell::Text(t) = c { t.len() + 1 } else { 8 }).sum::<usize>();
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
            state.row(row, cells, &columns, read);
            true
        })?;
        evidence.merge(&read_evidence);
        if cancelled {
            return Err(Error::Cancelled);
        }
        match evidence.decide() {
            Err(reason) => return Err(fail(reason)),
            Ok(Some(found)) if found != order && evidence.ambiguous && options.date_order.is_none() && attempt == 0 => {
                order = found;
                evidence = DateEvidence::default();
            }
            _ => break,
        }
    }
    progress(state.rows, 1.0);

    if state.rows == 0 {
        return Err(fail(format!("there are no data rows below the header (row {header_row})")));
    }
    if state.valid_rows == 0 {
        let first = state.errors.first().map(describe).unwrap_or_default();
        return Err(fail(format!("none of the {} rows can be imported; first problem: {first}", state.rows)));
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
    let checks = file_checks(source, &headers, &mapping, shape, &state, &upserts, new_customers, &samples, decimal);
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
    };
    Ok(Plan { preview, batch: ImportBatch { upserts, lines: std::mem::take(&mut state.lines).finish() }, checksum: source.checksum.clone() })
}

/// Rows read to decide the decimal mark.
const DECIMAL_SAMPLE_ROWS: u64 = 2000;

/// The decimal mark the amount columns' text shows, over the first rows.
fn detect_decimal_mark(source: &Source, header_row: u64, columns: &Columns) -> Result<(values::Mark, bool)> {
    let amount_cols: Vec<usize> =
        [Field::Revenue, Field::Cost, Field::Profit, Field::Quantity, Field::Orders].into_iter().filter_map(|f| columns.get(f)).collect();
    let mut samples: Vec<String> = Vec::new();
    source.for_each_row(|row, cells| {
        if row > header_row {
            for &i in &amount_cols {
                if let Some(Cell::Text(t)) = cells.get(i) {
                    samples.push(t.to_string());
                }
            }
        }
        row < header_row + DECIMAL_SAMPLE_ROWS
    })?;
    Ok(values::detect_decimal_mark(samples.iter().map(String::as_str)))
}

/// Whether a name looks like a piece of a line rather than a name: digits
/// and spaces, at least one of each.
fn looks_like_a_line(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_digit()) && name.trim().contains(char::is_whitespace)
}

/// The checks of the file as a whole (see [`CheckCode`]).
#[allow(clippy::too_many_arguments)]
fn file_checks(
    source: &Source,
    headers: &[String],
    mapping: &[Option<Field>],
    shape: Shape,
    state: &State<'_>,
    upserts: &[Customer],
    new_customers: u64,
    samples: &[Vec<String>],
    decimal: values::Mark,
) -> Vec<FileCheck> {
    let check = |code, blocking, column: Option<usize>, count, total, detail| FileCheck {
        code,
        blocking,
        column: column.map(|i| column_label(i, &headers[i])),
        count,
        total,
        detail,
    };
    let mut checks = Vec::new();
    if headers.len() == 1 && matches!(source.body, Body::Text { .. }) {
        checks.push(check(CheckCode::OneColumn, true, None, state.rows, state.rows, None));
    }
    let rows = state.valid_rows;
    let line_names = upserts.iter().filter(|c| looks_like_a_line(&c.name)).count() as u64;
    if rows >= 10 && new_customers * 10 >= rows * 9 && line_names * 2 >= new_customers {
        checks.push(check(CheckCode::NamesLookLikeLines, true, None, new_customers, rows, None));
    }
    let has_amount = [Field::Revenue, Field::Cost, Field::Profit].iter().any(|f| mapping.contains(&Some(*f)));
    if shape == Shape::CustomerTable && !has_amount {
        let numeric = (0..headers.len()).find(|&i| {
            mapping[i].is_none()
                && samples[i].len() >= 2
                && samples[i].iter().all(|v| values::parse_number_with(v, decimal).is_ok_and(|n| n.is_some()))
        });
        if let Some(i) = numeric {
            checks.push(check(CheckCode::NoAmountColumn, false, Some(i), 0, rows, None));
        }
    }
    // Totals rows are skipped on purpose: they say nothing of a misreading.
    let misread = state.skipped - state.totals_rows;
    if misread * 5 > state.rows - state.totals_rows {
        let mut reasons: HashMap<&str, usize> = HashMap::new();
        for e in state.errors.iter().filter(|e| e.reason != TOTALS_ROW) {
            *reasons.entry(e.reason.as_str()).or_default() += 1;
        }
        let common = reasons.into_iter().max_by_key(|&(r, n)| (n, std::cmp::Reverse(r))).map(|(r, _)| r.to_string());
        checks.push(check(CheckCode::ManySkipped, false, None, state.skipped, state.rows, common));
    }
    checks
}

/// `row 7, column C (销售额): "abc" — not a number`, on one line whatever
/// the cell holds (see [`quoted`]).
pub fn describe(p: &RowProblem) -> String {
    let mut s = format!("row {}", p.row);
    if !p.column.is_empty() {
        s.push_str(&format!(", column {}", p.column));
    }
    if !p.value.is_empty() {
        s.push_str(": ");
        s.push_str(&quoted(&p.value));
    }
    s.push_str(&format!(" — {}", p.reason));
    s
}

/// Headers as a message lists them: each [`quoted`], comma-separated.
fn quoted_list(headers: &[String]) -> String {
    headers.iter().map(|h| quoted(h)).collect::<Vec<_>>().join(", ")
}

fn check_duplicate_headers(headers: &[String]) -> std::result::Result<(), String> {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = super::mapping::normalize_header(h);
        if key.is_empty() {
            continue;
        }
        if let Some(&j) = first.get(&key) {
            return Err(format!(
                "columns {} and {} have the same header {}; rename one of them",
                column_letter(j),
                column_letter(i),
                quoted(h)
            ));
        }
        first.insert(key, i);
    }
    Ok(())
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

/// Evidence, over the whole file, for the order of a/b/yyyy dates.
#[derive(Default)]
struct DateEvidence {
    day_first: bool,
    month_first: bool,
    /// Some a/b/yyyy date had both parts ≤ 12.
    ambiguous: bool,
    /// Some date was written a/b/yyyy at all.
    seen: bool,
}

impl DateEvidence {
    fn observe(&mut self, text: &str) {
        if let Some((a, b)) = day_month_parts(text) {
            self.seen = true;
            if a > 12 && b <= 12 {
                self.day_first = true;
            } else if b > 12 && a <= 12 {
                self.month_first = true;
            } else if a <= 12 && b <= 12 {
                self.ambiguous = true;
            }
        }
    }

    /// Adds what another reader of the same rows saw.
    fn merge(&mut self, other: &DateEvidence) {
        self.day_first |= other.day_first;
        self.month_first |= other.month_first;
        self.ambiguous |= other.ambiguous;
        self.seen |= other.seen;
    }

    fn decide(&self) -> std::result::Result<Option<DayOrder>, String> {
        match (self.day_first, self.month_first) {
            (true, true) => Err("the dates mix day/month and month/day order (e.g. 25/01/2024 and 01/25/2024); \
                 make them consistent, or use YYYY-MM-DD"
                .into()),
            (true, false) => Ok(Some(DayOrder::DayFirst)),
            (false, true) => Ok(Some(DayOrder::MonthFirst)),
            (false, false) => Ok(None),
        }
    }
}

/// The two leading numbers of an `a/b/yyyy`, `a-b-yyyy` or `a.b.yyyy` date.
fn day_month_parts(text: &str) -> Option<(u32, u32)> {
    let t = text.trim();
    let mut parts = t.split(['/', '-', '.']);
    let a = parts.next()?;
    let b = parts.next()?;
    let rest = parts.next()?;
    let year_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let short = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    (short(a) && short(b) && year_digits == 4).then(|| (a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
}

/// Why a totals row is skipped.
const TOTALS_ROW: &str = "a totals row; skipped so nothing is counted twice";

/// Totals rows that exports put at the bottom; importing them would count
/// everything twice.
fn is_total_row(name: &str) -> bool {
    // Every total word starts with 合, 总, 小, t, g or s (in any width or
    // case): anything else is decided without allocating.
    let first = name.trim_start().chars().next().unwrap_or(' ');
    if !matches!(first, '合' | '总' | '小' | 't' | 'T' | 'ｔ' | 'Ｔ' | 'g' | 'G' | 'ｇ' | 'Ｇ' | 's' | 'S' | 'ｓ' | 'Ｓ') || name.len() > 40 {
        return false;
    }
    let n: String = fold_width(name).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    matches!(n.as_str(), "合计" | "总计" | "小计" | "总合计" | "total" | "totals" | "grandtotal" | "subtotal" | "sum")
}

/// Customer identity: by ID when there is one, else by normalized name
/// (trimmed, case- and width-folded, inner spaces collapsed).
pub fn customer_key(ext_id: Option<&str>, name: &str) -> String {
    match ext_id {
        Some(id) => format!("id:{}", normalize_name(id)),
        None => format!("name:{}", normalize_name(name)),
    }
}

pub fn normalize_name(s: &str) -> String {
    fold_width(s).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How rows are read: what a row holds depends on these and the row alone,
/// so rows can be read on another thread than the one that applies them.
#[derive(Clone, Copy)]
struct Reading<'c> {
    cols: &'c Columns,
    shape: Shape,
    /// The file's decimal mark.
    decimal: values::Mark,
    order: DayOrder,
}

/// A row's amounts and date, read and checked by [`read_row`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct RowValues {
    revenue: Option<f64>,
    cost: Option<f64>,
    /// Read, or revenue minus cost.
    profit: Option<f64>,
    quantity: Option<f64>,
    orders: Option<f64>,
    date: Option<NaiveDate>,
}

/// A cell's text, trimmed and borrowed from the row; `None` when empty.
fn cell_text<'c>(cells: &[Cell<'c>], i: usize) -> Option<Cow<'c, str>> {
    let v = match cells.get(i) {
        Some(Cell::Text(t)) => Cow::Borrowed(t.trim()),
        Some(c @ (Cell::Number(_) | Cell::Date(_))) => Cow::Owned(c.display()),
        _ => return None,
    };
    (!v.is_empty()).then_some(v)
}

/// Reads and checks one row: everything about it that does not depend on
/// the rows before it (the texts' lengths, the customer and totals-row
/// checks, numbers, the date). Its first problem, in the order of the
/// checks, makes it skipped. `evidence` gathers how its date was written.
fn read_row(r: Reading<'_>, row: u64, cells: &[Cell<'_>], evidence: &mut DateEvidence) -> std::result::Result<RowValues, RowProblem> {
    let cols = r.cols;
    let cell = |i: usize| cells.get(i).cloned().unwrap_or(Cell::Empty);
    let err = |i: usize, reason: String| RowProblem {
        row,
        column: cols.labels[i].clone(),
        value: cell(i).display(),
        reason,
    };
    let text_at = |i: usize| -> std::result::Result<Option<Cow<'_, str>>, RowProblem> {
        let v = cell_text(cells, i);
        if let Some(v) = &v {
            if v.len() > MAX_TEXT_CHARS {
                let n = v.chars().count();
                if n > MAX_TEXT_CHARS {
                    return Err(err(i, format!("text too long ({n} characters; at most {MAX_TEXT_CHARS})")));
                }
            }
        }
        Ok(v)
    };
    let text = |f: Field| match cols.get(f) {
        Some(i) => text_at(i),
        None => Ok(None),
    };
    let number = |f: Field| -> std::result::Result<Option<f64>, RowProblem> {
        let Some(i) = cols.get(f) else { return Ok(None) };
        match cell(i) {
            Cell::Empty => Ok(None),
            Cell::Number(n) => Ok(Some(n)),
            Cell::Date(_) => Err(err(i, "a date where a number was expected".into())),
            Cell::Text(t) => values::parse_number_with(t, r.decimal).map_err(|e| err(i, e.to_string())),
        }
    };

    let ext_id = text(Field::CustomerId)?;
    let name = text(Field::CustomerName)?;
    let customer_col = cols.get(Field::CustomerName).or(cols.get(Field::CustomerId)).unwrap_or(0);
    let display_name: &str = match (&name, &ext_id) {
        (Some(n), _) => n,
        (None, Some(id)) => id,
        (None, None) => {
            let totals = cells.iter().any(|c| matches!(c, Cell::Text(t) if is_total_row(t)));
            let reason = if totals { TOTALS_ROW } else { "no customer name or ID" };
            return Err(err(customer_col, reason.into()));
        }
    };
    if is_total_row(display_name) {
        return Err(err(customer_col, TOTALS_ROW.into()));
    }
    let revenue = number(Field::Revenue)?;
    let cost = number(Field::Cost)?;
    let mut profit = number(Field::Profit)?;
    if profit.is_none() {
        if let (Some(r), Some(c)) = (revenue, cost) {
            profit = Some(r - c);
        }
    }
    let quantity = number(Field::Quantity)?;
    let orders = number(Field::Orders)?;
    let date = match cols.get(Field::Date) {
        None => None,
        Some(i) => {
            let parsed = match cell(i) {
                Cell::Empty => return Err(err(i, "no date".into())),
                Cell::Date(d) => Ok(d),
                Cell::Number(n) => match values::date_from_yyyymmdd(n) {
                    Some(d) => Ok(d),
                    None => values::excel_serial_to_date(n, false),
                },
                Cell::Text(t) => {
                    evidence.observe(t);
                    values::parse_date(t, r.order).and_then(|d| d.ok_or(values::ValueError::NotADate))
                }
            };
            Some(parsed.map_err(|e| err(i, e.to_string()))?)
        }
    };
    if r.shape == Shape::SalesLedger && revenue.is_none() && profit.is_none() {
        let i = cols.get(Field::Revenue).or(cols.get(Field::Profit)).unwrap_or(customer_col);
        return Err(err(i, "no amount (revenue or profit)".into()));
    }
    for f in [Field::OrderId, Field::Product, Field::Category, Field::Region, Field::Industry] {
        text(f)?;
    }
    for (i, _) in &cols.attributes {
        text_at(*i)?;
    }
    Ok(RowValues { revenue, cost, profit, quantity, orders, date })
}

struct State<'e> {
    existing: &'e Existing,
    existing_by_id: FxHashMap<u32, usize>,
    shape: Shape,
    by_key: FxHashMap<String, u32>,
    /// The new state of every customer this file touches.
    touched: FxHashMap<u32, Customer>,
    /// Declared totals summed over this file's rows (customer tables).
    declared: FxHashMap<u32, Totals>,
    next_id: u32,
    /// Which customer ids (dense: the store numbers them from 1) this file
    /// names, and how many.
    in_file: Vec<bool>,
    customers_in_file: u64,
    warned_names: FxHashSet<u32>,
    /// Customer ids by raw (ID, name) spelling, and a reusable key buffer.
    resolved: FxHashMap<Box<str>, u32>,
    raw_key: String,
    /// The line contents seen in this file so far, how often those seen
    /// more than once were seen (a set of 16-byte entries is half the size
    /// of a map with a count for every line), and a reusable buffer for
    /// hashing a line's content. Not needed (and left empty) while the store
    /// holds no lines: every line is new then.
    seen_lines: FxHashSet<u128>,
    repeats: FxHashMap<u128, u32>,
    hash_input: Vec<u8>,
    /// This file's new lines.
    lines: LineEncoder,
    rows: u64,
    valid_rows: u64,
    valid_lines: u64,
    skipped: u64,
    /// Of those, totals rows (skipped on purpose, not a misreading).
    totals_rows: u64,
    revenue: f64,
    profit: f64,
    errors: Vec<RowProblem>,
    warnings: Vec<RowProblem>,
    /// Per customer and attribute column, a hash of the first value seen;
    /// and which attribute columns differed within a customer.
    attribute_seen: FxHashMap<(u32, u32), u128>,
    varying: Vec<bool>,
}

impl<'e> State<'e> {
    /// `rows` is about how many rows the file has (sizes the line table).
    fn fresh(existing: &'e Existing, shape: Shape, rows: usize, attributes: usize) -> State<'e> {
        let mut by_key = FxHashMap::with_capacity_and_hasher(existing.customers.len() * 2, Default::default());
        for c in &existing.customers {
            if let Some(id) = &c.ext_id {
                by_key.insert(customer_key(Some(id), &c.name), c.id);
            }
            by_key.entry(customer_key(None, &c.name)).or_insert(c.id);
        }
        State {
            existing,
            existing_by_id: existing.customers.iter().enumerate().map(|(i, c)| (c.id, i)).collect(),
            shape,
            by_key,
            touched: FxHashMap::default(),
            declared: FxHashMap::default(),
            next_id: existing.customers.iter().map(|c| c.id + 1).max().unwrap_or(1),
            in_file: Vec::new(),
            customers_in_file: 0,
            warned_names: FxHashSet::default(),
            resolved: FxHashMap::default(),
            raw_key: String::new(),
            seen_lines: match shape {
                Shape::SalesLedger if !existing.fingerprints.is_empty() => FxHashSet::with_capacity_and_hasher(rows, Default::default()),
                _ => FxHashSet::default(),
            },
            repeats: FxHashMap::default(),
            hash_input: Vec::new(),
            lines: LineEncoder::default(),
            rows: 0,
            valid_rows: 0,
            valid_lines: 0,
            skipped: 0,
            totals_rows: 0,
            revenue: 0.0,
            profit: 0.0,
            errors: Vec::new(),
            warnings: Vec::new(),
            attribute_seen: FxHashMap::default(),
            varying: vec![false; attributes],
        }
    }

    /// Counts a row and, when it is valid, applies it; `read` is what
    /// [`read_row`] made of it.
    fn row(&mut self, row: u64, cells: &[Cell<'_>], cols: &Columns, read: std::result::Result<RowValues, RowProblem>) {
        match read {
            Ok(values) => {
                self.apply_row(cells, cols, row, values);
                self.valid_rows += 1;
            }
            Err(p) => {
                self.skipped += 1;
                self.totals_rows += u64::from(p.reason == TOTALS_ROW);
                if self.errors.len() < MAX_LISTED_PROBLEMS {
                    self.errors.push(p);
                }
            }
        }
    }

    /// Applies a valid row (checked by [`read_row`]): its customer, its
    /// details and its line. Its texts are taken from the cells again.
    fn apply_row(&mut self, cells: &[Cell<'_>], cols: &Columns, row: u64, values: RowValues) {
        let RowValues { revenue, cost, profit, quantity, orders, date } = values;
        let text = |f: Field| cols.get(f).and_then(|i| cell_text(cells, i));
        let ext_id = text(Field::CustomerId);
        let name = text(Field::CustomerName);
        let display_name: &str = name.as_deref().or(ext_id.as_deref()).expect("a valid row names its customer");
        let order_id = text(Field::OrderId);
        let product = text(Field::Product);
        let category = text(Field::Category);
        let region = text(Field::Region);
        let industry = text(Field::Industry);
        let attributes =
            cols.attributes.iter().enumerate().filter_map(|(k, (i, header))| cell_text(cells, *i).map(|v| (k, header, v)));

        // The row is valid: apply it. Details change only when they differ,
        // so the common case (the same customer again) copies nothing.
        let id = self.resolve_customer(row, ext_id.as_deref(), name.as_deref(), display_name);
        self.mark_in_file(id);
        let customer = self.touched.get_mut(&id).expect("resolved customers are touched");
        let update = |slot: &mut Option<String>, v: Option<Cow<'_, str>>| {
            if let Some(v) = v {
                if slot.as_deref() != Some(&*v) {
                    *slot = Some(v.into_owned());
                }
            }
        };
        update(&mut customer.region, region);
        update(&mut customer.industry, industry);
        for (k, header, v) in attributes {
            // A column whose value differs within one customer's rows is
            // about the line, not the customer: it is not kept.
            if self.varying[k] {
                continue;
            }
            let value_hash = line_hash(&mut self.hash_input, &[v.as_bytes()]);
            match self.attribute_seen.entry((id, k as u32)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(value_hash);
                }
                std::collections::hash_map::Entry::Occupied(e) if *e.get() != value_hash => {
                    self.varying[k] = true;
                    continue;
                }
                _ => {}
            }
            if customer.attributes.get(header).map(String::as_str) != Some(&*v) {
                customer.attributes.insert(header.clone(), v.into_owned());
            }
        }
        self.revenue += revenue.unwrap_or(0.0);
        self.profit += profit.unwrap_or(0.0);
        match self.shape {
            Shape::CustomerTable => {
                let t = self.declared.entry(id).or_default();
                t.revenue = add_known(t.revenue, revenue);
                t.cost = add_known(t.cost, cost);
                t.profit = add_known(t.profit, profit);
                t.orders = add_known(t.orders, orders);
            }
            Shape::SalesLedger => {
                self.valid_lines += 1;
                let line = LineRef {
                    customer: id,
                    date,
                    order_id: order_id.as_deref(),
                    product: product.as_deref(),
                    category: category.as_deref(),
                    revenue,
                    cost,
                    profit,
                    quantity,
                };
                if self.existing.fingerprints.is_empty() || self.is_new(&line) {
                    self.lines.push(&line);
                }
            }
        }
    }

    /// Whether `line` is not stored yet: the k-th line of a content in this
    /// file is new when the store holds fewer than k lines of that content.
    fn is_new(&mut self, line: &LineRef<'_>) -> bool {
        let content = content_hash(&mut self.hash_input, line);
        let n = if self.seen_lines.insert(content) {
            1
        } else {
            let n = self.repeats.entry(content).or_insert(1);
            *n += 1;
            *n
        };
        !self.existing.fingerprints.contains(&content.wrapping_add(u128::from(n).wrapping_mul(OCCURRENCE_STEP)))
    }

    /// The customer a row belongs to, creating it when new. A known ID with
    /// another name is reported once, and the stored name kept.
    fn resolve_customer(&mut self, row: u64, ext_id: Option<&str>, name: Option<&str>, display: &str) -> u32 {
        // Most rows repeat a customer seen a moment ago, spelled the same:
        // look the raw spelling up before normalizing anything.
        let mut raw = std::mem::take(&mut self.raw_key);
        raw.clear();
        raw.push_str(ext_id.unwrap_or(""));
        raw.push('\u{1f}');
        raw.push_str(display);
        let id = match self.resolved.get(raw.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.resolve_new_spelling(row, ext_id, name, display);
                self.resolved.insert(raw.as_str().into(), id);
                id
            }
        };
        self.raw_key = raw;
        id
    }

    fn resolve_new_spelling(&mut self, row: u64, ext_id: Option<&str>, name: Option<&str>, display: &str) -> u32 {
        let id_key = ext_id.map(|id| customer_key(Some(id), display));
        let by_id = id_key.as_ref().and_then(|key| self.by_key.get(key).copied());
        let id = match by_id {
            Some(id) => id,
            None => {
                // Not known by ID: a customer of the same name that has no ID
                // yet is the same customer (an earlier file had no ID column).
                let name_key = customer_key(None, display);
                let by_name = self.by_key.get(&name_key).copied().filter(|id| {
                    ext_id.is_none() || self.current(*id).is_some_and(|c| c.ext_id.is_none())
                });
                match by_name {
                    Some(id) => id,
                    None => {
                        let id = self.next_id;
                        self.next_id += 1;
                        self.touched.insert(
                            id,
                            Customer {
                                id,
                                ext_id: None,
                                name: display.to_string(),
                                region: None,
                                industry: None,
                                attributes: Default::default(),
                                declared: None,
                            },
                        );
                        self.by_key.insert(name_key, id);
                        id
                    }
                }
            }
        };
        if !self.touched.contains_key(&id) {
            let current = self.current(id).expect("known customer").clone();
            self.touched.insert(id, current);
        }
        let customer = self.touched.get_mut(&id).expect("just inserted");
        if let (Some(ext), Some(id_key)) = (ext_id, id_key) {
            if customer.ext_id.is_none() {
                customer.ext_id = Some(ext.to_string());
                self.by_key.insert(id_key, id);
            }
        }
        if let (Some(ext), Some(name)) = (ext_id, name) {
            let differs = name != customer.name && normalize_name(name) != normalize_name(&customer.name);
            if differs && self.warned_names.insert(id) {
                let kept = customer.name.clone();
                self.warnings.push(RowProblem {
                    row,
                    column: String::new(),
                    value: name.to_string(),
                    reason: format!("customer ID {} is already {}; kept that name (not merged silently)", quoted(ext), quoted(&kept)),
                });
            }
        }
        id
    }

    fn mark_in_file(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.in_file.len() {
            self.in_file.resize(i + 1, false);
        }
        if !std::mem::replace(&mut self.in_file[i], true) {
            self.customers_in_file += 1;
        }
    }

    /// The customer's state so far: as touched by this file, else as stored.
    fn current(&self, id: u32) -> Option<&Customer> {
        self.touched.get(&id).or_else(|| self.existing_by_id.get(&id).map(|&i| &self.existing.customers[i]))
    }

    /// Customers to write, new ones and changed ones.
    /// The customers to write, and how many are new and changed. Columns in
    /// `varying` were per line: a customer keeps what it had for them.
    fn customer_changes(&mut self, varying: &[&str]) -> (Vec<Customer>, u64, u64) {
        let existing = self.existing;
        for (id, totals) in self.declared.drain() {
            if let Some(c) = self.touched.get_mut(&id) {
                c.declared = Some(totals);
            }
        }
        for c in self.touched.values_mut() {
            let before = self.existing_by_id.get(&c.id).map(|&i| &existing.customers[i].attributes);
            for &h in varying {
                match before.and_then(|b| b.get(h)) {
                    Some(v) => c.attributes.insert(h.to_string(), v.clone()),
                    None => c.attributes.remove(h),
                };
            }
        }
        let (mut new, mut changed) = (0, 0);
        let mut upserts: Vec<Customer> = self
            .touched
            .drain()
            .map(|(_, c)| c)
            .filter(|c| match self.existing_by_id.get(&c.id) {
                None => {
                    new += 1;
                    true
                }
                Some(&i) => {
                    let differs = existing.customers[i] != *c;
                    changed += u64::from(differs);
                    differs
                }
            })
            .collect();
        upserts.sort_by_key(|c| c.id);
        (upserts, new, changed)
    }
}

/// A large odd constant (from the golden ratio) to space occurrence numbers.
const OCCURRENCE_STEP: u128 = 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835;

fn num_bytes(v: Option<f64>) -> [u8; 9] {
    let mut b = [0u8; 9];
    if let Some(v) = v {
        b[0] = 1;
        // -0.0 and 0.0 are the same amount.
        b[1..].copy_from_slice(&(v + 0.0).to_bits().to_le_bytes());
    }
    b
}

/// The hash of what identifies a line: its customer, date, order, product
/// and amounts (not its category, which files of another program may lack).
fn content_hash(buf: &mut Vec<u8>, l: &LineRef<'_>) -> u128 {
    line_hash(buf, &[
        &l.customer.to_le_bytes(),
        &l.date.map_or(i32::MIN, |d| d.num_days_from_ce()).to_le_bytes(),
        l.order_id.unwrap_or("").as_bytes(),
        l.product.unwrap_or("").as_bytes(),
        &num_bytes(l.revenue),
        &num_bytes(l.cost),
        &num_bytes(l.profit),
        &num_bytes(l.quantity),
    ])
}

/// BLAKE3 of the parts, each preceded by its length. They are gathered in
/// `buf` (reused between lines) and hashed at once: many small updates of a
/// hasher cost more than the hashing.
fn line_hash(buf: &mut Vec<u8>, parts: &[&[u8]]) -> u128 {
    buf.clear();
    for p in parts {
        buf.extend_from_slice(&(p.len() as u32).to_le_bytes());
        buf.extend_from_slice(p);
    }
    let out = blake3::hash(buf);
    u128::from_le_bytes(out.as_bytes()[..16].try_into().expect("16 bytes"))
}

/// An ISO date for the UI.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests;
