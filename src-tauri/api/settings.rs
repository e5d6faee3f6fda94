//! What the owner chose and the app remembers, and the store's counts.

use super::Api;
use crate::i18n;
use crate::model::{Lang, Settings, StoreInfo, UiPrefs, WindowGeometry, DEFAULT_CURRENCY};
use crate::{Error, Result};

fn prefs(settings: &Settings) -> UiPrefs {
    UiPrefs {
        language: settings.language.unwrap_or_else(i18n::system_lang),
        currency: settings.currency.clone().unwrap_or_else(|| DEFAULT_CURRENCY.to_string()),
    }
}

impl Api {
    /// Where the data is and how much of it there is.
    pub fn info(&self) -> Result<StoreInfo> {
        let store = self.store()?;
        Ok(StoreInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: store.data_dir().display().to_string(),
            schema_version: store.schema_version()?,
            customers: store.customer_count()?,
            sales_lines: store.line_count()?,
            accounts: super::accounts::active(&store)?,
        })
    }

    pub fn settings(&self) -> Result<Settings> {
        self.store()?.settings()
    }

    /// The preferences the UI starts with (a language never chosen follows
    /// the system).
    pub fn prefs(&self) -> Result<UiPrefs> {
        Ok(prefs(&self.settings()?))
    }

    /// The UI language: the owner's choice, else the system's (also when
    /// the store cannot be read).
    pub fn language(&self) -> Lang {
        self.settings().ok().and_then(|s| s.language).unwrap_or_else(i18n::system_lang)
    }

    pub fn set_language(&self, lang: Lang) -> Result<UiPrefs> {
        Ok(prefs(&self.store()?.update_settings(|s| s.language = Some(lang))?))
    }

    pub fn set_currency(&self, currency: &str) -> Result<UiPrefs> {
        let currency = currency.trim().to_string();
        if currency.chars().count() > 8 {
            return Err(Error::Refused(crate::msg!("refused.currency")));
        }
        Ok(prefs(&self.store()?.update_settings(|s| s.currency = Some(currency.clone()))?))
    }

    pub fn save_window(&self, geometry: WindowGeometry) -> Result<()> {
        self.store()?.update_settings(|s| s.window = Some(geometry)).map(|_| ())
    }
}
