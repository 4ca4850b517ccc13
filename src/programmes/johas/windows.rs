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

/// The next claim a client could make after this one: a 2nd 産業医 claim after a 1st that
/// was not refused, when the book has no 2nd yet (職場環境 is once ever: nothing next).
/// `siblings` are the client's claims of the same grant in the book's order, this one at
/// `me`; only the last 1st claim says it.
pub fn next_claim(
    claim: &Claim,
    state: crate::input::book::State,
    siblings: &[(crate::input::book::State, &dyn crate::programmes::Judgement)],
    me: usize,
) -> Option<crate::model::doc::Dated> {
    use crate::input::book::State;
    let p = claim.edition.sangyoui()?;
    let counted: Vec<(usize, u32)> = siblings
        .iter()
        .enumerate()
        .filter(|(_, (s, _))| *s != State::Refused)
        .filter_map(|(i, (_, j))| j.case().round().map(|r| (i, r)))
        .collect();
    if counted.iter().any(|(_, r)| *r >= 2) {
        return None;
    }
    let last_first = counted.iter().rev().find(|(_, r)| *r == 1)?.0;
    if last_first != me || claim.round != 1 {
        return None;
    }
    let last = claim.sangyoui()?.period_to?;
    let offset = p.second_claim_offset_months.value;
    let opens = last
        .add_months(offset + p.window_opens_months_after.value)
        .first_day();
    let closes = last
        .add_months(offset + p.window_length_months.value)
        .last_day();
    let mut extra = String::new();
    if state == State::Open {
        extra.push_str("（1回目の申請が支給された場合）");
    }
    let edition_closes = claim.edition.application.closes.value;
    if opens > edition_closes {
        extra.push_str(&format!(
            "。ただし{}の受付は{}までです",
            claim.edition.edition_name,
            crate::model::dates::wareki(edition_closes)
        ));
    }
    Some(crate::model::doc::Dated {
        kind: crate::model::doc::DeadlineKind::Next,
        round: Some(2),
        opens: Some(opens),
        closes,
        what: format!(
            "{} 2回目の申請期間",
            super::programme_of(claim.grant).short_name()
        ),
        extra,
    })
}
