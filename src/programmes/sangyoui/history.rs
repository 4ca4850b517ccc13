//! A 産業医活動 claim in a client's book: its period is its `sangyoui.period_from/to`, and
//! two claims whose periods overlap are a contradiction.

use crate::input::book::ClaimSource;
use crate::programmes::johas::history::{overlaps, period, period_text};

/// The claim-file keys of a claim's 対象期間.
pub const PERIOD_KEYS: (&str, &str) = ("sangyoui.period_from", "sangyoui.period_to");

/// Two claims for overlapping periods.
pub fn same_period(me: &ClaimSource, other: &ClaimSource) -> Option<String> {
    let g = &super::PROGRAMME;
    overlaps(g, me, other).then(|| {
        format!(
            "対象期間 {} が {} の対象期間 {} と重なっています（同じ期間に2件の申請）。",
            period_text(period(g, me).0, period(g, me).1),
            other.stem,
            period_text(period(g, other).0, period(g, other).1)
        )
    })
}
