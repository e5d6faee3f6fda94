//! Backup and restore benchmark: a store holding a synthetic 1,000,000-line
//! ledger (50,000 customers), backed up to a file and restored from it
//! through the API the window and the command line call.
//!
//! `cargo bench --bench backup` (or `make bench`). `BENCH_LINES=100000` makes
//! it smaller (customers are always lines / 20).
//!
//! Measured, one line each, with the input size:
//! - the store's size on disk (every file under `<data dir>/store`);
//! - `Api::backup_to` (the owner's *Back up…*) and the backup file's size;
//! - `store::backup::verify` alone (the checksum over the whole file);
//! - `Api::restore` (verify, keep the current store as an automatic
//!   backup, rebuild the store from the file, swap it in, reopen it), then
//!   that the restored store holds every line;
//! - where those times go, phase by phase, through public functions only.
//!
//! The ledger is the import benchmark's (`tests/bench/import.rs`: same
//! generator, `ledger.rs`, same seed), written as CSV and imported with
//! `Api::plan_import` + `Api::commit_import`.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use vitalfew::api::Api;
use vitalfew::import::ImportOptions;
use vitalfew::store::backup::{self, Kind};
use vitalfew::store::Store;

#[path = "ledger.rs"]
mod ledger;
use ledger::{write_csv, Ledger, SEED};

#[path = "process.rs"]
mod process;
use process::*;

/// What the project must meet at full size on its 2-core machine, for a
/// backup and for a restore each.
const TARGET_SECS: f64 = 2.0;
const FULL_SIZE: u64 = 1_000_000;

fn main() {
    let lines = env_size("BENCH_LINES", FULL_SIZE);
    let customers = (lines / 20).max(1);
    let size = format!("{lines} lines, {customers} customers");
    let full = lines >= FULL_SIZE;

    let tmp = tempfile::Builder::new().prefix("vitalfew-bench-backup-").tempdir().expect("temp dir");

    // ---- The store ------------------------------------------------------
    let csv_path = tmp.path().join("ledger.csv");
    let t = Instant::now();
    write_csv(&csv_path, Ledger::new(lines, customers, SEED)).expect("write the CSV");
    let csv_bytes = std::fs::metadata(&csv_path).expect("CSV written").len();
    println!("generated csv: {size}, {} in {}", mb(csv_bytes), secs(t.elapsed()));

    let data_dir = tmp.path().join("data");
    let t = Instant::now();
    {
        let api = Api::new(data_dir.clone());
        let planned = api
            .plan_import(&csv_path, &ImportOptions::default(), &|_, _| {}, &AtomicBool::new(false))
            .expect("plan the import");
        let p = &planned.plan.preview;
        assert!(p.errors.is_empty() && p.skipped == 0, "{} rows skipped", p.skipped);
        assert_eq!((p.sales_lines, p.new_lines, p.customers), (lines, lines, customers), "the whole file is imported");
        api.commit_import(planned).expect("commit the import").expect("the import changes the store");
    }
    let imported = t.elapsed();
    std::fs::remove_file(&csv_path).expect("remove the CSV");

    // The app started again: its first start of the day makes the daily
    // backup (the import above ran on an empty store, which has none). Done
    // here so that the restore below is not charged with it; in the app it
    // happens at start-up, once a day.
    let api = Api::new(data_dir.clone());
    let t = Instant::now();
    let info = api.info().expect("open the store");
    let reopened = t.elapsed();
    assert_eq!((info.sales_lines, info.customers), (lines, customers), "the store holds the import");
    assert!(api.backups().iter().any(|b| b.kind == Kind::Daily), "the first start of the day made the daily backup");
    let store_bytes = dir_size(&data_dir.join("store"));
    println!(
        "store: {size}: imported in {}; store on disk {}; reopened in {} (includes its daily backup)",
        secs(imported),
        mb(store_bytes),
        secs(reopened),
    );

    // ---- Backup ---------------------------------------------------------
    // A path outside the data dir, as the owner picks one: `backup_to` then
    // also copies the file into `<data dir>/backups/` (manual backups are
    // kept there too). That copy is part of what the owner's action costs,
    // so it stays inside the timing; the breakdown below shows it apart.
    let out_dir = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&out_dir).expect("output folder");
    let backup_path = out_dir.join("mine.vfbackup");
    let m = Measure::start();
    let written = api.backup_to(&backup_path).expect("back up");
    let backup = m.stop();
    let backup_bytes = std::fs::metadata(&backup_path).expect("backup written").len();
    assert_eq!(written.bytes, backup_bytes);
    assert_eq!(written.sales_lines, lines);
    println!(
        "backup: {size}: {}, file {} (store on disk {}) (target ≤ {TARGET_SECS} s, smaller than the store{})",
        secs(backup.wall),
        mb(backup_bytes),
        mb(store_bytes),
        judge(full, backup.wall.as_secs_f64() <= TARGET_SECS && backup_bytes < store_bytes),
    );
    println!("  {}; {:.1}× smaller than the store", backup.details(), store_bytes as f64 / backup_bytes as f64);

    let m = Measure::start();
    backup::verify(&backup_path).expect("the backup verifies");
    let verify = m.stop();
    println!("verify: {size}, file {}: {} ({})", mb(backup_bytes), secs(verify.wall), verify.details());

    // Where the backup's time goes: the same write into the backups folder
    // (`backup_to` copies nothing then), and the copy alone.
    let folder_path = backup::folder(&data_dir).join("bench-write-only.vfbackup");
    let t = Instant::now();
    api.backup_to(&folder_path).expect("back up into the backups folder");
    let write_only = t.elapsed();
    let copy_path = out_dir.join("copy.vfbackup");
    let t = Instant::now();
    std::fs::copy(&backup_path, &copy_path).expect("copy the backup");
    let copy = t.elapsed();
    std::fs::remove_file(&copy_path).expect("remove the copy");
    std::fs::remove_file(&folder_path).expect("remove the extra backup");
    println!(
        "  backup breakdown: write (read every tree, zstd, BLAKE3, fsync) {}, copy into backups/ {}",
        secs(write_only),
        secs(copy),
    );

    // ---- Restore --------------------------------------------------------
    // What the owner's *Restore* costs: the whole file verified, the
    // current store kept as an automatic backup, the store rebuilt from the
    // file beside the current one and swapped in, and reopened.
    let autos_before = api.backups().iter().filter(|b| b.kind == Kind::Auto).count();
    let m = Measure::start();
    let restored = api.restore(&backup_path, &|_| {}).expect("restore");
    let restore = m.stop();
    let info = api.info().expect("the restored store opens");
    assert_eq!(info.sales_lines, lines, "the restored store holds every line");
    assert_eq!(info.customers, customers, "the restored store holds every customer");
    assert_eq!(restored.sales_lines, lines);
    let autos_after = api.backups().iter().filter(|b| b.kind == Kind::Auto).count();
    assert_eq!(autos_after, autos_before + 1, "the restore kept the store it replaced as an automatic backup");
    let restored_bytes = dir_size(&data_dir.join("store"));
    println!(
        "restore: {size}, file {}: {} (target ≤ {TARGET_SECS} s{})",
        mb(backup_bytes),
        secs(restore.wall),
        judge(full, restore.wall.as_secs_f64() <= TARGET_SECS),
    );
    println!("  {}; restored store on disk {}, {} lines", restore.details(), mb(restored_bytes), info.sales_lines);

    // Where the restore's time goes. `Api::restore` verifies the file, then
    // writes the automatic backup (a backup's write, timed above), then
    // `store::backup::restore` verifies it again, builds and swaps; then
    // the store is opened. The last two are timed here on another folder.
    drop(api);
    let other = tmp.path().join("data-breakdown");
    std::fs::create_dir_all(&other).expect("another data dir");
    let t = Instant::now();
    backup::restore(&other, &backup_path, false, &|_| {}).expect("restore into another folder");
    let rebuilt = t.elapsed();
    let t = Instant::now();
    let store = Store::open(&other).expect("open the rebuilt store");
    let opened = t.elapsed();
    assert_eq!(store.line_count().expect("line count"), lines);
    drop(store);
    println!(
        "  restore breakdown: verify {} ×2, automatic backup ≈ write {}, build + swap {} (store::backup::restore {} \
         minus its verify), open {}; sum {}",
        secs(verify.wall),
        secs(write_only),
        secs(rebuilt.saturating_sub(verify.wall)),
        secs(rebuilt),
        secs(opened),
        secs(verify.wall + write_only + rebuilt + opened),
    );
}

// ---- Measuring -----------------------------------------------------------

/// Wall and CPU time and peak memory over one operation.
struct Measure {
    start: Instant,
    cpu: Option<Duration>,
    reset: bool,
    rss_before: Option<u64>,
}

struct Measured {
    wall: Duration,
    /// CPU time of the whole process (all threads): on a busy machine the
    /// wall-clock time includes waiting for a core.
    cpu: Option<Duration>,
    peak_rss: Option<u64>,
    reset: bool,
    /// Resident when it started (memory the allocator kept from earlier
    /// work counts here, and is reused before RSS grows).
    rss_before: Option<u64>,
}

impl Measure {
    fn start() -> Measure {
        let reset = reset_peak_rss();
        let rss_before = proc_status_bytes("VmRSS:");
        Measure { cpu: cpu_time(), reset, rss_before, start: Instant::now() }
    }

    fn stop(self) -> Measured {
        let wall = self.start.elapsed();
        let cpu = cpu_time().zip(self.cpu).map(|(end, start)| end.saturating_sub(start));
        Measured { wall, cpu, peak_rss: proc_status_bytes("VmHWM:"), reset: self.reset, rss_before: self.rss_before }
    }
}

impl Measured {
    /// `cpu 1.10 s, peak RSS 120.3 MB (before 80.1 MB)`
    fn details(&self) -> String {
        let cpu = self.cpu.map_or_else(|| "cpu unknown".to_string(), |c| format!("cpu {}", secs(c)));
        let rss = match self.peak_rss {
            Some(b) if self.reset => format!("peak RSS {}", mb(b)),
            Some(b) => format!("peak RSS {} (whole process: VmHWM could not be reset)", mb(b)),
            None => "peak RSS unknown".to_string(),
        };
        let before = self.rss_before.map(|b| format!(" (before {})", mb(b))).unwrap_or_default();
        format!("{cpu}, {rss}{before}")
    }
}

// ---- Reporting -----------------------------------------------------------

/// Decimal megabytes, as file managers show them.
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `: met` / `: NOT met` at full size; nothing for a smaller run (the
/// targets are for 1,000,000 lines).
fn judge(full: bool, ok: bool) -> &'static str {
    match (full, ok) {
        (false, _) => "",
        (true, true) => ": met",
        (true, false) => ": NOT met",
    }
}
