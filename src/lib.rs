//! johas-claim: checks a JOHAS occupational-health grant claim against its edition's
//! rules and renders the official forms.
//!
//! Pipeline (one direction): `input` (serde, raw) → `validate` (model) → `rules`
//! (findings with citations) → `amounts` & windows → `forms` (positions, no PDF) →
//! `pdf` (bytes, no I/O) → `packet` (files).

pub mod page;
pub mod textfit;
