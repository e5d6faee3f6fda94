//! Key accounts through the CLI, as a user (or a script) drives them: full
//! cycles with fallbacks, demote and promote again, refusals that change
//! nothing, and the `accounts --json` interface.

mod common;
use common::Cli;


use serde_json::{json, Value};

type Store = Cli;

impl Cli {
    /// A store holding a small ledger: 甲 buys monthly for three years, 乙 twice, a hospital once.
    fn with_ledger() -> Store {
        let s = Cli::new();
        let mut csv = String::from("订单号,日期,客户编号,客户名称,行业,销售额,利润\n");
        let mut n = 0;
        for y in 2024..=2026 {
            for m in 1..=12 {
                n += 1;
                csv.push_str(&format!("S{n},{y}-{m:02}-10,C001,甲贸易公司,批发,{},{}\n", 1000 * (y - 2023), 300));
            }
        }
        csv.push_str("S900,2025-05-01,C002,乙公司,制造,800,90\nS901,2026-05-01,C002,乙公司,制造,900,100\n");
        csv.push_str("S902,2026-06-01,C003,市第一人民医院,卫生,5000,-200\n");
        let file = s.path().join("ledger.csv");
        std::fs::write(&file, csv).unwrap();
        s.ok(&["import", file.to_str().unwrap()]);
        s
    }




    fn accounts(&self, all: bool) -> Vec<Value> {
        let mut args = vec!["accounts", "--json"];
        if all {
            args.push("--all");
        }
        serde_json::from_str::<Value>(&self.ok(&args)).unwrap().as_array().unwrap().clone()
    }

    fn customer_id(&self, name: &str) -> String {
        let list: Value = serde_json::from_str(&self.ok(&["customers", "--json"])).unwrap();
        list.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()["id"].to_string()
    }

}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[test]
fn a_full_cycle_with_a_fallback_and_the_json_interface() {
    let s = Store::with_ledger();
    let id = s.customer_id("甲贸易公司");
    assert!(s.ok(&["account", "promote", &id]).contains("is now a key account"));
    let list = s.accounts(false);
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert_eq!(a["id"].to_string(), id);
    assert_eq!(a["ext_id"], "C001", "the customer's own ID, as customers --json has it");
    assert_eq!((a["name"].as_str(), a["type"].clone(), a["phase"].as_str()), (Some("甲贸易公司"), Value::Null, Some("establish")));
    // Monthly buyer, largest by revenue: economic, with the data behind it.
    assert_eq!(a["suggested_type"], "economic");
    let reason = a["suggested_reason"].as_str().unwrap();
    assert!(reason.contains("12 different days") && reason.contains("A-class by revenue"), "{reason}");
    // "Buys continuously" is read from the sales data.
    assert_eq!(a["checklist"], json!({"done": 1, "total": 5}));
    assert_eq!(a["since"], today());

    s.ok(&["account", "set-type", &id, "economic"]);
    s.ok(&["account", "move", &id, "--phase", "stabilize", "--note", "first delivery accepted"]);
    s.ok(&["account", "move", &id, "--phase", "strengthen"]);
    // A fallback without a reason is refused and changes nothing.
    let before = s.ok(&["accounts", "--json"]);
    s.fails(&["account", "move", &id, "--phase", "establish"], "needs a reason");
    assert_eq!(s.ok(&["accounts", "--json"]), before);
    s.ok(&["account", "move", &id, "--phase", "establish", "--reason", "their-personnel"]);

    let a = &s.accounts(false)[0];
    assert_eq!((a["type"].as_str(), a["phase"].as_str()), (Some("economic"), Some("establish")));
    let t = today();
    assert_eq!(
        a["history"],
        json!([
            {"at": t, "phase": "establish", "reason": null, "note": null},
            {"at": t, "phase": "stabilize", "reason": null, "note": "first delivery accepted"},
            {"at": t, "phase": "strengthen", "reason": null, "note": null},
            {"at": t, "phase": "establish", "reason": "their_personnel", "note": null},
        ])
    );
    let info: Value = serde_json::from_str(&s.ok(&["info", "--json"])).unwrap();
    assert_eq!(info["accounts"], 1);
}

#[test]
fn demote_keeps_the_history_and_promote_starts_a_new_cycle() {
    let s = Store::with_ledger();
    let id = s.customer_id("乙公司");
    s.ok(&["account", "promote", &id]);
    s.ok(&["account", "move", &id, "--phase", "stabilize", "--reason", "new budget year"]);
    s.ok(&["account", "demote", &id]);
    assert!(s.accounts(false).is_empty());
    let all = s.accounts(true);
    assert_eq!(all[0]["history"].as_array().unwrap().len(), 2);
    s.fails(&["account", "move", &id, "--phase", "strengthen"], "not a key account");
    s.fails(&["account", "demote", &id], "not a key account");
    s.ok(&["account", "promote", &id]);
    let a = &s.accounts(false)[0];
    assert_eq!(a["phase"], "establish");
    let history = a["history"].as_array().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[1]["note"], Value::Null);
    assert_eq!(history[1]["reason"], "new budget year");
}

#[test]
fn ids_from_the_owners_books_work_and_bad_input_is_refused() {
    let s = Store::with_ledger();
    s.ok(&["account", "promote", "C003"]);
    let a = &s.accounts(false)[0];
    assert_eq!(a["name"], "市第一人民医院");
    assert_eq!(a["suggested_type"], "important");
    assert!(a["suggested_reason"].as_str().unwrap().contains("医院"));
    s.fails(&["account", "promote", "C003"], "already a key account");
    s.fails(&["account", "promote", "nobody"], "no customer with id nobody");
    s.fails(&["account", "move", "C003", "--phase", "establish"], "already in the Establish phase");
    s.fails(&["account", "move", "C003", "--phase", "stabilize", "--date", "2999-01-01"], "future");
    let o = s.cmd(&["account", "set-type", "C003", "giant"]);
    assert_eq!(o.status.code(), Some(2), "usage error");
    let o = s.cmd(&["account", "move", "C003", "--phase", "later"]);
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn undoing_the_import_that_added_a_key_account_is_refused() {
    let s = Store::with_ledger();
    s.ok(&["account", "promote", "C002"]);
    s.fails(&["undo-import"], "records of its own (accounts)");
    let info: Value = serde_json::from_str(&s.ok(&["info", "--json"])).unwrap();
    assert_eq!((info["customers"].as_u64(), info["accounts"].as_u64()), (Some(3), Some(1)));
    assert!(s.dir().join("store").is_dir());
}

#[test]
fn candidates_and_key_account_filters_in_the_figures() {
    let s = Store::with_ledger();
    let all: Value = serde_json::from_str(&s.ok(&["concentration", "--json"])).unwrap();
    assert_eq!(all["customers"], 3);
    s.ok(&["account", "promote", "C002"]);
    s.ok(&["account", "promote", "C003"]);
    s.ok(&["account", "set-type", "C003", "important"]);
    let key: Value = serde_json::from_str(&s.ok(&["concentration", "--json", "--key-accounts"])).unwrap();
    assert_eq!((key["customers"].as_u64(), key["total"].as_f64()), (Some(2), Some(-10.0)));
    let important: Value = serde_json::from_str(&s.ok(&["concentration", "--json", "--account-type", "important"])).unwrap();
    assert_eq!((important["customers"].as_u64(), important["total"].as_f64()), (Some(1), Some(-200.0)));
}
