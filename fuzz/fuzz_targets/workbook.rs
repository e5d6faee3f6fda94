//! Workbooks (XLSX/XLSM/XLS/ODS): `import::workbook::read`, exactly what the
//! isolated child process runs, in process here. A crash, OOM or timeout in
//! it is something the child-process isolation must contain (calamine is a
//! third-party reader); every message it emits must survive the pipe to the
//! parent (JSON, one per line), and the rows then go through the planner as
//! they would in the app.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitalfew::import::plan::Existing;
use vitalfew::import::table::{Body, Source};
use vitalfew::import::workbook::{self, Message};
use vitalfew::import::ImportOptions;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mut sheets = Vec::new();
    let mut sheet = String::new();
    let mut rows = Vec::new();
    let mut emit = |m: Message| -> Result<(), vitalfew::i18n::Msg> {
        // What the child writes and the parent reads back.
        let line = serde_json::to_string(&m).expect("messages serialize");
        // (A NaN number cell used to become `null` here, which the parent
        // cannot read: tests/fixtures/fuzz/nan_number_cell.xlsx.)
        let back: Message =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("message does not survive the pipe: {e}: {line}"));
        match back {
            Message::Sheets { names, chosen } => (sheets, sheet) = (names, chosen),
            Message::Row(n, cells) => rows.push((n, cells)),
            Message::End | Message::Failed(_) => {}
        }
        Ok(())
    };
    if workbook::read(data.to_vec(), None, workbook::LIMITS, &mut emit).is_err() {
        return;
    }
    let source = Source { file_name: "fuzz.xlsx".into(), checksum: String::new(), body: Body::Workbook { sheets, sheet, rows } };
    common::plan_and_check(&source, &ImportOptions::default(), &Existing::default());
});
