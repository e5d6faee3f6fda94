//! Sales lines are stored in chunks (many lines per sled value) in a compact
//! binary layout: 1,000,000 lines are a few dozen sled writes, not a million.
//!
//! Layout, little-endian: `u32 count`, then per line: `u32 customer`,
//! `i32 date` (days from CE, `i32::MIN` = none), `u8 flags`, the present ones
//! of revenue/cost/profit/quantity as `f64`, order id and product as
//! `u32 length + UTF-8`, then `u128 fingerprint`.
//!
//! An import's plan encodes its new lines as it finds them ([`LineEncoder`]),
//! straight from the borrowed cells: no per-line allocation, and the plan
//! holds the lines in the form the store writes ([`EncodedLines`]), so
//! committing copies nothing.

use chrono::{Datelike, NaiveDate};
use sled::IVec;

/// Lines per chunk.
pub const CHUNK_LINES: usize = 65_536;

const REVENUE: u8 = 1;
const COST: u8 = 2;
const PROFIT: u8 = 4;
const QUANTITY: u8 = 8;
const ORDER: u8 = 16;
const PRODUCT: u8 = 32;

/// A stored line, borrowed from its chunk (or, while encoding, from the
/// source file's cells).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineRef<'a> {
    pub customer: u32,
    pub date: Option<NaiveDate>,
    pub order_id: Option<&'a str>,
    pub product: Option<&'a str>,
    pub revenue: Option<f64>,
    pub cost: Option<f64>,
    pub profit: Option<f64>,
    pub quantity: Option<f64>,
    /// Identity of the line across imports: the same line in a later export
    /// has the same fingerprint; two identical lines in one file differ.
    pub fingerprint: u128,
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
    pub fn for_each<'a>(&'a self, mut f: impl FnMut(LineRef<'a>)) -> Result<(), String> {
        self.chunks.iter().try_for_each(|chunk| decode_each(chunk, &mut f))
    }
}

/// Builds [`EncodedLines`] one line at a time.
#[derive(Debug, Default)]
pub struct LineEncoder {
    done: EncodedLines,
    /// The chunk being filled: its count (patched when it is sealed), then
    /// its lines.
    open: Vec<u8>,
    open_lines: u32,
}

impl LineEncoder {
    pub fn push(&mut self, l: &LineRef<'_>) {
        let out = &mut self.open;
        if self.open_lines == 0 {
            out.clear();
            out.extend_from_slice(&0u32.to_le_bytes());
        }
        out.extend_from_slice(&l.customer.to_le_bytes());
        out.extend_from_slice(&l.date.map_or(i32::MIN, |d| d.num_days_from_ce()).to_le_bytes());
        let flag = |present: bool, bit: u8| if present { bit } else { 0 };
        let flags = flag(l.revenue.is_some(), REVENUE)
            | flag(l.cost.is_some(), COST)
            | flag(l.profit.is_some(), PROFIT)
            | flag(l.quantity.is_some(), QUANTITY)
            | flag(l.order_id.is_some(), ORDER)
            | flag(l.product.is_some(), PRODUCT);
        out.push(flags);
        for v in [l.revenue, l.cost, l.profit, l.quantity].into_iter().flatten() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for s in [l.order_id, l.product].into_iter().flatten() {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out.extend_from_slice(&l.fingerprint.to_le_bytes());
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
        self.done
    }

    /// Moves the open chunk into the finished ones (one copy, into the
    /// value sled will hold); its buffer is reused for the next chunk.
    fn seal(&mut self) {
        self.open[..4].copy_from_slice(&self.open_lines.to_le_bytes());
        self.done.chunks.push(IVec::from(self.open.as_slice()));
        self.open_lines = 0;
    }
}

/// Calls `f` for each line of a chunk. `Err` names what is damaged.
pub fn decode_each<'a>(mut bytes: &'a [u8], mut f: impl FnMut(LineRef<'a>)) -> Result<(), String> {
    fn take<'b>(bytes: &mut &'b [u8], n: usize) -> Result<&'b [u8], String> {
        if bytes.len() < n {
            return Err("chunk ends early".into());
        }
        let (head, tail) = bytes.split_at(n);
        *bytes = tail;
        Ok(head)
    }
    fn arr<const N: usize>(bytes: &mut &[u8]) -> Result<[u8; N], String> {
        Ok(take(bytes, N)?.try_into().expect("length checked"))
    }
    let count = u32::from_le_bytes(arr(&mut bytes)?);
    for _ in 0..count {
        let customer = u32::from_le_bytes(arr(&mut bytes)?);
        let days = i32::from_le_bytes(arr(&mut bytes)?);
        let date = if days == i32::MIN { None } else { NaiveDate::from_num_days_from_ce_opt(days) };
        let flags = take(&mut bytes, 1)?[0];
        let mut num = |bit: u8| -> Result<Option<f64>, String> {
            Ok(if flags & bit != 0 { Some(f64::from_le_bytes(arr(&mut bytes)?)) } else { None })
        };
        let (revenue, cost, profit, quantity) = (num(REVENUE)?, num(COST)?, num(PROFIT)?, num(QUANTITY)?);
        let mut text = |bit: u8| -> Result<Option<&'a str>, String> {
            if flags & bit == 0 {
                return Ok(None);
            }
            let len = u32::from_le_bytes(arr(&mut bytes)?) as usize;
            std::str::from_utf8(take(&mut bytes, len)?).map(Some).map_err(|e| e.to_string())
        };
        let (order_id, product) = (text(ORDER)?, text(PRODUCT)?);
        let fingerprint = u128::from_le_bytes(arr(&mut bytes)?);
        f(LineRef { customer, date, order_id, product, revenue, cost, profit, quantity, fingerprint });
    }
    if bytes.is_empty() { Ok(()) } else { Err("trailing bytes after the last line".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(i: u32, order_id: &str) -> LineRef<'_> {
        LineRef {
            customer: i,
            date: if i % 3 == 0 { None } else { NaiveDate::from_ymd_opt(2024, 1 + i % 12, 1 + i % 28) },
            order_id: (i % 2 == 0).then_some(order_id),
            product: (i % 5 == 0).then_some("螺纹钢"),
            revenue: Some(i as f64 * 1.5),
            cost: (i % 4 != 0).then_some(-(i as f64)),
            profit: None,
            quantity: Some(0.25),
            fingerprint: u128::MAX - i as u128,
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
        let mut back = Vec::new();
        encoded.for_each(|l| back.push(l)).unwrap();
        assert_eq!(back.len(), count as usize);
        for (i, b) in back.iter().enumerate() {
            let order_id = format!("SO-{i}");
            assert_eq!(*b, line(i as u32, &order_id));
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
        let bytes = &encoded.chunks()[0];
        for cut in [0, 3, 10, bytes.len() - 1] {
            assert!(decode_each(&bytes[..cut], |_| {}).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.to_vec();
        extra.push(0);
        assert!(decode_each(&extra, |_| {}).is_err());
    }
}
