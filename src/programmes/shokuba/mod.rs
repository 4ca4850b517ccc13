//! 職場環境改善計画助成金（Aコース） (`shokuba-kankyo-a`): a JOHAS grant. Expert guidance after
//! a stress-check group analysis; the guidance fee plus equipment (each unit and the total
//! capped, an item a rule excludes is not claimed); a total cap; once.
//!
//! It plugs into the house the JOHAS grants share (`johas`): [`Shokuba`] implements
//! [`Grant`], and [`PROGRAMME`] is listed in `programmes::ALL`. Its parts:
//! - `facts` and `section`: its facts and its `[shokuba]` section of the claim file;
//! - `params`: the numbers of its editions, each cited and labelled;
//! - `rules`: SK-…, each with its what-if hint beside it;
//! - `amount`: the equipment exclusions (SK-M2/M5/M6/M7), the figures and the stages; its
//!   window is its edition's application period;
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

#[cfg(test)]
mod tests;

pub use facts::ShokubaFacts;
pub use params::ShokubaParams;

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
pub static PROGRAMME: JohasProgramme = JohasProgramme::new(&Shokuba);

/// The grant's facts of a claim (of this grant).
pub fn facts(claim: &Claim) -> Option<&ShokubaFacts> {
    claim.facts_as()
}

/// The grant's parameters of an edition (of this grant).
pub fn params(ed: &Edition) -> Option<&ShokubaParams> {
    ed.params_as()
}

/// The hooks of this grant.
pub struct Shokuba;

impl Grant for Shokuba {
    fn id(&self) -> &'static str {
        "shokuba-kankyo-a"
    }

    fn section(&self) -> &'static str {
        "shokuba"
    }

    fn short_name(&self) -> &'static str {
        "職場環境A"
    }

    fn schema_name(&self) -> &'static str {
        "職場環境改善計画助成金 Aコース"
    }

    fn previous_ids(&self) -> &'static [(&'static str, &'static str)] {
        // Course B is not checked by this tool, but its equipment counts (SK-M5).
        &[
            ("shokuba-kankyo-a", "職場環境改善計画助成金（Aコース）"),
            ("shokuba-kankyo-b", "職場環境改善計画助成金（Bコース）"),
        ]
    }

    fn round_limit(&self) -> (&'static str, &'static str) {
        ("職場環境改善計画助成金は1回限り", "SK-M5")
    }

    fn uses(&self) -> Uses {
        // Once ever: no round on its forms; its 様式第2号 is the expert's report (its
        // section), and its 様式第1号 has no FAX box.
        Uses {
            round: false,
            fax: false,
            declarations: false,
        }
    }

    fn section_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <section::Part as schemars::JsonSchema>::json_schema(generator)
    }

    fn read_section(&self, w: &mut Walked) -> Option<Own> {
        let part: section::Part = w.deserialize();
        w.validate(&part);
        part.shokuba.map(Own::new)
    }

    fn required_rows(&self, raw: &Own, problems: &mut Vec<Problem>) {
        if let Some(s) = raw.get::<section::RawShokuba>() {
            section::required_rows(s, problems);
        }
    }

    fn section_checks(&self, _raw: &Own, _problems: &mut Vec<Problem>) {
        // No checks between its fields beyond the rules'.
    }

    fn facts(&self, raw: &Own) -> Own {
        Own::new(
            raw.get::<section::RawShokuba>()
                .map(section::facts)
                .unwrap_or_default(),
        )
    }

    fn load_edition(&self, me: GrantId, path: &str, text: &str) -> Result<Edition, DataError> {
        edition::parse::<ShokubaParams>(me, path, text)
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

    fn items(&self, claim: &Claim) -> Vec<EquipmentItem> {
        amount::assess_equipment(claim)
    }

    fn figures(&self, claim: &Claim, items: &[EquipmentItem]) -> Figures {
        amount::figures(claim, items)
    }

    fn stages(&self, claim: &Claim, figures: &Figures) -> Vec<Stage> {
        amount::stages(claim, figures)
    }

    fn window(&self, claim: &Claim) -> Option<Window> {
        // The edition's application period.
        facts(claim)?;
        Some(Window {
            from: claim.edition.application.opens.value,
            to: claim.edition.application.closes.value,
        })
    }

    fn next_claim(
        &self,
        _claim: &Claim,
        _state: State,
        _siblings: &[(State, &dyn Judgement)],
        _me: usize,
    ) -> Option<Dated> {
        // Once ever: nothing next.
        None
    }

    fn attachment_conditions(&self) -> &'static [Condition] {
        forms::ATTACHMENT_CONDITIONS
    }

    fn attachment_applies(&self, when: &str, _claim: &Claim, items: &[EquipmentItem]) -> bool {
        forms::attachment_applies(when, items)
    }

    fn attachment_applies_to_answers(&self, when: &str, answers: &Table) -> bool {
        forms::attachment_applies_to_answers(when, answers)
    }

    fn tick_conditions(&self) -> &'static [Condition] {
        forms::TICK_CONDITIONS
    }

    fn tick_applies(&self, when: &str, _claim: &Claim, ev: &Evaluation) -> Option<bool> {
        forms::tick_applies(when, ev)
    }

    fn form_values(&self, claim: &Claim, ev: &Evaluation) -> serde_json::Value {
        forms::values(claim, ev)
    }

    fn form_sources(&self) -> &'static [(&'static str, &'static str)] {
        forms::SOURCES
    }

    fn figures_blank(&self, _claim: &Claim, ev: &Evaluation) -> Option<String> {
        forms::figures_blank(ev)
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
        // Its period is its edition's.
        None
    }

    fn previous_extra(&self, earlier: &ClaimSource, file: u16) -> Vec<Entry> {
        history::previous_extra(earlier, file)
    }

    fn same_period(&self, me: &ClaimSource, other: &ClaimSource) -> Option<String> {
        history::same_period(me, other)
    }
}
