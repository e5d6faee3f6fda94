//! `vitalfew pack`: the meeting pack as a PDF, checked with poppler's
//! `pdfinfo` (pages, page size) and `pdftotext` (the text is real text, in
//! English and in Chinese).

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Cli;

/// Ten customers. 2026: 华东钢铁有限公司 5,000 profit on 10,000 revenue,
/// 北方建材集团 3,000 on 6,000, seven small ones 200 on 2,000 each, and 南方五金商行
/// −400 on 20,000: the top 20% (2) make 8,000 of 9,000 profit (88.9%) but
/// 16,000 of 50,000 revenue (32.0%). 华东钢铁 also bought in 2025 (1,000 on
/// 10,000): over all dates 90.0% of profit and 43.3% of revenue.
fn with_accounts() -> Cli {
    let c = Cli::new();
    let file = c.path().join("ledger.csv");
    let mut csv = String::from("客户编号,客户名称,日期,销售额,利润\n");
    csv.push_str("C1,华东钢铁有限公司,2026-03-01,10000,5000\nC1,华东钢铁有限公司,2025-06-01,10000,1000\n");
    csv.push_str("C2,北方建材集团,2026-04-01,6000,3000\n");
    for i in 3..=9 {
        csv.push_str(&format!("C{i},小客户{i}号商行,2026-05-0{},2000,200\n", i - 2));
    }
    csv.push_str("C10,南方五金商行,2026-06-01,20000,-400\n");
    std::fs::write(&file, csv).unwrap();
    c.ok(&["import", file.to_str().unwrap()]);
    for id in ["C1", "C2", "C3"] {
        c.ok(&["account", "promote", id]);
    }
    c.ok(&["account", "set-type", "C1", "economic"]);
    c.ok(&["contact", "add", "C1", "--name", "王伟", "--level", "decision", "--function", "finance", "--attitude", "supporter"]);
    c.ok(&["touch", "C1", "--kind", "visit", "--contact", "1", "--summary", "拜访王总，谈明年框架协议", "--date", "2026-11-02", "--next", "寄送报价单", "--due", "2026-12-15"]);
    c.ok(&["survey", "C1", "--date", "2026-11-10", "--product", "4", "--service", "5", "--delivery", "4", "--price", "3", "--overall", "4"]);
    c
}

fn out(c: &Cli, name: &str) -> PathBuf {
    c.path().join(name)
}

fn pack(c: &Cli, pdf: &Path, extra: &[&str]) -> String {
    let mut args = vec!["pack", "--out", pdf.to_str().unwrap()];
    args.extend_from_slice(extra);
    c.ok(&args)
}

/// `pdfinfo`: (pages, page size line).
fn info(pdf: &Path) -> (u32, String) {
    let o = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) is installed");
    assert!(o.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let field = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_else(|| panic!("{name} in {text}"));
    (field("Pages:").parse().unwrap(), field("Page size:"))
}

/// `pdftotext`: the text of every page, in reading order.
fn text(pdf: &Path) -> String {
    let o = Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    assert!(o.status.success(), "pdftotext: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Text with runs of white space as one space (a sentence may wrap).
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text without white space (Chinese lines break between any characters).
fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn catalog(lang: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("ui/src/locales/{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The charts: one page each.
const CHARTS: u32 = vitalfew::charts::ChartKind::ALL.len() as u32;
/// The cover, the charts, the table, then a page per key account.
const PAGES_BEFORE_ACCOUNTS: u32 = 1 + CHARTS + 1;

#[test]
fn an_english_pack_has_16_9_pages_and_real_text() {
    let c = with_accounts();
    let pdf = out(&c, "pack-en.pdf");
    let said = pack(&c, &pdf, &["--lang", "en"]);
    assert!(said.starts_with(&format!("Wrote {}", pdf.display())), "{said}");
    let (pages, size) = info(&pdf);
    assert_eq!(pages, PAGES_BEFORE_ACCOUNTS + 3);
    assert!(size.starts_with("960 x 540 pts"), "16:9 pages: {size}");
    let bytes = std::fs::read(&pdf).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).filter(|w| *w == needle).count();
    assert!(has(b"/Outlines") > 0, "bookmarks");
    assert_eq!(has(b"/Dest") as u32, PAGES_BEFORE_ACCOUNTS + 3, "a bookmark for the cover, each chart, the table and each account");
    let all = words(&text(&pdf));
    for needle in [
        "Meeting pack",
        "The top 20% of customers (2) make 90.0% of profit but 43.3% of revenue.",
        "Losing your largest key account, 华东钢铁有限公司, would cost 60.0% of profit.",
        "Your 3 key accounts together make 92.0% of profit.",
        "whose only decision-level supporter is 王伟",
        "Pareto",
        "Whale curve",
        "Key accounts",
        "北方建材集团",
        "Strategy card: Economic",
        "They care about price and the product itself.",
        "Buying map",
        "拜访王总，谈明年框架协议",
        "寄送报价单",
        "Latest overall score 4 of 5 (2026-11-10)",
    ] {
        assert!(all.contains(needle), "{needle:?} not in the PDF's text: {all}");
    }
}

#[test]
fn a_chinese_pack_has_chinese_labels_names_and_the_headline() {
    let c = with_accounts();
    let pdf = out(&c, "pack-zh.pdf");
    pack(&c, &pdf, &["--lang", "zh-CN", "--from", "2026-01-01", "--to", "2026-12-31"]);
    assert_eq!(info(&pdf).0, PAGES_BEFORE_ACCOUNTS + 3);
    let all = squeezed(&text(&pdf));
    let zh = catalog("zh-CN");
    let label = |key: &str| squeezed(zh[key].as_str().unwrap());
    for needle in [
        squeezed("前 20% 的客户（2 个）贡献了 88.9% 的利润，但只占 32.0% 的营业额。"),
        squeezed("2026年1月1日 – 2026年12月31日"),
        "华东钢铁有限公司".to_string(),
        "王伟".to_string(),
        label("pack.title"),
        label("accounts.title"),
        label("map.title"),
        label("type.economic"),
        label("strategy.economic.serve"),
    ] {
        assert!(all.contains(&needle), "{needle:?} not in the PDF's text: {all}");
    }
    assert!(!all.contains("Meeting pack"), "no English labels in a Chinese pack");
}

#[test]
fn choosing_accounts_changes_the_pages() {
    let c = with_accounts();
    let one = out(&c, "one.pdf");
    pack(&c, &one, &["--accounts", "C2", "--lang", "en"]);
    assert_eq!(info(&one).0, PAGES_BEFORE_ACCOUNTS + 1);
    let t = words(&text(&one));
    assert!(t.contains("北方建材集团") && !t.contains("拜访王总"), "only 北方建材集团's page: {t}");
    let two = out(&c, "two.pdf");
    pack(&c, &two, &["--accounts", "C1, C3", "--lang", "en"]);
    assert_eq!(info(&two).0, PAGES_BEFORE_ACCOUNTS + 2);
    let all = out(&c, "all.pdf");
    pack(&c, &all, &["--accounts", "all"]);
    assert_eq!(info(&all).0, PAGES_BEFORE_ACCOUNTS + 3);
}

#[test]
fn bad_arguments_fail_cleanly_and_write_nothing() {
    let c = with_accounts();
    let pdf = out(&c, "bad.pdf");
    let p = pdf.to_str().unwrap();
    c.fails(&["pack", "--out", p, "--accounts", "C99"], "there is no customer with id C99");
    c.fails(&["pack", "--out", p, "--accounts", "C5"], "is not a key account");
    c.fails(&["pack", "--out", p, "--accounts", "C1,,C2"], "an empty account ID");
    c.fails(&["pack", "--out", p, "--from", "2026-02-01", "--to", "2026-01-01"], "the period ends (2026-01-01) before it begins (2026-02-01)");
    let txt = out(&c, "pack.txt");
    c.fails(&["pack", "--out", txt.to_str().unwrap()], "give a file ending in .pdf");
    assert!(!pdf.exists() && !txt.exists(), "nothing written");
    // A folder that does not exist: the pack is built, the write fails.
    let nowhere = c.path().join("no/such/dir/pack.pdf");
    c.fails(&["pack", "--out", nowhere.to_str().unwrap()], "cannot write output");
    // Usage errors are clap's (exit 2).
    let o = c.cmd(&["pack", "--out", p, "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!pdf.exists());
}
