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
//!
//! Numbers are read in `numbers.rs`, dates in `dates.rs`; the trimming and
//! full-width folding both use is in `fold.rs`.

mod dates;
mod fold;
mod numbers;

pub use dates::{date_from_yyyymmdd, detect_day_order, excel_serial_to_date, parse_date, DayOrder};
pub use numbers::{detect_decimal_mark, parse_number, parse_number_with, unwrap_text_formula, Mark};

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

#[cfg(test)]
mod tests;
