//! The subcommands, each over the programmes' common interface.

pub mod book;
pub mod explain;
pub mod new;
pub mod report;
