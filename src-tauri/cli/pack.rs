//! `vitalfew pack`: the meeting pack as a PDF (an interface other tools
//! rely on: `--out FILE.pdf [--lang en|zh-CN] [--from YYYY-MM-DD --to
//! YYYY-MM-DD] [--accounts all|ID,ID…]`).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::output::emit;
use crate::api::Api;
use crate::model::Lang;
use crate::pack::PackRequest;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct PackArgs {
    /// The PDF to write.
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// Language of the pack (default: the app's).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// First day of the period (YYYY-MM-DD; default: the first sale).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<NaiveDate>,
    /// Last day of the period (YYYY-MM-DD; default: the latest sale).
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<NaiveDate>,
    /// `all` (the default), or the key accounts to include: our ids or
    /// your own customer IDs, separated by commas.
    #[arg(long, value_name = "all|ID,ID…", default_value = "all")]
    accounts: String,
}

pub fn pack(api: &Api, args: PackArgs, out: &mut dyn Write) -> Result<()> {
    let file = args.out;
    if !file.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        return Err(Error::InvalidArgument(format!("{}: give a file ending in .pdf", file.display())));
    }
    let accounts = match args.accounts.trim() {
        "all" => None,
        list => Some(
            list.split(',')
                .map(|key| match key.trim() {
                    "" => Err(Error::InvalidArgument(format!("--accounts {list}: an empty account ID"))),
                    key => api.find_customer(key).map(|c| c.id),
                })
                .collect::<Result<Vec<u32>>>()?,
        ),
    };
    let req = PackRequest { from: args.from, to: args.to, accounts, lang: args.lang };
    let pdf = api.meeting_pack(&req, &|_| {})?;
    std::fs::write(&file, &pdf).map_err(|e| Error::Output(format!("{}: {e}", file.display())))?;
    emit(out, &format!("Wrote {} ({} bytes).", file.display(), pdf.len()))
}
