//! Concentration over time: per quarter (or year), the top 20%'s share and
//! how many customers make 80% of the total (a count: whole numbers).

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};

pub fn draw<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Drawn<(Vec<Region>, Legend)> {
    let pts = data.trend;
    let n = pts.len() as f64;
    let share_max = pts.iter().filter_map(|p| p.top20_share).fold(1.0, f64::max) * 1.1;
    let count_top = pts.iter().filter_map(|p| p.customers_for_80).max().unwrap_or(1).max(1);
    // A whole-number axis: its top a round count above the highest.
    let count_max = ((count_top as f64 * 1.2).ceil() as u64).max(count_top + 1);
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(12.0))
        .x_label_area_size(x_label_area(st))
        .y_label_area_size(label_area(area, &["100%".to_string()], st))
        .right_y_label_area_size(label_area(area, &[count_max.to_string()], st))
        .build_cartesian_2d(0f64..n, 0f64..share_max)
        .map_err(e2s)?
        .set_secondary_coord(0f64..n, 0u64..count_max);
    finish_mesh(
        chart.configure_mesh().disable_x_mesh().x_labels(0).y_labels(10).y_label_formatter(&|v| Style::pct(*v)).y_desc(st.t("chart.legend.top20", &[])),
        st,
    )?;
    chart
        .configure_secondary_axes()
        .y_labels((count_max as usize + 1).min(8))
        .y_label_formatter(&|v| v.to_string())
        .y_desc(st.t("chart.legend.for80", &[]))
        .label_style(st.text())
        .axis_desc_style(st.text())
        .axis_style(INK_SOFT.stroke_width(st.line()))
        .draw()
        .map_err(e2s)?;
    // Period labels under the axis, as many as fit.
    let text = st.text();
    let widest = pts.iter().map(|p| width_of(area, &p.label, &text)).fold(0.0, f64::max) + st.pxf(16.0);
    let plot_x = chart.plotting_area().get_pixel_range().0;
    let slot = f64::from(plot_x.end - plot_x.start) / n.max(1.0);
    let every = (widest / slot).ceil().max(1.0) as usize;
    for (i, p) in pts.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        let w = width_of(area, &p.label, &text);
        let (x, y) = local(area, (f64::from(px) - w / 2.0, f64::from(py) + st.pxf(10.0)));
        area.draw(&Text::new(p.label.clone(), (x as i32, y as i32), text.clone())).map_err(e2s)?;
    }
    let shares: Vec<(f64, f64)> = pts.iter().enumerate().filter_map(|(i, p)| Some((i as f64 + 0.5, p.top20_share?))).collect();
    let counts: Vec<(f64, u64)> = pts.iter().enumerate().filter_map(|(i, p)| Some((i as f64 + 0.5, p.customers_for_80?))).collect();
    halo_line(chart.plotting_area(), &shares, BRAND, st)?;
    chart.draw_series(shares.iter().map(|p| Circle::new(*p, st.px(9.0), BRAND.filled()))).map_err(e2s)?;
    let line = st.line();
    chart
        .draw_secondary_series(DashedLineSeries::new(counts.iter().copied(), st.px(14.0), st.px(9.0), ACCENT.stroke_width(line)))
        .map_err(e2s)?;
    let half = st.px(8.0) as i32;
    chart
        .draw_secondary_series(counts.iter().map(|p| EmptyElement::at(*p) + Rectangle::new([(-half, -half), (half, half)], ACCENT.filled())))
        .map_err(e2s)?;
    if shares.iter().any(|p| p.1 > 1.0 + 1e-9) {
        let px = |(x, y): (i32, i32)| (f64::from(x), f64::from(y));
        let share_px: Vec<(f64, f64)> = shares.iter().map(|p| px(chart.backend_coord(p))).collect();
        let count_px: Vec<(f64, f64)> = counts.iter().map(|p| px(chart.borrow_secondary().backend_coord(p))).collect();
        let (x, y) = chart.plotting_area().get_pixel_range();
        let plot = PxRect { x0: f64::from(x.start), y0: f64::from(y.start), x1: f64::from(x.end), y1: f64::from(y.end) };
        let line = st.pxf(LINE_PX * 1.5);
        let dots = share_px.iter().chain(&count_px).map(|p| PxRect::at(*p, (0.0, 0.0)).grown(st.pxf(11.0)));
        let taken: Vec<PxRect> = line_cover(&share_px, line).into_iter().chain(line_cover(&count_px, line)).chain(dots).collect();
        // A share above 100%: why.
        over_100_note(area, plot, &taken, &[], st)?;
    }
    let legend = [(Swatch::Line(BRAND), st.t("chart.legend.top20", &[])), (Swatch::Dashed(ACCENT), st.t("chart.legend.for80", &[]))];
    let regions = pts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let share = p.top20_share?;
            let value = format!(
                "{} {} · {} {}",
                st.t("chart.legend.top20", &[]),
                Style::pct1(share),
                st.t("chart.legend.for80", &[]),
                p.customers_for_80.map_or("n/a".into(), |k| k.to_string())
            );
            Some(Region::around(None, p.label.clone(), value, chart.backend_coord(&(i as f64 + 0.5, share)), st.pxf(10.0)))
        })
        .collect();
    Ok((regions, legend.into()))
}
