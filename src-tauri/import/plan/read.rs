//! Reading one row: its texts, amounts and date, read and checked apart from
//! the rows before it (so on the tokenizing thread), and the evidence rows
//! give for the file's day/month order.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::{Columns, RowProblem, MAX_TEXT_CHARS};
use crate::i18n::Msg;
use crate::import::mapping::Field;
use crate::import::sources::layout::is_total_row;
use crate::import::sources::{self, Exclusion, Recipe};
use crate::import::table::Cell;
use crate::import::values::{self, DayOrder};
use crate::model::Shape;

/// Evidence, over the whole file, for the order of a/b/yyyy dates.
#[derive(Default)]
pub(super) struct DateEvidence {
    day_first: bool,
    month_first: bool,
    /// Some a/b/yyyy date had both parts ≤ 12.
    pub(super) ambiguous: bool,
    /// Some date was written a/b/yyyy at all.
    pub(super) seen: bool,
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
    pub(super) fn merge(&mut self, other: &DateEvidence) {
        self.day_first |= other.day_first;
        self.month_first |= other.month_first;
        self.ambiguous |= other.ambiguous;
        self.seen |= other.seen;
    }

    pub(super) fn decide(&self) -> std::result::Result<Option<DayOrder>, Msg> {
        match (self.day_first, self.month_first) {
            (true, true) => Err(crate::msg!("import.plan.mixed_date_order")),
            (true, false) => Ok(Some(DayOrder::DayFirst)),
            (false, true) => Ok(Some(DayOrder::MonthFirst)),
            (false, false) => Ok(None),
        }
    }
}

/// The two leading numbers of an `a/b/yyyy`, `a-b-yyyy` or `a.b.yyyy` date.
pub(super) fn day_month_parts(text: &str) -> Option<(u32, u32)> {
    let t = text.trim();
    let mut parts = t.split(['/', '-', '.']);
    let a = parts.next()?;
    let b = parts.next()?;
    let rest = parts.next()?;
    let year_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let short = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    (short(a) && short(b) && year_digits == 4).then(|| (a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
}

/// How rows are read: what a row holds depends on these and the row alone,
/// so rows can be read on another thread than the one that applies them.
#[derive(Clone, Copy)]
pub(super) struct Reading<'c> {
    pub(super) cols: &'c Columns,
    pub(super) shape: Shape,
    /// The file's decimal mark.
    pub(super) decimal: values::Mark,
    pub(super) order: DayOrder,
    pub(super) recipe: &'c Recipe,
    /// Rows whose status says they are no sale are read all the same.
    pub(super) keep_excluded: bool,
}

/// A row's amounts and date, read and checked by [`read_row`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct RowValues {
    pub(super) revenue: Option<f64>,
    pub(super) cost: Option<f64>,
    /// Read, or revenue minus cost.
    pub(super) profit: Option<f64>,
    pub(super) quantity: Option<f64>,
    pub(super) orders: Option<f64>,
    pub(super) date: Option<NaiveDate>,
    /// Why the row is no sale, by its status.
    pub(super) excluded: Option<Exclusion>,
    /// Taken off the revenue (a refund).
    pub(super) refunded: Option<f64>,
    /// The revenue is unit price × quantity − discount.
    pub(super) priced: bool,
}

/// A cell's text, trimmed and borrowed from the row; `None` when empty.
#[inline]
pub(super) fn cell_text<'c>(cells: &[Cell<'c>], i: usize) -> Option<Cow<'c, str>> {
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
pub(super) fn read_row(r: Reading<'_>, row: u64, cells: &[Cell<'_>], evidence: &mut DateEvidence) -> std::result::Result<RowValues, Box<RowProblem>> {
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
