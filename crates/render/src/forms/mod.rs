//! Official forms as page descriptions: a layout ([`Layout`], data the caller parses and
//! hands over; the format is documented in the repository's `forms/README.md`) + the
//! caller's values (a JSON value its minijinja expressions read) → [`Page`]s, plus the 別紙
//! (annexes) for values that do not fit their boxes. No PDF here, and no knowledge of which
//! layout belongs to what: the caller chooses it.

pub mod flow;
pub mod layout;
pub mod render;
pub mod types;

pub use flow::{flow_check, flow_pages};
pub use layout::Layout;
pub use render::MAX_ROWS_PER_TABLE;
pub use types::{Annex, AnnexBody, FormError, RenderOptions, RenderedForm};

use crate::page::Page;

const ANNEX_TEMPLATE: &str = include_str!("../../../../templates/annex.txt.j2");

/// Renders one form against `ctx`, numbering its 別紙 from `opts.first_annex`. When it
/// fails, returns every field's problem (never an empty list), not only the first: a
/// caller can report them all at once.
pub fn render_form(
    layout: &Layout,
    ctx: &serde_json::Value,
    opts: RenderOptions,
) -> Result<RenderedForm, Vec<FormError>> {
    let out = render::render(layout, ctx, opts)?;
    Ok(RenderedForm {
        pages: out.pages,
        annexes: out.annexes,
    })
}

/// The flow-markup text of a 別紙 (from the repository's `templates/annex.txt.j2`).
pub fn annex_text(annex: &Annex) -> Result<String, FormError> {
    let doc_err = |e: minijinja::Error| FormError::Document {
        title: annex.title.clone(),
        message: e.to_string(),
    };
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("literal", flow::literal_filter);
    env.add_filter("oneline", |s: String| s.replace(['\r', '\n'], " "));
    let (text, headers, rows) = match &annex.body {
        AnnexBody::Text(t) => (Some(t.clone()), Vec::new(), None),
        AnnexBody::Rows { headers, rows } => (None, headers.clone(), Some(rows.clone())),
    };
    env.render_str(
        ANNEX_TEMPLATE,
        minijinja::context! {
            title => annex.title,
            number => annex.number,
            form => annex.form,
            field => annex.field,
            applicant => annex.applicant,
            text => text,
            headers => headers,
            rows => rows,
        },
    )
    .map_err(doc_err)
}

/// The pages of a 別紙.
pub fn annex_pages(annex: &Annex) -> Result<Vec<Page>, FormError> {
    flow_pages(&annex.title, &annex_text(annex)?)
}

/// What [`annex_pages`] would fail with, without laying the pages out.
pub fn annex_check(annex: &Annex) -> Result<(), FormError> {
    flow::flow_check(&annex.title, &annex_text(annex)?)
}
