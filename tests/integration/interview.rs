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
    p.expect("なぜ: [SC-E1] 小規模事業場（常時50人未満の労働者） — 手引「常時 50 人未満の労働者を使用する事業場をいう。");
    p.answer("常時使用する労働者数", "ひゃく\r");
    p.expect("半角の整数");
    p.send("\x7f\x7f\x7f35\r");
    // Facts the example does not give either: 「わからない」.
    p.answer("（establishment.corporate_number）", "\r");
    p.answer("（establishment.labour_insurance_number）", "わからない\r");
    p.answer("周知方法", "社内掲示板と社内報で周知した。\r");
    p.answer("（previous_claims）", "\r"); // none
    p.answer("5 倒産している", &format!("{DOWN}\r")); // いいえ
    p.answer("用意できましたか（attachments.return_envelope）", "\r"); // はい
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
    p.answer("今回の申請は何回目", "\r");
    p.answer("代表者が申請しますか", "\r");
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
    p.expect("この回答では支給要件を満たしません");
    p.expect("労働者数 52名");
    p.expect("が49名以下なら適合");
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
    p.answer("代表者が申請しますか", "\r");
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
    p.answer("代表者が申請しますか", "\r"); // はい

    // Facts: 「わからない」 (Enter on a text, the last item of a choice); lists: none.
    let d = |n: usize| format!("{}\r", DOWN.repeat(n));
    let (enter, bool_unknown) = ("\r".to_string(), d(2));
    let seq: Vec<(&str, String)> = vec![
        ("establishment.name", enter.clone()),
        ("establishment.name_kana", enter.clone()),
        ("establishment.postal_code", enter.clone()),
        ("establishment.address", enter.clone()),
        ("establishment.workers", enter.clone()),
        ("establishment.dispatched_workers", enter.clone()),
        ("establishment.entity", d(2)),
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
        ("shokuba.expert_qualification", d(10)),
        ("shokuba.contract_date", enter.clone()),
        (
            "shokuba.evaluation_used_other_information",
            bool_unknown.clone(),
        ),
        ("shokuba.plan_made_on", enter.clone()),
        ("shokuba.expert_confirmed_on", enter.clone()),
        ("shokuba.guidance_fee_yen", enter.clone()),
        ("shokuba.guidance_receipt_shared", bool_unknown.clone()),
        ("shokuba.guidance", enter.clone()),
        ("shokuba.improvements", enter.clone()),
        ("shokuba.equipment", enter.clone()),
        ("previous_claims", enter.clone()),
        ("labour_insurance.covered", bool_unknown.clone()),
        (
            "labour_insurance.delegated_to_association",
            bool_unknown.clone(),
        ),
        (
            "labour_insurance.bulk_payment_by_head_office",
            bool_unknown.clone(),
        ),
        ("bank.holder_kind", d(2)),
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
        p.answer(&format!("（attachments.{key}）"), "\r");
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
