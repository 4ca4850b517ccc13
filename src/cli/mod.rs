//! Command line: argument parsing and the `run` entry point. Each subcommand is a thin
//! wrapper over the library; `run` returns the process exit code. What clap itself prints
//! (help, usage, its errors) is put into Japanese in [`ja`].

pub mod args;
pub mod ja;

use crate::commands::OutputFormat;
pub use args::{Cli, Command, ExtraEditions, TODAY_VAR};

use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// The day used for "has this window closed": `--today`, else `JOHAS_TODAY`, else the
/// clock. A `JOHAS_TODAY` that is not a date is an error (exit 2), never silently the clock.
fn today(flag: Option<NaiveDate>) -> Result<NaiveDate, Failure> {
    if let Some(d) = flag {
        return Ok(d);
    }
    match std::env::var_os(TODAY_VAR) {
        None => Ok(chrono::Local::now().date_naive()),
        Some(v) if v.is_empty() => Ok(chrono::Local::now().date_naive()),
        Some(v) => {
            let s = v.to_string_lossy();
            crate::input::checks::parse_date(&s).ok_or_else(|| {
                Failure::message(format!(
                    "エラー: 環境変数 {TODAY_VAR} の値 \"{}\" は日付として読めません。YYYY-MM-DD（例: 2020-10-01）で設定するか、unset {TODAY_VAR} で外してください（--today で指定することもできます）。",
                    s.escape_debug()
                ))
            })
        }
    }
}

pub use crate::failure::Failure;

/// The one exit of the program: runs the command, flushes stdout, and prints any failure.
/// A closed pipe (`| head`) on either stream ends the command quietly with exit 0, as in
/// ripgrep; any other write error on stdout (`> /dev/full`) is an error (exit 2). Help and
/// version go to stdout (exit 0), a usage error to stderr (exit 2), all in Japanese.
pub fn run() -> ExitCode {
    let result = match ja::parse(std::env::args_os()) {
        Ok(cli) => {
            init_threads();
            dispatch(cli)
        }
        Err(e) => ja::show(e),
    }
    .and_then(|code| {
        crate::output::stream::flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Stream(e)) if e.is_broken_pipe() => ExitCode::from(0),
        Err(failure) => {
            let text = failure.to_string();
            let nl = if text.ends_with('\n') { "" } else { "\n" };
            // What the command printed comes before the error.
            let _ = crate::output::stream::flush();
            let _ = crate::err!("{text}{nl}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Sizes the process's one thread pool, rayon's global pool, once, before any command
/// runs: the parallel work (a packet's font runs and PDF files in johas-render) runs on it,
/// so work nested in other parallel work never multiplies threads. One thread per core,
/// or `RAYON_NUM_THREADS`.
fn init_threads() {
    // Fails only when the pool already exists, which nothing builds before this.
    let _ = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("johas-claim-{i}"))
        .build_global();
}

/// The `--editions` folders to load: those before the subcommand, then its own. Each must
/// be an existing folder (a usage error otherwise, exit 2), and a subcommand that reads no
/// edition takes none.
fn editions_dirs(before: Vec<PathBuf>, command: &Command) -> Result<Vec<PathBuf>, Failure> {
    let Some(own) = command.extra_editions() else {
        if before.is_empty() {
            return Ok(Vec::new());
        }
        let readers = ja::subcommands_with_long("editions").join("・");
        return Err(Failure::message(format!(
            "エラー: このサブコマンドは --editions をとりません（版のデータを読むのは {readers} です）。--editions を外してください。"
        )));
    };
    let dirs: Vec<PathBuf> = before.into_iter().chain(own.iter().cloned()).collect();
    let mut problems = Vec::new();
    for d in &dirs {
        match std::fs::metadata(d) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => problems.push(format!("  {}: フォルダではなくファイルです。", d.display())),
            Err(_) => problems.push(format!("  {}: フォルダがありません。", d.display())),
        }
    }
    if problems.is_empty() {
        Ok(dirs)
    } else {
        Err(Failure::message(format!(
            "エラー: --editions で指定したフォルダを読めません。\n{}\n  パスを確かめてください。版を加えるフォルダは DIR/editions/<grant>/<版>.toml（様式が変わる場合は DIR/forms/<grant>/<版>/*.toml も）の形です。",
            problems.join("\n")
        )))
    }
}

/// A defect in the edition data: the tool's own, or in a folder given with `--editions`
/// (then the user's to fix, and said so).
fn data_failure(e: crate::model::DataError, dirs: &[PathBuf]) -> Failure {
    let theirs = e.file == "--editions"
        || dirs
            .iter()
            .any(|d| std::path::Path::new(&e.file).starts_with(d));
    if theirs {
        Failure::message(format!(
            "{e}--editions で指定したフォルダの版・様式のデータです。そのファイルを直してから、もう一度実行してください。"
        ))
    } else {
        Failure::Data(e)
    }
}

/// The shell's completion script. The programmes' ids and short names are the values
/// offered for `explain` and `--template`/`--grant` (from the registry, see
/// [`args::GrantName`]).
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    const BIN: &str = "johas-claim";
    // clap_complete panics when its writer fails: generate into memory, then print.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut ja::command(), BIN, &mut script);
    if shell == clap_complete::Shell::Bash && BIN.contains('-') {
        // clap_complete (clap-rs/clap#6421) spells the subcommands' `case` labels of a
        // hyphenated bin name differently from the state its loop builds
        // (`johas__subcmd__claim__subcmd__check` against `johas__claim__subcmd__check`), so
        // nothing after a subcommand would complete. Spell the labels as the loop does.
        let text = String::from_utf8_lossy(&script)
            .replace(&BIN.replace('-', "__subcmd__"), &BIN.replace('-', "__"));
        script = text.into_bytes();
    }
    if shell == clap_complete::Shell::Fish {
        script.extend(fish_positionals(&ja::command(), BIN).into_bytes());
    }
    script
}

/// clap_complete's fish script completes options only: the values of a subcommand's
/// positional argument with a fixed list (`explain <GRANT>`) are added here.
fn fish_positionals(cmd: &clap::Command, bin: &str) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let fn_name = bin.replace('-', "_");
    let mut out = String::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        for arg in sub.get_positionals().filter(|a| !a.is_hide_set()) {
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| match v.get_help() {
                    Some(h) => format!("{}\t{}", v.get_name(), h),
                    None => v.get_name().to_string(),
                })
                .collect();
            if values.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "complete -c {bin} -n \"__fish_{fn_name}_using_subcommand {}\" -f -a {}\n",
                sub.get_name(),
                quote(&values.join("\n"))
            ));
        }
    }
    out
}

/// Runs one subcommand; `Ok` carries its exit code (0 complete, 1 not eligible or
/// incomplete, 2 when some of several files could not be read).
fn dispatch(cli: Cli) -> Result<u8, Failure> {
    let Cli {
        editions: before,
        command,
    } = cli;
    // Help needs no edition data (a defect in it must not hide the help).
    if let Command::Help { command: name } = &command {
        return ja::help(name.as_deref());
    }
    let dirs = editions_dirs(before, &command)?;
    // The editions (bundled and --editions) load before any claim: a defect in them is the
    // data at fault, reported as such.
    crate::programmes::load_data(&dirs).map_err(|e| data_failure(e, &dirs))?;
    // Ctrl-C and SIGTERM remove the temporary files of a write in progress (every command).
    crate::output::install_interrupt_handler();
    match command {
        Command::Check {
            files,
            csv,
            json,
            replace,
            format,
            verbose,
            wide,
            today: t,
            extra: _,
        } => crate::commands::check::run(
            &files,
            format,
            verbose,
            today(t)?,
            &crate::commands::book::commands::SummaryFiles {
                csv,
                json,
                replace,
                wide,
            },
        ),
        Command::Packet {
            file,
            csv,
            json,
            output,
            allow_ineligible,
            replace,
            force,
            wide,
            today: t,
            extra: _,
        } => {
            let day = today(t)?;
            if force {
                crate::errln!("注意: --force は廃止予定です。支給要件を満たさない申請でも作成する --allow-ineligible と、このツールの以前の出力を置き換える --replace の2つに分かれました。今回は両方を指定したものとして扱います（このツールが書いたもの以外のファイルは、どちらでも消しません）。")?;
            }
            if file.is_dir() {
                return crate::commands::book::commands::packet_book(
                    &file,
                    &output,
                    crate::commands::book::batch::PacketOptions {
                        allow_ineligible: allow_ineligible || force,
                        replace: replace || force,
                    },
                    day,
                    &crate::commands::book::commands::SummaryFiles {
                        csv,
                        json,
                        replace: replace || force,
                        wide,
                    },
                );
            }
            crate::commands::packet::run(
                &file,
                &output,
                allow_ineligible || force,
                replace || force,
                day,
            )
        }
        Command::Deadlines {
            book,
            ics,
            replace,
            remind_days,
            format,
            today: t,
            extra: _,
        } => crate::commands::book::commands::deadlines(
            &book,
            format == OutputFormat::Json,
            today(t)?,
            ics.as_deref(),
            replace,
            remind_days,
        ),
        Command::Import {
            file,
            book,
            sheet,
            dry_run,
        } => crate::commands::book::commands::import(&file, &book, sheet.as_deref(), dry_run),
        Command::Completions { shell } => {
            crate::output::stream::write_out_bytes(&completion_script(shell))?;
            Ok(0)
        }
        Command::Help { command: name } => ja::help(name.as_deref()),
        Command::Schema => {
            crate::outln!("{}", crate::programmes::ALL[0].schema_json())?;
            Ok(0)
        }
        Command::Explain {
            grant,
            edition,
            html,
            replace,
            today: t,
            extra: _,
        } => crate::commands::explain::run(
            &grant,
            edition.as_deref(),
            html.as_deref(),
            replace,
            today(t)?,
        ),
        Command::Report {
            file,
            html,
            replace,
            today: t,
            extra: _,
        } => crate::commands::report::run(&file, &html, replace, today(t)?),
        Command::New {
            template,
            from,
            grant,
            resume,
            output,
            replace,
            book,
            client,
            today: t,
            extra: _,
        } => crate::commands::new::run(crate::commands::new::NewArgs {
            template,
            from,
            grant,
            resume,
            output,
            replace,
            book,
            client,
            today: today(t)?,
        }),
        Command::Editions { today: t, extra: _ } => {
            let today = today(t)?;
            for p in crate::programmes::ALL {
                for line in p.edition_lines(today) {
                    crate::outln!("{line}")?;
                }
            }
            Ok(0)
        }
    }
}
