//! Everything done to printpdf's output after it has written the document. printpdf
//! stays the document writer (pages, font dictionaries, `/W`, ToUnicode); [`finish`] takes
//! the document it builds (as lopdf objects, `optimize: false`) through these passes, in
//! this order. Each exists for a reason printpdf's own output cannot meet:
//!
//! 1. **Font programs put in place** ([`put_font_programs`]; speed and size). printpdf
//!    would copy a font program twice and deflate it again; it is handed a four-byte
//!    stand-in ([`PROGRAM_STAND_IN`]) and the real program, subset and already deflated
//!    (a packet's shared glyph runs deflated once for all its files), goes in its place.
//! 2. **Compact `/W` and ToUnicode** ([`maps`]; size). printpdf writes one width and one
//!    `bfchar` line per glyph; they are rewritten with ranges, same values (read back from
//!    what printpdf wrote). With the next pass and [`STREAM_LEVEL`], the largest form went
//!    from 73,049 to 69,312 bytes, under the 70,000 bytes a single form may take.
//! 3. **Redundant entries dropped** ([`drop_redundant_entries`]; size): page boxes equal
//!    to their defaults, empty `/Annots` and empty resource dictionaries.
//! 4. **`/PageMode` as a name** ([`fix_catalog`]; validity): printpdf writes a string
//!    where ISO 32000-1 requires a name.
//! 5. **Metadata pinned** ([`pin_metadata`]; determinism). printpdf names the trailer `/ID`
//!    from a process-wide counter and writes an Info dictionary with 1970 dates and empty
//!    fields; the `/ID` is derived from the content and Info holds `/Title` and
//!    `/Producer` only. No XMP, no timestamps: the same input gives the same bytes.
//! 6. **Streams deflated here** ([`compress_streams`]; speed). printpdf and lopdf
//!    compress with `Compression::best()`, which took half the run time of a packet for
//!    about 1% smaller files; content streams and ToUnicode maps are deflated at
//!    [`STREAM_LEVEL`] with the thread's compressor (creating one per stream took a tenth
//!    of a packet's CPU time).
//! 7. **Our own serializer** ([`write`]; speed and size): PDF 1.5 with one object stream
//!    (the font dictionaries and `/W` compressed too) and a cross-reference stream. lopdf's
//!    writer serialized each packed object three times and made a new compressor per
//!    stream: 8% of a packet's CPU time.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{PdfDocument, PdfSaveOptions};

use super::deflate::Chunk;
use super::shared::{stages, ExportError};
use crate::fonts;
use crate::page::Face;

mod maps;
mod write;

/// The `/Producer` of every PDF.
const PRODUCER: &str = "johas-claim";

/// A face's font program, ready to embed: its length (`/Length1`) and its zlib stream.
pub(super) struct FontProgram {
    pub(super) len: usize,
    pub(super) zlib: Vec<u8>,
}

/// The bytes of the document printpdf built, after every pass above; `programs` are the
/// font programs of the faces it uses. `title` goes to the Info dictionary, `id` to the
/// trailer.
pub(super) fn finish(
    pdf: &PdfDocument,
    programs: BTreeMap<Face, FontProgram>,
    title: &str,
    id: [u8; 16],
) -> Result<Vec<u8>, ExportError> {
    let t = std::time::Instant::now();
    let opts = PdfSaveOptions {
        // Streams are compressed below (pass 6).
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
    maps::compact_font_maps(&mut lo);
    drop_redundant_entries(&mut lo);
    fix_catalog(&mut lo);
    pin_metadata(&mut lo, title, id);
    let t = stages::add(2, t);
    compress_streams(&mut lo);
    let t = stages::add(3, t);
    let out = write::save(&lo).map_err(ExportError::Write);
    stages::add(4, t);
    out
}

/// printpdf embeds `ParsedFont::original_bytes` as the `/FontFile2` stream, copying it
/// twice on the way. It is handed this four-byte stand-in (a TrueType version tag, so that
/// it describes a CIDFontType2 and does not look for CFF outlines).
pub(super) const PROGRAM_STAND_IN: [u8; 4] = [0, 1, 0, 0];

/// Puts each real, already deflated program in place of the stand-in, found by the
/// descriptor's `/FontName` (`ABCDEF+IPAexMincho`).
fn put_font_programs(
    lo: &mut lopdf::Document,
    mut programs: BTreeMap<Face, FontProgram>,
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
        let FontProgram { len, zlib: stream } = programs
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
                Ok(Object::Dictionary(r)) => drop_empty_entries(r, is_empty),
                _ => {}
            }
        }
        if let Ok(Object::String(_, format)) = d.get_mut(b"Title") {
            *format = StringFormat::Literal;
        }
    }
    for r in resources {
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(r) {
            drop_empty_entries(d, is_empty);
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

/// Deflate level of the content streams and ToUnicode maps. flate2's backend is zlib-rs
/// (this crate asks for it, so the bytes do not depend on what else is built), whose level
/// 1 is a quick compressor with fixed Huffman codes that does poorly on this text: the
/// content and ToUnicode streams of both example packets (240 KB raw) deflate to 110 KB at
/// level 1, 80 KB at level 2, 77 KB at 3 and 76 KB at 6, for 1.3, 2.4, 2.9 and 3.4 ms of
/// CPU per packet (one compressor per document, reset for each stream, takes back most of
/// the difference). Level 2 keeps every form of the example packets under the 70,000 bytes
/// a single form may take.
const STREAM_LEVEL: u32 = 2;

/// Deflates every stream that is not yet filtered (content streams, ToUnicode maps; the
/// object stream is deflated by [`write`]) at [`STREAM_LEVEL`], with the thread's
/// compressor. The font programs come deflated already.
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
