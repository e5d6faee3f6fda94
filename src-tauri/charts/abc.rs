//! The ABC classes: for each class, its share of customers beside its share
//! of the total — few customers, most of the profit.

use plotters::prelude::*;

use super::style::*;
use super::{Area, ChartData, Region};

pub fn draw<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Drawn<(Vec<Region>, Legend)> {
    let c = data.concentration;
    let n = c.customers.max(1) as f64;
    let classes = [("A", c.abc.a), ("B", c.abc.b), ("C", c.abc.c)];
    let ymax = classes.iter().map(|(_, s)| s.share.unwrap_or(0.0).max(s.count as f64 / n)).fold(1.0, f64::max) * 1.12;
    let ymin = classes.iter().map(|(_, s)| s.share.unwrap_or(0.0)).fold(0.0, f64::min) * 1.25;
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(12.0))
        .x_label_area_size(x_label_area(st))
        .y_label_area_size(label_area(area, &["100%".to_string()], st))
        .build_cartesian_2d(0f64..3f64, ymin..ymax)
        .map_err(e2s)?;
    finish_mesh(chart.configure_mesh().disable_x_mesh().x_labels(0).y_labels(8).y_label_formatter(&|v| Style::pct(*v)).y_desc(st.t("chart.axis.share", &[])), st)?;
    let mut regions = Vec::new();
    let customers_label = st.t("chart.legend.customers_share", &[]);
    let value_label = st.t("chart.legend.value_share", &[("measure", st.measure())]);
    let text = st.text();
    for (i, (name, stat)) in classes.iter().enumerate() {
        let x = i as f64;
        let count_share = stat.count as f64 / n;
        let value_share = stat.share.unwrap_or(0.0);
        let bars = [
            (count_share, GREY, &customers_label, format!("{} ({})", stat.count, Style::pct(count_share))),
            (value_share, if value_share < 0.0 { LOSS } else { BRAND }, &value_label, stat.share.map_or("n/a".into(), Style::pct1)),
        ];
        for (j, (v, color, label, value)) in bars.into_iter().enumerate() {
            let (x0, x1) = (x + 0.12 + 0.39 * j as f64, x + 0.49 + 0.39 * j as f64);
            chart.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, v)], color.filled()))).map_err(e2s)?;
            let (px0, py0) = chart.backend_coord(&(x0, v.max(0.0)));
            let (px1, py1) = chart.backend_coord(&(x1, v.min(0.0)));
            // The value outside its bar, dark on white: above a gain, below a loss.
            let w = width_of(area, &value, &text);
            let tx = f64::from(px0 + px1) / 2.0 - w / 2.0;
            let ty = if v < 0.0 { f64::from(py1) + st.pxf(6.0) } else { f64::from(py0) - st.pxf(TEXT_PX * 1.35) };
            let (tx, ty) = local(area, (tx, ty));
            area.draw(&Text::new(value.clone(), (tx as i32, ty as i32), text.clone())).map_err(e2s)?;
            regions.push(Region {
                id: None,
                label: format!("{} {name}: {label}", st.t("chart.class", &[])),
                value,
                x: f64::from(px0),
                y: f64::from(py0),
                w: f64::from(px1 - px0),
                h: f64::from((py1 - py0).max(1)),
            });
        }
        let caption = format!("{} {name}", st.t("chart.class", &[]));
        let (px, py) = chart.backend_coord(&(x + 0.5, ymin));
        let w = width_of(area, &caption, &st.bold(TEXT_PX));
        let (cx, cy) = local(area, (f64::from(px) - w / 2.0, f64::from(py) + st.pxf(12.0)));
        area.draw(&Text::new(caption, (cx as i32, cy as i32), st.bold(TEXT_PX))).map_err(e2s)?;
    }
    let legend = [(Swatch::Bar(GREY), customers_label), (Swatch::Bar(BRAND), value_label)];
    Ok((regions, legend.into()))
}
