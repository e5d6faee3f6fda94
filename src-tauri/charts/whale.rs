//! The whale curve: cumulative profit as customers are added from the most
//! profitable; it rises above 100% and falls back where customers lose
//! money. The top 20% and the peak are annotated.

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};
use crate::analysis::concentration::cumulative;

pub fn draw<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Drawn<(Vec<Region>, Legend)> {
    let ranked = data.ranked;
    let c = data.concentration;
    let n = ranked.len() as f64;
    let total = c.total;
    let cum = cumulative(ranked);
    let share = |v: f64| if total != 0.0 { v / total.abs() } else { 0.0 };
    let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0)).chain(cum.iter().enumerate().map(|(i, v)| ((i + 1) as f64 / n, share(*v)))).collect();
    let ymax = pts.iter().map(|p| p.1).fold(1.0, f64::max) * 1.08;
    let ymin = pts.iter().map(|p| p.1).fold(0.0, f64::min);
    let mut chart = share_chart(
        area,
        st,
        ymin..ymax,
        &st.t("chart.axis.share_customers_n", &[("measure", st.measure()), ("n", ranked.len().to_string())]),
        &st.t("chart.axis.cum_share", &[("measure", st.measure())]),
    )?;
    let mut legend = vec![(Swatch::Line(BRAND), st.t("chart.legend.cumulative", &[])), (Swatch::Dashed(INK_SOFT), st.t("chart.legend.hundred", &[]))];
    if let Some(first_loss) = ranked.iter().position(|v| v.value < 0.0) {
        let x0 = first_loss as f64 / n;
        chart.draw_series(std::iter::once(Rectangle::new([(x0, ymin), (1.0, ymax)], LOSS.mix(0.1).filled()))).map_err(e2s)?;
        legend.push((Swatch::Bar(RGBColor(244, 216, 213)), st.t("chart.legend.losses", &[("n", c.unprofitable.to_string())])));
    }
    dashed(chart.plotting_area(), &[(0.0, 1.0), (1.0, 1.0)], INK_SOFT, st)?;
    let cut = c.top20_count as f64 / n;
    dashed(chart.plotting_area(), &[(cut, ymin), (cut, ymax)], INK_SOFT, st)?;
    halo_line(chart.plotting_area(), &thin(&pts), BRAND, st)?;
    let mut lines = Vec::new();
    let mut anchor = None;
    if let Some(s20) = c.top20_share {
        let p = (c.top20_count as f64 / n, s20);
        dot(chart.plotting_area(), p, st)?;
        anchor = Some(chart.backend_coord(&p));
        lines.push(st.t("chart.note.top20", &[("share", Style::pct1(s20)), ("measure", st.measure())]));
    }
    if let (Some(peak), Some(at)) = (c.whale_peak_share, c.whale_peak_at) {
        let p = (at as f64 / n, peak);
        dot(chart.plotting_area(), p, st)?;
        anchor = anchor.or(Some(chart.backend_coord(&p)));
        lines.push(st.t("chart.legend.peak", &[("share", Style::pct1(peak)), ("rank", at.to_string())]));
    }
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (left, right, bottom) = (f64::from(plot_x.start), f64::from(plot_x.end), f64::from(plot_y.end));
    if let Some((ax, ay)) = anchor {
        // Below the curve, right of the point.
        let (w, h) = note_size(area, &lines, true, st);
        let x = (f64::from(ax) + st.pxf(24.0)).min(right - w - st.pxf(8.0)).max(left);
        let y = (f64::from(ay) + st.pxf(28.0)).min(bottom - h - st.pxf(8.0));
        note_box(area, &lines, (x, y), true, st)?;
    }
    let step = (ranked.len() / CURVE_REGIONS).max(1);
    let regions = ranked
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, v)| {
            let at = chart.backend_coord(&((i + 1) as f64 / n, share(cum[i])));
            let value = format!("{} · {}", st.money(v.value), Style::pct1(share(cum[i])));
            Region::around(Some(v.id), format!("{}. {}", i + 1, v.name), value, at, st.pxf(8.0))
        })
        .collect();
    Ok((regions, legend))
}
