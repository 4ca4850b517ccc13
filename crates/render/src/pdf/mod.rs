//! From the page description to PDF bytes. A pure function: no I/O, no clock, no
//! randomness: the same [`Document`] gives the same bytes, in one process or many, on any
//! number of threads.
//!
//! printpdf 0.12 (no default features) is the document writer: it writes the pages, the
//! Type0/CIDFontType2 font dictionaries, `/W` widths and the `/ToUnicode` maps (so the
//! text can be copied and extracted). Around it:
//! - [`check`]: every page is checked before anything is drawn; a char its face cannot draw
//!   would print as a blank box without any warning, so such text is refused.
//! - [`subset`]: the fonts are subset here (only the glyphs used, renumbered, without
//!   hinting, on a smaller grid) and described to printpdf; the glyphs a packet's files
//!   share are deflated once, on the thread pool.
//! - [`assemble`]: which pages go into which file (a merged document shares one subset per
//!   face and has one bookmark per part), every file on the thread pool.
//! - [`rewrite`]: everything done to printpdf's output after it, and why (size,
//!   determinism, speed), down to our own PDF 1.5 serializer.
//! - [`deflate`]: deflate chunks that join into one zlib stream, one compressor per thread.
//!
//! No PDF/A claim: printpdf's "PDF/A" conformance setting does not produce PDF/A.
//!
//! Parallel work runs on rayon's global pool: the binary sizes it once, and work nested
//! in a caller's own parallel loop shares the same threads.

use std::fmt;

use crate::page::{Document, Face};

use assemble::{document_id, merged_output, render_set, Output};

mod assemble;
mod check;
mod deflate;
mod rewrite;
mod subset;

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
    pub(super) fn whole(error: ExportError) -> Self {
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

/// FNV-1a, 64 bit: a small stable hash for the subset tags and document ids (std's hashers
/// may change between releases).
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
mod tests;
