//! The one integration-test binary: rule cases as data, the command line (snapshots,
//! exit codes, packets), the output directory, RULES.md coverage.

#[path = "integration/cases.rs"]
mod cases;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/explain.rs"]
mod explain;
#[path = "integration/interview.rs"]
mod interview;
#[path = "integration/output.rs"]
mod output;
#[path = "integration/rules_md.rs"]
mod rules_md;
