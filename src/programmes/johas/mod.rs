//! The house the JOHAS grants share (産業保健関係助成金: one establishment, one claim file).
//! It names no grant: each grant is its own folder (`src/programmes/<section>/`) that
//! implements [`grant::Grant`] and registers itself as a [`JohasProgramme`] in
//! `programmes::ALL`; the house calls the claim's grant where the grants differ.
//!
//! The house stands in three floors, with the grants' hooks in the middle:
//! - below the hooks, the types they are written in, which know no grant and call none:
//!   which grant ([`grant_id`]), a grant's own value ([`own`]), a proposed change of the
//!   facts ([`change`]), an edition's data ([`edition`]), amounts ([`amounts`]), the typed
//!   claim ([`model`]), what a rule reads ([`rules`]), windows ([`windows`]) and the
//!   assessed claim ([`evaluation`]);
//! - the hooks ([`grant`]: the [`Grant`] trait, the programme made of a grant, and how
//!   the house learns the grants from the registry);
//! - above them, the house that calls them, in the order of the pipeline: the claim file
//!   and its schema ([`claim_file`], [`checks`]), reading a claim through the input
//!   boundary ([`read`]), the editions loaded and chosen ([`editions`]), the evaluation
//!   ([`evaluate`], [`attachments`], what-if [`whatif`], the rules both grants share
//!   [`common_rules`]), the packet ([`packet`], [`forms`]), `check`'s output ([`report`]),
//!   the meeting page ([`report_page`]), `explain` ([`explain`], [`explain_data`]), the
//!   interview ([`questions`], [`interview`]), the book's history ([`history`]) and the
//!   commands' view of a grant ([`programme`]).

pub mod amounts;
pub mod attachments;
pub mod change;
pub mod checks;
pub mod claim_file;
pub mod common_rules;
pub mod edition;
pub mod editions;
pub mod evaluate;
pub mod evaluation;
pub mod explain;
pub mod explain_data;
pub mod forms;
pub mod grant;
pub mod grant_id;
pub mod history;
pub mod interview;
pub mod model;
pub mod own;
pub mod packet;
pub mod profile_columns;
pub mod programme;
pub mod questions;
pub mod read;
pub mod report;
pub mod report_page;
pub mod rules;
pub mod whatif;
pub mod windows;

pub use grant::{Grant, JohasProgramme};
