//! The claim file as written by the user (raw, serde): one establishment, one claim.
//!
//! TOML is the primary format; JSON is accepted by extension. These types are the claim
//! file's schema: `walk` checks keys and types against the JSON Schema derived from them
//! (`johas-claim schema`), field formats are checked here with `validator` (each message in
//! Japanese says how to fix it), cross-field checks and the conversion to the typed model
//! happen in `validate`. The schema's patterns and enums say what the validators say.

use crate::input::checks;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

/// 申請ファイル: 1つの事業場と1件の申請。
#[derive(Debug, Clone, Default, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields, title = "johas-claim 申請ファイル")]
pub struct ClaimFile {
    /// 申請の内容（助成金・版・申請日・回数）。
    #[schemars(required)]
    #[validate(nested)]
    pub claim: Option<RawClaim>,
    /// 事業場（様式第1号【請求者】欄）。
    #[schemars(required)]
    #[validate(nested)]
    pub establishment: Option<RawEstablishment>,
    /// 労働保険の状況。
    #[validate(nested)]
    pub labour_insurance: Option<RawLabourInsurance>,
    /// 振込先口座（チェックリストで使います）。
    #[validate(nested)]
    pub bank: Option<RawBank>,
    /// 様式第2号 支給要件確認申立書（産業医活動助成金のみ）。true =「はい」、false =「いいえ」。
    #[validate(nested)]
    pub declarations: Option<RawDeclarations>,
    // Each grant's section (`[<section>]`): its part of the schema here, read by the grant
    // ([`super::grant::Grant::read_section`]).
    #[serde(flatten)]
    pub sections: Sections,
    /// この事業場の過去の申請（2回限り・1回限りの判定に使います）。
    #[serde(default)]
    #[validate(nested)]
    pub previous_claims: Vec<RawPreviousClaim>,
    /// 添付書類の準備状況（用意できたものを true）。
    #[serde(default)]
    pub attachments: RawAttachments,
}

/// The sections of a claim file a book client's profile (client.toml) holds: the
/// applicant's facts, written once for all its claims.
pub const PROFILE_SECTIONS: [&str; 3] = ["establishment", "labour_insurance", "bank"];

/// The grants' sections of the claim file: in the schema, each grant's part in the
/// registry's order ([`super::grant::Grant::section_schema`]); when read, nothing (each grant
/// reads its own, [`super::grant::Grant::read_section`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sections;

impl JsonSchema for Sections {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Sections".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut properties = serde_json::Map::new();
        for g in super::grant::grants() {
            let part = g.section_schema(generator);
            if let Some(p) = part.get("properties").and_then(|p| p.as_object()) {
                properties.extend(p.clone());
            }
        }
        schemars::json_schema!({ "type": "object", "properties": properties })
    }
}

impl<'de> Deserialize<'de> for Sections {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Skip;
        impl<'de> serde::de::Visitor<'de> for Skip {
            type Value = Sections;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the grants' sections")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Sections, A::Error> {
                while m
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Sections)
            }
        }
        d.deserialize_map(Skip)
    }
}

/// `claim.grant`: one of the grants' ids, each said with its name.
fn grant_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let grants: Vec<_> = super::grant::grants().collect();
    let named: Vec<String> = grants
        .iter()
        .map(|g| format!("\"{}\"（{}）", g.id(), g.schema_name()))
        .collect();
    let mut ids: Vec<serde_json::Value> = grants.iter().map(|g| g.id().into()).collect();
    ids.push(serde_json::Value::Null);
    schemars::json_schema!({
        "description": format!("助成金: {}。", named.join("\nまたは ")),
        "type": "string",
        "enum": ids,
        "x-choice": true
    })
}

/// `previous_claims[].grant`: an id a grant's history counts.
fn previous_grant_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let ids: Vec<&str> = super::checks::previous_grants()
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    let mut listed: Vec<serde_json::Value> = ids.iter().map(|id| (*id).into()).collect();
    listed.push(serde_json::Value::Null);
    schemars::json_schema!({
        "description": format!("助成金: {}。", quoted.join(", ")),
        "type": "string",
        "enum": listed,
        "x-choice": true
    })
}

/// `claim.round`: how many claims each grant pays, and the rules that judge it.
fn round_text(schema: &mut schemars::Schema) {
    let (limits, rules): (Vec<&str>, Vec<&str>) =
        super::grant::grants().map(|g| g.round_limit()).unzip();
    schema.insert(
        "description".into(),
        format!(
            "今回の申請の回数（1 以上）。{}で、\nそれを超える回数は判定（{}）で不適合になります。",
            limits.join("、"),
            rules.join(" / ")
        )
        .into(),
    );
}

/// The claim file's JSON Schema (from these types), resolved once per process for the
/// input boundary's field walk.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        crate::input::walk::resolve_schema(
            serde_json::to_value(schemars::schema_for!(ClaimFile)).unwrap_or_default(),
        )
    })
}

/// A [`RawDate`] is a date (the claim file's format check of every date).
pub fn valid_date(d: &RawDate) -> Result<(), validator::ValidationError> {
    checks::date(&d.0)
}

/// A date written either as a TOML date (`2020-10-10`) or a string (`"2020-10-10"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RawDate(pub String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(String),
            Toml(toml::value::Datetime),
        }
        match Either::deserialize(d) {
            Ok(Either::Text(s)) => Ok(RawDate(s)),
            Ok(Either::Toml(dt)) => Ok(RawDate(dt.to_string())),
            Err(_) => Err(serde::de::Error::custom(
                "日付は 2020-10-10 の形（年-月-日）で書いてください",
            )),
        }
    }
}

impl JsonSchema for RawDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string", "format": "date", "pattern": checks::DATE_PATTERN,
            "description": "日付（西暦 YYYY-MM-DD、1900-01-01～2099-12-31）。TOML では引用符なしの日付も使えます。和暦（令和2年10月10日、R2.10.10）や 2020/10/10 も読み、西暦に直したことをお知らせします。"
        })
    }
}

/// The schema of a value that is a listed key, its Japanese name, or any other text the
/// rule judges (e.g. a qualification the guide does not list).
pub fn listed_or_text(
    description: &str,
    keys: &[(&str, &str)],
    names: &[(&str, &str)],
    other: &str,
) -> schemars::Schema {
    let key_list: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
    let key_desc: Vec<String> = keys.iter().map(|(k, ja)| format!("{k}: {ja}")).collect();
    let name_list: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    schemars::json_schema!({
        "description": description,
        "anyOf": [
            { "type": "string", "enum": key_list, "description": key_desc.join("、") },
            { "type": "string", "enum": name_list, "description": "日本語の名称でも書けます。" },
            { "type": "string", "description": other },
            { "type": "null" }
        ]
    })
}

/// 申請の内容。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawClaim {
    // 助成金: the grants' ids, each with its name ([`grant_schema`]).
    #[schemars(required)]
    #[schemars(schema_with = "grant_schema")]
    pub grant: Option<String>,
    /// 版: "R2"（令和2年度版）、"H30"（平成30年度版）。省略すると申請日から選びます。
    #[schemars(extend("x-choice" = true))]
    pub edition: Option<String>,
    /// 申請日（様式第1号「申請日」）。
    #[schemars(required)]
    #[validate(custom(function = "valid_date"))]
    pub application_date: Option<RawDate>,
    /// 今回の申請の回数（1 以上）。
    // The schema's text goes on with each grant's limit ([`round_text`]).
    #[schemars(transform = round_text)]
    #[validate(range(
        min = 1,
        max = 4294967295i64,
        message = "round（今回の申請の回数）は 1 以上の整数で書いてください（初めての申請なら 1）。"
    ))]
    pub round: Option<i64>,
    /// 事業場の代表者が申請するか（手引 II-2 (4)）。
    pub applied_by_representative: Option<bool>,
}

/// 事業場（様式第1号【請求者】）。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawEstablishment {
    /// 名称（例: "(株)ろうあん"）。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// 名称のフリガナ（全角カタカナ）。
    #[schemars(extend("pattern" = checks::KANA_PATTERN))]
    #[validate(custom(function = "checks::katakana"))]
    #[schemars(extend("x-lenient" = "kana"))]
    pub name_kana: Option<String>,
    /// 郵便番号（NNN-NNNN）。
    #[schemars(extend("pattern" = checks::POSTAL_PATTERN))]
    #[validate(custom(function = "checks::postal_code"))]
    #[schemars(extend("x-lenient" = "postal_code"))]
    pub postal_code: Option<String>,
    /// 所在地。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub address: Option<String>,
    /// 常時使用する労働者数（派遣労働者を含む、申請時点）。
    #[validate(range(
        min = 1,
        max = 1000000,
        message = "労働者数（常時使用する労働者数、派遣労働者を含む）は 1 以上の整数で書いてください。"
    ))]
    pub workers: Option<i64>,
    /// うち派遣労働者数。
    #[validate(range(
        min = 0,
        max = 1000000,
        message = "派遣労働者数は 0 以上の整数で書いてください。"
    ))]
    pub dispatched_workers: Option<i64>,
    /// "corporation"（法人）または "individual"（個人事業）。
    #[schemars(extend("enum" = ["corporation", "individual", null]))]
    #[validate(custom(function = "super::checks::entity"))]
    #[schemars(extend("x-choice" = true))]
    pub entity: Option<String>,
    /// 法人番号（13桁）。
    #[schemars(extend("pattern" = checks::CORPORATE_NUMBER_PATTERN))]
    #[validate(custom(function = "checks::corporate_number"))]
    #[schemars(extend("x-lenient" = "digits"))]
    pub corporate_number: Option<String>,
    /// 労働保険番号（14桁、ハイフン可）。
    #[schemars(extend("pattern" = checks::LABOUR_NUMBER_PATTERN))]
    #[validate(custom(function = "checks::labour_insurance_number"))]
    #[schemars(extend("x-lenient" = "digits"))]
    pub labour_insurance_number: Option<String>,
    /// 代表者。
    #[validate(nested)]
    pub representative: Option<RawRepresentative>,
    /// 担当者（問い合わせ先）。
    #[validate(nested)]
    pub contact: Option<RawContact>,
}

/// 代表者。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawRepresentative {
    /// 役職（例: "代表取締役"）。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub title: Option<String>,
    /// 氏名。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// 氏名のフリガナ（全角カタカナ）。
    #[schemars(extend("pattern" = checks::KANA_PATTERN))]
    #[validate(custom(function = "checks::katakana"))]
    #[schemars(extend("x-lenient" = "kana"))]
    pub name_kana: Option<String>,
}

/// 担当者（問い合わせ先）。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawContact {
    /// 所属（例: "総務課"）。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub department: Option<String>,
    /// 氏名。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// 氏名のフリガナ（全角カタカナ）。
    #[schemars(extend("pattern" = checks::KANA_PATTERN))]
    #[validate(custom(function = "checks::katakana"))]
    #[schemars(extend("x-lenient" = "kana"))]
    pub name_kana: Option<String>,
    /// 電話番号（数字とハイフン）。
    #[schemars(extend("pattern" = checks::PHONE_PATTERN))]
    #[validate(custom(function = "checks::phone"))]
    #[schemars(extend("x-lenient" = "digits"))]
    pub phone: Option<String>,
    /// FAX番号（数字とハイフン）。ない場合は省略。
    #[schemars(extend("pattern" = checks::PHONE_PATTERN))]
    #[validate(custom(function = "checks::phone"))]
    #[schemars(extend("x-lenient" = "digits"))]
    pub fax: Option<String>,
}

/// 労働保険の状況。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawLabourInsurance {
    /// 労働保険の適用事業場である。
    pub covered: Option<bool>,
    /// 労働保険の申告・納付を労働保険事務組合に委託している。
    pub delegated_to_association: Option<bool>,
    /// 本社等が労働保険料を一括納付している。
    pub bulk_payment_by_head_office: Option<bool>,
    /// 一括納付している本社等（労働保険料一括納付に係る証明書）。
    #[validate(nested)]
    pub head_office: Option<RawHeadOffice>,
}

/// 一括納付している本社等。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawHeadOffice {
    /// 本社等の事業場名。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// 本社等の代表者の役職。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub representative_title: Option<String>,
    /// 本社等の代表者の氏名。
    #[schemars(extend("pattern" = checks::NOT_BLANK_PATTERN))]
    #[validate(custom(function = "checks::not_blank"))]
    pub representative_name: Option<String>,
}

/// 振込先口座。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawBank {
    /// 口座名義の種類: "corporation"（法人名義）または "personal"（個人名義）。
    #[schemars(extend("enum" = ["corporation", "personal", null]))]
    #[validate(custom(function = "super::checks::holder_kind"))]
    #[schemars(extend("x-choice" = true))]
    pub holder_kind: Option<String>,
    /// 金融機関名。
    pub bank_name: Option<String>,
    /// 支店名。
    pub branch_name: Option<String>,
    /// 口座名義のフリガナ（通帳のとおり、全角カタカナ。例: "カ）ローワン"）。
    #[schemars(extend("pattern" = checks::ACCOUNT_KANA_PATTERN))]
    #[validate(custom(function = "checks::account_kana"))]
    #[schemars(extend("x-lenient" = "account_kana"))]
    pub holder_kana: Option<String>,
}

/// 様式第2号 支給要件確認申立書。true =「はい」、false =「いいえ」。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
#[schemars(extend("x-labels" = {"what": "様式第2号の番号", "keys": {"1": "premium_arrears", "2": "fraud_suspension", "3": "organized_crime", "4": "subversive_group", "5": "bankrupt", "6": "labour_law_violation", "7": "consent_to_publication"}}))]
pub struct RawDeclarations {
    /// 1 前年度より前の労働保険料の滞納が継続している。
    pub premium_arrears: Option<bool>,
    /// 2 産業保健関係助成金の不正受給により不支給措置がとられている。
    pub fraud_suspension: Option<bool>,
    /// 3 暴力団関係事業場である。
    pub organized_crime: Option<bool>,
    /// 4 破壊活動防止法の暴力主義的破壊活動を行った（行うおそれがある）団体等に属している者がいる。
    pub subversive_group: Option<bool>,
    /// 5 倒産している。
    pub bankrupt: Option<bool>,
    /// 6 過去1年間に労働関係法令違反をしている。
    pub labour_law_violation: Option<bool>,
    /// 6 が「はい」の場合、その内容。
    #[schemars(extend("x-multiline" = true))]
    pub labour_law_violation_detail: Option<String>,
    /// 7 不正受給で支給決定を取り消された場合に事業者名等が公表されることに同意する。
    pub consent_to_publication: Option<bool>,
}

/// 過去の申請。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, Validate)]
#[schemars(deny_unknown_fields)]
pub struct RawPreviousClaim {
    // 助成金: the ids the grants' histories count ([`previous_grant_schema`]).
    #[schemars(required)]
    #[schemars(schema_with = "previous_grant_schema")]
    #[validate(custom(function = "super::checks::previous_grant"))]
    pub grant: Option<String>,
    /// 回数（1 以上）。
    #[validate(range(
        min = 1,
        max = 4294967295i64,
        message = "round（申請回数）は 1 以上の整数で書いてください。"
    ))]
    pub round: Option<i64>,
    /// 対象期間の初月（YYYY-MM、産業医活動助成金）。
    #[schemars(extend("pattern" = checks::YEAR_MONTH_PATTERN))]
    #[validate(custom(function = "checks::year_month"))]
    #[schemars(extend("x-lenient" = "year_month"))]
    pub period_from: Option<String>,
    /// 対象期間の最終月（YYYY-MM、産業医活動助成金）。
    #[schemars(extend("pattern" = checks::YEAR_MONTH_PATTERN))]
    #[validate(custom(function = "checks::year_month"))]
    #[schemars(extend("x-lenient" = "year_month"))]
    pub period_to: Option<String>,
    /// 申請日。
    #[validate(custom(function = "valid_date"))]
    pub applied_on: Option<RawDate>,
    /// 機器・設備購入費用の助成を受けた（職場環境改善計画助成金）。
    pub equipment_granted: Option<bool>,
}

/// 添付書類の準備状況。用意できたものを true にします。
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawAttachments {
    /// 契約書の写し（SC-T2 / SK-T2）。
    pub contract_copy: Option<bool>,
    /// 資格を証明する書類の写し（SC-T3 / SK-T4）。
    pub qualification_proof: Option<bool>,
    /// 医師免許証の写し（労働衛生コンサルタントの場合、SC-T3）。
    pub medical_license: Option<bool>,
    /// 労働保険概算・確定保険料申告書の写し（SC-T4 / SK-T9）。
    pub insurance_declaration: Option<bool>,
    /// 労働保険料算定基礎賃金等の報告の写し（事務組合委託の場合）。
    pub association_wage_report: Option<bool>,
    /// 事務組合の印がある納入通知書の写し（事務組合委託の場合）。
    pub association_payment_notice: Option<bool>,
    /// 振込先の通帳の写し（SC-T5 / SK-T10）。
    pub bank_passbook: Option<bool>,
    /// 返信用封筒（切手貼付）（SC-T9 / SK-T12）。
    pub return_envelope: Option<bool>,
    /// 専門家へ支払った費用の領収書の写し（SK-T5）。
    pub expert_fee_receipt: Option<bool>,
    /// 職場環境改善計画の写し（SK-T6）。
    pub improvement_plan: Option<bool>,
    /// 機器・設備の領収書の写し（SK-T7）。
    pub equipment_receipts: Option<bool>,
    /// 機器・設備の写真（SK-T8）。
    pub equipment_photos: Option<bool>,
}
