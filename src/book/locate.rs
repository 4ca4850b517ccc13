//! Finding the line of a field path (`shokuba.equipment[2].name`) in a TOML file, so a
//! problem found in a merged claim is reported where the user wrote the value.

use toml::de::{DeTable, DeValue};

/// One step of a field path: a key, optionally followed by a 1-based array index.
fn segments(path: &str) -> Vec<(String, Option<usize>)> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|seg| match seg.find('[') {
            Some(i) => {
                let idx = seg[i + 1..].trim_end_matches(']').parse().ok();
                (seg[..i].to_string(), idx)
            }
            None => (seg.to_string(), None),
        })
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Where `path` is in `text`: `Some((line, exact))`, `exact` false when only a parent of
/// the path was found (the line is then the parent's). `None` when not even the first key
/// is there, or the text is not TOML.
pub fn locate(text: &str, path: &str) -> Option<(usize, bool)> {
    let doc = DeTable::parse(text).ok()?;
    let mut table: &DeTable = doc.get_ref();
    let mut found: Option<usize> = None;
    let segs = segments(path);
    for (i, (key, index)) in segs.iter().enumerate() {
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
            return found.map(|l| (l, false));
        };
        let mut value = v;
        let mut offset = k.span().start;
        if let Some(n) = index {
            let DeValue::Array(arr) = v.get_ref() else {
                return Some((line_of(text, offset), false));
            };
            match arr.get(n.saturating_sub(1)) {
                Some(item) => {
                    value = item;
                    offset = item.span().start;
                }
                None => return Some((line_of(text, offset), false)),
            }
        }
        found = Some(line_of(text, offset));
        if i + 1 == segs.len() {
            return found.map(|l| (l, true));
        }
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return found.map(|l| (l, false)),
        }
    }
    found.map(|l| (l, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[claim]\ngrant = \"x\"\n\n[establishment.contact]\nphone = \"1\"\n\n[[shokuba.equipment]]\nname = \"a\"\n\n[[shokuba.equipment]]\nname = \"b\"\n";

    #[test]
    fn finds_keys_tables_and_array_entries() {
        assert_eq!(locate(TEXT, "claim.grant"), Some((2, true)));
        assert_eq!(locate(TEXT, "establishment.contact.phone"), Some((5, true)));
        assert_eq!(locate(TEXT, "shokuba.equipment[2].name"), Some((11, true)));
        assert_eq!(locate(TEXT, "establishment.contact.fax"), Some((4, false)));
        assert_eq!(locate(TEXT, "bank.holder_kind"), None);
    }
}
