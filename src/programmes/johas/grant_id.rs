//! Which grant a claim, an edition or a form file is of, as the house's lower floors hold
//! it: the grant's id, and nothing of its hooks.
//!
//! The hooks (`grant.rs`) are written in the types of the floors below them (the claim,
//! the edition, the evaluation), so those types cannot hold the grant itself without an
//! import circle. They hold a [`GrantId`]; `grant.rs` gives it the grant's hooks
//! (`Deref` to the registered grant), so a file above the hooks writes
//! `claim.grant.window(claim)` as before.

use std::fmt;

/// A registered JOHAS grant, by its id (`claim.grant`, `editions/<id>/`). Only the
/// registry's grants are made into one (`JohasProgramme::handle`), so each names a grant the
/// tool has.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GrantId(&'static str);

impl GrantId {
    /// For `grant.rs` alone, from a registered grant's id.
    pub(super) const fn of_registered(id: &'static str) -> GrantId {
        GrantId(id)
    }

    /// The id (`sangyoui-chokusetsu`).
    pub fn id(self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for GrantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for GrantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
