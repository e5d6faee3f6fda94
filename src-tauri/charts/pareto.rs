//! The Pareto chart: every customer on a share-of-customers axis (one bar
//! per customer, or per percentile when there are more than 100), the
//! cumulative share as a curve, the 20% and 80% lines and where the curve
//! crosses them, and the top customers named.

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};
use crate::analysis::concentration::{classes, cumulative, Class};

/// At most this many bars: more customers are grouped per percentile.
pub const MAX_BARS: usize = 100;
/// Customers named in the "top customers" note.
const NAMED: usize = 5;

/// The customers of each bar: `[from, to)` ranges of the ranking, as even as
/// integer division makes them.
pub fn bar_ranges(n: usize) -> Vec<(usize, usize)> {
    let bars = n.min(MAX_BARS);
    (0..bars).map(|g| (g * n / bars, (g + 1) * n / bars)).collect()
}

pub fn draw<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Drawn<(Vec<Region>, Legend)> {
    let ranked = data.ranked;
    let c = data.concentration;
    let total = c.total;
    let n = ranked.len();
    let nf = n as f64;
    let cum = cumulative(ranked);
    let cls = classes(ranked, &cum, total, c.thresholds);
    let ranges = bar_ranges(n);
    let grouped = ranges.len() < n;
    let sums: Vec<f64> = ranges.iter().map(|&(a, b)| ranked[a..b].iter().map(|v| v.value).sum()).collect();
    let max = sums.iter().copied().fold(0.0, f64::max);
    let min = sums.iter().copied().fold(0.0, f64::min);
    let pad = (max - min).max(1.0) * 0.08;
    let share = |k: usize| if k == 0 { 0.0 } else { cum[k - 1] / total };
    let curve_ok = total > 0.0;
    let cum_max = if curve_ok { ranges.iter().map(|r| share(r.1)).fold(1.0, f64::max) } else { 1.0 };
    // The curve's 0% on the bars' zero line (below it, losses).
    let y = (min - if min < 0.0 { pad } else { 0.0 })..(max + pad);
    let below = -y.start / (y.end - y.start);
    let top2 = cum_max * 1.08;
    let y2 = -below / (1.0 - below) * top2..top2;
    let money_labels = [st.money(y.start), st.money(y.end)];
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(12.0))
        .x_label_area_size(x_label_area(st))
        .y_label_area_size(label_area(area, &money_labels, st))
        .right_y_label_area_size(label_area(area, &["100%".to_string()], st))
        .build_cartesian_2d(0f64..1f64, y.clone())
        .map_err(e2s)?
        .set_secondary_coord(0f64..1f64, y2.clone());
    let y_desc = if grouped {
        st.t("chart.axis.per_percentile", &[("measure", st.measure())])
    } else {
        st.t("chart.axis.per_customer", &[("measure", st.measure())])
    };
    finish_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(11)
            .y_labels(7)
            .x_label_formatter(&|v| Style::pct(*v))
            .y_desc(y_desc)
            .x_desc(st.t("chart.axis.share_customers_n", &[("measure", st.measure()), ("n", n.to_string())]))
            .y_label_formatter(&|v| st.money(*v)),
        st,
    )?;
    chart
        .configure_secondary_axes()
        .y_labels(12)
        .y_label_formatter(&|v| if *v < -1e-9 { String::new() } else { Style::pct(*v) })
        .label_style(st.text())
        .axis_style(INK_SOFT.stroke_width(st.line()))
        .draw()
        .map_err(e2s)?;

    let mut regions = Vec::with_capacity(ranges.len());
    for (&(a, b), &sum) in ranges.iter().zip(&sums) {
        let color = if sum < 0.0 {
            LOSS
        } else {
            match cls[a] {
                Class::A => BRAND,
                Class::B => BRAND_LIGHT,
                Class::C => GREY,
            }
        };
        let (x0, x1) = (a as f64 / nf, b as f64 / nf);
        let gap = (x1 - x0) * 0.12;
        chart.draw_series(std::iter::once(Rectangle::new([(x0 + gap, 0.0), (x1 - gap, sum)], color.filled()))).map_err(e2s)?;
        let (px0, py0) = chart.backend_coord(&(x0, sum.max(0.0)));
        let (px1, py1) = chart.backend_coord(&(x1, sum.min(0.0)));
        let (label, id) = if b - a == 1 {
            (format!("{}. {}", a + 1, ranked[a].name), Some(ranked[a].id))
        } else {
            let names: Vec<&str> = ranked[a..b].iter().take(3).map(|v| v.name.as_str()).collect();
            let more = if b - a > 3 { "…" } else { "" };
            (st.t("chart.region.group", &[("from", (a + 1).to_string()), ("to", b.to_string()), ("names", names.join(", ") + more)]), None)
        };
        let value = if curve_ok { format!("{} · {} {}", st.money(sum), st.t("chart.legend.cumulative", &[]), Style::pct1(share(b))) } else { st.money(sum) };
        regions.push(Region { id, label, value, x: px0 as f64, y: py0 as f64, w: (px1 - px0).max(1) as f64, h: (py1 - py0).max(1) as f64 });
    }

    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (left, right, top) = (f64::from(plot_x.start), f64::from(plot_x.end), f64::from(plot_y.start));
    let mut legend = vec![(Swatch::Bar(BRAND), st.t("chart.legend.class_a", &[])), (Swatch::Bar(BRAND_LIGHT), st.t("chart.legend.class_b", &[])), (Swatch::Bar(GREY), st.t("chart.legend.class_c", &[]))];
    let mut note_bottom = top;
    let mut note_right = left;
    if curve_ok {
        let mut pts = vec![(0.0, 0.0)];
        pts.extend(ranges.iter().map(|r| (r.1 as f64 / nf, share(r.1))));
        dashed(chart.secondary_plotting_area(), &[(0.0, 0.8), (1.0, 0.8)], INK_SOFT, st)?;
        // The 20% line where the top 20% end (⌈0.2·n⌉ customers: 0.25 of 4).
        let cut = c.top20_count as f64 / nf;
        dashed(chart.secondary_plotting_area(), &[(cut, y2.start), (cut, y2.end)], INK_SOFT, st)?;
        halo_line(chart.secondary_plotting_area(), &pts, ACCENT, st)?;
        legend.push((Swatch::Line(ACCENT), st.t("chart.legend.cumulative", &[])));
        let secondary = chart.secondary_plotting_area();
        // Where the curve crosses the 20% and the 80% lines.
        let mut lines = Vec::new();
        let mut anchor = None;
        if let Some(s20) = c.top20_share {
            let p = (c.top20_count as f64 / nf, s20);
            dot(secondary, p, st)?;
            anchor = Some(chart.borrow_secondary().backend_coord(&p));
            lines.push(st.t("chart.note.top20", &[("share", Style::pct1(s20)), ("measure", st.measure())]));
        }
        if let Some(k) = c.customers_for_80 {
            let p = (k as f64 / nf, 0.8);
            dot(secondary, p, st)?;
            anchor = anchor.or(Some(chart.borrow_secondary().backend_coord(&p)));
            lines.push(st.t("chart.note.for80", &[("share", Style::pct1(k as f64 / nf)), ("n", k.to_string()), ("measure", st.measure())]));
        }
        if let Some((ax, ay)) = anchor {
            let (w, h) = note_size(area, &lines, true, st);
            let x = (f64::from(ax) + st.pxf(24.0)).min(right - w - st.pxf(8.0)).max(left);
            let y = f64::from(ay) + st.pxf(28.0);
            note_box(area, &lines, (x, y), true, st)?;
            note_bottom = y + h;
            note_right = x + w;
        }
    }
    // The top customers by name, on the right where the bars are low.
    let named: Vec<String> = ranked
        .iter()
        .take(NAMED)
        .enumerate()
        .map(|(i, v)| {
            let share = if curve_ok { format!(" ({})", Style::pct1(v.value / total)) } else { String::new() };
            let tail = format!(" {}{share}", st.money(v.value));
            let name = fit(area, &v.name, &st.text(), st.pxf(360.0));
            format!("{}. {name}{tail}", i + 1)
        })
        .collect();
    let mut lines = vec![st.t("chart.note.top_customers", &[])];
    lines.extend(named);
    let (w, h) = note_size(area, &lines, true, st);
    let x = right - w - st.pxf(16.0);
    // Under the 80% line (the curve runs above it on the right).
    let line80 = f64::from(chart.borrow_secondary().backend_coord(&(1.0, 0.8)).1);
    let mut y = line80.max(top) + st.pxf(24.0);
    if x < note_right + st.pxf(16.0) {
        y = y.max(note_bottom + st.pxf(16.0));
    }
    note_box(area, &lines, (x.max(left), y.min(f64::from(plot_y.end) - h - st.pxf(8.0)).max(top)), true, st)?;
    Ok((regions, legend))
}
