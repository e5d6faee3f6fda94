//! The tables an owner exports for other programs: every customer with its
//! segments and classes, the key accounts (type, phase, next action, loyalty)
//! and their contacts. Headers and names of classes come from the catalogs.

use std::collections::HashMap;

use super::{class_letter, Cell, Table};
use crate::accounts::AccountView;
use crate::i18n;
use crate::insight::Segments;
use crate::model::{CustomerRow, Lang};
use crate::notebook::NotebookView;

/// The catalog's word for an enum value under `prefix` (`type.economic`).
fn word<T: serde::Serialize>(lang: Lang, prefix: &str, value: &T) -> String {
    let key = serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    i18n::text(lang, &format!("{prefix}.{key}"))
}

fn headers(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| i18n::text(lang, &format!("export.col.{k}"))).collect()
}

/// The customers table's columns, by key (`export.col.<key>` in the
/// catalogs), in order.
pub const CUSTOMER_COLUMNS: [&str; 20] = [
    "id", "ext_id", "name", "revenue", "profit", "margin", "orders", "first_purchase", "last_purchase", "region", "industry", "lifecycle", "segment", "r", "f",
    "m", "frequency_band", "spend_band", "class", "key_account",
];

/// The customers in `rows` (in their order): totals, lifecycle stage, RFM
/// scores and segment, profit class, and the type of the key accounts —
/// the columns named in `columns` (keys of [`CUSTOMER_COLUMNS`], in that
/// order), all when `None`.
pub fn customers(rows: &[CustomerRow], segments: Option<&Segments>, accounts: &[AccountView], columns: Option<&[String]>, lang: Lang) -> Table {
    let seg: HashMap<u32, &crate::insight::segments::CustomerSegment> = segments.iter().flat_map(|s| &s.customers).map(|c| (c.id, c)).collect();
    let key: HashMap<u32, &AccountView> = accounts.iter().filter(|a| a.active).map(|a| (a.id, a)).collect();
    let keys = CUSTOMER_COLUMNS;
    let rows = rows
        .iter()
        .map(|r| {
            let s = seg.get(&r.id);
            let rfm = s.and_then(|s| s.rfm);
            let score = |v: Option<u8>| v.map_or(Cell::Empty, |v| Cell::Number(f64::from(v)));
            vec![
                Cell::Number(f64::from(r.id)),
                Cell::opt(r.ext_id.clone()),
                Cell::text(&r.name),
                Cell::Money(r.revenue),
                r.profit.map_or(Cell::Empty, Cell::Money),
                r.margin.map_or(Cell::Empty, Cell::Percent),
                Cell::Number(r.orders as f64),
                Cell::opt(r.first_purchase.clone()),
                Cell::opt(r.last_purchase.clone()),
                Cell::opt(r.region.clone()),
                Cell::opt(r.industry.clone()),
                Cell::opt(s.map(|s| word(lang, "lifecycle", &s.lifecycle))),
                Cell::opt(rfm.map(|x| word(lang, "segment", &x.segment))),
                score(rfm.map(|x| x.r)),
                score(rfm.map(|x| x.f)),
                score(rfm.map(|x| x.m)),
                Cell::opt(rfm.map(|x| word(lang, "band", &x.frequency))),
                Cell::opt(rfm.map(|x| word(lang, "band", &x.spend))),
                Cell::opt(s.and_then(|s| s.class).map(class_letter)),
                Cell::opt(key.get(&r.id).map(|a| a.account_type.map_or_else(|| i18n::text(lang, "customers.key"), |t| word(lang, "type", &t)))),
            ]
        })
        .collect();
    let table = Table { headers: headers(lang, &keys), rows };
    match columns {
        Some(wanted) => table.only(&keys, wanted),
        None => table,
    }
}

/// The key accounts: type, phase, days in it, the next action, profit and
/// loyalty (from `notebooks`, by account id).
pub fn accounts(views: &[AccountView], notebooks: &HashMap<u32, NotebookView>, lang: Lang) -> Table {
    let keys = ["id", "ext_id", "name", "type", "phase", "days_in_phase", "next_action", "next_action_due", "profit", "loyalty", "last_touch", "touch_due"];
    let rows = views
        .iter()
        .filter(|v| v.active)
        .map(|v| {
            let nb = notebooks.get(&v.id);
            vec![
                Cell::Number(f64::from(v.id)),
                Cell::opt(v.ext_id.clone()),
                Cell::text(&v.name),
                Cell::opt(v.account_type.map(|t| word(lang, "type", &t))),
                Cell::Text(word(lang, "phase", &v.phase)),
                Cell::Number(v.days_in_phase as f64),
                Cell::opt(v.next_action.as_ref().map(|a| a.text.clone())),
                Cell::opt(v.next_action.as_ref().map(|a| a.due.to_string())),
                v.profit.map_or(Cell::Empty, Cell::Money),
                Cell::opt(nb.map(|n| word(lang, "loyalty", &n.loyalty.status))),
                Cell::opt(nb.and_then(|n| n.last_touch).map(|d| d.to_string())),
                Cell::opt(nb.map(|n| n.touch_due.to_string())),
            ]
        })
        .collect();
    Table { headers: headers(lang, &keys), rows }
}

/// Every contact of the key accounts in `notebooks`, those who left too.
pub fn contacts(notebooks: &[NotebookView], lang: Lang) -> Table {
    let keys = [
        "account_id", "account", "contact_id", "name", "title", "department", "level", "function", "attitude", "influence", "phone", "email", "wechat",
        "birthday", "lunar_birthday", "reports_to", "cares_about", "last_touch", "left_on",
    ];
    let mut rows = Vec::new();
    for nb in notebooks {
        let name_of = |id: u64| nb.contacts.iter().find(|c| c.contact.id == id).map(|c| c.contact.name.clone());
        for v in &nb.contacts {
            let c = &v.contact;
            rows.push(vec![
                Cell::Number(f64::from(nb.account.id)),
                Cell::text(&nb.account.name),
                Cell::Number(c.id as f64),
                Cell::text(&c.name),
                Cell::text(&c.title),
                Cell::text(&c.department),
                Cell::opt(c.level.map(|x| word(lang, "role", &x))),
                Cell::opt(c.function.map(|x| word(lang, "role", &x))),
                Cell::opt(c.attitude.map(|x| word(lang, "role", &x))),
                Cell::opt(c.influence.map(|x| word(lang, "role", &x))),
                Cell::text(&c.phone),
                Cell::text(&c.email),
                Cell::text(&c.wechat),
                Cell::opt(c.birthday.map(|d| d.to_string())),
                Cell::opt(c.lunar_birthday.map(|l| format!("{:02}-{:02}", l.month, l.day))),
                Cell::opt(c.reports_to.and_then(name_of)),
                Cell::text(&c.cares_about),
                Cell::opt(v.last_touch.map(|d| d.to_string())),
                Cell::opt(c.left_on.map(|d| d.to_string())),
            ]);
        }
    }
    Table { headers: headers(lang, &keys), rows }
}
