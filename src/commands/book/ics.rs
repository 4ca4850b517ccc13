//! The deadlines as an iCalendar file (RFC 5545) that Google Calendar, Outlook and Apple
//! Calendar import: one all-day event per window opening and per closing, a reminder
//! (VALARM) before each closing, and one event per retention end. Deterministic: the UIDs
//! come from the client, claim and date, DTSTAMP is the check day.
//!
//! Written here, in a few lines, rather than with a calendar crate: the one we used left
//! the calendar's NAME unescaped (an office name with a newline made the file
//! unreadable), passed a carriage return through, and folded some lines at 76 octets.
//! Every TEXT value goes through [`text`] and every line through [`fold`].

use super::deadlines::{Deadline, Kind};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

fn uid(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let hex: String = h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}@johas-claim")
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, a line break
/// (CRLF, CR or LF) written `\n`, other control characters (not allowed in TEXT) left out;
/// a tab is kept.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line folded (RFC 5545 §3.1): at most 75 octets per line, CRLF ends, each
/// continuation starting with one space, never splitting a UTF-8 character. A fold never
/// comes next to white space of the text itself: some readers drop all the white space
/// around a fold, not only the one space the fold added.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + line.len() / 24 + 2);
    let mut start = 0;
    while start < chars.len() {
        let room = if start == 0 { LIMIT } else { LIMIT - 1 };
        let (mut end, mut width) = (start, 0);
        while end < chars.len() && width + chars[end].len_utf8() <= room {
            width += chars[end].len_utf8();
            end += 1;
        }
        let blank = |c: char| c == ' ' || c == '\t';
        while end < chars.len() && end > start + 1 && (blank(chars[end]) || blank(chars[end - 1])) {
            end -= 1;
        }
        if start > 0 {
            out.push_str("\r\n ");
        }
        out.extend(&chars[start..end]);
        start = end;
    }
    out.push_str("\r\n");
    out
}

struct Ics(String);

impl Ics {
    /// A property whose value is written as given (dates, durations, fixed words).
    fn raw(&mut self, name: &str, value: &str) {
        self.0.push_str(&fold(&format!("{name}:{value}")));
    }
    /// A TEXT property.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &text(value));
    }
}

/// The calendar text. `remind_days` before each closing, a display alarm.
pub fn calendar(
    items: &[Deadline],
    office: Option<&str>,
    today: NaiveDate,
    remind_days: i64,
) -> String {
    let stamp = format!("{}T000000Z", today.format("%Y%m%d"));
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    // RFC 5545 §3.3.6: a negative duration is before the event's start.
    let trigger = if remind_days >= 0 {
        format!("-P{remind_days}D")
    } else {
        format!("P{}D", -remind_days)
    };
    let mut ics = Ics(String::new());
    ics.raw("BEGIN", "VCALENDAR");
    ics.raw("VERSION", "2.0");
    ics.raw("PRODID", "-//johas-claim//deadlines//JA");
    ics.raw("CALSCALE", "GREGORIAN");
    let name = match office {
        Some(o) => format!("{o} 助成金・認定の申請期限"),
        None => "助成金・認定の申請期限".to_string(),
    };
    // NAME (RFC 7986) and the older X-WR-CALNAME that Apple and Google read.
    ics.text("NAME", &name);
    ics.text("X-WR-CALNAME", &name);
    for d in items {
        let claim = d.claim.clone().unwrap_or_default();
        let round = d.round.map(|r| format!(" {r}回目")).unwrap_or_default();
        let what = format!(
            "{} {}{round}",
            d.client,
            crate::programmes::short_name(&d.grant)
        );
        let kind = match d.kind {
            Kind::Window => "window",
            Kind::Next => "next",
            Kind::RetentionEnds => "retention",
            Kind::Date => "date",
        };
        let mut events: Vec<(String, NaiveDate, &str, bool)> = Vec::new();
        match d.kind {
            Kind::Window | Kind::Next => {
                let prefix = if d.kind == Kind::Next {
                    "（次の申請）"
                } else {
                    ""
                };
                if let Some(o) = d.opens {
                    events.push((format!("{prefix}申請期間の開始: {what}"), o, "opens", false));
                }
                if let Some(c) = d.closes {
                    // A deadline without a window (an upload, a fee) says which it is.
                    let summary = if d.opens.is_some() {
                        format!("{prefix}申請期限: {what}")
                    } else {
                        format!("{prefix}期限: {} {}", d.client, d.detail)
                    };
                    events.push((summary, c, "closes", true));
                }
            }
            Kind::Date => {
                if let Some(c) = d.closes {
                    events.push((format!("{} {}", d.client, d.detail), c, "date", false));
                }
            }
            Kind::RetentionEnds => {
                if let Some(c) = d.closes {
                    events.push((
                        format!("書類の保存期間の終了: {what}"),
                        c,
                        "retention",
                        false,
                    ));
                }
            }
        }
        for (summary, date, which, alarm) in events {
            let date_text = date.to_string();
            ics.raw("BEGIN", "VEVENT");
            ics.text("UID", &uid(&[kind, which, &d.folder, &claim, &date_text]));
            ics.raw("DTSTAMP", &stamp);
            ics.raw("DTSTART;VALUE=DATE", &day(date));
            ics.raw("DTEND;VALUE=DATE", &day(date.succ_opt().unwrap_or(date)));
            ics.text("SUMMARY", &summary);
            ics.text("DESCRIPTION", &d.detail);
            if alarm {
                ics.raw("BEGIN", "VALARM");
                // UID in an alarm: RFC 9074 (lets a client tell reminders apart).
                ics.text(
                    "UID",
                    &uid(&[kind, which, "alarm", &d.folder, &claim, &date_text]),
                );
                ics.raw("ACTION", "DISPLAY");
                ics.raw("TRIGGER", &trigger);
                ics.text(
                    "DESCRIPTION",
                    &format!("あと{remind_days}日で申請期限: {what}"),
                );
                ics.raw("END", "VALARM");
            }
            ics.raw("END", "VEVENT");
        }
    }
    ics.raw("END", "VCALENDAR");
    ics.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(text("a\r\nb\rc\u{7}d\te"), "a\\nb\\ncd\te");
    }

    #[test]
    fn folded_at_75_octets_on_character_boundaries() {
        for line in [
            format!("SUMMARY:{}", "あ".repeat(100)),
            format!("SUMMARY:{}", "a".repeat(200)),
            format!("SUMMARY:a{}", "𠮷".repeat(50)),
            format!("{}  b  c", "x".repeat(73)),
            " ".repeat(200),
            "SUMMARY:short".to_string(),
        ] {
            let f = fold(&line);
            assert!(f.ends_with("\r\n"));
            let parts: Vec<&str> = f.trim_end_matches("\r\n").split("\r\n").collect();
            for (i, p) in parts.iter().enumerate() {
                assert!(p.len() <= 75, "{p}: {} octets", p.len());
                if i > 0 {
                    assert!(p.starts_with(' '));
                    if !line.starts_with("  ") {
                        assert!(!p[1..].starts_with(' '), "{p:?}");
                        assert!(!parts[i - 1].ends_with(' '), "{:?}", parts[i - 1]);
                    }
                }
            }
            let unfolded: String = parts
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
                .collect();
            assert_eq!(unfolded, line);
        }
        // Exactly 75 octets stays one line.
        let line = "X".repeat(75);
        assert_eq!(fold(&line), format!("{line}\r\n"));
    }
}
