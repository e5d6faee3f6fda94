//! `cargo bench --bench charts`: the Dashboard's speed targets.
//! - all figures for 100,000 customers ≤ 20 ms;
//! - PNG 1920×1080 ≤ 150 ms; SVG ≤ 50 ms;
//! - a filter change (values from lines + figures + chart) ≤ 100 ms at 50,000 customers;
//! - the Key accounts page (metrics from lines, suggestions, candidates) is
//!   measured too (no target in the issue; it runs once per data change);
//! - segments for 100,000 customers / 1M lines ≤ 100 ms (`BENCH_SEG_*`);
//! - the risk panel (200 key accounts with 10 contacts each) ≤ 50 ms; health,
//!   whitespace and cost to serve of those accounts are measured too.
//!
//! Sizes can be changed with BENCH_CUSTOMERS and BENCH_LINES.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use vitalfew::accounts::{self, Change, Metrics};
use vitalfew::analysis::concentration::{concentration, rank};
use vitalfew::analysis::values::DataLine;
use vitalfew::analysis::{dashboard, CustomerValue, Dataset, Filter, Measure, Thresholds};
use vitalfew::charts::{self, ChartKind, ChartRequest, ImageFormat};
use vitalfew::insight::{self, Windows};
use vitalfew::notebook::{self as nbk, Attitude, Contact, Item, Level, Notebook, Touch, TouchKind};
use vitalfew::model::{Customer, Lang};

#[path = "process.rs"]
mod process;
use process::median;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn dataset(customers: usize, lines: usize) -> Dataset {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let regions = ["华东", "华北", "华南", "西南", "西北"];
    let cs: Vec<Customer> = (0..customers as u32)
        .map(|id| Customer {
            id,
            ext_id: Some(format!("C{id:06}")),
            name: format!("客户{id}有限公司"),
            former_names: Vec::new(),
            region: Some(regions[id as usize % regions.len()].to_string()),
            industry: None,
            attributes: BTreeMap::new(),
            declared: None,
        })
        .collect();
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    let ls: Vec<DataLine> = (0..lines)
        .map(|_| {
            // Heavy-tailed: a few customers have most lines.
            let c = ((rng.next().powf(3.0)) * customers as f64) as u32;
            let revenue = 100.0 + rng.next() * 10_000.0;
            let cost = revenue * (0.6 + rng.next() * 0.5);
            DataLine {
                customer: c.min(customers as u32 - 1),
                date: start.checked_add_days(chrono::Days::new((rng.next() * 1460.0) as u64)),
                revenue: Some(revenue),
                cost: Some(cost),
                profit: Some(revenue - cost),
                category: None,
            }
        })
        .collect();
    Dataset { customers: cs.into(), lines: ls.into(), keys: Default::default(), categories: Default::default() }
}

fn main() {
    let n = env("BENCH_CUSTOMERS", 100_000);
    let mut rng = Rng(42);
    let values: Vec<CustomerValue> = (0..n as u32)
        .map(|id| CustomerValue { id, name: String::new(), value: (1.0 / (rng.next() + 0.001)) * if rng.next() < 0.2 { -0.3 } else { 1.0 } })
        .collect();
    let t = median(21, || concentration(&values, Thresholds::default()));
    println!("figures: {n} customers: {:.1} ms (target ≤ 20 ms)", t.as_secs_f64() * 1e3);

    let small = env("BENCH_DASH_CUSTOMERS", 50_000);
    let line_count = env("BENCH_LINES", 500_000);
    let data = dataset(small, line_count);
    let filter = Filter { from: NaiveDate::from_ymd_opt(2023, 1, 1), to: NaiveDate::from_ymd_opt(2023, 12, 31), ..Filter::default() };
    let req = |kind, w, h| ChartRequest {
        kind,
        measure: Measure::Profit,
        filter: filter.clone(),
        width: w,
        height: h,
        scale: 1,
        lang: Lang::ZhCn,
        currency: "¥".into(),
    };
    let mut ranked = data.values(Measure::Profit, &Filter::default());
    rank(&mut ranked);
    println!("dataset: {small} customers with sales, {line_count} lines");
    for kind in ChartKind::ALL {
        let png = median(5, || charts::chart(&data, &req(kind, 1920, 1080), ImageFormat::Png).unwrap());
        let svg = median(5, || charts::chart(&data, &req(kind, 1920, 1080), ImageFormat::Svg).unwrap());
        println!(
            "chart {kind:?} 1920×1080 ({small} customers, {line_count} lines, incl. values from lines): PNG {:.0} ms (target ≤ 150), SVG {:.0} ms (target ≤ 50)",
            png.as_secs_f64() * 1e3,
            svg.as_secs_f64() * 1e3
        );
    }
    let redraw = median(5, || {
        let d = dashboard(&data, Some(Measure::Profit), &filter);
        let c = charts::chart(&data, &req(ChartKind::Pareto, 1000, 460), ImageFormat::Svg).unwrap();
        (d, c)
    });
    println!(
        "filter change (dashboard figures + on-screen chart): {small} customers, {line_count} lines: {:.0} ms (target ≤ 100 ms)",
        redraw.as_secs_f64() * 1e3
    );

    let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let key: Vec<accounts::Account> =
        (0..200).map(|id| accounts::apply(None, id * 7, &Change::Promote, today).unwrap()).collect();
    let metrics = median(5, || Metrics::compute(&data));
    let m = Metrics::compute(&data);
    let page = median(5, || accounts::overview(&data, &m, &key, today));
    println!(
        "key accounts: {small} customers, {line_count} lines, {} accounts: metrics {:.0} ms (once per data change), page {:.1} ms",
        key.len(),
        metrics.as_secs_f64() * 1e3,
        page.as_secs_f64() * 1e3
    );

    // Risk, health and cost to serve of the 200 accounts, each with 10
    // contacts (one decision-level supporter) and 20 touches.
    let at = "2025-01-01T00:00:00+08:00";
    let notebooks: Vec<Notebook> = key
        .iter()
        .map(|a| {
            let mut nb = None;
            for i in 0..10 {
                let level = if i == 0 { Level::Decision } else { Level::Operational };
                let c = Contact { name: format!("联系人{i}"), level: Some(level), attitude: Some(Attitude::Supporter), ..Default::default() };
                nb = Some(nbk::apply(nb, a.customer, &nbk::Change::Save { item: Item::Contact(c) }, at).unwrap().0);
            }
            for k in 0..20 {
                let t = Touch { id: 0, date: today, kind: TouchKind::Visit, contacts: vec![1], summary: format!("拜访{k}"), next: String::new(), due: None, hours: Some(1.5), cost: Some(200.0), by: String::new(), removed: false };
                nb = Some(nbk::apply(nb, a.customer, &nbk::Change::Save { item: Item::Touch(t) }, at).unwrap().0);
            }
            nb.unwrap()
        })
        .collect();
    let risk_time = median(11, || insight::risk(&data, &key, &notebooks));
    let health_time = median(5, || insight::health(&data, &key, &notebooks, today, Lang::En));
    let cost_time = median(11, || insight::cost_to_serve(&data, &key, &notebooks, 100.0));
    let ws_time = median(5, || insight::whitespace(&data, &key, None, Lang::En));
    println!(
        "insight: {small} customers, {line_count} lines, {} accounts: risk panel {:.1} ms (target ≤ 50 ms); health {:.1} ms; cost to serve {:.1} ms; whitespace {:.1} ms",
        key.len(),
        risk_time.as_secs_f64() * 1e3,
        health_time.as_secs_f64() * 1e3,
        cost_time.as_secs_f64() * 1e3,
        ws_time.as_secs_f64() * 1e3
    );

    let seg_customers = env("BENCH_SEG_CUSTOMERS", 100_000);
    let seg_lines = env("BENCH_SEG_LINES", 1_000_000);
    let big = dataset(seg_customers, seg_lines);
    let seg = median(5, || insight::segments(&big, None, Windows::default()).unwrap());
    println!("segments: {seg_customers} customers, {seg_lines} lines: {:.0} ms (target ≤ 100 ms)", seg.as_secs_f64() * 1e3);
}
