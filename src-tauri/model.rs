//! Plain data shared by the store, the CLI and the UI. Types the UI sees are
//! exported to TypeScript (see `bindings`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A UI language. Serialized as its BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }
}

/// The main window's last size and position, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WindowGeometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

impl WindowGeometry {
    /// Smallest size we restore; anything smaller is treated as garbage.
    pub const MIN_WIDTH: u32 = 640;
    pub const MIN_HEIGHT: u32 = 480;

    pub fn is_plausible(&self) -> bool {
        self.width >= Self::MIN_WIDTH
            && self.height >= Self::MIN_HEIGHT
            && self.width <= 16_384
            && self.height <= 16_384
    }
}

/// What the user chose and the app remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Settings {
    /// `None` until the user picks one: the UI then follows the system language.
    pub language: Option<Lang>,
    pub window: Option<WindowGeometry>,
}

/// The preferences the UI needs at start-up, already resolved (a language the
/// user never picked comes from the system locale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct UiPrefs {
    pub language: Lang,
}

/// `vitalfew info --json`, and the UI's "about this data" line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StoreInfo {
    pub version: String,
    pub data_dir: String,
    pub schema_version: u32,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub sales_lines: u64,
    #[ts(type = "number")]
    pub accounts: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_tags_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_tag(l.tag()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.tag());
        }
        assert_eq!(Lang::from_tag("zh-cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("fr"), None);
    }

    #[test]
    fn settings_tolerate_missing_fields() {
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Settings::default());
        let s: Settings = serde_json::from_str(r#"{"language":"zh-CN"}"#).unwrap();
        assert_eq!(s.language, Some(Lang::ZhCn));
    }

    #[test]
    fn implausible_geometry_is_rejected() {
        let g = WindowGeometry { x: 0, y: 0, width: 10, height: 10, maximized: false };
        assert!(!g.is_plausible());
        let g = WindowGeometry { width: 1200, height: 800, ..g };
        assert!(g.is_plausible());
    }
}
