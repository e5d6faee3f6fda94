//! The ODS scan against calamine: the same cells counted, the same refusals.

use std::io::{Cursor, Write};
use std::path::Path;

use super::super::{read, read_book, Limits, Message, LIMITS};
use super::*;

/// An ODS workbook written by hand: its tables by name, rows as XML.
fn ods(tables: &[(&str, &str)]) -> Vec<u8> {
    let body: String = tables.iter().map(|(name, rows)| format!(r#"<table:table table:name="{name}">{rows}</table:table>"#)).collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [("mimetype", ODS_MIMETYPE), ("META-INF/manifest.xml", manifest.as_bytes()), ("content.xml", content.as_bytes())] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn row(repeat: u64, cells: &str) -> String {
    format!(r#"<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>"#)
}

fn value(repeat: u64) -> String {
    format!(r#"<table:table-cell office:value-type="float" office:value="7" table:number-columns-repeated="{repeat}"><text:p>7</text:p></table:table-cell>"#)
}

fn empty(repeat: u64) -> String {
    format!(r#"<table:table-cell table:number-columns-repeated="{repeat}"/>"#)
}

const HEADER: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Customer</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Sales</text:p></table:table-cell></table:table-row>"#;

fn limits(cells: u64, columns: u32) -> Limits {
    Limits { cells, columns, ..LIMITS }
}

/// The cells calamine gives `Rows` (without the scan), or its refusal.
fn calamine(bytes: &[u8], sheet: Option<&str>, limits: Limits) -> Result<u64, Msg> {
    let mut cells = 0;
    read_book(bytes.to_vec(), sheet, limits, &mut |m| {
        if let Message::Row(_, row) = m {
            cells += row.len() as u64;
        }
        Ok(())
    })
    .map(|()| cells)
}

fn table(bytes: &[u8], index: usize) -> OdsTable {
    ods_tables(bytes, LIMITS).expect("an ODS").remove(index)
}

#[test]
fn a_value_row_repeated_a_million_times_is_counted_not_written_out() {
    let book = ods(&[("Sheet1", &format!("{HEADER}{}", row(1_048_576, &value(20))))]);
    // calamine stops at 1,048,576 rows: the header and 1,048,575 repeats.
    let t = table(&book, 0);
    assert_eq!((t.rows, t.cells, t.over), (1_048_576, 2 + 20 * 1_048_575, Some(Over::Cells)));
    assert_eq!(check_ods(&book, None, LIMITS), Err(too_many_cells(LIMITS)));
    let mut emitted = Vec::new();
    let emit = &mut |m| {
        emitted.push(m);
        Ok(())
    };
    assert_eq!(read(book, None, LIMITS, emit), Err(too_many_cells(LIMITS)));
    assert_eq!(emitted, []);
}

/// LibreOffice ends every sheet with a million empty rows and a
/// thousand empty columns: nothing to count, nothing to refuse.
#[test]
fn empty_repeats_at_the_end_of_a_sheet_count_nothing() {
    let data = format!(r#"<table:table-row>{}{}</table:table-row>"#, value(2), empty(1022));
    let rows = format!("{HEADER}{data}{}", row(1_048_574, &empty(1024)));
    let book = ods(&[("Sheet1", &rows)]);
    let t = table(&book, 0);
    assert_eq!((t.rows, t.cells, t.over), (1_048_576, 4, None));
    assert_eq!(check_ods(&book, None, limits(4, 2)), Ok(()));
    assert_eq!(calamine(&book, None, limits(4, 2)), Ok(4));
}

#[test]
fn a_repeated_value_past_the_columns_limit_is_refused_at_its_first_column() {
    let book = ods(&[("Sheet1", &format!("{HEADER}<table:table-row>{}{}</table:table-row>", empty(998), value(16_384)))]);
    let t = table(&book, 0);
    // calamine stops at 16,384 columns.
    assert_eq!(t.cells, 2 + (16_384 - 998));
    assert_eq!(t.over, Some(Over::Column { row: 1, column: 1_000 }));
    let refusal = check_ods(&book, None, LIMITS).unwrap_err();
    let text = refusal.to_string();
    assert!(text.ends_with("a value in column ALM (row 2), beyond the 1000 columns Vital Few reads"), "{text}");
    assert_eq!(calamine(&book, None, LIMITS), Err(refusal));
}

/// Whatever the repeats, the scan counts what calamine gives `Rows`, and
/// refuses with the words `Rows` would: leading empty rows, empty cells
/// between values, covered cells, formulas, values across a repeated
/// row, a limit met on a column or on a cell.
#[test]
fn the_scan_refuses_what_calamine_would_and_says_the_same() {
    let covered = r#"<table:covered-table-cell office:value-type="float" office:value="1" table:number-columns-repeated="2"/>"#;
    let formula = r#"<table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"/>"#;
    let text_only = r#"<table:table-cell><text:p>not read</text:p></table:table-cell>"#;
    let rows = [
        row(3, &empty(5)),
        HEADER.to_string(),
        row(4, &format!("{}{}{covered}{formula}{text_only}", value(2), empty(3))),
        row(2, &empty(40)),
        row(1, &format!("{}{}", empty(6), value(3))),
        row(5, &value(1)),
    ]
    .concat();
    let book = ods(&[("Sheet1", &rows)]);
    let all = 2 + 4 * 5 + 3 + 5;
    assert_eq!(table(&book, 0).cells, all);
    assert_eq!(calamine(&book, None, LIMITS), Ok(all));
    let cases = [(all, 1_000), (all - 1, 1_000), (10, 1_000), (all, 9), (all, 8), (3, 5), (4, 5), (30, 5)];
    for limits in cases.map(|(cells, columns)| limits(cells, columns)) {
        match check_ods(&book, None, limits) {
            Ok(()) => assert_eq!(calamine(&book, None, limits), Ok(all), "{limits:?}"),
            Err(refusal) => assert_eq!(calamine(&book, None, limits), Err(refusal), "{limits:?}"),
        }
    }
    assert_eq!(check_ods(&book, None, limits(all, 9)), Ok(()));
    assert!(check_ods(&book, None, limits(all, 8)).unwrap_err().to_string().contains("column I (row 11)"));
    // In one row: the fourth cell over a limit of three, or the fifth
    // (covered, column F) past five columns after four cells.
    assert_eq!(check_ods(&book, None, limits(3, 5)), Err(too_many_cells(limits(3, 5))));
    assert!(check_ods(&book, None, limits(4, 5)).unwrap_err().to_string().contains("column F (row 5)"));
}

/// calamine holds every sheet of an ODS, so each is held to the cells
/// limit; the columns limit is the read sheet's alone.
#[test]
fn another_sheet_is_refused_by_name_for_its_cells_only() {
    let ledger = format!("{HEADER}{}", row(3, &value(2)));
    let book = ods(&[("Ledger", &ledger), ("Dump", &row(1_000, &value(10)))]);
    let refusal = check_ods(&book, None, limits(5_000, 1_000)).unwrap_err().to_string();
    assert!(refusal.contains("its sheet \"Dump\" has more than 5,000 cells with values"), "{refusal}");
    assert_eq!(check_ods(&book, Some("Dump"), limits(5_000, 1_000)), Err(too_many_cells(limits(5_000, 1_000))));

    let book = ods(&[("Ledger", &ledger), ("Wide", &format!("<table:table-row>{}</table:table-row>", value(2_000)))]);
    assert_eq!(check_ods(&book, None, LIMITS), Ok(()));
    assert_eq!(calamine(&book, None, LIMITS), Ok(8));
    assert!(check_ods(&book, Some("Wide"), LIMITS).unwrap_err().to_string().contains("column ALM (row 1)"));
}

#[test]
fn other_files_are_left_to_calamine() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["ledger_title.xlsx", "truncated.xlsx", "password.xlsx"] {
        let bytes = std::fs::read(fixtures.join(name)).unwrap();
        assert!(ods_tables(&bytes, LIMITS).is_none(), "{name}");
    }
    assert_eq!(check_ods(b"PK\x03\x04 not a zip", None, LIMITS), Ok(()));
    // Cut short: what was read is counted, calamine refuses the rest.
    let xml = format!(r#"<table:table table:name="S">{HEADER}<table:table-row>{}<table:tab"#, value(3));
    let tables = scan_tables(xml.as_bytes(), LIMITS);
    assert_eq!(tables, vec![OdsTable { name: "S".into(), rows: 2, cells: 5, over: None }]);
}

#[test]
fn the_ods_fixture_reads_as_before() {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger.ods")).unwrap();
    let t = table(&bytes, 0);
    assert_eq!((t.name.as_str(), t.rows, t.cells, t.over), ("Sheet1", 7, 56, None));
    assert_eq!(calamine(&bytes, None, LIMITS), Ok(56));
}
