//! `check` promises the packet (issue 6 §5): the preflight finds every value the forms
//! cannot print, by claim-file key, all at once; and over every rule case and every bad
//! file, `check` exit 0 ⇒ `packet` exit 0.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use toml::{Table, Value};

const TODAY: &str = "2026-11-21";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .env_remove("JOHAS_TODAY")
        .args(args)
        .output()
        .expect("run johas-claim")
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-preflight-")
        .tempdir()
        .unwrap()
}

/// The claim text of a rule case, built as tests/cases.rs builds it.
fn case_text(case: &Table) -> String {
    let base = case["base"].as_str().unwrap();
    let remove: Vec<&str> = match case.get("remove") {
        Some(Value::Array(paths)) => paths.iter().filter_map(|p| p.as_str()).collect(),
        _ => Vec::new(),
    };
    let set = case
        .get("set")
        .and_then(|v| v.as_table())
        .cloned()
        .unwrap_or_default();
    crate::claim_text::claim_text(base, &set, &remove).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Runs `check`; when it exits 0, `packet` must exit 0 too. Returns check's exit code.
fn check_then_packet(file: &Path, out: &Path, failures: &mut Vec<String>) -> i32 {
    let f = file.to_str().unwrap();
    let c = run(&["check", f, "--today", TODAY]);
    let cc = code(&c);
    if cc == 0 {
        let p = run(&["packet", f, "-o", out.to_str().unwrap(), "--today", TODAY]);
        if code(&p) != 0 {
            failures.push(format!(
                "{f}: check exit 0 but packet exit {}:\n{}",
                code(&p),
                String::from_utf8_lossy(&p.stderr)
            ));
        }
    }
    assert!(
        !String::from_utf8_lossy(&c.stderr).contains("panicked"),
        "{f}: check panicked"
    );
    cc
}

#[test]
fn check_exit_0_implies_packet_exit_0_for_every_case_and_bad_file() {
    let dir = tmp();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut case_files: Vec<_> = std::fs::read_dir("tests/cases")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    case_files.sort();
    for file in &case_files {
        let doc: Table = toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for (i, case) in doc["case"].as_array().unwrap().iter().enumerate() {
            let stem = file.file_stem().unwrap().to_str().unwrap();
            let p = dir.path().join(format!("{stem}-{i:03}.toml"));
            std::fs::write(&p, case_text(case.as_table().unwrap())).unwrap();
            files.push(p);
        }
    }
    let mut bad: Vec<PathBuf> = walk(Path::new("tests/data/bad"));
    bad.sort();
    assert!(!bad.is_empty());
    files.extend(bad);
    // Every file is independent (its own output directory): the processes run on all
    // cores, and every file is still checked.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(i32, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break mine };
                        let mut failures = Vec::new();
                        let out = dir.path().join(format!("out{i}"));
                        let cc = check_then_packet(f, &out, &mut failures);
                        mine.push((cc, failures));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a preflight worker panicked"))
            .collect()
    });
    assert_eq!(results.len(), files.len(), "every file was checked");
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];
    for (cc, f) in results {
        counts[cc.clamp(0, 2) as usize] += 1;
        failures.extend(f);
    }
    failures.sort();
    eprintln!(
        "check ⇒ packet: {} files (check exit 0: {}, 1: {}, 2: {})",
        files.len(),
        counts[0],
        counts[1],
        counts[2]
    );
    assert!(
        counts[0] >= 5,
        "too few complete claims to mean anything: {counts:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn check_reports_every_missing_printed_fact_by_key_and_packet_the_same_list() {
    let dir = tmp();
    let text = std::fs::read_to_string("examples/shokuba-rouan.toml")
        .unwrap()
        .replacen("title = \"代表取締役\"\n", "", 1)
        .replacen(
            "address = \"神奈川県川崎市中原区木月住吉町1番1号\"\n",
            "",
            1,
        )
        .replacen(
            "name = \"健康 五郎\"",
            &format!("name = \"{}\"", "健康 五郎".repeat(30)),
            1,
        );
    let f = dir.path().join("c.toml");
    std::fs::write(&f, text).unwrap();
    let f = f.to_str().unwrap();

    let c = run(&["check", f, "--today", TODAY, "--format", "json"]);
    assert_eq!(code(&c), 1, "{}", String::from_utf8_lossy(&c.stderr));
    let json: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
    let problems = json["form_problems"].as_array().unwrap();
    let keys: Vec<&str> = problems
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "establishment.address",
            "establishment.representative.title",
            "shokuba.expert_name"
        ],
        "{problems:?}"
    );
    let messages: Vec<&str> = problems
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("様式第1号「所在地」") && messages[0].contains("様式第3号「所在地」")
    );
    assert!(messages[1].contains("代表者の役職"), "{}", messages[1]);
    assert!(
        messages[2].contains("長すぎ") && messages[2].contains("全150文字"),
        "{}",
        messages[2]
    );
    assert!(
        messages.iter().all(|m| !m.contains("{{")),
        "no template paths: {messages:?}"
    );

    let human = run(&["check", f, "--today", TODAY]);
    let out = String::from_utf8_lossy(&human.stdout);
    assert!(out.contains("申請書類（様式）に書けない項目（3件"), "{out}");

    let out_dir = dir.path().join("out");
    let p = run(&[
        "packet",
        f,
        "-o",
        out_dir.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(code(&p), 2);
    let err = String::from_utf8_lossy(&p.stderr);
    for k in keys {
        assert!(err.contains(k), "packet names {k} at once: {err}");
    }
    assert!(!out_dir.exists(), "nothing written");
}

#[test]
fn check_reports_a_table_over_the_row_limit_at_its_key() {
    let dir = tmp();
    let mut text = std::fs::read_to_string("examples/shokuba-rouan.toml").unwrap();
    for i in 0..1001 {
        text.push_str(&format!(
            "\n[[shokuba.guidance]]\ndate = 2018-11-{:02}\ncontent = \"打合せ（第{i}回）\"\n",
            i % 28 + 1
        ));
    }
    let f = dir.path().join("rows.toml");
    std::fs::write(&f, text).unwrap();
    let c = run(&[
        "check",
        f.to_str().unwrap(),
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(code(&c), 1);
    let json: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
    let p = &json["form_problems"][0];
    assert_eq!(p["key"], "shokuba.guidance", "{json}");
    assert!(p["message"].as_str().unwrap().contains("1000行まで"), "{p}");
}
