//! Which customer and which stored sale a row is: customer keys, what is
//! already stored ([`Existing`]), the line fingerprints and sale keys, and the
//! stored sales a file's lines matched.
//!
//! Two rules decide whether a line is new:
//! - A line identical to a stored one is not new. Its identity is the hash
//!   of its customer, date, order, product and amounts plus its occurrence
//!   number k among identical lines: the k-th identical line of a file is
//!   new only when fewer than k are stored. Re-importing a file, or an
//!   overlapping later export, adds only new lines. Identities are worked
//!   out from the stored lines when a file is planned, never stored.
//! - A line that is not identical but has a stored line's order number, date
//!   and amount to the cent (and product, when both have one) is the same
//!   sale from another program, whatever the customer's spelling: counted as
//!   a duplicate, named with the import it came from, and added only when the
//!   owner asks (`ImportOptions::keep_duplicates`). Each stored line is
//!   matched once.

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use crate::import::mapping::fold_width;
use crate::import::remembered::RememberedMapping;
use crate::model::Customer;
use crate::store::lines::StoredLines;
use crate::store::LineRef;

/// Customer identity: by ID when there is one, else by normalized name
/// (trimmed, case- and width-folded, inner spaces collapsed).
pub fn customer_key(ext_id: Option<&str>, name: &str) -> String {
    match ext_id {
        Some(id) => format!("id:{}", normalize_name(id)),
        None => format!("name:{}", normalize_name(name)),
    }
}

pub fn normalize_name(s: &str) -> String {
    fold_width(s).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// What is already stored, as the planner needs it.
#[derive(Debug, Default)]
pub struct Existing {
    pub customers: Vec<Customer>,
    /// The identity of every stored line: the hash of its content plus k
    /// steps for the k-th line of that content (see [`Existing::add_line`]).
    pub fingerprints: FxHashSet<u128>,
    /// The stored lines again, read into [`Sales`] the first time a file's
    /// line may be one of them in another spelling: a line not stored itself
    /// with an order number and a date within those of the stored lines
    /// with one (never for a file whose lines are all stored, or all later).
    pub(super) stored: StoredLines,
    pub(super) with_order: u64,
    pub(super) order_days: Option<(i32, i32)>,
    pub(super) undated_orders: bool,
    pub(super) sales: OnceLock<Sales>,
    /// The file name of each import, by id.
    pub(super) import_names: FxHashMap<u32, String>,
    /// The mappings the owner corrected before (see [`remembered`](crate::import::remembered)).
    pub mappings: Vec<RememberedMapping>,
    pub(super) hash_input: Vec<u8>,
}

impl Existing {
    pub fn new(customers: Vec<Customer>, lines: usize) -> Existing {
        let mut fingerprints = FxHashSet::default();
        fingerprints.reserve(lines);
        Existing { customers, fingerprints, ..Existing::default() }
    }

    /// Adds a stored line. Lines of the same content get the occurrence
    /// numbers 1, 2, … in turn: an import stores the k-th line of a content
    /// only when fewer than k are stored, so a store holding m lines of a
    /// content holds exactly what occurrences 1..=m of it denote.
    pub fn add_line(&mut self, line: &LineRef<'_>) {
        let content = content_hash(&mut self.hash_input, line);
        let mut k = 1u128;
        while !self.fingerprints.insert(content.wrapping_add(k.wrapping_mul(OCCURRENCE_STEP))) {
            k += 1;
        }
        if line.order_id.is_some() {
            self.with_order += 1;
            match line.date.map(|d| d.num_days_from_ce()) {
                Some(day) => {
                    let (first, last) = self.order_days.get_or_insert((day, day));
                    (*first, *last) = ((*first).min(day), (*last).max(day));
                }
                None => self.undated_orders = true,
            }
        }
    }

    /// Whether a stored line with an order number may have this date.
    #[inline]
    pub(super) fn may_have_sale_on(&self, date: Option<NaiveDate>) -> bool {
        match date {
            Some(d) => self.order_days.is_some_and(|(first, last)| (first..=last).contains(&d.num_days_from_ce())),
            None => self.undated_orders,
        }
    }

    /// Keeps the stored lines (those given to [`Existing::add_line`]) with
    /// the imports that stored them, and the imports' file names, to match
    /// a file's lines to stored sales by order, date and amount.
    pub fn keep_lines(&mut self, stored: StoredLines, imports: impl IntoIterator<Item = (u32, String)>) {
        self.stored = stored;
        self.import_names.extend(imports);
    }

    /// Whether any line is stored.
    #[inline]
    pub(super) fn has_lines(&self) -> bool {
        !self.fingerprints.is_empty()
    }

    /// The stored sales, read from the kept lines at the first call.
    #[inline]
    pub(super) fn sales(&self) -> &Sales {
        self.sales.get_or_init(|| {
            let mut sales = Sales::default();
            sales.index.reserve(self.with_order as usize);
            // The chunks decoded once already (`add_line`).
            let _ = self.stored.for_each(|import, line| {
                if let Some(key) = sale_key(&line) {
                    sales.add(key, product_class(line.product), import);
                }
            });
            sales
        })
    }
}

/// The stored lines with an order number, by sale: an order number, a date
/// and an amount to the cent ([`sale_key`]).
#[derive(Debug, Default)]
pub(super) struct Sales {
    /// Each sale's place in `sales`.
    index: FxHashMap<u64, u32>,
    pub(super) sales: Vec<Sale>,
    /// For the sales whose lines name more than one product: per product
    /// class, how many lines.
    mixed: FxHashMap<u32, Vec<(u32, u32)>>,
}

/// The stored lines of one sale.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sale {
    lines: u32,
    /// Of those, lines without a product.
    bare: u32,
    /// The others' product class: the one they share, [`MIXED`] when they
    /// differ (`Sales::mixed` counts them), [`BARE`] when there are none.
    product: u32,
    /// The import that stored the first of them.
    pub(super) import: u32,
}

/// The product class of a line without a product.
const BARE: u32 = 0;
/// A sale whose lines name several products.
const MIXED: u32 = u32::MAX;

impl Sales {
    fn add(&mut self, key: u64, product: u32, import: u32) {
        let sales = &mut self.sales;
        let i = *self.index.entry(key).or_insert_with(|| {
            sales.push(Sale { lines: 0, bare: 0, product: BARE, import });
            (sales.len() - 1) as u32
        });
        let s = &mut self.sales[i as usize];
        s.lines += 1;
        if product == BARE {
            s.bare += 1;
        } else if s.product == BARE {
            s.product = product;
        } else if s.product == MIXED {
            add_count(self.mixed.entry(i).or_default(), product);
        } else if s.product != product {
            // The sale's first line of another product: count them apart.
            self.mixed.insert(i, vec![(s.product, s.lines - 1 - s.bare), (product, 1)]);
            s.product = MIXED;
        }
    }

    /// The sale `line` (of a file) would be a line of, if any is stored.
    #[inline]
    pub(super) fn find(&self, line: &LineRef<'_>) -> Option<u32> {
        self.index.get(&sale_key(line)?).copied()
    }

    fn stored_of(&self, i: u32, product: u32) -> u32 {
        self.mixed[&i].iter().find(|(p, _)| *p == product).map_or(0, |(_, n)| *n)
    }
}

/// One more of `product` in a short list of counts by product class.
fn add_count(counts: &mut Vec<(u32, u32)>, product: u32) {
    match counts.iter_mut().find(|(p, _)| *p == product) {
        Some((_, n)) => *n += 1,
        None => counts.push((product, 1)),
    }
}

/// How many of a sale's stored lines a file's lines have matched so far.
#[derive(Debug, Clone, Copy, Default)]
struct Taken {
    lines: u32,
    /// Of those, lines without a product.
    bare: u32,
}

/// Stored lines of sales that a file's lines matched: each stored line is
/// matched once, either by a line identical to it (see [`State::is_new`])
/// or by one of the same sale written differently ([`Matches::claim`]).
#[derive(Debug, Default, Clone)]
pub(super) struct Matches {
    /// Per sale (indexed as `Sales::sales`; sized on first use).
    taken: Vec<Taken>,
    /// Per mixed sale and product class, lines taken.
    mixed: FxHashMap<u32, Vec<(u32, u32)>>,
}

impl Matches {
    fn get(&self, i: u32) -> Taken {
        self.taken.get(i as usize).copied().unwrap_or_default()
    }

    fn taken_of(&self, i: u32, product: u32) -> u32 {
        self.mixed.get(&i).and_then(|m| m.iter().find(|(p, _)| *p == product)).map_or(0, |(_, n)| *n)
    }

    /// Stored lines of product class `product` (not `BARE`) of sale `i` left.
    fn left_of(&self, sales: &Sales, i: u32, product: u32) -> u32 {
        let s = &sales.sales[i as usize];
        let t = self.get(i);
        if s.product == MIXED {
            sales.stored_of(i, product).saturating_sub(self.taken_of(i, product))
        } else if s.product == product {
            (s.lines - s.bare).saturating_sub(t.lines - t.bare)
        } else {
            0
        }
    }

    fn bare_left(&self, sales: &Sales, i: u32) -> u32 {
        sales.sales[i as usize].bare.saturating_sub(self.get(i).bare)
    }

    /// Takes one stored line of class `product` of sale `i`.
    #[inline]
    pub(super) fn take(&mut self, sales: &Sales, i: u32, product: u32) {
        if self.taken.is_empty() {
            self.taken = vec![Taken::default(); sales.sales.len()];
        }
        let t = &mut self.taken[i as usize];
        t.lines += 1;
        if product == BARE {
            t.bare += 1;
        } else if sales.sales[i as usize].product == MIXED {
            add_count(self.mixed.entry(i).or_default(), product);
        }
    }

    /// Matches a line of product class `product` that is not stored itself
    /// to a stored line of sale `i` left: one of its product, else one
    /// without a product; a line without a product takes one without a
    /// product first, else one of any.
    #[inline]
    pub(super) fn claim(&mut self, sales: &Sales, i: u32, product: u32) -> bool {
        let class = if product != BARE {
            if self.left_of(sales, i, product) > 0 {
                Some(product)
            } else {
                (self.bare_left(sales, i) > 0).then_some(BARE)
            }
        } else if self.bare_left(sales, i) > 0 {
            Some(BARE)
        } else {
            match sales.sales[i as usize].product {
                BARE => None,
                MIXED => sales.mixed[&i].iter().map(|(p, _)| *p).find(|&p| self.left_of(sales, i, p) > 0),
                p => (self.left_of(sales, i, p) > 0).then_some(p),
            }
        };
        class.map(|class| self.take(sales, i, class)).is_some()
    }

    /// Whether, with `also` taken besides, some class of some sale is taken
    /// more often than it has lines.
    pub(super) fn overbooked_with(&self, sales: &Sales, also: &Matches) -> bool {
        self.taken.iter().enumerate().filter(|(_, t)| t.lines > 0).any(|(i, t)| {
            let i = i as u32;
            let s = &sales.sales[i as usize];
            let o = also.get(i);
            if t.bare + o.bare > s.bare {
                return true;
            }
            if s.product != MIXED {
                return (t.lines - t.bare) + (o.lines - o.bare) > s.lines - s.bare;
            }
            sales.mixed[&i].iter().any(|&(p, stored)| self.taken_of(i, p) + also.taken_of(i, p) > stored)
        })
    }
}

/// A large odd constant (from the golden ratio) to space occurrence numbers.
pub(super) const OCCURRENCE_STEP: u128 = 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835;

#[inline]
fn num_bytes(v: Option<f64>) -> [u8; 9] {
    let mut b = [0u8; 9];
    if let Some(v) = v {
        b[0] = 1;
        // -0.0 and 0.0 are the same amount.
        b[1..].copy_from_slice(&(v + 0.0).to_bits().to_le_bytes());
    }
    b
}

/// The hash of what identifies a line: its customer, date, order, product
/// and amounts (not its category, which files of another program may lack).
#[inline]
pub(super) fn content_hash(buf: &mut Vec<u8>, l: &LineRef<'_>) -> u128 {
    line_hash(buf, &[
        &l.customer.to_le_bytes(),
        &l.date.map_or(i32::MIN, |d| d.num_days_from_ce()).to_le_bytes(),
        l.order_id.unwrap_or("").as_bytes(),
        l.product.unwrap_or("").as_bytes(),
        &num_bytes(l.revenue),
        &num_bytes(l.cost),
        &num_bytes(l.profit),
        &num_bytes(l.quantity),
    ])
}

/// What makes a line the same sale in another file: its order number, date
/// and amount to the cent (revenue, else profit), hashed; `None` without an
/// order number or an amount. The hash is SipHash-1-3 (std's, with fixed
/// keys): never stored, only compared within one plan, and cheaper than
/// BLAKE3 on a few bytes; between a million stored sales and a million
/// lines, two keys are the same by chance about once in 10^7 such plans.
#[inline]
fn sale_key(l: &LineRef<'_>) -> Option<u64> {
    let order = l.order_id.filter(|o| !o.is_empty())?;
    let (kind, amount) = match (l.revenue, l.profit) {
        (Some(r), _) => (1u8, r),
        (None, Some(p)) => (2, p),
        (None, None) => return None,
    };
    let cents = cents(amount)?;
    let mut h = std::hash::DefaultHasher::new();
    // UTF-8 never holds 0xFF: the order number ends there.
    h.write(order.as_bytes());
    h.write_u8(0xFF);
    h.write_i32(l.date.map_or(i32::MIN, |d| d.num_days_from_ce()));
    h.write_i64(cents);
    h.write_u8(kind);
    Some(h.finish())
}

/// An amount in whole cents, as a spreadsheet shows it rounded: a half
/// cent that binary puts just below (1.005 is 1.00499…) rounds up.
#[inline]
pub(super) fn cents(v: f64) -> Option<i64> {
    let c = v * 100.0;
    if !c.is_finite() || c.abs() >= 9.0e15 {
        return None;
    }
    Some((c + c.signum() * c.abs().max(1.0) * 1e-12).round() as i64)
}

/// A product as the sale matching compares it (a hash: only products of one
/// sale are compared); [`BARE`] for none.
#[inline]
pub(super) fn product_class(product: Option<&str>) -> u32 {
    match product {
        None | Some("") => BARE,
        Some(p) => ((FxBuildHasher.hash_one(p) >> 32) as u32).clamp(BARE + 1, MIXED - 1),
    }
}

/// BLAKE3 of the parts, each preceded by its length. They are gathered in
/// `buf` (reused between lines) and hashed at once: many small updates of a
/// hasher cost more than the hashing.
#[inline]
pub(super) fn line_hash(buf: &mut Vec<u8>, parts: &[&[u8]]) -> u128 {
    buf.clear();
    for p in parts {
        buf.extend_from_slice(&(p.len() as u32).to_le_bytes());
        buf.extend_from_slice(p);
    }
    let out = blake3::hash(buf);
    u128::from_le_bytes(out.as_bytes()[..16].try_into().expect("16 bytes"))
}
