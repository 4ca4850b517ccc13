//! The questions `new` asks for a 職場環境改善 claim's own section, in the order of its
//! forms; the common sections' are the house's (`johas::questions`).

use super::section::EXPERT_QUALIFICATIONS;
use crate::programmes::johas::questions::{is, q, req, when, Kind, Step};

/// The questions of `[shokuba]`, in the order of 様式第1号 and 様式第2号.
pub fn questions() -> Vec<Step> {
    use Kind::*;
    use Step::*;
    vec![
        Table("shokuba", "職場環境改善（様式第1号・様式第2号）"),
        Ask(q("shokuba.group_analysis_done", "ストレスチェック実施後の集団分析を実施しましたか", Bool)),
        Ask(q("shokuba.expert_name", "専門家の氏名", Text)),
        Ask(q(
            "shokuba.expert_qualification",
            "専門家の資格",
            Choice(EXPERT_QUALIFICATIONS),
        )),
        Ask(when(
            q("shokuba.expert_qualification_note", "心理職の資格名（例: 公認心理師）", Text),
            |t| is(t, "shokuba.expert_qualification", "other_psychologist"),
        )),
        Ask(q("shokuba.contract_date", "専門家との契約の締結日", Date)),
        Ask(q(
            "shokuba.evaluation_used_other_information",
            "専門家は集団分析結果のほか、管理監督者・労働者・職場巡視などの情報も勘案して評価・指導しましたか",
            Bool,
        )),
        Ask(q("shokuba.plan_made_on", "職場環境改善計画の作成日", Date)),
        Ask(q("shokuba.expert_confirmed_on", "専門家が改善の実施を確認した日（様式第2号 3）", Date)),
        Ask(q("shokuba.guidance_fee_yen", "専門家に支払った指導費用（円、税込）", Yen)),
        Ask(q("shokuba.guidance_receipt_shared", "指導費用の領収書は他の事業場と合算されていますか", Bool)),
        List {
            key: "shokuba.guidance",
            label: "専門家の指導（様式第2号 2: 実施日と指導内容）",
            fields: vec![req(q("date", "指導の実施日", Date)), req(q("content", "指導内容", Text))],
            when: None,
        },
        List {
            key: "shokuba.improvements",
            label: "計画に基づく改善の実施（様式第1号 5: 実施日と内容）",
            fields: vec![req(q("date", "改善の実施日", Date)), req(q("content", "改善実施内容", Text))],
            when: None,
        },
        List {
            key: "shokuba.equipment",
            label: "購入した機器・設備（様式第1号 4）",
            fields: vec![
                req(q("name", "品名", Text)),
                req(q("unit_price_yen", "単価（円、税込）", Yen)),
                req(q("quantity", "数量", Quantity)),
                q("purchased_on", "購入日", Date),
                q("in_plan", "職場環境改善計画に記載されていますか", Bool),
                q("receipt_shared", "領収書は他の事業場と合算されていますか", Bool),
            ],
            when: None,
        },
    ]
}

/// The template's example for a key of this grant: the guide's 記載例 of (株)ろうあん
/// (H30 様式第1号・第2号) where it gives one, values like those of `examples/*.toml` otherwise. Every
/// example is accepted by `check` (tests/integration/text.rs).
pub fn example_value(key: &str) -> Option<&'static str> {
    Some(match key {
        "claim.application_date" => "2019-02-09",
        "shokuba.expert_name" => "\"健康 五郎\"",
        "shokuba.expert_qualification_note" => "\"公認心理師\"",
        "shokuba.contract_date" => "2018-09-20",
        "shokuba.plan_made_on" => "2019-01-29",
        "shokuba.expert_confirmed_on" => "2019-01-29",
        "shokuba.guidance_fee_yen" => "86400",
        "shokuba.guidance.date" => "2018-10-02",
        "shokuba.guidance.content" => {
            "\"ストレスチェックにおける集団分析結果について、管理監督者と意見交換\""
        }
        "shokuba.improvements.date" => "2019-02-01",
        "shokuba.improvements.content" => "\"プリンター2台を設置した。\"",
        "shokuba.equipment.name" => "\"プリンター\"",
        "shokuba.equipment.unit_price_yen" => "21600",
        "shokuba.equipment.quantity" => "2",
        "shokuba.equipment.purchased_on" => "2019-01-31",
        _ => return None,
    })
}
