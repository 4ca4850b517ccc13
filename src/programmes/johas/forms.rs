//! Which layout belongs to which edition. The layouts are data
//! (`forms/<grant>/<edition>/<form>.toml`, found by build.rs and embedded, or added with
//! `--editions DIR`), each parsed once, when first needed. Rendering them is the render
//! crate's ([`johas_render::forms`], re-exported here): it takes the parsed layout and
//! the form context from the caller and knows no edition.

use crate::programmes::johas::edition::{DataError, Edition, FormFile};

pub use johas_render::forms::{
    annex_check, annex_pages, annex_text, flow, flow_check, flow_pages, layout, render,
    render_form, Annex, AnnexBody, FormError, Layout, RenderOptions, RenderedForm,
    MAX_ROWS_PER_TABLE,
};

/// One form of an edition, as listed by [`forms_for`].
#[derive(Debug, Clone)]
pub struct FormInfo {
    /// Layout id: `yoshiki1`, `yoshiki2`, `yoshiki3`, `ikkatsu`.
    pub id: &'static str,
    /// 「様式第1号」 … 「労働保険料一括納付に係る証明書」.
    pub name: String,
    /// Document title for the PDF.
    pub title: String,
    /// The parsed layout.
    pub layout: &'static Layout,
}

/// The error for a form the edition has no layout for.
fn unknown(edition: &Edition, form: &str) -> FormError {
    FormError::UnknownForm {
        set: format!("{} / {}", edition.grant.id(), edition.edition),
        form: form.to_string(),
    }
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
        crate::programmes::johas::editions::form_files()
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

/// The layout files of an edition's forms (following `forms = …`: the edition whose
/// layouts it uses).
fn files_of(
    edition: &Edition,
) -> impl Iterator<
    Item = &'static (
        &'static FormFile,
        std::sync::OnceLock<Result<Layout, FormError>>,
    ),
> + '_ {
    parsed()
        .iter()
        .filter(move |(f, _)| f.grant == edition.grant && f.edition == edition.forms)
}

/// The parsed layout of one form of an edition.
pub fn layout_of(edition: &Edition, form: &str) -> Result<&'static Layout, FormError> {
    match files_of(edition)
        .find(|(f, _)| f.id == form)
        .map(|(f, cell)| parse(f, cell))
    {
        Some(Ok(layout)) => Ok(layout),
        Some(Err(e)) => Err(e.clone()),
        None => Err(unknown(edition, form)),
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

/// The forms of an edition: those of its `packet_order` in that order (the guide's
/// submission order), then any other layout of the edition by file name. The caller
/// decides whether the 一括納付 certificate applies.
pub fn forms_for(edition: &Edition) -> Result<Vec<FormInfo>, FormError> {
    let mut files: Vec<&'static FormFile> = files_of(edition).map(|(f, _)| *f).collect();
    let order: &[String] = &edition.packet_order.value;
    let rank = |f: &FormFile| {
        order
            .iter()
            .position(|id| *id == f.id)
            .unwrap_or(order.len())
    };
    files.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id)));
    let mut out = Vec::new();
    for f in files {
        let layout = layout_of(edition, &f.id)?;
        out.push(FormInfo {
            id: &f.id,
            name: layout.form.name.clone(),
            title: layout.form.title.clone(),
            layout,
        });
    }
    if out.is_empty() {
        return Err(unknown(edition, "*"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
