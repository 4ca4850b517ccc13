//! What would change the outcome of a finding that does not pass: the fact to supply
//! (unknown), or the boundary that was crossed (fail), computed from the edition's numbers
//! and the claim's facts by the hint beside the rule in its grant's folder, e.g.
//! 「労働者数が49名以下なら適合」, 「申請日が令和2年10月31日までなら期間内」; else what the
//! edition's `change` says.

use super::explain_data;
use super::model::Claim;
use crate::model::dates::wareki;
use crate::model::findings::{Finding, Outcome};

/// A claim-file value by dotted path (`establishment.workers`), if the table gives it.
pub fn lookup<'a>(raw: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut cur = raw.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_table()?.get(p)?;
    }
    Some(cur)
}

/// The hints for one finding. Empty for a pass, and for an outcome nothing can change
/// (e.g. the guide's note that acceptance may close early). `gives` says whether the facts
/// give a value at a dotted path.
pub fn changes(claim: &Claim, gives: &dyn Fn(&str) -> bool, f: &Finding) -> Vec<String> {
    if f.outcome == Outcome::Pass {
        return Vec::new();
    }
    let text = explain_data::for_edition(claim.edition).and_then(|d| d.rule(&f.rule));
    if f.outcome == Outcome::Unknown {
        let missing: Vec<String> = text
            .map(|t| {
                t.facts
                    .iter()
                    .filter(|k| !gives(k))
                    .filter(|k| f.message.contains(k.rsplit('.').next().unwrap_or(k)))
                    .map(|k| format!("{k} を書けば判定できます"))
                    .collect()
            })
            .unwrap_or_default();
        if !missing.is_empty() {
            return missing;
        }
        return vec![format!(
            "不足している事実を書けば判定できます（{}）",
            f.message
        )];
    }
    let computed = claim.grant.hint(claim, f);
    if !computed.is_empty() {
        return computed;
    }
    // A warning is advice: what would change it is said only by a hint of its own.
    match (f.outcome, text.and_then(|t| t.change.clone())) {
        (o, Some(c)) if o != Outcome::Warning => vec![c],
        _ => Vec::new(),
    }
}

/// The application date against the claim's window: the day that would be inside it.
pub fn window_hint(c: &Claim) -> Option<String> {
    let w = c.grant.window(c)?;
    let d = c.application_date;
    if d > w.to {
        Some(format!("申請日が{}までなら期間内", wareki(w.to)))
    } else if d < w.from {
        Some(format!("申請日が{}以降なら期間内", wareki(w.from)))
    } else {
        None
    }
}
