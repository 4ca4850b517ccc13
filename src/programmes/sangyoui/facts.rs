//! The facts of a 産業医活動 claim (its `[sangyoui]` section), typed: what its rules, its
//! window and its forms read. A fact the file does not give stays `None`, and the rule
//! that needs it reports `unknown`.

use crate::model::dates::YearMonth;
use chrono::NaiveDate;

/// Who the 産業医活動 contract is with (SC-A1). `Other` is a fact the user knows (e.g.
/// 看護師) that the rule judges: it is not a physician qualified as 産業医 nor a 保健師.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderKind {
    Physician,
    Nurse,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhysicianQualification {
    JmaCertified,
    HealthConsultant,
    /// Another way of meeting 労働安全衛生法第13条第2項.
    Other,
}

/// 契約書の記載事項 (様式第3号 2 a–e).
#[derive(Debug, Clone, Default)]
pub struct ContractStates {
    pub content_and_period: Option<bool>,
    pub cost: Option<bool>,
    pub practitioner_name: Option<bool>,
    pub consultation_mechanism: Option<bool>,
    pub establishment_name: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct SangyouiFacts {
    pub provider: Option<ProviderKind>,
    pub provider_name: Option<String>,
    pub qualification: Option<PhysicianQualification>,
    pub provider_is_external: Option<bool>,
    pub with_corporation: Option<bool>,
    pub contract_date: Option<NaiveDate>,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub contract_open_ended: Option<bool>,
    pub consultation_clause: Option<bool>,
    pub contract_states: Option<ContractStates>,
    pub mechanism_on: Option<NaiveDate>,
    pub mechanism: Option<String>,
    pub notice_on: Option<NaiveDate>,
    pub notice_department: Option<String>,
    pub notice_name: Option<String>,
    pub notice_method: Option<String>,
    pub period_from: Option<YearMonth>,
    pub period_to: Option<YearMonth>,
}
