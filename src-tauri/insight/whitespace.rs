//! Whitespace from the sales lines' category (DOMAIN.md §7): what each key
//! account's peers (the key accounts of its type) buy and it does not,
//! ranked by how many peers buy it and what it is worth to them — "4 of
//! your 5 economic accounts buy Furniture; Tamara Chand does not".

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::accounts::{Account, AccountType};
use crate::analysis::Dataset;
use crate::i18n;
use crate::model::Lang;

/// Revenue of every key account in every category.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Grid {
    pub categories: Vec<String>,
    pub accounts: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GridRow {
    pub id: u32,
    pub name: String,
    /// Revenue per category, in the order of [`Grid::categories`].
    pub revenue: Vec<f64>,
}

/// A category an account's peers buy and it does not (`vitalfew whitespace
/// --json` gives [`GapRow`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Gap {
    pub id: u32,
    pub ext_id: Option<String>,
    pub category: String,
    pub peers_buying: u32,
    pub peers_total: u32,
    /// What the peers who buy it spent on it.
    pub peer_revenue: f64,
    pub reason: String,
}

/// A key account with no peers (no other active key account of its type):
/// nothing can be said about what it does not buy, and the owner reads why
/// rather than "its peers buy nothing it does not".
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoPeers {
    pub id: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Whitespace {
    pub grid: Grid,
    pub gaps: Vec<Gap>,
    /// The accounts (of those asked for) that have no peers to compare with.
    #[ts(inline)]
    pub no_peers: Vec<NoPeers>,
}

/// The whitespace of the active key accounts; `only` keeps one account's gaps.
pub fn whitespace(data: &Dataset, accounts: &[Account], only: Option<u32>, lang: Lang) -> Whitespace {
    let active: Vec<&Account> = accounts.iter().filter(|a| a.active).collect();
    let names: HashMap<u32, (&str, Option<&String>)> = data.customers.iter().map(|c| (c.id, (c.name.as_str(), c.ext_id.as_ref()))).collect();
    let index: HashMap<u32, usize> = active.iter().enumerate().map(|(i, a)| (a.customer, i)).collect();
    let n = data.categories.len();
    let mut revenue = vec![vec![0.0; n]; active.len()];
    for l in data.lines.iter() {
        if let (Some(&i), Some(c)) = (index.get(&l.customer), l.category) {
            revenue[i][c as usize] += l.revenue.unwrap_or(0.0);
        }
    }
    let buys = |i: usize, c: usize| revenue[i][c] > 0.0;
    let mut gaps = Vec::new();
    let mut no_peers = Vec::new();
    for (i, a) in active.iter().enumerate().filter(|(_, a)| only.is_none_or(|id| a.customer == id)) {
        let peers: Vec<usize> = (0..active.len()).filter(|&j| j != i && active[j].account_type == a.account_type).collect();
        let (name, ext_id) = names.get(&a.customer).copied().unwrap_or(("", None));
        let group = match a.account_type {
            Some(t) => i18n::format(lang, "whitespace.peers_of_type", &[("type", type_word(lang, t))]),
            None => i18n::text(lang, "whitespace.peers_untyped"),
        };
        if peers.is_empty() {
            let reason = i18n::format(lang, "whitespace.no_peers", &[("peers", group), ("name", name.to_string())]);
            no_peers.push(NoPeers { id: a.customer, reason });
            continue;
        }
        for c in (0..n).filter(|&c| !buys(i, c)) {
            let buying: Vec<usize> = peers.iter().copied().filter(|&j| buys(j, c)).collect();
            if buying.is_empty() {
                continue;
            }
            let category = data.categories[c].clone();
            let reason = i18n::format(lang, "whitespace.reason", &[
                ("n", buying.len().to_string()),
                ("total", peers.len().to_string()),
                ("peers", group.clone()),
                ("category", category.clone()),
                ("name", name.to_string()),
            ]);
            gaps.push(Gap {
                id: a.customer,
                ext_id: ext_id.cloned(),
                category,
                peers_buying: buying.len() as u32,
                peers_total: peers.len() as u32,
                peer_revenue: buying.iter().map(|&j| revenue[j][c]).sum(),
                reason,
            });
        }
    }
    gaps.sort_by(|a, b| {
        (b.peers_buying as f64 / b.peers_total as f64)
            .total_cmp(&(a.peers_buying as f64 / a.peers_total as f64))
            .then(b.peer_revenue.total_cmp(&a.peer_revenue))
            .then(a.id.cmp(&b.id))
    });
    let grid = Grid {
        categories: data.categories.to_vec(),
        accounts: active
            .iter()
            .zip(revenue)
            .map(|(a, revenue)| GridRow { id: a.customer, name: names.get(&a.customer).map_or(String::new(), |n| n.0.to_string()), revenue })
            .collect(),
    };
    Whitespace { grid, gaps, no_peers }
}

fn type_word(lang: Lang, t: AccountType) -> String {
    i18n::text(lang, &format!("type.{}", t.name()))
}

/// `vitalfew whitespace --json`: these field names are an interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    pub id: u32,
    pub ext_id: Option<String>,
    pub category: String,
    pub peers_buying: u32,
    pub peers_total: u32,
    pub reason: String,
}

impl Gap {
    pub fn cli(&self) -> GapRow {
        GapRow {
            id: self.id,
            ext_id: self.ext_id.clone(),
            category: self.category.clone(),
            peers_buying: self.peers_buying,
            peers_total: self.peers_total,
            reason: self.reason.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;

    use super::*;
    use crate::accounts::{self, Change};
    use crate::analysis::values::DataLine;
    use crate::model::Customer;

    #[test]
    fn gaps_are_what_peers_buy_ranked_by_how_many_and_how_much() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let customer = |id: u32| Customer { id, ext_id: Some(format!("C{id}")), name: format!("客户{id}"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None };
        let line = |customer: u32, category: u32, revenue: f64| DataLine { customer, date: Some(day), revenue: Some(revenue), cost: None, profit: None, category: Some(category) };
        // Categories: 0 Furniture, 1 Paper, 2 Chairs. Accounts 1–4 economic,
        // 5 strategic (not a peer). 1 buys only paper.
        let lines = vec![
            line(1, 1, 10.0),
            line(2, 0, 100.0),
            line(3, 0, 50.0),
            line(4, 0, 70.0),
            line(2, 2, 900.0),
            line(5, 0, 1.0),
            line(5, 1, 1.0),
            line(5, 2, 1.0),
        ];
        let data = Dataset {
            customers: Arc::new((1..=5).map(customer).collect()),
            lines: Arc::new(lines),
            keys: Default::default(),
            categories: Arc::new(vec!["Furniture".into(), "Paper".into(), "Chairs".into()]),
        };
        let promote = |id: u32, t: AccountType| {
            let mut a = accounts::apply(None, id, &Change::Promote, day).unwrap();
            a.account_type = Some(t);
            a
        };
        let mut accounts: Vec<Account> = (1..=4).map(|id| promote(id, AccountType::Economic)).collect();
        accounts.push(promote(5, AccountType::Strategic));
        let w = whitespace(&data, &accounts, Some(1), Lang::En);
        let got: Vec<(&str, u32, u32)> = w.gaps.iter().map(|g| (g.category.as_str(), g.peers_buying, g.peers_total)).collect();
        assert_eq!(got, [("Furniture", 3, 3), ("Chairs", 1, 3)], "all three peers buy furniture; one buys chairs, worth more");
        assert_eq!(w.gaps[0].reason, "3 of your 3 other Economic accounts buy Furniture; 客户1 does not.");
        assert_eq!(w.grid.categories.len(), 3);
        assert_eq!(w.grid.accounts[1].revenue, vec![100.0, 0.0, 900.0]);
        assert!(w.no_peers.is_empty(), "account 1 has peers");
        // The strategic account has no peers: no gaps, and the reason why.
        let alone = whitespace(&data, &accounts, Some(5), Lang::En);
        assert!(alone.gaps.is_empty());
        assert_eq!(alone.no_peers, [NoPeers { id: 5, reason: "No peers of its type yet: there are no other Strategic accounts to compare 客户5 with.".into() }]);
        let alone = whitespace(&data, &accounts, Some(5), Lang::ZhCn);
        assert_eq!(alone.no_peers[0].reason, "还没有同类型的大客户：没有可与客户5比较的其他战略型大客户。");
        let cli = serde_json::to_value(w.gaps[0].cli()).unwrap();
        let mut keys: Vec<&str> = cli.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["category", "ext_id", "id", "peers_buying", "peers_total", "reason"]);
    }
}
