//! What an evaluation says (the JSON of `check`): the verdict, each track with its counts,
//! the ブライト500 gate, the items, the blanks, the documents, the deadlines and
//! 「結果を変えるには」. Types only; [`super::evaluate`](mod@super::evaluate) fills them.

use super::counts::{Count, DocumentToKeep, Todo};
use super::facts::Corporation;
use super::params::{Doc, Track};
use super::rules::{ApplicationDate, Deadline};
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;
use serde::Serialize;

/// 「認定要件を満たす／満たさない／判定できない」
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Meets,
    Undetermined,
    Fails,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Meets => "認定要件を満たす",
            Status::Fails => "認定要件を満たさない",
            Status::Undetermined => "判定できない",
        }
    }

    /// The name in JSON and in the rule cases.
    pub fn name(self) -> &'static str {
        match self {
            Status::Meets => "meets",
            Status::Fails => "fails",
            Status::Undetermined => "undetermined",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub status: Status,
    /// 「認定要件を満たす」…
    pub label: String,
    /// The workbook's own words (L2705), carried by every verdict.
    pub disclaimer: String,
    pub disclaimer_cite: String,
    /// Why, in one line each (the failing / unknown rules and counts).
    pub reasons: Vec<String>,
}

/// One evaluation item (①–⑰, and the 推進計画 read as an item for KK-C4).
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub rule: String,
    /// 「①」, or 「推進計画」
    pub mark: String,
    pub title: String,
    pub outcome: Outcome,
}

/// One track, evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct TrackResult {
    pub track: Track,
    /// 「中小規模法人部門」「小規模事業者向け特例」
    pub name: String,
    pub status: Status,
    /// 必須 rules that fail / are unknown.
    pub required_failed: Vec<String>,
    pub required_unknown: Vec<String>,
    pub counts: Vec<Count>,
}

/// ブライト500・ネクストブライト1000, beside the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    /// Q33 ≠ 1.
    NotApplied,
    Meets,
    Undetermined,
    Fails,
}

impl GateStatus {
    pub fn label(self) -> &'static str {
        match self {
            GateStatus::NotApplied => "申請しない",
            GateStatus::Meets => "要件を満たす（順位は認定時に発表）",
            GateStatus::Undetermined => "判定できない",
            GateStatus::Fails => "要件を満たさない",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GateStatus::NotApplied => "not_applied",
            GateStatus::Meets => "meets",
            GateStatus::Undetermined => "undetermined",
            GateStatus::Fails => "fails",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Bright {
    pub status: GateStatus,
    /// ①–⑰ passed / unknown, against `needed`.
    pub passed: u32,
    pub unknown: u32,
    pub needed: u32,
}

/// The JSON of `check` for one answers file.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub programme: String,
    pub edition: String,
    pub as_of: NaiveDate,
    pub application_date: ApplicationDate,
    /// The 法人 profile (法人情報, Q1, Q2, Q4): what the book keeps beside the 事業場 profile.
    pub corporation: Corporation,
    /// The track (KK-S1); `null` when Q2/Q4 leave it open (both were evaluated).
    pub track: Option<Track>,
    pub verdict: Verdict,
    /// Each evaluated track (one, or both).
    pub tracks: Vec<TrackResult>,
    /// D14: a 特例 firm that meets the 通常 requirements too (「通常の要件も満たしています」).
    pub also_meets_normal: bool,
    pub bright: Bright,
    pub items: Vec<Item>,
    pub findings: Vec<Finding>,
    pub todo: Vec<Todo>,
    pub deadlines: Vec<Deadline>,
    pub documents: Vec<DocumentToKeep>,
    pub advice: Vec<Advice>,
    /// Information lines (the 特例's note, a provisional 申請日).
    pub notes: Vec<String>,
}

impl Evaluation {
    /// The worst outcome of a rule (fail > unknown > warning > pass), as the grants' cases use.
    pub fn worst(&self, rule: &str) -> Option<Outcome> {
        crate::model::findings::worst(&self.findings, rule)
    }

    /// 0 when the requirements are met, else 1 (as the grants: not eligible or incomplete).
    pub fn exit_code(&self) -> i32 {
        if self.verdict.status == Status::Meets {
            0
        } else {
            1
        }
    }

    pub fn item(&self, rule: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.rule == rule)
    }

    /// The count of `rule` on `track`, if it was evaluated.
    pub fn count(&self, rule: &str, track: Track) -> Option<&Count> {
        self.tracks
            .iter()
            .filter(|t| t.track == track)
            .flat_map(|t| &t.counts)
            .find(|c| c.rule == rule)
    }
}

/// One way to make an item pass.
#[derive(Debug, Clone, Serialize)]
pub struct Way {
    /// Question ID.
    pub question: String,
    /// 「Q16」
    pub label: String,
    pub option: Option<u32>,
    pub option_text: Option<String>,
    /// 「Q16 の「6 勤務間インターバル制度を設けている」に当たる取り組みを実施して資料を保存すれば…」
    pub sentence: String,
    pub docs: Vec<Doc>,
}

/// An item (or 必須 rule) that does not pass, and what would change that.
#[derive(Debug, Clone, Serialize)]
pub struct ItemAdvice {
    pub rule: String,
    pub mark: String,
    pub title: String,
    pub outcome: Outcome,
    pub ways: Vec<Way>,
    /// When no option alone would do: what would (from the edition data).
    pub change: Option<String>,
    /// Blanks to answer first (labels).
    pub blanks: Vec<String>,
    /// The answer is contradictory (D10): fix it first.
    pub contradiction: bool,
}

/// 「結果を変えるには」 for one count or one 必須 rule.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    /// The counting rule (KK-C3) or the 必須 rule (KK-R5).
    pub rule: String,
    pub track: Option<Track>,
    pub headline: String,
    /// Items still needed (counts); 0 for a 必須 rule.
    pub short_by: u32,
    pub items: Vec<ItemAdvice>,
}
