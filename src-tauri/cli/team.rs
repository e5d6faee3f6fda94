//! `vitalfew team …`: create or join a team, sync, status, share or keep
//! an account private, a new passphrase.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::output::{emit, emit_json};
use crate::api::Api;
use crate::team::membership::TeamStatus;
use crate::team::share::SyncReport;
use crate::{Error, Result};

/// Where the passphrase comes from when no terminal asks for it.
const PASSPHRASE_VAR: &str = "VITALFEW_TEAM_PASSPHRASE";

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Make DIR (a folder the team already syncs) the folder of a new team.
    /// The passphrase comes from VITALFEW_TEAM_PASSPHRASE, or is asked.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// Your name in the team (default: this computer's user name).
        #[arg(long)]
        member: Option<String>,
    },
    /// Join the team whose folder is DIR, as NAME. Also how a member takes
    /// a new passphrase.
    Join {
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        #[arg(long, value_name = "NAME")]
        member: String,
    },
    /// The team, its members and what is not through yet.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Sync with the team folder once, then exit.
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// Share a key account with the team (all are, unless kept private).
    Share { account: String },
    /// Keep a key account off the team from now on.
    Unshare { account: String },
    /// A new team passphrase (after a member left): the old one reads
    /// nothing new. The others join again with the new one.
    Rekey,
}

pub fn team(api: &Api, command: TeamCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        TeamCommand::Create { name, folder, member } => {
            let member = member.unwrap_or_else(default_member);
            let status = api.team_create(&folder, &name, &member, &passphrase()?)?;
            emit(
                out,
                &format!(
                    "Team “{}” created in {}; you are {}. Invite the others with: vitalfew team join --folder DIR --member NAME",
                    status.team, status.folder, status.member
                ),
            )
        }
        TeamCommand::Join { folder, member } => {
            let status = api.team_join(&folder, &member, &passphrase()?)?;
            emit(out, &format!("Joined team “{}” as {}.", status.team, status.member))?;
            show(out, &status)
        }
        TeamCommand::Status { json } => {
            let status = api.team_status()?;
            if json {
                emit_json(out, &status)
            } else {
                show(out, &status)
            }
        }
        TeamCommand::Sync { json } => {
            let report = api.team_sync()?;
            if json {
                emit_json(out, &report)
            } else {
                emit(out, &synced(&report))
            }
        }
        TeamCommand::Share { account } => share(api, &account, true, out),
        TeamCommand::Unshare { account } => share(api, &account, false, out),
        TeamCommand::Rekey => {
            let status = api.team_rekey(&passphrase()?)?;
            emit(
                out,
                &format!(
                    "New passphrase for team “{}”. Every member joins again with it: vitalfew team join --folder {} --member NAME",
                    status.team, status.folder
                ),
            )
        }
    }
}

fn share(api: &Api, account: &str, shared: bool, out: &mut dyn Write) -> Result<()> {
    let customer = api.find_customer(account)?;
    api.team_share(customer.id, shared)?;
    let what = if shared { "is shared with the team" } else { "is kept private from the next sync on" };
    emit(out, &format!("{} (id {}) {what}.", customer.name, customer.id))
}

fn synced(r: &SyncReport) -> String {
    let mut text = format!("Synced: {} sent, {} received.", r.sent, r.received);
    if r.imported > 0 {
        text.push_str(&format!(" {} imports of other members taken in.", r.imported));
    }
    for problem in &r.not_imported {
        text.push_str(&format!("\nNot imported: {problem}"));
    }
    if r.pending > 0 {
        text.push_str(&format!(" {} still syncing into the folder: taken in at the next sync.", r.pending));
    }
    if r.waiting > 0 {
        text.push_str(&format!(" {} shared accounts wait for their customer's sales data here.", r.waiting));
    }
    text
}

fn show(out: &mut dyn Write, s: &TeamStatus) -> Result<()> {
    let mut text = format!(
        "Team “{}” in {}; you are {}.\nLast sync: {}. Pending: {}. Shared key accounts: {}.\nMembers:",
        s.team,
        s.folder,
        s.member,
        s.last_sync.as_deref().unwrap_or("never"),
        s.pending,
        s.shared_accounts
    );
    for m in &s.members {
        let stale = if m.stale { "  (not synced for a week)" } else { "" };
        text.push_str(&format!("\n  {:<16} last change {}{stale}", m.name, m.last_change.as_deref().unwrap_or("—")));
    }
    emit(out, &text)
}

/// The passphrase: VITALFEW_TEAM_PASSPHRASE, else asked on the terminal
/// (without echo), else refused.
fn passphrase() -> Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_VAR) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::InvalidArgument(format!("no passphrase: set {PASSPHRASE_VAR} or run this on a terminal")));
    }
    rpassword::prompt_password("Team passphrase: ").map_err(|e| Error::InvalidArgument(format!("no passphrase: {e}")))
}

/// This computer's user name, as a member name can hold it.
fn default_member() -> String {
    let user = std::env::var("USERNAME").or_else(|_| std::env::var("USER")).unwrap_or_default();
    let plain: String = user.chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_').take(32).collect();
    if plain.is_empty() {
        "owner".to_string()
    } else {
        plain
    }
}
