//! Every file the tool writes outside a packet directory (issue 13, "One output writer"):
//! CSV, JSON, .ics, HTML, claim files, client.toml. Each refuses a path that is not the
//! tool's unchanged output, replaces its own only with `--replace`, honours the umask, and
//! leaves nothing behind on an error. Also the book packets (stale folders, Ctrl-C) and
//! `import`, all or nothing.

use crate::tree::{copy_dir, example_book, tree};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MANIFEST: &str = ".johas-claim-manifest.json";
const TODAY: &str = "2020-10-01";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-files-")
        .tempdir()
        .unwrap()
}

/// Temporary paths the tool may have left anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_keys()
        .filter(|k| k.contains(".johas-claim-incomplete"))
        .collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Each command that writes one loose file, with the path it writes (`{}` = the path).
fn writers(book: &Path) -> Vec<(&'static str, Vec<String>)> {
    let b = s(book).to_string();
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (
            "check --csv",
            v(&["check", &b, "--today", TODAY, "--csv", "{}"]),
        ),
        (
            "check --json",
            v(&["check", &b, "--today", TODAY, "--json", "{}"]),
        ),
        (
            "packet BOOK --csv",
            v(&[
                "packet", &b, "-o", "pk-{n}", "--today", TODAY, "--csv", "{}",
            ]),
        ),
        (
            "deadlines --ics",
            v(&["deadlines", &b, "--today", TODAY, "--ics", "{}"]),
        ),
        ("explain --html", v(&["explain", "産業医", "--html", "{}"])),
        (
            "report --html",
            v(&["report", &claim, "--html", "{}", "--today", TODAY]),
        ),
        (
            "new --template -o",
            v(&["new", "--template", "職場環境", "-o", "{}"]),
        ),
    ]
}

fn args_for(template: &[String], path: &str, n: usize) -> Vec<String> {
    template
        .iter()
        .map(|a| a.replace("{}", path).replace("{n}", &n.to_string()))
        .collect()
}

fn run_args(dir: &Path, args: &[String], extra: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .args(extra)
        .output()
        .unwrap()
}

// ------------------------------------------------------------------ overwriting

/// Repro 7: `--csv roster.csv` destroyed a client roster. Every output flag refuses a file
/// the tool did not write, names it, and writes nothing (not even a manifest).
#[test]
fn every_output_flag_refuses_a_file_the_tool_did_not_write() {
    let t = tmp();
    let book = example_book(t.path());
    let work = t.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("roster.csv"), "名称,所在地\n(株)顧客,川崎市\n").unwrap();
    for (n, (what, template)) in writers(&book).into_iter().enumerate() {
        for flags in [&[][..], &["--replace"]] {
            let before = tree(&work);
            let o = run_args(&work, &args_for(&template, "roster.csv", n), flags);
            assert_eq!(o.status.code(), Some(2), "{what} {flags:?}: {}", err(&o));
            let e = err(&o);
            assert!(e.contains("roster.csv"), "{what}: {e}");
            assert!(
                e.contains("自分が書いたのではないファイル") && e.contains("別の名前"),
                "{what}: {e}"
            );
            assert!(!e.contains("panicked"), "{what}: {e}");
            assert_eq!(tree(&work), before, "{what} {flags:?}: nothing written");
        }
    }
}

/// The tool's own unchanged earlier output is replaced with `--replace` only; once the
/// user edits it, it is theirs (repro 15: an edited HTML page).
#[test]
fn own_output_is_replaced_only_with_replace_and_never_after_an_edit() {
    let t = tmp();
    let book = example_book(t.path());
    let work = t.path().join("work");
    std::fs::create_dir(&work).unwrap();
    for (n, (what, template)) in writers(&book).into_iter().enumerate() {
        let name = format!("out-{n}");
        let path = work.join(&name);
        let args = args_for(&template, &name, n);
        let o = run_args(&work, &args, &[]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{what}: {}",
            err(&o)
        );
        let first = std::fs::read(&path).unwrap();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(work.join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(manifest["scope"], "files", "{what}: {manifest}");
        assert!(
            manifest["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["name"] == name.as_str()),
            "{what}: listed in {manifest}"
        );

        // Again without --replace: refused, and the message names the flag.
        let o = run_args(&work, &args, &[]);
        assert_eq!(o.status.code(), Some(2), "{what}");
        assert!(err(&o).contains("--replace"), "{what}: {}", err(&o));
        assert!(
            err(&o).contains("以前に書いたファイル"),
            "{what}: {}",
            err(&o)
        );
        assert_eq!(std::fs::read(&path).unwrap(), first);

        // With --replace: replaced (same content here), still listed once.
        let o = run_args(&work, &args, &["--replace"]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{what}: {}",
            err(&o)
        );
        assert_eq!(std::fs::read(&path).unwrap(), first, "{what}");
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(work.join(MANIFEST)).unwrap()).unwrap();
        let listed = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == name.as_str())
            .count();
        assert_eq!(listed, 1, "{what}: {manifest}");

        // Edited by the user: theirs now, refused even with --replace.
        let mut edited = first.clone();
        edited.extend_from_slice("\n利用者のメモ\n".as_bytes());
        std::fs::write(&path, &edited).unwrap();
        let o = run_args(&work, &args, &["--replace"]);
        assert_eq!(o.status.code(), Some(2), "{what}");
        assert!(err(&o).contains("変更されています"), "{what}: {}", err(&o));
        assert_eq!(std::fs::read(&path).unwrap(), edited, "{what}");
    }
    assert!(leftovers(&work).is_empty(), "{:?}", leftovers(&work));
}

/// `new -o FILE` refuses a user's file before asking anything (no terminal needed to hear
/// it), and a folder or a link in the way is never replaced.
#[test]
fn new_and_links_and_folders_are_refused() {
    let t = tmp();
    let dir = t.path();
    std::fs::write(dir.join("mine.toml"), "# my claim\n").unwrap();
    let o = run_in(dir, &["new", "--grant", "産業医", "-o", "mine.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("mine.toml"), "{}", err(&o));
    assert!(err(&o).contains("自分が書いたのではない"), "{}", err(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.toml")).unwrap(),
        "# my claim\n"
    );
    // A link to a user's file, and a folder, in place of the output.
    std::os::unix::fs::symlink(dir.join("mine.toml"), dir.join("link.csv")).unwrap();
    std::fs::create_dir(dir.join("folder.html")).unwrap();
    let book = example_book(dir);
    for args in [
        vec!["check", s(&book), "--csv", "link.csv", "--replace"],
        vec!["explain", "産業医", "--html", "folder.html", "--replace"],
    ] {
        let o = run_in(dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(err(&o).contains("ファイルではありません"), "{}", err(&o));
    }
    assert!(std::fs::symlink_metadata(dir.join("link.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.toml")).unwrap(),
        "# my claim\n"
    );
    assert!(dir.join("folder.html").is_dir());
    // A folder that does not exist is said, nothing created.
    let o = run_in(dir, &["explain", "産業医", "--html", "nowhere/page.html"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("フォルダ nowhere がありません"),
        "{}",
        err(&o)
    );
    assert!(!dir.join("nowhere").exists());
}

/// `import` rewrites client.toml (an edit the user asked for) but never through a link or
/// in place of a folder, and keeps the file's permission bits.
#[test]
fn import_edits_profiles_in_place_but_not_links() {
    let t = tmp();
    let book = example_book(t.path());
    let profile = book.join("01-ろうあん/client.toml");
    std::fs::set_permissions(&profile, std::fs::Permissions::from_mode(0o640)).unwrap();
    let csv = t.path().join("list.csv");
    std::fs::write(
        &csv,
        "フォルダ,名称,所在地\n01-ろうあん,(株)ろうあん,川崎市中原区木月1-2-3\n",
    )
    .unwrap();
    let o = run_in(t.path(), &["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(text.contains("川崎市中原区木月1-2-3"), "{text}");
    assert_eq!(
        std::fs::metadata(&profile).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // The profile kept outside the book through a link: refused, the target untouched.
    let outside = t.path().join("shared-profile.toml");
    std::fs::rename(&profile, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &profile).unwrap();
    let before = std::fs::read(&outside).unwrap();
    std::fs::write(
        &csv,
        "フォルダ,名称,所在地\n01-ろうあん,(株)ろうあん,横浜市\n",
    )
    .unwrap();
    let o = run_in(t.path(), &["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(err(&o).contains("client.toml"), "{}", err(&o));
    assert!(err(&o).contains("何も書き込んでいません"), "{}", err(&o));
    assert_eq!(std::fs::read(&outside).unwrap(), before);
    assert!(std::fs::symlink_metadata(&profile)
        .unwrap()
        .file_type()
        .is_symlink());
}

// ------------------------------------------------------------------ modes

/// Runs `args` in `dir` under `umask`.
fn run_umask(dir: &Path, umask: u32, args: &[&str]) -> Output {
    let mut c = bin();
    c.current_dir(dir).args(args);
    unsafe {
        c.pre_exec(move || {
            libc::umask(umask as libc::mode_t);
            Ok(())
        });
    }
    c.output().unwrap()
}

/// Repro 9: every file and folder the tool makes follows the umask (0666 / 0777 less it),
/// not tempfile's 0600.
#[test]
fn files_and_folders_of_every_kind_follow_the_umask() {
    for (umask, file_mode, dir_mode) in [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)] {
        let t = tmp();
        let dir = t.path();
        let book = example_book(dir);
        let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
        std::fs::write(dir.join("list.csv"), "フォルダ,名称\n99-新規,(株)新規\n").unwrap();
        for args in [
            vec!["import", "list.csv", "--book", "book"],
            vec![
                "check", "book", "--today", TODAY, "--csv", "a.csv", "--json", "a.json",
            ],
            vec!["deadlines", "book", "--today", TODAY, "--ics", "d.ics"],
            vec!["explain", "産業医", "--html", "e.html"],
            vec!["report", &claim, "--html", "r.html", "--today", TODAY],
            vec!["new", "--template", "産業医", "-o", "t.toml"],
            vec!["packet", &claim, "-o", "pk/one", "--today", TODAY],
            vec!["packet", "book", "-o", "bk", "--today", TODAY],
        ] {
            let o = run_umask(dir, umask, &args);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{args:?}: {}",
                err(&o)
            );
        }
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let mut files = vec![
            dir.join("a.csv"),
            dir.join("a.json"),
            dir.join("d.ics"),
            dir.join("e.html"),
            dir.join("r.html"),
            dir.join("t.toml"),
            dir.join(MANIFEST),
            book.join("99-新規/client.toml"),
            book.join("99-新規").join(MANIFEST),
            dir.join("pk/one/packet.pdf"),
            dir.join("pk/one").join(MANIFEST),
        ];
        let mut dirs = vec![
            book.join("99-新規"),
            book.join("99-新規/claims"),
            dir.join("pk"),
            dir.join("pk/one"),
            dir.join("bk"),
        ];
        for client in std::fs::read_dir(dir.join("bk")).unwrap() {
            let client = client.unwrap().path();
            dirs.push(client.clone());
            for claim in std::fs::read_dir(&client).unwrap() {
                let claim = claim.unwrap().path();
                dirs.push(claim.clone());
                // Every file of the packet (the forms, a 転記表, check.json…).
                for f in std::fs::read_dir(&claim).unwrap() {
                    let f = f.unwrap().path();
                    if f.is_file() {
                        files.push(f);
                    }
                }
            }
        }
        for f in &files {
            assert_eq!(mode(f), file_mode, "umask {umask:o}: {}", f.display());
        }
        for d in &dirs {
            assert_eq!(mode(d), dir_mode, "umask {umask:o}: {}", d.display());
        }
        assert!(files.len() > 12 && dirs.len() > 8);
    }
}

// ------------------------------------------------------------------ write errors

/// Runs `args` with file writes capped at `bytes` (RLIMIT_FSIZE, SIGXFSZ ignored): a write
/// past it fails as on a full disk.
fn run_capped(dir: &Path, bytes: u64, args: &[&str]) -> Output {
    let mut c = bin();
    c.current_dir(dir).args(args);
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            Ok(())
        });
    }
    c.output().unwrap()
}

/// A write that fails part-way (the disk "fills" at 1 KB) is reported in Japanese with the
/// path, exit 2, and leaves nothing: no CSV, no JSON, no manifest, no temporary file.
#[test]
fn a_failed_write_is_reported_and_leaves_nothing() {
    let t = tmp();
    let book = example_book(t.path());
    let work = t.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let o = run_capped(
        &work,
        1024,
        &[
            "check",
            s(&book),
            "--today",
            TODAY,
            "--csv",
            "a.csv",
            "--json",
            "a.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("a.csv") || e.contains("a.json"), "{e}");
    assert!(
        e.contains("書き込めません") && e.contains("ファイルが大きすぎます"),
        "{e}"
    );
    assert!(e.contains("元のまま"), "{e}");
    assert!(tree(&work).is_empty(), "{:?}", tree(&work).keys());
    // The same for a packet and a page.
    let claim = format!("{ROOT}/examples/sangyoui-rouan.toml");
    for args in [
        vec!["packet", claim.as_str(), "-o", "pk", "--today", TODAY],
        vec!["explain", "産業医", "--html", "e.html"],
    ] {
        let o = run_capped(&work, 1024, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("書き込めません"), "{}", err(&o));
        assert!(tree(&work).is_empty(), "{args:?}: {:?}", tree(&work).keys());
    }
}

// ------------------------------------------------------------------ import, all or nothing

/// Repro 14: a folder name taken by a file stops the whole import before anything is
/// written, and the message never says profiles were written.
#[test]
fn import_with_a_folder_name_taken_writes_nothing() {
    let t = tmp();
    let book = example_book(t.path());
    std::fs::write(book.join("98-取られた名前"), "a file, not a folder").unwrap();
    let csv = t.path().join("list.csv");
    std::fs::write(
        &csv,
        "フォルダ,名称,所在地\n01-ろうあん,(株)ろうあん,横浜市\n97-新規,(株)新規,川崎市\n98-取られた名前,(株)取られ,川崎市\n",
    )
    .unwrap();
    let before = tree(&book);
    let o = run_in(t.path(), &["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let e = err(&o);
    assert!(e.contains("98-取られた名前"), "{e}");
    assert!(e.contains("はファイルなので"), "{e}");
    assert!(e.contains("何も書き込んでいません"), "{e}");
    assert!(!e.contains("ここまでに書いた"), "{e}");
    assert!(out(&o).is_empty(), "no report of changes: {}", out(&o));
    assert_eq!(tree(&book), before);
    // --dry-run finds it too.
    let o = run_in(
        t.path(),
        &["import", s(&csv), "--book", s(&book), "--dry-run"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("98-取られた名前"), "{}", err(&o));
}

/// A failure in the middle of writing (another run holds the last client's folder) puts
/// back every profile already written: the book is byte for byte as before.
#[test]
fn import_failing_midway_puts_everything_back() {
    let t = tmp();
    let book = example_book(t.path());
    let csv = t.path().join("list.csv");
    std::fs::write(
        &csv,
        "フォルダ,名称,所在地\n01-ろうあん,(株)ろうあん,横浜市\n97-新規,(株)新規,川崎市\n02-木月運輸,木月運輸(株),横浜市\n06-武蔵製作所川崎工場,(株)武蔵製作所 川崎工場,横浜市\n",
    )
    .unwrap();
    let before = tree(&book);
    let lock = std::fs::File::open(book.join("06-武蔵製作所川崎工場")).unwrap();
    lock.try_lock().unwrap();
    let o = run_in(t.path(), &["import", s(&csv), "--book", s(&book)]);
    drop(lock);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let e = err(&o);
    assert!(e.contains("06-武蔵製作所川崎工場"), "{e}");
    assert!(e.contains("書き込み中"), "{e}");
    assert!(e.contains("何も書き込んでいません"), "{e}");
    assert!(out(&o).is_empty(), "{}", out(&o));
    assert_eq!(tree(&book), before, "every profile put back, no new folder");
    // Nothing in the way: the same import succeeds.
    let o = run_in(t.path(), &["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("新規 1 件、更新 3 件"), "{}", out(&o));
    assert!(leftovers(&book).is_empty());
}

// ------------------------------------------------------------------ book packets

fn packet_book(book: &Path, outdir: &Path, flags: &[&str]) -> Output {
    bin()
        .args(["packet", s(book), "-o", s(outdir), "--today", TODAY])
        .args(flags)
        .output()
        .unwrap()
}

/// Claim folders (`client/claim`) under a book packet output.
fn claim_folders(outdir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for c in std::fs::read_dir(outdir).unwrap() {
        let c = c.unwrap();
        if !c.file_type().unwrap().is_dir() {
            continue;
        }
        for k in std::fs::read_dir(c.path()).unwrap() {
            let k = k.unwrap();
            v.push(format!(
                "{}/{}",
                c.file_name().to_string_lossy(),
                k.file_name().to_string_lossy()
            ));
        }
    }
    v.sort();
    v
}

/// Repro 8: with `--replace`, the tool's own packet of a claim that is no longer made
/// (submitted, now ineligible, deleted from the book) is removed and said; a folder holding
/// a user's file is left and named. Without `--replace` the stale folders are pointed out.
#[test]
fn replace_removes_the_tools_own_packets_of_claims_no_longer_made() {
    let t = tmp();
    let book = example_book(t.path());
    let outdir = t.path().join("out");
    let o = packet_book(&book, &outdir, &[]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", err(&o));
    let first = claim_folders(&outdir);
    assert!(first.len() >= 4, "{first:?}");
    let folder_of = |client: &str| {
        first
            .iter()
            .find(|f| f.starts_with(client))
            .unwrap_or_else(|| panic!("{client} in {first:?}"))
            .clone()
    };
    // Output folders are the book's folder names (the client codes).
    let submitted = folder_of("01-ろうあん/");
    let deleted = folder_of("04-中原精機/");
    let kept = folder_of("03-住吉食品/");
    // A second output holding only ろうあん's packet (made from its client folder).
    let only = t.path().join("only");
    let o = packet_book(&book.join("01-ろうあん"), &only, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(claim_folders(&only), [submitted.clone()]);

    // ろうあん's claim is submitted; 中原精機 leaves the book; 住吉食品's claim becomes
    // ineligible but its folder holds the user's note.
    let ros = book.join("01-ろうあん/claims/2020-産業医1回目.toml");
    let mut text = std::fs::read_to_string(&ros).unwrap();
    text.push_str("\n[record]\nsubmitted_on = 2020-09-30\n");
    std::fs::write(&ros, text).unwrap();
    std::fs::remove_dir_all(book.join("04-中原精機")).unwrap();
    let sumi = book.join("03-住吉食品/client.toml");
    let p = std::fs::read_to_string(&sumi).unwrap();
    std::fs::write(&sumi, p.replace("workers = 18", "workers = 80")).unwrap();
    std::fs::write(outdir.join(&kept).join("提出メモ.txt"), "note").unwrap();

    // Without --replace over the earlier output: refused, nothing removed.
    let o = packet_book(&book, &outdir, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert_eq!(
        claim_folders(&outdir),
        first,
        "nothing removed without --replace"
    );
    // Without --replace where only stale folders are in the way: written, and the stale
    // folder is pointed out (not removed).
    let o = packet_book(&book, &only, &[]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", err(&o));
    assert!(
        out(&o).contains(&submitted) && out(&o).contains("--replace"),
        "{}",
        out(&o)
    );
    assert!(claim_folders(&only).contains(&submitted));

    let o = packet_book(&book, &outdir, &["--replace"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("以前の申請書類を削除しました"), "{text}");
    assert!(
        text.contains(&submitted) && text.contains(&deleted),
        "{text}"
    );
    let now = claim_folders(&outdir);
    assert!(
        !now.contains(&submitted) && !now.contains(&deleted),
        "{now:?}"
    );
    assert!(
        !outdir.join("中原精機(株)").exists(),
        "the emptied client folder goes too"
    );
    assert!(now.contains(&kept), "a folder with a user's file stays");
    assert!(outdir.join(&kept).join("提出メモ.txt").exists());
    let warn = format!("{}{}", out(&o), err(&o));
    assert!(
        warn.contains(&kept) && warn.contains("提出メモ.txt"),
        "{warn}"
    );
    assert!(leftovers(&outdir).is_empty(), "{:?}", leftovers(&outdir));
}

/// A book of `n` clients, each with the example's first claim (all eligible, open).
fn big_book(dir: &Path, n: usize) -> PathBuf {
    let book = dir.join("big");
    let src = Path::new(ROOT).join("examples/book/01-ろうあん");
    for i in 0..n {
        let c = book.join(format!("c{i:03}"));
        copy_dir(&src, &c);
        let p = c.join("client.toml");
        let text = std::fs::read_to_string(&p).unwrap().replace(
            "name = \"(株)ろうあん\"",
            &format!("name = \"(株)ろうあん{i:03}\""),
        );
        std::fs::write(&p, text).unwrap();
    }
    book
}

/// Every claim folder is a complete packet: exactly the files its manifest lists.
fn assert_complete_packets(outdir: &Path) -> usize {
    let folders = claim_folders(outdir);
    for f in &folders {
        let dir = outdir.join(f);
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{f}: no manifest ({e})"));
        assert_eq!(m["state"], "complete", "{f}");
        let mut listed: Vec<String> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect();
        listed.push(MANIFEST.into());
        listed.sort();
        let mut present: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        present.sort();
        assert_eq!(listed, present, "{f}: a whole packet");
    }
    folders.len()
}

/// Repro 11: Ctrl-C during `packet BOOK` keeps the finished folders whole, leaves no half
/// folder, says in one message how many were not written; a rerun without `--replace` says
/// so in one message, and with `--replace` finishes the job.
#[test]
fn ctrl_c_during_packet_book_then_replace_finishes() {
    const N: usize = 150;
    let t = tmp();
    let book = big_book(t.path(), N);
    let outdir = t.path().join("out");
    let child = bin()
        .args(["packet", s(&book), "-o", s(&outdir), "--today", TODAY])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for a few finished folders, then interrupt.
    let start = std::time::Instant::now();
    while !(outdir.exists() && claim_folders(&outdir).len() >= 5) {
        assert!(start.elapsed().as_secs() < 120, "no packet written");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}\n{}", out(&o), err(&o));
    let e = err(&o);
    assert_eq!(e.matches("中断しました").count(), 1, "one message: {e}");
    let done = assert_complete_packets(&outdir);
    assert!(done < N, "interrupted mid-run ({done} of {N})");
    assert!(
        e.contains(&format!(
            "{} 件の申請の申請書類を作成していません",
            N - done
        )),
        "{e}"
    );
    assert!(e.contains("--replace"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert!(leftovers(&outdir).is_empty(), "{:?}", leftovers(&outdir));
    assert!(leftovers(t.path()).is_empty(), "{:?}", leftovers(t.path()));

    // Without --replace: one grouped message, nothing written.
    let o = packet_book(&book, &outdir, &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains(&format!("{done} 件あります")), "{e}");
    assert!(
        e.lines().count() <= 2,
        "one message, not one per claim: {e}"
    );
    assert_eq!(claim_folders(&outdir).len(), done);

    // With --replace: every packet.
    let o = packet_book(&book, &outdir, &["--replace"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains(&format!("申請書類を {N} 件作成しました")),
        "{}",
        out(&o)
    );
    assert_eq!(assert_complete_packets(&outdir), N);
}
