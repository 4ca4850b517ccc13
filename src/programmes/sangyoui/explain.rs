//! How a 産業医活動 edition's window and amount read in `explain`, and the claim's dates on
//! the report's timeline (`report --html`).

use crate::html::timeline::{Mark, Row};
use crate::model::dates::{wareki, wareki_month, YearMonth};
use crate::model::findings::yen;
use crate::programmes::johas::edition::Edition;
use crate::programmes::johas::model::Claim;
use crate::programmes::johas::report_page::point;

/// How the window is determined, with the guide's example computed from the edition.
pub fn window_lines(ed: &Edition) -> Vec<String> {
    let (opens, closes) = (ed.application.opens.value, ed.application.closes.value);
    let Some(p) = super::params(ed) else {
        return Vec::new();
    };
    let n = p.period_months.value;
    let after = p.window_opens_months_after.value;
    let len = p.window_length_months.value;
    let first: YearMonth = p.period_first_month_from.value;
    let last = first.add_months(n - 1);
    let w_from = last.add_months(after).first_day().max(opens);
    let w_to = last.add_months(len).last_day();
    let off = p.second_claim_offset_months.value;
    vec![
        format!("この版の申請受付: {}から（最後の申請日 {}）。", wareki(opens), wareki(closes)),
        format!(
            "1回目の申請（SC-W2）: 対象期間（継続する{n}か月）の最終月の{after}か月後の月の初日から、最終月の{len}か月後の月の末日まで。"
        ),
        format!(
            "例: 対象期間 {}～{} → 申請期間 {}～{}。",
            wareki_month(first),
            wareki_month(last),
            wareki(w_from),
            wareki(w_to)
        ),
        format!(
            "2回目の申請（SC-W3）: 1回目の対象期間の最終月の{off}か月後を起点に、同じく{after}か月後の月の初日から{len}か月後の月の末日まで（手引の記述が分かれているため、本ツールの解釈です）。"
        ),
    ]
}

/// How the amount is computed.
pub fn amount_lines(ed: &Edition) -> Vec<String> {
    let Some(p) = super::params(ed) else {
        return Vec::new();
    };
    let (n, a, m) = (
        p.period_months.value,
        p.amount_per_period_yen.value,
        p.max_claims.value,
    );
    vec![
        format!("対象期間（継続する{n}か月）1つにつき一律 {}円（SC-M2）。実際にかかった費用の額によりません。", yen(a)),
        format!(
            "1事業場当たり将来にわたり{m}回まで（SC-M3）。2回目の対象期間は1回目に続く{n}か月です（SC-M4）。"
        ),
        "支給要件を1つでも満たさない場合は不支給（0円）です。".to_string(),
    ]
}

/// The contract, the period, the mechanism and the notice on the report's timeline.
pub fn timeline(claim: &Claim) -> Vec<Row> {
    let Some(f) = super::facts(claim) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    rows.extend(point("契約の締結日", f.contract_date, "#2c5d8f"));
    if let Some(start) = f.contract_start {
        let open = f.contract_end.is_none() && f.contract_open_ended == Some(true);
        if let Some(end) = f.contract_end.or(open.then_some(start)) {
            rows.push(Row {
                label: "契約期間".into(),
                mark: Mark::Bar {
                    from: start,
                    to: end,
                    open_end: open,
                },
                color: "#5b8bd0",
            });
        }
    }
    if let (Some(a), Some(b)) = (f.period_from, f.period_to) {
        if a <= b {
            rows.push(Row {
                label: "対象期間（6か月）".into(),
                mark: Mark::Bar {
                    from: a.first_day(),
                    to: b.last_day(),
                    open_end: false,
                },
                color: "#8e63b5",
            });
        }
    }
    rows.extend(point("仕組みの実施日", f.mechanism_on, "#a35200"));
    rows.extend(point("周知開始日", f.notice_on, "#b8860b"));
    rows
}
