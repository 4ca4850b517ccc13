//! The questions of `new`, in the order of the forms (様式第1号 → the grant's facts →
//! 労働保険 → 振込先 → 様式第2号 → 様式第3号の添付書類), one per claim-file key. Each
//! question knows its key, its label, how to validate an answer and when it applies. The
//! common sections' questions are here; the grant's section's are the grant's
//! ([`super::grant::Grant::questions`]), and which optional facts it asks, its forms say
//! ([`super::grant::Uses`]).

use super::grant::JohasProgramme;

pub use crate::model::interview::{get, Kind, Step, Table, Q, ROUNDS, YES_NO};

/// A question (not required, always asked).
pub fn q(key: &'static str, label: &'static str, kind: Kind) -> Q {
    Q {
        key,
        label,
        kind,
        required: false,
        when: None,
    }
}

/// A question without which the file is unusable (no 「わからない」).
pub fn req(mut x: Q) -> Q {
    x.required = true;
    x
}

/// A question asked only when `f` holds for the answers so far.
pub fn when(mut x: Q, f: fn(&Table) -> bool) -> Q {
    x.when = Some(f);
    x
}

/// The answer at `key` is the text `v`.
pub fn is(t: &Table, key: &str, v: &str) -> bool {
    get(t, key).and_then(|x| x.as_str()) == Some(v)
}

/// The answer at `key` is 「はい」.
pub fn yes(t: &Table, key: &str) -> bool {
    get(t, key).and_then(|x| x.as_bool()) == Some(true)
}

/// The steps for one grant, in the order of the forms.
pub fn steps(grant: &JohasProgramme) -> Vec<Step> {
    let uses = grant.uses();
    use Kind::*;
    use Step::*;
    // Only the 産業医 様式第1号 has 申請回数 (「今回の申請は【1回目・2回目】」).
    let mut s = vec![Table(
        "claim",
        if uses.round {
            "申請（様式第1号の申請日・申請回数）"
        } else {
            "申請（様式第1号の申請日）"
        },
    )];
    s.push(Ask(req(q(
        "claim.application_date",
        "申請日（郵送する日、例: 2020-10-10）",
        Date,
    ))));
    if uses.round {
        s.push(Ask(req(q(
            "claim.round",
            "今回の申請は何回目ですか",
            Round,
        ))));
    }
    s.push(Ask(q(
        "claim.applied_by_representative",
        "事業場の代表者が申請しますか",
        Bool,
    )));
    s.extend([
        Table("establishment", "様式第1号【請求者】"),
        Ask(q("establishment.name", "事業場の名称", Text)),
        Ask(q(
            "establishment.name_kana",
            "名称のフリガナ（全角カタカナ）",
            Kana,
        )),
        Ask(q(
            "establishment.postal_code",
            "郵便番号（例: 211-0021）",
            Postal,
        )),
        Ask(q("establishment.address", "所在地", Text)),
    ]);
    s.push(Ask(q(
        "establishment.workers",
        "常時使用する労働者数（派遣労働者を含む）",
        Workers,
    )));
    s.push(Ask(q(
        "establishment.dispatched_workers",
        "うち派遣労働者数",
        Count,
    )));
    s.push(Ask(q(
        "establishment.entity",
        "法人ですか、個人事業ですか",
        Choice(crate::programmes::johas::checks::ENTITIES),
    )));
    s.push(Ask(when(
        q(
            "establishment.corporate_number",
            "法人番号（13桁）",
            CorporateNumber,
        ),
        |t| is(t, "establishment.entity", "corporation"),
    )));
    s.push(Ask(q(
        "establishment.labour_insurance_number",
        "労働保険番号（14桁、例: 14-1-01-123456-000）",
        LabourInsuranceNumber,
    )));
    s.extend([
        Table("establishment.representative", "代表者"),
        Ask(q(
            "establishment.representative.title",
            "代表者の役職（例: 代表取締役）",
            Text,
        )),
        Ask(q("establishment.representative.name", "代表者の氏名", Text)),
        Ask(q(
            "establishment.representative.name_kana",
            "代表者の氏名のフリガナ",
            Kana,
        )),
        Table("establishment.contact", "担当者・問い合わせ先"),
        Ask(q("establishment.contact.department", "担当者の所属", Text)),
        Ask(q("establishment.contact.name", "担当者の氏名", Text)),
        Ask(q(
            "establishment.contact.name_kana",
            "担当者の氏名のフリガナ",
            Kana,
        )),
        Ask(q("establishment.contact.phone", "電話番号", Phone)),
    ]);
    if uses.fax {
        s.push(Ask(q("establishment.contact.fax", "ファックス番号", Phone)));
    }
    s.extend(grant.questions());
    s.push(List {
        key: "previous_claims",
        label: "過去の申請（産業医活動助成金・職場環境改善計画助成金）",
        fields: vec![
            req(q(
                "grant",
                "どの助成金ですか",
                Choice(super::checks::previous_grants()),
            )),
            q("round", "何回目の申請でしたか", Round),
            q("period_from", "対象期間の初月（例: 2019-11）", YearMonth),
            q("period_to", "対象期間の最終月（例: 2020-04）", YearMonth),
            q("applied_on", "申請日", Date),
            q("equipment_granted", "機器・設備の助成を受けましたか", Bool),
        ],
        when: None,
    });
    s.extend([
        Table("labour_insurance", "労働保険"),
        Ask(q(
            "labour_insurance.covered",
            "労働保険の適用事業場ですか",
            Bool,
        )),
        Ask(q(
            "labour_insurance.delegated_to_association",
            "労働保険の申告・納付を労働保険事務組合に委託していますか",
            Bool,
        )),
        Ask(q(
            "labour_insurance.bulk_payment_by_head_office",
            "本社等が労働保険料を一括納付していますか",
            Bool,
        )),
        Table(
            "labour_insurance.head_office",
            "一括納付している本社等（労働保険料一括納付に係る証明書）",
        ),
    ]);
    let bulk: fn(&toml::Table) -> bool = |t| yes(t, "labour_insurance.bulk_payment_by_head_office");
    s.extend([
        Ask(when(
            q(
                "labour_insurance.head_office.name",
                "本社等の事業場名",
                Text,
            ),
            bulk,
        )),
        Ask(when(
            q(
                "labour_insurance.head_office.representative_title",
                "本社等の代表者の役職",
                Text,
            ),
            bulk,
        )),
        Ask(when(
            q(
                "labour_insurance.head_office.representative_name",
                "本社等の代表者の氏名",
                Text,
            ),
            bulk,
        )),
        Table("bank", "振込先"),
        Ask(q(
            "bank.holder_kind",
            "口座の名義は法人ですか、個人ですか",
            Choice(super::checks::HOLDER_KINDS),
        )),
        Ask(q("bank.bank_name", "金融機関名", Text)),
        Ask(q("bank.branch_name", "支店名", Text)),
        Ask(q(
            "bank.holder_kana",
            "口座名義（通帳のとおり全角カタカナ、例: カ）ローワン）",
            AccountKana,
        )),
    ]);
    // 様式第2号 支給要件確認申立書, for a grant whose 様式第2号 it is (another grant's
    // 様式第2号 may be something else, asked with its section).
    if uses.declarations {
        s.extend([
            Table(
                "declarations",
                "様式第2号 支給要件確認申立書（true =「はい」、false =「いいえ」）",
            ),
            Ask(q(
                "declarations.premium_arrears",
                "1 前年度より前の労働保険料の滞納が継続している",
                Bool,
            )),
            Ask(q(
                "declarations.fraud_suspension",
                "2 産業保健関係助成金の不正受給により不支給措置がとられている",
                Bool,
            )),
            Ask(q(
                "declarations.organized_crime",
                "3 暴力団関係事業場である",
                Bool,
            )),
            Ask(q(
                "declarations.subversive_group",
                "4 暴力主義的破壊活動を行った（行うおそれがある）団体等に属している者がいる",
                Bool,
            )),
            Ask(q("declarations.bankrupt", "5 倒産している", Bool)),
            Ask(q(
                "declarations.labour_law_violation",
                "6 過去1年間に労働関係法令違反をしている",
                Bool,
            )),
            Ask(when(
                q(
                    "declarations.labour_law_violation_detail",
                    "6 が「はい」の場合、その内容",
                    Text,
                ),
                |t| yes(t, "declarations.labour_law_violation"),
            )),
            Ask(q(
                "declarations.consent_to_publication",
                "7 不正受給で支給決定を取り消された場合に事業者名等が公表されることに同意する",
                Bool,
            )),
        ]);
    }
    s.push(Confirm("様式第3号 添付書類（用意できたものに「はい」）"));
    s
}

/// An answer read as `check` reads the same value in a claim file, through the input
/// boundary: leniently (和暦 and `2020/9/15`, 全角 digits, ひらがなのフリガナ, 〒 …) with
/// every format check. `key` is the full dotted key (for a list field,
/// `previous_claims.applied_on`). Returns the value as read and, when it was read leniently,
/// the reading to show (`"令和2年9月15日" → "2020-09-15"`).
pub fn read_answer(
    key: &str,
    kind: Kind,
    s: &str,
) -> Result<(toml::Value, Option<String>), String> {
    use crate::input::tree::{Entry, Node, Value};
    let s = s.trim();
    let leaf = match kind {
        Kind::Workers | Kind::Count | Kind::Yen | Kind::Quantity | Kind::Round => {
            let digits: String = crate::input::lenient::ascii_digits(s)
                .chars()
                .filter(|c| !matches!(c, ',' | '円' | '名' | '人' | '個' | '台' | ' '))
                .collect();
            match digits.parse::<i64>() {
                Ok(n) => Value::Int(n),
                Err(_) => return Err("半角の整数で書いてください（例: 35）。".into()),
            }
        }
        Kind::Bool => match s {
            "true" | "はい" => Value::Bool(true),
            "false" | "いいえ" => Value::Bool(false),
            _ => return Err("「はい」か「いいえ」で答えてください。".into()),
        },
        Kind::Flag(list) => match list.iter().find(|(v, ja)| v.to_string() == s || *ja == s) {
            Some((v, _)) => Value::Bool(*v),
            None => {
                return Err(format!(
                    "次のいずれかを選んでください: {}",
                    list.iter()
                        .map(|(_, ja)| *ja)
                        .collect::<Vec<_>>()
                        .join("、")
                ))
            }
        },
        Kind::Choice(list) => match list.iter().find(|(k, ja)| *k == s || *ja == s) {
            Some((k, _)) => Value::Str(k.to_string()),
            None => {
                return Err(format!(
                    "次のいずれかを選んでください: {}",
                    list.iter()
                        .map(|(_, ja)| *ja)
                        .collect::<Vec<_>>()
                        .join("、")
                ))
            }
        },
        _ => Value::Str(s.to_string()),
    };
    // The answer as a claim-file tree: nested tables, a list field as a list of one row.
    let segs: Vec<&str> = key.split('.').collect();
    let mut node = Node::new(leaf, 0);
    for (i, seg) in segs.iter().enumerate().rev() {
        let table = Node::new(
            Value::Table(vec![Entry {
                key: seg.to_string(),
                line: 0,
                node,
            }]),
            0,
        );
        let parent = segs[..i].join(".");
        node = if i > 0 && super::read::is_list(&parent) {
            Node::new(Value::Array(vec![table]), 0)
        } else {
            table
        };
    }
    let file_path = list_path(key);
    let input = crate::input::Input::from_tree("（回答）", node, crate::input::Format::Toml);
    let found = super::read::check_sections(&input, &[segs[0]]);
    if let Some(p) = found.problems.first() {
        return Err(p.message.clone());
    }
    let reading = found.notices.first().map(|n| n.reading.clone());
    let mut v = &found.values;
    for seg in file_path.split('.') {
        let (name, index) = match seg.split_once('[') {
            Some((n, _)) => (n, true),
            None => (seg, false),
        };
        v = &v[name];
        if index {
            v = &v[0];
        }
    }
    let value = match v {
        serde_json::Value::String(t) if super::read::is_date(&file_path) => t
            .parse::<toml::value::Datetime>()
            .map(toml::Value::Datetime)
            .unwrap_or_else(|_| toml::Value::String(t.clone())),
        serde_json::Value::String(t) => toml::Value::String(t.clone()),
        serde_json::Value::Number(n) => toml::Value::Integer(n.as_i64().unwrap_or_default()),
        serde_json::Value::Bool(b) => toml::Value::Boolean(*b),
        _ => return Err("この答えは使えません。".into()),
    };
    Ok((value, reading))
}

/// A full key with `[1]` after each list (`previous_claims.round` →
/// `previous_claims[1].round`), as the claim file's paths are written.
fn list_path(key: &str) -> String {
    let segs: Vec<&str> = key.split('.').collect();
    let mut out: Vec<String> = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        let so_far = segs[..=i].join(".");
        if i + 1 < segs.len() && super::read::is_list(&so_far) {
            out.push(format!("{seg}[1]"));
        } else {
            out.push(seg.to_string());
        }
    }
    out.join(".")
}

/// Checks one answer (already trimmed, not 「わからない」) and turns it into a TOML value.
pub fn parse_answer(key: &str, kind: Kind, s: &str) -> Result<toml::Value, String> {
    read_answer(key, kind, s).map(|(v, _)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_with_the_claim_file_validators() {
        // Read as `check` reads the same values in a claim file.
        let (v, reading) = read_answer("establishment.name_kana", Kind::Kana, "かぶしき").unwrap();
        assert_eq!(v, toml::Value::String("カブシキ".into()));
        assert!(reading.unwrap().contains("カブシキ"));
        assert!(
            parse_answer("establishment.name_kana", Kind::Kana, "株式会社")
                .unwrap_err()
                .contains("カタカナ")
        );
        assert_eq!(
            parse_answer("establishment.workers", Kind::Workers, "35").unwrap(),
            toml::Value::Integer(35)
        );
        assert_eq!(
            parse_answer("establishment.workers", Kind::Workers, "２８").unwrap(),
            toml::Value::Integer(28)
        );
        assert!(parse_answer("establishment.workers", Kind::Workers, "0").is_err());
        assert!(parse_answer("claim.application_date", Kind::Date, "2021-02-29").is_err());
        for d in [
            "令和2年9月15日",
            "R2.9.15",
            "２０２０－０９－１５",
            "2020/9/15",
        ] {
            let (v, reading) = read_answer("claim.application_date", Kind::Date, d).unwrap();
            assert_eq!(v.to_string(), "2020-09-15", "{d}");
            assert!(reading.is_some(), "{d}");
        }
        assert_eq!(
            parse_answer(
                "establishment.postal_code",
                Kind::Postal,
                "〒９８０－０８１１"
            )
            .unwrap(),
            toml::Value::String("980-0811".into())
        );
        assert_eq!(
            parse_answer(
                "establishment.entity",
                Kind::Choice(super::super::checks::ENTITIES),
                "法人"
            )
            .unwrap(),
            toml::Value::String("corporation".into())
        );
    }
}
