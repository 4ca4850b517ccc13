//! The typed answers of one applicant: every answer cell by its stable question ID, as the
//! answers file gave it. A blank is `None` (unknown), never a default. Typed views
//! ([`Corporation`], [`Dates`], the pledge) read from the same store, so a what-if that
//! changes one answer changes every view.

use super::params::{Computed, Condition, Edition, Kind, Question};
use crate::model::dates::YearMonth;
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A date, with the time when it was given (JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Moment {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl std::fmt::Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.time {
            Some(t) => write!(f, "{} {}", self.date, t.format("%H:%M")),
            None => write!(f, "{}", self.date),
        }
    }
}

/// A declared event (誓約4): did not happen, happened (date not given), or happened on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    No,
    Yes,
    On(NaiveDate),
}

/// One answer cell's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    One(u32),
    Many(BTreeSet<u32>),
    Int(i64),
    Text(String),
    Date(NaiveDate),
    Moment(Moment),
    YearMonth(YearMonth),
    Bool(bool),
    Event(Event),
}

// The question IDs the code reads, with the kind it reads them as (checked at load).
pub const LEGAL_FORM: &str = "legal_form";
pub const INDUSTRY: &str = "industry";
pub const INDUSTRY_DETAIL: &str = "industry_detail";
pub const CAPITAL: &str = "capital";
pub const SCOPE: &str = "scope";
pub const EMPLOYEES: [&str; 4] = [
    "employees.regular",
    "employees.seconded",
    "employees.non_regular",
    "employees.dispatched",
];

/// Every question ID the rules and views read, with its kind.
pub const READS: &[(&str, Kind)] = &[
    ("corp.name", Kind::Text),
    ("corp.kana", Kind::Text),
    ("corp.number", Kind::Text),
    ("corp.prefecture", Kind::Text),
    ("corp.city", Kind::Text),
    ("insurer.kind", Kind::One),
    ("insurer.kyokai_branch", Kind::Text),
    ("insurer.kyokai_symbol", Kind::Text),
    ("insurer.kenpo_name", Kind::Text),
    ("insurer.kenpo_federation", Kind::Text),
    ("insurer.kenpo_number", Kind::Text),
    ("insurer.other_name", Kind::Text),
    (LEGAL_FORM, Kind::One),
    (INDUSTRY, Kind::One),
    (INDUSTRY_DETAIL, Kind::One),
    ("employees.as_of", Kind::YearMonth),
    ("employees.regular", Kind::Count),
    ("employees.seconded", Kind::Count),
    ("employees.non_regular", Kind::Count),
    ("employees.dispatched", Kind::Count),
    ("employees.women", Kind::Count),
    ("employees.aged_65_plus", Kind::Count),
    (CAPITAL, Kind::Yen),
    ("contact.postal_code", Kind::Text),
    ("contact.prefecture", Kind::Text),
    ("contact.address", Kind::Text),
    ("contact.department", Kind::Text),
    ("contact.person", Kind::Text),
    ("contact.tel", Kind::Text),
    ("contact.email", Kind::Text),
    ("pledge.date", Kind::Date),
    ("pledge.signer_title", Kind::Text),
    ("pledge.signer_name", Kind::Text),
    ("pledge.employee_representative", Kind::Text),
    ("pledge.safety_measures", Kind::Bool),
    ("pledge.health_checkups", Kind::Bool),
    ("pledge.opinion_hearing", Kind::Bool),
    ("pledge.stress_check_50", Kind::Bool),
    ("pledge.special_guidance_designated", Kind::Bool),
    ("pledge.violations.labour_law", Kind::BoolOrDate),
    (
        "pledge.violations.repeated_recommendation",
        Kind::BoolOrDate,
    ),
    ("pledge.violations.top_management_named", Kind::BoolOrDate),
    (
        "pledge.violations.special_improvement_plan",
        Kind::BoolOrDate,
    ),
    ("pledge.violations.other_laws", Kind::BoolOrDate),
    ("pledge.no_false_statement", Kind::Bool),
    ("pledge.keeps_documents", Kind::Bool),
    ("pledge.antisocial_ties", Kind::Bool),
    ("pledge.shared_with_representative", Kind::Bool),
    ("pledge.representative_is_manager_or_officer", Kind::Bool),
    (SCOPE, Kind::One),
    ("scope.departments", Kind::Text),
    ("declaration", Kind::One),
    ("declaration.prev_insurer", Kind::Text),
    ("declaration.prev_symbol", Kind::Text),
    ("declaration.prev_number", Kind::Text),
    ("declaration.municipal_programme", Kind::Text),
    ("declaration.own_contents", Kind::Many),
    ("declaration.own_text", Kind::Text),
    ("declaration.internal", Kind::Many),
    ("declaration.external", Kind::Many),
    ("executive_checkup", Kind::One),
    ("executive_checkup.reason", Kind::One),
    ("health_promoter", Kind::One),
    ("health_promoter.tasks", Kind::Many),
    ("checkup_data", Kind::One),
    ("plan", Kind::One),
    ("plan.owner", Kind::One),
    ("checkup.excluded", Kind::Count),
    ("checkup.left_after", Kind::Count),
    ("checkup.examined", Kind::Count),
    ("checkup.followup", Kind::Many),
    ("recommendation.retest", Kind::Many),
    ("recommendation.optional", Kind::Many),
    ("stress_check", Kind::One),
    ("education", Kind::Many),
    ("education.relay", Kind::Many),
    ("health_information", Kind::One),
    ("work_style", Kind::Many),
    ("childcare", Kind::Many),
    ("nursing_care", Kind::Many),
    ("communication", Kind::Many),
    ("illness_support", Kind::Many),
    ("womens_health", Kind::Many),
    ("older_workers", Kind::Many),
    ("specific_guidance", Kind::Many),
    ("health_guidance", Kind::One),
    ("diet", Kind::Many),
    ("exercise", Kind::Many),
    ("long_hours", Kind::Many),
    ("mental_health", Kind::Many),
    ("infection", Kind::Many),
    ("smoking", Kind::Many),
    ("passive_smoking", Kind::One),
    ("evaluation", Kind::Many),
    ("evaluation.improvement", Kind::Many),
    ("bright.apply", Kind::One),
    ("bright.disclosure", Kind::One),
    ("bright.requests_talks", Kind::Count),
    ("bright.requests_media", Kind::Count),
    ("bright.requests_government", Kind::Count),
    ("bright.requests_peers", Kind::Count),
    ("bright.requests_other", Kind::Count),
    ("facts.without_legal_personality", Kind::Bool),
    ("facts.group_total", Kind::Bool),
    ("facts.applied_large_too", Kind::Bool),
    ("facts.insurer_runs_declaration", Kind::Bool),
    ("facts.declaration_joint", Kind::Bool),
    ("facts.insurer_changed_on", Kind::Date),
    ("facts.insurer_requires_silver", Kind::Bool),
    ("facts.silver_obtained", Kind::Bool),
    ("facts.executive_checkup_on", Kind::Date),
    ("facts.checkup_fiscal_year", Kind::Int),
    ("dates.uploaded", Kind::Datetime),
    ("dates.planned_upload", Kind::Date),
    ("dates.fee_paid", Kind::Datetime),
];

/// The answers of one applicant, by question ID.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    /// Question ID → value. Absent: blank (unknown).
    pub values: BTreeMap<String, Answer>,
    /// Question ID → the text of its 「その他」 option (KK-A3).
    pub other_texts: BTreeMap<String, String>,
}

impl Facts {
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.values.get(id)
    }

    pub fn set(&mut self, id: &str, a: Answer) {
        self.values.insert(id.to_string(), a);
    }

    pub fn clear(&mut self, id: &str) {
        self.values.remove(id);
    }

    pub fn is_blank(&self, id: &str) -> bool {
        !self.values.contains_key(id)
    }

    pub fn one(&self, id: &str) -> Option<u32> {
        match self.values.get(id)? {
            Answer::One(n) => Some(*n),
            _ => None,
        }
    }

    pub fn many(&self, id: &str) -> Option<&BTreeSet<u32>> {
        match self.values.get(id)? {
            Answer::Many(s) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, id: &str) -> Option<i64> {
        match self.values.get(id)? {
            Answer::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn text(&self, id: &str) -> Option<&str> {
        match self.values.get(id)? {
            Answer::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn date(&self, id: &str) -> Option<NaiveDate> {
        match self.values.get(id)? {
            Answer::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn moment(&self, id: &str) -> Option<Moment> {
        match self.values.get(id)? {
            Answer::Moment(m) => Some(*m),
            Answer::Date(d) => Some(Moment {
                date: *d,
                time: None,
            }),
            _ => None,
        }
    }

    pub fn boolean(&self, id: &str) -> Option<bool> {
        match self.values.get(id)? {
            Answer::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn event(&self, id: &str) -> Option<Event> {
        match self.values.get(id)? {
            Answer::Event(e) => Some(*e),
            _ => None,
        }
    }

    pub fn year_month(&self, id: &str) -> Option<YearMonth> {
        match self.values.get(id)? {
            Answer::YearMonth(m) => Some(*m),
            _ => None,
        }
    }

    /// Q4 対象人数合計(①～④): `None` if any of the four is blank.
    pub fn employees_total(&self) -> Option<i64> {
        EMPLOYEES.iter().map(|id| self.int(id)).sum()
    }

    /// Q11: (u, v, w, x, y); `None` while any of them is blank (u = Q4 total, D19).
    pub fn checkup(&self) -> Option<Checkup> {
        let u = self.employees_total()?;
        let v = self.int("checkup.excluded")?;
        let w = self.int("checkup.left_after")?;
        let y = self.int("checkup.examined")?;
        Some(Checkup {
            u,
            v,
            w,
            x: u - v + w,
            y,
        })
    }

    /// Whether a condition holds: `None` while what it reads is blank.
    pub fn holds(&self, ed: &Edition, c: &Condition) -> Option<bool> {
        match c {
            Condition::Any { id, options } => match self.values.get(id)? {
                Answer::One(n) => Some(options.contains(n)),
                Answer::Many(s) => Some(options.iter().any(|o| s.contains(o))),
                _ => None,
            },
            Condition::AtLeast { id, n } => Some(self.int(id)? >= *n),
            Condition::Computed(Computed::CapitalNeeded) => {
                let form = self.one(LEGAL_FORM)?;
                if !ed.size.capital_forms.value.contains(&form) {
                    return Some(false);
                }
                let industry = if ed.needs_industry(form) {
                    Some(self.one(INDUSTRY)?)
                } else {
                    None
                };
                let row = ed.size_row(form, industry)?;
                Some(self.employees_total()? > row.max_employees.value)
            }
            Condition::Computed(Computed::Q11Sq1Applies) => {
                let c = self.checkup()?;
                Some(c.sq1_applies(ed))
            }
            Condition::Computed(Computed::Q41Any) => {
                let ids = [
                    "bright.requests_talks",
                    "bright.requests_media",
                    "bright.requests_government",
                    "bright.requests_peers",
                    "bright.requests_other",
                ];
                let vals: Vec<Option<i64>> = ids.iter().map(|id| self.int(id)).collect();
                if vals.iter().any(|v| v.is_some_and(|v| v >= 1)) {
                    Some(true)
                } else if vals.iter().all(Option::is_some) {
                    Some(false)
                } else {
                    None
                }
            }
        }
    }

    /// Whether the question applies (its `when` holds): `None` while that is unknown.
    pub fn applies(&self, ed: &Edition, q: &Question) -> Option<bool> {
        match &q.when {
            None => Some(true),
            Some(c) => self.holds(ed, c),
        }
    }

    /// The 法人 profile (for the book and the report).
    pub fn corporation(&self) -> Corporation {
        let t = |id: &str| self.text(id).map(String::from);
        Corporation {
            name: t("corp.name"),
            kana: t("corp.kana"),
            number: t("corp.number"),
            prefecture: t("corp.prefecture"),
            city: t("corp.city"),
            legal_form: self.one(LEGAL_FORM),
            industry: self.one(INDUSTRY),
            industry_detail: self.one(INDUSTRY_DETAIL),
            capital_yen: self.int(CAPITAL),
            insurer: Insurer {
                kind: self.one("insurer.kind"),
                kyokai_branch: t("insurer.kyokai_branch"),
                kyokai_symbol: t("insurer.kyokai_symbol"),
                kenpo_name: t("insurer.kenpo_name"),
                kenpo_federation: t("insurer.kenpo_federation"),
                kenpo_number: t("insurer.kenpo_number"),
                other_name: t("insurer.other_name"),
            },
            employees: Employees {
                as_of: self.year_month("employees.as_of"),
                regular: self.int("employees.regular"),
                seconded: self.int("employees.seconded"),
                non_regular: self.int("employees.non_regular"),
                dispatched: self.int("employees.dispatched"),
                total: self.employees_total(),
                women: self.int("employees.women"),
                aged_65_plus: self.int("employees.aged_65_plus"),
            },
        }
    }

    pub fn dates(&self) -> Dates {
        Dates {
            uploaded: self.moment("dates.uploaded"),
            planned_upload: self.date("dates.planned_upload"),
            fee_paid: self.moment("dates.fee_paid"),
        }
    }
}

/// Q11's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Checkup {
    /// (u) 直近の従業員数 = Q4 合計 (D19)
    pub u: i64,
    /// (v) 対象除外人数
    pub v: i64,
    /// (w) 健診受診期間後退職人数
    pub w: i64,
    /// (x) 対象人数 = u − v + w
    pub x: i64,
    /// (y) 健診受診者数
    pub y: i64,
}

impl Checkup {
    /// 100·y ≥ p·x, compared exactly (D6).
    pub fn rate_at_least(&self, percent: i64) -> bool {
        100 * self.y >= percent * self.x
    }

    /// Q11 SQ1's condition (D5): 95 ≤ z < 100, or x below 20 with exactly one unexamined.
    pub fn sq1_applies(&self, ed: &Edition) -> bool {
        let p = &ed.params;
        self.y < self.x
            && (self.rate_at_least(p.checkup_rate_percent.value)
                || (self.x < p.checkup_small_below.value
                    && self.x - self.y == p.checkup_small_unexamined.value))
    }

    /// 「38 / 40 = 95.0%」
    pub fn rate_text(&self) -> String {
        if self.x <= 0 {
            return "—".into();
        }
        let permille = (self.y * 1000) / self.x;
        format!(
            "{} / {} = {}.{}%",
            self.y,
            self.x,
            permille / 10,
            permille % 10
        )
    }
}

/// The 法人 profile: 法人情報, Q1, Q2 and Q4 (the book keeps it beside the 事業場 profile; its
/// employees are NOT the JOHAS worker count).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Corporation {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub number: Option<String>,
    pub prefecture: Option<String>,
    pub city: Option<String>,
    /// Q2(a)
    pub legal_form: Option<u32>,
    /// Q2(b)
    pub industry: Option<u32>,
    /// Q2(c)
    pub industry_detail: Option<u32>,
    /// Q4 SQ1
    pub capital_yen: Option<i64>,
    pub insurer: Insurer,
    pub employees: Employees,
}

/// Q1 and its SQ1a–c.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insurer {
    pub kind: Option<u32>,
    pub kyokai_branch: Option<String>,
    pub kyokai_symbol: Option<String>,
    pub kenpo_name: Option<String>,
    pub kenpo_federation: Option<String>,
    pub kenpo_number: Option<String>,
    pub other_name: Option<String>,
}

/// Q4 by category (役員 excluded, the 法人's own outbound dispatched staff included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employees {
    pub as_of: Option<YearMonth>,
    pub regular: Option<i64>,
    pub seconded: Option<i64>,
    pub non_regular: Option<i64>,
    pub dispatched: Option<i64>,
    /// ①～④, `None` while one of them is blank.
    pub total: Option<i64>,
    pub women: Option<i64>,
    pub aged_65_plus: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dates {
    /// The last upload (= 申請日, D12).
    pub uploaded: Option<Moment>,
    pub planned_upload: Option<NaiveDate>,
    pub fee_paid: Option<Moment>,
}
