//! The 法人 profile (client.toml's [corporation]) as an office's client list gives it
//! (`import`): the workbook's 法人情報, Q1, Q2 and Q4. A choice is written as the workbook's
//! number (Q2(a) 法人格 `1`, `1 会社法上の会社等`) or words of one option only
//! (`協会けんぽ`); the profile check then reads every value as an answers file's.

use crate::input::columns::{col, Column, Kind};

/// The columns, in the workbook's order.
pub const COLUMNS: &[Column] = &[
    col(
        "法人名",
        &["正式法人名", "法人名称", "法人の名称"],
        "corporation.name",
        Kind::Text,
        "健康経営の申請書の法人名。正式名称で（(株) 等の略語は使わない。例: 株式会社ろうあん）",
    )
    .naming(),
    col(
        "法人名かな",
        &["法人名ふりがな", "法人名のかな", "法人名よみ"],
        "corporation.kana",
        Kind::Text,
        "法人格を除いたひらがな（例: ろうあん）",
    ),
    col(
        "法人番号",
        &["corporate_number"],
        "corporation.number",
        Kind::Code,
        "13桁",
    ),
    col(
        "本社都道府県",
        &["法人所在地都道府県", "本社所在地都道府県"],
        "corporation.prefecture",
        Kind::Text,
        "例: 神奈川県",
    ),
    col(
        "本社市区町村",
        &["法人所在地市区町村", "本社所在地市区町村"],
        "corporation.city",
        Kind::Text,
        "例: 川崎市",
    ),
    col(
        "加入保険者",
        &["加入保険者の種類", "保険者の種類"],
        "corporation.insurer.kind",
        Kind::Int,
        "申請書 Q1 の番号か選択肢の言葉（1 または 協会けんぽ、2 または 健康保険組合 …）",
    )
    .reading(insurer_kind),
    col(
        "協会けんぽ支部",
        &["協会けんぽの支部", "支部名"],
        "corporation.insurer.kyokai_branch",
        Kind::Text,
        "Q1 で 1 のとき（例: 神奈川）",
    ),
    col(
        "健康保険証の記号",
        &["保険証の記号", "被保険者証の記号"],
        "corporation.insurer.kyokai_symbol",
        // A 7-digit 記号 is not a postal code: no hyphen.
        Kind::Digits,
        "Q1 で 1 のとき、7桁または8桁",
    ),
    col(
        "健康保険組合名",
        &["健保組合名", "組合名"],
        "corporation.insurer.kenpo_name",
        Kind::Text,
        "Q1 で 2 のとき",
    ),
    col(
        "保険者番号",
        &[],
        "corporation.insurer.kenpo_number",
        Kind::Code,
        "Q1 で 2 のとき",
    ),
    col(
        "法人格",
        &["法人格の種類"],
        "corporation.legal_form",
        Kind::Int,
        "申請書 Q2(a) の番号か選択肢の言葉（1 または 会社法上の会社等 …）",
    )
    .reading(legal_form),
    col(
        "業種",
        &["業種区分"],
        "corporation.industry",
        Kind::Int,
        "申請書 Q2(b) の番号か選択肢の言葉",
    )
    .reading(industry),
    col(
        "業種の詳細",
        &["業種詳細", "業種（詳細）"],
        "corporation.industry_detail",
        Kind::Int,
        "申請書 Q2(c) の番号か選択肢の言葉",
    )
    .reading(industry_detail),
    col(
        "従業員数の時点",
        &["従業員数時点", "従業員数の基準月"],
        "corporation.employees.as_of",
        Kind::Code,
        "申請書 Q4 の最新時点（年月。例: 2025-05）",
    ),
    col(
        "正社員数",
        &["正社員"],
        "corporation.employees.regular",
        Kind::Int,
        "Q4 ① 正社員（出向者を除く。法人全体、役員を除く）",
    ),
    col(
        "出向正社員数",
        &["出向正社員"],
        "corporation.employees.seconded",
        Kind::Int,
        "Q4 ② 健康診断実施義務がある出向正社員",
    ),
    col(
        "非正社員数",
        &["非正社員", "常時使用する非正社員数"],
        "corporation.employees.non_regular",
        Kind::Int,
        "Q4 ③ 常時使用する非正社員",
    ),
    col(
        "派遣社員数（自社が派遣元）",
        &["派遣社員数(自社が派遣元)", "派遣元としての派遣社員数"],
        "corporation.employees.dispatched",
        Kind::Int,
        "Q4 ④ 自社が派遣元の派遣社員（受け入れている派遣労働者ではありません）",
    ),
    col(
        "女性従業員数",
        &["うち女性", "女性の人数"],
        "corporation.employees.women",
        Kind::Int,
        "Q4 ①～④のうち女性",
    ),
    col(
        "65歳以上の従業員数",
        &["うち65歳以上", "高齢者の人数"],
        "corporation.employees.aged_65_plus",
        Kind::Int,
        "Q4 ①～④のうち65歳以上",
    ),
    col(
        "資本金",
        &["資本金または出資総額", "出資総額"],
        "corporation.capital_yen",
        Kind::Int,
        "Q4 SQ1 円（従業員数が業種の上限を超えるときだけ要ります）",
    ),
];

/// A choice cell: the workbook's number (`1`, `１`, `1 会社法上の会社等`), or words found in
/// exactly one of the question's options (`協会けんぽ`).
fn choice(key: &str, raw: &str) -> Result<toml::Value, String> {
    let half = crate::input::lenient::fullwidth_to_ascii(raw.trim());
    let digits: String = half.chars().take_while(|c| c.is_ascii_digit()).collect();
    if let Ok(n) = digits.parse::<i64>() {
        return Ok(n.into());
    }
    let ed = super::answers::edition(None).unwrap_or_else(|_| super::load::bundled());
    let Some(q) = ed.question_by_key(key) else {
        return Err(format!("{key} はこの版の設問にありません。"));
    };
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let want = squash(raw);
    let hits: Vec<u32> = q
        .options
        .iter()
        .filter(|o| squash(&o.text).contains(&want))
        .map(|o| o.n)
        .collect();
    let list = || {
        q.options
            .iter()
            .map(|o| format!("{} {}", o.n, o.text))
            .collect::<Vec<_>>()
            .join("、")
    };
    match hits[..] {
        [n] => Ok(i64::from(n).into()),
        [] => Err(format!(
            "「{raw}」は {} の選択肢にありません。番号か選択肢の言葉で書いてください（{}）。",
            q.label,
            list()
        )),
        _ => Err(format!(
            "「{raw}」は {} の選択肢の {} に当たります。番号で書いてください（{}）。",
            q.label,
            hits.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("・"),
            list()
        )),
    }
}

fn insurer_kind(raw: &str) -> Result<toml::Value, String> {
    choice("corporation.insurer.kind", raw)
}

fn legal_form(raw: &str) -> Result<toml::Value, String> {
    choice("corporation.legal_form", raw)
}

fn industry(raw: &str) -> Result<toml::Value, String> {
    choice("corporation.industry", raw)
}

fn industry_detail(raw: &str) -> Result<toml::Value, String> {
    choice("corporation.industry_detail", raw)
}
