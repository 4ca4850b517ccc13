//! The deadlines as an iCalendar file (RFC 5545) that Google Calendar, Outlook and Apple
//! Calendar import: one all-day event per window opening and per closing, a reminder
//! (VALARM) before each closing, and one event per retention end. Deterministic: the UIDs
//! come from the client, claim and date, DTSTAMP is the check day.

use super::deadlines::{Deadline, Kind};
use super::grant_short;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike};
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

/// The calendar text. `remind_days` before each closing, a display alarm.
pub fn calendar(
    items: &[Deadline],
    office: Option<&str>,
    today: NaiveDate,
    remind_days: i64,
) -> String {
    let stamp = Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).expect("midnight"));
    let mut cal = Calendar::new();
    cal.name(&match office {
        Some(o) => format!("{o} 助成金の申請期限"),
        None => "助成金の申請期限".to_string(),
    });
    for d in items {
        let claim = d.claim.clone().unwrap_or_default();
        let round = d.round.map(|r| format!(" {r}回目")).unwrap_or_default();
        let what = format!("{} {}{round}", d.client, grant_short(&d.grant));
        let kind = match d.kind {
            Kind::Window => "window",
            Kind::Next => "next",
            Kind::RetentionEnds => "retention",
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
                    events.push((format!("{prefix}申請期限: {what}"), c, "closes", true));
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
            let mut e = Event::new();
            e.uid(&uid(&[kind, which, &d.folder, &claim, &date_text]))
                .timestamp(stamp)
                .summary(&summary)
                .description(&d.detail)
                .starts(date)
                .ends(date.succ_opt().unwrap_or(date));
            if alarm {
                let mut a = Alarm::display(
                    &format!("あと{remind_days}日で申請期限: {what}"),
                    -Duration::days(remind_days),
                );
                // Deterministic: no clock time, no random UID.
                a.timestamp(stamp)
                    .uid(&uid(&[kind, which, "alarm", &d.folder, &claim, &date_text]));
                e.alarm(a.done());
            }
            cal.push(e.done());
        }
    }
    cal.done().to_string()
}
