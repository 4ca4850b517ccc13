//! `new --grant 健康経営`: the workbook's questions as an interview, in the workbook's order,
//! from the edition's question catalogue (a conditional SQ only when its condition holds), each
//! with the rules that read it and the workbook's sentence; answers read as `check` reads them
//! (the catalogue's reader), the requirements the answers so far fail (the evaluation), and the
//! answers file in the layout of `new --template 健康経営`.
//!
//! `new --from LAST.toml` ([`carry_over`]): this year's answers file from last year's, matched
//! by the catalogue's question ID (not the workbook's number), with what changed.

use super::answers::{edition, editions};
use super::facts::{Answer, Event, Facts};
use super::params::{Edition, Kind as QKind, Question};
use crate::model::interview::{self, Confirm, Failing, Kind, Questionnaire, Step, Table, Q};
use crate::model::Notice;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// 健康経営's interview.
pub struct KenkoQuestionnaire;

pub static QUESTIONNAIRE: KenkoQuestionnaire = KenkoQuestionnaire;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The edition the answers name (`edition = "2026"`), or the newest.
fn edition_of(answers: &Table) -> &'static Edition {
    let named = answers.get("edition").and_then(|v| v.as_str());
    edition(named)
        .or_else(|_| edition(None))
        .unwrap_or_else(|_| super::load::bundled())
}

/// The question of a key, in the newest edition that has it.
fn question_by_key(key: &str) -> Option<(&'static Edition, &'static Question)> {
    editions()
        .into_iter()
        .rev()
        .find_map(|e| e.question_by_key(key).map(|q| (e, q)))
}

/// The question whose 「その他」 text is `key` (`answers.q8_sq2_other`).
fn other_of<'e>(ed: &'e Edition, key: &str) -> Option<&'e Question> {
    let base = key.strip_suffix("_other")?;
    ed.question_by_key(base).filter(|q| !q.other.is_empty())
}

/// The question's label in the interview: the workbook's number and its text, each said
/// once (「★Q2(a) 法人格の分類」, not 「Q2(a) (a) 法人格の分類」), with how to write it.
fn label_of(q: &Question) -> String {
    let star = if q.star { "★" } else { "" };
    let label = q.label.as_str();
    let mut out = match q.text.as_deref().map(str::trim) {
        None | Some("") => label.to_string(),
        Some(t) => {
            let bare = t.trim_end_matches(['：', ':']);
            // 「Q2(a)」 + 「(a) 法人格の分類」: the text without its repeated mark.
            let mark = label
                .rfind('(')
                .filter(|_| label.ends_with(')'))
                .map(|i| &label[i..])
                .unwrap_or(label);
            let t = t.strip_prefix(mark).map(str::trim_start).unwrap_or(t);
            if label.contains(bare) {
                label.to_string()
            } else if !label.starts_with('Q') && t.contains(label) {
                t.to_string()
            } else {
                format!("{label} {t}")
            }
        }
    };
    if let Some(n) = &q.note {
        out.push_str(&format!("（{n}）"));
    }
    format!("{star}{out}")
}

fn kind_of(q: &Question) -> Kind {
    let options = || -> &'static [(i64, &'static str)] {
        let v: Vec<(i64, &'static str)> = q
            .options
            .iter()
            .map(|o| {
                let text = match &o.marker {
                    Some(m) => leak(format!("{} ⇒{m}", o.text)),
                    None => leak(o.text.clone()),
                };
                (i64::from(o.n), text)
            })
            .collect();
        Box::leak(v.into_boxed_slice())
    };
    match q.kind {
        QKind::One => Kind::Numbered(options()),
        QKind::Many => Kind::Multi(options()),
        QKind::Count => Kind::Count,
        QKind::Int => Kind::Quantity,
        QKind::Yen => Kind::Yen,
        QKind::Date => Kind::Date,
        QKind::YearMonth => Kind::YearMonth,
        QKind::Bool => Kind::Bool,
        QKind::Text | QKind::Datetime | QKind::BoolOrDate => Kind::Text,
    }
}

/// The steps of an edition, made once per process.
fn steps_of(ed: &'static Edition) -> Vec<Step> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, &'static [Step]>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(format!("{}:{}", ed.source, ed.edition))
        .or_insert_with(|| {
            let mut out = Vec::new();
            let mut section = "";
            for q in &ed.questions {
                let top = q.key.split('.').next().unwrap_or("");
                if top != section {
                    section = top;
                    let title = super::schema::SECTIONS
                        .iter()
                        .find(|(s, _)| *s == top)
                        .map(|(_, t)| *t)
                        .unwrap_or(top);
                    out.push(Step::Table(top, title));
                }
                out.push(Step::Ask(Q {
                    key: q.key.as_str(),
                    label: leak(label_of(q)),
                    kind: kind_of(q),
                    required: false,
                    when: None,
                }));
                if let Some(k) = q.other_key() {
                    out.push(Step::Ask(Q {
                        key: leak(k),
                        label: leak(format!("{} 「その他」の具体的な内容", q.label)),
                        kind: Kind::Text,
                        required: false,
                        when: None,
                    }));
                }
            }
            Box::leak(out.into_boxed_slice())
        })
        .to_vec()
}

/// The answers as a TOML table → JSON, as the reader takes a file.
fn json_of(answers: &Table) -> serde_json::Value {
    super::read::toml_to_json(&toml::Value::Table(answers.clone()))
}

/// The facts of the answers so far. An answer another contradicts (a cross-check of two
/// answers) is left out, so that the others still count.
pub(crate) fn facts_of(ed: &Edition, answers: &Table) -> Facts {
    let mut t = answers.clone();
    for _ in 0..8 {
        match super::read::read_value(&json_of(&t), ed) {
            Ok(r) => return r.facts,
            Err(errors) => {
                let before = t.clone();
                for e in &errors {
                    interview::remove(&mut t, &e.path);
                }
                if t == before {
                    break;
                }
            }
        }
    }
    Facts::default()
}

/// An answer as the file writes it.
pub(crate) fn to_toml(a: &Answer) -> toml::Value {
    let date = |d: chrono::NaiveDate| {
        d.to_string()
            .parse::<toml::value::Datetime>()
            .map(toml::Value::Datetime)
            .unwrap_or_else(|_| toml::Value::String(d.to_string()))
    };
    match a {
        Answer::One(n) => toml::Value::Integer(i64::from(*n)),
        Answer::Many(s) => toml::Value::Array(
            s.iter()
                .map(|n| toml::Value::Integer(i64::from(*n)))
                .collect(),
        ),
        Answer::Int(i) => toml::Value::Integer(*i),
        Answer::Text(t) => toml::Value::String(t.clone()),
        Answer::Date(d) => date(*d),
        Answer::Moment(m) => match m.time {
            Some(t) => format!("{}T{}", m.date, t.format("%H:%M:%S"))
                .parse::<toml::value::Datetime>()
                .map(toml::Value::Datetime)
                .unwrap_or_else(|_| toml::Value::String(m.to_string())),
            None => date(m.date),
        },
        Answer::YearMonth(ym) => toml::Value::String(ym.to_string()),
        Answer::Bool(b) => toml::Value::Boolean(*b),
        Answer::Event(Event::No) => toml::Value::Boolean(false),
        Answer::Event(Event::Yes) => toml::Value::Boolean(true),
        Answer::Event(Event::On(d)) => date(*d),
    }
}

/// The facts as the answers table the interview keeps (by each question's key).
pub(crate) fn table_of(ed: &Edition, f: &Facts) -> Table {
    let mut t = Table::new();
    for q in &ed.questions {
        if let Some(a) = f.get(&q.id) {
            interview::set(&mut t, &q.key, to_toml(a));
        }
        if let (Some(k), Some(text)) = (q.other_key(), f.other_texts.get(&q.id)) {
            interview::set(&mut t, &k, toml::Value::String(text.clone()));
        }
    }
    t
}

/// Typed text as the value a file would hold: numbers as numbers, a list of numbers split on
/// commas, 読点 or spaces (全角 too), はい/いいえ as true/false.
fn typed(kind: QKind, text: &str) -> serde_json::Value {
    use serde_json::Value as J;
    let h = text.trim();
    let number = |s: &str| match s.parse::<i64>() {
        Ok(n) => J::from(n),
        Err(_) => J::String(s.to_string()),
    };
    match kind {
        QKind::Many => J::Array(
            h.trim_matches(|c| matches!(c, '[' | ']' | '［' | '］'))
                .split(|c: char| {
                    matches!(c, ',' | '、' | '，' | '・' | '\u{3000}') || c.is_whitespace()
                })
                .filter(|p| !p.is_empty())
                .map(number)
                .collect(),
        ),
        QKind::One | QKind::Count | QKind::Int | QKind::Yen => number(h),
        QKind::Bool => match h {
            "true" | "はい" => J::Bool(true),
            "false" | "いいえ" => J::Bool(false),
            _ => J::String(h.to_string()),
        },
        QKind::BoolOrDate => match h {
            "true" | "はい" | "ある" | "あり" => J::Bool(true),
            "false" | "いいえ" | "ない" | "なし" => J::Bool(false),
            _ => J::String(h.to_string()),
        },
        _ => J::String(h.to_string()),
    }
}

/// One answer read by the catalogue's reader, as `check` reads the same value in a file.
pub fn read_one(
    ed: &Edition,
    q: &Question,
    text: &str,
) -> Result<(toml::Value, Option<String>), String> {
    let mut root = serde_json::Map::new();
    let mut parts: Vec<&str> = q.key.split('.').collect();
    let last = parts.pop().unwrap_or(&q.key);
    // A text declared lenient (法人番号, 電話番号, 郵便番号) is read as check reads it.
    let read = q
        .lenient
        .and_then(|l| crate::input::lenient::declared(l.as_str(), text.trim()));
    let written = text.trim();
    let text = read.as_ref().map_or(text, |(t, _)| t.as_str());
    let mut leaf = serde_json::Map::new();
    leaf.insert(last.to_string(), typed(q.kind, text));
    let mut node = serde_json::Value::Object(leaf);
    while let Some(p) = parts.pop() {
        let mut m = serde_json::Map::new();
        m.insert(p.to_string(), node);
        node = serde_json::Value::Object(m);
    }
    if let serde_json::Value::Object(m) = node {
        root = m;
    }
    match super::read::read_value(&serde_json::Value::Object(root), ed) {
        Ok(r) => match r.facts.get(&q.id) {
            Some(a) => {
                let mut notes: Vec<String> = r.notes.iter().map(|n| n.message.clone()).collect();
                if let Some((t, why)) = &read {
                    notes.insert(0, format!("\"{written}\" → \"{t}\"（{why}）"));
                }
                Ok((to_toml(a), (!notes.is_empty()).then(|| notes.join(" "))))
            }
            None => Err(format!("{} の答えが空です。", q.label)),
        },
        Err(errors) => Err(errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join(" ")),
    }
}

/// The rules that read a question, in the edition's order: those that name it, and the
/// evaluation items it feeds.
fn rules_reading<'e>(ed: &'e Edition, q: &Question) -> Vec<&'e super::params::RuleDef> {
    ed.rules
        .iter()
        .filter(|r| r.questions.contains(&q.id) || q.feeds.contains(&r.id))
        .collect()
}

/// A question the interview does not ask: optional in the workbook and read by no rule
/// (英文法人名, the invoice's addressee, the survey Q42～Q58 …). Its line stays in the file,
/// blank, for whoever wants to write it.
fn not_needed(ed: &Edition, q: &Question) -> bool {
    q.optional && rules_reading(ed, q).is_empty()
}

impl Questionnaire for KenkoQuestionnaire {
    fn not_asked(&self) -> Option<String> {
        let ed = edition(None).unwrap_or_else(|_| super::load::bundled());
        let skipped: Vec<&Question> = ed.questions.iter().filter(|q| not_needed(ed, q)).collect();
        if skipped.is_empty() {
            return None;
        }
        // By table, in the workbook's order: the labels (two, then 「など」), or for the
        // workbook's numbered questions their range.
        let mut parts: Vec<String> = Vec::new();
        let mut tables: Vec<&str> = Vec::new();
        for q in &skipped {
            let top = q.key.split('.').next().unwrap_or("");
            if !tables.contains(&top) {
                tables.push(top);
            }
        }
        for top in tables {
            let of: Vec<&&Question> = skipped
                .iter()
                .filter(|q| q.key.split('.').next() == Some(top))
                .collect();
            let number = |q: &Question| -> Option<u32> {
                let digits: String = q
                    .label
                    .strip_prefix('Q')?
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                digits.parse().ok()
            };
            let mut numbers: Vec<u32> = of.iter().filter_map(|q| number(q)).collect();
            numbers.sort_unstable();
            numbers.dedup();
            // Runs of consecutive numbers: Q6、Q42～Q58.
            let mut runs: Vec<String> = Vec::new();
            let mut i = 0;
            while i < numbers.len() {
                let mut j = i;
                while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
                    j += 1;
                }
                runs.push(if i == j {
                    format!("Q{}", numbers[i])
                } else {
                    format!("Q{}～Q{}", numbers[i], numbers[j])
                });
                i = j + 1;
            }
            let mut labels: Vec<&str> = Vec::new();
            for q in of.iter().filter(|q| number(q).is_none()) {
                if !labels.contains(&q.label.as_str()) {
                    labels.push(q.label.as_str());
                }
            }
            let more = if labels.len() > 2 { "など" } else { "" };
            labels.truncate(2);
            let mut words: Vec<String> = runs;
            if !labels.is_empty() {
                words.push(format!("{}{more}", labels.join("・")));
            }
            parts.push(words.join("・"));
        }
        Some(format!(
            "任意で、認定の判定に使わない設問（{}問: {}）は質問しません。回答ファイルには空欄で残るので、申請書に書く内容を控えておきたければ書き込めます。",
            skipped.len(),
            parts.join("、")
        ))
    }

    fn steps(&self) -> Vec<Step> {
        steps_of(edition(None).unwrap_or_else(|_| super::load::bundled()))
    }

    fn why(&self, answers: &Table, key: &str) -> Vec<String> {
        let ed = edition_of(answers);
        let q = match ed.question_by_key(key).or_else(|| other_of(ed, key)) {
            Some(q) => q,
            None => return Vec::new(),
        };
        let mut out: Vec<String> = rules_reading(ed, q)
            .into_iter()
            .map(|r| {
                let mark = r.mark.as_deref().unwrap_or("");
                match r.quote.first() {
                    Some(quote) => format!(
                        "[{}] {mark}{} — 申請書「{}」（{}）",
                        r.id,
                        r.title,
                        quote.trim_end_matches('。'),
                        r.cite
                    ),
                    None => format!("[{}] {mark}{}（{}）", r.id, r.title, r.cite),
                }
            })
            .collect();
        if out.is_empty() {
            out.push(format!(
                "申請書 {}（{}）の回答欄です{}",
                q.label,
                q.cite,
                if q.optional {
                    "（任意。認定の判定には使いません）"
                } else if !q.on_form {
                    "（申請書にはない、判定に要る事実）"
                } else {
                    ""
                }
            ));
        }
        out
    }

    fn read_answer(
        &self,
        key: &str,
        _kind: Kind,
        text: &str,
    ) -> Result<(toml::Value, Option<String>), String> {
        if let Some((e, q)) = editions()
            .into_iter()
            .rev()
            .find_map(|e| other_of(e, key).map(|q| (e, q)))
        {
            let _ = (e, q);
            return Ok((toml::Value::String(text.trim().to_string()), None));
        }
        let Some((ed, q)) = question_by_key(key) else {
            return Err(format!("{key} はこの回答ファイルの項目ではありません。"));
        };
        read_one(ed, q, text)
    }

    fn failing(
        &self,
        answers: &Table,
        asked: &BTreeSet<String>,
        key: &str,
        today: chrono::NaiveDate,
    ) -> Vec<Failing> {
        let ed = edition_of(answers);
        let Some(q) = ed.question_by_key(key) else {
            return Vec::new();
        };
        let facts = facts_of(ed, answers);
        let ev = super::evaluate::evaluate(ed, &facts, today);
        let asked_id = |id: &String| ed.question(id).is_some_and(|x| asked.contains(&x.key));
        let mut seen = BTreeSet::new();
        ev.findings
            .iter()
            .filter(|f| f.outcome == crate::model::findings::Outcome::Fail)
            .filter(|f| {
                let Some(r) = ed.rule(&f.rule) else {
                    return false;
                };
                if !r.questions.is_empty() {
                    // A rule on its own questions, once all of them are asked.
                    r.questions.contains(&q.id) && r.questions.iter().all(asked_id)
                } else {
                    // A count: it fails only when it can no longer be met; said when one of
                    // its items' questions was just answered.
                    ed.counts.iter().filter(|c| c.rule == f.rule).any(|c| {
                        c.items.iter().any(|i| {
                            ed.rule(i).is_some_and(|ir| {
                                ir.questions.contains(&q.id) || q.feeds.contains(&ir.id)
                            })
                        })
                    })
                }
            })
            .filter(|f| seen.insert(f.rule.clone()))
            .map(|f| {
                let changes: Vec<String> = ev
                    .advice
                    .iter()
                    .filter(|a| a.rule == f.rule)
                    .map(|a| a.headline.clone())
                    .chain(
                        // An item (or a 必須 rule): the ways that would make it pass.
                        ev.advice
                            .iter()
                            .flat_map(|a| &a.items)
                            .filter(|i| i.rule == f.rule)
                            .flat_map(|i| {
                                i.ways
                                    .iter()
                                    .map(|w| w.sentence.clone())
                                    .chain(i.change.clone())
                            })
                            .take(2),
                    )
                    .collect();
                Failing {
                    rule: f.rule.clone(),
                    message: format!("[{}] {}: {}", f.rule, f.title, f.message),
                    changes,
                }
            })
            .collect()
    }

    fn confirms(&self, _answers: &Table) -> Vec<Confirm> {
        Vec::new()
    }

    fn render(&self, answers: &Table, asked: &BTreeSet<String>) -> String {
        let ed = edition_of(answers);
        let unknown: BTreeSet<String> = asked
            .iter()
            .filter(|k| interview::get(answers, k).is_none() && self.applies(answers, k))
            .cloned()
            .collect();
        super::schema::filled(ed, &|key| interview::get(answers, key).cloned(), &unknown)
    }

    fn resume(&self, path: &Path) -> Result<(Table, Vec<Notice>), String> {
        let (ed, facts, notices) = super::answers::read_answers_path(path).map_err(|e| {
            format!(
                "{e}直してから、もう一度 new --resume {} を実行してください。",
                path.display()
            )
        })?;
        let mut t = table_of(ed, &facts);
        t.insert(
            "programme".into(),
            toml::Value::String(ed.programme.clone()),
        );
        t.insert("edition".into(), toml::Value::String(ed.edition.clone()));
        Ok((t, notices))
    }

    fn check_known_keys(&self, answers: &Table) -> Result<(), String> {
        let ed = edition_of(answers);
        let known: BTreeSet<String> = super::schema::keys(ed).into_iter().collect();
        let mut leaves = Vec::new();
        leaf_keys(answers, "", &mut leaves);
        let unknown: Vec<String> = leaves.into_iter().filter(|k| !known.contains(k)).collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "次のキーは {} の回答ファイルにないため、続きから書き直すと失われます: {}。",
                ed.edition_name,
                unknown.join("、")
            ))
        }
    }

    fn start(&self, answers: &mut Table) {
        let ed = edition_of(answers);
        answers
            .entry("programme")
            .or_insert_with(|| toml::Value::String(ed.programme.clone()));
        answers
            .entry("edition")
            .or_insert_with(|| toml::Value::String(ed.edition.clone()));
    }

    fn applies(&self, answers: &Table, key: &str) -> bool {
        let ed = edition_of(answers);
        if let Some(q) = other_of(ed, key) {
            let f = facts_of(ed, answers);
            return match f.get(&q.id) {
                Some(Answer::One(n)) => q.other.contains(n),
                Some(Answer::Many(s)) => q.other.iter().any(|n| s.contains(n)),
                _ => false,
            };
        }
        let Some(q) = ed.question_by_key(key) else {
            return true;
        };
        if not_needed(ed, q) {
            return false;
        }
        if q.when.is_none() {
            return true;
        }
        // Only when the condition holds on the answers so far (not while it is unknown).
        facts_of(ed, answers).applies(ed, q) == Some(true)
    }

    fn carry_over(&self, from: &Path) -> Result<(Table, Vec<String>), String> {
        let (old, facts, _) = super::answers::read_answers_path(from).map_err(|e| {
            format!(
                "{e}直してから、もう一度 new --from {} を実行してください。",
                from.display()
            )
        })?;
        let new = edition(None)?;
        Ok(carry_over(old, &facts, new))
    }

    fn file_name(&self) -> &'static str {
        "answers.toml"
    }

    fn read_profile(&self, path: &Path) -> Result<(Table, Vec<Notice>), String> {
        let (ed, facts, notices) = super::answers::read_profile_path(path)?;
        Ok((table_of(ed, &facts), notices))
    }
}

fn leaf_keys(t: &Table, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in t {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(sub) => leaf_keys(sub, &key, out),
            _ => out.push(key),
        }
    }
}

/// Last year's answers (`old` edition) as this year's (`new`): each answer goes to the
/// question with the same catalogue ID, whatever its number now; an option goes to the
/// option with the same text (its number may have changed). Returns the answers and what
/// changed, one line each: questions renumbered, answers or options that no longer exist,
/// dates not carried (they are last year's), questions new this year, and changed thresholds.
pub fn carry_over(old: &Edition, f: &Facts, new: &'static Edition) -> (Table, Vec<String>) {
    let mut t = Table::new();
    t.insert(
        "programme".into(),
        toml::Value::String(new.programme.clone()),
    );
    t.insert("edition".into(), toml::Value::String(new.edition.clone()));
    let mut changes = Vec::new();
    let (y0, y1) = (&old.edition, &new.edition);
    for q in &old.questions {
        let Some(a) = f.get(&q.id) else { continue };
        let Some(nq) = new.question(&q.id) else {
            changes.push(format!(
                "{}（{}）は {y1} 年版にない設問のため、引き継ぎませんでした（{y0} 年の回答「{}」）。",
                q.label,
                q.key,
                shown(a)
            ));
            continue;
        };
        if nq.kind != q.kind {
            changes.push(format!(
                "{} の答え方が変わったため（{:?} → {:?}）、引き継ぎませんでした。{y1} 年版で答えてください。",
                nq.label, q.kind, nq.kind
            ));
            continue;
        }
        if matches!(q.kind, QKind::Date | QKind::Datetime | QKind::YearMonth) {
            changes.push(format!(
                "{}（{}）は前回（{y0} 年版）の日付のため、引き継ぎませんでした。今回の日付を書いてください。",
                nq.label, nq.key
            ));
            continue;
        }
        // Options by their text: the same option may have a new number.
        let map = |n: u32| -> Result<u32, String> {
            let text = q.option(n).map(|o| o.text.as_str()).unwrap_or("");
            if let Some(o) = nq.options.iter().find(|o| o.text == text) {
                return Ok(o.n);
            }
            Err(format!(
                "{} の選択肢 {n}「{text}」は {y1} 年版にないため、外しました。",
                nq.label
            ))
        };
        let value = match a {
            Answer::One(n) => match map(*n) {
                Ok(m) => {
                    if m != *n {
                        changes.push(format!(
                            "{} の選択肢「{}」は {n} から {m} に番号が変わりました。",
                            nq.label,
                            nq.option(m).map(|o| o.text.as_str()).unwrap_or("")
                        ));
                    }
                    Some(Answer::One(m))
                }
                Err(e) => {
                    changes.push(e);
                    None
                }
            },
            Answer::Many(set) => {
                let mut out = BTreeSet::new();
                for n in set {
                    match map(*n) {
                        Ok(m) => {
                            if m != *n {
                                changes.push(format!(
                                    "{} の選択肢「{}」は {n} から {m} に番号が変わりました。",
                                    nq.label,
                                    nq.option(m).map(|o| o.text.as_str()).unwrap_or("")
                                ));
                            }
                            out.insert(m);
                        }
                        Err(e) => changes.push(e),
                    }
                }
                (!out.is_empty()).then_some(Answer::Many(out))
            }
            other => Some(other.clone()),
        };
        let Some(value) = value else { continue };
        if nq.key != q.key {
            changes.push(format!(
                "{y0} 年の {}（{}）は {y1} 年版では {}（{}）です。回答「{}」を引き継ぎました。",
                q.label,
                q.key,
                nq.label,
                nq.key,
                shown(&value)
            ));
        }
        interview::set(&mut t, &nq.key, to_toml(&value));
        if let (Some(k), Some(text)) = (nq.other_key(), f.other_texts.get(&q.id)) {
            interview::set(&mut t, &k, toml::Value::String(text.clone()));
        }
    }
    for nq in &new.questions {
        if old.question(&nq.id).is_none() {
            changes.push(format!(
                "{y1} 年版の新しい設問: {}（{}）。",
                label_of(nq),
                nq.key
            ));
        }
    }
    for c in &new.counts {
        if let Some(o) = old.count(&c.rule, c.track) {
            if o.at_least.value != c.at_least.value {
                changes.push(format!(
                    "[{}] {}（{}）の必要な項目数: {y0} 年 {} → {y1} 年 {}。",
                    c.rule,
                    c.label,
                    c.track.label(),
                    o.at_least.value,
                    c.at_least.value
                ));
            }
        }
    }
    if old.edition == new.edition {
        changes.insert(
            0,
            format!(
                "{} は {y1} 年版の回答です（新しい版はありません）。",
                old.edition_name
            ),
        );
    }
    (t, changes)
}

/// An answer in a sentence: numbers joined with 「・」, text as written.
fn shown(a: &Answer) -> String {
    match a {
        Answer::Many(s) => s.iter().map(u32::to_string).collect::<Vec<_>>().join("・"),
        Answer::Text(t) => t.clone(),
        other => to_toml(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programmes::kenko_keiei::bundled;

    fn read(key: &str, text: &str) -> Result<(toml::Value, Option<String>), String> {
        let ed = bundled();
        read_one(ed, ed.question_by_key(key).unwrap(), text)
    }

    #[test]
    fn answers_are_read_as_check_reads_them() {
        let many = toml::Value::Array(vec![1.into(), 3.into()]);
        for text in ["1,3", "1 3", "1、3", "[1, 3]", "１，３", "１　３", "3,1,1"] {
            assert_eq!(read("answers.q14", text).unwrap().0, many, "{text}");
        }
        assert_eq!(read("answers.q13", "2").unwrap().0, toml::Value::Integer(2));
        let (v, note) = read("corporation.employees.regular", "３０").unwrap();
        assert_eq!(v, toml::Value::Integer(30));
        assert!(note.is_some());
        // Not an option: the question and its options are named.
        let e = read("answers.q14", "1,9").unwrap_err();
        assert!(e.contains("Q14"), "{e}");
        assert!(read("answers.q13", "x").is_err());
        // A number written as text, as check reads it (the catalogue's `lenient`).
        let (v, note) = read("corporation.insurer.kyokai_symbol", "１２３４５６７８").unwrap();
        assert_eq!(v, toml::Value::String("12345678".into()));
        assert!(note.unwrap().contains("→ \"12345678\""));
        let (v, note) = read("corporation.city", "千代田区１－１").unwrap();
        assert_eq!(v, toml::Value::String("千代田区１－１".into()));
        assert!(note.is_none());
        assert_eq!(
            read("pledge.violations.labour_law", "ない").unwrap().0,
            toml::Value::Boolean(false)
        );
    }

    #[test]
    fn labels_say_the_number_and_the_text_once() {
        let ed = bundled();
        let l = |id: &str| label_of(ed.question(id).unwrap());
        assert_eq!(l("corp.name"), "法人名 (法人格含む)");
        assert!(
            l("legal_form").starts_with("★Q2(a) 法人格の分類"),
            "{}",
            l("legal_form")
        );
    }

    #[test]
    fn optional_questions_no_rule_reads_are_not_asked_and_said_so() {
        let q = &QUESTIONNAIRE;
        let t = Table::new();
        for key in [
            "answers.q42",
            "answers.q54",
            "corporation.name_en",
            "contact.fax",
        ] {
            assert!(!q.applies(&t, key), "{key} is asked");
        }
        // Optional in the workbook but read by a rule (KK-E2): asked.
        assert!(q.applies(&t, "facts.group_total"));
        assert!(q.applies(&t, "answers.q6"));
        let said = q.not_asked().unwrap();
        let ed = bundled();
        let n = ed
            .questions
            .iter()
            .filter(|x| !q.applies(&t, &x.key) && x.when.is_none())
            .count();
        assert!(n > 40, "{n}");
        assert!(said.contains("Q42～Q58"), "{said}");
        assert!(said.contains("英文法人名"), "{said}");
        assert!(
            said.starts_with("任意で、認定の判定に使わない設問（"),
            "{said}"
        );
        eprintln!("{said}");
    }

    #[test]
    fn a_conditional_sq_applies_only_when_its_condition_holds() {
        let q = &QUESTIONNAIRE;
        let mut t = Table::new();
        assert!(!q.applies(&t, "corporation.insurer.kyokai_branch"));
        interview::set(&mut t, "corporation.insurer.kind", toml::Value::Integer(1));
        assert!(q.applies(&t, "corporation.insurer.kyokai_branch"));
        assert!(!q.applies(&t, "corporation.insurer.kenpo_name"));
    }
}
