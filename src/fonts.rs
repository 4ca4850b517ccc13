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

    #[test]
    fn ascii_is_proportional() {
        let m = metrics(Face::Mincho);
        assert!(m.advance('i') < m.advance('W'));
        assert!(m.advance('A') < m.advance('あ'));
        assert_eq!(m.advance('あ'), m.units_per_em());
    }
}
