//! Cost to serve (seed 003, DOMAIN.md §9): the hours and money logged on a
//! key account's touches and gifts, and its profit after them — "serving
//! 华东钢铁 cost more than it earned".

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::accounts::Account;
use crate::analysis::{Dataset, Filter, Measure};
use crate::notebook::Notebook;

/// One key account's cost to serve. `vitalfew cost-to-serve --json` gives
/// these field names (an interface).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CostToServe {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    pub profit: f64,
    /// Hours logged on touches.
    pub hours: f64,
    /// Money logged on touches and gifts.
    pub expenses: f64,
    /// Hours at the owner's rate, plus expenses.
    pub cost_to_serve: f64,
    pub profit_after: f64,
}

/// The cost to serve of every key account at the owner's rate, for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CostView {
    pub rate: f64,
    pub accounts: Vec<CostToServe>,
}

/// The cost to serve every active key account, hours valued at `rate` per
/// hour; accounts where it turns profit negative first, then by profit
/// after cost to serve.
pub fn cost_to_serve(data: &Dataset, accounts: &[Account], notebooks: &[Notebook], rate: f64) -> Vec<CostToServe> {
    let profit: HashMap<u32, f64> = data.values(Measure::Profit, &Filter::default()).into_iter().map(|v| (v.id, v.value)).collect();
    let books: HashMap<u32, &Notebook> = notebooks.iter().map(|n| (n.customer, n)).collect();
    let customers: HashMap<u32, &crate::model::Customer> = data.customers.iter().map(|c| (c.id, c)).collect();
    let mut out: Vec<CostToServe> = accounts
        .iter()
        .filter(|a| a.active)
        .filter_map(|a| {
            let c = customers.get(&a.customer)?;
            let (hours, expenses) = books.get(&a.customer).map_or((0.0, 0.0), |nb| {
                let hours: f64 = nb.live_touches().filter_map(|t| t.hours).sum();
                let gifts = nb.gifts.iter().filter(|g| !g.removed).filter_map(|g| g.cost);
                let expenses: f64 = nb.live_touches().filter_map(|t| t.cost).chain(gifts).sum();
                (hours + 0.0, expenses + 0.0)
            });
            let profit = profit.get(&a.customer).copied().unwrap_or(0.0);
            let cost = hours * rate + expenses;
            Some(CostToServe { id: c.id, ext_id: c.ext_id.clone(), name: c.name.clone(), profit, hours, expenses, cost_to_serve: cost, profit_after: profit - cost })
        })
        .collect();
    out.sort_by(|a, b| (a.profit_after >= 0.0).cmp(&(b.profit_after >= 0.0)).then(b.profit_after.total_cmp(&a.profit_after)).then(a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;

    use super::*;
    use crate::accounts::{self, Change};
    use crate::analysis::values::DataLine;
    use crate::model::Customer;
    use crate::notebook::{self as nbk, Contact, Gift, Item, Touch, TouchKind};

    #[test]
    fn hours_at_the_rate_plus_expenses_and_the_losers_first() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let customer = |id: u32| Customer { id, ext_id: None, name: format!("客户{id}"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None };
        let line = |c: u32, profit: f64| DataLine { customer: c, date: Some(day), revenue: Some(profit * 2.0), cost: Some(profit), profit: Some(profit), category: None };
        let data = Dataset { customers: Arc::new(vec![customer(1), customer(2)]), lines: Arc::new(vec![line(1, 1000.0), line(2, 5000.0)]), keys: Default::default(), categories: Default::default() };
        let accounts: Vec<Account> = [1, 2].iter().map(|id| accounts::apply(None, *id, &Change::Promote, day).unwrap()).collect();
        let at = "2026-01-01T00:00:00+08:00";
        let touch = |hours, cost| Touch { id: 0, date: day, kind: TouchKind::Visit, contacts: vec![], summary: "Visit".into(), next: String::new(), due: None, hours, cost, by: String::new(), removed: false };
        let save = |nb: Option<Notebook>, item| nbk::apply(nb, 1, &nbk::Change::Save { item }, at).unwrap().0;
        let nb = save(None, Item::Touch(touch(Some(10.0), Some(300.0))));
        let nb = save(Some(nb), Item::Touch(touch(Some(2.5), None)));
        let nb = save(Some(nb), Item::Contact(Contact { name: "王伟".into(), ..Default::default() }));
        let contact = nb.contacts[0].id;
        let nb = save(Some(nb), Item::Gift(Gift { contact, date: day, what: "茶叶".into(), cost: Some(200.0), ..Default::default() }));
        let out = cost_to_serve(&data, &accounts, &[nb], 80.0);
        assert_eq!(out[0].id, 1, "the account that loses money comes first");
        assert_eq!((out[0].hours, out[0].expenses, out[0].cost_to_serve), (12.5, 500.0, 1500.0));
        assert_eq!(out[0].profit_after, -500.0);
        assert_eq!((out[1].id, out[1].cost_to_serve, out[1].profit_after), (2, 0.0, 5000.0));
        assert!(out[1].hours.is_sign_positive());
    }
}
