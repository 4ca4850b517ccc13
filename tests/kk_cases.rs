//! The 健康経営優良法人 rule cases of tests/kk_cases/*.toml (see tests/kk_cases/README.md), one
//! test each, run alone with `cargo test --release --test kk_cases -- '<file>::<case name>'`.
//! A case file with an unknown key (in a case or in its `expect`) fails as a test of its own.

#[path = "support/claim_text.rs"]
mod claim_text;
use chrono::NaiveDate;
use claim_text::claim_text;
use johas_claim::model::findings::Outcome;
use johas_claim::programmes::kenko_keiei::{self as kk, params::Track, Evaluation};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Table;

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
    /// The 判定日 (`--today`); default 2026-01-15.
    as_of: Option<toml::value::Datetime>,
    #[serde(default)]
    expect: Expect,
    pending: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// meets / fails / undetermined
    verdict: Option<String>,
    /// normal / tokurei / unknown
    track: Option<String>,
    /// rule → worst outcome (fail > unknown > warning > pass)
    findings: Option<BTreeMap<String, String>>,
    /// rule → its outcome ignoring warnings (pass / unknown / fail; "none" when it gave none)
    status: Option<BTreeMap<String, String>>,
    /// "normal.KK-C3" → outcome of that count on that track; also "passed" with [n, needed]
    counts: Option<BTreeMap<String, String>>,
    /// item rule → its outcome as an item (pass / fail / unknown)
    items: Option<BTreeMap<String, String>>,
    /// not_applied / meets / undetermined / fails
    gate: Option<String>,
    also_meets_normal: Option<bool>,
    /// rule → whether some finding of it shows an interpretation decision
    decision: Option<BTreeMap<String, bool>>,
    /// rule → a text some finding of it contains
    message: Option<BTreeMap<String, String>>,
    /// exact list of the to-do labels
    todo: Option<Vec<String>>,
    /// texts that some 「結果を変えるには」 sentence or change contains
    advice: Option<Vec<String>>,
    /// texts that no 「結果を変えるには」 sentence contains
    no_advice: Option<Vec<String>>,
    /// deadline dates (as shown) that must be listed
    deadlines: Option<Vec<String>>,
    /// the file must be rejected with a problem at this key path
    error: Option<String>,
    /// …whose message contains this text
    error_message: Option<String>,
    /// a reader note at this key path
    note: Option<String>,
}

fn outcome(name: &str) -> Result<Outcome, String> {
    [
        Outcome::Pass,
        Outcome::Warning,
        Outcome::Unknown,
        Outcome::Fail,
    ]
    .into_iter()
    .find(|o| o.name() == name)
    .ok_or_else(|| format!("unknown outcome \"{name}\" (pass / warning / unknown / fail)"))
}

fn track(name: &str) -> Result<Track, String> {
    Track::ALL
        .into_iter()
        .find(|t| t.name() == name)
        .ok_or_else(|| format!("unknown track \"{name}\" (normal / tokurei)"))
}

fn compare(ev: &Evaluation, notes: &[kk::Note], e: &Expect) -> Result<Vec<String>, String> {
    let mut errs = Vec::new();
    let msgs = |rule: &str| -> Vec<String> {
        ev.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| format!("{}: {}", f.outcome.name(), f.message))
            .collect()
    };
    if let Some(v) = &e.verdict {
        if ev.verdict.status.name() != v {
            errs.push(format!(
                "verdict: want {v}, got {} {:?}",
                ev.verdict.status.name(),
                ev.verdict.reasons
            ));
        }
    }
    if let Some(t) = &e.track {
        let got = ev.track.map(|t| t.name()).unwrap_or("unknown");
        if got != t {
            errs.push(format!("track: want {t}, got {got}"));
        }
    }
    for (rule, want) in e.findings.iter().flatten() {
        let want = outcome(want)?;
        let got = ev.worst(rule);
        if got != Some(want) {
            errs.push(format!(
                "{rule}: want {}, got {} {:?}",
                want.name(),
                got.map(Outcome::name).unwrap_or("(none)"),
                msgs(rule)
            ));
        }
    }
    for (rule, want) in e.status.iter().flatten() {
        let got = kk::rules::status(&ev.findings, rule);
        let ok = match want.as_str() {
            "none" => got.is_none(),
            w => got == Some(outcome(w)?),
        };
        if !ok {
            errs.push(format!(
                "{rule}: status want {want}, got {} {:?}",
                got.map(Outcome::name).unwrap_or("none"),
                msgs(rule)
            ));
        }
    }
    for (key, want) in e.counts.iter().flatten() {
        let (t, rule) = key
            .split_once('.')
            .ok_or_else(|| format!("expect.counts: \"{key}\" is not track.RULE"))?;
        let got = ev.count(rule, track(t)?);
        match got {
            None => errs.push(format!("count {key}: not evaluated")),
            Some(c) if c.outcome != outcome(want)? => errs.push(format!(
                "count {key}: want {want}, got {} ({}/{} +{} unknown)",
                c.outcome.name(),
                c.passed,
                c.needed,
                c.unknown
            )),
            Some(_) => {}
        }
    }
    for (rule, want) in e.items.iter().flatten() {
        let got = ev.item(rule).map(|i| i.outcome);
        if got != Some(outcome(want)?) {
            errs.push(format!(
                "item {rule}: want {want}, got {:?} {:?}",
                got.map(Outcome::name),
                msgs(rule)
            ));
        }
    }
    if let Some(g) = &e.gate {
        if ev.bright.status.name() != g {
            errs.push(format!(
                "gate: want {g}, got {} {:?}",
                ev.bright.status.name(),
                msgs("KK-B4")
            ));
        }
    }
    if let Some(b) = e.also_meets_normal {
        if ev.also_meets_normal != b {
            errs.push(format!(
                "also_meets_normal: want {b}, got {}",
                ev.also_meets_normal
            ));
        }
    }
    for (rule, want) in e.decision.iter().flatten() {
        let got = ev
            .findings
            .iter()
            .any(|f| &f.rule == rule && f.decision.is_some());
        if got != *want {
            errs.push(format!("{rule}: decision shown: want {want}, got {got}"));
        }
    }
    for (rule, text) in e.message.iter().flatten() {
        if !ev
            .findings
            .iter()
            .any(|f| &f.rule == rule && f.message.contains(text.as_str()))
        {
            errs.push(format!(
                "{rule}: no message contains \"{text}\": {:?}",
                msgs(rule)
            ));
        }
    }
    if let Some(want) = &e.todo {
        let got: Vec<&str> = ev.todo.iter().map(|t| t.label.as_str()).collect();
        if got != *want {
            errs.push(format!("todo: want {want:?}, got {got:?}"));
        }
    }
    let advice: Vec<String> = ev
        .advice
        .iter()
        .flat_map(|a| {
            std::iter::once(a.headline.clone()).chain(a.items.iter().flat_map(|i| {
                i.ways
                    .iter()
                    .map(|w| w.sentence.clone())
                    .chain(i.change.clone())
            }))
        })
        .collect();
    for want in e.advice.iter().flatten() {
        if !advice.iter().any(|a| a.contains(want.as_str())) {
            errs.push(format!("advice: nothing contains \"{want}\": {advice:?}"));
        }
    }
    for want in e.no_advice.iter().flatten() {
        if let Some(a) = advice.iter().find(|a| a.contains(want.as_str())) {
            errs.push(format!("advice: must not contain \"{want}\": {a}"));
        }
    }
    for want in e.deadlines.iter().flatten() {
        if !ev
            .deadlines
            .iter()
            .any(|d| d.when.describe().starts_with(want.as_str()))
        {
            errs.push(format!("deadline {want} not listed"));
        }
    }
    if let Some(path) = &e.note {
        if !notes.iter().any(|n| &n.path == path) {
            errs.push(format!("no reader note at {path}: {notes:?}"));
        }
    }
    Ok(errs)
}

fn run_case(case: &Case) -> Result<(), Failed> {
    let remove: Vec<&str> = case.remove.iter().map(String::as_str).collect();
    let text = claim_text(&case.base, &case.set, &remove)?;
    let as_of = match &case.as_of {
        Some(d) => NaiveDate::parse_from_str(&d.to_string(), "%Y-%m-%d")
            .map_err(|e| format!("as_of: {e}"))?,
        None => NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
    };
    let ed = kk::bundled();
    let read = match kk::read_str(&text, kk::Format::Toml, ed) {
        Ok(r) => r,
        Err(errs) => {
            return match &case.expect.error {
                Some(path) => match errs.iter().find(|p| &p.path == path) {
                    Some(p) => match &case.expect.error_message {
                        Some(m) if !p.message.contains(m.as_str()) => {
                            Err(format!("error at {path} lacks \"{m}\": {}", p.message).into())
                        }
                        _ => Ok(()),
                    },
                    None => Err(format!("expected an error at {path}, got: {errs:?}").into()),
                },
                None => Err(format!("rejected: {errs:?}").into()),
            };
        }
    };
    if let Some(path) = &case.expect.error {
        return Err(format!("expected an error at {path}, but the file was accepted").into());
    }
    let ev = kk::evaluate(ed, &read.facts, as_of);
    let errs = compare(&ev, &read.notes, &case.expect)?;
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n").into())
    }
}

fn trials() -> Vec<Trial> {
    let mut files: Vec<_> = std::fs::read_dir("tests/kk_cases")
        .expect("tests/kk_cases")
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
        "(case files hold more than 100 cases)",
        move || {
            if count > 100 {
                Ok(())
            } else {
                Err(format!("only {count} cases found").into())
            }
        },
    ));
    // Every KK rule appears in some case's expectations on both sides (pass and not pass).
    let files2 = files.clone();
    trials.push(Trial::test(
        "(every KK rule is tested on both sides)",
        move || {
            let mut seen: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
            for f in &files2 {
                let t = std::fs::read_to_string(f).map_err(|e| e.to_string())?;
                let cf: CaseFile = toml::from_str(&t).map_err(|e| e.to_string())?;
                for c in cf.case {
                    for (r, o) in c
                        .expect
                        .findings
                        .iter()
                        .flatten()
                        .chain(c.expect.items.iter().flatten())
                        .chain(c.expect.status.iter().flatten())
                    {
                        seen.entry(r.clone()).or_default().insert(o.clone());
                    }
                    for (k, o) in c.expect.counts.iter().flatten() {
                        let r = k.split_once('.').map(|(_, r)| r).unwrap_or(k);
                        seen.entry(r.to_string()).or_default().insert(o.clone());
                    }
                }
            }
            let mut missing = Vec::new();
            for r in &kk::bundled().rules {
                let s = seen.get(&r.id).cloned().unwrap_or_default();
                let passes = s.contains("pass");
                let other = s.iter().any(|o| o != "pass");
                // Deadline-only rules (no outcome; their dates are checked by `expect.deadlines`),
                // warning-only rules, and KK-A4 (its other side is the reader's input errors,
                // `expect.error`): one side is enough.
                let deadline_only = ["KK-W4", "KK-W6"].contains(&r.id.as_str());
                let one_sided = ["KK-A4", "KK-B5", "KK-W5"].contains(&r.id.as_str());
                if !deadline_only && !(passes && other) && !(one_sided && !s.is_empty()) {
                    missing.push(format!("{} {:?}", r.id, s));
                }
            }
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!("rules without cases on both sides: {missing:?}").into())
            }
        },
    ));
    trials
}

fn main() {
    let args = Arguments::from_args();
    libtest_mimic::run(&args, trials()).exit();
}
