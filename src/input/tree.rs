//! A claim file parsed into a tree that knows the line of every key (TOML and JSON alike),
//! with every syntax error found at once and put into Japanese. Before parsing, characters
//! that can never be valid outside a string (全角 ASCII) are made ASCII, and bare
//! date-like values (`令和2年10月10日`, `2020/10/10`, `2020-02-30`) are quoted so that
//! the field check can read or reject them by name. Each such change is a notice.

use crate::input::lenient;
use crate::input::limits;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, as written.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based line of the value (or of its key); 0 when the value was not read from a
    /// line of a file (an interview answer, a value the tool derived).
    pub line: usize,
    /// Which file of the input the value was written in (an index into the input's
    /// files: a book claim merges the claim file, the client's profile and earlier claims).
    pub file: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub node: Node,
}

impl Node {
    /// A value with no line (an answer typed at a prompt, or one the tool derived).
    pub fn new(value: Value, file: u16) -> Node {
        Node {
            value,
            line: 0,
            file,
        }
    }

    /// Marks this node and everything below it as written in `file`.
    pub fn set_file(&mut self, file: u16) {
        self.file = file;
        match &mut self.value {
            Value::Array(items) => items.iter_mut().for_each(|n| n.set_file(file)),
            Value::Table(es) => es.iter_mut().for_each(|e| e.node.set_file(file)),
            _ => {}
        }
    }

    /// The entries of a table (empty for any other value).
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Table(es) => es,
            _ => &[],
        }
    }

    /// The value at a key of this table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.node)
    }

    /// The value at a dotted path (`claim.application_date`; tables only).
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |n, k| n.get(k))
    }

    /// Removes and returns the value at a key of this table.
    pub fn take(&mut self, key: &str) -> Option<Node> {
        match &mut self.value {
            Value::Table(es) => {
                let i = es.iter().position(|e| e.key == key)?;
                Some(es.remove(i).node)
            }
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            Value::Datetime(s) => Some(s),
            _ => None,
        }
    }

    /// Builds a tree from a TOML table (answers collected by the interview, derived
    /// entries), every node marked as written in `file` with no line.
    pub fn from_toml(v: &toml::Value, file: u16) -> Node {
        let value = match v {
            toml::Value::String(s) => Value::Str(s.clone()),
            toml::Value::Integer(i) => Value::Int(*i),
            toml::Value::Float(f) => Value::Float(*f),
            toml::Value::Boolean(b) => Value::Bool(*b),
            toml::Value::Datetime(d) => Value::Datetime(d.to_string()),
            toml::Value::Array(a) => {
                Value::Array(a.iter().map(|x| Node::from_toml(x, file)).collect())
            }
            toml::Value::Table(t) => Value::Table(
                t.iter()
                    .map(|(k, x)| Entry {
                        key: k.clone(),
                        line: 0,
                        node: Node::from_toml(x, file),
                    })
                    .collect(),
            ),
        };
        Node::new(value, file)
    }
}

/// Merges `over` into `base`, table by table; `over` wins. Every path where `over`
/// replaces a different value of `base` is pushed to `overridden`.
pub fn merge(base: &mut Node, over: Node, prefix: &str, overridden: &mut Vec<String>) {
    let Value::Table(over_entries) = over.value else {
        *base = over;
        return;
    };
    if !matches!(base.value, Value::Table(_)) {
        *base = Node {
            value: Value::Table(over_entries),
            line: over.line,
            file: over.file,
        };
        return;
    }
    let Value::Table(base_entries) = &mut base.value else {
        return;
    };
    for e in over_entries {
        let path = if prefix.is_empty() {
            e.key.clone()
        } else {
            format!("{prefix}.{}", e.key)
        };
        match base_entries.iter_mut().find(|b| b.key == e.key) {
            Some(b)
                if matches!(b.node.value, Value::Table(_))
                    && matches!(e.node.value, Value::Table(_)) =>
            {
                merge(&mut b.node, e.node, &path, overridden);
            }
            Some(b) => {
                if !same_value(&b.node, &e.node) {
                    overridden.push(path);
                }
                *b = e;
            }
            None => base_entries.push(e),
        }
    }
}

/// Two values are equal, whatever their lines and files.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Table(x), Value::Table(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    y.iter()
                        .any(|f| f.key == e.key && same_value(&e.node, &f.node))
                })
        }
        (x, y) => x == y,
    }
}

/// A syntax problem: line, the dotted path of the table/key it is in (best effort), message.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: Option<usize>,
    pub path: String,
    pub value: Option<String>,
    pub message: String,
}

/// A change made before parsing (line, message).
#[derive(Debug, Clone, PartialEq)]
pub struct TextNotice {
    pub line: usize,
    /// What kind of reading it was (notices are shown grouped by kind).
    pub kind: &'static str,
    /// What was read, short (the line as written).
    pub reading: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub root: Node,
    pub errors: Vec<SyntaxError>,
    pub notices: Vec<TextNotice>,
}

/// Shortens a value for messages: at most `max` characters, control and invisible
/// characters escaped.
pub fn shorten(s: &str, max: usize) -> String {
    let mut out = String::new();
    let total = s.chars().count();
    for (n, c) in s.chars().enumerate() {
        if n >= max {
            out.push_str(&format!("…（全{total}文字）"));
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_invisible(c) => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Control, zero-width and bidi characters.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{061C}'
                | '\u{00AD}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        Lines { starts }
    }
    fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

fn strip_bom(text: &str, notices: &mut Vec<TextNotice>) -> String {
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => {
            notices.push(TextNotice {
                line: 1,
                kind: "ファイル先頭の BOM は読み飛ばします",
                reading: "BOM".into(),
                message: "ファイル先頭の BOM（バイト順マーク）を読み飛ばしました。".into(),
            });
            rest.to_string()
        }
        None => text.to_string(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral,
}

/// Makes 全角 ASCII outside strings and comments ASCII (TOML: `toml = true`; JSON has
/// no comments nor literal strings). Returns the text and the lines changed.
fn ascii_outside_strings(text: &str, toml: bool) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut changed: Vec<usize> = Vec::new();
    let mut mode = Mode::Normal;
    let mut line = 1usize;
    let mut comment = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let mut c = chars[i];
        if c == '\n' {
            line += 1;
            comment = false;
            if matches!(mode, Mode::Basic | Mode::Literal) {
                mode = Mode::Normal; // an unclosed one-line string: the parser reports it
            }
            out.push(c);
            i += 1;
            continue;
        }
        if mode == Mode::Normal && !comment {
            let a = lenient::fullwidth_char(c);
            if a != c {
                c = a;
                if changed.last() != Some(&line) {
                    changed.push(line);
                }
            }
        }
        let next = |k: usize| chars.get(i + k).copied();
        match mode {
            Mode::Normal if comment => {}
            Mode::Normal => {
                if toml && c == '#' {
                    comment = true;
                } else if c == '"' {
                    if toml && next(1) == Some('"') && next(2) == Some('"') {
                        mode = Mode::MultiBasic;
                        out.push_str("\"\"\"");
                        i += 3;
                        continue;
                    }
                    mode = Mode::Basic;
                } else if toml && c == '\'' {
                    if next(1) == Some('\'') && next(2) == Some('\'') {
                        mode = Mode::MultiLiteral;
                        out.push_str("'''");
                        i += 3;
                        continue;
                    }
                    mode = Mode::Literal;
                }
            }
            Mode::Basic | Mode::MultiBasic => {
                if c == '\\' {
                    out.push(c);
                    if let Some(n) = next(1) {
                        if n == '\n' {
                            line += 1;
                        }
                        out.push(n);
                    }
                    i += 2;
                    continue;
                }
                if c == '"' {
                    if mode == Mode::Basic {
                        mode = Mode::Normal;
                    } else if next(1) == Some('"') && next(2) == Some('"') {
                        mode = Mode::Normal;
                        out.push_str("\"\"\"");
                        i += 3;
                        continue;
                    }
                }
            }
            Mode::Literal => {
                if c == '\'' {
                    mode = Mode::Normal;
                }
            }
            Mode::MultiLiteral => {
                if c == '\'' && next(1) == Some('\'') && next(2) == Some('\'') {
                    mode = Mode::Normal;
                    out.push_str("'''");
                    i += 3;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    (out, changed)
}

/// Whether a bare TOML value looks like a date the parser would reject or misread:
/// 和暦, slashes, dots, 年月日, an impossible ISO date, a negative year.
fn bare_date_like(v: &str) -> bool {
    let v = v.trim();
    if v.is_empty() || !v.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let era = ["令和", "平成", "昭和", "R", "H", "S", "r", "h", "s"]
        .iter()
        .any(|e| {
            v.strip_prefix(e)
                .and_then(|r| r.chars().next())
                .is_some_and(|c| c.is_ascii_digit() || c == '元')
        });
    let body = v.trim_start_matches('-');
    let allowed = |c: char| {
        c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | '元' | ' ')
    };
    let yearish = body.len() >= 6
        && body.chars().take(4).all(|c| c.is_ascii_digit())
        && body[4..].starts_with(['-', '/', '.', '年'])
        && body.chars().all(allowed);
    if era {
        let rest =
            v.trim_start_matches(|c: char| c.is_ascii_alphabetic() || "令和平成昭".contains(c));
        return rest.chars().all(allowed);
    }
    if !yearish {
        return false;
    }
    // A valid TOML local date stays as it is.
    !(v.len() == 10
        && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
        && !v.starts_with('-'))
}

/// Finds `key = value` on one line (outside strings) and quotes a bare date-like value.
fn quote_bare_date(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with('[') {
        return None;
    }
    let eq = line.find('=')?;
    let key = &line[..eq];
    if key.contains('"') || key.contains('\'') || key.trim().is_empty() {
        return None;
    }
    let rest = &line[eq + 1..];
    let (value, comment) = match rest.find('#') {
        Some(h) => (&rest[..h], &rest[h..]),
        None => (rest, ""),
    };
    let v = value.trim();
    if v.starts_with(['"', '\'', '[', '{']) || !bare_date_like(v) {
        return None;
    }
    Some(format!("{key}= \"{v}\" {comment}").trim_end().to_string())
}

/// The start of the message for a `[x]` header written twice: whether `x` is a list of rows
/// (`[[x]]`) depends on the programme's schema, so the message is finished when the file
/// is walked ([`duplicate_table_message`]).
pub const DUPLICATE_TABLE: &str = "\u{0}duplicate-table:";

/// The message for a `[x]` header written twice, once it is known whether `x` is a list
/// of rows; `None` for any other message.
pub fn duplicate_table_message(msg: &str, is_list: impl Fn(&str) -> bool) -> Option<String> {
    let name = msg.strip_prefix(DUPLICATE_TABLE)?;
    Some(if is_list(name) {
        format!("[{name}] が2回以上あります。{name} は複数行の表なので、1件ごとに [[{name}]]（角括弧2重）で書いてください。")
    } else {
        format!("[{name}] が2回以上あります。どちらか一方を削除するか、1つの [{name}] にまとめてください。")
    })
}

/// Translates a TOML parser message (the text before its first comma) into Japanese.
fn toml_message(msg: &str, line_text: &str, text: &str) -> String {
    let head = msg.split([',', '\n']).next().unwrap_or("").trim();
    // `[x]` and `[[x]]` for the same table: rows written with single brackets.
    let header = line_text.trim();
    if head == "duplicate key" && header.starts_with('[') {
        let name = header
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .trim();
        let single = format!("[{name}]");
        let double = format!("[[{name}]]");
        let has = |h: &str| text.lines().any(|l| l.trim_start().starts_with(h));
        if !name.is_empty() && has(&single) && has(&double) {
            return format!(
                "[{name}] が2回以上あります。{name} は複数行の表なので、1件ごとに [[{name}]]（角括弧2重）で書いてください。"
            );
        }
        if !name.is_empty()
            && text
                .lines()
                .filter(|l| l.trim_start().starts_with(&single))
                .count()
                > 1
        {
            return format!("{DUPLICATE_TABLE}{name}");
        }
    }
    let shown = shorten(line_text.trim(), 40);
    let ja = match head {
        "key with no value" | "missing value for key" | "missing value" => {
            "項目名のあとに = と値がありません。「項目名 = 値」の形で書くか、この行を削除してください。".to_string()
        }
        "string values must be quoted" => {
            "文字列は \"…\" で囲んでください（例: name = \"(株)ろうあん\"）。".to_string()
        }
        "duplicate key" => "同じ項目（または同じ表）が2回書かれています。どちらか一方を削除してください。".to_string(),
        "unclosed table" | "unclosed array table" => {
            "表の見出しが ] で閉じられていません。[establishment] のように書いてください。".to_string()
        }
        "unclosed array" => "配列が ] で閉じられていません。".to_string(),
        "unclosed inline table" => "{ … } が閉じられていません。".to_string(),
        "extra comma in array" | "extra comma in inline table" => {
            "余分なカンマがあります。最後の値のあとのカンマを削除してください。".to_string()
        }
        "missing comma between array elements" | "missing comma between key-value pairs" => {
            "値と値の間にカンマ（,）がありません。".to_string()
        }
        "extra `=`" | "extra assignment between key-value pairs" => {
            "= が多すぎます。1行に「項目名 = 値」を1つだけ書いてください。".to_string()
        }
        "invalid unquoted key" | "invalid key" | "unquoted keys cannot be empty" => {
            "項目名に使えない文字があります。項目名は半角英字とアンダースコア（例: postal_code）で書いてください。".to_string()
        }
        "invalid basic string" | "invalid string" | "missing escaped value" | "invalid literal string" => {
            "文字列が正しく閉じられていないか、\\ の使い方が違います。\"…\" の中で \\ を使うなら \\\\ と書いてください。".to_string()
        }
        "invalid multi-line basic string" | "invalid multi-line literal string" => {
            "複数行の文字列（\"\"\" … \"\"\"）が閉じられていません。".to_string()
        }
        "invalid date-time" => "日付は 2020-10-10 の形（西暦の年-月-日）で書いてください。".to_string(),
        "cannot recurse further; max recursion depth met" | "recursion limit" => {
            "入れ子が深すぎます。申請ファイルの形（[表] と 項目 = 値）で書いてください。".to_string()
        }
        "unexpected content" | "unexpected key or value" | "invalid key-value pair" | "missing assignment between key-value pairs" | "unexpected content between comment and newline" => {
            "1行に「項目名 = 値」を1つだけ書いてください（コメントは # のあとに書きます）。".to_string()
        }
        "invalid comment character" => "コメントに制御文字があります。削除してください。".to_string(),
        "invalid integer number" | "unexpected leading zero" | "redundant numeric sign" | "integer number overflowed" | "invalid float" | "`_` may only go between digits" => {
            "数値を半角の整数で書いてください（先頭の 0・カンマ・単位は使えません）。".to_string()
        }
        "invalid value" | "invalid boolean" => {
            "値を読めません。文字列は \"…\" で囲み、数値は半角数字、はい/いいえは true / false で書いてください。".to_string()
        }
        "carriage return must be followed by newline" => "改行コードが壊れています。テキストエディタで保存し直してください。".to_string(),
        "cannot extend value of type array with a dotted key" | "cannot extend value of type inline table with a dotted key" => {
            "同じ項目を2つの書き方で書いています。どちらか一方にまとめてください。".to_string()
        }
        _ if head.starts_with("cannot extend value of type") => {
            "同じ項目を2つの書き方で書いています。どちらか一方にまとめてください。".to_string()
        }
        _ => "この行を TOML として読めません。「項目名 = 値」（文字列は \"…\"）の形で書いてください。".to_string(),
    };
    if shown.is_empty() {
        ja
    } else {
        format!("{ja}（この行: {shown}）")
    }
}

/// The dotted path at a line of a TOML text: the nearest table header above it plus the
/// key on the line (best effort, for syntax errors).
fn toml_path_at(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut table = String::new();
    for l in lines.iter().take(line.saturating_sub(1)) {
        let t = l.trim();
        if t.starts_with('[') {
            table = t
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
        }
    }
    let here = lines
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or("")
        .trim();
    if here.starts_with('[') {
        return here
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
    }
    let key = here
        .split(['=', '#', ' ', '\t'])
        .next()
        .map(|k| k.trim())
        .filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        })
        .unwrap_or("");
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key.to_string(),
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}

/// The BOM stripped, and full-width ASCII outside strings read as half-width (one notice per
/// changed line): the lenient reading both formats share. Returns the normalised text.
fn prepare(text: &str, toml: bool, notices: &mut Vec<TextNotice>) -> String {
    let text = strip_bom(text, notices);
    let (ascii, changed) = ascii_outside_strings(&text, toml);
    let orig_lines: Vec<&str> = text.lines().collect();
    for l in changed {
        let shown = orig_lines
            .get(l - 1)
            .map(|s| {
                // The key and value, without a trailing comment.
                let body = s.split(" #").next().unwrap_or(s);
                shorten(body.trim(), 40)
            })
            .unwrap_or_default();
        notices.push(TextNotice {
            line: l,
            kind: "全角の英数字・記号は半角",
            reading: shown.clone(),
            message: format!("全角の英数字・記号を半角として読みました（{shown}）。"),
        });
    }
    ascii
}

pub fn parse_toml(text: &str) -> Parsed {
    let mut notices = Vec::new();
    let ascii = prepare(text, true, &mut notices);
    // Quote bare date-like values, line by line, outside multi-line strings.
    let mut fixed = String::with_capacity(ascii.len() + 16);
    let mut in_multi: Option<&str> = None;
    for (i, l) in ascii.split_inclusive('\n').enumerate() {
        let body = l.trim_end_matches(['\n', '\r']);
        let ending = &l[body.len()..];
        let mut replaced = None;
        if in_multi.is_none() {
            replaced = quote_bare_date(body);
        }
        for delim in ["\"\"\"", "'''"] {
            let n = body.matches(delim).count();
            if n % 2 == 1 {
                in_multi = match in_multi {
                    Some(d) if d == delim => None,
                    None => Some(delim),
                    other => other,
                };
            }
        }
        match replaced {
            Some(r) => {
                let _ = i;
                fixed.push_str(&r);
                fixed.push_str(ending);
            }
            None => fixed.push_str(l),
        }
    }
    let src_lines: Vec<&str> = fixed.lines().collect();
    // The parser may stop recovering after one error: blank each line in error and parse
    // again, until no new error appears (line numbers stay as they are).
    let mut current = fixed.clone();
    let mut errors: Vec<SyntaxError> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    let mut attempts = 0;
    let table = loop {
        attempts += 1;
        let (table, errs) = toml::de::DeTable::parse_recoverable(&current);
        let cur_lines = Lines::new(&current);
        let mut new_lines = Vec::new();
        for e in errs {
            // Beyond the stated number of problems the file is not a claim file: stop
            // (each error costs a pass over the text).
            if errors.len() as u64 + 1 >= crate::input::limits::PROBLEMS.max {
                errors.push(SyntaxError {
                    line: None,
                    path: String::new(),
                    value: None,
                    message: crate::input::limits::PROBLEMS.exceeded(None),
                });
                new_lines.clear();
                break;
            }
            let line = e.span().map(|s| cur_lines.line(s.start.min(current.len())));
            if let Some(l) = line {
                if seen.contains(&l) {
                    continue;
                }
                seen.push(l);
                new_lines.push(l);
            }
            let line_text = line
                .and_then(|l| src_lines.get(l - 1))
                .copied()
                .unwrap_or("");
            errors.push(SyntaxError {
                line,
                path: line.map(|l| toml_path_at(&fixed, l)).unwrap_or_default(),
                value: None,
                message: toml_message(e.message(), line_text, &fixed),
            });
        }
        if new_lines.is_empty() || attempts >= 50 {
            break table.into_inner();
        }
        current = current
            .split('\n')
            .enumerate()
            .map(|(i, l)| if new_lines.contains(&(i + 1)) { "" } else { l })
            .collect::<Vec<_>>()
            .join("\n");
    };
    let lines = Lines::new(&current);
    let root = Node {
        value: Value::Table(toml_table(&table, &lines)),
        line: 1,
        file: 0,
    };
    Parsed {
        root,
        errors,
        notices,
    }
}

fn toml_table(t: &toml::de::DeTable<'_>, lines: &Lines) -> Vec<Entry> {
    t.iter()
        .map(|(k, v)| {
            let line = lines.line(k.span().start);
            Entry {
                key: k.get_ref().to_string(),
                line,
                node: toml_value(v, lines, line),
            }
        })
        .collect()
}

fn toml_value(v: &toml::Spanned<toml::de::DeValue<'_>>, lines: &Lines, key_line: usize) -> Node {
    use toml::de::DeValue as D;
    let span = v.span();
    let line = if span.start == 0 && span.end == 0 {
        key_line
    } else {
        lines.line(span.start)
    };
    let value = match v.get_ref() {
        D::String(s) => Value::Str(s.to_string()),
        D::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let (neg, digits) = match digits.strip_prefix('-') {
                Some(d) => (true, d.to_string()),
                None => (false, digits.trim_start_matches('+').to_string()),
            };
            let body = match i.radix() {
                16 | 8 | 2 => digits.get(2..).unwrap_or("").to_string(),
                _ => digits,
            };
            match i64::from_str_radix(&body, i.radix()) {
                Ok(n) => Value::Int(if neg { -n } else { n }),
                Err(_) => Value::Str(i.as_str().to_string()),
            }
        }
        D::Float(f) => {
            let s: String = f.as_str().chars().filter(|c| *c != '_').collect();
            Value::Float(s.parse().unwrap_or(f64::NAN))
        }
        D::Boolean(b) => Value::Bool(*b),
        D::Datetime(d) => Value::Datetime(d.to_string()),
        D::Array(a) => Value::Array(a.iter().map(|x| toml_value(x, lines, line)).collect()),
        D::Table(t) => Value::Table(toml_table(t, lines)),
    };
    Node {
        value,
        line,
        file: 0,
    }
}

/// Puts a serde_json syntax message into Japanese.
fn json_message(msg: &str, line_text: &str) -> String {
    let m = msg.split(" at line ").next().unwrap_or(msg);
    let ja = if line_text.contains(",,")
        || (m.starts_with("key must be a string") && line_text.trim_end().ends_with(','))
    {
        "余分なカンマがあります。値のあとのカンマを1つにし、最後の値のあとのカンマは削除してください。"
    } else if m.starts_with("EOF while parsing") {
        "ファイルが途中で終わっています。閉じ括弧 } や ] が足りないか、ファイルが切れています。"
    } else if m.starts_with("trailing comma") {
        "余分なカンマがあります。最後の値のあとのカンマを削除してください。"
    } else if m.starts_with("trailing characters") {
        "最後の } のあとに余分な文字があります。削除してください。"
    } else if m.starts_with("expected `,` or `}`") || m.starts_with("expected `,` or `]`") {
        "値と値の間にカンマ（,）がないか、括弧の対応が違います。"
    } else if m.starts_with("expected `:`") {
        "項目名のあとに : がありません。\"項目名\": 値 の形で書いてください。"
    } else if m.starts_with("key must be a string") {
        "項目名は \"…\" で囲んでください（例: \"name\": \"(株)ろうあん\"）。"
    } else if m.starts_with("expected value") || m.starts_with("expected ident") {
        "値を読めません。文字列は \"…\" で囲み、数値は半角数字、はい/いいえは true / false で書いてください。"
    } else if m.starts_with("control character") {
        "文字列の中に改行やタブなどの制御文字があります。改行は \\n と書くか、削除してください。"
    } else if m.starts_with("invalid escape")
        || m.starts_with("invalid unicode")
        || m.starts_with("lone leading surrogate")
        || m.starts_with("unexpected end of hex")
    {
        "文字列の中の \\ の使い方が違います。\\ を書くなら \\\\ と書いてください。"
    } else if m.starts_with("recursion limit exceeded") {
        "入れ子が深すぎます。申請ファイルの形（{ \"claim\": { … } }）で書いてください。"
    } else if m.starts_with("invalid number") || m.starts_with("number out of range") {
        "数値を読めません。半角の整数で書いてください。"
    } else {
        "この行を JSON として読めません。{ \"項目名\": 値 } の形で書いてください。"
    };
    let shown = shorten(line_text.trim(), 40);
    if shown.is_empty() {
        ja.to_string()
    } else {
        format!("{ja}（この行: {shown}）")
    }
}

pub fn parse_json(text: &str) -> Parsed {
    let mut notices = Vec::new();
    let ascii = prepare(text, false, &mut notices);
    let mut errors = Vec::new();
    let lines = Lines::new(&ascii);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&ascii) {
        let line = (e.line() > 0).then_some(e.line());
        let line_text = line.and_then(|l| ascii.lines().nth(l - 1)).unwrap_or("");
        let offset = line
            .and_then(|l| lines.starts.get(l - 1).copied())
            .map(|start| {
                let col = e.column().saturating_sub(1);
                let rest = &ascii[start..];
                start
                    + rest
                        .char_indices()
                        .nth(col)
                        .map(|(i, _)| i)
                        .unwrap_or(rest.len())
            })
            .unwrap_or(ascii.len());
        errors.push(SyntaxError {
            line,
            path: json_path_at(&ascii, offset),
            value: None,
            message: json_message(&e.to_string(), line_text),
        });
        return Parsed {
            root: Node {
                value: Value::Table(Vec::new()),
                line: 1,
                file: 0,
            },
            errors,
            notices,
        };
    }
    let mut p = JsonScan {
        text: &ascii,
        pos: 0,
        lines: &lines,
        dups: Vec::new(),
        path: Vec::new(),
    };
    let root = p.value().unwrap_or(Node {
        value: Value::Table(Vec::new()),
        line: 1,
        file: 0,
    });
    errors.extend(p.dups);
    Parsed {
        root,
        errors,
        notices,
    }
}

/// The dotted path of the innermost key open at `offset` in (possibly broken) JSON.
fn json_path_at(text: &str, offset: usize) -> String {
    #[derive(Clone)]
    enum Frame {
        Obj(Option<String>),
        Arr(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let mut last_string: Option<String> = None;
    while i < b.len().min(offset) {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                last_string = text
                    .get(start..(i + 1).min(b.len()))
                    .and_then(|s| serde_json::from_str::<String>(s).ok());
            }
            b':' => {
                if let Some(Frame::Obj(k)) = stack.last_mut() {
                    *k = last_string.take();
                }
            }
            b'{' => stack.push(Frame::Obj(None)),
            b'[' => stack.push(Frame::Arr(1)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Arr(n)) => *n += 1,
                Some(Frame::Obj(k)) => *k = None,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    let mut prev_array = false;
    for f in stack.iter().take(8) {
        let is_array = matches!(f, Frame::Arr(_));
        if is_array && prev_array {
            break;
        }
        prev_array = is_array;
        match f {
            Frame::Obj(Some(k)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&shorten(k, 40));
            }
            Frame::Obj(None) => {}
            Frame::Arr(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

/// A JSON reader over text serde_json has already accepted: it only adds lines.
struct JsonScan<'a> {
    text: &'a str,
    pos: usize,
    lines: &'a Lines,
    dups: Vec<SyntaxError>,
    path: Vec<String>,
}

impl JsonScan<'_> {
    fn ws(&mut self) {
        let b = self.text.as_bytes();
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        let b = self.text.as_bytes();
        self.pos += 1;
        while self.pos < b.len() {
            match b[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return serde_json::from_str(self.text.get(start..self.pos)?).ok();
                }
                _ => self.pos += 1,
            }
        }
        None
    }
    fn value(&mut self) -> Option<Node> {
        self.ws();
        let line = self.lines.line(self.pos);
        let value = match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut entries: Vec<Entry> = Vec::new();
                loop {
                    self.ws();
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let kline = self.lines.line(self.pos);
                    let key = self.string()?;
                    self.ws();
                    self.pos += 1; // ':'
                    self.path.push(key.clone());
                    let node = self.value();
                    let here = self.path.join(".");
                    self.path.pop();
                    let node = node?;
                    if let Some(i) = entries.iter().position(|e| e.key == key) {
                        self.dups.push(SyntaxError {
                            line: Some(kline),
                            path: here,
                            value: None,
                            message: format!(
                                "\"{}\" が2回書かれています（{}行目にもあります）。どちらか一方を削除してください。",
                                shorten(&key, 40),
                                entries[i].line
                            ),
                        });
                        entries.remove(i);
                    }
                    entries.push(Entry {
                        key,
                        line: kline,
                        node,
                    });
                }
                Value::Table(entries)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {
                            let n = items.len() + 1;
                            if let Some(last) = self.path.last_mut() {
                                last.push_str(&format!("[{n}]"));
                            }
                            let v = self.value();
                            if let Some(last) = self.path.last_mut() {
                                if let Some(cut) = last.rfind('[') {
                                    last.truncate(cut);
                                }
                            }
                            items.push(v?);
                        }
                    }
                }
                Value::Array(items)
            }
            b'"' => Value::Str(self.string()?),
            _ => {
                let start = self.pos;
                let b = self.text.as_bytes();
                while self.pos < b.len()
                    && !matches!(
                        b[self.pos],
                        b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    self.pos += 1;
                }
                let tok = self.text.get(start..self.pos)?;
                match tok {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ => match tok.parse::<i64>() {
                        Ok(n) => Value::Int(n),
                        Err(_) => Value::Float(tok.parse().unwrap_or(f64::NAN)),
                    },
                }
            }
        };
        Some(Node {
            value,
            line,
            file: 0,
        })
    }
}

// ------------------------------------------------------------------ limits

/// A value over a limit inside a parsed claim or profile: dotted path (`[n]` 1-based, as
/// the validator's paths), line, and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeProblem {
    pub path: String,
    /// The input file (see `tree::Node::file`) and line.
    pub file: u16,
    pub line: usize,
    pub message: String,
}

/// Every text over [`limits::TEXT`], list over [`limits::ARRAY`] and table nested deeper than
/// [`limits::NESTING`] in a parsed file. One pass over the tree, nothing copied.
pub fn check_tree(root: &Node) -> Vec<TreeProblem> {
    let mut out = Vec::new();
    tree(root, "", 0, &mut out);
    out
}

fn tree(n: &Node, path: &str, depth: u64, out: &mut Vec<TreeProblem>) {
    if out.len() as u64 >= limits::PROBLEMS.max {
        return;
    }
    let here = |message: String| TreeProblem {
        path: path.to_string(),
        file: n.file,
        line: n.line,
        message,
    };
    match &n.value {
        Value::Str(s) => {
            // Bytes bound characters from above: count only when it could be over.
            if s.len() as u64 > limits::TEXT.max {
                let chars = s.chars().count() as u64;
                if limits::TEXT.over(chars) {
                    out.push(here(limits::TEXT.exceeded(Some(chars))));
                }
            }
        }
        Value::Array(items) => {
            if limits::NESTING.over(depth + 1) {
                out.push(here(limits::NESTING.exceeded(None)));
                return;
            }
            if limits::ARRAY.over(items.len() as u64) {
                out.push(here(limits::ARRAY.exceeded(Some(items.len() as u64))));
            }
            for (i, item) in items.iter().enumerate() {
                tree(item, &format!("{path}[{}]", i + 1), depth + 1, out);
            }
        }
        Value::Table(entries) => {
            if depth > 0 && limits::NESTING.over(depth + 1) {
                out.push(here(limits::NESTING.exceeded(None)));
                return;
            }
            for e in entries {
                let child = if path.is_empty() {
                    e.key.clone()
                } else {
                    format!("{path}.{}", e.key)
                };
                tree(&e.node, &child, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The syntax of a file of facts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn of(path: &std::path::Path) -> Option<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("toml") => Some(Format::Toml),
            Some("json") => Some(Format::Json),
            _ => None,
        }
    }

    /// TOML unless the text starts with `{` (standard input, where there is no name).
    pub fn sniff(text: &str) -> Format {
        if text
            .trim_start_matches('\u{FEFF}')
            .trim_start()
            .starts_with('{')
        {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(n: &'a Node, key: &str) -> &'a Node {
        match &n.value {
            Value::Table(es) => &es.iter().find(|e| e.key == key).unwrap().node,
            _ => panic!("not a table"),
        }
    }

    #[test]
    fn toml_lines_and_fullwidth() {
        let p = parse_toml(
            "[claim]\nround = ２\napplication_date = 令和2年10月10日 # 和暦\nname = \"ＡＢＣ\"\n",
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let claim = get(&p.root, "claim");
        assert_eq!(get(claim, "round").value, Value::Int(2));
        assert_eq!(get(claim, "round").line, 2);
        assert_eq!(
            get(claim, "application_date").value,
            Value::Str("令和2年10月10日".into())
        );
        assert_eq!(get(claim, "name").value, Value::Str("ＡＢＣ".into()));
        assert_eq!(p.notices.len(), 1);
    }

    #[test]
    fn toml_errors_are_japanese_and_all_reported() {
        let p = parse_toml("[claim]\ngrant\nname = ろうあん\n[establishment\n");
        assert!(p.errors.len() >= 2, "{:?}", p.errors);
        for e in &p.errors {
            assert!(!e.message.contains("expected"), "{}", e.message);
        }
    }

    #[test]
    fn json_lines_and_duplicates() {
        let p = parse_json("\u{FEFF}{\n \"claim\": {\n  \"round\": 1,\n  \"round\": 2\n }\n}");
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.errors.len(), 1);
        let claim = get(&p.root, "claim");
        assert_eq!(get(claim, "round").line, 4);
        let p = parse_json("{\"a\": [1,}");
        assert_eq!(p.errors.len(), 1);
        assert!(!p.errors[0].message.contains("trailing"));
    }

    #[test]
    fn shorten_escapes() {
        assert_eq!(shorten("a\u{0}b\u{200B}", 40), "a\\u{0}b\\u{200B}");
        assert!(shorten(&"x".repeat(100_000), 40).chars().count() < 60);
    }
    #[test]
    fn tree_limits() {
        let long = format!("a = \"{}\"\n", "あ".repeat(5_001));
        let parsed = parse_toml(&long);
        let p = check_tree(&parsed.root);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "a");
        assert!(p[0].message.contains("5,001文字"), "{}", p[0].message);
        // Exactly at the limit is fine.
        let ok = format!("a = \"{}\"\n", "あ".repeat(5_000));
        assert!(check_tree(&parse_toml(&ok).root).is_empty());
        let rows = "[[section.items]]\nname = \"x\"\n".repeat(2_001);
        let p = check_tree(&parse_toml(&rows).root);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "section.items");
        assert!(p[0].message.contains("2,001件"), "{}", p[0].message);
        assert!(crate::programmes::johas::forms::MAX_ROWS_PER_TABLE < limits::ARRAY.max as usize);
        let deep = "a = [[[[[[[[[1]]]]]]]]]\n";
        let p = check_tree(&parse_toml(deep).root);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("入れ子の深さの上限（8段）"));
        // The deepest real path is well inside.
        let real = "[[section.items]]\nname = \"x\"\n";
        assert!(check_tree(&parse_toml(real).root).is_empty());
    }
}
