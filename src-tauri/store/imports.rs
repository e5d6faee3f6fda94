//! Imports in the store: an import written in one transaction with what
//! its undo needs, the undo of the last one, and changes to past import
//! records (their remembered mappings).

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, Transactional};

use super::*;
use crate::model::{Customer, ImportRecord};
use crate::{Error, Result};

/// An import ready to be written: filled by the import planner.
#[derive(Debug, Default)]
pub struct ImportBatch {
    /// New customers and the new state of changed ones.
    pub upserts: Vec<Customer>,
    /// Lines not stored yet, encoded as the store writes them.
    pub lines: EncodedLines,
}

/// What undoing an import restores.
#[derive(Debug, Serialize, Deserialize)]
struct UndoInfo {
    /// Customers as they were before the import changed them.
    previous: Vec<Customer>,
    /// Customers the import created.
    created: Vec<u32>,
    chunks: u32,
}

impl Store {

    /// Writes an import: its customers and new lines, `record` (its id is
    /// assigned here) and what undo needs — one transaction, then a flush.
    /// Refused when the store changed since `generation` (the plan is stale).
    pub fn commit_import(&self, batch: &ImportBatch, record: ImportRecord, generation: u64) -> Result<ImportRecord> {
        // The lines are already encoded as sled values: inserting one shares
        // it (a retried transaction inserts it again), never copies.
        let chunks = batch.lines.chunks();
        let groups = customers::by_chunk(&batch.upserts);
        let _gate = self.write_gate();
        if self.generation() != generation {
            return Err(Error::Refused(crate::msg!("refused.stale_preview")));
        }
        let trees = (&self.meta, &self.customers, &self.sales, &self.imports, &self.undo);
        let record = trees
            .transaction(|(meta, customer_chunks, sales, imports, undo)| {
                let id = meta.get(KEY_NEXT_IMPORT)?.as_deref().and_then(decode_u32).unwrap_or(1);
                let mut info = UndoInfo { previous: Vec::new(), created: Vec::new(), chunks: chunks.len() as u32 };
                let mut new_chunks = 0;
                for (key, group) in &groups {
                    let mut stored = match customer_chunks.get(key)? {
                        Some(raw) => customers::decode(&raw).map_err(|r| ConflictableTransactionError::Abort(corrupt_customers(r)))?,
                        None => {
                            new_chunks += 1;
                            Vec::new()
                        }
                    };
                    for c in group {
                        match stored.binary_search_by_key(&c.id, |s| s.id) {
                            Ok(i) => info.previous.push(std::mem::replace(&mut stored[i], (*c).clone())),
                            Err(i) => {
                                stored.insert(i, (*c).clone());
                                info.created.push(c.id);
                            }
                        }
                    }
                    customer_chunks.insert(key, customers::encode(&stored))?;
                }
                for (n, chunk) in chunks.iter().enumerate() {
                    sales.insert(chunk_key(id, n as u32).as_slice(), chunk.clone())?;
                }
                let record = ImportRecord { id, sales_lines: batch.lines.len() as u64, ..record.clone() };
                imports.insert(&id.to_be_bytes(), serde_json::to_vec(&record).expect("record serializes"))?;
                undo.insert(&id.to_be_bytes(), serde_json::to_vec(&info).expect("undo serializes"))?;
                shift(meta, KEY_SALES_LINES, record.sales_lines as i64)?;
                shift(meta, KEY_CUSTOMERS, info.created.len() as i64)?;
                shift(meta, &count_key(TREE_CUSTOMERS), new_chunks)?;
                shift(meta, &count_key(TREE_SALES), chunks.len() as i64)?;
                shift(meta, &count_key(TREE_IMPORTS), 1)?;
                shift(meta, &count_key(TREE_UNDO), 1)?;
                shift(meta, KEY_COMMITS, 1)?;
                meta.insert(KEY_NEXT_IMPORT, &(id + 1).to_be_bytes())?;
                Ok(record)
            })
            .map_err(|e| self.failed(tx_error(e)))?;
        self.flush()?;
        self.committed(true);
        Ok(record)
    }

    /// The most recent import, when it can be undone. Refused when a record
    /// of any customer-keyed tree belongs to a customer the import added
    /// (its notes would be lost or, later, attached to another customer).
    pub fn check_undo(&self) -> Result<ImportRecord> {
        self.undo_plan().map(|(_, record, _)| record)
    }

    fn undo_plan(&self) -> Result<(sled::IVec, ImportRecord, UndoInfo)> {
        let (key, raw) = self
            .imports
            .last()
            .map_err(storage)?
            .ok_or_else(|| Error::NotFound(crate::msg!("error.no_import_to_undo")))?;
        let record: ImportRecord = decode_json(&raw, "import record")?;
        let info: UndoInfo = match self.undo.get(&key).map_err(storage)? {
            Some(v) => decode_json(&v, "undo record")?,
            None => return Err(Error::Corrupt { what: "undo record".into(), reason: format!("missing for import {}", record.id) }),
        };
        for name in self.db.tree_names() {
            let Some(kind) = std::str::from_utf8(&name).ok().and_then(|n| n.strip_prefix(record::CUSTOMER_PREFIX)) else { continue };
            let tree = self.db.open_tree(&name).map_err(storage)?;
            for id in &info.created {
                let held = tree.scan_prefix(id.to_be_bytes()).count();
                if held > 0 {
                    return Err(Error::Refused(crate::msg!(
                        "refused.undo_would_lose",
                        file = record.file_name.as_str(),
                        customer = *id,
                        held = held,
                        kind = kind,
                    )));
                }
            }
        }
        Ok((key, record, info))
    }

    /// Undoes the most recent import, restoring exactly the state before it
    /// (see [`Store::check_undo`] for when it is refused).
    pub fn undo_last_import(&self) -> Result<ImportRecord> {
        let _gate = self.write_gate();
        let (key, record, info) = self.undo_plan()?;
        // Per chunk: the customers to put back as they were, and to remove.
        let mut touched: std::collections::BTreeMap<[u8; 4], (Vec<&Customer>, Vec<u32>)> = Default::default();
        for c in &info.previous {
            touched.entry(customers::chunk_key(c.id)).or_default().0.push(c);
        }
        for id in &info.created {
            touched.entry(customers::chunk_key(*id)).or_default().1.push(*id);
        }
        let trees = (&self.meta, &self.customers, &self.sales, &self.imports, &self.undo);
        trees
            .transaction(|(meta, customer_chunks, sales, imports, undo)| {
                let mut chunk_delta = 0;
                for (chunk, (previous, created)) in &touched {
                    let mut stored = match customer_chunks.get(chunk)? {
                        Some(raw) => customers::decode(&raw).map_err(|r| ConflictableTransactionError::Abort(corrupt_customers(r)))?,
                        None => {
                            chunk_delta += 1;
                            Vec::new()
                        }
                    };
                    stored.retain(|c| !created.contains(&c.id));
                    for c in previous {
                        match stored.binary_search_by_key(&c.id, |s| s.id) {
                            Ok(i) => stored[i] = (*c).clone(),
                            Err(i) => stored.insert(i, (*c).clone()),
                        }
                    }
                    if stored.is_empty() {
                        customer_chunks.remove(chunk)?;
                        chunk_delta -= 1;
                    } else {
                        customer_chunks.insert(chunk, customers::encode(&stored))?;
                    }
                }
                for n in 0..info.chunks {
                    sales.remove(chunk_key(record.id, n).as_slice())?;
                }
                imports.remove(&key)?;
                undo.remove(&key)?;
                shift(meta, KEY_SALES_LINES, -(record.sales_lines as i64))?;
                shift(meta, KEY_CUSTOMERS, -(info.created.len() as i64))?;
                shift(meta, &count_key(TREE_CUSTOMERS), chunk_delta)?;
                shift(meta, &count_key(TREE_SALES), -i64::from(info.chunks))?;
                shift(meta, &count_key(TREE_IMPORTS), -1)?;
                shift(meta, &count_key(TREE_UNDO), -1)?;
                shift(meta, KEY_COMMITS, 1)?;
                meta.insert(KEY_NEXT_IMPORT, &record.id.to_be_bytes())?;
                Ok::<_, ConflictableTransactionError<Error>>(())
            })
            .map_err(|e| self.failed(tx_error(e)))?;
        self.flush()?;
        self.committed(true);
        Ok(record)
    }

    /// Changes the import records `change` says it changed (it returns
    /// whether it did), in one transaction, then a flush; how many changed.
    /// `change` may run more than once if the transaction is retried.
    pub fn update_imports(&self, change: impl Fn(&mut ImportRecord) -> bool) -> Result<u64> {
        let _gate = self.write_gate();
        // A transaction cannot iterate a tree: the keys are read before it
        // (the write gate keeps them), the records again inside it.
        let keys: Vec<sled::IVec> = self.imports.iter().keys().collect::<std::result::Result<_, _>>().map_err(storage)?;
        let changed = (&self.meta, &self.imports)
            .transaction(|(meta, imports)| {
                let mut changed = 0;
                for key in &keys {
                    let Some(raw) = imports.get(key)? else { continue };
                    let mut record: ImportRecord = decode_json(&raw, "import record").map_err(ConflictableTransactionError::Abort)?;
                    if change(&mut record) {
                        imports.insert(key, serde_json::to_vec(&record).expect("record serializes"))?;
                        changed += 1;
                    }
                }
                if changed > 0 {
                    shift(meta, KEY_COMMITS, 1)?;
                }
                Ok(changed)
            })
            .map_err(|e| self.failed(tx_error(e)))?;
        self.flush()?;
        if changed > 0 {
            self.committed(false);
        }
        Ok(changed)
    }
}
