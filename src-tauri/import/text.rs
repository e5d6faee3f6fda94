//! Text files: encoding detection and decoding, delimiter sniffing.
//!
//! Encoding: a BOM decides (UTF-8, UTF-16LE/BE); else strict UTF-8; else
//! GB18030 (Chinese Excel saves "CSV" as GBK without a BOM, and GB18030 is
//! its superset). The user may override the guess.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A text encoding; `--encoding` on the command line takes the `value` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "utf-16le")]
    Utf16le,
    #[value(name = "utf-16be")]
    Utf16be,
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 4] =
        [TextEncoding::Utf8, TextEncoding::Utf16le, TextEncoding::Utf16be, TextEncoding::Gb18030];

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16le => "UTF-16LE",
            TextEncoding::Utf16be => "UTF-16BE",
            TextEncoding::Gb18030 => "GB18030",
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Utf16le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16be => encoding_rs::UTF_16BE,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
        }
    }
}

/// The encoding a file is most likely in.
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return if enc == encoding_rs::UTF_16LE {
            TextEncoding::Utf16le
        } else if enc == encoding_rs::UTF_16BE {
            TextEncoding::Utf16be
        } else {
            TextEncoding::Utf8
        };
    }
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Gb18030
    }
}

/// Decodes `bytes` (a BOM, if any, is dropped). Fails when the bytes are not
/// valid in that encoding, so a wrong choice is reported, not garbled. UTF-8
/// is checked in place: a large file is never held twice.
pub fn decode(mut bytes: Vec<u8>, encoding: TextEncoding) -> Result<String, String> {
    let (bom_enc, bom_len) = encoding_rs::Encoding::for_bom(&bytes).unwrap_or((encoding.codec(), 0));
    let bom_len = if bom_enc == encoding.codec() { bom_len } else { 0 };
    if encoding == TextEncoding::Utf8 {
        bytes.drain(..bom_len);
        return String::from_utf8(bytes).map_err(|e| {
            format!("not valid UTF-8 at byte {}; try GB18030", e.utf8_error().valid_up_to() + bom_len)
        });
    }
    encoding
        .codec()
        .decode_without_bom_handling_and_without_replacement(&bytes[bom_len..])
        .map(Cow::into_owned)
        .ok_or_else(|| format!("not valid {}", encoding.label()))
}

/// True for content that is not text: NUL bytes (outside UTF-16) or many
/// control characters in the first few KiB.
pub fn looks_binary(bytes: &[u8], encoding: TextEncoding) -> bool {
    if matches!(encoding, TextEncoding::Utf16le | TextEncoding::Utf16be) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

/// How the fields of a line are separated; `--delimiter` takes these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
    Pipe,
    /// Columns aligned with spaces (a fixed-width text export).
    Space,
}

impl Delimiter {
    pub const ALL: [Delimiter; 5] = [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab, Delimiter::Pipe, Delimiter::Space];

    /// The byte a CSV reader splits on; `None` for aligned columns.
    pub fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Comma => Some(b','),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Tab => Some(b'\t'),
            Delimiter::Pipe => Some(b'|'),
            Delimiter::Space => None,
        }
    }
}

/// Lines sampled to decide the delimiter.
const SNIFF_LINES: usize = 50;

/// The delimiter that splits the first lines most consistently into more
/// than one field (quotes respected); ties prefer the order of
/// [`Delimiter::ALL`]. When no delimiter character does, but runs of spaces
/// split most lines into the same number of fields, the columns are
/// aligned with spaces.
pub fn sniff_delimiter(text: &str) -> Delimiter {
    let sample: String = text.chars().take(64 * 1024).collect();
    let mut best = (Delimiter::Comma, 0usize);
    for delim in Delimiter::ALL {
        let Some(byte) = delim.byte() else { continue };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(byte)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        for record in reader.records().take(SNIFF_LINES) {
            match record {
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
        }
        // Drop the last line: the sample may have cut it short.
        if counts.len() > 1 {
            counts.pop();
        }
        // Score: how many lines share the most common field count (>1),
        // weighted a little by that count so "a,b;c" prefers the richer split.
        let score = common_count(&counts).map_or(0, |(fields, lines)| lines * 100 + fields);
        if score > best.1 {
            best = (delim, score);
        }
    }
    if best.1 == 0 && looks_aligned(&sample) {
        return Delimiter::Space;
    }
    best.0
}

/// The most common field count above one, and on how many lines.
fn common_count(counts: &[usize]) -> Option<(usize, usize)> {
    let mut freq = std::collections::HashMap::new();
    for &c in counts.iter().filter(|&&c| c > 1) {
        *freq.entry(c).or_insert(0usize) += 1;
    }
    freq.into_iter().max_by_key(|&(fields, lines)| (lines, fields))
}

/// Whether most sampled lines below the first (a header may have spaces
/// inside its names) split on runs of spaces into the same number (two or
/// more) of fields.
fn looks_aligned(sample: &str) -> bool {
    let lines: Vec<&str> = sample.lines().filter(|l| !l.trim().is_empty()).skip(1).take(SNIFF_LINES).collect();
    let counts: Vec<usize> = lines.iter().map(|l| l.split_whitespace().count()).collect();
    common_count(&counts).is_some_and(|(_, n)| !lines.is_empty() && n * 10 >= lines.len() * 8)
}

/// The number of fields most lines of `text` have when split on spaces.
pub fn aligned_fields(text: &str) -> usize {
    let counts: Vec<usize> =
        text.lines().filter(|l| !l.trim().is_empty()).take(200).map(|l| l.split_whitespace().count()).collect();
    common_count(&counts).map_or(1, |(fields, _)| fields)
}

/// Splits a line of space-aligned columns into `fields` cells: on every run
/// of spaces when that gives the right count, else on runs of two or more
/// (so a header "Customer ID" or a name "ACME Ltd" stays whole).
pub fn split_aligned<'a>(line: &'a str, fields: usize, out: &mut Vec<&'a str>) {
    out.clear();
    out.extend(line.split_whitespace());
    if out.len() == fields {
        return;
    }
    let wide: Vec<&str> = split_wide(line).collect();
    if wide.len() == fields || out.len() < fields {
        out.clear();
        out.extend(wide);
    }
}

fn split_wide(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let ws = |b: u8| b == b' ' || b == b'\t';
            if ws(bytes[i]) && (bytes[i] == b'\t' || bytes.get(i + 1).is_some_and(|&b| ws(b))) {
                let field = &rest[..i];
                rest = rest[i..].trim_start();
                return Some(field);
            }
            i += 1;
        }
        let field = rest;
        rest = "";
        Some(field)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_decides_the_encoding() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFa,b"), TextEncoding::Utf8);
        assert_eq!(detect_encoding(b"\xFF\xFEa\0"), TextEncoding::Utf16le);
        assert_eq!(detect_encoding(b"\xFE\xFF\0a"), TextEncoding::Utf16be);
    }

    #[test]
    fn strict_utf8_else_gb18030() {
        assert_eq!(detect_encoding("客户名称,销售额".as_bytes()), TextEncoding::Utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("客户名称,销售额");
        assert_eq!(detect_encoding(&gbk), TextEncoding::Gb18030);
        assert_eq!(decode(gbk.to_vec(), TextEncoding::Gb18030).unwrap(), "客户名称,销售额");
    }

    #[test]
    fn decoding_drops_the_bom_and_reports_wrong_choices() {
        assert_eq!(decode(b"\xEF\xBB\xBFname".to_vec(), TextEncoding::Utf8).unwrap(), "name");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "客户".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(utf16, TextEncoding::Utf16le).unwrap(), "客户");
        let (gbk, _, _) = encoding_rs::GBK.encode("客户");
        let err = decode(gbk.to_vec(), TextEncoding::Utf8).unwrap_err();
        assert!(err.contains("not valid UTF-8"), "{err}");
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), Delimiter::Comma);
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), Delimiter::Semicolon);
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), Delimiter::Tab);
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), Delimiter::Pipe);
        // Quoted commas do not fool it.
        assert_eq!(sniff_delimiter("\"x, y\";b\n\"1,2\";3\n\"4,5\";6\n"), Delimiter::Semicolon);
        // Quoted field with an embedded newline.
        assert_eq!(sniff_delimiter("name,note\nA,\"line1\nline2\"\nB,x\n"), Delimiter::Comma);
        // Names with spaces in a real CSV stay a CSV.
        assert_eq!(sniff_delimiter("name,amount\nACME Ltd,1\nBeta Co,2\n"), Delimiter::Comma);
    }

    #[test]
    fn aligned_columns_are_recognised_and_split() {
        let text = "Customer ID   Date      Qty    Amount\n  10001  20240105     3   1200.50\n  10002  20240106    12     80.00\n";
        assert_eq!(sniff_delimiter(text), Delimiter::Space);
        assert_eq!(aligned_fields(text), 4);
        let mut out = Vec::new();
        split_aligned("Customer ID   Date      Qty    Amount", 4, &mut out);
        assert_eq!(out, vec!["Customer ID", "Date", "Qty", "Amount"]);
        split_aligned("  10001  20240105     3   1200.50", 4, &mut out);
        assert_eq!(out, vec!["10001", "20240105", "3", "1200.50"]);
        split_aligned("ACME Ltd   20240105  3  9", 4, &mut out);
        assert_eq!(out, vec!["ACME Ltd", "20240105", "3", "9"]);
        // One word per line is not a table.
        assert_ne!(sniff_delimiter("alpha\nbeta\ngamma\n"), Delimiter::Space);
    }

    #[test]
    fn binary_is_recognized() {
        assert!(looks_binary(b"\x00\x01\x02PK\x03\x04", TextEncoding::Utf8));
        assert!(!looks_binary("客户,金额\n甲,1\n".as_bytes(), TextEncoding::Utf8));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
        assert!(looks_binary(&noise, TextEncoding::Gb18030));
    }
}
