//! The book side of the command line: `check BOOK`, `packet BOOK -o OUT`, `deadlines`,
//! `import`, and the input conventions (`-` for standard input, quoted globs).

use super::batch::{self, ClientResult, PacketOptions};
use super::{deadlines, ics, import, summary, Book};
use crate::model::Claim;
use crate::validate::{self, Format, InputError};
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The label of a claim read from standard input.
pub const STDIN_LABEL: &str = "<標準入力>";

/// Expands quoted globs (`"claims/*.toml"`) the shell did not expand (Windows cmd.exe). A
/// path that exists, `-`, or a pattern that matches nothing is kept as given.
pub fn expand_globs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let s = p.to_string_lossy();
        if s == "-" || p.exists() || !s.contains(['*', '?', '[']) {
            out.push(p.clone());
            continue;
        }
        let mut matches: Vec<PathBuf> = glob::glob(&s)
            .map(|it| it.filter_map(Result::ok).collect())
            .unwrap_or_default();
        matches.sort();
        if matches.is_empty() {
            out.push(p.clone());
        } else {
            out.extend(matches);
        }
    }
    out
}

/// A claim as every command reads it, with what the book adds when the file lies in one.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub claim: Claim,
    /// Contradictions between the claim and its book (none for a file alone).
    pub contradictions: Vec<String>,
    /// The book's remarks (a profile value the claim overrides, a round from the history).
    pub notes: Vec<String>,
}

/// Reads a claim from a file, or from standard input for `-` (TOML, or JSON when the text
/// starts with `{`). A claim file inside a book (`<client>/claims/<name>.toml`) is read as
/// the book reads it: merged with the client's profile, with its history.
pub fn load_input(path: &Path) -> Result<Claim, InputError> {
    load(path).map(|l| l.claim)
}

/// [`load_input`], with the book's contradictions and remarks.
pub fn load(path: &Path) -> Result<Loaded, InputError> {
    let alone = |claim| Loaded {
        claim,
        contradictions: Vec::new(),
        notes: Vec::new(),
    };
    if path.as_os_str() == "-" {
        let text = match crate::limits::read_bounded(std::io::stdin(), crate::limits::FACTS_FILE) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| e.to_string()),
            Err(crate::limits::ReadError::Io(e)) => Err(e.to_string()),
            Err(too_large) => return Err(super::whole_file(STDIN_LABEL, too_large.to_string())),
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                return Err(super::whole_file(
                    STDIN_LABEL,
                    format!("標準入力を UTF-8 のテキストとして読めません（{e}）。"),
                ))
            }
        };
        return validate::parse(STDIN_LABEL, &text, Format::sniff(&text)).map(alone);
    }
    match super::client_of_claim(path) {
        Some(dir) => load_book_claim(&dir, path),
        None => validate::load(path).map(alone),
    }
}

/// A claim file of a book client, read as the book reads it.
fn load_book_claim(dir: &Path, path: &Path) -> Result<Loaded, InputError> {
    let label = path.display().to_string();
    let mut client = super::load_client(dir);
    let same = |c: &super::ClaimSource| {
        std::fs::canonicalize(&c.src.label).ok() == std::fs::canonicalize(path).ok()
    };
    let Some(i) = client.claims.iter().position(same) else {
        return validate::load(path).map(|claim| Loaded {
            claim,
            contradictions: Vec::new(),
            notes: Vec::new(),
        });
    };
    // Messages name the file as the user named it.
    client.claims[i].src.label = label.clone();
    if let Some(e) = &mut client.claims[i].error {
        e.file = label.clone();
    }
    let c = &client.claims[i];
    let mut errors: Vec<InputError> = Vec::new();
    errors.extend(c.error.clone());
    errors.extend(client.profile_error.clone());
    if !errors.is_empty() {
        return Err(InputError::join(&label, errors));
    }
    let built = super::history::build(&client, i);
    match super::history::parse(&built) {
        Ok(claim) => {
            let mut notes = built.notes.clone();
            if let Some(n) = built.round_from_history {
                notes.push(format!("申請回数（{n}回目）はブックの履歴から決めました。"));
            }
            Ok(Loaded {
                claim,
                contradictions: built.contradictions.clone(),
                notes,
            })
        }
        Err(errs) => Err(InputError::join(&label, errs)),
    }
}

/// A progress bar on a terminal (stderr); nothing when piped.
fn progress(len: usize, what: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} クライアント")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    Some(bar)
}

fn run_check(book: &Book, today: NaiveDate, what: &str) -> Vec<ClientResult> {
    run_check_with(book, today, what, true)
}

fn run_check_with(book: &Book, today: NaiveDate, what: &str, preflight: bool) -> Vec<ClientResult> {
    let bar = progress(book.clients.len(), what);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let results = batch::check_book_with(book, today, preflight, &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    results
}

/// Where to write the summary besides the terminal.
#[derive(Debug, Clone, Default)]
pub struct SummaryFiles {
    pub csv: Option<PathBuf>,
    pub json: Option<PathBuf>,
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("{} に書き込めません（{e}）。", path.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| format!("{} に書き込めません（{e}）。", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("{} に書き込めません（{}）。", path.display(), e.error))?;
    Ok(())
}

fn write_summary_files(s: &summary::Summary, files: &SummaryFiles) -> u8 {
    let mut code = 0;
    if let Some(p) = &files.csv {
        if let Err(e) = write_file(p, &summary::csv(s)) {
            eprintln!("エラー: {e}");
            code = 2;
        }
    }
    if let Some(p) = &files.json {
        if let Err(e) = write_file(p, (summary::json(s) + "\n").as_bytes()) {
            eprintln!("エラー: {e}");
            code = 2;
        }
    }
    code
}

/// `check BOOK` (or a client folder): the summary table, files, and the exit status.
pub fn check_book(path: &Path, json: bool, today: NaiveDate, files: &SummaryFiles) -> u8 {
    let book = match Book::open(path) {
        Ok(b) => b,
        Err(e) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"file": path.display().to_string(), "errors": [{"path": "", "line": null, "value": null, "message": e.0}]})
                );
            }
            eprintln!("エラー: {e}");
            return 2;
        }
    };
    let results = run_check(&book, today, "判定中");
    let s = summary::summary(&book, &results, today);
    if json {
        println!(
            "{}",
            serde_json::to_string(&s).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        print!("{}", summary::human(&s));
    }
    s.exit_code().max(write_summary_files(&s, files))
}

/// `packet BOOK -o OUT`: every open claim's packet, one folder per client and claim.
pub fn packet_book(
    path: &Path,
    out: &Path,
    opts: PacketOptions,
    today: NaiveDate,
    files: &SummaryFiles,
) -> u8 {
    crate::output::install_interrupt_handler();
    let book = match Book::open(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("エラー: {e}");
            return 2;
        }
    };
    let mut results = run_check(&book, today, "判定中");
    let bar = progress(results.len(), "申請書類を作成中");
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    if let Err(e) = batch::write_packets(&mut results, out, opts, &tick) {
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        eprintln!("エラー: {e}");
        return 2;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let s = summary::summary(&book, &results, today);
    print!("{}", summary::human(&s));
    let written: Vec<&str> = s.rows.iter().filter_map(|r| r.packet.as_deref()).collect();
    println!(
        "\n{} に申請書類を {} 件作成しました（クライアントごと・申請ごとのフォルダ）。",
        out.display(),
        written.len()
    );
    if crate::output::interrupted() {
        return 130;
    }
    s.exit_code().max(write_summary_files(&s, files))
}

/// `deadlines BOOK [--ics FILE]`.
pub fn deadlines(
    path: &Path,
    json: bool,
    today: NaiveDate,
    ics_file: Option<&Path>,
    remind_days: i64,
) -> u8 {
    let book = match Book::open(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("エラー: {e}");
            return 2;
        }
    };
    let results = run_check_with(&book, today, "読み込み中", false);
    let items = deadlines::deadlines(&results, today);
    if json {
        println!(
            "{}",
            serde_json::to_string(&items).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        print!("{}", deadlines::human(&items, today));
    }
    // Files that could not be read are named (their deadlines are missing).
    let mut code = 0;
    for cr in &results {
        for e in cr
            .client
            .profile_error
            .iter()
            .chain(cr.claims.iter().flat_map(|c| c.errors.iter()))
        {
            eprint!("{e}");
            code = 2;
        }
    }
    if code != 0 {
        eprintln!(
            "上のファイルの期限は一覧に入っていません。直してから、もう一度実行してください。"
        );
    }
    if let Some(f) = ics_file {
        let text = ics::calendar(&items, book.office.as_deref(), today, remind_days);
        if let Err(e) = write_file(f, text.as_bytes()) {
            eprintln!("エラー: {e}");
            return 2;
        }
        let events = text.matches("BEGIN:VEVENT").count();
        eprintln!(
            "{} にカレンダー（予定 {events} 件）を書きました。",
            f.display()
        );
    }
    code
}

/// `import FILE --book DIR`.
pub fn import(file: &Path, book: &Path, sheet: Option<&str>, dry_run: bool) -> u8 {
    match import::import(file, book, sheet, dry_run) {
        Ok(report) => {
            print!("{report}");
            if dry_run {
                println!("（--dry-run: ブックには何も書き込んでいません）");
            }
            0
        }
        Err(e) => {
            eprint!("{e}");
            2
        }
    }
}
