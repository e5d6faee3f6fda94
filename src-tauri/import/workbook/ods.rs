//! ODS repeats, counted before calamine reads the workbook.
//!
//! An ODS row or cell can say it repeats (`table:number-rows-repeated`,
//! `table:number-columns-repeated`); calamine reads every table of an ODS
//! when it opens it and writes each repeat out. One row holding a value,
//! repeated 1,048,576 times across 20 columns, is 1.7 GB in calamine before
//! `Rows` can refuse it. So content.xml is streamed first and every table's
//! cells counted as calamine would hold them; a workbook over the limits is
//! refused before calamine sees it, for a few kilobytes. Empty repeats — the
//! million empty rows and thousand empty columns LibreOffice ends every
//! sheet with — hold nothing and count nothing.

use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::super::cells::quoted;
use super::{beyond_columns, too_many_cells, Limits};
use crate::i18n::Msg;

/// The rows and columns calamine (0.38) caps an ODS table at.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Refuses an ODS workbook whose repeats hold more cells with values than
/// `limits` allow, with the refusal `Rows` would give: the limits of the
/// sheet that will be read (the chosen one, else the first with a value);
/// another sheet only for its cells, which calamine would hold too. Not an
/// ODS, or one that cannot be scanned: calamine says what it makes of it.
pub(super) fn check_ods(bytes: &[u8], sheet: Option<&str>, limits: Limits) -> Result<(), Msg> {
    let Some(tables) = ods_tables(bytes, limits) else { return Ok(()) };
    let read = match sheet {
        Some(name) => tables.iter().position(|t| t.name == name),
        None => tables.iter().position(|t| t.cells > 0),
    };
    for (i, table) in tables.iter().enumerate() {
        match table.over {
            Some(Over::Column { row, column }) if Some(i) == read => return Err(beyond_columns(row, column, limits)),
            Some(Over::Cells) if Some(i) == read => return Err(too_many_cells(limits)),
            _ if table.cells > limits.cells => {
                return Err(crate::msg!("import.workbook.sheet_too_many_cells", name = quoted(&table.name), cells = crate::i18n::group(limits.cells as f64, 0)))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The tables of the ODS workbook in `bytes`, as [`scan_tables`] counts
/// them; `None` if it is not an ODS (by its `mimetype`, as calamine tells).
fn ods_tables(bytes: &[u8], limits: Limits) -> Option<Vec<OdsTable>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut mimetype = Vec::with_capacity(ODS_MIMETYPE.len());
    zip.by_name("mimetype").ok()?.take(ODS_MIMETYPE.len() as u64).read_to_end(&mut mimetype).ok()?;
    if mimetype != ODS_MIMETYPE {
        return None;
    }
    let content = zip.by_name("content.xml").ok()?;
    Some(scan_tables(BufReader::new(content), limits))
}

/// One named `table:table` as calamine would hold it.
#[derive(Debug, Default, PartialEq)]
struct OdsTable {
    name: String,
    /// Rows so far, repeats counted (calamine's cap included).
    rows: u64,
    /// Cells that hold something, repeats written out.
    cells: u64,
    /// The first limit the cells meet, in reading order.
    over: Option<Over>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Over {
    Cells,
    /// A value in 0-based `column` of 0-based `row`, beyond the columns limit.
    Column { row: u64, column: u64 },
}

impl OdsTable {
    /// Adds `row`, repeated `repeats` times (calamine stops at
    /// [`ODS_MAX_ROWS`], but holds a row past it once before dropping it).
    fn add_row(&mut self, row: &OdsRow, repeats: u64, limits: Limits) {
        let repeats = repeats.min(ODS_MAX_ROWS.saturating_sub(self.rows));
        if let (None, Some((before, column)), true) = (self.over, row.beyond, repeats > 0) {
            // `Rows` checks the column before counting the cell.
            if self.cells.saturating_add(before) <= limits.cells {
                self.over = Some(Over::Column { row: self.rows, column });
            }
        }
        self.cells = self.cells.saturating_add(row.cells.saturating_mul(repeats.max(1)));
        if self.over.is_none() && self.cells > limits.cells {
            self.over = Some(Over::Cells);
        }
        self.rows += repeats;
    }
}

/// One `table:table-row`, its repeated cells written out as calamine does.
#[derive(Debug, Default, PartialEq)]
struct OdsRow {
    /// Columns so far, repeats counted (calamine's cap included).
    width: u64,
    /// Cells that hold something.
    cells: u64,
    /// The first value beyond the columns limit: the row's cells with
    /// values before it, and its 0-based column.
    beyond: Option<(u64, u64)>,
}

impl OdsRow {
    fn add_cell(&mut self, repeats: u64, holds_value: bool, limits: Limits) {
        let n = repeats.min(ODS_MAX_COLUMNS.saturating_sub(self.width));
        let columns = u64::from(limits.columns);
        if holds_value && n > 0 {
            if self.beyond.is_none() && self.width + n > columns {
                let column = self.width.max(columns);
                self.beyond = Some((self.cells + (column - self.width), column));
            }
            self.cells += n;
        }
        self.width += n;
    }
}

const TABLE: QName<'static> = QName("table:table");
const ROW: QName<'static> = QName("table:table-row");
const CELL: QName<'static> = QName("table:table-cell");
const COVERED_CELL: QName<'static> = QName("table:covered-table-cell");

/// Streams an ODS `content.xml` and sizes its named tables as calamine reads
/// them (element names as written, rows anywhere in a table, a table ending
/// at the first `</table:table>`). Holds one element at a time; XML that
/// cannot be parsed ends the count there (calamine refuses it).
fn scan_tables(xml: impl BufRead, limits: Limits) -> Vec<OdsTable> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let (mut buf, mut row_buf) = (Vec::new(), Vec::new());
    let mut tables: Vec<OdsTable> = Vec::new();
    let mut in_table = false;
    loop {
        buf.clear();
        let (start, closed) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) if e.name() == TABLE => {
                in_table = false;
                continue;
            }
            Ok(Event::Eof) | Err(_) => return tables,
            Ok(_) => continue,
        };
        if start.name() == TABLE && !in_table && !closed {
            if let Some(name) = attribute(&start, "table:name") {
                tables.push(OdsTable { name, ..OdsTable::default() });
                in_table = true;
            }
        } else if start.name() == ROW && in_table {
            let repeats = repeats(&start, "table:number-rows-repeated");
            let row = if closed { Ok(OdsRow::default()) } else { scan_row(&mut reader, &mut row_buf, limits) };
            let Some(table) = tables.last_mut() else { return tables };
            match row {
                Ok(row) => table.add_row(&row, repeats, limits),
                Err(row) => {
                    table.add_row(&row, repeats, limits);
                    return tables;
                }
            }
        }
    }
}

/// The cells of a row up to its `</table:table-row>`; the cells read so far
/// as the error if the XML breaks off.
fn scan_row<R: BufRead>(reader: &mut quick_xml::Reader<R>, buf: &mut Vec<u8>, limits: Limits) -> Result<OdsRow, OdsRow> {
    let mut row = OdsRow::default();
    loop {
        buf.clear();
        let (cell, closed) = match reader.read_event_into(buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) if e.name() == ROW => return Ok(row),
            Ok(Event::Eof) | Err(_) => return Err(row),
            Ok(_) => continue,
        };
        let end = match cell.name() {
            n if n == CELL => CELL,
            n if n == COVERED_CELL => COVERED_CELL,
            _ => continue,
        };
        row.add_cell(repeats(&cell, "table:number-columns-repeated"), holds_value(&cell), limits);
        if !closed && reader.read_to_end_into(end, buf).is_err() {
            return Err(row);
        }
    }
}

/// Whether calamine holds this cell: it has a value, a formula, or is a
/// string (even an empty one). Text without a value type is not read.
fn holds_value(cell: &BytesStart) -> bool {
    cell.attributes().with_checks(false).map_while(Result::ok).any(|a| match a.key.as_ref() {
        "office:value" | "office:string-value" | "office:date-value" | "office:time-value" | "office:boolean-value" | "table:formula" => true,
        "office:value-type" => a.value == "string",
        _ => false,
    })
}

/// A repeat count; absent or unreadable, 1 (calamine refuses the latter).
fn repeats(element: &BytesStart, key: &str) -> u64 {
    attribute(element, key).and_then(|v| v.parse().ok()).unwrap_or(1)
}

fn attribute(element: &BytesStart, key: &str) -> Option<String> {
    let a = element.attributes().with_checks(false).map_while(Result::ok).find(|a| a.key.as_ref() == key)?;
    Some(quick_xml::escape::unescape(&a.value).map_or_else(|_| a.value.to_string(), |v| v.into_owned()))
}

#[cfg(test)]
#[path = "ods_tests.rs"]
mod tests;
