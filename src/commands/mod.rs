//! The subcommands, each over the programmes' common interface (`crate::programmes`): they
//! name no programme.

pub mod book;
pub mod check;
pub mod explain;
pub mod load;
pub mod new;
pub mod packet;
pub mod report;
