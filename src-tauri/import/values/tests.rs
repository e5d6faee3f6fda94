//! Unit tests of the number and date parsers. Over 500 lines because they
//! are tables of real cell texts and what each must read as.

use chrono::NaiveDate;

use super::*;

fn num(s: &str) -> f64 {
    match parse_number(s) {
        Ok(Some(v)) => v,
        other => panic!("parse_number({s:?}) = {other:?}, expected a number"),
    }
}

fn num_err(s: &str) -> ValueError {
    match parse_number(s) {
        Err(e) => e,
        other => panic!("parse_number({s:?}) = {other:?}, expected an error"),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn date(s: &str) -> NaiveDate {
    date_with(s, DayOrder::DayFirst)
}

fn date_with(s: &str, order: DayOrder) -> NaiveDate {
    match parse_date(s, order) {
        Ok(Some(d)) => d,
        other => panic!("parse_date({s:?}) = {other:?}, expected a date"),
    }
}

fn date_err(s: &str) -> ValueError {
    match parse_date(s, DayOrder::DayFirst) {
        Err(e) => e,
        other => panic!("parse_date({s:?}) = {other:?}, expected an error"),
    }
}

// ----- numbers: blanks and nothing markers -----

#[test]
fn number_blank_is_none() {
    for s in [
        "",
        " ",
        "   ",
        "\t",
        "\u{3000}",
        "\u{00A0}",
        " \u{3000}\u{00A0} ",
        "\u{FEFF}",
    ] {
        assert_eq!(parse_number(s), Ok(None), "{s:?}");
    }
}

#[test]
fn number_nothing_markers_are_none() {
    for s in [
        "-", "—", "–", "N/A", "n/a", "N/a", "无", "－", " - ", "--", "——",
    ] {
        assert_eq!(parse_number(s), Ok(None), "{s:?}");
    }
}

// ----- numbers: plain forms and fast path -----

#[test]
fn number_plain_ascii() {
    assert_eq!(num("1234.56"), 1234.56);
    assert_eq!(num("-17"), -17.0);
    assert_eq!(num("0.5"), 0.5);
    assert_eq!(num("0"), 0.0);
    assert_eq!(num("007"), 7.0);
    assert_eq!(num(".5"), 0.5);
    assert_eq!(num("5."), 5.0);
    assert_eq!(num("  42  "), 42.0);
    assert_eq!(num("\u{3000}42\u{00A0}"), 42.0);
}

#[test]
fn number_negative_zero_is_plain_zero() {
    let v = num("-0");
    assert_eq!(v, 0.0);
    assert!(v.is_sign_positive());
    let v = num("(0.00)");
    assert!(v.is_sign_positive());
}

#[test]
fn number_fast_path_rejects_what_it_cannot_read() {
    // Only digits, '.', '-' but not a number: the slow path must decide.
    assert_eq!(num_err("1.2.3"), ValueError::MultipleDecimalPoints);
    assert_eq!(num_err("1-2"), ValueError::NotANumber);
    assert_eq!(num_err("--5"), ValueError::ConflictingSigns);
    assert_eq!(num_err("."), ValueError::NotANumber);
    assert_eq!(num_err("-5-"), ValueError::ConflictingSigns);
}

// ----- numbers: thousands separators -----

#[test]
fn number_thousands_separators() {
    assert_eq!(num("1,234,567.89"), 1_234_567.89);
    assert_eq!(num("1,234"), 1234.0);
    assert_eq!(num("1 234 567"), 1_234_567.0);
    assert_eq!(num("1'234"), 1234.0);
    assert_eq!(num("1’234’567"), 1_234_567.0);
    assert_eq!(num("1\u{2009}234"), 1234.0);
    assert_eq!(num("1\u{202F}234\u{202F}567.5"), 1_234_567.5);
    assert_eq!(num("1\u{00A0}234"), 1234.0);
    assert_eq!(num("123,456"), 123_456.0);
}

#[test]
fn number_decimal_comma_is_rejected() {
    assert_eq!(num_err("1,5"), ValueError::AmbiguousDecimalComma);
    assert_eq!(num_err("12,50"), ValueError::AmbiguousDecimalComma);
    assert_eq!(num_err("0,123"), ValueError::AmbiguousDecimalComma);
    assert_eq!(num_err("1.234,56"), ValueError::AmbiguousDecimalComma);
    assert_eq!(num_err("-1,5"), ValueError::AmbiguousDecimalComma);
    assert_eq!(
        ValueError::AmbiguousDecimalComma.to_string(),
        "ambiguous decimal comma (use a point for decimals)"
    );
}

#[test]
fn number_misplaced_separators() {
    assert_eq!(num_err("1,23,456"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("1234,567"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("12 34"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("1,234 567"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("1,,234"), ValueError::MisplacedSeparator);
    assert_eq!(num_err(",123"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("1,234,5"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("1,23.5"), ValueError::MisplacedSeparator);
    assert_eq!(num_err("0.123 456"), ValueError::MisplacedSeparator);
}

// ----- numbers: signs -----

#[test]
fn number_negative_forms() {
    assert_eq!(num("-1234.5"), -1234.5);
    assert_eq!(num("+1234.5"), 1234.5);
    assert_eq!(num("(1,234.50)"), -1234.5);
    assert_eq!(num("( 1,234.50 )"), -1234.5);
    assert_eq!(num("1234.50-"), -1234.5);
    assert_eq!(num("1,234.50 -"), -1234.5);
    assert_eq!(num("-¥1,200"), -1200.0);
    assert_eq!(num("¥-1,200"), -1200.0);
    assert_eq!(num("¥(1,200)"), -1200.0);
    assert_eq!(num("(¥1,200)"), -1200.0);
    assert_eq!(num("$ -5"), -5.0);
    assert_eq!(num("- 5"), -5.0);
    assert_eq!(num("\u{2212}5"), -5.0); // MINUS SIGN
}

#[test]
fn number_sign_errors() {
    assert_eq!(num_err("+-5"), ValueError::ConflictingSigns);
    assert_eq!(num_err("-(5)"), ValueError::ConflictingSigns);
    assert_eq!(num_err("(-5)"), ValueError::ConflictingSigns);
    assert_eq!(num_err("(5)-"), ValueError::ConflictingSigns);
    assert_eq!(num_err("(5"), ValueError::UnbalancedParentheses);
    assert_eq!(num_err("5)"), ValueError::UnbalancedParentheses);
    assert_eq!(num_err("((5))"), ValueError::UnbalancedParentheses);
    assert_eq!(num_err("1(2)"), ValueError::UnbalancedParentheses);
}

// ----- numbers: percent, units, exponent -----

#[test]
fn number_percent() {
    assert_eq!(num("12.5%"), 0.125);
    assert_eq!(num("5%"), 0.05);
    assert_eq!(num("-3%"), -0.03);
    assert_eq!(num("100 %"), 1.0);
    assert_eq!(num("１２．５％"), 0.125);
    assert_eq!(num_err("5%%"), ValueError::NotANumber);
}

#[test]
fn number_chinese_units() {
    assert_eq!(num("1.2万"), 12_000.0);
    assert_eq!(num("3亿"), 300_000_000.0);
    assert_eq!(num("5千"), 5_000.0);
    assert_eq!(num("2百万"), 2_000_000.0);
    assert_eq!(num("1.5千万"), 15_000_000.0);
    assert_eq!(num("3十万"), 300_000.0);
    assert_eq!(num("1.1亿"), 110_000_000.0);
    assert_eq!(num("2萬"), 20_000.0);
    assert_eq!(num("2億"), 200_000_000.0);
    assert_eq!(num("¥1.5万元"), 15_000.0);
    assert_eq!(num("-1.2万"), -12_000.0);
    assert_eq!(num("1,234万"), 12_340_000.0);
    assert_eq!(num_err("万"), ValueError::NotANumber);
    assert_eq!(num_err("5万%"), ValueError::NotANumber);
}

#[test]
fn number_scientific() {
    assert_eq!(num("1.5E+3"), 1500.0);
    assert_eq!(num("1.5e3"), 1500.0);
    assert_eq!(num("2E-2"), 0.02);
    assert_eq!(num("-1.5E+3"), -1500.0);
    assert_eq!(num("1e-400"), 0.0);
    assert_eq!(num_err("1E"), ValueError::NotANumber);
    assert_eq!(num_err("E5"), ValueError::NotANumber);
    assert_eq!(num_err("1e5e5"), ValueError::NotANumber);
}

#[test]
fn number_too_large() {
    assert_eq!(num_err("1e400"), ValueError::NumberTooLarge);
    assert_eq!(
        num_err("1e99999999999999999999"),
        ValueError::NumberTooLarge
    );
    let huge = format!("1{}", "0".repeat(400));
    assert_eq!(num_err(&huge), ValueError::NumberTooLarge);
}

// ----- numbers: full-width and currency -----

#[test]
fn number_full_width() {
    assert_eq!(num("１２３４．５"), 1234.5);
    assert_eq!(num("１，２３４"), 1234.0);
    assert_eq!(num("－５"), -5.0);
    assert_eq!(num("＋５"), 5.0);
    assert_eq!(num("（１２）"), -12.0);
    assert_eq!(num("￥１２"), 12.0);
    assert_eq!(num("＄１２"), 12.0);
    assert_eq!(num("\u{3000}１２\u{3000}"), 12.0);
}

#[test]
fn number_currency_symbols() {
    assert_eq!(num("¥1,200"), 1200.0);
    assert_eq!(num("￥1,200.50"), 1200.5);
    assert_eq!(num("$1,234.56"), 1234.56);
    assert_eq!(num("€99"), 99.0);
    assert_eq!(num("£5.25"), 5.25);
    assert_eq!(num("US$1,000"), 1000.0);
    assert_eq!(num("HK$10"), 10.0);
    assert_eq!(num("1,200元"), 1200.0);
    assert_eq!(num("1200 元"), 1200.0);
    assert_eq!(num("99 €"), 99.0);
    assert_eq!(num("¥ 1,200"), 1200.0);
    assert_eq!(num("$5 USD"), 5.0);
    assert_eq!(num("人民币100元"), 100.0);
}

#[test]
fn number_currency_codes_any_case() {
    assert_eq!(num("RMB 1,000"), 1000.0);
    assert_eq!(num("rmb1000"), 1000.0);
    assert_eq!(num("CNY 88.8"), 88.8);
    assert_eq!(num("88.8 cny"), 88.8);
    assert_eq!(num("USD 12"), 12.0);
    assert_eq!(num("12 usd"), 12.0);
    assert_eq!(num("EUR 7.5"), 7.5);
    assert_eq!(num("7.5Eur"), 7.5);
    assert_eq!(num("GBP 3"), 3.0);
    assert_eq!(num("HKD 3"), 3.0);
    assert_eq!(num("1EUR"), 1.0);
}

#[test]
fn number_currency_alone_is_an_error() {
    assert_eq!(num_err("¥"), ValueError::NotANumber);
    assert_eq!(num_err("USD"), ValueError::NotANumber);
    assert_eq!(num_err("元"), ValueError::NotANumber);
    assert_eq!(num_err("$$5"), ValueError::NotANumber);
}

#[test]
fn number_garbage() {
    for s in [
        "abc", "12abc", "abc12", "1.2.3", "inf", "NaN", "infinity", "0x1F", "12 EURO", "1/2",
        "#N/A",
    ] {
        assert!(parse_number(s).is_err(), "{s:?}");
    }
    assert_eq!(num_err("12abc"), ValueError::NotANumber);
    assert_eq!(num_err("abc"), ValueError::NotANumber);
    assert_eq!(num_err("inf"), ValueError::NotANumber);
    assert_eq!(num_err("NaN"), ValueError::NotANumber);
    assert_eq!(num_err("1.2.3"), ValueError::MultipleDecimalPoints);
    assert_eq!(num_err("1.234.567"), ValueError::MultipleDecimalPoints);
}

#[test]
fn number_error_messages_are_reasons_only() {
    assert_eq!(ValueError::NotANumber.to_string(), "not a number");
    assert_eq!(
        ValueError::MultipleDecimalPoints.to_string(),
        "more than one decimal point"
    );
    assert_eq!(ValueError::NumberTooLarge.to_string(), "number too large");
    let e = num_err("12abc").to_string();
    assert!(!e.contains("12abc"), "{e}");
}

// ----- dates: forms -----

#[test]
fn date_blank_and_markers_are_none() {
    for s in ["", "  ", "\u{3000}", "-", "N/A", "无", "－"] {
        assert_eq!(parse_date(s, DayOrder::DayFirst), Ok(None), "{s:?}");
    }
}

#[test]
fn date_iso() {
    assert_eq!(date("2024-01-05"), ymd(2024, 1, 5));
    assert_eq!(date("2024-1-5"), ymd(2024, 1, 5));
    assert_eq!(date("2024-12-31"), ymd(2024, 12, 31));
    assert_eq!(date(" 2024-01-05 "), ymd(2024, 1, 5));
}

#[test]
fn date_iso_with_time() {
    assert_eq!(date("2024-01-05 13:45"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05 13:45:10"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05T13:45:10"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05T13:45:10Z"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05T13:45:10.123Z"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05T13:45:10+08:00"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05 13:45:10 -0500"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05 13:45:10 UTC"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05 1:45 PM"), ymd(2024, 1, 5));
    assert_eq!(date("2024-01-05 00:00:00"), ymd(2024, 1, 5));
}

#[test]
fn date_bad_time() {
    assert_eq!(date_err("2024-01-05 25:00"), ValueError::InvalidTime);
    assert_eq!(date_err("2024-01-05 13:60"), ValueError::InvalidTime);
    assert_eq!(date_err("2024-01-05 13:45:61"), ValueError::InvalidTime);
    assert_eq!(date_err("2024-01-05 13:45 PM"), ValueError::InvalidTime);
    assert_eq!(date_err("2024-01-05 0:45 AM"), ValueError::InvalidTime);
    assert_eq!(date_err("2024-01-05 13:45+25:00"), ValueError::InvalidTime);
    assert_eq!(date_err("2024-01-05 foo"), ValueError::TrailingText);
    assert_eq!(date_err("2024-01-05 13"), ValueError::TrailingText);
    assert_eq!(date_err("2024-01-05 13:4"), ValueError::TrailingText);
    assert_eq!(date_err("2024-01-05 13:45 xyz"), ValueError::TrailingText);
    assert_eq!(date_err("2024-01-05x"), ValueError::NotADate);
    assert_eq!(date_err("2024-01-05T"), ValueError::NotADate);
    assert_eq!(date_err("2024-01-05T "), ValueError::NotADate);
}

#[test]
fn date_year_first_slash_and_dot() {
    assert_eq!(date("2024/1/5"), ymd(2024, 1, 5));
    assert_eq!(date("2024/01/05"), ymd(2024, 1, 5));
    assert_eq!(date("2024.1.5"), ymd(2024, 1, 5));
    assert_eq!(date("2024.01.05"), ymd(2024, 1, 5));
    assert_eq!(date("2024/1/5 13:45"), ymd(2024, 1, 5));
    assert_eq!(date("2024/1/5 8:05:00"), ymd(2024, 1, 5));
    // Year-first forms ignore the day order.
    assert_eq!(date_with("2024/1/5", DayOrder::MonthFirst), ymd(2024, 1, 5));
    assert_eq!(date_err("2024-01/05"), ValueError::NotADate);
}

#[test]
fn date_chinese() {
    assert_eq!(date("2024年1月5日"), ymd(2024, 1, 5));
    assert_eq!(date("2024年01月05日"), ymd(2024, 1, 5));
    assert_eq!(date("2024 年 1 月 5 日"), ymd(2024, 1, 5));
    assert_eq!(date("2024年1月5号"), ymd(2024, 1, 5));
    assert_eq!(date("2024年1月5日 13:45"), ymd(2024, 1, 5));
    assert_eq!(date("2024年1月5日13:45:10"), ymd(2024, 1, 5));
    assert_eq!(date("２０２４年１月５日"), ymd(2024, 1, 5));
    assert_eq!(date_err("2024年1月"), ValueError::NotADate);
    assert_eq!(date_err("24年1月5日"), ValueError::TwoDigitYear);
    assert_eq!(date_err("2023年2月29日"), ValueError::NoSuchDay);
    assert_eq!(date_err("2024年13月1日"), ValueError::NoSuchMonth);
    assert_eq!(date_err("2024年1月5日 下午"), ValueError::TrailingText);
}

#[test]
fn date_compact() {
    assert_eq!(date("20240105"), ymd(2024, 1, 5));
    assert_eq!(date("19000101"), ymd(1900, 1, 1));
    assert_eq!(date_err("20241305"), ValueError::NoSuchMonth);
    assert_eq!(date_err("20230229"), ValueError::NoSuchDay);
    assert_eq!(date_err("18001231"), ValueError::DateOutOfRange);
}

#[test]
fn date_ambiguous_uses_order() {
    assert_eq!(date_with("03/04/2024", DayOrder::DayFirst), ymd(2024, 4, 3));
    assert_eq!(
        date_with("03/04/2024", DayOrder::MonthFirst),
        ymd(2024, 3, 4)
    );
    assert_eq!(date_with("3-4-2024", DayOrder::DayFirst), ymd(2024, 4, 3));
    assert_eq!(date_with("3-4-2024", DayOrder::MonthFirst), ymd(2024, 3, 4));
    assert_eq!(date_with("3.4.2024", DayOrder::DayFirst), ymd(2024, 4, 3));
    assert_eq!(date_with("3.4.2024", DayOrder::MonthFirst), ymd(2024, 3, 4));
    assert_eq!(
        date_with("25/12/2024", DayOrder::DayFirst),
        ymd(2024, 12, 25)
    );
    assert_eq!(
        date_with("12/25/2024", DayOrder::MonthFirst),
        ymd(2024, 12, 25)
    );
    assert_eq!(
        date_with("1/5/2024 1:45:00 PM", DayOrder::MonthFirst),
        ymd(2024, 1, 5)
    );
}

#[test]
fn date_ambiguous_wrong_order_is_reported() {
    assert_eq!(
        parse_date("25/12/2024", DayOrder::MonthFirst),
        Err(ValueError::MonthOver12)
    );
    assert_eq!(
        parse_date("12/25/2024", DayOrder::DayFirst),
        Err(ValueError::MonthOver12)
    );
    assert_eq!(
        parse_date("13/13/2024", DayOrder::DayFirst),
        Err(ValueError::NoSuchMonth)
    );
    assert_eq!(
        parse_date("31/04/2024", DayOrder::DayFirst),
        Err(ValueError::NoSuchDay)
    );
}

#[test]
fn date_two_digit_year() {
    assert_eq!(date_err("03/04/24"), ValueError::TwoDigitYear);
    assert_eq!(date_err("3-4-24"), ValueError::TwoDigitYear);
    assert_eq!(date_err("24-01-05"), ValueError::TwoDigitYear);
    assert_eq!(ValueError::TwoDigitYear.to_string(), "two-digit year");
}

#[test]
fn date_calendar_check() {
    assert_eq!(date_err("2023-02-29"), ValueError::NoSuchDay);
    assert_eq!(date("2024-02-29"), ymd(2024, 2, 29));
    assert_eq!(date_err("2024-04-31"), ValueError::NoSuchDay);
    assert_eq!(date_err("2024-01-00"), ValueError::NoSuchDay);
    assert_eq!(date_err("2024-00-10"), ValueError::NoSuchMonth);
    assert_eq!(date_err("2024-13-01"), ValueError::NoSuchMonth);
    assert_eq!(ValueError::NoSuchDay.to_string(), "no such day");
}

#[test]
fn date_year_range() {
    assert_eq!(date_err("1800-01-01"), ValueError::DateOutOfRange);
    assert_eq!(date_err("2200-01-01"), ValueError::DateOutOfRange);
    assert_eq!(date_err("1899-12-31"), ValueError::DateOutOfRange);
    assert_eq!(date_err("2101-01-01"), ValueError::DateOutOfRange);
    assert_eq!(date_err("01/01/1800"), ValueError::DateOutOfRange);
    assert_eq!(date_err("2200年1月1日"), ValueError::DateOutOfRange);
    assert_eq!(date("1900-01-01"), ymd(1900, 1, 1));
    assert_eq!(date("2100-12-31"), ymd(2100, 12, 31));
    assert_eq!(
        ValueError::DateOutOfRange.to_string(),
        "date out of range (1900–2100)"
    );
}

#[test]
fn date_numeric_text_is_excel_serial() {
    assert_eq!(date("45292"), ymd(2024, 1, 1));
    assert_eq!(date("45292.75"), ymd(2024, 1, 1));
    assert_eq!(date("1"), ymd(1900, 1, 1));
    assert_eq!(date("61"), ymd(1900, 3, 1));
    assert_eq!(date("４５２９２"), ymd(2024, 1, 1));
    assert_eq!(date_err("60"), ValueError::ExcelLeapDay1900);
    assert_eq!(date_err("0"), ValueError::NotADate);
    assert_eq!(date_err("0.5"), ValueError::NotADate);
    assert_eq!(date_err("2958466"), ValueError::NotADate);
    assert_eq!(date_err("2958465"), ValueError::DateOutOfRange);
    assert_eq!(date_err("45292 13:45"), ValueError::NotADate);
    assert_eq!(date_err("45292T"), ValueError::NotADate);
    assert_eq!(date_err("45292T13:45"), ValueError::NotADate);
}

#[test]
fn date_full_width() {
    assert_eq!(date("２０２４－０１－０５"), ymd(2024, 1, 5));
    assert_eq!(date("２０２４／１／５"), ymd(2024, 1, 5));
    assert_eq!(date("２０２４．１．５"), ymd(2024, 1, 5));
    assert_eq!(date("２０２４－０１－０５　１３：４５"), ymd(2024, 1, 5));
}

#[test]
fn date_garbage() {
    for s in [
        "abc",
        "Jan 5 2024",
        "2024-01",
        "1/2",
        "1/2/3/2024",
        "-5",
        "2024--01-05",
        "05/01/02024",
    ] {
        assert!(parse_date(s, DayOrder::DayFirst).is_err(), "{s:?}");
    }
    assert_eq!(date_err("abc"), ValueError::NotADate);
    assert_eq!(date_err("2024-01"), ValueError::NotADate);
    assert_eq!(ValueError::NotADate.to_string(), "not a date");
}

// ----- Excel serials -----

#[test]
fn excel_serial_1900_system() {
    assert_eq!(excel_serial_to_date(1.0, false), Ok(ymd(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59.0, false), Ok(ymd(1900, 2, 28)));
    assert_eq!(
        excel_serial_to_date(60.0, false),
        Err(ValueError::ExcelLeapDay1900)
    );
    assert_eq!(excel_serial_to_date(61.0, false), Ok(ymd(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(45292.0, false), Ok(ymd(2024, 1, 1)));
    assert_eq!(excel_serial_to_date(73415.0, false), Ok(ymd(2100, 12, 31)));
}

#[test]
fn excel_serial_fraction_is_ignored() {
    assert_eq!(excel_serial_to_date(45292.999, false), Ok(ymd(2024, 1, 1)));
    assert_eq!(excel_serial_to_date(59.5, false), Ok(ymd(1900, 2, 28)));
    assert_eq!(
        excel_serial_to_date(60.5, false),
        Err(ValueError::ExcelLeapDay1900)
    );
    assert_eq!(excel_serial_to_date(0.5, true), Ok(ymd(1904, 1, 1)));
}

#[test]
fn excel_serial_1904_system() {
    assert_eq!(excel_serial_to_date(0.0, true), Ok(ymd(1904, 1, 1)));
    assert_eq!(excel_serial_to_date(1.0, true), Ok(ymd(1904, 1, 2)));
    assert_eq!(excel_serial_to_date(43830.0, true), Ok(ymd(2024, 1, 1)));
    // Same modern day in both systems differs by 1462 serials.
    assert_eq!(
        excel_serial_to_date(45292.0 - 1462.0, true),
        excel_serial_to_date(45292.0, false)
    );
    // 60 is an ordinary day in the 1904 system.
    assert_eq!(excel_serial_to_date(60.0, true), Ok(ymd(1904, 3, 1)));
}

#[test]
fn excel_serial_out_of_range() {
    assert_eq!(
        excel_serial_to_date(0.0, false),
        Err(ValueError::DateOutOfRange)
    );
    assert_eq!(
        excel_serial_to_date(-1.0, false),
        Err(ValueError::DateOutOfRange)
    );
    assert_eq!(
        excel_serial_to_date(-0.5, true),
        Err(ValueError::DateOutOfRange)
    );
    assert_eq!(
        excel_serial_to_date(73416.0, false),
        Err(ValueError::DateOutOfRange)
    );
    assert_eq!(
        excel_serial_to_date(2_958_465.0, false),
        Err(ValueError::DateOutOfRange)
    );
    assert_eq!(
        excel_serial_to_date(1e300, false),
        Err(ValueError::DateOutOfRange)
    );
    assert_eq!(
        excel_serial_to_date(f64::NAN, false),
        Err(ValueError::InvalidSerial)
    );
    assert_eq!(
        excel_serial_to_date(f64::INFINITY, true),
        Err(ValueError::InvalidSerial)
    );
}

// ----- day order detection -----

#[test]
fn day_order_day_first_evidence() {
    let samples = ["03/04/2024", "25/12/2024", "01/02/2024"];
    assert_eq!(
        detect_day_order(samples, DayOrder::MonthFirst),
        Ok(DayOrder::DayFirst)
    );
    assert_eq!(
        detect_day_order(["13.1.2024"], DayOrder::MonthFirst),
        Ok(DayOrder::DayFirst)
    );
}

#[test]
fn day_order_month_first_evidence() {
    let samples = ["03/04/2024", "12/25/2024 1:45 PM", "01/02/2024"];
    assert_eq!(
        detect_day_order(samples, DayOrder::DayFirst),
        Ok(DayOrder::MonthFirst)
    );
    assert_eq!(
        detect_day_order(["1-13-2024"], DayOrder::DayFirst),
        Ok(DayOrder::MonthFirst)
    );
}

#[test]
fn day_order_conflict_is_an_error() {
    let samples = ["03/04/2024", "25/12/2024", "12/25/2024", "26/12/2024"];
    let err = detect_day_order(samples, DayOrder::DayFirst).unwrap_err();
    assert_eq!(
        err,
        ValueError::ConflictingDayOrder {
            day_first: "25/12/2024".to_string(),
            month_first: "12/25/2024".to_string(),
        }
    );
    assert_eq!(
        err.to_string(),
        "conflicting day/month order: \"25/12/2024\" is day-first but \"12/25/2024\" is month-first"
    );
}

#[test]
fn day_order_no_evidence_uses_fallback() {
    // 12 is still a possible month; 32 is no day at all: neither is evidence.
    let samples = [
        "03/04/2024",
        "01/02/2024",
        "12/01/2024",
        "01/12/2024",
        "32/01/2024",
        "01/32/2024",
        "",
        "  ",
    ];
    assert_eq!(
        detect_day_order(samples, DayOrder::DayFirst),
        Ok(DayOrder::DayFirst)
    );
    assert_eq!(
        detect_day_order(samples, DayOrder::MonthFirst),
        Ok(DayOrder::MonthFirst)
    );
    assert_eq!(
        detect_day_order(std::iter::empty(), DayOrder::MonthFirst),
        Ok(DayOrder::MonthFirst)
    );
}

#[test]
fn day_order_unambiguous_forms_give_no_evidence() {
    // Components > 12 appear here, but none of these forms is a/b/yyyy.
    let samples = [
        "2024-01-25",
        "2024-12-13",
        "2024/1/25",
        "2024.12.31",
        "2024年1月25日",
        "20241225",
        "45292",
        "45292.5",
        "25/12/24", // two-digit year: rejected anyway
        "garbage",
        "13/13/2024", // impossible both ways
    ];
    assert_eq!(
        detect_day_order(samples, DayOrder::DayFirst),
        Ok(DayOrder::DayFirst)
    );
    assert_eq!(
        detect_day_order(samples, DayOrder::MonthFirst),
        Ok(DayOrder::MonthFirst)
    );
}

#[test]
fn day_order_full_width_samples_count() {
    assert_eq!(
        detect_day_order(["２５／１２／２０２４"], DayOrder::MonthFirst),
        Ok(DayOrder::DayFirst)
    );
}

#[test]
fn day_order_works_with_owned_strings() {
    let owned: Vec<String> = vec!["13/01/2024".into(), "02/01/2024".into()];
    assert_eq!(
        detect_day_order(owned.iter().map(String::as_str), DayOrder::MonthFirst),
        Ok(DayOrder::DayFirst)
    );
}

#[test]
fn decimal_commas_read_when_the_file_uses_them() {
    assert_eq!(parse_number_with("1.234,56", Mark::Comma), Ok(Some(1234.56)));
    assert_eq!(parse_number_with("12,5", Mark::Comma), Ok(Some(12.5)));
    assert_eq!(parse_number_with("-1.234.567,8 €", Mark::Comma), Ok(Some(-1234567.8)));
    assert_eq!(parse_number_with("1234", Mark::Comma), Ok(Some(1234.0)));
    assert_eq!(parse_number_with("１．２３４，５６", Mark::Comma), Ok(Some(1234.56)), "full-width marks swap too");
    assert_eq!(parse_number_with("1,234.56", Mark::Point), Ok(Some(1234.56)));
    assert!(parse_number_with("1.23,4,5", Mark::Comma).is_err());
}

#[test]
fn the_decimal_mark_is_decided_per_file() {
    assert_eq!(detect_decimal_mark(["1.234,56", "12,5", "7"]), (Mark::Comma, true));
    assert_eq!(detect_decimal_mark(["1,234.56", "12.5"]), (Mark::Point, true));
    assert_eq!(detect_decimal_mark(["1.234.567"]), (Mark::Comma, true));
    assert_eq!(detect_decimal_mark(["1,234,567"]), (Mark::Point, true));
    // 1,234 and 1.234 say nothing; no evidence means point.
    assert_eq!(detect_decimal_mark(["1,234", "1.234", "5"]), (Mark::Point, false));
    assert_eq!(detect_decimal_mark(["¥ 12,50", "€3,10"]), (Mark::Comma, true));
}

#[test]
fn yyyymmdd_numbers_are_dates() {
    assert_eq!(date_from_yyyymmdd(20240105.0), NaiveDate::from_ymd_opt(2024, 1, 5));
    assert_eq!(date_from_yyyymmdd(20241305.0), None);
    assert_eq!(date_from_yyyymmdd(45000.0), None, "an Excel serial is not yyyymmdd");
    assert_eq!(date_from_yyyymmdd(20240105.5), None);
    assert_eq!(date_from_yyyymmdd(18991231.0), None);
    assert_eq!(parse_date("20240105", DayOrder::MonthFirst), Ok(NaiveDate::from_ymd_opt(2024, 1, 5)));
}
