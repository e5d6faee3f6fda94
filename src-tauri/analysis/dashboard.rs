//! Everything the Dashboard shows for one measure and filter.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::concentration::{concentration_of_ranked, rank, Concentration, Thresholds};
use super::values::{Availability, Dataset, Filter, Measure};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dashboard {
    pub measure: Measure,
    /// The selected measure's figures.
    pub selected: Concentration,
    /// Profit and revenue side by side (for "top 20% make 82% of profit but
    /// only 48% of revenue").
    pub profit: Concentration,
    pub revenue: Concentration,
    /// Share of the selected measure made by the five largest customers.
    pub top5_share: Option<f64>,
    pub largest_name: Option<String>,
    pub availability: Availability,
    pub regions: Vec<String>,
    pub industries: Vec<String>,
    /// First and last dated sale (ISO).
    #[ts(type = "[string, string] | null")]
    pub date_range: Option<(NaiveDate, NaiveDate)>,
}

pub fn dashboard(data: &Dataset, measure: Measure, filter: &Filter) -> Dashboard {
    let figures = |m: Measure| {
        let mut v = data.values(m, filter);
        rank(&mut v);
        (concentration_of_ranked(&v, Thresholds::default()), v)
    };
    // Each measure is one pass over the lines; the selected one is reused.
    let (profit, profit_ranked) = figures(Measure::Profit);
    let (revenue, revenue_ranked) = figures(Measure::Revenue);
    let (selected, ranked) = match measure {
        Measure::Profit => (profit.clone(), profit_ranked),
        Measure::Revenue => (revenue.clone(), revenue_ranked),
        Measure::Margin => figures(Measure::Margin),
    };
    let top5_share = (selected.total > 0.0).then(|| ranked.iter().take(5).map(|v| v.value).sum::<f64>() / selected.total);
    let (regions, industries) = data.dimensions();
    Dashboard {
        measure,
        top5_share,
        largest_name: ranked.first().map(|v| v.name.clone()),
        selected,
        profit,
        revenue,
        availability: data.availability(),
        regions,
        industries,
        date_range: data.date_range(),
    }
}
