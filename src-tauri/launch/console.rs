//! The console of a command run on Windows. The binary is a window app
//! there (`windows_subsystem = "windows"`: no console opens beside the
//! window when it starts from the Start menu or a double-click), so a
//! command typed in cmd or PowerShell has no console of its own: it
//! attaches to the one it was started from, and prints there. Output
//! redirected to a file or a pipe already has its handles and is left as
//! it is.

/// Attaches to the parent's console when standard output and error go
/// nowhere (started from a console without redirection). Elsewhere, and on
/// other systems, nothing to do.
pub fn attach() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{AttachConsole, GetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE, STD_OUTPUT_HANDLE};
        // SAFETY: GetStdHandle and AttachConsole take plain values; a
        // failure (no parent console: started from Explorer) changes nothing.
        unsafe {
            let missing = |which| {
                let h = GetStdHandle(which);
                h.is_null() || h == windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE
            };
            if missing(STD_OUTPUT_HANDLE) && missing(STD_ERROR_HANDLE) {
                AttachConsole(ATTACH_PARENT_PROCESS);
            }
        }
    }
}
