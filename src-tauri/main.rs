//! The `vitalfew` binary: no arguments opens the window, `vitalfew <command>`
//! runs headless. All logic lives in the library crate.

fn main() {
    std::process::exit(vitalfew::cli::main());
}
