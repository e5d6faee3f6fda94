//! How a file's cells are named in messages and what a cell may hold: the
//! limits and words the text reader (`table`) and the workbook reader
//! (`workbook`) share, so neither depends on the other for them.

use std::fmt::Write as _;

use crate::i18n::Msg;

/// No sane table has a cell this long; a file that does is refused whole.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// Why a password-protected workbook is refused.
pub fn password_protected() -> Msg {
    crate::msg!("import.file.password")
}

/// Why a file with a cell over [`MAX_CELL_BYTES`] is refused.
pub fn too_long_reason(row: u64, col: usize, bytes: usize) -> Msg {
    crate::msg!("import.file.cell_too_long", row = row, column = column_letter(col), kib = bytes / 1024)
}

/// At most this many characters of a cell's text are quoted in a message.
pub const QUOTED_CHARS: usize = 40;

/// A cell's or header's text as a message quotes it: in double quotes, on
/// one line and short. Every message about a file is one line (the command
/// line prints an error as one line, the UI a reason as one sentence), but
/// a cell holds whatever the file put there: a line break shows as `⏎` (CR
/// LF, LF and CR alike), a tab as `⇥`, another control character (or one
/// that reorders text on screen) as `\u{7}`, a quote as `\"`. Past
/// [`QUOTED_CHARS`] characters the text is cut — between characters and
/// escapes, never inside one — and ends in `…`.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * QUOTED_CHARS) + 4);
    out.push('"');
    let (mut shown, mut cut_at) = (0, out.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            chars.next();
        }
        let before = out.len();
        push_shown(c, &mut out);
        shown += out[before..].chars().count();
        if shown > QUOTED_CHARS {
            out.truncate(cut_at);
            out.push('…');
            break;
        }
        if shown < QUOTED_CHARS {
            cut_at = out.len();
        }
    }
    out.push('"');
    out
}

/// Pushes `c` as [`quoted`] shows it.
fn push_shown(c: char, out: &mut String) {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push('⏎'),
        '\t' => out.push('⇥'),
        '"' => out.push_str("\\\""),
        // Bidirectional controls would reorder the rest of the message.
        c if c.is_control() || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// `C (Sales)`: a column as messages name it. A header that [`quoted`]
/// shows as it is stays bare, so the usual label reads as before; any
/// other (a line break, a quote, a long one) is shown quoted.
pub fn column_label(index: usize, header: &str) -> String {
    let q = quoted(header);
    let shown = match q.get(1..q.len() - 1) {
        Some(inner) if inner == header => inner,
        _ => q.as_str(),
    };
    format!("{} ({shown})", column_letter(index))
}

/// Spreadsheet column name for a 0-based index: 0 → A, 26 → AA.
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}
