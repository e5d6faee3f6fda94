//! The team: File ▸ Team… (create, join, members, shared accounts, a new
//! passphrase), the sync the window runs, and the status it shows.

use std::path::Path;

use super::{operations, window};
use crate::team::membership::TeamStatus;
use crate::team::share::SyncReport;

operations! {
    /// The team as this PC sees it (null: a solo owner).
    get_team() -> Option<TeamStatus> => |api| api.team();
    /// Makes `folder` a new team's folder, with this PC as `member`.
    create_team(folder: String, name: String, member: String, passphrase: String) -> TeamStatus => move |api| api.team_create(Path::new(&folder), &name, &member, &passphrase);
    /// Joins the team whose folder is `folder` (also how a member takes a new passphrase).
    join_team(folder: String, member: String, passphrase: String) -> TeamStatus => move |api| api.team_join(Path::new(&folder), &member, &passphrase);
    /// One sync with the team folder.
    sync_team() -> SyncReport => |api| api.team_sync();
    /// Shares a key account with the team, or keeps it private.
    share_account(customer: u32, shared: bool) -> TeamStatus => move |api| api.team_share(customer, shared);
    /// A new team passphrase (after a member left).
    rekey_team(passphrase: String) -> TeamStatus => move |api| api.team_rekey(&passphrase);
    /// The team folder the owner picks (null: cancelled).
    pick_team_folder() -> Option<String> => with window::pick_team_folder;
}
