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

pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter that splits the first lines most consistently into more
/// than one field (quotes respected). Ties prefer the order of [`DELIMITERS`].
pub fn sniff_delimiter(text: &str) -> u8 {
    let sample: String = text.chars().take(64 * 1024).collect();
    let mut best = (b',', 0usize);
    for delim in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        for record in reader.records().take(50) {
            match record {
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
        }
        // Drop the last line: the sample may have cut it short.
        if counts.len() > 1 {
            counts.pop();
        }
        let mut freq = std::collections::HashMap::new();
        for &c in counts.iter().filter(|&&c| c > 1) {
            *freq.entry(c).or_insert(0usize) += 1;
        }
        // Score: how many lines share the most common field count (>1),
        // weighted a little by that count so "a,b;c" prefers the richer split.
        let score = freq.iter().map(|(&fields, &lines)| lines * 100 + fields).max().unwrap_or(0);
        if score > best.1 {
            best = (delim, score);
        }
    }
    best.0
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
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        // Quoted commas do not fool it.
        assert_eq!(sniff_delimiter("\"x, y\";b\n\"1,2\";3\n\"4,5\";6\n"), b';');
        // Quoted field with an embedded newline.
        assert_eq!(sniff_delimiter("name,note\nA,\"line1\nline2\"\nB,x\n"), b',');
    }

    #[test]
    fn binary_is_recognized() {
        assert!(looks_binary(b"\x00\x01\x02PK\x03\x04", TextEncoding::Utf8));
        assert!(!looks_binary("客户,金额\n甲,1\n".as_bytes(), TextEncoding::Utf8));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
        assert!(looks_binary(&noise, TextEncoding::Gb18030));
    }
}
