//! The one API both the window (`gui`) and the command line (`cli`) call:
//! one Tauri-free function per operation, grouped by feature. An operation
//! that writes says what it changed ([`Changed`]) and the caches drop
//! exactly what that made stale; a Tauri command or a CLI subcommand only
//! parses its arguments, calls one of these and shows the result.
//!
//! Dependencies point one way: gui/cli → api → domain (import, analysis,
//! accounts, …) → store → sled.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::accounts::Metrics;
use crate::accounts::key_accounts;
use crate::analysis::Dataset;
use crate::store::open::{open_within, OPEN_LIMIT};
use crate::store::Store;
use crate::{Error, Result};

pub mod accounts;
pub mod analysis;
pub mod backups;
pub mod exports;
pub mod imports;
pub mod insight;
pub mod notebook;
pub mod pack;
pub mod settings;
pub mod team;

/// What the app keeps between operations: the store (opened on first use),
/// the analysed data, and an import waiting for the owner's decision.
pub struct Api {
    data_dir: Mutex<PathBuf>,
    store: Mutex<Slot>,
    /// The data the Dashboard analyses, read once per change of the store.
    data: Mutex<Option<Arc<Dataset>>>,
    /// What the sales data says per customer, for the dataset whose lines it
    /// was computed from.
    metrics: Mutex<Option<(Arc<Dataset>, Arc<Metrics>)>>,
    /// The previewed import waiting for the owner's decision.
    pending: Mutex<Option<imports::Planned>>,
    /// Set to stop the import being previewed.
    cancel: Mutex<Arc<AtomicBool>>,
    /// Held through a team sync: the window's timer and *Sync now* never
    /// run two at once.
    syncing: Mutex<()>,
}

enum Slot {
    Closed,
    Open(Arc<Store>),
    /// The store is damaged (or could not be opened in time): every
    /// operation says so until a restore replaces it.
    Damaged(Error),
}

/// What an operation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Key accounts: the analysed data keeps its lines and takes the new
    /// set of key accounts.
    Accounts,
    /// Customers or sales lines: everything analysed is read again.
    Data,
    /// The whole store was replaced (a restore, another folder).
    Store,
}

impl Api {
    /// An API on the store in `data_dir`, opened on first use.
    pub fn new(data_dir: PathBuf) -> Api {
        Api {
            data_dir: Mutex::new(data_dir),
            store: Mutex::new(Slot::Closed),
            data: Mutex::new(None),
            metrics: Mutex::new(None),
            pending: Mutex::new(None),
            cancel: Mutex::default(),
            syncing: Mutex::new(()),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        lock(&self.data_dir).clone()
    }

    /// The open store, opening it on first use (within [`OPEN_LIMIT`]; the
    /// first open of a day also makes the daily backup). A damaged store
    /// stays refused until it is replaced; other failures are tried again
    /// on the next call.
    pub fn store(&self) -> Result<Arc<Store>> {
        let mut slot = lock(&self.store);
        match &*slot {
            Slot::Open(store) => return Ok(store.clone()),
            Slot::Damaged(e) => return Err(e.clone()),
            Slot::Closed => {}
        }
        match open_within(&self.data_dir(), OPEN_LIMIT) {
            Ok(store) => {
                let store = Arc::new(store);
                if let Err(e) = backups::daily(&store) {
                    eprintln!("vitalfew: the daily backup was not made: {e}");
                }
                *slot = Slot::Open(store.clone());
                Ok(store)
            }
            Err(e @ Error::StoreDamaged { .. }) => {
                *slot = Slot::Damaged(e.clone());
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Closes the store, so that its manifest records a clean close: what
    /// a window does when it exits (a command's `Api` closes it when it is
    /// dropped).
    pub fn close(&self) {
        if let Err(e) = self.close_store() {
            eprintln!("vitalfew: the store was not closed: {e}");
        }
    }

    /// Closes the store (waiting for operations that still use it) so its
    /// folder can be replaced.
    fn close_store(&self) -> Result<()> {
        let taken = std::mem::replace(&mut *lock(&self.store), Slot::Closed);
        self.changed(Changed::Store);
        if let Slot::Open(mut store) = taken {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            loop {
                match Arc::try_unwrap(store) {
                    Ok(s) => {
                        s.close();
                        return Ok(());
                    }
                    Err(still_shared) if std::time::Instant::now() < deadline => {
                        store = still_shared;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    Err(still_shared) => {
                        *lock(&self.store) = Slot::Open(still_shared);
                        return Err(Error::Storage("the store is still busy; try again in a moment".into()));
                    }
                }
            }
        }
        Ok(())
    }

    /// Drops what `what` made stale.
    fn changed(&self, what: Changed) {
        match what {
            Changed::Accounts => {
                let keys = self.store().and_then(|s| s.all()).map(|all| key_accounts(&all));
                let mut slot = lock(&self.data);
                match (keys, slot.as_ref()) {
                    (Ok(keys), Some(d)) => *slot = Some(Arc::new(d.with_keys(keys))),
                    // Read everything again next time rather than show stale keys.
                    _ => *slot = None,
                }
            }
            Changed::Data | Changed::Store => {
                *lock(&self.data) = None;
                *lock(&self.pending) = None;
            }
        }
    }

    /// The analysed data, loaded from the store on first use after a change.
    pub fn dataset(&self) -> Result<Arc<Dataset>> {
        let store = self.store()?;
        let mut slot = lock(&self.data);
        if let Some(d) = slot.as_ref() {
            return Ok(d.clone());
        }
        let d = Arc::new(Dataset::load(&store, key_accounts(&store.all()?))?);
        *slot = Some(d.clone());
        Ok(d)
    }

    /// The per-customer metrics of `data`, computed once per change of the
    /// sales data.
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

    /// Switches to the store in another folder (the recovery screen's *Open
    /// another folder*).
    pub fn switch_folder(&self, data_dir: &Path) -> Result<()> {
        self.close_store()?;
        *lock(&self.data_dir) = data_dir.to_path_buf();
        self.store().map(|_| ())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
