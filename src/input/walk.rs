//! Walks a parsed claim file (`claimtree`) against the claim file's JSON Schema (derived
//! from `input`): every unknown key (with the nearest known key), every wrong type, every
//! unreadable date, every character the forms cannot print — all at once. Values whose
//! meaning is unambiguous are normalised with a notice (和暦, 全角 digits, フリガナ in
//! ひらがな, 〒 without hyphen). Bad values are dropped so the rest deserialises.

use crate::input::lenient::{self, DateRead};
use crate::input::tree::Format;
use crate::input::tree::{is_invisible, shorten, Node, Value};
use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, HashMap};

/// A problem or notice found by the walk: path, line, shown value, message.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub path: String,
    /// For a notice, the kind of reading (notices are shown grouped by kind) and the
    /// reading itself (`"令和2年10月10日" → "2020-10-10"`).
    pub kind: &'static str,
    pub reading: String,
    /// The input file the value was written in (see [`Node::file`]).
    pub file: u16,
    pub line: Option<usize>,
    pub value: Option<String>,
    pub message: String,
}

pub struct Walk {
    pub format: Format,
    pub problems: Vec<Found>,
    pub notices: Vec<Found>,
    /// Dotted path → (file, line) of its key.
    pub origins: HashMap<String, (u16, usize)>,
    /// Every value accepted, by dotted path: where it was written and how.
    pub written: BTreeMap<String, Written>,
    defs: &'static J,
}

/// A value as the user wrote it: the input file, the line (0 when none) and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub file: u16,
    pub line: usize,
    pub text: String,
    /// The value as read (`2020-10-10` for `令和2年10月10日`).
    pub value: String,
}

/// A value as written, for showing it back: strings without quotes, dates as written.
pub fn written_text(n: &Node) -> String {
    match &n.value {
        Value::Str(s) => s.clone(),
        Value::Datetime(d) => d.clone(),
        _ => show(n),
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The value shown in a message (shortened, escaped; strings quoted).
pub fn show(n: &Node) -> String {
    match &n.value {
        Value::Null => "null".into(),
        Value::Str(s) => format!("\"{}\"", shorten(s, 40)),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Datetime(d) => d.clone(),
        Value::Array(_) => "[…]".into(),
        Value::Table(_) => "{…}".into(),
    }
}

fn kind_ja(n: &Node) -> &'static str {
    match &n.value {
        Value::Null => "null",
        Value::Str(_) => "文字列",
        Value::Int(_) => "整数",
        Value::Float(_) => "小数",
        Value::Bool(_) => "true / false",
        Value::Datetime(_) => "日付",
        Value::Array(_) => "配列",
        Value::Table(_) => "表",
    }
}

/// A JSON Schema with every `$ref` and nullable `anyOf` resolved at every level, so that
/// walking a file borrows schema nodes instead of cloning them (a programme prepares its
/// schema once per process; a batch reads hundreds of files).
pub fn resolve_schema(raw: J) -> J {
    let defs = raw.get("$defs").cloned().unwrap_or_default();
    let mut expanded = expand(&raw, &defs, 0);
    if let Some(m) = expanded.as_object_mut() {
        // Kept for the messages that list a table's keys.
        m.insert("$defs".into(), defs);
    }
    expanded
}

/// The schema node of a dotted key (`section.rows.name`: a list's rows count as one;
/// `[n]` indexes are ignored), in a resolved schema.
pub fn field_schema<'s>(schema: &'s J, path: &str) -> Option<&'s J> {
    let mut node = schema;
    for seg in path.split('.') {
        let seg = seg.split('[').next().unwrap_or(seg);
        if has_type(node, "array") {
            node = node.get("items")?;
        }
        node = node.get("properties")?.get(seg)?;
    }
    Some(node)
}

fn has_type(node: &J, t: &str) -> bool {
    node.get("type")
        .is_some_and(|x| x == t || x.as_array().is_some_and(|a| a.iter().any(|y| y == t)))
}

/// Whether a dotted key is a list of rows (`[[section.rows]]`).
pub fn is_list(schema: &J, path: &str) -> bool {
    field_schema(schema, path).is_some_and(|n| has_type(n, "array"))
}

/// Whether a dotted key is a date.
pub fn is_date(schema: &J, path: &str) -> bool {
    field_schema(schema, path).is_some_and(|n| n.get("format").is_some_and(|f| f == "date"))
}

/// The top-level keys (the sections) of a schema.
pub fn section_names(schema: &J) -> Vec<&str> {
    schema["properties"]
        .as_object()
        .map(|m| m.keys().map(|k| k.as_str()).collect())
        .unwrap_or_default()
}

impl Walk {
    /// A walk against `schema` (resolved with [`resolve_schema`]).
    pub fn new(format: Format, schema: &'static J) -> Walk {
        static NO_DEFS: J = J::Null;
        Walk {
            format,
            problems: Vec::new(),
            notices: Vec::new(),
            origins: HashMap::new(),
            written: BTreeMap::new(),
            defs: schema.get("$defs").unwrap_or(&NO_DEFS),
        }
    }

    /// `$ref`, `anyOf` with null, and `type: [T, "null"]` resolved to one schema (borrowed
    /// when `s` is already resolved, as every node of [`Walk::root_schema`] is).
    fn resolve<'s>(&self, s: &'s J) -> std::borrow::Cow<'s, J> {
        if s.get("$ref").is_none() && s.get("anyOf").is_none() {
            return std::borrow::Cow::Borrowed(s);
        }
        std::borrow::Cow::Owned(resolve_with(s, self.defs))
    }
}

/// One schema node with its `$ref` / nullable `anyOf` resolved (not its children).
fn resolve_with(s: &J, defs: &J) -> J {
    {
        let mut v = s.clone();
        for _ in 0..6 {
            if let Some(r) = v.get("$ref").and_then(|r| r.as_str()) {
                let name = r.trim_start_matches("#/$defs/");
                let mut d = defs.get(name).cloned().unwrap_or_default();
                if let (Some(dm), Some(vm)) = (d.as_object_mut(), v.as_object()) {
                    for (k, x) in vm {
                        if k != "$ref" {
                            dm.entry(k.clone()).or_insert(x.clone());
                        }
                    }
                }
                v = d;
            } else if let Some(any) = v.get("anyOf").and_then(|a| a.as_array()) {
                let non_null: Vec<&J> = any
                    .iter()
                    .filter(|x| x.get("type") != Some(&"null".into()))
                    .collect();
                let first = non_null.first().map(|x| (*x).clone()).unwrap_or_default();
                let mut merged = first;
                if let (Some(m), Some(vm)) = (merged.as_object_mut(), v.as_object()) {
                    for (k, x) in vm {
                        if k != "anyOf" {
                            m.entry(k.clone()).or_insert(x.clone());
                        }
                    }
                }
                v = merged;
            } else {
                break;
            }
        }
        v
    }
}

/// Resolves `s` and, recursively, its `properties`, `items` and `additionalProperties`.
fn expand(s: &J, defs: &J, depth: usize) -> J {
    let mut v = resolve_with(s, defs);
    if depth > 16 {
        return v;
    }
    if let Some(m) = v.as_object_mut() {
        if let Some(J::Object(props)) = m.get_mut("properties") {
            for (_, p) in props.iter_mut() {
                *p = expand(p, defs, depth + 1);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(x) = m.get_mut(key) {
                if x.is_object() {
                    *x = expand(x, defs, depth + 1);
                }
            }
        }
    }
    v
}

impl Walk {
    fn type_of(s: &J) -> &str {
        match s.get("type") {
            Some(J::String(t)) => t.as_str(),
            Some(J::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str())
                .find(|t| *t != "null")
                .unwrap_or(""),
            _ => {
                if s.get("properties").is_some() {
                    "object"
                } else {
                    ""
                }
            }
        }
    }

    fn problem(&mut self, path: &str, n: &Node, message: impl Into<String>) {
        self.problems.push(Found {
            path: path.to_string(),
            kind: "",
            reading: String::new(),
            file: n.file,
            line: (n.line > 0).then_some(n.line),
            value: Some(show(n)),
            message: message.into(),
        });
    }

    fn notice(&mut self, path: &str, n: &Node, from: &str, to: &str, why: &'static str) {
        self.notices.push(Found {
            path: path.to_string(),
            kind: why,
            reading: format!("\"{}\" → \"{to}\"", shorten(from, 40)),
            file: n.file,
            line: (n.line > 0).then_some(n.line),
            value: None,
            message: format!(
                "\"{}\" を \"{to}\" として読みました（{why}）。",
                shorten(from, 40)
            ),
        });
    }

    fn example(&self, key: &str, v: &str) -> String {
        match self.format {
            Format::Toml => format!("{key} = {v}"),
            Format::Json => format!("\"{key}\": {v}"),
        }
    }

    /// Walks `n` against `schema`; the cleaned JSON value, or `None` when it is dropped.
    pub fn walk(&mut self, n: &Node, schema: &J, path: &str, key: &str) -> Option<J> {
        if matches!(n.value, Value::Null) {
            return None;
        }
        let s = self.resolve(schema);
        // `x-any`: a value whose shape the programme checks itself (a workbook's answer:
        // one option, several, a number, a date). The walk only says where it was written
        // and checks that its text can be printed.
        let leaf = if s.get("x-any").is_some() {
            self.any(n, &s, path)
        } else {
            match Self::type_of(&s) {
                "object" => return self.object(n, &s, path, key),
                "array" => return self.array(n, &s, path, key),
                "string" => self.string(n, &s, path, key),
                "integer" => self.integer(n, path, key),
                "boolean" => self.boolean(n, path, key),
                _ => None,
            }
        };
        if let Some(v) = &leaf {
            self.written.insert(
                path.to_string(),
                Written {
                    file: n.file,
                    line: n.line,
                    text: written_text(n),
                    value: match v {
                        J::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                },
            );
        }
        leaf
    }

    fn object(&mut self, n: &Node, s: &J, path: &str, key: &str) -> Option<J> {
        let entries = match &n.value {
            Value::Table(es) => es,
            Value::Array(_) if !path.is_empty() => {
                let msg = match self.format {
                    Format::Toml => format!("[{path}] は1つだけの表です。[[{path}]] ではなく [{path}] と書いてください。"),
                    Format::Json => format!("\"{key}\" は {{ … }}（オブジェクト）で書いてください（[ … ] は使いません）。"),
                };
                self.problem(path, n, msg);
                return None;
            }
            _ => {
                let msg = match self.format {
                    Format::Toml if path.is_empty() => "申請ファイルの形になっていません。".to_string(),
                    Format::Toml => format!("ここは表です。{key} = … ではなく、見出し [{path}] の下に項目を書いてください。"),
                    Format::Json => format!("\"{key}\" は {{ … }}（オブジェクト）で書いてください。"),
                };
                self.problem(path, n, msg);
                return None;
            }
        };
        // Borrowed: a file is walked against the schema once per process's many files.
        let props = s.get("properties").unwrap_or(&J::Null);
        let mut out = Map::new();
        for e in entries {
            let p = child(path, &e.key);
            self.origins
                .entry(p.clone())
                .or_insert((e.node.file, e.line));
            match props.get(&e.key) {
                Some(sub) => {
                    if let Some(v) = self.walk(&e.node, sub, &p, &e.key) {
                        out.insert(e.key.clone(), v);
                    }
                }
                None => {
                    let known: Vec<String> = props
                        .as_object()
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    let message = unknown_key_message(path, &e.key, &known, s.get("x-labels"));
                    self.problems.push(Found {
                        path: p,
                        kind: "",
                        reading: String::new(),
                        file: e.node.file,
                        line: (e.line > 0).then_some(e.line),
                        value: None,
                        message,
                    });
                }
            }
        }
        Some(J::Object(out))
    }

    fn array(&mut self, n: &Node, s: &J, path: &str, key: &str) -> Option<J> {
        let items = match &n.value {
            Value::Array(items) => items,
            _ => {
                let msg = match (self.format, &n.value) {
                    (Format::Toml, Value::Table(_)) => format!(
                        "ここは複数行の表です。[{path}] ではなく [[{path}]] と角括弧を2重にして書いてください（1件ごとに [[{path}]] を繰り返します）。"
                    ),
                    (Format::Toml, _) => format!(
                        "ここは複数行の表です。1件ごとに見出し [[{path}]] を書き、その下に項目を書いてください。"
                    ),
                    (Format::Json, _) => {
                        format!("\"{key}\" は [ {{ … }}, {{ … }} ]（配列）で書いてください。")
                    }
                };
                self.problem(path, n, msg);
                return None;
            }
        };
        let item_schema = s.get("items").unwrap_or(&J::Null);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{}]", i + 1);
            self.origins
                .entry(p.clone())
                .or_insert((item.file, item.line));
            // Keep the position even for a dropped row, so later paths stay right.
            let v = self
                .walk(item, item_schema, &p, key)
                .unwrap_or(J::Object(Map::new()));
            out.push(v);
        }
        Some(J::Array(out))
    }

    fn integer(&mut self, n: &Node, path: &str, key: &str) -> Option<J> {
        let msg = match &n.value {
            Value::Int(i) => return Some(J::from(*i)),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!(
                "整数で書いてください（小数点は使いません。例: {}）。",
                self.example(key, &format!("{}", *f as i64))
            ),
            Value::Float(_) => format!(
                "整数で書いてください（小数は使えません。例: {}）。",
                self.example(key, "35")
            ),
            Value::Str(s) => {
                let digits: String = lenient::ascii_digits(s)
                    .chars()
                    .filter(|c| !matches!(c, ',' | '円' | '名' | '人' | '個' | '台' | ' '))
                    .collect();
                match digits.parse::<i64>() {
                    Ok(v) => format!(
                        "数値は引用符なしの半角数字で書いてください（例: {}）。",
                        self.example(key, &v.to_string())
                    ),
                    Err(_) => format!(
                        "ここは整数の欄です。半角数字で書いてください（例: {}）。",
                        self.example(key, "35")
                    ),
                }
            }
            _ => format!(
                "ここは整数の欄です（{}が書かれています）。半角数字で書いてください（例: {}）。",
                kind_ja(n),
                self.example(key, "35")
            ),
        };
        self.problem(path, n, msg);
        None
    }

    /// A value passed on as written (see `x-any`): tables and lists of plain values are
    /// refused, text that cannot be printed too.
    /// A string declared with `x-lenient` is read as a declared string is (with a notice).
    fn any(&mut self, n: &Node, s: &J, path: &str) -> Option<J> {
        fn plain(n: &Node) -> Option<J> {
            Some(match &n.value {
                Value::Null => J::Null,
                Value::Str(s) => J::String(s.clone()),
                Value::Datetime(d) => J::String(d.clone()),
                Value::Int(i) => J::from(*i),
                Value::Float(f) => serde_json::Number::from_f64(*f).map(J::Number)?,
                Value::Bool(b) => J::Bool(*b),
                Value::Array(items) => J::Array(items.iter().map(plain).collect::<Option<_>>()?),
                Value::Table(_) => return None,
            })
        }
        if let Value::Str(t) = &n.value {
            if let Some(msg) = unprintable(t, true) {
                self.problem(path, n, msg);
                return None;
            }
            if let Some(how) = s.get("x-lenient").and_then(|l| l.as_str()) {
                return Some(J::String(self.lenient(n, path, Some(how), t.clone())));
            }
        }
        match plain(n) {
            Some(v) => Some(v),
            None => {
                self.problem(
                    path,
                    n,
                    "ここは値（番号・数・文字・日付）の欄です。表は書けません。",
                );
                None
            }
        }
    }

    fn boolean(&mut self, n: &Node, path: &str, key: &str) -> Option<J> {
        if let Value::Bool(b) = n.value {
            return Some(J::Bool(b));
        }
        let hint = match &n.value {
            Value::Str(s) => match s.trim() {
                "true" | "はい" | "yes" | "有" | "あり" | "○" => Some("true"),
                "false" | "いいえ" | "no" | "無" | "なし" | "×" => Some("false"),
                _ => None,
            },
            Value::Int(1) => Some("true"),
            Value::Int(0) => Some("false"),
            _ => None,
        };
        let msg = match hint {
            Some(h) => format!(
                "はい/いいえは引用符なしの true / false で書いてください（例: {}）。",
                self.example(key, h)
            ),
            None => format!(
                "ここは true（はい）か false（いいえ）の欄です（{}が書かれています）。例: {}",
                kind_ja(n),
                self.example(key, "true")
            ),
        };
        self.problem(path, n, msg);
        None
    }

    fn string(&mut self, n: &Node, s: &J, path: &str, key: &str) -> Option<J> {
        let is_date = s.get("format").and_then(|f| f.as_str()) == Some("date");
        if is_date {
            return self.date(n, path, key);
        }
        let text = match &n.value {
            Value::Str(t) => t.clone(),
            other => {
                let msg = match other {
                    Value::Int(_) | Value::Float(_) => format!(
                        "ここは文字列の欄です。\"…\" で囲んでください（例: {}）。",
                        self.example(key, &format!("\"{}\"", show(n)))
                    ),
                    _ => format!(
                        "ここは文字列の欄です（{}が書かれています）。\"…\" で囲んで書いてください。",
                        kind_ja(n)
                    ),
                };
                self.problem(path, n, msg);
                return None;
            }
        };
        // How the field is declared: `x-lenient` (what may be read leniently),
        // `x-choice` (a key from a list: the list check says what is wrong), `x-multiline`.
        let text = self.lenient(n, path, s.get("x-lenient").and_then(|l| l.as_str()), text);
        if s.get("x-choice").is_none() {
            let multiline = s.get("x-multiline").is_some_and(|m| m == true);
            if let Some(msg) = unprintable(&text, multiline) {
                self.problem(path, n, msg);
                return None;
            }
        }
        Some(J::String(text))
    }

    /// Normalises a string whose meaning is unambiguous, with a notice. `how` is the
    /// field's declared reading (`x-lenient`): `year_month`, `kana`, `account_kana`,
    /// `postal_code`, `digits`.
    fn lenient(&mut self, n: &Node, path: &str, how: Option<&str>, text: String) -> String {
        let new = how.and_then(|how| lenient::declared(how, &text));
        match new {
            Some((new, why)) if new != text => {
                self.notice(path, n, &text, &new, why);
                new
            }
            _ => text,
        }
    }

    fn date(&mut self, n: &Node, path: &str, key: &str) -> Option<J> {
        let written = match &n.value {
            Value::Str(s) => s.clone(),
            Value::Datetime(d) => {
                if d.len() != 10 {
                    self.problem(
                        path,
                        n,
                        format!(
                            "日付だけを書いてください（時刻は書きません。例: {}）。",
                            self.example(key, "2020-10-10")
                        ),
                    );
                    return None;
                }
                d.clone()
            }
            _ => {
                self.problem(
                    path,
                    n,
                    format!(
                        "ここは日付の欄です（{}が書かれています）。2020-10-10 の形（西暦の年-月-日）で書いてください。",
                        kind_ja(n)
                    ),
                );
                return None;
            }
        };
        let (lo, hi) = lenient::date_range();
        let date = match lenient::read_date(&written) {
            DateRead::Iso(d) => d,
            DateRead::Normalised(d) => {
                if (lo..=hi).contains(&d) {
                    self.notice(path, n, &written, &d.to_string(), "日付は西暦の YYYY-MM-DD");
                }
                d
            }
            DateRead::Impossible(why) => {
                self.problem(
                    path,
                    n,
                    format!(
                        "{why}。実在する日付を 2020-10-10 の形（西暦の年-月-日）で書いてください。"
                    ),
                );
                return None;
            }
            DateRead::Unknown => {
                self.problem(
                    path,
                    n,
                    "日付として読めません。2020-10-10 の形（西暦の年-月-日）か、令和2年10月10日 のように書いてください。",
                );
                return None;
            }
        };
        if !(lo..=hi).contains(&date) {
            self.problem(
                path,
                n,
                "日付は 1900-01-01 から 2099-12-31 の範囲で書いてください（年を確かめてください）。",
            );
            return None;
        }
        Some(J::String(date.to_string()))
    }
}

/// Why text cannot be printed on the forms (`None` if it can).
pub fn unprintable(text: &str, multiline: bool) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    if !multiline && (text.contains('\n') || text.contains('\r')) {
        why.push("この欄は1行で書きます。改行を削除してください".into());
    }
    let controls: Vec<String> = text
        .chars()
        .filter(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r')))
        .filter(|c| multiline || !matches!(c, '\n' | '\r'))
        .map(|c| format!("U+{:04X}", c as u32))
        .take(5)
        .collect();
    if !controls.is_empty() {
        why.push(format!(
            "制御文字（{}）が含まれています。削除してください",
            dedup(controls).join("、")
        ));
    }
    let invisible: Vec<String> = text
        .chars()
        .filter(|c| is_invisible(*c) && !c.is_control())
        .map(|c| format!("U+{:04X}", c as u32))
        .take(5)
        .collect();
    if !invisible.is_empty() {
        why.push(format!(
            "目に見えない文字（ゼロ幅文字・書字方向の制御文字: {}）が含まれています。削除してください",
            dedup(invisible).join("、")
        ));
    }
    let visible: String = text
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .collect();
    let mut missing = crate::textfit::missing_glyphs(&visible, crate::page::Face::Mincho);
    for c in crate::textfit::missing_glyphs(&visible, crate::page::Face::Gothic) {
        if !missing.contains(&c) {
            missing.push(c);
        }
    }
    missing.retain(|c| !matches!(c, ' ' | '\t'));
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .take(5)
            .map(|c| format!("「{c}」（U+{:04X}）", *c as u32))
            .collect();
        why.push(format!(
            "書類のフォントにない文字 {} があり、印刷できません。常用の字体に置き換えるか（例: 𠮷 → 吉）、絵文字などは削除してください",
            list.join("、")
        ));
    }
    (!why.is_empty()).then(|| format!("{}。", why.join("。")))
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    v.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(x.clone());
            true
        }
    });
    v
}

/// The message for a key that is not in the table at `parent`. `labels` is the table's
/// declared `x-labels`: `{"what": "様式第3号の記号", "keys": {"a": "content_and_period", …}}`,
/// the marks a form prints for its keys (a user may write the mark instead of the key).
pub fn unknown_key_message(
    parent: &str,
    key: &str,
    known: &[String],
    labels: Option<&J>,
) -> String {
    let where_ = if parent.is_empty() {
        "ファイルの最上位".to_string()
    } else {
        format!("[{parent}]")
    };
    let shown = shorten(key, 40);
    let mapped = labels.and_then(|l| {
        let what = l["what"].as_str()?;
        let k = l["keys"]
            .as_object()?
            .iter()
            .find(|(mark, _)| mark.eq_ignore_ascii_case(key.trim()))?
            .1
            .as_str()?;
        Some((k, what))
    });
    if let Some((k, what)) = mapped {
        return format!(
            "{where_} に \"{shown}\" という項目はありません。{what} \"{shown}\" の項目なら \"{k}\" と書いてください。"
        );
    }
    let lower = key.to_ascii_lowercase();
    let nearest = if key.chars().count() <= 2 {
        None
    } else {
        known
            .iter()
            .map(|k| (strsim::damerau_levenshtein(k, &lower), k))
            .min()
            .filter(|(d, k)| *d <= 3.max(k.len() / 3) && *d < k.len().max(lower.len()) / 2 + 1)
            .map(|(_, k)| k.clone())
    };
    match nearest {
        Some(k) => format!("{where_} に \"{shown}\" という項目はありません。もしかして \"{k}\"？"),
        None => format!(
            "{where_} に \"{shown}\" という項目はありません。使える項目: {}",
            known.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_short_keys() {
        let known: Vec<String> = ["content_and_period", "cost", "practitioner_name"]
            .map(String::from)
            .to_vec();
        let labels = serde_json::json!({"what": "様式第3号の記号", "keys": {"a": "content_and_period", "b": "cost", "c": "practitioner_name"}});
        let m = unknown_key_message("contract_states", "c", &known, Some(&labels));
        assert!(m.contains("\"practitioner_name\""), "{m}");
        assert!(m.contains("様式第3号の記号"), "{m}");
        assert!(!m.contains("cost"), "{m}");
        let m = unknown_key_message("establishment", "xy", &["name".to_string()], None);
        assert!(!m.contains("もしかして"), "{m}");
        let m = unknown_key_message("establishment", "nmae", &["name".to_string()], None);
        assert!(m.contains("もしかして \"name\""), "{m}");
    }

    #[test]
    fn unprintable_text() {
        assert!(unprintable("(株)ろうあん", false).is_none());
        assert!(unprintable("a\nb", false).is_some());
        assert!(unprintable("a\nb", true).is_none());
        assert!(unprintable("a\u{200B}b", true).is_some());
        assert!(unprintable("a\u{7}b", true).is_some());
        assert!(unprintable("𠮷野家", false).is_some());
        assert!(unprintable("😀", false).is_some());
    }
}
