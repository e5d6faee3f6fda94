//! Build script: compiles the Tauri context and declares the app's own IPC
//! commands through an AppManifest, so each one is an `allow-*` permission that
//! a capability must grant (undeclared commands would be open to every window).
//! The commands are read from `gui/commands.rs`: every `#[tauri::command]`
//! there is declared, so a new command needs no edit here.

const COMMANDS_FILE: &str = "src-tauri/gui/commands.rs";

/// The names of the `#[tauri::command]` functions in `source`.
fn command_names(source: &str) -> Vec<String> {
    source
        .split("#[tauri::command]")
        .skip(1)
        .map(|chunk| {
            let after = &chunk[chunk.find("fn ").expect("a command is a fn") + 3..];
            after[..after.find(['(', '<']).expect("a fn has arguments")].trim().to_string()
        })
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed={COMMANDS_FILE}");
    let source = std::fs::read_to_string(COMMANDS_FILE).expect("read gui/commands.rs");
    let names = command_names(&source);
    let commands: Vec<&'static str> = names.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(commands.into_boxed_slice()))),
    )
    .expect("tauri-build failed");
}
