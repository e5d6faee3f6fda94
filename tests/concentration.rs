//! `vitalfew concentration` over the fixture ledger (4 customers; profits
//! 75,000 / 6,000 / 4,000 / −5,000; total 80,000).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn run(dir: &Path, args: &[&str]) -> Value {
    let o = Command::new(env!("CARGO_BIN_EXE_vitalfew")).arg("--data-dir").arg(dir).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

fn with_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger_gbk.csv");
    run(dir.path(), &["import", fixture.to_str().unwrap(), "--json"]);
    dir
}

fn close(v: &Value, x: f64) -> bool {
    v.as_f64().is_some_and(|v| (v - x).abs() < 1e-9)
}

#[test]
fn profit_figures_with_exact_field_names() {
    let dir = with_fixture();
    let c = run(dir.path(), &["concentration", "--json"]);
    assert_eq!(c["customers"], 4);
    assert!(close(&c["total"], 80000.0));
    assert!(close(&c["top20_share"], 0.9375));
    assert_eq!(c["customers_for_80"], 1);
    assert_eq!(c["unprofitable"], 1);
    assert!(close(&c["unprofitable_total"], -5000.0));
    assert!(close(&c["whale_peak_share"], 85000.0 / 80000.0));
    assert_eq!(c["whale_peak_at"], 3);
    assert!(close(&c["largest_share"], 0.9375));
    assert!(c["gini"].is_f64() && c["hhi"].is_f64());
    assert_eq!(c["abc"]["a"]["count"], 1);
    assert!(close(&c["abc"]["a"]["share"], 0.9375));
    assert_eq!(c["abc"]["b"]["count"], 1);
    assert_eq!(c["abc"]["c"]["count"], 2);
    assert!(close(&c["abc"]["c"]["share"], -0.0125));
}

#[test]
fn revenue_measure_and_period_filter() {
    let dir = with_fixture();
    let c = run(dir.path(), &["concentration", "--json", "--measure", "revenue"]);
    assert!(close(&c["total"], 395000.0));
    assert_eq!(c["unprofitable"], 0);
    // February to April: SO-002 (80,000), SO-003 (60,000), SO-004 (15,000).
    let p = run(dir.path(), &["concentration", "--json", "--measure", "revenue", "--from", "2024-02-01", "--to", "2024-04-30"]);
    assert_eq!(p["customers"], 3);
    assert!(close(&p["total"], 155000.0));
    let m = run(dir.path(), &["concentration", "--json", "--measure", "margin"]);
    assert!(close(&m["total"], 80000.0), "gross margin = revenue − cost");
}

#[test]
fn an_empty_period_says_na_not_nan() {
    let dir = with_fixture();
    let c = run(dir.path(), &["concentration", "--json", "--from", "2030-01-01"]);
    assert_eq!(c["customers"], 0);
    assert_eq!(c["top20_share"], Value::Null);
    assert!(c["na_reason"].as_str().unwrap().contains("no customers"));
    let o = Command::new(env!("CARGO_BIN_EXE_vitalfew"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["concentration", "--from", "2030-01-01"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("n/a") && !text.contains("NaN"), "{text}");
}

#[test]
fn a_bad_date_is_a_usage_error() {
    let o = Command::new(env!("CARGO_BIN_EXE_vitalfew")).args(["concentration", "--from", "2024-13-01"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

fn chart(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vitalfew")).arg("--data-dir").arg(dir).arg("chart").args(args).output().unwrap()
}

#[test]
fn chart_writes_png_at_1920_by_1080_and_svg() {
    let dir = with_fixture();
    let png = dir.path().join("pareto.png");
    let o = chart(dir.path(), &["pareto", "--out", png.to_str().unwrap(), "--lang", "zh-CN"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 1920);
    assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 1080);
    let svg = dir.path().join("whale.svg");
    let o = chart(dir.path(), &["whale", "--out", svg.to_str().unwrap(), "--width", "800", "--height", "600", "--measure", "revenue"]);
    assert!(o.status.success());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("width=\"800\"") && text.contains("Whale curve: cumulative revenue"));
}

#[test]
fn chart_draws_profit_vs_revenue() {
    let dir = with_fixture();
    let svg = dir.path().join("rvp.svg");
    // The measure is profit against revenue whatever --measure says.
    let o = chart(dir.path(), &["revenue-vs-profit", "--out", svg.to_str().unwrap(), "--measure", "margin"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("Profit is not revenue"), "title");
    assert!(text.contains("20% of customers → 93.8% of profit") && text.contains("but 68.4% of revenue"), "the top 20%'s two shares");
}

#[test]
fn chart_refuses_an_unknown_extension() {
    let dir = with_fixture();
    let o = chart(dir.path(), &["abc", "--out", dir.path().join("x.gif").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("must end in .png or .svg"));
}

#[test]
fn a_revenue_only_ledger_is_analysed_by_revenue_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cd_store.csv");
    // A ledger with no profit or cost column: 2 of 10 customers make most of the revenue.
    let mut csv = String::from("customer,date,amount\n");
    for (c, amount) in [(1, 500.0), (2, 300.0)].into_iter().chain((3..=10).map(|c| (c, 25.0))) {
        csv.push_str(&format!("C{c},2026-03-01,{amount}\n"));
    }
    std::fs::write(&file, csv).unwrap();
    run(dir.path(), &["import", file.to_str().unwrap(), "--json"]);
    let c = run(dir.path(), &["concentration", "--json"]);
    assert_eq!(c["measure"], "revenue");
    assert_eq!(c["measure_reason"], "Your files have no profit or cost column: figures are by revenue.");
    assert_eq!(c["customers"], 10);
    assert!(close(&c["total"], 1000.0));
    assert!(close(&c["top20_share"], 0.8), "the 80/20 headline, for revenue");
    // Asked for profit: the figures are n/a, and no reason is added.
    let p = run(dir.path(), &["concentration", "--measure", "profit", "--json"]);
    assert_eq!((p["measure"].as_str(), p.get("measure_reason")), (Some("profit"), None));
    assert!(p["top20_share"].is_null());
    // A chart without --measure is of revenue.
    let svg = dir.path().join("pareto.svg");
    let o = Command::new(env!("CARGO_BIN_EXE_vitalfew")).arg("--data-dir").arg(dir.path()).args(["chart", "pareto", "--out", svg.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("revenue") && !text.contains("of profit"), "a revenue chart");
}
