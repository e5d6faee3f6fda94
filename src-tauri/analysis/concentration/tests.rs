use super::*;

fn vals(v: &[(u32, f64)]) -> Vec<CustomerValue> {
    v.iter().map(|&(id, value)| CustomerValue { id, name: format!("c{id}"), value }).collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn all_positive() {
    let c = concentration(&vals(&[(1, 50.0), (2, 30.0), (3, 10.0), (4, 5.0), (5, 5.0)]), Thresholds::default());
    assert_eq!(c.customers, 5);
    assert_eq!(c.total, 100.0);
    assert_eq!(c.top20_count, 1);
    assert!(close(c.top20_share, 0.5));
    assert_eq!(c.customers_for_80, Some(2));
    assert_eq!((c.unprofitable, c.unprofitable_total), (0, 0.0));
    assert!(close(c.whale_peak_share, 1.0));
    assert_eq!(c.whale_peak_at, Some(5));
    assert!(close(c.gini, 0.46), "{:?}", c.gini);
    assert!(close(c.hhi, 0.355));
    assert!(close(c.largest_share, 0.5));
    assert_eq!((c.abc.a.count, c.abc.b.count, c.abc.c.count), (2, 2, 1));
    assert!(close(c.abc.a.share, 0.8) && close(c.abc.b.share, 0.15) && close(c.abc.c.share, 0.05));
    assert_eq!(c.na_reason, None);
}

#[test]
fn some_negative_make_a_whale_curve() {
    let c = concentration(&vals(&[(3, -10.0), (1, 60.0), (2, 50.0)]), Thresholds::default());
    assert_eq!(c.total, 100.0);
    assert!(close(c.top20_share, 0.6));
    assert_eq!(c.customers_for_80, Some(2));
    assert_eq!((c.unprofitable, c.unprofitable_total), (1, -10.0));
    assert!(close(c.whale_peak_share, 1.1), "peaks above 100%");
    assert_eq!(c.whale_peak_at, Some(2));
    assert!(close(c.gini, 2.0 * 170.0 / 220.0 - 1.5), "gini of the non-negative values: {:?}", c.gini);
    assert_eq!((c.abc.a.count, c.abc.b.count, c.abc.c.count), (2, 0, 1));
    assert!(close(c.abc.a.share, 1.1) && close(c.abc.c.share, -0.1));
}

#[test]
fn top20_share_is_not_clamped() {
    // The top customer makes more than the total: others lose money.
    let c = concentration(&vals(&[(1, 120.0), (2, 10.0), (3, 5.0), (4, -20.0), (5, -15.0)]), Thresholds::default());
    assert!(close(c.top20_share, 1.2));
}

#[test]
fn total_not_positive_gives_no_shares_and_says_why() {
    let c = concentration(&vals(&[(1, 10.0), (2, -30.0)]), Thresholds::default());
    assert_eq!(c.total, -20.0);
    assert_eq!(c.top20_share, None);
    assert_eq!(c.customers_for_80, None);
    assert_eq!(c.whale_peak_share, None);
    assert_eq!(c.largest_share, None);
    assert_eq!(c.abc.a.share, None);
    assert!(c.na_reason.as_deref().unwrap().contains("negative (-20.00)"));
    assert_eq!((c.unprofitable, c.unprofitable_total), (1, -30.0));
    assert_eq!(c.gini, Some(0.0));
    let zero = concentration(&vals(&[(1, 0.0), (2, 0.0)]), Thresholds::default());
    assert!(zero.na_reason.as_deref().unwrap().contains("zero"));
    assert_eq!(zero.gini, None);
    assert!(serde_json::to_string(&zero).unwrap().find("NaN").is_none());
}

#[test]
fn ties_are_broken_by_customer_id() {
    let mut v = vals(&[(2, 10.0), (1, 10.0), (3, 5.0)]);
    rank(&mut v);
    assert_eq!(v.iter().map(|x| x.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    let c = concentration(&v, Thresholds::default());
    assert!(close(c.top20_share, 0.4));
}

#[test]
fn one_customer() {
    let c = concentration(&vals(&[(7, 42.0)]), Thresholds::default());
    assert!(close(c.top20_share, 1.0));
    assert_eq!(c.customers_for_80, Some(1));
    assert_eq!(c.whale_peak_at, Some(1));
    assert_eq!(c.gini, Some(0.0));
    assert!(close(c.hhi, 1.0));
    assert_eq!(c.abc.a.count, 1);
}

#[test]
fn no_customers() {
    let c = concentration(&[], Thresholds::default());
    assert_eq!((c.customers, c.total, c.top20_count), (0, 0.0, 0));
    assert_eq!(c.top20_share, None);
    assert_eq!(c.gini, None);
    assert_eq!(c.abc.a, ClassStat { count: 0, share: None });
    assert!(c.na_reason.is_some());
}

#[test]
fn thresholds_are_adjustable() {
    let v = vals(&[(1, 50.0), (2, 30.0), (3, 10.0), (4, 5.0), (5, 5.0)]);
    let c = concentration(&v, Thresholds { a: 0.5, b: 0.9 });
    assert_eq!((c.abc.a.count, c.abc.b.count, c.abc.c.count), (1, 2, 2));
}

#[test]
fn lorenz_runs_from_origin_to_one() {
    let pts = lorenz(&[30.0, 10.0, -5.0, 60.0]);
    assert_eq!(pts.first(), Some(&(0.0, 0.0)));
    assert_eq!(pts.last(), Some(&(1.0, 1.0)));
    assert_eq!(pts.len(), 4, "losses are left out");
    assert!((pts[1].1 - 0.1).abs() < 1e-12);
}

/// xorshift, so the property tests need no crate and are repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn properties_hold_on_random_ledgers() {
    let mut rng = Rng(0x2545F4914F6CDD1D);
    for case in 0..300 {
        let n = 1 + (rng.next() * 200.0) as usize;
        let loss_rate = rng.next() * 0.4;
        let v: Vec<CustomerValue> = (0..n)
            .map(|i| {
                let mag = (1.0 / (rng.next() + 0.01)).powf(1.5) * 100.0;
                let value = if rng.next() < loss_rate { -mag * 0.3 } else { mag };
                CustomerValue { id: i as u32, name: String::new(), value: (value * 100.0).round() / 100.0 }
            })
            .collect();
        let mut ranked = v.clone();
        rank(&mut ranked);
        let cum = cumulative(&ranked);
        let total: f64 = ranked.iter().map(|x| x.value).sum();
        assert_eq!(*cum.last().unwrap(), total, "case {case}: cumulative ends at exactly the total");
        assert!(ranked.windows(2).all(|w| w[0].value >= w[1].value), "case {case}: ranked descending");
        let c = concentration(&v, Thresholds::default());
        if let Some(g) = c.gini {
            assert!((0.0..=1.0).contains(&g), "case {case}: gini {g}");
        }
        if let Some(h) = c.hhi {
            assert!(h > 0.0 && h <= 1.0 + 1e-12, "case {case}: hhi {h}");
        }
        assert_eq!(c.abc.a.count + c.abc.b.count + c.abc.c.count, n as u64);
        if total > 0.0 {
            let peak = c.whale_peak_share.unwrap();
            assert!(peak >= 1.0 - 1e-12, "case {case}: the whale curve peaks at or above 100%");
            assert!(c.customers_for_80.unwrap() as usize <= n);
            let shares = [c.abc.a.share.unwrap(), c.abc.b.share.unwrap(), c.abc.c.share.unwrap()];
            assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9, "case {case}: class shares add up");
            // Classes are contiguous in rank order: A… then B… then C….
            let cls = classes(&ranked, &cum, total, Thresholds::default());
            assert!(cls.windows(2).all(|w| (w[0] as u8) <= (w[1] as u8)), "case {case}: classes in order");
        }
    }
}
