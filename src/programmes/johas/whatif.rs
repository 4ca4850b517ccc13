//! What would change the outcome of a finding that does not pass: the fact to supply
//! (unknown), or the boundary that was crossed (fail), computed from the edition's numbers
//! and the claim's facts, e.g. 「労働者数が49名以下なら適合」,
//! 「申請日が令和2年10月31日までなら期間内」.

use super::explain_data;
use crate::model::dates::{wareki, wareki_month};
use crate::model::findings::{yen, Finding, Outcome};
use crate::programmes::johas::amounts::assess_equipment;
use crate::programmes::johas::edition::Params;
use crate::programmes::johas::model::{Claim, GrantFacts};
use crate::programmes::johas::windows;

/// A claim-file value by dotted path (`establishment.workers`), if the table gives it.
pub fn lookup<'a>(raw: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut cur = raw.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_table()?.get(p)?;
    }
    Some(cur)
}

/// The hints for one finding. Empty for a pass, and for an outcome nothing can change
/// (e.g. the guide's note that acceptance may close early). `gives` says whether the facts
/// give a value at a dotted path.
pub fn changes(claim: &Claim, gives: &dyn Fn(&str) -> bool, f: &Finding) -> Vec<String> {
    if f.outcome == Outcome::Pass {
        return Vec::new();
    }
    let text = explain_data::for_edition(claim.edition).and_then(|d| d.rule(&f.rule));
    if f.outcome == Outcome::Unknown {
        let missing: Vec<String> = text
            .map(|t| {
                t.facts
                    .iter()
                    .filter(|k| !gives(k))
                    .filter(|k| f.message.contains(k.rsplit('.').next().unwrap_or(k)))
                    .map(|k| format!("{k} を書けば判定できます"))
                    .collect()
            })
            .unwrap_or_default();
        if !missing.is_empty() {
            return missing;
        }
        return vec![format!(
            "不足している事実を書けば判定できます（{}）",
            f.message
        )];
    }
    let computed = boundary(claim, f);
    if !computed.is_empty() {
        return computed;
    }
    match (f.outcome, text.and_then(|t| t.change.clone())) {
        (Outcome::Fail, Some(c)) => vec![c],
        (o, Some(c)) if o != Outcome::Warning || f.rule.ends_with("D7") => vec![c],
        _ => Vec::new(),
    }
}

/// Boundaries computed from numbers: dates, counts, amounts.
fn boundary(c: &Claim, f: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    let d = c.application_date;
    let rule = f.rule.as_str();
    match (&c.edition.params, &c.facts) {
        (Params::Sangyoui(p), GrantFacts::Sangyoui(s)) => match rule {
            "SC-E1" => {
                if let Some(w) = c.establishment.workers {
                    let max = p.max_workers_exclusive.value;
                    if w >= max {
                        out.push(format!("労働者数が{}名以下なら適合", max - 1));
                    }
                }
            }
            "SC-A3" => {
                let since = p.contract_on_or_after.value;
                if s.contract_date.is_some_and(|x| x < since) {
                    out.push(format!("契約の締結日が{}以降なら適合", wareki(since)));
                }
            }
            "SC-A4" => {
                if let (Some(set_up), Some(notice)) = (s.mechanism_on, s.notice_on) {
                    if notice < set_up {
                        out.push(format!(
                            "周知開始日が仕組みの実施日（{}）以降なら適合",
                            wareki(set_up)
                        ));
                    } else if notice > d {
                        out.push(format!(
                            "申請日が周知開始日（{}）以降なら適合",
                            wareki(notice)
                        ));
                    }
                }
            }
            "SC-M1" => {
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
            }
            "SC-M3" => {
                let max = p.max_claims.value;
                let prior = c
                    .previous
                    .iter()
                    .filter(|x| x.grant == c.grant.id())
                    .count() as i64;
                if prior >= max {
                    out.push(format!(
                        "この事業場のこれまでの申請が{}回以下なら適合（上限{max}回）",
                        max - 1
                    ));
                } else if c.round as i64 != prior + 1 {
                    out.push(format!(
                        "claim.round が {}（previous_claims の件数 + 1）なら適合",
                        prior + 1
                    ));
                }
            }
            "SC-M4" => {
                if let Some(first_to) = windows::first_claim(c).and_then(|x| x.period_to) {
                    out.push(format!(
                        "2回目の対象期間の初月が{}なら適合",
                        wareki_month(first_to.add_months(1))
                    ));
                }
            }
            "SC-P1" => {
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
            }
            "SC-W1" => {
                let opens = c.edition.application.opens.value;
                if d < opens {
                    out.push(format!("申請日が{}以降なら適合", wareki(opens)));
                }
            }
            "SC-W2" | "SC-W3" => out.extend(window_hint(c)),
            _ => {}
        },
        (Params::Shokuba(p), GrantFacts::Shokuba(s)) => match rule {
            "SK-E3" => {
                let since = p.contract_on_or_after.value;
                if s.contract_date.is_some_and(|x| x < since) {
                    out.push(format!(
                        "専門家との契約の締結日が{}以降なら適合",
                        wareki(since)
                    ));
                }
            }
            "SK-E5" => {
                if let Some(plan) = s.plan_made_on {
                    if s.improvements.iter().any(|r| r.date < plan) {
                        out.push(format!(
                            "改善の実施日が計画作成日（{}）以降なら適合",
                            wareki(plan)
                        ));
                    }
                }
            }
            "SK-P1" => {
                let (from, to) = (p.implementation_from.value, p.implementation_to.value);
                if s.improvements.iter().any(|r| r.date < from || r.date > to) {
                    out.push(format!(
                        "改善の実施日が{}～{}の間なら適合",
                        wareki(from),
                        wareki(to)
                    ));
                }
            }
            "SK-M5" => {
                let prior = c
                    .previous
                    .iter()
                    .filter(|x| x.grant == c.grant.id())
                    .count() as i64;
                if prior >= p.max_claims.value {
                    out.push(format!(
                        "この事業場がこの助成金を初めて申請するなら適合（将来にわたり{}回限り）",
                        p.max_claims.value
                    ));
                }
                for a in assess_equipment(c) {
                    if a.excluded_by.iter().any(|r| r == "SK-M5") {
                        out.push(format!(
                            "「{}」は、機器・設備の助成をまだ受けていない事業場なら対象",
                            a.name
                        ));
                    }
                }
            }
            "SK-M2" | "SK-M6" | "SK-M7" => {
                let max = p.equipment_unit_price_max_yen.value;
                for a in assess_equipment(c) {
                    let name = &a.name;
                    let item = a.index.checked_sub(1).and_then(|i| s.equipment.get(i));
                    for r in a.excluded_by.iter().filter(|r| *r == rule) {
                        let hint = match r.as_str() {
                            "SK-M2" => format!(
                                "「{name}」の単価（{}円）が{}円（税込）以下なら対象",
                                yen(a.unit_price_yen),
                                yen(max)
                            ),
                            "SK-M6" if item.and_then(|x| x.in_plan) == Some(false) => {
                                format!("「{name}」が職場環境改善計画に記載されていれば対象")
                            }
                            "SK-M6" => format!(
                                "「{name}」の購入日が計画作成日（{}）より後なら対象",
                                s.plan_made_on.map(wareki).unwrap_or_default()
                            ),
                            _ => {
                                format!("「{name}」の領収書が他の事業場と合算されていなければ対象")
                            }
                        };
                        if !out.contains(&hint) {
                            out.push(hint);
                        }
                    }
                }
                if rule == "SK-M7" && s.guidance_receipt_shared == Some(true) {
                    out.push("専門家の指導費用の領収書がこの事業場の分だけなら適合".into());
                }
            }
            "SK-W1" => out.extend(window_hint(c)),
            _ => {}
        },
        _ => {}
    }
    out
}

fn window_hint(c: &Claim) -> Option<String> {
    let w = windows::window(c)?;
    let d = c.application_date;
    if d > w.to {
        Some(format!("申請日が{}までなら期間内", wareki(w.to)))
    } else if d < w.from {
        Some(format!("申請日が{}以降なら期間内", wareki(w.from)))
    } else {
        None
    }
}
