//! What the preview says of how a file was read beyond its mapping (the
//! source's rules, with what the rows showed), and the checks of a file's
//! identity columns: a customer column with one value on every row, an
//! e-invoice export of the owner's purchases.

use std::collections::HashSet;

use super::{cell_text, normalize_name, ImportRule, State};
use crate::i18n::Msg;
use crate::import::mapping::Field;
use crate::import::sources::layout::Flattened;
use crate::import::sources::{Recipe, SourceKind};
use crate::import::table::{column_label, quoted, Rows};

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

/// Data rows among the first ones needed to call a customer column with one
/// value on every row the owner's own (an empty one needs fewer).
const CONSTANT_ROWS: usize = 10;
const EMPTY_ROWS: usize = 3;

/// A customer column with one value on every row (the owner's own company
/// or shop), or none, is not the customer: it is unmapped, and another
/// column that names customers takes its field if there is one. Returns
/// the column and its value.
pub(super) fn avoid_constant_customer(headers: &[String], mapping: &mut [Option<Field>], rows: &[(u64, Vec<String>)]) -> Option<(usize, String)> {
    let lines = rows.iter().filter(|(_, cells)| cells.iter().any(|v| !v.trim().is_empty())).count();
    let constant = |c: usize| {
        let filled: Vec<String> = rows.iter().filter_map(|(_, cells)| cells.get(c).map(|v| normalize_name(v))).filter(|v| !v.is_empty()).collect();
        let v: HashSet<&String> = filled.iter().collect();
        // One value on (nearly) every row: a column filled on a few rows
        // only names those rows' customers (Shopify's Billing Company).
        (v.is_empty() && rows.len() >= EMPTY_ROWS) || (v.len() == 1 && filled.len() >= CONSTANT_ROWS && filled.len() * 10 >= lines * 9)
    };
    let mut dropped = None;
    for f in [Field::CustomerId, Field::CustomerName] {
        let Some(c) = mapping.iter().position(|m| *m == Some(f)) else { continue };
        if !constant(c) {
            continue;
        }
        mapping[c] = None;
        let value = rows.iter().find_map(|(_, cells)| cells.get(c).filter(|v| !v.trim().is_empty()).cloned()).unwrap_or_default();
        dropped.get_or_insert((c, value));
        let other = (0..headers.len()).find(|&o| {
            o != c
                && mapping[o].is_none()
                && matches!(crate::import::mapping::guess_field(&headers[o]), Some(Field::CustomerId | Field::CustomerName))
                && !constant(o)
        });
        if let Some(o) = other {
            mapping[o] = Some(f);
        }
    }
    dropped
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
