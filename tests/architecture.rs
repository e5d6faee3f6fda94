//! The invariants of ARCHITECTURE.md, checked on the source tree:
//! the domain never imports tauri; only store/ touches sled; every IPC command
//! is declared (build.rs), registered (gui/mod.rs) and granted (capabilities/)
//! alike; the window runs under a strict CSP without global Tauri.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Source lines that are code, not comments.
fn code_lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .map(String::from)
        .collect()
}

fn sources() -> Vec<(String, Vec<String>)> {
    let src = root().join("src-tauri");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|p| (p.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/"), code_lines(&p)))
        .collect()
}

fn mentions(lines: &[String], word: &str) -> bool {
    lines.iter().any(|l| l.contains(&format!("{word}::")) || l.contains(&format!("use {word}")))
}

#[test]
fn only_gui_imports_tauri() {
    for (file, lines) in sources() {
        let allowed = file.starts_with("gui/") || file == "build.rs";
        if !allowed {
            assert!(!mentions(&lines, "tauri"), "{file} uses tauri; only src-tauri/gui/ may");
            assert!(!mentions(&lines, "tauri_plugin_dialog"), "{file}");
        }
    }
}

#[test]
fn only_store_touches_sled() {
    for (file, lines) in sources() {
        if !file.starts_with("store/") {
            assert!(!mentions(&lines, "sled"), "{file} uses sled; only src-tauri/store/ may");
        }
    }
}

/// The crate's modules, by layer: each may use only the layers after it.
/// gui/cli → api → domain → store → model/error (and the helpers beside them).
const LAYERS: &[&[&str]] = &[
    &["gui", "cli", "main.rs", "console_main.rs", "lib.rs", "build.rs", "bindings.rs"],
    &["api"],
    &["import", "analysis", "accounts", "notebook", "insight", "charts", "customers", "export", "pack"],
    &["store"],
    &["model.rs", "error.rs", "i18n.rs", "datadir.rs"],
];

fn module_of(file: &str) -> &str {
    file.split('/').next().unwrap().trim_end_matches(".rs")
}

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.iter().any(|m| m.trim_end_matches(".rs") == module))
        .unwrap_or_else(|| panic!("{module} is in no layer of LAYERS"))
}

/// The crate modules a line names: `crate::x::…` and `crate::{x, y::…}`.
fn crate_modules(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for rest in line.split("crate::").skip(1) {
        let items = match rest.strip_prefix('{') {
            Some(inner) => inner[..inner.find('}').unwrap_or(inner.len())].split(',').collect(),
            None => vec![rest],
        };
        for item in items {
            let item = item.trim();
            let name: String = item.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            // `crate::msg!` is a macro (a message, see i18n.rs), not a module.
            let macro_call = item[name.len()..].starts_with('!');
            if name.chars().next().is_some_and(|c| c.is_lowercase()) && !macro_call {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn dependencies_point_one_way() {
    for (file, lines) in sources() {
        let own = layer_of(module_of(&file));
        for used in lines.iter().flat_map(|l| crate_modules(l)) {
            assert!(
                layer_of(&used) >= own,
                "{file} uses crate::{used}, a layer above it: dependencies point gui/cli → api → domain → store → model"
            );
        }
    }
}

#[test]
fn the_store_knows_no_domain() {
    for (file, lines) in sources().into_iter().filter(|(f, _)| module_of(f) == "store") {
        for used in lines.iter().flat_map(|l| crate_modules(l)) {
            // i18n for its messages (`Msg`), which name no domain either.
            assert!(["model", "error", "i18n", "store"].contains(&used.as_str()), "{file}: the store may use only model, error and i18n, not crate::{used}");
        }
    }
}

#[test]
fn the_workbook_reader_does_not_use_the_text_reader() {
    // `table` reads every format and starts the workbook reader; what both
    // need (cell limits, how a cell is quoted) is in `import/cells.rs`.
    for (file, lines) in sources().into_iter().filter(|(f, _)| f.starts_with("import/workbook/")) {
        assert!(!mentions(&lines, "table"), "{file} uses import::table; take what it needs from import::cells");
    }
}

/// The quoted names in the first `[...]` after `marker` in `text`.
fn names_after(text: &str, marker: &str, open: char, close: char) -> Vec<String> {
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker} not found"));
    let rest = &text[start + marker.len()..];
    let body = &rest[rest.find(open).unwrap() + 1..rest.find(close).unwrap()];
    body.split(',').map(|s| s.trim().trim_matches('"').to_string()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn every_command_is_registered_and_granted() {
    // build.rs declares every `#[tauri::command]` of commands.rs itself.
    let commands = fs::read_to_string(root().join("src-tauri/gui/commands.rs")).unwrap();
    let mut registered = names_after(&commands, "generate_handler!", '[', ']');
    registered.sort();
    let mut defined: Vec<String> = commands
        .split("#[tauri::command]")
        .skip(1)
        .map(|chunk| {
            let after = &chunk[chunk.find("fn ").unwrap() + 3..];
            after[..after.find(['(', '<']).unwrap()].to_string()
        })
        .collect();
    defined.sort();

    let cap: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("capabilities/main-window.json")).unwrap()).unwrap();
    let mut granted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|c| c.replace('-', "_")))
        .collect();
    granted.sort();

    assert_eq!(registered, defined, "generate_handler! vs #[tauri::command] fns");
    assert_eq!(granted, defined, "capability grants vs commands");
}

#[test]
fn capabilities_grant_only_what_the_ui_uses() {
    let dir = root().join("capabilities");
    let files: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files.len(), 1, "one capability file: {files:?}");
    let cap: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("main-window.json")).unwrap()).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    for p in cap["permissions"].as_array().unwrap() {
        let p = p.as_str().expect("plain permission names, no scopes");
        let ok = p.starts_with("allow-") || p == "core:event:allow-listen" || p == "core:event:allow-unlisten";
        assert!(ok, "unexpected permission {p}: grant only what the UI calls");
    }
}

#[test]
fn window_runs_under_a_strict_csp_without_global_tauri() {
    let conf: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
    let app = &conf["app"];
    assert_eq!(app["withGlobalTauri"], false);
    assert_eq!(app["security"]["capabilities"], serde_json::json!(["main-window"]));
    let csp = app["security"]["csp"].as_object().expect("CSP set");
    for (directive, value) in csp {
        let v = value.as_str().unwrap();
        assert!(!v.contains("unsafe-eval"), "{directive}: {v}");
        assert!(!v.contains("unsafe-inline"), "{directive}: {v}");
        for token in v.split_whitespace() {
            let remote = token.starts_with("http") && token != "http://ipc.localhost";
            assert!(!remote && token != "*" && token != "https:", "{directive} allows remote content: {token}");
        }
    }
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'");
}

#[test]
fn the_ui_loads_nothing_remote() {
    let mut stack = vec![root().join("ui/src"), root().join("ui/index.html")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let name = path.to_string_lossy().to_string();
        if name.ends_with(".test.ts") || !(name.ends_with(".svelte") || name.ends_with(".ts") || name.ends_with(".html") || name.ends_with(".css")) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for bad in ["http://", "https://", "//cdn", "fonts.googleapis"] {
            let hit = text.lines().any(|l| l.contains(bad) && !l.contains("http://www.w3.org/2000/svg"));
            assert!(!hit, "{name} references remote content ({bad})");
        }
    }
}
