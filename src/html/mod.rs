//! Self-contained, printable HTML pages (`explain --html`, `report --html`).
//!
//! A page carries everything it needs to read correctly on a machine without Japanese
//! fonts: after the template is rendered, the characters the page uses are collected and a
//! subset of the bundled IPAex Gothic holding exactly those glyphs is embedded as a base64
//! TrueType `@font-face`. No scripts, no external resources.

mod font;
pub mod timeline;

use crate::page::Face;
use base64::Engine;
use minijinja::{Environment, UndefinedBehavior, Value};
use std::collections::BTreeSet;

/// The page's `<meta name="generator">`. (Whether a file is the tool's own is known from
/// the output manifest, never from this mark: an edited page still carries it.)
pub const GENERATOR: &str = "johas-claim";
const FONT_PLACEHOLDER: &str = "/*@font-face*/";
/// The family name the pages use for the embedded subset.
pub const FONT_FAMILY: &str = "JohasIPAexGothic";

const STYLE: &str = include_str!("../../templates/page.css");
const TEMPLATES: &[(&str, &str)] = &[
    (
        "explain.html.j2",
        include_str!("../../templates/explain.html.j2"),
    ),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
];

#[derive(Debug)]
pub enum HtmlError {
    /// A template or its context is wrong (a defect of the tool, not of the claim).
    Template(String),
    /// The font could not be subset (a defect of the bundled font data).
    Font(String),
}

impl std::fmt::Display for HtmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HtmlError::Template(e) => write!(f, "HTML テンプレートの誤り（ツールの不具合）: {e}"),
            HtmlError::Font(e) => {
                write!(f, "フォントの埋め込みに失敗しました（ツールの不具合）: {e}")
            }
        }
    }
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, text) in TEMPLATES {
        env.add_template(name, text)
            .expect("bundled templates parse (tested)");
    }
    env
}

/// Renders a page template and embeds the font subset it needs.
pub fn render(template: &str, ctx: Value) -> Result<String, HtmlError> {
    let env = env();
    let tpl = env
        .get_template(template)
        .map_err(|e| HtmlError::Template(format!("{e:#}")))?;
    let ctx = minijinja::context! { style => Value::from_safe_string(STYLE.to_string()), generator => GENERATOR, ..ctx };
    let html = tpl
        .render(ctx)
        .map_err(|e| HtmlError::Template(format!("{e:#}")))?;
    embed_font(&html)
}

/// Renders a part of a page (a programme's `<article>`) from its own template text, with
/// the same escaping and strictness as the pages; no font (the page embeds one for all).
pub fn fragment(name: &str, template: &str, ctx: Value) -> Result<String, HtmlError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template(name, template)
        .map_err(|e| HtmlError::Template(format!("{e:#}")))?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| HtmlError::Template(format!("{e:#}")))
}

/// Replaces the placeholder in the page's style with an `@font-face` holding the glyphs
/// of every character of the page.
pub fn embed_font(html: &str) -> Result<String, HtmlError> {
    let chars: BTreeSet<char> = html.chars().filter(|c| !c.is_control()).collect();
    let ttf = subset(Face::Gothic, &chars)?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&ttf);
    let face = format!(
        "@font-face {{ font-family: \"{FONT_FAMILY}\"; src: url(data:font/ttf;base64,{b64}) format(\"truetype\"); font-weight: 100 900; font-style: normal; }}"
    );
    Ok(html.replacen(FONT_PLACEHOLDER, &face, 1))
}

/// A TrueType subset of a bundled face with .notdef and the glyphs of `chars`, usable by
/// a browser: the glyphs come from the same subsetter as the PDFs (`fonts::subset`, which
/// writes no `cmap` since PDFs map codes themselves), and this adds the Unicode `cmap`
/// (format 4) and the face's `OS/2` table that browsers require.
pub fn subset(face: Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, HtmlError> {
    let data = crate::fonts::bytes(face);
    let parsed = ttf_parser::Face::parse(data, 0).map_err(|e| HtmlError::Font(e.to_string()))?;
    let mapped: Vec<(char, u16)> = chars
        .iter()
        .filter(|c| (**c as u32) <= 0xFFFF)
        .filter_map(|c| parsed.glyph_index(*c).map(|g| (*c, g.0)))
        .filter(|(_, g)| *g != 0)
        .collect();
    let gids: BTreeSet<u16> = mapped.iter().map(|(_, g)| *g).collect();
    let sub = crate::fonts::subset(face, &gids).map_err(HtmlError::Font)?;
    let cmap: Vec<(u16, u16)> = mapped
        .iter()
        .filter_map(|(c, g)| sub.remap.get(*g).map(|n| (*c as u32 as u16, n)))
        .collect();
    let os2 = parsed
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"OS/2"))
        .map(|t| t.to_vec());
    font::with_tables(&sub.program, cmap_format4(&cmap), os2)
        .ok_or_else(|| HtmlError::Font("サブセットのフォントを組み立てられません".into()))
}

/// A `cmap` table with one Windows Unicode BMP subtable (format 4) for `pairs`
/// (code point, glyph id), sorted by code point.
fn cmap_format4(pairs: &[(u16, u16)]) -> Vec<u8> {
    // Segments of consecutive code points whose glyph ids are also consecutive.
    let mut segs: Vec<(u16, u16, u16)> = Vec::new(); // (start, end, first gid)
    for &(c, g) in pairs {
        match segs.last_mut() {
            Some((s, e, g0)) if c != 0xFFFF && *e + 1 == c && g0.wrapping_add(c - *s) == g => {
                *e = c
            }
            _ => segs.push((c, c, g)),
        }
    }
    segs.retain(|(s, _, _)| *s != 0xFFFF);
    segs.push((0xFFFF, 0xFFFF, 1)); // the required final segment (maps to .notdef)
    let n = segs.len() as u16;
    let mut pow = 1u16;
    let mut sel = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        sel += 1;
    }
    let mut t: Vec<u8> = Vec::new();
    let w = |v: u16, t: &mut Vec<u8>| t.extend_from_slice(&v.to_be_bytes());
    w(4, &mut t);
    w(16 + 8 * n, &mut t); // length
    w(0, &mut t); // language
    w(2 * n, &mut t);
    w(2 * pow, &mut t);
    w(sel, &mut t);
    w(2 * n - 2 * pow, &mut t);
    for (_, e, _) in &segs {
        w(*e, &mut t);
    }
    w(0, &mut t);
    for (s, _, _) in &segs {
        w(*s, &mut t);
    }
    for (s, _, g) in &segs {
        w(g.wrapping_sub(*s), &mut t);
    }
    for _ in &segs {
        w(0, &mut t);
    }
    let mut cmap = Vec::new();
    for v in [0u16, 1, 3, 1] {
        cmap.extend_from_slice(&v.to_be_bytes());
    }
    cmap.extend_from_slice(&12u32.to_be_bytes());
    cmap.extend(t);
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_has_a_unicode_cmap_for_the_page_chars() {
        let chars: BTreeSet<char> = "産業医 ABC 123 令和".chars().collect();
        let ttf = subset(Face::Gothic, &chars).unwrap();
        assert!(ttf.len() < 40_000, "subset is {} bytes", ttf.len());
        let face = ttf_parser::Face::parse(&ttf, 0).unwrap();
        for c in ['産', '業', '医', 'A', '1', '令'] {
            assert!(face.glyph_index(c).is_some(), "no glyph for {c}");
        }
        assert!(face.glyph_index('職').is_none());
    }
}
