//! The rules, as the house runs them. Each grant writes its rules in its own folder: one
//! function per RULES.md ID, beside the sentence of the guide it implements, pushing exactly
//! the findings of that ID, with its what-if hint beside it ([`Rule`]). An edition's
//! `[[rules]]` list decides which of them run, in its order; titles, citations and
//! interpretation decisions come from the edition data. `common_rules.rs` holds the
//! sentences both guides share.

use super::amounts::{EquipmentItem, Figures};
use super::change::Change;
use super::model::Claim;
use crate::model::findings::{Finding, Findings};
use chrono::NaiveDate;
use std::any::Any;

/// What a rule reads: the claim and what was computed from it once.
pub struct Ctx<'a> {
    pub claim: &'a Claim,
    /// The assessed items (empty for a grant without items).
    pub equipment: &'a [EquipmentItem],
    /// What the grant computed once for its rules, amount and forms.
    pub figures: &'a Figures,
}

/// One rule of a grant whose facts are `F` and parameters `P`: its RULES.md ID, the
/// function that judges it, and what would change a finding of it that does not pass,
/// computed from the numbers, the facts and the check date (`None` when the edition's
/// `change` says it in words).
pub struct Rule<F, P> {
    pub id: &'static str,
    pub judge: fn(&Ctx, &F, &P, &mut Findings),
    pub hint: Option<Hint<F, P>>,
}

/// What would turn a finding of a rule, checked on the given day ([`Change`]: its sentence
/// and the facts it proposes).
pub type Hint<F, P> = fn(&Claim, &F, &P, &Finding, NaiveDate) -> Vec<Change>;

/// The IDs of a grant's rules.
pub fn ids<F, P>(rules: &[Rule<F, P>]) -> Vec<&'static str> {
    rules.iter().map(|r| r.id).collect()
}

/// Runs the edition's rules (`[[rules]]`, in its order) from a grant's rules: the claim's
/// facts are `F` and its edition's parameters `P`.
pub fn judge<F: Any, P: Any>(rules: &[Rule<F, P>], ctx: &Ctx) -> Vec<Finding> {
    let claim = ctx.claim;
    let mut out = Findings::new(claim.edition);
    let (Some(f), Some(p)) = (claim.facts_as::<F>(), claim.edition.params_as::<P>()) else {
        return out.list;
    };
    for def in &claim.edition.rules {
        // Every ID has its function: checked when the edition loads (`check_edition`).
        if let Some(rule) = rules.iter().find(|r| r.id == def.id) {
            (rule.judge)(ctx, f, p, &mut out);
        }
    }
    out.list
}

/// The hint of the rule of a finding, from a grant's rules, checked on `today`.
pub fn hint<F: Any, P: Any>(
    rules: &[Rule<F, P>],
    claim: &Claim,
    finding: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let (Some(f), Some(p)) = (claim.facts_as::<F>(), claim.edition.params_as::<P>()) else {
        return Vec::new();
    };
    rules
        .iter()
        .find(|r| r.id == finding.rule)
        .and_then(|r| r.hint)
        .map(|h| h(claim, f, p, finding, today))
        .unwrap_or_default()
}
