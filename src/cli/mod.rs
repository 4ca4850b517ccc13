//! Command line: argument parsing and the `run` entry point. Each subcommand is a thin
//! wrapper over the library; `run` returns the process exit code. What clap itself prints
//! (help, usage, its errors) is put into Japanese in [`ja`].

pub mod ja;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// 事業場の事実を、産業保健の助成金・認定制度の要件に照らして判定し（手引の出典付き）、申請書類を用意する。
#[derive(Debug, Parser)]
#[command(name = "johas-claim", version)]
pub struct Cli {
    /// `--editions` written before the subcommand (`johas-claim --editions DIR check …`), as
    /// the earlier versions took it; only the subcommands that read editions accept it.
    #[arg(long = "editions", value_name = "DIR", hide = true)]
    pub editions: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--editions DIR`, on the subcommands that read the editions.
#[derive(Debug, Clone, Default, Args)]
pub struct ExtraEditions {
    /// 追加する版のフォルダ（DIR/editions/<grant>/<edition>.toml と DIR/forms/<grant>/<edition>/*.toml）。複数指定できます
    #[arg(long = "editions", value_name = "DIR")]
    pub editions: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 申請ファイルを手引の要件に照らして判定する（終了コード 0: 適合・書類完備、1: 不適合・判定不能・書類不足、2: 入力エラー）
    Check {
        /// 申請ファイル（.toml または .json、- で標準入力）、ブック、またはクライアントのフォルダ。複数指定できます
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// ブックの一覧表を CSV（UTF-8 BOM付き、Excel で開けます）でも書き出す
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// ブックの一覧表を JSON でも書き出す
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// このツールが以前に書いた --csv・--json のファイル（その後変更されていないもの）を置き換える。このツールが書いたのではないファイルは置き換えません
        #[arg(long)]
        replace: bool,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// 適合した項目も表示する
        #[arg(long, short)]
        verbose: bool,
        /// ブックの一覧表のすべての列を表示する（既定は 100 桁に収まる列だけ）
        #[arg(long)]
        wide: bool,
        /// 判定日。申請受付が終了しているかの表示に使います。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// 申請書類一式（様式の PDF・チェックリストなど）を作成する
    Packet {
        /// 申請ファイル（.toml または .json、- で標準入力）、ブック、またはクライアントのフォルダ
        file: PathBuf,
        /// ブックの一覧表を CSV（UTF-8 BOM付き）でも書き出す
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// ブックの一覧表を JSON でも書き出す
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// 出力先のフォルダ（新しいもの、空のもの、または --replace でこのツールの以前の出力）
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// 支給要件を満たさない申請でも申請書類を作成する
        #[arg(long)]
        allow_ineligible: bool,
        /// このツールが以前に作成した出力（申請書類のフォルダと --csv・--json のファイル）を置き換える（このツールが書いたファイルだけ。ほかのファイルがあれば何もしません）。ブックでは、今回作らない申請の以前のフォルダを削除します
        #[arg(long)]
        replace: bool,
        /// 廃止予定: --allow-ineligible と --replace の両方を指定したものとして扱います
        #[arg(long, hide = true)]
        force: bool,
        /// ブックの一覧表のすべての列を表示する（既定は 100 桁に収まる列だけ）
        #[arg(long)]
        wide: bool,
        /// 判定日。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// ブックの期限（未提出の申請の申請期間、次に申請できる期間、書類の保存期間の終了）を日付順に表示する
    Deadlines {
        /// ブック、またはクライアントのフォルダ
        book: PathBuf,
        /// iCalendar（.ics）ファイルも書き出す（Google カレンダー・Outlook・Apple カレンダーに取り込めます）
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
        /// このツールが以前に書いた .ics ファイル（その後変更されていないもの）を置き換える。このツールが書いたのではないファイルは置き換えません
        #[arg(long)]
        replace: bool,
        /// 締切の何日前に通知するか（.ics のリマインダー）
        #[arg(long, default_value_t = 7, value_name = "DAYS", value_parser = parse_days, allow_negative_numbers = true)]
        remind_days: i64,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// 判定日。残り日数の計算に使います。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// 顧客名簿（CSV: UTF-8・BOM付き・CP932、または .xlsx）からクライアントのプロファイルを作成・更新する
    Import {
        /// 顧客名簿のファイル（.csv または .xlsx）
        file: PathBuf,
        /// ブックのフォルダ（既定は今のフォルダ）
        #[arg(long, short, default_value = ".", value_name = "DIR")]
        book: PathBuf,
        /// .xlsx の読むシート名（既定は最初のシート）
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// 何が変わるかだけを表示し、書き込まない
        #[arg(long)]
        dry_run: bool,
    },
    /// シェルの補完スクリプトを表示する（例: johas-claim completions bash > ~/.local/share/bash-completion/completions/johas-claim）
    Completions {
        /// シェルの種類
        shell: clap_complete::Shell,
    },
    /// 申請ファイルの JSON Schema を表示する
    Schema,
    /// 収録している制度の版と申請期間を表示する
    Editions {
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// 制度の要件を手引の順に説明する（手引の文言・出典・この版の数値・添付書類・申請期間・金額の計算）
    Explain {
        /// 制度（id または名前の一部。一覧は johas-claim editions）
        #[arg(value_parser = ja::GrantName)]
        grant: String,
        /// 版（例: R2）。省略すると最新の版
        #[arg(long)]
        edition: Option<String>,
        /// 印刷できる1枚の HTML ページとして書き出す
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// このツールが以前に書いた HTML ページ（その後変更されていないもの）を置き換える。このツールが書いたのではないファイルは置き換えません
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// 申請ファイルの判定結果を、打合せ用の1枚の HTML ページ（A4 印刷可）にする
    Report {
        /// 申請ファイル（.toml または .json）
        file: PathBuf,
        /// 書き出す HTML ファイル
        #[arg(long, value_name = "OUT")]
        html: PathBuf,
        /// このツールが以前に書いた HTML ページ（その後変更されていないもの）を置き換える。このツールが書いたのではないファイルは置き換えません
        #[arg(long)]
        replace: bool,
        /// 判定日。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// 質問に答えて申請ファイルを作る（--template で質問なしのひな形）
    New {
        /// 質問せずに、コメント付きのひな形を書く制度（id または名前の一部）。--from と一緒なら制度の名前は要りません
        #[arg(long, value_name = "GRANT", value_parser = ja::GrantName, conflicts_with_all = ["grant", "resume", "book"])]
        template: Option<Option<String>>,
        /// 前年の回答ファイルから今年のファイルを始める（設問は番号ではなく ID で対応させ、変わった点を示します）
        #[arg(long, value_name = "LAST", conflicts_with_all = ["grant", "resume", "book"])]
        from: Option<PathBuf>,
        /// 申請する制度（id または名前の一部。省略すると最初に選びます）
        #[arg(long, value_parser = ja::GrantName)]
        grant: Option<String>,
        /// 書きかけの申請ファイルの続きから（書かれていない項目だけを質問します）
        #[arg(long, value_name = "FILE")]
        resume: Option<PathBuf>,
        /// 書き出す申請ファイル（既定: claim.toml、--resume ではそのファイル。--template では省略すると標準出力）
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// このツールが以前に書いた申請ファイル（-o のファイル）（その後変更されていないもの）を置き換える。このツールが書いたのではないファイルは置き換えません
        #[arg(long)]
        replace: bool,
        /// クライアントのブック（--client と一緒に。クライアントのプロファイルから始め、そのフォルダの claims/ に書きます）
        #[arg(
            long,
            value_name = "BOOK",
            requires = "client",
            conflicts_with = "resume"
        )]
        book: Option<PathBuf>,
        /// ブックのクライアントのフォルダ名（例: 01-ろうあん）
        #[arg(long, value_name = "FOLDER", requires = "book")]
        client: Option<String>,
        /// 判定日。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// コマンドの説明を表示する（例: johas-claim help check）
    Help {
        /// 説明を表示するサブコマンド（省略すると全体の説明）
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

pub use crate::commands::OutputFormat;

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::input::checks::parse_date(s)
        .ok_or_else(|| "日付は YYYY-MM-DD（例: 2020-10-01）で指定してください。".to_string())
}

/// `--remind-days`: a whole number of days, at most a year.
fn parse_days(s: &str) -> Result<i64, String> {
    let half = crate::input::lenient::fullwidth_to_ascii(s);
    half.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=366).contains(n))
        .ok_or_else(|| "0 から 366 までの日数（整数）で指定してください（例: 7）。".to_string())
}

/// The environment variable that gives the day when `--today` is not written.
pub const TODAY_VAR: &str = "JOHAS_TODAY";

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

impl Command {
    /// The `--editions` folders of a subcommand that reads the editions; `None` for one
    /// that does not (`import`, `completions`, `schema`, `help`).
    fn extra_editions(&self) -> Option<&[PathBuf]> {
        match self {
            Command::Check { extra, .. }
            | Command::Packet { extra, .. }
            | Command::Deadlines { extra, .. }
            | Command::Editions { extra }
            | Command::Explain { extra, .. }
            | Command::Report { extra, .. }
            | Command::New { extra, .. } => Some(&extra.editions),
            Command::Import { .. }
            | Command::Completions { .. }
            | Command::Schema
            | Command::Help { .. } => None,
        }
    }
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
/// [`ja::GrantName`]).
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
            extra: _,
        } => crate::commands::explain::run(&grant, edition.as_deref(), html.as_deref(), replace),
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
        Command::Editions { extra: _ } => {
            for p in crate::programmes::ALL {
                for line in p.edition_lines() {
                    crate::outln!("{line}")?;
                }
            }
            Ok(0)
        }
    }
}
