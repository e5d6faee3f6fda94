//! The Pareto chart: every customer on a share-of-customers axis (one bar
//! per customer, or per percentile when there are more than 100), the
//! cumulative share as a curve, the 20% and 80% lines and where the curve
//! crosses them, and the top customers named.

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};
use crate::analysis::concentration::{classes, cumulative, Class};
use crate::analysis::CustomerValue;

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
    let plot = PxRect { x0: f64::from(plot_x.start), y0: f64::from(plot_y.start), x1: f64::from(plot_x.end), y1: f64::from(plot_y.end) };
    let mut legend = vec![(Swatch::Bar(BRAND), st.t("chart.legend.class_a", &[])), (Swatch::Bar(BRAND_LIGHT), st.t("chart.legend.class_b", &[])), (Swatch::Bar(GREY), st.t("chart.legend.class_c", &[]))];
    // What the notes must not cover: the bars, the curve, its dots, and
    // (where there is room) the 20% and 80% lines.
    let mut taken: Vec<PxRect> = regions.iter().map(|r| PxRect::at((r.x, r.y), (r.w, r.h))).collect();
    let mut lines_20_80 = Vec::new();
    let mut note = None;
    if curve_ok {
        let mut pts = vec![(0.0, 0.0)];
        pts.extend(ranges.iter().map(|r| (r.1 as f64 / nf, share(r.1))));
        dashed(chart.secondary_plotting_area(), &[(0.0, 0.8), (1.0, 0.8)], INK_SOFT, st)?;
        // The 20% line where the top 20% end (⌈0.2·n⌉ customers: 0.25 of 4).
        let cut = c.top20_count as f64 / nf;
        dashed(chart.secondary_plotting_area(), &[(cut, y2.start), (cut, y2.end)], INK_SOFT, st)?;
        halo_line(chart.secondary_plotting_area(), &pts, ACCENT, st)?;
        legend.push((Swatch::Line(ACCENT), st.t("chart.legend.cumulative", &[])));
        let secondary = chart.borrow_secondary();
        let px = |p: &(f64, f64)| {
            let (x, y) = secondary.backend_coord(p);
            (f64::from(x), f64::from(y))
        };
        let line = st.pxf(LINE_PX * 1.5);
        taken.extend(line_cover(&pts.iter().map(px).collect::<Vec<_>>(), line));
        lines_20_80.extend(line_cover(&[px(&(0.0, 0.8)), px(&(1.0, 0.8))], line));
        lines_20_80.extend(line_cover(&[px(&(cut, y2.start)), px(&(cut, y2.end))], line));
        // Where the curve crosses the 20% and the 80% lines.
        let mut lines = Vec::new();
        let mut anchor = None;
        let mut dots = Vec::new();
        if let Some(s20) = c.top20_share {
            dots.push((c.top20_count as f64 / nf, s20));
            lines.push(st.t("chart.note.top20", &[("share", Style::pct1(s20)), ("measure", st.measure())]));
        }
        if let Some(k) = c.customers_for_80 {
            dots.push((k as f64 / nf, 0.8));
            lines.push(st.t("chart.note.for80", &[("share", Style::pct1(k as f64 / nf)), ("n", k.to_string()), ("measure", st.measure())]));
        }
        for p in &dots {
            dot(chart.secondary_plotting_area(), *p, st)?;
            anchor = anchor.or(Some(px(p)));
            taken.push(PxRect::at(px(p), (0.0, 0.0)).grown(st.pxf(11.0)));
        }
        if let Some((ax, ay)) = anchor {
            let size = note_size(area, &lines, true, st);
            let want = (ax + st.pxf(24.0), ay + st.pxf(28.0));
            // Nowhere free (a tiny canvas): beside its point, as it always was.
            let at = place_note(plot, &taken, &lines_20_80, size, want, st).unwrap_or((want.0.min(plot.x1 - size.0 - st.pxf(8.0)).max(plot.x0), want.1));
            note = Some((lines, at, size));
        }
    }
    if let Some((lines, at, size)) = note {
        note_box(area, &lines, at, true, st)?;
        taken.push(PxRect::at(at, size));
    }
    // The top customers by name, where no data is: on the right under the
    // 80% line if there is room, with fewer names if there is not.
    let line80 = f64::from(chart.borrow_secondary().backend_coord(&(1.0, 0.8)).1).max(plot.y0);
    let tries = (1..=NAMED.min(n)).rev().flat_map(|named| [360.0, 240.0, 160.0].map(|name_px| (named, name_px)));
    for (named, name_px) in tries {
        let lines = top_customers(area, ranked, named, curve_ok.then_some(total), st.pxf(name_px), st);
        let size = note_size(area, &lines, true, st);
        if let Some(at) = place_note(plot, &taken, &lines_20_80, size, (plot.x1 - size.0, line80 + st.pxf(24.0)), st) {
            note_box(area, &lines, at, true, st)?;
            taken.push(PxRect::at(at, size));
            break;
        }
    }
    // The curve runs above 100%: why, where there is room.
    if curve_ok && cum_max > 1.0 + 1e-9 {
        over_100_note(area, plot, &taken, &lines_20_80, st)?;
    }
    Ok((regions, legend))
}

/// The "top customers" note: its headline and the first `named` customers
/// with their value (and share of `total`), names cut with "…" to
/// `name_max` pixels.
fn top_customers<DB: DrawingBackend>(area: &Area<'_, DB>, ranked: &[CustomerValue], named: usize, total: Option<f64>, name_max: f64, st: &Style<'_>) -> Vec<String> {
    let mut lines = vec![st.t("chart.note.top_customers", &[])];
    lines.extend(ranked.iter().take(named).enumerate().map(|(i, v)| {
        let share = total.map_or(String::new(), |t| format!(" ({})", Style::pct1(v.value / t)));
        let name = fit(area, &v.name, &st.text(), name_max);
        format!("{}. {name} {}{share}", i + 1, st.money(v.value))
    }));
    lines
}
