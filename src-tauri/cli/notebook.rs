//! The notebook's commands: `contact add`, `contacts`, `touch`, `notebook`,
//! `due`, `holidays`. ACCOUNT is a customer's id or its ID in the owner's
//! books; CONTACT is a contact's id (as `contacts` lists them).

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};

use super::output::{emit, emit_json};
use crate::accounts;
use crate::api::Api;
use crate::notebook::{Attitude, Change, Contact, Function, Influence, Item, Level, LunarDay, Survey, Touch, TouchKind};
use crate::Result;

#[derive(Debug, Args)]
pub struct ContactArgs {
    #[command(subcommand)]
    action: ContactCommand,
}

#[derive(Debug, Subcommand)]
enum ContactCommand {
    /// Add a contact to a key account; prints the new contact's id.
    Add {
        account: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "T")]
        title: Option<String>,
        #[arg(long, value_enum)]
        level: Option<Level>,
        #[arg(long, value_enum)]
        function: Option<Function>,
        #[arg(long, value_enum)]
        attitude: Option<Attitude>,
        #[arg(long, value_enum)]
        influence: Option<Influence>,
        /// A solar birthday.
        #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "lunar_birthday")]
        birthday: Option<NaiveDate>,
        /// A lunar (农历) birthday, month-day.
        #[arg(long, value_name = "MM-DD")]
        lunar_birthday: Option<String>,
        /// The contact's boss (a contact id).
        #[arg(long, value_name = "CONTACT")]
        reports_to: Option<u64>,
        #[arg(long, value_name = "P")]
        phone: Option<String>,
        #[arg(long, value_name = "E")]
        email: Option<String>,
        #[arg(long, value_name = "W")]
        wechat: Option<String>,
        /// Print the contact as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    account: String,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct TouchArgs {
    account: String,
    #[arg(long, value_enum)]
    kind: TouchKind,
    /// Day of the touch (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// Who took part (a contact id); repeatable.
    #[arg(long = "contact", value_name = "CONTACT")]
    contacts: Vec<u64>,
    #[arg(long, value_name = "TEXT")]
    summary: String,
    /// The next step; with --due it becomes one of the account's actions.
    #[arg(long, value_name = "TEXT", requires = "due")]
    next: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD", requires = "next")]
    due: Option<NaiveDate>,
    /// Time spent, in hours.
    #[arg(long, value_name = "H")]
    hours: Option<f64>,
    /// Money spent (travel, gifts, entertainment).
    #[arg(long, value_name = "AMOUNT")]
    cost: Option<f64>,
}

#[derive(Debug, Args)]
pub struct SurveyArgs {
    account: String,
    /// Day of the survey (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// Who answered (a contact id).
    #[arg(long, value_name = "CONTACT")]
    contact: Option<u64>,
    /// Scores 1–5.
    #[arg(long, value_name = "N")]
    product: u8,
    #[arg(long, value_name = "N")]
    service: u8,
    #[arg(long, value_name = "N")]
    delivery: u8,
    #[arg(long, value_name = "N")]
    price: u8,
    #[arg(long, value_name = "N")]
    overall: u8,
    #[arg(long, value_name = "TEXT")]
    comment: Option<String>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// First day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<NaiveDate>,
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=366))]
    days: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct HolidaysArgs {
    /// Default: this year.
    #[arg(long, value_name = "YYYY")]
    year: Option<i32>,
    #[arg(long)]
    json: bool,
}

fn account_id(api: &Api, key: &str) -> Result<u32> {
    Ok(api.find_customer(key)?.id)
}

pub fn contact(api: &Api, args: ContactArgs, out: &mut dyn Write) -> Result<()> {
    let ContactCommand::Add { account, name, title, level, function, attitude, influence, birthday, lunar_birthday, reports_to, phone, email, wechat, json } =
        args.action;
    let id = account_id(api, &account)?;
    let contact = Contact {
        name: name.trim().to_string(),
        title: title.unwrap_or_default(),
        level,
        function,
        attitude,
        influence,
        birthday,
        lunar_birthday: lunar_birthday.as_deref().map(LunarDay::parse).transpose()?,
        reports_to,
        phone: phone.unwrap_or_default(),
        email: email.unwrap_or_default(),
        wechat: wechat.unwrap_or_default(),
        ..Default::default()
    };
    let view = api.change_notebook(id, Change::Save { item: Item::Contact(contact) })?;
    let added = view.contacts.iter().map(|c| &c.contact).max_by_key(|c| c.id).expect("the contact just added");
    if json {
        return emit_json(out, &crate::notebook::view::ContactSummary::from(view.contacts.iter().find(|c| c.contact.id == added.id).expect("listed")));
    }
    emit(out, &added.id.to_string())
}

pub fn contacts(api: &Api, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let list = api.contacts(account_id(api, &args.account)?)?;
    if args.json {
        return emit_json(out, &list);
    }
    let mut text = String::new();
    for c in &list {
        let role = [c.level.map(|l| format!("{l:?}")), c.function.map(|f| format!("{f:?}")), c.attitude.map(|a| format!("{a:?}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
        let left = c.left_on.map(|d| format!("  (left {d})")).unwrap_or_default();
        text.push_str(&format!("{:>4}  {:<20}  {:<20}  {role}{left}\n", c.id, c.name, c.title));
    }
    emit(out, if list.is_empty() { "No contacts." } else { text.trim_end() })
}

pub fn touch(api: &Api, args: TouchArgs, out: &mut dyn Write) -> Result<()> {
    let id = account_id(api, &args.account)?;
    let touch = Touch {
        id: 0,
        date: args.date.unwrap_or_else(accounts::today),
        kind: args.kind,
        contacts: args.contacts,
        summary: args.summary.trim().to_string(),
        next: args.next.unwrap_or_default().trim().to_string(),
        due: args.due,
        hours: args.hours,
        cost: args.cost,
        by: String::new(),
        removed: false,
    };
    let view = api.change_notebook(id, Change::Save { item: Item::Touch(touch) })?;
    emit(out, &format!("Logged. Next touch due {} (every {} days).", view.touch_due, view.cadence_days))
}

pub fn survey(api: &Api, args: SurveyArgs, out: &mut dyn Write) -> Result<()> {
    let id = account_id(api, &args.account)?;
    let survey = Survey {
        date: args.date.unwrap_or_else(accounts::today),
        contact: args.contact,
        product: args.product,
        service: args.service,
        delivery: args.delivery,
        price: args.price,
        overall: args.overall,
        comment: args.comment.unwrap_or_default().trim().to_string(),
        ..Default::default()
    };
    let view = api.change_notebook(id, Change::Save { item: Item::Survey(survey) })?;
    emit(out, &format!("Recorded. {} surveys; loyalty: {:?}.", view.surveys.len(), view.loyalty.status))
}

pub fn surveys(api: &Api, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let list = api.notebook(account_id(api, &args.account)?)?.surveys;
    if args.json {
        return emit_json(out, &list.iter().map(SurveyRow::from).collect::<Vec<_>>());
    }
    let text: Vec<String> = list
        .iter()
        .map(|v| format!("{}  overall {}  product {} service {} delivery {} price {}  {}", v.date, v.overall, v.product, v.service, v.delivery, v.price, v.comment))
        .collect();
    emit(out, &if list.is_empty() { "No surveys.".to_string() } else { text.join("\n") })
}

/// `vitalfew surveys --json`: these field names are an interface.
#[derive(serde::Serialize)]
struct SurveyRow {
    id: u64,
    date: NaiveDate,
    contact: Option<u64>,
    product: u8,
    service: u8,
    delivery: u8,
    price: u8,
    overall: u8,
    comment: String,
}

impl From<&Survey> for SurveyRow {
    fn from(v: &Survey) -> SurveyRow {
        SurveyRow { id: v.id, date: v.date, contact: v.contact, product: v.product, service: v.service, delivery: v.delivery, price: v.price, overall: v.overall, comment: v.comment.clone() }
    }
}

pub fn notebook(api: &Api, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let view = api.notebook(account_id(api, &args.account)?)?;
    if args.json {
        return emit_json(out, &view);
    }
    let mut text = format!("{} (id {})\n", view.account.name, view.account.id);
    text.push_str(&format!("contacts: {}, touches: {}, notes: {}\n", view.contacts.len(), view.touches.len(), view.dossier.notes.len()));
    let overdue = if view.overdue_days > 0 { format!(", overdue by {} days", view.overdue_days) } else { String::new() };
    text.push_str(&format!("next touch due {} (every {} days){overdue}\n", view.touch_due, view.cadence_days));
    let gaps: Vec<String> = view.buying_map.missing.iter().map(|g| format!("{:?}/{:?}", g.level, g.function)).collect();
    text.push_str(&format!("buying map: {} of 9 roles filled; missing {}", 9 - gaps.len(), gaps.join(", ")));
    emit(out, &text)
}

pub fn due(api: &Api, args: DueArgs, out: &mut dyn Write) -> Result<()> {
    let items = api.due(args.from.unwrap_or_else(accounts::today), args.days)?;
    if args.json {
        return emit_json(out, &items);
    }
    let mut text = String::new();
    for i in &items {
        let late = if i.overdue_days > 0 { format!("  ({} days late)", i.overdue_days) } else { String::new() };
        text.push_str(&format!("{}  {:<8}  {:<24}  {}{late}\n", i.date, format!("{:?}", i.kind).to_lowercase(), i.account_name, i.text));
    }
    emit(out, if items.is_empty() { "Nothing due." } else { text.trim_end() })
}

pub fn holidays(api: &Api, args: HolidaysArgs, out: &mut dyn Write) -> Result<()> {
    let year = args.year.unwrap_or_else(|| accounts::today().year());
    let list = api.holiday_dates(year)?;
    if args.json {
        return emit_json(out, &list);
    }
    let text: Vec<String> = list.iter().map(|h| format!("{}  {}", h.date, h.name)).collect();
    emit(out, &text.join("\n"))
}
