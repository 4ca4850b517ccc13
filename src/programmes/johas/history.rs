//! History from the book: a claim's `[[previous_claims]]` are the client's other claims
//! that were submitted before it (with their outcomes), merged with the profile and checked.
//!
//! - A submitted claim that was not refused counts (審査中 and 支給). A refused one (不支給)
//!   was not granted and does not count towards 2回限り / 1回限り; it is reported where it
//!   matters (a 2nd claim whose 1st was refused).
//! - A hand-written `previous_claims` entry still counts (claims made before the book). A
//!   book claim that it already describes (same grant and period, round or date) is not
//!   added twice.
//! - The claim file of a grant paid in numbered rounds without `round` gets the round from
//!   the history.
//! - Contradictions are reported: two claims for one period (as the grant sees it), a round
//!   number that disagrees with the history, a 2nd claim whose 1st was refused.
//!
//! What differs between the grants (a claim's period, the fields an earlier claim adds to
//! `previous_claims`, what "the same period" is) is the grant's
//! ([`super::grant::Grant::period_keys`] …).

use super::claim_file::PROFILE_SECTIONS;
use super::grant::{self as grants, JohasProgramme};
use crate::input::book::{self as book, precedes, BookInput, ClaimSource, Client, State};
use crate::input::tree::{self, Entry, Node, Value};
use crate::input::Input;
use crate::model::dates::{wareki_month, YearMonth};

/// A claim of a book client, ready to check.
#[derive(Debug, Clone)]
pub struct Built {
    /// What the input boundary checks: the claim file's tree merged over the profile, with
    /// the history's `previous_claims`; every value names the file it was written in.
    pub input: Input,
    /// The book's claims (file names) added as `previous_claims`, in order.
    pub derived_from: Vec<String>,
    /// `claim.round` was not written and comes from the history.
    pub round_from_history: Option<i64>,
    /// Contradictions between this claim and the book (the claim is then not complete).
    pub contradictions: Vec<String>,
    /// Remarks that change nothing (a profile value the claim overrides, a refused claim).
    pub notes: Vec<String>,
}

/// A claim's period as its file gives it (first and last month), for a grant paid per
/// period (`None`s otherwise).
pub fn period(grant: &JohasProgramme, c: &ClaimSource) -> (Option<YearMonth>, Option<YearMonth>) {
    match grant.period_keys() {
        Some(keys) => period_at(keys, c),
        None => (None, None),
    }
}

/// A claim's period at the given claim-file keys (first and last month).
pub fn period_at(
    (from, to): (&str, &str),
    c: &ClaimSource,
) -> (Option<YearMonth>, Option<YearMonth>) {
    let root = &c.src.parsed.root;
    (
        root.at(from).and_then(book::ym_value),
        root.at(to).and_then(book::ym_value),
    )
}

/// Whether two periods overlap (both given).
pub fn overlaps(
    a: (Option<YearMonth>, Option<YearMonth>),
    b: (Option<YearMonth>, Option<YearMonth>),
) -> bool {
    match (a, b) {
        ((Some(af), Some(at)), (Some(bf), Some(bt))) => af <= bt && bf <= at,
        _ => false,
    }
}

/// A period for a message: 「令和元年11月～令和2年4月」.
pub fn period_text(from: Option<YearMonth>, to: Option<YearMonth>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{}～{}", wareki_month(f), wareki_month(t)),
        (Some(f), None) => format!("{}～", wareki_month(f)),
        (None, Some(t)) => format!("～{}", wareki_month(t)),
        (None, None) => "（期間不明）".into(),
    }
}

/// An entry of a table.
pub fn entry(key: &str, node: Node) -> Entry {
    Entry {
        key: key.to_string(),
        line: node.line,
        node,
    }
}

/// The `previous_claims` entry for an earlier book claim of `grant`: its own values (with
/// their lines), marked as written in that claim's file (`file`).
fn previous_entry(grant: &JohasProgramme, c: &ClaimSource, file: u16) -> Node {
    let root = &c.src.parsed.root;
    let copy = |path: &str| {
        root.at(path).map(|n| {
            let mut n = n.clone();
            n.set_file(file);
            n
        })
    };
    let derived = |v: Value| Node::new(v, file);
    let mut es: Vec<Entry> = Vec::new();
    if let Some(g) = copy("claim.grant") {
        es.push(entry("grant", g));
    }
    es.push(entry(
        "round",
        copy("claim.round").unwrap_or_else(|| derived(Value::Int(1))),
    ));
    if let Some((from, to)) = grant.period_keys() {
        if let Some(f) = copy(from) {
            es.push(entry("period_from", f));
        }
        if let Some(t) = copy(to) {
            es.push(entry("period_to", t));
        }
    }
    if let Some(d) = c.record.submitted_on {
        es.push(entry("applied_on", derived(Value::Str(d.to_string()))));
    } else if let Some(d) = copy("claim.application_date") {
        es.push(entry("applied_on", d));
    }
    es.extend(grant.previous_extra(c, file));
    derived(Value::Table(es))
}

/// A hand-written entry describes the same claim as a book claim.
fn same_claim(grant: &JohasProgramme, h: &Node, c: &ClaimSource) -> bool {
    if h.get("grant").and_then(|v| v.as_str()).map(str::trim) != c.key.grant.as_deref() {
        return false;
    }
    let hf = h.get("period_from").and_then(book::ym_value);
    if let (Some(a), Some(b)) = (hf, period(grant, c).0) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (h.get("round").and_then(book::int_value), c.key.round) {
        return a == b;
    }
    let applied = h.get("applied_on").and_then(book::date_value);
    applied.is_some() && applied == c.record.submitted_on.or(c.key.application_date)
}

/// Builds the merged claim for `client.claims[index]`.
pub fn build(client: &Client, index: usize) -> Built {
    let me = &client.claims[index];
    let mut notes = Vec::new();
    let mut contradictions = Vec::new();

    // 1. Profile, then the claim's own facts (the claim file wins).
    let mut input = Input::of(&me.src);
    let mut own = std::mem::replace(&mut input.root, Node::new(Value::Table(Vec::new()), 0));
    let mut merged = Node::new(Value::Table(Vec::new()), 0);
    if let Some(p) = &client.profile {
        let profile = input.add_doc(p);
        let sections: Vec<Entry> = profile
            .entries()
            .iter()
            .filter(|e| PROFILE_SECTIONS.contains(&e.key.as_str()))
            .cloned()
            .collect();
        merged = Node {
            value: Value::Table(sections),
            line: 0,
            file: profile.file,
        };
    }
    let handwritten: Vec<Node> = match own.take("previous_claims") {
        Some(Node {
            value: Value::Array(a),
            ..
        }) if a.iter().all(|n| matches!(n.value, Value::Table(_))) => a,
        Some(other) => {
            // Not an array of tables: leave it for the check to report.
            if let Value::Table(es) = &mut own.value {
                es.push(entry("previous_claims", other));
            }
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut overridden = Vec::new();
    tree::merge(&mut merged, own, "", &mut overridden);
    for path in overridden {
        notes.push(format!(
            "{path} は申請ファイルの値を使いました（{} の値と違います）。",
            book::PROFILE_FILE
        ));
    }

    // 2. The history: earlier submitted claims of the same grant.
    let grant = me.key.grant.clone();
    let of = grant.as_deref().and_then(grants::grant);
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
    let mut previous: Vec<Node> = handwritten.clone();
    let mut derived_from = Vec::new();
    for c in &counted {
        if of.is_some_and(|g| handwritten.iter().any(|h| same_claim(g, h, c))) {
            notes.push(format!(
                "{} は previous_claims に手で書かれているため、ブックの履歴からは加えていません。",
                c.stem
            ));
            continue;
        }
        let file = input.add_file(&c.src.label);
        if let Some(g) = of {
            previous.push(previous_entry(g, c, file));
        }
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
        .filter(|h| h.get("grant").and_then(|v| v.as_str()).map(str::trim) == grant.as_deref())
        .count() as i64
        + derived_from.len() as i64;
    let expected_round = prior_same_grant + 1;

    // 3. The round: from the history when not written; a written one must agree.
    let mut round_from_history = None;
    let written_round = me.key.round;
    if written_round.is_none() && of.is_some_and(|g| g.uses().round) {
        if let Value::Table(es) = &mut merged.value {
            if let Some(claim) = es.iter_mut().find(|e| e.key == "claim") {
                if let Value::Table(c) = &mut claim.node.value {
                    c.push(entry("round", Node::new(Value::Int(expected_round), 0)));
                    round_from_history = Some(expected_round);
                }
            }
        }
    }
    if !previous.is_empty() {
        if let Value::Table(es) = &mut merged.value {
            es.push(entry(
                "previous_claims",
                Node::new(Value::Array(previous), 0),
            ));
        }
    }
    input.root = merged;
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
            if let Some(said) = of.and_then(|g| g.same_period(me, other)) {
                contradictions.push(said);
            }
        }
    }

    // 5. The record against the claim.
    if me.state() == State::Refused && me.record.paid_yen.is_some_and(|y| y > 0) {
        contradictions.push("不支給と記録されていますが、支給額（record.paid_yen）が書かれています。どちらかを直してください。".into());
    }

    Built {
        input,
        derived_from,
        round_from_history,
        contradictions,
        notes,
    }
}

impl Built {
    /// What the book and the input boundary take from it.
    pub fn into_book_input(self) -> BookInput {
        let mut notes = self.notes;
        if let Some(n) = self.round_from_history {
            notes.push(format!("申請回数（{n}回目）はブックの履歴から決めました。"));
        }
        BookInput {
            input: self.input,
            contradictions: self.contradictions,
            notes,
            derived_from: self.derived_from,
        }
    }
}
