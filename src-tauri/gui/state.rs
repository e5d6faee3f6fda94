//! What the running window keeps: the API (store, caches, pending import),
//! what it remembers of the main window, the file it was asked to open and
//! has not taken yet, and — in debug builds only — the test hook that
//! answers file dialogs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use super::geometry::GeometrySaver;
use crate::api::Api;
use crate::model::WindowGeometry;

pub struct AppState {
    pub api: Arc<Api>,
    window: Mutex<WindowMemory>,
    /// A file handed to the app from outside (see `gui::open`), until the
    /// window takes it.
    opened: Mutex<Option<PathBuf>>,
    /// Debug builds only: a file whose first line answers the next file
    /// dialog (`VITALFEW_TEST_DIALOG`), so end-to-end tests drive the same
    /// code path a user's dialog does. Compiled out of release builds.
    #[cfg(debug_assertions)]
    test_dialog: Option<std::path::PathBuf>,
}

/// The main window's last geometry and the saver that persists it.
#[derive(Default)]
pub struct WindowMemory {
    pub last: Option<WindowGeometry>,
    pub saver: Option<GeometrySaver>,
}

impl AppState {
    pub fn new(api: Api) -> AppState {
        AppState {
            api: Arc::new(api),
            window: Mutex::default(),
            opened: Mutex::default(),
            #[cfg(debug_assertions)]
            test_dialog: std::env::var_os("VITALFEW_TEST_DIALOG").map(Into::into),
        }
    }

    /// Test builds with `VITALFEW_TEST_DIALOG` set: the next queued dialog
    /// answer, `Some(None)` when the queue is empty (as if cancelled).
    /// `None` otherwise: show the real dialog.
    #[cfg(debug_assertions)]
    pub fn test_dialog_answer(&self) -> Option<Option<String>> {
        let path = self.test_dialog.as_ref()?;
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut lines = text.lines();
        let first = lines.next().map(str::to_string).filter(|l| !l.is_empty());
        let rest: Vec<&str> = lines.collect();
        let _ = std::fs::write(path, rest.join("\n"));
        Some(first)
    }

    #[cfg(not(debug_assertions))]
    pub fn test_dialog_answer(&self) -> Option<Option<String>> {
        None
    }

    /// Queues a file for the window; a newer one replaces one not yet taken.
    pub fn set_opened(&self, path: PathBuf) {
        *self.opened.lock().unwrap_or_else(|e| e.into_inner()) = Some(path);
    }

    /// The queued file, once.
    pub fn take_opened(&self) -> Option<PathBuf> {
        self.opened.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    pub fn window(&self) -> MutexGuard<'_, WindowMemory> {
        self.window.lock().unwrap_or_else(|e| e.into_inner())
    }
}
