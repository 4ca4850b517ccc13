//! Editions: the rules, amounts, windows and attachments of one grant in one fiscal
//! year's guide, as data: the types of an edition file (`editions/<grant>/<edition>.toml`,
//! every value with its citation) and of a form layout file, and reading one edition file
//! with a grant's own parameters ([`parse`]). Finding, loading and checking them, and
//! picking the edition for a claim, is `editions.rs` (above the grants' hooks, which it
//! calls).
//!
//! Each rule is written once, as one `[[rules]]` entry: its title and citation, the
//! interpretation where the guide is ambiguous, the guide's own sentences, the parameters
//! and claim-file keys it uses, and what would make it pass. `[[sections]]` groups the
//! rules under the guide's headings; `[[notes]]` are further sentences of the guide.

use super::grant_id::GrantId;
use crate::model::dates::wareki;
use crate::model::doc::Number;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::any::Any;
use std::fmt;

pub use crate::model::DataError;

pub use crate::model::Cited;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPeriod {
    pub opens: Cited<NaiveDate>,
    pub closes: Cited<NaiveDate>,
}

/// One rule of an edition, written once: what the rule functions need (`id`), what a
/// finding shows (`title`, `cite`, `decision`), and what a reader needs (`quote`, `params`,
/// `facts`, `change`: read by `explain`, `report --html` and `new`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub cite: String,
    /// Set where the guide is ambiguous: the interpretation the program applies.
    pub decision: Option<String>,
    /// The guide's sentences, quoted exactly (a test finds each one in `guide_file`).
    pub quote: Vec<String>,
    /// Edition parameters the rule uses: keys of `[params]`, or `application.opens|closes`.
    #[serde(default)]
    pub params: Vec<String>,
    /// Claim-file keys the rule reads (dotted paths of the claim file's schema; a table or a
    /// list of rows stands for every key in it).
    #[serde(default)]
    pub facts: Vec<String>,
    /// What would make a failing finding pass, when that is not computed from numbers.
    pub change: Option<String>,
    /// The rule says the same advice on every claim (「受付を終了することがあります」): the
    /// book's notes leave it out, where it would only repeat.
    #[serde(default)]
    pub every_claim: bool,
}

/// The rules under one of the guide's headings, in the guide's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub heading: String,
    /// `[[rules]]` IDs.
    pub rules: Vec<String>,
}

/// A sentence of the guide printed after the amount (e.g. how long to keep the papers).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub quote: String,
    pub cite: String,
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
    /// When it applies to a claim: a condition of the house (`always`, `association`,
    /// `no_association`, `bulk_payment`) or of the edition's grant
    /// ([`super::grant::Grant::attachment_conditions`]), checked when the data loads.
    pub when: String,
}

/// An edition's `[params]`: the grant's own type (its numbers, each cited), with what the
/// house reads of every grant's.
pub trait Params: Any + Send + Sync + fmt::Debug {
    /// 返信用封筒の切手（円）.
    fn return_stamp_yen(&self) -> i64;
    /// How many years after the year of payment the documents are kept (手引 II-4).
    fn retention_years(&self) -> i64;
    /// A named parameter for display (`explain`, `report`): its label, its value in words
    /// and its citation; `None` for a name it does not have.
    fn number(&self, name: &str) -> Option<Number>;
    fn clone_box(&self) -> Box<dyn Params>;
}

impl Clone for Box<dyn Params> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionFile<P> {
    /// Read before (it names the grant whose `P` this is).
    #[serde(rename = "grant")]
    _grant: String,
    edition: String,
    grant_name: String,
    edition_name: String,
    guide: String,
    guide_file: String,
    /// The edition whose form layouts this one uses (default: its own).
    forms: Option<String>,
    form_fiscal_year: Cited<String>,
    edition_mark: String,
    successor_note: String,
    packet_order: Cited<Vec<String>>,
    application: ApplicationPeriod,
    params: P,
    sections: Vec<Section>,
    rules: Vec<RuleDef>,
    #[serde(default)]
    notes: Vec<Note>,
    attachments: Vec<AttachmentDef>,
}

/// One edition of one grant, loaded from its data file.
#[derive(Debug, Clone)]
pub struct Edition {
    pub grant: GrantId,
    pub edition: String,
    pub grant_name: String,
    pub edition_name: String,
    pub guide: String,
    /// The guide's file name in `docs/reference/` (the team's shared reference): every
    /// `quote` of the rules and notes is found in it verbatim.
    pub guide_file: String,
    /// 「令和2」: the program year in the form titles (「令和2年度…支給申請書」).
    pub form_fiscal_year: Cited<String>,
    /// 「（R2.4）」: the mark printed at the foot of each form.
    pub edition_mark: String,
    pub successor_note: String,
    /// Layout ids of the generated forms in submission order.
    pub packet_order: Cited<Vec<String>>,
    pub application: ApplicationPeriod,
    /// The grant's `[params]`, of its own type ([`Edition::params_as`]).
    pub params: Box<dyn Params>,
    /// The rules under the guide's headings; every rule is in exactly one section, and the
    /// sections list them in the order of `rules`.
    pub sections: Vec<Section>,
    /// The rules in the guide's order.
    pub rules: Vec<RuleDef>,
    pub notes: Vec<Note>,
    pub attachments: Vec<AttachmentDef>,
    /// The edition whose form layouts are used (`forms/<grant>/<forms>/`); its own by default.
    pub forms: String,
    /// The data file it came from (for messages).
    pub source: String,
}

impl crate::model::findings::RuleBook for Edition {
    fn rule_text(&self, id: &str) -> Option<crate::model::findings::RuleText> {
        self.rule(id).map(|d| crate::model::findings::RuleText {
            title: d.title.clone(),
            cite: d.cite.clone(),
            decision: d.decision.clone(),
        })
    }
}

impl Edition {
    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules that read a claim-file key (a key or a parent of it, e.g. `shokuba.equipment`
    /// for `shokuba.equipment.unit_price_yen`), in the guide's order.
    pub fn rules_reading(&self, key: &str) -> Vec<&RuleDef> {
        let order: Vec<&String> = self.sections.iter().flat_map(|s| &s.rules).collect();
        let mut found: Vec<&RuleDef> = self
            .rules
            .iter()
            .filter(|r| {
                r.facts
                    .iter()
                    .any(|f| f == key || key.starts_with(&format!("{f}.")))
            })
            .collect();
        found.sort_by_key(|r| order.iter().position(|o| **o == r.id).unwrap_or(usize::MAX));
        found
    }

    /// How many years after the year of payment the documents are kept (手引 II-4).
    pub fn retention_years(&self) -> i64 {
        self.params.retention_years()
    }

    /// The grant's parameters, if they are a `P` (the grant reads its own).
    pub fn params_as<P: Any>(&self) -> Option<&P> {
        (&*self.params as &dyn Any).downcast_ref()
    }

    pub fn params_as_mut<P: Any>(&mut self) -> Option<&mut P> {
        (&mut *self.params as &mut dyn Any).downcast_mut()
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

/// One edition file of `grant`, its `[params]` read as the grant's own type `P` (the
/// grant's `load_edition` hook names it).
pub fn parse<P: Params + DeserializeOwned>(
    grant: GrantId,
    path: &str,
    text: &str,
) -> Result<Edition, DataError> {
    let f: EditionFile<P> = toml::from_str(text)
        .map_err(|e| DataError::new(path, format!("TOML として読めないか、項目が違います: {e}")))?;
    Ok(Edition {
        grant,
        forms: f.forms.unwrap_or_else(|| f.edition.clone()),
        edition: f.edition,
        grant_name: f.grant_name,
        edition_name: f.edition_name,
        guide: f.guide,
        guide_file: f.guide_file,
        form_fiscal_year: f.form_fiscal_year,
        edition_mark: f.edition_mark,
        successor_note: f.successor_note,
        packet_order: f.packet_order,
        application: f.application,
        params: Box::new(f.params),
        sections: f.sections,
        rules: f.rules,
        notes: f.notes,
        attachments: f.attachments,
        source: path.to_string(),
    })
}

/// One form layout file: `forms/<grant>/<edition>/<id>.toml`.
#[derive(Debug, Clone)]
pub struct FormFile {
    pub grant: GrantId,
    pub edition: String,
    /// Layout id: the file name without `.toml` (`yoshiki1`, …).
    pub id: String,
    /// Where it came from (for messages).
    pub path: String,
    pub text: String,
    /// Compiled into the program (`forms/**`): the unit tests check that it parses, so it
    /// need not be checked at every start (`--editions` layouts are).
    pub bundled: bool,
}
