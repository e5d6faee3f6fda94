//! Schema migrations, one step per version (v1 → v2 → …). Each step runs
//! after an automatic backup of the store as it was, as one transaction
//! that also sets the new schema version, followed by a flush: a crash
//! leaves the old version or the new one, never a mix. Steps know the
//! layout of the versions they convert, nothing of the domain.

use std::path::Path;

use sled::transaction::{ConflictableTransactionError, Transactional};
use sled::{Db, Tree};

use super::backup::{self, Cause, Summary};
use super::{count_key, decode_u64, storage, tx_error, COUNTED, KEY_SALES_LINES, KEY_SCHEMA_VERSION, TREE_CUSTOMERS};
use crate::{Error, Result};

struct Step {
    /// The version this step produces (from the one before).
    to: u32,
    run: fn(&Db, &Tree) -> Result<()>,
}

const STEPS: &[Step] = &[Step { to: 2, run: v1_to_v2 }];

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
/// layout every version so far shares (v1 and v2 differ only in where key
/// accounts live).
fn summary(db: &Db, meta: &Tree) -> Result<Summary> {
    let mut accounts = 0;
    for name in [V1_ACCOUNTS, V2_ACCOUNTS] {
        for v in db.open_tree(name).map_err(storage)?.iter().values() {
            let v: serde_json::Value = serde_json::from_slice(&v.map_err(storage)?).unwrap_or_default();
            accounts += u64::from(v["active"] == serde_json::Value::Bool(true));
        }
    }
    Ok(Summary {
        customers: db.open_tree(TREE_CUSTOMERS).map_err(storage)?.len() as u64,
        sales_lines: meta.get(KEY_SALES_LINES).map_err(storage)?.as_deref().and_then(decode_u64).unwrap_or(0),
        accounts,
    })
}

const V1_ACCOUNTS: &str = "accounts";
const V2_ACCOUNTS: &str = "customer:accounts";

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
