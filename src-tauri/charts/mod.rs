//! Charts drawn in Rust with plotters — one renderer for the screen and for
//! export, PNG or SVG. Text comes from the message catalogs in the chart's
//! language; an embedded CJK font (WenQuanYi Micro Hei) makes Chinese
//! customer names render as glyphs in PNG with no system fonts involved.
//! Each chart also returns the regions of its bars and points, so the UI can
//! show a tooltip on hover and open a customer on click.

use std::sync::Once;

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::concentration::{classes, concentration_of_ranked, cumulative, lorenz, rank, Class};
use crate::analysis::{Concentration, CustomerValue, Dataset, Filter, Granularity, Measure, Thresholds, TrendPoint};
use crate::i18n;
use crate::model::Lang;
use crate::{Error, Result};

const FONT: &[u8] = include_bytes!("fonts/wqy-microhei.ttc");
const FAMILY: &str = "sans-serif";

pub mod relationship;
pub mod segments;

/// Bars drawn one per customer before the rest become one "others" bar.
pub const PARETO_BARS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Pareto,
    Whale,
    Lorenz,
    Abc,
    Trend,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [ChartKind::Pareto, ChartKind::Whale, ChartKind::Lorenz, ChartKind::Abc, ChartKind::Trend];

    fn key(self) -> &'static str {
        match self {
            ChartKind::Pareto => "pareto",
            ChartKind::Whale => "whale",
            ChartKind::Lorenz => "lorenz",
            ChartKind::Abc => "abc",
            ChartKind::Trend => "trend",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    /// From a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<ImageFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(ImageFormat::Png),
            "svg" => Some(ImageFormat::Svg),
            _ => None,
        }
    }
}

/// How to draw a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub measure: Measure,
    pub lang: Lang,
    pub width: u32,
    pub height: u32,
    /// Pixel density for PNG (1 or 2); sizes and fonts scale with it.
    pub scale: u32,
    pub currency: String,
    /// Second title line: period and data date.
    pub subtitle: String,
}

/// The numbers a chart shows.
pub struct ChartData<'a> {
    /// One value per customer, ranked highest first.
    pub ranked: &'a [CustomerValue],
    pub concentration: &'a Concentration,
    pub trend: &'a [TrendPoint],
}

/// A hoverable part of the chart, in chart pixels (before `scale`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Region {
    /// The customer, for bars and points that are one customer.
    pub id: Option<u32>,
    pub label: String,
    pub value: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A chart for the screen: SVG text and its hover regions.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChartImage {
    pub svg: String,
    pub regions: Vec<Region>,
}

pub struct Rendered {
    pub bytes: Vec<u8>,
    pub regions: Vec<Region>,
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // Cannot fail for a valid font; a broken build would show at once in tests.
            let _ = plotters::style::register_font(FAMILY, style, FONT);
        }
    });
}

/// Draws the chart as PNG or SVG.
pub fn render(data: &ChartData<'_>, spec: &ChartSpec, format: ImageFormat) -> Result<Rendered> {
    struct Chart<'a> {
        data: &'a ChartData<'a>,
        spec: &'a ChartSpec,
    }
    impl Painter for Chart<'_> {
        fn paint<DB: DrawingBackend>(&self, root: &Area<'_, DB>, scale: u32) -> Result<Vec<Region>> {
            draw(root, self.data, &Style::new(self.spec, scale))
        }
    }
    paint(&Chart { data, spec }, spec.width, spec.height, spec.scale, format)
}

/// A drawing on a PNG or SVG canvas; `scale` is the pixel density (fonts
/// and lines scale with it).
pub(crate) trait Painter {
    fn paint<DB: DrawingBackend>(&self, root: &Area<'_, DB>, scale: u32) -> Result<Vec<Region>>;
}

/// Paints `p` on a `width`×`height` canvas as SVG or PNG (at `scale`).
pub(crate) fn paint<P: Painter>(p: &P, width: u32, height: u32, scale: u32, format: ImageFormat) -> Result<Rendered> {
    if !(16..=16_384).contains(&width) || !(16..=16_384).contains(&height) {
        return Err(Error::InvalidArgument(format!("chart size {width}×{height} is out of range (16–16384)")));
    }
    register_font();
    let fail = |e: String| Error::Output(format!("chart could not be drawn: {e}"));
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            let regions = {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                let regions = p.paint(&root, 1)?;
                root.present().map_err(|e| fail(e.to_string()))?;
                regions
            };
            Ok(Rendered { bytes: svg.into_bytes(), regions })
        }
        ImageFormat::Png => {
            let (w, h) = png_size(width, height, scale)?;
            let mut rgb = vec![255u8; w as usize * h as usize * 3];
            let regions = {
                let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                let regions = p.paint(&root, scale)?;
                root.present().map_err(|e| fail(e.to_string()))?;
                regions
            };
            let mut png_bytes = Vec::new();
            {
                let mut enc = png::Encoder::new(&mut png_bytes, w, h);
                enc.set_color(png::ColorType::Rgb);
                enc.set_depth(png::BitDepth::Eight);
                let mut writer = enc.write_header().map_err(|e| fail(e.to_string()))?;
                writer.write_image_data(&rgb).map_err(|e| fail(e.to_string()))?;
            }
            let s = f64::from(scale);
            let regions = regions.into_iter().map(|r| Region { x: r.x / s, y: r.y / s, w: r.w / s, h: r.h / s, ..r }).collect();
            Ok(Rendered { bytes: png_bytes, regions })
        }
    }
}

const BRAND: RGBColor = RGBColor(15, 94, 99);
const BRAND_LIGHT: RGBColor = RGBColor(111, 175, 170);
const GREY: RGBColor = RGBColor(176, 190, 189);
const LOSS: RGBColor = RGBColor(200, 60, 50);
const ACCENT: RGBColor = RGBColor(230, 150, 30);
const INK: RGBColor = RGBColor(22, 48, 47);
const LIGHT_GRID: RGBColor = RGBColor(246, 248, 248);

/// Sizes, language and number formats for one drawing.
struct Style<'a> {
    spec: &'a ChartSpec,
    s: f64,
}

impl<'a> Style<'a> {
    fn new(spec: &'a ChartSpec, scale: u32) -> Style<'a> {
        Style { spec, s: scale as f64 }
    }

    fn px(&self, v: f64) -> u32 {
        (v * self.s).round() as u32
    }

    fn font(&self, size: f64) -> TextStyle<'static> {
        (FAMILY, size * self.s).into_font().color(&INK)
    }

    fn bold(&self, size: f64) -> TextStyle<'static> {
        (FAMILY, size * self.s, FontStyle::Bold).into_font().color(&INK)
    }

    fn t(&self, key: &str, params: &[(&str, String)]) -> String {
        let mut text = i18n::text(self.spec.lang, key);
        for (k, v) in params {
            text = text.replace(&format!("{{{k}}}"), v);
        }
        text
    }

    fn measure(&self) -> String {
        i18n::text(
            self.spec.lang,
            match self.spec.measure {
                Measure::Profit => "measure.profit",
                Measure::Revenue => "measure.revenue",
                Measure::Margin => "measure.margin",
            },
        )
    }

    /// `-¥5,000` for negatives: the sign before the symbol, as the UI writes it.
    fn money(&self, v: f64) -> String {
        let grouped = group(v, 0);
        match grouped.strip_prefix('-') {
            Some(digits) => format!("-{}{digits}", self.spec.currency),
            None => format!("{}{grouped}", self.spec.currency),
        }
    }

    fn pct(v: f64) -> String {
        format!("{:.0}%", v * 100.0)
    }
}

/// 1234567.8 → "1,234,568" (digits grouped by three; `decimals` kept).
pub fn group(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if v < 0.0 && v.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
        out.insert(0, '-');
    }
    out
}

type Area<'b, DB> = DrawingArea<DB, Shift>;

fn draw<DB: DrawingBackend>(root: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Result<Vec<Region>> {
    let err = |e: String| Error::Output(format!("chart could not be drawn: {e}"));
    root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
    let kind = st.spec.kind;
    let title = st.t(&format!("chart.{}.title", kind.key()), &[("measure", st.measure())]);
    let (w, h) = root.dim_in_pixel();
    let title_h = st.px(64.0);
    root.draw(&Text::new(title, (st.px(24.0) as i32, st.px(14.0) as i32), st.bold(26.0)))
        .map_err(|e| err(e.to_string()))?;
    root.draw(&Text::new(st.spec.subtitle.clone(), (st.px(24.0) as i32, st.px(46.0) as i32), st.font(15.0).color(&GREY.mix(1.0))))
        .map_err(|e| err(e.to_string()))?;
    let body = root.margin(title_h, st.px(16.0), st.px(16.0), st.px(24.0));
    let empty = match kind {
        ChartKind::Trend => data.trend.is_empty(),
        _ => data.ranked.is_empty(),
    };
    if empty {
        body.draw(&Text::new(
            st.t("chart.empty", &[]),
            ((w / 2) as i32 - st.px(120.0) as i32, (h / 2) as i32),
            st.font(20.0),
        ))
        .map_err(|e| err(e.to_string()))?;
        return Ok(Vec::new());
    }
    let offset = (st.px(16.0) as f64, title_h as f64);
    let regions = match kind {
        ChartKind::Pareto => pareto(&body, data, st),
        ChartKind::Whale => whale(&body, data, st),
        ChartKind::Lorenz => lorenz_chart(&body, data, st),
        ChartKind::Abc => abc(&body, data, st),
        ChartKind::Trend => trend_chart(&body, data, st),
    }
    .map_err(err)?;
    Ok(regions.into_iter().map(|r| Region { x: r.x + offset.0, y: r.y + offset.1, ..r }).collect())
}

/// Converts a plotters error to a string (their error types are generic).
/// The mesh styling every chart shares; draws the mesh.
fn finish_mesh<X, Y, XT, YT, DB>(mesh: &mut MeshStyle<'_, '_, X, Y, DB>, st: &Style<'_>) -> std::result::Result<(), String>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.label_style(st.font(14.0)).axis_desc_style(st.font(15.0)).light_line_style(LIGHT_GRID).draw().map_err(e2s)
}

/// A chart of shares against shares (whale curve, Lorenz): x from 0 to 100%
/// of customers, y over `y`, both axes in percent, with its mesh drawn.
fn share_chart<'a, DB: DrawingBackend>(
    area: &'a Area<'_, DB>,
    st: &Style<'_>,
    y: std::ops::Range<f64>,
    x_desc: &str,
    y_desc: &str,
) -> std::result::Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(8.0))
        .x_label_area_size(st.px(44.0))
        .y_label_area_size(st.px(72.0))
        .build_cartesian_2d(0f64..1f64, y)
        .map_err(e2s)?;
    finish_mesh(
        chart
            .configure_mesh()
            .x_desc(st.t(x_desc, &[]))
            .y_desc(st.t(y_desc, &[("measure", st.measure())]))
            .x_label_formatter(&|v| Style::pct(*v))
            .y_label_formatter(&|v| Style::pct(*v)),
        st,
    )?;
    Ok(chart)
}

/// The legend box every chart shares, at `position`, with text of `size` px.
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    size: f64,
    st: &Style<'_>,
) -> std::result::Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(st.font(size))
        .background_style(WHITE.mix(0.85))
        .border_style(GREY)
        .draw()
        .map_err(e2s)
}

fn e2s<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn pareto<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> std::result::Result<Vec<Region>, String> {
    let ranked = data.ranked;
    let c = data.concentration;
    let total = c.total;
    let n = ranked.len();
    let shown = n.min(PARETO_BARS);
    let cum = cumulative(ranked);
    let cls = classes(ranked, &cum, total, c.thresholds);
    // Bars: the top customers, then the rest as one bar.
    let mut bars: Vec<(Option<u32>, String, f64, Class)> =
        ranked[..shown].iter().zip(&cls).map(|(v, k)| (Some(v.id), v.name.clone(), v.value, *k)).collect();
    if n > shown {
        let rest: f64 = ranked[shown..].iter().map(|v| v.value).sum();
        bars.push((None, st.t("chart.others", &[("n", (n - shown).to_string())]), rest, Class::C));
    }
    let max = bars.iter().map(|b| b.2).fold(0.0, f64::max);
    let min = bars.iter().map(|b| b.2).fold(0.0, f64::min);
    let pad = (max - min).max(1.0) * 0.08;
    let cum_at = |i: usize| if i < shown { cum[i] } else { total };
    let cum_max = if total > 0.0 { (0..bars.len()).map(|i| cum_at(i) / total).fold(1.0, f64::max) } else { 1.0 };
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(8.0))
        .x_label_area_size(st.px(64.0))
        .y_label_area_size(st.px(96.0))
        .right_y_label_area_size(st.px(64.0))
        .build_cartesian_2d(0f64..bars.len() as f64, (min - if min < 0.0 { pad } else { 0.0 })..(max + pad))
        .map_err(e2s)?
        .set_secondary_coord(0f64..bars.len() as f64, 0f64..(cum_max * 1.05));
    finish_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(st.measure())
            .x_desc(st.t("chart.axis.customers_ranked", &[("measure", st.measure())]))
            .y_label_formatter(&|v| st.money(*v)),
        st,
    )?;
    chart
        .configure_secondary_axes()
        .y_label_formatter(&|v| Style::pct(*v))
        .label_style(st.font(14.0))
        .draw()
        .map_err(e2s)?;
    let mut regions = Vec::new();
    for (i, (id, name, value, class)) in bars.iter().enumerate() {
        let color = if *value < 0.0 {
            LOSS
        } else if id.is_none() {
            GREY
        } else {
            match class {
                Class::A => BRAND,
                Class::B => BRAND_LIGHT,
                Class::C => GREY,
            }
        };
        let (x0, x1) = (i as f64 + 0.12, i as f64 + 0.88);
        chart.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, *value)], color.filled()))).map_err(e2s)?;
        let (px0, py0) = chart.backend_coord(&(x0, value.max(0.0)));
        let (px1, py1) = chart.backend_coord(&(x1, value.min(0.0)));
        regions.push(Region {
            id: *id,
            label: name.clone(),
            value: st.money(*value),
            x: px0 as f64,
            y: py0 as f64,
            w: (px1 - px0) as f64,
            h: (py1 - py0).max(1) as f64,
        });
    }
    // Names of the first bars under the axis (as many as fit).
    let label_every = (bars.len() as f64 / 12.0).ceil().max(1.0) as usize;
    for (i, b) in bars.iter().enumerate().filter(|(i, _)| i % label_every == 0) {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, min.min(0.0)));
        let name: String = b.1.chars().take(8).collect();
        area.draw(&Text::new(name, (px - st.px(20.0) as i32, py + st.px(6.0) as i32), st.font(12.0))).map_err(e2s)?;
    }
    if total > 0.0 {
        chart
            .draw_secondary_series(LineSeries::new((0..bars.len()).map(|i| (i as f64 + 0.5, cum_at(i) / total)), ACCENT.stroke_width(st.px(3.0))))
            .map_err(e2s)?
            .label(st.t("chart.legend.cumulative", &[]))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], ACCENT.stroke_width(3)));
        chart
            .draw_secondary_series(LineSeries::new([(0.0, 0.8), (bars.len() as f64, 0.8)], INK.mix(0.5).stroke_width(st.px(1.5))))
            .map_err(e2s)?
            .label(st.t("chart.legend.ref80", &[]))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], INK.mix(0.5)));
        let cut = (c.top20_count as usize).min(bars.len()) as f64;
        chart
            .draw_secondary_series(LineSeries::new([(cut, 0.0), (cut, cum_max * 1.05)], LOSS.mix(0.7).stroke_width(st.px(2.0))))
            .map_err(e2s)?
            .label(st.t("chart.legend.cut20", &[("n", c.top20_count.to_string())]))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], LOSS.mix(0.7)));
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 14.0, st)?;
    }
    Ok(regions)
}

/// At most this many points are drawn on a curve: more are invisible at
/// 1920 pixels and only make the SVG heavy.
const CURVE_POINTS: usize = 2000;

/// Every k-th point of a curve, keeping the first, the last and the highest.
fn thin(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() <= CURVE_POINTS {
        return points.to_vec();
    }
    let step = points.len().div_ceil(CURVE_POINTS);
    let peak = points.iter().enumerate().max_by(|a, b| a.1 .1.total_cmp(&b.1 .1)).map_or(0, |(i, _)| i);
    points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i == peak || *i == points.len() - 1)
        .map(|(_, p)| *p)
        .collect()
}

/// At most this many hover points on a curve.
const CURVE_REGIONS: usize = 400;

fn whale<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> std::result::Result<Vec<Region>, String> {
    let ranked = data.ranked;
    let c = data.concentration;
    let n = ranked.len() as f64;
    let total = c.total;
    let cum = cumulative(ranked);
    let share = |v: f64| if total != 0.0 { v / total.abs() } else { 0.0 };
    let pts: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(cum.iter().enumerate().map(|(i, v)| ((i + 1) as f64 / n, share(*v))))
        .collect();
    let ymax = pts.iter().map(|p| p.1).fold(1.0, f64::max) * 1.08;
    let ymin = pts.iter().map(|p| p.1).fold(0.0, f64::min);
    let mut chart = share_chart(area, st, ymin..ymax, "chart.axis.share_customers", "chart.axis.cum_share")?;
    if let Some(first_loss) = ranked.iter().position(|v| v.value < 0.0) {
        let x0 = first_loss as f64 / n;
        chart
            .draw_series(std::iter::once(Rectangle::new([(x0, ymin), (1.0, ymax)], LOSS.mix(0.08).filled())))
            .map_err(e2s)?
            .label(st.t("chart.legend.losses", &[("n", c.unprofitable.to_string())]))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], LOSS.mix(0.25).filled()));
    }
    chart
        .draw_series(LineSeries::new([(0.0, 1.0), (1.0, 1.0)], INK.mix(0.45).stroke_width(st.px(1.5))))
        .map_err(e2s)?
        .label(st.t("chart.legend.hundred", &[]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], INK.mix(0.45)));
    chart
        .draw_series(LineSeries::new(thin(&pts), BRAND.stroke_width(st.px(3.0))))
        .map_err(e2s)?
        .label(st.t("chart.legend.cumulative", &[]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BRAND.stroke_width(3)));
    if let (Some(peak), Some(at)) = (c.whale_peak_share, c.whale_peak_at) {
        let p = (at as f64 / n, peak);
        chart.draw_series(std::iter::once(Circle::new(p, st.px(6.0), ACCENT.filled()))).map_err(e2s)?;
        let label = st.t("chart.legend.peak", &[("share", format!("{:.1}%", peak * 100.0)), ("rank", at.to_string())]);
        let (px, py) = chart.backend_coord(&p);
        area.draw(&Text::new(label, (px + st.px(10.0) as i32, py - st.px(26.0) as i32), st.bold(15.0)))
            .map_err(e2s)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 14.0, st)?;
    let step = (ranked.len() / CURVE_REGIONS).max(1);
    Ok(ranked
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, v)| {
            let (px, py) = chart.backend_coord(&((i + 1) as f64 / n, share(cum[i])));
            let r = st.px(5.0) as f64;
            Region {
                id: Some(v.id),
                label: format!("{}. {}", i + 1, v.name),
                value: format!("{} · {:.1}%", st.money(v.value), share(cum[i]) * 100.0),
                x: px as f64 - r,
                y: py as f64 - r,
                w: 2.0 * r,
                h: 2.0 * r,
            }
        })
        .collect())
}

fn lorenz_chart<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> std::result::Result<Vec<Region>, String> {
    let values: Vec<f64> = data.ranked.iter().map(|v| v.value).collect();
    let pts = thin(&lorenz(&values));
    let mut chart = share_chart(area, st, 0.0..1.0, "chart.axis.share_customers_asc", "chart.axis.share_value")?;
    chart
        .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], INK.mix(0.45).stroke_width(st.px(1.5))))
        .map_err(e2s)?
        .label(st.t("chart.legend.equality", &[]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], INK.mix(0.45)));
    chart.draw_series(AreaSeries::new(pts.iter().copied(), 0.0, BRAND.mix(0.12))).map_err(e2s)?;
    let gini = data.concentration.gini.map_or("n/a".to_string(), |g| format!("{g:.3}"));
    chart
        .draw_series(LineSeries::new(pts.iter().copied(), BRAND.stroke_width(st.px(3.0))))
        .map_err(e2s)?
        .label(st.t("chart.legend.gini", &[("gini", gini)]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BRAND.stroke_width(3)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, 15.0, st)?;
    Ok(Vec::new())
}

fn abc<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> std::result::Result<Vec<Region>, String> {
    let c = data.concentration;
    let n = c.customers.max(1) as f64;
    let classes = [("A", c.abc.a), ("B", c.abc.b), ("C", c.abc.c)];
    let ymax = classes.iter().map(|(_, s)| s.share.unwrap_or(0.0).max(s.count as f64 / n)).fold(1.0, f64::max) * 1.1;
    let ymin = classes.iter().map(|(_, s)| s.share.unwrap_or(0.0)).fold(0.0, f64::min);
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(8.0))
        .x_label_area_size(st.px(44.0))
        .y_label_area_size(st.px(72.0))
        .build_cartesian_2d(0f64..3f64, (ymin * 1.1)..ymax)
        .map_err(e2s)?;
    finish_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&|v| Style::pct(*v))
            .y_desc(st.t("chart.axis.share", &[])),
        st,
    )?;
    let mut regions = Vec::new();
    let customers_label = st.t("chart.legend.customers_share", &[]);
    let value_label = st.t("chart.legend.value_share", &[("measure", st.measure())]);
    for (i, (name, stat)) in classes.iter().enumerate() {
        let x = i as f64;
        let count_share = stat.count as f64 / n;
        let value_share = stat.share.unwrap_or(0.0);
        for (j, (v, color, label, text)) in [
            (count_share, GREY, &customers_label, format!("{} ({})", stat.count, Style::pct(count_share))),
            (value_share, if value_share < 0.0 { LOSS } else { BRAND }, &value_label, stat.share.map_or("n/a".into(), |s| format!("{:.1}%", s * 100.0))),
        ]
        .into_iter()
        .enumerate()
        {
            let (x0, x1) = (x + 0.15 + 0.35 * j as f64, x + 0.48 + 0.35 * j as f64);
            chart.draw_series(std::iter::once(Rectangle::new([(x0, 0.0), (x1, v)], color.filled()))).map_err(e2s)?;
            let (px0, py0) = chart.backend_coord(&(x0, v.max(0.0)));
            let (px1, py1) = chart.backend_coord(&(x1, v.min(0.0)));
            area.draw(&Text::new(text.clone(), (px0, py0 - st.px(20.0) as i32), st.font(14.0))).map_err(e2s)?;
            regions.push(Region {
                id: None,
                label: format!("{} {name}: {label}", st.t("chart.class", &[])),
                value: text,
                x: px0 as f64,
                y: py0 as f64,
                w: (px1 - px0) as f64,
                h: (py1 - py0).max(1) as f64,
            });
        }
        let (px, py) = chart.backend_coord(&(x + 0.5, ymin * 1.1));
        area.draw(&Text::new(format!("{} {name}", st.t("chart.class", &[])), (px - st.px(24.0) as i32, py + st.px(10.0) as i32), st.bold(16.0)))
            .map_err(e2s)?;
    }
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
        .map_err(e2s)?
        .label(customers_label)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], GREY.filled()));
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
        .map_err(e2s)?
        .label(value_label)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], BRAND.filled()));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 14.0, st)?;
    Ok(regions)
}

fn trend_chart<DB: DrawingBackend>(area: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> std::result::Result<Vec<Region>, String> {
    let pts = data.trend;
    let n = pts.len() as f64;
    let share_max = pts.iter().filter_map(|p| p.top20_share).fold(1.0, f64::max) * 1.08;
    let count_max = pts.iter().filter_map(|p| p.customers_for_80).max().unwrap_or(1).max(1) as f64 * 1.15;
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(8.0))
        .x_label_area_size(st.px(44.0))
        .y_label_area_size(st.px(72.0))
        .right_y_label_area_size(st.px(72.0))
        .build_cartesian_2d(0f64..n, 0f64..share_max)
        .map_err(e2s)?
        .set_secondary_coord(0f64..n, 0f64..count_max);
    finish_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&|v| Style::pct(*v))
            .y_desc(st.t("chart.legend.top20", &[])),
        st,
    )?;
    chart
        .configure_secondary_axes()
        .y_desc(st.t("chart.legend.for80", &[]))
        .label_style(st.font(14.0))
        .axis_desc_style(st.font(15.0))
        .draw()
        .map_err(e2s)?;
    let every = (pts.len() as f64 / 12.0).ceil().max(1.0) as usize;
    for (i, p) in pts.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        area.draw(&Text::new(p.label.clone(), (px - st.px(22.0) as i32, py + st.px(8.0) as i32), st.font(13.0))).map_err(e2s)?;
    }
    let shares: Vec<(f64, f64)> = pts.iter().enumerate().filter_map(|(i, p)| Some((i as f64 + 0.5, p.top20_share?))).collect();
    let counts: Vec<(f64, f64)> =
        pts.iter().enumerate().filter_map(|(i, p)| Some((i as f64 + 0.5, p.customers_for_80? as f64))).collect();
    chart
        .draw_series(LineSeries::new(shares.iter().copied(), BRAND.stroke_width(st.px(3.0))))
        .map_err(e2s)?
        .label(st.t("chart.legend.top20", &[]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BRAND.stroke_width(3)));
    chart.draw_series(shares.iter().map(|p| Circle::new(*p, st.px(5.0), BRAND.filled()))).map_err(e2s)?;
    chart
        .draw_secondary_series(LineSeries::new(counts.iter().copied(), ACCENT.stroke_width(st.px(3.0))))
        .map_err(e2s)?
        .label(st.t("chart.legend.for80", &[]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], ACCENT.stroke_width(3)));
    chart.draw_secondary_series(counts.iter().map(|p| Circle::new(*p, st.px(5.0), ACCENT.filled()))).map_err(e2s)?;
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 14.0, st)?;
    Ok(pts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let share = p.top20_share?;
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, share));
            let r = st.px(8.0) as f64;
            Some(Region {
                id: None,
                label: p.label.clone(),
                value: format!(
                    "{} {:.1}% · {} {}",
                    st.t("chart.legend.top20", &[]),
                    share * 100.0,
                    st.t("chart.legend.for80", &[]),
                    p.customers_for_80.map_or("n/a".into(), |k| k.to_string())
                ),
                x: px as f64 - r,
                y: py as f64 - r,
                w: 2.0 * r,
                h: 2.0 * r,
            })
        })
        .collect())
}

/// A chart as the UI or the CLI asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChartRequest {
    pub kind: ChartKind,
    pub measure: Measure,
    pub filter: Filter,
    pub width: u32,
    pub height: u32,
    /// PNG pixel density (1 or 2).
    pub scale: u32,
    pub lang: Lang,
    /// Shown before money values, e.g. "¥".
    pub currency: String,
}

/// The most pixels a PNG may have (8K UHD, 33 million): its RGB buffer is
/// about 100 MB.
pub const MAX_PNG_PIXELS: u64 = 7680 * 4320;

/// The PNG's size in pixels at its scale, refused when it is too large (the
/// arithmetic is done in u64: a u32 overflows at large sizes and scales).
fn png_size(width: u32, height: u32, scale: u32) -> Result<(u32, u32)> {
    if !(1..=2).contains(&scale) {
        return Err(Error::InvalidArgument(format!("PNG scale {scale} is not 1 or 2")));
    }
    let (w, h) = (u64::from(width) * u64::from(scale), u64::from(height) * u64::from(scale));
    if w * h > MAX_PNG_PIXELS {
        return Err(Error::InvalidArgument(format!(
            "a {w}×{h} PNG is too large (at most {MAX_PNG_PIXELS} pixels, e.g. 7680×4320); choose a smaller size or SVG"
        )));
    }
    Ok((w as u32, h as u32))
}

/// Computes what `req` shows from `data` and draws it.
pub fn chart(data: &Dataset, req: &ChartRequest, format: ImageFormat) -> Result<Rendered> {
    let mut ranked = data.values(req.measure, &req.filter);
    rank(&mut ranked);
    let c = concentration_of_ranked(&ranked, Thresholds::default());
    let trend_points = if req.kind == ChartKind::Trend {
        let span = data.date_range().map_or(0, |(a, b)| (b - a).num_days());
        let g = if span > 3 * 366 { Granularity::Year } else { Granularity::Quarter };
        crate::analysis::trend(data, req.measure, &req.filter, g)
    } else {
        Vec::new()
    };
    let period = match (req.filter.from, req.filter.to) {
        (None, None) => i18n::text(req.lang, "chart.period_all"),
        (from, to) => format!(
            "{} – {}",
            from.map_or(String::new(), |d| d.to_string()),
            to.map_or(String::new(), |d| d.to_string())
        ),
    };
    let data_date = data.date_range().map_or("—".to_string(), |(_, last)| last.to_string());
    let subtitle = i18n::text(req.lang, "chart.subtitle").replace("{period}", &period).replace("{date}", &data_date);
    let spec = ChartSpec {
        kind: req.kind,
        measure: req.measure,
        lang: req.lang,
        width: req.width,
        height: req.height,
        scale: req.scale,
        currency: req.currency.clone(),
        subtitle,
    };
    render(&ChartData { ranked: &ranked, concentration: &c, trend: &trend_points }, &spec, format)
}

/// The whale curve of profit after cost to serve: each customer's profit
/// less `costs` (by customer id: what serving a key account cost).
pub fn whale_after_cost(data: &Dataset, costs: &std::collections::HashMap<u32, f64>, note: &str, lang: Lang, currency: &str, size: (u32, u32), format: ImageFormat) -> Result<Rendered> {
    let mut ranked = data.values(Measure::Profit, &Filter::default());
    for v in &mut ranked {
        v.value -= costs.get(&v.id).copied().unwrap_or(0.0);
    }
    rank(&mut ranked);
    let c = concentration_of_ranked(&ranked, Thresholds::default());
    let spec = ChartSpec {
        kind: ChartKind::Whale,
        measure: Measure::Profit,
        lang,
        width: size.0,
        height: size.1,
        scale: 1,
        currency: currency.to_string(),
        subtitle: note.to_string(),
    };
    render(&ChartData { ranked: &ranked, concentration: &c, trend: &[] }, &spec, format)
}

#[cfg(test)]
mod tests;
