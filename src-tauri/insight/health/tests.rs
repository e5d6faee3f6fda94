use std::sync::Arc;

use chrono::NaiveDate;

use super::*;
use crate::accounts::{self, AccountType, Change};
use crate::analysis::values::DataLine;
use crate::notebook::{self as nbk, Contact, Item, Survey};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: fn() -> NaiveDate = || d(2026, 12, 31);

fn data(lines: Vec<(NaiveDate, f64, Option<f64>)>) -> Dataset {
    let customer = Customer { id: 1, ext_id: Some("C1".into()), name: "华东钢铁".into(), region: None, industry: None, attributes: Default::default(), declared: None };
    let lines = lines.into_iter().map(|(date, revenue, profit)| DataLine { customer: 1, date: Some(date), revenue: Some(revenue), cost: None, profit, category: None }).collect();
    Dataset { customers: Arc::new(vec![customer]), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

fn account() -> Account {
    let mut a = accounts::apply(None, 1, &Change::Promote, d(2026, 12, 1)).unwrap();
    a.account_type = Some(AccountType::Strategic);
    a
}

fn parts(data: &Dataset, a: &Account, nb: Option<&Notebook>) -> (u8, HashMap<PartKey, HealthPart>) {
    let books: Vec<Notebook> = nb.into_iter().cloned().collect();
    let h = health(data, std::slice::from_ref(a), &books, TODAY(), Lang::En).remove(0);
    (h.score, h.parts.into_iter().map(|p| (p.key, p)).collect())
}

fn save(nb: Option<Notebook>, item: Item) -> Notebook {
    nbk::apply(nb, 1, &nbk::Change::Save { item }, "2026-12-01T00:00:00+08:00").unwrap().0
}

/// Monthly purchases through `last`, revenue per month `now` in the last
/// 12 months and `before` in the 12 before, margin 30% then `margin`.
fn monthly(last: NaiveDate, now: f64, before: f64, margin: f64) -> Dataset {
    let mut lines = Vec::new();
    for k in 0..24 {
        let date = last - Duration::days(k * 365 / 12);
        let (rev, m) = if k < 12 { (now, margin) } else { (before, 0.30) };
        lines.push((date, rev, Some(rev * m)));
    }
    data(lines)
}

#[test]
fn recency_against_the_accounts_own_rhythm() {
    // Every 30 days, last on the day of the latest sale: full marks.
    let (_, p) = parts(&monthly(d(2026, 12, 31), 100.0, 100.0, 0.3), &account(), None);
    assert_eq!(p[&PartKey::Recency].score, 100);
    assert_eq!(p[&PartKey::Recency].reason, "Last purchase 0 days ago; it usually buys every 30 days.");
    // The account stopped 60 days before another customer's latest sale: half.
    let mut lines: Vec<(NaiveDate, f64, Option<f64>)> = (0..6).map(|k| (d(2026, 10, 31) - Duration::days(30 * k), 10.0, None)).collect();
    let mut data = data(std::mem::take(&mut lines));
    let mut all = (*data.lines).clone();
    all.push(DataLine { customer: 2, date: Some(d(2026, 12, 30)), revenue: Some(1.0), cost: None, profit: None, category: None });
    data.lines = Arc::new(all);
    let (_, p) = parts(&data, &account(), None);
    assert_eq!(p[&PartKey::Recency].score, 50, "{}", p[&PartKey::Recency].reason);
}

#[test]
fn revenue_and_margin_trends() {
    let (_, p) = parts(&monthly(d(2026, 12, 31), 75.0, 100.0, 0.25), &account(), None);
    assert_eq!(p[&PartKey::RevenueTrend].score, 50, "three quarters of last year's revenue");
    assert_eq!(p[&PartKey::RevenueTrend].reason, "Revenue of the last 12 months: -25% against the 12 before.");
    assert_eq!(p[&PartKey::MarginTrend].score, 50, "5 points lower");
    let (_, p) = parts(&monthly(d(2026, 12, 31), 120.0, 100.0, 0.35), &account(), None);
    assert_eq!((p[&PartKey::RevenueTrend].score, p[&PartKey::MarginTrend].score), (100, 100));
    // No profit figures: the margin part stays in the middle and says why.
    let (_, p) = parts(&data(vec![(d(2026, 12, 1), 10.0, None)]), &account(), None);
    assert_eq!(p[&PartKey::MarginTrend].score, 50);
    assert_eq!(p[&PartKey::RevenueTrend].score, 100, "new revenue");
}

#[test]
fn satisfaction_touch_coverage_and_actions() {
    let data = monthly(d(2026, 12, 31), 100.0, 100.0, 0.3);
    let survey = |date, overall| Item::Survey(Survey { date, product: 3, service: 3, delivery: 3, price: 3, overall, ..Default::default() });
    let nb = save(None, survey(d(2026, 6, 1), 5));
    let nb = save(Some(nb), survey(d(2026, 11, 1), 4));
    let nb = save(Some(nb), Item::Contact(Contact { name: "王伟".into(), level: Some(Level::Decision), attitude: Some(Attitude::Neutral), ..Default::default() }));
    let mut a = account();
    a = accounts::apply(Some(a), 1, &Change::AddAction { text: "Quote".into(), due: d(2026, 12, 20) }, d(2026, 12, 1)).unwrap();
    let (score, p) = parts(&data, &a, Some(&nb));
    assert_eq!(p[&PartKey::Satisfaction].score, 55, "4 of 5 is 75, less 20 for the fall from 5");
    assert_eq!(p[&PartKey::Coverage].score, 50, "a decider who is not a supporter");
    assert_eq!(p[&PartKey::Actions].score, 67, "one action late");
    // Promoted on 1 December, strategic: a touch every 30 days, due 31 December.
    assert_eq!(p[&PartKey::Touch].score, 100);
    let weights: u32 = p.values().map(|x| u32::from(x.weight)).sum();
    assert_eq!(weights, 100);
    let expected: u32 = p.values().map(|x| u32::from(x.weight) * u32::from(x.score)).sum();
    assert_eq!(u32::from(score), (f64::from(expected) / 100.0).round() as u32);
    // Nothing on record.
    let (_, p) = parts(&data, &account(), None);
    assert_eq!((p[&PartKey::Satisfaction].score, p[&PartKey::Coverage].score, p[&PartKey::Actions].score), (50, 0, 100));
}

#[test]
fn a_touch_overdue_by_a_whole_cadence_scores_nothing() {
    let mut a = account();
    a.history = vec![crate::accounts::Event::Promoted { at: d(2026, 10, 1), cleared: Vec::new() }];
    let (_, p) = parts(&monthly(d(2026, 12, 31), 100.0, 100.0, 0.3), &a, None);
    assert_eq!(p[&PartKey::Touch].score, 0, "{}", p[&PartKey::Touch].reason);
    assert!(p[&PartKey::Touch].reason.contains("61 days"), "{}", p[&PartKey::Touch].reason);
}
