//! From a parsed answers file (TOML or JSON, as a `serde_json::Value`) to the typed answers,
//! walking the question catalogue: every key of the file must be a question's key (or its
//! 「その他」 text), every value must have its question's shape. Every problem is reported at
//! once, each with its key path, in Japanese; a number that is not an option names the
//! question and lists its options. Nothing here panics on any input.
//!
//! Lenient where the meaning is unambiguous (said in a [`Note`]): 全角 digits, a number written
//! as a string, one number where a list is expected, a repeated option, an amount with commas,
//! a date written 2025/9/30 or 2025年9月30日, a time with an offset (converted to JST).

use super::facts::{Answer, Event, Facts, Moment, LEGAL_FORM, SCOPE};
use super::params::{Edition, Kind, Question};
use crate::model::dates::YearMonth;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The keys of the answers file that are not questions.
pub const META_KEYS: [&str; 2] = ["programme", "edition"];

/// A problem with the answers file: the key path, what is wrong and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// Dotted key path (`answers.q14`), or `""` for the whole file.
    pub path: String,
    /// The workbook's number of the question (「Q14」), when the key is a question.
    pub question: Option<String>,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Something the reader accepted by normalising it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub path: String,
    pub message: String,
}

/// The answers, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Read {
    pub facts: Facts,
    /// The file's `edition`, when it names one.
    pub edition: Option<String>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

/// Parses and reads an answers file's text.
pub fn read_str(text: &str, format: Format, ed: &Edition) -> Result<Read, Vec<InputError>> {
    let value = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            vec![InputError {
                path: String::new(),
                question: None,
                message: format!(
                    "JSON として読めません（{} 行 {} 列）: {e}",
                    e.line(),
                    e.column()
                ),
            }]
        })?,
        Format::Toml => {
            let t: toml::Table = toml::from_str(text).map_err(|e| {
                vec![InputError {
                    path: String::new(),
                    question: None,
                    message: format!("TOML として読めません: {}", e.message()),
                }]
            })?;
            toml_to_json(&toml::Value::Table(t))
        }
    };
    read_value(&value, ed)
}

/// Reads an answers file already parsed as TOML.
pub fn read_toml(v: &toml::Value, ed: &Edition) -> Result<Read, Vec<InputError>> {
    read_value(&toml_to_json(v), ed)
}

/// TOML → JSON, dates and times as their TOML text (`2025-10-17T17:00:00`).
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Reads an answers file parsed as a JSON value.
pub fn read_value(root: &Value, ed: &Edition) -> Result<Read, Vec<InputError>> {
    let mut r = Reader {
        ed,
        facts: Facts::default(),
        notes: Vec::new(),
        errors: Vec::new(),
    };
    let Some(obj) = root.as_object() else {
        return Err(vec![InputError {
            path: String::new(),
            question: None,
            message:
                "回答ファイルの一番外側は表（TOML のキーと値、JSON のオブジェクト）にしてください。"
                    .into(),
        }]);
    };
    let mut edition = None;
    for k in META_KEYS {
        match obj.get(k) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if k == "programme" && s != &ed.programme => r.error(
                k,
                None,
                format!(
                    "\"{s}\" は {} の回答ファイルではありません（programme = \"{}\"）。",
                    ed.programme_name, ed.programme
                ),
            ),
            Some(Value::String(s)) if k == "edition" => {
                if s != &ed.edition {
                    r.error(
                        k,
                        None,
                        format!("この回答ファイルは {s} 年版です。{} 年版として読むことはできません（edition = \"{}\"）。", ed.edition, ed.edition),
                    );
                }
                edition = Some(s.clone());
            }
            Some(Value::String(_)) => {}
            Some(other) => r.error(
                k,
                None,
                format!(
                    "{k} は文字列で書いてください（例: {k} = \"{}\"）。今の値: {other}",
                    if k == "edition" {
                        &ed.edition
                    } else {
                        &ed.programme
                    }
                ),
            ),
        }
    }
    let mut leaves = Vec::new();
    collect(root, "", &mut leaves);
    let keys: BTreeMap<&str, &Question> =
        ed.questions.iter().map(|q| (q.key.as_str(), q)).collect();
    let others: BTreeMap<String, &Question> = ed
        .questions
        .iter()
        .filter_map(|q| q.other_key().map(|k| (k, q)))
        .collect();
    for (path, v) in leaves {
        if META_KEYS.contains(&path.as_str()) {
            continue;
        }
        if let Some(q) = keys.get(path.as_str()) {
            r.answer(q, &path, v);
        } else if let Some(q) = others.get(&path) {
            match text(v) {
                Some(t) if !t.is_empty() => {
                    r.facts.other_texts.insert(q.id.clone(), t);
                }
                Some(_) => {}
                None => r.error(
                    &path,
                    Some(q),
                    format!(
                        "{} の「その他」の内容は文字列で書いてください。今の値: {v}",
                        q.label
                    ),
                ),
            }
        } else {
            let near = keys
                .keys()
                .copied()
                .chain(others.keys().map(String::as_str))
                .map(|k| (strsim::damerau_levenshtein(k, &path), k))
                .min();
            let hint = match near {
                Some((d, k)) if d <= 3 || k.ends_with(path.rsplit('.').next().unwrap_or("")) => {
                    format!("「{k}」の書き間違いではありませんか。")
                }
                _ => "使えるキーは `new --template` の雛形にあります。".into(),
            };
            r.error(
                &path,
                None,
                format!(
                    "このキーは{}の回答ファイルにありません。{hint}",
                    ed.edition_name
                ),
            );
        }
    }
    r.cross_checks();
    if r.errors.is_empty() {
        Ok(Read {
            facts: r.facts,
            edition,
            notes: r.notes,
        })
    } else {
        Err(r.errors)
    }
}

/// Every non-table value with its dotted path, in the file's order.
fn collect<'v>(v: &'v Value, prefix: &str, out: &mut Vec<(String, &'v Value)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                collect(v, &p, out);
            }
        }
        _ => out.push((prefix.to_string(), v)),
    }
}

/// 全角 digits and signs to ASCII, trimmed (also 全角 spaces).
fn half_width(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '，' | '、' => ',',
            '－' | '−' | 'ー' => '-',
            '／' => '/',
            '：' => ':',
            '．' => '.',
            '＋' => '+',
            _ => c,
        })
        .collect()
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(|s| s.trim().to_string())
}

struct Reader<'e> {
    ed: &'e Edition,
    facts: Facts,
    notes: Vec<Note>,
    errors: Vec<InputError>,
}

impl Reader<'_> {
    fn error(&mut self, path: &str, q: Option<&Question>, message: String) {
        self.errors.push(InputError {
            path: path.to_string(),
            question: q.map(|q| q.label.clone()),
            message,
        });
    }

    fn note(&mut self, path: &str, message: String) {
        self.notes.push(Note {
            path: path.to_string(),
            message,
        });
    }

    /// A whole number: a JSON/TOML integer, or a string of (全角) digits (noted).
    fn integer(
        &mut self,
        q: &Question,
        path: &str,
        v: &Value,
        commas: bool,
    ) -> Result<i64, String> {
        match v {
            Value::Number(n) => n
                .as_i64()
                .ok_or_else(|| format!("{} は整数で書いてください。今の値: {n}", q.label)),
            Value::String(s) => {
                let h = half_width(s);
                let h2 = if commas {
                    h.replace(',', "")
                } else {
                    h.clone()
                };
                match h2.parse::<i64>() {
                    Ok(n) => {
                        self.note(path, format!("\"{s}\" を数 {n} として読みました。"));
                        Ok(n)
                    }
                    Err(_) => Err(format!(
                        "{} は整数で書いてください。今の値: \"{s}\"",
                        q.label
                    )),
                }
            }
            other => Err(format!(
                "{} は整数で書いてください。今の値: {other}",
                q.label
            )),
        }
    }

    fn option_error(&self, q: &Question, n: i64) -> String {
        let list: Vec<String> = q
            .options
            .iter()
            .map(|o| format!("    {} {}", o.n, o.text))
            .collect();
        let how = if q.kind == Kind::One {
            "1つだけ選ぶ設問です。番号を1つ書いてください"
        } else {
            "いくつでも選べる設問です。番号の配列で書いてください（例: [1, 3]）"
        };
        format!(
            "{} の回答 {n} は選択肢にありません。{how}。選択肢:\n{}",
            q.label,
            list.join("\n")
        )
    }

    fn option(&mut self, q: &Question, path: &str, v: &Value) -> Result<u32, String> {
        let n = self.integer(q, path, v, false)?;
        if q.options.iter().any(|o| i64::from(o.n) == n) {
            Ok(n as u32)
        } else {
            Err(self.option_error(q, n))
        }
    }

    fn answer(&mut self, q: &Question, path: &str, v: &Value) {
        if v.is_null() {
            return;
        }
        let last = path.rsplit('.').next().unwrap_or(path);
        let parsed: Result<Option<Answer>, String> = match q.kind {
            Kind::One => match v {
                Value::Array(a) if a.len() == 1 => {
                    self.note(path, format!("{} は1つだけ選ぶ設問のため、[{}] を {} として読みました。", q.label, a[0], a[0]));
                    self.option(q, path, &a[0]).map(|n| Some(Answer::One(n)))
                }
                Value::Array(_) => Err(format!("{} は1つだけ選ぶ設問です。番号を1つ書いてください（例: {last} = {}）。", q.label, q.options[0].n)),
                _ => self.option(q, path, v).map(|n| Some(Answer::One(n))),
            },
            Kind::Many => {
                let items: Vec<&Value> = match v {
                    Value::Array(a) => a.iter().collect(),
                    Value::Number(_) | Value::String(_) => {
                        self.note(path, format!("{} はいくつでも選べる設問のため、{v} を [{v}] として読みました。", q.label));
                        vec![v]
                    }
                    other => {
                        return self.error(path, Some(q), format!("{} は選択肢の番号の配列で書いてください（例: {last} = [1, 3]）。今の値: {other}", q.label));
                    }
                };
                let mut set = BTreeSet::new();
                let mut errs = Vec::new();
                for item in items {
                    match self.option(q, path, item) {
                        Ok(n) => {
                            if !set.insert(n) {
                                self.note(path, format!("{} の {n} が2回書かれています（1回として読みました）。", q.label));
                            }
                        }
                        Err(e) => errs.push(e),
                    }
                }
                if errs.is_empty() {
                    Ok((!set.is_empty()).then_some(Answer::Many(set)))
                } else {
                    Err(errs.join("\n"))
                }
            }
            Kind::Count | Kind::Int | Kind::Yen => match self.integer(q, path, v, q.kind != Kind::Int) {
                Ok(n) => {
                    let min = q.min.or((q.kind != Kind::Int).then_some(0));
                    let unit = q.unit.as_deref().unwrap_or("");
                    if min.is_some_and(|m| n < m) || q.max.is_some_and(|m| n > m) {
                        Err(format!(
                            "{} は {}～{} の整数で書いてください。今の値: {n}{unit}",
                            q.label,
                            min.map(|m| m.to_string()).unwrap_or_default(),
                            q.max.map(|m| m.to_string()).unwrap_or_default()
                        ))
                    } else {
                        Ok(Some(Answer::Int(n)))
                    }
                }
                Err(e) => Err(e),
            },
            Kind::Text => match v {
                Value::String(s) => {
                    let t = s.trim();
                    Ok((!t.is_empty()).then(|| Answer::Text(t.to_string())))
                }
                Value::Number(n) => {
                    self.note(path, format!("数 {n} を文字列 \"{n}\" として読みました（番号・記号は \"…\" で囲んでください。先頭の0は失われます）。"));
                    Ok(Some(Answer::Text(n.to_string())))
                }
                other => Err(format!("{} は文字列で書いてください（例: {last} = \"…\"）。今の値: {other}", q.label)),
            },
            Kind::Date => match v.as_str().map(half_width) {
                Some(s) if s.is_empty() => Ok(None),
                Some(s) => match parse_date(&s) {
                    Some((d, normalised)) => {
                        if normalised {
                            self.note(path, format!("\"{s}\" を日付 {d} として読みました。"));
                        }
                        Ok(Some(Answer::Date(d)))
                    }
                    None => Err(format!("{} は日付で書いてください（例: {last} = 2025-09-30）。今の値: \"{s}\"", q.label)),
                },
                None => Err(format!("{} は日付で書いてください（例: {last} = 2025-09-30）。今の値: {v}", q.label)),
            },
            Kind::Datetime => match v.as_str().map(half_width) {
                Some(s) if s.is_empty() => Ok(None),
                Some(s) => match parse_moment(&s) {
                    Some((m, note)) => {
                        if let Some(n) = note {
                            self.note(path, n);
                        }
                        Ok(Some(Answer::Moment(m)))
                    }
                    None => Err(format!("{} は日付または日時（日本時間）で書いてください（例: {last} = 2025-10-10T14:30:00）。今の値: \"{s}\"", q.label)),
                },
                None => Err(format!("{} は日付または日時で書いてください（例: {last} = 2025-10-10T14:30:00）。今の値: {v}", q.label)),
            },
            Kind::YearMonth => match v.as_str().map(half_width) {
                Some(s) if s.is_empty() => Ok(None),
                Some(s) => {
                    // The input boundary's own reading (2025/5, 令和7年5月, R7.5), else
                    // the month of a date.
                    let ym = crate::input::lenient::read_year_month(&s)
                        .and_then(|((y, m), _)| YearMonth::new(y, m))
                        .or_else(|| parse_date(&s).map(|(d, _)| YearMonth::of(d)));
                    match ym {
                        Some(m) => {
                            if m.to_string() != s {
                                self.note(path, format!("\"{s}\" を年月 {m} として読みました。"));
                            }
                            Ok(Some(Answer::YearMonth(m)))
                        }
                        None => Err(format!("{} は年月で書いてください（例: {last} = \"2025-08\"）。今の値: \"{s}\"", q.label)),
                    }
                }
                None => Err(format!("{} は年月で書いてください（例: {last} = \"2025-08\"）。今の値: {v}", q.label)),
            },
            Kind::Bool => match v {
                Value::Bool(b) => Ok(Some(Answer::Bool(*b))),
                other => Err(format!("{} は true（はい）または false（いいえ）で書いてください。今の値: {other}", q.label)),
            },
            Kind::BoolOrDate => match v {
                Value::Bool(true) => Ok(Some(Answer::Event(Event::Yes))),
                Value::Bool(false) => Ok(Some(Answer::Event(Event::No))),
                Value::String(s) => match parse_date(&half_width(s)) {
                    Some((d, _)) => Ok(Some(Answer::Event(Event::On(d)))),
                    None => Err(format!("{} は false（ない）、true（ある）、または起きた日付（例: 2023-05-10）で書いてください。今の値: \"{s}\"", q.label)),
                },
                other => Err(format!("{} は false（ない）、true（ある）、または起きた日付（例: 2023-05-10）で書いてください。今の値: {other}", q.label)),
            },
        };
        match parsed {
            Ok(Some(a)) => self.facts.set(&q.id, a),
            Ok(None) => {}
            Err(e) => self.error(path, Some(q), e),
        }
    }

    /// Problems that need two answers (the catalogue calls them input errors).
    fn cross_checks(&mut self) {
        let ed = self.ed;
        let f = &self.facts;
        let mut errs = Vec::new();
        // KK-E2: Q3 = 2 only when Q2(a) = 6.
        if let (Some(2), Some(form)) = (f.one(SCOPE), f.one(LEGAL_FORM)) {
            if form != 6 {
                let q = ed.q(SCOPE);
                errs.push((
                    q,
                    format!(
                    "{} の 2「{}」は Q2(a) が 6（地方公共団体）の場合のみ選べます（Q2(a) は {}）。",
                    q.label,
                    q.option(2).map(|o| o.text.as_str()).unwrap_or(""),
                    ed.q(LEGAL_FORM).option_label(form)
                ),
                ));
            }
        }
        // KK-V1: y ≤ x and x > 0.
        if let Some(c) = f.checkup() {
            let q = ed.q("checkup.examined");
            if c.x <= 0 {
                errs.push((q, format!(
                    "Q11 の (x) 対象人数 = (u) {} − (v) {} + (w) {} = {} です。対象人数が0人以下にはなりません。(u) は Q4 の合計です。",
                    c.u, c.v, c.w, c.x
                )));
            } else if c.y > c.x {
                errs.push((q, format!(
                    "Q11 の (y) 健診受診者数 {} が (x) 対象人数 {}（= (u) {} − (v) {} + (w) {}）を超えています。",
                    c.y, c.x, c.u, c.v, c.w
                )));
            }
        }
        // Answers to SQs that do not apply: kept, not used.
        let mut notes = Vec::new();
        for q in &ed.questions {
            if !f.is_blank(&q.id) && f.applies(ed, q) == Some(false) {
                notes.push(Note {
                    path: q.key.clone(),
                    message: format!(
                        "{} は条件に当たらないため回答不要です（判定には使いません）。",
                        q.label
                    ),
                });
            }
        }
        for (q, m) in errs {
            self.errors.push(InputError {
                path: q.key.clone(),
                question: Some(q.label.clone()),
                message: m,
            });
        }
        self.notes.extend(notes);
    }
}

/// A date as the input boundary reads one (`2025-09-30`, `2025/9/30`, `2025年9月30日`,
/// `令和7年9月30日`, `R7.9.30`); the bool says it was normalised.
fn parse_date(s: &str) -> Option<(NaiveDate, bool)> {
    use crate::input::lenient::{read_date, DateRead};
    match read_date(s) {
        DateRead::Iso(d) => Some((d, false)),
        DateRead::Normalised(d) => Some((d, true)),
        _ => None,
    }
}

/// A date, or a date and time; an offset is converted to JST.
fn parse_moment(s: &str) -> Option<(Moment, Option<String>)> {
    if let Some((d, n)) = parse_date(s) {
        let note = n.then(|| format!("\"{s}\" を日付 {d} として読みました。"));
        return Some((
            Moment {
                date: d,
                time: None,
            },
            note,
        ));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        let jst = FixedOffset::east_opt(9 * 3600)?;
        let local = dt.with_timezone(&jst).naive_local();
        let note = (dt.offset().local_minus_utc() != 9 * 3600).then(|| {
            format!(
                "\"{s}\" を日本時間 {} として読みました。",
                local.format("%Y-%m-%d %H:%M")
            )
        });
        return Some((
            Moment {
                date: local.date(),
                time: Some(local.time()),
            },
            note,
        ));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            let note = (!fmt.starts_with("%Y-%m-%dT")).then(|| {
                format!(
                    "\"{s}\" を日時 {} として読みました。",
                    dt.format("%Y-%m-%d %H:%M")
                )
            });
            return Some((
                Moment {
                    date: dt.date(),
                    time: Some(dt.time()),
                },
                note,
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programmes::kenko_keiei::load::bundled;
    use serde_json::json;

    #[test]
    fn every_problem_at_once_with_its_path() {
        let v = json!({
            "corporation": { "legal_form": 9, "employees": { "regular": -1 } },
            "answers": { "q14": [1, 19], "q6": [1, 2], "q99": 1, "q16": "x" }
        });
        let errs = read_value(&v, bundled()).unwrap_err();
        let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&"corporation.legal_form"), "{errs:?}");
        assert!(paths.contains(&"corporation.employees.regular"), "{errs:?}");
        assert!(paths.contains(&"answers.q14"), "{errs:?}");
        assert!(paths.contains(&"answers.q6"), "{errs:?}");
        assert!(paths.contains(&"answers.q99"), "{errs:?}");
        assert!(paths.contains(&"answers.q16"), "{errs:?}");
        let q14 = errs.iter().find(|e| e.path == "answers.q14").unwrap();
        assert!(
            q14.message.contains("Q14 の回答 19 は選択肢にありません"),
            "{}",
            q14.message
        );
        assert!(
            q14.message.contains("7 特に行っていない"),
            "{}",
            q14.message
        );
        assert_eq!(q14.question.as_deref(), Some("Q14"));
    }

    #[test]
    fn lenient_where_unambiguous() {
        let v = json!({ "answers": { "q14": "３", "q6": "１", "q16": [1, 1, 2] },
                        "corporation": { "capital_yen": "10,000,000" },
                        "dates": { "uploaded": "2025-10-17T08:00:00Z" } });
        let r = read_value(&v, bundled()).unwrap();
        assert_eq!(
            r.facts
                .many("education")
                .unwrap()
                .iter()
                .copied()
                .collect::<Vec<_>>(),
            vec![3]
        );
        assert_eq!(r.facts.one("declaration"), Some(1));
        assert_eq!(r.facts.int("capital"), Some(10_000_000));
        let up = r.facts.moment("dates.uploaded").unwrap();
        assert_eq!(up.to_string(), "2025-10-17 17:00");
        assert!(r.notes.len() >= 4, "{:?}", r.notes);
    }

    #[test]
    fn json_and_toml_read_alike() {
        let t = "[answers]\nq6 = 1\nq14 = [1, 3]\n[dates]\nuploaded = 2025-10-10T14:00:00\n";
        let a = read_str(t, Format::Toml, bundled()).unwrap();
        let j = r#"{"answers": {"q6": 1, "q14": [1, 3]}, "dates": {"uploaded": "2025-10-10T14:00:00"}}"#;
        let b = read_str(j, Format::Json, bundled()).unwrap();
        assert_eq!(a.facts, b.facts);
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "",
            "[",
            "x = ",
            "{",
            "[answers]\nq6 = 1.5",
            "[answers]\nq11_y = 99999999999999999999",
        ] {
            let _ = read_str(t, Format::Toml, bundled());
            let _ = read_str(t, Format::Json, bundled());
        }
        let _ = read_value(&json!([1, 2]), bundled());
        let _ = read_value(
            &json!({"answers": {"q14": [[1]], "q6": {"a": 1}, "q11_y": null}}),
            bundled(),
        );
    }
}
