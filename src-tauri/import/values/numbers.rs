//! Money and quantity cells: [`parse_number`] (with its allocation-free fast path),
//! the file's decimal mark ([`Mark`], [`detect_decimal_mark`]) and `="…"` text formulas.

use super::fold::{fold, is_blank, is_nothing_marker, small_number, strip_prefix_ci, strip_suffix_ci, trim_cell};
use super::ValueError;

/// Turns `-0.0` into `0.0` so that `(0.00)` and `-0` compare and print as plain zero.
fn positive_zero(v: f64) -> f64 {
    if v == 0.0 {
        0.0
    } else {
        v
    }
}

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
