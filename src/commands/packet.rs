//! `packet FILE -o DIR`: the documents a programme makes from a file's facts (the official
//! forms, a checklist, the judgement as JSON), written by the one writer.

use crate::commands::check::print_notices;
use crate::commands::load::load;
use crate::failure::Failure;
use chrono::NaiveDate;
use std::path::Path;

/// Exit 0 when the file is complete, 1 when it is not (the packet is still written when it
/// is eligible, or with `allow_ineligible`), 2 for a file or output that cannot be used.
pub fn run(
    file: &Path,
    output: &Path,
    allow_ineligible: bool,
    replace: bool,
    today: NaiveDate,
) -> Result<u8, Failure> {
    let loaded = load(file).map_err(Failure::Input)?;
    print_notices(loaded.case.notices(), false)?;
    let judged = loaded.case.judge(today, false);
    if judged.eligible() == Some(false) && !allow_ineligible {
        crate::out!("{}", judged.human(false))?;
        crate::errln!("\n要件を満たさないため、書類は作成していません。上の不適合の項目を確かめてください（それでも作成するには --allow-ineligible）。")?;
        return Ok(1);
    }
    // Refuse an output directory that cannot be used before the documents are made.
    crate::output::check_target(output, replace).map_err(Failure::Output)?;
    let packet = judged.packet().map_err(|error| Failure::Packet {
        file: file.to_path_buf(),
        error,
    })?;
    let written =
        crate::output::write_packet(output, &packet.files, replace).map_err(Failure::Output)?;
    crate::outln!(
        "{} に書類を作成しました（{}）。",
        output.display(),
        judged.verdict_line()
    )?;
    for name in &written.written {
        let mark = if written.replaced.contains(name) {
            "（置き換え）"
        } else {
            ""
        };
        crate::outln!("  {name}{mark}")?;
    }
    crate::outln!(
        "  {}（このツールが書いたファイルの記録）",
        crate::output::MANIFEST
    )?;
    if !written.removed.is_empty() {
        crate::outln!(
            "以前の出力のうち、今回は作成しないファイルを削除しました: {}",
            written.removed.join(", ")
        )?;
    }
    if !written.cleaned.is_empty() {
        crate::outln!(
            "中断された以前の実行の一時ディレクトリを削除しました: {}",
            written.cleaned.join(", ")
        )?;
    }
    crate::outln!("\n{}", packet.terminal)?;
    Ok(if judged.complete() { 0 } else { 1 })
}
