//! The rule cases of tests/cases/*.toml (see tests/cases/README.md), one test each, run
//! alone with `cargo test --test cases -- '<file>::<case name>'`. A case file with an
//! unknown key (in a case or in its `expect`) fails as a test of its own.

#[path = "support/claim_text.rs"]
mod claim_text;
use claim_text::claim_text;
use johas_claim::input::Format;
use johas_claim::model::findings::Outcome;
use johas_claim::programmes::johas::evaluate::{evaluate, Evaluation};
use johas_claim::programmes::johas::read::parse;
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::{Table, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    base: String,
    #[serde(default)]
    set: Table,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    expect: Expect,
    /// Run only with `--include-ignored`: the reason (e.g. a fact the input layer does not
    /// accept yet). Shown as ignored, never as passing.
    pending: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// true / false / "null"
    eligible: Option<Value>,
    amount_yen: Option<i64>,
    /// ["from", "to"] or "none"
    window: Option<Value>,
    /// rule → worst outcome (pass / excluded / warning / unknown / fail)
    findings: Option<BTreeMap<String, String>>,
    /// rule → whether some finding of it shows the interpretation note (`decision`)
    decision: Option<BTreeMap<String, bool>>,
    /// the 1-based indexes of the equipment items that are not claimed (exact)
    excluded: Option<Vec<usize>>,
    /// exact list of missing attachment IDs
    missing: Option<Vec<String>>,
    /// the file must be rejected with a problem at this path
    error: Option<String>,
}

fn outcome(name: &str) -> Result<Outcome, String> {
    [
        Outcome::Pass,
        Outcome::Excluded,
        Outcome::Warning,
        Outcome::Unknown,
        Outcome::Fail,
    ]
    .into_iter()
    .find(|o| o.name() == name)
    .ok_or_else(|| {
        format!("unknown outcome \"{name}\" (pass / excluded / warning / unknown / fail)")
    })
}

fn compare(ev: &Evaluation, expect: &Expect) -> Result<Vec<String>, String> {
    let mut errs = Vec::new();
    if let Some(v) = &expect.eligible {
        let want = match v {
            Value::Boolean(b) => Some(*b),
            Value::String(s) if s == "null" => None,
            other => {
                return Err(format!(
                    "expect.eligible: true, false or \"null\", not {other}"
                ))
            }
        };
        if ev.eligible != want {
            errs.push(format!("eligible: want {want:?}, got {:?}", ev.eligible));
        }
    }
    if let Some(v) = expect.amount_yen {
        if ev.amount_yen != v {
            errs.push(format!("amount_yen: want {v}, got {}", ev.amount_yen));
        }
    }
    match &expect.window {
        None => {}
        Some(Value::Array(a)) => {
            let want: Vec<String> = a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
            let got = ev
                .window
                .map(|w| vec![w.from.to_string(), w.to.to_string()]);
            if got.as_ref() != Some(&want) {
                errs.push(format!("window: want {want:?}, got {got:?}"));
            }
        }
        Some(Value::String(s)) if s == "none" && ev.window.is_some() => {
            errs.push(format!("window: want none, got {:?}", ev.window));
        }
        Some(Value::String(s)) if s == "none" => {}
        Some(other) => {
            return Err(format!(
                "expect.window: [from, to] or \"none\", not {other}"
            ))
        }
    }
    for (rule, want) in expect.findings.iter().flatten() {
        let want = outcome(want)?;
        let got = ev.worst(rule);
        if got != Some(want) {
            let msgs: Vec<_> = ev
                .findings
                .iter()
                .filter(|f| &f.rule == rule)
                .map(|f| format!("{}: {}", f.outcome.name(), f.message))
                .collect();
            errs.push(format!(
                "{rule}: want {}, got {} {msgs:?}",
                want.name(),
                got.map(Outcome::name).unwrap_or("(none)")
            ));
        }
    }
    for (rule, want) in expect.decision.iter().flatten() {
        let got = ev
            .findings
            .iter()
            .any(|f| &f.rule == rule && f.decision.is_some());
        if got != *want {
            errs.push(format!("{rule}: decision shown: want {want}, got {got}"));
        }
    }
    if let Some(want) = &expect.excluded {
        let got: Vec<usize> = ev.excluded_equipment().map(|e| e.index).collect();
        if &got != want {
            errs.push(format!("excluded items: want {want:?}, got {got:?}"));
        }
    }
    if let Some(want) = &expect.missing {
        let got: Vec<&str> = ev
            .missing_attachments
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        if got != *want {
            errs.push(format!("missing attachments: want {want:?}, got {got:?}"));
        }
    }
    Ok(errs)
}

/// Runs one case; `Err` lists every mismatch.
fn run_case(case: &Case) -> Result<(), Failed> {
    let remove: Vec<&str> = case.remove.iter().map(String::as_str).collect();
    let text = claim_text(&case.base, &case.set, &remove)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let claim = match parse(&case.name, &text, Format::Toml) {
        Ok(c) => c,
        Err(e) => {
            return match &case.expect.error {
                Some(path) if e.problems.iter().any(|p| &p.path == path) => Ok(()),
                Some(path) => Err(format!("expected an error at {path}, got:\n{e}").into()),
                None => Err(format!("rejected:\n{e}").into()),
            }
        }
    };
    if let Some(path) = &case.expect.error {
        return Err(format!("expected an error at {path}, but the file was accepted").into());
    }
    let ev = evaluate(&claim, today);
    let errs = compare(&ev, &case.expect)?;
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n").into())
    }
}

fn trials() -> Vec<Trial> {
    let mut files: Vec<_> = std::fs::read_dir("tests/cases")
        .expect("tests/cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut trials = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    let mut count = 0;
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let parsed = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| toml::from_str::<CaseFile>(&t).map_err(|e| e.to_string()));
        let cases = match parsed {
            Ok(f) => f.case,
            Err(e) => {
                let msg = format!("{}: {e}", file.display());
                trials.push(Trial::test(format!("{stem}::(case file)"), move || {
                    Err(msg.into())
                }));
                continue;
            }
        };
        for case in cases {
            count += 1;
            let name = format!("{stem}::{}", case.name);
            if !names.insert(name.clone()) {
                trials.push(Trial::test(format!("{name} (duplicate)"), || {
                    Err("two cases have this name; names must be unique".into())
                }));
                continue;
            }
            let pending = case.pending.is_some();
            trials.push(Trial::test(name, move || run_case(&case)).with_ignored_flag(pending));
        }
    }
    trials.push(Trial::test(
        "(case files hold more than 40 cases)",
        move || {
            if count > 40 {
                Ok(())
            } else {
                Err(format!("only {count} cases found").into())
            }
        },
    ));
    trials
}

fn main() {
    let args = Arguments::from_args();
    libtest_mimic::run(&args, trials()).exit();
}
