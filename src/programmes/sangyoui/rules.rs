//! 小規模事業場産業医活動助成金（直接健康相談環境整備コース） — rules SC-…. Each rule is one
//! function named after its RULES.md ID, beside the sentence of the guide it implements,
//! and pushes exactly the findings of that ID; where a number decides it, its what-if hint
//! (`…_hint`: what would make it pass) follows it. [`RULES`] lists them.

use super::facts::{PhysicianQualification, ProviderKind, SangyouiFacts};
use super::params::SangyouiParams;
use crate::model::dates::{wareki, wareki_month, YearMonth};
use crate::model::findings::{yen, Finding, Findings, Outcome};
use crate::programmes::johas::change::Change;
use crate::programmes::johas::common_rules as common;
use crate::programmes::johas::model::{Claim, Declarations};
use crate::programmes::johas::rules::{Ctx, Rule};
use crate::programmes::johas::whatif::{
    acceptance_over, application_date_in, field, fiscal_year, open_days, window_hint,
};
use crate::programmes::johas::windows::{self, Window};
use chrono::NaiveDate;

type R = Rule<SangyouiFacts, SangyouiParams>;

/// Every rule of this grant, by RULES.md ID (an edition's `[[rules]]` may list only these).
pub const RULES: &[R] = &[
    rule("SC-E1", sc_e1, Some(sc_e1_hint)),
    rule("SC-E2", sc_e2, Some(sc_e2_hint)),
    rule("SC-A1", sc_a1, Some(sc_a1_hint)),
    rule("SC-A2", sc_a2, Some(sc_a2_hint)),
    rule("SC-A3", sc_a3, Some(sc_a3_hint)),
    rule("SC-A4", sc_a4, Some(sc_a4_hint)),
    rule("SC-A5", sc_a5, Some(sc_a5_hint)),
    rule("SC-A6", sc_a6, Some(sc_a6_hint)),
    rule("SC-M1", sc_m1, Some(sc_m1_hint)),
    rule("SC-M2", sc_m2, None),
    rule("SC-M3", sc_m3, Some(sc_m3_hint)),
    rule("SC-M4", sc_m4, Some(sc_m4_hint)),
    rule("SC-P1", sc_p1, Some(sc_p1_hint)),
    rule("SC-W1", sc_w1, Some(sc_w1_hint)),
    rule("SC-W2", sc_w2, Some(sc_w2_hint)),
    rule("SC-W3", sc_w3, Some(sc_w3_hint)),
    rule("SC-W4", sc_w4, None),
    rule("SC-W5", sc_w5, Some(sc_w5_hint)),
    rule("SC-D1", sc_d1, Some(sc_d1_hint)),
    rule("SC-D2", sc_d2, Some(sc_d2_hint)),
    rule("SC-D3", sc_d3, Some(sc_d3_hint)),
    rule("SC-D4", sc_d4, Some(sc_d4_hint)),
    rule("SC-D5", sc_d5, Some(sc_d5_hint)),
    rule("SC-D6", sc_d6, Some(sc_d6_hint)),
    rule("SC-D7", sc_d7, Some(sc_d7_hint)),
    rule("SC-T5", sc_t5, Some(sc_t5_hint)),
];

type Judge = fn(&Ctx, &SangyouiFacts, &SangyouiParams, &mut Findings);
type Hint = fn(&Claim, &SangyouiFacts, &SangyouiParams, &Finding, NaiveDate) -> Vec<Change>;

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

/// 小規模事業場: how many workers would pass (the dispatched among them no more than that).
fn sc_e1_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let max = p.max_workers_exclusive.value;
    if !c.establishment.workers.is_some_and(|w| w >= max) {
        return Vec::new();
    }
    let key = "establishment.workers";
    let mut change = Change::set(
        key,
        max - 1,
        format!("{}が{}名以下なら適合", field(key), max - 1),
    );
    if c.establishment
        .dispatched_workers
        .is_some_and(|d| d > max - 1)
    {
        change = change.and("establishment.dispatched_workers", max - 1);
    }
    vec![change]
}

/// 労働保険の適用事業場であること (I-2 ②).
fn sc_e2(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    common::insured("SC-E2", ctx.claim, out);
}

/// The establishment insured.
fn sc_e2_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    common::insured_hint(c)
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

/// A provider the guide accepts: a 保健師 needs nothing more (a physician needs a
/// qualification as well).
fn sc_a1_hint(
    _c: &Claim,
    s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    if !matches!(s.provider, Some(ProviderKind::Other(_))) {
        return Vec::new();
    }
    let key = "sangyoui.provider_kind";
    vec![Change::set(
        key,
        "nurse",
        format!(
            "{}が保健師、又は産業医の要件を備えた医師なら適合",
            field(key)
        ),
    )]
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

/// The clause in the contract.
fn sc_a2_hint(
    _c: &Claim,
    s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    (s.consultation_clause == Some(false))
        .then(|| Change::to("sangyoui.contract_has_consultation_clause", true))
        .into_iter()
        .collect()
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

/// The first contract date that would pass (the guide's boundary: a contract made on it or
/// later, today's included).
fn sc_a3_hint(
    _c: &Claim,
    s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let since = p.contract_on_or_after.value;
    if !s.contract_date.is_some_and(|x| x < since) {
        return Vec::new();
    }
    let key = "sangyoui.contract_date";
    vec![Change::set(
        key,
        since,
        format!(
            "{}以降に新たに締結した契約（{}）なら適合",
            fiscal_year(since),
            field(key)
        ),
    )]
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

/// The notice after the mechanism, and before the application: the notice moved (a record
/// of the past), or the application made later (never on a day already past).
fn sc_a4_hint(
    c: &Claim,
    s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let (Some(set_up), Some(notice)) = (s.mechanism_on, s.notice_on) else {
        return Vec::new();
    };
    let notice_key = "sangyoui.notice_started_on";
    if notice < set_up {
        return vec![Change::set(
            notice_key,
            set_up,
            format!(
                "{}が{}と同じ日かそれより後なら適合",
                field(notice_key),
                field("sangyoui.mechanism_set_up_on")
            ),
        )];
    }
    let mut out = Vec::new();
    if notice > c.application_date {
        if set_up <= c.application_date {
            out.push(Change::set(
                notice_key,
                c.application_date,
                format!(
                    "{}が{}と同じ日かそれより前なら適合",
                    field(notice_key),
                    field("claim.application_date")
                ),
            ));
        }
        if acceptance_over(c, today).is_none() {
            let key = "claim.application_date";
            let d = notice.max(today);
            out.push(Change::set(
                key,
                d,
                format!("{}が{}以降なら適合", field(key), wareki(d)),
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

/// A provider from outside the company.
fn sc_a5_hint(
    _c: &Claim,
    s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    (s.provider_is_external == Some(false))
        .then(|| Change::to("sangyoui.provider_is_external", true))
        .into_iter()
        .collect()
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

/// Every item the contract does not state, stated.
fn sc_a6_hint(
    _c: &Claim,
    s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let Some(st) = &s.contract_states else {
        return Vec::new();
    };
    let missing: Vec<&str> = [
        ("content_and_period", st.content_and_period),
        ("cost", st.cost),
        ("practitioner_name", st.practitioner_name),
        ("consultation_mechanism", st.consultation_mechanism),
        ("establishment_name", st.establishment_name),
    ]
    .into_iter()
    .filter(|(k, v)| {
        *v == Some(false) && (*k != "practitioner_name" || s.with_corporation != Some(false))
    })
    .map(|(k, _)| k)
    .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let keys: Vec<String> = missing
        .iter()
        .map(|k| format!("sangyoui.contract_states.{k}"))
        .collect();
    let names: Vec<String> = keys.iter().map(|k| field(k)).collect();
    let mut change = Change::say(format!(
        "{}が「はい」（契約書に記載がある）なら適合",
        names.join("、")
    ));
    for k in &keys {
        change = change.and(k, true);
    }
    vec![change]
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
fn sc_m1_hint(
    _c: &Claim,
    s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let mut out = Vec::new();
    let n = p.period_months.value;
    let (Some(from), Some(to)) = (s.period_from, s.period_to) else {
        return out;
    };
    if from.months_through(to) != n {
        let key = "sangyoui.period_to";
        let last = from.add_months(n - 1);
        out.push(Change::set(
            key,
            last,
            format!(
                "{}が{}から数えて{n}か月目（継続する{n}か月）なら適合",
                field(key),
                field("sangyoui.period_from")
            ),
        ));
        return out;
    }
    if s.contract_start.is_some_and(|x| x > from.first_day()) {
        let key = "sangyoui.contract_start";
        out.push(Change::set(
            key,
            from.first_day(),
            format!(
                "{}が対象期間の初月の1日と同じ日かそれより前なら適合",
                field(key)
            ),
        ));
    } else if s.contract_end.is_some_and(|x| x < to.last_day()) {
        let key = "sangyoui.contract_end";
        out.push(Change::set(
            key,
            to.last_day(),
            format!(
                "{}が対象期間の最終月の末日と同じ日かそれより後なら適合",
                field(key)
            ),
        ));
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

/// The round that follows the claims before; none when the establishment has had them all.
fn sc_m3_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    let max = p.max_claims.value;
    let prior = c.prior_claims().count() as i64;
    let key = "claim.round";
    if prior >= max {
        vec![Change::say(format!(
            "この助成金は1事業場当たり将来にわたり{max}回限りで、この事業場は既に{prior}回申請しています。事実をどう変えても、この事業場はもう申請できません"
        ))]
    } else if c.round as i64 != prior + 1 {
        vec![Change::set(
            key,
            prior + 1,
            if i64::from(c.round) > max {
                format!(
                    "{}回目の申請は対象外です（将来にわたり{max}回限り）。これまでの申請が{prior}件なら、今回は{}回目で、{}を{}にすれば適合",
                    c.round,
                    prior + 1,
                    field(key),
                    prior + 1
                )
            } else {
                format!(
                    "これまでの申請が{prior}件なので今回は{}回目です。{}を{}にすれば適合",
                    prior + 1,
                    field(key),
                    prior + 1
                )
            },
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

/// The 2nd period: the 6 months that follow the 1st's (none once the edition has closed).
fn sc_m4_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let Some(first_to) = windows::first_claim(c).and_then(|x| x.period_to) else {
        return Vec::new();
    };
    if let Some(over) = acceptance_over(c, today) {
        return vec![over];
    }
    let from = first_to.add_months(1);
    let to = from.add_months(p.period_months.value - 1);
    vec![period_change(from, to, "（1回目の対象期間に続く6か月）")]
}

/// The 対象期間 set to `from`–`to`, said.
fn period_change(from: YearMonth, to: YearMonth, why: &str) -> Change {
    let (kf, kt) = ("sangyoui.period_from", "sangyoui.period_to");
    Change::set(
        kf,
        from,
        format!(
            "{}を{}、{}を{}にすれば適合{why}",
            field(kf),
            wareki_month(from),
            field(kt),
            wareki_month(to)
        ),
    )
    .and(kt, to)
}

/// The 1st claim's window if its period ended in `to`: the grant's window, computed as
/// [`super::window::window`] does.
fn window_after(c: &Claim, p: &SangyouiParams, to: YearMonth) -> Window {
    let from = to
        .add_months(p.window_opens_months_after.value)
        .first_day()
        .max(c.edition.application.opens.value);
    Window {
        from,
        to: to.add_months(p.window_length_months.value).last_day(),
    }
}

/// A 1st claim's 対象期間 that can still be applied for on `today`: inside the edition's
/// months and the contract, with days of its window not yet past. The one nearest the
/// claim's period, and the application days left. `None` when there is none.
fn period_open_on(
    c: &Claim,
    s: &SangyouiFacts,
    p: &SangyouiParams,
    today: NaiveDate,
) -> Option<(YearMonth, YearMonth, Window)> {
    let n = p.period_months.value;
    let (lo, hi) = (
        p.period_first_month_from.value,
        p.period_last_month_to.value,
    );
    let near = s.period_to.or(s.period_from.map(|f| f.add_months(n - 1)))?;
    let mut best: Option<(i64, YearMonth, YearMonth, Window)> = None;
    let mut to = lo.add_months(n - 1);
    while to <= hi {
        let from = to.add_months(-(n - 1));
        let covered = !s.contract_start.is_some_and(|x| x > from.first_day())
            && !s.contract_end.is_some_and(|x| x < to.last_day());
        if let (true, Some(open)) = (covered, open_days(c, window_after(c, p, to), today)) {
            let dist = near.months_through(to).abs();
            if best.as_ref().is_none_or(|b| dist < b.0) {
                best = Some((dist, from, to, open));
            }
        }
        to = to.add_months(1);
    }
    best.map(|(_, f, t, w)| (f, t, w))
}

/// The period moved so that its window is still open on `today`, the application date
/// moved into it when it is not (or is already past).
fn moved_period(
    c: &Claim,
    s: &SangyouiFacts,
    p: &SangyouiParams,
    today: NaiveDate,
) -> Option<Change> {
    let (from, to, open) = period_open_on(c, s, p, today)?;
    let mut change = period_change(from, to, "");
    let key = "claim.application_date";
    change.text = change.text.trim_end_matches("適合").to_string();
    if open.contains(c.application_date) {
        change
            .text
            .push_str(&format!("、今の申請日で期間内（{}まで）", wareki(open.to)));
    } else {
        change.text.push_str(&format!(
            "、{}を{}～{}の間にすれば期間内",
            field(key),
            wareki(open.from),
            wareki(open.to)
        ));
        change = change.and(key, open.from);
    }
    Some(change)
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

/// A period inside the edition's months whose window is still open on `today` (a 2nd
/// claim's period is fixed by the 1st: SC-M4); or, when none is, that plainly.
fn sc_p1_hint(
    c: &Claim,
    s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    if let Some(over) = acceptance_over(c, today) {
        return vec![over];
    }
    if c.round != 1 {
        return vec![Change::say(
            "2回目の対象期間は1回目の対象期間に続く6か月で決まるため、対象期間を変えて取組の実施期間内にすることはできません",
        )];
    }
    match moved_period(c, s, p, today) {
        Some(change) => vec![change],
        None => vec![no_period_left(c, today)],
    }
}

/// No 1st-claim period can still be applied for on `today`.
fn no_period_left(c: &Claim, today: NaiveDate) -> Change {
    Change::say(format!(
        "取組の実施期間・契約期間の中に、確認日（{}）から申請期間に間に合う対象期間がありません。{}では申請できません",
        wareki(today),
        c.edition.edition_name
    ))
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

/// The first day of acceptance, or today's date if that is later.
fn sc_w1_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let ed = &c.edition.application;
    if c.application_date >= ed.opens.value {
        return Vec::new();
    }
    if let Some(over) = acceptance_over(c, today) {
        return vec![over];
    }
    application_date_in(
        c,
        Window {
            from: ed.opens.value,
            to: ed.closes.value,
        },
        today,
    )
    .into_iter()
    .collect()
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

/// SC-W2: the application date inside the window while days of it are left; once it has
/// closed, the period moved so that its window is open again; else that plainly.
fn sc_w2_hint(
    c: &Claim,
    s: &SangyouiFacts,
    p: &SangyouiParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let Some(w) = c.grant.window(c) else {
        return Vec::new();
    };
    if w.contains(c.application_date) {
        return Vec::new();
    }
    if let Some(h) = window_hint(c, today) {
        return vec![h];
    }
    match moved_period(c, s, p, today) {
        Some(change) => vec![change],
        None => vec![no_period_left(c, today)],
    }
}

/// SC-W3: the application date inside the 2nd claim's window while days of it are left;
/// the window follows from the 1st claim, so once it has closed nothing can open it.
fn sc_w3_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    let Some(w) = c.grant.window(c) else {
        return Vec::new();
    };
    if w.contains(c.application_date) {
        return Vec::new();
    }
    match window_hint(c, today) {
        Some(h) => vec![h],
        None => vec![Change::say(format!(
            "2回目の申請期間は1回目の対象期間で決まり、確認日（{}）には既に終わっています。事実をどう変えても、2回目はもう申請できません",
            wareki(today)
        ))],
    }
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

/// The representative applies.
fn sc_w5_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    common::representative_hint(c)
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

/// A declaration answered 「はい」 turns only when the fact it declares is no longer so.
fn declaration_hint(c: &Claim, pick: fn(&Declarations) -> Option<bool>, key: &str) -> Vec<Change> {
    match c.declarations.as_ref().and_then(pick) {
        Some(true) => vec![Change::to(key, false)],
        _ => Vec::new(),
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

/// 「いいえ」 on 様式第2号.
fn sc_d1_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    declaration_hint(c, |d| d.premium_arrears, "declarations.premium_arrears")
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

/// 「いいえ」 on 様式第2号.
fn sc_d2_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    declaration_hint(c, |d| d.fraud_suspension, "declarations.fraud_suspension")
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

/// 「いいえ」 on 様式第2号.
fn sc_d3_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    declaration_hint(c, |d| d.organized_crime, "declarations.organized_crime")
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

/// 「いいえ」 on 様式第2号.
fn sc_d4_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    declaration_hint(c, |d| d.subversive_group, "declarations.subversive_group")
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

/// 「いいえ」 on 様式第2号.
fn sc_d5_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    declaration_hint(c, |d| d.bankrupt, "declarations.bankrupt")
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

/// 「いいえ」 on 様式第2号.
fn sc_d6_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    declaration_hint(
        c,
        |d| d.labour_law_violation,
        "declarations.labour_law_violation",
    )
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
fn sc_d7_hint(
    c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    c.edition
        .rule(&f.rule)
        .and_then(|r| r.change.clone())
        .map(|t| Change::set("declarations.consent_to_publication", true, t))
        .into_iter()
        .collect()
}

/// 振込先口座の名義 (II-2 (1) ⑤).
fn sc_t5(ctx: &Ctx, _f: &SangyouiFacts, _p: &SangyouiParams, out: &mut Findings) {
    common::bank_account("SC-T5", ctx.claim, out);
}

/// A corporation's account.
fn sc_t5_hint(
    _c: &Claim,
    _s: &SangyouiFacts,
    _p: &SangyouiParams,
    _f: &Finding,
    _today: NaiveDate,
) -> Vec<Change> {
    common::bank_account_hint()
}
