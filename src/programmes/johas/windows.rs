//! Application windows (申請期間) computed from a claim and its edition's parameters.

use crate::model::dates::YearMonth;
use crate::programmes::johas::edition::Params;
use crate::programmes::johas::model::{Claim, GrantFacts, PreviousClaim};
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
    let prior: Vec<&PreviousClaim> = claim
        .previous
        .iter()
        .filter(|p| p.grant == claim.grant.id())
        .collect();
    prior
        .iter()
        .find(|p| p.round == Some(1))
        .copied()
        .or_else(|| (prior.len() == 1).then(|| prior[0]))
}

/// The window in which this claim must be filed, or `None` when a fact it depends on is
/// missing (the rules say which).
pub fn window(claim: &Claim) -> Option<Window> {
    match (&claim.edition.params, &claim.facts) {
        (Params::Sangyoui(p), GrantFacts::Sangyoui(f)) => {
            // SC-W2: 1st claim — the month after the period's last month, for 6 months.
            // SC-W3 (decision): 2nd claim — counted from the 1st claim's last month + 6.
            // A 3rd claim has no window (SC-M3 says why).
            let (last, offset) = match claim.round {
                1 => (f.period_to?, 0),
                2 => (
                    first_claim(claim)?.period_to?,
                    p.second_claim_offset_months.value,
                ),
                _ => return None,
            };
            let opens: YearMonth = last.add_months(offset + p.window_opens_months_after.value);
            let closes: YearMonth = last.add_months(offset + p.window_length_months.value);
            let from = opens.first_day().max(claim.edition.application.opens.value);
            Some(Window {
                from,
                to: closes.last_day(),
            })
        }
        (Params::Shokuba(_), GrantFacts::Shokuba(_)) => Some(Window {
            from: claim.edition.application.opens.value,
            to: claim.edition.application.closes.value,
        }),
        _ => None,
    }
}
