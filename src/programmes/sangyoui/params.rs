//! The numbers of a 産業医活動 edition (`[params]` of `editions/sangyoui-chokusetsu/*.toml`),
//! each with its citation, and how each reads in `explain` and `report`.

use crate::model::dates::{wareki, wareki_month, YearMonth};
use crate::model::doc::Number;
use crate::model::findings::yen;
use crate::programmes::johas::edition::{Cited, Params};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SangyouiParams {
    pub max_workers_exclusive: Cited<i64>,
    pub contract_on_or_after: Cited<NaiveDate>,
    pub period_months: Cited<i64>,
    pub amount_per_period_yen: Cited<i64>,
    pub max_claims: Cited<i64>,
    pub period_first_month_from: Cited<YearMonth>,
    pub period_last_month_to: Cited<YearMonth>,
    pub window_opens_months_after: Cited<i64>,
    pub window_length_months: Cited<i64>,
    pub second_claim_offset_months: Cited<i64>,
    pub return_stamp_yen: Cited<i64>,
    pub retention_years: Cited<i64>,
}

impl Params for SangyouiParams {
    fn return_stamp_yen(&self) -> i64 {
        self.return_stamp_yen.value
    }

    fn retention_years(&self) -> i64 {
        self.retention_years.value
    }

    fn number(&self, name: &str) -> Option<Number> {
        let n = |label: &str, value: String, cite: &str| Number {
            label: label.to_string(),
            value,
            cite: cite.to_string(),
        };
        let p = self;
        Some(match name {
            "max_workers_exclusive" => {
                let c = &p.max_workers_exclusive;
                n(
                    "常時使用する労働者数",
                    format!("{}人未満（{}人まで）", c.value, c.value - 1),
                    &c.cite,
                )
            }
            "contract_on_or_after" => {
                let c = &p.contract_on_or_after;
                n("契約の締結日", format!("{}以降", wareki(c.value)), &c.cite)
            }
            "period_months" => {
                let c = &p.period_months;
                n("対象期間", format!("継続する{}か月", c.value), &c.cite)
            }
            "amount_per_period_yen" => {
                let c = &p.amount_per_period_yen;
                n(
                    "助成額",
                    format!("{}か月当たり一律 {}円", p.period_months.value, yen(c.value)),
                    &c.cite,
                )
            }
            "max_claims" => {
                let c = &p.max_claims;
                n(
                    "申請できる回数",
                    format!("1事業場当たり将来にわたり{}回まで", c.value),
                    &c.cite,
                )
            }
            "period_first_month_from" => {
                let c = &p.period_first_month_from;
                n(
                    "対象期間の初月",
                    format!("{}以降", wareki_month(c.value)),
                    &c.cite,
                )
            }
            "period_last_month_to" => {
                let c = &p.period_last_month_to;
                n(
                    "対象期間の最終月",
                    format!("{}以前", wareki_month(c.value)),
                    &c.cite,
                )
            }
            "window_opens_months_after" => {
                let c = &p.window_opens_months_after;
                n(
                    "申請期間の始まり",
                    format!("対象期間の最終月の{}か月後の月の初日", c.value),
                    &c.cite,
                )
            }
            "window_length_months" => {
                let c = &p.window_length_months;
                n(
                    "申請期間の終わり",
                    format!("対象期間の最終月の{}か月後の月の末日", c.value),
                    &c.cite,
                )
            }
            "second_claim_offset_months" => {
                let c = &p.second_claim_offset_months;
                n(
                    "2回目の申請期間の起点",
                    format!("1回目の対象期間の最終月の{}か月後", c.value),
                    &c.cite,
                )
            }
            "return_stamp_yen" => {
                let c = &p.return_stamp_yen;
                n("返信用封筒の切手", format!("{}円", c.value), &c.cite)
            }
            "retention_years" => {
                let c = &p.retention_years;
                n("書類の保存", format!("{}年間", c.value), &c.cite)
            }
            _ => return None,
        })
    }

    fn clone_box(&self) -> Box<dyn Params> {
        Box::new(self.clone())
    }
}
