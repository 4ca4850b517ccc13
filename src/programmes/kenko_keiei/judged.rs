//! An answers file as read and as judged ([`KenkoCase`], [`KenkoJudged`]), and what the
//! report, the 転記表 and the terminal say of them alike: the track line, what changed since
//! an earlier visit, an answer as written and a date as the workbook says it. Below the
//! programme's face (`programme.rs`), which implements the commands' traits on them.

use super::evaluate::Evaluation;
use super::facts::Facts;
use super::params::{Edition, Kind, Question};
use super::rules::When;
use crate::model::dates::{wareki, wareki_month};
use crate::model::{Notice, Written};
use std::collections::BTreeMap;

/// An answers file, read.
#[derive(Debug)]
pub struct KenkoCase {
    pub file: String,
    pub ed: &'static Edition,
    pub facts: Facts,
    pub notices: Vec<Notice>,
    pub written: BTreeMap<String, Written>,
}

/// An answers file and its evaluation.
#[derive(Debug)]
pub struct KenkoJudged {
    pub case: KenkoCase,
    pub ev: Evaluation,
}

/// 「令和7年10月17日 17時00分」, 「令和8年3月頃」.
pub fn when_text(w: When) -> String {
    match w {
        When::At(t) => format!("{} {}", wareki(t.date()), t.format("%-H時%M分")),
        When::Day(d) => wareki(d),
        When::Month(m) => format!("{}頃", wareki_month(m)),
    }
}

/// 「この版の申請受付は …（申請書のアップロード期限）で終了しています（確認日 …）。」 when
/// `today` is after the edition's upload deadline.
pub fn closed_edition(ed: &Edition, today: chrono::NaiveDate) -> Option<String> {
    let deadline = ed.params.upload_deadline.value.0;
    (today > deadline.date()).then(|| {
        crate::model::dates::closed_edition(
            &format!(
                "{}（申請書のアップロード期限）",
                when_text(When::At(deadline))
            ),
            today,
        )
    })
}

impl KenkoJudged {
    /// 「この版の申請受付は … で終了しています（確認日 …）。…」 when the check's day is after
    /// the upload deadline (as the grants say of a closed edition).
    pub fn closed_note(&self) -> Option<String> {
        closed_edition(self.case.ed, self.ev.as_of)
            .map(|s| format!("{s}判定は当時の申請書に照らした参考結果です。"))
    }

    pub fn track_line(&self) -> String {
        match self.ev.track {
            Some(t) => {
                let name = self.case.ed.tracks.get(t).name.clone();
                format!("{}（{}）", t.label(), name)
            }
            None => "決まりません（Q2・Q4 の回答が足りないため、両方で判定しました）".into(),
        }
    }

    /// What changed since an earlier answers file of the same 法人 (a previous visit):
    /// items gained or lost, and counts against their thresholds.
    pub fn changes_from(&self, earlier: &KenkoJudged) -> Vec<String> {
        let mut out = Vec::new();
        if earlier.ev.verdict.status != self.ev.verdict.status {
            out.push(format!(
                "判定: {} → {}",
                earlier.ev.verdict.label, self.ev.verdict.label
            ));
        }
        for item in &self.ev.items {
            let before = earlier.ev.item(&item.rule).map(|i| i.outcome);
            if before != Some(item.outcome) {
                let b = before.map(|o| o.label()).unwrap_or("なし");
                out.push(format!(
                    "{} {}: {b} → {}",
                    item.mark,
                    item.title,
                    item.outcome.label()
                ));
            }
        }
        for tr in &self.ev.tracks {
            for c in &tr.counts {
                if let Some(old) = earlier.ev.count(&c.rule, c.track) {
                    if old.passed != c.passed {
                        out.push(format!(
                            "{}（{}）: {}項目 → {}項目（必要 {}項目）",
                            c.label,
                            c.track.label(),
                            old.passed,
                            c.passed,
                            c.needed
                        ));
                    }
                }
            }
        }
        out
    }
}

/// The facts of an answers file as its own file wrote them, for the 転記表 (every answer in
/// the workbook's order).
pub fn answer_text(j: &KenkoJudged, q: &Question) -> Option<String> {
    let w = j.case.written.get(&q.key)?;
    let v = w.value.trim();
    match q.kind {
        Kind::One => v
            .parse::<u32>()
            .ok()
            .map(|n| q.option_label(n))
            .or_else(|| Some(v.to_string())),
        Kind::Many => {
            let nums: Vec<u32> = serde_json::from_str::<Vec<u32>>(v)
                .unwrap_or_else(|_| v.parse::<u32>().map(|n| vec![n]).unwrap_or_default());
            Some(
                nums.iter()
                    .map(|n| q.option_label(*n))
                    .collect::<Vec<_>>()
                    .join("／"),
            )
        }
        _ => Some(v.to_string()),
    }
}
