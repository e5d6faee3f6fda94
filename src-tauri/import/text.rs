//! Text files: encoding detection and decoding, delimiter sniffing.
//!
//! Encoding: a BOM decides (UTF-8, UTF-16LE/BE); else the zero bytes of
//! UTF-16 without a BOM (what some Windows tools and Excel's "Unicode text"
//! write); else strict UTF-8; else GB18030 (Chinese Excel saves "CSV" as GBK
//! without a BOM, and GB18030 is its superset). The user may override the
//! guess.

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

    /// The name `--encoding` takes for it.
    pub fn cli_name(self) -> String {
        clap::ValueEnum::to_possible_value(&self).map(|v| v.get_name().to_string()).unwrap_or_default()
    }

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
    if let Some(utf16) = utf16_by_zero_bytes(bytes) {
        return utf16;
    }
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Gb18030
    }
}

/// Bytes sampled to recognise UTF-16 without a BOM.
const UTF16_SAMPLE: usize = 4096;

/// UTF-16 without a BOM, told by its zero bytes. Text in UTF-8 or GB18030
/// has none, so zero bytes mean UTF-16 or binary content, and only a strong
/// signal is taken as UTF-16 (anything else is left for [`looks_binary`] to
/// refuse). In the first few KiB: an even length, no NUL character (a zero
/// byte pair), and the characters with a zero byte on the side that has
/// most — ASCII and Latin-1, a table's commas, digits and line breaks —
/// text, not control codes. Then either they are at least 30% of the
/// characters and the other side has few (开 is U+5F00, 一 U+4E00), or, for
/// Chinese text with few of them, nearly everything reads as text that way.
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<TextEncoding> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE)];
    let pairs = sample.len() / 2;
    // Per side (LE: the second byte is zero, BE: the first), how many
    // characters have a zero byte there, and how many of those are controls.
    let (mut zeros, mut controls) = ([0usize; 2], [0usize; 2]);
    for pair in sample.chunks_exact(2) {
        let (side, other) = match (pair[0], pair[1]) {
            (0, 0) => return None,
            (b, 0) => (0, b),
            (0, b) => (1, b),
            _ => continue,
        };
        zeros[side] += 1;
        controls[side] += usize::from(!is_text_byte(other));
    }
    let side = usize::from(zeros[1] > zeros[0]);
    let encoding = [TextEncoding::Utf16le, TextEncoding::Utf16be][side];
    if zeros[side] == 0 || controls[side] * 20 > zeros[side] {
        return None;
    }
    let latin = zeros[side] * 10 >= pairs * 3 && zeros[1 - side] * 10 <= zeros[side];
    (latin || text_share(sample, encoding, true) >= MOSTLY_TEXT).then_some(encoding)
}

/// Whether U+00xx is a character of text: printable, or a tab, line break
/// or form feed.
fn is_text_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x20..=0x7e | 0xa0..=0xff)
}

/// The UTF-16 a file with no zero bytes to tell it by (Chinese text without
/// a single ASCII character: not even a line break) is likely in: its first
/// characters read that way are nearly all East Asian. Only names the
/// encoding to choose when such a file is refused; it never decides, as
/// GBK text of rare characters can look the same.
pub fn utf16_without_ascii(bytes: &[u8]) -> Option<TextEncoding> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE)];
    // Chinese read in the other byte order is often Chinese too, less often.
    let (le, be) = (text_share(sample, TextEncoding::Utf16le, false), text_share(sample, TextEncoding::Utf16be, false));
    let (share, encoding) = if be > le { (be, TextEncoding::Utf16be) } else { (le, TextEncoding::Utf16le) };
    (share >= MOSTLY_TEXT).then_some(encoding)
}

/// Per mille of characters that make a sample read as text.
const MOSTLY_TEXT: usize = 900;

/// How many of the characters of `sample`, read as `encoding` (UTF-16), per
/// mille, are East Asian — CJK ideographs and punctuation, kana, full-width
/// forms — or, `with_ascii`, ASCII and Latin-1 text. Read at random, bytes
/// are East Asian about a third of the time; pairs of ASCII letters often
/// are, so ASCII counts only where zero bytes showed the alignment.
fn text_share(sample: &[u8], encoding: TextEncoding, with_ascii: bool) -> usize {
    let units = sample.chunks_exact(2).map(|p| match encoding {
        TextEncoding::Utf16be => u16::from_be_bytes([p[0], p[1]]),
        _ => u16::from_le_bytes([p[0], p[1]]),
    });
    let (mut total, mut text) = (0usize, 0usize);
    for c in char::decode_utf16(units) {
        total += 1;
        // A pair cut at the sample's end is one character that is not.
        text += usize::from(c.is_ok_and(|c| {
            let ascii = matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A0}'..='\u{FF}');
            (with_ascii && ascii)
                || matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
        }));
    }
    text * 1000 / total.max(1)
}

/// Decodes `bytes` (a BOM, if any, is dropped). Fails when the bytes are not
/// valid in that encoding, so a wrong choice is reported, not garbled. UTF-8
/// is checked in place: a large file is never held twice.
pub fn decode(mut bytes: Vec<u8>, encoding: TextEncoding) -> Result<String, crate::i18n::Msg> {
    let (bom_enc, bom_len) = encoding_rs::Encoding::for_bom(&bytes).unwrap_or((encoding.codec(), 0));
    let bom_len = if bom_enc == encoding.codec() { bom_len } else { 0 };
    if encoding == TextEncoding::Utf8 {
        bytes.drain(..bom_len);
        return String::from_utf8(bytes).map_err(|e| {
            crate::msg!("import.file.not_utf8", byte = e.utf8_error().valid_up_to() + bom_len)
        });
    }
    encoding
        .codec()
        .decode_without_bom_handling_and_without_replacement(&bytes[bom_len..])
        .map(Cow::into_owned)
        .ok_or_else(|| crate::msg!("import.file.not_encoding", encoding = encoding.label()))
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
        let err = decode(gbk.to_vec(), TextEncoding::Utf8).unwrap_err().to_string();
        assert!(err.contains("not valid UTF-8"), "{err}");
    }

    fn utf16(text: &str, encoding: TextEncoding) -> Vec<u8> {
        let be = encoding == TextEncoding::Utf16be;
        text.encode_utf16().flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    #[test]
    fn utf16_without_a_bom_is_told_by_its_zero_bytes() {
        let table = "订单号\t开票日期\t客户名称\t销售额\r\nSO-001\t2024-01-05\t华东钢铁有限公司\t120,000\r\n";
        for enc in [TextEncoding::Utf16le, TextEncoding::Utf16be] {
            assert_eq!(detect_encoding(&utf16(table, enc)), enc);
            assert_eq!(detect_encoding(&utf16("Customer,Sales\nAcme,1\n", enc)), enc);
            // Chinese with few ASCII characters (line breaks only): under
            // 30% of zero bytes, but nearly everything reads as text.
            let names = "华东钢铁有限公司\r\n北方建材集团\r\n南方五金商行\r\n第一机械厂\r\n开元\r\n".repeat(20);
            assert_eq!(detect_encoding(&utf16(&names, enc)), enc);
            assert_eq!(decode(utf16(&names, enc), enc).unwrap(), names);
            assert!(!looks_binary(&utf16(&names, enc), enc));
        }
        // An odd length is no UTF-16: left for the binary check.
        let mut odd = utf16("Customer,Sales\n", TextEncoding::Utf16le);
        odd.push(b'\n');
        assert_eq!(detect_encoding(&odd), TextEncoding::Utf8);
        assert!(looks_binary(&odd, TextEncoding::Utf8));
        // Text without zero bytes is read as before.
        assert_eq!(detect_encoding("客户名称,销售额\n甲,1\n".as_bytes()), TextEncoding::Utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("客户名称,销售额\n甲,1\n");
        assert_eq!(detect_encoding(&gbk), TextEncoding::Gb18030);
    }

    #[test]
    fn binary_with_zero_bytes_is_not_taken_for_utf16() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
        png.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
        let zip = b"PK\x03\x04\x14\0\0\0\x08\0ab\x12\x34data.csv".repeat(100);
        // Little-endian 16-bit numbers: a zero byte on one side, but the
        // other byte is a control code, not text.
        let samples: Vec<u8> = (0..2000u16).flat_map(|i| (i % 31 + 1).to_le_bytes()).collect();
        // Zero bytes on both sides, beside any byte.
        let mixed: Vec<u8> = (0..2000u32)
            .flat_map(|i| {
                let b = (i.wrapping_mul(2654435761) >> 24) as u8 | 1;
                if i % 2 == 0 { [b, 0] } else { [0, b] }
            })
            .collect();
        for bytes in [png, zip, samples, mixed] {
            let enc = detect_encoding(&bytes);
            assert!(!matches!(enc, TextEncoding::Utf16le | TextEncoding::Utf16be), "{:?}", &bytes[..8]);
            assert!(looks_binary(&bytes, enc));
        }
    }

    #[test]
    fn utf16_without_any_ascii_is_only_named() {
        // No zero byte to tell it by (not even a line break): read as GB18030
        // or refused, but the encoding to choose can be named.
        let chinese = "华东钢铁有限公司北方建材集团南方五金商行西部机械厂".repeat(10);
        for enc in [TextEncoding::Utf16le, TextEncoding::Utf16be] {
            let bytes = utf16(&chinese, enc);
            assert!(!bytes.contains(&0));
            assert_eq!(utf16_without_ascii(&bytes), Some(enc));
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&chinese);
        assert_eq!(utf16_without_ascii(&gbk), None, "GBK text");
        assert_eq!(utf16_without_ascii(chinese.as_bytes()), None, "UTF-8 text");
        assert_eq!(utf16_without_ascii(b"Customer name,Sales amount\nAcme,1\n"), None, "ASCII text");
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
        assert_eq!(utf16_without_ascii(&noise), None, "noise");
        assert_eq!(TextEncoding::Utf16le.cli_name(), "utf-16le");
        assert_eq!(TextEncoding::Gb18030.cli_name(), "gb18030");
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
