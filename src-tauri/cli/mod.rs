//! The command line: `vitalfew` alone opens the window; `vitalfew <command>`
//! runs headless on the same store. Errors print one line on stderr and exit
//! non-zero; usage errors exit 2 (clap's convention).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::accounts::{AccountType, Change, Phase, Reason};
use crate::analysis::{self, Filter, Measure};
use crate::api::Api;
use crate::charts::{ChartKind, ChartRequest, ImageFormat};
use crate::customers::{self, SortBy};
use crate::import::plan::{describe, RowProblem};
use crate::import::{workbook, DateOrder, DecimalMark, Delimiter, Field, ImportOptions, SourceKind, TextEncoding};
use crate::model::Lang;
use crate::store::backup::BackupInfo;
use crate::{datadir, gui, Error, Result};

mod console;
mod insight;
mod notebook;
mod pack;

#[derive(Debug, Parser)]
#[command(name = "vitalfew", version, override_usage = "vitalfew [OPTIONS] [FILE]\n       vitalfew [OPTIONS] <COMMAND>", about = "Vital Few: see which customers make your profit, and manage your key accounts.")]
pub struct Cli {
    /// Folder holding the data store (default: the platform data directory,
    /// e.g. ~/.local/share/vitalfew).
    #[arg(long, global = true, value_name = "DIR", env = datadir::ENV_VAR)]
    pub data_dir: Option<PathBuf>,

    /// When the data folder's store is missing, empty or damaged, start with
    /// an empty one (a damaged one is kept aside, the backups stay). Without
    /// it, such a store is refused while backups of earlier data exist.
    #[arg(long, global = true)]
    pub new_store: bool,

    /// A CSV/TSV/TXT or XLSX/XLSM/XLS/ODS file to open in the window's
    /// import preview (what the desktop's "Open with Vital Few" runs). With
    /// a window already open on the same data, that window shows it.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Parses a command line (`args` starts with the program's name). A bare
/// word that names no command is still "unrecognized subcommand" unless it
/// looks like a file: it has a folder, an extension, or exists.
pub fn parse<I, T>(args: I) -> std::result::Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::CommandFactory;
    let cli = Cli::try_parse_from(args)?;
    if let Some(file) = &cli.file {
        let looks_like_a_file = file.components().count() > 1 || file.extension().is_some() || file.exists();
        if !looks_like_a_file {
            let message = format!("unrecognized subcommand '{}'", file.display());
            return Err(Cli::command().error(clap::error::ErrorKind::InvalidSubcommand, message));
        }
        if cli.command.is_some() {
            let message = format!("a file to open ('{}') cannot come with a command", file.display());
            return Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message));
        }
    }
    Ok(cli)
}

/// The file a launch asks the window to open: `argv` as another process of
/// this binary received it (a second launch, forwarded to the running
/// window), a relative path taken from that process's folder `cwd`. `None`
/// when it names no file (or would not parse: that process has already said
/// why and exited).
pub fn file_to_open(argv: &[String], cwd: &Path) -> Option<PathBuf> {
    let cli = parse(argv).ok()?;
    if cli.command.is_some() {
        return None;
    }
    cli.file.map(|f| cwd.join(f))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show where the data is and how much of it there is.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import customers or sales from a CSV/TSV/TXT or XLSX/XLSM/XLS/ODS file.
    ///
    /// Rows with problems are skipped and listed. On a terminal you are asked
    /// before anything is saved; otherwise the import is committed.
    Import {
        file: PathBuf,
        /// Worksheet to read (default: the first with data).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Show what would be imported; save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Text encoding (default: detected).
        #[arg(long, value_enum)]
        encoding: Option<TextEncoding>,
        /// How to read dates like 03/04/2024 (default: decided from the file).
        #[arg(long, value_enum)]
        date_order: Option<DateOrder>,
        /// 1-based row number of the header row (default: found).
        #[arg(long, value_name = "N")]
        header_row: Option<u64>,
        /// How a text file's fields are separated (default: detected;
        /// space = columns aligned with spaces).
        #[arg(long, value_enum)]
        delimiter: Option<Delimiter>,
        /// The decimal mark of the file's numbers (default: detected).
        #[arg(long, value_enum)]
        decimal: Option<DecimalMark>,
        /// Map a column by its header: FIELD is one of customer_id,
        /// customer_name, date, order, product, category, quantity, revenue,
        /// cost, profit, region, industry, attribute, ignore. Repeatable.
        #[arg(long = "map", value_name = "HEADER=FIELD", value_parser = parse_map)]
        map: Vec<(String, Option<Field>)>,
        /// Add lines that look like sales an earlier import stored (same
        /// order number, date and amount, another spelling) anyway.
        #[arg(long)]
        keep_duplicates: bool,
        /// The program the file comes from (default: auto, recognised from
        /// its headers).
        #[arg(long, value_enum, default_value = "auto")]
        source: SourceArg,
        /// Import rows whose status says they are no sale (closed,
        /// cancelled, refunded, failed, void, unpaid) anyway.
        #[arg(long)]
        keep_excluded: bool,
    },
    /// The column mappings you corrected, remembered for files with the
    /// same headers.
    Mappings {
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<MappingAction>,
    },
    /// Undo the most recent import.
    UndoImport,
    /// List past imports, newest first.
    Imports {
        #[arg(long)]
        json: bool,
    },
    /// The 80/20 figures: how concentrated profit (or revenue, or gross
    /// margin) is across customers.
    Concentration {
        /// Default: profit, or revenue when your files have no profit or cost.
        #[arg(long, value_enum)]
        measure: Option<Measure>,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Draw a chart to a PNG or SVG file.
    Chart {
        #[arg(value_enum)]
        kind: ChartKind,
        /// Output file; its extension (.png or .svg) picks the format.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, default_value_t = 1920)]
        width: u32,
        #[arg(long, default_value_t = 1080)]
        height: u32,
        /// PNG pixel density (1 or 2).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=2))]
        scale: u32,
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
        /// Default: profit, or revenue when your files have no profit or cost.
        #[arg(long, value_enum)]
        measure: Option<Measure>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Symbol shown before money values.
        #[arg(long, default_value = "¥")]
        currency: String,
    },
    /// Promote, demote, classify or move one key account.
    Account {
        #[command(subcommand)]
        action: AccountCommand,
    },
    /// List key accounts with their type, phase, checklist and history.
    Accounts {
        #[arg(long)]
        json: bool,
        /// Include demoted accounts.
        #[arg(long)]
        all: bool,
    },
    /// Write a backup of everything in the store to FILE.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the store with a backup (the current store is backed up
    /// first, or moved aside when it is damaged).
    Restore { file: PathBuf },
    /// List the backups kept in the data folder, newest first.
    Backups {
        #[arg(long)]
        json: bool,
    },
    /// Verify the store: counts, every record and every chunk of sales lines.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Add a contact to a key account.
    Contact(notebook::ContactArgs),
    /// List a key account's contacts with their buying roles.
    Contacts(notebook::ListArgs),
    /// Log a visit, call, message, WeChat, email or meeting with a key account.
    Touch(notebook::TouchArgs),
    /// Record a satisfaction survey of a key account (scores 1–5).
    Survey(notebook::SurveyArgs),
    /// A key account's satisfaction surveys, oldest first.
    Surveys(notebook::ListArgs),
    /// A key account's notebook: dossier, contacts, buying map, touches.
    Notebook(notebook::ListArgs),
    /// What is due: actions, touches, birthdays and holidays, by date.
    Due(notebook::DueArgs),
    /// The holidays to call or send a gift before, with their dates in a year.
    Holidays(notebook::HolidaysArgs),
    /// Every customer's lifecycle stage, RFM scores and segment.
    Segments(insight::SegmentsArgs),
    /// What losing each key account costs, and who is the only
    /// decision-level supporter of an account.
    Risk(insight::JsonArgs),
    /// The health (0–100) of every key account, or of one, with its parts.
    Health(insight::AccountArgs),
    /// The product categories each key account's peers (same type) buy and
    /// it does not.
    Whitespace(insight::AccountArgs),
    /// Each key account's cost to serve: hours and money logged on touches
    /// and gifts, and profit after them.
    CostToServe(insight::CostArgs),
    /// Export customers (with segments and classes), key accounts or their
    /// contacts as CSV (UTF-8 with BOM) or XLSX, by the file's extension.
    Export(insight::ExportArgs),
    /// The meeting pack: one PDF of 16:9 pages — a cover with the 80/20
    /// headline and the concentration risk, the charts, the key-accounts
    /// table and a page per key account.
    Pack(pack::PackArgs),
    /// Reads a workbook for an import, in its own process (internal).
    #[command(name = "__read-workbook", hide = true)]
    ReadWorkbook {
        file: PathBuf,
        #[arg(long)]
        sheet: Option<String>,
    },
    /// List customers with their totals.
    Customers {
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value = "profit")]
        sort: SortBy,
        /// Show at most N customers.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
}

/// Which sales and customers the figures cover.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<chrono::NaiveDate>,
    /// Key accounts only.
    #[arg(long)]
    key_accounts: bool,
    /// Key accounts of this type only.
    #[arg(long, value_enum)]
    account_type: Option<AccountType>,
}

impl From<FilterArgs> for Filter {
    fn from(a: FilterArgs) -> Filter {
        Filter { from: a.from, to: a.to, key_only: a.key_accounts.then_some(true), account_type: a.account_type, ..Filter::default() }
    }
}

/// ID: the customer's id as `vitalfew customers` shows it, or its ID in your books.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Make a customer a key account (it starts in the establish phase).
    Promote { id: String },
    /// Stop treating a customer as a key account (its history is kept).
    Demote { id: String },
    /// Confirm the account's type.
    SetType {
        id: String,
        #[arg(value_enum)]
        account_type: AccountType,
    },
    /// Move the relationship to another phase. Moving back is a fallback
    /// and needs --reason: market_change, their_personnel, our_personnel, or
    /// your own words.
    Move {
        id: String,
        #[arg(long, value_enum)]
        phase: Phase,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Day of the move (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
}

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    console::attach();
    let cli = parse(std::env::args_os()).unwrap_or_else(|e| e.exit());
    if let Some(Command::ReadWorkbook { file, sheet }) = &cli.command {
        return workbook::child_main(file, sheet.as_deref());
    }
    match run(cli, &mut std::io::stdout().lock()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("vitalfew: error: {e}");
            1
        }
    }
}

/// Runs a parsed command line, writing results to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let data_dir = datadir::resolve(cli.data_dir)?;
    if cli.new_store && Api::new(data_dir.clone()).start_empty()? {
        eprintln!("vitalfew: started with no data in {}; the store that was refused is kept aside there", data_dir.display());
    }
    let Some(command) = cli.command else {
        let file = cli.file.map(|f| std::path::absolute(&f).unwrap_or(f));
        return gui::run(data_dir, file);
    };
    let api = Api::new(data_dir);
    match command {
        Command::Info { json } => info(&api, json, out),
        Command::Import {
            file,
            sheet,
            dry_run,
            json,
            encoding,
            date_order,
            header_row,
            delimiter,
            decimal,
            map,
            keep_duplicates,
            source,
            keep_excluded,
        } => {
            let options = ImportOptions {
                encoding,
                sheet,
                header_row,
                mapping: None,
                date_order,
                delimiter,
                decimal,
                keep_duplicates,
                source: source.kind(),
                keep_excluded,
                by_header: map,
            };
            import_file(&api, &file, &options, dry_run, json, out)
        }
        Command::Mappings { json, action: None } => {
            let list = api.mappings()?;
            if json {
                return emit_json(out, &list);
            }
            if list.is_empty() {
                return emit(out, "No mapping is remembered.");
            }
            let mut text = String::new();
            for m in &list {
                let fields: Vec<String> = m
                    .columns
                    .iter()
                    .map(|(h, f)| format!("{h}={}", f.map_or("attribute", |f| f.cli_name())))
                    .collect();
                text.push_str(&format!("#{} {}  {}  {}\n  {}\n", m.id, m.at, m.file_name, m.source.name(), fields.join(", ")));
            }
            emit(out, text.trim_end())
        }
        Command::Mappings { action: Some(MappingAction::Forget { id }), .. } => {
            let m = api.forget_mapping(id)?;
            emit(out, &format!("Forgot the mapping remembered from {} (#{}): files with its headers are read as detected again.", m.file_name, m.id))
        }
        Command::UndoImport => {
            let r = api.undo_import()?;
            emit(out, &format!("Undid the import of {} ({}): {} sales lines and {} new customers removed.", r.file_name, r.at, r.sales_lines, r.new_customers))
        }
        Command::Imports { json } => {
            let list = api.imports()?;
            if json {
                return emit_json(out, &list);
            }
            let mut text = String::new();
            for r in &list {
                let checksum = r.checksum.get(..16).unwrap_or(&r.checksum);
                text.push_str(&format!(
                    "#{} {}  {}  rows {}  customers {}  new lines {}  {checksum}\n",
                    r.id, r.at, r.file_name, r.rows, r.customers, r.sales_lines
                ));
            }
            emit(out, text.trim_end())
        }
        Command::Concentration { measure: asked, filter, json } => {
            let (measure, c) = api.concentration(asked, &filter.into())?;
            // Said when the data chose revenue for the owner.
            let measure_reason = (asked.is_none() && measure == Measure::Revenue).then(|| crate::i18n::text(Lang::En, "measure.no_profit"));
            if json {
                return emit_json(out, &ConcentrationOut { measure, measure_reason, figures: &c });
            }
            let text = concentration_text(measure, &c);
            emit(out, &measure_reason.map_or(text.clone(), |why| format!("{why}\n{text}")))
        }
        Command::Chart { kind, out: path, width, height, scale, lang, measure, filter, currency } => {
            let format = ImageFormat::from_path(&path)
                .ok_or_else(|| Error::InvalidArgument(format!("{}: the file name must end in .png or .svg", path.display())))?;
            let measure = match measure {
                Some(m) => m,
                None => api.default_measure()?,
            };
            let req = ChartRequest { kind, measure, filter: filter.into(), width, height, scale, lang, currency };
            let rendered = api.chart(&req, format)?;
            std::fs::write(&path, &rendered.bytes).map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
            emit(out, &format!("Wrote {}", path.display()))
        }
        Command::Account { action } => account(&api, action, out),
        Command::Accounts { json, all } => {
            let views = api.account_views(all)?;
            if json {
                let list: Vec<_> = views.iter().map(|v| v.summary(Lang::En)).collect();
                return emit_json(out, &list);
            }
            let mut text = String::new();
            for v in &views {
                let kind = v.account_type.map_or("type not set", AccountType::name);
                text.push_str(&format!(
                    "{:>6}  {:<30}  {:<10}  {:<10} since {}  checklist {}/{}{}\n",
                    v.id,
                    v.name,
                    kind,
                    v.phase.name(),
                    v.since,
                    v.progress.done,
                    v.progress.total,
                    if v.active { "" } else { "  (demoted)" }
                ));
            }
            emit(out, if views.is_empty() { "No key accounts." } else { text.trim_end() })
        }
        Command::Contact(args) => notebook::contact(&api, args, out),
        Command::Contacts(args) => notebook::contacts(&api, args, out),
        Command::Touch(args) => notebook::touch(&api, args, out),
        Command::Notebook(args) => notebook::notebook(&api, args, out),
        Command::Survey(args) => notebook::survey(&api, args, out),
        Command::Surveys(args) => notebook::surveys(&api, args, out),
        Command::Due(args) => notebook::due(&api, args, out),
        Command::Holidays(args) => notebook::holidays(&api, args, out),
        Command::Segments(args) => insight::segments(&api, args, out),
        Command::Risk(args) => insight::risk(&api, args, out),
        Command::Health(args) => insight::health(&api, args, out),
        Command::Whitespace(args) => insight::whitespace(&api, args, out),
        Command::CostToServe(args) => insight::cost_to_serve(&api, args, out),
        Command::Export(args) => insight::export(&api, args, out),
        Command::Pack(args) => pack::pack(&api, args, out),
        Command::ReadWorkbook { file, sheet } => match workbook::child_main(&file, sheet.as_deref()) {
            0 => Ok(()),
            _ => Err(Error::Output("the workbook reader failed".into())),
        },
        Command::Customers { json, sort, limit } => {
            let mut rows = api.customers()?;
            customers::sort(&mut rows, sort);
            rows.truncate(limit.unwrap_or(usize::MAX));
            if json {
                return emit_json(out, &rows);
            }
            let mut text = String::new();
            for r in &rows {
                let profit = r.profit.map_or("—".to_string(), |p| format!("{p:.2}"));
                text.push_str(&format!("{:>6}  {:<30}  revenue {:>14.2}  profit {:>14}  orders {}\n", r.id, r.name, r.revenue, profit, r.orders));
            }
            emit(out, text.trim_end())
        }
        Command::Backup { out: path } => {
            let b = api.backup_to(&path)?;
            emit(out, &format!("Wrote {} ({}).", b.file, backup_line(&b)))
        }
        Command::Restore { file } => {
            let b = api.restore(&file, &|_| {})?;
            emit(out, &format!("Restored {} ({}).", file.display(), backup_line(&b)))
        }
        Command::Backups { json } => {
            let list = api.backups();
            if json {
                return emit_json(out, &list);
            }
            let text: Vec<String> = list
                .iter()
                .map(|b| match &b.problem {
                    None => format!("{}  {:<7}  {}  {}", b.created_at, serde_plain(&b.kind), backup_line(b), b.file),
                    Some(problem) => format!("{}  {:<7}  damaged: {problem}  {}", b.created_at, serde_plain(&b.kind), b.file),
                })
                .collect();
            emit(out, &if list.is_empty() { "No backups yet.".to_string() } else { text.join("\n") })
        }
        Command::Check { json } => {
            let report = api.check()?;
            if json {
                emit_json(out, &report)?;
            } else {
                let trees: Vec<String> = report.trees.iter().map(|(t, n)| format!("{t} {n}")).collect();
                emit(out, &format!("{} sales lines; {}", report.sales_lines, trees.join(", ")))?;
            }
            if report.ok {
                return if json { Ok(()) } else { emit(out, "The store is intact.") };
            }
            Err(Error::Corrupt { what: "store".into(), reason: report.problems.join("; ") })
        }
    }
}

fn backup_line(b: &BackupInfo) -> String {
    format!(
        "{} customers, {} sales lines, {} key accounts, {} notebooks ({} entries), {} bytes",
        b.customers, b.sales_lines, b.accounts, b.notebooks, b.notebook_entries, b.bytes
    )
}

fn serde_plain<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn account(api: &Api, action: AccountCommand, out: &mut dyn Write) -> Result<()> {
    let key = match &action {
        AccountCommand::Promote { id } | AccountCommand::Demote { id } | AccountCommand::SetType { id, .. } | AccountCommand::Move { id, .. } => id,
    };
    let customer = api.find_customer(key)?;
    let (id, name) = (customer.id, &customer.name);
    let (change, done) = match action {
        AccountCommand::Promote { .. } => (Change::Promote, format!("{name} (id {id}) is now a key account, in the establish phase.")),
        AccountCommand::Demote { .. } => (Change::Demote, format!("{name} (id {id}) is no longer a key account; its history is kept.")),
        AccountCommand::SetType { account_type, .. } => {
            // The API records what the data suggested when the owner chose.
            (Change::SetType { account_type, suggested: None }, format!("{name} (id {id}): type set to {}.", account_type.name()))
        }
        AccountCommand::Move { phase, reason, note, date, .. } => {
            let reason = reason.as_deref().and_then(Reason::parse);
            (Change::Move { phase, at: date, reason, note }, format!("{name} (id {id}) moved to the {} phase.", phase.name()))
        }
    };
    api.change_account(id, change)?;
    emit(out, &done)
}

/// `--map "HEADER=FIELD"`: `attribute` keeps the column as an attribute.
fn parse_map(arg: &str) -> std::result::Result<(String, Option<Field>), String> {
    let (header, field) = arg.rsplit_once('=').ok_or("expected HEADER=FIELD, e.g. \"Sales=revenue\"")?;
    let field = field.trim();
    if field == "attribute" {
        return Ok((header.trim().to_string(), None));
    }
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.cli_name()).filter(|n| *n != "orders").collect();
    Field::ALL
        .into_iter()
        .find(|f| f.cli_name() == field)
        .map(|f| (header.trim().to_string(), Some(f)))
        .ok_or_else(|| format!("unknown field \"{field}\"; use one of {}, attribute", names.join(", ")))
}

fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(out, "{text}").map_err(|e| Error::Output(e.to_string()))
}

fn emit_json<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    emit(out, &serde_json::to_string_pretty(value).expect("serializes"))
}

fn info(api: &Api, json: bool, out: &mut dyn Write) -> Result<()> {
    let info = api.info()?;
    if json {
        return emit_json(out, &info);
    }
    emit(
        out,
        &format!(
            "Vital Few {}\ndata dir:       {}\nschema version: {}\ncustomers:      {}\nsales lines:    {}\nkey accounts:   {}",
            info.version, info.data_dir, info.schema_version, info.customers, info.sales_lines, info.accounts
        ),
    )
}

/// `vitalfew import --source`: a source, or `auto` to recognise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceArg {
    Auto,
    Fapiao,
    Taobao,
    #[value(name = "1688")]
    Alibaba1688,
    Quickbooks,
    Shopify,
    Stripe,
    Generic,
}

impl SourceArg {
    fn kind(self) -> Option<SourceKind> {
        Some(match self {
            SourceArg::Auto => return None,
            SourceArg::Fapiao => SourceKind::Fapiao,
            SourceArg::Taobao => SourceKind::Taobao,
            SourceArg::Alibaba1688 => SourceKind::Alibaba1688,
            SourceArg::Quickbooks => SourceKind::Quickbooks,
            SourceArg::Shopify => SourceKind::Shopify,
            SourceArg::Stripe => SourceKind::Stripe,
            SourceArg::Generic => SourceKind::Generic,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum MappingAction {
    /// Forget a remembered mapping (ID as `vitalfew mappings` lists it).
    Forget { id: u32 },
}

/// `vitalfew import --json`: these field names are an interface.
#[derive(Serialize)]
struct ImportSummary {
    rows: u64,
    customers: u64,
    new_customers: u64,
    /// Lines this import adds (or, with --dry-run, would add).
    sales_lines: u64,
    skipped: u64,
    errors: Vec<RowProblem>,
    /// Lines that look like sales an earlier import stored, not added
    /// (0 with --keep-duplicates, which adds them).
    duplicates: u64,
    /// The program the file came from (`--source`'s names).
    source: &'static str,
    /// Rows left out because their status says they are no sale.
    excluded: Vec<ExcludedOut>,
    /// How the file was read beyond its mapping, in English.
    rules: Vec<String>,
}

#[derive(Serialize)]
struct ExcludedOut {
    reason: &'static str,
    rows: u64,
    amount: f64,
    /// Whether they were imported anyway (`--keep-excluded`).
    kept: bool,
}

fn import_file(api: &Api, file: &Path, options: &ImportOptions, dry_run: bool, json: bool, out: &mut dyn Write) -> Result<()> {
    let cancel = AtomicBool::new(false);
    let planned = api.plan_import(file, options, &|_, _| {}, &cancel)?;
    let p = &planned.plan.preview;
    let summary = ImportSummary {
        rows: p.rows,
        customers: p.customers,
        new_customers: p.new_customers,
        sales_lines: p.new_lines,
        skipped: p.skipped,
        errors: p.errors.clone(),
        duplicates: if p.duplicates_added { 0 } else { p.duplicates },
        source: p.source.name(),
        excluded: p
            .excluded
            .iter()
            .map(|e| ExcludedOut { reason: e.reason.name(), rows: e.rows, amount: e.amount, kept: p.excluded_kept })
            .collect(),
        rules: p.rules.iter().map(|r| r.message.to_string()).collect(),
    };
    let interactive = !json && !dry_run && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !json {
        let mut text = format!(
            "{}: {} rows, {} customers ({} new, {} changed), {} sales lines ({} new), {} skipped",
            p.file_name, p.rows, p.customers, p.new_customers, p.changed_customers, p.sales_lines, p.new_lines, p.skipped
        );
        if p.source != SourceKind::Generic {
            text.push_str(&format!("\n  source: {}", p.source.label()));
        }
        for r in &p.rules {
            text.push_str(&format!("\n  rule: {}", r.message));
        }
        for e in &p.excluded {
            let what = if p.excluded_kept { "imported anyway (--keep-excluded)" } else { "left out (--keep-excluded imports them)" };
            text.push_str(&format!("\n  {}: {}", crate::msg!("import.excluded.summary", rows = e.rows, reason = e.reason.label(), amount = crate::i18n::group(e.amount, 2)), what));
        }
        for e in p.errors.iter().take(20) {
            text.push_str(&format!("\n  skipped {}", describe(e)));
        }
        if p.errors.len() > 20 {
            text.push_str(&format!("\n  … and {} more", p.skipped - 20));
        }
        for w in &p.warnings {
            text.push_str(&format!("\n  note: {}", describe(w)));
        }
        if p.profit.is_none() {
            text.push_str("\n  note: no profit or cost column — profit-based views will need one");
        }
        for c in &p.checks {
            text.push_str(&format!("\n  {}: {}", if c.blocking { "problem" } else { "warning" }, c.describe()));
        }
        if let Some(d) = p.describe_duplicates() {
            let what = if p.duplicates_added { "added anyway (--keep-duplicates)" } else { "not added (--keep-duplicates adds them)" };
            text.push_str(&format!("\n  note: {d}: {what}"));
        }
        emit(out, &text)?;
    }
    if let Some(c) = p.blocked() {
        return Err(Error::Import { file: p.file_name.clone(), reason: crate::msg!("import.not_imported", check = c.describe()) });
    }
    let commit = !dry_run && (!interactive || confirm(out)?);
    if commit {
        let record = api.commit_import(planned)?;
        if !json {
            emit(out, if record.is_some() { "Imported." } else { "Nothing new to import." })?;
        }
    } else if !json {
        emit(out, "Nothing was saved.")?;
    }
    if json {
        emit_json(out, &summary)?;
    }
    Ok(())
}

fn confirm(out: &mut dyn Write) -> Result<bool> {
    write!(out, "Import? [y/N] ").and_then(|_| out.flush()).map_err(|e| Error::Output(e.to_string()))?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(|e| Error::Output(e.to_string()))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// `vitalfew concentration --json`: the figures' field names (an interface),
/// with the measure they are of and, when the data chose it, why.
#[derive(Serialize)]
struct ConcentrationOut<'a> {
    measure: Measure,
    #[serde(skip_serializing_if = "Option::is_none")]
    measure_reason: Option<String>,
    #[serde(flatten)]
    figures: &'a analysis::Concentration,
}

fn concentration_text(measure: Measure, c: &analysis::Concentration) -> String {
    let pct = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{:.1}%", v * 100.0));
    let mut s = format!("{measure:?} across {} customers, total {:.2}\n", c.customers, c.total);
    if let Some(reason) = &c.na_reason {
        s.push_str(&format!("shares: n/a — {reason}\n"));
    }
    s.push_str(&format!("top 20% ({} customers): {}\n", c.top20_count, pct(c.top20_share)));
    s.push_str(&format!("customers for 80%: {}\n", c.customers_for_80.map_or("n/a".into(), |k| k.to_string())));
    s.push_str(&format!("unprofitable: {} customers, {:.2}\n", c.unprofitable, c.unprofitable_total));
    s.push_str(&format!(
        "whale curve peak: {} at customer {}\n",
        pct(c.whale_peak_share),
        c.whale_peak_at.map_or("n/a".into(), |k| k.to_string())
    ));
    s.push_str(&format!(
        "gini (non-negative values): {}   hhi: {}   largest share: {}\n",
        c.gini.map_or("n/a".into(), |g| format!("{g:.3}")),
        c.hhi.map_or("n/a".into(), |h| format!("{h:.4}")),
        pct(c.largest_share)
    ));
    s.push_str(&format!(
        "ABC: A {} ({}), B {} ({}), C {} ({})",
        c.abc.a.count,
        pct(c.abc.a.share),
        c.abc.b.count,
        pct(c.abc.b.share),
        c.abc.c.count,
        pct(c.abc.c.share)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        std::iter::once("vitalfew").chain(list.iter().copied()).map(String::from).collect()
    }

    #[test]
    fn a_file_alone_opens_the_window_with_it() {
        let cwd = Path::new("/home/owner/Downloads");
        let open = |list: &[&str]| file_to_open(&args(list), cwd);
        assert_eq!(open(&["ledger.xlsx"]), Some(PathBuf::from("/home/owner/Downloads/ledger.xlsx")));
        assert_eq!(open(&["./sub/2024 sales.csv"]), Some(PathBuf::from("/home/owner/Downloads/./sub/2024 sales.csv")));
        assert_eq!(open(&["/tmp/a.ods"]), Some(PathBuf::from("/tmp/a.ods")));
        assert_eq!(open(&["--data-dir", "/srv/co", "a.xls"]), Some(PathBuf::from("/home/owner/Downloads/a.xls")));
        assert_eq!(open(&["a.xls", "--data-dir=/srv/co"]), Some(PathBuf::from("/home/owner/Downloads/a.xls")));
        // A name the app does not read still reaches the window, which says why.
        assert_eq!(open(&["notes.pdf"]), Some(PathBuf::from("/home/owner/Downloads/notes.pdf")));
        // A file literally named like a command: `./` makes it a file.
        assert_eq!(open(&["./info"]), Some(PathBuf::from("/home/owner/Downloads/./info")));
        let cli = parse(args(&["--data-dir", "/srv/co", "a.xlsx"])).unwrap();
        assert_eq!(cli.data_dir, Some(PathBuf::from("/srv/co")));
        assert_eq!(cli.file, Some(PathBuf::from("a.xlsx")));
    }

    #[test]
    fn commands_and_plain_launches_open_no_file() {
        let cwd = Path::new("/home/owner");
        assert_eq!(file_to_open(&args(&[]), cwd), None);
        assert_eq!(file_to_open(&args(&["--data-dir", "/srv/co"]), cwd), None);
        assert_eq!(file_to_open(&args(&["info"]), cwd), None);
        assert_eq!(file_to_open(&args(&["import", "ledger.csv"]), cwd), None);
        assert_eq!(file_to_open(&args(&["--data-dir", "/srv/co", "import", "--dry-run", "a.xlsx"]), cwd), None);
        // Subcommands still parse as before.
        let cli = parse(args(&["--data-dir", "/srv/co", "import", "a.xlsx"])).unwrap();
        assert!(matches!(cli.command, Some(Command::Import { .. })));
        assert_eq!(cli.file, None);
        assert!(matches!(parse(args(&["info", "--json"])).unwrap().command, Some(Command::Info { json: true })));
    }

    #[test]
    fn a_word_that_is_no_command_and_no_file_is_a_usage_error() {
        let e = parse(args(&["frobnicate"])).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::InvalidSubcommand);
        assert!(e.to_string().contains("unrecognized subcommand 'frobnicate'"), "{e}");
        assert_eq!(e.exit_code(), 2);
        // A file and a command together are refused, not half-done.
        let e = parse(args(&["ledger.csv", "info"])).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(file_to_open(&args(&["ledger.csv", "info"]), Path::new("/")), None);
        // Two files: clap refuses the second.
        assert!(parse(args(&["a.csv", "b.csv"])).is_err());
    }
}
