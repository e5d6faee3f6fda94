//! The checks of a file as a whole: repeated headers, the decimal mark its
//! amounts show, values outside the table, and the likely misreadings the
//! preview warns of ([`CheckCode`]).

use std::collections::HashMap;

use super::{CheckCode, Columns, FileCheck, State, TOTALS_ROW};
use crate::i18n::Msg;
use crate::import::mapping::Field;
use crate::import::table::{column_label, column_letter, quoted, Body, Cell, Rows, Source};
use crate::import::values;
use crate::model::{Customer, Shape};
use crate::Result;

/// Values outside the table (right of the header's columns) in a workbook:
/// how many, and the first cells.
#[derive(Default)]
pub(super) struct Outside {
    count: u64,
    first: Vec<(u64, u32)>,
}

/// Cells named in the check of values outside the table.
const OUTSIDE_LISTED: usize = 3;

impl Outside {
    /// Counts a value; the first cells (by row, then column) are kept.
    pub(super) fn add(&mut self, row: u64, col: u32) {
        self.count += 1;
        if self.first.len() < OUTSIDE_LISTED {
            self.first.push((row, col));
        } else if let Some(last) = self.first.iter_mut().max().filter(|last| (row, col) < **last) {
            *last = (row, col);
        }
    }

    pub(super) fn check(mut self, rows: u64) -> Option<FileCheck> {
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
pub(super) fn detect_decimal_mark(source: Rows<'_>, header_row: u64, columns: &Columns) -> Result<(values::Mark, bool)> {
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
pub(super) fn file_checks(
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

pub(super) fn check_duplicate_headers(headers: &[String]) -> std::result::Result<(), Msg> {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = crate::import::mapping::normalize_header(h);
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
