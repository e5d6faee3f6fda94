//! Lays the pack out on 16:9 pages (960×540 pt, 338.7×190.5 mm) and writes
//! the PDF with krilla: text is real text in the embedded (subset) CJK
//! font, the charts' SVG is drawn as vectors through krilla-svg, with the
//! same font given to usvg for the charts' "sans-serif".

use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};

use super::text::{ellipsize, width, wrap, FAMILY, FONT};
use super::{AccountPage, AccountRow, Pack, PackChart, NEXT_ACTIONS, RECENT_TOUCHES};
use crate::accounts::AccountType;
use crate::i18n;
use crate::insight::health::HealthBand;
use crate::model::Lang;
use crate::notebook::{Attitude, Function, Level};
use crate::{Error, Result};

/// The page: 16:9, as a projector or a slide shows it.
pub const PAGE_W: f32 = 960.0;
pub const PAGE_H: f32 = 540.0;
const MARGIN: f32 = 40.0;

/// Where a chart goes on its page.
const CHART_TOP: f32 = 78.0;
const CHART_BOTTOM: f32 = 500.0;

/// The chart canvas height (pixels) that fills the chart area at
/// [`super::CHART_WIDTH`] pixels wide.
pub fn chart_height() -> u32 {
    let (w, h) = (PAGE_W - 2.0 * MARGIN, CHART_BOTTOM - CHART_TOP);
    (super::CHART_WIDTH as f32 * h / w).round() as u32
}

/// Rows of the key-accounts table on one page.
pub const ROWS_PER_PAGE: usize = 14;

/// Pages of a pack with `charts` charts and `accounts` key accounts: the
/// cover, a page per chart, the table (one page at least) and a page per
/// account.
pub fn page_count(charts: usize, accounts: usize) -> usize {
    1 + charts + accounts.div_ceil(ROWS_PER_PAGE).max(1) + accounts
}

type Rgb = (u8, u8, u8);
const BRAND: Rgb = (15, 94, 99);
const BRAND_PALE: Rgb = (231, 241, 240);
const INK: Rgb = (22, 48, 47);
const MUTED: Rgb = (96, 116, 115);
const RULE: Rgb = (214, 223, 222);
const SUPPORTER: Rgb = (215, 237, 222);
const NEUTRAL: Rgb = (250, 236, 204);
const OPPONENT: Rgb = (246, 214, 210);
const EMPTY: Rgb = (244, 246, 246);
const LOW: Rgb = (200, 60, 50);
const MID: Rgb = (190, 120, 20);
const HIGH: Rgb = (40, 130, 80);

fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

/// The fonts usvg draws the charts' text with: the embedded font, also as
/// "sans-serif" (what plotters writes), no system fonts.
fn font_db() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(FONT)));
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Drawing on one page: text with its baseline at `y`, boxes, rules.
struct Canvas<'a, 'b> {
    s: &'a mut Surface<'b>,
    font: Font,
}

impl Canvas<'_, '_> {
    fn fill(&mut self, c: Rgb) {
        self.s.set_fill(Some(Fill { paint: color(c).into(), opacity: NormalizedF32::ONE, rule: Default::default() }));
    }

    fn text(&mut self, x: f32, y: f32, size: f32, c: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        self.fill(c);
        self.s.draw_text(Point::from_xy(x, y), self.font.clone(), size, text, false, TextDirection::Auto);
    }

    /// One line cut with "…" to `max` points wide.
    fn line(&mut self, x: f32, y: f32, size: f32, c: Rgb, max: f32, text: &str) {
        self.text(x, y, size, c, &ellipsize(text, size, max));
    }

    fn right(&mut self, right: f32, y: f32, size: f32, c: Rgb, text: &str) {
        self.text(right - width(text, size), y, size, c, text);
    }

    /// A paragraph of at most `lines` lines from `(x, baseline)`; returns
    /// the baseline after it.
    fn para(&mut self, (x, y): (f32, f32), size: f32, c: Rgb, max: f32, lines: usize, text: &str) -> f32 {
        let lead = size * 1.35;
        let mut y = y;
        for l in wrap(text, size, max, lines) {
            self.text(x, y, size, c, &l);
            y += lead;
        }
        y
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb) {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(x, y, w.max(0.1), h.max(0.1)) {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            self.fill(c);
            self.s.set_stroke(None);
            self.s.draw_path(&path);
        }
    }

    fn outline(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb) {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            self.s.set_fill(None);
            self.s.set_stroke(Some(Stroke { paint: color(c).into(), width: 1.0, ..Default::default() }));
            self.s.draw_path(&path);
            self.s.set_stroke(None);
        }
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32, c: Rgb) {
        self.rect(x1, y, x2 - x1, 0.8, c);
    }
}

/// The words of the pack in its language.
struct Words {
    lang: Lang,
}

impl Words {
    fn t(&self, key: &str) -> String {
        i18n::text(self.lang, key)
    }

    fn f(&self, key: &str, params: &[(&str, String)]) -> String {
        i18n::format(self.lang, key, params)
    }

    fn key<T: serde::Serialize>(&self, prefix: &str, v: T) -> String {
        let name = serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        self.t(&format!("{prefix}.{name}"))
    }

    fn account_type(&self, t: Option<AccountType>) -> String {
        t.map_or_else(|| self.t("pack.type_not_set"), |t| self.key("type", t))
    }

    fn money(&self, currency: &str, v: f64) -> String {
        let grouped = crate::charts::style::group(v, 0);
        match grouped.strip_prefix('-') {
            Some(digits) => format!("-{currency}{digits}"),
            None => format!("{currency}{grouped}"),
        }
    }
}

/// Writes `pack` as a PDF; `step` is called after each page.
pub fn write(pack: &Pack, step: &dyn Fn()) -> Result<Vec<u8>> {
    let w = Words { lang: pack.lang };
    let font = Font::new(FONT.into(), 0).ok_or_else(|| Error::Output("the embedded font could not be read".into()))?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} · {}", w.t("pack.title"), pack.period))
            .creator(w.t("app.name"))
            .language(pack.lang.tag().to_string()),
    );
    let total = page_count(pack.charts.len(), pack.table.len());
    let mut number = 0;
    let mut page = |draw: &mut dyn FnMut(&mut Canvas<'_, '_>) -> Result<()>| -> Result<()> {
        number += 1;
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| Error::Output("bad page size".into()))?;
        let mut p = doc.start_page_with(settings);
        {
            let mut s = p.surface();
            let mut c = Canvas { s: &mut s, font: font.clone() };
            draw(&mut c)?;
            footer(&mut c, &w, pack, number, total);
            s.finish();
        }
        p.finish();
        step();
        Ok(())
    };
    page(&mut |c| {
        cover(c, &w, pack);
        Ok(())
    })?;
    for chart in &pack.charts {
        page(&mut |c| chart_page(c, chart))?;
    }
    let chunks: Vec<&[AccountRow]> = if pack.table.is_empty() { vec![&[]] } else { pack.table.chunks(ROWS_PER_PAGE).collect() };
    let pages = chunks.len();
    for (i, rows) in chunks.into_iter().enumerate() {
        page(&mut |c| {
            table_page(c, &w, rows, i, pages);
            Ok(())
        })?;
    }
    for a in &pack.accounts {
        page(&mut |c| {
            account_page(c, &w, pack, a);
            Ok(())
        })?;
    }
    doc.set_outline(outline(pack, &w, pages));
    doc.finish().map_err(|e| Error::Output(format!("the PDF could not be written: {e:?}")))
}

/// The bookmarks a PDF viewer lists: the cover, each chart, the table with
/// each account's page under it.
fn outline(pack: &Pack, w: &Words, table_pages: usize) -> Outline {
    let at = |page: usize| XyzDestination::new(page, Point::from_xy(0.0, 0.0));
    let mut outline = Outline::new();
    outline.push_child(OutlineNode::new(w.t("pack.title"), at(0)));
    for (i, chart) in pack.charts.iter().enumerate() {
        outline.push_child(OutlineNode::new(chart.title.clone(), at(1 + i)));
    }
    let table = 1 + pack.charts.len();
    let mut accounts = OutlineNode::new(w.t("accounts.title"), at(table)).with_open(true);
    for (i, a) in pack.accounts.iter().enumerate() {
        accounts.push_child(OutlineNode::new(a.row.name.clone(), at(table + table_pages + i)));
    }
    outline.push_child(accounts);
    outline
}

fn footer(c: &mut Canvas<'_, '_>, w: &Words, pack: &Pack, number: usize, total: usize) {
    let y = PAGE_H - 16.0;
    c.rule(MARGIN, y - 14.0, PAGE_W - MARGIN, RULE);
    c.line(MARGIN, y, 9.0, MUTED, 600.0, &format!("{} · {} · {}", w.t("app.name"), w.t("pack.title"), pack.period));
    c.right(PAGE_W - MARGIN, y, 9.0, MUTED, &w.f("pack.page", &[("n", number.to_string()), ("total", total.to_string())]));
}

/// The page's title, ending before `right` (points kept free at the right
/// edge): a long one is set smaller (down to 18 pt), then cut with "…".
fn title(c: &mut Canvas<'_, '_>, text: &str, right: f32) {
    c.rect(0.0, 0.0, 10.0, PAGE_H, BRAND);
    let max = PAGE_W - 2.0 * MARGIN - right;
    let size = (26.0 * max / width(text, 26.0).max(1.0)).clamp(18.0, 26.0);
    c.line(MARGIN, 52.0, size, INK, max, text);
}

fn cover(c: &mut Canvas<'_, '_>, w: &Words, pack: &Pack) {
    c.rect(0.0, 0.0, PAGE_W, 200.0, BRAND);
    c.text(MARGIN + 20.0, 70.0, 20.0, BRAND_PALE, &w.t("app.name"));
    c.line(MARGIN + 20.0, 128.0, 44.0, (255, 255, 255), PAGE_W - 2.0 * MARGIN - 40.0, &w.t("pack.title"));
    let date = pack.data_date.map_or("—".to_string(), |d| i18n::date(w.lang, d));
    let sub = w.f("chart.subtitle", &[("period", pack.period.clone()), ("date", date)]);
    c.line(MARGIN + 20.0, 170.0, 16.0, BRAND_PALE, PAGE_W - 2.0 * MARGIN - 40.0, &sub);
    let max = PAGE_W - 2.0 * MARGIN - 40.0;
    let mut y = c.para((MARGIN + 20.0, 262.0), 26.0, INK, max, 3, &pack.headline_text);
    if !pack.risk.is_empty() {
        y += 6.0;
        c.text(MARGIN + 20.0, y, 13.0, BRAND, &w.t("risk.title"));
        y += 24.0;
        for sentence in pack.risk.iter().take(4) {
            if y > PAGE_H - 60.0 {
                break;
            }
            y = c.para((MARGIN + 20.0, y), 15.0, INK, max, 2, sentence) + 4.0;
        }
    }
}

fn chart_page(c: &mut Canvas<'_, '_>, chart: &PackChart) -> Result<()> {
    title(c, &chart.title, 0.0);
    let opts = usvg::Options { fontdb: font_db(), font_family: FAMILY.to_string(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(&chart.svg, &opts).map_err(|e| Error::Output(format!("a chart could not be read: {e}")))?;
    let (w, h) = (PAGE_W - 2.0 * MARGIN, CHART_BOTTOM - CHART_TOP);
    // Fit the chart's own size into the area, keeping its proportions.
    let scale = (w / tree.size().width()).min(h / tree.size().height());
    let size = Size::from_wh(tree.size().width() * scale, tree.size().height() * scale).ok_or_else(|| Error::Output("a chart has no size".into()))?;
    c.s.push_transform(&Transform::from_translate(MARGIN + (w - size.width()) / 2.0, CHART_TOP));
    c.s.draw_svg(&tree, size, SvgSettings::default());
    c.s.pop();
    Ok(())
}

/// Column edges of the key-accounts table: name, type, phase, days, next
/// action, health.
const COLS: [f32; 7] = [MARGIN, 290.0, 400.0, 510.0, 600.0, 850.0, PAGE_W - MARGIN];

fn table_page(c: &mut Canvas<'_, '_>, w: &Words, rows: &[AccountRow], page: usize, pages: usize) {
    let heading = if pages > 1 { format!("{} ({}/{})", w.t("accounts.title"), page + 1, pages) } else { w.t("accounts.title") };
    title(c, &heading, 0.0);
    let top = 92.0;
    let heads = ["export.col.name", "export.col.type", "export.col.phase", "export.col.days_in_phase", "export.col.next_action", "health.title"];
    for (i, key) in heads.iter().enumerate() {
        let (x0, x1) = (COLS[i], COLS[i + 1]);
        let label = ellipsize(&w.t(key), 11.0, x1 - x0 - 10.0);
        if i == 3 || i == 5 {
            c.right(x1 - 8.0, top, 11.0, MUTED, &label);
        } else {
            c.text(x0, top, 11.0, MUTED, &label);
        }
    }
    c.rule(MARGIN, top + 8.0, PAGE_W - MARGIN, INK);
    if rows.is_empty() {
        c.text(MARGIN, top + 36.0, 14.0, MUTED, &w.t("pack.no_accounts"));
        return;
    }
    let row_h = 27.0;
    for (i, r) in rows.iter().enumerate() {
        let y = top + 8.0 + row_h * (i as f32 + 1.0) - 9.0;
        if i % 2 == 1 {
            c.rect(MARGIN, y - 18.0, PAGE_W - 2.0 * MARGIN, row_h, EMPTY);
        }
        let cell = |i: usize| COLS[i + 1] - COLS[i] - 10.0;
        c.line(COLS[0], y, 12.0, INK, cell(0), &r.name);
        c.line(COLS[1], y, 12.0, INK, cell(1), &w.account_type(r.account_type));
        c.line(COLS[2], y, 12.0, INK, cell(2), &w.key("phase", r.phase));
        c.right(COLS[4] - 8.0, y, 12.0, INK, &r.days_in_phase.to_string());
        let next = r.next_action.as_ref().map_or_else(|| w.t("accounts.actions.none"), |a| format!("{} · {}", i18n::date(w.lang, a.due), a.text));
        c.line(COLS[4], y, 12.0, if r.next_action.is_some() { INK } else { MUTED }, cell(4), &next);
        let health = r.health.map_or("—".to_string(), |s| s.to_string());
        c.right(COLS[6] - 8.0, y, 12.0, r.health.map_or(MUTED, score_color), &health);
    }
}

/// The colour of health's band for `score` (the bands the app shows).
fn score_color(score: u8) -> Rgb {
    match HealthBand::of(score) {
        HealthBand::Red => LOW,
        HealthBand::Amber => MID,
        HealthBand::Green => HIGH,
    }
}

/// A section heading in a column; returns the baseline below it.
fn heading(c: &mut Canvas<'_, '_>, x: f32, y: f32, max: f32, text: &str) -> f32 {
    c.line(x, y, 13.0, BRAND, max, text);
    c.rule(x, y + 5.0, x + max, RULE);
    y + 22.0
}

fn account_page(c: &mut Canvas<'_, '_>, w: &Words, pack: &Pack, a: &AccountPage) {
    let r = &a.row;
    let score = a.health.as_ref().map(|h| (format!("{} {}/100", w.t("health.title"), h.score), score_color(h.score)));
    let score_w = score.as_ref().map_or(0.0, |(text, _)| width(text, 22.0) + 24.0);
    title(c, &r.name, score_w);
    if let Some((text, color)) = &score {
        c.right(PAGE_W - MARGIN, 52.0, 22.0, *color, text);
    }
    let days = i18n::format(w.lang, if r.days_in_phase == 1 { "count.days_in_phase.one" } else { "count.days_in_phase.other" }, &[("n", r.days_in_phase.to_string())]);
    let mut facts = format!("{} · {} · {days}", w.account_type(r.account_type), w.key("phase", r.phase));
    if let Some(v) = r.value {
        let label = if pack.measure == crate::analysis::Measure::Profit { "export.col.profit" } else { "export.col.revenue" };
        facts.push_str(&format!(" · {} {}", w.t(label), w.money(&pack.currency, v)));
    }
    c.line(MARGIN, 74.0, 12.0, MUTED, 560.0, &facts);
    let (top, col_w, gap) = (104.0, 275.0, 27.5);
    let xs = [MARGIN, MARGIN + col_w + gap, MARGIN + 2.0 * (col_w + gap)];
    let bottom = PAGE_H - 44.0;

    // Column 1: the type and its strategy card.
    let x = xs[0];
    let mut y = match a.card {
        Some((t, confirmed)) => {
            let head = w.f("accounts.strategy.title", &[("type", w.key("type", t))]);
            let mut y = heading(c, x, top, col_w, &head);
            if !confirmed {
                y = c.para((x, y), 10.0, MUTED, col_w, 2, &w.f("accounts.type.suggested", &[("type", w.key("type", t))])) + 2.0;
            }
            let name = t.name();
            for (label, key, lines) in [("accounts.strategy.who", format!("type.{name}.who"), 3), ("accounts.strategy.serve", format!("strategy.{name}.serve"), 6), ("accounts.strategy.watch", format!("strategy.{name}.watch"), 4)] {
                c.text(x, y, 9.5, MUTED, &w.t(label));
                y = c.para((x, y + 14.0), 10.5, INK, col_w, lines, &w.t(&key)) + 6.0;
            }
            y
        }
        None => {
            let y = heading(c, x, top, col_w, &w.t("accounts.type.title"));
            c.para((x, y), 10.5, MUTED, col_w, 3, &w.t("accounts.type.none"))
        }
    };
    // Satisfaction, under the strategy card.
    if y < bottom - 50.0 {
        y = heading(c, x, y + 6.0, col_w, &w.t("survey.title"));
        let text = match a.satisfaction {
            Some(s) => w.f("pack.satisfaction", &[("latest", s.latest.to_string()), ("date", i18n::date(w.lang, s.date)), ("average", format!("{:.1}", s.average)), ("n", s.surveys.to_string())]),
            None => w.t("health.reason.no_survey"),
        };
        let y2 = c.para((x, y), 10.5, INK, col_w, 2, &text);
        c.line(x, y2, 10.5, MUTED, col_w, &w.f("pack.label_value", &[("label", w.t("export.col.loyalty")), ("value", w.key("loyalty", a.loyalty))]));
    }

    // Column 2: the phase's checklist, then the next actions.
    let x = xs[1];
    let mut y = heading(c, x, top, col_w, &w.f("accounts.checklist.title", &[("phase", w.key("phase", r.phase))]));
    for (item, done) in &a.checklist {
        let bx = 9.0;
        if *done {
            c.rect(x, y - bx + 1.0, bx, bx, BRAND);
        } else {
            c.outline(x, y - bx + 1.0, bx, bx, MUTED);
        }
        let label = w.key("check", *item);
        let status = w.t(if *done { "pack.done" } else { "pack.open" });
        c.text(x + col_w - width(&status, 8.5), y, 8.5, if *done { BRAND } else { MUTED }, &status);
        y = c.para((x + bx + 6.0, y), 10.5, INK, col_w - bx - 12.0 - width(&status, 8.5), 2, &label) + 3.0;
    }
    y = heading(c, x, y + 8.0, col_w, &w.t("accounts.actions.title"));
    if a.actions.is_empty() {
        c.text(x, y, 10.5, MUTED, &w.t("accounts.actions.none"));
    }
    for act in a.actions.iter().take(NEXT_ACTIONS) {
        if y > bottom - 10.0 {
            break;
        }
        c.text(x, y, 9.5, MUTED, &w.f("accounts.actions.due_on", &[("date", i18n::date(w.lang, act.due))]));
        y = c.para((x, y + 13.0), 10.5, INK, col_w, 2, &act.text) + 4.0;
    }

    // Column 3: the buying map, recent touches, health's weakest parts.
    let x = xs[2];
    let mut y = heading(c, x, top, col_w, &w.t("map.title"));
    let label_w = 58.0;
    let cell_w = (col_w - label_w) / 3.0;
    let cell_h = 38.0;
    for (i, f) in [Function::User, Function::Technical, Function::Finance].into_iter().enumerate() {
        c.line(x + label_w + cell_w * i as f32 + 3.0, y, 9.0, MUTED, cell_w - 6.0, &w.key("role", f));
    }
    y += 5.0;
    for (row, level) in [Level::Decision, Level::Management, Level::Operational].into_iter().enumerate() {
        let cy = y + cell_h * row as f32;
        c.line(x, cy + 22.0, 9.0, MUTED, label_w - 4.0, &w.key("role", level));
        for (col, f) in [Function::User, Function::Technical, Function::Finance].into_iter().enumerate() {
            let cx = x + label_w + cell_w * col as f32;
            let cell = a.map.iter().find(|m| m.level == level && m.function == f);
            let names = cell.map(|m| m.names.clone()).unwrap_or_default();
            let fill = match cell.and_then(|m| m.attitude) {
                _ if names.is_empty() => EMPTY,
                Some(Attitude::Supporter) => SUPPORTER,
                Some(Attitude::Neutral) => NEUTRAL,
                Some(Attitude::Opponent) => OPPONENT,
                None => BRAND_PALE,
            };
            c.rect(cx + 1.0, cy + 1.0, cell_w - 2.0, cell_h - 2.0, fill);
            if names.is_empty() {
                c.line(cx + 5.0, cy + 22.0, 8.5, MUTED, cell_w - 10.0, &w.t("map.nobody"));
            } else {
                c.para((cx + 5.0, cy + 15.0), 9.0, INK, cell_w - 10.0, 2, &names.join(", "));
            }
        }
    }
    y += 3.0 * cell_h + 14.0;
    let supporter = w.t(if a.decision_supporter { "map.has_decision_supporter" } else { "map.no_decision_supporter" });
    y = c.para((x, y), 9.0, if a.decision_supporter { MUTED } else { LOW }, col_w, 2, &supporter) + 4.0;

    y = heading(c, x, y + 4.0, col_w, &w.t("pack.touches"));
    if a.touches.is_empty() {
        c.text(x, y, 10.5, MUTED, &w.t("pack.no_touches"));
        y += 14.0;
    }
    for t in a.touches.iter().take(RECENT_TOUCHES) {
        c.text(x, y, 9.5, MUTED, &format!("{} · {}", i18n::date(w.lang, t.date), w.key("touch.kind", t.kind)));
        c.line(x, y + 13.0, 10.5, INK, col_w, &t.summary);
        y += 30.0;
    }
    if let Some(h) = &a.health {
        if y < bottom - 30.0 {
            y = heading(c, x, y + 2.0, col_w, &w.t("health.title"));
            // What holds the score in the red band comes first; parts left out of the score are no weakness.
            for cap in &h.caps {
                if y > bottom - 6.0 {
                    break;
                }
                y = c.para((x, y), 9.5, LOW, col_w, 2, &cap.reason) + 2.0;
            }
            let mut weakest: Vec<_> = h.parts.iter().filter(|p| p.score < 100 && p.weight > 0).collect();
            weakest.sort_by_key(|p| (p.score, std::cmp::Reverse(p.weight)));
            for p in weakest.into_iter().take(2) {
                if y > bottom - 6.0 {
                    break;
                }
                y = c.para((x, y), 9.5, INK, col_w, 2, &format!("{} {} — {}", w.key("health.part", p.key), p.score, p.reason)) + 2.0;
            }
        }
    }
}
