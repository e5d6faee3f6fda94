//! Per-customer totals: from the customer's sales lines when it has any,
//! else from the totals a customer table declared.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Deserialize;
use ts_rs::TS;

use crate::model::{add_known, Customer, CustomerRow};
use crate::store::{LineRef, Store};
use crate::Result;

#[derive(Debug, Default, Clone)]
struct Agg {
    lines: u64,
    revenue: f64,
    cost: Option<f64>,
    profit: Option<f64>,
    orders: u64,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

/// Totals of every stored customer.
pub fn rows(store: &Store) -> Result<Vec<CustomerRow>> {
    let customers = store.customers()?;
    let mut agg: HashMap<u32, Agg> = HashMap::with_capacity(customers.len());
    let mut seen_orders: HashSet<(u32, u64)> = HashSet::new();
    store.for_each_line(|l: LineRef<'_>| {
        let a = agg.entry(l.customer).or_default();
        a.lines += 1;
        a.revenue += l.revenue.unwrap_or(0.0);
        a.cost = add_known(a.cost, l.cost);
        a.profit = add_known(a.profit, l.profit);
        // Several lines of one order are one order.
        let new_order = match l.order_id {
            Some(o) => seen_orders.insert((l.customer, hash(o))),
            None => true,
        };
        a.orders += u64::from(new_order);
        if let Some(d) = l.date {
            a.first = Some(a.first.map_or(d, |f| f.min(d)));
            a.last = Some(a.last.map_or(d, |x| x.max(d)));
        }
    })?;
    Ok(customers.into_iter().map(|c| row(c, &agg)).collect())
}

fn row(c: Customer, agg: &HashMap<u32, Agg>) -> CustomerRow {
    let (revenue, cost, profit, orders, first, last) = match agg.get(&c.id) {
        Some(a) if a.lines > 0 => (a.revenue, a.cost, a.profit, a.orders, a.first, a.last),
        _ => {
            let d = c.declared.unwrap_or_default();
            (d.revenue.unwrap_or(0.0), d.cost, d.profit_or_margin(), d.orders.unwrap_or(0.0).max(0.0) as u64, None, None)
        }
    };
    let margin = match profit {
        Some(p) if revenue != 0.0 => Some(p / revenue),
        _ => None,
    };
    CustomerRow {
        id: c.id,
        ext_id: c.ext_id,
        name: c.name,
        former_names: c.former_names,
        revenue,
        cost,
        profit,
        margin,
        orders,
        first_purchase: first.map(crate::import::plan::iso),
        last_purchase: last.map(crate::import::plan::iso),
        region: c.region,
        industry: c.industry,
        attributes: c.attributes,
    }
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// `vitalfew customers --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Profit,
    Revenue,
    Name,
}

/// Sorts largest first for amounts (unknown profit last), A–Z for names;
/// ties by id so the order is stable.
pub fn sort(rows: &mut [CustomerRow], by: SortBy) {
    match by {
        SortBy::Profit => rows.sort_by(|a, b| {
            b.profit.unwrap_or(f64::NEG_INFINITY).total_cmp(&a.profit.unwrap_or(f64::NEG_INFINITY)).then(a.id.cmp(&b.id))
        }),
        SortBy::Revenue => rows.sort_by(|a, b| b.revenue.total_cmp(&a.revenue).then(a.id.cmp(&b.id))),
        SortBy::Name => rows.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id))),
    }
}
