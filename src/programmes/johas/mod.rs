//! What the two JOHAS grants (産業医活動助成金, 職場環境改善計画助成金) share: the claim
//! file (one establishment, one claim), the editions, the evaluation, amounts, windows,
//! attachments, the book's history, the interview's questions and the guide's words.

pub mod amounts;
pub mod attachments;
pub mod claim_file;
pub mod edition;
pub mod evaluate;
pub mod explain_data;
pub mod forms;
pub mod history;
pub mod model;
pub mod packet;
pub mod questions;
pub mod read;
pub mod report;
pub mod rules;
pub mod whatif;
pub mod windows;
