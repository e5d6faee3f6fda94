//! Concentration per year or quarter.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::concentration::{concentration, Thresholds};
use super::values::{Dataset, Filter, Measure};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    #[default]
    Year,
    Quarter,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TrendPoint {
    /// `2024` or `2024 Q3`.
    pub label: String,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    #[ts(type = "number")]
    pub customers: u64,
    pub top20_share: Option<f64>,
    #[ts(type = "number | null")]
    pub customers_for_80: Option<u64>,
}

/// The periods covering `first..=last`.
pub fn periods(first: NaiveDate, last: NaiveDate, g: Granularity) -> Vec<(String, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let (mut year, mut q) = (first.year(), (first.month0() / 3) as i32);
    loop {
        let (label, from, to) = match g {
            Granularity::Year => (
                year.to_string(),
                NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"),
                NaiveDate::from_ymd_opt(year, 12, 31).expect("valid"),
            ),
            Granularity::Quarter => {
                let from = NaiveDate::from_ymd_opt(year, (q * 3 + 1) as u32, 1).expect("valid");
                let next = if q == 3 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, (q * 3 + 4) as u32, 1)
                };
                (format!("{year} Q{}", q + 1), from, next.expect("valid").pred_opt().expect("valid"))
            }
        };
        if from > last {
            return out;
        }
        out.push((label, from, to));
        match g {
            Granularity::Year => year += 1,
            Granularity::Quarter => {
                q += 1;
                if q == 4 {
                    q = 0;
                    year += 1;
                }
            }
        }
    }
}

/// Top-20% share and customers-for-80% in each period of the data (within
/// the filter's own period, if it has one).
pub fn trend(data: &Dataset, measure: Measure, filter: &Filter, g: Granularity) -> Vec<TrendPoint> {
    let Some((first, last)) = data.date_range() else { return Vec::new() };
    let first = filter.from.map_or(first, |f| f.max(first));
    let last = filter.to.map_or(last, |t| t.min(last));
    if first > last {
        return Vec::new();
    }
    let periods = periods(first, last, g);
    let windows: Vec<_> = periods.iter().map(|(_, from, to)| (Some(*from), Some(*to))).collect();
    let values = data.values_by_window(measure, filter, &windows);
    periods
        .into_iter()
        .zip(values)
        .map(|((label, from, to), v)| {
            let c = concentration(&v, Thresholds::default());
            TrendPoint { label, from, to, customers: c.customers, top20_share: c.top20_share, customers_for_80: c.customers_for_80 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn years_and_quarters_cover_the_range() {
        let y = periods(d(2022, 6, 1), d(2024, 1, 1), Granularity::Year);
        assert_eq!(y.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(), ["2022", "2023", "2024"]);
        let q = periods(d(2023, 11, 5), d(2024, 4, 1), Granularity::Quarter);
        assert_eq!(q.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(), ["2023 Q4", "2024 Q1", "2024 Q2"]);
        assert_eq!(q[0].1, d(2023, 10, 1));
        assert_eq!(q[0].2, d(2023, 12, 31));
        assert_eq!(q[1].2, d(2024, 3, 31));
    }
}
