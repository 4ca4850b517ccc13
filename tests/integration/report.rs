//! The report tells an excluded equipment item (not claimed; the claim stays eligible) apart
//! from a failed requirement, in the human text and in the JSON.

use std::process::{Command, Output};

const TODAY: &str = "2026-11-21";

fn run(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c.args(args).output().expect("run johas-claim")
}

/// The 職場環境改善 example with a second item: a sofa over the unit-price limit whose
/// purchase date is not given.
fn with_sofa(dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let mut s = std::fs::read_to_string("examples/shokuba-rouan.toml").unwrap();
    let at = s.find("[attachments]").unwrap();
    s.insert_str(
        at,
        "[[shokuba.equipment]]\nname = \"ソファ\"\nunit_price_yen = 60000\nquantity = 1\nin_plan = true\nreceipt_shared = false\n\n",
    );
    s = s.replacen("[shokuba]\n", &format!("[shokuba]\n{extra}"), 1);
    let p = dir.join("claim.toml");
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn an_excluded_item_is_shown_as_not_claimed_not_as_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let c = with_sofa(dir.path(), "");
    let c = c.to_str().unwrap();
    let o = run(&["check", c, "--today", TODAY]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("判定: 支給要件を満たしています（対象外の機器・設備 1件は請求しません）"),
        "{out}"
    );
    assert!(
        out.contains("2. ソファ（60,000円 × 1 = 60,000円）: 対象外（請求しない）"),
        "{out}"
    );
    assert!(
        out.contains("1. プリンター（21,600円 × 2 = 43,200円）: 請求する"),
        "{out}"
    );
    assert!(out.contains("SK-M2"), "{out}");
    assert!(!out.contains("[不適合]"), "{out}");
    assert!(
        !out.contains("[不明]"),
        "the sofa's purchase date cannot matter: {out}"
    );
    assert!(out.contains("助成金額: 100,000円"), "{out}");

    let o = run(&["check", c, "--format", "json", "--today", TODAY]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["eligible"], true);
    let sk_m2: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "SK-M2")
        .collect();
    assert!(sk_m2
        .iter()
        .any(|f| f["outcome"] == "excluded" && f["item"] == 2));
    assert_eq!(v["equipment"][1]["claimed"], false);
    assert_eq!(
        v["equipment"][1]["excluded_by"],
        serde_json::json!(["SK-M2"])
    );
    assert_eq!(v["equipment"][0]["claimed"], true);
    assert_eq!(v["shokuba_amounts"]["equipment_eligible"], 43200);
}

#[test]
fn a_failed_requirement_beside_an_excluded_item_is_still_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let c = with_sofa(dir.path(), "");
    let text = std::fs::read_to_string(&c).unwrap().replacen(
        "guidance_receipt_shared = false",
        "guidance_receipt_shared = true",
        1,
    );
    std::fs::write(&c, text).unwrap();
    let o = run(&["check", c.to_str().unwrap(), "--today", TODAY]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("[不適合] SK-M7"), "{out}");
    assert!(out.contains("対象外（請求しない）"), "{out}");
    assert!(out.contains("助成金額: 0円（不支給）"), "{out}");
}
