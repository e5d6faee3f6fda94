//! The TypeScript types in ui/src/lib/bindings.ts are generated from Rust.
//! This test fails when they are stale; `make bindings` (which sets
//! VITALFEW_UPDATE_BINDINGS=1) rewrites the file instead.

use std::path::Path;

#[test]
fn generated_typescript_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(vitalfew::gui::bindings::FILE);
    let expected = vitalfew::gui::bindings::render();
    if std::env::var_os("VITALFEW_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `make bindings` and commit the result",
        vitalfew::gui::bindings::FILE
    );
}

/// `expected` is the file at `rel` (rewritten instead under `make bindings`).
fn fresh(rel: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os("VITALFEW_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, expected).expect("write a generated file");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(actual == expected, "{rel} is stale: run `make bindings` and commit the result");
}

#[test]
fn the_command_wrappers_are_up_to_date() {
    fresh("ui/src/lib/commands.ts", &vitalfew::gui::bindings::commands());
}

#[test]
fn the_capability_grants_every_operation_and_nothing_else() {
    // The grants are generated from the operation tables, one per command,
    // after the two event permissions the UI needs to listen.
    let rel = "capabilities/main-window.json";
    let current: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()).unwrap();
    let mut cap = current.clone();
    let mut permissions = vec!["core:event:allow-listen".to_string(), "core:event:allow-unlisten".to_string()];
    permissions.extend(vitalfew::gui::operations::all().iter().map(|op| format!("allow-{}", op.name.replace('_', "-"))));
    cap["permissions"] = serde_json::json!(permissions);
    fresh(rel, &(serde_json::to_string_pretty(&cap).unwrap() + "\n"));
}
