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

use crate::failure::Failure;
use crate::model::interview::{
    get, remove, set, Failing, Kind, Questionnaire, Step, Table, Q, ROUNDS, YES_NO,
};
use crate::programmes::Programme;
use dialoguer::{theme::ColorfulTheme, Input, Select};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const UNKNOWN: &str = "わからない";

enum Next {
    Go,
    Again,
    Stop,
}

struct Interview {
    q: &'static dyn Questionnaire,
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
        self.say("");
        for w in self.q.why(&self.answers, full_key) {
            self.say(&format!("  なぜ: {w}"));
        }
        match q.kind {
            Kind::Bool | Kind::Choice(_) | Kind::Round => {
                let list: Vec<(&str, &str)> = match q.kind {
                    Kind::Bool => YES_NO.to_vec(),
                    Kind::Round => ROUNDS.to_vec(),
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
                let questionnaire = self.q;
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
                        questionnaire.read_answer(&key, kind, s).map(|_| ())
                    })
                    .interact_text()
                    .map_err(to_io)?;
                let a = answer.trim();
                if a.is_empty() || a == UNKNOWN {
                    return Ok(None);
                }
                let (v, reading) = self
                    .q
                    .read_answer(full_key, kind, a)
                    .map_err(std::io::Error::other)?;
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
        let new: Vec<Failing> = self
            .q
            .failing(&self.answers, &self.asked, key, self.today)
            .into_iter()
            .filter(|f| !self.warned.contains(&f.rule))
            .collect();
        if new.is_empty() {
            return Ok(Next::Go);
        }
        self.say("\n  ⚠ この回答では支給要件を満たしません:");
        for f in &new {
            self.say(&format!("    {}", f.message));
            for c in &f.changes {
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
                self.warned.extend(new.into_iter().map(|f| f.rule));
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
        for step in self.q.steps() {
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
                        for w in self.q.why(&self.answers, key) {
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
                Step::Confirm(heading) => {
                    self.say(&format!("\n━━ {heading} ━━"));
                    for c in self.q.confirms(&self.answers) {
                        if get(&self.answers, &c.key).is_some() {
                            continue;
                        }
                        self.say(&format!("\n  {}", c.intro));
                        let i = Select::with_theme(&self.theme)
                            .with_prompt(format!("用意できましたか（{}）", c.key))
                            .items(["はい", "まだ"])
                            .default(0)
                            .interact()
                            .map_err(to_io)?;
                        set(&mut self.answers, &c.key, toml::Value::Boolean(i == 0));
                    }
                }
            }
        }
        Ok(true)
    }
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

fn programme_or_exit(q: &str) -> Result<&'static dyn Programme, Failure> {
    crate::programmes::search(q).map_err(|e| Failure::message(format!("エラー: {e}")))
}

/// The programme of a file to resume (its `claim.grant` or `programme`).
fn programme_of_file(path: &Path) -> Result<&'static dyn Programme, Failure> {
    let doc = crate::input::Doc::load(path).map_err(Failure::Input)?;
    crate::programmes::of_tree(&doc.parsed.root).map_err(|p| {
        Failure::Input(crate::input::InputError {
            file: doc.label.clone(),
            problems: vec![p],
        })
    })
}

/// The interview of a programme, or why it has none.
fn questionnaire(p: &'static dyn Programme) -> Result<&'static dyn Questionnaire, Failure> {
    p.questionnaire().ok_or_else(|| {
        Failure::message(format!(
            "エラー: {} には質問で作る機能がありません。new --template でひな形を書いてください。",
            p.name()
        ))
    })
}

/// `new`: exit 0 when the file was written, 1 when the owner stopped, 2 for bad options,
/// 130 on Ctrl-C (nothing written in either of the last three cases).
pub fn run(args: NewArgs) -> Result<u8, Failure> {
    if let Some(g) = &args.template {
        let text = programme_or_exit(g)?.template();
        return match &args.output {
            None => {
                crate::out!("{text}")?;
                Ok(0)
            }
            Some(p) => {
                claim_batch(p, &text, None, args.replace).0.commit()?;
                crate::outln!("{} に申請ファイルのひな形を書きました。", p.display())?;
                Ok(0)
            }
        };
    }
    // Resume: the answers already in a claim file are kept and not asked again.
    // The bytes first: if the file changes before it is rewritten, the rewrite is refused.
    let resumed_bytes = args.resume.as_ref().and_then(|p| std::fs::read(p).ok());
    let resumed_programme = match &args.resume {
        Some(p) => Some(programme_of_file(p)?),
        None => None,
    };
    let (answers, resume) = match (&args.resume, resumed_programme) {
        (Some(p), Some(prog)) => match questionnaire(prog)?.resume(p) {
            Ok((t, notices)) => {
                crate::commands::check::print_notices(&notices, false)?;
                (t, Some(p.clone()))
            }
            Err(e) => {
                return Err(Failure::message(e));
            }
        },
        _ => (Table::new(), None),
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
    if let Err(e) = claim_batch(&output, "", resumed, args.replace)
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
    if let Some(prog) = resumed_programme {
        if let Err(e) = questionnaire(prog)?.check_known_keys(&answers) {
            return Err(Failure::message(format!("エラー: {e}")));
        }
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
    let programme = match (resumed_programme, &args.grant) {
        (Some(p), _) => p,
        (None, Some(q)) => programme_or_exit(q)?,
        (None, None) => {
            let with: Vec<&'static dyn Programme> = crate::programmes::ALL
                .iter()
                .copied()
                .filter(|p| p.questionnaire().is_some())
                .collect();
            let names: Vec<String> = with.iter().map(|p| p.name()).collect();
            crate::errln!("申請ファイルを質問に答えて作ります。いつでも Ctrl-C でやめられます（その場合ファイルは書きません）。")?;
            match Select::with_theme(&theme)
                .with_prompt("どの助成金を申請しますか")
                .items(&names)
                .default(0)
                .interact()
            {
                Ok(i) => with[i],
                Err(e) => return Err(io_exit(to_io(e))),
            }
        }
    };
    let q = questionnaire(programme)?;
    let mut answers = answers;
    q.start(&mut answers);
    let mut iv = Interview {
        q,
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
    let text = q.render(&iv.answers, &iv.asked);
    let (batch, backup) = claim_batch(&output, &text, resumed, args.replace);
    batch.commit()?;
    crate::output::set_interrupt_message(None);
    if let Some(b) = backup {
        crate::errln!("元のファイルを {} として残しました。", b.display())?;
    }
    crate::errln!("\n{} に申請ファイルを書きました。", output.display())?;
    // What `check` says now.
    match crate::commands::load::load(&output) {
        Ok(loaded) => {
            let judged = loaded.case.judge(args.today, false);
            crate::errln!("{}", judged.human(false))?;
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

/// The batch that writes the claim file `new` made. A new file (or, with `replace`, the
/// tool's own unchanged earlier one); or, when `resumed` is that very file (its path and the
/// bytes read), an edit that keeps the previous version beside it as `<name>.orig` (the
/// first free name of `.orig`, `.orig.1` …: never an existing file). Returns the batch and
/// the backup's path.
pub fn claim_batch(
    path: &Path,
    text: &str,
    resumed: Option<(&Path, &[u8])>,
    replace: bool,
) -> (crate::output::Batch, Option<PathBuf>) {
    let mut b = crate::output::Batch::new(replace);
    match resumed {
        Some((r, old)) if r == path => {
            let keep = (0..)
                .map(|n| match n {
                    0 => PathBuf::from(format!("{}.orig", path.display())),
                    n => PathBuf::from(format!("{}.orig.{n}", path.display())),
                })
                .find(|p| std::fs::symlink_metadata(p).is_err())
                .expect("a free name");
            match std::fs::symlink_metadata(path) {
                Ok(m) => b.file_with_mode(&keep, old, m.permissions()),
                Err(_) => b.file(&keep, old),
            };
            b.edit(path, old, text.as_bytes());
            (b, Some(keep))
        }
        _ => {
            b.file(path, text.as_bytes());
            (b, None)
        }
    }
}
