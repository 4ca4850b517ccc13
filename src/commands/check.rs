//! `check FILE…`: each file judged by its programme (a book or a client folder: the book's
//! summary). A file that cannot be read is reported in place and the others go on.

use crate::commands::book::commands::{check_book, expand_globs, SummaryFiles};
use crate::commands::load::{load, Loaded};
use crate::commands::OutputFormat;
use crate::failure::Failure;
use crate::input::InputError;
use crate::model::Notice;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// Exit 0 when every file is complete, 1 when one is not (or contradicts its book), 2 when
/// one could not be read.
pub fn run(
    files: &[PathBuf],
    format: OutputFormat,
    verbose: bool,
    today: NaiveDate,
    summary_files: &SummaryFiles,
) -> Result<u8, Failure> {
    use rayon::prelude::*;
    let mut worst = 0u8;
    let files = expand_globs(files);
    let clients = Clients::default();
    let mut i = 0;
    while i < files.len() {
        if files[i].is_dir() {
            let code = check_book(
                &files[i],
                format == OutputFormat::Json,
                today,
                summary_files,
            )?;
            worst = worst.max(code);
            i += 1;
            continue;
        }
        // A run of files (up to the next folder, at most CHUNK of them) is read and judged on
        // every core; what each prints is then written in the order the files were named, so
        // the output is the same as one by one and the first results show without waiting for
        // the last file.
        let end = (i..files.len())
            .find(|&j| files[j].is_dir() || j - i == CHUNK)
            .unwrap_or(files.len());
        let done: Vec<Checked> = (i..end)
            .into_par_iter()
            .map(|k| check_file(&files[k], k > 0, format, verbose, today, &clients))
            .collect();
        for c in done {
            match c {
                Checked::Judged {
                    notices,
                    text,
                    complete,
                } => {
                    print_notices(&notices, verbose)?;
                    crate::out!("{text}")?;
                    worst = worst.max(if complete { 0 } else { 1 });
                }
                Checked::Unreadable { json, err } => {
                    if let Some(j) = json {
                        crate::outln!("{j}")?;
                    }
                    crate::err!("{err}")?;
                    worst = 2;
                }
            }
        }
        i = end;
    }
    Ok(worst)
}

/// How many files are judged at once before their results are printed.
const CHUNK: usize = 256;

/// One file, read, judged and rendered: what `check` prints for it.
enum Checked {
    Judged {
        notices: Vec<Notice>,
        text: String,
        complete: bool,
    },
    Unreadable {
        json: Option<String>,
        err: InputError,
    },
}

fn check_file(
    path: &std::path::Path,
    after_another: bool,
    format: OutputFormat,
    verbose: bool,
    today: NaiveDate,
    clients: &Clients,
) -> Checked {
    let loaded = match load(path) {
        Ok(l) => l,
        Err(err) => {
            return Checked::Unreadable {
                json: (format == OutputFormat::Json).then(|| json_error(&err)),
                err,
            }
        }
    };
    let notices = loaded.case.notices().to_vec();
    let Loaded {
        case,
        contradictions,
        notes,
        ..
    } = loaded;
    let judged = case.judge(today, true);
    let visits = clients.visits(path, today);
    let text = match format {
        OutputFormat::Human => {
            let sep = if after_another { "\n" } else { "" };
            format!(
                "{sep}{}{}{}",
                judged.human(verbose),
                book_section(&contradictions, &notes),
                visits_section(&visits)
            )
        }
        OutputFormat::Json => {
            let mut j = judged.json();
            if let Some(m) = j.as_object_mut() {
                if !contradictions.is_empty() || !notes.is_empty() {
                    m.insert(
                        "book".into(),
                        serde_json::json!({
                            "contradictions": contradictions,
                            "notes": notes,
                        }),
                    );
                }
                if visits.superseded_by.is_some() || !visits.changes.is_empty() {
                    m.insert(
                        "visits".into(),
                        serde_json::to_value(&visits).unwrap_or_default(),
                    );
                }
            }
            format!("{j}\n")
        }
    };
    Checked::Judged {
        notices,
        text,
        complete: judged.complete() && contradictions.is_empty(),
    }
}

/// For a file in a book: the client's previous file of the same programme, what changed
/// since it, and a later file that replaces it (a later visit's answers).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Visits {
    pub previous: Option<String>,
    pub changes: Vec<String>,
    pub superseded_by: Option<String>,
}

/// The visits of the files of each client folder that `check` was given files of: its
/// whole folder is judged once per run, however many of its files are named.
#[derive(Default)]
struct Clients {
    by_dir: Mutex<HashMap<PathBuf, Arc<OnceLock<HashMap<String, Visits>>>>>,
}

impl Clients {
    fn visits(&self, path: &std::path::Path, today: NaiveDate) -> Visits {
        let Some(dir) = crate::input::book::client_of_claim(path) else {
            return Visits::default();
        };
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            return Visits::default();
        };
        let slot = {
            let mut by_dir = self.by_dir.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(by_dir.entry(dir.clone()).or_default())
        };
        let of_client = slot.get_or_init(|| {
            crate::commands::book::batch::check_client_with(&dir, today, false)
                .claims
                .into_iter()
                .map(|c| {
                    (
                        c.stem,
                        Visits {
                            previous: c.previous,
                            changes: c.changes,
                            superseded_by: c.superseded_by,
                        },
                    )
                })
                .collect()
        });
        of_client.get(&stem).cloned().unwrap_or_default()
    }
}

fn visits_section(v: &Visits) -> String {
    let mut s = String::new();
    if let Some(newer) = &v.superseded_by {
        s.push_str(&format!(
            "\n  新しい回答ファイル {newer} があります。ブックの一覧・期限・申請書類では、そちらが判定します。\n"
        ));
    }
    // Only a programme that compares visits says what changed (a grant's rounds do not).
    if let Some(prev) = v.previous.as_ref().filter(|_| !v.changes.is_empty()) {
        s.push_str(&format!("\n  前回（{prev}）から:\n"));
        for c in &v.changes {
            s.push_str(&format!("    ・{c}\n"));
        }
    }
    s
}

/// What the book adds to a file that lies in one: its contradictions with the client's
/// other files, and the book's remarks (as `check BOOK` lists them).
fn book_section(contradictions: &[String], notes: &[String]) -> String {
    let mut s = String::new();
    if !contradictions.is_empty() {
        s.push_str(&format!(
            "\n  ブックの履歴との矛盾（{}件）:\n",
            contradictions.len()
        ));
        for c in contradictions {
            s.push_str(&format!("    ✗ {c}\n"));
        }
    }
    if !notes.is_empty() {
        s.push_str("\n  ブックからの注記:\n");
        for n in notes {
            s.push_str(&format!("    ・{n}\n"));
        }
    }
    s
}

/// What was read leniently, on stderr (stdout stays the report).
pub fn print_notices(notices: &[Notice], verbose: bool) -> Result<(), Failure> {
    for line in crate::model::notice_lines(notices, verbose, 80) {
        crate::errln!("{line}")?;
    }
    Ok(())
}

/// JSON for a file that could not be read or checked (stdout in `--format json`).
pub fn json_error(err: &InputError) -> String {
    let problems: Vec<serde_json::Value> = err
        .problems
        .iter()
        .map(|p| serde_json::json!({"path": p.path, "line": p.line, "value": p.value, "message": p.message}))
        .collect();
    serde_json::json!({"file": err.file, "errors": problems}).to_string()
}
