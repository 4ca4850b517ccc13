//! The window of a 産業医活動 claim (SC-W2, SC-W3), and the next claim a client could make
//! after a 1st one (`deadlines`), from the edition's months.

use crate::input::book::State;
use crate::model::dates::{wareki, YearMonth};
use crate::model::doc::{Dated, DeadlineKind};
use crate::programmes::johas::model::Claim;
use crate::programmes::johas::windows::{first_claim, Window};
use crate::programmes::programme::Judgement;

/// The window in which this claim must be filed, or `None` when a fact it depends on is
/// missing (the rules say which).
pub fn window(claim: &Claim) -> Option<Window> {
    let (p, f) = (super::params(claim.edition)?, super::facts(claim)?);
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

/// The next claim a client could make after this one: a 2nd claim after a 1st that was not
/// refused, when the book has no 2nd yet. `siblings` are the client's claims of this grant
/// in the book's order, this one at `me`; only the last 1st claim says it.
pub fn next_claim(
    claim: &Claim,
    state: State,
    siblings: &[(State, &dyn Judgement)],
    me: usize,
) -> Option<Dated> {
    let p = super::params(claim.edition)?;
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
    let last = super::facts(claim)?.period_to?;
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
            wareki(edition_closes)
        ));
    }
    Some(Dated {
        kind: DeadlineKind::Next,
        round: Some(2),
        opens: Some(opens),
        closes,
        what: format!("{} 2回目の申請期間", claim.grant.short_name()),
        extra,
    })
}
