//! What the 産業医活動 forms say of a claim: its part of the form context (様式第1号 1・2),
//! where each value comes from, and the conditions its papers (attachments) and boxes
//! (様式第3号) name in its data.

use super::facts::{PhysicianQualification, ProviderKind};
use crate::model::dates::wareki;
use crate::model::interview::{get, Table};
use crate::programmes::johas::grant::Condition;
use crate::programmes::johas::model::Claim;
use serde::Serialize;

/// Its part of the form context (`sangyoui.…` in the layouts).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Values {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_method: Option<String>,
}

/// The values its layouts print; a fact the claim does not give is left out.
pub fn values(claim: &Claim) -> serde_json::Value {
    let Some(f) = super::facts(claim) else {
        return serde_json::Value::Null;
    };
    serde_json::to_value(Values {
        mechanism_date: f.mechanism_on.map(wareki),
        mechanism: f.mechanism.clone(),
        notice_date: f.notice_on.map(wareki),
        notice_department: f.notice_department.clone(),
        notice_name: f.notice_name.clone(),
        notice_method: f.notice_method.clone(),
    })
    .unwrap_or_default()
}

/// Context path → the claim-file key it is printed from.
pub const SOURCES: &[(&str, &str)] = &[
    ("sangyoui.mechanism_date", "sangyoui.mechanism_set_up_on"),
    ("sangyoui.mechanism", "sangyoui.mechanism"),
    ("sangyoui.notice_date", "sangyoui.notice_started_on"),
    ("sangyoui.notice_department", "sangyoui.notice_department"),
    ("sangyoui.notice_name", "sangyoui.notice_name"),
    ("sangyoui.notice_method", "sangyoui.notice_method"),
];

/// The attachment conditions (`when`) its editions name: who the contract is with.
pub const ATTACHMENT_CONDITIONS: &[Condition] = &[
    Condition {
        name: "physician",
        text: "産業医の要件を備えた医師と契約した場合",
        unmet: "",
    },
    Condition {
        name: "consultant",
        text: "医師が労働衛生コンサルタント（保健衛生）の場合（登録証に添えて）",
        unmet: "",
    },
    Condition {
        name: "nurse",
        text: "保健師と契約した場合",
        unmet: "",
    },
];

/// Whether an attachment condition holds for a claim.
pub fn attachment_applies(when: &str, claim: &Claim) -> bool {
    let (provider, qualification) = match super::facts(claim) {
        Some(f) => (f.provider.clone(), f.qualification.clone()),
        None => (None, None),
    };
    match when {
        // Without the provider kind, list the physician's papers (the common case) so the
        // checklist is never silently short; the SC-A1 finding says the kind is unknown.
        "physician" => provider != Some(ProviderKind::Nurse),
        "consultant" => {
            provider == Some(ProviderKind::Physician)
                && qualification == Some(PhysicianQualification::HealthConsultant)
        }
        "nurse" => provider == Some(ProviderKind::Nurse),
        _ => false,
    }
}

/// The same on the interview's answers so far.
pub fn attachment_applies_to_answers(when: &str, t: &Table) -> bool {
    let is = |key: &str, v: &str| get(t, key).and_then(|x| x.as_str()) == Some(v);
    match when {
        "physician" => t.contains_key("sangyoui") && !is("sangyoui.provider_kind", "nurse"),
        "consultant" => {
            is("sangyoui.provider_kind", "physician")
                && is("sangyoui.physician_qualification", "health_consultant")
        }
        "nurse" => is("sangyoui.provider_kind", "nurse"),
        _ => true,
    }
}

/// The box conditions (`tick.when`) its layouts name: who the contract is with.
pub const TICK_CONDITIONS: &[Condition] = &[
    Condition {
        name: "physician",
        text: "契約相手が産業医の要件を備えた医師",
        unmet: "契約相手が産業医（医師）ではない、又は書かれていないため",
    },
    Condition {
        name: "nurse",
        text: "契約相手が保健師",
        unmet: "契約相手が保健師ではない、又は書かれていないため",
    },
];

/// Whether a box condition holds (`None` for a name it does not have).
pub fn tick_applies(when: &str, claim: &Claim) -> Option<bool> {
    let provider = super::facts(claim).and_then(|f| f.provider.clone());
    Some(match when {
        "physician" => provider == Some(ProviderKind::Physician),
        "nurse" => provider == Some(ProviderKind::Nurse),
        _ => return None,
    })
}
