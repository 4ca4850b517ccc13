//! The commented claim file `new` writes (answers, or a template without answers), and
//! reading one back to resume.

use crate::programmes::johas::edition::Grant;
use crate::programmes::johas::questions::{self, get, Step, Table};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Values as answered; unknown facts as commented keys.
    Answers,
    /// Every key commented, with what to write.
    Template,
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

fn ids(grant: Grant, key: &str) -> String {
    let ed = crate::commands::explain::find_edition(grant, None).ok();
    let Some(d) = ed.and_then(crate::programmes::johas::explain_data::for_edition) else {
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
pub fn render(grant: Grant, t: &Table, asked: &BTreeSet<String>, mode: Mode) -> String {
    let steps = questions::steps(grant);
    let ed = super::edition_for(grant, t);
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
                if mode == Mode::Answers && conditional && !applies && !any_value {
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
            Step::Attachments => {
                let _ = writeln!(out, "\n# 様式第3号 添付書類: 用意できたら true");
                let _ = writeln!(out, "[attachments]");
                let mut seen = BTreeSet::new();
                for a in &ed.attachments {
                    let Some(k) = &a.key else { continue };
                    if !seen.insert(k.clone()) {
                        continue;
                    }
                    let full = format!("attachments.{k}");
                    let when = crate::commands::explain::when_text(a.when);
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
fn example_value(grant: Grant, key: &str) -> Option<&'static str> {
    let shokuba = grant == Grant::Shokuba;
    Some(match key {
        "claim.application_date" if shokuba => "2019-02-09",
        "claim.application_date" => "2020-10-10",
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
        "sangyoui.provider_name" => "\"健康 太郎\"",
        "sangyoui.contract_date" => "2019-10-15",
        "sangyoui.contract_start" => "2019-11-01",
        "sangyoui.contract_end" => "2021-10-31",
        "sangyoui.mechanism_set_up_on" => "2020-04-02",
        "sangyoui.mechanism" => "\"産業医来所日（毎月第2木曜日 13:00～15:00）に、労働者が直接健康相談できる窓口を開設した。\"",
        "sangyoui.notice_started_on" => "2020-04-19",
        "sangyoui.notice_department" => "\"総務課\"",
        "sangyoui.notice_name" => "\"川崎 花子\"",
        "sangyoui.notice_method" => "\"施設内の掲示板と社内ポータルサイトに掲示し、社内報で職員に配布した。\"",
        "sangyoui.period_from" | "previous_claims.period_from" => "\"2019-11\"",
        "sangyoui.period_to" | "previous_claims.period_to" => "\"2020-04\"",
        "previous_claims.applied_on" => "2020-05-20",
        "labour_insurance.head_office.name" => "\"ろうあんホールディングス(株)\"",
        "labour_insurance.head_office.representative_title" => "\"代表取締役\"",
        "labour_insurance.head_office.representative_name" => "\"本社 太郎\"",
        "bank.bank_name" => "\"ろうあん銀行\"",
        "bank.branch_name" => "\"木月支店\"",
        "bank.holder_kana" => "\"カ）ローワン\"",
        "declarations.labour_law_violation_detail" => "\"割増賃金の未払で是正勧告を受け、是正した\"",
        "shokuba.expert_name" => "\"健康 五郎\"",
        "shokuba.expert_qualification_note" => "\"公認心理師\"",
        "shokuba.contract_date" => "2018-09-20",
        "shokuba.plan_made_on" => "2019-01-29",
        "shokuba.expert_confirmed_on" => "2019-01-29",
        "shokuba.guidance_fee_yen" => "86400",
        "shokuba.guidance.date" => "2018-10-02",
        "shokuba.guidance.content" => "\"ストレスチェックにおける集団分析結果について、管理監督者と意見交換\"",
        "shokuba.improvements.date" => "2019-02-01",
        "shokuba.improvements.content" => "\"プリンター2台を設置した。\"",
        "shokuba.equipment.name" => "\"プリンター\"",
        "shokuba.equipment.unit_price_yen" => "21600",
        "shokuba.equipment.quantity" => "2",
        "shokuba.equipment.purchased_on" => "2019-01-31",
        _ => return None,
    })
}

/// What the template writes after a key's label: ` 例: <value>` (one value, as the file
/// takes it), or the values to choose from (` true / false`, ` 1 か 2`, ` "a"=… / "b"=…`).
fn example(grant: Grant, key: &str, kind: questions::Kind) -> String {
    use questions::Kind::*;
    let value = example_value(grant, key);
    match kind {
        Bool => " true / false".into(),
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
pub fn template(grant: Grant) -> String {
    render(grant, &Table::new(), &BTreeSet::new(), Mode::Template)
}

/// The answers in an existing claim file (to resume), read through the input boundary as
/// `check` reads it: every spelling `check` accepts is read (with the same notices), and a
/// file `check` cannot read gets the same Japanese answer. Facts not yet written are not
/// problems here: they are what the interview asks.
pub fn read_answers(
    path: &Path,
) -> Result<(Table, Vec<crate::programmes::johas::model::Notice>), String> {
    let doc = crate::input::Doc::load(path).map_err(|e| e.to_string())?;
    let input = crate::input::Input::of(&doc);
    let sections = crate::programmes::johas::read::section_names();
    let found = crate::programmes::johas::read::check_sections(&input, &sections);
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
            toml::Value::String(s) if crate::programmes::johas::read::is_date(&path) => {
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
        .and_then(Grant::parse);
    let mut known: BTreeSet<String> = ["claim.grant", "claim.edition"].map(String::from).into();
    let mut lists = BTreeSet::new();
    for g in Grant::ALL
        .into_iter()
        .filter(|g| grant.is_none_or(|x| x == *g))
    {
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
    for k in crate::programmes::johas::model::Attachments::KEYS {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_is_valid_toml_with_every_key_commented() {
        for g in Grant::ALL {
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
        let t = template(Grant::Sangyoui);
        assert!(t.contains("（SC-E1）"), "{t}");
        assert!(t.contains("# [labour_insurance.head_office]"));
    }
}
