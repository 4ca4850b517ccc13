//! The two embedded faces (IPAex Mincho and IPAex Gothic), compiled into the binary with
//! `include_bytes!` so the tool works from any directory, and parsed once on first use.
//!
//! Everything that needs glyph data (text measuring in `textfit`, glyph checks and
//! embedding in `pdf`) goes through here.

use std::sync::OnceLock;

use crate::page::Face;

static MINCHO_TTF: &[u8] = include_bytes!("../fonts/ipaexm.ttf");
static GOTHIC_TTF: &[u8] = include_bytes!("../fonts/ipaexg.ttf");

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
    /// Glyph ids of the Basic Multilingual Plane, looked up once each: 0 = not looked up
    /// yet, 1 = no glyph, `gid + 2` otherwise. Layout measures every char many times, and
    /// a cmap lookup (a binary search over some 2,000 segments) took 5% of a packet.
    bmp: Box<[std::sync::atomic::AtomicU32]>,
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

    /// The glyph id for a char, if the face has one (glyph 0, .notdef, counts as none).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        use std::sync::atomic::Ordering;
        let lookup = || {
            let id = self.face.as_ref()?.glyph_index(ch)?.0;
            (id != 0).then_some(id)
        };
        let Some(slot) = self.bmp.get(ch as usize) else {
            return lookup();
        };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let id = lookup();
                slot.store(id.map_or(1, |g| u32::from(g) + 2), Ordering::Relaxed);
                id
            }
            1 => None,
            g => Some((g - 2) as u16),
        }
    }

    /// Whether the face can draw this char.
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
        self.glyph_advance(self.glyph(ch).unwrap_or(0))
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
        bmp: (0..0x1_0000)
            .map(|_| std::sync::atomic::AtomicU32::new(0))
            .collect(),
    })
}

/// Whether embedded subsets keep the TrueType hinting (glyph instructions and the `cvt `,
/// `fpgm`, `prep` tables). They do not. Hinting only changes how glyphs snap to the
/// pixel grid at small pixel sizes; pdftoppm renders of 様式第1号 and 様式第2号 at 80 and
/// 300 dpi are pixel-identical with and without it (poppler, like most PDF viewers,
/// does not run TrueType instructions), and it is about a third of every subset
/// (issue #7: packet.pdf 228 KB with hinting, about 153 KB without).
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
        while new_glyf.len() % 4 != 0 {
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
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    let head_at = head_at?;
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    Some(out)
}

/// Glyphs of one face without hinting, laid end to end as part of a `glyf` table: each
/// glyph's record is copied from the face without its instructions and padded to 4 bytes,
/// so runs can be concatenated in any order (see [`program_head`]).
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

/// Appends glyph `gid` of `face` to `out` without its instructions, padded to 4 bytes.
/// `Err` for a composite glyph: its components are numbered by glyph id, which a run
/// shared by several documents cannot know (neither embedded face has any).
fn push_unhinted(face: Face, gid: u16, out: &mut Vec<u8>) -> Result<(), String> {
    let bad = || format!("{}: グリフ {gid} を読めません", postscript_name(face));
    let data = glyph_record(face, gid).ok_or_else(bad)?;
    if data.is_empty() {
        return Ok(());
    }
    let contours = rd16(data, 0).ok_or_else(bad)? as i16;
    if contours < 0 {
        return Err(format!(
            "{}: グリフ {gid} は合成グリフです（未対応）",
            postscript_name(face)
        ));
    }
    // Simple glyph: header, endPtsOfContours, instructionLength, instructions, rest.
    let at = 10 + 2 * contours as usize;
    let len = usize::from(rd16(data, at).ok_or_else(bad)?);
    let rest = data.get(at + 2 + len..).ok_or_else(bad)?;
    out.extend_from_slice(&data[..at]);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(rest);
    while out.len() % 4 != 0 {
        out.push(0);
    }
    Ok(())
}

/// The glyphs `gids` of `face`, in that order, without hinting (see [`GlyphRun`]).
pub fn glyph_run(face: Face, gids: &[u16]) -> Result<GlyphRun, String> {
    let mut data = Vec::new();
    let mut lens = Vec::with_capacity(gids.len());
    for g in gids {
        let before = data.len();
        push_unhinted(face, *g, &mut data)?;
        lens.push((data.len() - before) as u32);
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
    let mut hhea = table(face, b"hhea")
        .and_then(|t| t.get(..36))
        .ok_or_else(|| bad("hhea"))?
        .to_vec();
    hhea[34..36].copy_from_slice(&num_glyphs.to_be_bytes());
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
            let lsb = ttf.glyph_hor_side_bearing(id).unwrap_or(0);
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
        while out.len() % 4 != 0 {
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
        // `glyph_run` refuses composite glyphs; prove that no char can reach one.
        for face in ALL {
            let ttf = metrics(face).ttf().unwrap();
            for g in 0..ttf.number_of_glyphs() {
                let mut out = Vec::new();
                push_unhinted(face, g, &mut out).unwrap();
                assert_eq!(out.len() % 4, 0);
            }
        }
    }

    #[test]
    fn program_from_runs_keeps_outlines_advances_and_checksums() {
        let text = "様式第1号 産業医活動助成金支給申請書 令和3年5月31日 100,000円（株）ろうあん";
        for face in ALL {
            let m = metrics(face);
            let gids: Vec<u16> = text
                .chars()
                .filter_map(|c| m.glyph(c))
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
            let orig = m.ttf().unwrap();
            let order: Vec<u16> = runs.iter().flat_map(|r| r.gids.clone()).collect();
            assert_eq!(usize::from(sub.number_of_glyphs()), order.len());
            for tag in [b"cvt ", b"fpgm", b"prep", b"name", b"cmap", b"OS/2"] {
                assert!(sub
                    .raw_face()
                    .table(ttf_parser::Tag::from_bytes(tag))
                    .is_none());
            }
            for (new, old) in order.iter().enumerate() {
                let (n, o) = (ttf_parser::GlyphId(new as u16), ttf_parser::GlyphId(*old));
                let (mut pa, mut pb) = (Path::default(), Path::default());
                assert_eq!(
                    sub.outline_glyph(n, &mut pa),
                    orig.outline_glyph(o, &mut pb)
                );
                assert_eq!(pa.0, pb.0, "glyph {old}");
                assert_eq!(sub.glyph_hor_advance(n), orig.glyph_hor_advance(o));
                assert_eq!(
                    sub.glyph_hor_side_bearing(n),
                    orig.glyph_hor_side_bearing(o)
                );
            }
        }
    }

    #[test]
    fn ascii_is_proportional() {
        let m = metrics(Face::Mincho);
        assert!(m.advance('i') < m.advance('W'));
        assert!(m.advance('A') < m.advance('あ'));
        assert_eq!(m.advance('あ'), m.units_per_em());
    }
}
