//! The 様式第3号 check boxes: each box's condition is declared in the layout beside the box
//! (`tick = { … }`, see forms/README.md); this evaluates the declarations against the
//! findings, the attachments and the named facts of the house and of the claim's grant.
//! The PDF writer knows nothing of grants: it only draws `checks[key]`.

use crate::model::findings::Outcome;
use crate::programmes::johas::edition::Edition;
use crate::programmes::johas::evaluation::Evaluation;
use crate::programmes::johas::evaluation::Status;
use crate::programmes::johas::forms::layout::{FieldKind, TickDecl};
use crate::programmes::johas::forms::{self, FormError};
use crate::programmes::johas::grant::Condition;
use crate::programmes::johas::model::Claim;

/// The named facts of the house a `when` may use, with what each means and why a box
/// with it stays empty (forms/README.md lists them; the grant adds its own,
/// [`crate::programmes::johas::grant::Grant::tick_conditions`]).
pub const WHEN: &[Condition] = &[
    Condition {
        name: "eligible",
        text: "支給要件を満たすと判定できている（eligible = true）",
        unmet: "支給要件を満たすと判定できていないため",
    },
    Condition {
        name: "bulk_payment",
        text: "本社等が労働保険料を一括納付している",
        unmet: "本社等による一括納付ではないため",
    },
];

/// Every named fact an edition's boxes may use: the house's, then its grant's.
pub fn conditions(edition: &Edition) -> impl Iterator<Item = &'static Condition> {
    WHEN.iter().chain(edition.grant.tick_conditions().iter())
}

/// One box of 様式第3号 as the packet decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub key: String,
    pub label: String,
    pub on: bool,
    /// Why the box is empty (Japanese), one per unmet condition; empty when ticked.
    pub why_not: Vec<String>,
}

/// The facts a tick condition reads.
pub struct Facts<'a> {
    pub claim: &'a Claim,
    pub ev: &'a Evaluation,
}

impl Facts<'_> {
    fn when(&self, name: &str) -> Option<bool> {
        Some(match name {
            "eligible" => self.ev.eligible == Some(true),
            "bulk_payment" => self.claim.insurance.bulk_payment_by_head_office == Some(true),
            other => return self.claim.grant.tick_applies(other, self.claim, self.ev),
        })
    }

    /// Why a box with this condition stays empty.
    fn unmet(&self, name: &str) -> String {
        conditions(self.claim.edition)
            .find(|c| c.name == name)
            .map(|c| c.unmet.to_string())
            .unwrap_or_else(|| format!("条件 {name} を満たさないため"))
    }
}

/// Evaluates one declaration. Every condition is checked so the checklist can say all
/// the reasons at once.
pub fn evaluate(decl: &TickDecl, facts: &Facts) -> Tick {
    let ev = facts.ev;
    let mut why = Vec::new();
    if let Some(reason) = &decl.manual {
        why.push(format!("{reason}、本ツールでは印を付けません"));
    }
    for rule in &decl.passes {
        if !ev.passes(rule) {
            let title = ev
                .findings
                .iter()
                .find(|f| &f.rule == rule)
                .map(|f| f.title.clone())
                .unwrap_or_default();
            let state = ev
                .worst(rule)
                .filter(|o| *o >= Outcome::Warning)
                .map(|o| o.label())
                .unwrap_or("判定なし");
            why.push(format!("{rule}「{title}」が{state}のため"));
        }
    }
    for id in &decl.ready {
        let entries: Vec<_> = ev.attachments.iter().filter(|a| &a.id == id).collect();
        if entries.is_empty() {
            why.push(format!("{id} がこの申請に該当しないため"));
        }
        for a in entries.iter().filter(|a| a.status != Status::Ready) {
            let key = a
                .key
                .as_ref()
                .map(|k| format!("（用意できたら [attachments] {k} = true）"))
                .unwrap_or_default();
            why.push(format!("{id} {}が未準備のため{key}", a.name));
        }
    }
    for name in &decl.when {
        if facts.when(name) != Some(true) {
            why.push(facts.unmet(name));
        }
    }
    Tick {
        key: decl.key.clone(),
        label: decl.label.clone(),
        on: why.is_empty(),
        why_not: why,
    }
}

/// The tick declarations of every form of an edition, in layout order.
pub fn declarations(edition: &Edition) -> Result<Vec<TickDecl>, FormError> {
    let mut out = Vec::new();
    for info in forms::forms_for(edition)? {
        let layout = info.layout;
        for page in &layout.page {
            for f in &page.field {
                if let Some(t) = &f.tick {
                    out.push(t.clone());
                } else if f.kind == FieldKind::Check && f.value.is_none() {
                    return Err(FormError::Layout {
                        form: layout.form.name.clone(),
                        message: format!("{}: check には tick か value が必要です", f.name),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Every box of the claim's edition, decided.
pub fn ticks(claim: &Claim, facts: &Facts) -> Result<Vec<Tick>, FormError> {
    Ok(declarations(claim.edition)?
        .iter()
        .map(|d| evaluate(d, facts))
        .collect())
}

/// Problems in the declarations of one edition's layouts: unknown rule IDs, attachment
/// IDs or `when` names, and boxes with no condition at all (which would always tick).
pub fn validate(edition: &Edition) -> Vec<String> {
    let mut problems = Vec::new();
    let decls = match declarations(edition) {
        Ok(d) => d,
        Err(e) => return vec![e.to_string()],
    };
    for d in &decls {
        let k = &d.key;
        if d.passes.is_empty() && d.ready.is_empty() && d.when.is_empty() && d.manual.is_none() {
            problems.push(format!("{k}: 条件がありません（常に印が付きます）"));
        }
        for r in &d.passes {
            if edition.rule(r).is_none() {
                problems.push(format!("{k}: passes の {r} はこの版の規則にありません"));
            }
        }
        for a in &d.ready {
            if !edition.attachments.iter().any(|x| &x.id == a) {
                problems.push(format!("{k}: ready の {a} はこの版の添付書類にありません"));
            }
        }
        for w in &d.when {
            if !conditions(edition).any(|c| c.name == w) {
                problems.push(format!("{k}: when の {w} は定義されていません"));
            }
        }
    }
    let mut keys: Vec<&str> = decls.iter().map(|d| d.key.as_str()).collect();
    keys.sort();
    keys.dedup();
    if keys.len() != decls.len() {
        problems.push("tick の key が重複しています".into());
    }
    problems
}
