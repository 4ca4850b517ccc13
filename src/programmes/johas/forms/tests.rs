use super::layout::{BoxMm, FieldKind};
use super::render::{self, FieldSpan, PT_MM};
use super::*;
use crate::page::{Face, Item, Page};
use crate::programmes::johas::edition::Edition;
use crate::textfit;
use serde_json::{json, Value};

const SANGYOUI: (&str, &str) = ("sangyoui-chokusetsu", "R2");
const SHOKUBA: (&str, &str) = ("shokuba-kankyo-a", "H30");

/// The examples' facts plus bulk payment by a head office (so the 一括納付 certificate
/// has its facts too): the claims the form fixtures are made from.
const BULK: &str = "bulk_payment_by_head_office = true\n\n[labour_insurance.head_office]\nname = \"ろうあんホールディングス(株)\"\nrepresentative_title = \"代表取締役\"\nrepresentative_name = \"本社 太郎\"\n";

fn fixture_claim(example: &str) -> String {
    let path = format!("{}/examples/{example}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("bulk_payment_by_head_office = false"))
        .unwrap()
        .to_string();
    text.replacen(&format!("{line}\n"), BULK, 1).replacen(
        "entity = \"corporation\"",
        "entity = \"corporation\"\nlabour_insurance_number = \"14-1-01-123456-000\"",
        1,
    )
}

/// The real form context (`packet::form_context`) of an example claim.
pub(crate) fn real_context(example: &str) -> Value {
    let claim = crate::programmes::johas::read::parse(
        example,
        &fixture_claim(example),
        crate::input::Format::Toml,
    )
    .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let ev = crate::programmes::johas::evaluate::evaluate(&claim, today);
    crate::programmes::johas::packet::form_context(&claim, &ev)
}

/// The bundled edition of a (grant, edition) pair.
fn edition(ge: (&str, &str)) -> &'static Edition {
    let grant = crate::programmes::johas::grant::grant(ge.0).unwrap();
    crate::programmes::johas::editions::find(grant, ge.1).unwrap()
}

/// The options the packet passes: 別紙 numbered from `first_annex`, under the
/// establishment's name.
fn options(ctx: &Value, first_annex: usize) -> RenderOptions<'_> {
    RenderOptions {
        first_annex,
        applicant: ctx["establishment"]["name"].as_str().unwrap_or_default(),
    }
}

/// One form of an edition rendered as the packet renders it; every problem.
fn render_form_all(
    ge: (&str, &str),
    form: &str,
    ctx: &Value,
    first_annex: usize,
) -> Result<RenderedForm, Vec<FormError>> {
    let layout = layout_of(edition(ge), form).map_err(|e| vec![e])?;
    super::render_form(layout, ctx, options(ctx, first_annex))
}

/// [`render_form_all`] with 別紙 numbered from `first_annex`; the first problem.
fn render_form_with(
    ge: (&str, &str),
    form: &str,
    ctx: &Value,
    first_annex: usize,
) -> Result<RenderedForm, FormError> {
    render_form_all(ge, form, ctx, first_annex).map_err(|mut errors| errors.remove(0))
}

/// [`render_form_with`] from 別紙1.
fn render_form(ge: (&str, &str), form: &str, ctx: &Value) -> Result<RenderedForm, FormError> {
    render_form_with(ge, form, ctx, 1)
}

fn sangyoui() -> Value {
    real_context("sangyoui-rouan.toml")
}

fn shokuba() -> Value {
    real_context("shokuba-rouan.toml")
}

/// tests/data/context-*.json are generated from the examples, so they cannot tick a box
/// or print a value the tool would not. `JOHAS_UPDATE_FIXTURES=1 cargo test` rewrites them.
#[test]
fn context_fixtures_are_the_real_form_context() {
    for (example, file) in [
        ("sangyoui-rouan.toml", "context-sangyoui-rouan.json"),
        ("shokuba-rouan.toml", "context-shokuba-rouan.json"),
    ] {
        let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let want = serde_json::to_string_pretty(&real_context(example)).unwrap() + "\n";
        if std::env::var_os("JOHAS_UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let got = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "{file} differs from the real form context of examples/{example} (+ bulk payment); \
             run `JOHAS_UPDATE_FIXTURES=1 cargo test context_fixtures` and review the diff"
        );
    }
}

fn texts(p: &Page) -> Vec<&str> {
    p.items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// All text of a form, items joined in order (wrapped lines rejoin).
fn all_text(pages: &[Page]) -> String {
    pages
        .iter()
        .flat_map(|p| texts(p))
        .collect::<Vec<_>>()
        .concat()
}

fn render_spans(grant: (&str, &str), form: &str, ctx: &Value) -> render::Output {
    let layout = layout_of(edition(grant), form).unwrap();
    render::render(layout, ctx, options(ctx, 1)).unwrap()
}

/// The ink box of an item.
fn extent(item: &Item) -> BoxMm {
    match item {
        Item::Text {
            x_mm,
            y_mm,
            size_pt,
            face,
            text,
        } => {
            let s = size_pt * PT_MM;
            BoxMm {
                x: *x_mm,
                y: y_mm - 0.88 * s,
                w: textfit::text_width_mm(text, *face, *size_pt),
                h: s,
            }
        }
        Item::Line {
            x1_mm,
            y1_mm,
            x2_mm,
            y2_mm,
            ..
        } => BoxMm {
            x: x1_mm.min(*x2_mm),
            y: y1_mm.min(*y2_mm),
            w: (x1_mm - x2_mm).abs(),
            h: (y1_mm - y2_mm).abs(),
        },
        Item::Rect {
            x_mm,
            y_mm,
            w_mm,
            h_mm,
            ..
        } => BoxMm {
            x: *x_mm,
            y: *y_mm,
            w: *w_mm,
            h: *h_mm,
        },
        Item::Ellipse {
            cx_mm,
            cy_mm,
            rx_mm,
            ry_mm,
            ..
        } => BoxMm {
            x: cx_mm - rx_mm,
            y: cy_mm - ry_mm,
            w: 2.0 * rx_mm,
            h: 2.0 * ry_mm,
        },
    }
}

fn inside(inner: BoxMm, outer: BoxMm) -> bool {
    let e = 0.05;
    inner.x >= outer.x - e
        && inner.y >= outer.y - e
        && inner.x + inner.w <= outer.x + outer.w + e
        && inner.y + inner.h <= outer.y + outer.h + e
}

fn assert_spans_inside(out: &render::Output, what: &str) {
    for FieldSpan {
        page,
        field,
        bbox,
        items,
    } in &out.spans
    {
        for item in &out.pages[*page].items[items.clone()] {
            assert!(
                inside(extent(item), *bbox),
                "{what}: field 「{field}」 item {item:?} outside its box {bbox:?}"
            );
        }
    }
    for (pi, p) in out.pages.iter().enumerate() {
        for item in &p.items {
            let page = BoxMm {
                x: 8.0,
                y: 5.0,
                w: 194.0,
                h: 287.0,
            };
            assert!(
                inside(extent(item), page),
                "{what} page {pi}: {item:?} outside the printable area"
            );
        }
    }
}

/// One line per item: text items with positions rounded to 0.1 mm, plus circles and
/// boxes (ticks are counted), so a layout change shows up as a readable diff.
fn snapshot(r: &RenderedForm) -> String {
    let mut out = String::new();
    for (pi, p) in r.pages.iter().enumerate() {
        let mut lines = 0;
        for item in &p.items {
            match item {
                Item::Text {
                    x_mm,
                    y_mm,
                    size_pt,
                    face,
                    text,
                } => {
                    let f = if *face == Face::Gothic { "G" } else { "M" };
                    out += &format!("p{pi} T {x_mm:6.1} {y_mm:6.1} {size_pt:4.1}{f} {text}\n");
                }
                Item::Ellipse {
                    cx_mm,
                    cy_mm,
                    rx_mm,
                    ry_mm,
                    ..
                } => out += &format!("p{pi} O {cx_mm:6.1} {cy_mm:6.1} r {rx_mm:.1}x{ry_mm:.1}\n"),
                Item::Rect {
                    x_mm,
                    y_mm,
                    w_mm,
                    h_mm,
                    ..
                } => out += &format!("p{pi} R {x_mm:6.1} {y_mm:6.1} {w_mm:.1}x{h_mm:.1}\n"),
                Item::Line { .. } => lines += 1,
            }
        }
        out += &format!("p{pi} lines: {lines}\n");
    }
    for a in &r.annexes {
        out += &format!("annex {}: {}\n", a.number, a.title);
    }
    out
}

#[test]
fn every_layout_parses_and_forms_are_listed_in_submission_order() {
    for (g, e) in [SANGYOUI, SHOKUBA] {
        let forms = forms_for(edition((g, e))).unwrap();
        // The edition's packet_order (the guide's submission order).
        let grant = crate::programmes::johas::grant::grant(g).unwrap();
        let order = &crate::programmes::johas::editions::find(grant, e)
            .unwrap()
            .packet_order
            .value;
        let ids: Vec<_> = forms.iter().map(|f| f.id.to_string()).collect();
        assert_eq!(&ids, order);
        let mut names: Vec<_> = forms.iter().map(|f| f.name.as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "労働保険料一括納付に係る証明書",
                "様式第1号",
                "様式第2号",
                "様式第3号",
            ]
        );
    }
    // An edition whose layouts are missing (its `forms` names an edition without any).
    let mut r9 = edition(SANGYOUI).clone();
    r9.forms = "R9".into();
    assert!(matches!(forms_for(&r9), Err(FormError::UnknownForm { .. })));
    assert!(matches!(
        render_form(SANGYOUI, "yoshiki9", &sangyoui()),
        Err(FormError::UnknownForm { .. })
    ));
}

/// Evaluates every value field of a layout on its own and checks the value shows up
/// in the rendered text (and the pre-printed heading too).
fn assert_values_printed(grant: (&str, &str), ctx: &Value) {
    let env = {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env
    };
    for info in forms_for(edition(grant)).unwrap() {
        let layout = info.layout;
        let r = render_form(grant, info.id, ctx).unwrap();
        let text = all_text(&r.pages);
        assert!(
            text.contains(&layout.form.heading),
            "{}: heading {} missing",
            info.id,
            layout.form.heading
        );
        for page in &layout.page {
            for f in &page.field {
                if matches!(f.kind, FieldKind::Text | FieldKind::Multiline) {
                    let v = env.render_str(f.value.as_deref().unwrap(), ctx).unwrap();
                    assert!(
                        text.contains(v.trim()),
                        "{}: 「{}」 = {v} not printed",
                        info.id,
                        f.name
                    );
                }
            }
        }
    }
}

#[test]
fn sangyoui_kisairei_values_are_printed() {
    let ctx = sangyoui();
    assert_values_printed(SANGYOUI, &ctx);
    let r = render_form(SANGYOUI, "yoshiki1", &ctx).unwrap();
    let text = all_text(&r.pages);
    for v in [
        "令和2年度小規模事業場産業医活動助成金支給申請書",
        "令和2年10月10日",
        "211-0021",
        "神奈川県川崎市中原区木月住吉町1番1号",
        "カブシキガイシャ ローワン",
        "(株)ろうあん",
        "代表取締役",
        "ローワン イチロウ",
        "労安 一郎",
        "カワサキ ハナコ",
        "川崎 花子",
        "044-431-8661",
        "044-411-5531",
        "令和2年4月2日",
        "産業医来所日及び来所時間（毎月第2木曜日 13:00~15:00）に労働者に対する直接健康相談窓口を開設し",
        "令和2年4月19日",
        "総務課",
        "社内報により職員へ配布した。",
        "第4条に基づき、下記のとおり助成金の支給を申請します。",
        "独立行政法人労働者健康安全機構理事長　殿",
        "受付No.",
        "（記入不要）",
        "（R2.4）",
        "（様式第1号）",
    ] {
        assert!(text.contains(v), "様式第1号: {v} missing");
    }
    assert!(r.annexes.is_empty());
    let r3 = render_form(SANGYOUI, "yoshiki3", &ctx).unwrap();
    assert_eq!(r3.pages.len(), 2);
    assert!(all_text(&r3.pages).contains("上記1～8にチェックを入れた内容について"));
}

#[test]
fn shokuba_kisairei_values_are_printed() {
    let ctx = shokuba();
    assert_values_printed(SHOKUBA, &ctx);
    let r1 = all_text(&render_form(SHOKUBA, "yoshiki1", &ctx).unwrap().pages);
    for v in [
        "平成30年度職場環境改善計画助成金支給申請書（Aコース）",
        "平成31年2月9日",
        "86,400",
        "43,200",
        "100,000",
        "プリンター",
        "平成31年2月1日",
        "プリンター2台の設置した。",
        "（H30.4.1）",
    ] {
        assert!(r1.contains(v), "様式第1号: {v} missing");
    }
    let r2 = render_form(SHOKUBA, "yoshiki2", &ctx).unwrap();
    assert!(r2.annexes.is_empty(), "the 8 rows of the 記載例 fit");
    let t2 = all_text(&r2.pages);
    for row in ctx["shokuba"]["guidance"].as_array().unwrap() {
        assert!(t2.contains(row["date"].as_str().unwrap()));
        assert!(t2.contains(row["content"].as_str().unwrap()));
    }
    for v in ["健康 五郎", "社会保険労務士", "平成31年1月29日"] {
        assert!(t2.contains(v));
    }
}

#[test]
fn no_item_leaves_its_box_with_kisairei_values() {
    for (grant, ctx) in [(SANGYOUI, sangyoui()), (SHOKUBA, shokuba())] {
        for info in forms_for(edition(grant)).unwrap() {
            let out = render_spans(grant, info.id, &ctx);
            assert_spans_inside(&out, info.id);
        }
    }
}

#[test]
fn snapshots() {
    for (grant, ctx, tag) in [
        (SANGYOUI, sangyoui(), "sangyoui"),
        (SHOKUBA, shokuba(), "shokuba"),
    ] {
        for info in forms_for(edition(grant)).unwrap() {
            let r = render_form(grant, info.id, &ctx).unwrap();
            insta::assert_snapshot!(format!("{tag}-{}", info.id), snapshot(&r));
        }
    }
}

#[test]
fn missing_context_key_names_the_field() {
    let mut ctx = sangyoui();
    ctx["contact"].as_object_mut().unwrap().remove("fax");
    let err = render_form(SANGYOUI, "yoshiki1", &ctx).unwrap_err();
    assert!(
        matches!(&err, FormError::Value { field, .. } if field == "ファックス番号"),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("様式第1号の欄「ファックス番号」") && msg.contains("contact.fax"),
        "{msg}"
    );

    // A layout of the other grant fails the same way (only the claim's own section exists).
    let err = render_form(SHOKUBA, "yoshiki2", &sangyoui()).unwrap_err();
    assert!(err.to_string().contains("職場環境改善指導状況"), "{err}");

    let mut ctx = sangyoui();
    ctx["head_office"] = Value::Null;
    let err = render_form(SANGYOUI, "ikkatsu", &ctx).unwrap_err();
    assert!(err.to_string().contains("事業場名（本社等）"), "{err}");

    let mut ctx = sangyoui();
    ctx["checks"].as_object_mut().unwrap().remove("3_nurse");
    let err = render_form(SANGYOUI, "yoshiki3", &ctx).unwrap_err();
    assert!(err.to_string().contains("チェック欄3_nurse"), "{err}");
}

#[test]
fn long_notice_method_goes_to_an_annex() {
    let mut ctx = sangyoui();
    let long: String = "社内ポータルサイトと掲示板で周知した。"
        .chars()
        .cycle()
        .take(600)
        .collect();
    ctx["sangyoui"]["notice_method"] = json!(long);
    let out = render_spans(SANGYOUI, "yoshiki1", &ctx);
    assert_spans_inside(&out, "yoshiki1 long");
    assert_eq!(out.annexes.len(), 1);
    let a = &out.annexes[0];
    assert_eq!(a.number, 1);
    assert_eq!(a.title, "別紙1　様式第1号「2 労働者への周知状況」周知方法");
    assert_eq!(a.body, AnnexBody::Text(long.clone()));
    let text = all_text(&out.pages);
    assert!(text.contains("別紙1のとおり"));
    assert!(
        !text.contains(&long[..30]),
        "the box shows only the reference"
    );

    // Numbering continues from the packet's counter.
    let r = render_form_with(SANGYOUI, "yoshiki1", &ctx, 3).unwrap();
    assert_eq!(r.annexes[0].number, 3);
    assert!(all_text(&r.pages).contains("別紙3のとおり"));

    // The annex document holds the full text.
    let pages = annex_pages(a).unwrap();
    let annex_text = all_text(&pages);
    assert!(annex_text.contains("別紙1　様式第1号「2 労働者への周知状況」周知方法"));
    assert!(annex_text.contains("(株)ろうあん"));
    assert!(annex_text.contains(&long), "full text on the 別紙");
}

#[test]
fn twelve_guidance_rows_continue_on_an_annex() {
    let mut ctx = shokuba();
    let rows: Vec<Value> = (1..=12)
        .map(|i| json!({ "date": format!("平成30年11月{i}日"), "content": format!("職場環境改善委員会に出席（第{i}回）") }))
        .collect();
    ctx["shokuba"]["guidance"] = json!(rows);
    let out = render_spans(SHOKUBA, "yoshiki2", &ctx);
    assert_spans_inside(&out, "yoshiki2 12 rows");
    let text = all_text(&out.pages);
    for i in 1..=9 {
        assert!(
            text.contains(&format!("職場環境改善委員会に出席（第{i}回）")),
            "row {i} shown"
        );
    }
    assert!(!text.contains("（第10回）"));
    assert!(text.contains("（以下3件、別紙1のとおり）"), "{text}");
    assert_eq!(out.annexes.len(), 1);
    let AnnexBody::Rows { headers, rows } = &out.annexes[0].body else {
        panic!("rows annex expected")
    };
    assert_eq!(headers, &["実施日", "指導内容"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0],
        ["平成30年11月10日", "職場環境改善委員会に出席（第10回）"]
    );
    let annex = annex_text(&out.annexes[0]).unwrap();
    assert!(annex.contains("## 3．実施日：平成30年11月12日"), "{annex}");
    assert!(
        annex.contains("\\指導内容：職場環境改善委員会に出席（第12回）"),
        "{annex}"
    );
}

#[test]
fn a_row_too_long_for_its_cell_moves_to_the_annex() {
    let mut ctx = shokuba();
    let long: String = "ヒアリング結果を分析し改善策を検討した。".repeat(20);
    ctx["shokuba"]["guidance"][1]["content"] = json!(long);
    let out = render_spans(SHOKUBA, "yoshiki2", &ctx);
    assert_spans_inside(&out, "yoshiki2 long row");
    let text = all_text(&out.pages);
    assert!(
        text.contains("平成30年10月16日"),
        "the date stays in the table"
    );
    assert!(text.contains("別紙1のとおり"));
    assert!(
        text.contains("管理監督者に対するヒアリング"),
        "later rows keep their place"
    );
    let AnnexBody::Rows { rows, .. } = &out.annexes[0].body else {
        panic!("rows annex expected")
    };
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], long);
}

fn ellipses(out: &render::Output, field: &str) -> Vec<(f32, f32)> {
    let span = out.spans.iter().find(|s| s.field == field).unwrap();
    out.pages[span.page].items[span.items.clone()]
        .iter()
        .filter_map(|i| match i {
            Item::Ellipse { cx_mm, cy_mm, .. } => Some((*cx_mm, *cy_mm)),
            _ => None,
        })
        .collect()
}

fn label_x(out: &render::Output, label: &str) -> f32 {
    out.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Text { x_mm, text, .. } if text == label => Some(*x_mm),
            _ => None,
        })
        .unwrap()
}

#[test]
fn choice_circles_exactly_the_matching_option() {
    let field = "今回の申請（1回目・2回目）";
    for (round, label) in [(1, "1回目"), (2, "2回目")] {
        let mut ctx = sangyoui();
        ctx["round"] = json!(round);
        let out = render_spans(SANGYOUI, "yoshiki1", &ctx);
        let circles = ellipses(&out, field);
        assert_eq!(circles.len(), 1, "round {round}");
        let x = label_x(&out, label);
        let w = textfit::text_width_mm(label, Face::Mincho, 10.5);
        assert!(
            (circles[0].0 - (x + w / 2.0)).abs() < 0.01,
            "circle centred on {label}"
        );
    }
    let mut ctx = sangyoui();
    ctx["round"] = json!(3);
    let err = render_form(SANGYOUI, "yoshiki1", &ctx).unwrap_err();
    assert!(matches!(err, FormError::NoOption { .. }), "{err:?}");

    // 様式第2号: one circle per item, on いいえ except item 7 (はい).
    let out = render_spans(SANGYOUI, "yoshiki2", &sangyoui());
    for i in 1..=7 {
        let c = ellipses(&out, &format!("事業活動等に係る状況{i}（はい・いいえ）"));
        assert_eq!(c.len(), 1);
        let want_x = if i == 7 { 165.5 } else { 178.0 };
        assert!(c[0].0 > want_x && c[0].0 < want_x + 12.0, "item {i}: {c:?}");
    }
}

#[test]
fn check_boxes_are_ticked_only_when_true() {
    for (grant, ctx) in [(SANGYOUI, sangyoui()), (SHOKUBA, shokuba())] {
        let out = render_spans(grant, "yoshiki3", &ctx);
        let checks = ctx["checks"].as_object().unwrap();
        let mut seen = 0;
        for span in out
            .spans
            .iter()
            .filter(|s| s.field.starts_with("チェック欄"))
        {
            let key = span.field.trim_start_matches("チェック欄");
            let want = checks[key].as_bool().unwrap();
            let items = &out.pages[span.page].items[span.items.clone()];
            let rects = items
                .iter()
                .filter(|i| matches!(i, Item::Rect { .. }))
                .count();
            let lines = items
                .iter()
                .filter(|i| matches!(i, Item::Line { .. }))
                .count();
            assert_eq!(rects, 1, "{key}");
            assert_eq!(lines, if want { 2 } else { 0 }, "{key}");
            seen += 1;
        }
        assert_eq!(seen, checks.len(), "one box per key");
    }
    let mut ctx = sangyoui();
    ctx["checks"]["1"] = json!("yes");
    let err = render_form(SANGYOUI, "yoshiki3", &ctx).unwrap_err();
    assert!(err.to_string().contains("true/false"), "{err}");
}

#[test]
fn violation_detail_is_printed_when_given() {
    let mut ctx = sangyoui();
    ctx["declarations"]["d6"] = json!("yes");
    ctx["declarations"]["violation_detail"] = json!("令和2年1月 是正勧告（労働時間）");
    let out = render_spans(SANGYOUI, "yoshiki2", &ctx);
    assert_spans_inside(&out, "yoshiki2 detail");
    assert!(all_text(&out.pages).contains("令和2年1月 是正勧告（労働時間）"));
}

#[test]
fn too_long_single_line_value_is_an_error_not_a_panic() {
    let mut ctx = sangyoui();
    ctx["contact"]["phone"] = json!("044-431-8661".repeat(8));
    let err = render_form(SANGYOUI, "yoshiki1", &ctx).unwrap_err();
    assert!(
        matches!(&err, FormError::TooLong { field, .. } if field == "電話番号"),
        "{err:?}"
    );
}

fn guidance_rows(n: usize) -> Value {
    let rows: Vec<Value> = (1..=n)
        .map(|i| json!({ "date": format!("平成30年{}月{}日", i % 12 + 1, i % 28 + 1), "content": format!("職場環境改善委員会に出席（第{i}回）") }))
        .collect();
    json!(rows)
}

/// Renders 様式第2号 with `n` guidance rows and lays out its 別紙; returns the annex rows.
fn render_many_rows(n: usize, limit: usize) -> usize {
    let mut ctx = shokuba();
    ctx["shokuba"]["guidance"] = guidance_rows(n);
    let layout = layout_of(edition(SHOKUBA), "yoshiki2").unwrap();
    let out = render::render_limited(layout, &ctx, options(&ctx, 1), limit).unwrap();
    let mut rows = 0;
    for a in &out.annexes {
        if let AnnexBody::Rows { rows: r, .. } = &a.body {
            rows += r.len();
        }
        assert!(!annex_pages(a).unwrap().is_empty());
    }
    rows
}

#[test]
fn two_thousand_rows_render_in_linear_time() {
    // Quadratic before (the whole context was copied per row): 1,000 rows took 1.95 s and
    // 5,000 took 85 s. Linear now; 2,000 rows is twice the limit, rendered with it raised.
    let start = std::time::Instant::now();
    let annexed = render_many_rows(2000, 2000);
    // 10 table rows: 9 shown, the 10th says 「（以下1991件、別紙1のとおり）」.
    assert_eq!(annexed, 2000 - 9, "all but the 9 shown rows go to the 別紙");
    // Generous bound for a debug build on a shared machine; quadratic took minutes.
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn a_table_over_the_row_limit_is_an_error_naming_the_field() {
    let mut ctx = shokuba();
    ctx["shokuba"]["guidance"] = guidance_rows(MAX_ROWS_PER_TABLE + 1);
    let err = render_form(SHOKUBA, "yoshiki2", &ctx).unwrap_err();
    assert!(
        matches!(&err, FormError::TooManyRows { source, count, .. } if source == "shokuba.guidance" && *count == MAX_ROWS_PER_TABLE + 1),
        "{err:?}"
    );
    assert!(err.to_string().contains("1000行まで"), "{err}");
    ctx["shokuba"]["guidance"] = guidance_rows(MAX_ROWS_PER_TABLE);
    assert!(render_form(SHOKUBA, "yoshiki2", &ctx).is_ok());
}

#[test]
fn every_field_problem_is_reported_at_once() {
    let mut ctx = sangyoui();
    ctx["representative"]
        .as_object_mut()
        .unwrap()
        .remove("title");
    ctx["establishment"]
        .as_object_mut()
        .unwrap()
        .remove("address");
    ctx["contact"]["phone"] = json!("044-431-8661".repeat(8));
    let errs = render_form_all(SANGYOUI, "yoshiki1", &ctx, 1).unwrap_err();
    let fields: Vec<String> = errs
        .iter()
        .map(|e| match e {
            FormError::Value { field, .. } | FormError::TooLong { field, .. } => field.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(fields, ["所在地", "代表者の役職", "電話番号"], "{errs:?}");
}

/// Benchmark, not a test: `cargo test --release --lib bench_rows -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_rows_5000() {
    for n in [1000, 2000, 5000] {
        let start = std::time::Instant::now();
        let mut ctx = shokuba();
        ctx["shokuba"]["guidance"] = guidance_rows(n);
        let layout = layout_of(edition(SHOKUBA), "yoshiki2").unwrap();
        let out = render::render_limited(layout, &ctx, options(&ctx, 1), n).unwrap();
        let mut pages = out.pages.clone();
        for a in &out.annexes {
            pages.extend(annex_pages(a).unwrap());
        }
        let laid = start.elapsed();
        let doc = crate::page::Document {
            title: "bench".into(),
            pages,
        };
        let pdf = crate::pdf::export(&doc).unwrap();
        println!(
            "{n} rows: layout {:?}, + PDF export {:?} ({} pages, {} bytes)",
            laid,
            start.elapsed(),
            doc.pages.len(),
            pdf.len()
        );
    }
}
