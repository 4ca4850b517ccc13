//! 健康経営優良法人 from the command line, as a user runs it: `check` (exit codes, the human
//! report, JSON), bad answers files (every problem at once, file:line, exit 2), `explain`,
//! and `packet` (the 転記表 and 保存資料 PDFs read back with pdftotext, the CSV, check.json,
//! byte-identical on a second run, refused when the requirements are not met).

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .env("JOHAS_TODAY", "2026-12-02")
        .args(args)
        .output()
        .expect("run johas-claim")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-kenko-")
        .tempdir()
        .unwrap()
}

fn pdf_text(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/run");
    assert!(o.status.success(), "pdftotext {}", path.display());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whitespace removed: pdftotext breaks lines where the page does.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn check_gives_each_example_its_verdict_track_and_exit_code() {
    let cases = [
        (
            "service-40",
            0,
            "認定要件を満たす",
            "通常（中小規模法人部門）",
        ),
        (
            "tokurei-4",
            0,
            "認定要件を満たす",
            "特例（小規模事業者向け特例）",
        ),
        (
            "failing",
            1,
            "認定要件を満たさない",
            "通常（中小規模法人部門）",
        ),
    ];
    for (name, code, verdict, track) in cases {
        let o = run(&["check", &format!("examples/kenko-keiei/{name}.toml")]);
        let text = out(&o);
        assert_eq!(o.status.code(), Some(code), "{name}: {text}{}", err(&o));
        assert!(
            text.contains(&format!("判定: {verdict}\n")),
            "{name}: {text}"
        );
        assert!(text.contains(&format!("区分: {track}")), "{name}: {text}");
        assert!(text.contains("認定を保証するものではありません"), "{name}");
        // The run's day (2026-12-02) is after the upload deadline: said as for a grant.
        assert!(
            text.contains("※ この版の申請受付は 令和7年10月17日 17時00分（申請書のアップロード期限）で終了しています（確認日 令和8年12月2日）。"),
            "{name}: {text}"
        );
    }
    // The failing firm: the 必須 items not met and the short count, with their rule IDs.
    let text = out(&run(&["check", "examples/kenko-keiei/failing.toml"]));
    assert!(text.contains("× 必須 [KK-R1]"), "{text}");
    assert!(text.contains("× ⑪～⑰: 2項目（必要 4項目）"), "{text}");
    assert!(text.contains("実施して資料を保存すれば"), "{text}");
}

#[test]
fn check_json_carries_the_verdict_counts_and_facts_with_their_lines() {
    let o = run(&[
        "check",
        "examples/kenko-keiei/failing.toml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["verdict"]["status"], "fails");
    assert_eq!(v["track"], "normal");
    // The same edition_status as the grants' JSON, on the run's day (2026-12-02).
    assert_eq!(v["edition_status"]["application_closes"], "2025-10-17");
    assert_eq!(
        v["edition_status"]["application_closes_at"],
        "2025-10-17T17:00:00"
    );
    assert_eq!(v["edition_status"]["closed"], true);
    assert_eq!(v["edition_status"]["checked_on"], "2026-12-02");
    let c3 = &v["tracks"][0]["counts"][2];
    assert_eq!(
        (
            c3["rule"].as_str(),
            c3["passed"].as_u64(),
            c3["needed"].as_u64()
        ),
        (Some("KK-C3"), Some(2), Some(4))
    );
    assert_eq!(v["facts"]["answers.q31"]["line"], 118);
    assert_eq!(v["facts"]["answers.q31"]["value"], "5");
}

#[test]
fn a_bad_answers_file_gets_every_problem_at_once_with_its_line() {
    let dir = tmp();
    let text = std::fs::read_to_string("examples/kenko-keiei/service-40.toml")
        .unwrap()
        .replacen("\nq13 = 2 ", "\nq13 = 9 ", 1)
        .replacen("\nq30 = [6]", "\nq30 = [6, \"x\"]", 1)
        .replacen("\nq3 = 1 ", "\nq3 = \"１\" ", 1)
        .replacen("\n[answers]\n", "\n[answers]\nq99 = 1\n", 1);
    let f = dir.path().join("bad.toml");
    std::fs::write(&f, &text).unwrap();
    let o = run(&["check", f.to_str().unwrap()]);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("3 件の問題"), "{e}");
    assert!(e.contains("answers.q99") && e.contains("もしかして"), "{e}");
    assert!(
        e.contains("Q13 の回答 9 は選択肢にありません") && e.contains("選択肢:"),
        "{e}"
    );
    assert!(e.contains("answers.q30") && e.contains("\"x\""), "{e}");
    // The line of each, counted in the file as written.
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    assert!(
        e.contains(&format!("bad.toml:{} answers.q13", line_of("q13 = 9"))),
        "{e}"
    );
    // 全角 digits are read, and said so, not refused.
    assert!(!e.contains("answers.q3\n"), "{e}");
}

#[test]
fn full_width_digits_are_read_and_the_reading_is_said() {
    let dir = tmp();
    let text = std::fs::read_to_string("examples/kenko-keiei/service-40.toml")
        .unwrap()
        .replacen("\nq3 = 1 ", "\nq3 = \"１\" ", 1);
    let f = dir.path().join("zen.toml");
    std::fs::write(&f, text).unwrap();
    let o = run(&["check", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let all = out(&o) + &err(&o);
    assert!(all.contains("\"１\" を数 1 として読みました"), "{all}");
}

#[test]
fn explain_shows_the_requirements_with_thresholds_and_the_workbook_sentence() {
    let o = run(&["explain", "健康経営"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    for needle in [
        "KK-C3",
        "4項目以上",
        "小規模事業者向け特例",
        "KK-R8",
        "16,500円",
        "令和9年10月17日",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    // The certification's own name once, and the upload deadline judged on the day.
    assert!(
        text.starts_with("■ 健康経営優良法人2026（中小規模法人部門） 認定申請書（2026）\n"),
        "{text}"
    );
    assert!(
        text.contains("※ この版の申請受付は 令和7年10月17日 17時00分（申請書のアップロード期限）で終了しています（確認日 令和8年12月2日）。"),
        "{text}"
    );
    let o = run(&["explain", "健康経営", "--today", "2025-09-01"]);
    assert!(
        out(&o).contains(
            "※ この版の申請書のアップロード期限は 令和7年10月17日 17時00分 です（確認日 令和7年9月1日）。"
        ),
        "{}",
        out(&o)
    );
}

#[test]
fn packet_writes_the_transcript_documents_csv_and_json_and_is_deterministic() {
    let dir = tmp();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for d in [&a, &b] {
        let o = run(&[
            "packet",
            "examples/kenko-keiei/service-40.toml",
            "-o",
            d.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    }
    let names = [
        "01-転記表.pdf",
        "02-保存資料.pdf",
        "転記表.csv",
        "check.json",
    ];
    for n in names {
        let x = std::fs::read(a.join(n)).unwrap();
        assert_eq!(
            x,
            std::fs::read(b.join(n)).unwrap(),
            "{n} differs between runs"
        );
    }
    // The 転記表: every answer in the workbook's order, what to type.
    let t = squash(&pdf_text(&a.join("01-転記表.pdf")));
    assert!(t.contains("回答転記表"), "{t}");
    assert!(t.contains("株式会社さくらシステム"), "{t}");
    assert!(t.contains("本ツールは申請書に記入しません"), "{t}");
    assert!(t.contains("入力する値:3（サービス業）"), "{t}");
    let q6 = t.find("Q6★").expect("Q6");
    let q31 = t.find("Q31★").expect("Q31");
    assert!(q6 < q31, "workbook order");
    // The documents to keep, until the retention date.
    let d = squash(&pdf_text(&a.join("02-保存資料.pdf")));
    assert!(d.contains("令和9年10月17日まで保存"), "{d}");
    assert!(d.contains("Q6選択肢1"), "{d}");
    // The CSV: BOM, header, one row per question, the answer as typed.
    let csv = std::fs::read_to_string(a.join("転記表.csv")).unwrap();
    assert!(
        csv.starts_with("\u{FEFF}設問,設問の内容,入力する値,回答の意味"),
        "{csv}"
    );
    let row = csv
        .lines()
        .find(|l| l.starts_with("Q2(b)"))
        .expect("Q2(b) row");
    assert!(row.contains(",3,サービス業,★"), "{row}");
    // check.json is what check --format json says.
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("check.json")).unwrap()).unwrap();
    assert_eq!(v["verdict"]["status"], "meets");
}

#[test]
fn packet_of_a_failing_firm_writes_nothing_unless_asked() {
    let dir = tmp();
    let d = dir.path().join("p");
    let o = run(&[
        "packet",
        "examples/kenko-keiei/failing.toml",
        "-o",
        d.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!d.exists(), "nothing written");
    let e = err(&o);
    assert!(e.contains("要件を満たさない"), "{e}");
    assert!(!e.contains("支給要件"), "a certification pays nothing: {e}");
    let o = run(&[
        "packet",
        "examples/kenko-keiei/failing.toml",
        "-o",
        d.to_str().unwrap(),
        "--allow-ineligible",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let t = squash(&pdf_text(&d.join("01-転記表.pdf")));
    assert!(t.contains("未回答の設問（1件）"), "{t}");
    assert!(t.contains("Q9★"), "{t}");
}

/// An answers file of an edition the tool does not have says how to add it.
#[test]
fn an_unknown_edition_says_how_to_add_its_data() {
    let dir = tmp();
    let f = dir.path().join("2027.toml");
    let text = std::fs::read_to_string("examples/kenko-keiei/service-40.toml")
        .unwrap()
        .replace("edition = \"2026\"", "edition = \"2027\"");
    std::fs::write(&f, text).unwrap();
    for args in [
        vec!["check", f.to_str().unwrap()],
        vec!["new", "--resume", f.to_str().unwrap()],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            err(&o).contains(
                "--editions DIR で加えられます（DIR/editions/kenko-keiei-chusho/2027.toml）"
            ),
            "{args:?}: {}",
            err(&o)
        );
    }
}

/// A year-month and a date are read as the input boundary reads them (2025/5, 令和7年5月,
/// R7.5; 令和7年10月1日, R7.10.1), with a notice, never rejected when their meaning is plain.
#[test]
fn a_year_month_and_a_date_are_read_leniently_with_a_notice() {
    let dir = tmp();
    for written in ["2025/5", "令和7年5月", "R7.5", "2025年5月"] {
        let f = dir.path().join("ym.toml");
        let text = std::fs::read_to_string("examples/kenko-keiei/service-40.toml").unwrap();
        let start = text
            .find("as_of = \"")
            .expect("the example gives Q4's as_of");
        let end = start + text[start..].find('\n').unwrap();
        let text = format!("{}as_of = \"{written}\"{}", &text[..start], &text[end..]);
        std::fs::write(&f, text).unwrap();
        let o = run(&["check", f.to_str().unwrap(), "--format", "json"]);
        assert!(
            matches!(o.status.code(), Some(0) | Some(1)),
            "{written}: {}",
            err(&o)
        );
        let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        let said = v["notices"].as_array().unwrap().iter().any(|n| {
            n["path"] == "corporation.employees.as_of"
                && n["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("年月 2025-05 として読みました"))
        });
        assert!(said, "{written}: {}", v["notices"]);
    }
}

fn notice_says(o: &std::process::Output, path: &str, text: &str) -> bool {
    let v: serde_json::Value = serde_json::from_str(&out(o)).unwrap_or_default();
    v["notices"].as_array().is_some_and(|a| {
        a.iter()
            .any(|n| n["path"] == path && n["message"].as_str().is_some_and(|m| m.contains(text)))
    })
}

#[test]
fn a_wareki_date_is_read_with_a_notice() {
    let dir = tmp();
    let base = std::fs::read_to_string("examples/kenko-keiei/service-40.toml").unwrap();
    assert!(base.contains("date = 2025-10-01"));
    for written in ["\"令和7年10月1日\"", "\"R7.10.1\"", "\"2025/10/1\""] {
        let f = dir.path().join("d.toml");
        std::fs::write(
            &f,
            base.replacen("date = 2025-10-01", &format!("date = {written}"), 1),
        )
        .unwrap();
        let o = run(&["check", f.to_str().unwrap(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{written}: {}", err(&o));
        assert!(
            notice_says(&o, "pledge.date", "日付 2025-10-01 として読みました"),
            "{written}: {}",
            out(&o)
        );
    }
}
