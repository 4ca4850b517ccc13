//! The programmes: one folder each. `johas` is the house the two JOHAS grants share.

pub mod johas;
pub mod kenko_keiei;
