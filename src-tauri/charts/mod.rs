//! Charts drawn in Rust with plotters — one renderer for the screen and for
//! export, PNG or SVG. Text comes from the message catalogs in the chart's
//! language; an embedded CJK font (WenQuanYi Micro Hei) makes Chinese
//! customer names render as glyphs in PNG with no system fonts involved.
//! Each chart also returns the regions of its bars and points, so the UI can
//! show a tooltip on hover and open a customer on click.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontDesc, FontFamily, FontStyle};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::concentration::{concentration_of_ranked, rank};
use crate::analysis::{Concentration, CustomerValue, Dataset, Filter, Granularity, Measure, Thresholds, TrendPoint};
use crate::i18n;
use crate::model::Lang;
use crate::{Error, Result};

/// WenQuanYi Micro Hei, also the meeting pack's font (one copy in the binary).
pub(crate) static FONT: &[u8] = include_bytes!("fonts/wqy-microhei.ttc");
const FAMILY: &str = "sans-serif";

mod abc;
mod lorenz;
pub mod pareto;
pub mod relationship;
mod revenue;
pub mod segments;
pub mod style;
mod trend;
mod whale;

use style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Pareto,
    /// Cumulative shares of profit and of revenue, customers ranked by profit.
    RevenueVsProfit,
    Whale,
    Lorenz,
    Abc,
    Trend,
}

impl ChartKind {
    pub const ALL: [ChartKind; 6] = [ChartKind::Pareto, ChartKind::RevenueVsProfit, ChartKind::Whale, ChartKind::Lorenz, ChartKind::Abc, ChartKind::Trend];

    pub fn key(self) -> &'static str {
        match self {
            ChartKind::Pareto => "pareto",
            ChartKind::RevenueVsProfit => "revenue_vs_profit",
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
    /// Each ranked customer's revenue (same order), for the profit vs
    /// revenue chart; empty for the others.
    pub revenue: &'a [f64],
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

impl Region {
    /// A square of `2·r` pixels around a point of a curve.
    pub(crate) fn around(id: Option<u32>, label: String, value: String, (x, y): (i32, i32), r: f64) -> Region {
        Region { id, label, value, x: f64::from(x) - r, y: f64::from(y) - r, w: 2.0 * r, h: 2.0 * r }
    }
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

impl From<Rendered> for ChartImage {
    /// An SVG rendering, for the screen.
    fn from(r: Rendered) -> ChartImage {
        ChartImage { svg: String::from_utf8_lossy(&r.bytes).into_owned(), regions: r.regions }
    }
}

/// A drawn chart as RGBA pixels, what a clipboard takes.
pub struct Bitmap {
    pub rgba: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

impl Bitmap {
    /// Decodes one of our PNGs (8-bit RGB).
    pub fn from_png(png_bytes: &[u8]) -> Result<Bitmap> {
        let fail = |e: String| Error::Output(format!("chart image could not be read back: {e}"));
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().map_err(|e| fail(e.to_string()))?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).map_err(|e| fail(e.to_string()))?;
        if info.color_type != png::ColorType::Rgb || info.bit_depth != png::BitDepth::Eight {
            return Err(fail(format!("{:?} {:?} is not 8-bit RGB", info.color_type, info.bit_depth)));
        }
        let rgba = buf[..info.buffer_size()].chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        Ok(Bitmap { rgba, width: info.width, height: info.height })
    }
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
        return Err(Error::Refused(crate::msg!("refused.chart_size", width = width, height = height)));
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
            Ok(Rendered { bytes: pin_svg_text(&svg).into_bytes(), regions })
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

/// Each text of an SVG from plotters drawn as wide as it was measured:
/// its font-size made the em our font was measured at (plotters writes
/// another), and `textLength` set to the measured width. Boxes and places
/// were sized with our font's widths; a webview or an editor that draws
/// the SVG with another font (the window's "sans-serif" is wider) then
/// squeezes or stretches the text into them instead of running past them.
pub(crate) fn pin_svg_text(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 4);
    let mut rest = svg;
    while let Some(at) = rest.find("<text ") {
        let (Some(open), Some(close)) = (rest[at..].find('>'), rest[at..].find("</text>")) else { break };
        let (tag, body) = (&rest[at..at + open], &rest[at + open..at + close]);
        out.push_str(&rest[..at]);
        out.push_str(&pinned_tag(tag, &unescape(body.trim_start_matches('>').trim())));
        out.push_str(body);
        rest = &rest[at + close..];
    }
    out.push_str(rest);
    out
}

/// A `<text …` opening tag (without its `>`) with the em font-size and
/// the measured `textLength` of `text`.
fn pinned_tag(tag: &str, text: &str) -> String {
    let Some(written) = attr(tag, "font-size").and_then(|v| v.parse::<f64>().ok()) else { return tag.to_string() };
    let size = written * style::PLOTTERS_SVG_EM;
    let weight = if attr(tag, "font-weight") == Some("bold") { FontStyle::Bold } else { FontStyle::Normal };
    let width = FontDesc::new(FontFamily::Name(FAMILY), size, weight).box_size(text).map_or(0, |(w, _)| w);
    let em = format!("{:.2}", size / style::FONT_HEIGHT_PER_EM);
    let em = em.trim_end_matches('0').trim_end_matches('.');
    let tag = tag.replacen(&format!("font-size=\"{}\"", attr(tag, "font-size").unwrap_or_default()), &format!("font-size=\"{em}\""), 1);
    if width == 0 {
        return tag;
    }
    format!("{tag} textLength=\"{width}\" lengthAdjust=\"spacingAndGlyphs\"")
}

/// The value of attribute `name` in an opening tag.
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[from..].split('"').next()
}

/// Text as plotters escaped it, back to what was measured.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

type Area<'b, DB> = DrawingArea<DB, Shift>;

fn draw<DB: DrawingBackend>(root: &Area<'_, DB>, data: &ChartData<'_>, st: &Style<'_>) -> Result<Vec<Region>> {
    let err = |e: String| Error::Output(format!("chart could not be drawn: {e}"));
    root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
    let kind = st.spec.kind;
    let title = st.t(&format!("chart.{}.title", kind.key()), &[("measure", st.measure())]);
    let (w, h) = root.dim_in_pixel();
    let margin = st.pxf(32.0);
    let title_style = st.bold(style::TITLE_PX);
    let title = style::fit(root, &title, &title_style, f64::from(w) - 2.0 * margin);
    root.draw(&Text::new(title, (margin as i32, st.px(20.0) as i32), title_style)).map_err(|e| err(e.to_string()))?;
    root.draw(&Text::new(st.spec.subtitle.clone(), (margin as i32, st.px(74.0) as i32), st.text().color(&style::INK_SOFT)))
        .map_err(|e| err(e.to_string()))?;
    let title_h = st.px(116.0);
    let body = root.margin(title_h, st.px(16.0), st.px(24.0), st.px(24.0));
    let empty = match kind {
        ChartKind::Trend => data.trend.is_empty(),
        _ => data.ranked.is_empty(),
    };
    if empty {
        let text = st.t("chart.empty", &[]);
        let tw = style::width_of(root, &text, &st.text());
        body.draw(&Text::new(text, ((f64::from(w) - tw) as i32 / 2, (h / 2) as i32 - title_h as i32), st.text())).map_err(|e| err(e.to_string()))?;
        return Ok(Vec::new());
    }
    // Regions come in canvas pixels (plotters' backend coordinates).
    let (regions, legend) = match kind {
        ChartKind::Pareto => pareto::draw(&body, data, st),
        ChartKind::RevenueVsProfit => revenue::draw(&body, data, st),
        ChartKind::Whale => whale::draw(&body, data, st),
        ChartKind::Lorenz => lorenz::draw(&body, data, st),
        ChartKind::Abc => abc::draw(&body, data, st),
        ChartKind::Trend => trend::draw(&body, data, st),
    }
    .map_err(err)?;
    // On the subtitle's line, right-aligned.
    style::legend_row(root, &legend, f64::from(w) - margin, st.pxf(68.0), st).map_err(err)?;
    Ok(regions)
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
        return Err(Error::Refused(crate::msg!("refused.png_scale", scale = scale)));
    }
    let (w, h) = (u64::from(width) * u64::from(scale), u64::from(height) * u64::from(scale));
    if w * h > MAX_PNG_PIXELS {
        return Err(Error::Refused(crate::msg!("refused.png_too_large", width = w, height = h, max = MAX_PNG_PIXELS)));
    }
    Ok((w as u32, h as u32))
}

/// Computes what `req` shows from `data` and draws it.
pub fn chart(data: &Dataset, req: &ChartRequest, format: ImageFormat) -> Result<Rendered> {
    // Profit vs revenue always ranks by profit, whatever the measure.
    let measure = if req.kind == ChartKind::RevenueVsProfit { Measure::Profit } else { req.measure };
    let mut ranked = data.values(measure, &req.filter);
    rank(&mut ranked);
    let revenue: Vec<f64> = if req.kind == ChartKind::RevenueVsProfit {
        let by_id: std::collections::HashMap<u32, f64> = data.values(Measure::Revenue, &req.filter).into_iter().map(|v| (v.id, v.value)).collect();
        ranked.iter().map(|v| by_id.get(&v.id).copied().unwrap_or(0.0)).collect()
    } else {
        Vec::new()
    };
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
            from.map_or(String::new(), |d| i18n::date(req.lang, d)),
            to.map_or(String::new(), |d| i18n::date(req.lang, d))
        ),
    };
    let data_date = data.date_range().map_or("—".to_string(), |(_, last)| i18n::date(req.lang, last));
    let subtitle = i18n::text(req.lang, "chart.subtitle").replace("{period}", &period).replace("{date}", &data_date);
    let spec = ChartSpec {
        kind: req.kind,
        measure,
        lang: req.lang,
        width: req.width,
        height: req.height,
        scale: req.scale,
        currency: req.currency.clone(),
        subtitle,
    };
    render(&ChartData { ranked: &ranked, concentration: &c, trend: &trend_points, revenue: &revenue }, &spec, format)
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
    render(&ChartData { ranked: &ranked, concentration: &c, trend: &[], revenue: &[] }, &spec, format)
}

#[cfg(test)]
mod tests;
