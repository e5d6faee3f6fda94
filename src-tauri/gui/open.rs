//! Files handed to the app from outside: named on the command line at the
//! first start (`vitalfew ledger.xlsx`, what the desktop's "Open with Vital
//! Few" runs), forwarded by a second launch to the running window, or sent
//! by macOS as an "opened" event. Each waits in [`AppState`] until the window
//! takes it (`take_opened_file`, which checks it), and the window is told
//! with an [`EVENT`]: one that arrives before the UI listens is not lost,
//! since the UI also asks once it is ready.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager, Runtime};

use super::state::AppState;

/// The event that tells the window a file waits for it (no payload).
pub const EVENT: &str = "open-file";

/// Queues `path` for the window and tells it.
pub fn hand_over<R: Runtime>(app: &AppHandle<R>, path: PathBuf) {
    app.state::<AppState>().set_opened(path);
    if let Err(e) = app.emit(EVENT, ()) {
        eprintln!("vitalfew: the window was not told of an opened file: {e}");
    }
}

/// Reads the file a second launch's command line names, if it names one
/// (`launch::file_to_open`, given by `main.rs`, which knows the commands).
pub type FileToOpen = fn(&[String], &Path) -> Option<PathBuf>;

/// A second launch's command line (forwarded by the single-instance
/// plugin): its file, if it names one, is handed to this window.
pub fn from_second_launch<R: Runtime>(app: &AppHandle<R>, argv: &[String], cwd: &str, file_to_open: FileToOpen) {
    if let Some(path) = file_to_open(argv, Path::new(cwd)) {
        hand_over(app, path);
    }
}

/// macOS "open" events (a file dropped on the Dock icon, Finder's "Open
/// With"): the first local file among `urls`.
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub fn from_urls<R: Runtime>(app: &AppHandle<R>, urls: &[tauri::Url]) {
    if let Some(path) = urls.iter().find_map(|u| u.to_file_path().ok()) {
        hand_over(app, path);
    }
}
