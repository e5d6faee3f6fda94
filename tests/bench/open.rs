//! What verifying the store folder before sled opens it costs: the open of
//! a 1,000,000-line store (50,000 customers) after a clean close (every
//! file hashed and compared with the manifest) and after a crash (the
//! folder copied aside, recovered by sled and checked whole), against
//! sled's open alone (what an open cost before the manifest); hashing a
//! 100 MB folder (target ≤ 150 ms); the close (hashing, manifest); and
//! what recording the manifest adds to one saved change.
//!
//! `cargo bench --bench open` (or `make bench`). `BENCH_LINES=100000` makes
//! it smaller (customers are always lines / 20).

use std::path::Path;
use std::time::{Duration, Instant};

use vitalfew::store::manifest::{self, Manifest, State};
use vitalfew::store::{folders, Key, Record, Store};

#[path = "ledger.rs"]
mod ledger;
use ledger::imported;

#[path = "process.rs"]
mod process;
use process::*;

/// Hashing the store folder at open, per 100 MB of store.
const HASH_TARGET: Duration = Duration::from_millis(150);
const FULL_SIZE: u64 = 1_000_000;
const RUNS: usize = 5;

#[derive(serde::Serialize, serde::Deserialize)]
struct Note {
    text: String,
}

impl Record for Note {
    const TREE: &'static str = "customer:bench_notes";
    const VERSION: u32 = 1;
}

fn main() {
    let lines = env_size("BENCH_LINES", FULL_SIZE);
    let customers = (lines / 20).max(1);
    let size = format!("{lines} lines, {customers} customers");
    let (tmp, api) = imported(lines, customers);
    drop(api);
    let data = tmp.path();
    let store_dir = folders::store_dir(data);
    let bytes = dir_size(&store_dir);
    let files = manifest::snapshot(&store_dir).expect("hash the folder").len();
    println!("store: {size}, {} on disk in {files} files", mb(bytes));

    // After a clean close: the folder hashed and compared, then sled.
    let (open_clean, close) = middle((0..RUNS).map(|_| timed_open_close(data)).collect());
    let expected = match manifest::read(data) {
        manifest::Found::Manifest(m) => m.files,
        other => panic!("no manifest after a close: {other:?}"),
    };
    let hash = median(RUNS, || assert!(manifest::difference(&store_dir, &expected).is_none()));
    println!(
        "open after a clean close: {size}: {} (of which hashing {} files, {}: {}); sled's open and the checks without \
         the hashing (the open before the manifest): {}",
        ms(open_clean),
        files,
        mb(bytes),
        ms(hash),
        ms(open_clean.saturating_sub(hash)),
    );
    println!("close: {size}: {} (sled lets go, the folder hashed, the manifest written)", ms(close));

    // After a crash: copied aside, recovered, every record decoded.
    let (after_crash, _) = middle(
        (0..3)
            .map(|_| {
                mark_open(data);
                timed_open_close(data)
            })
            .collect(),
    );
    println!("open after a crash: {size}: {} (copy aside {}, sled's recovery, every tree decoded)", ms(after_crash), mb(bytes));

    // Hashing 100 MB of store files (sled's blobs are files of their own).
    let hundred = tmp.path().join("hundred");
    std::fs::create_dir_all(hundred.join("blobs")).expect("folder");
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for n in 0..20 {
        let chunk: Vec<u8> = (0..5_000_000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let name = if n == 0 { "db".to_string() } else { format!("blobs/{n}") };
        std::fs::write(hundred.join(name), chunk).expect("write");
    }
    let snap = manifest::snapshot(&hundred).expect("hash");
    let hash100 = median(RUNS, || assert!(manifest::difference(&hundred, &snap).is_none()));
    println!(
        "hash at open: 100.0 MB in 20 files: {} (target ≤ {} ms{})",
        ms(hash100),
        HASH_TARGET.as_millis(),
        if hash100 <= HASH_TARGET { ": met" } else { ": NOT met" }
    );

    // One saved change: the transaction and flush, then the manifest.
    let store = Store::open(data).expect("open");
    let id = 1u32;
    let mut n = 0u64;
    let change = median(21, || {
        n += 1;
        store.update::<Note>(Key::CustomerItem(id, n), |_| Ok(Note { text: format!("note {n}") })).expect("save")
    });
    let write = median(21, || manifest::write(data, &Manifest::new(State::Open, Default::default(), Vec::new())).expect("write"));
    drop(store);
    println!("one saved change: {} (of which the manifest {}: written beside the store, flushed, renamed)", ms(change), ms(write));
}

/// One open and one close of the store in `data`.
fn timed_open_close(data: &Path) -> (Duration, Duration) {
    let t = Instant::now();
    let store = Store::open(data).expect("open");
    let opened = t.elapsed();
    let t = Instant::now();
    drop(store);
    (opened, t.elapsed())
}

/// The medians of the first and of the second of each pair.
fn middle(mut runs: Vec<(Duration, Duration)>) -> (Duration, Duration) {
    let mid = runs.len() / 2;
    runs.sort_by_key(|r| r.0);
    let first = runs[mid].0;
    runs.sort_by_key(|r| r.1);
    (first, runs[mid].1)
}

/// Makes the manifest say what a crash leaves: a session still open.
fn mark_open(data: &Path) {
    if let manifest::Found::Manifest(m) = manifest::read(data) {
        manifest::write(data, &Manifest::new(State::Open, m.counts, Vec::new())).expect("write");
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
