//! The segment summary: for each RFM segment, how many customers are in it
//! and what share of profit they make, side by side — the profit is not
//! where the customers are.

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::style::{BRAND, GREY, INK, INK_SOFT, LOSS};
use super::{paint, Area, ImageFormat, Painter, Region, Rendered, FAMILY};
use crate::i18n;
use crate::insight::segments::SegmentStat;
use crate::model::Lang;
use crate::{Error, Result};

/// The chart of `stats` (one per segment), titled with `subtitle` below.
pub fn segment_chart(stats: &[SegmentStat], subtitle: &str, lang: Lang, size: (u32, u32), scale: u32, format: ImageFormat) -> Result<Rendered> {
    paint(&Chart { stats, subtitle, lang }, size.0, size.1, scale, format)
}

struct Chart<'a> {
    stats: &'a [SegmentStat],
    subtitle: &'a str,
    lang: Lang,
}

impl Painter for Chart<'_> {
    fn paint<DB: DrawingBackend>(&self, root: &Area<'_, DB>, scale: u32) -> Result<Vec<Region>> {
        let err = |e: String| Error::Output(format!("the segment chart could not be drawn: {e}"));
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (f64::from(w), f64::from(h));
        // Sizes for a 960×540 canvas, grown with it (legible on a projector).
        let k = (w / f64::from(scale) / 960.0).min(h / f64::from(scale) / 540.0).clamp(0.7, 3.0) * f64::from(scale);
        let u = |v: f64| v * k;
        let font = |size: f64| (FAMILY, u(size)).into_font().color(&INK);
        let t = |key: &str| i18n::text(self.lang, key);
        let width_of = |text: &str, style: &TextStyle<'_>| f64::from(root.estimate_text_size(text, style).map_or(0, |(tw, _)| tw));
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        root.draw(&Text::new(t("chart.segments.title"), (u(20.0) as i32, u(10.0) as i32), (FAMILY, u(25.0), FontStyle::Bold).into_font().color(&INK)))
            .map_err(|e| err(e.to_string()))?;
        root.draw(&Text::new(self.subtitle.to_string(), (u(20.0) as i32, u(40.0) as i32), font(14.0).color(&INK_SOFT))).map_err(|e| err(e.to_string()))?;

        let names: Vec<String> = self.stats.iter().map(|s| i18n::text(self.lang, &format!("segment.{}", key(s)))).collect();
        let label_w = names.iter().map(|n| width_of(n, &font(15.0))).fold(0.0, f64::max) + u(16.0);
        let (top, bottom) = (u(76.0), h - u(16.0));
        let row_h = (bottom - top) / self.stats.len().max(1) as f64;
        let left = u(20.0) + label_w;
        let panel_w = (w - left - u(24.0)) / 2.0 - u(16.0);
        let max_count = self.stats.iter().map(|s| s.count).max().unwrap_or(0).max(1) as f64;
        let max_share = self.stats.iter().filter_map(|s| s.profit_share).map(f64::abs).fold(0.0, f64::max).max(1e-9);
        for (panel, key) in [(0.0, "chart.segments.count"), (1.0, "chart.segments.profit")] {
            let x = left + panel * (panel_w + u(32.0));
            root.draw(&Text::new(t(key), (x as i32, (top - u(22.0)) as i32), (FAMILY, u(15.0), FontStyle::Bold).into_font().color(&INK)))
                .map_err(|e| err(e.to_string()))?;
        }
        let mut regions = Vec::new();
        for (i, (s, name)) in self.stats.iter().zip(&names).enumerate() {
            let y = top + i as f64 * row_h;
            let bar_h = (row_h * 0.62).max(2.0);
            let mid = y + row_h / 2.0;
            root.draw(&Text::new(name.clone(), (u(20.0) as i32, (mid - u(9.0)) as i32), font(15.0))).map_err(|e| err(e.to_string()))?;
            // Customers.
            // Bars leave room for their label at the end.
            let bar_w = panel_w - u(56.0);
            let cw = bar_w * f64::from(s.count) / max_count;
            root.draw(&Rectangle::new([(left as i32, (mid - bar_h / 2.0) as i32), ((left + cw) as i32, (mid + bar_h / 2.0) as i32)], GREY.filled()))
                .map_err(|e| err(e.to_string()))?;
            let count = s.count.to_string();
            root.draw(&Text::new(count.clone(), ((left + cw + u(6.0)) as i32, (mid - u(8.0)) as i32), font(14.0))).map_err(|e| err(e.to_string()))?;
            // Profit share (losses drawn in red from the same axis).
            let px = left + panel_w + u(32.0);
            let share = s.profit_share.unwrap_or(0.0);
            let pw = bar_w * share.abs() / max_share;
            let colour = if share < 0.0 { LOSS } else { BRAND };
            root.draw(&Rectangle::new([(px as i32, (mid - bar_h / 2.0) as i32), ((px + pw) as i32, (mid + bar_h / 2.0) as i32)], colour.filled()))
                .map_err(|e| err(e.to_string()))?;
            let pct = s.profit_share.map_or("n/a".to_string(), |v| format!("{:.1}%", v * 100.0));
            root.draw(&Text::new(pct.clone(), ((px + pw + u(6.0)) as i32, (mid - u(8.0)) as i32), font(14.0))).map_err(|e| err(e.to_string()))?;
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
        let svg = segment_chart(&stats, "as of 2026-12-31", Lang::ZhCn, (960, 540), 1, ImageFormat::Svg).unwrap();
        let text = String::from_utf8(svg.bytes).unwrap();
        assert!(text.contains("重要价值") && text.contains("已流失") && text.contains("-5.0%") && text.contains("70"), "names, shares, counts");
        assert_eq!(svg.regions.len(), 8);
        let png = segment_chart(&stats, "", Lang::En, (1920, 1080), 2, ImageFormat::Png).unwrap();
        assert!(png.bytes.starts_with(b"\x89PNG"));
        assert!(segment_chart(&stats, "", Lang::En, (8, 540), 1, ImageFormat::Svg).is_err());
        // On a projector: a 40 px title, no text under 22 px.
        let big = String::from_utf8(segment_chart(&stats, "as of 2026-12-31", Lang::En, (1920, 1080), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
        let texts = crate::charts::tests::svg_texts(&big);
        assert!(texts[0].0 >= 40.0, "{:?}", texts[0]);
        assert!(texts.iter().all(|(size, _)| *size >= 22.0), "{texts:?}");
    }
}
