//! The `[sangyoui]` section of a claim file as written (serde, JSON Schema, validator):
//! its schema is this grant's part of the claim file's (`johas-claim schema`), each format
//! check says in Japanese how to fix the value, and [`facts`] turns it into the typed facts.

use super::facts::{ContractStates, PhysicianQualification, ProviderKind, SangyouiFacts};
use crate::input::checks::{self, fact_or_typo, one_of, parse_date};
use crate::input::Problem;
use crate::model::dates::YearMonth;
use crate::programmes::johas::claim_file::{listed_or_text, valid_date, RawDate};
use crate::programmes::johas::read::check_period;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

/// This grant's part of the claim file: its one section.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema, Validate)]
pub struct Part {
    /// 産業医活動助成金（直接健康相談環境整備コース）の申請内容。
    #[validate(nested)]
    pub sangyoui: Option<RawSangyoui>,
}

pub const PROVIDER_KINDS: &[(&str, &str)] = &[
    ("physician", "産業医の要件を備えた医師"),
    ("nurse", "保健師"),
];
pub const PHYSICIAN_QUALIFICATIONS: &[(&str, &str)] = &[
    ("jma_certified", "日医認定産業医"),
    ("health_consultant", "労働衛生コンサルタント（保健衛生）"),
    ("other", "その他 労働安全衛生法第13条第2項の要件"),
];

/// Japanese names accepted for `sangyoui.provider_kind` → its key.
pub const PROVIDER_ALIASES: &[(&str, &str)] = &[
    ("医師", "physician"),
    ("産業医", "physician"),
    ("産業医の要件を備えた医師", "physician"),
    ("保健師", "nurse"),
];

pub fn provider_kind_check(s: &str) -> Result<(), ValidationError> {
    fact_or_typo("provider_kind", s, PROVIDER_KINDS, PROVIDER_ALIASES)
}
pub fn physician_qualification_check(s: &str) -> Result<(), ValidationError> {
    one_of("physician_qualification", s, PHYSICIAN_QUALIFICATIONS)
}

fn provider_kind_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    listed_or_text(
        "契約の相手: \"physician\"（産業医の要件を備えた医師）または \"nurse\"（保健師）。日本語（医師、保健師）でも書けます。",
        PROVIDER_KINDS,
        PROVIDER_ALIASES,
        "そのほかの職種（例: 看護師）。判定（SC-A1）で対象外と示されます。",
    )
}

/// 産業医活動助成金（直接健康相談環境整備コース）の申請内容。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawSangyoui {
    /// 契約の相手: "physician"（産業医の要件を備えた医師）または "nurse"（保健師）。
    #[schemars(schema_with = "provider_kind_schema")]
    #[validate(custom(function = "provider_kind_check"))]
    pub provider_kind: Option<String>,
    /// 産業医・保健師の氏名。
    pub provider_name: Option<String>,
    /// 医師の場合の資格の証明: "jma_certified"（日医認定産業医）、"health_consultant"
    /// （労働衛生コンサルタント（保健衛生））、"other"（その他 労働安全衛生法第13条第2項の要件）。
    #[schemars(extend("enum" = ["jma_certified", "health_consultant", "other", null]))]
    #[validate(custom(function = "physician_qualification_check"))]
    #[schemars(extend("x-choice" = true))]
    pub physician_qualification: Option<String>,
    /// 産業医・保健師は自社の使用者・労働者以外の者である（手引 I-3 ③）。
    pub provider_is_external: Option<bool>,
    /// 医療機関などの法人と契約した。
    pub contract_with_corporation: Option<bool>,
    /// 契約の締結日。
    #[validate(custom(function = "valid_date"))]
    pub contract_date: Option<RawDate>,
    /// 契約期間の初日。
    #[validate(custom(function = "valid_date"))]
    pub contract_start: Option<RawDate>,
    /// 契約期間の末日。期間の定めがない（自動更新）場合は省略し contract_open_ended = true。
    #[validate(custom(function = "valid_date"))]
    pub contract_end: Option<RawDate>,
    /// 契約期間の定めがない（自動更新を含む）。
    pub contract_open_ended: Option<bool>,
    /// 契約に、労働者が直接健康相談できる環境を整備する条項がある。
    pub contract_has_consultation_clause: Option<bool>,
    /// 契約書の記載事項（様式第3号 2 a–e）。
    #[validate(nested)]
    pub contract_states: Option<RawContractStates>,
    /// 直接健康相談できる仕組みの実施日（様式第1号 1「実施日」）。
    #[validate(custom(function = "valid_date"))]
    pub mechanism_set_up_on: Option<RawDate>,
    /// 直接健康相談できる仕組みの具体的な内容（様式第1号 1）。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    #[schemars(extend("x-multiline" = true))]
    pub mechanism: Option<String>,
    /// 周知開始日（様式第1号 2）。
    #[validate(custom(function = "valid_date"))]
    pub notice_started_on: Option<RawDate>,
    /// 周知の担当者の所属。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub notice_department: Option<String>,
    /// 周知の担当者の氏名。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub notice_name: Option<String>,
    /// 周知方法（様式第1号 2）。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    #[schemars(extend("x-multiline" = true))]
    pub notice_method: Option<String>,
    /// 助成の対象となる6か月の初月（YYYY-MM）。
    #[schemars(extend("pattern" = checks::YEAR_MONTH_PATTERN))]
    #[validate(custom(function = "checks::year_month"))]
    #[schemars(extend("x-lenient" = "year_month"))]
    pub period_from: Option<String>,
    /// 助成の対象となる6か月の最終月（YYYY-MM）。
    #[schemars(extend("pattern" = checks::YEAR_MONTH_PATTERN))]
    #[validate(custom(function = "checks::year_month"))]
    #[schemars(extend("x-lenient" = "year_month"))]
    pub period_to: Option<String>,
}

/// 契約書に記載されている事項（様式第3号 2 a–e）。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(extend("x-labels" = {"what": "様式第3号の記号", "keys": {"a": "content_and_period", "b": "cost", "c": "practitioner_name", "d": "consultation_mechanism", "e": "establishment_name"}}))]
pub struct RawContractStates {
    /// a 活動の内容と契約期間。
    pub content_and_period: Option<bool>,
    /// b 活動に要する費用。
    pub cost: Option<bool>,
    /// c 法人と契約する場合、産業医（保健師）とした勤務医（勤務保健師）の氏名。
    pub practitioner_name: Option<bool>,
    /// d 労働者が直接健康相談ができる仕組み。
    pub consultation_mechanism: Option<bool>,
    /// e 申請事業場名称。
    pub establishment_name: Option<bool>,
}

impl Validate for RawContractStates {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

fn date_of(d: &Option<RawDate>) -> Option<chrono::NaiveDate> {
    d.as_ref().and_then(|d| parse_date(&d.0))
}

fn ym_of(s: &Option<String>) -> Option<YearMonth> {
    s.as_deref().and_then(YearMonth::parse)
}

/// The checks between fields of the section: a period's first month before its last.
pub fn section_checks(s: &RawSangyoui, problems: &mut Vec<Problem>) {
    check_period(&s.period_from, &s.period_to, "sangyoui", problems);
}

/// The typed facts of the section.
pub fn facts(s: &RawSangyoui) -> SangyouiFacts {
    SangyouiFacts {
        provider: s.provider_kind.as_deref().map(provider_kind),
        provider_name: s.provider_name.clone(),
        qualification: match s.physician_qualification.as_deref() {
            Some("jma_certified") => Some(PhysicianQualification::JmaCertified),
            Some("health_consultant") => Some(PhysicianQualification::HealthConsultant),
            Some("other") => Some(PhysicianQualification::Other),
            _ => None,
        },
        provider_is_external: s.provider_is_external,
        with_corporation: s.contract_with_corporation,
        contract_date: date_of(&s.contract_date),
        contract_start: date_of(&s.contract_start),
        contract_end: date_of(&s.contract_end),
        contract_open_ended: s.contract_open_ended,
        consultation_clause: s.contract_has_consultation_clause,
        contract_states: s.contract_states.as_ref().map(|c| ContractStates {
            content_and_period: c.content_and_period,
            cost: c.cost,
            practitioner_name: c.practitioner_name,
            consultation_mechanism: c.consultation_mechanism,
            establishment_name: c.establishment_name,
        }),
        mechanism_on: date_of(&s.mechanism_set_up_on),
        mechanism: s.mechanism.clone(),
        notice_on: date_of(&s.notice_started_on),
        notice_department: s.notice_department.clone(),
        notice_name: s.notice_name.clone(),
        notice_method: s.notice_method.clone(),
        period_from: ym_of(&s.period_from),
        period_to: ym_of(&s.period_to),
    }
}

/// Who the contract is with: a key, its Japanese name, or the text written.
fn provider_kind(written: &str) -> ProviderKind {
    match checks::listed_key(written, PROVIDER_KINDS, PROVIDER_ALIASES) {
        Some("physician") => ProviderKind::Physician,
        Some("nurse") => ProviderKind::Nurse,
        _ => ProviderKind::Other(written.trim().to_string()),
    }
}
