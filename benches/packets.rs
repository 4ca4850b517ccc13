//! 1,000 packets made by one process (issue #3's throughput target: ≤ 10 s, peak memory
//! ≤ 100 MB on the 2-core machine). Run with `cargo bench --bench packets` or through
//! `scripts/bench.sh`, which also times one packet as a whole process.

use std::path::Path;
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

fn main() {
    let n: usize = std::env::var("JOHAS_BENCH_PACKETS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let examples = [
        "examples/sangyoui-rouan.toml",
        "examples/shokuba-rouan.toml",
    ];
    let out = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let mut bytes = 0usize;
    for i in 0..n {
        // Each packet goes through the whole pipeline: read and check the file, evaluate,
        // fill the forms, export PDFs, write atomically.
        let claim = johas_claim::validate::load(Path::new(examples[i % 2])).unwrap();
        let ev = johas_claim::evaluate::evaluate(&claim, today);
        let packet = johas_claim::packet::build(&claim, &ev).unwrap();
        bytes += packet.files.iter().map(|f| f.bytes.len()).sum::<usize>();
        johas_claim::output::write_packet(&out.path().join(format!("p{i}")), &packet.files, false)
            .unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "packets: {n} in {secs:.2} s ({:.1} ms/packet), {:.1} MB written, peak RSS {} MB",
        secs * 1000.0 / n as f64,
        bytes as f64 / 1e6,
        peak_rss_kb()
            .map(|k| (k / 1024).to_string())
            .unwrap_or_else(|| "?".into())
    );
}
