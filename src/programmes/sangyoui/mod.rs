//! 小規模事業場産業医活動助成金（直接健康相談環境整備コース） (`sangyoui-chokusetsu`): a JOHAS
//! grant. 50人未満; a contract with a 産業医 or 保健師 that includes direct health
//! consultation; 6-month periods, a flat amount each; at most twice.
//!
//! It plugs into the house the JOHAS grants share (`johas`): [`Sangyoui`] implements
//! [`Grant`], and [`PROGRAMME`] is listed in `programmes::ALL`. Its parts:
//! - `facts` and `section`: its facts and its `[sangyoui]` section of the claim file;
//! - `params`: the numbers of its editions, each cited and labelled;
//! - `rules`: SC-…, each with its what-if hint beside it;
//! - `amount`, `window`: the flat amount; the windows of a 1st and a 2nd claim;
//! - `forms`: its values on the forms and the conditions of its papers and boxes;
//! - `questions`, `explain`, `history`: the interview, `explain` and `report`, the book.

pub mod amount;
pub mod explain;
pub mod facts;
pub mod forms;
pub mod history;
pub mod params;
pub mod questions;
pub mod rules;
pub mod section;
pub mod window;

#[cfg(test)]
mod tests;

pub use facts::SangyouiFacts;
pub use params::SangyouiParams;

use crate::html::timeline::Row;
use crate::input::book::{ClaimSource, State};
use crate::input::tree::Entry;
use crate::input::{Problem, Walked};
use crate::model::doc::Dated;
use crate::model::findings::Finding;
use crate::model::interview::{Step, Table};
use crate::programmes::johas::amounts::{EquipmentItem, Figures, Stage};
use crate::programmes::johas::change::Change;
use crate::programmes::johas::edition::{self, DataError, Edition};
use crate::programmes::johas::evaluation::Evaluation;
use crate::programmes::johas::grant::{Condition, Grant, JohasProgramme, Uses};
use crate::programmes::johas::grant_id::GrantId;
use crate::programmes::johas::model::Claim;
use crate::programmes::johas::own::Own;
use crate::programmes::johas::rules::{self as house_rules, Ctx};
use crate::programmes::johas::windows::Window;
use crate::programmes::programme::Judgement;
use chrono::NaiveDate;

/// This grant, as the registry lists it.
pub static PROGRAMME: JohasProgramme = JohasProgramme::new(&Sangyoui);

/// The grant's facts of a claim (of this grant).
pub fn facts(claim: &Claim) -> Option<&SangyouiFacts> {
    claim.facts_as()
}

/// The grant's parameters of an edition (of this grant).
pub fn params(ed: &Edition) -> Option<&SangyouiParams> {
    ed.params_as()
}

/// The hooks of this grant.
pub struct Sangyoui;

impl Grant for Sangyoui {
    fn id(&self) -> &'static str {
        "sangyoui-chokusetsu"
    }

    fn section(&self) -> &'static str {
        "sangyoui"
    }

    fn short_name(&self) -> &'static str {
        "産業医活動"
    }

    fn schema_name(&self) -> &'static str {
        "小規模事業場産業医活動助成金 直接健康相談環境整備コース"
    }

    fn previous_ids(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "sangyoui-chokusetsu",
            "産業医活動助成金（直接健康相談環境整備コース）",
        )]
    }

    fn round_limit(&self) -> (&'static str, &'static str) {
        ("産業医活動助成金は2回まで", "SC-M3")
    }

    fn uses(&self) -> Uses {
        Uses {
            round: true,
            fax: true,
            declarations: true,
        }
    }

    fn section_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <section::Part as schemars::JsonSchema>::json_schema(generator)
    }

    fn read_section(&self, w: &mut Walked) -> Option<Own> {
        let part: section::Part = w.deserialize();
        w.validate(&part);
        part.sangyoui.map(Own::new)
    }

    fn required_rows(&self, _raw: &Own, _problems: &mut Vec<Problem>) {
        // Its section has no rows.
    }

    fn section_checks(&self, raw: &Own, problems: &mut Vec<Problem>) {
        if let Some(s) = raw.get::<section::RawSangyoui>() {
            section::section_checks(s, problems);
        }
    }

    fn facts(&self, raw: &Own) -> Own {
        Own::new(
            raw.get::<section::RawSangyoui>()
                .map(section::facts)
                .unwrap_or_default(),
        )
    }

    fn load_edition(&self, me: GrantId, path: &str, text: &str) -> Result<Edition, DataError> {
        edition::parse::<SangyouiParams>(me, path, text)
    }

    fn rule_ids(&self) -> Vec<&'static str> {
        house_rules::ids(rules::RULES)
    }

    fn judge(&self, ctx: &Ctx) -> Vec<Finding> {
        house_rules::judge(rules::RULES, ctx)
    }

    fn hint(&self, claim: &Claim, finding: &Finding, today: NaiveDate) -> Vec<Change> {
        house_rules::hint(rules::RULES, claim, finding, today)
    }

    fn items(&self, _claim: &Claim) -> Vec<EquipmentItem> {
        // A flat amount: no items.
        Vec::new()
    }

    fn figures(&self, _claim: &Claim, _items: &[EquipmentItem]) -> Figures {
        Figures::none()
    }

    fn stages(&self, claim: &Claim, _figures: &Figures) -> Vec<Stage> {
        amount::stages(claim)
    }

    fn window(&self, claim: &Claim) -> Option<Window> {
        window::window(claim)
    }

    fn next_claim(
        &self,
        claim: &Claim,
        state: State,
        siblings: &[(State, &dyn Judgement)],
        me: usize,
    ) -> Option<Dated> {
        window::next_claim(claim, state, siblings, me)
    }

    fn attachment_conditions(&self) -> &'static [Condition] {
        forms::ATTACHMENT_CONDITIONS
    }

    fn attachment_applies(&self, when: &str, claim: &Claim, _items: &[EquipmentItem]) -> bool {
        forms::attachment_applies(when, claim)
    }

    fn attachment_applies_to_answers(&self, when: &str, answers: &Table) -> bool {
        forms::attachment_applies_to_answers(when, answers)
    }

    fn tick_conditions(&self) -> &'static [Condition] {
        forms::TICK_CONDITIONS
    }

    fn tick_applies(&self, when: &str, claim: &Claim, _ev: &Evaluation) -> Option<bool> {
        forms::tick_applies(when, claim)
    }

    fn form_values(&self, claim: &Claim, _ev: &Evaluation) -> serde_json::Value {
        forms::values(claim)
    }

    fn form_sources(&self) -> &'static [(&'static str, &'static str)] {
        forms::SOURCES
    }

    fn figures_blank(&self, _claim: &Claim, _ev: &Evaluation) -> Option<String> {
        // Its forms print no computed figure.
        None
    }

    fn questions(&self) -> Vec<Step> {
        questions::questions()
    }

    fn example_value(&self, key: &str) -> Option<&'static str> {
        questions::example_value(key)
    }

    fn window_lines(&self, ed: &Edition) -> Vec<String> {
        explain::window_lines(ed)
    }

    fn amount_lines(&self, ed: &Edition) -> Vec<String> {
        explain::amount_lines(ed)
    }

    fn timeline(&self, claim: &Claim) -> Vec<Row> {
        explain::timeline(claim)
    }

    fn period_keys(&self) -> Option<(&'static str, &'static str)> {
        Some(history::PERIOD_KEYS)
    }

    fn previous_extra(&self, _earlier: &ClaimSource, _file: u16) -> Vec<Entry> {
        // Its period is copied with the house's fields.
        Vec::new()
    }

    fn same_period(&self, me: &ClaimSource, other: &ClaimSource) -> Option<String> {
        history::same_period(me, other)
    }
}
