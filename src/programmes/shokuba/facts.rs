//! The facts of a 職場環境改善 claim (its `[shokuba]` section), typed: what its rules, its
//! exclusions, its amount and its forms read. A fact the file does not give stays `None`
//! (or an empty list), and the rule that needs it reports `unknown`.

use chrono::NaiveDate;

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
