//! What the running app keeps: the store (opened lazily, so a store that is
//! briefly locked by a CLI command can be retried from the UI) and what it
//! remembers of the main window.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::geometry::GeometrySaver;
use crate::model::WindowGeometry;
use crate::store::Store;
use crate::Result;

pub struct AppState {
    data_dir: PathBuf,
    store: Mutex<Option<Arc<Store>>>,
    pub window: Mutex<WindowMemory>,
}

/// The main window's last geometry and the saver that persists it.
#[derive(Default)]
pub struct WindowMemory {
    pub last: Option<WindowGeometry>,
    pub saver: Option<GeometrySaver>,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> AppState {
        AppState { data_dir, store: Mutex::new(None), window: Mutex::default() }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The open store, opening it on first use (and again after a failure).
    pub fn store(&self) -> Result<Arc<Store>> {
        let mut slot = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = Arc::new(Store::open(&self.data_dir)?);
        *slot = Some(store.clone());
        Ok(store)
    }

    pub fn window(&self) -> std::sync::MutexGuard<'_, WindowMemory> {
        self.window.lock().unwrap_or_else(|e| e.into_inner())
    }
}
