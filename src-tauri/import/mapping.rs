//! What each source column means. Headers are matched against English and
//! Chinese aliases; the user can change any mapping. Unmapped columns are
//! kept as custom attributes of the customer when their value is the same
//! on all of a customer's rows (see the planner); a column mapped to
//! [`Field::Ignore`] is not read.

pub use crate::model::Field;

impl Field {
    /// The field's name as the window shows it (`field.*` in the catalogs).
    pub fn label(self) -> crate::i18n::Msg {
        let name = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        crate::i18n::Msg::new(&format!("field.{name}"))
    }

    pub const ALL: [Field; 17] = [
        Field::CustomerId,
        Field::CustomerName,
        Field::Revenue,
        Field::Cost,
        Field::Profit,
        Field::Date,
        Field::OrderId,
        Field::Quantity,
        Field::Product,
        Field::Category,
        Field::Region,
        Field::Industry,
        Field::Orders,
        Field::UnitPrice,
        Field::Discount,
        Field::Refunded,
        Field::Ignore,
    ];

    /// The name the command line's `--map HEADER=FIELD` uses.
    pub fn cli_name(self) -> &'static str {
        match self {
            Field::CustomerId => "customer_id",
            Field::CustomerName => "customer_name",
            Field::Revenue => "revenue",
            Field::Cost => "cost",
            Field::Profit => "profit",
            Field::Date => "date",
            Field::OrderId => "order",
            Field::Quantity => "quantity",
            Field::Product => "product",
            Field::Category => "category",
            Field::Region => "region",
            Field::Industry => "industry",
            Field::Orders => "orders",
            Field::UnitPrice => "unit_price",
            Field::Discount => "discount",
            Field::Refunded => "refunded",
            Field::Ignore => "ignore",
        }
    }

    /// Header spellings that map to this field, compared after
    /// [`normalize_header`]. More specific aliases come first.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::CustomerId => &[
                "customerid", "customerno", "customernumber", "customercode", "clientid", "accountid",
                "客户编号", "客户代码", "客户编码", "客户id", "客户号", "单位编码", "单位编号",
                // Tax IDs (the unified social credit code), e-mail, member names.
                "购方识别号", "购买方识别号", "购方纳税人识别号", "购买方纳税人识别号", "纳税人识别号",
                "统一社会信用代码", "税号", "customeremail", "email", "emailaddress", "邮箱", "电子邮箱",
                "买家会员名", "会员名", "buyerid", "memberid",
            ],
            Field::CustomerName => &[
                "customername", "customer", "client", "clientname", "account", "accountname", "company",
                "buyer", "客户名称", "客户", "客户名", "单位名称", "购货单位", "购买方名称", "购买方", "购方名称",
                "客户全称", "公司名称", "往来单位", "往来单位名称", "买家公司名", "买家公司名称", "客户单位",
            ],
            Field::Revenue => &[
                "revenue", "sales", "salesamount", "amount", "turnover", "netsales", "totalsales", "value",
                "销售额", "营业额", "金额", "收入", "含税金额", "销售金额", "销售收入", "价税合计", "不含税金额",
                "营业收入", "总金额", "实付款", "买家实际支付金额", "实收金额", "货品总价", "amountpaid",
            ],
            Field::Cost => &["cost", "costs", "cogs", "costofsales", "成本", "销售成本", "成本金额", "营业成本"],
            Field::Profit => &[
                "profit", "grossprofit", "margin", "grossmargin", "利润", "毛利", "毛利额", "利润额", "销售毛利",
            ],
            Field::Date => &[
                "date", "orderdate", "invoicedate", "saledate", "salesdate", "orderedon", "订单日期", "日期",
                "下单日期", "开票日期", "销售日期", "单据日期", "业务日期", "出库日期", "订单创建时间", "下单时间",
                "创建时间", "开票时间", "交易时间", "createdat", "created", "createdutc", "createddateutc", "transactiondate",
                "txndate",
            ],
            Field::OrderId => &[
                "orderid", "orderno", "ordernumber", "order", "invoice", "invoiceno", "invoicenumber",
                "documentno", "订单号", "单据编号", "订单编号", "单号", "发票号", "发票号码", "数电发票号码",
            ],
            // "numberof" is contained in "number_of_cds", "Number of units";
            // "numberoforders" (Orders) is longer and exact, so it still wins.
            Field::Quantity => &[
                "quantity", "qty", "units", "pieces", "pcs", "numberof", "数量", "件数", "销量", "销售数量", "数目",
                "宝贝总数量", "商品数量", "购买数量", "lineitemquantity",
            ],
            Field::Product => &[
                "product", "productname", "item", "sku", "goods", "产品", "产品名称", "商品", "商品名称",
                "品名", "物料名称", "存货名称", "宝贝标题", "货品标题", "商品标题", "货物或应税劳务名称",
                "货物或应税劳务服务名称", "项目名称", "lineitemname", "productservice",
            ],
            Field::Category => &[
                "category", "productcategory", "productgroup", "itemcategory", "类别", "品类", "产品类别", "商品类别",
                "产品分类", "商品分类", "类目", "存货分类",
            ],
            Field::Region => &[
                "region", "area", "territory", "province", "state", "city", "地区", "区域", "所属区域", "地域", "省份",
                "城市",
            ],
            Field::Industry => &["industry", "sector", "行业", "所属行业", "行业类别"],
            Field::Orders => &["orders", "ordercount", "numberoforders", "订单数", "订单数量", "下单次数", "交易次数"],
            Field::UnitPrice => &[
                "unitprice", "price", "salesprice", "lineitemprice", "单价", "含税单价", "销售单价", "商品单价", "商品金额",
            ],
            Field::Discount => &["lineitemdiscount", "discountamount", "折扣额", "优惠金额", "折扣金额"],
            Field::Refunded => &["amountrefunded", "refundedamount", "refunded", "退款金额", "已退款金额"],
            Field::Ignore => &[],
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

/// How well a header names a field: an exact alias beats one the header
/// only contains; among those, an alias listed earlier (more specific) and,
/// for contained ones, a longer one wins. Smaller is better.
type Quality = (u8, usize, std::cmp::Reverse<usize>);

/// The field a header most likely names, with how well.
fn guess(header: &str) -> Option<(Field, Quality)> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let mut best: Option<(Field, Quality)> = None;
    let sellers = is_seller_header(&h);
    for f in Field::ALL {
        if sellers && matches!(f, Field::CustomerId | Field::CustomerName) {
            continue;
        }
        for (rank, a) in f.aliases().iter().enumerate() {
            let quality = if h == *a {
                (0, rank, std::cmp::Reverse(a.len()))
            } else if a.chars().count() >= 2 && h.contains(a) {
                // Looser: "客户名称（全称）", "Sales (CNY)".
                (1, 0, std::cmp::Reverse(a.len()))
            } else {
                continue;
            };
            if best.is_none_or(|(_, q)| quality < q) {
                best = Some((f, quality));
            }
        }
    }
    best
}

/// Words of a header about the seller (the owner's own company or shop:
/// 销方名称, 店铺名称, Seller, Vendor), normalized: such a column is never
/// the customer.
const SELLER_WORDS: [&str; 10] = ["销方", "销售方", "卖家", "卖方", "店铺", "seller", "vendor", "merchant", "shop", "store"];

fn is_seller_header(normalized: &str) -> bool {
    SELLER_WORDS.iter().any(|w| normalized.contains(w))
}

/// The field a header most likely names, if any.
pub fn guess_field(header: &str) -> Option<Field> {
    guess(header).map(|(f, _)| f)
}

/// One field per column at most: where several columns name the same field
/// the best match keeps it ("Region" over "City"; "Customer ID" exactly over
/// "Customer ID (old)"), the earlier column on a tie.
pub fn auto_map(headers: &[String]) -> Vec<Option<Field>> {
    let guesses: Vec<Option<(Field, Quality)>> = headers.iter().map(|h| guess(h)).collect();
    let mut mapping: Vec<Option<Field>> = guesses
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let (f, q) = (*g)?;
            let beaten = guesses.iter().enumerate().any(|(j, other)| {
                other.is_some_and(|(of, oq)| of == f && (oq < q || (oq == q && j < i)))
            });
            (!beaten).then_some(f)
        })
        .collect();
    // A price and a discount only make the revenue of a file without one
    // (Superstore's "Discount" is a rate beside its "Sales").
    if mapping.contains(&Some(Field::Revenue)) {
        for m in mapping.iter_mut().filter(|m| matches!(m, Some(Field::UnitPrice | Field::Discount))) {
            *m = None;
        }
    }
    mapping
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
        // Both name the customer; the more specific header keeps it.
        let headers: Vec<String> = ["客户", "客户名称", "金额", "备注"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![None, Some(Field::CustomerName), Some(Field::Revenue), None]);
        let headers: Vec<String> = ["金额", "销售额"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![None, Some(Field::Revenue)]);
    }

    #[test]
    fn an_exact_header_beats_a_partial_one_and_a_specific_alias_a_general_one() {
        let headers: Vec<String> = ["City", "State", "Region", "Sales"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![None, None, Some(Field::Region), Some(Field::Revenue)]);
        let headers: Vec<String> = ["城市", "省份", "销售额"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![None, Some(Field::Region), Some(Field::Revenue)]);
        let headers: Vec<String> = ["Customer ID (old)", "Customer ID", "Customer"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![None, Some(Field::CustomerId), Some(Field::CustomerName)]);
    }

    #[test]
    fn categories_map_in_both_languages() {
        for h in ["Category", "Product Category", "类别", "品类", "产品类别"] {
            assert_eq!(guess_field(h), Some(Field::Category), "{h}");
        }
        // "Sub-Category" is a category too, but "Category" itself wins.
        let headers: Vec<String> = ["Sub-Category", "Category"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&headers), vec![None, Some(Field::Category)]);
    }

    #[test]
    fn counts_of_things_sold_are_quantities() {
        for h in ["number_of_cds", "Number of units", "qty", "Qty sold", "件数", "数量(件)", "数量（件）", "Pieces"] {
            assert_eq!(guess_field(h), Some(Field::Quantity), "{h}");
        }
        // Orders stay orders.
        for h in ["Number of orders", "number_of_orders", "订单数"] {
            assert_eq!(guess_field(h), Some(Field::Orders), "{h}");
        }
    }

    #[test]
    fn looser_match_prefers_the_longest_alias() {
        assert_eq!(guess_field("客户名称（全称）"), Some(Field::CustomerName));
        assert_eq!(guess_field("销售成本合计"), Some(Field::Cost));
    }
}
