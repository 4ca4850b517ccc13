//! 健康経営優良法人（中小規模法人部門）: the pre-check of the 認定要件 from the answers of the
//! workbook 「健康経営優良法人2026(中小規模法人部門)認定申請書」. Not a grant: nothing is paid; the
//! tool says whether the answers meet the requirements, cites the workbook for every finding, and
//! says what would close each gap. It never fills the workbook.
//!
//! The pipeline, one file each:
//! - [`params`]: the edition data (`editions/kenko-keiei-chusho/<edition>.toml`) → typed
//!   parameters and the question catalogue, checked when loaded ([`load`](mod@load): against what the
//!   code names too);
//! - [`read`]: an answers file (TOML or JSON) → [`facts::Facts`], every input error at once;
//! - [`counts`]: a rule's outcome, counts against thresholds, blanks, documents to keep;
//! - [`rules`]: one function per KK rule, beside the workbook's sentence;
//! - [`verdict`]: what an evaluation says (types); [`evaluate`](mod@evaluate) fills it: track, items,
//!   counts, verdict, gate, to-do list, documents, deadlines;
//! - [`advice`]: 「結果を変えるには」;
//! - [`schema`]: the answers file's keys, kinds and options (for the template);
//! - [`programme`]: the commands' view (check, explain, book), through the input boundary;
//!   [`report`] the meeting page's article, [`transcript`] the packet (転記表, 保存資料).

pub mod advice;
pub mod answers;
pub mod counts;
pub mod evaluate;
pub mod facts;
pub mod interview;
pub mod judged;
pub mod load;
pub mod params;
pub mod profile_columns;
pub mod programme;
pub mod read;
pub mod report;
pub mod rules;
pub mod schema;
pub mod transcript;
pub mod verdict;

pub use evaluate::{evaluate, Evaluation, Status};
pub use facts::Facts;
pub use load::{bundled, bundled_checked, load};
pub use params::{Edition, Track};
pub use programme::PROGRAMME;
pub use read::{read_str, read_toml, read_value, Format, InputError, Note, Read};

/// Reads an answers file's text and evaluates it against the bundled edition on `as_of`.
pub fn check_str(
    text: &str,
    format: Format,
    as_of: chrono::NaiveDate,
) -> Result<(Read, Evaluation), Vec<InputError>> {
    let ed = bundled();
    let r = read_str(text, format, ed)?;
    let ev = evaluate(ed, &r.facts, as_of);
    Ok((r, ev))
}
