use super::*;
use crate::analysis::concentration::concentration;

fn values(names: &[(&str, f64)]) -> Vec<CustomerValue> {
    let mut v: Vec<CustomerValue> =
        names.iter().enumerate().map(|(i, (n, x))| CustomerValue { id: i as u32 + 1, name: n.to_string(), value: *x }).collect();
    rank(&mut v);
    v
}

fn spec(kind: ChartKind, lang: Lang) -> ChartSpec {
    ChartSpec {
        kind,
        measure: Measure::Profit,
        lang,
        width: 800,
        height: 500,
        scale: 1,
        currency: "¥".into(),
        subtitle: "2024".into(),
    }
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn sample() -> Vec<CustomerValue> {
    values(&[("华东钢铁有限公司", 75000.0), ("西部机械厂", 6000.0), ("南方五金商行", 4000.0), ("北方建材集团", -5000.0)])
}

#[test]
fn every_chart_renders_to_png_and_svg() {
    let v = sample();
    let c = concentration(&v, Thresholds::default());
    let trend = vec![TrendPoint {
        label: "2024".into(),
        from: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        customers: 4,
        top20_share: Some(0.9),
        customers_for_80: Some(1),
    }];
    let data = ChartData { ranked: &v, concentration: &c, trend: &trend };
    for kind in ChartKind::ALL {
        let png_out = render(&data, &spec(kind, Lang::En), ImageFormat::Png).unwrap();
        let (w, h, px) = decode(&png_out.bytes);
        assert_eq!((w, h), (800, 500), "{kind:?}");
        let non_white = px.chunks(3).filter(|p| p != &[255, 255, 255]).count();
        assert!(non_white > 5_000, "{kind:?}: not blank ({non_white} coloured pixels)");
        let svg = String::from_utf8(render(&data, &spec(kind, Lang::ZhCn), ImageFormat::Svg).unwrap().bytes).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{kind:?}");
    }
}

#[test]
fn png_scale_doubles_the_pixels() {
    let v = sample();
    let c = concentration(&v, Thresholds::default());
    let data = ChartData { ranked: &v, concentration: &c, trend: &[] };
    let s = ChartSpec { scale: 2, ..spec(ChartKind::Pareto, Lang::En) };
    let out = render(&data, &s, ImageFormat::Png).unwrap();
    assert_eq!(decode(&out.bytes).0, 1600);
    // Regions stay in unscaled chart pixels.
    assert!(out.regions.iter().all(|r| r.x + r.w <= 800.0 + 1.0));
}

#[test]
fn pareto_regions_name_each_customer_and_aggregate_the_rest() {
    let many: Vec<(String, f64)> = (0..120).map(|i| (format!("客户{i}"), 1000.0 - i as f64)).collect();
    let names: Vec<(&str, f64)> = many.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let v = values(&names);
    let c = concentration(&v, Thresholds::default());
    let out = render(&ChartData { ranked: &v, concentration: &c, trend: &[] }, &spec(ChartKind::Pareto, Lang::ZhCn), ImageFormat::Svg).unwrap();
    assert_eq!(out.regions.len(), PARETO_BARS + 1);
    assert_eq!(out.regions[0].id, Some(1));
    assert_eq!(out.regions[0].label, "客户0");
    assert_eq!(out.regions[PARETO_BARS].id, None);
    assert_eq!(out.regions[PARETO_BARS].label, "其他（70 个）");
    let svg = String::from_utf8(out.bytes).unwrap();
    assert!(svg.contains("帕累托图"), "title in the UI language");
}

/// Renders one text in PNG and counts its dark pixels' shape.
fn text_png(text: &str) -> Vec<u8> {
    register_font();
    let (w, h) = (400u32, 80u32);
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.draw(&Text::new(text.to_string(), (10, 10), (FAMILY, 40.0).into_font().color(&BLACK))).unwrap();
        root.present().unwrap();
    }
    rgb
}

#[test]
fn chinese_renders_as_glyphs_not_replacement_boxes() {
    let chinese = text_png("华东钢铁");
    let boxes = text_png("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}");
    let tofu = text_png("\u{10FFFD}\u{10FFFD}\u{10FFFD}\u{10FFFD}");
    let ink = |px: &[u8]| px.chunks(3).filter(|p| p[0] < 128).count();
    assert!(ink(&chinese) > 400, "glyphs were drawn: {}", ink(&chinese));
    assert_ne!(chinese, boxes, "not the replacement-character rendering");
    assert_ne!(chinese, tofu, "not the missing-glyph rendering");
    // Different characters give different pictures (a box font would not).
    assert_ne!(text_png("华东"), text_png("钢铁"));
}

#[test]
fn empty_selection_draws_a_message_not_a_crash() {
    let c = concentration(&[], Thresholds::default());
    for kind in ChartKind::ALL {
        let out = render(&ChartData { ranked: &[], concentration: &c, trend: &[] }, &spec(kind, Lang::En), ImageFormat::Png).unwrap();
        assert!(out.regions.is_empty());
    }
}

#[test]
fn numbers_are_grouped() {
    assert_eq!(group(1234567.8, 0), "1,234,568");
    assert_eq!(group(-1234.5, 2), "-1,234.50");
    assert_eq!(group(999.0, 0), "999");
    assert_eq!(group(-0.2, 0), "0");
}

#[test]
fn money_puts_the_sign_before_the_symbol() {
    let spec = spec(ChartKind::Pareto, Lang::En);
    let st = Style::new(&spec, 1);
    assert_eq!(st.money(-5000.0), format!("-{}5,000", spec.currency));
    assert_eq!(st.money(1234.4), format!("{}1,234", spec.currency));
    assert_eq!(st.money(-0.2), format!("{}0", spec.currency));
}

#[test]
fn long_curves_are_thinned_but_keep_ends_and_peak() {
    let pts: Vec<(f64, f64)> = (0..10_001).map(|i| (i as f64, if i == 4321 { 99.0 } else { (i % 7) as f64 })).collect();
    let t = thin(&pts);
    assert!(t.len() <= CURVE_POINTS + 2, "{}", t.len());
    assert_eq!(t.first(), pts.first());
    assert_eq!(t.last(), pts.last());
    assert!(t.contains(&(4321.0, 99.0)));
    assert_eq!(thin(&pts[..10]), pts[..10].to_vec());
}

#[test]
fn png_sizes_are_bounded_and_computed_without_overflow() {
    let data = crate::analysis::Dataset::default();
    let req = |width, height, scale| ChartRequest {
        kind: ChartKind::Pareto,
        measure: crate::analysis::Measure::Profit,
        filter: Default::default(),
        width,
        height,
        scale,
        lang: Lang::En,
        currency: "¥".into(),
    };
    for (w, h, s) in [(16_384, 16_384, 2), (16_384, 16_384, 1), (7_681, 4_320, 1), (1_920, 1_080, 3), (1_920, 1_080, 0)] {
        let err = chart(&data, &req(w, h, s), ImageFormat::Png).err().unwrap_or_else(|| panic!("{w}×{h}×{s} must be refused"));
        assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    }
    assert!(chart(&data, &req(640, 480, 2), ImageFormat::Png).is_ok());
    // SVG has no pixel buffer: any allowed size works.
    assert!(chart(&data, &req(16_384, 16_384, 1), ImageFormat::Svg).is_ok());
}

#[test]
fn the_whale_after_cost_takes_each_accounts_cost_off_its_profit() {
    use std::sync::Arc;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1);
    let customer = |id: u32, name: &str| crate::model::Customer { id, ext_id: None, name: name.into(), region: None, industry: None, attributes: Default::default(), declared: None };
    let line = |customer: u32, profit: f64| crate::analysis::values::DataLine { customer, date: day, revenue: Some(profit * 2.0), cost: Some(profit), profit: Some(profit), category: None };
    let data = Dataset {
        customers: Arc::new(vec![customer(1, "华东钢铁"), customer(2, "北方建材")]),
        lines: Arc::new(vec![line(1, 1000.0), line(2, 400.0)]),
        keys: Default::default(),
        categories: Default::default(),
    };
    let costs = std::collections::HashMap::from([(1, 1500.0)]);
    let out = whale_after_cost(&data, &costs, "after cost", Lang::En, "¥", (960, 540), ImageFormat::Svg).unwrap();
    let svg = String::from_utf8(out.bytes).unwrap();
    assert!(svg.contains("after cost"));
    // 北方建材 now leads; 华东钢铁 is below zero after its cost.
    let labels: Vec<&str> = out.regions.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["1. 北方建材", "2. 华东钢铁"]);
    assert!(out.regions[1].value.contains("-¥500"), "{:?}", out.regions);
    assert!(whale_after_cost(&data, &costs, "", Lang::En, "¥", (8, 8), ImageFormat::Svg).is_err());
}
