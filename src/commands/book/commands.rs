//! The book side of the command line: `check BOOK`, `packet BOOK -o OUT`, `deadlines`,
//! `import`, and the input conventions (`-` for standard input, quoted globs).

use super::batch::{self, ClientResult, PacketOptions};
use super::{deadlines, ics, import, summary, Book};
use crate::failure::Failure;
use crate::output::Batch;
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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

/// A progress bar (drawn on stderr) when a person watches the run: stdout and stderr both
/// terminals. Nothing when either is piped or redirected (`check BOOK > list.txt`, `2> log`),
/// as the README says: the bar's redraws would land in the file or between its lines.
fn progress(len: usize, what: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stdout().is_terminal() || !std::io::stderr().is_terminal() || len < 2 {
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

/// Where to write the summary besides the terminal, and how wide the terminal's table is.
#[derive(Debug, Clone, Default)]
pub struct SummaryFiles {
    pub csv: Option<PathBuf>,
    pub json: Option<PathBuf>,
    /// `--replace`: the tool's own unchanged earlier files may be replaced.
    pub replace: bool,
    /// `--wide`: every column of the table, however wide.
    pub wide: bool,
}

impl SummaryFiles {
    /// The files to write (`None`: empty contents, to check the paths before the work).
    fn batch(&self, s: Option<&summary::Summary>) -> Batch {
        let mut b = Batch::new(self.replace);
        if let Some(p) = &self.csv {
            b.file(p, s.map(summary::csv).unwrap_or_default());
        }
        if let Some(p) = &self.json {
            b.file(
                p,
                s.map(|s| (summary::json(s) + "\n").into_bytes())
                    .unwrap_or_default(),
            );
        }
        b
    }

    /// Refuses, before any work, a path that would be refused after it.
    pub fn preflight(&self) -> Result<(), Failure> {
        Ok(self.batch(None).preflight()?)
    }

    /// Writes the CSV and the JSON, both or neither.
    pub fn write(&self, s: &summary::Summary) -> Result<(), Failure> {
        let b = self.batch(Some(s));
        if !b.is_empty() {
            b.commit()?;
        }
        Ok(())
    }
}

/// `check BOOK` (or a client folder): the summary table, files, and the exit status.
pub fn check_book(
    path: &Path,
    json: bool,
    today: NaiveDate,
    files: &SummaryFiles,
) -> Result<u8, Failure> {
    files.preflight()?;
    let book = match Book::open(path) {
        Ok(b) => b,
        Err(e) => {
            if json {
                crate::outln!(
                    "{}",
                    serde_json::json!({"file": path.display().to_string(), "errors": [{"path": "", "line": null, "value": null, "message": e.0}]})
                )?;
            }
            crate::errln!("エラー: {e}")?;
            return Ok(2);
        }
    };
    let results = run_check(&book, today, "判定中");
    let s = summary::summary(&book, &results, today);
    // The files first: a reader that stops early (`| head`) does not keep them from being
    // written.
    let written = files.write(&s);
    if json {
        crate::outln!(
            "{}",
            serde_json::to_string(&s).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        )?;
    } else {
        crate::out!("{}", summary::human(&s, files.wide))?;
    }
    written?;
    Ok(s.exit_code())
}

/// `packet BOOK -o OUT`: every open claim's packet, one folder per client and claim.
///
/// Every folder it would write is checked first: an earlier output without `--replace`, or
/// a folder holding files the tool did not write, stops the run before anything is written,
/// with one message. With `--replace`, the tool's own folders of claims no longer made are
/// removed. Ctrl-C keeps the finished folders, removes the one being written, and says what
/// was not written.
pub fn packet_book(
    path: &Path,
    out: &Path,
    opts: PacketOptions,
    today: NaiveDate,
    files: &SummaryFiles,
) -> Result<u8, Failure> {
    crate::output::install_interrupt_handler();
    crate::output::set_interrupt_message(Some("\n中断しました。申請書類は作成していません。\n"));
    files.preflight()?;
    let book = match Book::open(path) {
        Ok(b) => b,
        Err(e) => {
            crate::errln!("エラー: {e}")?;
            return Ok(2);
        }
    };
    let mut results = run_check(&book, today, "判定中");
    let jobs = batch::plan(&mut results, out, opts);
    batch::check_targets(out, &jobs, opts.replace).map_err(Failure::message)?;

    // From here a first Ctrl-C stops the run between packets; a second one exits at once.
    let section = crate::output::interruptible();
    crate::output::set_interrupt_message(Some(
        "\n中断しました（2回目の中断）。書きかけのフォルダを削除して終了します。作成済みのフォルダは完全なまま残ります。--replace を付けてもう一度実行すると、残りを作成します。\n",
    ));
    let bar = progress(jobs.len(), "申請書類を作成中");
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let made = batch::write_packets(&mut results, out, &jobs, opts, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let made = made.map_err(|e| Failure::message(format!("エラー: {e}")))?;
    if crate::output::interrupted() {
        return Err(Failure::Message {
            text: batch::interrupted_message(&results, &jobs),
            code: 130,
        });
    }
    let stale = batch::stale_folders(out, &made);
    let removal = if opts.replace {
        Some(batch::remove_stale(out, &stale))
    } else {
        None
    };
    drop(section);
    crate::output::set_interrupt_message(None);

    let s = summary::summary(&book, &results, today);
    let written = files.write(&s);
    crate::out!("{}", summary::human(&s, files.wide))?;
    crate::outln!(
        "\n{} に申請書類を {} 件作成しました（クライアントごと・申請ごとのフォルダ）。",
        out.display(),
        made.len()
    )?;
    match removal {
        Some(r) => {
            if !r.removed.is_empty() {
                crate::outln!(
                    "以前の申請書類を削除しました（今回は作成しない申請）: {}",
                    r.removed.join("、")
                )?;
            }
            for (folder, why) in &r.kept {
                crate::errln!("注意: 以前の申請書類のフォルダ {folder} は残しました（{why}）。古い内容のまま提出しないよう、中を確かめてください。")?;
            }
        }
        None if !stale.is_empty() => {
            crate::outln!(
                "注意: {} には、今回は作成しない申請の以前の申請書類のフォルダが {} 件あります: {}。古い内容のまま提出しないよう、--replace を付けて実行すると削除します（このツールが書き、その後変更されていないフォルダだけ）。",
                out.display(),
                stale.len(),
                batch::folder_list(out, &stale)
            )?;
        }
        None => {}
    }
    written?;
    Ok(s.exit_code())
}

/// `deadlines BOOK [--ics FILE]`.
pub fn deadlines(
    path: &Path,
    json: bool,
    today: NaiveDate,
    ics_file: Option<&Path>,
    replace: bool,
    remind_days: i64,
) -> Result<u8, Failure> {
    let ics_batch = |text: &str| {
        let mut b = Batch::new(replace);
        if let Some(f) = ics_file {
            b.file(f, text.as_bytes());
        }
        b
    };
    ics_batch("").preflight()?;
    let book = match Book::open(path) {
        Ok(b) => b,
        Err(e) => {
            crate::errln!("エラー: {e}")?;
            return Ok(2);
        }
    };
    let results = run_check_with(&book, today, "読み込み中", false);
    let items = deadlines::deadlines(&results, today);
    let calendar =
        ics_file.map(|_| ics::calendar(&items, book.office.as_deref(), today, remind_days));
    let written = match &calendar {
        Some(text) => ics_batch(text).commit().map(|_| ()),
        None => Ok(()),
    };
    if json {
        crate::outln!(
            "{}",
            serde_json::to_string(&items).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        )?;
    } else {
        crate::out!("{}", deadlines::human(&items, today))?;
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
            crate::err!("{e}")?;
            code = 2;
        }
    }
    if code != 0 {
        crate::errln!(
            "上のファイルの期限は一覧に入っていません。直してから、もう一度実行してください。"
        )?;
    }
    written?;
    if let (Some(f), Some(text)) = (ics_file, &calendar) {
        let events = text.matches("BEGIN:VEVENT").count();
        crate::errln!(
            "{} にカレンダー（予定 {events} 件）を書きました。",
            f.display()
        )?;
    }
    Ok(code)
}

/// `import FILE --book DIR`.
pub fn import(file: &Path, book: &Path, sheet: Option<&str>, dry_run: bool) -> Result<u8, Failure> {
    match import::import(file, book, sheet, dry_run) {
        Ok(report) => {
            crate::out!("{report}")?;
            if dry_run {
                crate::outln!("（--dry-run: ブックには何も書き込んでいません）")?;
            }
            Ok(0)
        }
        Err(e) => {
            crate::err!("{e}")?;
            Ok(2)
        }
    }
}
