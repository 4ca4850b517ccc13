//! Standard output and standard error (issue 13, "Streams"): a reader that goes away
//! (`| head`) ends any command quietly, never with a panic; a stdout that cannot be written
//! (`> /dev/full`) is an error, exit 2, said in Japanese.

use crate::tree::example_book;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const TODAY: &str = "2020-10-01";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-streams-")
        .tempdir()
        .unwrap()
}

/// Every subcommand (and --help/--version) with arguments that make it print on stdout.
/// `{dir}` is a fresh directory for its output files.
fn commands(book: &Path) -> Vec<Vec<String>> {
    let b = book.to_str().unwrap();
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    let failing = format!("{ROOT}/tests/data/explain/sangyoui-fails.toml");
    let list = format!("{ROOT}/examples/clients.csv");
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        v(&["check", &claim, "--today", TODAY]),
        v(&["check", &failing, "--today", TODAY, "--verbose"]),
        v(&["check", &claim, "--format", "json"]),
        v(&["check", b, "--today", TODAY]),
        v(&["check", b, "--today", TODAY, "--format", "json"]),
        v(&["check", b, "--today", TODAY, "--csv", "{dir}/a.csv"]),
        v(&["packet", &claim, "-o", "{dir}/pk", "--today", TODAY]),
        v(&["packet", &failing, "-o", "{dir}/pk", "--today", TODAY]),
        v(&["packet", b, "-o", "{dir}/bk", "--today", TODAY]),
        v(&["deadlines", b, "--today", TODAY]),
        v(&["deadlines", b, "--today", TODAY, "--format", "json"]),
        v(&["deadlines", b, "--today", TODAY, "--ics", "{dir}/d.ics"]),
        v(&["import", &list, "--book", b, "--dry-run"]),
        v(&["completions", "bash"]),
        v(&["completions", "zsh"]),
        v(&["schema"]),
        v(&["editions"]),
        v(&["explain", "産業医"]),
        v(&["explain", "職場環境", "--html", "{dir}/e.html"]),
        v(&["report", &claim, "--html", "{dir}/r.html"]),
        v(&["new", "--template", "産業医"]),
        v(&["--help"]),
        v(&["check", "--help"]),
        v(&["--version"]),
    ]
}

fn with_dir(args: &[String], dir: &Path) -> Vec<String> {
    args.iter()
        .map(|a| a.replace("{dir}", dir.to_str().unwrap()))
        .collect()
}

/// Repro 10: with the reader gone before the first write, every command ends with exit 0,
/// says nothing, and never panics (exit 101 with English text before).
#[test]
fn no_subcommand_panics_on_a_closed_stdout() {
    let t = tmp();
    let book = example_book(t.path());
    for (i, args) in commands(&book).iter().enumerate() {
        let dir = t.path().join(format!("run{i}"));
        std::fs::create_dir(&dir).unwrap();
        let mut child = bin()
            .args(with_dir(args, &dir))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the only read end: every write to stdout now fails with EPIPE.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("標準出力に書き込めません"),
            "a closed pipe is not an error: {args:?}: {err}"
        );
    }
}

/// A closed stderr loses only the messages: the command finishes with its own status and
/// its stdout is complete.
#[test]
fn a_closed_stderr_loses_only_the_messages() {
    let t = tmp();
    let book = example_book(t.path());
    let bad = format!("{ROOT}/tests/data/bad/bidi.toml");
    let lenient = format!("{ROOT}/tests/data/lenient/heisei.toml");
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    let failing = format!("{ROOT}/tests/data/explain/sangyoui-fails.toml");
    for (args, code) in [
        (vec!["check", bad.as_str(), "--format", "json"], 2),
        // Notices on stderr.
        (vec!["check", lenient.as_str(), "--format", "json"], 0),
        (vec!["check", failing.as_str(), "--today", "2020-11-02"], 1),
        (
            vec![
                "packet",
                failing.as_str(),
                "-o",
                "/nonexistent/never",
                "--today",
                "2020-11-02",
            ],
            1,
        ),
        (vec!["check", claim.as_str(), "--format", "json"], 0),
        (
            vec!["deadlines", book.to_str().unwrap(), "--format", "json"],
            0,
        ),
    ] {
        let reference = bin().args(&args).output().unwrap();
        assert_eq!(reference.status.code(), Some(code), "{args:?}");
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(code), "{args:?}");
        assert_eq!(o.stdout, reference.stdout, "{args:?}");
    }
}

/// `packet … 2>&1 | head -3` and `check BOOK | head -1`, as a shell runs them.
#[test]
fn pipes_into_head_end_quietly() {
    let t = tmp();
    let book = example_book(t.path());
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    let exe = env!("CARGO_BIN_EXE_johas-claim");
    for (script, lines) in [
        (
            format!(
                "\"$0\" packet {claim} -o {}/pk --today {TODAY} 2>&1 | head -3; exit ${{PIPESTATUS[0]}}",
                t.path().display()
            ),
            3,
        ),
        (
            format!(
                "\"$0\" packet {} -o {}/bk --today {TODAY} 2>&1 | head -3; exit ${{PIPESTATUS[0]}}",
                book.display(),
                t.path().display()
            ),
            3,
        ),
        (
            format!("\"$0\" check {} --today {TODAY} | head -1; exit ${{PIPESTATUS[0]}}", book.display()),
            1,
        ),
        ("\"$0\" schema | head -1; exit ${PIPESTATUS[0]}".to_string(), 1),
        (
            "\"$0\" completions bash | head -1; exit ${PIPESTATUS[0]}".to_string(),
            1,
        ),
    ] {
        let o: Output = Command::new("bash")
            .args(["-c", &script, exe])
            .env_remove("JOHAS_TODAY")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(!text.contains("panicked"), "{script}: {text}");
        assert_eq!(text.lines().count(), lines, "{script}: {text}");
        // 0 (the reader left) or the command's own status when everything fit in the pipe.
        assert!(matches!(o.status.code(), Some(0 | 1)), "{script}: {:?}", o.status);
    }
}

/// Repro 17: `check x.toml > /dev/full` exited 0 with the report lost. Now exit 2 and a
/// Japanese message on stderr, for every command that prints.
#[test]
fn a_full_stdout_is_an_error() {
    let t = tmp();
    let book = example_book(t.path());
    let b = book.to_str().unwrap();
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    for args in [
        vec!["check", claim.as_str(), "--today", TODAY],
        vec!["check", claim.as_str(), "--format", "json"],
        vec!["check", b, "--today", TODAY],
        vec!["deadlines", b, "--today", TODAY],
        vec!["schema"],
        vec!["editions"],
        vec!["explain", "産業医"],
        vec!["completions", "bash"],
        vec!["new", "--template", "産業医"],
        vec!["--help"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = bin().args(&args).stdout(full).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("標準出力に書き込めません"), "{args:?}: {err}");
        assert!(
            err.contains("ディスクの空き容量がありません"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
