//! What would turn a finding ([`Change`]): a sentence and the facts it proposes, as data a
//! test can apply. The hints that make them, and the words they use for a field, are
//! `whatif.rs`.

use crate::model::dates::{wareki, wareki_month, YearMonth};
use chrono::NaiveDate;

/// One way to turn a finding: what to tell the user, and the facts it proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The sentence shown (「結果を変えるには」).
    pub text: String,
    /// The facts to set, as the claim file writes them: (dotted key, value). A key may name
    /// an entry of a list, `section.list[0].field`. Empty when the sentence asks for a fact
    /// or says that no change of the facts can turn the finding (and why).
    pub sets: Vec<(String, toml::Value)>,
}

impl Change {
    /// A sentence that proposes no fact (what to supply, or why nothing can change it).
    pub fn say(text: impl Into<String>) -> Change {
        Change {
            text: text.into(),
            sets: Vec::new(),
        }
    }

    /// Sets one fact; `text` says it.
    pub fn set(key: &str, value: impl Into<Fact>, text: impl Into<String>) -> Change {
        Change::say(text).and(key, value)
    }

    /// Sets one more fact with it.
    pub fn and(mut self, key: &str, value: impl Into<Fact>) -> Change {
        self.sets.push((key.to_string(), value.into().0));
        self
    }
}

/// A fact's value as a claim file writes it, and as a hint says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact(pub toml::Value);

impl Fact {
    /// 「はい」, 令和2年5月1日, 令和2年5月, 49.
    pub fn said(&self) -> String {
        match &self.0 {
            toml::Value::Boolean(true) => "「はい」".into(),
            toml::Value::Boolean(false) => "「いいえ」".into(),
            toml::Value::Datetime(d) => d
                .to_string()
                .parse::<NaiveDate>()
                .map(wareki)
                .unwrap_or_else(|_| d.to_string()),
            toml::Value::String(s) => YearMonth::parse(s)
                .map(wareki_month)
                .unwrap_or_else(|| format!("「{s}」")),
            other => other.to_string(),
        }
    }
}

impl From<bool> for Fact {
    fn from(b: bool) -> Fact {
        Fact(toml::Value::Boolean(b))
    }
}

impl From<i64> for Fact {
    fn from(n: i64) -> Fact {
        Fact(toml::Value::Integer(n))
    }
}

impl From<&str> for Fact {
    fn from(s: &str) -> Fact {
        Fact(toml::Value::String(s.to_string()))
    }
}

impl From<NaiveDate> for Fact {
    fn from(d: NaiveDate) -> Fact {
        let v = d
            .to_string()
            .parse::<toml::value::Datetime>()
            .expect("an ISO date is a TOML date");
        Fact(toml::Value::Datetime(v))
    }
}

impl From<YearMonth> for Fact {
    fn from(m: YearMonth) -> Fact {
        Fact(toml::Value::String(m.to_string()))
    }
}
