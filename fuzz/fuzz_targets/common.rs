//! What every planner-driving target checks once `plan` has returned.
//! Errors are fine (the owner reads them); panics, hangs and OOM are bugs.

use std::sync::atomic::AtomicBool;

use vitalfew::import::plan::{self, Existing, Plan};
use vitalfew::import::{ImportOptions, Source};
use vitalfew::model::Customer;

/// Runs the whole planner on `source` and checks what the app does next with
/// a plan: show its preview (JSON to the UI), export its problems (CSV) and
/// store its lines (the encoded chunks must decode back).
pub fn plan_and_check(source: &Source, options: &ImportOptions, existing: &Existing) {
    let cancel = AtomicBool::new(false);
    // The rows as the preview shows them.
    let _ = source.for_each_row(|_, cells| {
        cells.iter().for_each(|c| {
            c.display();
        });
        true
    });
    let Ok(plan) = plan::plan(source, options, existing, &|_, _| {}, &cancel) else { return };
    check_plan(&plan);
}

fn check_plan(plan: &Plan) {
    let p = &plan.preview;
    serde_json::to_string(p).expect("the preview serializes");
    vitalfew::import::problems_csv(p);
    for problem in p.errors.iter().chain(p.warnings.iter()) {
        plan::describe(problem);
    }
    assert!(p.skipped <= p.rows, "skipped {} of {} rows", p.skipped, p.rows);
    assert!(p.new_lines <= p.sales_lines, "{} new of {} lines", p.new_lines, p.sales_lines);
    assert_eq!(p.new_lines as usize, plan.batch.lines.len());
    let mut decoded = 0usize;
    for chunk in plan.batch.lines.chunks() {
        vitalfew::store::lines::decode_each(chunk, |_| decoded += 1).expect("encoded lines decode");
    }
    assert_eq!(decoded, plan.batch.lines.len(), "lines lost in encoding");
    for c in &plan.batch.upserts {
        serde_json::to_vec(c).expect("customer serializes");
    }
    plan.record("2024-01-01T00:00:00Z");
}

#[allow(dead_code)] // not every target uses it
/// Two stored customers, one with an ID, for the "matches what is stored"
/// paths of the planner.
pub fn some_existing() -> Existing {
    let customer = |id: u32, ext_id: Option<&str>, name: &str| Customer {
        id,
        ext_id: ext_id.map(str::to_string),
        name: name.to_string(),
        former_names: Vec::new(),
        region: None,
        industry: None,
        attributes: Default::default(),
        declared: None,
    };
    Existing::new(vec![customer(1, Some("C001"), "华东钢铁有限公司"), customer(2, None, "北方建材集团")], 0)
}
