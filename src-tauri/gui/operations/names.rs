//! The operation names a table file declares, read from its source text.
//! Shared by `build.rs` (which declares each as an `allow-*` permission
//! before the crate is compiled) and `tests/architecture.rs` (which checks
//! that the build's reading matches the compiled tables).

/// The names of the operations in the `operations! { … }` table of `source`:
/// each line of the table that starts with `name(`.
pub fn operation_names(source: &str) -> Vec<String> {
    let Some(start) = source.find("operations! {") else { return Vec::new() };
    let mut names = Vec::new();
    for line in source[start..].lines().skip(1) {
        let line = line.trim();
        if line == "}" {
            break;
        }
        let name: String = line.chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').collect();
        if !name.is_empty() && line[name.len()..].starts_with('(') {
            names.push(name);
        }
    }
    names
}
