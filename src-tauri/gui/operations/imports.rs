//! Files in: the preview, the import, its undo, and what was imported.

use super::{operations, window};
use crate::import::plan::ImportPreview;
use crate::import::remembered::RememberedMapping;
use crate::import::{ImportOptions, OpenedFile};
use crate::model::{CustomerRow, ImportRecord};

operations! {
    /// The file the owner picks in the native open dialog (null: cancelled).
    pick_import_file() -> Option<String> => with window::pick_import_file;
    /// A file the app was asked to open from outside (desktop, command line, a second launch), once.
    take_opened_file() -> Option<OpenedFile> => with window::take_opened_file;
    /// Reads the file and plans its import (with `import-progress` events);
    /// the plan waits for `commit_import`.
    preview_import(path: String, options: ImportOptions) -> ImportPreview => with window::preview_import;
    cancel_import() -> () => |api| Ok(api.cancel_import());
    /// Commits the previewed import (null: it changed nothing).
    commit_import() -> Option<ImportRecord> => |api| api.commit_pending();
    discard_import() -> () => |api| Ok(api.discard_pending());
    undo_import() -> ImportRecord => |api| api.undo_import();
    list_imports() -> Vec<ImportRecord> => |api| api.imports();
    /// Forgets the mapping an earlier import remembered (`ImportPreview.remembered.id`).
    forget_import_mapping(id: u32) -> RememberedMapping => move |api| api.forget_mapping(id);
    list_customers() -> Vec<CustomerRow> => |api| api.customers();
    /// Saves the previewed import's problem rows as CSV where the owner chooses.
    save_import_problems() -> Option<String> => with window::save_import_problems;
}
