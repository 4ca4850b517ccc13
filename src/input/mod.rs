//! The one input boundary. Every source of facts (a claim or answers file, standard input, a
//! book claim merged with its client's profile and history, a profile alone, an interview's
//! answers, an imported row) becomes an [`Input`]: one tree whose every value names the
//! file and line it was written in. The tree is walked against the programme's schema
//! ([`Input::walk`]): unknown keys with the nearest known key, types, lenient readings with
//! a notice (和暦, 全角, ひらがなのフリガナ, 〒), text the forms cannot print. The programme
//! then builds its typed facts and adds its own checks; [`Walked::finish`] reports every
//! problem at once — file, line, field path, the value as written and the fix, in Japanese —
//! or hands over where each fact was written ([`Provenance`]).

pub mod book;
pub mod checks;
pub mod columns;
pub mod lenient;
pub mod limits;
pub mod tree;
pub mod walk;

pub use tree::Format;

use self::walk::Walk;
use crate::model::{Notice, Written};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted field path, `[n]` is the n-th entry (1-based); empty for the whole file.
    pub path: String,
    pub line: Option<usize>,
    pub value: Option<String>,
    pub message: String,
    /// The file the value was written in, when it is not the file being read (a book
    /// claim's profile, an earlier claim of the same client).
    pub file: Option<String>,
}

impl Problem {
    /// Where the problem is and what was written: `file:line path = value` (`file` is the
    /// file being read, shown unless the problem names its own).
    pub fn heading(&self, file: &str) -> String {
        let file = self.file.as_deref().unwrap_or(file);
        let place = match self.line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_string(),
        };
        let field = if self.path.is_empty() {
            String::new()
        } else {
            format!(" {}", self.path)
        };
        let value = self
            .value
            .as_ref()
            .map(|v| format!(" = {v}"))
            .unwrap_or_default();
        format!("{place}{field}{value}")
    }
}

/// A file that could not be used, with all its problems.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl InputError {
    /// One error of `file` holding the problems of several files (each problem names its
    /// file when it is not `file`).
    pub fn join(file: &str, errors: Vec<InputError>) -> InputError {
        let mut problems = Vec::new();
        for e in errors {
            for mut p in e.problems {
                if p.file.is_none() && e.file != file {
                    p.file = Some(e.file.clone());
                }
                problems.push(p);
            }
        }
        InputError {
            file: file.to_string(),
            problems,
        }
    }

    /// The problems grouped by the file they are in (the file being read first), each
    /// group an error of its own file.
    pub fn by_file(self) -> Vec<InputError> {
        let mut groups: Vec<InputError> = Vec::new();
        for mut p in self.problems {
            let file = p.file.take().unwrap_or_else(|| self.file.clone());
            match groups.iter_mut().find(|g| g.file == file) {
                Some(g) => g.problems.push(p),
                None => groups.push(InputError {
                    file,
                    problems: vec![p],
                }),
            }
        }
        groups.sort_by_key(|g| g.file != self.file);
        groups
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let elsewhere: Vec<&str> = self
            .problems
            .iter()
            .filter_map(|p| p.file.as_deref())
            .filter(|f| *f != self.file)
            .collect();
        if elsewhere.is_empty() {
            writeln!(
                f,
                "エラー: {} に {} 件の問題があります。",
                self.file,
                self.problems.len()
            )?;
        } else {
            let mut files: Vec<&str> = vec![self.file.as_str()];
            for e in elsewhere {
                if !files.contains(&e) {
                    files.push(e);
                }
            }
            writeln!(
                f,
                "エラー: {} に {} 件の問題があります（書かれているファイル: {}）。",
                self.file,
                self.problems.len(),
                files.join("、")
            )?;
        }
        for p in &self.problems {
            writeln!(f, "  {}", p.heading(&self.file))?;
            writeln!(f, "    → {}", p.message)?;
        }
        Ok(())
    }
}

fn whole_file(file: &str, message: String) -> InputError {
    InputError {
        file: file.to_string(),
        problems: vec![Problem {
            path: String::new(),
            line: None,
            value: None,
            message,
            file: None,
        }],
    }
}

/// Reads a text file for the input boundary: the problem in Japanese when it cannot be.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let file = path.display().to_string();
    crate::input::limits::read_text(path, crate::input::limits::FACTS_FILE).map_err(|e| {
        let e = match e {
            crate::input::limits::ReadError::Io(e) => e,
            too_large => return whole_file(&file, too_large.to_string()),
        };
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "ファイルが見つかりません。パスを確かめてください。".to_string()
            }
            std::io::ErrorKind::InvalidData => {
                "UTF-8 のテキストとして読めません。UTF-8 で保存し直してください。".to_string()
            }
            _ => format!("ファイルを読めません（{e}）。"),
        };
        whole_file(&file, why)
    })
}

/// What the input boundary checks at once: one tree whose every node names the file it
/// was written in (`Node::file`, an index into `files`), with the syntax problems and
/// the lenient readings of those files. A claim file alone is one file; a book claim is
/// the claim file, the client's profile and the earlier claims its history comes from;
/// an interview's answers are a tree with no lines.
#[derive(Debug, Clone)]
pub struct Input {
    /// File labels as shown in messages; `files[0]` is the one being read.
    pub files: Vec<String>,
    /// The format the messages' examples are written in (the first file's).
    pub format: Format,
    pub root: tree::Node,
    /// Syntax problems, with their file.
    pub syntax: Vec<Problem>,
    /// (file, line) of every line a syntax error damaged: problems found there by the
    /// field check are consequences, not said again.
    pub damaged: std::collections::HashSet<(u16, usize)>,
    /// Readings made before parsing (BOM, 全角 outside strings), with file and line.
    pub text_notices: Vec<(u16, tree::TextNotice)>,
}

/// One file read for the input boundary: its label, its format and its parsed tree (with
/// syntax errors and lenient readings), to be added to an [`Input`] once or several times
/// (a client's profile goes into each of its claims).
#[derive(Debug, Clone)]
pub struct Doc {
    pub label: String,
    pub format: Format,
    pub text: String,
    pub parsed: tree::Parsed,
}

impl Doc {
    pub fn parse(label: &str, text: &str, format: Format) -> Doc {
        Doc {
            label: label.to_string(),
            format,
            text: text.to_string(),
            parsed: match format {
                Format::Toml => tree::parse_toml(text),
                Format::Json => tree::parse_json(text),
            },
        }
    }

    /// Reads a file from disk (`.toml` or `.json`).
    pub fn load(path: &Path) -> Result<Doc, InputError> {
        let label = path.display().to_string();
        let format = Format::of(path).ok_or_else(|| {
            whole_file(
                &label,
                "ファイルの拡張子は .toml（推奨）か .json にしてください。".into(),
            )
        })?;
        let text = read_text(path)?;
        Ok(Doc::parse(&label, &text, format))
    }

    /// The syntax problems of this file alone (file `None`: this file).
    pub fn syntax_problems(&self) -> Vec<Problem> {
        self.parsed
            .errors
            .iter()
            .map(|e| Problem {
                path: e.path.clone(),
                line: e.line,
                value: e.value.clone(),
                message: tree::duplicate_table_message(&e.message, |_| false)
                    .unwrap_or_else(|| e.message.clone()),
                file: None,
            })
            .collect()
    }
}

impl Input {
    /// An input that starts with file `doc` (file `0`); its tree is the root.
    pub fn of(doc: &Doc) -> Input {
        let mut input = Input {
            files: Vec::new(),
            format: doc.format,
            root: tree::Node::new(tree::Value::Table(Vec::new()), 0),
            syntax: Vec::new(),
            damaged: Default::default(),
            text_notices: Vec::new(),
        };
        input.root = input.add_doc(doc);
        input
    }

    /// One file's text, parsed into a tree whose nodes name file `0`.
    pub fn parse(label: &str, text: &str, format: Format) -> Input {
        let mut input = Input {
            files: Vec::new(),
            format,
            root: tree::Node::new(tree::Value::Table(Vec::new()), 0),
            syntax: Vec::new(),
            damaged: Default::default(),
            text_notices: Vec::new(),
        };
        input.root = input.add_text(label, text, format);
        input
    }

    /// A tree built by the tool (interview answers, an imported row), from file `label`.
    pub fn from_tree(label: &str, root: tree::Node, format: Format) -> Input {
        Input {
            files: vec![label.to_string()],
            format,
            root,
            syntax: Vec::new(),
            damaged: Default::default(),
            text_notices: Vec::new(),
        }
    }

    /// Adds a file to this input; returns its index (`Node::file`).
    pub fn add_file(&mut self, label: &str) -> u16 {
        if let Some(i) = self.files.iter().position(|f| f == label) {
            return i as u16;
        }
        self.files.push(label.to_string());
        (self.files.len() - 1) as u16
    }

    /// Parses another file of this input; returns its tree (nodes marked with its index),
    /// keeping its syntax problems and lenient readings.
    pub fn add_text(&mut self, label: &str, text: &str, format: Format) -> tree::Node {
        self.add_doc(&Doc::parse(label, text, format))
    }

    /// Adds a file already parsed; returns its tree (nodes marked with its index), keeping
    /// its syntax problems and lenient readings.
    pub fn add_doc(&mut self, doc: &Doc) -> tree::Node {
        let (label, text, format) = (doc.label.as_str(), doc.text.as_str(), doc.format);
        let id = self.add_file(label);
        let file = (id > 0).then(|| label.to_string());
        let mut parsed = doc.parsed.clone();
        parsed.root.set_file(id);
        // Lines a syntax error damaged: its own, and for a broken table header every line
        // up to the next header (their keys landed in the wrong table).
        let text_lines: Vec<&str> = text.lines().collect();
        for e in &parsed.errors {
            self.syntax.push(Problem {
                path: e.path.clone(),
                line: e.line,
                value: e.value.clone(),
                message: e.message.clone(),
                file: file.clone(),
            });
            let Some(l) = e.line else { continue };
            self.damaged.insert((id, l));
            let header = |i: usize| {
                text_lines
                    .get(i.wrapping_sub(1))
                    .is_some_and(|t| t.trim_start().starts_with('['))
            };
            if format == Format::Toml && header(l) {
                let mut i = l + 1;
                while i <= text_lines.len() && !header(i) {
                    self.damaged.insert((id, i));
                    i += 1;
                }
            }
        }
        self.text_notices
            .extend(parsed.notices.into_iter().map(|n| (id, n)));
        parsed.root
    }

    /// Texts, lists and nesting over the stated limits (crate::input::limits), checked before any
    /// other work on the values.
    fn over_limits(&self) -> Vec<Problem> {
        tree::check_tree(&self.root)
            .into_iter()
            .map(|p| Problem {
                path: p.path,
                line: (p.line > 0).then_some(p.line),
                value: None,
                message: p.message,
                file: self.label(p.file),
            })
            .collect()
    }

    /// The label of file `id` for a problem: `None` for the file being read.
    fn label(&self, id: u16) -> Option<String> {
        (id > 0)
            .then(|| self.files.get(id as usize).cloned())
            .flatten()
    }
}

/// A programme's file format, as the input boundary needs it: its JSON Schema (every `$ref`
/// resolved, see [`walk::resolve_schema`]), which drives the field walk: keys, types, lenient
/// readings, which text may span lines.
pub type Schema = &'static serde_json::Value;

/// An input walked against a programme's schema: the values as read (canonical:
/// `2020-10-10` for `令和2年10月10日`), every problem found so far, and where each value was
/// written. The programme then deserializes the values into its typed facts, adds its own
/// problems (formats, cross-field checks) and calls [`Walked::finish`].
pub struct Walked<'i> {
    pub input: &'i Input,
    pub values: serde_json::Value,
    pub problems: Vec<Problem>,
    walk: Walk,
    /// Readings the programme made leniently after the walk, by path.
    extra_notices: Vec<(String, String, String, String)>,
}

/// What the boundary hands over with a programme's typed facts: the lenient readings and
/// where each fact was written.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub notices: Vec<Notice>,
    pub written: std::collections::BTreeMap<String, Written>,
}

impl Input {
    /// Walks the whole tree against `schema`.
    pub fn walk(&self, schema: Schema) -> Walked<'_> {
        self.walk_sections(schema, None)
    }

    /// Walks the tree against `schema`; with `sections`, only those top-level keys (a
    /// client's profile, one answer of an interview), the others left to the caller.
    pub fn walk_sections(&self, schema: Schema, sections: Option<&[&str]>) -> Walked<'_> {
        let mut problems: Vec<Problem> = self.syntax.clone();
        problems.extend(self.over_limits());
        let mut walk = Walk::new(self.format, schema);
        let values = match sections {
            None => walk
                .walk(&self.root, schema, "", "")
                .unwrap_or(serde_json::Value::Object(Default::default())),
            Some(sections) => {
                let props = &schema["properties"];
                let mut cleaned = serde_json::Map::new();
                for e in self.root.entries() {
                    let Some(sub) = props
                        .get(&e.key)
                        .filter(|_| sections.contains(&e.key.as_str()))
                    else {
                        continue;
                    };
                    walk.origins
                        .entry(e.key.clone())
                        .or_insert((e.node.file, e.line));
                    if let Some(v) = walk.walk(&e.node, sub, &e.key, &e.key) {
                        cleaned.insert(e.key.clone(), v);
                    }
                }
                serde_json::Value::Object(cleaned)
            }
        };
        for f in &walk.problems {
            if f.line.is_some_and(|l| self.damaged.contains(&(f.file, l))) {
                continue;
            }
            problems.push(Problem {
                path: f.path.clone(),
                line: f.line,
                value: f.value.clone(),
                message: f.message.clone(),
                file: self.label(f.file),
            });
        }
        // A table header written twice: rows (`[[x]]`) when the schema says x is a list.
        for p in problems.iter_mut() {
            if let Some(m) = tree::duplicate_table_message(&p.message, |n| walk::is_list(schema, n))
            {
                p.message = m;
            }
        }
        Walked {
            input: self,
            values,
            problems,
            walk,
            extra_notices: Vec::new(),
        }
    }
}

impl Walked<'_> {
    /// The values as the programme's typed file: every value left has the type its field
    /// wants, so this cannot fail; if it does, it is a defect of this tool, said as such.
    pub fn deserialize<T: serde::de::DeserializeOwned + Default>(&mut self) -> T {
        // From the borrowed values (`from_value` would need a copy of the whole tree).
        match <T as serde::Deserialize>::deserialize(&self.values) {
            Ok(v) => v,
            Err(e) => {
                self.problems.push(problem(
                    "",
                    None,
                    format!("内部エラー: ファイルを読み込めませんでした（{e}）。このファイルを添えて開発者に報告してください。"),
                ));
                T::default()
            }
        }
    }

    /// A value the programme read leniently after the walk (`kind` groups the notices,
    /// `reading` is the short form: `"2025/9/30" → "2025-09-30"`); its place is found
    /// from the walk.
    pub fn notice(&mut self, path: &str, kind: &str, reading: &str, message: &str) {
        self.extra_notices.push((
            path.to_string(),
            kind.to_string(),
            reading.to_string(),
            message.to_string(),
        ));
    }

    /// The format checks declared with `validator` on the typed file.
    pub fn validate<T: Validate>(&mut self, value: &T) {
        if let Err(errors) = value.validate() {
            flatten(&errors, "", &mut self.problems);
        }
    }

    /// Lines from the walk for problems found after it (formats, cross-field checks), then
    /// one problem per field (the first said — syntax, type, format, cross-field — hides
    /// later ones at the same path or below it), sorted by file and line. Every problem at
    /// once as an error of the input's first file, or where each fact came from.
    pub fn finish(mut self) -> Result<Provenance, InputError> {
        self.settle();
        if !self.problems.is_empty() {
            return Err(InputError {
                file: self.input.files.first().cloned().unwrap_or_default(),
                problems: self.problems,
            });
        }
        Ok(self.provenance())
    }

    /// [`Walked::finish`] without the verdict: the problems settled (lines, one per field,
    /// sorted), left in `problems`.
    pub fn settle(&mut self) {
        let input = self.input;
        for p in self.problems.iter_mut() {
            if p.line.is_none() && p.file.is_none() {
                if let Some((file, line)) = origin_of(&self.walk.origins, &p.path) {
                    p.line = (line > 0).then_some(line);
                    p.file = input.label(file);
                }
            }
        }
        let problems = &mut self.problems;
        crate::input::limits::cap_problems(problems, |message| problem("", None, message));
        let mut said: Vec<String> = Vec::new();
        problems.retain(|p| {
            if p.path.is_empty() {
                return true;
            }
            let covered = said.iter().any(|s| {
                p.path == *s
                    || p.path.starts_with(&format!("{s}."))
                    || p.path.starts_with(&format!("{s}["))
            });
            if !covered {
                said.push(p.path.clone());
            }
            !covered
        });
        problems.sort_by_key(|p| {
            (
                p.file.is_some(),
                p.file.clone(),
                p.line.unwrap_or(usize::MAX),
                p.path.clone(),
            )
        });
        problems.dedup();
    }

    /// The lenient readings and where each value was written (also when there are
    /// problems: an interview shows what it read of one answer).
    pub fn provenance(&self) -> Provenance {
        let input = self.input;
        let mut all = notices(input, &self.walk);
        for (path, kind, reading, message) in &self.extra_notices {
            let (file, line) = origin_of(&self.walk.origins, path).unwrap_or((0, 0));
            all.push(Notice {
                path: path.clone(),
                file: input.label(file),
                line: (line > 0).then_some(line),
                kind: kind.clone(),
                reading: reading.clone(),
                message: message.clone(),
            });
        }
        all.sort_by_key(|n| {
            (
                n.file.is_some(),
                n.file.clone(),
                n.line.unwrap_or(usize::MAX),
                n.path.clone(),
            )
        });
        Provenance {
            notices: all,
            written: self
                .walk
                .written
                .iter()
                .map(|(path, w)| {
                    (
                        path.clone(),
                        Written {
                            file: input
                                .files
                                .get(w.file as usize)
                                .cloned()
                                .unwrap_or_default(),
                            line: (w.line > 0).then_some(w.line),
                            text: w.text.clone(),
                            value: w.value.clone(),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// A problem at a field path, its line filled in when the walk is finished.
pub fn problem(path: &str, value: Option<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        line: None,
        value,
        message: message.into(),
        file: None,
    }
}

/// The (file, line) of a path, or of its nearest parent that has one.
fn origin_of(origins: &HashMap<String, (u16, usize)>, path: &str) -> Option<(u16, usize)> {
    let mut p = path.to_string();
    loop {
        if let Some(o) = origins.get(&p) {
            return Some(*o);
        }
        let cut = p.rfind(['.', '['])?;
        p.truncate(cut);
    }
}

fn notices(input: &Input, walk: &Walk) -> Vec<Notice> {
    let mut out: Vec<Notice> = Vec::new();
    for (file, t) in &input.text_notices {
        // The deepest path whose key is on that line of that file.
        let path = walk
            .origins
            .iter()
            .filter(|(_, o)| **o == (*file, t.line))
            .map(|(p, _)| p.clone())
            .max_by_key(|p| (p.len(), p.clone()))
            .unwrap_or_default();
        out.push(Notice {
            path,
            file: input.label(*file),
            line: Some(t.line),
            kind: t.kind.to_string(),
            reading: t.reading.clone(),
            message: t.message.clone(),
        });
    }
    for n in &walk.notices {
        out.push(Notice {
            path: n.path.clone(),
            file: input.label(n.file),
            line: n.line,
            kind: n.kind.to_string(),
            reading: n.reading.clone(),
            message: n.message.clone(),
        });
    }
    out.sort_by_key(|n| {
        (
            n.file.is_some(),
            n.file.clone(),
            n.line.unwrap_or(usize::MAX),
            n.path.clone(),
        )
    });
    out
}

fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut Vec<Problem>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errs) => {
                for e in errs {
                    let value = e.params.get("value").and_then(|v| match v {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(s) => {
                            Some(format!("\"{}\"", tree::shorten(s, 40)))
                        }
                        other => Some(other.to_string()),
                    });
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("値が正しくありません（{}）。", e.code));
                    out.push(Problem {
                        path: path.clone(),
                        line: None,
                        value,
                        message,
                        file: None,
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}[{}]", i + 1), out);
                }
            }
        }
    }
}
