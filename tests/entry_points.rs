//! One way in: every file of `tests/data/lenient/` read through every entry point gives
//! the same facts, verdict and notices. One test per file (run one alone with
//! `cargo test --release --test entry_points -- wareki.toml`). The entry points:
//!
//! - `check FILE` (the reference: `--format json`, with its `facts`);
//! - `packet FILE -o DIR` (its `check.json`);
//! - `report FILE --html OUT` (the verdict and every fact shown on the page);
//! - `new --resume` on a copy, driven through a pseudo-terminal (the notices it shows and
//!   the facts of the file it writes);
//! - the file as a book claim: split into `client.toml` (the profile sections) and
//!   `claims/<name>.toml`, read by `check BOOK` and by `check` of the claim file alone.
//!
//! A JSON file cannot be a book claim (a book's files are TOML): its book cells are left
//! out, and the test says so in its name.

#[path = "support/pty.rs"]
mod pty;

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const TODAY: &str = "2020-10-01";
const DIR: &str = "tests/data/lenient";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run johas-claim")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(what().into())
    }
}

/// What must be the same at every entry point.
#[derive(Debug, PartialEq)]
struct Core {
    eligible: Value,
    amount_yen: Value,
    findings: Vec<(String, String, String)>,
    /// (path, message), without the file: a book claim names the profile for its facts.
    notices: Vec<(String, String)>,
    /// path → value as read.
    facts: BTreeMap<String, String>,
}

fn core(j: &Value) -> Core {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut notices: Vec<(String, String)> = j["notices"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| (s(&n["path"]), s(&n["message"])))
                .collect()
        })
        .unwrap_or_default();
    notices.sort();
    Core {
        eligible: j["eligible"].clone(),
        amount_yen: j["amount_yen"].clone(),
        findings: j["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| (s(&f["rule"]), s(&f["outcome"]), s(&f["message"])))
                    .collect()
            })
            .unwrap_or_default(),
        notices,
        facts: j["facts"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), s(&v["value"]))).collect())
            .unwrap_or_default(),
    }
}

fn check_json(path: &str) -> Result<Value, Failed> {
    let o = run(&["check", path, "--today", TODAY, "--format", "json"]);
    ensure(matches!(o.status.code(), Some(0 | 1)), || {
        format!("check {path}: exit {:?}\n{}", o.status.code(), text(&o))
    })?;
    serde_json::from_slice(&o.stdout).map_err(|e| format!("check {path}: JSON: {e}").into())
}

fn same(a: &Core, b: &Core, what: &str) -> Result<(), Failed> {
    ensure(a == b, || {
        format!("{what} differs from check:\n{a:#?}\n---\n{b:#?}")
    })
}

/// The grouped notice lines `check` prints (stderr).
fn notice_lines(path: &str) -> Vec<String> {
    let o = run(&["check", path, "--today", TODAY]);
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.starts_with("お知らせ:"))
        .map(str::to_string)
        .collect()
}

/// `report`: the page's verdict and every fact it shows agree with `check`.
fn report_cell(path: &str, tmp: &Path, base: &Value) -> Result<(), Failed> {
    let out = tmp.join("report.html");
    let o = run(&[
        "report",
        path,
        "--html",
        out.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    ensure(matches!(o.status.code(), Some(0 | 1)), || {
        format!("report: exit {:?}\n{}", o.status.code(), text(&o))
    })?;
    let html = std::fs::read_to_string(&out)?;
    let human = run(&["check", path, "--today", TODAY]);
    let verdict = String::from_utf8_lossy(&human.stdout)
        .lines()
        .find_map(|l| l.trim().strip_prefix("判定: ").map(str::to_string))
        .ok_or("no verdict in check's output")?;
    ensure(html.contains(&verdict), || {
        format!("the report does not say the verdict {verdict:?}")
    })?;
    // Every `<code>key</code> = value` the page shows: a fact check read shows its value;
    // nothing check read is shown as not written.
    let facts = base["facts"].as_object().cloned().unwrap_or_default();
    let mut shown = 0;
    for part in html.split("<code>").skip(1) {
        let Some((key, rest)) = part.split_once("</code> = ") else {
            continue;
        };
        let value: String = rest
            .split('<')
            .next()
            .unwrap_or_default()
            .trim_end_matches('、')
            .to_string();
        let given = facts.contains_key(key)
            || facts
                .keys()
                .any(|k| k.starts_with(&format!("{key}.")) || k.starts_with(&format!("{key}[")));
        if given {
            ensure(!value.contains("書かれていません"), || {
                format!("report shows {key} as not written, but check read it")
            })?;
        }
        if let Some(v) = facts.get(key).and_then(|f| f["value"].as_str()) {
            let expect = match v {
                "true" => "はい",
                "false" => "いいえ",
                other => other,
            };
            ensure(value.contains(expect), || {
                format!("report shows {key} = {value:?}, check read {v:?}")
            })?;
            shown += 1;
        }
    }
    ensure(shown > 0, || "the report shows no fact".into())
}

/// The answer that leaves a fact unknown at a prompt of `new` (or declines to add a row):
/// Enter at a text question; at a choice (the cursor starts on no item), the item
/// 「わからない」, 「まだ」 or 「いいえ（次へ）」; Enter at 「どうしますか」 (続ける).
fn unknown_answer(prompt: &str) -> String {
    if prompt.contains("どうしますか") {
        return "\r".into();
    }
    let items: Vec<&str> = prompt.trim_start_matches('\n').lines().skip(1).collect();
    match items.iter().position(|l| {
        let l = l.trim_start_matches(['❯', ' ']);
        l == "わからない" || l == "まだ" || l.starts_with("いいえ（次へ）")
    }) {
        Some(i) => format!("{}\r", "\x1b[B".repeat(i + 1)),
        None => "\r".into(),
    }
}

/// `new --resume` on a copy: the notices it shows are check's, and the file it writes
/// holds the same facts (each written fact with the value check read).
fn resume_cell(path: &str, tmp: &Path, base: &Value) -> Result<(), Failed> {
    let name = Path::new(path).file_name().unwrap().to_str().unwrap();
    let dir = tmp.join("resume");
    std::fs::create_dir_all(&dir)?;
    std::fs::copy(path, dir.join(name))?;
    let mut p = pty::Pty::spawn(&["new", "--resume", name, "--today", TODAY], &dir);
    let start = Instant::now();
    // One answer per question: a question is answered once the screen shows it after the
    // last answer given (「✔」); a choice redraws its prompt at every key, so prompts alone
    // are not counted.
    let mut sent_after: Option<usize> = None;
    while !p.done() {
        if start.elapsed() > Duration::from_secs(60) {
            return Err(format!("new --resume did not finish:\n{}", p.screen()).into());
        }
        std::thread::sleep(Duration::from_millis(100));
        let screen = p.screen();
        let done_answers = screen.matches("✔ ").count();
        let tail = match screen.rfind("✔ ") {
            Some(i) => &screen[i..],
            None => &screen[..],
        };
        let Some(q) = tail.rfind("\n? ") else {
            continue;
        };
        if sent_after == Some(done_answers) {
            continue;
        }
        // Let the prompt finish drawing (a choice prints its items after the prompt).
        std::thread::sleep(Duration::from_millis(150));
        let screen = p.screen();
        let prompt = &screen[screen.rfind("\n? ").unwrap_or(0)..];
        let _ = q;
        p.send(&unknown_answer(prompt));
        sent_after = Some(done_answers);
    }
    p.drain();
    let screen = p.screen();
    for line in notice_lines(path) {
        ensure(screen.contains(&line), || {
            format!("new --resume does not show {line:?}:\n{screen}")
        })?;
    }
    // The interview writes TOML: a JSON file is resumed into `<name>.toml`.
    let written = dir.join(Path::new(name).with_extension("toml"));
    let again = check_json(written.to_str().unwrap())?;
    let facts = core(&again).facts;
    for (k, v) in &core(base).facts {
        ensure(facts.get(k) == Some(v), || {
            format!(
                "new --resume changed {k}: check read {v:?}, the file now gives {:?}",
                facts.get(k)
            )
        })?;
    }
    ensure(again["eligible"] == base["eligible"], || {
        format!(
            "new --resume: eligible {} (check said {})",
            again["eligible"], base["eligible"]
        )
    })
}

/// Splits a claim file's text into the profile (the sections a client.toml holds) and
/// the claim's own facts, each line kept as written.
fn split(text: &str) -> (String, String) {
    let (mut profile, mut claim) = (String::new(), String::new());
    let mut in_profile = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start_matches('\u{FEFF}').trim_start();
        if t.starts_with('[') {
            let name = t
                .trim_start_matches('[')
                .split([']', '.'])
                .next()
                .unwrap_or("");
            in_profile = matches!(name.trim(), "establishment" | "labour_insurance" | "bank");
        }
        if in_profile {
            profile.push_str(line);
        } else {
            claim.push_str(line);
        }
    }
    (profile, claim)
}

/// The file as a book claim: `check` of the claim file alone in the book, and `check BOOK`.
fn book_cells(path: &str, tmp: &Path, base: &Value) -> Result<(), Failed> {
    let book = tmp.join("book");
    let client = book.join("01-client");
    std::fs::create_dir_all(client.join("claims"))?;
    let (profile, claim) = split(&std::fs::read_to_string(path)?);
    std::fs::write(client.join("client.toml"), profile)?;
    let claim_path: PathBuf = client
        .join("claims")
        .join(Path::new(path).file_name().unwrap());
    std::fs::write(&claim_path, claim)?;

    // The claim file named alone is read as the book reads it.
    let alone = check_json(claim_path.to_str().unwrap())?;
    same(
        &core(base),
        &core(&alone),
        "check of the claim file inside the book",
    )?;

    // The book.
    let o = run(&[
        "check",
        book.to_str().unwrap(),
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    ensure(matches!(o.status.code(), Some(0 | 1)), || {
        format!("check BOOK: exit {:?}\n{}", o.status.code(), text(&o))
    })?;
    let s: Value = serde_json::from_slice(&o.stdout)?;
    let row = &s["rows"][0];
    ensure(row["eligible"] == base["eligible"], || {
        format!(
            "check BOOK: eligible {} (check said {})",
            row["eligible"], base["eligible"]
        )
    })?;
    ensure(row["amount_yen"] == base["amount_yen"], || {
        format!(
            "check BOOK: amount {} (check said {})",
            row["amount_yen"], base["amount_yen"]
        )
    })?;
    let notes: Vec<String> = row["notes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for line in notice_lines(path) {
        // The same kinds and counts as `check FILE` (the places name the profile file).
        let head = line
            .trim_start_matches("お知らせ: ")
            .split(": ")
            .next()
            .unwrap_or_default()
            .to_string();
        ensure(notes.iter().any(|n| n.starts_with(&head)), || {
            format!("check BOOK does not note {head:?}: {notes:?}")
        })?;
    }
    Ok(())
}

fn matrix(file: &str) -> Result<(), Failed> {
    let path = format!("{DIR}/{file}");
    let tmp = tempfile::tempdir()?;
    let base = check_json(&path)?;

    // packet: the same judgement in its check.json; an ineligible claim gets no packet.
    let out = tmp.path().join("packet");
    let o = run(&[
        "packet",
        &path,
        "-o",
        out.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    if base["eligible"] == Value::Bool(false) {
        ensure(o.status.code() == Some(1) && !out.exists(), || {
            format!(
                "packet of an ineligible claim: exit {:?}\n{}",
                o.status.code(),
                text(&o)
            )
        })?;
    } else {
        ensure(matches!(o.status.code(), Some(0 | 1)), || {
            format!("packet: exit {:?}\n{}", o.status.code(), text(&o))
        })?;
        let packed: Value = serde_json::from_slice(&std::fs::read(out.join("check.json"))?)?;
        same(&core(&base), &core(&packed), "packet's check.json")?;
    }

    report_cell(&path, tmp.path(), &base)?;
    resume_cell(&path, tmp.path(), &base)?;
    if file.ends_with(".toml") {
        book_cells(&path, tmp.path(), &base)?;
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .expect("tests/data/lenient")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| (n.ends_with(".toml") || n.ends_with(".json")) && n != "expect.toml")
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the lenient corpus is missing");
    let trials = files
        .into_iter()
        .map(|f| {
            let name = if f.ends_with(".json") {
                format!("{f} (no book cells: a book holds TOML files)")
            } else {
                f.clone()
            };
            Trial::test(name, move || matrix(&f))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
