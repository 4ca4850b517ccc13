//! 「結果を変えるには」: for each count short by k, the items that do not pass and, for each, the
//! questions and options that would make it pass, each with the documents to keep; for each
//! failing 必須 rule, what would pass. Phrased 「…を実施して資料を保存すれば」: the tool never
//! suggests ticking what was not done.
//!
//! The options are found by asking the rule itself (a what-if on a copy of the answers), so
//! the advice cannot drift from the rules: an option is listed only if, done, it would make
//! the item pass with the other answers as they are.

use super::facts::{Answer, Facts};
use super::params::{Edition, Kind};
use super::rules::{self, ApplicationDate, Ctx, Out};
use super::verdict::{Advice, Evaluation, ItemAdvice, Status, Way};
use crate::model::findings::Outcome;
use std::collections::{BTreeMap, BTreeSet};

/// The outcome of one rule on a copy of the answers.
fn outcome_with(ed: &Edition, f: &Facts, as_of: chrono::NaiveDate, rule: &str) -> Option<Outcome> {
    let (_, func) = rules::function(rule)?;
    let empty = BTreeMap::new();
    let ctx = Ctx {
        ed,
        f,
        as_of,
        app: ApplicationDate::of(f, as_of),
        track: None,
        both_tracks: false,
        items: &empty,
        normal_required: None,
    };
    let mut out = Out::new(ed);
    func(&ctx, &mut out);
    rules::status(&out.findings, rule)
}

fn item_advice(
    ed: &Edition,
    f: &Facts,
    ev: &Evaluation,
    rule: &str,
    outcome: Outcome,
) -> ItemAdvice {
    let def = ed.rule(rule);
    let mark = def.and_then(|d| d.mark.clone()).unwrap_or_default();
    let title = def.map(|d| d.title.clone()).unwrap_or_default();
    let contradiction = ev.findings.iter().any(|x| {
        x.rule == rule
            && x.outcome == Outcome::Warning
            && x.decision.as_deref().is_some_and(|d| d.starts_with("D10"))
    });
    let blanks: Vec<String> = ev
        .todo
        .iter()
        .filter(|t| t.rules.iter().any(|r| r == rule))
        .map(|t| t.label.clone())
        .collect();
    let mut ways = Vec::new();
    if !contradiction {
        for qid in def.map(|d| d.questions.as_slice()).unwrap_or_default() {
            let Some(q) = ed.question(qid) else { continue };
            if !q.on_form
                || !matches!(q.kind, Kind::One | Kind::Many)
                || f.applies(ed, q) == Some(false)
            {
                continue;
            }
            let current: BTreeSet<u32> = match f.get(qid) {
                Some(Answer::One(n)) => [*n].into(),
                Some(Answer::Many(s)) => s.clone(),
                _ => BTreeSet::new(),
            };
            for o in &q.options {
                let n = o.n;
                if Some(n) == q.none
                    || q.exclusive.contains(&n)
                    || q.advice_skip.contains(&n)
                    || o.marker.is_some()
                    || current.contains(&n)
                {
                    continue;
                }
                let mut g = f.clone();
                match q.kind {
                    Kind::One => g.set(qid, Answer::One(n)),
                    _ => {
                        let mut s: BTreeSet<u32> = current
                            .iter()
                            .copied()
                            .filter(|x| Some(*x) != q.none)
                            .collect();
                        s.insert(n);
                        g.set(qid, Answer::Many(s));
                    }
                }
                if outcome_with(ed, &g, ev.as_of, rule) == Some(Outcome::Pass) {
                    ways.push(Way {
                        question: q.id.clone(),
                        label: q.label.clone(),
                        option: Some(n),
                        option_text: Some(o.text.clone()),
                        sentence: format!(
                            "{} の「{n} {}」に当たる取り組みを実施して資料を保存すれば、{mark}{title}が適合します。",
                            q.label, o.text
                        ),
                        docs: q.docs.clone(),
                    });
                }
            }
        }
    }
    let change = if ways.is_empty() {
        def.and_then(|d| d.change.clone())
    } else {
        None
    };
    ItemAdvice {
        rule: rule.to_string(),
        mark,
        title,
        outcome,
        ways,
        change,
        blanks,
        contradiction,
    }
}

/// 「結果を変えるには」 for an evaluation: nothing when the requirements are met.
pub fn advise(ed: &Edition, f: &Facts, ev: &Evaluation) -> Vec<Advice> {
    let mut out = Vec::new();
    if ev.verdict.status == Status::Meets {
        return out;
    }
    let both = ev.tracks.len() > 1;
    let mut seen = BTreeSet::new();
    for t in &ev.tracks {
        let prefix = if both {
            format!("【{}】", t.track.label())
        } else {
            String::new()
        };
        for id in t.required_failed.iter().chain(&t.required_unknown) {
            if !seen.insert(id.clone()) {
                continue;
            }
            let outcome = rules::status(&ev.findings, id).unwrap_or(Outcome::Unknown);
            let ia = item_advice(ed, f, ev, id, outcome);
            out.push(Advice {
                rule: id.clone(),
                track: (!both).then_some(t.track),
                headline: format!(
                    "必須 {} {} が{}です。",
                    id,
                    ia.title,
                    if outcome == Outcome::Fail {
                        "不適合"
                    } else {
                        "不明"
                    }
                ),
                short_by: 0,
                items: vec![ia],
            });
        }
        for c in t.counts.iter().filter(|c| c.outcome != Outcome::Pass) {
            let short = c.needed.saturating_sub(c.passed);
            let items: Vec<ItemAdvice> = c
                .items
                .iter()
                .filter(|(_, o)| *o != Outcome::Pass)
                .map(|(id, o)| item_advice(ed, f, ev, id, *o))
                .collect();
            out.push(Advice {
                rule: c.rule.clone(),
                track: Some(t.track),
                headline: format!(
                    "{prefix}{} はあと{short}項目必要です（{}項目が適合、{}項目以上が必要{}）。",
                    c.label,
                    c.passed,
                    c.needed,
                    if c.unknown > 0 {
                        format!("、{}項目が不明", c.unknown)
                    } else {
                        String::new()
                    }
                ),
                short_by: short,
                items,
            });
        }
    }
    out
}
