//! How the `vitalfew` binary was started, shared by both shells: `vitalfew`
//! alone (or with a FILE) opens the window, `vitalfew <command>` runs a
//! command. `main.rs` parses the command line here and hands it to `gui` or
//! `cli`; neither shell knows the other. The commands themselves are the
//! type parameter `C` (the CLI's `Command`), so this module knows none.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::api::Api;
use crate::{datadir, Result};

mod console;

pub use console::attach as attach_console;

#[derive(Debug, Parser)]
#[command(name = "vitalfew", version, override_usage = "vitalfew [OPTIONS] [FILE]\n       vitalfew [OPTIONS] <COMMAND>", about = "Vital Few: see which customers make your profit, and manage your key accounts.")]
pub struct Launch<C: Subcommand> {
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
    pub command: Option<C>,
}

/// Parses a command line (`args` starts with the program's name). A bare
/// word that names no command is still "unrecognized subcommand" unless it
/// looks like a file: it has a folder, an extension, or exists.
pub fn parse<C, I, T>(args: I) -> std::result::Result<Launch<C>, clap::Error>
where
    C: Subcommand,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::CommandFactory;
    let launch = Launch::<C>::try_parse_from(args)?;
    if let Some(file) = &launch.file {
        let looks_like_a_file = file.components().count() > 1 || file.extension().is_some() || file.exists();
        if !looks_like_a_file {
            let message = format!("unrecognized subcommand '{}'", file.display());
            return Err(Launch::<C>::command().error(clap::error::ErrorKind::InvalidSubcommand, message));
        }
        if launch.command.is_some() {
            let message = format!("a file to open ('{}') cannot come with a command", file.display());
            return Err(Launch::<C>::command().error(clap::error::ErrorKind::ArgumentConflict, message));
        }
    }
    Ok(launch)
}

/// The file a launch asks the window to open: `argv` as another process of
/// this binary received it (a second launch, forwarded to the running
/// window), a relative path taken from that process's folder `cwd`. `None`
/// when it names no file (or would not parse: that process has already said
/// why and exited).
pub fn file_to_open<C: Subcommand>(argv: &[String], cwd: &Path) -> Option<PathBuf> {
    let launch = parse::<C, _, _>(argv).ok()?;
    if launch.command.is_some() {
        return None;
    }
    launch.file.map(|f| cwd.join(f))
}

impl<C: Subcommand> Launch<C> {
    /// The data folder to work in; with `--new-store`, a missing, empty or
    /// damaged store there is first replaced by an empty one (said on
    /// stderr: the refused one is kept aside).
    pub fn data_folder(&self) -> Result<PathBuf> {
        let data_dir = datadir::resolve(self.data_dir.clone())?;
        if self.new_store && Api::new(data_dir.clone()).start_empty()? {
            eprintln!("vitalfew: started with no data in {}; the store that was refused is kept aside there", data_dir.display());
        }
        Ok(data_dir)
    }

    /// The file to show in the window, made absolute.
    pub fn file_to_show(&self) -> Option<PathBuf> {
        self.file.clone().map(|f| std::path::absolute(&f).unwrap_or(f))
    }
}

/// The process's exit code for `result`; an error is said in one line on
/// stderr.
pub fn exit_code(result: Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("vitalfew: error: {e}");
            1
        }
    }
}
