//! A JOHAS grant as a programme: the commands' view of it ([`Programme`], [`Case`],
//! [`Judgement`]), over the claim file, the evaluation, the packet and the book's history
//! this folder holds, and the grant's hooks.

use super::edition::Edition;
use super::evaluate::evaluate;
use super::evaluation::Evaluation;
use super::grant::JohasProgramme;
use super::model::Claim;
use super::packet;
use crate::input::book::{BookInput, Client, Record, State};
use crate::input::tree::Node;
use crate::input::{Input, InputError, Problem};
use crate::model::dates::wareki;
use crate::model::doc::{Dated, DeadlineKind, Explanation, Packet, PacketError, Summary};
use crate::model::findings::{Finding, Outcome};
use crate::model::{DataError, Notice, Written};
use crate::programmes::programme::{Case, Judgement, Programme};
use chrono::{Datelike, NaiveDate};
use std::any::Any;
use std::collections::BTreeMap;

use super::editions::{edition_of, editions_of};

impl JohasProgramme {
    fn editions(&self) -> Vec<&'static Edition> {
        editions_of(self)
    }

    /// The edition named, or the newest one.
    pub fn edition(&self, named: Option<&str>) -> Result<&'static Edition, String> {
        edition_of(self, named)
    }
}

impl Programme for JohasProgramme {
    fn load_data(&self, dirs: &[std::path::PathBuf]) -> Result<(), DataError> {
        // Both grants share the JOHAS data: loaded and checked once.
        static LOADED: std::sync::OnceLock<Result<(), DataError>> = std::sync::OnceLock::new();
        LOADED
            .get_or_init(|| {
                super::editions::init_extra(dirs).and_then(|()| super::evaluate::check_data())
            })
            .clone()
    }

    fn id(&self) -> &'static str {
        (**self).id()
    }

    fn name(&self) -> String {
        self.edition(None)
            .map(|e| e.grant_name.clone())
            .unwrap_or_else(|_| (**self).id().to_string())
    }

    fn short_name(&self) -> &'static str {
        (**self).short_name()
    }

    fn names(&self) -> Vec<String> {
        let mut names = vec![(**self).id().to_string(), self.section().to_string()];
        for e in self.editions() {
            names.push(e.grant_name.clone());
            names.push(e.guide.clone());
        }
        names
    }

    fn profile_columns(&self) -> &'static [crate::input::columns::Column] {
        super::profile_columns::COLUMNS
    }

    fn edition_lines(&self, today: NaiveDate) -> Vec<String> {
        self.editions()
            .iter()
            .map(|e| {
                let status = if today > e.application.closes.value {
                    "受付終了"
                } else if today < e.application.opens.value {
                    "受付前"
                } else {
                    "受付中"
                };
                format!(
                    "{}\t{}\t{}\t{status}（確認日 {}）",
                    e.grant.id(),
                    e.edition,
                    e.describe(),
                    crate::model::dates::wareki(today)
                )
            })
            .collect()
    }

    fn owns(&self, root: &Node) -> bool {
        root.at("claim.grant")
            .and_then(|g| g.as_str())
            .is_some_and(|g| g.trim() == (**self).id())
    }

    fn read(&self, input: Input) -> Result<Box<dyn Case>, InputError> {
        super::read::check(input).map(|c| Box::new(c) as Box<dyn Case>)
    }

    fn book_input(&self, client: &Client, index: usize) -> BookInput {
        super::history::build(client, index).into_book_input()
    }

    fn profile_sections(&self) -> &'static [&'static str] {
        &super::claim_file::PROFILE_SECTIONS
    }

    fn check_profile(&self, input: &Input) -> Vec<Problem> {
        super::read::check_sections(input, &super::claim_file::PROFILE_SECTIONS).problems
    }

    fn schema_json(&self) -> String {
        super::read::schema_json()
    }

    fn explain(&self, edition: Option<&str>, today: NaiveDate) -> Result<Explanation, String> {
        self.edition(edition)
            .map(|ed| super::explain::explanation(ed, today))
    }

    fn template(&self) -> String {
        super::interview::template(self)
    }

    fn questionnaire(&self) -> Option<&'static dyn crate::model::interview::Questionnaire> {
        super::interview::questionnaire(self)
    }
}

impl Case for Claim {
    fn programme(&self) -> &'static dyn Programme {
        self.grant.programme()
    }

    fn file(&self) -> &str {
        &self.file
    }

    fn notices(&self) -> &[Notice] {
        &self.notices
    }

    fn written(&self) -> &BTreeMap<String, Written> {
        &self.written
    }

    fn round(&self) -> Option<u32> {
        Some(self.round)
    }

    fn judge(self: Box<Self>, today: NaiveDate, preflight: bool) -> Box<dyn Judgement> {
        let mut ev = evaluate(&self, today);
        if preflight {
            // `check` promises the packet: lay the forms out (no PDF) and report every value
            // they could not print, by claim-file key.
            ev.form_problems = packet::preflight(&self, &ev);
        }
        Box::new(Judged { claim: *self, ev })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A JOHAS claim and its evaluation.
#[derive(Debug)]
pub struct Judged {
    pub claim: Claim,
    pub ev: Evaluation,
}

impl Judgement for Judged {
    fn case(&self) -> &dyn Case {
        &self.claim
    }

    fn eligible(&self) -> Option<bool> {
        self.ev.eligible
    }

    fn complete(&self) -> bool {
        self.ev.complete()
    }

    fn verdict_line(&self) -> String {
        super::report::verdict_line(&self.ev)
    }

    fn findings(&self) -> &[Finding] {
        &self.ev.findings
    }

    fn human(&self, verbose: bool) -> String {
        format!(
            "{}{}",
            super::report::human(&self.ev, verbose),
            packet::preflight::human_section(&self.ev)
        )
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(&self.ev).unwrap_or_default()
    }

    fn report_article(&self, state: Option<&str>) -> Result<String, String> {
        super::report_page::article(&self.claim, &self.ev, state.map(str::to_string))
    }

    fn packet(&self) -> Result<Packet, PacketError> {
        let p = packet::build(&self.claim, &self.ev).map_err(|e| match e {
            packet::PacketError::Problems(list) => {
                PacketError::Problems(packet::preflight::problems_text(&list))
            }
            other => PacketError::Other(other.to_string()),
        })?;
        Ok(Packet {
            files: p.files,
            terminal: packet::checklist_for_terminal(&p.checklist_text),
        })
    }

    fn summary(&self) -> Summary {
        let ev = &self.ev;
        let verdict = match ev.eligible {
            Some(false) => "不適合",
            None => "判定不能",
            Some(true) if !ev.missing_attachments.is_empty() => "書類不足",
            Some(true) if !ev.form_problems.is_empty() => "記入不足",
            Some(true) => "適合",
        };
        let mut reasons = Vec::new();
        let mut notes = Vec::new();
        for fp in &ev.form_problems {
            let key = if fp.key.is_empty() {
                String::new()
            } else {
                format!("{}: ", fp.key)
            };
            reasons.push(format!("申請書類 {key}{}", fp.message));
        }
        for f in &ev.findings {
            let line = format!("{} {}: {}", f.rule, f.outcome.label(), f.message);
            if f.outcome >= Outcome::Unknown {
                reasons.push(line);
            } else if f.outcome > Outcome::Pass
                // Advice said on every claim (「受付を終了することがあります」) would only
                // repeat in the book's notes.
                && !self
                    .claim
                    .edition
                    .rule(&f.rule)
                    .is_some_and(|r| r.every_claim)
            {
                notes.push(line);
            }
        }
        Summary {
            round: Some(self.claim.round),
            verdict: verdict.into(),
            amount_yen: Some(ev.amount_yen),
            window: ev.window.map(|w| (w.from, w.to)),
            deadline: None,
            missing: ev
                .missing_attachments
                .iter()
                .map(|m| m.name.clone())
                .collect(),
            reasons,
            notes,
        }
    }

    fn deadlines(
        &self,
        state: State,
        record: &Record,
        siblings: &[(State, &dyn Judgement)],
        me: usize,
    ) -> Vec<Dated> {
        let claim = &self.claim;
        let short = claim.grant.short_name();
        let mut out = Vec::new();
        // 1. An open claim: its window.
        if state == State::Open {
            if let Some(w) = self.ev.window {
                out.push(Dated {
                    kind: DeadlineKind::Window,
                    round: Some(claim.round),
                    opens: Some(w.from),
                    closes: w.to,
                    what: format!("{short} {}回目の申請期間", claim.round),
                    extra: String::new(),
                });
            }
        }
        // 2. A paid claim: the end of retention (手引 II-4: from the year after the grant is
        // received, for N years).
        if state == State::Granted {
            let paid = record.paid_on.or(record.decided_on).or(record.submitted_on);
            let years = claim.edition.retention_years();
            if let Some(paid) = paid {
                let end_year = paid.year() + years as i32;
                if let Some(end) = NaiveDate::from_ymd_opt(end_year, 12, 31) {
                    out.push(Dated {
                        kind: DeadlineKind::RetentionEnds,
                        round: Some(claim.round),
                        opens: None,
                        closes: end,
                        what: format!(
                            "{short} {}回目（{}受給）の書類の保存期間の終了 {}（受給の翌年から{}年間、手引 II-4）",
                            claim.round,
                            wareki(paid),
                            wareki(end),
                            years
                        ),
                        extra: String::new(),
                    });
                }
            }
        }
        // 3. The next claim the client could make (a 2nd claim of a grant paid twice).
        if let Some(next) = claim.grant.next_claim(claim, state, siblings, me) {
            out.push(next);
        }
        out
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
