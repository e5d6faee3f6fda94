//! What the user sees before committing: the preview of an import
//! ([`ImportPreview`]) with its columns, file checks, rules and skipped rows,
//! and how a row's problem is said.

use serde::Serialize;
use ts_rs::TS;

use crate::i18n::{Arg, Msg};
use crate::import::mapping::Field;
use crate::import::remembered::RememberedMapping;
use crate::import::sources::{Exclusion, SourceKind};
use crate::import::table::quoted;
use crate::import::text::Delimiter;
use crate::import::{DateOrder, DecimalMark, TextEncoding};
use crate::model::Shape;

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
    pub(super) fn new(message: Msg) -> ImportRule {
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
