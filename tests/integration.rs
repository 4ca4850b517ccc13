//! The one integration-test binary: rule cases as data, the command line (snapshots,
//! exit codes, packets), RULES.md coverage.

#[path = "integration/cases.rs"]
mod cases;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/preflight.rs"]
mod preflight;
#[path = "integration/rules_md.rs"]
mod rules_md;
#[path = "integration/ticks.rs"]
mod ticks;
