//! The validated claim: typed facts the rules and the forms read. This is the boundary:
//! nothing after it reads the raw input. A fact the file does not give stays `None` here,
//! and the rule that needs it reports `unknown` (never a silent default).

use crate::model::dates::YearMonth;
pub use crate::model::{Notice, Written};
use crate::programmes::johas::edition::{Edition, Grant};
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

/// The expert's qualification (SK-E7, 用語の説明「専門家」). `NotListed` is a real
/// qualification the guide does not list (e.g. 中小企業診断士); the rule says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpertQualification {
    Sangyoui,
    Physician,
    PublicHealthNurse,
    Nurse,
    PsychiatricSocialWorker,
    IndustrialCounselor,
    ClinicalPsychologist,
    /// その他の心理職, with its name when given (公認心理師, キャリアコンサルタント …).
    OtherPsychologist(Option<String>),
    OccupationalHealthConsultant,
    Sharoushi,
    NotListed(String),
}

impl ExpertQualification {
    /// The name printed on 様式第2号 and in messages.
    pub fn label(&self) -> String {
        use ExpertQualification as Q;
        match self {
            Q::Sangyoui => "産業医".into(),
            Q::Physician => "医師".into(),
            Q::PublicHealthNurse => "保健師".into(),
            Q::Nurse => "看護師".into(),
            Q::PsychiatricSocialWorker => "精神保健福祉士".into(),
            Q::IndustrialCounselor => "産業カウンセラー".into(),
            Q::ClinicalPsychologist => "臨床心理士".into(),
            Q::OtherPsychologist(Some(n)) => n.clone(),
            Q::OtherPsychologist(None) => "その他の心理職".into(),
            Q::OccupationalHealthConsultant => "労働衛生コンサルタント".into(),
            Q::Sharoushi => "社会保険労務士".into(),
            Q::NotListed(q) => q.clone(),
        }
    }
}

/// A checked claim file.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The file as given on the command line.
    pub file: String,
    pub grant: Grant,
    pub edition: &'static Edition,
    pub application_date: NaiveDate,
    /// As written: a 3rd claim is a fact the rules judge (SC-M3 / SK-M5), not an input error.
    pub round: u32,
    pub applied_by_representative: Option<bool>,
    pub establishment: Establishment,
    pub insurance: LabourInsurance,
    pub bank: Bank,
    pub declarations: Option<Declarations>,
    pub facts: GrantFacts,
    pub previous: Vec<PreviousClaim>,
    pub attachments: Attachments,
    /// What was read leniently and normalised (和暦 → 西暦, 全角 → 半角 …), one per change.
    pub notices: Vec<Notice>,
    /// Where each fact was written, by dotted path (`establishment.workers`,
    /// `shokuba.equipment[2].name`): the file, the line and the value as written. Reports
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

    /// How many entries a list at `path` has (`shokuba.equipment` → 3).
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
    pub fn sangyoui(&self) -> Option<&SangyouiFacts> {
        match &self.facts {
            GrantFacts::Sangyoui(f) => Some(f),
            GrantFacts::Shokuba(_) => None,
        }
    }

    pub fn shokuba(&self) -> Option<&ShokubaFacts> {
        match &self.facts {
            GrantFacts::Shokuba(f) => Some(f),
            GrantFacts::Sangyoui(_) => None,
        }
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
pub enum GrantFacts {
    Sangyoui(SangyouiFacts),
    Shokuba(ShokubaFacts),
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
    pub expert_name: Option<String>,
    pub expert_qualification: Option<ExpertQualification>,
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
    /// A grant id: `sangyoui-chokusetsu`, `shokuba-kankyo-a`, `shokuba-kankyo-b`.
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
