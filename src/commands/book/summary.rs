//! The summary of a checked book: one row per claim, shown in the terminal (a count by
//! state, a table that fits 100 columns, then only what needs action, identical notes folded)
//! and written as CSV (UTF-8 with BOM, so Excel opens it correctly) and JSON.

use super::batch::{ClientResult, PacketOutcome};
use super::State;
use crate::model::doc::Counts;
use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// One claim in the summary. JSON field names are a contract (extend, don't rename).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The client as shown (the establishment's name, else the folder's).
    pub client: String,
    /// The client's folder in the book.
    pub folder: String,
    /// The claim file's name without `.toml`.
    pub claim: String,
    pub file: String,
    pub grant: Option<String>,
    pub round: Option<u32>,
    /// 未提出, 審査中, 支給, 不支給 (from `[record]`).
    pub state: String,
    /// 適合, 書類不足, 記入不足 (a form cannot be filled), 不適合, 判定不能, 矛盾あり, 入力エラー.
    pub verdict: String,
    pub eligible: Option<bool>,
    pub amount_yen: Option<i64>,
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
    /// Days from the check day to the window's last day (negative: closed). Open claims only.
    pub days_left: Option<i64>,
    pub missing_attachments: Vec<String>,
    /// Input errors and contradictions, each one line.
    pub problems: Vec<String>,
    /// Findings that fail or cannot be decided: 「SC-E1 不適合: …」.
    pub reasons: Vec<String>,
    pub notes: Vec<String>,
    /// The book's claims this claim's history was derived from.
    pub history: Vec<String>,
    /// The packet folder written (`packet` only).
    pub packet: Option<String>,
    /// A certification's track and counts against their thresholds.
    pub counts: Option<Counts>,
    /// What the summary shows as the row's state: the verdict of a file not yet filed, the
    /// record's state (審査中, 支給, 不支給) of one filed, 入力エラー and 矛盾あり always.
    pub status: String,
    /// The client's previous file of the same programme (its name), when there is one.
    pub previous: Option<String>,
    /// What changed since `previous` (items gained or lost, counts).
    pub changes: Vec<String>,
    /// A later file that replaces this one (a later visit's answers): this row then decides
    /// nothing, is not in the terminal table and gets no packet.
    pub superseded_by: Option<String>,
    /// This row makes the exit code non-zero.
    pub failed: bool,
    /// 2 for an input or packet error, 1 for an incomplete claim or a contradiction, else 0.
    pub exit: u8,
}

/// The whole summary (`--json FILE`, `--format json`).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub book: String,
    pub office: Option<String>,
    pub checked_on: NaiveDate,
    pub clients: usize,
    pub claims: usize,
    pub failed: usize,
    /// The rows by `status`, in the order the terminal shows them (superseded rows not
    /// counted).
    pub by_state: Vec<StateCount>,
    /// Rows replaced by a later file of the same client.
    pub superseded: usize,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StateCount {
    pub state: String,
    pub count: usize,
}

/// The order of the states in the count (what needs action first).
const STATE_ORDER: [&str; 10] = [
    "入力エラー",
    "矛盾あり",
    "不適合",
    "判定不能",
    "記入不足",
    "書類不足",
    "適合",
    "審査中",
    "支給",
    "不支給",
];

fn status_of(state: &str, verdict: &str) -> String {
    if verdict == "入力エラー"
        || verdict == "矛盾あり"
        || state.is_empty()
        || state == State::Open.label()
    {
        verdict.to_string()
    } else {
        state.to_string()
    }
}

impl Summary {
    /// 0 when every open claim is complete and nothing failed; 1 when some claim is not
    /// eligible, incomplete or contradicts the book; 2 when some file could not be used.
    pub fn exit_code(&self) -> u8 {
        self.rows.iter().map(|r| r.exit).max().unwrap_or(0)
    }
}

fn one_line(e: &crate::input::InputError) -> Vec<String> {
    e.problems
        .iter()
        .map(|p| format!("{}: {}", p.heading(&e.file), p.message))
        .collect()
}

pub fn rows(results: &[ClientResult], today: NaiveDate) -> Vec<Row> {
    let mut rows = Vec::new();
    for cr in results {
        let client = cr.client.display_name();
        if cr.claims.is_empty() {
            if let Some(e) = &cr.client.profile_error {
                rows.push(Row {
                    client: client.clone(),
                    folder: cr.client.folder.clone(),
                    claim: String::new(),
                    file: e.file.clone(),
                    grant: None,
                    round: None,
                    state: String::new(),
                    verdict: "入力エラー".into(),
                    eligible: None,
                    amount_yen: None,
                    window_from: None,
                    window_to: None,
                    days_left: None,
                    missing_attachments: vec![],
                    problems: one_line(e),
                    reasons: vec![],
                    notes: vec![],
                    history: vec![],
                    packet: None,
                    counts: None,
                    status: "入力エラー".into(),
                    previous: None,
                    changes: vec![],
                    superseded_by: None,
                    failed: true,
                    exit: 2,
                });
            }
            continue;
        }
        for r in &cr.claims {
            let mut problems: Vec<String> = r.errors.iter().flat_map(one_line).collect();
            problems.extend(r.contradictions.iter().cloned());
            let mut notes: Vec<String> = r.notes.clone();
            let j = r.judged.as_deref();
            let sm = j.map(|j| j.summary()).unwrap_or_default();
            if let Some(j) = j {
                // What was read leniently: the same lines as `check FILE` prints.
                for line in crate::model::notice_lines(j.case().notices(), false, 100) {
                    notes.push(line.trim_start_matches("お知らせ: ").to_string());
                }
            }
            let open = r.state == State::Open;
            let contradictory = !r.contradictions.is_empty();
            let verdict = if !r.errors.is_empty() || j.is_none() {
                "入力エラー".to_string()
            } else if contradictory
                && j.and_then(|j| j.eligible()) == Some(true)
                && sm.verdict == "適合"
            {
                "矛盾あり".to_string()
            } else {
                sm.verdict.clone()
            };
            let mut exit = if !r.errors.is_empty() || j.is_none() {
                2
            } else if contradictory || (open && !j.is_some_and(|j| j.complete())) {
                1
            } else {
                0
            };
            let packet = match &r.packet {
                Some(PacketOutcome::Written(p)) => Some(p.display().to_string()),
                Some(PacketOutcome::Interrupted) => {
                    problems.push("申請書類を作成していません: 中断しました".into());
                    exit = exit.max(2);
                    None
                }
                Some(PacketOutcome::Failed(m)) => {
                    problems.push(format!("申請書類を作成できませんでした: {m}"));
                    exit = exit.max(2);
                    None
                }
                Some(PacketOutcome::Skipped(m)) => {
                    if open {
                        notes.push(format!("申請書類: {m}"));
                    }
                    None
                }
                None => None,
            };
            let window = sm.window;
            let reasons = sm.reasons.clone();
            notes.extend(sm.notes.iter().cloned());
            // A file a later one replaces decides nothing.
            if r.superseded_by.is_some() && r.errors.is_empty() {
                exit = 0;
            }
            let state = r.state.label().to_string();
            let closes = window.map(|w| w.1).or(sm.deadline);
            rows.push(Row {
                client: client.clone(),
                folder: cr.client.folder.clone(),
                claim: r.stem.clone(),
                file: r.file.clone(),
                grant: j
                    .map(|j| j.case().programme().id().to_string())
                    .or_else(|| r.programme.clone()),
                round: sm.round,
                status: status_of(&state, &verdict),
                state,
                verdict,
                eligible: j.and_then(|j| j.eligible()),
                amount_yen: sm.amount_yen,
                window_from: window.map(|w| w.0),
                window_to: closes,
                days_left: closes.filter(|_| open).map(|d| (d - today).num_days()),
                missing_attachments: sm.missing.clone(),
                problems,
                reasons,
                notes,
                history: r.derived_from.clone(),
                packet,
                counts: j.and_then(|j| j.counts()),
                previous: r.previous.clone(),
                changes: r.changes.clone(),
                superseded_by: r.superseded_by.clone(),
                failed: exit > 0,
                exit,
            });
        }
    }
    rows
}

pub fn summary(book: &super::Book, results: &[ClientResult], today: NaiveDate) -> Summary {
    let rows = rows(results, today);
    let mut by_state: Vec<StateCount> = Vec::new();
    for r in rows.iter().filter(|r| r.superseded_by.is_none()) {
        match by_state.iter_mut().find(|c| c.state == r.status) {
            Some(c) => c.count += 1,
            None => by_state.push(StateCount {
                state: r.status.clone(),
                count: 1,
            }),
        }
    }
    let rank = |s: &str| {
        STATE_ORDER
            .iter()
            .position(|x| *x == s)
            .unwrap_or(STATE_ORDER.len())
    };
    by_state.sort_by_key(|c| rank(&c.state));
    Summary {
        book: book.root.display().to_string(),
        office: book.office.clone(),
        checked_on: today,
        clients: results.len(),
        claims: results.iter().map(|r| r.claims.len()).sum(),
        failed: rows.iter().filter(|r| r.failed).count(),
        by_state,
        superseded: rows.iter().filter(|r| r.superseded_by.is_some()).count(),
        rows,
    }
}

fn yen(n: Option<i64>) -> String {
    n.map(|n| format!("{}円", crate::model::findings::yen(n)))
        .unwrap_or_default()
}

fn days(r: &Row) -> String {
    match r.days_left {
        Some(d) if d < 0 => "締切済み".into(),
        Some(d) => {
            let opens_later = r
                .window_from
                .zip(r.window_to)
                .is_some_and(|(f, t)| (t - f).num_days() < d);
            if opens_later {
                format!("{d}日（開始前）")
            } else {
                format!("{d}日")
            }
        }
        None => String::new(),
    }
}

const HEADERS: [&str; 12] = [
    "クライアント",
    "申請",
    "助成金",
    "回",
    "状態",
    "判定",
    "助成額",
    "申請期間（開始）",
    "申請期間（終了）",
    "残り日数",
    "不足書類",
    "問題",
];

fn cells(r: &Row) -> [String; 12] {
    [
        r.client.clone(),
        r.claim.clone(),
        r.grant
            .as_deref()
            .map(crate::programmes::short_name)
            .unwrap_or_default(),
        r.round.map(|n| n.to_string()).unwrap_or_default(),
        r.state.clone(),
        r.verdict.clone(),
        yen(r.amount_yen),
        r.window_from.map(|d| d.to_string()).unwrap_or_default(),
        r.window_to.map(|d| d.to_string()).unwrap_or_default(),
        days(r),
        r.missing_attachments.join("、"),
        r.problems.join(" / "),
    ]
}

/// The terminal's width the summary fits (`--wide` lifts it for the table).
pub const WIDTH: usize = 100;

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The width a terminal that draws ambiguous characters (①, ■, …) wide gives `s`: prose is
/// wrapped to fit that, so it fits every terminal.
fn width_cjk(s: &str) -> usize {
    UnicodeWidthStr::width_cjk(s)
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// `s` cut to `max` columns, the cut marked with `~` (a narrow character everywhere).
fn clip(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('~');
    out
}

/// Characters a line may not start with (行頭禁則).
const NO_LINE_START: &str = "、。，．）」』】〕・ー！？：；%）),.:;!?";

/// `text` broken into lines of at most `max` columns (ambiguous characters counted wide),
/// the first after `first`, the others after `rest`. Runs of ASCII letters and digits
/// (`SC-E1`, `100,000円`'s digits) are not split unless longer than a line.
pub fn wrap(text: &str, first: &str, rest: &str, max: usize) -> Vec<String> {
    // Units: a run of ASCII non-space characters, one space, or one other character.
    let mut units: Vec<String> = Vec::new();
    for c in text.chars() {
        let ascii_word = c.is_ascii() && !c.is_ascii_whitespace();
        match units.last_mut() {
            Some(u)
                if ascii_word && u.chars().all(|x| x.is_ascii() && !x.is_ascii_whitespace()) =>
            {
                u.push(c)
            }
            _ => units.push(c.to_string()),
        }
    }
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        let fits = width_cjk(&line) + width_cjk(u) <= max;
        // Keep a closing mark with the character before it.
        let next_sticks = units
            .get(i + 1)
            .is_some_and(|n| n.chars().count() == 1 && NO_LINE_START.contains(n.as_str()));
        let with_next = if next_sticks {
            width_cjk(&line) + width_cjk(u) + width_cjk(&units[i + 1]) <= max
        } else {
            true
        };
        if (fits && with_next) || empty {
            if !fits && u.chars().count() > 1 {
                // An ASCII run longer than the room left on an empty line: split it.
                for c in u.chars() {
                    if width_cjk(&line) + 1 > max {
                        lines.push(line);
                        line = rest.to_string();
                    }
                    line.push(c);
                }
            } else {
                line.push_str(u);
            }
            empty = false;
            i += 1;
        } else {
            lines.push(line.trim_end().to_string());
            line = rest.to_string();
            empty = true;
            // A space at the start of a continuation line is dropped.
            if units[i] == " " {
                i += 1;
            }
        }
    }
    lines.push(line.trim_end().to_string());
    // No orphan: a last line of a few columns (「す。」) takes characters from the line
    // before, not splitting an ASCII run nor starting with a closing mark.
    let n = lines.len();
    if n >= 2 {
        let tail = width_cjk(&lines[n - 1]).saturating_sub(width_cjk(rest));
        if tail < 8 {
            let prev: Vec<char> = lines[n - 2].chars().collect();
            let start = if n == 2 { first } else { rest }.chars().count();
            let mut cut = prev.len();
            let mut moved = 0;
            while cut > start + 1 && moved < 8 - tail {
                cut -= 1;
                moved += UnicodeWidthChar::width_cjk(prev[cut]).unwrap_or(0);
            }
            while cut > start + 1
                && (NO_LINE_START.contains(prev[cut])
                    || (prev[cut].is_ascii_alphanumeric() && prev[cut - 1].is_ascii_alphanumeric()))
            {
                cut -= 1;
            }
            if cut > start + 1 && cut < prev.len() {
                let head: String = prev[..cut].iter().collect();
                let moved: String = prev[cut..].iter().collect();
                let last = lines[n - 1][rest.len()..].to_string();
                lines[n - 2] = head.trim_end().to_string();
                lines[n - 1] = format!("{rest}{}{last}", moved.trim_start());
            }
        }
    }
    lines
}

/// One column of the terminal table.
struct Col {
    header: &'static str,
    cells: Vec<String>,
    /// Cut (with `~`) down to this many columns when the table is too wide.
    min: Option<usize>,
    right: bool,
}

impl Col {
    fn natural(&self) -> usize {
        self.cells
            .iter()
            .map(|c| width(c))
            .chain([width(self.header)])
            .max()
            .unwrap_or(0)
    }
}

/// The widths that make `cols` fit `max` (cutting the cuttable columns, widest first), or
/// `None` when they cannot.
fn fit(cols: &[Col], max: usize) -> Option<Vec<usize>> {
    let mut w: Vec<usize> = cols.iter().map(Col::natural).collect();
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    while total(&w) > max {
        let widest = (0..cols.len())
            .filter(|&i| cols[i].min.is_some_and(|m| w[i] > m))
            .max_by_key(|&i| (w[i], std::cmp::Reverse(i)))?;
        w[widest] -= 1;
    }
    Some(w)
}

fn table(cols: &[Col], widths: &[usize]) -> String {
    let line = |cells: Vec<String>| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = clip(c, widths[i]);
                if cols[i].right {
                    pad_left(&c, widths[i])
                } else {
                    pad(&c, widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
            + "\n"
    };
    let mut out = line(cols.iter().map(|c| c.header.to_string()).collect());
    out.push_str(
        &(widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
            + "\n"),
    );
    let n = cols.first().map(|c| c.cells.len()).unwrap_or(0);
    for r in 0..n {
        out.push_str(&line(cols.iter().map(|c| c.cells[r].clone()).collect()));
    }
    out
}

/// 「30日」「締切済み」「開始前」: the days left, short.
fn days_short(r: &Row) -> String {
    let d = days(r);
    match d.find('（') {
        Some(_) => "開始前".into(),
        None => d,
    }
}

fn amount_or_counts(r: &Row, wide: bool) -> String {
    match &r.counts {
        Some(c) if !wide => c.short.clone(),
        Some(_) => String::new(),
        None => yen(r.amount_yen),
    }
}

/// The table's columns: at most [`WIDTH`] columns wide (the client code and file name cut,
/// then the last day dropped), or every column with `wide`.
fn columns(rows: &[&Row], wide: bool) -> (Vec<Col>, Vec<usize>) {
    let col = |header, min, right, f: &dyn Fn(&Row) -> String| Col {
        header,
        cells: rows.iter().map(|r| f(r)).collect(),
        min,
        right,
    };
    let programme = |r: &Row| {
        r.grant
            .as_deref()
            .map(crate::programmes::short_name)
            .unwrap_or_default()
    };
    let round = |r: &Row| r.round.map(|n| n.to_string()).unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    if wide {
        let any_counts = rows.iter().any(|r| r.counts.is_some());
        let mut cols = vec![
            col("フォルダ", None, false, &|r| r.folder.clone()),
            col("クライアント", None, false, &|r| r.client.clone()),
            col("申請", None, false, &|r| r.claim.clone()),
            col("制度", None, false, &programme),
            col("回", None, true, &round),
            col("状態", None, false, &|r| r.state.clone()),
            col("判定", None, false, &|r| r.verdict.clone()),
            col("助成額", None, true, &|r| yen(r.amount_yen)),
        ];
        if any_counts {
            cols.push(col("区分・項目数", None, false, &|r| {
                r.counts
                    .as_ref()
                    .map(|c| c.short.clone())
                    .unwrap_or_default()
            }));
        }
        cols.extend([
            col("申請期間（開始）", None, false, &|r| {
                date(r.window_from)
            }),
            col("申請期間（終了）", None, false, &|r| {
                date(r.window_to)
            }),
            col("残り日数", None, false, &days),
            col("不足書類", None, true, &|r| {
                let n = r.missing_attachments.len();
                if n > 0 {
                    format!("{n}件")
                } else {
                    String::new()
                }
            }),
        ]);
        let w = cols.iter().map(Col::natural).collect();
        return (cols, w);
    }
    let make = |with_last_day: bool| {
        let mut cols = vec![
            col("フォルダ", Some(12), false, &|r| r.folder.clone()),
            col("申請", Some(14), false, &|r| r.claim.clone()),
            col("制度", None, false, &programme),
            col("回", None, true, &round),
            col("状態", None, false, &|r| r.status.clone()),
            col("助成額・項目数", None, false, &|r| {
                amount_or_counts(r, false)
            }),
        ];
        if with_last_day {
            cols.push(col("申請期限", None, false, &|r| date(r.window_to)));
        }
        cols.push(col("残り", None, false, &days_short));
        cols
    };
    // Names whole if the last day can go; cut only when that is not enough.
    let natural = |cols: &[Col]| -> Vec<usize> { cols.iter().map(Col::natural).collect() };
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    for with_last_day in [true, false] {
        let cols = make(with_last_day);
        let w = natural(&cols);
        if total(&w) <= WIDTH {
            return (cols, w);
        }
    }
    let cols = make(true);
    if let Some(w) = fit(&cols, WIDTH) {
        return (cols, w);
    }
    let cols = make(false);
    let w = fit(&cols, WIDTH).unwrap_or_else(|| natural(&cols));
    (cols, w)
}

/// Whether a row needs someone to act: it fails, is incomplete or unreadable, or contradicts
/// the book.
fn needs_action(r: &Row) -> bool {
    r.superseded_by.is_none()
        && (r.failed
            || !r.problems.is_empty()
            || (r.state == State::Open.label()
                && (!r.reasons.is_empty() || !r.missing_attachments.is_empty())))
}

/// The terminal summary: the count by state, the table (fitting [`WIDTH`] columns unless
/// `wide`), what needs action row by row, then the notes, each said once with how many
/// rows it concerns.
pub fn human(s: &Summary, wide: bool) -> String {
    let mut out = String::new();
    let push_wrapped = |out: &mut String, text: &str, first: &str, rest: &str| {
        for l in wrap(text, first, rest, WIDTH) {
            out.push_str(&l);
            out.push('\n');
        }
    };
    let title = match &s.office {
        Some(o) => format!("{o} のブック"),
        None => "ブック".into(),
    };
    push_wrapped(
        &mut out,
        &format!(
            "{title}（{}現在）: {}",
            crate::model::dates::wareki(s.checked_on),
            s.book
        ),
        "",
        "  ",
    );
    let shown: Vec<&Row> = s
        .rows
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .collect();
    push_wrapped(
        &mut out,
        &format!(
            "クライアント {} 件、申請・回答 {} 件、要対応 {} 件",
            s.clients,
            shown.len(),
            s.failed
        ),
        "",
        "  ",
    );
    if s.superseded > 0 {
        push_wrapped(
            &mut out,
            &format!(
                "ほかに以前の訪問の回答 {} 件（同じ申請の新しい回答ファイルが判定するため、表にはありません）",
                s.superseded
            ),
            "",
            "  ",
        );
    }

    // 1. The count by state.
    if !s.by_state.is_empty() {
        out.push_str("\n状態別の件数:\n");
        let lw = s
            .by_state
            .iter()
            .map(|c| width(&c.state))
            .max()
            .unwrap_or(0);
        let nw = s
            .by_state
            .iter()
            .map(|c| c.count.to_string().len())
            .max()
            .unwrap_or(0);
        for c in &s.by_state {
            out.push_str(&format!(
                "  {}  {} 件\n",
                pad(&c.state, lw),
                pad_left(&c.count.to_string(), nw)
            ));
        }
    }

    // 2. The table.
    if !shown.is_empty() {
        out.push('\n');
        let (cols, widths) = columns(&shown, wide);
        out.push_str(&table(&cols, &widths));
    }

    // 3. What needs action, row by row.
    let action: Vec<&Row> = shown.iter().copied().filter(|r| needs_action(r)).collect();
    if !action.is_empty() {
        out.push_str(&format!("\n要対応（{}件）:\n", action.len()));
        for r in action {
            let name = if r.claim.is_empty() {
                r.folder.clone()
            } else {
                format!("{} / {}", r.folder, r.claim)
            };
            push_wrapped(&mut out, &format!("{name}  {}", r.status), "■ ", "    ");
            if let Some(c) = &r.counts {
                push_wrapped(&mut out, &format!("区分: {}", c.track), "  ・", "    ");
                push_wrapped(&mut out, &format!("項目数: {}", c.long), "  ・", "    ");
            }
            for p in r.problems.iter().chain(&r.reasons) {
                push_wrapped(&mut out, p, "  ✗ ", "    ");
            }
            if !r.missing_attachments.is_empty() && r.state == State::Open.label() {
                push_wrapped(
                    &mut out,
                    &format!("不足書類: {}", r.missing_attachments.join("、")),
                    "  □ ",
                    "    ",
                );
            }
            if let Some(prev) = &r.previous {
                if !r.changes.is_empty() {
                    push_wrapped(
                        &mut out,
                        &format!("前回（{prev}）から: {}", r.changes.join("、")),
                        "  ・",
                        "    ",
                    );
                }
            }
        }
    }

    // 4. The notes, identical ones folded.
    let mut notes: Vec<(&str, Vec<&Row>)> = Vec::new();
    for r in &shown {
        for n in &r.notes {
            match notes.iter_mut().find(|(t, _)| *t == n.as_str()) {
                Some((_, rows)) => rows.push(r),
                None => notes.push((n.as_str(), vec![r])),
            }
        }
    }
    if !notes.is_empty() {
        // The most frequent first; ties in the book's order.
        notes.sort_by_key(|(_, rows)| std::cmp::Reverse(rows.len()));
        out.push_str("\n注記:\n");
        for (text, rows) in notes {
            let whose = if rows.len() <= 3 {
                rows.iter()
                    .map(|r| {
                        if r.claim.is_empty() {
                            r.folder.clone()
                        } else {
                            format!("{}/{}", r.folder, r.claim)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("、")
            } else {
                String::new()
            };
            let line = if whose.is_empty() {
                format!("{text}（{}件）", rows.len())
            } else {
                format!("{text}（{}件: {whose}）", rows.len())
            };
            push_wrapped(&mut out, &line, "・", "  ");
        }
    }
    out
}

/// A text cell as Excel will not run it (see [`crate::output::csv::text`]).
pub fn csv_text(s: &str) -> String {
    crate::output::csv::text(s)
}

/// CSV for Excel: UTF-8 with BOM, CRLF line ends, a header row in Japanese. Every text
/// cell goes through [`csv_text`].
pub fn csv(s: &Summary) -> Vec<u8> {
    let mut buf: Vec<u8> = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        let mut headers: Vec<&str> = HEADERS.to_vec();
        headers.extend([
            "不適合・不明の項目",
            "注記",
            "フォルダ",
            "ファイル",
            "申請書類",
            "区分",
            "項目数",
            "前回から",
            "新しいファイル",
        ]);
        let _ = w.write_record(&headers);
        for r in &s.rows {
            let mut c: Vec<String> = cells(r).to_vec();
            c.push(r.reasons.join(" / "));
            c.push(r.notes.join(" / "));
            c.push(r.folder.clone());
            c.push(r.file.clone());
            c.push(r.packet.clone().unwrap_or_default());
            c.push(
                r.counts
                    .as_ref()
                    .map(|c| c.track.clone())
                    .unwrap_or_default(),
            );
            c.push(
                r.counts
                    .as_ref()
                    .map(|c| c.long.clone())
                    .unwrap_or_default(),
            );
            c.push(r.changes.join(" / "));
            c.push(r.superseded_by.clone().unwrap_or_default());
            let mut c: Vec<String> = c.iter().map(|t| csv_text(t)).collect();
            // 回, 助成額 and 残り日数 as plain numbers (Excel sorts them; the days left
            // are negative once the window has closed).
            c[3] = r.round.map(|n| n.to_string()).unwrap_or_default();
            c[6] = r.amount_yen.map(|n| n.to_string()).unwrap_or_default();
            c[9] = r.days_left.map(|d| d.to_string()).unwrap_or_default();
            let _ = w.write_record(&c);
        }
        let _ = w.flush();
    }
    buf
}

pub fn json(s: &Summary) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::{csv_text, wrap};

    #[test]
    fn wrap_fits_keeps_ascii_runs_and_leaves_no_orphan() {
        use unicode_width::UnicodeWidthStr;
        let text = "SC-E1 不適合: 労働者数 62名（うち派遣 5名） は 50人以上のため、小規模事業場に当たらず対象外です。";
        for max in [40, 60, 100] {
            let lines = wrap(text, "  ✗ ", "    ", max);
            assert!(lines.iter().all(|l| l.width_cjk() <= max), "{lines:?}");
            let joined: String = lines
                .iter()
                .map(|l| l.trim_start_matches("  ✗ ").trim_start())
                .collect::<Vec<_>>()
                .concat();
            let squeeze = |t: &str| t.chars().filter(|c| *c != ' ').collect::<String>();
            assert_eq!(squeeze(&joined), squeeze(text), "nothing lost: {lines:?}");
            if lines.len() > 1 {
                let last = lines.last().unwrap().trim_start();
                assert!(last.width() >= 8, "no orphan: {lines:?}");
            }
            assert!(lines[0].contains("SC-E1"), "{lines:?}");
        }
    }

    #[test]
    fn formula_like_text_is_neutralised() {
        for bad in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-1+1",
            "@SUM(A1:A2)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(csv_text(bad), format!("'{bad}"));
        }
        for ok in ["(株)ろうあん", "2020-10-31", "", "a=b", "＝全角"] {
            assert_eq!(csv_text(ok), ok);
        }
    }
}
