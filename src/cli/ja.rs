//! What clap itself prints, in Japanese: the help layout (使い方・コマンド・引数・オプション),
//! the `-h`/`-V` flags and the `help` subcommand, the default and possible values, the
//! environment variables each command reads, and every parse error with its hints. One
//! place builds the command ([`command`]) and one prints what clap returns ([`show`]):
//! help and version on stdout (exit 0), a usage error on stderr (exit 2).

use super::args::{Cli, TODAY_VAR};
use crate::failure::Failure;
use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::error::Error as _;
use std::ffi::OsString;

/// The environment variables the tool reads, what each does, and which subcommands it
/// affects (`None`: those with a `--today`).
const ENV_VARS: &[(&str, &str, Option<&[&str]>)] = &[
    (
        TODAY_VAR,
        "判定日（YYYY-MM-DD）。--today を省略したときに使います。どちらもなければ今日",
        None,
    ),
    (
        "RAYON_NUM_THREADS",
        "同時に使うスレッドの数（既定は CPU のコア数）",
        Some(&["check", "packet", "deadlines"]),
    ),
];

/// Arguments that name a programme (id or part of a name).
const GRANT_ARGS: &[&str] = &["grant", "template"];

/// The command line, every text in Japanese, built (bin names and usages set).
pub fn command() -> Command {
    let mut cmd = localize(Cli::command(), true);
    cmd.build();
    set_usage(&mut cmd);
    cmd
}

/// Parses the command line.
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cmd = command();
    let matches = cmd
        .clone()
        .try_get_matches_from(&args)
        .map_err(|e| with_usage(e, &cmd, &args))?;
    Cli::from_arg_matches(&matches)
}

/// clap gives no usage line with a bad value (`--format xml`): the usage of the
/// subcommand on the command line, so that the error shows it and names its `--help`.
fn with_usage(mut e: clap::Error, cmd: &Command, args: &[OsString]) -> clap::Error {
    if e.get(ContextKind::Usage).is_some()
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        return e;
    }
    let sub = args
        .iter()
        .skip(1)
        .find_map(|a| cmd.find_subcommand(a.to_str()?))
        .unwrap_or(cmd);
    let usage = sub.clone().render_usage();
    e.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    e
}

/// Prints what clap returned instead of a command line: help or version on stdout (exit
/// 0); help because nothing was given, or a usage error, on stderr (exit 2).
pub fn show(e: clap::Error) -> Result<u8, Failure> {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            crate::out!("{}", ends_with_newline(e.render().to_string()))?;
            Ok(0)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            crate::err!("{}", ends_with_newline(e.render().to_string()))?;
            Ok(2)
        }
        _ => {
            crate::err!("{}", e.apply::<Ja>().render())?;
            Ok(2)
        }
    }
}

/// `help [COMMAND]`: the help of the whole tool or of one subcommand (an unknown name is a
/// usage error with a suggestion).
pub fn help(name: Option<&str>) -> Result<u8, Failure> {
    let mut args = vec!["johas-claim"];
    args.extend(name);
    args.push("--help");
    match command().try_get_matches_from(args) {
        Err(e) => show(e),
        // `--help` always ends the parse; nothing else to print.
        Ok(_) => Ok(0),
    }
}

/// The subcommands with the long flag `--name`.
pub fn subcommands_with_long(name: &str) -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| s.get_arguments().any(|a| a.get_long() == Some(name)))
        .map(|s| s.get_name().to_string())
        .collect()
}

fn ends_with_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Japanese help flags, headings and value notes on `cmd` and every subcommand below it.
fn localize(mut cmd: Command, top: bool) -> Command {
    cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("この説明を表示する"),
    );
    if top {
        cmd = cmd
            .disable_version_flag(true)
            .disable_help_subcommand(true)
            .subcommand_value_name("コマンド")
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("バージョンを表示する"),
            );
    }
    cmd = cmd.mut_args(describe_values);
    let template = template(&cmd);
    cmd = cmd.help_template(template);
    if let Some(after) = after_help(&cmd, top) {
        cmd = cmd.after_help(after);
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for n in names {
        cmd = cmd.mut_subcommand(n, |s| localize(s, false));
    }
    cmd
}

/// The help's layout with Japanese headings, only the sections the command has.
fn template(cmd: &Command) -> String {
    let mut parts = vec!["{about-with-newline}\n使い方: {usage}".to_string()];
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        parts.push("コマンド:\n{subcommands}".into());
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        parts.push("引数:\n{positionals}".into());
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        parts.push("オプション:\n{options}".into());
    }
    parts.join("\n\n") + "{after-help}"
}

/// The default and the possible values in Japanese (clap writes `[default: …]` and
/// `[possible values: …]`).
fn describe_values(a: Arg) -> Arg {
    if a.is_hide_set() {
        return a;
    }
    let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut notes = Vec::new();
    if GRANT_ARGS.contains(&a.get_id().as_str()) {
        notes.push(format!("候補: {}", grant_list()));
    } else if a.get_action().takes_values() && !a.is_hide_possible_values_set() {
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|p| !p.is_hide_set())
            .map(|p| p.get_name().to_string())
            .collect();
        if !values.is_empty() {
            notes.push(format!("指定できる値: {}", values.join(", ")));
        }
    }
    let defaults = a.get_default_values();
    if a.get_action().takes_values()
        && !a.is_hide_default_value_set()
        && !defaults.is_empty()
        && !help.contains("既定")
    {
        let shown: Vec<String> = defaults
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        notes.push(format!("既定: {}", shown.join(", ")));
    }
    if notes.is_empty() {
        // A default the help already states in words (「既定は…」) is not shown twice.
        return a.hide_default_value(true);
    }
    a.help(format!("{help}［{}］", notes.join("。")))
        .hide_possible_values(true)
        .hide_default_value(true)
}

/// The environment variables a command reads; on the top level also the programmes and
/// the exit codes.
fn after_help(cmd: &Command, top: bool) -> Option<String> {
    let has_today = cmd.get_arguments().any(|a| a.get_id() == "today");
    let vars: Vec<(&str, &str)> = ENV_VARS
        .iter()
        .filter(|(_, _, only)| match only {
            _ if top => true,
            None => has_today,
            Some(list) => list.contains(&cmd.get_name()),
        })
        .map(|(name, what, _)| (*name, *what))
        .collect();
    let mut sections = Vec::new();
    if top {
        let ids: Vec<(&str, &str)> = crate::programmes::ALL
            .iter()
            .map(|p| (p.id(), p.short_name()))
            .collect();
        sections.push(format!(
            "制度（explain、new --template・--grant に id か名前の一部で指定）:\n{}",
            table(&ids)
        ));
    }
    if !vars.is_empty() {
        sections.push(format!("環境変数:\n{}", table(&vars)));
    }
    if top {
        sections.push(
            "終了コード:\n  0  適合・書類完備（--help・--version も）\n  1  不適合・判定不能・書類不足\n  2  使い方の誤り・入力の誤り・データの誤り・書き出せない"
                .to_string(),
        );
    }
    (!sections.is_empty()).then(|| sections.join("\n\n"))
}

/// Two columns, the first (ASCII) padded.
fn table(rows: &[(&str, &str)]) -> String {
    let w = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("  {k:<w$}  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every command's usage line as clap makes it, with `[OPTIONS]` in Japanese (the
/// subcommand placeholder is set by `subcommand_value_name`).
fn set_usage(cmd: &mut Command) {
    let rendered = cmd.render_usage().to_string();
    let usage = rendered
        .trim()
        .strip_prefix("Usage:")
        .unwrap_or(&rendered)
        .trim()
        .replace("[OPTIONS]", "[オプション]");
    *cmd = std::mem::take(cmd).override_usage(usage);
    for sub in cmd.get_subcommands_mut() {
        set_usage(sub);
    }
}

/// clap's parse errors in Japanese: what is wrong, the hints (もしかして …), the usage
/// line and where to read more.
pub struct Ja;

impl ErrorFormatter for Ja {
    fn format_error(e: &clap::error::Error<Self>) -> StyledStr {
        let mut out = format!("エラー: {}\n", message(e));
        let usage = match e.get(ContextKind::Usage) {
            Some(ContextValue::StyledStr(u)) => {
                let u = u.to_string();
                Some(
                    u.trim()
                        .strip_prefix("Usage:")
                        .unwrap_or(u.trim())
                        .trim()
                        .to_string(),
                )
            }
            _ => None,
        };
        let path = usage
            .as_deref()
            .map(command_path)
            .unwrap_or_else(|| "johas-claim".to_string());
        for tip in tips(e, &path) {
            out.push_str(&format!("  ヒント: {tip}\n"));
        }
        if let Some(u) = &usage {
            out.push_str(&format!("\n使い方: {u}\n"));
        }
        out.push_str(&format!("\n詳しくは {path} --help を見てください。\n"));
        StyledStr::from(out)
    }
}

/// `johas-claim check` from `johas-claim check [オプション] <FILE>...`.
fn command_path(usage: &str) -> String {
    usage
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect::<Vec<_>>()
        .join(" ")
}

fn text<F: ErrorFormatter>(e: &clap::error::Error<F>, kind: ContextKind) -> Option<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    }
}

fn list<F: ErrorFormatter>(e: &clap::error::Error<F>, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

fn number<F: ErrorFormatter>(e: &clap::error::Error<F>, kind: ContextKind) -> Option<isize> {
    match e.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// The first line: what is wrong.
fn message<F: ErrorFormatter>(e: &clap::error::Error<F>) -> String {
    let arg = text(e, ContextKind::InvalidArg);
    let arg_s = arg.clone().unwrap_or_else(|| "引数".into());
    let value = text(e, ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::InvalidSubcommand => match text(e, ContextKind::InvalidSubcommand) {
            Some(s) => format!("「{s}」というサブコマンドはありません。"),
            None => "そのサブコマンドはありません。".into(),
        },
        ErrorKind::UnknownArgument => match &arg {
            Some(a) if a.starts_with('-') => format!("{a} というオプションはありません。"),
            Some(a) => format!("余分な引数「{a}」があります。"),
            None => "知らない引数があります。".into(),
        },
        ErrorKind::InvalidValue => {
            let mut m = match value.as_deref() {
                Some("") | None => format!("{arg_s} の値がありません。"),
                Some(v) => format!("{arg_s} に「{v}」は指定できません。"),
            };
            let valid = list(e, ContextKind::ValidValue);
            if !valid.is_empty() {
                m.push_str(&format!("\n  指定できる値: {}", valid.join(", ")));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = e
                .source()
                .map(|s| s.to_string())
                .filter(|s| !s.is_ascii())
                .unwrap_or_else(|| "書き方を確かめてください。".into());
            format!(
                "{arg_s} に「{}」は指定できません。{why}",
                value.unwrap_or_default()
            )
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = list(e, ContextKind::InvalidArg);
            format!("次の引数を指定してください: {}", missing.join("、"))
        }
        ErrorKind::MissingSubcommand => {
            let mut m = match text(e, ContextKind::InvalidSubcommand) {
                Some(c) => format!("{c} の後にサブコマンドを書いてください。"),
                None => "サブコマンドを書いてください。".into(),
            };
            let valid = list(e, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                m.push_str(&format!("\n  サブコマンド: {}", valid.join(", ")));
            }
            m
        }
        ErrorKind::ArgumentConflict => {
            let prior = e.get(ContextKind::PriorArg);
            let who = arg
                .clone()
                .or_else(|| text(e, ContextKind::InvalidSubcommand))
                .unwrap_or_else(|| "この引数".into());
            match prior {
                Some(ContextValue::String(p)) if Some(p) == arg.as_ref() => {
                    format!("{who} は1回だけ指定してください。")
                }
                Some(ContextValue::String(p)) => format!("{who} と {p} は一緒に使えません。"),
                Some(ContextValue::Strings(ps)) => {
                    format!("{who} は {} と一緒に使えません。", ps.join("、"))
                }
                _ => format!("{who} はほかに指定した引数と一緒に使えません。"),
            }
        }
        ErrorKind::NoEquals => {
            format!("{arg_s} の値は = でつないで書いてください（例: {arg_s}=値）。")
        }
        ErrorKind::TooManyValues => format!(
            "{arg_s} の値「{}」は余分です（これ以上の値はとりません）。",
            value.unwrap_or_default()
        ),
        ErrorKind::TooFewValues => format!(
            "{arg_s} には値が {} 個必要です（{} 個しかありません）。",
            number(e, ContextKind::MinValues).unwrap_or(0),
            number(e, ContextKind::ActualNumValues).unwrap_or(0)
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "{arg_s} には値が {} 個必要です（{} 個あります）。",
            number(e, ContextKind::ExpectedNumValues).unwrap_or(0),
            number(e, ContextKind::ActualNumValues).unwrap_or(0)
        ),
        ErrorKind::InvalidUtf8 => {
            "引数に UTF-8 として読めない文字があります。UTF-8 の文字で書いてください。".into()
        }
        _ => match e.source() {
            Some(s) => format!("コマンドラインを読めません（{s}）。"),
            None => "コマンドラインを読めません。".into(),
        },
    }
}

/// The hints: similar names (もしかして), and clap's suggestions put into Japanese.
fn tips<F: ErrorFormatter>(e: &clap::error::Error<F>, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A flag another subcommand takes (`import --editions`): say which take it, not how to
    // pass it as a value.
    if e.kind() == ErrorKind::UnknownArgument {
        if let Some(flag) = text(e, ContextKind::InvalidArg) {
            let long = flag.split('=').next().unwrap_or(&flag);
            if let Some(name) = long.strip_prefix("--") {
                let takers = subcommands_with_long(name);
                let sub = path.split_whitespace().nth(1);
                if let (false, Some(sub)) = (takers.is_empty(), sub) {
                    out.push(format!(
                        "{long} をとるのは {} です（{sub} はとりません）。",
                        takers.join("・")
                    ));
                    return out;
                }
            }
        }
    }
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        // clap lists the closest last.
        let mut similar = list(e, kind);
        similar.reverse();
        if !similar.is_empty() {
            out.push(format!("もしかして {}？", similar.join("、")));
        }
    }
    if let Some(ContextValue::StyledStrs(suggestions)) = e.get(ContextKind::Suggested) {
        for s in suggestions {
            out.push(suggestion_ja(&s.to_string()));
        }
    }
    out
}

/// The text between the `n`-th pair of single quotes.
fn quoted(s: &str, n: usize) -> Option<&str> {
    s.split('\'').nth(2 * n + 1)
}

/// clap's three suggestion sentences (error/mod.rs) in Japanese; any other as it is.
fn suggestion_ja(s: &str) -> String {
    if s.starts_with("to pass ") {
        if let (Some(v), Some(how)) = (quoted(s, 0), quoted(s, 1)) {
            return format!("「{v}」を値として渡すには「{how}」と書いてください。");
        }
    }
    if s.starts_with("subcommand ") {
        if let Some(sub) = quoted(s, 0) {
            return format!("サブコマンド {sub} を使うには、その前の -- を消してください。");
        }
    }
    if s.ends_with(" exists") {
        if let Some(both) = quoted(s, 0) {
            if let Some((sub, flag)) = both.split_once(' ') {
                return format!(
                    "{flag} は {sub} のオプションです。サブコマンドの後に書いてください（johas-claim {sub} … {flag}）。"
                );
            }
        }
    }
    s.to_string()
}

/// `<id>（<short name>）、…`: the programmes as the help lists them.
fn grant_list() -> String {
    crate::programmes::ALL
        .iter()
        .map(|p| format!("{}（{}）", p.id(), p.short_name()))
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(args: &[&str]) -> String {
        match parse(args.iter().copied()) {
            Ok(_) => panic!("{args:?} parsed"),
            Err(e) => e.apply::<Ja>().render().to_string(),
        }
    }

    #[test]
    fn the_command_passes_claps_own_checks() {
        command().debug_assert();
    }

    /// Each kind of parse error a user meets, said in Japanese with no English left.
    #[test]
    fn parse_errors_are_japanese() {
        for (args, needle) in [
            (
                &["johas-claim", "chek"][..],
                "「chek」というサブコマンドはありません。",
            ),
            (
                &["johas-claim", "check", "--todya", "x"],
                "--todya というオプションはありません。",
            ),
            (
                &["johas-claim", "check", "--today"],
                "--today <YYYY-MM-DD> の値がありません。",
            ),
            (
                &["johas-claim", "check", "a", "--today", "2020-13-01"],
                "日付は YYYY-MM-DD",
            ),
            (
                &["johas-claim", "check", "a", "--format", "xml"],
                "指定できる値: human, json",
            ),
            (
                &["johas-claim", "explain"],
                "次の引数を指定してください: <GRANT>",
            ),
            (
                &[
                    "johas-claim",
                    "check",
                    "a",
                    "--today",
                    "2020-01-01",
                    "--today",
                    "2020-01-02",
                ],
                "1回だけ",
            ),
            (
                &["johas-claim", "new", "--template", "x", "--grant", "y"],
                "一緒に使えません",
            ),
            (
                &["johas-claim", "schema", "extra"],
                "余分な引数「extra」があります。",
            ),
            (
                &["johas-claim", "--today", "2020-01-01", "check", "a"],
                "--today は check のオプションです",
            ),
            (
                &["johas-claim", "deadlines", "b", "--remind-days", "x"],
                "0 から 366",
            ),
            (
                &["johas-claim", "completions", "tcsh"],
                "指定できる値: bash",
            ),
        ] {
            let text = error(args);
            assert!(text.contains(needle), "{args:?}: {text}");
            assert!(text.starts_with("エラー: "), "{text}");
            assert!(text.contains("--help を見てください"), "{text}");
            for english in [
                "error:",
                "Usage:",
                "tip:",
                "For more information",
                "[OPTIONS]",
                "possible values",
                "unexpected",
                "invalid value",
                "required",
            ] {
                assert!(!text.contains(english), "{args:?}: {english:?} in\n{text}");
            }
        }
    }

    #[test]
    fn a_misspelt_subcommand_is_suggested_closest_first() {
        let text = error(&["johas-claim", "chek"]);
        assert!(text.contains("ヒント: もしかして check"), "{text}");
        assert!(text.contains("使い方: johas-claim <コマンド>"), "{text}");
    }
}
