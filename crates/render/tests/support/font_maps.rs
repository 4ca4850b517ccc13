//! Readers of the compact `/W` arrays and ToUnicode CMaps, written apart from the
//! writer's own readers, for tests: the render crate's unit tests and johas-claim's packet
//! tests include this file (`#[path]`).

use std::collections::BTreeMap;

/// Expands a `/W` array (test side, written apart from `read_widths`).
pub fn expand_w(w: &[lopdf::Object]) -> BTreeMap<u16, i64> {
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < w.len() {
        let first = w[i].as_i64().unwrap();
        if let Ok(ws) = w[i + 1].as_array() {
            for (k, v) in ws.iter().enumerate() {
                out.insert((first + k as i64) as u16, v.as_i64().unwrap());
            }
            i += 2;
        } else {
            for c in first..=w[i + 1].as_i64().unwrap() {
                out.insert(c as u16, w[i + 2].as_i64().unwrap());
            }
            i += 3;
        }
    }
    out
}

/// Expands a ToUnicode CMap (test side, written apart from `read_bfchars`): every
/// block's entries, checking the 100-entry limit.
pub fn expand_cmap(cmap: &[u8]) -> (BTreeMap<u16, String>, Vec<(String, usize)>) {
    let text = std::str::from_utf8(cmap).unwrap();
    let mut map = BTreeMap::new();
    let mut blocks = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let hex = |s: &str| -> Vec<u16> {
        (0..s.len())
            .step_by(4)
            .map(|i| u16::from_str_radix(&s[i..i + 4], 16).unwrap())
            .collect()
    };
    let mut i = 0;
    while i < lines.len() {
        let words: Vec<&str> = lines[i].split_whitespace().collect();
        if words.len() == 2 && (words[1] == "beginbfchar" || words[1] == "beginbfrange") {
            let n: usize = words[0].parse().unwrap();
            assert!(n <= 100, "{n} entries in one block");
            blocks.push((words[1].to_string(), n));
            for line in &lines[i + 1..i + 1 + n] {
                let parts: Vec<&str> = line
                    .split(['<', '>'])
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                if words[1] == "beginbfchar" {
                    assert_eq!(parts.len(), 2, "{line}");
                    let dst = String::from_utf16(&hex(parts[1])).unwrap();
                    map.insert(hex(parts[0])[0], dst);
                } else {
                    assert_eq!(parts.len(), 3, "{line}");
                    let (lo, hi) = (hex(parts[0])[0], hex(parts[1])[0]);
                    assert_eq!(lo >> 8, hi >> 8, "{line}");
                    let dst = hex(parts[2]);
                    assert_eq!(dst.len(), 1);
                    assert!(u32::from(dst[0] & 0xFF) + u32::from(hi - lo) <= 255);
                    for c in lo..=hi {
                        let ch = char::from_u32(u32::from(dst[0] + (c - lo))).unwrap();
                        map.insert(c, ch.to_string());
                    }
                }
            }
            assert_eq!(lines[i + 1 + n], format!("end{}", &words[1][5..]));
            i += n + 2;
        } else {
            i += 1;
        }
    }
    (map, blocks)
}
