//! The lists a JOHAS claim file's fields are checked against (the keys and their Japanese
//! names), and their format checks. The generic checks (dates, kana, numbers) are
//! `crate::input::checks`.

use crate::input::checks::{fact_or_typo, one_of};
use validator::ValidationError;

pub const ENTITIES: &[(&str, &str)] = &[("corporation", "法人"), ("individual", "個人事業")];
pub const HOLDER_KINDS: &[(&str, &str)] = &[("corporation", "法人名義"), ("personal", "個人名義")];
pub const PROVIDER_KINDS: &[(&str, &str)] = &[
    ("physician", "産業医の要件を備えた医師"),
    ("nurse", "保健師"),
];
pub const PHYSICIAN_QUALIFICATIONS: &[(&str, &str)] = &[
    ("jma_certified", "日医認定産業医"),
    ("health_consultant", "労働衛生コンサルタント（保健衛生）"),
    ("other", "その他 労働安全衛生法第13条第2項の要件"),
];
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
pub const PREVIOUS_GRANTS: &[(&str, &str)] = &[
    (
        "sangyoui-chokusetsu",
        "産業医活動助成金（直接健康相談環境整備コース）",
    ),
    ("shokuba-kankyo-a", "職場環境改善計画助成金（Aコース）"),
    ("shokuba-kankyo-b", "職場環境改善計画助成金（Bコース）"),
];

pub fn entity(s: &str) -> Result<(), ValidationError> {
    one_of("entity", s, ENTITIES)
}
pub fn holder_kind(s: &str) -> Result<(), ValidationError> {
    one_of("holder_kind", s, HOLDER_KINDS)
}
pub fn provider_kind(s: &str) -> Result<(), ValidationError> {
    fact_or_typo("provider_kind", s, PROVIDER_KINDS, PROVIDER_ALIASES)
}
pub fn physician_qualification(s: &str) -> Result<(), ValidationError> {
    one_of("physician_qualification", s, PHYSICIAN_QUALIFICATIONS)
}
pub fn expert_qualification(s: &str) -> Result<(), ValidationError> {
    fact_or_typo(
        "expert_qualification",
        s,
        EXPERT_QUALIFICATIONS,
        EXPERT_ALIASES,
    )
}

/// Japanese names accepted for `sangyoui.provider_kind` → its key.
pub const PROVIDER_ALIASES: &[(&str, &str)] = &[
    ("医師", "physician"),
    ("産業医", "physician"),
    ("産業医の要件を備えた医師", "physician"),
    ("保健師", "nurse"),
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

pub fn previous_grant(s: &str) -> Result<(), ValidationError> {
    one_of("previous_grant", s, PREVIOUS_GRANTS)
}
