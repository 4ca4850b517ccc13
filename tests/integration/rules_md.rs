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
        "kenko-keiei-yuryo-hojin-2026-chusho-shinseisho.md",
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
        let claim = johas_claim::programmes::johas::read::load(std::path::Path::new(ex)).unwrap();
        for f in johas_claim::programmes::johas::evaluate::evaluate(&claim, today).findings {
            assert!(
                claim.edition.rule(&f.rule).is_some(),
                "{} has no title/citation in {}",
                f.rule,
                claim.edition.source
            );
            implemented.insert(f.rule);
        }
    }
    for e in johas_claim::programmes::johas::editions::all() {
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
    for id in johas_claim::programmes::johas::evaluate::registered() {
        assert!(
            catalogue.contains(id),
            "rule function {id} is not in RULES.md"
        );
    }
    let missing: Vec<_> = catalogue.difference(&implemented).collect();
    assert!(
        missing.is_empty(),
        "RULES.md IDs without an implementation: {missing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 健康経営優良法人 (KK-…): docs/RULES-kenko-keiei.md, vendored like docs/RULES.md.

use johas_claim::programmes::kenko_keiei as kk;

#[test]
fn vendored_kk_catalogue_matches_the_shared_one() {
    let vendored = std::fs::read_to_string("docs/RULES-kenko-keiei.md").unwrap();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    match std::fs::read_to_string("../shared/RULES-kenko-keiei.md") {
        Ok(shared) => assert_eq!(
            vendored, shared,
            "docs/RULES-kenko-keiei.md is out of date: copy ../shared/RULES-kenko-keiei.md and implement what changed"
        ),
        Err(e) if ci => panic!(
            "CI=true but ../shared/RULES-kenko-keiei.md cannot be read ({e}): the drift check needs the shared catalogue"
        ),
        Err(_) => eprintln!("note: ../shared/RULES-kenko-keiei.md not found; only docs/RULES-kenko-keiei.md is checked"),
    }
}

/// Every KK ID of the catalogue has a rule function and an entry (title, cite, quote) in the
/// edition data, and the data names no rule the catalogue lacks.
#[test]
fn every_kk_id_is_implemented() {
    let text = std::fs::read_to_string("docs/RULES-kenko-keiei.md").unwrap();
    let catalogue: BTreeSet<String> = text
        .lines()
        .filter(|l| l.starts_with("| KK-"))
        .map(|l| l.split('|').nth(1).unwrap().trim().to_string())
        .collect();
    assert_eq!(catalogue.len(), 58, "parsed {} KK IDs", catalogue.len());
    let ed = kk::bundled();
    let data: BTreeSet<String> = ed.rules.iter().map(|r| r.id.clone()).collect();
    let code: BTreeSet<String> = kk::rules::REGISTRY
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    assert_eq!(
        catalogue, data,
        "the edition's [[rules]] differ from the catalogue"
    );
    assert_eq!(
        catalogue, code,
        "the rule functions differ from the catalogue"
    );
    // Every decision the catalogue names is in the data.
    for d in ed.decisions.iter() {
        assert!(
            text.contains(&format!("| {} |", d.id)),
            "{} is not a decision of the catalogue",
            d.id
        );
    }
    for n in 1..=23 {
        assert!(
            ed.decision(&format!("D{n}")).is_some(),
            "D{n} missing from the edition data"
        );
    }
}

/// The reference, whitespace removed (a quote may run over a line break of the rendering).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every text the data quotes from the workbook is the workbook's own: the rules' quotes, the
/// disclaimer, the 特例 notes, every question's text, option, document example and caution. A
/// text is found verbatim (or across a line break), or after undoing an errata correction whose
/// original is on the line it names.
#[test]
fn every_kk_quote_is_in_the_reference() {
    let ed = kk::bundled();
    let reference =
        std::fs::read_to_string(format!("docs/reference/{}", ed.reference_file)).unwrap();
    let lines: Vec<&str> = reference.lines().collect();
    let squeezed = squeeze(&reference);
    for e in &ed.errata {
        let line = lines.get(e.line - 1).unwrap_or(&"");
        assert!(
            line.contains(&e.original),
            "erratum: line {} does not read {:?}: {line}",
            e.line,
            e.original
        );
    }
    let found = |q: &str| {
        if reference.contains(q) || squeezed.contains(&squeeze(q)) {
            return true;
        }
        let mut t = q.to_string();
        for e in &ed.errata {
            t = t.replace(&e.corrected, &e.original);
        }
        reference.contains(&t) || squeezed.contains(&squeeze(&t))
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    for r in &ed.rules {
        for q in &r.quote {
            texts.push((r.id.clone(), q.clone()));
        }
    }
    texts.push(("disclaimer".into(), ed.disclaimer.value.clone()));
    texts.push(("tokurei.note".into(), ed.tokurei.note.value.clone()));
    texts.push((
        "tokurei.published".into(),
        ed.tokurei.published.value.clone(),
    ));
    for q in &ed.questions {
        if let Some(t) = &q.text {
            texts.push((q.id.clone(), t.clone()));
        }
        for o in &q.options {
            texts.push((format!("{} option {}", q.id, o.n), o.text.clone()));
            if let Some(m) = &o.marker {
                texts.push((format!("{} option {} marker", q.id, o.n), m.clone()));
            }
        }
        for d in &q.docs {
            texts.push((format!("{} docs", q.id), d.text.clone()));
        }
        for c in &q.cautions {
            texts.push((format!("{} caution", q.id), c.quote.clone()));
        }
    }
    assert!(texts.len() > 1000, "only {} texts", texts.len());
    let missing: Vec<_> = texts.iter().filter(|(_, t)| !found(t)).collect();
    assert!(missing.is_empty(), "not in the reference: {missing:#?}");
    // The disclaimer is the sentence of L2705.
    assert!(lines[2704].contains(&ed.disclaimer.value));
}

/// Every `L123` cite in the data points inside the reference.
#[test]
fn every_kk_cite_is_a_line_of_the_reference() {
    let ed = kk::bundled();
    let n = std::fs::read_to_string(format!("docs/reference/{}", ed.reference_file))
        .unwrap()
        .lines()
        .count();
    let data = std::fs::read_to_string(kk::load::BUNDLED_PATH).unwrap();
    let re = regex::Regex::new(r"L(\d+)").unwrap();
    let mut seen = 0;
    for c in re.captures_iter(&data) {
        let l: usize = c[1].parse().unwrap();
        assert!(
            (1..=n).contains(&l),
            "cite L{l} is outside the reference (1–{n})"
        );
        seen += 1;
    }
    assert!(seen > 300, "only {seen} cites");
}
