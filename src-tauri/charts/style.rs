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
/// WenQuanYi's height (ascent − descent: 2401 units) over its em (2048).
/// plotters sizes text by that height (ab_glyph's scale), the SVG and the
/// PDF by the em: a font of `px · FONT_HEIGHT_PER_EM` has an em of `px` in
/// the PNG and in the width measured, and [`super::pin_svg_text`] writes
/// `px` as the SVG's font-size. Sizes here are ems, in canvas pixels.
pub const FONT_HEIGHT_PER_EM: f64 = 2401.0 / 2048.0;
/// plotters writes a font of size `s` into an SVG as `font-size = s / 1.24`.
pub const PLOTTERS_SVG_EM: f64 = 1.24;

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
        Style { spec, s: f64::from(scale), z: zoom(f64::from(spec.width), f64::from(spec.height)) }
    }

    /// `v` design pixels in canvas pixels.
    pub fn px(&self, v: f64) -> u32 {
        self.pxf(v).round() as u32
    }

    pub fn pxf(&self, v: f64) -> f64 {
        v * self.z * self.s
    }

    pub fn font(&self, px: f64) -> TextStyle<'static> {
        em_font(self.pxf(px), FontStyle::Normal)
    }

    pub fn bold(&self, px: f64) -> TextStyle<'static> {
        em_font(self.pxf(px), FontStyle::Bold)
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

/// Our font with an em of `px` canvas pixels, in ink.
pub fn em_font(px: f64, style: FontStyle) -> TextStyle<'static> {
    (FAMILY, px * FONT_HEIGHT_PER_EM, style).into_font().color(&INK)
}

/// The zoom of a canvas of `width`×`height` (before the pixel density)
/// against the 1920×1080 design, never below [`MIN_ZOOM`]: a chart in the
/// window keeps 14 px text, one on a slide grows with it.
pub fn zoom(width: f64, height: f64) -> f64 {
    (width / 1920.0).min(height / 1080.0).max(MIN_ZOOM)
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

pub use crate::i18n::group;

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
    // Not "公司（…": an opening mark left alone before the cut goes too.
    chars[..lo].iter().collect::<String>().trim_end_matches(|c: char| c.is_whitespace() || "（(「“‘[【《".contains(c)).to_string() + "…"
}

/// `text` in lines no wider than `max` pixels, broken at the last place a
/// line may break: after a space, or between two Chinese characters (never
/// before a closing mark such as "，" or "）").
pub fn wrap<DB: DrawingBackend>(area: &Area<'_, DB>, text: &str, style: &TextStyle<'_>, max: f64) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let (mut start, mut last_break) = (0, None);
    for i in 0..chars.len() {
        if i > start && breaks_before(chars[i - 1], chars[i]) {
            last_break = Some(i);
        }
        let line: String = chars[start..=i].iter().collect();
        if i > start && width_of(area, &line, style) > max {
            let cut = last_break.filter(|&b| b > start).unwrap_or(i);
            lines.push(chars[start..cut].iter().collect::<String>().trim_end().to_string());
            start = cut;
            while chars.get(start) == Some(&' ') {
                start += 1;
            }
            last_break = None;
        }
    }
    let rest: String = chars[start.min(chars.len())..].iter().collect();
    if !rest.trim().is_empty() {
        lines.push(rest.trim_end().to_string());
    }
    lines
}

/// Whether a line may break between `a` and `b`.
fn breaks_before(a: char, b: char) -> bool {
    let wide = |c: char| c >= '\u{2E80}';
    let closing = |c: char| "，。、；：？！）》」』”’%．,.;:?!)".contains(c);
    !closing(b) && (a == ' ' || ((wide(a) || wide(b)) && b != ' ' && a != '（' && a != '“'))
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

/// A rectangle in canvas pixels, `x0 ≤ x1` and `y0 ≤ y1` (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PxRect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl PxRect {
    /// The rectangle spanning two corners given in any order.
    pub fn span((ax, ay): (f64, f64), (bx, by): (f64, f64)) -> PxRect {
        PxRect { x0: ax.min(bx), y0: ay.min(by), x1: ax.max(bx), y1: ay.max(by) }
    }

    /// `size` with its top-left corner at `at`.
    pub fn at((x, y): (f64, f64), (w, h): (f64, f64)) -> PxRect {
        PxRect { x0: x, y0: y, x1: x + w, y1: y + h }
    }

    /// Grown by `d` on every side.
    pub fn grown(self, d: f64) -> PxRect {
        PxRect { x0: self.x0 - d, y0: self.y0 - d, x1: self.x1 + d, y1: self.y1 + d }
    }

    pub fn overlaps(&self, o: &PxRect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// What a polyline (in canvas pixels) covers: one rectangle per segment,
/// grown by `half_width` (the line's half width with its halo).
pub fn line_cover(points: &[(f64, f64)], half_width: f64) -> Vec<PxRect> {
    points.windows(2).map(|p| PxRect::span(p[0], p[1]).grown(half_width)).collect()
}

/// Where a box of `size` goes inside `bounds` without coming within `gap`
/// of anything in `taken` (bars, curves, other notes): of the free spots,
/// the one whose top-left corner is nearest `want`. `None` when the box
/// fits nowhere. Notes are placed by this, never over the data, so a wider
/// font or a chart of another shape cannot push them onto it.
pub fn free_spot(bounds: PxRect, taken: &[PxRect], (w, h): (f64, f64), want: (f64, f64), gap: f64) -> Option<(f64, f64)> {
    if bounds.x1 - bounds.x0 < w || bounds.y1 - bounds.y0 < h {
        return None;
    }
    let taken: Vec<PxRect> = taken.iter().map(|r| r.grown(gap)).filter(|r| r.overlaps(&bounds)).collect();
    let (first, last) = (bounds.x0, bounds.x1 - w);
    // Every few pixels, and snug against each obstacle's sides.
    let step = (w / 24.0).max(2.0);
    let mut xs: Vec<f64> = (0..).map(|i| first + f64::from(i) * step).take_while(|x| *x <= last).collect();
    xs.extend(taken.iter().flat_map(|r| [r.x1, r.x0 - w]));
    xs.extend([last, want.0]);
    let mut best: Option<(f64, (f64, f64))> = None;
    for x in xs.into_iter().filter(|x| (first..=last).contains(x)) {
        for y in column_spots(x, w, h, &taken, bounds, want.1) {
            let d = (x - want.0).powi(2) + (y - want.1).powi(2);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, (x, y)));
            }
        }
    }
    best.map(|(_, at)| at)
}

/// A note's spot inside `plot`, clear of `taken` (the data) and, where
/// there is room, of `soft` (reference lines) too.
pub fn place_note(plot: PxRect, taken: &[PxRect], soft: &[PxRect], size: (f64, f64), want: (f64, f64), st: &Style<'_>) -> Option<(f64, f64)> {
    let (bounds, gap) = (plot.grown(-st.pxf(8.0)), st.pxf(10.0));
    let all: Vec<PxRect> = taken.iter().chain(soft).copied().collect();
    free_spot(bounds, &all, size, want, gap).or_else(|| free_spot(bounds, taken, size, want, gap))
}

/// Why a share runs above 100% (customers below zero take back part of
/// the total), in a note low on the right of `plot` where it covers
/// nothing of `taken`; not drawn where it fits nowhere.
pub fn over_100_note<DB: DrawingBackend>(area: &Area<'_, DB>, plot: PxRect, taken: &[PxRect], soft: &[PxRect], st: &Style<'_>) -> Drawn<()> {
    let lines = wrap(area, &st.t("chart.note.over_100", &[("measure", st.measure())]), &st.text(), (plot.x1 - plot.x0) * 0.4);
    let size = note_size(area, &lines, false, st);
    if let Some(at) = place_note(plot, taken, soft, size, (plot.x1 - size.0, plot.y1 - size.1), st) {
        note_box(area, &lines, at, false, st)?;
    }
    Ok(())
}

/// In the column `[x, x + w]`: for each free stretch at least `h` high,
/// the top nearest `want_y`.
fn column_spots(x: f64, w: f64, h: f64, taken: &[PxRect], bounds: PxRect, want_y: f64) -> Vec<f64> {
    let mut blocked: Vec<(f64, f64)> = taken.iter().filter(|r| r.x0 < x + w && x < r.x1).map(|r| (r.y0, r.y1)).collect();
    blocked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut spots = Vec::new();
    let mut top = bounds.y0;
    for (y0, y1) in blocked.into_iter().chain(std::iter::once((bounds.y1, bounds.y1))) {
        if y0 - top >= h {
            spots.push(want_y.clamp(top, y0 - h));
        }
        top = top.max(y1);
    }
    spots
}
