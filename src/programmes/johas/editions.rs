//! The editions loaded: the bundled ones and those of `--editions` folders, each checked
//! when it loads (its folder, its grant's parameters, what its rules promise against the
//! claim file's schema), and the choice of an edition for a claim.
//!
//! The bundled editions and form layouts are found from their folders at build time
//! (`build.rs`); `--editions DIR` adds more at run time ([`init_extra`]), laid out like the
//! repository: `DIR/editions/<grant>/<edition>.toml`, `DIR/forms/<grant>/<edition>/*.toml`.
//! An edition may reuse another edition's forms (`forms = "R2"`).

use super::edition::{DataError, Edition, FormFile};
use super::grant::{self as grants, JohasProgramme};
use crate::model::dates::wareki;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The bundled data files, found by `build.rs`: `EDITIONS` and `FORMS`, each a list of
/// (path relative to the repository, contents).
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// Parses one edition file. `path` is `…/editions/<grant>/<edition>.toml`: the folder and the
/// file name must agree with the file's `grant` and `edition`.
fn load(path: &str, text: &str) -> Result<Edition, DataError> {
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| DataError::new(path, format!("TOML として読めません: {e}")))?;
    let grant = match table.get("grant").and_then(|g| g.as_str()) {
        Some(g) => grants::grant(g).ok_or_else(|| {
            DataError::new(
                path,
                format!(
                    "grant = \"{g}\" は本ツールの助成金ではありません（{}）。",
                    grants::ids(" / ")
                ),
            )
        })?,
        None => return Err(DataError::new(path, "grant がありません。")),
    };
    let e = grant.load_edition(grant.handle(), path, text)?;
    let p = Path::new(path);
    let folder = p
        .parent()
        .and_then(|d| d.file_name())
        .and_then(|n| n.to_str());
    let stem = p.file_stem().and_then(|n| n.to_str());
    if folder != Some(grant.id()) || stem != Some(e.edition.as_str()) {
        return Err(DataError::new(
            path,
            format!(
                "grant = \"{}\", edition = \"{}\" の版は editions/{}/{}.toml に置いてください。",
                grant.id(),
                e.edition,
                grant.id(),
                e.edition
            ),
        ));
    }
    if e.application.opens.value > e.application.closes.value {
        return Err(DataError::new(
            path,
            "[application] の opens が closes より後です。",
        ));
    }
    let params: Vec<&str> = table
        .get("params")
        .and_then(|p| p.as_table())
        .map(|p| p.keys().map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let problems = rule_problems(&e, &params);
    if !problems.is_empty() {
        return Err(DataError::new(path, problems.join("\n  ")));
    }
    Ok(e)
}

/// What an edition's `[[rules]]`, `[[sections]]` and `[[notes]]` promise, checked: each rule
/// quotes the guide; the sections place every rule exactly once, in the order of the rules;
/// each `params` name is a key of `[params]` (or `application.opens|closes`); each `facts`
/// key is a key of the claim file (its schema, `johas-claim schema`), and not a key of
/// another grant's section. `params` are the keys of the edition's `[params]` table.
fn rule_problems(e: &Edition, params: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let known = |id: &str| e.rules.iter().any(|r| r.id == id);
    for s in &e.sections {
        for id in s.rules.iter().filter(|id| !known(id)) {
            out.push(format!(
                "[[sections]]「{}」の \"{id}\" は [[rules]] にない ID です。",
                s.heading
            ));
        }
    }
    let placed: Vec<&String> = e.sections.iter().flat_map(|s| &s.rules).collect();
    for r in &e.rules {
        match placed.iter().filter(|p| ***p == r.id).count() {
            1 => {}
            0 => out.push(format!(
                "[[rules]] の \"{}\" がどの [[sections]] にもありません（手引の見出しの下に1回だけ書いてください）。",
                r.id
            )),
            n => out.push(format!(
                "[[rules]] の \"{}\" が [[sections]] に{n}回あります（1回だけ書いてください）。",
                r.id
            )),
        }
    }
    if out.is_empty() {
        if let Some((i, (p, r))) = placed
            .iter()
            .zip(&e.rules)
            .enumerate()
            .find(|(_, (p, r))| ***p != r.id)
        {
            out.push(format!(
                "[[sections]] の {}番目の規則は \"{p}\" ですが、[[rules]] の {}番目は \"{}\" です。[[sections]] と [[rules]] はどちらも手引の順に書いてください。",
                i + 1,
                i + 1,
                r.id
            ));
        }
    }
    for r in &e.rules {
        if r.quote.is_empty() || r.quote.iter().any(|q| q.trim().is_empty()) {
            out.push(format!(
                "[[rules]] の \"{}\" の quote に手引の文言がありません（手引の文をそのまま書いてください）。",
                r.id
            ));
        }
        for p in &r.params {
            let ok = params.contains(&p.as_str())
                || p == "application.opens"
                || p == "application.closes";
            if !ok {
                out.push(format!(
                    "[[rules]] の \"{}\" の params \"{p}\" はこの版の [params] のキーではありません（使えるのは {} と application.opens / application.closes）。",
                    r.id,
                    params.join(", ")
                ));
            }
        }
        for f in &r.facts {
            if let Some(why) = fact_problem(&e.grant, f) {
                out.push(format!(
                    "[[rules]] の \"{}\" の facts \"{f}\" は{why}",
                    r.id
                ));
            }
        }
    }
    out
}

/// Why `key` is not a claim-file key this grant's claims can give, if it is not: every
/// segment must be a property of the schema (a list's rows count as one level, as in
/// `shokuba.equipment.name`), and the first must not be another grant's section.
pub(crate) fn fact_problem(grant: &JohasProgramme, key: &str) -> Option<String> {
    let first = key.split('.').next().unwrap_or(key);
    if let Some(other) = grants::grants().find(|g| *g != grant && g.section() == first) {
        return Some(format!(
            " {} の申請ファイルのキーです（{} の版では使えません）。",
            other.id(),
            grant.id()
        ));
    }
    let mut node = crate::programmes::johas::claim_file::schema();
    for seg in key.split('.') {
        let is_list = |n: &serde_json::Value| {
            n.get("type").is_some_and(|t| {
                t == "array" || t.as_array().is_some_and(|a| a.iter().any(|x| x == "array"))
            })
        };
        if is_list(node) {
            node = node.get("items").unwrap_or(node);
        }
        let props = node.get("properties").and_then(|p| p.as_object());
        match props.and_then(|p| p.get(seg)) {
            Some(n) => node = n,
            None => {
                let keys: Vec<&str> = props
                    .map(|p| p.keys().map(|k| k.as_str()).collect())
                    .unwrap_or_default();
                let known = if keys.is_empty() {
                    String::new()
                } else {
                    format!("。ここに書けるキー: {}", keys.join(", "))
                };
                return Some(format!(
                    "申請ファイルのキーではありません（\"{seg}\" がありません{known}）。johas-claim schema にあるキーをピリオドでつないで書いてください（例: establishment.workers）。"
                ));
            }
        }
    }
    None
}

fn form_file(path: &str, text: String, bundled: bool) -> Result<FormFile, DataError> {
    let parts: Vec<&str> = path.rsplit('/').take(3).collect();
    let [file, edition, grant] = parts[..] else {
        return Err(DataError::new(
            path,
            "様式は forms/<grant>/<edition>/<form>.toml に置いてください。",
        ));
    };
    let grant = grants::grant(grant).ok_or_else(|| {
        DataError::new(
            path,
            format!(
                "フォルダ名 \"{grant}\" は本ツールの助成金ではありません（{}）。",
                grants::ids(" / ")
            ),
        )
    })?;
    Ok(FormFile {
        grant: grant.handle(),
        edition: edition.to_string(),
        id: file.trim_end_matches(".toml").to_string(),
        path: path.to_string(),
        text,
        bundled,
    })
}

/// Every edition and form layout: the bundled ones, then those of each `--editions` folder.
struct Data {
    editions: Vec<Edition>,
    forms: Vec<FormFile>,
}

/// `DIR/<sub>/…/*.toml`, `depth` folders deep, sorted; a missing `<sub>` is empty.
fn files_in(dir: &Path, depth: usize) -> Result<Vec<PathBuf>, DataError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let read = std::fs::read_dir(dir).map_err(|e| {
        DataError::new(
            &dir.display().to_string(),
            format!("フォルダを読めません: {e}"),
        )
    })?;
    let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        // The folders of the registry's other programmes (as in build.rs): their data is
        // loaded by the programme itself, not here.
        if p.is_dir()
            && p.file_name()
                .is_some_and(|n| grants::other_programmes().any(|id| n == id))
        {
            continue;
        }
        if depth > 0 && p.is_dir() {
            out.extend(files_in(&p, depth - 1)?);
        } else if depth == 0 && p.is_file() && p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
    Ok(out)
}

fn read(path: &Path) -> Result<(String, String), DataError> {
    let shown = path.display().to_string().replace('\\', "/");
    let text = crate::input::limits::read_text(path, crate::input::limits::DATA_FILE).map_err(
        |e| match e {
            crate::input::limits::ReadError::Io(e) => {
                DataError::new(&shown, format!("読めません: {e}"))
            }
            too_large => DataError::new(&shown, too_large.to_string()),
        },
    )?;
    Ok((shown, text))
}

fn load_data(dirs: &[PathBuf]) -> Result<Data, DataError> {
    let mut editions = Vec::new();
    let mut forms = Vec::new();
    for (path, text) in bundled::EDITIONS {
        editions.push(load(path, text)?);
    }
    for (path, text) in bundled::FORMS {
        forms.push(form_file(path, text.to_string(), true)?);
    }
    for dir in dirs {
        let shown = dir.display().to_string();
        if !dir.is_dir() {
            return Err(DataError::new(
                &shown,
                "--editions で指定したフォルダがありません。",
            ));
        }
        let found_editions = files_in(&dir.join("editions"), 1)?;
        if found_editions.is_empty() {
            return Err(DataError::new(
                &shown,
                "版のファイルがありません。DIR/editions/<grant>/<edition>.toml の形で置いてください。",
            ));
        }
        for p in found_editions {
            let (path, text) = read(&p)?;
            editions.push(load(&path, &text)?);
        }
        for p in files_in(&dir.join("forms"), 2)? {
            let (path, text) = read(&p)?;
            forms.push(form_file(&path, text, false)?);
        }
    }
    for (i, e) in editions.iter().enumerate() {
        if let Some(first) = editions[..i]
            .iter()
            .find(|x| x.grant == e.grant && x.edition == e.edition)
        {
            return Err(DataError::new(
                &e.source,
                format!(
                    "{} の版 \"{}\" は既に {} にあります。別の版の名前にしてください。",
                    e.grant.id(),
                    e.edition,
                    first.source
                ),
            ));
        }
    }
    for (i, f) in forms.iter().enumerate() {
        if let Some(first) = forms[..i]
            .iter()
            .find(|x| x.grant == f.grant && x.edition == f.edition && x.id == f.id)
        {
            return Err(DataError::new(
                &f.path,
                format!("同じ様式が既に {} にあります。", first.path),
            ));
        }
    }
    for e in &editions {
        for id in &e.packet_order.value {
            if !forms
                .iter()
                .any(|f| f.grant == e.grant && f.edition == e.forms && &f.id == id)
            {
                return Err(DataError::new(
                    &e.source,
                    format!(
                        "packet_order の様式 \"{id}\" のレイアウト forms/{}/{}/{id}.toml がありません{}。",
                        e.grant.id(),
                        e.forms,
                        if e.forms != e.edition { format!("（forms = \"{}\"）", e.forms) } else { String::new() }
                    ),
                ));
            }
        }
    }
    Ok(Data { editions, forms })
}

static DATA: OnceLock<Data> = OnceLock::new();

fn data() -> &'static Data {
    DATA.get_or_init(|| load_data(&[]).unwrap_or_else(|e| panic!("bundled data: {e}")))
}

/// Adds the editions (and forms) of each `--editions` folder to the bundled ones. Called
/// by the CLI once, before any claim is loaded.
pub fn init_extra(dirs: &[PathBuf]) -> Result<(), DataError> {
    if dirs.is_empty() {
        // The bundled data alone (loaded now, so a defect shows before any claim).
        let loaded = load_data(&[])?;
        let _ = DATA.set(loaded);
        return Ok(());
    }
    let loaded = load_data(dirs)?;
    DATA.set(loaded).map_err(|_| {
        DataError::new(
            "--editions",
            "版のデータが既に読み込まれた後に追加しようとしました（本ツールの不具合です）。",
        )
    })
}

/// Every edition: the bundled ones, then those added with `--editions`.
pub fn all() -> &'static [Edition] {
    &data().editions
}

/// Every form layout file (bundled and added).
pub fn form_files() -> &'static [FormFile] {
    &data().forms
}

/// The edition of a grant by name.
pub fn find(grant: &JohasProgramme, edition: &str) -> Option<&'static Edition> {
    all()
        .iter()
        .find(|e| e.grant == grant.handle() && e.edition == edition)
}

/// Loads only the given folders' data on top of the bundled data, without registering it
/// (for tests and checks).
pub fn load_dirs(dirs: &[PathBuf]) -> Result<Vec<Edition>, DataError> {
    load_data(dirs).map(|d| d.editions)
}

/// Why no edition could be chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectError {
    UnknownEdition {
        /// The grant's id.
        grant: &'static str,
        edition: String,
    },
    NoEditionForDate {
        grant: &'static str,
        date: NaiveDate,
    },
    /// The date falls in the windows of several editions and the claim names none.
    Ambiguous {
        grant: &'static str,
        date: NaiveDate,
        /// The editions whose windows contain the date.
        editions: Vec<String>,
    },
}

impl SelectError {
    /// Japanese message listing the editions that exist and their windows.
    pub fn message(&self) -> String {
        let list = |g: &str| {
            all()
                .iter()
                .filter(|e| e.grant.id() == g)
                .map(|e| format!("  - {}", e.describe()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match self {
            SelectError::UnknownEdition { grant, edition } => format!(
                "版 \"{edition}\" は {} にはありません（新しい版のデータがあれば --editions DIR で加えられます: DIR/editions/{}/{edition}.toml）。使える版:\n{}",
                grant,
                grant,
                list(grant)
            ),
            SelectError::NoEditionForDate { grant, date } => format!(
                "申請日 {}（{}）を申請期間に含む {} の版がありません。claim.edition で版を指定するか、申請日を確かめてください。使える版:\n{}",
                wareki(*date),
                date,
                grant,
                list(grant)
            ),
            SelectError::Ambiguous { grant, date, editions } => {
                let both = all()
                    .iter()
                    .filter(|e| e.grant.id() == *grant && editions.contains(&e.edition))
                    .map(|e| format!("  - {}", e.describe()))
                    .collect::<Vec<_>>()
                    .join("\n");
                format!(
                    "申請日 {}（{}）は {} の複数の版（{}）の申請期間に入っているため、版を決められません。claim.edition でどちらかを指定してください（例: edition = \"{}\"）。該当する版:\n{both}",
                    wareki(*date),
                    date,
                    grant,
                    editions.join("、"),
                    editions[0]
                )
            }
        }
    }
}

/// The edition for a claim: the one named, or the one whose application period contains
/// the application date (an error naming them when several do).
pub fn select(
    grant: &JohasProgramme,
    named: Option<&str>,
    date: NaiveDate,
) -> Result<&'static Edition, SelectError> {
    let mut of_grant = all().iter().filter(|e| e.grant == grant.handle());
    let grant = grant.id();
    match named {
        Some(name) => {
            of_grant
                .find(|e| e.edition == name)
                .ok_or_else(|| SelectError::UnknownEdition {
                    grant,
                    edition: name.to_string(),
                })
        }
        None => {
            let open: Vec<&'static Edition> = of_grant
                .filter(|e| e.application.opens.value <= date && date <= e.application.closes.value)
                .collect();
            match open[..] {
                [] => Err(SelectError::NoEditionForDate { grant, date }),
                [one] => Ok(one),
                _ => Err(SelectError::Ambiguous {
                    grant,
                    date,
                    editions: open.iter().map(|e| e.edition.clone()).collect(),
                }),
            }
        }
    }
}

/// A grant's editions, oldest first.
pub fn editions_of(grant: &JohasProgramme) -> Vec<&'static Edition> {
    let mut of: Vec<&'static Edition> =
        all().iter().filter(|e| e.grant == grant.handle()).collect();
    of.sort_by_key(|e| e.application.opens.value);
    of
}

/// The edition named, or the newest one.
pub fn edition_of(grant: &JohasProgramme, named: Option<&str>) -> Result<&'static Edition, String> {
    let of = editions_of(grant);
    match named {
        Some(name) => of
            .iter()
            .find(|e| e.edition == name)
            .copied()
            .ok_or_else(|| {
                format!(
                    "版 \"{name}\" は {} にはありません。使える版:\n{}",
                    grant.id(),
                    of.iter()
                        .map(|e| format!("  - {}", e.describe()))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }),
        None => of
            .last()
            .copied()
            .ok_or_else(|| format!("{} の版がありません。", grant.id())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(id: &str) -> &'static JohasProgramme {
        crate::programmes::johas::grant::grant(id).unwrap()
    }

    #[test]
    fn editions_are_found_from_their_folder_and_selected_by_date() {
        // Every file under editions/ is loaded, and only those.
        let on_disk = files_in(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/editions")),
            1,
        )
        .unwrap()
        .len();
        assert!(on_disk >= 2);
        assert_eq!(all().len(), on_disk);
        let d = NaiveDate::from_ymd_opt(2020, 10, 10).unwrap();
        assert_eq!(
            select(grant("sangyoui-chokusetsu"), None, d)
                .unwrap()
                .edition,
            "R2"
        );
        let late = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let err = select(grant("sangyoui-chokusetsu"), None, late).unwrap_err();
        assert!(
            err.message().contains("令和3年9月30日"),
            "{}",
            err.message()
        );
        assert!(select(grant("shokuba-kankyo-a"), Some("R2"), d).is_err());
    }

    #[test]
    fn every_bundled_form_file_is_found() {
        let on_disk = files_in(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/forms")), 2)
            .unwrap()
            .len();
        assert_eq!(form_files().len(), on_disk);
        assert!(form_files()
            .iter()
            .any(|f| f.grant.id() == "shokuba-kankyo-a"
                && f.edition == "H30"
                && f.id == "yoshiki3"));
    }

    fn fixture() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/editions"))
    }

    #[test]
    fn an_extra_folder_adds_an_edition_that_reuses_forms() {
        let all = load_dirs(&[fixture()]).unwrap();
        let r3 = all
            .iter()
            .find(|e| e.grant.id() == "sangyoui-chokusetsu" && e.edition == "R3")
            .unwrap();
        assert_eq!(r3.forms, "R2");
        assert_eq!(
            r3.params_as::<crate::programmes::sangyoui::SangyouiParams>()
                .unwrap()
                .amount_per_period_yen
                .value,
            150000
        );
        assert_eq!(r3.edition_mark, "（R3.4）");
    }

    fn broken(name: &str, text: &str) -> DataError {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("editions/sangyoui-chokusetsu");
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join(name), text).unwrap();
        load_dirs(&[dir.path().to_path_buf()]).unwrap_err()
    }

    fn r3_text() -> String {
        std::fs::read_to_string(fixture().join("editions/sangyoui-chokusetsu/R3.toml")).unwrap()
    }

    #[test]
    fn malformed_edition_files_are_data_errors() {
        let e = broken("R4.toml", "grant = \"sangyoui-chokusetsu\"\nedition = ");
        assert!(e.file.ends_with("R4.toml"), "{e}");
        assert!(
            e.to_string().contains("申請ファイルの誤りではありません"),
            "{e}"
        );
        // The file name must be the edition.
        let e = broken("R4.toml", &r3_text());
        assert!(
            e.message.contains("editions/sangyoui-chokusetsu/R3.toml"),
            "{e}"
        );
        // An unknown field.
        let e = broken(
            "R3.toml",
            &r3_text().replace("edition_mark =", "edition_mrk ="),
        );
        assert!(e.message.contains("edition_mrk"), "{e}");
        // Forms of an edition that has none.
        let e = broken(
            "R3.toml",
            &r3_text().replace("forms = \"R2\"", "forms = \"R1\""),
        );
        assert!(e.message.contains("forms/sangyoui-chokusetsu/R1/"), "{e}");
        // The same edition twice.
        let e = broken(
            "R2.toml",
            &r3_text().replace("edition = \"R3\"", "edition = \"R2\""),
        );
        assert!(e.message.contains("既に"), "{e}");
    }

    #[test]
    fn what_the_rules_promise_is_checked_when_the_data_loads() {
        // Every problem at once, each naming the rule and what to write.
        let e = broken(
            "R3.toml",
            &r3_text()
                .replacen(
                    "params = [\"max_workers_exclusive\"]",
                    "params = [\"max_workers\"]",
                    1,
                )
                .replacen(
                    "facts = [\"labour_insurance.covered\"]",
                    "facts = [\"labour_insurance.coverd\"]",
                    1,
                )
                .replacen(
                    "facts = [\"sangyoui.contract_date\"]",
                    "facts = [\"shokuba.contract_date\"]",
                    1,
                )
                .replacen("quote = [\"倒産している。\"]", "quote = []", 1),
        );
        assert!(
            e.to_string().contains("申請ファイルの誤りではありません"),
            "{e}"
        );
        assert!(e.file.ends_with("R3.toml"), "{e}");
        let m = &e.message;
        assert!(m.contains("\"SC-E1\" の params \"max_workers\""), "{m}");
        assert!(m.contains("max_workers_exclusive"), "{m}");
        assert!(
            m.contains("\"SC-E2\" の facts \"labour_insurance.coverd\""),
            "{m}"
        );
        assert!(
            m.contains("\"SC-A3\" の facts \"shokuba.contract_date\""),
            "{m}"
        );
        assert!(m.contains("shokuba-kankyo-a の申請ファイルのキー"), "{m}");
        assert!(m.contains("\"SC-D5\" の quote"), "{m}");
        assert_eq!(m.lines().count(), 4, "{m}");

        // A rule in no section, a rule in two, a section naming no rule.
        let e = broken(
            "R3.toml",
            &r3_text()
                .replacen("rules = [\"SC-T5\"]", "rules = [\"SC-T6\"]", 1)
                .replacen("rules = [\"SC-P1\"]", "rules = [\"SC-P1\", \"SC-E1\"]", 1),
        );
        let m = &e.message;
        assert!(m.contains("\"SC-T6\" は [[rules]] にない ID"), "{m}");
        assert!(
            m.contains("\"SC-T5\" がどの [[sections]] にもありません"),
            "{m}"
        );
        assert!(m.contains("\"SC-E1\" が [[sections]] に2回"), "{m}");

        // The sections follow the order of the rules.
        let e = broken(
            "R3.toml",
            &r3_text().replacen(
                "rules = [\"SC-E1\", \"SC-E2\"]",
                "rules = [\"SC-E2\", \"SC-E1\"]",
                1,
            ),
        );
        assert!(
            e.message.contains("1番目の規則は \"SC-E2\"") && e.message.contains("手引の順"),
            "{e}"
        );

        // A rule without the guide's words does not load.
        let e = broken(
            "R3.toml",
            &r3_text().replacen("quote = [\"倒産している。\"]\n", "", 1),
        );
        assert!(e.message.contains("quote"), "{e}");
    }

    #[test]
    fn facts_are_keys_of_the_claim_file() {
        assert_eq!(
            fact_problem(grant("sangyoui-chokusetsu"), "establishment.workers"),
            None
        );
        // A table, a list of rows, and a key inside the rows.
        assert_eq!(
            fact_problem(grant("sangyoui-chokusetsu"), "sangyoui.contract_states"),
            None
        );
        assert_eq!(
            fact_problem(grant("shokuba-kankyo-a"), "previous_claims"),
            None
        );
        assert_eq!(
            fact_problem(
                grant("shokuba-kankyo-a"),
                "shokuba.equipment.unit_price_yen"
            ),
            None
        );
        assert!(fact_problem(grant("shokuba-kankyo-a"), "shokuba.equipment.price").is_some());
        assert!(fact_problem(grant("shokuba-kankyo-a"), "previous_claims[1].grant").is_some());
        assert!(
            fact_problem(grant("sangyoui-chokusetsu"), "establishment.workers.count").is_some()
        );
        assert!(fact_problem(grant("sangyoui-chokusetsu"), "shokuba.contract_date").is_some());
        assert_eq!(
            fact_problem(grant("shokuba-kankyo-a"), "shokuba.contract_date"),
            None
        );
    }

    #[test]
    fn ambiguous_windows_name_both_editions() {
        let e = SelectError::Ambiguous {
            grant: "sangyoui-chokusetsu",
            date: NaiveDate::from_ymd_opt(2020, 10, 10).unwrap(),
            editions: vec!["R2".into(), "R3".into()],
        };
        let m = e.message();
        assert!(
            m.contains("R2") && m.contains("R3") && m.contains("claim.edition"),
            "{m}"
        );
    }
}
