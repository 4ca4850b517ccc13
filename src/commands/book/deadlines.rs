//! Deadlines of a book: each open claim's window, the next claim each client could make,
//! and the end of the 5-year retention of each paid claim (手引 II-4), sorted by date.

use super::batch::ClientResult;
use super::State;
use crate::model::dates::wareki;
pub use crate::model::doc::DeadlineKind as Kind;
use crate::programmes::Judgement;
use chrono::NaiveDate;
use serde::Serialize;

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

/// The deadlines of every client, sorted by date (then client, then claim): each judged
/// claim's own dates, as its programme gives them.
pub fn deadlines(results: &[ClientResult], today: NaiveDate) -> Vec<Deadline> {
    let mut out = Vec::new();
    for cr in results {
        let client = cr.client.display_name();
        let folder = &cr.client.folder;
        for (i, r) in cr.claims.iter().enumerate() {
            let Some(j) = &r.judged else { continue };
            // A file a later one replaces (an earlier visit's answers) has the same dates.
            if r.superseded_by.is_some() {
                continue;
            }
            let programme = j.case().programme();
            // The client's judged claims of the same programme, in the book's order.
            let same: Vec<(usize, State, &dyn Judgement)> = cr
                .claims
                .iter()
                .enumerate()
                .filter_map(|(k, o)| o.judged.as_deref().map(|oj| (k, o.state, oj)))
                .filter(|(_, _, oj)| oj.case().programme().id() == programme.id())
                .collect();
            let me = same.iter().position(|(k, _, _)| *k == i).unwrap_or(0);
            let siblings: Vec<(State, &dyn Judgement)> =
                same.iter().map(|(_, s, oj)| (*s, *oj)).collect();
            let record = cr
                .client
                .claims
                .iter()
                .find(|c| c.stem == r.stem)
                .map(|c| c.record.clone())
                .unwrap_or_default();
            for d in j.deadlines(r.state, &record, &siblings, me) {
                let item = match d.opens {
                    Some(opens) => {
                        let mut item = window_item(
                            d.kind,
                            &client,
                            folder,
                            Some(r.stem.clone()),
                            programme.id(),
                            d.round,
                            (opens, d.closes),
                            today,
                            d.what,
                        );
                        item.text.push_str(&d.extra);
                        item.detail.push_str(&d.extra);
                        item
                    }
                    None => Deadline {
                        kind: d.kind,
                        date: d.closes,
                        client: client.clone(),
                        folder: folder.clone(),
                        claim: Some(r.stem.clone()),
                        grant: programme.id().to_string(),
                        round: d.round,
                        opens: None,
                        closes: Some(d.closes),
                        days_left: Some((d.closes - today).num_days()),
                        detail: d.what.clone(),
                        text: d.what,
                    },
                };
                out.push(item);
            }
        }
    }
    out.sort_by(|a, b| {
        (a.date, &a.folder, &a.claim, a.kind).cmp(&(b.date, &b.folder, &b.claim, b.kind))
    });
    out
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
            Kind::Window if d.opens.is_none() => "期限    ",
            Kind::Window => "申請期間",
            Kind::Next => "次の申請",
            Kind::RetentionEnds => "保存期間",
            Kind::Date => "期日    ",
        };
        let claim = d
            .claim
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        // The book's folder (the office's client code) tells same-name clients apart.
        out.push_str(&format!(
            "{}  {kind}  {}{claim}\n    {}\n",
            d.date, d.folder, d.text
        ));
    }
    out
}
