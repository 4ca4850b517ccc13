//! The amount of a 職場環境改善 claim: each equipment item assessed once against the
//! exclusions (SK-M2 単価, SK-M5 1回限り, SK-M6 計画, SK-M7 合算の領収書), then guidance fee →
//! eligible equipment → equipment cap → total cap, each limit from the edition data. The
//! rules, the stages, the report and the forms all read the same assessment.

use super::facts::{Equipment, ShokubaFacts};
use super::params::ShokubaParams;
use crate::model::dates::wareki;
use crate::model::findings::yen;
use crate::programmes::johas::amounts::{
    EquipmentItem, Figures, ItemFinding, ItemFindingKind, Stage,
};
use crate::programmes::johas::model::Claim;
use serde::Serialize;
use std::cmp::Ordering;

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

/// Assesses every equipment item of the claim, in file order.
pub fn assess_equipment(claim: &Claim) -> Vec<EquipmentItem> {
    let (Some(f), Some(p)) = (super::facts(claim), super::params(claim.edition)) else {
        return Vec::new();
    };
    let granted_before = equipment_granted_before(claim);
    f.equipment
        .iter()
        .enumerate()
        .map(|(i, item)| assess_item(i + 1, item, f, p, granted_before))
        .collect()
}

fn assess_item(
    index: usize,
    item: &Equipment,
    f: &ShokubaFacts,
    p: &ShokubaParams,
    granted_before: Option<bool>,
) -> EquipmentItem {
    use ItemFindingKind::*;
    let mut d: Vec<ItemFinding> = Vec::new();
    let mut add = |rule: &'static str, kind: ItemFindingKind, text: String| {
        d.push(ItemFinding { rule, kind, text })
    };
    // SK-M2: 単価50,000円（税込）以内のもの.
    let max = p.equipment_unit_price_max_yen.value;
    if item.unit_price_yen > max {
        add(
            "SK-M2",
            Excluded,
            format!(
                "単価 {}円 が {}円（税込）を超えるため、全額が対象外です",
                yen(item.unit_price_yen),
                yen(max)
            ),
        );
    }
    // SK-M5: 機器・設備購入費用に対する助成は【Aコース】【Bコース】合わせて将来にわたり1回限り.
    match granted_before {
        Some(true) => add("SK-M5", Excluded, "機器・設備購入費用の助成を既に受けているため対象外です（Aコース・Bコース合わせて1回限り）".into()),
        None => add("SK-M5", Unknown, "過去のBコースの申請で機器・設備の助成を受けたか（previous_claims の equipment_granted）".into()),
        Some(false) => {}
    }
    // SK-M6: 職場環境改善計画に記載され、計画作成後に購入した機器等.
    match item.in_plan {
        Some(false) => add(
            "SK-M6",
            Excluded,
            "職場環境改善計画に記載されていないため対象外です".into(),
        ),
        None => add(
            "SK-M6",
            Unknown,
            "職場環境改善計画に記載されているか（in_plan）".into(),
        ),
        Some(true) => {}
    }
    match (item.purchased_on, f.plan_made_on) {
        (Some(bought), Some(plan)) => match bought.cmp(&plan) {
            Ordering::Less => add("SK-M6", Excluded, format!("計画作成日（{}）より前の購入（{}）のため対象外です", wareki(plan), wareki(bought))),
            Ordering::Equal => add("SK-M6", Note { decided: true }, "購入日が計画作成日と同じ日です。計画作成後の購入であることを領収書などで確認してください".into()),
            Ordering::Greater => {}
        },
        (None, _) => add("SK-M6", Unknown, "購入日（purchased_on）".into()),
        (_, None) => add("SK-M6", Unknown, "職場環境改善計画の作成日（shokuba.plan_made_on）".into()),
    }
    // SK-M7: 他の事業場と合算した領収書は不可.
    match item.receipt_shared {
        Some(true) => add(
            "SK-M7",
            Excluded,
            "他の事業場と合算した領収書のため対象外です".into(),
        ),
        None => add(
            "SK-M7",
            Unknown,
            "領収書が他の事業場と合算されていないか（receipt_shared）".into(),
        ),
        Some(false) => {}
    }
    EquipmentItem::assessed(
        index,
        item.name.clone(),
        item.unit_price_yen,
        item.quantity,
        d,
    )
}

/// The 職場環境改善 amounts by name: what 様式第1号 boxes 1–3 show, and the stages' inputs
/// (`shokuba_amounts` in `check --format json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// The amounts from the assessed equipment, computed once (the grant's figures).
pub fn figures(claim: &Claim, items: &[EquipmentItem]) -> Figures {
    let (Some(f), Some(p)) = (super::facts(claim), super::params(claim.edition)) else {
        return Figures::none();
    };
    let fee = f.guidance_fee_yen.unwrap_or(0);
    let fee_box = fee.min(p.total_cap_yen.value);
    let equipment_claimed: i64 = items.iter().map(|a| a.total_yen).sum();
    let equipment_eligible: i64 = items
        .iter()
        .filter(|a| a.claimed)
        .map(|a| a.total_yen)
        .sum();
    let equipment_box = equipment_eligible.min(p.equipment_cap_yen.value);
    let sum = fee_box + equipment_box;
    Figures::new(
        "shokuba_amounts",
        ShokubaAmounts {
            fee,
            fee_box,
            equipment_claimed,
            equipment_eligible,
            equipment_box,
            sum,
            total: sum.min(p.total_cap_yen.value),
        },
    )
}

/// The stages of the amount. The last stage is the amount if the claim is eligible.
pub fn stages(claim: &Claim, figures: &Figures) -> Vec<Stage> {
    let (Some(p), Some(a)) = (
        super::params(claim.edition),
        figures.get::<ShokubaAmounts>(),
    ) else {
        return Vec::new();
    };
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
