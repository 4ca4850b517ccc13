//! 1,000 packets made by one process, on all cores (issue #7's targets: ≤ 8 s on the
//! 2-core machine; issue #3's peak memory ≤ 100 MB). Prints, besides the total, the
//! per-stage split from inside the process and the size of each file of one packet.
//! Run with `cargo bench --bench packets` or through `scripts/bench.sh`.
//!
//! Environment: `JOHAS_BENCH_PACKETS` (default 1000), `JOHAS_BENCH_THREADS` (default:
//! the number of cores). With `JOHAS_BENCH_TYP=FILE` it only writes the pages of the first
//! example's packet as a typst document (the same text, faces, sizes and positions, one
//! `place` per item) for `scripts/bench.sh` to compare with typst, and exits.

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

/// CPU time (user + system) of this process so far, in seconds (Linux).
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The pages of `docs` as typst markup: every item placed where the PDF draws it.
fn typst_source(docs: &[johas_claim::page::Document]) -> String {
    use johas_claim::page::{Face, Item};
    use std::fmt::Write;
    let mut s = String::from("#set text(lang: \"ja\")\n");
    let mut first = true;
    for page in docs.iter().flat_map(|d| &d.pages) {
        if !first {
            s += "#pagebreak()\n";
        }
        first = false;
        let _ = writeln!(
            s,
            "#set page(width: {}mm, height: {}mm, margin: 0pt)",
            page.width_mm, page.height_mm
        );
        for item in &page.items {
            match item {
                Item::Text {
                    x_mm,
                    y_mm,
                    size_pt,
                    face,
                    text,
                } => {
                    let font = match face {
                        Face::Mincho => "IPAexMincho",
                        Face::Gothic => "IPAexGothic",
                    };
                    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
                    // y is the baseline; place() takes the top (ascent 0.88 em).
                    let _ = writeln!(
                        s,
                        "#place(dx: {x_mm}mm, dy: {y_mm}mm - {:.2}pt, text(font: \"{font}\", size: {size_pt}pt, \"{escaped}\"))",
                        size_pt * 0.88
                    );
                }
                Item::Line {
                    x1_mm,
                    y1_mm,
                    x2_mm,
                    y2_mm,
                    width_pt,
                } => {
                    let _ = writeln!(
                        s,
                        "#place(line(start: ({x1_mm}mm, {y1_mm}mm), end: ({x2_mm}mm, {y2_mm}mm), stroke: {width_pt}pt))"
                    );
                }
                Item::Rect {
                    x_mm,
                    y_mm,
                    w_mm,
                    h_mm,
                    width_pt,
                } => {
                    let _ = writeln!(
                        s,
                        "#place(dx: {x_mm}mm, dy: {y_mm}mm, rect(width: {w_mm}mm, height: {h_mm}mm, stroke: {width_pt}pt))"
                    );
                }
                Item::Ellipse {
                    cx_mm,
                    cy_mm,
                    rx_mm,
                    ry_mm,
                    width_pt,
                } => {
                    let _ = writeln!(
                        s,
                        "#place(dx: {}mm, dy: {}mm, ellipse(width: {}mm, height: {}mm, stroke: {width_pt}pt))",
                        cx_mm - rx_mm,
                        cy_mm - ry_mm,
                        2.0 * rx_mm,
                        2.0 * ry_mm
                    );
                }
            }
        }
    }
    s
}

fn main() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    if let Ok(path) = std::env::var("JOHAS_BENCH_TYP") {
        let claim = johas_claim::programmes::johas::read::load(Path::new(EXAMPLES[0])).unwrap();
        let ev = johas_claim::programmes::johas::evaluate::evaluate(&claim, today);
        let (docs, _) = johas_claim::programmes::johas::packet::lay_out(&claim, &ev).unwrap();
        let docs: Vec<_> = docs.into_iter().map(|(_, d)| d).collect();
        std::fs::write(path, typst_source(&docs)).unwrap();
        return;
    }
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
    let out = tempfile::tempdir().unwrap();

    // The size of each file, from one packet per example.
    for ex in EXAMPLES {
        let claim = johas_claim::programmes::johas::read::load(Path::new(ex)).unwrap();
        let ev = johas_claim::programmes::johas::evaluate::evaluate(&claim, today);
        let packet = johas_claim::programmes::johas::packet::build(&claim, &ev).unwrap();
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
    let cpu_before = cpu_secs();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let path = Path::new(EXAMPLES[i % 2]);
                let claim = timed(&LOAD, || {
                    johas_claim::programmes::johas::read::load(path).unwrap()
                });
                let ev = timed(&EVALUATE, || {
                    johas_claim::programmes::johas::evaluate::evaluate(&claim, today)
                });
                let packet = timed(&BUILD, || {
                    johas_claim::programmes::johas::packet::build(&claim, &ev).unwrap()
                });
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
    let cpu = cpu_before
        .zip(cpu_secs())
        .map(|(a, b)| format!("{:.2} s CPU, {:.2} cores busy", b - a, (b - a) / secs))
        .unwrap_or_else(|| "CPU ?".into());
    println!(
        "packets: {n} in {secs:.2} s ({:.1} ms/packet, {threads} workers; {cpu}), {:.1} MB written, peak RSS {} MB",
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
