//! Applying the read rows in order: the plan's running state (customers
//! resolved and touched, lines new or already stored, counts and problems)
//! and the customer changes it ends with.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};

use super::identity::{content_hash, line_hash, product_class, Matches, OCCURRENCE_STEP};
use super::read::{cell_text, RowValues};
use super::{customer_key, normalize_name, Columns, DuplicateSource, Existing, RowProblem, MAX_LISTED_PROBLEMS, TOTALS_ROW};
use crate::import::mapping::Field;
use crate::import::sources::{self, Exclusion, Recipe};
use crate::import::table::{quoted, Cell};
use crate::model::{add_known, Customer, Shape, Totals};
use crate::store::{LineEncoder, LineRef};

pub(super) struct State<'e> {
    existing: &'e Existing,
    existing_by_id: FxHashMap<u32, usize>,
    shape: Shape,
    by_key: FxHashMap<String, u32>,
    /// The new state of every customer this file touches.
    touched: FxHashMap<u32, Customer>,
    /// Declared totals summed over this file's rows (customer tables).
    declared: FxHashMap<u32, Totals>,
    next_id: u32,
    /// Which customer ids (dense: the store numbers them from 1) this file
    /// names, and how many.
    in_file: Vec<bool>,
    pub(super) customers_in_file: u64,
    warned_names: FxHashSet<u32>,
    /// Customer ids by raw (ID, name) spelling, with the latest (date, row)
    /// of the spelling; and a reusable key buffer.
    resolved: FxHashMap<Box<str>, (u32, Latest)>,
    raw_key: String,
    /// The line contents seen in this file so far, how often those seen
    /// more than once were seen (a set of 16-byte entries is half the size
    /// of a map with a count for every line), and a reusable buffer for
    /// hashing a line's content. Not needed (and left empty) while the store
    /// holds no lines: every line is new then.
    seen_lines: FxHashSet<u128>,
    repeats: FxHashMap<u128, u32>,
    hash_input: Vec<u8>,
    /// This file's new lines.
    pub(super) lines: LineEncoder,
    pub(super) rows: u64,
    pub(super) valid_rows: u64,
    pub(super) valid_lines: u64,
    pub(super) skipped: u64,
    /// Of those, totals rows (skipped on purpose, not a misreading).
    pub(super) totals_rows: u64,
    pub(super) revenue: f64,
    pub(super) profit: f64,
    pub(super) errors: Vec<RowProblem>,
    pub(super) warnings: Vec<RowProblem>,
    /// Per customer and attribute column, a hash of the first value seen;
    /// and which attribute columns differed within a customer.
    attribute_seen: FxHashMap<(u32, u32), u128>,
    pub(super) varying: Vec<bool>,
    /// The stored sales' lines this file's lines matched by sale
    /// ([`Matches::claim`]). With `reserved`, it starts with the stored
    /// lines this file's identical lines take (worked out by an earlier
    /// pass), so those are not taken by another line.
    matches: Matches,
    reserved: bool,
    /// The stored lines of sales this file's identical lines take, once the
    /// sales are read; and how many such lines came before.
    identical: Matches,
    unrecorded: u64,
    /// Add lines that match stored sales anyway.
    pub(super) keep_duplicates: bool,
    /// Lines that matched a stored sale, and the imports those came from.
    pub(super) duplicates: u64,
    duplicates_from: Vec<(u32, u64)>,
    /// Which customer ids have a line added.
    added: Vec<bool>,
    /// Rows left out by their status (rows, revenue), by [`Exclusion`].
    pub(super) excluded: [(u64, f64); Exclusion::ALL.len()],
    /// Red-letter invoice lines, refunded lines and lines priced by unit
    /// price × quantity (rows, amount), for the preview's rules.
    pub(super) red: (u64, f64),
    pub(super) refunds: (u64, f64),
    pub(super) priced: u64,
    /// Customers named otherwise on some rows with the same ID (a buyer that
    /// renamed itself): the name of their latest row wins.
    pub(super) renamed: FxHashSet<u32>,
}

impl<'e> State<'e> {
    /// `rows` is about how many rows the file has (sizes the line table).
    /// `reserved`: the stored lines this file's identical lines take, from
    /// an earlier pass ([`State::again`]).
    pub(super) fn fresh(
        existing: &'e Existing,
        shape: Shape,
        rows: usize,
        attributes: usize,
        keep_duplicates: bool,
        reserved: Option<&Matches>,
    ) -> State<'e> {
        let mut by_key = FxHashMap::with_capacity_and_hasher(existing.customers.len() * 2, Default::default());
        for c in &existing.customers {
            if let Some(id) = &c.ext_id {
                by_key.insert(customer_key(Some(id), &c.name), c.id);
            }
            by_key.entry(customer_key(None, &c.name)).or_insert(c.id);
            for former in &c.former_names {
                by_key.entry(customer_key(None, former)).or_insert(c.id);
            }
        }
        State {
            existing,
            existing_by_id: existing.customers.iter().enumerate().map(|(i, c)| (c.id, i)).collect(),
            shape,
            by_key,
            touched: FxHashMap::default(),
            declared: FxHashMap::default(),
            next_id: existing.customers.iter().map(|c| c.id + 1).max().unwrap_or(1),
            in_file: Vec::new(),
            customers_in_file: 0,
            warned_names: FxHashSet::default(),
            resolved: FxHashMap::default(),
            raw_key: String::new(),
            seen_lines: match shape {
                Shape::SalesLedger if existing.has_lines() => FxHashSet::with_capacity_and_hasher(rows, Default::default()),
                _ => FxHashSet::default(),
            },
            repeats: FxHashMap::default(),
            hash_input: Vec::new(),
            lines: LineEncoder::default(),
            rows: 0,
            valid_rows: 0,
            valid_lines: 0,
            skipped: 0,
            totals_rows: 0,
            revenue: 0.0,
            profit: 0.0,
            errors: Vec::new(),
            warnings: Vec::new(),
            attribute_seen: FxHashMap::default(),
            varying: vec![false; attributes],
            matches: reserved.cloned().unwrap_or_default(),
            reserved: reserved.is_some(),
            keep_duplicates,
            duplicates: 0,
            duplicates_from: Vec::new(),
            identical: Matches::default(),
            unrecorded: 0,
            added: Vec::new(),
            excluded: [(0, 0.0); Exclusion::ALL.len()],
            red: (0, 0.0),
            refunds: (0, 0.0),
            priced: 0,
            renamed: FxHashSet::default(),
        }
    }

    /// Counts a row and, when it is valid, applies it; `read` is what
    /// [`read_row`] made of it.
    pub(super) fn row(
        &mut self,
        row: u64,
        cells: &[Cell<'_>],
        cols: &Columns,
        recipe: &Recipe,
        keep_excluded: bool,
        read: std::result::Result<RowValues, Box<RowProblem>>,
    ) {
        match read {
            Ok(values) => {
                if let Some(why) = values.excluded {
                    let e = &mut self.excluded[why as usize];
                    e.0 += 1;
                    // What the order was worth: a refunded one's refund is not taken off.
                    e.1 += values.revenue.map_or(0.0, |r| r + values.refunded.map_or(0.0, f64::abs));
                    if !keep_excluded {
                        return;
                    }
                }
                self.apply_row(cells, cols, recipe, row, values);
                self.valid_rows += 1;
            }
            Err(p) => {
                self.skipped += 1;
                self.totals_rows += u64::from(p.message.key == TOTALS_ROW);
                if self.errors.len() < MAX_LISTED_PROBLEMS {
                    self.errors.push(*p);
                }
            }
        }
    }

    /// Applies a valid row (checked by [`read_row`]): its customer, its
    /// details and its line. Its texts are taken from the cells again.
    fn apply_row(&mut self, cells: &[Cell<'_>], cols: &Columns, recipe: &Recipe, row: u64, values: RowValues) {
        let RowValues { revenue, cost, profit, quantity, orders, date, refunded, priced, .. } = values;
        let text = |f: Field| cols.get(f).and_then(|i| cell_text(cells, i));
        let ext_id = text(Field::CustomerId);
        let name = text(Field::CustomerName);
        let display_name: &str = name.as_deref().or(ext_id.as_deref()).expect("a valid row names its customer");
        let mut order_id = text(Field::OrderId);
        if let (None, Some((code, number))) = (&order_id, recipe.invoice_parts) {
            order_id = match (cell_text(cells, code), cell_text(cells, number)) {
                (Some(c), Some(n)) => Some(Cow::Owned(format!("{c}-{n}"))),
                (_, n) => n,
            };
        }
        let mut product = text(Field::Product);
        let mut category = text(Field::Category);
        if recipe.category_prefix && category.is_none() {
            if let Some((c, p)) = product.as_deref().and_then(sources::split_category) {
                let (c, p) = (c.to_string(), p.to_string());
                category = Some(Cow::Owned(c));
                product = (!p.is_empty()).then_some(Cow::Owned(p));
            }
        }
        if let Some(flag) = recipe.red_flag {
            if cell_text(cells, flag).is_some_and(|t| t == "否") || revenue.is_some_and(|r| r < 0.0) {
                self.red.0 += 1;
                self.red.1 += revenue.unwrap_or(0.0);
            }
        }
        if let Some(back) = refunded {
            self.refunds.0 += 1;
            self.refunds.1 += back.abs();
        }
        self.priced += u64::from(priced);
        let region = text(Field::Region);
        let industry = text(Field::Industry);
        let attributes =
            cols.attributes.iter().enumerate().filter_map(|(k, (i, header))| cell_text(cells, *i).map(|v| (k, header, v)));

        // The row is valid: apply it. Details change only when they differ,
        // so the common case (the same customer again) copies nothing.
        let id = self.resolve_customer(row, date, ext_id.as_deref(), name.as_deref(), display_name);
        self.mark_in_file(id);
        let customer = self.touched.get_mut(&id).expect("resolved customers are touched");
        let update = |slot: &mut Option<String>, v: Option<Cow<'_, str>>| {
            if let Some(v) = v {
                if slot.as_deref() != Some(&*v) {
                    *slot = Some(v.into_owned());
                }
            }
        };
        update(&mut customer.region, region);
        update(&mut customer.industry, industry);
        for (k, header, v) in attributes {
            // A column whose value differs within one customer's rows is
            // about the line, not the customer: it is not kept.
            if self.varying[k] {
                continue;
            }
            let value_hash = line_hash(&mut self.hash_input, &[v.as_bytes()]);
            match self.attribute_seen.entry((id, k as u32)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(value_hash);
                }
                std::collections::hash_map::Entry::Occupied(e) if *e.get() != value_hash => {
                    self.varying[k] = true;
                    continue;
                }
                _ => {}
            }
            if customer.attributes.get(header).map(String::as_str) != Some(&*v) {
                customer.attributes.insert(header.clone(), v.into_owned());
            }
        }
        self.revenue += revenue.unwrap_or(0.0);
        self.profit += profit.unwrap_or(0.0);
        match self.shape {
            Shape::CustomerTable => {
                let t = self.declared.entry(id).or_default();
                t.revenue = add_known(t.revenue, revenue);
                t.cost = add_known(t.cost, cost);
                t.profit = add_known(t.profit, profit);
                t.orders = add_known(t.orders, orders);
            }
            Shape::SalesLedger => {
                self.valid_lines += 1;
                let line = LineRef {
                    customer: id,
                    date,
                    order_id: order_id.as_deref(),
                    product: product.as_deref(),
                    category: category.as_deref(),
                    revenue,
                    cost,
                    profit,
                    quantity,
                };
                let add = !self.existing.has_lines()
                    || (self.is_new(&line) && (!self.matches_stored_sale(&line) || self.keep_duplicates));
                if add {
                    self.lines.push(&line);
                    if self.existing.with_order > 0 {
                        let i = id as usize;
                        if i >= self.added.len() {
                            self.added.resize(i + 1, false);
                        }
                        self.added[i] = true;
                    }
                }
            }
        }
    }

    /// Whether `line` is not stored yet: the k-th line of a content in this
    /// file is new when the store holds fewer than k lines of that content.
    fn is_new(&mut self, line: &LineRef<'_>) -> bool {
        let content = content_hash(&mut self.hash_input, line);
        let n = if self.seen_lines.insert(content) {
            1
        } else {
            let n = self.repeats.entry(content).or_insert(1);
            *n += 1;
            *n
        };
        if !self.existing.fingerprints.contains(&content.wrapping_add(u128::from(n).wrapping_mul(OCCURRENCE_STEP))) {
            return true;
        }
        // Stored: it takes a stored line of its sale, if it has one.
        let existing = self.existing;
        if line.order_id.is_some() && !self.reserved {
            match existing.sales.get() {
                Some(sales) => {
                    if let Some(i) = sales.find(line) {
                        self.identical.take(sales, i, product_class(line.product));
                    }
                }
                None => self.unrecorded += 1,
            }
        }
        false
    }

    /// Whether `line`, not stored itself, is a line of a sale an earlier
    /// import stored, written differently (another spelling of the
    /// customer, an amount rounded to the cent): the same order number, date
    /// and amount to the cent, and product when both have one. The stored
    /// line it matches is not matched again ([`Matches::claim`]).
    fn matches_stored_sale(&mut self, line: &LineRef<'_>) -> bool {
        let existing = self.existing;
        if line.order_id.is_none() || !existing.may_have_sale_on(line.date) {
            return false;
        }
        let sales = existing.sales();
        let Some(sale) = sales.find(line) else { return false };
        if !self.matches.claim(sales, sale, product_class(line.product)) {
            return false;
        }
        self.duplicates += 1;
        let import = sales.sales[sale as usize].import;
        match self.duplicates_from.iter_mut().find(|(i, _)| *i == import) {
            Some((_, n)) => *n += 1,
            None => self.duplicates_from.push((import, 1)),
        }
        true
    }

    /// After a pass: whether it runs again. Lines that matched stored sales
    /// by order, date and amount, and lines identical to stored lines of
    /// those sales, must not have taken the same stored lines (a file
    /// holding a stored line both as it was and written differently).
    /// `Some(None)`: identical lines came before the sales were read — run
    /// again to see them all; `Some(Some(identical))`: they took the same —
    /// run again with the stored lines the identical lines take reserved.
    pub(super) fn again(&self) -> Option<Option<Matches>> {
        if self.reserved || self.duplicates == 0 {
            return None;
        }
        if self.unrecorded > 0 {
            return Some(None);
        }
        let sales = self.existing.sales.get()?;
        self.matches.overbooked_with(sales, &self.identical).then(|| Some(self.identical.clone()))
    }

    /// The earlier imports the matched sales came from, most lines first.
    pub(super) fn duplicate_sources(&self) -> Vec<DuplicateSource> {
        let mut from: Vec<DuplicateSource> = self
            .duplicates_from
            .iter()
            .map(|&(import, lines)| DuplicateSource {
                import,
                file_name: self.existing.import_names.get(&import).cloned().unwrap_or_else(|| format!("import #{import}")),
                lines,
            })
            .collect();
        from.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.import.cmp(&b.import)));
        from
    }

    /// The customer a row belongs to, creating it when new. A known ID with
    /// another name is reported once, and the stored name kept.
    fn resolve_customer(&mut self, row: u64, date: Option<NaiveDate>, ext_id: Option<&str>, name: Option<&str>, display: &str) -> u32 {
        // Most rows repeat a customer seen a moment ago, spelled the same:
        // look the raw spelling up before normalizing anything.
        let mut raw = std::mem::take(&mut self.raw_key);
        raw.clear();
        raw.push_str(ext_id.unwrap_or(""));
        raw.push('\u{1f}');
        raw.push_str(display);
        let latest = (date.map_or(i32::MIN, |d| d.num_days_from_ce()), row);
        let id = match self.resolved.get_mut(raw.as_str()) {
            Some((id, seen)) => {
                *seen = latest.max(*seen);
                *id
            }
            None => {
                let id = self.resolve_new_spelling(row, ext_id, name, display);
                self.resolved.insert(raw.as_str().into(), (id, latest));
                id
            }
        };
        self.raw_key = raw;
        id
    }

    fn resolve_new_spelling(&mut self, row: u64, ext_id: Option<&str>, name: Option<&str>, display: &str) -> u32 {
        let id_key = ext_id.map(|id| customer_key(Some(id), display));
        let by_id = id_key.as_ref().and_then(|key| self.by_key.get(key).copied());
        let id = match by_id {
            Some(id) => id,
            None => {
                // Not known by ID: a customer of the same name that has no ID
                // yet is the same customer (an earlier file had no ID column).
                let name_key = customer_key(None, display);
                let by_name = self.by_key.get(&name_key).copied().filter(|id| {
                    ext_id.is_none() || self.current(*id).is_some_and(|c| c.ext_id.is_none())
                });
                match by_name {
                    Some(id) => id,
                    None => {
                        let id = self.next_id;
                        self.next_id += 1;
                        self.touched.insert(
                            id,
                            Customer {
                                id,
                                ext_id: None,
                                name: display.to_string(),
                                former_names: Vec::new(),
                                region: None,
                                industry: None,
                                attributes: Default::default(),
                                declared: None,
                            },
                        );
                        self.by_key.insert(name_key, id);
                        id
                    }
                }
            }
        };
        if !self.touched.contains_key(&id) {
            let current = self.current(id).expect("known customer").clone();
            self.touched.insert(id, current);
        }
        let customer = self.touched.get_mut(&id).expect("just inserted");
        if let (Some(ext), Some(id_key)) = (ext_id, id_key) {
            if customer.ext_id.is_none() {
                customer.ext_id = Some(ext.to_string());
                self.by_key.insert(id_key, id);
            }
        }
        if let (Some(ext), Some(name)) = (ext_id, name) {
            let differs = name != customer.name && normalize_name(name) != normalize_name(&customer.name);
            if differs {
                self.renamed.insert(id);
                if self.warned_names.insert(id) {
                    let before = customer.name.clone();
                    let why = crate::msg!("import.row.renamed", id = quoted(ext), name = quoted(&before));
                    self.warnings.push(RowProblem::new(row, String::new(), name.to_string(), why));
                }
            }
        }
        id
    }

    fn mark_in_file(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.in_file.len() {
            self.in_file.resize(i + 1, false);
        }
        if !std::mem::replace(&mut self.in_file[i], true) {
            self.customers_in_file += 1;
        }
    }

    /// The customer's state so far: as touched by this file, else as stored.
    fn current(&self, id: u32) -> Option<&Customer> {
        self.touched.get(&id).or_else(|| self.existing_by_id.get(&id).map(|&i| &self.existing.customers[i]))
    }

    /// Customers to write, new ones and changed ones.
    /// The customers to write, and how many are new and changed. Columns in
    /// `varying` were per line: a customer keeps what it had for them.
    pub(super) fn customer_changes(&mut self, varying: &[&str]) -> (Vec<Customer>, u64, u64) {
        let existing = self.existing;
        self.rename();
        for (id, totals) in self.declared.drain() {
            if let Some(c) = self.touched.get_mut(&id) {
                c.declared = Some(totals);
            }
        }
        for c in self.touched.values_mut() {
            let before = self.existing_by_id.get(&c.id).map(|&i| &existing.customers[i].attributes);
            for &h in varying {
                match before.and_then(|b| b.get(h)) {
                    Some(v) => c.attributes.insert(h.to_string(), v.clone()),
                    None => c.attributes.remove(h),
                };
            }
        }
        // A customer first named by lines that all match stored sales (the
        // same sales under another spelling) is not added: it would have none.
        let ghosts = self.shape == Shape::SalesLedger && self.duplicates > 0 && !self.keep_duplicates;
        let added = std::mem::take(&mut self.added);
        let (mut new, mut changed) = (0, 0);
        let mut upserts: Vec<Customer> = self
            .touched
            .drain()
            .map(|(_, c)| c)
            .filter(|c| match self.existing_by_id.get(&c.id) {
                None if ghosts && !added.get(c.id as usize).copied().unwrap_or(false) => false,
                None => {
                    new += 1;
                    true
                }
                Some(&i) => {
                    let differs = existing.customers[i] != *c;
                    changed += u64::from(differs);
                    differs
                }
            })
            .collect();
        upserts.sort_by_key(|c| c.id);
        (upserts, new, changed)
    }
}

/// When a spelling of a customer was last seen: the latest date of its rows
/// (`i32::MIN` for none), then the last row.
type Latest = (i32, u64);

impl State<'_> {
    /// Customers named otherwise on some rows with the same ID take the
    /// name of their latest row; the others (and the name stored before)
    /// are kept as former names.
    fn rename(&mut self) {
        if self.renamed.is_empty() {
            return;
        }
        let mut spellings: FxHashMap<u32, Vec<(&str, Latest)>> = FxHashMap::default();
        for (raw, &(id, latest)) in &self.resolved {
            if self.renamed.contains(&id) {
                let display = raw.split_once('\u{1f}').map_or(&**raw, |(_, d)| d);
                spellings.entry(id).or_default().push((display, latest));
            }
        }
        for (id, mut names) in spellings {
            let Some(c) = self.touched.get_mut(&id) else { continue };
            names.sort_by_key(|&(name, latest)| (latest, std::cmp::Reverse(name)));
            let Some(&(newest, _)) = names.last() else { continue };
            let mut former = std::mem::take(&mut c.former_names);
            former.push(std::mem::replace(&mut c.name, newest.to_string()));
            former.extend(names.iter().map(|(n, _)| n.to_string()));
            let mut seen = FxHashSet::default();
            seen.insert(normalize_name(newest));
            former.retain(|n| seen.insert(normalize_name(n)));
            c.former_names = former;
        }
    }
}
