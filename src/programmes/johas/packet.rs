//! The packet: the official forms filled in from a checked claim, the 別紙 they need, the
//! missing-attachments checklist, and one combined PDF in submission order.
//!
//! `build` is pure (claim + evaluation → named PDF bytes and the checklist text);
//! `crate::output::write_packet` puts the files in place.
//!
//! Parts: [`context`] (the typed form context), [`ticks`] (the 様式第3号 boxes, declared in
//! the layouts), [`checklist`], [`preflight`](mod@preflight) (every problem `packet` would hit, for `check`).

pub mod checklist;
pub mod context;
pub mod preflight;
pub mod ticks;

use super::evaluation::{Evaluation, FormProblem};
use super::forms::{self, RenderOptions};
use super::model::Claim;
use crate::page::Document;

pub use checklist::checklist_for_terminal;
pub use preflight::PacketError;

pub use crate::model::doc::OutputFile;

/// Everything `packet` writes, before it is written.
#[derive(Debug, Clone)]
pub struct Packet {
    pub files: Vec<OutputFile>,
    /// The checklist as text (the same content as checklist.pdf), for the terminal.
    pub checklist_text: String,
    /// Document titles of the combined PDF, in order.
    pub order: Vec<String>,
}

/// What the forms and the checklist are made from, computed once per packet.
pub struct Prepared {
    pub context: context::FormContext,
    pub ticks: Vec<ticks::Tick>,
    pub equipment: Vec<super::amounts::EquipmentItem>,
}

/// Decides the ticks and builds the typed form context.
pub fn prepare(claim: &Claim, ev: &Evaluation) -> Result<Prepared, forms::FormError> {
    let equipment = ev.equipment.clone();
    let facts = ticks::Facts { claim, ev };
    let ticks = ticks::ticks(claim, &facts)?;
    let context = context::build(claim, ev, &ticks);
    Ok(Prepared {
        context,
        ticks,
        equipment,
    })
}

/// The form context as JSON (see forms/README.md).
pub fn form_context(claim: &Claim, ev: &Evaluation) -> serde_json::Value {
    match prepare(claim, ev) {
        Ok(p) => serde_json::to_value(&p.context).unwrap_or_default(),
        Err(_) => serde_json::Value::Null,
    }
}

/// The checklist in flow markup (rendered to PDF and, the same text, to the terminal).
pub fn checklist_text(claim: &Claim, ev: &Evaluation) -> Result<String, PacketError> {
    let p = prepare(claim, ev).map_err(|e| PacketError::Form(e.to_string()))?;
    checklist_of(claim, ev, &p)
}

fn checklist_of(claim: &Claim, ev: &Evaluation, p: &Prepared) -> Result<String, PacketError> {
    checklist::checklist_text(
        claim,
        ev,
        &checklist::Notes {
            ticks: &p.ticks,
            equipment: &p.equipment,
            figures_blank: claim.grant.figures_blank(claim, ev),
        },
    )
}

/// Lays out every document of the packet (no PDF): the forms, each followed by its 別紙,
/// then the checklist. Fails with *every* problem at once, by claim-file key.
pub fn lay_out(
    claim: &Claim,
    ev: &Evaluation,
) -> Result<(Vec<(String, Document)>, String), PacketError> {
    lay_out_as(claim, ev, Mode::Pages)
}

/// What [`lay_out`] does with the text documents (別紙, checklist).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Lays their pages out.
    Pages,
    /// Only finds what laying them out would fail with (the preflight): their pages are
    /// left empty.
    Check,
}

/// What [`lay_out`] fails with, with the 別紙 and the checklist checked and not laid out
/// (`Ok` when the packet can be made). The same list: laying out a text document fails
/// only on a char its face lacks, which the check finds in the same order.
pub fn lay_out_check(claim: &Claim, ev: &Evaluation) -> Result<(), PacketError> {
    lay_out_as(claim, ev, Mode::Check).map(|_| ())
}

/// Every problem the packet's forms would have for this claim (empty when none).
pub fn preflight(claim: &Claim, ev: &Evaluation) -> Vec<FormProblem> {
    match lay_out_check(claim, ev) {
        Ok(()) => Vec::new(),
        Err(PacketError::Problems(p)) => p,
        Err(e) => vec![FormProblem {
            key: String::new(),
            message: e.to_string(),
        }],
    }
}

fn lay_out_as(
    claim: &Claim,
    ev: &Evaluation,
    mode: Mode,
) -> Result<(Vec<(String, Document)>, String), PacketError> {
    let prepared = prepare(claim, ev).map_err(|e| PacketError::Form(e.to_string()))?;
    let ctx = serde_json::to_value(&prepared.context)
        .map_err(|e| PacketError::Form(format!("様式の値を作れません: {e}")))?;
    let grant = claim.grant.id();
    let ed = &claim.edition.edition;
    let form_err = |e: forms::FormError| PacketError::Form(e.to_string());
    let infos = forms::forms_for(claim.edition).map_err(form_err)?;
    // Printed under the title of every 別紙.
    let applicant = prepared
        .context
        .establishment
        .name
        .as_deref()
        .unwrap_or_default();

    let mut docs: Vec<(String, Document)> = Vec::new();
    let mut problems: Vec<FormProblem> = Vec::new();
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
            applicant,
        };
        let rendered = match forms::render_form(info.layout, &ctx, opts) {
            Ok(r) => r,
            Err(errors) => {
                problems.extend(preflight::to_problems(
                    &claim.grant,
                    info.layout,
                    &ctx,
                    &errors,
                ));
                continue;
            }
        };
        let mut pages = rendered.pages;
        for annex in &rendered.annexes {
            let annex_pages = match mode {
                Mode::Pages => forms::annex_pages(annex),
                Mode::Check => forms::annex_check(annex).map(|()| Vec::new()),
            };
            match annex_pages {
                Ok(p) => pages.extend(p),
                Err(e) => problems.push(FormProblem {
                    key: String::new(),
                    message: e.to_string(),
                }),
            }
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
    if !problems.is_empty() {
        return Err(PacketError::Problems(preflight::merge(problems)));
    }
    let text = checklist_of(claim, ev, &prepared)?;
    let title = "提出書類チェックリスト（提出不要・控え）";
    let pages = match mode {
        Mode::Pages => forms::flow_pages(title, &text),
        Mode::Check => forms::flow_check(title, &text).map(|()| Vec::new()),
    }
    .map_err(form_err)?;
    docs.push((
        "checklist.pdf".into(),
        Document {
            title: title.into(),
            pages,
        },
    ));
    Ok((docs, text))
}

/// Builds every file of the packet in memory. Pure: no I/O, no clock.
pub fn build(claim: &Claim, ev: &Evaluation) -> Result<Packet, PacketError> {
    // 1. Lay out every document: the forms (each followed by its 別紙), then the checklist.
    let (docs, text) = lay_out(claim, ev)?;
    let order: Vec<String> = docs.iter().map(|(_, d)| d.title.clone()).collect();

    // 2. Every document as its own PDF, and all of them, in submission order, as one
    //    combined PDF (one subset per face for all its pages). `export_and_merge` gives
    //    the bytes `pdf::export` and `pdf::merge` would, deflating each glyph once for
    //    all of them, on all cores.
    let establishment = claim.establishment.name.clone().unwrap_or_default();
    let packet_title = format!(
        "{} 申請書類一式（{establishment}）",
        claim.edition.grant_name
    );
    let parts: Vec<&Document> = docs.iter().map(|(_, d)| d).collect();
    let (singles, combined) = crate::pdf::export_and_merge(&packet_title, &parts).map_err(|e| {
        let title = e.part.map_or(packet_title.as_str(), |p| &docs[p].1.title);
        PacketError::Form(format!("{title}: {}", e.error))
    })?;
    let mut files: Vec<OutputFile> = docs
        .iter()
        .zip(singles)
        .map(|((name, _), bytes)| OutputFile {
            name: name.clone(),
            bytes,
        })
        .collect();
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
        bytes: (super::report::json(ev) + "\n").into_bytes(),
    });
    Ok(Packet {
        files,
        checklist_text: text,
        order,
    })
}
