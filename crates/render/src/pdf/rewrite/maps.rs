//! Pass 2 of [`super`]: every Type0 font's `/W` widths and `/ToUnicode` map, rewritten
//! compactly with the same values. printpdf writes one width and one `bfchar` line per
//! glyph; ranges say the same in a fraction of the bytes.

/// Rewrites every Type0 font's `/W` widths ([`compact_widths`]) and `/ToUnicode` map
/// ([`to_unicode_cmap`]) compactly, with the same values: printpdf writes one width and
/// one `bfchar` line per glyph. Read back from what printpdf wrote, so the values are
/// exactly its own; a map in a form this does not read is left as it is.
pub(super) fn compact_font_maps(lo: &mut lopdf::Document) {
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
pub(crate) fn compact_widths(widths: &[(u16, i64)], default: Option<i64>) -> Vec<lopdf::Object> {
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
pub(crate) fn to_unicode_cmap(map: &[(u16, char)]) -> Vec<u8> {
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
        let bmp = u <= 0xFFFF;
        while let Some((c2, ch2)) = sorted.get(i + len).filter(|_| bmp) {
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

#[cfg(test)]
#[path = "../../../tests/support/font_maps.rs"]
mod font_maps;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::font_maps::{expand_cmap, expand_w};
    use super::*;

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
}
