//! The lower floor of johas-claim: from form layouts and values to PDF bytes.
//!
//! - [`page`]: a finished page description (millimetres from the top-left; text, lines,
//!   boxes, ellipses). What the PDF writer draws, and nothing more.
//! - [`textfit`]: measuring and fitting Japanese text into boxes (禁則処理).
//! - [`fonts`]: the two embedded IPAex faces, their metrics and subsets.
//! - [`forms`]: a form layout (data the caller parses and hands over) rendered against the
//!   caller's values into pages, with 別紙 (annexes) for what does not fit; flow text for
//!   plain documents.
//! - [`pdf`]: pages to PDF bytes. Pure: no I/O, no clock, the same bytes every time.
//!
//! This crate knows no programme, edition or claim: which layout to use and what values
//! to fill in are the caller's business. Its parallel work (font runs and documents in
//! [`pdf::export_and_merge`]) runs on rayon's global pool, which the binary sizes once.

pub mod fonts;
pub mod forms;
pub mod page;
pub mod pdf;
pub mod textfit;
