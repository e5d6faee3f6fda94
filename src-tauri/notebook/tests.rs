use chrono::NaiveDate;

use super::view::{self, Kept};
use super::*;
use crate::accounts::{self, Account, AccountType, Phase};
use crate::model::{Customer, Lang};
use crate::Result;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const NOW: &str = "2026-03-02T09:00:00+08:00";

fn run(nb: Option<Notebook>, change: Change) -> Result<(Notebook, u64)> {
    apply(nb, 7, &change, NOW)
}

fn save(nb: &Notebook, item: Item) -> (Notebook, u64) {
    run(Some(nb.clone()), Change::Save { item }).unwrap()
}

fn contact(name: &str, level: Level, function: Function, attitude: Attitude) -> Item {
    Item::Contact(Contact { name: name.into(), level: Some(level), function: Some(function), attitude: Some(attitude), ..Default::default() })
}

fn touch(date: NaiveDate, contacts: Vec<u64>) -> Touch {
    Touch { id: 0, date, kind: TouchKind::Visit, contacts, summary: "Lunch".into(), next: String::new(), due: None, hours: Some(2.0), cost: Some(300.0), by: String::new(), removed: false }
}

fn account(t: Option<AccountType>) -> Account {
    let mut a = accounts::apply(None, 7, &accounts::Change::Promote, d(2026, 1, 5)).unwrap();
    a.account_type = t;
    a
}

fn customer() -> Customer {
    Customer { id: 7, ext_id: Some("C7".into()), name: "华东钢铁".into(), former_names: Vec::new(), region: None, industry: None, attributes: Default::default(), declared: None }
}

#[test]
fn items_get_ids_and_are_saved_over_by_id() {
    let (nb, wang) = run(None, Change::Save { item: contact("王伟", Level::Decision, Function::Finance, Attitude::Supporter) }).unwrap();
    let (nb, li) = save(&nb, contact("李娜", Level::Operational, Function::User, Attitude::Neutral));
    assert_eq!((wang, li), (1, 2));
    let mut changed = nb.contacts[0].clone();
    changed.personal.hometown = "苏州".into();
    let (nb, same) = save(&nb, Item::Contact(changed));
    assert_eq!(same, wang);
    assert_eq!((nb.contacts.len(), nb.contacts[0].personal.hometown.as_str(), nb.contacts[0].name.as_str()), (2, "苏州", "王伟"));
    // Saving over an item that does not exist is refused.
    let ghost = Item::Contact(Contact { id: 99, name: "X".into(), ..Default::default() });
    assert!(run(Some(nb), Change::Save { item: ghost }).is_err());
}

#[test]
fn bad_items_are_refused_and_change_nothing() {
    let (nb, wang) = run(None, Change::Save { item: contact("王伟", Level::Decision, Function::Finance, Attitude::Supporter) }).unwrap();
    let cases = [
        Item::Contact(Contact { name: " ".into(), ..Default::default() }),
        Item::Contact(Contact { name: "A".into(), lunar_birthday: Some(LunarDay { month: 8, day: 31 }), ..Default::default() }),
        Item::Contact(Contact { name: "A".into(), reports_to: Some(42), ..Default::default() }),
        Item::Contact(Contact { id: wang, name: "王伟".into(), reports_to: Some(wang), ..Default::default() }),
        Item::Touch(Touch { due: Some(d(2026, 2, 1)), next: "Quote".into(), ..touch(d(2026, 3, 1), vec![]) }),
        Item::Touch(touch(d(2026, 3, 1), vec![5])),
        Item::Touch(Touch { summary: "".into(), ..touch(d(2026, 3, 1), vec![]) }),
        Item::Touch(Touch { cost: Some(-1.0), ..touch(d(2026, 3, 1), vec![]) }),
        Item::Competitor(Competitor { name: "ACME".into(), satisfaction: Some(6), ..Default::default() }),
        Item::Gift(Gift { contact: 9, what: "Tea".into(), ..Default::default() }),
    ];
    for item in cases {
        assert!(run(Some(nb.clone()), Change::Save { item: item.clone() }).is_err(), "{item:?}");
    }
}

#[test]
fn reports_to_cannot_go_round() {
    let (nb, a) = run(None, Change::Save { item: contact("A", Level::Decision, Function::User, Attitude::Neutral) }).unwrap();
    let mut b = Contact { name: "B".into(), reports_to: Some(a), ..Default::default() };
    let (nb, b_id) = save(&nb, Item::Contact(b.clone()));
    b.id = b_id;
    let mut a_contact = nb.contacts[0].clone();
    a_contact.reports_to = Some(b_id);
    let err = run(Some(nb), Change::Save { item: Item::Contact(a_contact) }).unwrap_err();
    assert!(err.to_string().contains("circle"), "{err}");
}

#[test]
fn removed_items_stay_on_record_and_come_back() {
    let (nb, _) = run(None, Change::Save { item: Item::Note(Note { date: d(2026, 3, 1), text: "Budget freeze until May".into(), ..Default::default() }) }).unwrap();
    let (nb, _) = run(Some(nb), Change::Remove { kind: ItemKind::Note, id: 1, removed: true }).unwrap();
    assert!(nb.notes[0].removed);
    let v = view::view(&nb, &account(None), &customer(), d(2026, 3, 2), None);
    assert!(v.dossier.notes.is_empty());
    assert_eq!((v.removed.len(), v.removed[0].label.as_str()), (1, "Budget freeze until May"));
    let (nb, _) = run(Some(nb), Change::Remove { kind: ItemKind::Note, id: 1, removed: false }).unwrap();
    let v = view::view(&nb, &account(None), &customer(), d(2026, 3, 2), None);
    assert_eq!((v.dossier.notes.len(), v.removed.len()), (1, 0));
    let actions: Vec<EditAction> = nb.timeline.iter().map(|e| e.action).collect();
    assert_eq!(actions, [EditAction::Added, EditAction::Removed, EditAction::Restored]);
}

#[test]
fn edits_typed_in_a_row_are_one_timeline_entry() {
    let bg = |org: &str| Change::SetBackground { background: Background { organisation: org.into(), ..Default::default() } };
    let (nb, _) = apply(None, 7, &bg("华"), "2026-03-02T09:00:00+08:00").unwrap();
    let (nb, _) = apply(Some(nb), 7, &bg("华东"), "2026-03-02T09:00:02+08:00").unwrap();
    let (nb, _) = apply(Some(nb), 7, &bg("华东钢铁"), "2026-03-02T09:30:00+08:00").unwrap();
    assert_eq!(nb.timeline.len(), 2, "{:?}", nb.timeline);
    assert_eq!(nb.background.organisation, "华东钢铁");
}

#[test]
fn the_buying_map_flags_empty_cells() {
    let (nb, _) = run(None, Change::Save { item: contact("王伟", Level::Decision, Function::Finance, Attitude::Supporter) }).unwrap();
    let (nb, _) = save(&nb, contact("李娜", Level::Operational, Function::User, Attitude::Neutral));
    let (nb, _) = save(&nb, contact("赵强", Level::Management, Function::Technical, Attitude::Opponent));
    let (nb, gone) = save(&nb, contact("钱多", Level::Decision, Function::User, Attitude::Supporter));
    let mut left = nb.contacts.iter().find(|c| c.id == gone).unwrap().clone();
    left.left_on = Some(d(2026, 2, 1));
    let (nb, _) = save(&nb, Item::Contact(left));
    let v = view::view(&nb, &account(None), &customer(), d(2026, 3, 2), None);
    assert_eq!(v.buying_map.cells.len(), 9);
    assert_eq!(v.buying_map.missing.len(), 6, "three cells filled; the contact who left fills none");
    assert!(v.buying_map.missing.iter().any(|g| g.level == Level::Decision && g.function == Function::User));
    assert!(v.buying_map.decision_supporter);
    let cell = v.buying_map.cells.iter().find(|c| c.level == Level::Management && c.function == Function::Technical).unwrap();
    assert_eq!(cell.attitude, Some(Attitude::Opponent));
    // Who left is still listed, last.
    assert_eq!(v.contacts.last().unwrap().contact.name, "钱多");
}

#[test]
fn the_cadence_goes_by_type_and_any_touch_resets_it() {
    let a = account(Some(AccountType::Economic));
    let nb = Notebook { customer: 7, ..Default::default() };
    let v = view::view(&nb, &a, &customer(), d(2026, 3, 2), None);
    assert_eq!((v.cadence_days, v.touch_due, v.overdue_days), (14, d(2026, 1, 19), 42), "14 days after the promotion");
    assert!(v.spent.is_sign_positive() && v.hours.is_sign_positive(), "nothing spent is 0, not -0");
    let (nb, _) = save(&nb, Item::Touch(touch(d(2026, 2, 25), vec![])));
    let v = view::view(&nb, &a, &customer(), d(2026, 3, 2), None);
    assert_eq!((v.last_touch, v.touch_due, v.overdue_days), (Some(d(2026, 2, 25)), d(2026, 3, 11), 0));
    let v = view::view(&nb, &account(Some(AccountType::Strategic)), &customer(), d(2026, 3, 2), None);
    assert_eq!(v.cadence_days, 30);
    let (nb, _) = run(Some(nb), Change::SetCadence { days: Some(7) }).unwrap();
    let v = view::view(&nb, &a, &customer(), d(2026, 3, 2), None);
    assert_eq!((v.cadence_days, v.cadence_set, v.touch_due), (7, true, d(2026, 3, 4)));
    assert!(run(Some(nb), Change::SetCadence { days: Some(0) }).is_err());
    assert_eq!((v.hours, v.spent), (2.0, 300.0));
}

#[test]
fn due_merges_actions_touches_birthdays_and_holidays() {
    let mut a = account(Some(AccountType::Economic));
    a = accounts::apply(Some(a), 7, &accounts::Change::AddAction { text: "Send the quote".into(), due: d(2026, 9, 20) }, d(2026, 9, 1)).unwrap();
    let (nb, _) = run(None, Change::Save { item: Item::Contact(Contact { name: "王伟".into(), lunar_birthday: Some(LunarDay { month: 8, day: 15 }), ..Default::default() }) }).unwrap();
    let (nb, _) = save(&nb, Item::Touch(touch(d(2026, 9, 10), vec![1])));
    let c = customer();
    let kept = [Kept { account: &a, customer: &c, notebook: Some(&nb) }];
    let items = view::due(&kept, &calendar::default_holidays(), d(2026, 9, 19), 7, Lang::En);
    let got: Vec<(NaiveDate, view::DueKind, &str)> = items.iter().map(|i| (i.date, i.kind, i.text.as_str())).collect();
    assert_eq!(got, vec![
        (d(2026, 9, 20), view::DueKind::Action, "Send the quote"),
        (d(2026, 9, 24), view::DueKind::Touch, "last touch 2026-09-10, every 14 days"),
        // On one day the holiday comes first, then the accounts' items.
        (d(2026, 9, 25), view::DueKind::Holiday, "Mid-Autumn Festival"),
        (d(2026, 9, 25), view::DueKind::Birthday, "王伟"),
        // National Day shows its 7 days' notice... from 24 September, and
        // the window reaches 26 September: it is not listed yet.
    ]);
    // Mid-Autumn has 14 days' notice: it shows from 11 September.
    let early = view::due(&kept, &calendar::default_holidays(), d(2026, 9, 11), 1, Lang::ZhCn);
    assert!(early.iter().any(|i| i.kind == view::DueKind::Holiday && i.text == "中秋节"), "{early:?}");
    // A late action stays listed, with how late it is.
    let late = view::due(&kept, &[], d(2026, 9, 23), 1, Lang::En);
    assert_eq!((late[0].kind, late[0].overdue_days), (view::DueKind::Action, 3));
    // A done action is not due; nothing of a demoted account is.
    let done = accounts::apply(Some(a.clone()), 7, &accounts::Change::SetActionDone { action: 1, done: true }, d(2026, 9, 21)).unwrap();
    let kept = [Kept { account: &done, customer: &c, notebook: Some(&nb) }];
    assert!(view::due(&kept, &[], d(2026, 9, 19), 7, Lang::En).iter().all(|i| i.kind != view::DueKind::Action));
    let demoted = accounts::apply(Some(done), 7, &accounts::Change::Demote, d(2026, 9, 21)).unwrap();
    assert!(view::due(&[Kept { account: &demoted, customer: &c, notebook: Some(&nb) }], &[], d(2026, 9, 19), 7, Lang::En).is_empty());
}

#[test]
fn a_notebook_keeps_phase_and_type_in_its_head() {
    let a = account(Some(AccountType::Important));
    let v = view::view(&Notebook::default(), &a, &customer(), d(2026, 3, 2), None);
    assert_eq!((v.account.id, v.account.account_type, v.account.phase), (7, Some(AccountType::Important), Phase::Establish));
}

fn survey(date: NaiveDate, overall: u8) -> Item {
    Item::Survey(Survey { date, product: 4, service: 4, delivery: 3, price: 2, overall, ..Default::default() })
}

#[test]
fn surveys_are_kept_in_order_and_never_changed() {
    let (nb, first) = run(None, Change::Save { item: survey(d(2026, 3, 1), 4) }).unwrap();
    let (nb, _) = save(&nb, survey(d(2026, 1, 1), 5));
    let v = view::view(&nb, &account(None), &customer(), d(2026, 3, 2), Some(true));
    let dates: Vec<NaiveDate> = v.surveys.iter().map(|s| s.date).collect();
    assert_eq!(dates, [d(2026, 1, 1), d(2026, 3, 1)], "oldest first");
    assert_eq!(v.loyalty.status, view::LoyaltyStatus::AtRisk, "5 then 4: a drop");
    let changed = Item::Survey(Survey { id: first, overall: 1, date: d(2026, 3, 1), product: 1, service: 1, delivery: 1, price: 1, ..Default::default() });
    assert!(run(Some(nb.clone()), Change::Save { item: changed }).is_err());
    for bad in [0, 6] {
        assert!(run(Some(nb.clone()), Change::Save { item: survey(d(2026, 3, 2), bad) }).is_err(), "{bad}");
    }
}

#[test]
fn loyalty_from_surveys_and_purchases() {
    use view::{loyalty, LoyaltyReason as R, LoyaltyStatus as S};
    let s = |overall| Survey { overall, ..Default::default() };
    let (three, four, two) = (s(3), s(4), s(2));
    assert_eq!(loyalty(&[], Some(true)).reason, R::NoSurvey);
    assert_eq!(loyalty(&[&four], Some(false)).status, S::Lost);
    assert_eq!(loyalty(&[&four], None).status, S::Loyal, "no dated sales: surveys decide");
    assert_eq!(loyalty(&[&three], Some(true)).reason, R::Middling { overall: 3 });
    assert_eq!(loyalty(&[&four, &two], Some(true)).reason, R::LowScore { overall: 2 });
    assert_eq!(loyalty(&[&four, &three], Some(true)).reason, R::Dropped { from: 4, to: 3 });
    assert_eq!(loyalty(&[&three, &four], Some(true)).reason, R::HighScore { overall: 4 });
}
