//! One claim, fully assessed: verdict, amount stages, window, findings, attachments.

use crate::amounts::{self, Stage};
use crate::attachments::{self, AttachmentStatus, Status};
use crate::findings::{Finding, Outcome};
use crate::model::Claim;
use crate::windows::{self, Window};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MissingAttachment {
    pub id: String,
    pub name: String,
    /// The claim file's `[attachments]` key that marks it ready.
    pub key: Option<String>,
}

/// A value the packet's forms cannot print (INTERFACES.md #4): found by `check`'s
/// preflight, by claim-file key, with a Japanese message naming the form's field.
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

/// The JSON output of `check` (one object per file). The first nine fields are the
/// contract of issue #2; the rest are additions.
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
    /// Problems that would make `packet` fail (filled by `check`'s preflight,
    /// `packet::preflight`; empty when none).
    pub form_problems: Vec<FormProblem>,
}

impl Evaluation {
    /// The most severe outcome among the findings of one rule (`None` if it has none).
    pub fn worst(&self, rule: &str) -> Option<Outcome> {
        self.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.outcome)
            .max()
    }

    /// Exit status: 0 eligible and nothing missing, 1 otherwise.
    pub fn complete(&self) -> bool {
        self.eligible == Some(true)
            && self.missing_attachments.is_empty()
            && self.form_problems.is_empty()
    }
}

pub fn verdict(findings: &[Finding]) -> Option<bool> {
    if findings.iter().any(|f| f.outcome == Outcome::Fail) {
        Some(false)
    } else if findings.iter().any(|f| f.outcome == Outcome::Unknown) {
        None
    } else {
        Some(true)
    }
}

/// `today` is passed in (never read from the clock here) so output is reproducible.
pub fn evaluate(claim: &Claim, today: NaiveDate) -> Evaluation {
    let findings = crate::rules::evaluate(claim);
    let eligible = verdict(&findings);
    let mut stages = amounts::stages(claim);
    let computed = stages.last().map(|s| s.yen).unwrap_or(0);
    let amount_yen = match eligible {
        Some(false) => {
            stages.push(Stage {
                name: "不支給（支給要件を満たさないため）".into(),
                yen: 0,
            });
            0
        }
        _ => computed,
    };
    let attachments = attachments::statuses(claim);
    let missing_attachments = attachments
        .iter()
        .filter(|a| a.status == Status::Missing)
        .map(|a| MissingAttachment {
            id: a.id.clone(),
            name: a.name.clone(),
            key: a.key.clone(),
        })
        .collect();
    let closes = claim.edition.application.closes.value;
    Evaluation {
        file: claim.file.clone(),
        grant: claim.grant.id().to_string(),
        edition: claim.edition.edition.clone(),
        eligible,
        amount_yen,
        amount_stages: stages,
        window: windows::window(claim),
        findings,
        missing_attachments,
        application_date: claim.application_date,
        round: claim.round,
        edition_status: EditionStatus {
            application_closes: closes,
            closed: today > closes,
            checked_on: today,
        },
        attachments,
        form_problems: Vec::new(),
    }
}
