//! The typed form context: what the layouts' templates see (documented in forms/README.md).
//! Serialised to JSON for minijinja. A fact the claim does not give is left out (`None`),
//! so a strict template fails on the field that needs it instead of printing a blank;
//! [`SOURCES`] names the claim-file key each value comes from, for the preflight.

use super::ticks::Tick;
use crate::model::dates::wareki;
use crate::model::findings::yen;
use crate::programmes::johas::amounts::EquipmentItem;
use crate::programmes::johas::evaluate::Evaluation;
use crate::programmes::johas::model::{Claim, DatedRow, GrantFacts};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Context path → claim-file key it is printed from. Paths not listed come from the
/// edition data (`fiscal_year`, `grant`, …) or from the computation (`checks`).
pub const SOURCES: &[(&str, &str)] = &[
    ("application_date", "claim.application_date"),
    ("round", "claim.round"),
    ("establishment.name", "establishment.name"),
    ("establishment.name_kana", "establishment.name_kana"),
    ("establishment.postal_code", "establishment.postal_code"),
    ("establishment.address", "establishment.address"),
    ("establishment.workers", "establishment.workers"),
    (
        "establishment.dispatched_workers",
        "establishment.dispatched_workers",
    ),
    (
        "establishment.labour_insurance_number",
        "establishment.labour_insurance_number",
    ),
    ("representative.title", "establishment.representative.title"),
    ("representative.name", "establishment.representative.name"),
    (
        "representative.name_kana",
        "establishment.representative.name_kana",
    ),
    ("contact.department", "establishment.contact.department"),
    ("contact.name", "establishment.contact.name"),
    ("contact.name_kana", "establishment.contact.name_kana"),
    ("contact.phone", "establishment.contact.phone"),
    ("contact.fax", "establishment.contact.fax"),
    ("head_office.name", "labour_insurance.head_office.name"),
    (
        "head_office.representative",
        "labour_insurance.head_office.representative_name",
    ),
    ("declarations.d1", "declarations.premium_arrears"),
    ("declarations.d2", "declarations.fraud_suspension"),
    ("declarations.d3", "declarations.organized_crime"),
    ("declarations.d4", "declarations.subversive_group"),
    ("declarations.d5", "declarations.bankrupt"),
    ("declarations.d6", "declarations.labour_law_violation"),
    ("declarations.d7", "declarations.consent_to_publication"),
    (
        "declarations.violation_detail",
        "declarations.labour_law_violation_detail",
    ),
    ("declarations", "declarations"),
    ("sangyoui.mechanism_date", "sangyoui.mechanism_set_up_on"),
    ("sangyoui.mechanism", "sangyoui.mechanism"),
    ("sangyoui.notice_date", "sangyoui.notice_started_on"),
    ("sangyoui.notice_department", "sangyoui.notice_department"),
    ("sangyoui.notice_name", "sangyoui.notice_name"),
    ("sangyoui.notice_method", "sangyoui.notice_method"),
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

/// The claim-file key of a context path (its longest listed prefix), e.g.
/// `representative.title` → `establishment.representative.title`.
pub fn source_key(path: &str) -> Option<&'static str> {
    let mut p = path;
    loop {
        if let Some((_, k)) = SOURCES.iter().find(|(c, _)| *c == p) {
            return Some(k);
        }
        p = &p[..p.rfind('.')?];
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FormContext {
    pub grant: String,
    pub edition: String,
    /// The edition's program year for titles: 「令和2」.
    pub fiscal_year: String,
    /// The edition mark printed at the foot of each form: 「(R2.4)」 (edition data).
    pub edition_mark: String,
    pub application_date: String,
    pub round: u32,
    pub establishment: Establishment,
    pub representative: Person,
    pub contact: Contact,
    /// Only with bulk payment by the head office (`null` otherwise).
    pub head_office: Option<HeadOffice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declarations: Option<Declarations>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sangyoui: Option<Sangyoui>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shokuba: Option<Shokuba>,
    /// 様式第3号: `key → ticked`, in layout order (see `packet::ticks`).
    pub checks: Checks,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Establishment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_kana: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workers: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatched_workers: Option<String>,
    /// Only the 一括納付 certificate prints it; absent, that form fails on the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labour_insurance_number: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Person {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_kana: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_kana: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// `""` when the establishment has none.
    pub fax: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HeadOffice {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 「代表取締役　本社 太郎」.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
}

/// 様式第2号 (sangyoui): `"yes"` / `"no"` per item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Declarations {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d1: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d2: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d3: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d4: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d5: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d6: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d7: Option<&'static str>,
    pub violation_detail: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Sangyoui {
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct Shokuba {
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

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub date: String,
    pub content: String,
}

/// `checks`: a JSON object in layout order.
#[derive(Debug, Clone, Default)]
pub struct Checks(pub Vec<(String, bool)>);

impl Serialize for Checks {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

fn yes_no(b: Option<bool>) -> Option<&'static str> {
    b.map(|b| if b { "yes" } else { "no" })
}

fn rows(rows: &[DatedRow]) -> Vec<Row> {
    rows.iter()
        .map(|r| Row {
            date: wareki(r.date),
            content: r.content.clone(),
        })
        .collect()
}

/// Builds the context from the claim, its evaluation, the equipment assessment and the
/// decided ticks.
pub fn build(
    claim: &Claim,
    ev: &Evaluation,
    equipment: &[EquipmentItem],
    ticks: &[Tick],
) -> FormContext {
    let est = &claim.establishment;
    let rep = &est.representative;
    let con = &est.contact;
    let head_office = match (
        claim.insurance.bulk_payment_by_head_office,
        &claim.insurance.head_office,
    ) {
        (Some(true), Some(h)) => Some(HeadOffice {
            name: h.name.clone(),
            representative: match (&h.representative_title, &h.representative_name) {
                (Some(t), Some(n)) => Some(format!("{t}　{n}")),
                (None, Some(n)) => Some(n.clone()),
                _ => None,
            },
        }),
        (Some(true), None) => Some(HeadOffice::default()),
        _ => None,
    };
    let mut ctx = FormContext {
        grant: claim.grant.id().to_string(),
        edition: claim.edition.edition.clone(),
        fiscal_year: claim.edition.form_fiscal_year.value.clone(),
        edition_mark: claim.edition.edition_mark.clone(),
        application_date: wareki(claim.application_date),
        round: claim.round,
        establishment: Establishment {
            name: est.name.clone(),
            name_kana: est.name_kana.clone(),
            postal_code: est.postal_code.clone(),
            address: est.address.clone(),
            workers: est.workers.map(|w| w.to_string()),
            dispatched_workers: est.dispatched_workers.map(|w| w.to_string()),
            labour_insurance_number: est.labour_insurance_number.clone(),
        },
        representative: Person {
            title: rep.title.clone(),
            name: rep.name.clone(),
            name_kana: rep.name_kana.clone(),
        },
        contact: Contact {
            department: con.department.clone(),
            name: con.name.clone(),
            name_kana: con.name_kana.clone(),
            phone: con.phone.clone(),
            fax: con.fax.clone().unwrap_or_default(),
        },
        head_office,
        declarations: None,
        sangyoui: None,
        shokuba: None,
        checks: Checks(ticks.iter().map(|t| (t.key.clone(), t.on)).collect()),
    };
    match &claim.facts {
        GrantFacts::Sangyoui(f) => {
            ctx.declarations = claim.declarations.as_ref().map(|d| Declarations {
                d1: yes_no(d.premium_arrears),
                d2: yes_no(d.fraud_suspension),
                d3: yes_no(d.organized_crime),
                d4: yes_no(d.subversive_group),
                d5: yes_no(d.bankrupt),
                d6: yes_no(d.labour_law_violation),
                d7: yes_no(d.consent_to_publication),
                violation_detail: d.labour_law_violation_detail.clone().unwrap_or_default(),
            });
            ctx.sangyoui = Some(Sangyoui {
                mechanism_date: f.mechanism_on.map(wareki),
                mechanism: f.mechanism.clone(),
                notice_date: f.notice_on.map(wareki),
                notice_department: f.notice_department.clone(),
                notice_name: f.notice_name.clone(),
                notice_method: f.notice_method.clone(),
            });
        }
        GrantFacts::Shokuba(f) => {
            // Figures only for an eligible claim (INTERFACES.md #3).
            let figures = ev.shokuba_amounts.filter(|_| ev.eligible == Some(true));
            let fig = |v: fn(&crate::programmes::johas::amounts::ShokubaAmounts) -> i64| {
                figures.as_ref().map(|a| yen(v(a))).unwrap_or_default()
            };
            let mut names: Vec<&str> = Vec::new();
            for e in equipment.iter().filter(|e| e.claimed) {
                if !names.contains(&e.name.as_str()) {
                    names.push(&e.name);
                }
            }
            ctx.shokuba = Some(Shokuba {
                guidance_fee: fig(|a| a.fee_box),
                equipment: fig(|a| a.equipment_box),
                amount: fig(|a| a.total),
                equipment_names: names.join("、"),
                improvements: rows(&f.improvements),
                guidance: rows(&f.guidance),
                expert_name: f.expert_name.clone(),
                expert_qualification: f.expert_qualification.as_ref().map(|q| q.label()),
                confirmed_on: f.expert_confirmed_on.map(wareki),
            });
        }
    }
    ctx
}

/// Why 様式第1号's yen boxes are blank (`None` when they are printed or the form has none).
pub fn figures_blank_reason(claim: &Claim, ev: &Evaluation) -> Option<String> {
    if claim.shokuba().is_none() || ev.eligible == Some(true) {
        return None;
    }
    Some(match ev.eligible {
        Some(false) => "支給要件を満たしていないため、様式第1号の金額欄（1 指導費用・2 機器・設備・3 助成金申請額）は空欄にしています。".into(),
        _ => "判定できない項目があるため、様式第1号の金額欄（1 指導費用・2 機器・設備・3 助成金申請額）は空欄にしています。不明の項目を申請ファイルに書いて、もう一度作成してください。".into(),
    })
}
