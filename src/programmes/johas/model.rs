//! The validated claim: typed facts the rules and the forms read. This is the boundary:
//! nothing after it reads the raw input. A fact the file does not give stays `None` here,
//! and the rule that needs it reports `unknown` (never a silent default).

use super::edition::Edition;
use super::grant_id::GrantId;
use super::own::Own;
use crate::model::dates::YearMonth;
pub use crate::model::{Notice, Written};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Corporation,
    Individual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderKind {
    Corporation,
    Personal,
}

/// A checked claim file.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The file as given on the command line.
    pub file: String,
    pub grant: GrantId,
    pub edition: &'static Edition,
    pub application_date: NaiveDate,
    /// As written: a 3rd claim is a fact the rules judge, not an input error.
    pub round: u32,
    pub applied_by_representative: Option<bool>,
    pub establishment: Establishment,
    pub insurance: LabourInsurance,
    pub bank: Bank,
    pub declarations: Option<Declarations>,
    /// The grant's own facts (its section), of its own type ([`Claim::facts_as`]).
    pub facts: Own,
    pub previous: Vec<PreviousClaim>,
    pub attachments: Attachments,
    /// What was read leniently and normalised (和暦 → 西暦, 全角 → 半角 …), one per change.
    pub notices: Vec<Notice>,
    /// Where each fact was written, by dotted path (`establishment.workers`,
    /// `previous_claims[2].round`): the file, the line and the value as written. Reports
    /// show the facts from here; nothing reads the files again.
    pub written: std::collections::BTreeMap<String, Written>,
}

impl Claim {
    /// Whether the facts give a value at `path` (a leaf, or any value below a table or
    /// list at that path).
    pub fn gives(&self, path: &str) -> bool {
        self.written.contains_key(path)
            || [format!("{path}."), format!("{path}[")]
                .iter()
                .any(|prefix| {
                    self.written
                        .range(prefix.clone()..)
                        .next()
                        .is_some_and(|(k, _)| k.starts_with(prefix.as_str()))
                })
    }

    /// How many entries a list at `path` has (`previous_claims` → 2).
    pub fn count(&self, path: &str) -> usize {
        let prefix = format!("{path}[");
        let mut n = 0;
        for k in self.written.range(prefix.clone()..).map(|(k, _)| k) {
            if !k.starts_with(&prefix) {
                break;
            }
            if let Some(i) = k[prefix.len()..]
                .split(']')
                .next()
                .and_then(|i| i.parse::<usize>().ok())
            {
                n = n.max(i);
            }
        }
        n
    }
}

impl Claim {
    /// The grant's facts, if they are a `F` (the grant reads its own).
    pub fn facts_as<F: std::any::Any>(&self) -> Option<&F> {
        self.facts.get()
    }

    pub fn facts_as_mut<F: std::any::Any>(&mut self) -> Option<&mut F> {
        self.facts.get_mut()
    }

    /// The previous claims of the same grant (its own id).
    pub fn prior_claims(&self) -> impl Iterator<Item = &PreviousClaim> {
        let id = self.grant.id();
        self.previous.iter().filter(move |p| p.grant == id)
    }
}

/// 様式第1号【請求者】.
#[derive(Debug, Clone, Default)]
pub struct Establishment {
    pub name: Option<String>,
    pub name_kana: Option<String>,
    /// NNN-NNNN.
    pub postal_code: Option<String>,
    pub address: Option<String>,
    /// 常時使用する労働者数 (派遣を含む); at least 1.
    pub workers: Option<i64>,
    pub dispatched_workers: Option<i64>,
    pub entity: Option<Entity>,
    pub corporate_number: Option<String>,
    pub labour_insurance_number: Option<String>,
    pub representative: Person,
    pub contact: Contact,
}

#[derive(Debug, Clone, Default)]
pub struct Person {
    pub title: Option<String>,
    pub name: Option<String>,
    pub name_kana: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub department: Option<String>,
    pub name: Option<String>,
    pub name_kana: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LabourInsurance {
    pub covered: Option<bool>,
    pub delegated_to_association: Option<bool>,
    pub bulk_payment_by_head_office: Option<bool>,
    pub head_office: Option<HeadOffice>,
}

#[derive(Debug, Clone, Default)]
pub struct HeadOffice {
    pub name: Option<String>,
    pub representative_title: Option<String>,
    pub representative_name: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Bank {
    pub holder_kind: Option<HolderKind>,
    pub bank_name: Option<String>,
    pub branch_name: Option<String>,
    pub holder_kana: Option<String>,
}

/// 様式第2号 支給要件確認申立書. `Some(true)` =「はい」.
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    pub premium_arrears: Option<bool>,
    pub fraud_suspension: Option<bool>,
    pub organized_crime: Option<bool>,
    pub subversive_group: Option<bool>,
    pub bankrupt: Option<bool>,
    pub labour_law_violation: Option<bool>,
    pub labour_law_violation_detail: Option<String>,
    pub consent_to_publication: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct PreviousClaim {
    /// A grant id (of a grant the tool checks, or another course a grant's history counts).
    pub grant: String,
    pub round: Option<u32>,
    pub period_from: Option<YearMonth>,
    pub period_to: Option<YearMonth>,
    pub applied_on: Option<NaiveDate>,
    pub equipment_granted: Option<bool>,
}

/// The applicant's inventory of attachments: `Some(true)` = ready.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    pub contract_copy: Option<bool>,
    pub qualification_proof: Option<bool>,
    pub medical_license: Option<bool>,
    pub insurance_declaration: Option<bool>,
    pub association_wage_report: Option<bool>,
    pub association_payment_notice: Option<bool>,
    pub bank_passbook: Option<bool>,
    pub return_envelope: Option<bool>,
    pub expert_fee_receipt: Option<bool>,
    pub improvement_plan: Option<bool>,
    pub equipment_receipts: Option<bool>,
    pub equipment_photos: Option<bool>,
}

impl Attachments {
    /// Every inventory key (the claim file's `[attachments]` keys), in file order.
    pub const KEYS: [&'static str; 12] = [
        "contract_copy",
        "qualification_proof",
        "medical_license",
        "insurance_declaration",
        "association_wage_report",
        "association_payment_notice",
        "bank_passbook",
        "return_envelope",
        "expert_fee_receipt",
        "improvement_plan",
        "equipment_receipts",
        "equipment_photos",
    ];

    /// Whether the inventory says the attachment with this key is ready. `None` for a key
    /// that is not an inventory key (a defect in edition data, rejected when it loads).
    pub fn is_ready(&self, key: &str) -> Option<bool> {
        let v = match key {
            "contract_copy" => self.contract_copy,
            "qualification_proof" => self.qualification_proof,
            "medical_license" => self.medical_license,
            "insurance_declaration" => self.insurance_declaration,
            "association_wage_report" => self.association_wage_report,
            "association_payment_notice" => self.association_payment_notice,
            "bank_passbook" => self.bank_passbook,
            "return_envelope" => self.return_envelope,
            "expert_fee_receipt" => self.expert_fee_receipt,
            "improvement_plan" => self.improvement_plan,
            "equipment_receipts" => self.equipment_receipts,
            "equipment_photos" => self.equipment_photos,
            _ => return None,
        };
        Some(v == Some(true))
    }
}
