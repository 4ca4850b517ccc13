//! The `[shokuba]` section of a claim file as written (serde, JSON Schema, validator):
//! its schema is this grant's part of the claim file's (`johas-claim schema`), each format
//! check says in Japanese how to fix the value, and [`facts`] turns it into the typed facts.

use super::facts::{DatedRow, Equipment, ExpertQualification, ShokubaFacts};
use crate::input::checks::{self, fact_or_typo, parse_date};
use crate::input::{problem, Problem};
use crate::programmes::johas::claim_file::{listed_or_text, valid_date, RawDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

/// This grant's part of the claim file: its one section.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema, Validate)]
pub struct Part {
    /// 職場環境改善計画助成金（Aコース）の申請内容。
    #[validate(nested)]
    pub shokuba: Option<RawShokuba>,
}

/// 手引（職場環境改善 H30）用語の説明「専門家」.
pub const EXPERT_QUALIFICATIONS: &[(&str, &str)] = &[
    ("sangyoui", "産業医"),
    ("physician", "医師"),
    ("public_health_nurse", "保健師"),
    ("nurse", "看護師"),
    ("psychiatric_social_worker", "精神保健福祉士"),
    ("industrial_counselor", "産業カウンセラー"),
    ("clinical_psychologist", "臨床心理士"),
    ("other_psychologist", "その他の心理職"),
    ("occupational_health_consultant", "労働衛生コンサルタント"),
    ("sharoushi", "社会保険労務士"),
];

/// Japanese names accepted for `shokuba.expert_qualification` → its key. The names under
/// other_psychologist are kept as its note.
pub const EXPERT_ALIASES: &[(&str, &str)] = &[
    ("産業医", "sangyoui"),
    ("医師", "physician"),
    ("保健師", "public_health_nurse"),
    ("看護師", "nurse"),
    ("精神保健福祉士", "psychiatric_social_worker"),
    ("産業カウンセラー", "industrial_counselor"),
    ("臨床心理士", "clinical_psychologist"),
    ("その他の心理職", "other_psychologist"),
    ("公認心理師", "other_psychologist"),
    ("キャリアコンサルタント", "other_psychologist"),
    ("シニア産業カウンセラー", "other_psychologist"),
    ("労働衛生コンサルタント", "occupational_health_consultant"),
    ("社会保険労務士", "sharoushi"),
    ("社労士", "sharoushi"),
];

pub fn expert_qualification_check(s: &str) -> Result<(), ValidationError> {
    fact_or_typo(
        "expert_qualification",
        s,
        EXPERT_QUALIFICATIONS,
        EXPERT_ALIASES,
    )
}

fn expert_qualification_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    listed_or_text(
        "専門家の資格（手引 用語の説明「専門家」）。キーか日本語の資格名で書きます。公認心理師・キャリアコンサルタント・シニア産業カウンセラーは「その他の心理職」として読みます。",
        EXPERT_QUALIFICATIONS,
        EXPERT_ALIASES,
        "手引に挙がっていない資格（例: 中小企業診断士）。判定（SK-E7）で専門家に当たらないと示されます。",
    )
}

/// 職場環境改善計画助成金（Aコース）の申請内容。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawShokuba {
    /// ストレスチェック実施後の集団分析を実施した。
    pub group_analysis_done: Option<bool>,
    /// 専門家の氏名（様式第2号）。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub expert_name: Option<String>,
    /// 専門家の資格: "sangyoui"（産業医）, "physician"（医師）, "public_health_nurse"（保健師）,
    /// "nurse"（看護師）, "psychiatric_social_worker"（精神保健福祉士）, "industrial_counselor"
    /// （産業カウンセラー）, "clinical_psychologist"（臨床心理士）, "other_psychologist"（その他の心理職:
    /// キャリアコンサルタント、シニア産業カウンセラー、公認心理師など。expert_qualification_note に名称）,
    /// "occupational_health_consultant"（労働衛生コンサルタント）, "sharoushi"（社会保険労務士）。
    #[schemars(schema_with = "expert_qualification_schema")]
    #[validate(custom(function = "expert_qualification_check"))]
    pub expert_qualification: Option<String>,
    /// other_psychologist の場合の資格名（例: "公認心理師"）。
    pub expert_qualification_note: Option<String>,
    /// 専門家との職場環境改善指導に係る契約の締結日。
    #[validate(custom(function = "valid_date"))]
    pub contract_date: Option<RawDate>,
    /// 専門家が集団分析結果だけでなく、管理監督者の日常の職場管理、労働者からの意見聴取、
    /// 職場巡視などで得た情報も勘案して評価・指導した（手引 I-2 ④）。
    pub evaluation_used_other_information: Option<bool>,
    /// 職場環境改善指導の実施状況（様式第2号 2）。
    #[serde(default)]
    #[validate(nested)]
    pub guidance: Vec<RawDatedRow>,
    /// 職場環境改善計画の作成日。
    #[validate(custom(function = "valid_date"))]
    pub plan_made_on: Option<RawDate>,
    /// 計画に基づく改善の実施状況（様式第1号 5）。
    #[serde(default)]
    #[validate(nested)]
    pub improvements: Vec<RawDatedRow>,
    /// 専門家が改善の実施を確認した日（様式第2号 3 の日付、専門家の署名・押印）。
    #[validate(custom(function = "valid_date"))]
    pub expert_confirmed_on: Option<RawDate>,
    /// 専門家（指導実施者）に支払った費用（税込、円）。
    #[validate(range(
        min = 0,
        max = 100000000,
        message = "金額は 0 以上の整数（円、税込）で書いてください。"
    ))]
    pub guidance_fee_yen: Option<i64>,
    /// 指導費用の領収書が他の事業場と合算されている。
    pub guidance_receipt_shared: Option<bool>,
    /// 購入した機器・設備（様式第1号 4）。
    #[serde(default)]
    #[validate(nested)]
    pub equipment: Vec<RawEquipment>,
}

/// 日付と内容の1行。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawDatedRow {
    /// 実施日。
    #[schemars(required)]
    #[validate(custom(function = "valid_date"))]
    pub date: Option<RawDate>,
    /// 内容。
    #[schemars(required)]
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    #[schemars(extend("x-multiline" = true))]
    pub content: Option<String>,
}

/// 機器・設備1品目。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawEquipment {
    /// 品名（例: "プリンター"）。
    #[schemars(required)]
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// 単価（税込、円）。
    #[schemars(required)]
    #[validate(range(
        min = 0,
        max = 100000000,
        message = "金額は 0 以上の整数（円、税込）で書いてください。"
    ))]
    pub unit_price_yen: Option<i64>,
    /// 数量。
    #[schemars(required)]
    #[validate(range(
        min = 1,
        max = 10000,
        message = "数量は 1 以上の整数で書いてください。"
    ))]
    pub quantity: Option<i64>,
    /// 購入日（領収書の日付）。
    #[validate(custom(function = "valid_date"))]
    pub purchased_on: Option<RawDate>,
    /// 職場環境改善計画に記載されている。
    pub in_plan: Option<bool>,
    /// 領収書が他の事業場と合算されている。
    pub receipt_shared: Option<bool>,
}

fn date_of(d: &Option<RawDate>) -> Option<chrono::NaiveDate> {
    d.as_ref().and_then(|d| parse_date(&d.0))
}

/// Presence of the fields without which one of its rows means nothing.
pub fn required_rows(s: &RawShokuba, problems: &mut Vec<Problem>) {
    let mut need = |present: bool, path: String, msg: &str| {
        if !present {
            problems.push(problem(&path, None, msg));
        }
    };
    for (name, rows) in [("guidance", &s.guidance), ("improvements", &s.improvements)] {
        for (i, r) in rows.iter().enumerate() {
            need(
                r.date.is_some(),
                format!("shokuba.{name}[{}].date", i + 1),
                "date（実施日）がありません。",
            );
            need(
                r.content.is_some(),
                format!("shokuba.{name}[{}].content", i + 1),
                "content（内容）がありません。",
            );
        }
    }
    for (i, e) in s.equipment.iter().enumerate() {
        let p = |f: &str| format!("shokuba.equipment[{}].{f}", i + 1);
        need(e.name.is_some(), p("name"), "name（品名）がありません。");
        need(
            e.unit_price_yen.is_some(),
            p("unit_price_yen"),
            "unit_price_yen（単価、税込の円）がありません。",
        );
        need(
            e.quantity.is_some(),
            p("quantity"),
            "quantity（数量）がありません。",
        );
    }
}

/// 用語の説明「専門家」: the claim file's qualification key, its Japanese name, or the
/// text the user wrote (a qualification the guide does not list; SK-E7 judges it).
fn expert_qualification(written: &str, note: Option<&String>) -> ExpertQualification {
    use ExpertQualification as Q;
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let key = checks::listed_key(written, EXPERT_QUALIFICATIONS, EXPERT_ALIASES);
    match key {
        Some("sangyoui") => Q::Sangyoui,
        Some("physician") => Q::Physician,
        Some("public_health_nurse") => Q::PublicHealthNurse,
        Some("nurse") => Q::Nurse,
        Some("psychiatric_social_worker") => Q::PsychiatricSocialWorker,
        Some("industrial_counselor") => Q::IndustrialCounselor,
        Some("clinical_psychologist") => Q::ClinicalPsychologist,
        Some("other_psychologist") => {
            let t = written.trim();
            let named = (t != "other_psychologist" && t != "その他の心理職").then(|| t.to_string());
            Q::OtherPsychologist(note.or(named))
        }
        Some("occupational_health_consultant") => Q::OccupationalHealthConsultant,
        Some("sharoushi") => Q::Sharoushi,
        _ => Q::NotListed(written.trim().to_string()),
    }
}

/// The typed facts of the section.
pub fn facts(s: &RawShokuba) -> ShokubaFacts {
    let rows = |rows: &[RawDatedRow]| -> Vec<DatedRow> {
        rows.iter()
            .filter_map(|r| {
                Some(DatedRow {
                    date: date_of(&r.date)?,
                    content: r.content.clone()?,
                })
            })
            .collect()
    };
    ShokubaFacts {
        group_analysis_done: s.group_analysis_done,
        expert_name: s.expert_name.clone(),
        expert_qualification: s
            .expert_qualification
            .as_deref()
            .map(|q| expert_qualification(q, s.expert_qualification_note.as_ref())),
        contract_date: date_of(&s.contract_date),
        evaluation_used_other_information: s.evaluation_used_other_information,
        guidance: rows(&s.guidance),
        plan_made_on: date_of(&s.plan_made_on),
        improvements: rows(&s.improvements),
        expert_confirmed_on: date_of(&s.expert_confirmed_on),
        guidance_fee_yen: s.guidance_fee_yen,
        guidance_receipt_shared: s.guidance_receipt_shared,
        equipment: s
            .equipment
            .iter()
            .filter_map(|e| {
                Some(Equipment {
                    name: e.name.clone()?,
                    unit_price_yen: e.unit_price_yen?,
                    quantity: e.quantity?,
                    purchased_on: date_of(&e.purchased_on),
                    in_plan: e.in_plan,
                    receipt_shared: e.receipt_shared,
                })
            })
            .collect(),
    }
}
