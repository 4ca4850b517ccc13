//! What the stages of the exporter share: its errors ([`ExportError`], [`PartError`]), the
//! CPU time of each stage ([`stages`]) and a small stable hash ([`Fnv`]).

use crate::page::{Document, Face};
use std::fmt;

/// CPU time spent in each stage of `export`/`merge`, summed over all threads since
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

    pub(in crate::pdf) fn add_nanos(stage: usize, nanos: u64) {
        NANOS[stage].fetch_add(nanos, Ordering::Relaxed);
    }

    pub(in crate::pdf) fn add(stage: usize, since: Instant) -> Instant {
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

/// An [`ExportError`] of `export_and_merge`, with the part it concerns (`None`: the
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

    /// The error as `merge` reports it: pages numbered across all parts.
    pub(super) fn in_merged(self, parts: &[&Document]) -> ExportError {
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
pub(super) struct Fnv(u64);

impl Fnv {
    pub(super) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub(super) fn with_seed(seed: u64) -> Self {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed)
    }
    pub(super) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub(super) fn finish(&self) -> u64 {
        self.0
    }
}
