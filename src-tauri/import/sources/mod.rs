//! The exports owners really have: a known program's export is recognised
//! by its headers (and, for QuickBooks, its title rows), and read by a
//! [`Recipe`]: which column is the customer, the revenue, the order; which
//! rows are no sales (status columns, [`status`]); how a layout of its own
//! is flattened ([`layout`]: customers named on group rows, order fields
//! on an order's first row only). Files of programs not known here get the
//! same rules when their shape shows them (the generic source).
//!
//! To add a source: a [`SourceKind`] (in `model.rs`) with its place in
//! [`SourceKind::ALL`] and its [`SourceKind::name`], its recognition in
//! [`detect`], its recipe function (called from [`recipe`]), its label
//! `import.from.<name>` in both catalogs, and a fixture under
//! `tests/fixtures/sources/` with its figures, worked out by hand, in
//! `tests/sources.rs`.

pub mod layout;
pub mod status;

use super::mapping::{normalize_header, Field};
use crate::i18n::Msg;
pub use layout::Layout;
pub use status::{Exclusion, Reading};

pub use crate::model::SourceKind;

impl SourceKind {
    /// Every source, as the window offers them.
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Fapiao,
        SourceKind::Taobao,
        SourceKind::Alibaba1688,
        SourceKind::Quickbooks,
        SourceKind::Shopify,
        SourceKind::Stripe,
        SourceKind::Generic,
    ];

    /// The name `--source` and `--json` use.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Generic => "generic",
            SourceKind::Fapiao => "fapiao",
            SourceKind::Taobao => "taobao",
            SourceKind::Alibaba1688 => "1688",
            SourceKind::Quickbooks => "quickbooks",
            SourceKind::Shopify => "shopify",
            SourceKind::Stripe => "stripe",
        }
    }

    /// The source as the window names it (`import.from.*`).
    pub fn label(self) -> Msg {
        Msg::new(&format!("import.from.{}", self.name()))
    }
}

/// How a file of a source is read, over the generic mapping.
#[derive(Debug, Clone, Default)]
pub struct Recipe {
    pub kind: SourceKind,
    /// Fields the source decides: (column, field), `None` for an attribute.
    pub fields: Vec<(usize, Option<Field>)>,
    /// Status columns: a row one of them says is no sale is left out.
    pub status: Vec<(usize, Reading)>,
    /// How rows are rearranged before they are read.
    pub layout: Layout,
    /// A product written `*category*name` (e-invoices) gives the line's
    /// category and, without the prefix, its product.
    pub category_prefix: bool,
    /// An invoice without a 数电发票号码 is numbered by 发票代码 and 发票号码.
    pub invoice_parts: Option<(usize, usize)>,
    /// 是否正数发票: `否` marks a red-letter invoice.
    pub red_flag: Option<usize>,
    /// The buyer's and the seller's tax ID columns (e-invoices): a file
    /// whose buyer is the same on every row lists the owner's purchases.
    pub buyer_seller: Option<(usize, usize)>,
    /// What the source means, as the preview says it.
    pub notes: Vec<Msg>,
    /// Columns the source's export has that this file lacks, so it cannot
    /// be read right (a Shopify export without its line columns).
    pub missing: Vec<&'static str>,
}

impl Recipe {
    fn generic() -> Recipe {
        Recipe::default()
    }
}

/// The data rows below the header among the first rows, as text.
pub type HeadRows<'h> = &'h [(u64, Vec<String>)];

/// The column whose header is one of `names` (compared normalized, a unit
/// after it allowed: 金额(元)).
fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    let keys: Vec<String> = names.iter().map(|n| normalize_header(n)).collect();
    keys.iter().find_map(|k| {
        headers.iter().position(|h| {
            let h = normalize_header(h);
            h == *k || h.strip_suffix('元').is_some_and(|h| h == k)
        })
    })
}

fn has_all(headers: &[String], names: &[&str]) -> bool {
    names.iter().all(|n| find(headers, &[n]).is_some())
}

/// The source a file comes from, by its headers and the rows above them.
pub fn detect(headers: &[String], above: HeadRows<'_>) -> SourceKind {
    let any = |names: &[&str]| find(headers, names).is_some();
    if any(&BUYER_ID) && any(&BUYER_NAME) && any(&["销方识别号", "销方名称", "销售方识别号", "销售方名称", "销售方纳税人识别号"]) {
        SourceKind::Fapiao
    } else if has_all(headers, &["订单编号", "买家会员名"]) && any(&["买家实际支付金额", "总金额"]) {
        SourceKind::Taobao
    } else if has_all(headers, &["订单号", "买家公司名"]) && any(&["实付款", "货品总价(元)", "货品总价"]) {
        SourceKind::Alibaba1688
    } else if has_all(headers, &["Name", "Email", "Financial Status"]) {
        SourceKind::Shopify
    } else if any(&["Customer ID"]) && any(&["Created date (UTC)", "Created (UTC)"]) && has_all(headers, &["Amount", "Amount Refunded"]) {
        SourceKind::Stripe
    } else if is_quickbooks(headers, above) {
        SourceKind::Quickbooks
    } else {
        SourceKind::Generic
    }
}

fn is_quickbooks(headers: &[String], above: HeadRows<'_>) -> bool {
    let titled = above.iter().flat_map(|(_, cells)| cells).any(|c| {
        let c = normalize_header(c);
        c.contains("salesbycustomerdetail") || c.contains("salesbyproductservicedetail")
    });
    let shaped = headers.first().is_some_and(|h| h.trim().is_empty()) && has_all(headers, &["Transaction Type", "Num", "Amount"]);
    titled || shaped
}

/// The recipe of `kind` for a file with these headers; `rows` are the data
/// rows among the first ones (to see group rows).
pub fn recipe(kind: SourceKind, headers: &[String], mapping: &[Option<Field>], rows: HeadRows<'_>) -> Recipe {
    let mut r = match kind {
        SourceKind::Generic => Recipe::generic(),
        SourceKind::Fapiao => fapiao(headers),
        SourceKind::Taobao => taobao(headers),
        SourceKind::Alibaba1688 => alibaba(headers),
        SourceKind::Quickbooks => quickbooks(headers),
        SourceKind::Shopify => shopify(headers),
        SourceKind::Stripe => stripe(headers),
    };
    r.kind = kind;
    // Status columns the source did not read itself.
    if r.status.is_empty() {
        r.status = headers
            .iter()
            .enumerate()
            .filter(|(i, h)| status::is_status_header(h) && mapping.get(*i).copied().flatten().is_none())
            .map(|(i, _)| (i, Reading::Words))
            .collect();
    }
    if r.layout.groups.is_none() && kind != SourceKind::Shopify {
        let mut mapped = mapping.to_vec();
        for &(i, f) in &r.fields {
            mapped[i] = f;
        }
        if let Some((column, field)) = layout::group_column(headers, &mapped, rows) {
            r.layout.groups = Some(column);
            r.fields.push((column, Some(field)));
        }
    }
    r
}

/// Notes the columns of `names` the file lacks as missing.
fn require(r: &mut Recipe, headers: &[String], names: &[&'static str]) {
    r.missing.extend(names.iter().filter(|n| find(headers, &[n]).is_none()));
}

/// `column ← field` for the first header of `names` the file has.
fn set(r: &mut Recipe, headers: &[String], names: &[&str], field: Option<Field>) -> Option<usize> {
    let i = find(headers, names)?;
    r.fields.retain(|(c, _)| *c != i);
    // The field moves to this column (any number of columns are ignored).
    if let Some(f) = field.filter(|f| *f != Field::Ignore) {
        r.fields.retain(|(_, g)| *g != Some(f));
    }
    r.fields.push((i, field));
    Some(i)
}

/// An e-invoice's buyer columns, as its exports spell them.
const BUYER_ID: [&str; 4] = ["购方识别号", "购买方识别号", "购买方纳税人识别号", "购方纳税人识别号"];
const BUYER_NAME: [&str; 2] = ["购买方名称", "购方名称"];

fn fapiao(headers: &[String]) -> Recipe {
    let mut r = Recipe::generic();
    let id = set(&mut r, headers, &BUYER_ID, Some(Field::CustomerId));
    set(&mut r, headers, &BUYER_NAME, Some(Field::CustomerName));
    let seller = set(&mut r, headers, &["销方识别号", "销售方识别号", "销售方纳税人识别号"], Some(Field::Ignore));
    set(&mut r, headers, &["销方名称", "销售方名称"], Some(Field::Ignore));
    set(&mut r, headers, &["开票日期"], Some(Field::Date));
    set(&mut r, headers, &["金额"], Some(Field::Revenue));
    set(&mut r, headers, &["价税合计"], None);
    // The invoice's own details (its number's parts, tax, issuer, notes) are
    // neither a line field nor the buyer's: not read as attributes (the
    // status, red-letter flag and number parts are read where they are).
    for h in [
        "序号", "发票代码", "发票号码", "税收分类编码", "特定业务类型", "规格型号", "单位", "税率", "税额", "发票来源", "发票票种",
        "发票状态", "是否正数发票", "发票风险等级", "开票人", "备注",
    ] {
        set(&mut r, headers, &[h], Some(Field::Ignore));
    }
    set(&mut r, headers, &["单价"], Some(Field::Ignore));
    set(&mut r, headers, &["货物或应税劳务名称", "货物或应税劳务、服务名称", "项目名称"], Some(Field::Product));
    set(&mut r, headers, &["数量"], Some(Field::Quantity));
    let electronic = set(&mut r, headers, &["数电发票号码"], Some(Field::OrderId));
    let code = find(headers, &["发票代码"]);
    let number = find(headers, &["发票号码"]);
    match (electronic, code, number) {
        (Some(_), Some(c), Some(n)) => r.invoice_parts = Some((c, n)),
        (None, _, Some(_)) => {
            set(&mut r, headers, &["发票号码"], Some(Field::OrderId));
        }
        _ => {}
    }
    if find(headers, &["金额", "价税合计"]).is_none() {
        require(&mut r, headers, &["金额"]);
    }
    require(&mut r, headers, &["开票日期"]);
    r.category_prefix = true;
    r.red_flag = find(headers, &["是否正数发票"]);
    r.buyer_seller = id.zip(seller);
    if let Some(s) = find(headers, &["发票状态"]) {
        r.status.push((s, Reading::Words));
    }
    r.notes = vec![
        crate::msg!("import.rule.fapiao_buyer"),
        crate::msg!("import.rule.fapiao_amount"),
        crate::msg!("import.rule.fapiao_order"),
        crate::msg!("import.rule.fapiao_category"),
    ];
    r
}

fn taobao(headers: &[String]) -> Recipe {
    let mut r = Recipe::generic();
    set(&mut r, headers, &["买家会员名"], Some(Field::CustomerId));
    set(&mut r, headers, &["订单编号"], Some(Field::OrderId));
    set(&mut r, headers, &["买家实际支付金额", "总金额"], Some(Field::Revenue));
    set(&mut r, headers, &["订单创建时间", "订单付款时间"], Some(Field::Date));
    set(&mut r, headers, &["宝贝标题"], Some(Field::Product));
    set(&mut r, headers, &["宝贝总数量"], Some(Field::Quantity));
    set(&mut r, headers, &["店铺名称"], Some(Field::Ignore));
    set(&mut r, headers, &["店铺Id"], Some(Field::Ignore));
    if find(headers, &["买家实际支付金额", "总金额"]).is_none() {
        require(&mut r, headers, &["买家实际支付金额"]);
    }
    if let Some(s) = find(headers, &["订单状态"]) {
        r.status.push((s, Reading::Words));
    }
    r.notes = vec![crate::msg!("import.rule.shop_buyer")];
    r
}

fn alibaba(headers: &[String]) -> Recipe {
    let mut r = Recipe::generic();
    set(&mut r, headers, &["买家公司名", "买家公司名称"], Some(Field::CustomerName));
    set(&mut r, headers, &["订单号"], Some(Field::OrderId));
    set(&mut r, headers, &["实付款", "实付款(元)", "货品总价(元)", "货品总价"], Some(Field::Revenue));
    set(&mut r, headers, &["下单时间", "付款时间"], Some(Field::Date));
    set(&mut r, headers, &["货品标题"], Some(Field::Product));
    set(&mut r, headers, &["数量"], Some(Field::Quantity));
    set(&mut r, headers, &["卖家公司名"], Some(Field::Ignore));
    for s in [find(headers, &["订单状态"]), find(headers, &["退款状态"])].into_iter().flatten() {
        r.status.push((s, Reading::Words));
    }
    r.notes = vec![crate::msg!("import.rule.company_buyer")];
    r
}

fn quickbooks(headers: &[String]) -> Recipe {
    let mut r = Recipe::generic();
    set(&mut r, headers, &["Num", "No.", "Invoice No."], Some(Field::OrderId));
    set(&mut r, headers, &["Amount"], Some(Field::Revenue));
    set(&mut r, headers, &["Balance"], Some(Field::Ignore));
    set(&mut r, headers, &["Sales Price", "Rate"], None);
    r
}

fn shopify(headers: &[String]) -> Recipe {
    let mut r = Recipe::generic();
    let order = set(&mut r, headers, &["Name"], Some(Field::OrderId));
    set(&mut r, headers, &["Email"], Some(Field::CustomerId));
    let company = find(headers, &["Billing Company"]);
    let billing = find(headers, &["Billing Name"]);
    let name = company.or(billing);
    if let Some(n) = name {
        r.fields.push((n, Some(Field::CustomerName)));
        r.layout.coalesce.push((n, [company, billing].into_iter().flatten().filter(|&c| c != n).collect()));
    }
    for h in ["Shipping Company", "Shipping Name"] {
        set(&mut r, headers, &[h], None);
    }
    set(&mut r, headers, &["Created at"], Some(Field::Date));
    set(&mut r, headers, &["Lineitem name"], Some(Field::Product));
    set(&mut r, headers, &["Lineitem quantity"], Some(Field::Quantity));
    set(&mut r, headers, &["Lineitem price"], Some(Field::UnitPrice));
    set(&mut r, headers, &["Lineitem discount"], Some(Field::Discount));
    set(&mut r, headers, &["Refunded Amount"], Some(Field::Refunded));
    for h in ["Total", "Subtotal", "Shipping", "Taxes", "Discount Amount", "Lineitem compare at price", "Vendor"] {
        set(&mut r, headers, &[h], None);
    }
    require(&mut r, headers, &["Lineitem price", "Lineitem quantity"]);
    let status = find(headers, &["Financial Status"]);
    if let Some(s) = status {
        r.status.push((s, Reading::Words));
    }
    // Order-level fields given on an order's first row only.
    if let Some(order) = order {
        let fill: Vec<usize> = ["Email", "Financial Status", "Billing Name", "Billing Company", "Created at", "Paid at"]
            .iter()
            .filter_map(|h| find(headers, &[h]))
            .collect();
        r.layout.fill = Some((order, fill));
    }
    r.notes = vec![crate::msg!("import.rule.shopify_customer"), crate::msg!("import.rule.first_row"), crate::msg!("import.rule.line_price")];
    r
}

fn stripe(headers: &[String]) -> Recipe {
    let mut r = Recipe::generic();
    set(&mut r, headers, &["id"], Some(Field::OrderId));
    set(&mut r, headers, &["Customer ID"], Some(Field::CustomerId));
    let description = find(headers, &["Customer Description"]);
    let email = find(headers, &["Customer Email"]);
    if let Some(n) = description.or(email) {
        r.fields.retain(|(_, f)| *f != Some(Field::CustomerName));
        r.fields.push((n, Some(Field::CustomerName)));
        r.layout.coalesce.push((n, email.into_iter().filter(|&e| e != n).collect()));
    }
    set(&mut r, headers, &["Created date (UTC)", "Created (UTC)"], Some(Field::Date));
    set(&mut r, headers, &["Amount"], Some(Field::Revenue));
    set(&mut r, headers, &["Amount Refunded"], Some(Field::Refunded));
    for h in ["Converted Amount", "Converted Amount Refunded", "Fee", "Refunded date (UTC)", "Invoice ID"] {
        set(&mut r, headers, &[h], None);
    }
    match (find(headers, &["Status"]), find(headers, &["Captured"])) {
        (Some(s), captured) => {
            r.status.push((s, Reading::PaidOnly));
            // A payment without a status is read by whether it was captured.
            if let Some(c) = captured {
                r.layout.coalesce.push((s, vec![c]));
            }
        }
        (None, Some(c)) => r.status.push((c, Reading::Captured)),
        (None, None) => {}
    }
    r.notes = vec![crate::msg!("import.rule.stripe_paid")];
    r
}

/// A product written `*category*name` (the e-invoice's tax category before
/// the goods): `(category, name)`.
pub fn split_category(product: &str) -> Option<(&str, &str)> {
    let rest = product.strip_prefix('*')?;
    let end = rest.find('*')?;
    let (category, name) = (rest[..end].trim(), rest[end + 1..].trim());
    (!category.is_empty()).then_some((category, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sources_are_recognised_by_their_headers() {
        let fapiao = strings(&["序号", "发票代码", "发票号码", "数电发票号码", "销方识别号", "销方名称", "购方识别号", "购买方名称", "开票日期", "金额"]);
        assert_eq!(detect(&fapiao, &[]), SourceKind::Fapiao);
        let taobao = strings(&["订单编号", "买家会员名", "买家实际支付金额", "订单状态"]);
        assert_eq!(detect(&taobao, &[]), SourceKind::Taobao);
        let ali = strings(&["订单号", "买家公司名", "买家", "货品标题", "数量", "货品总价(元)", "实付款"]);
        assert_eq!(detect(&ali, &[]), SourceKind::Alibaba1688);
        let shopify = strings(&["Name", "Email", "Financial Status", "Lineitem quantity", "Lineitem name", "Lineitem price"]);
        assert_eq!(detect(&shopify, &[]), SourceKind::Shopify);
        let stripe = strings(&["id", "Created date (UTC)", "Amount", "Amount Refunded", "Status", "Customer ID"]);
        assert_eq!(detect(&stripe, &[]), SourceKind::Stripe);
        let qb = strings(&["", "Date", "Transaction Type", "Num", "Product/Service", "Qty", "Amount"]);
        assert_eq!(detect(&qb, &[]), SourceKind::Quickbooks);
        let title = [(1, strings(&["Sales by Customer Detail"]))];
        assert_eq!(detect(&strings(&["", "Date", "Amount"]), &title), SourceKind::Quickbooks);
        assert_eq!(detect(&strings(&["客户名称", "销售额"]), &[]), SourceKind::Generic);
    }

    #[test]
    fn an_e_invoice_is_read_by_its_buyer_and_its_own_details_are_not_attributes() {
        let headers = strings(&["序号", "发票代码", "发票号码", "数电发票号码", "销方识别号", "销方名称", "购方识别号", "购买方名称", "开票日期", "金额", "价税合计", "开票人"]);
        let r = recipe(SourceKind::Fapiao, &headers, &vec![None; headers.len()], &[]);
        let field = |h: &str| r.fields.iter().rev().find(|(c, _)| headers[*c] == h).map(|(_, f)| *f);
        assert_eq!(field("购方识别号"), Some(Some(Field::CustomerId)));
        assert_eq!(field("购买方名称"), Some(Some(Field::CustomerName)));
        assert_eq!(field("数电发票号码"), Some(Some(Field::OrderId)));
        assert_eq!(field("金额"), Some(Some(Field::Revenue)));
        assert_eq!(field("价税合计"), Some(None), "left for the owner to choose");
        for h in ["序号", "发票代码", "发票号码", "销方识别号", "销方名称", "开票人"] {
            assert_eq!(field(h), Some(Some(Field::Ignore)), "{h}");
        }
        assert_eq!(r.invoice_parts, Some((1, 2)));
        assert!(r.missing.is_empty());
    }

    #[test]
    fn an_invoice_product_names_its_category() {
        assert_eq!(split_category("*家具*办公椅"), Some(("家具", "办公椅")));
        assert_eq!(split_category("*信息技术服务*软件开发服务"), Some(("信息技术服务", "软件开发服务")));
        assert_eq!(split_category("办公椅"), None);
        assert_eq!(split_category("**办公椅"), None);
        assert_eq!(split_category("*家具"), None);
    }
}
