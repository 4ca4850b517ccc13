//! Every page is checked before anything is drawn: a char its face cannot draw would print
//! as a blank box without any warning, a control char has no place in one line of text,
//! and a size or coordinate must be a finite number. Also collects the chars each face
//! must carry.

use std::collections::{BTreeMap, BTreeSet};

use super::shared::ExportError;
use crate::page::{Face, Item, Page};

/// Checks page `page_no` (1-based) and adds the chars of its text to `used`, by face.
pub(super) fn check_page(
    page_no: usize,
    page: &Page,
    used: &mut BTreeMap<Face, BTreeSet<char>>,
) -> Result<(), ExportError> {
    let bad = |what: &str| ExportError::BadNumber {
        page: page_no,
        what: what.to_string(),
    };
    let positive = |v: f32| v.is_finite() && v > 0.0;
    if !positive(page.width_mm) || !positive(page.height_mm) {
        return Err(bad("用紙の大きさ"));
    }
    let finite = |vals: &[f32]| vals.iter().all(|v| v.is_finite());
    for item in &page.items {
        match item {
            Item::Text {
                x_mm,
                y_mm,
                size_pt,
                face,
                text,
            } => {
                if !finite(&[*x_mm, *y_mm]) {
                    return Err(bad("文字の位置"));
                }
                if !(size_pt.is_finite() && *size_pt > 0.0) {
                    return Err(bad("文字の大きさ"));
                }
                if let Some(ch) = text.chars().find(|c| c.is_control()) {
                    return Err(ExportError::ControlChar {
                        page: page_no,
                        text: text.clone(),
                        ch,
                    });
                }
                let missing = crate::textfit::missing_glyphs(text, *face);
                if !missing.is_empty() {
                    return Err(ExportError::MissingGlyphs {
                        page: page_no,
                        face: *face,
                        text: text.clone(),
                        chars: missing,
                    });
                }
                used.entry(*face).or_default().extend(text.chars());
            }
            Item::Line {
                x1_mm,
                y1_mm,
                x2_mm,
                y2_mm,
                width_pt,
            } => {
                if !finite(&[*x1_mm, *y1_mm, *x2_mm, *y2_mm]) {
                    return Err(bad("線の位置"));
                }
                check_width(*width_pt).map_err(|_| bad("線の太さ"))?;
            }
            Item::Rect {
                x_mm,
                y_mm,
                w_mm,
                h_mm,
                width_pt,
            } => {
                if !finite(&[*x_mm, *y_mm, *w_mm, *h_mm]) {
                    return Err(bad("枠の位置"));
                }
                check_width(*width_pt).map_err(|_| bad("枠線の太さ"))?;
            }
            Item::Ellipse {
                cx_mm,
                cy_mm,
                rx_mm,
                ry_mm,
                width_pt,
            } => {
                if !finite(&[*cx_mm, *cy_mm, *rx_mm, *ry_mm]) {
                    return Err(bad("丸の位置"));
                }
                check_width(*width_pt).map_err(|_| bad("丸の線の太さ"))?;
            }
        }
    }
    Ok(())
}

fn check_width(w: f32) -> Result<(), ()> {
    if w.is_finite() && w >= 0.0 {
        Ok(())
    } else {
        Err(())
    }
}
