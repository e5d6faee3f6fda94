//! Backup and restore benchmark: a store holding a synthetic 1,000,000-line
//! ledger (50,000 customers), backed up to a file and restored from it
//! through the API the window and the command line call.
//!
//! `cargo bench --bench backup` (or `make bench`). `BENCH_LINES=100000` makes
//! it smaller (customers are always lines / 20).
//!
//! Measured, one line each, with the input size:
//! - the store's size on disk (every file under `<data dir>/store`);
//! - `Api::backup_to` (the owner's *Back up…*) and the backup file's size;
//! - `store::backup::verify` alone (the checksum over the whole file);
//! - `Api::restore` (verify, keep the current store as an automatic
//!   backup, rebuild the store from the file, swap it in, reopen it), then
//!   that the restored store holds every line;
//! - where those times go, phase by phase, through public functions only.
//!
//! The ledger is the import benchmark's (`tests/bench/import.rs`: same
//! generator, same seed), written as CSV and imported with
//! `Api::plan_import` + `Api::commit_import`.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use vitalfew::api::Api;
use vitalfew::import::ImportOptions;
use vitalfew::store::backup::{self, Kind};
use vitalfew::store::Store;

const SEED: u64 = 0x5EED_1E06_E500_0001;
const HEADERS: [&str; 11] =
    ["订单号", "订单日期", "客户编号", "客户名称", "地区", "行业", "产品", "数量", "销售额", "成本", "利润"];
/// 2021-01-01 .. 2024-12-31.
const FIRST_YEAR: i32 = 2021;
const DAYS: u64 = 1461;
/// What the project must meet at full size on its 2-core machine, for a
/// backup and for a restore each.
const TARGET_SECS: f64 = 2.0;
const FULL_SIZE: u64 = 1_000_000;

fn main() {
    let lines = env_size("BENCH_LINES", FULL_SIZE);
    let customers = (lines / 20).max(1);
    let size = format!("{lines} lines, {customers} customers");
    let full = lines >= FULL_SIZE;

    let tmp = tempfile::Builder::new().prefix("vitalfew-bench-backup-").tempdir().expect("temp dir");

    // ---- The store ------------------------------------------------------
    let csv_path = tmp.path().join("ledger.csv");
    let t = Instant::now();
    write_csv(&csv_path, Ledger::new(lines, customers, SEED)).expect("write the CSV");
    let csv_bytes = std::fs::metadata(&csv_path).expect("CSV written").len();
    println!("generated csv: {size}, {} in {}", mb(csv_bytes), secs(t.elapsed()));

    let data_dir = tmp.path().join("data");
    let t = Instant::now();
    {
        let api = Api::new(data_dir.clone());
        let planned = api
            .plan_import(&csv_path, &ImportOptions::default(), &|_, _| {}, &AtomicBool::new(false))
            .expect("plan the import");
        let p = &planned.plan.preview;
        assert!(p.errors.is_empty() && p.skipped == 0, "{} rows skipped", p.skipped);
        assert_eq!((p.sales_lines, p.new_lines, p.customers), (lines, lines, customers), "the whole file is imported");
        api.commit_import(planned).expect("commit the import").expect("the import changes the store");
    }
    let imported = t.elapsed();
    std::fs::remove_file(&csv_path).expect("remove the CSV");

    // The app started again: its first start of the day makes the daily
    // backup (the import above ran on an empty store, which has none). Done
    // here so that the restore below is not charged with it; in the app it
    // happens at start-up, once a day.
    let api = Api::new(data_dir.clone());
    let t = Instant::now();
    let info = api.info().expect("open the store");
    let reopened = t.elapsed();
    assert_eq!((info.sales_lines, info.customers), (lines, customers), "the store holds the import");
    assert!(api.backups().iter().any(|b| b.kind == Kind::Daily), "the first start of the day made the daily backup");
    let store_bytes = dir_size(&data_dir.join("store"));
    println!(
        "store: {size}: imported in {}; store on disk {}; reopened in {} (includes its daily backup)",
        secs(imported),
        mb(store_bytes),
        secs(reopened),
    );

    // ---- Backup ---------------------------------------------------------
    // A path outside the data dir, as the owner picks one: `backup_to` then
    // also copies the file into `<data dir>/backups/` (manual backups are
    // kept there too). That copy is part of what the owner's action costs,
    // so it stays inside the timing; the breakdown below shows it apart.
    let out_dir = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&out_dir).expect("output folder");
    let backup_path = out_dir.join("mine.vfbackup");
    let m = Measure::start();
    let written = api.backup_to(&backup_path).expect("back up");
    let backup = m.stop();
    let backup_bytes = std::fs::metadata(&backup_path).expect("backup written").len();
    assert_eq!(written.bytes, backup_bytes);
    assert_eq!(written.sales_lines, lines);
    println!(
        "backup: {size}: {}, file {} (store on disk {}) (target ≤ {TARGET_SECS} s, smaller than the store{})",
        secs(backup.wall),
        mb(backup_bytes),
        mb(store_bytes),
        judge(full, backup.wall.as_secs_f64() <= TARGET_SECS && backup_bytes < store_bytes),
    );
    println!("  {}; {:.1}× smaller than the store", backup.details(), store_bytes as f64 / backup_bytes as f64);

    let m = Measure::start();
    backup::verify(&backup_path).expect("the backup verifies");
    let verify = m.stop();
    println!("verify: {size}, file {}: {} ({})", mb(backup_bytes), secs(verify.wall), verify.details());

    // Where the backup's time goes: the same write into the backups folder
    // (`backup_to` copies nothing then), and the copy alone.
    let folder_path = backup::folder(&data_dir).join("bench-write-only.vfbackup");
    let t = Instant::now();
    api.backup_to(&folder_path).expect("back up into the backups folder");
    let write_only = t.elapsed();
    let copy_path = out_dir.join("copy.vfbackup");
    let t = Instant::now();
    std::fs::copy(&backup_path, &copy_path).expect("copy the backup");
    let copy = t.elapsed();
    std::fs::remove_file(&copy_path).expect("remove the copy");
    std::fs::remove_file(&folder_path).expect("remove the extra backup");
    println!(
        "  backup breakdown: write (read every tree, zstd, BLAKE3, fsync) {}, copy into backups/ {}",
        secs(write_only),
        secs(copy),
    );

    // ---- Restore --------------------------------------------------------
    // What the owner's *Restore* costs: the whole file verified, the
    // current store kept as an automatic backup, the store rebuilt from the
    // file beside the current one and swapped in, and reopened.
    let autos_before = api.backups().iter().filter(|b| b.kind == Kind::Auto).count();
    let m = Measure::start();
    let restored = api.restore(&backup_path, &|_| {}).expect("restore");
    let restore = m.stop();
    let info = api.info().expect("the restored store opens");
    assert_eq!(info.sales_lines, lines, "the restored store holds every line");
    assert_eq!(info.customers, customers, "the restored store holds every customer");
    assert_eq!(restored.sales_lines, lines);
    let autos_after = api.backups().iter().filter(|b| b.kind == Kind::Auto).count();
    assert_eq!(autos_after, autos_before + 1, "the restore kept the store it replaced as an automatic backup");
    let restored_bytes = dir_size(&data_dir.join("store"));
    println!(
        "restore: {size}, file {}: {} (target ≤ {TARGET_SECS} s{})",
        mb(backup_bytes),
        secs(restore.wall),
        judge(full, restore.wall.as_secs_f64() <= TARGET_SECS),
    );
    println!("  {}; restored store on disk {}, {} lines", restore.details(), mb(restored_bytes), info.sales_lines);

    // Where the restore's time goes. `Api::restore` verifies the file, then
    // writes the automatic backup (a backup's write, timed above), then
    // `store::backup::restore` verifies it again, builds and swaps; then
    // the store is opened. The last two are timed here on another folder.
    drop(api);
    let other = tmp.path().join("data-breakdown");
    std::fs::create_dir_all(&other).expect("another data dir");
    let t = Instant::now();
    backup::restore(&other, &backup_path, false, &|_| {}).expect("restore into another folder");
    let rebuilt = t.elapsed();
    let t = Instant::now();
    let store = Store::open(&other).expect("open the rebuilt store");
    let opened = t.elapsed();
    assert_eq!(store.line_count().expect("line count"), lines);
    drop(store);
    println!(
        "  restore breakdown: verify {} ×2, automatic backup ≈ write {}, build + swap {} (store::backup::restore {} \
         minus its verify), open {}; sum {}",
        secs(verify.wall),
        secs(write_only),
        secs(rebuilt.saturating_sub(verify.wall)),
        secs(rebuilt),
        secs(opened),
        secs(verify.wall + write_only + rebuilt + opened),
    );
}

// ---- Measuring -----------------------------------------------------------

/// Wall and CPU time and peak memory over one operation.
struct Measure {
    start: Instant,
    cpu: Option<Duration>,
    reset: bool,
    rss_before: Option<u64>,
}

struct Measured {
    wall: Duration,
    /// CPU time of the whole process (all threads): on a busy machine the
    /// wall-clock time includes waiting for a core.
    cpu: Option<Duration>,
    peak_rss: Option<u64>,
    reset: bool,
    /// Resident when it started (memory the allocator kept from earlier
    /// work counts here, and is reused before RSS grows).
    rss_before: Option<u64>,
}

impl Measure {
    fn start() -> Measure {
        let reset = reset_peak_rss();
        let rss_before = proc_status_bytes("VmRSS:");
        Measure { cpu: cpu_time(), reset, rss_before, start: Instant::now() }
    }

    fn stop(self) -> Measured {
        let wall = self.start.elapsed();
        let cpu = cpu_time().zip(self.cpu).map(|(end, start)| end.saturating_sub(start));
        Measured { wall, cpu, peak_rss: proc_status_bytes("VmHWM:"), reset: self.reset, rss_before: self.rss_before }
    }
}

impl Measured {
    /// `cpu 1.10 s, peak RSS 120.3 MB (before 80.1 MB)`
    fn details(&self) -> String {
        let cpu = self.cpu.map_or_else(|| "cpu unknown".to_string(), |c| format!("cpu {}", secs(c)));
        let rss = match self.peak_rss {
            Some(b) if self.reset => format!("peak RSS {}", mb(b)),
            Some(b) => format!("peak RSS {} (whole process: VmHWM could not be reset)", mb(b)),
            None => "peak RSS unknown".to_string(),
        };
        let before = self.rss_before.map(|b| format!(" (before {})", mb(b))).unwrap_or_default();
        format!("{cpu}, {rss}{before}")
    }
}

// ---- The synthetic ledger (from tests/bench/import.rs) -------------------

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
        Ledger { rng, lines, emitted: 0, remaining, products: PRODUCT_BASES.len() * PRODUCT_SERIES.len() }
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

/// `: met` / `: NOT met` at full size; nothing for a smaller run (the
/// targets are for 1,000,000 lines).
fn judge(full: bool, ok: bool) -> &'static str {
    match (full, ok) {
        (false, _) => "",
        (true, true) => ": met",
        (true, false) => ": NOT met",
    }
}
