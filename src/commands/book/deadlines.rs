//! Deadlines of a book: each open claim's window, the next claim each client could make,
//! and the end of the 5-year retention of each paid claim (手引 II-4), sorted by date.

use super::batch::ClientResult;
use super::{grant_short, State};
use crate::model::dates::wareki;
use crate::programmes::johas::edition::Params;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An open (not yet submitted) claim's application window.
    Window,
    /// The window of the next claim the client could make.
    Next,
    /// The last day the documents of a paid claim must be kept.
    RetentionEnds,
}

/// One line of `deadlines`. JSON field names are a contract.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub kind: Kind,
    /// The date the list is sorted by: the window's opening if it is still ahead, else its
    /// closing; the retention end.
    pub date: NaiveDate,
    pub client: String,
    pub folder: String,
    /// The claim file (without `.toml`); for `next`, the claim it follows.
    pub claim: Option<String>,
    pub grant: String,
    pub round: Option<u32>,
    pub opens: Option<NaiveDate>,
    pub closes: Option<NaiveDate>,
    /// Days from today to `closes` (negative: past).
    pub days_left: Option<i64>,
    /// The line in Japanese with the status on the day, e.g. 「産業医活動 2回目の申請期間
    /// 令和2年11月1日～令和3年4月30日（あと31日で開始）」.
    pub text: String,
    /// The same without the status of the day (for the calendar).
    pub detail: String,
}

fn window_item(
    kind: Kind,
    client: &str,
    folder: &str,
    claim: Option<String>,
    grant: &str,
    round: Option<u32>,
    (opens, closes): (NaiveDate, NaiveDate),
    today: NaiveDate,
    what: String,
) -> Deadline {
    let status = if today < opens {
        format!("（あと{}日で開始）", (opens - today).num_days())
    } else if today <= closes {
        format!("（受付中・締切まで{}日）", (closes - today).num_days())
    } else {
        "（締切済み）".into()
    };
    Deadline {
        kind,
        date: if today < opens { opens } else { closes },
        client: client.to_string(),
        folder: folder.to_string(),
        claim,
        grant: grant.to_string(),
        round,
        opens: Some(opens),
        closes: Some(closes),
        days_left: Some((closes - today).num_days()),
        text: format!("{what} {}～{}{status}", wareki(opens), wareki(closes)),
        detail: format!("{what} {}～{}", wareki(opens), wareki(closes)),
    }
}

/// The deadlines of every client, sorted by date (then client, then claim).
pub fn deadlines(results: &[ClientResult], today: NaiveDate) -> Vec<Deadline> {
    let mut out = Vec::new();
    for cr in results {
        let client = cr.client.display_name();
        let folder = &cr.client.folder;
        for r in &cr.claims {
            let Some(claim) = &r.claim else { continue };
            let grant = claim.grant.id();
            let ev = r.eval.as_ref();
            // 1. Open claims: their window.
            if r.state == State::Open {
                if let Some(w) = ev.and_then(|e| e.window) {
                    out.push(window_item(
                        Kind::Window,
                        &client,
                        folder,
                        Some(r.stem.clone()),
                        grant,
                        Some(claim.round),
                        (w.from, w.to),
                        today,
                        format!("{} {}回目の申請期間", grant_short(grant), claim.round),
                    ));
                }
            }
            // 3. Paid claims: the retention end (II-4: from the year after the grant is
            // received, for N years).
            if r.state == State::Granted {
                let src = cr.client.claims.iter().find(|c| c.stem == r.stem);
                let rec = src.map(|c| &c.record);
                let paid = rec.and_then(|r| r.paid_on.or(r.decided_on).or(r.submitted_on));
                let years = match &claim.edition.params {
                    Params::Sangyoui(p) => p.retention_years.value,
                    Params::Shokuba(p) => p.retention_years.value,
                };
                if let Some(paid) = paid {
                    let end_year = paid.year() + years as i32;
                    if let Some(end) = NaiveDate::from_ymd_opt(end_year, 12, 31) {
                        let text = format!(
                            "{} {}回目（{}受給）の書類の保存期間の終了 {}（受給の翌年から{}年間、手引 II-4）",
                            grant_short(grant),
                            claim.round,
                            wareki(paid),
                            wareki(end),
                            years
                        );
                        out.push(Deadline {
                            kind: Kind::RetentionEnds,
                            date: end,
                            client: client.clone(),
                            folder: folder.clone(),
                            claim: Some(r.stem.clone()),
                            grant: grant.to_string(),
                            round: Some(claim.round),
                            opens: None,
                            closes: Some(end),
                            days_left: Some((end - today).num_days()),
                            detail: text.clone(),
                            text,
                        });
                    }
                }
            }
        }
        out.extend(next_claim(cr, &client, today));
    }
    out.sort_by(|a, b| {
        (a.date, &a.folder, &a.claim, a.kind).cmp(&(b.date, &b.folder, &b.claim, b.kind))
    });
    out
}

/// 2. The next claim the client could make: a 2nd 産業医 claim after a 1st that was not
/// refused, when the book has no 2nd yet. (職場環境 is once ever: nothing next.)
fn next_claim(cr: &ClientResult, client: &str, today: NaiveDate) -> Option<Deadline> {
    let sangyoui: Vec<_> = cr
        .claims
        .iter()
        .filter(|r| r.state != State::Refused)
        .filter_map(|r| r.claim.as_ref().map(|c| (r, c)))
        .filter(|(_, c)| c.grant == crate::programmes::johas::edition::Grant::Sangyoui)
        .collect();
    if sangyoui.iter().any(|(_, c)| c.round >= 2) {
        return None;
    }
    let (r, first) = sangyoui.iter().rev().find(|(_, c)| c.round == 1)?;
    let Params::Sangyoui(p) = &first.edition.params else {
        return None;
    };
    let last = first.sangyoui()?.period_to?;
    let offset = p.second_claim_offset_months.value;
    let opens = last
        .add_months(offset + p.window_opens_months_after.value)
        .first_day();
    let closes = last
        .add_months(offset + p.window_length_months.value)
        .last_day();
    let mut item = window_item(
        Kind::Next,
        client,
        &cr.client.folder,
        Some(r.stem.clone()),
        first.grant.id(),
        Some(2),
        (opens, closes),
        today,
        format!("{} 2回目の申請期間", grant_short(first.grant.id())),
    );
    let mut extra = String::new();
    if r.state == State::Open {
        extra.push_str("（1回目の申請が支給された場合）");
    }
    let edition_closes = first.edition.application.closes.value;
    if opens > edition_closes {
        extra.push_str(&format!(
            "。ただし{}の受付は{}までです",
            first.edition.edition_name,
            wareki(edition_closes)
        ));
    }
    item.text.push_str(&extra);
    item.detail.push_str(&extra);
    Some(item)
}

/// The terminal list.
pub fn human(items: &[Deadline], today: NaiveDate) -> String {
    let mut out = format!(
        "{}現在の期限（{}件、日付順）\n\n",
        wareki(today),
        items.len()
    );
    if items.is_empty() {
        out.push_str("期限のある申請はありません。\n");
        return out;
    }
    for d in items {
        let kind = match d.kind {
            Kind::Window => "申請期間",
            Kind::Next => "次の申請",
            Kind::RetentionEnds => "保存期間",
        };
        let claim = d
            .claim
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {kind}  {}{claim}\n    {}\n",
            d.date, d.client, d.text
        ));
    }
    out
}
