//! Writes a small check page (baseline, widths, shapes) to the path given as the first
//! argument: `cargo run --example pdf_sample -- /tmp/check.pdf`.
use johas_claim::page::{Document, Face, Item, Page};
use johas_claim::{pdf, textfit};

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("使い方: pdf_sample 出力.pdf");
        return std::process::ExitCode::FAILURE;
    };
    let mut page = Page::a4();
    let mut y = 20.0;
    for (face, s) in [
        (Face::Mincho, "申請書（Mincho）Wij 1,234円。"),
        (Face::Gothic, "産業医活動助成金 Gothic gjpqy"),
    ] {
        let w = textfit::text_width_mm(s, face, 14.0);
        // Baseline rule and a box exactly as wide as the measured text.
        page.items.push(Item::Line {
            x1_mm: 10.0,
            y1_mm: y,
            x2_mm: 200.0,
            y2_mm: y,
            width_pt: 0.3,
        });
        page.items.push(Item::Rect {
            x_mm: 20.0,
            y_mm: y - 6.0,
            w_mm: w,
            h_mm: 8.0,
            width_pt: 0.3,
        });
        page.items.push(Item::Text {
            x_mm: 20.0,
            y_mm: y,
            size_pt: 14.0,
            face,
            text: s.into(),
        });
        y += 15.0;
    }
    page.items.push(Item::Ellipse {
        cx_mm: 40.0,
        cy_mm: 60.0,
        rx_mm: 20.0,
        ry_mm: 8.0,
        width_pt: 1.0,
    });
    page.items.push(Item::Text {
        x_mm: 30.0,
        y_mm: 62.0,
        size_pt: 12.0,
        face: Face::Mincho,
        text: "いいえ".into(),
    });
    page.items.push(Item::Line {
        x1_mm: 0.0,
        y1_mm: 0.0,
        x2_mm: 30.0,
        y2_mm: 30.0,
        width_pt: 2.0,
    });
    let fit = textfit::fit(
        "この申請書は、事業場の産業医活動にかかる費用の助成を申請するためのものです。「記入上の注意」をよく読んでください。",
        Face::Mincho, 12.0, 8.0, 60.0, 20.0, 1.3,
    );
    page.items.push(Item::Rect {
        x_mm: 100.0,
        y_mm: 50.0,
        w_mm: 60.0,
        h_mm: 20.0,
        width_pt: 0.3,
    });
    let lh = textfit::line_height_mm(fit.size_pt, 1.3);
    for (i, l) in fit.lines.iter().enumerate() {
        page.items.push(Item::Text {
            x_mm: 100.0,
            y_mm: 50.0 + lh * (i as f32 + 1.0) - lh * 0.25,
            size_pt: fit.size_pt,
            face: Face::Mincho,
            text: l.clone(),
        });
    }
    let doc = Document {
        title: "確認用".into(),
        pages: vec![page],
    };
    match pdf::export(&doc) {
        Ok(bytes) => {
            if let Err(e) = std::fs::write(&path, bytes) {
                eprintln!("書き込めません: {e}");
                return std::process::ExitCode::FAILURE;
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
