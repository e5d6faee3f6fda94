//! The relationship map of a key account (DOMAIN.md §7): its people in their
//! reports-to tree, each a circle coloured by attitude to us and sized by
//! influence, for the account page and for export (PNG/SVG) like the charts.

use std::collections::{BTreeMap, HashSet};

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::style::{GREY, INK, INK_SOFT, LOSS};
use super::{paint, Area, ImageFormat, Painter, Region, Rendered, FAMILY};
use crate::i18n;
use crate::model::Lang;
use crate::notebook::{Attitude, Contact, Influence};
use crate::{Error, Result};

const SUPPORTER: RGBColor = RGBColor(46, 125, 50);
const NEUTRAL: RGBColor = RGBColor(183, 121, 31);
/// Characters of a name shown before it is cut with "…".
const NAME_CHARS: usize = 12;

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

fn radius(i: Option<Influence>) -> f64 {
    match i {
        Some(Influence::High) => 30.0,
        Some(Influence::Medium) => 23.0,
        Some(Influence::Low) => 16.0,
        None => 19.0,
    }
}

fn short(name: &str) -> String {
    if name.chars().count() > NAME_CHARS {
        format!("{}…", name.chars().take(NAME_CHARS - 1).collect::<String>())
    } else {
        name.to_string()
    }
}


impl Painter for Map<'_> {
    fn paint<DB: DrawingBackend>(&self, root: &Area<'_, DB>, scale: u32) -> Result<Vec<Region>> {
        let err = |e: String| Error::Output(format!("the relationship map could not be drawn: {e}"));
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (f64::from(w), f64::from(h));
        // Sizes are given for a 960×540 canvas and grow with it, so the map
        // reads the same on a laptop and on a projector.
        let s = f64::from(scale);
        let k = (w / s / 960.0).min(h / s / 540.0).clamp(0.7, 3.0) * s;
        let u = |v: f64| v * k;
        let font = |size: f64| (FAMILY, u(size)).into_font().color(&INK);
        let bold = |size: f64| (FAMILY, u(size), FontStyle::Bold).into_font().color(&INK);
        let t = |key: &str| i18n::text(self.lang, key);
        let width_of = |text: &str, style: &TextStyle<'_>| f64::from(root.estimate_text_size(text, style).map_or(0, |(tw, _)| tw));
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let title = i18n::format(self.lang, "relmap.title", &[("name", self.account.to_string())]);
        root.draw(&Text::new(title, (u(20.0) as i32, u(12.0) as i32), bold(25.0))).map_err(|e| err(e.to_string()))?;

        // Legend along the bottom: attitude colours, then what size means.
        let mut x = u(24.0);
        let legend_y = h - u(24.0);
        let entries = [(Some(Attitude::Supporter), "role.supporter"), (Some(Attitude::Neutral), "role.neutral"), (Some(Attitude::Opponent), "role.opponent"), (None, "relmap.unknown")];
        for (a, key) in entries {
            root.draw(&Circle::new((x as i32, legend_y as i32), u(7.0) as i32, colour(a).filled())).map_err(|e| err(e.to_string()))?;
            let label = t(key);
            root.draw(&Text::new(label.clone(), ((x + u(12.0)) as i32, (legend_y - u(8.0)) as i32), font(14.0))).map_err(|e| err(e.to_string()))?;
            x += u(30.0) + width_of(&label, &font(14.0));
        }
        let note = t("relmap.size");
        if x + width_of(&note, &font(14.0)) < w {
            root.draw(&Text::new(note, (x as i32, (legend_y - u(8.0)) as i32), font(14.0).color(&INK_SOFT))).map_err(|e| err(e.to_string()))?;
        }

        if self.contacts.is_empty() {
            root.draw(&Text::new(t("relmap.empty"), (u(24.0) as i32, (h / 2.0) as i32), font(18.0))).map_err(|e| err(e.to_string()))?;
            return Ok(Vec::new());
        }
        let plan = layout(self.contacts);
        let (top, bottom, left, right) = (u(56.0), h - u(48.0), u(12.0), w - u(12.0));
        let cell_w = (right - left) / plan.columns.max(1) as f64;
        let cell_h = (bottom - top) / plan.rows.max(1) as f64;
        // Circles fit their cell, leaving room for two lines of text below.
        let fit = (cell_w * 0.3 / k).min((cell_h / k - 44.0) * 0.45).max(5.0);
        let label_h = 40.0;
        let centre = |id: u64| {
            let (col, row) = plan.at[&id];
            (left + (col + 0.5) * cell_w, top + row as f64 * cell_h + u(radius(Some(Influence::High)).min(fit) + 4.0))
        };
        let by_id = |id: u64| self.contacts.iter().find(|c| c.id == id);
        // Lines run from under the boss's label to the top of the report.
        for c in self.contacts {
            if let Some(boss) = c.reports_to.filter(|b| plan.at.contains_key(b) && *b != c.id) {
                let (a, b) = (centre(boss), centre(c.id));
                let from = a.1 + u(radius(by_id(boss).and_then(|x| x.influence)).min(fit) + label_h);
                let to = b.1 - u(radius(c.influence).min(fit));
                root.draw(&PathElement::new(vec![(a.0 as i32, from as i32), (b.0 as i32, to as i32)], GREY.stroke_width(u(3.0).max(1.0) as u32)))
                    .map_err(|e| err(e.to_string()))?;
            }
        }
        let mut regions = Vec::new();
        for c in self.contacts {
            let (cx, cy) = centre(c.id);
            let r = u(radius(c.influence).min(fit));
            root.draw(&Circle::new((cx as i32, cy as i32), r as i32, colour(c.attitude).filled())).map_err(|e| err(e.to_string()))?;
            let name = short(&c.name);
            let name_w = width_of(&name, &bold(16.0));
            root.draw(&Text::new(name, ((cx - name_w / 2.0) as i32, (cy + r + u(4.0)) as i32), bold(16.0))).map_err(|e| err(e.to_string()))?;
            let mut sub: Vec<String> = Vec::new();
            if !c.title.is_empty() {
                sub.push(short(&c.title));
            }
            if let Some(l) = c.level {
                sub.push(t(&format!("role.{}", serde_json::to_value(l).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())));
            }
            let sub = sub.join(" · ");
            let sub_style = font(14.0).color(&INK_SOFT);
            let sub_w = width_of(&sub, &sub_style);
            root.draw(&Text::new(sub.clone(), ((cx - sub_w / 2.0) as i32, (cy + r + u(23.0)) as i32), sub_style)).map_err(|e| err(e.to_string()))?;
            regions.push(Region { id: None, label: c.name.clone(), value: sub, x: cx - r, y: cy - r, w: 2.0 * r, h: 2.0 * r });
        }
        Ok(regions)
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
        assert!(text.contains("王伟") && text.contains("Jennifer Lo…") && text.contains("支持"), "names, cut with …, and the legend");
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
}
