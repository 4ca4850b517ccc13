//! The meeting page of a JOHAS claim (`report --html`): verdict, amount stage by stage, the
//! window as a timeline, every rule with its outcome, the facts it used and the guide's
//! sentence, missing attachments, and what would change each outcome that does not pass.
//! One `<article>`; the command puts the articles of a client on one page.

use super::evaluation::Evaluation;
use super::evaluation::Status;
use super::model::Claim;
use super::{explain_data, whatif};
use crate::html::timeline::{self, Mark, Row};
use crate::model::dates::wareki;
use crate::model::findings::{yen, Finding, Outcome};
use minijinja::Value;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct FactDoc {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingDoc {
    /// pass / fail / unknown / warning (/ excluded): the CSS class.
    pub outcome: String,
    pub label: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleReport {
    pub id: String,
    pub title: String,
    pub cite: String,
    pub quote: Vec<String>,
    pub decision: Option<String>,
    /// The most severe outcome of the rule's findings.
    pub outcome: String,
    pub label: String,
    pub findings: Vec<FindingDoc>,
    pub facts: Vec<FactDoc>,
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionReport {
    pub heading: String,
    pub rules: Vec<RuleReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeDoc {
    pub rule: String,
    pub title: String,
    pub outcome: String,
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageDoc {
    pub name: String,
    pub yen: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentDoc {
    pub id: String,
    pub name: String,
    pub status: String,
    pub key: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub grant_id: String,
    pub grant_name: String,
    pub edition: String,
    pub edition_name: String,
    pub verdict: String,
    /// ok / ng / unknown
    pub verdict_class: String,
    pub amount: String,
    pub application_date: String,
    pub round: u32,
    pub window: String,
    pub checked_on: String,
    pub closed_note: Option<String>,
    pub stages: Vec<StageDoc>,
    pub changes: Vec<ChangeDoc>,
    pub sections: Vec<SectionReport>,
    pub missing: Vec<AttachmentDoc>,
    pub attachments: Vec<AttachmentDoc>,
    /// In a book: where the claim stands (未提出 / 審査中 / 支給 / 不支給) and the book's
    /// remarks and contradictions.
    pub state: Option<String>,
    pub book_notes: Vec<String>,
}

fn outcome_key(o: Outcome) -> String {
    serde_json::to_value(o)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A fact for display, from where it was written: the value as read (dates with their 和暦,
/// はい/いいえ), what the file said when it was read leniently (`令和2年10月10日`), and
/// the file and line when another file than the claim's own gives it (a book's profile).
pub fn fact_text(claim: &Claim, key: &str) -> String {
    let Some(w) = claim.written.get(key) else {
        let n = claim.count(key);
        return if n > 0 {
            format!("{n}件")
        } else if claim.gives(key) {
            "（表）".into()
        } else {
            "（書かれていません）".into()
        };
    };
    let mut text = match w.value.as_str() {
        "true" => "はい（true）".to_string(),
        "false" => "いいえ（false）".to_string(),
        v => crate::input::checks::parse_date(v)
            .map(|d| format!("{v}（{}）", wareki(d)))
            .unwrap_or_else(|| v.to_string()),
    };
    if w.text != w.value {
        text.push_str(&format!("（記載: {}）", w.text));
    }
    if w.file != claim.file {
        let place = match w.line {
            Some(l) => format!("{}:{l}", w.file),
            None => w.file.clone(),
        };
        text.push_str(&format!("［{place}］"));
    }
    text
}

fn rows(claim: &Claim, ev: &Evaluation) -> Vec<Row> {
    let ed = claim.edition;
    let mut rows = vec![Row {
        label: "この版の受付期間".into(),
        mark: Mark::Bar {
            from: ed.application.opens.value,
            to: ed.application.closes.value,
            open_end: false,
        },
        color: "#9aa5b1",
    }];
    if let Some(w) = ev.window {
        rows.push(Row {
            label: "この申請の申請期間".into(),
            mark: Mark::Bar {
                from: w.from,
                to: w.to,
                open_end: false,
            },
            color: "#2e8b57",
        });
    }
    // Then the grant's own dates and periods.
    rows.extend(claim.grant.timeline(claim));
    rows
}

/// A row with one day, when the claim gives it (for a grant's timeline).
pub fn point(label: &str, d: Option<chrono::NaiveDate>, color: &'static str) -> Option<Row> {
    d.map(|d| Row {
        label: label.into(),
        mark: Mark::Points(vec![d]),
        color,
    })
}

fn rule_report(
    claim: &Claim,
    today: chrono::NaiveDate,
    id: &str,
    findings: &[&Finding],
    text: Option<&explain_data::RuleText>,
) -> RuleReport {
    let def = claim.edition.rule(id);
    let worst = findings.iter().map(|f| f.outcome).max();
    let mut changes: Vec<String> = Vec::new();
    for f in findings {
        for c in whatif::changes(claim, &|k| claim.gives(k), f, today) {
            if !changes.contains(&c) {
                changes.push(c);
            }
        }
    }
    RuleReport {
        id: id.to_string(),
        title: def.map(|d| d.title.clone()).unwrap_or_default(),
        cite: def.map(|d| d.cite.clone()).unwrap_or_default(),
        quote: text.map(|t| t.quote.clone()).unwrap_or_default(),
        decision: findings.iter().find_map(|f| f.decision.clone()),
        outcome: worst.map(outcome_key).unwrap_or_else(|| "none".into()),
        label: worst
            .map(|o| o.label().to_string())
            .unwrap_or_else(|| "判定なし".into()),
        findings: findings
            .iter()
            .map(|f| FindingDoc {
                outcome: outcome_key(f.outcome),
                label: f.outcome.label().to_string(),
                message: f.message.clone(),
            })
            .collect(),
        facts: text
            .map(|t| {
                t.facts
                    .iter()
                    .map(|k| FactDoc {
                        key: k.clone(),
                        value: fact_text(claim, k),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        changes,
    }
}

/// The report of one evaluated claim.
pub fn report(claim: &Claim, ev: &Evaluation) -> Report {
    let ed = claim.edition;
    let today = ev.edition_status.checked_on;
    let data = explain_data::for_edition(ed);
    let by_rule =
        |id: &str| -> Vec<&Finding> { ev.findings.iter().filter(|f| f.rule == id).collect() };
    let mut sections = Vec::new();
    let mut placed = std::collections::BTreeSet::new();
    for sec in super::explain::sections(ed) {
        let rules: Vec<RuleReport> = sec
            .rules
            .iter()
            .filter_map(|r| {
                placed.insert(r.id.clone());
                let fs = by_rule(&r.id);
                (!fs.is_empty()).then(|| {
                    rule_report(claim, today, &r.id, &fs, data.and_then(|d| d.rule(&r.id)))
                })
            })
            .collect();
        if !rules.is_empty() {
            sections.push(SectionReport {
                heading: sec.heading,
                rules,
            });
        }
    }
    let mut rest_ids: Vec<&str> = Vec::new();
    for f in &ev.findings {
        if !placed.contains(&f.rule) && !rest_ids.contains(&f.rule.as_str()) {
            rest_ids.push(&f.rule);
        }
    }
    if !rest_ids.is_empty() {
        sections.push(SectionReport {
            heading: "その他".into(),
            rules: rest_ids
                .iter()
                .map(|id| rule_report(claim, today, id, &by_rule(id), None))
                .collect(),
        });
    }
    let mut changes = Vec::new();
    for sec in &sections {
        for r in &sec.rules {
            if r.outcome == "pass" {
                continue;
            }
            for c in &r.changes {
                changes.push(ChangeDoc {
                    rule: r.id.clone(),
                    title: r.title.clone(),
                    outcome: r.outcome.clone(),
                    label: r.label.clone(),
                    text: c.clone(),
                });
            }
        }
    }
    let (verdict_class, amount) = match ev.eligible {
        Some(true) => ("ok", format!("{}円", yen(ev.amount_yen))),
        Some(false) => ("ng", "0円（不支給）".to_string()),
        None => (
            "unknown",
            format!(
                "{}円（判定できない項目が解消された場合）",
                yen(ev.amount_yen)
            ),
        ),
    };
    let status = |s: Status| match s {
        Status::Ready => "準備済み",
        Status::Generated => "本ツールが作成",
        Status::Missing => "不足",
    };
    Report {
        file: ev.file.clone(),
        grant_id: ed.grant.id().to_string(),
        grant_name: ed.grant_name.clone(),
        edition: ed.edition.clone(),
        edition_name: ed.edition_name.clone(),
        verdict: super::report::verdict_line(ev),
        verdict_class: verdict_class.into(),
        amount,
        application_date: wareki(ev.application_date),
        round: ev.round,
        window: match ev.window {
            Some(w) => format!("{}～{}", wareki(w.from), wareki(w.to)),
            None => "計算できません（必要な事実が書かれていません）".into(),
        },
        checked_on: wareki(ev.edition_status.checked_on),
        closed_note: ev.edition_status.closed.then(|| {
            format!(
                "この版の申請受付は {} で終了しています。判定は当時の手引に照らした参考結果です。{}",
                wareki(ev.edition_status.application_closes),
                ed.successor_note
            )
        }),
        stages: ev
            .amount_stages
            .iter()
            .map(|s| StageDoc {
                name: s.name.clone(),
                yen: format!("{}円", yen(s.yen)),
            })
            .collect(),
        changes,
        sections,
        missing: ev
            .missing_attachments
            .iter()
            .map(|a| AttachmentDoc {
                id: a.id.clone(),
                name: a.name.clone(),
                status: "不足".into(),
                key: a.key.clone(),
            })
            .collect(),
        attachments: ev
            .attachments
            .iter()
            .map(|a| AttachmentDoc {
                id: a.id.clone(),
                name: a.name.clone(),
                status: status(a.status).into(),
                key: a.key.clone(),
            })
            .collect(),
        state: None,
        book_notes: Vec::new(),
    }
}

/// The report's `<article>` for one evaluated claim; `state` is where it stands in a book.
pub fn article(claim: &Claim, ev: &Evaluation, state: Option<String>) -> Result<String, String> {
    let mut r = report(claim, ev);
    r.state = state;
    let in_window = ev.window.map(|w| w.contains(ev.application_date));
    let svg = timeline::svg(&rows(claim, ev), ev.application_date, in_window);
    crate::html::fragment(
        "report-johas.html.j2",
        ARTICLE,
        minijinja::context! { r => Value::from_serialize(&r), timeline => Value::from_safe_string(svg) },
    )
    .map_err(|e| e.to_string())
}

/// The article template (templates/report-johas.html.j2).
const ARTICLE: &str = include_str!("../../../templates/report-johas.html.j2");
