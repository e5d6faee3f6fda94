//! The meeting pack: one PDF for a meeting (cover, charts, key-accounts
//! table, a page per account), with progress.

use std::collections::HashMap;

use super::Api;
use crate::accounts::{self, Account};
use crate::insight;
use crate::notebook::{Notebook, NotebookView};
use crate::pack::{self, pdf, Inputs, PackProgress, PackRequest};
use crate::Result;

impl Api {
    /// The pack `req` asks for (language: the app's unless given), as PDF
    /// bytes; `progress` hears after each chart drawn and page written.
    /// Refused before anything is drawn when the period or an account is
    /// wrong.
    pub fn meeting_pack(&self, req: &PackRequest, progress: &dyn Fn(PackProgress)) -> Result<Vec<u8>> {
        let lang = req.lang.unwrap_or_else(|| self.language());
        let req = PackRequest { lang: Some(lang), ..req.clone() };
        let views = self.account_views(false)?;
        let chosen = pack::choose(&req, &views)?;
        let data = self.dataset()?;
        let store = self.store()?;
        let all_accounts = store.all::<Account>()?;
        let notebooks = store.all::<Notebook>()?;
        let pages: HashMap<u32, NotebookView> = chosen.iter().map(|id| self.notebook(*id).map(|n| (*id, n))).collect::<Result<_>>()?;
        let today = accounts::today();
        let health = insight::health(&data, &all_accounts, &notebooks, today, lang);
        let risk = insight::risk(&pack::in_period(&data, req.from, req.to), &all_accounts, &notebooks);
        let currency = self.prefs()?.currency;

        let charts = crate::charts::ChartKind::ALL.len();
        let total = (charts + pdf::page_count(charts, chosen.len())) as u32;
        let done = std::cell::Cell::new(0u32);
        let step = || {
            done.set(done.get() + 1);
            progress(PackProgress { done: done.get(), total });
        };
        progress(PackProgress { done: 0, total });
        let inputs = Inputs { data: &data, views: &views, notebooks: &pages, health: &health, risk: &risk, currency: &currency, today };
        let model = pack::build(&inputs, &req, &chosen, pdf::chart_height(), &step)?;
        pdf::write(&model, &step)
    }
}
