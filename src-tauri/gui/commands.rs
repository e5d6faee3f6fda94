//! The IPC surface. Each command parses its arguments, calls one `api`
//! function on a blocking worker (never on the UI thread) and maps the
//! error; dialogs are asked for first (async commands: a sync one would
//! deadlock GTK). Every name here is declared in build.rs and granted in
//! capabilities/main-window.json.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;

use super::{menu, state::AppState};
use crate::accounts::{AccountView, Change, Overview};
use crate::analysis::{Dashboard, Filter, Measure};
use crate::api::backups::{open_abandoned, BackupInfo, Recovery, EXTENSION};
use crate::api::exports::{ExportKind, Selection};
use crate::api::notebook::SearchHit;
use crate::export::TableFormat;
use crate::api::Api;
use crate::charts::{ChartImage, ChartRequest, ImageFormat};
use crate::import::plan::ImportPreview;
use crate::import::remembered::RememberedMapping;
use crate::import::{ImportOptions, ImportProgress, OpenedFile, EXTENSIONS};
use crate::insight::{CostView, Health, Risk, Segments, Whitespace, Windows};
use crate::model::{CustomerRow, ImportRecord, Lang, StoreInfo, UiPrefs};
use crate::notebook::{self, DueItem, Holiday, NotebookView};
use crate::pack::PackRequest;
use crate::{i18n, Error};

type Res<T> = Result<T, Error>;

/// Every command, registered once here; build.rs declares each command
/// function of this file and the capability grants them (tests/architecture.rs
/// checks that all three agree).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        get_info,
        get_prefs,
        set_language,
        set_currency,
        pick_import_file,
        preview_import,
        cancel_import,
        commit_import,
        discard_import,
        undo_import,
        list_imports,
        forget_import_mapping,
        list_customers,
        save_import_problems,
        get_dashboard,
        render_chart,
        export_chart,
        copy_chart,
        export_ranking,
        list_accounts,
        change_account,
        this_week,
        get_notebook,
        change_notebook,
        get_segments,
        render_segment_chart,
        export_segment_chart,
        get_risk,
        export_table,
        get_health,
        get_whitespace,
        get_cost_to_serve,
        set_hourly_rate,
        render_cost_whale,
        export_cost_whale,
        export_pack,
        render_relationship_map,
        export_relationship_map,
        get_satisfaction_average,
        search,
        list_holidays,
        set_holidays,
        backup_now,
        start_empty,
        list_backups,
        pick_backup_file,
        restore_backup,
        get_recovery,
        open_other_folder,
        take_opened_file
    ]
}

/// Runs `f` on a blocking worker thread.
async fn work<T: Send + 'static>(state: &State<'_, AppState>, f: impl FnOnce(&Api) -> Res<T> + Send + 'static) -> Res<T> {
    let api = state.api.clone();
    tauri::async_runtime::spawn_blocking(move || f(&api)).await.map_err(|e| Error::Storage(format!("worker failed: {e}")))?
}

#[tauri::command]
pub async fn get_info(state: State<'_, AppState>) -> Res<StoreInfo> {
    work(&state, |api| api.info()).await
}

#[tauri::command]
pub async fn get_prefs(state: State<'_, AppState>) -> Res<UiPrefs> {
    work(&state, |api| api.prefs()).await
}

#[tauri::command]
pub async fn set_language(app: AppHandle, state: State<'_, AppState>, lang: Lang) -> Res<UiPrefs> {
    let prefs = work(&state, move |api| api.set_language(lang)).await?;
    // The choice is saved; a menu that keeps its old labels is not worth failing for.
    if let Err(e) = menu::relabel(&app, lang) {
        eprintln!("vitalfew: menu not relabelled: {e}");
    }
    Ok(prefs)
}

#[tauri::command]
pub async fn set_currency(state: State<'_, AppState>, currency: String) -> Res<UiPrefs> {
    work(&state, move |api| api.set_currency(&currency)).await
}

#[tauri::command]
pub async fn get_dashboard(state: State<'_, AppState>, measure: Option<Measure>, filter: Filter) -> Res<Dashboard> {
    work(&state, move |api| api.dashboard(measure, &filter)).await
}

/// A chart drawn for the screen (SVG) with its hover regions.
#[tauri::command]
pub async fn render_chart(state: State<'_, AppState>, request: ChartRequest) -> Res<ChartImage> {
    let out = work(&state, move |api| api.chart(&request, ImageFormat::Svg)).await?;
    Ok(ChartImage { svg: String::from_utf8_lossy(&out.bytes).into_owned(), regions: out.regions })
}

/// Saves a chart where the user chooses; `.svg` gives SVG, anything else PNG.
#[tauri::command]
pub async fn export_chart(app: AppHandle, state: State<'_, AppState>, request: ChartRequest) -> Res<Option<String>> {
    let name = format!("{}.png", serde_json::to_value(request.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default());
    let Some(path) = save_path(&app, &state, "dashboard.export_chart", &name, &[("PNG", &["png"]), ("SVG", &["svg"])]) else {
        return Ok(None);
    };
    let format = ImageFormat::from_path(&path).unwrap_or(ImageFormat::Png);
    let out = work(&state, move |api| api.chart(&request, format)).await?;
    write_file(&path, &out.bytes)
}

/// Puts the chart on the clipboard as an image, to paste into WPS,
/// PowerPoint or WeChat. Off the main thread: the clipboard may wait for it.
#[tauri::command]
pub async fn copy_chart(app: AppHandle, state: State<'_, AppState>, request: ChartRequest) -> Res<()> {
    let bitmap = work(&state, move |api| api.chart_bitmap(&request)).await?;
    app.clipboard()
        .write_image(&tauri::image::Image::new_owned(bitmap.rgba, bitmap.width, bitmap.height))
        .map_err(|e| Error::Output(format!("the chart could not be put on the clipboard: {e}")))
}

/// Saves the ranked customer table as CSV or XLSX (by the chosen extension).
#[tauri::command]
pub async fn export_ranking(app: AppHandle, state: State<'_, AppState>, measure: Measure, filter: Filter, lang: Lang) -> Res<Option<String>> {
    let Some(path) = save_path(&app, &state, "dashboard.export_table", "ranking.xlsx", &[("Excel", &["xlsx"]), ("CSV", &["csv"])]) else {
        return Ok(None);
    };
    let target = path.clone();
    let bytes = work(&state, move |api| api.ranking_file(&target, measure, &filter, lang)).await?;
    write_file(&path, &bytes)
}

fn write_file(path: &Path, bytes: &[u8]) -> Res<Option<String>> {
    std::fs::write(path, bytes).map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Where to save: the native save dialog (or, in test builds, the queued answer).
fn save_path(app: &AppHandle, state: &AppState, title_key: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    save_path_titled(app, state, &i18n::text(state.api.language(), title_key), name, filters)
}

fn save_path_titled(app: &AppHandle, state: &AppState, title: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    if let Some(answer) = state.test_dialog_answer() {
        return answer.map(PathBuf::from);
    }
    let mut dialog = app.dialog().file().set_title(title).set_file_name(name);
    for (label, ext) in filters {
        dialog = dialog.add_filter(*label, ext);
    }
    dialog.blocking_save_file().and_then(|p| p.into_path().ok())
}

/// The file the user picks in the native open dialog (`None`: cancelled).
fn open_path(app: &AppHandle, state: &AppState, title_key: &str, filter: (&str, &[&str])) -> Option<String> {
    if let Some(answer) = state.test_dialog_answer() {
        return answer;
    }
    let lang = state.api.language();
    let picked = app.dialog().file().set_title(i18n::text(lang, title_key)).add_filter(i18n::text(lang, filter.0), filter.1).blocking_pick_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

#[tauri::command]
pub async fn pick_import_file(app: AppHandle, state: State<'_, AppState>) -> Res<Option<String>> {
    Ok(open_path(&app, &state, "import.choose", ("import.filter", &EXTENSIONS)))
}

/// The file the app was asked to open from outside (command line, desktop,
/// a second launch), once, checked: the UI previews it or says why not.
/// Async: the check asks the file system, never on the UI thread.
#[tauri::command]
pub async fn take_opened_file(state: State<'_, AppState>) -> Res<Option<OpenedFile>> {
    Ok(state.take_opened().map(|p| OpenedFile::check(&p)))
}

/// Reads the file and plans its import (with progress events); the plan
/// waits in the API for `commit_import`.
#[tauri::command]
pub async fn preview_import(app: AppHandle, state: State<'_, AppState>, path: String, options: ImportOptions) -> Res<ImportPreview> {
    work(&state, move |api| {
        let started = std::time::Instant::now();
        let progress = |rows: u64, fraction: f64| {
            let per_second = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
            let _ = app.emit("import-progress", ImportProgress { rows, fraction, per_second });
        };
        api.preview_import(Path::new(&path), &options, &progress)
    })
    .await
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.api.cancel_import();
}

/// Commits the previewed import (`None`: it changed nothing).
#[tauri::command]
pub async fn commit_import(state: State<'_, AppState>) -> Res<Option<ImportRecord>> {
    work(&state, |api| api.commit_pending()).await
}

#[tauri::command]
pub fn discard_import(state: State<'_, AppState>) {
    state.api.discard_pending();
}

#[tauri::command]
pub async fn undo_import(state: State<'_, AppState>) -> Res<ImportRecord> {
    work(&state, |api| api.undo_import()).await
}

#[tauri::command]
pub async fn list_imports(state: State<'_, AppState>) -> Res<Vec<ImportRecord>> {
    work(&state, |api| api.imports()).await
}

/// Forgets a remembered mapping: files with its headers are read as detected.
#[tauri::command]
pub async fn forget_import_mapping(state: State<'_, AppState>, id: u32) -> Res<RememberedMapping> {
    work(&state, move |api| api.forget_mapping(id)).await
}

#[tauri::command]
pub async fn list_customers(state: State<'_, AppState>) -> Res<Vec<CustomerRow>> {
    work(&state, |api| api.customers()).await
}

/// Saves the previewed import's problem rows as CSV where the user chooses.
#[tauri::command]
pub async fn save_import_problems(app: AppHandle, state: State<'_, AppState>) -> Res<Option<String>> {
    let csv = state.api.pending_problems_csv()?;
    let Some(path) = save_path(&app, &state, "import.save_problems", "import-problems.csv", &[("CSV", &["csv"])]) else {
        return Ok(None);
    };
    write_file(&path, csv.as_bytes())
}

/// The Key accounts page: accounts and candidates.
#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Res<Overview> {
    work(&state, |api| api.overview()).await
}

/// One change to one account; returns the account as it is now.
#[tauri::command]
pub async fn change_account(state: State<'_, AppState>, id: u32, change: Change) -> Res<AccountView> {
    work(&state, move |api| api.change_account(id, change)).await
}

/// The Dashboard's This week: actions, touches, birthdays, holidays.
#[tauri::command]
pub async fn this_week(state: State<'_, AppState>) -> Res<Vec<DueItem>> {
    work(&state, |api| api.this_week()).await
}

/// A key account's notebook.
#[tauri::command]
pub async fn get_notebook(state: State<'_, AppState>, id: u32) -> Res<NotebookView> {
    work(&state, move |api| api.notebook(id)).await
}

/// One change to a notebook; returns the notebook as it is now.
#[tauri::command]
pub async fn change_notebook(state: State<'_, AppState>, id: u32, change: notebook::Change) -> Res<NotebookView> {
    work(&state, move |api| api.change_notebook(id, change)).await
}

/// An account's relationship map for the screen (SVG).
#[tauri::command]
pub async fn render_relationship_map(state: State<'_, AppState>, id: u32, width: u32, height: u32) -> Res<ChartImage> {
    let out = work(&state, move |api| api.relationship_map(id, ImageFormat::Svg, (width, height), 1)).await?;
    Ok(ChartImage { svg: String::from_utf8_lossy(&out.bytes).into_owned(), regions: out.regions })
}

/// Saves an account's relationship map where the owner chooses: PNG at
/// 1920×1080 for a projector, or SVG.
#[tauri::command]
pub async fn export_relationship_map(app: AppHandle, state: State<'_, AppState>, id: u32) -> Res<Option<String>> {
    let Some(path) = save_path(&app, &state, "relmap.export", "relationship-map.png", &[("PNG", &["png"]), ("SVG", &["svg"])]) else {
        return Ok(None);
    };
    let format = ImageFormat::from_path(&path).unwrap_or(ImageFormat::Png);
    let out = work(&state, move |api| api.relationship_map(id, format, (1920, 1080), 1)).await?;
    write_file(&path, &out.bytes)
}

/// Every customer's segments, for the Customers table.
#[tauri::command]
pub async fn get_segments(state: State<'_, AppState>, as_of: Option<chrono::NaiveDate>, windows: Windows) -> Res<Segments> {
    work(&state, move |api| api.segments(as_of, windows)).await
}

/// The segment summary chart for the screen (SVG).
#[tauri::command]
pub async fn render_segment_chart(state: State<'_, AppState>, as_of: Option<chrono::NaiveDate>, windows: Windows, width: u32, height: u32) -> Res<ChartImage> {
    let out = work(&state, move |api| api.segment_chart(as_of, windows, ImageFormat::Svg, (width, height), 1)).await?;
    Ok(ChartImage { svg: String::from_utf8_lossy(&out.bytes).into_owned(), regions: out.regions })
}

/// Saves the segment summary chart: PNG at 1920×1080, or SVG.
#[tauri::command]
pub async fn export_segment_chart(app: AppHandle, state: State<'_, AppState>, as_of: Option<chrono::NaiveDate>, windows: Windows) -> Res<Option<String>> {
    let Some(path) = save_path(&app, &state, "dashboard.export_chart", "segments.png", &[("PNG", &["png"]), ("SVG", &["svg"])]) else {
        return Ok(None);
    };
    let format = ImageFormat::from_path(&path).unwrap_or(ImageFormat::Png);
    let out = work(&state, move |api| api.segment_chart(as_of, windows, format, (1920, 1080), 1)).await?;
    write_file(&path, &out.bytes)
}

/// The Dashboard's risk panel.
#[tauri::command]
pub async fn get_risk(state: State<'_, AppState>) -> Res<Risk> {
    work(&state, |api| api.risk()).await
}

/// Saves customers, key accounts or contacts as XLSX or CSV (by the chosen
/// extension), in the UI's language: the rows and columns the table shows
/// (`selection`), under the dialog title the UI gives (it says how many).
#[tauri::command]
pub async fn export_table(app: AppHandle, state: State<'_, AppState>, kind: ExportKind, selection: Selection, title: Option<String>) -> Res<Option<String>> {
    let name = format!("{}.xlsx", serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default());
    let title = title.unwrap_or_else(|| i18n::text(state.api.language(), "export.title"));
    let Some(path) = save_path_titled(&app, &state, &title, &name, &[("Excel", &["xlsx"]), ("CSV", &["csv"])]) else {
        return Ok(None);
    };
    let format = TableFormat::from_path(&path).unwrap_or(TableFormat::Xlsx);
    let bytes = work(&state, move |api| api.export_table(kind, &selection, api.language())?.write(format)).await?;
    write_file(&path, &bytes)
}

/// The health of one key account.
#[tauri::command]
pub async fn get_health(state: State<'_, AppState>, id: u32) -> Res<Option<Health>> {
    work(&state, move |api| Ok(api.health(Some(id))?.into_iter().next())).await
}

/// The whitespace of one key account (`id`) or of all, with the grid.
#[tauri::command]
pub async fn get_whitespace(state: State<'_, AppState>, id: Option<u32>) -> Res<Whitespace> {
    work(&state, move |api| api.whitespace(id)).await
}

/// Every key account's cost to serve at the owner's rate.
#[tauri::command]
pub async fn get_cost_to_serve(state: State<'_, AppState>) -> Res<CostView> {
    work(&state, |api| Ok(CostView { rate: api.hourly_rate()?, accounts: api.cost_to_serve(None)? })).await
}

/// The whale curve of profit after cost to serve, for the screen (SVG).
#[tauri::command]
pub async fn render_cost_whale(state: State<'_, AppState>, width: u32, height: u32) -> Res<ChartImage> {
    let out = work(&state, move |api| api.cost_whale(ImageFormat::Svg, (width, height))).await?;
    Ok(ChartImage { svg: String::from_utf8_lossy(&out.bytes).into_owned(), regions: out.regions })
}

/// Saves the whale curve of profit after cost to serve (PNG 1920×1080 or SVG).
#[tauri::command]
pub async fn export_cost_whale(app: AppHandle, state: State<'_, AppState>) -> Res<Option<String>> {
    let Some(path) = save_path(&app, &state, "dashboard.export_chart", "whale-after-cost.png", &[("PNG", &["png"]), ("SVG", &["svg"])]) else {
        return Ok(None);
    };
    let format = ImageFormat::from_path(&path).unwrap_or(ImageFormat::Png);
    let out = work(&state, move |api| api.cost_whale(format, (1920, 1080))).await?;
    write_file(&path, &out.bytes)
}

/// File ▸ Export meeting pack…: the PDF where the owner chooses, with
/// `pack-progress` events while it is built.
#[tauri::command]
pub async fn export_pack(app: AppHandle, state: State<'_, AppState>, request: PackRequest) -> Res<Option<String>> {
    let name = format!("meeting-pack-{}.pdf", chrono::Local::now().format("%Y-%m-%d"));
    let Some(mut path) = save_path(&app, &state, "pack.save_title", &name, &[("PDF", &["pdf"])]) else {
        return Ok(None);
    };
    if path.extension().is_none() {
        path.set_extension("pdf");
    }
    let events = app.clone();
    let bytes = work(&state, move |api| api.meeting_pack(&request, &|p| {
        let _ = events.emit("pack-progress", p);
    }))
    .await?;
    write_file(&path, &bytes)
}

/// Sets the value of an hour of the owner's time.
#[tauri::command]
pub async fn set_hourly_rate(state: State<'_, AppState>, rate: f64) -> Res<f64> {
    work(&state, move |api| api.set_hourly_rate(rate)).await
}

/// The latest overall satisfaction score averaged over the key accounts
/// surveyed (every notebook is read: asked for by the Satisfaction tab only).
#[tauri::command]
pub async fn get_satisfaction_average(state: State<'_, AppState>) -> Res<Option<f64>> {
    work(&state, |api| api.satisfaction_average()).await
}

/// The search box (Ctrl+K).
#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String) -> Res<Vec<SearchHit>> {
    work(&state, move |api| api.search(&query)).await
}

/// The holidays to call before.
#[tauri::command]
pub async fn list_holidays(state: State<'_, AppState>) -> Res<Vec<Holiday>> {
    work(&state, |api| api.holidays()).await
}

/// Replaces the list of holidays.
#[tauri::command]
pub async fn set_holidays(state: State<'_, AppState>, holidays: Vec<Holiday>) -> Res<Vec<Holiday>> {
    work(&state, move |api| api.set_holidays(holidays)).await
}

/// Writes a backup where the owner chooses (`None`: cancelled).
#[tauri::command]
pub async fn backup_now(app: AppHandle, state: State<'_, AppState>) -> Res<Option<BackupInfo>> {
    let name = format!("vitalfew-{}.{EXTENSION}", chrono::Local::now().format("%Y-%m-%d"));
    let Some(path) = save_path(&app, &state, "backup.save_title", &name, &[("Vital Few backup", &[EXTENSION])]) else {
        return Ok(None);
    };
    work(&state, move |api| api.backup_to(&path)).await.map(Some)
}

/// The automatic, daily and manual backups in the backups folder.
#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Res<Vec<BackupInfo>> {
    work(&state, |api| Ok(api.backups())).await
}

/// A backup file the owner picks (`None`: cancelled).
#[tauri::command]
pub async fn pick_backup_file(app: AppHandle, state: State<'_, AppState>) -> Res<Option<String>> {
    Ok(open_path(&app, &state, "backup.choose_title", ("backup.filter", &[EXTENSION])))
}

/// Replaces the store with a backup, with progress events. When an open of
/// the damaged store is still stuck in the background, the app starts
/// afresh on the restored store.
#[tauri::command]
pub async fn restore_backup(app: AppHandle, state: State<'_, AppState>, path: String) -> Res<BackupInfo> {
    let events = app.clone();
    let restored = work(&state, move |api| api.restore(Path::new(&path), &|fraction| {
        let _ = events.emit("restore-progress", fraction);
    }))
    .await?;
    if open_abandoned() {
        state.api.close();
        app.restart();
    }
    Ok(restored)
}

/// *Start with no data* on the recovery screen: an empty store replaces
/// the refused one, which is kept aside.
#[tauri::command]
pub async fn start_empty(state: State<'_, AppState>) -> Res<bool> {
    work(&state, |api| api.start_empty()).await
}

/// What the recovery screen shows (`None`: the store is fine).
#[tauri::command]
pub async fn get_recovery(state: State<'_, AppState>) -> Res<Option<Recovery>> {
    work(&state, |api| Ok(api.recovery())).await
}

/// Opens the store in another folder the owner picks (`None`: cancelled).
#[tauri::command]
pub async fn open_other_folder(app: AppHandle, state: State<'_, AppState>) -> Res<Option<String>> {
    let picked = match state.test_dialog_answer() {
        Some(answer) => answer.map(PathBuf::from),
        None => app
            .dialog()
            .file()
            .set_title(i18n::text(state.api.language(), "recovery.other_folder"))
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(dir) = picked else { return Ok(None) };
    let shown = dir.display().to_string();
    work(&state, move |api| api.switch_folder(&dir)).await?;
    Ok(Some(shown))
}
