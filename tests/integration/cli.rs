//! The command line as a user runs it: exit codes, the human and JSON reports, error
//! messages for bad files (snapshots), and the packet (PDF text read back, determinism,
//! sizes, 別紙, atomic output).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-21";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run johas-claim")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-test-")
        .tempdir()
        .unwrap()
}

/// Writes `text` as a claim file in a temporary directory.
fn claim_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The example with some lines replaced (`from` → `to`).
fn example_with(example: &str, edits: &[(&str, &str)]) -> String {
    let mut s = std::fs::read_to_string(example).unwrap();
    for (from, to) in edits {
        assert!(s.contains(from), "{example} has no {from:?}");
        s = s.replacen(from, to, 1);
    }
    s
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("extractable text")
}

fn page_count(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes).unwrap().get_pages().len()
}

// ---------------------------------------------------------------- check

#[test]
fn check_examples_are_eligible_for_100000_yen() {
    for ex in [
        "examples/sangyoui-rouan.toml",
        "examples/shokuba-rouan.toml",
    ] {
        let o = run(&["check", ex, "--today", TODAY]);
        assert_eq!(o.status.code(), Some(0), "{ex}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("判定: 支給要件を満たしています"), "{out}");
        assert!(out.contains("助成金額: 100,000円"), "{out}");
        assert!(out.contains("申請期間:"), "{out}");
        assert!(
            out.contains("で終了しています"),
            "a closed window must be said plainly: {out}"
        );
    }
}

#[test]
fn check_human_output_snapshots() {
    let o = run(&["check", "examples/sangyoui-rouan.toml", "--today", TODAY]);
    insta::assert_snapshot!("check_sangyoui_human", stdout(&o));
    let o = run(&[
        "check",
        "examples/shokuba-rouan.toml",
        "--today",
        TODAY,
        "--verbose",
    ]);
    insta::assert_snapshot!("check_shokuba_human_verbose", stdout(&o));
}

#[test]
fn check_failing_and_unknown_claims() {
    let dir = tmp();
    let failing = claim_file(
        dir.path(),
        "fifty.toml",
        &example_with(
            "examples/sangyoui-rouan.toml",
            &[
                ("workers = 35", "workers = 50"),
                ("round = 1 ", "round = 1 \n"),
            ],
        ),
    );
    let o = run(&["check", failing.to_str().unwrap(), "--today", TODAY]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o).replace(dir.path().to_str().unwrap(), "<tmp>");
    assert!(out.contains("[不適合] SC-E1"), "{out}");
    insta::assert_snapshot!("check_sangyoui_50_workers", out);

    let unknown = claim_file(
        dir.path(),
        "unknown.toml",
        &example_with(
            "examples/shokuba-rouan.toml",
            &[(
                "group_analysis_done = true ",
                "# group_analysis_done unknown ",
            )],
        ),
    );
    let o = run(&[
        "check",
        unknown.to_str().unwrap(),
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["eligible"], serde_json::Value::Null);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "SK-E2")
        .unwrap();
    assert_eq!(f["outcome"], "unknown");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("group_analysis_done"));
}

#[test]
fn check_json_has_the_contracted_fields() {
    let o = run(&[
        "check",
        "examples/shokuba-rouan.toml",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in [
        "file",
        "grant",
        "edition",
        "eligible",
        "amount_yen",
        "amount_stages",
        "window",
        "findings",
        "missing_attachments",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["grant"], "shokuba-kankyo-a");
    assert_eq!(v["edition"], "H30");
    assert_eq!(v["eligible"], true);
    assert_eq!(v["amount_yen"], 100000);
    assert_eq!(v["window"]["from"], "2018-04-24");
    assert_eq!(v["window"]["to"], "2019-06-30");
    let stages: Vec<i64> = v["amount_stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["yen"].as_i64().unwrap())
        .collect();
    assert_eq!(
        stages,
        vec![86400, 86400, 43200, 43200, 43200, 129600, 100000]
    );
    for f in v["findings"].as_array().unwrap() {
        assert!(["pass", "fail", "unknown", "warning"].contains(&f["outcome"].as_str().unwrap()));
        assert!(!f["citation"].as_str().unwrap().is_empty());
        assert!(f["rule"].as_str().unwrap().starts_with("SK-"));
    }
    assert_eq!(v["missing_attachments"], serde_json::json!([]));
    let mut redacted = v.clone();
    redacted["edition_status"]["checked_on"] = "<today>".into();
    insta::assert_json_snapshot!("check_shokuba_json", redacted);
}

#[test]
fn check_several_files_gives_the_worst_exit_code() {
    let o = run(&[
        "check",
        "examples/sangyoui-rouan.toml",
        "tests/data/bad/syntax.toml",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["eligible"], true);
    assert_eq!(lines[1]["errors"][0]["line"], 5);
}

#[test]
fn bad_files_get_japanese_errors_and_exit_2() {
    let mut all = String::new();
    for f in [
        "empty.toml",
        "formats.toml",
        "no-edition.toml",
        "syntax.toml",
        "type.json",
    ] {
        let path = format!("tests/data/bad/{f}");
        let o = run(&["check", &path, "--today", TODAY]);
        assert_eq!(o.status.code(), Some(2), "{f}");
        assert!(o.stdout.is_empty(), "{f}: nothing on stdout in human mode");
        all.push_str(&stderr(&o));
    }
    // The format file reports all its problems at once, each with file:line and path.
    assert!(
        all.contains("formats.toml に 9 件の問題があります"),
        "{all}"
    );
    assert!(
        all.contains("tests/data/bad/formats.toml:9 establishment.nmae"),
        "{all}"
    );
    assert!(all.contains("もしかして \"name\"？"), "{all}");
    insta::assert_snapshot!("bad_files", all);
}

#[test]
fn missing_file_and_wrong_extension() {
    let o = run(&["check", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ファイルが見つかりません"));
    let o = run(&["check", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".toml"));
    let o = run(&["check"]);
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn garbage_input_never_panics() {
    let dir = tmp();
    let inputs: &[&str] = &[
        "", "\u{0}", "[[claim]]", "claim = 1", "[claim]\ngrant = 1", "[claim]\napplication_date = 2020-13-45",
        "[claim]\napplication_date = 1979-05-27T07:32:00Z", "[[previous_claims]]\n[[previous_claims]]",
        "[shokuba]\nequipment = [{}]", "[establishment]\nworkers = 99999999999999999",
        "[claim]\ngrant=\"sangyoui-chokusetsu\"\napplication_date=2020-10-10\nround=9\n[sangyoui]\nperiod_from=\"2020-13\"",
    ];
    for (i, text) in inputs.iter().enumerate() {
        let p = claim_file(dir.path(), &format!("g{i}.toml"), text);
        let o = run(&["check", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "input {text:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{text:?}");
    }
    let p = claim_file(dir.path(), "g.json", "[1,2,3]");
    assert_eq!(run(&["check", p.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn schema_is_json_schema_with_every_section() {
    let o = run(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let props = v["properties"].as_object().unwrap();
    for k in [
        "claim",
        "establishment",
        "labour_insurance",
        "bank",
        "declarations",
        "sangyoui",
        "shokuba",
        "previous_claims",
        "attachments",
    ] {
        assert!(props.contains_key(k), "{k}");
    }
    assert_eq!(v["additionalProperties"], false);
}

// ---------------------------------------------------------------- packet

fn packet(claim: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "packet",
        claim.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn packet_sangyoui_forms_contain_every_filled_value() {
    let dir = tmp();
    let out = dir.path().join("out");
    let o = packet(Path::new("examples/sangyoui-rouan.toml"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names,
        [
            ".johas-claim-manifest.json",
            "01-yoshiki1.pdf",
            "02-yoshiki2.pdf",
            "03-yoshiki3.pdf",
            "check.json",
            "checklist.pdf",
            "checklist.txt",
            "packet.pdf"
        ]
    );
    let y1 = pdf_text(&std::fs::read(out.join("01-yoshiki1.pdf")).unwrap());
    for s in [
        "令和2年度小規模事業場産業医活動助成金支給申請書",
        "受付No.",
        "独立行政法人労働者健康安全機構理事長",
        "令和2年10月10日",
        "211-0021",
        "神奈川県川崎市中原区木月住吉町1番1号",
        "カブシキガイシャ ローワン",
        "(株)ろうあん",
        "35",
        "5",
        "代表取締役",
        "労安 一郎",
        "ローワン イチロウ",
        "総務課",
        "川崎 花子",
        "カワサキ ハナコ",
        "044-431-8661",
        "044-411-5531",
        "第4条に基づき",
        "1回目",
        "令和2年4月2日",
        "直接健康相談窓口",
        "令和2年4月19日",
        "社内報",
        "R2.4",
    ] {
        assert!(y1.contains(s), "様式第1号 lacks {s:?}:\n{y1}");
    }
    let y2 = pdf_text(&std::fs::read(out.join("02-yoshiki2.pdf")).unwrap());
    for s in [
        "支給要件確認申立書",
        "労働保険料の滞納",
        "倒産している",
        "(株)ろうあん",
        "代表取締役",
        "労安 一郎",
        "令和2年10月10日",
    ] {
        assert!(y2.contains(s), "様式第2号 lacks {s:?}:\n{y2}");
    }
    let y3 = pdf_text(&std::fs::read(out.join("03-yoshiki3.pdf")).unwrap());
    for s in [
        "チェックリスト",
        "同意書",
        "返信用封筒",
        "84円切手",
        "(株)ろうあん",
        "労安 一郎",
        "R2.4",
    ] {
        assert!(y3.contains(s), "様式第3号 lacks {s:?}:\n{y3}");
    }
    assert!(
        !out.join("02-ikkatsu.pdf").exists(),
        "no certificate without bulk payment"
    );
}

#[test]
fn packet_shokuba_forms_contain_every_filled_value() {
    let dir = tmp();
    let out = dir.path().join("out");
    let o = packet(Path::new("examples/shokuba-rouan.toml"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let y1 = pdf_text(&std::fs::read(out.join("01-yoshiki1.pdf")).unwrap());
    for s in [
        "平成30年度職場環境改善計画助成金支給申請書",
        "平成31年2月9日",
        "(株)ろうあん",
        "カブシキガイシャ ロウアン",
        "86,400",
        "43,200",
        "100,000",
        "プリンター",
        "平成31年2月1日",
        "プリンター2台の設置した。",
        "H30.4.1",
    ] {
        assert!(y1.contains(s), "様式第1号 lacks {s:?}:\n{y1}");
    }
    let y2 = pdf_text(&std::fs::read(out.join("02-yoshiki2.pdf")).unwrap());
    for s in [
        "職場環境改善指導実績報告書",
        "平成30年10月2日",
        "管理監督者と意見交換",
        "平成31年1月29日",
        "職場環境改善計画の完成",
        "社会保険労務士",
        "健康 五郎",
    ] {
        assert!(y2.contains(s), "様式第2号 lacks {s:?}:\n{y2}");
    }
    let y3 = pdf_text(&std::fs::read(out.join("03-yoshiki3.pdf")).unwrap());
    for s in ["チェックリスト", "82円切手", "(株)ろうあん"] {
        assert!(y3.contains(s), "様式第3号 lacks {s:?}:\n{y3}");
    }
}

#[test]
fn packet_is_byte_identical_across_runs_and_small() {
    let dir = tmp();
    for ex in [
        "examples/sangyoui-rouan.toml",
        "examples/shokuba-rouan.toml",
    ] {
        let a = dir.path().join(format!("a-{}", ex.len()));
        let b = dir.path().join(format!("b-{}", ex.len()));
        assert_eq!(packet(Path::new(ex), &a, &[]).status.code(), Some(0));
        assert_eq!(packet(Path::new(ex), &b, &[]).status.code(), Some(0));
        for e in std::fs::read_dir(&a).unwrap() {
            let name = e.unwrap().file_name();
            let x = std::fs::read(a.join(&name)).unwrap();
            let y = std::fs::read(b.join(&name)).unwrap();
            assert!(x == y, "{ex}: {name:?} differs between runs");
            if name.to_str().unwrap().ends_with(".pdf") && name != "packet.pdf" {
                assert!(
                    x.len() < 200_000,
                    "{name:?} is {} bytes: the font must be subset",
                    x.len()
                );
            }
        }
    }
}

#[test]
fn packet_in_one_process_is_deterministic() {
    let claim =
        johas_claim::programmes::johas::read::load(Path::new("examples/shokuba-rouan.toml"))
            .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let ev = johas_claim::programmes::johas::evaluate::evaluate(&claim, today);
    let a = johas_claim::programmes::johas::packet::build(&claim, &ev).unwrap();
    let b = johas_claim::programmes::johas::packet::build(&claim, &ev).unwrap();
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.name, y.name);
        assert!(x.bytes == y.bytes, "{} differs within one process", x.name);
    }
}

#[test]
fn packet_bulk_payment_adds_the_certificate_in_submission_order() {
    let dir = tmp();
    let bulk = "bulk_payment_by_head_office = true\n\n[labour_insurance.head_office]\nname = \"ろうあんホールディングス(株)\"\nrepresentative_title = \"代表取締役\"\nrepresentative_name = \"本社 太郎\"\n";
    let s = claim_file(
        dir.path(),
        "s.toml",
        &example_with(
            "examples/sangyoui-rouan.toml",
            &[
                (
                    "bulk_payment_by_head_office = false  # 本社等による一括納付ではない\n",
                    bulk,
                ),
                (
                    "entity = \"corporation\"",
                    "entity = \"corporation\"\nlabour_insurance_number = \"14-1-01-123456-000\"",
                ),
            ],
        ),
    );
    let out = dir.path().join("s");
    let o = packet(&s, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 手引 II-2 (1): 様式第1号, …, ④ 一括納付証明書, …, ⑥ 様式第2号, ⑦ 様式第3号.
    for (f, title) in [
        ("01-yoshiki1.pdf", "支給申請書"),
        ("02-ikkatsu.pdf", "労働保険料一括納付に係る証明書"),
        ("03-yoshiki2.pdf", "支給要件確認申立書"),
        ("04-yoshiki3.pdf", "チェックリスト"),
    ] {
        assert!(
            pdf_text(&std::fs::read(out.join(f)).unwrap()).contains(title),
            "{f}"
        );
    }
    let cert = pdf_text(&std::fs::read(out.join("02-ikkatsu.pdf")).unwrap());
    for v in [
        "14-1-01-123456-000",
        "(株)ろうあん",
        "35",
        "ろうあんホールディングス(株)",
        "本社 太郎",
    ] {
        assert!(cert.contains(v), "certificate lacks {v}:\n{cert}");
    }
    let combined = std::fs::read(out.join("packet.pdf")).unwrap();
    let text = pdf_text(&combined);
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("packet lacks {s}"));
    assert!(pos("支給申請書") < pos("労働保険料一括納付に係る証明書"));
    assert!(pos("労働保険料一括納付に係る証明書") < pos("支給要件確認申立書"));
    assert!(pos("支給要件確認申立書") < pos("兼"));
    let checklist = std::fs::read_to_string(out.join("checklist.txt")).unwrap();
    assert!(checklist.contains("SC-T6"), "{checklist}");
    let plain = std::fs::read_to_string(dir.path().join("../").join("x").as_path()).err();
    let _ = plain;
    // Without the 労働保険番号 the certificate cannot be filled: an error naming it, no blank box.
    let no_number = claim_file(
        dir.path(),
        "n.toml",
        &std::fs::read_to_string(&s).unwrap().replace(
            "labour_insurance_number = \"14-1-01-123456-000\"",
            "# 労働保険番号なし",
        ),
    );
    let o = packet(&no_number, &dir.path().join("n"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("労働保険"), "{}", stderr(&o));
    assert!(!dir.path().join("n").exists());
    let default_list = stdout(&packet(
        Path::new("examples/sangyoui-rouan.toml"),
        &dir.path().join("plain"),
        &[],
    ));
    assert!(
        !default_list.contains("SC-T6"),
        "SC-T6 only with bulk payment"
    );
}

#[test]
fn packet_long_text_and_many_rows_go_to_a_bessi() {
    let dir = tmp();
    let long: String = "労働者が産業医へ直接相談できる窓口を、掲示板、社内ポータル、社内報、朝礼、メールで繰り返し周知した。".repeat(12);
    assert!(long.chars().count() >= 600);
    let s = claim_file(dir.path(), "s.toml", &example_with("examples/sangyoui-rouan.toml", &[("notice_method = \"「産業医による労働者への直接健康相談体制」を施設内の掲示版、社内ポータルサイトへ掲示し、また、社内報により職員へ配布した。\"", &format!("notice_method = \"{long}\""))]));
    let out = dir.path().join("s");
    assert_eq!(packet(&s, &out, &[]).status.code(), Some(0));
    let y1 = std::fs::read(out.join("01-yoshiki1.pdf")).unwrap();
    assert_eq!(page_count(&y1), 2, "the form plus one 別紙 page");
    let text = pdf_text(&y1);
    assert!(text.contains("別紙1のとおり"), "{text}");
    assert!(text.contains("別紙1"), "{text}");
    assert!(
        text.replace(['\n', ' '], "").contains(&long[..90]),
        "the 別紙 holds the text"
    );

    let mut rows = String::new();
    for i in 1..=12 {
        rows.push_str(&format!("\n[[shokuba.guidance]]\ndate = 2018-10-{:02}\ncontent = \"第{i}回 職場環境改善委員会に出席し、改善計画の作成を支援\"\n", i + 1));
    }
    let k = claim_file(
        dir.path(),
        "k.toml",
        &example_with(
            "examples/shokuba-rouan.toml",
            &[(
                "[[shokuba.improvements]]",
                &format!("{rows}\n[[shokuba.improvements]]"),
            )],
        ),
    );
    let out = dir.path().join("k");
    assert_eq!(packet(&k, &out, &[]).status.code(), Some(0));
    let y2 = std::fs::read(out.join("02-yoshiki2.pdf")).unwrap();
    assert!(page_count(&y2) >= 2);
    let text = pdf_text(&y2);
    assert!(text.contains("別紙"), "{text}");
    assert!(text.contains("第12回"), "the last row is on the 別紙");
}

#[test]
fn packet_rejects_a_character_the_font_lacks() {
    let dir = tmp();
    let s = claim_file(
        dir.path(),
        "s.toml",
        &example_with(
            "examples/sangyoui-rouan.toml",
            &[(
                "name = \"川崎 花子\"\nname_kana",
                "name = \"𠮷田 花子\"\nname_kana",
            )],
        ),
    );
    let out = dir.path().join("s");
    let o = packet(&s, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("𠮷"), "{err}");
    assert!(
        err.contains("氏名")
            || err.contains("担当者")
            || err.contains("establishment.contact.name"),
        "names the field: {err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn packet_dates_follow_their_era_and_the_title_the_program_year() {
    // A 平成30年度 application dated after the era change: the date reads 令和元年,
    // the title keeps the program year of the edition.
    let dir = tmp();
    let s = claim_file(
        dir.path(),
        "s.toml",
        &example_with(
            "examples/shokuba-rouan.toml",
            &[(
                "application_date = 2019-02-09",
                "application_date = 2019-06-10",
            )],
        ),
    );
    let out = dir.path().join("s");
    assert_eq!(packet(&s, &out, &[]).status.code(), Some(0));
    let y1 = pdf_text(&std::fs::read(out.join("01-yoshiki1.pdf")).unwrap());
    assert!(y1.contains("令和元年6月10日"), "{y1}");
    assert!(
        y1.contains("平成30年度職場環境改善計画助成金支給申請書"),
        "{y1}"
    );
}

#[test]
fn packet_refuses_a_failing_claim_without_allow_ineligible_and_ticks_nothing_false_with_it() {
    let dir = tmp();
    let s = claim_file(
        dir.path(),
        "s.toml",
        &example_with(
            "examples/sangyoui-rouan.toml",
            &[(
                "contract_has_consultation_clause = true",
                "contract_has_consultation_clause = false",
            )],
        ),
    );
    let out = dir.path().join("s");
    let o = packet(&s, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !out.exists(),
        "no packet for a failing claim without --allow-ineligible"
    );
    assert!(stderr(&o).contains("--allow-ineligible"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("--force") && !stderr(&o).contains("--replace"),
        "recommend nothing that replaces files: {}",
        stderr(&o)
    );
    let o = packet(&s, &out, &["--allow-ineligible"]);
    assert_eq!(o.status.code(), Some(1), "still not eligible");
    assert!(out.join("03-yoshiki3.pdf").exists());
    // 様式第3号 box 1 (requirements incl. the consultation clause) must not be ticked.
    let claim = johas_claim::programmes::johas::read::load(&s).unwrap();
    let ev = johas_claim::programmes::johas::evaluate::evaluate(
        &claim,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    );
    let ctx = johas_claim::programmes::johas::packet::form_context(&claim, &ev);
    assert_eq!(ctx["checks"]["1"], false);
    assert_eq!(ctx["checks"]["2"], true);
}

#[test]
fn packet_never_overwrites_a_users_files_and_missing_facts_leave_nothing() {
    let dir = tmp();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    for flags in [&[][..], &["--replace"], &["--force"]] {
        let o = packet(Path::new("examples/shokuba-rouan.toml"), &out, flags);
        assert_eq!(o.status.code(), Some(2), "{flags:?}");
        assert!(stderr(&o).contains("keep.txt"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(out.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(!out.join("packet.pdf").exists());
    }

    // A fact the form needs (the contact's phone) is missing: exit 2, nothing written.
    let s = claim_file(
        dir.path(),
        "s.toml",
        &example_with(
            "examples/shokuba-rouan.toml",
            &[("phone = \"044-431-8661\"\n", "")],
        ),
    );
    let out2 = dir.path().join("out2");
    let o = packet(&s, &out2, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("電話番号"), "{}", stderr(&o));
    assert!(!out2.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_str().unwrap().starts_with(".johas"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
