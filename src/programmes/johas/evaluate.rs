//! One claim, fully assessed: verdict, amount stages, window, findings, attachments.

use super::amounts::{EquipmentItem, Figures, Stage};
use super::attachments::{self, AttachmentStatus, Status};
use super::model::Claim;
use super::rules::Ctx;
use super::windows::Window;
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;
use serde::Serialize;

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
    pub notices: Vec<super::model::Notice>,
    /// Every fact, by dotted path: the value as read, as written, and where (file, line).
    pub facts: std::collections::BTreeMap<String, super::model::Written>,
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

/// `today` is passed in (never read from the clock here) so output is reproducible.
pub fn evaluate(claim: &Claim, today: NaiveDate) -> Evaluation {
    let grant = claim.grant;
    let equipment = grant.items(claim);
    let figures = grant.figures(claim, &equipment);
    let findings = grant.judge(&Ctx {
        claim,
        equipment: &equipment,
        figures: &figures,
    });
    let eligible = verdict(&findings);
    let mut stages = grant.stages(claim, &figures);
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
    let attachments = attachments::statuses(claim, &equipment);
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
        grant: grant.id().to_string(),
        edition: claim.edition.edition.clone(),
        eligible,
        amount_yen,
        amount_stages: stages,
        window: grant.window(claim),
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
        equipment,
        figures,
        notices: claim.notices.clone(),
        facts: claim.written.clone(),
        form_problems: Vec::new(),
    }
}

/// Checks every loaded edition against what the program implements: each `[[rules]]` ID has
/// a rule function of its grant, each attachment names an inventory key and a condition
/// the house or its grant knows, each form layout added with `--editions` parses (the
/// bundled ones are checked by the unit tests). Run once when the data loads (the CLI,
/// after `edition::init_extra`); a failure is the tool's data at fault, never the user's
/// claim.
pub fn check_data() -> Result<(), super::edition::DataError> {
    for e in super::edition::all() {
        super::rules::check_edition(e)?;
        attachments::check_edition(e)?;
    }
    super::forms::check_layouts()
}

#[cfg(test)]
mod tests {
    use crate::model::findings::{Finding, Outcome};
    #[test]
    fn bundled_data_is_consistent_with_the_program() {
        super::check_data().unwrap();
        // `check_data` leaves the bundled layouts to this test (see `check_layouts`).
        super::super::forms::check_all_layouts().unwrap();
    }

    #[test]
    fn passes_needs_a_finding_and_only_pass_or_excluded() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shokuba-rouan.toml");
        let claim = crate::programmes::johas::read::load(std::path::Path::new(path)).unwrap();
        let mut ev = super::evaluate(
            &claim,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        );
        let f = |rule: &str, outcome| Finding {
            rule: rule.into(),
            outcome,
            message: String::new(),
            citation: String::new(),
            title: String::new(),
            decision: None,
            item: None,
        };
        ev.findings = vec![
            f("A", Outcome::Pass),
            f("A", Outcome::Excluded),
            f("B", Outcome::Pass),
            f("B", Outcome::Warning),
            f("C", Outcome::Unknown),
            f("D", Outcome::Fail),
        ];
        assert!(ev.passes("A"));
        assert!(!ev.passes("B"), "a warning never ticks");
        assert!(!ev.passes("C"));
        assert!(!ev.passes("D"));
        assert!(!ev.passes("E"), "no finding, no tick");
        assert_eq!(super::verdict(&ev.findings[..4]), Some(true));
    }
}
