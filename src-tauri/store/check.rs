//! The store checking itself: every counted tree against its count, every
//! record and chunk of sales lines decoded, and what a manifest recorded
//! against what the store holds (`verify`, used when it is opened).

use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::Result;

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CheckReport {
    pub ok: bool,
    /// Each problem, one sentence.
    pub problems: Vec<String>,
    /// Entries per tree.
    #[ts(type = "Record<string, number>")]
    pub trees: BTreeMap<String, u64>,
    #[ts(type = "number")]
    pub sales_lines: u64,
    /// How the open found the folder: `matched` (byte for byte as the
    /// manifest of its last clean close says), `recovered` (after an
    /// unclean session, checked against the last manifest), `unrecorded`
    /// (no manifest: checked whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub opened: Option<open::Opened>,
}

impl Store {

    /// The trees that hold data (everything but `meta` and `settings`),
    /// each counted in `meta`: the store's own and every record tree.
    pub(super) fn counted_trees(&self) -> Result<Vec<(String, Tree)>> {
        let records = self.db.tree_names().into_iter().filter_map(|n| String::from_utf8(n.to_vec()).ok()).filter(|n| record::check_tree_name(n));
        COUNTED
            .iter()
            .map(|s| s.to_string())
            .chain(records)
            .map(|name| self.db.open_tree(name.as_bytes()).map(|t| (name, t)).map_err(storage))
            .collect()
    }

    /// Each counted tree with the count kept in `meta` and the entries it
    /// holds.
    pub(super) fn counts(&self) -> Result<Vec<(String, Tree, u64, u64)>> {
        self.counted_trees()?
            .into_iter()
            .map(|(name, tree)| {
                let kept = self.meta_u64(&count_key(&name))?;
                let found = tree.len() as u64;
                Ok((name, tree, kept, found))
            })
            .collect()
    }

    /// Compares the counts kept in `meta` with the trees: a mismatch means
    /// part of the store was lost. Cheap enough for every open.
    pub(super) fn check_counts(&self) -> Vec<String> {
        match self.counts() {
            Ok(counts) => counts.iter().filter_map(|(name, _, kept, found)| count_problem(name, *kept, *found)).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    /// Checks the store against what Vital Few saved: the counts kept in
    /// `meta` against the trees, the commit sequence and counts against
    /// the manifest (`expected`, when it is of this schema), and with
    /// `full` every record and chunk decoding. The open runs it (whole after
    /// an unclean session), and `check` runs it whole: one sentence per
    /// problem.
    pub(super) fn verify(&self, expected: Option<&manifest::Counts>, full: bool) -> Result<Vec<String>> {
        let mut problems = self.check_counts();
        let now = counts_of(&self.meta)?;
        if let Some(saved) = expected.filter(|e| e.schema_version == now.schema_version) {
            problems.extend(shortfall(saved, &now));
        }
        if full {
            problems.extend(self.decode()?.problems);
        }
        Ok(problems)
    }

    /// Reads every entry of every counted tree: records must be readable
    /// JSON, chunks of customers and of sales lines must decode, and their
    /// numbers must be the ones kept.
    pub(super) fn decode(&self) -> Result<CheckReport> {
        let mut problems = Vec::new();
        let mut trees = BTreeMap::new();
        for (name, tree, _, found) in self.counts()? {
            trees.insert(name.clone(), found);
            if name == TREE_SALES || name == TREE_CUSTOMERS {
                continue;
            }
            for (n, entry) in tree.iter().enumerate() {
                match entry {
                    Ok((_, v)) if serde_json::from_slice::<serde::de::IgnoredAny>(&v).is_ok() => {}
                    Ok(_) => problems.push(format!("{name}: entry {} is not readable", n + 1)),
                    Err(e) => problems.push(format!("{name}: {e}")),
                }
            }
        }
        let mut customers = 0u64;
        for (n, chunk) in self.customers.iter().values().enumerate() {
            match chunk.map_err(storage).and_then(|c| customers::decode(&c).map_err(corrupt_customers)) {
                Ok(c) => customers += c.len() as u64,
                Err(e) => problems.push(format!("customer chunk {}: {e}", n + 1)),
            }
        }
        let kept = self.customer_count()?;
        if customers != kept {
            problems.push(format!("the store should hold {kept} customers but {customers} could be read"));
        }
        trees.insert(TREE_CUSTOMERS.to_string(), customers);
        let mut lines = 0u64;
        for (n, chunk) in self.sales.iter().values().enumerate() {
            match chunk {
                Ok(c) => {
                    if let Err(e) = lines::decode_each(&c, |_| lines += 1) {
                        problems.push(format!("sales chunk {}: {e}", n + 1));
                    }
                }
                Err(e) => problems.push(format!("sales: {e}")),
            }
        }
        let kept = self.line_count()?;
        if lines != kept {
            problems.push(format!("the store should hold {kept} sales lines but {lines} could be read"));
        }
        Ok(CheckReport { ok: problems.is_empty(), problems, trees, sales_lines: lines, opened: None })
    }

    /// Verifies the whole store as an open after a crash does (see
    /// [`Store::verify`]), against the manifest the open found. `trees`
    /// gives entries per tree (customers, not chunks, for `customers`).
    pub fn check(&self) -> Result<CheckReport> {
        let expected = self.session.as_ref().map(|s| &s.expected);
        let mut report = self.decode()?;
        let problems = self.verify(expected.and_then(|e| e.counts.as_ref()), false)?;
        report.problems.splice(0..0, problems);
        report.ok = report.problems.is_empty();
        report.opened = expected.map(|e| e.how);
        Ok(report)
    }
}

/// What the store lacks of what Vital Few saved (`saved`, the manifest's
/// counts of the same schema): commits it does not hold, or — with as many
/// commits — counts that differ.
fn shortfall(saved: &manifest::Counts, now: &manifest::Counts) -> Vec<String> {
    let mut differ: Vec<String> = Vec::new();
    let mut compare = |what: &str, saved: u64, now: u64| {
        if saved != now {
            differ.push(format!("{what} {now} instead of {saved}"));
        }
    };
    compare("customers", saved.customers, now.customers);
    compare("sales lines", saved.sales_lines, now.sales_lines);
    for name in saved.trees.keys().chain(now.trees.keys()).collect::<std::collections::BTreeSet<_>>() {
        compare(name, saved.trees.get(name).copied().unwrap_or(0), now.trees.get(name).copied().unwrap_or(0));
    }
    if now.commits < saved.commits {
        let lost = saved.commits - now.commits;
        let detail = if differ.is_empty() { String::new() } else { format!(" ({})", differ.join(", ")) };
        vec![format!("it lacks the last {lost} of the {} changes Vital Few saved{detail}", saved.commits)]
    } else if now.commits == saved.commits && !differ.is_empty() {
        vec![format!("it holds what Vital Few saved, but not as it was counted ({})", differ.join(", "))]
    } else {
        Vec::new()
    }
}

fn count_problem(tree: &str, kept: u64, found: u64) -> Option<String> {
    (kept != found).then(|| format!("{tree} should hold {kept} entries but holds {found}"))
}
