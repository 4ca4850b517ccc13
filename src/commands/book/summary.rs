//! The summary of a checked book: one row per claim, shown as a table in the terminal and
//! written as CSV (UTF-8 with BOM, so Excel opens it correctly) and JSON.

use super::batch::{ClientResult, PacketOutcome};
use super::State;
use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

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
    pub rows: Vec<Row>,
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
            rows.push(Row {
                client: client.clone(),
                folder: cr.client.folder.clone(),
                claim: r.stem.clone(),
                file: r.file.clone(),
                grant: j
                    .map(|j| j.case().programme().id().to_string())
                    .or_else(|| r.programme.clone()),
                round: sm.round,
                state: r.state.label().into(),
                verdict,
                eligible: j.and_then(|j| j.eligible()),
                amount_yen: sm.amount_yen,
                window_from: window.map(|w| w.0),
                window_to: window.map(|w| w.1),
                days_left: window.filter(|_| open).map(|w| (w.1 - today).num_days()),
                missing_attachments: sm.missing.clone(),
                problems,
                reasons,
                notes,
                history: r.derived_from.clone(),
                packet,
                failed: exit > 0,
                exit,
            });
        }
    }
    rows
}

pub fn summary(book: &super::Book, results: &[ClientResult], today: NaiveDate) -> Summary {
    let rows = rows(results, today);
    Summary {
        book: book.root.display().to_string(),
        office: book.office.clone(),
        checked_on: today,
        clients: results.len(),
        claims: results.iter().map(|r| r.claims.len()).sum(),
        failed: rows.iter().filter(|r| r.failed).count(),
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

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn clip(s: &str, max: usize) -> String {
    if UnicodeWidthStr::width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// The terminal table (the first ten columns), then each row's problems and notes.
pub fn human(s: &Summary) -> String {
    const SHOWN: usize = 10;
    let table: Vec<Vec<String>> = s
        .rows
        .iter()
        .map(|r| {
            let mut c = cells(r);
            c[0] = clip(&c[0], 24);
            c[1] = clip(&c[1], 24);
            let mut v: Vec<String> = c[..SHOWN].to_vec();
            let missing = r.missing_attachments.len();
            v.push(if missing > 0 {
                format!("{missing}件")
            } else {
                String::new()
            });
            v
        })
        .collect();
    let mut headers: Vec<String> = HEADERS[..SHOWN].iter().map(|h| h.to_string()).collect();
    headers.push("不足書類".into());
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &table {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = String::new();
    let title = match &s.office {
        Some(o) => format!("{o} のブック {}", s.book),
        None => format!("ブック {}", s.book),
    };
    out.push_str(&format!(
        "{title}（{}現在）: クライアント {} 件、申請 {} 件、要対応 {} 件\n\n",
        crate::model::dates::wareki(s.checked_on),
        s.clients,
        s.claims,
        s.failed
    ));
    out.push_str(&line(&headers));
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for row in &table {
        out.push_str(&line(row));
        out.push('\n');
    }
    let details: Vec<&Row> = s
        .rows
        .iter()
        .filter(|r| {
            !r.problems.is_empty()
                || !r.reasons.is_empty()
                || !r.missing_attachments.is_empty()
                || !r.notes.is_empty()
        })
        .collect();
    if !details.is_empty() {
        out.push_str("\n要対応・注記:\n");
        for r in details {
            out.push_str(&format!("■ {} / {}\n", r.client, r.claim));
            for p in &r.problems {
                out.push_str(&format!("  ✗ {p}\n"));
            }
            for p in &r.reasons {
                out.push_str(&format!("  ✗ {p}\n"));
            }
            if !r.missing_attachments.is_empty() && r.state == State::Open.label() {
                out.push_str(&format!(
                    "  □ 不足書類: {}\n",
                    r.missing_attachments.join("、")
                ));
            }
            for n in &r.notes {
                out.push_str(&format!("  ・{n}\n"));
            }
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
        ]);
        let _ = w.write_record(&headers);
        for r in &s.rows {
            let mut c: Vec<String> = cells(r).to_vec();
            c.push(r.reasons.join(" / "));
            c.push(r.notes.join(" / "));
            c.push(r.folder.clone());
            c.push(r.file.clone());
            c.push(r.packet.clone().unwrap_or_default());
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
    use super::csv_text;

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
