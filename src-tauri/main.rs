//! The `vitalfew` binary: no arguments opens the window, `vitalfew <command>`
//! runs headless. All logic lives in the library crate. On Windows it is a
//! window app (no console opens beside the window); a command attaches to
//! the console it was typed in (`cli::main`).
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() {
    std::process::exit(vitalfew::cli::main());
}
