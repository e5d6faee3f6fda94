//! The command line: `vitalfew` alone opens the window; `vitalfew <command>`
//! runs headless on the same store. Errors print one line on stderr and exit
//! non-zero; usage errors exit 2 (clap's convention).

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::store::Store;
use crate::{datadir, gui, Error, Result};

#[derive(Debug, Parser)]
#[command(name = "vitalfew", version, about = "Vital Few: see which customers make your profit, and manage your key accounts.")]
pub struct Cli {
    /// Folder holding the data store (default: the platform data directory,
    /// e.g. ~/.local/share/vitalfew).
    #[arg(long, global = true, value_name = "DIR", env = datadir::ENV_VAR)]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show where the data is and how much of it there is.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
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
    match cli.command {
        None => gui::run(data_dir),
        Some(Command::Info { json }) => info(&data_dir, json, out),
    }
}

fn info(data_dir: &std::path::Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let info = Store::open(data_dir)?.info()?;
    let text = if json {
        serde_json::to_string_pretty(&info).expect("info serializes")
    } else {
        format!(
            "Vital Few {}\ndata dir:       {}\nschema version: {}\ncustomers:      {}\nsales lines:    {}\nkey accounts:   {}",
            info.version, info.data_dir, info.schema_version, info.customers, info.sales_lines, info.accounts
        )
    };
    writeln!(out, "{text}").map_err(|e| Error::Output(e.to_string()))
}
