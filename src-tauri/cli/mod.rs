//! The command line: `vitalfew <command>` runs headless on the data folder
//! the window uses (`main.rs` hands a launch without a command to the
//! window). Errors print one line on stderr and exit non-zero; usage errors
//! exit 2 (clap's convention). One file per group of commands, each with
//! its arguments and handlers; `output` is how they all print.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use crate::api::Api;
use crate::launch::{self, Launch};
use crate::Result;

mod accounts;
mod backups;
mod figures;
mod imports;
mod insight;
mod notebook;
mod output;
mod pack;
mod team;

use output::{emit, emit_json};

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
    Import(imports::ImportArgs),
    /// The column mappings you corrected, remembered for files with the
    /// same headers.
    Mappings {
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<imports::MappingAction>,
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
    Concentration(figures::ConcentrationArgs),
    /// Draw a chart to a PNG or SVG file.
    Chart(figures::ChartArgs),
    /// Promote, demote, classify or move one key account.
    Account {
        #[command(subcommand)]
        action: accounts::AccountCommand,
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
    /// List customers with their totals.
    Customers(figures::CustomersArgs),
    /// Share the key accounts' notebooks with a small team through a folder
    /// you already sync (Syncthing, 坚果云, a NAS share, OneDrive), merged
    /// on every PC and sealed with the team's passphrase.
    Team {
        #[command(subcommand)]
        action: team::TeamCommand,
    },
}

/// Runs `command` of `launch`; returns the process exit code.
pub fn main(command: Command, launch: &Launch<Command>) -> i32 {
    let mut out = std::io::stdout().lock();
    launch::exit_code(launch.data_folder().and_then(|dir| run(&Api::new(dir), command, &mut out)))
}

/// Runs one command on `api`, writing results to `out`.
pub fn run(api: &Api, command: Command, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Info { json } => info(api, json, out),
        Command::Import(args) => imports::import(api, args, out),
        Command::Mappings { json, action: None } => imports::mappings(api, json, out),
        Command::Mappings { action: Some(imports::MappingAction::Forget { id }), .. } => imports::forget_mapping(api, id, out),
        Command::UndoImport => imports::undo_import(api, out),
        Command::Imports { json } => imports::imports(api, json, out),
        Command::Concentration(args) => figures::concentration(api, args, out),
        Command::Chart(args) => figures::chart(api, args, out),
        Command::Customers(args) => figures::customers(api, args, out),
        Command::Account { action } => accounts::account(api, action, out),
        Command::Accounts { json, all } => accounts::accounts(api, json, all, out),
        Command::Backup { out: path } => backups::backup(api, &path, out),
        Command::Restore { file } => backups::restore(api, &file, out),
        Command::Backups { json } => backups::backups(api, json, out),
        Command::Check { json } => backups::check(api, json, out),
        Command::Contact(args) => notebook::contact(api, args, out),
        Command::Contacts(args) => notebook::contacts(api, args, out),
        Command::Touch(args) => notebook::touch(api, args, out),
        Command::Notebook(args) => notebook::notebook(api, args, out),
        Command::Survey(args) => notebook::survey(api, args, out),
        Command::Surveys(args) => notebook::surveys(api, args, out),
        Command::Due(args) => notebook::due(api, args, out),
        Command::Holidays(args) => notebook::holidays(api, args, out),
        Command::Segments(args) => insight::segments(api, args, out),
        Command::Risk(args) => insight::risk(api, args, out),
        Command::Health(args) => insight::health(api, args, out),
        Command::Whitespace(args) => insight::whitespace(api, args, out),
        Command::CostToServe(args) => insight::cost_to_serve(api, args, out),
        Command::Export(args) => insight::export(api, args, out),
        Command::Pack(args) => pack::pack(api, args, out),
        Command::Team { action } => team::team(api, action, out),
    }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(args: Vec<String>) -> std::result::Result<Launch<Command>, clap::Error> {
        launch::parse(args)
    }

    fn file_to_open(argv: &[String], cwd: &Path) -> Option<PathBuf> {
        launch::file_to_open::<Command>(argv, cwd)
    }

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
