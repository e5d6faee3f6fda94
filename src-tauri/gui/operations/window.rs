//! The operations that need the window: a native file dialog first (async,
//! since a dialog in a sync command deadlocks GTK), progress events, the
//! clipboard or the menu. Each does its work through `work_in`, on a
//! blocking worker.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;

use super::work_in;
use crate::api::backups::{open_abandoned, BackupInfo, EXTENSION};
use crate::api::exports::{ExportKind, Selection};
use crate::analysis::{Filter, Measure};
use crate::api::Api;
use crate::charts::{ChartRequest, ImageFormat, Rendered};
use crate::export::TableFormat;
use crate::gui::{menu, state::AppState};
use crate::import::plan::ImportPreview;
use crate::import::{ImportOptions, ImportProgress, OpenedFile, EXTENSIONS};
use crate::insight::Windows;
use crate::model::{Lang, UiPrefs};
use crate::pack::PackRequest;
use crate::{i18n, Error};

type Res<T> = Result<T, Error>;

/// Where to save: the native save dialog (or, in test builds, the queued answer).
fn save_path(app: &AppHandle, title_key: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    let title = i18n::text(app.state::<AppState>().api.language(), title_key);
    save_path_titled(app, &title, name, filters)
}

fn save_path_titled(app: &AppHandle, title: &str, name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    if let Some(answer) = app.state::<AppState>().test_dialog_answer() {
        return answer.map(PathBuf::from);
    }
    let mut dialog = app.dialog().file().set_title(title).set_file_name(name);
    for (label, ext) in filters {
        dialog = dialog.add_filter(*label, ext);
    }
    dialog.blocking_save_file().and_then(|p| p.into_path().ok())
}

/// The file the owner picks in the native open dialog (`None`: cancelled).
fn open_path(app: &AppHandle, title_key: &str, filter: (&str, &[&str])) -> Option<String> {
    let state = app.state::<AppState>();
    if let Some(answer) = state.test_dialog_answer() {
        return answer;
    }
    let lang = state.api.language();
    let picked = app.dialog().file().set_title(i18n::text(lang, title_key)).add_filter(i18n::text(lang, filter.0), filter.1).blocking_pick_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

/// Writes `bytes` to `path`; the path saved, for the UI to show.
fn write_file(path: &Path, bytes: &[u8]) -> Res<Option<String>> {
    std::fs::write(path, bytes).map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Saves an image the owner names: `.svg` gives SVG, anything else PNG.
async fn save_image(app: &AppHandle, title_key: &str, name: &str, draw: impl FnOnce(&Api, ImageFormat) -> Res<Rendered> + Send + 'static) -> Res<Option<String>> {
    let Some(path) = save_path(app, title_key, name, &[("PNG", &["png"]), ("SVG", &["svg"])]) else {
        return Ok(None);
    };
    let format = ImageFormat::from_path(&path).unwrap_or(ImageFormat::Png);
    let out = work_in(app, move |api| draw(api, format)).await?;
    write_file(&path, &out.bytes)
}

pub async fn set_language(app: AppHandle, lang: Lang) -> Res<UiPrefs> {
    let prefs = work_in(&app, move |api| api.set_language(lang)).await?;
    // The choice is saved; a menu that keeps its old labels is not worth failing for.
    if let Err(e) = menu::relabel(&app, lang) {
        eprintln!("vitalfew: menu not relabelled: {e}");
    }
    Ok(prefs)
}

pub async fn pick_import_file(app: AppHandle) -> Res<Option<String>> {
    Ok(open_path(&app, "import.choose", ("import.filter", &EXTENSIONS)))
}

/// Checked, so the UI previews it or says why not (async: the check asks
/// the file system, never on the UI thread).
pub async fn take_opened_file(app: AppHandle) -> Res<Option<OpenedFile>> {
    Ok(app.state::<AppState>().take_opened().map(|p| OpenedFile::check(&p)))
}

pub async fn preview_import(app: AppHandle, path: String, options: ImportOptions) -> Res<ImportPreview> {
    let events = app.clone();
    work_in(&app, move |api| {
        let started = std::time::Instant::now();
        let progress = |rows: u64, fraction: f64| {
            let per_second = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
            let _ = events.emit("import-progress", ImportProgress { rows, fraction, per_second });
        };
        api.preview_import(Path::new(&path), &options, &progress)
    })
    .await
}

pub async fn save_import_problems(app: AppHandle) -> Res<Option<String>> {
    let csv = app.state::<AppState>().api.pending_problems_csv()?;
    let Some(path) = save_path(&app, "import.save_problems", "import-problems.csv", &[("CSV", &["csv"])]) else {
        return Ok(None);
    };
    write_file(&path, csv.as_bytes())
}

pub async fn export_chart(app: AppHandle, request: ChartRequest) -> Res<Option<String>> {
    let name = format!("{}.png", serde_json::to_value(request.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default());
    save_image(&app, "dashboard.export_chart", &name, move |api, format| api.chart(&request, format)).await
}

/// Off the main thread: the clipboard may wait for it.
pub async fn copy_chart(app: AppHandle, request: ChartRequest) -> Res<()> {
    let bitmap = work_in(&app, move |api| api.chart_bitmap(&request)).await?;
    app.clipboard()
        .write_image(&tauri::image::Image::new_owned(bitmap.rgba, bitmap.width, bitmap.height))
        .map_err(|e| Error::Output(format!("the chart could not be put on the clipboard: {e}")))
}

pub async fn export_ranking(app: AppHandle, measure: Measure, filter: Filter, lang: Lang) -> Res<Option<String>> {
    let Some(path) = save_path(&app, "dashboard.export_table", "ranking.xlsx", &[("Excel", &["xlsx"]), ("CSV", &["csv"])]) else {
        return Ok(None);
    };
    let target = path.clone();
    let bytes = work_in(&app, move |api| api.ranking_file(&target, measure, &filter, lang)).await?;
    write_file(&path, &bytes)
}

pub async fn export_relationship_map(app: AppHandle, id: u32) -> Res<Option<String>> {
    save_image(&app, "relmap.export", "relationship-map.png", move |api, format| api.relationship_map(id, format, (1920, 1080), 1)).await
}

pub async fn export_segment_chart(app: AppHandle, as_of: Option<chrono::NaiveDate>, windows: Windows) -> Res<Option<String>> {
    save_image(&app, "dashboard.export_chart", "segments.png", move |api, format| api.segment_chart(as_of, windows, format, (1920, 1080), 1)).await
}

pub async fn export_cost_whale(app: AppHandle) -> Res<Option<String>> {
    save_image(&app, "dashboard.export_chart", "whale-after-cost.png", move |api, format| api.cost_whale(format, (1920, 1080))).await
}

pub async fn export_table(app: AppHandle, kind: ExportKind, selection: Selection, title: Option<String>) -> Res<Option<String>> {
    let name = format!("{}.xlsx", serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default());
    let title = title.unwrap_or_else(|| i18n::text(app.state::<AppState>().api.language(), "export.title"));
    let Some(path) = save_path_titled(&app, &title, &name, &[("Excel", &["xlsx"]), ("CSV", &["csv"])]) else {
        return Ok(None);
    };
    let format = TableFormat::from_path(&path).unwrap_or(TableFormat::Xlsx);
    let bytes = work_in(&app, move |api| api.export_table(kind, &selection, api.language())?.write(format)).await?;
    write_file(&path, &bytes)
}

pub async fn export_pack(app: AppHandle, request: PackRequest) -> Res<Option<String>> {
    let name = format!("meeting-pack-{}.pdf", chrono::Local::now().format("%Y-%m-%d"));
    let Some(mut path) = save_path(&app, "pack.save_title", &name, &[("PDF", &["pdf"])]) else {
        return Ok(None);
    };
    if path.extension().is_none() {
        path.set_extension("pdf");
    }
    let events = app.clone();
    let bytes = work_in(&app, move |api| api.meeting_pack(&request, &|p| {
        let _ = events.emit("pack-progress", p);
    }))
    .await?;
    write_file(&path, &bytes)
}

pub async fn backup_now(app: AppHandle) -> Res<Option<BackupInfo>> {
    let name = format!("vitalfew-{}.{EXTENSION}", chrono::Local::now().format("%Y-%m-%d"));
    let Some(path) = save_path(&app, "backup.save_title", &name, &[("Vital Few backup", &[EXTENSION])]) else {
        return Ok(None);
    };
    work_in(&app, move |api| api.backup_to(&path)).await.map(Some)
}

pub async fn pick_backup_file(app: AppHandle) -> Res<Option<String>> {
    Ok(open_path(&app, "backup.choose_title", ("backup.filter", &[EXTENSION])))
}

/// When an open of the damaged store is still stuck in the background, the
/// app starts afresh on the restored store.
pub async fn restore_backup(app: AppHandle, path: String) -> Res<BackupInfo> {
    let events = app.clone();
    let restored = work_in(&app, move |api| api.restore(Path::new(&path), &|fraction| {
        let _ = events.emit("restore-progress", fraction);
    }))
    .await?;
    if open_abandoned() {
        app.state::<AppState>().api.close();
        app.restart();
    }
    Ok(restored)
}

/// File ▸ Team…: the folder the team syncs.
pub async fn pick_team_folder(app: AppHandle) -> Res<Option<String>> {
    let state = app.state::<AppState>();
    let picked = match state.test_dialog_answer() {
        Some(answer) => answer.map(PathBuf::from),
        None => app.dialog().file().set_title(i18n::text(state.api.language(), "team.pick_folder")).blocking_pick_folder().and_then(|p| p.into_path().ok()),
    };
    Ok(picked.map(|p| p.display().to_string()))
}

pub async fn open_other_folder(app: AppHandle) -> Res<Option<String>> {
    let state = app.state::<AppState>();
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
    work_in(&app, move |api| api.switch_folder(&dir)).await?;
    Ok(Some(shown))
}
