//! The segment summary: for each RFM segment, how many customers are in it
//! and what share of profit they make, side by side — the profit is not
//! where the customers are.

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::style::{self, em_font, fit, width_of, BRAND, GREY, INK_SOFT, LOSS, TEXT_PX};
use super::{paint, Area, ImageFormat, Painter, Region, Rendered};
use crate::i18n;
use crate::analysis::Measure;
use crate::insight::segments::SegmentStat;
use crate::model::Lang;
use crate::{Error, Result};

/// The chart of `stats` (one per segment), titled with `subtitle` below.
/// The shares are of `measure` (profit, or revenue for a ledger without).
pub fn segment_chart(
    stats: &[SegmentStat],
    measure: Measure,
    subtitle: &str,
    lang: Lang,
    size: (u32, u32),
    scale: u32,
    format: ImageFormat,
) -> Result<Rendered> {
    paint(&Chart { stats, by_revenue: measure == Measure::Revenue, subtitle, lang }, size.0, size.1, scale, format)
}

struct Chart<'a> {
    stats: &'a [SegmentStat],
    by_revenue: bool,
    subtitle: &'a str,
    lang: Lang,
}

/// Sizes at 1920×1080 in pixels (ems for text): a 40 px title, every
/// other text 22 px; they scale with the canvas but never below
/// [`style::MIN_ZOOM`] (14 px text in the window).
const TITLE_PX: f64 = 40.0;

impl Painter for Chart<'_> {
    fn paint<DB: DrawingBackend>(&self, root: &Area<'_, DB>, scale: u32) -> Result<Vec<Region>> {
        let err = |e: String| Error::Output(format!("the segment chart could not be drawn: {e}"));
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (f64::from(w), f64::from(h));
        let s = f64::from(scale);
        let k = style::zoom(w / s, h / s) * s;
        let u = |v: f64| v * k;
        let font = |px: f64| em_font(u(px), FontStyle::Normal);
        let bold = |px: f64| em_font(u(px), FontStyle::Bold);
        let t = |key: &str| i18n::text(self.lang, key);
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let (title, share) =
            if self.by_revenue { ("chart.segments.title_revenue", "chart.segments.revenue") } else { ("chart.segments.title", "chart.segments.profit") };
        let title = fit(root, &t(title), &bold(TITLE_PX), w - u(80.0));
        root.draw(&Text::new(title, (u(40.0) as i32, u(20.0) as i32), bold(TITLE_PX))).map_err(|e| err(e.to_string()))?;
        root.draw(&Text::new(self.subtitle.to_string(), (u(40.0) as i32, u(74.0) as i32), font(TEXT_PX).color(&INK_SOFT))).map_err(|e| err(e.to_string()))?;

        let names: Vec<String> = self.stats.iter().map(|s| i18n::text(self.lang, &format!("segment.{}", key(s)))).collect();
        let label_w = names.iter().map(|n| width_of(root, n, &font(TEXT_PX))).fold(0.0, f64::max) + u(24.0);
        let (top, bottom) = (u(160.0), h - u(24.0));
        let row_h = (bottom - top) / self.stats.len().max(1) as f64;
        let left = u(40.0) + label_w;
        let panel_w = (w - left - u(48.0)) / 2.0 - u(32.0);
        // Bars leave room for their label at the end.
        let value_w = width_of(root, "-100.0%", &font(TEXT_PX)) + u(16.0);
        let bar_w = (panel_w - value_w).max(u(20.0));
        let max_count = self.stats.iter().map(|s| s.count).max().unwrap_or(0).max(1) as f64;
        let max_share = self.stats.iter().filter_map(|s| s.profit_share).map(f64::abs).fold(0.0, f64::max).max(1e-9);
        for (panel, key) in [(0.0, "chart.segments.count"), (1.0, share)] {
            let x = left + panel * (panel_w + u(64.0));
            root.draw(&Text::new(t(key), (x as i32, (top - u(TEXT_PX * 1.8)) as i32), bold(TEXT_PX))).map_err(|e| err(e.to_string()))?;
        }
        let text_top = |mid: f64| (mid - u(TEXT_PX * 0.55)) as i32;
        let mut regions = Vec::new();
        for (i, (s, name)) in self.stats.iter().zip(&names).enumerate() {
            let y = top + i as f64 * row_h;
            let bar_h = (row_h * 0.62).max(2.0);
            let mid = y + row_h / 2.0;
            root.draw(&Text::new(name.clone(), (u(40.0) as i32, text_top(mid)), font(TEXT_PX))).map_err(|e| err(e.to_string()))?;
            // Customers.
            let cw = bar_w * f64::from(s.count) / max_count;
            root.draw(&Rectangle::new([(left as i32, (mid - bar_h / 2.0) as i32), ((left + cw) as i32, (mid + bar_h / 2.0) as i32)], GREY.filled()))
                .map_err(|e| err(e.to_string()))?;
            let count = s.count.to_string();
            root.draw(&Text::new(count.clone(), ((left + cw + u(12.0)) as i32, text_top(mid)), font(TEXT_PX))).map_err(|e| err(e.to_string()))?;
            // Profit share (losses drawn in red from the same axis).
            let px = left + panel_w + u(64.0);
            let share = s.profit_share.unwrap_or(0.0);
            let pw = bar_w * share.abs() / max_share;
            let colour = if share < 0.0 { LOSS } else { BRAND };
            root.draw(&Rectangle::new([(px as i32, (mid - bar_h / 2.0) as i32), ((px + pw) as i32, (mid + bar_h / 2.0) as i32)], colour.filled()))
                .map_err(|e| err(e.to_string()))?;
            let pct = s.profit_share.map_or("n/a".to_string(), |v| format!("{:.1}%", v * 100.0));
            root.draw(&Text::new(pct.clone(), ((px + pw + u(12.0)) as i32, text_top(mid)), font(TEXT_PX))).map_err(|e| err(e.to_string()))?;
            regions.push(Region { id: None, label: name.clone(), value: format!("{count} · {pct}"), x: left, y: mid - bar_h / 2.0, w: px + pw - left, h: bar_h });
        }
        Ok(regions)
    }
}

fn key(s: &SegmentStat) -> String {
    serde_json::to_value(s.segment).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::Segment;

    #[test]
    fn every_segment_is_drawn_with_its_count_and_share() {
        let stats: Vec<SegmentStat> = Segment::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| SegmentStat { segment: *s, count: i as u32 * 10, profit: 0.0, profit_share: Some(if i == 7 { -0.05 } else { 0.15 }) })
            .collect();
        let svg = segment_chart(&stats, Measure::Profit, "as of 2026-12-31", Lang::ZhCn, (960, 540), 1, ImageFormat::Svg).unwrap();
        let text = String::from_utf8(svg.bytes).unwrap();
        assert!(text.contains("重要价值") && text.contains("已流失") && text.contains("-5.0%") && text.contains("70"), "names, shares, counts");
        assert_eq!(svg.regions.len(), 8);
        let png = segment_chart(&stats, Measure::Profit, "", Lang::En, (1920, 1080), 2, ImageFormat::Png).unwrap();
        assert!(png.bytes.starts_with(b"\x89PNG"));
        assert!(segment_chart(&stats, Measure::Profit, "", Lang::En, (8, 540), 1, ImageFormat::Svg).is_err());
        // On a projector: a 40 px title, no text under 22 px.
        let big = String::from_utf8(segment_chart(&stats, Measure::Profit, "as of 2026-12-31", Lang::En, (1920, 1080), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
        let texts = crate::charts::tests::svg_texts(&big);
        assert!(texts[0].0 >= 40.0, "{:?}", texts[0]);
        assert!(texts.iter().all(|(size, _)| *size >= 22.0), "{texts:?}");
        // In the window (the Customers page asks for 960×440): 14 px at least.
        let small = String::from_utf8(segment_chart(&stats, Measure::Profit, "as of 2026-12-31", Lang::ZhCn, (960, 440), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
        let texts = crate::charts::tests::svg_texts(&small);
        assert!(texts.iter().all(|(size, _)| *size >= 14.0), "{texts:?}");
        // A ledger without profit: the shares are of revenue, and say so.
        let by_revenue = String::from_utf8(segment_chart(&stats, Measure::Revenue, "", Lang::ZhCn, (960, 540), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
        assert!(by_revenue.contains("营业额占比") && !by_revenue.contains("利润"), "{by_revenue}");
    }
}
