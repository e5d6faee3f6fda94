//! Message catalogs shared with the UI. The JSON files under `ui/src/locales/`
//! are the single source of every user-visible string; the Rust side reads the
//! few it shows itself (native menu, window title) from the same files.

use std::collections::HashMap;
use std::sync::OnceLock;

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
