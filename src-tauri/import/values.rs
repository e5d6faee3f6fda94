//! Parsing of individual spreadsheet cell values: money / quantity numbers and dates.
//!
//! The import reads customer and sales sheets written by Chinese and Western small
//! businesses, so a cell may hold `¥1,200.00`, `(1,234.50)`, `1.2万`, `１２３`,
//! `12.5%`, `2024年1月5日`, `03/04/2024`, an Excel serial number, and so on.
//!
//! Design notes:
//! * Every function is pure; errors are [`ValueError`] values whose `Display` text is a
//!   short English reason without the offending value (the caller adds the value and
//!   the row / column).
//! * [`parse_number`] is called millions of times per import, so plain ASCII numbers
//!   (`1234.56`, `-17`, `0.5`) go through a fast path that does not allocate.
//! * Ambiguous `a/b/yyyy` dates are resolved once per file with [`detect_day_order`],
//!   never per row, so one file cannot mix the two orders silently.
//! * Dates are limited to the years 1900..=2100: anything outside is almost certainly
//!   a typo or a number that is not a date.

use std::borrow::Cow;

use chrono::{Datelike, Days, NaiveDate};

/// Earliest accepted year for any date.
const MIN_YEAR: i32 = 1900;
/// Latest accepted year for any date.
const MAX_YEAR: i32 = 2100;
/// Largest Excel serial number (9999-12-31 in the 1900 system).
const MAX_EXCEL_SERIAL: f64 = 2_958_465.0;

/// Why a cell is not a number / date.
///
/// The `Display` text is a short English reason; it never contains the cell's value,
/// except for [`ValueError::ConflictingDayOrder`], which names two sample cells because
/// the caller cannot know which ones conflicted (quoted on one line, as every cell in
/// a message is: [`super::table::quoted`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Letters or other characters that do not belong in a number.
    #[error("not a number")]
    NotANumber,
    /// A comma that is not followed by exactly three digits, e.g. `1,5` or `1.234,56`.
    /// Decimal commas are deliberately not supported.
    #[error("ambiguous decimal comma (use a point for decimals)")]
    AmbiguousDecimalComma,
    /// Digit-group separators in the wrong places, e.g. `12 34` or `1,23,456`, or a mix
    /// of different separators.
    #[error("misplaced thousands separator")]
    MisplacedSeparator,
    /// More than one `.` in the number, e.g. `1.2.3`.
    #[error("more than one decimal point")]
    MultipleDecimalPoints,
    /// More than one sign, e.g. `--5`, `-(5)` or `-5-`.
    #[error("conflicting signs")]
    ConflictingSigns,
    /// A `(` without its `)` or the other way round.
    #[error("unbalanced parentheses")]
    UnbalancedParentheses,
    /// The value overflows a 64-bit float (e.g. `1e400`).
    #[error("number too large")]
    NumberTooLarge,
    /// Text that is not in any accepted date form.
    #[error("not a date")]
    NotADate,
    /// A date whose year has only two digits, e.g. `03/04/24`.
    #[error("two-digit year")]
    TwoDigitYear,
    /// A month outside 1..=12 in a date whose form fixes the order of its parts.
    #[error("no such month")]
    NoSuchMonth,
    /// In a day/month ambiguous date the month came out greater than 12 while the
    /// day is at most 12: the file's day/month order probably does not fit this cell.
    #[error("month greater than 12 (day/month order does not fit)")]
    MonthOver12,
    /// A day that does not exist in its month, e.g. 2023-02-29 or 2024-04-31.
    #[error("no such day")]
    NoSuchDay,
    /// A year outside 1900..=2100.
    #[error("date out of range (1900–2100)")]
    DateOutOfRange,
    /// The time after a date has hours, minutes, seconds or a UTC offset out of range.
    #[error("invalid time of day")]
    InvalidTime,
    /// A valid date followed by text that is not a time of day.
    #[error("unexpected text after the date")]
    TrailingText,
    /// Excel serial 60 in the 1900 date system: Excel's non-existent 1900-02-29.
    #[error("1900-02-29 does not exist (Excel leap-year bug)")]
    ExcelLeapDay1900,
    /// An Excel serial that is NaN or infinite.
    #[error("not a valid date serial number")]
    InvalidSerial,
    /// The date column has both day-first and month-first evidence.
    #[error(
        "conflicting day/month order: {} is day-first but {} is month-first",
        super::table::quoted(.day_first),
        super::table::quoted(.month_first)
    )]
    ConflictingDayOrder {
        /// A sample whose first component is greater than 12.
        day_first: String,
        /// A sample whose second component is greater than 12.
        month_first: String,
    },
}

impl ValueError {
    /// The reason as the window says it (`Display` is its English).
    pub fn message(&self) -> crate::i18n::Msg {
        match self {
            ValueError::NotANumber => crate::msg!("value.not_a_number"),
            ValueError::AmbiguousDecimalComma => crate::msg!("value.ambiguous_decimal_comma"),
            ValueError::MisplacedSeparator => crate::msg!("value.misplaced_separator"),
            ValueError::MultipleDecimalPoints => crate::msg!("value.multiple_decimal_points"),
            ValueError::ConflictingSigns => crate::msg!("value.conflicting_signs"),
            ValueError::UnbalancedParentheses => crate::msg!("value.unbalanced_parentheses"),
            ValueError::NumberTooLarge => crate::msg!("value.number_too_large"),
            ValueError::NotADate => crate::msg!("value.not_a_date"),
            ValueError::TwoDigitYear => crate::msg!("value.two_digit_year"),
            ValueError::NoSuchMonth => crate::msg!("value.no_such_month"),
            ValueError::MonthOver12 => crate::msg!("value.month_over_12"),
            ValueError::NoSuchDay => crate::msg!("value.no_such_day"),
            ValueError::DateOutOfRange => crate::msg!("value.date_out_of_range"),
            ValueError::InvalidTime => crate::msg!("value.invalid_time"),
            ValueError::TrailingText => crate::msg!("value.trailing_text"),
            ValueError::ExcelLeapDay1900 => crate::msg!("value.excel_leap_day_1900"),
            ValueError::InvalidSerial => crate::msg!("value.invalid_serial"),
            ValueError::ConflictingDayOrder { day_first, month_first } => crate::msg!(
                "value.conflicting_day_order",
                day_first = super::table::quoted(day_first),
                month_first = super::table::quoted(month_first),
            ),
        }
    }
}

/// Order of the first two parts of an ambiguous `a/b/yyyy` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// `a/b/yyyy` is day/month/year (most of the world).
    DayFirst,
    /// `a/b/yyyy` is month/day/year (United States).
    MonthFirst,
}

// ---------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------

/// Characters trimmed from both ends of a cell: Unicode white space (which includes
/// U+3000 ideographic space, NBSP and the thin spaces) plus the invisible BOM and
/// zero-width space that some exports leave behind.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}'
}

fn trim_cell(s: &str) -> &str {
    s.trim_matches(is_blank)
}

/// Folds one full-width (and a few look-alike) characters to their ASCII form.
fn fold_char(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (u32::from(c) - u32::from('０')) as u8),
        '．' => '.',
        '，' => ',',
        '－' | '\u{2212}' => '-', // full-width hyphen-minus, MINUS SIGN
        '＋' => '+',
        '％' => '%',
        '（' => '(',
        '）' => ')',
        '￥' => '¥',
        '＄' => '$',
        '／' => '/',
        '：' => ':',
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Folds full-width characters; borrows when there is nothing to fold (always for ASCII).
fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(|c| fold_char(c) != c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(fold_char).collect())
    }
}

/// "Nothing here" markers, compared after trimming and folding (so `－` is `-`).
fn is_nothing_marker(s: &str) -> bool {
    matches!(s, "-" | "--" | "—" | "——" | "–" | "无") || s.eq_ignore_ascii_case("n/a")
}

/// `strip_prefix` that ignores ASCII case (non-ASCII characters must match exactly).
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => Some(&s[prefix.len()..]),
        _ => None,
    }
}

/// `strip_suffix` that ignores ASCII case (non-ASCII characters must match exactly).
fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    match s.get(cut..) {
        Some(tail) if tail.eq_ignore_ascii_case(suffix) => Some(&s[..cut]),
        _ => None,
    }
}

/// Splits off the leading ASCII digits.
fn take_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// Value of a short run of ASCII digits (callers bound the length, so no overflow).
fn small_number(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
}

/// Turns `-0.0` into `0.0` so that `(0.00)` and `-0` compare and print as plain zero.
fn positive_zero(v: f64) -> f64 {
    if v == 0.0 {
        0.0
    } else {
        v
    }
}

// ---------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------

/// Currency symbols and codes stripped at the start or end of a number. Longer
/// entries come before their prefixes/suffixes (`US$` before `$`).
const CURRENCIES: &[&str] = &[
    "US$",
    "HK$",
    "人民币",
    "元",
    "RMB",
    "CNY",
    "USD",
    "EUR",
    "GBP",
    "HKD",
    "¥",
    "$",
    "€",
    "£",
];

/// Chinese unit suffixes and their powers of ten. Two-character units come first.
const CHINESE_UNITS: &[(&str, i64)] = &[
    ("千万", 7),
    ("百万", 6),
    ("十万", 5),
    ("亿", 8),
    ("億", 8),
    ("万", 4),
    ("萬", 4),
    ("千", 3),
];

/// Digit-group separators accepted between groups of three digits.
fn is_group_separator(c: char) -> bool {
    matches!(
        c,
        ',' | '\'' | '\u{2019}' | ' ' | '\u{00A0}' | '\u{2009}' | '\u{202F}'
    )
}

/// Which character separates the decimals in a file's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mark {
    /// `1,234.56` (and `1234.56`).
    #[default]
    Point,
    /// `1.234,56` (and `1234,56`), as European Excel saves.
    Comma,
}

/// The text of a cell written `="…"` (Excel's way to keep a long number
/// as text, as 淘宝 writes its order numbers), or of a number given a
/// leading `'`; any other text as it is.
pub fn unwrap_text_formula(s: &str) -> &str {
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        return inner;
    }
    match s.strip_prefix('\'') {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => s,
    }
}

/// [`parse_number`] for a file whose decimal mark is `mark`: with a decimal
/// comma, `.` and `,` swap roles (`1.234,56` reads as `1,234.56`).
pub fn parse_number_with(s: &str, mark: Mark) -> Result<Option<f64>, ValueError> {
    match mark {
        Mark::Point => parse_number(s),
        Mark::Comma if s.contains([',', '.', '，', '．']) => {
            let swapped: String = s
                .chars()
                .map(|c| match c {
                    ',' | '，' => '.',
                    '.' | '．' => ',',
                    c => c,
                })
                .collect();
            parse_number(&swapped)
        }
        Mark::Comma => parse_number(s),
    }
}

/// Decides a file's decimal mark from number cells: `12,5`, `1.234,56`
/// and `1.234.567` say comma; `12.5`, `1,234.56` and `1,234,567` say point.
/// Returns the mark and whether any cell showed it (else [`Mark::Point`]);
/// the more frequent evidence wins.
pub fn detect_decimal_mark<'a>(samples: impl IntoIterator<Item = &'a str>) -> (Mark, bool) {
    let (mut comma, mut point) = (0usize, 0usize);
    for s in samples {
        match mark_evidence(trim_cell(s)) {
            Some(Mark::Comma) => comma += 1,
            Some(Mark::Point) => point += 1,
            None => {}
        }
    }
    match (comma, point) {
        (0, 0) => (Mark::Point, false),
        (c, p) if c > p => (Mark::Comma, true),
        _ => (Mark::Point, true),
    }
}

/// What one cell says about the decimal mark, if anything.
fn mark_evidence(s: &str) -> Option<Mark> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.').collect();
    let (commas, points) = (digits.matches(',').count(), digits.matches('.').count());
    let last_group = |sep: char| digits.rsplit(sep).next().map_or(0, str::len);
    match (commas, points) {
        (0, 0) => None,
        // Both: the last one is the decimal mark.
        (c, p) if c > 0 && p > 0 => Some(if digits.rfind(',') > digits.rfind('.') { Mark::Comma } else { Mark::Point }),
        // One separator: three digits after it could be either (1,234 / 1.234).
        (1, 0) => (last_group(',') != 3).then_some(Mark::Comma),
        (0, 1) => (last_group('.') != 3).then_some(Mark::Point),
        // Repeated: a group separator.
        (_, 0) => Some(Mark::Point),
        _ => Some(Mark::Comma),
    }
}

/// A date written as the number yyyymmdd (an 8-digit integer), if it is one.
pub fn date_from_yyyymmdd(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(10_000_101.0..=99_991_231.0).contains(&n) {
        return None;
    }
    let n = n as u32;
    let (y, m, d) = (n / 10_000, n / 100 % 100, n % 100);
    if !(MIN_YEAR as u32..=MAX_YEAR as u32).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// Parses a money/quantity cell.
///
/// Returns `Ok(None)` for an empty / whitespace-only cell and for the "nothing" markers
/// `-`, `--`, `—`, `——`, `–`, `N/A` (any case), `无` and `－`.
///
/// Accepted: plain numbers, full-width digits and signs, currency symbols and codes at
/// either end (`¥ ￥ $ € £ US$ HK$ 元 人民币 RMB CNY USD EUR GBP HKD`, codes in any
/// case), thousands separators (`,` `'` `’` space, NBSP, thin spaces) between groups of
/// three digits, signs (`-5`, `+5`, `(5)`, `5-`), a percent sign (`12.5%` = 0.125),
/// Chinese unit suffixes (`十万 百万 千万 万 萬 亿 億 千`), scientific notation (`1.5E+3`).
/// A comma that is not followed by exactly three digits is rejected as an ambiguous
/// decimal comma. `-0` comes back as `0.0`.
pub fn parse_number(s: &str) -> Result<Option<f64>, ValueError> {
    let t = trim_cell(s);
    if t.is_empty() {
        return Ok(None);
    }
    // Fast path: plain ASCII numbers. Only digits, '.', '-' get here, so `parse` cannot
    // meet "inf"/"NaN"; anything it rejects (like "-" or "5-") takes the slow path.
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        if let Ok(v) = t.parse::<f64>() {
            if v.is_finite() {
                return Ok(Some(positive_zero(v)));
            }
        }
    }
    parse_number_slow(t)
}

/// The general number parser: peels signs, parentheses, currency, percent and units
/// off both ends, then reads the digits in between.
fn parse_number_slow(t: &str) -> Result<Option<f64>, ValueError> {
    let folded = fold(t);
    let s = trim_cell(&folded);
    if s.is_empty() || is_nothing_marker(s) {
        return Ok(None);
    }

    let mut sign_seen = false;
    let mut negative = false;
    let mut open_paren = false;
    let mut close_paren = false;
    let mut currency_start = false;
    let mut currency_end = false;
    let mut scale_seen = false; // percent or a Chinese unit
    let mut exp_shift: i64 = 0;

    // Leading decorations: "(", "-", "+", currency, in any order, each at most once.
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(is_blank);
        if let Some(r) = rest.strip_prefix('(') {
            if open_paren {
                return Err(ValueError::UnbalancedParentheses);
            }
            if sign_seen {
                return Err(ValueError::ConflictingSigns);
            }
            open_paren = true;
            rest = r;
        } else if let Some((r, minus)) = rest
            .strip_prefix('-')
            .map(|r| (r, true))
            .or_else(|| rest.strip_prefix('+').map(|r| (r, false)))
        {
            if sign_seen || open_paren {
                return Err(ValueError::ConflictingSigns);
            }
            sign_seen = true;
            negative = minus;
            rest = r;
        } else if let Some(r) = (!currency_start)
            .then(|| CURRENCIES.iter().find_map(|c| strip_prefix_ci(rest, c)))
            .flatten()
        {
            currency_start = true;
            rest = r;
        } else {
            break;
        }
    }

    // Trailing decorations: ")", trailing "-", "%", Chinese unit, currency.
    loop {
        rest = rest.trim_end_matches(is_blank);
        if let Some(r) = rest.strip_suffix(')') {
            if !open_paren || close_paren {
                return Err(ValueError::UnbalancedParentheses);
            }
            close_paren = true;
            rest = r;
        } else if let Some(r) = rest.strip_suffix('-') {
            if sign_seen || open_paren {
                return Err(ValueError::ConflictingSigns);
            }
            sign_seen = true;
            negative = true;
            rest = r;
        } else if let Some(r) = (!scale_seen).then(|| rest.strip_suffix('%')).flatten() {
            scale_seen = true;
            exp_shift = -2;
            rest = r;
        } else if let Some((r, power)) = (!scale_seen)
            .then(|| {
                CHINESE_UNITS
                    .iter()
                    .find_map(|&(unit, power)| rest.strip_suffix(unit).map(|r| (r, power)))
            })
            .flatten()
        {
            scale_seen = true;
            exp_shift = power;
            rest = r;
        } else if let Some(r) = (!currency_end)
            .then(|| CURRENCIES.iter().find_map(|c| strip_suffix_ci(rest, c)))
            .flatten()
        {
            currency_end = true;
            rest = r;
        } else {
            break;
        }
    }
    if open_paren != close_paren || rest.contains(['(', ')']) {
        return Err(ValueError::UnbalancedParentheses);
    }

    let magnitude = parse_unsigned_body(rest, exp_shift)?;
    let value = if negative || open_paren {
        -magnitude
    } else {
        magnitude
    };
    Ok(Some(positive_zero(value)))
}

/// Reads an unsigned number body: digit groups, an optional fraction and an optional
/// exponent. `exp_shift` is added to the decimal exponent (percent = -2, 万 = 4, ...),
/// so `1.2万` is read as `1.2e4` and rounded once, exactly like a typed 12000.
fn parse_unsigned_body(body: &str, exp_shift: i64) -> Result<f64, ValueError> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };

    let mut exp10 = exp_shift;
    if let Some(e) = exponent {
        let (minus, digits) = match e.as_bytes().first() {
            Some(b'-') => (true, &e[1..]),
            Some(b'+') => (false, &e[1..]),
            _ => (false, e),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::NotANumber);
        }
        // Huge exponents saturate; f64 parsing turns them into inf or 0 below.
        let digits = digits.trim_start_matches('0');
        let e = if digits.len() > 9 {
            1_000_000_000
        } else {
            i64::from(small_number(digits))
        };
        exp10 += if minus { -e } else { e };
    }

    if mantissa.matches('.').count() > 1 {
        return Err(ValueError::MultipleDecimalPoints);
    }
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };

    let mut text = String::with_capacity(mantissa.len() + 24);

    // Integer part, with optional digit-group separators: the first group has 1-3
    // digits (no leading zero), each later group exactly 3, all with one separator.
    let mut separator: Option<char> = None;
    let mut separators = 0usize;
    let mut group_len = 0usize;
    let mut grouping_ok = true;
    let mut first_group_zero = false;
    for c in int_part.chars() {
        if c.is_ascii_digit() {
            if separators == 0 && group_len == 0 && c == '0' {
                first_group_zero = true;
            }
            text.push(c);
            group_len += 1;
        } else if is_group_separator(c) {
            match separator {
                None => separator = Some(c),
                Some(p) if p != c => return Err(ValueError::MisplacedSeparator),
                Some(_) => {}
            }
            let ok = if separators == 0 {
                (1..=3).contains(&group_len) && !first_group_zero
            } else {
                group_len == 3
            };
            grouping_ok &= ok;
            separators += 1;
            group_len = 0;
        } else {
            return Err(ValueError::NotANumber);
        }
    }
    if separators > 0 {
        grouping_ok &= group_len == 3;
        if !grouping_ok {
            return Err(
                // A lone comma not followed by exactly three digits (or after a lone
                // zero, as in "0,123") reads like a decimal comma.
                if separator == Some(',')
                    && separators == 1
                    && frac_part.is_none()
                    && (group_len != 3 || first_group_zero)
                {
                    ValueError::AmbiguousDecimalComma
                } else {
                    ValueError::MisplacedSeparator
                },
            );
        }
    }

    // Fraction part: digits only.
    let mut any_digit = !text.is_empty();
    if let Some(frac) = frac_part {
        text.push('.');
        for c in frac.chars() {
            if c.is_ascii_digit() {
                text.push(c);
                any_digit = true;
            } else if c == ',' {
                return Err(ValueError::AmbiguousDecimalComma);
            } else if is_group_separator(c) {
                return Err(ValueError::MisplacedSeparator);
            } else {
                return Err(ValueError::NotANumber);
            }
        }
    }
    if !any_digit {
        return Err(ValueError::NotANumber);
    }

    if exp10 != 0 {
        text.push('e');
        text.push_str(&exp10.to_string());
    }
    let value: f64 = text.parse().map_err(|_| ValueError::NotANumber)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ValueError::NumberTooLarge)
    }
}

// ---------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------

/// The date part of a cell, before validation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateShape {
    /// Year, month, day in a form that fixes their order.
    Ymd { y: u32, m: u32, d: u32 },
    /// `a/b/yyyy` (or with `-` / `.`): which of `a` and `b` is the day depends on the file.
    Ambiguous { a: u32, b: u32, y: u32 },
    /// Numeric text taken as an Excel serial (1900 system).
    Serial(f64),
}

/// Decides for a whole file whether ambiguous numeric dates like `03/04/2024` are
/// day-first or month-first.
///
/// Only `a/b/yyyy`, `a-b-yyyy` and `a.b.yyyy` samples give evidence: a first
/// component in 13..=31 means [`DayOrder::DayFirst`], a second component in 13..=31
/// means [`DayOrder::MonthFirst`]. Unambiguous forms (ISO, `2024/1/5`, `2024年1月5日`,
/// `20240105`, serial numbers), blanks and unparseable samples give none. With no
/// evidence the result is `Ok(fallback)`; with evidence both ways it is
/// [`ValueError::ConflictingDayOrder`] naming one sample of each kind.
pub fn detect_day_order<'a>(
    samples: impl IntoIterator<Item = &'a str>,
    fallback: DayOrder,
) -> Result<DayOrder, ValueError> {
    let mut day_first: Option<&str> = None;
    let mut month_first: Option<&str> = None;
    for sample in samples {
        let trimmed = trim_cell(sample);
        let Some((a, b)) = ambiguous_parts(trimmed) else {
            continue;
        };
        let is_day = |n: u32| (13..=31).contains(&n);
        if is_day(a) && b <= 12 && day_first.is_none() {
            day_first = Some(trimmed);
        } else if is_day(b) && a <= 12 && month_first.is_none() {
            month_first = Some(trimmed);
        }
        if day_first.is_some() && month_first.is_some() {
            break;
        }
    }
    match (day_first, month_first) {
        (Some(d), Some(m)) => Err(ValueError::ConflictingDayOrder {
            day_first: d.to_string(),
            month_first: m.to_string(),
        }),
        (Some(_), None) => Ok(DayOrder::DayFirst),
        (None, Some(_)) => Ok(DayOrder::MonthFirst),
        (None, None) => Ok(fallback),
    }
}

/// The first two components of an `a/b/yyyy` sample, or `None` for any other form.
fn ambiguous_parts(trimmed: &str) -> Option<(u32, u32)> {
    let folded = fold(trimmed);
    match split_date(&folded) {
        Ok((DateShape::Ambiguous { a, b, .. }, _)) => Some((a, b)),
        _ => None,
    }
}

/// Parses a date written as text. `order` is used only for `a/b/yyyy` forms.
///
/// Returns `Ok(None)` for an empty / whitespace-only cell and for the same "nothing"
/// markers as [`parse_number`].
///
/// Accepted forms (full-width digits, `／`, `：`, `－`, `．` are folded first):
/// * ISO `2024-01-05`, `2024-1-5`;
/// * year first with `/` or `.`: `2024/1/5`, `2024/01/05`, `2024.1.5`;
/// * Chinese `2024年1月5日` (`号` also ends the day), spaces allowed between the parts;
/// * compact `20240105`;
/// * `a/b/yyyy`, `a-b-yyyy`, `a.b.yyyy`, resolved with `order`;
/// * any of the above followed by a time of day: after a space or `T` (Chinese: space
///   optional), `H:MM`, `H:MM:SS` or `H:MM:SS.fff`, optionally `AM`/`PM`, optionally a
///   zone `Z`, `UTC`, `GMT`, `+08:00`, `+0800` or `-05`. The time is checked and ignored;
///   the date is taken as written, without converting between time zones;
/// * purely numeric text (integer or decimal) in 1..=2958465 that is not 8 digits long:
///   an Excel serial in the 1900 date system (`45292` = 2024-01-01).
///
/// Two-digit years are rejected, as are impossible dates and years outside 1900..=2100.
pub fn parse_date(s: &str, order: DayOrder) -> Result<Option<NaiveDate>, ValueError> {
    let t = trim_cell(s);
    if t.is_empty() {
        return Ok(None);
    }
    let folded = fold(t);
    let s = trim_cell(&folded);
    if s.is_empty() || is_nothing_marker(s) {
        return Ok(None);
    }

    let (shape, time) = split_date(s)?;
    let (y, m, d, ambiguous) = match shape {
        // split_date only returns a serial when no text follows it.
        DateShape::Serial(serial) => return excel_serial_to_date(serial, false).map(Some),
        DateShape::Ymd { y, m, d } => (y, m, d, false),
        DateShape::Ambiguous { a, b, y } => match order {
            DayOrder::DayFirst => (y, b, a, true),
            DayOrder::MonthFirst => (y, a, b, true),
        },
    };
    let date = make_date(y, m, d, ambiguous)?;
    check_time(time)?;
    Ok(Some(date))
}

/// Splits a trimmed, folded cell into its date shape and whatever follows it (a time,
/// already stripped of its leading separator, or "").
fn split_date(s: &str) -> Result<(DateShape, &str), ValueError> {
    if s.contains('年') {
        return split_chinese_date(s);
    }

    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '/' || c == '.'))
        .unwrap_or(s.len());
    let (head, tail) = s.split_at(end);
    if head.is_empty() {
        return Err(ValueError::NotADate);
    }
    // What follows the date must be a time, introduced by white space or 'T'.
    let time = if tail.is_empty() {
        tail
    } else if let Some(t) = tail.strip_prefix('T').filter(|t| !t.is_empty()) {
        t
    } else if tail.starts_with(is_blank) {
        tail.trim_start_matches(is_blank)
    } else {
        return Err(ValueError::NotADate);
    };

    if head.bytes().all(|b| b.is_ascii_digit()) {
        if head.len() == 8 {
            let shape = DateShape::Ymd {
                y: small_number(&head[..4]),
                m: small_number(&head[4..6]),
                d: small_number(&head[6..]),
            };
            return Ok((shape, time));
        }
        return serial_shape(head, tail);
    }
    if let Some((i, f)) = head.split_once('.') {
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if all_digits(i) && all_digits(f) {
            return serial_shape(head, tail);
        }
    }

    // Three digit runs with one separator used twice.
    let Some(sep) = head.chars().find(|c| !c.is_ascii_digit()) else {
        return Err(ValueError::NotADate);
    };
    let mut parts = head.split(sep);
    let (Some(p1), Some(p2), Some(p3), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ValueError::NotADate);
    };
    let is_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !(is_digits(p1) && is_digits(p2) && is_digits(p3)) {
        return Err(ValueError::NotADate);
    }
    let short = |p: &str| p.len() <= 2;
    let shape = if p1.len() == 4 && short(p2) && short(p3) {
        DateShape::Ymd {
            y: small_number(p1),
            m: small_number(p2),
            d: small_number(p3),
        }
    } else if p3.len() == 4 && short(p1) && short(p2) {
        DateShape::Ambiguous {
            a: small_number(p1),
            b: small_number(p2),
            y: small_number(p3),
        }
    } else if short(p1) && short(p2) && short(p3) {
        return Err(ValueError::TwoDigitYear);
    } else {
        return Err(ValueError::NotADate);
    };
    Ok((shape, time))
}

/// `2024年1月5日` with optional spaces between the parts; `号` may replace `日`.
fn split_chinese_date(s: &str) -> Result<(DateShape, &str), ValueError> {
    fn part<'a>(s: &'a str, marks: &[char]) -> Result<(&'a str, &'a str), ValueError> {
        let (digits, rest) = take_digits(s.trim_start_matches(is_blank));
        let rest = rest.trim_start_matches(is_blank);
        match rest.strip_prefix(marks) {
            Some(rest) if !digits.is_empty() => Ok((digits, rest)),
            _ => Err(ValueError::NotADate),
        }
    }
    let (y, rest) = part(s, &['年'])?;
    let (m, rest) = part(rest, &['月'])?;
    let (d, rest) = part(rest, &['日', '号'])?;
    if y.len() <= 2 {
        return Err(ValueError::TwoDigitYear);
    }
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return Err(ValueError::NotADate);
    }
    let shape = DateShape::Ymd {
        y: small_number(y),
        m: small_number(m),
        d: small_number(d),
    };
    Ok((shape, rest.trim_start_matches(is_blank)))
}

/// Numeric text as an Excel serial, if it lies in 1..=2958465 and nothing follows it
/// (a serial carries its time of day as the fraction, never as text).
fn serial_shape<'a>(text: &str, tail: &'a str) -> Result<(DateShape, &'a str), ValueError> {
    match text.parse::<f64>() {
        Ok(v) if tail.is_empty() && (1.0..=MAX_EXCEL_SERIAL).contains(&v) => {
            Ok((DateShape::Serial(v), tail))
        }
        _ => Err(ValueError::NotADate),
    }
}

/// Checks the year range, then month and day.
fn make_date(y: u32, m: u32, d: u32, ambiguous: bool) -> Result<NaiveDate, ValueError> {
    let year = i32::try_from(y).map_err(|_| ValueError::DateOutOfRange)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(ValueError::DateOutOfRange);
    }
    if !(1..=12).contains(&m) {
        return Err(if ambiguous && m > 12 && (1..=12).contains(&d) {
            ValueError::MonthOver12
        } else {
            ValueError::NoSuchMonth
        });
    }
    NaiveDate::from_ymd_opt(year, m, d).ok_or(ValueError::NoSuchDay)
}

/// Validates an optional time of day (already stripped of the separator after the
/// date): `H:MM[:SS[.fff]]`, then optional `AM`/`PM`, then an optional zone.
fn check_time(t: &str) -> Result<(), ValueError> {
    if t.is_empty() {
        return Ok(());
    }
    let (hours, rest) = take_digits(t);
    let rest = match rest.strip_prefix(':') {
        Some(r) if (1..=2).contains(&hours.len()) => r,
        _ => return Err(ValueError::TrailingText),
    };
    let (minutes, mut rest) = take_digits(rest);
    if minutes.len() != 2 {
        return Err(ValueError::TrailingText);
    }
    let mut seconds = "0";
    if let Some(r) = rest.strip_prefix(':') {
        let (sec, r) = take_digits(r);
        if sec.len() != 2 {
            return Err(ValueError::TrailingText);
        }
        seconds = sec;
        rest = r;
        if let Some(r) = rest.strip_prefix('.') {
            let (frac, r) = take_digits(r);
            if frac.is_empty() {
                return Err(ValueError::TrailingText);
            }
            rest = r;
        }
    }

    rest = rest.trim_start_matches(is_blank);
    let twelve_hour =
        if let Some(r) = strip_prefix_ci(rest, "AM").or_else(|| strip_prefix_ci(rest, "PM")) {
            rest = r;
            true
        } else {
            false
        };
    let (h, m, s) = (
        small_number(hours),
        small_number(minutes),
        small_number(seconds),
    );
    let hour_ok = if twelve_hour {
        (1..=12).contains(&h)
    } else {
        h <= 23
    };
    if !hour_ok || m > 59 || s > 59 {
        return Err(ValueError::InvalidTime);
    }

    check_zone(rest.trim_start_matches(is_blank))
}

/// An optional zone after a time: `Z`, `UTC`, `GMT`, `+HH`, `+HHMM`, `+HH:MM` (or `-`).
fn check_zone(z: &str) -> Result<(), ValueError> {
    if z.is_empty() || z == "Z" || z.eq_ignore_ascii_case("UTC") || z.eq_ignore_ascii_case("GMT") {
        return Ok(());
    }
    let Some(offset) = z.strip_prefix(['+', '-']) else {
        return Err(ValueError::TrailingText);
    };
    let (hh, rest) = take_digits(offset);
    let (hh, mm) = match (hh.len(), rest) {
        (2, "") => (hh, "00"),
        (4, "") => hh.split_at(2),
        (2, r) => match r.strip_prefix(':') {
            Some(mm) if mm.len() == 2 && mm.bytes().all(|b| b.is_ascii_digit()) => (hh, mm),
            _ => return Err(ValueError::TrailingText),
        },
        _ => return Err(ValueError::TrailingText),
    };
    if small_number(hh) > 14 || small_number(mm) > 59 {
        return Err(ValueError::InvalidTime);
    }
    Ok(())
}

/// Excel serial day number to date.
///
/// `date1904` selects the 1904 date system (serial 0 = 1904-01-01). In the 1900 system
/// serial 1 = 1900-01-01, 59 = 1900-02-28, 60 is Excel's non-existent 1900-02-29
/// ([`ValueError::ExcelLeapDay1900`]), 61 = 1900-03-01 and 45292 = 2024-01-01.
/// The fractional part (time of day) is ignored. Results before 1900-01-01 (serial 0 or
/// negative) or after 2100 are [`ValueError::DateOutOfRange`]; NaN and infinities are
/// [`ValueError::InvalidSerial`].
pub fn excel_serial_to_date(serial: f64, date1904: bool) -> Result<NaiveDate, ValueError> {
    if !serial.is_finite() {
        return Err(ValueError::InvalidSerial);
    }
    let day = serial.floor();
    // 2100-12-31 is serial 73415; the cap only keeps the cast below exact.
    if !(0.0..=10_000_000.0).contains(&day) {
        return Err(ValueError::DateOutOfRange);
    }
    let day = day as u64;
    let (base, offset) = if date1904 {
        ((1904, 1, 1), day)
    } else if day < 60 {
        ((1899, 12, 31), day)
    } else if day == 60 {
        return Err(ValueError::ExcelLeapDay1900);
    } else {
        // Serials after the phantom 1900-02-29 are one day ahead of the real calendar.
        ((1899, 12, 30), day)
    };
    let date = NaiveDate::from_ymd_opt(base.0, base.1, base.2)
        .and_then(|b| b.checked_add_days(Days::new(offset)))
        .ok_or(ValueError::DateOutOfRange)?;
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(ValueError::DateOutOfRange)
    }
}

// ---------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
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
}
