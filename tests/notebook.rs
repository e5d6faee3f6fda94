//! The key-account notebook through the CLI: contacts with buying roles, the
//! buying map, touches that reset the cadence and add actions, what is due,
//! holidays, refusals that save nothing, and notebooks inside backups.

mod common;
use common::Cli;


use chrono::{Datelike, Duration, Local};
use serde_json::Value;

type Store = Cli;

impl Cli {
    /// A store with customers C001 (甲贸易公司, promoted, economic) and C002.
    fn with_account() -> Store {
        let s = Cli::new();
        let mut csv = String::from("订单号,日期,客户编号,客户名称,销售额,利润\n");
        for m in 1..=12 {
            csv.push_str(&format!("S{m},2026-{m:02}-10,C001,甲贸易公司,1000,300\n"));
        }
        csv.push_str("S900,2026-05-01,C002,乙公司,800,90\n");
        let file = s.path().join("ledger.csv");
        std::fs::write(&file, csv).unwrap();
        s.ok(&["import", file.to_str().unwrap()]);
        s.ok(&["account", "promote", "C001"]);
        s.ok(&["account", "set-type", "C001", "economic"]);
        s
    }
}

#[test]
fn contacts_fill_the_buying_map_and_touches_reset_the_cadence() {
    let s = Store::with_account();
    let boss = s.ok(&["contact", "add", "C001", "--name", "王伟", "--title", "总经理", "--level", "decision", "--function", "finance", "--attitude", "supporter", "--influence", "high", "--lunar-birthday", "08-15"]);
    assert_eq!(boss.trim(), "1");
    let li: Value = s.json(&["contact", "add", "C001", "--name", "李娜", "--level", "operational", "--function", "user", "--attitude", "neutral", "--reports-to", "1", "--birthday", "1990-02-28", "--json"]);
    assert_eq!((li["id"].as_u64(), li["reports_to"].as_u64(), li["birthday"].as_str()), (Some(2), Some(1), Some("1990-02-28")));
    s.ok(&["contact", "add", "1", "--name", "赵强", "--level", "management", "--function", "technical", "--attitude", "opponent"]);

    let contacts = s.json(&["contacts", "C001", "--json"]);
    let mut keys: Vec<&str> = contacts[0].as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = ["id", "name", "title", "level", "function", "attitude", "influence", "birthday", "lunar_birthday", "reports_to", "left_on", "last_touch"];
    keys.sort();
    expected.sort();
    assert_eq!(keys, expected, "exactly these fields");
    assert_eq!(contacts[0]["lunar_birthday"], "08-15");

    let nb = s.json(&["notebook", "C001", "--json"]);
    assert_eq!(nb["account"]["ext_id"], "C001");
    assert_eq!(nb["account"]["type"], "economic");
    assert_eq!(nb["buying_map"]["cells"].as_array().unwrap().len(), 9);
    assert_eq!(nb["buying_map"]["missing"].as_array().unwrap().len(), 6);
    assert_eq!(nb["cadence_days"], 14);
    assert!(nb["last_touch"].is_null());

    let today = Local::now().date_naive();
    let due = (today + Duration::days(3)).to_string();
    let out = s.ok(&["touch", "C001", "--kind", "visit", "--contact", "1", "--contact", "2", "--summary", "Plant tour; they want a quote for line 2", "--next", "Send the quote", "--due", &due, "--hours", "3", "--cost", "450"]);
    assert!(out.contains("Next touch due"), "{out}");
    let nb = s.json(&["notebook", "C001", "--json"]);
    assert_eq!(nb["last_touch"], today.to_string());
    assert_eq!(nb["touch_due"], (today + Duration::days(14)).to_string());
    assert_eq!(nb["touches"][0]["kind"], "visit");
    assert_eq!(nb["touches"][0]["contacts"], serde_json::json!([1, 2]));
    assert_eq!(nb["dossier"]["notes"], serde_json::json!([]));
    // The next step is one of the account's actions now.
    let items = s.json(&["due", "--json"]);
    let action = items.as_array().unwrap().iter().find(|i| i["kind"] == "action").expect("the next step is due");
    assert_eq!((action["date"].as_str(), action["text"].as_str(), action["account"].as_u64()), (Some(due.as_str()), Some("Send the quote"), Some(1)));
    for item in items.as_array().unwrap() {
        let keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["date", "kind", "account", "contact", "text"] {
            assert!(keys.contains(&k), "{k} in {item}");
        }
    }
    let contacts = s.json(&["contacts", "C001", "--json"]);
    assert_eq!(contacts[0]["last_touch"], today.to_string());
}

#[test]
fn due_lists_birthdays_and_holidays_by_date() {
    let s = Store::with_account();
    s.ok(&["contact", "add", "C001", "--name", "王伟", "--lunar-birthday", "08-15"]);
    let items = s.json(&["due", "--from", "2026-09-19", "--days", "7", "--json"]);
    let got: Vec<(String, String)> = items.as_array().unwrap().iter().filter(|i| i["kind"] != "touch").map(|i| (i["date"].as_str().unwrap().to_string(), i["kind"].as_str().unwrap().to_string())).collect();
    assert!(got.contains(&("2026-09-25".into(), "birthday".into())), "{got:?}");
    assert!(got.contains(&("2026-09-25".into(), "holiday".into())), "{got:?}");
    let dates: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "by date: {dates:?}");

    let holidays = s.json(&["holidays", "--year", "2027", "--json"]);
    let list: Vec<(&str, &str)> = holidays.as_array().unwrap().iter().map(|h| (h["key"].as_str().unwrap(), h["date"].as_str().unwrap())).collect();
    assert_eq!(list, [
        ("new_year", "2027-01-01"),
        ("spring_festival", "2027-02-06"),
        ("lantern", "2027-02-20"),
        ("dragon_boat", "2027-06-09"),
        ("mid_autumn", "2027-09-15"),
        ("national_day", "2027-10-01"),
    ]);
    let this_year = s.json(&["holidays", "--json"]);
    assert!(this_year[0]["date"].as_str().unwrap().starts_with(&Local::now().year().to_string()));
}

#[test]
fn bad_input_is_refused_in_one_line_and_saves_nothing() {
    let s = Store::with_account();
    s.ok(&["contact", "add", "C001", "--name", "王伟"]);
    let before = s.ok(&["notebook", "C001", "--json"]);
    s.fails(&["contact", "add", "C999", "--name", "X"], "no customer");
    s.fails(&["contact", "add", "C002", "--name", "X"], "not a key account");
    s.fails(&["contact", "add", "C001", "--name", "X", "--lunar-birthday", "08-31"], "lunar");
    s.fails(&["contact", "add", "C001", "--name", "X", "--reports-to", "9"], "reports to contact 9");
    s.fails(&["touch", "C001", "--kind", "call", "--date", "2026-05-10", "--summary", "Call", "--next", "Visit", "--due", "2026-05-01"], "before the touch");
    s.fails(&["touch", "C001", "--kind", "call", "--contact", "7", "--summary", "Call"], "contact 7");
    s.fails(&["holidays", "--year", "1800", "--json"], "1902");
    assert_eq!(s.ok(&["notebook", "C001", "--json"]), before, "nothing saved");
    // clap refuses unknown values (exit 2).
    let o = s.cmd(&["contact", "add", "C001", "--name", "X", "--level", "boss"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_notebook_is_in_every_backup() {
    let s = Store::with_account();
    s.ok(&["contact", "add", "C001", "--name", "王伟", "--level", "decision"]);
    s.ok(&["touch", "C001", "--kind", "wechat", "--summary", "Greetings"]);
    let before = s.ok(&["notebook", "C001", "--json"]);
    let backup = s.path().join("nb.vfbackup");
    s.ok(&["backup", "--out", backup.to_str().unwrap()]);
    s.ok(&["contact", "add", "C001", "--name", "后来的人"]);
    s.ok(&["restore", backup.to_str().unwrap()]);
    assert_eq!(s.ok(&["notebook", "C001", "--json"]), before);
    // An import that added the customer cannot be undone while its notebook
    // holds the owner's notes.
    let o = s.cmd(&["undo-import"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("notebook"));
}

#[test]
fn surveys_are_recorded_oldest_first_and_never_changed() {
    let s = Store::with_account();
    s.ok(&["contact", "add", "C001", "--name", "王伟"]);
    let scores = ["--product", "4", "--service", "4", "--delivery", "3", "--price", "2"];
    let with = |date: &str, overall: &str, extra: &[&str]| {
        let mut a = vec!["survey", "C001", "--date", date, "--overall", overall];
        a.extend_from_slice(&scores);
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<String>>()
    };
    let run = |args: Vec<String>| s.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run(with("2026-06-01", "3", &["--contact", "1", "--comment", "交货慢"]));
    run(with("2026-03-01", "5", &[]));
    let list = s.json(&["surveys", "C001", "--json"]);
    let dates: Vec<&str> = list.as_array().unwrap().iter().map(|v| v["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-03-01", "2026-06-01"], "oldest first");
    let mut keys: Vec<&str> = list[1].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["comment", "contact", "date", "delivery", "id", "overall", "price", "product", "service"]);
    assert_eq!((list[1]["contact"].as_u64(), list[1]["comment"].as_str()), (Some(1), Some("交货慢")));
    let before = s.ok(&["surveys", "C001", "--json"]);
    for bad in ["0", "6"] {
        let args = with("2026-07-01", bad, &[]);
        s.fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), "give 1 to 5");
    }
    s.fails(&with("2026-07-01", "4", &["--contact", "9"]).iter().map(String::as_str).collect::<Vec<_>>(), "contact 9");
    s.fails(&["survey", "C999", "--product", "1", "--service", "1", "--delivery", "1", "--price", "1", "--overall", "1"], "no customer");
    assert_eq!(s.ok(&["surveys", "C001", "--json"]), before, "nothing saved");
    let nb = s.json(&["notebook", "C001", "--json"]);
    assert_eq!(nb["loyalty"]["status"], "at_risk");
    assert_eq!(nb["loyalty"]["reason"], serde_json::json!({"kind": "dropped", "from": 5, "to": 3}));
}
