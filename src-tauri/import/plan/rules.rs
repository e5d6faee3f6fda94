//! What the preview says of how a file was read beyond its mapping (the
//! source's rules, with what the rows showed), and the checks of a file's
//! identity columns: a customer column with one value on every row, an
//! e-invoice export of the owner's purchases.

use super::{cell_text, normalize_name, ImportRule, State};
use crate::i18n::Msg;
use crate::import::mapping::Field;
use crate::import::sources::layout::Flattened;
use crate::import::sources::{Recipe, SourceKind};
use crate::import::table::{column_label, quoted, Cell, Rows};

/// The rules the preview names (see [`ImportRule`]): the source's meaning,
/// then what this file's rows showed.
pub(super) fn rules(recipe: &Recipe, state: &State<'_>, flattened: Flattened, constant: Option<String>, priced: bool) -> Vec<ImportRule> {
    let mut rules: Vec<ImportRule> = recipe.notes.iter().cloned().map(ImportRule::new).collect();
    let money = |v: f64| crate::i18n::group(v, 2);
    if flattened.groups > 0 {
        let field = recipe.layout.groups.and_then(|g| recipe.fields.iter().find(|(c, _)| *c == g)).and_then(|(_, f)| *f);
        let key = match field {
            Some(Field::Product) => "import.rule.group_rows_product",
            _ => "import.rule.group_rows",
        };
        rules.push(ImportRule::new(Msg::new(key).with("groups", flattened.groups).with("totals", flattened.totals)));
    }
    if state.red.0 > 0 {
        rules.push(ImportRule::new(crate::msg!("import.rule.red_invoices", lines = state.red.0, amount = money(state.red.1))));
    }
    if !state.renamed.is_empty() {
        rules.push(ImportRule::new(crate::msg!("import.rule.renamed", customers = state.renamed.len())));
    }
    if state.refunds.0 > 0 {
        rules.push(ImportRule::new(crate::msg!("import.rule.refunds", lines = state.refunds.0, amount = money(state.refunds.1))));
    }
    if priced && state.priced > 0 && recipe.kind != SourceKind::Shopify {
        rules.push(ImportRule::new(crate::msg!("import.rule.unit_price", lines = state.priced)));
    }
    if let Some(column) = constant {
        rules.push(ImportRule::new(crate::msg!("import.rule.constant_column", column = column)));
    }
    rules
}

/// Rows a customer column needs with one value on every one of them to be
/// called the owner's own (an empty column needs fewer).
const CONSTANT_ROWS: u64 = 10;
const EMPTY_ROWS: u64 = 3;

/// Whether column `c` holds one value on (nearly) every data row, or none:
/// read over the whole file, up to its second value (a file sorted by
/// customer has one customer on its first hundred rows). A column filled
/// on a few rows only names those rows' customers (Shopify's Billing
/// Company); one value on a file's few rows may be its only customer.
fn constant_column(rows: Rows<'_>, header_row: u64, c: usize) -> crate::Result<Option<String>> {
    let (mut first, mut two, mut filled, mut lines): (Option<(String, String)>, bool, u64, u64) = (None, false, 0, 0);
    rows.for_each_row(|row, cells| {
        if row <= header_row || cells.iter().all(Cell::is_empty) {
            return true;
        }
        lines += 1;
        if let Some(v) = cell_text(cells, c) {
            filled += 1;
            let key = normalize_name(&v);
            match &first {
                None => first = Some((key, v.into_owned())),
                Some((k, _)) if *k != key => two = true,
                Some(_) => {}
            }
        }
        !two
    })?;
    let constant = match &first {
        _ if two => false,
        None => lines >= EMPTY_ROWS,
        Some(_) => filled >= CONSTANT_ROWS && filled * 10 >= lines * 9,
    };
    Ok(constant.then(|| first.map(|(_, v)| v).unwrap_or_default()))
}

/// A customer column with one value on every row (the owner's own company
/// or shop), or none, is not the customer: it is unmapped, and another
/// column that names customers takes its field if there is one. Returns
/// the column and its value.
pub(super) fn avoid_constant_customer(
    headers: &[String],
    mapping: &mut [Option<Field>],
    rows: Rows<'_>,
    header_row: u64,
) -> crate::Result<Option<(usize, String)>> {
    let mut dropped = None;
    for f in [Field::CustomerId, Field::CustomerName] {
        let Some(c) = mapping.iter().position(|m| *m == Some(f)) else { continue };
        let Some(value) = constant_column(rows, header_row, c)? else { continue };
        mapping[c] = None;
        dropped.get_or_insert((c, value));
        for o in 0..headers.len() {
            let candidate = o != c
                && mapping[o].is_none()
                && matches!(crate::import::mapping::guess_field(&headers[o]), Some(Field::CustomerId | Field::CustomerName));
            if candidate && constant_column(rows, header_row, o)?.is_none() {
                mapping[o] = Some(f);
                break;
            }
        }
    }
    Ok(dropped)
}

/// An e-invoice export whose buyer is the same on every row while its
/// sellers differ lists the owner's purchases: refused.
pub(super) fn check_not_purchases(rows: Rows<'_>, header_row: u64, buyer: usize, seller: usize, headers: &[String]) -> std::result::Result<(), Msg> {
    let (mut buyers, mut sellers): (Option<String>, Option<String>) = (None, None);
    let (mut one_buyer, mut many_sellers, mut lines) = (true, false, 0u64);
    let read = rows.for_each_row(|row, cells| {
        if row <= header_row {
            return true;
        }
        let (Some(b), Some(s)) = (cell_text(cells, buyer), cell_text(cells, seller)) else { return true };
        lines += 1;
        match &buyers {
            None => buyers = Some(b.into_owned()),
            Some(first) => one_buyer &= *first == *b,
        }
        match &sellers {
            None => sellers = Some(s.into_owned()),
            Some(first) => many_sellers |= *first != *s,
        }
        one_buyer
    });
    if read.is_ok() && one_buyer && many_sellers && lines >= 2 {
        return Err(crate::msg!(
            "import.plan.purchase_invoices",
            column = column_label(buyer, &headers[buyer]),
            buyer = quoted(buyers.as_deref().unwrap_or(""))
        ));
    }
    Ok(())
}
