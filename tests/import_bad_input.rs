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
    assert!(String::from_utf8_lossy(&o.stderr).contains("no sheet named \"Nope\"; the sheets are: 销售明细, 说明"));
}
#[test]
fn a_workbook_with_millions_of_cells_is_refused_with_the_limit() {
    let case = Case::new();
    case.refuses(&fixture("xlsx_many_cells.xlsx"), "more than 5,000,000 cells");
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
