//! What a person reads on the documents and in the files the tool writes (issue 16,
//! "Text on documents and in help"): the forms as laid out (a 印 circle inside its row, no
//! sentence leaving its last syllable alone on a line), the checklist's sentences for each
//! programme, every example value of `new --template` accepted by `check`, and the example
//! files' comments agreeing with the values they describe.

use johas_claim::input::Format;
use johas_claim::page::{Document, Item};
use johas_claim::programmes::johas::evaluate::evaluate;
use johas_claim::programmes::johas::read::parse;
use std::path::Path;
use std::process::Command;
use toml::Table;

const SANGYOUI: &str = "examples/sangyoui-rouan.toml";
const SHOKUBA: &str = "examples/shokuba-rouan.toml";
const HEAD_OFFICE: &str = r#"labour_insurance = { bulk_payment_by_head_office = true, head_office = { name = "ろうあんホールディングス(株)", representative_title = "代表取締役", representative_name = "本社 太郎" } }
establishment = { labour_insurance_number = "14-1-01-123456-000" }"#;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// The packet of `base` with `set` merged: its documents and the checklist text.
fn packet(base: &str, set: &str) -> (Vec<(String, Document)>, String) {
    let patch: Table = toml::from_str(set).unwrap();
    let text = crate::claim_text::claim_text(base, &patch, &[]).unwrap();
    let claim = parse(base, &text, Format::Toml).unwrap_or_else(|e| panic!("{base}: {e}"));
    let ev = evaluate(&claim, today());
    johas_claim::programmes::johas::packet::lay_out(&claim, &ev)
        .unwrap_or_else(|e| panic!("{base}: {e}"))
}

/// Every packet the examples give, with and without bulk payment by a head office (so
/// the 労働保険料一括納付に係る証明書 is laid out too).
fn packets() -> Vec<(String, Vec<(String, Document)>, String)> {
    let mut v = Vec::new();
    for base in [SANGYOUI, SHOKUBA] {
        for (what, set) in [("", ""), (" + 本社一括納付", HEAD_OFFICE)] {
            let (docs, checklist) = packet(base, set);
            v.push((format!("{base}{what}"), docs, checklist));
        }
    }
    v
}

// ------------------------------------------------------------------ the forms

/// A seal circle (or any circle drawn on a form) is crossed by no ruled line: the 印 of
/// 様式第1号 (職場環境) once straddled the 代表者 / 担当者 row border.
#[test]
fn no_ruled_line_crosses_a_circle_on_any_form() {
    let mut failures = Vec::new();
    let mut circles = 0;
    for (name, docs, _) in packets() {
        for (file, doc) in &docs {
            for (p, page) in doc.pages.iter().enumerate() {
                for e in &page.items {
                    let Item::Ellipse {
                        cx_mm,
                        cy_mm,
                        rx_mm,
                        ry_mm,
                        ..
                    } = e
                    else {
                        continue;
                    };
                    circles += 1;
                    for l in &page.items {
                        let Item::Line {
                            x1_mm,
                            y1_mm,
                            x2_mm,
                            y2_mm,
                            ..
                        } = l
                        else {
                            continue;
                        };
                        let crosses = if (y1_mm - y2_mm).abs() < 0.01 {
                            // Horizontal: within the circle's width and height.
                            x1_mm.min(*x2_mm) < cx_mm + rx_mm
                                && x1_mm.max(*x2_mm) > cx_mm - rx_mm
                                && (y1_mm - cy_mm).abs() < *ry_mm
                        } else if (x1_mm - x2_mm).abs() < 0.01 {
                            y1_mm.min(*y2_mm) < cy_mm + ry_mm
                                && y1_mm.max(*y2_mm) > cy_mm - ry_mm
                                && (x1_mm - cx_mm).abs() < *rx_mm
                        } else {
                            false
                        };
                        if crosses {
                            failures.push(format!(
                                "{name} {file} page {}: the circle at ({cx_mm}, {cy_mm}) r {rx_mm}×{ry_mm} is crossed by the line ({x1_mm}, {y1_mm})–({x2_mm}, {y2_mm})",
                                p + 1
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(circles >= 4, "the forms draw their 印 places: {circles}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No line of a form is just the end of a sentence (「す。」 alone under 「…申請しま」).
/// The forms' pre-printed text is laid out by hand, so each such line is a layout fault.
/// (The checklist is flow text wrapped by the renderer, which has no widow control yet:
/// not checked here.)
#[test]
fn no_line_on_a_form_is_only_the_last_syllable_of_a_sentence() {
    let mut failures = Vec::new();
    let mut forms = 0;
    for (name, docs, _) in packets() {
        for (file, doc) in docs
            .iter()
            .filter(|(f, _)| f.contains("yoshiki") || f.contains("ikkatsu"))
        {
            forms += 1;
            for page in &doc.pages {
                for item in &page.items {
                    if let Item::Text { text, .. } = item {
                        let t = text.trim();
                        if t.ends_with('。') && t.chars().count() <= 2 {
                            failures.push(format!("{name} {file}: a line reads only {t:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(forms >= 14, "every form of the four packets: {forms}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------------------------ the checklist

/// The 「送付前に」 section of a checklist.
fn before_sending(checklist: &str) -> &str {
    let at = checklist
        .find("## 送付前に")
        .unwrap_or_else(|| panic!("no 送付前に:\n{checklist}"));
    &checklist[at..]
}

/// Each sentence of the checklist is true for its own programme (each guide says who
/// seals or signs which form, what goes in the envelope and what to keep): the 産業医
/// 様式第2号 is the applicant's own 申立書, only the 職場環境 様式第2号 is the expert's.
#[test]
fn checklist_sentences_are_those_of_its_own_programme() {
    for (name, docs, checklist) in packets() {
        let send = before_sending(&checklist);
        let bulk = name.contains("本社一括納付");
        let titles: Vec<&str> = docs.iter().map(|(_, d)| d.title.as_str()).collect();
        if name.starts_with(SANGYOUI) {
            // R2: no expert anywhere in this programme; 様式第2号・第3号 sealed by the
            // applicant; 様式第1号 has no 印.
            assert!(!checklist.contains("専門家"), "{name}:\n{checklist}");
            assert!(send.contains("様式第2号（支給要件確認申立書）と様式第3号（チェックリスト兼同意書）の「印」の欄に押印"), "{name}:\n{send}");
            assert!(
                send.contains("様式第1号に押印欄はありません"),
                "{name}:\n{send}"
            );
            assert!(
                send.contains("A4サイズ") && send.contains("ホチキス止め"),
                "{name}:\n{send}"
            );
            assert!(send.contains("84円切手"), "{name}:\n{send}");
            assert!(
                send.contains("申請に係る書類は、助成金を受給した翌年から起算して5年間保存"),
                "{name}:\n{send}"
            );
        } else {
            // H30: the expert signs or seals 様式第2号; the applicant seals 様式第1号・第3号;
            // the guide has no A4 / stapling note; keep the evidence of the payments.
            assert!(send.contains("様式第2号（職場環境改善指導実績報告書）は、専門家（職場環境改善指導実施者）に署名又は記名押印"), "{name}:\n{send}");
            assert!(send.contains("様式第1号（支給申請書）の代表者の「印」の欄と様式第3号（チェックリスト兼同意書）の「印」の欄に押印"), "{name}:\n{send}");
            assert!(
                !send.contains("A4") && !send.contains("ホチキス"),
                "{name}:\n{send}"
            );
            assert!(send.contains("82円切手"), "{name}:\n{send}");
            assert!(
                send.contains("領収書その他支出の事実を明らかにする証拠書類"),
                "{name}:\n{send}"
            );
        }
        // The certificate is named only when it is in this packet, with the head office
        // as the one who seals it.
        assert_eq!(
            send.contains("労働保険料一括納付に係る証明書は、一括納付している本社等に"),
            bulk,
            "{name}:\n{send}"
        );
        assert_eq!(
            titles.iter().any(|t| t.contains("一括納付")),
            bulk,
            "{name}: {titles:?}"
        );
        // Every 「様式第N号（名前）」 the section names is a form of this packet, by that name.
        let mut rest = send;
        let mut named = 0;
        while let Some(at) = rest.find("様式第") {
            rest = &rest[at..];
            let Some(go) = rest.find('号') else { break };
            let form = &rest[..go + '号'.len_utf8()];
            if let Some(after) = rest[form.len()..].strip_prefix('（') {
                let what = &after[..after.find('）').unwrap()];
                named += 1;
                assert!(
                    titles
                        .iter()
                        .any(|t| t.starts_with(form) && t.contains(what)),
                    "{name}: 「{form}（{what}）」 is not a form of this packet: {titles:?}"
                );
            }
            rest = &rest["様式第".len()..];
        }
        assert!(
            named >= 2,
            "{name}: the seal sentences name the forms:\n{send}"
        );
        // No generated form is said to need a 記名押印 by its status alone (the 産業医
        // 様式第1号 has no 印): who seals what is said under 「送付前に」.
        assert!(!checklist.contains("要記名押印"), "{name}:\n{checklist}");
    }
}
