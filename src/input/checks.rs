//! Field format checks used by `validator` on the raw claim file. Each error carries a
//! Japanese message that says what is wrong and how to fix it, and the bad value.

use crate::model::dates::YearMonth;
use chrono::NaiveDate;
use std::borrow::Cow;
use validator::ValidationError;

// Patterns of the JSON Schema (`johas-claim schema`), for editors. They say what the
// validators below say about the canonical form; `validate` also reads some lenient forms
// (和暦, 全角, ひらがな) and normalises them with a notice. A unit test keeps them in step.
pub const DATE_PATTERN: &str = "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
pub const YEAR_MONTH_PATTERN: &str = "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$";
pub const KANA_PATTERN: &str = "^[ァ-ヺー・ヽヾ 　]*[ァ-ヺー・ヽヾ][ァ-ヺー・ヽヾ 　]*$";
pub const ACCOUNT_KANA_PATTERN: &str =
    "^[ァ-ヺー・ 　（）()．.－\\-／/]*[ァ-ヺー・（）()．.－\\-／/][ァ-ヺー・ 　（）()．.－\\-／/]*$";
pub const POSTAL_PATTERN: &str = "^[0-9]{3}-[0-9]{4}$";
pub const PHONE_PATTERN: &str = "^(?:[0-9]-?){9,10}[0-9]$";
pub const CORPORATE_NUMBER_PATTERN: &str = "^(?:[0-9]-?){12}[0-9]$";
pub const LABOUR_NUMBER_PATTERN: &str = "^(?:[0-9]-?){13}[0-9]$";
pub const NOT_BLANK_PATTERN: &str = "\\S";

fn fail(code: &'static str, value: &str, message: String) -> ValidationError {
    let mut e = ValidationError::new(code).with_message(Cow::Owned(message));
    e.add_param(Cow::Borrowed("value"), &value);
    e
}

/// Parses an ISO date "YYYY-MM-DD" that exists on the calendar.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn date(d: &str) -> Result<(), ValidationError> {
    match parse_date(d) {
        Some(_) => Ok(()),
        None => Err(fail(
            "date",
            d,
            "実在する日付を 2020-10-10 の形（西暦の年-月-日）で書いてください。".into(),
        )),
    }
}

pub fn year_month(s: &str) -> Result<(), ValidationError> {
    match YearMonth::parse(s) {
        Some(ym) if (1900..=2099).contains(&ym.year) => Ok(()),
        _ => Err(fail(
            "year_month",
            s,
            "年月は 2019-11 の形（西暦の年-月、1900～2099年）で書いてください。".into(),
        )),
    }
}

pub fn not_blank(s: &str) -> Result<(), ValidationError> {
    if s.trim().is_empty() {
        Err(fail(
            "blank",
            s,
            "空欄です。内容を書くか、この行を削除してください。".into(),
        ))
    } else {
        Ok(())
    }
}

/// Full-width katakana, the long-vowel mark, middle dot and full-width/ASCII spaces.
pub fn is_katakana(s: &str) -> bool {
    !s.trim().is_empty()
        && s.chars().all(|c| {
            matches!(
                c,
                '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | '　' | ' ' | 'ヽ' | 'ヾ'
            )
        })
}

pub fn katakana(s: &str) -> Result<(), ValidationError> {
    if is_katakana(s) {
        return Ok(());
    }
    let hint = if s.chars().any(|c| matches!(c, '\u{3041}'..='\u{3096}')) {
        "ひらがなをカタカナにしてください"
    } else if s.chars().any(|c| matches!(c, '\u{FF66}'..='\u{FF9F}')) {
        "半角カタカナを全角にしてください"
    } else {
        "漢字・英数字・記号は使えません"
    };
    Err(fail(
        "katakana",
        s,
        format!(
            "フリガナは全角カタカナで書いてください（{hint}）。例: \"カブシキガイシャ ローワン\""
        ),
    ))
}

/// Bank account holder names (口座名義カナ) also use （）．－／ and ASCII equivalents,
/// e.g. 「カ）ローワン」 for 株式会社ローワン.
pub fn account_kana(s: &str) -> Result<(), ValidationError> {
    let ok = !s.trim().is_empty()
        && s.chars().all(|c| {
            matches!(
                c,
                '\u{30A1}'
                    ..='\u{30FA}'
                        | 'ー'
                        | '・'
                        | '　'
                        | ' '
                        | '（'
                        | '）'
                        | '('
                        | ')'
                        | '．'
                        | '.'
                        | '－'
                        | '-'
                        | '／'
                        | '/'
            )
        });
    if ok {
        Ok(())
    } else {
        Err(fail("account_kana", s, "口座名義は通帳のとおり全角カタカナで書いてください（（）．－／は使えます。例: \"カ）ローワン\"）。".into()))
    }
}

pub fn postal_code(s: &str) -> Result<(), ValidationError> {
    let b = s.as_bytes();
    let ok = b.len() == 8
        && b[3] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(fail(
            "postal_code",
            s,
            "郵便番号は半角で 211-0021 の形（3桁-4桁）で書いてください。".into(),
        ))
    }
}

pub fn phone(s: &str) -> Result<(), ValidationError> {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let ok = s.chars().all(|c| c.is_ascii_digit() || c == '-')
        && (10..=11).contains(&digits)
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(())
    } else {
        Err(fail("phone", s, "電話・FAX番号は半角の数字とハイフンで書いてください（例: 044-431-8661、市外局番から10～11桁）。".into()))
    }
}

pub fn one_of(
    code: &'static str,
    s: &str,
    allowed: &[(&str, &str)],
) -> Result<(), ValidationError> {
    if allowed.iter().any(|(k, _)| *k == s) {
        return Ok(());
    }
    let list: Vec<String> = allowed
        .iter()
        .map(|(k, ja)| format!("\"{k}\"（{ja}）"))
        .collect();
    let nearest = allowed
        .iter()
        .map(|(k, _)| (strsim::levenshtein(k, s), *k))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, k)| format!("もしかして \"{k}\"？ "))
        .unwrap_or_default();
    Err(fail(
        code,
        s,
        format!("{nearest}次のいずれかを書いてください: {}", list.join("、")),
    ))
}

/// The key a value names (a key itself, or one of its Japanese names); `None` for any
/// other text (a fact the rules judge).
pub fn listed_key(
    s: &str,
    table: &[(&'static str, &str)],
    aliases: &[(&str, &'static str)],
) -> Option<&'static str> {
    let t = s.trim();
    table
        .iter()
        .find(|(k, _)| *k == t)
        .map(|(k, _)| *k)
        .or_else(|| aliases.iter().find(|(n, _)| *n == t).map(|(_, k)| *k))
}

/// A value that is a fact as the user knows it: a key, a Japanese name, or any other
/// text. Only an ASCII identifier close to a key is taken for a typo.
pub fn fact_or_typo(
    code: &'static str,
    s: &str,
    table: &[(&'static str, &str)],
    aliases: &[(&str, &'static str)],
) -> Result<(), ValidationError> {
    if s.trim().is_empty() {
        return not_blank(s);
    }
    if listed_key(s, table, aliases).is_some() {
        return Ok(());
    }
    let t = s.trim().to_ascii_lowercase();
    let identifier = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '));
    let nearest = table
        .iter()
        .map(|(k, _)| (strsim::damerau_levenshtein(k, &t), *k))
        .min()
        .filter(|(d, k)| *d <= 3.max(k.len() / 4));
    match nearest {
        Some((_, k)) if identifier => {
            let list: Vec<String> = table
                .iter()
                .map(|(k, ja)| format!("\"{k}\"（{ja}）"))
                .collect();
            Err(fail(
                code,
                s,
                format!(
                    "もしかして \"{k}\"？ 次のいずれか（または日本語の資格名、例: \"{}\"）を書いてください: {}",
                    aliases.first().map(|(n, _)| *n).unwrap_or(""),
                    list.join("、")
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Japanese label of a key in one of the tables above.
pub fn label(table: &[(&str, &'static str)], key: &str) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or("")
}

fn digits_only(s: &str) -> Option<Vec<u32>> {
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return None;
    }
    let stripped: String = s.chars().filter(|c| *c != '-').collect();
    if stripped.is_empty() || !stripped.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(stripped.chars().filter_map(|c| c.to_digit(10)).collect())
}

/// `n` digits, with single hyphens between digits allowed (the format of the numbers).
pub fn digits_format(s: &str, n: usize) -> bool {
    digits_only(s).is_some_and(|d| d.len() == n)
}

pub fn labour_insurance_number(s: &str) -> Result<(), ValidationError> {
    match digits_only(s) {
        Some(d) if d.len() == 14 => Ok(()),
        _ => Err(fail(
            "labour_insurance_number",
            s,
            "労働保険番号は半角数字14桁で書いてください（ハイフン可。例: 14-1-01-123456-000）。"
                .into(),
        )),
    }
}

/// 法人番号の検査用数字: 9 − (Σ Pn × Qn mod 9), Pn = n-th digit from the right of the
/// 12-digit base, Qn = 1 for odd n, 2 for even n (法人番号の指定等に関する省令 第2条).
pub fn corporate_number_check_digit(base: &[u32]) -> u32 {
    let sum: u32 = base
        .iter()
        .rev()
        .enumerate()
        .map(|(i, p)| p * if (i + 1) % 2 == 1 { 1 } else { 2 })
        .sum();
    9 - sum % 9
}

pub fn corporate_number(s: &str) -> Result<(), ValidationError> {
    match digits_only(s) {
        Some(d) if d.len() == 13 => {
            let expected = corporate_number_check_digit(&d[1..]);
            if d[0] == expected {
                Ok(())
            } else {
                Err(fail(
                    "corporate_number",
                    s,
                    format!("法人番号の検査用数字（先頭の1桁）が合いません（この番号なら {expected} のはずです）。国税庁の法人番号公表サイトで番号を確かめてください。"),
                ))
            }
        }
        _ => Err(fail(
            "corporate_number",
            s,
            "法人番号は半角数字13桁で書いてください。".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corporate_number_check_digit_matches_nta_example() {
        // 7000012050002: the National Tax Agency's own corporate number.
        assert!(corporate_number("7000012050002").is_ok());
        assert!(corporate_number("8000012050002").is_err());
        assert!(corporate_number("700001205000").is_err());
    }

    #[test]
    fn formats() {
        assert!(katakana("カブシキガイシャ ローワン").is_ok());
        assert!(katakana("かぶしき").is_err());
        assert!(katakana("ｶﾌﾞｼｷ").is_err());
        assert!(postal_code("211-0021").is_ok());
        assert!(postal_code("2110021").is_err());
        assert!(phone("044-431-8661").is_ok());
        assert!(phone("044(431)8661").is_err());
        assert!(labour_insurance_number("14-1-01-123456-000").is_ok());
        assert!(labour_insurance_number("14101123456").is_err());
        assert!(date("2021-02-29").is_err());
        assert!(date("2020-02-29").is_ok());
        assert!(year_month("2019-11").is_ok());
        assert!(year_month("2019/11").is_err());
    }
}
