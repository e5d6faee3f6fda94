//! The Lorenz curve: the share of the total held by the smallest customers,
//! against perfect equality, with the Gini coefficient.

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};
use crate::analysis::concentration::lorenz;

pub fn draw<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Drawn<(Vec<Region>, Legend)> {
    let values: Vec<f64> = data.ranked.iter().map(|v| v.value).collect();
    let pts = thin(&lorenz(&values));
    let mut chart = share_chart(
        area,
        st,
        0.0..1.0,
        &st.t("chart.axis.share_customers_asc", &[]),
        &st.t("chart.axis.share_value", &[("measure", st.measure())]),
    )?;
    dashed(chart.plotting_area(), &[(0.0, 0.0), (1.0, 1.0)], INK_SOFT, st)?;
    chart.draw_series(AreaSeries::new(pts.iter().copied(), 0.0, BRAND.mix(0.14))).map_err(e2s)?;
    halo_line(chart.plotting_area(), &pts, BRAND, st)?;
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (left, top) = (f64::from(plot_x.start), f64::from(plot_y.start));
    let gini = data.concentration.gini.map_or("n/a".to_string(), |g| format!("{g:.3}"));
    let lines = [st.t("chart.note.gini", &[("gini", gini)]), st.t("chart.note.gini_scale", &[])];
    note_box(area, &lines, (left + st.pxf(24.0), top + st.pxf(24.0)), true, st)?;
    let legend = [(Swatch::Line(BRAND), st.t("chart.legend.lorenz", &[])), (Swatch::Dashed(INK_SOFT), st.t("chart.legend.equality", &[]))];
    Ok((Vec::new(), legend.into()))
}
