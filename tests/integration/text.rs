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
