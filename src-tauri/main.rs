//! The `vitalfew` binary: no arguments (or a FILE) opens the window,
//! `vitalfew <command>` runs headless. This is the one place that knows both
//! shells: it parses the command line (`launch`) and hands it to `gui` or
//! `cli`. On Windows it is a window app (no console opens beside the
//! window); a command attaches to the console it was typed in.
#![cfg_attr(windows, windows_subsystem = "windows")]

use vitalfew::cli::{self, Command};
use vitalfew::import::workbook;
use vitalfew::{gui, launch};

fn main() {
    // The workbook reader an import starts (this binary, in a child process).
    if let Some(code) = workbook::run_if_reader(&std::env::args_os().collect::<Vec<_>>()) {
        std::process::exit(code);
    }
    launch::attach_console();
    let mut launch = launch::parse::<Command, _, _>(std::env::args_os()).unwrap_or_else(|e| e.exit());
    let code = match launch.command.take() {
        Some(command) => cli::main(command, &launch),
        None => launch::exit_code(launch.data_folder().and_then(|dir| gui::run(dir, launch.file_to_show(), launch::file_to_open::<Command>))),
    };
    std::process::exit(code);
}
