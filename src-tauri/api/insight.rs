//! What the data says: segments for every customer; the key accounts'
//! concentration risk, health, whitespace and cost to serve (with the
//! owner's hourly rate); their charts.

use chrono::NaiveDate;

use super::Api;
use crate::accounts::Account;
use crate::charts::{self, ImageFormat, Rendered};
use crate::i18n;
use crate::insight::{self, CostToServe, Health, Risk, Segments, Whitespace, Windows};
use crate::notebook::Notebook;
use crate::store::{Key, Record};
use crate::{Error, Result};

impl Api {
    /// Every customer's lifecycle stage, RFM scores and segment, bands and
    /// profit class, as of `as_of` (default: the latest sale).
    pub fn segments(&self, as_of: Option<NaiveDate>, windows: Windows) -> Result<Segments> {
        insight::segments(&*self.dataset()?, as_of, windows)
    }

    /// The segment summary chart (count and profit share per segment).
    pub fn segment_chart(&self, as_of: Option<NaiveDate>, windows: Windows, format: ImageFormat, size: (u32, u32), scale: u32) -> Result<Rendered> {
        let s = self.segments(as_of, windows)?;
        let lang = self.language();
        let subtitle = i18n::format(lang, "chart.segments.subtitle", &[("date", i18n::date(lang, s.as_of)), ("n", s.customers.len().to_string())]);
        charts::segments::segment_chart(&s.stats, s.measure, &subtitle, lang, size, scale, format)
    }

    /// What losing each key account costs, and who is an account's only
    /// decision-level supporter.
    pub fn risk(&self) -> Result<Risk> {
        let store = self.store()?;
        Ok(insight::risk(&*self.dataset()?, &store.all::<Account>()?, &store.all::<Notebook>()?))
    }

    /// The health of every key account (or of customer `id`'s).
    pub fn health(&self, id: Option<u32>) -> Result<Vec<Health>> {
        let store = self.store()?;
        let accounts: Vec<Account> = store.all::<Account>()?.into_iter().filter(|a| id.is_none_or(|id| a.customer == id)).collect();
        if let (Some(id), true) = (id, accounts.iter().all(|a| !a.active)) {
            return Err(Error::Refused(crate::msg!("refused.not_key", customer = id)));
        }
        Ok(insight::health(&*self.dataset()?, &accounts, &store.all::<Notebook>()?, crate::accounts::today(), self.language()))
    }

    /// What each key account's peers buy and it does not (or customer
    /// `id`'s only), with the category × account grid.
    pub fn whitespace(&self, id: Option<u32>) -> Result<Whitespace> {
        let accounts = self.store()?.all::<Account>()?;
        if let Some(id) = id.filter(|id| !accounts.iter().any(|a| a.active && a.customer == *id)) {
            return Err(Error::Refused(crate::msg!("refused.not_key", customer = id)));
        }
        Ok(insight::whitespace(&*self.dataset()?, &accounts, id, self.language()))
    }

    /// Every key account's cost to serve, hours valued at `rate` (default:
    /// the rate the owner set, else 0).
    pub fn cost_to_serve(&self, rate: Option<f64>) -> Result<Vec<CostToServe>> {
        let store = self.store()?;
        let rate = match rate {
            Some(r) => check_rate(r)?,
            None => self.hourly_rate()?,
        };
        Ok(insight::cost_to_serve(&*self.dataset()?, &store.all::<Account>()?, &store.all::<Notebook>()?, rate))
    }

    /// The whale curve of profit after cost to serve, at the owner's rate.
    pub fn cost_whale(&self, format: ImageFormat, size: (u32, u32)) -> Result<Rendered> {
        let costs: std::collections::HashMap<u32, f64> = self.cost_to_serve(None)?.iter().map(|c| (c.id, c.cost_to_serve)).collect();
        let (lang, rate, currency) = (self.language(), self.hourly_rate()?, self.prefs()?.currency);
        let note = i18n::format(lang, "cost.whale_note", &[("rate", format!("{currency}{rate}"))]);
        charts::whale_after_cost(&*self.dataset()?, &costs, &note, lang, &currency, size, format)
    }

    /// What an hour of the owner's time is worth (0 until set).
    pub fn hourly_rate(&self) -> Result<f64> {
        Ok(self.store()?.get::<Rate>(RATE)?.map_or(0.0, |r| r.per_hour))
    }

    pub fn set_hourly_rate(&self, per_hour: f64) -> Result<f64> {
        let per_hour = check_rate(per_hour)?;
        self.store()?.update::<Rate>(RATE, |_| Ok(Rate { per_hour }))?;
        Ok(per_hour)
    }
}

/// The owner's hourly rate for the cost to serve.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct Rate {
    per_hour: f64,
}

impl Record for Rate {
    const TREE: &'static str = "record:rate";
    const VERSION: u32 = 1;
}

const RATE: Key = Key::Item(1);

fn check_rate(r: f64) -> Result<f64> {
    if r.is_finite() && (0.0..=1e7).contains(&r) {
        Ok(r)
    } else {
        Err(Error::Refused(crate::msg!("refused.hourly_rate", rate = r.to_string())))
    }
}
