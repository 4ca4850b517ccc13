//! 小規模事業場産業医活動助成金（直接健康相談環境整備コース） — rules SC-…. Each rule is one
//! function named after its RULES.md ID, beside the sentence of the guide it implements,
//! and pushes exactly the findings of that ID; where a number decides it, its what-if hint
//! (`…_hint`: what would make it pass) follows it. [`RULES`] lists them.

use super::facts::{PhysicianQualification, ProviderKind, SangyouiFacts};
use super::params::SangyouiParams;
use crate::model::dates::{wareki, wareki_month};
use crate::model::findings::{yen, Finding, Findings, Outcome};
use crate::programmes::johas::model::{Claim, Declarations};
use crate::programmes::johas::rules::{common, Ctx, Rule};
use crate::programmes::johas::whatif::window_hint;
use crate::programmes::johas::windows;

type R = Rule<SangyouiFacts, SangyouiParams>;

/// Every rule of this grant, by RULES.md ID (an edition's `[[rules]]` may list only these).
pub const RULES: &[R] = &[
    rule("SC-E1", sc_e1, Some(sc_e1_hint)),
    rule("SC-E2", sc_e2, None),
    rule("SC-A1", sc_a1, None),
    rule("SC-A2", sc_a2, None),
    rule("SC-A3", sc_a3, Some(sc_a3_hint)),
    rule("SC-A4", sc_a4, Some(sc_a4_hint)),
    rule("SC-A5", sc_a5, None),
    rule("SC-A6", sc_a6, None),
    rule("SC-M1", sc_m1, Some(sc_m1_hint)),
    rule("SC-M2", sc_m2, None),
    rule("SC-M3", sc_m3, Some(sc_m3_hint)),
    rule("SC-M4", sc_m4, Some(sc_m4_hint)),
    rule("SC-P1", sc_p1, Some(sc_p1_hint)),
    rule("SC-W1", sc_w1, Some(sc_w1_hint)),
    rule("SC-W2", sc_w2, Some(in_window_hint)),
    rule("SC-W3", sc_w3, Some(in_window_hint)),
    rule("SC-W4", sc_w4, None),
    rule("SC-W5", sc_w5, None),
    rule("SC-D1", sc_d1, None),
    rule("SC-D2", sc_d2, None),
    rule("SC-D3", sc_d3, None),
    rule("SC-D4", sc_d4, None),
    rule("SC-D5", sc_d5, None),
    rule("SC-D6", sc_d6, None),
    rule("SC-D7", sc_d7, Some(sc_d7_hint)),
    rule("SC-T5", sc_t5, None),
];

type Judge = fn(&Ctx, &SangyouiFacts, &SangyouiParams, &mut Findings);
type Hint = fn(&Claim, &SangyouiFacts, &SangyouiParams, &Finding) -> Vec<String>;

const fn rule(id: &'static str, judge: Judge, hint: Option<Hint>) -> R {
    Rule { id, judge, hint }
}

/// 用語の説明「小規模事業場」: 常時50人未満の労働者を使用する事業場をいう。（「常時50人未満の
/// 労働者」とは、届出時の人数とする。） — decision: 派遣労働者を含めて数える. The decision is
/// shown only where it decides the outcome: 50 or more with the dispatched workers, fewer
/// without them.
fn sc_e1(ctx: &Ctx, _f: &SangyouiFacts, p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    let max = p.max_workers_exclusive.value;
    let dispatched = c.establishment.dispatched_workers.unwrap_or(0);
    let disp = c
        .establishment
        .dispatched_workers
        .map(|d| format!("（うち派遣 {d}名）"))
        .unwrap_or_default();
    match c.establishment.workers {
        None => out.unknown("SC-E1", "establishment.workers（常時使用する労働者数）が書かれていないため判定できません。"),
        Some(w) if w < max => out.pass("SC-E1", format!("労働者数 {w}名{disp} は {max}人未満です。")),
        Some(w) if dispatched > 0 && w - dispatched < max => out.decided("SC-E1", Outcome::Fail, format!("労働者数 {w}名{disp} は派遣労働者を含めると {max}人以上のため、小規模事業場に当たらず対象外です。")),
        Some(w) => out.fail("SC-E1", format!("労働者数 {w}名{disp} は {max}人以上のため、小規模事業場に当たらず対象外です。")),
    }
}

/// 小規模事業場: how many workers would pass.
fn sc_e1_hint(c: &Claim, _s: &SangyouiFacts, p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(w) = c.establishment.workers {
        let max = p.max_workers_exclusive.value;
        if w >= max {
            out.push(format!("労働者数が{}名以下なら適合", max - 1));
        }
    }
    out
}

/// 労働保険の適用事業場であること (I-2 ②).
fn sc_e2(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    common::insured("SC-E2", ctx.claim, out);
}

/// I-3 ①: (1) 産業医と…産業医活動…を実施する契約 又は (2) 保健師と…産業保健活動…を実施する契約。
fn sc_a1(_ctx: &Ctx, f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    match (&f.provider, &f.qualification) {
        (None, _) => out.unknown("SC-A1", "sangyoui.provider_kind（契約の相手が産業医か保健師か）が書かれていないため判定できません。"),
        (Some(ProviderKind::Other(who)), _) => out.fail("SC-A1", format!("契約の相手（{who}）は、産業医の要件を備えた医師又は保健師ではないため対象外です。")),
        (Some(ProviderKind::Nurse), _) => out.pass("SC-A1", "保健師（保健師助産師看護師法第2条）との産業保健活動の契約です。"),
        (Some(ProviderKind::Physician), None) => out.unknown("SC-A1", "sangyoui.physician_qualification（産業医の要件を証明する資格: jma_certified / health_consultant / other）が書かれていないため判定できません。"),
        (Some(ProviderKind::Physician), Some(q)) => {
            let how = match q {
                PhysicianQualification::JmaCertified => "日医認定産業医",
                PhysicianQualification::HealthConsultant => "労働衛生コンサルタント（保健衛生）",
                PhysicianQualification::Other => "労働安全衛生法第13条第2項の要件",
            };
            out.pass("SC-A1", format!("産業医の要件（{how}）を備えた医師との産業医活動の契約です。"))
        }
    }
}

/// I-3 ①: 契約した産業医（保健師）に労働者が直接健康相談できる環境を整備する条項を含めて締結。
fn sc_a2(_ctx: &Ctx, f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    out.fact(
        "SC-A2",
        f.consultation_clause,
        "契約に、労働者が直接健康相談できる環境を整備する条項があります。",
        "契約に、労働者が直接健康相談できる環境を整備する条項がないため対象外です。条項を含めて契約してください。",
        "sangyoui.contract_has_consultation_clause（直接健康相談の条項があるか）",
    );
}

/// I-3 ①(1)(2): 平成30年度以降新たに締結していること。
fn sc_a3(_ctx: &Ctx, f: &SangyouiFacts, p: &SangyouiParams, out: &mut Findings) {
    common::contract_since(
        "SC-A3",
        f.contract_date,
        p.contract_on_or_after.value,
        "sangyoui.contract_date",
        "契約",
        out,
    );
}

/// The first contract date that would pass.
fn sc_a3_hint(_c: &Claim, s: &SangyouiFacts, p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let since = p.contract_on_or_after.value;
    if s.contract_date.is_some_and(|x| x < since) {
        vec![format!("契約の締結日が{}以降なら適合", wareki(since))]
    } else {
        Vec::new()
    }
}

/// I-3 ②: 労働者へ産業医又は保健師と労働者が、事業者を介さずに直接相談できる仕組みを周知していること。
fn sc_a4(ctx: &Ctx, f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    let mut missing = Vec::new();
    if f.mechanism_on.is_none() {
        missing.push("sangyoui.mechanism_set_up_on（仕組みの実施日）");
    }
    if f.notice_on.is_none() {
        missing.push("sangyoui.notice_started_on（周知開始日）");
    }
    if f.notice_method.is_none() {
        missing.push("sangyoui.notice_method（周知方法）");
    }
    if !missing.is_empty() {
        return out.unknown(
            "SC-A4",
            format!(
                "{} が書かれていないため判定できません。",
                missing.join("、")
            ),
        );
    }
    let (Some(set_up), Some(notice)) = (f.mechanism_on, f.notice_on) else {
        return;
    };
    if notice < set_up {
        out.fail("SC-A4", format!("周知開始日 {} が仕組みの実施日 {} より前です。仕組みを整えてから周知してください。", wareki(notice), wareki(set_up)))
    } else if notice > c.application_date {
        out.fail("SC-A4", format!("周知開始日 {} が申請日 {} より後です。申請前に労働者へ周知している必要があります。", wareki(notice), wareki(c.application_date)))
    } else {
        out.pass(
            "SC-A4",
            format!(
                "{} に整えた仕組みを {} から労働者へ周知しています。",
                wareki(set_up),
                wareki(notice)
            ),
        )
    }
}

/// The notice after the mechanism, and before the application.
fn sc_a4_hint(c: &Claim, s: &SangyouiFacts, _p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(set_up), Some(notice)) = (s.mechanism_on, s.notice_on) {
        if notice < set_up {
            out.push(format!(
                "周知開始日が仕組みの実施日（{}）以降なら適合",
                wareki(set_up)
            ));
        } else if notice > c.application_date {
            out.push(format!(
                "申請日が周知開始日（{}）以降なら適合",
                wareki(notice)
            ));
        }
    }
    out
}

/// I-3 ③: 産業医活動もしくは産業保健活動を行う者は、自社の使用者・労働者以外の者であること。
fn sc_a5(_ctx: &Ctx, f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    out.fact(
        "SC-A5",
        f.provider_is_external,
        "産業医・保健師は自社の使用者・労働者以外の者です。",
        "自社の使用者・労働者である産業医・保健師との契約は対象外です。",
        "sangyoui.provider_is_external（自社の使用者・労働者以外の者か）",
    );
}

/// I-3 ※: 契約書には、次の事項が記載されている必要があります（a–e）。Each missing item is
/// its own finding.
fn sc_a6(_ctx: &Ctx, f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let Some(s) = &f.contract_states else {
        return out.unknown(
            "SC-A6",
            "sangyoui.contract_states（契約書の記載事項 a～e）が書かれていないため判定できません。",
        );
    };
    let c_needed = f.with_corporation;
    let items: [(&str, &str, Option<bool>); 5] = [
        (
            "a",
            "産業医（産業保健）活動の内容と契約期間",
            s.content_and_period,
        ),
        ("b", "産業医（産業保健）活動に要する費用", s.cost),
        (
            "c",
            "法人と契約する場合の、産業医（保健師）とした勤務医（勤務保健師）の氏名",
            match c_needed {
                Some(false) => Some(true), // not needed for a contract with an individual
                _ => s.practitioner_name,
            },
        ),
        (
            "d",
            "労働者が産業医（保健師）へ直接健康相談ができる仕組み",
            s.consultation_mechanism,
        ),
        ("e", "申請事業場名称", s.establishment_name),
    ];
    let mut all_ok = true;
    for (letter, what, stated) in items {
        match stated {
            Some(true) => {}
            Some(false) => {
                all_ok = false;
                out.fail("SC-A6", format!("契約書に {letter}「{what}」の記載がありません。記載した契約書にしてください。"));
            }
            None => {
                all_ok = false;
                let key = match letter {
                    "a" => "content_and_period",
                    "b" => "cost",
                    "c" if c_needed.is_none() => {
                        "practitioner_name（または sangyoui.contract_with_corporation）"
                    }
                    "c" => "practitioner_name",
                    "d" => "consultation_mechanism",
                    _ => "establishment_name",
                };
                out.unknown("SC-A6", format!("契約書の {letter}「{what}」の記載（sangyoui.contract_states.{key}）が書かれていないため判定できません。"));
            }
        }
    }
    if all_ok {
        out.pass("SC-A6", "契約書に a～e の記載事項がすべてあります。");
    }
}

/// I-5: 6か月以上の継続的な産業医（産業保健）活動に係る契約に対して…
fn sc_m1(_ctx: &Ctx, f: &SangyouiFacts, p: &SangyouiParams, out: &mut Findings) {
    let n = p.period_months.value;
    let (Some(from), Some(to)) = (f.period_from, f.period_to) else {
        return out.unknown("SC-M1", "sangyoui.period_from / period_to（助成の対象となる6か月）が書かれていないため判定できません。");
    };
    let months = from.months_through(to);
    if months != n {
        return out.fail("SC-M1", format!("対象期間 {}～{} は {months}か月です。継続する{n}か月を1つの対象期間として申請してください。", wareki_month(from), wareki_month(to)));
    }
    let Some(start) = f.contract_start else {
        return out.unknown("SC-M1", "sangyoui.contract_start（契約期間の初日）が書かれていないため、契約が対象期間を覆うか判定できません。");
    };
    if start > from.first_day() {
        return out.fail("SC-M1", format!("契約期間の初日 {} が対象期間の初日 {} より後です。対象期間は契約期間内の6か月にしてください。", wareki(start), wareki(from.first_day())));
    }
    match (f.contract_end, f.contract_open_ended) {
        (Some(end), _) if end < to.last_day() => out.fail("SC-M1", format!("契約期間の末日 {} が対象期間の末日 {} より前です。", wareki(end), wareki(to.last_day()))),
        (Some(_), _) | (None, Some(true)) => out.pass("SC-M1", format!("対象期間 {}～{}（{n}か月）は契約期間内です。", wareki_month(from), wareki_month(to))),
        (None, _) => out.unknown("SC-M1", "sangyoui.contract_end（契約期間の末日）が書かれていません。期間の定めがない契約なら sangyoui.contract_open_ended = true と書いてください。"),
    }
}

/// A period of the right length, inside the contract.
fn sc_m1_hint(_c: &Claim, s: &SangyouiFacts, p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    let n = p.period_months.value;
    if let (Some(from), Some(to)) = (s.period_from, s.period_to) {
        if from.months_through(to) != n {
            out.push(format!(
                "対象期間が継続する{n}か月（例: {}～{}）なら適合",
                wareki_month(from),
                wareki_month(from.add_months(n - 1))
            ));
        } else {
            if s.contract_start.is_some_and(|x| x > from.first_day()) {
                out.push(format!(
                    "契約期間の初日が{}以前なら適合",
                    wareki(from.first_day())
                ));
            }
            if s.contract_end.is_some_and(|x| x < to.last_day()) {
                out.push(format!(
                    "契約期間の末日が{}以降なら適合",
                    wareki(to.last_day())
                ));
            }
        }
    }
    out
}

/// I-5: 6か月当たり一律10万円を支給します。
fn sc_m2(_ctx: &Ctx, _f: &SangyouiFacts, p: &SangyouiParams, out: &mut Findings) {
    out.pass(
        "SC-M2",
        format!(
            "助成額は6か月当たり一律 {}円 です。",
            yen(p.amount_per_period_yen.value)
        ),
    );
}

/// I-5: ただし、1事業場当たり将来にわたり2回限り助成されます。 `claim.round` is the
/// applicant's fact; it is judged here, against the limit and the previous claims.
fn sc_m3(ctx: &Ctx, _f: &SangyouiFacts, p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    let prior = c.prior_claims().count() as i64;
    let max = p.max_claims.value;
    let round = i64::from(c.round);
    if round > max {
        out.fail("SC-M3", format!("今回は{round}回目の申請（claim.round = {round}）です。この助成金は1事業場当たり将来にわたり{max}回限りのため、{round}回目は対象外です。"))
    } else if prior >= max {
        out.fail("SC-M3", format!("この事業場は既に{prior}回申請しています。この助成金は1事業場当たり将来にわたり{max}回限りです。"))
    } else if round != prior + 1 {
        out.fail("SC-M3", format!("previous_claims にこの助成金の申請が{prior}件あるため、今回は{}回目のはずですが、claim.round = {round} です。どちらかを直してください。", prior + 1))
    } else {
        out.pass(
            "SC-M3",
            format!("今回は{round}回目の申請です（上限{max}回）。"),
        )
    }
}

/// Fewer claims before, or the round that follows them.
fn sc_m3_hint(c: &Claim, _s: &SangyouiFacts, p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let max = p.max_claims.value;
    let prior = c.prior_claims().count() as i64;
    if prior >= max {
        vec![format!(
            "この事業場のこれまでの申請が{}回以下なら適合（上限{max}回）",
            max - 1
        )]
    } else if c.round as i64 != prior + 1 {
        vec![format!(
            "claim.round が {}（previous_claims の件数 + 1）なら適合",
            prior + 1
        )]
    } else {
        Vec::new()
    }
}

/// decision (I-7; II-1 ⑤): the 2nd claim's period is the 6 months that follow the 1st's.
/// The decision decides only 2nd claims, so only their findings carry it.
fn sc_m4(ctx: &Ctx, f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    match c.round {
        1 => {
            return out.pass(
                "SC-M4",
                "1回目の申請のため、2回目の対象期間の規則は適用されません。",
            )
        }
        2 => {}
        n => {
            return out.pass(
                "SC-M4",
                format!("{n}回目の申請のため、2回目の対象期間の規則は適用されません（申請回数は SC-M3 で判定します）。"),
            )
        }
    }
    let Some(first_to) = windows::first_claim(c).and_then(|x| x.period_to) else {
        return out.unknown("SC-M4", "1回目の申請の対象期間（previous_claims の period_from / period_to）が書かれていないため判定できません。");
    };
    let Some(from) = f.period_from else {
        return out.unknown(
            "SC-M4",
            "sangyoui.period_from（今回の対象期間の初月）が書かれていないため判定できません。",
        );
    };
    let expected = first_to.add_months(1);
    if from == expected {
        out.decided(
            "SC-M4",
            Outcome::Pass,
            format!(
                "2回目の対象期間は1回目の対象期間（最終月 {}）に続く {} からの6か月です。",
                wareki_month(first_to),
                wareki_month(from)
            ),
        )
    } else if from <= first_to {
        out.decided(
            "SC-M4",
            Outcome::Fail,
            format!(
                "2回目の対象期間（{} から）が1回目の対象期間（最終月 {}）と重なっています。",
                wareki_month(from),
                wareki_month(first_to)
            ),
        )
    } else {
        out.decided("SC-M4", Outcome::Fail, format!("2回目の対象期間は1回目の対象期間に続く {} からの6か月としてください（今回は {} から）。", wareki_month(expected), wareki_month(from)))
    }
}

/// The first month of the 2nd period.
fn sc_m4_hint(c: &Claim, _s: &SangyouiFacts, _p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    match windows::first_claim(c).and_then(|x| x.period_to) {
        Some(first_to) => vec![format!(
            "2回目の対象期間の初月が{}なら適合",
            wareki_month(first_to.add_months(1))
        )],
        None => Vec::new(),
    }
}

/// I-6: 初月が令和元年11月以降、最終月が令和3年3月以前である必要があります。
fn sc_p1(_ctx: &Ctx, f: &SangyouiFacts, p: &SangyouiParams, out: &mut Findings) {
    let (lo, hi) = (
        p.period_first_month_from.value,
        p.period_last_month_to.value,
    );
    let (Some(from), Some(to)) = (f.period_from, f.period_to) else {
        return out.unknown(
            "SC-P1",
            "sangyoui.period_from / period_to が書かれていないため判定できません。",
        );
    };
    if from < lo {
        out.fail(
            "SC-P1",
            format!(
                "対象期間の初月 {} が {} より前です。取組の実施期間は{}～{}です。",
                wareki_month(from),
                wareki_month(lo),
                wareki_month(lo),
                wareki_month(hi)
            ),
        )
    } else if to > hi {
        out.fail(
            "SC-P1",
            format!(
                "対象期間の最終月 {} が {} より後です。取組の実施期間は{}～{}です。",
                wareki_month(to),
                wareki_month(hi),
                wareki_month(lo),
                wareki_month(hi)
            ),
        )
    } else {
        out.pass(
            "SC-P1",
            format!(
                "対象期間 {}～{} は取組の実施期間（{}～{}）内です。",
                wareki_month(from),
                wareki_month(to),
                wareki_month(lo),
                wareki_month(hi)
            ),
        )
    }
}

/// The period inside the edition's months.
fn sc_p1_hint(_c: &Claim, s: &SangyouiFacts, p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    let (lo, hi) = (
        p.period_first_month_from.value,
        p.period_last_month_to.value,
    );
    if s.period_from.is_some_and(|x| x < lo) {
        out.push(format!("対象期間の初月が{}以降なら適合", wareki_month(lo)));
    }
    if s.period_to.is_some_and(|x| x > hi) {
        out.push(format!(
            "対象期間の最終月が{}以前なら適合",
            wareki_month(hi)
        ));
    }
    out
}

/// I-7: 令和2年5月から。
fn sc_w1(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    let opens = c.edition.application.opens.value;
    if c.application_date < opens {
        out.fail(
            "SC-W1",
            format!(
                "申請の受付は {} からです（申請日 {}）。",
                wareki(opens),
                wareki(c.application_date)
            ),
        )
    } else {
        out.pass(
            "SC-W1",
            format!(
                "申請日 {} は受付開始（{}）以降です。",
                wareki(c.application_date),
                wareki(opens)
            ),
        )
    }
}

/// The first day of acceptance.
fn sc_w1_hint(c: &Claim, _s: &SangyouiFacts, _p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    let opens = c.edition.application.opens.value;
    if c.application_date < opens {
        vec![format!("申請日が{}以降なら適合", wareki(opens))]
    } else {
        Vec::new()
    }
}

/// I-7: ※1回目の申請は、…最終月の翌月～6か月以内に申請してください。
fn sc_w2(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    if c.round == 1 {
        let w = c.grant.window(c);
        common::in_window(
            "SC-W2",
            c,
            w,
            "sangyoui.period_to（対象期間の最終月）",
            false,
            out,
        );
    } else {
        out.pass(
            "SC-W2",
            format!(
                "{}回目の申請のため、1回目の申請期間の規則は適用されません。",
                c.round
            ),
        );
    }
}

/// SC-W2, SC-W3: the application date inside the claim's window.
fn in_window_hint(c: &Claim, _s: &SangyouiFacts, _p: &SangyouiParams, _f: &Finding) -> Vec<String> {
    window_hint(c).into_iter().collect()
}

/// I-7: ※2回目の申請は、1回目の…最終月の6か月経過後～6か月以内に申請してください.
/// The decision (which of the guide's three readings) decides only 2nd claims.
fn sc_w3(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let c = ctx.claim;
    match c.round {
        2 => common::in_window(
            "SC-W3",
            c,
            c.grant.window(c),
            "1回目の申請の対象期間（previous_claims の period_to）",
            true,
            out,
        ),
        1 => out.pass(
            "SC-W3",
            "1回目の申請のため、2回目の申請期間の規則は適用されません。",
        ),
        n => out.pass(
            "SC-W3",
            format!("{n}回目の申請のため、2回目の申請期間の規則は適用されません（申請回数は SC-M3 で判定します）。"),
        ),
    }
}

/// 申請期間中でも受付を終了することがある (II-2 (3) ※).
fn sc_w4(_ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    common::may_close_early("SC-W4", out);
}

/// 事業場の代表者が申請 (II-2 (4)).
fn sc_w5(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    common::representative("SC-W5", ctx.claim, out);
}

/// 様式第2号 1–6: a 「はい」 fails; 6 「はい」 also needs its detail.
fn declaration(
    ctx: &Ctx,
    id: &str,
    pick: fn(&Declarations) -> Option<bool>,
    key: &str,
    what: &str,
    out: &mut Findings,
) {
    let Some(d) = &ctx.claim.declarations else {
        return out.unknown(id, "[declarations]（様式第2号 支給要件確認申立書の回答）が書かれていないため判定できません。");
    };
    match pick(d) {
        None => out.unknown(id, format!("declarations.{key}（{what}）の回答が書かれていないため判定できません。")),
        Some(false) => out.pass(id, format!("「{what}」は「いいえ」です。")),
        Some(true) if id == "SC-D6" && d.labour_law_violation_detail.as_deref().map(str::trim).unwrap_or("").is_empty() => out.fail(
            id,
            format!("「{what}」が「はい」のため対象外です。また「はい」の場合はその内容（declarations.labour_law_violation_detail）も書く必要があります。"),
        ),
        Some(true) => out.fail(id, format!("「{what}」が「はい」のため対象外です。")),
    }
}

/// 様式第2号 1.
fn sc_d1(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    declaration(
        ctx,
        "SC-D1",
        |d| d.premium_arrears,
        "premium_arrears",
        "労働保険料の滞納が継続している",
        out,
    );
}

/// 様式第2号 2.
fn sc_d2(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    declaration(
        ctx,
        "SC-D2",
        |d| d.fraud_suspension,
        "fraud_suspension",
        "不正受給により不支給措置がとられている",
        out,
    );
}

/// 様式第2号 3.
fn sc_d3(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    declaration(
        ctx,
        "SC-D3",
        |d| d.organized_crime,
        "organized_crime",
        "暴力団関係事業場である",
        out,
    );
}

/// 様式第2号 4.
fn sc_d4(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    declaration(
        ctx,
        "SC-D4",
        |d| d.subversive_group,
        "subversive_group",
        "暴力主義的破壊活動を行った（行うおそれがある）団体等に属している者がいる",
        out,
    );
}

/// 様式第2号 5.
fn sc_d5(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    declaration(
        ctx,
        "SC-D5",
        |d| d.bankrupt,
        "bankrupt",
        "倒産している",
        out,
    );
}

/// 様式第2号 6.
fn sc_d6(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    declaration(
        ctx,
        "SC-D6",
        |d| d.labour_law_violation,
        "labour_law_violation",
        "過去1年間に労働関係法令違反をしている",
        out,
    );
}

/// 様式第2号 7: 不正受給時の事業者名等の公表への同意 (「いいえ」 is a warning: likely not accepted).
fn sc_d7(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    let Some(d) = &ctx.claim.declarations else {
        return out.unknown("SC-D7", "[declarations]（様式第2号 支給要件確認申立書の回答）が書かれていないため判定できません。");
    };
    match d.consent_to_publication {
        None => out.unknown("SC-D7", "declarations.consent_to_publication（不正受給時の事業者名等の公表への同意）の回答が書かれていないため判定できません。"),
        Some(true) => out.pass("SC-D7", "不正受給時の事業者名等の公表に同意しています。"),
        Some(false) => out.warn("SC-D7", "不正受給時の事業者名等の公表に同意していません（7が「いいえ」）。この場合、申請が受理されない可能性が高いです。"),
    }
}

/// 「いいえ」 is a warning, and the edition says what would change it.
fn sc_d7_hint(c: &Claim, _s: &SangyouiFacts, _p: &SangyouiParams, f: &Finding) -> Vec<String> {
    c.edition
        .rule(&f.rule)
        .and_then(|r| r.change.clone())
        .into_iter()
        .collect()
}

/// 振込先口座の名義 (II-2 (1) ⑤).
fn sc_t5(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    common::bank_account("SC-T5", ctx.claim, out);
}
