//! The fonts: each face is subset here (only the glyphs used, renumbered, without hinting,
//! outlines on a 256 units/em grid: [`fonts::glyph_run`], [`fonts::program_head`]) and
//! described to printpdf with codes, widths and metrics from the face parsed once per
//! process, while `/W` and the font descriptor keep the faces' own 2048-unit metrics, so
//! text is placed exactly where the faces' own metrics put it.
//!
//! Why not printpdf's own subsetting: its `text_layout` feature pulls in azul-layout (+24
//! crates, about double printpdf's cold build time), and without it printpdf embeds the
//! whole 6–8 MB font.
//!
//! The glyphs a set of files (a packet's forms and the merged packet.pdf) share are grouped
//! into runs; a large run is deflated once, as a chunk every file's font stream includes
//! ([`super::deflate`]), so each file is still complete on its own.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};
use rayon::prelude::*;

use super::deflate::Chunk;
use super::rewrite::{FontProgram, PROGRAM_STAND_IN};
use super::shared::{stages, ExportError, Fnv};
use crate::fonts::{self, GlyphRun};
use crate::page::Face;

/// The glyph runs of one face: its glyphs grouped by the set of outputs using them.
pub(super) struct FaceRuns {
    face: Face,
    /// .notdef, in every output.
    notdef: GlyphRun,
    /// Runs in a fixed order, each with the (ascending) outputs that use its glyphs and,
    /// when it is large enough to be worth a chunk of its own, deflated once for all
    /// of them (a small run is deflated with the rest of each output's program: a
    /// chunk of a few glyphs compresses badly on its own).
    runs: Vec<(Vec<usize>, GlyphRun, Option<Chunk>)>,
}

/// Raw bytes from which a glyph run is deflated once and shared (about a dozen glyphs).
///
/// Sharing smaller runs as well costs size: for the two example packets, sharing runs
/// from 4 KB makes the forms about 4% larger than deflating each program whole, for a
/// third less CPU time; from 16 KB, +0.5% for little gain.
const SHARED_RUN_MIN: usize = 4096;

/// Deflate level of the glyph runs (most of the bytes of every file): zlib's default,
/// 5% smaller than the fast level; `best()` gains another 0.2% at twice the time.
const FONT_LEVEL: u32 = 6;

/// The glyphs of each face (`users`: glyph id → the outputs using it, ascending) grouped
/// by the set of outputs using them, ascending ids within a group, in a fixed order.
pub(super) fn face_runs(
    users: &BTreeMap<Face, BTreeMap<u16, Vec<usize>>>,
) -> Result<Vec<FaceRuns>, String> {
    let mut faces: Vec<FaceRuns> = Vec::new();
    for (face, by_glyph) in users {
        let mut groups: BTreeMap<&[usize], Vec<u16>> = BTreeMap::new();
        for (g, outs) in by_glyph {
            groups.entry(outs.as_slice()).or_default().push(*g);
        }
        let mut runs = Vec::new();
        for (outs, gids) in groups {
            let run = fonts::glyph_run(*face, &gids)?;
            runs.push((outs.to_vec(), run, None));
        }
        faces.push(FaceRuns {
            face: *face,
            notdef: fonts::glyph_run(*face, &[0])?,
            runs,
        });
    }
    Ok(faces)
}

/// Deflates every run of at least [`SHARED_RUN_MIN`] bytes once, on the pool.
pub(super) fn share_large_runs(faces: &mut [FaceRuns]) {
    faces
        .par_iter_mut()
        .flat_map(|f| f.runs.par_iter_mut())
        .filter(|(_, run, _)| run.data.len() >= SHARED_RUN_MIN)
        .for_each(|(_, run, chunk)| *chunk = Some(Chunk::deflate(&run.data, FONT_LEVEL)));
}

/// Adds to `pdf` the font of each face output `index` uses, and returns their programs
/// (for [`super::rewrite`] to put in place of printpdf's stand-in).
pub(super) fn add_fonts(
    pdf: &mut PdfDocument,
    faces: &[FaceRuns],
    index: usize,
    chars: &BTreeMap<Face, BTreeSet<char>>,
) -> Result<BTreeMap<Face, FontProgram>, ExportError> {
    let t = Instant::now();
    let mut programs: BTreeMap<Face, FontProgram> = BTreeMap::new();
    let mut font_secs = Duration::ZERO;
    for f in faces {
        let mine: Vec<&(Vec<usize>, GlyphRun, Option<Chunk>)> = f
            .runs
            .iter()
            .filter(|(outs, _, _)| outs.binary_search(&index).is_ok())
            .collect();
        if mine.is_empty() {
            continue;
        }
        // Glyph order: .notdef, the small runs, the shared ones; the program is the
        // tables and the glyphs not shared, deflated here, then the shared chunks.
        let (small, big): (Vec<_>, Vec<_>) = mine.into_iter().partition(|(_, _, c)| c.is_none());
        let runs: Vec<&GlyphRun> = std::iter::once(&f.notdef)
            .chain(small.iter().chain(&big).map(|(_, r, _)| r))
            .collect();
        let mut private = fonts::program_head(f.face, &runs).map_err(ExportError::Font)?;
        let program_len = private.len() + runs.iter().map(|r| r.data.len()).sum::<usize>();
        for r in &runs[..1 + small.len()] {
            private.extend_from_slice(&r.data);
        }
        let t_deflate = Instant::now();
        let private = Chunk::deflate(&private, FONT_LEVEL);
        let chunks: Vec<&Chunk> = std::iter::once(&private)
            .chain(big.iter().filter_map(|(_, _, c)| c.as_ref()))
            .collect();
        programs.insert(
            f.face,
            FontProgram {
                len: program_len,
                zlib: Chunk::zlib(&chunks),
            },
        );
        font_secs += t_deflate.elapsed();
        let none = BTreeSet::new();
        let font = described_font(f.face, &runs, chars.get(&f.face).unwrap_or(&none))?;
        pdf.resources
            .fonts
            .map
            .insert(font_id(f.face), PdfFont::new(font));
    }
    let elapsed = t.elapsed();
    stages::add_nanos(1, (elapsed - font_secs.min(elapsed)).as_nanos() as u64);
    stages::add_nanos(3, font_secs.as_nanos() as u64);
    Ok(programs)
}

/// The name printpdf gives a face's font resource.
pub(super) fn font_id(face: Face) -> FontId {
    // Exactly six capitals: printpdf also uses the first six chars as subset tag
    // when it subsets itself (it does not here).
    FontId(
        match face {
            Face::Mincho => "IPAEXM",
            Face::Gothic => "IPAEXG",
        }
        .to_string(),
    )
}

/// The font printpdf describes for glyph runs of `face` laid out in order (new glyph id =
/// position): codes, widths and metrics from the face parsed once per process
/// ([`fonts::metrics`]), and a stand-in for the program (see [`PROGRAM_STAND_IN`], which
/// [`super::rewrite`] replaces).
fn described_font(
    face: Face,
    runs: &[&GlyphRun],
    chars: &BTreeSet<char>,
) -> Result<ParsedFont, ExportError> {
    let m = fonts::metrics(face);
    let ttf = m.ttf().ok_or_else(|| ExportError::Font("font".into()))?;
    let order: Vec<u16> = runs.iter().flat_map(|r| r.gids.iter().copied()).collect();
    let new_id: BTreeMap<u16, u16> = order
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new as u16))
        .collect();
    let glyph_widths: BTreeMap<u16, u16> = order
        .iter()
        .enumerate()
        .map(|(new, old)| (new as u16, m.glyph_advance(*old)))
        .collect();
    let mut codepoint_to_glyph = BTreeMap::new();
    for c in chars {
        if let Some(new) = m.glyph(*c).and_then(|g| new_id.get(&g)) {
            codepoint_to_glyph.insert(u32::from(*c), *new);
        }
    }
    let bbox = ttf.global_bounding_box();
    let hhea = ttf.tables().hhea;
    let units_per_em = m.units_per_em();
    Ok(ParsedFont {
        original_bytes: PROGRAM_STAND_IN.to_vec(),
        font_index: 0,
        // "ABCDEF+Name" marks a subset (ISO 32000-1, 9.6.4); the tag is derived from
        // the glyph set, so it is stable for the same text.
        font_name: Some(format!(
            "{}+{}",
            subset_tag(face, &order),
            fonts::postscript_name(face)
        )),
        codepoint_to_glyph,
        glyph_widths,
        units_per_em,
        font_metrics: printpdf::FontMetrics {
            ascent: hhea.ascender,
            descent: hhea.descender,
        },
        font_type: printpdf::FontType::TrueType,
        pdf_font_metrics: printpdf::PdfFontMetricsStub {
            units_per_em,
            x_min: bbox.x_min,
            y_min: bbox.y_min,
            x_max: bbox.x_max,
            y_max: bbox.y_max,
            // Both faces are upright.
            caret_slope_rise: 1,
            caret_slope_run: 0,
            us_weight_class: ttf.weight().to_number(),
        },
    })
}

/// Six capital letters derived from the face and glyph set.
fn subset_tag(face: Face, gids: &[u16]) -> String {
    let mut h = Fnv::new();
    h.write(fonts::postscript_name(face).as_bytes());
    for g in gids {
        h.write(&g.to_be_bytes());
    }
    let mut v = h.finish();
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (v % 26) as u8);
            v /= 26;
            c
        })
        .collect()
}
