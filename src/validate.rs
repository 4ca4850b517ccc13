//! Reading a claim file: parse (TOML or JSON), reject unknown keys with the nearest known
//! key, check every field's format, check fields against each other, choose the edition,
//! and build the typed model. Every problem is collected, none stops the others (except a
//! file that cannot be parsed at all), and each names the file, the field path, the line
//! where known, the bad value, and how to fix it — in Japanese.

use crate::checks::{self, parse_date};
use crate::dates::YearMonth;
use crate::edition::{self, Grant};
use crate::input::*;
use crate::model::*;
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::Path;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted field path, `[n]` is the n-th entry (1-based); empty for the whole file.
    pub path: String,
    pub line: Option<usize>,
    pub value: Option<String>,
    pub message: String,
}

/// A file that could not be used, with all its problems.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "エラー: {} に {} 件の問題があります。",
            self.file,
            self.problems.len()
        )?;
        for p in &self.problems {
            let place = match p.line {
                Some(l) => format!("{}:{}", self.file, l),
                None => self.file.clone(),
            };
            let field = if p.path.is_empty() {
                String::new()
            } else {
                format!(" {}", p.path)
            };
            let value = p
                .value
                .as_ref()
                .map(|v| format!(" = {v}"))
                .unwrap_or_default();
            writeln!(f, "  {place}{field}{value}")?;
            writeln!(f, "    → {}", p.message)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("toml") => Some(Format::Toml),
            Some("json") => Some(Format::Json),
            _ => None,
        }
    }
}

fn whole_file(file: &str, message: String) -> InputError {
    InputError {
        file: file.to_string(),
        problems: vec![Problem {
            path: String::new(),
            line: None,
            value: None,
            message,
        }],
    }
}

/// Reads and checks a claim file from disk.
pub fn load(path: &Path) -> Result<Claim, InputError> {
    let file = path.display().to_string();
    let format = Format::of(path).ok_or_else(|| {
        whole_file(
            &file,
            "申請ファイルの拡張子は .toml（推奨）か .json にしてください。".into(),
        )
    })?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "ファイルが見つかりません。パスを確かめてください。".to_string()
            }
            std::io::ErrorKind::InvalidData => {
                "UTF-8 のテキストとして読めません。UTF-8 で保存し直してください。".to_string()
            }
            _ => format!("ファイルを読めません（{e}）。"),
        };
        whole_file(&file, why)
    })?;
    parse(&file, &text, format)
}

/// Checks a claim given as text (`file` names it in messages).
pub fn parse(file: &str, text: &str, format: Format) -> Result<Claim, InputError> {
    let mut unknown: Vec<Vec<String>> = Vec::new();
    let raw: ClaimFile = match deserialize(text, format, &mut unknown) {
        Ok(raw) => raw,
        Err(p) => {
            return Err(InputError {
                file: file.into(),
                problems: vec![p],
            })
        }
    };
    let lines = LineIndex::new(text, format);
    let mut problems: Vec<Problem> = unknown
        .iter()
        .map(|segs| unknown_key_problem(segs))
        .collect();
    if let Err(errors) = raw.validate() {
        flatten(&errors, "", &mut problems);
    }
    let model = build(file, raw, &mut problems);
    for p in &mut problems {
        if p.line.is_none() {
            p.line = lines.line_of(&p.path);
        }
    }
    problems.sort_by_key(|p| (p.line.unwrap_or(usize::MAX), p.path.clone()));
    problems.dedup();
    match model {
        Some(claim) if problems.is_empty() => Ok(claim),
        _ => Err(InputError {
            file: file.into(),
            problems,
        }),
    }
}

fn deserialize(
    text: &str,
    format: Format,
    unknown: &mut Vec<Vec<String>>,
) -> Result<ClaimFile, Problem> {
    let mut on_unknown = |p: serde_ignored::Path| unknown.push(segments(&p));
    match format {
        Format::Toml => {
            let de = toml::Deserializer::parse(text).map_err(|e| toml_problem(text, &e))?;
            let de = serde_ignored::Deserializer::new(de, &mut on_unknown);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = display_path(e.path());
                let inner = e.into_inner();
                let mut p = toml_problem(text, &inner);
                p.path = path;
                p
            })
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let de = serde_ignored::Deserializer::new(&mut de, &mut on_unknown);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = display_path(e.path());
                let inner = e.into_inner();
                Problem {
                    path,
                    line: (inner.line() > 0).then_some(inner.line()),
                    value: None,
                    message: format!(
                        "JSON として読めません（{}行{}列）: {}",
                        inner.line(),
                        inner.column(),
                        translate_serde(&inner.to_string())
                    ),
                }
            })
        }
    }
}

fn toml_problem(text: &str, e: &toml::de::Error) -> Problem {
    let (line, col) = match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before
                .rsplit('\n')
                .next()
                .map(|s| s.chars().count() + 1)
                .unwrap_or(1);
            (Some(line), Some(col))
        }
        None => (None, None),
    };
    let pos = match (line, col) {
        (Some(l), Some(c)) => format!("（{l}行{c}列）"),
        _ => String::new(),
    };
    Problem {
        path: String::new(),
        line,
        value: None,
        message: format!(
            "TOML として読めません{pos}: {}",
            translate_serde(e.message())
        ),
    }
}

/// Puts the most common serde messages into Japanese (the original stays in brackets).
fn translate_serde(msg: &str) -> String {
    let m = msg.trim();
    let ja = if m.starts_with("invalid type: string") && m.contains("expected i64") {
        Some("数値の欄に文字列が書かれています。引用符を外し、半角数字で書いてください")
    } else if m.starts_with("invalid type: string") && m.contains("expected a boolean") {
        Some("true / false の欄に文字列が書かれています。引用符を外して true か false を書いてください")
    } else if m.starts_with("invalid type: integer") && m.contains("expected a string") {
        Some("文字列の欄に数値が書かれています。\"…\" で囲んでください")
    } else if m.starts_with("invalid type") && m.contains("expected i64") {
        Some("整数を書いてください（小数・文字列は使えません）")
    } else if m.starts_with("invalid type") {
        Some("値の種類が違います")
    } else if m.contains("expected a sequence") {
        Some("ここは配列（[[...]] や [...]）で書いてください")
    } else {
        None
    };
    match ja {
        Some(ja) => format!("{ja}（{m}）"),
        None => m.to_string(),
    }
}

fn segments(p: &serde_ignored::Path) -> Vec<String> {
    use serde_ignored::Path as P;
    match p {
        P::Root => Vec::new(),
        P::Seq { parent, index } => {
            let mut v = segments(parent);
            v.push(format!("[{}]", index + 1));
            v
        }
        P::Map { parent, key } => {
            let mut v = segments(parent);
            v.push(key.to_string());
            v
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            segments(parent)
        }
    }
}

fn join(segs: &[String]) -> String {
    let mut s = String::new();
    for seg in segs {
        if !seg.starts_with('[') && !s.is_empty() {
            s.push('.');
        }
        s.push_str(seg);
    }
    s
}

fn display_path(p: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segs: Vec<String> = p
        .iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(format!("[{}]", index + 1)),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    join(&segs)
}

/// The known keys at a path, read from the JSON Schema of the claim file.
fn known_keys(parent: &[String]) -> Vec<String> {
    let schema = serde_json::to_value(schemars::schema_for!(ClaimFile)).unwrap_or_default();
    let defs = schema.get("$defs").cloned().unwrap_or_default();
    let resolve = |v: &serde_json::Value| -> serde_json::Value {
        let mut v = v.clone();
        for _ in 0..4 {
            if let Some(r) = v.get("$ref").and_then(|r| r.as_str()) {
                let name = r.trim_start_matches("#/$defs/");
                v = defs.get(name).cloned().unwrap_or_default();
            } else if let Some(any) = v.get("anyOf").and_then(|a| a.as_array()) {
                v = any
                    .iter()
                    .find(|x| x.get("type") != Some(&"null".into()))
                    .cloned()
                    .unwrap_or_default();
            } else if let Some(items) = v.get("items") {
                v = items.clone();
            } else {
                break;
            }
        }
        v
    };
    let mut node = schema.clone();
    for seg in parent {
        node = resolve(&node);
        if seg.starts_with('[') {
            continue;
        }
        node = node
            .get("properties")
            .and_then(|p| p.get(seg))
            .cloned()
            .unwrap_or_default();
    }
    node = resolve(&node);
    node.get("properties")
        .and_then(|p| p.as_object())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn unknown_key_problem(segs: &[String]) -> Problem {
    let (key, parent) = segs
        .split_last()
        .map(|(k, p)| (k.clone(), p.to_vec()))
        .unwrap_or_default();
    let known = known_keys(&parent);
    let nearest = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(k, &key), k))
        .min()
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .map(|(_, k)| k.clone());
    let where_ = if parent.is_empty() {
        "ファイルの最上位".to_string()
    } else {
        format!("[{}]", join(&parent))
    };
    let message = match nearest {
        Some(k) => format!("{where_} に \"{key}\" という項目はありません。もしかして \"{k}\"？"),
        None => format!(
            "{where_} に \"{key}\" という項目はありません。使える項目: {}",
            known.join(", ")
        ),
    };
    Problem {
        path: join(segs),
        line: None,
        value: None,
        message,
    }
}

fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut Vec<Problem>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errs) => {
                for e in errs {
                    let value = e.params.get("value").and_then(|v| match v {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(s) => Some(format!("\"{s}\"")),
                        other => Some(other.to_string()),
                    });
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("値が正しくありません（{}）。", e.code));
                    out.push(Problem {
                        path: path.clone(),
                        line: None,
                        value,
                        message,
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}[{}]", i + 1), out);
                }
            }
        }
    }
}

fn problem(path: &str, value: Option<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        line: None,
        value,
        message: message.into(),
    }
}

fn date_of(d: &Option<RawDate>) -> Option<chrono::NaiveDate> {
    d.as_ref().and_then(|d| parse_date(&d.0))
}

fn ym_of(s: &Option<String>) -> Option<YearMonth> {
    s.as_deref().and_then(YearMonth::parse)
}

/// Cross-field checks and conversion to the model. Returns `None` when the claim cannot
/// be identified (no grant, no date, no edition); problems are pushed either way.
fn build(file: &str, raw: ClaimFile, problems: &mut Vec<Problem>) -> Option<Claim> {
    let claim = raw.claim.clone().unwrap_or_default();
    let est = raw.establishment.clone().unwrap_or_default();

    required_fields(&raw, problems);

    // Grant.
    let grant = match claim.grant.as_deref() {
        Some(g) => match Grant::parse(g) {
            Some(grant) => Some(grant),
            None => {
                let ids: Vec<&str> = Grant::ALL.iter().map(|g| g.id()).collect();
                let near = ids
                    .iter()
                    .min_by_key(|id| strsim::levenshtein(id, g))
                    .copied()
                    .unwrap_or("");
                problems.push(problem(
                    "claim.grant",
                    Some(format!("\"{g}\"")),
                    format!(
                        "この助成金は扱えません。もしかして \"{near}\"？ 使える値: {}",
                        ids.join(", ")
                    ),
                ));
                None
            }
        },
        None => None, // reported by `required`
    };

    // Workers.
    if let (Some(w), Some(d)) = (est.workers, est.dispatched_workers) {
        if d > w {
            problems.push(problem(
                "establishment.dispatched_workers",
                Some(d.to_string()),
                format!("派遣労働者数（{d}名）が労働者数（{w}名）を超えています。労働者数は派遣労働者を含めた人数です。"),
            ));
        }
    }

    // The grant's own section.
    if let Some(g) = grant {
        let (has, other) = match g {
            Grant::Sangyoui => (raw.sangyoui.is_some(), raw.shokuba.is_some()),
            Grant::Shokuba => (raw.shokuba.is_some(), raw.sangyoui.is_some()),
        };
        if !has {
            problems.push(problem(
                g.section(),
                None,
                format!(
                    "[{}] がありません。claim.grant = \"{}\" の申請内容を [{}] に書いてください。",
                    g.section(),
                    g.id(),
                    g.section()
                ),
            ));
        }
        if other {
            let o = if g == Grant::Sangyoui {
                "shokuba"
            } else {
                "sangyoui"
            };
            problems.push(problem(o, None, format!("[{o}] は claim.grant = \"{}\" の申請では使いません。1ファイルに1件の申請を書き、[{o}] は別のファイルにしてください。", g.id())));
        }
    }

    // Round.
    let round = claim.round.unwrap_or(1);
    if grant == Some(Grant::Shokuba) && round != 1 {
        problems.push(problem("claim.round", Some(round.to_string()), "職場環境改善計画助成金は1回限りの助成金です。round は 1 にしてください（過去の申請は [[previous_claims]] に書きます）。"));
    }
    if grant == Some(Grant::Sangyoui) && claim.round.is_none() {
        problems.push(problem(
            "claim.round",
            None,
            "round（今回の申請の回数）がありません。1 か 2 を書いてください。",
        ));
    }

    // Periods.
    let check_period = |from: &Option<String>,
                        to: &Option<String>,
                        path: &str,
                        problems: &mut Vec<Problem>| {
        match (ym_of(from), ym_of(to)) {
            (Some(f), Some(t)) if t < f => problems.push(problem(
                &format!("{path}.period_to"),
                Some(format!("\"{t}\"")),
                format!("最終月（{t}）が初月（{f}）より前です。"),
            )),
            (Some(_), None) if to.is_none() => problems.push(problem(
                &format!("{path}.period_to"),
                None,
                "period_from があるのに period_to がありません。対象期間の最終月を書いてください。",
            )),
            (None, Some(_)) if from.is_none() => problems.push(problem(
                &format!("{path}.period_from"),
                None,
                "period_to があるのに period_from がありません。対象期間の初月を書いてください。",
            )),
            _ => {}
        }
    };
    if let Some(s) = &raw.sangyoui {
        check_period(&s.period_from, &s.period_to, "sangyoui", problems);
    }
    for (i, p) in raw.previous_claims.iter().enumerate() {
        check_period(
            &p.period_from,
            &p.period_to,
            &format!("previous_claims[{}]", i + 1),
            problems,
        );
    }
    if let Some(li) = &raw.labour_insurance {
        if li.bulk_payment_by_head_office == Some(false) && li.head_office.is_some() {
            problems.push(problem("labour_insurance.head_office", None, "bulk_payment_by_head_office = false なのに本社等が書かれています。一括納付しているなら true に、していないなら [labour_insurance.head_office] を削除してください。"));
        }
    }

    // Edition.
    let date = date_of(&claim.application_date);
    let edition = match (grant, date) {
        (Some(g), Some(d)) => match edition::select(g, claim.edition.as_deref(), d) {
            Ok(e) => Some(e),
            Err(e) => {
                let path = if claim.edition.is_some() {
                    "claim.edition"
                } else {
                    "claim.application_date"
                };
                let value = if claim.edition.is_some() {
                    claim.edition.clone().map(|v| format!("\"{v}\""))
                } else {
                    Some(d.to_string())
                };
                problems.push(problem(path, value, e.message()));
                None
            }
        },
        _ => None,
    };

    let (grant, edition, date) = (grant?, edition?, date?);
    let facts = match grant {
        Grant::Sangyoui => GrantFacts::Sangyoui(sangyoui_facts(raw.sangyoui.as_ref()?)),
        Grant::Shokuba => GrantFacts::Shokuba(shokuba_facts(raw.shokuba.as_ref()?)),
    };
    let li = raw.labour_insurance.clone().unwrap_or_default();
    let bank = raw.bank.clone().unwrap_or_default();
    let rep = est.representative.clone().unwrap_or_default();
    let con = est.contact.clone().unwrap_or_default();
    Some(Claim {
        file: file.to_string(),
        grant,
        edition,
        application_date: date,
        round: round.clamp(1, u32::MAX as i64) as u32,
        applied_by_representative: claim.applied_by_representative,
        establishment: Establishment {
            name: est.name,
            name_kana: est.name_kana,
            postal_code: est.postal_code,
            address: est.address,
            workers: est.workers,
            dispatched_workers: est.dispatched_workers,
            entity: match est.entity.as_deref() {
                Some("corporation") => Some(Entity::Corporation),
                Some("individual") => Some(Entity::Individual),
                _ => None,
            },
            corporate_number: est.corporate_number,
            labour_insurance_number: est.labour_insurance_number,
            representative: Person {
                title: rep.title,
                name: rep.name,
                name_kana: rep.name_kana,
            },
            contact: Contact {
                department: con.department,
                name: con.name,
                name_kana: con.name_kana,
                phone: con.phone,
                fax: con.fax,
            },
        },
        insurance: LabourInsurance {
            covered: li.covered,
            delegated_to_association: li.delegated_to_association,
            bulk_payment_by_head_office: li.bulk_payment_by_head_office,
            head_office: li.head_office.map(|h| HeadOffice {
                name: h.name,
                representative_title: h.representative_title,
                representative_name: h.representative_name,
            }),
        },
        bank: Bank {
            holder_kind: match bank.holder_kind.as_deref() {
                Some("corporation") => Some(HolderKind::Corporation),
                Some("personal") => Some(HolderKind::Personal),
                _ => None,
            },
            bank_name: bank.bank_name,
            branch_name: bank.branch_name,
            holder_kana: bank.holder_kana,
        },
        declarations: raw.declarations.as_ref().map(|d| Declarations {
            premium_arrears: d.premium_arrears,
            fraud_suspension: d.fraud_suspension,
            organized_crime: d.organized_crime,
            subversive_group: d.subversive_group,
            bankrupt: d.bankrupt,
            labour_law_violation: d.labour_law_violation,
            labour_law_violation_detail: d.labour_law_violation_detail.clone(),
            consent_to_publication: d.consent_to_publication,
        }),
        facts,
        previous: raw
            .previous_claims
            .iter()
            .filter_map(|p| {
                Some(PreviousClaim {
                    grant: p.grant.clone()?,
                    round: p.round.map(|r| r.clamp(1, u32::MAX as i64) as u32),
                    period_from: ym_of(&p.period_from),
                    period_to: ym_of(&p.period_to),
                    applied_on: date_of(&p.applied_on),
                    equipment_granted: p.equipment_granted,
                })
            })
            .collect(),
        attachments: attachments(&raw.attachments),
    })
}

fn attachments(a: &RawAttachments) -> Attachments {
    Attachments {
        contract_copy: a.contract_copy,
        qualification_proof: a.qualification_proof,
        medical_license: a.medical_license,
        insurance_declaration: a.insurance_declaration,
        association_wage_report: a.association_wage_report,
        association_payment_notice: a.association_payment_notice,
        bank_passbook: a.bank_passbook,
        return_envelope: a.return_envelope,
        expert_fee_receipt: a.expert_fee_receipt,
        improvement_plan: a.improvement_plan,
        equipment_receipts: a.equipment_receipts,
        equipment_photos: a.equipment_photos,
    }
}

fn sangyoui_facts(s: &RawSangyoui) -> SangyouiFacts {
    SangyouiFacts {
        provider: s.provider_kind.as_deref().map(|k| match k {
            "physician" => ProviderKind::Physician,
            "nurse" => ProviderKind::Nurse,
            other => ProviderKind::Other(other.to_string()),
        }),
        provider_name: s.provider_name.clone(),
        qualification: match s.physician_qualification.as_deref() {
            Some("jma_certified") => Some(PhysicianQualification::JmaCertified),
            Some("health_consultant") => Some(PhysicianQualification::HealthConsultant),
            Some("other") => Some(PhysicianQualification::Other),
            _ => None,
        },
        provider_is_external: s.provider_is_external,
        with_corporation: s.contract_with_corporation,
        contract_date: date_of(&s.contract_date),
        contract_start: date_of(&s.contract_start),
        contract_end: date_of(&s.contract_end),
        contract_open_ended: s.contract_open_ended,
        consultation_clause: s.contract_has_consultation_clause,
        contract_states: s.contract_states.as_ref().map(|c| ContractStates {
            content_and_period: c.content_and_period,
            cost: c.cost,
            practitioner_name: c.practitioner_name,
            consultation_mechanism: c.consultation_mechanism,
            establishment_name: c.establishment_name,
        }),
        mechanism_on: date_of(&s.mechanism_set_up_on),
        mechanism: s.mechanism.clone(),
        notice_on: date_of(&s.notice_started_on),
        notice_department: s.notice_department.clone(),
        notice_name: s.notice_name.clone(),
        notice_method: s.notice_method.clone(),
        period_from: ym_of(&s.period_from),
        period_to: ym_of(&s.period_to),
    }
}

/// 用語の説明「専門家」: the claim file's qualification key, or the text the user wrote.
fn expert_qualification(key: &str, note: Option<&String>) -> ExpertQualification {
    use ExpertQualification as Q;
    match key {
        "sangyoui" => Q::Sangyoui,
        "physician" => Q::Physician,
        "public_health_nurse" => Q::PublicHealthNurse,
        "nurse" => Q::Nurse,
        "psychiatric_social_worker" => Q::PsychiatricSocialWorker,
        "industrial_counselor" => Q::IndustrialCounselor,
        "clinical_psychologist" => Q::ClinicalPsychologist,
        "other_psychologist" => {
            Q::OtherPsychologist(note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()))
        }
        "occupational_health_consultant" => Q::OccupationalHealthConsultant,
        "sharoushi" => Q::Sharoushi,
        other => Q::NotListed(other.to_string()),
    }
}

fn shokuba_facts(s: &RawShokuba) -> ShokubaFacts {
    let rows = |rows: &[RawDatedRow]| -> Vec<DatedRow> {
        rows.iter()
            .filter_map(|r| {
                Some(DatedRow {
                    date: date_of(&r.date)?,
                    content: r.content.clone()?,
                })
            })
            .collect()
    };
    ShokubaFacts {
        group_analysis_done: s.group_analysis_done,
        expert_name: s.expert_name.clone(),
        expert_qualification: s
            .expert_qualification
            .as_deref()
            .map(|q| expert_qualification(q, s.expert_qualification_note.as_ref())),
        contract_date: date_of(&s.contract_date),
        evaluation_used_other_information: s.evaluation_used_other_information,
        guidance: rows(&s.guidance),
        plan_made_on: date_of(&s.plan_made_on),
        improvements: rows(&s.improvements),
        expert_confirmed_on: date_of(&s.expert_confirmed_on),
        guidance_fee_yen: s.guidance_fee_yen,
        guidance_receipt_shared: s.guidance_receipt_shared,
        equipment: s
            .equipment
            .iter()
            .filter_map(|e| {
                Some(Equipment {
                    name: e.name.clone()?,
                    unit_price_yen: e.unit_price_yen?,
                    quantity: e.quantity?,
                    purchased_on: date_of(&e.purchased_on),
                    in_plan: e.in_plan,
                    receipt_shared: e.receipt_shared,
                })
            })
            .collect(),
    }
}

/// Presence of the fields without which a claim (or one of its rows) means nothing.
fn required_fields(raw: &ClaimFile, problems: &mut Vec<Problem>) {
    let mut need = |present: bool, path: String, msg: &str| {
        if !present {
            problems.push(problem(&path, None, msg));
        }
    };
    need(
        raw.claim.is_some(),
        "claim".into(),
        "[claim] がありません。grant（助成金）と application_date（申請日）を書いてください。",
    );
    need(
        raw.establishment.is_some(),
        "establishment".into(),
        "[establishment] がありません。事業場の名称・所在地・労働者数などを書いてください。",
    );
    if let Some(c) = &raw.claim {
        need(c.grant.is_some(), "claim.grant".into(), "grant（助成金）がありません。\"sangyoui-chokusetsu\" か \"shokuba-kankyo-a\" を書いてください。");
        need(
            c.application_date.is_some(),
            "claim.application_date".into(),
            "application_date（申請日）がありません。2020-10-10 の形で書いてください。",
        );
    }
    if let Some(s) = &raw.shokuba {
        for (name, rows) in [("guidance", &s.guidance), ("improvements", &s.improvements)] {
            for (i, r) in rows.iter().enumerate() {
                need(
                    r.date.is_some(),
                    format!("shokuba.{name}[{}].date", i + 1),
                    "date（実施日）がありません。",
                );
                need(
                    r.content.is_some(),
                    format!("shokuba.{name}[{}].content", i + 1),
                    "content（内容）がありません。",
                );
            }
        }
        for (i, e) in s.equipment.iter().enumerate() {
            let p = |f: &str| format!("shokuba.equipment[{}].{f}", i + 1);
            need(e.name.is_some(), p("name"), "name（品名）がありません。");
            need(
                e.unit_price_yen.is_some(),
                p("unit_price_yen"),
                "unit_price_yen（単価、税込の円）がありません。",
            );
            need(
                e.quantity.is_some(),
                p("quantity"),
                "quantity（数量）がありません。",
            );
        }
    }
    for (i, p) in raw.previous_claims.iter().enumerate() {
        need(
            p.grant.is_some(),
            format!("previous_claims[{}].grant", i + 1),
            "grant（助成金）がありません。",
        );
    }
}

/// Maps field paths to source lines (TOML only; serde_json keeps no spans).
struct LineIndex<'a> {
    text: &'a str,
    table: Option<toml::Spanned<toml::de::DeTable<'a>>>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str, format: Format) -> Self {
        let table = match format {
            Format::Toml => toml::de::DeTable::parse(text).ok(),
            Format::Json => None,
        };
        LineIndex { text, table }
    }

    fn line_of(&self, path: &str) -> Option<usize> {
        let table = self.table.as_ref()?;
        let mut segs: Vec<(String, Option<usize>)> = Vec::new();
        for part in path.split('.') {
            if part.is_empty() {
                continue;
            }
            match part.split_once('[') {
                Some((k, idx)) => segs.push((
                    k.to_string(),
                    idx.trim_end_matches(']').parse::<usize>().ok(),
                )),
                None => segs.push((part.to_string(), None)),
            }
        }
        let mut span = None;
        let mut current: &toml::de::DeTable = table.get_ref();
        for (i, (key, idx)) in segs.iter().enumerate() {
            let (k, v) = current
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == key.as_str())?;
            span = Some(k.span());
            let mut value = v;
            if let (Some(n), toml::de::DeValue::Array(arr)) = (idx, value.get_ref()) {
                value = arr.get(n.checked_sub(1)?)?;
                span = Some(value.span());
            }
            if i + 1 < segs.len() {
                match value.get_ref() {
                    toml::de::DeValue::Table(t) => current = t,
                    _ => break,
                }
            }
        }
        let start = span?.start.min(self.text.len());
        Some(self.text[..start].matches('\n').count() + 1)
    }
}

/// The JSON Schema of the claim file (`johas-claim schema`).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(ClaimFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[allow(dead_code)]
fn _assert_deserialize_owned<T: DeserializeOwned>() {}
#[allow(dead_code)]
fn _uses() {
    _assert_deserialize_owned::<ClaimFile>();
    let _ = checks::ENTITIES;
}
