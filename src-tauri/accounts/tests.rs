use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::suggest::{candidates, signals, suggest, CustomerMetrics, Metrics, FREQUENT_DAYS};
use super::view::{view, views};
use super::*;
use crate::analysis::values::DataLine;
use crate::analysis::{Dataset, Measure};
use crate::model::{Customer, Lang};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: fn() -> NaiveDate = || day(2026, 11, 18); // a Wednesday

fn promoted() -> Account {
    apply(None, 7, &Change::Promote, day(2026, 1, 10)).unwrap()
}

fn mv(phase: Phase, reason: Option<&str>) -> Change {
    Change::Move { phase, at: None, reason: reason.and_then(Reason::parse), note: None }
}

fn customer(id: u32, name: &str, industry: Option<&str>) -> Customer {
    Customer {
        id,
        ext_id: None,
        name: name.into(),
        former_names: Vec::new(),
        region: None,
        industry: industry.map(String::from),
        attributes: BTreeMap::new(),
        declared: None,
    }
}

// --- promote, demote, moves ---

#[test]
fn promotion_starts_at_establish() {
    let a = promoted();
    assert!(a.active);
    assert_eq!((a.phase, a.since), (Phase::Establish, day(2026, 1, 10)));
    assert_eq!(a.history, vec![Event::Promoted { at: day(2026, 1, 10), cleared: vec![], by: String::new() }]);
    let again = apply(Some(a), 7, &Change::Promote, TODAY()).unwrap_err();
    assert!(again.to_string().contains("already a key account"), "{again}");
}

#[test]
fn changes_need_a_key_account() {
    for change in [Change::Demote, mv(Phase::Stabilize, None), Change::Tick { item: CheckItem::ProductFit, done: true }] {
        let e = apply(None, 3, &change, TODAY()).unwrap_err();
        assert!(e.to_string().contains("not a key account"), "{e}");
    }
}

#[test]
fn a_full_cycle_with_a_fallback_keeps_every_step() {
    let mut a = promoted();
    for item in Phase::Establish.checklist() {
        a = apply(Some(a), 7, &Change::Tick { item, done: true }, TODAY()).unwrap();
    }
    a = apply(Some(a), 7, &Change::Move { phase: Phase::Stabilize, at: Some(day(2026, 3, 1)), reason: None, note: Some(" first order delivered ".into()) }, TODAY()).unwrap();
    a = apply(Some(a), 7, &Change::Tick { item: CheckItem::RegularVisits, done: true }, TODAY()).unwrap();
    a = apply(Some(a), 7, &mv(Phase::Strengthen, None), TODAY()).unwrap();
    assert_eq!((a.phase, a.since), (Phase::Strengthen, TODAY()));

    // Back to establish: refused without a reason, and nothing changes.
    let before = a.clone();
    let e = apply(Some(a.clone()), 7, &mv(Phase::Establish, None), TODAY()).unwrap_err();
    assert!(e.to_string().contains("needs a reason"), "{e}");
    let e = apply(Some(a.clone()), 7, &mv(Phase::Establish, Some("   ")), TODAY()).unwrap_err();
    assert!(e.to_string().contains("needs a reason"), "{e}");
    assert_eq!(a, before);

    a = apply(Some(a), 7, &mv(Phase::Establish, Some("their_personnel")), TODAY()).unwrap();
    assert_eq!(a.phase, Phase::Establish);
    // The cycle starts over: all ticks cleared into the history, none lost.
    assert!(a.checklist.is_empty());
    let Some(Event::Moved { from, phase, reason, cleared, .. }) = a.history.last() else { panic!("{:?}", a.history) };
    assert_eq!((*from, *phase), (Phase::Strengthen, Phase::Establish));
    assert_eq!(reason, &Some(Reason::TheirPersonnel));
    assert_eq!(cleared.len(), 6);
    // Earlier entries are untouched.
    assert_eq!(&a.history[..before.history.len()], &before.history[..]);
    let Event::Moved { note, at, .. } = &a.history[1] else { panic!() };
    assert_eq!((note.as_deref(), *at), (Some("first order delivered"), day(2026, 3, 1)));
}

#[test]
fn a_fallback_to_stabilize_clears_only_later_checklists() {
    let mut a = promoted();
    a.phase = Phase::Strengthen;
    a.checklist.insert(CheckItem::ProductFit, true);
    a.checklist.insert(CheckItem::RegularVisits, true);
    a.checklist.insert(CheckItem::CoDevelopment, true);
    let a = apply(Some(a), 7, &mv(Phase::Stabilize, Some("price war in the region")), TODAY()).unwrap();
    assert_eq!(a.checklist.keys().copied().collect::<Vec<_>>(), vec![CheckItem::ProductFit]);
    let Some(Event::Moved { reason, .. }) = a.history.last() else { panic!() };
    assert_eq!(reason, &Some(Reason::Other("price war in the region".into())));
}

#[test]
fn move_dates_are_checked() {
    let a = promoted();
    let at = |d| Change::Move { phase: Phase::Stabilize, at: Some(d), reason: None, note: None };
    assert!(apply(Some(a.clone()), 7, &at(day(2026, 12, 1)), TODAY()).unwrap_err().to_string().contains("future"));
    assert!(apply(Some(a.clone()), 7, &at(day(2025, 12, 1)), TODAY()).unwrap_err().to_string().contains("before the current phase"));
    assert!(apply(Some(a.clone()), 7, &mv(Phase::Establish, None), TODAY()).unwrap_err().to_string().contains("already in the Establish phase"));
    assert_eq!(apply(Some(a), 7, &at(day(2026, 1, 10)), TODAY()).unwrap().since, day(2026, 1, 10));
}

#[test]
fn demotion_keeps_the_record_and_repromotion_starts_over() {
    let mut a = promoted();
    a = apply(Some(a), 7, &Change::SetType { account_type: AccountType::Economic, suggested: None }, TODAY()).unwrap();
    a = apply(Some(a), 7, &Change::Tick { item: CheckItem::ScaleMatch, done: true }, TODAY()).unwrap();
    a = apply(Some(a), 7, &mv(Phase::Stabilize, None), TODAY()).unwrap();
    a = apply(Some(a), 7, &Change::Demote, TODAY()).unwrap();
    assert!(!a.active);
    assert!(apply(Some(a.clone()), 7, &mv(Phase::Strengthen, None), TODAY()).is_err());
    let history = a.history.clone();
    a = apply(Some(a), 7, &Change::Promote, day(2026, 11, 20)).unwrap();
    assert!(a.active);
    assert_eq!((a.phase, a.since, a.account_type), (Phase::Establish, day(2026, 11, 20), Some(AccountType::Economic)));
    assert_eq!(&a.history[..history.len()], &history[..]);
    assert_eq!(a.history.last(), Some(&Event::Promoted { at: day(2026, 11, 20), cleared: vec![CheckItem::ScaleMatch], by: String::new() }));
}

#[test]
fn reasons_parse_and_round_trip() {
    assert_eq!(Reason::parse("market-change"), Some(Reason::MarketChange));
    assert_eq!(Reason::parse(" OUR_PERSONNEL "), Some(Reason::OurPersonnel));
    assert_eq!(Reason::parse("their_personnel"), Some(Reason::TheirPersonnel));
    assert_eq!(Reason::parse("采购经理换人"), Some(Reason::Other("采购经理换人".into())));
    assert_eq!(Reason::parse("  "), None);
    for r in [Reason::MarketChange, Reason::TheirPersonnel, Reason::OurPersonnel, Reason::Other("new boss".into())] {
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Reason>(&json).unwrap(), r);
    }
    assert_eq!(serde_json::to_value(Reason::MarketChange).unwrap(), "market_change");
}

#[test]
fn actions_are_added_done_and_undone() {
    let mut a = promoted();
    assert!(apply(Some(a.clone()), 7, &Change::AddAction { text: "  ".into(), due: TODAY() }, TODAY()).is_err());
    let long = "x".repeat(MAX_TEXT + 1);
    assert!(apply(Some(a.clone()), 7, &Change::AddAction { text: long, due: TODAY() }, TODAY()).is_err());
    a = apply(Some(a), 7, &Change::AddAction { text: "Call before Spring Festival".into(), due: day(2026, 11, 30) }, TODAY()).unwrap();
    a = apply(Some(a), 7, &Change::AddAction { text: "Send the survey".into(), due: day(2026, 11, 19) }, TODAY()).unwrap();
    assert_eq!(a.next_action().map(|x| x.id), Some(2));
    a = apply(Some(a), 7, &Change::SetActionDone { action: 2, done: true }, TODAY()).unwrap();
    assert_eq!(a.actions[1].done, Some(TODAY()));
    assert_eq!(a.next_action().map(|x| x.id), Some(1));
    assert_eq!(a.history.last(), Some(&Event::ActionDone { at: TODAY(), text: "Send the survey".into(), by: String::new() }));
    a = apply(Some(a), 7, &Change::SetActionDone { action: 2, done: false }, TODAY()).unwrap();
    assert_eq!(a.actions[1].done, None);
    assert!(apply(Some(a), 7, &Change::SetActionDone { action: 9, done: true }, TODAY()).is_err());
}

// --- suggestion rules ---

fn suggested(answers: Answers, c: &Customer, m: &CustomerMetrics) -> Option<AccountType> {
    suggest(signals(&answers, c, m)).account_type
}

#[test]
fn nothing_to_go_on_suggests_nothing() {
    let s = suggest(signals(&Answers::default(), &customer(1, "Acme", None), &CustomerMetrics::default()));
    assert_eq!(s, Suggestion { account_type: None, signals: vec![] });
    assert_eq!(view::reason_text(&s, Lang::En), crate::i18n::text(Lang::En, "accounts.signal.none"));
}

#[test]
fn each_answer_speaks_for_its_type() {
    let c = customer(1, "Acme", None);
    let m = CustomerMetrics::default();
    let cases = [
        (Answers { asked_price: true, ..Answers::default() }, AccountType::Economic),
        (Answers { asked_service: true, ..Answers::default() }, AccountType::Strategic),
        (Answers { asked_cooperation: true, ..Answers::default() }, AccountType::Strategic),
        (Answers { potential: true, ..Answers::default() }, AccountType::Strategic),
        (Answers { special_status: true, ..Answers::default() }, AccountType::Important),
        (Answers { value_chain_tie: true, ..Answers::default() }, AccountType::Group),
    ];
    for (answers, want) in cases {
        assert_eq!(suggested(answers, &c, &m), Some(want), "{answers:?}");
    }
}

#[test]
fn the_seed_inquiry_cases() {
    // A asks only for the lowest quote and buys often → economic.
    let frequent = CustomerMetrics { purchase_days_12m: 30, ..CustomerMetrics::default() };
    let a = suggest(signals(&Answers { asked_price: true, ..Answers::default() }, &customer(1, "A", None), &frequent));
    assert_eq!(a.account_type, Some(AccountType::Economic));
    assert_eq!(a.signals, vec![Signal::AskedPrice, Signal::Frequent { days: 30 }]);
    // B asks about service and guidance, C about outsourcing and top-management
    // coordination → strategic, even when B also wants a good price.
    let b = Answers { asked_service: true, asked_price: true, ..Answers::default() };
    assert_eq!(suggested(b, &customer(2, "B", None), &CustomerMetrics::default()), Some(AccountType::Economic), "price 3 beats service 2");
    let b = Answers { asked_service: true, potential: true, asked_price: true, ..Answers::default() };
    assert_eq!(suggested(b, &customer(2, "B", None), &CustomerMetrics::default()), Some(AccountType::Strategic));
    let c = Answers { asked_cooperation: true, ..Answers::default() };
    assert_eq!(suggested(c, &customer(3, "C", None), &frequent), Some(AccountType::Strategic));
}

#[test]
fn data_signals() {
    let c = customer(1, "Acme Trading", Some("wholesale"));
    let m = CustomerMetrics { purchase_days_12m: FREQUENT_DAYS, ..CustomerMetrics::default() };
    assert_eq!(signals(&Answers::default(), &c, &m), vec![Signal::Frequent { days: 12 }]);
    let m = CustomerMetrics { purchase_days_12m: FREQUENT_DAYS - 1, ..CustomerMetrics::default() };
    assert!(signals(&Answers::default(), &c, &m).is_empty());
    let m = CustomerMetrics { revenue_a: true, revenue_share: Some(0.25), ..CustomerMetrics::default() };
    assert_eq!(suggested(Answers::default(), &c, &m), Some(AccountType::Economic));
    assert_eq!(signals(&Answers::default(), &c, &m), vec![Signal::Volume { share: 0.25 }]);
    // Growth: +50% over the 12 months before.
    let m = CustomerMetrics { revenue_12m: 150.0, revenue_prev_12m: 100.0, ..CustomerMetrics::default() };
    assert_eq!(signals(&Answers::default(), &c, &m), vec![Signal::Growth { rate: 0.5 }]);
    assert_eq!(suggested(Answers::default(), &c, &m), Some(AccountType::Strategic));
    // +20% is not growth enough; a new customer (nothing before) is not "growth".
    let m = CustomerMetrics { revenue_12m: 120.0, revenue_prev_12m: 100.0, ..CustomerMetrics::default() };
    assert!(signals(&Answers::default(), &c, &m).is_empty());
    let m = CustomerMetrics { revenue_12m: 120.0, ..CustomerMetrics::default() };
    assert!(signals(&Answers::default(), &c, &m).is_empty());
}

#[test]
fn important_sectors_are_read_from_industry_and_name() {
    let m = CustomerMetrics::default();
    for (name, industry) in [("市第一人民医院", None), ("Northfield School District", None), ("某单位", Some("政府机关")), ("X", Some("Police"))] {
        let c = customer(1, name, industry);
        assert_eq!(suggested(Answers::default(), &c, &m), Some(AccountType::Important), "{name} {industry:?}");
    }
    let s = suggest(signals(&Answers::default(), &customer(1, "市第一人民医院", None), &m));
    assert_eq!(s.signals, vec![Signal::Sector { word: "医院".into() }]);
    assert_eq!(suggested(Answers::default(), &customer(1, "Acme Steel", Some("manufacturing")), &m), None);
}

#[test]
fn ties_go_to_the_more_specific_type() {
    // Economic 3 (price) vs important 3 (special status) → important.
    let a = Answers { asked_price: true, special_status: true, ..Answers::default() };
    assert_eq!(suggested(a, &customer(1, "X", None), &CustomerMetrics::default()), Some(AccountType::Important));
    // Group 3 vs strategic 3 → group.
    let a = Answers { value_chain_tie: true, asked_cooperation: true, ..Answers::default() };
    assert_eq!(suggested(a, &customer(1, "X", None), &CustomerMetrics::default()), Some(AccountType::Group));
}

#[test]
fn reasons_read_as_sentences_in_both_languages() {
    let s = suggest(vec![Signal::AskedPrice, Signal::Frequent { days: 14 }]);
    let en = view::reason_text(&s, Lang::En);
    assert!(en.contains("14") && en.contains("; "), "{en}");
    let zh = view::reason_text(&s, Lang::ZhCn);
    assert!(zh.contains("14") && zh.contains("；"), "{zh}");
    assert!(!en.contains('{') && !zh.contains('{'));
}

// --- metrics, candidates, views ---

fn line(customer: u32, date: NaiveDate, revenue: f64, profit: f64) -> DataLine {
    DataLine { customer, date: Some(date), revenue: Some(revenue), cost: Some(revenue - profit), profit: Some(profit), category: None }
}

/// Customer 0: big and steady (2024–2026, monthly); 1: one old purchase;
/// 2: small, 2025 and 2026; 3: loses money.
fn dataset() -> Dataset {
    let mut lines = Vec::new();
    for y in [2024, 2025, 2026] {
        for m in 1..=12 {
            lines.push(line(0, day(y, m, 5), 1000.0 * f64::from(y - 2023), 300.0));
        }
    }
    lines.push(line(1, day(2023, 6, 1), 5000.0, 50.0));
    lines.push(line(2, day(2025, 3, 1), 100.0, 20.0));
    lines.push(line(2, day(2026, 3, 1), 100.0, 20.0));
    lines.push(line(3, day(2026, 12, 31), 100.0, -500.0));
    let customers = (0..4).map(|i| customer(i, &format!("C{i}"), None)).collect::<Vec<_>>();
    Dataset { customers: Arc::new(customers), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

#[test]
fn metrics_from_the_sales_lines() {
    let data = dataset();
    let m = Metrics::compute(&data);
    assert_eq!(m.as_of, Some(day(2026, 12, 31)));
    let c0 = m.of(0);
    assert_eq!(c0.recent_years, vec![2024, 2025, 2026]);
    assert_eq!(c0.purchase_days_12m, 12);
    assert_eq!((c0.revenue_12m, c0.revenue_prev_12m), (36_000.0, 24_000.0));
    assert_eq!((c0.profit, c0.profit_rank, c0.profit_a), (Some(10_800.0), Some(1), true));
    assert_eq!(c0.buys_continuously(), Some(true));
    let c1 = m.of(1);
    assert_eq!((c1.recent_years.len(), c1.buys_continuously()), (0, Some(false)));
    assert_eq!(m.of(2).recent_years, vec![2025, 2026]);
    assert_eq!(m.of(99), &CustomerMetrics::default());
    assert_eq!(m.of(99).buys_continuously(), None);
}

#[test]
fn candidates_are_a_class_or_continuous_and_not_yet_key() {
    let data = dataset();
    let m = Metrics::compute(&data);
    let (list, total) = candidates(&data, &m, |_| false);
    assert_eq!(total, 2);
    assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!(
        list[0].reasons,
        vec![CandidateReason::AClass { rank: 1, share: 10_800.0 / 10_390.0, measure: Measure::Profit }, CandidateReason::Continuous { years: vec![2024, 2025, 2026] }]
    );
    assert_eq!(list[1].reasons, vec![CandidateReason::Continuous { years: vec![2025, 2026] }]);
    let (list, total) = candidates(&data, &m, |id| id == 0);
    assert_eq!((list.len(), total), (1, 1));
}

#[test]
fn a_view_fills_the_checklist_from_data_and_suggests_the_next_phase() {
    let data = dataset();
    let m = Metrics::compute(&data);
    let mut a = apply(None, 0, &Change::Promote, day(2026, 11, 1)).unwrap();
    let v = view(&a, &data.customers[0], &m, TODAY());
    let buys = v.checklist.iter().find(|e| e.item == CheckItem::BuysContinuously).unwrap();
    assert!(buys.done && buys.from_data);
    assert_eq!((v.progress.done, v.progress.total), (1, 5));
    assert_eq!((v.days_in_phase, v.next_phase), (17, None));
    assert_eq!(v.suggestion.account_type, Some(AccountType::Economic), "monthly buyer, A-class by revenue");
    // The owner's answer wins over the data.
    a.checklist.insert(CheckItem::BuysContinuously, false);
    let v = view(&a, &data.customers[0], &m, TODAY());
    let buys = v.checklist.iter().find(|e| e.item == CheckItem::BuysContinuously).unwrap();
    assert!(!buys.done && !buys.from_data);
    for item in Phase::Establish.checklist() {
        a.checklist.insert(item, true);
    }
    assert_eq!(view(&a, &data.customers[0], &m, TODAY()).next_phase, Some(Phase::Stabilize));
    // A customer without dated sales leaves the point to the owner.
    let b = apply(None, 9, &Change::Promote, TODAY()).unwrap();
    let v = view(&b, &customer(9, "New", None), &m, TODAY());
    assert!(v.checklist.iter().all(|e| !e.done && !e.from_data));
}

#[test]
fn views_skip_demoted_unless_asked_and_sort_by_profit() {
    let data = dataset();
    let m = Metrics::compute(&data);
    let a = apply(None, 2, &Change::Promote, TODAY()).unwrap();
    let b = apply(None, 0, &Change::Promote, TODAY()).unwrap();
    let c = apply(Some(apply(None, 3, &Change::Promote, TODAY()).unwrap()), 3, &Change::Demote, TODAY()).unwrap();
    let all = [a, b, c];
    assert_eq!(views(&all, &data.customers, &m, TODAY(), false).iter().map(|v| v.id).collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!(views(&all, &data.customers, &m, TODAY(), true).iter().map(|v| v.id).collect::<Vec<_>>(), vec![0, 2, 3]);
}

#[test]
fn the_cli_summary_lists_phase_entries() {
    let data = dataset();
    let m = Metrics::compute(&data);
    let mut a = apply(None, 0, &Change::Promote, day(2026, 1, 1)).unwrap();
    a = apply(Some(a), 0, &Change::SetType { account_type: AccountType::Economic, suggested: Some(AccountType::Economic) }, TODAY()).unwrap();
    a = apply(Some(a), 0, &Change::Move { phase: Phase::Stabilize, at: Some(day(2026, 5, 1)), reason: None, note: Some("signed".into()) }, TODAY()).unwrap();
    a = apply(Some(a), 0, &mv(Phase::Establish, Some("market_change")), TODAY()).unwrap();
    let s = view(&a, &data.customers[0], &m, TODAY()).summary(Lang::En);
    let json = serde_json::to_value(&s).unwrap();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["checklist", "ext_id", "history", "id", "name", "phase", "since", "suggested_reason", "suggested_type", "type"]);
    assert_eq!(json["type"], "economic");
    assert_eq!(json["since"], "2026-11-18");
    assert_eq!(json["checklist"], serde_json::json!({"done": 1, "total": 5}));
    assert_eq!(
        json["history"],
        serde_json::json!([
            {"at": "2026-01-01", "phase": "establish", "reason": null, "note": null},
            {"at": "2026-05-01", "phase": "stabilize", "reason": null, "note": "signed"},
            {"at": "2026-11-18", "phase": "establish", "reason": "market_change", "note": null},
        ])
    );
}
