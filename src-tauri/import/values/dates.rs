//! Date cells: text dates in every accepted form ([`parse_date`]), the file's day/month
//! order ([`detect_day_order`]), yyyymmdd numbers and Excel serial numbers.

use chrono::{Datelike, Days, NaiveDate};

use super::fold::{fold, is_blank, is_nothing_marker, small_number, strip_prefix_ci, take_digits, trim_cell};
use super::ValueError;

/// Earliest accepted year for any date.
const MIN_YEAR: i32 = 1900;
/// Latest accepted year for any date.
const MAX_YEAR: i32 = 2100;
/// Largest Excel serial number (9999-12-31 in the 1900 system).
const MAX_EXCEL_SERIAL: f64 = 2_958_465.0;

/// Order of the first two parts of an ambiguous `a/b/yyyy` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// `a/b/yyyy` is day/month/year (most of the world).
    DayFirst,
    /// `a/b/yyyy` is month/day/year (United States).
    MonthFirst,
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
/// markers as [`parse_number`](super::parse_number).
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
