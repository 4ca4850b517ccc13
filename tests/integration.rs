//! The one integration-test binary: rule cases as data, CLI behaviour and snapshots,
//! RULES.md coverage.

#[path = "integration/cases.rs"]
mod cases;
