//! What the running app keeps: the store (opened lazily, so a store that is
//! briefly locked by a CLI command can be retried from the UI) and what it
//! remembers of the main window.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::accounts::Metrics;
use crate::analysis::{key_accounts, Dataset};
use crate::import::Plan;

use super::geometry::GeometrySaver;
use crate::model::WindowGeometry;
use crate::store::Store;
use crate::Result;

pub struct AppState {
    data_dir: PathBuf,
    store: Mutex<Option<Arc<Store>>>,
    pub window: Mutex<WindowMemory>,
    /// The data the Dashboard analyses, read once per change of the store.
    data: Mutex<Option<Arc<Dataset>>>,
    /// What the sales data says per customer, for the dataset whose lines it
    /// was computed from.
    metrics: Mutex<Option<(Arc<Dataset>, Arc<Metrics>)>>,
    /// The previewed import waiting for the user's decision.
    pending: Mutex<Option<Plan>>,
    /// Set to stop the import being previewed.
    cancel: Mutex<Arc<AtomicBool>>,
    /// Test-only: a file whose first line answers the next file dialog
    /// (`VITALFEW_TEST_DIALOG`), so end-to-end tests can drive the same code
    /// path a user's dialog does.
    test_dialog: Option<PathBuf>,
}

/// The main window's last geometry and the saver that persists it.
#[derive(Default)]
pub struct WindowMemory {
    pub last: Option<WindowGeometry>,
    pub saver: Option<GeometrySaver>,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> AppState {
        AppState {
            data_dir,
            store: Mutex::new(None),
            window: Mutex::default(),
            pending: Mutex::new(None),
            data: Mutex::new(None),
            metrics: Mutex::new(None),
            cancel: Mutex::default(),
            test_dialog: std::env::var_os("VITALFEW_TEST_DIALOG").map(PathBuf::from),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The open store, opening it on first use (and again after a failure).
    pub fn store(&self) -> Result<Arc<Store>> {
        let mut slot = lock(&self.store);
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = Arc::new(Store::open(&self.data_dir)?);
        *slot = Some(store.clone());
        Ok(store)
    }

    /// The analysed data, loaded from the store on first use after a change.
    pub fn dataset(&self) -> Result<Arc<Dataset>> {
        let store = self.store()?;
        let mut slot = lock(&self.data);
        if let Some(d) = slot.as_ref() {
            return Ok(d.clone());
        }
        let d = Arc::new(Dataset::load(&store)?);
        *slot = Some(d.clone());
        Ok(d)
    }

    /// The per-customer metrics of the current dataset, computed once per
    /// change of the sales data.
    pub fn metrics(&self, data: &Arc<Dataset>) -> Arc<Metrics> {
        let mut slot = lock(&self.metrics);
        match slot.as_ref() {
            Some((d, m)) if Arc::ptr_eq(&d.lines, &data.lines) => m.clone(),
            _ => {
                let m = Arc::new(Metrics::compute(data));
                *slot = Some((data.clone(), m.clone()));
                m
            }
        }
    }

    /// Call after anything that changes customers or sales.
    pub fn data_changed(&self) {
        *lock(&self.data) = None;
    }

    /// Call after a change of key accounts: the analysed data keeps its
    /// lines and takes the new set of key accounts.
    pub fn accounts_changed(&self) -> Result<()> {
        let keys = key_accounts(&self.store()?.accounts()?);
        let mut slot = lock(&self.data);
        if let Some(d) = slot.as_ref() {
            *slot = Some(Arc::new(d.with_keys(keys)));
        }
        Ok(())
    }

    /// A fresh cancel flag for a new import (and the old one is dropped).
    pub fn begin_import(&self) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        *lock(&self.cancel) = flag.clone();
        flag
    }

    pub fn cancel_import(&self) {
        lock(&self.cancel).store(true, Ordering::Relaxed);
    }

    pub fn set_pending(&self, plan: Option<Plan>) {
        *lock(&self.pending) = plan;
    }

    pub fn take_pending(&self) -> Option<Plan> {
        lock(&self.pending).take()
    }

    pub fn with_pending<T>(&self, f: impl FnOnce(&Plan) -> T) -> Option<T> {
        lock(&self.pending).as_ref().map(f)
    }

    /// Test mode only (`VITALFEW_TEST_DIALOG` set): the next queued dialog
    /// answer, `Some(None)` when the queue is empty (as if cancelled).
    /// `None` outside test mode: show the real dialog.
    pub fn test_dialog_answer(&self) -> Option<Option<String>> {
        let path = self.test_dialog.as_ref()?;
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut lines = text.lines();
        let first = lines.next().map(str::to_string).filter(|l| !l.is_empty());
        let rest: Vec<&str> = lines.collect();
        let _ = std::fs::write(path, rest.join("\n"));
        Some(first)
    }

    pub fn window(&self) -> std::sync::MutexGuard<'_, WindowMemory> {
        lock(&self.window)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
