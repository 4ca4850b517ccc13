//! `report FILE --html OUT`: a file explained for a meeting, on one printable page — a
//! file alone or in a book, or a book client's folder (every file of the client, each on
//! its own printed page). Each programme writes its own `<article>`
//! (`Judgement::report_article`); this puts them on the page and writes it.

use crate::failure::Failure;
use minijinja::Value;
use std::path::Path;

/// `report FILE --html OUT`: exit 0 when every file not yet submitted is complete, 1 when
/// not (the page is written either way), 2 for a file or output that cannot be used.
pub fn run(
    file: &Path,
    out: &Path,
    replace: bool,
    today: chrono::NaiveDate,
) -> Result<u8, Failure> {
    // A page that would be refused is refused before the work.
    crate::output::Batch::new(replace)
        .file(out, Vec::new())
        .preflight()?;
    let mut articles: Vec<String> = Vec::new();
    let mut verdicts: Vec<String> = Vec::new();
    let mut code = 0u8;
    let title;
    if file.is_dir() {
        let Some(crate::input::book::Target::Client(dir)) = crate::input::book::target_of(file)
        else {
            return Err(Failure::message(format!(
                "エラー: {} はクライアントのフォルダではありません。report には申請ファイルか、ブックのクライアントのフォルダ（client.toml のあるフォルダ）を指定してください。HTML は作成していません。",
                file.display()
            )));
        };
        let result = crate::commands::book::batch::check_client(&dir, today);
        title = result.client.display_name();
        for (i, r) in result.claims.iter().enumerate() {
            for e in &r.errors {
                crate::err!("{e}")?;
                code = 2;
            }
            let Some(j) = &r.judged else { continue };
            // As `check BOOK`: only files not yet submitted decide the exit status, and of
            // the visits' answers to one application only the newest.
            if r.state == crate::input::book::State::Open
                && r.superseded_by.is_none()
                && (!j.complete() || !r.contradictions.is_empty())
            {
                code = code.max(1);
            }
            // What moved since the previous file of the same programme (a previous visit).
            let earlier = crate::commands::book::batch::previous_of(&result.claims, i)
                .and_then(|k| result.claims[k].judged.as_deref());
            let state = match &r.superseded_by {
                Some(newer) => format!("以前の回答（判定するのは {newer}）"),
                None => r.state.label().to_string(),
            };
            articles.push(
                j.report_article_since(Some(&state), earlier)
                    .map_err(|e| Failure::message(format!("エラー: {e}")))?,
            );
            verdicts.push(j.verdict_line());
        }
        if articles.is_empty() {
            return Err(Failure::message(format!(
                "エラー: {} に判定できる申請がありません。HTML は作成していません。",
                file.display()
            )));
        }
    } else {
        let loaded = crate::commands::load::load(file)
            .map_err(|err| Failure::message(format!("{err}HTML は作成していません。")))?;
        title = loaded.case.file().to_string();
        // The same verdict and exit status as `check` (which also lays the forms out).
        let j = loaded.case.judge(today, true);
        code = if j.complete() && loaded.contradictions.is_empty() {
            0
        } else {
            1
        };
        articles.push(
            j.report_article(None)
                .map_err(|e| Failure::message(format!("エラー: {e}")))?,
        );
        verdicts.push(j.verdict_line());
    }
    let page = crate::html::render(
        "report.html.j2",
        minijinja::context! {
            title => title,
            articles => articles.into_iter().map(Value::from_safe_string).collect::<Vec<_>>(),
        },
    )
    .map_err(|e| Failure::message(format!("エラー: {e}")))?;
    crate::output::write_file(out, page.as_bytes(), replace)?;
    crate::outln!(
        "{} に判定結果を書き出しました（{}）。",
        out.display(),
        verdicts.join("／")
    )?;
    Ok(code)
}
