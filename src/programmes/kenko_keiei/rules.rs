//! The rules KK-… of RULES-kenko-keiei.md, one function each, beside the workbook sentence it
//! implements. Each pushes only findings of its own ID (outcome, a Japanese message, the
//! citation and title from the edition data). Numbers, dates and option texts come from the
//! edition; the code knows the question IDs (checked at load, `facts::READS`).
//!
//! Outcomes: `pass` / `fail` / `unknown` / `warning`. A warning names what only the 審査 can
//! judge; it never decides the verdict. A blank answer is `unknown`, never `pass`; it fails
//! only where the workbook says an unwritten field is 不認定 (D17).

use super::facts::{Event, Facts, Moment, INDUSTRY, INDUSTRY_DETAIL, LEGAL_FORM};
use super::params::{Edition, Question, Track};
use crate::model::findings::{yen, Finding, Outcome};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The 申請日 the rules use (D12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ApplicationDate {
    pub date: NaiveDate,
    /// Not yet uploaded: a planned upload date or the 判定日 stands in.
    pub provisional: bool,
    pub source: DateSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// `dates.uploaded`: the last upload.
    Uploaded,
    /// `dates.planned_upload`.
    PlannedUpload,
    /// The day of the check (`--today`).
    AsOf,
}

impl ApplicationDate {
    pub fn of(f: &Facts, as_of: NaiveDate) -> Self {
        if let Some(m) = f.moment("dates.uploaded") {
            ApplicationDate {
                date: m.date,
                provisional: false,
                source: DateSource::Uploaded,
            }
        } else if let Some(d) = f.date("dates.planned_upload") {
            ApplicationDate {
                date: d,
                provisional: true,
                source: DateSource::PlannedUpload,
            }
        } else {
            ApplicationDate {
                date: as_of,
                provisional: true,
                source: DateSource::AsOf,
            }
        }
    }

    /// 「申請日 2025-10-10（アップロード予定日による仮の申請日）」
    pub fn describe(&self) -> String {
        match self.source {
            DateSource::Uploaded => format!("申請日 {}（最後のアップロード）", self.date),
            DateSource::PlannedUpload => {
                format!("申請日 {}（アップロード予定日による仮の申請日）", self.date)
            }
            DateSource::AsOf => format!(
                "申請日 {}（まだアップロードしていないため判定日を仮の申請日としています）",
                self.date
            ),
        }
    }
}

/// When something is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// A date and time (JST).
    At(NaiveDateTime),
    Day(NaiveDate),
    /// Around a month (「2026年3月頃」「11月上旬」).
    Month(crate::model::dates::YearMonth),
}

impl When {
    pub fn last_day(self) -> NaiveDate {
        match self {
            When::At(t) => t.date(),
            When::Day(d) => d,
            When::Month(m) => m.last_day(),
        }
    }

    /// 「2025-10-17 17:00」「2025-10-27」「2026-03頃」
    pub fn describe(self) -> String {
        match self {
            When::At(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            When::Day(d) => d.to_string(),
            When::Month(m) => format!("{m}頃"),
        }
    }
}

/// A date the applicant must know (`deadlines`, `.ics`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub rule: String,
    pub what: String,
    pub when: When,
    pub cite: String,
    /// The day of the check is after it.
    pub passed: bool,
}

/// What a rule reads.
pub struct Ctx<'a> {
    pub ed: &'a Edition,
    pub f: &'a Facts,
    pub as_of: NaiveDate,
    pub app: ApplicationDate,
    /// The track being counted (counting rules), when there is one.
    pub track: Option<Track>,
    /// Both tracks are evaluated (the track is unknown): messages name the track.
    pub both_tracks: bool,
    /// Item rule → its outcome (pass / fail / unknown), for the counting rules.
    pub items: &'a BTreeMap<String, Outcome>,
    /// The 通常 必須 set's status (for KK-B4): the worst outcome, and the rules that are not pass.
    pub normal_required: Option<(Outcome, Vec<String>)>,
}

/// The findings and deadlines the rules produce, with titles and citations from the data.
pub struct Out<'e> {
    ed: &'e Edition,
    pub findings: Vec<Finding>,
    pub deadlines: Vec<Deadline>,
}

impl<'e> Out<'e> {
    pub fn new(ed: &'e Edition) -> Self {
        Out {
            ed,
            findings: Vec::new(),
            deadlines: Vec::new(),
        }
    }

    pub fn push(&mut self, rule: &str, outcome: Outcome, message: impl Into<String>) {
        let def = self.ed.rule(rule);
        self.findings.push(Finding {
            rule: rule.to_string(),
            outcome,
            message: message.into(),
            citation: def.map(|d| d.cite.clone()).unwrap_or_default(),
            title: def.map(|d| d.title.clone()).unwrap_or_default(),
            decision: None,
            item: None,
        });
    }

    /// A finding whose outcome the interpretation decision `d` (D1–D23) decides.
    pub fn decided(&mut self, rule: &str, d: &str, outcome: Outcome, message: impl Into<String>) {
        self.push(rule, outcome, message);
        let text = self
            .ed
            .decision(d)
            .map(|x| format!("{} {}: {}", x.id, x.title, x.text));
        if let Some(f) = self.findings.last_mut() {
            f.decision = text;
        }
    }

    pub fn pass(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Pass, m)
    }
    pub fn fail(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Fail, m)
    }
    pub fn unknown(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Unknown, m)
    }
    pub fn warn(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Warning, m)
    }

    fn deadline(
        &mut self,
        rule: &str,
        what: impl Into<String>,
        when: When,
        cite: &str,
        as_of: NaiveDate,
    ) {
        self.deadlines.push(Deadline {
            rule: rule.to_string(),
            what: what.into(),
            when,
            cite: cite.to_string(),
            passed: as_of > when.last_day(),
        });
    }
}

/// When a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reads the answers.
    Answers,
    /// A counting rule, run once per evaluated track.
    Track,
    /// Reads the 通常 必須 set and the items (KK-B4).
    Gate,
    /// The to-do list (KK-A1), run by `evaluate` after everything else.
    Last,
}

pub type RuleFn = fn(&Ctx, &mut Out);

/// Every rule function by KK ID, in the catalogue's order.
pub const REGISTRY: &[(&str, (Phase, RuleFn))] = &[
    ("KK-E1", (Phase::Answers, kk_e1)),
    ("KK-E2", (Phase::Answers, kk_e2)),
    ("KK-E3", (Phase::Answers, kk_e3)),
    ("KK-E4", (Phase::Answers, kk_e4)),
    ("KK-S1", (Phase::Answers, kk_s1)),
    ("KK-R1", (Phase::Answers, kk_r1)),
    ("KK-R2", (Phase::Answers, kk_r2)),
    ("KK-R3", (Phase::Answers, kk_r3)),
    ("KK-R4", (Phase::Answers, kk_r4)),
    ("KK-R5", (Phase::Answers, kk_r5)),
    ("KK-R6", (Phase::Answers, kk_r6)),
    ("KK-R7", (Phase::Answers, kk_r7)),
    ("KK-R8", (Phase::Answers, kk_r8)),
    ("KK-R9", (Phase::Answers, kk_r9)),
    ("KK-L1", (Phase::Answers, kk_l1)),
    ("KK-L2", (Phase::Answers, kk_l2)),
    ("KK-L3", (Phase::Answers, kk_l3)),
    ("KK-L4", (Phase::Answers, kk_l4)),
    ("KK-L5", (Phase::Answers, kk_l5)),
    ("KK-L6", (Phase::Answers, kk_l6)),
    ("KK-L7", (Phase::Answers, kk_l7)),
    ("KK-L8", (Phase::Answers, kk_l8)),
    ("KK-V1", (Phase::Answers, kk_v1)),
    ("KK-V2", (Phase::Answers, kk_v2)),
    ("KK-V3", (Phase::Answers, kk_v3)),
    ("KK-V4", (Phase::Answers, kk_v4)),
    ("KK-V5", (Phase::Answers, kk_v5)),
    ("KK-V6", (Phase::Answers, kk_v6)),
    ("KK-V7", (Phase::Answers, kk_v7)),
    ("KK-V8", (Phase::Answers, kk_v8)),
    ("KK-V9", (Phase::Answers, kk_v9)),
    ("KK-V10", (Phase::Answers, kk_v10)),
    ("KK-V11", (Phase::Answers, kk_v11)),
    ("KK-V12", (Phase::Answers, kk_v12)),
    ("KK-V13", (Phase::Answers, kk_v13)),
    ("KK-V14", (Phase::Answers, kk_v14)),
    ("KK-V15", (Phase::Answers, kk_v15)),
    ("KK-V16", (Phase::Answers, kk_v16)),
    ("KK-V17", (Phase::Answers, kk_v17)),
    ("KK-C1", (Phase::Track, kk_c1)),
    ("KK-C2", (Phase::Track, kk_c2)),
    ("KK-C3", (Phase::Track, kk_c3)),
    ("KK-C4", (Phase::Track, kk_c4)),
    ("KK-B1", (Phase::Answers, kk_b1)),
    ("KK-B2", (Phase::Answers, kk_b2)),
    ("KK-B3", (Phase::Answers, kk_b3)),
    ("KK-B4", (Phase::Gate, kk_b4)),
    ("KK-B5", (Phase::Answers, kk_b5)),
    ("KK-W1", (Phase::Answers, kk_w1)),
    ("KK-W2", (Phase::Answers, kk_w2)),
    ("KK-W3", (Phase::Answers, kk_w3)),
    ("KK-W4", (Phase::Answers, kk_w4)),
    ("KK-W5", (Phase::Answers, kk_w5)),
    ("KK-W6", (Phase::Answers, kk_w6)),
    ("KK-A1", (Phase::Last, kk_a1)),
    ("KK-A2", (Phase::Answers, kk_a2)),
    ("KK-A3", (Phase::Answers, kk_a3)),
    ("KK-A4", (Phase::Answers, kk_a4)),
];

/// The function of a rule ID.
pub fn function(id: &str) -> Option<(Phase, RuleFn)> {
    REGISTRY.iter().find(|(r, _)| *r == id).map(|(_, f)| *f)
}

pub use super::counts::status;

// ------------------------------------------------------------------------------------------
// Helpers.

fn q<'e>(c: &Ctx<'e>, id: &str) -> &'e Question {
    c.ed.q(id)
}

/// 「1, 7, 11」
fn numbers(s: &BTreeSet<u32>) -> String {
    s.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// 「18「いずれも特に行っていない」」
fn opt_text(qq: &Question, n: u32) -> String {
    match qq.option(n) {
        Some(o) => format!("{n}「{}」", o.text),
        None => n.to_string(),
    }
}

/// Three-valued OR: pass if any passes; fail if all fail; else unknown.
fn any_of(xs: &[Outcome]) -> Outcome {
    if xs.contains(&Outcome::Pass) {
        Outcome::Pass
    } else if xs.iter().all(|x| *x == Outcome::Fail) {
        Outcome::Fail
    } else {
        Outcome::Unknown
    }
}

/// A いくつでも question read as "something is done": pass if an option other than the none
/// option is ticked, fail if only the none option is, unknown if blank. The none option with
/// another is a contradiction (D10): unknown, with a warning quoting both.
fn many_done(c: &Ctx, out: &mut Out, rule: &str, id: &str) -> (Outcome, String) {
    let qq = q(c, id);
    let Some(set) = c.f.many(id) else {
        return (Outcome::Unknown, format!("{} が未回答です", qq.label));
    };
    let none = qq.none;
    let done: BTreeSet<u32> = set.iter().copied().filter(|n| Some(*n) != none).collect();
    match none {
        Some(n) if set.contains(&n) && !done.is_empty() => {
            let others: Vec<String> = done.iter().map(|d| opt_text(qq, *d)).collect();
            out.decided(
                rule,
                "D10",
                Outcome::Warning,
                format!(
                    "{} で {} と {} を同時に選んでいます。矛盾する回答のため、この項目は「不明」とします（事務局は受け付けて判定します）。どちらかに直してください。",
                    qq.label,
                    opt_text(qq, n),
                    others.join("、")
                ),
            );
            (
                Outcome::Unknown,
                format!("{} の回答が矛盾しています", qq.label),
            )
        }
        Some(n) if done.is_empty() => (
            Outcome::Fail,
            format!("{} で {} を選んでいます", qq.label, opt_text(qq, n)),
        ),
        _ => {
            for cau in &qq.cautions {
                let quote = cau.quote.trim_start_matches('◆');
                let said = out
                    .findings
                    .iter()
                    .any(|f| f.rule == rule && f.message.contains(quote));
                if !said && cau.option.is_none_or(|o| done.contains(&o)) {
                    out.warn(
                        rule,
                        format!(
                            "{}: 申請書の注意「{quote}」（{}）。当たるかは審査で確認されます。",
                            qq.label, cau.cite
                        ),
                    );
                }
            }
            (
                Outcome::Pass,
                format!("{} で {} を選んでいます", qq.label, numbers(&done)),
            )
        }
    }
}

/// An evaluation item from one いくつでも question.
fn item_many(c: &Ctx, out: &mut Out, rule: &str, id: &str) {
    let (o, why) = many_done(c, out, rule, id);
    let title =
        c.ed.rule(rule)
            .map(|r| format!("{}{}", r.mark.clone().unwrap_or_default(), r.title))
            .unwrap_or_default();
    match o {
        Outcome::Pass => out.pass(rule, format!("{why}。{title} に適合します。")),
        Outcome::Fail => out.fail(rule, format!("{why}。{title} は評価項目不適合です。")),
        _ => out.unknown(rule, format!("{why}。{title} は判定できません。")),
    }
}

/// 「Q6 が未回答です」-style unknown.
fn blank(c: &Ctx, out: &mut Out, rule: &str, id: &str) {
    let qq = q(c, id);
    out.unknown(
        rule,
        format!("{}（{}）が未回答のため判定できません。", qq.label, qq.key),
    );
}

fn yes_no(c: &Ctx, out: &mut Out, rule: &str, id: &str, good: bool, yes: &str, no: &str) {
    let qq = q(c, id);
    match c.f.boolean(id) {
        Some(v) if v == good => out.pass(rule, yes),
        Some(_) => out.fail(rule, no),
        None => out.unknown(
            rule,
            format!(
                "{}（{}）が書かれていないため判定できません。",
                qq.label, qq.key
            ),
        ),
    }
}

/// The 業種 label of Q2(b).
fn industry_label(c: &Ctx, n: u32) -> String {
    q(c, INDUSTRY)
        .option(n)
        .map(|o| o.text.clone())
        .unwrap_or_else(|| n.to_string())
}

/// 「会社法上の会社等」 (the option's text without its parenthesised examples).
fn form_label(c: &Ctx, n: u32) -> String {
    q(c, LEGAL_FORM)
        .option(n)
        .map(|o| {
            o.text
                .split('（')
                .next()
                .unwrap_or(&o.text)
                .trim()
                .to_string()
        })
        .unwrap_or_else(|| n.to_string())
}

fn man_yen(n: i64) -> String {
    if n % 100_000_000 == 0 {
        format!("{}億円", n / 100_000_000)
    } else if n % 10_000 == 0 {
        format!("{}万円", yen(n / 10_000))
    } else {
        format!("{}円", yen(n))
    }
}

/// The (法人格, 業種) pairs consistent with the answers: one when both are known (or the 業種
/// is not asked), several while Q2 is blank.
fn candidates(c: &Ctx) -> Vec<(u32, Option<u32>)> {
    let forms: Vec<u32> = match c.f.one(LEGAL_FORM) {
        Some(f) => vec![f],
        None => q(c, LEGAL_FORM).options.iter().map(|o| o.n).collect(),
    };
    let mut out = Vec::new();
    for f in forms {
        if c.ed.needs_industry(f) {
            match c.f.one(INDUSTRY) {
                Some(i) => out.push((f, Some(i))),
                None => out.extend(q(c, INDUSTRY).options.iter().map(|o| (f, Some(o.n)))),
            }
        } else {
            out.push((f, None));
        }
    }
    out
}

/// The 中小 size check for one (法人格, 業種).
fn size_ok(c: &Ctx, form: u32, industry: Option<u32>) -> Outcome {
    let Some(row) = c.ed.size_row(form, industry) else {
        return Outcome::Unknown;
    };
    let Some(e) = c.f.employees_total() else {
        return Outcome::Unknown;
    };
    if e < c.ed.size.min_employees.value {
        return Outcome::Fail;
    }
    if e <= row.max_employees.value {
        return Outcome::Pass;
    }
    match (
        &row.max_capital_yen,
        c.ed.size.capital_forms.value.contains(&form),
    ) {
        (Some(cap), true) => match c.f.int(super::facts::CAPITAL) {
            Some(k) if k <= cap.value => Outcome::Pass,
            Some(_) => Outcome::Fail,
            None => Outcome::Unknown,
        },
        _ => Outcome::Fail,
    }
}

/// The tracks consistent with the answers (KK-S1): one, or both while Q2/Q4 leave it open.
pub fn possible_tracks(ed: &Edition, f: &Facts) -> Vec<Track> {
    let items = BTreeMap::new();
    let c = Ctx {
        ed,
        f,
        as_of: NaiveDate::MIN,
        app: ApplicationDate::of(f, NaiveDate::MIN),
        track: None,
        both_tracks: false,
        items: &items,
        normal_required: None,
    };
    let mut set = BTreeSet::new();
    let total = f.employees_total();
    for (form, ind) in candidates(&c) {
        match (total, ed.tokurei_row(form, ind)) {
            (Some(e), Some(row)) if e <= row.max_employees.value => set.insert(Track::Tokurei),
            (Some(_), Some(_)) => set.insert(Track::Normal),
            _ => {
                set.insert(Track::Normal);
                set.insert(Track::Tokurei)
            }
        };
    }
    set.into_iter().collect()
}

// ------------------------------------------------------------------------------------------
// 部門区分 (KK-E*, KK-S1)

/// 【当申請Q2の法人格の分類が「1.会社法上の会社等」または「2.士業法人」の場合】中小規模法人部門
/// （いずれかに該当すること）: 従業員数 1人以上…人以下 / 資本金または出資金額 …以下.
/// 「1.会社法上の会社等」「2.士業法人」以外の法人については、従業員数のみで区分されます。
/// ※業種・従業員数は、当申請Q2およびQ4の回答内容で確認します。
pub fn kk_e1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-E1";
    if c.f.boolean("facts.without_legal_personality") == Some(true) {
        return out.decided(R, "D16", Outcome::Fail, "法人格がない（個人事業主・任意団体）ため、Q2(a) の法人格に当てはまらず申請できません。");
    }
    let total = c.f.employees_total();
    let cands = candidates(c);
    let results: Vec<Outcome> = cands.iter().map(|(f, i)| size_ok(c, *f, *i)).collect();
    let all = |o: Outcome| results.iter().all(|r| *r == o);
    let min = c.ed.size.min_employees.value;
    let who = match (c.f.one(LEGAL_FORM), c.f.one(INDUSTRY)) {
        (Some(f), Some(i)) if c.ed.needs_industry(f) => format!(
            "法人格 {f}（{}）・業種 {i}（{}）",
            form_label(c, f),
            industry_label(c, i)
        ),
        (Some(f), _) => format!("法人格 {f}（{}）", form_label(c, f)),
        (None, _) => "法人格（Q2(a) 未回答）".into(),
    };
    if all(Outcome::Pass) {
        let e = total.unwrap_or_default();
        let (f, i) = cands[0];
        let row = c.ed.size_row(f, i);
        let msg = match row {
            Some(r) if cands.len() == 1 && e > r.max_employees.value => format!(
                "{who}: 従業員 {e}人 は {}人を超えますが、資本金・出資総額 {} が {} 以下のため、中小規模法人部門に当たります（いずれかに該当すること）。",
                r.max_employees.value,
                man_yen(c.f.int(super::facts::CAPITAL).unwrap_or_default()),
                man_yen(r.max_capital_yen.as_ref().map(|x| x.value).unwrap_or_default())
            ),
            Some(r) if cands.len() == 1 => format!("{who}: 従業員 {e}人 は {min}～{}人 のため、中小規模法人部門に当たります。", r.max_employees.value),
            _ => format!("従業員 {e}人 は、どの法人格・業種でも中小規模法人部門の範囲です。"),
        };
        out.pass(R, msg);
    } else if total == Some(0) {
        out.decided(R, "D4", Outcome::Fail, format!("Q4 の従業員（①～④の合計）が0人です。中小規模法人部門の従業員数は {min}人以上のため、申請できません。"));
    } else if all(Outcome::Fail) {
        let e = total.unwrap_or_default();
        let (f, i) = cands[0];
        let msg = match c.ed.size_row(f, i) {
            Some(r) if cands.len() == 1 => match (&r.max_capital_yen, c.f.int(super::facts::CAPITAL)) {
                (Some(cap), Some(k)) => format!(
                    "{who}: 従業員 {e}人 は {}人を超え、資本金・出資総額 {} も {} を超えるため、中小規模法人部門に当たりません（大規模法人部門です）。",
                    r.max_employees.value, man_yen(k), man_yen(cap.value)
                ),
                _ => format!("{who}: 従業員 {e}人 は {}人を超えるため、中小規模法人部門に当たりません（従業員数のみで区分されます）。", r.max_employees.value),
            },
            _ => format!("従業員 {e}人 は、どの法人格・業種でも中小規模法人部門の範囲を超えます。"),
        };
        out.fail(R, msg);
    } else {
        let mut missing = Vec::new();
        if total.is_none() {
            missing.push("Q4 の①～④（corporation.employees.*）");
        }
        if c.f.one(LEGAL_FORM).is_none() {
            missing.push("Q2(a) 法人格（corporation.legal_form）");
        }
        if c.f.one(LEGAL_FORM).is_none_or(|f| c.ed.needs_industry(f)) && c.f.one(INDUSTRY).is_none()
        {
            missing.push("Q2(b) 業種（corporation.industry）");
        }
        if results.iter().any(|r| *r == Outcome::Unknown)
            && total.is_some()
            && c.f.int(super::facts::CAPITAL).is_none()
        {
            missing.push("Q4 SQ1 資本金または出資総額（corporation.capital_yen）");
        }
        out.unknown(
            R,
            format!(
                "{} が未回答のため、中小規模法人部門に当たるか判定できません。",
                missing.join("、")
            ),
        );
    }
    // D21: Q2(c) belongs to another 業種 under L265–271.
    if let (Some(i), Some(d)) = (c.f.one(INDUSTRY), c.f.one(INDUSTRY_DETAIL)) {
        let det = q(c, INDUSTRY_DETAIL);
        if let Some(o) = det.option(d) {
            if let Some(h) = o.industry.filter(|h| *h != i) {
                out.decided(
                    R,
                    "D21",
                    Outcome::Warning,
                    format!(
                        "Q2(b) は {i}（{}）ですが、Q2(c) の {d}（{}）は日本標準産業分類の表（L265–271）では {h}（{}）に当たります。業種を確かめてください（規模の上限が変わることがあります）。",
                        industry_label(c, i), o.text, industry_label(c, h)
                    ),
                );
            }
        }
    }
}

/// ★Q3 当申請における回答範囲: 1 法人全体; 2 地方公共団体の一部組織（Q2(a)=6 のみ）; 3 一部事業場のみ
/// （認定要件を満たしませんのでご注意ください）. ◆2法人以上を合計しての回答…は認められません。
pub fn kk_e2(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-E2";
    if c.f.boolean("facts.group_total") == Some(true) {
        return out.fail(R, "2法人以上を合計して回答しています（グループ会社の合算）。中小規模法人部門では認められません。");
    }
    match c.f.one(super::facts::SCOPE) {
        None => blank(c, out, R, super::facts::SCOPE),
        Some(1) => out.pass(R, "Q3: 法人全体での回答です。"),
        Some(2) => match (c.f.one(LEGAL_FORM), c.f.text("scope.departments")) {
            (Some(6), Some(d)) => out.pass(R, format!("Q3: 地方公共団体の一部組織（{d}）での回答です（地方公共団体向け特例）。")),
            (Some(6), None) => blank(c, out, R, "scope.departments"),
            _ => out.unknown(R, "Q3 = 2 は Q2(a) が 6（地方公共団体）の場合のみ選べます。Q2(a) が未回答のため判定できません。"),
        },
        Some(n) => out.fail(R, format!("Q3 で {} を選んでいます。一部事業場のみの回答は認定要件を満たしません。", opt_text(q(c, super::facts::SCOPE), n))),
    }
}

/// ※ 大規模法人部門・中小規模法人部門の両部門に申請することはできません。両部門に申請があった場合、
/// いずれの部門においても健康経営優良法人に認定されません。
pub fn kk_e3(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-E3";
    match c.f.boolean("facts.applied_large_too") {
        Some(true) => out.fail(
            R,
            "大規模法人部門にも申請しています。両部門に申請するといずれの部門でも認定されません。",
        ),
        Some(false) => out.pass(R, "大規模法人部門には申請していません。"),
        None => {
            let large = candidates(c).into_iter().any(|(f, i)| {
                c.ed.size_row(f, i).is_some_and(|r| {
                    c.f.employees_total()
                        .is_some_and(|e| e > r.max_employees.value)
                })
            });
            let extra = if large {
                "従業員数は大規模法人部門の範囲でもあるため、特に確かめてください（L232）。"
            } else {
                ""
            };
            out.warn(R, format!("大規模法人部門（健康経営度調査）に申請していないことを確かめてください（facts.applied_large_too）。両部門に申請するといずれの部門でも認定されません。{extra}"))
        }
    }
}

fn digits(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// ★Q1 加入保険者: ◆加入保険者への照会に使用するため、加入保険者・番号等に記載不備がある場合は不認定
/// となります。SQ1a 支部名と健康保険証の記号（7桁または8桁の番号、船員保険は10桁の番号）; SQ1b 組合名・
/// 連合会名・保険者番号（先頭0除く）; SQ1c 組合名（正式名称）.
pub fn kk_e4(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-E4";
    let p = &c.ed.params;
    let Some(kind) = c.f.one("insurer.kind") else {
        return out.decided(
            R,
            "D17",
            Outcome::Fail,
            "Q1（加入保険者の種別）が未記入です。記載不備は不認定となります（L786）。",
        );
    };
    let mut problems = Vec::new();
    let mut warn = Vec::new();
    let need = |id: &str, problems: &mut Vec<String>| -> Option<String> {
        match c.f.text(id) {
            Some(t) => Some(t.to_string()),
            None => {
                let qq = q(c, id);
                problems.push(format!("{}（{}）が未記入です", qq.label, qq.key));
                None
            }
        }
    };
    match kind {
        1 => {
            let branch = need("insurer.kyokai_branch", &mut problems);
            if let Some(sym) = need("insurer.kyokai_symbol", &mut problems) {
                let d = digits(&sym);
                let seamen = branch.as_deref().is_some_and(|b| b.contains("船員"));
                let ok = d.chars().all(|c| c.is_ascii_digit())
                    && if seamen {
                        d.len() == p.seamen_symbol_digits.value
                    } else {
                        p.kyokai_symbol_digits.value.contains(&d.len())
                    };
                if !ok {
                    problems.push(format!(
                        "健康保険証の記号「{sym}」は{}桁の数字ではありません",
                        if seamen {
                            p.seamen_symbol_digits.value.to_string()
                        } else {
                            p.kyokai_symbol_digits
                                .value
                                .iter()
                                .map(|n| n.to_string())
                                .collect::<Vec<_>>()
                                .join("または")
                        }
                    ));
                }
            }
        }
        2 => {
            need("insurer.kenpo_name", &mut problems);
            need("insurer.kenpo_federation", &mut problems);
            if let Some(num) = need("insurer.kenpo_number", &mut problems) {
                let d = digits(&num);
                if !d.chars().all(|c| c.is_ascii_digit()) || d.is_empty() {
                    problems.push(format!("保険者番号「{num}」が数字ではありません"));
                } else if d.starts_with('0') {
                    warn.push(format!(
                        "保険者番号「{num}」は先頭の0を除いて記入します（L831）"
                    ));
                } else if d.len() != 7 {
                    warn.push(format!("保険者番号「{num}」は{}桁です。健康保険組合の保険者番号（8桁）から先頭の0を除くと7桁になります。保険証と照らしてください", d.len()));
                }
            }
        }
        _ => {
            need("insurer.other_name", &mut problems);
        }
    }
    for w in warn {
        out.warn(R, format!("{w}。"));
    }
    if problems.is_empty() {
        out.pass(
            R,
            format!(
                "Q1: {} の名称・番号等が記入されています。",
                opt_text(q(c, "insurer.kind"), kind)
            ),
        );
        out.warn(R, "加入保険者・番号等は保険者への照会に使われます。健康保険証のとおりか確かめてください（記載不備は不認定、L786）。");
    } else {
        out.decided(
            R,
            "D17",
            Outcome::Fail,
            format!(
                "Q1 の記載不備: {}。加入保険者・番号等に記載不備がある場合は不認定となります。",
                problems.join("、")
            ),
        );
    }
}

/// ※小規模事業者向け特例の対象法人は、当申請Q2およびQ4の回答内容で自動判定されます。
/// 【対象法人の要件】会社法上の会社等: 卸売業・小売業・サービス業 5人以下、製造業その他 20人以下;
/// 会社法上の会社等以外の法人 5人以下. (D3: 士業法人は「以外の法人」.)
pub fn kk_s1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-S1";
    let tracks = possible_tracks(c.ed, c.f);
    let total = c.f.employees_total();
    let form = c.f.one(LEGAL_FORM);
    let limit = form.and_then(|f| {
        let i = if c.ed.needs_industry(f) {
            c.f.one(INDUSTRY)
        } else {
            None
        };
        c.ed.tokurei_row(f, i).map(|r| r.max_employees.value)
    });
    let note = format!(
        "特例は「{}」。{}",
        c.ed.tokurei.note.value, c.ed.tokurei.published.value
    );
    match tracks.as_slice() {
        [Track::Tokurei] => {
            let m = format!(
                "従業員 {}人 は特例の上限 {}人以下のため、小規模事業者向け特例で判定します（自動判定）。{note}",
                total.unwrap_or_default(),
                limit.map(|l| l.to_string()).unwrap_or_else(|| "（どの法人格・業種でも）".into())
            );
            if form == Some(2) {
                out.decided(R, "D3", Outcome::Pass, m);
            } else {
                out.pass(R, m);
            }
        }
        [Track::Normal] => {
            let m = format!(
                "従業員 {}人 は特例の上限 {}人を超えるため、中小規模法人部門（通常）の要件で判定します。",
                total.unwrap_or_default(),
                limit.map(|l| l.to_string()).unwrap_or_else(|| "（どの法人格・業種でも）".into())
            );
            if form == Some(2) {
                out.decided(R, "D3", Outcome::Pass, m);
            } else {
                out.pass(R, m);
            }
        }
        _ => out.unknown(
            R,
            "Q2（法人格・業種）または Q4（従業員数）が未回答のため、通常か特例かが決まりません。通常・特例の両方で判定し、両方が同じ結論のときだけ結論を出します。",
        ),
    }
}

// ------------------------------------------------------------------------------------------
// 必須項目 (KK-R*)

/// Whether the 加入保険者 is 「東京都に所在」 as far as Q1 shows (協会けんぽ東京支部、東京の連合会).
fn insurer_in_tokyo(c: &Ctx) -> Option<bool> {
    match c.f.one("insurer.kind")? {
        1 => {
            c.f.text("insurer.kyokai_branch")
                .map(|b| b.contains("東京"))
        }
        2 => {
            c.f.text("insurer.kenpo_federation")
                .map(|b| b.contains("東京"))
        }
        _ => None,
    }
}

/// ★Q6 健康宣言: 原則、保険者の健康宣言事業への参加が必須…加入している保険者が健康宣言事業を実施して
/// いない場合に限り、各自治体…または、自社独自の健康宣言…をもって代替することを可能とします。
/// 協会けんぽ・健康保険組合の場合は「3」「4」を選択すると不適合。5 ⇒健康経営優良法人不認定.
pub fn kk_r1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R1";
    let qq = q(c, "declaration");
    let Some(a) = c.f.one("declaration") else {
        return blank(c, out, R, "declaration");
    };
    let kind = c.f.one("insurer.kind");
    match a {
        5 => {
            return out.fail(
                R,
                format!(
                    "Q6 で {} を選んでいます（⇒健康経営優良法人不認定）。",
                    opt_text(qq, 5)
                ),
            )
        }
        3 | 4 => {
            if let Some(k @ (1 | 2)) = kind {
                return out.fail(R, format!(
                    "Q6 = {a} ですが、加入保険者は {} です。協会けんぽ・健康保険組合は健康宣言事業を実施しているため、選択肢「3」「4」は不適合です（L967–968）。",
                    q(c, "insurer.kind").option_label(k)
                ));
            }
            if kind.is_none() {
                return out.unknown(R, "Q6 = 3・4（保険者が健康宣言事業を実施していない場合）は加入保険者の種別で決まりますが、Q1 が未回答です。");
            }
            match c.f.boolean("facts.insurer_runs_declaration") {
                Some(true) => return out.fail(R, "加入保険者が健康宣言事業を実施しているため、自治体・自社の健康宣言では代替できません（L965）。"),
                Some(false) => {}
                None => out.warn(R, "選択肢「3」「4」は加入保険者が健康宣言事業を実施していない場合に限ります（L965）。加入保険者に確かめてください（facts.insurer_runs_declaration）。"),
            }
            if a == 3 {
                match c.f.boolean("facts.declaration_joint") {
                    Some(true) => return out.fail(R, "自治体と保険者が共同で実施している健康宣言事業は、加入保険者の事業への参加の扱いのため、選択肢「3」は不適合です（L970）。"),
                    Some(false) => {}
                    None => out.warn(R, "自治体と保険者が共同で実施している健康宣言事業の場合、選択肢「3」は不適合です（L970）。共同実施でないか確かめてください（facts.declaration_joint）。"),
                }
                if c.f.is_blank("declaration.municipal_programme") {
                    return blank(c, out, R, "declaration.municipal_programme");
                }
            } else {
                let (o, why) = many_done(c, out, R, "declaration.own_contents");
                match o {
                    Outcome::Fail => return out.fail(R, format!("{why}。自社の健康宣言は「1」～「3」のいずれかを含めて策定していることが要件です（L1030）。")),
                    Outcome::Unknown => return out.unknown(R, format!("{why}。")),
                    _ => {}
                }
                if c.f.is_blank("declaration.own_text") {
                    return blank(c, out, R, "declaration.own_text");
                }
            }
        }
        2 => {
            if c.f.is_blank("declaration.prev_insurer") {
                return out.decided(R, "D17", Outcome::Fail, "Q6 = 2 ですが SQ1 の以前の加入保険者名が未記入です。記載内容に不備があり照会できない場合は不認定です（L990）。");
            }
            if c.f.is_blank("declaration.prev_symbol") && c.f.is_blank("declaration.prev_number") {
                return out.decided(R, "D17", Outcome::Fail, "Q6 = 2 ですが SQ1 の健康保険証の記号（または保険者番号）が未記入です。記載内容に不備があり照会できない場合は不認定です（L990）。");
            }
            let from = c.ed.params.insurer_change_from.value.0;
            match c.f.date("facts.insurer_changed_on") {
                Some(d) if d < from => return out.fail(R, format!("加入保険者の変更日 {d} は {from} より前のため、選択肢「2」に当たりません（L977）。")),
                Some(_) => {}
                None => out.warn(R, format!("選択肢「2」は {from} 以降に加入保険者を変更した場合です。変更日を確かめてください（facts.insurer_changed_on）。")),
            }
        }
        _ => {}
    }
    // D20: some Tokyo insurers require the 銀の認定.
    match (c.f.boolean("facts.insurer_requires_silver"), c.f.boolean("facts.silver_obtained")) {
        (Some(true), Some(false)) => {
            return out.decided(R, "D20", Outcome::Fail, "加入保険者が健康企業宣言の「銀の認定」を要件としており、取得していないため、選択肢「5」に当たり不適合です（L969）。");
        }
        (Some(true), None) => out.decided(R, "D20", Outcome::Warning, "加入保険者が「銀の認定」を要件としています。取得したか確かめてください（facts.silver_obtained、L969）。"),
        (None, _) if insurer_in_tokyo(c) == Some(true) => out.decided(R, "D20", Outcome::Warning, "東京都の保険者には健康企業宣言の「銀の認定」を申請の要件とするところがあります（L969）。加入保険者に確かめてください（facts.insurer_requires_silver）。"),
        _ => {}
    }
    out.pass(R, format!("Q6 = {}。", opt_text(qq, a)));
    out.warn(R, "健康宣言事業への参加は加入保険者への照会で確認されます。保険者から送られる宣言書の写し等を保存してください。");
}

fn declaration_sq(c: &Ctx, out: &mut Out, rule: &str, id: &str, what: &str) {
    match c.f.one("declaration") {
        None => blank(c, out, rule, "declaration"),
        Some(5) => {}
        Some(_) => {
            let (o, why) = many_done(c, out, rule, id);
            match o {
                Outcome::Pass => out.pass(rule, format!("{why}（健康宣言の{what}）。")),
                Outcome::Fail => out.fail(rule, format!("{why}（⇒健康経営優良法人不認定）。")),
                _ => out.unknown(rule, format!("{why}。")),
            }
        }
    }
}

/// ★Q6 SQ5 健康宣言をどのように社内に発信していますか。8 特に社内向けに周知・発信していない… ⇒不認定
pub fn kk_r2(c: &Ctx, out: &mut Out) {
    declaration_sq(c, out, "KK-R2", "declaration.internal", "社内発信");
}

/// ★Q6 SQ6 健康宣言をどのように社外に発信していますか。7 特に社外向けに周知・発信していない ⇒不認定
pub fn kk_r3(c: &Ctx, out: &mut Out) {
    declaration_sq(c, out, "KK-R3", "declaration.external", "社外発信");
}

/// ★Q7 貴法人の経営者は、2024年4月1日以降に健康診断（人間ドック等を含む）を受診していますか。
/// SQ1 1 療養中といった真にやむを得ない理由; 2 ⇒健康経営優良法人不認定.
pub fn kk_r4(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R4";
    let from = c.ed.params.executive_checkup_from.value.0;
    match c.f.one("executive_checkup") {
        None => blank(c, out, R, "executive_checkup"),
        Some(1) => match c.f.date("facts.executive_checkup_on") {
            Some(d) if d < from => out.fail(R, format!("経営者の健診受診日 {d} は {from} より前です。{from} 以降の受診が必要です（回答の対象期間、KK-W3）。")),
            Some(d) if d > c.app.date => out.warn(R, format!("経営者の健診受診日 {d} が{}より後です。申請日までに受診したものだけが対象です。", c.app.describe())),
            Some(d) => out.pass(R, format!("経営者は {d} に健康診断を受診しています。")),
            None => out.pass(R, format!("Q7 = 1: 経営者（複数名いる場合は全員）が {from} 以降に健康診断を受診しています。")),
        },
        Some(_) => match c.f.one("executive_checkup.reason") {
            None => blank(c, out, R, "executive_checkup.reason"),
            Some(1) => {
                out.pass(R, "Q7 = 2（受診していない）ですが、SQ1 = 1（療養中といった真にやむを得ない理由）です。");
                out.warn(R, "「真にやむを得ない理由」に当たるかは審査で判断されます。新型コロナウイルス感染症の流行は該当しません（L1086）。");
            }
            Some(_) => out.fail(R, "Q7 = 2（受診していない）で、SQ1 = 2（「1」以外の理由・特に理由はない）です（⇒健康経営優良法人不認定）。"),
        },
    }
}

/// ★Q8 各事業場に健康づくり担当者を設置していますか。2 ⇒不認定; ★SQ1 9 特に行っていない ⇒不認定.
pub fn kk_r5(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R5";
    match c.f.one("health_promoter") {
        None => blank(c, out, R, "health_promoter"),
        Some(1) => {
            let (o, why) = many_done(c, out, R, "health_promoter.tasks");
            match o {
                Outcome::Pass => out.pass(
                    R,
                    format!("全ての事業場に健康づくり担当者を設置し、{why}。"),
                ),
                Outcome::Fail => out.fail(R, format!("{why}（⇒健康経営優良法人不認定）。")),
                _ => out.unknown(R, format!("{why}。")),
            }
        }
        Some(n) => out.fail(
            R,
            format!(
                "Q8 で {} を選んでいます（⇒健康経営優良法人不認定）。",
                opt_text(q(c, "health_promoter"), n)
            ),
        ),
    }
}

/// ★Q9 加入している保険者に対して、40歳以上の従業員の健康診断のデータを提供していますか。
/// 6 データの提供について保険者に意思表示をしていない ⇒不認定. (必須: 保存資料表 L2719, D7.)
pub fn kk_r6(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R6";
    let qq = q(c, "checkup_data");
    match c.f.one("checkup_data") {
        None => blank(c, out, R, "checkup_data"),
        Some(n) if Some(n) == qq.none => out.decided(
            R,
            "D7",
            Outcome::Fail,
            format!(
                "Q9 で {} を選んでいます（⇒健康経営優良法人不認定）。",
                opt_text(qq, n)
            ),
        ),
        Some(n) => {
            out.pass(R, format!("Q9 = {}。", opt_text(qq, n)));
            out.warn(
                R,
                "加入している保険者にデータ提供（同意書）の有無が確認されます（L1158）。",
            );
        }
    }
}

/// ★Q10 自社従業員の健康課題を踏まえ、健康経営施策の具体的な推進計画等を定めていますか。
/// 2 ⇒健康経営優良法人不認定（小規模事業者特例の場合は評価項目不適合）; ★SQ1–SQ7; SQ7 7 ⇒同.
pub fn kk_r7(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R7";
    match c.f.one("plan") {
        None => blank(c, out, R, "plan"),
        Some(2) => out.fail(R, "Q10 = 2（特に定めていない・定めていない項目がある）です（⇒健康経営優良法人不認定、特例では評価項目不適合）。"),
        Some(_) => {
            if c.f.one("plan.owner") == Some(7) {
                return out.fail(R, "Q10 SQ7 = 7（取り組みの実行責任者はいない）です（⇒健康経営優良法人不認定、特例では評価項目不適合）。");
            }
            let missing: Vec<String> = c
                .ed
                .questions
                .iter()
                .filter(|x| x.star && x.id.starts_with("plan.") && c.f.is_blank(&x.id))
                .map(|x| x.label.clone())
                .collect();
            if !missing.is_empty() {
                return out.unknown(R, format!("推進計画の {} が未回答のため判定できません。", missing.join("、")));
            }
            out.pass(R, "Q10 = 1: 推進計画（課題・取り組み・目標と年度・進捗・指標・実行責任者）が記入されています。");
            out.warn(R, "SQ3 の取り組み・SQ6 の指標は補足説明の「認められない例」（1人当たりの医療費、傷病手当金申請日数、月80時間を超える時間外労働の是正、法定の年5日の有給休暇など）に当たらないか審査されます（L450–494）。SQ5: 申請日時点で何らか実施されていない取り組みは認められません。");
        }
    }
}

/// ★Q31 全事業場の禁煙の状況: 1–4 適合; 5 適合要件に満たない事業場がある ⇒不認定; 6 答えたくない ⇒不認定.
pub fn kk_r8(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R8";
    let qq = q(c, "passive_smoking");
    match c.f.one("passive_smoking") {
        None => blank(c, out, R, "passive_smoking"),
        Some(n) if qq.option(n).is_some_and(|o| o.marker.is_some()) => out.decided(
            R,
            "D7",
            Outcome::Fail,
            format!(
                "Q31 で {} を選んでいます（⇒健康経営優良法人不認定）。",
                opt_text(qq, n)
            ),
        ),
        Some(n) => out.pass(R, format!("Q31 = {}。", opt_text(qq, n))),
    }
}

/// ★Q32 健康経営の取り組みをどのように評価していますか。5 ⇒不認定; ★SQ1 評価をもとにどのような改善を
/// 行っていますか。5 特に改善を実施していない ⇒不認定.
pub fn kk_r9(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-R9";
    let (a, why_a) = many_done(c, out, R, "evaluation");
    match a {
        Outcome::Fail => out.fail(R, format!("{why_a}（⇒健康経営優良法人不認定）。")),
        Outcome::Unknown => out.unknown(R, format!("{why_a}。")),
        _ => {
            let (b, why_b) = many_done(c, out, R, "evaluation.improvement");
            match b {
                Outcome::Pass => out.pass(R, format!("{why_a}、{why_b}。")),
                Outcome::Fail => out.fail(R, format!("{why_b}（⇒健康経営優良法人不認定）。")),
                _ => out.unknown(R, format!("{why_b}。")),
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// 誓約事項 (KK-L*)

/// 以下の誓約事項を確認し、誓約日および誓約者の役職と氏名をご記入ください。また…代表となる従業員名も
/// ご記入ください。※記入していない場合は、健康経営優良法人2026認定の対象になりません。
pub fn kk_l1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-L1";
    let mut missing = Vec::new();
    for id in [
        "pledge.date",
        "pledge.signer_title",
        "pledge.signer_name",
        "pledge.employee_representative",
    ] {
        if c.f.is_blank(id) {
            let qq = q(c, id);
            missing.push(format!("{}（{}）", qq.label, qq.key));
        }
    }
    if !missing.is_empty() {
        return out.decided(
            R,
            "D17",
            Outcome::Fail,
            format!(
                "誓約の {} が未記入です。記入していない場合は認定の対象になりません（L702）。",
                missing.join("、")
            ),
        );
    }
    let d = c.f.date("pledge.date").unwrap_or(c.as_of);
    let year = c.ed.params.pledge_year.value;
    if chrono::Datelike::year(&d) != year {
        return out.decided(
            R,
            "D12",
            Outcome::Fail,
            format!(
                "誓約日 {d} は {year}年の日付ではありません（様式「誓約日：{year} 年 月 日」）。"
            ),
        );
    }
    if d > c.app.date {
        if c.app.provisional {
            return out.decided(R, "D12", Outcome::Warning, format!("誓約日 {d} が{}より後です。誓約日はアップロード（申請日）より後にはできません。", c.app.describe()));
        }
        return out.decided(
            R,
            "D12",
            Outcome::Fail,
            format!("誓約日 {d} が{}より後です。", c.app.describe()),
        );
    }
    out.pass(
        R,
        format!(
            "誓約日 {d}、誓約者 {} {}、従業員代表 {} が記入されています。",
            c.f.text("pledge.signer_title").unwrap_or_default(),
            c.f.text("pledge.signer_name").unwrap_or_default(),
            c.f.text("pledge.employee_representative")
                .unwrap_or_default()
        ),
    );
}

/// 誓約1: 申請者は…職場の労働安全衛生の確立のための必要な措置、労働災害を防止するための具体的な措置を
/// 講じ…ていること。
pub fn kk_l2(c: &Ctx, out: &mut Out) {
    yes_no(
        c,
        out,
        "KK-L2",
        "pledge.safety_measures",
        true,
        "労働安全衛生・労働災害防止の措置を講じています（誓約1）。",
        "労働安全衛生・労働災害防止の措置を講じていないため、誓約1 を誓約できません。",
    );
}

/// 誓約2: 安衛法66条 健康診断; 66条の4 異常所見者の意見聴取・就業判定; 66条の10 50人以上の事業場の
/// ストレスチェック.
pub fn kk_l3(c: &Ctx, out: &mut Out) {
    for (id, what) in [
        (
            "pledge.health_checkups",
            "労働安全衛生法第66条に基づく健康診断",
        ),
        (
            "pledge.opinion_hearing",
            "第66条の4に基づく異常所見者全員の意見聴取・就業判定",
        ),
        (
            "pledge.stress_check_50",
            "第66条の10に基づく50人以上の事業場のストレスチェック",
        ),
    ] {
        yes_no(
            c,
            out,
            "KK-L3",
            id,
            true,
            &format!("{what}を行っています（誓約2）。"),
            &format!("{what}を行っていないため、誓約2 を誓約できません。"),
        );
    }
}

/// 誓約3: 申請日時時点で…安全管理特別指導事業場または衛生管理特別指導事業場に指定されていること（がないこと）。
pub fn kk_l4(c: &Ctx, out: &mut Out) {
    yes_no(c, out, "KK-L4", "pledge.special_guidance_designated", false, "安全管理・衛生管理特別指導事業場に指定されていません（誓約3）。", "安全管理特別指導事業場または衛生管理特別指導事業場に指定されているため、誓約3 を誓約できません。");
}

/// 誓約4: 2024年4月1日から申請日までに、以下の事実がないこと (1)–(5). Before 2024-04-01: 8 (6)
/// 社会通念 (D13).
pub fn kk_l5(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-L5";
    let from = c.ed.params.violations_from.value.0;
    for id in [
        "pledge.violations.labour_law",
        "pledge.violations.repeated_recommendation",
        "pledge.violations.top_management_named",
        "pledge.violations.special_improvement_plan",
        "pledge.violations.other_laws",
    ] {
        let qq = q(c, id);
        match c.f.event(id) {
            None => out.unknown(R, format!("{}（{}）が書かれていないため判定できません。", qq.label, qq.key)),
            Some(Event::No) => out.pass(R, format!("{}: ありません。", qq.label)),
            Some(Event::Yes) => out.fail(R, format!("{}: {from} から申請日までにあるため、誓約4 を誓約できません。", qq.label)),
            Some(Event::On(d)) if d < from => out.decided(R, "D13", Outcome::Warning, format!("{}: {d} のことで誓約4 の期間（{from}～申請日）より前ですが、「法令遵守状況その他社会通念に照らしてふさわしくないと判断される場合、認定されない」ことがあります（誓約8 (6)）。", qq.label)),
            Some(Event::On(d)) => out.fail(R, format!("{}: {d} のことで、{from} から申請日までの期間にあるため、誓約4 を誓約できません。", qq.label)),
        }
    }
}

/// 誓約5: 申請内容に虚偽がないこと…説明できる資料を…申請期間最終日から2年間保存すること。また、当該
/// 資料の提出を求められた際には1週間以内に提出に応じること。
pub fn kk_l6(c: &Ctx, out: &mut Out) {
    yes_no(
        c,
        out,
        "KK-L6",
        "pledge.no_false_statement",
        true,
        "申請内容に虚偽はありません（誓約5）。",
        "申請内容に虚偽があるため、誓約5 を誓約できません。",
    );
    yes_no(
        c,
        out,
        "KK-L6",
        "pledge.keeps_documents",
        true,
        "回答を説明できる資料を2年間保存し、求めに応じて1週間以内に提出します（誓約5）。",
        "資料の保存・提出に応じないため、誓約5 を誓約できません。",
    );
}

/// 誓約6: 過去、現在および将来にわたって、暴力団等の反社会的勢力に所属せず、また関係を有していないこと。
pub fn kk_l7(c: &Ctx, out: &mut Out) {
    yes_no(
        c,
        out,
        "KK-L7",
        "pledge.antisocial_ties",
        false,
        "反社会的勢力との関係はありません（誓約6）。",
        "反社会的勢力との関係があるため、誓約6 を誓約できません。",
    );
}

/// 誓約8 (7) 従業員代表に本申請内容の全てを共有すること。※従業員代表の条件は36協定に準じる…
/// （管理監督者・役員を除く）.
pub fn kk_l8(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-L8";
    match c.f.boolean("pledge.representative_is_manager_or_officer") {
        Some(true) => out.fail(R, "従業員代表が管理監督者または役員です。従業員代表は36協定に準じ、管理監督者・役員を除く者です（L735）。"),
        Some(false) => {}
        None => blank(c, out, R, "pledge.representative_is_manager_or_officer"),
    }
    yes_no(
        c,
        out,
        R,
        "pledge.shared_with_representative",
        true,
        "申請内容の全てを従業員代表に共有しています（誓約8 (7)）。",
        "申請内容を従業員代表に共有していないため、誓約8 (7) に同意できません。",
    );
}

// ------------------------------------------------------------------------------------------
// 評価項目 ①–⑰ (KK-V*)

/// ★Q11 定期健康診断の受診状況: (x) 対象人数 = (u) − (v) + (w)、(z) 受診率 = (y) / (x) * 100.
/// ★SQ1 (z が95%以上100%未満、または x が20人未満で未受診者が1人): 4 特に行っていない ⇒評価項目不適合.
pub fn kk_v1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V1";
    let p = &c.ed.params;
    if let Some(fy) = c.f.int("facts.checkup_fiscal_year") {
        if !p
            .checkup_fiscal_years
            .value
            .iter()
            .any(|y| i64::from(*y) == fy)
        {
            return out.fail(R, format!("Q11 の集計年度 {fy}年度は対象外です（{}年度のどちらか。年度をまたいだ集計は不可、L1294–1295）。", p.checkup_fiscal_years.value.iter().map(|y| y.to_string()).collect::<Vec<_>>().join("・")));
        }
    }
    let Some(k) = c.f.checkup() else {
        let mut m = Vec::new();
        if c.f.employees_total().is_none() {
            m.push("Q4 の①～④（(u) 直近の従業員数）".to_string());
        }
        for id in ["checkup.excluded", "checkup.left_after", "checkup.examined"] {
            if c.f.is_blank(id) {
                m.push(q(c, id).label.clone());
            }
        }
        return out.unknown(
            R,
            format!("{} が未回答のため判定できません。", m.join("、")),
        );
    };
    if k.x <= 0 || k.y > k.x {
        return out.unknown(
            R,
            "Q11 の人数が合いません（対象人数が0人以下、または受診者数が対象人数を超える）。",
        );
    }
    let figures = format!(
        "(x) 対象人数 {} = (u) {} − (v) {} + (w) {}、(y) 受診者 {}、受診率 {}",
        k.x,
        k.u,
        k.v,
        k.w,
        k.y,
        k.rate_text()
    );
    if k.v > 0 {
        out.warn(R, format!("(v) 対象除外人数 {}人: 除外できるのは海外赴任・休業等で期間を通して受診できなかった者、受診義務のない者等です。除外が認められるかは審査されます（L1297–1304、補足説明 L496–509）。", k.v));
    }
    if k.y == k.x {
        return out.pass(R, format!("{figures}: 全員が受診しています。"));
    }
    if !k.sq1_applies(c.ed) {
        return out.fail(R, format!(
            "{figures}: 受診率が{}%未満で、対象人数{}人未満・未受診者1人にも当たらないため、評価項目不適合です。",
            p.checkup_rate_percent.value, p.checkup_small_below.value
        ));
    }
    let branch = if k.rate_at_least(p.checkup_rate_percent.value) {
        format!("受診率が{}%以上100%未満", p.checkup_rate_percent.value)
    } else {
        format!(
            "対象人数{}人未満で未受診者が1人",
            p.checkup_small_below.value
        )
    };
    let (o, why) = many_done(c, out, R, "checkup.followup");
    match o {
        Outcome::Pass => out.decided(
            R,
            "D5",
            Outcome::Pass,
            format!("{figures}: {branch}で、SQ1 の受診勧奨を行っています（{why}）。"),
        ),
        Outcome::Fail => out.decided(
            R,
            "D5",
            Outcome::Fail,
            format!("{figures}: {branch}ですが、{why}（⇒評価項目不適合）。"),
        ),
        _ => out.decided(
            R,
            "D5",
            Outcome::Unknown,
            format!("{figures}: {branch}のため SQ1（未受診者への受診勧奨）が必要です。{why}。"),
        ),
    }
}

/// ★Q12 ① 再検査・精密検査の受診勧奨 ② がん検診等の任意検診の受診勧奨: どちらも「特に行っていない」
/// の場合、評価項目不適合.
pub fn kk_v2(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V2";
    let (a, wa) = many_done(c, out, R, "recommendation.retest");
    let (b, wb) = many_done(c, out, R, "recommendation.optional");
    match any_of(&[a, b]) {
        Outcome::Pass => out.pass(R, format!("{wa}、{wb}。②受診勧奨の取り組みに適合します。")),
        Outcome::Fail => out.fail(
            R,
            format!("{wa}、{wb}。①②とも非実施のため評価項目不適合です。"),
        ),
        _ => out.unknown(R, format!("{wa}、{wb}。判定できません。")),
    }
}

/// ★Q13 労働安全衛生法に定められたストレスチェック制度に従ってストレスチェックを実施していますか。
/// 1 50人未満の事業場を含む全ての事業場で実施; 2 ⇒評価項目不適合.
pub fn kk_v3(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V3";
    let qq = q(c, "stress_check");
    match c.f.one("stress_check") {
        None => blank(c, out, R, "stress_check"),
        Some(1) => {
            out.pass(
                R,
                "Q13 = 1: 50人未満の事業場を含む全ての事業場でストレスチェックを実施しています。",
            );
            for cau in &qq.cautions {
                out.warn(
                    R,
                    format!("{}（{}）", cau.quote.trim_start_matches('◆'), cau.cite),
                );
            }
        }
        Some(n) => out.fail(
            R,
            format!(
                "Q13 で {} を選んでいます（⇒評価項目不適合）。",
                opt_text(qq, n)
            ),
        ),
    }
}

/// ★Q14 健康保持・増進に関する教育 / ★Q15 健康をテーマとした情報提供（毎月1回以上）: Q14 の 1–4, 6、
/// または 5 と SQ2 1–4、または Q15 = 1 で適合 (D8).
pub fn kk_v4(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V4";
    let q14 = q(c, "education");
    let none = q14.none.unwrap_or(0);
    // Q14 as an item: its own options count alone; 5 only with SQ2 1–4 (D8).
    let (a, five_decides) = match c.f.many("education") {
        None => (Outcome::Unknown, false),
        Some(set) if set.contains(&none) && set.len() > 1 => {
            (many_done(c, out, R, "education").0, false)
        }
        Some(set) if set.iter().any(|n| *n != none && *n != 5) => (Outcome::Pass, false),
        Some(set) if set.contains(&5) => (many_done(c, out, R, "education.relay").0, true),
        Some(_) => (Outcome::Fail, false),
    };
    let b = match c.f.one("health_information") {
        None => Outcome::Unknown,
        Some(1) => Outcome::Pass,
        Some(_) => Outcome::Fail,
    };
    let desc = format!(
        "Q14 {}、Q15 {}",
        c.f.many("education")
            .map(numbers)
            .unwrap_or_else(|| "未回答".into()),
        c.f.one("health_information")
            .map(|n| n.to_string())
            .unwrap_or_else(|| "未回答".into())
    );
    match any_of(&[a, b]) {
        Outcome::Pass if five_decides && a == Outcome::Pass => out.decided(R, "D8", Outcome::Pass, format!("{desc}: Q14 の 5（代表者の社外研修）の内容を SQ2 の方法で周知しています。④教育機会の設定に適合します。")),
        Outcome::Pass => out.pass(R, format!("{desc}。④教育機会の設定に適合します。")),
        Outcome::Fail if five_decides => out.decided(R, "D8", Outcome::Fail, format!("{desc}: Q14 の 5 は SQ2 で周知していない（5 特に伝達していない）ため数えず、Q15 も毎月1回以上ではないため評価項目不適合です。")),
        Outcome::Fail => out.fail(R, format!("{desc}: 教育を行っておらず、Q15 も毎月1回以上ではないため評価項目不適合です。")),
        _ => out.unknown(R, format!("{desc}: 判定できません。")),
    }
}

/// ★Q16 適切な働き方の実現に向けて…18 いずれも特に行っていない ⇒評価項目不適合.
pub fn kk_v5(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V5", "work_style");
}

/// ★Q17 仕事と育児 / ★Q18 仕事と介護の両立支援（法令の範囲を超える取り組み）: どちらも「いずれも特に
/// 行っていない」の場合、評価項目不適合.
pub fn kk_v6(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V6";
    let (a, wa) = many_done(c, out, R, "childcare");
    let (b, wb) = many_done(c, out, R, "nursing_care");
    match any_of(&[a, b]) {
        Outcome::Pass => {
            out.pass(R, format!("{wa}、{wb}。⑥両立支援の取り組みに適合します。"));
        }
        Outcome::Fail => out.fail(
            R,
            format!("{wa}、{wb}。どちらも非実施のため評価項目不適合です。"),
        ),
        _ => out.unknown(R, format!("{wa}、{wb}。判定できません。")),
    }
}

/// ★Q19 コミュニケーション促進に向けて…8 特に行っていない ⇒評価項目不適合.
pub fn kk_v7(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V7", "communication");
}

/// ★Q20 がん等の私病を持つ従業員の復職支援、仕事と治療の両立支援…12 ⇒評価項目不適合.
pub fn kk_v8(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V8", "illness_support");
}

/// ★Q21 女性特有の健康関連課題…◆女性従業員がいない場合も、何らかの取り組みを行っていることをもって
/// 適合とします。17 ⇒評価項目不適合.
pub fn kk_v9(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V9", "womens_health");
}

/// ★Q22 高年齢従業員特有の健康課題に特化した取り組み: 11 高年齢従業員はいない; 12 高年齢従業員はいるが、
/// 特に行っていない ⇒評価項目不適合 (D9: 11 は適合).
pub fn kk_v10(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V10";
    let qq = q(c, "older_workers");
    let Some(set) = c.f.many("older_workers") else {
        return blank(c, out, R, "older_workers");
    };
    let absent = qq.exclusive.first().copied().unwrap_or(11);
    let none = qq.none.unwrap_or(12);
    let measures: BTreeSet<u32> = set
        .iter()
        .copied()
        .filter(|n| *n != absent && *n != none)
        .collect();
    if set.contains(&absent) && (set.contains(&none) || !measures.is_empty()) {
        let others: Vec<String> = set
            .iter()
            .filter(|n| **n != absent)
            .map(|n| opt_text(qq, *n))
            .collect();
        out.decided(R, "D10", Outcome::Warning, format!("Q22 で {} と {} を同時に選んでいます。矛盾する回答です。どちらかに直してください。", opt_text(qq, absent), others.join("、")));
        if measures.is_empty() {
            return out.unknown(R, "Q22 の回答が矛盾しているため、⑩は判定できません。");
        }
    }
    if !measures.is_empty() {
        let (o, why) = many_done(c, out, R, "older_workers");
        return match o {
            Outcome::Pass => out.pass(R, format!("{why}。⑩高年齢従業員の取り組みに適合します。")),
            _ => out.unknown(R, format!("{why}。判定できません。")),
        };
    }
    if set.contains(&none) {
        return out.fail(
            R,
            format!(
                "Q22 で {} を選んでいます（⇒評価項目不適合）。",
                opt_text(qq, none)
            ),
        );
    }
    // Only 11.
    out.decided(
        R,
        "D9",
        Outcome::Pass,
        format!(
            "Q22 で {} を選んでいます。不適合の印がないため適合とします。",
            opt_text(qq, absent)
        ),
    );
    if c.f.int("employees.aged_65_plus").is_some_and(|n| n > 0) {
        out.decided(R, "D9", Outcome::Warning, format!(
            "Q4 では65歳以上の従業員が {}人います。高年齢従業員の年齢は自社で定義できますが（L1691）、「高年齢従業員はいない」でよいか確かめてください。",
            c.f.int("employees.aged_65_plus").unwrap_or_default()
        ));
    }
}

/// ★Q23 特定保健指導の実施を促す取り組み / ★Q24 保健指導の実施: どちらも非実施の場合、評価項目不適合.
pub fn kk_v11(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-V11";
    let (a, wa) = many_done(c, out, R, "specific_guidance");
    let b = match c.f.one("health_guidance") {
        None => Outcome::Unknown,
        Some(1) => Outcome::Pass,
        Some(_) => Outcome::Fail,
    };
    let wb = match c.f.one("health_guidance") {
        None => "Q24 が未回答です".to_string(),
        Some(n) => format!("Q24 = {}", opt_text(q(c, "health_guidance"), n)),
    };
    match any_of(&[a, b]) {
        Outcome::Pass => out.pass(R, format!("{wa}、{wb}。⑪保健指導の取り組みに適合します。")),
        Outcome::Fail => out.fail(
            R,
            format!("{wa}、{wb}。どちらも非実施のため評価項目不適合です。"),
        ),
        _ => out.unknown(R, format!("{wa}、{wb}。判定できません。")),
    }
}

/// ★Q25 食生活改善に向けた具体的な支援…10 いずれも特に行っていない ⇒評価項目不適合.
pub fn kk_v12(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V12", "diet");
}

/// ★Q26 運動機会の増進に向けた…具体的な支援…17 ⇒評価項目不適合.
pub fn kk_v13(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V13", "exercise");
}

/// ★Q27 長時間労働者に対して…◆期間中に長時間労働者がいない場合でも、具体的な対応策を予め策定して
/// いることをもって適合とします。10 ⇒評価項目不適合.
pub fn kk_v14(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V14", "long_hours");
}

/// ★Q28 心の健康…8 いずれも特に行っていない ⇒評価項目不適合 (法令上の義務であるハラスメント対策は除く).
pub fn kk_v15(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V15", "mental_health");
}

/// ★Q29 感染症対策…12 特に行っていない ⇒評価項目不適合 (数える項目; 要件表 L358 の「必須」は
/// 受動喫煙の行のもの, D7).
pub fn kk_v16(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V16", "infection");
}

/// ★Q30 従業員の喫煙率を下げるための取り組み・ルール整備…9 特に行っていない ⇒評価項目不適合.
pub fn kk_v17(c: &Ctx, out: &mut Out) {
    item_many(c, out, "KK-V17", "smoking");
}

// ------------------------------------------------------------------------------------------
// 項目数 (KK-C*): three-valued counts.

fn count(c: &Ctx, out: &mut Out, rule: &str) {
    let Some(t) = c.track else { return };
    let Some(def) = c.ed.count(rule, t) else {
        return;
    };
    let k = super::counts::count_of(def, c.items);
    let mark = |id: &str| -> String {
        c.ed.rule(id)
            .map(|r| r.mark.clone().unwrap_or_else(|| "推進計画".into()))
            .unwrap_or_else(|| id.to_string())
    };
    let of = |o: Outcome| -> Vec<String> {
        k.items
            .iter()
            .filter(|(_, x)| *x == o)
            .map(|(i, _)| mark(i))
            .collect()
    };
    let (pass, unknown) = (of(Outcome::Pass), of(Outcome::Unknown));
    let prefix = if c.both_tracks {
        format!("【{}】", t.label())
    } else {
        String::new()
    };
    let detail = format!(
        "{prefix}{}: {}項目が適合{}{}、必要なのは{}項目以上",
        def.label,
        k.passed,
        if pass.is_empty() {
            String::new()
        } else {
            format!("（{}）", pass.join(""))
        },
        if unknown.is_empty() {
            String::new()
        } else {
            format!("、{}項目が不明（{}）", k.unknown, unknown.join(""))
        },
        k.needed
    );
    let msg = match k.outcome {
        Outcome::Pass => format!("{detail}。適合します。"),
        Outcome::Fail => format!("{detail}。{}項目足りません。", k.needed - k.passed),
        _ => format!("{detail}。不明の項目しだいで結論が変わります。"),
    };
    match c.ed.rule(rule).and_then(|r| r.decisions.first().cloned()) {
        Some(d) => out.decided(rule, &d, k.outcome, msg),
        None => out.push(rule, k.outcome, msg),
    }
}

/// 通常: ①～③のうち2項目以上 (D1: the count cell is missing in the reference).
pub fn kk_c1(c: &Ctx, out: &mut Out) {
    count(c, out, "KK-C1");
}

/// 「左記④～⑩のうち2項目以上」（中小規模法人部門・小規模事業者向け特例）.
pub fn kk_c2(c: &Ctx, out: &mut Out) {
    count(c, out, "KK-C2");
}

/// 「左記⑪～⑰のうち4項目以上」（通常）/「左記⑪～⑰のうち2項目以上」（特例）.
pub fn kk_c3(c: &Ctx, out: &mut Out) {
    count(c, out, "KK-C3");
}

/// 特例: 「左記健康経営の具体的な推進計画のうち2項目以上」 = {推進計画, ①, ②, ③} のうち2項目以上 (D2).
pub fn kk_c4(c: &Ctx, out: &mut Out) {
    count(c, out, "KK-C4");
}

// ------------------------------------------------------------------------------------------
// ブライト500 (KK-B*), beside the verdict.

fn applies_bright(c: &Ctx) -> bool {
    c.f.one("bright.apply") == Some(1)
}

/// Q33 ブライト500に申請しますか。◆…認定を受けるには、本設問の選択肢「1」を選択する必要があります。
pub fn kk_b1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-B1";
    match c.f.one("bright.apply") {
        Some(1) => out.pass(R, "Q33 = 1: ブライト500に申請します（ネクストブライト1000もブライト500の申請法人から選ばれます）。"),
        Some(_) => out.warn(R, "Q33 = 2: ブライト500には申請しません。ブライト500・ネクストブライト1000の認定を受けるには Q33 で「1」が必要です。"),
        None => out.warn(R, "Q33 が未回答のため、ブライト500には申請しない扱いです。ブライト500・ネクストブライト1000の認定を受けるには Q33 で「1」が必要です。"),
    }
}

/// Q34 評価結果の公表: 選択肢1～3のいずれかを選択いただくことがブライト500・ネクストブライト1000認定の
/// 必須条件です。4 開示不可 → 認定されません。
pub fn kk_b2(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-B2";
    if !applies_bright(c) {
        return;
    }
    let qq = q(c, "bright.disclosure");
    match c.f.one("bright.disclosure") {
        None => blank(c, out, R, "bright.disclosure"),
        Some(4) => out.fail(R, format!("Q34 = {}: 開示不可の場合、評価結果が500位以内、1500位以内であってもブライト500・ネクストブライト1000には認定されません。", opt_text(qq, 4))),
        Some(n) => out.pass(R, format!("Q34 = {}。", opt_text(qq, n))),
    }
}

/// ※Q33～41についてはブライト500に申請する場合のみ回答必須です。
pub fn kk_b3(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-B3";
    if !applies_bright(c) {
        return;
    }
    let missing: Vec<String> =
        c.ed.questions
            .iter()
            .filter(|x| {
                x.required_when
                    .as_ref()
                    .is_some_and(|w| c.f.holds(c.ed, w) == Some(true))
            })
            .filter(|x| c.f.is_blank(&x.id) && c.f.applies(c.ed, x) != Some(false))
            .map(|x| x.label.clone())
            .collect();
    if missing.is_empty() {
        out.pass(R, "ブライト500認定設問（Q33～Q41）に回答しています。");
    } else {
        out.unknown(
            R,
            format!(
                "ブライト500に申請する場合は必ず回答する設問のうち {} が未回答です。",
                missing.join("、")
            ),
        );
    }
}

/// 「ブライト500・ネクストブライト1000は左記①～⑰のうち16項目以上」 and the 通常 必須 set (D11).
pub fn kk_b4(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-B4";
    if !applies_bright(c) {
        return;
    }
    let b = &c.ed.bright;
    let need = b.at_least.value as usize;
    let pass = b
        .items
        .iter()
        .filter(|i| c.items.get(*i) == Some(&Outcome::Pass))
        .count();
    let unknown = b
        .items
        .iter()
        .filter(|i| c.items.get(*i).is_none_or(|o| *o == Outcome::Unknown))
        .count();
    let items = if pass >= need {
        Outcome::Pass
    } else if pass + unknown < need {
        Outcome::Fail
    } else {
        Outcome::Unknown
    };
    let (req, not_pass) = c
        .normal_required
        .clone()
        .unwrap_or((Outcome::Unknown, vec![]));
    let req = if req == Outcome::Warning {
        Outcome::Pass
    } else {
        req
    };
    let outcome = [items, req].into_iter().max().unwrap_or(Outcome::Unknown);
    let tokurei = possible_tracks(c.ed, c.f) == [Track::Tokurei];
    let msg = format!(
        "{}: {pass}項目が適合{}、必要なのは{need}項目以上。通常の必須項目: {}。",
        b.label,
        if unknown > 0 {
            format!("、{unknown}項目が不明")
        } else {
            String::new()
        },
        match req {
            Outcome::Pass => "すべて適合".to_string(),
            _ => format!(
                "{} が{}",
                not_pass.join("・"),
                if req == Outcome::Fail {
                    "不適合"
                } else {
                    "不明"
                }
            ),
        }
    );
    if tokurei {
        out.decided(
            R,
            "D11",
            outcome,
            format!("{msg}（特例の法人も、ブライト500では推進計画が必須です）"),
        );
    } else {
        out.push(R, outcome, msg);
    }
}

/// 順位は認定時に発表: ウエイト 20:10:35:20:10:5、上位500 → ブライト500、501～1500位 → ネクストブライト1000.
pub fn kk_b5(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-B5";
    if !applies_bright(c) {
        return;
    }
    let b = &c.ed.bright;
    out.warn(R, format!(
        "ブライト500・ネクストブライト1000は申請法人の中での順位で選ばれます（ウエイト {}、上位{}位・{}位まで）。順位は認定時に発表され、本ツールでは判定できません。",
        b.weights.value.iter().map(|w| w.to_string()).collect::<Vec<_>>().join(":"),
        b.ranks.value.first().copied().unwrap_or_default(),
        b.ranks.value.get(1).copied().unwrap_or_default()
    ));
}

// ------------------------------------------------------------------------------------------
// 期限・申請料・回答期間 (KK-W*)

/// "in time" for a deadline at `limit`: the moment (date, or date and time) against it.
fn in_time(m: Moment, limit: NaiveDateTime) -> Option<bool> {
    match m.time {
        Some(t) => Some(m.date.and_time(t) <= limit),
        None if m.date < limit.date() => Some(true),
        None if m.date > limit.date() => Some(false),
        None => None,
    }
}

fn days_left(c: &Ctx, limit: NaiveDateTime) -> String {
    let d = (limit.date() - c.as_of).num_days();
    if d == 0 {
        format!("本日 {} まで", limit.format("%H:%M"))
    } else {
        format!("あと{d}日（{} まで）", limit.format("%Y-%m-%d %H:%M"))
    }
}

/// アップロード期限:2025年10月17日(金)17時 ※締切の延長は行いません。…最後にアップロードしたファイルのみ
/// 申請内容として審査します。締切後の申請内容の修正は一切受け付けません。
pub fn kk_w1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-W1";
    let p = &c.ed.params;
    let limit = p.upload_deadline.value.0;
    out.deadline(
        R,
        "申請書（Excel）のアップロード期限（延長なし・最後のアップロードが審査対象）",
        When::At(limit),
        &p.upload_deadline.cite,
        c.as_of,
    );
    match c.f.moment("dates.uploaded") {
        Some(m) => match in_time(m, limit) {
            Some(true) => out.decided(R, "D22", Outcome::Pass, format!("最後のアップロード {m} は期限 {} 以内です。", limit.format("%Y-%m-%d %H:%M"))),
            Some(false) => out.decided(R, "D22", Outcome::Fail, format!("最後のアップロード {m} は期限 {} より後です。期日以降の申請は受け付けられません。", limit.format("%Y-%m-%d %H:%M"))),
            None => out.unknown(R, format!("アップロード日が期限の日 {} ですが、時刻が書かれていないため期限内か判定できません（dates.uploaded に時刻も書いてください）。", m.date)),
        },
        None if c.as_of <= limit.date() => out.decided(R, "D18", Outcome::Warning, format!("まだアップロードしていません。期限は {}、{}。締切後の修正はできません。", limit.format("%Y-%m-%d %H:%M"), days_left(c, limit))),
        None => out.decided(R, "D18", Outcome::Fail, format!("アップロード期限 {} を過ぎましたが、アップロードした日時がありません（dates.uploaded）。期限内にアップロードしていれば、その日時を書いてください。", limit.format("%Y-%m-%d %H:%M"))),
    }
}

/// 認定申請料 税込み16,500円(税抜き15,000円)、2025年12月31日(水)15時まで。12月31日(水)15時時点の入金
/// 確認をもって認定審査が行われます。入金後に申請を取り下げた場合や不認定となった場合、返金はいたしません。
pub fn kk_w2(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-W2";
    let p = &c.ed.params;
    let limit = p.fee_deadline.value.0;
    let fee = format!(
        "{}円（税込、税抜{}円）",
        yen(p.fee_yen.value),
        yen(p.fee_yen_excluding_tax.value)
    );
    out.deadline(
        R,
        "請求書の到着（マネーフォワードケッサイ株式会社から、メール・郵送）",
        When::Month(p.invoice_month.value),
        &p.invoice_month.cite,
        c.as_of,
    );
    out.deadline(
        R,
        format!("認定申請料 {fee} の入金期限（請求書ごとの口座へ1回ずつ）"),
        When::At(limit),
        &p.fee_deadline.cite,
        c.as_of,
    );
    match c.f.moment("dates.fee_paid") {
        Some(m) => match in_time(m, limit) {
            Some(true) => out.decided(R, "D22", Outcome::Pass, format!("認定申請料 {fee} は {m} に入金済みで、期限 {} 以内です。", limit.format("%Y-%m-%d %H:%M"))),
            Some(false) => out.decided(R, "D23", Outcome::Fail, format!("認定申請料の入金 {m} は期限 {} より後です。期限時点の入金確認をもって認定審査が行われます。", limit.format("%Y-%m-%d %H:%M"))),
            None => out.unknown(R, format!("入金日が期限の日 {} ですが、時刻が書かれていないため期限内か判定できません（dates.fee_paid）。", m.date)),
        },
        None if c.as_of <= limit.date() => out.decided(R, "D18", Outcome::Warning, format!("認定申請料 {fee} はまだ入金していません。期限は {}、{}。入金後の取り下げ・不認定でも返金されません。", limit.format("%Y-%m-%d %H:%M"), days_left(c, limit))),
        None => out.decided(R, "D23", Outcome::Fail, format!("入金期限 {} を過ぎましたが、認定申請料の入金日時がありません（dates.fee_paid）。未入金なら認定審査が行われません。", limit.format("%Y-%m-%d %H:%M"))),
    }
}

/// 特に明記されていない場合は、2024年4月1日から申請日までに実施した内容についてお答えください。なお、
/// 今後の取り組み予定等の申請日時時点で実施していない取り組みは審査の対象外です。
pub fn kk_w3(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-W3";
    let from = c.ed.params.answer_period_from.value.0;
    let m = format!(
        "回答は {from} から{}までに実施した内容です（今後の予定は対象外、法人全体・日本国内）。",
        c.app.describe()
    );
    if c.app.provisional {
        out.decided(R, "D12", Outcome::Warning, m);
    } else {
        out.pass(R, m);
    }
}

/// ファイルの受領確認メールは、10月27日(月)中…にお送りします。メールが10月28日(火)になっても届かない
/// 場合は、事務局窓口にお問い合わせください。
pub fn kk_w4(c: &Ctx, out: &mut Out) {
    let p = &c.ed.params;
    out.deadline(
        "KK-W4",
        "受領確認メールの送付（担当者のメールアドレス宛）",
        When::Day(p.receipt_mail_by.value.0),
        &p.receipt_mail_by.cite,
        c.as_of,
    );
    out.deadline(
        "KK-W4",
        "受領確認メールが届いていなければ事務局窓口に問い合わせ",
        When::Day(p.receipt_mail_ask_from.value.0),
        &p.receipt_mail_ask_from.cite,
        c.as_of,
    );
}

/// 当申請でご回答いただいた各項目の取り組みを説明できる資料を、申請期間最終日から2年間保存し、…1週間
/// 以内にご対応いただきますようお願いいたします。
pub fn kk_w5(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-W5";
    let p = &c.ed.params;
    let until = p.retention_until.value.0;
    out.deadline(
        R,
        "回答を説明できる資料の保存期間の終わり（申請期間最終日から2年間）",
        When::Day(until),
        &p.retention_until.cite,
        c.as_of,
    );
    out.decided(R, "D15", Outcome::Warning, format!(
        "チェックした全ての選択肢の内容を確認できる資料を {until} まで保存し、提出を求められたら{}日以内に提出してください（提出がないと不認定または認定取り消し）。",
        p.submit_within_days.value
    ));
}

/// ◆審査結果等は2026年3月頃に上記Email宛にメールで送付します。…ロゴマークは…2027年3月31日までに限り使用すること。
pub fn kk_w6(c: &Ctx, out: &mut Out) {
    let p = &c.ed.params;
    out.deadline(
        "KK-W6",
        "審査結果の通知（Email のみ、郵送なし）",
        When::Month(p.results_month.value),
        &p.results_month.cite,
        c.as_of,
    );
    out.deadline(
        "KK-W6",
        "認定（ロゴマーク）を使用できる期間の終わり",
        When::Day(p.certification_valid_until.value.0),
        &p.certification_valid_until.cite,
        c.as_of,
    );
}

// ------------------------------------------------------------------------------------------
// 回答の完全性 (KK-A*)

/// The to-do list (KK-A1), computed by `evaluate` and passed in through the findings of the
/// other rules: see [`super::counts::todo`]. This function only reports it.
pub fn kk_a1(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-A1";
    let todo = super::counts::todo(c.ed, c.f, &out.findings);
    if todo.is_empty() {
        out.pass(R, "★の設問と、条件に当たる SQ はすべて回答されています。");
    } else {
        let list: Vec<String> = todo.iter().map(|t| t.label.clone()).collect();
        out.decided(
            R,
            "D17",
            Outcome::Unknown,
            format!(
                "未回答: {}（{}件）。未回答は適合とはしません。",
                list.join("、"),
                todo.len()
            ),
        );
    }
}

/// 法人番号 (国税庁): 13 digits, the first a check digit = 9 − (Σ Pn·Qn mod 9), Pn the n-th digit
/// from the right of the other twelve, Qn = 1 (n odd) or 2 (n even).
pub fn corporate_number_ok(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 13 || s.chars().count() != 13 {
        return false;
    }
    let sum: u32 = d[1..]
        .iter()
        .rev()
        .enumerate()
        .map(|(i, p)| p * if i % 2 == 0 { 1 } else { 2 })
        .sum();
    d[0] == 9 - sum % 9
}

/// ◆ご記入いただいた内容は認定時に公開します。必ず全てお答えください。◆メールアドレスを記入いただけない
/// 場合、申請の審査結果をお送りできませんのでご注意ください。
pub fn kk_a2(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-A2";
    let ids =
        c.ed.rule(R)
            .map(|r| r.questions.clone())
            .unwrap_or_default();
    let mut missing = Vec::new();
    for id in &ids {
        if c.f.is_blank(id) {
            let qq = q(c, id);
            if id == "contact.email" {
                out.warn(R, format!("記入不足: {}（{}）。メールアドレスを記入いただけない場合、申請の審査結果をお送りできません（L648）。", qq.label, qq.key));
            } else {
                missing.push(format!("{}（{}）", qq.label, qq.key));
            }
        }
    }
    if !missing.is_empty() {
        out.warn(
            R,
            format!(
                "記入不足: {}。必ず全てお答えください（L628）。",
                missing.join("、")
            ),
        );
    }
    if let Some(n) = c.f.text("corp.number") {
        let h: String = n
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !corporate_number_ok(&h) {
            out.warn(R, format!("法人番号「{n}」は国税庁の法人番号（13桁、先頭が検査用数字）の形ではありません。国税庁の法人番号公表サイトで確かめてください。"));
        }
    }
    if let Some(n) = c.f.text("corp.name") {
        if ["(株)", "（株）", "(有)", "（有）", "㈱", "㈲"]
            .iter()
            .any(|a| n.contains(a))
        {
            out.warn(R, format!("法人名「{n}」に略語があります。(株)・(有)等の略語は使わず正式名称で記入してください（L620）。"));
        }
    }
    if missing.is_empty() && !c.f.is_blank("contact.email") {
        out.pass(R, "法人情報と担当者の連絡先が記入されています。");
    }
}

/// 「その他」に「1」を入力した場合は必ずその具体的な内容をご記入ください。
pub fn kk_a3(c: &Ctx, out: &mut Out) {
    const R: &str = "KK-A3";
    let mut missing = Vec::new();
    for qq in c.ed.questions.iter().filter(|x| !x.other.is_empty()) {
        let ticked = match c.f.many(&qq.id) {
            Some(s) => qq.other.iter().any(|o| s.contains(o)),
            None => false,
        };
        if ticked && !c.f.other_texts.contains_key(&qq.id) {
            missing.push(format!(
                "{}（{}）",
                qq.label,
                qq.other_key().unwrap_or_default()
            ));
        }
    }
    if missing.is_empty() {
        out.pass(
            R,
            "「その他」を選んだ設問には具体的な内容が書かれています。",
        );
    } else {
        out.unknown(
            R,
            format!(
                "「その他」を選んだのに具体的な内容がありません: {}。",
                missing.join("、")
            ),
        );
    }
}

/// Answers have the form's shape (the reader rejects anything else before the rules run).
pub fn kk_a4(_c: &Ctx, out: &mut Out) {
    out.pass(
        "KK-A4",
        "回答は申請書の形（選択肢の番号・人数・金額・日付）で書かれています。",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corporate_number_check_digit() {
        // 株式会社日本経済新聞社 T3010001033086 (L213).
        assert!(corporate_number_ok("3010001033086"));
        assert!(!corporate_number_ok("4010001033086"));
        assert!(!corporate_number_ok("301000103308"));
        assert!(!corporate_number_ok("３010001033086"));
    }
}
