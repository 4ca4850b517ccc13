//! Application windows (申請期間): a claim's window is its grant's
//! ([`super::grant::Grant::window`]), computed from the claim and its edition's parameters.

use super::model::{Claim, PreviousClaim};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// The 1st claim of the same establishment for this grant (the one a 2nd claim follows).
pub fn first_claim(claim: &Claim) -> Option<&PreviousClaim> {
    let prior: Vec<&PreviousClaim> = claim.prior_claims().collect();
    prior
        .iter()
        .find(|p| p.round == Some(1))
        .copied()
        .or_else(|| (prior.len() == 1).then(|| prior[0]))
}
