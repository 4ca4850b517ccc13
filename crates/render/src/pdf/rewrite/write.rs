//! A lopdf document as PDF 1.5 bytes: the stream objects and the Info dictionary as
//! indirect objects, every other object in one compressed object stream, and a
//! cross-reference stream. Pure and deterministic: objects in id order, no clock.
//!
//! Why not `lopdf::Document::save_with_options`: with object streams it serializes every
//! packed object three times (twice to measure offsets), and creates a new deflate
//! compressor (a few hundred KB, allocated and zeroed) for each object stream and for
//! the cross-reference stream; for the five files of a packet that was 8% of its CPU
//! time. This writer serializes each object once and deflates with the thread's
//! compressor ([`Chunk::zlib_of`]).

use lopdf::{Dictionary, Object, StringFormat};

use crate::pdf::deflate::Chunk;

/// Deflate level of the object stream (the font dictionaries and `/W` widths) and of the
/// cross-reference stream: small, so zlib's default level costs little.
const OBJECT_STREAM_LEVEL: u32 = 6;

/// The PDF file of `doc`. `Err` names what is missing (a document without `/Root`, or an
/// object with a generation other than 0, which printpdf never makes).
pub(super) fn save(doc: &lopdf::Document) -> Result<Vec<u8>, String> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| "/Root がありません".to_string())?;
    let info = doc.trailer.get(b"Info").and_then(Object::as_reference).ok();
    if let Some(((id, generation), _)) = doc.objects.iter().find(|((_, g), _)| *g != 0) {
        return Err(format!(
            "オブジェクト {id} {generation} の世代番号が0ではありません"
        ));
    }
    let last = doc.objects.keys().map(|(id, _)| *id).max().unwrap_or(0);
    let objstm_id = last + 1;
    let xref_id = last + 2;
    let size = xref_id + 1;

    // Where each object is: (type, field 2, field 3) of its cross-reference entry.
    let mut entries: Vec<(u8, u32, u16)> = vec![(0, 0, 0); size as usize];
    entries[0] = (0, 0, 0xFFFF);

    let mut out = Vec::with_capacity(
        doc.objects
            .values()
            .map(|o| match o {
                Object::Stream(s) => s.content.len() + 64,
                _ => 0,
            })
            .sum::<usize>()
            + 4096,
    );
    out.extend_from_slice(b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");

    // Streams and the Info dictionary as indirect objects; the rest packed.
    let mut packed: Vec<(u32, &Object)> = Vec::new();
    for (&(id, _), object) in &doc.objects {
        let direct = matches!(object, Object::Stream(_)) || Some((id, 0)) == info;
        if !direct {
            packed.push((id, object));
            continue;
        }
        entries[id as usize] = (1, offset(&out)?, 0);
        begin_object(&mut out, id);
        match object {
            Object::Stream(s) => write_stream(&mut out, &s.dict, &s.content),
            other => write_object(&mut out, other),
        }
        out.extend_from_slice(b"\nendobj\n");
    }

    // The object stream: "id offset" pairs, then the objects, each after a space.
    let mut header = Vec::new();
    let mut body = Vec::new();
    for (index, (id, object)) in packed.iter().enumerate() {
        if index > 0 {
            header.push(b' ');
            body.push(b' ');
        }
        push_int(&mut header, i64::from(*id));
        header.push(b' ');
        push_int(&mut header, body.len() as i64);
        write_object(&mut body, object);
        entries[*id as usize] = (2, objstm_id, index as u16);
    }
    if !packed.is_empty() {
        header.push(b' ');
        let first = header.len();
        header.extend_from_slice(&body);
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        dict.set("N", packed.len() as i64);
        dict.set("First", first as i64);
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        entries[objstm_id as usize] = (1, offset(&out)?, 0);
        begin_object(&mut out, objstm_id);
        write_stream(
            &mut out,
            &dict,
            &Chunk::zlib_of(&header, OBJECT_STREAM_LEVEL),
        );
        out.extend_from_slice(b"\nendobj\n");
    }

    // The cross-reference stream, which is also the trailer.
    let xref_at = offset(&out)?;
    entries[xref_id as usize] = (1, xref_at, 0);
    let mut table = Vec::with_capacity(entries.len() * 7);
    for (kind, field2, field3) in &entries {
        table.push(*kind);
        table.extend_from_slice(&field2.to_be_bytes());
        table.extend_from_slice(&field3.to_be_bytes());
    }
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", i64::from(size));
    dict.set(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Integer(4),
            Object::Integer(2),
        ]),
    );
    dict.set("Root", Object::Reference(root));
    if let Some(info) = info {
        dict.set("Info", Object::Reference(info));
    }
    if let Ok(id) = doc.trailer.get(b"ID") {
        dict.set("ID", id.clone());
    }
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    begin_object(&mut out, xref_id);
    write_stream(
        &mut out,
        &dict,
        &Chunk::zlib_of(&table, OBJECT_STREAM_LEVEL),
    );
    out.extend_from_slice(b"\nendobj\nstartxref\n");
    push_int(&mut out, i64::from(xref_at));
    out.extend_from_slice(b"\n%%EOF\n");
    Ok(out)
}

fn offset(out: &[u8]) -> Result<u32, String> {
    u32::try_from(out.len()).map_err(|_| "PDFが4GBを超えます".to_string())
}

fn begin_object(out: &mut Vec<u8>, id: u32) {
    push_int(out, i64::from(id));
    out.extend_from_slice(b" 0 obj\n");
}

/// A stream: its dictionary with `/Length` set to the content's length, and the content.
fn write_stream(out: &mut Vec<u8>, dict: &Dictionary, content: &[u8]) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        if key.as_slice() == b"Length" {
            continue;
        }
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b"/Length ");
    push_int(out, content.len() as i64);
    out.extend_from_slice(b">>\nstream\n");
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream");
}

fn push_int(out: &mut Vec<u8>, n: i64) {
    use std::io::Write;
    let _ = write!(out, "{n}");
}

/// One object in PDF syntax (ISO 32000-1, 7.3). A stream can only be an indirect object;
/// nested in another object it is written as `null` (printpdf never nests one).
fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null | Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(n) => push_int(out, *n),
        Object::Real(r) => write_real(out, *r),
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in bytes {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &b in bytes {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict.iter() {
                write_name(out, key);
                out.push(b' ');
                write_object(out, value);
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference((id, generation)) => {
            push_int(out, i64::from(*id));
            out.push(b' ');
            push_int(out, i64::from(*generation));
            out.extend_from_slice(b" R");
        }
    }
}

/// A real number without an exponent (PDF has none), at most five decimals, trailing
/// zeros dropped.
fn write_real(out: &mut Vec<u8>, r: f32) {
    if !r.is_finite() {
        out.push(b'0');
        return;
    }
    let s = format!("{r:.5}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    out.extend_from_slice(if s == "-0" || s.is_empty() {
        b"0"
    } else {
        s.as_bytes()
    });
}

/// `/Name`, with `#xx` for bytes outside `!`..`~` and for delimiters (7.3.5).
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        let plain = (b'!'..=b'~').contains(&b) && !b"#()<>[]{}/%".contains(&b);
        if plain {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

/// Object ids of a document, for tests.
#[cfg(test)]
fn ids(doc: &lopdf::Document) -> Vec<lopdf::ObjectId> {
    doc.objects.keys().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> lopdf::Document {
        let mut doc = lopdf::Document::with_version("1.5");
        let content = doc.add_object(lopdf::Stream::new(
            Dictionary::new(),
            b"0 g 10 10 m 20 20 l S".to_vec(),
        ));
        let pages_id = doc.new_object_id();
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages_id));
        page.set("Contents", Object::Reference(content));
        page.set(
            "MediaBox",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(595.2756),
                Object::Integer(842),
            ]),
        );
        let page_id = doc.add_object(Object::Dictionary(page));
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
        pages.set("Count", Object::Integer(1));
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        let root = doc.add_object(Object::Dictionary(catalog));
        let mut info = Dictionary::new();
        info.set(
            "Title",
            Object::String(b"a (b) \\ c".to_vec(), StringFormat::Literal),
        );
        info.set("Odd#Name", Object::Name(b"x y/z".to_vec()));
        let info = doc.add_object(Object::Dictionary(info));
        doc.trailer.set("Root", Object::Reference(root));
        doc.trailer.set("Info", Object::Reference(info));
        let id = Object::String(vec![1, 2, 0xAB], StringFormat::Hexadecimal);
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
        doc
    }

    #[test]
    fn what_it_writes_reads_back_the_same() {
        let doc = sample();
        let bytes = save(&doc).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.5\n"));
        assert!(bytes.ends_with(b"%%EOF\n"));
        let back = lopdf::Document::load_mem(&bytes).unwrap();
        for id in ids(&doc) {
            let (a, b) = (doc.get_object(id).unwrap(), back.get_object(id).unwrap());
            match (a, b) {
                (Object::Stream(a), Object::Stream(b)) => assert_eq!(a.content, b.content),
                (a, b) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "object {id:?}"),
            }
        }
        assert_eq!(
            back.trailer.get(b"Root").unwrap(),
            doc.trailer.get(b"Root").unwrap()
        );
        assert_eq!(
            back.trailer.get(b"ID").unwrap(),
            doc.trailer.get(b"ID").unwrap()
        );
        assert_eq!(save(&doc).unwrap(), bytes, "deterministic");
    }

    #[test]
    fn reals_have_no_exponent_and_names_are_escaped() {
        let mut out = Vec::new();
        for r in [595.27563f32, 0.5, -0.0, 1e-7, 1e7, 12.0] {
            write_real(&mut out, r);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "595.27563 0.5 0 0 10000000 12 "
        );
        let mut out = Vec::new();
        write_name(&mut out, b"A B#(c)");
        assert_eq!(out, b"/A#20B#23#28c#29");
    }
}
