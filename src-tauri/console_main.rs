//! `vitalfew.com` on Windows: the commands of `vitalfew.exe`, for cmd and
//! PowerShell. `vitalfew.exe` is a window app there (no console opens
//! beside the window), and a console runs a window app without waiting for
//! it: the prompt comes back before the command has printed, and its exit
//! code is lost. This small console program starts `vitalfew.exe` beside it
//! with the same arguments and the console's handles, waits, and exits with
//! its exit code. Typed as `vitalfew`, cmd and PowerShell find `vitalfew.com`
//! before `vitalfew.exe` (PATHEXT lists .COM first). Not used elsewhere.

use std::process::{exit, Command};

fn main() {
    let exe = match std::env::current_exe() {
        Ok(me) => me.with_file_name(if cfg!(windows) { "vitalfew.exe" } else { "vitalfew" }),
        Err(e) => {
            eprintln!("vitalfew: cannot find vitalfew.exe: {e}");
            exit(1);
        }
    };
    match Command::new(&exe).args(std::env::args_os().skip(1)).status() {
        Ok(status) => exit(status.code().unwrap_or(1)),
        Err(e) => {
            eprintln!("vitalfew: cannot start {}: {e}", exe.display());
            exit(1);
        }
    }
}
