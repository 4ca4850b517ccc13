//! The PDF writer on a form-like sample page: bytes, text, fonts, errors.

use super::assemble::PT_PER_MM;
use super::*;
use crate::page::{Face, Item, Page, A4_HEIGHT_MM, A4_WIDTH_MM};

fn text(x: f32, y: f32, size: f32, face: Face, s: &str) -> Item {
    Item::Text {
        x_mm: x,
        y_mm: y,
        size_pt: size,
        face,
        text: s.to_string(),
    }
}

/// A form-like A4 page: ~40 lines of Japanese in both faces plus rules, boxes and
/// circles.
fn sample() -> Document {
    let mut page = Page::a4();
    page.items.push(text(
        20.0,
        20.0,
        16.0,
        Face::Gothic,
        "様式第1号 産業医活動助成金支給申請書",
    ));
    page.items.push(Item::Line {
        x1_mm: 20.0,
        y1_mm: 23.0,
        x2_mm: 190.0,
        y2_mm: 23.0,
        width_pt: 1.0,
    });
    let rows = [
        "独立行政法人労働者健康安全機構理事長 殿",
        "申請事業場の名称",
        "株式会社サンプル製作所 東京工場",
        "所在地 東京都千代田区霞が関一丁目2番3号",
        "電話番号 03-1234-5678",
        "労働者数 42人（うち常時使用する労働者 40人）",
        "産業医の氏名 山田 太郎（やまだ たろう）",
        "契約期間 令和7年4月1日から令和8年3月31日まで",
        "助成金の申請額 金 100,000円",
        "申請回数 1回目・2回目・3回目",
        "上記のとおり助成金の支給を申請します。",
        "振込先金融機関 みずほ銀行 霞が関支店 普通 1234567",
        "口座名義 カ）サンプルセイサクショ",
        "※「記入上の注意」をよく読んでから記入してください。",
    ];
    for i in 0..38 {
        let s = rows[i % rows.len()];
        let face = if i % 5 == 0 {
            Face::Gothic
        } else {
            Face::Mincho
        };
        page.items
            .push(text(25.0, 35.0 + i as f32 * 6.5, 10.5, face, s));
    }
    page.items.push(Item::Rect {
        x_mm: 20.0,
        y_mm: 29.0,
        w_mm: 170.0,
        h_mm: 250.0,
        width_pt: 0.5,
    });
    page.items.push(Item::Ellipse {
        cx_mm: 160.0,
        cy_mm: 35.0,
        rx_mm: 8.0,
        ry_mm: 5.0,
        width_pt: 0.8,
    });
    page.items.push(Item::Ellipse {
        cx_mm: 175.0,
        cy_mm: 265.0,
        rx_mm: 7.0,
        ry_mm: 7.0,
        width_pt: 0.5,
    });
    page.items
        .push(text(172.0, 267.0, 10.0, Face::Mincho, "印"));
    Document {
        title: "様式第1号 支給申請書".to_string(),
        pages: vec![page],
    }
}

#[test]
fn byte_identical_twice_in_one_process() {
    let doc = sample();
    let a = export(&doc).unwrap();
    let b = export(&doc).unwrap();
    assert!(a == b, "two exports of the same document differ");
    assert!(a.starts_with(b"%PDF-"));
    // Nothing from the clock.
    let s = String::from_utf8_lossy(&a);
    assert!(!s.contains("CreationDate") && !s.contains("ModDate"));
}

/// Writes the sample to `$JOHAS_PDF_SAMPLE_OUT`; run by the cross-process test (and by
/// hand to look at the page: `pdftoppm -png -r 80`).
#[test]
#[ignore]
fn emit_sample() {
    if let Ok(path) = std::env::var("JOHAS_PDF_SAMPLE_OUT") {
        std::fs::write(path, export(&sample()).unwrap()).unwrap();
    }
}

#[test]
fn byte_identical_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.pdf");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "pdf::tests::emit_sample", "--ignored", "--quiet"])
        .env("JOHAS_PDF_SAMPLE_OUT", &path)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let other = std::fs::read(&path).unwrap();
    assert!(
        other == export(&sample()).unwrap(),
        "another process made other bytes"
    );
}

#[test]
fn one_page_is_small_because_fonts_are_subset() {
    let bytes = export(&sample()).unwrap();
    assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
    // Both faces embedded, each as a tagged subset.
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let mut names = Vec::new();
    for obj in lo.objects.values() {
        if let Ok(d) = obj.as_dict() {
            if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
                let n = d.get(b"FontName").unwrap().as_name().unwrap();
                names.push(String::from_utf8_lossy(n).to_string());
            }
        }
    }
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("+IPAexGothic") && names[0].len() == 7 + 11);
    assert!(names[1].ends_with("+IPAexMincho"));
}

#[test]
fn title_and_no_dates_in_info() {
    let bytes = export(&sample()).unwrap();
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let info_ref = lo.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = lo.get_dictionary(info_ref).unwrap();
    let title = info.get(b"Title").unwrap().as_str().unwrap();
    let utf16: Vec<u16> = title[2..]
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(String::from_utf16(&utf16).unwrap(), "様式第1号 支給申請書");
    assert!(info.get(b"CreationDate").is_err());
}

#[test]
fn text_reads_back_with_lopdf() {
    let bytes = export(&sample()).unwrap();
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let text = lo.extract_text(&[1]).unwrap();
    for s in [
        "産業医活動助成金支給申請書",
        "株式会社サンプル製作所",
        "令和7年4月1日",
        "100,000円",
        "「記入上の注意」",
        "印",
    ] {
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&want), "{s:?} not in extracted text:\n{text}");
    }
}

#[test]
fn text_reads_back_with_pdftotext() {
    let bytes = export(&sample()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext is required ({e}): apt-get install -y poppler-utils (bash .ci/run installs it)")
        });
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("様式第1号 産業医活動助成金支給申請書"),
        "{text}"
    );
    assert!(text.contains("口座名義 カ）サンプルセイサクショ"), "{text}");
}

#[test]
fn missing_glyph_is_an_error_naming_the_text() {
    let mut doc = sample();
    doc.pages[0]
        .items
        .push(text(20.0, 280.0, 10.0, Face::Mincho, "☑ はい ☐ いいえ"));
    let err = export(&doc).unwrap_err();
    assert_eq!(
        err,
        ExportError::MissingGlyphs {
            page: 1,
            face: Face::Mincho,
            text: "☑ はい ☐ いいえ".to_string(),
            chars: vec!['☑', '☐'],
        }
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with("フォントにない文字です: ☑（U+2611）、☐（U+2610）"),
        "{msg}"
    );
    assert!(msg.contains("☑ はい ☐ いいえ"), "{msg}");
}

#[test]
fn control_chars_and_bad_numbers_are_errors() {
    let mut doc = sample();
    doc.pages[0]
        .items
        .push(text(20.0, 280.0, 10.0, Face::Mincho, "一行目\n二行目"));
    assert!(matches!(
        export(&doc),
        Err(ExportError::ControlChar { ch: '\n', .. })
    ));
    let mut doc = sample();
    doc.pages[0]
        .items
        .push(text(f32::NAN, 280.0, 10.0, Face::Mincho, "あ"));
    assert!(matches!(export(&doc), Err(ExportError::BadNumber { .. })));
    let mut doc = sample();
    doc.pages[0].height_mm = 0.0;
    assert!(matches!(export(&doc), Err(ExportError::BadNumber { .. })));
}

#[test]
fn page_sizes_follow_the_description() {
    let mut a3 = Page::a4();
    a3.width_mm = 297.0;
    a3.height_mm = 420.0;
    let doc = Document {
        title: "t".into(),
        pages: vec![Page::a4(), a3],
    };
    let bytes = export(&doc).unwrap();
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let mut sizes = Vec::new();
    for (_, id) in lo.get_pages() {
        let page = lo.get_dictionary(id).unwrap();
        let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let num = |o: &lopdf::Object| o.as_float().unwrap();
        sizes.push(((num(&mb[2]) - num(&mb[0])), (num(&mb[3]) - num(&mb[1]))));
    }
    let close = |a: f32, b: f32| (a - b).abs() < 0.5;
    assert!(close(sizes[0].0, A4_WIDTH_MM * PT_PER_MM));
    assert!(close(sizes[0].1, A4_HEIGHT_MM * PT_PER_MM));
    assert!(close(sizes[1].1, 420.0 * PT_PER_MM));
}

#[test]
fn no_redundant_page_entries() {
    let lo = lopdf::Document::load_mem(&export(&sample()).unwrap()).unwrap();
    // Nothing but the MediaBox: the other boxes default to it, and there are no
    // annotations, images or graphics states (drop_redundant_entries).
    for (_, id) in lo.get_pages() {
        let page = lo.get_dictionary(id).unwrap();
        for key in [&b"CropBox"[..], b"TrimBox", b"Annots"] {
            assert!(page.get(key).is_err());
        }
        let res = page.get(b"Resources").unwrap().as_reference().unwrap();
        let res = lo.get_dictionary(res).unwrap();
        assert_eq!(
            res.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
            vec![b"Font".to_vec()]
        );
    }
    assert!(!lo
        .objects
        .values()
        .any(|o| o.as_dict().is_ok_and(|d| d.is_empty())));
}

/// `qpdf --check` on the sample: no error, no warning. (johas-claim checks every PDF
/// of its example packets the same way.) qpdf is installed by `.ci/run`; without it
/// the test fails (it never passes by skipping).
#[test]
fn sample_passes_qpdf_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.pdf");
    std::fs::write(&path, export(&sample()).unwrap()).unwrap();
    let out = match std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!(
            "qpdf is required for this test ({e}): apt-get install -y qpdf (bash .ci/run installs it)"
        ),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.code() == Some(0) && !text.to_lowercase().contains("warning"),
        "{}: qpdf --check:\n{text}",
        path.display()
    );
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "{text}"
    );
}

#[test]
fn empty_document_exports() {
    let doc = Document {
        title: String::new(),
        pages: vec![],
    };
    assert!(export(&doc).unwrap().starts_with(b"%PDF-"));
}
