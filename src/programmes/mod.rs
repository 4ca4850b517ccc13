//! The programmes, one folder each, behind one trait ([`Programme`]). [`ALL`] is the only
//! list of them: the commands find a programme here by a file's contents, an id or a name,
//! and know nothing else of it.
//!
//! `johas` is the house the JOHAS grants share (the claim file, the packet, the book's
//! history); each grant (`sangyoui`, `shokuba`) is its own folder and plugs into it.

pub mod johas;
pub mod kenko_keiei;
pub mod programme;
pub mod sangyoui;
pub mod shokuba;

pub use programme::{Case, Judgement, Programme};

use crate::input::book::Source;
use crate::input::tree::Node;
use crate::input::{Input, InputError, Problem};

/// Every programme, in the order they are listed (`editions`, the interview's first
/// question). Adding one is one line here; what it must provide, the trait says.
pub static ALL: [&dyn Programme; 3] = [
    &sangyoui::PROGRAMME,
    &shokuba::PROGRAMME,
    &kenko_keiei::PROGRAMME,
];

/// The house the JOHAS grants share learns them here: they are the programmes of [`ALL`]
/// that are JOHAS grants (it names none of them, and imports nothing above it).
impl johas::grant::Registry for johas::grant::Registered {
    fn programmes() -> Vec<(&'static str, Option<&'static johas::JohasProgramme>)> {
        ALL.iter()
            .map(|p| (p.id(), (*p as &dyn std::any::Any).downcast_ref()))
            .collect()
    }
}

/// The programme with this id.
pub fn find(id: &str) -> Option<&'static dyn Programme> {
    ALL.iter().copied().find(|p| p.id() == id.trim())
}

/// The short name of a programme id for tables and calendars (the id itself when unknown).
pub fn short_name(id: &str) -> String {
    find(id)
        .map(|p| p.short_name().to_string())
        .unwrap_or_else(|| id.to_string())
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The programmes whose id or one of whose names contains `query` (case-insensitive, spaces
/// ignored): `産業医`, `職場環境`, `shokuba`, `sangyoui-chokusetsu`.
pub fn search_all(query: &str) -> Vec<&'static dyn Programme> {
    let q = norm(query);
    if q.is_empty() {
        return Vec::new();
    }
    if let Some(p) = ALL.iter().copied().find(|p| norm(p.id()) == q) {
        return vec![p];
    }
    ALL.iter()
        .copied()
        .filter(|p| p.names().iter().any(|n| norm(n).contains(&q)))
        .collect()
}

/// The programme a query names, or a Japanese message listing what exists.
pub fn search(query: &str) -> Result<&'static dyn Programme, String> {
    let list = || {
        ALL.iter()
            .map(|p| format!("  - {}（{}）", p.id(), p.name()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match search_all(query).as_slice() {
        [p] => Ok(*p),
        [] => Err(format!(
            "「{query}」に当たる制度がありません。次のいずれか（名前の一部でも可。例: 産業医、職場環境、健康経営）を指定してください:\n{}",
            list()
        )),
        many => Err(format!(
            "「{query}」は複数の制度に当たります（{}）。もう少し詳しく指定してください:\n{}",
            many.iter().map(|p| p.id()).collect::<Vec<_>>().join("、"),
            list()
        )),
    }
}

/// The programme of a file: the one that owns it, else (a file that names none) the first,
/// whose reader says what the file lacks.
pub fn of_tree(root: &Node) -> Result<&'static dyn Programme, Problem> {
    if let Some(p) = ALL.iter().copied().find(|p| p.owns(root)) {
        return Ok(p);
    }
    if let Some(n) = root.get("programme") {
        let written = n.as_str().unwrap_or_default().trim().to_string();
        let ids: Vec<&str> = ALL.iter().map(|p| p.id()).collect();
        let near = ids
            .iter()
            .min_by_key(|id| strsim::levenshtein(id, &written))
            .copied()
            .unwrap_or("");
        return Err(Problem {
            path: "programme".into(),
            line: (n.line > 0).then_some(n.line),
            value: Some(crate::input::walk::show(n)),
            message: format!(
                "この制度は扱えません。もしかして \"{near}\"？ 使える値: {}",
                ids.join(", ")
            ),
            file: None,
        });
    }
    Ok(ALL[0])
}

/// Reads an input (a file, a book claim, answers) through the boundary, with its programme.
pub fn read(input: Input) -> Result<Box<dyn Case>, InputError> {
    match of_tree(&input.root) {
        Ok(p) => p.read(input),
        Err(problem) => Err(InputError {
            file: input.files.first().cloned().unwrap_or_default(),
            problems: vec![problem],
        }),
    }
}

/// The sections a client's profile may hold: every programme's.
/// Every programme's client-list columns, in the registry's order (a column two programmes
/// share, as the JOHAS grants share their establishment, once).
pub fn profile_columns() -> Vec<&'static crate::input::columns::Column> {
    let mut out: Vec<&'static crate::input::columns::Column> = Vec::new();
    for p in ALL.iter() {
        for c in p.profile_columns() {
            if !out.iter().any(|o| std::ptr::eq(*o, c)) {
                out.push(c);
            }
        }
    }
    out
}

pub fn profile_sections() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for p in ALL.iter() {
        for s in p.profile_sections() {
            if !out.contains(s) {
                out.push(s);
            }
        }
    }
    out
}

/// A client's profile (client.toml) on its own: only sections some programme reads, each
/// checked by the programmes that read it, every problem at once.
pub fn check_profile(src: &Source) -> Result<(), InputError> {
    let sections = profile_sections();
    let mut problems = src.syntax_problems();
    for e in src.parsed.root.entries() {
        let key = e.key.as_str();
        if sections.contains(&key) {
            continue;
        }
        let nearest = sections
            .iter()
            .map(|k| (strsim::damerau_levenshtein(k, key), k))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, k)| format!("もしかして [{k}]？ "))
            .unwrap_or_default();
        let listed = sections
            .iter()
            .map(|s| format!("[{s}]"))
            .collect::<Vec<_>>()
            .join("・");
        problems.push(Problem {
            path: key.to_string(),
            line: (e.line > 0).then_some(e.line),
            value: None,
            message: format!(
                "{nearest}{} に書けるのは {listed} だけです。申請ごとの事実は {}/ の申請ファイルに書いてください。",
                crate::input::book::PROFILE_FILE,
                crate::input::book::CLAIMS_DIR
            ),
            file: None,
        });
    }
    let input = Input::of(src);
    for p in ALL.iter() {
        for found in p.check_profile(&input) {
            if !problems.contains(&found) {
                problems.push(found);
            }
        }
    }
    problems.sort_by_key(|p| (p.line.unwrap_or(usize::MAX), p.path.clone()));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InputError {
            file: src.label.clone(),
            problems,
        })
    }
}

/// Problems in a profile given as a table (an imported row of a client list), as the
/// programmes check a client.toml.
pub fn profile_problems(profile: &toml::Table, label: &str) -> Vec<Problem> {
    let root = Node::from_toml(&toml::Value::Table(profile.clone()), 0);
    let input = Input::from_tree(label, root, crate::input::Format::Toml);
    let mut out: Vec<Problem> = Vec::new();
    for p in ALL.iter() {
        for f in p.check_profile(&input) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// Reads a client folder, its profile checked by the programmes. A client whose profile
/// names no establishment is named by the first programme whose sections name it.
pub fn load_client(dir: &std::path::Path) -> crate::input::book::Client {
    let mut client = crate::input::book::load_client(dir, &check_profile);
    if client.name.is_none() {
        if let Some(p) = &client.profile {
            client.name = ALL.iter().find_map(|prog| prog.client_name(&p.parsed.root));
        }
    }
    client
}

/// Loads and checks every programme's data (the bundled editions and those of `--editions`
/// folders), before any file is read: a defect there is the tool's, named with its file.
pub fn load_data(dirs: &[std::path::PathBuf]) -> Result<(), crate::model::DataError> {
    ALL.iter().try_for_each(|p| p.load_data(dirs))
}

#[cfg(test)]
mod tests {
    #[test]
    fn japanese_names_find_the_programme() {
        let id = |q: &str| super::search(q).map(|p| p.id());
        assert_eq!(id("産業医"), Ok("sangyoui-chokusetsu"));
        assert_eq!(id("職場環境"), Ok("shokuba-kankyo-a"));
        assert_eq!(id("shokuba-kankyo-a"), Ok("shokuba-kankyo-a"));
        assert_eq!(id("直接健康相談"), Ok("sangyoui-chokusetsu"));
        assert_eq!(id("健康経営"), Ok("kenko-keiei-chusho"));
        assert!(id("助成金").unwrap_err().contains("複数の制度"));
        let none = id("両立支援").unwrap_err();
        assert!(none.contains("当たる制度がありません"), "{none}");
        assert!(none.contains("kenko-keiei-chusho"), "{none}");
    }
}
