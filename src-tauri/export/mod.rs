//! Tables for other programs: CSV (UTF-8 with BOM) or XLSX, with formula-like
//! text neutralised. The ranked customer table (rank, customer, value,
//! share, cumulative share, class) is here; the customers, key accounts and
//! contacts tables are in [`tables`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::concentration::{classes, cumulative, rank, Class};
use crate::analysis::{Dataset, Filter, Measure, Thresholds};
use crate::i18n;
use crate::model::Lang;
use crate::{Error, Result};

pub mod tables;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    Csv,
    Xlsx,
}

impl TableFormat {
    pub fn from_path(path: &std::path::Path) -> Option<TableFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(TableFormat::Csv),
            "xlsx" => Some(TableFormat::Xlsx),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankRow {
    pub rank: usize,
    pub customer: String,
    pub value: f64,
    /// `None` when the total is not positive.
    pub share: Option<f64>,
    pub cumulative: Option<f64>,
    pub class: Class,
}

pub fn ranking(data: &Dataset, measure: Measure, filter: &Filter) -> Vec<RankRow> {
    let mut v = data.values(measure, filter);
    rank(&mut v);
    let cum = cumulative(&v);
    let total = cum.last().copied().unwrap_or(0.0);
    let cls = classes(&v, &cum, total, Thresholds::default());
    let share = |x: f64| (total > 0.0).then(|| x / total);
    v.iter()
        .enumerate()
        .map(|(i, c)| RankRow { rank: i + 1, customer: c.name.clone(), value: c.value, share: share(c.value), cumulative: share(cum[i]), class: cls[i] })
        .collect()
}

/// The ranking as a table, headers in `lang`.
pub fn ranking_table(rows: &[RankRow], lang: Lang) -> Table {
    let headers = ["rank", "customer", "value", "share", "cumulative", "class"].iter().map(|k| i18n::text(lang, &format!("ranking.{k}"))).collect();
    let pct = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Percent);
    Table {
        headers,
        rows: rows
            .iter()
            .map(|r| {
                vec![Cell::Number(r.rank as f64), Cell::Text(r.customer.clone()), Cell::Money(r.value), pct(r.share), pct(r.cumulative), Cell::Text(class_letter(r.class).into())]
            })
            .collect(),
    }
}

pub fn class_letter(c: Class) -> &'static str {
    match c {
        Class::A => "A",
        Class::B => "B",
        Class::C => "C",
    }
}

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// Money, two decimals.
    Money(f64),
    /// A fraction shown as a percentage.
    Percent(f64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// Text, or an empty cell for `None`.
    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }
}

/// A table to export: translated headers and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The columns among `keys` (this table's columns, by key) that
    /// `wanted` names, in this table's order; unknown keys are ignored.
    pub fn only(self, keys: &[&str], wanted: &[String]) -> Table {
        let keep: Vec<usize> = keys.iter().enumerate().filter(|(_, k)| wanted.iter().any(|w| w == *k)).map(|(i, _)| i).collect();
        fn pick<T>(items: Vec<T>, keep: &[usize]) -> Vec<T> {
            let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
            keep.iter().filter_map(|&i| items.get_mut(i).and_then(Option::take)).collect()
        }
        Table { headers: pick(self.headers, &keep), rows: self.rows.into_iter().map(|r| pick(r, &keep)).collect() }
    }

    pub fn write(&self, format: TableFormat) -> Result<Vec<u8>> {
        match format {
            TableFormat::Csv => Ok(self.to_csv()),
            TableFormat::Xlsx => self.to_xlsx(),
        }
    }

    /// UTF-8 with a BOM, so Excel opens Chinese names correctly. Text that a
    /// spreadsheet would run as a formula gets a leading apostrophe; numbers
    /// (negative ones too) stay numbers.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(|c| match c {
                Cell::Text(t) => crate::import::defuse(t),
                Cell::Number(v) => format!("{v}"),
                Cell::Money(v) => format!("{v:.2}"),
                Cell::Percent(v) => format!("{v:.6}"),
                Cell::Empty => String::new(),
            }));
        }
        w.into_inner().unwrap_or_default()
    }

    /// Text is stored as text (never a formula; formula-like text is also
    /// marked with Excel's quote prefix); numbers as numbers.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| Error::Output(format!("the workbook could not be written: {e}"));
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let bold = Format::new().set_bold();
        let money = Format::new().set_num_format("#,##0.00");
        let pct = Format::new().set_num_format("0.0%");
        let quoted = Format::new().set_quote_prefix();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for (c, h) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(t) if crate::import::defuse(t) != *t => sheet.write_string_with_format(r, col, t, &quoted).map(|_| ()),
                    Cell::Text(t) => sheet.write_string(r, col, t).map(|_| ()),
                    Cell::Number(v) => sheet.write_number(r, col, *v).map(|_| ()),
                    Cell::Money(v) => sheet.write_number_with_format(r, col, *v, &money).map(|_| ()),
                    Cell::Percent(v) => sheet.write_number_with_format(r, col, *v, &pct).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(err)?;
                if let (Cell::Text(t), Some(w)) = (cell, widths.get_mut(c)) {
                    *w = (*w).max(t.chars().count());
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w as f64 * 1.6 + 2.0).clamp(8.0, 60.0)).map_err(err)?;
        }
        book.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<RankRow> {
        vec![
            RankRow { rank: 1, customer: "华东钢铁".into(), value: 75000.0, share: Some(0.9375), cumulative: Some(0.9375), class: Class::A },
            RankRow { rank: 2, customer: "=HYPERLINK(\"x\")".into(), value: -5000.0, share: Some(-0.0625), cumulative: Some(0.875), class: Class::C },
        ]
    }

    #[test]
    fn csv_has_a_bom_translated_headers_and_defused_names() {
        let bytes = ranking_table(&rows(), Lang::ZhCn).to_csv();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), "排名,客户,数值,占比,累计占比,分类");
        assert_eq!(lines.next().unwrap(), "1,华东钢铁,75000.00,0.937500,0.937500,A");
        assert!(lines.next().unwrap().starts_with("2,\"'=HYPERLINK"));
    }

    #[test]
    fn xlsx_round_trips_through_calamine() {
        use calamine::{Data, Reader};
        let bytes = ranking_table(&rows(), Lang::En).to_xlsx().unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("Customer".into())));
        assert_eq!(range.get((1, 2)), Some(&Data::Float(75000.0)));
        assert_eq!(range.get((2, 1)), Some(&Data::String("=HYPERLINK(\"x\")".into())), "stored as text");
        assert_eq!(range.get((2, 5)), Some(&Data::String("C".into())));
    }

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_stay_numbers() {
        use calamine::{Data, Reader};
        let table = Table {
            headers: vec!["a".into(), "b".into()],
            rows: vec![
                vec![Cell::text("=1+1"), Cell::Number(-5.0)],
                vec![Cell::text("-2+3"), Cell::Money(-5000.0)],
                vec![Cell::text("@SUM(A1)"), Cell::Percent(-0.25)],
                vec![Cell::text("\tx"), Cell::Empty],
                vec![Cell::text("+86 138 0000 0000"), Cell::text("-12.5")],
                vec![Cell::text("王伟"), Cell::text("\rx")],
            ],
        };
        let csv = String::from_utf8(table.to_csv()[3..].to_vec()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "'=1+1,-5");
        assert_eq!(lines[2], "'-2+3,-5000.00");
        assert_eq!(lines[3], "'@SUM(A1),-0.250000");
        assert_eq!(lines[4], "'\tx,");
        assert_eq!(lines[5], "'+86 138 0000 0000,-12.5", "a negative number as text is still a number, not a formula");
        assert!(csv.contains("王伟,'\rx") || csv.contains("王伟,\"'\rx\""), "{csv}");
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(table.to_xlsx().unwrap())).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get((1, 0)), Some(&Data::String("=1+1".into())), "text, never a formula");
        assert_eq!(range.get((1, 1)), Some(&Data::Float(-5.0)));
        assert_eq!(range.get((2, 1)), Some(&Data::Float(-5000.0)));
        assert_eq!(range.get((3, 1)), Some(&Data::Float(-0.25)));
    }
}
