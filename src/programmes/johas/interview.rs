//! The commented claim file `new` writes (answers, or a template without answers), and
//! reading one back to resume.

use super::grant::{self as grants, JohasProgramme};
use super::questions::{self, get, Kind, Step, Table};
use crate::model::interview::{Confirm, Failing, Questionnaire};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Values as answered; unknown facts as commented keys.
    Answers,
    /// Every key commented, with what to write.
    Template,
}

/// The edition the answers point at (by the application date), or the newest one.
pub fn edition_for(grant: &JohasProgramme, t: &Table) -> &'static super::edition::Edition {
    let named = get(t, "claim.edition").and_then(|v| v.as_str());
    let date = get(t, "claim.application_date")
        .map(|v| v.to_string().trim_matches('"').to_string())
        .and_then(|s| crate::input::checks::parse_date(&s));
    date.and_then(|d| super::editions::select(grant, named, d).ok())
        .or_else(|| super::editions::edition_of(grant, named).ok())
        .expect("every grant has an edition")
}

/// The interview of a grant (its programme, as registered).
pub fn questionnaire(grant: &JohasProgramme) -> Option<&'static dyn Questionnaire> {
    grants::grant(grant.id()).map(|g| g as &'static dyn Questionnaire)
}

/// A grant's interview: its questions, why each is asked, and the claim file they make.
impl Questionnaire for JohasProgramme {
    fn steps(&self) -> Vec<Step> {
        questions::steps(self)
    }

    fn why(&self, answers: &Table, key: &str) -> Vec<String> {
        let ed = edition_for(self, answers);
        ed.rules_reading(key)
            .into_iter()
            .map(|r| {
                let title = ed.rule(&r.id).map(|x| x.title.as_str()).unwrap_or("");
                match r.quote.first() {
                    Some(q) => format!("[{}] {title} — 手引「{q}」", r.id),
                    None => format!("[{}] {title}", r.id),
                }
            })
            .collect()
    }

    fn read_answer(
        &self,
        key: &str,
        kind: Kind,
        text: &str,
    ) -> Result<(toml::Value, Option<String>), String> {
        questions::read_answer(key, kind, text)
    }

    fn failing(
        &self,
        answers: &Table,
        asked: &BTreeSet<String>,
        key: &str,
        today: chrono::NaiveDate,
    ) -> Vec<Failing> {
        // The answers so far, as a claim: the grant's own section is there even before its
        // first answer (as in the file `new` writes).
        let mut t = answers.clone();
        t.entry(self.section().to_string())
            .or_insert_with(|| toml::Value::Table(Table::new()));
        let root = crate::input::tree::Node::from_toml(&toml::Value::Table(t.clone()), 0);
        let input = crate::input::Input::from_tree("（回答）", root, crate::input::Format::Toml);
        let Ok(claim) = super::read::check(input) else {
            return Vec::new();
        };
        let ev = super::evaluate::evaluate(&claim, today);
        let ed = claim.edition;
        ev.findings
            .iter()
            .filter(|f| f.outcome == crate::model::findings::Outcome::Fail)
            .filter(|f| {
                // Only rules whose facts have all been asked (a list not asked yet is not a
                // fault) and that read the key just answered.
                ed.rule(&f.rule).is_some_and(|r| {
                    !r.facts.is_empty()
                        && r.facts.iter().all(|k| asked.contains(k))
                        && r.facts
                            .iter()
                            .any(|k| k == key || key.starts_with(&format!("{k}.")))
                })
            })
            .map(|f| Failing {
                rule: f.rule.clone(),
                message: format!("[{}] {}: {}", f.rule, f.title, f.message),
                changes: super::whatif::changes(
                    &claim,
                    &|k| super::whatif::lookup(&t, k).is_some(),
                    f,
                    today,
                ),
            })
            .collect()
    }

    fn confirms(&self, answers: &Table) -> Vec<Confirm> {
        let ed = edition_for(self, answers);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for a in &ed.attachments {
            let Some(k) = &a.key else { continue };
            if !super::attachments::applies_to_answers(self, answers, &a.when)
                || !seen.insert(k.clone())
            {
                continue;
            }
            out.push(Confirm {
                key: format!("attachments.{k}"),
                intro: format!("[{}] {}\n    確認すること: {}", a.id, a.name, a.must_show),
            });
        }
        out
    }

    fn render(&self, answers: &Table, asked: &BTreeSet<String>) -> String {
        render(self, answers, asked, Mode::Answers)
    }

    fn resume(&self, path: &Path) -> Result<(Table, Vec<crate::model::Notice>), String> {
        read_answers(path)
    }

    fn check_known_keys(&self, answers: &Table) -> Result<(), String> {
        check_known_keys(answers)
    }

    fn from_history(&self) -> &'static [&'static str] {
        // history.rs: a 産業医 claim without `round` gets it from the book, and the client's
        // earlier claims are its `previous_claims`.
        &["claim.round", "previous_claims"]
    }

    fn read_profile(&self, path: &Path) -> Result<(Table, Vec<crate::model::Notice>), String> {
        read_answers(path)
    }

    fn start(&self, answers: &mut Table) {
        crate::model::interview::set(
            answers,
            "claim.grant",
            toml::Value::String(self.id().to_string()),
        );
    }
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn line(out: &mut String, code: &str, comment: &str) {
    let pad = 40usize.saturating_sub(width(code)).max(1);
    let _ = writeln!(out, "{code}{}# {comment}", " ".repeat(pad));
}

fn ids(grant: &JohasProgramme, key: &str) -> String {
    let ed = super::editions::edition_of(grant, None).ok();
    let Some(d) = ed.and_then(super::explain_data::for_edition) else {
        return String::new();
    };
    let list: Vec<String> = d.rules_reading(key).iter().map(|r| r.id.clone()).collect();
    if list.is_empty() {
        String::new()
    } else {
        format!("（{}）", list.join("、"))
    }
}

fn leaf<'a>(table: &str, key: &'a str) -> &'a str {
    key.strip_prefix(table)
        .and_then(|k| k.strip_prefix('.'))
        .unwrap_or(key)
}

/// The claim file text for the answers so far (`asked`: the keys asked, answered or not).
pub fn render(grant: &JohasProgramme, t: &Table, asked: &BTreeSet<String>, mode: Mode) -> String {
    let steps = questions::steps(grant);
    let ed = edition_for(grant, t);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} 申請ファイル（johas-claim new で作成）",
        ed.grant_name
    );
    let _ = writeln!(
        out,
        "# 「# キー =」の行はまだ分からない事実です。分かったら # を外して書き、johas-claim check で確かめてください。"
    );
    let _ = writeln!(
        out,
        "# 各行の（）の ID は、その事実を使う手引の要件です（johas-claim explain {} で説明を読めます）。",
        grant.section()
    );
    let mut i = 0;
    while i < steps.len() {
        match &steps[i] {
            Step::Table(h, comment) => {
                // The questions of this table.
                let qs: Vec<&questions::Q> = steps[i + 1..]
                    .iter()
                    .take_while(|s| matches!(s, Step::Ask(_)))
                    .filter_map(|s| match s {
                        Step::Ask(q) => Some(q),
                        _ => None,
                    })
                    .collect();
                let conditional = !qs.is_empty() && qs.iter().all(|q| q.when.is_some());
                let any_value = qs.iter().any(|q| get(t, q.key).is_some());
                let applies = qs.iter().any(|q| q.when.is_none_or(|f| f(t)));
                // A file of answers has no empty section: a table is written when one of its
                // keys has a value or was asked and left unknown (`claim` always: the grant).
                let any_line = any_value
                    || qs
                        .iter()
                        .any(|q| asked.contains(q.key) && q.when.is_none_or(|f| f(t)));
                // The grant's own section is there even before its first answer: `check`
                // reads a file saved half-way as a claim of this grant.
                let own = *h == "claim" || *h == grant.section();
                if mode == Mode::Answers
                    && !own
                    && ((conditional && !applies && !any_value) || !any_line)
                {
                    i += 1 + qs.len();
                    continue;
                }
                let _ = writeln!(out, "\n# {comment}");
                if conditional && !any_value {
                    let _ = writeln!(
                        out,
                        "# [{h}]    # 書くときはこの見出しの最初の # も外してください"
                    );
                } else {
                    let _ = writeln!(out, "[{h}]");
                }
                if mode == Mode::Answers && !any_line && *h != "claim" {
                    let _ = writeln!(
                        out,
                        "# まだ答えていません（johas-claim new --resume で続きを答えられます）"
                    );
                }
                if *h == "claim" {
                    line(
                        &mut out,
                        &format!("grant = \"{}\"", grant.id()),
                        &ed.grant_name,
                    );
                    if let Some(e) = get(t, "claim.edition") {
                        line(&mut out, &format!("edition = {e}"), &ed.edition_name);
                    }
                }
                for q in qs {
                    let applies = q.when.is_none_or(|f| f(t));
                    let name = leaf(h, q.key);
                    let why = ids(grant, q.key);
                    match (mode, get(t, q.key)) {
                        (_, Some(v)) => line(
                            &mut out,
                            &format!("{name} = {v}"),
                            &format!("{}{why}", q.label),
                        ),
                        (Mode::Answers, None) if asked.contains(q.key) && applies => line(
                            &mut out,
                            &format!("# {name} ="),
                            &format!("わからない: {}{why}", q.label),
                        ),
                        (Mode::Answers, None) => {}
                        (Mode::Template, None) => {
                            let cond = if q.when.is_some() {
                                "（該当する場合）"
                            } else {
                                ""
                            };
                            line(
                                &mut out,
                                &format!("# {name} ="),
                                &format!(
                                    "{}{cond}{why}{}",
                                    without_example(q.label),
                                    example(grant, q.key, q.kind)
                                ),
                            )
                        }
                    }
                }
                i += 1;
                while i < steps.len() && matches!(steps[i], Step::Ask(_)) {
                    i += 1;
                }
                continue;
            }
            Step::Ask(_) => {}
            Step::List {
                key, label, fields, ..
            } => {
                let why = ids(grant, key);
                let rows = get(t, key)
                    .and_then(|v| v.as_array())
                    .cloned()
                    .unwrap_or_default();
                if mode == Mode::Answers && rows.is_empty() && !asked.contains(*key) {
                    i += 1;
                    continue;
                }
                let _ = writeln!(out, "\n# {label}{why}");
                if rows.is_empty() {
                    if mode == Mode::Template || asked.contains(*key) {
                        let none = if mode == Mode::Answers {
                            "なし。"
                        } else {
                            ""
                        };
                        // The [[key]] line and one line per field.
                        let _ = writeln!(
                            out,
                            "# {none}ある場合は1件ごとに次の{}行のように書きます（# を外して）:",
                            fields.len() + 1
                        );
                        let _ = writeln!(out, "# [[{key}]]");
                        for f in fields {
                            line(
                                &mut out,
                                &format!("# {} =", f.key),
                                &format!(
                                    "{}{}",
                                    without_example(f.label),
                                    example(grant, &format!("{key}.{}", f.key), f.kind)
                                ),
                            );
                        }
                    }
                }
                for row in rows {
                    let _ = writeln!(out, "[[{key}]]");
                    let row = row.as_table().cloned().unwrap_or_default();
                    for f in fields {
                        match row.get(f.key) {
                            Some(v) => line(&mut out, &format!("{} = {v}", f.key), f.label),
                            None => line(
                                &mut out,
                                &format!("# {} =", f.key),
                                &format!("わからない: {}", f.label),
                            ),
                        }
                    }
                }
            }
            Step::Confirm(_) => {
                if mode == Mode::Answers && get(t, "attachments").is_none() {
                    i += 1;
                    continue;
                }
                let _ = writeln!(out, "\n# 様式第3号 添付書類: 用意できたら true");
                let _ = writeln!(out, "[attachments]");
                let mut seen = BTreeSet::new();
                for a in &ed.attachments {
                    let Some(k) = &a.key else { continue };
                    if !seen.insert(k.clone()) {
                        continue;
                    }
                    let full = format!("attachments.{k}");
                    let when = super::explain::when_text(ed, &a.when);
                    match (mode, get(t, &full)) {
                        (_, Some(v)) => line(
                            &mut out,
                            &format!("{k} = {v}"),
                            &format!("{} {}", a.id, a.name),
                        ),
                        // The name may already say when (「…（労働保険事務組合に委託している場合）」).
                        (Mode::Template, None) if a.name.ends_with(&format!("（{when}）")) => {
                            line(
                                &mut out,
                                &format!("# {k} = true"),
                                &format!("{} {}", a.id, a.name),
                            )
                        }
                        (Mode::Template, None) => line(
                            &mut out,
                            &format!("# {k} = true"),
                            &format!("{} {}（{when}）", a.id, a.name),
                        ),
                        (Mode::Answers, None) => {}
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// A question's label for a comment in the file: without the example the interview shows
/// in it (「その最終月（例: 2020-04）」 → 「その最終月」), since the comment ends with the
/// example written as the file needs it (`例: "2020-04"`), and one example is enough.
fn without_example(label: &str) -> String {
    let Some(at) = label.find("例: ") else {
        return label.to_string();
    };
    let head = &label[..at];
    if let Some(h) = head.strip_suffix('（') {
        h.to_string()
    } else if let Some(h) = head.strip_suffix('、') {
        format!("{h}）")
    } else {
        label.to_string()
    }
}

/// The value the template shows for a key, written as the claim file takes it: the guides'
/// 記載例 of (株)ろうあん (R2 様式第1号, H30 様式第1号・第2号) where they give one, and
/// values like those of `examples/*.toml` otherwise. `key` is the full dotted key (a list
/// field after its list's key). Every example of both templates is accepted by `check`
/// (tests/integration/text.rs).
fn example_value(grant: &JohasProgramme, key: &str) -> Option<&'static str> {
    if let Some(v) = grant.example_value(key) {
        return Some(v);
    }
    Some(match key {
        "establishment.name" => "\"(株)ろうあん\"",
        "establishment.name_kana" => "\"カブシキガイシャ ローワン\"",
        "establishment.postal_code" => "\"211-0021\"",
        "establishment.address" => "\"神奈川県川崎市中原区木月住吉町1番1号\"",
        "establishment.workers" => "35",
        "establishment.dispatched_workers" => "5",
        "establishment.corporate_number" => "\"3020001234567\"",
        "establishment.labour_insurance_number" => "\"14-1-01-123456-000\"",
        "establishment.representative.title" => "\"代表取締役\"",
        "establishment.representative.name" => "\"労安 一郎\"",
        "establishment.representative.name_kana" => "\"ローワン イチロウ\"",
        "establishment.contact.department" => "\"総務課\"",
        "establishment.contact.name" => "\"川崎 花子\"",
        "establishment.contact.name_kana" => "\"カワサキ ハナコ\"",
        "establishment.contact.phone" => "\"044-431-8661\"",
        "establishment.contact.fax" => "\"044-411-5531\"",
        "previous_claims.period_from" => "\"2019-11\"",
        "previous_claims.period_to" => "\"2020-04\"",
        "previous_claims.applied_on" => "2020-05-20",
        "labour_insurance.head_office.name" => "\"ろうあんホールディングス(株)\"",
        "labour_insurance.head_office.representative_title" => "\"代表取締役\"",
        "labour_insurance.head_office.representative_name" => "\"本社 太郎\"",
        "bank.bank_name" => "\"ろうあん銀行\"",
        "bank.branch_name" => "\"木月支店\"",
        "bank.holder_kana" => "\"カ）ローワン\"",
        "declarations.labour_law_violation_detail" => {
            "\"割増賃金の未払で是正勧告を受け、是正した\""
        }
        _ => return None,
    })
}

/// What the template writes after a key's label: ` 例: <value>` (one value, as the file
/// takes it), or the values to choose from (` true / false`, ` 1 か 2`, ` "a"=… / "b"=…`).
fn example(grant: &JohasProgramme, key: &str, kind: questions::Kind) -> String {
    use questions::Kind::*;
    let value = example_value(grant, key);
    match kind {
        Bool => " true / false".into(),
        Flag(list) => format!(
            " {}",
            list.iter()
                .map(|(v, ja)| format!("{v}={ja}"))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        Round => " 1 か 2".into(),
        Choice(list) => format!(
            " {}",
            list.iter()
                .map(|(k, ja)| format!("\"{k}\"={ja}"))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        Workers | Count | Yen | Quantity => match value {
            Some(v) => format!("（半角の整数） 例: {v}"),
            None => "（半角の整数）".into(),
        },
        _ => value.map(|v| format!(" 例: {v}")).unwrap_or_default(),
    }
}

/// The template of a grant: every key commented, with what to write.
pub fn template(grant: &JohasProgramme) -> String {
    render(grant, &Table::new(), &BTreeSet::new(), Mode::Template)
}

/// The answers in an existing claim file (to resume), read through the input boundary as
/// `check` reads it: every spelling `check` accepts is read (with the same notices), and a
/// file `check` cannot read gets the same Japanese answer. Facts not yet written are not
/// problems here: they are what the interview asks.
pub fn read_answers(path: &Path) -> Result<(Table, Vec<super::model::Notice>), String> {
    let doc = crate::input::Doc::load(path).map_err(|e| e.to_string())?;
    let input = crate::input::Input::of(&doc);
    let sections = super::read::section_names();
    let found = super::read::check_sections(&input, &sections);
    if !found.problems.is_empty() {
        let e = crate::input::InputError {
            file: doc.label.clone(),
            problems: found.problems,
        };
        return Err(format!(
            "{e}直してから、もう一度 new --resume {} を実行してください。",
            path.display()
        ));
    }
    let mut answers = match toml::Value::try_from(&found.values) {
        Ok(toml::Value::Table(t)) => t,
        _ => Table::new(),
    };
    dates_as_toml(&mut answers, "");
    Ok((answers, found.notices))
}

/// Date values (canonical strings after the check) as TOML dates, as `new` writes them.
fn dates_as_toml(t: &mut Table, prefix: &str) {
    for (k, v) in t.iter_mut() {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(sub) => dates_as_toml(sub, &path),
            toml::Value::Array(rows) => {
                for row in rows.iter_mut() {
                    if let toml::Value::Table(sub) = row {
                        dates_as_toml(sub, &format!("{path}[1]"));
                    }
                }
            }
            toml::Value::String(s) if super::read::is_date(&path) => {
                if let Ok(d) = s.parse::<toml::value::Datetime>() {
                    *v = toml::Value::Datetime(d);
                }
            }
            _ => {}
        }
    }
}

/// A resumed file must hold only keys the interview knows, so rewriting it loses nothing.
pub fn check_known_keys(t: &Table) -> Result<(), String> {
    let grant = get(t, "claim.grant")
        .and_then(|v| v.as_str())
        .and_then(grants::grant);
    let mut known: BTreeSet<String> = ["claim.grant", "claim.edition"].map(String::from).into();
    let mut lists = BTreeSet::new();
    for g in grants::grants().filter(|g| grant.is_none_or(|x| x == *g)) {
        for s in questions::steps(g) {
            match s {
                Step::Ask(q) => {
                    known.insert(q.key.to_string());
                }
                Step::List { key, .. } => {
                    lists.insert(key.to_string());
                }
                _ => {}
            }
        }
    }
    for k in super::model::Attachments::KEYS {
        known.insert(format!("attachments.{k}"));
    }
    let mut unknown = Vec::new();
    fn walk(
        t: &Table,
        prefix: &str,
        known: &BTreeSet<String>,
        lists: &BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if lists.contains(&key) {
                continue;
            }
            match v {
                toml::Value::Table(sub) => walk(sub, &key, known, lists, out),
                _ if known.contains(&key) => {}
                _ => out.push(key),
            }
        }
    }
    walk(t, "", &known, &lists, &mut unknown);
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "次のキーは new では扱えないため、続きから書き直すと失われます: {}。johas-claim check で直してから、もう一度 new --resume を実行してください。",
            unknown.join("、")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_is_valid_toml_with_every_key_commented() {
        for g in grants::grants() {
            let t = template(g);
            let parsed: Table = toml::from_str(&t).unwrap_or_else(|e| panic!("{e}\n{t}"));
            assert_eq!(
                get(&parsed, "claim.grant").and_then(|v| v.as_str()),
                Some(g.id())
            );
            assert!(t.contains("# workers ="), "{t}");
            assert!(t.contains("# application_date ="));
            assert!(t.contains("[attachments]"));
        }
    }
}
