//! Key accounts: the page, one change at a time, this week's actions.

use super::{Api, Changed};
use crate::accounts::{self, view, Account, AccountView, Change, Overview};
use crate::model::Customer;
use crate::store::{Key, Store};
use crate::Result;

/// How many key accounts are active (demoted ones keep their record).
pub(super) fn active(store: &Store) -> Result<u64> {
    Ok(store.all::<Account>()?.iter().filter(|a| a.active).count() as u64)
}

impl Api {
    /// The Key accounts page: accounts and candidates.
    pub fn overview(&self) -> Result<Overview> {
        let data = self.dataset()?;
        let metrics = self.metrics(&data);
        Ok(accounts::overview(&data, &metrics, &self.store()?.all::<Account>()?, accounts::today()))
    }

    /// Every key account (and, with `all`, the demoted ones), most
    /// profitable first.
    pub fn account_views(&self, all: bool) -> Result<Vec<AccountView>> {
        let data = self.dataset()?;
        Ok(view::views(&self.store()?.all::<Account>()?, &data.customers, &self.metrics(&data), accounts::today(), all))
    }

    /// The customer `key` names: our id, else the owner's own customer ID.
    pub fn find_customer(&self, key: &str) -> Result<Customer> {
        accounts::find_customer(&self.store()?.customers()?, key).cloned()
    }

    /// One change to customer `id`'s account (promote, demote, answers,
    /// type, checklist, move, actions); returns the account as it is now.
    /// A type the owner sets is recorded with what the data suggested then.
    pub fn change_account(&self, id: u32, change: Change) -> Result<AccountView> {
        let data = self.dataset()?;
        let metrics = self.metrics(&data);
        let store = self.store()?;
        let change = match change {
            Change::SetType { account_type, .. } => {
                let suggested = match store.get::<Account>(Key::Customer(id))? {
                    Some(a) => view::view_among(&a, &data.customers, &metrics, accounts::today())?.suggestion.account_type,
                    None => None,
                };
                Change::SetType { account_type, suggested }
            }
            other => other,
        };
        let account = accounts::change(&store, id, &change, &self.author()?)?;
        // Dropping stale caches cannot fail, so a saved change is never
        // reported as a failure; its customer is among those already read
        // (a change of accounts changes no customer).
        self.changed(Changed::Accounts);
        view::view_among(&account, &data.customers, &metrics, accounts::today())
    }
}
