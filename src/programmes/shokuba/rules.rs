//! 職場環境改善計画助成金（Aコース） — rules SK-…. Each rule is one function named after its
//! RULES.md ID, beside the sentence of the guide it implements, and pushes exactly the
//! findings of that ID; where a number decides it, its what-if hint (`…_hint`: what would
//! make it pass) follows it. The SK-M rules on equipment items report what the items'
//! assessment found ([`super::amount`]: the exclusions). [`RULES`] lists them.

use super::amount::{assess_equipment, equipment_granted_before, ShokubaAmounts};
use super::facts::ShokubaFacts;
use super::params::ShokubaParams;
use crate::model::dates::wareki;
use crate::model::findings::{yen, Finding, Findings, Outcome};
use crate::programmes::johas::amounts::{EquipmentItem, ItemFindingKind};
use crate::programmes::johas::change::Change;
use crate::programmes::johas::common_rules as common;
use crate::programmes::johas::model::Claim;
use crate::programmes::johas::rules::{Ctx, Rule};
use crate::programmes::johas::whatif::{acceptance_over, field, fiscal_year, window_hint};
use chrono::NaiveDate;

type R = Rule<ShokubaFacts, ShokubaParams>;

/// Every rule of this grant, by RULES.md ID (an edition's `[[rules]]` may list only these).
pub const RULES: &[R] = &[
    rule("SK-E1", sk_e1, Some(sk_e1_hint)),
    rule("SK-E2", sk_e2, Some(sk_e2_hint)),
    rule("SK-E3", sk_e3, Some(sk_e3_hint)),
    rule("SK-E4", sk_e4, Some(sk_e4_hint)),
    rule("SK-E5", sk_e5, Some(sk_e5_hint)),
    rule("SK-E6", sk_e6, None),
    rule("SK-E7", sk_e7, Some(sk_e7_hint)),
    rule("SK-M1", sk_m1, None),
    rule("SK-M2", sk_m2, Some(sk_m2_hint)),
    rule("SK-M3", sk_m3, None),
    rule("SK-M4", sk_m4, None),
    rule("SK-M5", sk_m5, Some(sk_m5_hint)),
    rule("SK-M6", sk_m6, Some(sk_m6_hint)),
    rule("SK-M7", sk_m7, Some(sk_m7_hint)),
    rule("SK-P1", sk_p1, Some(sk_p1_hint)),
    rule("SK-W1", sk_w1, Some(sk_w1_hint)),
    rule("SK-W2", sk_w2, None),
    rule("SK-W3", sk_w3, Some(sk_w3_hint)),
    rule("SK-T10", sk_t10, Some(sk_t10_hint)),
];

type Judge = fn(&Ctx, &ShokubaFacts, &ShokubaParams, &mut Findings);
type Hint = fn(&Claim, &ShokubaFacts, &ShokubaParams, &Finding, NaiveDate) -> Vec<Change>;

const fn rule(id: &'static str, judge: Judge, hint: Option<Hint>) -> R {
    Rule { id, judge, hint }
}

/// The names of the items a rule excludes, each once, in file order (for its hint).
fn excluded_by<'a>(
    items: &'a [EquipmentItem],
    rule: &'a str,
) -> impl Iterator<Item = &'a EquipmentItem> {
    items
        .iter()
        .filter(move |a| a.excluded_by.iter().any(|r| r == rule))
}

/// Pushes a hint once.
fn push_once(out: &mut Vec<Change>, hint: Change) {
    if !out.contains(&hint) {
        out.push(hint);
    }
}

/// 労働保険の適用事業場であること (I-2 ①).
fn sk_e1(ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    common::insured("SK-E1", ctx.claim, out);
}

/// The establishment insured.
fn sk_e1_hint(
    c: &Claim,
    _s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    common::insured_hint(c)
}

/// I-2 ②: ストレスチェック実施後の集団分析を実施していること。
fn sk_e2(_ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    out.fact(
        "SK-E2",
        f.group_analysis_done,
        "ストレスチェック実施後の集団分析を実施しています。",
        "ストレスチェック実施後の集団分析を実施していないため対象外です。",
        "shokuba.group_analysis_done（集団分析を実施したか）",
    );
}

/// The group analysis done.
fn sk_e2_hint(
    _c: &Claim,
    s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    (s.group_analysis_done == Some(false))
        .then(|| Change::to("shokuba.group_analysis_done", true))
        .into_iter()
        .collect()
}

/// I-2 ③: 平成29年度以降、専門家と職場環境改善指導に係る契約を締結していること。
fn sk_e3(_ctx: &Ctx, f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    common::contract_since(
        "SK-E3",
        f.contract_date,
        p.contract_on_or_after.value,
        "shokuba.contract_date",
        "専門家との契約",
        out,
    );
}

/// The first contract date that would pass (the guide's boundary).
fn sk_e3_hint(
    _c: &Claim,
    s: &ShokubaFacts,
    p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let since = p.contract_on_or_after.value;
    if !s.contract_date.is_some_and(|x| x < since) {
        return Vec::new();
    }
    let key = "shokuba.contract_date";
    vec![Change::set(
        key,
        since,
        format!(
            "{}以降に締結した契約（{}）なら適合",
            fiscal_year(since),
            field(key)
        ),
    )]
}

/// I-2 ④: 集団分析結果だけではなく、…情報等も勘案して職場環境の評価を受け、改善すべき事項について指導を受けていること。
fn sk_e4(_ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    let fact = match f.evaluation_used_other_information {
        Some(true) if f.guidance.is_empty() => {
            return out.fail("SK-E4", "専門家の指導の実施状況（shokuba.guidance）がありません。指導の実施日と内容を書いてください（様式第2号 2）。");
        }
        other => other,
    };
    out.fact("SK-E4", fact, "専門家が集団分析結果以外の情報も勘案して評価し、改善すべき事項を指導しています。", "集団分析結果だけでなく、管理監督者の日常の職場管理・労働者からの意見聴取・職場巡視などの情報も勘案した専門家の評価と指導が必要です。", "shokuba.evaluation_used_other_information（集団分析以外の情報も勘案した評価・指導か）");
}

/// An evaluation that weighed more than the group analysis (its guidance written).
fn sk_e4_hint(
    c: &Claim,
    s: &ShokubaFacts,
    _p: &ShokubaParams,
    f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    match s.evaluation_used_other_information {
        Some(false) => vec![Change::to(
            "shokuba.evaluation_used_other_information",
            true,
        )],
        Some(true) if s.guidance.is_empty() => vec![Change::say(format!(
            "{}に指導の実施日と内容を書けば適合",
            field("shokuba.guidance")
        ))],
        _ => c
            .edition
            .rule(&f.rule)
            .and_then(|r| r.change.clone())
            .map(Change::say)
            .into_iter()
            .collect(),
    }
}

/// I-2 ⑤: 専門家の指導に基づき職場環境改善計画を作成し、当該計画に基づき職場環境の改善の全部又は一部を実施していること。
fn sk_e5(_ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
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

/// An improvement on or after the plan day (the first one moved, as the smallest change).
fn sk_e5_hint(
    _c: &Claim,
    s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    match s.plan_made_on {
        Some(plan)
            if !s.improvements.is_empty() && s.improvements.iter().all(|r| r.date < plan) =>
        {
            let key = "shokuba.improvements[0].date";
            vec![Change::set(
                key,
                plan,
                format!(
                    "{}が{}と同じ日かそれより後なら適合（計画に基づく改善が対象）",
                    field(key),
                    field("shokuba.plan_made_on")
                ),
            )]
        }
        _ => Vec::new(),
    }
}

/// I-2 ⑥: 専門家から、職場環境改善計画に基づき職場環境の改善が実施されたことの確認を受けていること。
fn sk_e6(_ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    match f.expert_confirmed_on {
        Some(d) => out.pass("SK-E6", format!("専門家が {} に改善の実施を確認しています（様式第2号に専門家の署名又は記名押印が必要です）。", wareki(d))),
        None => out.unknown("SK-E6", "shokuba.expert_confirmed_on（専門家が改善の実施を確認した日）が書かれていないため判定できません。"),
    }
}

/// 用語の説明「専門家」: 産業医、医師、保健師、看護師若しくは精神保健福祉士又は…心理職…のほか、労働衛生コンサルタント、社会保険労務士をいう。
fn sk_e7(_ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    use super::facts::ExpertQualification as Q;
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

/// An expert the guide lists.
fn sk_e7_hint(
    _c: &Claim,
    s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    use super::facts::ExpertQualification as Q;
    use super::section::EXPERT_QUALIFICATIONS;
    if !matches!(s.expert_qualification, Some(Q::NotListed(_))) {
        return Vec::new();
    }
    let key = "shokuba.expert_qualification";
    let names: Vec<&str> = EXPERT_QUALIFICATIONS.iter().map(|(_, n)| *n).collect();
    vec![Change::set(
        key,
        EXPERT_QUALIFICATIONS[0].0,
        format!(
            "{}が手引の「専門家」（{}）なら適合",
            field(key),
            names.join("、")
        ),
    )]
}

/// I-3, I-4: 指導費用及び機器・設備購入費用（税込）。
fn sk_m1(_ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    match f.guidance_fee_yen {
        None => out.unknown("SK-M1", "shokuba.guidance_fee_yen（専門家に支払った指導費用、税込）が書かれていないため判定できません。"),
        Some(fee) => {
            let equip: i64 = f.equipment.iter().map(|e| e.total_yen()).sum();
            out.pass("SK-M1", format!("助成対象の費用: 専門家の指導費用 {}円、機器・設備購入費用 {}円（いずれも税込）。", yen(fee), yen(equip)))
        }
    }
}

/// One item's line in a finding: 「プリンター」（21,600円 × 2）.
fn item_label(a: &EquipmentItem) -> String {
    format!(
        "「{}」（{}円 × {}）",
        a.name,
        yen(a.unit_price_yen),
        a.quantity
    )
}

/// The per-item findings of one SK-M rule: an excluded item is `excluded` (not claimed; the
/// claim stays eligible), a missing fact about an item that is not excluded anyway is
/// `unknown`, a note on a claimed item is a warning. Returns the items the rule has nothing
/// to say about (they pass it).
fn item_findings<'a>(
    rule: &str,
    items: &'a [EquipmentItem],
    out: &mut Findings,
) -> Vec<&'a EquipmentItem> {
    let mut clean = Vec::new();
    for a in items {
        let mut said = false;
        let excluded: Vec<&str> = a
            .of_rule(rule)
            .filter(|d| d.kind == ItemFindingKind::Excluded)
            .map(|d| d.text.as_str())
            .collect();
        if !excluded.is_empty() {
            said = true;
            out.item(
                rule,
                a.index,
                Outcome::Excluded,
                format!(
                    "{}: {}。この機器・設備は請求しません（助成金額に含めません。申請のほかの部分は対象のままです）。",
                    item_label(a),
                    excluded.join("。また、")
                ),
            );
        }
        for d in a.of_rule(rule) {
            match d.kind {
                ItemFindingKind::Excluded => {}
                ItemFindingKind::Unknown => {
                    said = true;
                    out.item(
                        rule,
                        a.index,
                        Outcome::Unknown,
                        format!(
                            "「{}」: {} が書かれていないため、対象になるか判定できません。",
                            a.name, d.text
                        ),
                    );
                }
                ItemFindingKind::Note { decided } => {
                    said = true;
                    let msg = format!("「{}」: {}。", a.name, d.text);
                    if decided {
                        out.decided(rule, Outcome::Warning, msg);
                    } else {
                        out.warn(rule, msg);
                    }
                    if let Some(f) = out.list.last_mut() {
                        f.item = Some(a.index);
                    }
                }
            }
        }
        if !said {
            clean.push(a);
        }
    }
    clean
}

/// 「「A」、「B」」 — the names of the items a pass finding is about.
fn names(items: &[&EquipmentItem]) -> String {
    items
        .iter()
        .map(|a| format!("「{}」", a.name))
        .collect::<Vec<_>>()
        .join("、")
}

/// Pushes the pass finding for the items a rule has nothing against (none if every item
/// has its own finding).
fn pass_items(
    rule: &str,
    all: &[EquipmentItem],
    clean: &[&EquipmentItem],
    what: &str,
    out: &mut Findings,
) {
    if all.is_empty() {
        out.pass(rule, "機器・設備の申請はありません。");
    } else if clean.len() == all.len() {
        out.pass(rule, format!("すべての機器・設備{what}"));
    } else if !clean.is_empty() {
        out.pass(rule, format!("{}{what}", names(clean)));
    }
}

/// I-4: 単価50,000円（税込）以内のもの。 An item over it is excluded entirely (not capped).
fn sk_m2(ctx: &Ctx, _f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    let clean = item_findings("SK-M2", ctx.equipment, out);
    let what = format!(
        "の単価が {}円（税込）以内です。",
        yen(p.equipment_unit_price_max_yen.value)
    );
    pass_items("SK-M2", ctx.equipment, &clean, &what, out);
}

/// Each item over the unit price: the price that would count.
fn sk_m2_hint(
    c: &Claim,
    _s: &ShokubaFacts,
    p: &ShokubaParams,
    f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let max = p.equipment_unit_price_max_yen.value;
    let mut out = Vec::new();
    for a in excluded_by(&assess_equipment(c), &f.rule) {
        let key = format!("shokuba.equipment[{}].unit_price_yen", a.index - 1);
        push_once(
            &mut out,
            Change::set(
                &key,
                max,
                format!(
                    "「{}」の単価（{}円）が{}円（税込）以下なら対象",
                    a.name,
                    yen(a.unit_price_yen),
                    yen(max)
                ),
            ),
        );
    }
    out
}

/// I-4: 機器・設備購入費は50,000円（税込）を上限とし… (the claimed items together).
fn sk_m3(ctx: &Ctx, _f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    let eligible: i64 = ctx
        .equipment
        .iter()
        .filter(|a| a.claimed)
        .map(|a| a.total_yen)
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
fn sk_m4(ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    let Some(a) = ctx.figures.get::<ShokubaAmounts>() else {
        return;
    };
    if a.sum > a.total {
        out.pass(
            "SK-M4",
            format!(
                "指導費用＋機器・設備 {}円 は上限を超えるため、助成金額は {}円 です。",
                yen(a.sum),
                yen(a.total)
            ),
        )
    } else {
        out.pass(
            "SK-M4",
            format!("助成金額は実費の {}円 です。", yen(a.total)),
        )
    }
}

/// 表紙: 将来にわたり1回限り助成する; I-3 ※: 機器・設備購入費用に対する助成は【Aコース】【Bコース】
/// 合わせて将来にわたり1回限り。 `claim.round` is the applicant's fact, judged here.
fn sk_m5(ctx: &Ctx, _f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
    let c = ctx.claim;
    let max = p.max_claims.value;
    let prior = c.prior_claims().count() as i64;
    let round = i64::from(c.round);
    if prior >= max {
        return out.fail("SK-M5", format!("この事業場は既に職場環境改善計画助成金（Aコース）を{prior}回申請しています。将来にわたり{max}回限りです。"));
    }
    if round > max {
        return out.fail("SK-M5", format!("今回は{round}回目の申請（claim.round = {round}）です。職場環境改善計画助成金（Aコース）は1事業場当たり将来にわたり{max}回限りのため、{round}回目は対象外です。"));
    }
    let clean = item_findings("SK-M5", ctx.equipment, out);
    if clean.len() == ctx.equipment.len() {
        let msg = if equipment_granted_before(c) == Some(true) {
            "この事業場の初めての申請です（機器・設備の申請はないため、過去の機器・設備の助成は影響しません）。"
        } else {
            "この事業場の初めての申請です。"
        };
        out.pass("SK-M5", msg);
    } else if !clean.is_empty() {
        out.pass(
            "SK-M5",
            format!(
                "この事業場の初めての申請です（{}は機器・設備の1回限りの規則に当たりません）。",
                names(&clean)
            ),
        );
    }
}

/// A first claim; items of an establishment not granted equipment before. None once the
/// establishment has claimed: the grant is paid once, ever.
fn sk_m5_hint(
    c: &Claim,
    _s: &ShokubaFacts,
    p: &ShokubaParams,
    f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let mut out = Vec::new();
    let max = p.max_claims.value;
    let prior = c.prior_claims().count() as i64;
    if prior >= max {
        out.push(Change::say(format!(
            "この助成金は1事業場当たり将来にわたり{max}回限りで、この事業場は既に申請しています。事実をどう変えても、この事業場はもう申請できません"
        )));
        return out;
    }
    if i64::from(c.round) > max {
        let key = "claim.round";
        out.push(Change::set(
            key,
            prior + 1,
            format!(
                "今回がこの事業場の初めての申請なら、{}が{}で適合（将来にわたり{max}回限り）",
                field(key),
                prior + 1
            ),
        ));
    }
    for a in excluded_by(&assess_equipment(c), &f.rule) {
        out.push(Change::say(format!(
            "「{}」は、機器・設備の助成をまだ受けていない事業場なら対象",
            a.name
        )));
    }
    out
}

/// 様式第3号 6, 7: 職場環境改善計画に記載され、計画作成後に購入した機器等. Decision: a purchase
/// on the plan day counts, with a warning (shown only on such a purchase).
fn sk_m6(ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    let clean = item_findings("SK-M6", ctx.equipment, out);
    pass_items(
        "SK-M6",
        ctx.equipment,
        &clean,
        "が計画に記載され、計画作成後に購入されています。",
        out,
    );
}

/// Each item not in the plan, or bought before it.
fn sk_m6_hint(
    c: &Claim,
    s: &ShokubaFacts,
    _p: &ShokubaParams,
    f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let mut out = Vec::new();
    for a in excluded_by(&assess_equipment(c), &f.rule) {
        let name = &a.name;
        let item = a.index.checked_sub(1).and_then(|i| s.equipment.get(i));
        let hint = if item.and_then(|x| x.in_plan) == Some(false) {
            format!("「{name}」が職場環境改善計画に記載されていれば対象")
        } else {
            format!(
                "「{name}」の購入日が{}より後なら対象",
                field("shokuba.plan_made_on")
            )
        };
        push_once(&mut out, Change::say(hint));
    }
    out
}

/// 様式第3号 5, 7: ※他の事業場と合算した領収書は不可となります。 The guidance fee's receipt
/// (a requirement: fails the claim) and each equipment item's (excludes that item).
fn sk_m7(ctx: &Ctx, f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    match f.guidance_receipt_shared {
        Some(true) => out.fail("SK-M7", "専門家の指導費用の領収書が他の事業場と合算されています。この事業場の分だけの領収書が必要です。"),
        Some(false) => out.pass("SK-M7", "専門家の指導費用の領収書はこの事業場単独のものです。"),
        None => out.unknown("SK-M7", "shokuba.guidance_receipt_shared（指導費用の領収書が他の事業場と合算されているか）が書かれていないため判定できません。"),
    }
    let clean = item_findings("SK-M7", ctx.equipment, out);
    if !ctx.equipment.is_empty() {
        pass_items(
            "SK-M7",
            ctx.equipment,
            &clean,
            "の領収書は他の事業場と合算されていません。",
            out,
        );
    }
}

/// Each item on a shared receipt, and the fee's receipt.
fn sk_m7_hint(
    c: &Claim,
    s: &ShokubaFacts,
    _p: &ShokubaParams,
    f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let mut out = Vec::new();
    // An item's finding is about its own receipt; the claim's, about the fee's.
    let items = assess_equipment(c);
    for a in excluded_by(&items, &f.rule).filter(|a| f.item == Some(a.index)) {
        push_once(
            &mut out,
            Change::set(
                &format!("shokuba.equipment[{}].receipt_shared", a.index - 1),
                false,
                format!(
                    "「{}」の領収書が他の事業場と合算されていなければ対象",
                    a.name
                ),
            ),
        );
    }
    if f.item.is_none() && s.guidance_receipt_shared == Some(true) {
        let key = "shokuba.guidance_receipt_shared";
        out.push(Change::set(
            key,
            false,
            format!(
                "{}が「いいえ」（この事業場の分だけの領収書）なら適合",
                field(key)
            ),
        ));
    }
    out
}

/// II-2 (2): 実施対象期間 平成30年4月1日から平成31年3月31日まで。
fn sk_p1(_ctx: &Ctx, f: &ShokubaFacts, p: &ShokubaParams, out: &mut Findings) {
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

/// An improvement inside the implementation period, made from today on: none once the
/// period has ended (an improvement cannot be made in the past).
fn sk_p1_hint(
    c: &Claim,
    s: &ShokubaFacts,
    p: &ShokubaParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let (from, to) = (p.implementation_from.value, p.implementation_to.value);
    if s.improvements.is_empty()
        || s.improvements
            .iter()
            .any(|r| from <= r.date && r.date <= to)
    {
        return Vec::new();
    }
    if let Some(over) = acceptance_over(c, today) {
        return vec![over];
    }
    if today > to {
        return vec![Change::say(format!(
            "実施対象期間は確認日（{}）には終わっているため、期間内に改善を実施することはできません。{}では申請できません",
            wareki(today),
            c.edition.edition_name
        ))];
    }
    let d = from.max(today);
    let key = "shokuba.improvements[0].date";
    vec![Change::set(
        key,
        d,
        format!(
            "改善を{}～{}に実施して、{}がその日なら適合",
            wareki(d),
            wareki(to),
            field(key)
        ),
    )]
}

/// 申請期間 (II-2 (3)).
fn sk_w1(ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    let c = ctx.claim;
    common::in_window("SK-W1", c, c.grant.window(c), "申請期間", false, out);
}

/// The application date inside the window while days of it are left; else that plainly.
fn sk_w1_hint(
    c: &Claim,
    _s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    window_hint(c, today).into_iter().collect()
}

/// 申請期間中でも受付を終了することがある (II-2 (3) ※).
fn sk_w2(_ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    common::may_close_early("SK-W2", out);
}

/// 事業場の代表者が申請 (II-2 (4)).
fn sk_w3(ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    common::representative("SK-W3", ctx.claim, out);
}

/// The representative applies.
fn sk_w3_hint(
    c: &Claim,
    _s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    common::representative_hint(c)
}

/// 振込先口座の名義 (II-2 (1); 様式第3号 10).
fn sk_t10(ctx: &Ctx, _f: &ShokubaFacts, _p: &ShokubaParams, out: &mut Findings) {
    common::bank_account("SK-T10", ctx.claim, out);
}

/// A corporation's account.
fn sk_t10_hint(
    _c: &Claim,
    _s: &ShokubaFacts,
    _p: &ShokubaParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    common::bank_account_hint()
}
