//! Document assembly: which pages go into which file, and every file made on the thread
//! pool. Each face's glyphs are grouped by the set of files using them ([`super::subset`]),
//! so a packet's files (each part alone, and the merged one) deflate every glyph once; a
//! merged document is rendered as one document, so its pages share one subset per face,
//! with one bookmark per part.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use printpdf::{
    Color, Greyscale, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, Point,
    Pt, Rect, TextItem,
};
use rayon::prelude::*;

use super::check::check_page;
use super::rewrite;
use super::shared::{stages, ExportError, Fnv, PartError};
use super::subset::{self, font_id, FaceRuns};
use crate::fonts;
use crate::page::{Document, Face, Item, Page};

pub(super) const PT_PER_MM: f32 = 72.0 / 25.4;
/// Bezier handle length for a quarter ellipse (4/3·(√2−1)).
const KAPPA: f32 = 0.552_284_8;

/// One PDF to write: which parts (in order) and how.
pub(super) struct Output<'a> {
    pub(super) title: &'a str,
    pub(super) parts: Vec<usize>,
    pub(super) bookmarks: bool,
    pub(super) id: [u8; 16],
}

/// All `parts` as one document, with a bookmark per part.
pub(super) fn merged_output<'a>(title: &'a str, parts: &[&Document]) -> Output<'a> {
    Output {
        title,
        parts: (0..parts.len()).collect(),
        bookmarks: true,
        id: document_id(parts, Some(title)),
    }
}

/// The bytes of every output, in order. Errors name the part (page numbers within it)
/// when a page fails its check.
pub(super) fn render_set(
    parts: &[&Document],
    outputs: &[Output],
) -> Result<Vec<Vec<u8>>, PartError> {
    let t = std::time::Instant::now();
    // 1. Check everything and collect the chars each face must carry, per part.
    let mut used_by_part: Vec<BTreeMap<Face, BTreeSet<char>>> = Vec::new();
    for (i, doc) in parts.iter().enumerate() {
        let mut used = BTreeMap::new();
        for (p, page) in doc.pages.iter().enumerate() {
            check_page(p + 1, page, &mut used).map_err(|error| PartError {
                part: Some(i),
                error,
            })?;
        }
        used_by_part.push(used);
    }
    // Per output, the chars of each face; per face, the outputs using each glyph.
    let mut chars: Vec<BTreeMap<Face, BTreeSet<char>>> = Vec::new();
    let mut users: BTreeMap<Face, BTreeMap<u16, Vec<usize>>> = BTreeMap::new();
    for (o, output) in outputs.iter().enumerate() {
        let mut mine: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
        for p in &output.parts {
            for (face, set) in &used_by_part[*p] {
                mine.entry(*face).or_default().extend(set.iter().copied());
            }
        }
        for (face, set) in &mine {
            let m = fonts::metrics(*face);
            let gids: BTreeSet<u16> = set.iter().filter_map(|c| m.glyph(*c)).collect();
            for g in gids {
                users
                    .entry(*face)
                    .or_default()
                    .entry(g)
                    .or_default()
                    .push(o);
            }
        }
        chars.push(mine);
    }
    let t = stages::add(0, t);

    // 2. Glyph runs: the glyphs of each face grouped by the set of outputs using them;
    //    the large ones deflated once, on the pool.
    let mut faces =
        subset::face_runs(&users).map_err(|msg| PartError::whole(ExportError::Font(msg)))?;
    let t = stages::add(1, t);
    on_pool(|| {
        subset::share_large_runs(&mut faces);
        Ok(())
    })
    .map_err(PartError::whole)?;
    stages::add(3, t);

    // 3. Every output as its own task on the pool. The results are collected in order
    //    and the first error (by output) reported, whatever finished first.
    let results: Vec<Result<Vec<u8>, ExportError>> = on_pool(|| {
        Ok((0..outputs.len())
            .into_par_iter()
            .map(|o| render_one(parts, &outputs[o], o, &chars[o], &faces))
            .collect())
    })
    .map_err(PartError::whole)?;
    results
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(PartError::whole)
}

/// Runs `f`, whose parallel work goes to rayon's global pool; a panic in it (a defect)
/// becomes an error, as for any other failure to make the PDF.
fn on_pool<R>(f: impl FnOnce() -> Result<R, ExportError>) -> Result<R, ExportError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ExportError::Write(
            "PDFの作成中に内部エラーが起きました。".into(),
        ))
    })
}

/// One output (number `index`): its fonts, its pages (with a bookmark per part when
/// merged), then printpdf's document through [`rewrite`].
fn render_one(
    parts: &[&Document],
    output: &Output,
    index: usize,
    chars: &BTreeMap<Face, BTreeSet<char>>,
    faces: &[FaceRuns],
) -> Result<Vec<u8>, ExportError> {
    // Each face this output uses: its font program and the font printpdf describes.
    let mut pdf = PdfDocument::new(output.title);
    let programs = subset::add_fonts(&mut pdf, faces, index, chars)?;
    let t = std::time::Instant::now();

    // Pages, and a bookmark at the first page of each part.
    let docs: Vec<&Document> = output.parts.iter().map(|p| parts[*p]).collect();
    if output.bookmarks {
        let mut first = 1;
        for part in &docs {
            if !part.pages.is_empty() {
                pdf.add_bookmark(&part.title, first);
            }
            first += part.pages.len();
        }
    }
    let pages: Vec<PdfPage> = docs
        .iter()
        .flat_map(|d| d.pages.iter())
        .map(page_ops)
        .collect();
    let pdf = pdf.with_pages(pages);
    stages::add(2, t);

    // printpdf is done; what follows rewrites its output.
    rewrite::finish(pdf, programs, output.title, output.id)
}

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

/// A page as printpdf operations: black strokes and text, in page order.
fn page_ops(page: &Page) -> PdfPage {
    let h = page.height_mm;
    // Top-left millimetres → PDF points from the bottom-left.
    let point = |x_mm: f32, y_mm: f32| Point {
        x: pt(x_mm),
        y: pt(h - y_mm),
    };
    let black = || Color::Greyscale(Greyscale::new(0.0, None));
    let mut ops = vec![
        Op::SetFillColor { col: black() },
        Op::SetOutlineColor { col: black() },
    ];
    for item in &page.items {
        match item {
            Item::Text {
                x_mm,
                y_mm,
                size_pt,
                face,
                text,
            } => {
                if text.is_empty() {
                    continue;
                }
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFont {
                        font: PdfFontHandle::External(font_id(*face)),
                        size: Pt(*size_pt),
                    },
                    Op::SetTextCursor {
                        pos: point(*x_mm, *y_mm),
                    },
                    Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    },
                    Op::EndTextSection,
                ]);
            }
            Item::Line {
                x1_mm,
                y1_mm,
                x2_mm,
                y2_mm,
                width_pt,
            } => {
                ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![corner(point(*x1_mm, *y1_mm)), corner(point(*x2_mm, *y2_mm))],
                        is_closed: false,
                    },
                });
            }
            Item::Rect {
                x_mm,
                y_mm,
                w_mm,
                h_mm,
                width_pt,
            } => {
                ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
                // PDF's `re` takes the lower-left corner.
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: pt(*x_mm),
                        y: pt(h - y_mm - h_mm),
                        width: pt(*w_mm),
                        height: pt(*h_mm),
                        mode: Some(PaintMode::Stroke),
                        winding_order: None,
                    },
                });
            }
            Item::Ellipse {
                cx_mm,
                cy_mm,
                rx_mm,
                ry_mm,
                width_pt,
            } => {
                ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
                ops.push(Op::DrawLine {
                    line: ellipse(*cx_mm, h - cy_mm, *rx_mm, *ry_mm),
                });
            }
        }
    }
    PdfPage::new(
        printpdf::Mm(page.width_mm),
        printpdf::Mm(page.height_mm),
        ops,
    )
}

fn corner(p: Point) -> LinePoint {
    LinePoint { p, bezier: false }
}

/// A closed four-arc Bezier ellipse; centre in mm from the bottom-left.
fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32) -> Line {
    let p = |x: f32, y: f32, bezier: bool| LinePoint {
        p: Point { x: pt(x), y: pt(y) },
        bezier,
    };
    let (kx, ky) = (rx * KAPPA, ry * KAPPA);
    Line {
        points: vec![
            p(cx + rx, cy, false),
            p(cx + rx, cy + ky, true),
            p(cx + kx, cy + ry, true),
            p(cx, cy + ry, false),
            p(cx - kx, cy + ry, true),
            p(cx - rx, cy + ky, true),
            p(cx - rx, cy, false),
            p(cx - rx, cy - ky, true),
            p(cx - kx, cy - ry, true),
            p(cx, cy - ry, false),
            p(cx + kx, cy - ry, true),
            p(cx + rx, cy - ky, true),
            p(cx + rx, cy, false),
        ],
        is_closed: true,
    }
}

/// 16 bytes derived from the document descriptions (and the title of a merged
/// document), two FNV-1a passes: the trailer `/ID`, the same for the same content.
pub(super) fn document_id(parts: &[&Document], title: Option<&str>) -> [u8; 16] {
    let mut a = Fnv::new();
    let mut b = Fnv::with_seed(0x6a6f_6861_735f_6964);
    for doc in parts {
        let json = serde_json::to_vec(doc).unwrap_or_default();
        a.write(&json);
        b.write(&json);
    }
    if let Some(t) = title {
        a.write(t.as_bytes());
        b.write(t.as_bytes());
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a.finish().to_be_bytes());
    out[8..].copy_from_slice(&b.finish().to_be_bytes());
    out
}
