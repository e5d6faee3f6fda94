//! What the data says, through the CLI: `segments --json` (an interface).

mod common;
use common::Cli;

fn with_ledger() -> Cli {
    let c = Cli::new();
    let file = c.path().join("ledger.csv");
    let mut csv = String::from("客户编号,客户名称,日期,销售额,利润\n");
    // C1 buys every month of 2026; C2 once in 2024; C3 once, last week of 2026.
    for m in 1..=12 {
        csv.push_str(&format!("C1,甲,2026-{m:02}-15,1000,300\n"));
    }
    csv.push_str("C2,乙,2024-03-01,500,50\nC3,丙,2026-12-20,80,8\n");
    std::fs::write(&file, csv).unwrap();
    c.ok(&["import", file.to_str().unwrap()]);
    c
}

#[test]
fn segments_json_is_the_interface() {
    let c = with_ledger();
    let s = c.json(&["segments", "--json"]);
    let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["as_of", "bands", "lifecycle", "rfm"]);
    assert_eq!(s["as_of"], "2026-12-20", "the latest sale");
    assert_eq!(s["lifecycle"], serde_json::json!({"potential": 0, "new": 1, "active": 1, "churned": 1}));
    let rfm = s["rfm"].as_array().unwrap();
    assert_eq!(rfm.len(), 3);
    let mut row_keys: Vec<&str> = rfm[0].as_object().unwrap().keys().map(String::as_str).collect();
    row_keys.sort();
    assert_eq!(row_keys, ["ext_id", "f", "id", "m", "r", "segment"]);
    let c1 = rfm.iter().find(|r| r["ext_id"] == "C1").unwrap();
    assert_eq!((c1["f"].as_u64(), c1["m"].as_u64()), (Some(5), Some(5)));
    assert!(s["bands"]["frequency"]["high"].is_u64() && s["bands"]["spend"]["low"].is_u64());

    // As of mid-2024, C1 and C3 had not bought yet.
    let early = c.json(&["segments", "--as-of", "2024-06-30", "--json"]);
    assert_eq!(early["lifecycle"], serde_json::json!({"potential": 2, "new": 0, "active": 1, "churned": 0}));
    c.fails(&["segments", "--as-of", "2020-01-01", "--json"], "before the first sale");
    c.fails(&["segments", "--new-days", "400", "--json"], "new at most active");
    let text = c.ok(&["segments"]);
    assert!(text.contains("champions") && text.contains("as of 2026-12-20"), "{text}");
}

#[test]
fn risk_json_names_accounts_and_their_only_supporters() {
    let c = with_ledger();
    c.ok(&["account", "promote", "C1"]);
    c.ok(&["account", "promote", "C2"]);
    c.ok(&["contact", "add", "C1", "--name", "王伟", "--level", "decision", "--attitude", "supporter"]);
    c.ok(&["touch", "C1", "--kind", "call", "--contact", "1", "--summary", "Called", "--date", "2026-11-02"]);
    let r = c.json(&["risk", "--json"]);
    let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["accounts", "measure", "people"]);
    assert_eq!(r["measure"], "profit");
    let accounts = r["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["ext_id"], "C1", "most profit first");
    let mut akeys: Vec<&str> = accounts[0].as_object().unwrap().keys().map(String::as_str).collect();
    akeys.sort();
    assert_eq!(akeys, ["ext_id", "id", "name", "profit_share"]);
    let share = accounts[0]["profit_share"].as_f64().unwrap();
    assert!((share - 3600.0 / (3600.0 + 50.0 + 8.0)).abs() < 1e-9, "{share}");
    let people = r["people"].as_array().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!((people[0]["name"].as_str(), people[0]["contact"].as_u64(), people[0]["last_touch"].as_str()), (Some("王伟"), Some(1), Some("2026-11-02")));
    let mut pkeys: Vec<&str> = people[0].as_object().unwrap().keys().map(String::as_str).collect();
    pkeys.sort();
    assert_eq!(pkeys, ["account", "contact", "last_touch", "name", "profit_share"]);
    assert!(c.ok(&["risk"]).contains("whose only decision-level supporter is 王伟"));
}

#[test]
fn customers_accounts_and_contacts_export_as_csv_and_xlsx() {
    let c = with_ledger();
    c.ok(&["account", "promote", "C1"]);
    c.ok(&["contact", "add", "C1", "--name", "=王伟", "--phone", "+86 138 0000 0000", "--level", "decision"]);
    let path = |name: &str| c.path().join(name).to_str().unwrap().to_string();
    for (kind, rows) in [("customers", 3), ("accounts", 1), ("contacts", 1)] {
        let csv = path(&format!("{kind}.csv"));
        assert!(c.ok(&["export", kind, "--out", &csv, "--lang", "en"]).contains(&format!("Wrote {rows} rows")));
        let bytes = std::fs::read(&csv).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{kind}: a BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text.lines().count(), rows + 1, "{kind}: {text}");
        let xlsx = path(&format!("{kind}.xlsx"));
        c.ok(&["export", kind, "--out", &xlsx]);
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    }
    let contacts = std::fs::read_to_string(path("contacts.csv")).unwrap();
    assert!(contacts.contains("'=王伟") && contacts.contains("'+86 138 0000 0000") && contacts.contains("Decision"), "{contacts}");
    let customers = std::fs::read_to_string(path("customers.csv")).unwrap();
    let header = customers.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(header.starts_with("ID,Customer ID,Name,Revenue,Profit") && header.contains("RFM segment"), "{header}");
    assert!(customers.lines().any(|l| l.contains(",甲,") && l.contains(",Loyal,") && l.contains(",A,") && l.ends_with("Key account")), "{customers}");
    let zh = path("accounts-zh.csv");
    c.ok(&["export", "accounts", "--out", &zh, "--lang", "zh-CN"]);
    assert!(std::fs::read_to_string(&zh).unwrap().contains("建立关系"));
    c.fails(&["export", "contacts", "--out", &path("contacts.txt")], "ending in .csv or .xlsx");
}

#[test]
fn cost_to_serve_json_values_hours_at_the_rate() {
    let c = with_ledger();
    c.ok(&["account", "promote", "C3"]);
    c.ok(&["account", "promote", "C1"]);
    c.ok(&["touch", "C3", "--kind", "visit", "--summary", "Dinner", "--hours", "2", "--cost", "60"]);
    let list = c.json(&["cost-to-serve", "--rate", "10", "--json"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let mut keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["cost_to_serve", "expenses", "ext_id", "hours", "id", "name", "profit", "profit_after"]);
    // 丙 earned 8 and cost 2 h × 10 + 60: it comes first, below zero.
    assert_eq!(rows[0]["ext_id"], "C3");
    assert_eq!((rows[0]["hours"].as_f64(), rows[0]["expenses"].as_f64(), rows[0]["cost_to_serve"].as_f64()), (Some(2.0), Some(60.0), Some(80.0)));
    assert_eq!(rows[0]["profit_after"].as_f64(), Some(-72.0));
    assert!(c.ok(&["cost-to-serve", "--rate", "10"]).contains("costs more than it earns"));
    let free = c.json(&["cost-to-serve", "--json"]);
    assert_eq!(free[0]["cost_to_serve"].as_f64(), Some(60.0), "no rate set: hours cost nothing");
    c.fails(&["cost-to-serve", "--rate=-1", "--json"], "0 or more");
}

#[test]
fn health_json_has_every_part_explained() {
    let c = with_ledger();
    c.ok(&["account", "promote", "C1"]);
    c.ok(&["account", "promote", "C2"]);
    let all = c.json(&["health", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let one = c.json(&["health", "C1", "--json"]);
    let h = &one[0];
    let mut keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    // The first five are the interface other tools rely on; the band, its thresholds, the caps and the score before them were added.
    assert_eq!(keys, ["band", "caps", "ext_id", "id", "name", "parts", "score", "thresholds", "weighted"]);
    assert_eq!(h["thresholds"], serde_json::json!({ "green": 75, "amber": 40 }));
    let score = h["score"].as_u64().unwrap();
    let band = if score >= 75 { "green" } else if score >= 40 { "amber" } else { "red" };
    assert_eq!(h["band"], band);
    assert_eq!(h["caps"], serde_json::json!([]), "C1 buys every month");
    let parts = h["parts"].as_array().unwrap();
    let names: Vec<&str> = parts.iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert_eq!(names, ["recency", "revenue_trend", "margin_trend", "satisfaction", "touch", "coverage", "actions"]);
    let mut pkeys: Vec<&str> = parts[0].as_object().unwrap().keys().map(String::as_str).collect();
    pkeys.sort();
    assert_eq!(pkeys, ["key", "reason", "score", "weight"]);
    // No survey: satisfaction is shown but left out of the score.
    assert_eq!(parts[3]["weight"], 0);
    assert_eq!(parts.iter().map(|p| p["weight"].as_u64().unwrap()).sum::<u64>(), 85);
    assert!(parts.iter().all(|p| !p["reason"].as_str().unwrap().is_empty()));
    // 乙 last bought in March 2024: recency scores nothing.
    let c2 = c.json(&["health", "C2", "--json"]);
    assert_eq!(c2[0]["parts"][0]["score"], 0);
    // …and no purchase in 12 months is lost loyalty: red, whatever the rest says, and why.
    assert_eq!(c2[0]["band"], "red");
    assert!(c2[0]["score"].as_u64().unwrap() < 40);
    assert_eq!(c2[0]["caps"][0]["key"], "loyalty_lost");
    assert!(c2[0]["caps"][0]["reason"].as_str().unwrap().contains("No purchase in the last 12 months"));
    c.fails(&["health", "C3", "--json"], "not a key account");
    c.fails(&["health", "C9", "--json"], "no customer");
}

#[test]
fn whitespace_json_names_what_peers_buy() {
    let c = Cli::new();
    let file = c.path().join("lines.csv");
    let mut csv = String::from("客户编号,客户名称,日期,产品,类别,销售额\n");
    for (id, name, categories) in [("C1", "甲", &["办公家具", "纸张"][..]), ("C2", "乙", &["办公家具"][..]), ("C3", "丙", &["纸张"][..])] {
        for (k, cat) in categories.iter().enumerate() {
            csv.push_str(&format!("{id},{name},2026-0{}-01,P{k},{cat},100\n", k + 1));
        }
    }
    std::fs::write(&file, csv).unwrap();
    c.ok(&["import", file.to_str().unwrap()]);
    for id in ["C1", "C2", "C3"] {
        c.ok(&["account", "promote", id]);
        c.ok(&["account", "set-type", id, "economic"]);
    }
    let gaps = c.json(&["whitespace", "C2", "--json"]);
    let rows = gaps.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let mut keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["category", "ext_id", "id", "peers_buying", "peers_total", "reason"]);
    assert_eq!((rows[0]["category"].as_str(), rows[0]["peers_buying"].as_u64(), rows[0]["peers_total"].as_u64()), (Some("纸张"), Some(2), Some(2)));
    assert_eq!(c.json(&["whitespace", "--json"]).as_array().unwrap().len(), 2, "乙 lacks paper, 丙 furniture");
    c.fails(&["whitespace", "C9", "--json"], "no customer");
}

#[test]
fn an_export_of_customers_follows_the_segment_stage_sort_and_limit_asked_for() {
    let c = with_ledger();
    let path = |n: &str| c.path().join(n).to_str().unwrap().to_string();
    let rows = |file: &str| -> Vec<String> {
        let text = std::fs::read_to_string(file).unwrap();
        text.trim_start_matches('\u{feff}').lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_string()).collect()
    };
    let all = path("all.csv");
    c.ok(&["export", "customers", "--out", &all, "--sort", "name", "--lang", "en"]);
    assert_eq!(rows(&all).len(), 3);
    // Sorted by revenue, largest first, at most two.
    let top = path("top.csv");
    assert!(c.ok(&["export", "customers", "--out", &top, "--sort", "revenue", "--limit", "2", "--lang", "en"]).contains("Wrote 2 rows"));
    assert_eq!(rows(&top), ["甲", "乙"]);
    // One stage: C2 bought once in 2024, so it churned.
    let churned = path("churned.csv");
    c.ok(&["export", "customers", "--out", &churned, "--stage", "churned", "--lang", "en"]);
    assert_eq!(rows(&churned), ["乙"]);
    let seg = c.json(&["segments", "--json"]);
    let c1 = seg["rfm"].as_array().unwrap().iter().find(|r| r["ext_id"] == "C1").unwrap()["segment"].as_str().unwrap().to_string();
    let same = path("segment.csv");
    c.ok(&["export", "customers", "--out", &same, "--segment", &c1, "--lang", "en"]);
    assert!(rows(&same).contains(&"甲".to_string()));
    c.fails(&["export", "accounts", "--out", &path("a.csv"), "--limit", "1"], "use them with `export customers`");
}
