//! Editions: the rules, amounts, windows and attachments of one grant in one fiscal
//! year's guide. All values come from `editions/<grant>/<edition>.toml`, each with its
//! citation; this module only loads them and picks the edition for a claim.

use crate::dates::{wareki, YearMonth};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The embedded edition files. Adding an edition = adding a file and a line here.
const EDITION_FILES: &[(&str, &str)] = &[
    (
        "editions/sangyoui-chokusetsu/R2.toml",
        include_str!("../editions/sangyoui-chokusetsu/R2.toml"),
    ),
    (
        "editions/shokuba-kankyo-a/H30.toml",
        include_str!("../editions/shokuba-kankyo-a/H30.toml"),
    ),
];

/// The grants this tool checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Grant {
    #[serde(rename = "sangyoui-chokusetsu")]
    Sangyoui,
    #[serde(rename = "shokuba-kankyo-a")]
    Shokuba,
}

impl Grant {
    pub const ALL: [Grant; 2] = [Grant::Sangyoui, Grant::Shokuba];

    pub fn id(self) -> &'static str {
        match self {
            Grant::Sangyoui => "sangyoui-chokusetsu",
            Grant::Shokuba => "shokuba-kankyo-a",
        }
    }

    pub fn parse(s: &str) -> Option<Grant> {
        Grant::ALL.into_iter().find(|g| g.id() == s)
    }

    /// The key of the claim file's section with this grant's facts.
    pub fn section(self) -> &'static str {
        match self {
            Grant::Sangyoui => "sangyoui",
            Grant::Shokuba => "shokuba",
        }
    }
}

/// A value with the place in the guide that says it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited<T> {
    pub value: T,
    pub cite: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPeriod {
    pub opens: Cited<NaiveDate>,
    pub closes: Cited<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub cite: String,
    /// Set where the guide is ambiguous: the interpretation the program applies.
    pub decision: Option<String>,
}

/// When an attachment applies to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    Always,
    Physician,
    Consultant,
    Nurse,
    Association,
    NoAssociation,
    BulkPayment,
    Equipment,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentDef {
    pub id: String,
    /// The claim file's `[attachments]` key; absent for forms the tool generates.
    pub key: Option<String>,
    #[serde(default)]
    pub generated: bool,
    pub name: String,
    pub must_show: String,
    pub cite: String,
    pub when: When,
}

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

#[derive(Debug, Clone)]
pub enum Params {
    Sangyoui(SangyouiParams),
    Shokuba(ShokubaParams),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionFile<P> {
    grant: Grant,
    edition: String,
    grant_name: String,
    edition_name: String,
    guide: String,
    form_fiscal_year: Cited<String>,
    edition_mark: String,
    successor_note: String,
    packet_order: Cited<Vec<String>>,
    application: ApplicationPeriod,
    params: P,
    rules: Vec<RuleDef>,
    attachments: Vec<AttachmentDef>,
}

/// One edition of one grant, loaded from its data file.
#[derive(Debug, Clone)]
pub struct Edition {
    pub grant: Grant,
    pub edition: String,
    pub grant_name: String,
    pub edition_name: String,
    pub guide: String,
    /// 「令和2」: the program year in the form titles (「令和2年度…支給申請書」).
    pub form_fiscal_year: Cited<String>,
    pub edition_mark: String,
    pub successor_note: String,
    /// Layout ids of the generated forms in submission order.
    pub packet_order: Cited<Vec<String>>,
    pub application: ApplicationPeriod,
    pub params: Params,
    pub rules: Vec<RuleDef>,
    pub attachments: Vec<AttachmentDef>,
    /// The data file it came from (for messages).
    pub source: &'static str,
}

impl Edition {
    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn sangyoui(&self) -> Option<&SangyouiParams> {
        match &self.params {
            Params::Sangyoui(p) => Some(p),
            Params::Shokuba(_) => None,
        }
    }

    pub fn shokuba(&self) -> Option<&ShokubaParams> {
        match &self.params {
            Params::Shokuba(p) => Some(p),
            Params::Sangyoui(_) => None,
        }
    }

    /// 「令和2年度版（申請期間 令和2年5月1日～令和3年9月30日）」
    pub fn describe(&self) -> String {
        format!(
            "{} {}（{}、申請期間 {}～{}）",
            self.grant.id(),
            self.edition,
            self.edition_name,
            wareki(self.application.opens.value),
            wareki(self.application.closes.value)
        )
    }
}

fn parse_file<P: DeserializeOwned>(path: &str, text: &str) -> Result<EditionFile<P>, String> {
    toml::from_str(text).map_err(|e| format!("{path}: {e}"))
}

fn load(path: &'static str, text: &str) -> Result<Edition, String> {
    #[derive(Deserialize)]
    struct Head {
        grant: Grant,
    }
    let head: Head = toml::from_str::<toml::Table>(text)
        .map_err(|e| format!("{path}: {e}"))
        .and_then(|t| {
            let g = t.get("grant").cloned().ok_or(format!("{path}: no grant"))?;
            Ok(Head {
                grant: g.try_into().map_err(|e| format!("{path}: {e}"))?,
            })
        })?;
    macro_rules! build {
        ($f:expr, $variant:ident) => {{
            let f = $f;
            Edition {
                grant: f.grant,
                edition: f.edition,
                grant_name: f.grant_name,
                edition_name: f.edition_name,
                guide: f.guide,
                form_fiscal_year: f.form_fiscal_year,
                edition_mark: f.edition_mark,
                successor_note: f.successor_note,
                packet_order: f.packet_order,
                application: f.application,
                params: Params::$variant(f.params),
                rules: f.rules,
                attachments: f.attachments,
                source: path,
            }
        }};
    }
    Ok(match head.grant {
        Grant::Sangyoui => build!(parse_file::<SangyouiParams>(path, text)?, Sangyoui),
        Grant::Shokuba => build!(parse_file::<ShokubaParams>(path, text)?, Shokuba),
    })
}

/// All embedded editions. The data is part of the binary and checked by the tests, so a
/// broken file is a build defect, not a user error.
pub fn all() -> &'static [Edition] {
    static ALL: OnceLock<Vec<Edition>> = OnceLock::new();
    ALL.get_or_init(|| {
        EDITION_FILES
            .iter()
            .map(|(path, text)| load(path, text).unwrap_or_else(|e| panic!("edition data: {e}")))
            .collect()
    })
}

/// Why no edition could be chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectError {
    UnknownEdition { grant: Grant, edition: String },
    NoEditionForDate { grant: Grant, date: NaiveDate },
}

impl SelectError {
    /// Japanese message listing the editions that exist and their windows.
    pub fn message(&self) -> String {
        let list = |g: Grant| {
            all()
                .iter()
                .filter(|e| e.grant == g)
                .map(|e| format!("  - {}", e.describe()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match self {
            SelectError::UnknownEdition { grant, edition } => format!(
                "版 \"{edition}\" は {} にはありません。使える版:\n{}",
                grant.id(),
                list(*grant)
            ),
            SelectError::NoEditionForDate { grant, date } => format!(
                "申請日 {}（{}）を申請期間に含む {} の版がありません。claim.edition で版を指定するか、申請日を確かめてください。使える版:\n{}",
                wareki(*date),
                date,
                grant.id(),
                list(*grant)
            ),
        }
    }
}

/// The edition for a claim: the one named, or the one whose application period contains
/// the application date.
pub fn select(
    grant: Grant,
    named: Option<&str>,
    date: NaiveDate,
) -> Result<&'static Edition, SelectError> {
    let mut of_grant = all().iter().filter(|e| e.grant == grant);
    match named {
        Some(name) => {
            of_grant
                .find(|e| e.edition == name)
                .ok_or_else(|| SelectError::UnknownEdition {
                    grant,
                    edition: name.to_string(),
                })
        }
        None => of_grant
            .find(|e| e.application.opens.value <= date && date <= e.application.closes.value)
            .ok_or(SelectError::NoEditionForDate { grant, date }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_load_and_are_selected_by_date() {
        assert_eq!(all().len(), 2);
        let d = NaiveDate::from_ymd_opt(2020, 10, 10).unwrap();
        assert_eq!(select(Grant::Sangyoui, None, d).unwrap().edition, "R2");
        let late = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let err = select(Grant::Sangyoui, None, late).unwrap_err();
        assert!(
            err.message().contains("令和3年9月30日"),
            "{}",
            err.message()
        );
        assert!(select(Grant::Shokuba, Some("R2"), d).is_err());
    }

    #[test]
    fn every_attachment_key_is_an_inventory_key() {
        let keys = crate::model::Attachments::KEYS;
        for e in all() {
            for a in &e.attachments {
                assert_eq!(a.generated, a.key.is_none(), "{} {}", e.source, a.id);
                if let Some(k) = &a.key {
                    assert!(keys.contains(&k.as_str()), "{}: unknown key {k}", e.source);
                }
            }
        }
    }
}
