//! What the data says, on the command line: `segments`, `risk`, `health`,
//! `whitespace`, `cost-to-serve`, `export`. The JSON field names are an
//! interface other tools rely on.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{emit, emit_json};
use crate::api::exports::ExportKind;
use crate::api::Api;
use crate::export::TableFormat;
use crate::insight::Windows;
use crate::model::Lang;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct SegmentsArgs {
    /// Classify as of this day (default: the latest sale).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<NaiveDate>,
    /// Bought within this many days: active.
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    active_days: u32,
    /// First bought within this many days: new.
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    new_days: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct AccountArgs {
    /// A key account (our id or your own customer ID); default: all.
    account: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    /// Value of an hour (default: the rate set in the app, else 0).
    #[arg(long, value_name = "AMOUNT_PER_HOUR")]
    rate: Option<f64>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    kind: ExportKind,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Language of the headers (default: the app's).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

fn pct(s: Option<f64>) -> String {
    s.map_or("n/a".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// The customer an optional ACCOUNT names.
fn account(api: &Api, key: Option<String>) -> Result<Option<u32>> {
    key.map(|a| api.find_customer(&a).map(|c| c.id)).transpose()
}

pub fn segments(api: &Api, args: SegmentsArgs, out: &mut dyn Write) -> Result<()> {
    let s = api.segments(args.as_of, Windows { active_days: args.active_days, new_days: args.new_days })?;
    if args.json {
        return emit_json(out, &s.summary(&*api.dataset()?));
    }
    let l = s.lifecycle;
    let mut text = format!("as of {}: {} potential, {} new, {} active, {} churned\n", s.as_of, l.potential, l.new, l.active, l.churned);
    for st in &s.stats {
        let name = serde_json::to_value(st.segment).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        text.push_str(&format!("{name:<20} {:>8} customers  {:>7} of profit\n", st.count, pct(st.profit_share)));
    }
    emit(out, text.trim_end())
}

pub fn risk(api: &Api, args: JsonArgs, out: &mut dyn Write) -> Result<()> {
    let r = api.risk()?;
    if args.json {
        return emit_json(out, &r.summary());
    }
    let mut text = String::new();
    for p in &r.people {
        let touched = p.last_touch.map_or("never touched".to_string(), |d| format!("last touched {d}"));
        text.push_str(&format!(
            "{} of your profit depends on {} account(s) whose only decision-level supporter is {}, {touched}\n",
            pct(p.profit_share),
            p.accounts.len(),
            p.name
        ));
    }
    for a in &r.accounts {
        text.push_str(&format!("losing {} costs {} of profit\n", a.name, pct(a.profit_share)));
    }
    emit(out, if text.is_empty() { "No key accounts." } else { text.trim_end() })
}

pub fn health(api: &Api, args: AccountArgs, out: &mut dyn Write) -> Result<()> {
    let list = api.health(account(api, args.account)?)?;
    if args.json {
        return emit_json(out, &list);
    }
    let mut text = String::new();
    for h in &list {
        text.push_str(&format!("{} (id {}): {} / 100\n", h.name, h.id, h.score));
        for p in &h.parts {
            text.push_str(&format!("  {:>3}  ×{:<3} {}\n", p.score, p.weight, p.reason));
        }
    }
    emit(out, if list.is_empty() { "No key accounts." } else { text.trim_end() })
}

pub fn whitespace(api: &Api, args: AccountArgs, out: &mut dyn Write) -> Result<()> {
    let w = api.whitespace(account(api, args.account)?)?;
    if args.json {
        return emit_json(out, &w.gaps.iter().map(|g| g.cli()).collect::<Vec<_>>());
    }
    let text: Vec<&str> = w.gaps.iter().map(|g| g.reason.as_str()).collect();
    let none = if w.grid.categories.is_empty() { "The sales lines carry no product category." } else { "No whitespace." };
    emit(out, &if text.is_empty() { none.to_string() } else { text.join("\n") })
}

pub fn cost_to_serve(api: &Api, args: CostArgs, out: &mut dyn Write) -> Result<()> {
    let list = api.cost_to_serve(args.rate)?;
    if args.json {
        return emit_json(out, &list);
    }
    let mut text = String::new();
    for c in &list {
        text.push_str(&format!(
            "{:<30} profit {:>12.2}  {:>6.1} h  expenses {:>10.2}  cost to serve {:>10.2}  after {:>12.2}{}\n",
            c.name,
            c.profit,
            c.hours,
            c.expenses,
            c.cost_to_serve,
            c.profit_after,
            if c.profit_after < 0.0 { "  (costs more than it earns)" } else { "" }
        ));
    }
    emit(out, if list.is_empty() { "No key accounts." } else { text.trim_end() })
}

pub fn export(api: &Api, args: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let file = args.out;
    let format = TableFormat::from_path(&file).ok_or_else(|| Error::InvalidArgument(format!("{}: give a file ending in .csv or .xlsx", file.display())))?;
    let table = api.export_table(args.kind, args.lang.unwrap_or_else(|| api.language()))?;
    std::fs::write(&file, table.write(format)?).map_err(|e| Error::Output(format!("{}: {e}", file.display())))?;
    emit(out, &format!("Wrote {} rows to {}.", table.rows.len(), file.display()))
}
