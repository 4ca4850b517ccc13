//! The command line's own text (issue 16, "Help in Japanese throughout"): clap's help and
//! errors in Japanese, each subcommand showing only the flags it takes, the environment
//! variables named, `--editions` with a folder that is not there, completions that offer
//! the programmes of the registry, and no progress bar when the output is redirected.

use crate::pty::Pty;
use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run johas-claim")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Words clap prints in English (help headings, error text, hints).
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "error:",
    "Error",
    "unrecognized",
    "unexpected",
    "invalid value",
    "required",
    "tip:",
    "For more information",
    "[OPTIONS]",
    "[default",
    "possible values",
    "Print help",
    "Print version",
    "subcommand",
];

fn assert_no_english(what: &str, text: &str) {
    for w in ENGLISH {
        assert!(!text.contains(w), "{what}: {w:?} in\n{text}");
    }
}

/// Every subcommand, from the top-level help's コマンド section.
fn subcommands() -> Vec<String> {
    let help = out(&run(&["--help"]));
    let section = help
        .split("コマンド:\n")
        .nth(1)
        .expect("a コマンド section")
        .split("\n\n")
        .next()
        .unwrap();
    let names: Vec<String> = section
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    names
}

/// The long flags a subcommand's help lists.
fn flags(help: &str) -> Vec<String> {
    help.split("オプション:\n")
        .nth(1)
        .unwrap_or("")
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .map(|w| w.trim_end_matches(',').to_string())
        .collect()
}

#[test]
fn help_of_the_tool_and_of_every_subcommand_is_japanese_on_stdout_with_exit_0() {
    let mut asks: Vec<Vec<String>> = vec![
        vec!["--help".into()],
        vec!["-h".into()],
        vec!["help".into()],
    ];
    for c in subcommands() {
        asks.push(vec![c.clone(), "--help".into()]);
        asks.push(vec![c.clone(), "-h".into()]);
        asks.push(vec!["help".into(), c.clone()]);
    }
    for args in &asks {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        let text = out(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        assert_eq!(err(&o), "", "{args:?}: help goes to stdout");
        assert!(text.contains("使い方: johas-claim"), "{args:?}:\n{text}");
        assert!(text.contains("-h, --help  "), "{args:?}:\n{text}");
        assert!(text.contains("この説明を表示する"), "{args:?}:\n{text}");
        assert_no_english(&format!("{args:?}"), &text);
    }
    // The top level: its headings, the programmes, the variables, the exit codes.
    let top = out(&run(&["--help"]));
    for heading in [
        "コマンド:",
        "オプション:",
        "制度",
        "環境変数:",
        "JOHAS_TODAY",
        "終了コード:",
    ] {
        assert!(top.contains(heading), "{heading} missing:\n{top}");
    }
    for p in johas_claim::programmes::ALL {
        assert!(top.contains(p.id()), "{} missing:\n{top}", p.id());
    }
    let v = run(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert!(out(&v).starts_with("johas-claim "), "{}", out(&v));
}

#[test]
fn each_subcommand_shows_only_the_flags_it_takes() {
    let takes = |c: &str, flag: &str| flags(&out(&run(&[c, "--help"]))).contains(&flag.into());
    for c in [
        "check",
        "packet",
        "deadlines",
        "editions",
        "explain",
        "report",
        "new",
    ] {
        assert!(takes(c, "--editions"), "{c} reads editions");
    }
    for c in ["import", "completions", "schema", "help"] {
        assert!(!takes(c, "--editions"), "{c} reads no edition");
        assert!(!takes(c, "--today"), "{c} has no check date");
    }
    for c in [
        "check",
        "packet",
        "deadlines",
        "report",
        "new",
        "explain",
        "editions",
    ] {
        assert!(takes(c, "--today"), "{c} has a check date");
        // The variable that stands in for --today is named where --today is.
        let help = out(&run(&[c, "--help"]));
        assert!(help.contains("環境変数:\n  JOHAS_TODAY"), "{c}:\n{help}");
    }
    for c in ["import", "completions", "schema"] {
        let help = out(&run(&[c, "--help"]));
        assert!(!help.contains("JOHAS_TODAY"), "{c}:\n{help}");
    }
    // A switch has no values to list; a default is said once, in Japanese.
    let import = out(&run(&["import", "--help"]));
    assert!(!import.contains("true, false"), "{import}");
    assert_eq!(import.matches("既定").count(), 2, "{import}");
    assert_eq!(flags(&import), ["--book", "--sheet", "--dry-run", "--help"]);
    // A flag given to a subcommand that does not take it is a usage error.
    let o = run(&["import", "--editions", ROOT, "examples/clients.csv"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("--editions というオプションはありません"), "{e}");
    assert!(
        e.contains("--editions をとるのは check・packet・deadlines・editions・explain・report・new です（import はとりません）"),
        "{e}"
    );
    assert_no_english("import --editions", &e);
}

#[test]
fn clap_errors_are_japanese_on_stderr_with_exit_2() {
    for (args, needle) in [
        (&["chek"][..], "「chek」というサブコマンドはありません。"),
        (
            &["check", "--nope", "a.toml"],
            "--nope というオプションはありません。",
        ),
        (&["explain"], "次の引数を指定してください: <GRANT>"),
        (
            &["packet", "a.toml"],
            "次の引数を指定してください: --output <DIR>",
        ),
        (
            &["check", "a.toml", "--format", "xml"],
            "指定できる値: human, json",
        ),
        (
            &["check", "a.toml", "--today", "2020-02-30"],
            "日付は YYYY-MM-DD",
        ),
        (&["completions", "tcsh"], "指定できる値: bash"),
        (
            &["deadlines", "b", "--remind-days", "-3"],
            "0 から 366 までの日数",
        ),
        (
            &["help", "nope"],
            "「nope」というサブコマンドはありません。",
        ),
    ] {
        let o = run(args);
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert_eq!(out(&o), "", "{args:?}");
        assert!(e.starts_with("エラー: "), "{args:?}: {e}");
        assert!(e.contains(needle), "{args:?}: {needle:?} not in\n{e}");
        assert!(e.contains("使い方: johas-claim"), "{args:?}: {e}");
        assert!(e.contains("--help を見てください"), "{args:?}: {e}");
        assert_no_english(&format!("{args:?}"), &e);
    }
    // A misspelt subcommand gets the nearest one.
    assert!(err(&run(&["chek"])).contains("ヒント: もしかして check"));
    // Nothing at all: the help, on stderr, and exit 2.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("使い方: johas-claim <コマンド>"),
        "{}",
        err(&o)
    );
    assert_no_english("no arguments", &err(&o));
}

#[test]
fn editions_folder_that_does_not_exist_is_a_usage_error() {
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    let cargo = format!("{ROOT}/Cargo.toml");
    for args in [
        vec!["check", "--editions", "/nonexistent", &claim],
        vec!["--editions", "/nonexistent", "check", &claim],
        vec!["editions", "--editions", "/nonexistent"],
        vec!["explain", "産業医", "--editions", "/nonexistent"],
    ] {
        let o = run(&args);
        let e = err(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert_eq!(out(&o), "", "{args:?}");
        assert!(
            e.contains("/nonexistent: フォルダがありません。"),
            "{args:?}: {e}"
        );
        assert!(e.contains("--editions"), "{args:?}: {e}");
        assert!(!e.contains("本ツールのデータの不具合"), "{args:?}: {e}");
    }
    let o = run(&["check", "--editions", &cargo, &claim]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("フォルダではなくファイルです"),
        "{}",
        err(&o)
    );
}

#[test]
fn completions_offer_the_programmes_of_the_registry() {
    let programmes = johas_claim::programmes::ALL;
    assert!(!programmes.is_empty());
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", err(&o));
        let script = out(&o);
        for p in programmes {
            assert!(script.contains(p.id()), "{shell}: no {}", p.id());
            assert!(
                script.contains(p.short_name()),
                "{shell}: no {}",
                p.short_name()
            );
        }
    }
    // bash, as the shell runs it: `explain <TAB>`, `new --template <TAB>` and
    // `import --<TAB>` (the subcommands' own arms are reached for a hyphenated bin name).
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("johas-claim.bash");
    std::fs::write(&script, out(&run(&["completions", "bash"]))).unwrap();
    let complete = |words: &[&str]| -> Vec<String> {
        let cword = words.len() - 1;
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let prog = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; _johas__claim johas-claim '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            quoted.join(" "),
            words[cword],
            words[cword - 1],
        );
        let o = Command::new("bash").args(["-c", &prog]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out(&o).lines().map(str::to_string).collect()
    };
    let explain = complete(&["johas-claim", "explain", ""]);
    let template = complete(&["johas-claim", "new", "--template", ""]);
    for p in programmes {
        assert!(explain.contains(&p.id().to_string()), "{explain:?}");
        assert!(explain.contains(&p.short_name().to_string()), "{explain:?}");
        assert!(template.contains(&p.id().to_string()), "{template:?}");
    }
    let import = complete(&["johas-claim", "import", "--"]);
    assert!(import.contains(&"--dry-run".to_string()), "{import:?}");
    assert!(!import.contains(&"--editions".to_string()), "{import:?}");
    let check = complete(&["johas-claim", "check", "--"]);
    assert!(check.contains(&"--editions".to_string()), "{check:?}");
}

/// Runs `check BOOK` on a terminal (stderr, and stdout unless `redirect`), and returns what
/// the terminal received.
fn check_book_on_a_terminal(redirect: Option<&Path>) -> String {
    let book = format!("{ROOT}/examples/book");
    let args = ["check", book.as_str(), "--today", "2026-11-21"];
    let stdout = redirect.map(|p| std::fs::File::create(p).unwrap());
    let mut t = Pty::spawn_with_stdout(&args, Path::new(ROOT), stdout);
    let code = t.wait();
    assert_eq!(
        code,
        1,
        "the example book has clients to act on:\n{}",
        t.screen()
    );
    t.screen()
}

#[test]
fn no_progress_bar_when_stdout_is_redirected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.txt");
    let screen = check_book_on_a_terminal(Some(&file));
    let list = std::fs::read_to_string(&file).unwrap();
    assert!(
        list.contains("01-ろうあん"),
        "the table went to the file:\n{list}"
    );
    assert!(
        !screen.contains("判定中 ["),
        "a bar on the terminal:\n{screen}"
    );
    assert!(!list.contains("判定中 ["), "a bar in the file:\n{list}");
}

#[test]
fn progress_bar_when_both_streams_are_a_terminal() {
    // The other side of the test above: the bar is there when a person watches.
    let screen = check_book_on_a_terminal(None);
    assert!(screen.contains("判定中 ["), "no bar:\n{screen}");
}
