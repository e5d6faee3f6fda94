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
//! something count towards [`Limits`].
//!
//! The child writes one JSON message per line on stdout: first
//! [`Message::Sheets`], then one [`Message::Row`] per row with cells, then
//! [`Message::End`] or [`Message::Failed`].
//!
//! The child dies with the process that started it (Linux: a parent-death
//! signal; Windows: a job object, which also holds its memory limit), so a
//! killed import leaves no reader behind.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

use calamine::{DataType, Reader, Sheets};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::table::quoted;

mod contain;
mod ods;

use contain::{contain, die_with_parent, limit_memory, PARENT_ENV};
use ods::check_ods;

/// The hidden subcommand that reads a workbook.
pub const SUBCOMMAND: &str = "__read-workbook";


/// What a workbook may hold; the refusal names the limit it met.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Cells that hold something.
    pub cells: u64,
    /// The rightmost column a cell may be in.
    pub columns: u32,
    /// All text of all cells, decoded.
    pub text_bytes: u64,
    /// The reader process's address space.
    pub memory_bytes: u64,
    /// Wall-clock time for the whole read.
    pub time: Duration,
}

pub const LIMITS: Limits = Limits {
    cells: 5_000_000,
    columns: 1_000,
    text_bytes: 512 << 20,
    memory_bytes: 3 << 30,
    time: Duration::from_secs(120),
};

/// A cell as the reader sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub enum OwnedCell {
    #[serde(rename = "s")]
    Text(String),
    #[serde(rename = "n")]
    Number(f64),
    #[serde(rename = "d")]
    Date(NaiveDate),
}

/// One line of the reader's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    Sheets { names: Vec<String>, chosen: String },
    /// A 1-based row number and its cells by 0-based column.
    Row(u64, Vec<(u32, OwnedCell)>),
    End,
    Failed(String),
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

fn reader_program() -> Result<PathBuf, String> {
    match READER.get() {
        Some(p) => Ok(p.clone()),
        None => std::env::current_exe().map_err(|e| format!("cannot find the program to read it with: {e}")),
    }
}

const DAMAGED: &str = "this file could not be read: it looks damaged or too large";

/// Reads `path` in a child process within [`LIMITS`]. `cancel` stops it.
pub fn read_isolated(path: &Path, sheet: Option<&str>, cancel: &AtomicBool) -> Result<Workbook, String> {
    let limits = LIMITS;
    let mut cmd = Command::new(reader_program()?);
    cmd.arg(SUBCOMMAND).arg(path).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env(PARENT_ENV, std::process::id().to_string());
    if let Some(s) = sheet {
        cmd.arg("--sheet").arg(s);
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start the workbook reader: {e}"))?;
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
    let mut outcome: Option<Result<(), String>> = None;
    while outcome.is_none() {
        if cancel.load(Ordering::Relaxed) {
            outcome = Some(Err("cancelled".into()));
            break;
        }
        if Instant::now() >= deadline {
            outcome = Some(Err(format!("{DAMAGED} (reading it took more than {} seconds)", limits.time.as_secs())));
            break;
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(Message::Sheets { names, chosen })) => (book.sheets, book.sheet) = (names, chosen),
            Ok(Ok(Message::Row(n, cells))) => book.rows.push((n, cells)),
            Ok(Ok(Message::End)) => outcome = Some(Ok(())),
            Ok(Ok(Message::Failed(reason))) => outcome = Some(Err(reason)),
            Ok(Err(e)) => outcome = Some(Err(format!("{DAMAGED} (the reader's output was cut: {e})"))),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => outcome = Some(Err(String::new())),
        }
    }
    let _ = child.kill();
    let status = child.wait().ok();
    drop(rx);
    let _ = reader.join();
    let stderr = errors.join().unwrap_or_default();
    match outcome.expect("set above") {
        Ok(()) => Ok(book),
        Err(reason) if !reason.is_empty() => Err(reason),
        // The reader died without saying why: a crash or a limit the system enforced.
        Err(_) => Err(died(&stderr, status, limits)),
    }
}

fn died(stderr: &str, status: Option<std::process::ExitStatus>, limits: Limits) -> String {
    let gib = limits.memory_bytes >> 30;
    if stderr.contains("memory allocation") || stderr.contains("out of memory") {
        return format!("{DAMAGED} (reading it needed more than the {gib} GiB it may use)");
    }
    if stderr.contains("panicked") {
        return format!("{DAMAGED} (the spreadsheet reader failed on it)");
    }
    let how = status.map_or("it stopped".to_string(), |s| format!("the reader stopped: {s}"));
    format!("{DAMAGED} ({how}; at most {gib} GiB of memory)")
}

// ---- the child ----

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
            let _ = send(&Message::Failed(format!("cannot read the file: {e}")));
            return 1;
        }
    };
    let result = read(bytes, sheet, LIMITS, &mut |m| send(&m).map_err(|e| e.to_string()));
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
pub fn read(bytes: Vec<u8>, sheet: Option<&str>, limits: Limits, emit: &mut dyn FnMut(Message) -> Result<(), String>) -> Result<(), String> {
    check_ods(&bytes, sheet, limits)?;
    read_book(bytes, sheet, limits, emit)
}

/// [`read`] through calamine alone.
fn read_book(bytes: Vec<u8>, sheet: Option<&str>, limits: Limits, emit: &mut dyn FnMut(Message) -> Result<(), String>) -> Result<(), String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        let msg = e.to_string();
        let lower = msg.to_lowercase();
        if lower.contains("password") || lower.contains("encrypt") {
            super::table::PASSWORD_PROTECTED.to_string()
        } else {
            format!("the workbook cannot be read (damaged, truncated or not a spreadsheet): {msg}")
        }
    })?;
    let names = book.sheet_names().to_vec();
    if names.is_empty() {
        return Err("the workbook has no worksheets".into());
    }
    if let Some(name) = sheet {
        if !names.iter().any(|s| s == name) {
            let listed: Vec<String> = names.iter().map(|n| quoted(n)).collect();
            return Err(format!("no sheet named {}; the sheets are: {}", quoted(name), listed.join(", ")));
        }
    }
    // The chosen sheet, else the first that has a cell with something in it.
    let candidates: Vec<String> = match sheet {
        Some(s) => vec![s.to_string()],
        None => names.clone(),
    };
    for name in &candidates {
        let mut rows = Rows::new(limits);
        read_sheet(&mut book, name, &mut rows)?;
        if rows.rows.is_empty() && sheet.is_none() {
            continue;
        }
        if rows.rows.is_empty() {
            return Err(format!("sheet {} is empty", quoted(name)));
        }
        emit(Message::Sheets { names: names.clone(), chosen: name.clone() })?;
        for (n, cells) in rows.rows {
            emit(Message::Row(u64::from(n) + 1, cells.into_iter().collect()))?;
        }
        return Ok(());
    }
    Err("every sheet in the workbook is empty".into())
}

/// The cells read so far, by row, within the limits.
struct Rows {
    limits: Limits,
    rows: BTreeMap<u32, BTreeMap<u32, OwnedCell>>,
    cells: u64,
    text: u64,
}

impl Rows {
    fn new(limits: Limits) -> Rows {
        Rows { limits, rows: BTreeMap::new(), cells: 0, text: 0 }
    }

    fn add(&mut self, (row, col): (u32, u32), cell: Option<OwnedCell>) -> Result<(), String> {
        let Some(cell) = cell else { return Ok(()) };
        let l = self.limits;
        if col >= l.columns {
            return Err(beyond_columns(u64::from(row), u64::from(col), l));
        }
        self.cells += 1;
        if self.cells > l.cells {
            return Err(too_many_cells(l));
        }
        if let OwnedCell::Text(t) = &cell {
            if t.len() > super::table::MAX_CELL_BYTES {
                return Err(super::table::too_long_reason(u64::from(row) + 1, col as usize, t.len()));
            }
            self.text += t.len() as u64;
            if self.text > l.text_bytes {
                return Err(format!("{DAMAGED}: its cells hold more than {} MiB of text", l.text_bytes >> 20));
            }
        }
        self.rows.entry(row).or_default().insert(col, cell);
        Ok(())
    }
}

/// The refusal of a sheet with a value in 0-based `column` of 0-based `row`.
fn beyond_columns(row: u64, column: u64, limits: Limits) -> String {
    format!(
        "{DAMAGED}: it has a value in column {} (row {}), beyond the {} columns Vital Few reads",
        super::table::column_letter(usize::try_from(column).unwrap_or(usize::MAX)),
        row + 1,
        limits.columns
    )
}

fn too_many_cells(limits: Limits) -> String {
    format!("{DAMAGED}: it has more than {} cells with values; save the sheet as CSV, or split it", group(limits.cells))
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn read_sheet(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str, rows: &mut Rows) -> Result<(), String> {
    let failed = |e: &dyn std::fmt::Display| format!("sheet {} cannot be read: {e}", quoted(name));
    match book {
        // Cell by cell: a huge declared range costs nothing.
        Sheets::Xlsx(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| failed(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| failed(&e))? {
                rows.add(cell.get_position(), self::cell(cell.get_value()))?;
            }
            Ok(())
        }
        other => {
            let range = other.worksheet_range(name).map_err(|e| failed(&e))?;
            let (start_row, start_col) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                rows.add((start_row + r as u32, start_col + c as u32), cell(data))?;
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
