//! Runs every case in tests/cases/*.toml (see tests/cases/README.md).

use johas_claim::evaluate::evaluate;
use johas_claim::findings::Outcome;
use johas_claim::validate::{parse, Format};
use std::path::Path;
use toml::{Table, Value};

fn merge(base: &mut Table, patch: &Table) {
    for (k, v) in patch {
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(p)) => merge(b, p),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

fn remove(base: &mut Table, path: &str) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap();
    let mut t = base;
    for p in parts {
        t = t
            .get_mut(p)
            .and_then(|v| v.as_table_mut())
            .unwrap_or_else(|| panic!("remove: no table {p}"));
    }
    assert!(t.remove(last).is_some(), "remove: no key {path}");
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Warning => "warning",
        Outcome::Unknown => "unknown",
        Outcome::Fail => "fail",
    }
}

/// Runs one case; returns a description of every mismatch.
fn run_case(case: &Table) -> Vec<String> {
    let name = case["name"].as_str().unwrap();
    let base_path = case["base"].as_str().unwrap();
    let mut doc: Table = toml::from_str(&std::fs::read_to_string(base_path).unwrap()).unwrap();
    if let Some(Value::Array(paths)) = case.get("remove") {
        for p in paths {
            remove(&mut doc, p.as_str().unwrap());
        }
    }
    if let Some(Value::Table(set)) = case.get("set") {
        merge(&mut doc, set);
    }
    let text = toml::to_string(&doc).unwrap();
    let expect = case
        .get("expect")
        .and_then(|v| v.as_table())
        .cloned()
        .unwrap_or_default();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut errs = Vec::new();
    let claim = match parse(name, &text, Format::Toml) {
        Ok(c) => c,
        Err(e) => {
            match expect.get("error").and_then(|v| v.as_str()) {
                Some(path) if e.problems.iter().any(|p| p.path == path) => {}
                Some(path) => errs.push(format!("expected an error at {path}, got:\n{e}")),
                None => errs.push(format!("rejected:\n{e}")),
            }
            return errs;
        }
    };
    if let Some(path) = expect.get("error") {
        errs.push(format!(
            "expected an error at {path}, but the file was accepted"
        ));
        return errs;
    }
    let ev = evaluate(&claim, today);
    if let Some(v) = expect.get("eligible") {
        let want = match v {
            Value::Boolean(b) => Some(*b),
            _ => None,
        };
        if ev.eligible != want {
            errs.push(format!("eligible: want {want:?}, got {:?}", ev.eligible));
        }
    }
    if let Some(v) = expect.get("amount_yen").and_then(|v| v.as_integer()) {
        if ev.amount_yen != v {
            errs.push(format!("amount_yen: want {v}, got {}", ev.amount_yen));
        }
    }
    match expect.get("window") {
        Some(Value::Array(a)) => {
            let want: Vec<&str> = a.iter().filter_map(|v| v.as_str()).collect();
            let got = ev
                .window
                .map(|w| vec![w.from.to_string(), w.to.to_string()]);
            if got
                .as_deref()
                .map(|g| g.iter().map(String::as_str).collect::<Vec<_>>())
                != Some(want.clone())
            {
                errs.push(format!("window: want {want:?}, got {got:?}"));
            }
        }
        Some(Value::String(s)) if s == "none" && ev.window.is_some() => {
            errs.push(format!("window: want none, got {:?}", ev.window));
        }
        _ => {}
    }
    if let Some(Value::Table(want)) = expect.get("findings") {
        for (rule, outcome) in want {
            let worst = ev.worst(rule);
            let got = worst.map(outcome_name).unwrap_or("(none)");
            if got != outcome.as_str().unwrap() {
                let msgs: Vec<_> = ev
                    .findings
                    .iter()
                    .filter(|f| &f.rule == rule)
                    .map(|f| f.message.clone())
                    .collect();
                errs.push(format!("{rule}: want {outcome}, got {got} {msgs:?}"));
            }
        }
    }
    if let Some(Value::Array(want)) = expect.get("missing") {
        let want: Vec<&str> = want.iter().filter_map(|v| v.as_str()).collect();
        let got: Vec<&str> = ev
            .missing_attachments
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        if got != want {
            errs.push(format!("missing attachments: want {want:?}, got {got:?}"));
        }
    }
    errs
}

#[test]
fn rule_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut files: Vec<_> = std::fs::read_dir("tests/cases")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in &files {
        let doc: Table = toml::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in doc["case"].as_array().unwrap() {
            let case = case.as_table().unwrap();
            count += 1;
            let errs = run_case(case);
            if !errs.is_empty() {
                failures.push(format!(
                    "{} / {}:\n  {}",
                    file.display(),
                    case["name"],
                    errs.join("\n  ")
                ));
            }
        }
    }
    assert!(count > 40, "only {count} cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let _ = Path::new(".");
}
