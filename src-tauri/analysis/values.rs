//! One value per customer for a measure, over the sales lines that pass a
//! filter (period, region, industry, a set of customers).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{AccountType, Customer};
use crate::store::Store;
use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    #[default]
    Profit,
    Revenue,
    /// Gross margin: revenue − cost.
    Margin,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Filter {
    /// Inclusive ISO dates.
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    #[ts(optional)]
    pub region: Option<String>,
    #[ts(optional)]
    pub industry: Option<String>,
    /// Only key accounts.
    #[ts(optional)]
    pub key_only: Option<bool>,
    /// Only key accounts of this (confirmed) type.
    #[ts(optional)]
    pub account_type: Option<AccountType>,
}

impl Filter {
    fn has_period(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    fn keeps_date(&self, d: Option<NaiveDate>) -> bool {
        if !self.has_period() {
            return true;
        }
        match d {
            None => false,
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
        }
    }

    fn keeps_customer(&self, c: &Customer, keys: &KeyAccounts) -> bool {
        self.region.as_ref().is_none_or(|r| c.region.as_ref() == Some(r))
            && self.industry.as_ref().is_none_or(|i| c.industry.as_ref() == Some(i))
            && self.keeps_account(keys.get(&c.id))
    }

    /// `key`: the customer's key-account type when it is a key account.
    fn keeps_account(&self, key: Option<&Option<AccountType>>) -> bool {
        if self.key_only != Some(true) && self.account_type.is_none() {
            return true;
        }
        key.is_some_and(|t| self.account_type.is_none_or(|want| *t == Some(want)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CustomerValue {
    pub id: u32,
    pub name: String,
    pub value: f64,
}

/// The value of a line for a measure; `None` when the line lacks it.
fn line_value(l: &DataLine, m: Measure) -> Option<f64> {
    match m {
        Measure::Revenue => l.revenue,
        Measure::Profit => l.profit,
        Measure::Margin => Some(l.revenue? - l.cost?),
    }
}

/// Whether the data can give this measure at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Availability {
    pub profit: bool,
    pub margin: bool,
}

/// What the analysis keeps of a sales line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataLine {
    pub customer: u32,
    pub date: Option<NaiveDate>,
    pub revenue: Option<f64>,
    pub cost: Option<f64>,
    pub profit: Option<f64>,
    /// The product category, an index into [`Dataset::categories`].
    pub category: Option<u32>,
}

/// Active key accounts by customer id, with their confirmed type.
pub type KeyAccounts = HashMap<u32, Option<AccountType>>;

/// Everything the analysis needs, read from the store once. Customers and
/// lines are shared, so a change of key accounts copies only `keys`.
#[derive(Clone, Default)]
pub struct Dataset {
    pub customers: Arc<Vec<Customer>>,
    pub lines: Arc<Vec<DataLine>>,
    pub keys: KeyAccounts,
    /// The product categories the lines name, each once.
    pub categories: Arc<Vec<String>>,
}

impl Dataset {
    /// The sales in `store`, with `keys` the key accounts (see
    /// `accounts::key_accounts`).
    pub fn load(store: &Store, keys: KeyAccounts) -> Result<Dataset> {
        let mut lines = Vec::new();
        let mut categories: Vec<String> = Vec::new();
        let mut index: HashMap<String, u32> = HashMap::new();
        store.for_each_line(|l| {
            let category = l.category.map(|c| match index.get(c) {
                Some(&i) => i,
                None => {
                    categories.push(c.to_string());
                    index.insert(c.to_string(), categories.len() as u32 - 1);
                    categories.len() as u32 - 1
                }
            });
            lines.push(DataLine { customer: l.customer, date: l.date, revenue: l.revenue, cost: l.cost, profit: l.profit, category })
        })?;
        Ok(Dataset {
            customers: Arc::new(store.customers()?),
            lines: Arc::new(lines),
            keys,
            categories: Arc::new(categories),
        })
    }

    /// The same data with other key accounts.
    pub fn with_keys(&self, keys: KeyAccounts) -> Dataset {
        Dataset { customers: self.customers.clone(), lines: self.lines.clone(), keys, categories: self.categories.clone() }
    }

    pub fn availability(&self) -> Availability {
        let declared = |f: fn(&crate::model::Totals) -> bool| self.customers.iter().any(|c| c.declared.as_ref().is_some_and(f));
        Availability {
            profit: self.lines.iter().any(|l| l.profit.is_some()) || declared(|t| t.profit.is_some() || t.cost.is_some()),
            margin: self.lines.iter().any(|l| l.cost.is_some()) || declared(|t| t.cost.is_some()),
        }
    }

    /// The measure figures default to: profit, or revenue when no line (and
    /// no customer's declared totals) has a profit or a cost — a
    /// revenue-only ledger is analysed by revenue on every screen, not shown
    /// as empty.
    pub fn measure(&self) -> Measure {
        if self.availability().profit {
            Measure::Profit
        } else {
            Measure::Revenue
        }
    }

    /// Distinct regions and industries, for the filter menus.
    pub fn dimensions(&self) -> (Vec<String>, Vec<String>) {
        let collect = |f: fn(&Customer) -> Option<&String>| {
            let mut v: Vec<String> = self.customers.iter().filter_map(f).cloned().collect::<HashSet<_>>().into_iter().collect();
            v.sort();
            v
        };
        (collect(|c| c.region.as_ref()), collect(|c| c.industry.as_ref()))
    }

    /// First and last dated sale.
    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let mut dates = self.lines.iter().filter_map(|l| l.date);
        let first = dates.next()?;
        Some(dates.fold((first, first), |(a, b), d| (a.min(d), b.max(d))))
    }

    /// One value per customer with any sales passing the filter. Customers
    /// known only from a customer table count with their declared totals
    /// when no period is selected.
    pub fn values(&self, measure: Measure, filter: &Filter) -> Vec<CustomerValue> {
        self.values_by_window(measure, filter, &[(filter.from, filter.to)]).remove(0)
    }

    /// [`values`](Self::values) for several date windows (the filter's own
    /// period is replaced by each window) in one pass over the lines.
    pub fn values_by_window(
        &self,
        measure: Measure,
        filter: &Filter,
        windows: &[(Option<NaiveDate>, Option<NaiveDate>)],
    ) -> Vec<Vec<CustomerValue>> {
        // Customer ids are small and dense: index vectors by id, not hash maps.
        let slots = self.customers.iter().map(|c| c.id as usize + 1).max().unwrap_or(0);
        let mut customer_at: Vec<Option<&Customer>> = vec![None; slots];
        for c in self.customers.iter() {
            if filter.keeps_customer(c, &self.keys) {
                customer_at[c.id as usize] = Some(c);
            }
        }
        let filters: Vec<Filter> = windows.iter().map(|&(from, to)| Filter { from, to, ..Filter::default() }).collect();
        let mut sums = vec![vec![0.0f64; slots]; windows.len()];
        let mut seen = vec![vec![false; slots]; windows.len()];
        let mut has_lines = vec![false; slots];
        for l in self.lines.iter() {
            let c = l.customer as usize;
            if c >= slots {
                continue;
            }
            has_lines[c] = true;
            if customer_at[c].is_none() {
                continue;
            }
            let Some(v) = line_value(l, measure) else { continue };
            for (w, f) in filters.iter().enumerate() {
                if f.keeps_date(l.date) {
                    sums[w][c] += v;
                    seen[w][c] = true;
                }
            }
        }
        filters
            .iter()
            .enumerate()
            .map(|(w, f)| {
                if !f.has_period() {
                    for c in self.customers.iter().filter(|c| !has_lines[c.id as usize] && customer_at[c.id as usize].is_some()) {
                        let Some(t) = c.declared else { continue };
                        let v = match measure {
                            Measure::Revenue => t.revenue,
                            Measure::Profit => t.profit_or_margin(),
                            Measure::Margin => t.margin(),
                        };
                        if let Some(v) = v {
                            sums[w][c.id as usize] = v;
                            seen[w][c.id as usize] = true;
                        }
                    }
                }
                (0..slots)
                    .filter(|&c| seen[w][c])
                    .filter_map(|c| customer_at[c].map(|cust| CustomerValue { id: c as u32, name: cust.name.clone(), value: sums[w][c] }))
                    .collect()
            })
            .collect()
    }
}
