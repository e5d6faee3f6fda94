//! Import benchmark: a synthetic sales ledger (Chinese headers, heavy-tailed
//! customer sizes) imported end to end into a fresh store.
//!
//! `cargo bench --bench import` (or `make bench`). Sizes can be lowered for a
//! quick run: `BENCH_LINES=100000 BENCH_CUSTOMERS=5000 BENCH_XLSX_LINES=10000`.
//!
//! Measured, one line each:
//! - a CSV of `BENCH_LINES` lines (default 1,000,000) and `BENCH_CUSTOMERS`
//!   customers (default 50,000): `import::prepare` (the plan) then
//!   `Store::commit_import` (one transaction and a flush), and the peak RSS of
//!   the process over that import (`VmHWM`, reset before it);
//! - where that time goes: the same file read, decoded and planned again
//!   phase by phase (nothing committed);
//! - a re-import of the same CSV into the same store (adds nothing);
//! - the same sales written another way (no product column): each line is
//!   matched to its stored sale by order, date and amount (adds nothing);
//! - an XLSX of `BENCH_XLSX_LINES` lines (default 100,000), real dates and
//!   numbers, imported into a fresh store;
//! - an e-invoice export (全量发票查询导出, 销项: the 27 columns of the
//!   national platform's 信息汇总表) of `BENCH_FAPIAO_LINES` invoice lines
//!   (default 200,000) to `BENCH_FAPIAO_BUYERS` buyers (default 5,000), with
//!   paper, red-letter and void invoices and renamed buyers, imported into a
//!   fresh store.
//!
//! `BENCH_FAPIAO_COPY=FILE` keeps a copy of the e-invoice XLSX.
//! Cases can be run alone by name: `cargo bench --bench import -- fapiao`
//! (names: csv, xlsx, fapiao; all by default).
//!
//! The generator is deterministic (splitmix64, fixed seed) and streams rows
//! to the file, so generating uses next to no memory.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use vitalfew::import::plan::{Existing, Plan};
use vitalfew::import::{self, ImportOptions, Source};
use vitalfew::store::Store;

#[path = "ledger.rs"]
mod ledger;
use ledger::*;

#[path = "process.rs"]
mod process;
use process::*;

/// When the bench commits (fixed, so runs are comparable).
const AT: &str = "2026-01-01T00:00:00Z";
/// What the project aims at for the CSV at full size on its 2-core machine:
/// time, peak RSS, and the store on disk after the import.
const TARGET_SECS: f64 = 1.5;
const TARGET_RSS_MB: f64 = 300.0;
const TARGET_STORE_MB: f64 = 50.0;
/// What the XLSX import must meet at full size.
const TARGET_XLSX_SECS: f64 = 3.0;
/// What the e-invoice import must meet at full size.
const TARGET_FAPIAO_SECS: f64 = 3.0;

fn main() {
    // Workbooks are read by the app's own binary, in a child process.
    import::workbook::use_reader(env!("CARGO_BIN_EXE_vitalfew").into());
    let lines = env_size("BENCH_LINES", 1_000_000);
    let customers = env_size("BENCH_CUSTOMERS", 50_000);
    let xlsx_lines = env_size("BENCH_XLSX_LINES", 100_000);
    // The workbook keeps the CSV's lines-per-customer ratio.
    let xlsx_customers = ((customers as u128 * xlsx_lines as u128 / lines as u128) as u64).clamp(1, xlsx_lines);
    assert!(customers <= lines, "BENCH_CUSTOMERS ({customers}) must not exceed BENCH_LINES ({lines})");
    let fapiao_lines = env_size("BENCH_FAPIAO_LINES", 200_000);
    let fapiao_buyers = env_size("BENCH_FAPIAO_BUYERS", 5_000);
    assert!(fapiao_buyers * 4 <= fapiao_lines, "BENCH_FAPIAO_BUYERS ({fapiao_buyers}) must be at most a quarter of BENCH_FAPIAO_LINES");

    // The cases named on the command line (cargo bench adds `--bench`), or all.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let run = |case: &str| only.is_empty() || only.iter().any(|o| o == case);
    let tmp = tempfile::Builder::new().prefix("vitalfew-bench-").tempdir().expect("temp dir");
    if run("csv") {
        csv_cases(tmp.path(), lines, customers);
    }
    if run("xlsx") {
        xlsx_case(tmp.path(), xlsx_lines, xlsx_customers);
    }
    if run("fapiao") {
        fapiao_case(tmp.path(), fapiao_lines, fapiao_buyers);
    }
}

/// The CSV ledger: imported, broken down by phase, imported again, and the
/// same sales written another way.
fn csv_cases(tmp: &Path, lines: u64, customers: u64) {
    // ---- CSV ------------------------------------------------------------
    let csv_path = tmp.join("ledger.csv");
    let t = Instant::now();
    let ledger = Ledger::new(lines, customers, SEED);
    let (top1, top20, largest) = (ledger.top_share(0.01), ledger.top_share(0.2), ledger.largest());
    write_csv(&csv_path, ledger).expect("write the CSV");
    let csv_bytes = std::fs::metadata(&csv_path).expect("CSV written").len();
    println!(
        "generated csv: {lines} lines, {customers} customers (largest {largest} lines; top 1% of customers hold \
         {:.0}% of lines, top 20% {:.0}%), {} in {}",
        top1 * 100.0,
        top20 * 100.0,
        mb(csv_bytes),
        secs(t.elapsed())
    );

    let store_dir = tmp.join("data-csv");
    let store = Store::open(&store_dir).expect("open a fresh store");
    let m = measure(&store, &csv_path);
    check_full_import(&m.plan, lines, customers);
    let store_bytes = dir_size(&store_dir);
    println!(
        "import csv: {lines} lines, {customers} customers, {}: {}, {}, store {} on disk",
        mb(csv_bytes),
        m.times(),
        m.rss.describe(),
        mb(store_bytes),
    );
    if lines >= 1_000_000 {
        let total = (m.plan_time + m.commit_time).as_secs_f64();
        let rss_mb = m.rss.peak.map_or(f64::NAN, |b| b as f64 / 1e6);
        let store_mb = store_bytes as f64 / 1e6;
        println!(
            "  target csv ≤ {TARGET_SECS} s: {} ({total:.2} s); ≤ {TARGET_RSS_MB} MB peak RSS: {} ({rss_mb:.1} MB); \
             store ≤ {TARGET_STORE_MB} MB on disk: {} ({store_mb:.1} MB)",
            verdict(total <= TARGET_SECS),
            verdict(rss_mb <= TARGET_RSS_MB),
            verdict(store_mb <= TARGET_STORE_MB),
        );
    }
    drop(m);

    breakdown(&csv_path);

    // Re-import: every line is stored already.
    let m = measure(&store, &csv_path);
    let p = &m.plan.preview;
    assert_eq!(p.sales_lines, lines, "re-import read every line");
    assert_eq!((p.new_lines, p.new_customers, p.changed_customers), (0, 0, 0), "re-import adds nothing");
    assert!(m.record.is_none(), "re-import commits nothing");
    println!(
        "re-import csv: {lines} lines into a store holding them: {}, {} new lines, {}",
        m.times(),
        p.new_lines,
        m.rss.describe(),
    );
    drop(m);

    // The same ledger from another program: no product column, so no line
    // is stored as it is and every one is matched to its stored sale.
    let other_path = tmp.join("ledger_other.csv");
    without_column(&csv_path, &other_path, 6).expect("write the other spelling");
    let m = measure(&store, &other_path);
    let p = &m.plan.preview;
    assert_eq!((p.new_lines, p.duplicates, p.new_customers), (0, lines, 0), "the same sales are not added again");
    println!(
        "import csv, same sales another way (no product column): {lines} lines into a store holding them: {}, {} duplicates, {}",
        m.times(),
        p.duplicates,
        m.rss.describe(),
    );
    drop(m);
    drop(store);
}

fn xlsx_case(tmp: &Path, xlsx_lines: u64, xlsx_customers: u64) {
    // ---- XLSX -----------------------------------------------------------
    let xlsx_path = tmp.join("ledger.xlsx");
    let t = Instant::now();
    write_xlsx(&xlsx_path, Ledger::new(xlsx_lines, xlsx_customers, SEED ^ 0xD1CE)).expect("write the XLSX");
    let xlsx_bytes = std::fs::metadata(&xlsx_path).expect("XLSX written").len();
    println!(
        "generated xlsx: {xlsx_lines} lines, {xlsx_customers} customers, {} in {}",
        mb(xlsx_bytes),
        secs(t.elapsed())
    );
    let store_dir = tmp.join("data-xlsx");
    let store = Store::open(&store_dir).expect("open a fresh store");
    let m = measure(&store, &xlsx_path);
    check_full_import(&m.plan, xlsx_lines, xlsx_customers);
    assert_eq!(m.plan.preview.format, "workbook");
    println!(
        "import xlsx: {xlsx_lines} lines, {xlsx_customers} customers, {}: {}, {}",
        mb(xlsx_bytes),
        m.times(),
        m.rss.describe(),
    );
    if xlsx_lines >= 100_000 {
        let total = (m.plan_time + m.commit_time).as_secs_f64();
        println!("  target xlsx ≤ {TARGET_XLSX_SECS} s: {}", verdict(total <= TARGET_XLSX_SECS));
    }
}

fn fapiao_case(tmp: &Path, lines: u64, buyers: u64) {
    // ---- E-invoice export (XLSX) ----------------------------------------
    let path = tmp.join("全量发票查询导出结果.xlsx");
    let t = Instant::now();
    let made = write_fapiao_xlsx(&path, lines, buyers, SEED ^ 0xFA_B1A0).expect("write the e-invoice XLSX");
    let bytes = std::fs::metadata(&path).expect("XLSX written").len();
    // A copy to profile the reader with (`vitalfew __read-workbook FILE`).
    if let Some(copy) = std::env::var_os("BENCH_FAPIAO_COPY") {
        std::fs::copy(&path, copy).expect("copy the e-invoice XLSX");
    }
    println!(
        "generated fapiao xlsx: {lines} invoice lines ({} invoices, {} red-letter lines, {} lines of void invoices), \
         {buyers} buyers ({} renamed), {} in {}",
        made.invoices,
        made.red_lines,
        made.void_lines,
        made.renamed,
        mb(bytes),
        secs(t.elapsed())
    );
    let store_dir = tmp.join("data-fapiao");
    let store = Store::open(&store_dir).expect("open a fresh store");
    let m = measure(&store, &path);
    let p = &m.plan.preview;
    let first_error = p.errors.first().map(import::plan::describe).unwrap_or_default();
    assert!(p.errors.is_empty() && p.skipped == 0, "{} rows skipped; first: {first_error}", p.skipped);
    assert_eq!(p.source, import::SourceKind::Fapiao, "recognised as an e-invoice export");
    assert_eq!(p.rows, lines, "rows read");
    let excluded: u64 = p.excluded.iter().map(|e| e.rows).sum();
    assert_eq!(excluded, made.void_lines, "void invoices left out");
    assert_eq!(p.new_lines, lines - made.void_lines, "new sales lines");
    assert_eq!(p.customers, buyers, "one customer per buyer tax ID");
    let total = (m.plan_time + m.commit_time).as_secs_f64();
    let (m_times, m_rss) = (m.times(), m.rss.describe());
    drop(m);
    // Where the time goes: the workbook reader alone (a child process that
    // parses the sheet and streams its rows back), on the same file again.
    let t = Instant::now();
    let book = import::workbook::read_isolated(&path, None, &AtomicBool::new(false)).expect("read the e-invoice XLSX");
    let read = t.elapsed();
    let cells: usize = book.rows.iter().map(|(_, cells)| cells.len()).sum();
    drop(book);
    println!(
        "import fapiao xlsx: {lines} lines, {buyers} buyers, {}, {cells} cells: {times}, {rss}; the workbook reader alone: {}",
        mb(bytes),
        secs(read),
        times = m_times,
        rss = m_rss,
    );
    if lines >= 200_000 {
        println!("  target fapiao xlsx ≤ {TARGET_FAPIAO_SECS} s: {} ({total:.2} s)", verdict(total <= TARGET_FAPIAO_SECS));
    }
}

/// What [`write_fapiao_xlsx`] wrote.
struct FapiaoFile {
    invoices: u64,
    red_lines: u64,
    void_lines: u64,
    renamed: u64,
}

/// The e-invoice export of `lines` invoice lines: invoices of 1–4 lines,
/// oldest first over 2025; every buyer has an invoice among the first ones,
/// then buyers are heavy-tailed. One invoice in 10 is a paper one (发票代码
/// and 发票号码, no 数电发票号码), one in 100 red-letter, one in 200 void;
/// one buyer in 50 renamed itself mid-year (same 购方识别号).
fn write_fapiao_xlsx(path: &Path, lines: u64, buyers: u64, seed: u64) -> Result<FapiaoFile, rust_xlsxwriter::XlsxError> {
    const HEADERS: [&str; 27] = [
        "序号", "发票代码", "发票号码", "数电发票号码", "销方识别号", "销方名称", "购方识别号", "购买方名称", "开票日期", "税收分类编码",
        "特定业务类型", "货物或应税劳务名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额", "价税合计", "发票来源", "发票票种",
        "发票状态", "是否正数发票", "发票风险等级", "开票人", "备注",
    ];
    // (category, goods, 规格型号, unit, tax code, price in cents)
    const GOODS: [(&str, &str, &str, &str, &str, i64); 8] = [
        ("家具", "办公椅", "KY-01", "把", "1050201010000000000", 80_000),
        ("家具", "办公桌", "BZ-1400", "张", "1050201010000000000", 200_000),
        ("家具", "文件柜", "WJG-4", "个", "1050201010000000000", 150_000),
        ("办公用品", "白板", "BB-90", "块", "1060512990000000000", 45_000),
        ("纸制品", "复印纸", "A4 70g", "箱", "1060301020100000000", 12_000),
        ("计算机外部设备", "显示器", "27英寸", "台", "1090511030000000000", 99_900),
        ("信息技术服务", "软件维护服务", "", "次", "3040201000000000000", 500_000),
        ("运输服务", "配送服务", "", "次", "3010101000000000000", 20_000),
    ];
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(state)
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("信息汇总表")?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let renamed = |b: u64| b % 50 == 7;
    let mut made = FapiaoFile { invoices: 0, red_lines: 0, void_lines: 0, renamed: (0..buyers).filter(|&b| renamed(b)).count() as u64 };
    let (mut row, mut name) = (0u64, String::new());
    while row < lines {
        let invoice = made.invoices;
        made.invoices += 1;
        let size = (1 + next() % 4).min(lines - row);
        // Every buyer first, then the larger buyers more often.
        let buyer = match invoice < buyers {
            true => invoice,
            false => {
                let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
                (u * u * u * buyers as f64) as u64
            }
        };
        let (paper, red, void) = (next() % 10 == 0, invoice >= buyers && next() % 100 == 0, invoice >= buyers && next() % 200 == 0);
        let day = row * 365 / lines;
        let (_, m, d) = ymd(day + 1461); // 2025
        let secs_of_day = next() % 86_400;
        let date = format!("2025-{m:02}-{d:02} {:02}:{:02}:{:02}", secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
        customer_name(buyer + 1, &mut name);
        if renamed(buyer) && day >= 182 {
            name = match name.strip_suffix("有限公司") {
                Some(base) => format!("{base}股份有限公司"),
                None => format!("{name}有限公司"),
            };
        }
        let buyer_id = format!("91310000{buyer:010}");
        let (code, number, electronic) = if paper {
            ("031001900111".to_string(), format!("{:08}", invoice % 100_000_000), String::new())
        } else {
            (String::new(), String::new(), format!("2531200000{invoice:010}"))
        };
        for _ in 0..size {
            let r = (row + 1) as u32;
            let (category, goods, spec, unit, tax_code, price) = GOODS[(next() % GOODS.len() as u64) as usize];
            let quantity = (1 + next() % 50) as i64 * if red { -1 } else { 1 };
            let amount = price * quantity;
            let tax = (amount * 13 + 50 * amount.signum()) / 100;
            let texts: [(u16, &str); 19] = [
                (1, code.as_str()),
                (2, number.as_str()),
                (3, electronic.as_str()),
                (4, "91310115MA1K2L3M4N"),
                (5, "上海青木家具有限公司"),
                (6, buyer_id.as_str()),
                (7, name.as_str()),
                (8, date.as_str()),
                (9, tax_code),
                (12, spec),
                (13, unit),
                (17, "13%"),
                (20, if paper { "增值税发票管理系统" } else { "电子发票服务平台" }),
                (21, if paper { "增值税专用发票" } else { "数电发票（增值税专用发票）" }),
                (22, if void { "已作废" } else { "正常" }),
                (23, if red { "否" } else { "是" }),
                (24, "正常"),
                (25, "张敏"),
                (26, if red { "被红冲蓝字数电发票号码：25312000000000000001" } else { "" }),
            ];
            sheet.write_number(r, 0, r as f64)?;
            for (c, t) in texts {
                if !t.is_empty() {
                    sheet.write_string(r, c, t)?;
                }
            }
            sheet.write_string(r, 11, format!("*{category}*{goods}"))?;
            sheet.write_number(r, 14, quantity as f64)?;
            sheet.write_number(r, 15, price as f64 / 100.0)?;
            sheet.write_number(r, 16, amount as f64 / 100.0)?;
            sheet.write_number(r, 18, tax as f64 / 100.0)?;
            sheet.write_number(r, 19, (amount + tax) as f64 / 100.0)?;
            made.red_lines += u64::from(red);
            made.void_lines += u64::from(void);
            row += 1;
        }
    }
    book.save(path)?;
    Ok(made)
}

/// `from` (a CSV without quoted fields) written to `to` without column `drop`.
fn without_column(from: &Path, to: &Path, drop: usize) -> std::io::Result<()> {
    use std::io::{BufRead, Write};
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(to)?);
    for line in std::io::BufReader::new(std::fs::File::open(from)?).lines() {
        let line = line?;
        let kept: Vec<&str> = line.split(',').enumerate().filter(|(i, _)| *i != drop).map(|(_, f)| f).collect();
        writeln!(w, "{}", kept.join(","))?;
    }
    w.flush()
}

// ---- Measuring -----------------------------------------------------------

struct Measured {
    plan: Plan,
    record: Option<vitalfew::model::ImportRecord>,
    plan_time: Duration,
    commit_time: Duration,
    /// CPU time of the whole process (all threads) over the import: on a
    /// busy machine the wall-clock times above include waiting for a core.
    cpu: Option<Duration>,
    rss: Rss,
}

impl Measured {
    /// `2.41 s (plan 1.90 s, commit 0.51 s; cpu 2.30 s)`
    fn times(&self) -> String {
        let cpu = self.cpu.map(|c| format!("; cpu {}", secs(c))).unwrap_or_default();
        format!(
            "{} (plan {}, commit {}{cpu})",
            secs(self.plan_time + self.commit_time),
            secs(self.plan_time),
            secs(self.commit_time)
        )
    }
}

/// Memory over one import, from `/proc/self/status` (all `None` elsewhere).
struct Rss {
    /// Whether `VmHWM` was reset before the import; if not, `peak` is the
    /// whole process's.
    reset: bool,
    /// Resident before the import (memory the allocator kept from earlier
    /// work counts here, and is reused before RSS grows).
    before: Option<u64>,
    /// Peak while planning.
    plan: Option<u64>,
    /// Resident when the commit starts (the plan, its file read and freed).
    commit: Option<u64>,
    /// Peak over the whole import.
    peak: Option<u64>,
}

impl Rss {
    fn describe(&self) -> String {
        let Some(peak) = self.peak else { return "peak RSS unknown (no /proc/self/status)".into() };
        let whole = if self.reset { "" } else { " (whole process: VmHWM could not be reset)" };
        let parts: Vec<String> = [("plan", self.plan), ("at commit", self.commit), ("before", self.before)]
            .into_iter()
            .filter_map(|(what, v)| v.map(|v| format!("{what} {}", mb(v))))
            .collect();
        format!("peak RSS {}{whole} ({})", mb(peak), parts.join(", "))
    }
}

/// `prepare` then `commit_import`, as the app does them.
fn measure(store: &Store, path: &Path) -> Measured {
    let reset = reset_peak_rss();
    let before = proc_status_bytes("VmRSS:");
    let cpu_start = cpu_time();
    let t = Instant::now();
    let plan = import::prepare(store, path, &ImportOptions::default(), &|_, _| {}, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("prepare {}: {e}", path.display()));
    let plan_time = t.elapsed();
    let plan_peak = proc_status_bytes("VmHWM:");
    let at_commit = proc_status_bytes("VmRSS:");
    let t = Instant::now();
    // The store's own commit: the app's automatic backup before an import
    // is measured by the backup bench (an empty store has none).
    let record = plan
        .preview
        .changes_anything()
        .then(|| store.commit_import(&plan.batch, plan.record(AT), store.generation()).expect("commit the import"));
    let commit_time = t.elapsed();
    let cpu = cpu_time().zip(cpu_start).map(|(end, start)| end.saturating_sub(start));
    let peak = proc_status_bytes("VmHWM:");
    Measured {
        plan,
        record,
        plan_time,
        commit_time,
        cpu,
        rss: Rss { reset, before, plan: plan_peak, commit: at_commit, peak },
    }
}

/// The plan imports the whole file: a bench that imports nothing must fail.
fn check_full_import(plan: &Plan, lines: u64, customers: u64) {
    let p = &plan.preview;
    let first_error = p.errors.first().map(import::plan::describe).unwrap_or_default();
    assert!(p.errors.is_empty() && p.skipped == 0, "{} rows skipped; first: {first_error}", p.skipped);
    assert!(p.warnings.is_empty(), "unexpected warnings: {:?}", p.warnings.first());
    assert_eq!(p.rows, lines, "rows read");
    assert_eq!(p.sales_lines, lines, "valid sales lines");
    assert_eq!(p.new_lines, lines, "new sales lines");
    assert_eq!(plan.batch.lines.len() as u64, lines, "lines to commit");
    assert_eq!(p.customers, customers, "customers in the file");
    assert_eq!(p.new_customers, customers, "new customers");
    assert!(p.profit.is_some(), "profit column read");
}

/// Where the CSV import's time goes, phase by phase (the same work as
/// `prepare` on an empty store, plus a bare pass over the rows).
fn breakdown(path: &Path) {
    let t = Instant::now();
    let bytes = std::fs::read(path).expect("read the CSV");
    let read = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(blake3::hash(&bytes));
    let hash = t.elapsed();
    let t = Instant::now();
    let encoding = import::text::detect_encoding(&bytes);
    let binary = import::text::looks_binary(&bytes, encoding);
    let detect = t.elapsed();
    let t = Instant::now();
    let text = import::text::decode(bytes, encoding).expect("decode");
    let decode = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(import::text::sniff_delimiter(&text));
    let sniff = t.elapsed();
    assert!(!binary);
    drop(text);

    let t = Instant::now();
    let source = Source::open(path, None, None, &AtomicBool::new(false)).expect("open the CSV");
    let open = t.elapsed();
    let t = Instant::now();
    let mut cells = 0usize;
    source
        .for_each_row(|_, row| {
            cells += row.len();
            true
        })
        .expect("rows");
    let rows = t.elapsed();
    let t = Instant::now();
    let plan = import::plan::plan(
        &source,
        &ImportOptions::default(),
        &Existing::default(),
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .expect("plan");
    let planned = t.elapsed();
    assert!(cells > 0 && !plan.batch.lines.is_empty());
    let t = Instant::now();
    drop(plan);
    drop(source);
    let dropped = t.elapsed();
    println!(
        "  csv breakdown: Source::open {} (read {}, blake3 {}, detect {}, decode {}, sniff {}); \
         bare row pass {}; plan::plan {} (= rows + parse/validate {}); dropping the plan {}",
        secs(open),
        secs(read),
        secs(hash),
        secs(detect),
        secs(decode),
        secs(sniff),
        secs(rows),
        secs(planned),
        secs(planned.saturating_sub(rows)),
        secs(dropped),
    );
}

fn write_xlsx(path: &Path, ledger: Ledger) -> Result<(), rust_xlsxwriter::XlsxError> {
    let products: Vec<String> = (0..ledger.products).map(product_name).collect();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("销售明细")?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let money_format = Format::new().set_num_format("#,##0.00");
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut name = String::new();
    for l in ledger {
        let r = l.number as u32;
        customer_name(l.customer, &mut name);
        let (y, m, d) = ymd(l.day);
        let date = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)?;
        sheet.write_string(r, 0, format!("SO-{:07}", l.number))?;
        sheet.write_datetime_with_format(r, 1, &date, &date_format)?;
        sheet.write_string(r, 2, format!("C{:05}", l.customer))?;
        sheet.write_string(r, 3, name.as_str())?;
        sheet.write_string(r, 4, region(l.customer))?;
        sheet.write_string(r, 5, industry(l.customer))?;
        sheet.write_string(r, 6, products[l.product].as_str())?;
        sheet.write_number(r, 7, l.quantity as f64)?;
        sheet.write_number_with_format(r, 8, l.sales as f64 / 100.0, &money_format)?;
        sheet.write_number_with_format(r, 9, l.cost as f64 / 100.0, &money_format)?;
        sheet.write_number_with_format(r, 10, (l.sales - l.cost) as f64 / 100.0, &money_format)?;
    }
    book.save(path)
}

// ---- Reporting -----------------------------------------------------------

/// Decimal megabytes, as file managers show them.
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}
