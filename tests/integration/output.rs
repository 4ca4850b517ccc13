//! The output directory: never lose or overwrite what the tool did not write (issue 6 §1).
//! The command line for what a user sees (flags, messages, `-o .`, concurrent runs), the
//! library (`output::write_packet`) for the write protocol itself (replacing, errors,
//! leftovers of a killed run).

use johas_claim::output::{write_packet, OutputError, MANIFEST, STAGING_PREFIX};
use johas_claim::programmes::johas::packet::OutputFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const TODAY: &str = "2026-11-21";
const SANGYOUI: &str = "examples/sangyoui-rouan.toml";
const SHOKUBA: &str = "examples/shokuba-rouan.toml";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn abs(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn packet_cmd(claim: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = bin();
    c.arg("packet")
        .arg(claim)
        .arg("-o")
        .arg(out)
        .args(["--today", TODAY])
        .args(extra);
    c
}

fn packet(claim: &Path, out: &Path, extra: &[&str]) -> Output {
    packet_cmd(claim, out, extra).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-output-")
        .tempdir()
        .unwrap()
}

/// Every entry of `dir` (name → bytes; directories as "<dir>").
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            let bytes = if e.file_type().unwrap().is_dir() {
                b"<dir>".to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (name, bytes)
        })
        .collect()
}

/// Names in `dir` that look like the tool's temporary directories.
fn staging_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".johas"))
        .filter(|n| n != MANIFEST)
        .collect()
}

/// The packet the tool makes for `claim` (built in this process: deterministic).
fn reference(claim: &str) -> BTreeMap<String, Vec<u8>> {
    let claim = johas_claim::programmes::johas::read::load(&abs(claim)).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let ev = johas_claim::programmes::johas::evaluate::evaluate(&claim, today);
    johas_claim::programmes::johas::packet::build(&claim, &ev)
        .unwrap()
        .files
        .into_iter()
        .map(|f| (f.name, f.bytes))
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    johas_claim::output::sha256_hex(bytes)
}

/// The directory holds exactly the manifest and the files it lists, each matching; returns
/// the files without the manifest.
fn assert_matches_manifest(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    let manifest = files.remove(MANIFEST).expect("a manifest");
    let m: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    assert_eq!(m["tool"], "johas-claim");
    assert_eq!(m["state"], "complete", "{m}");
    let listed: BTreeMap<String, (u64, String)> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                (
                    e["size"].as_u64().unwrap(),
                    e["hash"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>(),
        "the directory holds exactly the listed files"
    );
    for (name, bytes) in &files {
        let (size, sha) = &listed[name];
        assert_eq!(*size, bytes.len() as u64, "{name}");
        assert_eq!(*sha, johas_claim::output::content_hash(bytes), "{name}");
        assert!(sha.starts_with("xxh3-128:"), "{name}: {sha}");
    }
    files
}

fn file(name: &str, text: &str) -> OutputFile {
    OutputFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// A pid that no longer runs.
fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

// ---------------------------------------------------------------- command line

#[test]
fn replace_refuses_a_dir_with_user_files_names_them_and_touches_nothing() {
    let dir = tmp();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    std::fs::write(out.join("見積書.xlsx"), "estimate").unwrap();
    let before = snapshot(&out);
    for flags in [
        &[][..],
        &["--replace"],
        &["--force"],
        &["--allow-ineligible"],
    ] {
        let o = packet(&abs(SHOKUBA), &out, flags);
        assert_eq!(o.status.code(), Some(2), "{flags:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("keep.txt"), "{flags:?}: {err}");
        assert!(err.contains("見積書.xlsx"), "{flags:?}: {err}");
        assert!(
            !err.contains("--force") || flags == ["--force"],
            "never recommend a destructive flag: {err}"
        );
        assert_eq!(snapshot(&out), before, "{flags:?}: untouched");
        assert!(staging_in(dir.path()).is_empty());
    }
}

#[test]
fn replace_changes_only_our_files_and_needs_the_flag() {
    let dir = tmp();
    let out = dir.path().join("out");
    let o = packet(&abs(SANGYOUI), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(MANIFEST), "{}", stdout(&o));
    assert_eq!(assert_matches_manifest(&out), reference(SANGYOUI));
    let first = snapshot(&out);

    // Without --replace: refused, and the message recommends --replace, nothing else.
    let o = packet(&abs(SHOKUBA), &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--replace"), "{err}");
    assert!(!err.contains("--force"), "{err}");
    assert_eq!(snapshot(&out), first);

    // With --replace: exactly the new packet, said so.
    let o = packet(&abs(SHOKUBA), &out, &["--replace"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("（置き換え）"), "{}", stdout(&o));
    assert_eq!(assert_matches_manifest(&out), reference(SHOKUBA));
    assert!(staging_in(dir.path()).is_empty());
    assert!(staging_in(&out).is_empty());
}

#[test]
fn an_output_file_the_user_edited_is_refused_and_kept() {
    let dir = tmp();
    let out = dir.path().join("out");
    assert_eq!(packet(&abs(SHOKUBA), &out, &[]).status.code(), Some(0));
    let mut edited = std::fs::read(out.join("01-yoshiki1.pdf")).unwrap();
    edited.extend_from_slice(b"\n% signed and annotated by the user\n");
    std::fs::write(out.join("01-yoshiki1.pdf"), &edited).unwrap();
    let before = snapshot(&out);
    let o = packet(&abs(SHOKUBA), &out, &["--replace"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("01-yoshiki1.pdf"), "{err}");
    assert!(err.contains("変更されています"), "{err}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn output_to_the_current_directory_with_the_claim_file_is_refused_and_nothing_moves() {
    let dir = tmp();
    let cwd = dir.path().join("client");
    std::fs::create_dir(&cwd).unwrap();
    std::fs::copy(abs(SHOKUBA), cwd.join("claim.toml")).unwrap();
    std::fs::write(cwd.join("memo.txt"), "memo").unwrap();
    let before = snapshot(&cwd);
    std::fs::create_dir(cwd.join("sub")).unwrap();
    let before_with_sub = snapshot(&cwd);
    for o_arg in [".", "./", "sub/..", "../client"] {
        for flags in [&["--replace"][..], &["--force"]] {
            let o = bin()
                .current_dir(&cwd)
                .args(["packet", "claim.toml", "-o", o_arg, "--today", TODAY])
                .args(flags)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(2), "-o {o_arg} {flags:?}");
            let err = stderr(&o);
            assert!(err.contains("claim.toml"), "-o {o_arg}: {err}");
            assert!(err.contains("memo.txt"), "-o {o_arg}: {err}");
            assert_eq!(snapshot(&cwd), before_with_sub, "-o {o_arg}");
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                1,
                "nothing beside the folder"
            );
        }
    }
    std::fs::remove_dir(cwd.join("sub")).unwrap();
    assert_eq!(snapshot(&cwd), before);
}

#[test]
fn output_to_an_empty_current_directory_writes_in_place() {
    use std::os::unix::fs::MetadataExt;
    let dir = tmp();
    let cwd = dir.path().join("empty");
    std::fs::create_dir(&cwd).unwrap();
    let ino = std::fs::metadata(&cwd).unwrap().ino();
    let o = bin()
        .current_dir(&cwd)
        .args(["packet"])
        .arg(abs(SHOKUBA))
        .args(["-o", ".", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::metadata(&cwd).unwrap().ino(),
        ino,
        "the directory itself was never renamed"
    );
    assert_eq!(assert_matches_manifest(&cwd), reference(SHOKUBA));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // Again with --replace: still in place.
    let o = bin()
        .current_dir(&cwd)
        .args(["packet"])
        .arg(abs(SANGYOUI))
        .args(["-o", ".", "--today", TODAY, "--replace"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&cwd).unwrap().ino(), ino);
    assert_eq!(assert_matches_manifest(&cwd), reference(SANGYOUI));
}

#[test]
fn allow_ineligible_alone_does_not_replace() {
    let dir = tmp();
    let failing = dir.path().join("failing.toml");
    let text = std::fs::read_to_string(abs(SANGYOUI)).unwrap();
    assert!(text.contains("contract_has_consultation_clause = true"));
    std::fs::write(
        &failing,
        text.replacen(
            "contract_has_consultation_clause = true",
            "contract_has_consultation_clause = false",
            1,
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    assert_eq!(packet(&abs(SANGYOUI), &out, &[]).status.code(), Some(0));
    let before = snapshot(&out);

    let o = packet(&failing, &out, &["--allow-ineligible"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("--replace"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);

    // Both flags: forms for the failing claim replace the earlier output.
    let o = packet(&failing, &out, &["--allow-ineligible", "--replace"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_ne!(assert_matches_manifest(&out), reference(SANGYOUI));

    // The deprecated --force still means both, and says so.
    let o = packet(&failing, &out, &["--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("--allow-ineligible") && err.contains("--replace"),
        "{err}"
    );
    assert!(!Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .args(["packet", "--help"])
        .output()
        .map(|o| stdout(&o))
        .unwrap()
        .contains("--force"));
}

#[test]
fn concurrent_runs_to_one_new_dir_never_lose_a_packet() {
    let refs = [reference(SANGYOUI), reference(SHOKUBA)];
    let dir = tmp();
    for trial in 0..20 {
        // Half the trials race plain runs, half race runs with --replace.
        let flags: &[&str] = if trial % 2 == 0 { &[] } else { &["--replace"] };
        let out = dir.path().join(format!("out{trial}"));
        let children: Vec<_> = [SANGYOUI, SHOKUBA]
            .iter()
            .map(|c| {
                packet_cmd(&abs(c), &out, flags)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let ok = outputs
            .iter()
            .filter(|o| o.status.code() == Some(0))
            .count();
        for o in &outputs {
            if o.status.code() != Some(0) {
                assert_eq!(o.status.code(), Some(2), "trial {trial}: {}", stderr(o));
                assert!(
                    stderr(o).contains("何も書き込んでいません"),
                    "{}",
                    stderr(o)
                );
            }
        }
        assert!(ok >= 1, "trial {trial}: one run must succeed");
        if flags.is_empty() {
            assert_eq!(
                ok, 1,
                "trial {trial}: without --replace only one may succeed"
            );
        }
        let on_disk = assert_matches_manifest(&out);
        assert!(
            refs.contains(&on_disk),
            "trial {trial}: exactly one packet's files"
        );
        if ok == 1 {
            let winner = outputs.iter().position(|o| o.status.code() == Some(0));
            assert_eq!(
                on_disk,
                refs[winner.unwrap()],
                "trial {trial}: the winner's"
            );
        }
        assert!(staging_in(dir.path()).is_empty(), "trial {trial}");
    }
}

#[test]
fn a_held_lock_makes_a_second_run_fail_at_once() {
    let dir = tmp();
    let out = dir.path().join("out");
    assert_eq!(packet(&abs(SHOKUBA), &out, &[]).status.code(), Some(0));
    let before = snapshot(&out);
    let lock = std::fs::File::open(&out).unwrap();
    lock.try_lock().unwrap();
    let o = packet(&abs(SHOKUBA), &out, &["--replace"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("書き込み中"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    drop(lock);
    assert_eq!(
        packet(&abs(SHOKUBA), &out, &["--replace"]).status.code(),
        Some(0)
    );
}

#[test]
fn ctrl_c_leaves_either_nothing_or_a_complete_packet() {
    let dir = tmp();
    for (i, delay_ms) in [0u64, 50, 150, 300, 600, 1000].iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        let child = packet_cmd(&abs(SHOKUBA), &out, &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(*delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let o = child.wait_with_output().unwrap();
        match o.status.code() {
            Some(0) => assert_eq!(assert_matches_manifest(&out), reference(SHOKUBA)),
            _ => assert!(!out.exists(), "interrupted ({:?}): no output", o.status),
        }
        assert!(staging_in(dir.path()).is_empty(), "after {delay_ms} ms");
    }
}

// ---------------------------------------------------------------- the write protocol

#[test]
fn an_empty_existing_directory_needs_no_flag() {
    let dir = tmp();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let r = write_packet(&out, &[file("a.pdf", "A")], false).unwrap();
    assert!(!r.created);
    assert_eq!(r.written, ["a.pdf"]);
    assert_eq!(assert_matches_manifest(&out).len(), 1);
}

#[test]
fn replacing_overwrites_ours_and_deletes_what_the_new_output_lacks() {
    let dir = tmp();
    let out = dir.path().join("out");
    let r = write_packet(&out, &[file("a.pdf", "A1"), file("b.pdf", "B1")], false).unwrap();
    assert!(r.created);
    assert!(matches!(
        write_packet(&out, &[file("a.pdf", "A2")], false),
        Err(OutputError::NeedsReplace { pending: false, .. })
    ));
    let r = write_packet(&out, &[file("a.pdf", "A2"), file("c.pdf", "C2")], true).unwrap();
    assert_eq!(r.replaced, ["a.pdf"]);
    assert_eq!(r.removed, ["b.pdf"]);
    let files = assert_matches_manifest(&out);
    assert_eq!(files["a.pdf"], b"A2");
    assert_eq!(files["c.pdf"], b"C2");
    assert!(!files.contains_key("b.pdf"));
}

#[test]
fn a_user_file_or_an_edit_blocks_replacing_and_is_named() {
    let dir = tmp();
    let out = dir.path().join("out");
    write_packet(&out, &[file("a.pdf", "A1"), file("b.pdf", "B1")], false).unwrap();
    std::fs::write(out.join("b.pdf"), "B1 with my notes").unwrap();
    std::fs::write(out.join("mine.txt"), "mine").unwrap();
    let before = snapshot(&out);
    let e = write_packet(&out, &[file("a.pdf", "A2")], true).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("b.pdf") && msg.contains("変更されています"),
        "{msg}"
    );
    assert!(msg.contains("mine.txt"), "{msg}");
    assert!(!msg.contains("a.pdf"), "a.pdf is ours and unchanged: {msg}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_manifest_naming_a_path_outside_is_not_ours() {
    let dir = tmp();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
    let manifest = serde_json::json!({"tool": "johas-claim", "format": 1, "state": "complete",
        "files": [{"name": "../precious.txt", "size": 1, "sha256": sha256(b"x")}]});
    std::fs::write(out.join(MANIFEST), manifest.to_string()).unwrap();
    let e = write_packet(&out, &[file("a.pdf", "A")], true).unwrap_err();
    assert!(e.to_string().contains(MANIFEST), "{e}");
    assert!(dir.path().join("precious.txt").exists());
}

#[test]
fn errors_leave_nothing_behind_and_the_old_output_intact() {
    let dir = tmp();
    let long = "x".repeat(300) + ".pdf"; // longer than any file system allows
                                         // A new directory: the staging directory is removed.
    let out = dir.path().join("new");
    let e = write_packet(&out, &[file("a.pdf", "A"), file(&long, "L")], false).unwrap_err();
    assert!(matches!(e, OutputError::Io { restored: true, .. }), "{e}");
    assert!(!out.exists());
    assert!(staging_in(dir.path()).is_empty());
    // In place: the old output comes back byte for byte.
    let out = dir.path().join("old");
    write_packet(&out, &[file("a.pdf", "A1"), file("b.pdf", "B1")], false).unwrap();
    let before = snapshot(&out);
    let e = write_packet(&out, &[file("a.pdf", "A2"), file(&long, "L")], true).unwrap_err();
    assert!(e.to_string().contains("元のまま"), "{e}");
    assert_eq!(snapshot(&out), before);
    // An empty directory stays empty.
    let out = dir.path().join("empty");
    std::fs::create_dir(&out).unwrap();
    write_packet(&out, &[file("a.pdf", "A"), file(&long, "L")], false).unwrap_err();
    assert!(snapshot(&out).is_empty());
    // A bad name is refused before anything is written.
    let e = write_packet(&out, &[file("../a.pdf", "A")], false).unwrap_err();
    assert!(matches!(e, OutputError::BadName(_)));
    assert!(snapshot(&out).is_empty());
    assert_eq!(staging_in(dir.path()), Vec::<String>::new());
}

#[test]
fn a_killed_runs_staging_beside_the_output_is_not_output_and_is_cleaned() {
    let dir = tmp();
    let dead = dir
        .path()
        .join(format!("{STAGING_PREFIX}{}-00c0ffee", dead_pid()));
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join("01-yoshiki1.pdf"), "%PDF-1.7 trunc").unwrap();
    // A live run's staging (this process) is left alone.
    let live = dir
        .path()
        .join(format!("{STAGING_PREFIX}{}-0000beef", std::process::id()));
    std::fs::create_dir(&live).unwrap();
    let out = dir.path().join("out");
    assert!(!out.exists(), "the leftover is not the output");
    let o = packet(&abs(SHOKUBA), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("一時ディレクトリを削除しました"));
    assert!(!dead.exists());
    assert!(live.exists());
    assert_eq!(assert_matches_manifest(&out), reference(SHOKUBA));
}

#[test]
fn a_run_killed_while_replacing_leaves_a_pending_output_a_later_run_finishes() {
    let dir = tmp();
    let out = dir.path().join("out");
    write_packet(&out, &[file("a.pdf", "A1"), file("b.pdf", "B1")], false).unwrap();
    // What `kill -9` between the pending manifest and the final one leaves: a.pdf already
    // new, b.pdf still old, c.pdf not yet there, the staging directory with a partial file.
    let staging = format!("{STAGING_PREFIX}{}-0badc0de", dead_pid());
    let entry = |n: &str, b: &str| serde_json::json!({"name": n, "size": b.len(), "sha256": sha256(b.as_bytes())});
    let pending = serde_json::json!({"tool": "johas-claim", "format": 1, "state": "pending",
        "staging": staging, "files": [entry("a.pdf", "A1"), entry("b.pdf", "B1"),
        entry("a.pdf", "A2"), entry("c.pdf", "C2")]});
    std::fs::write(out.join(MANIFEST), pending.to_string()).unwrap();
    std::fs::write(out.join("a.pdf"), "A2").unwrap();
    std::fs::create_dir_all(out.join(&staging).join("new")).unwrap();
    std::fs::write(out.join(&staging).join("new").join("c.pdf"), "C").unwrap();

    let e = write_packet(&out, &[file("a.pdf", "A3")], false).unwrap_err();
    assert!(matches!(e, OutputError::NeedsReplace { pending: true, .. }));
    assert!(e.to_string().contains("途中"), "{e}");
    let r = write_packet(&out, &[file("a.pdf", "A3")], true).unwrap();
    assert_eq!(r.cleaned, [staging]);
    assert_eq!(r.removed, ["b.pdf"]);
    let files = assert_matches_manifest(&out);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["a.pdf"]);
    assert_eq!(files["a.pdf"], b"A3");
}

#[test]
fn a_staging_directory_of_a_live_run_inside_the_output_blocks_replacing() {
    let dir = tmp();
    let out = dir.path().join("out");
    write_packet(&out, &[file("a.pdf", "A1")], false).unwrap();
    let live = format!("{STAGING_PREFIX}{}-0000beef", std::process::id());
    std::fs::create_dir(out.join(&live)).unwrap();
    let e = write_packet(&out, &[file("a.pdf", "A2")], true).unwrap_err();
    assert!(e.to_string().contains(&live), "{e}");
    assert!(out.join(&live).exists());
    std::fs::remove_dir(out.join(&live)).unwrap();
    let dead = format!("{STAGING_PREFIX}{}-0000beef", dead_pid());
    std::fs::create_dir(out.join(&dead)).unwrap();
    let r = write_packet(&out, &[file("a.pdf", "A2")], true).unwrap();
    assert_eq!(r.cleaned, [dead]);
    assert_eq!(assert_matches_manifest(&out)["a.pdf"], b"A2");
}
