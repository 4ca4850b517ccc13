//! The tick audit (issue 6 §2), one test per claim (run one alone with
//! `cargo test --release --test ticks -- "tick::sangyoui nurse"`): for varied claims,
//! every box of 様式第3号 and every yen figure of 様式第1号 is checked against an
//! independent oracle written here from the findings, the claim's facts and its
//! `[attachments]` — not from the layouts' `tick` declarations — and the figures are read
//! back from the rendered PDF. `tick::the claims cover every verdict` keeps the set varied;
//! `tick::declarations name real rules and attachments` checks the layouts' declarations.

#[path = "support/claim_text.rs"]
mod claim_text;

use libtest_mimic::{Arguments, Failed, Trial};

use johas_claim::input::Format;
use johas_claim::model::findings::{yen, Outcome};
use johas_claim::programmes::johas::evaluate::evaluate;
use johas_claim::programmes::johas::evaluation::Evaluation;
use johas_claim::programmes::johas::model::Claim;
use johas_claim::programmes::johas::read::parse;
use johas_claim::programmes::sangyoui::facts::{PhysicianQualification, ProviderKind};
use johas_claim::programmes::{sangyoui, shokuba};
use serde_json::Value as Json;
use toml::Table;

const SHOKUBA: &str = "examples/shokuba-rouan.toml";
const SANGYOUI: &str = "examples/sangyoui-rouan.toml";

/// The example with `set` (a TOML table, merged) applied and `remove` keys removed.
fn claim_text(base: &str, set: &str, remove: &[&str]) -> String {
    let patch: Table = toml::from_str(set).unwrap();
    claim_text::claim_text(base, &patch, remove).unwrap()
}

const PRINTER: &str = r#"{ name = "プリンター", unit_price_yen = 21600, quantity = 2, purchased_on = 2019-01-31, in_plan = true, receipt_shared = false }"#;
const HEAD_OFFICE: &str = r#"labour_insurance = { bulk_payment_by_head_office = true, head_office = { name = "ろうあんホールディングス(株)", representative_title = "代表取締役", representative_name = "本社 太郎" } }
establishment = { labour_insurance_number = "14-1-01-123456-000" }"#;

/// (name, base, set, remove)
fn claims() -> Vec<(String, &'static str, String, Vec<&'static str>)> {
    let eq =
        |items: &str| format!("shokuba = {{ guidance_fee_yen = 30000, equipment = [ {items} ] }}");
    let mut v: Vec<(&str, &str, String, Vec<&str>)> = vec![
        ("shokuba eligible (記載例)", SHOKUBA, String::new(), vec![]),
        ("SK-M2 only item excluded", SHOKUBA, eq(r#"{ name = "椅子", unit_price_yen = 50001, quantity = 1, purchased_on = 2019-01-31, in_plan = true, receipt_shared = false }"#), vec![]),
        ("SK-M2 one of two excluded", SHOKUBA, eq(&format!(r#"{{ name = "椅子", unit_price_yen = 50001, quantity = 1, purchased_on = 2019-01-31, in_plan = true, receipt_shared = false }}, {PRINTER}"#)), vec![]),
        ("SK-M5 equipment granted before", SHOKUBA, r#"previous_claims = [ { grant = "shokuba-kankyo-b", applied_on = 2018-06-01, equipment_granted = true } ]"#.into(), vec![]),
        ("SK-M5 unknown previous B", SHOKUBA, r#"previous_claims = [ { grant = "shokuba-kankyo-b", applied_on = 2018-06-01 } ]"#.into(), vec![]),
        ("SK-M6 bought before the plan", SHOKUBA, eq(r#"{ name = "プリンター", unit_price_yen = 21600, quantity = 2, purchased_on = 2019-01-28, in_plan = true, receipt_shared = false }"#), vec![]),
        ("SK-M6 not in the plan, with a claimed item", SHOKUBA, eq(&format!(r#"{{ name = "棚", unit_price_yen = 10000, quantity = 1, purchased_on = 2019-01-31, in_plan = false, receipt_shared = false }}, {PRINTER}"#)), vec![]),
        ("SK-M6 same-day purchase warning", SHOKUBA, eq(r#"{ name = "プリンター", unit_price_yen = 21600, quantity = 2, purchased_on = 2019-01-29, in_plan = true, receipt_shared = false }"#), vec![]),
        ("SK-M7 equipment receipt shared", SHOKUBA, eq(r#"{ name = "プリンター", unit_price_yen = 21600, quantity = 2, purchased_on = 2019-01-31, in_plan = true, receipt_shared = true }"#), vec![]),
        ("SK-M7 fee receipt shared (forced ineligible)", SHOKUBA, "shokuba = { guidance_receipt_shared = true }".into(), vec![]),
        ("SK-M6 unknown in_plan", SHOKUBA, eq(r#"{ name = "プリンター", unit_price_yen = 21600, quantity = 2, purchased_on = 2019-01-31, receipt_shared = false }"#), vec![]),
        ("unknown fee receipt", SHOKUBA, String::new(), vec!["shokuba.guidance_receipt_shared"]),
        ("equipment papers not ready", SHOKUBA, "attachments = { equipment_receipts = false, equipment_photos = false }".into(), vec![]),
        ("shokuba association, papers ready", SHOKUBA, "labour_insurance = { delegated_to_association = true }\nattachments = { association_wage_report = true, association_payment_notice = true }".into(), vec![]),
        ("shokuba association, papers missing", SHOKUBA, "labour_insurance = { delegated_to_association = true }".into(), vec![]),
        ("shokuba bulk payment", SHOKUBA, HEAD_OFFICE.into(), vec![]),
        ("shokuba no equipment", SHOKUBA, "shokuba = { equipment = [] }".into(), vec![]),
        ("shokuba forced ineligible (no group analysis)", SHOKUBA, "shokuba = { group_analysis_done = false }".into(), vec![]),
        ("shokuba unknown expert confirmation", SHOKUBA, String::new(), vec!["shokuba.expert_confirmed_on"]),
        ("sangyoui eligible (記載例)", SANGYOUI, String::new(), vec![]),
        ("sangyoui declaration fails", SANGYOUI, "declarations = { premium_arrears = true }".into(), vec![]),
        ("sangyoui declaration unknown", SANGYOUI, String::new(), vec!["declarations.bankrupt"]),
        ("sangyoui nurse", SANGYOUI, r#"sangyoui = { provider_kind = "nurse" }"#.into(), vec![]),
        ("sangyoui nurse, licence not ready", SANGYOUI, "sangyoui = { provider_kind = \"nurse\" }\nattachments = { qualification_proof = false }".into(), vec![]),
        ("sangyoui consultant without medical licence", SANGYOUI, r#"sangyoui = { physician_qualification = "health_consultant" }"#.into(), vec![]),
        ("sangyoui consultant with medical licence", SANGYOUI, "sangyoui = { physician_qualification = \"health_consultant\" }\nattachments = { medical_license = true }".into(), vec![]),
        ("sangyoui bulk payment", SANGYOUI, HEAD_OFFICE.into(), vec![]),
        ("sangyoui association", SANGYOUI, "labour_insurance = { delegated_to_association = true }\nattachments = { association_wage_report = true, association_payment_notice = true }".into(), vec![]),
        ("sangyoui contract not ready", SANGYOUI, "attachments = { contract_copy = false }".into(), vec![]),
        ("sangyoui forced ineligible (60 workers)", SANGYOUI, "establishment = { workers = 60 }".into(), vec![]),
    ];
    v.drain(..)
        .map(|(n, b, s, r)| (n.to_string(), b, s, r))
        .collect()
}

/// Oracle: a rule passes when it has findings and none is a warning, unknown or fail.
fn ok(ev: &Evaluation, rules: &[&str]) -> bool {
    rules.iter().all(|r| {
        let fs: Vec<_> = ev.findings.iter().filter(|f| f.rule == *r).collect();
        !fs.is_empty() && fs.iter().all(|f| f.outcome < Outcome::Warning)
    })
}

fn ready(c: &Claim, key: &str) -> bool {
    c.attachments.is_ready(key) == Some(true)
}

fn insurance_ready(c: &Claim) -> bool {
    if c.insurance.delegated_to_association == Some(true) {
        ready(c, "association_wage_report") && ready(c, "association_payment_notice")
    } else {
        ready(c, "insurance_declaration")
    }
}

/// Oracle for claimed equipment, re-derived from the facts and the guide's limits
/// (単価 50,000円以下, 計画に記載, 計画作成後の購入, 合算でない領収書, 機器は1回限り).
fn claimed_totals(c: &Claim) -> Vec<(String, i64)> {
    let Some(f) = shokuba::facts(c) else {
        return vec![];
    };
    let granted_before = c
        .previous
        .iter()
        .any(|p| p.grant.starts_with("shokuba-kankyo") && p.equipment_granted == Some(true));
    f.equipment
        .iter()
        .filter(|e| {
            e.unit_price_yen <= 50_000
                && !granted_before
                && e.in_plan != Some(false)
                && !matches!((e.purchased_on, f.plan_made_on), (Some(b), Some(p)) if b < p)
                && e.receipt_shared != Some(true)
        })
        .map(|e| (e.name.clone(), e.unit_price_yen * e.quantity))
        .collect()
}

fn expected_ticks(c: &Claim, ev: &Evaluation) -> Vec<(&'static str, bool)> {
    let bulk = c.insurance.bulk_payment_by_head_office == Some(true);
    let eligible = ev.eligible == Some(true);
    if shokuba::facts(c).is_some() {
        {
            let eq = !claimed_totals(c).is_empty();
            vec![
                ("1_form", eligible),
                (
                    "1_requirements",
                    ok(ev, &["SK-E1", "SK-E2", "SK-E3", "SK-E4", "SK-E5", "SK-E6"]),
                ),
                ("1_amount", eligible && ok(ev, &["SK-M4"])),
                (
                    "1_equipment",
                    eq && ok(ev, &["SK-M2", "SK-M5", "SK-M6", "SK-M7"]),
                ),
                ("1_seal", false),
                ("2", ready(c, "contract_copy") && ok(ev, &["SK-E3"])),
                ("3", false),
                ("4", ready(c, "qualification_proof") && ok(ev, &["SK-E7"])),
                ("5", ready(c, "expert_fee_receipt") && ok(ev, &["SK-M7"])),
                ("6", ready(c, "improvement_plan") && ok(ev, &["SK-E5"])),
                (
                    "7",
                    eq && ready(c, "equipment_receipts") && ok(ev, &["SK-M6", "SK-M7"]),
                ),
                (
                    "8",
                    eq && ready(c, "equipment_photos") && ok(ev, &["SK-M6"]),
                ),
                ("9", insurance_ready(c) && ok(ev, &["SK-E1"])),
                ("10", ready(c, "bank_passbook") && ok(ev, &["SK-T10"])),
                ("11", bulk),
                ("12", ready(c, "return_envelope")),
            ]
        }
    } else if let Some(f) = sangyoui::facts(c) {
        {
            let physician = f.provider == Some(ProviderKind::Physician);
            let consultant = f.qualification == Some(PhysicianQualification::HealthConsultant);
            let nurse = f.provider == Some(ProviderKind::Nurse);
            let proof = ready(c, "qualification_proof") && ok(ev, &["SC-A1"]);
            vec![
                ("1", ok(ev, &["SC-E1", "SC-E2", "SC-A2", "SC-A4"])),
                ("2", ready(c, "contract_copy") && ok(ev, &["SC-A6"])),
                (
                    "3_physician",
                    physician && proof && (!consultant || ready(c, "medical_license")),
                ),
                ("3_nurse", nurse && proof),
                ("4", insurance_ready(c) && ok(ev, &["SC-E2"])),
                ("5", ready(c, "bank_passbook") && ok(ev, &["SC-T5"])),
                ("6", bulk),
                (
                    "7",
                    ok(
                        ev,
                        &[
                            "SC-D1", "SC-D2", "SC-D3", "SC-D4", "SC-D5", "SC-D6", "SC-D7",
                        ],
                    ),
                ),
                ("8", ready(c, "return_envelope")),
            ]
        }
    } else {
        unreachable!("a claim of neither grant")
    }
}

/// Oracle for 様式第1号's yen boxes: printed only for an eligible claim.
fn expected_figures(c: &Claim, ev: &Evaluation) -> Vec<(&'static str, String)> {
    let Some(f) = shokuba::facts(c) else {
        return vec![];
    };
    if ev.eligible != Some(true) {
        return vec![
            ("guidance_fee", String::new()),
            ("equipment", String::new()),
            ("amount", String::new()),
        ];
    }
    let fee = f.guidance_fee_yen.unwrap().min(100_000);
    let equipment = claimed_totals(c)
        .iter()
        .map(|(_, t)| t)
        .sum::<i64>()
        .min(50_000);
    let amount = (fee + equipment).min(100_000);
    assert_eq!(
        amount, ev.amount_yen,
        "the oracle's amount is check's amount"
    );
    vec![
        ("guidance_fee", yen(fee)),
        ("equipment", yen(equipment)),
        ("amount", yen(amount)),
    ]
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("extractable text")
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// One claim of the audit: every mismatch with the oracle, said at once.
fn audit(name: &str, base: &str, set: &str, remove: &[&str]) -> Result<(), Failed> {
    let layout1 = std::fs::read_to_string("forms/shokuba-kankyo-a/H30/yoshiki1.toml")
        .map_err(|e| e.to_string())?;
    let text = claim_text(base, set, remove);
    let claim = parse(name, &text, Format::Toml).map_err(|e| format!("{name}: {e}"))?;
    let ev = evaluate(&claim, today());
    let ctx = johas_claim::programmes::johas::packet::form_context(&claim, &ev);
    let mut failures = Vec::new();
    let expected = expected_ticks(&claim, &ev);
    let checks = ctx["checks"]
        .as_object()
        .ok_or("no checks in the form context")?;
    if checks.len() != expected.len() {
        failures.push(format!(
            "{} boxes in the context, {} in the oracle (one oracle entry per box)",
            checks.len(),
            expected.len()
        ));
    }
    for (key, want) in &expected {
        let got = checks.get(*key).and_then(Json::as_bool);
        if got != Some(*want) {
            failures.push(format!("box {key}: oracle {want}, packet {got:?}"));
        }
    }
    let figures = expected_figures(&claim, &ev);
    for (key, want) in &figures {
        let got = ctx["shokuba"][*key].as_str().unwrap_or("(absent)");
        if got != want {
            failures.push(format!("様式第1号 {key}: oracle {want:?}, context {got:?}"));
        }
    }
    // The equipment named on 様式第1号: claimed items only.
    if shokuba::facts(&claim).is_some() {
        let mut names: Vec<String> = Vec::new();
        for (n, _) in claimed_totals(&claim) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let got = ctx["shokuba"]["equipment_names"]
            .as_str()
            .unwrap_or("(absent)");
        if got != names.join("、") {
            failures.push(format!("equipment_names {got:?}, oracle {names:?}"));
        }
    }
    // The printed 様式第1号 (forced for an ineligible claim, as `--allow-ineligible`): the
    // packet's own layout, exported to PDF and read back.
    match johas_claim::programmes::johas::packet::lay_out(&claim, &ev) {
        Err(johas_claim::programmes::johas::packet::PacketError::Problems(list))
            if list.iter().all(|p| remove.contains(&p.key.as_str())) =>
        {
            // A removed fact the forms print: the packet refuses, naming it (as check does).
        }
        Err(e) => failures.push(format!("packet failed: {e}")),
        Ok((docs, checklist)) => {
            let form1 = docs
                .iter()
                .find(|(n, _)| n.ends_with("-yoshiki1.pdf"))
                .map(|(_, d)| d)
                .ok_or("no 様式第1号 in the packet")?;
            let printed = pdf_text(&johas_claim::pdf::export(form1).map_err(|e| e.to_string())?);
            for (key, want) in &figures {
                if want.is_empty() {
                    // Blank: none of the amounts this claim would have may appear (unless
                    // the layout pre-prints the same digits).
                    for stage in &ev.amount_stages {
                        let s = yen(stage.yen);
                        if stage.yen > 0 && printed.contains(&s) && !layout1.contains(&s) {
                            failures
                                .push(format!("様式第1号 prints {s} while not eligible ({key})"));
                        }
                    }
                } else if !printed.contains(want.as_str()) {
                    failures.push(format!("様式第1号 PDF lacks {key} = {want}"));
                }
            }
            let empty = expected.iter().filter(|(_, on)| !on).count();
            if !checklist.contains(&format!("様式第3号で印を付けていない欄（{empty}件）"))
            {
                failures.push(format!("checklist does not list the {empty} empty boxes"));
            }
            if !figures.is_empty() && figures[0].1.is_empty() && !checklist.contains("金額欄") {
                failures.push("checklist does not say why the figures are blank".into());
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} mismatches:\n{}", failures.len(), failures.join("\n")).into())
    }
}

/// The audit's claims are many and reach every verdict (eligible, not, unknown).
fn covers_every_verdict() -> Result<(), Failed> {
    let mut kinds = std::collections::BTreeSet::new();
    let all = claims();
    for (name, base, set, remove) in &all {
        let claim = parse(name, &claim_text(base, set, remove), Format::Toml)
            .map_err(|e| format!("{name}: {e}"))?;
        kinds.insert(format!("{:?}", evaluate(&claim, today()).eligible));
    }
    if all.len() >= 20 && kinds.len() == 3 {
        Ok(())
    } else {
        Err(format!("{} claims, verdicts {kinds:?}", all.len()).into())
    }
}

/// Every tick declaration names rules, attachments and facts that exist.
fn tick_declarations_name_real_rules_and_attachments() {
    for ed in johas_claim::programmes::johas::editions::all() {
        let problems = johas_claim::programmes::johas::packet::ticks::validate(ed);
        assert!(
            problems.is_empty(),
            "{} {}: {problems:?}",
            ed.grant.id(),
            ed.edition
        );
        let decls = johas_claim::programmes::johas::packet::ticks::declarations(ed).unwrap();
        assert!(
            decls.len() >= 9,
            "{} {}: {} boxes",
            ed.grant.id(),
            ed.edition,
            decls.len()
        );
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = claims()
        .into_iter()
        .map(|(name, base, set, remove)| {
            Trial::test(format!("tick::{name}"), move || {
                audit(&name, base, &set, &remove)
            })
        })
        .collect();
    trials.push(Trial::test(
        "tick::the claims cover every verdict",
        covers_every_verdict,
    ));
    trials.push(Trial::test(
        "tick::declarations name real rules and attachments",
        || {
            tick_declarations_name_real_rules_and_attachments();
            Ok(())
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}
