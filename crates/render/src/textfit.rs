//! Measuring and fitting Japanese text into boxes (glyph advances from the embedded
//! fonts, line breaking with 禁則処理). Pure functions; no PDF.
//!
//! - [`text_width_mm`]: the advance of a line of text at a size.
//! - [`missing_glyphs`]: the chars a face cannot draw (they would print as blank boxes).
//! - [`wrap`]: lines no wider than a width (禁則: no 、。）」 etc. at a line start, no （「
//!   etc. at a line end; an explicit `'\n'` starts a new line).
//! - [`fit`]: the largest size between a maximum and a minimum at which text fits a box.
//!
//! # Line breaking
//!
//! Text is cut into *clusters* that are never broken apart (unless a single cluster is
//! wider than the line, see below); a line break may fall between any two clusters.
//!
//! - A run of ASCII letters/digits is one word; `. , - / : _ @ % & + ' #` between two
//!   letters/digits stay inside the word too (so `1,234,567`, `03-1234-5678`,
//!   `a.b@example.jp` are not split).
//! - 禁則 by **pulling the preceding character down** (追い出し), never by hanging:
//!   a character that may not start a line ([`NO_LINE_START`]) joins the cluster before
//!   it, and a character that may not end a line ([`NO_LINE_END`]) joins the cluster
//!   after it. So 「…です。」 moves to the next line together with the last kana before
//!   it, and nothing ever sticks out of the box.
//! - Dates and quantities stay whole: a number (ASCII or full-width digits) joins the
//!   unit after it ([`UNITS`]: 年 月 日 円 人 % …, and か月/ヶ月), a number joins a
//!   preceding era name (令和 平成 昭和 大正 明治, also 元年) or 第, and a number joins
//!   a preceding 年/月 (or 万/千/億…) that itself follows a number. So 「令和3年5月31日」,
//!   「1万2千円」, 「6か月」, 「40人」 and 「様式第3号」 are never split.
//! - Spaces (ASCII space, tab, U+3000) join the cluster before them, so a wrapped line
//!   never starts with a space. Trailing spaces stay at the end of their line (nothing
//!   is dropped) but are not counted when checking the width.
//! - A cluster wider than the whole line (a very long word, a long run of ーーー…) is
//!   broken between characters, as late as possible; only then can 禁則 be violated.
//! - `'\n'` ends a line (a `'\r'` just before it is dropped too); every paragraph gives
//!   at least one line, so `""` → `[""]` and `"a\n"` → `["a", ""]`.
//! - A width that is zero, negative or NaN gives one character per line.

use crate::fonts;
use crate::page::Face;

/// Characters that must not start a line (行頭禁則).
pub const NO_LINE_START: &str =
    "、。，．）」』】〕〉》”’ー・：；？！ゃゅょっぁぃぅぇぉャュョッァィゥェォ),.:;!?";
/// Characters that must not end a line (行末禁則).
pub const NO_LINE_END: &str = "（「『【〔〈《“‘(";

/// Units that stay on the line of the number before them.
pub const UNITS: &str = "年月日時分秒円人名回号歳個台件枚条項倍割週点冊通部社番丁%％万億兆千百";
/// Era names that stay on the line of the year after them.
const ERAS: [&str; 5] = ["令和", "平成", "昭和", "大正", "明治"];

const MM_PER_PT: f32 = 25.4 / 72.0;

/// The result of fitting text into a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The size chosen (between min and max).
    pub size_pt: f32,
    /// Lines that fit in the box at that size.
    pub lines: Vec<String>,
    /// Text that did not fit even at the minimum size (empty when all fit).
    pub overflow: String,
}

/// Width of `text` set on one line in `face` at `size_pt`, in mm: the sum of the glyph
/// advances (no kerning). A char the face lacks is measured as its .notdef glyph;
/// `'\n'`/`'\r'` have no width.
pub fn text_width_mm(text: &str, face: Face, size_pt: f32) -> f32 {
    units_to_mm(text_units(text, face), face, size_pt)
}

/// The advance of `text` in `face`'s font units (what [`text_width_mm`] scales): measure
/// once, then [`units_to_mm`] at each size tried.
pub fn text_units(text: &str, face: Face) -> u64 {
    let m = fonts::metrics(face);
    text.chars()
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map(|c| u64::from(m.advance(c)))
        .sum()
}

/// [`text_units`] at a size, in mm (the same arithmetic as [`text_width_mm`]).
pub fn units_to_mm(units: u64, face: Face, size_pt: f32) -> f32 {
    let m = fonts::metrics(face);
    units as f32 / f32::from(m.units_per_em()) * size_pt * MM_PER_PT
}

/// Characters of `text` that `face` cannot draw, each once, in order of first
/// appearance. Line breaks (`'\n'`, `'\r'`) are not reported: they are not drawn.
pub fn missing_glyphs(text: &str, face: Face) -> Vec<char> {
    let m = fonts::metrics(face);
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if matches!(c, '\n' | '\r') || m.has_glyph(c) || out.contains(&c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Breaks `text` into lines no wider than `width_mm` (see the module docs for the
/// rules). Never loops forever, never panics; the line-break newlines are not kept.
pub fn wrap(text: &str, face: Face, size_pt: f32, width_mm: f32) -> Vec<String> {
    wrap_ranges(text, face, size_pt, width_mm)
        .into_iter()
        .map(|(s, e)| text[s..e].to_string())
        .collect()
}

/// Line height in mm for a size and a gap factor (1.0 = no extra leading).
pub fn line_height_mm(size_pt: f32, line_gap: f32) -> f32 {
    size_pt * line_gap * 25.4 / 72.0
}

/// Fits `text` into a `width_mm` × `height_mm` box: tries `max_pt`, then 0.5 pt smaller
/// each step down to `min_pt` (always tried last, even if not on the 0.5 grid), and
/// takes the first size at which all lines fit (lines × `line_height_mm` ≤ height).
///
/// If nothing fits even at `min_pt`, `size_pt` is `min_pt`, `lines` are the lines that
/// fit (at least one, even in a box lower than one line) and `overflow` is the rest of
/// the input **verbatim**, starting at the first char of the first line left out. So
/// `lines.concat() + &overflow` equals `text` minus exactly the line-break newlines
/// that end the kept lines (each such `'\n'`, with a `'\r'` right before it); the
/// newlines inside `overflow` are kept. Nothing else is ever lost (spaces at a wrap
/// stay at the end of their line).
pub fn fit(
    text: &str,
    face: Face,
    max_pt: f32,
    min_pt: f32,
    width_mm: f32,
    height_mm: f32,
    line_gap: f32,
) -> Fit {
    // Sanitize the size range without panicking on odd input.
    let (hi, lo) = match (max_pt.is_finite(), min_pt.is_finite()) {
        (true, true) => (max_pt.max(min_pt), min_pt.min(max_pt)),
        (true, false) => (max_pt, max_pt),
        (false, true) => (min_pt, min_pt),
        (false, false) => (0.0, 0.0),
    };
    const MAX_STEPS: usize = 1000;
    let steps = (((hi - lo) / 0.5).floor() as usize).min(MAX_STEPS);
    let mut sizes: Vec<f32> = (0..=steps).map(|k| hi - 0.5 * k as f32).collect();
    if sizes.last().is_some_and(|s| *s > lo) {
        sizes.push(lo);
    }

    let capacity = |size: f32| -> usize {
        let lh = line_height_mm(size, line_gap);
        let n = (height_mm / lh + 1e-4).floor();
        // NaN → 1; +inf saturates to usize::MAX.
        n.max(1.0) as usize
    };

    // The clusters and their widths (in font units) do not depend on the size: cut and
    // measure them once, then only fill lines at each size, stopping as soon as a size
    // needs more lines than its box holds.
    let prepared = Prepared::new(text, face);
    let mut ranges = Vec::new();
    for &size in &sizes {
        let cap = capacity(size);
        prepared.ranges_into(size, width_mm, cap.saturating_add(1), &mut ranges);
        if ranges.len() <= cap {
            return Fit {
                size_pt: size,
                lines: ranges
                    .iter()
                    .map(|&(s, e)| text[s..e].to_string())
                    .collect(),
                overflow: String::new(),
            };
        }
    }

    let cap_lo = capacity(lo);
    prepared.ranges_into(lo, width_mm, cap_lo.saturating_add(1), &mut ranges);
    let cap = cap_lo.min(ranges.len());
    let lines = ranges[..cap]
        .iter()
        .map(|&(s, e)| text[s..e].to_string())
        .collect();
    let overflow = ranges
        .get(cap)
        .map(|&(s, _)| text[s..].to_string())
        .unwrap_or_default();
    Fit {
        size_pt: lo,
        lines,
        overflow,
    }
}

// The classes below are `match`es on the chars of the strings above (a test checks
// they agree): a `str::contains(char)` scan per char was a tenth of `check`'s time.

fn is_no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '”'
            | '’'
            | 'ー'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'っ'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ッ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | ')'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
    )
}

fn is_no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '“' | '‘' | '('
    )
}

fn is_unit(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '時'
            | '分'
            | '秒'
            | '円'
            | '人'
            | '名'
            | '回'
            | '号'
            | '歳'
            | '個'
            | '台'
            | '件'
            | '枚'
            | '条'
            | '項'
            | '倍'
            | '割'
            | '週'
            | '点'
            | '冊'
            | '通'
            | '部'
            | '社'
            | '番'
            | '丁'
            | '%'
            | '％'
            | '万'
            | '億'
            | '兆'
            | '千'
            | '百'
    )
}

/// か ヶ ケ カ 箇 (of 6か月, 6ヶ月).
fn is_ka(c: char) -> bool {
    matches!(c, 'か' | 'ヶ' | 'ケ' | 'カ' | '箇')
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_digit(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Multipliers inside a number (1万2千円): a digit after them continues the number.
fn is_multiplier(c: char) -> bool {
    matches!(c, '万' | '億' | '兆' | '千' | '百')
}

/// Whether the unit `text[us..ue]` must stay with the cluster `text[..us]` before it
/// because together they are one date or quantity (see the module docs).
fn numeric_glue(text: &str, us: usize, ue: usize) -> bool {
    let before = &text[..us];
    let unit = &text[us..ue];
    let mut back = before.chars().rev();
    let (Some(p1), p2) = (back.next(), back.next()) else {
        return false;
    };
    let first = unit.chars().next().unwrap_or(' ');
    let next = text[ue..].chars().next();
    let starts_number = is_digit(first) || (unit == "元" && next == Some('年'));
    if starts_number {
        // 令和3, 平成元, 第3
        if ERAS.iter().any(|e| before.ends_with(e)) || p1 == '第' {
            return true;
        }
        // 3丁目4, 一丁目2
        if p1 == '目' && p2 == Some('丁') {
            let p3 = before.chars().rev().nth(2);
            return p3.is_some_and(|c| is_digit(c) || is_kanji_digit(c));
        }
        // 3年5, 5月31, 1万2, 1番1
        if matches!(p1, '年' | '月' | '番') || is_multiplier(p1) {
            return p2.is_some_and(|c| is_digit(c) || c == '元');
        }
        return false;
    }
    let number_before = is_digit(p1)
        || (p1 == '元' && first == '年')
        || (is_kanji_digit(p1) && first == '丁' && next == Some('目'));
    // 3年, 31日, 100,000円, 50%, 1万円
    if is_unit(first) && (number_before || (is_multiplier(p1) && p2.is_some_and(is_digit))) {
        return true;
    }
    // 6か月, 6ヶ月
    if is_ka(first) && is_digit(p1) && next == Some('月') {
        return true;
    }
    // 6か月, 3丁目, 一丁目
    (first == '月' && is_ka(p1) && p2.is_some_and(is_digit))
        || (first == '目' && p1 == '丁' && p2.is_some_and(|c| is_digit(c) || is_kanji_digit(c)))
}

fn is_kanji_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn is_word_joiner(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '-' | '/' | ':' | '_' | '@' | '%' | '&' | '+' | '\'' | '#'
    )
}

/// Byte ranges `(start, end)` of the lines of `text`; see [`wrap`].
fn wrap_ranges(text: &str, face: Face, size_pt: f32, width_mm: f32) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    Prepared::new(text, face).ranges_into(size_pt, width_mm, usize::MAX, &mut out);
    out
}

/// A cluster (see the module docs) as a byte range, with its width in font units
/// without its trailing spaces and with them.
struct Cluster {
    start: usize,
    end: usize,
    w_trim: f32,
    w_full: f32,
}

/// A text cut into paragraphs and clusters and measured, once for every size and width
/// it is then wrapped at (none of that depends on them).
struct Prepared<'a> {
    text: &'a str,
    face: Face,
    /// Each paragraph's byte range (no '\n' inside, a "\r\n"'s '\r' left out) and the
    /// range of its clusters in `clusters`.
    paras: Vec<(usize, usize, std::ops::Range<usize>)>,
    clusters: Vec<Cluster>,
}

impl<'a> Prepared<'a> {
    fn new(text: &'a str, face: Face) -> Self {
        let m = fonts::metrics(face);
        let adv = |s: &str| -> f32 { s.chars().map(|c| f32::from(m.advance(c))).sum() };
        let mut paras = Vec::new();
        let mut list = Vec::new();
        let mut start = 0;
        for para in text.split('\n') {
            let para_end = start + para.len();
            // Drop a '\r' of a "\r\n" line ending (only when a '\n' follows).
            let end = if para_end < text.len() && para.ends_with('\r') {
                para_end - 1
            } else {
                para_end
            };
            let first = list.len();
            clusters(text, start, end, |cs, ce| {
                let s = &text[cs..ce];
                let trimmed = s.trim_end_matches(is_space);
                list.push(Cluster {
                    start: cs,
                    end: ce,
                    w_trim: adv(trimmed),
                    w_full: adv(s),
                });
            });
            paras.push((start, end, first..list.len()));
            start = para_end + 1;
        }
        Prepared {
            text,
            face,
            paras,
            clusters: list,
        }
    }

    /// The lines at a size and width into `out` (cleared first), stopping once it holds
    /// `max_lines` lines: those are the first lines of the whole text either way.
    fn ranges_into(
        &self,
        size_pt: f32,
        width_mm: f32,
        max_lines: usize,
        out: &mut Vec<(usize, usize)>,
    ) {
        out.clear();
        let m = fonts::metrics(self.face);
        let upem = f32::from(m.units_per_em());
        // Width limit in font units (exact integer sums avoid float drift).
        let limit = width_mm / (size_pt * MM_PER_PT) * upem;
        let usable = width_mm > 0.0 && limit >= 0.0; // false for NaN too
        let text = self.text;
        for (start, end, cl) in &self.paras {
            let (start, end) = (*start, *end);
            if out.len() >= max_lines {
                return;
            }
            if start >= end {
                out.push((start, start));
                continue;
            }
            if !usable {
                // Zero, negative or NaN width (or a NaN size): one char per line.
                for (i, c) in text[start..end].char_indices() {
                    out.push((start + i, start + i + c.len_utf8()));
                }
                continue;
            }
            let mut line_start = start;
            // Width of the current line, including its trailing spaces.
            let mut line_w: f32 = 0.0;
            let mut line_empty = true;
            for c in &self.clusters[cl.clone()] {
                if out.len() >= max_lines {
                    return;
                }
                let (cs, ce) = (c.start, c.end);
                if !line_empty && line_w + c.w_trim > limit {
                    out.push((line_start, cs));
                    line_start = cs;
                    line_w = 0.0;
                    line_empty = true;
                }
                if line_empty && c.w_trim > limit {
                    // A cluster wider than a whole line: break it between chars, as late
                    // as possible (spaces may hang; every line gets at least one char).
                    for (i, ch) in text[cs..ce].char_indices() {
                        let at = cs + i;
                        let w = f32::from(m.advance(ch));
                        if !is_space(ch) && line_w + w > limit && at > line_start {
                            out.push((line_start, at));
                            line_start = at;
                            line_w = 0.0;
                        }
                        line_w += w;
                    }
                } else {
                    line_w += c.w_full;
                }
                line_empty = false;
            }
            out.push((line_start, end));
        }
    }
}

/// The era name `rest` starts with when a year (a digit or 元) follows it.
fn era_before_year(first: char, rest: &str) -> Option<&'static str> {
    if !matches!(first, '令' | '平' | '昭' | '大' | '明') {
        return None;
    }
    ERAS.iter().copied().find(|e| {
        rest.starts_with(*e)
            && rest[e.len()..]
                .chars()
                .next()
                .is_some_and(|c| is_digit(c) || c == '元')
    })
}

/// Cuts `text[start..end]` (no '\n' inside) into unbreakable clusters, given in order to
/// `emit` as byte ranges.
fn clusters(text: &str, start: usize, end: usize, mut emit: impl FnMut(usize, usize)) {
    // The cluster being built: units join it while they glue to it.
    let mut cur: Option<(usize, usize)> = None;
    let mut pos = start;
    while let Some(first) = text[pos..end].chars().next() {
        // One unit: an ASCII word or number (with inner joiners), an era name before
        // a year, or a single char.
        let unit_start = pos;
        let rest = &text[unit_start..end];
        let mut j = pos + first.len_utf8();
        if let Some(era) = era_before_year(first, rest) {
            j = pos + era.len();
        } else if is_word_char(first) {
            loop {
                let mut it = text[j..end].chars();
                let Some(c) = it.next() else { break };
                if is_word_char(c) {
                    j += c.len_utf8();
                } else if is_word_joiner(c) {
                    match it.next() {
                        Some(n) if is_word_char(n) => j += c.len_utf8() + n.len_utf8(),
                        _ => break,
                    }
                } else {
                    break;
                }
            }
        }
        let unit_end = j;
        let glue = match cur {
            None => false,
            Some((s, e)) => {
                let p = text[s..e].chars().next_back().unwrap_or(' ');
                is_no_line_start(first)
                    || is_space(first)
                    || is_no_line_end(p)
                    || numeric_glue(text, unit_start, unit_end)
            }
        };
        match &mut cur {
            Some(c) if glue => c.1 = unit_end,
            _ => {
                if let Some((s, e)) = cur {
                    emit(s, e);
                }
                cur = Some((unit_start, unit_end));
            }
        }
        pos = unit_end;
    }
    if let Some((s, e)) = cur {
        emit(s, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Face = Face::Mincho;
    /// 10 pt: one em is 3.5278 mm. A 10-em line is 35.28 mm.
    fn em(n: f32) -> f32 {
        n * 10.0 * MM_PER_PT + 0.001
    }

    fn w(text: &str, ems: f32) -> Vec<String> {
        wrap(text, F, 10.0, em(ems))
    }

    #[test]
    fn width_uses_glyph_advances() {
        let one_em = 10.0 * MM_PER_PT;
        assert!((text_width_mm("あいう", F, 10.0) - 3.0 * one_em).abs() < 1e-3);
        // Half-width ASCII is proportional, well under one em.
        let i = text_width_mm("i", F, 10.0);
        let m = text_width_mm("M", F, 10.0);
        assert!(i < m && m < one_em, "i={i} M={m}");
        assert!(text_width_mm("1234", F, 10.0) < 3.0 * one_em);
        assert_eq!(text_width_mm("", F, 10.0), 0.0);
        assert_eq!(text_width_mm("ab\n", F, 10.0), text_width_mm("ab", F, 10.0));
    }

    #[test]
    fn missing_glyph_boxes() {
        assert_eq!(missing_glyphs("☐はい ☑いいえ ☐", F), vec!['☐', '☑']);
        assert_eq!(
            missing_glyphs("申請書 ABC 1,234円\n", Face::Gothic),
            Vec::<char>::new()
        );
    }

    #[test]
    fn char_classes_are_the_listed_chars() {
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            assert_eq!(is_no_line_start(c), NO_LINE_START.contains(c), "{c}");
            assert_eq!(is_no_line_end(c), NO_LINE_END.contains(c), "{c}");
            assert_eq!(is_unit(c), UNITS.contains(c), "{c}");
            assert_eq!(is_multiplier(c), "万億兆千百".contains(c), "{c}");
            assert_eq!(is_kanji_digit(c), "一二三四五六七八九十".contains(c), "{c}");
            assert_eq!(is_ka(c), "かヶケカ箇".contains(c), "{c}");
            let eras_first = ERAS.iter().any(|e| e.starts_with(c));
            assert_eq!(
                matches!(c, '令' | '平' | '昭' | '大' | '明'),
                eras_first,
                "{c}"
            );
        }
    }

    #[test]
    fn plain_wrap_by_width() {
        assert_eq!(
            w("あいうえおかきくけこさし", 5.0),
            ["あいうえお", "かきくけこ", "さし"]
        );
        assert_eq!(w("あいう", 5.0), ["あいう"]);
    }

    #[test]
    fn no_line_start_punctuation_pulls_previous_char_down() {
        // 「。」 would start line 2: 「お」 comes down with it.
        assert_eq!(w("あいうえお。かき", 5.0), ["あいうえ", "お。かき"]);
        for p in "、。，．）」』】〕〉》”’ー・：；？！".chars() {
            let text = format!("あいうえお{p}か");
            let lines = w(&text, 5.0);
            assert_eq!(lines, ["あいうえ".to_string(), format!("お{p}か")], "{p}");
        }
    }

    #[test]
    fn no_line_start_small_kana() {
        for p in "ゃゅょっぁぃぅぇぉャュョッァィゥェォ".chars() {
            let text = format!("あいうえき{p}か");
            let lines = w(&text, 5.0);
            assert_eq!(lines, ["あいうえ".to_string(), format!("き{p}か")], "{p}");
        }
    }

    #[test]
    fn no_line_start_ascii_punctuation() {
        for p in "),.:;!?".chars() {
            let text = format!("あいうえお{p}か");
            let lines = w(&text, 5.0);
            assert_eq!(lines[0], "あいうえ", "{p}");
            assert!(lines[1].starts_with(&format!("お{p}")), "{p}: {lines:?}");
        }
    }

    #[test]
    fn chained_closers_all_move_together() {
        // 」。 both may not start a line: 「お」。」 moves as one.
        assert_eq!(w("あいうえお」。か", 5.0), ["あいうえ", "お」。か"]);
    }

    #[test]
    fn no_line_end_openers_go_down() {
        for p in "（「『【〔〈《“‘(".chars() {
            let text = format!("あいうえ{p}かき");
            let lines = w(&text, 5.0);
            assert_eq!(lines, ["あいうえ".to_string(), format!("{p}かき")], "{p}");
        }
    }

    #[test]
    fn brackets_around_a_word() {
        let lines = w("あいう「かきく」です。", 5.0);
        for l in &lines {
            let first = l.chars().next().unwrap();
            let last = l.chars().last().unwrap();
            assert!(!is_no_line_start(first), "{lines:?}");
            assert!(!is_no_line_end(last), "{lines:?}");
        }
        assert_eq!(lines.concat(), "あいう「かきく」です。");
    }

    #[test]
    fn ascii_words_stay_together() {
        let lines = wrap(
            "申請者 Taro Yamada 様",
            F,
            10.0,
            text_width_mm("申請者 Taro Ya", F, 10.0),
        );
        assert_eq!(lines, ["申請者 Taro ", "Yamada 様"]);
        // Numbers with separators are one word.
        let lines = wrap(
            "合計金額1,234,567円",
            F,
            10.0,
            text_width_mm("合計金額1,234", F, 10.0),
        );
        assert_eq!(lines, ["合計金額", "1,234,567円"]);
        let lines = wrap(
            "電話03-1234-5678",
            F,
            10.0,
            text_width_mm("03-1234-5678", F, 10.0) + 0.5,
        );
        assert_eq!(lines, ["電話", "03-1234-5678"]);
    }

    /// No line ends inside `whole` when `whole` fits on a line.
    fn kept_whole(text: &str, whole: &str, width: f32) -> Vec<String> {
        let lines = wrap(text, F, 10.0, width);
        assert_eq!(lines.concat(), text);
        assert!(
            lines.iter().any(|l| l.contains(whole)),
            "{whole:?} split: {lines:?}"
        );
        lines
    }

    #[test]
    fn dates_and_numbers_with_units_are_never_split() {
        // The checklist used to print 「令和3年5月／31日」: try every width from a bit
        // more than the date to the whole sentence, so every break position is tried.
        let text = "提出期限は令和3年5月31日（月）までです。";
        let date = "令和3年5月31日";
        let min = text_width_mm(date, F, 10.0) + 0.01;
        let max = text_width_mm(text, F, 10.0);
        let mut width = min;
        let mut widths = 0;
        while width < max {
            kept_whole(text, date, width);
            width += 0.5;
            widths += 1;
        }
        assert!(widths > 20);
        // Where it used to break (after 「5月」), the whole date moves down.
        let lines = wrap(
            text,
            F,
            10.0,
            text_width_mm("提出期限は令和3年5月3", F, 10.0),
        );
        assert_eq!(lines[0], "提出期限は");
        assert!(lines[1].starts_with("令和3年5月31日"), "{lines:?}");

        for (text, whole) in [
            ("助成金の額は合計で100,000円となります", "100,000円"),
            ("対象労働者は全部で40人です", "40人"),
            ("補助率は50%です", "50%"),
            ("機器は1万2千円まで", "1万2千円"),
            ("期間は6か月です", "6か月"),
            ("契約は平成元年4月1日から", "平成元年4月1日"),
            ("全角の令和３年５月３１日も", "令和３年５月３１日"),
            ("様式第3号を添付", "第3号"),
            ("所在地は木月住吉町1番1号です", "1番1号"),
            ("所在地は霞が関一丁目2番3号", "一丁目2番3号"),
            ("所在地は本町3丁目4番5号", "3丁目4番5号"),
        ] {
            let min = text_width_mm(whole, F, 10.0) + 0.01;
            let max = text_width_mm(text, F, 10.0);
            let mut width = min;
            while width < max {
                kept_whole(text, whole, width);
                width += 0.7;
            }
        }
        // Only numbers bind: plain kana and kanji still break anywhere.
        assert_eq!(w("今年は年月をかけた", 4.0), ["今年は年", "月をかけ", "た"]);
    }

    #[test]
    fn word_wider_than_line_is_broken_inside() {
        let word = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let width = text_width_mm("ABCDEFGHIJ", F, 10.0);
        let lines = wrap(word, F, 10.0, width);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.concat(), word);
        for l in &lines {
            assert!(text_width_mm(l, F, 10.0) <= width + 1e-3, "{l}");
        }
    }

    #[test]
    fn spaces_stay_at_line_end_and_do_not_count() {
        let lines = wrap("abc def", F, 10.0, text_width_mm("abc", F, 10.0));
        assert_eq!(lines, ["abc ", "def"]);
    }

    #[test]
    fn explicit_newlines() {
        assert_eq!(w("あい\nう", 5.0), ["あい", "う"]);
        assert_eq!(w("あい\r\nう", 5.0), ["あい", "う"]);
        assert_eq!(w("あ\n\nい\n", 5.0), ["あ", "", "い", ""]);
        assert_eq!(w("", 5.0), [""]);
    }

    #[test]
    fn degenerate_widths_one_char_per_line() {
        for width in [0.0, -5.0, f32::NAN] {
            assert_eq!(wrap("あいう", F, 10.0, width), ["あ", "い", "う"]);
        }
        assert_eq!(wrap("あい\nう", F, 10.0, 0.0), ["あ", "い", "う"]);
        // Narrower than one glyph: still one char per line, no hang.
        assert_eq!(wrap("あいう", F, 10.0, 1.0), ["あ", "い", "う"]);
        assert_eq!(wrap("あい", F, f32::NAN, 10.0), ["あ", "い"]);
        assert_eq!(wrap("あい", F, 0.0, 10.0), ["あい"]);
        let long = "ーーーーーーーーーー";
        assert_eq!(w(long, 3.0).concat(), long);
    }

    #[test]
    fn fit_keeps_max_when_it_fits() {
        let f = fit("あいう", F, 12.0, 8.0, 50.0, 10.0, 1.2);
        assert_eq!(f.size_pt, 12.0);
        assert_eq!(f.lines, ["あいう"]);
        assert_eq!(f.overflow, "");
    }

    #[test]
    fn fit_shrinks_in_half_points() {
        // 10 ems at 12 pt need 42.3 mm; one line of 35 mm fits 10 ems at ≤ 9.9 pt.
        let text = "あいうえおかきくけこ";
        let f = fit(text, F, 12.0, 6.0, 35.0, 5.0, 1.0);
        assert_eq!(f.size_pt, 9.5);
        assert_eq!(f.lines, [text]);
        assert!(f.overflow.is_empty());
    }

    #[test]
    fn fit_overflow_is_exactly_the_rest() {
        let text = "第一行です。\n二行目はとても長い文章で、箱に入りきりません。三行目。\n最後";
        let f = fit(text, F, 10.0, 9.0, em(8.0), em(2.0) * 1.0, 1.0);
        assert_eq!(f.size_pt, 9.0);
        assert!(!f.overflow.is_empty());
        assert!(f.lines.len() >= 2);
        assert_eq!(f.lines[0], "第一行です。");
        // Reconstruction: only the newlines ending kept lines are lost.
        let rebuilt = f.lines.concat() + &f.overflow;
        assert_eq!(rebuilt, text.replacen('\n', "", 1));
        assert!(text.ends_with(&f.overflow));
    }

    #[test]
    fn fit_overflow_at_newline_boundary() {
        let text = "あ\nい\nう";
        let f = fit(text, F, 10.0, 10.0, 50.0, em(2.0), 1.0);
        assert_eq!(f.lines, ["あ", "い"]);
        assert_eq!(f.overflow, "う");
    }

    #[test]
    fn fit_odd_input_never_panics() {
        let _ = fit("あいう", F, f32::NAN, f32::NAN, 0.0, 0.0, 0.0);
        let _ = fit("あいう", F, 8.0, 12.0, 10.0, 10.0, 1.2);
        let _ = fit("あいう", F, 1e9, 0.0, 10.0, -1.0, 1.2);
        let f = fit("", F, 10.0, 8.0, 10.0, 10.0, 1.2);
        assert_eq!(f.lines, [""]);
        // min not on the 0.5 grid is still tried.
        let f = fit(
            "あいうえおかきくけこ",
            F,
            10.0,
            9.7,
            em(10.0) * 0.98,
            3.0,
            1.0,
        );
        assert_eq!(f.size_pt, 9.7);
    }
}
