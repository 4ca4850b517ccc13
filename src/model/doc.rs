//! The documents a programme hands to the commands, knowing no command: the explanation of
//! an edition (`explain`), the files of a packet (`packet`), a judgement's line in the book
//! (`check BOOK`) and its dates (`deadlines`). The commands render them; a programme fills
//! them. Field names that reach JSON are a contract.

use chrono::NaiveDate;
use serde::Serialize;

/// One number from the edition data, with the place in the guide that says it.
#[derive(Debug, Clone, Serialize)]
pub struct Number {
    pub label: String,
    pub value: String,
    pub cite: String,
}

/// One requirement as `explain` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDoc {
    pub id: String,
    pub title: String,
    pub cite: String,
    /// The guide's own sentences.
    pub quote: Vec<String>,
    pub numbers: Vec<Number>,
    /// Where the guide is ambiguous: the decision the tool applies.
    pub decision: Option<String>,
}

/// The requirements under one heading of the guide.
#[derive(Debug, Clone, Serialize)]
pub struct SectionDoc {
    pub heading: String,
    pub rules: Vec<RuleDoc>,
}

/// One entry of a block after the requirements (an attachment, a step of the amount …):
/// a title and labelled lines.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `SC-T1` …, empty when none.
    pub id: String,
    pub title: String,
    /// Shown after the title (「（本ツールが作成）」).
    pub mark: String,
    /// (label, text) lines: 「必要な場合」「確認すること」 … (the columns of a table in HTML)
    pub lines: Vec<(String, String)>,
    /// (label, text) lines said on the terminal only (「申請ファイル: `[attachments] … = true`」).
    pub extra: Vec<(String, String)>,
    pub cite: String,
}

/// A part of the explanation after the requirements (attachments, the window, the amount,
/// the tracks of a certification …).
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    pub heading: String,
    /// The heading of the entries' title column (「書類」).
    pub entry_title: String,
    /// Sentences, one a line.
    pub lines: Vec<String>,
    /// Entries, each with its lines (a table in HTML).
    pub entries: Vec<Entry>,
    /// The guide's own sentences, each with its place: (quote, cite).
    pub quotes: Vec<(String, String)>,
    pub cite: String,
}

/// The requirements of one edition of one programme, in the guide's order.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The programme's id (as its files name it).
    pub programme: String,
    pub name: String,
    pub edition: String,
    pub edition_name: String,
    /// The guide (手引, the workbook) the requirements come from.
    pub guide: String,
    /// What its quotes are called: 「手引」, 「申請書」.
    pub guide_short: String,
    /// Said under the title: the edition is closed, a newer one exists, or what the tool
    /// does and does not decide.
    pub status: String,
    pub sections: Vec<SectionDoc>,
    pub blocks: Vec<Block>,
    /// The last line of the page (where the numbers come from).
    pub footer: String,
}

/// One file to write.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Everything `packet` writes, before it is written.
#[derive(Debug, Clone)]
pub struct Packet {
    pub files: Vec<OutputFile>,
    /// Printed after the files are written (the checklist, what to do next).
    pub terminal: String,
}

/// Why no packet could be made. Messages are Japanese.
#[derive(Debug, Clone, PartialEq)]
pub enum PacketError {
    /// Values the documents cannot hold, by key of the file (every one, listed).
    Problems(String),
    /// Anything else (a fact the documents need is missing, the layout data is wrong).
    Other(String),
}

impl std::fmt::Display for PacketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PacketError::Problems(m) | PacketError::Other(m) => f.write_str(m),
        }
    }
}

/// What the book's summary shows of one judged file.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub round: Option<u32>,
    /// The verdict in the book's words: 適合, 書類不足, 記入不足 (a form cannot be filled),
    /// 不適合, 判定不能.
    pub verdict: String,
    pub amount_yen: Option<i64>,
    /// The application window (first and last day).
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// The last day to file, for a programme whose edition gives no first day (an upload
    /// deadline); `window` wins when both are set. None once filed.
    pub deadline: Option<NaiveDate>,
    pub missing: Vec<String>,
    /// Why it is not complete, one line each.
    pub reasons: Vec<String>,
    /// Remarks worth reading (not the advice every file of the programme gets).
    pub notes: Vec<String>,
}

/// A certification's counts as the book's table shows them (`Judgement::counts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// The track the counts are for (「通常（中小規模法人部門）」), or why none was chosen.
    pub track: String,
    /// One short cell: 「通常 2/2 5/2 6/4」 (each group: passed / needed).
    pub short: String,
    /// Every group named: 「①～③ 2/2、④～⑩ 5/2、⑪～⑰ 6/4」.
    pub long: String,
}

/// What a date in `deadlines` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// An open (not yet submitted) file's application window.
    Window,
    /// The window of the next application the client could make.
    Next,
    /// The last day the documents must be kept.
    RetentionEnds,
    /// A dated step after filing that is not a deadline to file (a notice expected, the end
    /// of a certification's use): listed and put in the calendar without a reminder.
    Date,
}

/// One dated item a judgement gives the book's `deadlines`.
#[derive(Debug, Clone)]
pub struct Dated {
    pub kind: DeadlineKind,
    pub round: Option<u32>,
    /// A window's first day (none for a single date).
    pub opens: Option<NaiveDate>,
    /// A window's last day, or the date.
    pub closes: NaiveDate,
    /// 「産業医活動 2回目の申請期間」: for a window the book adds the dates and the status of
    /// the day; for a single date this is the whole line.
    pub what: String,
    /// Said after the window (「（1回目の申請が支給された場合）」).
    pub extra: String,
}
