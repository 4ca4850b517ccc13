//! `explain` for a JOHAS grant: the requirements of an edition in the guide's order, with
//! the guide's own sentences, this edition's numbers (each with its citation, labelled by
//! the grant's parameters), the attachments and when each applies, how the window and the
//! amount are determined (the grant's lines). All of it from the edition data.

use super::edition::Edition;
use super::explain_data::{self, RuleText};
use crate::model::dates::wareki;
use crate::model::doc::{Block, Entry, Explanation, Number, RuleDoc, SectionDoc};
use chrono::NaiveDate;

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
    ed.params.number(name)
}

/// When an attachment applies, in Japanese (from the edition's `when`: a condition of the
/// house or of the edition's grant).
pub fn when_text(ed: &Edition, when: &str) -> String {
    super::attachments::conditions(ed)
        .find(|c| c.name == when)
        .map(|c| c.text.to_string())
        .unwrap_or_else(|| format!("（{when}）"))
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

/// The whole explanation of one edition.
/// `today` decides what is said of the application period (closed or open).
pub fn explanation(ed: &Edition, today: NaiveDate) -> Explanation {
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
                    ("必要な場合".to_string(), when_text(ed, &a.when)),
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
            ed.grant.window_lines(ed),
            format!(
                "{}; {}",
                ed.application.opens.cite, ed.application.closes.cite
            ),
        ),
        block("助成金額の計算", ed.grant.amount_lines(ed), String::new()),
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
        status: if today > ed.application.closes.value {
            format!(
                "{}{}",
                crate::model::dates::closed_edition(&wareki(ed.application.closes.value), today),
                ed.successor_note
            )
        } else {
            format!(
                "この版の申請受付は {}～{} です（確認日 {}）。",
                wareki(ed.application.opens.value),
                wareki(ed.application.closes.value),
                wareki(today)
            )
        },
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
    fn every_named_parameter_resolves_and_every_rule_is_placed_once() {
        for ed in super::super::editions::all() {
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
        let ed = crate::programmes::johas::editions::edition_of(
            crate::programmes::johas::grant::grant("sangyoui-chokusetsu").unwrap(),
            Some("R2"),
        )
        .unwrap();
        let mut changed = ed.clone();
        if let Some(p) = changed.params_as_mut::<crate::programmes::sangyoui::SangyouiParams>() {
            p.max_workers_exclusive.value = 30;
            p.amount_per_period_yen.value = 120000;
        }
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let t = crate::commands::explain::text(&explanation(&changed, day));
        assert!(t.contains("30人未満（29人まで）"), "{t}");
        assert!(t.contains("一律 120,000円"), "{t}");
        assert!(!t.contains("50人未満（49人まで）"));
        // The guide's example window is computed from the edition's numbers.
        let t = crate::commands::explain::text(&explanation(ed, day));
        assert!(
            t.contains(
                "例: 対象期間 令和元年11月～令和2年4月 → 申請期間 令和2年5月1日～令和2年10月31日。"
            ),
            "{t}"
        );
    }

    #[test]
    fn the_status_says_whether_the_period_has_ended_on_the_day() {
        let ed = crate::programmes::johas::editions::edition_of(
            crate::programmes::johas::grant::grant("sangyoui-chokusetsu").unwrap(),
            Some("R2"),
        )
        .unwrap();
        let on =
            |y, m, d| explanation(ed, chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()).status;
        let closed = on(2021, 10, 1);
        assert!(
            closed.starts_with(
                "この版の申請受付は 令和3年9月30日 で終了しています（確認日 令和3年10月1日）。"
            ),
            "{closed}"
        );
        assert!(closed.contains(&ed.successor_note));
        let open = on(2021, 9, 30);
        assert_eq!(
            open,
            "この版の申請受付は 令和2年5月1日～令和3年9月30日 です（確認日 令和3年9月30日）。"
        );
    }
}
