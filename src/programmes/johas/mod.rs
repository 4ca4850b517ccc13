//! What the two JOHAS grants (産業医活動助成金, 職場環境改善計画助成金) share: the claim
//! file (one establishment, one claim), the editions, the evaluation, amounts, windows,
//! attachments, the book's history, the interview's questions and the guide's words.

pub mod amounts;
pub mod attachments;
pub mod checks;
pub mod claim_file;
pub mod edition;
pub mod evaluate;
pub mod explain;
pub mod explain_data;
pub mod forms;
pub mod history;
pub mod interview;
pub mod model;
pub mod packet;
pub mod programme;
pub mod questions;
pub mod read;
pub mod report;
pub mod report_page;
pub mod rules;
pub mod whatif;
pub mod windows;

use edition::Grant;
use programme::JohasProgramme;

/// 小規模事業場産業医活動助成金（直接健康相談環境整備コース）.
pub static SANGYOUI: JohasProgramme = JohasProgramme {
    grant: Grant::Sangyoui,
    short: "産業医活動",
};

/// 職場環境改善計画助成金（Aコース）.
pub static SHOKUBA: JohasProgramme = JohasProgramme {
    grant: Grant::Shokuba,
    short: "職場環境A",
};

/// The programme of a grant.
pub fn programme_of(grant: Grant) -> &'static dyn crate::programmes::Programme {
    match grant {
        Grant::Sangyoui => &SANGYOUI,
        Grant::Shokuba => &SHOKUBA,
    }
}
