//! The text handling the number and date parsers share: trimming a cell, folding
//! full-width characters to ASCII, the "nothing here" markers and small digit runs.

use std::borrow::Cow;

/// Characters trimmed from both ends of a cell: Unicode white space (which includes
/// U+3000 ideographic space, NBSP and the thin spaces) plus the invisible BOM and
/// zero-width space that some exports leave behind.
#[inline]
pub(super) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}'
}

#[inline]
pub(super) fn trim_cell(s: &str) -> &str {
    s.trim_matches(is_blank)
}

/// Folds one full-width (and a few look-alike) characters to their ASCII form.
#[inline]
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
#[inline]
pub(super) fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(|c| fold_char(c) != c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(fold_char).collect())
    }
}

/// "Nothing here" markers, compared after trimming and folding (so `－` is `-`).
#[inline]
pub(super) fn is_nothing_marker(s: &str) -> bool {
    matches!(s, "-" | "--" | "—" | "——" | "–" | "无") || s.eq_ignore_ascii_case("n/a")
}

/// `strip_prefix` that ignores ASCII case (non-ASCII characters must match exactly).
#[inline]
pub(super) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => Some(&s[prefix.len()..]),
        _ => None,
    }
}

/// `strip_suffix` that ignores ASCII case (non-ASCII characters must match exactly).
#[inline]
pub(super) fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    match s.get(cut..) {
        Some(tail) if tail.eq_ignore_ascii_case(suffix) => Some(&s[..cut]),
        _ => None,
    }
}

/// Splits off the leading ASCII digits.
#[inline]
pub(super) fn take_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// Value of a short run of ASCII digits (callers bound the length, so no overflow).
#[inline]
pub(super) fn small_number(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
}
