use std::sync::Arc;

use chrono::NaiveDate;

use super::*;
use crate::analysis::values::DataLine;
use crate::model::Customer;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn customer(id: u32) -> Customer {
    Customer { id, ext_id: Some(format!("C{id}")), name: format!("客户{id}"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None }
}

fn data(lines: Vec<(u32, NaiveDate, f64)>, customers: u32) -> Dataset {
    let lines = lines
        .into_iter()
        .map(|(customer, date, revenue)| DataLine { customer, date: Some(date), revenue: Some(revenue), cost: Some(revenue * 0.7), profit: Some(revenue * 0.3), category: None })
        .collect();
    Dataset { customers: Arc::new((0..customers).map(customer).collect()), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

fn stage(s: &Segments, id: u32) -> Lifecycle {
    s.customers.iter().find(|c| c.id == id).unwrap().lifecycle
}

#[test]
fn lifecycle_windows_at_their_edges() {
    let as_of = d(2026, 12, 31);
    let lines = vec![
        (0, as_of - Duration::days(90), 10.0),  // first purchase 90 days ago: new
        (1, as_of - Duration::days(91), 10.0),  // 91 days ago, once: active
        (2, as_of - Duration::days(365), 10.0), // 365 days ago: still active
        (3, as_of - Duration::days(366), 10.0), // 366 days ago: churned
        (4, as_of + Duration::days(1), 10.0),   // only after the as-of date: potential
        (5, as_of - Duration::days(400), 10.0), // bought long ago and again now: active, not new
        (5, as_of, 10.0),
    ];
    let s = segments(&data(lines, 7), Some(as_of), Windows::default()).unwrap();
    let stages: Vec<Lifecycle> = (0..7).map(|i| stage(&s, i)).collect();
    use Lifecycle::*;
    assert_eq!(stages, [New, Active, Active, Churned, Potential, Active, Potential]);
    assert_eq!(s.lifecycle, LifecycleCounts { potential: 2, new: 1, active: 3, churned: 1 });
    // Narrower windows move the edges.
    let s = segments(&data(vec![(0, as_of - Duration::days(30), 1.0), (1, as_of - Duration::days(31), 1.0)], 2), Some(as_of), Windows { active_days: 30, new_days: 30 }).unwrap();
    assert_eq!((stage(&s, 0), stage(&s, 1)), (New, Churned));
}

#[test]
fn the_as_of_date_defaults_to_the_latest_sale_and_cannot_precede_every_sale() {
    let lines = vec![(0, d(2025, 1, 1), 1.0), (1, d(2026, 6, 30), 1.0)];
    assert_eq!(segments(&data(lines.clone(), 2), None, Windows::default()).unwrap().as_of, d(2026, 6, 30));
    let err = segments(&data(lines.clone(), 2), Some(d(2024, 12, 31)), Windows::default()).unwrap_err();
    assert!(err.to_string().contains("before the first sale"), "{err}");
    assert!(segments(&data(lines, 2), None, Windows { active_days: 30, new_days: 90 }).is_err(), "new longer than active");
    assert!(segments(&data(vec![], 2), None, Windows::default()).is_err());
}

#[test]
fn rfm_quintiles_split_ties_so_every_score_is_used() {
    // 100 customers who all bought once, the same day, the same amount.
    let day = d(2026, 6, 1);
    let s = segments(&data((0..100).map(|i| (i, day, 50.0)).collect(), 100), None, Windows::default()).unwrap();
    for pick in [|x: &Rfm| x.r, |x: &Rfm| x.f, |x: &Rfm| x.m] {
        let mut counts = [0; 5];
        for c in &s.customers {
            counts[usize::from(pick(&c.rfm.unwrap())) - 1] += 1;
        }
        assert_eq!(counts, [20; 5], "equal bins despite the ties");
    }
    assert_eq!(s.bands.frequency, BandCounts { high: 40, mid: 40, low: 20 });
    // One customer alone sits in the middle.
    let one = segments(&data(vec![(0, day, 5.0)], 1), None, Windows::default()).unwrap();
    let r = one.customers[0].rfm.unwrap();
    assert_eq!((r.r, r.f, r.m, r.segment), (3, 3, 3, Segment::PotentialLoyalists));
}

#[test]
fn scores_follow_recency_frequency_and_spend() {
    let as_of = d(2026, 12, 31);
    let mut lines = Vec::new();
    // Customer 0: recent, often, big. 1: long ago, often, big. 2: long ago, once, small.
    for k in 0..10 {
        lines.push((0, as_of - Duration::days(k * 7), 1000.0));
        lines.push((1, as_of - Duration::days(600 + k * 7), 1000.0));
    }
    lines.push((0, as_of - Duration::days(100), 1000.0));
    lines.push((2, as_of - Duration::days(700), 10.0));
    lines.push((3, as_of - Duration::days(2), 10.0));
    lines.push((4, as_of - Duration::days(300), 100.0));
    let s = segments(&data(lines, 5), Some(as_of), Windows::default()).unwrap();
    let seg = |id: u32| s.customers[id as usize].rfm.unwrap();
    assert_eq!(seg(0).segment, Segment::Champions);
    assert_eq!((seg(0).r, seg(0).f, seg(0).m), (5, 5, 5));
    assert_eq!(seg(1).segment, Segment::CantLose);
    assert_eq!(seg(2).segment, Segment::Lost);
    assert!(seg(3).r >= 4 && seg(3).f <= 2, "recent, bought once");
    assert_eq!(seg(0).purchase_days, 11);
    let stat = |x: Segment| s.stats.iter().find(|t| t.segment == x).unwrap().clone();
    assert_eq!(stat(Segment::Champions).count, 1);
    let shares: f64 = s.stats.iter().filter_map(|t| t.profit_share).sum();
    assert!((shares - 1.0).abs() < 1e-9);
    assert_eq!(s.customers[0].class, Some(Class::A));
}

#[test]
fn every_score_combination_has_a_segment() {
    for r in 1..=5 {
        for f in 1..=5 {
            for m in 1..=5 {
                let _ = Segment::of(r, f, m);
            }
        }
    }
    assert_eq!(Segment::of(5, 5, 5), Segment::Champions);
    assert_eq!(Segment::of(1, 5, 5), Segment::CantLose);
    assert_eq!(Segment::of(3, 4, 1), Segment::Loyal);
    assert_eq!(Segment::of(2, 3, 1), Segment::AtRisk);
    assert_eq!(Segment::of(5, 1, 1), Segment::New);
    assert_eq!(Segment::of(3, 2, 2), Segment::PotentialLoyalists);
    assert_eq!(Segment::of(2, 2, 5), Segment::Hibernating);
    assert_eq!(Segment::of(1, 1, 1), Segment::Lost);
}

#[test]
fn the_cli_summary_lists_buyers_with_their_ids() {
    let s = segments(&data(vec![(1, d(2026, 1, 1), 5.0)], 3), None, Windows::default()).unwrap();
    let j = serde_json::to_value(s.summary(&data(vec![(1, d(2026, 1, 1), 5.0)], 3))).unwrap();
    assert_eq!(j["rfm"].as_array().unwrap().len(), 1);
    assert_eq!(j["rfm"][0]["ext_id"], "C1");
    assert_eq!(j["lifecycle"]["potential"], 2);
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["as_of", "bands", "lifecycle", "rfm"]);
}

#[test]
fn a_ledger_without_profit_is_classed_by_revenue() {
    let as_of = d(2026, 6, 30);
    let mut data = data(vec![(0, as_of, 800.0), (1, as_of, 150.0), (2, as_of, 50.0)], 3);
    let lines: Vec<DataLine> = data.lines.iter().map(|l| DataLine { cost: None, profit: None, ..*l }).collect();
    data.lines = Arc::new(lines);
    let s = segments(&data, None, Windows::default()).unwrap();
    assert_eq!(s.measure, Measure::Revenue);
    let classes: Vec<Option<Class>> = (0..3).map(|i| s.customers.iter().find(|c| c.id == i).unwrap().class).collect();
    assert_eq!(classes, [Some(Class::A), Some(Class::B), Some(Class::C)]);
    let share: f64 = s.stats.iter().filter_map(|x| x.profit_share).sum();
    assert!((share - 1.0).abs() < 1e-9, "the shares are of revenue: {share}");
}
