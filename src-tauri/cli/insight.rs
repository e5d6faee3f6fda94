//! What the data says, on the command line: `segments`, `risk`, `health`,
//! `whitespace`, `cost-to-serve`, `export`. The JSON field names are an
//! interface other tools rely on.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::output::{emit, emit_json};
use crate::api::exports::{ExportKind, Selection};
use crate::api::Api;
use crate::customers::SortBy;
use crate::export::TableFormat;
use crate::insight::{Lifecycle, Segment, Windows};
use crate::analysis::Measure;
use crate::model::Lang;
use crate::{i18n, Error, Result};

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
    /// Customers of this RFM segment only.
    #[arg(long, value_enum)]
    segment: Option<Segment>,
    /// Customers of this lifecycle stage only.
    #[arg(long, value_enum)]
    stage: Option<Lifecycle>,
    /// Order of the customers (default: as stored).
    #[arg(long, value_enum)]
    sort: Option<SortBy>,
    /// At most N customers.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
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
    // The window's sentences, in English.
    let en = Lang::En;
    let measure = i18n::text(en, if r.measure == Measure::Profit { "measure.profit" } else { "measure.revenue" });
    let today = chrono::Local::now().date_naive();
    let mut text = String::new();
    for p in &r.people {
        let touched = match p.last_touch {
            Some(d) => i18n::format(en, "risk.touched", &[("when", i18n::days_ago(en, (today - d).num_days()))]),
            None => i18n::text(en, "risk.never_touched"),
        };
        let params = [
            ("share", pct(p.profit_share)),
            ("measure", measure.clone()),
            ("accounts", i18n::count(en, "count.accounts", p.accounts.len() as u64)),
            ("name", p.name.clone()),
            ("touched", touched),
        ];
        text.push_str(&i18n::format(en, "risk.person", &params));
        text.push('\n');
    }
    for a in &r.accounts {
        let share = i18n::format(en, "risk.account", &[("share", pct(a.profit_share)), ("measure", measure.clone())]);
        text.push_str(&format!("{}: {share}\n", a.name));
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
        let band = i18n::text(Lang::En, &format!("health.band.{}", serde_json::to_value(h.band).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()));
        text.push_str(&format!("{} (id {}): {} / 100, {band}\n", h.name, h.id, h.score));
        for cap in &h.caps {
            text.push_str(&format!("  capped: {}\n", cap.reason));
        }
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
    let text: Vec<&str> = w.gaps.iter().map(|g| g.reason.as_str()).chain(w.no_peers.iter().map(|n| n.reason.as_str())).collect();
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
    let filtered = args.segment.is_some() || args.stage.is_some() || args.sort.is_some() || args.limit.is_some();
    if filtered && args.kind != ExportKind::Customers {
        return Err(Error::InvalidArgument("--segment, --stage, --sort and --limit choose customers: use them with `export customers`".into()));
    }
    let selection = Selection { segment: args.segment, stage: args.stage, sort: args.sort, limit: args.limit, ..Selection::default() };
    let table = api.export_table(args.kind, &selection, args.lang.unwrap_or_else(|| api.language()))?;
    std::fs::write(&file, table.write(format)?).map_err(|e| Error::Output(format!("{}: {e}", file.display())))?;
    emit(out, &format!("Wrote {} rows to {}.", table.rows.len(), file.display()))
}
