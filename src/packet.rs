//! The packet: the official forms filled in from a checked claim, the 別紙 they need, the
//! missing-attachments checklist, and one combined PDF in submission order.
//!
//! `build` is pure (claim + evaluation → named PDF bytes and the checklist text);
//! `crate::output::write_packet` puts the files in place.

use crate::dates::wareki;
use crate::evaluate::Evaluation;
use crate::findings::{yen, Outcome};
use crate::forms::{self, RenderOptions};
use crate::model::{Claim, GrantFacts, PhysicianQualification, ProviderKind};
use crate::page::Document;
use serde_json::{json, Map, Value};

const CHECKLIST_TEMPLATE: &str = include_str!("../templates/checklist.txt.j2");

/// One output file.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Everything `packet` writes, before it is written.
#[derive(Debug, Clone)]
pub struct Packet {
    pub files: Vec<OutputFile>,
    /// The checklist as text (the same content as checklist.pdf), for the terminal.
    pub checklist_text: String,
    /// Document titles of the combined PDF, in order.
    pub order: Vec<String>,
}

/// Why no packet could be made. Messages are Japanese.
#[derive(Debug, Clone, PartialEq)]
pub enum PacketError {
    /// A fact the forms need is missing or cannot be drawn.
    Form(String),
    /// The output directory problem (exists, cannot write).
    Output(String),
}

impl std::fmt::Display for PacketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PacketError::Form(m) | PacketError::Output(m) => f.write_str(m),
        }
    }
}

fn put(obj: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(v) = value {
        obj.insert(key.to_string(), Value::String(v));
    }
}

/// A rule is satisfied when none of its findings fails or is unknown.
fn ok(ev: &Evaluation, rule: &str) -> bool {
    matches!(ev.worst(rule), Some(Outcome::Pass | Outcome::Warning))
}

fn ready(claim: &Claim, key: &str) -> bool {
    claim.attachments.is_ready(key) == Some(true)
}

/// The labour-insurance papers: the 申告書, or the 事務組合 pair instead (SC-T4 / SK-T9).
fn insurance_ready(claim: &Claim) -> bool {
    if claim.insurance.delegated_to_association == Some(true) {
        ready(claim, "association_wage_report") && ready(claim, "association_payment_notice")
    } else {
        ready(claim, "insurance_declaration")
    }
}

/// The form context (see forms/README.md). A fact the claim does not give is left out,
/// so the strict templates fail on the field that needs it instead of printing a blank.
pub fn form_context(claim: &Claim, ev: &Evaluation) -> Value {
    let est = &claim.establishment;
    let mut e = Map::new();
    put(&mut e, "name", est.name.clone());
    put(&mut e, "name_kana", est.name_kana.clone());
    put(&mut e, "postal_code", est.postal_code.clone());
    put(&mut e, "address", est.address.clone());
    put(&mut e, "workers", est.workers.map(|w| w.to_string()));
    put(
        &mut e,
        "dispatched_workers",
        est.dispatched_workers.map(|w| w.to_string()),
    );
    // Only the 一括納付 certificate prints it; absent here, that form fails on the field.
    put(
        &mut e,
        "labour_insurance_number",
        est.labour_insurance_number.clone(),
    );
    let rep = est.representative.clone();
    let mut r = Map::new();
    put(&mut r, "title", rep.title);
    put(&mut r, "name", rep.name);
    put(&mut r, "name_kana", rep.name_kana);
    let con = est.contact.clone();
    let mut c = Map::new();
    put(&mut c, "department", con.department);
    put(&mut c, "name", con.name);
    put(&mut c, "name_kana", con.name_kana);
    put(&mut c, "phone", con.phone);
    c.insert("fax".into(), json!(con.fax.unwrap_or_default()));

    let head_office = match (
        claim.insurance.bulk_payment_by_head_office,
        claim.insurance.head_office.clone(),
    ) {
        (Some(true), Some(h)) => {
            let mut m = Map::new();
            put(&mut m, "name", h.name.clone());
            let rep = match (h.representative_title, h.representative_name) {
                (Some(t), Some(n)) => Some(format!("{t}　{n}")),
                (None, Some(n)) => Some(n),
                _ => None,
            };
            put(&mut m, "representative", rep);
            Value::Object(m)
        }
        (Some(true), None) => Value::Object(Map::new()),
        _ => Value::Null,
    };

    let mut ctx = Map::new();
    ctx.insert("grant".into(), json!(claim.grant.id()));
    ctx.insert("edition".into(), json!(claim.edition.edition));
    ctx.insert("edition_mark".into(), json!(claim.edition.edition_mark));
    ctx.insert(
        "fiscal_year".into(),
        json!(claim.edition.form_fiscal_year.value),
    );
    ctx.insert(
        "application_date".into(),
        json!(wareki(claim.application_date)),
    );
    ctx.insert("round".into(), json!(claim.round));
    ctx.insert("establishment".into(), Value::Object(e));
    ctx.insert("representative".into(), Value::Object(r));
    ctx.insert("contact".into(), Value::Object(c));
    ctx.insert("head_office".into(), head_office);

    let yes_no = |b: Option<bool>| {
        b.map(|b| {
            if b {
                "yes".to_string()
            } else {
                "no".to_string()
            }
        })
    };
    let checks: Value = match &claim.facts {
        GrantFacts::Sangyoui(f) => {
            if let Some(d) = &claim.declarations {
                let mut m = Map::new();
                put(&mut m, "d1", yes_no(d.premium_arrears));
                put(&mut m, "d2", yes_no(d.fraud_suspension));
                put(&mut m, "d3", yes_no(d.organized_crime));
                put(&mut m, "d4", yes_no(d.subversive_group));
                put(&mut m, "d5", yes_no(d.bankrupt));
                put(&mut m, "d6", yes_no(d.labour_law_violation));
                put(&mut m, "d7", yes_no(d.consent_to_publication));
                m.insert(
                    "violation_detail".into(),
                    json!(d.labour_law_violation_detail.clone().unwrap_or_default()),
                );
                ctx.insert("declarations".into(), Value::Object(m));
            }
            let mut m = Map::new();
            put(&mut m, "mechanism_date", f.mechanism_on.map(wareki));
            put(&mut m, "mechanism", f.mechanism.clone());
            put(&mut m, "notice_date", f.notice_on.map(wareki));
            put(&mut m, "notice_department", f.notice_department.clone());
            put(&mut m, "notice_name", f.notice_name.clone());
            put(&mut m, "notice_method", f.notice_method.clone());
            ctx.insert("sangyoui".into(), Value::Object(m));
            let physician = f.provider == Some(ProviderKind::Physician);
            let consultant = f.qualification == Some(PhysicianQualification::HealthConsultant);
            let declarations_known = [
                "SC-D1", "SC-D2", "SC-D3", "SC-D4", "SC-D5", "SC-D6", "SC-D7",
            ]
            .iter()
            .all(|id| ev.worst(id) != Some(Outcome::Unknown));
            // 様式第3号: ticked only for what is ready and satisfied.
            json!({
                "1": (["SC-E1", "SC-E2", "SC-A2", "SC-A4"].iter().all(|r| ok(ev, r))),
                "2": ready(claim, "contract_copy") && ok(ev, "SC-A6"),
                "3_physician": physician && ok(ev, "SC-A1") && ready(claim, "qualification_proof") && (!consultant || ready(claim, "medical_license")),
                "3_nurse": f.provider == Some(ProviderKind::Nurse) && ok(ev, "SC-A1") && ready(claim, "qualification_proof"),
                "4": insurance_ready(claim),
                "5": ready(claim, "bank_passbook") && ok(ev, "SC-T5"),
                "6": claim.insurance.bulk_payment_by_head_office == Some(true),
                "7": declarations_known,
                "8": ready(claim, "return_envelope"),
            })
        }
        GrantFacts::Shokuba(f) => {
            let mut m = Map::new();
            let amounts = ev.shokuba_amounts;
            let counted = ev.claimed_equipment().map(|a| a.name.clone());
            // Boxes 1 and 3 need the fee; without it the strict template names the field.
            let with_fee = |v: Option<i64>| f.guidance_fee_yen.and(v).map(yen);
            put(&mut m, "guidance_fee", with_fee(amounts.map(|a| a.fee_box)));
            put(&mut m, "equipment", amounts.map(|a| yen(a.equipment_box)));
            put(&mut m, "amount", with_fee(amounts.map(|a| a.total)));
            let mut names: Vec<String> = Vec::new();
            for n in counted {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            m.insert("equipment_names".into(), json!(names.join("、")));
            let rows = |rows: &[crate::model::DatedRow]| -> Value {
                rows.iter()
                    .map(|r| json!({"date": wareki(r.date), "content": r.content}))
                    .collect()
            };
            m.insert("improvements".into(), rows(&f.improvements));
            m.insert("guidance".into(), rows(&f.guidance));
            put(&mut m, "expert_name", f.expert_name.clone());
            let qual = f.expert_qualification.as_ref().map(|q| q.label());
            put(&mut m, "expert_qualification", qual);
            put(&mut m, "confirmed_on", f.expert_confirmed_on.map(wareki));
            ctx.insert("shokuba".into(), Value::Object(m));
            let equipment = !f.equipment.is_empty();
            json!({
                "1_form": true,
                "1_requirements": (["SK-E1", "SK-E2", "SK-E3", "SK-E4", "SK-E5", "SK-E6"].iter().all(|r| ok(ev, r))),
                "1_amount": ok(ev, "SK-M4"),
                "1_equipment": equipment,
                // 記名押印 and the expert's signature happen on paper, after printing.
                "1_seal": false,
                "2": ready(claim, "contract_copy"),
                "3": false,
                "4": ready(claim, "qualification_proof") && ok(ev, "SK-E7"),
                "5": ready(claim, "expert_fee_receipt") && ok(ev, "SK-M7"),
                "6": ready(claim, "improvement_plan"),
                "7": equipment && ready(claim, "equipment_receipts") && ok(ev, "SK-M6"),
                "8": equipment && ready(claim, "equipment_photos"),
                "9": insurance_ready(claim),
                "10": ready(claim, "bank_passbook") && ok(ev, "SK-T10"),
                "11": claim.insurance.bulk_payment_by_head_office == Some(true),
                "12": ready(claim, "return_envelope"),
            })
        }
    };
    ctx.insert("checks".into(), checks);
    Value::Object(ctx)
}

/// The checklist in flow markup (rendered to PDF and, the same text, to the terminal).
pub fn checklist_text(claim: &Claim, ev: &Evaluation) -> Result<String, PacketError> {
    let ed = claim.edition;
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("literal", forms::flow::literal_filter);
    let (stamp, retention) = match &ed.params {
        crate::edition::Params::Sangyoui(p) => (p.return_stamp_yen.value, p.retention_years.value),
        crate::edition::Params::Shokuba(p) => (p.return_stamp_yen.value, p.retention_years.value),
    };
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
    env.render_str(
        CHECKLIST_TEMPLATE,
        minijinja::context! {
            edition => minijinja::context! { grant_name => ed.grant_name, edition_name => ed.edition_name },
            establishment => claim.establishment.name.clone().unwrap_or_else(|| "（名称未記入）".into()),
            application_date => wareki(claim.application_date),
            verdict => crate::report::verdict_line(ev),
            amount => amount,
            window => window,
            closed_note => closed_note,
            attachments => ev.attachments,
            missing => ev.missing_attachments,
            status_label => minijinja::context! { ready => "準備済み", generated => "本ツールで作成・要記名押印", missing => "未準備" },
            return_stamp_yen => stamp,
            retention_years => retention,
        },
    )
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

/// Builds every file of the packet in memory. Pure: no I/O, no clock.
pub fn build(claim: &Claim, ev: &Evaluation) -> Result<Packet, PacketError> {
    let ctx = form_context(claim, ev);
    let grant = claim.grant.id();
    let ed = &claim.edition.edition;
    let form_err = |e: forms::FormError| PacketError::Form(e.to_string());
    let infos = forms::forms_for(grant, ed).map_err(form_err)?;

    // 1. Lay out every document: the forms (each followed by its 別紙), then the checklist.
    let mut docs: Vec<(String, Document)> = Vec::new();
    let mut next_annex = 1;
    for id in &claim.edition.packet_order.value {
        if id == "ikkatsu" && claim.insurance.bulk_payment_by_head_office != Some(true) {
            continue;
        }
        let Some(info) = infos.iter().find(|i| i.id == id) else {
            return Err(PacketError::Form(format!(
                "様式 {id} のレイアウトがありません（{grant} {ed}）。"
            )));
        };
        let opts = RenderOptions {
            first_annex: next_annex,
        };
        let rendered = forms::render_form_with(grant, ed, id, &ctx, opts).map_err(form_err)?;
        let mut pages = rendered.pages;
        for annex in &rendered.annexes {
            pages.extend(forms::annex_pages(annex).map_err(form_err)?);
            next_annex = next_annex.max(annex.number + 1);
        }
        let name = format!("{:02}-{id}.pdf", docs.len() + 1);
        docs.push((
            name,
            Document {
                title: info.title.clone(),
                pages,
            },
        ));
    }
    let text = checklist_text(claim, ev)?;
    let title = "提出書類チェックリスト（提出不要・控え）";
    let pages = forms::flow_pages(title, &text).map_err(form_err)?;
    docs.push((
        "checklist.pdf".into(),
        Document {
            title: title.into(),
            pages,
        },
    ));
    let order: Vec<String> = docs.iter().map(|(_, d)| d.title.clone()).collect();

    // 2. Export them on all cores (pdf::export is pure), keeping their order.
    let results: Vec<Result<Vec<u8>, PacketError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .iter()
            .map(|(_, doc)| {
                scope.spawn(move || {
                    crate::pdf::export(doc)
                        .map_err(|e| PacketError::Form(format!("{}: {e}", doc.title)))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(PacketError::Form(
                        "PDFの作成中に内部エラーが起きました。".into(),
                    ))
                })
            })
            .collect()
    });
    let mut files = Vec::new();
    for ((name, _), bytes) in docs.iter().zip(results) {
        files.push(OutputFile {
            name: name.clone(),
            bytes: bytes?,
        });
    }

    // 3. The combined packet in submission order, merged from the finished files.
    let establishment = claim.establishment.name.clone().unwrap_or_default();
    let packet_title = format!(
        "{} 申請書類一式（{establishment}）",
        claim.edition.grant_name
    );
    let parts: Vec<&Document> = docs.iter().map(|(_, d)| d).collect();
    let combined = crate::pdf::merge(&packet_title, &parts)
        .map_err(|e| PacketError::Form(format!("{packet_title}: {e}")))?;
    files.push(OutputFile {
        name: "packet.pdf".into(),
        bytes: combined,
    });
    files.push(OutputFile {
        name: "checklist.txt".into(),
        bytes: checklist_for_terminal(&text).into_bytes(),
    });
    files.push(OutputFile {
        name: "check.json".into(),
        bytes: (crate::report::json(ev) + "\n").into_bytes(),
    });
    Ok(Packet {
        files,
        checklist_text: text,
        order,
    })
}
