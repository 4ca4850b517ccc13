//! `packet` for 健康経営優良法人: what the applicant needs to act, never the workbook itself
//! (the tool has no real file of it, and its 事務局 does not allow an agent to write it).
//!
//! - `01-転記表.pdf` and `転記表.csv`: every question in the workbook's order, with the
//!   answer to type into it (option numbers and their text), ★ for the required ones, and
//!   the evaluation item it feeds;
//! - `02-保存資料.pdf`: the documents to keep for every ticked option, until the retention
//!   date (KK-W5);
//! - `check.json`: what `check --format json` prints.
//!
//! Pure: the files in memory, no I/O, no clock.

use super::facts::{Answer, Event, Facts};
use super::judged::{when_text, KenkoJudged};
use super::params::{Edition, Kind, Question};
use crate::model::dates::wareki;
use crate::model::doc::{OutputFile, Packet, PacketError};
use crate::output::csv::{self, Cell};
use crate::page::Document;
use std::fmt::Write as _;

/// One row of the 転記表.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 「Q14」「Q10 SQ7」.
    pub label: String,
    /// The workbook's question text (its first sentence).
    pub question: String,
    /// The answer as the workbook takes it: option numbers (「1, 3」), a number, a text.
    pub enter: String,
    /// The options' text, or the unit.
    pub meaning: String,
    pub star: bool,
    /// The evaluation items it feeds (「⑧」).
    pub feeds: String,
    /// 未回答 (needed), 未記入, 任意・未記入, 対象外 (not asked for this 法人), or empty.
    pub state: &'static str,
}

/// The first sentence of a question's text, at most 60 characters.
fn short(text: &str) -> String {
    let first = text.split_inclusive('。').next().unwrap_or(text).trim();
    let mut s: String = first.chars().take(60).collect();
    if first.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// The answer of a question, as the workbook takes it and as its options say.
fn answer(q: &Question, a: &Answer) -> (String, String) {
    let unit = q.unit.clone().unwrap_or_default();
    match a {
        Answer::One(n) => (
            n.to_string(),
            q.option(*n).map(|o| o.text.clone()).unwrap_or_default(),
        ),
        Answer::Many(set) => (
            set.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            set.iter()
                .map(|n| q.option_label(*n))
                .collect::<Vec<_>>()
                .join("／"),
        ),
        Answer::Int(n) => (n.to_string(), unit),
        Answer::Text(t) => (t.clone(), String::new()),
        Answer::Date(d) => (d.format("%Y/%m/%d").to_string(), wareki(*d)),
        Answer::Moment(m) => (m.to_string(), String::new()),
        Answer::YearMonth(m) => (m.to_string(), String::new()),
        Answer::Bool(b) => (if *b { "はい" } else { "いいえ" }.into(), String::new()),
        Answer::Event(Event::No) => ("いいえ".into(), String::new()),
        Answer::Event(Event::Yes) => ("はい".into(), String::new()),
        Answer::Event(Event::On(d)) => (d.format("%Y/%m/%d").to_string(), wareki(*d)),
    }
}

/// The rows of the 転記表: every question the workbook asks, in its order. A blank is
/// 未回答 when the evaluation lists it to answer (`todo`: ★ or a condition that holds),
/// else 未記入 (任意, or not needed for the verdict).
pub fn rows(
    ed: &Edition,
    facts: &Facts,
    todo: &[String],
    marks: &dyn Fn(&str) -> Option<String>,
) -> Vec<Row> {
    ed.questions
        .iter()
        .filter(|q| q.on_form)
        .map(|q| {
            let feeds: Vec<String> = q.feeds.iter().filter_map(|r| marks(r)).collect();
            let (enter, meaning, state) = match facts.get(&q.id) {
                Some(a) => {
                    let (e, m) = answer(q, a);
                    (e, m, "")
                }
                None if facts.applies(ed, q) == Some(false) => {
                    (String::new(), String::new(), "対象外")
                }
                None if todo.contains(&q.id) => (String::new(), String::new(), "未回答"),
                None if q.optional => (String::new(), String::new(), "任意・未記入"),
                None => (String::new(), String::new(), "未記入"),
            };
            let mut meaning = meaning;
            if let (Some(t), Kind::One | Kind::Many) = (facts.other_texts.get(&q.id), q.kind) {
                let _ = write!(meaning, "（その他: {t}）");
            }
            Row {
                label: q.label.clone(),
                question: q.text.as_deref().map(short).unwrap_or_default(),
                enter,
                meaning,
                star: q.star,
                feeds: feeds.join(""),
                state,
            }
        })
        .collect()
}

const CSV_HEADERS: [&str; 7] = [
    "設問",
    "設問の内容",
    "入力する値",
    "回答の意味",
    "必須記載（★）",
    "評価項目",
    "状態",
];

fn csv_of(rows: &[Row]) -> Vec<u8> {
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.label.clone()),
                Cell::Text(r.question.clone()),
                Cell::Text(r.enter.clone()),
                Cell::Text(r.meaning.clone()),
                Cell::Text(if r.star { "★" } else { "" }.into()),
                Cell::Text(r.feeds.clone()),
                Cell::Text(r.state.into()),
            ]
        })
        .collect();
    csv::table(&CSV_HEADERS, &cells)
}

/// A line of flow markup that is never read as markup (user text may begin with `#`).
fn para(s: &mut String, text: &str) {
    let _ = writeln!(s, "\\{text}");
}

/// The 転記表 as flow markup.
fn transcript_text(j: &KenkoJudged, rows: &[Row]) -> String {
    let ed = j.case.ed;
    let ev = &j.ev;
    let corp = j
        .case
        .facts
        .text("corp.name")
        .unwrap_or("（法人名 未回答）")
        .to_string();
    let mut s = String::new();
    let _ = writeln!(s, "# 回答転記表");
    para(&mut s, &format!("{}　{corp}", ed.title));
    para(
        &mut s,
        &format!(
            "申請書（{}「{}」）に、設問ごとに「入力する値」を入力してください。本ツールは申請書に記入しません。",
            ed.workbook.value, ed.sheet.value
        ),
    );
    para(
        &mut s,
        &format!("事前確認の結果: {}（{}）", ev.verdict.label, j.track_line()),
    );
    para(&mut s, &ev.verdict.disclaimer);
    let _ = writeln!(s);
    let blanks: Vec<&Row> = rows.iter().filter(|r| r.state == "未回答").collect();
    if !blanks.is_empty() {
        let _ = writeln!(s, "## 未回答の設問（{}件）", blanks.len());
        para(
            &mut s,
            &blanks
                .iter()
                .map(|r| format!("{}{}", r.label, if r.star { "★" } else { "" }))
                .collect::<Vec<_>>()
                .join("、"),
        );
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## 設問と入力する値（申請書の順）");
    for r in rows {
        let star = if r.star { "★" } else { "" };
        let feeds = if r.feeds.is_empty() {
            String::new()
        } else {
            format!("〔評価項目{}〕", r.feeds)
        };
        let value = match r.state {
            "" if r.meaning.is_empty() || r.meaning == r.enter => r.enter.clone(),
            "" => format!("{}（{}）", r.enter, r.meaning),
            other => format!("（{other}）"),
        };
        // 「法人名 (法人格含む)」, not 「法人名 法人名 (法人格含む)」.
        let head = if r.question.is_empty() || r.label.contains(r.question.trim_end_matches('…'))
        {
            format!("{}{star}{feeds}", r.label)
        } else if let Some(rest) = r.question.strip_prefix(r.label.as_str()) {
            format!("{}{star}{feeds}{rest}", r.label)
        } else {
            format!("{}{star}{feeds} {}", r.label, r.question)
        };
        let _ = writeln!(s, "- {head}");
        para(&mut s, &format!("　　入力する値: {value}"));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## 期限");
    for d in &ev.deadlines {
        let _ = writeln!(
            s,
            "- {} {}{}",
            when_text(d.when),
            d.what,
            if d.passed {
                "（過ぎています）"
            } else {
                ""
            }
        );
    }
    s
}

/// The documents to keep as flow markup (KK-W5).
fn documents_text(j: &KenkoJudged) -> String {
    let ed = j.case.ed;
    let ev = &j.ev;
    let mut s = String::new();
    let _ = writeln!(s, "# 保存する資料");
    let until = ev
        .documents
        .first()
        .map(|d| d.until)
        .unwrap_or(ed.params.retention_until.value.0);
    para(
        &mut s,
        &format!(
            "回答で選んだ取組みごとに、実施したことを示す資料を{}まで保存してください（{}）。審査や調査で提出を求められることがあります。",
            wareki(until),
            ed.params.retention_until.cite
        ),
    );
    let _ = writeln!(s);
    if ev.documents.is_empty() {
        para(&mut s, "保存資料のある選択肢は選ばれていません。");
    }
    for d in &ev.documents {
        let head = match (&d.option, &d.option_text) {
            (Some(n), Some(t)) => format!("{} 選択肢{n} {t}", d.label),
            _ => d.label.clone(),
        };
        let _ = writeln!(s, "## {head}");
        for doc in &d.docs {
            let _ = writeln!(s, "[ ] {}", doc.text);
        }
    }
    s
}

/// Builds the packet. Pure: no I/O, no clock.
pub fn packet(j: &KenkoJudged) -> Result<Packet, PacketError> {
    let ed = j.case.ed;
    let marks = |rule: &str| {
        ed.rule(rule)
            .and_then(|r| r.mark.clone())
            .or_else(|| j.ev.item(rule).map(|i| i.mark.clone()))
    };
    let todo: Vec<String> = j.ev.todo.iter().map(|t| t.id.clone()).collect();
    let rows = rows(ed, &j.case.facts, &todo, &marks);
    let form_err = |e: johas_render::forms::FormError| PacketError::Other(e.to_string());
    let t_title = format!("回答転記表（{}）", ed.title);
    let d_title = format!("保存する資料（{}）", ed.title);
    let transcript = transcript_text(j, &rows);
    let documents = documents_text(j);
    let t_doc = Document {
        title: t_title.clone(),
        pages: johas_render::forms::flow_pages(&t_title, &transcript).map_err(form_err)?,
    };
    let d_doc = Document {
        title: d_title.clone(),
        pages: johas_render::forms::flow_pages(&d_title, &documents).map_err(form_err)?,
    };
    let export = |d: &Document| {
        crate::pdf::export(d).map_err(|e| PacketError::Other(format!("{}: {e}", d.title)))
    };
    let files = vec![
        OutputFile {
            name: "01-転記表.pdf".into(),
            bytes: export(&t_doc)?,
        },
        OutputFile {
            name: "02-保存資料.pdf".into(),
            bytes: export(&d_doc)?,
        },
        OutputFile {
            name: "転記表.csv".into(),
            bytes: csv_of(&rows),
        },
        OutputFile {
            name: "check.json".into(),
            bytes: (serde_json::to_string_pretty(&crate::programmes::programme::Judgement::json(
                j,
            ))
            .unwrap_or_default()
                + "\n")
                .into_bytes(),
        },
    ];
    let blanks = rows.iter().filter(|r| r.state == "未回答").count();
    let mut terminal = String::new();
    let upload = when_text(super::rules::When::At(ed.params.upload_deadline.value.0));
    let closed = j.ev.deadlines.iter().any(|d| d.rule == "KK-W1" && d.passed)
        || j.ev.as_of > ed.params.upload_deadline.value.0.date();
    let _ = writeln!(
        terminal,
        "転記表の「入力する値」を申請書（Excel）に入力し、ポータルからアップロードしてください（締切 {upload}{}）。",
        if closed { "。この版の締切は過ぎています" } else { "" }
    );
    if blanks > 0 {
        let _ = writeln!(
            terminal,
            "未回答の設問が{blanks}件あります（転記表の最初に一覧）。"
        );
    }
    let _ = writeln!(
        terminal,
        "保存する資料は 02-保存資料.pdf に、{}まで保存してください。",
        wareki(ed.params.retention_until.value.0)
    );
    Ok(Packet { files, terminal })
}
