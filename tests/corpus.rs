//! The bad-file and lenient corpora, one test per file (run one alone with
//! `cargo test --release --test corpus -- bad::round-missing.toml`).
//!
//! - `bad::<file>` (tests/data/bad): rejected with exit 2, never a panic, each problem with
//!   file:line, the field path and Japanese text, no parser English, and the answer recorded
//!   in tests/data/bad/expect.toml (paths named, a part of the fix).
//! - `lenient::<file>` (tests/data/lenient): accepted, with a notice where a value was
//!   normalised (terminal, --verbose and JSON), and `check` exit 0 promises `packet`.
//! - `bad::expect.toml` and `lenient::expect.toml`: each file has its entry and each entry
//!   its file.

use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::process::{Command, Output};

const TODAY: &str = "2020-10-20";

fn run(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c.args(args).output().expect("run johas-claim")
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}')
}

/// Parser English that must never reach the user (the corpus values avoid these words).
const ENGLISH: &[&str] = &[
    "expected",
    "invalid type",
    "found",
    "EOF",
    "key with no value",
    "trailing comma",
    "duplicate key",
    "string values must be quoted",
    "recursion",
    "at line",
    "column",
    "unclosed",
    "invalid",
    "panicked",
];

#[derive(Debug)]
struct Reported {
    line: Option<usize>,
    path: String,
    message: String,
}

/// The problems of one `check` run on stderr, as printed by `InputError`'s Display.
fn problems(file: &str, stderr: &str) -> Vec<Reported> {
    let mut out: Vec<Reported> = Vec::new();
    let prefix = format!("  {file}");
    for l in stderr.lines() {
        if let Some(rest) = l.strip_prefix(&prefix) {
            let (line, rest) = match rest.strip_prefix(':') {
                Some(r) => {
                    let n: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
                    (n.parse().ok(), &r[n.len()..])
                }
                None => (None, rest),
            };
            let path = rest
                .trim_start()
                .split(" = ")
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            out.push(Reported {
                line,
                path,
                message: String::new(),
            });
        } else if let Some(m) = l.trim_start().strip_prefix("→ ") {
            if let Some(last) = out.last_mut() {
                last.message = m.to_string();
            }
        }
    }
    out
}

fn expectations(dir: &str) -> BTreeMap<String, toml::Value> {
    let text = std::fs::read_to_string(format!("{dir}/expect.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table.into_iter().collect()
}

fn corpus(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|f| f != "expect.toml")
        .collect();
    files.sort();
    files
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(what().into())
    }
}

/// One bad file: every check of the corpus's promise, every failure said at once.
fn bad_file(dir: &str, f: &str, e: &toml::Value) -> Result<(), Failed> {
    let path = format!("{dir}/{f}");
    let o = run(&["check", &path, "--today", TODAY]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    ensure(o.status.code() == Some(2), || {
        format!("exit {:?}, want 2\n{err}", o.status.code())
    })?;
    let mut failures: Vec<String> = Vec::new();
    if !o.stdout.is_empty() {
        failures.push("stdout is not empty".into());
    }
    let said = err.replace(&path, "");
    for w in ENGLISH {
        if said.contains(w) {
            failures.push(format!("English parser text {w:?}"));
        }
    }
    let want_paths: Vec<&str> = e["paths"]
        .as_array()
        .ok_or("expect.toml: paths is not a list")?
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    let fix = e["fix"]
        .as_str()
        .ok_or("expect.toml: fix is not a string")?;
    let reported = problems(&path, &err);
    ensure(!reported.is_empty(), || {
        format!("no problem reported\n{err}")
    })?;
    let whole_file = want_paths.is_empty();
    for p in &reported {
        if !p.message.chars().any(is_japanese) {
            failures.push(format!("message not in Japanese: {:?}", p.message));
        }
        if p.path.is_empty() && !whole_file {
            failures.push(format!("a problem without a field path: {p:?}"));
        }
        // Only a key that is missing altogether has no line to point at.
        if p.line.is_none() && !whole_file && !p.message.contains("ありません") {
            failures.push(format!("a problem without a line: {p:?}"));
        }
    }
    for w in &want_paths {
        if !reported.iter().any(|p| p.path == *w) {
            failures.push(format!("path {w} not reported"));
        }
    }
    if !reported.iter().any(|p| p.message.contains(fix)) {
        failures.push(format!("fix {fix:?} not in any message"));
    }
    if err.chars().count() > 20_000 {
        failures.push("the error is too long (a value was not shortened)".into());
    }
    ensure(failures.is_empty(), || {
        format!("{}\n{err}", failures.join("\n"))
    })
}

/// One lenient file: accepted, its notice said everywhere, and a complete claim packs.
fn lenient_file(dir: &str, f: &str, e: &toml::Value) -> Result<(), Failed> {
    let path = format!("{dir}/{f}");
    let o = run(&["check", &path, "--today", TODAY]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let code = o.status.code();
    ensure(matches!(code, Some(0) | Some(1)), || {
        format!("exit {code:?}, want 0 or 1\n{err}")
    })?;
    if let Some(n) = e.get("notice").and_then(|n| n.as_array()) {
        let (p, text) = (
            n[0].as_str().unwrap_or_default(),
            n[1].as_str().unwrap_or_default(),
        );
        // On the terminal, notices are grouped by kind (one line each); every one of them
        // is in the JSON and, with --verbose, on a line of its own.
        ensure(err.lines().any(|l| l.starts_with("お知らせ:")), || {
            format!("no notice line\n{err}")
        })?;
        let v = run(&["check", &path, "--today", TODAY, "--verbose"]);
        let verr = String::from_utf8_lossy(&v.stderr).to_string();
        ensure(
            verr.lines()
                .any(|l| l.starts_with("お知らせ:") && l.contains(p) && l.contains(text)),
            || format!("no notice at {p} with {text:?}\n{verr}"),
        )?;
        let j = run(&["check", &path, "--today", TODAY, "--format", "json"]);
        let v: serde_json::Value =
            serde_json::from_slice(&j.stdout).map_err(|e| format!("check JSON output: {e}"))?;
        ensure(
            v["notices"].as_array().is_some_and(|a| {
                a.iter().any(|n| {
                    n["path"] == p && n["message"].as_str().is_some_and(|m| m.contains(text))
                })
            }),
            || format!("no notice at {p} with {text:?} in the check JSON"),
        )?;
    }
    // `check` exit 0 promises that `packet` works.
    if code == Some(0) {
        let out = tempfile::tempdir().map_err(|e| e.to_string())?;
        let dest = out.path().join("packet");
        let p = run(&[
            "packet",
            &path,
            "-o",
            dest.to_str().unwrap_or_default(),
            "--today",
            TODAY,
        ]);
        ensure(p.status.code() == Some(0), || {
            format!(
                "check exit 0 but packet exit {:?}\n{}",
                p.status.code(),
                String::from_utf8_lossy(&p.stderr)
            )
        })?;
    }
    Ok(())
}

/// The corpus's expect.toml and its files name each other.
fn entries_match(dir: &str, at_least: usize) -> Result<(), Failed> {
    let expect = expectations(dir);
    let files = corpus(dir);
    ensure(files.len() >= at_least, || {
        format!("{} files in {dir}, want at least {at_least}", files.len())
    })?;
    for f in &files {
        ensure(expect.contains_key(f), || {
            format!("{f} has no entry in expect.toml")
        })?;
    }
    for k in expect.keys() {
        ensure(files.contains(k), || {
            format!("expect.toml names {k}, which does not exist")
        })?;
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for (kind, dir, at_least) in [
        ("bad", "tests/data/bad", 60),
        ("lenient", "tests/data/lenient", 10),
    ] {
        trials.push(Trial::test(format!("{kind}::expect.toml"), move || {
            entries_match(dir, at_least)
        }));
        let expect = expectations(dir);
        for f in corpus(dir) {
            let e = expect.get(&f).cloned();
            let name = format!("{kind}::{f}");
            trials.push(Trial::test(name, move || {
                // A file without an entry fails `expect.toml`'s trial; here it is said too.
                let e = e.ok_or_else(|| format!("{f} has no entry in expect.toml"))?;
                match kind {
                    "bad" => bad_file(dir, &f, &e),
                    _ => lenient_file(dir, &f, &e),
                }
            }));
        }
    }
    trials.push(Trial::test(
        "lenient::a schema comment line is accepted",
        || {
            let o = run(&[
                "check",
                "tests/data/lenient/schema-line.toml",
                "--today",
                TODAY,
            ]);
            ensure(o.status.code() == Some(0), || {
                String::from_utf8_lossy(&o.stderr).to_string()
            })
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}
