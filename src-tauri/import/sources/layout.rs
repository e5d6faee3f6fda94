//! Layouts that are not one sale per row, flattened before the rows are
//! read: a customer (or product) named on a row of its own above its lines
//! and totalled below them (QuickBooks reports, 金蝶/用友 明细表 with
//! 小计 rows); order fields given on an order's first row only (Shopify);
//! a name taken from a second column where the first is empty.
//!
//! A flattened file keeps its rows' numbers, so every message still points
//! at the row the owner sees in the file.

use super::HeadRows;
use crate::import::mapping::{fold_width, Field};
use crate::import::table::{Cell, LaidRows, Source};
use crate::import::workbook::OwnedCell;
use crate::import::ImportError;

/// How a file's rows are rearranged before they are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The column that names a group on a row of its own; its lines get the
    /// name, the group rows and the group's totals rows are left out.
    pub groups: Option<usize>,
    /// An order's column, and the columns an order's first row gives its
    /// other rows where they are empty.
    pub fill: Option<(usize, Vec<usize>)>,
    /// A column filled, where empty, from the first of other columns that is not.
    pub coalesce: Vec<(usize, Vec<usize>)>,
}

/// What flattening did, for the preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flattened {
    /// Group rows whose name went to lines below them.
    pub groups: u64,
    /// Totals rows of groups, and of the whole report, left out.
    pub totals: u64,
    /// Cells filled from an order's first row.
    pub filled: u64,
}

impl Layout {
    pub fn is_empty(&self) -> bool {
        self.groups.is_none() && self.fill.is_none() && self.coalesce.is_empty()
    }

    /// The rows of `source` as this layout rearranges them. Rows up to the
    /// header are kept as they are.
    pub fn apply(&self, source: &Source, header_row: u64) -> Result<(LaidRows, Flattened), ImportError> {
        let mut out: LaidRows = Vec::with_capacity(source.rows_hint());
        let mut done = Flattened::default();
        let mut group: Option<(String, bool)> = None;
        let mut order: Option<(String, Vec<OwnedCell>)> = None;
        source.for_each_row(|row, cells| {
            let mut owned: Vec<OwnedCell> = cells.iter().map(owned_cell).collect();
            if row <= header_row {
                out.push((row, owned));
                return true;
            }
            let filled: Vec<usize> = (0..owned.len()).filter(|&i| !is_blank(&owned[i])).collect();
            if filled.is_empty() {
                return true;
            }
            if let Some(g) = self.groups {
                let label = text(&owned, g).map(str::to_string);
                match label {
                    Some(name) if is_total_row(&name) => {
                        done.totals += 1;
                        return true;
                    }
                    Some(name) if filled.len() == 1 => {
                        group = Some((name, false));
                        return true;
                    }
                    Some(_) => {}
                    None => {
                        if let Some((name, used)) = &mut group {
                            set(&mut owned, g, OwnedCell::Text(name.clone()));
                            if !std::mem::replace(used, true) {
                                done.groups += 1;
                            }
                        }
                    }
                }
            }
            if let Some((at, columns)) = &self.fill {
                let id = text(&owned, *at).unwrap_or_default().to_string();
                match &order {
                    Some((current, first)) if *current == id && !id.is_empty() => {
                        for (k, &c) in columns.iter().enumerate() {
                            if text(&owned, c).is_none() && !is_blank(&first[k]) {
                                set(&mut owned, c, first[k].clone());
                                done.filled += 1;
                            }
                        }
                    }
                    _ => {
                        let first = columns.iter().map(|&c| owned.get(c).cloned().unwrap_or(OwnedCell::Text(String::new()))).collect();
                        order = Some((id, first));
                    }
                }
            }
            for (target, from) in &self.coalesce {
                if text(&owned, *target).is_none() {
                    if let Some(v) = from.iter().find_map(|&c| text(&owned, c).map(str::to_string)) {
                        set(&mut owned, *target, OwnedCell::Text(v));
                    }
                }
            }
            out.push((row, owned));
            true
        })?;
        Ok((out, done))
    }
}

fn owned_cell(c: &Cell<'_>) -> OwnedCell {
    match c {
        Cell::Empty => OwnedCell::Text(String::new()),
        Cell::Text(t) => OwnedCell::Text(t.to_string()),
        Cell::Number(n) => OwnedCell::Number(*n),
        Cell::Date(d) => OwnedCell::Date(*d),
    }
}

fn is_blank(c: &OwnedCell) -> bool {
    matches!(c, OwnedCell::Text(t) if t.trim().is_empty())
}

/// A cell's text, trimmed, when it is text and not empty.
fn text(cells: &[OwnedCell], i: usize) -> Option<&str> {
    match cells.get(i) {
        Some(OwnedCell::Text(t)) if !t.trim().is_empty() => Some(t.trim()),
        _ => None,
    }
}

fn set(cells: &mut Vec<OwnedCell>, i: usize, value: OwnedCell) {
    if cells.len() <= i {
        cells.resize(i + 1, OwnedCell::Text(String::new()));
    }
    cells[i] = value;
}

/// Whether a label names a totals row that exports put below their lines:
/// 合计, 小计, 总计, Total, Grand Total, Subtotal, Sum, and "Total for …"
/// (QuickBooks' group totals), in any width or case. Importing one would
/// count its lines twice.
pub fn is_total_row(name: &str) -> bool {
    // Every total word starts with 合, 总, 小, t, g or s (in any width or
    // case): anything else is decided without allocating.
    let name = name.trim_start();
    let first = name.chars().next().unwrap_or(' ');
    let short_chinese = name.len() <= 18 && (name.contains("计"));
    if !short_chinese && !matches!(first, '合' | '总' | '小' | 't' | 'T' | 'ｔ' | 'Ｔ' | 'g' | 'G' | 'ｇ' | 'Ｇ' | 's' | 'S' | 'ｓ' | 'Ｓ') {
        return false;
    }
    if name.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("total for ")) {
        return true;
    }
    if name.len() > 40 {
        return false;
    }
    let n: String = fold_width(name).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let n = n.trim_end_matches([':', '：']);
    // 客户小计, 本页合计: a short label ending in a total word.
    let labelled = n.chars().count() <= 6 && ["小计", "合计", "总计"].iter().any(|w| n.ends_with(w));
    labelled || n.starts_with("totalfor") || matches!(n, "合计" | "总计" | "小计" | "总合计" | "total" | "totals" | "grandtotal" | "subtotal" | "sum")
}

/// The column that names groups on rows of their own among the first data
/// rows, and the field it gives the lines: a customer column filled only on
/// such rows; else, without a customer column, an unmapped one (it names
/// the customer); else, without a product column, one naming the product
/// (QuickBooks' Sales by Product/Service Detail).
pub fn group_column(headers: &[String], mapping: &[Option<Field>], rows: HeadRows<'_>) -> Option<(usize, Field)> {
    let mapped = |f: Field| mapping.iter().position(|m| *m == Some(f));
    for f in [Field::CustomerName, Field::CustomerId] {
        if let Some(c) = mapped(f).filter(|&c| groups_in(c, rows)) {
            return Some((c, f));
        }
    }
    let field = if mapped(Field::CustomerName).is_none() && mapped(Field::CustomerId).is_none() {
        Field::CustomerName
    } else if mapped(Field::Product).is_none() {
        Field::Product
    } else {
        return None;
    };
    (0..headers.len()).filter(|&c| mapping.get(c).copied().flatten().is_none()).find(|&c| groups_in(c, rows)).map(|c| (c, field))
}

/// Whether column `c` is filled only on rows of its own (group rows, and
/// totals rows), with lines below some of them.
fn groups_in(c: usize, rows: HeadRows<'_>) -> bool {
    let (mut groups, mut lines) = (0, 0);
    let mut in_group = false;
    for (_, cells) in rows {
        let filled: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].trim().is_empty()).collect();
        let here = cells.get(c).map(|v| v.trim()).unwrap_or("");
        if filled.len() == 1 && filled[0] == c {
            if !is_total_row(here) {
                groups += 1;
                in_group = true;
            }
        } else if here.is_empty() {
            lines += u32::from(in_group && !filled.is_empty());
        } else if !is_total_row(here) {
            return false;
        }
    }
    groups >= 1 && lines >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[&[&str]]) -> Vec<(u64, Vec<String>)> {
        rows.iter().enumerate().map(|(i, r)| (i as u64 + 2, r.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn totals_rows_in_both_languages() {
        for t in ["合计", "小计", "总计", "Total", "TOTAL", "Grand Total", "Total for Amy's Bird Sanctuary", "ＴＯＴＡＬ", "客户小计", "本页合计：", "小计:"] {
            assert!(is_total_row(t), "{t}");
        }
        for t in ["Totally Fresh Ltd", "Amy's Bird Sanctuary", "小米科技", "合肥百货", "计算机", "上海统计咨询有限公司"] {
            assert!(!is_total_row(t), "{t}");
        }
    }

    #[test]
    fn a_customer_named_above_its_lines_is_a_group() {
        let headers: Vec<String> = ["", "Date", "Num", "Amount"].iter().map(|s| s.to_string()).collect();
        let mapping = vec![None, Some(Field::Date), Some(Field::OrderId), Some(Field::Revenue)];
        let head = rows(&[
            &["Amy's Bird Sanctuary", "", "", ""],
            &["", "01/05/2025", "1001", "100.00"],
            &["", "01/09/2025", "1002", "50.00"],
            &["Total for Amy's Bird Sanctuary", "", "", "150.00"],
            &["Bill's Windsurf Shop", "", "", ""],
            &["", "02/01/2025", "1003", "80.00"],
            &["TOTAL", "", "", "230.00"],
        ]);
        assert_eq!(group_column(&headers, &mapping, &head), Some((0, Field::CustomerName)));
        // With a customer column, groups name products.
        let mapping = vec![None, Some(Field::Date), Some(Field::CustomerName), Some(Field::Revenue)];
        assert_eq!(group_column(&headers, &mapping, &head), Some((0, Field::Product)));
    }

    #[test]
    fn a_plain_table_has_no_groups() {
        let headers: Vec<String> = ["客户", "金额"].iter().map(|s| s.to_string()).collect();
        let mapping = vec![Some(Field::CustomerName), Some(Field::Revenue)];
        let head = rows(&[&["甲", "1"], &["乙", "2"], &["合计", "3"]]);
        assert_eq!(group_column(&headers, &mapping, &head), None);
        // A customer column filled only on group rows (a 明细表 with 小计 rows).
        let head = rows(&[&["甲", ""], &["", "1"], &["", "2"], &["小计", "3"], &["乙", ""], &["", "4"]]);
        assert_eq!(group_column(&headers, &mapping, &head), Some((0, Field::CustomerName)));
    }
}
