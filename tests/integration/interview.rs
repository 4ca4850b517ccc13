//! `new` through a pseudo-terminal, as an owner uses it: scripted answers produce a file
//! that `check` judges as expected; an answer that makes the claim ineligible is said at
//! once; resuming asks only what is missing; Ctrl-C leaves nothing behind.

use crate::pty::Pty;
use std::path::Path;
use std::process::Command;

const DOWN: &str = "\x1b[B";

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-new-")
        .tempdir()
        .unwrap()
}

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

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Resuming a claim file with four facts missing asks exactly those four (with the rule
/// and the guide's sentence), and the result is a complete, eligible claim.
#[test]
fn resume_asks_only_what_is_missing_and_check_accepts_the_result() {
    let dir = tmp();
    let example = std::fs::read_to_string("examples/sangyoui-rouan.toml").unwrap();
    let partial: String = example
        .lines()
        .filter(|l| {
            !l.starts_with("workers =")
                && !l.starts_with("notice_method =")
                && !l.starts_with("bankrupt =")
                && !l.starts_with("return_envelope =")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("claim.toml"), &partial).unwrap();
    // A private claim file, and a file of the user's where the backup would go.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.path().join("claim.toml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    std::fs::write(dir.path().join("claim.toml.orig"), "my own notes").unwrap();
    let mut p = Pty::spawn(
        &["new", "--resume", "claim.toml", "--today", "2020-10-10"],
        dir.path(),
    );
    p.expect("なぜ: [SC-E1] 小規模事業場（常時50人未満の労働者） — 手引「常時 50 人未満の労");
    p.expect("働者を使用する事業場をいう。");
    p.answer("常時使用する労働者数", "ひゃく\r");
    p.expect("半角の整数");
    p.send("\x7f\x7f\x7f35\r");
    // Facts the example does not give either: 「わからない」.
    p.answer("（establishment.corporate_number）", "\r");
    p.answer("（establishment.labour_insurance_number）", "わからない\r");
    p.answer("周知方法", "社内掲示板と社内報で周知した。\r");
    p.answer("書くものがありますか", &format!("{DOWN}\r")); // いいえ（次へ）
    p.answer("5 倒産している", &format!("{DOWN}{DOWN}\r")); // いいえ
    p.expect("（attachments.return_envelope）");
    p.answer("用意できましたか", &format!("{DOWN}\r")); // はい
    let code = p.wait();
    let screen = p.screen();
    assert_eq!(code, 0, "{screen}");
    assert!(
        !screen.contains("事業場の名称"),
        "asked a fact the file already has:\n{screen}"
    );
    let text = std::fs::read_to_string(dir.path().join("claim.toml")).unwrap();
    assert!(text.contains("workers = 35"), "{text}");
    assert!(text.contains("bankrupt = false"));
    assert!(text.contains("return_envelope = true"));
    // The previous version is kept under a free name; the user's .orig is untouched.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("claim.toml.orig")).unwrap(),
        "my own notes"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("claim.toml.orig.1")).unwrap(),
        partial,
        "the previous version is kept"
    );
    assert!(
        screen.contains("claim.toml.orig.1 として残しました"),
        "{screen}"
    );
    // Both keep the claim file's permission bits.
    let mode = |n: &str| {
        std::fs::metadata(dir.path().join(n))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("claim.toml"), 0o640);
    assert_eq!(mode("claim.toml.orig.1"), 0o640);
    assert!(
        !files(dir.path()).iter().any(|n| n.contains("incomplete")),
        "{:?}",
        files(dir.path())
    );
    let (code, out) = check(dir.path(), "claim.toml", "2020-10-10");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("支給要件を満たしています"), "{out}");
}

/// An answer that makes the claim ineligible is said at once, with what would change it;
/// the owner stops and nothing is written.
#[test]
fn an_ineligible_answer_is_said_at_once_and_stopping_writes_nothing() {
    let dir = tmp();
    let mut p = Pty::spawn(
        &["new", "--grant", "産業医", "--today", "2020-10-10"],
        dir.path(),
    );
    p.answer("申請日", "2020-10-10\r");
    p.answer("今回の申請は何回目", &format!("{DOWN}\r"));
    p.answer("代表者が申請しますか", &format!("{DOWN}\r"));
    p.answer("事業場の名称", "わからない\r");
    // What `check` refuses is refused here, with its message.
    p.answer("名称のフリガナ", "株式会社\r");
    p.expect("フリガナは全角カタカナで書いてください");
    p.send(&"\x7f".repeat(4));
    p.send("\r");
    p.answer("郵便番号", "\r");
    p.answer("所在地", "\r");
    p.answer("常時使用する労働者数", "52\r");
    p.answer("うち派遣労働者数", "2\r");
    p.expect("この回答では要件を満たしません");
    p.expect("労働者数 52名");
    p.expect("（establishment.workers）が49名以");
    p.answer("どうしますか", &format!("{DOWN}{DOWN}\r"));
    let code = p.wait();
    assert_eq!(code, 1, "{}", p.screen());
    assert!(p.screen().contains("ファイルは書いていません"));
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

/// Ctrl-C in the middle: exit 130, nothing written, no temporary file.
#[test]
fn ctrl_c_leaves_nothing_behind() {
    let dir = tmp();
    let mut p = Pty::spawn(&["new", "--grant", "職場環境"], dir.path());
    p.answer("申請日", "2019-02-09\r");
    p.answer("代表者が申請しますか", &format!("{DOWN}\r"));
    p.expect("事業場の名称");
    p.send("\x03");
    let code = p.wait();
    assert_eq!(code, 130, "{}", p.screen());
    assert!(p
        .screen()
        .contains("中断しました。ファイルは書いていません。"));
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

/// Every fact answered 「わからない」 (Enter): the file is written with those keys
/// commented, and `check` reads it and says what it cannot judge.
#[test]
fn unknown_answers_stay_unknown_in_the_file() {
    let dir = tmp();
    let mut p = Pty::spawn(
        &[
            "new",
            "--grant",
            "職場環境",
            "-o",
            "mine.toml",
            "--today",
            "2019-02-09",
        ],
        dir.path(),
    );
    p.answer("申請日", "2019-02-09\r");
    p.answer("代表者が申請しますか", &format!("{DOWN}\r")); // はい

    // Facts: 「わからない」 (Enter on a text; on a choice, the item after the answers, the
    // cursor starting on none); lists: none.
    let d = |n: usize| format!("{}\r", DOWN.repeat(n));
    let (enter, bool_unknown, none) = ("\r".to_string(), d(3), d(1));
    let seq: Vec<(&str, String)> = vec![
        ("establishment.name", enter.clone()),
        ("establishment.name_kana", enter.clone()),
        ("establishment.postal_code", enter.clone()),
        ("establishment.address", enter.clone()),
        ("establishment.workers", enter.clone()),
        ("establishment.dispatched_workers", enter.clone()),
        ("establishment.entity", d(3)),
        ("establishment.labour_insurance_number", enter.clone()),
        ("establishment.representative.title", enter.clone()),
        ("establishment.representative.name", enter.clone()),
        ("establishment.representative.name_kana", enter.clone()),
        ("establishment.contact.department", enter.clone()),
        ("establishment.contact.name", enter.clone()),
        ("establishment.contact.name_kana", enter.clone()),
        ("establishment.contact.phone", enter.clone()),
        ("shokuba.group_analysis_done", bool_unknown.clone()),
        ("shokuba.expert_name", enter.clone()),
        ("shokuba.expert_qualification", d(11)),
        ("shokuba.contract_date", enter.clone()),
        (
            "shokuba.evaluation_used_other_information",
            bool_unknown.clone(),
        ),
        ("shokuba.plan_made_on", enter.clone()),
        ("shokuba.expert_confirmed_on", enter.clone()),
        ("shokuba.guidance_fee_yen", enter.clone()),
        ("shokuba.guidance_receipt_shared", bool_unknown.clone()),
        ("shokuba.guidance", none.clone()),
        ("shokuba.improvements", none.clone()),
        ("shokuba.equipment", none.clone()),
        ("previous_claims", none.clone()),
        ("labour_insurance.covered", bool_unknown.clone()),
        (
            "labour_insurance.delegated_to_association",
            bool_unknown.clone(),
        ),
        (
            "labour_insurance.bulk_payment_by_head_office",
            bool_unknown.clone(),
        ),
        ("bank.holder_kind", d(3)),
        ("bank.bank_name", enter.clone()),
        ("bank.branch_name", enter.clone()),
        ("bank.holder_kana", enter.clone()),
    ];
    for (key, keys) in &seq {
        p.answer(&format!("（{key}）"), keys);
    }
    // The attachments that apply: all ready.
    for key in [
        "contract_copy",
        "qualification_proof",
        "expert_fee_receipt",
        "improvement_plan",
        "insurance_declaration",
        "bank_passbook",
        "return_envelope",
    ] {
        p.expect(&format!("（attachments.{key}）"));
        p.answer("用意できましたか", &none);
    }
    let code = p.wait();
    assert_eq!(code, 0, "{}", p.screen());
    let text = std::fs::read_to_string(dir.path().join("mine.toml")).unwrap();
    assert!(text.contains("application_date = 2019-02-09"), "{text}");
    assert!(
        text.contains("# name =") && text.contains("わからない: 事業場の名称"),
        "{text}"
    );
    assert!(text.contains("# covered ="), "{text}");
    let (code, out) = check(dir.path(), "mine.toml", "2019-02-09");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("判定できません") || out.contains("支給要件を満たしていません"),
        "{out}"
    );
    assert!(out.contains("labour_insurance.covered"), "{out}");
}

#[test]
fn template_writes_the_commented_file_without_questions() {
    let dir = tmp();
    let o = Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .current_dir(dir.path())
        .args(["new", "--template", "職場環境", "-o", "t.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("t.toml")).unwrap();
    assert!(text.contains("grant = \"shokuba-kankyo-a\""));
    assert!(text.contains("# [[shokuba.equipment]]"));
    assert!(text.contains("# guidance_fee_yen ="));
    let again = Command::new(env!("CARGO_BIN_EXE_johas-claim"))
        .current_dir(dir.path())
        .args(["new", "--template", "職場環境", "-o", "t.toml"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "never overwrites");
}

/// Answers a whole interview as an owner does: at each question (known by the key shown
/// beside it), the answer given for that key: a text typed, or the item of a choice chosen
/// by its label (the cursor starts on no item: Down moves it to the first). `ESC` saves
/// and quits. A question not in `answers` fails the test (the interview asked what it
/// should not). Returns the keys asked, in order.
fn drive(p: &mut Pty, answers: &[(&str, &str)]) -> Vec<String> {
    let mut asked = Vec::new();
    let mut answered = 0;
    let start = std::time::Instant::now();
    while !p.done() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "the interview did not end:\n{}",
            p.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(40));
        let screen = p.screen().replace('\r', "\n");
        // A question not yet answered: a `? ` line after the last `✔ ` line.
        let done = screen.matches("\n✔ ").count();
        let tail = &screen[screen.rfind("\n✔ ").unwrap_or(0)..];
        if done < answered || !tail.contains("\n? ") {
            continue;
        }
        // Let the question finish drawing.
        std::thread::sleep(std::time::Duration::from_millis(120));
        let screen = p.screen().replace('\r', "\n");
        let tail = &screen[screen.rfind("\n✔ ").unwrap_or(0)..];
        let at = tail.rfind("\n? ").unwrap();
        let (before, prompt) = tail.split_at(at);
        let key = if prompt.contains("どうしますか") {
            "どうしますか".to_string()
        } else {
            // The last （key） before the prompt.
            before
                .match_indices('（')
                .filter_map(|(i, _)| {
                    let rest = &before[i + '（'.len_utf8()..];
                    let k = &rest[..rest.find('）')?];
                    (!k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'))
                    .then(|| k.to_string())
                })
                .next_back()
                .unwrap_or_else(|| panic!("no key before {prompt:?}:\n{screen}"))
        };
        let answer = answers
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| *a)
            .unwrap_or_else(|| panic!("asked {key}, which has no answer here:\n{screen}"));
        let items: Vec<&str> = prompt
            .trim_start_matches('\n')
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with("  （") && !l.contains("↑↓"))
            .map(|l| l.trim_start_matches(['❯', ' ']))
            .filter(|l| !l.is_empty())
            .collect();
        let keys = if answer == ESC {
            ESC.to_string()
        } else if items.is_empty() {
            format!("{answer}\r")
        } else {
            let i = items
                .iter()
                .position(|l| l.starts_with(answer))
                .unwrap_or_else(|| panic!("{key}: no item {answer:?} in {items:?}"));
            format!("{}\r", DOWN.repeat(i + 1))
        };
        asked.push(key);
        answered = done + 1;
        p.send(&keys);
    }
    p.drain();
    asked
}

const ESC: &str = "\x1b";

/// Every row the interview printed fits in 80 columns (but the line being typed, which the
/// terminal wraps and the interview redraws by its rows).
fn assert_fits_80_columns(screen: &str) {
    for row in screen.split(['\n', '\r']).filter(|r| !r.starts_with("? ")) {
        let w = unicode_width::UnicodeWidthStr::width(row);
        assert!(w <= 80, "{w} columns: {row:?}");
    }
}

/// Save and quit in the middle (Esc), then `--resume` to the end: the first run writes what
/// was answered (read as `check` reads it: 和暦, 全角 digits, 〒, ひらがな), the second asks
/// only the rest (「期間の定めがない」 → no end date asked), and `check` finds the claim
/// complete and eligible.
#[test]
fn save_and_quit_then_resume_gives_a_claim_check_accepts() {
    let dir = tmp();
    let first: &[(&str, &str)] = &[
        ("claim.application_date", "令和２年１０月１０日"),
        ("claim.round", "1回目"),
        ("claim.applied_by_representative", "はい"),
        ("establishment.name", "(株)ろうあん"),
        ("establishment.name_kana", "かぶしきがいしゃ ろーわん"),
        ("establishment.postal_code", "〒２１１－００２１"),
        (
            "establishment.address",
            "神奈川県川崎市中原区木月住吉町1番1号",
        ),
        ("establishment.workers", "３５"),
        ("establishment.dispatched_workers", "5"),
        ("establishment.entity", "法人"),
        ("establishment.corporate_number", "3020001234567"),
        (
            "establishment.labour_insurance_number",
            "14-1-01-123456-000",
        ),
        ("establishment.representative.title", ESC),
    ];
    let mut p = Pty::spawn_sized(
        &[
            "new",
            "--grant",
            "産業医",
            "-o",
            "claim.toml",
            "--today",
            "2020-10-10",
        ],
        dir.path(),
        80,
        30,
    );
    let asked = drive(&mut p, first);
    assert_eq!(asked.len(), first.len(), "{asked:?}");
    let code = p.wait();
    let screen = p.screen();
    assert_eq!(code, 1, "saved before the end: {screen}");
    assert!(
        screen.contains("途中まで保存しました: claim.toml"),
        "{screen}"
    );
    assert_fits_80_columns(&screen);
    let saved = std::fs::read_to_string(dir.path().join("claim.toml")).unwrap();
    for line in [
        "application_date = 2020-10-10",
        "name_kana = \"カブシキガイシャ ローワン\"",
        "postal_code = \"211-0021\"",
        "workers = 35",
    ] {
        assert!(saved.contains(line), "{line}\n{saved}");
    }
    assert!(saved.starts_with("# 書きかけのファイルです。"), "{saved}");
    // No section without a line under it (nothing of [bank] was asked yet).
    assert!(!saved.contains("[bank]"), "{saved}");
    let (code, out) = check(dir.path(), "claim.toml", "2020-10-10");
    assert_eq!(code, 1, "incomplete: {out}");

    let rest: &[(&str, &str)] = &[
        ("establishment.representative.title", "代表取締役"),
        ("establishment.representative.name", "労安 一郎"),
        (
            "establishment.representative.name_kana",
            "ろーわん いちろう",
        ),
        ("establishment.contact.department", "総務課"),
        ("establishment.contact.name", "川崎 花子"),
        ("establishment.contact.name_kana", "カワサキ ハナコ"),
        ("establishment.contact.phone", "０４４－４３１－８６６１"),
        ("establishment.contact.fax", "044-411-5531"),
        ("sangyoui.provider_kind", "産業医の要件を備えた医師"),
        ("sangyoui.provider_name", "健康 太郎"),
        ("sangyoui.physician_qualification", "日医認定産業医"),
        ("sangyoui.provider_is_external", "はい"),
        ("sangyoui.contract_with_corporation", "いいえ"),
        ("sangyoui.contract_date", "2019/10/15"),
        ("sangyoui.contract_start", "R1.11.1"),
        ("sangyoui.contract_open_ended", "ない"),
        ("sangyoui.contract_has_consultation_clause", "はい"),
        ("sangyoui.mechanism_set_up_on", "2020-04-02"),
        (
            "sangyoui.mechanism",
            "産業医来所日に直接健康相談窓口を開設した。",
        ),
        ("sangyoui.notice_started_on", "2020-04-19"),
        ("sangyoui.notice_department", "総務課"),
        ("sangyoui.notice_name", "川崎 花子"),
        ("sangyoui.notice_method", "社内掲示板と社内報で周知した。"),
        ("sangyoui.period_from", "2019-11"),
        ("sangyoui.period_to", "令和2年4月"),
        ("sangyoui.contract_states.content_and_period", "はい"),
        ("sangyoui.contract_states.cost", "はい"),
        ("sangyoui.contract_states.consultation_mechanism", "はい"),
        ("sangyoui.contract_states.establishment_name", "はい"),
        ("previous_claims", "いいえ（次へ）"),
        ("labour_insurance.covered", "はい"),
        ("labour_insurance.delegated_to_association", "いいえ"),
        ("labour_insurance.bulk_payment_by_head_office", "いいえ"),
        ("bank.holder_kind", "法人名義"),
        ("bank.bank_name", "ろうあん銀行"),
        ("bank.branch_name", "木月支店"),
        ("bank.holder_kana", "カ）ローワン"),
        ("declarations.premium_arrears", "いいえ"),
        ("declarations.fraud_suspension", "いいえ"),
        ("declarations.organized_crime", "いいえ"),
        ("declarations.subversive_group", "いいえ"),
        ("declarations.bankrupt", "いいえ"),
        ("declarations.labour_law_violation", "いいえ"),
        ("declarations.consent_to_publication", "はい"),
        ("attachments.contract_copy", "はい"),
        ("attachments.qualification_proof", "はい"),
        ("attachments.insurance_declaration", "はい"),
        ("attachments.bank_passbook", "はい"),
        ("attachments.return_envelope", "はい"),
    ];
    let mut p = Pty::spawn_sized(
        &["new", "--resume", "claim.toml", "--today", "2020-10-10"],
        dir.path(),
        80,
        30,
    );
    let asked = drive(&mut p, rest);
    let code = p.wait();
    let screen = p.screen();
    assert_eq!(code, 0, "{screen}");
    assert_fits_80_columns(&screen);
    assert_eq!(
        asked.first().map(String::as_str),
        Some("establishment.representative.title")
    );
    assert!(
        !asked.iter().any(|k| k == "sangyoui.contract_end"),
        "{asked:?}"
    );
    // c: a contract with a physician in person names no 勤務医.
    let expected: Vec<&str> = rest.iter().map(|(k, _)| *k).collect();
    assert_eq!(asked, expected);
    let text = std::fs::read_to_string(dir.path().join("claim.toml")).unwrap();
    assert!(!text.contains("書きかけ"), "{text}");
    assert!(text.contains("contract_open_ended = true"), "{text}");
    assert!(!text.contains("contract_end"), "{text}");
    assert!(text.contains("contract_start = 2019-11-01"), "{text}");
    assert!(text.contains("period_to = \"2020-04\""), "{text}");
    // Every section has a line under it.
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with('[') {
            let next = lines.get(i + 1).copied().unwrap_or("");
            assert!(
                !next.is_empty() && !next.starts_with('['),
                "empty section {l}\n{text}"
            );
        }
    }
    let (code, out) = check(dir.path(), "claim.toml", "2020-10-10");
    assert_eq!(code, 0, "{out}\n{text}");
    assert!(out.contains("支給要件を満たしています"), "{out}");
}

/// Copies a folder (the example book) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Every file under a folder with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.insert(p.clone(), std::fs::read(&p).unwrap());
        }
    }
    out
}

/// `new --book BOOK --client 01-ろうあん`: the client's profile is not asked and not
/// copied; the round and earlier claims come from the book; the new claim is written into
/// the client's claims/ beside the existing one, which is untouched; saved half-way, it is
/// finished with `--resume`, and `check` judges it with the profile and the history.
#[test]
fn a_book_client_starts_from_its_profile() {
    let dir = tmp();
    let book = dir.path().join("book");
    copy_dir(Path::new("examples/book"), &book);
    let before = snapshot(&book);
    let first: &[(&str, &str)] = &[
        ("claim.application_date", "令和2年11月20日"),
        ("claim.applied_by_representative", "はい"),
        ("establishment.corporate_number", ESC),
    ];
    let mut p = Pty::spawn_sized(
        &[
            "new",
            "--book",
            "book",
            "--client",
            "01-ろうあん",
            "--grant",
            "産業医",
            "--today",
            "2020-11-20",
        ],
        dir.path(),
        80,
        30,
    );
    let asked = drive(&mut p, first);
    assert_eq!(asked.len(), first.len(), "{asked:?}");
    assert_eq!(p.wait(), 1, "{}", p.screen());
    assert!(
        p.screen().contains("client.toml の事実（"),
        "{}",
        p.screen()
    );
    let claim = "book/01-ろうあん/claims/2020-産業医活動.toml";
    let after = snapshot(&book);
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{} changed", path.display());
    }
    // One new file (and the writer's record of the files it wrote).
    let new: Vec<_> = after
        .keys()
        .filter(|p| !before.contains_key(*p))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(new, [&dir.path().join(claim)], "{:?}", after.keys());
    let saved = std::fs::read_to_string(dir.path().join(claim)).unwrap();
    // Neither the profile's facts nor 「わからない」 for them.
    assert!(!saved.contains("name"), "{saved}");
    assert!(!saved.contains("[bank]"), "{saved}");

    let rest: &[(&str, &str)] = &[
        ("establishment.corporate_number", ""),
        ("sangyoui.provider_kind", "産業医の要件を備えた医師"),
        ("sangyoui.provider_name", "健康 太郎"),
        ("sangyoui.physician_qualification", "日医認定産業医"),
        ("sangyoui.provider_is_external", "はい"),
        ("sangyoui.contract_with_corporation", "いいえ"),
        ("sangyoui.contract_date", "2019-10-15"),
        ("sangyoui.contract_start", "2019-11-01"),
        ("sangyoui.contract_open_ended", "ある"),
        ("sangyoui.contract_end", "2021-10-31"),
        ("sangyoui.contract_has_consultation_clause", "はい"),
        ("sangyoui.mechanism_set_up_on", "2020-04-02"),
        (
            "sangyoui.mechanism",
            "産業医来所日に直接健康相談窓口を開設した。",
        ),
        ("sangyoui.notice_started_on", "2020-04-19"),
        ("sangyoui.notice_department", "総務課"),
        ("sangyoui.notice_name", "川崎 花子"),
        ("sangyoui.notice_method", "社内掲示板と社内報で周知した。"),
        ("sangyoui.period_from", "2020-05"),
        ("sangyoui.period_to", "2020-10"),
        ("sangyoui.contract_states.content_and_period", "はい"),
        ("sangyoui.contract_states.cost", "はい"),
        ("sangyoui.contract_states.consultation_mechanism", "はい"),
        ("sangyoui.contract_states.establishment_name", "はい"),
        ("declarations.premium_arrears", "いいえ"),
        ("declarations.fraud_suspension", "いいえ"),
        ("declarations.organized_crime", "いいえ"),
        ("declarations.subversive_group", "いいえ"),
        ("declarations.bankrupt", "いいえ"),
        ("declarations.labour_law_violation", "いいえ"),
        ("declarations.consent_to_publication", "はい"),
        ("attachments.contract_copy", "はい"),
        ("attachments.qualification_proof", "はい"),
        ("attachments.insurance_declaration", "はい"),
        ("attachments.bank_passbook", "はい"),
        ("attachments.return_envelope", "はい"),
    ];
    let mut p = Pty::spawn_sized(
        &["new", "--resume", claim, "--today", "2020-11-20"],
        dir.path(),
        80,
        30,
    );
    let asked = drive(&mut p, rest);
    let code = p.wait();
    let screen = p.screen();
    assert_eq!(code, 0, "{screen}");
    assert_fits_80_columns(&screen);
    let expected: Vec<&str> = rest.iter().map(|(k, _)| *k).collect();
    assert_eq!(asked, expected);
    let text = std::fs::read_to_string(dir.path().join(claim)).unwrap();
    assert!(text.contains("contract_end = 2021-10-31"), "{text}");
    assert!(text.contains("contract_open_ended = false"), "{text}");
    assert!(!text.contains("round ="), "the round is the book's: {text}");
    let (code, out) = check(dir.path(), claim, "2020-11-20");
    // The client's 2020 claim has no [record] (not submitted): the history counts none.
    assert!(
        out.contains("申請回数（1回目）はブックの履歴から決めました"),
        "{out}"
    );
    assert!(out.contains("支給要件を満たしています"), "{out}");
    assert_eq!(code, 0, "{out}\n{text}");
}
