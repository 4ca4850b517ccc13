//! `import`'s hints for the mistakes Excel makes (issue 16, "Import hints"): no doubled
//! brackets, a lost leading zero, もしかして on a header, ひらがな フリガナ made カタカナ. And
//! the columns every programme adds to the list: a 法人 (健康経営) profile from the same
//! sheet, a row named by either programme's name column.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .env_remove("JOHAS_TODAY")
        .args(args)
        .output()
        .expect("run johas-claim")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Imports `csv` (UTF-8) into a new book; the output, and the book's folder.
fn import(csv: &str, extra: &[&str]) -> (Output, tempfile::TempDir) {
    let t = tempfile::Builder::new()
        .prefix("johas-hints-")
        .tempdir()
        .unwrap();
    let file = t.path().join("clients.csv");
    std::fs::write(&file, csv).unwrap();
    let book = t.path().join("book");
    let mut args = vec!["import", s(&file), "--book", s(&book)];
    args.extend(extra);
    (run(&args), t)
}

#[test]
fn a_message_that_says_the_fix_gets_no_bracketed_repeat() {
    let (o, t) = import("名称,法人番号,郵便番号\n(株)テスト,123,12-34\n", &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("2行目 B列「法人番号」 = \"123\""), "{e}");
    assert!(
        e.contains("法人番号は半角数字13桁で書いてください。\n"),
        "{e}"
    );
    assert!(
        !e.contains("。（"),
        "a bracket after a finished sentence:\n{e}"
    );
    assert!(!e.contains("（13桁）"), "{e}");
    assert!(!t.path().join("book").exists());
}

#[test]
fn a_leading_zero_excel_dropped_is_pointed_out_with_the_likely_value() {
    let (o, _t) = import(
        "名称,郵便番号,電話番号,FAX番号\n\
         (株)北,600001,112345678,11234567\n\
         (株)南,12345,044-431-8661,\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    // The postal code of 060-0001 read by Excel as the number 600001 (6 digits).
    assert!(e.contains("2行目 B列「郵便番号」 = \"600001\""), "{e}");
    assert!(e.contains("先頭の 0 が消えているようです"), "{e}");
    assert!(e.contains("もしかして「060-0001」"), "{e}");
    // The phone 011-234-5678 as 112345678 (9 digits).
    assert!(e.contains("2行目 C列「電話番号」 = \"112345678\""), "{e}");
    assert!(e.contains("もしかして「0112345678」"), "{e}");
    // Too short even with a 0: no guess.
    assert!(e.contains("2行目 D列「FAX番号」 = \"11234567\""), "{e}");
    assert!(e.contains("3行目 B列「郵便番号」 = \"12345\""), "{e}");
    let guesses = e.matches("先頭の 0 が消えているようです").count();
    assert_eq!(guesses, 2, "only the two that a 0 makes valid:\n{e}");
}

#[test]
fn an_unknown_header_gets_the_closest_known_one() {
    let (o, _t) = import(
        "名称,電話番号（代表）,代表者氏名（漢字）,ＦＡＸ番号,代表社氏名カナ\n\
         (株)テスト,044-431-8661,労安 一郎,044-411-5531,\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("1行目 B列「電話番号（代表）」"), "{e}");
    assert!(e.contains("もしかして「電話番号」？"), "{e}");
    assert!(e.contains("1行目 C列「代表者氏名（漢字）」"), "{e}");
    assert!(e.contains("もしかして「代表者氏名」？"), "{e}");
    assert!(e.contains("もしかして「代表者フリガナ」？"), "{e}");
    // A 全角 header is read as it is meant.
    assert!(!e.contains("ＦＡＸ番号"), "{e}");
    assert_eq!(e.matches("知らない見出しです").count(), 3, "{e}");
}

#[test]
fn hiragana_furigana_is_written_as_katakana_with_a_note() {
    let (o, t) = import(
        "フォルダ,名称,フリガナ,代表者フリガナ,口座名義フリガナ\n\
         01-てすと,(株)テスト,かぶしきがいしゃ てすと,やまだ　たろう,ｶ)ﾃｽﾄ\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let report = out(&o);
    for note in [
        "2行目 C列「フリガナ」 \"かぶしきがいしゃ てすと\" → \"カブシキガイシャ テスト\"",
        "2行目 D列「代表者フリガナ」 \"やまだ　たろう\" → \"ヤマダ　タロウ\"",
        "2行目 E列「口座名義フリガナ」 \"ｶ)ﾃｽﾄ\" → \"カ)テスト\"",
    ] {
        assert!(report.contains(note), "{note:?} not in\n{report}");
    }
    assert!(report.contains("全角カタカナにしました"), "{report}");
    let profile = std::fs::read_to_string(t.path().join("book/01-てすと/client.toml")).unwrap();
    assert!(
        profile.contains("name_kana = \"カブシキガイシャ テスト\""),
        "{profile}"
    );
    assert!(
        profile.contains("name_kana = \"ヤマダ　タロウ\""),
        "{profile}"
    );
    assert!(profile.contains("holder_kana = \"カ)テスト\""), "{profile}");
    for hira in ["てすと", "たろう"] {
        assert!(
            !profile
                .lines()
                .any(|l| l.contains("kana") && l.contains(hira)),
            "{profile}"
        );
    }
    // --dry-run says the same and writes nothing.
    let (o, t) = import("名称,フリガナ\n(株)テスト,てすと\n", &["--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("\"てすと\" → \"テスト\""), "{}", out(&o));
    assert!(!t.path().join("book").exists());
}

/// The 法人 columns fill client.toml's [corporation] as the answers file writes it
/// (choices by the workbook's number or an option's words, 全角 digits made 半角, a 7-digit 記号 kept whole), the
/// one 法人番号 cell fills both profiles, and a row may be named by its 法人名 alone.
#[test]
fn the_corporations_columns_fill_its_profile() {
    let csv = "フォルダ,名称,法人番号,法人名,法人名かな,本社都道府県,加入保険者,協会けんぽ支部,健康保険証の記号,法人格,業種,業種の詳細,従業員数の時点,正社員数,女性従業員数\n\
               01-新丸子,新丸子運送(株),8020001099997,株式会社新丸子運送,しんまるこうんそう,神奈川県,協会けんぽ,神奈川,４５６７８９０,1 会社法上の会社等,4,運輸業,2025-05,３８人,9\n\
               02-さくら,,,株式会社さくら,さくら,東京都,1,東京,12345678,1,3,10,2025-08,30,10\n";
    let (o, t) = import(csv, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let book = t.path().join("book");
    let one: toml::Table =
        toml::from_str(&std::fs::read_to_string(book.join("01-新丸子/client.toml")).unwrap())
            .unwrap();
    assert_eq!(
        one["establishment"]["name"].as_str(),
        Some("新丸子運送(株)")
    );
    assert_eq!(
        one["establishment"]["corporate_number"].as_str(),
        Some("8020001099997")
    );
    let c = &one["corporation"];
    assert_eq!(c["number"].as_str(), Some("8020001099997"));
    assert_eq!(c["name"].as_str(), Some("株式会社新丸子運送"));
    assert_eq!(
        c["kana"].as_str(),
        Some("しんまるこうんそう"),
        "かな stays ひらがな"
    );
    // Choices by their words or their number.
    assert_eq!(c["insurer"]["kind"].as_integer(), Some(1));
    assert_eq!(c["legal_form"].as_integer(), Some(1));
    assert_eq!(c["industry_detail"].as_integer(), Some(11));
    assert_eq!(c["insurer"]["kyokai_symbol"].as_str(), Some("4567890"));
    assert_eq!(c["employees"]["regular"].as_integer(), Some(38));
    assert_eq!(c["employees"]["as_of"].as_str(), Some("2025-05"));
    let two: toml::Table =
        toml::from_str(&std::fs::read_to_string(book.join("02-さくら/client.toml")).unwrap())
            .unwrap();
    assert!(two.get("establishment").is_none(), "{two:?}");
    assert_eq!(two["corporation"]["name"].as_str(), Some("株式会社さくら"));
    // The book reads the imported profiles: two clients, no claim yet.
    let o = run(&["check", s(&book), "--today", "2025-10-01"]);
    assert!(
        out(&o).contains("クライアント 2 件"),
        "{}{}",
        out(&o),
        err(&o)
    );
}

/// A 法人 column's value the workbook does not allow is the cell's error, in the
/// programme's words; a row with neither name says which columns name a client.
#[test]
fn a_bad_corporation_cell_is_reported_at_its_row_and_column() {
    let (o, t) = import(
        "名称,法人名,法人格,加入保険者\n,,1,1\n木月運輸(株),株式会社木月運輸,99,健康保険\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("2行目 A列「名称」\n    → 名称が空です。どのクライアントか分かるように、「名称」・「法人名」のどれかを書いてください。"),
        "{e}"
    );
    assert!(e.contains("3行目 C列「法人格」 = \"99\""), "{e}");
    assert!(e.contains("Q2(a) の回答 99 は選択肢にありません"), "{e}");
    // Words that fit several options: their numbers, and write one.
    assert!(
        e.contains("3行目 D列「加入保険者」 = \"健康保険\"\n    → 「健康保険」は Q1 の選択肢の 1・2・3 に当たります。番号で書いてください"),
        "{e}"
    );
    assert!(!t.path().join("book").exists());
}
