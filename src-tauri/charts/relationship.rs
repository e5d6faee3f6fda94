//! The relationship map of a key account (DOMAIN.md §7): its people in their
//! reports-to tree, each a circle coloured by attitude to us and sized by
//! influence, for the account page and for export (PNG/SVG) like the charts.

use std::collections::{BTreeMap, HashSet};

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::style::{self, e2s, em_font, fit, width_of, GREY, INK_SOFT, LINE_PX, LOSS, TEXT_PX};
use super::{paint, Area, ImageFormat, Painter, Region, Rendered};
use crate::i18n;
use crate::model::Lang;
use crate::notebook::{Attitude, Contact, Influence};
use crate::{Error, Result};

const SUPPORTER: RGBColor = RGBColor(46, 125, 50);
const NEUTRAL: RGBColor = RGBColor(183, 121, 31);

/// The map of `contacts` (those still with the customer) of account `account`.
pub fn relationship_map(account: &str, contacts: &[&Contact], lang: Lang, size: (u32, u32), scale: u32, format: ImageFormat) -> Result<Rendered> {
    paint(&Map { account, contacts, lang }, size.0, size.1, scale, format)
}

struct Map<'a> {
    account: &'a str,
    contacts: &'a [&'a Contact],
    lang: Lang,
}

/// Where each person goes: a column (leaves left to right, a boss centred
/// over their reports) and a row (depth in the tree).
struct Layout {
    at: BTreeMap<u64, (f64, usize)>,
    columns: usize,
    rows: usize,
}

fn layout(contacts: &[&Contact]) -> Layout {
    let ids: HashSet<u64> = contacts.iter().map(|c| c.id).collect();
    let mut reports: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let mut roots = Vec::new();
    for c in contacts {
        match c.reports_to.filter(|b| ids.contains(b) && *b != c.id) {
            Some(boss) => reports.entry(boss).or_default().push(c.id),
            None => roots.push(c.id),
        }
    }
    let mut out = Layout { at: BTreeMap::new(), columns: 0, rows: 0 };
    let mut seen = HashSet::new();
    fn place(id: u64, depth: usize, reports: &BTreeMap<u64, Vec<u64>>, seen: &mut HashSet<u64>, out: &mut Layout) -> f64 {
        seen.insert(id);
        out.rows = out.rows.max(depth + 1);
        let children: Vec<u64> = reports.get(&id).into_iter().flatten().copied().filter(|c| !seen.contains(c)).collect();
        let x = if children.is_empty() {
            out.columns += 1;
            (out.columns - 1) as f64
        } else {
            let xs: Vec<f64> = children.iter().map(|c| place(*c, depth + 1, reports, seen, out)).collect();
            (xs[0] + xs[xs.len() - 1]) / 2.0
        };
        out.at.insert(id, (x, depth));
        x
    }
    for r in roots {
        place(r, 0, &reports, &mut seen, &mut out);
    }
    // Anyone left out (a reports-to loop written by hand) goes on the top row.
    let left: Vec<u64> = contacts.iter().map(|c| c.id).filter(|id| !seen.contains(id)).collect();
    for id in left {
        place(id, 0, &BTreeMap::new(), &mut seen, &mut out);
    }
    out
}

fn colour(a: Option<Attitude>) -> RGBColor {
    match a {
        Some(Attitude::Supporter) => SUPPORTER,
        Some(Attitude::Neutral) => NEUTRAL,
        Some(Attitude::Opponent) => LOSS,
        None => GREY,
    }
}

/// A person's circle at 1920×1080, by influence.
fn radius(i: Option<Influence>) -> f64 {
    match i {
        Some(Influence::High) => 60.0,
        Some(Influence::Medium) => 46.0,
        Some(Influence::Low) => 32.0,
        None => 38.0,
    }
}

/// Sizes at 1920×1080, in pixels (ems for text): a 40 px title, names 26 px
/// bold, every other text 22 px. They scale with the canvas but never below
/// [`style::MIN_ZOOM`] (14 px text in the window's map).
const TITLE_PX: f64 = 40.0;
const NAME_PX: f64 = 26.0;
/// Under each circle: the gap, the name and the title/level line.
const LABEL_PX: f64 = 8.0 + NAME_PX * 1.3 + TEXT_PX * 1.3;

impl Painter for Map<'_> {
    fn paint<DB: DrawingBackend>(&self, root: &Area<'_, DB>, scale: u32) -> Result<Vec<Region>> {
        let err = |e: String| Error::Output(format!("the relationship map could not be drawn: {e}"));
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (f64::from(w), f64::from(h));
        let s = f64::from(scale);
        let k = style::zoom(w / s, h / s) * s;
        let u = |v: f64| v * k;
        let font = |px: f64| em_font(u(px), FontStyle::Normal);
        let bold = |px: f64| em_font(u(px), FontStyle::Bold);
        let t = |key: &str| i18n::text(self.lang, key);
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let title = i18n::format(self.lang, "relmap.title", &[("name", self.account.to_string())]);
        let title = fit(root, &title, &bold(TITLE_PX), w - u(80.0));
        root.draw(&Text::new(title, (u(40.0) as i32, u(24.0) as i32), bold(TITLE_PX))).map_err(|e| err(e.to_string()))?;
        self.legend(root, k).map_err(err)?;

        if self.contacts.is_empty() {
            root.draw(&Text::new(t("relmap.empty"), (u(48.0) as i32, (h / 2.0) as i32), font(TEXT_PX * 1.2))).map_err(|e| err(e.to_string()))?;
            return Ok(Vec::new());
        }
        let plan = layout(self.contacts);
        let (top, bottom, left, right) = (u(112.0), h - u(80.0), u(24.0), w - u(24.0));
        let cell_w = (right - left) / plan.columns.max(1) as f64;
        let cell_h = (bottom - top) / plan.rows.max(1) as f64;
        // Circles fit their cell, leaving room for the two lines below.
        let fit_r = (cell_w * 0.3 / k).min((cell_h / k - LABEL_PX - 8.0) / 2.0).max(6.0);
        let r_of = |i: Option<Influence>| u(radius(i).min(fit_r));
        let centre = |id: u64| {
            let (col, row) = plan.at[&id];
            (left + (col + 0.5) * cell_w, top + row as f64 * cell_h + r_of(Some(Influence::High)) + u(4.0))
        };
        let by_id = |id: u64| self.contacts.iter().find(|c| c.id == id);
        // Lines run from under the boss's label to the top of the report.
        for c in self.contacts {
            if let Some(boss) = c.reports_to.filter(|b| plan.at.contains_key(b) && *b != c.id) {
                let (a, b) = (centre(boss), centre(c.id));
                let from = a.1 + r_of(by_id(boss).and_then(|x| x.influence)) + u(LABEL_PX);
                let to = b.1 - r_of(c.influence);
                root.draw(&PathElement::new(vec![(a.0 as i32, from as i32), (b.0 as i32, to as i32)], GREY.stroke_width(u(LINE_PX * 2.0).max(1.0) as u32)))
                    .map_err(|e| err(e.to_string()))?;
            }
        }
        // Names and titles as wide as their cell allows, cut with "…".
        let room = cell_w - u(12.0);
        let mut regions = Vec::new();
        for c in self.contacts {
            let (cx, cy) = centre(c.id);
            let r = r_of(c.influence);
            root.draw(&Circle::new((cx as i32, cy as i32), r as i32, colour(c.attitude).filled())).map_err(|e| err(e.to_string()))?;
            let name = fit(root, &c.name, &bold(NAME_PX), room);
            let name_w = width_of(root, &name, &bold(NAME_PX));
            root.draw(&Text::new(name, ((cx - name_w / 2.0) as i32, (cy + r + u(8.0)) as i32), bold(NAME_PX))).map_err(|e| err(e.to_string()))?;
            let mut sub: Vec<String> = Vec::new();
            if !c.title.is_empty() {
                sub.push(c.title.clone());
            }
            if let Some(l) = c.level {
                sub.push(t(&format!("role.{}", serde_json::to_value(l).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())));
            }
            let sub = sub.join(" · ");
            let sub_style = font(TEXT_PX).color(&INK_SOFT);
            let shown = fit(root, &sub, &sub_style, room);
            let sub_w = width_of(root, &shown, &sub_style);
            root.draw(&Text::new(shown, ((cx - sub_w / 2.0) as i32, (cy + r + u(8.0 + NAME_PX * 1.3)) as i32), sub_style)).map_err(|e| err(e.to_string()))?;
            regions.push(Region { id: None, label: c.name.clone(), value: sub, x: cx - r, y: cy - r, w: 2.0 * r, h: 2.0 * r });
        }
        Ok(regions)
    }
}

impl Map<'_> {
    /// Along the bottom: the attitude colours, then what size means (when
    /// it fits).
    fn legend<DB: DrawingBackend>(&self, root: &Area<'_, DB>, k: f64) -> std::result::Result<(), String> {
        let (w, h) = root.dim_in_pixel();
        let u = |v: f64| v * k;
        let style = em_font(u(TEXT_PX), FontStyle::Normal);
        let mut x = u(48.0);
        let mid = f64::from(h) - u(44.0);
        let entries = [(Some(Attitude::Supporter), "role.supporter"), (Some(Attitude::Neutral), "role.neutral"), (Some(Attitude::Opponent), "role.opponent"), (None, "relmap.unknown")];
        for (a, key) in entries {
            root.draw(&Circle::new((x as i32, mid as i32), u(13.0) as i32, colour(a).filled())).map_err(e2s)?;
            let label = i18n::text(self.lang, key);
            root.draw(&Text::new(label.clone(), ((x + u(22.0)) as i32, (mid - u(TEXT_PX * 0.55)) as i32), style.clone())).map_err(e2s)?;
            x += u(60.0) + width_of(root, &label, &style);
        }
        let note = i18n::text(self.lang, "relmap.size");
        if x + width_of(root, &note, &style) < f64::from(w) - u(24.0) {
            root.draw(&Text::new(note, (x as i32, (mid - u(TEXT_PX * 0.55)) as i32), style.color(&INK_SOFT))).map_err(e2s)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::Level;

    fn person(id: u64, name: &str, boss: Option<u64>, attitude: Option<Attitude>, influence: Option<Influence>) -> Contact {
        Contact { id, name: name.into(), reports_to: boss, attitude, influence, level: Some(Level::Management), ..Default::default() }
    }

    #[test]
    fn bosses_sit_above_and_between_their_reports() {
        let people = [
            person(1, "王伟", None, Some(Attitude::Supporter), Some(Influence::High)),
            person(2, "李娜", Some(1), Some(Attitude::Neutral), None),
            person(3, "赵强", Some(1), Some(Attitude::Opponent), Some(Influence::Low)),
            person(4, "钱多", Some(3), None, None),
            person(5, "孙七", None, None, None),
        ];
        let refs: Vec<&Contact> = people.iter().collect();
        let plan = layout(&refs);
        assert_eq!((plan.columns, plan.rows), (3, 3));
        assert_eq!(plan.at[&1], (0.5, 0), "over 李娜 (0) and 赵强 (1)");
        assert_eq!(plan.at[&4], (1.0, 2));
        assert_eq!(plan.at[&5], (2.0, 0));
    }

    #[test]
    fn the_map_draws_as_svg_and_png_with_every_name() {
        let people = [person(1, "王伟", None, Some(Attitude::Supporter), Some(Influence::High)), person(2, "Jennifer Lopez-Hamilton", Some(1), None, None)];
        let refs: Vec<&Contact> = people.iter().collect();
        let svg = relationship_map("华东钢铁", &refs, Lang::ZhCn, (900, 500), 1, ImageFormat::Svg).unwrap();
        let text = String::from_utf8(svg.bytes).unwrap();
        assert!(text.contains("王伟") && text.contains("Jennifer Lopez-Hamilton") && text.contains("支持"), "names whole where they fit, and the legend");
        assert_eq!(svg.regions.len(), 2);
        let png = relationship_map("华东钢铁", &refs, Lang::En, (900, 500), 2, ImageFormat::Png).unwrap();
        assert!(png.bytes.starts_with(b"\x89PNG"));
        assert_eq!(png.regions[0].w, svg.regions[0].w, "regions in screen pixels at any scale");
        let empty = relationship_map("X", &[], Lang::En, (600, 300), 1, ImageFormat::Svg).unwrap();
        assert!(String::from_utf8(empty.bytes).unwrap().contains("No contacts"));
        assert!(relationship_map("X", &[], Lang::En, (0, 300), 1, ImageFormat::Svg).is_err());
        // On a projector: a 40 px title, no text under 22 px.
        let big = String::from_utf8(relationship_map("华东钢铁", &refs, Lang::ZhCn, (1920, 1080), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
        let texts = crate::charts::tests::svg_texts(&big);
        assert!(texts[0].0 >= 40.0, "{:?}", texts[0]);
        assert!(texts.iter().all(|(size, _)| *size >= 22.0), "{texts:?}");
    }

    #[test]
    fn names_are_cut_by_the_room_they_have_never_below_14_px() {
        let people = [
            person(1, "Tamara Chand", None, Some(Attitude::Supporter), Some(Influence::High)),
            Contact { title: "Office manager".into(), ..person(2, "Linda Park", Some(1), None, None) },
            person(3, "上海浦东新区采购部王经理助理", Some(1), None, None),
            person(4, "Jennifer Lopez-Hamilton", Some(1), None, None),
        ];
        let refs: Vec<&Contact> = people.iter().collect();
        // The account page's map in a 1366-pixel window.
        let svg = String::from_utf8(relationship_map("Tamara Chand", &refs, Lang::En, (640, 420), 1, ImageFormat::Svg).unwrap().bytes).unwrap();
        let texts = crate::charts::tests::svg_texts(&svg);
        assert!(texts.iter().all(|(size, _)| *size >= 14.0), "readable in the window: {texts:?}");
        let shown: Vec<&str> = texts.iter().map(|t| t.1.as_str()).collect();
        assert!(shown.contains(&"Office manager · Management"), "a title with room is not cut: {shown:?}");
        assert!(shown.iter().any(|t| t.starts_with("上海浦东") && t.ends_with('…')), "a name too long for its cell ends with …: {shown:?}");
    }
}
