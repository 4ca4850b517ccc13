//! Folder names made from client and claim names (Japanese as written), safe on Windows,
//! macOS and Linux file systems.

/// Characters Windows forbids in a file name, replaced by their full-width forms so a
/// Japanese name stays readable: `(株)A/B` → `(株)A／B`.
const FORBIDDEN: [(char, char); 9] = [
    ('\\', '＼'),
    ('/', '／'),
    (':', '：'),
    ('*', '＊'),
    ('?', '？'),
    ('"', '＂'),
    ('<', '＜'),
    ('>', '＞'),
    ('|', '｜'),
];

/// Device names Windows reserves, with or without an extension (`CON`, `con.txt`, `COM1`).
const RESERVED: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];

/// File systems allow 255 bytes of UTF-8 per name (ext4, APFS, NTFS's 255 UTF-16 units
/// are more). A name made here is cut, at a character boundary, to at most this many
/// bytes (80 kanji of 3 bytes; 60 characters of 4 bytes such as 𠮷), which leaves room
/// for what the tool adds: the `（N）` of a duplicate (see [`dedupe`]).
pub const MAX_BYTES: usize = 240;

/// The most a name may take on disk, suffix included.
pub const NAME_MAX_BYTES: usize = 255;

/// `s` cut to at most `max` bytes, at a character boundary.
fn cut_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end();
    let upper = stem.to_ascii_uppercase();
    if RESERVED.contains(&upper.as_str()) {
        return true;
    }
    // COM0–COM9, LPT0–LPT9 (also the superscript digits Windows treats alike).
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT")
        && rest.len() == 1
        && (rest[0].is_ascii_digit() || matches!(rest[0], '¹' | '²' | '³'))
}

/// One path component from a name: forbidden characters replaced by full-width forms,
/// control and invisible formatting characters removed, runs of white space made one
/// space, leading/trailing spaces and dots removed (Windows drops trailing ones silently;
/// a leading dot hides the folder), reserved device names suffixed, the length bounded.
/// Never empty, never `.` or `..`.
pub fn safe_component(name: &str) -> String {
    let mut out = String::new();
    let mut last_space = false;
    for c in name.chars() {
        if let Some(&(_, wide)) = FORBIDDEN.iter().find(|(bad, _)| *bad == c) {
            out.push(wide);
            last_space = false;
        } else if c.is_control() || is_invisible(c) {
            // Dropped: newlines, tabs, NUL, zero-width and bidi controls.
            if c == '\n' || c == '\t' || c == '\r' {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
        } else if c.is_whitespace() && c != '\u{3000}' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
    let trimmed = out
        .trim_matches(|c: char| c == ' ' || c == '.' || c == '\u{3000}')
        .to_string();
    let mut s: String = cut_bytes(&trimmed, MAX_BYTES).to_string();
    // Truncation may leave a trailing space or dot again.
    while s.ends_with([' ', '.']) {
        s.pop();
    }
    if s.is_empty() {
        return "名称なし".to_string();
    }
    if reserved(&s) {
        s.push('＿');
    }
    s
}

/// Zero-width, bidi and other format characters that would make two names look alike.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}')
}

/// Makes each name unique (case-insensitively, as Windows and macOS compare names) by
/// adding `（2）`, `（3）`… to later duplicates, in the order given. A name with its
/// suffix stays within [`NAME_MAX_BYTES`] (the name is cut further if it must be).
pub fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|n| {
            let mut candidate = cut_bytes(&n, NAME_MAX_BYTES).to_string();
            let mut i = 2;
            while !seen.insert(candidate.to_lowercase()) {
                let suffix = format!("（{i}）");
                let base = cut_bytes(&n, NAME_MAX_BYTES - suffix.len());
                candidate = format!("{}{suffix}", base.trim_end_matches([' ', '.']));
                i += 1;
            }
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_full_width() {
        assert_eq!(safe_component("(株)A/B:C"), "(株)A／B：C");
        assert_eq!(
            safe_component(r#"a\b*c?d"e<f>g|h"#),
            "a＼b＊c？d＂e＜f＞g｜h"
        );
    }

    #[test]
    fn trailing_dots_spaces_and_controls() {
        assert_eq!(safe_component("  ろうあん商店. . "), "ろうあん商店");
        assert_eq!(safe_component("..hidden"), "hidden");
        assert_eq!(safe_component("a\u{0}b\u{7}c"), "abc");
        assert_eq!(safe_component("a\nb\tc"), "a b c");
        assert_eq!(safe_component("a\u{200B}b\u{202E}c"), "abc");
        assert_eq!(safe_component(""), "名称なし");
        assert_eq!(safe_component(" . "), "名称なし");
        assert_eq!(safe_component(".."), "名称なし");
    }

    #[test]
    fn reserved_device_names() {
        assert_eq!(safe_component("CON"), "CON＿");
        assert_eq!(safe_component("con.txt"), "con.txt＿");
        assert_eq!(safe_component("Com1"), "Com1＿");
        assert_eq!(safe_component("LPT9"), "LPT9＿");
        assert_eq!(safe_component("COM10"), "COM10");
        assert_eq!(safe_component("CONSOLE"), "CONSOLE");
    }

    #[test]
    fn length_is_bounded_in_bytes() {
        let long = "株".repeat(300);
        let s = safe_component(&long);
        assert_eq!(s.chars().count(), 80);
        assert!(s.len() <= MAX_BYTES);
        // 4-byte characters: capped in bytes, never split.
        let s = safe_component(&"𠮷".repeat(100));
        assert_eq!(s, "𠮷".repeat(60));
        let s = safe_component(&format!("a{}", "𠮷".repeat(100)));
        assert_eq!(s, format!("a{}", "𠮷".repeat(59)));
        // With the suffix of a duplicate, still a legal name.
        let names = dedupe(vec![s.clone(), s.clone(), "𠮷".repeat(64)]);
        assert!(names.iter().all(|n| n.len() <= NAME_MAX_BYTES), "{names:?}");
        assert!(names[1].ends_with("（2）"));
        assert_ne!(names[0], names[1]);
    }

    #[test]
    fn duplicates_get_a_number() {
        let names = dedupe(vec!["A".into(), "a".into(), "B".into(), "A".into()]);
        assert_eq!(names, vec!["A", "a（2）", "B", "A（3）"]);
    }
}
