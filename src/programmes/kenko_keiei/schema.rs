//! The answers file's schema, from the question catalogue: every key with its kind, options,
//! condition and the rules it feeds ([`fields`]), the set of keys ([`keys`]), and a commented
//! template in the workbook's order ([`template`]). The input boundary, `new --template` and
//! the interview can all be generated from it.

use super::params::{Condition, Edition, Kind, Question};
use super::read::META_KEYS;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Every answer cell, in the workbook's order (法人情報, 連絡先, 誓約, Q1–Q58, then the facts
/// the workbook does not ask and the dates).
pub fn fields(ed: &Edition) -> &[Question] {
    &ed.questions
}

/// Every key the answers file may hold (dotted paths), including `programme`, `edition` and the
/// 「その他」 texts (`answers.q8_sq2_other`).
pub fn keys(ed: &Edition) -> Vec<String> {
    let mut out: Vec<String> = META_KEYS.iter().map(|k| k.to_string()).collect();
    for q in &ed.questions {
        out.push(q.key.clone());
        if let Some(k) = q.other_key() {
            out.push(k);
        }
    }
    out
}

fn condition_text(ed: &Edition, c: &Condition) -> String {
    match c {
        Condition::Any { id, options } => {
            let label = ed.question(id).map(|q| q.label.as_str()).unwrap_or(id);
            let opts: Vec<String> = options.iter().map(u32::to_string).collect();
            format!("{label} が {} のとき", opts.join("・"))
        }
        Condition::AtLeast { id, n } => {
            let label = ed.question(id).map(|q| q.label.as_str()).unwrap_or(id);
            format!("{label} が {n} 以上のとき")
        }
        Condition::Computed(k) => match k {
            super::params::Computed::CapitalNeeded => {
                "Q2(a) が 1・2 で、Q4 の従業員数が中小規模法人の上限を超えるとき".into()
            }
            super::params::Computed::Q11Sq1Applies => {
                "受診率が95%以上100%未満、または対象人数20人未満で未受診者1人のとき".into()
            }
            super::params::Computed::Q41Any => "Q41 の1～5のいずれかが1回以上のとき".into(),
        },
    }
}

fn example(q: &Question) -> &'static str {
    match q.kind {
        Kind::One => "1",
        Kind::Many => "[]",
        Kind::Int if q.min.is_some_and(|m| m >= 2000) => "2026",
        Kind::Count | Kind::Int | Kind::Yen => "0",
        Kind::Text => "\"\"",
        Kind::Date => "2025-09-30",
        Kind::Datetime => "2025-10-10T14:00:00",
        Kind::YearMonth => "\"2025-08\"",
        Kind::Bool => "false",
        Kind::BoolOrDate => "false",
    }
}

pub(crate) const SECTIONS: &[(&str, &str)] = &[
    (
        "corporation",
        "法人情報（申請内容記載票の冒頭・Q1・Q2・Q4）",
    ),
    ("contact", "担当者の連絡先・請求書の送付先"),
    (
        "pledge",
        "誓約事項（誓約日・誓約者・従業員代表と、各誓約の事実）",
    ),
    (
        "answers",
        "申請内容記載票の設問（Q3・Q5～Q58）。選択肢は申請書の番号で書きます（いくつでも: [1, 3]）",
    ),
    ("facts", "申請書にはないが判定に要る事実"),
    ("dates", "アップロード・入金の日時（日本時間）"),
];

/// A commented TOML template of every key, grouped by table in the workbook's order: every
/// key is commented out (a blank answer), with its question, options and conditions above it.
pub fn template(ed: &Edition) -> String {
    filled(ed, &|_| None, &Default::default())
}

/// The template with answers filled in (`value` of a dotted key, the 「その他」 texts too):
/// the same layout, each answered key written, the others commented; a key in `unknown`
/// (asked, answered 「わからない」) says so.
pub fn filled(
    ed: &Edition,
    value: &dyn Fn(&str) -> Option<toml::Value>,
    unknown: &std::collections::BTreeSet<String>,
) -> String {
    let line = |s: &mut String, key: &str, last: &str, example: &str, label: &str| match value(key)
    {
        Some(v) => {
            let _ = writeln!(s, "{last} = {v}");
        }
        None if unknown.contains(key) => {
            let _ = writeln!(s, "# {last} = {example}  # わからない: {label}");
        }
        None => {
            let _ = writeln!(s, "# {last} = {example}");
        }
    };
    let mut tables: Vec<(String, Vec<&Question>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for q in &ed.questions {
        let parent = q
            .key
            .rsplit_once('.')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let i = *index.entry(parent.clone()).or_insert_with(|| {
            tables.push((parent.clone(), Vec::new()));
            tables.len() - 1
        });
        tables[i].1.push(q);
    }
    // A table's subtables follow it (TOML cannot reopen a table).
    let top = |t: &str| t.split('.').next().unwrap_or("").to_string();
    let order: Vec<String> = SECTIONS.iter().map(|(s, _)| s.to_string()).collect();
    tables.sort_by_key(|(t, _)| {
        (
            order.iter().position(|s| *s == top(t)).unwrap_or(99),
            t.matches('.').count(),
        )
    });
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}（{}） 回答ファイル",
        ed.edition_name, ed.programme_name
    );
    let _ = writeln!(
        s,
        "# 空欄は「未回答」です（判定できない項目になります）。行頭の # を外して書いてください。"
    );
    let _ = writeln!(s, "programme = \"{}\"", ed.programme);
    let _ = writeln!(s, "edition = \"{}\"", ed.edition);
    for (table, qs) in tables {
        let _ = writeln!(s);
        if let Some((_, title)) = SECTIONS.iter().find(|(n, _)| *n == table) {
            let _ = writeln!(s, "# ---- {title}");
        }
        let _ = writeln!(s, "[{table}]");
        for q in qs {
            let last = q.key.rsplit('.').next().unwrap_or(&q.key);
            let mut head = format!("{}{}", if q.star { "★" } else { "" }, q.label);
            if let Some(t) = &q.text {
                if !q.label.contains(t.as_str()) {
                    let _ = write!(head, " {t}");
                }
            }
            let _ = write!(head, "（{}", q.kind.describe());
            if let Some(u) = &q.unit {
                let _ = write!(head, "、{u}");
            }
            let _ = write!(head, "）");
            if !q.feeds.is_empty() {
                let _ = write!(head, " [{}]", q.feeds.join(", "));
            }
            if q.optional {
                let _ = write!(head, " 任意");
            }
            let _ = writeln!(s, "# {head}");
            if let Some(c) = &q.when {
                let _ = writeln!(s, "#   {}", condition_text(ed, c));
            }
            if let Some(n) = &q.note {
                let _ = writeln!(s, "#   {n}");
            }
            for o in &q.options {
                let marker = o
                    .marker
                    .as_ref()
                    .map(|m| format!(" ⇒{m}"))
                    .unwrap_or_default();
                let _ = writeln!(s, "#   {} {}{marker}", o.n, o.text);
            }
            line(&mut s, &q.key, last, example(q), &q.label);
            if let Some(k) = q.other_key() {
                let last = k.rsplit('.').next().unwrap_or(&k);
                match value(&k) {
                    Some(v) => {
                        let _ = writeln!(s, "{last} = {v}  # 「その他」の具体的な内容");
                    }
                    None => {
                        let _ = writeln!(s, "# {last} = \"\"  # 「その他」の具体的な内容");
                    }
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programmes::kenko_keiei::load::bundled;
    use crate::programmes::kenko_keiei::read::{read_str, Format};

    #[test]
    fn the_template_is_valid_toml_and_reads_as_all_blank() {
        let t = template(bundled());
        let r = read_str(&t, Format::Toml, bundled()).unwrap();
        assert!(r.facts.values.is_empty());
        assert!(t.contains("# q14 = []"));
        assert!(t.contains("[corporation.employees]"));
    }

    #[test]
    fn every_key_uncommented_is_accepted() {
        // Uncomment every example line: the file must read without errors (keys and shapes).
        let t: String = template(bundled())
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(k)
                    if k.contains(" = ") && !k.starts_with(' ') && !k.contains("「その他」") =>
                {
                    k.to_string()
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
            // Q11 needs a head count (x = u − v + w > 0).
            .replace("\nregular = 0", "\nregular = 10");
        let r = read_str(&t, Format::Toml, bundled());
        assert!(r.is_ok(), "{:?}", r.err());
        assert_eq!(
            keys(bundled()).len(),
            bundled().questions.len()
                + 2
                + bundled()
                    .questions
                    .iter()
                    .filter(|q| !q.other.is_empty())
                    .count()
        );
    }
}
