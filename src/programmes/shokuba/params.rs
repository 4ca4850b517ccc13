//! The numbers of a 職場環境改善 edition (`[params]` of `editions/shokuba-kankyo-a/*.toml`),
//! each with its citation, and how each reads in `explain` and `report`.

use crate::model::dates::wareki;
use crate::model::doc::Number;
use crate::model::findings::yen;
use crate::programmes::johas::edition::{Cited, Params};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShokubaParams {
    pub contract_on_or_after: Cited<NaiveDate>,
    pub total_cap_yen: Cited<i64>,
    pub equipment_cap_yen: Cited<i64>,
    pub equipment_unit_price_max_yen: Cited<i64>,
    pub max_claims: Cited<i64>,
    pub implementation_from: Cited<NaiveDate>,
    pub implementation_to: Cited<NaiveDate>,
    pub return_stamp_yen: Cited<i64>,
    pub retention_years: Cited<i64>,
}

impl Params for ShokubaParams {
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
            "contract_on_or_after" => {
                let c = &p.contract_on_or_after;
                n(
                    "専門家との契約の締結日",
                    format!("{}以降", wareki(c.value)),
                    &c.cite,
                )
            }
            "total_cap_yen" => {
                let c = &p.total_cap_yen;
                n(
                    "助成金額の上限",
                    format!("1事業場当たり {}円", yen(c.value)),
                    &c.cite,
                )
            }
            "equipment_cap_yen" => {
                let c = &p.equipment_cap_yen;
                n(
                    "機器・設備購入費用の上限（合計）",
                    format!("{}円（税込）", yen(c.value)),
                    &c.cite,
                )
            }
            "equipment_unit_price_max_yen" => {
                let c = &p.equipment_unit_price_max_yen;
                n(
                    "機器・設備の単価",
                    format!("{}円（税込）以内（超える機器は全額が対象外）", yen(c.value)),
                    &c.cite,
                )
            }
            "max_claims" => {
                let c = &p.max_claims;
                n(
                    "申請できる回数",
                    format!("将来にわたり{}回限り", c.value),
                    &c.cite,
                )
            }
            "implementation_from" => {
                let c = &p.implementation_from;
                n("実施対象期間の初日", wareki(c.value), &c.cite)
            }
            "implementation_to" => {
                let c = &p.implementation_to;
                n("実施対象期間の末日", wareki(c.value), &c.cite)
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
