//! The two embedded faces (IPAex Mincho and IPAex Gothic, from the repository's `fonts/`),
//! compiled into the binary with `include_bytes!` so the tool works from any directory, and
//! parsed once on first use.
//!
//! Everything that needs glyph data (text measuring in `textfit`, glyph checks and
//! embedding in `pdf`) goes through here.

use std::sync::OnceLock;

use crate::page::Face;

static MINCHO_TTF: &[u8] = include_bytes!("../../../fonts/ipaexm.ttf");
static GOTHIC_TTF: &[u8] = include_bytes!("../../../fonts/ipaexg.ttf");

/// The raw TrueType bytes of a face (the whole font file, unmodified).
pub fn bytes(face: Face) -> &'static [u8] {
    match face {
        Face::Mincho => MINCHO_TTF,
        Face::Gothic => GOTHIC_TTF,
    }
}

/// The PostScript-ish family name the font carries, used as /BaseFont in PDFs.
pub fn postscript_name(face: Face) -> &'static str {
    match face {
        Face::Mincho => "IPAexMincho",
        Face::Gothic => "IPAexGothic",
    }
}

/// Both faces, in a fixed order (handy for loops and tests).
pub const ALL: [Face; 2] = [Face::Mincho, Face::Gothic];

/// Parsed metrics of one face. Wraps `ttf_parser::Face` over the embedded bytes.
pub struct Metrics {
    face: Option<ttf_parser::Face<'static>>,
    /// Glyph ids and advances of the Basic Multilingual Plane, looked up once each:
    /// 0 = not looked up yet, otherwise `(advance << 32) | 1` for no glyph (the
    /// advance of .notdef) and `(advance << 32) | (gid + 2)`. Layout measures every char
    /// many times, and a cmap lookup (a binary search over some 2,000 segments) took 5%
    /// of a packet, the advance another 3% of `check`.
    bmp: Box<[std::sync::atomic::AtomicU64]>,
}

/// A zeroed table of `n` atomics from a zeroed allocation (the pages stay untouched,
/// and so unmapped, until a char on them is looked up).
fn zeroed_table(n: usize) -> Box<[std::sync::atomic::AtomicU64]> {
    let zeros: Box<[u64]> = vec![0u64; n].into_boxed_slice();
    // SAFETY: `AtomicU64` has the same size, alignment and bit validity as `u64`.
    unsafe { Box::from_raw(Box::into_raw(zeros) as *mut [std::sync::atomic::AtomicU64]) }
}

impl Metrics {
    /// The parsed face. `None` only if the embedded file failed to parse, which the
    /// unit tests rule out; callers degrade (no glyphs, 1 em widths) rather than panic.
    pub fn ttf(&self) -> Option<&ttf_parser::Face<'static>> {
        self.face.as_ref()
    }

    /// Font units per em (1000 for a face that failed to parse).
    pub fn units_per_em(&self) -> u16 {
        self.face
            .as_ref()
            .map(|f| f.units_per_em())
            .filter(|u| *u > 0)
            .unwrap_or(1000)
    }

    fn lookup(&self, ch: char) -> Option<u16> {
        let id = self.face.as_ref()?.glyph_index(ch)?.0;
        (id != 0).then_some(id)
    }

    /// The cached slot of a BMP char (see `bmp`), filled on first use.
    fn slot(&self, ch: char) -> Option<u64> {
        use std::sync::atomic::Ordering;
        let slot = self.bmp.get(ch as usize)?;
        match slot.load(Ordering::Relaxed) {
            0 => {
                let id = self.lookup(ch);
                let adv = u64::from(self.glyph_advance(id.unwrap_or(0)));
                let v = (adv << 32) | id.map_or(1, |g| u64::from(g) + 2);
                slot.store(v, Ordering::Relaxed);
                Some(v)
            }
            v => Some(v),
        }
    }

    /// The glyph id for a char, if the face has one (glyph 0, .notdef, counts as none).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        match self.slot(ch) {
            None => self.lookup(ch),
            Some(v) => match v as u32 {
                1 => None,
                g => Some((g - 2) as u16),
            },
        }
    }

    /// Whether the face can draw the char.
    pub fn has_glyph(&self, ch: char) -> bool {
        self.glyph(ch).is_some()
    }

    /// Advance width of a glyph in font units.
    pub fn glyph_advance(&self, gid: u16) -> u16 {
        self.face
            .as_ref()
            .and_then(|f| f.glyph_hor_advance(ttf_parser::GlyphId(gid)))
            .unwrap_or(0)
    }

    /// Advance width of a char in font units; a char the face lacks is measured as
    /// .notdef (glyph 0), which is what a viewer would draw for it.
    pub fn advance(&self, ch: char) -> u16 {
        if self.face.is_none() {
            return self.units_per_em();
        }
        match self.slot(ch) {
            Some(v) => (v >> 32) as u16,
            None => self.glyph_advance(self.glyph(ch).unwrap_or(0)),
        }
    }

    /// Typographic ascender and descender (descender negative), in font units.
    pub fn ascender_descender(&self) -> (i16, i16) {
        self.face
            .as_ref()
            .map(|f| (f.ascender(), f.descender()))
            .unwrap_or((880, -120))
    }
}

/// The parsed face, parsed once per process.
pub fn metrics(face: Face) -> &'static Metrics {
    static MINCHO: OnceLock<Metrics> = OnceLock::new();
    static GOTHIC: OnceLock<Metrics> = OnceLock::new();
    let cell = match face {
        Face::Mincho => &MINCHO,
        Face::Gothic => &GOTHIC,
    };
    cell.get_or_init(|| Metrics {
        face: ttf_parser::Face::parse(bytes(face), 0).ok(),
        bmp: zeroed_table(0x1_0000),
    })
}

/// Whether embedded subsets keep the TrueType hinting (glyph instructions and the `cvt `,
/// `fpgm`, `prep` tables). They do not. Hinting only changes how glyphs snap to the
/// pixel grid at small pixel sizes; pdftoppm renders of 様式第1号 and 様式第2号 at 80 and
/// 300 dpi are pixel-identical with and without it (poppler, like most PDF viewers,
/// does not run TrueType instructions), and it is about a third of every subset
/// (an example packet.pdf was 228 KB with hinting, about 153 KB without).
pub const KEEP_HINTING: bool = false;

/// A font program holding only some glyphs of a face, for embedding in a PDF.
pub struct Subset {
    /// The TrueType program (no `cmap`: the PDF maps codes to glyphs by Identity-H).
    pub program: Vec<u8>,
    /// Original glyph id → glyph id in `program` (.notdef stays 0).
    pub remap: subsetter::GlyphRemapper,
}

/// Subsets `face` to .notdef plus `gids` (and the components of composite glyphs).
///
/// Glyphs are renumbered in ascending order of their original ids, so the same set
/// always gives the same bytes. Only the tables a PDF needs are written, from the
/// glyphs asked for: the face's glyph table is never walked as a whole.
pub fn subset(face: Face, gids: &std::collections::BTreeSet<u16>) -> Result<Subset, String> {
    let mut remap = subsetter::GlyphRemapper::new();
    for g in gids {
        remap.remap(*g);
    }
    let program = subsetter::subset(bytes(face), 0, &remap).map_err(|e| e.to_string())?;
    let program = if KEEP_HINTING {
        program
    } else {
        strip_hinting(&program)
            .ok_or_else(|| "TrueType の命令を取り除けませんでした".to_string())?
    };
    Ok(Subset { program, remap })
}

fn rd16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn rd32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// Removes TrueType hinting from a font program: the instructions of every glyph, the
/// `cvt `, `fpgm`, `prep`, `hdmx`, `LTSH` and `VDMX` tables, and the glyph names
/// (`post` becomes version 3). `loca`, `maxp`, `head` and the checksums are rewritten
/// to match. `None` if the program is malformed.
pub fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    const DROP: [&[u8; 4]; 6] = [b"cvt ", b"fpgm", b"prep", b"hdmx", b"LTSH", b"VDMX"];
    let num_tables = usize::from(rd16(font, 4)?);
    let mut tables: std::collections::BTreeMap<[u8; 4], Vec<u8>> = Default::default();
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = rd32(font, rec + 8)? as usize;
        let len = rd32(font, rec + 12)? as usize;
        if DROP.contains(&&tag) {
            continue;
        }
        tables.insert(tag, font.get(off..off.checked_add(len)?)?.to_vec());
    }

    // glyf/loca: copy every glyph without its instructions.
    let head = tables.get(b"head")?;
    let long = rd16(head, 50)? != 0;
    let num_glyphs = usize::from(rd16(tables.get(b"maxp")?, 4)?);
    let (loca, glyf) = (tables.get(b"loca")?, tables.get(b"glyf")?);
    let offset = |i: usize| -> Option<usize> {
        if long {
            rd32(loca, 4 * i).map(|o| o as usize)
        } else {
            rd16(loca, 2 * i).map(|o| 2 * usize::from(o))
        }
    };
    let mut new_glyf: Vec<u8> = Vec::with_capacity(glyf.len());
    let mut new_offsets = Vec::with_capacity(num_glyphs + 1);
    for g in 0..num_glyphs {
        new_offsets.push(new_glyf.len());
        let data = glyf.get(offset(g)?..offset(g + 1)?)?;
        if data.is_empty() {
            continue;
        }
        let contours = rd16(data, 0)? as i16;
        if contours >= 0 {
            // Simple glyph: header, endPtsOfContours, instructionLength, instructions, rest.
            let at = 10 + 2 * contours as usize;
            let len = usize::from(rd16(data, at)?);
            new_glyf.extend_from_slice(data.get(..at)?);
            new_glyf.extend_from_slice(&[0, 0]);
            new_glyf.extend_from_slice(data.get(at + 2 + len..)?);
        } else {
            // Composite glyph: keep the components, clear WE_HAVE_INSTRUCTIONS and drop
            // the instructions after the last component.
            let mut flag_at = Vec::new();
            let mut at = 10;
            let end = loop {
                let flags = rd16(data, at)?;
                flag_at.push(at);
                let args = if flags & 0x0001 != 0 { 4 } else { 2 };
                let scale = match flags {
                    f if f & 0x0008 != 0 => 2,
                    f if f & 0x0040 != 0 => 4,
                    f if f & 0x0080 != 0 => 8,
                    _ => 0,
                };
                at += 4 + args + scale;
                if flags & 0x0020 == 0 {
                    break at;
                }
            };
            let start = new_glyf.len();
            new_glyf.extend_from_slice(data.get(..end)?);
            for f in flag_at {
                new_glyf[start + f] &= !0x01; // high byte of 0x0100
            }
        }
        while !new_glyf.len().is_multiple_of(4) {
            new_glyf.push(0);
        }
    }
    new_offsets.push(new_glyf.len());
    let short = new_glyf.len() <= 0x1_FFFE;
    let mut new_loca = Vec::with_capacity(new_offsets.len() * 4);
    for o in &new_offsets {
        if short {
            new_loca.extend_from_slice(&((o / 2) as u16).to_be_bytes());
        } else {
            new_loca.extend_from_slice(&(*o as u32).to_be_bytes());
        }
    }
    tables.insert(*b"glyf", new_glyf);
    tables.insert(*b"loca", new_loca);

    let head = tables.get_mut(b"head")?;
    head.get_mut(8..12)?.fill(0);
    head.get_mut(50..52)?
        .copy_from_slice(&(u16::from(!short)).to_be_bytes());
    let maxp = tables.get_mut(b"maxp")?;
    if maxp.len() >= 32 {
        // maxZones 1; twilight points, storage, function/instruction defs, stack
        // elements and instruction size 0.
        maxp[14..16].copy_from_slice(&1u16.to_be_bytes());
        maxp[16..28].fill(0);
    }
    if let Some(post) = tables.get_mut(b"post") {
        if post.len() >= 32 {
            post.truncate(32);
            post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        }
    }

    // Assemble: directory sorted by tag, tables 4-byte aligned, checksums.
    let checksum = |d: &[u8]| -> u32 {
        d.chunks(4).fold(0u32, |sum, c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            sum.wrapping_add(u32::from_be_bytes(w))
        })
    };
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(font.get(0..4)?);
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut at = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(at as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(at);
        }
        at += data.len().div_ceil(4) * 4;
    }
    for data in tables.values() {
        out.extend_from_slice(data);
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
    }
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    let head_at = head_at?;
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    Some(out)
}

/// Glyphs of one face as embedded, laid end to end as part of a `glyf` table: each glyph's
/// record is [`embedded_glyph`] (no instructions, on the [`EMBED_UNITS_PER_EM`] grid,
/// padded to 4 bytes), so runs can be concatenated in any order (see [`program_head`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Original glyph ids, in the order of `data`.
    pub gids: Vec<u16>,
    /// The glyph records.
    pub data: Vec<u8>,
    /// The length of each glyph's record in `data` (a multiple of 4; 0 for an empty glyph).
    pub lens: Vec<u32>,
    /// The OpenType checksum of `data` (the wrapping sum of its big-endian u32 words).
    pub checksum: u32,
}

fn table(face: Face, tag: &[u8; 4]) -> Option<&'static [u8]> {
    metrics(face)
        .ttf()?
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(tag))
}

/// The OpenType checksum of `d` (wrapping sum of big-endian u32 words, zero padded).
pub fn checksum(d: &[u8]) -> u32 {
    let mut chunks = d.chunks_exact(4);
    let mut sum = chunks.by_ref().fold(0u32, |s, c| {
        s.wrapping_add(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
    });
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 4];
        w[..rest.len()].copy_from_slice(rest);
        sum = sum.wrapping_add(u32::from_be_bytes(w));
    }
    sum
}

/// The record of glyph `gid` in the face's `glyf` table, as stored (with instructions).
fn glyph_record(face: Face, gid: u16) -> Option<&'static [u8]> {
    let (head, loca, glyf) = (
        table(face, b"head")?,
        table(face, b"loca")?,
        table(face, b"glyf")?,
    );
    let i = usize::from(gid);
    let (start, end) = if rd16(head, 50)? != 0 {
        (rd32(loca, 4 * i)? as usize, rd32(loca, 4 * i + 4)? as usize)
    } else {
        (
            2 * usize::from(rd16(loca, 2 * i)?),
            2 * usize::from(rd16(loca, 2 * i + 2)?),
        )
    };
    glyf.get(start..end)
}

/// The units per em of the embedded font programs: glyph outlines, advances, side
/// bearings and the `head`/`hhea`/`post` metrics are rescaled from the faces' 2048
/// units per em to this grid (every coordinate rounded to the nearest unit), which makes
/// the deflated glyph data about 30% smaller. The PDF's `/W` widths and font descriptor
/// still come from the original 2048-unit metrics, so text is placed exactly as with the
/// original outlines: viewers advance by `/W` and scale outlines by `head.unitsPerEm`
/// (ISO 32000-1, 9.7.4).
/// The IPA Font License (Art. 2.2) allows embedding the fonts "with or without
/// modification" in digital content.
///
/// Decided by measurement, with both example packets rendered by pdftoppm in
/// grey before and after. Bytes of each file (2048 is the original outlines re-encoded,
/// pixel-identical to them at 80 and 300 dpi):
///
/// | file (職場 / 産業医)  | 2048            | 1024            | 512             | **256**         | 128             |
/// |-----------------------|-----------------|-----------------|-----------------|-----------------|-----------------|
/// | 01-yoshiki1.pdf       | 49,745 / 61,102 | 45,799 / 55,371 | 41,397 / 50,140 | 37,718 / 45,480 | 34,437 / 41,637 |
/// | 02-yoshiki2.pdf       | 46,360 / 64,872 | 42,359 / 59,022 | 38,400 / 53,304 | 34,898 / 48,350 | 31,946 / 44,222 |
/// | 03-yoshiki3.pdf       | 96,953 / 81,280 | 88,890 / 74,196 | 80,417 / 67,109 | 73,049 / 60,903 | 66,458 / 55,508 |
/// | checklist.pdf         | 75,529 / 76,689 | 69,187 / 69,791 | 62,763 / 63,217 | 57,082 / 57,409 | 52,238 / 52,415 |
/// | packet.pdf            | 136,457 / 138,751 | 125,720 / 126,993 | 114,312 / 115,566 | 104,507 / 105,625 | 95,864 / 97,055 |
///
/// Pixel differences from the original outlines over the 12 pages of both packets (of
/// the pixels with ink: share changed / share changed by ≥ 64 of 255 / mean change /
/// largest change):
///
/// | dpi | 1024                | 512                 | **256**                | 128                   |
/// |-----|---------------------|---------------------|------------------------|-----------------------|
/// | 80  | 40% / 0 / 0.9 / 21  | 54% / 0 / 1.3 / 22  | 70% / 0 / 2.2 / 27     | 79% / 0 / 4.3 / 40    |
/// | 300 | 41% / 0 / 1.5 / 35  | 51% / 0 / 2.6 / 36  | 57% / 0 / 4.8 / 55     | 61% / 0.03% / 9.7 / 102 |
/// | 600 | 26% / 0 / 1.8 / 39  | 32% / 0 / 3.1 / 59  | 36% / 0.02% / 5.9 / 110 | 39% / 4.5% / 11.6 / 179 |
///
/// The changes are anti-aliasing at stroke edges: every point moves by at most half a
/// grid unit, 1/512 em at 256 (7 µm at 10.5 pt, a sixth of a 600-dpi dot). The ink of
/// each glyph of a 10.5 pt Mincho line at 600 dpi changes by 0.8% on average (at most
/// 3.9%, a thin "）") at 256, against 2.1% (5.7%) at 128, where Mincho's hairlines
/// (about 40 of 2048 units) become 2 or 3 grid units, a visible unevenness of stroke
/// weight within one glyph (三: 32, 32 and 48 units). Zoomed crops of 8 pt and 10.5 pt
/// Mincho at 600 and 1200 dpi show no difference in stroke weight or serif shape at 256.
pub const EMBED_UNITS_PER_EM: u16 = 256;

/// `v` font units of a face with `from` units per em, in a grid of `to` units per em,
/// rounded to the nearest unit (halves away from zero).
fn rescale(v: i32, from: u16, to: u16) -> i32 {
    let n = i64::from(v) * i64::from(to);
    let from = i64::from(from);
    let q = (2 * n.abs() + from) / (2 * from);
    (if n < 0 { -q } else { q }) as i32
}

/// [`rescale`] of an `i16` field, clamped to its range.
fn rescale16(v: i16, from: u16, to: u16) -> i16 {
    rescale(i32::from(v), from, to).clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

// Flags of a simple glyph's points (OpenType `glyf`).
const ON_CURVE: u8 = 0x01;
const X_SHORT: u8 = 0x02;
const Y_SHORT: u8 = 0x04;
const REPEAT: u8 = 0x08;
const X_SAME_OR_POSITIVE: u8 = 0x10;
const Y_SAME_OR_POSITIVE: u8 = 0x20;
const OVERLAP_SIMPLE: u8 = 0x40;

/// Re-encodes the simple glyph record `data` (with or without instructions) with its
/// coordinates rescaled from `from` to `to` units per em (`rescale` of every absolute
/// coordinate) and without instructions; the bounding box in the header is that of the
/// new points. Coordinates are written compactly: a one-byte vector when the delta is at
/// most 255, none when it is 0, and runs of equal flags with the repeat flag. Appends to
/// `out`, unpadded. `None` if the record is malformed or composite.
pub fn quantize_simple_glyph(data: &[u8], from: u16, to: u16, out: &mut Vec<u8>) -> Option<()> {
    let contours = rd16(data, 0)? as i16;
    if contours < 0 {
        return None;
    }
    let contours = contours as usize;
    let mut at = 10 + 2 * contours;
    let points = match contours {
        0 => 0,
        n => usize::from(rd16(data, 10 + 2 * (n - 1))?) + 1,
    };
    at += 2 + usize::from(rd16(data, at)?);

    // Flags, expanded.
    let mut flags = Vec::with_capacity(points);
    while flags.len() < points {
        let f = *data.get(at)?;
        at += 1;
        let times = if f & REPEAT != 0 {
            at += 1;
            1 + usize::from(*data.get(at - 1)?)
        } else {
            1
        };
        if flags.len() + times > points {
            return None;
        }
        flags.extend(std::iter::repeat_n(f & !REPEAT, times));
    }
    // Coordinates, absolute.
    let mut read = |short: u8, same: u8| -> Option<Vec<i32>> {
        let mut v = 0i32;
        let mut coords = Vec::with_capacity(points);
        for f in &flags {
            if f & short != 0 {
                let d = i32::from(*data.get(at)?);
                at += 1;
                v += if f & same != 0 { d } else { -d };
            } else if f & same == 0 {
                v += i32::from(rd16(data, at)? as i16);
                at += 2;
            }
            coords.push(v);
        }
        Some(coords)
    };
    let xs = read(X_SHORT, X_SAME_OR_POSITIVE)?;
    let ys = read(Y_SHORT, Y_SAME_OR_POSITIVE)?;
    let xs: Vec<i32> = xs.into_iter().map(|v| rescale(v, from, to)).collect();
    let ys: Vec<i32> = ys.into_iter().map(|v| rescale(v, from, to)).collect();

    // Header: contours and the new bounding box (the old one, rescaled, if no points).
    out.extend_from_slice(&data[..2]);
    let bbox = if points == 0 {
        [2, 4, 6, 8]
            .map(|o| i32::from(rd16(data, o).unwrap_or(0) as i16))
            .map(|v| rescale(v, from, to))
    } else {
        [
            *xs.iter().min()?,
            *ys.iter().min()?,
            *xs.iter().max()?,
            *ys.iter().max()?,
        ]
    };
    for v in bbox {
        out.extend_from_slice(&(v as i16).to_be_bytes());
    }
    out.extend_from_slice(data.get(10..10 + 2 * contours)?);
    out.extend_from_slice(&[0, 0]);

    // Flags and coordinate bytes.
    let delta = |coords: &[i32], i: usize| coords[i] - if i == 0 { 0 } else { coords[i - 1] };
    let mut new_flags = Vec::with_capacity(points);
    let (mut xb, mut yb) = (Vec::with_capacity(points), Vec::with_capacity(points));
    for (i, f) in flags.iter().enumerate() {
        let mut nf = f & ON_CURVE;
        if i == 0 {
            nf |= f & OVERLAP_SIMPLE;
        }
        for (d, bytes, short, same) in [
            (delta(&xs, i), &mut xb, X_SHORT, X_SAME_OR_POSITIVE),
            (delta(&ys, i), &mut yb, Y_SHORT, Y_SAME_OR_POSITIVE),
        ] {
            if d == 0 {
                nf |= same;
            } else if d.abs() <= 255 {
                nf |= short | if d > 0 { same } else { 0 };
                bytes.push(d.unsigned_abs() as u8);
            } else {
                bytes.extend_from_slice(&i16::try_from(d).ok()?.to_be_bytes());
            }
        }
        new_flags.push(nf);
    }
    let mut i = 0;
    while i < new_flags.len() {
        let f = new_flags[i];
        let run = new_flags[i + 1..]
            .iter()
            .take(255)
            .take_while(|g| **g == f)
            .count();
        // A repeat costs a byte: worth it from two repeats on.
        if run >= 2 {
            out.extend_from_slice(&[f | REPEAT, run as u8]);
            i += 1 + run;
        } else {
            out.push(f);
            i += 1;
        }
    }
    out.extend_from_slice(&xb);
    out.extend_from_slice(&yb);
    Some(())
}

/// The record of glyph `gid` of `face` as embedded: without instructions, on the
/// [`EMBED_UNITS_PER_EM`] grid ([`quantize_simple_glyph`]), padded to 4 bytes; empty for
/// an empty glyph. Made once per process and glyph. `Err` for a composite glyph: its
/// components are numbered by glyph id, which a run shared by several documents cannot
/// know (neither embedded face has any).
pub fn embedded_glyph(face: Face, gid: u16) -> Result<&'static [u8], String> {
    type Cache = Box<[OnceLock<Option<Box<[u8]>>>]>;
    static MINCHO: OnceLock<Cache> = OnceLock::new();
    static GOTHIC: OnceLock<Cache> = OnceLock::new();
    let bad = || format!("{}: グリフ {gid} を読めません", postscript_name(face));
    let cache = match face {
        Face::Mincho => &MINCHO,
        Face::Gothic => &GOTHIC,
    }
    .get_or_init(|| {
        let n = metrics(face).ttf().map_or(0, |f| f.number_of_glyphs());
        (0..n).map(|_| OnceLock::new()).collect()
    });
    let cell = cache.get(usize::from(gid)).ok_or_else(bad)?;
    let record = cell.get_or_init(|| {
        let data = glyph_record(face, gid)?;
        let mut out = Vec::new();
        if !data.is_empty() {
            let from = metrics(face).units_per_em();
            quantize_simple_glyph(data, from, EMBED_UNITS_PER_EM, &mut out)?;
            while !out.len().is_multiple_of(4) {
                out.push(0);
            }
        }
        Some(out.into_boxed_slice())
    });
    match record {
        Some(r) => Ok(r),
        None if glyph_record(face, gid)
            .and_then(|d| rd16(d, 0))
            .is_some_and(|c| (c as i16) < 0) =>
        {
            Err(format!(
                "{}: グリフ {gid} は合成グリフです（未対応）",
                postscript_name(face)
            ))
        }
        None => Err(bad()),
    }
}

/// The glyphs `gids` of `face`, in that order, without hinting (see [`GlyphRun`]).
pub fn glyph_run(face: Face, gids: &[u16]) -> Result<GlyphRun, String> {
    let mut data = Vec::new();
    let mut lens = Vec::with_capacity(gids.len());
    for g in gids {
        let record = embedded_glyph(face, *g)?;
        data.extend_from_slice(record);
        lens.push(record.len() as u32);
    }
    let checksum = checksum(&data);
    Ok(GlyphRun {
        gids: gids.to_vec(),
        data,
        lens,
        checksum,
    })
}

/// The start of a TrueType program holding the glyphs of `runs`, in order (new glyph id
/// = position; the first glyph should be .notdef, glyph 0): the table directory and the
/// `head`, `hhea`, `hmtx`, `loca`, `maxp` and `post` (version 3, no glyph names) tables.
/// The `glyf` table is the runs' `data` concatenated, placed right after these bytes, so
/// the whole program is `program_head(..) ++ runs[0].data ++ runs[1].data ++ …`.
///
/// No `cmap` (a PDF maps codes to glyphs by Identity-H), no `name`, `OS/2`, layout or
/// vertical tables, no hinting: what a PDF's CIDFontType2 program needs (ISO 32000-1,
/// 9.9). Checksums and `head.checkSumAdjustment` are those of the whole program.
pub fn program_head(face: Face, runs: &[&GlyphRun]) -> Result<Vec<u8>, String> {
    let bad = |what: &str| format!("{}: {what} を読めません", postscript_name(face));
    let ttf = metrics(face).ttf().ok_or_else(|| bad("font"))?;
    let n: usize = runs.iter().map(|r| r.gids.len()).sum();
    let num_glyphs = u16::try_from(n).map_err(|_| bad("numGlyphs"))?;
    let glyf_len: usize = runs.iter().map(|r| r.data.len()).sum();
    let glyf_sum = runs.iter().fold(0u32, |s, r| s.wrapping_add(r.checksum));
    let short = glyf_len <= 0x1_FFFE;

    let mut head = table(face, b"head")
        .and_then(|t| t.get(..54))
        .ok_or_else(|| bad("head"))?
        .to_vec();
    head[8..12].fill(0);
    head[50..52].copy_from_slice(&u16::from(!short).to_be_bytes());
    // Everything in font units goes onto the embedding grid (see EMBED_UNITS_PER_EM).
    let (from, to) = (metrics(face).units_per_em(), EMBED_UNITS_PER_EM);
    let scale_at = |t: &mut [u8], at: usize| {
        let v = rescale16(i16::from_be_bytes([t[at], t[at + 1]]), from, to);
        t[at..at + 2].copy_from_slice(&v.to_be_bytes());
    };
    head[18..20].copy_from_slice(&to.to_be_bytes());
    for at in [36, 38, 40, 42] {
        scale_at(&mut head, at); // xMin, yMin, xMax, yMax
    }
    let mut hhea = table(face, b"hhea")
        .and_then(|t| t.get(..36))
        .ok_or_else(|| bad("hhea"))?
        .to_vec();
    hhea[34..36].copy_from_slice(&num_glyphs.to_be_bytes());
    // ascender, descender, lineGap, minLeftSideBearing, minRightSideBearing,
    // xMaxExtent, caretOffset; advanceWidthMax (unsigned).
    for at in [4, 6, 8, 12, 14, 16, 22] {
        scale_at(&mut hhea, at);
    }
    let max = rescale(i32::from(rd16(&hhea, 10).unwrap_or(0)), from, to);
    hhea[10..12].copy_from_slice(&(max.clamp(0, 0xFFFF) as u16).to_be_bytes());
    let mut maxp = table(face, b"maxp")
        .and_then(|t| t.get(..32))
        .ok_or_else(|| bad("maxp"))?
        .to_vec();
    maxp[4..6].copy_from_slice(&num_glyphs.to_be_bytes());
    // maxZones 1; twilight points, storage, function/instruction defs, stack elements
    // and instruction size 0: there are no instructions.
    maxp[14..16].copy_from_slice(&1u16.to_be_bytes());
    maxp[16..28].fill(0);
    let mut post = table(face, b"post")
        .and_then(|t| t.get(..32))
        .ok_or_else(|| bad("post"))?
        .to_vec();
    post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    post[16..32].fill(0); // memory usage hints: unknown
    for at in [8, 10] {
        scale_at(&mut post, at); // underlinePosition, underlineThickness
    }

    let mut hmtx = Vec::with_capacity(4 * n);
    let mut loca = Vec::with_capacity(if short { 2 } else { 4 } * (n + 1));
    let mut offset = 0u32;
    let push_offset = |loca: &mut Vec<u8>, o: u32| {
        if short {
            loca.extend_from_slice(&((o / 2) as u16).to_be_bytes());
        } else {
            loca.extend_from_slice(&o.to_be_bytes());
        }
    };
    for run in runs {
        for (g, len) in run.gids.iter().zip(&run.lens) {
            let id = ttf_parser::GlyphId(*g);
            let advance = ttf.glyph_hor_advance(id).unwrap_or(0);
            let advance = rescale(i32::from(advance), from, to).clamp(0, 0xFFFF) as u16;
            let lsb = rescale16(ttf.glyph_hor_side_bearing(id).unwrap_or(0), from, to);
            hmtx.extend_from_slice(&advance.to_be_bytes());
            hmtx.extend_from_slice(&lsb.to_be_bytes());
            push_offset(&mut loca, offset);
            offset += len;
        }
    }
    push_offset(&mut loca, offset);

    // Directory sorted by tag; data in this order, the glyf table last.
    let tables: [(&[u8; 4], &[u8]); 6] = [
        (b"head", &head),
        (b"hhea", &hhea),
        (b"hmtx", &hmtx),
        (b"loca", &loca),
        (b"maxp", &maxp),
        (b"post", &post),
    ];
    let count = tables.len() + 1;
    let dir_len = 12 + 16 * count;
    let mut at = dir_len;
    let mut entries: Vec<([u8; 4], u32, usize, usize)> = Vec::with_capacity(count);
    for (tag, data) in tables {
        entries.push((*tag, checksum(data), at, data.len()));
        at += data.len().div_ceil(4) * 4;
    }
    entries.push((*b"glyf", glyf_sum, at, glyf_len));
    entries.sort_by_key(|e| e.0);

    let n16 = count as u16;
    let entry_selector = 15 - n16.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::with_capacity(at);
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n16, search_range, entry_selector, n16 * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for (tag, sum, offset, len) in &entries {
        out.extend_from_slice(tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(*offset as u32).to_be_bytes());
        out.extend_from_slice(&(*len as u32).to_be_bytes());
    }
    let head_at = out.len();
    for (_, data) in tables {
        out.extend_from_slice(data);
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
    }
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out).wrapping_add(glyf_sum));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse() {
        for face in ALL {
            let m = metrics(face);
            assert!(m.ttf().is_some(), "{face:?} failed to parse");
            assert_eq!(m.units_per_em(), 2048);
            assert!(m.has_glyph('申'));
            assert!(m.has_glyph('A'));
            assert!(!m.has_glyph('\u{2611}'));
        }
    }

    /// Records an outline as text, to compare two programs glyph by glyph.
    #[derive(Default)]
    struct Path(String);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x},{y}");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x},{y}");
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0 += &format!("Q{x1},{y1},{x},{y}");
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0 += &format!("C{x1},{y1},{x2},{y2},{x},{y}");
        }
        fn close(&mut self) {
            self.0 += "Z";
        }
    }

    #[test]
    fn subset_without_hinting_keeps_outlines_and_advances() {
        let text = "様式第1号 産業医活動助成金支給申請書 令和3年5月31日 100,000円（株）ろうあん";
        for face in ALL {
            let m = metrics(face);
            let gids: std::collections::BTreeSet<u16> =
                text.chars().filter_map(|c| m.glyph(c)).collect();
            let mut remap = subsetter::GlyphRemapper::new();
            for g in &gids {
                remap.remap(*g);
            }
            let hinted = subsetter::subset(bytes(face), 0, &remap).unwrap();
            let plain = strip_hinting(&hinted).unwrap();
            assert!(
                plain.len() < hinted.len() * 9 / 10,
                "{} vs {}",
                plain.len(),
                hinted.len()
            );
            let a = ttf_parser::Face::parse(&hinted, 0).unwrap();
            let b = ttf_parser::Face::parse(&plain, 0).unwrap();
            assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
            assert_eq!(usize::from(a.number_of_glyphs()), gids.len() + 1);
            for tag in [b"cvt ", b"fpgm", b"prep"] {
                let tag = ttf_parser::Tag::from_bytes(tag);
                assert!(a.raw_face().table(tag).is_some());
                assert!(b.raw_face().table(tag).is_none());
            }
            for g in 0..a.number_of_glyphs() {
                let g = ttf_parser::GlyphId(g);
                let (mut pa, mut pb) = (Path::default(), Path::default());
                assert_eq!(a.outline_glyph(g, &mut pa), b.outline_glyph(g, &mut pb));
                assert_eq!(pa.0, pb.0);
                assert_eq!(a.glyph_hor_advance(g), b.glyph_hor_advance(g));
            }
            // The subset's glyphs are the original ones, in ascending order.
            for (new, old) in gids.iter().enumerate() {
                assert_eq!(remap.get(*old), Some(new as u16 + 1));
                assert_eq!(
                    b.glyph_hor_advance(ttf_parser::GlyphId(new as u16 + 1)),
                    Some(m.glyph_advance(*old))
                );
            }
            // head.checkSumAdjustment makes the whole font sum to 0xB1B0AFBA.
            let sum = plain.chunks(4).fold(0u32, |s, c| {
                let mut w = [0u8; 4];
                w[..c.len()].copy_from_slice(c);
                s.wrapping_add(u32::from_be_bytes(w))
            });
            assert_eq!(sum, 0xB1B0_AFBA);
            assert!(strip_hinting(&plain[..100]).is_none());
        }
    }

    #[test]
    fn neither_face_has_composite_glyphs() {
        // `glyph_run` refuses composite glyphs; prove that no char can reach one (and that
        // every glyph of both faces re-encodes on the embedding grid).
        for face in ALL {
            let ttf = metrics(face).ttf().unwrap();
            for g in 0..ttf.number_of_glyphs() {
                let record = embedded_glyph(face, g).unwrap();
                assert_eq!(record.len() % 4, 0);
                // The same record, not re-encoded, on the next call.
                assert!(std::ptr::eq(record, embedded_glyph(face, g).unwrap()));
            }
        }
    }

    /// Records an outline as commands with their coordinates.
    #[derive(Default)]
    struct Points(Vec<(char, Vec<f32>)>);

    impl ttf_parser::OutlineBuilder for Points {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(('M', vec![x, y]));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(('L', vec![x, y]));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(('Q', vec![x1, y1, x, y]));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(('C', vec![x1, y1, x2, y2, x, y]));
        }
        fn close(&mut self) {
            self.0.push(('Z', vec![]));
        }
    }

    /// Asserts that `quantized` is `original` scaled by `s` with every point rounded: the
    /// points stored in the glyph (line ends, quadratic control points) are exactly the
    /// original ones scaled and rounded; a quadratic segment's end may also be the point
    /// a viewer puts midway between two control points (TrueType's implied on-curve
    /// point), then it is exactly midway between the rounded control points.
    fn assert_scaled_and_rounded(original: &Points, quantized: &Points, s: f32, what: &str) {
        let round = |v: f32| (v * s).round();
        assert_eq!(original.0.len(), quantized.0.len(), "{what}");
        for (i, ((co, o), (cq, q))) in original.0.iter().zip(&quantized.0).enumerate() {
            assert_eq!(co, cq, "{what}: command {i}");
            for (k, (vo, vq)) in o.iter().zip(q).enumerate() {
                assert!(
                    (vo * s - vq).abs() <= 0.5,
                    "{what}: command {i}: {o:?} {q:?}"
                );
                let exact = *vq == round(*vo);
                match (co, k) {
                    ('L', _) | ('Q', 0 | 1) => assert!(exact, "{what}: {i}: {o:?} {q:?}"),
                    ('Q', 2 | 3) if !exact => {
                        // Implied: midway between this control point and the next one.
                        let next = match quantized.0.get(i + 1) {
                            Some(('Q', n)) => n[k - 2],
                            _ => panic!("{what}: {i}: {o:?} {q:?}"),
                        };
                        assert_eq!(*vq, (q[k - 2] + next) / 2.0, "{what}: {i}");
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn program_from_runs_has_quantized_outlines_scaled_advances_and_checksums() {
        let text = "様式第1号 産業医活動助成金支給申請書 令和3年5月31日 100,000円（株）ろうあん";
        for face in ALL {
            let m = metrics(face);
            let orig = m.ttf().unwrap();
            // The text's glyphs and every 50th glyph of the face.
            let gids: Vec<u16> = text
                .chars()
                .filter_map(|c| m.glyph(c))
                .chain((1..orig.number_of_glyphs()).step_by(50))
                .collect::<std::collections::BTreeSet<u16>>()
                .into_iter()
                .collect();
            // .notdef, then two runs in an order that is not ascending.
            let (a, b) = gids.split_at(gids.len() / 2);
            let runs = [
                glyph_run(face, &[0]).unwrap(),
                glyph_run(face, b).unwrap(),
                glyph_run(face, a).unwrap(),
            ];
            let refs: Vec<&GlyphRun> = runs.iter().collect();
            let mut program = program_head(face, &refs).unwrap();
            for r in &runs {
                assert_eq!(r.checksum, checksum(&r.data));
                program.extend_from_slice(&r.data);
            }
            // The whole font sums to 0xB1B0AFBA (head.checkSumAdjustment).
            assert_eq!(checksum(&program), 0xB1B0_AFBA);
            let sub = ttf_parser::Face::parse(&program, 0).unwrap();
            let order: Vec<u16> = runs.iter().flat_map(|r| r.gids.clone()).collect();
            assert_eq!(usize::from(sub.number_of_glyphs()), order.len());
            for tag in [b"cvt ", b"fpgm", b"prep", b"name", b"cmap", b"OS/2"] {
                assert!(sub
                    .raw_face()
                    .table(ttf_parser::Tag::from_bytes(tag))
                    .is_none());
            }
            // The grid: 2048 units per em in the face, EMBED_UNITS_PER_EM embedded.
            assert_eq!(sub.units_per_em(), EMBED_UNITS_PER_EM);
            let s = f32::from(EMBED_UNITS_PER_EM) / f32::from(orig.units_per_em());
            assert!(s < 1.0);
            let scaled = |v: i16| (f32::from(v) * s).round() as i16;
            let bbox = |b: ttf_parser::Rect| [b.x_min, b.y_min, b.x_max, b.y_max];
            assert_eq!(
                bbox(sub.global_bounding_box()),
                bbox(orig.global_bounding_box()).map(scaled)
            );
            assert_eq!(sub.ascender(), scaled(orig.ascender()));
            assert_eq!(sub.descender(), scaled(orig.descender()));
            for (new, old) in order.iter().enumerate() {
                let (n, o) = (ttf_parser::GlyphId(new as u16), ttf_parser::GlyphId(*old));
                let (mut pq, mut po) = (Points::default(), Points::default());
                let (bq, bo) = (
                    sub.outline_glyph(n, &mut pq),
                    orig.outline_glyph(o, &mut po),
                );
                assert_eq!(bq.map(bbox), bo.map(|b| bbox(b).map(scaled)), "glyph {old}");
                assert_scaled_and_rounded(&po, &pq, s, &format!("{face:?} glyph {old}"));
                // hmtx: advances and side bearings scaled too.
                let advance = orig.glyph_hor_advance(o).unwrap();
                assert_eq!(
                    sub.glyph_hor_advance(n),
                    Some((f32::from(advance) * s).round() as u16)
                );
                assert_eq!(
                    sub.glyph_hor_side_bearing(n),
                    orig.glyph_hor_side_bearing(o).map(scaled)
                );
            }
        }
    }

    /// A glyph made by hand: every kind of coordinate encoding, read and written.
    #[test]
    fn simple_glyph_round_trip_and_compact_encoding() {
        // One contour, 5 points: (0,0) on, (300,0) off, (300,-20) on, (300,-20) on,
        // (-1000,700) on. Original encoding: all deltas as words, no repeats, two bytes of
        // instructions.
        let pts: [(i16, i16, u8); 5] = [
            (0, 0, 1),
            (300, 0, 0),
            (300, -20, 1),
            (300, -20, 1),
            (-1000, 700, 1),
        ];
        let mut g = Vec::new();
        for v in [1i16, -1000, -20, 300, 700, 4] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        g.extend_from_slice(&[0, 2, 0xB0, 0x00]);
        for p in &pts {
            g.push(p.2);
        }
        let mut prev = (0, 0);
        let mut ys = Vec::new();
        for p in &pts {
            g.extend_from_slice(&(p.0 - prev.0).to_be_bytes());
            ys.extend_from_slice(&(p.1 - prev.1).to_be_bytes());
            prev = (p.0, p.1);
        }
        g.extend_from_slice(&ys);

        // Same grid: only the encoding changes.
        let mut out = Vec::new();
        quantize_simple_glyph(&g, 2048, 2048, &mut out).unwrap();
        let mut want = Vec::new();
        for v in [1i16, -1000, -20, 300, 700, 4, 0] {
            want.extend_from_slice(&v.to_be_bytes());
        }
        // Point deltas: (0,0) (300,0) (0,-20) (0,0) (-1300,720).
        want.extend_from_slice(&[
            0x31, // same x, same y
            0x20, // x word (300), y same
            0x15, // x same, y short negative
            0x31, // same, same (a run of 1: no repeat)
            0x01, // x word, y word
        ]);
        want.extend_from_slice(&300i16.to_be_bytes());
        want.extend_from_slice(&(-1300i16).to_be_bytes());
        want.push(20);
        want.extend_from_slice(&720i16.to_be_bytes());
        assert_eq!(out, want);

        // Quarter grid: deltas (0,0) (75,0) (0,-5) (0,0) (-325,180) → short where ≤ 255.
        let mut out = Vec::new();
        quantize_simple_glyph(&g, 2048, 512, &mut out).unwrap();
        let mut want = Vec::new();
        for v in [1i16, -250, -5, 75, 175, 4, 0] {
            want.extend_from_slice(&v.to_be_bytes());
        }
        want.extend_from_slice(&[0x31, 0x32, 0x15, 0x31, 0x25]);
        want.push(75);
        want.extend_from_slice(&(-325i16).to_be_bytes());
        want.extend_from_slice(&[5, 180]);
        assert_eq!(out, want);

        // Repeats: four points with equal flags after the first.
        let mut g = Vec::new();
        for v in [1i16, 0, 0, 40, 0, 4] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        // No instructions; five flags "on curve, x and y words" as one flag and a repeat.
        g.extend_from_slice(&[0, 0, 0x01 | 0x08, 4]);
        for v in [0i16, 10, 10, 10, 10, 0, 0, 0, 0, 0] {
            g.extend_from_slice(&v.to_be_bytes());
        }
        let mut out = Vec::new();
        quantize_simple_glyph(&g, 2048, 2048, &mut out).unwrap();
        // (0,0) then four times (+10, 0): same/same, then x short + and y same, repeated.
        assert_eq!(&out[14..], &[0x31, 0x33 | 0x08, 3, 10, 10, 10, 10]);

        // Malformed and composite records.
        assert!(quantize_simple_glyph(&g[..15], 2048, 512, &mut Vec::new()).is_none());
        let mut composite = g.clone();
        composite[0..2].copy_from_slice(&(-1i16).to_be_bytes());
        assert!(quantize_simple_glyph(&composite, 2048, 512, &mut Vec::new()).is_none());
    }

    #[test]
    fn rescale_rounds_halves_away_from_zero() {
        assert_eq!(rescale(2, 2048, 512), 1); // 0.5
        assert_eq!(rescale(-2, 2048, 512), -1);
        assert_eq!(rescale(1, 2048, 512), 0); // 0.25
        assert_eq!(rescale(-5, 2048, 512), -1); // -1.25
        assert_eq!(rescale(2047, 2048, 512), 512); // 511.75
        assert_eq!(rescale(-270, 2048, 256), -34); // -33.75
        assert_eq!(rescale(1000, 2048, 2048), 1000);
    }

    #[test]
    fn ascii_is_proportional() {
        let m = metrics(Face::Mincho);
        assert!(m.advance('i') < m.advance('W'));
        assert!(m.advance('A') < m.advance('あ'));
        assert_eq!(m.advance('あ'), m.units_per_em());
    }
}
