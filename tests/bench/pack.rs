//! `cargo bench --bench pack`: the meeting pack of `BENCH_ACCOUNTS` key
//! accounts (default 20), each with 6 contacts, `BENCH_TOUCHES` touches
//! (default 30), two surveys and two open actions, in a store holding a
//! ledger of `BENCH_LINES` lines (default 200,000) and `BENCH_CUSTOMERS`
//! customers (default 20,000). Target: the whole PDF in ≤ 2 s.

use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate};
use vitalfew::accounts::{AccountType, Change as AccountChange};
use vitalfew::model::Lang;
use vitalfew::notebook::{Attitude, Change, Contact, Function, Item, Level, Survey, Touch, TouchKind};
use vitalfew::pack::PackRequest;

#[path = "ledger.rs"]
mod ledger;
use ledger::*;

#[path = "process.rs"]
mod process;
use process::*;

const TARGET_S: f64 = 2.0;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let lines = env_size("BENCH_LINES", 200_000);
    let customers = env_size("BENCH_CUSTOMERS", 20_000);
    let n_accounts = env_size("BENCH_ACCOUNTS", 20) as usize;
    let n_touches = env_size("BENCH_TOUCHES", 30);
    let (_tmp, api) = imported(lines, customers);
    let mut rows = api.customers().expect("customers");
    rows.sort_by(|a, b| b.profit.unwrap_or(f64::MIN).total_cmp(&a.profit.unwrap_or(f64::MIN)));
    let levels = [Level::Decision, Level::Management, Level::Operational];
    let functions = [Function::User, Function::Technical, Function::Finance];
    let attitudes = [Attitude::Supporter, Attitude::Neutral, Attitude::Opponent];
    let day0 = NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date");
    let t = Instant::now();
    for (k, row) in rows.iter().take(n_accounts).enumerate() {
        let id = row.id;
        api.change_account(id, AccountChange::Promote).expect("promote");
        api.change_account(id, AccountChange::SetType { account_type: AccountType::ALL[k % 4], suggested: None }).expect("type");
        for (i, due) in [(1, 10), (2, 40)] {
            let text = format!("第{i}项：准备二号线的报价和交期方案，并约客户技术部复核");
            api.change_account(id, AccountChange::AddAction { text, due: day0 + Days::days(due + 900) }).expect("action");
        }
        for i in 0..6 {
            let contact = Contact {
                name: format!("联系人{k}-{i}"),
                title: "经理".into(),
                level: Some(levels[i % 3]),
                function: Some(functions[(i / 2) % 3]),
                attitude: Some(attitudes[(i + k) % 3]),
                ..Default::default()
            };
            api.change_notebook(id, Change::Save { item: Item::Contact(contact) }).expect("contact");
        }
        for i in 0..n_touches {
            let touch = Touch {
                id: 0,
                date: day0 + Days::days(i as i64 * 7),
                kind: TouchKind::Visit,
                contacts: vec![i % 6 + 1],
                summary: format!("第{i}次拜访：讨论了二号线的报价和交期，客户希望下月前给出方案。"),
                next: String::new(),
                due: None,
                hours: Some(2.0),
                cost: Some(300.0),
                by: String::new(),
                removed: false,
            };
            api.change_notebook(id, Change::Save { item: Item::Touch(touch) }).expect("touch");
        }
        for (i, overall) in [3u8, 4].into_iter().enumerate() {
            let survey = Survey { date: day0 + Days::days(100 * i as i64), product: 4, service: 4, delivery: 3, price: 3, overall, ..Default::default() };
            api.change_notebook(id, Change::Save { item: Item::Survey(survey) }).expect("survey");
        }
    }
    println!("pack: {n_accounts} key accounts with 6 contacts, {n_touches} touches, 2 surveys and 2 actions each, set up in {}", secs(t.elapsed()));

    for lang in [Lang::En, Lang::ZhCn] {
        let req = PackRequest { lang: Some(lang), ..PackRequest::default() };
        let mut bytes = 0;
        let steps = std::cell::Cell::new(0);
        let t = Instant::now();
        let first = api.meeting_pack(&req, &|p| steps.set(p.total)).expect("pack");
        let first_time = t.elapsed();
        assert!(first.starts_with(b"%PDF"), "a PDF");
        let typical = median(5, || {
            bytes = api.meeting_pack(&req, &|_| {}).expect("pack").len();
        });
        println!(
            "pack ({}): {n_accounts} key accounts, store of {lines} lines / {customers} customers: {} steps, {} bytes; \
             first {}, median of 5 {} (target ≤ {TARGET_S} s: {})",
            lang.tag(),
            steps.get(),
            bytes,
            secs(first_time),
            secs(typical),
            if typical.as_secs_f64() <= TARGET_S { "met" } else { "NOT met" },
        );
    }
}
