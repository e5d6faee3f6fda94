//! Import: customers and sales from CSV/TSV/TXT and XLSX/XLSM/XLS/ODS files.
//!
//! Pipeline: [`table::Source`] reads and decodes the file → the header row is
//! found ([`find_header`]) → columns are mapped ([`mapping`]) → [`plan::plan`]
//! parses and validates every row against what is already stored, producing
//! a [`plan::Plan`] whose `preview` the user sees → the store commits the plan
//! in one transaction. Nothing here touches the store or knows of Tauri.

pub mod cells;
pub mod mapping;
pub mod plan;
pub mod remembered;
pub mod sources;
pub mod table;
pub mod text;
pub mod values;
pub mod workbook;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use mapping::Field;
pub use plan::{plan, Plan};
pub use sources::SourceKind;
pub use table::Source;
pub use text::{Delimiter, TextEncoding};

/// A problem with the file as a whole: nothing can be imported from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub reason: crate::i18n::Msg,
}

impl ImportError {
    pub fn file(file: &str, reason: crate::i18n::Msg) -> ImportError {
        ImportError { file: file.to_string(), reason }
    }
}

impl From<ImportError> for crate::Error {
    fn from(e: ImportError) -> crate::Error {
        crate::Error::Import { file: e.file, reason: e.reason }
    }
}

/// How ambiguous dates such as 03/04/2024 are read. Decided per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl From<DateOrder> for values::DayOrder {
    fn from(o: DateOrder) -> values::DayOrder {
        match o {
            DateOrder::DayFirst => values::DayOrder::DayFirst,
            DateOrder::MonthFirst => values::DayOrder::MonthFirst,
        }
    }
}

impl From<values::DayOrder> for DateOrder {
    fn from(o: values::DayOrder) -> DateOrder {
        match o {
            values::DayOrder::DayFirst => DateOrder::DayFirst,
            values::DayOrder::MonthFirst => DateOrder::MonthFirst,
        }
    }
}

/// The decimal mark of a file's numbers; `--decimal` takes these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// 1,234.56
    Point,
    /// 1.234,56
    Comma,
}

impl From<DecimalMark> for values::Mark {
    fn from(m: DecimalMark) -> values::Mark {
        match m {
            DecimalMark::Point => values::Mark::Point,
            DecimalMark::Comma => values::Mark::Comma,
        }
    }
}

impl From<values::Mark> for DecimalMark {
    fn from(m: values::Mark) -> DecimalMark {
        match m {
            values::Mark::Point => DecimalMark::Point,
            values::Mark::Comma => DecimalMark::Comma,
        }
    }
}

/// What the user (or the CLI) chose; `None` everywhere means "detect".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ImportOptions {
    #[ts(optional)]
    pub encoding: Option<TextEncoding>,
    #[ts(optional)]
    pub sheet: Option<String>,
    /// 1-based row number of the header row.
    #[ts(optional, type = "number")]
    pub header_row: Option<u64>,
    /// One entry per column; `null` keeps the column as a custom attribute.
    #[ts(optional)]
    pub mapping: Option<Vec<Option<Field>>>,
    #[ts(optional)]
    pub date_order: Option<DateOrder>,
    /// How a text file's fields are separated.
    #[ts(optional)]
    pub delimiter: Option<Delimiter>,
    #[ts(optional)]
    pub decimal: Option<DecimalMark>,
    /// Add lines that look like sales an earlier import stored (the same
    /// order, date and amount: see `ImportPreview::duplicates`) anyway.
    #[ts(optional = nullable)]
    pub keep_duplicates: bool,
    /// The program the file comes from; `None` recognises it (`--source auto`).
    #[ts(optional)]
    pub source: Option<SourceKind>,
    /// Import rows whose status says they are no sale (closed, refunded…)
    /// anyway: see `ImportPreview::excluded`.
    #[ts(optional = nullable)]
    pub keep_excluded: bool,
    /// Mappings by header, applied over the detected ones (the command
    /// line's `--map HEADER=FIELD`); `None` keeps the column as an attribute.
    #[serde(skip)]
    #[ts(skip)]
    pub by_header: Vec<(String, Option<Field>)>,
}

/// Reads `path` and plans its import against what `store` holds. Writes
/// nothing; `store.commit_import(&plan, …)` does.
pub fn prepare(
    store: &crate::store::Store,
    path: &std::path::Path,
    options: &ImportOptions,
    progress: plan::Progress<'_>,
    cancel: &std::sync::atomic::AtomicBool,
) -> crate::Result<Plan> {
    let mut source = Source::open(path, options.encoding, options.sheet.as_deref(), cancel)?;
    if let Some(d) = options.delimiter {
        source.set_delimiter(d);
    }
    let mut existing = plan::Existing::new(store.customers()?, store.line_count()? as usize);
    let stored = store.stored_lines()?;
    stored.for_each(|_, l| existing.add_line(&l)).map_err(|reason| crate::Error::Corrupt { what: "sales lines".into(), reason })?;
    let imports = store.imports()?;
    existing.mappings = remembered::mappings(&imports);
    existing.keep_lines(stored, imports.into_iter().map(|r| (r.id, r.file_name)));
    plan::plan(&source, options, &existing, progress, cancel)
}

/// Progress of a long import, as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct ImportProgress {
    #[ts(type = "number")]
    pub rows: u64,
    /// 0..=1
    pub fraction: f64,
    pub per_second: f64,
}

/// The extensions an import reads, lower case: the open dialog's filter and
/// what a file handed to the app (desktop "Open with", command line) may be.
pub const EXTENSIONS: [&str; 7] = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"];

/// A file handed to the app from outside (the desktop's "Open with", the
/// command line, a second launch): where it is and, when it cannot be
/// previewed, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedFile {
    pub path: String,
    pub file_name: String,
    pub problem: Option<OpenProblem>,
}

/// Why a file handed to the app is not previewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OpenProblem {
    /// Not a spreadsheet or text table the import reads (by its extension).
    Unsupported,
    /// Nothing is there.
    Missing,
    /// A folder, device or pipe, not a regular file.
    NotAFile,
}

impl OpenedFile {
    /// Checks a path that came from outside: only an existing regular file
    /// (a link to one is followed) with an extension of [`EXTENSIONS`] is
    /// previewed. Nothing is read from the file.
    pub fn check(path: &std::path::Path) -> OpenedFile {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let problem = if !EXTENSIONS.contains(&ext.as_str()) {
            Some(OpenProblem::Unsupported)
        } else {
            match std::fs::metadata(path) {
                Err(_) => Some(OpenProblem::Missing),
                Ok(m) if !m.is_file() => Some(OpenProblem::NotAFile),
                Ok(_) => None,
            }
        };
        let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        OpenedFile { path: path.display().to_string(), file_name, problem }
    }
}

/// The problem rows of a preview as CSV (errors, then warnings).
pub fn problems_csv(preview: &plan::ImportPreview) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["row", "column", "value", "reason", "kind"]);
    for (kind, list) in [("error", &preview.errors), ("warning", &preview.warnings)] {
        for p in list.iter() {
            let _ = w.write_record([p.row.to_string().as_str(), &p.column, &defuse(&p.value), &p.reason, kind]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A value that a spreadsheet would run as a formula gets a leading
/// apostrophe, so opening the exported CSV never evaluates the user's data.
pub fn defuse(value: &str) -> String {
    let risky = match value.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => value.parse::<f64>().is_err(),
        _ => false,
    };
    if risky { format!("'{value}") } else { value.to_string() }
}

/// The first rows of a file are scanned for its header.
pub const HEADER_SCAN_ROWS: usize = 30;

/// The header row among `head` (rows as text): the row naming the most known
/// fields; failing that, the first row with the most filled cells.
pub fn find_header(head: &[(u64, Vec<String>)]) -> Option<(u64, Vec<String>)> {
    let filled = |cells: &Vec<String>| cells.iter().filter(|c| !c.trim().is_empty()).count();
    let best_known = head
        .iter()
        .map(|(row, cells)| (mapping::header_score(cells), *row, cells))
        .filter(|(score, _, _)| *score > 0)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    if let Some((_, row, cells)) = best_known {
        return Some((row, cells.clone()));
    }
    head.iter()
        .filter(|(_, cells)| filled(cells) >= 2)
        .max_by(|a, b| filled(&a.1).cmp(&filled(&b.1)).then(b.0.cmp(&a.0)))
        .or_else(|| head.iter().find(|(_, cells)| filled(cells) >= 1))
        .map(|(row, cells)| (*row, cells.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[&[&str]]) -> Vec<(u64, Vec<String>)> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i as u64 + 1, r.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn header_below_a_title_and_blank_rows_is_found() {
        let head = rows(&[
            &["2024年销售明细表", "", ""],
            &["", "", ""],
            &["客户名称", "销售额", "开票日期"],
            &["甲公司", "100", "2024-01-05"],
        ]);
        let (row, cells) = find_header(&head).unwrap();
        assert_eq!(row, 3);
        assert_eq!(cells[0], "客户名称");
    }

    #[test]
    fn unknown_headers_fall_back_to_the_widest_row() {
        let head = rows(&[&["Report"], &["Kunde", "Umsatz", "Datum"], &["A", "1", "2"]]);
        assert_eq!(find_header(&head).unwrap().0, 2);
    }

    #[test]
    fn nothing_to_find_in_an_empty_head() {
        assert_eq!(find_header(&rows(&[&["", ""]])), None);
    }

    #[test]
    fn only_existing_regular_files_of_a_read_type_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("Ledger 2024.CSV");
        std::fs::write(&csv, "a,b\n").unwrap();
        let opened = OpenedFile::check(&csv);
        assert_eq!(opened.problem, None);
        assert_eq!(opened.file_name, "Ledger 2024.CSV");
        assert_eq!(opened.path, csv.display().to_string());

        let pdf = dir.path().join("report.pdf");
        std::fs::write(&pdf, "%PDF").unwrap();
        assert_eq!(OpenedFile::check(&pdf).problem, Some(OpenProblem::Unsupported));
        assert_eq!(OpenedFile::check(&dir.path().join("no-extension")).problem, Some(OpenProblem::Unsupported));
        assert_eq!(OpenedFile::check(&dir.path().join("gone.xlsx")).problem, Some(OpenProblem::Missing));
        let folder = dir.path().join("folder.ods");
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(OpenedFile::check(&folder).problem, Some(OpenProblem::NotAFile));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.xls");
            std::os::unix::fs::symlink(&csv, &link).unwrap();
            assert_eq!(OpenedFile::check(&link).problem, None, "a link to a regular file is followed");
        }
    }
}
