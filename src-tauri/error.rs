//! The one error type of the domain. It crosses IPC as `{code, message,
//! detail}` (see [`ApiError`]): `code` is a stable [`ErrorCode`], `message`
//! is English, `detail` is the [`Msg`](crate::i18n::Msg) the window shows in
//! its own language. Never a bare string. The CLI prints the message on one
//! line.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use crate::i18n::Msg;

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
    StoreDamaged { path: PathBuf, reason: Msg, backup: Option<String> },

    #[error("cannot use the backup {file}: {reason}; nothing was changed")]
    Backup { file: String, reason: Msg },

    #[error("data store error: {0}")]
    Storage(String),

    #[error("damaged record in the data store ({what}): {reason}")]
    Corrupt { what: String, reason: String },

    #[error("no data directory: set --data-dir DIR or VITALFEW_DATA_DIR")]
    NoDataDir,

    /// A wrong argument on the command line (or from a script): English only.
    #[error("{0}")]
    InvalidArgument(String),

    /// A request the domain refuses (a move not allowed, a value out of
    /// range): said in the owner's language. Code `invalid_argument`.
    #[error("{0}")]
    Refused(Msg),

    #[error("the window could not be opened: {0}")]
    Gui(String),

    #[error("cannot write output: {0}")]
    Output(String),

    #[error("{file}: {reason}")]
    Import { file: String, reason: Msg },

    #[error("cancelled; nothing was changed")]
    Cancelled,

    #[error("{0}")]
    NotFound(Msg),
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

/// What an error looks like on the other side of IPC: its code, its message
/// in English, and what the window tells the owner in their language (a
/// catalog key and values).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub detail: Msg,
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
            Error::InvalidArgument(_) | Error::Refused(_) => ErrorCode::InvalidArgument,
            Error::Gui(_) => ErrorCode::Gui,
            Error::Output(_) => ErrorCode::Output,
            Error::Import { .. } => ErrorCode::Import,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotFound(_) => ErrorCode::NotFound,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError { code: self.code(), message: self.to_string(), detail: self.detail() }
    }

    /// What the window says, in the owner's language, where the error says
    /// it as a message: the refusal, what was not found, why a file cannot be
    /// imported (with its name).
    pub fn detail(&self) -> Msg {
        // What the catalogs say of the error's code, with the technical
        // detail (a path, the system's own words) after it.
        let technical = |detail: &str| {
            let code = serde_json::to_value(self.code()).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            crate::msg!("error.technical", headline = Msg::new(&format!("error.{code}")), detail = detail)
        };
        match self {
            Error::Refused(m) | Error::NotFound(m) => m.clone(),
            Error::Backup { file, reason } => crate::msg!("error.backup_because", file = file.as_str(), reason = reason.clone()),
            Error::StoreDamaged { reason, .. } => crate::msg!("error.store_damaged_because", reason = reason.clone()),
            Error::Import { file, reason } => crate::msg!("error.import_file", file = file.as_str(), reason = reason.clone()),
            Error::StoreLocked { .. } => crate::msg!("error.store_locked"),
            Error::SchemaTooNew { .. } => crate::msg!("error.schema_too_new"),
            Error::NoDataDir => crate::msg!("error.no_data_dir"),
            Error::Cancelled => crate::msg!("error.cancelled"),
            Error::StoreOpen { reason, .. } => technical(reason),
            Error::Corrupt { what, reason } => technical(&format!("{what}: {reason}")),
            Error::Storage(detail) | Error::InvalidArgument(detail) | Error::Gui(detail) | Error::Output(detail) => technical(detail),
        }
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
    fn serializes_as_code_message_and_detail() {
        let e = Error::SchemaTooNew { path: "/x".into(), found: 9, supported: 1 };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "schema_too_new");
        assert!(v["message"].as_str().unwrap().contains("schema version 9"));
        assert_eq!(v["detail"], serde_json::json!({"key": "error.schema_too_new", "params": {}}));
        assert_eq!(v.as_object().unwrap().len(), 3);
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
            Error::StoreDamaged { path: "/d".into(), reason: crate::msg!("store.damaged.corrupted"), backup: Some("/d/backups/x.vfbackup".into()) },
            Error::StoreDamaged { path: "/d".into(), reason: crate::msg!("store.damaged.corrupted"), backup: None },
            Error::Backup { file: "x.vfbackup".into(), reason: crate::msg!("backup.refused.cut_short") },
            Error::Storage("x".into()),
            Error::Corrupt { what: "settings".into(), reason: "bad json".into() },
            Error::NoDataDir,
            Error::InvalidArgument("bad".into()),
            Error::Gui("no display".into()),
            Error::Output("broken pipe".into()),
            Error::Import { file: "a.csv".into(), reason: crate::msg!("import.file.empty") },
            Error::Cancelled,
            Error::NotFound(crate::msg!("error.no_import_to_undo")),
        ];
        for e in all {
            assert!(!e.to_string().contains('\n'), "{e}");
            // The window's words for it are in both catalogs.
            for lang in [crate::model::Lang::En, crate::model::Lang::ZhCn] {
                let text = e.detail().text(lang);
                assert!(!text.contains("error.") && !text.contains('{'), "{e:?}: {text}");
            }
        }
    }
}
