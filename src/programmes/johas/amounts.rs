//! Amounts in named stages, and the items of a claim each counted or excluded. The stages
//! and the exclusions are the grant's ([`super::grant::Grant::stages`],
//! [`super::grant::Grant::items`]); every limit comes from the edition data.

use super::own::{Own, Value};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub name: String,
    pub yen: i64,
}

/// One item a claim lists (職場環境改善: one `[[shokuba.equipment]]`), assessed once per
/// claim by its grant's exclusion rules. The rules, the amount stages, the report and the
/// forms all read this, so the explanation, the amount and the ticks cannot disagree.
///
/// Decision (issue 6 §2): an item that a rule takes out is *excluded*, not a failed
/// requirement: `claimed` is false, the item is left out of the amount and of every figure
/// and tick on the forms, and the claim stays eligible for the rest. A fact about an item
/// that is excluded anyway is not asked for (it cannot change anything).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquipmentItem {
    /// 1-based, in file order.
    pub index: usize,
    pub name: String,
    pub unit_price_yen: i64,
    pub quantity: i64,
    pub total_yen: i64,
    /// Counted in the amount (no rule excludes it).
    pub claimed: bool,
    /// IDs of the rules that exclude it, in the order the grant assesses them.
    pub excluded_by: Vec<String>,
    /// Why it is excluded, one sentence per rule in `excluded_by`, and what the applicant
    /// should double-check about a claimed item.
    pub notes: Vec<String>,
    /// Facts the file does not give that decide whether the item counts (empty when it is
    /// excluded anyway).
    pub unknown: Vec<String>,
    #[serde(skip)]
    pub detail: Vec<ItemFinding>,
}

/// What one rule says about one item (read by the grant's rule functions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFinding {
    pub rule: &'static str,
    pub kind: ItemFindingKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemFindingKind {
    Excluded,
    Unknown,
    /// A counted item the applicant should double-check; `decided` when the rule's
    /// interpretation is what makes it count.
    Note {
        decided: bool,
    },
}

impl EquipmentItem {
    pub fn of_rule(&self, rule: &str) -> impl Iterator<Item = &ItemFinding> + '_ {
        let rule = rule.to_string();
        self.detail.iter().filter(move |d| d.rule == rule)
    }

    /// The item from what the rules said of it, in the order they said it: excluded when
    /// one excludes it (and then nothing else about it is said).
    pub fn assessed(
        index: usize,
        name: String,
        unit_price_yen: i64,
        quantity: i64,
        mut d: Vec<ItemFinding>,
    ) -> EquipmentItem {
        use ItemFindingKind::*;
        let excluded = d.iter().any(|x| x.kind == Excluded);
        if excluded {
            // Excluded anyway: neither a missing fact nor a double-check can change that.
            d.retain(|x| x.kind == Excluded);
        }
        let mut excluded_by: Vec<String> = Vec::new();
        for x in d.iter().filter(|x| x.kind == Excluded) {
            if !excluded_by.iter().any(|r| r == x.rule) {
                excluded_by.push(x.rule.to_string());
            }
        }
        EquipmentItem {
            index,
            name,
            unit_price_yen,
            quantity,
            total_yen: unit_price_yen.saturating_mul(quantity),
            claimed: !excluded,
            excluded_by,
            notes: d
                .iter()
                .filter(|x| matches!(x.kind, Excluded | Note { .. }))
                .map(|x| format!("{}: {}。", x.rule, x.text))
                .collect(),
            unknown: d
                .iter()
                .filter(|x| x.kind == Unknown)
                .map(|x| format!("{}: {}", x.rule, x.text))
                .collect(),
            detail: d,
        }
    }
}

/// What a grant computes once from a claim for its rules, its amount and its forms
/// (職場環境改善: the figures of 様式第1号), with the name it bears in `check --format json`
/// (written there after `equipment`; nothing for a grant that computes nothing).
#[derive(Debug, Clone, Default)]
pub struct Figures(Option<(&'static str, serde_json::Value, Own)>);

impl Figures {
    /// Nothing computed.
    pub fn none() -> Figures {
        Figures(None)
    }

    pub fn new<T: Value + Serialize>(name: &'static str, value: T) -> Figures {
        let json = serde_json::to_value(&value).unwrap_or_default();
        Figures(Some((name, json, Own::new(value))))
    }

    /// The figures, if they are a `T` (the grant reads its own).
    pub fn get<T: std::any::Any>(&self) -> Option<&T> {
        self.0.as_ref().and_then(|(_, _, v)| v.get())
    }
}

impl Serialize for Figures {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.iter().count()))?;
        if let Some((name, json, _)) = &self.0 {
            m.serialize_entry(name, json)?;
        }
        m.end()
    }
}
