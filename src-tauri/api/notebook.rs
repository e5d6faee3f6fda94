//! The key-account notebook: an account's page, one change at a time, what
//! is due, the holidays, and search across everything typed.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::{Api, Changed};
use crate::accounts::{self, Account};
use crate::charts::relationship;
use crate::charts::{ImageFormat, Rendered};
use crate::model::Customer;
use crate::notebook::view::{self, ContactSummary, Kept};
use crate::notebook::calendar::{Reminders, REMINDERS};
use crate::notebook::{self, calendar, Change, Contact, DueItem, Holiday, Item, Notebook, NotebookView};
use crate::store::{Key, Record};
use crate::team;
use crate::{Error, Result};

/// A holiday in a given year (`vitalfew holidays --json`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct HolidayDate {
    pub key: String,
    pub name: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
}

/// One hit of the search box.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The customer (or key account) it belongs to.
    pub customer: u32,
    pub customer_name: String,
    /// A contact's or a note's or a touch's id within the notebook.
    #[ts(type = "number | null")]
    pub item: Option<u64>,
    /// What matched, shortened around the match.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Customer,
    Account,
    Contact,
    Note,
    Touch,
}

/// At most this many hits are listed.
const MAX_HITS: usize = 50;

impl Api {
    /// Customer `id`'s notebook as the account page shows it.
    pub fn notebook(&self, id: u32) -> Result<NotebookView> {
        let store = self.store()?;
        let account = key_account(store.get::<Account>(Key::Customer(id))?, id)?;
        let nb = store.get::<Notebook>(Key::Customer(id))?.unwrap_or(Notebook { customer: id, ..Default::default() });
        self.page(&nb, &account, &self.customer(id)?)
    }

    /// The page of `nb`, with what the sales say of its loyalty and, on a
    /// team, the fields two members set while apart.
    fn page(&self, nb: &Notebook, account: &Account, customer: &Customer) -> Result<NotebookView> {
        let mut page = view::view(nb, account, customer, accounts::today(), self.bought_last_year(customer.id)?);
        page.conflicts = team::share::conflicts(&*self.store()?, customer)?;
        Ok(page)
    }

    /// One change to customer `id`'s notebook: one transaction. A new touch
    /// with a next step and a due date also adds that step to the account's
    /// actions, in the same transaction.
    pub fn change_notebook(&self, id: u32, change: Change) -> Result<NotebookView> {
        let customer = self.customer(id)?;
        let store = self.store()?;
        let (today, now, author) = (accounts::today(), notebook::now(), self.author()?);
        let (nb, account, added_action) = store.transact(&[Notebook::TREE, Account::TREE], |tx| {
            let mut account = key_account(tx.get::<Account>(Key::Customer(id))?, id)?;
            let (nb, _) = notebook::apply_by(tx.get::<Notebook>(Key::Customer(id))?, id, &change, &now, &author)?;
            let mut added_action = false;
            if let Change::Save { item: Item::Touch(t) } = &change {
                if let (0, Some(due)) = (t.id, t.due) {
                    let add = accounts::Change::AddAction { text: t.next.trim().to_string(), due };
                    account = accounts::apply_by(Some(account), id, &add, today, &author)?;
                    tx.put(Key::Customer(id), &account)?;
                    added_action = true;
                }
            }
            tx.put(Key::Customer(id), &nb)?;
            Ok((nb, account, added_action))
        })?;
        if added_action {
            self.changed(Changed::Accounts);
        }
        self.page(&nb, &account, &customer)
    }

    /// The relationship map of customer `id`'s people (those still there).
    pub fn relationship_map(&self, id: u32, format: ImageFormat, size: (u32, u32), scale: u32) -> Result<Rendered> {
        let view = self.notebook(id)?;
        let present: Vec<&Contact> = view.contacts.iter().map(|c| &c.contact).filter(|c| c.left_on.is_none()).collect();
        relationship::relationship_map(&view.account.name, &present, self.language(), size, scale, format)
    }

    /// `vitalfew contacts`: customer `id`'s contacts.
    pub fn contacts(&self, id: u32) -> Result<Vec<ContactSummary>> {
        Ok(self.notebook(id)?.contacts.iter().map(ContactSummary::from).collect())
    }

    /// What is due from `from` through `from + days` (and what is late).
    pub fn due(&self, from: NaiveDate, days: u32) -> Result<Vec<DueItem>> {
        let store = self.store()?;
        let data = self.dataset()?;
        let accounts = store.all::<Account>()?;
        let notebooks = store.all::<Notebook>()?;
        let customers: std::collections::HashMap<u32, &Customer> = data.customers.iter().map(|c| (c.id, c)).collect();
        let kept: Vec<Kept<'_>> = accounts
            .iter()
            .filter_map(|a| {
                let customer = customers.get(&a.customer)?;
                Some(Kept { account: a, customer, notebook: notebooks.iter().find(|n| n.customer == a.customer) })
            })
            .collect();
        Ok(view::due(&kept, &self.holidays()?, from, days, self.language()))
    }

    /// The Dashboard's This week: the next seven days, and what is late.
    pub fn this_week(&self) -> Result<Vec<DueItem>> {
        self.due(accounts::today(), 7)
    }

    /// The holidays to call before (the defaults until the owner edits them).
    pub fn holidays(&self) -> Result<Vec<Holiday>> {
        Ok(self.store()?.get::<Reminders>(REMINDERS)?.map(|r| r.holidays).unwrap_or_else(calendar::default_holidays))
    }

    /// Replaces the list of holidays.
    pub fn set_holidays(&self, holidays: Vec<Holiday>) -> Result<Vec<Holiday>> {
        for h in &holidays {
            if let calendar::Yearly::Lunar { month, day } = h.date {
                calendar::LunarDay { month, day }.check()?;
            }
            if let calendar::Yearly::Solar { month, day } = h.date {
                NaiveDate::from_ymd_opt(2000, month, day)
                    .ok_or_else(|| Error::Refused(crate::msg!("refused.holiday_date", holiday = h.key.as_str(), month = month, day = day)))?;
            }
            if h.key.trim().is_empty() || h.notice_days > 60 {
                return Err(Error::Refused(crate::msg!("refused.holiday")));
            }
        }
        let saved = Reminders { holidays };
        self.store()?.update::<Reminders>(REMINDERS, |_| Ok(saved.clone()))?;
        Ok(saved.holidays)
    }

    /// The holidays' dates in solar year `year`, by date.
    pub fn holiday_dates(&self, year: i32) -> Result<Vec<HolidayDate>> {
        if !(1902..=2099).contains(&year) {
            return Err(Error::Refused(crate::msg!("refused.lunar_year", year = year)));
        }
        let lang = self.language();
        let mut out: Vec<HolidayDate> = self
            .holidays()?
            .iter()
            .flat_map(|h| h.date.dates_in(year).into_iter().map(move |date| HolidayDate { key: h.key.clone(), name: calendar::holiday_name(h, lang), date }))
            .collect();
        out.sort_by_key(|h| h.date);
        Ok(out)
    }

    /// Customers, key accounts, contacts, notes and touches whose text holds
    /// `query` (case-insensitive), best first: names before what was typed.
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let store = self.store()?;
        let data = self.dataset()?;
        let matches = |text: &str| text.to_lowercase().contains(&needle);
        let name_of = |id: u32| data.customers.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default();
        let mut hits = Vec::new();
        let accounts: Vec<u32> = store.all::<Account>()?.iter().filter(|a| a.active).map(|a| a.customer).collect();
        for c in data.customers.iter() {
            // A former name found is shown (the hit carries the current name).
            let former = c.former_names.iter().find(|n| matches(n));
            if !(matches(&c.name) || c.ext_id.as_deref().is_some_and(matches) || former.is_some()) {
                continue;
            }
            let kind = if accounts.contains(&c.id) { HitKind::Account } else { HitKind::Customer };
            let text = former.or(c.ext_id.as_ref()).cloned().unwrap_or_default();
            hits.push(SearchHit { kind, customer: c.id, customer_name: c.name.clone(), item: None, text });
        }
        // Key accounts first among the customers.
        hits.sort_by_key(|h| h.kind != HitKind::Account);
        for nb in store.all::<Notebook>()? {
            let hit = |kind, item, text: &str| SearchHit { kind, customer: nb.customer, customer_name: name_of(nb.customer), item: Some(item), text: excerpt(text, &needle) };
            for c in nb.live_contacts() {
                let fields = [&c.name, &c.title, &c.department, &c.cares_about, &c.phone, &c.email, &c.wechat];
                if let Some(f) = fields.iter().find(|f| matches(f)) {
                    hits.push(hit(HitKind::Contact, c.id, &format!("{} · {}", c.name, f)));
                }
            }
            for n in nb.notes.iter().filter(|n| !n.removed && matches(&n.text)) {
                hits.push(hit(HitKind::Note, n.id, &n.text));
            }
            for t in nb.live_touches().filter(|t| matches(&t.summary) || matches(&t.next)) {
                hits.push(hit(HitKind::Touch, t.id, &format!("{} {}", t.summary, t.next)));
            }
        }
        hits.truncate(MAX_HITS);
        Ok(hits)
    }

    /// Whether customer `id` bought in the 12 months up to the latest sale
    /// (`None` when its sales carry no dates).
    fn bought_last_year(&self, id: u32) -> Result<Option<bool>> {
        let data = self.dataset()?;
        let m = self.metrics(&data);
        let c = m.of(id);
        Ok(c.dated.then_some(c.purchase_days_12m > 0))
    }

    /// The latest overall satisfaction score of each active key account
    /// that was surveyed, averaged.
    pub fn satisfaction_average(&self) -> Result<Option<f64>> {
        let store = self.store()?;
        let active: Vec<u32> = store.all::<Account>()?.iter().filter(|a| a.active).map(|a| a.customer).collect();
        let latest: Vec<f64> = store
            .all::<Notebook>()?
            .iter()
            .filter(|nb| active.contains(&nb.customer))
            .filter_map(|nb| nb.surveys.iter().filter(|v| !v.removed).max_by_key(|v| (v.date, v.id)).map(|v| f64::from(v.overall)))
            .collect();
        Ok((!latest.is_empty()).then(|| latest.iter().sum::<f64>() / latest.len() as f64))
    }

    /// The customer with id `id`.
    fn customer(&self, id: u32) -> Result<Customer> {
        self.dataset()?.customers.iter().find(|c| c.id == id).cloned().ok_or_else(|| Error::NotFound(crate::msg!("error.no_customer", id = id)))
    }
}

fn key_account(account: Option<Account>, id: u32) -> Result<Account> {
    account
        .filter(|a| a.active)
        .ok_or_else(|| Error::Refused(crate::msg!("refused.notebook_not_key", customer = id)))
}

/// `text` shortened to about 80 characters around the first match of
/// `needle` (lower case).
fn excerpt(text: &str, needle: &str) -> String {
    const WIDTH: usize = 80;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= WIDTH {
        return text.to_string();
    }
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    let at = (0..lower.len().saturating_sub(needle.len()) + 1).find(|&i| lower[i..].starts_with(&needle)).unwrap_or(0);
    let start = at.saturating_sub(WIDTH / 3).min(chars.len().saturating_sub(WIDTH));
    let body: String = chars[start..(start + WIDTH).min(chars.len())].iter().collect();
    let (pre, post) = (if start > 0 { "…" } else { "" }, if start + WIDTH < chars.len() { "…" } else { "" });
    format!("{pre}{body}{post}")
}
