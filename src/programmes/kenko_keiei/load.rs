//! Loading an edition: its data file parsed and checked ([`Edition::load`]), and checked
//! against what the code names (the rule functions of [`super::rules::REGISTRY`], the
//! questions [`super::facts::READS`] reads). The bundled edition is compiled in.

use super::facts;
use super::params::{Code, Edition};
use crate::model::DataError;
use std::sync::OnceLock;

/// The bundled edition, compiled in.
pub const BUNDLED_PATH: &str = "editions/kenko-keiei-chusho/2026.toml";
const BUNDLED: &str = include_str!("../../../editions/kenko-keiei-chusho/2026.toml");

/// What the code names in the data.
fn code() -> Code<'static> {
    Code {
        rules: super::rules::REGISTRY.iter().map(|(id, _)| *id).collect(),
        reads: facts::READS,
        legal_form: facts::LEGAL_FORM,
        industry: facts::INDUSTRY,
    }
}

/// Parses and checks one edition file.
pub fn load(path: &str, text: &str) -> Result<Edition, DataError> {
    Edition::load(path, text, &code())
}

/// The bundled edition (2026), loaded and checked once; a defect named with its file.
pub fn bundled_checked() -> Result<&'static Edition, DataError> {
    static E: OnceLock<Result<Edition, DataError>> = OnceLock::new();
    E.get_or_init(|| load(BUNDLED_PATH, BUNDLED))
        .as_ref()
        .map_err(Clone::clone)
}

/// The bundled edition (2026). The command line loads it first with [`bundled_checked`]
/// (`Programme::load_data`), so a defect is reported there, as the tool's data at fault.
///
/// # Panics
/// Only if the bundled data file is wrong, which the unit tests and `load_data` rule out.
pub fn bundled() -> &'static Edition {
    bundled_checked().unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programmes::kenko_keiei::params::Track;

    #[test]
    fn the_bundled_edition_loads() {
        let e = bundled();
        assert_eq!(e.edition, "2026");
        assert_eq!(e.rules.len(), 58);
        assert_eq!(e.params.fee_yen.value, 16500);
        assert_eq!(
            e.params.upload_deadline.value.0.to_string(),
            "2025-10-17 17:00:00"
        );
        assert!(e.questions.len() > 200);
    }

    /// A later workbook is a new data file: here one that renumbers Q19 and lowers a threshold.
    /// The question keeps its ID, so answers can be carried over by ID, not by number.
    #[test]
    fn a_renumbered_edition_is_data() {
        let t = BUNDLED
            .replacen("edition = \"2026\"", "edition = \"2027\"", 1)
            .replacen(
                "id = \"communication\"\nkey = \"answers.q19\"\nlabel = \"Q19\"",
                "id = \"communication\"\nkey = \"answers.q20\"\nlabel = \"Q20\"",
                1,
            )
            .replacen(
                "id = \"illness_support\"\nkey = \"answers.q20\"\nlabel = \"Q20\"",
                "id = \"illness_support\"\nkey = \"answers.q19\"\nlabel = \"Q19\"",
                1,
            )
            .replacen("at_least = { value = 4,", "at_least = { value = 3,", 1);
        let e27 = load("editions/kenko-keiei-chusho/2027.toml", &t).unwrap();
        let e26 = bundled();
        assert_eq!(e26.question("communication").unwrap().key, "answers.q19");
        assert_eq!(e27.question("communication").unwrap().key, "answers.q20");
        assert_eq!(
            e27.question_by_key("answers.q19").unwrap().id,
            "illness_support"
        );
        assert_eq!(e27.count("KK-C3", Track::Normal).unwrap().at_least.value, 3);
        assert_eq!(e26.count("KK-C3", Track::Normal).unwrap().at_least.value, 4);
    }

    #[test]
    fn a_bad_edition_names_its_problem() {
        let bad = BUNDLED.replacen("none = 5", "none = 9", 1);
        let e = load("x.toml", &bad).unwrap_err();
        assert!(e.message.contains("選択肢 9 がありません"), "{}", e.message);
        let bad = BUNDLED.replacen("id = \"KK-V17\"", "id = \"KK-V99\"", 1);
        let e = load("x.toml", &bad).unwrap_err();
        assert!(e.message.contains("KK-V99"), "{}", e.message);
    }
}
