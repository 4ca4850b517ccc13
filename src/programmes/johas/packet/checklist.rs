//! The checklist: what goes in the envelope, what is still missing, which 様式第3号 boxes
//! the tool left empty and why, and why 様式第1号's yen boxes are blank (if they are).

use super::preflight::PacketError;
use super::ticks::Tick;
use crate::model::dates::wareki;
use crate::model::findings::yen;
use crate::programmes::johas::amounts::EquipmentItem;
use crate::programmes::johas::evaluation::Evaluation;
use crate::programmes::johas::forms;
use crate::programmes::johas::model::Claim;

const CHECKLIST_TEMPLATE: &str = include_str!("../../../../templates/checklist.txt.j2");

/// The checklist's environment.
fn env() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("literal", forms::flow::literal_filter);
    env
}

/// The checklist template, compiled once per process (as `render_str` would, named
/// `<string>`); a compile error is returned at every use.
fn template() -> Result<minijinja::Template<'static, 'static>, minijinja::Error> {
    static ENV: std::sync::OnceLock<minijinja::Environment<'static>> = std::sync::OnceLock::new();
    static TEMPLATE: std::sync::OnceLock<Option<minijinja::Template<'static, 'static>>> =
        std::sync::OnceLock::new();
    let env = ENV.get_or_init(env);
    match TEMPLATE.get_or_init(|| env.template_from_str(CHECKLIST_TEMPLATE).ok()) {
        Some(t) => Ok(t.clone()),
        None => env.template_from_str(CHECKLIST_TEMPLATE),
    }
}

/// What the checklist explains besides the evaluation.
pub struct Notes<'a> {
    pub ticks: &'a [Tick],
    pub equipment: &'a [EquipmentItem],
    pub figures_blank: Option<String>,
}

/// The checklist in flow markup (rendered to PDF and, the same text, to the terminal).
pub fn checklist_text(
    claim: &Claim,
    ev: &Evaluation,
    notes: &Notes,
) -> Result<String, PacketError> {
    let ed = claim.edition;
    let (stamp, retention) = (ed.params.return_stamp_yen(), ed.params.retention_years());
    let window = ev
        .window
        .map(|w| format!("{}～{}", wareki(w.from), wareki(w.to)))
        .unwrap_or_else(|| "計算できません".into());
    let closed_note = ev.edition_status.closed.then(|| {
        format!(
            "※ この版の申請受付は{}で終了しています（確認日 {}）。{}",
            wareki(ev.edition_status.application_closes),
            wareki(ev.edition_status.checked_on),
            ed.successor_note
        )
    });
    let amount = match ev.eligible {
        Some(true) => yen(ev.amount_yen),
        Some(false) => "0（不支給）".into(),
        None => format!("{}（判定できない項目あり）", yen(ev.amount_yen)),
    };
    let empty: Vec<_> = notes
        .ticks
        .iter()
        .filter(|t| !t.on)
        .map(|t| minijinja::context! { label => t.label, why => t.why_not.join("／") })
        .collect();
    let excluded: Vec<_> = notes
        .equipment
        .iter()
        .filter(|e| !e.claimed)
        .map(|e| {
            minijinja::context! {
                name => e.name,
                total => yen(e.total_yen),
                rules => e.excluded_by.join("・"),
            }
        })
        .collect();
    template()
        .and_then(|t| t.render(minijinja::context! {
            // `grant` chooses the 「送付前に」 sentences of this programme's guide.
            edition => minijinja::context! { grant => ed.grant.id(), grant_name => ed.grant_name, edition_name => ed.edition_name },
            establishment => claim.establishment.name.clone().unwrap_or_else(|| "（名称未記入）".into()),
            application_date => wareki(claim.application_date),
            verdict => crate::programmes::johas::report::verdict_line(ev),
            amount => amount,
            window => window,
            closed_note => closed_note,
            figures_blank => notes.figures_blank,
            attachments => ev.attachments,
            missing => ev.missing_attachments,
            // Which generated form needs whose seal is said under 「送付前に」 (not every one has a
            // 印: the 産業医 様式第1号 has none).
            status_label => minijinja::context! { ready => "準備済み", generated => "本ツールで作成", missing => "未準備" },
            empty_ticks => empty,
            excluded_equipment => excluded,
            // The 労働保険料一括納付に係る証明書 is in this packet (its `when`: bulk_payment).
            head_office_certificate => claim.insurance.bulk_payment_by_head_office == Some(true),
            return_stamp_yen => stamp,
            retention_years => retention,
        }))
    .map_err(|e| PacketError::Form(format!("チェックリストを作成できません: {e}")))
}

/// The checklist for a terminal: the flow markup with its escapes removed.
pub fn checklist_for_terminal(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.strip_prefix('\\').unwrap_or(l);
            if let Some(rest) = l.strip_prefix("[x] ") {
                format!("■ {rest}")
            } else if let Some(rest) = l.strip_prefix("[ ] ") {
                format!("□ {rest}")
            } else if let Some(rest) = l.strip_prefix("## ") {
                format!("\n【{rest}】")
            } else if let Some(rest) = l.strip_prefix("# ") {
                rest.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
