//! What every chart shares: the palette, text and line sizes designed for a
//! 1920×1080 projector slide, number formats, the mesh, legends and labels.
//!
//! Sizes are given in pixels of a 1920×1080 canvas and scale with the
//! canvas (never below [`MIN_ZOOM`], so a chart in the window stays
//! readable too): at 1920×1080 titles are 40 px, every other text 22 px and
//! data lines 3 px.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{Area, ChartSpec, FAMILY};
use crate::analysis::Measure;
use crate::i18n;

/// Title size at 1920×1080, in pixels.
pub const TITLE_PX: f64 = 40.0;
/// Every other text at 1920×1080, in pixels.
pub const TEXT_PX: f64 = 22.0;
/// Data lines at 1920×1080, in pixels.
pub const LINE_PX: f64 = 3.0;
/// The smallest zoom: a 900-pixel chart in the window keeps 14 px text.
pub const MIN_ZOOM: f64 = 0.64;
/// plotters writes a font of size `s` as `font-size = s / 1.24` (its em is
/// 1.24 of the size it is given); sizes here are the written pixels.
const PLOTTERS_EM: f64 = 1.24;

// A palette that stays apart in grey (printed on a black-and-white printer):
// dark, middle and light fills, and lines told apart by their dash and a
// white halo rather than by hue alone.
pub const BRAND: RGBColor = RGBColor(15, 94, 99);
pub const BRAND_LIGHT: RGBColor = RGBColor(111, 175, 170);
pub const GREY: RGBColor = RGBColor(196, 206, 205);
pub const LOSS: RGBColor = RGBColor(200, 60, 50);
pub const ACCENT: RGBColor = RGBColor(178, 86, 0);
pub const INK: RGBColor = RGBColor(22, 48, 47);
pub const INK_SOFT: RGBColor = RGBColor(86, 112, 110);
pub const LIGHT_GRID: RGBColor = RGBColor(236, 240, 240);

/// Sizes, language and number formats for one drawing.
pub struct Style<'a> {
    pub spec: &'a ChartSpec,
    /// Pixel density (PNG scale).
    s: f64,
    /// Zoom against the 1920×1080 design.
    z: f64,
}

impl<'a> Style<'a> {
    pub fn new(spec: &'a ChartSpec, scale: u32) -> Style<'a> {
        let z = (f64::from(spec.width) / 1920.0).min(f64::from(spec.height) / 1080.0).max(MIN_ZOOM);
        Style { spec, s: f64::from(scale), z }
    }

    /// `v` design pixels in canvas pixels.
    pub fn px(&self, v: f64) -> u32 {
        self.pxf(v).round() as u32
    }

    pub fn pxf(&self, v: f64) -> f64 {
        v * self.z * self.s
    }

    pub fn font(&self, px: f64) -> TextStyle<'static> {
        (FAMILY, self.pxf(px) * PLOTTERS_EM).into_font().color(&INK)
    }

    pub fn bold(&self, px: f64) -> TextStyle<'static> {
        (FAMILY, self.pxf(px) * PLOTTERS_EM, FontStyle::Bold).into_font().color(&INK)
    }

    /// Body text: labels, ticks, legends, notes.
    pub fn text(&self) -> TextStyle<'static> {
        self.font(TEXT_PX)
    }

    /// A data line's width.
    pub fn line(&self) -> u32 {
        self.px(LINE_PX)
    }

    pub fn t(&self, key: &str, params: &[(&str, String)]) -> String {
        let mut text = i18n::text(self.spec.lang, key);
        for (k, v) in params {
            text = text.replace(&format!("{{{k}}}"), v);
        }
        text
    }

    pub fn measure(&self) -> String {
        measure_name(self.spec.lang, self.spec.measure)
    }

    /// `-¥5,000` for negatives: the sign before the symbol, as the UI writes it.
    pub fn money(&self, v: f64) -> String {
        let grouped = group(v, 0);
        match grouped.strip_prefix('-') {
            Some(digits) => format!("-{}{digits}", self.spec.currency),
            None => format!("{}{grouped}", self.spec.currency),
        }
    }

    pub fn pct(v: f64) -> String {
        // No "-0%" for a tick a rounding error below zero.
        format!("{:.0}%", v * 100.0 + 0.0).replace("-0%", "0%")
    }

    pub fn pct1(v: f64) -> String {
        format!("{:.1}%", v * 100.0)
    }
}

pub fn measure_name(lang: crate::model::Lang, measure: Measure) -> String {
    i18n::text(
        lang,
        match measure {
            Measure::Profit => "measure.profit",
            Measure::Revenue => "measure.revenue",
            Measure::Margin => "measure.margin",
        },
    )
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

/// The width `text` takes in `style`, in canvas pixels.
pub fn width_of<DB: DrawingBackend>(area: &Area<'_, DB>, text: &str, style: &TextStyle<'_>) -> f64 {
    f64::from(area.estimate_text_size(text, style).map_or(0, |(w, _)| w))
}

/// `text` as it fits in `max` pixels: cut with "…" when it does not, never
/// cut without the mark.
pub fn fit<DB: DrawingBackend>(area: &Area<'_, DB>, text: &str, style: &TextStyle<'_>, max: f64) -> String {
    if width_of(area, text, style) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // The longest prefix that fits with the mark (binary search on length).
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width_of(area, &candidate, style) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"
}

pub fn e2s<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

pub type Drawn<T> = std::result::Result<T, String>;

/// The mesh styling every chart shares; draws the mesh.
pub fn finish_mesh<X, Y, XT, YT, DB>(mesh: &mut MeshStyle<'_, '_, X, Y, DB>, st: &Style<'_>) -> Drawn<()>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.label_style(st.text())
        .axis_desc_style(st.text())
        .axis_style(INK_SOFT.stroke_width(st.line()))
        .bold_line_style(LIGHT_GRID.stroke_width(st.px(1.5)))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(e2s)
}

/// Room for an axis' tick labels: the widest of `labels` plus the axis
/// title beside it.
pub fn label_area<DB: DrawingBackend>(area: &Area<'_, DB>, labels: &[String], st: &Style<'_>) -> u32 {
    let widest = labels.iter().map(|l| width_of(area, l, &st.text())).fold(0.0, f64::max);
    (widest + st.pxf(TEXT_PX * 2.2)).round() as u32
}

/// Room under the x axis for its ticks and title.
pub fn x_label_area(st: &Style<'_>) -> u32 {
    st.px(TEXT_PX * 3.6)
}

/// A chart of shares against shares (whale curve, Lorenz, profit vs
/// revenue): x from 0 to 100% of customers, y over `y`, both axes in
/// percent, with its mesh drawn.
pub fn share_chart<'a, DB: DrawingBackend>(
    area: &'a Area<'_, DB>,
    st: &Style<'_>,
    y: std::ops::Range<f64>,
    x_desc: &str,
    y_desc: &str,
) -> Drawn<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    let y_labels = [Style::pct(y.start), Style::pct(y.end), "100%".to_string()];
    let mut chart = ChartBuilder::on(area)
        .margin(st.px(12.0))
        .margin_right(st.px(40.0))
        .x_label_area_size(x_label_area(st))
        .y_label_area_size(label_area(area, &y_labels, st))
        .build_cartesian_2d(0f64..1f64, y)
        .map_err(e2s)?;
    finish_mesh(
        chart
            .configure_mesh()
            .x_labels(11)
            .y_labels(8)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|v| Style::pct(*v))
            .y_label_formatter(&|v| Style::pct(*v)),
        st,
    )?;
    Ok(chart)
}

/// A chart's legend: drawn in the title band, never over the data.
pub type Legend = Vec<(Swatch, String)>;

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub enum Swatch {
    Bar(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

/// A point in canvas pixels (what `backend_coord` gives) in `area`'s own
/// pixels (what drawing on `area` takes).
pub fn local<DB: DrawingBackend>(area: &Area<'_, DB>, (x, y): (f64, f64)) -> (f64, f64) {
    let (bx, by) = area.get_base_pixel();
    (x - f64::from(bx), y - f64::from(by))
}

/// A row of legend entries ending at `right`, its top at `top` (canvas
/// pixels), on a white band so it reads over anything.
pub fn legend_row<DB: DrawingBackend>(area: &Area<'_, DB>, entries: &[(Swatch, String)], right: f64, top: f64, st: &Style<'_>) -> Drawn<()> {
    let (right, top) = local(area, (right, top));
    let style = st.text();
    let (sw, gap, pad) = (st.pxf(36.0), st.pxf(10.0), st.pxf(28.0));
    let widths: Vec<f64> = entries.iter().map(|(_, t)| width_of(area, t, &style)).collect();
    let total: f64 = widths.iter().map(|w| sw + gap + w).sum::<f64>() + pad * (entries.len().saturating_sub(1)) as f64;
    let h = st.pxf(TEXT_PX * 1.5);
    let mut x = (right - total).max(0.0);
    area.draw(&Rectangle::new([((x - gap) as i32, top as i32), ((right + gap) as i32, (top + h) as i32)], WHITE.mix(0.9).filled()))
        .map_err(e2s)?;
    let mid = top + h / 2.0;
    for ((swatch, text), w) in entries.iter().zip(widths) {
        let (x0, x1) = (x as i32, (x + sw) as i32);
        let line = |c: RGBColor| c.stroke_width(st.line());
        match *swatch {
            Swatch::Bar(c) => area.draw(&Rectangle::new([(x0, (mid - h / 3.0) as i32), (x1, (mid + h / 3.0) as i32)], c.filled())),
            Swatch::Line(c) => area.draw(&PathElement::new(vec![(x0, mid as i32), (x1, mid as i32)], line(c))),
            Swatch::Dashed(c) => {
                let dash = (sw / 5.0) as i32;
                area.draw(&PathElement::new(vec![(x0, mid as i32), (x0 + 2 * dash, mid as i32)], line(c)))
                    .and_then(|_| area.draw(&PathElement::new(vec![(x0 + 3 * dash, mid as i32), (x1, mid as i32)], line(c))))
            }
        }
        .map_err(e2s)?;
        area.draw(&Text::new(text.clone(), ((x + sw + gap) as i32, (mid - st.pxf(TEXT_PX) * 0.55) as i32), style.clone())).map_err(e2s)?;
        x += sw + gap + w + pad;
    }
    Ok(())
}

/// Lines of text on a white box with a thin border, its top-left corner at
/// `at` (canvas pixels) — a note that reads over bars and curves. The first
/// line is a headline when `headline`. Returns the box's size.
pub fn note_box<DB: DrawingBackend>(area: &Area<'_, DB>, lines: &[String], at: (f64, f64), headline: bool, st: &Style<'_>) -> Drawn<(f64, f64)> {
    let (w, h) = note_size(area, lines, headline, st);
    let pad = st.pxf(12.0);
    let (x, y) = local(area, at);
    area.draw(&Rectangle::new([(x as i32, y as i32), ((x + w) as i32, (y + h) as i32)], WHITE.mix(0.94).filled())).map_err(e2s)?;
    area.draw(&Rectangle::new([(x as i32, y as i32), ((x + w) as i32, (y + h) as i32)], INK_SOFT.stroke_width(st.px(1.5)))).map_err(e2s)?;
    let mut ty = y + pad;
    for (i, line) in lines.iter().enumerate() {
        let style = if i == 0 && headline { headline_style(st) } else { st.text() };
        area.draw(&Text::new(line.clone(), ((x + pad) as i32, ty as i32), style)).map_err(e2s)?;
        ty += st.pxf(if i == 0 && headline { HEADLINE_PX } else { TEXT_PX } * 1.45);
    }
    Ok((w, h))
}

pub fn note_size<DB: DrawingBackend>(area: &Area<'_, DB>, lines: &[String], headline: bool, st: &Style<'_>) -> (f64, f64) {
    let pad = st.pxf(12.0);
    let widest = lines
        .iter()
        .enumerate()
        .map(|(i, l)| width_of(area, l, &if i == 0 && headline { headline_style(st) } else { st.text() }))
        .fold(0.0, f64::max);
    let extra = if headline && !lines.is_empty() { HEADLINE_PX - TEXT_PX } else { 0.0 };
    (widest + 2.0 * pad, st.pxf((lines.len() as f64 * TEXT_PX + extra) * 1.45 - TEXT_PX * 0.45) + 2.0 * pad)
}

/// A note's first line: the finding the chart is about.
const HEADLINE_PX: f64 = 27.0;

fn headline_style(st: &Style<'_>) -> TextStyle<'static> {
    st.bold(HEADLINE_PX).color(&BRAND)
}

/// A line drawn over a white halo, so it stands out over bars of any shade.
pub fn halo_line<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(area: &DrawingArea<DB, CT>, points: &[(f64, f64)], color: RGBColor, st: &Style<'_>) -> Drawn<()> {
    area.draw(&PathElement::new(points.to_vec(), WHITE.stroke_width(st.line() * 3))).map_err(e2s)?;
    area.draw(&PathElement::new(points.to_vec(), color.stroke_width(st.line()))).map_err(e2s)
}

/// A dashed line over a white halo: told apart from a solid one in grey.
pub fn halo_dashed<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(area: &DrawingArea<DB, CT>, points: &[(f64, f64)], color: RGBColor, st: &Style<'_>) -> Drawn<()> {
    area.draw(&PathElement::new(points.to_vec(), WHITE.stroke_width(st.line() * 3))).map_err(e2s)?;
    dashed(area, points, color, st)
}

/// A marked point: a dark dot on a white ring.
pub fn dot<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(area: &DrawingArea<DB, CT>, p: (f64, f64), st: &Style<'_>) -> Drawn<()> {
    area.draw(&Circle::new(p, st.px(11.0), WHITE.filled())).map_err(e2s)?;
    area.draw(&Circle::new(p, st.px(7.0), INK.filled())).map_err(e2s)
}

/// A dashed line of the data-line width (reference lines, second series).
pub fn dashed<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(area: &DrawingArea<DB, CT>, points: &[(f64, f64)], color: RGBColor, st: &Style<'_>) -> Drawn<()> {
    area.draw(&plotters::element::DashedPathElement::new(points.iter().copied(), st.px(14.0), st.px(9.0), color.stroke_width(st.line()))).map_err(e2s)
}

/// At most this many points are drawn on a curve: more are invisible at
/// 1920 pixels and only make the SVG heavy.
pub const CURVE_POINTS: usize = 2000;

/// Every k-th point of a curve, keeping the first, the last and the highest.
pub fn thin(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
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
pub const CURVE_REGIONS: usize = 400;
