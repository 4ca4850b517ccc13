//! `new`: a guided interview in Japanese that writes a commented claim file.
//!
//! One question at a time, only what the chosen grant needs, in the order of the forms.
//! Each question says why it is asked (the rule IDs that read the key and the guide's
//! sentence), answers are checked at once with the claim-file validators, and after each
//! answer the real rules run on the answers so far: when a rule whose facts are all asked
//! fails, the owner hears it at once and may go on, answer again, or stop.
//! 「わからない」 (or an empty answer) leaves a fact unknown: its key is written commented.
//! The file is written only at the end, atomically; Ctrl-C writes nothing.
//! `new --template GRANT` writes the same commented file without questions.

pub mod file;

use crate::cli::Failure;
use crate::model::findings::Outcome;
use crate::programmes::johas::edition::{Edition, Grant};
use crate::programmes::johas::explain_data;
use crate::programmes::johas::questions::{self, get, read_answer, Kind, Step, Table, Q};
use dialoguer::{theme::ColorfulTheme, Input, Select};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const UNKNOWN: &str = "わからない";

/// Why a question is asked: the rules that read the key, with the guide's first sentence.
pub fn why(ed: Option<&Edition>, key: &str) -> Vec<String> {
    let Some(ed) = ed else { return Vec::new() };
    let Some(d) = explain_data::for_edition(ed) else {
        return Vec::new();
    };
    d.rules_reading(key)
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

/// Sets a dotted key in a nested table.
pub fn set(t: &mut Table, key: &str, v: toml::Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or(key);
    let mut cur = t;
    for p in parts {
        let entry = cur
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(Table::new());
        }
        cur = entry.as_table_mut().expect("just made a table");
    }
    cur.insert(last.to_string(), v);
}

/// The edition the answers point at (by the application date), or the newest one.
fn edition_for(grant: Grant, t: &Table) -> &'static Edition {
    let named = get(t, "claim.edition").and_then(|v| v.as_str());
    let date = get(t, "claim.application_date")
        .map(|v| v.to_string().trim_matches('"').to_string())
        .and_then(|s| crate::input::checks::parse_date(&s));
    date.and_then(|d| crate::programmes::johas::edition::select(grant, named, d).ok())
        .or_else(|| crate::commands::explain::find_edition(grant, named).ok())
        .expect("every grant has an edition")
}

/// The failing findings of the answers so far (none when the answers cannot be checked yet).
fn fails(
    grant: Grant,
    t: &Table,
    asked: &BTreeSet<String>,
    today: chrono::NaiveDate,
) -> Vec<(String, String, Vec<String>)> {
    // The answers so far, as a claim: the grant's own section is there even before its
    // first answer (as in the file `new` writes).
    let mut t = t.clone();
    t.entry(grant.section().to_string())
        .or_insert_with(|| toml::Value::Table(Table::new()));
    let root = crate::input::tree::Node::from_toml(&toml::Value::Table(t.clone()), 0);
    let input = crate::input::Input::from_tree("（回答）", root, crate::input::Format::Toml);
    let Ok(claim) = crate::programmes::johas::read::check(input) else {
        return Vec::new();
    };
    let ev = crate::programmes::johas::evaluate::evaluate(&claim, today);
    let d = explain_data::for_edition(claim.edition);
    ev.findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .filter(|f| {
            // Only rules whose facts have all been asked: a list not asked yet is not a fault.
            d.and_then(|d| d.rule(&f.rule))
                .is_some_and(|r| !r.facts.is_empty() && r.facts.iter().all(|k| asked.contains(k)))
        })
        .map(|f| {
            (
                f.rule.clone(),
                format!("[{}] {}: {}", f.rule, f.title, f.message),
                crate::programmes::johas::whatif::changes(
                    &claim,
                    &|k| crate::programmes::johas::whatif::lookup(&t, k).is_some(),
                    f,
                ),
            )
        })
        .collect()
}

enum Next {
    Go,
    Again,
    Stop,
}

struct Interview {
    grant: Grant,
    answers: Table,
    asked: BTreeSet<String>,
    warned: BTreeSet<String>,
    today: chrono::NaiveDate,
    theme: ColorfulTheme,
}

impl Interview {
    fn say(&self, s: &str) {
        // A closed terminal shows at the next prompt, which then ends the interview.
        let _ = crate::errln!("{s}");
    }

    /// One question; `None` = unknown.
    fn ask(&self, q: &Q, full_key: &str) -> std::io::Result<Option<toml::Value>> {
        let ed = edition_for(self.grant, &self.answers);
        self.say("");
        for w in why(Some(ed), full_key) {
            self.say(&format!("  なぜ: {w}"));
        }
        match q.kind {
            Kind::Bool | Kind::Choice(_) | Kind::Round => {
                let list: Vec<(&str, &str)> = match q.kind {
                    Kind::Bool => questions::YES_NO.to_vec(),
                    Kind::Round => questions::ROUNDS.to_vec(),
                    Kind::Choice(l) => l.to_vec(),
                    _ => unreachable!(),
                };
                let mut items: Vec<String> = list.iter().map(|(_, ja)| ja.to_string()).collect();
                if !q.required {
                    items.push(UNKNOWN.to_string());
                }
                let i = Select::with_theme(&self.theme)
                    .with_prompt(format!("{}（{}）", q.label, full_key))
                    .items(&items)
                    .default(0)
                    .interact()
                    .map_err(to_io)?;
                if i >= list.len() {
                    return Ok(None);
                }
                let raw = list[i].0;
                Ok(Some(match q.kind {
                    Kind::Round => toml::Value::Integer(raw.parse().unwrap_or(1)),
                    Kind::Bool => toml::Value::Boolean(raw == "true"),
                    _ => toml::Value::String(raw.to_string()),
                }))
            }
            kind => {
                let hint = if q.required {
                    ""
                } else {
                    "（わからなければ「わからない」か空のまま Enter）"
                };
                let required = q.required;
                let key = full_key.to_string();
                let answer: String = Input::with_theme(&self.theme)
                    .with_prompt(format!("{}（{}）{hint}", q.label, full_key))
                    .allow_empty(!required)
                    .validate_with(move |s: &String| -> Result<(), String> {
                        let s = s.trim();
                        if s.is_empty() || s == UNKNOWN {
                            return if required {
                                Err("この項目は必要です。".into())
                            } else {
                                Ok(())
                            };
                        }
                        read_answer(&key, kind, s).map(|_| ())
                    })
                    .interact_text()
                    .map_err(to_io)?;
                let a = answer.trim();
                if a.is_empty() || a == UNKNOWN {
                    return Ok(None);
                }
                let (v, reading) = read_answer(full_key, kind, a).map_err(std::io::Error::other)?;
                if let Some(r) = reading {
                    // What `check` would say of the same value in a file.
                    self.say(&format!("  読み替えました: {r}"));
                }
                Ok(Some(v))
            }
        }
    }

    /// After an answer: say at once when a rule now fails.
    fn after(&mut self, key: &str) -> std::io::Result<Next> {
        let found = fails(self.grant, &self.answers, &self.asked, self.today);
        let new: Vec<_> = found
            .into_iter()
            .filter(|(rule, _, _)| !self.warned.contains(rule))
            .filter(|(rule, _, _)| {
                explain_data::for_edition(edition_for(self.grant, &self.answers))
                    .and_then(|d| d.rule(rule))
                    .is_some_and(|r| {
                        r.facts
                            .iter()
                            .any(|k| k == key || key.starts_with(&format!("{k}.")))
                    })
            })
            .collect();
        if new.is_empty() {
            return Ok(Next::Go);
        }
        self.say("\n  ⚠ この回答では支給要件を満たしません:");
        for (_, msg, changes) in &new {
            self.say(&format!("    {msg}"));
            for c in changes {
                self.say(&format!("    → {c}"));
            }
        }
        let i = Select::with_theme(&self.theme)
            .with_prompt("どうしますか")
            .items([
                "続ける（このまま次の質問へ）",
                "この質問に答え直す",
                "ここでやめる（ファイルは書きません）",
            ])
            .default(0)
            .interact()
            .map_err(to_io)?;
        Ok(match i {
            0 => {
                self.warned.extend(new.into_iter().map(|(r, _, _)| r));
                Next::Go
            }
            1 => Next::Again,
            _ => Next::Stop,
        })
    }

    fn applies(&self, when: Option<fn(&Table) -> bool>) -> bool {
        when.is_none_or(|f| f(&self.answers))
    }

    /// Runs every step; `Ok(false)` when the owner stopped.
    fn run(&mut self) -> std::io::Result<bool> {
        for step in questions::steps(self.grant) {
            match step {
                Step::Table(_, comment) => {
                    self.say(&format!("\n━━ {comment} ━━"));
                }
                Step::Ask(q) => {
                    if !self.applies(q.when) {
                        continue;
                    }
                    if get(&self.answers, q.key).is_some() {
                        self.asked.insert(q.key.to_string());
                        continue;
                    }
                    loop {
                        let v = self.ask(&q, q.key)?;
                        if let Some(v) = v.clone() {
                            set(&mut self.answers, q.key, v);
                        }
                        self.asked.insert(q.key.to_string());
                        match self.after(q.key)? {
                            Next::Go => break,
                            Next::Again => {
                                remove(&mut self.answers, q.key);
                                continue;
                            }
                            Next::Stop => return Ok(false),
                        }
                    }
                }
                Step::List {
                    key,
                    label,
                    fields,
                    when,
                } => {
                    if !self.applies(when) {
                        continue;
                    }
                    if get(&self.answers, key).is_some() {
                        self.asked.insert(key.to_string());
                        continue;
                    }
                    let mut rows: Vec<toml::Value> = Vec::new();
                    loop {
                        self.say("");
                        for w in why(Some(edition_for(self.grant, &self.answers)), key) {
                            self.say(&format!("  なぜ: {w}"));
                        }
                        let prompt = if rows.is_empty() {
                            format!("{label}（{key}）: 書くものがありますか")
                        } else {
                            format!("{label}: {}件目を追加しますか", rows.len() + 1)
                        };
                        let more = Select::with_theme(&self.theme)
                            .with_prompt(prompt)
                            .items(["いいえ（次へ）", "はい（追加する）"])
                            .default(0)
                            .interact()
                            .map_err(to_io)?;
                        if more == 0 {
                            break;
                        }
                        let mut row = Table::new();
                        for f in &fields {
                            let full = format!("{key}.{}", f.key);
                            if let Some(v) = self.ask(f, &full)? {
                                row.insert(f.key.to_string(), v);
                            }
                        }
                        rows.push(toml::Value::Table(row));
                    }
                    if !rows.is_empty() {
                        set(&mut self.answers, key, toml::Value::Array(rows));
                    }
                    self.asked.insert(key.to_string());
                    if let Next::Stop = self.after(key)? {
                        return Ok(false);
                    }
                }
                Step::Attachments => {
                    self.say("\n━━ 様式第3号 添付書類（用意できたものに「はい」） ━━");
                    let ed = edition_for(self.grant, &self.answers);
                    let mut seen = BTreeSet::new();
                    for a in &ed.attachments {
                        let Some(k) = &a.key else { continue };
                        if !questions::attachment_applies(&self.answers, a.when)
                            || !seen.insert(k.clone())
                        {
                            continue;
                        }
                        let full = format!("attachments.{k}");
                        if get(&self.answers, &full).is_some() {
                            continue;
                        }
                        self.say(&format!(
                            "\n  [{}] {}\n    確認すること: {}",
                            a.id, a.name, a.must_show
                        ));
                        let i = Select::with_theme(&self.theme)
                            .with_prompt(format!("用意できましたか（{full}）"))
                            .items(["はい", "まだ"])
                            .default(0)
                            .interact()
                            .map_err(to_io)?;
                        set(&mut self.answers, &full, toml::Value::Boolean(i == 0));
                    }
                }
            }
        }
        Ok(true)
    }
}

fn remove(t: &mut Table, key: &str) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or(key);
    let mut cur = t;
    for p in parts {
        match cur.get_mut(p).and_then(|v| v.as_table_mut()) {
            Some(x) => cur = x,
            None => return,
        }
    }
    cur.remove(last);
}

fn to_io(e: dialoguer::Error) -> std::io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

/// Options of `new`.
pub struct NewArgs {
    pub template: Option<String>,
    pub grant: Option<String>,
    pub resume: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// `--replace`: the tool's own unchanged earlier claim file may be replaced.
    pub replace: bool,
    pub today: chrono::NaiveDate,
}

fn grant_or_exit(q: &str) -> Result<Grant, Failure> {
    crate::commands::explain::find_grant(q).map_err(|e| Failure::message(format!("エラー: {e}")))
}

/// `new`: exit 0 when the file was written, 1 when the owner stopped, 2 for bad options,
/// 130 on Ctrl-C (nothing written in either of the last three cases).
pub fn run(args: NewArgs) -> Result<u8, Failure> {
    if let Some(g) = &args.template {
        let grant = grant_or_exit(g)?;
        let text = file::template(grant);
        return match &args.output {
            None => {
                crate::out!("{text}")?;
                Ok(0)
            }
            Some(p) => {
                file::claim_batch(p, &text, None, args.replace).0.commit()?;
                crate::outln!("{} に申請ファイルのひな形を書きました。", p.display())?;
                Ok(0)
            }
        };
    }
    // Resume: the answers already in a claim file are kept and not asked again.
    // The bytes first: if the file changes before it is rewritten, the rewrite is refused.
    let resumed_bytes = args.resume.as_ref().and_then(|p| std::fs::read(p).ok());
    let (answers, resume) = match &args.resume {
        Some(p) => match file::read_answers(p) {
            Ok((t, notices)) => {
                for line in crate::programmes::johas::report::notice_lines(&notices, false, 80) {
                    crate::errln!("{line}")?;
                }
                (t, Some(p.clone()))
            }
            Err(e) => {
                return Err(Failure::message(e));
            }
        },
        None => (Table::new(), None),
    };
    // The interview writes TOML: a JSON file is resumed into a TOML file beside it.
    let resumed_as = resume.as_ref().map(|p| {
        if crate::input::Format::of(p) == Some(crate::input::Format::Json) {
            p.with_extension("toml")
        } else {
            p.clone()
        }
    });
    let output = args
        .output
        .clone()
        .or_else(|| resumed_as.clone())
        .unwrap_or_else(|| PathBuf::from("claim.toml"));
    if resumed_as.is_some() && resumed_as != resume && args.output.is_none() {
        crate::errln!(
            "{} は JSON のため、続きは TOML の {} に書きます（{} はそのまま残します）。",
            resume.as_deref().unwrap_or(Path::new("")).display(),
            output.display(),
            resume.as_deref().unwrap_or(Path::new("")).display()
        )?;
    }
    let resumed = resume.as_deref().zip(resumed_bytes.as_deref());
    // Before any question: the file could be written at the end.
    if let Err(e) = file::claim_batch(&output, "", resumed, args.replace)
        .0
        .preflight()
    {
        let hint = if resume.is_none() && output.exists() {
            format!(
                "続きから答えるなら --resume {} としてください。",
                output.display()
            )
        } else {
            String::new()
        };
        return Err(Failure::message(format!("エラー: {e}{hint}")));
    }
    if let Err(e) = file::check_known_keys(&answers) {
        return Err(Failure::message(format!("エラー: {e}")));
    }
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::message(format!("エラー: new は端末で対話的に使います。質問なしでひな形を書くには new --template 産業医 のようにしてください。")));
    }
    crate::output::install_interrupt_handler();
    // Ctrl-C at a prompt: restore the cursor and say that nothing was written.
    crate::output::set_interrupt_message(Some(
        "\x1b[?25h\n中断しました。ファイルは書いていません。\n",
    ));
    let theme = ColorfulTheme::default();
    let from_file = get(&answers, "claim.grant")
        .and_then(|v| v.as_str())
        .and_then(Grant::parse);
    let grant = match (from_file, &args.grant) {
        (Some(g), _) => g,
        (None, Some(q)) => match grant_or_exit(q) {
            Ok(g) => g,
            Err(c) => return Err(c),
        },
        (None, None) => {
            let names: Vec<String> = Grant::ALL
                .iter()
                .map(|g| {
                    crate::commands::explain::find_edition(*g, None)
                        .map(|e| e.grant_name.clone())
                        .unwrap_or_else(|_| g.id().to_string())
                })
                .collect();
            crate::errln!("申請ファイルを質問に答えて作ります。いつでも Ctrl-C でやめられます（その場合ファイルは書きません）。")?;
            match Select::with_theme(&theme)
                .with_prompt("どの助成金を申請しますか")
                .items(&names)
                .default(0)
                .interact()
            {
                Ok(i) => Grant::ALL[i],
                Err(e) => return Err(io_exit(to_io(e))),
            }
        }
    };
    let mut answers = answers;
    set(
        &mut answers,
        "claim.grant",
        toml::Value::String(grant.id().to_string()),
    );
    let mut iv = Interview {
        grant,
        asked: BTreeSet::new(),
        answers,
        warned: BTreeSet::new(),
        today: args.today,
        theme,
    };
    if resume.is_some() {
        crate::errln!(
            "{} の続きから、書かれていない項目だけを質問します。",
            output.display()
        )?;
    }
    match iv.run() {
        Ok(true) => {}
        Ok(false) => {
            crate::errln!("やめました。ファイルは書いていません。")?;
            return Ok(1);
        }
        Err(e) => return Err(io_exit(e)),
    }
    let text = file::render(grant, &iv.answers, &iv.asked, file::Mode::Answers);
    let (batch, backup) = file::claim_batch(&output, &text, resumed, args.replace);
    batch.commit()?;
    crate::output::set_interrupt_message(None);
    if let Some(b) = backup {
        crate::errln!("元のファイルを {} として残しました。", b.display())?;
    }
    crate::errln!("\n{} に申請ファイルを書きました。", output.display())?;
    // What `check` says now.
    match crate::commands::book::commands::load_input(&output) {
        Ok(claim) => {
            let ev = crate::programmes::johas::evaluate::evaluate(&claim, args.today);
            crate::errln!("{}", crate::programmes::johas::report::human(&ev, false))?;
            crate::errln!("「わからない」と答えた項目はコメント（#）にしてあります。分かったら書き込んでから johas-claim check {} で確かめてください。", output.display())?;
        }
        Err(e) => crate::err!("{e}")?,
    }
    Ok(0)
}

fn io_exit(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::Interrupted {
        Failure::Message {
            text: "\n中断しました。ファイルは書いていません。".into(),
            code: 130,
        }
    } else {
        Failure::message(format!(
            "エラー: 端末から読めません（{e}）。ファイルは書いていません。"
        ))
    }
}
