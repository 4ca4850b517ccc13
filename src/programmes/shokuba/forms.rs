//! What the 職場環境改善 forms say of a claim: its part of the form context (様式第1号 boxes
//! 1–5, 様式第2号), where each value comes from, why the yen boxes may be blank, and the
//! conditions its papers (attachments) and boxes (様式第3号) name in its data.

use super::amount::ShokubaAmounts;
use crate::model::dates::wareki;
use crate::model::findings::yen;
use crate::model::interview::{get, Table};
use crate::programmes::johas::amounts::EquipmentItem;
use crate::programmes::johas::evaluation::Evaluation;
use crate::programmes::johas::grant::Condition;
use crate::programmes::johas::model::Claim;
use crate::programmes::johas::packet::context::Row;
use serde::Serialize;

/// Its part of the form context (`shokuba.…` in the layouts).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Values {
    /// Box 1 (fee, capped). `""` unless the claim is eligible: a figure on the form is a
    /// statement the applicant signs (the checklist says why it is blank).
    pub guidance_fee: String,
    /// Box 2 (claimed equipment, capped); `""` unless eligible.
    pub equipment: String,
    /// Box 3 (the grant); `""` unless eligible.
    pub amount: String,
    /// Box 4: the claimed (not excluded) equipment, 「、」-joined; `""` when none.
    pub equipment_names: String,
    pub improvements: Vec<Row>,
    pub guidance: Vec<Row>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expert_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expert_qualification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_on: Option<String>,
}

/// The values its layouts print; a fact the claim does not give is left out.
pub fn values(claim: &Claim, ev: &Evaluation) -> serde_json::Value {
    let Some(f) = super::facts(claim) else {
        return serde_json::Value::Null;
    };
    // Figures only for an eligible claim: a figure on the form is a statement the applicant
    // signs.
    let figures = ev
        .figures
        .get::<ShokubaAmounts>()
        .filter(|_| ev.eligible == Some(true));
    let fig = |v: fn(&ShokubaAmounts) -> i64| figures.map(|a| yen(v(a))).unwrap_or_default();
    let mut names: Vec<&str> = Vec::new();
    for e in ev.equipment.iter().filter(|e| e.claimed) {
        if !names.contains(&e.name.as_str()) {
            names.push(&e.name);
        }
    }
    let rows = |rows: &[super::facts::DatedRow]| -> Vec<Row> {
        rows.iter().map(|r| Row::new(r.date, &r.content)).collect()
    };
    serde_json::to_value(Values {
        guidance_fee: fig(|a| a.fee_box),
        equipment: fig(|a| a.equipment_box),
        amount: fig(|a| a.total),
        equipment_names: names.join("、"),
        improvements: rows(&f.improvements),
        guidance: rows(&f.guidance),
        expert_name: f.expert_name.clone(),
        expert_qualification: f.expert_qualification.as_ref().map(|q| q.label()),
        confirmed_on: f.expert_confirmed_on.map(wareki),
    })
    .unwrap_or_default()
}

/// Context path → the claim-file key it is printed from.
pub const SOURCES: &[(&str, &str)] = &[
    ("shokuba.guidance_fee", "shokuba.guidance_fee_yen"),
    ("shokuba.equipment", "shokuba.equipment"),
    ("shokuba.amount", "shokuba.guidance_fee_yen"),
    ("shokuba.equipment_names", "shokuba.equipment"),
    ("shokuba.improvements", "shokuba.improvements"),
    ("shokuba.guidance", "shokuba.guidance"),
    ("shokuba.expert_name", "shokuba.expert_name"),
    (
        "shokuba.expert_qualification",
        "shokuba.expert_qualification",
    ),
    ("shokuba.confirmed_on", "shokuba.expert_confirmed_on"),
];

/// Why 様式第1号's yen boxes are blank (`None` when they are printed).
pub fn figures_blank(ev: &Evaluation) -> Option<String> {
    Some(match ev.eligible {
        Some(true) => return None,
        Some(false) => "支給要件を満たしていないため、様式第1号の金額欄（1 指導費用・2 機器・設備・3 助成金申請額）は空欄にしています。".into(),
        None => "判定できない項目があるため、様式第1号の金額欄（1 指導費用・2 機器・設備・3 助成金申請額）は空欄にしています。不明の項目を申請ファイルに書いて、もう一度作成してください。".into(),
    })
}

/// The attachment conditions (`when`) its editions name.
pub const ATTACHMENT_CONDITIONS: &[Condition] = &[Condition {
    name: "equipment",
    text: "機器・設備の購入費用を申請する場合",
    unmet: "",
}];

/// Whether an attachment condition holds: some equipment item is claimed (an excluded item
/// is not claimed, so it needs no receipts or photos).
pub fn attachment_applies(when: &str, items: &[EquipmentItem]) -> bool {
    match when {
        "equipment" => items.iter().any(|e| e.claimed),
        _ => false,
    }
}

/// The same on the interview's answers so far: some equipment is listed.
pub fn attachment_applies_to_answers(when: &str, t: &Table) -> bool {
    match when {
        "equipment" => get(t, "shokuba.equipment")
            .and_then(|v| v.as_array())
            .is_some_and(|a| !a.is_empty()),
        _ => true,
    }
}

/// The box conditions (`tick.when`) its layouts name.
pub const TICK_CONDITIONS: &[Condition] = &[Condition {
    name: "equipment_claimed",
    text: "申請する（対象外でない）機器・設備が1つ以上ある",
    unmet: "申請する（対象となる）機器・設備がないため",
}];

/// Whether a box condition holds (`None` for a name it does not have).
pub fn tick_applies(when: &str, ev: &Evaluation) -> Option<bool> {
    Some(match when {
        "equipment_claimed" => ev.equipment.iter().any(|e| e.claimed),
        _ => return None,
    })
}
