//! Sales lines are stored in chunks (many lines per sled value) in a compact
//! binary layout: 1,000,000 lines are a few dozen sled writes, not a million.
//!
//! Layout, little-endian: `u32 count`, then per line: `u32 customer`,
//! `i32 date` (days from CE, `i32::MIN` = none), `u8 flags`, the present ones
//! of revenue/cost/profit/quantity as `f64`, order id and product as
//! `u32 length + UTF-8`, then `u128 fingerprint`.

use chrono::{Datelike, NaiveDate};

use crate::model::SaleLine;

/// Lines per chunk.
pub const CHUNK_LINES: usize = 65_536;

const REVENUE: u8 = 1;
const COST: u8 = 2;
const PROFIT: u8 = 4;
const QUANTITY: u8 = 8;
const ORDER: u8 = 16;
const PRODUCT: u8 = 32;

/// A stored line, borrowed from its chunk.
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
    pub fingerprint: u128,
}

pub fn encode(lines: &[SaleLine]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + lines.len() * 48);
    out.extend_from_slice(&(lines.len() as u32).to_le_bytes());
    for l in lines {
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
        for s in [&l.order_id, &l.product].into_iter().flatten() {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        out.extend_from_slice(&l.fingerprint.to_le_bytes());
    }
    out
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

    fn line(i: u32) -> SaleLine {
        SaleLine {
            customer: i,
            date: if i % 3 == 0 { None } else { NaiveDate::from_ymd_opt(2024, 1 + i % 12, 1 + i % 28) },
            order_id: (i % 2 == 0).then(|| format!("SO-{i}")),
            product: (i % 5 == 0).then(|| "螺纹钢".to_string()),
            revenue: Some(i as f64 * 1.5),
            cost: (i % 4 != 0).then_some(-(i as f64)),
            profit: None,
            quantity: Some(0.25),
            fingerprint: u128::MAX - i as u128,
        }
    }

    #[test]
    fn lines_round_trip() {
        let lines: Vec<SaleLine> = (0..100).map(line).collect();
        let bytes = encode(&lines);
        let mut back = Vec::new();
        decode_each(&bytes, |l| back.push(l)).unwrap();
        assert_eq!(back.len(), 100);
        for (a, b) in lines.iter().zip(&back) {
            assert_eq!(a.customer, b.customer);
            assert_eq!(a.date, b.date);
            assert_eq!(a.order_id.as_deref(), b.order_id);
            assert_eq!(a.product.as_deref(), b.product);
            assert_eq!((a.revenue, a.cost, a.profit, a.quantity), (b.revenue, b.cost, b.profit, b.quantity));
            assert_eq!(a.fingerprint, b.fingerprint);
        }
    }

    #[test]
    fn damaged_chunks_are_errors_not_panics() {
        let bytes = encode(&[line(1), line(2)]);
        for cut in [0, 3, 10, bytes.len() - 1] {
            assert!(decode_each(&bytes[..cut], |_| {}).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode_each(&extra, |_| {}).is_err());
    }
}
