//! `explain` for a JOHAS grant: the requirements of an edition in the guide's order, with
//! the guide's own sentences, this edition's numbers (each with its citation), the
//! attachments and when each applies, how the window and the amount are determined. All of
//! it from the edition data.

use crate::model::dates::{wareki, wareki_month, YearMonth};
use crate::model::doc::{Block, Entry, Explanation, Number, RuleDoc, SectionDoc};
use crate::model::findings::yen;
use crate::programmes::johas::edition::{Edition, Grant, Params};
use crate::programmes::johas::explain_data::{self, RuleText};

fn ymd(d: chrono::NaiveDate) -> String {
    wareki(d)
}

/// A named parameter of the edition, for display. `None` for a name the edition does not
/// have (the explanation data names parameters; a test checks they all resolve).
pub fn param(ed: &Edition, name: &str) -> Option<Number> {
    let n = |label: &str, value: String, cite: &str| Number {
        label: label.to_string(),
        value,
        cite: cite.to_string(),
    };
    match name {
        "application.opens" => {
            let c = &ed.application.opens;
            return Some(n(
                "申請受付の開始",
                format!("{}から", ymd(c.value)),
                &c.cite,
            ));
        }
        "application.closes" => {
            let c = &ed.application.closes;
            return Some(n(
                "申請受付の終了",
                format!("{}まで", ymd(c.value)),
                &c.cite,
            ));
        }
        _ => {}
    }
    match &ed.params {
        Params::Sangyoui(p) => Some(match name {
            "max_workers_exclusive" => {
                let c = &p.max_workers_exclusive;
                n(
                    "常時使用する労働者数",
                    format!("{}人未満（{}人まで）", c.value, c.value - 1),
                    &c.cite,
                )
            }
            "contract_on_or_after" => {
                let c = &p.contract_on_or_after;
                n("契約の締結日", format!("{}以降", ymd(c.value)), &c.cite)
            }
            "period_months" => {
                let c = &p.period_months;
                n("対象期間", format!("継続する{}か月", c.value), &c.cite)
            }
            "amount_per_period_yen" => {
                let c = &p.amount_per_period_yen;
                n(
                    "助成額",
                    format!("{}か月当たり一律 {}円", p.period_months.value, yen(c.value)),
                    &c.cite,
                )
            }
            "max_claims" => {
                let c = &p.max_claims;
                n(
                    "申請できる回数",
                    format!("1事業場当たり将来にわたり{}回まで", c.value),
                    &c.cite,
                )
            }
            "period_first_month_from" => {
                let c = &p.period_first_month_from;
                n(
                    "対象期間の初月",
                    format!("{}以降", wareki_month(c.value)),
                    &c.cite,
                )
            }
            "period_last_month_to" => {
                let c = &p.period_last_month_to;
                n(
                    "対象期間の最終月",
                    format!("{}以前", wareki_month(c.value)),
                    &c.cite,
                )
            }
            "window_opens_months_after" => {
                let c = &p.window_opens_months_after;
                n(
                    "申請期間の始まり",
                    format!("対象期間の最終月の{}か月後の月の初日", c.value),
                    &c.cite,
                )
            }
            "window_length_months" => {
                let c = &p.window_length_months;
                n(
                    "申請期間の終わり",
                    format!("対象期間の最終月の{}か月後の月の末日", c.value),
                    &c.cite,
                )
            }
            "second_claim_offset_months" => {
                let c = &p.second_claim_offset_months;
                n(
                    "2回目の申請期間の起点",
                    format!("1回目の対象期間の最終月の{}か月後", c.value),
                    &c.cite,
                )
            }
            "return_stamp_yen" => {
                let c = &p.return_stamp_yen;
                n("返信用封筒の切手", format!("{}円", c.value), &c.cite)
            }
            "retention_years" => {
                let c = &p.retention_years;
                n("書類の保存", format!("{}年間", c.value), &c.cite)
            }
            _ => return None,
        }),
        Params::Shokuba(p) => Some(match name {
            "contract_on_or_after" => {
                let c = &p.contract_on_or_after;
                n(
                    "専門家との契約の締結日",
                    format!("{}以降", ymd(c.value)),
                    &c.cite,
                )
            }
            "total_cap_yen" => {
                let c = &p.total_cap_yen;
                n(
                    "助成金額の上限",
                    format!("1事業場当たり {}円", yen(c.value)),
                    &c.cite,
                )
            }
            "equipment_cap_yen" => {
                let c = &p.equipment_cap_yen;
                n(
                    "機器・設備購入費用の上限（合計）",
                    format!("{}円（税込）", yen(c.value)),
                    &c.cite,
                )
            }
            "equipment_unit_price_max_yen" => {
                let c = &p.equipment_unit_price_max_yen;
                n(
                    "機器・設備の単価",
                    format!("{}円（税込）以内（超える機器は全額が対象外）", yen(c.value)),
                    &c.cite,
                )
            }
            "max_claims" => {
                let c = &p.max_claims;
                n(
                    "申請できる回数",
                    format!("将来にわたり{}回限り", c.value),
                    &c.cite,
                )
            }
            "implementation_from" => {
                let c = &p.implementation_from;
                n("実施対象期間の初日", ymd(c.value), &c.cite)
            }
            "implementation_to" => {
                let c = &p.implementation_to;
                n("実施対象期間の末日", ymd(c.value), &c.cite)
            }
            "return_stamp_yen" => {
                let c = &p.return_stamp_yen;
                n("返信用封筒の切手", format!("{}円", c.value), &c.cite)
            }
            "retention_years" => {
                let c = &p.retention_years;
                n("書類の保存", format!("{}年間", c.value), &c.cite)
            }
            _ => return None,
        }),
    }
}

/// When an attachment applies, in Japanese (from the edition's `when`).
pub fn when_text(when: crate::programmes::johas::edition::When) -> String {
    let key = serde_json::to_value(when)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match key.as_str() {
        "always" => "常に",
        "physician" => "産業医の要件を備えた医師と契約した場合",
        "consultant" => "医師が労働衛生コンサルタント（保健衛生）の場合（登録証に添えて）",
        "nurse" => "保健師と契約した場合",
        "association" => "労働保険事務組合に委託している場合",
        "no_association" => "労働保険事務組合に委託していない場合",
        "bulk_payment" => "本社等が労働保険料を一括納付している場合のみ",
        "equipment" => "機器・設備の購入費用を申請する場合",
        other => return format!("（{other}）"),
    }
    .to_string()
}

/// The grants whose id, claim-file section or Japanese name contains `query`
/// (case-insensitive, spaces ignored): `産業医`, `職場環境`, `shokuba`, `sangyoui-chokusetsu`.
pub fn find_grants(query: &str) -> Vec<Grant> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let q = norm(query);
    if q.is_empty() {
        return Vec::new();
    }
    Grant::ALL
        .into_iter()
        .filter(|g| {
            if norm(g.id()) == q {
                return true;
            }
            let mut names = vec![g.id().to_string(), g.section().to_string()];
            names.extend(
                crate::programmes::johas::edition::all()
                    .iter()
                    .filter(|e| e.grant == *g)
                    .flat_map(|e| [e.grant_name.clone(), e.guide.clone()]),
            );
            names.iter().any(|n| norm(n).contains(&q))
        })
        .collect()
}

/// The grant a query names, or a Japanese message listing what exists.
pub fn find_grant(query: &str) -> Result<Grant, String> {
    let found = find_grants(query);
    let list = || {
        Grant::ALL
            .iter()
            .map(|g| {
                let name = crate::programmes::johas::edition::all()
                    .iter()
                    .find(|e| e.grant == *g)
                    .map(|e| e.grant_name.as_str())
                    .unwrap_or("");
                format!("  - {}（{}）", g.id(), name)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    match found.as_slice() {
        [g] => Ok(*g),
        [] => Err(format!(
            "「{query}」に当たる助成金がありません。次のいずれか（名前の一部でも可。例: 産業医、職場環境）を指定してください:\n{}",
            list()
        )),
        many => Err(format!(
            "「{query}」は複数の助成金に当たります（{}）。もう少し詳しく指定してください:\n{}",
            many.iter().map(|g| g.id()).collect::<Vec<_>>().join("、"),
            list()
        )),
    }
}

/// The edition named, or the newest edition of the grant.
pub fn find_edition(grant: Grant, named: Option<&str>) -> Result<&'static Edition, String> {
    let mut of_grant: Vec<&'static Edition> = crate::programmes::johas::edition::all()
        .iter()
        .filter(|e| e.grant == grant)
        .collect();
    of_grant.sort_by_key(|e| e.application.opens.value);
    match named {
        Some(name) => of_grant
            .iter()
            .find(|e| e.edition == name)
            .copied()
            .ok_or_else(|| {
                format!(
                    "版 \"{name}\" は {} にはありません。使える版:\n{}",
                    grant.id(),
                    of_grant
                        .iter()
                        .map(|e| format!("  - {}", e.describe()))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }),
        None => of_grant
            .last()
            .copied()
            .ok_or_else(|| format!("{} の版がありません。", grant.id())),
    }
}

fn rule_doc(ed: &Edition, id: &str, text: Option<&RuleText>) -> RuleDoc {
    let def = ed.rule(id);
    RuleDoc {
        id: id.to_string(),
        title: def.map(|d| d.title.clone()).unwrap_or_default(),
        cite: def.map(|d| d.cite.clone()).unwrap_or_default(),
        quote: text.map(|t| t.quote.clone()).unwrap_or_default(),
        numbers: text
            .map(|t| t.params.iter().filter_map(|p| param(ed, p)).collect())
            .unwrap_or_default(),
        decision: def.and_then(|d| d.decision.clone()),
    }
}

/// The rules of an edition grouped under the guide's headings, in the guide's order.
/// Rules the explanation data does not place come last, in the edition's order.
pub fn sections(ed: &Edition) -> Vec<SectionDoc> {
    let data = explain_data::for_edition(ed);
    let mut out = Vec::new();
    let mut placed = std::collections::BTreeSet::new();
    if let Some(d) = data {
        for s in &d.sections {
            let rules = s
                .rules
                .iter()
                .filter(|id| ed.rule(id).is_some())
                .map(|id| {
                    placed.insert(id.clone());
                    rule_doc(ed, id, d.rule(id))
                })
                .collect();
            out.push(SectionDoc {
                heading: s.heading.clone(),
                rules,
            });
        }
    }
    let rest: Vec<RuleDoc> = ed
        .rules
        .iter()
        .filter(|r| !placed.contains(&r.id))
        .map(|r| rule_doc(ed, &r.id, data.and_then(|d| d.rule(&r.id))))
        .collect();
    if !rest.is_empty() {
        out.push(SectionDoc {
            heading: if data.is_some() {
                "その他の要件".into()
            } else {
                "要件".into()
            },
            rules: rest,
        });
    }
    out
}

fn window_lines(ed: &Edition) -> Vec<String> {
    let (opens, closes) = (ed.application.opens.value, ed.application.closes.value);
    match &ed.params {
        Params::Sangyoui(p) => {
            let n = p.period_months.value;
            let after = p.window_opens_months_after.value;
            let len = p.window_length_months.value;
            let first: YearMonth = p.period_first_month_from.value;
            let last = first.add_months(n - 1);
            let w_from = last.add_months(after).first_day().max(opens);
            let w_to = last.add_months(len).last_day();
            let off = p.second_claim_offset_months.value;
            vec![
                format!("この版の申請受付: {}から（最後の申請日 {}）。", ymd(opens), ymd(closes)),
                format!(
                    "1回目の申請（SC-W2）: 対象期間（継続する{n}か月）の最終月の{after}か月後の月の初日から、最終月の{len}か月後の月の末日まで。"
                ),
                format!(
                    "例: 対象期間 {}～{} → 申請期間 {}～{}。",
                    wareki_month(first),
                    wareki_month(last),
                    ymd(w_from),
                    ymd(w_to)
                ),
                format!(
                    "2回目の申請（SC-W3）: 1回目の対象期間の最終月の{off}か月後を起点に、同じく{after}か月後の月の初日から{len}か月後の月の末日まで（手引の記述が分かれているため、本ツールの解釈です）。"
                ),
            ]
        }
        Params::Shokuba(_) => vec![format!(
            "申請期間: {}から{}まで（消印有効）。期間中でも受付を終了することがあります。",
            ymd(opens),
            ymd(closes)
        )],
    }
}

fn amount_lines(ed: &Edition) -> Vec<String> {
    match &ed.params {
        Params::Sangyoui(p) => {
            let (n, a, m) = (
                p.period_months.value,
                p.amount_per_period_yen.value,
                p.max_claims.value,
            );
            vec![
                format!("対象期間（継続する{n}か月）1つにつき一律 {}円（SC-M2）。実際にかかった費用の額によりません。", yen(a)),
                format!(
                    "1事業場当たり将来にわたり{m}回まで（SC-M3）。2回目の対象期間は1回目に続く{n}か月です（SC-M4）。"
                ),
                "支給要件を1つでも満たさない場合は不支給（0円）です。".to_string(),
            ]
        }
        Params::Shokuba(p) => {
            let (total, cap, unit) = (
                yen(p.total_cap_yen.value),
                yen(p.equipment_cap_yen.value),
                yen(p.equipment_unit_price_max_yen.value),
            );
            vec![
                format!("① 専門家の指導費用（税込の実費）。様式第1号 1 には {total}円までを書きます。"),
                format!("② 機器・設備購入費用（税込の実費）。単価 {unit}円を超える機器は全額が対象外（SK-M2）。計画に記載がない・計画作成前に購入した・他の事業場と合算した領収書の機器も対象外（SK-M6・SK-M7）。機器・設備の助成を既に受けた事業場は対象外（SK-M5）。"),
                format!("③ 対象となる機器・設備の合計は {cap}円まで（SK-M3、様式第1号 2）。"),
                format!("④ 助成金額 = ① + ③。ただし {total}円まで。これより少なければ実費（SK-M4、様式第1号 3）。"),
                "支給要件を1つでも満たさない場合は不支給（0円）です。".to_string(),
            ]
        }
    }
}

/// The whole explanation of one edition.
pub fn explanation(ed: &Edition) -> Explanation {
    let data = explain_data::for_edition(ed);
    let attachments = Block {
        heading: "提出書類と添付書類（様式第3号の順）".into(),
        entry_title: "書類".into(),
        lines: Vec::new(),
        entries: ed
            .attachments
            .iter()
            .map(|a| {
                let lines = vec![
                    ("必要な場合".to_string(), when_text(a.when)),
                    ("確認すること".to_string(), a.must_show.clone()),
                ];
                let extra = a
                    .key
                    .iter()
                    .map(|k| {
                        (
                            "申請ファイル".to_string(),
                            format!("[attachments] {k} = true"),
                        )
                    })
                    .collect();
                Entry {
                    id: a.id.clone(),
                    title: a.name.clone(),
                    mark: if a.generated {
                        "（本ツールが作成）".into()
                    } else {
                        String::new()
                    },
                    lines,
                    extra,
                    cite: a.cite.clone(),
                }
            })
            .collect(),
        quotes: Vec::new(),
        cite: String::new(),
    };
    let block = |heading: &str, lines: Vec<String>, cite: String| Block {
        heading: heading.into(),
        entry_title: String::new(),
        lines,
        entries: Vec::new(),
        quotes: Vec::new(),
        cite,
    };
    let mut blocks = vec![
        attachments,
        block(
            "申請期間",
            window_lines(ed),
            format!(
                "{}; {}",
                ed.application.opens.cite, ed.application.closes.cite
            ),
        ),
        block("助成金額の計算", amount_lines(ed), String::new()),
    ];
    let notes: Vec<(String, String)> = data
        .map(|d| {
            d.notes
                .iter()
                .map(|n| (n.quote.clone(), n.cite.clone()))
                .collect()
        })
        .unwrap_or_default();
    if !notes.is_empty() {
        let mut b = block("その他", Vec::new(), String::new());
        b.quotes = notes;
        blocks.push(b);
    }
    let id = ed.grant.id();
    Explanation {
        programme: id.to_string(),
        name: ed.grant_name.clone(),
        edition: ed.edition.clone(),
        edition_name: ed.edition_name.clone(),
        guide: ed.guide.clone(),
        guide_short: "手引".into(),
        status: ed.successor_note.clone(),
        sections: sections(ed),
        blocks,
        footer: format!(
            "johas-claim explain {id} --edition {e} で作成。数値は版のデータ（editions/{id}/{e}.toml）から読み取っています。",
            e = ed.edition
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_names_find_the_grant() {
        let id = |q: &str| crate::programmes::search(q).map(|p| p.id());
        assert_eq!(id("産業医"), Ok("sangyoui-chokusetsu"));
        assert_eq!(id("職場環境"), Ok("shokuba-kankyo-a"));
        assert_eq!(id("shokuba-kankyo-a"), Ok("shokuba-kankyo-a"));
        assert_eq!(id("直接健康相談"), Ok("sangyoui-chokusetsu"));
        assert!(id("助成金").unwrap_err().contains("複数"));
        assert!(id("両立支援")
            .unwrap_err()
            .contains("当たる助成金がありません"));
    }

    #[test]
    fn every_named_parameter_resolves_and_every_rule_is_placed_once() {
        for ed in crate::programmes::johas::edition::all() {
            let d = explain_data::for_edition(ed).expect("bundled editions have explanations");
            for r in &d.rules {
                assert!(
                    ed.rule(&r.id).is_some(),
                    "{}: unknown rule {}",
                    ed.source,
                    r.id
                );
                for p in &r.params {
                    assert!(
                        param(ed, p).is_some(),
                        "{}: {} names unknown param {p}",
                        ed.source,
                        r.id
                    );
                }
            }
            let placed: Vec<&String> = d.sections.iter().flat_map(|s| &s.rules).collect();
            for r in &ed.rules {
                assert_eq!(
                    placed.iter().filter(|x| ***x == r.id).count(),
                    1,
                    "{}: rule {} must be in exactly one section",
                    ed.source,
                    r.id
                );
                assert!(
                    d.rule(&r.id).is_some(),
                    "{}: no explanation for {}",
                    ed.source,
                    r.id
                );
            }
        }
    }

    #[test]
    fn numbers_come_from_the_edition() {
        let ed = find_edition(Grant::Sangyoui, Some("R2")).unwrap();
        let mut changed = ed.clone();
        if let Params::Sangyoui(p) = &mut changed.params {
            p.max_workers_exclusive.value = 30;
            p.amount_per_period_yen.value = 120000;
        }
        let t = crate::commands::explain::text(&explanation(&changed));
        assert!(t.contains("30人未満（29人まで）"), "{t}");
        assert!(t.contains("一律 120,000円"), "{t}");
        assert!(!t.contains("50人未満（49人まで）"));
        // The guide's example window is computed from the edition's numbers.
        let t = crate::commands::explain::text(&explanation(ed));
        assert!(
            t.contains(
                "例: 対象期間 令和元年11月～令和2年4月 → 申請期間 令和2年5月1日～令和2年10月31日。"
            ),
            "{t}"
        );
    }
}
