//! Build script: compiles the Tauri context and declares the app's own IPC
//! commands through an AppManifest, so each one is an `allow-*` permission that
//! a capability must grant (undeclared commands would be open to every window).
//! The commands are the lines of the operation tables in `gui/operations/`
//! (read by `gui/operations/names.rs`), so a new operation needs no edit here.

#[path = "gui/operations/names.rs"]
mod names;

const TABLES: &str = "src-tauri/gui/operations";

fn main() {
    println!("cargo:rerun-if-changed={TABLES}");
    let mut files: Vec<_> = std::fs::read_dir(TABLES).expect("read gui/operations").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut commands: Vec<&'static str> = Vec::new();
    for file in files.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
        let source = std::fs::read_to_string(file).expect("read a table");
        commands.extend(names::operation_names(&source).into_iter().map(|n| &*Box::leak(n.into_boxed_str())));
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(commands.into_boxed_slice()))),
    )
    .expect("tauri-build failed");
}
