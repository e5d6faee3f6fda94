//! `import`, `mappings`, `undo-import` and `imports`: files in, and what
//! came in. `import --json`'s field names are an interface other tools rely
//! on.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::output::{emit, emit_json};
use crate::api::Api;
use crate::import::plan::{describe, RowProblem};
use crate::import::{DateOrder, DecimalMark, Delimiter, Field, ImportOptions, SourceKind, TextEncoding};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct ImportArgs {
        file: PathBuf,
        /// Worksheet to read (default: the first with data).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Show what would be imported; save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Text encoding (default: detected).
        #[arg(long, value_enum)]
        encoding: Option<TextEncoding>,
        /// How to read dates like 03/04/2024 (default: decided from the file).
        #[arg(long, value_enum)]
        date_order: Option<DateOrder>,
        /// 1-based row number of the header row (default: found).
        #[arg(long, value_name = "N")]
        header_row: Option<u64>,
        /// How a text file's fields are separated (default: detected;
        /// space = columns aligned with spaces).
        #[arg(long, value_enum)]
        delimiter: Option<Delimiter>,
        /// The decimal mark of the file's numbers (default: detected).
        #[arg(long, value_enum)]
        decimal: Option<DecimalMark>,
        /// Map a column by its header: FIELD is one of customer_id,
        /// customer_name, date, order, product, category, quantity, revenue,
        /// cost, profit, region, industry, attribute, ignore. Repeatable.
        #[arg(long = "map", value_name = "HEADER=FIELD", value_parser = parse_map)]
        map: Vec<(String, Option<Field>)>,
        /// Add lines that look like sales an earlier import stored (same
        /// order number, date and amount, another spelling) anyway.
        #[arg(long)]
        keep_duplicates: bool,
        /// The program the file comes from (default: auto, recognised from
        /// its headers).
        #[arg(long, value_enum, default_value = "auto")]
        source: SourceArg,
        /// Import rows whose status says they are no sale (closed,
        /// cancelled, refunded, failed, void, unpaid) anyway.
        #[arg(long)]
        keep_excluded: bool,
}

pub fn import(api: &Api, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let options = ImportOptions {
        encoding: a.encoding,
        sheet: a.sheet,
        header_row: a.header_row,
        mapping: None,
        date_order: a.date_order,
        delimiter: a.delimiter,
        decimal: a.decimal,
        keep_duplicates: a.keep_duplicates,
        source: a.source.kind(),
        keep_excluded: a.keep_excluded,
        by_header: a.map,
    };
    import_file(api, &a.file, &options, a.dry_run, a.json, out)
}

pub fn mappings(api: &Api, json: bool, out: &mut dyn Write) -> Result<()> {
    let list = api.mappings()?;
    if json {
        return emit_json(out, &list);
    }
    if list.is_empty() {
        return emit(out, "No mapping is remembered.");
    }
    let mut text = String::new();
    for m in &list {
        let fields: Vec<String> = m
            .columns
            .iter()
            .map(|(h, f)| format!("{h}={}", f.map_or("attribute", |f| f.cli_name())))
            .collect();
        text.push_str(&format!("#{} {}  {}  {}\n  {}\n", m.id, m.at, m.file_name, m.source.name(), fields.join(", ")));
    }
    emit(out, text.trim_end())
}

pub fn forget_mapping(api: &Api, id: u32, out: &mut dyn Write) -> Result<()> {
    let m = api.forget_mapping(id)?;
    emit(out, &format!("Forgot the mapping remembered from {} (#{}): files with its headers are read as detected again.", m.file_name, m.id))
}

pub fn undo_import(api: &Api, out: &mut dyn Write) -> Result<()> {
    let r = api.undo_import()?;
    emit(out, &format!("Undid the import of {} ({}): {} sales lines and {} new customers removed.", r.file_name, r.at, r.sales_lines, r.new_customers))
}

pub fn imports(api: &Api, json: bool, out: &mut dyn Write) -> Result<()> {
    let list = api.imports()?;
    if json {
        return emit_json(out, &list);
    }
    let mut text = String::new();
    for r in &list {
        let checksum = r.checksum.get(..16).unwrap_or(&r.checksum);
        text.push_str(&format!(
            "#{} {}  {}  rows {}  customers {}  new lines {}  {checksum}\n",
            r.id, r.at, r.file_name, r.rows, r.customers, r.sales_lines
        ));
    }
    emit(out, text.trim_end())
}

/// `--map "HEADER=FIELD"`: `attribute` keeps the column as an attribute.
fn parse_map(arg: &str) -> std::result::Result<(String, Option<Field>), String> {
    let (header, field) = arg.rsplit_once('=').ok_or("expected HEADER=FIELD, e.g. \"Sales=revenue\"")?;
    let field = field.trim();
    if field == "attribute" {
        return Ok((header.trim().to_string(), None));
    }
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.cli_name()).filter(|n| *n != "orders").collect();
    Field::ALL
        .into_iter()
        .find(|f| f.cli_name() == field)
        .map(|f| (header.trim().to_string(), Some(f)))
        .ok_or_else(|| format!("unknown field \"{field}\"; use one of {}, attribute", names.join(", ")))
}

/// `vitalfew import --source`: a source, or `auto` to recognise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceArg {
    Auto,
    Fapiao,
    Taobao,
    #[value(name = "1688")]
    Alibaba1688,
    Quickbooks,
    Shopify,
    Stripe,
    Generic,
}

impl SourceArg {
    fn kind(self) -> Option<SourceKind> {
        Some(match self {
            SourceArg::Auto => return None,
            SourceArg::Fapiao => SourceKind::Fapiao,
            SourceArg::Taobao => SourceKind::Taobao,
            SourceArg::Alibaba1688 => SourceKind::Alibaba1688,
            SourceArg::Quickbooks => SourceKind::Quickbooks,
            SourceArg::Shopify => SourceKind::Shopify,
            SourceArg::Stripe => SourceKind::Stripe,
            SourceArg::Generic => SourceKind::Generic,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum MappingAction {
    /// Forget a remembered mapping (ID as `vitalfew mappings` lists it).
    Forget { id: u32 },
}

/// `vitalfew import --json`: these field names are an interface.
#[derive(Serialize)]
struct ImportSummary {
    rows: u64,
    customers: u64,
    new_customers: u64,
    /// Lines this import adds (or, with --dry-run, would add).
    sales_lines: u64,
    skipped: u64,
    errors: Vec<RowProblem>,
    /// Lines that look like sales an earlier import stored, not added
    /// (0 with --keep-duplicates, which adds them).
    duplicates: u64,
    /// The program the file came from (`--source`'s names).
    source: &'static str,
    /// Rows left out because their status says they are no sale.
    excluded: Vec<ExcludedOut>,
    /// How the file was read beyond its mapping, in English.
    rules: Vec<String>,
}

#[derive(Serialize)]
struct ExcludedOut {
    reason: &'static str,
    rows: u64,
    amount: f64,
    /// Whether they were imported anyway (`--keep-excluded`).
    kept: bool,
}

fn import_file(api: &Api, file: &Path, options: &ImportOptions, dry_run: bool, json: bool, out: &mut dyn Write) -> Result<()> {
    let cancel = AtomicBool::new(false);
    let planned = api.plan_import(file, options, &|_, _| {}, &cancel)?;
    let p = &planned.plan.preview;
    let summary = ImportSummary {
        rows: p.rows,
        customers: p.customers,
        new_customers: p.new_customers,
        sales_lines: p.new_lines,
        skipped: p.skipped,
        errors: p.errors.clone(),
        duplicates: if p.duplicates_added { 0 } else { p.duplicates },
        source: p.source.name(),
        excluded: p
            .excluded
            .iter()
            .map(|e| ExcludedOut { reason: e.reason.name(), rows: e.rows, amount: e.amount, kept: p.excluded_kept })
            .collect(),
        rules: p.rules.iter().map(|r| r.message.to_string()).collect(),
    };
    let interactive = !json && !dry_run && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !json {
        let mut text = format!(
            "{}: {} rows, {} customers ({} new, {} changed), {} sales lines ({} new), {} skipped",
            p.file_name, p.rows, p.customers, p.new_customers, p.changed_customers, p.sales_lines, p.new_lines, p.skipped
        );
        if p.source != SourceKind::Generic {
            text.push_str(&format!("\n  source: {}", p.source.label()));
        }
        for r in &p.rules {
            text.push_str(&format!("\n  rule: {}", r.message));
        }
        for e in &p.excluded {
            let what = if p.excluded_kept { "imported anyway (--keep-excluded)" } else { "left out (--keep-excluded imports them)" };
            text.push_str(&format!("\n  {}: {}", crate::msg!("import.excluded.summary", rows = e.rows, reason = e.reason.label(), amount = crate::i18n::group(e.amount, 2)), what));
        }
        for e in p.errors.iter().take(20) {
            text.push_str(&format!("\n  skipped {}", describe(e)));
        }
        if p.errors.len() > 20 {
            text.push_str(&format!("\n  … and {} more", p.skipped - 20));
        }
        for w in &p.warnings {
            text.push_str(&format!("\n  note: {}", describe(w)));
        }
        if p.profit.is_none() {
            text.push_str("\n  note: no profit or cost column — profit-based views will need one");
        }
        for c in &p.checks {
            text.push_str(&format!("\n  {}: {}", if c.blocking { "problem" } else { "warning" }, c.describe()));
        }
        if let Some(d) = p.describe_duplicates() {
            let what = if p.duplicates_added { "added anyway (--keep-duplicates)" } else { "not added (--keep-duplicates adds them)" };
            text.push_str(&format!("\n  note: {d}: {what}"));
        }
        emit(out, &text)?;
    }
    if let Some(c) = p.blocked() {
        return Err(Error::Import { file: p.file_name.clone(), reason: crate::msg!("import.not_imported", check = c.describe()) });
    }
    let commit = !dry_run && (!interactive || confirm(out)?);
    if commit {
        let record = api.commit_import(planned)?;
        if !json {
            emit(out, if record.is_some() { "Imported." } else { "Nothing new to import." })?;
        }
    } else if !json {
        emit(out, "Nothing was saved.")?;
    }
    if json {
        emit_json(out, &summary)?;
    }
    Ok(())
}

fn confirm(out: &mut dyn Write) -> Result<bool> {
    write!(out, "Import? [y/N] ").and_then(|_| out.flush()).map_err(|e| Error::Output(e.to_string()))?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(|e| Error::Output(e.to_string()))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
