//! What every programme's facts and judgements share: findings with their citations,
//! dates (和暦), and where each fact was written.

pub mod dates;
pub mod doc;
pub mod findings;
pub mod interview;

/// A fact as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// The file (a book claim's facts come from the claim file, the client's profile or an
    /// earlier claim).
    pub file: String,
    /// None for an answer given at a prompt or a value the tool derived.
    pub line: Option<usize>,
    /// The value as written (`令和2年10月10日`, `３５`, `true`).
    pub text: String,
    /// The value as read (`2020-10-10`, `35`, `true`).
    pub value: String,
}

/// A value the tool read leniently: where, and what it read it as (Japanese).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    /// Dotted field path (as in input errors); empty for the whole file.
    pub path: String,
    /// The file it was written in, when it is not the claim's own file (a book claim's
    /// profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The kind of reading, for showing notices grouped (`日付は西暦の YYYY-MM-DD`).
    pub kind: String,
    /// The reading, short: `"令和2年10月10日" → "2020-10-10"`.
    pub reading: String,
    pub message: String,
}

/// The tool's data (an edition or a form layout) is wrong: not the user's claim file.
/// For the bundled data this is a defect the tests catch; for `--editions DIR` the message
/// names the file to fix.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The data file (or folder) at fault.
    pub file: String,
    pub message: String,
}

impl DataError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "エラー: 版・様式のデータ {} に誤りがあります（申請ファイルの誤りではありません）。\n  {}\n",
            self.file, self.message
        )
    }
}

impl std::error::Error for DataError {}

/// Display width in a terminal: East Asian wide characters take two columns.
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Where a notice is: `path（6行）`, or `path（client.toml:7）` for another file.
fn notice_place(n: &Notice) -> String {
    let path = if n.path.is_empty() {
        "ファイル".to_string()
    } else {
        n.path.clone()
    };
    match (&n.file, n.line) {
        (Some(f), Some(l)) => format!("{path}（{f}:{l}）"),
        (Some(f), None) => format!("{path}（{f}）"),
        (None, Some(l)) => format!("{path}（{l}行）"),
        (None, None) => path,
    }
}

/// What was read leniently, grouped by kind: one line per kind, with the count and the
/// first places, cut to `columns` display columns (`verbose`: every notice on its own line).
/// The same lines in single-file and book mode.
pub fn notice_lines(notices: &[Notice], verbose: bool, columns: usize) -> Vec<String> {
    if verbose {
        return notices
            .iter()
            .map(|n| format!("お知らせ: {} → {}", notice_place(n), n.message))
            .collect();
    }
    let mut kinds: Vec<(&str, Vec<&Notice>)> = Vec::new();
    for n in notices {
        match kinds.iter_mut().find(|(k, _)| *k == n.kind) {
            Some((_, list)) => list.push(n),
            None => kinds.push((&n.kind, vec![n])),
        }
    }
    kinds
        .into_iter()
        .map(|(kind, list)| {
            let mut line = format!("お知らせ: 読み替え（{kind}）{}件: ", list.len());
            for (i, n) in list.iter().enumerate() {
                let place = if i == 0 {
                    format!("{} {}", notice_place(n), n.reading)
                } else {
                    notice_place(n)
                };
                let rest = list.len() - i - 1;
                let tail = if rest > 0 {
                    format!(" ほか{rest}件")
                } else {
                    String::new()
                };
                let sep = if i > 0 { "、" } else { "" };
                let candidate = format!("{line}{sep}{place}");
                if i > 0 && width(&candidate) + width(&tail) > columns {
                    line.push_str(&format!(" ほか{}件", list.len() - i));
                    break;
                }
                line = candidate;
            }
            line
        })
        .collect()
}

/// A value with the place in the guide that says it (every number of an edition has one).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited<T> {
    pub value: T,
    pub cite: String,
}
