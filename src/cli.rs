//! Command line: argument parsing and the `run` entry point. Each subcommand is a thin
//! wrapper over the library; `run` returns the process exit code.

use crate::evaluate::{evaluate, Evaluation};
use crate::{report, validate};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// JOHAS 産業保健関係助成金の申請チェックと申請書類（PDF）の作成。
#[derive(Debug, Parser)]
#[command(name = "johas-claim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 申請ファイルを手引の要件に照らして判定する（終了コード 0: 適合・書類完備、1: 不適合・判定不能・書類不足、2: 入力エラー）
    Check {
        /// 申請ファイル（.toml または .json）。複数指定できます。
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
        /// 申請ファイル（.toml または .json）
        file: PathBuf,
        /// 出力先ディレクトリ（まだ存在しないもの。既存なら --force が必要）
        #[arg(short, long)]
        output: PathBuf,
        /// 支給要件を満たさない申請でも作成する／既存の出力先を置き換える
        #[arg(long)]
        force: bool,
        /// 判定日（YYYY-MM-DD）。既定は今日。
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// 申請ファイルの JSON Schema を表示する
    Schema,
    /// 収録している助成金の版と申請期間を表示する
    Editions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::checks::parse_date(s).ok_or_else(|| format!("日付は YYYY-MM-DD で指定してください: {s}"))
}

/// The day used for "has this window closed": `--today`, else `JOHAS_TODAY`, else the clock.
fn today(flag: Option<NaiveDate>) -> NaiveDate {
    flag.or_else(|| {
        std::env::var("JOHAS_TODAY")
            .ok()
            .and_then(|s| crate::checks::parse_date(&s))
    })
    .unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check {
            files,
            format,
            verbose,
            today: t,
        } => check(&files, format, verbose, today(t)),
        Command::Packet {
            file,
            output,
            force,
            today: t,
        } => packet(&file, &output, force, today(t)),
        Command::Schema => {
            println!("{}", validate::schema_json());
            ExitCode::SUCCESS
        }
        Command::Editions => {
            for e in crate::edition::all() {
                println!("{}\t{}\t{}", e.grant.id(), e.edition, e.describe());
            }
            ExitCode::SUCCESS
        }
    }
}

fn check(files: &[PathBuf], format: OutputFormat, verbose: bool, today: NaiveDate) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let mut worst = 0u8;
    for (i, path) in files.iter().enumerate() {
        match validate::load(path) {
            Ok(claim) => {
                let mut ev: Evaluation = evaluate(&claim, today);
                // `check` promises the packet: lay the forms out (no PDF) and report every
                // value they could not print, by claim-file key.
                ev.form_problems = crate::packet::preflight(&claim, &ev);
                let text = match format {
                    OutputFormat::Human => {
                        let sep = if i > 0 { "\n" } else { "" };
                        format!(
                            "{sep}{}{}",
                            report::human(&ev, verbose),
                            crate::packet::preflight::human_section(&ev)
                        )
                    }
                    OutputFormat::Json => format!("{}\n", report::json(&ev)),
                };
                let _ = out.write_all(text.as_bytes());
                worst = worst.max(if ev.complete() { 0 } else { 1 });
            }
            Err(err) => {
                if format == OutputFormat::Json {
                    let _ = writeln!(out, "{}", report::json_error(&err));
                }
                eprint!("{err}");
                worst = 2;
            }
        }
    }
    ExitCode::from(worst)
}

fn packet(
    file: &std::path::Path,
    output: &std::path::Path,
    force: bool,
    today: NaiveDate,
) -> ExitCode {
    let claim = match validate::load(file) {
        Ok(c) => c,
        Err(err) => {
            eprint!("{err}");
            eprintln!("申請書類は作成していません。");
            return ExitCode::from(2);
        }
    };
    let ev = evaluate(&claim, today);
    if ev.eligible == Some(false) && !force {
        print!("{}", report::human(&ev, false));
        eprintln!("\n支給要件を満たさないため、申請書類は作成していません。上の不適合の項目を確かめてください（それでも作成するには --force）。");
        return ExitCode::from(1);
    }
    let packet = match crate::packet::build(&claim, &ev) {
        Ok(p) => p,
        Err(crate::packet::PacketError::Problems(list)) => {
            eprint!(
                "エラー: {}: {}",
                file.display(),
                crate::packet::preflight::problems_text(&list)
            );
            eprintln!("申請書類は作成していません。上の項目を申請ファイルで直してから、もう一度実行してください。");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("エラー: {}: {e}\n申請書類は作成していません。申請ファイルに不足している事実を書いてから、もう一度実行してください。", file.display());
            return ExitCode::from(2);
        }
    };
    if let Err(e) = crate::packet::write(output, &packet.files, force) {
        eprintln!("エラー: {e}");
        return ExitCode::from(2);
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} に申請書類を作成しました（{}）。",
        output.display(),
        report::verdict_line(&ev)
    );
    for f in &packet.files {
        let _ = writeln!(out, "  {}", f.name);
    }
    let _ = writeln!(
        out,
        "\n{}",
        crate::packet::checklist_for_terminal(&packet.checklist_text)
    );
    ExitCode::from(if ev.complete() { 0 } else { 1 })
}
