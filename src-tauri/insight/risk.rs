//! Concentration risk (the point of the whole app: losing one key account
//! can sink the year): what losing each key account costs, and the people
//! who are an account's only decision-level supporter — "38% of your profit
//! depends on 3 accounts whose only decision-level supporter is 王伟, last
//! touched 47 days ago".

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::accounts::Account;
use crate::analysis::{Dataset, Filter, Measure};
use crate::notebook::{Attitude, Level, Notebook};

/// One key account: the share of profit that goes with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AccountRisk {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    pub profit: f64,
    /// Of the total profit of all customers (`None` when that total is not
    /// positive).
    pub profit_share: Option<f64>,
    /// Decision-level supporters still with the customer.
    pub decision_supporters: u32,
}

/// A person who is the only decision-level supporter of one or more key
/// accounts (people of the same name in several accounts are one person).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PersonRisk {
    pub name: String,
    /// (account, contact id) pairs.
    pub accounts: Vec<PersonAccount>,
    pub profit_share: Option<f64>,
    /// The latest touch with them in any of those accounts.
    #[ts(type = "string | null")]
    pub last_touch: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PersonAccount {
    pub account: u32,
    pub account_name: String,
    #[ts(type = "number")]
    pub contact: u64,
    pub profit_share: Option<f64>,
    #[ts(type = "string | null")]
    pub last_touch: Option<NaiveDate>,
}

/// The Dashboard's risk panel: accounts and people, most profit at risk
/// first. The shares are of `measure`: profit, or revenue when the data has
/// no profit (the field names stay `profit_share`: an interface).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Risk {
    pub measure: Measure,
    pub accounts: Vec<AccountRisk>,
    pub people: Vec<PersonRisk>,
}

/// The risk of the active key accounts among `accounts`, with their
/// notebooks, over all of `data`'s sales.
pub fn risk(data: &Dataset, accounts: &[Account], notebooks: &[Notebook]) -> Risk {
    let measure = data.measure();
    let values = data.values(measure, &Filter::default());
    let total: f64 = values.iter().map(|v| v.value).sum();
    let profit: HashMap<u32, f64> = values.iter().map(|v| (v.id, v.value)).collect();
    let share = |p: f64| (total > 0.0).then(|| p / total);
    let customers: HashMap<u32, &crate::model::Customer> = data.customers.iter().map(|c| (c.id, c)).collect();
    let books: HashMap<u32, &Notebook> = notebooks.iter().map(|n| (n.customer, n)).collect();

    let mut out = Risk { measure, accounts: Vec::new(), people: Vec::new() };
    let mut people: BTreeMap<String, PersonRisk> = BTreeMap::new();
    for a in accounts.iter().filter(|a| a.active) {
        let Some(c) = customers.get(&a.customer) else { continue };
        let p = profit.get(&a.customer).copied().unwrap_or(0.0);
        let supporters: Vec<&crate::notebook::Contact> = books
            .get(&a.customer)
            .map(|nb| nb.live_contacts().filter(|c| c.left_on.is_none() && c.level == Some(Level::Decision) && c.attitude == Some(Attitude::Supporter)).collect())
            .unwrap_or_default();
        out.accounts.push(AccountRisk { id: c.id, ext_id: c.ext_id.clone(), name: c.name.clone(), profit: p, profit_share: share(p), decision_supporters: supporters.len() as u32 });
        if let ([only], Some(nb)) = (supporters.as_slice(), books.get(&a.customer)) {
            let last_touch = nb.live_touches().filter(|t| t.contacts.contains(&only.id)).map(|t| t.date).max();
            let key = only.name.trim().to_lowercase();
            let person = people.entry(key).or_insert_with(|| PersonRisk { name: only.name.trim().to_string(), accounts: Vec::new(), profit_share: None, last_touch: None });
            person.accounts.push(PersonAccount { account: c.id, account_name: c.name.clone(), contact: only.id, profit_share: share(p), last_touch });
            person.last_touch = person.last_touch.max(last_touch);
        }
    }
    for mut person in people.into_values() {
        person.profit_share = person.accounts.iter().map(|a| a.profit_share).sum::<Option<f64>>();
        out.people.push(person);
    }
    let at_risk = |s: Option<f64>| s.unwrap_or(f64::NEG_INFINITY);
    out.accounts.sort_by(|a, b| b.profit.total_cmp(&a.profit).then(a.id.cmp(&b.id)));
    out.people.sort_by(|a, b| at_risk(b.profit_share).total_cmp(&at_risk(a.profit_share)).then(a.name.cmp(&b.name)));
    out
}

/// `vitalfew risk --json`: these field names are an interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskSummary {
    /// What the shares are of: profit, or revenue when the data has none.
    pub measure: Measure,
    pub accounts: Vec<RiskAccountRow>,
    pub people: Vec<RiskPersonRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAccountRow {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    pub profit_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskPersonRow {
    pub contact: u64,
    pub name: String,
    pub account: u32,
    pub profit_share: Option<f64>,
    pub last_touch: Option<NaiveDate>,
}

impl Risk {
    pub fn summary(&self) -> RiskSummary {
        RiskSummary {
            measure: self.measure,
            accounts: self.accounts.iter().map(|a| RiskAccountRow { id: a.id, ext_id: a.ext_id.clone(), name: a.name.clone(), profit_share: a.profit_share }).collect(),
            people: self
                .people
                .iter()
                .flat_map(|p| {
                    p.accounts.iter().map(|a| RiskPersonRow { contact: a.contact, name: p.name.clone(), account: a.account, profit_share: a.profit_share, last_touch: a.last_touch })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::{self, Change};
    use crate::analysis::values::DataLine;
    use crate::model::Customer;
    use crate::notebook::{self as nbk, Contact, Item, Touch, TouchKind};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn data() -> Dataset {
        let customer = |id: u32| Customer { id, ext_id: Some(format!("C{id}")), name: format!("客户{id}"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None };
        let line = |customer: u32, profit: f64| DataLine { customer, date: Some(d(2026, 1, 1)), revenue: Some(profit * 3.0), cost: Some(profit * 2.0), profit: Some(profit), category: None };
        Dataset { customers: Arc::new((1..=4).map(customer).collect()), lines: Arc::new(vec![line(1, 500.0), line(2, 300.0), line(3, 150.0), line(4, 50.0)]), keys: Default::default(), categories: Default::default() }
    }

    fn account(id: u32) -> Account {
        accounts::apply(None, id, &Change::Promote, d(2026, 1, 1)).unwrap()
    }

    fn supporter(nb: Option<Notebook>, customer: u32, name: &str, level: Level) -> Notebook {
        let c = Contact { name: name.into(), level: Some(level), attitude: Some(Attitude::Supporter), ..Default::default() };
        nbk::apply(nb, customer, &nbk::Change::Save { item: Item::Contact(c) }, "2026-01-01T00:00:00+08:00").unwrap().0
    }

    #[test]
    fn accounts_by_profit_at_risk_and_their_only_supporters() {
        // 王伟 is the only decision-level supporter of accounts 1 and 2;
        // account 3 has two; account 4 is not a key account.
        let one = supporter(None, 1, "王伟", Level::Decision);
        let touch = Touch { id: 0, date: d(2026, 2, 1), kind: TouchKind::Call, contacts: vec![1], summary: "Call".into(), next: String::new(), due: None, hours: None, cost: None, by: String::new(), removed: false };
        let one = nbk::apply(Some(one), 1, &nbk::Change::Save { item: Item::Touch(touch) }, "2026-02-01T00:00:00+08:00").unwrap().0;
        let two = supporter(Some(supporter(None, 2, " 王伟", Level::Decision)), 2, "李娜", Level::Operational);
        let three = supporter(Some(supporter(None, 3, "赵强", Level::Decision)), 3, "钱多", Level::Decision);
        let r = risk(&data(), &[account(3), account(1), account(2)], &[one, two, three]);
        let ids: Vec<u32> = r.accounts.iter().map(|a| a.id).collect();
        assert_eq!(ids, [1, 2, 3], "most profit first");
        assert_eq!(r.accounts[0].profit_share, Some(0.5));
        assert_eq!(r.accounts.iter().map(|a| a.decision_supporters).collect::<Vec<_>>(), [1, 1, 2]);
        assert_eq!(r.people.len(), 1);
        let p = &r.people[0];
        assert_eq!((p.name.as_str(), p.accounts.len(), p.last_touch), ("王伟", 2, Some(d(2026, 2, 1))));
        assert!((p.profit_share.unwrap() - 0.8).abs() < 1e-12, "accounts 1 and 2: 80% of profit");
        let s = serde_json::to_value(r.summary()).unwrap();
        assert_eq!(s["people"].as_array().unwrap().len(), 2, "one row per account");
        assert_eq!(s["people"][0]["account"], 1);
    }

    #[test]
    fn no_positive_profit_means_no_share() {
        let mut d = data();
        d.lines = Arc::new(vec![DataLine { customer: 1, date: None, revenue: Some(1.0), cost: Some(5.0), profit: Some(-4.0), category: None }]);
        let r = risk(&d, &[account(1)], &[]);
        assert_eq!((r.accounts[0].profit_share, r.accounts[0].decision_supporters), (None, 0));
    }
}
