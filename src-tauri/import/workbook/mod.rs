//! Workbooks (XLSX, XLSM, XLS, ODS) are read in a child process of this
//! same binary (`vitalfew __read-workbook FILE`), under a memory limit and
//! a time budget, with the rows streamed back: a damaged or hostile file
//! that makes the spreadsheet reader ask for gigabytes, panic or loop only
//! ends that process, and the owner reads why.
//!
//! XLSX/XLSM sheets are read cell by cell (calamine's cell reader), so a
//! sheet whose declared range reaches XFD1048576 costs nothing; XLS and ODS
//! sheets are read whole, inside the same limits; an ODS's repeated rows and
//! cells are counted before it is read (`check_ods`). Only cells that hold
//! something count towards [`Limits`]. A value beyond [`Limits::columns`]
//! (what Excel leaves far right after formatting whole rows or columns) is
//! not part of any table: it is sent without its value, so the import can
//! say where it was and leave it out, and it still counts towards the cells
//! limit — a table is never wider than the limit, and a sheet of millions of
//! such values is refused like one of millions of others. (XLS and ODS
//! sheets are read whole, as wide as their widest row: there a value beyond
//! the limit is refused — for an ODS before it is read.)
//!
//! The child writes one JSON message per line on stdout: first
//! [`Message::Sheets`], then one [`Message::Row`] per row with cells, then
//! [`Message::End`] or [`Message::Failed`].
//!
//! The child dies with the process that started it (Linux: a parent-death
//! signal; Windows: a job object, which also holds its memory limit), so a
//! killed import leaves no reader behind.

use std::io::{BufRead, BufReader, Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

use calamine::{DataType, Reader, Sheets};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::cells::{self, quoted};
use crate::i18n::Msg;

mod contain;
mod ods;

use contain::{contain, die_with_parent, limit_memory, PARENT_ENV};
use ods::check_ods;

/// Sheets read first when none is chosen: the e-invoice platform's export
/// holds its invoices' lines in 信息汇总表 (and one row per invoice in
/// another sheet, which would count the same sales without their goods).
const PREFERRED_SHEETS: [&str; 1] = ["信息汇总表"];

/// The hidden subcommand that reads a workbook.
pub const SUBCOMMAND: &str = "__read-workbook";


/// What a workbook may hold; the refusal names the limit it met.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Cells that hold something.
    pub cells: u64,
    /// Columns a table may have: a value further right is left out of it.
    pub columns: u32,
    /// All text of all cells, decoded.
    pub text_bytes: u64,
    /// The reader process's address space.
    pub memory_bytes: u64,
    /// Wall-clock time for the whole read.
    pub time: Duration,
}

/// The limits of every workbook read. 8 million cells: a 200,000-line
/// e-invoice export with every column filled is 5.8 million.
pub const LIMITS: Limits = Limits {
    cells: 8_000_000,
    columns: 1_000,
    text_bytes: 512 << 20,
    memory_bytes: 3 << 30,
    time: Duration::from_secs(120),
};

/// A cell as the reader sends it: in JSON a string, a number, or
/// `{"d":"2025-03-10"}` for a date (half the bytes of a tagged enum, and
/// what a row costs to send is most of reading a large workbook).
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedCell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Serialize for OwnedCell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            OwnedCell::Text(t) => s.serialize_str(t),
            OwnedCell::Number(n) => s.serialize_f64(*n),
            OwnedCell::Date(d) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("d", d)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for OwnedCell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<OwnedCell, D::Error> {
        struct Cell;
        impl<'de> serde::de::Visitor<'de> for Cell {
            type Value = OwnedCell;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, a number or {\"d\": date}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OwnedCell, E> {
                Ok(OwnedCell::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<OwnedCell, E> {
                Ok(OwnedCell::Text(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<OwnedCell, E> {
                Ok(OwnedCell::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OwnedCell, E> {
                Ok(OwnedCell::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OwnedCell, E> {
                Ok(OwnedCell::Number(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OwnedCell, A::Error> {
                match map.next_entry::<String, NaiveDate>()? {
                    Some((key, date)) if key == "d" => Ok(OwnedCell::Date(date)),
                    _ => Err(serde::de::Error::custom("a date is {\"d\": \"YYYY-MM-DD\"}")),
                }
            }
        }
        d.deserialize_any(Cell)
    }
}

/// One line of the reader's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    Sheets { names: Vec<String>, chosen: String },
    /// A 1-based row number and its cells by 0-based column.
    Row(u64, Vec<(u32, OwnedCell)>),
    End,
    Failed(Msg),
}

/// A workbook as read: its sheets, the one read, and that sheet's rows
/// (1-based numbers) with their cells (0-based columns); empty rows left out.
#[derive(Debug, Default)]
pub struct Workbook {
    pub sheets: Vec<String>,
    pub sheet: String,
    pub rows: Vec<(u64, Vec<(u32, OwnedCell)>)>,
}

static READER: OnceLock<PathBuf> = OnceLock::new();

/// Sets the program that reads workbooks (default: this executable). Tests
/// and benchmarks, whose own executable is a test harness, point it at the
/// built `vitalfew`.
pub fn use_reader(program: PathBuf) {
    let _ = READER.set(program);
}

fn reader_program() -> Result<PathBuf, Msg> {
    match READER.get() {
        Some(p) => Ok(p.clone()),
        None => std::env::current_exe().map_err(|e| crate::msg!("import.workbook.no_reader", reason = e.to_string())),
    }
}

/// Reads `path` in a child process within [`LIMITS`]. `cancel` stops it.
pub fn read_isolated(path: &Path, sheet: Option<&str>, cancel: &AtomicBool) -> Result<Workbook, Msg> {
    let limits = LIMITS;
    let mut cmd = Command::new(reader_program()?);
    cmd.arg(SUBCOMMAND).arg(path).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env(PARENT_ENV, std::process::id().to_string());
    if let Some(s) = sheet {
        cmd.arg("--sheet").arg(s);
    }
    let mut child = cmd.spawn().map_err(|e| crate::msg!("import.workbook.no_reader", reason = e.to_string()))?;
    // Held until this function returns, after the reader has been waited for.
    let _job = contain(&child, limits);
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::sync_channel::<Result<Message, String>>(1024);
    let reader = std::thread::spawn(move || {
        for line in BufReader::with_capacity(1 << 16, stdout).lines() {
            let parsed = line.map_err(|e| e.to_string()).and_then(|l| serde_json::from_str::<Message>(&l).map_err(|e| e.to_string()));
            let last = matches!(parsed, Ok(Message::End | Message::Failed(_)) | Err(_));
            if tx.send(parsed).is_err() || last {
                return;
            }
        }
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut std::io::Read::take(stderr, 64 << 10), &mut text);
        text
    });
    let deadline = Instant::now() + limits.time;
    let mut book = Workbook::default();
    // `Err(None)`: the reader stopped without saying why.
    let mut outcome: Option<Result<(), Option<Msg>>> = None;
    while outcome.is_none() {
        if cancel.load(Ordering::Relaxed) {
            outcome = Some(Err(Some(crate::msg!("import.cancelled"))));
            break;
        }
        if Instant::now() >= deadline {
            outcome = Some(Err(Some(crate::msg!("import.workbook.too_slow", seconds = limits.time.as_secs()))));
            break;
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(Message::Sheets { names, chosen })) => (book.sheets, book.sheet) = (names, chosen),
            Ok(Ok(Message::Row(n, cells))) => book.rows.push((n, cells)),
            Ok(Ok(Message::End)) => outcome = Some(Ok(())),
            Ok(Ok(Message::Failed(reason))) => outcome = Some(Err(Some(reason))),
            Ok(Err(e)) => outcome = Some(Err(Some(crate::msg!("import.workbook.output_cut", reason = e)))),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => outcome = Some(Err(None)),
        }
    }
    let _ = child.kill();
    let status = child.wait().ok();
    drop(rx);
    let _ = reader.join();
    let stderr = errors.join().unwrap_or_default();
    match outcome.expect("set above") {
        Ok(()) => {
            merge_rows(&mut book.rows);
            Ok(book)
        }
        Err(Some(reason)) => Err(reason),
        // The reader died without saying why: a crash or a limit the system enforced.
        Err(None) => Err(died(&stderr, status, limits)),
    }
}

fn died(stderr: &str, status: Option<std::process::ExitStatus>, limits: Limits) -> Msg {
    let gib = limits.memory_bytes >> 30;
    if stderr.contains("memory allocation") || stderr.contains("out of memory") {
        return crate::msg!("import.workbook.out_of_memory", gib = gib);
    }
    if stderr.contains("panicked") {
        return crate::msg!("import.workbook.reader_failed");
    }
    match status {
        Some(s) => crate::msg!("import.workbook.reader_stopped", status = s.to_string(), gib = gib),
        None => crate::msg!("import.workbook.stopped", gib = gib),
    }
}

// ---- the child ----

/// The reader's command line, `vitalfew __read-workbook FILE [--sheet NAME]`
/// as [`read_isolated`] starts it: `Some(exit code)` once read, `None` for
/// any other command line. `main.rs` asks first, before either shell parses
/// anything, so the window's imports need no command-line shell.
pub fn run_if_reader(args: &[std::ffi::OsString]) -> Option<i32> {
    if args.get(1).is_none_or(|a| a != SUBCOMMAND) {
        return None;
    }
    Some(match &args[2..] {
        [path] => child_main(Path::new(path), None),
        [path, flag, sheet] if flag == "--sheet" => child_main(Path::new(path), Some(&sheet.to_string_lossy())),
        _ => {
            eprintln!("vitalfew: usage: vitalfew {SUBCOMMAND} FILE [--sheet NAME]");
            2
        }
    })
}

/// Entry point of the hidden subcommand: reads `path` and writes messages to
/// stdout. Returns the exit code.
pub fn child_main(path: &Path, sheet: Option<&str>) -> i32 {
    if !die_with_parent() {
        // Orphaned before it could start: nobody reads what it would say.
        return 1;
    }
    limit_memory(LIMITS.memory_bytes);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut send = |m: &Message| {
        serde_json::to_writer(&mut out, m).expect("messages serialize");
        out.write_all(b"\n")
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let _ = send(&Message::Failed(crate::msg!("import.file.cannot_read", reason = e.to_string())));
            return 1;
        }
    };
    let result = read(bytes, sheet, LIMITS, &mut |m| send(&m).map_err(|e| crate::msg!("import.workbook.output_cut", reason = e.to_string())));
    let last = match result {
        Ok(()) => Message::End,
        Err(reason) => Message::Failed(reason),
    };
    let ok = send(&last).is_ok();
    if out.flush().is_err() || !ok {
        return 1;
    }
    0
}

/// Reads the workbook in `bytes` within `limits`, handing each message to
/// `emit` (the sheets first, then the chosen sheet's rows in order). Runs in
/// the child process; fuzzed directly.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>, limits: Limits, emit: &mut dyn FnMut(Message) -> Result<(), Msg>) -> Result<(), Msg> {
    check_ods(&bytes, sheet, limits)?;
    read_book(bytes, sheet, limits, emit)
}

/// [`read`] through calamine alone.
fn read_book(bytes: Vec<u8>, sheet: Option<&str>, limits: Limits, emit: &mut dyn FnMut(Message) -> Result<(), Msg>) -> Result<(), Msg> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        let msg = e.to_string();
        let lower = msg.to_lowercase();
        if lower.contains("password") || lower.contains("encrypt") {
            cells::password_protected()
        } else {
            crate::msg!("import.workbook.unreadable", reason = msg)
        }
    })?;
    let names = book.sheet_names().to_vec();
    if names.is_empty() {
        return Err(crate::msg!("import.workbook.no_sheets"));
    }
    if let Some(name) = sheet {
        if !names.iter().any(|s| s == name) {
            let listed: Vec<String> = names.iter().map(|n| quoted(n)).collect();
            return Err(crate::msg!("import.workbook.no_such_sheet", name = quoted(name), sheets = listed.join(", ")));
        }
    }
    // The chosen sheet, else the first that has a cell with something in it
    // (a sheet known to hold the lines first).
    let candidates: Vec<String> = match sheet {
        Some(s) => vec![s.to_string()],
        None => {
            let mut all = names.clone();
            all.sort_by_key(|n| !PREFERRED_SHEETS.contains(&n.as_str()));
            all
        }
    };
    for name in &candidates {
        let sheets = Message::Sheets { names: names.clone(), chosen: name.clone() };
        let mut rows = Rows::new(limits, sheets, emit);
        read_sheet(&mut book, name, &mut rows)?;
        rows.flush()?;
        if rows.sent {
            return Ok(());
        }
        if sheet.is_some() {
            return Err(crate::msg!("import.workbook.sheet_empty", name = quoted(name)));
        }
    }
    Err(crate::msg!("import.workbook.all_empty"))
}

/// The cells read, within the limits, sent a row at a time as soon as the
/// next row begins (a sheet's cells come row by row): the parent decodes
/// rows while this process reads the next ones. A row that comes again out
/// of order is sent again; the parent merges it ([`merge_rows`]).
struct Rows<'e> {
    limits: Limits,
    /// The row being read, and its cells.
    current: Option<(u32, Vec<(u32, OwnedCell)>)>,
    /// The sheets message, sent before the first row; whether a row was.
    sheets: Option<Message>,
    sent: bool,
    emit: &'e mut dyn FnMut(Message) -> Result<(), Msg>,
    cells: u64,
    text: u64,
}

impl<'e> Rows<'e> {
    fn new(limits: Limits, sheets: Message, emit: &'e mut dyn FnMut(Message) -> Result<(), Msg>) -> Rows<'e> {
        Rows { limits, current: None, sheets: Some(sheets), sent: false, emit, cells: 0, text: 0 }
    }

    fn put(&mut self, row: u32, col: u32, cell: OwnedCell) -> Result<(), Msg> {
        match &mut self.current {
            Some((r, cells)) if *r == row => cells.push((col, cell)),
            _ => {
                self.flush()?;
                self.current = Some((row, vec![(col, cell)]));
            }
        }
        Ok(())
    }

    /// Sends the row being read, if any.
    fn flush(&mut self) -> Result<(), Msg> {
        let Some((row, cells)) = self.current.take() else { return Ok(()) };
        if let Some(sheets) = self.sheets.take() {
            (self.emit)(sheets)?;
        }
        self.sent = true;
        (self.emit)(Message::Row(u64::from(row) + 1, by_column(cells)))
    }

    /// Adds a cell of a sheet read cell by cell (`sparse`: XLSX) or whole.
    fn add<T: DataType>(&mut self, (row, col): (u32, u32), value: &T, sparse: bool) -> Result<(), Msg> {
        let l = self.limits;
        if col >= l.columns {
            if !sparse {
                // A sheet read whole is as wide as its widest row.
                return if holds_value(value) { Err(beyond_columns(u64::from(row), u64::from(col), l)) } else { Ok(()) };
            }
            // Beyond the columns a table may have (a value Excel left far
            // right): not part of the table. It counts towards the cells
            // limit and is kept without its value, so the import can say
            // where it was (`Source::outside_columns`).
            if holds_value(value) {
                self.count_cell()?;
                self.put(row, col, OwnedCell::Text(String::new()))?;
            }
            return Ok(());
        }
        let Some(cell) = cell(value) else { return Ok(()) };
        self.count_cell()?;
        if let OwnedCell::Text(t) = &cell {
            if t.len() > cells::MAX_CELL_BYTES {
                return Err(cells::too_long_reason(u64::from(row) + 1, col as usize, t.len()));
            }
            self.text += t.len() as u64;
            if self.text > l.text_bytes {
                return Err(crate::msg!("import.workbook.too_much_text", mib = l.text_bytes >> 20));
            }
        }
        self.put(row, col, cell)
    }

    fn count_cell(&mut self) -> Result<(), Msg> {
        self.cells += 1;
        if self.cells > self.limits.cells {
            return Err(too_many_cells(self.limits));
        }
        Ok(())
    }
}

/// A row's cells in column order, a column given twice holding its last value.
fn by_column(mut cells: Vec<(u32, OwnedCell)>) -> Vec<(u32, OwnedCell)> {
    if cells.windows(2).all(|w| w[0].0 < w[1].0) {
        return cells;
    }
    cells.sort_by_key(|c| c.0);
    let mut out: Vec<(u32, OwnedCell)> = Vec::with_capacity(cells.len());
    for c in cells {
        match out.last_mut() {
            Some(last) if last.0 == c.0 => *last = c,
            _ => out.push(c),
        }
    }
    out
}

/// Rows as the reader sent them, in row order, a row sent more than once
/// (its cells came out of order) merged.
pub fn merge_rows(rows: &mut Vec<(u64, Vec<(u32, OwnedCell)>)>) {
    if rows.windows(2).all(|w| w[0].0 < w[1].0) {
        return;
    }
    rows.sort_by_key(|r| r.0);
    let mut out: Vec<(u64, Vec<(u32, OwnedCell)>)> = Vec::with_capacity(rows.len());
    for (n, cells) in rows.drain(..) {
        match out.last_mut() {
            Some((last, merged)) if *last == n => merged.extend(cells),
            _ => out.push((n, cells)),
        }
    }
    for (_, cells) in &mut out {
        *cells = by_column(std::mem::take(cells));
    }
    *rows = out;
}

/// The refusal of a sheet with a value in 0-based `column` of 0-based `row`.
fn beyond_columns(row: u64, column: u64, limits: Limits) -> Msg {
    crate::msg!(
        "import.workbook.beyond_columns",
        column = cells::column_letter(usize::try_from(column).unwrap_or(usize::MAX)),
        row = row + 1,
        columns = limits.columns,
    )
}

fn too_many_cells(limits: Limits) -> Msg {
    crate::msg!("import.workbook.too_many_cells", cells = crate::i18n::group(limits.cells as f64, 0))
}

fn read_sheet(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str, rows: &mut Rows) -> Result<(), Msg> {
    let failed = |e: &dyn std::fmt::Display| crate::msg!("import.workbook.sheet_unreadable", name = quoted(name), reason = e.to_string());
    match book {
        // Cell by cell: a huge declared range costs nothing.
        Sheets::Xlsx(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| failed(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| failed(&e))? {
                rows.add(cell.get_position(), cell.get_value(), true)?;
            }
            Ok(())
        }
        other => {
            let range = other.worksheet_range(name).map_err(|e| failed(&e))?;
            let (start_row, start_col) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                rows.add((start_row + r as u32, start_col + c as u32), data, false)?;
            }
            Ok(())
        }
    }
}

/// A number cell; one that is not finite (a damaged file's NaN or
/// infinity, which JSON cannot carry) reads as Excel's `#NUM!` error, so
/// its row is reported rather than the file refused.
fn number(n: f64) -> OwnedCell {
    if n.is_finite() {
        OwnedCell::Number(n)
    } else {
        OwnedCell::Text("#NUM!".into())
    }
}

fn text(s: &str) -> Option<OwnedCell> {
    (!s.is_empty()).then(|| OwnedCell::Text(s.to_string()))
}

/// Whether a cell holds something ([`cell`] would give `Some`), without
/// copying its text.
fn holds_value<T: DataType>(d: &T) -> bool {
    if let Some(s) = d.get_string().or_else(|| d.get_datetime_iso()).or_else(|| d.get_duration_iso()) {
        return !s.is_empty();
    }
    d.get_int().is_some() || d.get_float().is_some() || d.get_bool().is_some() || d.get_datetime().is_some() || d.is_error()
}

/// A cell's value as the reader sends it (`None`: empty). One function for
/// both of calamine's cell types, through their common trait.
fn cell<T: DataType>(d: &T) -> Option<OwnedCell> {
    if let Some(s) = d.get_string().or_else(|| d.get_datetime_iso()).or_else(|| d.get_duration_iso()) {
        return text(s);
    }
    if let Some(i) = d.get_int() {
        return Some(OwnedCell::Number(i as f64));
    }
    if let Some(f) = d.get_float() {
        return Some(number(f));
    }
    if let Some(b) = d.get_bool() {
        return Some(OwnedCell::Text(if b { "TRUE" } else { "FALSE" }.into()));
    }
    if let Some(dt) = d.get_datetime() {
        return Some(match dt.as_datetime() {
            Some(t) if !dt.is_duration() => OwnedCell::Date(t.date()),
            _ => number(dt.as_f64()),
        });
    }
    d.is_error().then(|| OwnedCell::Text("#ERROR".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_go_through_the_pipe_as_they_were() {
        let row = Message::Row(7, vec![
            (0, OwnedCell::Text("北京星河\n\"科技\"".into())),
            (1, OwnedCell::Number(37600.0)),
            (2, OwnedCell::Number(-0.125)),
            (4, OwnedCell::Date(NaiveDate::from_ymd_opt(2025, 3, 10).unwrap())),
            (5, OwnedCell::Text(String::new())),
        ]);
        let line = serde_json::to_string(&row).unwrap();
        assert_eq!(line, r#"{"row":[7,[[0,"北京星河\n\"科技\""],[1,37600.0],[2,-0.125],[4,{"d":"2025-03-10"}],[5,""]]]}"#);
        assert_eq!(serde_json::from_str::<Message>(&line).unwrap(), row);
        for bad in [r#"{"row":[1,[[0,true]]]}"#, r#"{"row":[1,[[0,{"x":"2025-01-01"}]]]}"#, r#"{"row":[1,[[0,{"d":"2025-13-01"}]]]}"#] {
            assert!(serde_json::from_str::<Message>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_e_invoice_lines_sheet_is_read_first() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().set_name("发票基础信息").unwrap().write(0, 0, "发票号码").unwrap();
        book.add_worksheet().set_name("信息汇总表").unwrap().write(0, 0, "货物或应税劳务名称").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut seen = Vec::new();
        read(bytes, None, LIMITS, &mut |m| {
            seen.push(m);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen[0], Message::Sheets { names: vec!["发票基础信息".into(), "信息汇总表".into()], chosen: "信息汇总表".into() });
        assert_eq!(seen[1], Message::Row(1, vec![(0, OwnedCell::Text("货物或应税劳务名称".into()))]));
    }

    #[test]
    fn a_row_sent_twice_is_merged_in_column_order() {
        let t = |s: &str| OwnedCell::Text(s.into());
        let mut rows = vec![(5, vec![(0, t("a")), (2, t("c"))]), (3, vec![(0, t("x"))]), (5, vec![(1, t("b")), (2, t("C"))])];
        merge_rows(&mut rows);
        assert_eq!(rows, vec![(3, vec![(0, t("x"))]), (5, vec![(0, t("a")), (1, t("b")), (2, t("C"))])]);
    }
}
