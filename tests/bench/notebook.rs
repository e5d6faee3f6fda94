//! `cargo bench --bench notebook`: the account page of a key account with
//! `BENCH_CONTACTS` contacts (default 50) and `BENCH_TOUCHES` touches
//! (default 1,000), in a store holding a ledger of `BENCH_LINES` lines
//! (default 200,000) and `BENCH_CUSTOMERS` customers (default 20,000).
//! Target: the page's notebook loads in ≤ 100 ms. Also measured: saving one
//! more touch (one transaction and a flush), the relationship map (SVG),
//! This week, and a search.

use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate};
use vitalfew::accounts::Change as AccountChange;
use vitalfew::charts::ImageFormat;
use vitalfew::notebook::{Attitude, Change, Contact, Function, Influence, Item, Level, Touch, TouchKind};

#[path = "ledger.rs"]
mod ledger;
use ledger::*;

#[path = "process.rs"]
mod process;
use process::*;

const TARGET_MS: f64 = 100.0;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let lines = env_size("BENCH_LINES", 200_000);
    let customers = env_size("BENCH_CUSTOMERS", 20_000);
    let n_contacts = env_size("BENCH_CONTACTS", 50);
    let n_touches = env_size("BENCH_TOUCHES", 1_000);
    let (_tmp, api) = imported(lines, customers);
    let id = 1;
    api.change_account(id, AccountChange::Promote).expect("promote");
    let levels = [Level::Operational, Level::Management, Level::Decision];
    let functions = [Function::User, Function::Technical, Function::Finance];
    let attitudes = [Attitude::Supporter, Attitude::Neutral, Attitude::Opponent];
    let t = Instant::now();
    for i in 0..n_contacts as usize {
        let contact = Contact {
            name: format!("联系人{i}"),
            title: "经理".into(),
            level: Some(levels[i % 3]),
            function: Some(functions[(i / 3) % 3]),
            attitude: Some(attitudes[i % 3]),
            influence: Some(Influence::Medium),
            reports_to: (i > 0).then(|| (i as u64 - 1) / 4 + 1),
            cares_about: "交期和价格".into(),
            ..Default::default()
        };
        api.change_notebook(id, Change::Save { item: Item::Contact(contact) }).expect("add a contact");
    }
    let contacts_time = t.elapsed();
    let day0 = NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date");
    let touch = |i: u64| Touch {
        id: 0,
        date: day0 + Days::days(i as i64),
        kind: TouchKind::Visit,
        contacts: vec![i % n_contacts.max(1) + 1],
        summary: format!("第{i}次拜访：讨论了二号线的报价和交期，客户希望下月前给出方案。"),
        next: String::new(),
        due: None,
        hours: Some(2.0),
        cost: Some(300.0),
        by: String::new(),
        removed: false,
    };
    let t = Instant::now();
    let mut saves = Vec::with_capacity(n_touches as usize);
    for i in 0..n_touches {
        let start = Instant::now();
        api.change_notebook(id, Change::Save { item: Item::Touch(touch(i)) }).expect("log a touch");
        saves.push(start.elapsed());
    }
    let touches_time = t.elapsed();
    saves.sort();
    println!(
        "notebook: {n_contacts} contacts added in {}, {n_touches} touches logged in {} (one save, median {}, slowest {})",
        ms(contacts_time),
        ms(touches_time),
        ms(saves[saves.len() / 2]),
        ms(*saves.last().expect("some touches")),
    );

    let page = median(21, || api.notebook(id).expect("notebook"));
    let view = api.notebook(id).expect("notebook");
    assert_eq!((view.contacts.len() as u64, view.touches.len() as u64), (n_contacts, n_touches));
    let map = median(11, || api.relationship_map(id, ImageFormat::Svg, (900, 360), 1).expect("map"));
    let png = median(5, || api.relationship_map(id, ImageFormat::Png, (1920, 1080), 1).expect("map"));
    let week = median(11, || api.this_week().expect("this week"));
    let search = median(11, || api.search("报价").expect("search"));
    println!(
        "account page: {n_contacts} contacts, {n_touches} touches, store of {lines} lines / {customers} customers: notebook {} \
         (target ≤ {TARGET_MS} ms: {}); relationship map SVG {}, PNG 1920×1080 {}; This week {}; search {}",
        ms(page),
        if page.as_secs_f64() * 1000.0 <= TARGET_MS { "met" } else { "NOT met" },
        ms(map),
        ms(png),
        ms(week),
        ms(search),
    );
}
