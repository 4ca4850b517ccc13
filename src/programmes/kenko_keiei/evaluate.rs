//! One applicant, fully assessed: the track (KK-S1, or both while it is open), the three-valued
//! items and counts, the verdict 「認定要件を満たす／満たさない／判定できない」 with the workbook's
//! disclaimer, the ブライト500 gate beside it, the to-do list (KK-A1), the documents to keep, the
//! deadlines, and 「結果を変えるには」.
//!
//! A blank blocks the verdict only where it could change it: a required rule that fails, or a
//! count that cannot be reached even if every unknown item passed, decides 満たさない whatever the
//! blanks; a count already met stays met whatever they say.

use super::advice::{self, Advice};
use super::facts::{Answer, Corporation, Facts};
use super::params::{CountDef, Doc, Edition, Track};
use super::rules::{
    self, possible_tracks, status, ApplicationDate, Ctx, Deadline, Out, Phase, When,
};
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// 「認定要件を満たす／満たさない／判定できない」
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Meets,
    Undetermined,
    Fails,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Meets => "認定要件を満たす",
            Status::Fails => "認定要件を満たさない",
            Status::Undetermined => "判定できない",
        }
    }

    /// The name in JSON and in the rule cases.
    pub fn name(self) -> &'static str {
        match self {
            Status::Meets => "meets",
            Status::Fails => "fails",
            Status::Undetermined => "undetermined",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub status: Status,
    /// 「認定要件を満たす」…
    pub label: String,
    /// The workbook's own words (L2705), carried by every verdict.
    pub disclaimer: String,
    pub disclaimer_cite: String,
    /// Why, in one line each (the failing / unknown rules and counts).
    pub reasons: Vec<String>,
}

/// One evaluation item (①–⑰, and the 推進計画 read as an item for KK-C4).
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub rule: String,
    /// 「①」, or 「推進計画」
    pub mark: String,
    pub title: String,
    pub outcome: Outcome,
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

/// One track, evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct TrackResult {
    pub track: Track,
    /// 「中小規模法人部門」「小規模事業者向け特例」
    pub name: String,
    pub status: Status,
    /// 必須 rules that fail / are unknown.
    pub required_failed: Vec<String>,
    pub required_unknown: Vec<String>,
    pub counts: Vec<Count>,
}

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

/// ブライト500・ネクストブライト1000, beside the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    /// Q33 ≠ 1.
    NotApplied,
    Meets,
    Undetermined,
    Fails,
}

impl GateStatus {
    pub fn label(self) -> &'static str {
        match self {
            GateStatus::NotApplied => "申請しない",
            GateStatus::Meets => "要件を満たす（順位は認定時に発表）",
            GateStatus::Undetermined => "判定できない",
            GateStatus::Fails => "要件を満たさない",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GateStatus::NotApplied => "not_applied",
            GateStatus::Meets => "meets",
            GateStatus::Undetermined => "undetermined",
            GateStatus::Fails => "fails",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Bright {
    pub status: GateStatus,
    /// ①–⑰ passed / unknown, against `needed`.
    pub passed: u32,
    pub unknown: u32,
    pub needed: u32,
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

/// The JSON of `check` for one answers file.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub programme: String,
    pub edition: String,
    pub as_of: NaiveDate,
    pub application_date: ApplicationDate,
    /// The 法人 profile (法人情報, Q1, Q2, Q4): what the book keeps beside the 事業場 profile.
    pub corporation: Corporation,
    /// The track (KK-S1); `null` when Q2/Q4 leave it open (both were evaluated).
    pub track: Option<Track>,
    pub verdict: Verdict,
    /// Each evaluated track (one, or both).
    pub tracks: Vec<TrackResult>,
    /// D14: a 特例 firm that meets the 通常 requirements too (「通常の要件も満たしています」).
    pub also_meets_normal: bool,
    pub bright: Bright,
    pub items: Vec<Item>,
    pub findings: Vec<Finding>,
    pub todo: Vec<Todo>,
    pub deadlines: Vec<Deadline>,
    pub documents: Vec<DocumentToKeep>,
    pub advice: Vec<Advice>,
    /// Information lines (the 特例's note, a provisional 申請日).
    pub notes: Vec<String>,
}

impl Evaluation {
    /// The worst outcome of a rule (fail > unknown > warning > pass), as the grants' cases use.
    pub fn worst(&self, rule: &str) -> Option<Outcome> {
        self.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.outcome)
            .max()
    }

    /// 0 when the requirements are met, else 1 (as the grants: not eligible or incomplete).
    pub fn exit_code(&self) -> i32 {
        if self.verdict.status == Status::Meets {
            0
        } else {
            1
        }
    }

    pub fn item(&self, rule: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.rule == rule)
    }

    /// The count of `rule` on `track`, if it was evaluated.
    pub fn count(&self, rule: &str, track: Track) -> Option<&Count> {
        self.tracks
            .iter()
            .filter(|t| t.track == track)
            .flat_map(|t| &t.counts)
            .find(|c| c.rule == rule)
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
