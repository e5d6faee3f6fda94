//! The synthetic sales ledger both import-side benchmarks use: Chinese
//! headers, heavy-tailed customer sizes, deterministic for a seed.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

pub const SEED: u64 = 0x5EED_1E06_E500_0001;
pub const HEADERS: [&str; 11] =
    ["订单号", "订单日期", "客户编号", "客户名称", "地区", "行业", "产品", "数量", "销售额", "成本", "利润"];
/// 2021-01-01 .. 2024-12-31.
pub const FIRST_YEAR: i32 = 2021;
pub const DAYS: u64 = 1461;


/// splitmix64: small, fast, good enough, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n < 2^32).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of a customer id: its properties never depend on the line stream.
pub fn id_hash(id: u64, salt: u64) -> u64 {
    mix(id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt)
}

pub const CITIES: [&str; 15] = [
    "北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "苏州", "天津", "重庆", "西安", "宁波", "厦门",
    "青岛",
];
pub const SYLLABLES: [&str; 40] = [
    "华", "恒", "瑞", "鑫", "宏", "盛", "泰", "达", "丰", "源", "通", "信", "宇", "博", "创", "嘉", "锦", "德", "兴",
    "隆", "安", "康", "富", "和", "正", "昌", "明", "新", "天", "海", "金", "力", "远", "中", "汇", "众", "佳", "益",
    "诚", "立",
];
pub const TRADES: [&str; 8] = ["科技", "贸易", "实业", "电子", "机械", "化工", "物流", "商贸"];
pub const SUFFIXES: [&str; 3] = ["有限公司", "集团", "商行"];
pub const REGIONS: [&str; 10] = ["广东", "浙江", "江苏", "上海", "北京", "山东", "四川", "湖北", "福建", "河南"];
pub const INDUSTRIES: [&str; 8] = ["制造业", "批发零售", "建筑业", "信息技术", "医药", "餐饮", "物流运输", "教育"];
pub const PRODUCT_BASES: [&str; 10] =
    ["不锈钢螺栓", "液压泵", "控制器", "传感器", "电缆", "轴承", "阀门", "电机", "变频器", "继电器"];
pub const PRODUCT_SERIES: [&str; 5] = ["A1", "B2", "C3", "X5", "Pro"];
pub const NAME_SPACE: u64 = (CITIES.len() * SYLLABLES.len() * SYLLABLES.len() * TRADES.len() * SUFFIXES.len()) as u64;

/// The customer's name: a bijection of its number into the name space, so
/// the first 576,000 customers all have different names.
pub fn customer_name(id: u64, out: &mut String) {
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

pub fn region(id: u64) -> &'static str {
    REGIONS[(id_hash(id, 1) % REGIONS.len() as u64) as usize]
}

pub fn industry(id: u64) -> &'static str {
    INDUSTRIES[(id_hash(id, 2) % INDUSTRIES.len() as u64) as usize]
}

/// The customer's usual cost as a share of sales: about one customer in ten
/// is sold to below cost.
pub fn cost_ratio(id: u64) -> f64 {
    let u = (id_hash(id, 3) >> 11) as f64 / (1u64 << 53) as f64;
    if u < 0.1 {
        1.02 + u * 1.5 // 1.02 .. 1.17
    } else {
        0.55 + (u - 0.1) / 0.9 * 0.4 // 0.55 .. 0.95
    }
}

pub fn product_name(i: usize) -> String {
    format!("{} {}", PRODUCT_BASES[i % PRODUCT_BASES.len()], PRODUCT_SERIES[i / PRODUCT_BASES.len()])
}

/// List price in cents, 5.00 .. ~2,000.00 yuan, log-spread.
pub fn product_price(i: usize) -> i64 {
    let u = (id_hash(i as u64, 4) >> 11) as f64 / (1u64 << 53) as f64;
    (500.0 * 400f64.powf(u)).round() as i64
}

/// One generated line.
pub struct Line {
    pub number: u64,
    /// Days after 2021-01-01.
    pub day: u64,
    pub customer: u64,
    pub product: usize,
    pub quantity: u64,
    /// Cents.
    pub sales: i64,
    pub cost: i64,
}

/// Generates the lines one at a time. Customer sizes are fixed up front
/// (Pareto, every customer at least one line), then lines are drawn without
/// replacement so the customers interleave like a real ledger.
pub struct Ledger {
    pub rng: Rng,
    pub lines: u64,
    pub emitted: u64,
    /// Fenwick tree over the lines each customer still has to get.
    pub remaining: Fenwick,
    pub sizes: Vec<u32>,
    pub products: usize,
}

impl Ledger {
    pub fn new(lines: u64, customers: u64, seed: u64) -> Ledger {
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
    pub fn largest(&self) -> u32 {
        self.sizes.iter().copied().max().unwrap_or(0)
    }

    /// Share of all lines held by the largest `fraction` of customers.
    pub fn top_share(&self, fraction: f64) -> f64 {
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
pub struct Fenwick {
    pub tree: Vec<u64>,
    pub top: usize,
}

impl Fenwick {
    pub fn new(sizes: &[u32]) -> Fenwick {
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
    pub fn take(&mut self, mut k: u64) -> usize {
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
pub fn ymd(day: u64) -> (i32, u32, u32) {
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

pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

pub fn write_csv(path: &Path, ledger: Ledger) -> std::io::Result<()> {
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

/// A fresh store in a temporary folder holding a ledger of `lines` lines and
/// `customers` customers, imported as the app does, and the API on it (the
/// folder lives as long as the returned guard).
pub fn imported(lines: u64, customers: u64) -> (tempfile::TempDir, vitalfew::api::Api) {
    use vitalfew::import::{self, ImportOptions};
    let tmp = tempfile::Builder::new().prefix("vitalfew-bench-").tempdir().expect("temp dir");
    let csv = tmp.path().join("ledger.csv");
    write_csv(&csv, Ledger::new(lines, customers, SEED)).expect("write the CSV");
    {
        let store = vitalfew::store::Store::open(tmp.path()).expect("open a fresh store");
        let plan = import::prepare(&store, &csv, &ImportOptions::default(), &|_, _| {}, &std::sync::atomic::AtomicBool::new(false)).expect("plan");
        store.commit_import(&plan.batch, plan.record("2026-01-01T00:00:00Z"), store.generation()).expect("commit");
    }
    let api = vitalfew::api::Api::new(tmp.path().to_path_buf());
    (tmp, api)
}
