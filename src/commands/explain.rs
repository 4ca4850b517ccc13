//! `explain`: the requirements of one edition of a programme as a readable document, in
//! the guide's order (the programme builds it from its data: `Programme::explain`). It is
//! rendered twice: as terminal text here, and as a printable HTML page.

use crate::model::doc::Explanation;
use std::fmt::Write;

/// The explanation as terminal text.
pub fn text(x: &Explanation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "■ {} {}（{}）", x.name, x.edition_name, x.edition);
    let _ = writeln!(s, "  出典: {}", x.guide);
    let _ = writeln!(s, "  ※ {}", x.status.trim_start_matches('※').trim_start());
    for sec in &x.sections {
        let _ = writeln!(s, "\n━━ {} ━━", sec.heading);
        for r in &sec.rules {
            let _ = writeln!(s, "\n  [{}] {}", r.id, r.title);
            for q in &r.quote {
                let _ = writeln!(s, "    {}: 「{q}」", x.guide_short);
            }
            let _ = writeln!(s, "    出典: {}", r.cite);
            for n in &r.numbers {
                let _ = writeln!(s, "    ・{}: {}（{}）", n.label, n.value, n.cite);
            }
            if let Some(d) = &r.decision {
                let _ = writeln!(
                    s,
                    "    {}の記述が明確でないため、本ツールは次のように判定します: {d}",
                    x.guide_short
                );
            }
        }
    }
    for b in &x.blocks {
        let _ = writeln!(s, "\n━━ {} ━━", b.heading);
        for e in &b.entries {
            let id = if e.id.is_empty() {
                String::new()
            } else {
                format!("[{}] ", e.id)
            };
            let _ = writeln!(s, "\n  {id}{}{}", e.title, e.mark);
            for (label, text) in e.lines.iter().chain(&e.extra) {
                let _ = writeln!(s, "    {label}: {text}");
            }
            if !e.cite.is_empty() {
                let _ = writeln!(s, "    出典: {}", e.cite);
            }
        }
        for l in &b.lines {
            let _ = writeln!(s, "  {l}");
        }
        if !b.cite.is_empty() {
            let _ = writeln!(s, "  出典: {}", b.cite);
        }
        for (q, c) in &b.quotes {
            let _ = writeln!(s, "  {}: 「{q}」（{c}）", x.guide_short);
        }
    }
    s
}

/// The `explain --html` page.
pub fn page(x: &Explanation) -> Result<String, crate::html::HtmlError> {
    crate::html::render(
        "explain.html.j2",
        minijinja::context! { x => minijinja::Value::from_serialize(x) },
    )
}

/// `explain GRANT [--edition E] [--html FILE]`: exit 0, or 2 for a grant, edition or file
/// that cannot be used.
pub fn run(
    grant: &str,
    edition: Option<&str>,
    html: Option<&std::path::Path>,
    replace: bool,
    today: chrono::NaiveDate,
) -> Result<u8, crate::failure::Failure> {
    let x = crate::programmes::search(grant)
        .and_then(|p| p.explain(edition, today))
        .map_err(|e| crate::failure::Failure::message(format!("エラー: {e}")))?;
    match html {
        None => {
            crate::out!("{}", text(&x))?;
            Ok(0)
        }
        Some(path) => {
            let page = match page(&x) {
                Ok(p) => p,
                Err(e) => {
                    return Err(crate::failure::Failure::message(format!("エラー: {e}")));
                }
            };
            crate::output::write_file(path, page.as_bytes(), replace)?;
            crate::outln!(
                "{} に {} {} の要件を書き出しました（{} KB、フォント埋め込み済み）。",
                path.display(),
                x.name,
                x.edition_name,
                page.len() / 1024
            )?;
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn explain_page_is_self_contained_and_has_the_font() {
        for p in crate::programmes::ALL {
            let html = super::page(&p.explain(None, day()).unwrap()).unwrap();
            assert!(html.contains("@font-face"));
            assert!(!html.contains("/*@font-face*/"));
            assert!(!html.contains("<script"));
            assert!(!html.contains("http://") && !html.contains("https://"));
            let first = &p.explain(None, day()).unwrap().sections[0].rules[0].id;
            assert!(html.contains(first.as_str()), "{}", p.id());
        }
    }
}
