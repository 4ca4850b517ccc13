//! Which attachments apply to a claim (from its facts and the edition data), and which of
//! them the applicant has not marked ready.

use crate::edition::{AttachmentDef, When};
use crate::model::{Claim, GrantFacts, PhysicianQualification, ProviderKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The applicant says it is ready.
    Ready,
    /// johas-claim generates it (`packet`); it may still need a seal or signature.
    Generated,
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentStatus {
    pub id: String,
    pub name: String,
    pub must_show: String,
    pub cite: String,
    pub key: Option<String>,
    pub status: Status,
}

fn applies(claim: &Claim, when: When) -> bool {
    let (provider, qualification, equipment) = match &claim.facts {
        GrantFacts::Sangyoui(f) => (f.provider.clone(), f.qualification.clone(), false),
        GrantFacts::Shokuba(f) => (None, None, !f.equipment.is_empty()),
    };
    let sangyoui = matches!(claim.facts, GrantFacts::Sangyoui(_));
    match when {
        When::Always => true,
        // Without the provider kind, list the physician's papers (the common case) so the
        // checklist is never silently short; the SC-A1 finding says the kind is unknown.
        When::Physician => sangyoui && provider != Some(ProviderKind::Nurse),
        When::Consultant => {
            provider == Some(ProviderKind::Physician)
                && qualification == Some(PhysicianQualification::HealthConsultant)
        }
        When::Nurse => provider == Some(ProviderKind::Nurse),
        When::Association => claim.insurance.delegated_to_association == Some(true),
        When::NoAssociation => claim.insurance.delegated_to_association != Some(true),
        When::BulkPayment => claim.insurance.bulk_payment_by_head_office == Some(true),
        When::Equipment => equipment,
    }
}

/// Every attachment that applies to this claim, in the order of 様式第3号, with its status.
pub fn statuses(claim: &Claim) -> Vec<AttachmentStatus> {
    claim
        .edition
        .attachments
        .iter()
        .filter(|a| applies(claim, a.when))
        .map(|a: &AttachmentDef| {
            let status = if a.generated {
                Status::Generated
            } else if a.key.as_deref().and_then(|k| claim.attachments.is_ready(k)) == Some(true) {
                Status::Ready
            } else {
                Status::Missing
            };
            AttachmentStatus {
                id: a.id.clone(),
                name: a.name.clone(),
                must_show: a.must_show.clone(),
                cite: a.cite.clone(),
                key: a.key.clone(),
                status,
            }
        })
        .collect()
}
