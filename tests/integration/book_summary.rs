//! The book summary at office scale (issue 16): a 300-client book generated here, whose
//! summary fits 100 columns, folds identical notes and tells same-name clients apart by
//! their folder; packet folders that keep the book's folder names; and a snapshot of the
//! example book's summary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use unicode_width::UnicodeWidthStr;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn example(rel: &str) -> PathBuf {
    Path::new(ROOT).join("examples/book").join(rel)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .env_remove("JOHAS_TODAY")
        .current_dir(ROOT)
        .args(args)
        .output()
        .expect("run johas-claim")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const SURNAMES: [&str; 20] = [
    "青木", "井上", "上田", "江口", "大野", "加藤", "木村", "工藤", "小林", "斎藤", "佐藤", "鈴木",
    "高橋", "田中", "中村", "西田", "野口", "橋本", "藤田", "松本",
];
const TRADES: [&str; 5] = ["商事", "建設", "運輸", "食品", "精機"];

/// A client folder made from the example client 01: its profile with the establishment's
/// name (and the worker count) replaced, and one 産業医 claim whose round the book decides.
fn client(book: &Path, folder: &str, name: &str, workers: u32) {
    let dir = book.join(folder);
    std::fs::create_dir_all(dir.join("claims")).unwrap();
    let profile = std::fs::read_to_string(example("01-ろうあん/client.toml"))
        .unwrap()
        .replace("name = \"(株)ろうあん\"", &format!("name = \"{name}\""))
        .replace("workers = 35", &format!("workers = {workers}"));
    std::fs::write(dir.join("client.toml"), profile).unwrap();
    let claim = std::fs::read_to_string(example("01-ろうあん/claims/2020-産業医1回目.toml"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("round ="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("claims/2020-産業医1回目.toml"), claim + "\n").unwrap();
}

/// The 300-client book: folder `NNN-<name>`; 241 and 244 both 「青木商事」; every 10th
/// client has 62 workers (not eligible); one client's name is long.
fn book_300(root: &Path) -> PathBuf {
    let book = root.join("book");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "office = \"ろうあん社会保険労務士事務所\"\n",
    )
    .unwrap();
    for i in 1..=300u32 {
        let (folder_name, name) = match i {
            241 | 244 => ("青木商事".to_string(), "青木商事(株)".to_string()),
            123 => (
                "横浜みなとみらい総合建設工業株式会社本社".to_string(),
                "横浜みなとみらい総合建設工業(株) 本社".to_string(),
            ),
            _ => {
                let n = format!(
                    "{}{}",
                    SURNAMES[(i as usize) % SURNAMES.len()],
                    TRADES[(i as usize / SURNAMES.len()) % TRADES.len()]
                );
                (n.clone(), format!("{n}(株)"))
            }
        };
        let workers = if i % 10 == 0 { 62 } else { 35 };
        client(&book, &format!("{i:03}-{folder_name}"), &name, workers);
    }
    book
}

#[test]
fn book_summary_300_clients_fits_100_columns_folds_notes_and_names_folders() {
    let t = tempfile::Builder::new()
        .prefix("johas-300-")
        .tempdir()
        .unwrap();
    let book = book_300(t.path());
    let o = run(&["check", s(&book), "--today", "2020-10-01"]);
    assert_eq!(o.status.code(), Some(1), "30 clients not eligible: exit 1");
    let text = out(&o);
    if let Ok(p) = std::env::var("JOHAS_SAVE_SUMMARY_300") {
        std::fs::write(p, &text).unwrap();
    }
    let lines: Vec<&str> = text.lines().collect();
    for l in &lines {
        assert!(l.width() <= 100, "{} columns: {l}", l.width());
        // Also on a terminal that draws ①, ■ and … wide.
        assert!(l.width_cjk() <= 100, "{} columns (CJK): {l}", l.width_cjk());
    }
    // 1. The count by state comes first.
    let by_state = text.find("状態別の件数:").expect("count by state");
    let table = text.find("フォルダ").expect("table");
    assert!(by_state < table);
    assert!(lines
        .iter()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["適合", "270", "件"]));
    assert!(lines
        .iter()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["不適合", "30", "件"]));
    // 2. The table: the folder (client code) first, one row per client.
    let header = lines.iter().find(|l| l.starts_with("フォルダ")).unwrap();
    assert!(
        header.split_whitespace().next() == Some("フォルダ"),
        "{header}"
    );
    let rows: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("2020-産業医1回目") && !l.starts_with('■'))
        .collect();
    assert_eq!(rows.len(), 300, "one row per client");
    // Same name, told apart by the folder.
    assert!(
        rows.iter().any(|l| l.starts_with("241-青木商事 ")),
        "{text}"
    );
    assert!(
        rows.iter().any(|l| l.starts_with("244-青木商事 ")),
        "{text}"
    );
    // A long folder name is cut, its client code kept.
    assert!(rows.iter().any(|l| l.starts_with("123-横浜")), "{text}");
    // 3. Only what needs action, each named by its folder.
    let action = text.find("要対応（30件）:").expect("30 to act on");
    assert!(table < action);
    assert_eq!(lines.iter().filter(|l| l.starts_with("■ ")).count(), 30);
    assert!(text.contains("■ 010-"), "{text}");
    assert!(
        !text.contains("■ 241-青木商事"),
        "an eligible client needs no action"
    );
    // Identical notes folded into one line with a count.
    let note = "申請回数（1回目）はブックの履歴から決めました。";
    assert_eq!(text.matches(note).count(), 1, "{text}");
    assert!(text.contains(&format!("・{note}（300件）")), "{text}");
    assert!(lines.len() < 300 + 30 * 3 + 30, "{} lines", lines.len());

    // --wide: every column, the client's name beside its folder.
    let o = run(&["check", s(&book), "--today", "2020-10-01", "--wide"]);
    let wide = out(&o);
    let header = wide.lines().find(|l| l.starts_with("フォルダ")).unwrap();
    for col in [
        "クライアント",
        "判定",
        "申請期間（開始）",
        "申請期間（終了）",
        "不足書類",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert!(wide.lines().any(|l| l.starts_with(
        "123-横浜みなとみらい総合建設工業株式会社本社  横浜みなとみらい総合建設工業(株) 本社"
    )));
}

#[test]
fn packet_book_folders_keep_the_books_folder_names() {
    let t = tempfile::Builder::new()
        .prefix("johas-folders-")
        .tempdir()
        .unwrap();
    let book = t.path().join("book");
    client(&book, "241-青木商事", "青木商事(株)", 35);
    client(&book, "244-青木商事", "青木商事(株)", 35);
    client(&book, "250-井上建設", "井上建設(株)", 35);
    let outdir = t.path().join("out");
    let o = run(&[
        "packet",
        s(&book),
        "-o",
        s(&outdir),
        "--today",
        "2020-10-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let mut names: Vec<String> = std::fs::read_dir(&outdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["241-青木商事", "244-青木商事", "250-井上建設"]);
    for n in &names {
        assert!(outdir
            .join(n)
            .join("産業医活動1回目_2020-産業医1回目/packet.pdf")
            .is_file());
    }
}

#[test]
fn book_summary_of_the_example_book() {
    let o = run(&["check", "examples/book", "--today", "2020-10-01"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    for l in text.lines() {
        assert!(l.width_cjk() <= 100, "{l}");
    }
    insta::assert_snapshot!("book_summary_example", text);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A corporation's visits: the newest answers file decides the book's summary, exit status
/// and dates, and says what moved since the previous visit.
#[test]
fn book_visits_the_newest_answers_decide() {
    let t = tempfile::Builder::new()
        .prefix("johas-visits-")
        .tempdir()
        .unwrap();
    // Two visits (the third not yet made): the second decides, and it fails.
    let book = t.path().join("book");
    copy_dir(&example("07-新丸子運送"), &book.join("07-新丸子運送"));
    std::fs::remove_file(book.join("07-新丸子運送/claims/2025-10-14-健康経営.toml")).unwrap();
    let o = run(&["check", s(&book), "--today", "2025-09-01"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.contains("ほかに以前の訪問の回答 1 件"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("07-新丸子運送"))
        .unwrap();
    assert!(row.contains("2025-08-20-健康経営"), "{row}");
    assert!(row.contains("不適合"), "{row}");
    assert!(row.contains("通常 必須22/23 2/2 5/2 3/4"), "{row}");
    assert!(
        row.ends_with("46日"),
        "to the upload deadline 2025-10-17: {row}"
    );
    assert_eq!(text.matches("■ ").count(), 1, "{text}");
    assert!(text.contains("■ 07-新丸子運送 / 2025-08-20-健康経営  不適合"));
    assert!(text.contains("・項目数: 必須 22/23、①～③ 2/2、④～⑩ 5/2、⑪～⑰ 3/4"));
    assert!(text.contains("✗ KK-C3 ⑪～⑰: 3項目が適合、4項目以上が必要"));
    assert!(
        text.contains("・前回（2025-06-10-健康経営）から: 推進計画"),
        "{text}"
    );
    assert!(
        !text.contains("KK-R1"),
        "the first visit's failures are not listed: {text}"
    );
    // The dates are the second visit's (one set, not two).
    let o = run(&[
        "deadlines",
        s(&book),
        "--today",
        "2025-09-01",
        "--format",
        "json",
    ]);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items.len(), 8);
    assert!(items.iter().all(|i| i["claim"] == "2025-08-20-健康経営"));
    let o = run(&["deadlines", s(&book), "--today", "2025-09-01"]);
    let text = out(&o);
    assert!(
        text.contains("2025-10-17  期限      07-新丸子運送 [2025-08-20-健康経営]"),
        "named by folder: {text}"
    );
    assert!(
        text.contains("2025-10-27  期日      07-新丸子運送"),
        "{text}"
    );

    // The example book's older visit, checked alone, names the newer one and the changes.
    let older = example("07-新丸子運送/claims/2025-08-20-健康経営.toml");
    let o = run(&["check", s(&older), "--today", "2025-09-01"]);
    let text = out(&o);
    assert!(
        text.contains("新しい回答ファイル 2025-10-14-健康経営 があります"),
        "{text}"
    );
    assert!(
        text.contains("・⑪～⑰（通常）: 2項目 → 3項目（必要 4項目）"),
        "{text}"
    );
    let o = run(&[
        "check",
        s(&older),
        "--today",
        "2025-09-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["visits"]["superseded_by"], "2025-10-14-健康経営");
    assert_eq!(v["visits"]["previous"], "2025-06-10-健康経営");

    // report CLIENT: every visit shown, the newest (which meets) decides the exit status.
    let html = t.path().join("r.html");
    let o = run(&[
        "report",
        s(&example("07-新丸子運送")),
        "--html",
        s(&html),
        "--today",
        "2025-10-16",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(
        page.matches("以前の回答（判定するのは 2025-10-14-健康経営）")
            .count(),
        2
    );
}
