//! Backups, restores and the recovery screen.

use super::{operations, window};
use crate::api::backups::{BackupInfo, CheckReport, Recovery};

operations! {
    /// Writes a backup where the owner chooses (null: cancelled).
    backup_now() -> Option<BackupInfo> => with window::backup_now;
    /// *Start with no data* on the recovery screen: an empty store replaces
    /// the refused one, which is kept aside.
    start_empty() -> bool => |api| api.start_empty();
    /// The automatic, daily and manual backups in the backups folder.
    list_backups() -> Vec<BackupInfo> => |api| Ok(api.backups());
    /// A backup file the owner picks (null: cancelled).
    pick_backup_file() -> Option<String> => with window::pick_backup_file;
    /// Replaces the store with a backup, with `restore-progress` events.
    restore_backup(path: String) -> BackupInfo => with window::restore_backup;
    /// What the recovery screen shows (null: the store is fine).
    get_recovery() -> Option<Recovery> => |api| Ok(api.recovery());
    /// Help ▸ Check the data…: every record and every chunk of sales lines
    /// read and verified, as `vitalfew check` does.
    check_store() -> CheckReport => |api| api.check();
    /// Opens the store in another folder the owner picks (null: cancelled).
    open_other_folder() -> Option<String> => with window::open_other_folder;
}
