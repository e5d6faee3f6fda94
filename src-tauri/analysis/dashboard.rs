//! Everything the Dashboard shows for one measure and filter.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::concentration::{concentration_of_ranked, rank, Concentration, Thresholds};
use super::values::{Availability, CustomerValue, Dataset, Filter, Measure};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dashboard {
    pub measure: Measure,
    /// The selected measure's figures.
    pub selected: Concentration,
    /// Profit and revenue side by side (for "top 20% make 82% of profit but
    /// only 48% of revenue").
    pub profit: Concentration,
    pub revenue: Concentration,
    /// The revenue share of the same customers as `profit.top20_share` (the
    /// top 20% by profit): "82% of profit but only 48% of revenue" is about
    /// one group of customers.
    pub top20_revenue_share: Option<f64>,
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

/// The Dashboard for `measure`; `None`: the data's own ([`Dataset::measure`]).
pub fn dashboard(data: &Dataset, measure: Option<Measure>, filter: &Filter) -> Dashboard {
    let measure = measure.unwrap_or_else(|| data.measure());
    let figures = |m: Measure| {
        let mut v = data.values(m, filter);
        rank(&mut v);
        (concentration_of_ranked(&v, Thresholds::default()), v)
    };
    // Each measure is one pass over the lines; the selected one is reused.
    let (profit, profit_ranked) = figures(Measure::Profit);
    let (revenue, revenue_ranked) = figures(Measure::Revenue);
    let top20_revenue_share = revenue_share_of(&profit_ranked[..profit.top20_count as usize], &revenue_ranked);
    let (selected, ranked) = match measure {
        Measure::Profit => (profit.clone(), profit_ranked),
        Measure::Revenue => (revenue.clone(), revenue_ranked),
        Measure::Margin => figures(Measure::Margin),
    };
    let top5_share = (selected.total > 0.0).then(|| ranked.iter().take(5).map(|v| v.value).sum::<f64>() / selected.total);
    let (regions, industries) = data.dimensions();
    Dashboard {
        measure,
        top20_revenue_share,
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

/// The share of all `revenue` (one value per customer) made by the customers
/// of `top`; `None` when the total revenue is not positive.
pub fn revenue_share_of(top: &[CustomerValue], revenue: &[CustomerValue]) -> Option<f64> {
    let total: f64 = revenue.iter().map(|v| v.value).sum();
    if total <= 0.0 {
        return None;
    }
    let ids: std::collections::HashSet<u32> = top.iter().map(|v| v.id).collect();
    Some(revenue.iter().filter(|v| ids.contains(&v.id)).map(|v| v.value).sum::<f64>() / total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::values::DataLine;
    use std::sync::Arc;

    #[test]
    fn the_headline_gives_the_revenue_share_of_the_top_customers_by_profit() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1);
        let customer = |id: u32| crate::model::Customer { id, ext_id: None, name: format!("c{id}"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None };
        let line = |customer: u32, revenue: f64, profit: f64| DataLine { customer, date: day, revenue: Some(revenue), cost: Some(revenue - profit), profit: Some(profit), category: None };
        // Customer 1 makes most of the profit on little revenue; customer 2
        // most of the revenue at a thin margin.
        let mut lines = vec![line(1, 200.0, 100.0), line(2, 1000.0, 10.0)];
        lines.extend((3..=5).map(|id| line(id, 100.0, 5.0)));
        let data = Dataset { customers: Arc::new((1..=5).map(customer).collect()), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() };
        let d = dashboard(&data, Some(Measure::Profit), &Filter::default());
        assert_eq!(d.profit.top20_count, 1);
        assert!((d.profit.top20_share.unwrap() - 100.0 / 125.0).abs() < 1e-9);
        // The same customer's revenue share, not the top revenue customer's.
        assert!((d.top20_revenue_share.unwrap() - 200.0 / 1500.0).abs() < 1e-9, "{:?}", d.top20_revenue_share);
        assert!((d.revenue.top20_share.unwrap() - 1000.0 / 1500.0).abs() < 1e-9);
        assert_eq!(revenue_share_of(&[], &[]), None);
    }
}
