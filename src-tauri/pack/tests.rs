use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use super::*;
use crate::accounts::{self, Change, Metrics};
use crate::analysis::values::DataLine;
use crate::insight;
use crate::notebook::{self as nbk, Contact, Item, Notebook, Survey, Touch};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: fn() -> NaiveDate = || d(2026, 11, 30);

fn customer(id: u32, name: &str) -> Customer {
    Customer { id, ext_id: Some(format!("C{id}")), name: name.into(), former_names: Vec::new(), region: None, industry: None, attributes: BTreeMap::new(), declared: None }
}

fn line(customer: u32, date: NaiveDate, revenue: f64, profit: f64) -> DataLine {
    DataLine { customer, date: Some(date), revenue: Some(revenue), cost: Some(revenue - profit), profit: Some(profit), category: None }
}

/// Ten customers. By profit: 1 (500), 2 (300), then 3–9 (20 each), 10
/// (−40): the top 20% are customers 1 and 2, with 800 of 900 profit. By
/// revenue they are small: 600 of 2,400 (customer 10 sells 1,000 at a loss).
fn data() -> Dataset {
    let names = ["华东钢铁有限公司", "北方建材集团", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
    let customers: Vec<Customer> = names.iter().enumerate().map(|(i, n)| customer(i as u32 + 1, n)).collect();
    let mut lines = vec![line(1, d(2026, 3, 1), 400.0, 500.0), line(2, d(2026, 4, 1), 200.0, 300.0), line(10, d(2026, 5, 1), 1000.0, -40.0)];
    for c in 3..=9 {
        lines.push(line(c, d(2026, 6, 1), 800.0 / 7.0, 20.0));
    }
    // An old sale of customer 2, outside a 2026 period.
    lines.push(line(2, d(2024, 1, 1), 1000.0, 1000.0));
    Dataset { customers: Arc::new(customers), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

fn period_2026() -> Filter {
    Filter { from: Some(d(2026, 1, 1)), to: Some(d(2026, 12, 31)), ..Filter::default() }
}

#[test]
fn the_headline_is_the_top_fifth_by_profit_and_its_share_of_revenue() {
    let h = headline(&data(), &period_2026()).unwrap();
    assert_eq!((h.customers, h.top), (10, 2));
    assert!((h.profit_share - 800.0 / 900.0).abs() < 1e-12, "{}", h.profit_share);
    assert!((h.revenue_share - 600.0 / 2400.0).abs() < 1e-12, "{}", h.revenue_share);
    // Over all dates customer 2's old sale counts too.
    let all = headline(&data(), &Filter::default()).unwrap();
    assert!((all.profit_share - 1800.0 / 1900.0).abs() < 1e-12);
    // No sales in the period: no headline.
    assert_eq!(headline(&data(), &Filter { from: Some(d(2030, 1, 1)), ..Filter::default() }), None);
    assert_eq!(pct(0.81749), "81.7%");
}

#[test]
fn a_period_keeps_only_its_sales() {
    let mut data = data();
    Arc::make_mut(&mut data.customers)[0].declared = Some(crate::model::Totals { revenue: Some(1.0), ..Default::default() });
    let p = in_period(&data, Some(d(2026, 1, 1)), None);
    assert_eq!(p.lines.len(), data.lines.len() - 1);
    assert!(p.customers.iter().all(|c| c.declared.is_none()), "undated totals are no period's");
    assert_eq!(in_period(&data, None, None).customers[0].declared, data.customers[0].declared);
}

fn views(data: &Dataset, accounts: &[accounts::Account]) -> Vec<AccountView> {
    accounts::view::views(accounts, &data.customers, &Metrics::compute(data), TODAY(), false)
}

fn promoted(id: u32) -> accounts::Account {
    accounts::apply(None, id, &Change::Promote, d(2026, 11, 1)).unwrap()
}

#[test]
fn the_request_is_checked_before_anything_is_drawn() {
    let data = data();
    let v = views(&data, &[promoted(2), promoted(1), promoted(5)]);
    let all = choose(&PackRequest::default(), &v).unwrap();
    assert_eq!(all, [2, 1, 5], "most profitable first (customer 2's old sale included)");
    let some = choose(&PackRequest { accounts: Some(vec![5, 2]), ..PackRequest::default() }, &v).unwrap();
    assert_eq!(some, [2, 5], "in the pack's order");
    let e = choose(&PackRequest { accounts: Some(vec![3]), ..PackRequest::default() }, &v).unwrap_err();
    assert_eq!(e.to_string(), "customer 3 is not a key account");
    assert!(choose(&PackRequest { accounts: Some(vec![]), ..PackRequest::default() }, &v).is_err());
    let e = choose(&PackRequest { from: Some(d(2026, 2, 1)), to: Some(d(2026, 1, 1)), ..PackRequest::default() }, &v).unwrap_err();
    assert!(e.to_string().contains("ends (2026-01-01) before it begins (2026-02-01)"), "{e}");
}

#[test]
fn the_risk_names_the_largest_account_and_its_only_supporter() {
    let data = data();
    let accounts = [promoted(1), promoted(2)];
    let c = Contact { name: "王伟".into(), level: Some(Level::Decision), attitude: Some(Attitude::Supporter), ..Default::default() };
    let nb = nbk::apply(None, 1, &nbk::Change::Save { item: Item::Contact(c) }, "2026-11-01T09:00:00+08:00").unwrap().0;
    let risk = insight::risk(&in_period(&data, Some(d(2026, 1, 1)), None), &accounts, &[nb]);
    let s = risk_sentences(&risk, &data, &period_2026(), Lang::En, TODAY());
    assert_eq!(s[0], "Losing your largest key account, 华东钢铁有限公司, would cost 55.6% of profit.");
    assert_eq!(s[1], "Your 2 key accounts together make 88.9% of profit.");
    assert!(s[2].starts_with("55.6% of your profit depends on 1 key account whose only decision-level supporter is 王伟, never touched"), "{}", s[2]);
    let zh = risk_sentences(&risk, &data, &period_2026(), Lang::ZhCn, TODAY());
    assert!(zh[0].contains("华东钢铁有限公司") && zh[0].contains("55.6%") && zh[0] != s[0], "{}", zh[0]);
    // Without key accounts: the largest customers.
    let none = insight::risk(&data, &[], &[]);
    let s = risk_sentences(&none, &data, &period_2026(), Lang::En, TODAY());
    assert_eq!(s, ["Your largest customer, 华东钢铁有限公司, makes 55.6% of profit; your top 5 make 95.6%."]);
}

#[test]
fn an_account_page_holds_its_phase_map_touches_satisfaction_and_open_actions() {
    let data = data();
    let mut acc = promoted(1);
    for change in [
        Change::Tick { item: CheckItem::ProductFit, done: true },
        Change::AddAction { text: "Later".into(), due: d(2026, 12, 20) },
        Change::AddAction { text: "Sooner".into(), due: d(2026, 12, 5) },
        Change::AddAction { text: "Done already".into(), due: d(2026, 12, 1) },
        Change::SetActionDone { action: 3, done: true },
    ] {
        acc = accounts::apply(Some(acc), 1, &change, TODAY()).unwrap();
    }
    let v = views(&data, std::slice::from_ref(&acc)).remove(0);
    let now = "2026-11-20T09:00:00+08:00";
    let save = |nb: Option<Notebook>, item: Item| nbk::apply(nb, 1, &nbk::Change::Save { item }, now).unwrap().0;
    let nb = save(None, Item::Contact(Contact { name: "王伟".into(), level: Some(Level::Decision), function: Some(Function::Finance), attitude: Some(Attitude::Neutral), ..Default::default() }));
    let touch = |id, day, summary: &str| Touch { id, date: d(2026, 11, day), kind: TouchKind::Visit, contacts: vec![1], summary: summary.into(), next: String::new(), due: None, hours: None, cost: None, by: String::new(), removed: false };
    let mut nb = save(Some(nb), Item::Touch(touch(0, 2, "First visit")));
    for day in 3..=7 {
        nb = save(Some(nb), Item::Touch(touch(0, day, &format!("Visit {day}"))));
    }
    for (day, overall) in [(10, 3), (20, 5)] {
        let s = Survey { date: d(2026, 11, day), product: 4, service: 4, delivery: 4, price: 4, overall, ..Default::default() };
        nb = save(Some(nb), Item::Survey(s));
    }
    let view = nbk::view::view(&nb, &acc, &data.customers[0], TODAY(), Some(true));
    let page = account_page(&v, Some(&view), None);
    assert_eq!(page.row.name, "华东钢铁有限公司");
    assert_eq!(page.card, v.suggestion.account_type.map(|t| (t, false)), "no type confirmed: the suggestion's card");
    assert_eq!(page.checklist.len(), 5, "the establish phase's points only");
    assert!(page.checklist.contains(&(CheckItem::ProductFit, true)));
    assert_eq!(page.actions.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(), ["Sooner", "Later"], "open ones, soonest first");
    assert_eq!(page.row.next_action.as_ref().map(|a| a.text.as_str()), Some("Sooner"));
    assert_eq!(page.map.len(), 9);
    let finance = page.map.iter().find(|c| c.level == Level::Decision && c.function == Function::Finance).unwrap();
    assert_eq!((finance.names.clone(), finance.attitude), (vec!["王伟".to_string()], Some(Attitude::Neutral)));
    assert!(!page.decision_supporter);
    assert_eq!(page.touches.len(), RECENT_TOUCHES);
    assert_eq!(page.touches[0].summary, "Visit 7", "newest first");
    let s = page.satisfaction.unwrap();
    assert_eq!((s.latest, s.date, s.average, s.surveys), (5, d(2026, 11, 20), 4.0, 2));
    assert_eq!(page.loyalty, LoyaltyStatus::Loyal);

    // A confirmed type shows its own card; no notebook: an empty map.
    let typed = accounts::apply(Some(acc), 1, &Change::SetType { account_type: AccountType::Strategic, suggested: None }, TODAY()).unwrap();
    let v = views(&data, &[typed]).remove(0);
    let page = account_page(&v, None, None);
    assert_eq!(page.card, Some((AccountType::Strategic, true)));
    assert!(page.map.iter().all(|c| c.names.is_empty()) && page.touches.is_empty() && page.satisfaction.is_none());
}

#[test]
fn the_pack_has_every_chart_the_chosen_accounts_and_the_sentences_in_its_language() {
    let data = data();
    let accounts = [promoted(1), promoted(2)];
    let v = views(&data, &accounts);
    let health = insight::health(&data, &accounts, &[], TODAY(), Lang::ZhCn);
    let risk = insight::risk(&data, &accounts, &[]);
    let notebooks = HashMap::new();
    let inputs = Inputs { data: &data, views: &v, notebooks: &notebooks, health: &health, risk: &risk, currency: "¥", today: TODAY() };
    let req = PackRequest { from: Some(d(2026, 1, 1)), to: Some(d(2026, 12, 31)), accounts: Some(vec![2]), lang: Some(Lang::ZhCn) };
    let chosen = choose(&req, &v).unwrap();
    let steps = std::cell::Cell::new(0);
    let pack = build(&inputs, &req, &chosen, 600, &|| steps.set(steps.get() + 1)).unwrap();
    assert_eq!(pack.charts.len(), ChartKind::ALL.len());
    assert_eq!(steps.get(), ChartKind::ALL.len(), "a step per chart");
    assert!(pack.charts.iter().all(|c| c.svg.starts_with("<svg") && c.svg.contains("height=\"600\"")));
    assert_eq!(pack.charts[0].title, i18n::text(Lang::ZhCn, "dashboard.chart.pareto"));
    assert_eq!(pack.period, "2026年1月1日 – 2026年12月31日");
    assert_eq!(pack.headline_text, "前 20% 的客户（2 个）贡献了 88.9% 的利润，但只占 25.0% 的营业额。");
    assert_eq!(pack.table.len(), 1);
    assert_eq!(pack.accounts[0].row.id, 2);
    assert_eq!(pack.accounts[0].row.value, Some(300.0), "the period's profit (1,300 over all dates)");
    assert_eq!(pack.accounts[0].row.health, health.iter().find(|h| h.id == 2).map(|h| h.score));
}

#[test]
fn a_pack_of_revenue_only_data_is_by_revenue_and_says_why_once() {
    // The same sales without profit or cost (a revenue-only ledger).
    let with_profit = data();
    let lines = with_profit.lines.iter().map(|l| DataLine { cost: None, profit: None, ..*l }).collect();
    let data = Dataset { lines: Arc::new(lines), ..with_profit };
    assert_eq!(data.measure(), Measure::Revenue);
    let accounts = [promoted(1), promoted(10)];
    let v = views(&data, &accounts);
    let risk = insight::risk(&data, &accounts, &[]);
    assert_eq!(risk.measure, Measure::Revenue);
    let notebooks = HashMap::new();
    let inputs = Inputs { data: &data, views: &v, notebooks: &notebooks, health: &[], risk: &risk, currency: "¥", today: TODAY() };
    let req = PackRequest { from: Some(d(2026, 1, 1)), to: Some(d(2026, 12, 31)), accounts: None, lang: Some(Lang::En) };
    let chosen = choose(&req, &v).unwrap();
    let pack = build(&inputs, &req, &chosen, 600, &|| ()).unwrap();
    assert_eq!(pack.measure, Measure::Revenue);
    // Customers 10 (1,000) and 1 (400) are the top 2 of 2,400 revenue in 2026.
    assert_eq!(
        pack.headline_text,
        "Your files have no profit or cost column: figures are by revenue. The top 20% of customers (2) make 58.3% of revenue."
    );
    assert_eq!(pack.headline_text.matches("no profit").count(), 1, "said once");
    assert!(pack.risk.iter().all(|s| !s.contains("profit")), "{:?}", pack.risk);
    assert!(pack.risk[0].ends_with("of revenue."), "{:?}", pack.risk);
    assert!(!pack.charts.iter().any(|c| c.kind == ChartKind::RevenueVsProfit), "no profit to compare");
    assert_eq!(pack.charts.len(), ChartKind::ALL.len() - 1);
    let row = pack.table.iter().find(|r| r.id == 10).unwrap();
    assert_eq!(row.value, Some(1000.0), "the account's revenue");
}
