//! The interview's terminal widgets: a choice and a line of text.
//!
//! Written here rather than taken from dialoguer because the interview must fit an
//! 80-column terminal with Japanese text: every line these widgets redraw is cut to the
//! width (in display columns, a kanji counting two), so no redrawn line ever wraps and a
//! redraw erases exactly the rows it drew. Text printed once (a question's intro, why it is
//! asked) is wrapped by [`Screen::say`] instead. A typed answer may wrap: its rows are
//! counted from its display width.
//!
//! Keys: ↑↓ (or j/k, Tab) move, Enter chooses, Backspace erases, Esc or Ctrl-D saves and
//! quits (the widget returns `None`), Ctrl-C interrupts (the caller writes nothing).

use dialoguer::console::{measure_text_width, style, truncate_str, Key, Term};
use std::io;

/// The widest line the interview prints: the terminal's width, at most 80 columns, less one
/// (a line that fills the last column makes some terminals wrap early).
const MAX_COLUMNS: usize = 80;

/// Ctrl-D (end of input): save and quit, as Esc.
const QUIT_KEY: char = '\u{4}';
/// What the question's line shows after Esc / Ctrl-D.
const QUIT_SHOWN: &str = "（保存してやめる）";

/// What the question's line shows after an empty answer.
const EMPTY_SHOWN: &str = "わからない";

/// What [`Screen::multi`] took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Multi {
    /// The ticked items' indices, in order.
    Items(Vec<usize>),
    /// One of the actions below the items.
    Action(usize),
}

/// The interview's terminal (standard error).
pub struct Screen {
    term: Term,
}

impl Default for Screen {
    fn default() -> Self {
        Screen::new()
    }
}

impl Screen {
    pub fn new() -> Screen {
        Screen {
            term: Term::stderr(),
        }
    }

    /// The terminal's real width (where it wraps).
    fn columns(&self) -> usize {
        usize::from(self.term.size().1).max(20)
    }

    /// The width the interview's lines fit in.
    pub fn width(&self) -> usize {
        self.columns().min(MAX_COLUMNS) - 1
    }

    fn line(&self, s: &str) -> String {
        truncate_str(s, self.width(), "…").into_owned()
    }

    /// Prints text wrapped to the width; a wrapped line's continuation is indented under its
    /// first word after the leading spaces (「  なぜ: 」 → 8 columns).
    pub fn say(&self, text: &str) {
        let mut out = String::new();
        for l in text.split('\n') {
            for row in wrap(l, self.width()) {
                out.push_str(&row);
                out.push('\n');
            }
        }
        // A closed terminal shows at the next prompt, which then ends the interview.
        let _ = self.term.write_str(&out);
        let _ = self.term.flush();
    }

    /// One of `items`; `default` is where the cursor starts (none: the owner must move it
    /// before Enter chooses). Returns the index chosen, or `None` for Esc or Ctrl-D (save and quit).
    pub fn select(
        &self,
        prompt: &str,
        items: &[String],
        default: Option<usize>,
    ) -> io::Result<Option<usize>> {
        let mut sel = default.filter(|i| *i < items.len());
        let mut hint = false;
        let mut offset = 0;
        let _ = self.term.hide_cursor();
        let result = loop {
            let rows = self.visible_rows(items.len());
            offset = window(sel.unwrap_or(0), offset, rows, items.len());
            let mut lines = vec![format!(
                "{} {} ›",
                style("?").yellow().bold(),
                self.prompt_text(prompt)
            )];
            for (i, item) in items.iter().enumerate().skip(offset).take(rows) {
                let mark = if sel == Some(i) {
                    style("❯").cyan().to_string()
                } else {
                    " ".into()
                };
                let text = self.line(&format!("  {item}"));
                let text = text.strip_prefix("  ").unwrap_or(&text).to_string();
                lines.push(if sel == Some(i) {
                    format!("{mark} {}", style(text).cyan())
                } else {
                    format!("{mark} {text}")
                });
            }
            if rows < items.len() {
                lines.push(format!(
                    "  （{}～{} / {}件。↑↓で続きを表示）",
                    offset + 1,
                    offset + rows,
                    items.len()
                ));
            }
            if hint {
                lines.push(format!(
                    "  {}",
                    style("↑↓ で選んでから Enter を押してください。").red()
                ));
            }
            self.draw(&lines)?;
            let key = self.term.read_key();
            self.term.clear_last_lines(lines.len())?;
            match key? {
                Key::ArrowDown | Key::Tab | Key::Char('j') => {
                    sel = Some(sel.map_or(0, |i| (i + 1) % items.len()));
                }
                Key::ArrowUp | Key::BackTab | Key::Char('k') => {
                    sel =
                        Some(sel.map_or(items.len() - 1, |i| (i + items.len() - 1) % items.len()));
                }
                Key::Home | Key::PageUp => sel = Some(0),
                Key::End | Key::PageDown => sel = Some(items.len() - 1),
                Key::Enter | Key::Char(' ') => match sel {
                    Some(i) => break Some(i),
                    None => hint = true,
                },
                Key::Escape | Key::Char(QUIT_KEY) => break None,
                _ => {}
            }
        };
        let _ = self.term.show_cursor();
        match result {
            Some(i) => self.done(prompt, &items[i])?,
            None => self.done(prompt, QUIT_SHOWN)?,
        }
        Ok(result)
    }

    /// Any of `items` (ticked with Space), or one of `actions` below them (「わからない」,
    /// 「保存してやめる」). Enter on an item takes the ticked items (at least one); Enter on an
    /// action takes it. Returns [`Multi::Items`] (indices, in order) or [`Multi::Action`], or
    /// `None` for Esc / Ctrl-D (save and quit). Nothing starts ticked.
    pub fn multi(
        &self,
        prompt: &str,
        items: &[String],
        actions: &[String],
    ) -> io::Result<Option<Multi>> {
        let n = items.len() + actions.len();
        let mut ticked = vec![false; items.len()];
        let mut sel: Option<usize> = None;
        let mut hint = false;
        let mut offset = 0;
        let _ = self.term.hide_cursor();
        let result = loop {
            let rows = self.visible_rows(n);
            offset = window(sel.unwrap_or(0), offset, rows, n);
            let mut lines = vec![format!(
                "{} {} ›",
                style("?").yellow().bold(),
                self.prompt_text(prompt)
            )];
            for i in (0..n).skip(offset).take(rows) {
                let text = if i < items.len() {
                    let mark = if ticked[i] { "[x]" } else { "[ ]" };
                    self.line(&format!("  {mark} {}", items[i]))
                } else {
                    self.line(&format!("  {}", actions[i - items.len()]))
                };
                let text = text.strip_prefix("  ").unwrap_or(&text).to_string();
                lines.push(if sel == Some(i) {
                    format!("{} {}", style("❯").cyan(), style(text).cyan())
                } else {
                    format!("  {text}")
                });
            }
            if rows < n {
                lines.push(format!(
                    "  （{}～{} / {}件。↑↓で続きを表示）",
                    offset + 1,
                    offset + rows,
                    n
                ));
            }
            lines.push(format!(
                "  {}",
                if hint {
                    style("Space で選んでから Enter を押してください（いくつでも）。")
                        .red()
                        .to_string()
                } else {
                    "Space で選ぶ・外す、Enter で決定（いくつでも）".to_string()
                }
            ));
            self.draw(&lines)?;
            let key = self.term.read_key();
            self.term.clear_last_lines(lines.len())?;
            match key? {
                Key::ArrowDown | Key::Tab | Key::Char('j') => {
                    sel = Some(sel.map_or(0, |i| (i + 1) % n));
                }
                Key::ArrowUp | Key::BackTab | Key::Char('k') => {
                    sel = Some(sel.map_or(n - 1, |i| (i + n - 1) % n));
                }
                Key::Home | Key::PageUp => sel = Some(0),
                Key::End | Key::PageDown => sel = Some(n - 1),
                Key::Char(' ') => match sel {
                    Some(i) if i < items.len() => {
                        ticked[i] = !ticked[i];
                        hint = false;
                    }
                    _ => hint = true,
                },
                Key::Enter => match sel {
                    Some(i) if i >= items.len() => break Some(Multi::Action(i - items.len())),
                    _ if ticked.iter().any(|t| *t) => {
                        break Some(Multi::Items(
                            (0..items.len()).filter(|i| ticked[*i]).collect(),
                        ))
                    }
                    _ => hint = true,
                },
                Key::Escape | Key::Char(QUIT_KEY) => break None,
                _ => {}
            }
        };
        let _ = self.term.show_cursor();
        match &result {
            Some(Multi::Items(list)) => {
                let shown: Vec<String> = list
                    .iter()
                    .map(|i| {
                        items[*i]
                            .split_once(' ')
                            .map(|(n, _)| n.to_string())
                            .unwrap_or_else(|| items[*i].clone())
                    })
                    .collect();
                self.done(prompt, &shown.join(", "))?
            }
            Some(Multi::Action(a)) => self.done(prompt, &actions[*a])?,
            None => self.done(prompt, QUIT_SHOWN)?,
        }
        Ok(result)
    }

    /// A line of text, starting from `initial`; `check` says why an answer cannot be taken
    /// (shown above it, and the answer is offered again to correct). `None` for Esc /
    /// Ctrl-D (save and quit).
    pub fn input(
        &self,
        prompt: &str,
        initial: &str,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> io::Result<Option<String>> {
        let mut text = initial.to_string();
        loop {
            let head = format!(
                "{} {} › ",
                style("?").yellow().bold(),
                self.prompt_text(prompt)
            );
            let mut drawn = 0;
            loop {
                if drawn > 0 {
                    self.erase_rows(drawn)?;
                }
                let shown = format!("{head}{text}");
                self.term.write_str(&shown)?;
                self.term.flush()?;
                drawn = self.rows_of(&shown);
                match self.term.read_key()? {
                    Key::Enter => break,
                    Key::Escape | Key::Char(QUIT_KEY) => {
                        self.erase_rows(drawn)?;
                        self.done(prompt, QUIT_SHOWN)?;
                        return Ok(None);
                    }
                    Key::Backspace => {
                        text.pop();
                    }
                    // Ctrl-U: erase the line.
                    Key::Char('\u{15}') => text.clear(),
                    Key::Char(c) if !c.is_control() => text.push(c),
                    _ => {}
                }
            }
            self.erase_rows(drawn)?;
            match check(text.trim()) {
                Ok(()) => {
                    let shown = if text.trim().is_empty() {
                        EMPTY_SHOWN
                    } else {
                        text.trim()
                    };
                    self.done(prompt, shown)?;
                    return Ok(Some(text));
                }
                // Said above the question, which is asked again with the answer to correct
                // (one `?` line on the screen).
                Err(e) => self.say(&format!("  {} 「{}」: {e}", style("✘").red(), text.trim())),
            }
        }
    }

    /// The prompt, cut so that 「? … › 」 and a short answer fit.
    fn prompt_text(&self, prompt: &str) -> String {
        truncate_str(prompt, self.width().saturating_sub(8), "…").into_owned()
    }

    fn fit(&self, line: String) -> String {
        if measure_text_width(&line) > self.width() {
            truncate_str(&line, self.width(), "…").into_owned()
        } else {
            line
        }
    }

    /// Rows a list may use: the terminal's height less room for the lines above.
    fn visible_rows(&self, n: usize) -> usize {
        let height = usize::from(self.term.size().0).max(10);
        n.min((height - 6).clamp(5, 15))
    }

    fn draw(&self, lines: &[String]) -> io::Result<()> {
        let mut out = String::new();
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
        self.term.write_str(&out)?;
        self.term.flush()
    }

    /// The rows a line of this text takes on the terminal (it wraps at the real width).
    fn rows_of(&self, s: &str) -> usize {
        let w = measure_text_width(s);
        w.div_ceil(self.columns()).max(1)
    }

    /// Erases the rows of the line being typed (the cursor is on its last row).
    fn erase_rows(&self, rows: usize) -> io::Result<()> {
        if rows > 1 {
            self.term.move_cursor_up(rows - 1)?;
        }
        self.term.write_str("\r\x1b[J")
    }

    /// The answer, in one line under the question: 「✔ 問い · 答え」.
    fn done(&self, prompt: &str, answer: &str) -> io::Result<()> {
        // The answer shown whole where it fits: the prompt is cut first.
        let room = self
            .width()
            .saturating_sub(measure_text_width(answer) + 5)
            .max(12);
        let line = format!(
            "{} {} · {answer}",
            style("✔").green(),
            truncate_str(prompt, room, "…")
        );
        self.term.write_line(&self.fit(line))?;
        self.term.flush()
    }
}

/// The first row of a window of `rows` over `n` items that shows `cur`, moving from `offset`.
fn window(cur: usize, offset: usize, rows: usize, n: usize) -> usize {
    if rows >= n {
        0
    } else if cur < offset {
        cur
    } else if cur >= offset + rows {
        cur + 1 - rows
    } else {
        offset
    }
}

/// Characters that do not begin a line (行頭禁則).
fn no_break_before(c: char) -> bool {
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
            | '・'
            | 'ー'
            | '…'
            | ')'
            | ','
            | '.'
            | ':'
            | '：'
    )
}

/// A character of a word not to be split (ASCII letters, digits and the punctuation of
/// file names and options).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '<' | '>')
}

/// Wraps one line to `width` display columns. Continuation rows are indented to the end of
/// the line's label (「  なぜ: 」, 「  → 」), or by 2 more than its leading spaces.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    if measure_text_width(line) <= width {
        return vec![line.to_string()];
    }
    let lead = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[lead..];
    let label = ["なぜ: ", "→ ", "確認すること: ", "- ", "・", "● "]
        .iter()
        .find(|p| rest.starts_with(**p))
        .map(|p| measure_text_width(p))
        .unwrap_or(2);
    let indent = (lead + label).min(width / 2);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut w = 0;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let cw = measure_text_width(c.encode_utf8(&mut [0; 4]));
        let limit = width;
        if w + cw > limit && !row.trim().is_empty() {
            // Carry a character that may not start a row back with the one before it, and a
            // word of Latin letters (a file name, a command) whole to the next row.
            let mut carry = String::new();
            let word: String = row.chars().rev().take_while(|x| is_word(*x)).collect();
            if is_word(c) && !word.is_empty() && measure_text_width(&word) < width / 3 {
                for _ in 0..word.chars().count() {
                    row.pop();
                }
                carry = word.chars().rev().collect();
            } else if no_break_before(c) {
                // As many as needed: 「…いる。」」 carries 「る。」 so that no row starts
                // with 「。」 or 「」」.
                while let Some(last) = row.pop() {
                    carry.insert(0, last);
                    if !no_break_before(last) || row.trim().is_empty() {
                        break;
                    }
                }
            }
            rows.push(row.trim_end().to_string());
            row = " ".repeat(indent);
            row.push_str(&carry);
            w = indent + measure_text_width(&carry);
            if c == ' ' {
                i += 1;
                continue;
            }
        }
        row.push(c);
        w += cw;
        i += 1;
    }
    if !row.trim().is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_rows_fit_and_keep_every_character() {
        let line = "  なぜ: [SC-E1] 小規模事業場（常時50人未満の労働者） — 手引「常時 50 人未満の労働者を使用する事業場をいう。なお、常時使用する労働者には、派遣労働者も含む。」";
        let rows = wrap(line, 79);
        assert!(rows.len() >= 2, "{rows:?}");
        for r in &rows {
            assert!(
                measure_text_width(r) <= 79,
                "{r:?} is {} wide",
                measure_text_width(r)
            );
        }
        assert!(rows[1].starts_with("        "), "{rows:?}");
        let joined: String = rows.iter().map(|r| r.trim()).collect();
        let original: String = line.split_whitespace().collect::<Vec<_>>().join("");
        assert_eq!(joined.replace(' ', ""), original.replace(' ', ""));
        let rows = wrap("  なぜ: [SC-D1] 様式第2号 1 労働保険料の滞納 — 手引「支給申請日の属する年度の前年度より前のいずれかの保険年度における労働保険料の滞納が継続している。」", 79);
        assert!(
            !no_break_before(rows[2].trim_start().chars().next().unwrap()),
            "{rows:?}"
        );
        // No row starts with a closing bracket or a comma.
        for r in &rows[1..] {
            let first = r.trim_start().chars().next().unwrap();
            assert!(!no_break_before(first), "{r:?}");
        }
    }

    #[test]
    fn a_file_name_is_not_split() {
        let line = "どの質問でも Esc で、そこまでの答えを書いてやめられます。続きは johas-claim new --resume claim.toml で答えられます。";
        for w in 30..80 {
            let rows = wrap(line, w);
            assert!(
                rows.iter().any(|r| r.contains("claim.toml")),
                "{w}: {rows:?}"
            );
            assert!(rows.iter().all(|r| measure_text_width(r) <= w), "{rows:?}");
        }
    }

    #[test]
    fn a_short_line_is_left_alone() {
        assert_eq!(wrap("  なぜ: 短い", 79), vec!["  なぜ: 短い".to_string()]);
    }

    #[test]
    fn the_window_follows_the_cursor() {
        assert_eq!(window(0, 0, 5, 3), 0);
        assert_eq!(window(7, 0, 5, 20), 3);
        assert_eq!(window(2, 3, 5, 20), 2);
        assert_eq!(window(4, 3, 5, 20), 3);
    }
}
