//! The layout engine: layout + context → page items (and 別紙 contents). [`render`] also
//! says where each field's items went ([`FieldSpan`]), so a caller's tests can check that
//! every item stays in its box.

use std::collections::HashMap;
use std::ops::Range;

use minijinja::{Environment, UndefinedBehavior};

use super::layout::{
    grid_lines, resolve, Align, BoxMm, FieldDef, FieldKind, GridGeom, Layout, PageLayout,
};
use super::types::{Annex, AnnexBody, FormError, RenderOptions};
use crate::page::{Face, Item, Page};
use crate::textfit;

pub const PT_MM: f32 = 25.4 / 72.0;
/// Baseline offset below the vertical centre of a CJK line, in ems.
const CENTER_TO_BASELINE: f32 = 0.36;
/// Ascent above the baseline, in ems (IPAex: 0.88).
pub const ASCENT: f32 = 0.88;

const DEFAULT_SIZE: f32 = 10.5;
const DEFAULT_MIN: f32 = 7.0;
const DEFAULT_GAP: f32 = 1.3;
const DEFAULT_PAD: f32 = 1.5;

/// The environment of every [`Renderer`]: minijinja's defaults, strict undefined.
fn field_env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

/// A field's template compiled once per process (as `render_str` names it, so its errors
/// read the same), in [`field_env`]; `None` when it does not compile (the caller's
/// `render_str` then gives the error). A form has a hundred templates, and compiling them
/// for every claim was a tenth of `check`.
fn compiled(source: &str) -> Option<minijinja::Template<'static, 'static>> {
    use std::sync::{OnceLock, RwLock};
    type Cache = RwLock<HashMap<&'static str, minijinja::Template<'static, 'static>>>;
    /// Layouts are data: a process sees a bounded set of templates. Past this many
    /// (a caller generating them), new ones are compiled at each use.
    const MAX: usize = 4096;
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let env = ENV.get_or_init(field_env);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(t) = cache.read().ok()?.get(source) {
        return Some(t.clone());
    }
    env.template_from_str(source).ok()?;
    let mut map = cache.write().ok()?;
    if let Some(t) = map.get(source) {
        return Some(t.clone());
    }
    if map.len() >= MAX {
        return None;
    }
    let leaked: &'static str = Box::leak(source.to_string().into_boxed_str());
    let t = env.template_from_str(leaked).ok()?;
    map.insert(leaked, t.clone());
    Some(t)
}

/// Where a field's items went (for tests: every item must stay in its box).
#[derive(Debug, Clone)]
pub struct FieldSpan {
    pub page: usize,
    pub field: String,
    pub bbox: BoxMm,
    pub items: Range<usize>,
}

/// The most rows one table (`kind = "rows"`) takes, on the form and its 別紙 together.
/// Generous: the 記載例 has 8 guidance rows and 1 improvement row; a year of weekly
/// guidance is about 50. Beyond this the input is almost surely a mistake (a pasted log),
/// and the document would be hundreds of pages; the field's error says so.
pub const MAX_ROWS_PER_TABLE: usize = 1000;

/// A rendered form with the span of every field.
pub struct Output {
    pub pages: Vec<Page>,
    pub annexes: Vec<Annex>,
    pub spans: Vec<FieldSpan>,
}

struct Renderer<'a> {
    env: Environment<'a>,
    form: &'a str,
    applicant: &'a str,
    /// The form context, converted once (rows reuse it without copying).
    ctx: minijinja::Value,
    next_annex: usize,
    annexes: Vec<Annex>,
    max_rows: usize,
    /// Every problem found so far; rendering goes on after a field fails.
    errors: Vec<FormError>,
}

/// Renders every page; on failure returns *every* field's problem, in layout order.
pub fn render(
    layout: &Layout,
    ctx: &serde_json::Value,
    opts: RenderOptions,
) -> Result<Output, Vec<FormError>> {
    render_limited(layout, ctx, opts, MAX_ROWS_PER_TABLE)
}

/// [`render`] with another row limit (tests and benchmarks measure beyond the limit).
pub fn render_limited<'a>(
    layout: &'a Layout,
    ctx: &serde_json::Value,
    opts: RenderOptions<'a>,
    max_rows: usize,
) -> Result<Output, Vec<FormError>> {
    let mut r = Renderer {
        env: field_env(),
        form: &layout.form.name,
        applicant: opts.applicant,
        ctx: minijinja::Value::from_serialize(ctx),
        next_annex: opts.first_annex,
        annexes: Vec::new(),
        max_rows,
        errors: Vec::new(),
    };
    let mut pages = Vec::new();
    let mut spans = Vec::new();
    for (pi, pl) in layout.page.iter().enumerate() {
        let mut page = Page::a4();
        if let Err(e) = r.page(pl, pi, &mut page.items, &mut spans) {
            r.errors.push(e);
        }
        pages.push(page);
    }
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(Output {
        pages,
        annexes: r.annexes,
        spans,
    })
}

fn layout_err(form: &str, what: &str, message: impl Into<String>) -> FormError {
    FormError::Layout {
        form: form.to_string(),
        message: format!("{what}: {}", message.into()),
    }
}

/// Text item with its ink box (for tests and alignment).
fn text_item(x: f32, y: f32, size: f32, face: Face, text: &str) -> Item {
    Item::Text {
        x_mm: x,
        y_mm: y,
        size_pt: size,
        face,
        text: text.to_string(),
    }
}

/// Largest size in [min, max] (0.5 pt steps) at which `text` is at most `width` wide.
fn shrink_to_width(text: &str, face: Face, max: f32, min: f32, width: f32) -> Option<f32> {
    let units = textfit::text_units(text, face);
    let mut size = max;
    loop {
        if textfit::units_to_mm(units, face, size) <= width + 0.01 {
            return Some(size);
        }
        if size - 0.5 < min - 0.001 {
            return None;
        }
        size -= 0.5;
    }
}

fn aligned_x(align: Align, x: f32, w: f32, text_w: f32) -> f32 {
    match align {
        Align::Left => x,
        Align::Center => x + (w - text_w) / 2.0,
        Align::Right => x + w - text_w,
    }
}

/// Baseline of line `i` of `n` lines of height `lh`, vertically centred in `y..y+h`.
fn centred_baseline(y: f32, h: f32, n: usize, i: usize, lh: f32, size: f32) -> f32 {
    let top = y + (h - n as f32 * lh) / 2.0;
    top + i as f32 * lh + lh / 2.0 + CENTER_TO_BASELINE * size * PT_MM
}

/// Baseline of line `i` of top-aligned lines of height `lh` starting at `top`.
fn top_baseline(top: f32, i: usize, lh: f32, size: f32) -> f32 {
    let s = size * PT_MM;
    top + i as f32 * lh + (lh - s) / 2.0 + ASCENT * s
}

impl<'a> Renderer<'a> {
    /// The pre-printed items of a page (grids, lines, labels, texts, paragraphs) and its
    /// grids by id: the same for every claim.
    fn statics(
        &self,
        pl: &PageLayout,
    ) -> Result<(Vec<Item>, HashMap<String, GridGeom>), FormError> {
        let form = self.form;
        let mut items = Vec::new();
        let items = &mut items;
        let mut grids = HashMap::new();
        for g in &pl.grid {
            let sum_c: f32 = g.cols.iter().sum();
            if g.cols.is_empty() || g.rows.is_empty() || !sum_c.is_finite() {
                return Err(layout_err(form, "表", "列・行がありません"));
            }
            if let Some(id) = &g.id {
                grids.insert(id.clone(), GridGeom::of(g));
            }
            items.extend(grid_lines(g));
        }
        for l in &pl.line {
            items.push(Item::Line {
                x1_mm: l.x1,
                y1_mm: l.y1,
                x2_mm: l.x2,
                y2_mm: l.y2,
                width_pt: l.width,
            });
        }
        for r in &pl.rect {
            items.push(Item::Rect {
                x_mm: r.x,
                y_mm: r.y,
                w_mm: r.w,
                h_mm: r.h,
                width_pt: r.width,
            });
        }
        for e in &pl.ellipse {
            items.push(Item::Ellipse {
                cx_mm: e.cx,
                cy_mm: e.cy,
                rx_mm: e.rx,
                ry_mm: e.ry,
                width_pt: e.width,
            });
        }
        // Grid labels.
        for g in &pl.grid {
            let geom = GridGeom::of(g);
            for lab in &g.label {
                let (rs, cs) = lab.span.unwrap_or((1, 1));
                let b = geom
                    .cell(lab.r, lab.c, rs, cs)
                    .ok_or_else(|| layout_err(form, &lab.text, "セルがありません"))?;
                let size = lab.size.unwrap_or(10.0);
                self.static_box(items, &lab.text, lab.face, size, lab.align, b)?;
            }
        }
        for t in &pl.text {
            let size = t.size.unwrap_or(DEFAULT_SIZE);
            self.glyphs(&t.text, t.face, "（印刷文字）")?;
            let (x, y, w, h) =
                resolve(&t.place(), &grids).map_err(|m| layout_err(form, &t.text, m))?;
            match (w, h) {
                (Some(w), Some(h)) => {
                    let align = t.align.unwrap_or(if t.cell.is_some() {
                        Align::Center
                    } else {
                        Align::Left
                    });
                    self.static_box(items, &t.text, t.face, size, align, BoxMm { x, y, w, h })?;
                }
                (Some(w), None) => {
                    let tw = textfit::text_width_mm(&t.text, t.face, size);
                    let ax = aligned_x(t.align.unwrap_or(Align::Left), x, w, tw);
                    items.push(text_item(ax, y, size, t.face, &t.text));
                }
                _ => items.push(text_item(x, y, size, t.face, &t.text)),
            }
        }
        for p in &pl.para {
            self.glyphs(&p.text, p.face, "（印刷文字）")?;
            let (x, y, w, h) =
                resolve(&p.place(), &grids).map_err(|m| layout_err(form, &p.text, m))?;
            let (Some(w), Some(h)) = (w, h) else {
                return Err(layout_err(form, &p.text, "段落には幅と高さが必要です"));
            };
            let size = p.size.unwrap_or(DEFAULT_SIZE);
            let min = p.min_size.unwrap_or(size);
            let gap = p.line_gap.unwrap_or(DEFAULT_GAP);
            let indent = p.indent.unwrap_or(0.0);
            let fit = textfit::fit(&p.text, p.face, size, min, w - indent, h, gap);
            if !fit.overflow.is_empty() {
                return Err(layout_err(form, &p.text, "段落が枠に収まりません"));
            }
            let lh = textfit::line_height_mm(fit.size_pt, gap);
            for (i, line) in fit.lines.iter().enumerate() {
                // A hanging indent: continuation lines start at x + indent.
                let lx = if i == 0 { x } else { x + indent };
                items.push(text_item(
                    lx,
                    top_baseline(y, i, lh, fit.size_pt),
                    fit.size_pt,
                    p.face,
                    line,
                ));
            }
        }
        Ok((std::mem::take(items), grids))
    }

    fn page(
        &mut self,
        pl: &'a PageLayout,
        pi: usize,
        items: &mut Vec<Item>,
        spans: &mut Vec<FieldSpan>,
    ) -> Result<(), FormError> {
        // Drawn once per layout page (`PageLayout::drawn`), copied for each claim.
        let grids = match pl.drawn.0.get_or_init(|| self.statics(pl)) {
            Ok((drawn, grids)) => {
                items.extend(drawn.iter().cloned());
                grids
            }
            Err(e) => return Err(e.clone()),
        };
        for f in &pl.field {
            let start = items.len();
            match self.field(f, &grids, items) {
                Ok(bbox) => spans.push(FieldSpan {
                    page: pi,
                    field: f.name.clone(),
                    bbox,
                    items: start..items.len(),
                }),
                Err(e) => {
                    // Keep going: the caller wants every field's problem at once.
                    items.truncate(start);
                    self.errors.push(e);
                }
            }
        }
        Ok(())
    }

    /// Pre-printed text centred vertically in a box, one line per `\n`.
    fn static_box(
        &self,
        items: &mut Vec<Item>,
        text: &str,
        face: Face,
        size: f32,
        align: Align,
        b: BoxMm,
    ) -> Result<(), FormError> {
        self.glyphs(text, face, "（印刷文字）")?;
        let lines: Vec<&str> = text.split('\n').collect();
        let pad = 1.0;
        let mut s = size;
        for l in &lines {
            let fitted = shrink_to_width(l, face, size, 5.0, b.w - 2.0 * pad)
                .ok_or_else(|| layout_err(self.form, text, "見出しがセルに収まりません"))?;
            s = s.min(fitted);
        }
        let lh = textfit::line_height_mm(s, 1.2);
        for (i, l) in lines.iter().enumerate() {
            let tw = textfit::text_width_mm(l, face, s);
            let x = aligned_x(align, b.x + pad, b.w - 2.0 * pad, tw);
            items.push(text_item(
                x,
                centred_baseline(b.y, b.h, lines.len(), i, lh, s),
                s,
                face,
                l,
            ));
        }
        Ok(())
    }

    fn glyphs(&self, text: &str, face: Face, field: &str) -> Result<(), FormError> {
        if let Some(ch) = textfit::missing_glyphs(text, face).first() {
            return Err(FormError::Glyph {
                form: self.form.to_string(),
                field: field.to_string(),
                ch: *ch,
            });
        }
        Ok(())
    }

    fn eval(
        &self,
        field: &str,
        template: &str,
        ctx: &minijinja::Value,
    ) -> Result<String, FormError> {
        let rendered = match compiled(template) {
            Some(t) => t.render(ctx),
            None => self.env.render_str(template, ctx),
        };
        rendered.map_err(|e| FormError::Value {
            form: self.form.to_string(),
            field: field.to_string(),
            template: template.to_string(),
            message: error_chain(&e),
        })
    }

    fn take_annex_number(&mut self) -> usize {
        let n = self.next_annex;
        self.next_annex += 1;
        n
    }

    fn annex_title(&self, n: usize, f: &FieldDef) -> String {
        let what = f.annex.clone().unwrap_or_else(|| format!("「{}」", f.name));
        format!("別紙{n}　{}{what}", self.form)
    }

    fn field(
        &mut self,
        f: &'a FieldDef,
        grids: &HashMap<String, GridGeom>,
        items: &mut Vec<Item>,
    ) -> Result<BoxMm, FormError> {
        let form = self.form;
        let lerr = |m: &str| layout_err(form, &f.name, m);
        let (x, y, w, h) = if f.kind == FieldKind::Choice {
            (0.0, 0.0, None, None)
        } else {
            resolve(&f.place(), grids).map_err(|m| lerr(&m))?
        };
        let size = f.size.unwrap_or(DEFAULT_SIZE);
        let min = f.min_size.unwrap_or(DEFAULT_MIN).min(size);
        let pad = f.pad.unwrap_or(DEFAULT_PAD);
        // A check box with a declared tick shows `checks[key]` (see `TickDecl`).
        let tick_t = f
            .tick
            .as_ref()
            .map(|t| format!("{{{{ checks[{:?}] }}}}", t.key));
        let value_t = || {
            f.value
                .as_deref()
                .or(tick_t.as_deref())
                .ok_or_else(|| lerr("value がありません"))
        };
        match f.kind {
            FieldKind::Text => {
                let (Some(w), Some(h)) = (w, h) else {
                    return Err(lerr("幅と高さが必要です"));
                };
                let b = BoxMm { x, y, w, h };
                let v = self.eval(&f.name, value_t()?, &self.ctx)?;
                self.single_line(
                    items,
                    f,
                    &v,
                    b,
                    pad,
                    size,
                    min,
                    f.align.unwrap_or(Align::Left),
                )?;
                Ok(b)
            }
            FieldKind::Multiline => {
                let (Some(w), Some(h)) = (w, h) else {
                    return Err(lerr("幅と高さが必要です"));
                };
                let b = BoxMm { x, y, w, h };
                let v = self.eval(&f.name, value_t()?, &self.ctx)?;
                self.glyphs(&v, f.face, &f.name)?;
                let gap = f.line_gap.unwrap_or(DEFAULT_GAP);
                let inner = BoxMm {
                    x: x + pad,
                    y: y + pad,
                    w: w - 2.0 * pad,
                    h: h - 2.0 * pad,
                };
                let fit = textfit::fit(&v, f.face, size, min, inner.w, inner.h, gap);
                if fit.overflow.trim().is_empty() {
                    self.lines_top(
                        items,
                        &fit.lines,
                        fit.size_pt,
                        gap,
                        f.face,
                        inner,
                        f.align.unwrap_or(Align::Left),
                    );
                } else {
                    let n = self.take_annex_number();
                    let title = self.annex_title(n, f);
                    self.annexes.push(Annex {
                        number: n,
                        title,
                        form: form.to_string(),
                        field: f.name.clone(),
                        applicant: self.applicant.to_string(),
                        body: AnnexBody::Text(v),
                    });
                    let note = format!("別紙{n}のとおり");
                    self.single_line(items, f, &note, b, pad, size, min, Align::Left)?;
                }
                Ok(b)
            }
            FieldKind::Choice => {
                let v = self.eval(&f.name, value_t()?, &self.ctx)?;
                let Some(chosen) = f.option.iter().position(|o| o.value == v.trim()) else {
                    return Err(FormError::NoOption {
                        form: form.to_string(),
                        field: f.name.clone(),
                        value: v,
                    });
                };
                let mut bbox: Option<BoxMm> = None;
                for (i, o) in f.option.iter().enumerate() {
                    self.glyphs(&o.label, f.face, &f.name)?;
                    items.push(text_item(o.x, o.y, size, f.face, &o.label));
                    let tw = textfit::text_width_mm(&o.label, f.face, size);
                    let s = size * PT_MM;
                    let (cx, cy) = (o.x + tw / 2.0, o.y - CENTER_TO_BASELINE * s);
                    let (rx, ry) = (tw / 2.0 + 1.8, s * 0.5 + 1.3);
                    if i == chosen {
                        items.push(Item::Ellipse {
                            cx_mm: cx,
                            cy_mm: cy,
                            rx_mm: rx,
                            ry_mm: ry,
                            width_pt: 0.8,
                        });
                    }
                    let ob = BoxMm {
                        x: cx - rx,
                        y: cy - ry,
                        w: 2.0 * rx,
                        h: 2.0 * ry,
                    };
                    bbox = Some(match bbox {
                        None => ob,
                        Some(b) => union(b, ob),
                    });
                }
                bbox.ok_or_else(|| lerr("選択肢がありません"))
            }
            FieldKind::Check => {
                // With a cell, the box sits at the cell's corner (plus inset); `w` is its side.
                let side = f.w.unwrap_or(3.6);
                let v = self.eval(&f.name, value_t()?, &self.ctx)?;
                let on = match v.trim() {
                    // minijinja prints booleans as True/False.
                    "true" | "True" => true,
                    "false" | "False" => false,
                    other => {
                        return Err(FormError::Value {
                            form: form.to_string(),
                            field: f.name.clone(),
                            template: value_t()?.to_string(),
                            message: format!("true/false ではありません: {other}"),
                        })
                    }
                };
                items.extend(check_box(x, y, side, on));
                Ok(BoxMm {
                    x,
                    y,
                    w: side,
                    h: side,
                })
            }
            FieldKind::Rows => self.rows(f, grids, items),
        }
    }

    /// One line in a box, shrinking from `size` to `min`; too long → error.
    #[allow(clippy::too_many_arguments)]
    fn single_line(
        &self,
        items: &mut Vec<Item>,
        f: &FieldDef,
        v: &str,
        b: BoxMm,
        pad: f32,
        size: f32,
        min: f32,
        align: Align,
    ) -> Result<(), FormError> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(());
        }
        self.glyphs(v, f.face, &f.name)?;
        if v.contains('\n') {
            return Err(FormError::TooLong {
                form: self.form.to_string(),
                field: f.name.clone(),
                text: v.to_string(),
            });
        }
        let avail = b.w - 2.0 * pad;
        let s = shrink_to_width(v, f.face, size, min, avail)
            .filter(|s| s * PT_MM <= b.h + 0.01)
            .ok_or_else(|| FormError::TooLong {
                form: self.form.to_string(),
                field: f.name.clone(),
                text: v.to_string(),
            })?;
        let tw = textfit::text_width_mm(v, f.face, s);
        let x = aligned_x(align, b.x + pad, avail, tw);
        let lh = s * PT_MM;
        items.push(text_item(
            x,
            centred_baseline(b.y, b.h, 1, 0, lh, s),
            s,
            f.face,
            v,
        ));
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn lines_top(
        &self,
        items: &mut Vec<Item>,
        lines: &[String],
        size: f32,
        gap: f32,
        face: Face,
        inner: BoxMm,
        align: Align,
    ) {
        let lh = textfit::line_height_mm(size, gap);
        for (i, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            let tw = textfit::text_width_mm(line, face, size);
            let x = aligned_x(align, inner.x, inner.w, tw);
            items.push(text_item(
                x,
                top_baseline(inner.y, i, lh, size),
                size,
                face,
                line,
            ));
        }
    }

    fn rows(
        &mut self,
        f: &'a FieldDef,
        grids: &HashMap<String, GridGeom>,
        items: &mut Vec<Item>,
    ) -> Result<BoxMm, FormError> {
        let form = self.form;
        let lerr = |m: &str| layout_err(form, &f.name, m);
        let (gid, r0, _) = f
            .cell
            .as_ref()
            .ok_or_else(|| lerr("rows には cell が必要です"))?;
        let geom = grids.get(gid).ok_or_else(|| lerr("表がありません"))?;
        let visible = f.rows.ok_or_else(|| lerr("rows がありません"))?;
        if visible == 0 || f.column.is_empty() {
            return Err(lerr("行数・列がありません"));
        }
        let cell = |r: usize, c: usize, cs: usize| {
            geom.cell(r0 + r, c, 1, cs)
                .ok_or_else(|| lerr("セルがありません"))
        };
        let source = f
            .source
            .as_deref()
            .ok_or_else(|| lerr("source がありません"))?;
        let value_err = |m: String| FormError::Value {
            form: form.to_string(),
            field: f.name.clone(),
            template: source.to_string(),
            message: m,
        };
        let list = self
            .env
            .compile_expression(source)
            .and_then(|e| e.eval(&self.ctx))
            .map_err(|e| value_err(error_chain(&e)))?;
        let count = list.len();
        if let Some(n) = count.filter(|n| *n > self.max_rows) {
            return Err(FormError::TooManyRows {
                form: form.to_string(),
                field: f.name.clone(),
                source: source.to_string(),
                count: n,
                max: self.max_rows,
            });
        }
        let iter = list.try_iter().map_err(|e| value_err(error_chain(&e)))?;

        // Evaluate every row's cells first. Each column's template is compiled once and
        // each row sees the context plus `row` through a merged view (no copy of the
        // context per row: that made a table quadratic in its rows).
        let mut templates = Vec::new();
        for col in &f.column {
            match self.env.template_from_str(&col.value) {
                Ok(t) => templates.push(t),
                Err(e) => {
                    return Err(FormError::Value {
                        form: form.to_string(),
                        field: f.name.clone(),
                        template: col.value.clone(),
                        message: error_chain(&e),
                    })
                }
            }
        }
        let mut values: Vec<Vec<String>> = Vec::new();
        let mut errors: Vec<FormError> = Vec::new();
        for row in iter {
            let ctx = minijinja::context! { row => row, ..self.ctx.clone() };
            let mut cells = Vec::new();
            for (col, t) in f.column.iter().zip(&templates) {
                let v = match t.render(&ctx) {
                    Ok(v) => v,
                    Err(e) => {
                        errors.push(FormError::Value {
                            form: form.to_string(),
                            field: f.name.clone(),
                            template: col.value.clone(),
                            message: error_chain(&e),
                        });
                        String::new()
                    }
                };
                if let Err(e) = self.glyphs(&v, f.face, &format!("{}（{}）", f.name, col.header))
                {
                    errors.push(e);
                }
                cells.push(v);
            }
            values.push(cells);
        }
        if !errors.is_empty() {
            // In layout order: the caller records the returned (last) one after these.
            let last = errors.pop().expect("not empty");
            self.errors.extend(errors);
            return Err(last);
        }
        let n_rows = values.len();

        let pad = f.pad.unwrap_or(DEFAULT_PAD);
        let gap = f.line_gap.unwrap_or(DEFAULT_GAP);
        // Does a row fit its cells?
        let fits = |cells: &[String], slot: usize| -> Result<bool, FormError> {
            for (col, v) in f.column.iter().zip(cells) {
                let b = cell(slot, col.c, col.cs.unwrap_or(1))?;
                let size = col.size.or(f.size).unwrap_or(DEFAULT_SIZE);
                let min = col.min_size.or(f.min_size).unwrap_or(DEFAULT_MIN).min(size);
                let ok = if col.multiline {
                    textfit::fit(v, f.face, size, min, b.w - 2.0 * pad, b.h - 2.0 * pad, gap)
                        .overflow
                        .trim()
                        .is_empty()
                } else {
                    !v.contains('\n')
                        && shrink_to_width(v.trim(), f.face, size, min, b.w - 2.0 * pad).is_some()
                };
                if !ok {
                    return Ok(false);
                }
            }
            Ok(true)
        };

        let overflow_rows = n_rows > visible;
        let mut any_overflow = overflow_rows;
        let shown = if overflow_rows { visible - 1 } else { n_rows };
        let mut fit_flags = Vec::new();
        for (i, cells) in values.iter().enumerate().take(shown) {
            let ok = fits(cells, i)?;
            any_overflow |= !ok;
            fit_flags.push(ok);
        }
        let annex_no = if any_overflow {
            Some(self.take_annex_number())
        } else {
            None
        };
        let note = annex_no
            .map(|n| format!("別紙{n}のとおり"))
            .unwrap_or_default();

        let mut annex_rows = Vec::new();
        for (i, cells) in values.iter().enumerate().take(shown) {
            // The first column is always printed; a row that does not fit gets
            // 「別紙Nのとおり」 in its other columns and moves to the 別紙 in full.
            for (ci, (col, v)) in f.column.iter().zip(cells).enumerate() {
                let b = cell(i, col.c, col.cs.unwrap_or(1))?;
                let size = col.size.or(f.size).unwrap_or(DEFAULT_SIZE);
                let min = col.min_size.or(f.min_size).unwrap_or(DEFAULT_MIN).min(size);
                let align = col.align.unwrap_or(Align::Left);
                if !fit_flags[i] {
                    let text = if ci == 0
                        && !col.multiline
                        && shrink_to_width(v.trim(), f.face, size, min, b.w - 2.0 * pad).is_some()
                    {
                        v.clone()
                    } else if ci == f.column.len() - 1 {
                        note.clone()
                    } else {
                        String::new()
                    };
                    self.single_line(items, f, &text, b, pad, size, min, align)?;
                } else if col.multiline {
                    let inner = BoxMm {
                        x: b.x + pad,
                        y: b.y + pad,
                        w: b.w - 2.0 * pad,
                        h: b.h - 2.0 * pad,
                    };
                    let fit = textfit::fit(v, f.face, size, min, inner.w, inner.h, gap);
                    self.lines_top(items, &fit.lines, fit.size_pt, gap, f.face, inner, align);
                } else {
                    self.single_line(items, f, v, b, pad, size, min, align)?;
                }
            }
            if !fit_flags[i] {
                annex_rows.push(cells.clone());
            }
        }
        if overflow_rows {
            let first = &f.column[0];
            let last_c = f
                .column
                .iter()
                .map(|c| c.c + c.cs.unwrap_or(1))
                .max()
                .unwrap_or(first.c + 1);
            let b = cell(visible - 1, first.c, last_c - first.c)?;
            let text = format!("（以下{}件、{}）", n_rows - shown, note);
            let size = f.size.unwrap_or(DEFAULT_SIZE);
            self.single_line(
                items,
                f,
                &text,
                b,
                pad,
                size,
                DEFAULT_MIN.min(size),
                Align::Center,
            )?;
            annex_rows.extend(values.iter().skip(shown).cloned());
        }
        if let Some(n) = annex_no {
            let title = self.annex_title(n, f);
            self.annexes.push(Annex {
                number: n,
                title,
                form: form.to_string(),
                field: f.name.clone(),
                applicant: self.applicant.to_string(),
                body: AnnexBody::Rows {
                    headers: f.column.iter().map(|c| c.header.clone()).collect(),
                    rows: annex_rows,
                },
            });
        }
        let first = cell(0, 0, geom.xs.len() - 1)?;
        let last = cell(visible - 1, 0, geom.xs.len() - 1)?;
        Ok(BoxMm {
            x: first.x,
            y: first.y,
            w: first.w,
            h: last.y + last.h - first.y,
        })
    }
}

fn union(a: BoxMm, b: BoxMm) -> BoxMm {
    let x0 = a.x.min(b.x);
    let y0 = a.y.min(b.y);
    let x1 = (a.x + a.w).max(b.x + b.w);
    let y1 = (a.y + a.h).max(b.y + b.h);
    BoxMm {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

/// A check box (fonts lack ☐/☑): a square, plus a tick of two lines when `on`.
pub fn check_box(x: f32, y: f32, side: f32, on: bool) -> Vec<Item> {
    let mut v = vec![Item::Rect {
        x_mm: x,
        y_mm: y,
        w_mm: side,
        h_mm: side,
        width_pt: 0.6,
    }];
    if on {
        let (ax, ay) = (x + side * 0.18, y + side * 0.52);
        let (bx, by) = (x + side * 0.42, y + side * 0.80);
        let (cx, cy) = (x + side * 0.86, y + side * 0.16);
        v.push(Item::Line {
            x1_mm: ax,
            y1_mm: ay,
            x2_mm: bx,
            y2_mm: by,
            width_pt: 1.2,
        });
        v.push(Item::Line {
            x1_mm: bx,
            y1_mm: by,
            x2_mm: cx,
            y2_mm: cy,
            width_pt: 1.2,
        });
    }
    v
}

/// minijinja's error plus its causes, one line.
fn error_chain(e: &minijinja::Error) -> String {
    if e.kind() == minijinja::ErrorKind::UndefinedError {
        // A value the context lacks (strict undefined): for the user, a fact their file
        // does not give; say so in their terms.
        return "申請ファイルにこの欄の事実が書かれていません。申請ファイルに書いてから、もう一度実行してください".into();
    }
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(" / ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}
