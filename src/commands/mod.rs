//! The subcommands, each over the programmes' common interface (`crate::programmes`): they
//! name no programme.

pub mod book;
pub mod check;
pub mod explain;
pub mod load;
pub mod new;
pub mod packet;
pub mod report;

/// How `check` and `deadlines` print: a report for people, or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}
