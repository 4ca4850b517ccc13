//! A claim's text built from a bundled example: the `remove` dotted paths are removed, then
//! `set` is deep-merged (tables merge, other values replace). Shared by the rule cases
//! (tests/cases.rs), the preflight test and the tick audit, so they build claims alike.

use toml::{Table, Value};

pub fn merge(base: &mut Table, patch: &Table) {
    for (k, v) in patch {
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(p)) => merge(b, p),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

pub fn remove(base: &mut Table, path: &str) -> Result<(), String> {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut t = base;
    for p in parts {
        t = t
            .get_mut(p)
            .and_then(|v| v.as_table_mut())
            .ok_or_else(|| format!("remove: no table {p}"))?;
    }
    t.remove(last)
        .map(|_| ())
        .ok_or_else(|| format!("remove: no key {path}"))
}

/// The example file `base` with `remove` applied, then `set` merged.
pub fn claim_text(base: &str, set: &Table, remove_paths: &[&str]) -> Result<String, String> {
    let text = std::fs::read_to_string(base).map_err(|e| format!("{base}: {e}"))?;
    let mut doc: Table = toml::from_str(&text).map_err(|e| format!("{base}: {e}"))?;
    for p in remove_paths {
        remove(&mut doc, p)?;
    }
    merge(&mut doc, set);
    toml::to_string(&doc).map_err(|e| e.to_string())
}
