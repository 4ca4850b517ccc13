//! One claim, fully assessed ([`Evaluation`]): the claim's grant computes its items,
//! figures, findings, amount stages and window; the house adds the verdict and the
//! attachments. And the check, once when the data loads, that the editions agree with the
//! program.

use super::amounts::Stage;
use super::attachments;
use super::edition::{DataError, Edition};
use super::editions;
use super::evaluation::{verdict, EditionStatus, Evaluation, MissingAttachment, Status};
use super::grant;
use super::model::Claim;
use super::rules::Ctx;
use chrono::NaiveDate;

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
/// after `editions::init_extra`); a failure is the tool's data at fault, never the user's
/// claim.
pub fn check_data() -> Result<(), DataError> {
    for e in editions::all() {
        check_rules(e)?;
        attachments::check_edition(e)?;
    }
    super::forms::check_layouts()
}

/// Every rule ID a grant implements, in the registry's order.
pub fn registered() -> Vec<&'static str> {
    grant::grants().flat_map(|g| g.rule_ids()).collect()
}

/// Every `[[rules]]` ID of the edition has a rule function of its grant.
pub fn check_rules(e: &Edition) -> Result<(), DataError> {
    let mut seen: Vec<&str> = Vec::new();
    for r in &e.rules {
        if seen.contains(&r.id.as_str()) {
            return Err(DataError::new(
                &e.source,
                format!("[[rules]] の id \"{}\" が2回あります。", r.id),
            ));
        }
        seen.push(&r.id);
        if e.grant.rule_ids().contains(&r.id.as_str()) {
            continue;
        }
        match grant::grants().find(|g| g.rule_ids().contains(&r.id.as_str())) {
            Some(other) => {
                return Err(DataError::new(
                    &e.source,
                    format!(
                        "[[rules]] の id \"{}\" は {} の規則で、{} の版には使えません。",
                        r.id,
                        other.id(),
                        e.grant.id()
                    ),
                ))
            }
            None => {
                return Err(DataError::new(
                    &e.source,
                    format!(
                        "[[rules]] の id \"{}\" を判定する規則が本ツールにありません（RULES.md の ID を書いてください）。",
                        r.id
                    ),
                ))
            }
        }
    }
    Ok(())
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
