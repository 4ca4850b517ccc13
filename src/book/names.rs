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

/// At most this many characters (a Japanese character is 3 bytes in UTF-8; file systems
/// allow 255 bytes per name).
pub const MAX_CHARS: usize = 80;

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
    let mut s: String = trimmed.chars().take(MAX_CHARS).collect();
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
/// adding `（2）`, `（3）`… to later duplicates, in the order given.
pub fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|n| {
            let mut candidate = n.clone();
            let mut i = 2;
            while !seen.insert(candidate.to_lowercase()) {
                candidate = format!("{n}（{i}）");
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
        assert_eq!(s.chars().count(), MAX_CHARS);
        assert!(s.len() <= 255);
    }

    #[test]
    fn duplicates_get_a_number() {
        let names = dedupe(vec!["A".into(), "a".into(), "B".into(), "A".into()]);
        assert_eq!(names, vec!["A", "a（2）", "B", "A（3）"]);
    }
}
