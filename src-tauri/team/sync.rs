//! One document's sync through the team folder: the member's own new
//! changes go out as a chunk; every chunk not yet taken in (anyone's) is
//! loaded. Automerge merges; nothing here decides between two edits.

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash};

use super::folder::{FolderError, TeamFolder};

/// What a member's PC remembers of one document between syncs.
#[derive(Debug, Default, Clone)]
pub struct DocState {
    /// The heads whose changes are in the folder already.
    pub written: Vec<ChangeHash>,
    /// The chunks taken in.
    pub seen: BTreeSet<String>,
}

/// What one sync did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Synced {
    pub wrote: bool,
    pub took_in: usize,
    /// Chunks that did not open yet (still syncing): tried again next time.
    pub pending: usize,
}

pub fn sync(folder: &TeamFolder, member: &str, document: &str, doc: &mut AutoCommit, state: &mut DocState) -> Result<Synced, FolderError> {
    let mut synced = Synced::default();
    let heads = doc.get_heads();
    if heads != state.written {
        let changes = doc.save_after(&state.written);
        if !changes.is_empty() {
            let name = folder.write(member, document, &changes)?;
            state.seen.insert(format!("{member}/{name}"));
            synced.wrote = true;
        }
        state.written = heads;
    }
    for chunk in folder.chunks(document)? {
        let id = format!("{}/{}", chunk.member, chunk.name);
        if state.seen.contains(&id) {
            continue;
        }
        match folder.read(&chunk).map(|bytes| doc.load_incremental(&bytes)) {
            Some(Ok(_)) => {
                state.seen.insert(id);
                synced.took_in += 1;
            }
            _ => synced.pending += 1,
        }
    }
    // What came in is in the folder already.
    if synced.took_in > 0 && !synced.wrote {
        state.written = doc.get_heads();
    }
    Ok(synced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ActorId, ReadDoc, ROOT};
    use autosurgeon::{hydrate, reconcile, Hydrate, Reconcile};

    #[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
    struct Contact {
        #[key]
        id: u32,
        name: String,
        phone: String,
    }

    #[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
    struct Touch {
        #[key]
        id: String,
        by: String,
    }

    #[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
    struct Account {
        phase: String,
        checklist: Vec<String>,
        contacts: Vec<Contact>,
        touches: Vec<Touch>,
    }

    fn edit(doc: &mut AutoCommit, f: impl FnOnce(&mut Account)) {
        let mut a: Account = hydrate(doc).unwrap();
        f(&mut a);
        reconcile(doc, &a).unwrap();
    }

    /// Every order of `n` members syncing once each, then once more each.
    fn orders(n: usize) -> Vec<Vec<usize>> {
        if n == 1 {
            return vec![vec![0]];
        }
        let mut out = Vec::new();
        for rest in orders(n - 1) {
            for i in 0..=rest.len() {
                let mut o = rest.clone();
                o.insert(i, n - 1);
                out.push(o);
            }
        }
        out
    }

    #[test]
    fn three_members_editing_one_account_offline_end_alike_in_every_order() {
        let members = ["wangwei", "lina", "zhaolei"];
        for order in orders(3) {
            let dir = tempfile::tempdir().unwrap();
            let folder = TeamFolder::create(dir.path(), "team", "pass").unwrap();
            let mut origin = AutoCommit::new().with_actor(ActorId::from(b"owner".to_vec()));
            reconcile(&mut origin, &Account { phase: "establish".into(), checklist: vec![], contacts: vec![Contact { id: 1, name: "王伟".into(), phone: "111".into() }], touches: vec![] }).unwrap();
            let mut docs: Vec<AutoCommit> = members.iter().map(|m| origin.fork().with_actor(ActorId::from(m.as_bytes().to_vec()))).collect();
            let mut states = vec![DocState { written: origin.get_heads(), ..DocState::default() }; 3];
            folder.write("owner", "account-1", &origin.save()).unwrap();
            // Offline, each: the same phone, a touch each, a phase move, a checklist tick.
            edit(&mut docs[0], |a| { a.contacts[0].phone = "222".into(); a.touches.push(Touch { id: "t-w".into(), by: "wangwei".into() }); });
            edit(&mut docs[1], |a| { a.contacts[0].phone = "333".into(); a.touches.push(Touch { id: "t-l".into(), by: "lina".into() }); a.phase = "stabilize".into(); });
            edit(&mut docs[2], |a| { a.checklist.push("buys_continuously".into()); a.touches.push(Touch { id: "t-z".into(), by: "zhaolei".into() }); });
            for round in 0..2 {
                for &i in &order {
                    sync(&folder, members[i], "account-1", &mut docs[i], &mut states[i]).unwrap();
                }
                let _ = round;
            }
            let ends: Vec<Account> = docs.iter().map(|d| hydrate(d).unwrap()).collect();
            assert!(ends.iter().all(|e| *e == ends[0]), "order {order:?}: {ends:?}");
            let end = &ends[0];
            let mut by: Vec<&str> = end.touches.iter().map(|t| t.by.as_str()).collect();
            by.sort();
            assert_eq!(by, ["lina", "wangwei", "zhaolei"], "every touch kept");
            assert_eq!(end.phase, "stabilize");
            assert_eq!(end.checklist, ["buys_continuously"]);
            // The phone that lost is still there to show.
            let d = &docs[0];
            let (_, contacts) = d.get(ROOT, "contacts").unwrap().unwrap();
            let (_, first) = d.get(&contacts, 0).unwrap().unwrap();
            let mut phones: Vec<String> = d.get_all(&first, "phone").unwrap().iter().map(|(v, _)| v.as_str().unwrap_or_default().to_string()).collect();
            phones.sort();
            assert_eq!(phones, ["222", "333"]);
            assert!(["222", "333"].contains(&end.contacts[0].phone.as_str()));
        }
    }

    #[test]
    fn chunks_that_arrive_late_or_cut_are_taken_in_when_whole() {
        let dir = tempfile::tempdir().unwrap();
        let folder = TeamFolder::create(dir.path(), "team", "pass").unwrap();
        let mut a = AutoCommit::new().with_actor(ActorId::from(b"a".to_vec()));
        reconcile(&mut a, &Account { phase: "establish".into(), checklist: vec![], contacts: vec![], touches: vec![] }).unwrap();
        let mut sa = DocState::default();
        sync(&folder, "a", "acc", &mut a, &mut sa).unwrap();
        let mut b = AutoCommit::new().with_actor(ActorId::from(b"b".to_vec()));
        let mut sb = DocState::default();
        // b's PC has the chunk only half synced.
        let chunk = folder.chunks("acc").unwrap().remove(0);
        let path = dir.path().join("members").join("a").join("acc").join(&chunk.name);
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 7]).unwrap();
        assert_eq!(sync(&folder, "b", "acc", &mut b, &mut sb).unwrap(), Synced { wrote: false, took_in: 0, pending: 1 });
        std::fs::write(&path, &whole).unwrap();
        assert_eq!(sync(&folder, "b", "acc", &mut b, &mut sb).unwrap(), Synced { wrote: false, took_in: 1, pending: 0 });
        assert_eq!(hydrate::<_, Account>(&b).unwrap().phase, "establish");
    }

    #[test]
    fn garbage_sealed_with_the_team_key_is_pending_never_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let folder = TeamFolder::create(dir.path(), "team", "pass").unwrap();
        let mut a = AutoCommit::new().with_actor(ActorId::from(b"a".to_vec()));
        reconcile(&mut a, &Account { phase: "establish".into(), checklist: vec!["x".into()], contacts: vec![], touches: vec![] }).unwrap();
        let real = a.save();
        // Random bytes, and real changes cut or with one byte changed,
        // as a member's (buggy or newer) PC could seal them.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for i in 0..300 {
            let bytes: Vec<u8> = match i % 3 {
                0 => (0..(next() % 400)).map(|_| next() as u8).collect(),
                1 => real[..(next() as usize % real.len())].to_vec(),
                _ => {
                    let mut b = real.clone();
                    let at = next() as usize % b.len();
                    b[at] ^= 1 + (next() % 255) as u8;
                    b
                }
            };
            folder.write("m", "acc", &bytes).unwrap();
        }
        let mut b = AutoCommit::new().with_actor(ActorId::from(b"b".to_vec()));
        let mut state = DocState::default();
        let synced = sync(&folder, "b", "acc", &mut b, &mut state).unwrap();
        assert_eq!(synced.took_in + synced.pending, 300);
        assert!(synced.pending > 0);
        // What was taken in still reads, and the real document comes in whole.
        let _ = b.save();
        folder.write("a", "acc", &real).unwrap();
        sync(&folder, "b", "acc", &mut b, &mut state).unwrap();
        assert_eq!(hydrate::<_, Account>(&b).unwrap().phase, "establish");
    }
}
