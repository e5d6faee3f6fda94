//! Bad input: every case gets a one-line message naming the file and what
//! is wrong, a non-zero exit code, no panic, and leaves the store untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let case = Case { dir: tempfile::tempdir().unwrap() };
        // Something already stored, which a failed import must not touch.
        let seed = case.write("seed.csv", "客户名称,日期,销售额\n老客户,2024-01-01,100\n".as_bytes());
        let o = case.run(&["import", seed.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        case
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_vitalfew"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env_remove("VITALFEW_DATA_DIR")
            .output()
            .unwrap()
    }

    /// Imports `file`, expects a clean failure mentioning `needle`, and
    /// checks that the store still holds exactly the seed.
    fn refuses(&self, file: &Path, needle: &str) {
        let before = self.run(&["customers", "--json"]).stdout;
        let o = self.run(&["import", file.to_str().unwrap(), "--json"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "stderr: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name), "names the file: {err}");
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
        assert!(o.stdout.is_empty(), "nothing on stdout");
        assert_eq!(self.run(&["customers", "--json"]).stdout, before, "store untouched");
        let info: serde_json::Value = serde_json::from_slice(&self.run(&["info", "--json"]).stdout).unwrap();
        assert_eq!(info["sales_lines"], 1);
        let history: serde_json::Value = serde_json::from_slice(&self.run(&["imports", "--json"]).stdout).unwrap();
        assert_eq!(history.as_array().unwrap().len(), 1);
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn empty_file() {
    let c = Case::new();
    c.refuses(&c.write("empty.csv", b""), "the file is empty");
}

#[test]
fn whitespace_only_file() {
    let c = Case::new();
    c.refuses(&c.write("blank.csv", b"\n\n  \n"), "the file is empty");
}

#[test]
fn headers_only() {
    let c = Case::new();
    c.refuses(&c.write("headers.csv", "客户名称,日期,销售额\n".as_bytes()), "no data rows below the header (row 1)");
}

#[test]
fn binary_content() {
    let c = Case::new();
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 31 % 251) as u8));
    c.refuses(&c.write("program.csv", &bytes), "binary content");
}

#[test]
fn random_bytes() {
    let c = Case::new();
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let bytes: Vec<u8> = (0..65536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    c.refuses(&c.write("noise.txt", &bytes), "binary content");
}

#[test]
fn truncated_xlsx() {
    let c = Case::new();
    c.refuses(&fixture("truncated.xlsx"), "cannot be read (damaged, truncated or not a spreadsheet)");
}

#[test]
fn password_protected_xlsx() {
    let c = Case::new();
    c.refuses(&fixture("password.xlsx"), "password-protected");
}

#[test]
fn duplicate_header_names() {
    let c = Case::new();
    let f = c.write("dup.csv", "客户名称,销售额,销售额\n甲,1,2\n".as_bytes());
    c.refuses(&f, "columns B and C have the same header \"销售额\"");
}

#[test]
fn no_column_can_be_the_customer() {
    let c = Case::new();
    let f = c.write("nocustomer.csv", b"Date,Amount,Note\n2024-01-01,5,x\n");
    c.refuses(&f, "no column can be the customer");
}

#[test]
fn text_in_every_numeric_cell() {
    let c = Case::new();
    let f = c.write("text.csv", "客户名称,日期,销售额\n甲,2024-01-01,很多\n乙,2024-01-02,n/a?\n".as_bytes());
    c.refuses(&f, "none of the 2 rows can be imported; first problem: row 2, column C (销售额): \"很多\" — not a number");
}

#[test]
fn absurd_dates() {
    let c = Case::new();
    let f = c.write("dates.csv", "客户名称,日期,销售额\n甲,9999-01-01,1\n乙,1066-10-14,2\n丙,2024-02-30,3\n".as_bytes());
    c.refuses(&f, "date out of range (1900–2100)");
}

#[test]
fn ten_thousand_character_cell() {
    let c = Case::new();
    let name = "长".repeat(10_000);
    let f = c.write("long.csv", format!("客户名称,日期,销售额\n{name},2024-01-01,1\n").as_bytes());
    c.refuses(&f, "text too long (10000 characters; at most 1000)");
}

#[test]
fn fifty_megabyte_single_line() {
    let c = Case::new();
    let f = c.write("oneline.csv", &vec![b'x'; 50 * 1024 * 1024]);
    c.refuses(&f, "this does not look like a table");
}

#[test]
fn missing_file() {
    let c = Case::new();
    c.refuses(&c.dir.path().join("nope.xlsx"), "cannot read the file");
}

#[test]
fn unknown_sheet() {
    let c = Case::new();
    let o = c.run(&["import", fixture("ledger_title.xlsx").to_str().unwrap(), "--sheet", "Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no sheet named \"Nope\"; the sheets are: \"销售明细\", \"说明\""));
}
#[test]
fn a_workbook_with_millions_of_cells_is_refused_with_the_limit() {
    let case = Case::new();
    case.refuses(&fixture("xlsx_many_cells.xlsx"), "more than 8,000,000 cells");
}

/// Found by fuzzing the workbook reader (tests/fixtures/fuzz/): damaged
/// Excel 97 and XLSX files on which the reader panics or asks for
/// gigabytes. The reader's own process ends; the import is refused and the
/// app goes on.
#[test]
fn damaged_workbooks_that_crash_the_reader_are_refused() {
    let case = Case::new();
    for (file, why) in [
        ("fuzz/xls_cfb_partial_fat_sector_panic.xls", "the spreadsheet reader failed on it"),
        ("fuzz/xls_cfb_sector_past_eof_panic.xls", "the spreadsheet reader failed on it"),
        ("fuzz/xls_cfb_sector_chain_oom.xls", "GiB it may use"),
    ] {
        case.refuses(&fixture(file), "could not be read: it looks damaged or too large");
        let o = case.run(&["import", fixture(file).to_str().unwrap()]);
        assert!(String::from_utf8_lossy(&o.stderr).contains(why), "{file}: {}", String::from_utf8_lossy(&o.stderr));
    }
    // Arithmetic overflows: with overflow checks (debug builds) the reader
    // panics; without, the numbers wrap and the reader reports the sheet as
    // unreadable. Either way the file is refused cleanly.
    for file in [
        "fuzz/xlsx_dimension_subtract_overflow.xlsx",
        "fuzz/xlsx_dimension_column_subtract_overflow.xlsx",
        "fuzz/xlsx_cell_ref_multiply_overflow.xlsx",
        "fuzz/xlsx_cell_ref_row_multiply_overflow.xlsx",
    ] {
        case.refuses(&fixture(file), "read");
    }
}

/// A cell holding line breaks, tabs and quotes (here: a stray quote that
/// swallowed the next line into the customer) is quoted on one line in
/// every message: the refusal on stderr, the problems the import lists.
#[test]
fn cells_with_line_breaks_and_quotes_are_quoted_on_one_line() {
    let c = Case::new();
    let swallowed = format!("90000,王芳\r\nSO-002,\"\"北方建材集团\"\"{}", ",x".repeat(600));
    let f = c.write("swallowed.csv", format!("订单号,开票日期,客户名称,销售额\nSO-001,2024-01-05,\"{swallowed}\",100\n").as_bytes());
    let shown = "column C (客户名称): \"90000,王芳⏎SO-002,\\\"北方建材集团\\\",x,x,x,x,x,x,…\" — text too long";
    c.refuses(&f, shown);
    let err = String::from_utf8(c.run(&["import", f.to_str().unwrap()]).stderr).unwrap();
    assert!(!err.contains(['\r', '\t']), "{err:?}");

    // Reported, not refused: a skipped row and a second name for an ID.
    let long = format!("南方\n{}", "长".repeat(1001));
    let text = format!(
        "客户编号,客户名称,日期,销售额\nC1,\"华东\"\"钢铁\"\"\r\n有限公司\",2024-01-01,10\nC1,北方建材,2024-01-02,20\nC3,\"{long}\",2024-01-03,5\n"
    );
    let f = c.write("names.csv", text.as_bytes());
    let o = c.run(&["import", f.to_str().unwrap(), "--dry-run"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success() && !out.contains(['\r', '\t']), "{out:?}");
    for line in out.lines() {
        assert!(line.starts_with("names.csv: ") || line.starts_with("  ") || line == "Nothing was saved.", "a line of its own: {line:?} in {out}");
    }
    assert!(out.contains("  skipped row 4, column B (客户名称): \"南方⏎长长长"), "{out}");
    assert!(out.contains("  note: row 3: \"北方建材\" — customer ID \"C1\" is also named \"华东\\\"钢铁\\\"⏎有限公司\": the name of its latest row is shown"), "{out}");
    // In --json the value is the cell as it is; the messages are one line.
    let o = c.run(&["import", f.to_str().unwrap(), "--dry-run", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let [error] = summary["errors"].as_array().unwrap().as_slice() else { panic!("{summary}") };
    assert_eq!(error["value"], long.as_str());
    assert_eq!(error["column"], "B (客户名称)");
    assert!(!error["reason"].as_str().unwrap().contains(['\n', '\r']), "{error}");
}

/// An ODS whose one row of values repeats 1,048,576 times across 20
/// columns (an 837-byte file): refused by counting the repeats, before the
/// spreadsheet reader writes out its 21 million cells (1.7 GB).
#[test]
fn ods_with_a_row_of_values_repeated_a_million_times() {
    let c = Case::new();
    c.refuses(&fixture("ods_repeated_rows.ods"), "it has more than 8,000,000 cells with values; save the sheet as CSV, or split it");
}

/// The parent process of `pid`, from /proc/<pid>/stat (`pid (comm) state
/// ppid …`), unless it has ended (gone, or a zombie no one reaps).
#[cfg(target_os = "linux")]
fn running_parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?;
    (state != "Z" && state != "X").then(|| fields.next()?.parse().ok())?
}

#[cfg(target_os = "linux")]
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).filter(|&pid| running_parent(pid) == Some(parent)).collect()
}

/// Polls `f` every 50 ms until it gives something or `secs` have passed.
#[cfg(target_os = "linux")]
fn within<T>(secs: u64, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(t) = f() {
            return Some(t);
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A killed import leaves no workbook reader behind. The workbook is a named
/// pipe: the import reads it once, then its reader waits on it for a writer
/// that never comes — a reader only its parent's death can end.
#[cfg(target_os = "linux")]
#[test]
fn the_workbook_reader_dies_with_a_killed_import() {
    let c = Case::new();
    let pipe = c.dir.path().join("slow.xlsx");
    assert!(Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let mut import = Command::new(env!("CARGO_BIN_EXE_vitalfew"))
        .arg("--data-dir")
        .arg(c.dir.path().join("data"))
        .arg("import")
        .arg(&pipe)
        .env_remove("VITALFEW_DATA_DIR")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Opening a pipe waits for its other end: write from another thread.
    let bytes = std::fs::read(fixture("ledger_title.xlsx")).unwrap();
    let writer = pipe.clone();
    std::thread::spawn(move || std::fs::write(writer, bytes));
    let reader = within(120, || children_of(import.id()).first().copied()).expect("the import starts a workbook reader");
    import.kill().unwrap();
    import.wait().unwrap();
    let gone = within(10, || running_parent(reader).is_none().then_some(()));
    if gone.is_none() {
        // Do not leave it behind for the next test run.
        let _ = Command::new("kill").args(["-KILL", &reader.to_string()]).status();
        panic!("the workbook reader {reader} still runs 10 s after its import was killed");
    }
}

/// A reader whose parent is not the process that started it (which died
/// before the reader could arrange to die with it) stops before reading.
#[cfg(target_os = "linux")]
#[test]
fn an_orphaned_workbook_reader_stops_at_once() {
    let read = |parent: String| {
        Command::new(env!("CARGO_BIN_EXE_vitalfew"))
            .args(["__read-workbook", fixture("ledger.ods").to_str().unwrap()])
            .env("VITALFEW_READER_PARENT", parent)
            .output()
            .unwrap()
    };
    let orphan = read("0".into());
    assert_eq!(orphan.status.code(), Some(1));
    assert!(orphan.stdout.is_empty(), "{}", String::from_utf8_lossy(&orphan.stdout));
    let child = read(std::process::id().to_string());
    assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stderr));
    assert!(String::from_utf8_lossy(&child.stdout).ends_with("\"end\"\n"));
}

/// Values far right of a workbook's table (beyond the columns a table may
/// have) are left out of it, but not out of the limits: a sheet of more
/// such values than the cells limit is refused like any other, and those
/// within it are sent without their value (only where they were).
#[test]
fn values_beyond_the_columns_limit_count_towards_the_cells_limit() {
    use vitalfew::import::workbook::{read, Message, OwnedCell, LIMITS};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Customer").unwrap();
    sheet.write_string(1, 0, "Acme").unwrap();
    for r in 0..20u32 {
        sheet.write_string(r, 16_383, "a long text that is not kept").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let mut far = Vec::new();
    let limits = |cells| vitalfew::import::workbook::Limits { cells, ..LIMITS };
    read(bytes.clone(), None, limits(22), &mut |m| {
        if let Message::Row(row, cells) = m {
            far.extend(cells.into_iter().filter(|(col, _)| *col >= LIMITS.columns).map(|(col, cell)| (row, col, cell)));
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(far.len(), 20);
    assert!(far.iter().all(|(_, col, cell)| *col == 16_383 && *cell == OwnedCell::Text(String::new())), "{far:?}");
    let refusal = read(bytes, None, limits(21), &mut |_| Ok(())).unwrap_err().to_string();
    assert!(refusal.contains("more than 21 cells with values"), "{refusal}");
}
