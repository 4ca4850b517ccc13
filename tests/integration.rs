//! The integration-test binary: the command line (snapshots, exit codes, packets), the
//! output directory, editions as data, the report, and RULES.md coverage. The rule cases
//! are their own binary (tests/cases.rs).

#[path = "integration/bad_files.rs"]
mod bad_files;
#[path = "integration/book.rs"]
mod book;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/editions.rs"]
mod editions;
#[path = "integration/output.rs"]
mod output;
#[path = "integration/preflight.rs"]
mod preflight;
#[path = "integration/report.rs"]
mod report;
#[path = "integration/rules_md.rs"]
mod rules_md;
#[path = "integration/ticks.rs"]
mod ticks;
