//! Lenient reading of values whose meaning is unambiguous: 全角 digits and ASCII,
//! 半角カナ and ひらがな in フリガナ, 和暦 dates, `2020/10/10`, postal codes without a
//! hyphen. Each function returns the canonical form, or `None` when the value cannot be
//! read this way (the validator then says what to write). Pure, no I/O.

use chrono::{Datelike, NaiveDate};

/// Earliest and latest dates a claim file may hold.
pub fn date_range() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid"),
        NaiveDate::from_ymd_opt(2099, 12, 31).expect("valid"),
    )
}

/// 全角 ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII.
pub fn fullwidth_to_ascii(s: &str) -> String {
    s.chars().map(fullwidth_char).collect()
}

pub fn fullwidth_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Whether the text has 全角 ASCII or an ideographic space.
pub fn has_fullwidth(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}'))
}

/// For number-like fields: 全角 to ASCII and dash look-alikes to `-`.
pub fn ascii_digits(s: &str) -> String {
    fullwidth_to_ascii(s)
        .chars()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | 'ー' | '\u{FF70}' => '-',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

const HALF_KANA: &str = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ";
const FULL_KANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// ひらがな and 半角カナ to 全角カタカナ (with voiced marks combined). Other characters
/// are kept as they are.
pub fn to_katakana(s: &str) -> String {
    let half: Vec<char> = HALF_KANA.chars().collect();
    let full: Vec<char> = FULL_KANA.chars().collect();
    let mut out: Vec<char> = Vec::new();
    for c in s.chars() {
        match c {
            '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ' => {
                out.push(char::from_u32(c as u32 + 0x60).unwrap_or(c))
            }
            'ﾞ' | 'ﾟ' => {
                let semi = c == 'ﾟ';
                let combined = out.last().and_then(|&p| voiced(p, semi));
                match combined {
                    Some(v) => {
                        out.pop();
                        out.push(v);
                    }
                    None => out.push(if semi { '゜' } else { '゛' }),
                }
            }
            '\u{FF61}'..='\u{FF9D}' => {
                let i = half.iter().position(|&h| h == c);
                out.push(i.and_then(|i| full.get(i).copied()).unwrap_or(c));
            }
            '\u{3000}' => out.push('　'),
            c => out.push(c),
        }
    }
    out.into_iter().collect()
}

fn voiced(c: char, semi: bool) -> Option<char> {
    if c == 'ウ' && !semi {
        return Some('ヴ');
    }
    let n = c as u32;
    let unvoiced_ka_to = matches!(
        c,
        'カ' | 'キ'
            | 'ク'
            | 'ケ'
            | 'コ'
            | 'サ'
            | 'シ'
            | 'ス'
            | 'セ'
            | 'ソ'
            | 'タ'
            | 'チ'
            | 'ツ'
            | 'テ'
            | 'ト'
    );
    let ha = matches!(c, 'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ');
    if !semi && (unvoiced_ka_to || ha) {
        char::from_u32(n + 1)
    } else if semi && ha {
        char::from_u32(n + 2)
    } else {
        None
    }
}

/// Whether a フリガナ needs [`to_katakana`].
pub fn has_hiragana_or_half_kana(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ' | '\u{FF61}'..='\u{FF9F}'))
}

/// A date as written and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub enum DateRead {
    /// Already `YYYY-MM-DD`.
    Iso(NaiveDate),
    /// Read from another unambiguous form (和暦, slashes, 全角 …).
    Normalised(NaiveDate),
    /// Looks like a date but cannot be one; the message says why (Japanese).
    Impossible(String),
    /// Not a date form this tool knows.
    Unknown,
}

struct Era {
    names: &'static [&'static str],
    start: (i32, u32, u32),
    end: Option<(i32, u32, u32)>,
    label: &'static str,
}

const ERAS: &[Era] = &[
    Era {
        names: &["令和", "R", "r", "㋿"],
        start: (2019, 5, 1),
        end: None,
        label: "令和",
    },
    Era {
        names: &["平成", "H", "h", "㍻"],
        start: (1989, 1, 8),
        end: Some((2019, 4, 30)),
        label: "平成",
    },
    Era {
        names: &["昭和", "S", "s", "㍼"],
        start: (1926, 12, 25),
        end: Some((1989, 1, 7)),
        label: "昭和",
    },
];

/// Splits "令和2年10月10日", "R2.10.10", "2020/10/10", "2020年10月10日" into an optional
/// era and up to three numbers.
fn split_date(s: &str) -> Option<(Option<&'static Era>, Vec<u32>, bool)> {
    let s = ascii_digits(s);
    let s = s.trim();
    let (era, rest) = match ERAS
        .iter()
        .flat_map(|e| e.names.iter().map(move |n| (e, *n)))
        .find(|(_, n)| s.starts_with(n))
    {
        Some((e, n)) => (Some(e), s[n.len()..].trim_start()),
        None => (None, s),
    };
    let rest = rest.replacen("元", "1", 1);
    let mut nums = Vec::new();
    let mut cur = String::new();
    let mut seps = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                nums.push(cur.parse::<u32>().ok()?);
                cur.clear();
            }
            if !matches!(c, '年' | '月' | '日' | '-' | '/' | '.' | ' ') {
                return None;
            }
            seps.push(c);
        }
    }
    if !cur.is_empty() {
        nums.push(cur.parse::<u32>().ok()?);
    }
    if nums.is_empty() {
        return None;
    }
    let kanji = seps.contains('年');
    Some((era, nums, kanji))
}

fn era_date(era: &Era, y: u32, m: u32, d: Option<u32>) -> Result<(i32, u32, u32), String> {
    if y == 0 {
        return Err(format!("{}0年はありません（元年は 1 年です）", era.label));
    }
    let year = era.start.0 + y as i32 - 1;
    let day = d.unwrap_or(1);
    let start = era.start;
    let date = (year, m, day);
    let before = (date.0, date.1, if d.is_some() { date.2 } else { 31 }) < start;
    let after = era
        .end
        .map(|end| (date.0, date.1, if d.is_some() { date.2 } else { 1 }) > end)
        .unwrap_or(false);
    if before || after {
        let span = match era.end {
            Some(e) => format!(
                "{}は {}-{:02}-{:02} から {}-{:02}-{:02} まで",
                era.label, start.0, start.1, start.2, e.0, e.1, e.2
            ),
            None => format!(
                "{}は {}-{:02}-{:02} から",
                era.label, start.0, start.1, start.2
            ),
        };
        return Err(format!(
            "{}{}年{}月{} はその元号の期間にありません（{span}）",
            era.label,
            y,
            m,
            d.map(|d| format!("{d}日")).unwrap_or_default()
        ));
    }
    Ok(date)
}

/// Reads a date written in any unambiguous form.
pub fn read_date(s: &str) -> DateRead {
    let t = s.trim();
    if t.len() == 10 {
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return DateRead::Iso(d);
        }
    }
    if t.starts_with(['-', '−', '－']) {
        return DateRead::Impossible("年に負の数は使えません".into());
    }
    let Some((era, nums, _)) = split_date(t) else {
        return DateRead::Unknown;
    };
    if nums.len() != 3 {
        return DateRead::Unknown;
    }
    let (y, m, d) = match era {
        Some(e) => match era_date(e, nums[0], nums[1], Some(nums[2])) {
            Ok(x) => x,
            Err(msg) => return DateRead::Impossible(msg),
        },
        None => {
            if !(1000..=9999).contains(&nums[0]) {
                return DateRead::Unknown;
            }
            (nums[0] as i32, nums[1], nums[2])
        }
    };
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => {
            if era.is_none()
                && t == format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
            {
                DateRead::Iso(date)
            } else {
                DateRead::Normalised(date)
            }
        }
        None => DateRead::Impossible(format!("{y}年{m}月{d}日 は暦にない日付です")),
    }
}

/// Reads a year-month (`2019-11`, `2019/11`, `令和元年11月`, `R1.11`) as `(year, month)`;
/// `changed` tells whether it was not already `YYYY-MM`.
pub fn read_year_month(s: &str) -> Option<((i32, u32), bool)> {
    let t = s.trim();
    let (era, nums, _) = split_date(t)?;
    if nums.len() != 2 {
        return None;
    }
    let (y, m) = match era {
        Some(e) => {
            let (y, m, _) = era_date(e, nums[0], nums[1], None).ok()?;
            (y, m)
        }
        None if (1000..=9999).contains(&nums[0]) => (nums[0] as i32, nums[1]),
        None => return None,
    };
    if !(1..=12).contains(&m) {
        return None;
    }
    let canonical = format!("{y:04}-{m:02}");
    Some(((y, m), canonical != t))
}

/// 〒 and 全角 stripped; 7 digits get their hyphen. `None` if it is not 7 digits.
pub fn postal_code(s: &str) -> Option<String> {
    let t = ascii_digits(s);
    let t = t.trim_start_matches('〒').trim();
    let digits: String = t.chars().filter(|c| *c != '-').collect();
    if digits.len() != 7 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hyphen_ok = !t.contains('-') || (t.len() == 8 && t.as_bytes()[3] == b'-');
    hyphen_ok.then(|| format!("{}-{}", &digits[..3], &digits[3..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(read_date("2020-10-10"), DateRead::Iso(ymd(2020, 10, 10)));
        for s in [
            "令和2年10月10日",
            "R2.10.10",
            "R02.10.10",
            "r2/10/10",
            "2020/10/10",
            "2020年10月10日",
            "２０２０－１０－１０",
            "令和２年１０月１０日",
        ] {
            assert_eq!(read_date(s), DateRead::Normalised(ymd(2020, 10, 10)), "{s}");
        }
        assert_eq!(
            read_date("H31.4.30"),
            DateRead::Normalised(ymd(2019, 4, 30))
        );
        assert_eq!(
            read_date("令和元年5月1日"),
            DateRead::Normalised(ymd(2019, 5, 1))
        );
        assert!(matches!(read_date("H31.5.1"), DateRead::Impossible(_)));
        assert!(matches!(read_date("R1.4.30"), DateRead::Impossible(_)));
        assert!(matches!(read_date("2020-02-30"), DateRead::Impossible(_)));
        assert!(matches!(read_date("-2019-11-01"), DateRead::Impossible(_)));
        assert_eq!(read_date("10/10/2020"), DateRead::Unknown);
        assert_eq!(read_date("hello"), DateRead::Unknown);
        assert_eq!(read_date("2020-10"), DateRead::Unknown);
    }

    #[test]
    fn year_months() {
        assert_eq!(read_year_month("2019-11"), Some(((2019, 11), false)));
        assert_eq!(read_year_month("2019/11"), Some(((2019, 11), true)));
        assert_eq!(read_year_month("令和元年11月"), Some(((2019, 11), true)));
        assert_eq!(read_year_month("R2.4"), Some(((2020, 4), true)));
        assert_eq!(read_year_month("2019-13"), None);
    }

    #[test]
    fn kana_and_postal() {
        assert_eq!(
            to_katakana("かぶしきがいしゃ ろーわん"),
            "カブシキガイシャ ローワン"
        );
        assert_eq!(to_katakana("ｶﾌﾞｼｷｶﾞｲｼｬ ﾛｰﾜﾝ"), "カブシキガイシャ ローワン");
        assert_eq!(to_katakana("ﾊﾟﾋﾟｳﾞ"), "パピヴ");
        assert_eq!(postal_code("2110021").as_deref(), Some("211-0021"));
        assert_eq!(postal_code("〒211-0021").as_deref(), Some("211-0021"));
        assert_eq!(postal_code("２１１－００２１").as_deref(), Some("211-0021"));
        assert_eq!(postal_code("21-10021"), None);
        assert_eq!(postal_code("211002"), None);
    }
}

/// A string read as its field declares (`x-lenient`: `year_month`, `kana`, `account_kana`,
/// `postal_code`, `digits`) when its meaning is unambiguous: the value to use and the kind of
/// reading for the notice, or `None` when it is read as written. The schema walk and the
/// interview both read through here.
pub fn declared(how: &str, text: &str) -> Option<(String, &'static str)> {
    let new = match how {
        "year_month" => read_year_month(text)
            .filter(|(_, changed)| *changed)
            .map(|((y, m), _)| (format!("{y:04}-{m:02}"), "年月は西暦の YYYY-MM")),
        k @ ("kana" | "account_kana") if has_hiragana_or_half_kana(text) => {
            let kana = to_katakana(text);
            let ok = if k == "kana" {
                crate::input::checks::is_katakana(&kana)
            } else {
                crate::input::checks::account_kana(&kana).is_ok()
            };
            ok.then_some((kana, "フリガナは全角カタカナ"))
        }
        "postal_code" if crate::input::checks::postal_code(text).is_err() => {
            postal_code(text).map(|p| (p, "郵便番号は NNN-NNNN"))
        }
        "digits"
            if has_fullwidth(text)
                || text
                    .chars()
                    .any(|c| matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}' | 'ー')) =>
        {
            Some((ascii_digits(text), "番号は半角数字とハイフン"))
        }
        _ => None,
    };
    new.filter(|(new, _)| new != text)
}
