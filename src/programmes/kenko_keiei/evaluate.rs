//! One applicant, fully assessed: the track (KK-S1, or both while it is open), the three-valued
//! items and counts, the verdict 「認定要件を満たす／満たさない／判定できない」 with the workbook's
//! disclaimer, the ブライト500 gate beside it, the to-do list (KK-A1), the documents to keep, the
//! deadlines, and 「結果を変えるには」.
//!
//! A blank blocks the verdict only where it could change it: a required rule that fails, or a
//! count that cannot be reached even if every unknown item passed, decides 満たさない whatever the
//! blanks; a count already met stays met whatever they say.

use super::advice;
use super::facts::Facts;
use super::params::{Edition, Track};
use super::rules::{self, possible_tracks, ApplicationDate, Ctx, Out, Phase, When};
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub use super::counts::{count_of, documents, status, todo, Count, DocumentToKeep, Todo};
pub use super::verdict::{
    Advice, Bright, Evaluation, GateStatus, Item, ItemAdvice, Status, TrackResult, Verdict, Way,
};

fn track_result(
    ed: &Edition,
    t: Track,
    findings: &[Finding],
    items: &BTreeMap<String, Outcome>,
) -> TrackResult {
    let def = ed.tracks.get(t);
    let mut failed = Vec::new();
    let mut unknown = Vec::new();
    for r in &def.required {
        match status(findings, r) {
            Some(Outcome::Fail) => failed.push(r.clone()),
            Some(Outcome::Unknown) => unknown.push(r.clone()),
            _ => {}
        }
    }
    let counts: Vec<Count> = def
        .counts
        .iter()
        .filter_map(|c| ed.count(c, t))
        .map(|c| count_of(c, items))
        .collect();
    let status = if !failed.is_empty() || counts.iter().any(|c| c.outcome == Outcome::Fail) {
        Status::Fails
    } else if !unknown.is_empty() || counts.iter().any(|c| c.outcome == Outcome::Unknown) {
        Status::Undetermined
    } else {
        Status::Meets
    };
    TrackResult {
        track: t,
        name: def.name.clone(),
        status,
        required_failed: failed,
        required_unknown: unknown,
        counts,
    }
}

/// The item rules (everything a count or the gate counts), with their outcomes.
fn items_of(ed: &Edition, findings: &[Finding]) -> BTreeMap<String, Outcome> {
    let mut out = BTreeMap::new();
    for id in ed
        .counts
        .iter()
        .flat_map(|c| &c.items)
        .chain(&ed.bright.items)
    {
        out.insert(id.clone(), status(findings, id).unwrap_or(Outcome::Unknown));
    }
    out
}

/// Assesses one applicant's answers against an edition, on the day `as_of` (the 判定日).
pub fn evaluate(ed: &Edition, f: &Facts, as_of: NaiveDate) -> Evaluation {
    let app = ApplicationDate::of(f, as_of);
    let empty = BTreeMap::new();
    let base = Ctx {
        ed,
        f,
        as_of,
        app,
        track: None,
        both_tracks: false,
        items: &empty,
        normal_required: None,
    };
    let mut out = Out::new(ed);
    for (_, (phase, func)) in rules::REGISTRY {
        if *phase == Phase::Answers {
            func(&base, &mut out);
        }
    }
    let items = items_of(ed, &out.findings);
    let tracks = possible_tracks(ed, f);
    let both = tracks.len() > 1;
    let mut results = Vec::new();
    for t in &tracks {
        let ctx = Ctx {
            ed,
            f,
            as_of,
            app,
            track: Some(*t),
            both_tracks: both,
            items: &items,
            normal_required: None,
        };
        for rule in &ed.tracks.get(*t).counts {
            if let Some((Phase::Track, func)) = rules::function(rule) {
                func(&ctx, &mut out);
            }
        }
        results.push(track_result(ed, *t, &out.findings, &items));
    }
    let normal = track_result(ed, Track::Normal, &out.findings, &items);
    // The gate (KK-B4) reads the 通常 必須 set (D11).
    let normal_required = {
        let mut not_pass: Vec<String> = normal.required_failed.clone();
        not_pass.extend(normal.required_unknown.clone());
        let worst = if !normal.required_failed.is_empty() {
            Outcome::Fail
        } else if !normal.required_unknown.is_empty() {
            Outcome::Unknown
        } else {
            Outcome::Pass
        };
        (worst, not_pass)
    };
    let gate_ctx = Ctx {
        ed,
        f,
        as_of,
        app,
        track: None,
        both_tracks: false,
        items: &items,
        normal_required: Some(normal_required),
    };
    for (_, (phase, func)) in rules::REGISTRY {
        if *phase == Phase::Gate {
            func(&gate_ctx, &mut out);
        }
    }
    for (_, (phase, func)) in rules::REGISTRY {
        if *phase == Phase::Last {
            func(&gate_ctx, &mut out);
        }
    }

    // Verdict.
    let verdict_status = match results.as_slice() {
        [one] => one.status,
        [a, b] if a.status == b.status => a.status,
        _ => Status::Undetermined,
    };
    let mut reasons = Vec::new();
    for r in &results {
        let prefix = if both {
            format!("【{}】", r.track.label())
        } else {
            String::new()
        };
        for id in &r.required_failed {
            reasons.push(format!("{prefix}必須 {id} {} が不適合", title(ed, id)));
        }
        for id in &r.required_unknown {
            reasons.push(format!("{prefix}必須 {id} {} が不明", title(ed, id)));
        }
        for c in &r.counts {
            match c.outcome {
                Outcome::Fail => reasons.push(format!(
                    "{prefix}{} {}: {}項目が適合、{}項目以上が必要",
                    c.rule, c.label, c.passed, c.needed
                )),
                Outcome::Unknown => reasons.push(format!(
                    "{prefix}{} {}: {}項目が適合・{}項目が不明、{}項目以上が必要",
                    c.rule, c.label, c.passed, c.unknown, c.needed
                )),
                _ => {}
            }
        }
    }
    if both
        && verdict_status == Status::Undetermined
        && results.iter().all(|r| r.status != Status::Undetermined)
    {
        reasons.insert(
            0,
            "通常と特例で結論が分かれ、どちらで判定するかが Q2・Q4 の未回答で決まりません".into(),
        );
    }
    let verdict = Verdict {
        status: verdict_status,
        label: verdict_status.label().into(),
        disclaimer: ed.disclaimer.value.clone(),
        disclaimer_cite: ed.disclaimer.cite.clone(),
        reasons,
    };
    let track = (tracks.len() == 1).then(|| tracks[0]);
    let also_meets_normal = track == Some(Track::Tokurei)
        && verdict_status == Status::Meets
        && normal.status == Status::Meets;
    let mut notes = Vec::new();
    if app.provisional {
        notes.push(format!("{}。", app.describe()));
    }
    if track == Some(Track::Tokurei) {
        notes.push(format!(
            "小規模事業者向け特例で判定しています。{}{}",
            ed.tokurei.note.value, ed.tokurei.published.value
        ));
    }
    if also_meets_normal {
        notes.push("通常の要件も満たしています（情報。認定・公表は特例によります、D14）。".into());
    }

    // The gate.
    let gate = if f.one("bright.apply") == Some(1) {
        let worst = ["KK-B2", "KK-B3", "KK-B4"]
            .iter()
            .filter_map(|r| status(&out.findings, r))
            .max()
            .unwrap_or(Outcome::Unknown);
        match worst {
            Outcome::Fail => GateStatus::Fails,
            Outcome::Unknown => GateStatus::Undetermined,
            _ => GateStatus::Meets,
        }
    } else {
        GateStatus::NotApplied
    };
    let bright_items: Vec<Outcome> = ed
        .bright
        .items
        .iter()
        .map(|i| items.get(i).copied().unwrap_or(Outcome::Unknown))
        .collect();
    let bright = Bright {
        status: gate,
        passed: bright_items.iter().filter(|o| **o == Outcome::Pass).count() as u32,
        unknown: bright_items
            .iter()
            .filter(|o| **o == Outcome::Unknown)
            .count() as u32,
        needed: ed.bright.at_least.value,
    };

    let item_list: Vec<Item> = items
        .keys()
        .map(|id| id.as_str())
        .collect::<Vec<_>>()
        .into_iter()
        .map(|id| {
            let r = ed.rule(id);
            Item {
                rule: id.to_string(),
                mark: r
                    .and_then(|r| r.mark.clone())
                    .unwrap_or_else(|| "推進計画".into()),
                title: r.map(|r| r.title.clone()).unwrap_or_default(),
                outcome: items[id],
            }
        })
        .collect();
    let mut item_list = item_list;
    item_list.sort_by_key(|i| ed.rules.iter().position(|r| r.id == i.rule));

    let todo = todo(ed, f, &out.findings);
    let documents = documents(ed, f);
    let mut deadlines = out.deadlines;
    deadlines.sort_by_key(|d| (d.when.last_day(), matches!(d.when, When::Month(_))));
    let mut ev = Evaluation {
        programme: ed.programme.clone(),
        edition: ed.edition.clone(),
        as_of,
        application_date: app,
        corporation: f.corporation(),
        track,
        verdict,
        tracks: results,
        also_meets_normal,
        bright,
        items: item_list,
        findings: out.findings,
        todo,
        deadlines,
        documents,
        advice: Vec::new(),
        notes,
    };
    ev.advice = advice::advise(ed, f, &ev);
    ev
}

fn title(ed: &Edition, id: &str) -> String {
    ed.rule(id).map(|r| r.title.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programmes::kenko_keiei::{bundled, read_str, Format};

    fn example(name: &str) -> Evaluation {
        let text = std::fs::read_to_string(format!("examples/kenko-keiei/{name}.toml")).unwrap();
        let r = read_str(&text, Format::Toml, bundled()).unwrap();
        evaluate(
            bundled(),
            &r.facts,
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        )
    }

    #[test]
    fn the_examples_give_their_verdicts_with_the_disclaimer() {
        let ev = example("service-40");
        assert_eq!(
            (ev.verdict.status, ev.track),
            (Status::Meets, Some(Track::Normal))
        );
        assert_eq!(ev.exit_code(), 0);
        assert!(ev
            .verdict
            .disclaimer
            .contains("認定を保証するものではありません"));
        let ev = example("tokurei-4");
        assert_eq!(
            (ev.verdict.status, ev.track),
            (Status::Meets, Some(Track::Tokurei))
        );
        assert!(ev.notes.iter().any(|n| n.contains("試験的導入")));
        let ev = example("failing");
        assert_eq!(ev.verdict.status, Status::Fails);
        assert_eq!(ev.exit_code(), 1);
        assert!(!ev.advice.is_empty());
        // Every finding carries its citation and title from the data.
        assert!(ev
            .findings
            .iter()
            .all(|f| !f.citation.is_empty() && !f.title.is_empty()));
    }

    #[test]
    fn the_evaluation_serialises_to_json() {
        let v = serde_json::to_value(example("failing")).unwrap();
        assert_eq!(v["verdict"]["status"], "fails");
        assert_eq!(v["verdict"]["label"], "認定要件を満たさない");
        assert_eq!(v["track"], "normal");
        assert_eq!(v["bright"]["status"], "not_applied");
        assert!(v["tracks"][0]["counts"].as_array().unwrap().len() == 3);
        assert!(v["documents"][0]["until"] == "2027-10-17");
    }

    #[test]
    fn documents_follow_the_ticked_options_only() {
        let ev = example("service-40");
        // Q14 = [1]: one entry; the none options (Q17 16, Q22 12) none.
        assert_eq!(ev.documents.iter().filter(|d| d.label == "Q14").count(), 1);
        assert!(!ev
            .documents
            .iter()
            .any(|d| d.label == "Q17" || d.label == "Q22"));
        assert!(ev
            .documents
            .iter()
            .any(|d| d.label == "Q12①" && d.docs[0].text.contains("再検査")));
    }
}
