//! The rules of each grant. Each rule is a function named after its RULES.md ID, beside
//! the sentence of the guide it implements, and pushes exactly the findings it decides.
//! Titles, citations and interpretation decisions come from the edition data.

mod common;
mod sangyoui;
mod shokuba;

use crate::findings::{Finding, Findings};
use crate::model::{Claim, GrantFacts};

pub fn evaluate(claim: &Claim) -> Vec<Finding> {
    let mut out = Findings::new(claim.edition);
    match (&claim.facts, &claim.edition.params) {
        (GrantFacts::Sangyoui(f), crate::edition::Params::Sangyoui(p)) => {
            sangyoui::evaluate(claim, f, p, &mut out)
        }
        (GrantFacts::Shokuba(f), crate::edition::Params::Shokuba(p)) => {
            shokuba::evaluate(claim, f, p, &mut out)
        }
        _ => {}
    }
    out.list
}
