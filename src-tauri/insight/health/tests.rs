use std::sync::Arc;

use chrono::NaiveDate;

use super::*;
use crate::accounts::{self, AccountType, Change};
use crate::analysis::values::DataLine;
use crate::notebook::{self as nbk, Contact, Item, Survey, Touch, TouchKind};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: fn() -> NaiveDate = || d(2026, 12, 31);

fn data(lines: Vec<(NaiveDate, f64, Option<f64>)>) -> Dataset {
    let customer = Customer { id: 1, ext_id: Some("C1".into()), name: "华东钢铁".into(), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None };
    let lines = lines.into_iter().map(|(date, revenue, profit)| DataLine { customer: 1, date: Some(date), revenue: Some(revenue), cost: None, profit, category: None }).collect();
    Dataset { customers: Arc::new(vec![customer]), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

/// `data(lines)` with another customer's sale on [`TODAY`], the data's "now".
fn ledger(lines: Vec<(NaiveDate, f64, Option<f64>)>) -> Dataset {
    let mut data = data(lines);
    let mut all = (*data.lines).clone();
    all.push(DataLine { customer: 2, date: Some(TODAY()), revenue: Some(1.0), cost: None, profit: None, category: None });
    data.lines = Arc::new(all);
    data
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

/// A notebook with `items` saved in order.
fn notebook(items: Vec<Item>) -> Option<Notebook> {
    items.into_iter().fold(None, |nb, item| Some(save(nb, item)))
}

fn touch(date: NaiveDate) -> Item {
    let summary = format!("Visit on {date}");
    Item::Touch(Touch { id: 0, date, kind: TouchKind::Visit, contacts: Vec::new(), summary, next: String::new(), due: None, hours: None, cost: None, by: String::new(), removed: false })
}

fn survey(date: NaiveDate, overall: u8) -> Item {
    Item::Survey(Survey { date, product: 3, service: 3, delivery: 3, price: 3, overall, ..Default::default() })
}

fn contact(name: &str, level: Level, attitude: Attitude) -> Item {
    Item::Contact(Contact { name: name.into(), level: Some(level), attitude: Some(attitude), ..Default::default() })
}

/// The whole health of `a` on [`TODAY`], in English.
fn health_of(data: &Dataset, a: &Account, nb: Option<&Notebook>) -> Health {
    let books: Vec<Notebook> = nb.into_iter().cloned().collect();
    health(data, std::slice::from_ref(a), &books, TODAY(), Lang::En).remove(0)
}

fn keys(h: &Health) -> Vec<CapKey> {
    h.caps.iter().map(|c| c.key).collect()
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
    assert_eq!(p[&PartKey::RevenueTrend].reason, "Revenue of the last 12 months: -25.0% against the 12 before.");
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
    let nb = save(Some(nb), touch(d(2026, 12, 1)));
    let mut a = account();
    a = accounts::apply(Some(a), 1, &Change::AddAction { text: "Quote".into(), due: d(2026, 12, 20) }, d(2026, 12, 1)).unwrap();
    let (score, p) = parts(&data, &a, Some(&nb));
    assert_eq!(p[&PartKey::Satisfaction].score, 55, "4 of 5 is 75, less 20 for the fall from 5");
    assert_eq!(p[&PartKey::Coverage].score, 50, "a decider who is not a supporter");
    assert_eq!(p[&PartKey::Actions].score, 67, "one action late");
    // Touched on 1 December, strategic: a touch every 30 days, due 31 December.
    assert_eq!(p[&PartKey::Touch].score, 100);
    assert_eq!(p[&PartKey::Touch].reason, "Touched within its cadence (every 30 days).");
    let weights: u32 = p.values().map(|x| u32::from(x.weight)).sum();
    assert_eq!(weights, 100);
    let expected: u32 = p.values().map(|x| u32::from(x.weight) * u32::from(x.score)).sum();
    assert_eq!(u32::from(score), (f64::from(expected) / 100.0).round() as u32);
    // Nothing on record: no touch scores nothing, no survey does not count.
    let (_, p) = parts(&data, &account(), None);
    assert_eq!((p[&PartKey::Touch].score, p[&PartKey::Coverage].score, p[&PartKey::Actions].score), (0, 0, 100));
    assert_eq!(p[&PartKey::Satisfaction].weight, 0);
}

#[test]
fn a_touch_overdue_by_a_whole_cadence_scores_nothing() {
    let nb = notebook(vec![touch(d(2026, 10, 1))]);
    let (_, p) = parts(&monthly(d(2026, 12, 31), 100.0, 100.0, 0.3), &account(), nb.as_ref());
    assert_eq!(p[&PartKey::Touch].score, 0, "{}", p[&PartKey::Touch].reason);
    assert!(p[&PartKey::Touch].reason.contains("61 days"), "{}", p[&PartKey::Touch].reason);
}

#[test]
fn no_touch_on_record_scores_nothing_for_touches() {
    // Promoted on 1 December: the first touch is not due before 31 December,
    // but nothing has been done, and the part says so.
    let data = monthly(d(2026, 12, 31), 100.0, 100.0, 0.3);
    let (_, p) = parts(&data, &account(), None);
    assert_eq!(p[&PartKey::Touch].score, 0);
    assert_eq!(p[&PartKey::Touch].reason, "No touch on record (one is due every 30 days).");
    // A removed touch is no touch.
    let nb = notebook(vec![touch(d(2026, 12, 20))]).unwrap();
    let (_, p) = parts(&data, &account(), Some(&nb));
    assert_eq!(p[&PartKey::Touch].score, 100);
    let removed = nbk::apply(Some(nb.clone()), 1, &nbk::Change::Remove { kind: nbk::ItemKind::Touch, id: nb.touches[0].id, removed: true }, "2026-12-21T00:00:00+08:00").unwrap().0;
    let (_, p) = parts(&data, &account(), Some(&removed));
    assert_eq!(p[&PartKey::Touch].score, 0);
}

#[test]
fn no_survey_is_left_out_of_the_score_and_says_so() {
    // A weak account: stopped buying, never touched, nobody decides for it, late actions.
    let data = ledger((0..12).map(|k| (d(2026, 6, 30) - Duration::days(30 * k), 100.0, Some(30.0))).collect());
    let mut a = account();
    for due in [d(2026, 12, 2), d(2026, 12, 3)] {
        a = accounts::apply(Some(a), 1, &Change::AddAction { text: "Call".into(), due }, d(2026, 12, 1)).unwrap();
    }
    let nb = notebook(vec![contact("李娜", Level::Operational, Attitude::Neutral)]);
    let h = health_of(&data, &a, nb.as_ref());
    let sat = h.parts.iter().find(|p| p.key == PartKey::Satisfaction).unwrap();
    assert_eq!((sat.weight, sat.score), (0, 50), "a neutral part that does not count");
    assert_eq!(sat.reason, "No survey yet: left out of the score (weight 0).");
    // The score is the other parts' average, not pulled towards a middle 50.
    let others: Vec<&HealthPart> = h.parts.iter().filter(|p| p.key != PartKey::Satisfaction).collect();
    let (total, weights) = others.iter().fold((0u32, 0u32), |(t, w), p| (t + u32::from(p.weight) * u32::from(p.score), w + u32::from(p.weight)));
    assert_eq!(weights, 85);
    assert_eq!(u32::from(h.weighted), (f64::from(total) / 85.0).round() as u32);
    assert!(h.weighted < 50, "{}", h.weighted);
    let as_if_fifty = (f64::from(total) + 15.0 * 50.0) / 100.0;
    assert!(f64::from(h.score) < as_if_fifty, "no survey must not lift it ({} vs {as_if_fifty})", h.score);
    // A survey counts again, with its full weight.
    let surveyed = save(nb, survey(d(2026, 11, 1), 2));
    let h = health_of(&data, &a, Some(&surveyed));
    assert_eq!(h.parts.iter().map(|p| u32::from(p.weight)).sum::<u32>(), 100);
}

#[test]
fn loyalty_lost_caps_the_score_in_the_red_band() {
    // Last bought in June 2024, 30 months before the latest sale (another
    // customer's): no purchase in 12 months, so loyalty is lost — whatever
    // the glowing survey, the recent touch and the supporter say.
    let data = ledger((0..6).map(|k| (d(2024, 6, 30) - Duration::days(30 * k), 100.0, None)).collect());
    let nb = notebook(vec![survey(d(2024, 5, 1), 5), touch(d(2026, 12, 20)), contact("王伟", Level::Decision, Attitude::Supporter)]);
    let h = health_of(&data, &account(), nb.as_ref());
    assert_eq!(h.weighted, 55, "recency and revenue 0, margin unknown, the rest full marks");
    assert_eq!((h.score, h.band), (39, HealthBand::Red));
    assert_eq!(keys(&h), [CapKey::LoyaltyLost], "no revenue in either window: nothing halved");
    assert_eq!(h.caps[0].reason, "Loyalty: lost. No purchase in the last 12 months.");
    // In 中文 too.
    let zh = health(&data, &[account()], &[nb.unwrap()], TODAY(), Lang::ZhCn).remove(0);
    assert_eq!(zh.caps[0].reason, "忠诚度：已流失。近 12 个月没有购买。");
}

#[test]
fn lost_with_revenue_gone_is_red_with_both_reasons() {
    // The account: bought monthly until 14 months ago, nothing since.
    let data = ledger((0..10).map(|k| (d(2025, 10, 31) - Duration::days(30 * k), 100.0, Some(30.0))).collect());
    let nb = notebook(vec![touch(d(2026, 12, 20)), contact("王伟", Level::Decision, Attitude::Supporter)]);
    let h = health_of(&data, &account(), nb.as_ref());
    assert_eq!(h.band, HealthBand::Red);
    assert!(h.score <= THRESHOLDS.red_max());
    assert_eq!(keys(&h), [CapKey::LoyaltyLost, CapKey::RevenueHalved]);
    assert_eq!(h.caps[1].reason, "Revenue fell by half or more: -100.0% in the last 12 months against the 12 before.");
}

#[test]
fn revenue_down_by_half_caps_the_score_in_the_red_band() {
    // Everything else is fine: recent, steady margin, surveyed 5, touched, a supporter.
    let nb = notebook(vec![survey(d(2026, 11, 1), 5), touch(d(2026, 12, 20)), contact("王伟", Level::Decision, Attitude::Supporter)]);
    let halved = health_of(&monthly(d(2026, 12, 31), 50.0, 100.0, 0.3), &account(), nb.as_ref());
    assert_eq!(halved.weighted, 85, "only the revenue part scores nothing");
    assert_eq!((halved.score, halved.band), (39, HealthBand::Red));
    assert_eq!(keys(&halved), [CapKey::RevenueHalved]);
    assert_eq!(halved.caps[0].reason, "Revenue fell by half or more: -50.0% in the last 12 months against the 12 before.");
    // A little less than half gone: no cap, the parts decide.
    let held = health_of(&monthly(d(2026, 12, 31), 52.0, 100.0, 0.3), &account(), nb.as_ref());
    assert!(held.caps.is_empty());
    assert_eq!((held.score, held.band), (held.weighted, HealthBand::Green));
}

#[test]
fn bands_and_their_thresholds() {
    assert_eq!(THRESHOLDS, BandThresholds { green: 75, amber: 40 });
    let band = |s| HealthBand::of(s);
    assert_eq!([band(100), band(75), band(74), band(40), band(39), band(0)], [
        HealthBand::Green,
        HealthBand::Green,
        HealthBand::Amber,
        HealthBand::Amber,
        HealthBand::Red,
        HealthBand::Red
    ]);
    assert_eq!(THRESHOLDS.red_max(), 39);
    // The JSON keeps its fields and adds the band, thresholds, caps and the score before them.
    let h = health_of(&monthly(d(2026, 12, 31), 100.0, 100.0, 0.3), &account(), None);
    let json = serde_json::to_value(&h).unwrap();
    let mut fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["band", "caps", "ext_id", "id", "name", "parts", "score", "thresholds", "weighted"]);
    assert_eq!(json["thresholds"], serde_json::json!({ "green": 75, "amber": 40 }));
    assert_eq!(json["band"], "amber");
    assert_eq!(json["caps"], serde_json::json!([]));
}

/// An example account: its sales lines, touches, surveys and contacts.
struct Example {
    name: &'static str,
    /// Purchases: every 30 days from the first date through the second, each of this revenue (margin 30%).
    sales: Vec<(NaiveDate, NaiveDate, f64)>,
    touches: Vec<NaiveDate>,
    surveys: Vec<(NaiveDate, u8)>,
    contacts: Vec<(Level, Attitude)>,
    promoted: NaiveDate,
    band: HealthBand,
    caps: Vec<CapKey>,
}

impl Example {
    /// Its health on [`TODAY`]; another customer's sale on that day sets the data's "now".
    fn health(&self) -> Health {
        let mut lines = Vec::new();
        for (from, to, revenue) in &self.sales {
            let mut day = *from;
            while day <= *to {
                lines.push((day, *revenue, Some(revenue * 0.3)));
                day += Duration::days(30);
            }
        }
        let data = ledger(lines);
        let contacts = self.contacts.iter().enumerate().map(|(k, (level, attitude))| contact(&format!("Contact {k}"), *level, *attitude));
        let surveys = self.surveys.iter().map(|(date, overall)| survey(*date, *overall));
        let nb = notebook(contacts.chain(surveys).chain(self.touches.iter().map(|t| touch(*t))).collect());
        let mut a = accounts::apply(None, 1, &Change::Promote, self.promoted).unwrap();
        a.account_type = Some(AccountType::Strategic);
        health_of(&data, &a, nb.as_ref())
    }
}

#[test]
fn example_accounts_fall_in_their_bands() {
    let examples = [
        // Promoted this month after two purchases; nothing done yet.
        Example {
            name: "new",
            sales: vec![(d(2026, 11, 15), d(2026, 12, 15), 100.0)],
            touches: vec![],
            surveys: vec![],
            contacts: vec![],
            promoted: d(2026, 12, 1),
            band: HealthBand::Amber,
            caps: vec![],
        },
        // Bought monthly, slowing and stopped in August; never touched, nobody known.
        Example {
            name: "lapsed",
            sales: vec![(d(2024, 9, 1), d(2026, 8, 1), 100.0)],
            touches: vec![],
            surveys: vec![],
            contacts: vec![],
            promoted: d(2025, 1, 1),
            band: HealthBand::Red,
            caps: vec![],
        },
        // Buys monthly and more than last year, touched monthly, surveyed 4 then 5, a supporter at the top.
        Example {
            name: "thriving",
            sales: vec![(d(2025, 1, 5), d(2025, 12, 31), 100.0), (d(2026, 1, 5), d(2026, 12, 31), 120.0)],
            touches: vec![d(2026, 10, 10), d(2026, 11, 10), d(2026, 12, 10)],
            surveys: vec![(d(2026, 3, 1), 4), (d(2026, 9, 1), 5)],
            contacts: vec![(Level::Decision, Attitude::Supporter), (Level::Operational, Attitude::Neutral)],
            promoted: d(2025, 1, 1),
            band: HealthBand::Green,
            caps: vec![],
        },
        // Stopped buying 14 months ago; still surveyed 5 back then and touched lately.
        Example {
            name: "lost",
            sales: vec![(d(2024, 1, 1), d(2025, 10, 31), 100.0)],
            touches: vec![d(2026, 12, 20)],
            surveys: vec![(d(2025, 6, 1), 5)],
            contacts: vec![(Level::Decision, Attitude::Supporter)],
            promoted: d(2024, 1, 1),
            band: HealthBand::Red,
            caps: vec![CapKey::LoyaltyLost, CapKey::RevenueHalved],
        },
        // Still buying monthly and well looked after, but at a third of last year's revenue.
        Example {
            name: "shrinking",
            sales: vec![(d(2025, 1, 5), d(2025, 12, 31), 150.0), (d(2026, 1, 5), d(2026, 12, 31), 50.0)],
            touches: vec![d(2026, 12, 10)],
            surveys: vec![(d(2026, 9, 1), 4)],
            contacts: vec![(Level::Decision, Attitude::Supporter)],
            promoted: d(2025, 1, 1),
            band: HealthBand::Red,
            caps: vec![CapKey::RevenueHalved],
        },
    ];
    for ex in &examples {
        let h = ex.health();
        let why: Vec<String> = h.parts.iter().map(|p| format!("{:?} {}×{}: {}", p.key, p.score, p.weight, p.reason)).collect();
        assert_eq!(h.band, ex.band, "{}: {} (weighted {})\n{}", ex.name, h.score, h.weighted, why.join("\n"));
        assert_eq!(keys(&h), ex.caps, "{}", ex.name);
        assert_eq!(h.band, h.thresholds.band(h.score), "{}: the band is the score's", ex.name);
        let held = if h.caps.is_empty() { h.weighted } else { h.weighted.min(THRESHOLDS.red_max()) };
        assert_eq!(h.score, held, "{}: a cap only ever lowers the score, to the top of red", ex.name);
    }
    // What the issue saw: the lapsed account no longer scores above the lost one's band, and neither is green.
    let [_, lapsed, _, lost, _] = examples.map(|e| e.health());
    assert!(lapsed.score < THRESHOLDS.amber && lost.score < THRESHOLDS.amber);
}
