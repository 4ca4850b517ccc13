//! johas-claim: checks the facts of a business against the rules of Japanese
//! occupational-health programmes, cites the official guide for every finding, and prepares
//! what the applicant must file.
//!
//! The pipeline runs one way, and the folders follow it:
//! `input` (one boundary for every source: the located tree, lenient reading, the field
//! walk) → `model` (what every programme shares: findings, dates, where a fact was written)
//! → `programmes` (one folder per programme: its facts, rules, amounts, windows, form
//! values, questions) → `johas_render` (pages and PDF bytes, a crate that knows no
//! programme) → `output` (the one writer). `commands` are the subcommands, generic over
//! the programmes; `cli` parses the command line.

pub mod cli;
pub mod commands;
pub mod failure;
pub mod html;
pub mod input;
pub mod model;
pub mod output;
pub mod programmes;

pub use johas_render::{fonts, page, pdf, textfit};
