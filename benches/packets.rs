//! 1,000 packets made by one process, on all cores (issue #7's targets: ≤ 8 s on the
//! 2-core machine; issue #3's peak memory ≤ 100 MB). Prints, besides the total, the
//! per-stage split from inside the process and the size of each file of one packet.
//! Run with `cargo bench --bench packets` or through `scripts/bench.sh`.
//!
//! Environment: `JOHAS_BENCH_PACKETS` (default 1000), `JOHAS_BENCH_THREADS` (default:
//! the number of cores).

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

const EXAMPLES: [&str; 2] = [
    "examples/sangyoui-rouan.toml",
    "examples/shokuba-rouan.toml",
];

/// Wall-clock nanoseconds of the stages outside `pdf` (summed over workers).
static LOAD: AtomicU64 = AtomicU64::new(0);
static EVALUATE: AtomicU64 = AtomicU64::new(0);
static BUILD: AtomicU64 = AtomicU64::new(0);
static WRITE: AtomicU64 = AtomicU64::new(0);

fn timed<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    counter.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
    out
}

fn main() {
    let n: usize = std::env::var("JOHAS_BENCH_PACKETS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let threads: usize = std::env::var("JOHAS_BENCH_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .max(1);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let out = tempfile::tempdir().unwrap();

    // The size of each file, from one packet per example.
    for ex in EXAMPLES {
        let claim = johas_claim::validate::load(Path::new(ex)).unwrap();
        let ev = johas_claim::evaluate::evaluate(&claim, today);
        let packet = johas_claim::packet::build(&claim, &ev).unwrap();
        let sizes: Vec<String> = packet
            .files
            .iter()
            .filter(|f| f.name.ends_with(".pdf"))
            .map(|f| format!("{} {:.1} KB", f.name, f.bytes.len() as f64 / 1000.0))
            .collect();
        println!("sizes: {ex}: {}", sizes.join(", "));
    }
    let before = johas_claim::pdf::stages::nanos();
    for c in [&LOAD, &EVALUATE, &BUILD, &WRITE] {
        c.store(0, Ordering::Relaxed);
    }

    // Workers take the next packet number until all are made. Each packet goes
    // through the whole pipeline: read and check the file, evaluate, fill the forms,
    // export PDFs (on more threads inside `build`), write atomically.
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let path = Path::new(EXAMPLES[i % 2]);
                let claim = timed(&LOAD, || johas_claim::validate::load(path).unwrap());
                let ev = timed(&EVALUATE, || johas_claim::evaluate::evaluate(&claim, today));
                let packet = timed(&BUILD, || johas_claim::packet::build(&claim, &ev).unwrap());
                bytes.fetch_add(
                    packet.files.iter().map(|f| f.bytes.len()).sum::<usize>(),
                    Ordering::Relaxed,
                );
                timed(&WRITE, || {
                    johas_claim::output::write_packet(
                        &out.path().join(format!("p{i}")),
                        &packet.files,
                        false,
                    )
                    .unwrap()
                });
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "packets: {n} in {secs:.2} s ({:.1} ms/packet, {threads} workers), {:.1} MB written, peak RSS {} MB",
        secs * 1000.0 / n as f64,
        bytes.load(Ordering::Relaxed) as f64 / 1e6,
        peak_rss_kb()
            .map(|k| (k / 1024).to_string())
            .unwrap_or_else(|| "?".into())
    );

    // Per-stage split: milliseconds per packet, summed over threads (so the total can
    // exceed the wall time per packet when cores work in parallel).
    let ms = |nanos: u64| nanos as f64 / 1e6 / n as f64;
    let after = johas_claim::pdf::stages::nanos();
    println!(
        "stage: load & validate {:.2} ms/packet",
        ms(LOAD.load(Ordering::Relaxed))
    );
    println!(
        "stage: evaluate {:.2} ms/packet",
        ms(EVALUATE.load(Ordering::Relaxed))
    );
    let build = BUILD.load(Ordering::Relaxed);
    println!("stage: build (wall, per worker) {:.2} ms/packet", ms(build));
    let mut in_pdf = 0;
    for (i, name) in johas_claim::pdf::stages::NAMES.iter().enumerate() {
        let d = after[i] - before[i];
        in_pdf += d;
        println!("stage:   pdf: {name} {:.2} ms/packet (CPU)", ms(d));
    }
    println!("stage:   pdf: all stages {:.2} ms/packet (CPU)", ms(in_pdf));
    println!(
        "stage: write files {:.2} ms/packet",
        ms(WRITE.load(Ordering::Relaxed))
    );
}
