//! Vital Few: a desktop app (Tauri 2) and headless CLI for small-business
//! owners who live off a handful of key accounts.
//!
//! Layering (see ARCHITECTURE.md): the domain modules know nothing of
//! Tauri; `gui` is the only module that imports `tauri`, and `store` the
//! only one that touches sled. The two shells, `gui` and `cli`, share only
//! `launch` (how the binary was started) and `api`.

pub mod accounts;
pub mod api;
pub mod analysis;
pub mod charts;
pub mod cli;
pub mod customers;
pub mod datadir;
pub mod error;
pub mod export;
pub mod gui;
pub mod i18n;
pub mod import;
pub mod insight;
pub mod launch;
pub mod model;
pub mod notebook;
pub mod pack;
pub mod store;
pub mod team;

pub use error::{Error, Result};
