//! The IPC surface. Each command parses its arguments, calls the domain and
//! maps the error; nothing else. Every name here is declared in build.rs and
//! granted in capabilities/main-window.json.

use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use super::{menu, state::AppState};
use crate::import::plan::ImportPreview;
use crate::import::{self, ImportOptions, ImportProgress};
use crate::model::{CustomerRow, ImportRecord, Lang, StoreInfo, UiPrefs};
use crate::{customers, i18n, Error};

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

/// The file the user picks in the native open dialog (`None`: cancelled).
#[tauri::command]
pub async fn pick_import_file(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>, Error> {
    if let Some(answer) = state.test_dialog_answer() {
        return Ok(answer);
    }
    let lang = current_lang(&state);
    let picked = app
        .dialog()
        .file()
        .set_title(i18n::text(lang, "import.choose"))
        .add_filter(i18n::text(lang, "import.filter"), &["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"])
        .blocking_pick_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

/// Reads the file and plans its import (off the UI thread, with progress
/// events); the plan waits in the app state for `commit_import`.
#[tauri::command]
pub async fn preview_import(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    options: ImportOptions,
) -> Result<ImportPreview, Error> {
    let store = state.store()?;
    // A plan being replaced can no longer be committed.
    state.set_pending(None);
    let cancel = state.begin_import();
    let handle = app.clone();
    let plan = tauri::async_runtime::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let progress = |rows: u64, fraction: f64| {
            let per_second = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
            let _ = handle.emit("import-progress", ImportProgress { rows, fraction, per_second });
        };
        import::prepare(&store, std::path::Path::new(&path), &options, &progress, &cancel)
    })
    .await
    .map_err(|e| Error::Storage(format!("import worker failed: {e}")))??;
    let preview = plan.preview.clone();
    state.set_pending(Some(plan));
    Ok(preview)
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.cancel_import();
}

/// Commits the previewed import (`None`: it changed nothing).
#[tauri::command]
pub async fn commit_import(state: State<'_, AppState>) -> Result<Option<ImportRecord>, Error> {
    let plan = state.take_pending().ok_or_else(|| Error::NotFound("there is no previewed import to commit".into()))?;
    let store = state.store()?;
    tauri::async_runtime::spawn_blocking(move || store.commit_import(&plan, &chrono::Utc::now().to_rfc3339()))
        .await
        .map_err(|e| Error::Storage(format!("import worker failed: {e}")))?
}

#[tauri::command]
pub fn discard_import(state: State<'_, AppState>) {
    state.set_pending(None);
}

#[tauri::command]
pub fn undo_import(state: State<'_, AppState>) -> Result<ImportRecord, Error> {
    state.store()?.undo_last_import()
}

#[tauri::command]
pub fn list_imports(state: State<'_, AppState>) -> Result<Vec<ImportRecord>, Error> {
    state.store()?.imports()
}

#[tauri::command]
pub async fn list_customers(state: State<'_, AppState>) -> Result<Vec<CustomerRow>, Error> {
    let store = state.store()?;
    tauri::async_runtime::spawn_blocking(move || customers::rows(&store))
        .await
        .map_err(|e| Error::Storage(format!("worker failed: {e}")))?
}

/// Saves the previewed import's problem rows as CSV where the user chooses;
/// returns the path (`None`: cancelled).
#[tauri::command]
pub async fn save_import_problems(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>, Error> {
    let csv = state
        .with_pending(|plan| import::problems_csv(&plan.preview))
        .ok_or_else(|| Error::NotFound("there is no previewed import".into()))?;
    let path = match state.test_dialog_answer() {
        Some(answer) => answer.map(std::path::PathBuf::from),
        None => {
            let lang = current_lang(&state);
            app.dialog()
                .file()
                .set_title(i18n::text(lang, "import.save_problems"))
                .set_file_name("import-problems.csv")
                .add_filter("CSV", &["csv"])
                .blocking_save_file()
                .and_then(|p| p.into_path().ok())
        }
    };
    let Some(path) = path else { return Ok(None) };
    std::fs::write(&path, csv).map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

fn current_lang(state: &AppState) -> Lang {
    state.store().and_then(|s| s.settings()).ok().and_then(|s| s.language).unwrap_or_else(i18n::system_lang)
}
