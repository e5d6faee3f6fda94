//! What a notebook holds: the account's background and the items the owner
//! keeps about it (contacts with their buying roles, competitors, projects,
//! notes, touches, gifts, needs, surveys), and the kinds of item.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::LunarDay;

/// Where a contact sits: operational 操作层, management 管理层, decision 决策层.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Operational,
    Management,
    Decision,
}

/// Which department: user 使用部门, technical 技术部门, finance 财务部门.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BuyingFunction")]
pub enum Function {
    User,
    Technical,
    Finance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Attitude {
    Supporter,
    Neutral,
    Opponent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Influence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum TouchKind {
    Visit,
    Call,
    Message,
    Wechat,
    Email,
    Meeting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    #[default]
    Open,
    Won,
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    /// Heard (听到): noted as the customer said it.
    #[default]
    Heard,
    /// Made explicit (明确): the customer agrees this is the need.
    Explicit,
    /// Answered (满足): we met it.
    Answered,
}

/// The account's background (客户背景). Every field is optional (empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Background {
    pub organisation: String,
    /// Departments that use, buy, and support what we sell.
    pub uses: String,
    pub buys: String,
    pub supports: String,
    pub industry: String,
    pub size: String,
    /// Similar products they have installed.
    pub installed_base: String,
}

/// What a contact's personal notes hold (个人资料).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Personal {
    pub hometown: String,
    pub university: String,
    pub sports: String,
    pub food: String,
    pub family: String,
    pub pets: String,
    pub books: String,
    pub holidays: String,
    pub travel: String,
    pub goals: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: u64,
    pub name: String,
    pub title: String,
    pub department: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
    #[ts(type = "string | null")]
    pub birthday: Option<NaiveDate>,
    pub lunar_birthday: Option<LunarDay>,
    pub level: Option<Level>,
    pub function: Option<Function>,
    pub attitude: Option<Attitude>,
    pub influence: Option<Influence>,
    #[ts(type = "number | null")]
    pub reports_to: Option<u64>,
    pub cares_about: String,
    pub personal: Personal,
    /// The day they left the customer (kept on record).
    #[ts(type = "string | null")]
    pub left_on: Option<NaiveDate>,
    pub removed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Competitor {
    #[ts(type = "number")]
    pub id: u64,
    pub name: String,
    pub product: String,
    /// The customer's satisfaction with it, 1–5.
    pub satisfaction: Option<u8>,
    /// The competitor's sales rep and that rep's relationship with them.
    pub rep: String,
    pub rep_relationship: String,
    pub removed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Project {
    #[ts(type = "number")]
    pub id: u64,
    pub name: String,
    /// The problem the purchase must solve.
    pub problem: String,
    pub budget: Option<f64>,
    pub timetable: String,
    /// How they buy (tender, approvals, …).
    pub process: String,
    #[ts(type = "number[]")]
    pub decision_makers: Vec<u64>,
    #[ts(type = "number[]")]
    pub influencers: Vec<u64>,
    pub status: ProjectStatus,
    pub removed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Note {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub text: String,
    /// The team member who wrote it (empty for a solo owner's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub by: String,
    pub removed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Touch {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub kind: TouchKind,
    #[ts(type = "number[]")]
    #[serde(default)]
    pub contacts: Vec<u64>,
    pub summary: String,
    /// The next step; with `due`, it is also the account's next action.
    #[serde(default)]
    pub next: String,
    #[ts(type = "string | null")]
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// Time spent (hours) and money spent (travel, gifts, entertainment).
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub cost: Option<f64>,
    /// The team member who wrote it (empty for a solo owner's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub by: String,
    #[serde(default)]
    pub removed: bool,
}

/// A gift or greeting to a contact, so nothing is repeated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Gift {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "number")]
    pub contact: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub what: String,
    pub cost: Option<f64>,
    pub reaction: String,
    pub removed: bool,
}

/// A need the customer has (DOMAIN.md §9).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Need {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub text: String,
    /// Stated by the customer, or implicit (a complaint, a doubt).
    pub explicit: bool,
    /// Where it came from: a touch of this account, else free text.
    #[ts(type = "number | null")]
    pub touch: Option<u64>,
    pub source: String,
    pub status: NeedStatus,
    pub removed: bool,
}

/// A satisfaction survey (seed 002: the stabilize phase runs them). Each
/// score is 1–5. Surveys are added, never changed: the history is the point.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Survey {
    #[ts(type = "number")]
    pub id: u64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Who answered (a contact of the account).
    #[ts(type = "number | null")]
    pub contact: Option<u64>,
    pub product: u8,
    pub service: u8,
    pub delivery: u8,
    pub price: u8,
    pub overall: u8,
    pub comment: String,
    /// The team member who wrote it (empty for a solo owner's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(as = "Option<String>", optional)]
    pub by: String,
    pub removed: bool,
}

/// The kinds of item a notebook lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Background,
    Competitor,
    Project,
    Note,
    Contact,
    Touch,
    Gift,
    Need,
    Survey,
    Cadence,
}
