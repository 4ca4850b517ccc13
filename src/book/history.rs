//! History from the book: a claim's `[[previous_claims]]` are the client's other claims
//! that were submitted before it (with their outcomes), merged with the profile and checked.
//!
//! - A submitted claim that was not refused counts (審査中 and 支給). A refused one (不支給)
//!   was not granted and does not count towards 2回限り / 1回限り; it is reported where it
//!   matters (a 2nd claim whose 1st was refused).
//! - A hand-written `previous_claims` entry still counts (claims made before the book). A
//!   book claim that it already describes (same grant and period, round or date) is not
//!   added twice.
//! - A 産業医 claim file without `round` gets the round from the history.
//! - Contradictions are reported: two claims for one period, a round number that disagrees
//!   with the history, a 2nd claim whose 1st was refused.

use super::{locate, precedes, ClaimSource, Client, State, PROFILE_SECTIONS};
use crate::dates::{wareki_month, YearMonth};
use crate::model::Claim;
use crate::validate::{self, Format, InputError, Problem};
use toml::Value;

/// A claim of a book client, ready to check.
#[derive(Debug, Clone)]
pub struct Built {
    /// The merged claim file the parser reads (profile + claim + history).
    pub merged: String,
    /// The book's claims (file names) added as `previous_claims`, in order.
    pub derived_from: Vec<String>,
    /// `claim.round` was not written and comes from the history.
    pub round_from_history: Option<i64>,
    /// Contradictions between this claim and the book (the claim is then not complete).
    pub contradictions: Vec<String>,
    /// Remarks that change nothing (a profile value the claim overrides, a refused claim).
    pub notes: Vec<String>,
    /// Number of hand-written `previous_claims` entries (they come first).
    handwritten: usize,
}

fn ym(v: Option<&Value>) -> Option<YearMonth> {
    v.and_then(|v| v.as_str()).and_then(YearMonth::parse)
}

fn period_text(from: Option<YearMonth>, to: Option<YearMonth>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{}～{}", wareki_month(f), wareki_month(t)),
        (Some(f), None) => format!("{}～", wareki_month(f)),
        (None, Some(t)) => format!("～{}", wareki_month(t)),
        (None, None) => "（期間不明）".into(),
    }
}

/// Merges `over` into `base`, table by table; `over` wins. Each profile value that the claim
/// file replaces with a different one is listed in `overridden` (dotted path).
pub fn merge_tables(
    base: &mut toml::Table,
    over: &toml::Table,
    prefix: &str,
    overridden: &mut Vec<String>,
) {
    for (k, v) in over {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge_tables(b, o, &path, overridden),
            (Some(old), new) => {
                if old != new {
                    overridden.push(path);
                }
                *old = new.clone();
            }
            (None, new) => {
                base.insert(k.clone(), new.clone());
            }
        }
    }
}

/// The `previous_claims` entry for an earlier book claim.
fn previous_entry(c: &ClaimSource) -> toml::Table {
    let mut t = toml::Table::new();
    if let Some(g) = &c.key.grant {
        t.insert("grant".into(), g.clone().into());
    }
    let round = c.key.round.unwrap_or(1);
    t.insert("round".into(), round.into());
    if let Some(f) = c.key.period_from {
        t.insert("period_from".into(), f.to_string().into());
    }
    if let Some(to) = c.key.period_to {
        t.insert("period_to".into(), to.to_string().into());
    }
    if let Some(d) = c.record.submitted_on.or(c.key.application_date) {
        t.insert("applied_on".into(), d.to_string().into());
    }
    if c.key
        .grant
        .as_deref()
        .is_some_and(|g| g.starts_with("shokuba"))
    {
        let granted = match c.record.equipment_granted {
            Some(b) => Some(b),
            None => match c.state() {
                State::Granted => Some(c.key.has_equipment),
                State::Refused => Some(false),
                _ if !c.key.has_equipment => Some(false),
                _ => None,
            },
        };
        if let Some(b) = granted {
            t.insert("equipment_granted".into(), b.into());
        }
    }
    t
}

/// A hand-written entry describes the same claim as a book claim.
fn same_claim(h: &toml::Table, c: &ClaimSource) -> bool {
    if h.get("grant").and_then(|v| v.as_str()) != c.key.grant.as_deref() {
        return false;
    }
    let hf = ym(h.get("period_from"));
    if let (Some(a), Some(b)) = (hf, c.key.period_from) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (h.get("round").and_then(|v| v.as_integer()), c.key.round) {
        return a == b;
    }
    let applied = h.get("applied_on").and_then(|v| match v {
        Value::String(s) => crate::checks::parse_date(s),
        Value::Datetime(d) => crate::checks::parse_date(&d.to_string()),
        _ => None,
    });
    applied.is_some() && applied == c.record.submitted_on.or(c.key.application_date)
}

fn overlaps(a: &ClaimSource, b: &ClaimSource) -> bool {
    match (
        a.key.period_from,
        a.key.period_to,
        b.key.period_from,
        b.key.period_to,
    ) {
        (Some(af), Some(at), Some(bf), Some(bt)) => af <= bt && bf <= at,
        _ => false,
    }
}

/// Builds the merged claim for `client.claims[index]`.
pub fn build(client: &Client, index: usize) -> Built {
    let me = &client.claims[index];
    let mut notes = Vec::new();
    let mut contradictions = Vec::new();

    // 1. Profile, then the claim's own facts (the claim file wins).
    let mut merged = toml::Table::new();
    if let Some(p) = &client.profile {
        for (k, v) in &p.table {
            if PROFILE_SECTIONS.contains(&k.as_str()) {
                merged.insert(k.clone(), v.clone());
            }
        }
    }
    let mut own = me.src.table.clone();
    let handwritten: Vec<toml::Table> = match own.remove("previous_claims") {
        Some(Value::Array(a)) => a
            .into_iter()
            .filter_map(|v| match v {
                Value::Table(t) => Some(t),
                _ => None,
            })
            .collect(),
        Some(other) => {
            // Not an array of tables: leave it for the parser to report.
            own.insert("previous_claims".into(), other);
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut overridden = Vec::new();
    merge_tables(&mut merged, &own, "", &mut overridden);
    for path in overridden {
        notes.push(format!(
            "{path} は申請ファイルの値を使いました（{} の値と違います）。",
            super::PROFILE_FILE
        ));
    }

    // 2. The history: earlier submitted claims of the same grant.
    let grant = me.key.grant.clone();
    let earlier: Vec<&ClaimSource> = client
        .claims
        .iter()
        .enumerate()
        .filter(|(j, c)| {
            *j != index
                && c.error.is_none()
                && c.key.grant == grant
                && c.state() != State::Open
                && precedes(c, me)
        })
        .map(|(_, c)| c)
        .collect();
    let counted: Vec<&ClaimSource> = earlier
        .iter()
        .copied()
        .filter(|c| c.state() != State::Refused)
        .collect();
    let refused: Vec<&ClaimSource> = earlier
        .iter()
        .copied()
        .filter(|c| c.state() == State::Refused)
        .collect();
    let mut previous: Vec<Value> = handwritten.iter().cloned().map(Value::Table).collect();
    let mut derived_from = Vec::new();
    for c in &counted {
        if handwritten.iter().any(|h| same_claim(h, c)) {
            notes.push(format!(
                "{} は previous_claims に手で書かれているため、ブックの履歴からは加えていません。",
                c.stem
            ));
            continue;
        }
        previous.push(Value::Table(previous_entry(c)));
        derived_from.push(c.stem.clone());
    }
    for c in &refused {
        notes.push(format!(
            "{}（{}）は不支給のため、申請回数に数えていません。",
            c.stem,
            c.key
                .application_date
                .map(|d| d.to_string())
                .unwrap_or_default()
        ));
    }
    let prior_same_grant = handwritten
        .iter()
        .filter(|h| h.get("grant").and_then(|v| v.as_str()) == grant.as_deref())
        .count() as i64
        + derived_from.len() as i64;
    let expected_round = prior_same_grant + 1;

    // 3. The round: from the history when not written; a written one must agree.
    let mut round_from_history = None;
    let written_round = me.key.round;
    if let Some(Value::Table(claim)) = merged.get_mut("claim") {
        if written_round.is_none() && grant.as_deref() == Some("sangyoui-chokusetsu") {
            claim.insert("round".into(), expected_round.into());
            round_from_history = Some(expected_round);
        }
    }
    if !previous.is_empty() {
        merged.insert("previous_claims".into(), Value::Array(previous));
    }
    if let Some(r) = written_round {
        if r != expected_round && (r >= 2 || prior_same_grant > 0) {
            let history = if derived_from.is_empty() && prior_same_grant == 0 {
                "ブックにも previous_claims にも、この助成金の以前の申請はありません".to_string()
            } else {
                format!(
                    "以前の申請は{}件（ブック: {}{}）",
                    prior_same_grant,
                    if derived_from.is_empty() {
                        "なし".to_string()
                    } else {
                        derived_from.join("、")
                    },
                    if handwritten.is_empty() {
                        String::new()
                    } else {
                        format!("、手書きの previous_claims: {}件", handwritten.len())
                    }
                )
            };
            contradictions.push(format!(
                "claim.round = {r} ですが、{history}。ブックの履歴では今回は{expected_round}回目です。"
            ));
        }
        if r >= 2 {
            let first_refused = refused
                .iter()
                .find(|c| c.key.round.unwrap_or(1) == r - 1)
                .filter(|_| !counted.iter().any(|c| c.key.round.unwrap_or(1) == r - 1));
            if let Some(c) = first_refused {
                contradictions.push(format!(
                    "{}回目の申請（{}）は不支給でした。不支給の申請は回数に数えないため、今回の申請は{}回目として出すものか確かめてください。",
                    r - 1,
                    c.stem,
                    expected_round
                ));
            }
        }
    }

    // 4. Two claims for one period.
    if me.state() != State::Refused {
        for (j, other) in client.claims.iter().enumerate() {
            if j == index
                || other.error.is_some()
                || other.key.grant != grant
                || other.state() == State::Refused
            {
                continue;
            }
            if grant.as_deref() == Some("sangyoui-chokusetsu") && overlaps(me, other) {
                contradictions.push(format!(
                    "対象期間 {} が {} の対象期間 {} と重なっています（同じ期間に2件の申請）。",
                    period_text(me.key.period_from, me.key.period_to),
                    other.stem,
                    period_text(other.key.period_from, other.key.period_to)
                ));
            } else if grant.as_deref().is_some_and(|g| g.starts_with("shokuba"))
                && me.key.edition.is_some()
                && me.key.edition == other.key.edition
            {
                contradictions.push(format!(
                    "同じ版（{}）の申請が {} にもあります（同じ期間に2件の申請）。",
                    me.key.edition.clone().unwrap_or_default(),
                    other.stem
                ));
            }
        }
    }

    // 5. The record against the claim.
    if me.state() == State::Refused && me.record.paid_yen.is_some_and(|y| y > 0) {
        contradictions.push("不支給と記録されていますが、支給額（record.paid_yen）が書かれています。どちらかを直してください。".into());
    }

    Built {
        merged: toml::to_string(&merged).unwrap_or_default(),
        derived_from,
        round_from_history,
        contradictions,
        notes,
        handwritten: handwritten.len(),
    }
}

/// Checks a built claim. Problems are reported in the file where the value was written: the
/// claim file, the profile, or (for a derived `previous_claims` entry) the earlier claim.
pub fn parse(client: &Client, index: usize, built: &Built) -> Result<Claim, Vec<InputError>> {
    let me = &client.claims[index];
    match validate::parse(&me.src.label, &built.merged, Format::Toml) {
        Ok(claim) => Ok(claim),
        Err(e) => Err(relocate(client, index, built, e)),
    }
}

fn relocate(client: &Client, index: usize, built: &Built, e: InputError) -> Vec<InputError> {
    let me = &client.claims[index];
    let mut groups: Vec<InputError> = Vec::new();
    let mut push = |file: &str, p: Problem| match groups.iter_mut().find(|g| g.file == file) {
        Some(g) => g.problems.push(p),
        None => groups.push(InputError {
            file: file.to_string(),
            problems: vec![p],
        }),
    };
    for mut p in e.problems {
        // A derived previous_claims entry: the problem is in the earlier claim's facts.
        if let Some(n) = p
            .path
            .strip_prefix("previous_claims[")
            .and_then(|r| r.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
        {
            if n > built.handwritten {
                if let Some(stem) = built.derived_from.get(n - built.handwritten - 1) {
                    if let Some(src) = client.claims.iter().find(|c| &c.stem == stem) {
                        p.line = None;
                        p.message = format!(
                            "{}（この申請の履歴として {} から作った previous_claims）",
                            p.message, src.stem
                        );
                        push(&src.src.label, p);
                        continue;
                    }
                }
            }
        }
        if p.path.is_empty() {
            push(&me.src.label, p);
            continue;
        }
        let in_claim = locate::locate(&me.src.text, &p.path);
        let in_profile = client
            .profile
            .as_ref()
            .and_then(|pr| locate::locate(&pr.text, &p.path).map(|l| (pr, l)));
        let top = p.path.split(['.', '[']).next().unwrap_or("");
        match (in_claim, in_profile) {
            (Some((l, true)), _) => {
                p.line = Some(l);
                push(&me.src.label, p);
            }
            (_, Some((pr, (l, exact)))) if exact || !me.src.table.contains_key(top) => {
                p.line = Some(l);
                push(&pr.label, p);
            }
            (Some((l, false)), _) => {
                p.line = Some(l);
                push(&me.src.label, p);
            }
            (None, None) if PROFILE_SECTIONS.contains(&top) && client.profile.is_some() => {
                p.line = None;
                let label = client.profile.as_ref().map(|pr| pr.label.clone());
                push(&label.unwrap_or_default(), p);
            }
            _ => {
                p.line = None;
                push(&me.src.label, p);
            }
        }
    }
    groups
}
