//! Key accounts: the overview, and one change to one account.

use super::operations;
use crate::accounts::{AccountView, Change, Overview};

operations! {
    /// The Key accounts page: accounts and candidates.
    list_accounts() -> Overview => |api| api.overview();
    /// One change to one account; returns the account as it is now.
    change_account(id: u32, change: Change) -> AccountView => move |api| api.change_account(id, change);
}
