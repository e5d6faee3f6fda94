//! The TypeScript types in ui/src/lib/bindings.ts are generated from Rust.
//! This test fails when they are stale; `make bindings` (which sets
//! VITALFEW_UPDATE_BINDINGS=1) rewrites the file instead.

use std::path::Path;

#[test]
fn generated_typescript_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(vitalfew::bindings::FILE);
    let expected = vitalfew::bindings::render();
    if std::env::var_os("VITALFEW_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `make bindings` and commit the result",
        vitalfew::bindings::FILE
    );
}
