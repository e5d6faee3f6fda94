//! The team: two and three data folders sharing one team folder. Edits made
//! apart merge in every order with nothing lost and the losing value shown;
//! a folder half synced, cut or gone is retried, never a crash; the folder
//! shows nothing readable; wrong input is one line, exit 1, nothing changed;
//! a new passphrase locks the old one out; a sync killed at any moment
//! leaves the store as before or after; backups hold the team.

mod common;
use common::{copy_dir, Cli};

use std::path::{Path, PathBuf};

use serde_json::Value;
use vitalfew::accounts::{Change as AccountChange, CheckItem, Phase};
use vitalfew::api::Api;
use vitalfew::notebook::{Change, Contact, Item, Touch, TouchKind};
use vitalfew::team::local::{Membership, MEMBERSHIP};

const PASSPHRASE: &str = "春风十里不如你呀";

/// Sales of two customers, the same file on every PC.
fn ledger(dir: &Path) -> PathBuf {
    let mut csv = String::from("订单号,日期,客户编号,客户名称,销售额,利润\n");
    for m in 1..=12 {
        csv.push_str(&format!("S{m},2026-{m:02}-10,C001,甲贸易公司,1000,300\n"));
    }
    csv.push_str("S900,2026-05-01,C002,乙公司,800,90\n");
    let file = dir.join("ledger.csv");
    std::fs::write(&file, csv).unwrap();
    file
}

/// A member's PC: its own data folder with the sales imported.
struct Pc {
    cli: Cli,
}

impl Pc {
    fn new(ledger: &Path) -> Pc {
        let cli = Cli::new();
        cli.ok(&["import", ledger.to_str().unwrap()]);
        Pc { cli }
    }

    fn run(&self, args: &[&str]) -> String {
        let o = self.cli.cmd_env(args, PASSPHRASE);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    }

    /// Fails with one line on stderr and exit 1.
    fn refused(&self, args: &[&str], passphrase: &str, needle: &str) {
        let o = self.cli.cmd_env(args, passphrase);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args)).unwrap()
    }

    fn api(&self) -> Api {
        Api::new(self.cli.dir())
    }
}

impl Cli {
    fn cmd_env(&self, args: &[&str], passphrase: &str) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_vitalfew"))
            .arg("--data-dir")
            .arg(self.dir())
            .args(args)
            .env_remove("VITALFEW_DATA_DIR")
            .env("VITALFEW_TEAM_PASSPHRASE", passphrase)
            .output()
            .unwrap()
    }
}

fn touch(summary: &str) -> Change {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let t = Touch { id: 0, date, kind: TouchKind::Call, contacts: vec![], summary: summary.into(), next: String::new(), due: None, hours: None, cost: None, by: String::new(), removed: false };
    Change::Save { item: Item::Touch(t) }
}

/// Customer C001's id on a PC.
fn c001(api: &Api) -> u32 {
    api.find_customer("C001").unwrap().id
}

/// What every member must see alike: the notebook page without what is
/// this PC's alone.
fn page(api: &Api) -> Value {
    let mut v = serde_json::to_value(api.notebook(c001(api)).unwrap()).unwrap();
    let o = v.as_object_mut().unwrap();
    for local in ["touch_due", "overdue_days"] {
        o.remove(local);
    }
    v
}

/// Every order of `n` members.
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

/// A team of `names.len()` members on the same sales, C001 a key account
/// with contact 王伟 (phone 138), everyone synced once.
fn team(root: &Path, names: &[&str]) -> (Vec<Pc>, PathBuf) {
    let ledger = ledger(root);
    let folder = root.join("team");
    let pcs: Vec<Pc> = names.iter().map(|_| Pc::new(&ledger)).collect();
    pcs[0].run(&["account", "promote", "C001"]);
    pcs[0].run(&["contact", "add", "C001", "--name", "王伟", "--phone", "13800001111", "--level", "decision", "--function", "finance", "--attitude", "supporter", "--influence", "high"]);
    pcs[0].run(&["team", "create", "--name", "华东销售部", "--folder", folder.to_str().unwrap(), "--member", names[0]]);
    for (pc, name) in pcs.iter().zip(names).skip(1) {
        pc.run(&["team", "join", "--folder", folder.to_str().unwrap(), "--member", name]);
    }
    (pcs, folder)
}

#[test]
fn three_members_editing_one_account_apart_end_alike_in_every_order() {
    for order in orders(3) {
        let root = tempfile::tempdir().unwrap();
        let (pcs, _) = team(root.path(), &["王伟", "李娜", "张强"]);
        let apis: Vec<Api> = pcs.iter().map(Pc::api).collect();
        let id = c001(&apis[1]);
        let contact = apis[1].notebook(id).unwrap().contacts[0].contact.clone();
        // Apart: the same phone changed twice, a touch each, a phase move, a tick.
        let phone = |api: &Api, phone: &str| {
            let c = Contact { phone: phone.into(), ..contact.clone() };
            api.change_notebook(id, Change::Save { item: Item::Contact(c) }).unwrap();
        };
        phone(&apis[0], "13900000000");
        phone(&apis[1], "13700000000");
        for (i, api) in apis.iter().enumerate() {
            api.change_notebook(id, touch(&format!("touch by member {i}"))).unwrap();
        }
        apis[1].change_account(id, AccountChange::Move { phase: Phase::Stabilize, at: None, reason: None, note: None }).unwrap();
        apis[2].change_account(id, AccountChange::Tick { item: CheckItem::ProductFit, done: true }).unwrap();
        for round in 0..2 {
            for &i in &order {
                apis[i].team_sync().unwrap_or_else(|e| panic!("order {order:?} round {round}: {e}"));
            }
        }
        let pages: Vec<Value> = apis.iter().map(page).collect();
        assert_eq!(pages[0], pages[1], "order {order:?}");
        assert_eq!(pages[1], pages[2], "order {order:?}");
        let p = &pages[0];
        let touches: Vec<&str> = p["touches"].as_array().unwrap().iter().map(|t| t["summary"].as_str().unwrap()).collect();
        assert_eq!(touches.len(), 3, "{touches:?}");
        for i in 0..3 {
            assert!(touches.contains(&format!("touch by member {i}").as_str()));
        }
        let by: Vec<&str> = p["touches"].as_array().unwrap().iter().map(|t| t["by"].as_str().unwrap_or_else(|| panic!("{t}"))).collect();
        for name in ["王伟", "李娜", "张强"] {
            assert!(by.contains(&name), "{by:?}");
        }
        assert_eq!(p["account"]["phase"], "stabilize");
        let accounts = apis[0].account_views(false).unwrap();
        let checklist = serde_json::to_value(&accounts[0]).unwrap();
        assert!(checklist.to_string().contains("product_fit"), "the tick came through: {checklist}");
        // One phone shows everywhere; the other is on the page with its author.
        let shown = p["contacts"][0]["phone"].as_str().unwrap();
        assert!(["13900000000", "13700000000"].contains(&shown));
        let conflicts = p["conflicts"].as_array().expect("the losing phone is shown");
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let c = &conflicts[0];
        assert_eq!((c["item"].as_str(), c["field"].as_str(), c["shown"].as_str()), (Some("王伟"), Some("phone"), Some(shown)));
        let (other, other_by) = if shown == "13900000000" { ("13700000000", "李娜") } else { ("13900000000", "王伟") };
        assert_eq!((c["other"].as_str(), c["other_by"].as_str()), (Some(other), Some(other_by)));
        assert!(c["other_at"].as_str().is_some_and(|at| at.starts_with("20")), "when the other member changed it: {c}");
        // Setting the phone again settles it, for everyone.
        phone(&apis[2], "13600000000");
        for api in apis.iter().rev().chain(&apis) {
            api.team_sync().unwrap();
        }
        for api in &apis {
            assert!(page(api).get("conflicts").is_none());
            assert_eq!(page(api)["contacts"][0]["phone"], "13600000000");
        }
    }
}

#[test]
fn a_touch_logged_on_one_pc_reaches_the_other_with_its_author_and_the_cli_commands_work_there() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, folder) = team(root.path(), &["王伟", "李娜"]);
    let (a, b) = (&pcs[0], &pcs[1]);
    // B sees the shared account and its contact.
    let contacts = b.json(&["contacts", "C001", "--json"]);
    assert_eq!(contacts[0]["name"], "王伟");
    b.run(&["touch", "C001", "--kind", "visit", "--summary", "Plant tour with 王伟"]);
    b.run(&["team", "sync"]);
    a.run(&["team", "sync"]);
    let nb = a.json(&["notebook", "C001", "--json"]);
    let t = &nb["touches"][0];
    assert_eq!((t["summary"].as_str(), t["by"].as_str()), (Some("Plant tour with 王伟"), Some("李娜")));
    assert_eq!(nb["timeline"][0]["by"], "李娜");
    // A's move reaches B.
    a.run(&["account", "move", "C001", "--phase", "stabilize"]);
    a.run(&["team", "sync"]);
    b.run(&["team", "sync"]);
    assert_eq!(b.json(&["notebook", "C001", "--json"])["account"]["phase"], "stabilize");
    let status = b.json(&["team", "status", "--json"]);
    for key in ["team", "member", "folder", "members", "shared_accounts", "pending", "last_sync"] {
        assert!(status.get(key).is_some(), "{key} in {status}");
    }
    assert_eq!((status["team"].as_str(), status["member"].as_str(), status["shared_accounts"].as_u64(), status["pending"].as_u64()), (Some("华东销售部"), Some("李娜"), Some(1), Some(0)));
    assert_eq!(Path::new(status["folder"].as_str().unwrap()), folder);
    let names: Vec<&str> = status["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李娜", "王伟"]);
    assert!(status["members"][0]["last_change"].is_string());
    // A change not synced yet is pending.
    b.run(&["contact", "add", "C001", "--name", "赵六", "--level", "operational", "--function", "user", "--attitude", "neutral"]);
    assert_eq!(b.json(&["team", "status", "--json"])["pending"], 1);
}

#[test]
fn the_team_folder_shows_nothing_readable() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, folder) = team(root.path(), &["wang", "lina"]);
    pcs[1].run(&["touch", "C001", "--kind", "call", "--summary", "报价单已发出 quote sent"]);
    pcs[1].run(&["team", "sync"]);
    let mut files = Vec::new();
    walk(&folder, &mut files);
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for secret in ["甲贸易公司", "王伟", "13800001111", "报价单", "quote sent", "C001", "华东"] {
            if f.ends_with("team.json") && secret == "华东" {
                continue; // The team's name is how members tell the folder.
            }
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{} shows {secret}", f.display());
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { walk(&p, out) } else { out.push(p) }
    }
}

#[test]
fn bad_input_is_one_line_exit_1_and_changes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, folder) = team(root.path(), &["wang", "lina"]);
    let ledger = ledger(root.path());
    let c = Pc::new(&ledger);
    let folder = folder.to_str().unwrap();
    c.refused(&["team", "join", "--folder", folder, "--member", "zhang"], "wrong passphrase!", "wrong passphrase");
    let not_team = root.path().join("photos");
    std::fs::create_dir_all(&not_team).unwrap();
    c.refused(&["team", "join", "--folder", not_team.to_str().unwrap(), "--member", "zhang"], PASSPHRASE, "not a team folder");
    c.refused(&["team", "join", "--folder", folder, "--member", "../zhang"], PASSPHRASE, "member");
    c.refused(&["team", "status"], PASSPHRASE, "no team");
    c.refused(&["team", "sync"], PASSPHRASE, "no team");
    c.refused(&["team", "create", "--name", "x", "--folder", folder, "--member", "zhang"], PASSPHRASE, "already");
    c.refused(&["team", "create", "--name", "x", "--folder", root.path().join("t2").to_str().unwrap()], "short", "at least 8");
    assert!(c.api().team().unwrap().is_none(), "nothing was changed");
    // A damaged chunk is no error: left for later.
    let chunk = first_chunk(Path::new(folder), "wang");
    let whole = std::fs::read(&chunk).unwrap();
    std::fs::write(&chunk, &whole[..whole.len() / 3]).unwrap();
    let c2 = Pc::new(&ledger);
    c2.run(&["team", "join", "--folder", folder, "--member", "zhao"]);
    let status = c2.json(&["team", "status", "--json"]);
    assert!(status["pending"].as_u64().unwrap() >= 1, "{status}");
    std::fs::write(&chunk, &whole).unwrap();
    c2.run(&["team", "sync"]);
    assert_eq!(c2.json(&["contacts", "C001", "--json"])[0]["name"], "王伟");
    // A member already in a team cannot join another.
    pcs[1].refused(&["team", "create", "--name", "y", "--folder", root.path().join("t3").to_str().unwrap()], PASSPHRASE, "already");
}

fn first_chunk(folder: &Path, member: &str) -> PathBuf {
    let mut files = Vec::new();
    walk(&folder.join("members").join(member), &mut files);
    files.into_iter().find(|f| f.to_string_lossy().contains("account-") && f.extension().is_some_and(|e| e == "chunk")).unwrap()
}

#[test]
fn files_arriving_late_cut_or_in_any_order_and_a_folder_gone_are_retried() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, folder) = team(root.path(), &["wang", "lina"]);
    let (a, b) = (&pcs[0], &pcs[1]);
    // B reaches the team through its own copy of the folder, which a sync
    // tool fills file by file, in another order, some cut at first.
    let mirror = root.path().join("mirror");
    copy_dir(&folder, &mirror);
    b.run(&["team", "join", "--folder", mirror.to_str().unwrap(), "--member", "lina"]);
    for i in 0..6 {
        a.run(&["touch", "C001", "--kind", "call", "--summary", &format!("call {i}")]);
        a.run(&["team", "sync"]);
    }
    let mut new: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut files = Vec::new();
    walk(&folder, &mut files);
    for f in files {
        let to = mirror.join(f.strip_prefix(&folder).unwrap());
        if !to.exists() || std::fs::read(&to).unwrap() != std::fs::read(&f).unwrap() {
            new.push((f, to));
        }
    }
    assert!(new.len() >= 6, "{new:?}");
    new.reverse();
    // Half of them arrive cut, the other half whole.
    for (i, (from, to)) in new.iter().enumerate() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let bytes = std::fs::read(from).unwrap();
        std::fs::write(to, if i % 2 == 0 { &bytes[..bytes.len() / 2] } else { &bytes[..] }).unwrap();
    }
    b.run(&["team", "sync"]);
    let status = b.json(&["team", "status", "--json"]);
    assert!(status["pending"].as_u64().unwrap() >= 1, "{status}");
    for (from, to) in &new {
        std::fs::copy(from, to).unwrap();
    }
    b.run(&["team", "sync"]);
    let touches = b.json(&["notebook", "C001", "--json"])["touches"].as_array().unwrap().len();
    assert_eq!(touches, 6);
    assert_eq!(b.json(&["team", "status", "--json"])["pending"], 0);
    // The folder gone (a NAS unplugged): one line, nothing changed, and back.
    let away = root.path().join("away");
    std::fs::rename(&mirror, &away).unwrap();
    b.run(&["touch", "C001", "--kind", "call", "--summary", "offline"]);
    let before = b.json(&["notebook", "C001", "--json"]);
    b.refused(&["team", "sync"], PASSPHRASE, "cannot be reached");
    assert_eq!(b.json(&["notebook", "C001", "--json"]), before);
    std::fs::rename(&away, &mirror).unwrap();
    b.run(&["team", "sync"]);
    assert_eq!(b.json(&["team", "status", "--json"])["pending"], 0);
}

#[test]
fn a_new_passphrase_locks_the_old_one_out_and_nothing_typed_meanwhile_is_lost() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, folder) = team(root.path(), &["wang", "lina"]);
    let (a, b) = (&pcs[0], &pcs[1]);
    let folder = folder.to_str().unwrap();
    b.run(&["touch", "C001", "--kind", "call", "--summary", "typed before the new passphrase"]);
    let new = "秋月无边新口令呀";
    let o = a.cli.cmd_env(&["team", "rekey"], new);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    a.run(&["touch", "C001", "--kind", "visit", "--summary", "after the new passphrase"]);
    let o = a.cli.cmd_env(&["team", "sync"], new);
    assert!(o.status.success());
    b.refused(&["team", "sync"], PASSPHRASE, "passphrase has changed");
    b.refused(&["team", "join", "--folder", folder, "--member", "lina"], PASSPHRASE, "wrong passphrase");
    let o = b.cli.cmd_env(&["team", "join", "--folder", folder, "--member", "lina"], new);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    a.run(&["team", "sync"]);
    for pc in [a, b] {
        let nb = pc.json(&["notebook", "C001", "--json"]);
        let summaries: Vec<&str> = nb["touches"].as_array().unwrap().iter().map(|t| t["summary"].as_str().unwrap()).collect();
        assert!(summaries.contains(&"typed before the new passphrase") && summaries.contains(&"after the new passphrase"), "{summaries:?}");
    }
    // A leaver with the old passphrase: cannot join, reads nothing new.
    let ledger = ledger(root.path());
    Pc::new(&ledger).refused(&["team", "join", "--folder", folder, "--member", "leaver"], PASSPHRASE, "wrong passphrase");
}

#[test]
fn notebooks_kept_on_two_pcs_before_the_team_are_both_kept() {
    let root = tempfile::tempdir().unwrap();
    let ledger = ledger(root.path());
    let (a, b) = (Pc::new(&ledger), Pc::new(&ledger));
    for (pc, name) in [(&a, "王伟"), (&b, "李娜")] {
        pc.run(&["account", "promote", "C001"]);
        pc.run(&["contact", "add", "C001", "--name", name, "--level", "decision", "--function", "finance", "--attitude", "supporter"]);
        pc.run(&["touch", "C001", "--kind", "visit", "--contact", "1", "--summary", &format!("visit {name}")]);
    }
    let folder = root.path().join("team");
    a.run(&["team", "create", "--name", "t", "--folder", folder.to_str().unwrap(), "--member", "a"]);
    b.run(&["team", "join", "--folder", folder.to_str().unwrap(), "--member", "b"]);
    a.run(&["team", "sync"]);
    for pc in [&a, &b] {
        let nb = pc.json(&["notebook", "C001", "--json"]);
        let contacts: Vec<&str> = nb["contacts"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(contacts.len(), 2, "{contacts:?}");
        let touches = nb["touches"].as_array().unwrap();
        assert_eq!(touches.len(), 2);
        // Each touch still names its own PC's contact.
        for t in touches {
            let who = t["contacts"][0].as_u64().unwrap();
            let named = nb["contacts"].as_array().unwrap().iter().find(|c| c["id"].as_u64() == Some(who)).unwrap();
            assert_eq!(t["summary"].as_str().unwrap(), format!("visit {}", named["name"].as_str().unwrap()));
        }
    }
}

/// The id lane of a PC's member, as its store keeps it.
fn lane(pc: &Pc) -> u8 {
    let store = vitalfew::store::Store::open(&pc.cli.dir()).unwrap();
    store.get::<Membership>(MEMBERSHIP).unwrap().unwrap().lane
}

#[test]
fn two_members_who_join_blind_to_each_other_take_lanes_apart_at_their_next_sync() {
    let root = tempfile::tempdir().unwrap();
    let (_, folder) = team(root.path(), &["王伟"]);
    let ledger = root.path().join("ledger.csv");
    let (b, c) = (Pc::new(&ledger), Pc::new(&ledger));
    // C joins through its own copy of the folder, which has not seen B's
    // join yet, and draws the lane B drew (forced here: a draw makes it rare).
    let mirror = root.path().join("mirror");
    copy_dir(&folder, &mirror);
    b.run(&["team", "join", "--folder", folder.to_str().unwrap(), "--member", "李娜"]);
    c.run(&["team", "join", "--folder", mirror.to_str().unwrap(), "--member", "张强"]);
    let shared = lane(&b);
    {
        let store = vitalfew::store::Store::open(&c.cli.dir()).unwrap();
        store.update::<Membership>(MEMBERSHIP, |m| Ok(Membership { lane: shared, ..m.unwrap() })).unwrap();
    }
    c.run(&["team", "sync"]);
    // The sync tool brings each copy the other's files; the first sync
    // that shows both moves the one whose name sorts later (李 after 张).
    let exchange = || {
        copy_dir(&folder, &mirror);
        copy_dir(&mirror, &folder);
    };
    for _ in 0..2 {
        exchange();
        b.run(&["team", "sync"]);
        c.run(&["team", "sync"]);
    }
    assert_eq!(lane(&c), shared);
    assert_ne!(lane(&b), shared);
    assert_ne!(lane(&b), 0);
    // What they add apart from now on never shares an id.
    b.run(&["touch", "C001", "--kind", "call", "--summary", "call by 李娜"]);
    c.run(&["touch", "C001", "--kind", "visit", "--summary", "visit by 张强"]);
    for _ in 0..2 {
        b.run(&["team", "sync"]);
        c.run(&["team", "sync"]);
        exchange();
    }
    let pages = [&b, &c].map(|pc| pc.json(&["notebook", "C001", "--json"]));
    assert_eq!(pages[0]["touches"], pages[1]["touches"]);
    let ids: std::collections::BTreeSet<u64> = pages[0]["touches"].as_array().unwrap().iter().map(|t| t["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{}", pages[0]["touches"]);
}

#[test]
fn a_private_account_stays_on_its_pc() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, _) = team(root.path(), &["wang", "lina"]);
    let (a, b) = (&pcs[0], &pcs[1]);
    a.run(&["account", "promote", "C002"]);
    a.run(&["team", "unshare", "C002"]);
    a.run(&["contact", "add", "C002", "--name", "私人联系人", "--level", "decision", "--function", "finance", "--attitude", "supporter"]);
    a.run(&["team", "sync"]);
    b.run(&["team", "sync"]);
    let accounts = b.json(&["accounts", "--json"]);
    assert_eq!(accounts.as_array().unwrap().len(), 1, "{accounts}");
    let status = a.json(&["team", "status", "--json"]);
    assert_eq!(status["shared_accounts"], 1);
    let shared: Vec<(String, bool)> = status["accounts"].as_array().unwrap().iter().map(|x| (x["name"].as_str().unwrap().to_string(), x["shared"].as_bool().unwrap())).collect();
    assert!(shared.contains(&("乙公司".to_string(), false)), "{shared:?}");
    a.run(&["team", "share", "C002"]);
    a.run(&["team", "sync"]);
    b.run(&["team", "sync"]);
    assert_eq!(b.json(&["contacts", "C002", "--json"])[0]["name"], "私人联系人");
}

#[test]
fn backups_hold_the_team_and_a_restored_pc_syncs_on() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, _) = team(root.path(), &["wang", "lina"]);
    let (a, b) = (&pcs[0], &pcs[1]);
    let backup = root.path().join("b.vfbackup");
    b.run(&["backup", "--out", backup.to_str().unwrap()]);
    a.run(&["touch", "C001", "--kind", "call", "--summary", "after the backup"]);
    a.run(&["team", "sync"]);
    b.run(&["touch", "C001", "--kind", "call", "--summary", "lost with the PC, then typed again"]);
    b.run(&["restore", backup.to_str().unwrap()]);
    let status = b.json(&["team", "status", "--json"]);
    assert_eq!(status["member"], "lina", "the backup holds the membership");
    b.run(&["team", "sync"]);
    let nb = b.json(&["notebook", "C001", "--json"]);
    let summaries: Vec<&str> = nb["touches"].as_array().unwrap().iter().map(|t| t["summary"].as_str().unwrap()).collect();
    assert_eq!(summaries, ["after the backup"]);
    b.run(&["touch", "C001", "--kind", "call", "--summary", "typed after the restore"]);
    b.run(&["team", "sync"]);
    a.run(&["team", "sync"]);
    let nb = a.json(&["notebook", "C001", "--json"]);
    assert_eq!(nb["touches"].as_array().unwrap().len(), 2);
}

#[test]
fn an_import_reaches_the_team_and_brings_the_accounts_waiting_for_it() {
    let root = tempfile::tempdir().unwrap();
    let (pcs, _) = team(root.path(), &["wang", "lina"]);
    let (a, b) = (&pcs[0], &pcs[1]);
    // A new customer's sales, imported on A only, and its account shared.
    let file = root.path().join("二月.csv");
    std::fs::write(&file, "订单号,日期,客户编号,客户名称,销售额,利润\nF1,2026-02-03,C003,丙公司,5000,1200\nF2,2026-02-04,C003,丙公司,3000,700\n").unwrap();
    a.run(&["import", file.to_str().unwrap()]);
    a.run(&["account", "promote", "C003"]);
    a.run(&["contact", "add", "C003", "--name", "丙经理", "--level", "decision", "--function", "user", "--attitude", "supporter"]);
    a.run(&["team", "sync"]);
    let out = b.run(&["team", "sync"]);
    assert!(out.contains("1 imports of other members taken in"), "{out}");
    let customers = |pc: &Pc| {
        let mut rows: Vec<(String, f64)> = pc.json(&["customers", "--json"]).as_array().unwrap().iter().map(|c| (c["name"].as_str().unwrap().to_string(), c["profit"].as_f64().unwrap())).collect();
        rows.sort_by(|x, y| x.0.cmp(&y.0));
        rows
    };
    assert_eq!(customers(a), customers(b), "the same figures on both PCs");
    // The account waited for its customer: it is on B now, in this sync.
    assert_eq!(b.json(&["contacts", "C003", "--json"])[0]["name"], "丙经理");
    // Applied once: nothing more at the next sync, and nothing sent back.
    let again = b.run(&["team", "sync"]);
    assert!(!again.contains("imports"), "{again}");
    assert_eq!(b.json(&["imports", "--json"]).as_array().unwrap().len(), 2);
}

#[test]
fn a_solo_owner_sees_no_change() {
    let root = tempfile::tempdir().unwrap();
    let pc = Pc::new(&ledger(root.path()));
    pc.run(&["account", "promote", "C001"]);
    pc.run(&["touch", "C001", "--kind", "call", "--summary", "solo"]);
    let nb = pc.json(&["notebook", "C001", "--json"]);
    assert!(nb.get("conflicts").is_none());
    assert!(nb["touches"][0].get("by").is_none());
    assert!(nb["timeline"][0].get("by").is_none());
    assert_eq!(nb["touches"][0]["id"], 1, "ids count up from 1 as always");
}

/// A sync killed (SIGKILL) at any moment leaves every account as before it
/// or as after it; the next sync completes it.
#[cfg(unix)]
#[test]
fn a_sync_killed_at_any_moment_leaves_the_store_as_before_or_after() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let root = tempfile::tempdir().unwrap();
    let mut csv = String::from("订单号,日期,客户编号,客户名称,销售额,利润\n");
    for c in 0..40 {
        csv.push_str(&format!("S{c},2026-03-10,K{c:03},客户{c},1000,300\n"));
    }
    let ledger = root.path().join("l.csv");
    std::fs::write(&ledger, csv).unwrap();
    let (a, b) = (Pc::new(&ledger), Pc::new(&ledger));
    let folder = root.path().join("team");
    for c in 0..40 {
        a.run(&["account", "promote", &format!("K{c:03}")]);
    }
    a.run(&["team", "create", "--name", "t", "--folder", folder.to_str().unwrap(), "--member", "a"]);
    b.run(&["team", "join", "--folder", folder.to_str().unwrap(), "--member", "b"]);
    {
        let api = a.api();
        for c in 0..40 {
            let id = api.find_customer(&format!("K{c:03}")).unwrap().id;
            for t in 0..5 {
                api.change_notebook(id, touch(&format!("t{t}"))).unwrap();
            }
        }
        api.team_sync().unwrap();
    }
    let counts = |pc: &Pc| -> Vec<usize> {
        let api = pc.api();
        (0..40).map(|c| api.notebook(api.find_customer(&format!("K{c:03}")).unwrap().id).unwrap().touches.len()).collect()
    };
    let probe = root.path().join("probe");
    copy_dir(&b.cli.dir(), &probe);
    let started = Instant::now();
    let run = |dir: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vitalfew")).arg("--data-dir").arg(dir).args(["team", "sync"]).env_remove("VITALFEW_DATA_DIR").stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
    };
    assert!(run(&probe).wait().unwrap().success());
    let full = started.elapsed();
    for attempt in 0..6u32 {
        let mut child = run(&b.cli.dir());
        std::thread::sleep(full.mul_f64(0.15 * f64::from(attempt)) + Duration::from_millis(1));
        let _ = child.kill();
        let _ = child.wait();
        let seen = counts(&b);
        assert!(seen.iter().all(|n| *n == 0) || seen.iter().all(|n| *n == 5), "attempt {attempt}: a mix {seen:?}");
    }
    b.run(&["team", "sync"]);
    assert!(counts(&b).iter().all(|n| *n == 5));
}
