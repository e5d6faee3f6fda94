//! What the benchmarks measure about their own process: sizes from the
//! environment, peak and current RSS and CPU time (Linux `/proc`), folder
//! sizes, the median of repeated timings.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

pub fn env_size(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .replace(['_', ','], "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or_else(|| panic!("{name}={v}: expected a positive whole number")),
        Err(_) => default,
    }
}

/// A `kB` field of `/proc/self/status` (`VmHWM:` the peak resident set
/// size, `VmRSS:` the current one), in bytes. Linux only.
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// User + system CPU time of the process so far (all threads), from
/// `/proc/self/stat` (in USER_HZ = 100 ticks per second). Linux only.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is 3rd,
    // utime the 14th and stime the 15th of the whole line.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0), so the next reading is
/// the peak of what follows. False when it cannot.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Median of `runs` timings of `f`.
pub fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
}
