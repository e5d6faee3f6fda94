//! The IPC surface. Each command parses its arguments, calls the domain and
//! maps the error; nothing else. Every name here is declared in build.rs and
//! granted in capabilities/main-window.json.

use tauri::{AppHandle, State};

use super::{menu, state::AppState};
use crate::model::{Lang, StoreInfo, UiPrefs};
use crate::{i18n, Error};

#[tauri::command]
pub fn get_info(state: State<'_, AppState>) -> Result<StoreInfo, Error> {
    state.store()?.info()
}

#[tauri::command]
pub fn get_prefs(state: State<'_, AppState>) -> Result<UiPrefs, Error> {
    let settings = state.store()?.settings()?;
    Ok(UiPrefs { language: settings.language.unwrap_or_else(i18n::system_lang) })
}

#[tauri::command]
pub fn set_language(app: AppHandle, state: State<'_, AppState>, lang: Lang) -> Result<UiPrefs, Error> {
    state.store()?.update_settings(|s| s.language = Some(lang))?;
    // The choice is saved; a menu that keeps its old labels is not worth failing for.
    if let Err(e) = menu::relabel(&app, lang) {
        eprintln!("vitalfew: menu not relabelled: {e}");
    }
    Ok(UiPrefs { language: lang })
}
