//! A finished page description: what the PDF exporter draws, and nothing more.
//!
//! Coordinates are millimetres from the **top-left** corner of the page (the way a
//! printed form is measured with a ruler); the exporter converts to PDF space.
//! Nothing here knows about programmes, claims or forms: layouts produce these values,
//! [`crate::pdf::export`] turns them into bytes.

use serde::{Deserialize, Serialize};

/// A4 portrait, in millimetres.
pub const A4_WIDTH_MM: f32 = 210.0;
pub const A4_HEIGHT_MM: f32 = 297.0;

/// One output PDF file: pages plus document metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Document title (PDF /Title), e.g. 「様式第1号 支給申請書」.
    pub title: String,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
    pub items: Vec<Item>,
}

impl Page {
    pub fn a4() -> Self {
        Page {
            width_mm: A4_WIDTH_MM,
            height_mm: A4_HEIGHT_MM,
            items: Vec::new(),
        }
    }
}

/// The two embedded faces (IPAex Mincho for body text, IPAex Gothic for headings).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    #[default]
    Mincho,
    Gothic,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    /// A single line of text. `x_mm` is the left edge, `y_mm` the **baseline**,
    /// both from the top-left corner of the page. The text has already been
    /// wrapped and fitted: the exporter never breaks or shrinks it.
    Text {
        x_mm: f32,
        y_mm: f32,
        size_pt: f32,
        face: Face,
        text: String,
    },
    /// A straight line.
    Line {
        x1_mm: f32,
        y1_mm: f32,
        x2_mm: f32,
        y2_mm: f32,
        width_pt: f32,
    },
    /// A rectangle outline; `x_mm`,`y_mm` is its top-left corner.
    Rect {
        x_mm: f32,
        y_mm: f32,
        w_mm: f32,
        h_mm: f32,
        width_pt: f32,
    },
    /// An ellipse outline (circling 「1回目」, 「いいえ」, the 印 place).
    Ellipse {
        cx_mm: f32,
        cy_mm: f32,
        rx_mm: f32,
        ry_mm: f32,
        width_pt: f32,
    },
}
