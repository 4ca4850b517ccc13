//! The client book of a 社労士 office: one folder, one sub-folder per client, plain TOML
//! files a person can read, diff and keep in git.
//!
//! ```text
//! BOOK/book.toml                     office = "…"            (optional)
//! BOOK/<client>/client.toml          [establishment] [labour_insurance] [bank]   (the profile)
//! BOOK/<client>/claims/<name>.toml   the claim's own facts, and [record] once submitted
//! ```
//!
//! This module reads the files as they are (every syntax problem kept for the check): the
//! book, its clients, their profiles and claims, and each claim's `[record]`. What a claim's
//! facts are — its file merged with the profile, and for a grant the client's earlier claims
//! — is its programme's to say (`Programme::book_input`); the result goes through the input
//! boundary like any file.

use crate::input::tree::{Node, Value};
use crate::input::{Format, InputError, Problem};
use crate::model::dates::YearMonth;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The label of a file read from standard input.
pub const STDIN_LABEL: &str = "<標準入力>";

pub const BOOK_FILE: &str = "book.toml";
pub const PROFILE_FILE: &str = "client.toml";
pub const CLAIMS_DIR: &str = "claims";
/// The claim-file table that records what happened to a claim (stripped before checking).
pub const RECORD: &str = "record";
const RECORD_KEYS: [&str; 7] = [
    "submitted_on",
    "decision",
    "decided_on",
    "paid_on",
    "paid_yen",
    "equipment_granted",
    "note",
];

/// What a path on the command line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder of client folders.
    Book(PathBuf),
    /// One client folder (holds `client.toml` or `claims/`).
    Client(PathBuf),
}

/// `Some` for a directory (a book or a client folder); `None` for a file.
pub fn target_of(path: &Path) -> Option<Target> {
    if !path.is_dir() {
        return None;
    }
    if is_client_dir(path) {
        Some(Target::Client(path.to_path_buf()))
    } else {
        Some(Target::Book(path.to_path_buf()))
    }
}

fn is_client_dir(p: &Path) -> bool {
    p.join(PROFILE_FILE).is_file() || p.join(CLAIMS_DIR).is_dir()
}

/// A book: its clients' folders, not yet read.
#[derive(Debug, Clone)]
pub struct Book {
    pub root: PathBuf,
    pub office: Option<String>,
    /// Client folders, sorted by folder name.
    pub clients: Vec<PathBuf>,
}

/// Why a book cannot be opened at all (Japanese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookError(pub String);

impl std::fmt::Display for BookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Book {
    /// Opens a book folder, or a single client folder as a book of one.
    pub fn open(path: &Path) -> Result<Book, BookError> {
        match target_of(path) {
            None => Err(BookError(format!(
                "{} はフォルダではありません。ブック（クライアントごとのフォルダを入れたフォルダ）かクライアントのフォルダを指定してください。",
                path.display()
            ))),
            Some(Target::Client(dir)) => {
                let root = dir
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."));
                Ok(Book {
                    office: read_office(&root)?,
                    root,
                    clients: vec![dir],
                })
            }
            Some(Target::Book(root)) => {
                let entries = std::fs::read_dir(&root).map_err(|e| {
                    BookError(format!("{} を読めません（{e}）。", root.display()))
                })?;
                let mut clients: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| {
                        p.is_dir()
                            && !p
                                .file_name()
                                .and_then(|n| n.to_str())
                                .is_some_and(|n| n.starts_with('.'))
                            && is_client_dir(p)
                    })
                    .collect();
                clients.sort();
                if clients.is_empty() {
                    return Err(BookError(format!(
                        "{} にクライアントのフォルダ（{PROFILE_FILE} か {CLAIMS_DIR}/ のあるフォルダ）がありません。`johas-claim import` で顧客名簿から作るか、README の「社労士事務所の使い方」を見てください。",
                        root.display()
                    )));
                }
                Ok(Book {
                    office: read_office(&root)?,
                    root,
                    clients,
                })
            }
        }
    }
}

fn read_office(root: &Path) -> Result<Option<String>, BookError> {
    let path = root.join(BOOK_FILE);
    let text = match crate::input::limits::read_text(&path, crate::input::limits::BOOK_FILE) {
        Ok(text) => text,
        Err(crate::input::limits::ReadError::Io(_)) => return Ok(None),
        Err(too_large) => return Err(BookError(format!("{}: {too_large}", path.display()))),
    };
    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
        return Ok(None);
    };
    Ok(table
        .get("office")
        .and_then(|v| v.as_str())
        .map(str::to_string))
}

/// A file of the book as read for the input boundary (lenient, every syntax problem kept).
pub type Source = crate::input::Doc;

/// The decision on a submitted claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Granted,
    Refused,
}

/// What happened to a claim (`[record]` in the claim file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub submitted_on: Option<NaiveDate>,
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub paid_yen: Option<i64>,
    pub equipment_granted: Option<bool>,
}

/// Where a claim stands, from its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not submitted yet.
    Open,
    /// Submitted, no decision recorded.
    Pending,
    Granted,
    Refused,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Open => "未提出",
            State::Pending => "審査中",
            State::Granted => "支給",
            State::Refused => "不支給",
        }
    }
}

impl Record {
    pub fn state(&self) -> State {
        match (self.submitted_on, self.decision) {
            (None, _) => State::Open,
            (Some(_), None) => State::Pending,
            (Some(_), Some(Decision::Granted)) => State::Granted,
            (Some(_), Some(Decision::Refused)) => State::Refused,
        }
    }
}

/// What the book reads of a claim file before checking it, to know its programme and to put
/// a client's claims in order (lenient: a value that cannot be read is `None`; the check
/// reports it).
#[derive(Debug, Clone, Default)]
pub struct ClaimKey {
    /// The programme (`claim.grant`, or `programme` at the top of the file).
    pub grant: Option<String>,
    pub edition: Option<String>,
    pub round: Option<i64>,
    pub application_date: Option<NaiveDate>,
}

/// A client's claims and their book, for a programme that builds a claim from them
/// (`Programme::book_input`): the file's tree merged with the profile, the history, what
/// the book says of it.
#[derive(Debug, Clone)]
pub struct BookInput {
    /// What the input boundary checks: every value names the file it was written in.
    pub input: crate::input::Input,
    /// Contradictions between this claim and the book (the claim is then not complete).
    pub contradictions: Vec<String>,
    /// Remarks that change nothing (a profile value the claim overrides, a round taken from
    /// the history).
    pub notes: Vec<String>,
    /// Other claims of the book this one's facts were derived from (file stems).
    pub derived_from: Vec<String>,
}

/// One claim file of a client.
#[derive(Debug, Clone)]
pub struct ClaimSource {
    /// The claim file, its tree without `[record]`.
    pub src: Source,
    /// The file name without `.toml`.
    pub stem: String,
    pub record: Record,
    pub key: ClaimKey,
    /// The file could not be read, or its record is wrong.
    pub error: Option<InputError>,
}

impl ClaimSource {
    pub fn state(&self) -> State {
        self.record.state()
    }
}

/// One client folder, read.
#[derive(Debug, Clone)]
pub struct Client {
    /// The folder's name.
    pub folder: String,
    pub dir: PathBuf,
    /// `establishment.name` of the profile, when given.
    pub name: Option<String>,
    pub profile: Option<Source>,
    /// The profile could not be read or has wrong values (its claims are not checked).
    pub profile_error: Option<InputError>,
    /// Claim files, sorted by application date, then round, then file name.
    pub claims: Vec<ClaimSource>,
}

impl Client {
    /// The client as shown: the establishment's name, else the folder's.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.folder.clone())
    }
}

pub fn whole_file(label: &str, message: impl Into<String>) -> InputError {
    InputError {
        file: label.to_string(),
        problems: vec![Problem {
            path: String::new(),
            line: None,
            value: None,
            message: message.into(),
            file: None,
        }],
    }
}

/// Reads a book file (TOML) for the input boundary: lenient, with every syntax problem
/// kept for the check to report in Japanese.
pub fn read_toml(path: &Path) -> Result<Source, InputError> {
    let label = path.display().to_string();
    let text = crate::input::read_text(path)?;
    Ok(Source::parse(&label, &text, Format::Toml))
}

/// Reads a client folder: the profile (checked on its own by `check_profile`, the
/// programmes' check of their sections) and every claim file.
pub fn load_client(
    dir: &Path,
    check_profile: &dyn Fn(&Source) -> Result<(), InputError>,
) -> Client {
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string());
    let profile_path = dir.join(PROFILE_FILE);
    let (profile, profile_error) = if profile_path.is_file() {
        match read_toml(&profile_path) {
            Ok(src) => match check_profile(&src) {
                Ok(()) => (Some(src), None),
                Err(e) => (Some(src), Some(e)),
            },
            Err(e) => (None, Some(e)),
        }
    } else {
        (
            None,
            Some(whole_file(
                &profile_path.display().to_string(),
                format!("クライアントのプロファイル {PROFILE_FILE} がありません。[establishment]・[labour_insurance]・[bank] を書いたファイルを置くか、`johas-claim import` で作ってください。"),
            )),
        )
    };
    let name = profile.as_ref().and_then(|p| {
        p.parsed
            .root
            .at("establishment.name")
            .and_then(|n| n.as_str())
            .map(str::to_string)
    });
    let mut claims = Vec::new();
    for p in claim_files(dir) {
        claims.push(load_claim(&p));
    }
    claims.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    Client {
        folder,
        dir: dir.to_path_buf(),
        name,
        profile,
        profile_error,
        claims,
    }
}

/// The claim files of a client folder (`claims/*.toml`, not hidden), sorted.
pub fn claim_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join(CLAIMS_DIR)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
                && !p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    paths
}

/// The client folder a claim file belongs to, when it lies in a book
/// (`<client>/claims/<name>.toml` beside a `client.toml`): such a file is read with its
/// profile and history by every command, as the book reads it.
pub fn client_of_claim(path: &Path) -> Option<PathBuf> {
    let path = std::fs::canonicalize(path).ok()?;
    let claims = path.parent()?;
    if claims.file_name()? != CLAIMS_DIR {
        return None;
    }
    let client = claims.parent()?;
    client
        .join(PROFILE_FILE)
        .is_file()
        .then(|| client.to_path_buf())
}

/// Claims in the order they were made: application date, round, file name.
fn order_key(c: &ClaimSource) -> (NaiveDate, i64, String) {
    (
        c.key
            .application_date
            .or(c.record.submitted_on)
            .unwrap_or(NaiveDate::MAX),
        c.key.round.unwrap_or(1),
        c.stem.clone(),
    )
}

/// True when `a` was made before `b`.
pub fn precedes(a: &ClaimSource, b: &ClaimSource) -> bool {
    order_key(a) < order_key(b)
}

/// A date as the book reads it leniently (`2020-10-10`, a TOML date, 和暦, `2020/10/10`).
pub fn date_value(n: &Node) -> Option<NaiveDate> {
    match crate::input::lenient::read_date(n.as_str()?) {
        crate::input::lenient::DateRead::Iso(d)
        | crate::input::lenient::DateRead::Normalised(d) => Some(d),
        _ => None,
    }
}

/// A year-month as the book reads it leniently.
pub fn ym_value(n: &Node) -> Option<YearMonth> {
    let ((y, m), _) = crate::input::lenient::read_year_month(n.as_str()?)?;
    YearMonth::new(y, m)
}

pub fn int_value(n: &Node) -> Option<i64> {
    match &n.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) => crate::input::lenient::ascii_digits(s).trim().parse().ok(),
        _ => None,
    }
}

/// Reads one claim file of a book: its facts, and its `[record]` (checked here, removed
/// from the tree the check sees).
pub fn load_claim(path: &Path) -> ClaimSource {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut src = match read_toml(path) {
        Ok(s) => s,
        Err(e) => {
            return ClaimSource {
                src: Source::parse(&path.display().to_string(), "", Format::Toml),
                stem,
                record: Record::default(),
                key: ClaimKey::default(),
                error: Some(e),
            }
        }
    };
    let mut problems = Vec::new();
    let record = match src.parsed.root.take(RECORD) {
        None => Record::default(),
        Some(n) if matches!(n.value, Value::Table(_)) => parse_record(&n, &mut problems),
        Some(n) => {
            problems.push(Problem {
                path: RECORD.into(),
                line: (n.line > 0).then_some(n.line),
                value: None,
                message: "record は [record] の表で書いてください（submitted_on, decision, decided_on, paid_on, paid_yen）。".into(),
                file: None,
            });
            Record::default()
        }
    };
    let key = claim_key(&src.parsed.root);
    let error = (!problems.is_empty()).then(|| InputError {
        file: src.label.clone(),
        problems,
    });
    ClaimSource {
        src,
        stem,
        record,
        key,
        error,
    }
}

fn claim_key(root: &Node) -> ClaimKey {
    let get = |p: &str| root.at(p);
    let text = |n: &Node| n.as_str().map(|s| s.trim().to_string());
    ClaimKey {
        grant: get("claim.grant")
            .or_else(|| get("programme"))
            .and_then(text),
        edition: get("claim.edition")
            .or_else(|| get("edition"))
            .and_then(text),
        round: get("claim.round").and_then(int_value),
        application_date: get("claim.application_date").and_then(date_value),
    }
}

fn parse_record(t: &Node, problems: &mut Vec<Problem>) -> Record {
    let mut r = Record::default();
    let bad = |problems: &mut Vec<Problem>, key: &str, value: &Node, message: &str| {
        problems.push(Problem {
            line: (value.line > 0).then_some(value.line),
            path: format!("{RECORD}.{key}"),
            value: Some(crate::input::walk::show(value)),
            message: message.to_string(),
            file: None,
        });
    };
    for e in t.entries() {
        let (k, v) = (e.key.as_str(), &e.node);
        match k {
            "submitted_on" | "decided_on" | "paid_on" => match date_value(v) {
                Some(d) => match k {
                    "submitted_on" => r.submitted_on = Some(d),
                    "decided_on" => r.decided_on = Some(d),
                    _ => r.paid_on = Some(d),
                },
                None => bad(problems, k, v, "日付は 2020-10-10 の形（年-月-日）で書いてください。"),
            },
            "decision" => match v.as_str().map(str::trim) {
                Some("支給" | "granted") => r.decision = Some(Decision::Granted),
                Some("不支給" | "refused") => r.decision = Some(Decision::Refused),
                Some("審査中" | "pending" | "") => r.decision = None,
                _ => bad(
                    problems,
                    k,
                    v,
                    "decision は \"支給\"・\"不支給\"（または \"granted\"・\"refused\"）のどれかにしてください。決定前なら書かないか \"審査中\"。",
                ),
            },
            "paid_yen" => match int_value(v) {
                Some(n) if n >= 0 => r.paid_yen = Some(n),
                _ => bad(problems, k, v, "paid_yen は支給された金額（円、0 以上の整数）で書いてください。"),
            },
            "equipment_granted" => match v.value {
                Value::Bool(b) => r.equipment_granted = Some(b),
                _ => bad(
                    problems,
                    k,
                    v,
                    "equipment_granted は true（機器・設備の助成を受けた）か false にしてください。",
                ),
            },
            "note" => {}
            other => {
                let nearest = RECORD_KEYS
                    .iter()
                    .map(|c| (strsim::damerau_levenshtein(c, other), c))
                    .min()
                    .filter(|(d, _)| *d <= 3)
                    .map(|(_, c)| format!("もしかして \"{c}\"？ "))
                    .unwrap_or_default();
                problems.push(Problem {
                    line: (e.line > 0).then_some(e.line),
                    path: format!("{RECORD}.{other}"),
                    value: None,
                    message: format!(
                        "{nearest}[record] に書けるのは {} です。",
                        RECORD_KEYS.join("、")
                    ),
                    file: None,
                });
            }
        }
    }
    if r.submitted_on.is_none()
        && (r.decision.is_some() || r.decided_on.is_some() || r.paid_yen.is_some())
    {
        problems.push(Problem {
            path: format!("{RECORD}.submitted_on"),
            line: (t.line > 0).then_some(t.line),
            value: None,
            message: "決定や支給額が書かれていますが、提出日（submitted_on）がありません。提出日を書いてください。".into(),
            file: None,
        });
    }
    r
}
