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
//! - an XLSX of `BENCH_XLSX_LINES` lines (default 100,000), real dates and
//!   numbers, imported into a fresh store.
//!
//! The generator is deterministic (splitmix64, fixed seed) and streams rows
//! to the file, so generating uses next to no memory.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use vitalfew::import::plan::{Existing, Plan};
use vitalfew::import::{self, ImportOptions, Source};
use vitalfew::store::Store;

const SEED: u64 = 0x5EED_1E06_E500_0001;
const HEADERS: [&str; 11] =
    ["订单号", "订单日期", "客户编号", "客户名称", "地区", "行业", "产品", "数量", "销售额", "成本", "利润"];
/// 2021-01-01 .. 2024-12-31.
const FIRST_YEAR: i32 = 2021;
const DAYS: u64 = 1461;
/// When the bench commits (fixed, so runs are comparable).
const AT: &str = "2026-01-01T00:00:00Z";
/// What the project aims at for the CSV at full size on its 2-core machine:
/// time, peak RSS, and the store on disk after the import.
const TARGET_SECS: f64 = 1.5;
const TARGET_RSS_MB: f64 = 300.0;
const TARGET_STORE_MB: f64 = 50.0;
/// What the XLSX import must meet at full size.
const TARGET_XLSX_SECS: f64 = 3.0;

fn main() {
    // Workbooks are read by the app's own binary, in a child process.
    import::workbook::use_reader(env!("CARGO_BIN_EXE_vitalfew").into());
    let lines = env_size("BENCH_LINES", 1_000_000);
    let customers = env_size("BENCH_CUSTOMERS", 50_000);
    let xlsx_lines = env_size("BENCH_XLSX_LINES", 100_000);
    // The workbook keeps the CSV's lines-per-customer ratio.
    let xlsx_customers = ((customers as u128 * xlsx_lines as u128 / lines as u128) as u64).clamp(1, xlsx_lines);
    assert!(customers <= lines, "BENCH_CUSTOMERS ({customers}) must not exceed BENCH_LINES ({lines})");

    let tmp = tempfile::Builder::new().prefix("vitalfew-bench-").tempdir().expect("temp dir");

    // ---- CSV ------------------------------------------------------------
    let csv_path = tmp.path().join("ledger.csv");
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

    let store_dir = tmp.path().join("data-csv");
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
    drop(store);

    // ---- XLSX -----------------------------------------------------------
    let xlsx_path = tmp.path().join("ledger.xlsx");
    let t = Instant::now();
    write_xlsx(&xlsx_path, Ledger::new(xlsx_lines, xlsx_customers, SEED ^ 0xD1CE)).expect("write the XLSX");
    let xlsx_bytes = std::fs::metadata(&xlsx_path).expect("XLSX written").len();
    println!(
        "generated xlsx: {xlsx_lines} lines, {xlsx_customers} customers, {} in {}",
        mb(xlsx_bytes),
        secs(t.elapsed())
    );
    let store_dir = tmp.path().join("data-xlsx");
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

// ---- The synthetic ledger ------------------------------------------------

/// splitmix64: small, fast, good enough, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n < 2^32).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of a customer id: its properties never depend on the line stream.
fn id_hash(id: u64, salt: u64) -> u64 {
    mix(id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt)
}

const CITIES: [&str; 15] = [
    "北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "苏州", "天津", "重庆", "西安", "宁波", "厦门",
    "青岛",
];
const SYLLABLES: [&str; 40] = [
    "华", "恒", "瑞", "鑫", "宏", "盛", "泰", "达", "丰", "源", "通", "信", "宇", "博", "创", "嘉", "锦", "德", "兴",
    "隆", "安", "康", "富", "和", "正", "昌", "明", "新", "天", "海", "金", "力", "远", "中", "汇", "众", "佳", "益",
    "诚", "立",
];
const TRADES: [&str; 8] = ["科技", "贸易", "实业", "电子", "机械", "化工", "物流", "商贸"];
const SUFFIXES: [&str; 3] = ["有限公司", "集团", "商行"];
const REGIONS: [&str; 10] = ["广东", "浙江", "江苏", "上海", "北京", "山东", "四川", "湖北", "福建", "河南"];
const INDUSTRIES: [&str; 8] = ["制造业", "批发零售", "建筑业", "信息技术", "医药", "餐饮", "物流运输", "教育"];
const PRODUCT_BASES: [&str; 10] =
    ["不锈钢螺栓", "液压泵", "控制器", "传感器", "电缆", "轴承", "阀门", "电机", "变频器", "继电器"];
const PRODUCT_SERIES: [&str; 5] = ["A1", "B2", "C3", "X5", "Pro"];
const NAME_SPACE: u64 = (CITIES.len() * SYLLABLES.len() * SYLLABLES.len() * TRADES.len() * SUFFIXES.len()) as u64;

/// The customer's name: a bijection of its number into the name space, so
/// the first 576,000 customers all have different names.
fn customer_name(id: u64, out: &mut String) {
    // 7919 is prime and does not divide the name space: a permutation.
    let mut k = (id - 1) % NAME_SPACE * 7919 % NAME_SPACE;
    let mut pick = |n: usize| {
        let i = (k % n as u64) as usize;
        k /= n as u64;
        i
    };
    let (city, a, b, trade, suffix) =
        (pick(CITIES.len()), pick(SYLLABLES.len()), pick(SYLLABLES.len()), pick(TRADES.len()), pick(SUFFIXES.len()));
    out.clear();
    for part in [CITIES[city], SYLLABLES[a], SYLLABLES[b], TRADES[trade], SUFFIXES[suffix]] {
        out.push_str(part);
    }
}

fn region(id: u64) -> &'static str {
    REGIONS[(id_hash(id, 1) % REGIONS.len() as u64) as usize]
}

fn industry(id: u64) -> &'static str {
    INDUSTRIES[(id_hash(id, 2) % INDUSTRIES.len() as u64) as usize]
}

/// The customer's usual cost as a share of sales: about one customer in ten
/// is sold to below cost.
fn cost_ratio(id: u64) -> f64 {
    let u = (id_hash(id, 3) >> 11) as f64 / (1u64 << 53) as f64;
    if u < 0.1 {
        1.02 + u * 1.5 // 1.02 .. 1.17
    } else {
        0.55 + (u - 0.1) / 0.9 * 0.4 // 0.55 .. 0.95
    }
}

fn product_name(i: usize) -> String {
    format!("{} {}", PRODUCT_BASES[i % PRODUCT_BASES.len()], PRODUCT_SERIES[i / PRODUCT_BASES.len()])
}

/// List price in cents, 5.00 .. ~2,000.00 yuan, log-spread.
fn product_price(i: usize) -> i64 {
    let u = (id_hash(i as u64, 4) >> 11) as f64 / (1u64 << 53) as f64;
    (500.0 * 400f64.powf(u)).round() as i64
}

/// One generated line.
struct Line {
    number: u64,
    /// Days after 2021-01-01.
    day: u64,
    customer: u64,
    product: usize,
    quantity: u64,
    /// Cents.
    sales: i64,
    cost: i64,
}

/// Generates the lines one at a time. Customer sizes are fixed up front
/// (Pareto, every customer at least one line), then lines are drawn without
/// replacement so the customers interleave like a real ledger.
struct Ledger {
    rng: Rng,
    lines: u64,
    emitted: u64,
    /// Fenwick tree over the lines each customer still has to get.
    remaining: Fenwick,
    sizes: Vec<u32>,
    products: usize,
}

impl Ledger {
    fn new(lines: u64, customers: u64, seed: u64) -> Ledger {
        assert!((1..=lines).contains(&customers));
        let mut rng = Rng(seed);
        // Pareto with α = 1.16 (the "80/20" tail).
        let alpha = 1.16;
        let weights: Vec<f64> = (0..customers).map(|_| (1.0 - rng.unit()).powf(-1.0 / alpha)).collect();
        let total: f64 = weights.iter().sum();
        let extra = (lines - customers) as f64;
        let mut sizes: Vec<u32> = weights.iter().map(|w| 1 + (extra * w / total) as u32).collect();
        let mut assigned: u64 = sizes.iter().map(|&s| u64::from(s)).sum();
        // Rounding left a few lines over: one more each to the first customers.
        let (mut i, n) = (0, sizes.len());
        while assigned < lines {
            sizes[i % n] += 1;
            assigned += 1;
            i += 1;
        }
        let remaining = Fenwick::new(&sizes);
        Ledger { rng, lines, emitted: 0, remaining, sizes, products: PRODUCT_BASES.len() * PRODUCT_SERIES.len() }
    }

    /// Lines of the largest customer.
    fn largest(&self) -> u32 {
        self.sizes.iter().copied().max().unwrap_or(0)
    }

    /// Share of all lines held by the largest `fraction` of customers.
    fn top_share(&self, fraction: f64) -> f64 {
        let mut s = self.sizes.clone();
        s.sort_unstable_by(|a, b| b.cmp(a));
        let n = ((s.len() as f64 * fraction).ceil() as usize).max(1);
        s[..n].iter().map(|&x| x as f64).sum::<f64>() / self.lines as f64
    }
}

impl Iterator for Ledger {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.emitted == self.lines {
            return None;
        }
        let left = self.lines - self.emitted;
        let slot = self.rng.below(left);
        let index = self.remaining.take(slot);
        self.emitted += 1;
        let customer = index as u64 + 1;
        let product = self.rng.below(self.products as u64) as usize;
        let day = self.rng.below(DAYS);
        // Mostly small orders, now and then a big one: 1..=500.
        let quantity = (1 + (self.rng.unit().powi(3) * 500.0) as u64).min(500);
        let discount = 0.85 + 0.15 * self.rng.unit();
        let sales = (product_price(product) as f64 * quantity as f64 * discount).round() as i64;
        let ratio = cost_ratio(customer) + (self.rng.unit() - 0.5) * 0.16;
        let cost = (sales as f64 * ratio).round() as i64;
        Some(Line { number: self.emitted, day, customer, product, quantity, sales, cost })
    }
}

/// Prefix sums over per-customer counts, to draw "the k-th remaining line".
struct Fenwick {
    tree: Vec<u64>,
    top: usize,
}

impl Fenwick {
    fn new(sizes: &[u32]) -> Fenwick {
        let n = sizes.len();
        let mut tree = vec![0u64; n + 1];
        for (i, &s) in sizes.iter().enumerate() {
            tree[i + 1] += u64::from(s);
            let parent = (i + 1) + ((i + 1) & (i + 1).wrapping_neg());
            if parent <= n {
                tree[parent] += tree[i + 1];
            }
        }
        let top = if n == 0 { 0 } else { 1 << (usize::BITS - 1 - n.leading_zeros()) };
        Fenwick { tree, top }
    }

    /// The index whose cumulative range holds `k` (0-based), decremented.
    fn take(&mut self, mut k: u64) -> usize {
        let mut pos = 0;
        let mut step = self.top;
        while step > 0 {
            let next = pos + step;
            if next < self.tree.len() && self.tree[next] <= k {
                pos = next;
                k -= self.tree[next];
            }
            step >>= 1;
        }
        // pos is the 0-based index of the chosen entry.
        let mut i = pos + 1;
        while i < self.tree.len() {
            self.tree[i] -= 1;
            i += i & i.wrapping_neg();
        }
        pos
    }
}

/// (year, month, day) of `day` days after 2021-01-01.
fn ymd(day: u64) -> (i32, u32, u32) {
    let mut d = day as u32;
    let mut year = FIRST_YEAR;
    loop {
        let len = if year % 4 == 0 { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        year += 1;
    }
    let leap = year % 4 == 0;
    for (m, len) in [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31].into_iter().enumerate() {
        if d < len {
            return (year, m as u32 + 1, d + 1);
        }
        d -= len;
    }
    unreachable!("day within the year")
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn write_csv(path: &Path, ledger: Ledger) -> std::io::Result<()> {
    let products: Vec<String> = (0..ledger.products).map(product_name).collect();
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "{}", HEADERS.join(","))?;
    let mut name = String::new();
    let mut row = String::new();
    for l in ledger {
        customer_name(l.customer, &mut name);
        let (y, m, d) = ymd(l.day);
        row.clear();
        let _ = writeln!(
            row,
            "SO-{:07},{y}-{m:02}-{d:02},C{:05},{name},{},{},{},{},{},{},{}",
            l.number,
            l.customer,
            region(l.customer),
            industry(l.customer),
            products[l.product],
            l.quantity,
            money(l.sales),
            money(l.cost),
            money(l.sales - l.cost),
        );
        w.write_all(row.as_bytes())?;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()
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

fn env_size(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .replace(['_', ','], "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or_else(|| panic!("{name}={v}: expected a positive whole number")),
        Err(_) => default,
    }
}

/// A `kB` field of `/proc/self/status` (`VmHWM:` the peak resident set
/// size, `VmRSS:` the current one), in bytes. Linux only.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// User + system CPU time of the process so far (all threads), from
/// `/proc/self/stat` (in USER_HZ = 100 ticks per second). Linux only.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is 3rd,
    // utime the 14th and stime the 15th of the whole line.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0), so the next reading is
/// the peak of what follows. False when it cannot.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

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
