//! The meeting page of an answers file (`report --html`): the verdict with the workbook's
//! disclaimer, each group's count drawn against its threshold, the 必須 items, 「結果を変え
//! るには」 with the documents to keep for each way, the blanks, every finding with the
//! workbook's sentence, the deadlines, and what moved since the previous visit. One
//! `<article>`; the command puts the articles of a client on one page.

use super::judged::{when_text, KenkoJudged};
use crate::model::dates::wareki;
use crate::model::findings::Outcome;
use serde::Serialize;

const ARTICLE: &str = include_str!("../../../templates/report-kenko.html.j2");

#[derive(Serialize)]
struct Box_ {
    x: u32,
    class: &'static str,
}

#[derive(Serialize)]
struct CountDoc {
    label: String,
    items: String,
    passed: u32,
    unknown: u32,
    needed: u32,
    outcome: String,
    outcome_label: String,
    boxes: Vec<Box_>,
    width: u32,
    threshold_x: u32,
}

#[derive(Serialize)]
struct RequiredDoc {
    title: String,
    outcome: String,
    outcome_label: String,
}

#[derive(Serialize)]
struct TrackDoc {
    label: String,
    counts: Vec<CountDoc>,
    required: Vec<RequiredDoc>,
}

#[derive(Serialize)]
struct WayDoc {
    sentence: String,
    docs: String,
}

#[derive(Serialize)]
struct ItemDoc {
    mark: String,
    title: String,
    outcome: String,
    ways: Vec<WayDoc>,
    change: Option<String>,
    blanks: String,
}

#[derive(Serialize)]
struct AdviceDoc {
    rule: String,
    headline: String,
    items: Vec<ItemDoc>,
}

#[derive(Serialize)]
struct FindingDoc {
    rule: String,
    title: String,
    outcome: String,
    label: String,
    message: String,
    quote: Vec<String>,
    cite: String,
}

#[derive(Serialize)]
struct DeadlineDoc {
    when: String,
    what: String,
    passed: bool,
}

#[derive(Serialize)]
struct Report {
    name: String,
    edition_name: String,
    workbook: String,
    file: String,
    state: Option<String>,
    corporation: String,
    application_date: String,
    checked_on: String,
    verdict: String,
    verdict_class: String,
    track: String,
    disclaimer: String,
    /// The edition's upload deadline has passed on the check's day.
    closed_note: Option<String>,
    since: Vec<String>,
    since_file: String,
    tracks: Vec<TrackDoc>,
    bright: Option<String>,
    advice: Vec<AdviceDoc>,
    todo: Vec<String>,
    findings: Vec<FindingDoc>,
    deadlines: Vec<DeadlineDoc>,
}

fn key(o: Outcome) -> String {
    o.name().to_string()
}

/// The report's `<article>`; `earlier` is the previous answers file of the same 法人.
pub fn article(
    j: &KenkoJudged,
    state: Option<&str>,
    earlier: Option<&KenkoJudged>,
) -> Result<String, String> {
    let ev = &j.ev;
    let ed = j.case.ed;
    let corp = &ev.corporation;
    let employees = corp.employees.total;
    let corporation = format!(
        "{}{}",
        corp.name.clone().unwrap_or_else(|| "（法人名なし）".into()),
        employees
            .map(|n| format!("（従業員 {n}人）"))
            .unwrap_or_default()
    );
    let tracks = ev
        .tracks
        .iter()
        .map(|t| TrackDoc {
            label: format!("{}・{}", t.track.label(), t.name),
            counts: t
                .counts
                .iter()
                .map(|c| {
                    let boxes: Vec<Box_> = c
                        .items
                        .iter()
                        .enumerate()
                        .map(|(i, (_, o))| Box_ {
                            x: 2 + 18 * i as u32,
                            class: match o {
                                Outcome::Pass => "pass",
                                Outcome::Unknown => "unknown",
                                _ => "fail",
                            },
                        })
                        .collect();
                    let marks: Vec<String> = c
                        .items
                        .iter()
                        .map(|(r, o)| {
                            let m = ev.item(r).map(|i| i.mark.clone()).unwrap_or(r.clone());
                            format!("{m}{}", o.label())
                        })
                        .collect();
                    CountDoc {
                        label: c.label.clone(),
                        items: marks.join("・"),
                        passed: c.passed,
                        unknown: c.unknown,
                        needed: c.needed,
                        outcome: key(c.outcome),
                        outcome_label: c.outcome.label().into(),
                        width: 4 + 18 * c.items.len() as u32,
                        threshold_x: 1 + 18 * c.needed,
                        boxes,
                    }
                })
                .collect(),
            required: ed
                .tracks
                .get(t.track)
                .required
                .iter()
                .map(|r| {
                    let o = if t.required_failed.contains(r) {
                        Outcome::Fail
                    } else if t.required_unknown.contains(r) {
                        Outcome::Unknown
                    } else {
                        Outcome::Pass
                    };
                    RequiredDoc {
                        title: ed.rule(r).map(|d| d.title.clone()).unwrap_or(r.clone()),
                        outcome: key(o),
                        outcome_label: o.label().into(),
                    }
                })
                .collect(),
        })
        .collect();
    let advice = ev
        .advice
        .iter()
        .map(|a| AdviceDoc {
            rule: a.rule.clone(),
            headline: a.headline.clone(),
            items: a
                .items
                .iter()
                .map(|i| ItemDoc {
                    mark: i.mark.clone(),
                    title: i.title.clone(),
                    outcome: i.outcome.label().into(),
                    ways: i
                        .ways
                        .iter()
                        .map(|w| WayDoc {
                            sentence: w.sentence.clone(),
                            docs: w
                                .docs
                                .iter()
                                .map(|d| d.text.clone())
                                .collect::<Vec<_>>()
                                .join("、"),
                        })
                        .collect(),
                    change: i.change.clone(),
                    blanks: i.blanks.join("、"),
                })
                .collect(),
        })
        .collect();
    let findings = ev
        .findings
        .iter()
        .map(|f| FindingDoc {
            rule: f.rule.clone(),
            title: f.title.clone(),
            outcome: key(f.outcome),
            label: f.outcome.label().into(),
            message: f.message.clone(),
            quote: ed
                .rule(&f.rule)
                .map(|r| r.quote.clone())
                .unwrap_or_default(),
            cite: f.citation.clone(),
        })
        .collect();
    let r = Report {
        name: ed.title.clone(),
        edition_name: ed.edition_name.clone(),
        workbook: ed.workbook.value.clone(),
        file: j.case.file.clone(),
        state: state.map(str::to_string),
        corporation,
        application_date: format!(
            "{}{}",
            wareki(ev.application_date.date),
            if ev.application_date.provisional {
                "（仮）"
            } else {
                ""
            }
        ),
        checked_on: wareki(ev.as_of),
        verdict: ev.verdict.label.clone(),
        verdict_class: match ev.verdict.status {
            super::evaluate::Status::Meets => "ok",
            super::evaluate::Status::Fails => "ng",
            super::evaluate::Status::Undetermined => "unknown",
        }
        .into(),
        track: match ev.track {
            Some(t) => format!("{}（{}）", t.label(), ed.tracks.get(t).name),
            None => "決まりません（両方の区分で判定しました）".into(),
        },
        disclaimer: format!(
            "{}（{}）",
            ev.verdict.disclaimer, ev.verdict.disclaimer_cite
        ),
        closed_note: j.closed_note(),
        since: earlier.map(|e| j.changes_from(e)).unwrap_or_default(),
        since_file: earlier.map(|e| e.case.file.clone()).unwrap_or_default(),
        tracks,
        bright: (ev.bright.status != super::evaluate::GateStatus::NotApplied).then(|| {
            format!(
                "{}（①～⑰ {}項目、必要 {}項目）",
                ev.bright.status.label(),
                ev.bright.passed,
                ev.bright.needed
            )
        }),
        advice,
        todo: ev.todo.iter().map(|t| t.label.clone()).collect(),
        findings,
        deadlines: ev
            .deadlines
            .iter()
            .map(|d| DeadlineDoc {
                when: when_text(d.when),
                what: d.what.clone(),
                passed: d.passed,
            })
            .collect(),
    };
    crate::html::fragment(
        "report-kenko.html.j2",
        ARTICLE,
        minijinja::context! { r => minijinja::Value::from_serialize(&r) },
    )
    .map_err(|e| e.to_string())
}
