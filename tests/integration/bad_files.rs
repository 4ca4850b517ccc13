//! The bad-file corpus (tests/data/bad): every file is rejected with exit 2, never a
//! panic, each problem with file:line, the field path and Japanese text, no parser English,
//! and the answer recorded in tests/data/bad/expect.toml (paths named, a part of the fix).
//! The lenient files (tests/data/lenient) are accepted, with a notice where a value was
//! normalised.

use std::collections::BTreeMap;
use std::path::Path;
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

#[test]
fn every_bad_file_gets_file_line_path_and_a_japanese_fix() {
    let dir = "tests/data/bad";
    let expect = expectations(dir);
    let files = corpus(dir);
    assert!(files.len() >= 60, "{} bad files", files.len());
    for f in &files {
        assert!(expect.contains_key(f), "{f} has no entry in expect.toml");
    }
    for k in expect.keys() {
        assert!(
            files.contains(k),
            "expect.toml names {k}, which does not exist"
        );
    }
    let mut failures: Vec<String> = Vec::new();
    let mut answered = 0;
    let mut with_paths = 0;
    for f in &files {
        let path = format!("{dir}/{f}");
        let o = run(&["check", &path, "--today", TODAY]);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        let mut fail = |why: String| failures.push(format!("{f}: {why}\n{err}"));
        if o.status.code() != Some(2) {
            fail(format!("exit {:?}, want 2", o.status.code()));
            continue;
        }
        if !o.stdout.is_empty() {
            fail("stdout is not empty".into());
        }
        let said = err.replace(&path, "");
        for e in ENGLISH {
            if said.contains(e) {
                fail(format!("English parser text {e:?}"));
            }
        }
        let e = &expect[f];
        let want_paths: Vec<&str> = e["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let fix = e["fix"].as_str().unwrap();
        let reported = problems(&path, &err);
        if reported.is_empty() {
            fail("no problem reported".into());
            continue;
        }
        let mut ok = true;
        for p in &reported {
            if !p.message.chars().any(is_japanese) {
                fail(format!("message not in Japanese: {:?}", p.message));
                ok = false;
            }
            let whole_file = want_paths.is_empty();
            if p.path.is_empty() && !whole_file {
                fail(format!("a problem without a field path: {p:?}"));
                ok = false;
            }
            // Only a key that is missing altogether has no line to point at.
            if p.line.is_none() && !whole_file && !p.message.contains("ありません") {
                fail(format!("a problem without a line: {p:?}"));
                ok = false;
            }
        }
        for w in &want_paths {
            if !reported.iter().any(|p| p.path == *w) {
                fail(format!("path {w} not reported"));
                ok = false;
            }
        }
        if !reported.iter().any(|p| p.message.contains(fix)) {
            fail(format!("fix {fix:?} not in any message"));
            ok = false;
        }
        if err.chars().count() > 20_000 {
            fail("the error is too long (a value was not shortened)".into());
            ok = false;
        }
        if !want_paths.is_empty() {
            with_paths += 1;
            if ok {
                answered += 1;
            }
        }
    }
    eprintln!(
        "bad files answered with file, path and a Japanese fix: {answered} of {with_paths} \
         ({} files in all; the rest are whole-file problems: encoding, JSON syntax at the top)",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
    assert_eq!(answered, with_paths);
}

#[test]
fn lenient_files_are_accepted_with_a_notice() {
    let dir = "tests/data/lenient";
    let expect = expectations(dir);
    let files = corpus(dir);
    let mut failures: Vec<String> = Vec::new();
    let out = tempfile::tempdir().unwrap();
    for f in &files {
        let path = format!("{dir}/{f}");
        let o = run(&["check", &path, "--today", TODAY]);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        let code = o.status.code();
        if !matches!(code, Some(0) | Some(1)) {
            failures.push(format!("{f}: exit {code:?}, want 0 or 1\n{err}"));
            continue;
        }
        let Some(e) = expect.get(f) else {
            failures.push(format!("{f}: no entry in expect.toml"));
            continue;
        };
        if let Some(n) = e.get("notice").and_then(|n| n.as_array()) {
            let (p, text) = (n[0].as_str().unwrap(), n[1].as_str().unwrap());
            // On the terminal, notices are grouped by kind (one line each); every one of
            // them is in the JSON and, with --verbose, on a line of its own.
            if !err.lines().any(|l| l.starts_with("お知らせ:")) {
                failures.push(format!("{f}: no notice line\n{err}"));
            }
            let v = run(&["check", &path, "--today", TODAY, "--verbose"]);
            let verr = String::from_utf8_lossy(&v.stderr).to_string();
            let hit = verr
                .lines()
                .any(|l| l.starts_with("お知らせ:") && l.contains(p) && l.contains(text));
            if !hit {
                failures.push(format!("{f}: no notice at {p} with {text:?}\n{verr}"));
            }
            let j = run(&["check", &path, "--today", TODAY, "--format", "json"]);
            let v: serde_json::Value =
                serde_json::from_slice(&j.stdout).expect("check JSON output");
            let in_json = v["notices"].as_array().is_some_and(|a| {
                a.iter().any(|n| {
                    n["path"] == p && n["message"].as_str().is_some_and(|m| m.contains(text))
                })
            });
            if !in_json {
                failures.push(format!(
                    "{f}: no notice at {p} with {text:?} in the check JSON"
                ));
            }
        }
        // `check` exit 0 promises that `packet` works.
        if code == Some(0) {
            let dest = out.path().join(f.replace('.', "-"));
            let p = run(&[
                "packet",
                &path,
                "-o",
                dest.to_str().unwrap(),
                "--today",
                TODAY,
            ]);
            if p.status.code() != Some(0) {
                failures.push(format!(
                    "{f}: check exit 0 but packet exit {:?}\n{}",
                    p.status.code(),
                    String::from_utf8_lossy(&p.stderr)
                ));
            }
        }
    }
    for k in expect.keys() {
        assert!(
            files.contains(k),
            "expect.toml names {k}, which does not exist"
        );
    }
    assert!(Path::new(dir).is_dir());
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn a_schema_comment_line_is_accepted() {
    let o = run(&[
        "check",
        "tests/data/lenient/schema-line.toml",
        "--today",
        TODAY,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
