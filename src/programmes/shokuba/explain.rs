//! How a 職場環境改善 edition's window and amount read in `explain`, and the claim's dates
//! on the report's timeline (`report --html`).

use crate::html::timeline::{Mark, Row};
use crate::model::dates::wareki;
use crate::model::findings::yen;
use crate::programmes::johas::edition::Edition;
use crate::programmes::johas::model::Claim;
use crate::programmes::johas::report_page::point;

/// The window is the edition's application period.
pub fn window_lines(ed: &Edition) -> Vec<String> {
    let (opens, closes) = (ed.application.opens.value, ed.application.closes.value);
    vec![format!(
        "申請期間: {}から{}まで（消印有効）。期間中でも受付を終了することがあります。",
        wareki(opens),
        wareki(closes)
    )]
}

/// How the amount is computed: fee, eligible equipment, the caps.
pub fn amount_lines(ed: &Edition) -> Vec<String> {
    let Some(p) = super::params(ed) else {
        return Vec::new();
    };
    let (total, cap, unit) = (
        yen(p.total_cap_yen.value),
        yen(p.equipment_cap_yen.value),
        yen(p.equipment_unit_price_max_yen.value),
    );
    vec![
        format!("① 専門家の指導費用（税込の実費）。様式第1号 1 には {total}円までを書きます。"),
        format!("② 機器・設備購入費用（税込の実費）。単価 {unit}円を超える機器は全額が対象外（SK-M2）。計画に記載がない・計画作成前に購入した・他の事業場と合算した領収書の機器も対象外（SK-M6・SK-M7）。機器・設備の助成を既に受けた事業場は対象外（SK-M5）。"),
        format!("③ 対象となる機器・設備の合計は {cap}円まで（SK-M3、様式第1号 2）。"),
        format!("④ 助成金額 = ① + ③。ただし {total}円まで。これより少なければ実費（SK-M4、様式第1号 3）。"),
        "支給要件を1つでも満たさない場合は不支給（0円）です。".to_string(),
    ]
}

/// The implementation period, the expert's contract and guidance, the plan, the
/// improvements, the purchases and the expert's confirmation on the report's timeline.
pub fn timeline(claim: &Claim) -> Vec<Row> {
    let Some(f) = super::facts(claim) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    if let Some(p) = super::params(claim.edition) {
        rows.push(Row {
            label: "実施対象期間".into(),
            mark: Mark::Bar {
                from: p.implementation_from.value,
                to: p.implementation_to.value,
                open_end: false,
            },
            color: "#8e63b5",
        });
    }
    rows.extend(point("専門家との契約日", f.contract_date, "#2c5d8f"));
    if !f.guidance.is_empty() {
        rows.push(Row {
            label: "専門家の指導".into(),
            mark: Mark::Points(f.guidance.iter().map(|r| r.date).collect()),
            color: "#5b8bd0",
        });
    }
    rows.extend(point("計画の作成日", f.plan_made_on, "#a35200"));
    if !f.improvements.is_empty() {
        rows.push(Row {
            label: "改善の実施".into(),
            mark: Mark::Points(f.improvements.iter().map(|r| r.date).collect()),
            color: "#2e8b57",
        });
    }
    let bought: Vec<_> = f.equipment.iter().filter_map(|e| e.purchased_on).collect();
    if !bought.is_empty() {
        rows.push(Row {
            label: "機器の購入".into(),
            mark: Mark::Points(bought),
            color: "#b8860b",
        });
    }
    rows.extend(point("専門家の確認日", f.expert_confirmed_on, "#555"));
    rows
}
