//! The house the JOHAS grants share (産業保健関係助成金: one establishment, one claim file).
//! It names no grant: each grant is its own folder (`src/programmes/<section>/`) that
//! implements [`grant::Grant`] and registers itself as a [`JohasProgramme`] in
//! `programmes::ALL`; the house calls the claim's grant where the grants differ.
//!
//! What the house holds, in the order of the pipeline:
//! - the claim file's common sections and its schema ([`claim_file`], [`checks`]), reading a
//!   claim through the input boundary ([`read`]) into the typed claim ([`model`]);
//! - the editions ([`edition`]: data, loaded and checked against the grants);
//! - the evaluation ([`evaluate`]: the rules skeleton [`rules`], amounts [`amounts`],
//!   windows [`windows`], attachments [`attachments`], what-if [`whatif`]);
//! - the packet ([`packet`], [`forms`]), `check`'s output ([`report`]), the meeting page
//!   ([`report_page`]), `explain` ([`explain`], [`explain_data`]), the interview
//!   ([`questions`], [`interview`]) and the book's history ([`history`]);
//! - the commands' view of a grant ([`programme`]).

pub mod amounts;
pub mod attachments;
pub mod checks;
pub mod claim_file;
pub mod edition;
pub mod evaluate;
pub mod explain;
pub mod explain_data;
pub mod forms;
pub mod grant;
pub mod history;
pub mod interview;
pub mod model;
pub mod own;
pub mod packet;
pub mod programme;
pub mod questions;
pub mod read;
pub mod report;
pub mod report_page;
pub mod rules;
pub mod whatif;
pub mod windows;

pub use grant::{Grant, JohasProgramme};
