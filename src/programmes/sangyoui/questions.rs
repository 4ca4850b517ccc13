//! The questions `new` asks for a 産業医活動 claim's own section, in the order of its forms;
//! the common sections' are the house's (`johas::questions`).

use super::section::{PHYSICIAN_QUALIFICATIONS, PROVIDER_KINDS};
use crate::programmes::johas::questions::{get, is, q, when, yes, Kind, Step};

/// 「契約に期間の定めがありますか」: the answers as shown, and `contract_open_ended`.
pub const OPEN_ENDED: &[(bool, &str)] = &[
    (false, "ある（契約期間の末日がある）"),
    (true, "ない（自動更新など、期間の定めがない）"),
];

/// The questions of `[sangyoui]`, in the order of 様式第1号 1・2 and the contract.
pub fn questions() -> Vec<Step> {
    use Kind::*;
    use Step::*;
    let physician: fn(&toml::Table) -> bool = |t| is(t, "sangyoui.provider_kind", "physician");
    vec![
        Table("sangyoui", "産業医活動（様式第1号 1・2、契約）"),
        Ask(q(
            "sangyoui.provider_kind",
            "契約の相手は産業医の要件を備えた医師ですか、保健師ですか",
            Choice(PROVIDER_KINDS),
        )),
        Ask(q("sangyoui.provider_name", "産業医（保健師）の氏名", Text)),
        Ask(when(
            q(
                "sangyoui.physician_qualification",
                "産業医の要件を証明する資格",
                Choice(PHYSICIAN_QUALIFICATIONS),
            ),
            physician,
        )),
        Ask(q(
            "sangyoui.provider_is_external",
            "産業医（保健師）は自社の使用者・労働者以外の者ですか",
            Bool,
        )),
        Ask(q(
            "sangyoui.contract_with_corporation",
            "契約の相手は法人（病院・健診機関など）ですか",
            Bool,
        )),
        Ask(q("sangyoui.contract_date", "契約の締結日", Date)),
        Ask(q("sangyoui.contract_start", "契約期間の初日", Date)),
        // Asked positively, and before the end date: 「ない」 is its own answer, never an
        // empty end date; 「わからない」 is a third.
        Ask(when(
            q(
                "sangyoui.contract_open_ended",
                "契約に期間の定め（契約期間の末日）がありますか",
                Flag(OPEN_ENDED),
            ),
            |t| get(t, "sangyoui.contract_end").is_none(),
        )),
        Ask(when(
            q("sangyoui.contract_end", "契約期間の末日", Date),
            |t| !yes(t, "sangyoui.contract_open_ended"),
        )),
        Ask(q(
            "sangyoui.contract_has_consultation_clause",
            "契約に、労働者が直接健康相談できる環境を整備する条項がありますか",
            Bool,
        )),
        Ask(q(
            "sangyoui.mechanism_set_up_on",
            "直接健康相談できる仕組みの実施日（様式第1号 1）",
            Date,
        )),
        Ask(q(
            "sangyoui.mechanism",
            "直接健康相談できる仕組み（具体的な内容）",
            Text,
        )),
        Ask(q(
            "sangyoui.notice_started_on",
            "労働者への周知開始日（様式第1号 2）",
            Date,
        )),
        Ask(q("sangyoui.notice_department", "周知の担当者の所属", Text)),
        Ask(q("sangyoui.notice_name", "周知の担当者の氏名", Text)),
        Ask(q("sangyoui.notice_method", "周知方法", Text)),
        Ask(q(
            "sangyoui.period_from",
            "助成の対象となる6か月の初月（例: 2019-11）",
            YearMonth,
        )),
        Ask(q(
            "sangyoui.period_to",
            "助成の対象となる6か月の最終月（例: 2020-04）",
            YearMonth,
        )),
        Table(
            "sangyoui.contract_states",
            "契約書の記載事項（様式第3号 2 a～e）",
        ),
        Ask(q(
            "sangyoui.contract_states.content_and_period",
            "契約書に a 活動の内容と契約期間 が書かれていますか",
            Bool,
        )),
        Ask(q(
            "sangyoui.contract_states.cost",
            "b 活動に要する費用 が書かれていますか",
            Bool,
        )),
        Ask(when(
            q(
                "sangyoui.contract_states.practitioner_name",
                "c 産業医（保健師）とした勤務医（勤務保健師）の氏名 が書かれていますか",
                Bool,
            ),
            |t| {
                get(t, "sangyoui.contract_with_corporation").and_then(|v| v.as_bool())
                    != Some(false)
            },
        )),
        Ask(q(
            "sangyoui.contract_states.consultation_mechanism",
            "d 労働者が直接健康相談ができる仕組み が書かれていますか",
            Bool,
        )),
        Ask(q(
            "sangyoui.contract_states.establishment_name",
            "e 申請事業場名称 が書かれていますか",
            Bool,
        )),
    ]
}

/// The template's example for a key of this grant: the guide's 記載例 of (株)ろうあん
/// (R2 様式第1号) where it gives one, values like those of `examples/*.toml` otherwise. Every
/// example is accepted by `check` (tests/integration/text.rs).
pub fn example_value(key: &str) -> Option<&'static str> {
    Some(match key {
        "claim.application_date" => "2020-10-10",
        "sangyoui.provider_name" => "\"健康 太郎\"",
        "sangyoui.contract_date" => "2019-10-15",
        "sangyoui.contract_start" => "2019-11-01",
        "sangyoui.contract_end" => "2021-10-31",
        "sangyoui.mechanism_set_up_on" => "2020-04-02",
        "sangyoui.mechanism" => "\"産業医来所日（毎月第2木曜日 13:00～15:00）に、労働者が直接健康相談できる窓口を開設した。\"",
        "sangyoui.notice_started_on" => "2020-04-19",
        "sangyoui.notice_department" => "\"総務課\"",
        "sangyoui.notice_name" => "\"川崎 花子\"",
        "sangyoui.notice_method" => "\"施設内の掲示板と社内ポータルサイトに掲示し、社内報で職員に配布した。\"",
        "sangyoui.period_from" => "\"2019-11\"",
        "sangyoui.period_to" => "\"2020-04\"",
        _ => return None,
    })
}
