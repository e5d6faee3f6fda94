//! The team: key accounts and their notebooks shared by a small team
//! through a folder they already sync, merged by Automerge (work in
//! progress, issue 23: not yet reachable from the window or the CLI; see
//! the session note of 2026-12-06).

pub mod folder;
pub mod seal;
pub mod sync;
