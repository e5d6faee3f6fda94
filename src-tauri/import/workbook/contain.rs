//! Keeping the workbook reader in bounds, per platform: its memory limit
//! and its death with the process that started it (Linux: `RLIMIT_AS` and
//! a parent-death signal; Windows: a job object holding both), so a killed
//! import leaves no reader behind.

use std::process::Child;

use super::Limits;

/// Tells the reader which process started it (its pid), so it can tell it
/// was orphaned before it could arrange to die with it.
pub(super) const PARENT_ENV: &str = "VITALFEW_READER_PARENT";

/// Puts the reader in a job object that kills it when the job's last handle
/// closes — when this process ends, however it ends — and holds its memory
/// limit (Windows has no `RLIMIT_AS`). The job lives until the reader is
/// waited for. The reader runs outside it only from its start to this call;
/// without a job (the system refused one) it runs as it did before jobs:
/// unlimited, and it may outlive a killed import.
#[cfg(windows)]
pub(super) fn contain(child: &Child, limits: Limits) -> Option<job::Job> {
    let job = job::Job::new(limits.memory_bytes).ok()?;
    job.assign(child).ok()?;
    Some(job)
}

/// Elsewhere the reader limits itself and dies with its parent
/// (`child_main`): there is no job to hold.
#[cfg(not(windows))]
pub(super) fn contain(_child: &Child, _limits: Limits) -> Option<std::convert::Infallible> {
    None
}

#[cfg(windows)]
mod job {
    use std::os::windows::io::AsRawHandle;
    use std::process::Child;

    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation, SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_PROCESS_MEMORY,
    };

    /// A job object that kills its processes when closed, each limited to
    /// `memory_bytes` of committed memory.
    pub struct Job(HANDLE);

    impl Job {
        pub fn new(memory_bytes: u64) -> std::io::Result<Job> {
            // SAFETY: no security attributes, no name: an anonymous job.
            let handle = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
            if handle.is_null() {
                return Err(std::io::Error::last_os_error());
            }
            let job = Job(handle);
            // SAFETY: a plain C struct, for which all zeroes is "no limits".
            let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
            info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_PROCESS_MEMORY;
            info.ProcessMemoryLimit = usize::try_from(memory_bytes).unwrap_or(usize::MAX);
            // SAFETY: `info` is the struct this information class takes, and its size.
            let ok = unsafe {
                SetInformationJobObject(
                    job.0,
                    JobObjectExtendedLimitInformation,
                    (&raw const info).cast(),
                    std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
                )
            };
            if ok == 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(job)
        }

        pub fn assign(&self, child: &Child) -> std::io::Result<()> {
            // SAFETY: both handles are open: the job's is ours, the child's is
            // held by `child` until it is waited for.
            if unsafe { AssignProcessToJobObject(self.0, child.as_raw_handle() as HANDLE) } == 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        }
    }

    impl Drop for Job {
        fn drop(&mut self) {
            // SAFETY: the handle is ours and closed once; closing it kills
            // the reader if it still runs.
            unsafe { CloseHandle(self.0) };
        }
    }
}

/// Asks the kernel to kill this reader when the thread that started it ends
/// (`read_isolated` waits for the reader, so that thread outlives it; a killed
/// import ends it at once), then checks that its parent is still the process
/// named in [`PARENT_ENV`]: if that one died before this line, the reader was
/// already handed to another parent and the signal will never come. False:
/// orphaned, stop. Started by hand (no [`PARENT_ENV`]), it only gets the signal.
#[cfg(target_os = "linux")]
pub(super) fn die_with_parent() -> bool {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    }
    let Some(parent) = std::env::var(PARENT_ENV).ok().and_then(|p| p.parse::<libc::pid_t>().ok()) else {
        return true;
    };
    // SAFETY: getppid cannot fail.
    unsafe { libc::getppid() == parent }
}

/// On Windows the job object `read_isolated` puts the reader in kills it
/// with its parent; other systems have no such signal.
#[cfg(not(target_os = "linux"))]
pub(super) fn die_with_parent() -> bool {
    true
}

#[cfg(unix)]
pub(super) fn limit_memory(bytes: u64) {
    let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: setrlimit only reads the struct it is given.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

/// Windows has no `RLIMIT_AS`: the parent's job object holds the limit
/// (`contain`).
#[cfg(not(unix))]
pub(super) fn limit_memory(_bytes: u64) {}
