//! The figures: `concentration`, `chart` and `customers`, with the filter
//! they share. `concentration --json`'s field names are an interface.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::output::{emit, emit_json};
use crate::accounts::AccountType;
use crate::analysis::{self, Filter, Measure};
use crate::api::Api;
use crate::charts::{ChartKind, ChartRequest, ImageFormat};
use crate::customers::{self, SortBy};
use crate::model::Lang;
use crate::{Error, Result};

/// Which sales and customers the figures cover.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<chrono::NaiveDate>,
    /// Key accounts only.
    #[arg(long)]
    key_accounts: bool,
    /// Key accounts of this type only.
    #[arg(long, value_enum)]
    account_type: Option<AccountType>,
}

impl From<FilterArgs> for Filter {
    fn from(a: FilterArgs) -> Filter {
        Filter { from: a.from, to: a.to, key_only: a.key_accounts.then_some(true), account_type: a.account_type, ..Filter::default() }
    }
}

#[derive(Debug, Args)]
pub struct ConcentrationArgs {
        /// Default: profit, or revenue when your files have no profit or cost.
        #[arg(long, value_enum)]
        measure: Option<Measure>,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
        #[arg(value_enum)]
        kind: ChartKind,
        /// Output file; its extension (.png or .svg) picks the format.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, default_value_t = 1920)]
        width: u32,
        #[arg(long, default_value_t = 1080)]
        height: u32,
        /// PNG pixel density (1 or 2).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2))]
        scale: u32,
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
        /// Default: profit, or revenue when your files have no profit or cost.
        #[arg(long, value_enum)]
        measure: Option<Measure>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Symbol shown before money values.
        #[arg(long, default_value = "¥")]
        currency: String,
}

#[derive(Debug, Args)]
pub struct CustomersArgs {
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value = "profit")]
        sort: SortBy,
        /// Show at most N customers.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
}

pub fn concentration(api: &Api, ConcentrationArgs { measure: asked, filter, json }: ConcentrationArgs, out: &mut dyn Write) -> Result<()> {
    let (measure, c) = api.concentration(asked, &filter.into())?;
    // Said when the data chose revenue for the owner.
    let measure_reason = (asked.is_none() && measure == Measure::Revenue).then(|| crate::i18n::text(Lang::En, "measure.no_profit"));
    if json {
        return emit_json(out, &ConcentrationOut { measure, measure_reason, figures: &c });
    }
    let text = concentration_text(measure, &c);
    emit(out, &measure_reason.map_or(text.clone(), |why| format!("{why}\n{text}")))
}

pub fn chart(api: &Api, ChartArgs { kind, out: path, width, height, scale, lang, measure, filter, currency }: ChartArgs, out: &mut dyn Write) -> Result<()> {
    let format = ImageFormat::from_path(&path)
        .ok_or_else(|| Error::InvalidArgument(format!("{}: the file name must end in .png or .svg", path.display())))?;
    let measure = match measure {
        Some(m) => m,
        None => api.default_measure()?,
    };
    let req = ChartRequest { kind, measure, filter: filter.into(), width, height, scale, lang, currency };
    let rendered = api.chart(&req, format)?;
    std::fs::write(&path, &rendered.bytes).map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
    emit(out, &format!("Wrote {}", path.display()))
}

pub fn customers(api: &Api, CustomersArgs { json, sort, limit }: CustomersArgs, out: &mut dyn Write) -> Result<()> {
    let mut rows = api.customers()?;
    customers::sort(&mut rows, sort);
    rows.truncate(limit.unwrap_or(usize::MAX));
    if json {
        return emit_json(out, &rows);
    }
    let mut text = String::new();
    for r in &rows {
        let profit = r.profit.map_or("—".to_string(), |p| format!("{p:.2}"));
        text.push_str(&format!("{:>6}  {:<30}  revenue {:>14.2}  profit {:>14}  orders {}\n", r.id, r.name, r.revenue, profit, r.orders));
    }
    emit(out, text.trim_end())
}

/// `vitalfew concentration --json`: the figures' field names (an interface),
/// with the measure they are of and, when the data chose it, why.
#[derive(Serialize)]
struct ConcentrationOut<'a> {
    measure: Measure,
    #[serde(skip_serializing_if = "Option::is_none")]
    measure_reason: Option<String>,
    #[serde(flatten)]
    figures: &'a analysis::Concentration,
}

fn concentration_text(measure: Measure, c: &analysis::Concentration) -> String {
    let pct = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{:.1}%", v * 100.0));
    let mut s = format!("{measure:?} across {} customers, total {:.2}\n", c.customers, c.total);
    if let Some(reason) = &c.na_reason {
        s.push_str(&format!("shares: n/a — {reason}\n"));
    }
    s.push_str(&format!("top 20% ({} customers): {}\n", c.top20_count, pct(c.top20_share)));
    s.push_str(&format!("customers for 80%: {}\n", c.customers_for_80.map_or("n/a".into(), |k| k.to_string())));
    s.push_str(&format!("unprofitable: {} customers, {:.2}\n", c.unprofitable, c.unprofitable_total));
    s.push_str(&format!(
        "whale curve peak: {} at customer {}\n",
        pct(c.whale_peak_share),
        c.whale_peak_at.map_or("n/a".into(), |k| k.to_string())
    ));
    s.push_str(&format!(
        "gini (non-negative values): {}   hhi: {}   largest share: {}\n",
        c.gini.map_or("n/a".into(), |g| format!("{g:.3}")),
        c.hhi.map_or("n/a".into(), |h| format!("{h:.4}")),
        pct(c.largest_share)
    ));
    s.push_str(&format!(
        "ABC: A {} ({}), B {} ({}), C {} ({})",
        c.abc.a.count,
        pct(c.abc.a.share),
        c.abc.b.count,
        pct(c.abc.b.share),
        c.abc.c.count,
        pct(c.abc.c.share)
    ));
    s
}
