//! Plain data shared by the store, the CLI and the UI. Types the UI sees are
//! exported to TypeScript (see `bindings`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who makes a change. On a team: the member's name, and their lane of
/// item ids (1–255), so that items two members add while apart never share
/// an id. A solo owner's is the default: no name, lane 0, ids count up from
/// 1 as they always have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub lane: u8,
}

impl Author {
    /// The id of a new item when the largest id in use is `max`: the next
    /// number, or on a team the next number in this author's lane (the low
    /// eight bits), above every id in use, whoever's lane it is in.
    pub fn next_id(&self, max: u64) -> u64 {
        match self.lane {
            0 => max + 1,
            lane => (((max >> 8) + 1) << 8) | u64::from(lane),
        }
    }
}

/// A UI language. Serialized (and named on the command line) as its BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
pub enum Lang {
    #[serde(rename = "en")]
    #[value(name = "en")]
    En,
    #[serde(rename = "zh-CN")]
    #[value(name = "zh-CN", alias = "zh")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }
}

/// The main window's last size and position, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WindowGeometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

impl WindowGeometry {
    /// Smallest size we restore; anything smaller is treated as garbage.
    pub const MIN_WIDTH: u32 = 640;
    pub const MIN_HEIGHT: u32 = 480;

    pub fn is_plausible(&self) -> bool {
        self.width >= Self::MIN_WIDTH
            && self.height >= Self::MIN_HEIGHT
            && self.width <= 16_384
            && self.height <= 16_384
    }
}

/// What the user chose and the app remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Settings {
    /// `None` until the user picks one: the UI then follows the system language.
    pub language: Option<Lang>,
    pub window: Option<WindowGeometry>,
    /// Symbol shown before money in charts; `None`: ¥.
    pub currency: Option<String>,
}

/// The preferences the UI needs at start-up, already resolved (a language the
/// user never picked comes from the system locale).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UiPrefs {
    pub language: Lang,
    pub currency: String,
}

/// The currency symbol used until the user picks one.
pub const DEFAULT_CURRENCY: &str = "¥";

/// `vitalfew info --json`, and the UI's "about this data" line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StoreInfo {
    pub version: String,
    pub data_dir: String,
    pub schema_version: u32,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub sales_lines: u64,
    #[ts(type = "number")]
    pub accounts: u64,
}

/// A customer as stored. `id` is internal; `ext_id` is the customer's ID in
/// the owner's own books, when a file had one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    /// Names the customer had before (a buyer that renamed itself), searchable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    /// Columns of the owner's files that have no field of their own.
    pub attributes: BTreeMap<String, String>,
    /// Totals given by a customer table, as opposed to computed from sales lines.
    pub declared: Option<Totals>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub revenue: Option<f64>,
    pub cost: Option<f64>,
    pub profit: Option<f64>,
    pub orders: Option<f64>,
}

impl Totals {
    /// Revenue − cost, when both are known.
    pub fn margin(&self) -> Option<f64> {
        Some(self.revenue? - self.cost?)
    }

    /// The profit given, else revenue − cost.
    pub fn profit_or_margin(&self) -> Option<f64> {
        self.profit.or_else(|| self.margin())
    }
}

/// Sum of two amounts that may be unknown: unknown only when both are.
pub fn add_known(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    }
}

/// A customer with its totals, for the Customers page and `vitalfew customers`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CustomerRow {
    pub id: u32,
    pub ext_id: Option<String>,
    pub name: String,
    /// Names it had before (searchable); left out when there are none, so
    /// `customers --json` of a store without any stays as it was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub former_names: Vec<String>,
    pub revenue: f64,
    pub cost: Option<f64>,
    /// `None` when neither profit nor cost is known.
    pub profit: Option<f64>,
    /// profit / revenue, when both are known and revenue is not zero.
    pub margin: Option<f64>,
    #[ts(type = "number")]
    pub orders: u64,
    /// ISO dates (YYYY-MM-DD).
    pub first_purchase: Option<String>,
    pub last_purchase: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub attributes: BTreeMap<String, String>,
}

/// The two shapes of file the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// One row per customer, with totals and attributes.
    CustomerTable,
    /// One row per order or order line.
    SalesLedger,
}

/// What a column of an imported file means (see `import::mapping`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CustomerId,
    CustomerName,
    Revenue,
    Cost,
    Profit,
    Date,
    OrderId,
    Quantity,
    Product,
    /// The product's category, kept on each sales line.
    Category,
    Region,
    Industry,
    /// Order count in a customer table.
    Orders,
    /// The price of one unit: with a quantity, the line's revenue when the
    /// file has no revenue column (price × quantity − discount).
    UnitPrice,
    /// An amount taken off a line priced by unit price × quantity.
    Discount,
    /// An amount paid back: taken off the line's revenue.
    Refunded,
    /// Not read at all.
    Ignore,
}

/// Where a file comes from, as recognised (or chosen with `--source`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Any other table: the generic mapping and rules.
    #[default]
    Generic,
    /// 全量发票查询导出结果 of the national e-invoice platform (电子发票服务平台).
    Fapiao,
    /// 淘宝 / 天猫 order report (ExportOrderList*.csv).
    Taobao,
    /// 1688 order export.
    #[serde(rename = "1688")]
    #[value(name = "1688")]
    Alibaba1688,
    /// QuickBooks "Sales by Customer Detail" / "Sales by Product/Service Detail".
    Quickbooks,
    /// Shopify orders export.
    Shopify,
    /// Stripe payments (unified_payments.csv, payments.csv).
    Stripe,
}

/// A mapping the owner corrected, remembered with the import that used it:
/// the next file with the same headers is read with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SavedMapping {
    /// Identifies the headers (see `import::remembered::signature`).
    pub signature: String,
    /// Each column's header and field (`null`: kept as an attribute).
    pub columns: Vec<(String, Option<Field>)>,
}

/// One entry of the import history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportRecord {
    pub id: u32,
    pub file_name: String,
    /// RFC 3339.
    pub at: String,
    pub shape: Shape,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub new_customers: u64,
    /// Sales lines this import added.
    #[ts(type = "number")]
    pub sales_lines: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    /// BLAKE3 of the file's bytes.
    pub checksum: String,
    /// The program the file came from, as recognised.
    #[serde(default)]
    pub source: SourceKind,
    /// The mapping the owner corrected for this file, remembered for files
    /// with the same headers until forgotten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mapping: Option<SavedMapping>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_tags_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_tag(l.tag()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.tag());
        }
        assert_eq!(Lang::from_tag("zh-cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("fr"), None);
    }

    #[test]
    fn settings_tolerate_missing_fields() {
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Settings::default());
        let s: Settings = serde_json::from_str(r#"{"language":"zh-CN"}"#).unwrap();
        assert_eq!(s.language, Some(Lang::ZhCn));
    }

    #[test]
    fn implausible_geometry_is_rejected() {
        let g = WindowGeometry { x: 0, y: 0, width: 10, height: 10, maximized: false };
        assert!(!g.is_plausible());
        let g = WindowGeometry { width: 1200, height: 800, ..g };
        assert!(g.is_plausible());
    }
}

/// The four types of key account (四类大客户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    /// 经济型: dealers, distributors, large frequent buyers; price and product.
    Economic,
    /// 重要型: government, military, courts, culture, education, health, news.
    Important,
    /// 集团型: tied to us in the industry or value chain.
    Group,
    /// 战略型: growth potential, partnership, top-management coordination.
    Strategic,
}

impl AccountType {
    pub const ALL: [AccountType; 4] = [AccountType::Economic, AccountType::Important, AccountType::Group, AccountType::Strategic];

    pub fn name(self) -> &'static str {
        match self {
            AccountType::Economic => "economic",
            AccountType::Important => "important",
            AccountType::Group => "group",
            AccountType::Strategic => "strategic",
        }
    }
}
