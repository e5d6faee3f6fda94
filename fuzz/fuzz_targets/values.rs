//! Cell values: numbers and dates (`import::values`), header mapping and
//! customer-name normalisation, on arbitrary text. Checks what callers rely
//! on, not only the absence of panics.
#![no_main]

use chrono::Datelike;
use libfuzzer_sys::fuzz_target;
use vitalfew::import::values::{self, DayOrder, Mark, ValueError};
use vitalfew::import::{defuse, mapping, plan};

fuzz_target!(|data: &[u8]| {
    // Any 8 bytes are an Excel serial (NaN, infinities, subnormals included).
    if let Some(head) = data.get(..8) {
        let serial = f64::from_le_bytes(head.try_into().unwrap());
        for date1904 in [false, true] {
            if let Ok(d) = values::excel_serial_to_date(serial, date1904) {
                assert!((1900..=2100).contains(&d.year()), "{serial} -> {d}");
            }
        }
        if let Some(d) = values::date_from_yyyymmdd(serial) {
            assert!((1900..=2100).contains(&d.year()), "{serial} -> {d}");
            assert_eq!(d.format("%Y%m%d").to_string(), format!("{serial}"));
        }
    }
    let Ok(s) = std::str::from_utf8(data) else { return };

    match values::parse_number(s) {
        Ok(Some(v)) => {
            assert!(v.is_finite(), "{s:?} -> {v}");
            assert!(!(v == 0.0 && v.is_sign_negative()), "{s:?} -> -0");
            // The shortest text of the value reads back as the same value.
            assert_eq!(values::parse_number(&v.to_string()), Ok(Some(v)), "{s:?}");
        }
        Ok(None) | Err(_) => {}
    }
    // A decimal comma only swaps the roles of `.` and `,`.
    match values::parse_number_with(s, Mark::Comma) {
        Ok(Some(v)) => assert!(v.is_finite() && !(v == 0.0 && v.is_sign_negative()), "{s:?} -> {v}"),
        r => {
            if !s.contains([',', '.']) {
                assert_eq!(r, values::parse_number(s), "{s:?}");
            }
        }
    }
    assert_eq!(values::parse_number_with(s, Mark::Point), values::parse_number(s));
    values::detect_decimal_mark(s.lines());

    let mut dates = [None, None];
    for (i, order) in [DayOrder::DayFirst, DayOrder::MonthFirst].into_iter().enumerate() {
        if let Ok(Some(d)) = values::parse_date(s, order) {
            assert!((1900..=2100).contains(&d.year()), "{s:?} -> {d}");
            // The ISO form of a date reads back as the same date.
            assert_eq!(values::parse_date(&d.to_string(), order), Ok(Some(d)), "{s:?}");
            dates[i] = Some(d);
        }
    }
    // Either order reads a date or neither does: only which part is the
    // month may change (and then the two must differ only by that swap).
    if let [Some(a), Some(b)] = dates {
        assert!(a == b || (a.year() == b.year() && a.month() == b.day() && a.day() == b.month()), "{s:?}: {a} / {b}");
    }

    // A whole column of samples, one per line.
    for fallback in [DayOrder::DayFirst, DayOrder::MonthFirst] {
        match values::detect_day_order(s.lines(), fallback) {
            Ok(_) => {}
            Err(ValueError::ConflictingDayOrder { day_first, month_first }) => {
                assert!(s.contains(day_first.as_str()) && s.contains(month_first.as_str()));
            }
            Err(e) => panic!("detect_day_order: unexpected {e:?}"),
        }
    }

    // Headers and names.
    let header = mapping::normalize_header(s);
    mapping::guess_field(s);
    mapping::header_score(&[s.to_string(), header]);
    let name = plan::normalize_name(s);
    assert_eq!(plan::normalize_name(&name), name, "normalize_name is idempotent: {s:?}");
    plan::customer_key(Some(s), s);
    defuse(s);
});
