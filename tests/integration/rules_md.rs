//! Every rule ID of RULES.md has an implementation: evaluating the bundled examples
//! yields a finding for it, or the edition data defines it as an attachment. The catalogue
//! is vendored in docs/RULES.md; when ../shared/RULES.md is present (the team checkout),
//! it must be the same file.

use std::collections::BTreeSet;

fn ids(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().filter(|l| l.starts_with("| S")) {
        let cell = line.split('|').nth(1).unwrap().trim();
        // "SC-D1 … SC-D6" is a range.
        if let Some((a, b)) = cell.split_once('…') {
            let (a, b) = (a.trim(), b.trim());
            let prefix: String = a.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
            let lo: u32 = a[prefix.len()..].parse().unwrap();
            let hi: u32 = b[prefix.len()..].parse().unwrap();
            for n in lo..=hi {
                out.insert(format!("{prefix}{n}"));
            }
        } else {
            out.insert(cell.to_string());
        }
    }
    out
}

/// Outside CI a checkout without ../shared is normal (only the vendored copy is checked);
/// under `CI=true` the shared catalogue must be there, so the drift check cannot pass by
/// being skipped.
#[test]
fn vendored_catalogue_matches_the_shared_one() {
    let vendored = std::fs::read_to_string("docs/RULES.md").unwrap();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    match std::fs::read_to_string("../shared/RULES.md") {
        Ok(shared) => assert_eq!(
            vendored, shared,
            "docs/RULES.md is out of date: copy ../shared/RULES.md and implement what changed"
        ),
        Err(e) if ci => panic!(
            "CI=true but ../shared/RULES.md cannot be read ({e}): the drift check needs the shared catalogue"
        ),
        Err(_) => eprintln!("note: ../shared/RULES.md not found; only docs/RULES.md is checked"),
    }
}

/// The two official guides are vendored in docs/reference/ (the `explain` quotes are checked
/// against them); like the catalogue, they must equal the team's shared copies, which must
/// be there under `CI=true`.
#[test]
fn vendored_guides_match_the_shared_ones() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    for name in [
        "sangyoui-josei-chokusetsu-R2-tebiki.md",
        "shokuba-kankyo-kaizen-A-H30-tebiki.md",
    ] {
        let vendored = std::fs::read_to_string(format!("docs/reference/{name}")).unwrap();
        match std::fs::read_to_string(format!("../shared/reference/{name}")) {
            Ok(shared) => assert_eq!(
                vendored, shared,
                "docs/reference/{name} is out of date: copy ../shared/reference/{name}"
            ),
            Err(e) if ci => panic!("CI=true but ../shared/reference/{name} cannot be read ({e})"),
            Err(_) => eprintln!(
                "note: ../shared/reference/{name} not found; only the vendored copy is used"
            ),
        }
    }
}

#[test]
fn every_rules_md_id_is_implemented() {
    let catalogue = ids(&std::fs::read_to_string("docs/RULES.md").unwrap());
    assert!(catalogue.len() > 60, "parsed only {} IDs", catalogue.len());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut implemented = BTreeSet::new();
    for ex in [
        "examples/sangyoui-rouan.toml",
        "examples/shokuba-rouan.toml",
    ] {
        let claim = johas_claim::validate::load(std::path::Path::new(ex)).unwrap();
        for f in johas_claim::evaluate::evaluate(&claim, today).findings {
            assert!(
                claim.edition.rule(&f.rule).is_some(),
                "{} has no title/citation in {}",
                f.rule,
                claim.edition.source
            );
            implemented.insert(f.rule);
        }
    }
    for e in johas_claim::edition::all() {
        for a in &e.attachments {
            implemented.insert(a.id.clone());
        }
        for r in &e.rules {
            assert!(
                catalogue.contains(&r.id),
                "{} in {} is not in RULES.md",
                r.id,
                e.source
            );
        }
    }
    // Every registered rule function implements a catalogue ID.
    for (id, _) in johas_claim::rules::REGISTRY {
        assert!(
            catalogue.contains(*id),
            "rule function {id} is not in RULES.md"
        );
    }
    let missing: Vec<_> = catalogue.difference(&implemented).collect();
    assert!(
        missing.is_empty(),
        "RULES.md IDs without an implementation: {missing:?}"
    );
}
