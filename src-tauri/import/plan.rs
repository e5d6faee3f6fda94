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
use super::table::{column_letter, Body, Cell, Source};
use super::values::{self, DayOrder};
use super::{find_header, DateOrder, ImportOptions, TextEncoding, HEADER_SCAN_ROWS};
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
    pub samples: Vec<String>,
}

/// Everything the user sees before committing.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportPreview {
    pub file_name: String,
    /// `delimited` or `workbook`.
    pub format: String,
    pub encoding: Option<TextEncoding>,
    pub detected_encoding: Option<TextEncoding>,
    pub delimiter: Option<String>,
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
}

impl ImportPreview {
    /// Whether committing would change anything.
    pub fn changes_anything(&self) -> bool {
        self.new_customers > 0 || self.changed_customers > 0 || self.new_lines > 0
    }
}

/// What is already stored, as the planner needs it.
#[derive(Debug, Default)]
pub struct Existing {
    pub customers: Vec<Customer>,
    pub fingerprints: FxHashSet<u128>,
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
    let mapping: Vec<Option<Field>> = match &options.mapping {
        Some(m) => (0..headers.len()).map(|i| m.get(i).copied().flatten()).collect(),
        None => super::mapping::auto_map(&headers),
    };
    let col = |f: Field| mapping.iter().position(|m| *m == Some(f));
    let mut seen = HashSet::new();
    for f in mapping.iter().flatten() {
        if !seen.insert(*f) {
            return Err(fail(format!("more than one column is mapped to {f:?}; map each field once")));
        }
    }
    if col(Field::CustomerName).is_none() && col(Field::CustomerId).is_none() {
        return Err(fail(format!(
            "no column can be the customer (headers: {}); map one column to Customer name or Customer ID",
            headers.join(", ")
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
    let mut state = State::fresh(existing, shape, source.rows_hint());
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
            state = State::fresh(existing, shape, state.rows as usize);
        }
        let mut approx_pos = 0usize;
        source.for_each_row(|row, cells| {
            approx_pos += cells.iter().map(|c| if let Cell::Text(t) = c { t.len() + 1 } else { 8 }).sum::<usize>();
            if row <= header_row {
                return true;
            }
            if cells.iter().all(Cell::is_empty) {
                return true;
            }
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
            state.row(row, cells, &columns, order, &mut evidence);
            true
        })?;
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
    let (upserts, new_customers, changed_customers) = state.customer_changes();
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
            Body::Text { delimiter, .. } => Some((*delimiter as char).to_string()),
            Body::Workbook { .. } => None,
        },
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
    };
    Ok(Plan { preview, batch: ImportBatch { upserts, lines: std::mem::take(&mut state.lines).finish() }, checksum: source.checksum.clone() })
}

/// `row 7, column C (销售额): "abc" — not a number`
pub fn describe(p: &RowProblem) -> String {
    let mut s = format!("row {}", p.row);
    if !p.column.is_empty() {
        s.push_str(&format!(", column {}", p.column));
    }
    if !p.value.is_empty() {
        let mut v: String = p.value.chars().take(60).collect();
        if v.len() < p.value.len() {
            v.push('…');
        }
        s.push_str(&format!(": \"{v}\""));
    }
    s.push_str(&format!(" — {}", p.reason));
    s
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
                "columns {} and {} have the same header \"{h}\"; rename one of them",
                column_letter(j),
                column_letter(i)
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
            labels: headers.iter().enumerate().map(|(i, h)| format!("{} ({h})", column_letter(i))).collect(),
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
    /// How often each line content has been seen in this file so far, and
    /// a reusable buffer for hashing a line's content.
    occurrences: FxHashMap<u128, u32>,
    hash_input: Vec<u8>,
    /// This file's new lines.
    lines: LineEncoder,
    rows: u64,
    valid_rows: u64,
    valid_lines: u64,
    skipped: u64,
    revenue: f64,
    profit: f64,
    errors: Vec<RowProblem>,
    warnings: Vec<RowProblem>,
}

impl<'e> State<'e> {
    /// `rows` is about how many rows the file has (sizes the line table).
    fn fresh(existing: &'e Existing, shape: Shape, rows: usize) -> State<'e> {
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
            occurrences: match shape {
                Shape::SalesLedger => FxHashMap::with_capacity_and_hasher(rows, Default::default()),
                Shape::CustomerTable => FxHashMap::default(),
            },
            hash_input: Vec::new(),
            lines: LineEncoder::default(),
            rows: 0,
            valid_rows: 0,
            valid_lines: 0,
            skipped: 0,
            revenue: 0.0,
            profit: 0.0,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn row(&mut self, row: u64, cells: &[Cell<'_>], cols: &Columns, order: DayOrder, evidence: &mut DateEvidence) {
        match self.parse_row(row, cells, cols, order, evidence) {
            Ok(()) => self.valid_rows += 1,
            Err(p) => {
                self.skipped += 1;
                if self.errors.len() < MAX_LISTED_PROBLEMS {
                    self.errors.push(p);
                }
            }
        }
    }

    fn parse_row(
        &mut self,
        row: u64,
        cells: &[Cell<'_>],
        cols: &Columns,
        order: DayOrder,
        evidence: &mut DateEvidence,
    ) -> std::result::Result<(), RowProblem> {
        let cell = |i: usize| cells.get(i).cloned().unwrap_or(Cell::Empty);
        let err = |i: usize, reason: String| RowProblem {
            row,
            column: cols.labels[i].clone(),
            value: cell(i).display(),
            reason,
        };
        // Text is borrowed from the row; only what is stored gets copied.
        let text_at = |i: usize| -> std::result::Result<Option<Cow<'_, str>>, RowProblem> {
            let v = match cells.get(i) {
                Some(Cell::Text(t)) => Cow::Borrowed(t.trim()),
                Some(c @ (Cell::Number(_) | Cell::Date(_))) => Cow::Owned(c.display()),
                _ => return Ok(None),
            };
            if v.is_empty() {
                return Ok(None);
            }
            if v.len() > MAX_TEXT_CHARS {
                let n = v.chars().count();
                if n > MAX_TEXT_CHARS {
                    return Err(err(i, format!("text too long ({n} characters; at most {MAX_TEXT_CHARS})")));
                }
            }
            Ok(Some(v))
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
                Cell::Text(t) => values::parse_number(t).map_err(|e| err(i, e.to_string())),
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
                let reason = if totals { "a totals row; skipped so nothing is counted twice" } else { "no customer name or ID" };
                return Err(err(customer_col, reason.into()));
            }
        };
        if is_total_row(display_name) {
            return Err(err(customer_col, "a totals row; skipped so nothing is counted twice".into()));
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
                    Cell::Number(n) => values::excel_serial_to_date(n, false),
                    Cell::Text(t) => {
                        evidence.observe(t);
                        values::parse_date(t, order).and_then(|d| d.ok_or(values::ValueError::NotADate))
                    }
                };
                Some(parsed.map_err(|e| err(i, e.to_string()))?)
            }
        };
        if self.shape == Shape::SalesLedger && revenue.is_none() && profit.is_none() {
            let i = cols.get(Field::Revenue).or(cols.get(Field::Profit)).unwrap_or(customer_col);
            return Err(err(i, "no amount (revenue or profit)".into()));
        }
        let order_id = text(Field::OrderId)?;
        let product = text(Field::Product)?;
        let region = text(Field::Region)?;
        let industry = text(Field::Industry)?;
        let mut attributes = Vec::new();
        for (i, header) in &cols.attributes {
            if let Some(v) = text_at(*i)? {
                attributes.push((header, v));
            }
        }

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
        for (k, v) in attributes {
            if customer.attributes.get(k).map(String::as_str) != Some(&*v) {
                customer.attributes.insert(k.clone(), v.into_owned());
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
                let content = line_hash(&mut self.hash_input, &[
                    &id.to_le_bytes(),
                    &date.map_or(i32::MIN, |d| d.num_days_from_ce()).to_le_bytes(),
                    order_id.as_deref().unwrap_or("").as_bytes(),
                    product.as_deref().unwrap_or("").as_bytes(),
                    &num_bytes(revenue),
                    &num_bytes(cost),
                    &num_bytes(profit),
                    &num_bytes(quantity),
                ]);
                let n = self.occurrences.entry(content).or_insert(0);
                *n += 1;
                // The k-th identical line of a file: an odd multiplier keeps
                // (content, k) pairs apart without hashing again.
                let fingerprint = content.wrapping_add(u128::from(*n).wrapping_mul(OCCURRENCE_STEP));
                // Distinct (content, k) pairs have distinct fingerprints, so
                // a line not stored yet is new to this file's lines as well.
                if !self.existing.fingerprints.contains(&fingerprint) {
                    self.lines.push(&LineRef {
                        customer: id,
                        date,
                        order_id: order_id.as_deref(),
                        product: product.as_deref(),
                        revenue,
                        cost,
                        profit,
                        quantity,
                        fingerprint,
                    });
                }
            }
        }
        Ok(())
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
                    reason: format!("customer ID {ext} is already \"{kept}\"; kept that name (not merged silently)"),
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
    fn customer_changes(&mut self) -> (Vec<Customer>, u64, u64) {
        let existing = self.existing;
        for (id, totals) in self.declared.drain() {
            if let Some(c) = self.touched.get_mut(&id) {
                c.declared = Some(totals);
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
