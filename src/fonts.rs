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
        let id = self.face.as_ref()?.glyph_index(ch)?.0;
        (id != 0).then_some(id)
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
    fn ascii_is_proportional() {
        let m = metrics(Face::Mincho);
        assert!(m.advance('i') < m.advance('W'));
        assert!(m.advance('A') < m.advance('あ'));
        assert_eq!(m.advance('あ'), m.units_per_em());
    }
}
