//! Schema migrations, one step per version (v1 → v2 → …). Each step runs
//! after an automatic backup of the store as it was, as one transaction
//! that also sets the new schema version, followed by a flush: a crash
//! leaves the old version or the new one, never a mix. Steps know the
//! layout of the versions they convert, nothing of the domain.

use std::path::Path;

use sled::transaction::{ConflictableTransactionError, Transactional};
use sled::{Db, Tree};

use super::backup::{self, Cause, Summary};
use super::{count_key, customers, decode_json, decode_u64, storage, tx_error, COUNTED, KEY_COMMITS, KEY_CUSTOMERS, KEY_SALES_LINES, KEY_SCHEMA_VERSION, TREE_CUSTOMERS};
use crate::model::Customer;
use crate::{Error, Result};

struct Step {
    /// The version this step produces (from the one before).
    to: u32,
    run: fn(&Db, &Tree) -> Result<()>,
}

const STEPS: &[Step] = &[Step { to: 2, run: v1_to_v2 }, Step { to: 3, run: v2_to_v3 }, Step { to: 4, run: v3_to_v4 }];

/// Brings a store of schema `found` to the current version.
pub(super) fn run(db: &Db, meta: &Tree, data_dir: &Path, found: u32) -> Result<()> {
    if found == 0 {
        return Err(Error::Corrupt { what: "schema_version".into(), reason: "version 0 does not exist".into() });
    }
    for step in STEPS.iter().filter(|s| s.to > found) {
        backup::write_auto(db, data_dir, &Cause::Migration { to: step.to }, &summary(db, meta)?)?;
        (step.run)(db, meta)?;
        db.flush().map_err(storage)?;
    }
    Ok(())
}

/// What a backup made before a migration says it holds, read from the
/// layouts of every version so far (v1 and v2 differ in where key accounts
/// live; from v3 `meta` counts the customers, before it each was an entry).
fn summary(db: &Db, meta: &Tree) -> Result<Summary> {
    let mut accounts = 0;
    let names = db.tree_names();
    let exists = |n: &str| names.iter().any(|t| t.as_ref() == n.as_bytes());
    // Opening a tree creates it: only the ones there are.
    for name in [V1_ACCOUNTS, V2_ACCOUNTS].into_iter().filter(|n| exists(n)) {
        for v in db.open_tree(name).map_err(storage)?.iter().values() {
            let v: serde_json::Value = serde_json::from_slice(&v.map_err(storage)?).unwrap_or_default();
            accounts += u64::from(v["active"] == serde_json::Value::Bool(true));
        }
    }
    let notebooks = if exists(NOTEBOOKS) { db.open_tree(NOTEBOOKS).map_err(storage)?.len() as u64 } else { 0 };
    Ok(Summary {
        customers: match meta.get(KEY_CUSTOMERS).map_err(storage)?.as_deref().and_then(decode_u64) {
            Some(n) => n,
            None => db.open_tree(TREE_CUSTOMERS).map_err(storage)?.len() as u64,
        },
        sales_lines: meta.get(KEY_SALES_LINES).map_err(storage)?.as_deref().and_then(decode_u64).unwrap_or(0),
        accounts,
        notebooks,
        notebook_entries: 0,
    })
}

const V1_ACCOUNTS: &str = "accounts";
const V2_ACCOUNTS: &str = "customer:accounts";
const NOTEBOOKS: &str = "customer:notebook";

/// v2: `meta` keeps the number of entries of every data tree (checked on
/// each open, so a store that lost part of itself is refused), and the key
/// accounts move to the customer-keyed record tree `customer:accounts`
/// (same keys, same JSON), where undoing an import finds them.
fn v1_to_v2(db: &Db, meta: &Tree) -> Result<()> {
    let old = db.open_tree(V1_ACCOUNTS).map_err(storage)?;
    let new = db.open_tree(V2_ACCOUNTS).map_err(storage)?;
    let accounts: Vec<(sled::IVec, sled::IVec)> = old.iter().collect::<std::result::Result<_, _>>().map_err(storage)?;
    let mut counts: Vec<(Vec<u8>, u64)> = Vec::new();
    for name in COUNTED {
        counts.push((count_key(name), db.open_tree(name).map_err(storage)?.len() as u64));
    }
    counts.push((count_key(V2_ACCOUNTS), (new.len() + accounts.len()) as u64));
    (meta, &old, &new)
        .transaction(|(meta, old, new)| {
            for (k, v) in &accounts {
                new.insert(k, v)?;
                old.remove(k)?;
            }
            for (key, n) in &counts {
                meta.insert(key.as_slice(), &n.to_be_bytes())?;
            }
            meta.insert(KEY_SCHEMA_VERSION, &2u32.to_be_bytes())?;
            Ok::<_, ConflictableTransactionError<Error>>(())
        })
        .map_err(tx_error)?;
    db.flush().map_err(storage)?;
    db.drop_tree(V1_ACCOUNTS).map_err(storage)?;
    Ok(())
}

/// v3: customers are stored in chunks of 1,024 (see [`customers`]) instead
/// of one entry each; `meta` counts them under `customers`, and
/// `count:customers` now counts chunks.
fn v2_to_v3(db: &Db, meta: &Tree) -> Result<()> {
    let tree = db.open_tree(TREE_CUSTOMERS).map_err(storage)?;
    let mut old_keys = Vec::new();
    let mut all: Vec<Customer> = Vec::new();
    for entry in tree.iter() {
        let (k, v) = entry.map_err(storage)?;
        old_keys.push(k);
        all.push(decode_json(&v, "customer")?);
    }
    let chunks: Vec<([u8; 4], sled::IVec)> = customers::by_chunk(&all)
        .into_iter()
        .map(|(key, group)| (key, customers::encode(&group.into_iter().cloned().collect::<Vec<_>>())))
        .collect();
    (meta, &tree)
        .transaction(|(meta, tree)| {
            // Old keys (a customer id) and new ones (a chunk number) are both
            // four bytes: every old one goes first, then the chunks.
            for k in &old_keys {
                tree.remove(k)?;
            }
            for (k, v) in &chunks {
                tree.insert(k, v.clone())?;
            }
            meta.insert(KEY_CUSTOMERS, &(all.len() as u64).to_be_bytes())?;
            meta.insert(count_key(TREE_CUSTOMERS), &(chunks.len() as u64).to_be_bytes())?;
            meta.insert(KEY_SCHEMA_VERSION, &3u32.to_be_bytes())?;
            Ok::<_, ConflictableTransactionError<Error>>(())
        })
        .map_err(tx_error)?;
    Ok(())
}

/// v4: `meta` keeps the commit sequence (`commits`), one more in every
/// transaction, which the manifest beside the store records (see
/// [`super::manifest`]): a store that lost committed work is refused. An
/// older Vital Few, which would write without keeping the manifest, refuses
/// this schema.
fn v3_to_v4(_db: &Db, meta: &Tree) -> Result<()> {
    meta.transaction(|meta| {
        meta.insert(KEY_COMMITS, &1u64.to_be_bytes())?;
        meta.insert(KEY_SCHEMA_VERSION, &4u32.to_be_bytes())?;
        Ok::<_, ConflictableTransactionError<Error>>(())
    })
    .map_err(tx_error)
}
