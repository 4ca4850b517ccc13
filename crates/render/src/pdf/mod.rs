//! From the page description to PDF bytes. A pure function: no I/O, no clock, no
//! randomness: the same [`Document`] gives the same bytes, in one process or many, on any
//! number of threads.
//!
//! printpdf 0.12 (no default features) is the document writer: it writes the pages, the
//! Type0/CIDFontType2 font dictionaries, `/W` widths and the `/ToUnicode` maps (so the
//! text can be copied and extracted). Around it:
//! - `check`: every page is checked before anything is drawn; a char its face cannot draw
//!   would print as a blank box without any warning, so such text is refused.
//! - `subset`: the fonts are subset here (only the glyphs used, renumbered, without
//!   hinting, on a smaller grid) and described to printpdf; the glyphs a packet's files
//!   share are deflated once, on the thread pool.
//! - `assemble`: which pages go into which file (a merged document shares one subset per
//!   face and has one bookmark per part), every file on the thread pool.
//! - `rewrite`: everything done to printpdf's output after it, and why (size,
//!   determinism, speed), down to our own PDF 1.5 serializer.
//! - `deflate`: deflate chunks that join into one zlib stream, one compressor per thread.
//!
//! No PDF/A claim: printpdf's "PDF/A" conformance setting does not produce PDF/A.
//!
//! Parallel work runs on rayon's global pool: the binary sizes it once, and work nested
//! in a caller's own parallel loop shares the same threads.

use crate::page::Document;

use assemble::{document_id, merged_output, render_set, Output};

mod assemble;
mod check;
mod deflate;
mod rewrite;
mod shared;
mod subset;

pub use shared::{stages, ExportError, PartError};

/// Renders `doc` as PDF bytes (one PDF page per [`Page`](crate::page::Page), at the page's own size).
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

#[cfg(test)]
mod tests;
