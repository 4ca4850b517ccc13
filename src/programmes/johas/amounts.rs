//! Amounts in named stages. 産業医活動: flat per 6-month period. 職場環境改善: guidance fee →
//! eligible equipment (exclusions) → equipment cap → total cap. Every limit comes from the
//! edition data.

use crate::model::dates::wareki;
use crate::model::findings::yen;
use crate::programmes::johas::edition::{Params, ShokubaParams};
use crate::programmes::johas::model::{Claim, Equipment, ShokubaFacts};
use serde::Serialize;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub name: String,
    pub yen: i64,
}

/// One `[[shokuba.equipment]]` item, assessed once per claim (SK-M2/M5/M6/M7). The rules,
/// the amount stages, the report and the forms all read this, so the explanation, the
/// amount and the ticks cannot disagree.
///
/// Decision (issue 6 §2): an item that a rule takes out is *excluded*, not a failed
/// requirement: `claimed` is false, the item is left out of the amount and of every figure
/// and tick on the forms, and the claim stays eligible for the rest. A fact about an item
/// that is excluded anyway is not asked for (it cannot change anything).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquipmentItem {
    /// 1-based, in file order.
    pub index: usize,
    pub name: String,
    pub unit_price_yen: i64,
    pub quantity: i64,
    pub total_yen: i64,
    /// Counted in the amount (no rule excludes it).
    pub claimed: bool,
    /// IDs of the rules that exclude it (SK-M2, SK-M5, SK-M6, SK-M7), in that order.
    pub excluded_by: Vec<String>,
    /// Why it is excluded, one sentence per rule in `excluded_by`, and what the applicant
    /// should double-check about a claimed item.
    pub notes: Vec<String>,
    /// Facts the file does not give that decide whether the item counts (empty when it is
    /// excluded anyway).
    pub unknown: Vec<String>,
    #[serde(skip)]
    pub(crate) detail: Vec<ItemFinding>,
}

/// What one rule says about one item (read by the SK-M rule functions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemFinding {
    pub rule: &'static str,
    pub kind: ItemFindingKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemFindingKind {
    Excluded,
    Unknown,
    /// A counted item the applicant should double-check; `decided` when the rule's
    /// interpretation is what makes it count (SK-M6 same-day purchase).
    Note {
        decided: bool,
    },
}

impl EquipmentItem {
    pub(crate) fn of_rule(&self, rule: &str) -> impl Iterator<Item = &ItemFinding> + '_ {
        let rule = rule.to_string();
        self.detail.iter().filter(move |d| d.rule == rule)
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

/// Assesses every equipment item of a 職場環境改善 claim (empty for other grants).
pub fn assess_equipment(claim: &Claim) -> Vec<EquipmentItem> {
    let (Some(f), Some(p)) = (claim.shokuba(), claim.edition.shokuba()) else {
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
    match granted_before {
        Some(true) => add("SK-M5", Excluded, "機器・設備購入費用の助成を既に受けているため対象外です（Aコース・Bコース合わせて1回限り）".into()),
        None => add("SK-M5", Unknown, "過去のBコースの申請で機器・設備の助成を受けたか（previous_claims の equipment_granted）".into()),
        Some(false) => {}
    }
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
    let excluded = d.iter().any(|x| x.kind == Excluded);
    if excluded {
        // Excluded anyway: neither a missing fact nor a double-check can change that.
        d.retain(|x| x.kind == Excluded);
    }
    let mut excluded_by: Vec<String> = Vec::new();
    for x in d.iter().filter(|x| x.kind == Excluded) {
        if !excluded_by.iter().any(|r| r == x.rule) {
            excluded_by.push(x.rule.to_string());
        }
    }
    EquipmentItem {
        index,
        name: item.name.clone(),
        unit_price_yen: item.unit_price_yen,
        quantity: item.quantity,
        total_yen: item.total_yen(),
        claimed: !excluded,
        excluded_by,
        notes: d
            .iter()
            .filter(|x| matches!(x.kind, Excluded | Note { .. }))
            .map(|x| format!("{}: {}。", x.rule, x.text))
            .collect(),
        unknown: d
            .iter()
            .filter(|x| x.kind == Unknown)
            .map(|x| format!("{}: {}", x.rule, x.text))
            .collect(),
        detail: d,
    }
}

/// The 職場環境改善 amounts by name: what 様式第1号 boxes 1–3 show, and the stages' inputs.
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

/// The 職場環境改善 amounts from the assessed equipment (`None` for other grants).
pub fn shokuba_amounts(claim: &Claim, items: &[EquipmentItem]) -> Option<ShokubaAmounts> {
    let (Some(f), Some(p)) = (claim.shokuba(), claim.edition.shokuba()) else {
        return None;
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
    Some(ShokubaAmounts {
        fee,
        fee_box,
        equipment_claimed,
        equipment_eligible,
        equipment_box,
        sum,
        total: sum.min(p.total_cap_yen.value),
    })
}

/// The stages of the amount. The last stage is the amount if the claim is eligible.
pub fn stages(claim: &Claim, shokuba: Option<&ShokubaAmounts>) -> Vec<Stage> {
    match (&claim.edition.params, shokuba) {
        (Params::Sangyoui(p), _) => vec![
            Stage {
                name: "6か月当たり定額（SC-M2）".into(),
                yen: p.amount_per_period_yen.value,
            },
            Stage {
                name: "助成金額".into(),
                yen: p.amount_per_period_yen.value,
            },
        ],
        (Params::Shokuba(p), Some(a)) => {
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
