//! The integration-test binary: the command line (snapshots, exit codes, packets), the
//! output directory, editions as data, the report, and RULES.md coverage. The rule cases
//! are their own binary (tests/cases.rs).

#[path = "integration/book.rs"]
mod book;
#[path = "integration/book_summary.rs"]
mod book_summary;
#[path = "support/claim_text.rs"]
mod claim_text;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/cli_help.rs"]
mod cli_help;
#[path = "integration/editions.rs"]
mod editions;
#[path = "integration/explain.rs"]
mod explain;
#[path = "../crates/render/tests/support/font_maps.rs"]
mod font_maps;
#[path = "integration/hostile.rs"]
mod hostile;
#[path = "integration/import_hints.rs"]
mod import_hints;
#[path = "integration/interview.rs"]
mod interview;
#[path = "integration/interview_kenko.rs"]
mod interview_kenko;
#[path = "integration/kenko.rs"]
mod kenko;
#[path = "integration/output.rs"]
mod output;
#[path = "integration/output_files.rs"]
mod output_files;
#[path = "integration/packet_pdf.rs"]
mod packet_pdf;
#[path = "integration/preflight.rs"]
mod preflight;
#[path = "support/pty.rs"]
mod pty;
#[path = "integration/report.rs"]
mod report;
#[path = "integration/rules_md.rs"]
mod rules_md;
#[path = "integration/streams.rs"]
mod streams;
#[path = "integration/text.rs"]
mod text;
#[path = "support/tree.rs"]
mod tree;
