//! A small flow-text renderer for text documents (別紙, checklists): a line-based
//! markup laid out on A4 pages with margins and page numbers.
//!
//! Markup, one construct per line:
//! - `# ` heading (Gothic, larger), `## ` subheading (Gothic)
//! - `- ` bullet, `[ ] ` / `[x] ` check item (box drawn with lines, ticked when x)
//! - `\` literal paragraph (the rest of the line, never read as markup)
//! - blank line: paragraph gap; any other line: a paragraph.

use super::render::{check_box, ASCENT, PT_MM};
use super::types::FormError;
use crate::page::{Face, Item, Page, A4_HEIGHT_MM, A4_WIDTH_MM};
use crate::textfit;

const LEFT: f32 = 20.0;
const RIGHT: f32 = 20.0;
const TOP: f32 = 22.0;
const BOTTOM: f32 = 22.0;
const BODY_PT: f32 = 10.5;
const H1_PT: f32 = 14.0;
const H2_PT: f32 = 11.5;
const GAP: f32 = 1.6;
const INDENT: f32 = 6.0;

#[derive(Debug, PartialEq)]
enum Block<'a> {
    H1(&'a str),
    H2(&'a str),
    Bullet(&'a str),
    Check(bool, &'a str),
    Para(&'a str),
    Gap,
}

fn parse_line(line: &str) -> Block<'_> {
    let line = line.trim_end_matches('\r');
    if let Some(rest) = line.strip_prefix('\\') {
        Block::Para(rest)
    } else if let Some(rest) = line.strip_prefix("# ") {
        Block::H1(rest.trim())
    } else if let Some(rest) = line.strip_prefix("## ") {
        Block::H2(rest.trim())
    } else if let Some(rest) = line.strip_prefix("- ") {
        Block::Bullet(rest.trim())
    } else if let Some(rest) = line.strip_prefix("[ ] ") {
        Block::Check(false, rest.trim())
    } else if let Some(rest) = line
        .strip_prefix("[x] ")
        .or_else(|| line.strip_prefix("[X] "))
    {
        Block::Check(true, rest.trim())
    } else if line.trim().is_empty() {
        Block::Gap
    } else {
        Block::Para(line)
    }
}

/// minijinja filter: marks every non-empty line of a value as a literal paragraph, so
/// user text starting with `# ` or `- ` is never read as markup.
pub fn literal_filter(s: String) -> String {
    s.lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("\\{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

struct Flow<'a> {
    title: &'a str,
    pages: Vec<Page>,
    /// Top of the free space on the current page.
    y: f32,
}

impl Flow<'_> {
    fn bottom() -> f32 {
        A4_HEIGHT_MM - BOTTOM
    }

    fn new_page(&mut self) {
        self.pages.push(Page::a4());
        self.y = TOP;
    }

    fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || (self.y + h > Self::bottom() && self.y > TOP + 0.01) {
            self.new_page();
        }
    }

    fn items(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last].items
    }

    fn check(&self, text: &str, face: Face) -> Result<(), FormError> {
        if let Some(ch) = textfit::missing_glyphs(text, face).first() {
            return Err(FormError::Document {
                title: self.title.to_string(),
                message: format!("使えない文字があります: {ch}（U+{:04X}）", *ch as u32),
            });
        }
        Ok(())
    }

    /// Wraps `text` at `x` (width to the right margin) and returns the first baseline.
    fn paragraph(
        &mut self,
        text: &str,
        face: Face,
        size: f32,
        x: f32,
    ) -> Result<Option<f32>, FormError> {
        self.check(text, face)?;
        let width = A4_WIDTH_MM - RIGHT - x;
        let lh = textfit::line_height_mm(size, GAP);
        let s = size * PT_MM;
        let mut first = None;
        for line in textfit::wrap(text, face, size, width) {
            self.ensure(lh);
            let base = self.y + (lh - s) / 2.0 + ASCENT * s;
            first.get_or_insert(base);
            self.items().push(Item::Text {
                x_mm: x,
                y_mm: base,
                size_pt: size,
                face,
                text: line,
            });
            self.y += lh;
        }
        Ok(first)
    }
}

/// What [`flow_pages`] would fail with, without laying anything out: its only errors are
/// chars a face cannot draw, found in the same order (the title, then each line in its
/// face). `check` asks this of every document a packet would print.
pub fn flow_check(title: &str, text: &str) -> Result<(), FormError> {
    let f = Flow {
        title,
        pages: Vec::new(),
        y: TOP,
    };
    f.check(title, Face::Mincho)?;
    for line in text.lines() {
        match parse_line(line) {
            Block::Gap => {}
            Block::H1(t) | Block::H2(t) => f.check(t, Face::Gothic)?,
            Block::Para(t) | Block::Bullet(t) | Block::Check(_, t) => f.check(t, Face::Mincho)?,
        }
    }
    Ok(())
}

/// Lays out flow markup (see the module docs) on A4 pages; `title` is repeated as a
/// small running head and every page gets 「n / N」 at the bottom.
pub fn flow_pages(title: &str, text: &str) -> Result<Vec<Page>, FormError> {
    let mut f = Flow {
        title,
        pages: Vec::new(),
        y: TOP,
    };
    f.check(title, Face::Mincho)?;
    f.new_page();
    let body_lh = textfit::line_height_mm(BODY_PT, GAP);
    for line in text.lines() {
        match parse_line(line) {
            Block::Gap => f.y += body_lh * 0.5,
            Block::H1(t) => {
                f.ensure(textfit::line_height_mm(H1_PT, GAP) + body_lh);
                f.paragraph(t, Face::Gothic, H1_PT, LEFT)?;
                f.y += 2.0;
            }
            Block::H2(t) => {
                f.ensure(textfit::line_height_mm(H2_PT, GAP) + body_lh);
                f.y += 1.5;
                f.paragraph(t, Face::Gothic, H2_PT, LEFT)?;
            }
            Block::Para(t) => {
                f.paragraph(t, Face::Mincho, BODY_PT, LEFT)?;
            }
            Block::Bullet(t) => {
                f.ensure(body_lh);
                let start = f.pages.len();
                if let Some(base) = f.paragraph(t, Face::Mincho, BODY_PT, LEFT + INDENT)? {
                    // The bullet goes on the page of the first line.
                    let bullet = Item::Text {
                        x_mm: LEFT + 1.0,
                        y_mm: base,
                        size_pt: BODY_PT,
                        face: Face::Mincho,
                        text: "・".into(),
                    };
                    f.pages[start - 1].items.push(bullet);
                }
            }
            Block::Check(on, t) => {
                f.ensure(body_lh);
                let start = f.pages.len();
                if let Some(base) = f.paragraph(t, Face::Mincho, BODY_PT, LEFT + INDENT)? {
                    let side = 3.6;
                    let top = base - ASCENT * BODY_PT * PT_MM + (BODY_PT * PT_MM - side) / 2.0;
                    f.pages[start - 1]
                        .items
                        .extend(check_box(LEFT + 0.5, top, side, on));
                }
            }
        }
    }
    let total = f.pages.len();
    for (i, page) in f.pages.iter_mut().enumerate() {
        let num = format!("{} / {}", i + 1, total);
        let w = textfit::text_width_mm(&num, Face::Mincho, 9.0);
        page.items.push(Item::Text {
            x_mm: (A4_WIDTH_MM - w) / 2.0,
            y_mm: A4_HEIGHT_MM - 12.0,
            size_pt: 9.0,
            face: Face::Mincho,
            text: num,
        });
        let head_w = A4_WIDTH_MM - LEFT - RIGHT;
        let mut size = 8.0;
        while size > 5.0 && textfit::text_width_mm(title, Face::Mincho, size) > head_w {
            size -= 0.5;
        }
        let tw = textfit::text_width_mm(title, Face::Mincho, size);
        page.items.push(Item::Text {
            x_mm: A4_WIDTH_MM - RIGHT - tw.min(head_w),
            y_mm: 12.0,
            size_pt: size,
            face: Face::Mincho,
            text: title.to_string(),
        });
    }
    Ok(f.pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_check_fails_exactly_where_flow_pages_does() {
        for (title, text) in [
            ("題", "# 見出し\n本文\n- 項目"),
            ("題☐", "本文"),
            ("題", "# 見☐出し\n本文☑"),
            ("題", "## 小☑\n- 項☐目"),
            ("題", "[x] 済☐\n\\# 文字"),
            ("題", "本文\n\n[ ] 未"),
        ] {
            assert_eq!(
                flow_check(title, text),
                flow_pages(title, text).map(|_| ()),
                "{title} {text}"
            );
        }
    }

    #[test]
    fn markup_lines_parse() {
        assert_eq!(parse_line("# 見出し"), Block::H1("見出し"));
        assert_eq!(parse_line("## 小見出し"), Block::H2("小見出し"));
        assert_eq!(parse_line("- 項目"), Block::Bullet("項目"));
        assert_eq!(parse_line("[ ] 未"), Block::Check(false, "未"));
        assert_eq!(parse_line("[x] 済"), Block::Check(true, "済"));
        assert_eq!(parse_line("\\# 文字どおり"), Block::Para("# 文字どおり"));
        assert_eq!(parse_line("   "), Block::Gap);
        assert_eq!(parse_line("本文"), Block::Para("本文"));
    }

    #[test]
    fn literal_filter_escapes_each_line() {
        assert_eq!(literal_filter("# a\n\n- b".into()), "\\# a\n\n\\- b");
    }

    fn ticks(p: &Page) -> usize {
        p.items
            .iter()
            .filter(|i| matches!(i, Item::Line { .. }))
            .count()
    }

    #[test]
    fn check_items_tick_only_when_x() {
        let pages = flow_pages("t", "[ ] 未提出").unwrap();
        assert_eq!(ticks(&pages[0]), 0);
        assert_eq!(
            pages[0]
                .items
                .iter()
                .filter(|i| matches!(i, Item::Rect { .. }))
                .count(),
            1
        );
        let pages = flow_pages("t", "[x] 提出済").unwrap();
        assert_eq!(ticks(&pages[0]), 2);
    }

    #[test]
    fn long_text_continues_on_new_pages_within_margins() {
        let text: String = (0..80)
            .map(|i| format!("- 項目{i}：{}\n", "長い説明文".repeat(12)))
            .collect();
        let pages = flow_pages("チェックリスト", &text).unwrap();
        assert!(pages.len() >= 3, "{}", pages.len());
        for (i, p) in pages.iter().enumerate() {
            let want = format!("{} / {}", i + 1, pages.len());
            assert!(p
                .items
                .iter()
                .any(|it| matches!(it, Item::Text { text, .. } if *text == want)));
            for it in &p.items {
                if let Item::Text {
                    x_mm,
                    y_mm,
                    size_pt,
                    face,
                    text,
                } = it
                {
                    let w = textfit::text_width_mm(text, *face, *size_pt);
                    assert!(
                        *x_mm >= LEFT - 0.01 && x_mm + w <= A4_WIDTH_MM - RIGHT + 0.01,
                        "{text}"
                    );
                    assert!(*y_mm > 5.0 && *y_mm < A4_HEIGHT_MM - 5.0);
                    if !text.contains(" / ") && !text.starts_with("チェック") {
                        assert!(*y_mm <= A4_HEIGHT_MM - BOTTOM + 0.01, "{text} at {y_mm}");
                    }
                }
            }
        }
    }
}
