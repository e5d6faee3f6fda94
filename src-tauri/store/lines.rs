//! Sales lines are stored in chunks (many lines per sled value) in a compact
//! binary layout: 1,000,000 lines are eight sled writes, not a million.
//!
//! Layout: `u32 count` (little-endian; bit 31 set: the lines carry no
//! fingerprint), then per line, numbers as varints (LEB128): the customer;
//! flags (which of date, revenue, cost, profit, quantity, order id, product
//! and category are present); the date as days from CE, zigzag; each present
//! amount as `2 × zigzag(cents)` when it is a whole number of cents (exactly:
//! decoding gives back the same `f64`), else `1` and its `f64`
//! (little-endian); the order id as length + UTF-8; the product as `0`,
//! length and UTF-8 where it first appears in the chunk, afterwards as its
//! place among the chunk's products (1-based); the category likewise (its
//! own list; flag bit 128, absent from chunks written before it existed).
//! Chunks written before schema 3 end each line with a `u128` fingerprint
//! (bit 31 of the count clear); it is skipped: a line's identity is worked
//! out from its content by the importer, so storing it (16 random bytes,
//! half of a compressed line) is not needed.
//!
//! A chunk is stored compressed: a zstd frame (level 1) of the layout above,
//! recognised by the frame's magic number in its first four bytes. As a
//! count these would be 4,247,762,216 lines (with bit 31 cleared,
//! 2,100,278,568), far more than a chunk holds, so chunks written
//! uncompressed (before compression) still decode as they are. A chunk is
//! compressed on its own thread when it is sealed, while the next one fills.
//! A typical line then takes about 20 bytes.
//!
//! An import's plan encodes its new lines as it finds them ([`LineEncoder`]),
//! straight from the borrowed cells: no per-line allocation, and the plan
//! holds the lines in the form the store writes ([`EncodedLines`]), so
//! committing copies nothing.

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use sled::IVec;

/// Lines per chunk. sled rewrites a tree's node with all its values after
/// ten changes to it, and a million lines in fewer than ten values are
/// written once instead of about twice.
pub const CHUNK_LINES: usize = 131_072;

/// The first bytes of a zstd frame: a compressed chunk.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
/// zstd's fastest level: a chunk of 131,072 lines in a few milliseconds.
const ZSTD_LEVEL: i32 = 1;
/// Room made up front for a decompressed chunk, at most (the size a frame
/// declares is a hint: a damaged one must not allocate gigabytes).
const MAX_PLAIN_HINT: u64 = 64 << 20;

const REVENUE: u8 = 1;
const COST: u8 = 2;
const PROFIT: u8 = 4;
const QUANTITY: u8 = 8;
const ORDER: u8 = 16;
const PRODUCT: u8 = 32;
const DATE: u8 = 64;
const CATEGORY: u8 = 128;
/// Bit 31 of a chunk's count: its lines carry no fingerprint.
const NO_FINGERPRINTS: u32 = 1 << 31;
/// Bytes of the fingerprint that ends each line of an older chunk.
const OLD_FINGERPRINT_BYTES: usize = 16;

/// Amounts that are whole cents (nearly all) are stored as integers.
const WHOLE_CENTS: u64 = 0;
const RAW_F64: u64 = 1;
/// Cents beyond this are not exact in an `f64`.
const MAX_CENTS: f64 = 9_007_199_254_740_992.0;

/// A stored line, borrowed from its chunk (or, while encoding, from the
/// source file's cells).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineRef<'a> {
    pub customer: u32,
    pub date: Option<NaiveDate>,
    pub order_id: Option<&'a str>,
    pub product: Option<&'a str>,
    /// The product's category (for whitespace analysis).
    pub category: Option<&'a str>,
    pub revenue: Option<f64>,
    pub cost: Option<f64>,
    pub profit: Option<f64>,
    pub quantity: Option<f64>,
}

/// Lines encoded into chunks, ready to be written one sled value each.
#[derive(Debug, Default)]
pub struct EncodedLines {
    chunks: Vec<IVec>,
    len: usize,
}

impl EncodedLines {
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunks, in order; each is one sled value.
    pub fn chunks(&self) -> &[IVec] {
        &self.chunks
    }

    /// Calls `f` for each line, in the order they were pushed.
    #[cfg(test)]
    pub fn for_each(&self, mut f: impl FnMut(LineRef<'_>)) -> Result<(), String> {
        self.chunks.iter().try_for_each(|chunk| decode_each(chunk, &mut f))
    }
}

/// Builds [`EncodedLines`] one line at a time.
#[derive(Debug, Default)]
pub struct LineEncoder {
    done: EncodedLines,
    /// Sealed chunks being compressed, in order.
    sealing: Vec<std::thread::JoinHandle<IVec>>,
    /// The chunk being filled: its count (patched when it is sealed), then
    /// its lines.
    open: Vec<u8>,
    open_lines: u32,
    /// The open chunk's products and categories, by their place in it.
    products: FxHashMap<Box<str>, u32>,
    categories: FxHashMap<Box<str>, u32>,
}

impl LineEncoder {
    pub fn push(&mut self, l: &LineRef<'_>) {
        let out = &mut self.open;
        if self.open_lines == 0 {
            out.clear();
            out.extend_from_slice(&0u32.to_le_bytes());
            self.products.clear();
            self.categories.clear();
        }
        put_varint(out, u64::from(l.customer));
        let flag = |present: bool, bit: u8| if present { bit } else { 0 };
        let flags = flag(l.revenue.is_some(), REVENUE)
            | flag(l.cost.is_some(), COST)
            | flag(l.profit.is_some(), PROFIT)
            | flag(l.quantity.is_some(), QUANTITY)
            | flag(l.order_id.is_some(), ORDER)
            | flag(l.product.is_some(), PRODUCT)
            | flag(l.date.is_some(), DATE)
            | flag(l.category.is_some(), CATEGORY);
        out.push(flags);
        if let Some(d) = l.date {
            put_varint(out, zigzag(i64::from(d.num_days_from_ce())));
        }
        for v in [l.revenue, l.cost, l.profit, l.quantity].into_iter().flatten() {
            put_amount(out, v);
        }
        if let Some(order_id) = l.order_id {
            put_text(out, order_id);
        }
        for (text, places) in [(l.product, &mut self.products), (l.category, &mut self.categories)] {
            if let Some(text) = text {
                put_listed(out, places, text);
            }
        }
        self.open_lines += 1;
        self.done.len += 1;
        if self.open_lines as usize == CHUNK_LINES {
            self.seal();
        }
    }

    /// Number of lines pushed so far.
    pub fn len(&self) -> usize {
        self.done.len
    }

    pub fn is_empty(&self) -> bool {
        self.done.len == 0
    }

    pub fn finish(mut self) -> EncodedLines {
        if self.open_lines > 0 {
            self.seal();
        }
        self.done.chunks = self.sealing.drain(..).map(|h| h.join().expect("compressing a chunk does not panic")).collect();
        self.done
    }

    /// Hands the open chunk to a thread that compresses it into the value
    /// sled will hold; the next chunk fills meanwhile.
    fn seal(&mut self) {
        self.open[..4].copy_from_slice(&(self.open_lines | NO_FINGERPRINTS).to_le_bytes());
        let size = self.open.len();
        let plain = std::mem::replace(&mut self.open, Vec::with_capacity(size));
        self.sealing.push(std::thread::spawn(move || compress(&plain)));
        self.open_lines = 0;
    }
}

/// A chunk's layout as the zstd frame it is stored as.
fn compress(plain: &[u8]) -> IVec {
    let packed = zstd::bulk::compress(plain, ZSTD_LEVEL).expect("zstd compresses in memory");
    debug_assert!(packed.starts_with(&ZSTD_MAGIC));
    IVec::from(packed)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_amount(out: &mut Vec<u8>, v: f64) {
    let cents = (v * 100.0).round();
    if cents.abs() < MAX_CENTS && (cents as i64 as f64 / 100.0).to_bits() == v.to_bits() {
        put_varint(out, (zigzag(cents as i64) << 1) | WHOLE_CENTS);
    } else {
        put_varint(out, RAW_F64);
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// A text repeated within a chunk: its place in the chunk's list once
/// listed, else `0` and the text (which joins the list).
fn put_listed(out: &mut Vec<u8>, places: &mut FxHashMap<Box<str>, u32>, text: &str) {
    match places.get(text) {
        Some(&place) => put_varint(out, u64::from(place)),
        None => {
            put_varint(out, 0);
            put_text(out, text);
            let place = places.len() as u32 + 1;
            places.insert(text.into(), place);
        }
    }
}

fn put_text(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Calls `f` for each line of a chunk, compressed or not. `Err` names what
/// is damaged.
pub fn decode_each(bytes: &[u8], f: impl FnMut(LineRef<'_>)) -> Result<(), String> {
    if bytes.starts_with(&ZSTD_MAGIC) {
        let hint = zstd::zstd_safe::get_frame_content_size(bytes).ok().flatten().unwrap_or(0).min(MAX_PLAIN_HINT);
        let mut plain = Vec::with_capacity(hint as usize);
        zstd::stream::copy_decode(bytes, &mut plain).map_err(|e| format!("compressed chunk damaged: {e}"))?;
        decode_plain(&plain, f)
    } else {
        decode_plain(bytes, f)
    }
}

/// [`decode_each`] of an uncompressed chunk.
fn decode_plain<'a>(bytes: &'a [u8], mut f: impl FnMut(LineRef<'a>)) -> Result<(), String> {
    let mut r = Reader(bytes);
    let word = u32::from_le_bytes(r.array()?);
    let (count, old_fingerprints) = (word & !NO_FINGERPRINTS, word & NO_FINGERPRINTS == 0);
    let mut products: Vec<&'a str> = Vec::new();
    let mut categories: Vec<&'a str> = Vec::new();
    for _ in 0..count {
        let customer = u32::try_from(r.varint()?).map_err(|_| "customer id out of range")?;
        let flags = r.take(1)?[0];
        let date = if flags & DATE != 0 {
            let days = i32::try_from(unzigzag(r.varint()?)).map_err(|_| "date out of range")?;
            Some(NaiveDate::from_num_days_from_ce_opt(days).ok_or("date out of range")?)
        } else {
            None
        };
        let mut amount = |bit: u8| if flags & bit != 0 { r.amount().map(Some) } else { Ok(None) };
        let (revenue, cost, profit, quantity) = (amount(REVENUE)?, amount(COST)?, amount(PROFIT)?, amount(QUANTITY)?);
        let order_id = if flags & ORDER != 0 { Some(r.text()?) } else { None };
        let product = if flags & PRODUCT != 0 { Some(r.listed(&mut products)?) } else { None };
        let category = if flags & CATEGORY != 0 { Some(r.listed(&mut categories)?) } else { None };
        if old_fingerprints {
            r.take(OLD_FINGERPRINT_BYTES)?;
        }
        f(LineRef { customer, date, order_id, product, category, revenue, cost, profit, quantity });
    }
    if r.0.is_empty() { Ok(()) } else { Err("trailing bytes after the last line".into()) }
}

/// The stored lines as their chunks (sled's values, shared, not copied),
/// each with the import that stored it (the first four bytes of its key):
/// what the importer reads again when it matches sales across files.
#[derive(Default, Clone)]
pub struct StoredLines {
    chunks: Vec<(u32, IVec)>,
}

impl std::fmt::Debug for StoredLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredLines({} chunks)", self.chunks.len())
    }
}

impl StoredLines {
    /// Adds lines as import `import` stores them (for tests and tools that
    /// plan against lines not in a store).
    pub fn push(&mut self, import: u32, lines: &EncodedLines) {
        self.chunks.extend(lines.chunks().iter().map(|c| (import, c.clone())));
    }

    /// Calls `f` for each line with its import, in import order.
    pub fn for_each(&self, mut f: impl FnMut(u32, LineRef<'_>)) -> Result<(), String> {
        self.chunks.iter().try_for_each(|(import, chunk)| decode_each(chunk, |l| f(*import, l)))
    }
}

impl super::Store {
    /// Every stored line's chunk and import (read-only).
    pub fn stored_lines(&self) -> crate::Result<StoredLines> {
        let mut chunks = Vec::new();
        for entry in self.sales.iter() {
            let (key, chunk) = entry.map_err(super::storage)?;
            let import = key.get(..4).map_or(0, |b| u32::from_be_bytes(b.try_into().expect("4 bytes")));
            chunks.push((import, chunk));
        }
        Ok(StoredLines { chunks })
    }
}

/// The unread rest of a chunk.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("chunk ends early".into());
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        Ok(self.take(N)?.try_into().expect("length checked"))
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("number too long".into())
    }

    fn amount(&mut self) -> Result<f64, String> {
        match self.varint()? {
            RAW_F64 => Ok(f64::from_le_bytes(self.array()?)),
            v if v & 1 == WHOLE_CENTS => Ok(unzigzag(v >> 1) as f64 / 100.0),
            _ => Err("unknown amount encoding".into()),
        }
    }

    /// A text written by `put_listed`.
    fn listed(&mut self, list: &mut Vec<&'a str>) -> Result<&'a str, String> {
        match self.varint()? {
            0 => {
                let t = self.text()?;
                list.push(t);
                Ok(t)
            }
            place => list.get(place as usize - 1).copied().ok_or_else(|| "unknown text reference".to_string()),
        }
    }

    fn text(&mut self) -> Result<&'a str, String> {
        let len = usize::try_from(self.varint()?).map_err(|_| "text too long")?;
        std::str::from_utf8(self.take(len)?).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(i: u32, order_id: &str) -> LineRef<'_> {
        LineRef {
            customer: i,
            date: if i.is_multiple_of(3) { None } else { NaiveDate::from_ymd_opt(2024, 1 + i % 12, 1 + i % 28) },
            order_id: i.is_multiple_of(2).then_some(order_id),
            product: match i % 5 {
                0 => Some("螺纹钢"),
                1 => Some("Pro A1"),
                _ => None,
            },
            category: match i % 3 {
                0 => Some("钢材"),
                1 => Some("Pro A1"),
                _ => None,
            },
            revenue: Some(i as f64 * 1.5),
            cost: (!i.is_multiple_of(4)).then_some(-(i as f64)),
            profit: None,
            quantity: Some(0.25),
        }
    }

    impl LineRef<'_> {
        /// Only customer, revenue and product.
        fn without_extras(self) -> Self {
            LineRef { date: None, order_id: None, category: None, cost: None, profit: None, quantity: None, ..self }
        }
    }

    fn encode(count: u32) -> EncodedLines {
        let mut encoder = LineEncoder::default();
        for i in 0..count {
            encoder.push(&line(i, &format!("SO-{i}")));
        }
        assert_eq!(encoder.len(), count as usize);
        encoder.finish()
    }

    #[test]
    fn lines_round_trip_across_chunks() {
        let count = CHUNK_LINES as u32 + 100;
        let encoded = encode(count);
        assert_eq!(encoded.len(), count as usize);
        assert_eq!(encoded.chunks().len(), 2);
        let mut i = 0;
        encoded
            .for_each(|l| {
                let order_id = format!("SO-{i}");
                assert_eq!(l, line(i, &order_id));
                i += 1;
            })
            .unwrap();
        assert_eq!(i, count);
    }

    #[test]
    fn chunks_are_compressed_and_uncompressed_ones_still_decode() {
        let encoded = encode(1000);
        let packed = &encoded.chunks()[0];
        assert!(packed.starts_with(&ZSTD_MAGIC));
        // The chunk as it was stored before compression.
        let plain = zstd::stream::decode_all(packed.as_ref()).unwrap();
        assert!(plain.len() > packed.len(), "compressed: {} of {} bytes", packed.len(), plain.len());
        assert_eq!(u32::from_le_bytes(plain[..4].try_into().unwrap()), 1000 | NO_FINGERPRINTS);
        let (mut from_plain, mut from_packed) = (Vec::new(), Vec::new());
        decode_each(&plain, |l| from_plain.push(format!("{l:?}"))).unwrap();
        decode_each(packed, |l| from_packed.push(format!("{l:?}"))).unwrap();
        assert_eq!(from_plain.len(), 1000);
        assert_eq!(from_plain, from_packed);
        for (i, l) in from_plain.iter().enumerate() {
            assert_eq!(*l, format!("{:?}", line(i as u32, &format!("SO-{i}"))));
        }
    }

    #[test]
    fn chunks_written_before_categories_existed_still_decode() {
        // One line as the first format wrote it: count, customer 7, flags
        // (revenue + product), revenue 100.00, product "P", fingerprint 9.
        let mut old = 1u32.to_le_bytes().to_vec();
        old.extend([7, REVENUE | PRODUCT]);
        put_amount(&mut old, 100.0);
        old.extend([0, 1, b'P']);
        old.extend(9u128.to_le_bytes());
        let mut back = Vec::new();
        decode_each(&old, |l| back.push((l.customer, l.revenue, l.product.map(String::from), l.category.map(String::from)))).unwrap();
        assert_eq!(back, vec![(7, Some(100.0), Some("P".to_string()), None)]);
        // The same line without its fingerprint is what is written now.
        let mut encoder = LineEncoder::default();
        encoder.push(&LineRef { customer: 7, revenue: Some(100.0), product: Some("P"), ..line(1, "") }.without_extras());
        let now = zstd::stream::decode_all(encoder.finish().chunks()[0].as_ref()).unwrap();
        assert_eq!(now[4..], old[4..old.len() - OLD_FINGERPRINT_BYTES]);
    }

    #[test]
    fn amounts_round_trip_exactly() {
        let amounts = [0.0, -0.0, 0.1, 0.125, 1.005, -123_456.78, 1e15, 1e20, -1e300, f64::MIN_POSITIVE, f64::NAN];
        let mut encoder = LineEncoder::default();
        for &v in &amounts {
            encoder.push(&LineRef { revenue: Some(v), cost: Some(-v), ..line(1, "") });
        }
        let mut back = Vec::new();
        encoder.finish().for_each(|l| back.push((l.revenue.unwrap(), l.cost.unwrap()))).unwrap();
        for (&v, (revenue, cost)) in amounts.iter().zip(back) {
            assert_eq!(revenue.to_bits(), v.to_bits(), "{v}");
            assert_eq!(cost.to_bits(), (-v).to_bits(), "{v}");
        }
    }

    #[test]
    fn nothing_pushed_is_no_chunk() {
        let encoded = encode(0);
        assert!(encoded.is_empty() && encoded.chunks().is_empty());
    }

    #[test]
    fn damaged_chunks_are_errors_not_panics() {
        let encoded = encode(3);
        let packed = encoded.chunks()[0].to_vec();
        let plain = zstd::stream::decode_all(packed.as_slice()).unwrap();
        for bytes in [&packed, &plain] {
            for cut in [0, 3, 10, bytes.len() - 1] {
                assert!(decode_each(&bytes[..cut], |_| {}).is_err(), "cut at {cut}");
            }
            let mut extra = bytes.to_vec();
            extra.push(0);
            assert!(decode_each(&extra, |_| {}).is_err());
        }
        let mut flipped = packed.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0xFF;
        let _ = decode_each(&flipped, |_| {}); // an error or other lines, never a panic
    }
}
