//! Typed record trees: the one way the domain keeps its own data in the store.
//!
//! A [`Record`] type names its tree, its layout version and how it is keyed;
//! the store reads and writes it as JSON without knowing what it means. A
//! change is a closure over a [`Tx`] — read, change, write — that runs in one
//! sled transaction followed by a flush ([`super::Store::transact`]), so a new
//! record type needs no store method of its own.
//!
//! Trees of records keyed by customer are named `customer:<name>` and their
//! keys begin with the customer's id (u32, big-endian): the store finds every
//! one of them when an import that created customers is undone.
//!
//! The record trees today: `customer:accounts` (key accounts, `accounts`),
//! `customer:notebook` (notebooks, `notebook`), `record:reminders` (the
//! owner's holidays, `api/notebook.rs`) and `record:rate` (the hourly rate
//! of cost to serve, `api/insight.rs`).

use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionalTree, UnabortableTransactionError};

use super::{count_key, decode_json, decode_u64, TREE_CUSTOMERS};
use crate::Error;

/// Prefix of the trees whose records belong to a customer.
pub const CUSTOMER_PREFIX: &str = "customer:";
/// Prefix of the trees of records that belong to no customer.
pub const GLOBAL_PREFIX: &str = "record:";

/// A kind of record the domain keeps.
pub trait Record: Serialize + DeserializeOwned {
    /// The tree's full name: `customer:<name>` for records keyed by
    /// customer (see [`Key`]), `record:<name>` for the others.
    const TREE: &'static str;
    /// The layout version of the JSON. Changing the layout incompatibly
    /// means a new version and a schema migration that rewrites the tree.
    const VERSION: u32;
}

/// A record's key: the customer it belongs to (for `customer:` trees) and,
/// where a customer has several records of the kind, the item's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Customer(u32),
    CustomerItem(u32, u64),
    Item(u64),
}

impl Key {
    pub fn bytes(self) -> Vec<u8> {
        match self {
            Key::Customer(c) => c.to_be_bytes().to_vec(),
            Key::CustomerItem(c, i) => [&c.to_be_bytes()[..], &i.to_be_bytes()].concat(),
            Key::Item(i) => i.to_be_bytes().to_vec(),
        }
    }

    fn customer(self) -> Option<u32> {
        match self {
            Key::Customer(c) | Key::CustomerItem(c, _) => Some(c),
            Key::Item(_) => None,
        }
    }
}

/// Whether `name` is a record tree's name: `customer:` or `record:` and a
/// lower-case word.
pub fn check_tree_name(name: &str) -> bool {
    let rest = name.strip_prefix(CUSTOMER_PREFIX).or_else(|| name.strip_prefix(GLOBAL_PREFIX));
    rest.is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

/// An error inside a transaction: the domain's own (which aborts it) or
/// sled's (which may retry it).
pub struct TxError(ConflictableTransactionError<Error>);

impl From<Error> for TxError {
    fn from(e: Error) -> TxError {
        TxError(ConflictableTransactionError::Abort(e))
    }
}

impl From<UnabortableTransactionError> for TxError {
    fn from(e: UnabortableTransactionError) -> TxError {
        TxError(e.into())
    }
}

impl From<TxError> for ConflictableTransactionError<Error> {
    fn from(e: TxError) -> Self {
        e.0
    }
}

pub type TxResult<T> = Result<T, TxError>;

/// The trees of one transaction: `meta` (for the counts), `customers`, and
/// the record trees it was opened with.
pub struct Tx<'a> {
    pub(super) names: &'a [String],
    pub(super) trees: &'a [TransactionalTree],
}

impl Tx<'_> {
    fn tree(&self, name: &str) -> TxResult<&TransactionalTree> {
        let place = self.names.iter().position(|n| n == name);
        place.map(|i| &self.trees[i]).ok_or_else(|| {
            TxError::from(Error::Storage(format!("tree {name} is not part of this transaction")))
        })
    }

    /// Whether customer `id` exists.
    pub fn customer_exists(&self, id: u32) -> TxResult<bool> {
        match self.tree(TREE_CUSTOMERS)?.get(super::customers::chunk_key(id))? {
            Some(chunk) => Ok(super::customers::ids(&chunk).map_err(super::corrupt_customers)?.contains(&id)),
            None => Ok(false),
        }
    }

    pub fn get<R: Record>(&self, key: Key) -> TxResult<Option<R>> {
        match self.tree(R::TREE)?.get(key.bytes())? {
            Some(raw) => Ok(Some(decode_json(&raw, R::TREE)?)),
            None => Ok(None),
        }
    }

    /// The record under `key` as stored (its JSON, as `serde_json::to_vec`
    /// writes it), to compare, not decode.
    pub fn raw<R: Record>(&self, key: Key) -> TxResult<Option<Vec<u8>>> {
        Ok(self.tree(R::TREE)?.get(key.bytes())?.map(|v| v.to_vec()))
    }

    /// Writes `value` under `key`. A record keyed by customer needs the
    /// customer to exist.
    pub fn put<R: Record>(&self, key: Key, value: &R) -> TxResult<()> {
        if let Some(c) = key.customer() {
            if !self.customer_exists(c)? {
                return Err(Error::NotFound(crate::msg!("error.no_customer", id = c)).into());
            }
        }
        let json = serde_json::to_vec(value).expect("records serialize");
        if self.tree(R::TREE)?.insert(key.bytes(), json)?.is_none() {
            self.add_count(R::TREE, 1)?;
        }
        Ok(())
    }

    pub fn remove<R: Record>(&self, key: Key) -> TxResult<bool> {
        let existed = self.tree(R::TREE)?.remove(key.bytes())?.is_some();
        if existed {
            self.add_count(R::TREE, -1)?;
        }
        Ok(existed)
    }

    /// The next free item number of a record kind (1, 2, …), kept in `meta`.
    pub fn next_item<R: Record>(&self) -> TxResult<u64> {
        let meta = self.tree(super::TREE_META)?;
        let key = format!("next:{}", R::TREE);
        let next = meta.get(key.as_bytes())?.as_deref().and_then(decode_u64).unwrap_or(1);
        meta.insert(key.as_bytes(), &(next + 1).to_be_bytes())?;
        Ok(next)
    }

    fn add_count(&self, tree: &str, delta: i64) -> TxResult<()> {
        let meta = self.tree(super::TREE_META)?;
        let key = count_key(tree);
        let old = meta.get(&key)?.as_deref().and_then(decode_u64).unwrap_or(0);
        meta.insert(key, &old.saturating_add_signed(delta).to_be_bytes())?;
        Ok(())
    }
}
