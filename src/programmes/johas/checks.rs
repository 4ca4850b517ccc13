//! The lists the common sections of a JOHAS claim file are checked against (the keys and
//! their Japanese names), and their format checks. Each grant's own lists are in its
//! folder; the generic checks (dates, kana, numbers) are `crate::input::checks`.

use crate::input::checks::one_of;
use std::sync::OnceLock;
use validator::ValidationError;

pub const ENTITIES: &[(&str, &str)] = &[("corporation", "法人"), ("individual", "個人事業")];
pub const HOLDER_KINDS: &[(&str, &str)] = &[("corporation", "法人名義"), ("personal", "個人名義")];

/// The grant ids a `previous_claims` entry may name: every grant's history, in the
/// registry's order ([`super::grant::Grant::previous_ids`]).
pub fn previous_grants() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        super::grant::grants()
            .flat_map(|g| g.previous_ids().iter().copied())
            .collect()
    })
}

pub fn entity(s: &str) -> Result<(), ValidationError> {
    one_of("entity", s, ENTITIES)
}
pub fn holder_kind(s: &str) -> Result<(), ValidationError> {
    one_of("holder_kind", s, HOLDER_KINDS)
}
pub fn previous_grant(s: &str) -> Result<(), ValidationError> {
    one_of("previous_grant", s, previous_grants())
}
