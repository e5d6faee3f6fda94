//! The invariants of ARCHITECTURE.md, checked on the source tree:
//! the domain never imports tauri; only store/ touches sled; dependencies
//! point down one order of modules (LAYERS); every IPC command
//! is declared (build.rs) and registered (gui/operations/) alike; the window
//! runs under a strict CSP without global Tauri.

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
fn no_file_holds_more_than_500_lines_of_code_without_saying_why() {
    // A file is one job; one that grows past ~500 lines of code is split
    // along its seams, or says at its top why it is not.
    for (file, lines) in sources() {
        let code = lines.iter().filter(|l| !l.is_empty()).count();
        let head = fs::read_to_string(root().join("src-tauri").join(&file)).unwrap().lines().take(5).collect::<Vec<_>>().join(" ");
        assert!(code <= 500 || head.contains("Over 500 lines because"), "{file} holds {code} lines of code: split it, or say why at its top (\"Over 500 lines because …\")");
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

/// The crate's modules, top to bottom: a module may use only the layers
/// below its own, never one above and never another module of its own layer
/// (the two shells, `gui` and `cli`, know nothing of each other). Each
/// domain module sits above what it builds on: the notebook above the key
/// accounts it belongs to, insight above both, charts above the figures they
/// draw, the meeting pack above the charts.
const LAYERS: &[&[&str]] = &[
    &["main.rs", "console_main.rs", "lib.rs", "build.rs"],
    &["gui", "cli"],
    &["launch"],
    &["api"],
    &["pack", "export"],
    &["team"],
    &["charts"],
    &["insight"],
    &["notebook"],
    &["accounts"],
    &["analysis", "customers"],
    &["import"],
    &["store"],
    &["error.rs", "datadir.rs"],
    &["i18n.rs"],
    &["model.rs"],
];

/// The shells reach the store only through `api`.
const SHELLS: &[&str] = &["gui", "cli", "launch"];

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

/// Every `crate::` use in `files` that breaks the order of [`LAYERS`].
fn wrong_way(files: &[(String, Vec<String>)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (file, lines) in files {
        let own = module_of(file);
        for used in lines.iter().flat_map(|l| crate_modules(l)) {
            if used == own {
                continue;
            }
            if layer_of(&used) <= layer_of(own) {
                wrong.push(format!("{file} uses crate::{used}, which is not below it"));
            } else if SHELLS.contains(&own) && used == "store" {
                wrong.push(format!("{file} uses crate::store; the shells reach the store through crate::api"));
            }
        }
    }
    wrong
}

#[test]
fn dependencies_point_one_way() {
    let wrong = wrong_way(&sources());
    assert!(wrong.is_empty(), "dependencies must point down LAYERS (tests/architecture.rs):\n{}", wrong.join("\n"));
}

#[test]
fn a_use_that_points_up_or_sideways_is_caught() {
    // What the test above would say of a few wrong turns, planted here.
    let planted = |file: &str, line: &str| wrong_way(&[(file.to_string(), vec![line.to_string()])]);
    assert_eq!(planted("analysis/values.rs", "use crate::accounts::{Account, AccountType};"), ["analysis/values.rs uses crate::accounts, which is not below it"]);
    assert_eq!(planted("gui/open.rs", "if let Some(p) = crate::cli::file_to_open(argv, cwd) {"), ["gui/open.rs uses crate::cli, which is not below it"]);
    assert_eq!(planted("store/backup/mod.rs", "use crate::{import, model::Lang};"), ["store/backup/mod.rs uses crate::import, which is not below it"]);
    assert_eq!(planted("gui/commands.rs", "use crate::store::backup::BackupInfo;"), ["gui/commands.rs uses crate::store; the shells reach the store through crate::api"]);
    assert_eq!(planted("pack/mod.rs", "use crate::export::TableFormat;"), ["pack/mod.rs uses crate::export, which is not below it"]);
    // Downward, and a module's own paths, are fine; so is a message macro.
    assert!(planted("charts/mod.rs", "use crate::{analysis::Measure, charts::style, model::Lang};").is_empty());
    assert!(planted("store/mod.rs", "let m = crate::msg!(\"store.x\");").is_empty());
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

#[test]
fn the_store_replaces_itself_from_the_bottom_up() {
    // folders (names, lock, the install swap) < backup (format, restore,
    // kept) < migrate < open: restore and the swap read on their own.
    for (file, lines) in sources() {
        let uses = |m: &str| lines.iter().any(|l| l.contains(&format!("{m}::")) || l.contains(&format!("super::{m}")));
        if file == "store/folders.rs" {
            for m in ["open", "migrate", "backup"] {
                assert!(!uses(m), "{file} uses store::{m}; the folders sit below it");
            }
        }
        if file.starts_with("store/backup/") {
            for m in ["open", "migrate"] {
                assert!(!uses(m), "{file} uses store::{m}; backups sit below it");
            }
        }
    }
}

#[path = "../src-tauri/gui/operations/names.rs"]
mod names;

#[test]
fn every_operation_the_build_declares_is_registered() {
    // build.rs declares (as `allow-*` permissions) the operations it reads
    // from the tables' source; the handler registers the compiled tables
    // (tests/bindings.rs checks the capability grants them all).
    let dir = root().join("src-tauri/gui/operations");
    let mut declared: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .flat_map(|e| names::operation_names(&fs::read_to_string(e.unwrap().path()).unwrap()))
        .collect();
    declared.sort();
    let mut registered: Vec<String> = vitalfew::gui::operations::all().iter().map(|op| op.name.to_string()).collect();
    registered.sort();
    assert_eq!(declared, registered, "a table in gui/operations/ is missing from operations::tables(), or a line is not read as an operation");
    let mut unique = registered.clone();
    unique.dedup();
    assert_eq!(unique, registered, "an operation is declared twice");
    assert!(!registered.is_empty());
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
