//! Reading a JOHAS claim file through the input boundary: the field walk against the claim
//! file's schema ([`super::claim_file::schema`]), the format checks declared on it, the checks
//! between fields, the edition, and the typed claim with where each fact was written.

use super::claim_file::*;
use super::editions;
use super::grant::{self, JohasProgramme};
use super::model::*;
use super::own::Own;
use crate::input::checks::parse_date;
use crate::input::{problem, Format, Input, InputError, Problem, Walked};
use crate::model::dates::YearMonth;
use crate::model::Notice;
use std::path::Path;

/// What [`check_sections`] found: every problem (empty when the sections are usable), the
/// lenient readings, and the values as read (canonical: `2020-10-10` for `令和2年10月10日`).
#[derive(Debug, Clone)]
pub struct Sections {
    pub problems: Vec<Problem>,
    pub notices: Vec<Notice>,
    pub values: serde_json::Value,
}

/// Checks some sections of a claim file on their own (a client's profile: `[establishment]`,
/// `[labour_insurance]`, `[bank]`; an imported row; interview answers): every value as a
/// claim file would take it, and the checks between fields of those sections. Facts that
/// are missing are not problems here (a profile or a half-answered interview).
pub fn check_sections(input: &Input, sections: &[&str]) -> Sections {
    let mut w = input.walk_sections(schema(), Some(sections));
    if let Ok(raw) = serde_json::from_value::<ClaimFile>(w.values.clone()) {
        w.validate(&raw);
        read_sections(&mut w);
        section_checks(&raw, &mut w.problems);
    }
    w.settle();
    Sections {
        problems: w.problems.clone(),
        notices: w.provenance().notices,
        values: w.values.clone(),
    }
}

/// Whether a dotted key of the claim file is a list of rows (`previous_claims`).
pub fn is_list(path: &str) -> bool {
    crate::input::walk::is_list(schema(), path)
}

/// Whether a dotted key of the claim file is a date (`[1]` indexes allowed).
pub fn is_date(path: &str) -> bool {
    crate::input::walk::is_date(schema(), path)
}

/// The top-level keys of the claim file (its sections).
pub fn section_names() -> Vec<&'static str> {
    crate::input::walk::section_names(schema())
}

/// Reads and checks a claim file from disk, on its own (not as a book claim).
pub fn load(path: &Path) -> Result<Claim, InputError> {
    let doc = crate::input::Doc::load(path)?;
    check(Input::of(&doc))
}

/// Checks a claim given as text (`file` names it in messages).
pub fn parse(file: &str, text: &str, format: Format) -> Result<Claim, InputError> {
    check(Input::parse(file, text, format))
}

/// The one check every source of facts goes through: the field walk against the claim
/// file's schema (unknown keys, types, lenient readings with notices, printable text),
/// the format checks, the cross-field checks, the edition, and the typed model with
/// where each fact was written.
pub fn check(input: Input) -> Result<Claim, InputError> {
    let main = input.files.first().cloned().unwrap_or_default();
    let mut w = input.walk(schema());
    let raw: ClaimFile = w.deserialize();
    w.validate(&raw);
    let sections = read_sections(&mut w);
    let model = if input.syntax.is_empty() {
        build(&main, raw, sections, &mut w.problems)
    } else {
        None
    };
    let found = w.finish().map_err(|mut e| {
        for p in &mut e.problems {
            // A previous_claims entry the book derived from an earlier claim: say so.
            if let (true, Some(file)) = (p.path.starts_with("previous_claims["), &p.file) {
                let stem = Path::new(file)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                p.message = format!(
                    "{}（この申請の履歴として {stem} から作った previous_claims）",
                    p.message
                );
            }
        }
        e
    })?;
    // `build` gives no claim only with a problem said.
    let mut claim = model.ok_or_else(|| InputError {
        file: main.clone(),
        problems: vec![problem("", None, "申請ファイルを読めません。")],
    })?;
    claim.notices = found.notices;
    claim.written = found.written;
    Ok(claim)
}

fn date_of(d: &Option<RawDate>) -> Option<chrono::NaiveDate> {
    d.as_ref().and_then(|d| parse_date(&d.0))
}

fn ym_of(s: &Option<String>) -> Option<YearMonth> {
    s.as_deref().and_then(YearMonth::parse)
}

/// Each grant's section the file gives, as that grant reads it (with its format checks),
/// in the registry's order.
fn read_sections(w: &mut Walked) -> Vec<(&'static JohasProgramme, Own)> {
    grant::grants()
        .filter_map(|g| g.read_section(w).map(|raw| (g, raw)))
        .collect()
}

/// A period (first and last month, `YYYY-MM`) at `path` (`…period_from`, `…period_to`):
/// the last month not before the first, and neither without the other.
pub fn check_period(
    from: &Option<String>,
    to: &Option<String>,
    path: &str,
    problems: &mut Vec<Problem>,
) {
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
}

/// The checks between fields of the applicant's sections (a profile has them too).
fn section_checks(raw: &ClaimFile, problems: &mut Vec<Problem>) {
    let est = raw.establishment.clone().unwrap_or_default();
    // Workers.
    if let (Some(w), Some(d)) = (est.workers, est.dispatched_workers) {
        if d > w && w >= 1 {
            problems.push(problem(
                "establishment.dispatched_workers",
                Some(d.to_string()),
                format!("派遣労働者数（{d}名）が労働者数（{w}名）を超えています。労働者数は派遣労働者を含めた人数です。"),
            ));
        }
    }

    if let Some(li) = &raw.labour_insurance {
        if li.bulk_payment_by_head_office == Some(false) && li.head_office.is_some() {
            problems.push(problem("labour_insurance.head_office", None, "bulk_payment_by_head_office = false なのに本社等が書かれています。一括納付しているなら true に、していないなら [labour_insurance.head_office] を削除してください。"));
        }
    }
}

/// Cross-field checks and conversion to the model. Returns `None` when the claim cannot
/// be identified (no grant, no date, no edition); problems are pushed either way.
/// `sections`: each grant's section the file gives.
fn build(
    file: &str,
    raw: ClaimFile,
    sections: Vec<(&'static JohasProgramme, Own)>,
    problems: &mut Vec<Problem>,
) -> Option<Claim> {
    let claim = raw.claim.clone().unwrap_or_default();
    let est = raw.establishment.clone().unwrap_or_default();

    required_fields(&raw, &sections, problems);

    // Grant.
    let grant = match claim.grant.as_deref() {
        Some(g) => match grant::grant(g) {
            Some(grant) => Some(grant),
            None => {
                let ids: Vec<&str> = grant::grants().map(|g| g.id()).collect();
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

    section_checks(&raw, problems);

    // The grant's own section; another grant's section is another claim.
    if let Some(g) = grant {
        if !sections.iter().any(|(s, _)| *s == g) {
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
        for (other, _) in sections.iter().filter(|(s, _)| *s != g) {
            let o = other.section();
            problems.push(problem(o, None, format!("[{o}] は claim.grant = \"{}\" の申請では使いません。1ファイルに1件の申請を書き、[{o}] は別のファイルにしてください。", g.id())));
        }
    }

    // Round: any positive number as written; the rules judge it.
    let round = claim.round.unwrap_or(1);
    if grant.is_some_and(|g| g.uses().round) && claim.round.is_none() {
        problems.push(problem(
            "claim.round",
            None,
            "round（今回の申請の回数）がありません。1 か 2 を書いてください。",
        ));
    }

    // Periods.
    for (g, raw) in &sections {
        g.section_checks(raw, problems);
    }
    for (i, p) in raw.previous_claims.iter().enumerate() {
        check_period(
            &p.period_from,
            &p.period_to,
            &format!("previous_claims[{}]", i + 1),
            problems,
        );
    }
    // Edition.
    let date = date_of(&claim.application_date);
    let edition = match (grant, date) {
        (Some(g), Some(d)) => match editions::select(g, claim.edition.as_deref(), d) {
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
    let facts = sections
        .iter()
        .find(|(s, _)| *s == grant)
        .map(|(_, raw)| grant.facts(raw))?;
    let li = raw.labour_insurance.clone().unwrap_or_default();
    let bank = raw.bank.clone().unwrap_or_default();
    let rep = est.representative.clone().unwrap_or_default();
    let con = est.contact.clone().unwrap_or_default();
    Some(Claim {
        file: file.to_string(),
        grant: grant.handle(),
        edition,
        application_date: date,
        round: round.clamp(1, u32::MAX as i64) as u32,
        notices: Vec::new(),
        written: Default::default(),
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

/// Presence of the fields without which a claim (or one of its rows) means nothing.
fn required_fields(
    raw: &ClaimFile,
    sections: &[(&'static JohasProgramme, Own)],
    problems: &mut Vec<Problem>,
) {
    fn need(problems: &mut Vec<Problem>, present: bool, path: String, msg: &str) {
        if !present {
            problems.push(problem(&path, None, msg));
        }
    }
    need(
        problems,
        raw.claim.is_some(),
        "claim".into(),
        "[claim] がありません。grant（助成金）と application_date（申請日）を書いてください。",
    );
    need(
        problems,
        raw.establishment.is_some(),
        "establishment".into(),
        "[establishment] がありません。事業場の名称・所在地・労働者数などを書いてください。",
    );
    if let Some(c) = &raw.claim {
        let ids: Vec<String> = grant::grants().map(|g| format!("\"{}\"", g.id())).collect();
        need(
            problems,
            c.grant.is_some(),
            "claim.grant".into(),
            &format!(
                "grant（助成金）がありません。{} を書いてください。",
                ids.join(" か ")
            ),
        );
        need(
            problems,
            c.application_date.is_some(),
            "claim.application_date".into(),
            "application_date（申請日）がありません。2020-10-10 の形で書いてください。",
        );
    }
    for (g, raw) in sections {
        g.required_rows(raw, problems);
    }
    for (i, p) in raw.previous_claims.iter().enumerate() {
        need(
            problems,
            p.grant.is_some(),
            format!("previous_claims[{}].grant", i + 1),
            "grant（助成金）がありません。",
        );
    }
}

/// The JSON Schema of the claim file (`johas-claim schema`).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(ClaimFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    fn schema() -> serde_json::Value {
        serde_json::from_str(&schema_json()).unwrap()
    }

    /// The pattern of a property, following `$ref` / `anyOf` on the way.
    fn pattern(schema: &serde_json::Value, path: &[&str]) -> regex::Regex {
        let defs = schema["$defs"].clone();
        let resolve = |v: &serde_json::Value| -> serde_json::Value {
            let mut v = v.clone();
            for _ in 0..4 {
                if let Some(r) = v.get("$ref").and_then(|r| r.as_str()) {
                    v = defs[r.trim_start_matches("#/$defs/")].clone();
                } else if let Some(a) = v.get("anyOf").and_then(|a| a.as_array()) {
                    v = a[0].clone();
                } else if let Some(items) = v.get("items") {
                    v = items.clone();
                } else {
                    break;
                }
            }
            v
        };
        let mut node = schema.clone();
        for key in path {
            node = resolve(&node)["properties"][*key].clone();
        }
        let node = resolve(&node);
        let p = node["pattern"]
            .as_str()
            .unwrap_or_else(|| panic!("no pattern at {path:?}: {node}"));
        regex::Regex::new(p).unwrap()
    }

    type Check = fn(&str) -> bool;

    #[test]
    fn schema_patterns_agree_with_the_validators() {
        let s = schema();
        let date: Check = |v| {
            let (lo, hi) = crate::input::lenient::date_range();
            parse_date(v).is_some_and(|d| (lo..=hi).contains(&d))
        };
        let cases: Vec<(&[&str], Check, &[&str], &[&str])> = vec![
            (
                &["claim", "application_date"],
                date,
                &["2020-10-10", "1900-01-01", "2099-12-31", "2020-02-29"],
                &[
                    "2020-1-5",
                    "2020/10/10",
                    "0000-01-01",
                    "2100-01-01",
                    "1899-12-31",
                    "令和2年10月10日",
                    "2020-13-01",
                    "2020-10-32",
                ],
            ),
            (
                &["sangyoui", "period_from"],
                |v| crate::input::checks::year_month(v).is_ok(),
                &["2019-11", "1900-01", "2099-12"],
                &[
                    "2019/11",
                    "2019-13",
                    "2019-1",
                    "1899-12",
                    "2100-01",
                    "令和元年11月",
                ],
            ),
            (
                &["establishment", "name_kana"],
                |v| crate::input::checks::katakana(v).is_ok(),
                &[
                    "カブシキガイシャ ローワン",
                    "ヴァイオリン・ヵ",
                    "ローワン　イチロウ",
                ],
                &["かぶしき", "ｶﾌﾞｼｷ", "株式会社", "ABC", " ", ""],
            ),
            (
                &["bank", "holder_kana"],
                |v| crate::input::checks::account_kana(v).is_ok(),
                &["カ）ローワン", "ローワン(カ", "ユ．ロ－ワン/"],
                &["かぶしき", "株式会社", " ", "ABC"],
            ),
            (
                &["establishment", "postal_code"],
                |v| crate::input::checks::postal_code(v).is_ok(),
                &["211-0021", "000-0000"],
                &[
                    "2110021",
                    "〒211-0021",
                    "21-10021",
                    "211-00211",
                    "２１１-００２１",
                ],
            ),
            (
                &["establishment", "contact", "phone"],
                |v| crate::input::checks::phone(v).is_ok(),
                &["044-431-8661", "0444318661", "090-1234-5678", "09012345678"],
                &[
                    "044(431)8661",
                    "-044-431-8661",
                    "044--431-8661",
                    "044-431-8661-",
                    "123",
                    "044-431-86610-1",
                ],
            ),
            (
                &["establishment", "corporate_number"],
                |v| crate::input::checks::digits_format(v, 13),
                &["7000012050002", "7-0000-1205-0002"],
                &[
                    "700001205000",
                    "-7000012050002",
                    "7000012050002-",
                    "70000--12050002",
                    "ABC",
                ],
            ),
            (
                &["establishment", "labour_insurance_number"],
                |v| crate::input::checks::labour_insurance_number(v).is_ok(),
                &["14-1-01-123456-000", "14101123456000"],
                &[
                    "14-1-01-123456",
                    "14101123456",
                    "-14101123456000",
                    "14-1-01-123456-0000",
                ],
            ),
            (
                &["establishment", "address"],
                |v| crate::input::checks::not_blank(v).is_ok(),
                &["神奈川県", " a "],
                &["", " ", "　"],
            ),
        ];
        for (path, check, good, bad) in cases {
            let re = pattern(&s, path);
            for v in good {
                assert!(check(v), "{path:?}: the validator rejects good {v:?}");
                assert!(re.is_match(v), "{path:?}: the schema rejects good {v:?}");
            }
            for v in bad {
                assert!(!check(v), "{path:?}: the validator accepts bad {v:?}");
                assert!(!re.is_match(v), "{path:?}: the schema accepts bad {v:?}");
            }
        }
    }

    #[test]
    fn schema_enums_list_the_accepted_values() {
        let s = schema();
        let est = &s["properties"]["establishment"]["properties"];
        assert_eq!(
            est["entity"]["enum"],
            serde_json::json!(["corporation", "individual", null])
        );
        assert_eq!(est["workers"]["minimum"], 1);
        let text = schema_json();
        for needle in [
            "\"jma_certified\"",
            "\"personal\"",
            "\"shokuba-kankyo-b\"",
            "中小企業診断士",
            "公認心理師",
        ] {
            assert!(text.contains(needle), "{needle}");
        }
        for (k, _) in crate::programmes::shokuba::section::EXPERT_QUALIFICATIONS {
            assert!(crate::programmes::shokuba::section::expert_qualification_check(k).is_ok());
        }
        assert!(
            crate::programmes::shokuba::section::expert_qualification_check("sharoushii").is_err()
        );
        assert!(
            crate::programmes::shokuba::section::expert_qualification_check("中小企業診断士")
                .is_ok()
        );
        assert!(crate::programmes::sangyoui::section::provider_kind_check("physicain").is_err());
        assert!(crate::programmes::sangyoui::section::provider_kind_check("看護師").is_ok());
    }
}
