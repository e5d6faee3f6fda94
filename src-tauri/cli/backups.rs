//! `backup`, `restore`, `backups` and `check`: the store's safety net.

use std::io::Write;
use std::path::Path;

use super::output::{emit, emit_json, serde_plain};
use crate::api::backups::BackupInfo;
use crate::api::Api;
use crate::{Error, Result};

pub fn backup(api: &Api, path: &Path, out: &mut dyn Write) -> Result<()> {
    let b = api.backup_to(&path)?;
    emit(out, &format!("Wrote {} ({}).", b.file, backup_line(&b)))
}

pub fn restore(api: &Api, file: &Path, out: &mut dyn Write) -> Result<()> {
    let b = api.restore(&file, &|_| {})?;
    emit(out, &format!("Restored {} ({}).", file.display(), backup_line(&b)))
}

pub fn backups(api: &Api, json: bool, out: &mut dyn Write) -> Result<()> {
    let list = api.backups();
    if json {
        return emit_json(out, &list);
    }
    let text: Vec<String> = list
        .iter()
        .map(|b| match &b.problem {
            None => format!("{}  {:<7}  {}  {}", b.created_at, serde_plain(&b.kind), backup_line(b), b.file),
            Some(problem) => format!("{}  {:<7}  damaged: {problem}  {}", b.created_at, serde_plain(&b.kind), b.file),
        })
        .collect();
    emit(out, &if list.is_empty() { "No backups yet.".to_string() } else { text.join("\n") })
}

pub fn check(api: &Api, json: bool, out: &mut dyn Write) -> Result<()> {
    let report = api.check()?;
    if json {
        emit_json(out, &report)?;
    } else {
        let trees: Vec<String> = report.trees.iter().map(|(t, n)| format!("{t} {n}")).collect();
        emit(out, &format!("{} sales lines; {}", report.sales_lines, trees.join(", ")))?;
    }
    if report.ok {
        return if json { Ok(()) } else { emit(out, "The store is intact.") };
    }
    Err(Error::Corrupt { what: "store".into(), reason: report.problems.join("; ") })
}

fn backup_line(b: &BackupInfo) -> String {
    format!(
        "{} customers, {} sales lines, {} key accounts, {} notebooks ({} entries), {} bytes",
        b.customers, b.sales_lines, b.accounts, b.notebooks, b.notebook_entries, b.bytes
    )
}
