//! From a source file to a plan: every row parsed and validated, customers
//! matched against the stored ones, lines deduplicated against stored lines,
//! and a preview of what committing would do. Building a plan writes nothing.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use serde::Serialize;
use ts_rs::TS;

use super::mapping::{fold_width, Field};
use super::remembered::{self, RememberedMapping};
use super::sources::layout::{is_total_row, Flattened};
use super::sources::{self, Exclusion, Recipe, SourceKind};
use super::table::{column_label, column_letter, quoted, Body, Cell, Rows, Source};
use super::values::{self, DayOrder};
use super::text::Delimiter;
use super::{find_header, DateOrder, DecimalMark, ImportOptions, TextEncoding, HEADER_SCAN_ROWS};
use crate::i18n::{Arg, Msg};
use crate::model::{add_known, Customer, ImportRecord, Shape, Totals};
use crate::store::lines::StoredLines;
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
    /// Why, in English (the command line's `--json`).
    pub reason: String,
    /// Why, as the window says it.
    pub message: Msg,
}

impl RowProblem {
    pub fn new(row: u64, column: String, value: String, message: Msg) -> RowProblem {
        RowProblem { row, column, value, reason: message.to_string(), message }
    }
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
    /// The most common reason rows were skipped (for `many_skipped`), or
    /// the cells outside the table (`outside_table`).
    pub detail: Option<String>,
    /// `detail` as the window says it, when it is a message.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail_message: Option<Msg>,
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
    /// A workbook holds values outside the table (right of the header's
    /// columns, as Excel leaves after formatting whole rows or columns):
    /// they are left out. `count` of them; `detail` names the first cells.
    OutsideTable,
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
            CheckCode::OutsideTable => format!(
                "{} outside the table ({}) {} left out",
                if self.count == 1 { "1 value".to_string() } else { format!("{} values", self.count) },
                self.detail.as_deref().unwrap_or("?"),
                if self.count == 1 { "was" } else { "were" }
            ),
        }
    }

    /// The check as the window says it (the `import.check.*` messages).
    pub fn message(&self) -> Msg {
        let key = match self.code {
            CheckCode::OneColumn => "import.check.one_column",
            CheckCode::NamesLookLikeLines => "import.check.names_look_like_lines",
            CheckCode::NoAmountColumn => "import.check.no_amount_column",
            CheckCode::ManySkipped => "import.check.many_skipped",
            CheckCode::OutsideTable if self.count == 1 => "import.check.outside_table.one",
            CheckCode::OutsideTable => "import.check.outside_table.other",
        };
        let pct = (self.count * 100).checked_div(self.total).unwrap_or(0);
        Msg::new(key)
            .with("count", self.count)
            .with("total", self.total)
            .with("pct", pct)
            .with("column", self.column.clone().unwrap_or_default())
            .with("reason", match &self.detail_message {
                Some(m) => Arg::Msg(m.clone()),
                None => Arg::Text(self.detail.clone().unwrap_or_default()),
            })
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
    /// Lines not stored yet that look like sales an earlier import stored:
    /// the same order number, date and amount to the cent (and product when
    /// both lines have one), whatever the customer's spelling — the same
    /// ledger in another format. Not added unless the options'
    /// `keep_duplicates` says so; lines without an order number are never
    /// matched this way.
    #[ts(type = "number")]
    pub duplicates: u64,
    /// The earlier imports those sales came from, most lines first.
    #[ts(type = "Array<{ import: number, file_name: string, lines: number }>")]
    pub duplicates_from: Vec<DuplicateSource>,
    /// Whether they are added anyway (then counted in `new_lines`).
    pub duplicates_added: bool,
    /// The program the file comes from, as recognised or chosen.
    pub source: SourceKind,
    /// What was recognised, whatever was chosen.
    pub detected_source: SourceKind,
    /// How the file was read beyond its columns' mapping: the source's
    /// meaning, group rows, red-letter invoices, renamed buyers, refunds.
    pub rules: Vec<ImportRule>,
    /// Rows left out because their status says they are no sale, by reason.
    pub excluded: Vec<ExcludedRows>,
    /// Whether those rows are imported anyway (the options' `keep_excluded`).
    pub excluded_kept: bool,
    /// The remembered mapping this file was read with, if any.
    pub remembered: Option<RememberedMapping>,
}

/// A rule the preview names: how the file was read.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportRule {
    /// The rule's name (the message's key without `import.rule.`).
    pub code: String,
    pub message: Msg,
}

impl ImportRule {
    fn new(message: Msg) -> ImportRule {
        ImportRule { code: message.key.trim_start_matches("import.rule.").to_string(), message }
    }
}

/// Rows left out for one reason, and their amount.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct ExcludedRows {
    pub reason: Exclusion,
    #[ts(type = "number")]
    pub rows: u64,
    /// What they were worth (their revenue before any refund), summed.
    pub amount: f64,
}

/// An earlier import that stored sales a file's lines look like.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateSource {
    pub import: u32,
    pub file_name: String,
    pub lines: u64,
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

    /// The duplicates in English, e.g. `9354 lines look like sales already
    /// stored from superstore.xlsx (same order, date and amount)`; `None`
    /// when there are none.
    pub fn describe_duplicates(&self) -> Option<String> {
        if self.duplicates == 0 {
            return None;
        }
        let files: Vec<&str> = self.duplicates_from.iter().map(|d| d.file_name.as_str()).collect();
        let what = if self.duplicates == 1 { "1 line looks like a sale".to_string() } else { format!("{} lines look like sales", self.duplicates) };
        Some(format!("{what} already stored from {} (same order, date and amount)", files.join(", ")))
    }
}

/// What is already stored, as the planner needs it.
#[derive(Debug, Default)]
pub struct Existing {
    pub customers: Vec<Customer>,
    /// The identity of every stored line: the hash of its content plus k
    /// steps for the k-th line of that content (see [`Existing::add_line`]).
    pub fingerprints: FxHashSet<u128>,
    /// The stored lines again, read into [`Sales`] the first time a file's
    /// line may be one of them in another spelling: a line not stored itself
    /// with an order number and a date within those of the stored lines
    /// with one (never for a file whose lines are all stored, or all later).
    stored: StoredLines,
    with_order: u64,
    order_days: Option<(i32, i32)>,
    undated_orders: bool,
    sales: OnceLock<Sales>,
    /// The file name of each import, by id.
    import_names: FxHashMap<u32, String>,
    /// The mappings the owner corrected before (see [`remembered`]).
    pub mappings: Vec<RememberedMapping>,
    hash_input: Vec<u8>,
}

impl Existing {
    pub fn new(customers: Vec<Customer>, lines: usize) -> Existing {
        let mut fingerprints = FxHashSet::default();
        fingerprints.reserve(lines);
        Existing { customers, fingerprints, ..Existing::default() }
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
        if line.order_id.is_some() {
            self.with_order += 1;
            match line.date.map(|d| d.num_days_from_ce()) {
                Some(day) => {
                    let (first, last) = self.order_days.get_or_insert((day, day));
                    (*first, *last) = ((*first).min(day), (*last).max(day));
                }
                None => self.undated_orders = true,
            }
        }
    }

    /// Whether a stored line with an order number may have this date.
    fn may_have_sale_on(&self, date: Option<NaiveDate>) -> bool {
        match date {
            Some(d) => self.order_days.is_some_and(|(first, last)| (first..=last).contains(&d.num_days_from_ce())),
            None => self.undated_orders,
        }
    }

    /// Keeps the stored lines (those given to [`Existing::add_line`]) with
    /// the imports that stored them, and the imports' file names, to match
    /// a file's lines to stored sales by order, date and amount.
    pub fn keep_lines(&mut self, stored: StoredLines, imports: impl IntoIterator<Item = (u32, String)>) {
        self.stored = stored;
        self.import_names.extend(imports);
    }

    /// Whether any line is stored.
    fn has_lines(&self) -> bool {
        !self.fingerprints.is_empty()
    }

    /// The stored sales, read from the kept lines at the first call.
    fn sales(&self) -> &Sales {
        self.sales.get_or_init(|| {
            let mut sales = Sales::default();
            sales.index.reserve(self.with_order as usize);
            // The chunks decoded once already (`add_line`).
            let _ = self.stored.for_each(|import, line| {
                if let Some(key) = sale_key(&line) {
                    sales.add(key, product_class(line.product), import);
                }
            });
            sales
        })
    }
}

/// The stored lines with an order number, by sale: an order number, a date
/// and an amount to the cent ([`sale_key`]).
#[derive(Debug, Default)]
struct Sales {
    /// Each sale's place in `sales`.
    index: FxHashMap<u64, u32>,
    sales: Vec<Sale>,
    /// For the sales whose lines name more than one product: per product
    /// class, how many lines.
    mixed: FxHashMap<u32, Vec<(u32, u32)>>,
}

/// The stored lines of one sale.
#[derive(Debug, Clone, Copy)]
struct Sale {
    lines: u32,
    /// Of those, lines without a product.
    bare: u32,
    /// The others' product class: the one they share, [`MIXED`] when they
    /// differ (`Sales::mixed` counts them), [`BARE`] when there are none.
    product: u32,
    /// The import that stored the first of them.
    import: u32,
}

/// The product class of a line without a product.
const BARE: u32 = 0;
/// A sale whose lines name several products.
const MIXED: u32 = u32::MAX;

impl Sales {
    fn add(&mut self, key: u64, product: u32, import: u32) {
        let sales = &mut self.sales;
        let i = *self.index.entry(key).or_insert_with(|| {
            sales.push(Sale { lines: 0, bare: 0, product: BARE, import });
            (sales.len() - 1) as u32
        });
        let s = &mut self.sales[i as usize];
        s.lines += 1;
        if product == BARE {
            s.bare += 1;
        } else if s.product == BARE {
            s.product = product;
        } else if s.product == MIXED {
            add_count(self.mixed.entry(i).or_default(), product);
        } else if s.product != product {
            // The sale's first line of another product: count them apart.
            self.mixed.insert(i, vec![(s.product, s.lines - 1 - s.bare), (product, 1)]);
            s.product = MIXED;
        }
    }

    /// The sale `line` (of a file) would be a line of, if any is stored.
    fn find(&self, line: &LineRef<'_>) -> Option<u32> {
        self.index.get(&sale_key(line)?).copied()
    }

    fn stored_of(&self, i: u32, product: u32) -> u32 {
        self.mixed[&i].iter().find(|(p, _)| *p == product).map_or(0, |(_, n)| *n)
    }
}

/// One more of `product` in a short list of counts by product class.
fn add_count(counts: &mut Vec<(u32, u32)>, product: u32) {
    match counts.iter_mut().find(|(p, _)| *p == product) {
        Some((_, n)) => *n += 1,
        None => counts.push((product, 1)),
    }
}

/// How many of a sale's stored lines a file's lines have matched so far.
#[derive(Debug, Clone, Copy, Default)]
struct Taken {
    lines: u32,
    /// Of those, lines without a product.
    bare: u32,
}

/// Stored lines of sales that a file's lines matched: each stored line is
/// matched once, either by a line identical to it (see [`State::is_new`])
/// or by one of the same sale written differently ([`Matches::claim`]).
#[derive(Debug, Default, Clone)]
struct Matches {
    /// Per sale (indexed as `Sales::sales`; sized on first use).
    taken: Vec<Taken>,
    /// Per mixed sale and product class, lines taken.
    mixed: FxHashMap<u32, Vec<(u32, u32)>>,
}

impl Matches {
    fn get(&self, i: u32) -> Taken {
        self.taken.get(i as usize).copied().unwrap_or_default()
    }

    fn taken_of(&self, i: u32, product: u32) -> u32 {
        self.mixed.get(&i).and_then(|m| m.iter().find(|(p, _)| *p == product)).map_or(0, |(_, n)| *n)
    }

    /// Stored lines of product class `product` (not `BARE`) of sale `i` left.
    fn left_of(&self, sales: &Sales, i: u32, product: u32) -> u32 {
        let s = &sales.sales[i as usize];
        let t = self.get(i);
        if s.product == MIXED {
            sales.stored_of(i, product).saturating_sub(self.taken_of(i, product))
        } else if s.product == product {
            (s.lines - s.bare).saturating_sub(t.lines - t.bare)
        } else {
            0
        }
    }

    fn bare_left(&self, sales: &Sales, i: u32) -> u32 {
        sales.sales[i as usize].bare.saturating_sub(self.get(i).bare)
    }

    /// Takes one stored line of class `product` of sale `i`.
    fn take(&mut self, sales: &Sales, i: u32, product: u32) {
        if self.taken.is_empty() {
            self.taken = vec![Taken::default(); sales.sales.len()];
        }
        let t = &mut self.taken[i as usize];
        t.lines += 1;
        if product == BARE {
            t.bare += 1;
        } else if sales.sales[i as usize].product == MIXED {
            add_count(self.mixed.entry(i).or_default(), product);
        }
    }

    /// Matches a line of product class `product` that is not stored itself
    /// to a stored line of sale `i` left: one of its product, else one
    /// without a product; a line without a product takes one without a
    /// product first, else one of any.
    fn claim(&mut self, sales: &Sales, i: u32, product: u32) -> bool {
        let class = if product != BARE {
            if self.left_of(sales, i, product) > 0 {
                Some(product)
            } else {
                (self.bare_left(sales, i) > 0).then_some(BARE)
            }
        } else if self.bare_left(sales, i) > 0 {
            Some(BARE)
        } else {
            match sales.sales[i as usize].product {
                BARE => None,
                MIXED => sales.mixed[&i].iter().map(|(p, _)| *p).find(|&p| self.left_of(sales, i, p) > 0),
                p => (self.left_of(sales, i, p) > 0).then_some(p),
            }
        };
        class.map(|class| self.take(sales, i, class)).is_some()
    }

    /// Whether, with `also` taken besides, some class of some sale is taken
    /// more often than it has lines.
    fn overbooked_with(&self, sales: &Sales, also: &Matches) -> bool {
        self.taken.iter().enumerate().filter(|(_, t)| t.lines > 0).any(|(i, t)| {
            let i = i as u32;
            let s = &sales.sales[i as usize];
            let o = also.get(i);
            if t.bare + o.bare > s.bare {
                return true;
            }
            if s.product != MIXED {
                return (t.lines - t.bare) + (o.lines - o.bare) > s.lines - s.bare;
            }
            sales.mixed[&i].iter().any(|&(p, stored)| self.taken_of(i, p) + also.taken_of(i, p) > stored)
        })
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

/// Values outside the table (right of the header's columns) in a workbook:
/// how many, and the first cells.
#[derive(Default)]
struct Outside {
    count: u64,
    first: Vec<(u64, u32)>,
}

/// Cells named in the check of values outside the table.
const OUTSIDE_LISTED: usize = 3;

impl Outside {
    /// Counts a value; the first cells (by row, then column) are kept.
    fn add(&mut self, row: u64, col: u32) {
        self.count += 1;
        if self.first.len() < OUTSIDE_LISTED {
            self.first.push((row, col));
        } else if let Some(last) = self.first.iter_mut().max().filter(|last| (row, col) < **last) {
            *last = (row, col);
        }
    }

    fn check(mut self, rows: u64) -> Option<FileCheck> {
        if self.count == 0 {
            return None;
        }
        self.first.sort_unstable();
        let mut cells: Vec<String> =
            self.first.iter().take(OUTSIDE_LISTED).map(|&(row, col)| format!("{}{row}", column_letter(col as usize))).collect();
        if self.count > OUTSIDE_LISTED as u64 {
            cells.push("…".into());
        }
        Some(FileCheck { code: CheckCode::OutsideTable, blocking: false, column: None, count: self.count, total: rows, detail: Some(cells.join(", ")), detail_message: None })
    }
}

/// Rows read to decide the decimal mark.
const DECIMAL_SAMPLE_ROWS: u64 = 2000;

/// The decimal mark the amount columns' text shows, over the first rows.
fn detect_decimal_mark(source: Rows<'_>, header_row: u64, columns: &Columns) -> Result<(values::Mark, bool)> {
    let amount_cols: Vec<usize> =
        [Field::Revenue, Field::Cost, Field::Profit, Field::Quantity, Field::Orders, Field::UnitPrice, Field::Discount, Field::Refunded]
            .into_iter()
            .filter_map(|f| columns.get(f))
            .collect();
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
        detail_message: None,
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
        let mut reasons: HashMap<&str, (usize, &Msg)> = HashMap::new();
        for e in state.errors.iter().filter(|e| e.message.key != TOTALS_ROW) {
            reasons.entry(e.reason.as_str()).or_insert((0, &e.message)).0 += 1;
        }
        let common = reasons.into_iter().max_by_key(|&(r, (n, _))| (n, std::cmp::Reverse(r)));
        checks.push(FileCheck {
            detail_message: common.map(|(_, (_, m))| m.clone()),
            ..check(CheckCode::ManySkipped, false, None, state.skipped, state.rows, common.map(|(r, _)| r.to_string()))
        });
    }
    checks
}

/// `row 7, column C (销售额): "abc" — not a number`, on one line whatever
/// the cell holds (see [`quoted`]).
pub fn describe(p: &RowProblem) -> String {
    problem_message(p).to_string()
}

/// A row's problem as the window says it (in English: [`describe`]).
pub fn problem_message(p: &RowProblem) -> Msg {
    let cell = if p.value.is_empty() { String::new() } else { quoted(&p.value) };
    match (p.column.is_empty(), cell.is_empty()) {
        (true, true) => crate::msg!("import.problem.row", row = p.row, reason = p.message.clone()),
        (true, false) => crate::msg!("import.problem.row_value", row = p.row, value = cell, reason = p.message.clone()),
        (false, true) => crate::msg!("import.problem.cell", row = p.row, column = p.column.as_str(), reason = p.message.clone()),
        (false, false) => {
            crate::msg!("import.problem.cell_value", row = p.row, column = p.column.as_str(), value = cell, reason = p.message.clone())
        }
    }
}

/// Headers as a message lists them: each [`quoted`], comma-separated.
fn quoted_list(headers: &[String]) -> String {
    headers.iter().map(|h| quoted(h)).collect::<Vec<_>>().join(", ")
}

fn check_duplicate_headers(headers: &[String]) -> std::result::Result<(), Msg> {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = super::mapping::normalize_header(h);
        if key.is_empty() {
            continue;
        }
        if let Some(&j) = first.get(&key) {
            return Err(crate::msg!("import.plan.same_header", first = column_letter(j), second = column_letter(i), header = quoted(h)));
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

    fn decide(&self) -> std::result::Result<Option<DayOrder>, Msg> {
        match (self.day_first, self.month_first) {
            (true, true) => Err(crate::msg!("import.plan.mixed_date_order")),
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

/// The key of a totals row's reason (skipped on purpose).
const TOTALS_ROW: &str = "import.row.totals";

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
    recipe: &'c Recipe,
    /// Rows whose status says they are no sale are read all the same.
    keep_excluded: bool,
}

/// A row's amounts and date, read and checked by [`read_row`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct RowValues {
    revenue: Option<f64>,
    cost: Option<f64>,
    /// Read, or revenue minus cost.
    profit: Option<f64>,
    quantity: Option<f64>,
    orders: Option<f64>,
    date: Option<NaiveDate>,
    /// Why the row is no sale, by its status.
    excluded: Option<Exclusion>,
    /// Taken off the revenue (a refund).
    refunded: Option<f64>,
    /// The revenue is unit price × quantity − discount.
    priced: bool,
}

/// A cell's text, trimmed and borrowed from the row; `None` when empty.
fn cell_text<'c>(cells: &[Cell<'c>], i: usize) -> Option<Cow<'c, str>> {
    let v = match cells.get(i) {
        Some(Cell::Text(t)) => Cow::Borrowed(values::unwrap_text_formula(t.trim())),
        Some(c @ (Cell::Number(_) | Cell::Date(_))) => Cow::Owned(c.display()),
        _ => return None,
    };
    (!v.is_empty()).then_some(v)
}

/// Reads and checks one row: everything about it that does not depend on
/// the rows before it (the texts' lengths, the customer and totals-row
/// checks, numbers, the date). Its first problem, in the order of the
/// checks, makes it skipped. `evidence` gathers how its date was written.
/// A row's values, or why it is skipped (boxed: rows are read a batch ahead,
/// and most are fine).
fn read_row(r: Reading<'_>, row: u64, cells: &[Cell<'_>], evidence: &mut DateEvidence) -> std::result::Result<RowValues, Box<RowProblem>> {
    let cols = r.cols;
    let cell = |i: usize| cells.get(i).cloned().unwrap_or(Cell::Empty);
    let err = |i: usize, reason: Msg| Box::new(RowProblem::new(row, cols.labels[i].clone(), cell(i).display(), reason));
    let text_at = |i: usize| -> std::result::Result<Option<Cow<'_, str>>, Box<RowProblem>> {
        let v = cell_text(cells, i);
        if let Some(v) = &v {
            if v.len() > MAX_TEXT_CHARS {
                let n = v.chars().count();
                if n > MAX_TEXT_CHARS {
                    return Err(err(i, crate::msg!("import.row.text_too_long", chars = n, max = MAX_TEXT_CHARS)));
                }
            }
        }
        Ok(v)
    };
    let text = |f: Field| match cols.get(f) {
        Some(i) => text_at(i),
        None => Ok(None),
    };
    let number = |f: Field| -> std::result::Result<Option<f64>, Box<RowProblem>> {
        let Some(i) = cols.get(f) else { return Ok(None) };
        match cell(i) {
            Cell::Empty => Ok(None),
            Cell::Number(n) => Ok(Some(n)),
            Cell::Date(_) => Err(err(i, crate::msg!("import.row.date_for_number"))),
            Cell::Text(t) => values::parse_number_with(values::unwrap_text_formula(t.trim()), r.decimal).map_err(|e| err(i, e.message())),
        }
    };
    // A row its status says is no sale: counted with its amount, not read further.
    let recipe = r.recipe;
    let excluded = recipe.status.iter().find_map(|&(i, reading)| {
        sources::status::classify(cell_text(cells, i).as_deref().unwrap_or(""), reading)
    });
    if let Some(why) = excluded.filter(|_| !r.keep_excluded) {
        let mut values = RowValues { excluded: Some(why), ..RowValues::default() };
        if let Ok(revenue) = line_revenue(&number) {
            (values.revenue, values.refunded) = (revenue.0, revenue.1);
        }
        return Ok(values);
    }

    let ext_id = text(Field::CustomerId)?;
    let name = text(Field::CustomerName)?;
    let customer_col = cols.get(Field::CustomerName).or(cols.get(Field::CustomerId)).unwrap_or(0);
    let display_name: &str = match (&name, &ext_id) {
        (Some(n), _) => n,
        (None, Some(id)) => id,
        (None, None) => {
            let totals = cells.iter().any(|c| matches!(c, Cell::Text(t) if is_total_row(t)));
            let reason = if totals { crate::msg!("import.row.totals") } else { crate::msg!("import.row.no_customer") };
            return Err(err(customer_col, reason));
        }
    };
    // A totals row names its customer too in some reports (金蝶's 客户小计:
    // the customer, then 小计 in the date or number column).
    let label = |i: usize| i != customer_col && Some(i) != cols.get(Field::Product) && Some(i) != cols.get(Field::Category);
    if is_total_row(display_name) || cells.iter().enumerate().any(|(i, c)| matches!(c, Cell::Text(t) if label(i) && is_total_row(t))) {
        return Err(err(customer_col, crate::msg!("import.row.totals")));
    }
    let (revenue, refunded, priced) = line_revenue(&number)?;
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
                Cell::Empty => return Err(err(i, crate::msg!("import.row.no_date"))),
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
            Some(parsed.map_err(|e| err(i, e.message()))?)
        }
    };
    if r.shape == Shape::SalesLedger && revenue.is_none() && profit.is_none() {
        let i = cols.get(Field::Revenue).or(cols.get(Field::Profit)).unwrap_or(customer_col);
        return Err(err(i, crate::msg!("import.row.no_amount")));
    }
    for f in [Field::OrderId, Field::Product, Field::Category, Field::Region, Field::Industry] {
        text(f)?;
    }
    for (i, _) in &cols.attributes {
        text_at(*i)?;
    }
    Ok(RowValues { revenue, cost, profit, quantity, orders, date, excluded, refunded, priced })
}

/// A line's revenue, and the refund taken off it: its revenue column's, or
/// unit price × quantity − discount (a quantity left empty is one); `priced`
/// when so.
fn line_revenue<E>(number: &impl Fn(Field) -> std::result::Result<Option<f64>, E>) -> std::result::Result<(Option<f64>, Option<f64>, bool), E> {
    let (mut revenue, mut priced) = (number(Field::Revenue)?, false);
    if revenue.is_none() {
        if let Some(price) = number(Field::UnitPrice)? {
            revenue = Some(price * number(Field::Quantity)?.unwrap_or(1.0) - number(Field::Discount)?.unwrap_or(0.0));
            priced = true;
        }
    }
    let refunded = number(Field::Refunded)?.filter(|r| *r != 0.0);
    if let (Some(r), Some(back)) = (revenue.as_mut(), refunded) {
        *r -= back.abs();
    }
    Ok((revenue, refunded, priced))
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
    /// Customer ids by raw (ID, name) spelling, with the latest (date, row)
    /// of the spelling; and a reusable key buffer.
    resolved: FxHashMap<Box<str>, (u32, Latest)>,
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
    /// The stored sales' lines this file's lines matched by sale
    /// ([`Matches::claim`]). With `reserved`, it starts with the stored
    /// lines this file's identical lines take (worked out by an earlier
    /// pass), so those are not taken by another line.
    matches: Matches,
    reserved: bool,
    /// The stored lines of sales this file's identical lines take, once the
    /// sales are read; and how many such lines came before.
    identical: Matches,
    unrecorded: u64,
    /// Add lines that match stored sales anyway.
    keep_duplicates: bool,
    /// Lines that matched a stored sale, and the imports those came from.
    duplicates: u64,
    duplicates_from: Vec<(u32, u64)>,
    /// Which customer ids have a line added.
    added: Vec<bool>,
    /// Rows left out by their status (rows, revenue), by [`Exclusion`].
    excluded: [(u64, f64); Exclusion::ALL.len()],
    /// Red-letter invoice lines, refunded lines and lines priced by unit
    /// price × quantity (rows, amount), for the preview's rules.
    red: (u64, f64),
    refunds: (u64, f64),
    priced: u64,
    /// Customers named otherwise on some rows with the same ID (a buyer that
    /// renamed itself): the name of their latest row wins.
    renamed: FxHashSet<u32>,
}

impl<'e> State<'e> {
    /// `rows` is about how many rows the file has (sizes the line table).
    /// `reserved`: the stored lines this file's identical lines take, from
    /// an earlier pass ([`State::again`]).
    fn fresh(
        existing: &'e Existing,
        shape: Shape,
        rows: usize,
        attributes: usize,
        keep_duplicates: bool,
        reserved: Option<&Matches>,
    ) -> State<'e> {
        let mut by_key = FxHashMap::with_capacity_and_hasher(existing.customers.len() * 2, Default::default());
        for c in &existing.customers {
            if let Some(id) = &c.ext_id {
                by_key.insert(customer_key(Some(id), &c.name), c.id);
            }
            by_key.entry(customer_key(None, &c.name)).or_insert(c.id);
            for former in &c.former_names {
                by_key.entry(customer_key(None, former)).or_insert(c.id);
            }
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
                Shape::SalesLedger if existing.has_lines() => FxHashSet::with_capacity_and_hasher(rows, Default::default()),
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
            matches: reserved.cloned().unwrap_or_default(),
            reserved: reserved.is_some(),
            keep_duplicates,
            duplicates: 0,
            duplicates_from: Vec::new(),
            identical: Matches::default(),
            unrecorded: 0,
            added: Vec::new(),
            excluded: [(0, 0.0); Exclusion::ALL.len()],
            red: (0, 0.0),
            refunds: (0, 0.0),
            priced: 0,
            renamed: FxHashSet::default(),
        }
    }

    /// Counts a row and, when it is valid, applies it; `read` is what
    /// [`read_row`] made of it.
    fn row(
        &mut self,
        row: u64,
        cells: &[Cell<'_>],
        cols: &Columns,
        recipe: &Recipe,
        keep_excluded: bool,
        read: std::result::Result<RowValues, Box<RowProblem>>,
    ) {
        match read {
            Ok(values) => {
                if let Some(why) = values.excluded {
                    let e = &mut self.excluded[why as usize];
                    e.0 += 1;
                    // What the order was worth: a refunded one's refund is not taken off.
                    e.1 += values.revenue.map_or(0.0, |r| r + values.refunded.map_or(0.0, f64::abs));
                    if !keep_excluded {
                        return;
                    }
                }
                self.apply_row(cells, cols, recipe, row, values);
                self.valid_rows += 1;
            }
            Err(p) => {
                self.skipped += 1;
                self.totals_rows += u64::from(p.message.key == TOTALS_ROW);
                if self.errors.len() < MAX_LISTED_PROBLEMS {
                    self.errors.push(*p);
                }
            }
        }
    }

    /// Applies a valid row (checked by [`read_row`]): its customer, its
    /// details and its line. Its texts are taken from the cells again.
    fn apply_row(&mut self, cells: &[Cell<'_>], cols: &Columns, recipe: &Recipe, row: u64, values: RowValues) {
        let RowValues { revenue, cost, profit, quantity, orders, date, refunded, priced, .. } = values;
        let text = |f: Field| cols.get(f).and_then(|i| cell_text(cells, i));
        let ext_id = text(Field::CustomerId);
        let name = text(Field::CustomerName);
        let display_name: &str = name.as_deref().or(ext_id.as_deref()).expect("a valid row names its customer");
        let mut order_id = text(Field::OrderId);
        if let (None, Some((code, number))) = (&order_id, recipe.invoice_parts) {
            order_id = match (cell_text(cells, code), cell_text(cells, number)) {
                (Some(c), Some(n)) => Some(Cow::Owned(format!("{c}-{n}"))),
                (_, n) => n,
            };
        }
        let mut product = text(Field::Product);
        let mut category = text(Field::Category);
        if recipe.category_prefix && category.is_none() {
            if let Some((c, p)) = product.as_deref().and_then(sources::split_category) {
                let (c, p) = (c.to_string(), p.to_string());
                category = Some(Cow::Owned(c));
                product = (!p.is_empty()).then_some(Cow::Owned(p));
            }
        }
        if let Some(flag) = recipe.red_flag {
            if cell_text(cells, flag).is_some_and(|t| t == "否") || revenue.is_some_and(|r| r < 0.0) {
                self.red.0 += 1;
                self.red.1 += revenue.unwrap_or(0.0);
            }
        }
        if let Some(back) = refunded {
            self.refunds.0 += 1;
            self.refunds.1 += back.abs();
        }
        self.priced += u64::from(priced);
        let region = text(Field::Region);
        let industry = text(Field::Industry);
        let attributes =
            cols.attributes.iter().enumerate().filter_map(|(k, (i, header))| cell_text(cells, *i).map(|v| (k, header, v)));

        // The row is valid: apply it. Details change only when they differ,
        // so the common case (the same customer again) copies nothing.
        let id = self.resolve_customer(row, date, ext_id.as_deref(), name.as_deref(), display_name);
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
                let add = !self.existing.has_lines()
                    || (self.is_new(&line) && (!self.matches_stored_sale(&line) || self.keep_duplicates));
                if add {
                    self.lines.push(&line);
                    if self.existing.with_order > 0 {
                        let i = id as usize;
                        if i >= self.added.len() {
                            self.added.resize(i + 1, false);
                        }
                        self.added[i] = true;
                    }
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
        if !self.existing.fingerprints.contains(&content.wrapping_add(u128::from(n).wrapping_mul(OCCURRENCE_STEP))) {
            return true;
        }
        // Stored: it takes a stored line of its sale, if it has one.
        let existing = self.existing;
        if line.order_id.is_some() && !self.reserved {
            match existing.sales.get() {
                Some(sales) => {
                    if let Some(i) = sales.find(line) {
                        self.identical.take(sales, i, product_class(line.product));
                    }
                }
                None => self.unrecorded += 1,
            }
        }
        false
    }

    /// Whether `line`, not stored itself, is a line of a sale an earlier
    /// import stored, written differently (another spelling of the
    /// customer, an amount rounded to the cent): the same order number, date
    /// and amount to the cent, and product when both have one. The stored
    /// line it matches is not matched again ([`Matches::claim`]).
    fn matches_stored_sale(&mut self, line: &LineRef<'_>) -> bool {
        let existing = self.existing;
        if line.order_id.is_none() || !existing.may_have_sale_on(line.date) {
            return false;
        }
        let sales = existing.sales();
        let Some(sale) = sales.find(line) else { return false };
        if !self.matches.claim(sales, sale, product_class(line.product)) {
            return false;
        }
        self.duplicates += 1;
        let import = sales.sales[sale as usize].import;
        match self.duplicates_from.iter_mut().find(|(i, _)| *i == import) {
            Some((_, n)) => *n += 1,
            None => self.duplicates_from.push((import, 1)),
        }
        true
    }

    /// After a pass: whether it runs again. Lines that matched stored sales
    /// by order, date and amount, and lines identical to stored lines of
    /// those sales, must not have taken the same stored lines (a file
    /// holding a stored line both as it was and written differently).
    /// `Some(None)`: identical lines came before the sales were read — run
    /// again to see them all; `Some(Some(identical))`: they took the same —
    /// run again with the stored lines the identical lines take reserved.
    fn again(&self) -> Option<Option<Matches>> {
        if self.reserved || self.duplicates == 0 {
            return None;
        }
        if self.unrecorded > 0 {
            return Some(None);
        }
        let sales = self.existing.sales.get()?;
        self.matches.overbooked_with(sales, &self.identical).then(|| Some(self.identical.clone()))
    }

    /// The earlier imports the matched sales came from, most lines first.
    fn duplicate_sources(&self) -> Vec<DuplicateSource> {
        let mut from: Vec<DuplicateSource> = self
            .duplicates_from
            .iter()
            .map(|&(import, lines)| DuplicateSource {
                import,
                file_name: self.existing.import_names.get(&import).cloned().unwrap_or_else(|| format!("import #{import}")),
                lines,
            })
            .collect();
        from.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.import.cmp(&b.import)));
        from
    }

    /// The customer a row belongs to, creating it when new. A known ID with
    /// another name is reported once, and the stored name kept.
    fn resolve_customer(&mut self, row: u64, date: Option<NaiveDate>, ext_id: Option<&str>, name: Option<&str>, display: &str) -> u32 {
        // Most rows repeat a customer seen a moment ago, spelled the same:
        // look the raw spelling up before normalizing anything.
        let mut raw = std::mem::take(&mut self.raw_key);
        raw.clear();
        raw.push_str(ext_id.unwrap_or(""));
        raw.push('\u{1f}');
        raw.push_str(display);
        let latest = (date.map_or(i32::MIN, |d| d.num_days_from_ce()), row);
        let id = match self.resolved.get_mut(raw.as_str()) {
            Some((id, seen)) => {
                *seen = latest.max(*seen);
                *id
            }
            None => {
                let id = self.resolve_new_spelling(row, ext_id, name, display);
                self.resolved.insert(raw.as_str().into(), (id, latest));
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
                                former_names: Vec::new(),
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
            if differs {
                self.renamed.insert(id);
                if self.warned_names.insert(id) {
                    let before = customer.name.clone();
                    let why = crate::msg!("import.row.renamed", id = quoted(ext), name = quoted(&before));
                    self.warnings.push(RowProblem::new(row, String::new(), name.to_string(), why));
                }
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
        self.rename();
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
        // A customer first named by lines that all match stored sales (the
        // same sales under another spelling) is not added: it would have none.
        let ghosts = self.shape == Shape::SalesLedger && self.duplicates > 0 && !self.keep_duplicates;
        let added = std::mem::take(&mut self.added);
        let (mut new, mut changed) = (0, 0);
        let mut upserts: Vec<Customer> = self
            .touched
            .drain()
            .map(|(_, c)| c)
            .filter(|c| match self.existing_by_id.get(&c.id) {
                None if ghosts && !added.get(c.id as usize).copied().unwrap_or(false) => false,
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

/// When a spelling of a customer was last seen: the latest date of its rows
/// (`i32::MIN` for none), then the last row.
type Latest = (i32, u64);

impl State<'_> {
    /// Customers named otherwise on some rows with the same ID take the
    /// name of their latest row; the others (and the name stored before)
    /// are kept as former names.
    fn rename(&mut self) {
        if self.renamed.is_empty() {
            return;
        }
        let mut spellings: FxHashMap<u32, Vec<(&str, Latest)>> = FxHashMap::default();
        for (raw, &(id, latest)) in &self.resolved {
            if self.renamed.contains(&id) {
                let display = raw.split_once('\u{1f}').map_or(&**raw, |(_, d)| d);
                spellings.entry(id).or_default().push((display, latest));
            }
        }
        for (id, mut names) in spellings {
            let Some(c) = self.touched.get_mut(&id) else { continue };
            names.sort_by_key(|&(name, latest)| (latest, std::cmp::Reverse(name)));
            let Some(&(newest, _)) = names.last() else { continue };
            let mut former = std::mem::take(&mut c.former_names);
            former.push(std::mem::replace(&mut c.name, newest.to_string()));
            former.extend(names.iter().map(|(n, _)| n.to_string()));
            let mut seen = FxHashSet::default();
            seen.insert(normalize_name(newest));
            former.retain(|n| seen.insert(normalize_name(n)));
            c.former_names = former;
        }
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

/// What makes a line the same sale in another file: its order number, date
/// and amount to the cent (revenue, else profit), hashed; `None` without an
/// order number or an amount. The hash is SipHash-1-3 (std's, with fixed
/// keys): never stored, only compared within one plan, and cheaper than
/// BLAKE3 on a few bytes; between a million stored sales and a million
/// lines, two keys are the same by chance about once in 10^7 such plans.
fn sale_key(l: &LineRef<'_>) -> Option<u64> {
    let order = l.order_id.filter(|o| !o.is_empty())?;
    let (kind, amount) = match (l.revenue, l.profit) {
        (Some(r), _) => (1u8, r),
        (None, Some(p)) => (2, p),
        (None, None) => return None,
    };
    let cents = cents(amount)?;
    let mut h = std::hash::DefaultHasher::new();
    // UTF-8 never holds 0xFF: the order number ends there.
    h.write(order.as_bytes());
    h.write_u8(0xFF);
    h.write_i32(l.date.map_or(i32::MIN, |d| d.num_days_from_ce()));
    h.write_i64(cents);
    h.write_u8(kind);
    Some(h.finish())
}

/// An amount in whole cents, as a spreadsheet shows it rounded: a half
/// cent that binary puts just below (1.005 is 1.00499…) rounds up.
fn cents(v: f64) -> Option<i64> {
    let c = v * 100.0;
    if !c.is_finite() || c.abs() >= 9.0e15 {
        return None;
    }
    Some((c + c.signum() * c.abs().max(1.0) * 1e-12).round() as i64)
}

/// A product as the sale matching compares it (a hash: only products of one
/// sale are compared); [`BARE`] for none.
fn product_class(product: Option<&str>) -> u32 {
    match product {
        None | Some("") => BARE,
        Some(p) => ((FxBuildHasher.hash_one(p) >> 32) as u32).clamp(BARE + 1, MIXED - 1),
    }
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

mod rules;
use rules::{avoid_constant_customer, check_not_purchases, rules};

#[cfg(test)]
mod tests;
