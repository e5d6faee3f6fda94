//! Message catalogs shared with the UI. The JSON files under `ui/src/locales/`
//! are the single source of every user-visible string; the Rust side reads the
//! few it shows itself (native menu, window title, chart and pack texts,
//! exported headers) from the same files.
//!
//! What the Rust side tells the owner (a skipped row's reason, why a file or
//! a request is refused, why shares are undefined) is a [`Msg`]: a catalog
//! key and its values, built with [`msg!`] (`msg!("refused.not_key",
//! customer = id)`). The CLI prints it in English (`Display`); the window
//! renders it in its own language (the UI's `tm`). Fields that carry one:
//! `ApiError.detail`, `RowProblem.message`, `FileCheck.detail_message`,
//! `Concentration.na_message`, `BackupInfo.problem_message`,
//! `Recovery.reason`. Tests here check that every `msg!` key is in both
//! catalogs with the placeholders it gives, and that the Chinese catalog
//! holds no English word.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Lang;

const EN: &str = include_str!("../ui/src/locales/en.json");
const ZH_CN: &str = include_str!("../ui/src/locales/zh-CN.json");

type Catalog = HashMap<String, String>;

fn catalog(lang: Lang) -> &'static Catalog {
    static CATALOGS: OnceLock<[Catalog; 2]> = OnceLock::new();
    let all = CATALOGS.get_or_init(|| {
        let parse = |src: &str| serde_json::from_str::<Catalog>(src).expect("catalog is valid JSON");
        [parse(EN), parse(ZH_CN)]
    });
    match lang {
        Lang::En => &all[0],
        Lang::ZhCn => &all[1],
    }
}

/// The text for `key` in `lang`, falling back to English, then to the key
/// itself (so a missing string is visible, never a crash).
pub fn text(lang: Lang, key: &str) -> String {
    catalog(lang)
        .get(key)
        .or_else(|| catalog(Lang::En).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// [`text`] with each `{name}` replaced by its value.
pub fn format(lang: Lang, key: &str, params: &[(&str, String)]) -> String {
    params.iter().fold(text(lang, key), |s, (name, value)| s.replace(&format!("{{{name}}}"), value))
}

/// A message the owner may see, as its catalog key and the values of its
/// `{name}` placeholders: the window shows it in its language (the UI's
/// `tm`), the command line in English (`Display`). Build one with [`msg!`];
/// a test checks that every key so built is in both catalogs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Msg {
    pub key: String,
    pub params: BTreeMap<String, Arg>,
}

/// A placeholder's value: text as it is (a name, a number, a cell), or
/// another message, shown in the same language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum Arg {
    Text(String),
    Msg(Msg),
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}
macro_rules! arg_from_display {
    ($($t:ty),*) => {$(impl From<$t> for Arg {
        fn from(v: $t) -> Arg {
            Arg::Text(v.to_string())
        }
    })*};
}
arg_from_display!(u8, u16, u32, u64, usize, i32, i64, chrono::NaiveDate);

impl Msg {
    pub fn new(key: &str) -> Msg {
        Msg { key: key.to_string(), params: BTreeMap::new() }
    }

    /// The message with `{name}` set to `value`.
    pub fn with(mut self, name: &str, value: impl Into<Arg>) -> Msg {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        self.params.iter().fold(text(lang, &self.key), |s, (name, value)| {
            let value = match value {
                Arg::Text(t) => std::borrow::Cow::Borrowed(t.as_str()),
                Arg::Msg(m) => std::borrow::Cow::Owned(m.text(lang)),
            };
            s.replace(&format!("{{{name}}}"), &value)
        })
    }
}

/// In English: what the command line prints and logs.
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// A [`Msg`]: `msg!("account.not_key", customer = id)`. The key must be a
/// literal (the catalog test finds it in the source).
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new($key)$(.with(stringify!($name), $value))*
    };
}

/// A count with its noun (`<base>.one` / `<base>.other`): "1 key account",
/// "2 key accounts". Chinese has one form; English uses `one` for 1.
pub fn count(lang: Lang, base: &str, n: u64) -> String {
    let form = if n == 1 && lang == Lang::En { "one" } else { "other" };
    format(lang, &format!("{base}.{form}"), &[("n", n.to_string())])
}

/// How long ago, in calendar days: "today", "yesterday", "3 days ago"
/// (as the UI's `formatDaysAgo` says it).
pub fn days_ago(lang: Lang, days: i64) -> String {
    match days {
        ..=0 => text(lang, "days_ago.today"),
        1 => text(lang, "days_ago.yesterday"),
        n => format(lang, "days_ago.other", &[("n", n.to_string())]),
    }
}

/// A date as the language writes it: 2024-01-05, 2024年1月5日 (as the UI's
/// `formatDate` writes it).
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::En => d.format("%Y-%m-%d").to_string(),
        Lang::ZhCn => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

/// 1234567.8 → "1,234,568" (digits grouped by three; `decimals` kept).
pub fn group(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if v < 0.0 && v.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
        out.insert(0, '-');
    }
    out
}

/// A share as a percentage with one decimal and grouped digits: 12.3%,
/// +1,453.9% with `signed` (as the UI's `formatPercent` writes it).
pub fn percent(value: f64, signed: bool) -> String {
    let text = format!("{:.1}", (value * 100.0).abs());
    let (whole, decimals) = text.split_once('.').unwrap_or((&text, "0"));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = match (value < 0.0 && text != "0.0", signed && value > 0.0 && text != "0.0") {
        (true, _) => "-",
        (false, true) => "+",
        _ => "",
    };
    format!("{sign}{grouped}.{decimals}%")
}

/// Maps a system locale such as `zh_CN.UTF-8`, `zh-Hans-CN` or `en-US` to a UI
/// language. Any Chinese locale gets 简体中文; everything else English.
pub fn lang_for_locale(locale: &str) -> Lang {
    if locale.to_ascii_lowercase().starts_with("zh") {
        Lang::ZhCn
    } else {
        Lang::En
    }
}

/// The system's UI language, for a user who has not picked one.
pub fn system_lang() -> Lang {
    sys_locale::get_locale().map(|l| lang_for_locale(&l)).unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_percents_counts_and_days_ago_are_written_as_the_ui_writes_them() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!((date(Lang::En, d), date(Lang::ZhCn, d)), ("2024-01-05".to_string(), "2024年1月5日".to_string()));
        assert_eq!(percent(0.1234, false), "12.3%");
        assert_eq!(percent(14.539, true), "+1,453.9%");
        assert_eq!(percent(-0.04, true), "-4.0%");
        assert_eq!(percent(0.0, true), "0.0%");
        assert_eq!(percent(-0.00001, false), "0.0%");
        assert_eq!(count(Lang::En, "count.accounts", 1), "1 key account");
        assert_eq!(count(Lang::En, "count.accounts", 2), "2 key accounts");
        assert_eq!(count(Lang::ZhCn, "count.accounts", 1), "1 个大客户");
        assert_eq!([0, 1, 3].map(|n| days_ago(Lang::En, n)), ["today", "yesterday", "3 days ago"]);
        assert_eq!(days_ago(Lang::ZhCn, 12), "12 天前");
    }

    #[test]
    fn catalogs_have_the_same_keys_and_no_empty_text() {
        let en = catalog(Lang::En);
        let zh = catalog(Lang::ZhCn);
        let mut en_keys: Vec<_> = en.keys().collect();
        let mut zh_keys: Vec<_> = zh.keys().collect();
        en_keys.sort();
        zh_keys.sort();
        assert_eq!(en_keys, zh_keys);
        assert!(en.values().chain(zh.values()).all(|v| !v.trim().is_empty()));
    }

    #[test]
    fn messages_fill_their_placeholders_in_each_language_nested_ones_too() {
        let inner = crate::msg!("days_ago.other", n = 3u32);
        let m = crate::msg!("days_ago.other", n = inner);
        assert_eq!(m.to_string(), "3 days ago days ago");
        assert_eq!(m.text(Lang::ZhCn), "3 天前 天前");
        let json = serde_json::to_value(crate::msg!("days_ago.other", n = 3u32)).unwrap();
        assert_eq!(json, serde_json::json!({"key": "days_ago.other", "params": {"n": "3"}}));
    }

    /// Every message built in the Rust source (`msg!("key", name = …)`) is
    /// in both catalogs, with the placeholders it names and no others.
    #[test]
    fn every_message_the_rust_side_builds_is_in_both_catalogs() {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri")];
        let mut found = 0;
        while let Some(path) = dirs.pop() {
            if path.is_dir() {
                dirs.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n.rs") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for (at, _) in src.match_indices("msg!(") {
                let rest = src[at + 5..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else { continue };
                let key_end = rest.find('"').unwrap();
                let key = &rest[..key_end];
                let args = top_level(&rest[key_end + 1..]);
                let mut given: Vec<&str> =
                    args.split(',').filter_map(|a| a.split_once('=')).map(|(name, _)| name.trim()).filter(|n| !n.is_empty()).collect();
                given.sort();
                found += 1;
                for lang in [Lang::En, Lang::ZhCn] {
                    let text = catalog(lang).get(key).unwrap_or_else(|| panic!("{}: {key} is not in the {lang:?} catalog", path.display()));
                    let mut wanted = placeholders(text);
                    wanted.sort();
                    wanted.dedup();
                    assert_eq!(given, wanted, "{}: the placeholders of {key} ({lang:?})", path.display());
                }
            }
        }
        assert!(found > 50, "only {found} messages found in the source");
    }

    /// Every text of the Chinese catalog (the window's and the Rust side's)
    /// is Chinese: no English word but names of formats, products and units.
    #[test]
    fn the_chinese_catalog_has_no_english_words() {
        const NAMES: &[&str] = &[
            "Vital", "Few", "UTF-8", "UTF-16", "GB18030", "GBK", "CSV", "TSV", "TXT", "XLSX", "XLSM", "XLS", "ODS", "PNG", "SVG", "PDF", "KiB",
            "MiB", "GiB", "BOM", "YYYY-MM-DD", "MM-DD", "Excel", "WPS", "PowerPoint", "RFM", "ABC", "Ctrl", "Esc", "Tab", "Shift", "English", "backups",
            "encoding",
            // Column names of other programs' exports, quoted as they are.
            "QuickBooks", "Shopify", "Stripe", "Lineitem", "price", "quantity", "discount", "Email", "Billing", "Company", "Name", "Financial",
            "Status", "Paid", "Captured", "Amount", "Refunded", "Total", "for",
            // The team folder's file, named as it is.
            "team", "json",
        ];
        for (key, text) in catalog(Lang::ZhCn) {
            // Without its placeholders.
            let bare: String = text.split('{').enumerate().map(|(i, part)| if i == 0 { part } else { part.split_once('}').map_or(part, |(_, rest)| rest) }).collect();
            let mut word = String::new();
            for c in bare.chars().chain([' ']) {
                if c.is_ascii_alphabetic() || (c == '-' && !word.is_empty()) || (c.is_ascii_digit() && !word.is_empty()) {
                    word.push(c);
                    continue;
                }
                let english = word.len() >= 3 && !NAMES.contains(&word.as_str());
                assert!(!english, "{key}: {word:?} in {text:?}");
                word.clear();
            }
        }
    }

    /// A call's arguments (after its first) up to its closing parenthesis,
    /// without what nested brackets and strings hold.
    fn top_level(s: &str) -> String {
        let (mut out, mut depth, mut in_str, mut prev) = (String::new(), 0, false, ' ');
        for c in s.chars() {
            match c {
                '"' if prev != '\\' => in_str = !in_str,
                _ if in_str => {}
                '(' | '[' | '{' => depth += 1,
                ')' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
            prev = c;
        }
        out
    }

    /// The `{name}` placeholders of a catalog text.
    fn placeholders(text: &str) -> Vec<&str> {
        text.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(name, _)| name).filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_')).collect()
    }

    #[test]
    fn menu_labels_are_translated() {
        assert_eq!(text(Lang::En, "menu.import"), "Import…");
        assert_eq!(text(Lang::ZhCn, "menu.import"), "导入…");
        assert_eq!(text(Lang::ZhCn, "no.such.key"), "no.such.key");
    }

    #[test]
    fn locales_map_to_languages() {
        for zh in ["zh_CN.UTF-8", "zh-Hans-CN", "zh-TW", "ZH"] {
            assert_eq!(lang_for_locale(zh), Lang::ZhCn, "{zh}");
        }
        for en in ["en-US", "C", "de_DE.UTF-8", ""] {
            assert_eq!(lang_for_locale(en), Lang::En, "{en}");
        }
    }
}
