//! The counts and lists an evaluation is made of, below the rules that read them: a rule's
//! worst outcome, the count of items against a threshold (three-valued), the blanks that
//! matter (KK-A1) and the documents to keep for every ticked option (KK-W5).

use super::facts::{Answer, Facts};
use super::params::{CountDef, Doc, Edition, Track};
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The outcome of a rule from its findings: fail over unknown over pass (warnings aside).
pub fn status(findings: &[Finding], rule: &str) -> Option<Outcome> {
    findings
        .iter()
        .filter(|f| {
            f.rule == rule && matches!(f.outcome, Outcome::Pass | Outcome::Unknown | Outcome::Fail)
        })
        .map(|f| f.outcome)
        .max()
}

/// A count against its threshold.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub rule: String,
    pub track: Track,
    /// 「④～⑩」
    pub label: String,
    pub passed: u32,
    pub unknown: u32,
    pub failed: u32,
    pub needed: u32,
    pub outcome: Outcome,
    /// The items and their outcomes, in order.
    pub items: Vec<(String, Outcome)>,
}

/// The count of `def` from the items' outcomes (three-valued).
pub fn count_of(def: &CountDef, items: &BTreeMap<String, Outcome>) -> Count {
    let outs: Vec<(String, Outcome)> = def
        .items
        .iter()
        .map(|i| (i.clone(), items.get(i).copied().unwrap_or(Outcome::Unknown)))
        .collect();
    let n = |o: Outcome| outs.iter().filter(|(_, x)| *x == o).count() as u32;
    let (passed, unknown, failed) = (n(Outcome::Pass), n(Outcome::Unknown), n(Outcome::Fail));
    let needed = def.at_least.value;
    let outcome = if passed >= needed {
        Outcome::Pass
    } else if passed + unknown < needed {
        Outcome::Fail
    } else {
        Outcome::Unknown
    };
    Count {
        rule: def.rule.clone(),
        track: def.track,
        label: def.label.clone(),
        passed,
        unknown,
        failed,
        needed,
        outcome,
        items: outs,
    }
}

/// A blank that matters: a ★ question, an SQ whose condition holds, or a fact a rule needs.
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    pub id: String,
    pub key: String,
    /// 「Q10 SQ3」
    pub label: String,
    pub star: bool,
    /// The rules it feeds.
    pub rules: Vec<String>,
    /// Left blank, it fails a rule (D17: 記入していない場合は…対象になりません).
    pub fails: bool,
}

/// Documents to keep for one ticked option (保存資料表; KK-W5).
#[derive(Debug, Clone, Serialize)]
pub struct DocumentToKeep {
    pub question: String,
    pub label: String,
    pub option: Option<u32>,
    pub option_text: Option<String>,
    pub docs: Vec<Doc>,
    pub until: NaiveDate,
}

/// Fields that fail their rule when left blank (D17), rather than being unknown.
const BLANK_FAILS: &[&str] = &[
    "insurer.kind",
    "insurer.kyokai_branch",
    "insurer.kyokai_symbol",
    "insurer.kenpo_name",
    "insurer.kenpo_federation",
    "insurer.kenpo_number",
    "insurer.other_name",
    "pledge.date",
    "pledge.signer_title",
    "pledge.signer_name",
    "pledge.employee_representative",
    "declaration.prev_insurer",
];

/// KK-A1: the blanks that matter, in the workbook's order: every ★ question and every SQ whose
/// condition holds (or ブライト500 questions when applying), the fields whose blank fails (D17),
/// and any other non-optional field a rule needs while that rule is unknown.
pub fn todo(ed: &Edition, f: &Facts, findings: &[Finding]) -> Vec<Todo> {
    let mut out = Vec::new();
    for q in &ed.questions {
        if !f.is_blank(&q.id) || f.applies(ed, q) != Some(true) {
            continue;
        }
        let required = (q.star && q.on_form)
            || q.required_when
                .as_ref()
                .is_some_and(|w| f.holds(ed, w) == Some(true));
        let fails = BLANK_FAILS.contains(&q.id.as_str());
        let needed = !q.optional
            && q.feeds
                .iter()
                .any(|r| status(findings, r) == Some(Outcome::Unknown));
        if required || fails || needed {
            out.push(Todo {
                id: q.id.clone(),
                key: q.key.clone(),
                label: q.label.clone(),
                star: q.star,
                rules: q.feeds.clone(),
                fails,
            });
        }
    }
    out
}

/// The documents to keep for every ticked option of a question that has 保存資料表 examples.
pub fn documents(ed: &Edition, f: &Facts) -> Vec<DocumentToKeep> {
    let until = ed.params.retention_until.value.0;
    let mut out = Vec::new();
    for q in ed.questions.iter().filter(|q| !q.docs.is_empty()) {
        let ticked: Vec<u32> = match f.get(&q.id) {
            Some(Answer::One(n)) => vec![*n],
            Some(Answer::Many(s)) => s.iter().copied().collect(),
            Some(_) => {
                out.push(DocumentToKeep {
                    question: q.id.clone(),
                    label: q.label.clone(),
                    option: None,
                    option_text: None,
                    docs: q.docs.clone(),
                    until,
                });
                continue;
            }
            None => continue,
        };
        for n in ticked {
            let Some(o) = q.option(n) else { continue };
            if Some(n) == q.none || q.exclusive.contains(&n) || o.marker.is_some() {
                continue;
            }
            out.push(DocumentToKeep {
                question: q.id.clone(),
                label: q.label.clone(),
                option: Some(n),
                option_text: Some(o.text.clone()),
                docs: q.docs.clone(),
                until,
            });
        }
    }
    out
}
