//! The rules of 産業医活動, judged on typed claims.

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
    let claim = example("sangyoui-rouan.toml");
    let ev = run(&claim);
    for id in super::rules::RULES.iter().map(|r| r.id) {
        assert!(!of(&ev, id).is_empty(), "{id} pushed nothing");
    }
    let ids: Vec<_> = super::rules::RULES.iter().map(|r| r.id).collect();
    for f in &ev.findings {
        assert!(
            ids.contains(&f.rule.as_str()) || f.rule.starts_with("SC-"),
            "{} is not a rule of this grant",
            f.rule
        );
    }
}

#[test]
fn the_editions_rules_list_decides_what_runs() {
    let claim = example("sangyoui-rouan.toml");
    let mut edition = claim.edition.clone();
    edition.rules.retain(|r| r.id != "SC-W4");
    let edition: &'static crate::programmes::johas::edition::Edition = Box::leak(Box::new(edition));
    let claim = Claim { edition, ..claim };
    let ev = run(&claim);
    assert!(of(&ev, "SC-W4").is_empty());
    assert!(!of(&ev, "SC-W5").is_empty());
}

#[test]
fn an_edition_rule_without_a_function_is_a_data_error() {
    use crate::programmes::johas::evaluate::check_rules as check_edition;
    let mut e = example("sangyoui-rouan.toml").edition.clone();
    check_edition(&e).unwrap();
    e.rules[0].id = "SC-X9".into();
    let err = check_edition(&e).unwrap_err();
    assert!(err.message.contains("SC-X9"), "{err}");
    e.rules[0].id = "SK-E1".into();
    let err = check_edition(&e).unwrap_err();
    assert!(err.message.contains("shokuba-kankyo-a"), "{err}");
}

#[test]
fn sc_m3_judges_a_third_claim() {
    let mut claim = example("sangyoui-rouan.toml");
    claim.round = 3;
    let ev = run(&claim);
    assert_eq!(ev.eligible, Some(false));
    let f = of(&ev, "SC-M3");
    assert_eq!(f[0].outcome, Outcome::Fail);
    assert!(f[0].message.contains("3回目は対象外"), "{}", f[0].message);
    assert_eq!(f[0].citation, "手引 I-5");
    // No window and no 2nd-claim rules for a 3rd claim.
    assert!(ev.window.is_none());
    assert_eq!(ev.worst("SC-W2"), Some(Outcome::Pass));
    assert_eq!(ev.worst("SC-W3"), Some(Outcome::Pass));
}

#[test]
fn sc_a1_fails_a_provider_who_is_neither_physician_nor_nurse() {
    let mut claim = example("sangyoui-rouan.toml");
    claim
        .facts_as_mut::<super::SangyouiFacts>()
        .unwrap()
        .provider = Some(super::facts::ProviderKind::Other("看護師".into()));
    let ev = run(&claim);
    let f = of(&ev, "SC-A1");
    assert_eq!(f[0].outcome, Outcome::Fail);
    assert!(f[0].message.contains("看護師"));
    assert_eq!(ev.eligible, Some(false));
}

#[test]
fn sc_e1_shows_its_decision_only_when_dispatched_workers_decide() {
    let mut claim = example("sangyoui-rouan.toml");
    let decision = |claim: &Claim| of(&run(claim), "SC-E1")[0].decision.clone();
    // 35 (5 dispatched): eligible under any reading.
    assert_eq!(decision(&claim), None);
    // 52 with 5 dispatched: 47 without them, so the reading decides.
    claim.establishment.workers = Some(52);
    assert!(decision(&claim).is_some());
    // 60 with 5 dispatched: not small under any reading.
    claim.establishment.workers = Some(60);
    assert_eq!(decision(&claim), None);
}
