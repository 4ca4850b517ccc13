//! Official forms as page descriptions: a layout ([`Layout`], data the caller parses and
//! hands over; the format is documented in the repository's `forms/README.md`) + the
//! caller's values (a JSON value its minijinja expressions read) → [`Page`]s, plus the 別紙
//! (annexes) for values that do not fit their boxes. No PDF here, and no knowledge of which
//! layout belongs to what: the caller chooses it.

pub mod flow;
pub mod layout;
pub mod render;

use std::fmt;

pub use flow::{flow_check, flow_pages};
pub use layout::Layout;
pub use render::MAX_ROWS_PER_TABLE;

use crate::page::Page;

const ANNEX_TEMPLATE: &str = include_str!("../../../../templates/annex.txt.j2");

/// A rendered form: its pages and the 別紙 its overflowing values need.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedForm {
    pub pages: Vec<Page>,
    pub annexes: Vec<Annex>,
}

/// What a 別紙 must contain.
#[derive(Debug, Clone, PartialEq)]
pub struct Annex {
    /// The N of 「別紙N」 (referenced from the form's box).
    pub number: usize,
    /// e.g. 「別紙1　様式第1号「2 労働者への周知状況」周知方法」.
    pub title: String,
    /// Form name and field label the 別紙 belongs to.
    pub form: String,
    pub field: String,
    /// Who files the form ([`RenderOptions::applicant`]), printed under the title.
    pub applicant: String,
    pub body: AnnexBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnnexBody {
    /// The full text of a free-text box.
    Text(String),
    /// Table rows that continue on the 別紙, with the table's column headings.
    Rows {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Options for [`render_form`].
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Number of the first 別紙 this form may create (a packet numbers them across forms).
    pub first_annex: usize,
    /// Who files the form (the 申請事業場's name), printed on every 別紙 it creates.
    pub applicant: &'a str,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            first_annex: 1,
            applicant: "",
        }
    }
}

/// Errors; messages are for the user, in Japanese.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// No layout for this form. Not raised here: for the caller that looks layouts up;
    /// `set` names where it looked, in its own words.
    UnknownForm { set: String, form: String },
    /// The layout file itself is wrong (a defect in the layout data).
    Layout { form: String, message: String },
    /// A value could not be computed (missing context key, bad template, wrong type).
    Value {
        form: String,
        field: String,
        template: String,
        message: String,
    },
    /// The fonts cannot draw a character of a value.
    Glyph {
        form: String,
        field: String,
        ch: char,
    },
    /// A one-line value is too long for its box even at the minimum size.
    TooLong {
        form: String,
        field: String,
        text: String,
    },
    /// A table has more rows than [`MAX_ROWS_PER_TABLE`] (`source` is the context list).
    TooManyRows {
        form: String,
        field: String,
        source: String,
        count: usize,
        max: usize,
    },
    /// A choice value matches none of the options.
    NoOption {
        form: String,
        field: String,
        value: String,
    },
    /// The 別紙 / text-document renderer failed.
    Document { title: String, message: String },
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::UnknownForm { set, form } => {
                write!(f, "様式がありません: {set} / {form}")
            }
            FormError::Layout { form, message } => {
                write!(f, "{form}のレイアウト定義に誤りがあります: {message}")
            }
            FormError::Value {
                form,
                field,
                template,
                message,
            } => write!(
                f,
                "{form}の欄「{field}」の値を求められません（{template}）: {message}"
            ),
            FormError::Glyph { form, field, ch } => write!(
                f,
                "{form}の欄「{field}」に使えない文字があります: {ch}（U+{:04X}）",
                *ch as u32
            ),
            FormError::TooLong { form, field, text } => {
                write!(f, "{form}の欄「{field}」が長すぎて枠に収まりません: {text}")
            }
            FormError::TooManyRows {
                form,
                field,
                count,
                max,
                ..
            } => write!(
                f,
                "{form}の欄「{field}」の行が{count}行あります。1つの表に書けるのは{max}行までです（{max}行を超える分は別紙にも載せません）"
            ),
            FormError::NoOption { form, field, value } => {
                write!(
                    f,
                    "{form}の欄「{field}」の値「{value}」は選択肢にありません"
                )
            }
            FormError::Document { title, message } => {
                write!(f, "「{title}」を作成できません: {message}")
            }
        }
    }
}

impl std::error::Error for FormError {}

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
