//! What each source column means. Headers are matched against English and
//! Chinese aliases; the user can change any mapping; unmapped columns are
//! kept as custom attributes of the customer.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    Region,
    Industry,
    /// Order count in a customer table.
    Orders,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::CustomerId,
        Field::CustomerName,
        Field::Revenue,
        Field::Cost,
        Field::Profit,
        Field::Date,
        Field::OrderId,
        Field::Quantity,
        Field::Product,
        Field::Region,
        Field::Industry,
        Field::Orders,
    ];

    /// Header spellings that map to this field, compared after
    /// [`normalize_header`]. More specific aliases come first.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::CustomerId => &[
                "customerid", "customerno", "customernumber", "customercode", "clientid", "accountid",
                "客户编号", "客户代码", "客户编码", "客户id", "客户号", "单位编码", "单位编号",
            ],
            Field::CustomerName => &[
                "customername", "customer", "client", "clientname", "account", "accountname", "company",
                "buyer", "客户名称", "客户", "客户名", "单位名称", "购货单位", "购买方", "购方名称", "客户全称",
                "公司名称",
            ],
            Field::Revenue => &[
                "revenue", "sales", "salesamount", "amount", "turnover", "netsales", "totalsales", "value",
                "销售额", "营业额", "金额", "收入", "含税金额", "销售金额", "销售收入", "价税合计", "不含税金额",
                "营业收入", "总金额",
            ],
            Field::Cost => &["cost", "costs", "cogs", "costofsales", "成本", "销售成本", "成本金额", "营业成本"],
            Field::Profit => &[
                "profit", "grossprofit", "margin", "grossmargin", "利润", "毛利", "毛利额", "利润额", "销售毛利",
            ],
            Field::Date => &[
                "date", "orderdate", "invoicedate", "saledate", "salesdate", "orderedon", "订单日期", "日期",
                "下单日期", "开票日期", "销售日期", "单据日期", "业务日期",
            ],
            Field::OrderId => &[
                "orderid", "orderno", "ordernumber", "order", "invoice", "invoiceno", "invoicenumber",
                "documentno", "订单号", "单据编号", "订单编号", "单号", "发票号", "发票号码",
            ],
            Field::Quantity => &["quantity", "qty", "units", "数量", "销量", "销售数量"],
            Field::Product => &[
                "product", "productname", "item", "sku", "goods", "产品", "产品名称", "商品", "商品名称",
                "品名", "物料名称", "存货名称",
            ],
            Field::Region => &[
                "region", "area", "province", "city", "territory", "state", "地区", "区域", "省份", "城市",
                "所属区域", "地域",
            ],
            Field::Industry => &["industry", "sector", "行业", "所属行业", "行业类别"],
            Field::Orders => &["orders", "ordercount", "numberoforders", "订单数", "订单数量", "下单次数", "交易次数"],
        }
    }
}

/// Lower-case, width-folded, without spaces and punctuation: "Customer Name",
/// "customer_name" and "ＣＵＳＴＯＭＥＲ　ＮＡＭＥ" all become "customername".
pub fn normalize_header(h: &str) -> String {
    fold_width(h)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Full-width ASCII (U+FF01–FF5E) and the ideographic space become their
/// ASCII counterparts.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The field a header most likely names, if any.
pub fn guess_field(header: &str) -> Option<Field> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    Field::ALL.into_iter().find(|f| f.aliases().contains(&h.as_str())).or_else(|| {
        // Looser: a header that contains an alias, e.g. "客户名称（全称）", "Sales (CNY)".
        let mut best: Option<(usize, Field)> = None;
        for f in Field::ALL {
            for a in f.aliases() {
                if a.chars().count() >= 2 && h.contains(a) && best.is_none_or(|(len, _)| a.len() > len) {
                    best = Some((a.len(), f));
                }
            }
        }
        best.map(|(_, f)| f)
    })
}

/// One field per column at most: the first column to claim a field keeps it.
pub fn auto_map(headers: &[String]) -> Vec<Option<Field>> {
    let mut taken = std::collections::HashSet::new();
    headers
        .iter()
        .map(|h| guess_field(h).filter(|f| taken.insert(*f)))
        .collect()
}

/// How many headers look like known fields: used to find the header row.
pub fn header_score(cells: &[String]) -> usize {
    cells.iter().filter(|c| guess_field(c).is_some()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headers_map() {
        let cases = [
            ("客户名称", Field::CustomerName),
            ("购货单位", Field::CustomerName),
            ("单位名称", Field::CustomerName),
            ("客户编号", Field::CustomerId),
            ("客户代码", Field::CustomerId),
            ("销售额", Field::Revenue),
            ("含税金额", Field::Revenue),
            ("营业额", Field::Revenue),
            ("成本", Field::Cost),
            ("毛利", Field::Profit),
            ("利润", Field::Profit),
            ("开票日期", Field::Date),
            ("下单日期", Field::Date),
            ("单据编号", Field::OrderId),
            ("省份", Field::Region),
            ("城市", Field::Region),
            ("行业", Field::Industry),
            ("数量", Field::Quantity),
        ];
        for (h, f) in cases {
            assert_eq!(guess_field(h), Some(f), "{h}");
        }
    }

    #[test]
    fn english_headers_map_whatever_the_spelling() {
        assert_eq!(guess_field("Customer Name"), Some(Field::CustomerName));
        assert_eq!(guess_field("customer_id"), Some(Field::CustomerId));
        assert_eq!(guess_field("ＣＵＳＴＯＭＥＲ　ＩＤ"), Some(Field::CustomerId));
        assert_eq!(guess_field("Sales (CNY)"), Some(Field::Revenue));
        assert_eq!(guess_field("Gross Profit"), Some(Field::Profit));
        assert_eq!(guess_field("Order Date"), Some(Field::Date));
        assert_eq!(guess_field("Qty"), Some(Field::Quantity));
        assert_eq!(guess_field("Notes"), None);
        assert_eq!(guess_field(""), None);
    }

    #[test]
    fn all_lists_the_fields_in_declaration_order() {
        // The planner indexes arrays by `field as usize`.
        for (i, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(f as usize, i, "{f:?}");
        }
    }

    #[test]
    fn a_field_is_claimed_once() {
        let headers: Vec<String> = ["客户", "客户名称", "金额", "备注"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![Some(Field::CustomerName), None, Some(Field::Revenue), None]);
    }

    #[test]
    fn looser_match_prefers_the_longest_alias() {
        assert_eq!(guess_field("客户名称（全称）"), Some(Field::CustomerName));
        assert_eq!(guess_field("销售成本合计"), Some(Field::Cost));
    }
}
