//! Customers are stored in chunks of up to [`CHUNK_CUSTOMERS`] (by id), one
//! sled value each: 50,000 customers are 49 writes, not 50,000. sled keeps
//! every value it writes in memory until the write is durable, and per-value
//! overhead made one import of 50,000 customers cost 240 MB and 0.45 s.
//!
//! Key: the chunk number `id / CHUNK_CUSTOMERS` (u32, big-endian). Value:
//! `u32 count` (little-endian), the `count` customer ids (u32 little-endian,
//! ascending), then one zstd frame (level 1) of the customers as a JSON
//! array in id order. The ids up front answer "does customer N exist" and
//! "how many customers" without decompressing anything.

use std::collections::BTreeMap;

use sled::IVec;

use crate::model::Customer;

/// Customers per chunk: a changed customer rewrites its chunk (about 40 KB
/// compressed), and a full one decodes in about a millisecond.
pub const CHUNK_CUSTOMERS: u32 = 1024;

const ZSTD_LEVEL: i32 = 1;
/// Room made up front for a decompressed chunk, at most (a damaged one must
/// not allocate gigabytes).
const MAX_PLAIN_HINT: u64 = 16 << 20;

/// The key of the chunk holding customer `id`.
pub fn chunk_key(id: u32) -> [u8; 4] {
    (id / CHUNK_CUSTOMERS).to_be_bytes()
}

/// A chunk's customers, in id order, as the store writes them.
pub fn encode(customers: &[Customer]) -> IVec {
    debug_assert!(customers.windows(2).all(|w| w[0].id < w[1].id), "customers in id order");
    let mut out = Vec::with_capacity(4 + 4 * customers.len() + 64 * customers.len());
    out.extend_from_slice(&(customers.len() as u32).to_le_bytes());
    for c in customers {
        out.extend_from_slice(&c.id.to_le_bytes());
    }
    let json = serde_json::to_vec(customers).expect("customers serialize");
    out.extend_from_slice(&zstd::bulk::compress(&json, ZSTD_LEVEL).expect("zstd compresses in memory"));
    IVec::from(out)
}

/// The ids a chunk holds, from its header alone.
pub fn ids(bytes: &[u8]) -> Result<Vec<u32>, String> {
    let (ids, _) = split(bytes)?;
    Ok(ids.chunks_exact(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes"))).collect())
}

/// Every customer of a chunk, in id order. `Err` says what is damaged.
pub fn decode(bytes: &[u8]) -> Result<Vec<Customer>, String> {
    let ids = ids(bytes)?;
    let (_, packed) = split(bytes)?;
    let hint = zstd::zstd_safe::get_frame_content_size(packed).ok().flatten().unwrap_or(0).min(MAX_PLAIN_HINT);
    let mut json = Vec::with_capacity(hint as usize);
    zstd::stream::copy_decode(packed, &mut json).map_err(|e| format!("compressed customers damaged: {e}"))?;
    let customers: Vec<Customer> = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
    if customers.iter().map(|c| c.id).ne(ids.iter().copied()) {
        return Err("the customers do not match the chunk's list of ids".into());
    }
    Ok(customers)
}

/// The header's ids and the compressed rest.
fn split(bytes: &[u8]) -> Result<(&[u8], &[u8]), String> {
    let count = bytes.get(..4).ok_or("customer chunk ends early")?;
    let count = u32::from_le_bytes(count.try_into().expect("4 bytes"));
    if count > CHUNK_CUSTOMERS {
        return Err(format!("a customer chunk holds {count} customers, more than {CHUNK_CUSTOMERS}"));
    }
    let end = 4 + 4 * count as usize;
    let ids = bytes.get(4..end).ok_or("customer chunk ends early")?;
    Ok((ids, &bytes[end..]))
}

/// Customers grouped by the chunk they belong in, each group in id order.
pub fn by_chunk<'c>(customers: impl IntoIterator<Item = &'c Customer>) -> BTreeMap<[u8; 4], Vec<&'c Customer>> {
    let mut groups: BTreeMap<[u8; 4], Vec<&Customer>> = BTreeMap::new();
    for c in customers {
        groups.entry(chunk_key(c.id)).or_default().push(c);
    }
    for g in groups.values_mut() {
        g.sort_by_key(|c| c.id);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: u32) -> Customer {
        Customer {
            id,
            ext_id: id.is_multiple_of(2).then(|| format!("C-{id}")),
            name: format!("客户 {id}"),
            former_names: Vec::new(),
            region: Some("华东".into()),
            industry: None,
            attributes: [("城市".to_string(), "上海".to_string())].into(),
            declared: None,
        }
    }

    #[test]
    fn chunks_round_trip_and_list_their_ids() {
        let all: Vec<Customer> = (1..=2500).map(customer).collect();
        let groups = by_chunk(&all);
        assert_eq!(groups.len(), 3, "ids 1–1023, 1024–2047, 2048–2500");
        let mut back = Vec::new();
        for (key, group) in &groups {
            let owned: Vec<Customer> = group.iter().map(|c| (*c).clone()).collect();
            let bytes = encode(&owned);
            assert_eq!(ids(&bytes).unwrap(), owned.iter().map(|c| c.id).collect::<Vec<_>>());
            assert!(owned.iter().all(|c| chunk_key(c.id) == *key));
            back.extend(decode(&bytes).unwrap());
        }
        assert_eq!(back, all);
    }

    #[test]
    fn damaged_chunks_are_errors_not_panics() {
        let bytes = encode(&[customer(1), customer(2), customer(3)]).to_vec();
        for cut in [0, 3, 7, 16, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut lying = bytes.clone();
        lying[4] = 9; // the first id no longer matches the customer
        assert!(decode(&lying).is_err());
        let mut huge = bytes.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(ids(&huge).is_err() && decode(&huge).is_err());
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x5A;
            let _ = decode(&flipped); // an error or other customers, never a panic
        }
    }
}
