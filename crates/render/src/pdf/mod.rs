//! From the page description to PDF bytes. A pure function: no I/O, no clock, no
//! randomness — the same [`Document`] gives the same bytes, in one process or many.
//!
//! How (and why this way):
//! - printpdf 0.12 (no default features) writes the pages, the Type0/CIDFontType2 font
//!   dictionaries, `/W` widths and the `/ToUnicode` map (so the text can be copied and
//!   extracted).
//! - Its `text_layout` feature would subset fonts but pulls in azul-layout (+24 crates,
//!   about double printpdf's cold build time); without it printpdf embeds the whole
//!   6–8 MB font silently. So we write each face's subset program ourselves
//!   ([`fonts::glyph_run`], [`fonts::program_head`]: only the glyphs used, renumbered,
//!   without hinting, with only the tables a CIDFontType2 needs) and describe it to
//!   printpdf — codes, widths and metrics from the face parsed once per process — giving
//!   it a four-byte stand-in for the program, which we put in place, already deflated,
//!   after printpdf is done (it would copy the program twice and deflate it again).
//! - The embedded outlines are on a grid of 256 units per em
//!   ([`fonts::EMBED_UNITS_PER_EM`]: about 30% fewer font bytes, no visible change),
//!   while `/W` and the font descriptor keep the faces' own 2048-unit metrics, so text
//!   is placed exactly where it was.
//! - printpdf writes one `/W` width and one ToUnicode `bfchar` per glyph;
//!   [`compact_font_maps`] rewrites both with ranges ([`compact_widths`],
//!   [`to_unicode_cmap`]: the same values), and [`drop_redundant_entries`] leaves out
//!   page boxes equal to their defaults, empty `/Annots` and empty resource dictionaries.
//! - A merged document ([`merge`]) is rendered as one document, so its pages share one
//!   subset per face, with one bookmark per part.
//! - [`export_and_merge`] makes a packet's files (each part alone, and the merged one)
//!   without deflating a glyph twice: the glyphs of a face are grouped by the set of
//!   files that use them, each large group is deflated once as a chunk that ends on a
//!   byte boundary without the final-block flag (a sync flush), and every file's font
//!   stream is a zlib header, its own deflated tables and small groups, the shared
//!   chunks it needs, an empty final block and the Adler-32 of the whole (combined from
//!   the chunks'). Every file is still complete on its own. The files are then written
//!   on rayon's global pool.
//! - printpdf builds a lopdf document (and would say `%PDF-1.3`); [`write`] serializes it
//!   as PDF 1.5 with one object stream and a cross-reference stream (lopdf's own writer
//!   serialized each packed object three times and made a new compressor per stream).
//!   printpdf's `/PageMode` is a string where a name is required; we fix it.
//! - printpdf names fonts, subset tags and the trailer `/ID` from a process-wide counter.
//!   We use fixed font ids, derive the subset tag and `/ID` from the content, and
//!   replace the Info dictionary (which would otherwise carry 1970 dates and empty
//!   fields) with `/Title` and `/Producer` only. No XMP, no timestamps.
//! - No PDF/A claim: printpdf's "PDF/A" conformance setting does not produce PDF/A.
//! - A char that the face cannot draw would print as a blank box without any warning,
//!   so [`export`] refuses such text instead.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

use rayon::prelude::*;

use crate::fonts::{self, GlyphRun};

mod write;
use crate::page::{Document, Face, Item, Page};

const PT_PER_MM: f32 = 72.0 / 25.4;
/// Bezier handle length for a quarter ellipse (4/3·(√2−1)).
const KAPPA: f32 = 0.552_284_8;
const PRODUCER: &str = "johas-claim";

/// CPU time spent in each stage of [`export`]/[`merge`], summed over all threads since
/// the process started (for `benches/packets.rs`; reading it changes nothing).
pub mod stages {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Instant;

    /// Stage names, in pipeline order.
    pub const NAMES: [&str; 5] = [
        "check & collect chars",
        "subset fonts",
        "printpdf (pages, font dicts, ToUnicode)",
        "deflate streams",
        "write (object/xref streams)",
    ];
    static NANOS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

    pub(super) fn add_nanos(stage: usize, nanos: u64) {
        NANOS[stage].fetch_add(nanos, Ordering::Relaxed);
    }

    pub(super) fn add(stage: usize, since: Instant) -> Instant {
        let now = Instant::now();
        NANOS[stage].fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }

    /// Nanoseconds per stage so far, in the order of [`NAMES`].
    pub fn nanos() -> [u64; 5] {
        std::array::from_fn(|i| NANOS[i].load(Ordering::Relaxed))
    }
}

/// Why a document could not be turned into a PDF. Messages are for users (Japanese).
#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// A text item contains chars its face has no glyph for (they would print blank).
    MissingGlyphs {
        /// 1-based page number.
        page: usize,
        face: Face,
        text: String,
        chars: Vec<char>,
    },
    /// A text item contains a control char (a line break, a tab…): items are one line.
    ControlChar { page: usize, text: String, ch: char },
    /// A size or coordinate is not a finite number, or is out of range.
    BadNumber { page: usize, what: String },
    /// The font could not be subset or loaded (should not happen with the embedded fonts).
    Font(String),
    /// Writing the PDF failed.
    Write(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::MissingGlyphs {
                page,
                face,
                text,
                chars,
            } => {
                let list: Vec<String> = chars
                    .iter()
                    .map(|c| format!("{c}（U+{:04X}）", u32::from(*c)))
                    .collect();
                let face = match face {
                    Face::Mincho => "IPAex明朝",
                    Face::Gothic => "IPAexゴシック",
                };
                write!(
                    f,
                    "フォントにない文字です: {}（{}ページ、{}、「{}」）",
                    list.join("、"),
                    page,
                    face,
                    text
                )
            }
            ExportError::ControlChar { page, text, ch } => write!(
                f,
                "1行のテキストに改行などの制御文字（U+{:04X}）は使えません（{}ページ、「{}」）",
                u32::from(*ch),
                page,
                text.escape_debug()
            ),
            ExportError::BadNumber { page, what } => {
                write!(f, "{page}ページの{what}の値が正しくありません")
            }
            ExportError::Font(msg) => write!(f, "フォントの埋め込みに失敗しました: {msg}"),
            ExportError::Write(msg) => write!(f, "PDFの書き出しに失敗しました: {msg}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// Renders `doc` as PDF bytes (one PDF page per [`Page`], at the page's own size).
///
/// Errors, before anything is drawn, if a text item has a char its face cannot draw
/// or a control char, or if a number is not finite (or a size/width is negative).
pub fn export(doc: &Document) -> Result<Vec<u8>, ExportError> {
    let outputs = [Output {
        title: &doc.title,
        parts: vec![0],
        bookmarks: false,
        id: document_id(&[doc], None),
    }];
    let mut out = render_set(&[doc], &outputs).map_err(|e| e.error)?;
    Ok(out.remove(0))
}

/// Renders several documents as one PDF, in order: all their pages, one subset per face
/// shared by every page, and one bookmark (outline entry) per document, at its first
/// page, titled with the document's title. Pure and deterministic, like [`export`].
pub fn merge(title: &str, parts: &[&Document]) -> Result<Vec<u8>, ExportError> {
    let outputs = [merged_output(title, parts)];
    match render_set(parts, &outputs) {
        Ok(mut out) => Ok(out.remove(0)),
        Err(e) => Err(e.in_merged(parts)),
    }
}

/// [`export`] of every part and [`merge`] of them all, at once: the same bytes as those
/// two would give, for less work. Every glyph outline is deflated once, in a run that the
/// single documents and the merged one share (a deflate stream may be continued with
/// blocks compressed on their own), so the fonts of a packet cost about what the merged
/// document's alone would.
pub fn export_and_merge(
    title: &str,
    parts: &[&Document],
) -> Result<(Vec<Vec<u8>>, Vec<u8>), PartError> {
    let mut outputs: Vec<Output> = parts
        .iter()
        .enumerate()
        .map(|(i, d)| Output {
            title: &d.title,
            parts: vec![i],
            bookmarks: false,
            id: document_id(&[*d], None),
        })
        .collect();
    outputs.push(merged_output(title, parts));
    let mut out = render_set(parts, &outputs)?;
    let merged = out.pop().unwrap_or_default();
    Ok((out, merged))
}

/// An [`ExportError`] of [`export_and_merge`], with the part it concerns (`None`: the
/// merged document as a whole).
#[derive(Debug, Clone, PartialEq)]
pub struct PartError {
    pub part: Option<usize>,
    pub error: ExportError,
}

impl PartError {
    fn whole(error: ExportError) -> Self {
        PartError { part: None, error }
    }

    /// The error as [`merge`] reports it: pages numbered across all parts.
    fn in_merged(self, parts: &[&Document]) -> ExportError {
        let before: usize = match self.part {
            Some(p) => parts[..p].iter().map(|d| d.pages.len()).sum(),
            None => 0,
        };
        match self.error {
            ExportError::MissingGlyphs {
                page,
                face,
                text,
                chars,
            } => ExportError::MissingGlyphs {
                page: page + before,
                face,
                text,
                chars,
            },
            ExportError::ControlChar { page, text, ch } => ExportError::ControlChar {
                page: page + before,
                text,
                ch,
            },
            ExportError::BadNumber { page, what } => ExportError::BadNumber {
                page: page + before,
                what,
            },
            other => other,
        }
    }
}

/// One PDF to write: which parts (in order) and how.
struct Output<'a> {
    title: &'a str,
    parts: Vec<usize>,
    bookmarks: bool,
    id: [u8; 16],
}

fn merged_output<'a>(title: &'a str, parts: &[&Document]) -> Output<'a> {
    Output {
        title,
        parts: (0..parts.len()).collect(),
        bookmarks: true,
        id: document_id(parts, Some(title)),
    }
}

/// The glyph runs of one face: its glyphs grouped by the set of outputs using them.
struct FaceRuns {
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

fn font_error(msg: String) -> PartError {
    PartError::whole(ExportError::Font(msg))
}

fn render_set(parts: &[&Document], outputs: &[Output]) -> Result<Vec<Vec<u8>>, PartError> {
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

    // 2. Glyph runs: the glyphs of each face grouped by the set of outputs using them
    //    (ascending ids within a group); the large ones deflated once, on the pool.
    let mut faces: Vec<FaceRuns> = Vec::new();
    for (face, by_glyph) in &users {
        let mut groups: BTreeMap<&[usize], Vec<u16>> = BTreeMap::new();
        for (g, outs) in by_glyph {
            groups.entry(outs.as_slice()).or_default().push(*g);
        }
        let mut runs = Vec::new();
        for (outs, gids) in groups {
            let run = fonts::glyph_run(*face, &gids).map_err(font_error)?;
            runs.push((outs.to_vec(), run, None));
        }
        faces.push(FaceRuns {
            face: *face,
            notdef: fonts::glyph_run(*face, &[0]).map_err(font_error)?,
            runs,
        });
    }
    let t = stages::add(1, t);
    on_pool(|| {
        faces
            .par_iter_mut()
            .flat_map(|f| f.runs.par_iter_mut())
            .filter(|(_, run, _)| run.data.len() >= SHARED_RUN_MIN)
            .for_each(|(_, run, chunk)| *chunk = Some(Chunk::deflate(&run.data, FONT_LEVEL)));
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

/// Runs `f`, whose parallel work goes to rayon's global pool (sized once by the binary;
/// work nested in a caller's own parallel loop shares its threads); a panic in it (a
/// defect) becomes an error, as for any other failure to make the PDF.
fn on_pool<R>(f: impl FnOnce() -> Result<R, ExportError>) -> Result<R, ExportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ExportError::Write(
            "PDFの作成中に内部エラーが起きました。".into(),
        ))
    })
}

/// Deflate level of the glyph runs (most of the bytes of every file): zlib's default,
/// 5% smaller than the fast level; `best()` gains another 0.2% at twice the time.
const FONT_LEVEL: u32 = 6;

fn render_one(
    parts: &[&Document],
    output: &Output,
    index: usize,
    chars: &BTreeMap<Face, BTreeSet<char>>,
    faces: &[FaceRuns],
) -> Result<Vec<u8>, ExportError> {
    let t = std::time::Instant::now();
    // Each face this output uses: its runs (.notdef first), their font program and the
    // font printpdf describes.
    let mut pdf = PdfDocument::new(output.title);
    let mut programs: BTreeMap<Face, (usize, Vec<u8>)> = BTreeMap::new();
    let mut font_secs = std::time::Duration::ZERO;
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
        let t_deflate = std::time::Instant::now();
        let private = Chunk::deflate(&private, FONT_LEVEL);
        let chunks: Vec<&Chunk> = std::iter::once(&private)
            .chain(big.iter().filter_map(|(_, _, c)| c.as_ref()))
            .collect();
        programs.insert(f.face, (program_len, Chunk::zlib(&chunks)));
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

    // Serialize through lopdf so that the Info dictionary and /ID can be pinned.
    let opts = PdfSaveOptions {
        // Streams are compressed below: printpdf and lopdf both use
        // `Compression::best()`, which took half the run time of a packet for about
        // 1% smaller files.
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
    {
        return Err(ExportError::Write(w.msg.clone()));
    }
    put_font_programs(&mut lo, programs)?;
    compact_font_maps(&mut lo);
    drop_redundant_entries(&mut lo);
    fix_catalog(&mut lo);
    pin_metadata(&mut lo, output.title, output.id);
    let t = stages::add(2, t);
    compress_streams(&mut lo);
    let t = stages::add(3, t);
    let out = save(&mut lo);
    stages::add(4, t);
    out
}

/// printpdf embeds `ParsedFont::original_bytes` as the `/FontFile2` stream, copying it
/// twice on the way. We hand it a four-byte stand-in (a TrueType version tag, so that
/// it describes a CIDFontType2 and does not look for CFF outlines) and put the real,
/// already deflated program in its place afterwards, found by the descriptor's
/// `/FontName` (`ABCDEF+IPAexMincho`).
const PROGRAM_STAND_IN: [u8; 4] = [0, 1, 0, 0];

fn put_font_programs(
    lo: &mut lopdf::Document,
    mut programs: BTreeMap<Face, (usize, Vec<u8>)>,
) -> Result<(), ExportError> {
    use lopdf::Object;
    let mut targets = Vec::new();
    for obj in lo.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"FontDescriptor") {
            continue;
        }
        let name = d.get(b"FontName").and_then(|n| n.as_name()).unwrap_or(b"");
        let face = fonts::ALL
            .into_iter()
            .find(|f| name.ends_with(fonts::postscript_name(*f).as_bytes()));
        if let (Some(face), Ok(file)) = (face, d.get(b"FontFile2").and_then(|f| f.as_reference())) {
            targets.push((face, file));
        }
    }
    for (face, file) in targets {
        let (len, stream) = programs
            .remove(&face)
            .ok_or_else(|| ExportError::Font(fonts::postscript_name(face).into()))?;
        let Ok(Object::Stream(s)) = lo.get_object_mut(file) else {
            return Err(ExportError::Font(fonts::postscript_name(face).into()));
        };
        s.dict.set("Length1", len as i64);
        s.dict.set("Filter", "FlateDecode");
        s.set_content(stream);
    }
    if let Some(face) = programs.keys().next() {
        return Err(ExportError::Font(format!(
            "{} のフォントプログラムを置けませんでした",
            fonts::postscript_name(*face)
        )));
    }
    Ok(())
}

/// Runs `f` with this thread's raw deflate compressor for `level`, reset to a fresh state.
///
/// A compressor's state is a few hundred KB that its constructor allocates and zeroes;
/// a packet deflates about fifty streams, and creating a compressor for each took a
/// tenth of a packet's CPU time. Resetting one per thread gives the same bytes.
fn with_deflater<R>(level: u32, f: impl FnOnce(&mut flate2::Compress) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static DEFLATERS: RefCell<Vec<(u32, flate2::Compress)>> = const { RefCell::new(Vec::new()) };
    }
    DEFLATERS.with(|d| {
        let mut d = d.borrow_mut();
        let i = match d.iter().position(|(l, _)| *l == level) {
            Some(i) => {
                d[i].1.reset();
                i
            }
            None => {
                d.push((
                    level,
                    flate2::Compress::new(flate2::Compression::new(level), false),
                ));
                d.len() - 1
            }
        };
        f(&mut d[i].1)
    })
}

/// Rewrites every Type0 font's `/W` widths ([`compact_widths`]) and `/ToUnicode` map
/// ([`to_unicode_cmap`]) compactly, with the same values: printpdf writes one width and
/// one `bfchar` line per glyph. Read back from what printpdf wrote, so the values are
/// exactly its own; a map in a form this does not read is left as it is.
fn compact_font_maps(lo: &mut lopdf::Document) {
    use lopdf::Object;
    let mut maps = Vec::new();
    for obj in lo.objects.values_mut() {
        let Ok(font) = obj.as_dict_mut() else {
            continue;
        };
        if font.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0") {
            continue;
        }
        if let Ok(r) = font.get(b"ToUnicode").and_then(|r| r.as_reference()) {
            maps.push(r);
        }
        let Ok(Object::Array(descendants)) = font.get_mut(b"DescendantFonts") else {
            continue;
        };
        for cid_font in descendants.iter_mut() {
            let Object::Dictionary(cid_font) = cid_font else {
                continue;
            };
            let dw = cid_font.get(b"DW").and_then(|w| w.as_i64()).ok();
            let widths = cid_font
                .get(b"W")
                .ok()
                .and_then(|w| w.as_array().ok())
                .and_then(|w| read_widths(w));
            if let Some(widths) = widths {
                cid_font.set("W", Object::Array(compact_widths(&widths, dw)));
            }
        }
    }
    for r in maps {
        if let Ok(Object::Stream(s)) = lo.get_object_mut(r) {
            if s.dict.get(b"Filter").is_err() {
                if let Some(map) = read_bfchars(&s.content) {
                    s.set_content(to_unicode_cmap(&map));
                }
            }
        }
    }
}

/// Leaves out what printpdf writes that means nothing: a page's `/CropBox` and
/// `/TrimBox` equal to its `/MediaBox` (their defaults, ISO 32000-1, 14.11.2), an empty
/// `/Annots`, resource entries naming an empty dictionary (and those dictionaries), and
/// writes bookmark titles as literal strings rather than hex (half the bytes).
fn drop_redundant_entries(lo: &mut lopdf::Document) {
    use lopdf::{Object, ObjectId, StringFormat};
    let empty: BTreeSet<ObjectId> = lo
        .objects
        .iter()
        .filter(|(_, o)| matches!(o, Object::Dictionary(d) if d.is_empty()))
        .map(|(id, _)| *id)
        .collect();
    let is_empty = |o: &Object| match o {
        Object::Reference(r) => empty.contains(r),
        Object::Dictionary(d) => d.is_empty(),
        Object::Array(a) => a.is_empty(),
        _ => false,
    };
    let mut resources = BTreeSet::new();
    for obj in lo.objects.values_mut() {
        let Object::Dictionary(d) = obj else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Page") {
            // TrimBox defaults to CropBox, CropBox to MediaBox.
            let media = d.get(b"MediaBox").ok().cloned();
            let crop = d.get(b"CropBox").ok().cloned().or(media.clone());
            if crop.is_some() && d.get(b"TrimBox").ok() == crop.as_ref() {
                d.remove(b"TrimBox");
            }
            if media.is_some() && d.get(b"CropBox").ok() == media.as_ref() {
                d.remove(b"CropBox");
            }
            if d.get(b"Annots").is_ok_and(&is_empty) {
                d.remove(b"Annots");
            }
            match d.get_mut(b"Resources") {
                Ok(Object::Reference(r)) => {
                    resources.insert(*r);
                }
                Ok(Object::Dictionary(r)) => drop_empty_entries(r, &is_empty),
                _ => {}
            }
        }
        if let Ok(Object::String(_, format)) = d.get_mut(b"Title") {
            *format = StringFormat::Literal;
        }
    }
    for r in resources {
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(r) {
            drop_empty_entries(d, &is_empty);
        }
    }
    // The empty dictionaries nothing refers to any more.
    let mut referenced = BTreeSet::new();
    fn refs(o: &Object, out: &mut BTreeSet<ObjectId>) {
        match o {
            Object::Reference(r) => {
                out.insert(*r);
            }
            Object::Array(a) => a.iter().for_each(|o| refs(o, out)),
            Object::Dictionary(d) => d.iter().for_each(|(_, o)| refs(o, out)),
            Object::Stream(s) => s.dict.iter().for_each(|(_, o)| refs(o, out)),
            _ => {}
        }
    }
    for o in lo.objects.values() {
        refs(o, &mut referenced);
    }
    lo.trailer
        .iter()
        .for_each(|(_, o)| refs(o, &mut referenced));
    for id in empty.difference(&referenced) {
        lo.objects.remove(id);
    }
}

/// Removes the entries of a resource dictionary that `is_empty` says name nothing.
fn drop_empty_entries(d: &mut lopdf::Dictionary, is_empty: impl Fn(&lopdf::Object) -> bool) {
    let keys: Vec<Vec<u8>> = d
        .iter()
        .filter(|(k, v)| k.as_slice() != b"Font" && is_empty(v))
        .map(|(k, _)| k.clone())
        .collect();
    for k in keys {
        d.remove(&k);
    }
}

/// The (CID, width) pairs of a `/W` array (both forms: `c [w1 w2 …]` and
/// `cfirst clast w`). `None` for anything else.
fn read_widths(w: &[lopdf::Object]) -> Option<Vec<(u16, i64)>> {
    use lopdf::Object;
    let int = |o: &Object| -> Option<i64> {
        match o {
            Object::Integer(i) => Some(*i),
            Object::Real(r) if r.fract() == 0.0 => Some(*r as i64),
            _ => None,
        }
    };
    let cid = |o: &Object| int(o).and_then(|c| u16::try_from(c).ok());
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let first = cid(&w[i])?;
        match w.get(i + 1)? {
            Object::Array(ws) => {
                for (k, v) in ws.iter().enumerate() {
                    out.push((first.checked_add(u16::try_from(k).ok()?)?, int(v)?));
                }
                i += 2;
            }
            last => {
                let (last, width) = (cid(last)?, int(w.get(i + 2)?)?);
                out.extend((first..=last).map(|c| (c, width)));
                i += 3;
            }
        }
    }
    Some(out)
}

/// The (CID, char) pairs of a ToUnicode CMap made only of `bfchar` entries that map a
/// two-byte code to one char (what printpdf writes). `None` for anything else.
fn read_bfchars(cmap: &[u8]) -> Option<Vec<(u16, char)>> {
    let text = std::str::from_utf8(cmap).ok()?;
    if text.contains("bfrange") || text.contains("cidchar") || text.contains("cidrange") {
        return None;
    }
    let d = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(begin) = text[at..].find("beginbfchar") {
        at += begin + "beginbfchar".len();
        let end = at + text[at..].find("endbfchar")?;
        loop {
            while at < end && d[at].is_ascii_whitespace() {
                at += 1;
            }
            if at == end {
                break;
            }
            let (src, n, next) = hex_units(&d[..end], at)?;
            let (dst, m, next) = hex_units(&d[..end], next)?;
            at = next;
            let mut chars = char::decode_utf16(dst[..m].iter().copied());
            let (1, Some(Ok(ch)), None) = (n, chars.next(), chars.next()) else {
                return None;
            };
            out.push((src[0], ch));
        }
    }
    Some(out)
}

/// The hex string starting at `d[at..]` after white space, as at most two 16-bit units:
/// (units, how many, the index after it). `None` if it is not one or is longer.
fn hex_units(d: &[u8], mut at: usize) -> Option<([u16; 2], usize, usize)> {
    while d.get(at)?.is_ascii_whitespace() {
        at += 1;
    }
    if d[at] != b'<' {
        return None;
    }
    at += 1;
    let (mut units, mut n, mut v, mut digits) = ([0u16; 2], 0, 0u16, 0);
    loop {
        let b = *d.get(at)?;
        at += 1;
        match b {
            b'>' => break,
            b if b.is_ascii_whitespace() => continue,
            b => {
                v = v << 4 | char::from(b).to_digit(16)? as u16;
                digits += 1;
                if digits == 4 {
                    *units.get_mut(n)? = v;
                    (n, v, digits) = (n + 1, 0, 0);
                }
            }
        }
    }
    (digits == 0 && n > 0).then_some((units, n, at))
}

/// A CIDFont's `/W` array for `widths` (CID, width in 1/1000 em), compactly: CIDs whose
/// width is `default` (the font's `/DW`) are left out, runs of at least three consecutive
/// CIDs of equal width are written `cfirst clast w`, other runs of consecutive CIDs
/// `c [w1 w2 …]` (ISO 32000-1, 9.7.4.3). Pairs may come in any order; for a CID given
/// twice, the first width counts.
pub fn compact_widths(widths: &[(u16, i64)], default: Option<i64>) -> Vec<lopdf::Object> {
    use lopdf::Object;
    let mut sorted = widths.to_vec();
    sorted.sort_by_key(|e| e.0); // stable: the first of equal CIDs stays first
    sorted.dedup_by_key(|e| e.0);
    sorted.retain(|e| Some(e.1) != default);
    let mut out = Vec::new();
    let mut pending: Vec<(u16, i64)> = Vec::new();
    let flush = |pending: &mut Vec<(u16, i64)>, out: &mut Vec<Object>| {
        if let Some((first, _)) = pending.first() {
            out.push(Object::Integer(i64::from(*first)));
            out.push(Object::Array(
                pending.iter().map(|(_, w)| Object::Integer(*w)).collect(),
            ));
            pending.clear();
        }
    };
    let mut i = 0;
    while i < sorted.len() {
        let (c, w) = sorted[i];
        // Consecutive CIDs of the same width from here.
        let same = sorted[i..]
            .iter()
            .enumerate()
            .take_while(|(k, e)| e.1 == w && u32::from(e.0) == u32::from(c) + *k as u32)
            .count();
        if pending
            .last()
            .is_some_and(|p| u32::from(p.0) + 1 != u32::from(c))
        {
            flush(&mut pending, &mut out);
        }
        if same >= 3 {
            flush(&mut pending, &mut out);
            let last = sorted[i + same - 1].0;
            out.extend([c, last].map(|v| Object::Integer(i64::from(v))));
            out.push(Object::Integer(w));
            i += same;
        } else {
            pending.push((c, w));
            i += 1;
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// A ToUnicode CMap (ISO 32000-1, 9.10.3) mapping two-byte codes (CIDs) to chars,
/// compactly: `bfrange` for runs of consecutive CIDs mapped to consecutive chars (within
/// one high byte of the code and one last byte of the UTF-16 target, as the CMap format
/// requires), `bfchar` for the rest, at most 100 entries per block. Pairs may come in any
/// order; for a CID given twice, the first char counts.
pub fn to_unicode_cmap(map: &[(u16, char)]) -> Vec<u8> {
    let mut sorted = map.to_vec();
    sorted.sort_by_key(|e| e.0); // stable: the first of equal CIDs stays first
    sorted.dedup_by_key(|e| e.0);
    fn hex4(out: &mut Vec<u8>, v: u16) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        for shift in [12, 8, 4, 0] {
            out.push(DIGITS[usize::from(v >> shift & 0xF)]);
        }
    }
    fn hex(out: &mut Vec<u8>, v: u16) {
        out.push(b'<');
        hex4(out, v);
        out.push(b'>');
    }
    // (first CID, last CID, char): a bfrange when first < last.
    let mut entries: Vec<(u16, u16, char)> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let (c, ch) = sorted[i];
        let u = u32::from(ch);
        let mut len = 1;
        // A surrogate pair is left as a bfchar.
        while u <= 0xFFFF {
            let Some((c2, ch2)) = sorted.get(i + len) else {
                break;
            };
            let k = len as u32;
            if u32::from(*c2) != u32::from(c) + k
                || u32::from(*ch2) != u + k
                || *c2 >> 8 != c >> 8
                || (u + k) >> 8 != u >> 8
            {
                break;
            }
            len += 1;
        }
        entries.push((c, sorted[i + len - 1].0, ch));
        i += len;
    }
    let mut out: Vec<u8> = Vec::with_capacity(300 + 16 * entries.len());
    out.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
          /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
          /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
          1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let (chars, ranges): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| e.0 == e.1);
    for (entries, kind) in [(chars, &b"bfchar"[..]), (ranges, b"bfrange")] {
        for block in entries.chunks(100) {
            out.extend_from_slice(block.len().to_string().as_bytes());
            out.extend_from_slice(b" begin");
            out.extend_from_slice(kind);
            out.push(b'\n');
            for (first, last, ch) in block {
                hex(&mut out, *first);
                if first != last {
                    out.push(b' ');
                    hex(&mut out, *last);
                }
                out.push(b' ');
                let mut buf = [0u16; 2];
                let units = ch.encode_utf16(&mut buf);
                out.push(b'<');
                for u in units.iter() {
                    hex4(&mut out, *u);
                }
                out.extend_from_slice(b">\n");
            }
            out.extend_from_slice(b"end");
            out.extend_from_slice(kind);
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Part of a zlib stream: raw deflate blocks for `raw_len` bytes, compressed on their own
/// (no reference to earlier data) and ending on a byte boundary without the final-block
/// flag (a sync flush), so chunks can follow each other in any order.
struct Chunk {
    deflated: Vec<u8>,
    raw_len: usize,
    adler: u32,
}

impl Chunk {
    fn deflate(data: &[u8], level: u32) -> Chunk {
        use flate2::FlushCompress;
        with_deflater(level, |c| {
            let mut out = Vec::with_capacity(data.len() * 3 / 4 + 64);
            loop {
                let consumed = c.total_in() as usize;
                // Only fails on a misuse of the stream, which this loop does not do.
                let _ = c.compress_vec(&data[consumed..], &mut out, FlushCompress::Sync);
                if c.total_in() as usize == data.len() && out.len() < out.capacity() {
                    break;
                }
                out.reserve(out.capacity().max(64));
            }
            Chunk {
                deflated: out,
                raw_len: data.len(),
                adler: adler32(data),
            }
        })
    }

    /// A whole zlib stream of `data` at `level` (one chunk, with the thread's compressor).
    fn zlib_of(data: &[u8], level: u32) -> Vec<u8> {
        Chunk::zlib(&[&Chunk::deflate(data, level)])
    }

    /// A zlib stream of `chunks`' data, in order.
    fn zlib(chunks: &[&Chunk]) -> Vec<u8> {
        let len: usize = chunks.iter().map(|c| c.deflated.len()).sum();
        let mut out = Vec::with_capacity(len + 8);
        out.extend_from_slice(&[0x78, 0x9C]);
        let mut adler = 1u32;
        for c in chunks {
            out.extend_from_slice(&c.deflated);
            adler = adler32_combine(adler, c.adler, c.raw_len);
        }
        // An empty final block with fixed Huffman codes (BFINAL 1, BTYPE 01, EOB).
        out.extend_from_slice(&[0x03, 0x00]);
        out.extend_from_slice(&adler.to_be_bytes());
        out
    }
}

const ADLER_MOD: u32 = 65521;

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        for &x in block {
            a += u32::from(x);
            b += a;
        }
        a %= ADLER_MOD;
        b %= ADLER_MOD;
    }
    (b << 16) | a
}

/// The Adler-32 of `A ++ B` from those of `A` and `B` and the length of `B` (as zlib's
/// `adler32_combine`).
fn adler32_combine(a: u32, b: u32, len_b: usize) -> u32 {
    let m = u64::from(ADLER_MOD);
    let rem = len_b as u64 % m;
    let (a1, a2) = (u64::from(a & 0xffff), u64::from(a >> 16));
    let (b1, b2) = (u64::from(b & 0xffff), u64::from(b >> 16));
    let s1 = (a1 + b1 + m - 1) % m;
    let s2 = (rem * a1 % m + a2 + b2 + m - rem) % m;
    ((s2 << 16) | s1) as u32
}

/// Writes the document with a cross-reference stream and an object stream (PDF 1.5): the
/// font dictionaries and `/W` widths are compressed too (see [`write`]).
fn save(lo: &mut lopdf::Document) -> Result<Vec<u8>, ExportError> {
    write::save(lo).map_err(ExportError::Write)
}

/// printpdf writes `/PageMode (UseOutlines)` as a string; the key takes a name.
fn fix_catalog(lo: &mut lopdf::Document) {
    use lopdf::Object;
    let Ok(Object::Reference(root)) = lo.trailer.get(b"Root").cloned() else {
        return;
    };
    if let Ok(catalog) = lo.get_dictionary_mut(root) {
        if let Ok(Object::String(mode, _)) = catalog.get(b"PageMode").cloned() {
            catalog.set("PageMode", Object::Name(mode));
        }
    }
}

/// Deflate level of the content streams and ToUnicode maps. flate2's backend here is
/// zlib-rs (turned on by calamine's zip), whose level 1 is a quick compressor with fixed
/// Huffman codes that does poorly on this text: the content and ToUnicode streams of both
/// example packets (240 KB raw) deflate to 110 KB at level 1, 80 KB at level 2, 77 KB at
/// 3 and 76 KB at 6, for 1.3, 2.4, 2.9 and 3.4 ms of CPU per packet (one compressor per
/// document, reset for each stream, takes back most of the difference). Level 2 takes
/// every form of the example packets below issue #7's 70 KB.
const STREAM_LEVEL: u32 = 2;

/// Deflates every stream that is not yet filtered (content streams, ToUnicode maps; the
/// object stream is deflated by [`write`]) at [`STREAM_LEVEL`], with the thread's
/// compressor ([`with_deflater`]). The font programs come deflated already.
fn compress_streams(lo: &mut lopdf::Document) {
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let compressed = Chunk::zlib_of(&stream.content, STREAM_LEVEL);
            if compressed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
}

fn font_id(face: Face) -> FontId {
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

fn check_page(
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

/// The font printpdf describes for glyph runs of `face` laid out in order (new glyph id =
/// position): codes, widths and metrics from the face parsed once per process
/// ([`fonts::metrics`]), and a stand-in for the program (see [`PROGRAM_STAND_IN`]).
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

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

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

/// Replaces the Info dictionary with /Title and /Producer only (no dates) and sets the
/// trailer /ID.
fn pin_metadata(lo: &mut lopdf::Document, title: &str, id: [u8; 16]) {
    use lopdf::{Dictionary, Object, StringFormat};

    let mut info = Dictionary::new();
    info.set("Title", text_string(title));
    info.set("Producer", text_string(PRODUCER));
    let info_id = lo.add_object(Object::Dictionary(info));
    if let Ok(Object::Reference(old)) = lo.trailer.get(b"Info").cloned() {
        lo.objects.remove(&old);
    }
    lo.trailer.set("Info", Object::Reference(info_id));

    let id = Object::String(id.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
}

/// A PDF text string: UTF-16BE with BOM (plain ASCII stays literal).
fn text_string(s: &str) -> lopdf::Object {
    use lopdf::{Object, StringFormat};
    if s.is_ascii() {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    // A literal string holds any bytes: half the size of the same in hex.
    Object::String(bytes, StringFormat::Literal)
}

/// 16 bytes derived from the document descriptions (and the title of a merged
/// document), two FNV-1a passes.
fn document_id(parts: &[&Document], title: Option<&str>) -> [u8; 16] {
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

/// FNV-1a, 64 bit: a small stable hash (std's hashers may change between releases).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn with_seed(seed: u64) -> Self {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
#[path = "../../tests/support/font_maps.rs"]
mod font_maps;

#[cfg(test)]
mod tests {
    use super::font_maps::{expand_cmap, expand_w};
    use super::*;
    use crate::page::{Page, A4_HEIGHT_MM, A4_WIDTH_MM};

    fn text(x: f32, y: f32, size: f32, face: Face, s: &str) -> Item {
        Item::Text {
            x_mm: x,
            y_mm: y,
            size_pt: size,
            face,
            text: s.to_string(),
        }
    }

    /// A form-like A4 page: ~40 lines of Japanese in both faces plus rules, boxes and
    /// circles.
    fn sample() -> Document {
        let mut page = Page::a4();
        page.items.push(text(
            20.0,
            20.0,
            16.0,
            Face::Gothic,
            "様式第1号 産業医活動助成金支給申請書",
        ));
        page.items.push(Item::Line {
            x1_mm: 20.0,
            y1_mm: 23.0,
            x2_mm: 190.0,
            y2_mm: 23.0,
            width_pt: 1.0,
        });
        let rows = [
            "独立行政法人労働者健康安全機構理事長 殿",
            "申請事業場の名称",
            "株式会社サンプル製作所 東京工場",
            "所在地 東京都千代田区霞が関一丁目2番3号",
            "電話番号 03-1234-5678",
            "労働者数 42人（うち常時使用する労働者 40人）",
            "産業医の氏名 山田 太郎（やまだ たろう）",
            "契約期間 令和7年4月1日から令和8年3月31日まで",
            "助成金の申請額 金 100,000円",
            "申請回数 1回目・2回目・3回目",
            "上記のとおり助成金の支給を申請します。",
            "振込先金融機関 みずほ銀行 霞が関支店 普通 1234567",
            "口座名義 カ）サンプルセイサクショ",
            "※「記入上の注意」をよく読んでから記入してください。",
        ];
        for i in 0..38 {
            let s = rows[i % rows.len()];
            let face = if i % 5 == 0 {
                Face::Gothic
            } else {
                Face::Mincho
            };
            page.items
                .push(text(25.0, 35.0 + i as f32 * 6.5, 10.5, face, s));
        }
        page.items.push(Item::Rect {
            x_mm: 20.0,
            y_mm: 29.0,
            w_mm: 170.0,
            h_mm: 250.0,
            width_pt: 0.5,
        });
        page.items.push(Item::Ellipse {
            cx_mm: 160.0,
            cy_mm: 35.0,
            rx_mm: 8.0,
            ry_mm: 5.0,
            width_pt: 0.8,
        });
        page.items.push(Item::Ellipse {
            cx_mm: 175.0,
            cy_mm: 265.0,
            rx_mm: 7.0,
            ry_mm: 7.0,
            width_pt: 0.5,
        });
        page.items
            .push(text(172.0, 267.0, 10.0, Face::Mincho, "印"));
        Document {
            title: "様式第1号 支給申請書".to_string(),
            pages: vec![page],
        }
    }

    #[test]
    fn byte_identical_twice_in_one_process() {
        let doc = sample();
        let a = export(&doc).unwrap();
        let b = export(&doc).unwrap();
        assert!(a == b, "two exports of the same document differ");
        assert!(a.starts_with(b"%PDF-"));
        // Nothing from the clock.
        let s = String::from_utf8_lossy(&a);
        assert!(!s.contains("CreationDate") && !s.contains("ModDate"));
    }

    /// Writes the sample to `$JOHAS_PDF_SAMPLE_OUT`; run by the cross-process test (and by
    /// hand to look at the page: `pdftoppm -png -r 80`).
    #[test]
    #[ignore]
    fn emit_sample() {
        if let Ok(path) = std::env::var("JOHAS_PDF_SAMPLE_OUT") {
            std::fs::write(path, export(&sample()).unwrap()).unwrap();
        }
    }

    #[test]
    fn byte_identical_across_processes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.pdf");
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "pdf::tests::emit_sample", "--ignored", "--quiet"])
            .env("JOHAS_PDF_SAMPLE_OUT", &path)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let other = std::fs::read(&path).unwrap();
        assert!(
            other == export(&sample()).unwrap(),
            "another process made other bytes"
        );
    }

    #[test]
    fn one_page_is_small_because_fonts_are_subset() {
        let bytes = export(&sample()).unwrap();
        assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
        // Both faces embedded, each as a tagged subset.
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let mut names = Vec::new();
        for obj in lo.objects.values() {
            if let Ok(d) = obj.as_dict() {
                if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
                    let n = d.get(b"FontName").unwrap().as_name().unwrap();
                    names.push(String::from_utf8_lossy(n).to_string());
                }
            }
        }
        names.sort();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].ends_with("+IPAexGothic") && names[0].len() == 7 + 11);
        assert!(names[1].ends_with("+IPAexMincho"));
    }

    #[test]
    fn title_and_no_dates_in_info() {
        let bytes = export(&sample()).unwrap();
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let info_ref = lo.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = lo.get_dictionary(info_ref).unwrap();
        let title = info.get(b"Title").unwrap().as_str().unwrap();
        let utf16: Vec<u16> = title[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(String::from_utf16(&utf16).unwrap(), "様式第1号 支給申請書");
        assert!(info.get(b"CreationDate").is_err());
    }

    #[test]
    fn text_reads_back_with_lopdf() {
        let bytes = export(&sample()).unwrap();
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let text = lo.extract_text(&[1]).unwrap();
        for s in [
            "産業医活動助成金支給申請書",
            "株式会社サンプル製作所",
            "令和7年4月1日",
            "100,000円",
            "「記入上の注意」",
            "印",
        ] {
            let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(flat.contains(&want), "{s:?} not in extracted text:\n{text}");
        }
    }

    #[test]
    fn text_reads_back_with_pdftotext() {
        let bytes = export(&sample()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap_or_else(|e| {
                panic!("pdftotext is required ({e}): apt-get install -y poppler-utils (bash .ci/run installs it)")
            });
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("様式第1号 産業医活動助成金支給申請書"),
            "{text}"
        );
        assert!(text.contains("口座名義 カ）サンプルセイサクショ"), "{text}");
    }

    #[test]
    fn missing_glyph_is_an_error_naming_the_text() {
        let mut doc = sample();
        doc.pages[0]
            .items
            .push(text(20.0, 280.0, 10.0, Face::Mincho, "☑ はい ☐ いいえ"));
        let err = export(&doc).unwrap_err();
        assert_eq!(
            err,
            ExportError::MissingGlyphs {
                page: 1,
                face: Face::Mincho,
                text: "☑ はい ☐ いいえ".to_string(),
                chars: vec!['☑', '☐'],
            }
        );
        let msg = err.to_string();
        assert!(
            msg.starts_with("フォントにない文字です: ☑（U+2611）、☐（U+2610）"),
            "{msg}"
        );
        assert!(msg.contains("☑ はい ☐ いいえ"), "{msg}");
    }

    #[test]
    fn control_chars_and_bad_numbers_are_errors() {
        let mut doc = sample();
        doc.pages[0]
            .items
            .push(text(20.0, 280.0, 10.0, Face::Mincho, "一行目\n二行目"));
        assert!(matches!(
            export(&doc),
            Err(ExportError::ControlChar { ch: '\n', .. })
        ));
        let mut doc = sample();
        doc.pages[0]
            .items
            .push(text(f32::NAN, 280.0, 10.0, Face::Mincho, "あ"));
        assert!(matches!(export(&doc), Err(ExportError::BadNumber { .. })));
        let mut doc = sample();
        doc.pages[0].height_mm = 0.0;
        assert!(matches!(export(&doc), Err(ExportError::BadNumber { .. })));
    }

    #[test]
    fn page_sizes_follow_the_description() {
        let mut a3 = Page::a4();
        a3.width_mm = 297.0;
        a3.height_mm = 420.0;
        let doc = Document {
            title: "t".into(),
            pages: vec![Page::a4(), a3],
        };
        let bytes = export(&doc).unwrap();
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let mut sizes = Vec::new();
        for (_, id) in lo.get_pages() {
            let page = lo.get_dictionary(id).unwrap();
            let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let num = |o: &lopdf::Object| o.as_float().unwrap();
            sizes.push(((num(&mb[2]) - num(&mb[0])), (num(&mb[3]) - num(&mb[1]))));
        }
        let close = |a: f32, b: f32| (a - b).abs() < 0.5;
        assert!(close(sizes[0].0, A4_WIDTH_MM * PT_PER_MM));
        assert!(close(sizes[0].1, A4_HEIGHT_MM * PT_PER_MM));
        assert!(close(sizes[1].1, 420.0 * PT_PER_MM));
    }

    #[test]
    fn no_redundant_page_entries() {
        let lo = lopdf::Document::load_mem(&export(&sample()).unwrap()).unwrap();
        // Nothing but the MediaBox: the other boxes default to it, and there are no
        // annotations, images or graphics states (drop_redundant_entries).
        for (_, id) in lo.get_pages() {
            let page = lo.get_dictionary(id).unwrap();
            for key in [&b"CropBox"[..], b"TrimBox", b"Annots"] {
                assert!(page.get(key).is_err());
            }
            let res = page.get(b"Resources").unwrap().as_reference().unwrap();
            let res = lo.get_dictionary(res).unwrap();
            assert_eq!(
                res.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
                vec![b"Font".to_vec()]
            );
        }
        assert!(!lo
            .objects
            .values()
            .any(|o| o.as_dict().is_ok_and(|d| d.is_empty())));
    }

    /// `qpdf --check` on the sample: no error, no warning. (johas-claim checks every PDF
    /// of its example packets the same way.) qpdf is installed by `.ci/run`; without it
    /// the test fails (it never passes by skipping).
    #[test]
    fn sample_passes_qpdf_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.pdf");
        std::fs::write(&path, export(&sample()).unwrap()).unwrap();
        let out = match std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
        {
            Ok(out) => out,
            Err(e) => panic!(
                "qpdf is required for this test ({e}): apt-get install -y qpdf (bash .ci/run installs it)"
            ),
        };
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.code() == Some(0) && !text.to_lowercase().contains("warning"),
            "{}: qpdf --check:\n{text}",
            path.display()
        );
        assert!(
            text.contains("No syntax or stream encoding errors"),
            "{text}"
        );
    }

    #[test]
    fn chunks_join_into_one_zlib_stream() {
        use std::io::Read;
        let a: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let b = b"second chunk, on its own".repeat(50);
        let c: Vec<u8> = Vec::new();
        let chunks = [
            Chunk::deflate(&a, 6),
            Chunk::deflate(&c, 1),
            Chunk::deflate(&b, 1),
        ];
        let joined = Chunk::zlib(&chunks.iter().collect::<Vec<_>>());
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&joined[..])
            .read_to_end(&mut out)
            .unwrap();
        let want = [a.clone(), c, b.clone()].concat();
        assert!(out == want);
        assert_eq!(
            adler32(&want),
            adler32_combine(adler32(&a), adler32(&b), b.len())
        );
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn compact_widths_ranges_arrays_gaps_and_default() {
        use lopdf::Object::{Array, Integer};
        // 1–2 proportional, 3–7 the default (left out), 8–12 equal, 13–14 equal (a run
        // of two stays in an array), 15, a gap, 20–22 equal, 23.
        let mut widths = vec![(1, 237), (2, 818)];
        widths.extend((3..=7).map(|c| (c, 1000)));
        widths.extend((8..=12).map(|c| (c, 618)));
        widths.extend([(13, 365), (14, 365), (15, 290)]);
        widths.extend([(20, 500), (21, 500), (22, 500), (23, 612)]);
        let w = compact_widths(&widths, Some(1000));
        assert_eq!(
            w,
            vec![
                Integer(1),
                Array(vec![Integer(237), Integer(818)]),
                Integer(8),
                Integer(12),
                Integer(618),
                Integer(13),
                Array(vec![Integer(365), Integer(365), Integer(290)]),
                Integer(20),
                Integer(22),
                Integer(500),
                Integer(23),
                Array(vec![Integer(612)]),
            ]
        );
        // Without a default every width is there; any order in, the same out.
        let mut shuffled = widths.clone();
        shuffled.reverse();
        let all = compact_widths(&shuffled, None);
        let want: BTreeMap<u16, i64> = widths.iter().copied().collect();
        assert_eq!(expand_w(&all), want);
        assert_eq!(&all[2..5], &[Integer(3), Integer(7), Integer(1000)]);
        assert!(compact_widths(&[], Some(1000)).is_empty());
        assert!(compact_widths(&[(5, 1000)], Some(1000)).is_empty());
        // Reading back what printpdf writes (and the compact form).
        assert_eq!(read_widths(&w).unwrap(), {
            let mut v: Vec<(u16, i64)> = want
                .iter()
                .filter(|e| *e.1 != 1000)
                .map(|(c, w)| (*c, *w))
                .collect();
            v.sort();
            v
        });
        assert!(read_widths(&[Integer(1)]).is_none());
    }

    #[test]
    fn to_unicode_cmap_ranges_gaps_and_block_limit() {
        // '0'..'9' at CIDs 1–10 (a range), a gap, 'A' 'C' at 12–13 (not consecutive chars:
        // two bfchars), kanji at 14–15, a non-BMP char, and a run crossing a high byte of
        // the codes (0xFE–0x101) and one crossing the last byte of the target
        // (U+30FE–U+3101).
        let mut map: Vec<(u16, char)> = ('0'..='9').zip(1u16..).map(|(ch, c)| (c, ch)).collect();
        map.extend([(12, 'A'), (13, 'C'), (14, '令'), (15, '和'), (16, '𠮷')]);
        map.extend((0xFEu16..=0x101).map(|c| (c, char::from_u32(0x4E00 + u32::from(c)).unwrap())));
        map.extend(
            (0x200u16..0x204)
                .zip(0x30FEu32..)
                .map(|(c, u)| (c, char::from_u32(u).unwrap())),
        );
        let cmap = to_unicode_cmap(&map);
        let (got, blocks) = expand_cmap(&cmap);
        let want: BTreeMap<u16, String> = map.iter().map(|(c, ch)| (*c, ch.to_string())).collect();
        assert_eq!(got, want);
        let text = String::from_utf8(cmap.clone()).unwrap();
        assert!(text.contains("<0001> <000A> <0030>\n"), "{text}");
        assert!(
            text.contains("<00FE> <00FF> <4EFE>\n<0100> <0101> <4F00>\n"),
            "{text}"
        );
        assert!(
            text.contains("<0200> <0201> <30FE>\n<0202> <0203> <3100>\n"),
            "{text}"
        );
        assert!(text.contains("<0010> <D842DFB7>\n"), "{text}");
        assert!(text.contains("<000C> <0041>\n<000D> <0043>\n"), "{text}");
        assert_eq!(
            blocks,
            vec![("beginbfchar".into(), 5), ("beginbfrange".into(), 5)]
        );

        // 250 unrelated chars: blocks of 100, 100 and 50; 250 ranges likewise.
        let scattered: Vec<(u16, char)> = (0..250u16)
            .map(|c| (c + 1, char::from_u32(0x4E00 + 3 * u32::from(c)).unwrap()))
            .collect();
        let (got, blocks) = expand_cmap(&to_unicode_cmap(&scattered));
        assert_eq!(got.len(), 250);
        assert_eq!(
            blocks.iter().map(|b| b.1).collect::<Vec<_>>(),
            vec![100, 100, 50]
        );
        let pairs: Vec<(u16, char)> = (0..500u16)
            .map(|c| {
                (
                    c,
                    char::from_u32(0x4E00 + 4 * u32::from(c / 2) + u32::from(c % 2)).unwrap(),
                )
            })
            .collect();
        let (got, blocks) = expand_cmap(&to_unicode_cmap(&pairs));
        assert_eq!(got.len(), 500);
        assert_eq!(
            blocks,
            vec![
                ("beginbfrange".into(), 100),
                ("beginbfrange".into(), 100),
                ("beginbfrange".into(), 50)
            ]
        );

        // printpdf's form reads back; a form this does not read is refused.
        let printpdf = "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
                        2 beginbfchar\n<0001> <002E>\n<0002> <D842DFB7>\nendbfchar\n\
                        1 beginbfchar\n<0100> <4EE4>\nendbfchar\nendcmap\n";
        assert_eq!(
            read_bfchars(printpdf.as_bytes()).unwrap(),
            vec![(1, '.'), (2, '𠮷'), (0x100, '令')]
        );
        assert!(read_bfchars(b"1 beginbfrange\n<0001> <0002> <0030>\nendbfrange\n").is_none());
        assert!(read_bfchars(b"1 beginbfchar\n<0001> <00660069>\nendbfchar\n").is_none());
        assert_eq!(read_bfchars(&to_unicode_cmap(&[])).unwrap(), vec![]);
    }

    #[test]
    fn empty_document_exports() {
        let doc = Document {
            title: String::new(),
            pages: vec![],
        };
        assert!(export(&doc).unwrap().starts_with(b"%PDF-"));
    }
}
