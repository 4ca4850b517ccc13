//! The explanation files: `editions/<grant>/explain/<edition>.toml`, one beside each
//! edition file. They hold what the rule functions do not need but a reader does: the
//! guide's own sentences, the edition parameters and claim-file keys each rule uses, and
//! a plain "what would make it pass" where that is not a number.

use crate::programmes::johas::edition::Edition;
use serde::Deserialize;
use std::sync::OnceLock;

/// The bundled explanation files (next to the bundled editions).
const FILES: &[(&str, &str)] = &[
    (
        "editions/sangyoui-chokusetsu/explain/R2.toml",
        include_str!("../../../editions/sangyoui-chokusetsu/explain/R2.toml"),
    ),
    (
        "editions/shokuba-kankyo-a/explain/H30.toml",
        include_str!("../../../editions/shokuba-kankyo-a/explain/H30.toml"),
    ),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub heading: String,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    pub id: String,
    /// The guide's sentences, quoted exactly.
    pub quote: Vec<String>,
    /// Edition parameters (names of `[params]` keys, or `application.opens|closes`).
    #[serde(default)]
    pub params: Vec<String>,
    /// Claim-file keys the rule reads (dotted paths).
    #[serde(default)]
    pub facts: Vec<String>,
    /// What would make a failing finding pass, when that is not computed from numbers.
    pub change: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteText {
    pub quote: String,
    pub cite: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainData {
    pub grant: String,
    pub edition: String,
    /// The guide's file name in shared/reference/.
    pub guide_file: String,
    pub sections: Vec<Section>,
    pub rules: Vec<RuleText>,
    #[serde(default)]
    pub notes: Vec<NoteText>,
    /// The file it came from.
    #[serde(skip)]
    pub source: String,
}

impl ExplainData {
    pub fn rule(&self, id: &str) -> Option<&RuleText> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules that read a claim-file key (a key or a parent of it, e.g. `shokuba.equipment`
    /// for `shokuba.equipment.unit_price_yen`), in the guide's order.
    pub fn rules_reading(&self, key: &str) -> Vec<&RuleText> {
        let order: Vec<&String> = self.sections.iter().flat_map(|s| &s.rules).collect();
        let mut found: Vec<&RuleText> = self
            .rules
            .iter()
            .filter(|r| {
                r.facts
                    .iter()
                    .any(|f| f == key || key.starts_with(&format!("{f}.")))
            })
            .collect();
        found.sort_by_key(|r| order.iter().position(|o| **o == r.id).unwrap_or(usize::MAX));
        found
    }
}

pub fn parse(source: &str, text: &str) -> Result<ExplainData, String> {
    let mut d: ExplainData = toml::from_str(text).map_err(|e| format!("{source}: {e}"))?;
    d.source = source.to_string();
    Ok(d)
}

/// All bundled explanation files. Like the editions, they are part of the binary and
/// checked by the tests, so a broken file is a build defect.
pub fn all() -> &'static [ExplainData] {
    static ALL: OnceLock<Vec<ExplainData>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .map(|(p, t)| parse(p, t).unwrap_or_else(|e| panic!("explanation data: {e}")))
            .collect()
    })
}

/// The explanation of an edition, if it has one.
pub fn for_edition(ed: &Edition) -> Option<&'static ExplainData> {
    all()
        .iter()
        .find(|d| d.grant == ed.grant.id() && d.edition == ed.edition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_edition_has_an_explanation() {
        for ed in crate::programmes::johas::edition::all() {
            assert!(
                for_edition(ed).is_some(),
                "{} has no explain/<edition>.toml",
                ed.source
            );
        }
    }
}
