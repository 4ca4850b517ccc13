//! Layout data types: the schema of a form layout file (the repository's `forms/**.toml`)
//! (documented in `forms/README.md`). Pure data plus geometry helpers.

use std::collections::HashMap;

use serde::Deserialize;

use crate::page::{Face, Item};

/// One form layout file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub form: FormMeta,
    pub page: Vec<PageLayout>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormMeta {
    /// Short name used in messages and 別紙 titles, e.g. 「様式第1号」.
    pub name: String,
    /// Document title (PDF /Title), e.g. 「様式第1号 支給申請書」.
    pub title: String,
    /// The pre-printed title as it appears on the page (used by tests and callers).
    pub heading: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageLayout {
    #[serde(default)]
    pub grid: Vec<Grid>,
    #[serde(default)]
    pub line: Vec<LineDef>,
    #[serde(default)]
    pub rect: Vec<RectDef>,
    #[serde(default)]
    pub ellipse: Vec<EllipseDef>,
    #[serde(default)]
    pub text: Vec<TextDef>,
    #[serde(default)]
    pub para: Vec<ParaDef>,
    #[serde(default)]
    pub field: Vec<FieldDef>,
    /// The page's pre-printed items (everything but the fields) and its grids, drawn at
    /// its first render (they depend on nothing else): not data, and not copied by
    /// `clone` (a copy is drawn again, so a changed copy draws its own).
    #[serde(skip)]
    #[doc(hidden)]
    pub drawn: Drawn,
}

/// See [`PageLayout::drawn`].
#[derive(Default)]
pub struct Drawn(
    pub(crate)  std::sync::OnceLock<
        Result<(Vec<Item>, HashMap<String, GridGeom>), super::types::FormError>,
    >,
);

impl Clone for Drawn {
    fn clone(&self) -> Self {
        Drawn::default()
    }
}

impl std::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Drawn")
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A table drawn as lines: column widths and row heights from (`x`,`y`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// Name other items use in `cell = ["id", row, col]`.
    #[serde(default)]
    pub id: Option<String>,
    pub x: f32,
    pub y: f32,
    pub cols: Vec<f32>,
    pub rows: Vec<f32>,
    /// Inner line width (pt).
    #[serde(default = "default_inner")]
    pub width: f32,
    /// Outer border width (pt).
    #[serde(default = "default_outer")]
    pub outer: f32,
    /// Merged cells: `[row0, col0, row1, col1]`, inclusive.
    #[serde(default)]
    pub merge: Vec<[usize; 4]>,
    /// Pre-printed cell labels, centred in their cell by default.
    #[serde(default)]
    pub label: Vec<Label>,
}

fn default_inner() -> f32 {
    0.5
}
fn default_outer() -> f32 {
    0.8
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub r: usize,
    pub c: usize,
    #[serde(default)]
    pub span: Option<(usize, usize)>,
    pub text: String,
    #[serde(default)]
    pub size: Option<f32>,
    #[serde(default)]
    pub face: Face,
    #[serde(default = "center")]
    pub align: Align,
}

fn center() -> Align {
    Align::Center
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineDef {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    #[serde(default = "default_inner")]
    pub width: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectDef {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    #[serde(default = "default_inner")]
    pub width: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EllipseDef {
    pub cx: f32,
    pub cy: f32,
    pub rx: f32,
    pub ry: f32,
    #[serde(default = "default_inner")]
    pub width: f32,
}

/// Adds the placement keys shared by texts, paragraphs and fields: either an absolute
/// box (`x`,`y`,`w`,`h`) or a grid cell (`cell`, `span`) shrunk by `inset`
/// (`[left, top, right, bottom]`, mm).
macro_rules! placed {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        pub struct $name {
            $($(#[$fm])* pub $f: $t,)*
            #[serde(default)]
            pub x: Option<f32>,
            #[serde(default)]
            pub y: Option<f32>,
            #[serde(default)]
            pub w: Option<f32>,
            #[serde(default)]
            pub h: Option<f32>,
            #[serde(default)]
            pub cell: Option<(String, usize, usize)>,
            #[serde(default)]
            pub span: Option<(usize, usize)>,
            #[serde(default)]
            pub inset: Option<[f32; 4]>,
        }
        impl $name {
            pub fn place(&self) -> Place<'_> {
                Place {
                    x: self.x,
                    y: self.y,
                    w: self.w,
                    h: self.h,
                    cell: self.cell.as_ref(),
                    span: self.span,
                    inset: self.inset,
                }
            }
        }
    };
}

placed! {
    /// Pre-printed text. With only `x`,`y` it is one line at that baseline; with a box
    /// (`w`,`h` or `cell`) each `\n`-separated line is aligned in the box, vertically
    /// centred, shrunk to the box width if needed.
    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct TextDef {
        pub text: String,
        #[serde(default)]
        pub size: Option<f32>,
        #[serde(default)]
        pub face: Face,
        #[serde(default)]
        pub align: Option<Align>,
    }
}

placed! {
    /// Pre-printed paragraph wrapped into a box (top-aligned), shrinking from `size`
    /// to `min_size`; a paragraph that does not fit is a layout error.
    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ParaDef {
        pub text: String,
        #[serde(default)]
        pub size: Option<f32>,
        #[serde(default)]
        pub min_size: Option<f32>,
        #[serde(default)]
        pub face: Face,
        #[serde(default)]
        pub line_gap: Option<f32>,
        #[serde(default)]
        pub indent: Option<f32>,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Multiline,
    Rows,
    Choice,
    Check,
}

placed! {
    /// A filled-in value.
    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FieldDef {
        /// The box's printed label, used in error messages (「周知方法」).
        pub name: String,
        pub kind: FieldKind,
        /// minijinja template (text, multiline, choice, check); for check it must
        /// render to `true` or `false`.
        #[serde(default)]
        pub value: Option<String>,
        #[serde(default)]
        pub align: Option<Align>,
        #[serde(default)]
        pub size: Option<f32>,
        #[serde(default)]
        pub min_size: Option<f32>,
        #[serde(default)]
        pub face: Face,
        #[serde(default)]
        pub line_gap: Option<f32>,
        #[serde(default)]
        pub pad: Option<f32>,
        /// multiline / rows: what the 別紙 continues, e.g. 「「2 労働者への周知状況」周知方法」.
        #[serde(default)]
        pub annex: Option<String>,
        /// choice: the options.
        #[serde(default)]
        pub option: Vec<ChoiceOption>,
        /// rows: minijinja expression giving the list, e.g. `guidance`.
        #[serde(default)]
        pub source: Option<String>,
        /// rows: number of table rows available (from `cell`'s row downwards).
        #[serde(default)]
        pub rows: Option<usize>,
        /// rows: one entry per column; `value` sees the list element as `row`.
        #[serde(default)]
        pub column: Vec<RowColumn>,
        /// check: when the box is ticked, declared beside the box (see [`TickDecl`]).
        /// Without `value`, the box shows `checks[<tick.key>]` of the form context.
        #[serde(default)]
        pub tick: Option<TickDecl>,
    }
}

/// When a check box (a 様式第3号 checklist item) is ticked: the conditions, all of which
/// must hold. Declared in the layout, beside the box; decided by the caller (against its
/// findings and attachments), which passes the result as `checks[key]` of the context, the
/// only thing the renderer reads. Documented in forms/README.md.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TickDecl {
    /// The key in the form context's `checks` (`"7"`, `"1_amount"`).
    pub key: String,
    /// What the box says, for the checklist (「7 機器・設備購入費用の領収書（写）」).
    pub label: String,
    /// Rule IDs that must pass: at least one finding each, every finding pass (or an
    /// excluded item); a warning, unknown or fail leaves the box empty.
    #[serde(default)]
    pub passes: Vec<String>,
    /// Attachment IDs whose every applicable entry the applicant has marked ready.
    #[serde(default)]
    pub ready: Vec<String>,
    /// Named facts that must hold (names the caller defines), one or a list.
    #[serde(default, deserialize_with = "one_or_many")]
    pub when: Vec<String>,
    /// The box is never ticked by the tool; the reason (e.g. a seal made on paper).
    #[serde(default)]
    pub manual: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Compared with the rendered field value.
    pub value: String,
    /// The printed option (drawn by the field, circled when chosen).
    pub label: String,
    /// Left edge and baseline of the label.
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowColumn {
    /// Grid column (and optional column span).
    pub c: usize,
    #[serde(default)]
    pub cs: Option<usize>,
    /// Column heading used on the 別紙.
    pub header: String,
    pub value: String,
    #[serde(default)]
    pub align: Option<Align>,
    /// Wrap into the cell (overflow goes to the 別紙) instead of one shrinking line.
    #[serde(default)]
    pub multiline: bool,
    #[serde(default)]
    pub size: Option<f32>,
    #[serde(default)]
    pub min_size: Option<f32>,
}

/// Placement keys of one item (see `placed!`).
pub struct Place<'a> {
    pub x: Option<f32>,
    pub y: Option<f32>,
    pub w: Option<f32>,
    pub h: Option<f32>,
    pub cell: Option<&'a (String, usize, usize)>,
    pub span: Option<(usize, usize)>,
    pub inset: Option<[f32; 4]>,
}

/// A resolved box in mm (top-left origin).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxMm {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Grid geometry for cell look-ups.
#[derive(Debug, Clone)]
pub struct GridGeom {
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
}

impl GridGeom {
    pub fn of(g: &Grid) -> Self {
        let mut xs = vec![g.x];
        for c in &g.cols {
            xs.push(xs[xs.len() - 1] + c);
        }
        let mut ys = vec![g.y];
        for r in &g.rows {
            ys.push(ys[ys.len() - 1] + r);
        }
        GridGeom { xs, ys }
    }

    /// The box of cell (`r`,`c`) spanning `rs` rows and `cs` columns.
    pub fn cell(&self, r: usize, c: usize, rs: usize, cs: usize) -> Option<BoxMm> {
        let x0 = *self.xs.get(c)?;
        let x1 = *self.xs.get(c + cs.max(1))?;
        let y0 = *self.ys.get(r)?;
        let y1 = *self.ys.get(r + rs.max(1))?;
        Some(BoxMm {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        })
    }
}

/// Resolves a placement to a box; `None` for w/h when only a point was given.
pub fn resolve(
    place: &Place<'_>,
    grids: &HashMap<String, GridGeom>,
) -> Result<(f32, f32, Option<f32>, Option<f32>), String> {
    let (mut x, mut y, mut w, mut h) = if let Some((id, r, c)) = place.cell {
        let g = grids
            .get(id)
            .ok_or_else(|| format!("表「{id}」がありません"))?;
        let (rs, cs) = place.span.unwrap_or((1, 1));
        let b = g
            .cell(*r, *c, rs, cs)
            .ok_or_else(|| format!("表「{id}」にセル({r},{c})がありません"))?;
        (b.x, b.y, Some(b.w), Some(b.h))
    } else {
        let x = place.x.ok_or("x または cell がありません")?;
        let y = place.y.ok_or("y または cell がありません")?;
        (x, y, place.w, place.h)
    };
    if let Some([l, t, r, b]) = place.inset {
        x += l;
        y += t;
        w = w.map(|w| w - l - r);
        h = h.map(|h| h - t - b);
    }
    Ok((x, y, w, h))
}

/// Expands a grid into lines, leaving out the inner edges of merged cells and joining
/// collinear segments.
pub fn grid_lines(g: &Grid) -> Vec<Item> {
    let geom = GridGeom::of(g);
    let nr = g.rows.len();
    let nc = g.cols.len();
    let merged = |r: usize, c: usize| -> Option<usize> {
        g.merge
            .iter()
            .position(|m| r >= m[0] && r <= m[2] && c >= m[1] && c <= m[3])
    };
    let mut items = Vec::new();
    // Horizontal edges.
    for k in 0..=nr {
        let width = if k == 0 || k == nr { g.outer } else { g.width };
        let mut start: Option<f32> = None;
        for c in 0..nc {
            let draw = if k == 0 || k == nr {
                true
            } else {
                match (merged(k - 1, c), merged(k, c)) {
                    (Some(a), Some(b)) => a != b,
                    _ => true,
                }
            };
            if draw {
                start.get_or_insert(geom.xs[c]);
            } else if let Some(s) = start.take() {
                items.push(Item::Line {
                    x1_mm: s,
                    y1_mm: geom.ys[k],
                    x2_mm: geom.xs[c],
                    y2_mm: geom.ys[k],
                    width_pt: width,
                });
            }
        }
        if let Some(s) = start {
            items.push(Item::Line {
                x1_mm: s,
                y1_mm: geom.ys[k],
                x2_mm: geom.xs[nc],
                y2_mm: geom.ys[k],
                width_pt: width,
            });
        }
    }
    // Vertical edges.
    for k in 0..=nc {
        let width = if k == 0 || k == nc { g.outer } else { g.width };
        let mut start: Option<f32> = None;
        for r in 0..nr {
            let draw = if k == 0 || k == nc {
                true
            } else {
                match (merged(r, k - 1), merged(r, k)) {
                    (Some(a), Some(b)) => a != b,
                    _ => true,
                }
            };
            if draw {
                start.get_or_insert(geom.ys[r]);
            } else if let Some(s) = start.take() {
                items.push(Item::Line {
                    x1_mm: geom.xs[k],
                    y1_mm: s,
                    x2_mm: geom.xs[k],
                    y2_mm: geom.ys[r],
                    width_pt: width,
                });
            }
        }
        if let Some(s) = start {
            items.push(Item::Line {
                x1_mm: geom.xs[k],
                y1_mm: s,
                x2_mm: geom.xs[k],
                y2_mm: geom.ys[nr],
                width_pt: width,
            });
        }
    }
    items
}
