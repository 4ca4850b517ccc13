//! 健康経営優良法人 as a programme: the commands' view of it ([`Programme`], [`Case`],
//! [`Judgement`]). The answers file goes through the one input boundary: the field walk
//! against a schema generated from the edition's question catalogue (unknown keys with the
//! nearest known one, the line of every value, lenient text, printable text), then the
//! catalogue's own reader ([`super::read`]) for each answer's shape and options.

use super::evaluate::{evaluate, GateStatus, Status};
use super::params::Edition;
use super::rules::When;
use crate::input::book::{BookInput, Client, Record, State};
use crate::input::tree::{self, Node, Value};
use crate::input::{problem, Input, InputError, Problem};
use crate::model::dates::{wareki, wareki_month};
use crate::model::doc::{
    Block, Counts, Dated, DeadlineKind, Explanation, Number, Packet, PacketError, RuleDoc,
    SectionDoc, Summary,
};
use crate::model::findings::{yen, Finding, Outcome};
use crate::model::{DataError, Notice, Written};
use crate::programmes::programme::{Case, Judgement, Programme};
use chrono::NaiveDate;
use serde_json::Value as J;
use std::any::Any;
use std::collections::BTreeMap;

use super::answers::{
    edition, editions, init_extra, names_of, read, schema_of, schema_value, ID, PROFILE_SECTIONS,
};
use super::judged::{when_text, KenkoCase, KenkoJudged};
use std::fmt::Write as _;

/// 健康経営優良法人（中小規模法人部門）.
#[derive(Debug)]
pub struct KenkoProgramme;

/// The programme, for the registry.
pub static PROGRAMME: KenkoProgramme = KenkoProgramme;

impl Programme for KenkoProgramme {
    fn id(&self) -> &'static str {
        ID
    }

    fn name(&self) -> String {
        edition(None)
            .map(|e| e.title.clone())
            .unwrap_or_else(|_| ID.to_string())
    }

    fn short_name(&self) -> &'static str {
        "健康経営"
    }

    fn names(&self) -> Vec<String> {
        let mut n = vec![
            ID.to_string(),
            "健康経営".to_string(),
            "健康経営優良法人".to_string(),
            "kenko-keiei".to_string(),
        ];
        for e in editions() {
            n.extend(names_of(e));
        }
        n
    }

    fn edition_lines(&self, today: NaiveDate) -> Vec<String> {
        editions()
            .iter()
            .map(|e| {
                let deadline = e.params.upload_deadline.value.0;
                format!(
                    "{ID}\t{}\t{ID} {}（{}、アップロード締切 {}）\t{}（確認日 {}）",
                    e.edition,
                    e.edition,
                    e.edition_name,
                    when_text(When::At(deadline)),
                    if today > deadline.date() {
                        "受付終了"
                    } else {
                        "受付中"
                    },
                    wareki(today)
                )
            })
            .collect()
    }

    fn load_data(&self, dirs: &[std::path::PathBuf]) -> Result<(), DataError> {
        super::load::bundled_checked()?;
        init_extra(dirs)
    }

    fn owns(&self, root: &Node) -> bool {
        root.get("programme")
            .and_then(|n| n.as_str())
            .is_some_and(|p| p.trim() == ID)
    }

    fn read(&self, input: Input) -> Result<Box<dyn Case>, InputError> {
        read(input).map(|c| Box::new(c) as Box<dyn Case>)
    }

    fn book_input(&self, client: &Client, index: usize) -> BookInput {
        // The answers file's own facts over the 法人's profile (the file wins).
        let me = &client.claims[index];
        let mut input = Input::of(&me.src);
        let own = std::mem::replace(&mut input.root, Node::new(Value::Table(Vec::new()), 0));
        let mut merged = Node::new(Value::Table(Vec::new()), 0);
        if let Some(p) = &client.profile {
            let profile = input.add_doc(p);
            let sections: Vec<tree::Entry> = profile
                .entries()
                .iter()
                .filter(|e| PROFILE_SECTIONS.contains(&e.key.as_str()))
                .cloned()
                .collect();
            merged = Node {
                value: Value::Table(sections),
                line: 0,
                file: profile.file,
            };
        }
        let mut overridden = Vec::new();
        tree::merge(&mut merged, own, "", &mut overridden);
        input.root = merged;
        BookInput {
            input,
            contradictions: Vec::new(),
            notes: overridden
                .into_iter()
                .map(|p| {
                    format!(
                        "{p} は回答ファイルの値を使いました（{} の値と違います）。",
                        crate::input::book::PROFILE_FILE
                    )
                })
                .collect(),
            derived_from: Vec::new(),
        }
    }

    fn profile_sections(&self) -> &'static [&'static str] {
        &PROFILE_SECTIONS
    }

    fn profile_columns(&self) -> &'static [crate::input::columns::Column] {
        super::profile_columns::COLUMNS
    }

    fn client_name(&self, profile: &Node) -> Option<String> {
        profile
            .at("corporation.name")
            .and_then(|n| n.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn check_profile(&self, input: &Input) -> Vec<Problem> {
        let Ok(ed) = edition(None) else {
            return Vec::new();
        };
        let mut w = input.walk_sections(schema_of(ed), Some(&PROFILE_SECTIONS));
        if let Err(errors) = super::read::read_value(&w.values, ed) {
            for e in errors {
                w.problems.push(problem(&e.path, None, e.message));
            }
        }
        w.settle();
        w.problems
    }

    fn schema_json(&self) -> String {
        let ed = super::load::bundled();
        serde_json::to_string_pretty(&schema_value(ed)).unwrap_or_default()
    }

    fn explain(&self, named: Option<&str>, today: NaiveDate) -> Result<Explanation, String> {
        edition(named).map(|ed| explanation(ed, today))
    }

    fn template(&self) -> String {
        super::schema::template(edition(None).unwrap_or_else(|_| super::load::bundled()))
    }

    fn questionnaire(&self) -> Option<&'static dyn crate::model::interview::Questionnaire> {
        Some(&super::interview::QUESTIONNAIRE)
    }
}

impl Case for KenkoCase {
    fn programme(&self) -> &'static dyn Programme {
        &PROGRAMME
    }

    fn file(&self) -> &str {
        &self.file
    }

    fn notices(&self) -> &[Notice] {
        &self.notices
    }

    fn written(&self) -> &BTreeMap<String, Written> {
        &self.written
    }

    fn round(&self) -> Option<u32> {
        None
    }

    fn judge(self: Box<Self>, today: NaiveDate, _preflight: bool) -> Box<dyn Judgement> {
        let ev = evaluate(self.ed, &self.facts, today);
        Box::new(KenkoJudged { case: *self, ev })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn outcome_mark(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "○",
        Outcome::Fail => "×",
        Outcome::Unknown => "？",
        Outcome::Warning => "△",
        Outcome::Excluded => "－",
    }
}

impl Judgement for KenkoJudged {
    fn case(&self) -> &dyn Case {
        &self.case
    }

    fn eligible(&self) -> Option<bool> {
        match self.ev.verdict.status {
            Status::Meets => Some(true),
            Status::Fails => Some(false),
            Status::Undetermined => None,
        }
    }

    fn complete(&self) -> bool {
        self.ev.exit_code() == 0
    }

    fn verdict_line(&self) -> String {
        format!("{}（{}）", self.ev.verdict.label, self.track_line())
    }

    fn findings(&self) -> &[Finding] {
        &self.ev.findings
    }

    fn human(&self, verbose: bool) -> String {
        human(self, verbose)
    }

    fn json(&self) -> J {
        let mut j = serde_json::to_value(&self.ev).unwrap_or_default();
        if let Some(m) = j.as_object_mut() {
            m.insert("file".into(), J::String(self.case.file.clone()));
            m.insert(
                "notices".into(),
                serde_json::to_value(&self.case.notices).unwrap_or_default(),
            );
            m.insert(
                "facts".into(),
                serde_json::to_value(&self.case.written).unwrap_or_default(),
            );
            // As the grants' JSON says it (the same field names): the last day of the
            // upload, whether it had passed on the check's day, and that day.
            let deadline = self.case.ed.params.upload_deadline.value.0;
            m.insert(
                "edition_status".into(),
                serde_json::json!({
                    "application_closes": deadline.date(),
                    "application_closes_at": deadline,
                    "closed": self.ev.as_of > deadline.date(),
                    "checked_on": self.ev.as_of,
                }),
            );
        }
        j
    }

    fn report_article(&self, state: Option<&str>) -> Result<String, String> {
        super::report::article(self, state, None)
    }

    fn report_article_since(
        &self,
        state: Option<&str>,
        earlier: Option<&dyn Judgement>,
    ) -> Result<String, String> {
        let earlier = earlier.and_then(|e| e.as_any().downcast_ref::<KenkoJudged>());
        super::report::article(self, state, earlier)
    }

    fn changes_since(&self, earlier: &dyn Judgement) -> Vec<String> {
        earlier
            .as_any()
            .downcast_ref::<KenkoJudged>()
            .map(|e| self.changes_from(e))
            .unwrap_or_default()
    }

    fn packet(&self) -> Result<Packet, PacketError> {
        super::transcript::packet(self)
    }

    fn supersedes(&self, earlier: &dyn Judgement) -> bool {
        // A later answers file of the same edition is the same application, answered again
        // (the next visit); another edition is another year's application.
        earlier
            .as_any()
            .downcast_ref::<KenkoJudged>()
            .is_some_and(|e| e.case.ed.edition == self.case.ed.edition)
    }

    fn counts(&self) -> Option<Counts> {
        let group = |c: &super::evaluate::Count| {
            format!(
                "{} {}/{}{}",
                c.label,
                c.passed,
                c.needed,
                if c.unknown > 0 {
                    format!("（不明 {}）", c.unknown)
                } else {
                    String::new()
                }
            )
        };
        // 「通常 必須15/16 2/2 5/2 6/4」: the track, its 必須 items met of all, then each
        // group's passed / needed (「?」: some unanswered).
        let required = |tr: &super::evaluate::TrackResult| {
            let all = self.case.ed.tracks.get(tr.track).required.len();
            let met = all.saturating_sub(tr.required_failed.len() + tr.required_unknown.len());
            (met, all)
        };
        let short = |tr: &super::evaluate::TrackResult| {
            let cells: Vec<String> = tr
                .counts
                .iter()
                .map(|c| {
                    format!(
                        "{}/{}{}",
                        c.passed,
                        c.needed,
                        if c.unknown > 0 { "?" } else { "" }
                    )
                })
                .collect();
            let (met, all) = required(tr);
            format!("{} 必須{met}/{all} {}", tr.track.label(), cells.join(" "))
        };
        let long = |tr: &super::evaluate::TrackResult| {
            let (met, all) = required(tr);
            std::iter::once(format!("必須 {met}/{all}"))
                .chain(tr.counts.iter().map(group))
                .collect::<Vec<_>>()
                .join("、")
        };
        let ev = &self.ev;
        Some(match ev.track {
            Some(t) => {
                let tr = ev.tracks.iter().find(|tr| tr.track == t)?;
                Counts {
                    track: self.track_line(),
                    short: short(tr),
                    long: long(tr),
                }
            }
            None => Counts {
                track: self.track_line(),
                short: "区分未定".into(),
                long: ev
                    .tracks
                    .iter()
                    .map(|tr| format!("{}: {}", tr.track.label(), long(tr)))
                    .collect::<Vec<_>>()
                    .join("／"),
            },
        })
    }

    fn summary(&self) -> Summary {
        let ev = &self.ev;
        let verdict = match ev.verdict.status {
            Status::Meets => "適合",
            Status::Fails => "不適合",
            Status::Undetermined => "判定不能",
        };
        // The track and the counts are the table's (`counts`); the notes say only what the
        // table does not.
        let mut notes = Vec::new();
        if ev.bright.status != GateStatus::NotApplied {
            notes.push(format!("ブライト500: {}", ev.bright.status.label()));
        }
        let mut reasons: Vec<String> = ev.verdict.reasons.clone();
        let blanks: Vec<String> = ev
            .todo
            .iter()
            .filter(|t| t.star || t.fails)
            .map(|t| t.label.clone())
            .collect();
        if !blanks.is_empty() {
            reasons.push(format!("未回答: {}", blanks.join("、")));
        }
        Summary {
            round: None,
            verdict: verdict.into(),
            amount_yen: None,
            window: None,
            deadline: ev
                .application_date
                .provisional
                .then(|| self.case.ed.params.upload_deadline.value.0.date()),
            missing: Vec::new(),
            reasons,
            notes,
        }
    }

    fn deadlines(
        &self,
        state: State,
        _record: &Record,
        _siblings: &[(State, &dyn Judgement)],
        _me: usize,
    ) -> Vec<Dated> {
        if state == State::Refused {
            return Vec::new();
        }
        let short = PROGRAMME.short_name();
        self.ev
            .deadlines
            .iter()
            .map(|d| Dated {
                // A time of day (the upload, the fee) is a deadline; a day or a month is a
                // step to expect (a mail, the results), the retention its own kind.
                kind: if d.rule == "KK-W5" {
                    DeadlineKind::RetentionEnds
                } else if matches!(d.when, When::At(_)) {
                    DeadlineKind::Window
                } else {
                    DeadlineKind::Date
                },
                round: None,
                opens: None,
                closes: d.when.last_day(),
                what: format!("{short} {}: {}（{}）", d.what, when_text(d.when), d.rule),
                extra: String::new(),
            })
            .collect()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `check`'s report for the terminal.
fn human(j: &KenkoJudged, verbose: bool) -> String {
    let ev = &j.ev;
    let ed = j.case.ed;
    let mut s = String::new();
    let _ = writeln!(s, "■ {}", j.case.file);
    let _ = writeln!(s, "  {}", ed.title);
    let _ = writeln!(s, "  判定: {}", ev.verdict.label);
    let _ = writeln!(s, "  区分: {}", j.track_line());
    if ev.also_meets_normal {
        let _ = writeln!(
            s,
            "  （通常の要件も満たしています。認定は特例の区分で公表されます）"
        );
    }
    let app = &ev.application_date;
    let _ = writeln!(
        s,
        "  申請日: {}{}",
        wareki(app.date),
        if app.provisional {
            "（まだアップロードしていないため仮の申請日。dates.uploaded に最後のアップロード日時を書くと確定します）"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "  {}（{}）",
        ev.verdict.disclaimer, ev.verdict.disclaimer_cite
    );
    if let Some(note) = j.closed_note() {
        let _ = writeln!(s, "  ※ {note}");
    }
    for tr in &ev.tracks {
        let _ = writeln!(s, "\n  評価項目の数（{}・{}）:", tr.track.label(), tr.name);
        for c in &tr.counts {
            let marks: String = c
                .items
                .iter()
                .map(|(rule, o)| {
                    let mark = ev
                        .item(rule)
                        .map(|i| i.mark.clone())
                        .unwrap_or_else(|| rule.clone());
                    format!("{mark}{}", outcome_mark(*o))
                })
                .collect::<Vec<_>>()
                .join(" ");
            let _ = writeln!(
                s,
                "    {} {}: {}項目（必要 {}項目{}） {}  {}",
                outcome_mark(c.outcome),
                c.label,
                c.passed,
                c.needed,
                if c.unknown > 0 {
                    format!("、未回答・不明 {}", c.unknown)
                } else {
                    String::new()
                },
                c.outcome.label(),
                marks
            );
        }
        for r in &tr.required_failed {
            let title = ed.rule(r).map(|d| d.title.as_str()).unwrap_or("");
            let _ = writeln!(s, "    × 必須 [{r}] {title}: 不適合");
        }
        for r in &tr.required_unknown {
            let title = ed.rule(r).map(|d| d.title.as_str()).unwrap_or("");
            let _ = writeln!(s, "    ？ 必須 [{r}] {title}: 判定できません");
        }
    }
    if ev.bright.status != GateStatus::NotApplied {
        let _ = writeln!(
            s,
            "\n  ブライト500・ネクストブライト1000: {}（①～⑰ {}項目、必要 {}項目）",
            ev.bright.status.label(),
            ev.bright.passed,
            ev.bright.needed
        );
    }
    let shown: Vec<&Finding> = ev
        .findings
        .iter()
        .filter(|f| verbose || f.outcome != Outcome::Pass)
        .collect();
    let _ = writeln!(
        s,
        "\n  {}（{}件）:",
        if verbose {
            "すべての項目"
        } else {
            "不適合・不明・注意の項目"
        },
        shown.len()
    );
    for f in shown {
        let _ = writeln!(s, "    [{}] {} {}", f.outcome.label(), f.rule, f.title);
        let _ = writeln!(s, "        {}", f.message);
        let _ = writeln!(s, "        出典: {}", f.citation);
    }
    if !ev.todo.is_empty() {
        let labels: Vec<String> = ev.todo.iter().map(|t| t.label.clone()).collect();
        let _ = writeln!(
            s,
            "\n  未回答の設問（{}件）: {}",
            labels.len(),
            labels.join("、")
        );
    }
    if !ev.advice.is_empty() {
        let _ = writeln!(s, "\n  結果を変えるには:");
        for a in &ev.advice {
            let _ = writeln!(s, "    ● {}", a.headline);
            for item in a.items.iter().take(4) {
                for w in item.ways.iter().take(2) {
                    let _ = writeln!(s, "      - {}", w.sentence);
                }
                if let Some(c) = &item.change {
                    let _ = writeln!(s, "      - {c}");
                }
            }
        }
        let _ = writeln!(
            s,
            "    （選択肢ごとの保存資料は report --html と packet の転記表に示します）"
        );
    }
    if !ev.deadlines.is_empty() {
        let _ = writeln!(s, "\n  期限:");
        for d in &ev.deadlines {
            let _ = writeln!(
                s,
                "    {} {}{}",
                when_text(d.when),
                d.what,
                if d.passed {
                    "（過ぎています）"
                } else {
                    ""
                }
            );
        }
    }
    s
}

/// The rules grouped as the workbook states them, for `explain`.
fn explanation(ed: &Edition, today: NaiveDate) -> Explanation {
    let groups: [(&str, &str); 9] = [
        ("KK-E", "申請できる法人と部門（部門区分・Q1～Q4）"),
        ("KK-S", "小規模事業者向け特例"),
        ("KK-R", "必須項目"),
        ("KK-L", "法令遵守・リスクマネジメント（誓約事項）"),
        ("KK-V", "評価項目 ①～⑰"),
        ("KK-C", "項目数の要件"),
        ("KK-B", "ブライト500・ネクストブライト1000"),
        ("KK-W", "期限・申請料・回答の対象期間"),
        ("KK-A", "回答の完全性"),
    ];
    let decision_text = |ids: &[String]| -> Option<String> {
        let texts: Vec<String> = ids
            .iter()
            .filter_map(|id| {
                ed.decisions
                    .iter()
                    .find(|d| d.id == *id)
                    .map(|d| format!("{}（{}）", d.title, d.id))
            })
            .collect();
        (!texts.is_empty()).then(|| texts.join("。"))
    };
    let mut sections = Vec::new();
    for (prefix, heading) in groups {
        let rules: Vec<RuleDoc> = ed
            .rules
            .iter()
            .filter(|r| r.id.starts_with(prefix))
            .map(|r| RuleDoc {
                id: r.id.clone(),
                title: match &r.mark {
                    Some(m) => format!("{m} {}", r.title),
                    None => r.title.clone(),
                },
                cite: r.cite.clone(),
                quote: r.quote.clone(),
                numbers: ed
                    .counts
                    .iter()
                    .filter(|c| c.rule == r.id)
                    .map(|c| Number {
                        label: format!("{}（{}）", c.label, c.track.label()),
                        value: format!("{}項目以上", c.at_least.value),
                        cite: c.at_least.cite.clone(),
                    })
                    .collect(),
                decision: decision_text(&r.decisions),
            })
            .collect();
        if !rules.is_empty() {
            sections.push(SectionDoc {
                heading: heading.into(),
                rules,
            });
        }
    }
    let p = &ed.params;
    let mut tracks = Vec::new();
    for t in super::params::Track::ALL {
        let def = ed.tracks.get(t);
        let counts: Vec<String> = ed
            .counts
            .iter()
            .filter(|c| c.track == t)
            .map(|c| format!("{} {}項目以上", c.label, c.at_least.value))
            .collect();
        tracks.push(format!(
            "{}（{}）: 必須 {}件をすべて、かつ {}",
            t.label(),
            def.name,
            def.required.len(),
            counts.join("、")
        ));
    }
    tracks.push(format!(
        "{}: 通常の必須をすべて、かつ ①～⑰ のうち {}項目以上（順位は認定時に発表され、本ツールでは判定できません）",
        ed.bright.label, ed.bright.at_least.value
    ));
    let block = |heading: &str, lines: Vec<String>, cite: &str| Block {
        heading: heading.into(),
        entry_title: String::new(),
        lines,
        entries: Vec::new(),
        quotes: Vec::new(),
        cite: cite.into(),
    };
    let dates = vec![
        format!(
            "回答の対象期間: {}から申請日まで（設問ごとの例外あり）",
            wareki(p.answer_period_from.value.0)
        ),
        format!(
            "アップロードの締切: {}（延長なし。最後にアップロードしたファイルを審査）",
            when_text(When::At(p.upload_deadline.value.0))
        ),
        format!(
            "受付メール: {}までに届かなければ事務局に問い合わせ",
            wareki(p.receipt_mail_ask_from.value.0)
        ),
        format!(
            "認定申請料 {}円（税込、税抜 {}円）: {}時点の入金確認で審査",
            yen(p.fee_yen.value),
            yen(p.fee_yen_excluding_tax.value),
            when_text(When::At(p.fee_deadline.value.0))
        ),
        format!("結果の通知: {}頃", wareki_month(p.results_month.value)),
        format!(
            "認定の使用期間: {}まで",
            wareki(p.certification_valid_until.value.0)
        ),
        format!(
            "資料の保存: {}まで（申請期間最終日から{}年間）",
            wareki(p.retention_until.value.0),
            p.retention_years.value
        ),
    ];
    let deadline = p.upload_deadline.value.0;
    let period = super::judged::closed_edition(ed, today).unwrap_or_else(|| {
        format!(
            "この版の申請書のアップロード期限は {} です（確認日 {}）。",
            when_text(When::At(deadline)),
            wareki(today)
        )
    });
    Explanation {
        programme: ID.into(),
        // The certification's own name (「健康経営優良法人2026（中小規模法人部門）」): the
        // edition is the workbook of that year.
        name: ed.title.clone(),
        edition: ed.edition.clone(),
        edition_name: "認定申請書".into(),
        guide: format!("{}（{}）", ed.workbook.value, ed.sheet.value),
        guide_short: "申請書".into(),
        status: format!(
            "{period}{}本ツールは回答から認定要件を事前に確かめるもので、認定は日本健康会議の審査で決まります。",
            ed.disclaimer.value.trim_start_matches('※')
        ),
        sections,
        blocks: vec![
            block("認定要件の組み合わせ（区分ごと）", tracks, &ed.tracks.normal.cite),
            block("期限と申請料", dates, &p.upload_deadline.cite),
        ],
        footer: format!(
            "johas-claim explain {ID} --edition {} で作成。数値と設問は版のデータ（editions/{ID}/{}.toml）から読み取っています。",
            ed.edition, ed.edition
        ),
    }
}
