//! The typed form context: what the layouts' templates see (documented in forms/README.md).
//! Serialised to JSON for minijinja. A fact the claim does not give is left out (`None`),
//! so a strict template fails on the field that needs it instead of printing a blank;
//! [`SOURCES`] names the claim-file key each value comes from, for the preflight. The
//! grant's part (under its section's name) is the grant's
//! ([`crate::programmes::johas::grant::Grant::form_values`]).

use super::ticks::Tick;
use crate::model::dates::wareki;
use crate::programmes::johas::evaluation::Evaluation;
use crate::programmes::johas::grant::JohasProgramme;
use crate::programmes::johas::model::Claim;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Context path → claim-file key it is printed from, for the common part of the context
/// (the grant lists its own part's, [`crate::programmes::johas::grant::Grant::form_sources`]).
/// Paths not listed come from the edition data (`fiscal_year`, `grant`, …) or from the
/// computation (`checks`).
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
];

/// The claim-file key of a context path (its longest listed prefix), e.g.
/// `representative.title` → `establishment.representative.title`.
pub fn source_key(grant: &JohasProgramme, path: &str) -> Option<&'static str> {
    let mut p = path;
    loop {
        if let Some((_, k)) = SOURCES
            .iter()
            .chain(grant.form_sources())
            .find(|(c, _)| *c == p)
        {
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
    /// The grant's values, under its section's name.
    #[serde(flatten)]
    pub grant_values: GrantValues,
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

/// 様式第2号 支給要件確認申立書 (a grant whose forms use it): `"yes"` / `"no"` per item.
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

/// The grant's part of the context: its values under its section's name (`sangyoui.…`).
#[derive(Debug, Clone)]
pub struct GrantValues {
    pub section: &'static str,
    pub values: serde_json::Value,
}

impl Serialize for GrantValues {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.section, &self.values)?;
        m.end()
    }
}

/// One dated row of a table (the date in 和暦).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub date: String,
    pub content: String,
}

impl Row {
    pub fn new(date: chrono::NaiveDate, content: &str) -> Row {
        Row {
            date: wareki(date),
            content: content.to_string(),
        }
    }
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

/// Builds the context from the claim, its evaluation and the decided ticks.
pub fn build(claim: &Claim, ev: &Evaluation, ticks: &[Tick]) -> FormContext {
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
    FormContext {
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
        declarations: claim
            .declarations
            .as_ref()
            .filter(|_| claim.grant.uses().declarations)
            .map(|d| Declarations {
                d1: yes_no(d.premium_arrears),
                d2: yes_no(d.fraud_suspension),
                d3: yes_no(d.organized_crime),
                d4: yes_no(d.subversive_group),
                d5: yes_no(d.bankrupt),
                d6: yes_no(d.labour_law_violation),
                d7: yes_no(d.consent_to_publication),
                violation_detail: d.labour_law_violation_detail.clone().unwrap_or_default(),
            }),
        grant_values: GrantValues {
            section: claim.grant.section(),
            values: claim.grant.form_values(claim, ev),
        },
        checks: Checks(ticks.iter().map(|t| (t.key.clone(), t.on)).collect()),
    }
}
