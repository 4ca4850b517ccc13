//! What a person reads on the documents and in the files the tool writes (issue 16,
//! "Text on documents and in help"): the forms as laid out (a 印 circle inside its row, no
//! sentence leaving its last syllable alone on a line), the checklist's sentences for each
//! programme, every example value of `new --template` accepted by `check`, and the example
//! files' comments agreeing with the values they describe.

use johas_claim::input::Format;
use johas_claim::page::{Document, Item};
use johas_claim::programmes::johas::evaluate::evaluate;
use johas_claim::programmes::johas::read::parse;
use std::process::Command;
use toml::Table;

const SANGYOUI: &str = "examples/sangyoui-rouan.toml";
const SHOKUBA: &str = "examples/shokuba-rouan.toml";
const HEAD_OFFICE: &str = r#"labour_insurance = { bulk_payment_by_head_office = true, head_office = { name = "ろうあんホールディングス(株)", representative_title = "代表取締役", representative_name = "本社 太郎" } }
establishment = { labour_insurance_number = "14-1-01-123456-000" }"#;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// The packet of `base` with `set` merged: its documents and the checklist text.
fn packet(base: &str, set: &str) -> (Vec<(String, Document)>, String) {
    let patch: Table = toml::from_str(set).unwrap();
    let text = crate::claim_text::claim_text(base, &patch, &[]).unwrap();
    let claim = parse(base, &text, Format::Toml).unwrap_or_else(|e| panic!("{base}: {e}"));
    let ev = evaluate(&claim, today());
    johas_claim::programmes::johas::packet::lay_out(&claim, &ev)
        .unwrap_or_else(|e| panic!("{base}: {e}"))
}

/// Every packet the examples give, with and without bulk payment by a head office (so
/// the 労働保険料一括納付に係る証明書 is laid out too).
fn packets() -> Vec<(String, Vec<(String, Document)>, String)> {
    let mut v = Vec::new();
    for base in [SANGYOUI, SHOKUBA] {
        for (what, set) in [("", ""), (" + 本社一括納付", HEAD_OFFICE)] {
            let (docs, checklist) = packet(base, set);
            v.push((format!("{base}{what}"), docs, checklist));
        }
    }
    v
}

// ------------------------------------------------------------------ the forms

/// A seal circle (or any circle drawn on a form) is crossed by no ruled line: the 印 of
/// 様式第1号 (職場環境) once straddled the 代表者 / 担当者 row border.
#[test]
fn no_ruled_line_crosses_a_circle_on_any_form() {
    let mut failures = Vec::new();
    let mut circles = 0;
    for (name, docs, _) in packets() {
        for (file, doc) in &docs {
            for (p, page) in doc.pages.iter().enumerate() {
                for e in &page.items {
                    let Item::Ellipse {
                        cx_mm,
                        cy_mm,
                        rx_mm,
                        ry_mm,
                        ..
                    } = e
                    else {
                        continue;
                    };
                    circles += 1;
                    for l in &page.items {
                        let Item::Line {
                            x1_mm,
                            y1_mm,
                            x2_mm,
                            y2_mm,
                            ..
                        } = l
                        else {
                            continue;
                        };
                        let crosses = if (y1_mm - y2_mm).abs() < 0.01 {
                            // Horizontal: within the circle's width and height.
                            x1_mm.min(*x2_mm) < cx_mm + rx_mm
                                && x1_mm.max(*x2_mm) > cx_mm - rx_mm
                                && (y1_mm - cy_mm).abs() < *ry_mm
                        } else if (x1_mm - x2_mm).abs() < 0.01 {
                            y1_mm.min(*y2_mm) < cy_mm + ry_mm
                                && y1_mm.max(*y2_mm) > cy_mm - ry_mm
                                && (x1_mm - cx_mm).abs() < *rx_mm
                        } else {
                            false
                        };
                        if crosses {
                            failures.push(format!(
                                "{name} {file} page {}: the circle at ({cx_mm}, {cy_mm}) r {rx_mm}×{ry_mm} is crossed by the line ({x1_mm}, {y1_mm})–({x2_mm}, {y2_mm})",
                                p + 1
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(circles >= 4, "the forms draw their 印 places: {circles}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No line of a form is just the end of a sentence (「す。」 alone under 「…申請しま」).
/// The forms' pre-printed text is laid out by hand, so each such line is a layout fault.
/// (The checklist is flow text wrapped by the renderer, which has no widow control yet:
/// not checked here.)
#[test]
fn no_line_on_a_form_is_only_the_last_syllable_of_a_sentence() {
    let mut failures = Vec::new();
    let mut forms = 0;
    for (name, docs, _) in packets() {
        for (file, doc) in docs
            .iter()
            .filter(|(f, _)| f.contains("yoshiki") || f.contains("ikkatsu"))
        {
            forms += 1;
            for page in &doc.pages {
                for item in &page.items {
                    if let Item::Text { text, .. } = item {
                        let t = text.trim();
                        if t.ends_with('。') && t.chars().count() <= 2 {
                            failures.push(format!("{name} {file}: a line reads only {t:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(forms >= 14, "every form of the four packets: {forms}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------------------------ the checklist

/// The 「送付前に」 section of a checklist.
fn before_sending(checklist: &str) -> &str {
    let at = checklist
        .find("## 送付前に")
        .unwrap_or_else(|| panic!("no 送付前に:\n{checklist}"));
    &checklist[at..]
}

/// Each sentence of the checklist is true for its own programme (each guide says who
/// seals or signs which form, what goes in the envelope and what to keep): the 産業医
/// 様式第2号 is the applicant's own 申立書, only the 職場環境 様式第2号 is the expert's.
#[test]
fn checklist_sentences_are_those_of_its_own_programme() {
    for (name, docs, checklist) in packets() {
        let send = before_sending(&checklist);
        let bulk = name.contains("本社一括納付");
        let titles: Vec<&str> = docs.iter().map(|(_, d)| d.title.as_str()).collect();
        if name.starts_with(SANGYOUI) {
            // R2: no expert anywhere in this programme; 様式第2号・第3号 sealed by the
            // applicant; 様式第1号 has no 印.
            assert!(!checklist.contains("専門家"), "{name}:\n{checklist}");
            assert!(send.contains("様式第2号（支給要件確認申立書）と様式第3号（チェックリスト兼同意書）の「印」の欄に押印"), "{name}:\n{send}");
            assert!(
                send.contains("様式第1号に押印欄はありません"),
                "{name}:\n{send}"
            );
            assert!(
                send.contains("A4サイズ") && send.contains("ホチキス止め"),
                "{name}:\n{send}"
            );
            assert!(send.contains("84円切手"), "{name}:\n{send}");
            assert!(
                send.contains("申請に係る書類は、助成金を受給した翌年から起算して5年間保存"),
                "{name}:\n{send}"
            );
        } else {
            // H30: the expert signs or seals 様式第2号; the applicant seals 様式第1号・第3号;
            // the guide has no A4 / stapling note; keep the evidence of the payments.
            assert!(send.contains("様式第2号（職場環境改善指導実績報告書）は、専門家（職場環境改善指導実施者）に署名又は記名押印"), "{name}:\n{send}");
            assert!(send.contains("様式第1号（支給申請書）の代表者の「印」の欄と様式第3号（チェックリスト兼同意書）の「印」の欄に押印"), "{name}:\n{send}");
            assert!(
                !send.contains("A4") && !send.contains("ホチキス"),
                "{name}:\n{send}"
            );
            assert!(send.contains("82円切手"), "{name}:\n{send}");
            assert!(
                send.contains("領収書その他支出の事実を明らかにする証拠書類"),
                "{name}:\n{send}"
            );
        }
        // The certificate is named only when it is in this packet, with the head office
        // as the one who seals it.
        assert_eq!(
            send.contains("労働保険料一括納付に係る証明書は、一括納付している本社等に"),
            bulk,
            "{name}:\n{send}"
        );
        assert_eq!(
            titles.iter().any(|t| t.contains("一括納付")),
            bulk,
            "{name}: {titles:?}"
        );
        // Every 「様式第N号（名前）」 the section names is a form of this packet, by that name.
        let mut rest = send;
        let mut named = 0;
        while let Some(at) = rest.find("様式第") {
            rest = &rest[at..];
            let Some(go) = rest.find('号') else { break };
            let form = &rest[..go + '号'.len_utf8()];
            if let Some(after) = rest[form.len()..].strip_prefix('（') {
                let what = &after[..after.find('）').unwrap()];
                named += 1;
                assert!(
                    titles
                        .iter()
                        .any(|t| t.starts_with(form) && t.contains(what)),
                    "{name}: 「{form}（{what}）」 is not a form of this packet: {titles:?}"
                );
            }
            rest = &rest["様式第".len()..];
        }
        assert!(
            named >= 2,
            "{name}: the seal sentences name the forms:\n{send}"
        );
        // No generated form is said to need a 記名押印 by its status alone (the 産業医
        // 様式第1号 has no 印): who seals what is said under 「送付前に」.
        assert!(!checklist.contains("要記名押印"), "{name}:\n{checklist}");
    }
}

// ------------------------------------------------------------------ new --template

/// What a template's comment offers for a key: the values written after it.
/// ` 例: V` (one TOML value), ` true / false`, ` false=… / true=…`, ` 1 か 2`, or choices
/// ` "a"=… / "b"=…`.
fn offered(comment: &str) -> Result<Vec<String>, String> {
    let examples = comment.matches("例: ").count();
    if examples > 1 {
        return Err(format!("{examples} examples in one comment"));
    }
    if let Some(at) = comment.rfind(" 例: ") {
        return Ok(vec![comment[at + " 例: ".len()..].trim().to_string()]);
    }
    if examples == 1 {
        return Err("an example that is not a value to write (「例: …」 inside the label)".into());
    }
    if comment.ends_with(" true / false") {
        return Ok(vec!["true".into(), "false".into()]);
    }
    // A fact asked positively: ` false=ある… / true=ない…`.
    if let Some(at) = comment.rfind(" false=") {
        if comment[at..].contains(" / true=") {
            return Ok(vec!["false".into(), "true".into()]);
        }
    }
    if comment.ends_with(" 1 か 2") {
        return Ok(vec!["1".into(), "2".into()]);
    }
    // Choices: every "key"= in the comment.
    let mut choices = Vec::new();
    let mut rest = comment;
    while let Some(eq) = rest.find("\"=") {
        let open = rest[..eq].rfind('"').unwrap();
        choices.push(rest[open..=eq].to_string());
        rest = &rest[eq + 2..];
    }
    if choices.is_empty() {
        Err("no example value".into())
    } else {
        Ok(choices)
    }
}

/// A commented line of a template, split: (indentation-free code after 「# 」, comment).
fn commented_key(line: &str) -> Option<(&str, &str, &str)> {
    let body = line.strip_prefix("# ")?;
    let (code, comment) = body.split_once(" # ").unwrap_or((body, ""));
    let (key, value) = code.split_once(" =")?;
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
    {
        return None;
    }
    Some((key, value.trim(), comment.trim()))
}

/// A template filled in: the complete claim, the other values offered per key, the
/// sections written only when they apply, and the problems found in the comments.
struct Filled {
    /// Every commented key written with the first value its comment offers, and every
    /// commented table header uncommented.
    lines: Vec<String>,
    /// (line index, key, value) for each further value a comment offers.
    others: Vec<(usize, String, String)>,
    /// The line ranges of the tables the template leaves commented (「（該当する場合）」).
    optional: Vec<std::ops::Range<usize>>,
    problems: Vec<String>,
}

fn filled_template(template: &str) -> Filled {
    let lines: Vec<&str> = template.lines().collect();
    let mut out = Vec::new();
    let mut others = Vec::new();
    let mut problems = Vec::new();
    let mut optional = Vec::new();
    // Quoted-string examples per table: two keys of one table never share one.
    let mut table = String::new();
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // 「次のN行のように」: the N lines that follow, up to the blank line.
        if let Some(at) = line.find("次の") {
            let digits: String = line[at + "次の".len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Ok(n) = digits.parse::<usize>() {
                let follow = lines[i + 1..]
                    .iter()
                    .take_while(|l| !l.trim().is_empty())
                    .count();
                if follow != n {
                    problems.push(format!(
                        "line {}: 「次の{n}行」 but {follow} lines follow: {line}",
                        i + 1
                    ));
                }
            }
        }
        if let Some(header) = line.strip_prefix("# [") {
            // A commented header: uncommented, the line must be a header by itself.
            out.push(format!("[{header}"));
            table = header.to_string();
            let len = lines[i..]
                .iter()
                .take_while(|l| !l.trim().is_empty())
                .count();
            optional.push(i..i + len);
            continue;
        }
        if line.starts_with('[') {
            table = line.to_string();
        }
        let Some((key, value, comment)) = commented_key(line) else {
            out.push(line.to_string());
            continue;
        };
        if !value.is_empty() {
            out.push(format!("{key} = {value}"));
            continue;
        }
        match offered(comment) {
            Ok(values) => {
                if values[0].starts_with('"') {
                    if let Some((_, other, _)) =
                        seen.iter().find(|(t, _, v)| *t == table && *v == values[0])
                    {
                        problems.push(format!(
                            "line {}: {key} has the example {} of {other} in the same table",
                            i + 1,
                            values[0]
                        ));
                    }
                    seen.push((table.clone(), key.to_string(), values[0].clone()));
                }
                out.push(format!("{key} = {}", values[0]));
                for v in &values[1..] {
                    others.push((out.len() - 1, key.to_string(), v.clone()));
                }
            }
            Err(why) => {
                problems.push(format!("line {}: {key}: {why}: {line}", i + 1));
                out.push(line.to_string());
            }
        }
    }
    Filled {
        lines: out,
        others,
        optional,
        problems,
    }
}

/// Runs `check` on `lines` written to `path`: `None` if accepted (exit 0 or 1), else what
/// it said.
fn check_refuses(path: &std::path::Path, lines: &[String]) -> Option<String> {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    let o = bin()
        .args(["check", path.to_str().unwrap(), "--today", "2026-11-21"])
        .output()
        .unwrap();
    match o.status.code() {
        Some(0 | 1) => None,
        code => Some(format!(
            "exit {code:?}\n{}",
            String::from_utf8_lossy(&o.stderr)
        )),
    }
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.env_remove("JOHAS_TODAY");
    c
}

/// Every example value written in the comments of `new --template`, uncommented into a
/// complete claim (the template with the examples filled in; each other value offered for
/// a key in turn), is accepted by `check`: no input error (exit 0 or 1, never 2).
#[test]
fn every_example_value_in_a_template_is_accepted_by_check() {
    let dir = tempfile::Builder::new()
        .prefix("johas-template-")
        .tempdir()
        .unwrap();
    let mut failures = Vec::new();
    let mut runs = 0;
    for grant in ["産業医", "職場環境"] {
        let o = bin().args(["new", "--template", grant]).output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let template = String::from_utf8(o.stdout).unwrap();
        let filled = filled_template(&template);
        failures.extend(filled.problems.iter().map(|p| format!("{grant}: {p}")));
        // The complete claim: every table written, every key with its first value.
        let path = dir.path().join(format!("{grant}.toml"));
        runs += 1;
        if let Some(said) = check_refuses(&path, &filled.lines) {
            failures.push(format!("{grant}（例をすべて書いたもの）: {said}"));
        }
        // Each further value in turn. A table written only when it applies (the head
        // office, when it pays in bulk) may have to go with the value that makes it not
        // apply (`bulk_payment_by_head_office = false`).
        for (n, (line, key, value)) in filled.others.iter().enumerate() {
            let mut v = filled.lines.clone();
            v[*line] = format!("{key} = {value}");
            let path = dir.path().join(format!("{grant}-{n}.toml"));
            runs += 1;
            let Some(said) = check_refuses(&path, &v) else {
                continue;
            };
            let without: Vec<String> = v
                .iter()
                .enumerate()
                .filter(|(i, _)| !filled.optional.iter().any(|r| r.contains(i)))
                .map(|(_, l)| l.clone())
                .collect();
            runs += 1;
            if filled.optional.is_empty() || check_refuses(&path, &without).is_some() {
                failures.push(format!("{grant} {key} = {value}: {said}"));
            }
        }
    }
    assert!(runs > 40, "every value offered is tried: {runs}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------------------------ the example files

/// A comment in examples/ that writes a date in 和暦 (「申請日 令和2年10月10日」, 「～令和2年4月」)
/// writes the date of the value on its line (the 04 claim once said 令和2年10月10日 beside
/// 2020-05-20).
#[test]
fn example_comments_state_the_dates_written() {
    use johas_claim::model::dates::{wareki, wareki_month, YearMonth};
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    files(std::path::Path::new("examples"), &mut paths);
    let (mut checked, mut failures) = (0, Vec::new());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let Some((code, comment)) = line.split_once('#') else {
                continue;
            };
            let Some((_, value)) = code.split_once('=') else {
                continue;
            };
            if !["令和", "平成"].iter().any(|era| comment.contains(era)) {
                continue;
            }
            let value = value.trim().trim_matches('"');
            let said = if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                wareki(d)
            } else if let Some(ym) = YearMonth::parse(value) {
                wareki_month(ym)
            } else {
                continue;
            };
            checked += 1;
            if !comment.contains(&said) {
                failures.push(format!(
                    "{}:{}: {value} is {said}, but the comment says: {}",
                    path.display(),
                    n + 1,
                    comment.trim()
                ));
            }
        }
    }
    assert!(
        checked >= 10,
        "the examples' dated comments are read: {checked}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
