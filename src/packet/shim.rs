//! SHIM — delete when engineer C's `Evaluation::passes`, `ev.equipment` and
//! `ev.shokuba_amounts` (INTERFACES.md #1, #2) are merged; then replace
//! `shim::passes(ev, r)` by `ev.passes(r)`, `shim::equipment(claim, ev)` by `&ev.equipment`
//! and `shim::shokuba_amounts(claim, ev)` by `ev.shokuba_amounts`.
//!
//! Until then this computes the same things from the existing API, once per packet.

use crate::evaluate::Evaluation;
use crate::findings::Outcome;
use crate::model::Claim;

/// INTERFACES.md #1: the rule has at least one finding and every finding of it is Pass (or
/// Excluded, which sorts between Pass and Warning). A warning never passes.
pub fn passes(ev: &Evaluation, rule: &str) -> bool {
    let mut any = false;
    for f in ev.findings.iter().filter(|f| f.rule == rule) {
        if f.outcome >= Outcome::Warning {
            return false;
        }
        any = true;
    }
    any
}

/// INTERFACES.md #2, the fields the packet reads.
#[derive(Debug, Clone, PartialEq)]
pub struct EquipmentItem {
    /// 1-based, file order.
    pub index: usize,
    pub name: String,
    pub total_yen: i64,
    /// Counted in the amount.
    pub claimed: bool,
    /// Rule IDs that exclude the item.
    pub excluded_by: Vec<String>,
}

pub fn equipment(claim: &Claim, _ev: &Evaluation) -> Vec<EquipmentItem> {
    let (Some(f), Some(p)) = (claim.shokuba(), claim.edition.shokuba()) else {
        return Vec::new();
    };
    crate::amounts::assess_equipment(claim, f, p)
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let mut excluded_by: Vec<String> = Vec::new();
            for (r, _) in &a.excluded {
                if !excluded_by.iter().any(|x| x == r) {
                    excluded_by.push(r.to_string());
                }
            }
            EquipmentItem {
                index: i + 1,
                name: a.item.name.clone(),
                total_yen: a.item.total_yen(),
                claimed: a.counts(),
                excluded_by,
            }
        })
        .collect()
}

pub fn shokuba_amounts(claim: &Claim, _ev: &Evaluation) -> Option<crate::amounts::ShokubaAmounts> {
    let (Some(f), Some(p)) = (claim.shokuba(), claim.edition.shokuba()) else {
        return None;
    };
    Some(crate::amounts::shokuba_amounts(claim, f, p))
}
