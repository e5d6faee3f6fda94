//! Build script: compiles the Tauri context and declares the app's own IPC
//! commands through an AppManifest, so each one is an `allow-*` permission that
//! a capability must grant (undeclared commands would be open to every window).

/// Every `#[tauri::command]` registered in `gui::commands`. A test checks that
/// this list and the registered handlers agree.
const COMMANDS: &[&str] = &[
    "get_info",
    "get_prefs",
    "set_language",
    "set_currency",
    "pick_import_file",
    "preview_import",
    "cancel_import",
    "commit_import",
    "discard_import",
    "undo_import",
    "list_imports",
    "list_customers",
    "save_import_problems",
    "get_dashboard",
    "render_chart",
    "export_chart",
    "export_ranking",
    "list_accounts",
    "change_account",
    "due_actions",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
