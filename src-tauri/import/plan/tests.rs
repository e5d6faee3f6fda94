//! Unit tests of the import planner. Over 500 lines because each case is a
//! small file of its own shape (layouts, duplicates, identity, rules) read
//! through the same helpers.

use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

use super::identity::{cents, content_hash, OCCURRENCE_STEP};
use super::read::day_month_parts;
use super::*;
use crate::import::sources::layout::is_total_row;
use crate::import::table::Source;
use crate::import::text::Delimiter;
use crate::import::DecimalMark;
use crate::model::ImportRecord;

fn source(text: &str) -> (tempfile::TempDir, Source) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, text).unwrap();
    let src = Source::open(&path, None, None, &AtomicBool::new(false)).unwrap();
    (dir, src)
}

fn run(text: &str, options: &ImportOptions, existing: &Existing) -> Result<Plan> {
    let (_dir, mut src) = source(text);
    // As `prepare` does.
    if let Some(d) = options.delimiter {
        src.set_delimiter(d);
    }
    plan(&src, options, existing, &|_, _| {}, &AtomicBool::new(false))
}

fn existing_after(plan: &Plan, before: Existing) -> Existing {
    let mut customers = before.customers;
    for c in &plan.batch.upserts {
        customers.retain(|x| x.id != c.id);
        customers.push(c.clone());
    }
    let mut existing = Existing { customers, ..before };
    plan.batch.lines.for_each(|l| existing.add_line(&l)).unwrap();
    existing
}

/// A planned line, as the tests look at it.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    date: Option<NaiveDate>,
    category: Option<String>,
    profit: Option<f64>,
}

fn lines(plan: &Plan) -> Vec<Line> {
    let mut out = Vec::new();
    plan.batch
        .lines
        .for_each(|l| {
            out.push(Line { date: l.date, category: l.category.map(String::from), profit: l.profit })
        })
        .unwrap();
    out
}

fn first_line(plan: &Plan) -> Line {
    lines(plan).swap_remove(0)
}

#[test]
fn names_match_case_width_and_space_insensitively() {
    assert_eq!(normalize_name("  ＡＣＭＥ   Trading "), "acme trading");
    assert_eq!(customer_key(None, "Acme  Trading"), customer_key(None, "acme trading"));
    assert_ne!(customer_key(Some("C1"), "Acme"), customer_key(None, "Acme"));
    let p = run("Customer,Date,Sales\nAcme Ltd,2024-01-01,1\nACME  LTD,2024-01-02,2\nＡｃｍｅ Ltd,2024-01-03,3\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.customers, 1);
    assert_eq!(p.batch.upserts[0].name, "Acme Ltd", "the first spelling is kept");
}

#[test]
fn profit_is_revenue_minus_cost_when_missing() {
    let p = run("客户,日期,金额,成本\n甲,2024-01-01,100,70\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(first_line(&p).profit, Some(30.0));
    assert_eq!(p.preview.profit, Some(30.0));
    assert_eq!(p.preview.revenue, 100.0);
}

#[test]
fn conflicting_day_orders_are_refused() {
    let err = run("客户,日期,金额\n甲,25/01/2024,1\n乙,01/25/2024,2\n", &ImportOptions::default(), &Existing::default()).unwrap_err();
    assert!(err.to_string().contains("mix day/month and month/day"), "{err}");
}

#[test]
fn day_order_is_shown_and_can_be_overridden() {
    let text = "客户,日期,金额\n甲,03/04/2024,1\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.date_order, Some(DateOrder::MonthFirst));
    assert!(!p.preview.date_order_evident);
    assert_eq!(first_line(&p).date, NaiveDate::from_ymd_opt(2024, 3, 4));
    let opts = ImportOptions { date_order: Some(DateOrder::DayFirst), ..Default::default() };
    let p = run(text, &opts, &Existing::default()).unwrap();
    assert_eq!(first_line(&p).date, NaiveDate::from_ymd_opt(2024, 4, 3));
    let iso = run("客户,日期,金额\n甲,2024-03-04,1\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(iso.preview.date_order, None, "nothing to decide for ISO dates");
}

#[test]
fn a_mapping_override_changes_the_meaning_of_columns() {
    let text = "Kunde,Datum,Umsatz,Marge\nA,2024-01-01,100,30\n";
    let auto = run(text, &ImportOptions::default(), &Existing::default());
    assert!(auto.is_err(), "German headers are not known");
    let mapping = vec![Some(Field::CustomerName), Some(Field::Date), Some(Field::Revenue), Some(Field::Profit)];
    let opts = ImportOptions { mapping: Some(mapping), ..Default::default() };
    let p = run(text, &opts, &Existing::default()).unwrap();
    assert_eq!(p.preview.shape, Shape::SalesLedger);
    assert_eq!(first_line(&p).profit, Some(30.0));
    assert_eq!(p.preview.columns[3].field, Some(Field::Profit));
}

#[test]
fn unmapped_columns_become_attributes_and_samples_are_shown() {
    let p = run("客户名称,销售额,负责人\n甲,1,王\n乙,2,李\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.shape, Shape::CustomerTable);
    assert_eq!(p.batch.upserts[0].attributes["负责人"], "王");
    assert_eq!(p.preview.columns[2].samples, vec!["王", "李"]);
    assert_eq!(p.preview.columns[2].field, None);
}

#[test]
fn a_field_mapped_twice_is_refused() {
    let opts = ImportOptions { mapping: Some(vec![Some(Field::CustomerName), Some(Field::CustomerName)]), ..Default::default() };
    let err = run("a,b\nx,y\n", &opts, &Existing::default()).unwrap_err();
    assert!(err.to_string().contains("more than one column is mapped"), "{err}");
}

#[test]
fn replanning_against_the_result_changes_nothing() {
    let text = "客户编号,客户名称,日期,金额\nC1,甲,2024-01-01,5\nC1,甲,2024-01-01,5\nC2,乙,2024-01-02,7\n";
    let first = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(first.batch.lines.len(), 3);
    let existing = existing_after(&first, Existing::default());
    assert_eq!(existing.fingerprints.len(), 3, "two identical lines are told apart");
    let again = run(text, &ImportOptions::default(), &existing).unwrap();
    assert!(!again.preview.changes_anything(), "{:?}", again.preview);
    assert_eq!(again.preview.sales_lines, 3);
    assert_eq!(again.preview.new_lines, 0);
}

#[test]
fn an_id_column_adopts_a_customer_first_known_by_name() {
    let first = run("客户名称,日期,金额\n甲,2024-01-01,5\n", &ImportOptions::default(), &Existing::default()).unwrap();
    let existing = existing_after(&first, Existing::default());
    let p = run("客户编号,客户名称,日期,金额\nC9,甲,2024-01-02,5\n", &ImportOptions::default(), &existing).unwrap();
    assert_eq!(p.preview.new_customers, 0);
    assert_eq!(p.preview.changed_customers, 1);
    assert_eq!(p.batch.upserts[0].ext_id.as_deref(), Some("C9"));
}

#[test]
fn cancelling_stops_with_nothing_planned() {
    let mut text = String::from("客户,日期,金额\n");
    for i in 0..20_000 {
        text.push_str(&format!("c{i},2024-01-01,{i}\n"));
    }
    let (_dir, src) = source(&text);
    let err = plan(&src, &ImportOptions::default(), &Existing::default(), &|_, _| {}, &AtomicBool::new(true)).unwrap_err();
    assert!(matches!(err, Error::Cancelled));
}

#[test]
fn progress_is_reported_for_long_files() {
    let mut text = String::from("客户,日期,金额\n");
    for i in 0..20_000 {
        text.push_str(&format!("c{},2024-01-01,{i}\n", i % 50));
    }
    let (_dir, src) = source(&text);
    let seen = std::cell::RefCell::new(Vec::new());
    plan(&src, &ImportOptions::default(), &Existing::default(), &|rows, f| seen.borrow_mut().push((rows, f)), &AtomicBool::new(false)).unwrap();
    let seen = seen.into_inner();
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1 + 1e-9), "fractions grow: {seen:?}");
    assert_eq!(seen.last().unwrap(), &(20_000, 1.0));
}

#[test]
fn header_row_can_be_chosen() {
    let text = "note,,\n客户名称,日期,金额\n甲,2024-01-01,1\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.header_row, 2);
    let opts = ImportOptions { header_row: Some(9), ..Default::default() };
    assert!(run(text, &opts, &Existing::default()).unwrap_err().to_string().contains("row 9 is not in the file"));
}

#[test]
fn problems_are_described_on_one_line() {
    let p = RowProblem::new(7, "C (销售额)".into(), "abc".into(), crate::msg!("value.not_a_number"));
    assert_eq!(describe(&p), "row 7, column C (销售额): \"abc\" — not a number");
    let long = RowProblem { value: "x".repeat(100), ..p.clone() };
    assert!(describe(&long).contains("…"));
    let hostile = RowProblem { column: column_label(1, "Customer\nName"), value: "Acme\r\n\"Big\" Co\tLtd".into(), ..p };
    assert_eq!(describe(&hostile), "row 7, column B (\"Customer⏎Name\"): \"Acme⏎\\\"Big\\\" Co⇥Ltd\" — not a number");
}

/// Every message that quotes a cell or a header stays on one line; the
/// problem's value stays the cell as it is (it is data, not a message).
#[test]
fn cells_and_headers_in_messages_stay_on_one_line() {
    let one_line = |m: &str| assert!(!m.contains(['\n', '\r', '\t']), "{m:?}");
    // A header with a line break, a customer ID with one, a second name with quotes.
    let text = "\"Customer\nID\",Customer Name,Date,\"Sales\r\n(CNY)\"\n\
                \"C\n1\",Acme,2024-01-01,1\n\
                \"C\n1\",\"\"\"Big\"\" Co\nLtd\",2024-01-02,2\n\
                C2,Beta,2024-01-03,\"12\n34\"\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    let [error] = &p.preview.errors[..] else { panic!("{:?}", p.preview.errors) };
    assert_eq!(error.column, "D (\"Sales⏎(CNY)\")");
    assert_eq!(error.value, "12\n34", "the value is the cell");
    one_line(&describe(error));
    let [warning] = &p.preview.warnings[..] else { panic!("{:?}", p.preview.warnings) };
    assert_eq!(warning.value, "\"Big\" Co\nLtd");
    assert_eq!(warning.reason, "customer ID \"C⏎1\" is also named \"Acme\": the name of its latest row is shown, the others are kept as former names");
    one_line(&describe(warning));
    assert_eq!(p.preview.columns[0].header, "Customer\nID", "the header is the file's");
    // Refusals quoting headers.
    let dup = run("Sales,\"Sa\nles\"\nA,1\n", &ImportOptions::default(), &Existing::default()).unwrap_err().to_string();
    assert!(dup.contains("columns A and B have the same header \"Sa⏎les\""), "{dup}");
    one_line(&dup);
    let unknown = ImportOptions { by_header: vec![("Town\nName".into(), None)], ..Default::default() };
    let missing = run(text, &unknown, &Existing::default()).unwrap_err().to_string();
    assert!(missing.contains("no column is headed \"Town⏎Name\"; the headers are: \"Customer⏎ID\", \"Customer Name\""), "{missing}");
    one_line(&missing);
    let none = run("\"Note\nA\",Other\nx,y\n", &ImportOptions::default(), &Existing::default()).unwrap_err().to_string();
    assert!(none.contains("(headers: \"Note⏎A\", \"Other\")"), "{none}");
    // The check's column names the header on one line too.
    let p = run("Customer,\"Um\nsatz\"\nA,100\nB,200\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.checks[0].column.as_deref(), Some("B (\"Um⏎satz\")"));
    one_line(&p.preview.checks[0].describe());
}

#[test]
fn totals_rows_are_recognized() {
    for t in ["合计", "总计", " 小计 ", "Total", "GRAND TOTAL", "ＴＯＴＡＬ"] {
        assert!(is_total_row(t), "{t}");
    }
    assert!(!is_total_row("Totalview Ltd"));
}

#[test]
fn day_month_parts_only_for_a_b_yyyy() {
    assert_eq!(day_month_parts("25/01/2024"), Some((25, 1)));
    assert_eq!(day_month_parts("1.2.2024 10:00"), Some((1, 2)));
    assert_eq!(day_month_parts("2024/01/25"), None);
    assert_eq!(day_month_parts("25/01/24"), None);
}

fn codes(p: &Plan) -> Vec<(CheckCode, bool)> {
    p.preview.checks.iter().map(|c| (c.code, c.blocking)).collect()
}

#[test]
fn a_file_read_as_one_column_is_blocked() {
    // A header that names a customer field, and lines that are whole records.
    let mut text = String::from("Customer ID  Date      Amount\n");
    for i in 0..30 {
        text.push_str(&format!("{} 2024010{} {}.50\n", 1000 + i, 1 + i % 9, i * 10));
    }
    let p = run(&text, &ImportOptions { delimiter: Some(Delimiter::Comma), ..Default::default() }, &Existing::default()).unwrap();
    assert_eq!(codes(&p), vec![(CheckCode::OneColumn, true), (CheckCode::NamesLookLikeLines, true)]);
    assert!(p.preview.blocked().unwrap().describe().contains("--delimiter"));
    // Read with spaces it is a ledger, and nothing is flagged.
    let p = run(&text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.delimiter, Some(Delimiter::Space));
    assert!(p.preview.checks.is_empty(), "{:?}", p.preview.checks);
    assert_eq!((p.preview.customers, p.preview.sales_lines), (30, 30));
    assert_eq!(first_line(&p).date, NaiveDate::from_ymd_opt(2024, 1, 1));
}

#[test]
fn names_that_look_like_lines_are_blocked_but_real_names_with_numbers_are_not() {
    let mut lines_as_names = String::from("Customer;Sales\n");
    let mut real = String::from("Customer;Sales\n");
    for i in 0..20 {
        lines_as_names.push_str(&format!("{} 2024 {};1\n", 100 + i, i));
        real.push_str(&format!("Shop {};{}\n", ["Alpha", "Beta"][i % 2], i));
    }
    let p = run(&lines_as_names, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(codes(&p), vec![(CheckCode::NamesLookLikeLines, true)]);
    let p = run(&real, &ImportOptions::default(), &Existing::default()).unwrap();
    assert!(p.preview.checks.is_empty());
}

#[test]
fn a_customer_table_without_amounts_but_with_numbers_is_flagged() {
    let p = run("Customer,Umsatz\nA,100\nB,200\nC,300\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(codes(&p), vec![(CheckCode::NoAmountColumn, false)]);
    assert_eq!(p.preview.checks[0].column.as_deref(), Some("B (Umsatz)"));
    let mapped = ImportOptions { by_header: vec![("Umsatz".into(), Some(Field::Revenue))], ..Default::default() };
    let p = run("Customer,Umsatz\nA,100\nB,200\nC,300\n", &mapped, &Existing::default()).unwrap();
    assert!(p.preview.checks.is_empty());
    assert_eq!(p.preview.revenue, 600.0);
    // Numbers written with the file's decimal comma count as numbers.
    let p = run("Customer;Umsatz\nA;1,5\nB;2,25\n", &ImportOptions { decimal: Some(DecimalMark::Comma), ..Default::default() }, &Existing::default()).unwrap();
    assert_eq!(codes(&p), vec![(CheckCode::NoAmountColumn, false)]);
}

#[test]
fn more_than_a_fifth_skipped_is_flagged_with_the_most_common_reason() {
    let p = run("Customer,Date,Sales\nA,2024-01-01,1\nB,2024-01-02,x\nC,2024-01-03,y\nD,2024-01-04,4\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(codes(&p), vec![(CheckCode::ManySkipped, false)]);
    let c = &p.preview.checks[0];
    assert_eq!((c.count, c.total), (2, 4));
    assert!(c.detail.as_deref().unwrap().contains("not a number"), "{c:?}");
    // A totals row is skipped on purpose: it does not count as a misreading.
    let p = run("Customer,Date,Sales\nA,2024-01-01,1\nB,2024-01-02,2\nTotal,,3\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.skipped, 1);
    assert!(p.preview.checks.is_empty(), "{:?}", p.preview.checks);
}

#[test]
fn decimal_commas_are_detected_and_can_be_overridden() {
    let text = "Customer;Date;Sales;Cost\nA;05.01.2024;1.234,56;987,65\nB;17.02.2024;12,5;10\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!((p.preview.decimal, p.preview.decimal_evident), (DecimalMark::Comma, true));
    assert_eq!(p.preview.revenue, 1247.06);
    let p = run(text, &ImportOptions { decimal: Some(DecimalMark::Point), ..Default::default() }, &Existing::default());
    assert!(p.is_err(), "with a decimal point nothing is readable");
}

#[test]
fn columns_that_vary_within_a_customer_stay_off_the_customer() {
    let text = "Customer ID,Customer Name,Segment,Ship Date,Discount,Category,Sales\n\
                C1,Acme,Consumer,2024-01-05,0.1,Furniture,100\n\
                C1,Acme,Consumer,2024-02-07,0.2,Technology,50\n\
                C2,Beta,Corporate,2024-03-01,0,Furniture,70\n";
    let p = run(&text.replace("Ship Date", "Order Date"), &ImportOptions::default(), &Existing::default()).unwrap();
    let acme = p.batch.upserts.iter().find(|c| c.name == "Acme").unwrap();
    assert_eq!(acme.attributes.keys().collect::<Vec<_>>(), vec!["Segment"], "Discount varies for Acme: not an attribute");
    let beta = p.batch.upserts.iter().find(|c| c.name == "Beta").unwrap();
    assert!(!beta.attributes.contains_key("Discount"), "a per-line column is per line for every customer");
    let kept: Vec<Kept> = p.preview.columns.iter().map(|c| c.kept).collect();
    assert_eq!(kept, vec![Kept::Field, Kept::Field, Kept::Attribute, Kept::Field, Kept::PerLine, Kept::Field, Kept::Field]);
    let planned = lines(&p);
    let categories: Vec<Option<&str>> = planned.iter().map(|l| l.category.as_deref()).collect();
    assert_eq!(categories, vec![Some("Furniture"), Some("Technology"), Some("Furniture")]);
}

#[test]
fn ignored_columns_are_not_read_and_may_repeat() {
    let mapping = vec![Some(Field::CustomerName), Some(Field::Ignore), Some(Field::Revenue), Some(Field::Ignore)];
    let p = run("Customer,Note,Sales,Junk\nA,x,1,y\n", &ImportOptions { mapping: Some(mapping), ..Default::default() }, &Existing::default()).unwrap();
    assert!(p.batch.upserts[0].attributes.is_empty());
    assert_eq!(p.preview.columns[1].kept, Kept::Ignored);
}

/// A file with a bit of everything a real export has, over several of the
/// tokenizer's batches: a title row, quoted cells, every kind of skipped row,
/// identical lines, a late day > 12 that makes the pass run again day-first,
/// an ID with a second name, constant and varying unmapped columns.
fn mixed_file() -> String {
    let mut s = String::from("Sales report 2024,,,,,,,,,,,\n");
    s.push_str("Order ID,Order Date,Customer ID,Customer,Region,Segment,Discount,Product,Category,Quantity,Sales,Cost\n");
    for i in 0..5000u32 {
        let c = i * 7 % 97;
        let (a, b) = (1 + i % 12, 1 + i * 5 % 12);
        let date = if i == 4321 { "25/03/2024".to_string() } else { format!("{a:02}/{b:02}/2024") };
        let name = if i == 333 { "Other Name".to_string() } else { format!("Customer {c}") };
        let product = match i % 4 {
            0 => "\"Bolt, M8\"".to_string(),
            1 => format!("P{}", i % 13),
            2 => "\"Two\nlines\"".to_string(),
            _ => String::new(),
        };
        let sales = match i % 50 {
            7 => "abc".to_string(),
            8 => "¥1,234.50".into(),
            9 => "(12.00)".into(),
            10 => String::new(),
            _ => format!("{}.{:02}", 100 + i % 900, i % 100),
        };
        let row = match i % 211 {
            5 => ",,,,,,,,,,,\n".to_string(),
            6 => format!(",,,合计,,,,,,,{sales},\n"),
            7 => format!("SO-{i},,C{c},{name},East,Retail,0.1,{product},Tools,1,{sales},1\n"),
            8 => format!("SO-{i},{date},,,East,Retail,0.1,{product},Tools,1,{sales},1\n"),
            9 => format!("SO-{i},{date},C{c},{name},East,Retail,0.1,{},Tools,1,{sales},1\n", "x".repeat(1001)),
            _ => {
                let region = ["East", "West", "北区"][(c % 3) as usize];
                let segment = if c % 5 == 0 { "Corporate" } else { "Retail" };
                let discount = if c % 2 == 0 { "0".to_string() } else { format!("0.{}", i % 3) };
                format!(
                    "SO-{},{date},C{c},{name},{region},{segment},{discount},{product},Cat{},{},{sales},{}\n",
                    i % 4000,
                    i % 3,
                    i % 5,
                    i % 60
                )
            }
        };
        s.push_str(&row);
    }
    s
}

/// Everything a plan holds, as text: the preview, the customers and every
/// encoded line, and the lines' identities once stored.
fn plan_digest(p: &Plan) -> String {
    let mut all = format!("{:?}\n{:?}\n{}\n", p.preview, p.batch.upserts, p.checksum);
    p.batch.lines.for_each(|l| all.push_str(&format!("{l:?}\n"))).unwrap();
    let mut identities: Vec<u128> = existing_after(p, Existing::default()).fingerprints.into_iter().collect();
    identities.sort();
    all.push_str(&format!("{identities:?}"));
    blake3::hash(all.as_bytes()).to_hex().to_string()
}

#[test]
fn plans_and_fingerprints_stay_as_they_were() {
    // Digests of what the planner makes of this file (a first import, the
    // same again, one with two lines changed): a change here changes the
    // plan (numbers, problems, their order) or the lines' identity.
    let file = mixed_file();
    let first = run(&file, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(first.preview.date_order, Some(DateOrder::DayFirst), "ran again day-first");
    assert!(first.preview.skipped > 100 && !first.preview.warnings.is_empty());
    let again = run(&file, &ImportOptions::default(), &existing_after(&first, Existing::default())).unwrap();
    let changed = run(&file.replace("SO-1,", "SO-X,"), &ImportOptions::default(), &existing_after(&first, Existing::default())).unwrap();
    assert_eq!(changed.preview.new_lines, 2, "SO-1 is two lines");
    let digests = [plan_digest(&first), plan_digest(&again), plan_digest(&changed)];
    assert_eq!(digests, [
        "baa5f42079ea6cafcd966494e23b6ab5e00c6b347d69995b6f2787f802616c2d",
        "1e7b4d1da9ed5894afee278d86f74d64919b509bd99a3f41eb8ed7ec5e64fed0",
        "9d2dea70fd27719aaaf24d01ee7afc3de768efcfee4feb8c6766fd516654215b",
    ]);
}

#[test]
fn identical_lines_are_told_apart_by_their_occurrence() {
    let file = |copies: usize| format!("Customer,Date,Sales\nB,2024-01-01,5\n{}", "A,2024-01-01,5\n".repeat(copies));
    let p = run(&file(3), &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.batch.lines.len(), 4);
    let stored = existing_after(&p, Existing::default());
    // The k-th identical line is the content's hash plus k steps.
    let mut a = None;
    p.batch.lines.for_each(|l| if l.customer != p.batch.upserts[0].id { a = Some(content_hash(&mut Vec::new(), &l)) }).unwrap();
    let a = a.expect("a line of A");
    for k in 1..=3u128 {
        assert!(stored.fingerprints.contains(&a.wrapping_add(k.wrapping_mul(OCCURRENCE_STEP))), "occurrence {k}");
    }
    assert_eq!(stored.fingerprints.len(), 4);
    // Against what is stored, a file with A three times adds nothing, four
    // times one line, twice nothing.
    let new_lines = |copies| run(&file(copies), &ImportOptions::default(), &existing_after(&p, Existing::default())).unwrap().preview.new_lines;
    assert_eq!((new_lines(3), new_lines(4), new_lines(2)), (0, 1, 0));
}

// ---- Sales stored by an earlier import, in another file's spelling ----

/// What is stored after `plan` was committed as import `import` of `file`
/// (as `prepare` gives it: the lines kept to be matched by sale).
fn stored_by(plan: &Plan, mut before: Existing, import: u32, file: &str) -> Existing {
    let mut stored = std::mem::take(&mut before.stored);
    stored.push(import, &plan.batch.lines);
    let names: Vec<(u32, String)> = before.import_names.drain().chain([(import, file.to_string())]).collect();
    // The sales are read again from the lines now stored.
    let mut existing = existing_after(plan, Existing { sales: OnceLock::new(), ..before });
    existing.keep_lines(stored, names);
    existing
}

/// The English ledger as a workbook holds it: unrounded amounts, a product column.
const LEDGER: &str = "Order ID,Order Date,Customer Name,Product Name,Sales\n\
                      CA-1,2024-01-05,Alice Wong,Chair,957.5775\n\
                      CA-1,2024-01-05,Alice Wong,Desk,120.1\n\
                      CA-2,2024-02-01,Bob Li,Pen,3.456\n";

fn superstore() -> Existing {
    let first = run(LEDGER, &ImportOptions::default(), &Existing::default()).unwrap();
    stored_by(&first, Existing::default(), 1, "superstore.xlsx")
}

#[test]
fn the_same_sales_with_other_names_and_rounded_amounts_are_not_added_again() {
    let stored = superstore();
    // The same orders from the accounting program: Chinese names, amounts
    // rounded to the cent with a currency sign, no product; CA-3 is new.
    let chinese = "订单号,订单日期,客户名称,销售额\n\
                   CA-1,2024/1/5,王爱丽,￥957.58\n\
                   CA-1,2024/1/5,王爱丽,￥120.10\n\
                   CA-2,2024/2/1,李波,￥3.46\n\
                   CA-3,2024/3/1,李波,￥10.00\n";
    let p = run(chinese, &ImportOptions::default(), &stored).unwrap();
    assert_eq!((p.preview.sales_lines, p.preview.new_lines, p.preview.duplicates), (4, 1, 3));
    assert_eq!(p.preview.duplicates_from, vec![DuplicateSource { import: 1, file_name: "superstore.xlsx".into(), lines: 3 }]);
    assert!(!p.preview.duplicates_added);
    assert_eq!(
        p.preview.describe_duplicates().unwrap(),
        "3 lines look like sales already stored from superstore.xlsx (same order, date and amount)"
    );
    // Only the customer of the new line is added: 王爱丽 would have no sales.
    assert_eq!(p.preview.new_customers, 1);
    assert_eq!(p.batch.upserts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["李波"]);
    let new = lines(&p);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].date, NaiveDate::from_ymd_opt(2024, 3, 1));

    // The owner may add them anyway.
    let keep = ImportOptions { keep_duplicates: true, ..Default::default() };
    let kept = run(chinese, &keep, &stored).unwrap();
    assert_eq!((kept.preview.new_lines, kept.preview.duplicates, kept.preview.new_customers), (4, 3, 2));
    assert!(kept.preview.duplicates_added);
    // Then the file is stored as it is: importing it again adds nothing,
    // and nothing looks like a duplicate (its lines are stored themselves).
    let after = stored_by(&kept, stored, 2, "销售.csv");
    let again = run(chinese, &ImportOptions::default(), &after).unwrap();
    assert!(!again.preview.changes_anything(), "{:?}", again.preview);
    assert_eq!((again.preview.new_lines, again.preview.duplicates), (0, 0));
    // And a third spelling of the same sales matches the lines left: none.
    let third = chinese.replace("王爱丽", "Wong A.").replace("李波", "B. Li");
    let p = run(&third, &ImportOptions::default(), &after).unwrap();
    assert_eq!((p.preview.new_lines, p.preview.duplicates), (0, 4));
    assert_eq!(p.preview.duplicates_from.iter().map(|d| (d.import, d.lines)).collect::<Vec<_>>(), vec![(1, 3), (2, 1)]);
}

#[test]
fn a_sale_differing_in_order_date_or_cent_is_new() {
    let stored = superstore();
    let file = |order: &str, date: &str, amount: &str| format!("订单号,订单日期,客户名称,销售额\n{order},{date},王爱丽,{amount}\n");
    let new_lines = |text: String| {
        let p = run(&text, &ImportOptions::default(), &stored).unwrap();
        (p.preview.new_lines, p.preview.duplicates)
    };
    assert_eq!(new_lines(file("CA-1", "2024-01-05", "957.58")), (0, 1));
    assert_eq!(new_lines(file("CA-1", "2024-01-05", "957.57")), (1, 0), "a cent less");
    assert_eq!(new_lines(file("CA-1", "2024-01-06", "957.58")), (1, 0), "another day");
    assert_eq!(new_lines(file("CA-9", "2024-01-05", "957.58")), (1, 0), "another order");
    // 3.456 is 3.46 to the cent (half a cent up, as a spreadsheet shows it).
    assert_eq!(new_lines(file("CA-2", "2024-02-01", "3.46")), (0, 1));
    assert_eq!(cents(1.005), Some(101));
    assert_eq!(cents(-1.005), Some(-101));
    assert_eq!(cents(957.5775), Some(95758));
    assert_eq!(cents(0.125), Some(13));
    assert_eq!(cents(f64::NAN), None);
}

#[test]
fn lines_without_an_order_number_are_never_matched_by_sale() {
    let first = run("Customer,Date,Sales\nAlice Wong,2024-01-05,957.58\n", &ImportOptions::default(), &Existing::default()).unwrap();
    let stored = stored_by(&first, Existing::default(), 1, "a.csv");
    let p = run("客户名称,日期,销售额\n王爱丽,2024-01-05,957.58\n", &ImportOptions::default(), &stored).unwrap();
    assert_eq!((p.preview.new_lines, p.preview.duplicates), (1, 0));
    assert_eq!(p.preview.describe_duplicates(), None);
}

#[test]
fn a_product_in_one_file_only_still_matches_and_two_products_do_not() {
    // Stored without a product (the Chinese file first), then the workbook
    // with its products: the same sales.
    let chinese = "订单号,订单日期,客户名称,销售额\nCA-1,2024-01-05,王爱丽,957.58\nCA-1,2024-01-05,王爱丽,120.10\n";
    let first = run(chinese, &ImportOptions::default(), &Existing::default()).unwrap();
    let stored = stored_by(&first, Existing::default(), 1, "销售.csv");
    let p = run(LEDGER, &ImportOptions::default(), &stored).unwrap();
    assert_eq!((p.preview.new_lines, p.preview.duplicates), (1, 2), "CA-2 is new");
    // Both with a product: another product is another sale.
    let stored = superstore();
    let other = LEDGER.replace("Chair", "Sofa").replace("Alice Wong", "\"Wong, Alice\"");
    let p = run(&other, &ImportOptions::default(), &stored).unwrap();
    // The sofa is not the chair; the desk is the desk; CA-2 is stored as it is.
    assert_eq!((p.preview.new_lines, p.preview.duplicates), (1, 1));
    // A line without a product takes a stored line of any product, once.
    let bare = "订单号,订单日期,客户名称,销售额\nCA-7,2024-05-01,甲,10\nCA-7,2024-05-01,甲,10\nCA-7,2024-05-01,甲,10\n";
    let two = "Order ID,Order Date,Customer Name,Product Name,Sales\nCA-7,2024-05-01,A,Pen,10\nCA-7,2024-05-01,A,Ink,10\n";
    let first = run(two, &ImportOptions::default(), &Existing::default()).unwrap();
    let stored = stored_by(&first, Existing::default(), 1, "two.xlsx");
    let p = run(bare, &ImportOptions::default(), &stored).unwrap();
    assert_eq!((p.preview.new_lines, p.preview.duplicates), (1, 2), "two stored lines, three in the file");
}

#[test]
fn the_same_order_twice_in_a_file_matches_as_many_stored_lines() {
    let file = |copies: usize| format!("订单号,订单日期,客户名称,销售额\n{}", "CA-1,2024-01-05,王爱丽,957.58\n".repeat(copies));
    let stored = superstore();
    let counts = |copies, existing: &Existing| {
        let p = run(&file(copies), &ImportOptions::default(), existing).unwrap();
        (p.preview.new_lines, p.preview.duplicates)
    };
    // One stored: the second is a sale of its own.
    assert_eq!(counts(2, &stored), (1, 1));
    // The workbook twice over the same store: one line each time stored.
    let twice = format!("{LEDGER}CA-1,2024-01-05,Alice Wong,Chair,957.5775\n");
    let first = run(&twice, &ImportOptions::default(), &Existing::default()).unwrap();
    let stored = stored_by(&first, Existing::default(), 1, "superstore.xlsx");
    assert_eq!(counts(2, &stored), (0, 2));
    assert_eq!(counts(3, &stored), (1, 2));
}

#[test]
fn a_stored_line_taken_by_its_identical_line_is_not_matched_again() {
    let stored = superstore();
    let respelt = "CA-2,2024-02-01,李波,,3.46\n";
    let copy = "CA-2,2024-02-01,Bob Li,Pen,3.456\n";
    for rows in [[respelt, copy], [copy, respelt]] {
        let text = format!("Order ID,Order Date,Customer Name,Product Name,Sales\n{}{}", rows[0], rows[1]);
        let p = run(&text, &ImportOptions::default(), &stored).unwrap();
        // The copy is the stored line; the other spelling is one more sale.
        assert_eq!((p.preview.sales_lines, p.preview.new_lines, p.preview.duplicates), (2, 1, 0), "{rows:?}");
        assert_eq!(p.batch.upserts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["李波"]);
    }
}

#[test]
fn the_stored_sales_are_read_only_for_lines_that_may_be_among_them() {
    let stored = superstore();
    let plan = |text: &str| run(text, &ImportOptions::default(), &stored).unwrap().preview;
    // The same file again: every line is stored itself.
    assert_eq!(plan(LEDGER).new_lines, 0);
    assert!(stored.sales.get().is_none());
    // A later month: no stored sale has its dates.
    let later = "订单号,订单日期,客户名称,销售额\nCA-8,2024-03-01,王爱丽,5\nCA-9,2023-12-31,李波,5\n";
    assert_eq!((plan(later).new_lines, plan(later).duplicates), (2, 0));
    assert!(stored.sales.get().is_none());
    // Within the stored dates: read once, then matched.
    let within = "订单号,订单日期,客户名称,销售额\nCA-8,2024-01-20,王爱丽,5\nCA-2,2024-02-01,李波,3.46\n";
    assert_eq!((plan(within).new_lines, plan(within).duplicates), (1, 1));
    assert_eq!(stored.sales.get().map(|s| s.sales.len()), Some(3), "one per order, date and amount: CA-1 twice, CA-2");
}

// ---- the exports owners really have (sources/) ----

#[test]
fn rows_a_status_says_are_no_sales_are_left_out_with_their_amounts() {
    let text = "客户,日期,金额,订单状态\n甲,2025-01-01,100,交易成功\n乙,2025-01-02,40,交易关闭\n甲,2025-01-03,7.5,交易关闭\n丙,2025-01-04,9,等待买家付款\n丁,2025-01-05,5,退款关闭\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.source, SourceKind::Generic);
    let excluded: Vec<(Exclusion, u64, f64)> = p.preview.excluded.iter().map(|e| (e.reason, e.rows, e.amount)).collect();
    assert_eq!(excluded, vec![(Exclusion::Closed, 2, 47.5), (Exclusion::Unpaid, 1, 9.0)]);
    // 甲's sale and 丁's (a refund request that was closed is a sale).
    assert_eq!((p.preview.sales_lines, p.preview.revenue, p.preview.new_customers), (2, 105.0, 2));
    assert!(!p.preview.excluded_kept);

    let kept = run(text, &ImportOptions { keep_excluded: true, ..Default::default() }, &Existing::default()).unwrap();
    assert_eq!((kept.preview.sales_lines, kept.preview.revenue, kept.preview.new_customers), (5, 161.5, 4));
    assert!(kept.preview.excluded_kept);
    assert_eq!(kept.preview.excluded.len(), 2, "still counted");
}

#[test]
fn a_customer_tables_status_leaves_its_customers_in() {
    let p = run("客户,销售额,状态\n甲,100,已关闭\n乙,50,正常\n", &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.shape, Shape::CustomerTable);
    assert_eq!((p.preview.customers, p.preview.revenue), (2, 150.0));
    assert!(p.preview.excluded.is_empty());
}

#[test]
fn a_file_of_no_sales_at_all_says_so() {
    let text = "客户,日期,金额,状态\n甲,2025-01-01,100,已取消\n乙,2025-01-02,40,已作废\n";
    let err = run(text, &ImportOptions::default(), &Existing::default()).unwrap_err();
    assert!(err.to_string().contains("all 2 rows are closed, cancelled"), "{err}");
}

#[test]
fn customers_named_on_group_rows_own_the_lines_below_them() {
    let text = "Sales by Customer Detail,,,\n,,,\n,Date,Num,Amount\nAcme Ltd,,,\n,01/05/2025,1001,\"1,200.00  \"\n,01/19/2025,1002,$250.00\nTotal for Acme Ltd,,,\"$1,450.00\"\nBeta Co,,,\n,02/13/2025,1003,300\nTotal for Beta Co,,,300.00\nTOTAL,,,\"$1,750.00\"\n,,,\nAccrual Basis Monday,,,\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.source, SourceKind::Quickbooks);
    assert_eq!((p.preview.customers, p.preview.sales_lines, p.preview.revenue, p.preview.skipped), (2, 3, 1750.0, 0));
    let names: Vec<&str> = p.batch.upserts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Acme Ltd", "Beta Co"]);
    let rule = p.preview.rules.iter().find(|r| r.code == "group_rows").expect("the group rows rule");
    assert!(rule.message.to_string().starts_with("2 customers are named on rows of their own above their lines; 3 totals rows"), "{}", rule.message);
    // Rows keep their numbers in the file: row 5 is Acme's first line.
    let bad = run(&text.replace("01/05/2025", "13/45/2025"), &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(bad.preview.errors[0].row, 5);
}

#[test]
fn without_an_amount_a_line_is_unit_price_times_quantity_less_its_discount() {
    let text = "Customer,Date,Unit Price,Qty,Lineitem discount\nA,2025-01-01,12.50,4,5\nA,2025-01-02,3,,\nB,2025-01-03,\"1,000\",2,0\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    // 12.5 × 4 − 5 = 45; 3 × 1 (no quantity: one) = 3; 1000 × 2 = 2000.
    assert_eq!(p.preview.revenue, 2048.0);
    assert!(p.preview.rules.iter().any(|r| r.code == "unit_price"));
    // With an amount column, the price is not read (nor Superstore's discount rate).
    let text = "Customer,Date,Sales,Price,Discount\nA,2025-01-01,100,9,0.2\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.revenue, 100.0);
    assert_eq!(p.preview.columns[3].field, None);
}

#[test]
fn a_customer_column_with_one_value_on_every_row_is_not_the_customer() {
    let mut text = String::from("店铺,Customer,Date,Amount\n");
    let mut total = 0.0;
    for i in 0..12 {
        text.push_str(&format!("我的小店,Buyer {},2025-01-{:02},{}\n", i % 5, i + 1, 10 + i));
        total += f64::from(10 + i);
    }
    let p = run(&text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!((p.preview.customers, p.preview.revenue), (5, total));
    // A company column with the same value everywhere gives way to another.
    let mut text = String::from("Company,Customer Name,Date,Amount\n");
    for i in 0..12 {
        text.push_str(&format!("Own Trading Ltd,Buyer {},2025-01-{:02},1\n", i % 3, i + 1));
    }
    let p = run(&text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.customers, 3);
    let fields: Vec<Option<Field>> = p.preview.columns.iter().map(|c| c.field).collect();
    assert_eq!(fields[..2], [None, Some(Field::CustomerName)]);
    // A ledger sorted by customer: its first customer fills the first rows.
    let mut text = String::from("客户编号,客户名称,日期,金额\n");
    for i in 0..40 {
        text.push_str(&format!("C001,甲贸易,2025-01-{:02},1\n", i % 28 + 1));
    }
    text.push_str("C002,乙公司,2025-02-01,5\n");
    let p = run(&text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!((p.preview.customers, p.preview.revenue), (2, 45.0));
    assert!(p.preview.rules.iter().all(|r| r.code != "constant_column"));
    // And when no other column can be the customer, the refusal says why.
    let mut text = String::from("Customer,Date,Amount\n");
    for i in 0..12 {
        text.push_str(&format!("Only One,2025-01-{:02},1\n", i + 1));
    }
    let err = run(&text, &ImportOptions::default(), &Existing::default()).unwrap_err();
    assert!(err.to_string().contains("holds the same value on every row (\"Only One\")"), "{err}");
}

#[test]
fn a_buyer_that_renamed_itself_stays_one_customer_under_its_latest_name() {
    let text = "购方识别号,购买方名称,开票日期,金额\n9111A,新名字有限公司,2025-03-01,10\n9111A,旧名字有限公司,2025-01-01,20\n9222B,别家,2025-02-01,5\n9111A,新名字有限公司,2025-02-01,1\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.customers, 2);
    let renamed = p.batch.upserts.iter().find(|c| c.ext_id.as_deref() == Some("9111A")).unwrap();
    assert_eq!(renamed.name, "新名字有限公司");
    assert_eq!(renamed.former_names, ["旧名字有限公司"]);
    // A later file by the old name alone still finds it.
    let after = existing_after(&p, Existing::default());
    let old = run("客户名称,日期,金额\n旧名字有限公司,2025-04-01,3\n", &ImportOptions::default(), &after).unwrap();
    assert_eq!(old.preview.new_customers, 0);
}

#[test]
fn a_mapping_the_owner_corrected_is_remembered_for_the_same_headers() {
    let text = "Kunde,Umsatz,Tag\nAlpha,100,2025-01-02\n";
    assert!(run(text, &ImportOptions::default(), &Existing::default()).is_err(), "nothing to call the customer");
    let chosen = ImportOptions { mapping: Some(vec![Some(Field::CustomerName), Some(Field::Revenue), Some(Field::Date)]), ..Default::default() };
    let p = run(text, &chosen, &Existing::default()).unwrap();
    let saved = p.remember.clone().expect("a corrected mapping is kept with the import");
    let record = ImportRecord { id: 3, mapping: Some(saved), ..p.record("2025-02-01T00:00:00Z") };
    let existing = Existing { mappings: remembered::mappings(&[record]), ..Existing::default() };
    let next = run("KUNDE,umsatz,Tag\nBeta,7,2025-02-02\n", &ImportOptions::default(), &existing).unwrap();
    assert_eq!(next.preview.remembered.as_ref().map(|m| m.id), Some(3));
    assert_eq!((next.preview.customers, next.preview.revenue), (1, 7.0));
    assert!(next.remember.is_none(), "read with it, not remembered again");
}

#[test]
fn excel_text_formulas_and_apostrophes_are_their_text() {
    let text = "订单编号,客户,金额,日期\n\"=\"\"2088123456789\"\"\",甲,\"=\"\"12.50\"\"\",2025-01-01\n'2088000000001,乙,3,2025-01-02\n";
    let p = run(text, &ImportOptions::default(), &Existing::default()).unwrap();
    assert_eq!(p.preview.revenue, 15.5);
    assert_eq!(p.preview.columns[0].samples[0], "=\"2088123456789\"", "samples show the cell");
    let mut orders = Vec::new();
    p.batch.lines.for_each(|l| orders.push(l.order_id.map(String::from))).unwrap();
    assert_eq!(orders, [Some("2088123456789".to_string()), Some("2088000000001".to_string())]);
}
