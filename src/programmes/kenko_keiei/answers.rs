//! An answers file through the one input boundary: the editions (bundled and `--editions`),
//! the schema generated from an edition's question catalogue, and the reading of a file, a
//! profile or a resumed file into facts. Below the programme's face and its interview.

use super::facts::Facts;
use super::judged::KenkoCase;
use super::params::{Edition, Kind, Question};
use crate::input::{problem, Input, InputError, Problem};
use crate::model::{DataError, Notice};
use serde_json::{json, Map, Value as J};
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

/// The programme's id: its folder of editions and the answers file's `programme`.
pub const ID: &str = "kenko-keiei-chusho";

/// The sections of a client's profile (client.toml) this programme reads: the 法人's facts,
/// written once for all its answers files (never the JOHAS worker count: the two count
/// different people).
pub const PROFILE_SECTIONS: [&str; 1] = ["corporation"];

static EXTRA: OnceLock<Vec<Edition>> = OnceLock::new();

/// Adds the editions of `--editions` folders (`DIR/editions/kenko-keiei-chusho/*.toml`).
pub fn init_extra(dirs: &[std::path::PathBuf]) -> Result<(), DataError> {
    let mut out = Vec::new();
    for d in dirs {
        let folder = d.join("editions").join(ID);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let label = p.display().to_string();
            let text = crate::input::limits::read_text(&p, crate::input::limits::DATA_FILE)
                .map_err(|e| DataError::new(&label, e.to_string()))?;
            out.push(super::load::load(&label, &text)?);
        }
    }
    let _ = EXTRA.set(out);
    Ok(())
}

/// Every edition, oldest first (the bundled one and those of `--editions`).
pub fn editions() -> Vec<&'static Edition> {
    let mut all: Vec<&'static Edition> = vec![super::load::bundled()];
    if let Some(extra) = EXTRA.get() {
        for e in extra {
            all.retain(|x| x.edition != e.edition);
            all.push(e);
        }
    }
    all.sort_by(|a, b| a.edition.cmp(&b.edition));
    all
}

/// The edition named, or the newest.
pub fn edition(named: Option<&str>) -> Result<&'static Edition, String> {
    let all = editions();
    match named {
        Some(n) => all
            .iter()
            .find(|e| e.edition == n.trim())
            .copied()
            .ok_or_else(|| {
                format!(
                    "版 \"{n}\" は {ID} にはありません。使える版: {}。新しい版のデータがあれば --editions DIR で加えられます（DIR/editions/{ID}/{}.toml）。",
                    all.iter()
                        .map(|e| e.edition.clone())
                        .collect::<Vec<_>>()
                        .join("、"),
                    n.trim()
                )
            }),
        None => all
            .last()
            .copied()
            .ok_or_else(|| format!("{ID} の版がありません。")),
    }
}

/// The JSON Schema of an edition's answers file, generated from its question catalogue:
/// for editors (types, options) and for the input boundary (`x-any`: the catalogue's reader
/// checks each answer's shape and options itself).
pub fn schema_value(ed: &Edition) -> J {
    fn leaf(q: &Question) -> J {
        let mut m = Map::new();
        let mut desc = q.label.clone();
        if let Some(t) = &q.text {
            desc.push_str(&format!(" {t}"));
        }
        if !q.options.is_empty() {
            let opts: Vec<String> = q
                .options
                .iter()
                .map(|o| format!("{} {}", o.n, o.text))
                .collect();
            desc.push_str(&format!("（{}）", opts.join("、")));
        }
        m.insert("description".into(), J::String(desc));
        let numbers: Vec<J> = q.options.iter().map(|o| J::from(o.n)).collect();
        match q.kind {
            Kind::One => {
                m.insert("type".into(), json!("integer"));
                if !numbers.is_empty() {
                    m.insert("enum".into(), J::Array(numbers));
                }
            }
            Kind::Many => {
                m.insert("type".into(), json!("array"));
                m.insert("items".into(), json!({"type": "integer", "enum": numbers}));
            }
            Kind::Count | Kind::Int | Kind::Yen => {
                m.insert("type".into(), json!("integer"));
            }
            Kind::Bool => {
                m.insert("type".into(), json!("boolean"));
            }
            Kind::Date => {
                m.insert("type".into(), json!("string"));
                m.insert("format".into(), json!("date"));
            }
            _ => {
                m.insert("type".into(), json!("string"));
            }
        }
        if let Some(l) = q.lenient {
            m.insert("x-lenient".into(), J::String(l.as_str().into()));
        }
        m.insert("x-any".into(), J::Bool(true));
        J::Object(m)
    }
    fn insert(root: &mut Map<String, J>, key: &str, node: J) {
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts.pop().unwrap_or(key);
        let mut cur = root;
        for p in parts {
            let entry = cur.entry(p.to_string()).or_insert_with(
                || json!({"type": "object", "additionalProperties": false, "properties": {}}),
            );
            cur = entry["properties"]
                .as_object_mut()
                .expect("a table of the schema has properties");
        }
        cur.insert(last.to_string(), node);
    }
    let mut props = Map::new();
    props.insert(
        "programme".into(),
        json!({"type": "string", "enum": [ID], "x-choice": true, "description": "制度: \"kenko-keiei-chusho\"（健康経営優良法人 中小規模法人部門）"}),
    );
    props.insert(
        "edition".into(),
        json!({"type": "string", "x-choice": true, "description": "版（例: \"2026\"）。省略すると最新の版"}),
    );
    for q in &ed.questions {
        insert(&mut props, &q.key, leaf(q));
        if let Some(k) = q.other_key() {
            insert(
                &mut props,
                &k,
                json!({"type": "string", "x-any": true, "description": format!("{} の「その他」の内容", q.label)}),
            );
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("johas-claim 回答ファイル（{} {}）", ed.programme_name, ed.edition_name),
        "type": "object",
        "additionalProperties": false,
        "required": ["programme"],
        "properties": props,
    })
}

/// The resolved schema of an edition, made once per process.
pub(crate) fn schema_of(ed: &'static Edition) -> &'static J {
    static CACHE: OnceLock<Mutex<BTreeMap<String, &'static J>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(format!("{}:{}", ed.source, ed.edition))
        .or_insert_with(|| {
            Box::leak(Box::new(crate::input::walk::resolve_schema(schema_value(
                ed,
            ))))
        })
}

/// Reads an answers file through the input boundary.
pub(crate) fn read(input: Input) -> Result<KenkoCase, InputError> {
    let file = input.files.first().cloned().unwrap_or_default();
    let named = input
        .root
        .get("edition")
        .map(|n| (n.as_str().map(|s| s.trim().to_string()), n.line));
    let ed = match edition(named.as_ref().and_then(|(s, _)| s.as_deref())) {
        Ok(e) => e,
        Err(m) => {
            return Err(InputError {
                file,
                problems: vec![Problem {
                    path: "edition".into(),
                    line: named.map(|(_, l)| l).filter(|l| *l > 0),
                    value: None,
                    message: m,
                    file: None,
                }],
            })
        }
    };
    let mut w = input.walk(schema_of(ed));
    let facts = match super::read::read_value(&w.values, ed) {
        Ok(r) => {
            for n in &r.notes {
                w.notice(&n.path, "回答の書き方", &n.message, &n.message);
            }
            Some(r.facts)
        }
        Err(errors) => {
            for e in errors {
                w.problems.push(problem(&e.path, None, e.message));
            }
            None
        }
    };
    let found = w.finish()?;
    let facts = facts.unwrap_or_default();
    Ok(KenkoCase {
        file,
        ed,
        facts,
        notices: found.notices,
        written: found.written,
    })
}

/// An answers file read through the input boundary (for `new --resume`): its edition, its
/// facts and what was read leniently, or every problem in Japanese.
pub(crate) fn read_answers_path(
    path: &std::path::Path,
) -> Result<(&'static Edition, Facts, Vec<Notice>), String> {
    let doc = crate::input::Doc::load(path).map_err(|e| e.to_string())?;
    let input = Input::of(&doc);
    let case = read(input).map_err(|e| e.to_string())?;
    Ok((case.ed, case.facts, case.notices))
}

/// The 法人's sections of a client's profile (client.toml) read through the input boundary,
/// as the book reads them.
pub(crate) fn read_profile_path(
    path: &std::path::Path,
) -> Result<(&'static Edition, Facts, Vec<Notice>), String> {
    let doc = crate::input::Doc::load(path).map_err(|e| e.to_string())?;
    let input = Input::of(&doc);
    let ed = edition(None)?;
    let mut w = input.walk_sections(schema_of(ed), Some(&PROFILE_SECTIONS));
    let facts = match super::read::read_value(&w.values, ed) {
        Ok(r) => Some(r.facts),
        Err(errors) => {
            for e in errors {
                w.problems.push(problem(&e.path, None, e.message));
            }
            None
        }
    };
    let found = w.finish().map_err(|e| e.to_string())?;
    Ok((ed, facts.unwrap_or_default(), found.notices))
}

pub(crate) fn names_of(ed: &Edition) -> Vec<String> {
    vec![
        ed.programme_name.clone(),
        format!("{}{}", ed.programme_name, ed.edition_name),
        ed.workbook.value.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use crate::input::{Format, Input};

    #[test]
    fn zenkaku_digits_in_a_number_like_text_cell_are_read_as_digits() {
        let text = "programme = \"kenko-keiei-chusho\"\nedition = \"2026\"\n[corporation]\n\
                    number = \"２０１２８０１０９９９９２\"\ncity = \"千代田区１－１\"\n\
                    [corporation.insurer]\nkyokai_symbol = \"１２３４５６７８\"\n";
        let r = super::read(Input::parse("a.toml", text, Format::Toml)).unwrap();
        assert_eq!(r.facts.text("corp.number"), Some("2012801099992"));
        assert_eq!(r.facts.text("insurer.kyokai_symbol"), Some("12345678"));
        // Other text stays as written.
        assert_eq!(r.facts.text("corp.city"), Some("千代田区１－１"));
        assert!(
            r.notices
                .iter()
                .any(|n| n.path == "corporation.insurer.kyokai_symbol"
                    && n.reading.contains("\"12345678\"")),
            "{:?}",
            r.notices
        );
    }
}
