//! `new`: a guided interview in Japanese that writes a commented claim or answers file.
//!
//! One question at a time, only what the chosen programme needs, in the order of its forms
//! or workbook. Each question says why it is asked (the rule IDs that read the key and the
//! guide's sentence), answers are read at once through the input boundary as `check` reads
//! them, and after each answer the real rules run on the answers so far: when a rule whose
//! facts are all asked fails, the owner hears it at once and may go on, answer again, save
//! and stop, or stop.
//!
//! - No fact has a default: a choice starts with no item selected (a declaration is never
//!   pre-answered), and 「わからない」 is its own answer, written as a commented key.
//! - 「保存してやめる」 at every question (`:q` at a text question) writes what is answered so
//!   far; `new --resume FILE` asks the rest.
//! - `--book BOOK --client NAME` starts from the client's profile and writes the new file
//!   into the client's `claims/`; `--resume` of a book claim reads its profile too.
//! - The file is written atomically through the one writer, never over a user's file;
//!   Ctrl-C writes nothing.
//! - `new --template GRANT` writes the commented file without questions.

mod prompt;

use crate::failure::Failure;
use crate::model::interview::{
    get, remove, set, Failing, Kind, Questionnaire, Step, Table, Q, ROUNDS, YES_NO,
};
use crate::programmes::Programme;
use prompt::Screen;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const UNKNOWN: &str = "わからない";
/// The last item of every choice.
const SAVE_AND_QUIT: &str = "（保存してやめる）";
/// Typed at a text question: save and quit.
const QUIT_WORDS: [&str; 3] = [":q", "：ｑ", "：q"];

/// An answer to one question.
enum Got {
    Value(toml::Value),
    Unknown,
    /// Save what is answered and stop.
    Quit,
}

/// What the interview does after an answer.
enum Next {
    Go,
    Again,
    /// Stop without writing.
    Stop,
    /// Save what is answered and stop.
    Quit,
}

/// How the interview ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Done,
    Stopped,
    Saved,
}

struct Interview {
    q: &'static dyn Questionnaire,
    answers: Table,
    asked: BTreeSet<String>,
    warned: BTreeSet<String>,
    /// Keys whose values are the client's profile's: not asked, not written.
    profile_keys: BTreeSet<String>,
    /// Keys the book's history gives (a claim in a client's folder): not asked.
    from_history: BTreeSet<String>,
    today: chrono::NaiveDate,
    screen: Screen,
    /// A section heading not printed yet: it shows with its first question asked.
    heading: Option<String>,
}

impl Interview {
    fn say(&self, s: &str) {
        self.screen.say(s);
    }

    fn heading_now(&mut self) {
        if let Some(h) = self.heading.take() {
            self.say(&format!("\n━━ {h} ━━"));
        }
    }

    /// The lines before a question: its label and key, what the programme shows of it, why it
    /// is asked, and last year's answer.
    fn intro(&self, label: &str, key: &str) {
        self.say("");
        let head = format!("■ {label}（{key}）");
        if dialoguer::console::measure_text_width(&head) <= self.screen.width() {
            self.say(&head);
        } else {
            // The key on its own line, never cut.
            self.say(&format!("■ {label}"));
            self.say(&format!("  （{key}）"));
        }
        for w in self.q.why(&self.answers, key) {
            self.say(&format!("  なぜ: {w}"));
        }
    }

    /// One question.
    fn ask(&mut self, q: &Q, key: &str) -> std::io::Result<Got> {
        self.heading_now();
        self.intro(q.label, key);
        match q.kind {
            Kind::Bool | Kind::Flag(_) | Kind::Choice(_) | Kind::Numbered(_) | Kind::Round => {
                self.choose(q)
            }
            Kind::Multi(options) => self.multi(q, options),
            kind => self.text(q, key, kind),
        }
    }

    fn choose(&self, q: &Q) -> std::io::Result<Got> {
        let list: Vec<(toml::Value, String)> = match q.kind {
            Kind::Bool => YES_NO
                .iter()
                .map(|(v, ja)| (toml::Value::Boolean(*v == "true"), ja.to_string()))
                .collect(),
            Kind::Flag(l) => l
                .iter()
                .map(|(v, ja)| (toml::Value::Boolean(*v), ja.to_string()))
                .collect(),
            Kind::Round => ROUNDS
                .iter()
                .map(|(v, ja)| (toml::Value::Integer(v.parse().unwrap_or(1)), ja.to_string()))
                .collect(),
            Kind::Choice(l) => l
                .iter()
                .map(|(v, ja)| (toml::Value::String(v.to_string()), ja.to_string()))
                .collect(),
            Kind::Numbered(l) => l
                .iter()
                .map(|(n, ja)| (toml::Value::Integer(*n), format!("{n} {ja}")))
                .collect(),
            _ => Vec::new(),
        };
        let mut items: Vec<String> = list.iter().map(|(_, ja)| ja.clone()).collect();
        if !q.required {
            items.push(UNKNOWN.to_string());
        }
        items.push(SAVE_AND_QUIT.to_string());
        // No answer is pre-selected: the owner moves the cursor to one.
        let Some(i) = self.screen.select(q.label, &items, None)? else {
            return Ok(Got::Quit);
        };
        if i == items.len() - 1 {
            return Ok(Got::Quit);
        }
        if i >= list.len() {
            return Ok(Got::Unknown);
        }
        Ok(Got::Value(list[i].0.clone()))
    }

    /// A question with any number of options: the numbers ticked, as an array.
    fn multi(&self, q: &Q, options: &[(i64, &'static str)]) -> std::io::Result<Got> {
        let items: Vec<String> = options.iter().map(|(n, ja)| format!("{n} {ja}")).collect();
        let mut actions = Vec::new();
        if !q.required {
            actions.push(UNKNOWN.to_string());
        }
        actions.push(SAVE_AND_QUIT.to_string());
        match self.screen.multi(q.label, &items, &actions)? {
            None => Ok(Got::Quit),
            Some(prompt::Multi::Action(a)) if a + 1 == actions.len() => Ok(Got::Quit),
            Some(prompt::Multi::Action(_)) => Ok(Got::Unknown),
            Some(prompt::Multi::Items(list)) => Ok(Got::Value(toml::Value::Array(
                list.iter()
                    .map(|i| toml::Value::Integer(options[*i].0))
                    .collect(),
            ))),
        }
    }

    fn read(&self, key: &str, kind: Kind, text: &str) -> std::io::Result<Got> {
        let (v, reading) = self
            .q
            .read_answer(key, kind, text)
            .map_err(std::io::Error::other)?;
        if let Some(r) = reading {
            self.say(&format!("  読み替えました: {r}"));
        }
        Ok(Got::Value(v))
    }

    fn text(&self, q: &Q, key: &str, kind: Kind) -> std::io::Result<Got> {
        let required = q.required;
        let check = |s: &str| -> Result<(), String> {
            if QUIT_WORDS.contains(&s) {
                return Ok(());
            }
            if s.is_empty() || s == UNKNOWN {
                return if required {
                    Err("この項目は必要です。".into())
                } else {
                    Ok(())
                };
            }
            self.q.read_answer(key, kind, s).map(|_| ())
        };
        let Some(answer) = self.screen.input(q.label, "", &check)? else {
            return Ok(Got::Quit);
        };
        let a = answer.trim();
        if QUIT_WORDS.contains(&a) {
            return Ok(Got::Quit);
        }
        if a.is_empty() || a == UNKNOWN {
            return Ok(Got::Unknown);
        }
        // What `check` would say of the same value in a file.
        self.read(key, kind, a)
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
        self.say("\n  ⚠ この回答では要件を満たしません:");
        for f in &new {
            self.say(&format!("    {}", f.message));
            for c in &f.changes {
                self.say(&format!("    → {c}"));
            }
        }
        let items = [
            "続ける（このまま次の質問へ）".to_string(),
            "この質問に答え直す".to_string(),
            "ここでやめる（ファイルは書きません）".to_string(),
            "保存してやめる（続きは --resume で）".to_string(),
        ];
        let i = self.screen.select("どうしますか", &items, Some(0))?;
        Ok(match i {
            None => Next::Quit,
            Some(0) => {
                self.warned.extend(new.into_iter().map(|f| f.rule));
                Next::Go
            }
            Some(1) => Next::Again,
            Some(2) => Next::Stop,
            Some(_) => Next::Quit,
        })
    }

    /// One question of the steps (skipped when it does not apply or is answered).
    fn step_ask(&mut self, q: &Q) -> std::io::Result<Option<End>> {
        if self.from_history.contains(q.key) {
            return Ok(None);
        }
        if !self.q.applies(&self.answers, q.key) {
            // Settled by an earlier answer (「期間の定めがない」 → no end date): counted as
            // asked, so a rule reading it may be judged now; nothing is written for it.
            self.asked.insert(q.key.to_string());
            return Ok(None);
        }
        if get(&self.answers, q.key).is_some() {
            self.asked.insert(q.key.to_string());
            return Ok(None);
        }
        loop {
            match self.ask(q, q.key)? {
                Got::Quit => return Ok(Some(End::Saved)),
                Got::Value(v) => set(&mut self.answers, q.key, v),
                Got::Unknown => {}
            }
            self.asked.insert(q.key.to_string());
            match self.after(q.key)? {
                Next::Go => return Ok(None),
                Next::Again => {
                    remove(&mut self.answers, q.key);
                    self.asked.remove(q.key);
                }
                Next::Stop => return Ok(Some(End::Stopped)),
                Next::Quit => return Ok(Some(End::Saved)),
            }
        }
    }

    /// Runs every step.
    fn run(&mut self) -> std::io::Result<End> {
        for step in self.q.steps() {
            match step {
                Step::Table(_, comment) => {
                    self.heading = Some(comment.to_string());
                }
                Step::Ask(q) => {
                    if let Some(end) = self.step_ask(&q)? {
                        return Ok(end);
                    }
                }
                Step::List {
                    key,
                    label,
                    fields,
                    when,
                } => {
                    if !when.is_none_or(|f| f(&self.answers)) || self.from_history.contains(key) {
                        continue;
                    }
                    if get(&self.answers, key).is_some() {
                        self.asked.insert(key.to_string());
                        continue;
                    }
                    // The list has its own label: the heading of a table none of whose
                    // questions was asked is not shown.
                    self.heading = None;
                    let mut rows: Vec<toml::Value> = Vec::new();
                    let mut quit = false;
                    'rows: loop {
                        self.heading_now();
                        if rows.is_empty() {
                            self.intro(label, key);
                        } else {
                            self.say("");
                        }
                        let prompt = if rows.is_empty() {
                            "書くものがありますか".to_string()
                        } else {
                            format!("{}件目を追加しますか", rows.len() + 1)
                        };
                        let items = [
                            "いいえ（次へ）".to_string(),
                            "はい（追加する）".to_string(),
                            SAVE_AND_QUIT.to_string(),
                        ];
                        match self.screen.select(&prompt, &items, None)? {
                            Some(0) => break,
                            Some(1) => {}
                            _ => {
                                quit = true;
                                break;
                            }
                        }
                        let mut row = Table::new();
                        for f in &fields {
                            let full = format!("{key}.{}", f.key);
                            match self.ask(f, &full)? {
                                Got::Value(v) => {
                                    row.insert(f.key.to_string(), v);
                                }
                                Got::Unknown => {}
                                Got::Quit => {
                                    self.say("  （書きかけの1件は保存しません）");
                                    quit = true;
                                    break 'rows;
                                }
                            }
                        }
                        rows.push(toml::Value::Table(row));
                    }
                    if !rows.is_empty() {
                        set(&mut self.answers, key, toml::Value::Array(rows));
                    }
                    if quit {
                        if get(&self.answers, key).is_some() {
                            self.asked.insert(key.to_string());
                        }
                        return Ok(End::Saved);
                    }
                    self.asked.insert(key.to_string());
                    match self.after(key)? {
                        Next::Stop => return Ok(End::Stopped),
                        Next::Quit => return Ok(End::Saved),
                        _ => {}
                    }
                }
                Step::Confirm(heading) => {
                    self.heading = Some(heading.to_string());
                    for c in self.q.confirms(&self.answers) {
                        if get(&self.answers, &c.key).is_some() {
                            continue;
                        }
                        self.heading_now();
                        self.say("");
                        self.say(&format!("  {}", c.intro));
                        self.say(&format!("  （{}）", c.key));
                        let items = [
                            "はい".to_string(),
                            "まだ".to_string(),
                            SAVE_AND_QUIT.to_string(),
                        ];
                        match self.screen.select("用意できましたか", &items, None)? {
                            Some(i) if i < 2 => {
                                set(&mut self.answers, &c.key, toml::Value::Boolean(i == 0))
                            }
                            _ => return Ok(End::Saved),
                        }
                    }
                }
            }
        }
        Ok(End::Done)
    }

    /// The answers the file holds: not the profile's.
    fn own_answers(&self) -> Table {
        let mut t = self.answers.clone();
        for k in &self.profile_keys {
            remove(&mut t, k);
        }
        prune(&mut t);
        t
    }
}

/// Removes tables left empty.
fn prune(t: &mut Table) {
    let empty: Vec<String> = t
        .iter_mut()
        .filter_map(|(k, v)| match v {
            toml::Value::Table(sub) => {
                prune(sub);
                sub.is_empty().then(|| k.clone())
            }
            _ => None,
        })
        .collect();
    for k in empty {
        t.remove(&k);
    }
}

/// The dotted keys of every value of a table (an array of tables is one value).
fn leaf_keys(t: &Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (k, v) in t {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(sub) => leaf_keys(sub, &key, out),
            _ => {
                out.insert(key);
            }
        }
    }
}

/// `other` over `base`, value by value.
fn overlay(base: &mut Table, other: &Table) {
    let mut keys = BTreeSet::new();
    leaf_keys(other, "", &mut keys);
    for k in keys {
        if let Some(v) = get(other, &k) {
            set(base, &k, v.clone());
        }
    }
}

/// Options of `new`.
pub struct NewArgs {
    /// `--template GRANT` (`--template` alone with `--from`).
    pub template: Option<Option<String>>,
    /// `--from LAST`: start from an earlier edition's file.
    pub from: Option<PathBuf>,
    pub grant: Option<String>,
    pub resume: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// `--replace`: the tool's own unchanged earlier claim file may be replaced.
    pub replace: bool,
    /// `--book BOOK --client NAME`: start from the client's profile, write into its claims/.
    pub book: Option<PathBuf>,
    pub client: Option<String>,
    pub today: chrono::NaiveDate,
}

fn programme_or_exit(q: &str) -> Result<&'static dyn Programme, Failure> {
    crate::programmes::search(q).map_err(|e| Failure::message(format!("エラー: {e}")))
}

/// The programme of a file (its `claim.grant` or `programme`).
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

/// The client folder of `--book BOOK --client NAME`, or what to write instead.
fn client_dir(book: &Path, client: &str) -> Result<PathBuf, Failure> {
    let b = crate::input::book::Book::open(book)
        .map_err(|e| Failure::message(format!("エラー: {e}")))?;
    let names: Vec<String> = b
        .clients
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let want = client.trim().trim_end_matches('/');
    if let Some(i) = names.iter().position(|n| n == want) {
        let dir = b.clients[i].clone();
        if !dir.join(crate::input::book::PROFILE_FILE).is_file() {
            return Err(Failure::message(format!(
                "エラー: {} に {} がありません。プロファイルから始めるには、そのファイルを書くか `johas-claim import` で作ってください。",
                dir.display(),
                crate::input::book::PROFILE_FILE
            )));
        }
        return Ok(dir);
    }
    let near = names
        .iter()
        .map(|n| (strsim::levenshtein(n, want), n))
        .min()
        .filter(|(d, n)| *d <= 3 || n.contains(want))
        .map(|(_, n)| format!("もしかして \"{n}\"？ "))
        .unwrap_or_default();
    Err(Failure::message(format!(
        "エラー: ブック {} にクライアント \"{want}\" のフォルダがありません。{near}ブックのクライアント: {}",
        book.display(),
        names.join("、")
    )))
}

/// A claim file's name in a client's claims/: `<year>-<programme>.toml`, or the first free
/// `<year>-<programme>-2.toml` ….
fn free_claim_name(claims: &Path, year: i32, short: &str) -> PathBuf {
    (1..)
        .map(|n| {
            claims.join(if n == 1 {
                format!("{year}-{short}.toml")
            } else {
                format!("{year}-{short}-{n}.toml")
            })
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .expect("a free name")
}

/// The profile's answers for `q` (client.toml beside `claims/`), read through the boundary.
fn profile_answers(
    q: &'static dyn Questionnaire,
    client: &Path,
) -> Result<(Table, Vec<crate::model::Notice>), Failure> {
    let path = client.join(crate::input::book::PROFILE_FILE);
    q.read_profile(&path).map_err(Failure::message)
}

/// `new`: exit 0 when the file was written, 1 when the owner stopped or saved before the
/// end, 2 for bad options, 130 on Ctrl-C (nothing written when stopped or interrupted).
pub fn run(args: NewArgs) -> Result<u8, Failure> {
    // `--from LAST`: this edition's file from last year's answers.
    let mut carried: Option<(Table, Vec<String>)> = None;
    if let Some(from) = &args.from {
        let prog = programme_of_file(from)?;
        let (t, changes) = questionnaire(prog)?
            .carry_over(from)
            .map_err(Failure::message)?;
        if args.template.is_some() {
            let mut text = String::new();
            text.push_str(&format!(
                "# {} の回答から始めました。{}\n",
                from.display(),
                if changes.is_empty() {
                    "変わった点はありません。".to_string()
                } else {
                    "変わった点:".to_string()
                }
            ));
            for c in &changes {
                text.push_str(&format!("#   - {c}\n"));
            }
            text.push_str(&questionnaire(prog)?.render(&t, &BTreeSet::new()));
            for c in &changes {
                crate::errln!("{c}")?;
            }
            return match &args.output {
                None => {
                    crate::out!("{text}")?;
                    Ok(0)
                }
                Some(p) => {
                    claim_batch(p, &text, None, args.replace).0.commit()?;
                    crate::outln!(
                        "{} に {} の回答を引き継いだファイルを書きました。",
                        p.display(),
                        from.display()
                    )?;
                    Ok(0)
                }
            };
        }
        carried = Some((t, changes));
    }
    if let Some(g) = &args.template {
        let Some(g) = g else {
            return Err(Failure::message(
                "エラー: --template には制度の名前を書いてください（例: --template 健康経営）。前年のファイルから始めるなら --from LAST.toml も付けてください。".to_string(),
            ));
        };
        let text = programme_or_exit(g)?.template();
        return match &args.output {
            None => {
                crate::out!("{text}")?;
                Ok(0)
            }
            Some(p) => {
                claim_batch(p, &text, None, args.replace).0.commit()?;
                crate::outln!("{} にひな形を書きました。", p.display())?;
                Ok(0)
            }
        };
    }
    // Resume: the answers already in a file are kept and not asked again.
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
        _ => (
            carried.as_ref().map(|(t, _)| t.clone()).unwrap_or_default(),
            None,
        ),
    };
    // A book client: `--book --client`, or the client of the resumed file.
    let client: Option<PathBuf> = match (&args.book, &args.client, &resume) {
        (Some(b), Some(c), _) => Some(client_dir(b, c)?),
        (None, None, Some(r)) => crate::input::book::client_of_claim(r),
        _ => None,
    };
    // The interview writes TOML: a JSON file is resumed into a TOML file beside it.
    let resumed_as = resume.as_ref().map(|p| {
        if crate::input::Format::of(p) == Some(crate::input::Format::Json) {
            p.with_extension("toml")
        } else {
            p.clone()
        }
    });
    let in_book = args.book.is_some();
    // The programme: the resumed file's, `--grant`, or chosen below.
    let from_programme = match &args.from {
        Some(p) => Some(programme_of_file(p)?),
        None => None,
    };
    let known: Option<&'static dyn Programme> =
        match (resumed_programme.or(from_programme), &args.grant) {
            (Some(p), _) => Some(p),
            (None, Some(g)) => Some(programme_or_exit(g)?),
            (None, None) => None,
        };
    let output_for = |p: &'static dyn Programme| -> PathBuf {
        match (&args.output, &client, in_book) {
            (Some(o), Some(c), true) if o.components().count() == 1 => {
                c.join(crate::input::book::CLAIMS_DIR).join(o)
            }
            (Some(o), _, _) => o.clone(),
            (None, Some(c), true) => free_claim_name(
                &c.join(crate::input::book::CLAIMS_DIR),
                chrono::Datelike::year(&args.today),
                p.short_name(),
            ),
            (None, _, _) => resumed_as.clone().unwrap_or_else(|| {
                PathBuf::from(
                    p.questionnaire()
                        .map(|q| q.file_name())
                        .unwrap_or("claim.toml"),
                )
            }),
        }
    };
    if resumed_as.is_some() && resumed_as != resume && args.output.is_none() {
        crate::errln!(
            "{} は JSON のため、続きは TOML の {} に書きます（{} はそのまま残します）。",
            resume.as_deref().unwrap_or(Path::new("")).display(),
            resumed_as.as_deref().unwrap_or(Path::new("")).display(),
            resume.as_deref().unwrap_or(Path::new("")).display()
        )?;
    }
    let resumed = resume.as_deref().zip(resumed_bytes.as_deref());
    // Before any question: the file could be written at the end.
    let preflight = |output: &Path| -> Result<(), Failure> {
        match claim_batch(output, "", resumed, args.replace).0.preflight() {
            Ok(()) => Ok(()),
            Err(e) => {
                let hint = if resume.is_none() && output.exists() {
                    format!(
                        "続きから答えるなら --resume {} としてください。",
                        output.display()
                    )
                } else {
                    String::new()
                };
                Err(Failure::message(format!("エラー: {e}{hint}")))
            }
        }
    };
    if let Some(p) = known {
        preflight(&output_for(p))?;
    }
    if let Some(prog) = resumed_programme {
        if let Err(e) = questionnaire(prog)?.check_known_keys(&answers) {
            return Err(Failure::message(format!("エラー: {e}")));
        }
    }
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::message("エラー: new は端末で対話的に使います。質問なしでひな形を書くには new --template 産業医 のようにしてください。".to_string()));
    }
    crate::output::install_interrupt_handler();
    // Ctrl-C at a prompt: restore the cursor and say that nothing was written.
    crate::output::set_interrupt_message(Some(
        "\x1b[?25h\n中断しました。ファイルは書いていません。\n",
    ));
    let screen = Screen::new();
    let programme = match known {
        Some(p) => p,
        None => {
            let with: Vec<&'static dyn Programme> = crate::programmes::ALL
                .iter()
                .copied()
                .filter(|p| p.questionnaire().is_some())
                .collect();
            let names: Vec<String> = with.iter().map(|p| p.name()).collect();
            screen.say("質問に答えてファイルを作ります。Ctrl-C でやめるとファイルは書きません。");
            match screen.select("どの助成金・制度ですか", &names, Some(0)) {
                Ok(None) => {
                    crate::errln!("やめました。ファイルは書いていません。")?;
                    return Ok(1);
                }
                Ok(Some(i)) => {
                    preflight(&output_for(with[i]))?;
                    with[i]
                }
                Err(e) => return Err(io_exit(e)),
            }
        }
    };
    let output = output_for(programme);
    let q = questionnaire(programme)?;
    // The client's profile: its facts are not asked and not written to the claim file.
    let mut base = Table::new();
    let mut profile_keys = BTreeSet::new();
    if let Some(c) = &client {
        let (profile, notices) = profile_answers(q, c)?;
        crate::commands::check::print_notices(&notices, false)?;
        leaf_keys(&profile, "", &mut profile_keys);
        base = profile;
    }
    let mut own = BTreeSet::new();
    leaf_keys(&answers, "", &mut own);
    profile_keys.retain(|k| !own.contains(k));
    overlay(&mut base, &answers);
    let mut answers = base;
    q.start(&mut answers);
    let mut iv = Interview {
        q,
        asked: BTreeSet::new(),
        answers,
        warned: BTreeSet::new(),
        profile_keys,
        from_history: match &client {
            Some(_) => q.from_history().iter().map(|k| k.to_string()).collect(),
            None => BTreeSet::new(),
        },
        today: args.today,
        screen,
        heading: None,
    };
    iv.say(&format!(
        "分からない事実は「わからない」（文字で答える質問では空のまま Enter）と答えてください。どの質問でも Esc（または Ctrl-D、選ぶ質問では「保存してやめる」）で、そこまでの答えを {} に書いてやめられます。続きは johas-claim new --resume {} で答えられます。Ctrl-C でやめると何も書きません。",
        output.display(),
        output.display()
    ));
    if let Some(c) = &client {
        if !iv.profile_keys.is_empty() {
            iv.say(&format!(
                "{} の事実（{}項目）は質問しません。",
                c.join(crate::input::book::PROFILE_FILE).display(),
                iv.profile_keys.len()
            ));
        }
    }
    if let Some(s) = iv.q.not_asked() {
        iv.say(&s);
    }
    if client.is_some() && !iv.from_history.is_empty() {
        iv.say("申請回数と過去の申請は、ブックにあるこのクライアントの申請から決めます（質問しません）。");
    }
    if let (Some(from), Some((_, changes))) = (&args.from, &carried) {
        iv.say(&format!(
            "{} の回答から始めます。書かれていない項目だけを質問します。",
            from.display()
        ));
        if !changes.is_empty() {
            iv.say("変わった点:");
            for c in changes {
                iv.say(&format!("  - {c}"));
            }
        }
    }
    if resume.is_some() {
        iv.say(&format!(
            "{} の続きから、書かれていない項目だけを質問します。",
            output.display()
        ));
    }
    let end = match iv.run() {
        Ok(end) => end,
        // The terminal's input ended (a closed window, a pipe at its end): the answers
        // given are kept, as with 「保存してやめる」.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => End::Saved,
        Err(e) => return Err(io_exit(e)),
    };
    if end == End::Stopped {
        iv.say("やめました。ファイルは書いていません。");
        return Ok(1);
    }
    // The profile's facts are neither written nor marked unknown in the claim file.
    let asked: BTreeSet<String> = iv
        .asked
        .iter()
        .filter(|k| !iv.profile_keys.contains(*k))
        .cloned()
        .collect();
    let mut text = q.render(&iv.own_answers(), &asked);
    if end == End::Saved {
        text = format!(
            "# 書きかけのファイルです。続きは johas-claim new --resume {} で答えられます。\n{text}",
            output.display()
        );
    }
    let (batch, backup) = claim_batch(&output, &text, resumed, args.replace);
    batch.commit()?;
    crate::output::set_interrupt_message(None);
    if let Some(b) = backup {
        iv.say(&format!(
            "元のファイルを {} として残しました。",
            b.display()
        ));
    }
    if end == End::Saved {
        iv.say(&format!(
            "\n途中まで保存しました: {}\n続きは johas-claim new --resume {} で、書かれていない項目だけを質問します。",
            output.display(),
            output.display()
        ));
        return Ok(1);
    }
    iv.say(&format!("\n{} に書きました。", output.display()));
    // What `check` says now.
    match crate::commands::load::load(&output) {
        Ok(loaded) => {
            let judged = loaded.case.judge(args.today, false);
            iv.say(judged.human(false).trim_end());
            if text.contains("# わからない: ") {
                iv.say(&format!("「わからない」と答えた項目はコメント（#）にしてあります。分かったら書き込んでから johas-claim check {} で確かめてください。", output.display()));
            }
        }
        Err(e) => crate::err!("{e}")?,
    }
    Ok(0)
}

fn io_exit(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::Interrupted {
        Failure::Message {
            text: "\x1b[?25h\n中断しました。ファイルは書いていません。".into(),
            code: 130,
        }
    } else {
        Failure::message(format!(
            "エラー: 端末から読めません（{e}）。ファイルは書いていません。"
        ))
    }
}

/// The batch that writes the file `new` made. A new file (or, with `replace`, the tool's own
/// unchanged earlier one); or, when `resumed` is that very file (its path and the bytes
/// read), an edit that keeps the previous version beside it as `<name>.orig` (the first free
/// name of `.orig`, `.orig.1` …: never an existing file). A book client's missing `claims/`
/// folder is made. Returns the batch and the backup's path.
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
            if let Some(claims) = path.parent().filter(|d| {
                d.file_name() == Some(std::ffi::OsStr::new(crate::input::book::CLAIMS_DIR))
                    && !d.exists()
                    && d.parent()
                        .is_some_and(|c| c.join(crate::input::book::PROFILE_FILE).is_file())
            }) {
                b.dir(claims);
            }
            b.file(path, text.as_bytes());
            (b, None)
        }
    }
}
