//! What a reader needs beside the rule functions: the guide's own sentences, the edition
//! parameters and claim-file keys each rule uses, and a plain "what would make it pass" where
//! that is not a number. It is written in the edition file itself
//! (`editions/<grant>/<edition>.toml`: `guide_file`, `[[sections]]`, each `[[rules]]` entry's
//! `quote`, `params`, `facts` and `change`, `[[notes]]`), so every edition has it, one added
//! with `--editions` too, and the loader checks it with the rest of the edition
//! ([`crate::programmes::johas::edition`]).
//!
//! The names below are the explanation's view of an edition, for `explain`, `report --html`,
//! `new` and the what-if hints.

use crate::programmes::johas::edition::{self, Edition};
use crate::programmes::johas::editions;

pub use crate::programmes::johas::edition::{Note as NoteText, Section};

/// The explanation of an edition is the edition itself: `guide_file`, `sections`, `rules`
/// (each with its quote), `notes`, `rule(id)` and `rules_reading(key)`.
pub type ExplainData = Edition;

/// A rule as a reader sees it: its `[[rules]]` entry (`id`, `quote`, `params`, `facts`,
/// `change`, beside `title`, `cite` and `decision`).
pub type RuleText = edition::RuleDef;

/// The explanation of every loaded edition (the bundled ones, then those added with
/// `--editions`): what the test that finds every quote in its guide reads.
pub fn all() -> &'static [ExplainData] {
    editions::all()
}

/// The explanation of an edition. Every edition has one (the loader refuses an edition
/// whose rules lack their quote or whose sections do not place every rule).
pub fn for_edition(ed: &Edition) -> Option<&ExplainData> {
    Some(ed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_rule_is_explained() {
        for ed in all() {
            let d = for_edition(ed).unwrap();
            assert!(!d.guide_file.is_empty(), "{}", ed.source);
            for r in &ed.rules {
                assert!(!d.rule(&r.id).unwrap().quote.is_empty(), "{}", r.id);
            }
        }
        let ed = editions::find(
            crate::programmes::johas::grant::grant("shokuba-kankyo-a").unwrap(),
            "H30",
        )
        .unwrap();
        let ids = |key| {
            for_edition(ed)
                .unwrap()
                .rules_reading(key)
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        };
        // A parent key reads its children; the guide's order.
        assert_eq!(
            ids("shokuba.equipment.unit_price_yen"),
            ["SK-M1", "SK-M2", "SK-M3", "SK-M4", "SK-M6", "SK-M7"]
        );
        assert_eq!(ids("claim.application_date"), ["SK-W1"]);
    }
}
