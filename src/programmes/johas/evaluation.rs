//! One claim, fully assessed, as `check` reports it (its JSON is a contract): verdict,
//! amount stages, window, findings, attachments. Computing it is `evaluate.rs`.

use super::amounts::{EquipmentItem, Figures, Stage};
use super::model::{Notice, Written};
use super::windows::Window;
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The applicant says it is ready.
    Ready,
    /// johas-claim generates it (`packet`); it may still need a seal or signature.
    Generated,
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentStatus {
    pub id: String,
    pub name: String,
    pub must_show: String,
    pub cite: String,
    pub key: Option<String>,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingAttachment {
    pub id: String,
    pub name: String,
    /// The claim file's `[attachments]` key that marks it ready.
    pub key: Option<String>,
}

/// A value the packet's forms cannot print: found by `check`'s preflight, by claim-file
/// key, with a Japanese message naming the form's field (`check` promises the packet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormProblem {
    /// The claim-file key to fix, e.g. `establishment.representative.title` (`""` when the
    /// problem is in the tool's data, not the claim file).
    pub key: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionStatus {
    /// Last day this edition accepted applications.
    pub application_closes: NaiveDate,
    /// The window had closed by the day of the check.
    pub closed: bool,
    pub checked_on: NaiveDate,
}

/// The JSON output of `check` (one object per file). Its field names are a contract: the
/// first nine came first, the rest were added after them.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub file: String,
    pub grant: String,
    pub edition: String,
    /// `null` when some finding is unknown and none fails.
    pub eligible: Option<bool>,
    pub amount_yen: i64,
    pub amount_stages: Vec<Stage>,
    pub window: Option<Window>,
    pub findings: Vec<Finding>,
    pub missing_attachments: Vec<MissingAttachment>,
    pub application_date: NaiveDate,
    pub round: u32,
    pub edition_status: EditionStatus,
    pub attachments: Vec<AttachmentStatus>,
    /// Every item the claim lists, assessed once by its grant, in file order (empty for a
    /// grant without items). Only `claimed` items are in the amount and on the forms.
    pub equipment: Vec<EquipmentItem>,
    /// What the grant computed once for its rules, amount and forms, under its own name
    /// (nothing for a grant that computes nothing).
    #[serde(flatten)]
    pub figures: Figures,
    /// Values read leniently from the claim file (和暦 → 西暦 …), one per change.
    pub notices: Vec<Notice>,
    /// Every fact, by dotted path: the value as read, as written, and where (file, line).
    pub facts: std::collections::BTreeMap<String, Written>,
    /// Problems that would make `packet` fail (filled by `check`'s preflight,
    /// `packet::preflight`; empty when none).
    pub form_problems: Vec<FormProblem>,
}

impl Evaluation {
    /// The most severe outcome among the findings of one rule (`None` if it has none).
    pub fn worst(&self, rule: &str) -> Option<Outcome> {
        crate::model::findings::worst(&self.findings, rule)
    }

    /// The rule has at least one finding and every finding of it is `Pass` or `Excluded`
    /// (no warning, unknown or failure). Ticks on the forms use this: a warning never ticks.
    pub fn passes(&self, rule: &str) -> bool {
        let mut any = false;
        for f in self.findings.iter().filter(|f| f.rule == rule) {
            if !matches!(f.outcome, Outcome::Pass | Outcome::Excluded) {
                return false;
            }
            any = true;
        }
        any
    }

    /// The equipment items counted in the amount.
    pub fn claimed_equipment(&self) -> impl Iterator<Item = &EquipmentItem> {
        self.equipment.iter().filter(|e| e.claimed)
    }

    /// The equipment items not claimed (excluded by a rule).
    pub fn excluded_equipment(&self) -> impl Iterator<Item = &EquipmentItem> {
        self.equipment.iter().filter(|e| !e.claimed)
    }

    /// Exit status: 0 eligible and nothing missing, 1 otherwise.
    pub fn complete(&self) -> bool {
        self.eligible == Some(true)
            && self.missing_attachments.is_empty()
            && self.form_problems.is_empty()
    }
}

/// `Some(false)` if a finding fails, `None` if one is unknown, else `Some(true)`. Warnings
/// and excluded items do not change the verdict.
pub fn verdict(findings: &[Finding]) -> Option<bool> {
    if findings.iter().any(|f| f.outcome == Outcome::Fail) {
        Some(false)
    } else if findings.iter().any(|f| f.outcome == Outcome::Unknown) {
        None
    } else {
        Some(true)
    }
}
