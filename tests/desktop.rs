//! Desktop integration as packaged: the Linux desktop entry (template in
//! `packaging/`, used by the deb and rpm bundles) names the app in Chinese
//! too and passes the opened file, and the file associations of
//! tauri.conf.json (Linux MimeType=, msi, dmg) cover the spreadsheets the
//! import reads. `make bundle` builds the packages themselves.

use std::path::PathBuf;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

#[test]
fn csv_and_spreadsheets_are_associated_with_the_app() {
    let conf = json("tauri.conf.json");
    let associations = conf["bundle"]["fileAssociations"].as_array().expect("bundle.fileAssociations");
    let mut seen = Vec::new();
    for a in associations {
        let mime = a["mimeType"].as_str().expect("every association has a MIME type (Linux MimeType=)");
        assert!(mime.contains('/'), "{mime}");
        assert!(a["name"].as_str().is_some_and(|n| !n.is_empty()), "{a}");
        assert!(a["description"].as_str().is_some_and(|n| !n.is_empty()), "{a} (Windows shows it)");
        assert_eq!(a["role"], "Viewer", "the app reads these files, it does not edit them");
        for ext in a["ext"].as_array().unwrap() {
            let ext = ext.as_str().unwrap();
            assert!(vitalfew::import::EXTENSIONS.contains(&ext), "{ext} is associated but the import does not read it");
            seen.push((ext.to_string(), mime.to_string()));
        }
    }
    for (ext, mime) in [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("xls", "application/vnd.ms-excel"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ] {
        assert!(seen.contains(&(ext.to_string(), mime.to_string())), "{ext} ({mime}) is not associated");
    }
}

#[test]
fn the_desktop_entry_has_the_chinese_name_and_opens_the_file() {
    let conf = json("tauri.conf.json");
    let linux = &conf["bundle"]["linux"];
    let template = linux["deb"]["desktopTemplate"].as_str().expect("bundle.linux.deb.desktopTemplate");
    assert_eq!(linux["rpm"]["desktopTemplate"].as_str(), Some(template), "deb and rpm share one desktop entry");
    let text = std::fs::read_to_string(root().join(template)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let value = |key: &str| lines.iter().find_map(|l| l.strip_prefix(&format!("{key}="))).unwrap_or_else(|| panic!("no {key}= in {template}"));

    let zh = json("ui/src/locales/zh-CN.json");
    assert_eq!(value("Name[zh_CN]"), zh["app.name"].as_str().unwrap(), "the Chinese name is the catalog's app.name");
    assert_eq!(value("Name"), "{{name}}");
    for key in ["GenericName", "GenericName[zh_CN]", "Comment[zh_CN]", "Keywords[zh_CN]"] {
        assert!(!value(key).is_empty(), "{key}");
    }
    assert!(value("Comment[zh_CN]").chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    // The file manager passes the file; one process per file, each handed to
    // the running window.
    assert_eq!(value("Exec"), "{{exec}} %f");
    assert_eq!(value("MimeType"), "{{mime_type}};");
    assert_eq!(value("Type"), "Application");
    assert_eq!(lines[0], "[Desktop Entry]");
}
