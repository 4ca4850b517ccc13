//! Findings: the outcome of one rule for one claim, with its ID and citation.

use serde::Serialize;

/// Ordered by severity: `Pass < Excluded < Warning < Unknown < Fail`.
///
/// An *excluded item* is not a *failed requirement*. `Excluded` says that one equipment
/// item is not claimed (SK-M2 / SK-M5 / SK-M6 / SK-M7 take it out of the amount), and why;
/// the claim itself stays eligible and the rest is paid. A requirement of the claim that
/// is not met is `Fail` and makes the whole claim ineligible. `Excluded` therefore never
/// affects the verdict, never ticks or blanks a box by itself, and is shown to the user as
/// 「対象外（請求しない）」, apart from the failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    /// One equipment item is not claimed (the finding's `item` says which); the claim
    /// stays eligible.
    Excluded,
    /// Does not decide eligibility, but the applicant must know it.
    Warning,
    /// A fact the file does not give; the message says which.
    Unknown,
    Fail,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "適合",
            Outcome::Excluded => "対象外（請求しない）",
            Outcome::Fail => "不適合",
            Outcome::Unknown => "不明",
            Outcome::Warning => "注意",
        }
    }

    /// The name used in JSON and in the rule cases (`"excluded"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Excluded => "excluded",
            Outcome::Warning => "warning",
            Outcome::Unknown => "unknown",
            Outcome::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// RULES.md ID, e.g. "SC-E1".
    pub rule: String,
    pub outcome: Outcome,
    pub message: String,
    /// The place in the official guide.
    pub citation: String,
    /// The rule's short title (from the edition data).
    pub title: String,
    /// Where the guide is ambiguous and the interpretation decides this finding's outcome:
    /// the interpretation applied (from the edition data). Absent when the outcome would be
    /// the same under any reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The item of a list (1-based, in file order: a piece of equipment) the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
}

/// What an edition says of one of its rules: its title, its place in the guide, and the
/// interpretation applied where the guide is ambiguous.
#[derive(Debug, Clone, Default)]
pub struct RuleText {
    pub title: String,
    pub cite: String,
    pub decision: Option<String>,
}

/// An edition's rules, as findings need them.
pub trait RuleBook {
    fn rule_text(&self, id: &str) -> Option<RuleText>;
}

/// Collects findings for one claim, taking titles and citations from the edition data.
pub struct Findings<'e> {
    edition: &'e dyn RuleBook,
    pub list: Vec<Finding>,
}

impl<'e> Findings<'e> {
    pub fn new(edition: &'e dyn RuleBook) -> Self {
        Findings {
            edition,
            list: Vec::new(),
        }
    }

    pub fn push(&mut self, rule: &str, outcome: Outcome, message: impl Into<String>) {
        let def = self.edition.rule_text(rule).unwrap_or_default();
        self.list.push(Finding {
            rule: rule.to_string(),
            outcome,
            message: message.into(),
            citation: def.cite,
            title: def.title,
            decision: None,
            item: None,
        });
    }

    /// A finding whose outcome the rule's interpretation (`decision` in the edition data)
    /// decides: the explicit marker that makes the report show that interpretation.
    pub fn decided(&mut self, rule: &str, outcome: Outcome, message: impl Into<String>) {
        self.push(rule, outcome, message);
        let decision = self.edition.rule_text(rule).and_then(|d| d.decision);
        if let Some(f) = self.list.last_mut() {
            f.decision = decision;
        }
    }

    /// A finding about one equipment item (1-based index).
    pub fn item(&mut self, rule: &str, item: usize, outcome: Outcome, message: impl Into<String>) {
        self.push(rule, outcome, message);
        if let Some(f) = self.list.last_mut() {
            f.item = Some(item);
        }
    }

    pub fn pass(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Pass, m)
    }
    pub fn fail(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Fail, m)
    }
    pub fn unknown(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Unknown, m)
    }
    pub fn warn(&mut self, rule: &str, m: impl Into<String>) {
        self.push(rule, Outcome::Warning, m)
    }

    /// pass / fail / unknown from a yes-no fact.
    pub fn fact(
        &mut self,
        rule: &str,
        fact: Option<bool>,
        yes: &str,
        no: &str,
        missing_field: &str,
    ) {
        match fact {
            Some(true) => self.pass(rule, yes),
            Some(false) => self.fail(rule, no),
            None => self.unknown(
                rule,
                format!("{missing_field} が書かれていないため判定できません。"),
            ),
        }
    }
}

/// 100000 → "100,000"
/// The most severe outcome among the findings of one rule (fail > unknown > warning >
/// excluded > pass; `None` if it has none).
pub fn worst(findings: &[Finding], rule: &str) -> Option<Outcome> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.outcome)
        .max()
}

pub fn yen(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn yen_separators() {
        assert_eq!(super::yen(0), "0");
        assert_eq!(super::yen(43200), "43,200");
        assert_eq!(super::yen(100000), "100,000");
        assert_eq!(super::yen(1234567), "1,234,567");
    }
}
