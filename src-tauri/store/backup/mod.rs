//! Backups: one file per backup holding every tree of the store. What a
//! backup is ([`BackupInfo`], why it was made) is here; the file itself
//! (write, read, verify) is [`format`], putting one back is [`restore`],
//! and the folder the automatic ones are kept in (where, how many, which is
//! the newest good one) is [`kept`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Msg;

mod format;
mod kept;
mod restore;

pub use format::{read_info, verify, write};
pub use kept::{checked, folder, list, newest_good, write_auto, write_in_folder};
pub use restore::restore;

pub const EXTENSION: &str = "vfbackup";

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Before an import, an undo, a restore or a migration.
    Auto,
    /// At the first start of a day.
    Daily,
    /// Asked for by the owner.
    Manual,
    /// A backup file whose header cannot be read: why it was made is lost.
    Unknown,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Auto => "auto",
            Kind::Daily => "daily",
            Kind::Manual => "manual",
            Kind::Unknown => "unknown",
        }
    }
}

/// Why a backup was made; the list shows it in the owner's language, the
/// command line as [`Cause::sentence`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Cause {
    Import { file: String },
    Undo { file: String },
    Restore { file: String },
    Migration { to: u32 },
    Daily,
    Manual,
    /// The header of a damaged backup file cannot be read.
    Unreadable,
}

impl Cause {
    pub fn kind(&self) -> Kind {
        match self {
            Cause::Daily => Kind::Daily,
            Cause::Manual => Kind::Manual,
            Cause::Unreadable => Kind::Unknown,
            _ => Kind::Auto,
        }
    }

    /// In English, for `vitalfew backups`.
    pub fn sentence(&self) -> String {
        match self {
            Cause::Import { file } => format!("before importing {file}"),
            Cause::Undo { file } => format!("before undoing the import of {file}"),
            Cause::Restore { file } => format!("before restoring {file}"),
            Cause::Migration { to } => format!("before upgrading the data to schema version {to}"),
            Cause::Daily => "first start of the day".into(),
            Cause::Manual => "made by you".into(),
            Cause::Unreadable => "damaged: why it was made cannot be read".into(),
        }
    }
}

/// What the store held, for the list of backups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub customers: u64,
    pub sales_lines: u64,
    /// Active key accounts.
    pub accounts: u64,
    /// Key accounts with a notebook, and what their notebooks hold (every
    /// item the owner typed: contacts, touches, notes, surveys…). Backups
    /// made before these were counted say 0.
    #[serde(default)]
    pub notebooks: u64,
    #[serde(default)]
    pub notebook_entries: u64,
}

/// One backup, as `vitalfew backups --json` and the Restore dialog list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupInfo {
    pub file: String,
    /// RFC 3339, local time.
    pub created_at: String,
    pub kind: Kind,
    pub reason: String,
    pub cause: Cause,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub sales_lines: u64,
    #[ts(type = "number")]
    pub accounts: u64,
    #[ts(type = "number")]
    pub notebooks: u64,
    #[ts(type = "number")]
    pub notebook_entries: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    pub schema_version: u32,
    /// Whether it can be restored: its whole file verifies (in lists that
    /// checked it; a backup just written or restored is).
    pub ok: bool,
    /// Why it cannot be restored, one sentence (in English).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<String>,
    /// The same, as the window says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem_message: Option<Msg>,
}


// ---- reading ----

// ---- the backups folder ----

#[cfg(test)]
mod tests;
