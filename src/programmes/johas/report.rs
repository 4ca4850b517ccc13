//! Human-readable (Japanese) and JSON renderings of evaluations and input errors.

use super::edition::Edition;
use super::evaluation::Evaluation;
use super::evaluation::Status;
use super::grant::{self, JohasProgramme};
use crate::model::dates::wareki;
use crate::model::findings::{yen, Outcome};
use std::fmt::Write;

/// Display width in a terminal: East Asian wide characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, to: usize) -> String {
    format!("{s}{}", " ".repeat(to.saturating_sub(width(s))))
}

pub fn verdict_line(e: &Evaluation) -> String {
    let count = |o: Outcome| e.findings.iter().filter(|f| f.outcome == o).count();
    let excluded = e.excluded_equipment().count();
    match e.eligible {
        Some(true) if excluded > 0 => {
            format!("支給要件を満たしています（対象外の機器・設備 {excluded}件は請求しません）")
        }
        Some(true) => "支給要件を満たしています".to_string(),
        Some(false) => format!(
            "支給要件を満たしていません（不適合 {}件）",
            count(Outcome::Fail)
        ),
        None => format!(
            "判定できません（不明 {}件: 申請ファイルに書かれていない事実があります）",
            count(Outcome::Unknown)
        ),
    }
}

fn edition_of(e: &Evaluation) -> Option<&'static Edition> {
    super::editions::find(grant::grant(&e.grant)?, &e.edition)
}

/// The `check` report for one file.
pub fn human(e: &Evaluation, verbose: bool) -> String {
    let mut s = String::new();
    let ed = edition_of(e);
    let _ = writeln!(s, "■ {}", e.file);
    if let Some(ed) = ed {
        let _ = writeln!(
            s,
            "  {} {}（{}）",
            ed.grant_name, ed.edition_name, ed.edition
        );
        let _ = writeln!(
            s,
            "  様式: {}年度の様式・版の表示 {}",
            ed.form_fiscal_year.value, ed.edition_mark
        );
    }
    let _ = writeln!(s, "  判定: {}", verdict_line(e));
    let amount = match e.eligible {
        Some(true) => format!("{}円", yen(e.amount_yen)),
        Some(false) => "0円（不支給）".to_string(),
        None => format!(
            "{}円（判定できない項目が解消された場合）",
            yen(e.amount_yen)
        ),
    };
    let _ = writeln!(s, "  助成金額: {amount}");
    // A grant paid in numbered rounds says which this is.
    let round = if grant::grant(&e.grant).is_some_and(|g: &JohasProgramme| g.uses().round) {
        format!("、{}回目", e.round)
    } else {
        String::new()
    };
    match &e.window {
        Some(w) => {
            let _ = writeln!(
                s,
                "  申請期間: {}～{}（申請日 {}{round}）",
                wareki(w.from),
                wareki(w.to),
                wareki(e.application_date)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "  申請期間: 計算できません（申請日 {}{round}）",
                wareki(e.application_date)
            );
        }
    }
    if e.edition_status.closed {
        let note = ed.map(|x| x.successor_note.as_str()).unwrap_or("");
        let _ = writeln!(
            s,
            "  ※ {}判定は当時の手引に照らした参考結果です。{note}",
            crate::model::dates::closed_edition(
                &wareki(e.edition_status.application_closes),
                e.edition_status.checked_on
            )
        );
    }

    let _ = writeln!(s, "\n  金額の内訳:");
    for st in &e.amount_stages {
        let _ = writeln!(s, "    {} {:>10}円", pad(&st.name, 52), yen(st.yen));
    }

    if !e.equipment.is_empty() {
        let _ = writeln!(s, "\n  機器・設備（{}件）:", e.equipment.len());
        for item in &e.equipment {
            let state = if item.claimed {
                "請求する"
            } else {
                Outcome::Excluded.label()
            };
            let _ = writeln!(
                s,
                "    {}. {}（{}円 × {} = {}円）: {state}",
                item.index,
                item.name,
                yen(item.unit_price_yen),
                item.quantity,
                yen(item.total_yen)
            );
            for f in e
                .findings
                .iter()
                .filter(|f| f.item == Some(item.index) && f.outcome == Outcome::Excluded)
            {
                let _ = writeln!(s, "        {} {}: {}", f.rule, f.title, f.message);
                let _ = writeln!(s, "        出典: {}", f.citation);
            }
        }
        if e.excluded_equipment().next().is_some() {
            let _ = writeln!(
                s,
                "    ※ 対象外の機器・設備は助成金額にも申請書にも含めません。申請のほかの部分は対象のままです（不適合とは違います）。"
            );
        }
    }

    // Excluded items are listed above with the equipment, apart from the failures.
    let shown: Vec<_> = e
        .findings
        .iter()
        .filter(|f| {
            if verbose {
                true
            } else {
                !matches!(f.outcome, Outcome::Pass | Outcome::Excluded)
            }
        })
        .collect();
    let heading = if verbose {
        "すべての判定項目"
    } else {
        "不適合・不明・注意の項目"
    };
    let _ = writeln!(s, "\n  {heading}（{}件）:", shown.len());
    if shown.is_empty() {
        let _ = writeln!(s, "    なし");
    }
    for f in shown {
        let _ = writeln!(s, "    [{}] {} {}", f.outcome.label(), f.rule, f.title);
        let _ = writeln!(s, "        {}", f.message);
        if let Some(d) = &f.decision {
            let _ = writeln!(
                s,
                "        手引の記述が明確でないため、次の解釈で判定しています: {d}"
            );
        }
        let _ = writeln!(s, "        出典: {}", f.citation);
    }

    let _ = writeln!(
        s,
        "\n  不足している添付書類（{}件）:",
        e.missing_attachments.len()
    );
    if e.missing_attachments.is_empty() {
        let _ = writeln!(s, "    なし");
    }
    for a in &e.missing_attachments {
        let key = a
            .key
            .as_ref()
            .map(|k| format!("（用意できたら [attachments] {k} = true）"))
            .unwrap_or_default();
        let _ = writeln!(s, "    - {} {}{key}", a.id, a.name);
    }
    let count = |st: Status| e.attachments.iter().filter(|a| a.status == st).count();
    let _ = writeln!(
        s,
        "    （該当する提出書類 {}件: 準備済み {}件、本ツールで作成 {}件、不足 {}件）",
        e.attachments.len(),
        count(Status::Ready),
        count(Status::Generated),
        count(Status::Missing)
    );
    s
}

pub fn json(e: &Evaluation) -> String {
    serde_json::to_string(e).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
}
