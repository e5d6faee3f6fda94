//! Text files: encoding detection and decoding, delimiter sniffing, the CSV
//! row pass and the whole import planner, in process, on arbitrary bytes.
//!
//! A first byte 0x01..=0x08 or 0x0E..=0x14 is not part of the file: it picks
//! an import option (forced encoding, date order, header row, customers
//! already stored, delimiter, decimal mark), so the fuzzer can reach those
//! paths while plain seed files stay as they are.
#![no_main]

use std::path::Path;
use std::sync::atomic::AtomicBool;

use libfuzzer_sys::fuzz_target;
use vitalfew::import::plan::Existing;
use vitalfew::import::text::{self, Delimiter, TextEncoding};
use vitalfew::import::{DateOrder, DecimalMark, ImportOptions, Source};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mut options = ImportOptions::default();
    let mut existing = Existing::default();
    let bytes = match data.first() {
        Some(&b @ (1..=8 | 0x0E..=0x14)) => {
            match b {
                1 => options.date_order = Some(DateOrder::DayFirst),
                2 => options.date_order = Some(DateOrder::MonthFirst),
                3 => options.encoding = Some(TextEncoding::Gb18030),
                4 => options.encoding = Some(TextEncoding::Utf16le),
                5 => options.encoding = Some(TextEncoding::Utf16be),
                6 => options.header_row = Some(1),
                7 => options.header_row = Some(3),
                8 => existing = common::some_existing(),
                0x0E..=0x12 => options.delimiter = Delimiter::ALL.get(usize::from(b - 0x0E)).copied(),
                0x13 => options.decimal = Some(DecimalMark::Comma),
                _ => options.decimal = Some(DecimalMark::Point),
            }
            &data[1..]
        }
        _ => data,
    };
    // Zip and OLE content goes to the workbook reader (a child process),
    // whatever the extension: the workbook target covers it.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return;
    }

    // The pieces on their own, with every encoding.
    let detected = text::detect_encoding(bytes);
    for enc in TextEncoding::ALL {
        text::looks_binary(bytes, enc);
        if let Ok(decoded) = text::decode(bytes.to_vec(), enc) {
            // (sniff_delimiter runs once, in from_bytes below: each call
            // builds four CSV readers, the bulk of an execution.)
            // Aligned columns: every line splits, into cells of that line.
            let fields = text::aligned_fields(&decoded);
            let mut parts = Vec::new();
            for line in decoded.lines().take(64) {
                text::split_aligned(line, fields, &mut parts);
                for p in &parts {
                    assert!(!p.is_empty() || line.trim().is_empty(), "an empty cell from {line:?}");
                }
            }
        } else {
            // What is detected from valid UTF-8 decodes as UTF-8.
            assert!(!(enc == TextEncoding::Utf8 && detected == TextEncoding::Utf8 && std::str::from_utf8(bytes).is_ok()));
        }
    }

    // The file as the app opens it, then the planner.
    let cancel = AtomicBool::new(false);
    let Ok(mut source) =
        Source::from_bytes(Path::new("fuzz.csv"), bytes.to_vec(), options.encoding, options.sheet.as_deref(), &cancel)
    else {
        return;
    };
    // As `import::prepare` does.
    if let Some(d) = options.delimiter {
        source.set_delimiter(d);
    }
    common::plan_and_check(&source, &options, &existing);
});
