//! One view over every input format: rows of [`Cell`]s, numbered as a
//! spreadsheet user sees them (row 1 is the first line of the file or sheet).
//! Formulas are never evaluated: a workbook gives its stored values, a text
//! file gives text.

use std::ops::Range;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use super::text::{self, Delimiter, TextEncoding};
pub use super::cells::{column_label, column_letter, quoted, MAX_CELL_BYTES, QUOTED_CHARS};
use super::cells::{password_protected, too_long_reason};
use super::workbook::{self, OwnedCell};
use super::ImportError;
use crate::i18n::Msg;

/// A cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
}

impl Cell<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the user would read it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.to_string(),
            Cell::Number(n) => format_number(*n),
            Cell::Date(d) => d.to_string(),
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Delimited,
    Workbook,
}


/// A file opened for import.
pub struct Source {
    pub file_name: String,
    /// BLAKE3 of the file's bytes, hex.
    pub checksum: String,
    pub body: Body,
}

pub enum Body {
    Text { text: String, encoding: TextEncoding, detected: TextEncoding, delimiter: Delimiter, detected_delimiter: Delimiter },
    /// Rows with cells (1-based row numbers, 0-based columns), as the
    /// isolated reader sent them; empty rows are left out.
    Workbook { sheets: Vec<String>, sheet: String, rows: Vec<(u64, Vec<(u32, OwnedCell)>)> },
}


const TEXT_EXTENSIONS: [&str; 3] = ["csv", "tsv", "txt"];
const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

impl Source {
    /// Reads `path`. `encoding` overrides the detected text encoding; `sheet`
    /// picks a worksheet (default: the first one that has data). A workbook
    /// is read in a child process ([`workbook`]); `cancel` stops it.
    pub fn open(path: &Path, encoding: Option<TextEncoding>, sheet: Option<&str>, cancel: &AtomicBool) -> Result<Source, ImportError> {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(path).map_err(|e| ImportError::file(&file_name, crate::msg!("import.file.cannot_read", reason = e.to_string())))?;
        Source::from_bytes(path, bytes, encoding, sheet, cancel)
    }

    /// [`Source::open`] of a file already read: `path` names it (its
    /// extension says what it is) and, for a workbook, is read again by the
    /// isolated reader.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, encoding: Option<TextEncoding>, sheet: Option<&str>, cancel: &AtomicBool) -> Result<Source, ImportError> {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if bytes.is_empty() {
            return Err(ImportError::file(&file_name, crate::msg!("import.file.empty")));
        }
        let checksum = blake3::hash(&bytes).to_hex().to_string();
        let is_zip = bytes.starts_with(b"PK\x03\x04");
        let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
        let body = if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) || is_zip || is_ole {
            open_workbook(path, &file_name, &bytes, sheet, cancel)?
        } else if TEXT_EXTENSIONS.contains(&ext.as_str()) || ext.is_empty() || !is_zip {
            open_text(&file_name, bytes, encoding)?
        } else {
            return Err(ImportError::file(&file_name, crate::msg!("import.file.unsupported")));
        };
        Ok(Source { file_name, checksum, body })
    }

    /// Reads a text file's lines with another delimiter than the detected one.
    pub fn set_delimiter(&mut self, chosen: Delimiter) {
        if let Body::Text { delimiter, .. } = &mut self.body {
            *delimiter = chosen;
        }
    }

    pub fn format(&self) -> Format {
        match self.body {
            Body::Text { .. } => Format::Delimited,
            Body::Workbook { .. } => Format::Workbook,
        }
    }

    /// Calls `f` with each row's number and cells until it returns false.
    pub fn for_each_row(&self, mut f: impl FnMut(u64, &[Cell<'_>]) -> bool) -> Result<(), ImportError> {
        self.for_each_row_read(|_, _| (), |row, cells, ()| f(row, cells))
    }

    /// Calls `read` and then `f` with each row's number and cells, and `f`
    /// also with what `read` made of the row, until `f` returns false.
    ///
    /// For a delimited text file `read` runs on the tokenizing thread, a
    /// batch of rows ahead of `f`: the work that depends on the row alone
    /// (parsing numbers and dates) is done on one core while `f` does what
    /// must stay in order on the other. `read` sees the rows in order, and
    /// may see a few rows after the one where `f` stopped.
    pub fn for_each_row_read<T: Send>(
        &self,
        mut read: impl FnMut(u64, &[Cell<'_>]) -> T + Send,
        mut f: impl FnMut(u64, &[Cell<'_>], T) -> bool,
    ) -> Result<(), ImportError> {
        match &self.body {
            Body::Text { text, delimiter: Delimiter::Space, .. } => {
                let fields = text::aligned_fields(text);
                let (mut parts, mut cells) = (Vec::new(), Vec::new());
                for (i, line) in text.lines().enumerate() {
                    let row = i as u64 + 1;
                    text::split_aligned(line, fields, &mut parts);
                    if let Some(long) = parts.iter().position(|p| p.len() > MAX_CELL_BYTES) {
                        return Err(too_long(&self.file_name, row, long, parts[long].len()));
                    }
                    cells.clear();
                    cells.extend(parts.iter().map(|p| Cell::Text(p)));
                    let value = read(row, &cells);
                    if !f(row, &cells, value) {
                        return Ok(());
                    }
                }
                Ok(())
            }
            Body::Text { text, delimiter, .. } => std::thread::scope(|scope| {
                // Tokenizing (and `read`) runs on its own thread, a batch of
                // records ahead of `f`; used batches go back to be refilled.
                let (batches, filled) = mpsc::sync_channel(2);
                let (recycle, recycled) = mpsc::channel();
                let file = self.file_name.as_str();
                let byte = delimiter.byte().expect("aligned columns are read above");
                scope.spawn(move || read_batches(text, byte, file, &mut read, &batches, &recycled));
                let mut row = 0u64;
                // Returning early drops `filled`, which stops the reader.
                for batch in filled {
                    let mut batch: Batch<T> = batch?;
                    let mut cells = Vec::new();
                    let Batch { text, fields, rows, read } = &mut batch;
                    let mut first = 0;
                    for (&end, value) in rows.iter().zip(read.drain(..)) {
                        row += 1;
                        batch_cells(text, &fields[first..end], &mut cells);
                        first = end;
                        if !f(row, &cells, value) {
                            return Ok(());
                        }
                    }
                    drop(cells);
                    let _ = recycle.send(batch);
                }
                Ok(())
            }),
            Body::Workbook { rows, .. } => {
                let mut cells: Vec<Cell<'_>> = Vec::new();
                for (row, values) in rows {
                    cells.clear();
                    // Values beyond the columns a table may have are not
                    // part of it (see `outside_columns`).
                    for (col, value) in values.iter().filter(|(col, _)| *col < workbook::LIMITS.columns) {
                        let col = *col as usize;
                        if cells.len() <= col {
                            cells.resize(col + 1, Cell::Empty);
                        }
                        cells[col] = match value {
                            OwnedCell::Text(t) => Cell::Text(t),
                            OwnedCell::Number(n) => Cell::Number(*n),
                            OwnedCell::Date(d) => Cell::Date(*d),
                        };
                    }
                    let value = read(*row, &cells);
                    if !f(*row, &cells, value) {
                        return Ok(());
                    }
                }
                Ok(())
            }
        }
    }

    /// A workbook's values beyond the columns a table may have
    /// ([`workbook::Limits::columns`]), as (row, 0-based column): stray
    /// values far right (Excel leaves them after formatting whole rows or
    /// columns) that the rows leave out.
    pub fn outside_columns(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        let rows = match &self.body {
            Body::Workbook { rows, .. } => rows.as_slice(),
            Body::Text { .. } => &[],
        };
        rows.iter()
            .flat_map(|(row, cells)| cells.iter().filter(|(col, _)| *col >= workbook::LIMITS.columns).map(move |(col, _)| (*row, *col)))
    }

    /// About how many rows there are, to size tables: for text, its line
    /// breaks (more than its rows when cells hold line breaks).
    pub fn rows_hint(&self) -> usize {
        match &self.body {
            Body::Text { text, .. } => memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1,
            Body::Workbook { rows, .. } => rows.len(),
        }
    }

    /// The first `n` rows, as text, for header detection and samples.
    pub fn head(&self, n: usize) -> Result<Vec<(u64, Vec<String>)>, ImportError> {
        let mut out = Vec::new();
        self.for_each_row(|row, cells| {
            out.push((row, cells.iter().map(Cell::display).collect()));
            out.len() < n
        })?;
        Ok(out)
    }
}

/// Rows as a source's layout rearranged them (see `sources::layout`), each
/// with its row number in the file.
pub type LaidRows = Vec<(u64, Vec<OwnedCell>)>;

/// The rows an import reads: the file's own, or as a layout rearranged them.
#[derive(Clone, Copy)]
pub struct Rows<'s> {
    pub source: &'s Source,
    pub laid: Option<&'s LaidRows>,
}

impl Rows<'_> {
    /// [`Source::for_each_row`] over these rows.
    pub fn for_each_row(&self, mut f: impl FnMut(u64, &[Cell<'_>]) -> bool) -> Result<(), ImportError> {
        self.for_each_row_read(|_, _| (), |row, cells, ()| f(row, cells))
    }

    /// [`Source::for_each_row_read`] over these rows (laid rows are read on
    /// the calling thread).
    pub fn for_each_row_read<T: Send>(
        &self,
        mut read: impl FnMut(u64, &[Cell<'_>]) -> T + Send,
        mut f: impl FnMut(u64, &[Cell<'_>], T) -> bool,
    ) -> Result<(), ImportError> {
        let Some(laid) = self.laid else { return self.source.for_each_row_read(read, f) };
        let mut cells: Vec<Cell<'_>> = Vec::new();
        for (row, values) in laid {
            cells.clear();
            cells.extend(values.iter().map(|v| match v {
                OwnedCell::Text(t) if t.is_empty() => Cell::Empty,
                OwnedCell::Text(t) => Cell::Text(t),
                OwnedCell::Number(n) => Cell::Number(*n),
                OwnedCell::Date(d) => Cell::Date(*d),
            }));
            let value = read(*row, &cells);
            if !f(*row, &cells, value) {
                break;
            }
        }
        Ok(())
    }
}

/// Records per batch handed from the CSV reader thread to the rows' consumer.
const BATCH_RECORDS: usize = 1024;

/// Records of a text file, checked to be UTF-8 once, and what `read` made
/// of each.
struct Batch<T> {
    /// The records' fields, back to back.
    text: String,
    /// Where each field is in `text`.
    fields: Vec<Range<usize>>,
    /// Where each record's fields end in `fields`.
    rows: Vec<usize>,
    read: Vec<T>,
}

impl<T> Default for Batch<T> {
    fn default() -> Batch<T> {
        Batch { text: String::new(), fields: Vec::new(), rows: Vec::new(), read: Vec::new() }
    }
}

impl<T> Batch<T> {
    fn clear(&mut self) {
        self.text.clear();
        self.fields.clear();
        self.rows.clear();
        self.read.clear();
    }
}

/// The cells of a record whose fields are at `fields` in `text`.
fn batch_cells<'t>(text: &'t str, fields: &[Range<usize>], cells: &mut Vec<Cell<'t>>) {
    cells.clear();
    cells.extend(fields.iter().map(|r| match text.get(r.clone()).unwrap_or_default() {
        "" => Cell::Empty,
        c => Cell::Text(c),
    }));
}

/// Parses `text` into batches of records, calls `read` on each, and sends
/// them, then the error that stopped it, if any. Stops early when the
/// receiver is gone.
fn read_batches<T>(
    text: &str,
    delimiter: u8,
    file: &str,
    read: &mut impl FnMut(u64, &[Cell<'_>]) -> T,
    out: &SyncSender<Result<Batch<T>, ImportError>>,
    recycled: &Receiver<Batch<T>>,
) {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut row = 0u64;
    loop {
        let mut batch = recycled.try_recv().unwrap_or_default();
        batch.clear();
        let first = row;
        let mut failure = None;
        while batch.rows.len() < BATCH_RECORDS {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    failure = Some(ImportError::file(file, crate::msg!("import.file.row", row = row + 1, reason = e.to_string())));
                    break;
                }
            }
            row += 1;
            if let Some(long) = record.iter().position(|c| c.len() > MAX_CELL_BYTES) {
                failure = Some(too_long(file, row, long, record[long].len()));
                break;
            }
            // The text is UTF-8 and the delimiters ASCII, so the fields back
            // to back are too; one SIMD check of the whole record is far
            // cheaper than field by field.
            let Ok(fields) = simdutf8::basic::from_utf8(record.as_slice()) else {
                failure = Some(ImportError::file(file, crate::msg!("import.file.row_not_utf8", row = row)));
                break;
            };
            let base = batch.text.len();
            batch.text.push_str(fields);
            batch.fields.extend((0..record.len()).filter_map(|i| record.range(i)).map(|r| base + r.start..base + r.end));
            batch.rows.push(batch.fields.len());
        }
        let last = batch.rows.len() < BATCH_RECORDS;
        let mut cells = Vec::new();
        let Batch { text, fields, rows, read: values } = &mut batch;
        let mut start = 0;
        for (k, &end) in rows.iter().enumerate() {
            batch_cells(text, &fields[start..end], &mut cells);
            start = end;
            values.push(read(first + k as u64 + 1, &cells));
        }
        drop(cells);
        if !batch.rows.is_empty() && out.send(Ok(batch)).is_err() {
            return;
        }
        if let Some(e) = failure {
            let _ = out.send(Err(e));
            return;
        }
        if last {
            return;
        }
    }
}

fn too_long(file: &str, row: u64, col: usize, bytes: usize) -> ImportError {
    ImportError::file(file, too_long_reason(row, col, bytes))
}

fn open_text(file: &str, bytes: Vec<u8>, forced: Option<TextEncoding>) -> Result<Body, ImportError> {
    let detected = text::detect_encoding(&bytes);
    let encoding = forced.unwrap_or(detected);
    // UTF-16 with nothing to tell it by is taken for GB18030 and refused;
    // the reason then says what it likely is and what to do.
    let utf16 = (forced.is_none() && detected == TextEncoding::Gb18030).then(|| text::utf16_without_ascii(&bytes)).flatten();
    let refused = |reason: Msg| ImportError::file(file, utf16.map_or(reason, utf16_advice));
    if text::looks_binary(&bytes, encoding) {
        return Err(refused(crate::msg!("import.file.binary")));
    }
    let text = text::decode(bytes, encoding).map_err(refused)?;
    if text.trim().is_empty() {
        return Err(ImportError::file(file, crate::msg!("import.file.empty")));
    }
    let delimiter = text::sniff_delimiter(&text);
    Ok(Body::Text { text, encoding, detected, delimiter, detected_delimiter: delimiter })
}

/// What to do with a file that looks like UTF-16 without a BOM.
fn utf16_advice(encoding: TextEncoding) -> Msg {
    crate::msg!("import.file.utf16_without_bom", encoding = encoding.label(), cli = encoding.cli_name())
}

/// An encrypted Office file is an OLE container holding an
/// `EncryptedPackage` stream (its directory names are UTF-16).
fn is_encrypted_office(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && bytes.windows(needle.len()).any(|w| w == needle)
}

fn open_workbook(path: &Path, file: &str, bytes: &[u8], sheet: Option<&str>, cancel: &AtomicBool) -> Result<Body, ImportError> {
    if is_encrypted_office(bytes) {
        return Err(ImportError::file(file, password_protected()));
    }
    let book = workbook::read_isolated(path, sheet, cancel).map_err(|reason| ImportError::file(file, reason))?;
    Ok(Body::Workbook { sheets: book.sheets, sheet: book.sheet, rows: book.rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn quoted_text_is_one_short_line() {
        assert_eq!(quoted(""), "\"\"");
        assert_eq!(quoted("华东钢铁"), "\"华东钢铁\"");
        assert_eq!(quoted("a\nb"), "\"a⏎b\"");
        assert_eq!(quoted("a\r\nb\rc\n\nd"), "\"a⏎b⏎c⏎⏎d\"", "CR LF is one break, two LFs two");
        assert_eq!(quoted("a\tb"), "\"a⇥b\"");
        assert_eq!(quoted("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quoted("bell\u{7}\u{1b}[31m\u{202E}x"), "\"bell\\u{7}\\u{1b}[31m\\u{202e}x\"");
        // The cell: a customer that swallowed the next line.
        assert_eq!(quoted("90000,王芳\nSO-002"), "\"90000,王芳⏎SO-002\"");
        let q = quoted("90000,王芳\nSO-002,2024-02-17,C002,北方建材集团,北京,80000");
        assert!(q.starts_with("\"90000,王芳⏎SO-002,") && q.ends_with("…\""), "{q}");
        assert!(!q.contains(['\n', '\r']));
    }

    #[test]
    fn quoted_text_is_cut_by_characters() {
        let fits = "长".repeat(QUOTED_CHARS);
        assert_eq!(quoted(&fits), format!("\"{fits}\""));
        let long = "长".repeat(1000);
        assert_eq!(quoted(&long), format!("\"{}…\"", "长".repeat(QUOTED_CHARS - 1)));
        // An escape is never cut in half: it goes whole, or not at all.
        let text = format!("{}\u{7}tail", "x".repeat(QUOTED_CHARS - 3));
        assert_eq!(quoted(&text), format!("\"{}…\"", "x".repeat(QUOTED_CHARS - 3)));
        // Counted in characters, not bytes: a four-byte one is kept whole.
        let emoji = "😀".repeat(QUOTED_CHARS + 1);
        assert_eq!(quoted(&emoji).chars().count(), QUOTED_CHARS + 2);
    }

    #[test]
    fn column_labels_quote_only_headers_that_need_it() {
        assert_eq!(column_label(2, "销售额"), "C (销售额)");
        assert_eq!(column_label(0, "Customer\nName"), "A (\"Customer⏎Name\")");
        assert_eq!(column_label(1, "Size \"L\""), "B (\"Size \\\"L\\\"\")");
    }

    #[test]
    fn numbers_display_like_a_spreadsheet() {
        assert_eq!(Cell::Number(12.0).display(), "12");
        assert_eq!(Cell::Number(12.5).display(), "12.5");
        assert_eq!(Cell::Text("x").display(), "x");
        assert!(Cell::Text("  ").is_empty());
    }
}
