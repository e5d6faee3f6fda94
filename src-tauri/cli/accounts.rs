//! `account` (promote, demote, set-type, move) and `accounts`.

use std::io::Write;

use clap::Subcommand;

use super::output::{emit, emit_json};
use crate::accounts::{AccountType, Change, Phase, Reason};
use crate::api::Api;
use crate::model::Lang;
use crate::Result;

/// ID: the customer's id as `vitalfew customers` shows it, or its ID in your books.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Make a customer a key account (it starts in the establish phase).
    Promote { id: String },
    /// Stop treating a customer as a key account (its history is kept).
    Demote { id: String },
    /// Confirm the account's type.
    SetType {
        id: String,
        #[arg(value_enum)]
        account_type: AccountType,
    },
    /// Move the relationship to another phase. Moving back is a fallback
    /// and needs --reason: market_change, their_personnel, our_personnel, or
    /// your own words.
    Move {
        id: String,
        #[arg(long, value_enum)]
        phase: Phase,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Day of the move (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
}

pub fn account(api: &Api, action: AccountCommand, out: &mut dyn Write) -> Result<()> {
    let key = match &action {
        AccountCommand::Promote { id } | AccountCommand::Demote { id } | AccountCommand::SetType { id, .. } | AccountCommand::Move { id, .. } => id,
    };
    let customer = api.find_customer(key)?;
    let (id, name) = (customer.id, &customer.name);
    let (change, done) = match action {
        AccountCommand::Promote { .. } => (Change::Promote, format!("{name} (id {id}) is now a key account, in the establish phase.")),
        AccountCommand::Demote { .. } => (Change::Demote, format!("{name} (id {id}) is no longer a key account; its history is kept.")),
        AccountCommand::SetType { account_type, .. } => {
            // The API records what the data suggested when the owner chose.
            (Change::SetType { account_type, suggested: None }, format!("{name} (id {id}): type set to {}.", account_type.name()))
        }
        AccountCommand::Move { phase, reason, note, date, .. } => {
            let reason = reason.as_deref().and_then(Reason::parse);
            (Change::Move { phase, at: date, reason, note }, format!("{name} (id {id}) moved to the {} phase.", phase.name()))
        }
    };
    api.change_account(id, change)?;
    emit(out, &done)
}

pub fn accounts(api: &Api, json: bool, all: bool, out: &mut dyn Write) -> Result<()> {
    let views = api.account_views(all)?;
    if json {
        let list: Vec<_> = views.iter().map(|v| v.summary(Lang::En)).collect();
        return emit_json(out, &list);
    }
    let mut text = String::new();
    for v in &views {
        let kind = v.account_type.map_or("type not set", AccountType::name);
        text.push_str(&format!(
            "{:>6}  {:<30}  {:<10}  {:<10} since {}  checklist {}/{}{}\n",
            v.id,
            v.name,
            kind,
            v.phase.name(),
            v.since,
            v.progress.done,
            v.progress.total,
            if v.active { "" } else { "  (demoted)" }
        ));
    }
    emit(out, if views.is_empty() { "No key accounts." } else { text.trim_end() })
}
