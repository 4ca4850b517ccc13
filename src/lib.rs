//! johas-claim: checks a JOHAS occupational-health grant claim against its edition's
//! rules and renders the official forms.
//!
//! Pipeline (one direction): `input` (serde, raw) → `validate` (model) → `rules`
//! (findings with citations) → `amounts` & windows → `forms` (which layout, then
//! positions, no PDF) → `pdf` (bytes, no I/O) → `packet` (files) → `output` (the
//! directory).
//!
//! The lower floor (page descriptions, text fitting, fonts, the layout engine, PDF) is the
//! `johas-render` crate, which knows no programme; its modules are re-exported here under
//! the names the rest of this crate uses.

pub mod amounts;
pub mod attachments;
pub mod book;
pub mod checks;
pub mod claimtree;
pub mod cli;
pub mod dates;
pub mod edition;
pub mod evaluate;
pub mod explain;
pub mod findings;
pub mod forms;
pub mod html;
pub mod input;
pub mod interview;
pub mod limits;
pub mod model;
pub mod normalize;
pub mod output;
pub mod packet;
pub mod programmes;
pub mod report;
pub mod rules;
pub mod validate;
pub mod walk;
pub mod windows;

pub use johas_render::{fonts, page, pdf, textfit};
