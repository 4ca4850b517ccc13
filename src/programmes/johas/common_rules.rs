//! Rules both grants share in substance (different IDs, same sentence in both guides).

use crate::model::dates::wareki;
use crate::model::findings::{Findings, Outcome};
use crate::programmes::johas::change::Change;
use crate::programmes::johas::model::{Claim, Entity, HolderKind};
use crate::programmes::johas::whatif::field;
use crate::programmes::johas::windows::Window;
use chrono::NaiveDate;

/// 「労働保険の適用事業場であること。」(SC-E2 / SK-E1)
pub fn insured(id: &str, claim: &Claim, out: &mut Findings) {
    out.fact(
        id,
        claim.insurance.covered,
        "労働保険の適用事業場です。",
        "労働保険の適用事業場でないため対象外です。",
        "labour_insurance.covered（労働保険の適用事業場か）",
    );
}

/// What turns [`insured`]: the establishment insured.
pub fn insured_hint(claim: &Claim) -> Vec<Change> {
    (claim.insurance.covered == Some(false))
        .then(|| Change::to("labour_insurance.covered", true))
        .into_iter()
        .collect()
}

/// 「事業場の代表者が申請してください。」(SC-W5 / SK-W3)
pub fn representative(id: &str, claim: &Claim, out: &mut Findings) {
    out.fact(
        id,
        claim.applied_by_representative,
        "事業場の代表者が申請します。",
        "事業場の代表者が申請する必要があります。",
        "claim.applied_by_representative（代表者が申請するか）",
    );
}

/// What turns [`representative`]: the representative applies.
pub fn representative_hint(claim: &Claim) -> Vec<Change> {
    (claim.applied_by_representative == Some(false))
        .then(|| Change::to("claim.applied_by_representative", true))
        .into_iter()
        .collect()
}

/// 「※法人の場合は、個人名の口座には振込みできません。」(SC-T5 / SK-T10)
pub fn bank_account(id: &str, claim: &Claim, out: &mut Findings) {
    match (claim.establishment.entity, claim.bank.holder_kind) {
        (Some(Entity::Corporation), Some(HolderKind::Personal)) => out.fail(id, "法人の場合は個人名義の口座には振込みできません。法人名義の口座を振込先にしてください。"),
        (Some(Entity::Corporation), Some(HolderKind::Corporation)) => out.pass(id, "法人名義の口座に振り込まれます。"),
        (Some(Entity::Individual), _) => out.pass(id, "個人事業のため、事業主名義の口座に振り込まれます。"),
        (None, _) => out.unknown(id, "establishment.entity（法人か個人事業か）が書かれていないため判定できません。"),
        (Some(Entity::Corporation), None) => out.unknown(id, "bank.holder_kind（口座名義が法人か個人か）が書かれていないため判定できません。"),
    }
}

/// What turns [`bank_account`]'s failure (a corporation paid into a personal account): an
/// account in the corporation's name.
pub fn bank_account_hint() -> Vec<Change> {
    let key = "bank.holder_kind";
    vec![Change::set(
        key,
        "corporation",
        format!("{}が法人名義なら適合", field(key)),
    )]
}

/// The application date against the claim's window (SC-W2 / SC-W3 / SK-W1).
pub fn in_window(
    id: &str,
    claim: &Claim,
    window: Option<Window>,
    missing: &str,
    decided: bool,
    out: &mut Findings,
) {
    let d = claim.application_date;
    let Some(w) = window else {
        return out.unknown(
            id,
            format!("{missing} が書かれていないため申請期間を計算できません。"),
        );
    };
    // `decided`: the window itself is the edition's interpretation (SC-W3), so every
    // verdict against it carries that decision.
    let mut push = |outcome: Outcome, msg: String| {
        if decided {
            out.decided(id, outcome, msg)
        } else {
            out.push(id, outcome, msg)
        }
    };
    match w {
        w if w.contains(d) => push(
            Outcome::Pass,
            format!(
                "申請日 {} は申請期間（{}～{}）内です。",
                wareki(d),
                wareki(w.from),
                wareki(w.to)
            ),
        ),
        w if d < w.from => push(
            Outcome::Fail,
            format!(
                "申請日 {} は申請期間（{}～{}）の前です。{} 以降に申請してください。",
                wareki(d),
                wareki(w.from),
                wareki(w.to),
                wareki(w.from)
            ),
        ),
        w => push(
            Outcome::Fail,
            format!(
                "申請日 {} は申請期間（{}～{}）を過ぎています。",
                wareki(d),
                wareki(w.from),
                wareki(w.to)
            ),
        ),
    }
}

/// 「※申請期間中でも助成金支給申請の受付を終了することがありますのでご了承ください。」
pub fn may_close_early(id: &str, out: &mut Findings) {
    out.push(
        id,
        Outcome::Warning,
        "申請期間中でも受付を終了することがあります。早めに申請してください。",
    );
}

/// 「…年度以降…契約を締結していること」 (SC-A3 / SK-E3).
pub fn contract_since(
    id: &str,
    date: Option<NaiveDate>,
    since: NaiveDate,
    field: &str,
    what: &str,
    out: &mut Findings,
) {
    match date {
        None => out.unknown(
            id,
            format!("{field}（{what}の締結日）が書かれていないため判定できません。"),
        ),
        Some(d) if d >= since => out.pass(
            id,
            format!(
                "{what}の締結日 {} は {} 以降です。",
                wareki(d),
                wareki(since)
            ),
        ),
        Some(d) => out.fail(
            id,
            format!(
                "{what}の締結日 {} は {} より前です。{} 以降に締結した契約が対象です。",
                wareki(d),
                wareki(since),
                wareki(since)
            ),
        ),
    }
}
