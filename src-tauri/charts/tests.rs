use super::*;
use crate::analysis::concentration::concentration;
use super::style::*;

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
    let data = ChartData { ranked: &v, concentration: &c, trend: &trend, revenue: &[] };
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
    let data = ChartData { ranked: &v, concentration: &c, trend: &[], revenue: &[] };
    let s = ChartSpec { scale: 2, ..spec(ChartKind::Pareto, Lang::En) };
    let out = render(&data, &s, ImageFormat::Png).unwrap();
    assert_eq!(decode(&out.bytes).0, 1600);
    // Regions stay in unscaled chart pixels.
    assert!(out.regions.iter().all(|r| r.x + r.w <= 800.0 + 1.0));
}

#[test]
fn pareto_bars_are_per_customer_up_to_100_then_per_percentile() {
    assert_eq!(pareto::bar_ranges(40), (0..40).map(|i| (i, i + 1)).collect::<Vec<_>>());
    let r = pareto::bar_ranges(793);
    assert_eq!(r.len(), 100);
    assert_eq!((r[0].0, r[99].1), (0, 793));
    assert!(r.windows(2).all(|w| w[0].1 == w[1].0), "contiguous");
    assert!(r.iter().all(|(a, b)| (7..=8).contains(&(b - a))), "even: {r:?}");
    assert!(pareto::bar_ranges(0).is_empty());
}

#[test]
fn pareto_regions_name_single_customers_and_group_percentiles() {
    let many: Vec<(String, f64)> = (0..250).map(|i| (format!("客户{i}"), 1000.0 - i as f64)).collect();
    let names: Vec<(&str, f64)> = many.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let v = values(&names);
    let c = concentration(&v, Thresholds::default());
    let out = render(&ChartData { ranked: &v, concentration: &c, trend: &[], revenue: &[] }, &spec(ChartKind::Pareto, Lang::ZhCn), ImageFormat::Svg).unwrap();
    assert_eq!(out.regions.len(), 100, "one bar per percentile");
    assert_eq!(out.regions[0].id, None);
    assert!(out.regions[0].label.starts_with("第 1–2 名客户：客户0, 客户1"), "{}", out.regions[0].label);
    let svg = String::from_utf8(out.bytes).unwrap();
    assert!(svg.contains("帕累托图"), "title in the UI language");
    // Few customers: one bar each, named.
    let v = sample();
    let c = concentration(&v, Thresholds::default());
    let out = render(&ChartData { ranked: &v, concentration: &c, trend: &[], revenue: &[] }, &spec(ChartKind::Pareto, Lang::En), ImageFormat::Svg).unwrap();
    let labels: Vec<&str> = out.regions.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["1. 华东钢铁有限公司", "2. 西部机械厂", "3. 南方五金商行", "4. 北方建材集团"]);
    assert_eq!(out.regions[0].id, Some(1));
}

/// The texts of an SVG with their font sizes.
pub(super) fn svg_texts(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text").skip(1)
        .map(|t| {
            let size = t.split("font-size=\"").nth(1).and_then(|r| r.split('"').next()).and_then(|n| n.parse().ok()).unwrap_or(0.0);
            let body = t.split('>').nth(1).and_then(|r| r.split('<').next()).unwrap_or("");
            (size, body.trim().replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
        })
        .collect()
}

/// A ledger of `n` customers whose profit falls off like a real one, some
/// losing money, with very long names.
fn ledger(n: u32) -> Dataset {
    use std::sync::Arc;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1);
    let customers = (1..=n)
        .map(|id| crate::model::Customer { id, ext_id: None, name: format!("高婷英贸易有限公司第{id}分公司（华东区）"), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None })
        .collect();
    let lines = (1..=n)
        .map(|id| {
            let revenue = 200_000.0 / f64::from(id).powf(0.6);
            let profit = if id % 9 == 0 { -revenue * 0.1 } else { 100_000.0 / f64::from(id) };
            crate::analysis::values::DataLine { customer: id, date: day, revenue: Some(revenue), cost: Some(revenue - profit), profit: Some(profit), category: None }
        })
        .collect();
    Dataset { customers: Arc::new(customers), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

/// The E2E layout ledger's shape: 240 customers, every ninth selling at a
/// loss, the largest a huge loss (one bar far below the others).
fn big_losses() -> Dataset {
    use std::sync::Arc;
    let day = chrono::NaiveDate::from_ymd_opt(2024, 6, 1);
    let names = ["高婷英贸易有限公司", "上海浦东新区高婷英国际贸易有限公司第二分公司", "Northwind Traders Wholesale & Logistics Ltd", "华东钢铁有限公司", "北方建材"];
    let customers = (0..240u32)
        .map(|i| crate::model::Customer { id: i + 1, ext_id: None, name: format!("{}{i}", names[i as usize % 5]), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None })
        .collect();
    let lines = (0..240u32)
        .map(|i| {
            let revenue = if i == 0 { 3.0 * 9_876_543.21 } else { f64::from((i * 7919) % 500_000 + 100) * 3.0 };
            let cost = if i % 9 == 0 { revenue * 1.2 } else { revenue * 0.7 };
            crate::analysis::values::DataLine { customer: i + 1, date: day, revenue: Some(revenue), cost: Some(cost), profit: Some(revenue - cost), category: None }
        })
        .collect();
    Dataset { customers: Arc::new(customers), lines: Arc::new(lines), keys: Default::default(), categories: Default::default() }
}

fn request(kind: ChartKind, lang: Lang, (width, height): (u32, u32)) -> ChartRequest {
    ChartRequest { kind, measure: Measure::Profit, filter: Default::default(), width, height, scale: 1, lang, currency: "¥".into() }
}

#[test]
fn on_a_projector_titles_are_40px_and_every_other_text_22px() {
    let data = ledger(793);
    for lang in [Lang::En, Lang::ZhCn] {
        for kind in ChartKind::ALL {
            let svg = String::from_utf8(chart(&data, &request(kind, lang, (1920, 1080)), ImageFormat::Svg).unwrap().bytes).unwrap();
            let texts = svg_texts(&svg);
            assert!(texts.len() > 5, "{kind:?}");
            assert!(texts[0].0 >= 40.0, "{kind:?} title {:?}", texts[0]);
            for (size, text) in &texts[1..] {
                assert!(*size >= 22.0, "{kind:?} {lang:?}: {text:?} is {size} px");
            }
            // Data lines at least 3 px (thin grid lines are <line>s).
            for width in svg.split("<polyline").skip(1).filter_map(|p| p.split("stroke-width=\"").nth(1)?.split('"').next()?.parse::<f64>().ok()) {
                assert!(width >= 3.0, "{kind:?}: a {width} px line");
            }
        }
    }
}

#[test]
fn the_pareto_and_the_whale_annotate_the_top_20_percent() {
    let data = ledger(793);
    let mut ranked = data.values(Measure::Profit, &Filter::default());
    rank(&mut ranked);
    let c = concentration_of_ranked(&ranked, Thresholds::default());
    let headline = format!("20% of customers → {:.1}% of profit", c.top20_share.unwrap() * 100.0);
    for kind in [ChartKind::Pareto, ChartKind::Whale, ChartKind::RevenueVsProfit] {
        let svg = String::from_utf8(chart(&data, &request(kind, Lang::En, (1920, 1080)), ImageFormat::Svg).unwrap().bytes).unwrap();
        let texts: Vec<String> = svg_texts(&svg).into_iter().map(|t| t.1).collect();
        assert!(texts.contains(&headline), "{kind:?}: {headline} in {texts:?}");
    }
    let svg = String::from_utf8(chart(&data, &request(ChartKind::Pareto, Lang::En, (1920, 1080)), ImageFormat::Svg).unwrap().bytes).unwrap();
    let k = c.customers_for_80.unwrap();
    assert!(svg.contains(&format!("80% of profit ← {k} customers")), "the 80% crossing");
    assert!(svg.contains("Top customers"));
}

#[test]
fn profit_vs_revenue_puts_both_shares_of_the_top_20_percent_side_by_side() {
    let data = ledger(100);
    let mut by_profit = data.values(Measure::Profit, &Filter::default());
    rank(&mut by_profit);
    let revenue: std::collections::HashMap<u32, f64> = data.values(Measure::Revenue, &Filter::default()).into_iter().map(|v| (v.id, v.value)).collect();
    let total: f64 = revenue.values().sum();
    let top: f64 = by_profit[..20].iter().map(|v| revenue[&v.id]).sum();
    let out = chart(&data, &request(ChartKind::RevenueVsProfit, Lang::ZhCn, (1920, 1080)), ImageFormat::Svg).unwrap();
    let svg = String::from_utf8(out.bytes).unwrap();
    assert!(svg.contains(&format!("但只占营业额的 {:.1}%", top / total * 100.0)), "revenue share of the top 20% by profit");
    assert_eq!(out.regions.len(), 100);
    assert!(out.regions[0].value.contains("¥100,000"), "{:?}", out.regions[0]);
}

#[test]
fn long_names_are_never_cut_without_an_ellipsis() {
    let data = ledger(60);
    for (kind, size) in [(ChartKind::Pareto, (1920, 1080)), (ChartKind::Pareto, (900, 460))] {
        let svg = String::from_utf8(chart(&data, &request(kind, Lang::ZhCn, size), ImageFormat::Svg).unwrap().bytes).unwrap();
        let named: Vec<String> = svg_texts(&svg).into_iter().map(|t| t.1).filter(|t| t.contains("高婷英")).collect();
        assert_eq!(named.len(), 5, "{size:?}: the top five are named");
        for t in named {
            assert!(t.contains("（华东区）") || t.contains('…'), "{size:?}: {t:?} cut without a mark");
        }
        assert!(svg.contains('…'), "names this long do not fit in the note at {size:?}");
    }
}

#[test]
fn count_axes_show_whole_numbers() {
    let mut data = ledger(30);
    // Lines over two years: a quarterly trend.
    let lines: Vec<_> = data.lines.iter().enumerate().map(|(i, l)| crate::analysis::values::DataLine { date: chrono::NaiveDate::from_ymd_opt(2025 + (i % 2) as i32, 1 + (i % 12) as u32, 1), ..*l }).collect();
    data.lines = std::sync::Arc::new(lines);
    let svg = String::from_utf8(chart(&data, &request(ChartKind::Trend, Lang::En, (1920, 1080)), ImageFormat::Svg).unwrap().bytes).unwrap();
    let numbers: Vec<String> = svg_texts(&svg).into_iter().map(|t| t.1).filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')).collect();
    assert!(!numbers.is_empty());
    assert!(numbers.iter().all(|n| !n.contains('.')), "{numbers:?}");
}

#[test]
fn regions_are_in_canvas_pixels_over_what_they_describe() {
    let v = sample();
    let c = concentration(&v, Thresholds::default());
    let s = spec(ChartKind::Pareto, Lang::En);
    let out = render(&ChartData { ranked: &v, concentration: &c, trend: &[], revenue: &[] }, &s, ImageFormat::Png).unwrap();
    let (w, _, px) = decode(&out.bytes);
    // The middle of the first bar (the top customer, class A) is painted in
    // the class A colour.
    let r = &out.regions[0];
    let (x, y) = ((r.x + r.w / 2.0) as u32, (r.y + r.h / 2.0) as u32);
    let i = ((y * w + x) * 3) as usize;
    assert_eq!(&px[i..i + 3], &[style::BRAND.0, style::BRAND.1, style::BRAND.2], "region {r:?}");
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
        let out = render(&ChartData { ranked: &[], concentration: &c, trend: &[], revenue: &[] }, &spec(kind, Lang::En), ImageFormat::Png).unwrap();
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
        assert!(matches!(err, Error::Refused(_)), "{err:?}");
    }
    assert!(chart(&data, &req(640, 480, 2), ImageFormat::Png).is_ok());
    // SVG has no pixel buffer: any allowed size works.
    assert!(chart(&data, &req(16_384, 16_384, 1), ImageFormat::Svg).is_ok());
}

#[test]
fn the_whale_after_cost_takes_each_accounts_cost_off_its_profit() {
    use std::sync::Arc;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1);
    let customer = |id: u32, name: &str| crate::model::Customer { id, ext_id: None, name: name.into(), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None };
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

#[test]
fn a_chart_reads_back_as_rgba_for_the_clipboard() {
    let v = sample();
    let c = concentration(&v, Thresholds::default());
    let png = render(&ChartData { ranked: &v, concentration: &c, trend: &[], revenue: &[] }, &spec(ChartKind::Pareto, Lang::En), ImageFormat::Png).unwrap();
    let b = Bitmap::from_png(&png.bytes).unwrap();
    assert_eq!((b.width, b.height, b.rgba.len()), (800, 500, 800 * 500 * 4));
    assert_eq!(&b.rgba[..4], &[255, 255, 255, 255], "white, opaque corner");
    assert!(Bitmap::from_png(b"not a png").is_err());
}

#[test]
fn the_class_fills_stay_apart_printed_in_grey() {
    let grey = |c: RGBColor| 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    let fills = [BRAND, BRAND_LIGHT, GREY, WHITE];
    for (i, a) in fills.iter().enumerate() {
        for b in &fills[i + 1..] {
            assert!((grey(*a) - grey(*b)).abs() >= 40.0, "{a:?} and {b:?} print as nearly the same grey");
        }
    }
}

/// Quarters where the top 20% make more than the whole (losses elsewhere).
fn over_100_trend() -> Vec<TrendPoint> {
    let day = |m| chrono::NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
    [(1, 0.82), (4, 1.12), (7, 1.31), (10, 0.95)]
        .into_iter()
        .map(|(m, s)| TrendPoint { label: format!("2025 Q{}", m / 3 + 1), from: day(m), to: day(m + 2), customers: 40, top20_share: Some(s), customers_for_80: Some(6) })
        .collect()
}

/// An account's people: a boss and four reports, titles long and short.
fn relationship_people() -> Vec<crate::notebook::Contact> {
    use crate::notebook::{Attitude, Contact, Influence, Level};
    let person = |id: u64, name: &str, title: &str, boss: Option<u64>, attitude, influence| Contact {
        id,
        name: name.into(),
        title: title.into(),
        reports_to: boss,
        attitude,
        influence,
        level: Some(Level::Management),
        ..Default::default()
    };
    vec![
        person(1, "Tamara Chand", "Managing director", None, Some(Attitude::Supporter), Some(Influence::High)),
        person(2, "Linda Park", "Office manager", Some(1), Some(Attitude::Neutral), Some(Influence::Medium)),
        person(3, "上海浦东新区采购部王经理", "采购经理", Some(1), Some(Attitude::Opponent), None),
        person(4, "Jennifer Lopez-Hamilton", "Head of procurement and logistics", Some(1), None, Some(Influence::Low)),
        person(5, "赵强", "IT", Some(2), None, None),
    ]
}

/// An SVG's `<rect>`s as (x, y, width, height, fill, opacity).
fn svg_rects(svg: &str) -> Vec<(f64, f64, f64, f64, String, String)> {
    let attr = |t: &str, name: &str| t.split(&format!(" {name}=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string();
    let num = |t: &str, name: &str| attr(t, name).parse::<f64>().unwrap_or(0.0);
    svg.split("<rect").skip(1).map(|t| (num(t, "x"), num(t, "y"), num(t, "width"), num(t, "height"), attr(t, "fill"), attr(t, "opacity"))).collect()
}

/// An SVG's texts as (x, y, textLength, anchor, text).
fn svg_text_boxes(svg: &str) -> Vec<(f64, f64, f64, String, String)> {
    let attr = |t: &str, name: &str| t.split(&format!(" {name}=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string();
    let num = |t: &str, name: &str| attr(t, name).parse::<f64>().unwrap_or(0.0);
    svg.split("<text").skip(1)
        .map(|t| {
            let body = t.split('>').nth(1).and_then(|r| r.split('<').next()).unwrap_or("").trim().to_string();
            (num(t, "x"), num(t, "y"), num(t, "textLength"), attr(t, "text-anchor"), body)
        })
        .collect()
}

#[test]
fn svg_text_is_drawn_as_wide_as_it_was_measured() {
    // The font's height over its em, as plotters (ab_glyph) sizes text.
    let face = ttf_parser::Face::parse(FONT, 0).unwrap();
    let height = f64::from(face.ascender() - face.descender()) / f64::from(face.units_per_em());
    assert!((height - FONT_HEIGHT_PER_EM).abs() < 1e-9, "{height}");
    register_font();
    let size = 22.0 * FONT_HEIGHT_PER_EM;
    let written = size / PLOTTERS_SVG_EM;
    let svg = format!("<svg><text x=\"1\" y=\"2\" font-size=\"{written}\" font-weight=\"bold\">\nTop &amp; customers</text>\n<text x=\"0\" font-size=\"9\">\n</text></svg>");
    let pinned = pin_svg_text(&svg);
    let width = FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Bold).box_size("Top & customers").unwrap().0;
    assert_eq!(
        pinned,
        format!("<svg><text x=\"1\" y=\"2\" font-size=\"22\" font-weight=\"bold\" textLength=\"{width}\" lengthAdjust=\"spacingAndGlyphs\">\nTop &amp; customers</text>\n<text x=\"0\" font-size=\"9.52\">\n</text></svg>")
    );
    // Every text of a chart is pinned.
    let data = ledger(60);
    let svg = String::from_utf8(chart(&data, &request(ChartKind::Pareto, Lang::ZhCn, (1000, 460)), ImageFormat::Svg).unwrap().bytes).unwrap();
    for t in svg.split("<text").skip(1).filter(|t| !t.split('>').nth(1).unwrap_or("").trim().starts_with('<')) {
        assert!(t.contains("textLength=") && t.contains("lengthAdjust=\"spacingAndGlyphs\""), "{t}");
    }
}

#[test]
fn notes_sit_where_no_data_is_and_fit_their_text() {
    let bar_fills: Vec<String> = [BRAND, BRAND_LIGHT, GREY, LOSS].iter().map(|c| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)).collect();
    for (name, data) in [("60", ledger(60)), ("793", ledger(793)), ("losses", big_losses())] {
        for size in [(900, 460), (1000, 460), (1550, 700), (1920, 1080)] {
            for lang in [Lang::En, Lang::ZhCn] {
                let at = format!("{name} {size:?} {lang:?}");
                let svg = String::from_utf8(chart(&data, &request(ChartKind::Pareto, lang, size), ImageFormat::Svg).unwrap().bytes).unwrap();
                let rects = svg_rects(&svg);
                let boxes: Vec<_> = rects.iter().filter(|r| r.4 == "#FFFFFF" && r.5 == "0.94").collect();
                let bars: Vec<_> = rects.iter().filter(|r| bar_fills.contains(&r.4) && r.5 == "1").collect();
                assert!(boxes.len() >= 2, "{at}: the 20%/80% note and the top customers");
                let title_band = 116.0 * style::zoom(f64::from(size.0), f64::from(size.1));
                for b in &boxes {
                    assert!(b.1 > title_band && b.0 >= 0.0 && b.0 + b.2 <= f64::from(size.0) && b.1 + b.3 <= f64::from(size.1), "{at}: box {b:?} off the plot");
                    for bar in bars.iter().filter(|bar| bar.1 > title_band) {
                        let apart = bar.0 + bar.2 <= b.0 || b.0 + b.2 <= bar.0 || bar.1 + bar.3 <= b.1 || b.1 + b.3 <= bar.1;
                        assert!(apart, "{at}: box {b:?} covers bar {bar:?}");
                    }
                }
                for (x, y, len, anchor, text) in svg_text_boxes(&svg) {
                    if let Some(b) = boxes.iter().find(|b| x >= b.0 && x <= b.0 + b.2 && y >= b.1 && y <= b.1 + b.3) {
                        assert_eq!(anchor, "start", "{at}: {text}");
                        assert!(x + len <= b.0 + b.2 + 0.5, "{at}: {text:?} ({x}+{len}) runs past its box {b:?}");
                    }
                }
                let named = svg_texts(&svg).into_iter().filter(|t| t.1.starts_with("1. ")).count();
                assert_eq!(named, 1, "{at}: the top customer is named");
            }
        }
    }
}

#[test]
fn a_share_above_100_percent_says_why_on_the_trend_and_the_pareto() {
    let v = sample();
    let c = concentration(&v, Thresholds::default());
    let draw = |trend: &[TrendPoint]| {
        let out = render(&ChartData { ranked: &v, concentration: &c, trend, revenue: &[] }, &spec(ChartKind::Trend, Lang::En), ImageFormat::Svg).unwrap();
        svg_texts(&String::from_utf8(out.bytes).unwrap()).into_iter().map(|t| t.1).collect::<Vec<_>>().join(" ")
    };
    let why = "Above 100%: customers below zero take back part of the profit the others make.";
    assert!(draw(&over_100_trend()).contains(why), "{}", draw(&over_100_trend()));
    let below: Vec<TrendPoint> = over_100_trend().into_iter().map(|p| TrendPoint { top20_share: Some(0.9), ..p }).collect();
    assert!(!draw(&below).contains("Above 100%"), "nothing to explain");
    // The Pareto's curve runs above 100% with the sample's loss, and says why too.
    let data = big_losses();
    let svg = String::from_utf8(chart(&data, &request(ChartKind::Pareto, Lang::En, (1920, 1080)), ImageFormat::Svg).unwrap().bytes).unwrap();
    let text = svg_texts(&svg).into_iter().map(|t| t.1).collect::<Vec<_>>().join(" ");
    assert!(text.contains("Above 100%"), "{text}");
}

#[test]
fn every_text_reads_in_the_window_at_14_px_or_more() {
    let data = ledger(60);
    for kind in ChartKind::ALL {
        for lang in [Lang::En, Lang::ZhCn] {
            let svg = String::from_utf8(chart(&data, &request(kind, lang, (1000, 460)), ImageFormat::Svg).unwrap().bytes).unwrap();
            for (size, text) in svg_texts(&svg) {
                assert!(size >= 14.0, "{kind:?} {lang:?}: {text:?} is {size} px");
            }
        }
    }
    let stats: Vec<crate::insight::segments::SegmentStat> = crate::insight::Segment::ALL
        .iter()
        .map(|s| crate::insight::segments::SegmentStat { segment: *s, count: 3, profit: 1.0, profit_share: Some(0.125) })
        .collect();
    let svg = String::from_utf8(segments::segment_chart(&stats, Measure::Profit, "as of 2024-12-28", Lang::ZhCn, (960, 440), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
    assert!(svg_texts(&svg).iter().all(|(size, _)| *size >= 14.0), "the segment summary: {:?}", svg_texts(&svg));
    let people = relationship_people();
    let refs: Vec<&crate::notebook::Contact> = people.iter().collect();
    let svg = String::from_utf8(relationship::relationship_map("Tamara Chand", &refs, Lang::ZhCn, (640, 420), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
    assert!(svg_texts(&svg).iter().all(|(size, _)| *size >= 14.0), "the relationship map: {:?}", svg_texts(&svg));
}
