//! Official forms as page descriptions: layout data (`forms/<grant>/<edition>/<form>.toml`,
//! found from the folder and embedded, or added with `--editions DIR`) +
//! the form context (see `forms/README.md`) → `Page`s, plus the 別紙 (annexes) for
//! values that do not fit their boxes. No PDF here.

pub mod flow;
pub mod layout;
mod render;

use std::fmt;

pub use flow::flow_pages;
pub use layout::Layout;
pub use render::MAX_ROWS_PER_TABLE;

use crate::page::Page;
use crate::programmes::johas::edition::{DataError, FormFile, Grant};

const ANNEX_TEMPLATE: &str = include_str!("../../templates/annex.txt.j2");

/// One form of a grant/edition, as listed by [`forms_for`].
#[derive(Debug, Clone, PartialEq)]
pub struct FormInfo {
    /// Layout id: `yoshiki1`, `yoshiki2`, `yoshiki3`, `ikkatsu`.
    pub id: &'static str,
    /// 「様式第1号」 … 「労働保険料一括納付に係る証明書」.
    pub name: String,
    /// Document title for the PDF.
    pub title: String,
}

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
    /// The claimant's name (from `establishment.name`), printed under the title.
    pub establishment: String,
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

/// Options for [`render_form_with`].
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Number of the first 別紙 this form may create (a packet numbers them across forms).
    pub first_annex: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { first_annex: 1 }
    }
}

/// Errors; messages are for the user, in Japanese.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// No layout for this grant/edition/form.
    UnknownForm {
        grant: String,
        edition: String,
        form: String,
    },
    /// The layout file itself is wrong (a bug in `forms/**.toml`).
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
            FormError::UnknownForm {
                grant,
                edition,
                form,
            } => {
                write!(f, "様式がありません: {grant} / {edition} / {form}")
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

fn unknown(grant: &str, edition: &str, form: &str) -> FormError {
    FormError::UnknownForm {
        grant: grant.to_string(),
        edition: edition.to_string(),
        form: form.to_string(),
    }
}

/// The edition whose layouts an edition uses (`forms = "R2"` in its data; its own by default).
fn forms_edition<'a>(grant: &str, edition: &'a str) -> Option<(Grant, &'a str)> {
    let g = Grant::parse(grant)?;
    Some(match crate::programmes::johas::edition::find(g, edition) {
        Some(e) => (g, e.forms.as_str()),
        None => (g, edition),
    })
}

type Parsed = Vec<(
    &'static FormFile,
    std::sync::OnceLock<Result<Layout, FormError>>,
)>;

/// Every layout file, each parsed when first needed, once per process (a packet needs
/// four of them; parsing all of them at every start took 5% of a packet's time).
fn parsed() -> &'static Parsed {
    static PARSED: std::sync::OnceLock<Parsed> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        crate::programmes::johas::edition::form_files()
            .iter()
            .map(|f| (f, std::sync::OnceLock::new()))
            .collect()
    })
}

/// The parsed layout of a file listed by [`parsed`].
fn parse(
    f: &FormFile,
    cell: &'static std::sync::OnceLock<Result<Layout, FormError>>,
) -> &'static Result<Layout, FormError> {
    cell.get_or_init(|| {
        toml::from_str(&f.text).map_err(|err| FormError::Layout {
            form: f.path.clone(),
            message: err.to_string(),
        })
    })
}

/// Parses a layout (a copy of the one parsed once).
pub fn load_layout(grant: &str, edition: &str, form: &str) -> Result<Layout, FormError> {
    layout(grant, edition, form).cloned()
}

/// The parsed layout of a form of a grant/edition (following `forms = …`).
fn layout(grant: &str, edition: &str, form: &str) -> Result<&'static Layout, FormError> {
    let (g, fe) = forms_edition(grant, edition).ok_or_else(|| unknown(grant, edition, form))?;
    match parsed()
        .iter()
        .find(|(f, _)| f.grant == g && f.edition == fe && f.id == form)
        .map(|(f, cell)| parse(f, cell))
    {
        Some(Ok(layout)) => Ok(layout),
        Some(Err(e)) => Err(e.clone()),
        None => Err(unknown(grant, edition, form)),
    }
}

/// Every layout file parses: a broken one is the tool's data at fault, reported when the
/// data loads (for the bundled layouts this is a defect the tests catch).
pub fn check_layouts() -> Result<(), DataError> {
    check_layouts_of(|f| !f.bundled)
}

/// Checks every layout, bundled ones included (the unit tests).
pub fn check_all_layouts() -> Result<(), DataError> {
    check_layouts_of(|_| true)
}

fn check_layouts_of(which: impl Fn(&FormFile) -> bool) -> Result<(), DataError> {
    for (f, cell) in parsed().iter().filter(|(f, _)| which(f)) {
        if let Err(e) = parse(f, cell) {
            let message = match e {
                FormError::Layout { message, .. } => message.clone(),
                other => other.to_string(),
            };
            return Err(DataError::new(
                &f.path,
                format!("様式のレイアウトとして読めません: {message}"),
            ));
        }
    }
    Ok(())
}

/// The forms of a grant/edition: those of the edition's `packet_order` in that order (the
/// guide's submission order), then any other layout of the edition by file name. The caller
/// decides whether the 一括納付 certificate applies.
pub fn forms_for(grant: &str, edition: &str) -> Result<Vec<FormInfo>, FormError> {
    let (g, fe) = forms_edition(grant, edition).ok_or_else(|| unknown(grant, edition, "*"))?;
    let mut files: Vec<&'static FormFile> = parsed()
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| f.grant == g && f.edition == fe)
        .collect();
    let order: &[String] = crate::programmes::johas::edition::find(g, edition)
        .map(|e| e.packet_order.value.as_slice())
        .unwrap_or(&[]);
    let rank = |f: &FormFile| {
        order
            .iter()
            .position(|id| *id == f.id)
            .unwrap_or(order.len())
    };
    files.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id)));
    let mut out = Vec::new();
    for f in files {
        let layout = layout(grant, edition, &f.id)?;
        out.push(FormInfo {
            id: &f.id,
            name: layout.form.name.clone(),
            title: layout.form.title.clone(),
        });
    }
    if out.is_empty() {
        return Err(unknown(grant, edition, "*"));
    }
    Ok(out)
}

/// Renders one form against the form context; 別紙 are numbered from 1.
pub fn render_form(
    grant: &str,
    edition: &str,
    form: &str,
    ctx: &serde_json::Value,
) -> Result<RenderedForm, FormError> {
    render_form_with(grant, edition, form, ctx, RenderOptions::default())
}

/// Renders one form, numbering its 別紙 from `opts.first_annex`.
pub fn render_form_with(
    grant: &str,
    edition: &str,
    form: &str,
    ctx: &serde_json::Value,
    opts: RenderOptions,
) -> Result<RenderedForm, FormError> {
    render_form_all(grant, edition, form, ctx, opts).map_err(|mut errors| errors.remove(0))
}

/// Renders one form and, when it fails, returns every field's problem (not only the
/// first): the packet's preflight reports them all at once.
pub fn render_form_all(
    grant: &str,
    edition: &str,
    form: &str,
    ctx: &serde_json::Value,
    opts: RenderOptions,
) -> Result<RenderedForm, Vec<FormError>> {
    let layout = layout(grant, edition, form).map_err(|e| vec![e])?;
    let out = render::render(layout, ctx, opts.first_annex)?;
    Ok(RenderedForm {
        pages: out.pages,
        annexes: out.annexes,
    })
}

/// The flow-markup text of a 別紙 (from `templates/annex.txt.j2`).
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
            establishment => annex.establishment,
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

#[cfg(test)]
mod tests;
