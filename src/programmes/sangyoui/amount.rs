//! The amount of a 産業医活動 claim: a flat amount per 6-month period (SC-M2), from the
//! edition data.

use crate::programmes::johas::amounts::Stage;
use crate::programmes::johas::model::Claim;

/// The stages of the amount. The last stage is the amount if the claim is eligible.
pub fn stages(claim: &Claim) -> Vec<Stage> {
    let Some(p) = super::params(claim.edition) else {
        return Vec::new();
    };
    vec![
        Stage {
            name: "6か月当たり定額（SC-M2）".into(),
            yen: p.amount_per_period_yen.value,
        },
        Stage {
            name: "助成金額".into(),
            yen: p.amount_per_period_yen.value,
        },
    ]
}
