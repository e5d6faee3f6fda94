//! `cargo bench --bench team`: the team sync (issue 23) of
//! `BENCH_TEAM_ACCOUNTS` shared key accounts (default 200), each with
//! `BENCH_TEAM_CONTACTS` contacts (default 20) and `BENCH_TEAM_TOUCHES`
//! touches (default 100), between two PCs with the same sales (a ledger of
//! 50 lines per customer, 5 customers per key account).
//!
//! Measured, all through the Api: PC A creating the team (the first sync
//! writes every document) and the team folder's size; PC B joining it (its
//! first sync takes in every document and makes the records: target ≤ 10 s);
//! a sync on each PC after A logs one touch (target ≤ 200 ms each); the
//! account page on B (it also reads the account's document for conflicts:
//! target ≤ 100 ms) against the same page before the team; a sync with
//! nothing new.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate};
use vitalfew::accounts::Change as AccountChange;
use vitalfew::api::Api;
use vitalfew::notebook::{Attitude, Change, Contact, Function, Influence, Item, Level, Touch, TouchKind};
use vitalfew::store::Store;
use vitalfew::team::local::{self, SharedDoc};
use vitalfew::team::share::doc_name;

#[path = "ledger.rs"]
mod ledger;
use ledger::*;

#[path = "process.rs"]
mod process;
use process::*;

const JOIN_TARGET_S: f64 = 10.0;
const SYNC_TARGET_MS: f64 = 200.0;
const PAGE_TARGET_MS: f64 = 100.0;
const PASSPHRASE: &str = "春风十里不如你呀 bench";
const SYNC_RUNS: usize = 5;
const PAGE_RUNS: usize = 20;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn met(d: Duration, target_ms: f64) -> &'static str {
    if d.as_secs_f64() * 1000.0 <= target_ms {
        "met"
    } else {
        "NOT met"
    }
}

fn files(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| if e.path().is_dir() { files(&e.path()) } else { 1 })
                .sum()
        })
        .unwrap_or(0)
}

/// Reading where every kept document's sync stands (what every sync does
/// first), and loading one document (what the page adds).
fn loading(store: &Store, one: &str) -> (usize, Duration, Duration) {
    let mut count = 0;
    let all = median(3, || {
        let docs = store.all::<SharedDoc>().expect("kept documents");
        count = docs.len();
        docs.len()
    });
    let single = median(PAGE_RUNS, || local::read(store, one).expect("read").expect("the account's document"));
    (count, all, single)
}

/// The key accounts' notebooks on PC A: each account promoted, then its
/// contacts and touches saved one change at a time, as the owner types them.
fn fill(api: &Api, ids: &[u32], n_contacts: u64, n_touches: u64) {
    let levels = [Level::Operational, Level::Management, Level::Decision];
    let functions = [Function::User, Function::Technical, Function::Finance];
    let attitudes = [Attitude::Supporter, Attitude::Neutral, Attitude::Opponent];
    let day0 = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    for &id in ids {
        api.change_account(id, AccountChange::Promote).expect("promote");
        for i in 0..n_contacts {
            let contact = Contact {
                name: format!("联系人{i}"),
                title: "经理".into(),
                phone: format!("1380000{i:04}"),
                level: Some(levels[i as usize % 3]),
                function: Some(functions[(i as usize / 3) % 3]),
                attitude: Some(attitudes[i as usize % 3]),
                influence: Some(Influence::Medium),
                reports_to: (i > 0).then(|| (i - 1) / 4 + 1),
                cares_about: "交期和价格".into(),
                ..Default::default()
            };
            api.change_notebook(id, Change::Save { item: Item::Contact(contact) }).expect("add a contact");
        }
        for i in 0..n_touches {
            let touch = Touch {
                id: 0,
                date: day0 + Days::days(i as i64 * 3),
                kind: if i % 4 == 0 { TouchKind::Visit } else { TouchKind::Call },
                contacts: if n_contacts > 0 { vec![i % n_contacts + 1] } else { vec![] },
                summary: format!("第{i}次拜访：讨论了二号线的报价和交期，客户希望下月前给出方案。"),
                next: String::new(),
                due: None,
                hours: Some(2.0),
                cost: Some(300.0),
                by: String::new(),
                removed: false,
            };
            api.change_notebook(id, Change::Save { item: Item::Touch(touch) }).expect("log a touch");
        }
    }
}

fn main() {
    let n_accounts = env_size("BENCH_TEAM_ACCOUNTS", 200);
    let n_contacts = env_size("BENCH_TEAM_CONTACTS", 20);
    let n_touches = env_size("BENCH_TEAM_TOUCHES", 100);
    let customers = n_accounts * 5;
    let lines = customers * 50;
    let size = format!("{n_accounts} shared accounts × {n_contacts} contacts, {n_touches} touches");

    // Two PCs with the same sales, each its own data folder; the team folder.
    let (_tmp_a, a) = imported(lines, customers);
    let (_tmp_b, b) = imported(lines, customers);
    let team_dir = tempfile::Builder::new().prefix("vitalfew-bench-team-").tempdir().expect("temp dir");
    let folder = team_dir.path().join("华东销售部");

    // The key accounts: A's first customers, found on B by their ID in the files.
    let mut on_a = a.store().expect("store").customers().expect("customers");
    on_a.sort_by_key(|c| c.id);
    let shared: Vec<(u32, u32)> = on_a
        .iter()
        .take(n_accounts as usize)
        .map(|c| {
            let ext = c.ext_id.as_deref().expect("customers have an ID");
            (c.id, b.find_customer(ext).expect("the same customer on B").id)
        })
        .collect();
    let ids_a: Vec<u32> = shared.iter().map(|(a, _)| *a).collect();
    let (page_a, page_b) = shared[0];
    let (touched_a, touched_b) = *shared.last().expect("some accounts");

    // 1. A's notebooks (setup), then A creates the team.
    let t = Instant::now();
    fill(&a, &ids_a, n_contacts, n_touches);
    let items = n_accounts * (n_contacts + n_touches);
    println!(
        "setup: PC A's notebooks, {size} ({items} changes, one transaction each), ledger of {lines} lines / {customers} customers: {}",
        secs(t.elapsed())
    );
    // The same page before the team: what the page costs without a document.
    let solo = median(PAGE_RUNS, || a.notebook(page_a).expect("notebook"));

    let t = Instant::now();
    let status = a.team_create(&folder, "华东销售部", "王伟", PASSPHRASE).expect("create the team");
    let create = t.elapsed();
    assert_eq!(status.shared_accounts as u64, n_accounts);
    assert_eq!(status.pending, 0, "everything sent");
    println!(
        "team create (PC A, first sync writes every document): {size}: {} (passphrase key included); team folder {} in {} files",
        secs(create),
        mb(dir_size(&folder)),
        files(&folder),
    );

    // 2. B joins: takes in every document and makes the records.
    let t = Instant::now();
    let status = b.team_join(&folder, "李娜", PASSPHRASE).expect("join the team");
    let join = t.elapsed();
    assert_eq!(status.waiting, 0, "every customer is on B");
    let view = b.notebook(page_b).expect("the shared account on B");
    assert_eq!((view.contacts.len() as u64, view.touches.len() as u64), (n_contacts, n_touches));
    println!(
        "team join (PC B, first sync takes in every document): {size}: {} (target ≤ {JOIN_TARGET_S} s: {}); \
         PC B wrote {} files into the team folder",
        secs(join),
        met(join, JOIN_TARGET_S * 1000.0),
        files(&folder.join("members").join("李娜")),
    );

    // 3. A logs one touch, A syncs, B syncs.
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    let (mut sent, mut taken) = (Vec::new(), Vec::new());
    let mut first_received = 0;
    for k in 0..SYNC_RUNS {
        let touch = Touch {
            id: 0,
            date: day + Days::days(k as i64),
            kind: TouchKind::Call,
            contacts: vec![],
            summary: format!("电话{k}：确认了下周的送货安排。"),
            next: String::new(),
            due: None,
            hours: None,
            cost: None,
            by: String::new(),
            removed: false,
        };
        a.change_notebook(touched_a, Change::Save { item: Item::Touch(touch) }).expect("log a touch");
        let t = Instant::now();
        let report = a.team_sync().expect("sync on A");
        sent.push(t.elapsed());
        assert_eq!(report.sent, 1, "one document goes out: {report:?}");
        if k == 0 {
            first_received = report.received;
        }
        let t = Instant::now();
        let report = b.team_sync().expect("sync on B");
        taken.push(t.elapsed());
        assert!(report.received >= 1 && report.changed, "B takes it in: {report:?}");
    }
    let touches_b = b.notebook(touched_b).expect("notebook").touches.len() as u64;
    assert_eq!(touches_b, n_touches + SYNC_RUNS as u64, "every touch reached B");
    sent.sort();
    taken.sort();
    let first = format!("; A's first sync after B joined also took in {first_received} documents");
    for (who, times, note) in [("PC A sends one touch", &sent, first.as_str()), ("PC B takes it in", &taken, "")] {
        let (median, max) = (times[times.len() / 2], *times.last().expect("some runs"));
        println!(
            "incremental sync, {who}: {size}: median {}, max {} of {SYNC_RUNS} (target ≤ {SYNC_TARGET_MS} ms: {}){note}",
            ms(median),
            ms(max),
            met(max, SYNC_TARGET_MS),
        );
    }

    // 4. The account page on B, against the same page before the team.
    let page = median(PAGE_RUNS, || b.notebook(page_b).expect("notebook"));
    let customer = b.find_customer(&page_b.to_string()).expect("the customer on B");
    let (kept, load_all, load_one) = loading(&b.store().expect("store"), &doc_name(&customer));
    println!(
        "account page on PC B (team: reads the account's document for conflicts): {n_contacts} contacts, {n_touches} touches, \
         {n_accounts} shared accounts: median {} of {PAGE_RUNS} (target ≤ {PAGE_TARGET_MS} ms: {}), of which loading the \
         account's document {}; solo (PC A before the team): {}",
        ms(page),
        met(page, PAGE_TARGET_MS),
        ms(load_one),
        ms(solo),
    );

    // 5. A sync with nothing new.
    let mut idle = Vec::new();
    for _ in 0..SYNC_RUNS {
        let t = Instant::now();
        let report = b.team_sync().expect("sync on B");
        idle.push(t.elapsed());
        assert!(report.sent == 0 && report.received == 0 && !report.changed, "nothing new: {report:?}");
    }
    idle.sort();
    println!(
        "sync with nothing new (PC B): {size}: median {}, max {} of {SYNC_RUNS} (reading where the {kept} documents \
         kept on B stand: {}); team folder now {} in {} files",
        ms(idle[idle.len() / 2]),
        ms(*idle.last().expect("some runs")),
        ms(load_all),
        mb(dir_size(&folder)),
        files(&folder),
    );
}
