//! The command line as clap reads it: the subcommands, their arguments and flags, and how a
//! value is read (`--today`, `--remind-days`, a programme's name). Their help is put into
//! Japanese in `ja.rs`; `mod.rs` runs them.

use chrono::NaiveDate;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, Args, Parser, Subcommand};
use std::ffi::OsStr;
use std::path::PathBuf;

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
    // The help text names placeholders in angle brackets, not HTML.
    #[allow(rustdoc::invalid_html_tags)]
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
        /// 確認日（この日に受付中か、終了したかを4列目に書きます）。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        extra: ExtraEditions,
    },
    /// 制度の要件を手引の順に説明する（手引の文言・出典・この版の数値・添付書類・申請期間・金額の計算）
    Explain {
        /// 制度（id または名前の一部。一覧は johas-claim editions）
        #[arg(value_parser = GrantName)]
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
        /// 確認日（この日に版の申請期間が終わっているかを書き添えます）。既定は環境変数 JOHAS_TODAY、なければ今日
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
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
        #[arg(long, value_name = "GRANT", value_parser = GrantName, conflicts_with_all = ["grant", "resume", "book"])]
        template: Option<Option<String>>,
        /// 前年の回答ファイルから今年のファイルを始める（設問は番号ではなく ID で対応させ、変わった点を示します）
        #[arg(long, value_name = "LAST", conflicts_with_all = ["grant", "resume", "book"])]
        from: Option<PathBuf>,
        /// 申請する制度（id または名前の一部。省略すると最初に選びます）
        #[arg(long, value_parser = GrantName)]
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

use crate::commands::OutputFormat;

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

impl Command {
    /// The `--editions` folders of a subcommand that reads the editions; `None` for one
    /// that does not (`import`, `completions`, `schema`, `help`).
    pub fn extra_editions(&self) -> Option<&[PathBuf]> {
        match self {
            Command::Check { extra, .. }
            | Command::Packet { extra, .. }
            | Command::Deadlines { extra, .. }
            | Command::Editions { extra, .. }
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

/// A programme's id or part of its name, as `crate::programmes::search` takes it. Any text
/// is accepted here (the command says what fits none); the registry's ids and short names
/// are offered to shell completion and listed in the help.
#[derive(Debug, Clone, Copy)]
pub struct GrantName;

impl TypedValueParser for GrantName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(crate::programmes::ALL.iter().flat_map(|p| {
            [
                PossibleValue::new(p.id()).help(p.short_name()),
                PossibleValue::new(p.short_name()).help(p.id()),
            ]
        })))
    }
}
