//! The pack's one font — WenQuanYi Micro Hei, the file the charts embed
//! (face 0 of the collection), so English and Chinese are both real text —
//! and how wide a text is in it: wrapping into lines, and shortening with
//! "…" what does not fit.

use std::sync::OnceLock;

/// The font file the charts use (the same bytes: one copy in the binary).
pub(crate) use crate::charts::FONT;

/// Its family name, as usvg finds it in a font database.
pub const FAMILY: &str = "WenQuanYi Micro Hei";

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT, 0).expect("the embedded font parses"))
}

/// The advance of `c` in em units (a missing glyph counts as the font's
/// fallback glyph 0).
fn advance(c: char) -> f32 {
    let f = face();
    let id = f.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
    f32::from(f.glyph_hor_advance(id).unwrap_or(0)) / f32::from(f.units_per_em())
}

/// The width of `text` at `size` points.
pub fn width(text: &str, size: f32) -> f32 {
    text.chars().map(advance).sum::<f32>() * size
}

/// Characters that may start or end a line anywhere: CJK ideographs, kana,
/// hangul and full-width punctuation.
fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Punctuation that must not start a line (it stays with the character
/// before it).
fn closes(c: char) -> bool {
    "，。、；：！？）」』》〉”’…,.;:!?)".contains(c)
}

/// `text` cut to fit `max` points at `size`, ending in "…" when cut.
pub fn ellipsize(text: &str, size: f32, max: f32) -> String {
    if width(text, size) <= max {
        return text.to_string();
    }
    let room = max - width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += advance(c) * size;
        if used > room {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// `text` in lines of at most `max` points at `size`: broken at spaces, and
/// between any two CJK characters; a word longer than a line is split.
/// Newlines in the text start a new line. At most `lines` lines: the last
/// one kept ends in "…" when text was left out.
pub fn wrap(text: &str, size: f32, max: f32, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        // Tokens: a run of non-space, non-CJK characters, a single CJK
        // character (with the punctuation closing it), or a space.
        let mut tokens: Vec<String> = Vec::new();
        for c in paragraph.chars() {
            let joins = !c.is_whitespace() && !breaks_anywhere(c);
            match tokens.last_mut() {
                Some(t) if t != " " && closes(c) => t.push(c),
                Some(t) if joins && t.chars().last().is_some_and(|p| !p.is_whitespace() && !breaks_anywhere(p)) => t.push(c),
                _ => tokens.push(if c.is_whitespace() { " ".to_string() } else { c.to_string() }),
            }
        }
        for token in tokens {
            if token == " " && line.is_empty() {
                continue;
            }
            if width(&format!("{line}{token}"), size) <= max {
                line.push_str(&token);
                continue;
            }
            if token == " " {
                out.push(std::mem::take(&mut line).trim_end().to_string());
                continue;
            }
            if !line.trim().is_empty() {
                out.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.clear();
            // A token wider than a whole line is split by characters.
            for c in token.chars() {
                if !line.is_empty() && width(&format!("{line}{c}"), size) > max {
                    out.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        out.push(line.trim_end().to_string());
    }
    while out.len() > 1 && out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    if out.len() > lines {
        out.truncate(lines.max(1));
        if let Some(last) = out.last_mut() {
            *last = ellipsize(&format!("{last}…"), size, max);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        assert!(width("Vital Few", 10.0) > width("Vital", 10.0));
        assert!((width("客户", 20.0) - 2.0 * width("客户", 10.0)).abs() < 1e-3);
        // A CJK ideograph is one em wide in this font.
        assert!((width("客", 10.0) - 10.0).abs() < 0.5, "{}", width("客", 10.0));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_and_fits() {
        let name = "高婷英贸易有限公司上海分公司第三事业部";
        let cut = ellipsize(name, 12.0, 100.0);
        assert!(cut.ends_with('…') && cut.len() < name.len(), "{cut}");
        assert!(width(&cut, 12.0) <= 100.0 + 1e-3);
        assert_eq!(ellipsize("短", 12.0, 100.0), "短");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_between_cjk_characters() {
        let en = wrap("They care about price and the product itself. Know your competitors' quotes.", 10.0, 120.0, 10);
        assert!(en.len() > 2, "{en:?}");
        assert!(en.iter().all(|l| width(l, 10.0) <= 120.0 + 1e-3), "{en:?}");
        assert_eq!(en.join(" "), "They care about price and the product itself. Know your competitors' quotes.");
        let zh = wrap("他们关心价格和产品本身。了解竞争对手的报价，快速给出有竞争力的价格。", 10.0, 100.0, 10);
        assert!(zh.len() >= 3 && zh.iter().all(|l| width(l, 10.0) <= 100.0 + 1e-3), "{zh:?}");
        assert_eq!(zh.concat(), "他们关心价格和产品本身。了解竞争对手的报价，快速给出有竞争力的价格。");
        // Closing punctuation never starts a line, at any width.
        for max in (40..160).step_by(5) {
            let lines = wrap("他们关心价格和产品本身。了解竞争对手的报价，快速给出有竞争力的价格。", 10.0, max as f32, 20);
            assert!(lines.iter().all(|l| !l.starts_with(['。', '，'])), "{max}: {lines:?}");
        }
    }

    #[test]
    fn too_many_lines_end_in_an_ellipsis() {
        let lines = wrap("one two three four five six seven eight nine ten", 10.0, 40.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 10.0) <= 40.0 + 1e-3), "{lines:?}");
        assert_eq!(wrap("a\nb", 10.0, 100.0, 5), ["a", "b"]);
        assert_eq!(wrap("", 10.0, 100.0, 5), [""]);
    }
}
