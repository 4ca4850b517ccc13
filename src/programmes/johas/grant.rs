//! What a JOHAS grant adds to the house ([`Grant`]), the programme the house makes of it
//! ([`JohasProgramme`]), and how the house learns the grants ([`Registry`]).
//!
//! The house (this folder) holds what the grants share: the claim file's common sections,
//! the editions, the evaluation, the packet, the book's history, the interview, `explain`
//! and `report`. Where the grants differ, it calls a hook of the claim's grant. A grant is
//! its own folder (`src/programmes/<section>/`): it implements [`Grant`] and registers
//! itself as `pub static PROGRAMME: JohasProgramme`, listed in `programmes::ALL`. Every hook
//! is required, so a grant that forgets one does not compile; what it names in its data
//! (rule IDs, `when` conditions, parameters) is checked when the data loads.

use super::amounts::{EquipmentItem, Figures, Stage};
use super::change::Change;
use super::edition::{DataError, Edition};
use super::evaluation::Evaluation;
use super::grant_id::GrantId;
use super::model::Claim;
use super::own::Own;
use super::rules::Ctx;
use super::windows::Window;
use crate::html::timeline::Row;
use crate::input::book::{ClaimSource, State};
use crate::input::tree::Entry;
use crate::input::{Problem, Walked};
use crate::model::doc::Dated;
use crate::model::findings::Finding;
use crate::model::interview::{Step, Table};
use crate::programmes::programme::Judgement;
use std::fmt;
use std::sync::OnceLock;

/// Which of the common claim file's optional facts a grant's forms use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    /// The claim is one of numbered rounds (何回目 is a fact of its forms): the file must
    /// give `claim.round`, the interview asks it, the book derives it from the history and
    /// `check` shows it.
    pub round: bool,
    /// Its 様式第1号 has a FAX box (the interview asks `establishment.contact.fax`).
    pub fax: bool,
    /// Its 様式第2号 is the 支給要件確認申立書 (`[declarations]`: asked, printed).
    pub declarations: bool,
}

/// A condition a grant's data may name: an attachment's `when` (`editions/…`), a box's
/// `tick.when` (`forms/…`).
#[derive(Debug, Clone, Copy)]
pub struct Condition {
    pub name: &'static str,
    /// What it means (attachments: `explain`'s 「必要な場合」; boxes: forms/README.md).
    pub text: &'static str,
    /// Boxes: why a box with this condition is left empty when it does not hold.
    pub unmet: &'static str,
}

/// The hooks of one JOHAS grant: what the house calls where the grants differ.
pub trait Grant: Send + Sync + 'static {
    // ── Who it is ──────────────────────────────────────────────────────────────────────

    /// The id in claim files (`claim.grant`) and data folders (`editions/<id>/`).
    fn id(&self) -> &'static str;
    /// The claim file's section with its facts (`[<section>]`).
    fn section(&self) -> &'static str;
    /// A short name for tables, calendars and folder names.
    fn short_name(&self) -> &'static str;
    /// Its name beside its id in the claim file's schema (`claim.grant`).
    fn schema_name(&self) -> &'static str;
    /// The grant ids a `previous_claims` entry may name for its history, with their names
    /// (its own id first; a course the tool does not check may follow).
    fn previous_ids(&self) -> &'static [(&'static str, &'static str)];
    /// How many claims it pays, for the schema's `claim.round`: (「…助成金は2回まで」, the
    /// rule that judges it).
    fn round_limit(&self) -> (&'static str, &'static str);
    /// Which optional facts of the common claim file its forms use.
    fn uses(&self) -> Uses;

    // ── Its section of the claim file ────────────────────────────────────────────────

    /// The schema of its part of the claim file: an object whose one property is its
    /// section (the claim file's schema is the house's sections and every grant's part).
    fn section_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema;
    /// Its section as the file gives it (`None` without one), with the format checks
    /// declared on it pushed to `w`.
    fn read_section(&self, w: &mut Walked) -> Option<Own>;
    /// Rows without which its section means nothing (each missing key a problem).
    fn required_rows(&self, raw: &Own, problems: &mut Vec<Problem>);
    /// Checks between fields of its section.
    fn section_checks(&self, raw: &Own, problems: &mut Vec<Problem>);
    /// Its typed facts from its section.
    fn facts(&self, raw: &Own) -> Own;

    // ── Its editions ─────────────────────────────────────────────────────────────────

    /// One of its edition files, with its parameters typed (`edition::parse::<P>`).
    fn load_edition(&self, me: GrantId, path: &str, text: &str) -> Result<Edition, DataError>;

    // ── Its rules ────────────────────────────────────────────────────────────────────

    /// The IDs of its rule functions (an edition's `[[rules]]` may list only these).
    fn rule_ids(&self) -> Vec<&'static str>;
    /// Runs the edition's rules, in its `[[rules]]` order.
    fn judge(&self, ctx: &Ctx) -> Vec<Finding>;
    /// What would change a finding that does not pass, checked on `today`, computed by the
    /// hint beside its rule (empty when the edition's `change` says it).
    fn hint(&self, claim: &Claim, finding: &Finding, today: chrono::NaiveDate) -> Vec<Change>;

    // ── Its amount and window ────────────────────────────────────────────────────────

    /// The items of the claim, each counted or excluded by its rules (empty for a grant
    /// without items).
    fn items(&self, claim: &Claim) -> Vec<EquipmentItem>;
    /// What it computes once for its rules, its amount and its forms.
    fn figures(&self, claim: &Claim, items: &[EquipmentItem]) -> Figures;
    /// The stages of the amount; the last is the amount of an eligible claim.
    fn stages(&self, claim: &Claim, figures: &Figures) -> Vec<Stage>;
    /// The window in which the claim must be filed (`None`: a fact it needs is missing).
    fn window(&self, claim: &Claim) -> Option<Window>;
    /// The next claim the client could make after this one (`deadlines`), given the
    /// client's judged claims of this grant in the book's order, this one at `me`.
    fn next_claim(
        &self,
        claim: &Claim,
        state: State,
        siblings: &[(State, &dyn Judgement)],
        me: usize,
    ) -> Option<Dated>;

    // ── Its papers and boxes ─────────────────────────────────────────────────────────

    /// The attachment conditions (`when`) its editions may name besides the house's.
    fn attachment_conditions(&self) -> &'static [Condition];
    /// Whether one of its attachment conditions holds for a claim.
    fn attachment_applies(&self, when: &str, claim: &Claim, items: &[EquipmentItem]) -> bool;
    /// The same on the interview's answers so far.
    fn attachment_applies_to_answers(&self, when: &str, answers: &Table) -> bool;
    /// The box conditions (`tick.when`) its layouts may name besides the house's.
    fn tick_conditions(&self) -> &'static [Condition];
    /// Whether one of its box conditions holds (`None` for a name it does not have).
    fn tick_applies(&self, when: &str, claim: &Claim, ev: &Evaluation) -> Option<bool>;

    // ── Its forms ────────────────────────────────────────────────────────────────────

    /// Its part of the form context (under its section's name): the values its layouts
    /// print. A fact the claim does not give is left out.
    fn form_values(&self, claim: &Claim, ev: &Evaluation) -> serde_json::Value;
    /// Context path → the claim-file key it is printed from, for its part of the context.
    fn form_sources(&self) -> &'static [(&'static str, &'static str)];
    /// Why figures its forms print are left blank (`None` when they are printed or it has
    /// none).
    fn figures_blank(&self, claim: &Claim, ev: &Evaluation) -> Option<String>;

    // ── Its interview, explanation and report ───────────────────────────────────────

    /// The questions of its section, in the order of its forms.
    fn questions(&self) -> Vec<Step>;
    /// The template's example for a key of its own (its section, and the claim's keys where
    /// its guide's 記載例 differs), written as the claim file takes it.
    fn example_value(&self, key: &str) -> Option<&'static str>;
    /// How its window is determined (`explain`).
    fn window_lines(&self, ed: &Edition) -> Vec<String>;
    /// How its amount is computed (`explain`).
    fn amount_lines(&self, ed: &Edition) -> Vec<String>;
    /// Its rows of the report's timeline (after the edition's and the claim's windows).
    fn timeline(&self, claim: &Claim) -> Vec<Row>;

    // ── Its history in a book ────────────────────────────────────────────────────────

    /// The claim-file keys of a claim's period (first and last month), for a grant paid
    /// per period: an earlier claim's period goes into `previous_claims`, and a hand-written
    /// entry with the same first month is the same claim.
    fn period_keys(&self) -> Option<(&'static str, &'static str)>;
    /// The fields of a `previous_claims` entry made from an earlier claim of this grant,
    /// after its period and date (marked as written in `file`).
    fn previous_extra(&self, earlier: &ClaimSource, file: u16) -> Vec<Entry>;
    /// Two claims of this grant for the same period (a contradiction), said.
    fn same_period(&self, me: &ClaimSource, other: &ClaimSource) -> Option<String>;
}

/// A JOHAS grant as a programme: the commands' view of it is in `programme.rs`.
pub struct JohasProgramme {
    grant: &'static dyn Grant,
}

impl JohasProgramme {
    pub const fn new(grant: &'static dyn Grant) -> JohasProgramme {
        JohasProgramme { grant }
    }
}

/// The grant's hooks.
impl std::ops::Deref for JohasProgramme {
    type Target = dyn Grant;

    fn deref(&self) -> &(dyn Grant + 'static) {
        self.grant
    }
}

impl JohasProgramme {
    /// What the claim, its edition and its form files hold of it.
    pub fn handle(&self) -> GrantId {
        GrantId::of_registered(self.grant.id())
    }
}

impl GrantId {
    /// The registered grant with this id.
    pub fn programme(self) -> &'static JohasProgramme {
        // A `GrantId` is only made from a registered grant (`JohasProgramme::handle`).
        grant(self.id()).expect("a GrantId names a registered grant")
    }
}

/// The grant's hooks, from what a claim or an edition holds of it.
impl std::ops::Deref for GrantId {
    type Target = JohasProgramme;

    fn deref(&self) -> &JohasProgramme {
        self.programme()
    }
}

impl fmt::Debug for JohasProgramme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.grant.id())
    }
}

impl PartialEq for JohasProgramme {
    fn eq(&self, other: &Self) -> bool {
        self.grant.id() == other.grant.id()
    }
}

impl Eq for JohasProgramme {}

/// How the house learns the programmes without naming them: the registry
/// (`src/programmes/mod.rs`, the only list) implements this for [`Registered`]. The house
/// imports nothing above it; the compiler finds the one implementation.
pub trait Registry {
    /// Every programme of the registry, in its order: its id, and its JOHAS grant when it
    /// is one.
    fn programmes() -> Vec<(&'static str, Option<&'static JohasProgramme>)>;
}

/// What the registry implements [`Registry`] for.
pub struct Registered;

fn registered() -> &'static [(&'static str, Option<&'static JohasProgramme>)] {
    static ALL: OnceLock<Vec<(&'static str, Option<&'static JohasProgramme>)>> = OnceLock::new();
    ALL.get_or_init(<Registered as Registry>::programmes)
}

/// Every JOHAS grant, in the registry's order.
pub fn grants() -> impl Iterator<Item = &'static JohasProgramme> {
    registered().iter().filter_map(|(_, g)| *g)
}

/// The JOHAS grant with this id.
pub fn grant(id: &str) -> Option<&'static JohasProgramme> {
    grants().find(|g| g.id() == id)
}

/// The ids of the registry's programmes that are not JOHAS grants (their data folders
/// are theirs, not the house's).
pub fn other_programmes() -> impl Iterator<Item = &'static str> {
    registered()
        .iter()
        .filter(|(_, g)| g.is_none())
        .map(|(id, _)| *id)
}

/// The grants' ids, for messages: `a / b`.
pub fn ids(separator: &str) -> String {
    grants().map(|g| g.id()).collect::<Vec<_>>().join(separator)
}
