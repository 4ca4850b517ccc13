//! The validated claim: typed facts the rules read. A fact the file does not give stays
//! `None` here, and the rule that needs it reports `unknown` (never a silent default).

use crate::dates::YearMonth;
use crate::edition::{Edition, Grant};
use crate::input::{ClaimFile, RawAttachments, RawContractStates, RawDeclarations};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    Physician,
    Nurse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhysicianQualification {
    JmaCertified,
    HealthConsultant,
    Other,
}

/// A checked claim file.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The file as given on the command line.
    pub file: String,
    /// The file's values (already format-checked), for the text on the forms.
    pub raw: ClaimFile,
    pub grant: Grant,
    pub edition: &'static Edition,
    pub application_date: NaiveDate,
    pub round: u32,
    pub applied_by_representative: Option<bool>,
    pub workers: Option<i64>,
    pub dispatched_workers: Option<i64>,
    pub entity: Option<Entity>,
    pub insurance_covered: Option<bool>,
    pub insurance_association: Option<bool>,
    pub bulk_payment: Option<bool>,
    pub bank_holder: Option<HolderKind>,
    pub declarations: Option<RawDeclarations>,
    pub facts: GrantFacts,
    pub previous: Vec<PreviousClaim>,
    pub attachments: RawAttachments,
}

#[derive(Debug, Clone)]
pub enum GrantFacts {
    Sangyoui(SangyouiFacts),
    Shokuba(ShokubaFacts),
}

#[derive(Debug, Clone, Default)]
pub struct SangyouiFacts {
    pub provider: Option<ProviderKind>,
    pub qualification: Option<PhysicianQualification>,
    pub provider_is_external: Option<bool>,
    pub with_corporation: Option<bool>,
    pub contract_date: Option<NaiveDate>,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub contract_open_ended: Option<bool>,
    pub consultation_clause: Option<bool>,
    pub contract_states: Option<RawContractStates>,
    pub mechanism_on: Option<NaiveDate>,
    pub mechanism: Option<String>,
    pub notice_on: Option<NaiveDate>,
    pub notice_method: Option<String>,
    pub period_from: Option<YearMonth>,
    pub period_to: Option<YearMonth>,
}

#[derive(Debug, Clone)]
pub struct DatedRow {
    pub date: NaiveDate,
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct Equipment {
    pub name: String,
    pub unit_price_yen: i64,
    pub quantity: i64,
    pub purchased_on: Option<NaiveDate>,
    pub in_plan: Option<bool>,
    pub receipt_shared: Option<bool>,
}

impl Equipment {
    pub fn total_yen(&self) -> i64 {
        self.unit_price_yen.saturating_mul(self.quantity)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ShokubaFacts {
    pub group_analysis_done: Option<bool>,
    pub expert_qualification: Option<String>,
    pub contract_date: Option<NaiveDate>,
    pub evaluation_used_other_information: Option<bool>,
    pub guidance: Vec<DatedRow>,
    pub plan_made_on: Option<NaiveDate>,
    pub improvements: Vec<DatedRow>,
    pub expert_confirmed_on: Option<NaiveDate>,
    pub guidance_fee_yen: Option<i64>,
    pub guidance_receipt_shared: Option<bool>,
    pub equipment: Vec<Equipment>,
}

#[derive(Debug, Clone)]
pub struct PreviousClaim {
    pub grant: String,
    pub round: Option<u32>,
    pub period_from: Option<YearMonth>,
    pub period_to: Option<YearMonth>,
    pub applied_on: Option<NaiveDate>,
    pub equipment_granted: Option<bool>,
}
