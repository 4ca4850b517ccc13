//! 職場環境改善計画助成金（Aコース） — rules SK-….

use super::common;
use crate::amounts::{assess_equipment, equipment_granted_before};
use crate::dates::wareki;
use crate::edition::ShokubaParams;
use crate::findings::{yen, Findings};
use crate::model::{Claim, ShokubaFacts};
use crate::windows;

pub fn evaluate(c: &Claim, f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    common::insured("SK-E1", c, out);
    sk_e2(f, out);
    sk_e3(f, p, out);
    sk_e4(f, out);
    sk_e5(f, out);
    sk_e6(f, out);
    sk_e7(f, out);
    sk_m1(f, out);
    sk_equipment(c, f, p, out); // SK-M2, SK-M3, SK-M6, SK-M7 (equipment)
    sk_m4(c, out);
    sk_m5(c, p, out);
    sk_m7_fee(f, out);
    sk_p1(f, p, out);
    common::in_window("SK-W1", c, windows::window(c), "申請期間", out);
    common::may_close_early("SK-W2", out);
    common::representative("SK-W3", c, out);
    common::bank_account("SK-T10", c, out);
}

/// I-2 ②: ストレスチェック実施後の集団分析を実施していること。
fn sk_e2(f: &ShokubaFacts, out: &mut Findings) {
    out.fact(
        "SK-E2",
        f.group_analysis_done,
        "ストレスチェック実施後の集団分析を実施しています。",
        "ストレスチェック実施後の集団分析を実施していないため対象外です。",
        "shokuba.group_analysis_done（集団分析を実施したか）",
    );
}

/// I-2 ③: 平成29年度以降、専門家と職場環境改善指導に係る契約を締結していること。
fn sk_e3(f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    common::contract_since(
        "SK-E3",
        f.contract_date,
        p.contract_on_or_after.value,
        "shokuba.contract_date",
        "専門家との契約",
        out,
    );
}

/// I-2 ④: 集団分析結果だけではなく、…情報等も勘案して職場環境の評価を受け、改善すべき事項について指導を受けていること。
fn sk_e4(f: &ShokubaFacts, out: &mut Findings) {
    let fact = match f.evaluation_used_other_information {
        Some(true) if f.guidance.is_empty() => {
            return out.fail("SK-E4", "専門家の指導の実施状況（shokuba.guidance）がありません。指導の実施日と内容を書いてください（様式第2号 2）。");
        }
        other => other,
    };
    out.fact("SK-E4", fact, "専門家が集団分析結果以外の情報も勘案して評価し、改善すべき事項を指導しています。", "集団分析結果だけでなく、管理監督者の日常の職場管理・労働者からの意見聴取・職場巡視などの情報も勘案した専門家の評価と指導が必要です。", "shokuba.evaluation_used_other_information（集団分析以外の情報も勘案した評価・指導か）");
}

/// I-2 ⑤: 専門家の指導に基づき職場環境改善計画を作成し、当該計画に基づき職場環境の改善の全部又は一部を実施していること。
fn sk_e5(f: &ShokubaFacts, out: &mut Findings) {
    let Some(plan) = f.plan_made_on else {
        return out.unknown(
            "SK-E5",
            "shokuba.plan_made_on（職場環境改善計画の作成日）が書かれていないため判定できません。",
        );
    };
    if f.improvements.is_empty() {
        return out.fail("SK-E5", "計画に基づく改善の実施状況（shokuba.improvements）がありません。実施日と改善実施内容を書いてください（様式第1号 5）。");
    }
    let after: Vec<_> = f.improvements.iter().filter(|r| r.date >= plan).collect();
    if after.is_empty() {
        out.fail("SK-E5", format!("改善の実施日がすべて計画作成日（{}）より前です。計画に基づいて実施した改善が対象です。", wareki(plan)))
    } else if after.len() < f.improvements.len() {
        out.warn("SK-E5", format!("計画作成日（{}）より前の改善が含まれています。計画に基づく改善だけを書いてください。", wareki(plan)))
    } else {
        out.pass(
            "SK-E5",
            format!(
                "{} に作成した計画に基づき、改善を{}件実施しています。",
                wareki(plan),
                f.improvements.len()
            ),
        )
    }
}

/// I-2 ⑥: 専門家から、職場環境改善計画に基づき職場環境の改善が実施されたことの確認を受けていること。
fn sk_e6(f: &ShokubaFacts, out: &mut Findings) {
    match f.expert_confirmed_on {
        Some(d) => out.pass("SK-E6", format!("専門家が {} に改善の実施を確認しています（様式第2号に専門家の署名又は記名押印が必要です）。", wareki(d))),
        None => out.unknown("SK-E6", "shokuba.expert_confirmed_on（専門家が改善の実施を確認した日）が書かれていないため判定できません。"),
    }
}

/// 用語の説明「専門家」: 産業医、医師、保健師、看護師若しくは精神保健福祉士又は…心理職…のほか、労働衛生コンサルタント、社会保険労務士をいう。
fn sk_e7(f: &ShokubaFacts, out: &mut Findings) {
    use crate::model::ExpertQualification as Q;
    match &f.expert_qualification {
        None => out.unknown(
            "SK-E7",
            "shokuba.expert_qualification（専門家の資格）が書かれていないため判定できません。",
        ),
        Some(Q::OtherPsychologist(Some(n))) => out.pass("SK-E7", format!("専門家は心理職（{n}）です。")),
        Some(Q::OtherPsychologist(None)) => out.unknown("SK-E7", "その他の心理職の場合は資格名（shokuba.expert_qualification_note、例: \"公認心理師\"）を書いてください。"),
        Some(Q::NotListed(q)) => out.fail("SK-E7", format!("「{q}」は手引の「専門家」（産業医、医師、保健師、看護師、精神保健福祉士、産業カウンセラー、臨床心理士等の心理職、労働衛生コンサルタント、社会保険労務士）に当たらないため対象外です。")),
        Some(q) => out.pass(
            "SK-E7",
            format!("専門家の資格は{}です。", q.label()),
        ),
    }
}

/// I-3, I-4: 指導費用及び機器・設備購入費用（税込）。
fn sk_m1(f: &ShokubaFacts, out: &mut Findings) {
    match f.guidance_fee_yen {
        None => out.unknown("SK-M1", "shokuba.guidance_fee_yen（専門家に支払った指導費用、税込）が書かれていないため判定できません。"),
        Some(fee) => {
            let equip: i64 = f.equipment.iter().map(|e| e.total_yen()).sum();
            out.pass("SK-M1", format!("助成対象の費用: 専門家の指導費用 {}円、機器・設備購入費用 {}円（いずれも税込）。", yen(fee), yen(equip)))
        }
    }
}

/// I-4: 機器・設備購入費は50,000円（税込）を上限とし、かつ、単価50,000円（税込）以内のもの (SK-M2, SK-M3);
/// 様式第3号 6, 7: 計画に記載・計画作成後に購入 (SK-M6); 合算した領収書は不可 (SK-M7).
fn sk_equipment(c: &Claim, f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    let items = assess_equipment(c, f, p);
    for rule in ["SK-M2", "SK-M6", "SK-M7"] {
        let mut any = false;
        for a in &items {
            let name = &a.item.name;
            for (r, why) in a.excluded.iter().filter(|(r, _)| *r == rule) {
                any = true;
                out.warn(
                    r,
                    format!(
                        "「{name}」（{}円 × {}）: {why}。",
                        yen(a.item.unit_price_yen),
                        a.item.quantity
                    ),
                );
            }
            for (r, what) in a.unknown.iter().filter(|(r, _)| *r == rule) {
                any = true;
                out.unknown(
                    r,
                    format!(
                        "「{name}」: {what} が書かれていないため、対象になるか判定できません。"
                    ),
                );
            }
            for (r, note) in a.notes.iter().filter(|(r, _)| *r == rule) {
                any = true;
                out.warn(r, format!("「{name}」: {note}。"));
            }
        }
        if !any {
            let msg = match (rule, items.is_empty()) {
                (_, true) => "機器・設備の申請はありません。".to_string(),
                ("SK-M2", _) => format!(
                    "すべての機器・設備の単価が {}円（税込）以内です。",
                    yen(p.equipment_unit_price_max_yen.value)
                ),
                ("SK-M6", _) => {
                    "すべての機器・設備が計画に記載され、計画作成後に購入されています。".to_string()
                }
                _ => "機器・設備の領収書は他の事業場と合算されていません。".to_string(),
            };
            out.pass(rule, msg);
        }
    }
    let eligible: i64 = items
        .iter()
        .filter(|a| a.counts())
        .map(|a| a.item.total_yen())
        .sum();
    let cap = p.equipment_cap_yen.value;
    if eligible > cap {
        out.warn(
            "SK-M3",
            format!(
                "対象となる機器・設備の合計 {}円 のうち、上限の {}円 までが助成対象です。",
                yen(eligible),
                yen(cap)
            ),
        );
    } else {
        out.pass(
            "SK-M3",
            format!(
                "対象となる機器・設備の合計 {}円 は上限 {}円 以内です。",
                yen(eligible),
                yen(cap)
            ),
        );
    }
}

/// I-4: 1事業場当たり100,000円が上限…1+2の計が10万円未満の場合、実費となります。
fn sk_m4(c: &Claim, out: &mut Findings) {
    let stages = crate::amounts::stages(c);
    match (stages.iter().rev().nth(1), stages.last()) {
        (Some(sum), Some(total)) if sum.yen > total.yen => out.pass(
            "SK-M4",
            format!(
                "指導費用＋機器・設備 {}円 は上限を超えるため、助成金額は {}円 です。",
                yen(sum.yen),
                yen(total.yen)
            ),
        ),
        (Some(_), Some(total)) => out.pass(
            "SK-M4",
            format!("助成金額は実費の {}円 です。", yen(total.yen)),
        ),
        _ => {}
    }
}

/// 表紙: 将来にわたり1回限り助成する; I-3 ※: 機器・設備購入費用に対する助成は【Aコース】【Bコース】合わせて将来にわたり1回限り。
fn sk_m5(c: &Claim, p: &ShokubaParams, out: &mut Findings) {
    let prior = c
        .previous
        .iter()
        .filter(|x| x.grant == c.grant.id())
        .count() as i64;
    if prior >= p.max_claims.value {
        return out.fail("SK-M5", format!("この事業場は既に職場環境改善計画助成金（Aコース）を{prior}回申請しています。将来にわたり{}回限りです。", p.max_claims.value));
    }
    let has_equipment = c.shokuba().is_some_and(|s| !s.equipment.is_empty());
    match (equipment_granted_before(c), has_equipment) {
        (Some(true), true) => out.warn("SK-M5", "機器・設備購入費用の助成を既に受けているため、今回の機器・設備は対象外です（Aコース・Bコース合わせて1回限り）。指導費用は対象です。"),
        (None, true) => out.unknown("SK-M5", "過去のBコースの申請で機器・設備の助成を受けたか（previous_claims の equipment_granted）が書かれていないため、機器・設備が対象か判定できません。"),
        _ => out.pass("SK-M5", "この事業場の初めての申請です。"),
    }
}

/// 様式第3号 5: ※他の事業場と合算した領収書は不可となります。(指導費用)
fn sk_m7_fee(f: &ShokubaFacts, out: &mut Findings) {
    match f.guidance_receipt_shared {
        Some(true) => out.fail("SK-M7", "専門家の指導費用の領収書が他の事業場と合算されています。この事業場の分だけの領収書が必要です。"),
        Some(false) => out.pass("SK-M7", "専門家の指導費用の領収書はこの事業場単独のものです。"),
        None => out.unknown("SK-M7", "shokuba.guidance_receipt_shared（指導費用の領収書が他の事業場と合算されているか）が書かれていないため判定できません。"),
    }
}

/// II-2 (2): 実施対象期間 平成30年4月1日から平成31年3月31日まで。
fn sk_p1(f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    let (lo, hi) = (p.implementation_from.value, p.implementation_to.value);
    if f.improvements.is_empty() {
        return out.unknown(
            "SK-P1",
            "改善の実施日（shokuba.improvements）が書かれていないため判定できません。",
        );
    }
    let inside = f
        .improvements
        .iter()
        .filter(|r| lo <= r.date && r.date <= hi)
        .count();
    let range = format!("{}～{}", wareki(lo), wareki(hi));
    if inside == 0 {
        out.fail(
            "SK-P1",
            format!("改善の実施日がすべて実施対象期間（{range}）の外です。"),
        )
    } else if inside < f.improvements.len() {
        out.warn(
            "SK-P1",
            format!(
                "実施対象期間（{range}）の外の改善が含まれています。期間内の改善だけが対象です。"
            ),
        )
    } else {
        out.pass(
            "SK-P1",
            format!("改善はすべて実施対象期間（{range}）内に実施されています。"),
        )
    }
}
