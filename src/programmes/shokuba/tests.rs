//! The rules of 職場環境改善 (Aコース), judged on typed claims.

use crate::model::findings::{Finding, Outcome};
use crate::programmes::johas::evaluate::evaluate;
use crate::programmes::johas::evaluation::Evaluation;
use crate::programmes::johas::model::Claim;
use chrono::NaiveDate;

fn example(name: &str) -> Claim {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    crate::programmes::johas::read::load(std::path::Path::new(&path)).unwrap()
}

fn run(claim: &Claim) -> Evaluation {
    evaluate(claim, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap())
}

fn of<'a>(ev: &'a Evaluation, rule: &str) -> Vec<&'a Finding> {
    ev.findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn every_rule_pushes_only_its_own_id() {
    let claim = example("shokuba-rouan.toml");
    let ev = run(&claim);
    for id in super::rules::RULES.iter().map(|r| r.id) {
        assert!(!of(&ev, id).is_empty(), "{id} pushed nothing");
    }
}

#[test]
fn sk_m5_judges_a_second_claim() {
    let mut claim = example("shokuba-rouan.toml");
    claim.round = 2;
    let ev = run(&claim);
    assert_eq!(ev.eligible, Some(false));
    let f = of(&ev, "SK-M5");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].outcome, Outcome::Fail);
    assert!(f[0].message.contains("1回限り"), "{}", f[0].message);
}

#[test]
fn sk_e7_fails_an_expert_the_guide_does_not_list() {
    let mut claim = example("shokuba-rouan.toml");
    claim
        .facts_as_mut::<super::ShokubaFacts>()
        .unwrap()
        .expert_qualification = Some(super::facts::ExpertQualification::NotListed(
        "中小企業診断士".into(),
    ));
    let ev = run(&claim);
    let f = of(&ev, "SK-E7");
    assert_eq!(f[0].outcome, Outcome::Fail);
    assert!(f[0].message.contains("中小企業診断士"));
    assert!(f[0].citation.contains("用語の説明「専門家」"));
    assert_eq!(ev.eligible, Some(false));
}
