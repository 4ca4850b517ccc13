//! What every programme offers the commands: one trait for the programme itself
//! ([`Programme`]: its names, editions, file format, explanation, interview), one for a file
//! of facts read through the input boundary ([`Case`]) and one for those facts judged
//! ([`Judgement`]). The commands know nothing else of a programme; the registry in
//! `programmes/mod.rs` is the only list of programmes.
//!
//! A programme must provide every method: one that forgets a part does not compile.

use crate::input::book::{BookInput, Client, Record, State};
use crate::input::tree::Node;
use crate::input::{Input, InputError};
use crate::model::doc::{Counts, Dated, Explanation, Packet, PacketError, Summary};
use crate::model::findings::Finding;
use crate::model::{Notice, Written};
use chrono::NaiveDate;
use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;

/// One programme (a grant, a certification): its editions, its file of facts and its rules.
/// (`Any`: the registry tells a programme's kind from the programme itself.)
pub trait Programme: Any + Sync + Send {
    /// The id written in its files (`claim.grant = "…"` or `programme = "…"`) and in the
    /// folder of its editions (`editions/<id>/`).
    fn id(&self) -> &'static str;

    /// Its full name (the newest edition's).
    fn name(&self) -> String;

    /// A short name for tables, calendars and folder names (「産業医活動」).
    fn short_name(&self) -> &'static str;

    /// Every name a user may search it by (`explain 産業医`, `new --grant 健康経営`): its
    /// id, its section, its editions' names and guides.
    fn names(&self) -> Vec<String>;

    /// The columns of its client profile in an office's client list (`import`); none by
    /// default.
    fn profile_columns(&self) -> &'static [crate::input::columns::Column] {
        &[]
    }

    /// One line per edition for `editions`: `<id>\t<edition>\t<description>\t<status on
    /// today>` (受付前・受付中・受付終了, with the day).
    fn edition_lines(&self, today: NaiveDate) -> Vec<String>;

    /// Loads its editions, the bundled ones and those of `--editions DIR` folders, and checks
    /// them: a defect is the tool's data at fault, named with its file. Called once, before
    /// any file is read; a second call does nothing.
    fn load_data(&self, dirs: &[std::path::PathBuf]) -> Result<(), crate::model::DataError>;

    /// Whether the file with this tree is one of this programme's.
    fn owns(&self, root: &Node) -> bool;

    /// The facts of a file (or of a book claim merged with its profile) through the input
    /// boundary, or every problem at once.
    fn read(&self, input: Input) -> Result<Box<dyn Case>, InputError>;

    /// A book claim of this programme: its file merged with the client's profile (and, for a
    /// grant, the history of the client's earlier claims), ready for [`Programme::read`].
    fn book_input(&self, client: &Client, index: usize) -> BookInput;

    /// The top-level sections of a client's profile (client.toml) this programme reads.
    fn profile_sections(&self) -> &'static [&'static str];

    /// The client's name as its sections of a profile give it, for a client whose profile
    /// has no establishment name (a 法人 known only by this programme's sections).
    fn client_name(&self, profile: &Node) -> Option<String> {
        let _ = profile;
        None
    }

    /// Checks the sections of a profile this programme reads (`input` holds the profile
    /// alone): every problem, none when they are usable.
    fn check_profile(&self, input: &Input) -> Vec<crate::input::Problem>;

    /// The JSON Schema of its file (`schema`).
    fn schema_json(&self) -> String;

    /// `explain`: the requirements of an edition (the newest when `None`) as a document.
    fn explain(&self, edition: Option<&str>, today: NaiveDate) -> Result<Explanation, String>;

    /// `new --template`: every key of its file, commented, with what to write.
    fn template(&self) -> String;

    /// `new`: the questions of its file, in the order of its forms or workbook.
    fn questionnaire(&self) -> Option<&'static dyn crate::model::interview::Questionnaire>;
}

/// A file of facts read through the input boundary (a claim, a workbook's answers).
pub trait Case: Send + Sync + fmt::Debug {
    fn programme(&self) -> &'static dyn Programme;

    /// The file as named on the command line.
    fn file(&self) -> &str;

    /// What was read leniently (和暦 → 西暦 …), one per change.
    fn notices(&self) -> &[Notice];

    /// Every fact by dotted path: the value as read, as written, and where.
    fn written(&self) -> &BTreeMap<String, Written>;

    /// The round (何回目), for a programme that counts them.
    fn round(&self) -> Option<u32>;

    /// Judges the facts. `today` only says whether a deadline has passed; `preflight` also
    /// lays out what `packet` would write and reports what it could not.
    fn judge(self: Box<Self>, today: NaiveDate, preflight: bool) -> Box<dyn Judgement>;

    fn as_any(&self) -> &dyn Any;
}

/// Facts judged against their edition: what `check`, `report`, `packet` and the book show.
pub trait Judgement: Send + Sync + fmt::Debug {
    fn case(&self) -> &dyn Case;

    /// `Some(true)` the requirements are met, `Some(false)` not, `None` not decided (a fact
    /// is missing).
    fn eligible(&self) -> Option<bool>;

    /// Eligible and nothing missing: exit 0.
    fn complete(&self) -> bool;

    /// The verdict in one line (「支給要件を満たしています」).
    fn verdict_line(&self) -> String;

    /// Every finding, with its rule ID and citation.
    fn findings(&self) -> &[Finding];

    /// `check`'s report for the terminal.
    fn human(&self, verbose: bool) -> String;

    /// `check --format json` (field names are a contract).
    fn json(&self) -> serde_json::Value;

    /// `report --html`: one `<article>` of the meeting page; `state` is where the file
    /// stands in a book (未提出 / 審査中 / 支給 / 不支給).
    fn report_article(&self, state: Option<&str>) -> Result<String, String>;

    /// [`Judgement::report_article`] with what changed since an earlier file of the same
    /// programme and client (a previous visit), when the programme shows that.
    fn report_article_since(
        &self,
        state: Option<&str>,
        earlier: Option<&dyn Judgement>,
    ) -> Result<String, String> {
        let _ = earlier;
        self.report_article(state)
    }

    /// What changed since an earlier file of the same programme and client, one line each
    /// (none when the programme does not compare files).
    fn changes_since(&self, earlier: &dyn Judgement) -> Vec<String> {
        let _ = earlier;
        Vec::new()
    }

    /// Whether this file replaces `earlier`, an earlier file of the same programme and client
    /// (a later visit's answers for the same application): then only the newest decides the
    /// book's exit status, is listed as needing action and gets a packet and deadlines.
    /// Files that are each their own application (a grant's rounds) replace nothing.
    fn supersedes(&self, earlier: &dyn Judgement) -> bool {
        let _ = earlier;
        false
    }

    /// For a programme that counts items against thresholds (a certification): the track
    /// and the counts, shown in the book's table where a grant shows its amount.
    fn counts(&self) -> Option<Counts> {
        None
    }

    /// `packet`: the files to write, or why they cannot be made.
    fn packet(&self) -> Result<Packet, PacketError>;

    /// What the book's summary shows of it.
    fn summary(&self) -> Summary;

    /// Its dates for `deadlines` (its window, the next one the client could apply in, the
    /// end of document retention), given where it stands in the book (`state`, `record`)
    /// and the client's judged files of the same programme in the book's order, itself at
    /// `me`.
    fn deadlines(
        &self,
        state: State,
        record: &Record,
        siblings: &[(State, &dyn Judgement)],
        me: usize,
    ) -> Vec<Dated>;

    fn as_any(&self) -> &dyn Any;
}
