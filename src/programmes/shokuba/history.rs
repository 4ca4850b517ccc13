//! A 職場環境改善 claim in a client's book: an earlier claim tells whether equipment was
//! granted (once ever, SK-M5), and two claims of the same edition are a contradiction (its
//! period is the edition's).

use crate::input::book::{ClaimSource, State};
use crate::input::tree::{Entry, Node, Value};
use crate::programmes::johas::history::entry;

/// Whether a claim's file lists equipment.
fn has_equipment(c: &ClaimSource) -> bool {
    c.src
        .parsed
        .root
        .at("shokuba.equipment")
        .is_some_and(|e| matches!(&e.value, Value::Array(a) if !a.is_empty()))
}

/// `equipment_granted` of the `previous_claims` entry made from an earlier claim: as its
/// record says, else from its outcome and whether it listed equipment (unknown while it is
/// pending with equipment).
pub fn previous_extra(c: &ClaimSource, file: u16) -> Vec<Entry> {
    let granted = match c.record.equipment_granted {
        Some(b) => Some(b),
        None => match c.state() {
            State::Granted => Some(has_equipment(c)),
            State::Refused => Some(false),
            _ if !has_equipment(c) => Some(false),
            _ => None,
        },
    };
    granted
        .map(|b| entry("equipment_granted", Node::new(Value::Bool(b), file)))
        .into_iter()
        .collect()
}

/// Two claims of the same edition.
pub fn same_period(me: &ClaimSource, other: &ClaimSource) -> Option<String> {
    (me.key.edition.is_some() && me.key.edition == other.key.edition).then(|| {
        format!(
            "同じ版（{}）の申請が {} にもあります（同じ期間に2件の申請）。",
            me.key.edition.clone().unwrap_or_default(),
            other.stem
        )
    })
}
