//! What the preflight finds ([`super::preflight`](fn@super::preflight) lays out every form of the packet, no
//! PDF, and checks the text of the 別紙 and the checklist as laying them out would): *every*
//! problem `packet` would hit, each mapped back to the claim-file key to fix, with a
//! Japanese message naming the form's field, and how they are said ([`PacketError`]).
//! `check` reports these as `form_problems`; `packet` refuses with the same list.

use super::context::source_key;
use crate::programmes::johas::evaluation::{Evaluation, FormProblem};
use crate::programmes::johas::forms::layout::FieldDef;
use crate::programmes::johas::forms::{self, FormError};
use crate::programmes::johas::grant::JohasProgramme;
use serde_json::Value;

/// Marks a missing fact until [`merge`] joins the places that print it.
const MISSING: &str = "\u{0}missing:";

/// One problem per missing key, naming every place that prints it.
pub fn merge(list: Vec<FormProblem>) -> Vec<FormProblem> {
    let mut out: Vec<FormProblem> = Vec::new();
    let mut places: Vec<(String, Vec<String>)> = Vec::new();
    for p in list {
        match p.message.strip_prefix(MISSING) {
            Some(place) => match places.iter_mut().find(|(k, _)| *k == p.key) {
                Some((_, v)) => v.push(place.to_string()),
                None => {
                    places.push((p.key.clone(), vec![place.to_string()]));
                    out.push(p);
                }
            },
            None => out.push(p),
        }
    }
    for p in &mut out {
        if let Some((_, v)) = places.iter().find(|(k, _)| *k == p.key) {
            if p.message.starts_with(MISSING) {
                p.message = format!(
                    "{} が書かれていません（{}に印刷する事実です）。申請ファイルに書いてください。",
                    p.key,
                    v.join("、")
                );
            }
        }
    }
    out
}

/// Why no packet could be made. Messages are Japanese.
#[derive(Debug, Clone, PartialEq)]
pub enum PacketError {
    /// A fact the forms need is missing or cannot be drawn.
    Form(String),
    /// The output directory problem (exists, cannot write).
    Output(String),
    /// Every value the forms cannot print, by claim-file key (the same list `check`
    /// reports as `form_problems`).
    Problems(Vec<FormProblem>),
}

impl std::fmt::Display for PacketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PacketError::Form(m) | PacketError::Output(m) => f.write_str(m),
            PacketError::Problems(list) => f.write_str(&problems_text(list)),
        }
    }
}

/// The problems as lines for a terminal (and `PacketError`'s message).
pub fn problems_text(list: &[FormProblem]) -> String {
    let mut s = format!(
        "申請書類（様式）に書けない項目が{}件あります:\n",
        list.len()
    );
    for p in list {
        if p.key.is_empty() {
            s.push_str(&format!("  - {}\n", p.message));
        } else {
            s.push_str(&format!("  - {}: {}\n", p.key, p.message));
        }
    }
    s
}

/// The human report section of `check` (empty when there is nothing to say).
pub fn human_section(ev: &Evaluation) -> String {
    if ev.form_problems.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "\n  申請書類（様式）に書けない項目（{}件、packet で申請書類を作る前に直してください）:\n",
        ev.form_problems.len()
    );
    for p in &ev.form_problems {
        if p.key.is_empty() {
            s.push_str(&format!("    - {}\n", p.message));
        } else {
            s.push_str(&format!("    - {}\n        {}\n", p.key, p.message));
        }
    }
    s
}

fn lookup<'a>(ctx: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = ctx;
    for part in path.split('.') {
        v = v.get(part)?;
        if v.is_null() {
            return None;
        }
    }
    Some(v)
}

/// Variables a template reads, as dotted paths (`representative.title`), sorted.
fn variables(template: &str) -> Vec<String> {
    let env = minijinja::Environment::new();
    let Ok(t) = env.template_from_str(template) else {
        return Vec::new();
    };
    let mut v: Vec<String> = t.undeclared_variables(true).into_iter().collect();
    v.sort();
    v
}

/// A value shortened for a message: at most 24 characters, control characters escaped.
fn short(v: &str) -> String {
    let n = v.chars().count();
    let mut s: String = v
        .chars()
        .take(24)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if n > 24 {
        s.push_str(&format!("…（全{n}文字）"));
    }
    s
}

fn field_def<'a>(layout: &'a forms::Layout, name: &str) -> Option<&'a FieldDef> {
    let all = || layout.page.iter().flat_map(|p| p.field.iter());
    all()
        .find(|f| f.name == name)
        .or_else(|| all().find(|f| name.starts_with(&format!("{}（", f.name))))
}

/// Maps the renderer's errors for one form (of `layout`, of a claim of `grant`) to
/// problems by claim-file key.
pub fn to_problems(
    grant: &JohasProgramme,
    layout: &forms::Layout,
    ctx: &Value,
    errors: &[FormError],
) -> Vec<FormProblem> {
    let key_of = |path: &str| source_key(grant, path).unwrap_or(path).to_string();
    let def = |field: &str| field_def(layout, field);
    let mut out: Vec<FormProblem> = Vec::new();
    let mut push = |key: String, message: String| {
        let p = FormProblem { key, message };
        if !out.contains(&p) {
            out.push(p);
        }
    };
    for e in errors {
        match e {
            FormError::Value {
                form,
                field,
                template,
                message,
            } => {
                // Rows: the template reads `row.…`; the key is the table's source.
                let rows_source = def(field).and_then(|f| f.source.clone());
                let vars = variables(template);
                let missing: Vec<&String> = vars
                    .iter()
                    .filter(|v| !v.starts_with("row") && lookup(ctx, v).is_none())
                    .collect();
                if missing.is_empty() {
                    let key = rows_source
                        .map(|s| key_of(&s))
                        .or_else(|| vars.first().map(|v| key_of(v)))
                        .unwrap_or_default();
                    push(
                        key,
                        format!("{form}の欄「{field}」の値を求められません: {message}"),
                    );
                }
                for v in missing {
                    let key = key_of(v);
                    push(key.clone(), format!("{MISSING}{form}「{field}」"));
                }
            }
            FormError::TooLong { form, field, text } => {
                // The longest value the field's template reads is the one to shorten.
                let key = def(field)
                    .and_then(|f| f.value.as_deref())
                    .map(variables)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|v| {
                        let len = lookup(ctx, &v)?.as_str()?.chars().count();
                        Some((len, v))
                    })
                    .max_by_key(|(len, _)| *len)
                    .map(|(_, v)| key_of(&v))
                    .unwrap_or_default();
                let what = if text.contains('\n') {
                    "改行を含むため1行の欄に書けません。改行を取り除いてください"
                } else {
                    "長すぎて1行の欄に収まりません。略称を使うなどして短く書いてください"
                };
                push(
                    key,
                    format!(
                        "{form}の欄「{field}」に印刷する値「{}」が{what}。",
                        short(text)
                    ),
                );
            }
            FormError::Glyph { form, field, ch } => {
                let f = def(field);
                let template = f
                    .map(|f| {
                        f.value.clone().unwrap_or_default()
                            + &f.column.iter().map(|c| c.value.clone()).collect::<String>()
                    })
                    .unwrap_or_default();
                let key = f
                    .and_then(|f| f.source.as_deref().map(key_of))
                    .or_else(|| {
                        variables(&template).into_iter().find_map(|v| {
                            lookup(ctx, &v)?.as_str()?.contains(*ch).then(|| key_of(&v))
                        })
                    })
                    .unwrap_or_default();
                push(
                    key,
                    format!(
                        "「{ch}」（U+{:04X}）は{form}の欄「{field}」に印刷できません（様式のフォントにない文字です）。別の文字に置き換えてください。",
                        *ch as u32
                    ),
                );
            }
            FormError::TooManyRows {
                form,
                field,
                source,
                count,
                max,
            } => {
                let key = key_of(source);
                push(
                    key.clone(),
                    format!("{key} が{count}行あります。{form}の欄「{field}」（別紙を含む）に書けるのは{max}行までです。{max}行以内にまとめてください。"),
                );
            }
            FormError::NoOption { form, field, value } => {
                let key = def(field)
                    .and_then(|f| f.value.as_deref())
                    .map(variables)
                    .and_then(|v| v.first().map(|v| key_of(v)))
                    .unwrap_or_default();
                push(
                    key,
                    format!(
                        "{form}の欄「{field}」の値「{}」は様式の選択肢にありません。",
                        short(value)
                    ),
                );
            }
            other => push(String::new(), other.to_string()),
        }
    }
    out
}
