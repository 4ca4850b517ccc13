//! The book's commands: `check BOOK` and `packet BOOK -o OUT` over every client on all
//! cores (`batch`), the summary table, CSV and JSON (`summary`), `deadlines` and its .ics,
//! and `import` of a client list (CSV or .xlsx). The book's files are read by
//! [`crate::input::book`]; each claim is judged by its programme.

pub mod batch;
pub mod commands;
pub mod deadlines;
pub mod ics;
pub mod import;
pub mod names;
pub mod summary;
pub mod xlsx;

pub use crate::input::book::*;
