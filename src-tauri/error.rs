//! The one error type of the domain. It crosses IPC as `{code, message}`
//! (see [`ApiError`]) and the CLI prints its message on one line.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("the data store at {path} is in use by another Vital Few window or command; close it and try again")]
    StoreLocked { path: PathBuf },

    #[error("the data store at {path} was written by a newer Vital Few (schema version {found}, this version knows up to {supported}); update Vital Few — nothing was changed")]
    SchemaTooNew { path: PathBuf, found: u32, supported: u32 },

    #[error("cannot open the data store at {path}: {reason}")]
    StoreOpen { path: PathBuf, reason: String },

    #[error("the data store at {path} is damaged: {reason}; nothing was changed. {}", restore_hint(.backup))]
    StoreDamaged { path: PathBuf, reason: String, backup: Option<String> },

    #[error("cannot use the backup {file}: {reason}; nothing was changed")]
    Backup { file: String, reason: String },

    #[error("data store error: {0}")]
    Storage(String),

    #[error("damaged record in the data store ({what}): {reason}")]
    Corrupt { what: String, reason: String },

    #[error("no data directory: set --data-dir DIR or VITALFEW_DATA_DIR")]
    NoDataDir,

    #[error("{0}")]
    InvalidArgument(String),

    #[error("the window could not be opened: {0}")]
    Gui(String),

    #[error("cannot write output: {0}")]
    Output(String),

    #[error("{file}: {reason}")]
    Import { file: String, reason: String },

    #[error("cancelled; nothing was changed")]
    Cancelled,

    #[error("{0}")]
    NotFound(String),
}

/// What a damaged store's message says to do.
fn restore_hint(backup: &Option<String>) -> String {
    let start_over = "or start with no data (Start with no data, or `vitalfew --new-store`), the damaged store kept aside";
    match backup {
        Some(file) => format!("The newest good backup is {file}: restore it with File ▸ Restore… or `vitalfew restore {file}`; {start_over}"),
        None => format!("No backup of it was found in its backups folder: restore one from elsewhere, {start_over}"),
    }
}

/// Stable, machine-readable error codes: the UI picks its localized text by
/// code; scripts may match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    StoreLocked,
    SchemaTooNew,
    StoreOpen,
    StoreDamaged,
    Backup,
    Storage,
    Corrupt,
    NoDataDir,
    InvalidArgument,
    Gui,
    Output,
    Import,
    Cancelled,
    NotFound,
}

/// What an error looks like on the other side of IPC.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorCode {
    /// Every code, in declaration order (exported to the UI as `ERROR_CODES`).
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::StoreLocked,
        ErrorCode::SchemaTooNew,
        ErrorCode::StoreOpen,
        ErrorCode::StoreDamaged,
        ErrorCode::Backup,
        ErrorCode::Storage,
        ErrorCode::Corrupt,
        ErrorCode::NoDataDir,
        ErrorCode::InvalidArgument,
        ErrorCode::Gui,
        ErrorCode::Output,
        ErrorCode::Import,
        ErrorCode::Cancelled,
        ErrorCode::NotFound,
    ];
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::StoreLocked { .. } => ErrorCode::StoreLocked,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::StoreOpen { .. } => ErrorCode::StoreOpen,
            Error::StoreDamaged { .. } => ErrorCode::StoreDamaged,
            Error::Backup { .. } => ErrorCode::Backup,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Corrupt { .. } => ErrorCode::Corrupt,
            Error::NoDataDir => ErrorCode::NoDataDir,
            Error::InvalidArgument(_) => ErrorCode::InvalidArgument,
            Error::Gui(_) => ErrorCode::Gui,
            Error::Output(_) => ErrorCode::Output,
            Error::Import { .. } => ErrorCode::Import,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotFound(_) => ErrorCode::NotFound,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError { code: self.code(), message: self.to_string() }
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_api().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let e = Error::SchemaTooNew { path: "/x".into(), found: 9, supported: 1 };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "schema_too_new");
        assert!(v["message"].as_str().unwrap().contains("schema version 9"));
        assert_eq!(v.as_object().unwrap().len(), 2);
    }

    #[test]
    fn all_codes_are_listed_once() {
        // Adding a variant breaks this match until ALL is updated too.
        let position = |c: ErrorCode| match c {
            ErrorCode::StoreLocked => 0,
            ErrorCode::SchemaTooNew => 1,
            ErrorCode::StoreOpen => 2,
            ErrorCode::StoreDamaged => 3,
            ErrorCode::Backup => 4,
            ErrorCode::Storage => 5,
            ErrorCode::Corrupt => 6,
            ErrorCode::NoDataDir => 7,
            ErrorCode::InvalidArgument => 8,
            ErrorCode::Gui => 9,
            ErrorCode::Output => 10,
            ErrorCode::Import => 11,
            ErrorCode::Cancelled => 12,
            ErrorCode::NotFound => 13,
        };
        for (i, c) in ErrorCode::ALL.into_iter().enumerate() {
            assert_eq!(position(c), i);
        }
    }

    #[test]
    fn messages_are_one_line() {
        let all = [
            Error::StoreLocked { path: "/d".into() },
            Error::SchemaTooNew { path: "/d".into(), found: 2, supported: 1 },
            Error::StoreOpen { path: "/d".into(), reason: "denied".into() },
            Error::StoreDamaged { path: "/d".into(), reason: "parts of it are missing".into(), backup: Some("/d/backups/x.vfbackup".into()) },
            Error::StoreDamaged { path: "/d".into(), reason: "parts of it are missing".into(), backup: None },
            Error::Backup { file: "x.vfbackup".into(), reason: "it is damaged".into() },
            Error::Storage("x".into()),
            Error::Corrupt { what: "settings".into(), reason: "bad json".into() },
            Error::NoDataDir,
            Error::InvalidArgument("bad".into()),
            Error::Gui("no display".into()),
            Error::Output("broken pipe".into()),
            Error::Import { file: "a.csv".into(), reason: "the file is empty".into() },
            Error::Cancelled,
            Error::NotFound("no import to undo".into()),
        ];
        for e in all {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}
