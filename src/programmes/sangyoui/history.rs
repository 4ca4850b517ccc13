//! A 産業医活動 claim in a client's book: its period is its `sangyoui.period_from/to`, and
//! two claims whose periods overlap are a contradiction.

use crate::input::book::ClaimSource;
use crate::programmes::johas::history::{overlaps, period_at, period_text};

/// The claim-file keys of a claim's 対象期間.
pub const PERIOD_KEYS: (&str, &str) = ("sangyoui.period_from", "sangyoui.period_to");

/// Two claims for overlapping periods.
pub fn same_period(me: &ClaimSource, other: &ClaimSource) -> Option<String> {
    let (mine, theirs) = (period_at(PERIOD_KEYS, me), period_at(PERIOD_KEYS, other));
    overlaps(mine, theirs).then(|| {
        format!(
            "対象期間 {} が {} の対象期間 {} と重なっています（同じ期間に2件の申請）。",
            period_text(mine.0, mine.1),
            other.stem,
            period_text(theirs.0, theirs.1)
        )
    })
}
