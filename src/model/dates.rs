//! Calendar helpers: year-months, month arithmetic, and 和暦 (Japanese era) formatting.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month, e.g. 2019-11 (令和元年11月).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses "YYYY-MM".
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        YearMonth::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// Months since year 0, for arithmetic.
    fn index(self) -> i64 {
        self.year as i64 * 12 + (self.month as i64 - 1)
    }

    fn from_index(i: i64) -> Self {
        YearMonth {
            year: i.div_euclid(12) as i32,
            month: (i.rem_euclid(12) + 1) as u32,
        }
    }

    pub fn add_months(self, n: i64) -> Self {
        Self::from_index(self.index() + n)
    }

    /// Number of months from `self` to `other` inclusive (2019-11..2020-04 = 6).
    pub fn months_through(self, other: YearMonth) -> i64 {
        other.index() - self.index() + 1
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid year-month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.add_months(1)
            .first_day()
            .pred_opt()
            .expect("date in range")
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        YearMonth::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("expected YYYY-MM, got {s:?}")))
    }
}

/// Japanese eras, newest first: (name, first day).
/// Source: 元号を改める政令 (平成31年政令第143号: 令和 from 2019-05-01) and
/// 元号を改める政令 (昭和64年政令第1号: 平成 from 1989-01-08).
const ERAS: [(&str, (i32, u32, u32)); 3] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
];

/// The era and era-year of a date: 2019-05-01 → ("令和", 1).
pub fn era_of(date: NaiveDate) -> Option<(&'static str, i32)> {
    ERAS.iter().find_map(|&(name, (y, m, d))| {
        let start = NaiveDate::from_ymd_opt(y, m, d)?;
        (date >= start).then(|| (name, date.year() - y + 1))
    })
}

fn era_year(name: &str, year: i32) -> String {
    if year == 1 {
        format!("{name}元年")
    } else {
        format!("{name}{year}年")
    }
}

/// 2019-05-01 → 「令和元年5月1日」; falls back to ISO for dates before 昭和.
/// How every output says that an edition no longer accepts applications: 「この版の申請受付は
/// 令和3年9月30日 で終了しています（確認日 令和8年12月2日）。」. `last` is the last day (or
/// moment) as shown; no space is put after a closing bracket (「…（申請書のアップロード期限）で」).
pub fn closed_edition(last: &str, today: NaiveDate) -> String {
    let gap = if last.ends_with('）') { "" } else { " " };
    format!(
        "この版の申請受付は {last}{gap}で終了しています（確認日 {}）。",
        wareki(today)
    )
}

pub fn wareki(date: NaiveDate) -> String {
    match era_of(date) {
        Some((name, y)) => format!("{}{}月{}日", era_year(name, y), date.month(), date.day()),
        None => date.format("%Y-%m-%d").to_string(),
    }
}

/// A month in 和暦: 2019-11 → 「令和元年11月」 (the era of the month's first day;
/// 2019-05 is 令和元年5月, 2019-04 is 平成31年4月).
pub fn wareki_month(ym: YearMonth) -> String {
    match era_of(ym.first_day()) {
        Some((name, y)) => format!("{}{}月", era_year(name, y), ym.month),
        None => ym.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn wareki_era_boundaries() {
        assert_eq!(wareki(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(wareki(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(wareki(d(2020, 1, 1)), "令和2年1月1日");
        assert_eq!(wareki(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(wareki(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(wareki(d(2018, 4, 1)), "平成30年4月1日");
    }

    #[test]
    fn wareki_months() {
        assert_eq!(
            wareki_month(YearMonth::new(2019, 11).unwrap()),
            "令和元年11月"
        );
        assert_eq!(
            wareki_month(YearMonth::new(2019, 4).unwrap()),
            "平成31年4月"
        );
    }

    #[test]
    fn month_arithmetic() {
        let nov = YearMonth::parse("2019-11").unwrap();
        let apr = YearMonth::parse("2020-04").unwrap();
        assert_eq!(nov.months_through(apr), 6);
        assert_eq!(apr.add_months(1).to_string(), "2020-05");
        assert_eq!(apr.add_months(6).last_day(), d(2020, 10, 31));
        assert_eq!(
            YearMonth::parse("2020-02").unwrap().last_day(),
            d(2020, 2, 29)
        );
        assert_eq!(YearMonth::parse("2019-13"), None);
        assert_eq!(YearMonth::parse("2019-1"), None);
    }
}
