//! Profit is not revenue: with customers ranked by profit, the cumulative
//! share of profit beside the cumulative share of revenue of the same
//! customers. The gap at the top 20% is the seeds' point: the customers who
//! make most of the profit are not the ones who make most of the sales.

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};
use crate::analysis::Measure;

pub fn draw<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Drawn<(Vec<Region>, Legend)> {
    let ranked = data.ranked;
    let n = ranked.len();
    let nf = n as f64;
    let profit_total: f64 = ranked.iter().map(|v| v.value).sum();
    let revenue_total: f64 = data.revenue.iter().sum();
    let curve = |values: &mut dyn Iterator<Item = f64>, total: f64| -> Vec<(f64, f64)> {
        let mut sum = 0.0;
        std::iter::once((0.0, 0.0))
            .chain(values.enumerate().map(|(i, v)| {
                sum += v;
                ((i + 1) as f64 / nf, if total != 0.0 { sum / total.abs() } else { 0.0 })
            }))
            .collect()
    };
    let profit = curve(&mut ranked.iter().map(|v| v.value), profit_total);
    let revenue = curve(&mut data.revenue.iter().copied(), revenue_total);
    let ymax = profit.iter().chain(&revenue).map(|p| p.1).fold(1.0, f64::max) * 1.08;
    let ymin = profit.iter().chain(&revenue).map(|p| p.1).fold(0.0, f64::min);
    let profit_name = measure_name(st.spec.lang, Measure::Profit);
    let revenue_name = measure_name(st.spec.lang, Measure::Revenue);
    let chart = share_chart(
        area,
        st,
        ymin..ymax,
        &st.t("chart.axis.share_customers_n", &[("measure", profit_name.clone()), ("n", n.to_string())]),
        &st.t("chart.axis.cum_share_both", &[]),
    )?;
    halo_dashed(chart.plotting_area(), &thin(&revenue), ACCENT, st)?;
    halo_line(chart.plotting_area(), &thin(&profit), BRAND, st)?;
    let top = data.concentration.top20_count as usize;
    let cut = top as f64 / nf;
    dashed(chart.plotting_area(), &[(cut, ymin), (cut, ymax)], INK_SOFT, st)?;
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (left, right, bottom) = (f64::from(plot_x.start), f64::from(plot_x.end), f64::from(plot_y.end));
    if profit_total > 0.0 && revenue_total > 0.0 && top > 0 {
        let p = profit[top];
        let r = revenue[top];
        dot(chart.plotting_area(), p, st)?;
        dot(chart.plotting_area(), r, st)?;
        let lines = [
            st.t("chart.note.top20", &[("share", Style::pct1(p.1)), ("measure", profit_name.clone())]),
            st.t("chart.note.but_revenue", &[("share", Style::pct1(r.1)), ("measure", revenue_name.clone())]),
        ];
        let (w, h) = note_size(area, &lines, true, st);
        let (ax, ay) = chart.backend_coord(&r);
        let x = (f64::from(ax) + st.pxf(24.0)).min(right - w - st.pxf(8.0)).max(left);
        let y = (f64::from(ay) + st.pxf(28.0)).min(bottom - h - st.pxf(8.0));
        note_box(area, &lines, (x, y), true, st)?;
    }
    let legend = [
        (Swatch::Line(BRAND), st.t("chart.legend.value_share", &[("measure", profit_name)])),
        (Swatch::Dashed(ACCENT), st.t("chart.legend.value_share", &[("measure", revenue_name)])),
    ];
    let step = (n / CURVE_REGIONS).max(1);
    let regions = ranked
        .iter()
        .zip(data.revenue)
        .enumerate()
        .step_by(step)
        .map(|(i, (v, rev))| {
            let value = format!("{} {} · {} {}", st.t("measure.profit", &[]), st.money(v.value), st.t("measure.revenue", &[]), st.money(*rev));
            Region::around(Some(v.id), format!("{}. {}", i + 1, v.name), value, chart.backend_coord(&profit[i + 1]), st.pxf(8.0))
        })
        .collect();
    Ok((regions, legend.into()))
}
