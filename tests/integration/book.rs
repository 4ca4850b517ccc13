//! The client book (issue 8): import, history from the book, contradictions, the summary,
//! folder names, deadlines and the .ics round-trip, stdin and globs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/book");

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

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-book-")
        .tempdir()
        .unwrap()
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

/// A copy of examples/book in a temporary directory.
fn example_book() -> (tempfile::TempDir, PathBuf) {
    let t = tmp();
    let book = t.path().join("book");
    copy_dir(Path::new(EXAMPLE), &book);
    (t, book)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn summary_json(book: &Path, today: &str) -> (serde_json::Value, i32) {
    let o = run(&["check", s(book), "--format", "json", "--today", today]);
    let v: serde_json::Value = serde_json::from_str(out(&o).trim())
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out(&o), err(&o)));
    (v, o.status.code().unwrap())
}

fn row<'a>(v: &'a serde_json::Value, folder: &str, claim: &str) -> &'a serde_json::Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["folder"] == folder && r["claim"] == claim)
        .unwrap_or_else(|| panic!("no row {folder}/{claim} in {v:#}"))
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The sangyoui claim of client 04, with `period` and `round` replaced (round: None = removed),
/// and an optional record.
fn sangyoui_claim(
    period: (&str, &str),
    app_date: &str,
    round: Option<u32>,
    record: &str,
) -> String {
    let base = std::fs::read_to_string(
        Path::new(EXAMPLE).join("01-ろうあん/claims/2020-産業医1回目.toml"),
    )
    .unwrap();
    let mut text: String = base
        .lines()
        .filter(|l| !l.starts_with("round ="))
        .map(|l| {
            if l.starts_with("period_from") {
                format!("period_from = \"{}\"", period.0)
            } else if l.starts_with("period_to") {
                format!("period_to = \"{}\"", period.1)
            } else if l.starts_with("application_date") {
                let r = round.map(|r| format!("\nround = {r}")).unwrap_or_default();
                format!("application_date = {app_date}{r}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text.push_str(record);
    text
}

const GRANTED: &str =
    "\n[record]\nsubmitted_on = SUB\ndecision = \"支給\"\ndecided_on = SUB\npaid_yen = 100000\n";

fn granted(on: &str) -> String {
    GRANTED.replace("SUB", on)
}

// ------------------------------------------------------------------ the example book

#[test]
fn example_book_summary_and_exit_code() {
    let (_t, book) = example_book();
    let (v, code) = summary_json(&book, "2020-10-01");
    assert_eq!(code, 1, "an ineligible and an incomplete claim: exit 1");
    assert_eq!(v["clients"], 7);
    assert_eq!(v["claims"], 10);
    assert_eq!(v["rows"].as_array().unwrap().len(), 10);
    assert_eq!(v["failed"], 2, "the earlier visits' answers decide nothing");
    assert_eq!(v["superseded"], 2);
    let ok = row(&v, "01-ろうあん", "2020-産業医1回目");
    assert_eq!(ok["verdict"], "適合");
    assert_eq!(ok["amount_yen"], 100000);
    assert_eq!(ok["window_to"], "2020-10-31");
    assert_eq!(ok["days_left"], 30);
    assert_eq!(ok["failed"], false);
    let bad = row(&v, "02-木月運輸", "2020-産業医1回目");
    assert_eq!(bad["verdict"], "不適合");
    assert!(strings(&bad["reasons"])[0].starts_with("SC-E1 不適合"));
    let missing = row(&v, "03-住吉食品", "2020-産業医1回目");
    assert_eq!(missing["verdict"], "書類不足");
    assert_eq!(missing["missing_attachments"].as_array().unwrap().len(), 3);
    // The 2nd 産業医 claim: round and previous claim from the book.
    let second = row(&v, "04-中原精機", "2020-産業医2回目");
    assert_eq!(second["round"], 2);
    assert_eq!(second["verdict"], "適合");
    assert_eq!(strings(&second["history"]), vec!["2020-産業医1回目"]);
    assert_eq!(second["window_from"], "2020-11-01");
    assert_eq!(second["window_to"], "2021-04-30");
    let first = row(&v, "04-中原精機", "2020-産業医1回目");
    assert_eq!(first["state"], "支給");
    assert_eq!(first["days_left"], serde_json::Value::Null);
    // Excluded equipment is said, the claim stays eligible.
    let shokuba = row(&v, "05-小杉デザイン", "2019-職場環境");
    assert_eq!(shokuba["eligible"], true);
    assert!(strings(&shokuba["notes"])
        .iter()
        .any(|n| n.starts_with("SK-M2") && n.contains("リクライニングチェア")));
    // 07: three visits' answers of one 健康経営 application; the newest decides.
    let newest = row(&v, "07-新丸子運送", "2025-10-14-健康経営");
    assert_eq!(newest["status"], "適合");
    assert_eq!(newest["superseded_by"], serde_json::Value::Null);
    assert_eq!(newest["previous"], "2025-08-20-健康経営");
    assert_eq!(newest["counts"]["short"], "通常 必須23/23 2/2 5/2 5/4");
    assert!(strings(&newest["changes"])
        .iter()
        .any(|c| c == "⑪～⑰（通常）: 3項目 → 5項目（必要 4項目）"));
    for old in ["2025-06-10-健康経営", "2025-08-20-健康経営"] {
        let r = row(&v, "07-新丸子運送", old);
        assert_eq!(r["verdict"], "不適合");
        assert_eq!(r["superseded_by"], "2025-10-14-健康経営");
        assert_eq!(r["failed"], false, "{old} is replaced by the newest visit");
    }
    assert_eq!(
        row(&v, "07-新丸子運送", "2025-06-10-健康経営")["counts"]["long"],
        "必須 19/23、①～③ 2/2、④～⑩ 5/2、⑪～⑰ 2/4"
    );
    let states: Vec<(String, u64)> = v["by_state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["state"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("不適合", 1), ("書類不足", 1), ("適合", 4), ("支給", 2)]
            .map(|(s, n)| (s.to_string(), n))
            .to_vec()
    );
}

#[test]
fn summary_csv_opens_in_excel_and_json_file_matches() {
    let (t, book) = example_book();
    let csv = t.path().join("summary.csv");
    let json = t.path().join("summary.json");
    let o = run(&[
        "check",
        s(&book),
        "--today",
        "2020-10-01",
        "--csv",
        s(&csv),
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("クライアント 7 件、申請・回答 8 件、要対応 2 件"),
        "{text}"
    );
    assert!(text.contains("ほかに以前の訪問の回答 2 件"), "{text}");
    assert!(text.contains("  開始前\n"), "{text}");
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rdr = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "クライアント");
    assert_eq!(&headers[9], "残り日数");
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 10, "every file, the earlier visits too");
    let sumi = records.iter().find(|r| &r[0] == "住吉食品(有)").unwrap();
    assert_eq!(&sumi[5], "書類不足");
    assert_eq!(&sumi[6], "100000");
    assert_eq!(&sumi[9], "30");
    assert!(sumi[10].contains("返信用封筒"));
    assert!(body.contains("\r\n"), "CRLF line ends for Excel");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["failed"], 2);
    assert_eq!(v["rows"].as_array().unwrap().len(), 10);
}

#[test]
fn one_bad_client_never_stops_the_others() {
    let (_t, book) = example_book();
    // A syntax error in one claim, a wrong value in another client's profile.
    std::fs::write(
        book.join("02-木月運輸/claims/2020-産業医1回目.toml"),
        "[claim\ngrant = 1\n",
    )
    .unwrap();
    let profile = book.join("03-住吉食品/client.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("postal_code = \"211-0021\"", "postal_code = \"211-00\"");
    std::fs::write(&profile, text).unwrap();
    let (v, code) = summary_json(&book, "2020-10-01");
    assert_eq!(code, 2, "input errors: exit 2");
    let broken = row(&v, "02-木月運輸", "2020-産業医1回目");
    assert_eq!(broken["verdict"], "入力エラー");
    assert!(strings(&broken["problems"])[0].contains("2020-産業医1回目.toml:1"));
    let prof = row(&v, "03-住吉食品", "2020-産業医1回目");
    assert_eq!(prof["verdict"], "入力エラー");
    let p = strings(&prof["problems"]).join("\n");
    assert!(
        p.contains("client.toml:") && p.contains("postal_code"),
        "{p}"
    );
    // The others are still checked.
    assert_eq!(
        row(&v, "01-ろうあん", "2020-産業医1回目")["verdict"],
        "適合"
    );
    assert_eq!(
        row(&v, "04-中原精機", "2020-産業医2回目")["verdict"],
        "適合"
    );
}

// ------------------------------------------------------------------ history from the book

/// A client folder with the example profile of 04 and the given claims.
fn client_with(book: &Path, claims: &[(&str, String)]) -> PathBuf {
    let dir = book.join("99-履歴");
    std::fs::create_dir_all(dir.join("claims")).unwrap();
    std::fs::copy(
        Path::new(EXAMPLE).join("04-中原精機/client.toml"),
        dir.join("client.toml"),
    )
    .unwrap();
    for (name, text) in claims {
        std::fs::write(dir.join("claims").join(format!("{name}.toml")), text).unwrap();
    }
    dir
}

#[test]
fn third_sangyoui_claim_found_from_the_book_alone() {
    let t = tmp();
    let dir = client_with(
        t.path(),
        &[
            (
                "a-1st",
                sangyoui_claim(
                    ("2019-11", "2020-04"),
                    "2020-05-20",
                    Some(1),
                    &granted("2020-05-22"),
                ),
            ),
            (
                "b-2nd",
                sangyoui_claim(
                    ("2020-05", "2020-10"),
                    "2020-11-16",
                    Some(2),
                    &granted("2020-11-17"),
                ),
            ),
            // Neither round nor previous_claims written: the book says it is the 3rd.
            (
                "c-3rd",
                sangyoui_claim(("2020-11", "2021-03"), "2021-04-10", None, ""),
            ),
        ],
    );
    let (v, code) = summary_json(&dir, "2021-04-10");
    assert_eq!(code, 1);
    let third = row(&v, "99-履歴", "c-3rd");
    assert_eq!(strings(&third["history"]), vec!["a-1st", "b-2nd"]);
    assert_eq!(third["round"], 3);
    assert_eq!(third["verdict"], "不適合");
    let reasons = strings(&third["reasons"]).join("\n");
    assert!(reasons.contains("SC-M3 不適合"), "{reasons}");
    // The 2nd is eligible: its 1st comes from the book (SC-M3, SC-M4, SC-W3).
    let second = row(&v, "99-履歴", "b-2nd");
    assert_eq!(second["eligible"], true, "{second:#}");
    assert_eq!(second["window_from"], "2020-11-01");

    // The same from the library: the claim carries the derived previous claims.
    let r = johas_claim::commands::book::batch::check_client(
        &dir,
        chrono::NaiveDate::from_ymd_opt(2021, 4, 10).unwrap(),
    );
    let c = r.claims.iter().find(|c| c.stem == "c-3rd").unwrap();
    let judged = c
        .judged
        .as_ref()
        .unwrap()
        .as_any()
        .downcast_ref::<johas_claim::programmes::johas::programme::Judged>()
        .unwrap();
    let claim = &judged.claim;
    assert_eq!(claim.previous.len(), 2);
    assert_eq!(claim.previous[1].period_to.unwrap().to_string(), "2020-10");
    assert_eq!(
        judged.ev.worst("SC-M3"),
        Some(johas_claim::model::findings::Outcome::Fail)
    );
}

#[test]
fn second_shokuba_claim_found_from_the_book_alone() {
    let t = tmp();
    let sk = std::fs::read_to_string(
        Path::new(EXAMPLE).join("05-小杉デザイン/claims/2019-職場環境.toml"),
    )
    .unwrap();
    let (first, _) = sk.split_once("[record]").unwrap();
    let first_done = format!("{first}[record]\nsubmitted_on = 2019-02-12\ndecision = \"支給\"\n");
    let open_again = first
        .replace(
            "application_date = 2019-02-09",
            "application_date = 2019-03-09",
        )
        .replace("edition = \"H30\"", "edition = \"H30\"\n");
    let dir = client_with(
        t.path(),
        &[
            ("1-first", first_done + "\n[attachments]\n"),
            ("2-again", open_again + "\n[attachments]\n"),
        ],
    );
    let (v, _) = summary_json(&dir, "2019-03-10");
    let again = row(&v, "99-履歴", "2-again");
    assert_eq!(strings(&again["history"]), vec!["1-first"]);
    assert_eq!(again["eligible"], false, "{again:#}");
    let reasons = strings(&again["reasons"]).join("\n");
    assert!(reasons.contains("SK-M5 不適合"), "{reasons}");
    // Two claims of one edition: a contradiction on both.
    let p = strings(&again["problems"]).join("\n");
    assert!(
        p.contains("同じ版（H30）の申請が 1-first にもあります"),
        "{p}"
    );
}

#[test]
fn contradictions_round_refused_first_and_overlapping_periods() {
    let t = tmp();
    let refused =
        "\n[record]\nsubmitted_on = 2020-05-22\ndecision = \"不支給\"\ndecided_on = 2020-07-01\n";
    let dir = client_with(
        t.path(),
        &[
            (
                "a-1st",
                sangyoui_claim(("2019-11", "2020-04"), "2020-05-20", Some(1), refused),
            ),
            (
                "b-2nd",
                sangyoui_claim(("2020-05", "2020-10"), "2020-11-16", Some(2), ""),
            ),
            (
                "c-same",
                sangyoui_claim(("2020-06", "2020-11"), "2020-12-10", Some(1), ""),
            ),
        ],
    );
    let (v, code) = summary_json(&dir, "2020-12-10");
    assert_eq!(code, 1);
    let second = row(&v, "99-履歴", "b-2nd");
    let p = strings(&second["problems"]).join("\n");
    assert!(
        p.contains("claim.round = 2 ですが") && p.contains("今回は1回目です"),
        "round disagrees: {p}"
    );
    assert!(
        p.contains("1回目の申請（a-1st）は不支給でした"),
        "refused 1st: {p}"
    );
    assert!(p.contains("c-same の対象期間"), "overlap: {p}");
    assert_eq!(second["failed"], true);
    let notes = strings(&second["notes"]).join("\n");
    assert!(
        notes.contains("a-1st（2020-05-20）は不支給のため"),
        "{notes}"
    );
    // The overlap is reported on both claims; the refused one is not history.
    let same = row(&v, "99-履歴", "c-same");
    assert!(strings(&same["problems"])
        .join("\n")
        .contains("b-2nd の対象期間"));
    assert!(strings(&same["history"]).is_empty());
}

#[test]
fn handwritten_previous_claims_still_count_and_are_not_doubled() {
    let t = tmp();
    let hand = "\n[[previous_claims]]\ngrant = \"sangyoui-chokusetsu\"\nround = 1\nperiod_from = \"2019-11\"\nperiod_to = \"2020-04\"\napplied_on = 2020-05-22\n";
    let dir = client_with(
        t.path(),
        &[
            (
                "a-1st",
                sangyoui_claim(
                    ("2019-11", "2020-04"),
                    "2020-05-20",
                    Some(1),
                    &granted("2020-05-22"),
                ),
            ),
            (
                "b-2nd",
                sangyoui_claim(("2020-05", "2020-10"), "2020-11-16", Some(2), hand),
            ),
        ],
    );
    let (v, _) = summary_json(&dir, "2020-11-16");
    let second = row(&v, "99-履歴", "b-2nd");
    assert_eq!(second["eligible"], true, "{second:#}");
    assert!(strings(&second["history"]).is_empty());
    assert!(strings(&second["notes"])
        .join("")
        .contains("手で書かれているため"));
    assert!(strings(&second["problems"]).is_empty(), "{second:#}");
}

#[test]
fn record_errors_name_the_line() {
    let t = tmp();
    let rec = "\n[record]\nsubmited_on = 2020-05-22\ndecision = \"たぶん\"\n";
    let dir = client_with(
        t.path(),
        &[(
            "a",
            sangyoui_claim(("2019-11", "2020-04"), "2020-05-20", Some(1), rec),
        )],
    );
    let (v, code) = summary_json(&dir, "2020-05-20");
    assert_eq!(code, 2);
    let p = strings(&row(&v, "99-履歴", "a")["problems"]).join("\n");
    assert!(
        p.contains("record.submited_on") && p.contains("もしかして \"submitted_on\""),
        "{p}"
    );
    assert!(p.contains("record.decision = \"たぶん\""), "{p}");
    assert!(p.contains("a.toml:"), "{p}");
}

// ------------------------------------------------------------------ import

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

const HEADER: &str =
    "名称,フリガナ,郵便番号,所在地,労働者数,代表者役職,代表者氏名,労働保険適用,口座名義の種類";

#[test]
fn import_cp932_reports_every_bad_cell_and_writes_nothing() {
    let t = tmp();
    let book = t.path().join("book");
    let csv = t.path().join("clients.csv");
    let text = format!(
        "{HEADER},代表社氏名カナ\r\n\
         (株)よい会社,ヨイカイシャ,1234567,東京都千代田区1-1,10,代表取締役,良井 一郎,はい,法人,\r\n\
         (株)わるい会社,わるいかいしゃ,12-34,東京都港区2-2,十人,社長,悪井 二郎,たぶん,会社,\r\n"
    );
    std::fs::write(&csv, cp932(&text)).unwrap();
    let o = run(&["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("ブックには何も書き込んでいません"), "{e}");
    // The unknown header, with a suggestion.
    assert!(e.contains("1行目 J列「代表社氏名カナ」"), "{e}");
    assert!(e.contains("もしかして「代表者フリガナ」"), "{e}");
    // Every bad cell of row 3, by row, column and value.
    for needle in [
        "3行目 E列「労働者数」 = \"十人\"",
        "3行目 H列「労働保険適用」 = \"たぶん\"",
        "3行目 I列「口座名義の種類」 = \"会社\"",
        "3行目 C列「郵便番号」 = \"12-34\"",
    ] {
        assert!(e.contains(needle), "missing {needle:?} in\n{e}");
    }
    assert!(!e.contains("2行目"), "row 2 is good: {e}");
    assert!(!book.exists(), "nothing written");
}

#[test]
fn import_cp932_creates_then_reimport_updates_profiles_only() {
    let t = tmp();
    let book = t.path().join("book");
    let csv = t.path().join("clients.csv");
    let rows =
        "(株)よい会社,ヨイカイシャ,1234567,東京都千代田区1-1,10,代表取締役,良井 一郎,はい,法人\r\n\
                CON,コン,100-0001,東京都千代田区2-2,5,代表,今 三郎,はい,個人\r\n";
    std::fs::write(&csv, cp932(&format!("{HEADER}\r\n{rows}"))).unwrap();
    let o = run(&["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains("CP932（Shift_JIS）として読みました。新規 2 件"),
        "{}",
        out(&o)
    );
    let profile = book.join("(株)よい会社/client.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(text.contains("postal_code = \"123-4567\""), "{text}");
    assert!(text.contains("workers = 10"));
    assert!(text.contains("holder_kind = \"corporation\""));
    // A reserved device name is made safe as a folder name.
    assert!(book.join("CON＿/client.toml").is_file());
    // A claim and a hand-written comment survive a re-import that changes one cell.
    let claim = book.join("(株)よい会社/claims/a.toml");
    std::fs::write(&claim, "# my claim\n").unwrap();
    std::fs::write(
        &profile,
        text.replace("workers = 10", "workers = 10 # 4月現在"),
    )
    .unwrap();
    let changed = rows.replace("東京都千代田区1-1", "東京都千代田区9-9");
    std::fs::write(&csv, cp932(&format!("{HEADER}\r\n{changed}"))).unwrap();
    let o = run(&["import", s(&csv), "--book", s(&book)]);
    assert_eq!(o.status.code(), Some(0));
    let report = out(&o);
    assert!(
        report.contains("新規 0 件、更新 1 件、変更なし 1 件"),
        "{report}"
    );
    assert!(
        report.contains("establishment.address: \"東京都千代田区1-1\" → \"東京都千代田区9-9\""),
        "{report}"
    );
    let after = std::fs::read_to_string(&profile).unwrap();
    assert!(after.contains("address = \"東京都千代田区9-9\""));
    assert!(
        after.contains("workers = 10 # 4月現在"),
        "comment kept: {after}"
    );
    assert_eq!(std::fs::read_to_string(&claim).unwrap(), "# my claim\n");
}

#[test]
fn import_utf8_without_bom_and_the_example_list() {
    let t = tmp();
    let book = t.path().join("book");
    let o = run(&[
        "import",
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/clients.csv"),
        "--book",
        s(&book),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("UTF-8（BOM付き）として読みました。新規 6 件"));
    // The imported profiles are the example book's.
    for dir in std::fs::read_dir(EXAMPLE).unwrap() {
        let dir = dir.unwrap().path();
        // 07 is written by hand (a 法人 profile beside the 事業場 one), not in the list.
        if dir.is_dir() && !dir.ends_with("07-新丸子運送") {
            let name = dir.file_name().unwrap();
            let want = std::fs::read_to_string(dir.join("client.toml")).unwrap();
            let got = std::fs::read_to_string(book.join(name).join("client.toml")).unwrap();
            assert_eq!(strip_comment(&got), strip_comment(&want), "{name:?}");
        }
    }
    let csv = t.path().join("plain.csv");
    std::fs::write(
        &csv,
        format!("{HEADER}\n(株)無印,ムジルシ,100-0001,東京都,3,社長,無印 太郎,いいえ,個人\n"),
    )
    .unwrap();
    let o = run(&["import", s(&csv), "--book", s(&book), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains("UTF-8として読みました。新規 1 件"),
        "{}",
        out(&o)
    );
    assert!(!book.join("(株)無印").exists(), "--dry-run writes nothing");
}

fn strip_comment(s: &str) -> String {
    s.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------------ packets and folder names

#[test]
fn packet_book_one_folder_per_client_and_claim_with_safe_names() {
    let t = tmp();
    let book = t.path().join("book");
    std::fs::create_dir_all(&book).unwrap();
    // Two clients of the same name, in folders named with characters Windows forbids and
    // a reserved device name: the output folders are the book's folder names, made safe.
    let src = Path::new(EXAMPLE).join("01-ろうあん");
    for folder in ["(株)A:B*?\"<>|. ", "CON"] {
        copy_dir(&src, &book.join(folder));
    }
    // A third client whose claim cannot be read: the others are still made.
    let broken = book.join("c");
    copy_dir(&src, &broken);
    std::fs::write(
        broken.join("claims/2020-産業医1回目.toml"),
        "[claim]\ngrant = \n",
    )
    .unwrap();
    let outdir = t.path().join("out");
    let o = run(&[
        "packet",
        s(&book),
        "-o",
        s(&outdir),
        "--today",
        "2020-10-01",
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "one input error: exit 2\n{}",
        out(&o)
    );
    let a = outdir.join("(株)A：B＊？＂＜＞｜/産業医活動1回目_2020-産業医1回目");
    let b = outdir.join("CON＿/産業医活動1回目_2020-産業医1回目");
    for d in [&a, &b] {
        assert!(
            d.join("packet.pdf").is_file(),
            "{} missing; {}",
            d.display(),
            out(&o)
        );
        assert!(d.join(".johas-claim-manifest.json").is_file());
    }
    let mut names: Vec<String> = std::fs::read_dir(&outdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "no folder for the broken client: {names:?}");
    assert!(out(&o).contains("申請書類を 2 件作成しました"));
    // Again without --replace: refused before anything is written, in one message for
    // both earlier folders, nothing lost.
    let before = std::fs::read(a.join("packet.pdf")).unwrap();
    let o = run(&[
        "packet",
        s(&book),
        "-o",
        s(&outdir),
        "--today",
        "2020-10-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--replace"), "{}", err(&o));
    assert!(err(&o).contains("2 件あります"), "{}", err(&o));
    assert_eq!(
        err(&o).matches("エラー").count(),
        1,
        "one message: {}",
        err(&o)
    );
    assert_eq!(std::fs::read(a.join("packet.pdf")).unwrap(), before);
    let o = run(&[
        "packet",
        s(&book),
        "-o",
        s(&outdir),
        "--today",
        "2020-10-01",
        "--replace",
    ]);
    assert!(
        out(&o).contains("申請書類を 2 件作成しました"),
        "{}",
        out(&o)
    );
}

// ------------------------------------------------------------------ deadlines and .ics

#[test]
fn deadlines_sorted_with_next_claim_and_retention() {
    let (_t, book) = example_book();
    let o = run(&[
        "deadlines",
        s(&book),
        "--format",
        "json",
        "--today",
        "2020-10-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let items: Vec<serde_json::Value> = serde_json::from_str(out(&o).trim()).unwrap();
    let dates: Vec<&str> = items.iter().map(|i| i["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "sorted by date");
    let grant_windows = items
        .iter()
        .filter(|i| i["kind"] == "window" && i["folder"] != "07-新丸子運送")
        .count();
    assert_eq!(grant_windows, 5, "the five open claims");
    // 健康経営: the newest visit's dates only, from the edition's data.
    let cert: Vec<_> = items
        .iter()
        .filter(|i| i["folder"] == "07-新丸子運送")
        .collect();
    assert!(cert.iter().all(|i| i["claim"] == "2025-10-14-健康経営"));
    let on = |kind: &str, date: &str| cert.iter().any(|i| i["kind"] == kind && i["date"] == date);
    assert!(on("window", "2025-10-17"), "upload");
    assert!(on("window", "2025-12-31"), "fee");
    assert!(on("date", "2025-10-28"), "receipt mail");
    assert!(on("date", "2027-03-31"), "use until");
    assert!(on("retention_ends", "2027-10-17"), "documents kept");
    assert_eq!(cert.len(), 8, "{cert:#?}");
    let ros = items
        .iter()
        .find(|i| i["kind"] == "window" && i["folder"] == "01-ろうあん")
        .unwrap();
    assert_eq!(ros["opens"], "2020-05-01");
    assert_eq!(ros["closes"], "2020-10-31");
    assert_eq!(ros["days_left"], 30);
    // The 2nd claim of 04 is open: no "next" for it; the others could make a 2nd.
    assert!(!items
        .iter()
        .any(|i| i["kind"] == "next" && i["folder"] == "04-中原精機"));
    let next = items
        .iter()
        .find(|i| i["kind"] == "next" && i["folder"] == "01-ろうあん")
        .unwrap();
    assert!(next["text"]
        .as_str()
        .unwrap()
        .starts_with("産業医活動 2回目の申請期間 令和2年11月1日～令和3年4月30日"));
    let retention: Vec<_> = items
        .iter()
        .filter(|i| i["kind"] == "retention_ends" && i["folder"] != "07-新丸子運送")
        .collect();
    assert_eq!(retention.len(), 2);
    // Paid 2019-04-19 → kept from 2020 for 5 years → through 2024-12-31.
    assert!(retention
        .iter()
        .any(|r| r["folder"] == "05-小杉デザイン" && r["date"] == "2024-12-31"));
    assert!(retention
        .iter()
        .any(|r| r["folder"] == "04-中原精機" && r["date"] == "2025-12-31"));
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

#[test]
fn ics_round_trip_with_an_independent_parser() {
    let (t, book) = example_book();
    let ics = t.path().join("deadlines.ics");
    let o = run(&[
        "deadlines",
        s(&book),
        "--today",
        "2020-10-01",
        "--ics",
        s(&ics),
        "--remind-days",
        "5",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "lines folded at 75 octets"
    );
    let reader = std::io::BufReader::new(text.as_bytes());
    let cals: Vec<_> = ical::IcalParser::new(reader).map(|c| c.unwrap()).collect();
    assert_eq!(cals.len(), 1);
    let events = &cals[0].events;
    // 5 open windows + 4 next claims, each opening and closing, + 2 retention ends; the
    // 健康経営 application's 2 deadlines, 5 dates and its retention end.
    assert_eq!(events.len(), 5 * 2 + 4 * 2 + 2 + 2 + 5 + 1);
    let cert: Vec<_> = events
        .iter()
        .filter(|e| {
            prop(&e.properties, "SUMMARY")
                .unwrap()
                .contains("新丸子運送")
        })
        .collect();
    assert_eq!(cert.len(), 8);
    assert_eq!(cert.iter().filter(|e| !e.alarms.is_empty()).count(), 2);
    assert!(cert.iter().any(|e| {
        prop(&e.properties, "SUMMARY")
            .unwrap()
            .starts_with("期限: 新丸子運送(株) 健康経営 申請書（Excel）のアップロード期限")
            && prop(&e.properties, "DTSTART") == Some("20251017")
    }));
    let closing: Vec<_> = events
        .iter()
        .filter(|e| prop(&e.properties, "SUMMARY").unwrap().contains("申請期限"))
        .collect();
    assert_eq!(closing.len(), 9);
    for e in &closing {
        assert_eq!(e.alarms.len(), 1, "a reminder before each closing");
        assert_eq!(prop(&e.alarms[0].properties, "ACTION"), Some("DISPLAY"));
        let trigger = prop(&e.alarms[0].properties, "TRIGGER").unwrap();
        assert!(trigger == "-P5D" || trigger == "-PT432000S", "{trigger}");
    }
    let opening: Vec<_> = events
        .iter()
        .filter(|e| {
            prop(&e.properties, "SUMMARY")
                .unwrap()
                .contains("申請期間の開始")
        })
        .collect();
    assert_eq!(opening.len(), 9);
    assert!(opening.iter().all(|e| e.alarms.is_empty()));
    // The 1st claim of ろうあん closes on 2020-10-31: an all-day event.
    let ros = closing
        .iter()
        .find(|e| {
            prop(&e.properties, "SUMMARY").unwrap() == "申請期限: (株)ろうあん 産業医活動 1回目"
        })
        .unwrap();
    assert_eq!(prop(&ros.properties, "DTSTART"), Some("20201031"));
    assert_eq!(prop(&ros.properties, "DTEND"), Some("20201101"));
    let uids: std::collections::HashSet<_> = events
        .iter()
        .map(|e| prop(&e.properties, "UID").unwrap())
        .collect();
    assert_eq!(uids.len(), events.len(), "unique UIDs");
    // Deterministic.
    let ics2 = t.path().join("again.ics");
    run(&[
        "deadlines",
        s(&book),
        "--today",
        "2020-10-01",
        "--ics",
        s(&ics2),
        "--remind-days",
        "5",
    ]);
    assert_eq!(std::fs::read(&ics).unwrap(), std::fs::read(&ics2).unwrap());
}

// ------------------------------------------------------------------ conventions

#[test]
fn stdin_glob_and_completions() {
    let claim = Path::new(EXAMPLE).join("../sangyoui-rouan.toml");
    let text = std::fs::read(&claim).unwrap();
    let mut child = bin()
        .args(["check", "-", "--today", "2020-10-01"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("<標準入力>"), "{}", out(&o));

    let pattern = format!("{}/examples/*-rouan.toml", env!("CARGO_MANIFEST_DIR"));
    let o = run(&[
        "check",
        &pattern,
        "--today",
        "2020-10-01",
        "--format",
        "json",
    ]);
    assert_eq!(
        out(&o).lines().count(),
        2,
        "the quoted glob names two files"
    );

    let o = run(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("deadlines") && out(&o).contains("import"));
}

#[test]
fn check_book_promises_the_packet() {
    let (_t, book) = example_book();
    let p = book.join("01-ろうあん/client.toml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("title = \"代表取締役\"\n", "");
    std::fs::write(&p, text).unwrap();
    let (v, code) = summary_json(&book, "2020-10-01");
    assert_eq!(code, 1);
    let r = row(&v, "01-ろうあん", "2020-産業医1回目");
    assert_eq!(r["verdict"], "記入不足", "{r:#}");
    let reasons = strings(&r["reasons"]).join("\n");
    assert!(
        reasons.contains("establishment.representative.title"),
        "{reasons}"
    );
}

/// A rule the edition marks `every_claim` (「受付を終了することがあります」) is said with each
/// claim, but the book's notes do not repeat it once per claim.
#[test]
fn the_books_notes_leave_out_what_every_claim_is_told() {
    let book = run(&["check", "examples/book", "--today", "2020-10-01"]);
    let summary = out(&book);
    assert!(summary.contains("注記:"), "{summary}");
    for id in ["SC-W4", "SK-W2"] {
        assert!(
            !summary.contains(id),
            "{id} in the book's notes:\n{summary}"
        );
    }
    let one = run(&[
        "check",
        "examples/book/01-ろうあん/claims/2020-産業医1回目.toml",
        "--today",
        "2020-10-01",
    ]);
    assert!(
        out(&one).contains("[注意] SC-W4 申請期間中でも受付を終了することがある"),
        "{}",
        out(&one)
    );
}
