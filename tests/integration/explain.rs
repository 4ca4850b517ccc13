//! `explain` and `report --html` as a person sees them: the terminal text, the guide's
//! sentences checked against the guide itself, the "what would change" hints, and the
//! pages rendered by headless Chromium (print to PDF, text read back with pdftotext,
//! fonts listed with pdffonts).
//!
//! The browser tests need `chromium` and poppler-utils. Without chromium they are skipped
//! on a developer's machine (with a note), and fail under CI=true.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run johas-claim")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-explain-")
        .tempdir()
        .unwrap()
}

/// Whitespace removed: pdftotext breaks lines where the page does.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn explain_finds_grants_by_japanese_name_and_prints_numbers_from_the_edition() {
    let o = run(&["explain", "産業医"]);
    assert_eq!(o.status.code(), Some(0));
    let t = stdout(&o);
    assert!(t.contains("[SC-E1] 小規模事業場"), "{t}");
    assert!(t.contains("手引: 「常時 50 人未満の労働者を使用する事業場をいう。"));
    assert!(t.contains("常時使用する労働者数: 50人未満（49人まで）"));
    assert!(t.contains(
        "本ツールは次のように判定します: 労働者数には受け入れている派遣労働者を含めて数えます"
    ));
    // Rules in the guide's order: establishment, activity, amount, period, window.
    let pos = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("[SC-E1]") < pos("[SC-A1]") && pos("[SC-A6]") < pos("[SC-M1]"));
    assert!(pos("[SC-P1]") < pos("[SC-W1]") && pos("[SC-W5]") < pos("[SC-D1]"));
    assert!(t.contains("━━ 提出書類と添付書類"));
    assert!(t.contains("必要な場合: 本社等が労働保険料を一括納付している場合のみ"));
    assert!(t.contains("申請期間 令和2年5月1日～令和2年10月31日"));
    assert!(t.contains("一律 100,000円"));

    let o = run(&["explain", "職場環境", "--edition", "H30"]);
    assert_eq!(o.status.code(), Some(0));
    let t = stdout(&o);
    assert!(t.contains("[SK-M2]"));
    assert!(
        t.contains("50,000円（税込）以内（超える機器は全額が対象外）"),
        "{t}"
    );
    assert!(t.contains("申請期間: 平成30年4月24日から令和元年6月30日まで（消印有効）"));
    assert!(t.contains("必要な場合: 機器・設備の購入費用を申請する場合"));
}

#[test]
fn explain_refuses_what_it_cannot_find() {
    let o = run(&["explain", "助成金"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("複数の制度"));
    let o = run(&["explain", "産業医", "--edition", "R9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("版 \"R9\""));
}

/// Every quoted sentence is the guide's own: it occurs verbatim in the guide (vendored in
/// docs/reference/, kept equal to the team's shared copy by rules_md.rs).
#[test]
fn every_quote_is_the_guides_own_sentence() {
    let mut checked = 0;
    for d in johas_claim::programmes::johas::explain_data::all() {
        let path = Path::new("docs/reference").join(&d.guide_file);
        let guide =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for r in &d.rules {
            assert!(!r.quote.is_empty(), "{}: {} has no quote", d.source, r.id);
            for q in &r.quote {
                assert!(
                    guide.contains(q.as_str()),
                    "{}: {} quote is not in {}: {q}",
                    d.source,
                    r.id,
                    d.guide_file
                );
                checked += 1;
            }
        }
        for n in &d.notes {
            assert!(
                guide.contains(n.quote.as_str()),
                "{}: note not in guide: {}",
                d.source,
                n.quote
            );
        }
    }
    assert!(checked > 50, "only {checked} quotes");
}

fn failing_report(dir: &Path) -> (PathBuf, String) {
    failing_report_with(dir, &[])
}

fn failing_report_with(dir: &Path, flags: &[&str]) -> (PathBuf, String) {
    let out = dir.join("report.html");
    let mut args = vec![
        "report",
        "tests/data/explain/sangyoui-fails.toml",
        "--html",
        out.to_str().unwrap(),
        "--today",
        "2020-11-02",
    ];
    args.extend_from_slice(flags);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

#[test]
fn report_says_what_would_change_each_outcome() {
    let dir = tmp();
    let (_, html) = failing_report(dir.path());
    assert!(html.contains("支給要件を満たしていません"));
    assert!(html.contains(
        "常時使用する労働者数（派遣労働者を含む）（establishment.workers）が49名以下なら適合"
    ));
    // The window closed on the check date: the period that opens it again, not a past day.
    assert!(html.contains("助成の対象となる6か月の最終月（sangyoui.period_to）を令和2年5月にすれば、今の申請日で期間内（令和2年11月30日まで）"));
    assert!(!html.contains("令和2年10月31日までなら期間内"));
    assert!(html.contains("契約に、労働者が直接健康相談できる環境を整備する条項があるか（sangyoui.contract_has_consultation_clause）を書けば判定できます"));
    assert!(html.contains("事業場宛ての返信用封筒"));
    // Facts used, the guide's sentence, the timeline.
    assert!(html.contains("<code>establishment.workers</code> = 52"));
    assert!(html.contains("「常時 50 人未満の労働者を使用する事業場をいう。"));
    assert!(html.contains("<svg class=\"timeline\""));
    assert!(html.contains("申請日 令和2年11月2日"));
    // Self-contained: the font is inside, nothing is fetched, no script runs.
    assert!(html.contains("@font-face") && html.contains("data:font/ttf;base64,"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));

    // An eligible claim: no hints, exit 0.
    let ok = dir.path().join("ok.html");
    let o = run(&[
        "report",
        "examples/shokuba-rouan.toml",
        "--html",
        ok.to_str().unwrap(),
        "--today",
        "2019-02-09",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = std::fs::read_to_string(&ok).unwrap();
    assert!(html.contains("支給要件を満たしています"));
    assert!(!html.contains("結果を変えるには"));
    assert!(html.contains("100,000円"));
}

#[test]
fn report_never_replaces_a_file_it_did_not_write() {
    let dir = tmp();
    let out = dir.path().join("memo.html");
    std::fs::write(&out, "meeting notes").unwrap();
    let o = run(&[
        "report",
        "examples/sangyoui-rouan.toml",
        "--html",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "meeting notes");
    // Its own unchanged page is replaced with --replace only.
    let (out, first) = failing_report(dir.path());
    let o = run(&[
        "report",
        "tests/data/explain/sangyoui-fails.toml",
        "--html",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--replace"));
    let (_, again) = failing_report_with(dir.path(), &["--replace"]);
    assert_eq!(again, first);
    // A page edited after it was written is the user's now (it still carries the generator
    // mark): refused even with --replace.
    let edited = again.replacen("</body>", "<p>打合せメモ</p></body>", 1);
    assert!(edited.contains("content=\"johas-claim\""));
    std::fs::write(&out, &edited).unwrap();
    let o = run(&[
        "report",
        "tests/data/explain/sangyoui-fails.toml",
        "--html",
        out.to_str().unwrap(),
        "--replace",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("変更されています"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), edited);
}

/// Headless Chromium (Debian's package). The browser tests never pass by skipping: without
/// it they fail and say how to install it (`bash .ci/run` does).
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("CHROMIUM").unwrap_or_default(),
        "chromium".into(),
        "chromium-browser".into(),
    ];
    let found = candidates.iter().filter(|c| !c.is_empty()).find(|c| {
        Command::new(c.as_str())
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    match found {
        Some(c) => Some(PathBuf::from(c)),
        None => panic!(
            "chromium is required for the browser tests: apt-get install -y chromium poppler-utils (bash .ci/run installs them)"
        ),
    }
}

/// Headless Chromium prints the page to PDF; returns (text, fonts).
fn render(chrome: &Path, html: &Path, dir: &Path) -> (String, String) {
    let pdf = dir.join(format!(
        "{}.pdf",
        html.file_stem().unwrap().to_string_lossy()
    ));
    let profile = dir.join("chrome-profile");
    let o = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.canonicalize().unwrap().display()))
        .output()
        .expect("run chromium");
    assert!(
        pdf.exists(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let fonts = Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts (poppler-utils)");
    (
        String::from_utf8_lossy(&text.stdout).to_string(),
        String::from_utf8_lossy(&fonts.stdout).to_string(),
    )
}

/// The glyphs come from the embedded subset: the only font in the PDF is IPAex Gothic,
/// so a machine without Japanese fonts shows the same page (no empty boxes).
fn assert_only_embedded_font(fonts: &str) {
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts in the PDF:\n{fonts}");
    for r in rows {
        assert!(
            r.contains("IPAexGothic") || r.contains("IPAex"),
            "a font other than the embedded one was used:\n{fonts}"
        );
    }
}

#[test]
fn chromium_renders_the_report_in_japanese() {
    let Some(chrome) = chromium() else { return };
    let dir = tmp();
    let (out, _) = failing_report(dir.path());
    let (text, fonts) = render(&chrome, &out, dir.path());
    let t = squash(&text);
    for want in [
        "申請の判定結果",
        "支給要件を満たしていません",
        "（establishment.workers）が49名以下なら適合",
        "（sangyoui.period_to）を令和2年5月にすれば",
        "SC-E1",
        "常時50人未満の労働者を使用する事業場をいう。",
        "事業場宛ての返信用封筒",
        "申請日令和2年11月2日",
    ] {
        assert!(
            t.contains(&squash(want)),
            "rendered text lacks {want}:\n{text}"
        );
    }
    assert_only_embedded_font(&fonts);
    let pages = text.matches('\u{c}').count();
    // A failing claim with every rule's section: 9 pages since the hints name each field by
    // its label and key (issue 16); more would mean the page lost its shape.
    assert!((2..=9).contains(&pages), "{pages} A4 pages");
}

#[test]
fn chromium_renders_the_explain_page_in_japanese() {
    let Some(chrome) = chromium() else { return };
    let dir = tmp();
    let out = dir.path().join("explain.html");
    let o = run(&["explain", "職場環境", "--html", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let (text, fonts) = render(&chrome, &out, dir.path());
    let t = squash(&text);
    for want in [
        "職場環境改善計画助成金（Aコース）",
        "SK-M2",
        "単価50,000円（税込）以内のものとします。",
        "③ 対象となる機器・設備の合計は 50,000円まで（SK-M3、様式第1号 2）。",
        "助成金額の計算",
    ] {
        assert!(
            t.contains(&squash(want)),
            "rendered text lacks {want}:\n{text}"
        );
    }
    assert_only_embedded_font(&fonts);
}

/// A 健康経営 page written on 2026-12-02 (`args` write it to `{out}`), as Chromium shows it:
/// its text has every `want`, no 「手引」 (the workbook is the 申請書), and only the embedded font.
fn kenko_page(args: &[&str], code: i32, want: &[&str]) {
    let Some(chrome) = chromium() else { return };
    let dir = tmp();
    let out = dir.path().join("kenko.html");
    let args: Vec<String> = args
        .iter()
        .map(|a| a.replace("{out}", out.to_str().unwrap()))
        .collect();
    let o = bin()
        .env("JOHAS_TODAY", "2026-12-02")
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (text, fonts) = render(&chrome, &out, dir.path());
    let t = squash(&text);
    for w in want {
        assert!(t.contains(&squash(w)), "rendered text lacks {w}:\n{text}");
    }
    assert!(
        !t.contains("手引"),
        "a 手引 on the workbook's page:\n{text}"
    );
    assert_only_embedded_font(&fonts);
}

/// The certification's page quotes its workbook (申請書), never a 手引: the word that
/// labels a quote is the programme's, in the page itself.
#[test]
fn chromium_renders_the_kenko_explain_page_with_its_own_words() {
    kenko_page(
        &["explain", "健康経営", "--html", "{out}"],
        0,
        &[
            "健康経営優良法人2026（中小規模法人部門）",
            "この版の申請受付は 令和7年10月17日 17時00分（申請書のアップロード期限）で終了しています（確認日 令和8年12月2日）",
            "申請書: 「◆中小規模法人部門においては、2法人以上を合計しての回答",
            "申請書の記述が明確でないための判断:",
        ],
    );
}

/// The 健康経営 meeting page as a person sees it: the verdict and track, each count against
/// its threshold, what would close each gap with the documents to keep, the workbook's own
/// sentences labelled 申請書, and the closed edition said on the day.
#[test]
fn chromium_renders_the_kenko_report() {
    // Not eligible: the page is written and the exit code says so, as check's.
    kenko_page(
        &["report", "examples/kenko-keiei/failing.toml", "--html", "{out}"],
        1,
        &[
            "健康経営優良法人 認定要件の事前確認",
            "判定: 認定要件を満たさない",
            "区分: 通常（中小規模法人部門）",
            "この版の申請受付は 令和7年10月17日 17時00分（申請書のアップロード期限）で終了しています（確認日 令和8年12月2日）",
            "⑪～⑰",
            "結果を変えるには",
            "必須 KK-R8 受動喫煙対策（Q31） が不適合です。",
            "保存する資料:",
            "申請書: 「",
        ],
    );
}
