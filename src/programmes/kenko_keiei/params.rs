//! The edition data (`editions/kenko-keiei-chusho/<edition>.toml`) as typed parameters and a
//! question catalogue, checked when loaded: every rule ID has a function and a data entry, every
//! option belongs to its question, every condition names a question and its options, every
//! question the code reads exists with the kind the code expects, and the size tables cover
//! every 法人格 × 業種. A 2027 workbook is a new data file; nothing here names a year.

use crate::model::dates::YearMonth;
use crate::model::{Cited, DataError};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the code names in an edition's data: the rule functions, the questions it reads with
/// their kinds, and the two questions the size tables are keyed by. The loader
/// ([`super::load`](mod@super::load)) passes them in, so that the data layer knows no code above it.
pub struct Code<'a> {
    pub rules: Vec<&'a str>,
    pub reads: &'a [(&'a str, Kind)],
    pub legal_form: &'a str,
    pub industry: &'a str,
}

/// A calendar day written as a TOML date (`2025-10-17`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Day(pub NaiveDate);

/// A local date-time written as a TOML local date-time (`2025-10-17T17:00:00`), JST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Time(pub NaiveDateTime);

fn toml_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<toml::value::Datetime, D::Error> {
    toml::value::Datetime::deserialize(d)
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml_datetime(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
                    .map(Day)
                    .ok_or_else(|| serde::de::Error::custom(format!("no such day: {dt}")))
            }
            _ => Err(serde::de::Error::custom(format!(
                "expected a date like 2025-10-17, got {dt}"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml_datetime(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), Some(time), None) => {
                let day =
                    NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32);
                let t = NaiveTime::from_hms_opt(
                    time.hour as u32,
                    time.minute as u32,
                    time.second.unwrap_or(0) as u32,
                );
                match (day, t) {
                    (Some(d), Some(t)) => Ok(Time(d.and_time(t))),
                    _ => Err(serde::de::Error::custom(format!("no such time: {dt}"))),
                }
            }
            _ => Err(serde::de::Error::custom(format!(
                "expected a local date-time like 2025-10-17T17:00:00 (JST), got {dt}"
            ))),
        }
    }
}

/// Every number and date of the edition, each with its cite.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Numbers {
    pub answer_period_from: Cited<Day>,
    pub upload_deadline: Cited<Time>,
    pub receipt_mail_by: Cited<Day>,
    pub receipt_mail_ask_from: Cited<Day>,
    pub invoice_month: Cited<YearMonth>,
    pub invoice_ask_month: Cited<YearMonth>,
    pub fee_yen: Cited<i64>,
    pub fee_yen_excluding_tax: Cited<i64>,
    pub fee_deadline: Cited<Time>,
    pub results_month: Cited<YearMonth>,
    pub certification_valid_until: Cited<Day>,
    pub retention_from: Cited<Day>,
    pub retention_years: Cited<i64>,
    pub retention_until: Cited<Day>,
    pub submit_within_days: Cited<i64>,
    pub pledge_year: Cited<i32>,
    pub executive_checkup_from: Cited<Day>,
    pub insurer_change_from: Cited<Day>,
    pub violations_from: Cited<Day>,
    pub checkup_fiscal_years: Cited<Vec<i32>>,
    pub checkup_rate_percent: Cited<i64>,
    pub checkup_small_below: Cited<i64>,
    pub checkup_small_unexamined: Cited<i64>,
    pub kyokai_symbol_digits: Cited<Vec<usize>>,
    pub seamen_symbol_digits: Cited<usize>,
    pub corporate_number_digits: Cited<usize>,
}

/// One row of a size table: the limit for some 法人格 (and 業種, where it matters).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRow {
    pub legal_forms: Vec<u32>,
    pub industry: Option<u32>,
    pub max_employees: Cited<i64>,
    pub max_capital_yen: Option<Cited<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub min_employees: Cited<i64>,
    /// 法人格 for which the capital is an alternative to the employee count.
    pub capital_forms: Cited<Vec<u32>>,
    /// 法人格 for which Q2(b) 業種 is asked and decides the limits.
    pub industry_forms: Cited<Vec<u32>>,
    pub rows: Vec<SizeRow>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tokurei {
    pub note: Cited<String>,
    pub published: Cited<String>,
    pub rows: Vec<SizeRow>,
}

/// 通常 (中小規模法人部門) or 特例 (小規模事業者向け特例).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Track {
    Normal,
    Tokurei,
}

impl Track {
    pub const ALL: [Track; 2] = [Track::Normal, Track::Tokurei];

    pub fn name(self) -> &'static str {
        match self {
            Track::Normal => "normal",
            Track::Tokurei => "tokurei",
        }
    }

    /// 「通常」「特例」: the short label in messages.
    pub fn label(self) -> &'static str {
        match self {
            Track::Normal => "通常",
            Track::Tokurei => "特例",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackDef {
    pub name: String,
    pub cite: String,
    /// The 必須 rules: any fail → 満たさない.
    pub required: Vec<String>,
    /// The counting rules of this track.
    pub counts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracks {
    pub normal: TrackDef,
    pub tokurei: TrackDef,
}

impl Tracks {
    pub fn get(&self, t: Track) -> &TrackDef {
        match t {
            Track::Normal => &self.normal,
            Track::Tokurei => &self.tokurei,
        }
    }
}

/// A counting rule on one track: at least `at_least` of `items` (rule IDs) pass.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountDef {
    pub rule: String,
    pub track: Track,
    /// 「④～⑩」
    pub label: String,
    pub items: Vec<String>,
    pub at_least: Cited<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrightDef {
    pub label: String,
    pub items: Vec<String>,
    pub at_least: Cited<u32>,
    /// The track whose 必須 set the gate needs (D11).
    pub required_track: Track,
    pub weights: Cited<Vec<u32>>,
    pub ranks: Cited<Vec<u32>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: String,
    pub title: String,
    pub text: String,
    pub cite: String,
}

/// A damaged passage of the reference: the data uses `corrected` where line `line` reads
/// `original`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    pub line: usize,
    pub original: String,
    pub corrected: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    /// 「①」…「⑰」 for the evaluation items.
    pub mark: Option<String>,
    pub cite: String,
    #[serde(default)]
    pub decisions: Vec<String>,
    /// The workbook's own sentences.
    pub quote: Vec<String>,
    /// The questions (catalogue IDs) the rule reads.
    #[serde(default)]
    pub questions: Vec<String>,
    /// What would make a failing finding pass, where that is not an option of a question.
    pub change: Option<String>,
}

/// The shape of an answer cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 1つだけ: one option number.
    One,
    /// いくつでも: a set of option numbers.
    Many,
    /// A non-negative whole number (persons, times, hours, %).
    Count,
    /// A whole number (a year, an amount in 千円 that may be negative).
    Int,
    /// An amount in yen, not negative.
    Yen,
    Text,
    Date,
    /// A date, or a date and time (JST).
    Datetime,
    YearMonth,
    Bool,
    /// `false`, `true`, or the date it happened.
    BoolOrDate,
}

impl Kind {
    /// What to write, in Japanese, for messages and the template.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::One => "選択肢の番号を1つ（例: 1）",
            Kind::Many => "選択肢の番号の配列（例: [1, 3]）",
            Kind::Count => "0以上の整数",
            Kind::Int => "整数",
            Kind::Yen => "0以上の金額（円、整数）",
            Kind::Text => "文字列",
            Kind::Date => "日付（例: 2025-09-30）",
            Kind::Datetime => "日付または日時（例: 2025-10-10T14:30）",
            Kind::YearMonth => "年月（例: \"2025-08\"）",
            Kind::Bool => "true または false",
            Kind::BoolOrDate => "false、true、または起きた日付（例: 2023-05-10）",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QOption {
    pub n: u32,
    pub text: String,
    /// 「健康経営優良法人不認定」「評価項目不適合」…: the workbook's marker after ⇒.
    pub marker: Option<String>,
    /// Q2(c): the Q2(b) 業種 this detail belongs to under L265–271, where the table decides it.
    pub industry: Option<u32>,
    pub cite: String,
}

/// Documents to keep (保存資料表).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Doc {
    pub text: String,
    pub cite: String,
}

/// An exclusion the 審査 applies to what is ticked (shown as a warning).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Caution {
    /// Only when this option is ticked (else: whenever the question counts).
    pub option: Option<u32>,
    pub quote: String,
    pub cite: String,
}

/// A condition computed by the program (not a single answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Computed {
    /// Q4 SQ1: Q2(a) allows a capital and Q4's total exceeds the employee limit.
    CapitalNeeded,
    /// Q11 SQ1: 95 ≤ z < 100, or x below 20 with exactly one person unexamined.
    Q11Sq1Applies,
    /// Q41 SQ1: any of Q41 1–5 at least once.
    Q41Any,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    id: Option<String>,
    any: Option<Vec<u32>>,
    at_least: Option<i64>,
    computed: Option<Computed>,
}

/// When a question applies (or must be answered).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The question `id` has any of these options (one: equals; many: contains).
    Any {
        id: String,
        options: Vec<u32>,
    },
    /// The number `id` is at least `n`.
    AtLeast {
        id: String,
        n: i64,
    },
    Computed(Computed),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    key: String,
    label: String,
    kind: Kind,
    text: Option<String>,
    cite: String,
    #[serde(default)]
    star: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default = "yes")]
    on_form: bool,
    unit: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    when: Option<RawCondition>,
    required_when: Option<RawCondition>,
    #[serde(default)]
    feeds: Vec<String>,
    none: Option<u32>,
    #[serde(default)]
    exclusive: Vec<u32>,
    #[serde(default)]
    other: Vec<u32>,
    #[serde(default)]
    advice_skip: Vec<u32>,
    note: Option<String>,
    lenient: Option<Lenient>,
    #[serde(default)]
    options: Vec<QOption>,
    #[serde(default)]
    docs: Vec<Doc>,
    #[serde(default)]
    cautions: Vec<Caution>,
}

/// A text answer's lenient reading, one of the input boundary's (`x-lenient`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lenient {
    /// Digits and hyphens: 全角 digits and dashes read as 半角.
    Digits,
    /// NNN-NNNN: 〒, 全角 and a missing hyphen read.
    PostalCode,
}

impl Lenient {
    /// The name the input boundary knows it by.
    pub fn as_str(self) -> &'static str {
        match self {
            Lenient::Digits => "digits",
            Lenient::PostalCode => "postal_code",
        }
    }
}

fn yes() -> bool {
    true
}

/// One answer cell of the workbook (or a fact the rules need that the workbook does not ask).
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// Stable across editions: `education`, `plan.owner`, `corp.number`.
    pub id: String,
    /// The answers-file key (dotted path): `answers.q14`, `corporation.legal_form`.
    pub key: String,
    /// The workbook's number: 「Q14」「Q10 SQ7」「Q2(a)」.
    pub label: String,
    pub kind: Kind,
    /// The workbook's question text.
    pub text: Option<String>,
    pub cite: String,
    /// ★: 必須記載項目及び認定要件に係る設問 (L753).
    pub star: bool,
    /// 任意 (Q42–Q58, optional contact fields).
    pub optional: bool,
    /// false: a fact the workbook does not ask.
    pub on_form: bool,
    pub unit: Option<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub when: Option<Condition>,
    pub required_when: Option<Condition>,
    pub feeds: Vec<String>,
    pub none: Option<u32>,
    pub exclusive: Vec<u32>,
    pub other: Vec<u32>,
    pub advice_skip: Vec<u32>,
    pub note: Option<String>,
    /// How a text answer may be read leniently at the input boundary (the schema's
    /// `x-lenient`): a number written as text (法人番号, 記号, 電話番号) or a 郵便番号.
    pub lenient: Option<Lenient>,
    pub options: Vec<QOption>,
    pub docs: Vec<Doc>,
    pub cautions: Vec<Caution>,
}

impl Question {
    pub fn option(&self, n: u32) -> Option<&QOption> {
        self.options.iter().find(|o| o.n == n)
    }

    /// 「3 サービス業」
    pub fn option_label(&self, n: u32) -> String {
        match self.option(n) {
            Some(o) => format!("{n} {}", o.text),
            None => n.to_string(),
        }
    }

    /// The key of the 「その他」 text (`answers.q8_sq2_other`), when the question has one.
    pub fn other_key(&self) -> Option<String> {
        (!self.other.is_empty()).then(|| format!("{}_other", self.key))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    programme: String,
    edition: String,
    programme_name: String,
    edition_name: String,
    #[serde(default)]
    title: Option<String>,
    workbook: Cited<String>,
    sheet: Cited<String>,
    reference_file: String,
    disclaimer: Cited<String>,
    params: Numbers,
    size: Size,
    tokurei: Tokurei,
    tracks: Tracks,
    counts: Vec<CountDef>,
    bright: BrightDef,
    decisions: Vec<Decision>,
    #[serde(default)]
    errata: Vec<Erratum>,
    rules: Vec<RuleDef>,
    questions: Vec<RawQuestion>,
}

/// One edition of 健康経営優良法人（中小規模法人部門）, loaded from its data file and checked.
#[derive(Debug, Clone)]
pub struct Edition {
    /// `kenko-keiei-chusho`
    pub programme: String,
    /// `2026`
    pub edition: String,
    pub programme_name: String,
    pub edition_name: String,
    /// 「健康経営優良法人2026（中小規模法人部門）」: the name for titles (by default the
    /// programme's and the edition's names).
    pub title: String,
    pub workbook: Cited<String>,
    pub sheet: Cited<String>,
    /// The reference (docs/reference/…) the cites and quotes come from.
    pub reference_file: String,
    /// The workbook's own disclaimer, carried by every verdict.
    pub disclaimer: Cited<String>,
    pub params: Numbers,
    pub size: Size,
    pub tokurei: Tokurei,
    pub tracks: Tracks,
    pub counts: Vec<CountDef>,
    pub bright: BrightDef,
    pub decisions: Vec<Decision>,
    pub errata: Vec<Erratum>,
    pub rules: Vec<RuleDef>,
    /// In the workbook's order.
    pub questions: Vec<Question>,
    /// The data file (for messages).
    pub source: String,
    by_id: BTreeMap<String, usize>,
    by_key: BTreeMap<String, usize>,
}

impl Edition {
    /// Parses one edition file and checks it, and checks it against what the code names.
    pub fn load(path: &str, text: &str, code: &Code) -> Result<Edition, DataError> {
        let raw: RawEdition = toml::from_str(text).map_err(|e| {
            DataError::new(path, format!("TOML として読めないか、項目が違います: {e}"))
        })?;
        let err = |m: String| DataError::new(path, m);
        let mut questions = Vec::new();
        for q in raw.questions {
            let when = q
                .when
                .map(|c| condition(&q.id, "when", c))
                .transpose()
                .map_err(err)?;
            let required_when = q
                .required_when
                .map(|c| condition(&q.id, "required_when", c))
                .transpose()
                .map_err(err)?;
            questions.push(Question {
                id: q.id,
                key: q.key,
                label: q.label,
                kind: q.kind,
                text: q.text,
                cite: q.cite,
                star: q.star,
                optional: q.optional,
                on_form: q.on_form,
                unit: q.unit,
                min: q.min,
                max: q.max,
                when,
                required_when,
                feeds: q.feeds,
                none: q.none,
                exclusive: q.exclusive,
                other: q.other,
                advice_skip: q.advice_skip,
                note: q.note,
                lenient: q.lenient,
                options: q.options,
                docs: q.docs,
                cautions: q.cautions,
            });
        }
        let mut by_id = BTreeMap::new();
        let mut by_key = BTreeMap::new();
        for (i, q) in questions.iter().enumerate() {
            if by_id.insert(q.id.clone(), i).is_some() {
                return Err(err(format!("質問 ID \"{}\" が2回あります。", q.id)));
            }
            if by_key.insert(q.key.clone(), i).is_some() {
                return Err(err(format!("回答キー \"{}\" が2回あります。", q.key)));
            }
        }
        let e = Edition {
            programme: raw.programme,
            edition: raw.edition,
            title: raw
                .title
                .unwrap_or_else(|| format!("{}（{}）", raw.programme_name, raw.edition_name)),
            programme_name: raw.programme_name,
            edition_name: raw.edition_name,
            workbook: raw.workbook,
            sheet: raw.sheet,
            reference_file: raw.reference_file,
            disclaimer: raw.disclaimer,
            params: raw.params,
            size: raw.size,
            tokurei: raw.tokurei,
            tracks: raw.tracks,
            counts: raw.counts,
            bright: raw.bright,
            decisions: raw.decisions,
            errata: raw.errata,
            rules: raw.rules,
            questions,
            source: path.to_string(),
            by_id,
            by_key,
        };
        e.check(code).map_err(err)?;
        Ok(e)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.by_id.get(id).map(|&i| &self.questions[i])
    }

    /// The question the code reads by ID; the load check guarantees it exists.
    pub(crate) fn q(&self, id: &str) -> &Question {
        self.question(id)
            .unwrap_or_else(|| panic!("question {id} (checked at load)"))
    }

    pub fn question_by_key(&self, key: &str) -> Option<&Question> {
        self.by_key.get(key).map(|&i| &self.questions[i])
    }

    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn decision(&self, id: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.id == id)
    }

    /// The counting rule `rule` on `track`, if it applies there.
    pub fn count(&self, rule: &str, track: Track) -> Option<&CountDef> {
        self.counts
            .iter()
            .find(|c| c.rule == rule && c.track == track)
    }

    /// The size-table row for a 法人格 (and 業種, where the table needs it).
    pub fn size_row(&self, legal_form: u32, industry: Option<u32>) -> Option<&SizeRow> {
        row(&self.size.rows, legal_form, industry)
    }

    pub fn tokurei_row(&self, legal_form: u32, industry: Option<u32>) -> Option<&SizeRow> {
        row(&self.tokurei.rows, legal_form, industry)
    }

    /// Whether Q2(b) 業種 is asked (and matters) for this 法人格.
    pub fn needs_industry(&self, legal_form: u32) -> bool {
        self.size.industry_forms.value.contains(&legal_form)
    }

    fn check(&self, code: &Code) -> Result<(), String> {
        // Rules: the data and the functions name the same IDs.
        let data: BTreeSet<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
        if data.len() != self.rules.len() {
            return Err("[[rules]] に同じ ID が2回あります。".into());
        }
        let functions: BTreeSet<&str> = code.rules.iter().copied().collect();
        if let Some(id) = data.difference(&functions).next() {
            return Err(format!("規則 {id} を実装する関数がありません。"));
        }
        if let Some(id) = functions.difference(&data).next() {
            return Err(format!(
                "規則 {id} の [[rules]] がありません（題名・出典・引用）。"
            ));
        }
        let decisions: BTreeSet<&str> = self.decisions.iter().map(|d| d.id.as_str()).collect();
        for r in &self.rules {
            if r.quote.is_empty() {
                return Err(format!("{} に quote がありません。", r.id));
            }
            for d in &r.decisions {
                if !decisions.contains(d.as_str()) {
                    return Err(format!(
                        "{} の判断 {d} が [[decisions]] にありません。",
                        r.id
                    ));
                }
            }
            for q in &r.questions {
                if self.question(q).is_none() {
                    return Err(format!("{} の質問 {q} がありません。", r.id));
                }
            }
        }
        // Questions: options, conditions, feeds.
        for q in &self.questions {
            let opts: Vec<u32> = q.options.iter().map(|o| o.n).collect();
            match q.kind {
                Kind::One | Kind::Many => {
                    if opts != (1..=opts.len() as u32).collect::<Vec<_>>() || opts.is_empty() {
                        return Err(format!(
                            "{} の選択肢の番号が 1 から順になっていません: {opts:?}",
                            q.id
                        ));
                    }
                }
                _ if !opts.is_empty() => {
                    return Err(format!("{} は {:?} なのに選択肢があります。", q.id, q.kind))
                }
                _ => {}
            }
            for n in q
                .none
                .iter()
                .chain(&q.exclusive)
                .chain(&q.other)
                .chain(&q.advice_skip)
                .chain(q.cautions.iter().filter_map(|c| c.option.as_ref()))
            {
                if !opts.contains(n) {
                    return Err(format!("{} の選択肢 {n} がありません。", q.id));
                }
            }
            for c in q.when.iter().chain(&q.required_when) {
                match c {
                    Condition::Any { id, options } => {
                        let Some(p) = self.question(id) else {
                            return Err(format!("{} の条件の質問 {id} がありません。", q.id));
                        };
                        if !matches!(p.kind, Kind::One | Kind::Many) {
                            return Err(format!(
                                "{} の条件 {id} は選択肢の質問ではありません。",
                                q.id
                            ));
                        }
                        if let Some(n) = options.iter().find(|n| p.option(**n).is_none()) {
                            return Err(format!(
                                "{} の条件の選択肢 {id} = {n} がありません。",
                                q.id
                            ));
                        }
                    }
                    Condition::AtLeast { id, .. } => {
                        if !self.question(id).is_some_and(|p| p.kind == Kind::Count) {
                            return Err(format!(
                                "{} の条件の質問 {id} は人数・回数ではありません。",
                                q.id
                            ));
                        }
                    }
                    Condition::Computed(_) => {}
                }
            }
            for r in &q.feeds {
                if !data.contains(r.as_str()) {
                    return Err(format!("{} の feeds の規則 {r} がありません。", q.id));
                }
            }
        }
        // Every question the code reads exists, with the kind the code reads.
        for (id, kind) in code.reads {
            match self.question(id) {
                None => return Err(format!("プログラムが読む質問 {id} がありません。")),
                Some(q) if q.kind != *kind => {
                    return Err(format!(
                        "質問 {id} は {:?} であるべきところ {:?} です。",
                        kind, q.kind
                    ))
                }
                Some(_) => {}
            }
        }
        // Tracks, counts and the gate name rules that exist; every track has its counts.
        for t in Track::ALL {
            let def = self.tracks.get(t);
            for r in def.required.iter().chain(&def.counts) {
                if !data.contains(r.as_str()) {
                    return Err(format!("{} の規則 {r} がありません。", t.name()));
                }
            }
            for c in &def.counts {
                if self.count(c, t).is_none() {
                    return Err(format!(
                        "{} の {c} の項目数（[[counts]] track = \"{}\"）がありません。",
                        t.name(),
                        t.name()
                    ));
                }
            }
        }
        for c in &self.counts {
            if !self.tracks.get(c.track).counts.contains(&c.rule) {
                return Err(format!(
                    "[[counts]] {} は {} の counts にありません。",
                    c.rule,
                    c.track.name()
                ));
            }
            if c.at_least.value as usize > c.items.len() {
                return Err(format!(
                    "[[counts]] {} の at_least が項目数より多いです。",
                    c.rule
                ));
            }
            for i in &c.items {
                if !data.contains(i.as_str()) {
                    return Err(format!("[[counts]] {} の項目 {i} がありません。", c.rule));
                }
            }
        }
        for i in &self.bright.items {
            if !data.contains(i.as_str()) {
                return Err(format!("[bright] の項目 {i} がありません。"));
            }
        }
        // Size tables: every 法人格 (× 業種 where asked) has exactly one row.
        let legal = self.q(code.legal_form);
        let industry = self.q(code.industry);
        for (name, rows) in [("size", &self.size.rows), ("tokurei", &self.tokurei.rows)] {
            for f in &legal.options {
                let inds: Vec<Option<u32>> = if self.needs_industry(f.n) {
                    industry.options.iter().map(|o| Some(o.n)).collect()
                } else {
                    vec![None]
                };
                for i in inds {
                    let n = rows
                        .iter()
                        .filter(|r| {
                            r.legal_forms.contains(&f.n)
                                && (r.industry.is_none() || r.industry == i)
                        })
                        .count();
                    if n != 1 {
                        return Err(format!(
                            "[{name}] の表で 法人格 {} {} の行が {n} 行あります（1行にしてください）。",
                            f.n,
                            i.map(|i| format!("業種 {i}")).unwrap_or_default()
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

fn row(rows: &[SizeRow], legal_form: u32, industry: Option<u32>) -> Option<&SizeRow> {
    rows.iter().find(|r| {
        r.legal_forms.contains(&legal_form) && (r.industry.is_none() || r.industry == industry)
    })
}

fn condition(q: &str, field: &str, c: RawCondition) -> Result<Condition, String> {
    match (c.id, c.any, c.at_least, c.computed) {
        (Some(id), Some(options), None, None) if !options.is_empty() => {
            Ok(Condition::Any { id, options })
        }
        (Some(id), None, Some(n), None) => Ok(Condition::AtLeast { id, n }),
        (None, None, None, Some(k)) => Ok(Condition::Computed(k)),
        _ => Err(format!(
            "{q} の {field} は {{ id, any }}、{{ id, at_least }}、{{ computed }} のどれか1つにしてください。"
        )),
    }
}
