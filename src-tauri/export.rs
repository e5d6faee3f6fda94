//! The ranked customer table (rank, customer, value, share, cumulative
//! share, class) for meetings, as CSV or XLSX.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::concentration::{classes, cumulative, rank, Class};
use crate::analysis::{Dataset, Filter, Measure, Thresholds};
use crate::i18n;
use crate::model::Lang;
use crate::{Error, Result};

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

fn headers(lang: Lang) -> Vec<String> {
    ["rank", "customer", "value", "share", "cumulative", "class"].iter().map(|k| i18n::text(lang, &format!("ranking.{k}"))).collect()
}

fn class_letter(c: Class) -> &'static str {
    match c {
        Class::A => "A",
        Class::B => "B",
        Class::C => "C",
    }
}

/// UTF-8 with a BOM, so Excel opens Chinese names correctly. Names that a
/// spreadsheet would run as formulas are written as text.
pub fn to_csv(rows: &[RankRow], lang: Lang) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(headers(lang));
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6}"));
    for r in rows {
        let _ = w.write_record([
            r.rank.to_string(),
            crate::import::defuse(&r.customer),
            format!("{:.2}", r.value),
            opt(r.share),
            opt(r.cumulative),
            class_letter(r.class).to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

pub fn to_xlsx(rows: &[RankRow], lang: Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Output(format!("the workbook could not be written: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let pct = Format::new().set_num_format("0.0%");
    for (c, h) in headers(lang).iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, r.rank as f64).map_err(err)?;
        // Strings are stored as text: never a formula.
        sheet.write_string(row, 1, &r.customer).map_err(err)?;
        sheet.write_number_with_format(row, 2, r.value, &money).map_err(err)?;
        if let Some(s) = r.share {
            sheet.write_number_with_format(row, 3, s, &pct).map_err(err)?;
        }
        if let Some(s) = r.cumulative {
            sheet.write_number_with_format(row, 4, s, &pct).map_err(err)?;
        }
        sheet.write_string(row, 5, class_letter(r.class)).map_err(err)?;
    }
    sheet.set_column_width(1, 36).map_err(err)?;
    sheet.set_column_width(2, 16).map_err(err)?;
    book.save_to_buffer().map_err(err)
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
        let bytes = to_csv(&rows(), Lang::ZhCn);
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
        let bytes = to_xlsx(&rows(), Lang::En).unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("Customer".into())));
        assert_eq!(range.get((1, 2)), Some(&Data::Float(75000.0)));
        assert_eq!(range.get((2, 1)), Some(&Data::String("=HYPERLINK(\"x\")".into())), "stored as text");
        assert_eq!(range.get((2, 5)), Some(&Data::String("C".into())));
    }
}
