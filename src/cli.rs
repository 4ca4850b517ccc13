//! Command line: argument parsing and the `run` entry point. Each subcommand is a thin
//! wrapper over the library; `run` returns the process exit code.

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// JOHAS 産業保健関係助成金の申請チェックと申請書類（PDF）の作成。
#[derive(Debug, Parser)]
#[command(name = "johas-claim", version, about, long_about = None)]
pub struct Cli {
    /// 追加する版のフォルダ（DIR/editions/<grant>/<edition>.toml と DIR/forms/<grant>/<edition>/*.toml）。複数指定できます。
    #[arg(long = "editions", value_name = "DIR", global = true)]
    pub editions: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 申請ファイルを手引の要件に照らして判定する（終了コード 0: 適合・書類完備、1: 不適合・判定不能・書類不足、2: 入力エラー）
    Check {
        /// 申請ファイル（.toml または .json、- で標準入力）、ブック、またはクライアントのフォルダ。複数指定できます。
        #[arg(required = true)]
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
        /// 判定日（YYYY-MM-DD）。申請受付が終了しているかの表示に使います。既定は今日。
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 申請書類（様式第1号・第2号・第3号、一括納付証明書、チェックリスト）を PDF で作成する
    Packet {
        /// 申請ファイル（.toml または .json、- で標準入力）、ブック、またはクライアントのフォルダ
        file: PathBuf,
        /// ブックの一覧表を CSV（UTF-8 BOM付き）でも書き出す
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// ブックの一覧表を JSON でも書き出す
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// 出力先ディレクトリ（新しいもの、空のもの、または --replace でこのツールの以前の出力）
        #[arg(short, long)]
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
        /// 判定日（YYYY-MM-DD）。既定は今日。
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
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
        #[arg(long, default_value_t = 7, value_name = "DAYS")]
        remind_days: i64,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// 判定日（YYYY-MM-DD）。残り日数の計算に使います。既定は今日。
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 顧客名簿（CSV: UTF-8・BOM付き・CP932、または .xlsx）からクライアントのプロファイルを作成・更新する
    Import {
        /// 顧客名簿のファイル（.csv または .xlsx）
        file: PathBuf,
        /// ブックのフォルダ（既定は今のフォルダ）
        #[arg(long, short, default_value = ".")]
        book: PathBuf,
        /// .xlsx の読むシート名（既定は最初のシート）
        #[arg(long)]
        sheet: Option<String>,
        /// 何が変わるかだけを表示し、書き込まない
        #[arg(long)]
        dry_run: bool,
    },
    /// シェルの補完スクリプトを表示する（例: johas-claim completions bash > ~/.local/share/bash-completion/completions/johas-claim）
    Completions {
        /// bash, zsh, fish, powershell, elvish
        shell: clap_complete::Shell,
    },
    /// 申請ファイルの JSON Schema を表示する
    Schema,
    /// 収録している助成金の版と申請期間を表示する
    Editions,
    /// 助成金の要件を手引の順に説明する（手引の文言・出典・この版の数値・添付書類・申請期間・金額の計算）
    Explain {
        /// 助成金・制度（名前の一部でも可。例: 産業医、職場環境。一覧は johas-claim editions）
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
        /// 判定日（YYYY-MM-DD）。既定は今日。
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 質問に答えて申請ファイルを作る（--template で質問なしのひな形）
    New {
        /// 質問せずに、コメント付きのひな形を書く助成金（例: 産業医、職場環境）。--from と一緒なら助成金の名前は要りません
        #[arg(long, value_name = "GRANT", conflicts_with_all = ["grant", "resume", "book"])]
        template: Option<Option<String>>,
        /// 前年の回答ファイルから今年のファイルを始める（設問は番号ではなく ID で対応させ、変わった点を示します）
        #[arg(long, value_name = "LAST", conflicts_with_all = ["grant", "resume", "book"])]
        from: Option<PathBuf>,
        /// 申請する助成金（省略すると最初に選びます）
        #[arg(long)]
        grant: Option<String>,
        /// 書きかけの申請ファイルの続きから（書かれていない項目だけを質問します）
        #[arg(long, value_name = "FILE")]
        resume: Option<PathBuf>,
        /// 書き出す申請ファイル（既定: claim.toml、--resume ではそのファイル。--template では省略すると標準出力）
        #[arg(short, long)]
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
        /// 判定日（YYYY-MM-DD）。既定は今日。
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
}

pub use crate::commands::OutputFormat;

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::input::checks::parse_date(s)
        .ok_or_else(|| format!("日付は YYYY-MM-DD で指定してください: {s}"))
}

/// The day used for "has this window closed": `--today`, else `JOHAS_TODAY`, else the clock.
fn today(flag: Option<NaiveDate>) -> NaiveDate {
    flag.or_else(|| {
        std::env::var("JOHAS_TODAY")
            .ok()
            .and_then(|s| crate::input::checks::parse_date(&s))
    })
    .unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub use crate::failure::Failure;

/// The one exit of the program: runs the command, flushes stdout, and prints any failure.
/// A closed pipe (`| head`) on either stream ends the command quietly with exit 0, as in
/// ripgrep; any other write error on stdout (`> /dev/full`) is an error (exit 2).
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            return match e.print() {
                Ok(()) => ExitCode::from(code),
                Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
                Err(io) => {
                    let _ = crate::errln!(
                        "エラー: 標準出力に書き込めません（{}）。",
                        crate::output::io_ja(&io)
                    );
                    ExitCode::from(2)
                }
            };
        }
    };
    init_threads();
    let result = dispatch(cli).and_then(|code| {
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

/// Runs one subcommand; `Ok` carries its exit code (0 complete, 1 not eligible or
/// incomplete, 2 when some of several files could not be read).
fn dispatch(cli: Cli) -> Result<u8, Failure> {
    // The editions (bundled and --editions) load before any claim: a defect in them is the
    // tool's data at fault, reported as such.
    crate::programmes::load_data(&cli.editions).map_err(Failure::Data)?;
    // Ctrl-C and SIGTERM remove the temporary files of a write in progress (every command).
    crate::output::install_interrupt_handler();
    match cli.command {
        Command::Check {
            files,
            csv,
            json,
            replace,
            format,
            verbose,
            today: t,
        } => crate::commands::check::run(
            &files,
            format,
            verbose,
            today(t),
            &crate::commands::book::commands::SummaryFiles { csv, json, replace },
        ),
        Command::Packet {
            file,
            csv,
            json,
            output,
            allow_ineligible,
            replace,
            force,
            today: t,
        } => {
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
                    today(t),
                    &crate::commands::book::commands::SummaryFiles {
                        csv,
                        json,
                        replace: replace || force,
                    },
                );
            }
            crate::commands::packet::run(
                &file,
                &output,
                allow_ineligible || force,
                replace || force,
                today(t),
            )
        }
        Command::Deadlines {
            book,
            ics,
            replace,
            remind_days,
            format,
            today: t,
        } => crate::commands::book::commands::deadlines(
            &book,
            format == OutputFormat::Json,
            today(t),
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
            use clap::CommandFactory;
            // clap_complete panics when its writer fails: generate into memory, then print.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "johas-claim", &mut script);
            crate::output::stream::write_out_bytes(&script)?;
            Ok(0)
        }
        Command::Schema => {
            crate::outln!("{}", crate::programmes::ALL[0].schema_json())?;
            Ok(0)
        }
        Command::Explain {
            grant,
            edition,
            html,
            replace,
        } => crate::commands::explain::run(&grant, edition.as_deref(), html.as_deref(), replace),
        Command::Report {
            file,
            html,
            replace,
            today: t,
        } => crate::commands::report::run(&file, &html, replace, today(t)),
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
        } => crate::commands::new::run(crate::commands::new::NewArgs {
            template,
            from,
            grant,
            resume,
            output,
            replace,
            book,
            client,
            today: today(t),
        }),
        Command::Editions => {
            for p in crate::programmes::ALL {
                for line in p.edition_lines() {
                    crate::outln!("{line}")?;
                }
            }
            Ok(0)
        }
    }
}
