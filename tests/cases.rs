//! The rule cases of tests/cases/*.toml (see tests/cases/README.md), one test each, run
//! alone with `cargo test --test cases -- '<file>::<case name>'`. A case file with an
//! unknown key (in a case or in its `expect`) fails as a test of its own.

#[path = "support/claim_text.rs"]
mod claim_text;
use claim_text::claim_text;
use johas_claim::input::Format;
use johas_claim::model::findings::Outcome;
use johas_claim::programmes::johas::change::Change;
use johas_claim::programmes::johas::evaluate::evaluate;
use johas_claim::programmes::johas::evaluation::Evaluation;
use johas_claim::programmes::johas::model::Claim;
use johas_claim::programmes::johas::read::parse;
use johas_claim::programmes::johas::whatif;
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
    let today = case_today();
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

/// The check date of the cases: after every edition's acceptance has closed.
fn case_today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// Rules whose hint may rightly propose no change of the facts, with the words it must say
/// then and why no change can work. Any other rule whose case fails must propose a change
/// that turns it.
const NO_CHANGE: &[(&str, &str, &str)] = &[
    ("SC-M3", "回限り", "the establishment has had every claim the grant pays (2, ever)"),
    ("SK-M5", "回限り", "the grant pays once, ever, and the establishment has claimed"),
    // The edition's acceptance closed before the check date: no application date, period
    // or month can be proposed that is not already past.
    ("SC-W1", "申請受付は終了しています", "the edition's acceptance is over"),
    ("SC-W2", "申請受付は終了しています", "the edition's acceptance is over"),
    ("SC-W3", "申請受付は終了しています", "the edition's acceptance is over"),
    ("SK-W1", "申請受付は終了しています", "the edition's acceptance is over"),
    ("SC-M4", "申請受付は終了しています", "the edition's acceptance is over"),
    ("SC-P1", "申請受付は終了しています", "the edition's acceptance is over"),
    ("SK-P1", "申請受付は終了しています", "the edition's acceptance is over"),
    (
        "SC-W3",
        "2回目はもう申請できません",
        "a 2nd claim's window follows from the 1st claim's period, which is past",
    ),
    (
        "SK-P1",
        "期間内に改善を実施することはできません",
        "the implementation period ended before the check date: an improvement cannot be made in the past",
    ),
];

/// The claim of a case as a table, and checked.
fn case_claim(case: &Case) -> Result<(Table, String), String> {
    let remove: Vec<&str> = case.remove.iter().map(String::as_str).collect();
    let text = claim_text(&case.base, &case.set, &remove)?;
    let doc: Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    Ok((doc, text))
}

fn parsed(name: &str, doc: &Table) -> Result<Claim, String> {
    let text = toml::to_string(doc).map_err(|e| e.to_string())?;
    parse(name, &text, Format::Toml).map_err(|e| format!("rejected:\n{e}"))
}

/// Each hint of each failing finding of `rule`, checked on `today`, applied to the case's
/// claim (with the first change of the rule's other failing findings), turns the rule; a
/// hint that proposes nothing must say why in the words `NO_CHANGE` lists for the rule.
fn advice_turns(
    name: &str,
    doc: &Table,
    rule: &str,
    today: chrono::NaiveDate,
) -> Result<usize, String> {
    let claim = parsed(name, doc)?;
    let ev = evaluate(&claim, today);
    let failing: Vec<_> = ev
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.outcome == Outcome::Fail)
        .collect();
    if failing.is_empty() {
        return Err(format!("{rule} does not fail on {today}"));
    }
    let per: Vec<Vec<Change>> = failing
        .iter()
        .map(|f| whatif::proposals(&claim, &|k| claim.gives(k), f, today))
        .collect();
    let mut applied = 0;
    for (i, changes) in per.iter().enumerate() {
        let with_sets: Vec<&Change> = changes.iter().filter(|c| !c.sets.is_empty()).collect();
        if with_sets.is_empty() {
            let texts: Vec<&str> = changes.iter().map(|c| c.text.as_str()).collect();
            let said = NO_CHANGE
                .iter()
                .any(|(r, words, _)| *r == rule && texts.iter().any(|t| t.contains(words)));
            if !said {
                return Err(format!(
                    "{rule} on {today}: no change proposed, and not a listed rule and reason: {texts:?}"
                ));
            }
            continue;
        }
        for change in with_sets {
            let mut doc2 = doc.clone();
            let mut sets = change.sets.clone();
            for (j, others) in per.iter().enumerate() {
                if j != i {
                    if let Some(o) = others.iter().find(|c| !c.sets.is_empty()) {
                        sets.extend(o.sets.clone());
                    }
                }
            }
            whatif::apply(&mut doc2, &sets)?;
            for (k, v) in &change.sets {
                if k == "claim.application_date" {
                    let d: chrono::NaiveDate = v.to_string().parse().map_err(|e| format!("{e}"))?;
                    if d < today {
                        return Err(format!(
                            "{rule}: proposes the past day {d} (checked on {today}): {}",
                            change.text
                        ));
                    }
                }
            }
            let after = parsed(name, &doc2).map_err(|e| {
                format!(
                    "{rule}: the change {:?} makes the file invalid: {e}",
                    change.sets
                )
            })?;
            let ev2 = evaluate(&after, today);
            if ev2.worst(rule) == Some(Outcome::Fail) {
                let msgs: Vec<_> = ev2
                    .findings
                    .iter()
                    .filter(|f| f.rule == rule)
                    .map(|f| f.message.clone())
                    .collect();
                return Err(format!(
                    "{rule} on {today}: 「{}」 applied ({:?}) still fails: {msgs:?}",
                    change.text, change.sets
                ));
            }
            applied += 1;
        }
    }
    Ok(applied)
}

/// A hidden-boundary case: the hint of every rule it expects to fail, applied, turns it,
/// checked on the cases' date and on a day the edition still took applications (the
/// claim's application date, or the edition's last day).
fn run_advice(case: &Case) -> Result<(), Failed> {
    let (doc, _) = case_claim(case)?;
    let claim = parsed(&case.name, &doc)?;
    let closes = evaluate(&claim, case_today())
        .edition_status
        .application_closes;
    let open_day = claim.application_date.min(closes);
    let mut errs = Vec::new();
    for (rule, want) in case.expect.findings.iter().flatten() {
        if want != "fail" {
            continue;
        }
        for today in [case_today(), open_day] {
            if let Err(e) = advice_turns(&case.name, &doc, rule, today) {
                errs.push(e);
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n").into())
    }
}

/// Every hint of every finding of a claim checked on `today`, with its rule.
fn hints(claim: &Claim, today: chrono::NaiveDate) -> Vec<(String, String)> {
    evaluate(claim, today)
        .findings
        .iter()
        .flat_map(|f| {
            whatif::changes(claim, &|k| claim.gives(k), f, today)
                .into_iter()
                .map(|t| (f.rule.clone(), t))
        })
        .collect()
}

/// The days a text names in 和暦 (令和2年5月1日; a month, 令和2年5月, as its last day).
fn wareki_days(text: &str) -> Vec<(String, chrono::NaiveDate)> {
    const ERAS: &[(&str, i32)] = &[("令和", 2018), ("平成", 1988), ("昭和", 1925)];
    let mut out = Vec::new();
    for (era, base) in ERAS {
        for (at, _) in text.match_indices(era) {
            let rest = &text[at + era.len()..];
            let num = |s: &str| -> (Option<u32>, usize) {
                let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
                (digits.parse().ok(), digits.len())
            };
            let (y, n) = if let Some(r) = rest.strip_prefix("元") {
                let _ = r;
                (Some(1), "元".len())
            } else {
                num(rest)
            };
            let Some(y) = y else { continue };
            let rest = &rest[n..];
            let Some(rest) = rest.strip_prefix('年') else {
                continue;
            };
            let (Some(m), n) = num(rest) else { continue };
            let rest = &rest[n..];
            let Some(rest) = rest.strip_prefix('月') else {
                continue;
            };
            let year = base + y as i32;
            let (d, n) = num(rest);
            let day = match d.filter(|_| rest[n..].starts_with('日')) {
                Some(d) => chrono::NaiveDate::from_ymd_opt(year, m, d),
                None => chrono::NaiveDate::from_ymd_opt(year, m, 1)
                    .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
                    .and_then(|f| f.pred_opt()),
            };
            if let Some(day) = day {
                out.push((text[at..].chars().take(12).collect(), day));
            }
        }
    }
    out
}

/// The bundled example claims (examples/*.toml) and every case's claim.
fn all_claims(cases: &[Case]) -> Result<Vec<(String, Claim)>, String> {
    let mut out = Vec::new();
    let mut examples: Vec<_> = std::fs::read_dir("examples")
        .map_err(|e| e.to_string())?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    examples.sort();
    for p in examples {
        let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
        let name = p.display().to_string();
        let claim = parse(&name, &text, Format::Toml).map_err(|e| format!("{name}: {e}"))?;
        out.push((name, claim));
    }
    if out.len() < 2 {
        return Err(format!("only {} example claims found", out.len()));
    }
    for case in cases.iter().filter(|c| c.expect.error.is_none()) {
        let (doc, _) = case_claim(case)?;
        if let Ok(claim) = parsed(&case.name, &doc) {
            out.push((case.name.clone(), claim));
        }
    }
    Ok(out)
}

/// No hint names a day already past on the check date: the examples and every case,
/// checked on 2026-12-02 (after every window; the claims' dates are of 2018–2021).
fn no_past_day(cases: &[Case]) -> Result<(), Failed> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let mut errs = Vec::new();
    let mut seen = 0;
    for (name, claim) in all_claims(cases)? {
        for (rule, text) in hints(&claim, today) {
            seen += 1;
            for (said, day) in wareki_days(&text) {
                if day < today {
                    errs.push(format!(
                        "{name}: {rule}: 「{said}…」 is before {today}: {text}"
                    ));
                }
            }
        }
    }
    if seen < 40 {
        errs.push(format!("only {seen} hints seen"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n").into())
    }
}

/// The dotted keys a text names (`a.b`, `a.b[0].c`), with where each starts and ends.
fn dotted_keys(text: &str) -> Vec<(usize, usize, String)> {
    let is_key = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.[]".contains(c);
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, is_key(c) && i < text.len()) {
            (None, true) if c.is_ascii_lowercase() => start = Some(i),
            (Some(s), false) => {
                let k = text[s..i].trim_end_matches('.');
                if k.contains('.') {
                    out.push((s, s + k.len(), k.to_string()));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Every key a hint names is in brackets after its Japanese label: 「契約の締結日（….contract_date）」.
fn no_bare_key(cases: &[Case]) -> Result<(), Failed> {
    let mut errs = Vec::new();
    let mut keys = 0;
    for (name, claim) in all_claims(cases)? {
        let open_day = claim.application_date;
        for today in [case_today(), open_day] {
            for (rule, text) in hints(&claim, today) {
                if std::env::var_os("ADVICE_DUMP").is_some() {
                    eprintln!("{name} | {today} | {rule} | {text}");
                }
                for (s, e, key) in dotted_keys(&text) {
                    keys += 1;
                    let before = text[..s].strip_suffix('（');
                    let labelled = before.is_some_and(|b| {
                        b.chars()
                            .last()
                            .is_some_and(|c| !c.is_ascii() && c != '（' && c != '、')
                    }) && text[e..].starts_with('）');
                    if !labelled {
                        errs.push(format!("{name}: {rule}: {key} without its label: {text}"));
                    }
                }
            }
        }
    }
    if keys < 20 {
        errs.push(format!("only {keys} keys seen in hints"));
    }
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
    let mut every: Vec<Case> = Vec::new();
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
            let fails = case
                .expect
                .findings
                .iter()
                .flatten()
                .any(|(_, o)| o == "fail");
            if fails && case.expect.error.is_none() {
                let c = case.clone();
                trials.push(
                    Trial::test(format!("advice::{name}"), move || run_advice(&c))
                        .with_ignored_flag(pending),
                );
            }
            if !pending {
                every.push(case.clone());
            }
            trials.push(Trial::test(name, move || run_case(&case)).with_ignored_flag(pending));
        }
    }
    let for_dates = every.clone();
    trials.push(Trial::test(
        "advice: no hint names a day already past (checked 2026-12-02)",
        move || no_past_day(&for_dates),
    ));
    trials.push(Trial::test(
        "advice: every key a hint names has its Japanese label",
        move || no_bare_key(&every),
    ));
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
