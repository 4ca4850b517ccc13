//! The application window drawn as a timeline (inline SVG) against the claim's dates:
//! one row per period or date, the application date as a vertical line across all rows.

use crate::model::dates::{era_of, wareki};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

#[derive(Debug, Clone)]
pub enum Mark {
    /// A period; `open_end` draws it to the right edge (a contract without an end date).
    Bar {
        from: NaiveDate,
        to: NaiveDate,
        open_end: bool,
    },
    /// One or more days.
    Points(Vec<NaiveDate>),
}

#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    pub mark: Mark,
    /// A CSS colour.
    pub color: &'static str,
}

const W: f64 = 720.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 16.0;
const ROW: f64 = 34.0;
const TOP: f64 = 8.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(n)).unwrap_or(d)
}

/// 「R2.5」「H30.4」: the era initial, era year and month.
fn short_month(d: NaiveDate) -> String {
    match era_of(d) {
        Some((era, y)) => {
            let initial = match era {
                "令和" => "R",
                "平成" => "H",
                "昭和" => "S",
                other => other,
            };
            format!("{initial}{y}.{}", d.month())
        }
        None => format!("{}.{}", d.year(), d.month()),
    }
}

/// 「R2.10.31」
fn short_day(d: NaiveDate) -> String {
    format!("{}.{}", short_month(d), d.day())
}

/// The SVG. `in_window`: whether the application date is inside the claim's window
/// (`None` when the window could not be computed).
pub fn svg(rows: &[Row], application: NaiveDate, in_window: Option<bool>) -> String {
    let mut dates = vec![application];
    for r in rows {
        match &r.mark {
            Mark::Bar { from, to, .. } => dates.extend([*from, *to]),
            Mark::Points(ds) => dates.extend(ds.iter().copied()),
        }
    }
    let min = dates.iter().min().copied().unwrap_or(application);
    let max = dates.iter().max().copied().unwrap_or(application);
    let start = first_of_month(min.pred_opt().unwrap_or(min));
    let end = add_months(first_of_month(max), 2);
    let span = (end - start).num_days().max(1) as f64;
    let x = |d: NaiveDate| LEFT + (d - start).num_days() as f64 / span * (W - LEFT - RIGHT);
    let height = TOP + ROW * rows.len() as f64 + 44.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" role="img" aria-label="申請期間と申請の日付" font-family="JohasIPAexGothic, sans-serif" font-size="11">"#
    );
    // Month grid and axis labels.
    let months = {
        let mut n = 0u32;
        while add_months(start, n) <= end {
            n += 1;
        }
        n
    };
    let step = [1u32, 2, 3, 6, 12, 24]
        .into_iter()
        .find(|s| months / s <= 12)
        .unwrap_or(36);
    let axis_y = TOP + ROW * rows.len() as f64 + 6.0;
    let mut m = 0;
    while add_months(start, m) <= end {
        let d = add_months(start, m);
        let xx = x(d);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{axis_y}" stroke="#e2e2e2" stroke-width="1"/>"##
        );
        if m % step == 0 {
            let _ = write!(
                s,
                r##"<text x="{xx:.1}" y="{:.1}" text-anchor="middle" fill="#444" font-size="10">{}</text>"##,
                axis_y + 14.0,
                esc(&short_month(d))
            );
        }
        m += 1;
    }
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{axis_y}" x2="{:.1}" y2="{axis_y}" stroke="#888" stroke-width="1"/>"##,
        W - RIGHT
    );
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            s,
            r##"<text x="4" y="{:.1}" fill="#111">{}</text>"##,
            y + 22.0,
            esc(&r.label)
        );
        match &r.mark {
            Mark::Bar { from, to, open_end } => {
                let (x1, x2) = (x(*from), if *open_end { W - RIGHT } else { x(*to) });
                let _ = write!(
                    s,
                    r#"<rect x="{x1:.1}" y="{:.1}" width="{:.1}" height="11" rx="2" fill="{}" fill-opacity="0.85"/>"#,
                    y + 14.0,
                    (x2 - x1).max(2.0),
                    r.color
                );
                let range = if *open_end {
                    format!("{}～（期間の定めなし）", short_day(*from))
                } else {
                    format!("{}～{}", short_day(*from), short_day(*to))
                };
                let _ = write!(
                    s,
                    r##"<text x="{x1:.1}" y="{:.1}" fill="#333" font-size="9.5">{}</text>"##,
                    y + 11.0,
                    esc(&range)
                );
            }
            Mark::Points(ds) => {
                for (k, d) in ds.iter().enumerate() {
                    let xx = x(*d);
                    let _ = write!(
                        s,
                        r#"<circle cx="{xx:.1}" cy="{:.1}" r="4.5" fill="{}"/>"#,
                        y + 19.5,
                        r.color
                    );
                    if ds.len() <= 3 || k == 0 || k + 1 == ds.len() {
                        let _ = write!(
                            s,
                            r##"<text x="{xx:.1}" y="{:.1}" fill="#333" font-size="9.5" text-anchor="middle">{}</text>"##,
                            y + 10.0,
                            esc(&short_day(*d))
                        );
                    }
                }
            }
        }
    }
    let color = match in_window {
        Some(true) => "#1d7a35",
        Some(false) => "#b3261e",
        None => "#8a6d00",
    };
    let ax = x(application);
    let _ = write!(
        s,
        r#"<line x1="{ax:.1}" y1="{TOP}" x2="{ax:.1}" y2="{axis_y}" stroke="{color}" stroke-width="2" stroke-dasharray="5 3"/>"#
    );
    let anchor = if ax > W - 160.0 { "end" } else { "start" };
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" fill="{color}" font-weight="bold" text-anchor="{anchor}">申請日 {}</text>"#,
        if anchor == "end" { ax - 4.0 } else { ax + 4.0 },
        axis_y + 30.0,
        esc(&wareki(application))
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn draws_rows_and_the_application_date() {
        let rows = vec![
            Row {
                label: "申請期間".into(),
                mark: Mark::Bar {
                    from: d(2020, 5, 1),
                    to: d(2020, 10, 31),
                    open_end: false,
                },
                color: "#1d7a35",
            },
            Row {
                label: "周知開始日".into(),
                mark: Mark::Points(vec![d(2020, 4, 19)]),
                color: "#555",
            },
        ];
        let s = svg(&rows, d(2020, 11, 2), Some(false));
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("R2.5.1～R2.10.31"));
        assert!(s.contains("申請日 令和2年11月2日"));
        assert!(s.contains("#b3261e"), "outside the window is drawn in red");
        assert!(s.contains("R2.4.19"));
    }
}
