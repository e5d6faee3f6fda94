//! The team: key accounts and their notebooks shared by a small team
//! through a folder they already sync, merged by Automerge (issue 23).
//!
//! `seal` (the key and what it seals) < `folder` (the shared folder's
//! layout) < `sync` (one document through the folder) < `doc` (records as
//! documents) < `local` (what this PC keeps) < `share` (a sync of the store)
//! < `membership` (create, join, status, share, re-key).

pub mod doc;
pub mod folder;
pub mod imports;
pub mod local;
pub mod membership;
pub mod seal;
pub mod share;
pub mod sync;
