//! The IPC surface. Each command parses its arguments, calls the domain and
//! maps the error; nothing else. Every name here is declared in build.rs and
//! granted in capabilities/main-window.json.

use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use super::{menu, state::AppState};
use crate::import::plan::ImportPreview;
use crate::import::{self, ImportOptions, ImportProgress};
use crate::accounts::{self, AccountView, Change, DueAction, Overview};
use crate::analysis::{self, Dashboard, Filter, Measure};
use crate::charts::{self, ChartImage, ChartRequest, ImageFormat};
use crate::export::{self, TableFormat};
use crate::model::{CustomerRow, ImportRecord, Lang, Settings, StoreInfo, UiPrefs, DEFAULT_CURRENCY};
use crate::{customers, i18n, Error};

#[tauri::command]
pub fn get_info(state: State<'_, AppState>) -> Result<StoreInfo, Error> {
    state.store()?.info()
}

fn prefs(settings: &Settings) -> UiPrefs {
    UiPrefs {
        language: settings.language.unwrap_or_else(i18n::system_lang),
        currency: settings.currency.clone().unwrap_or_else(|| DEFAULT_CURRENCY.to_string()),
    }
}

#[tauri::command]
pub fn get_prefs(state: State<'_, AppState>) -> Result<UiPrefs, Error> {
    Ok(prefs(&state.store()?.settings()?))
}

#[tauri::command]
pub fn set_language(app: AppHandle, state: State<'_, AppState>, lang: Lang) -> Result<UiPrefs, Error> {
    let settings = state.store()?.update_settings(|s| s.language = Some(lang))?;
    // The choice is saved; a menu that keeps its old labels is not worth failing for.
    if let Err(e) = menu::relabel(&app, lang) {
        eprintln!("vitalfew: menu not relabelled: {e}");
    }
    Ok(prefs(&settings))
}

#[tauri::command]
pub fn set_currency(state: State<'_, AppState>, currency: String) -> Result<UiPrefs, Error> {
    let currency = currency.trim().to_string();
    if currency.chars().count() > 8 {
        return Err(Error::InvalidArgument("a currency symbol has at most 8 characters".into()));
    }
    Ok(prefs(&state.store()?.update_settings(|s| s.currency = Some(currency.clone()))?))
}

#[tauri::command]
pub async fn get_dashboard(state: State<'_, AppState>, measure: Measure, filter: Filter) -> Result<Dashboard, Error> {
    let data = state.dataset()?;
    Ok(analysis::dashboard(&data, measure, &filter))
}

/// A chart drawn for the screen (SVG) with its hover regions.
#[tauri::command]
pub async fn render_chart(state: State<'_, AppState>, request: ChartRequest) -> Result<ChartImage, Error> {
    let data = state.dataset()?;
    let out = charts::chart(&data, &request, ImageFormat::Svg)?;
    Ok(ChartImage { svg: String::from_utf8_lossy(&out.bytes).into_owned(), regions: out.regions })
}

/// Saves a chart where the user chooses; `.svg` gives SVG, anything else PNG.
#[tauri::command]
pub async fn export_chart(app: AppHandle, state: State<'_, AppState>, request: ChartRequest) -> Result<Option<String>, Error> {
    let name = format!("{}.png", serde_json::to_value(request.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default());
    let Some(path) = save_path(&app, &state, "dashboard.export_chart", &name, &[("PNG", &["png"]), ("SVG", &["svg"])]) else {
        return Ok(None);
    };
    let format = ImageFormat::from_path(&path).unwrap_or(ImageFormat::Png);
    let data = state.dataset()?;
    let out = charts::chart(&data, &request, format)?;
    write_file(&path, &out.bytes)
}

/// Saves the ranked customer table as CSV or XLSX (by the chosen extension).
#[tauri::command]
pub async fn export_ranking(
    app: AppHandle,
    state: State<'_, AppState>,
    measure: Measure,
    filter: Filter,
    lang: Lang,
) -> Result<Option<String>, Error> {
    let Some(path) = save_path(&app, &state, "dashboard.export_table", "ranking.xlsx", &[("Excel", &["xlsx"]), ("CSV", &["csv"])]) else {
        return Ok(None);
    };
    let rows = export::ranking(&*state.dataset()?, measure, &filter);
    let bytes = match TableFormat::from_path(&path).unwrap_or(TableFormat::Xlsx) {
        TableFormat::Csv => export::to_csv(&rows, lang),
        TableFormat::Xlsx => export::to_xlsx(&rows, lang)?,
    };
    write_file(&path, &bytes)
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<Option<String>, Error> {
    std::fs::write(path, bytes).map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Where to save: the native save dialog (or, in tests, the queued answer).
fn save_path(app: &AppHandle, state: &AppState, title_key: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<std::path::PathBuf> {
    if let Some(answer) = state.test_dialog_answer() {
        return answer.map(std::path::PathBuf::from);
    }
    let mut dialog = app.dialog().file().set_title(i18n::text(current_lang(state), title_key)).set_file_name(name);
    for (label, ext) in filters {
        dialog = dialog.add_filter(*label, ext);
    }
    dialog.blocking_save_file().and_then(|p| p.into_path().ok())
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
    let record = tauri::async_runtime::spawn_blocking(move || store.commit_import(&plan, &chrono::Utc::now().to_rfc3339()))
        .await
        .map_err(|e| Error::Storage(format!("import worker failed: {e}")))??;
    state.data_changed();
    Ok(record)
}

#[tauri::command]
pub fn discard_import(state: State<'_, AppState>) {
    state.set_pending(None);
}

#[tauri::command]
pub fn undo_import(state: State<'_, AppState>) -> Result<ImportRecord, Error> {
    let record = state.store()?.undo_last_import()?;
    state.data_changed();
    Ok(record)
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
    let Some(path) = save_path(&app, &state, "import.save_problems", "import-problems.csv", &[("CSV", &["csv"])]) else {
        return Ok(None);
    };
    write_file(&path, csv.as_bytes())
}

/// The Key accounts page: accounts and candidates.
#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Overview, Error> {
    let data = state.dataset()?;
    let metrics = state.metrics(&data);
    Ok(accounts::overview(&data, &metrics, &state.store()?.accounts()?, accounts::today()))
}

/// One change to one account (promote, demote, answers, type, checklist,
/// move, actions); returns the account as it is now.
#[tauri::command]
pub async fn change_account(state: State<'_, AppState>, id: u32, change: Change) -> Result<AccountView, Error> {
    let account = accounts::change(&*state.store()?, id, &change)?;
    state.accounts_changed()?;
    let data = state.dataset()?;
    accounts::view::view_among(&account, &data.customers, &state.metrics(&data), accounts::today())
}

/// Open actions due this week (and overdue ones), for the Dashboard.
#[tauri::command]
pub async fn due_actions(state: State<'_, AppState>) -> Result<Vec<DueAction>, Error> {
    let data = state.dataset()?;
    Ok(accounts::view::due_this_week(&state.store()?.accounts()?, &data.customers, accounts::today()))
}

fn current_lang(state: &AppState) -> Lang {
    state.store().and_then(|s| s.settings()).ok().and_then(|s| s.language).unwrap_or_else(i18n::system_lang)
}
