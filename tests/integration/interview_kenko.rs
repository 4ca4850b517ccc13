//! `new --grant 健康経営` through a pseudo-terminal of 80 columns: the workbook's questions
//! with the rule and the workbook's sentence, answers read as `check` reads them (全角 digits),
//! a multi-select ticked with Space, a failing item said at once and answered again, save and
//! quit, `--resume`, and `check` on the result.

use crate::pty::Pty;
use std::path::Path;
use std::process::Command;

const DOWN: &str = "\x1b[B";
const ESC: &str = "\x1b";

fn check(dir: &Path, file: &str, today: &str) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .current_dir(dir)
        .args(["check", file, "--today", today])
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// How to answer one question.
#[derive(Clone, Copy)]
enum A<'a> {
    /// Typed text.
    Type(&'a str),
    /// The option of this number (a 1つだけ question).
    Pick(u32),
    /// These options ticked with Space (an いくつでも question).
    Tick(&'a [u32]),
    /// The item of 「どうしますか」 (0 = 続ける, 1 = 答え直す).
    Then(usize),
    Esc,
}

/// Answers the interview: at each question (known by its key shown before the prompt), the
/// answers given for that key in turn; a key not listed is answered 「わからない」. Returns
/// the keys asked, in order.
fn drive(p: &mut Pty, answers: &[(&str, A)]) -> Vec<String> {
    let mut asked: Vec<String> = Vec::new();
    let mut answered = 0;
    let start = std::time::Instant::now();
    while !p.done() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(240),
            "the interview did not end:\n{}",
            p.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(30));
        let screen = p.screen().replace('\r', "\n");
        let done = screen.matches("\n✔ ").count();
        let tail = &screen[screen.rfind("\n✔ ").unwrap_or(0)..];
        if done < answered || !tail.contains("\n? ") {
            continue;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let screen = p.screen().replace('\r', "\n");
        let tail = &screen[screen.rfind("\n✔ ").unwrap_or(0)..];
        let at = tail.rfind("\n? ").unwrap();
        let (before, prompt) = tail.split_at(at);
        let key = if prompt.contains("どうしますか") {
            "どうしますか".to_string()
        } else {
            before
                .match_indices('（')
                .filter_map(|(i, _)| {
                    let rest = &before[i + '（'.len_utf8()..];
                    let k = &rest[..rest.find('）')?];
                    (!k.is_empty()
                        && k.contains('.')
                        && k.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                        }))
                    .then(|| k.to_string())
                })
                .next_back()
                .unwrap_or_else(|| panic!("no key before {prompt:?}:\n{screen}"))
        };
        // The n-th time this key is asked takes the n-th answer listed for it.
        let nth = asked.iter().filter(|k| **k == key).count();
        let answer = answers
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, a)| *a)
            .nth(nth);
        let lines: Vec<&str> = prompt.trim_start_matches('\n').lines().skip(1).collect();
        let multi = lines.iter().any(|l| l.contains("Space で選ぶ"));
        // Items in the list: the total of a windowed list, or those shown.
        let total = lines
            .iter()
            .find_map(|l| {
                let (_, rest) = l.split_once(" / ")?;
                rest.split('件').next()?.parse::<usize>().ok()
            })
            .unwrap_or_else(|| {
                lines
                    .iter()
                    .filter(|l| !l.trim().is_empty() && !l.contains("Space") && !l.contains("↑↓"))
                    .count()
            });
        let keys = match answer {
            Some(A::Esc) => ESC.to_string(),
            Some(A::Type(t)) => format!("{t}\r"),
            Some(A::Pick(n)) => format!("{}\r", DOWN.repeat(n as usize)),
            Some(A::Then(i)) => format!("{}\r", DOWN.repeat(i)),
            Some(A::Tick(ns)) => {
                let mut s = String::new();
                let mut cur: i64 = -1;
                for n in ns {
                    let at = i64::from(*n) - 1;
                    s.push_str(&DOWN.repeat((at - cur) as usize));
                    s.push(' ');
                    cur = at;
                }
                s.push('\r');
                s
            }
            // 「わからない」: the item before 「保存してやめる」, or an empty line.
            None if lines.is_empty() || total == 0 => "\r".to_string(),
            None if multi || total > 0 => format!("{}\r", DOWN.repeat(total - 1)),
            None => "\r".to_string(),
        };
        asked.push(key);
        answered = done + 1;
        p.send(&keys);
    }
    p.drain();
    asked
}

fn assert_fits_80_columns(screen: &str) {
    for row in screen.split(['\n', '\r']).filter(|r| !r.starts_with("? ")) {
        let w = unicode_width::UnicodeWidthStr::width(row);
        assert!(w <= 80, "{w} columns: {row:?}");
    }
}

/// The interview from the start, saved and quit half-way (Esc), then the answers of the
/// example firm added by hand but for four, `--resume` asks those four (and the blanks),
/// a multi-select is ticked with Space, an answer that fails an item is said at once and
/// answered again, and `check` finds the file meets the requirements.
#[test]
fn kenko_interview_save_quit_resume_then_check() {
    let dir = tempfile::Builder::new()
        .prefix("johas-kenko-new-")
        .tempdir()
        .unwrap();
    let mut p = Pty::spawn_sized(
        &[
            "new",
            "--grant",
            "健康経営",
            "-o",
            "answers.toml",
            "--today",
            "2025-10-01",
        ],
        dir.path(),
        80,
        30,
    );
    let first: &[(&str, A)] = &[
        ("corporation.name", A::Type("株式会社さくらシステム")),
        ("corporation.kana", A::Type("さくらしすてむ")),
        ("corporation.number", A::Type("4011001099991")),
        ("corporation.prefecture", A::Type("東京都")),
        ("corporation.city", A::Type("千代田区")),
        ("corporation.insurer.kind", A::Pick(1)),
        ("corporation.insurer.kyokai_branch", A::Type("東京")),
        ("corporation.insurer.kyokai_symbol", A::Type("12345678")),
        ("corporation.legal_form", A::Pick(1)),
        ("corporation.industry", A::Pick(3)),
        ("corporation.industry_detail", A::Pick(10)),
        ("corporation.employees.as_of", A::Type("２０２５－０８")),
        ("corporation.employees.regular", A::Type("３０")),
        ("corporation.employees.seconded", A::Esc),
    ];
    let asked = drive(&mut p, first);
    let code = p.wait();
    let screen = p.screen();
    assert_eq!(code, 1, "saved before the end: {screen}");
    // What the interview leaves out is said before the first question, and not asked.
    assert!(
        screen.contains("任意で、認定の判定に使わない設問（"),
        "{screen}"
    );
    assert!(
        !asked.iter().any(|k| k == "corporation.name_en"),
        "asked an optional question no rule reads: {asked:?}"
    );
    // Q1's SQ1a (協会けんぽ) was asked; SQ1b (健康保険組合) was not.
    assert!(asked.contains(&"corporation.insurer.kyokai_branch".to_string()));
    assert!(
        !asked.iter().any(|k| k.contains("kenpo")),
        "asked a conditional SQ whose condition does not hold: {asked:?}"
    );
    // The rule and the workbook's sentence behind a question.
    assert!(
        screen.contains("なぜ: [KK-E4] 加入保険者の記入（Q1） — 申請書「◆加入保険者への照会"),
        "{screen}"
    );
    assert!(
        screen.contains("途中まで保存しました: answers.toml"),
        "{screen}"
    );
    assert!(screen.contains("読み替えました"), "{screen}");
    assert_fits_80_columns(&screen);
    let saved = std::fs::read_to_string(dir.path().join("answers.toml")).unwrap();
    for line in [
        "programme = \"kenko-keiei-chusho\"",
        "number = \"4011001099991\"",
        "kind = 1",
        "kyokai_symbol = \"12345678\"",
        // Optional and read by no rule: not asked, left blank as in the template.
        "# name_en = \"\"\n",
        "legal_form = 1",
        "industry_detail = 10",
        // 全角 read as `check` reads them.
        "as_of = \"2025-08\"",
        "regular = 30",
        // Not asked yet: commented as in the template.
        "# seconded = 0\n",
        "# q14 = []\n",
    ] {
        assert!(saved.contains(line), "{line}\n{saved}");
    }
    assert!(saved.starts_with("# 書きかけのファイルです。"), "{saved}");
    let (code, out) = check(dir.path(), "answers.toml", "2025-10-01");
    assert_eq!(code, 1, "incomplete: {out}");

    // The example firm's other answers, written by hand into the saved file, but Q13, Q14
    // and Q16.
    let mut t: toml::Table = toml::from_str(&saved).unwrap();
    let example: toml::Table =
        toml::from_str(&std::fs::read_to_string("examples/kenko-keiei/service-40.toml").unwrap())
            .unwrap();
    fn merge(into: &mut toml::Table, from: &toml::Table, prefix: &str) {
        for (k, v) in from {
            let path = format!("{prefix}{k}");
            if ["answers.q13", "answers.q14", "answers.q16"].contains(&path.as_str()) {
                continue;
            }
            match v {
                toml::Value::Table(sub) => {
                    let e = into
                        .entry(k.clone())
                        .or_insert_with(|| toml::Value::Table(Default::default()));
                    merge(e.as_table_mut().unwrap(), sub, &format!("{path}."));
                }
                _ => {
                    into.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    merge(&mut t, &example, "");
    std::fs::write(
        dir.path().join("answers.toml"),
        toml::to_string(&t).unwrap(),
    )
    .unwrap();

    let mut p = Pty::spawn_sized(
        &["new", "--resume", "answers.toml", "--today", "2025-10-01"],
        dir.path(),
        80,
        30,
    );
    let rest: &[(&str, A)] = &[
        // Q13 = 2 fails ③ (as in the example): said at once; go on.
        ("answers.q13", A::Pick(2)),
        ("どうしますか", A::Then(0)),
        ("answers.q14", A::Tick(&[1, 3])),
        // 「いずれも特に行っていない」 first: the item fails at once; answered again.
        ("answers.q16", A::Tick(&[18])),
        ("どうしますか", A::Then(1)),
        ("answers.q16", A::Tick(&[1, 7, 11])),
    ];
    let asked = drive(&mut p, rest);
    let code = p.wait();
    let screen = p.screen();
    assert_eq!(code, 0, "{screen}");
    assert!(
        !asked
            .iter()
            .any(|k| k == "corporation.name" || k == "answers.q17"),
        "asked a question the file answers: {asked:?}"
    );
    assert!(
        screen.contains("[KK-V5] 適切な働き方実現に向けた取り組み: Q16 で 18"),
        "{screen}"
    );
    assert_fits_80_columns(&screen);
    let text = std::fs::read_to_string(dir.path().join("answers.toml")).unwrap();
    for line in [
        "industry_detail = 10",
        "q13 = 2",
        "q14 = [1, 3]",
        "q16 = [1, 7, 11]",
        "q17 = [16]",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let (code, out) = check(dir.path(), "answers.toml", "2025-10-01");
    assert_eq!(code, 0, "{out}\n{text}");
    assert!(out.contains("判定: 認定要件を満たす"), "{out}");
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `new --from LAST --template`: a 2027 workbook (tests/data/editions: Q19 and Q20 swap
/// numbers, ⑪～⑰ needs 3) gets last year's answers by question ID, not by number, says
/// what changed, leaves last year's dates out, and `check` reads the file in the 2027
/// edition.
#[test]
fn new_from_last_year_matches_questions_by_id() {
    let dir = tempfile::Builder::new()
        .prefix("johas-kenko-from-")
        .tempdir()
        .unwrap();
    let x = dir.path().join("2027.toml");
    let x = x.to_str().unwrap();
    let (code, out, err) = run(&[
        "--editions",
        "tests/data/editions",
        "new",
        "--from",
        "examples/kenko-keiei/service-40.toml",
        "--template",
        "-o",
        x,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    for line in [
        "2026 年の Q19（answers.q19）は 2027 年版では Q20（answers.q20）です。回答「3」を引き継ぎました。",
        "2026 年の Q20（answers.q20）は 2027 年版では Q19（answers.q19）です。回答「3・6」を引き継ぎました。",
        "[KK-C3] ⑪～⑰（通常）の必要な項目数: 2026 年 4 → 2027 年 3。",
        "誓約日（pledge.date）は前回（2026 年版）の日付のため、引き継ぎませんでした。",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    let text = std::fs::read_to_string(x).unwrap();
    assert!(text.contains("\nedition = \"2027\"\n"), "{text}");
    // communication (2026 Q19 = [3]) is Q20 in 2027; illness_support (2026 Q20) is Q19.
    assert!(text.contains("\nq20 = [3]\n"), "{text}");
    assert!(text.contains("\nq19 = [3, 6]\n"), "{text}");
    assert!(text.contains("\nq14 = [1]\n"), "{text}");
    // The change list heads the file too; last year's dates are left to write.
    assert!(text.starts_with("# examples/kenko-keiei/service-40.toml の回答から始めました。"));
    assert!(text.contains("\n# date = 2025-09-30\n"), "{text}");
    assert!(!text.contains("\nuploaded = "), "{text}");
    let (code, out, err) = run(&[
        "--editions",
        "tests/data/editions",
        "check",
        x,
        "--today",
        "2026-10-01",
    ]);
    assert_eq!(code, 1, "the pledge is this year's to sign: {out}{err}");
    assert!(out.contains("健康経営優良法人2027"), "{out}");
    assert!(out.contains("⑪～⑰: 6項目（必要 3項目） 適合"), "{out}");
    assert!(out.contains("[KK-L1]"), "{out}");
    // Never over a file: the same command again is refused.
    let (code, _, err) = run(&[
        "--editions",
        "tests/data/editions",
        "new",
        "--from",
        "examples/kenko-keiei/service-40.toml",
        "--template",
        "-o",
        x,
    ]);
    assert_eq!(code, 2, "{err}");
    // Without a newer edition: the same numbers, and it says so.
    let (code, out, err) = run(&[
        "new",
        "--from",
        "examples/kenko-keiei/service-40.toml",
        "--template",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("新しい版はありません"), "{err}");
    assert!(out.contains("\nq19 = [3]\n"), "{out}");
    // `--template` alone names no programme.
    let (code, _, err) = run(&["new", "--template"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--template 健康経営"), "{err}");
}
