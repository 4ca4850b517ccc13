//! The rules of each grant. Each rule is one function named after its RULES.md ID, beside
//! the sentence of the guide it implements, and pushes exactly the findings of that ID.
//! [`REGISTRY`] maps every ID to its function; an edition's `[[rules]]` list decides which
//! of them run, in its order. Titles, citations and interpretation decisions come from the
//! edition data.

mod common;
mod sangyoui;
mod shokuba;

use crate::model::findings::{Finding, Findings};
use crate::programmes::johas::amounts::{EquipmentItem, ShokubaAmounts};
use crate::programmes::johas::edition::{
    DataError, Edition, Grant, Params, SangyouiParams, ShokubaParams,
};
use crate::programmes::johas::model::{Claim, GrantFacts, SangyouiFacts, ShokubaFacts};

/// What a rule reads: the claim and what was computed from it once.
pub struct Ctx<'a> {
    pub claim: &'a Claim,
    /// The assessed equipment (職場環境改善; empty otherwise).
    pub equipment: &'a [EquipmentItem],
    pub shokuba_amounts: Option<&'a ShokubaAmounts>,
}

pub type SangyouiRule = fn(&Ctx, &SangyouiFacts, &SangyouiParams, &mut Findings);
pub type ShokubaRule = fn(&Ctx, &ShokubaFacts, &ShokubaParams, &mut Findings);

/// A registered rule function, typed by the grant whose facts it reads.
#[derive(Clone, Copy)]
pub enum RuleFn {
    Sangyoui(SangyouiRule),
    Shokuba(ShokubaRule),
}

impl RuleFn {
    pub fn grant(self) -> Grant {
        match self {
            RuleFn::Sangyoui(_) => Grant::Sangyoui,
            RuleFn::Shokuba(_) => Grant::Shokuba,
        }
    }
}

/// Every rule function, by RULES.md ID.
pub const REGISTRY: &[(&str, RuleFn)] = &[
    ("SC-E1", RuleFn::Sangyoui(sangyoui::sc_e1)),
    ("SC-E2", RuleFn::Sangyoui(sangyoui::sc_e2)),
    ("SC-A1", RuleFn::Sangyoui(sangyoui::sc_a1)),
    ("SC-A2", RuleFn::Sangyoui(sangyoui::sc_a2)),
    ("SC-A3", RuleFn::Sangyoui(sangyoui::sc_a3)),
    ("SC-A4", RuleFn::Sangyoui(sangyoui::sc_a4)),
    ("SC-A5", RuleFn::Sangyoui(sangyoui::sc_a5)),
    ("SC-A6", RuleFn::Sangyoui(sangyoui::sc_a6)),
    ("SC-M1", RuleFn::Sangyoui(sangyoui::sc_m1)),
    ("SC-M2", RuleFn::Sangyoui(sangyoui::sc_m2)),
    ("SC-M3", RuleFn::Sangyoui(sangyoui::sc_m3)),
    ("SC-M4", RuleFn::Sangyoui(sangyoui::sc_m4)),
    ("SC-P1", RuleFn::Sangyoui(sangyoui::sc_p1)),
    ("SC-W1", RuleFn::Sangyoui(sangyoui::sc_w1)),
    ("SC-W2", RuleFn::Sangyoui(sangyoui::sc_w2)),
    ("SC-W3", RuleFn::Sangyoui(sangyoui::sc_w3)),
    ("SC-W4", RuleFn::Sangyoui(sangyoui::sc_w4)),
    ("SC-W5", RuleFn::Sangyoui(sangyoui::sc_w5)),
    ("SC-D1", RuleFn::Sangyoui(sangyoui::sc_d1)),
    ("SC-D2", RuleFn::Sangyoui(sangyoui::sc_d2)),
    ("SC-D3", RuleFn::Sangyoui(sangyoui::sc_d3)),
    ("SC-D4", RuleFn::Sangyoui(sangyoui::sc_d4)),
    ("SC-D5", RuleFn::Sangyoui(sangyoui::sc_d5)),
    ("SC-D6", RuleFn::Sangyoui(sangyoui::sc_d6)),
    ("SC-D7", RuleFn::Sangyoui(sangyoui::sc_d7)),
    ("SC-T5", RuleFn::Sangyoui(sangyoui::sc_t5)),
    ("SK-E1", RuleFn::Shokuba(shokuba::sk_e1)),
    ("SK-E2", RuleFn::Shokuba(shokuba::sk_e2)),
    ("SK-E3", RuleFn::Shokuba(shokuba::sk_e3)),
    ("SK-E4", RuleFn::Shokuba(shokuba::sk_e4)),
    ("SK-E5", RuleFn::Shokuba(shokuba::sk_e5)),
    ("SK-E6", RuleFn::Shokuba(shokuba::sk_e6)),
    ("SK-E7", RuleFn::Shokuba(shokuba::sk_e7)),
    ("SK-M1", RuleFn::Shokuba(shokuba::sk_m1)),
    ("SK-M2", RuleFn::Shokuba(shokuba::sk_m2)),
    ("SK-M3", RuleFn::Shokuba(shokuba::sk_m3)),
    ("SK-M4", RuleFn::Shokuba(shokuba::sk_m4)),
    ("SK-M5", RuleFn::Shokuba(shokuba::sk_m5)),
    ("SK-M6", RuleFn::Shokuba(shokuba::sk_m6)),
    ("SK-M7", RuleFn::Shokuba(shokuba::sk_m7)),
    ("SK-P1", RuleFn::Shokuba(shokuba::sk_p1)),
    ("SK-W1", RuleFn::Shokuba(shokuba::sk_w1)),
    ("SK-W2", RuleFn::Shokuba(shokuba::sk_w2)),
    ("SK-W3", RuleFn::Shokuba(shokuba::sk_w3)),
    ("SK-T10", RuleFn::Shokuba(shokuba::sk_t10)),
];

/// The registered function of a rule ID.
pub fn lookup(id: &str) -> Option<RuleFn> {
    REGISTRY.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}

/// Every `[[rules]]` ID of the edition has a registered function for its grant.
pub fn check_edition(e: &Edition) -> Result<(), DataError> {
    let mut seen: Vec<&str> = Vec::new();
    for r in &e.rules {
        if seen.contains(&r.id.as_str()) {
            return Err(DataError::new(
                &e.source,
                format!("[[rules]] の id \"{}\" が2回あります。", r.id),
            ));
        }
        seen.push(&r.id);
        match lookup(&r.id) {
            Some(f) if f.grant() == e.grant => {}
            Some(f) => {
                return Err(DataError::new(
                    &e.source,
                    format!(
                        "[[rules]] の id \"{}\" は {} の規則で、{} の版には使えません。",
                        r.id,
                        f.grant().id(),
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

/// Runs the edition's rules, in its `[[rules]]` order.
pub fn evaluate(ctx: &Ctx) -> Vec<Finding> {
    let claim = ctx.claim;
    let mut out = Findings::new(claim.edition);
    for def in &claim.edition.rules {
        match (lookup(&def.id), &claim.facts, &claim.edition.params) {
            (Some(RuleFn::Sangyoui(rule)), GrantFacts::Sangyoui(f), Params::Sangyoui(p)) => {
                rule(ctx, f, p, &mut out)
            }
            (Some(RuleFn::Shokuba(rule)), GrantFacts::Shokuba(f), Params::Shokuba(p)) => {
                rule(ctx, f, p, &mut out)
            }
            // Rejected when the edition loads (`check_edition`).
            _ => {}
        }
    }
    out.list
}

#[cfg(test)]
mod tests;
