//! Amounts in named stages. 産業医活動: flat per 6-month period. 職場環境改善: guidance fee →
//! eligible equipment (exclusions) → equipment cap → total cap. Every limit comes from the
//! edition data.

use crate::edition::{Params, ShokubaParams};
use crate::findings::yen;
use crate::model::{Claim, Equipment, GrantFacts, ShokubaFacts};
use serde::Serialize;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub name: String,
    pub yen: i64,
}

/// Why one equipment item does (not) count. Shared by the SK-M rules and the stages, so
/// the explanation and the amount cannot disagree.
#[derive(Debug, Clone)]
pub struct ItemAssessment<'a> {
    pub item: &'a Equipment,
    /// (rule ID, reason) for each rule that excludes the item.
    pub excluded: Vec<(&'static str, String)>,
    /// (rule ID, missing fact) for each rule that cannot be decided.
    pub unknown: Vec<(&'static str, String)>,
    /// (rule ID, note) for counted items the applicant should double-check.
    pub notes: Vec<(&'static str, String)>,
}

impl ItemAssessment<'_> {
    pub fn counts(&self) -> bool {
        self.excluded.is_empty()
    }
}

/// Equipment was granted before (A or B course): the equipment part is once ever (SK-M5).
/// `Some(true)` granted, `Some(false)` not, `None` a previous B claim does not say.
pub fn equipment_granted_before(claim: &Claim) -> Option<bool> {
    let mut unknown = false;
    for p in &claim.previous {
        match (p.grant.as_str(), p.equipment_granted) {
            ("shokuba-kankyo-a" | "shokuba-kankyo-b", Some(true)) => return Some(true),
            ("shokuba-kankyo-b", None) => unknown = true,
            _ => {}
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

pub fn assess_equipment<'a>(
    claim: &Claim,
    f: &'a ShokubaFacts,
    p: &ShokubaParams,
) -> Vec<ItemAssessment<'a>> {
    let granted_before = equipment_granted_before(claim);
    f.equipment
        .iter()
        .map(|item| {
            let mut a = ItemAssessment { item, excluded: vec![], unknown: vec![], notes: vec![] };
            let max = p.equipment_unit_price_max_yen.value;
            if item.unit_price_yen > max {
                a.excluded.push(("SK-M2", format!("単価 {}円 が {}円（税込）を超えるため、全額が対象外です", yen(item.unit_price_yen), yen(max))));
            }
            match granted_before {
                Some(true) => a.excluded.push(("SK-M5", "機器・設備購入費用の助成を既に受けているため対象外です（Aコース・Bコース合わせて1回限り）".into())),
                None => a.unknown.push(("SK-M5", "過去のBコースの申請で機器・設備の助成を受けたか（previous_claims の equipment_granted）".into())),
                Some(false) => {}
            }
            match item.in_plan {
                Some(false) => a.excluded.push(("SK-M6", "職場環境改善計画に記載されていないため対象外です".into())),
                None => a.unknown.push(("SK-M6", "職場環境改善計画に記載されているか（in_plan）".into())),
                Some(true) => {}
            }
            match (item.purchased_on, f.plan_made_on) {
                (Some(bought), Some(plan)) => match bought.cmp(&plan) {
                    Ordering::Less => a.excluded.push(("SK-M6", format!("計画作成日（{}）より前の購入（{}）のため対象外です", crate::dates::wareki(plan), crate::dates::wareki(bought)))),
                    Ordering::Equal => a.notes.push(("SK-M6", "購入日が計画作成日と同じ日です。計画作成後の購入であることを領収書などで確認してください".into())),
                    Ordering::Greater => {}
                },
                (None, _) => a.unknown.push(("SK-M6", "購入日（purchased_on）".into())),
                (_, None) => a.unknown.push(("SK-M6", "職場環境改善計画の作成日（shokuba.plan_made_on）".into())),
            }
            match item.receipt_shared {
                Some(true) => a.excluded.push(("SK-M7", "他の事業場と合算した領収書のため対象外です".into())),
                None => a.unknown.push(("SK-M7", "領収書が他の事業場と合算されていないか（receipt_shared）".into())),
                Some(false) => {}
            }
            a
        })
        .collect()
}

/// The 職場環境改善 amounts by name: what 様式第1号 boxes 1–3 show, and the stages' inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShokubaAmounts {
    pub fee: i64,
    /// Box 1: the fee, written at most up to the total cap.
    pub fee_box: i64,
    pub equipment_claimed: i64,
    pub equipment_eligible: i64,
    /// Box 2: eligible equipment within the equipment cap.
    pub equipment_box: i64,
    pub sum: i64,
    /// Box 3: the grant, within the total cap.
    pub total: i64,
}

pub fn shokuba_amounts(claim: &Claim, f: &ShokubaFacts, p: &ShokubaParams) -> ShokubaAmounts {
    let fee = f.guidance_fee_yen.unwrap_or(0);
    let fee_box = fee.min(p.total_cap_yen.value);
    let items = assess_equipment(claim, f, p);
    let equipment_claimed: i64 = items.iter().map(|a| a.item.total_yen()).sum();
    let equipment_eligible: i64 = items
        .iter()
        .filter(|a| a.counts())
        .map(|a| a.item.total_yen())
        .sum();
    let equipment_box = equipment_eligible.min(p.equipment_cap_yen.value);
    let sum = fee_box + equipment_box;
    ShokubaAmounts {
        fee,
        fee_box,
        equipment_claimed,
        equipment_eligible,
        equipment_box,
        sum,
        total: sum.min(p.total_cap_yen.value),
    }
}

/// The stages of the amount. The last stage is the amount if the claim is eligible.
pub fn stages(claim: &Claim) -> Vec<Stage> {
    match (&claim.edition.params, &claim.facts) {
        (Params::Sangyoui(p), GrantFacts::Sangyoui(_)) => vec![
            Stage {
                name: "6か月当たり定額（SC-M2）".into(),
                yen: p.amount_per_period_yen.value,
            },
            Stage {
                name: "助成金額".into(),
                yen: p.amount_per_period_yen.value,
            },
        ],
        (Params::Shokuba(p), GrantFacts::Shokuba(f)) => {
            let a = shokuba_amounts(claim, f, p);
            let (total, cap) = (yen(p.total_cap_yen.value), yen(p.equipment_cap_yen.value));
            vec![
                Stage {
                    name: "専門家の指導費用（税込）".into(),
                    yen: a.fee,
                },
                Stage {
                    name: format!("指導費用（上限 {total}円、様式第1号 1）"),
                    yen: a.fee_box,
                },
                Stage {
                    name: "機器・設備購入費用の合計（税込）".into(),
                    yen: a.equipment_claimed,
                },
                Stage {
                    name: "対象となる機器・設備（SK-M2・M5・M6・M7 の除外後）".into(),
                    yen: a.equipment_eligible,
                },
                Stage {
                    name: format!("機器・設備（上限 {cap}円、様式第1号 2）"),
                    yen: a.equipment_box,
                },
                Stage {
                    name: "指導費用＋機器・設備".into(),
                    yen: a.sum,
                },
                Stage {
                    name: format!("助成金額（上限 {total}円、様式第1号 3）"),
                    yen: a.total,
                },
            ]
        }
        _ => Vec::new(),
    }
}
