//! The interview's vocabulary (`new`): the questions of a file, in order, as a programme
//! declares them ([`Questionnaire`]), and the answers so far as a TOML table. The engine in
//! `commands::new` asks them in a terminal; the programme says why each is asked, reads each
//! answer through the input boundary, and writes the file.

use crate::model::Notice;
use std::collections::BTreeSet;

pub type Table = toml::Table;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Kana,
    AccountKana,
    Postal,
    Phone,
    /// A count of people, at least 1.
    Workers,
    /// A count, 0 or more.
    Count,
    Yen,
    Quantity,
    Date,
    YearMonth,
    /// 1 or 2.
    Round,
    Bool,
    /// A yes/no fact asked positively: the answers in the order shown, each with the value
    /// it writes (「契約に期間の定めがありますか」 ある → `contract_open_ended = false`).
    Flag(&'static [(bool, &'static str)]),
    Choice(&'static [(&'static str, &'static str)]),
    /// One of numbered options (a workbook's 「1つだけ」), written as the number.
    Numbered(&'static [(i64, &'static str)]),
    /// Any of numbered options (a workbook's 「いくつでも」), written as an array of numbers.
    Multi(&'static [(i64, &'static str)]),
    CorporateNumber,
    LabourInsuranceNumber,
}

#[derive(Debug, Clone)]
pub struct Q {
    /// The full dotted key (for list fields: relative to the list element).
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// The file is unusable without it (no 「わからない」).
    pub required: bool,
    /// When the question applies (on the answers so far).
    pub when: Option<fn(&Table) -> bool>,
}

#[derive(Debug, Clone)]
pub enum Step {
    /// A `[table]` header and the comment above it.
    Table(&'static str, &'static str),
    Ask(Q),
    /// An array of tables (`[[key]]`), asked as "add one more?".
    List {
        key: &'static str,
        label: &'static str,
        fields: Vec<Q>,
        when: Option<fn(&Table) -> bool>,
    },
    /// Yes/no questions the questionnaire computes from the answers so far (the
    /// attachments that apply to them), under a heading.
    Confirm(&'static str),
}

/// Yes/no answers (「はい」「いいえ」).
pub const YES_NO: &[(&str, &str)] = &[("true", "はい"), ("false", "いいえ")];
/// A round (何回目).
pub const ROUNDS: &[(&str, &str)] = &[("1", "1回目"), ("2", "2回目")];

/// A value of the answers by dotted path.
pub fn get<'a>(t: &'a Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut cur = t.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_table()?.get(p)?;
    }
    Some(cur)
}

/// Sets a dotted key in a nested table.
pub fn set(t: &mut Table, key: &str, v: toml::Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or(key);
    let mut cur = t;
    for p in parts {
        let entry = cur
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(Table::new());
        }
        cur = entry.as_table_mut().expect("just made a table");
    }
    cur.insert(last.to_string(), v);
}

/// Removes a dotted key.
pub fn remove(t: &mut Table, key: &str) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or(key);
    let mut cur = t;
    for p in parts {
        match cur.get_mut(p).and_then(|v| v.as_table_mut()) {
            Some(x) => cur = x,
            None => return,
        }
    }
    cur.remove(last);
}

/// A requirement the answers so far do not meet, said at once.
#[derive(Debug, Clone)]
pub struct Failing {
    pub rule: String,
    /// 「[SC-E1] 小規模事業場: 労働者数 52名 は…」
    pub message: String,
    /// What would change it (「労働者数が49名以下なら適合」).
    pub changes: Vec<String>,
}

/// A yes/no question computed from the answers (an attachment that applies).
#[derive(Debug, Clone)]
pub struct Confirm {
    /// The full dotted key (`attachments.contract_copy`).
    pub key: String,
    /// Said before the question: what it is and what to check.
    pub intro: String,
}

/// A programme's interview: its questions, why each is asked, how an answer is read, and
/// the file the answers make.
pub trait Questionnaire: Sync + Send {
    /// The steps, in the order of the forms or the workbook.
    fn steps(&self) -> Vec<Step>;

    /// Why a question is asked: the rules that read the key, each with the guide's
    /// sentence.
    fn why(&self, answers: &Table, key: &str) -> Vec<String>;

    /// An answer read as `check` reads the same value in a file (through the input
    /// boundary): the value, and when it was read leniently, the reading to show.
    fn read_answer(
        &self,
        key: &str,
        kind: Kind,
        text: &str,
    ) -> Result<(toml::Value, Option<String>), String>;

    /// The requirements the answers so far fail, among the rules that read `key` and whose
    /// facts have all been asked.
    fn failing(
        &self,
        answers: &Table,
        asked: &BTreeSet<String>,
        key: &str,
        today: chrono::NaiveDate,
    ) -> Vec<Failing>;

    /// What the interview leaves out of its questions on purpose, said once before the first
    /// (`None`: it asks everything).
    fn not_asked(&self) -> Option<String> {
        None
    }

    /// The yes/no questions of a [`Step::Confirm`] on the answers so far.
    fn confirms(&self, answers: &Table) -> Vec<Confirm>;

    /// The file the answers make (a key asked and not answered is written commented).
    fn render(&self, answers: &Table, asked: &BTreeSet<String>) -> String;

    /// The answers of an existing file (to resume), read through the input boundary, with
    /// what was read leniently; every problem in Japanese when it cannot be.
    fn resume(&self, path: &std::path::Path) -> Result<(Table, Vec<Notice>), String>;

    /// A resumed file must hold only keys the interview knows, so that rewriting it loses
    /// nothing.
    fn check_known_keys(&self, answers: &Table) -> Result<(), String>;

    /// Sets what the file needs to name its programme (`claim.grant`, `programme`).
    fn start(&self, answers: &mut Table);

    /// Whether the question of `key` applies to the answers so far (its condition holds).
    /// By default, the `when` of its step.
    fn applies(&self, answers: &Table, key: &str) -> bool {
        let when = self.steps().into_iter().find_map(|s| match s {
            Step::Ask(q) if q.key == key => Some(q.when),
            Step::List { key: k, when, .. } if k == key => Some(when),
            _ => None,
        });
        when.flatten().is_none_or(|f| f(answers))
    }

    /// `new --from LAST`: this edition's answers started from an earlier file's (matched by
    /// what the programme's data says is the same question), with what changed, one line
    /// each. By default a programme cannot.
    fn carry_over(&self, from: &std::path::Path) -> Result<(Table, Vec<String>), String> {
        Err(format!(
            "エラー: {} から引き継ぐ機能はこの制度にはありません。",
            from.display()
        ))
    }

    /// The file written when no name is given (`claim.toml`, `answers.toml`).
    fn file_name(&self) -> &'static str {
        "claim.toml"
    }

    /// Keys a book client's history gives (the round, the earlier claims): not asked for a
    /// claim written into a client's folder.
    fn from_history(&self) -> &'static [&'static str] {
        &[]
    }

    /// The facts of a client's profile (client.toml) that this interview would ask, read
    /// through the input boundary as the book reads them.
    fn read_profile(&self, path: &std::path::Path) -> Result<(Table, Vec<Notice>), String>;
}
