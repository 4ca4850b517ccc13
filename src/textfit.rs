//! Measuring and fitting Japanese text into boxes (glyph advances from the embedded
//! fonts, line breaking with 禁則処理). Pure functions; no PDF, no grants.
//!
//! INTERFACE CONTRACT (other modules rely on these signatures):
//! - `text_width_mm(text, face, size_pt) -> f32`
//! - `missing_glyphs(text, face) -> Vec<char>` — characters the font cannot draw
//! - `wrap(text, face, size_pt, width_mm) -> Vec<String>` — 禁則: no 、。）」 etc. at a
//!   line start, no （「 etc. at a line end; explicit '\n' starts a new line
//! - `fit(text, face, max_pt, min_pt, width_mm, height_mm, line_gap) -> Fit`

use crate::page::Face;

/// The result of fitting text into a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The size chosen (between min and max).
    pub size_pt: f32,
    /// Lines that fit in the box at that size.
    pub lines: Vec<String>,
    /// Text that did not fit even at the minimum size (empty when all fit).
    pub overflow: String,
}

pub fn text_width_mm(text: &str, _face: Face, size_pt: f32) -> f32 {
    // Placeholder: every char one em wide. Replaced by the real metrics.
    text.chars().count() as f32 * size_pt * 25.4 / 72.0
}

pub fn missing_glyphs(_text: &str, _face: Face) -> Vec<char> {
    Vec::new()
}

pub fn wrap(text: &str, face: Face, size_pt: f32, width_mm: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut cur = String::new();
        for ch in para.chars() {
            let mut next = cur.clone();
            next.push(ch);
            if text_width_mm(&next, face, size_pt) > width_mm && !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            cur.push(ch);
        }
        lines.push(cur);
    }
    lines
}

/// Line height in mm for a size and a gap factor (1.0 = no extra leading).
pub fn line_height_mm(size_pt: f32, line_gap: f32) -> f32 {
    size_pt * line_gap * 25.4 / 72.0
}

pub fn fit(
    text: &str,
    face: Face,
    max_pt: f32,
    min_pt: f32,
    width_mm: f32,
    height_mm: f32,
    line_gap: f32,
) -> Fit {
    let mut size = max_pt;
    loop {
        let lines = wrap(text, face, size, width_mm);
        let cap = (height_mm / line_height_mm(size, line_gap))
            .floor()
            .max(1.0) as usize;
        if lines.len() <= cap {
            return Fit {
                size_pt: size,
                lines,
                overflow: String::new(),
            };
        }
        if size - 0.5 < min_pt {
            let (fits, rest) = lines.split_at(cap);
            return Fit {
                size_pt: size,
                lines: fits.to_vec(),
                overflow: rest.concat(),
            };
        }
        size -= 0.5;
    }
}
