//! What would change the outcome of a finding that does not pass: the fact to supply
//! (unknown), or the boundary that was crossed (fail), computed from the edition's numbers,
//! the claim's facts and the check date by the hint beside the rule in its grant's folder.
//! Each hint is a [`Change`]: a sentence (「労働者数（establishment.workers）が49名以下なら
//! 適合」) and the facts it proposes as data, so a test can apply it and see the finding
//! turn. A hint never proposes a day already past on the check date: where the window has
//! closed, it proposes the period that would open it again, or says plainly that nothing
//! can (the edition's acceptance is over). Fields are named by the interview's label with
//! the key in brackets ([`field`]).

use super::change::{Change, Fact};
use super::explain_data;
use super::model::Claim;
use super::questions;
use super::windows::Window;
use crate::model::dates::wareki;
use crate::model::findings::{Finding, Outcome};
use chrono::NaiveDate;

/// What a hint says in the usual words.
impl Change {
    /// 「`<field>`が`<value>`なら適合」: one fact set to one value, said in the usual words.
    pub fn to(key: &str, value: impl Into<Fact>) -> Change {
        let v = value.into();
        let text = format!("{}が{}なら適合", field(key), v.said());
        Change::set(key, v, text)
    }
}

/// The interview's label of a claim-file key, as a noun phrase (「契約に…条項があるか」),
/// from the questions of `new` (the house's and every grant's). A list entry's field
/// (`section.list[0].date`) is its field's label and the entry's number.
pub fn label(key: &str) -> Option<String> {
    let (base, index, rest) = match key.split_once('[') {
        Some((b, tail)) => {
            let (i, after) = tail.split_once(']')?;
            (
                b,
                i.parse::<usize>().ok(),
                after.strip_prefix('.').unwrap_or(after),
            )
        }
        None => (key, None, ""),
    };
    for g in super::grant::grants() {
        for step in questions::steps(g) {
            match step {
                questions::Step::Ask(q) if index.is_none() && q.key == base => {
                    return Some(noun(q.label));
                }
                questions::Step::List {
                    key: lk,
                    label,
                    fields,
                    ..
                } if lk == base => {
                    let Some(i) = index else {
                        return Some(noun(label));
                    };
                    let f = fields.iter().find(|f| f.key == rest)?;
                    return Some(format!("{}件目の{}", i + 1, noun(f.label)));
                }
                _ => {}
            }
        }
    }
    None
}

/// A question of the interview as the name of a field: the example, the keyboard hint
/// and the form's box in brackets dropped, the question's ending made a noun clause (〜ますか → 〜るか), the
/// number of a numbered declaration dropped.
fn noun(label: &str) -> String {
    let mut s = label.trim().to_string();
    while let Some(i) = s.rfind('（') {
        let tail = &s[i..];
        let drop = tail.ends_with('）')
            && ["例:", "Enter", "空のまま", "様式第"]
                .iter()
                .any(|w| tail.contains(w));
        if !drop {
            break;
        }
        s.truncate(i);
    }
    // 「AですかBですか」: a choice, named 「AかBか」.
    let s = s.trim_end().replace("ですか、", "か");
    const ENDINGS: &[(&str, &str)] = &[
        ("されていますか", "されているか"),
        ("ありませんか", "ないか"),
        ("しましたか", "したか"),
        ("ありますか", "あるか"),
        ("いますか", "いるか"),
        ("しますか", "するか"),
        ("ですか", "か"),
    ];
    // A note in brackets after the question (「…ありませんか（自動更新など）」) stays after it.
    let (body, note) = match s.rfind('（') {
        Some(i) if s.ends_with('）') => (&s[..i], &s[i..]),
        _ => (s.as_str(), ""),
    };
    let mut out = s.clone();
    for (q, n) in ENDINGS {
        if let Some(stem) = body.strip_suffix(q) {
            out = format!("{stem}{n}{note}");
            break;
        }
    }
    // 「1 前年度より前の…」: the declaration's number belongs to the form, not the field.
    match out.split_once(' ') {
        Some((n, rest))
            if !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && !rest.starts_with('が') =>
        {
            rest.to_string()
        }
        _ => out,
    }
}

/// A field as a hint names it: 「労働者数（establishment.workers）」; the key alone only
/// when the interview has no label for it.
pub fn field(key: &str) -> String {
    match label(key) {
        Some(l) => format!("{l}（{key}）"),
        None => format!("（{key}）"),
    }
}

/// A claim-file value by dotted path (`establishment.workers`), if the table gives it.
pub fn lookup<'a>(raw: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut cur = raw.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_table()?.get(p)?;
    }
    Some(cur)
}

/// Sets a change's facts in a claim file's table (tables made as needed; a list entry
/// `list[0]` must exist). The test that a change turns its finding applies it this way.
pub fn apply(raw: &mut toml::Table, sets: &[(String, toml::Value)]) -> Result<(), String> {
    for (key, value) in sets {
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts.pop().ok_or_else(|| format!("empty key {key}"))?;
        let mut t: &mut toml::Table = raw;
        for p in parts {
            let (name, index) = match p.split_once('[') {
                Some((n, i)) => (
                    n,
                    Some(
                        i.trim_end_matches(']')
                            .parse::<usize>()
                            .map_err(|_| format!("bad index in {key}"))?,
                    ),
                ),
                None => (p, None),
            };
            let v = t
                .entry(name.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let v = match index {
                Some(i) => v
                    .as_array_mut()
                    .and_then(|a| a.get_mut(i))
                    .ok_or_else(|| format!("no entry {p} in {key}"))?,
                None => v,
            };
            t = v
                .as_table_mut()
                .ok_or_else(|| format!("{p} is not a table in {key}"))?;
        }
        t.insert(last.to_string(), value.clone());
    }
    Ok(())
}

/// The hints for one finding, checked on `today`, with the facts each proposes. Empty for
/// a pass, and for an outcome nothing can change (e.g. the guide's note that acceptance
/// may close early). `gives` says whether the facts give a value at a dotted path.
pub fn proposals(
    claim: &Claim,
    gives: &dyn Fn(&str) -> bool,
    f: &Finding,
    today: NaiveDate,
) -> Vec<Change> {
    if f.outcome == Outcome::Pass {
        return Vec::new();
    }
    let text = explain_data::for_edition(claim.edition).and_then(|d| d.rule(&f.rule));
    if f.outcome == Outcome::Unknown {
        let missing: Vec<Change> = text
            .map(|t| {
                let unwritten: Vec<&String> = t.facts.iter().filter(|k| !gives(k)).collect();
                let named: Vec<&&String> = unwritten
                    .iter()
                    .filter(|k| f.message.contains(k.rsplit('.').next().unwrap_or(k)))
                    .collect();
                // Its whole table missing (「[declarations] が…」): the rule's first fact.
                let keys: Vec<&String> = if named.is_empty() {
                    unwritten
                        .iter()
                        .filter(|k| {
                            f.message
                                .contains(&format!("[{}]", k.split('.').next().unwrap_or(k)))
                        })
                        .take(1)
                        .copied()
                        .collect()
                } else {
                    named.into_iter().copied().collect()
                };
                keys.into_iter()
                    .map(|k| Change::say(format!("{}を書けば判定できます", field(k))))
                    .collect()
            })
            .unwrap_or_default();
        if !missing.is_empty() {
            return missing;
        }
        return vec![Change::say(format!(
            "不足している事実を書けば判定できます（{}）",
            f.message
        ))];
    }
    let computed = claim.grant.hint(claim, f, today);
    if !computed.is_empty() {
        return computed;
    }
    // A warning is advice: what would change it is said only by a hint of its own.
    match (f.outcome, text.and_then(|t| t.change.clone())) {
        (o, Some(c)) if o != Outcome::Warning => vec![Change::say(c)],
        _ => Vec::new(),
    }
}

/// The hints' sentences for one finding, checked on `today` (report, interview).
pub fn changes(
    claim: &Claim,
    gives: &dyn Fn(&str) -> bool,
    f: &Finding,
    today: NaiveDate,
) -> Vec<String> {
    proposals(claim, gives, f, today)
        .into_iter()
        .map(|c| c.text)
        .collect()
}

/// A boundary day named without a day already past: 2018-04-01 → 「平成30年度」 (the
/// fiscal year it opens), any other day in 和暦.
pub fn fiscal_year(d: NaiveDate) -> String {
    use chrono::Datelike;
    let w = wareki(d);
    if d.month() == 4 && d.day() == 1 {
        if let Some(i) = w.find('年') {
            return format!("{}年度", &w[..i]);
        }
    }
    w
}

/// The edition no longer takes applications on `today`: said plainly, with no day in it
/// that is already past. `None` while it still does.
pub fn acceptance_over(c: &Claim, today: NaiveDate) -> Option<Change> {
    (today > c.edition.application.closes.value).then(|| {
        Change::say(format!(
            "{}の申請受付は終了しています（確認日 {}）。申請日や対象期間を変えても、この版では申請できません",
            c.edition.edition_name,
            wareki(today)
        ))
    })
}

/// The application days of `w` still open on `today` (within the edition's acceptance).
pub fn open_days(c: &Claim, w: Window, today: NaiveDate) -> Option<Window> {
    let from = w.from.max(today).max(c.edition.application.opens.value);
    let to = w.to.min(c.edition.application.closes.value);
    (from <= to).then_some(Window { from, to })
}

/// The application date inside `w`, proposed as the first day of it not yet past:
/// `None` when the date is inside already, or when no day of it is left on `today`.
pub fn application_date_in(c: &Claim, w: Window, today: NaiveDate) -> Option<Change> {
    if w.contains(c.application_date) {
        return None;
    }
    let open = open_days(c, w, today)?;
    let key = "claim.application_date";
    Some(Change::set(
        key,
        open.from,
        format!(
            "{}を{}～{}の間にすれば期間内",
            field(key),
            wareki(open.from),
            wareki(open.to)
        ),
    ))
}

/// The application date against the claim's window, checked on `today`: the days still
/// open; or that the edition's acceptance is over; or `None` when the date is inside, or
/// the window is gone for this claim (its grant's hint says what to change instead).
pub fn window_hint(c: &Claim, today: NaiveDate) -> Option<Change> {
    let w = c.grant.window(c)?;
    if w.contains(c.application_date) {
        return None;
    }
    if let Some(over) = acceptance_over(c, today) {
        return Some(over);
    }
    application_date_in(c, w, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dates::YearMonth;

    #[test]
    fn a_question_names_its_field() {
        assert_eq!(
            noun("契約に、労働者が直接健康相談できる環境を整備する条項がありますか"),
            "契約に、労働者が直接健康相談できる環境を整備する条項があるか"
        );
        assert_eq!(
            noun("口座の名義は法人ですか、個人ですか"),
            "口座の名義は法人か個人か"
        );
        assert_eq!(
            noun("契約に期間の定めがありませんか（自動更新など）"),
            "契約に期間の定めがないか（自動更新など）"
        );
        assert_eq!(noun("申請日（郵送する日、例: 2020-10-10）"), "申請日");
        assert_eq!(
            noun("労働者への周知開始日（様式第1号 2）"),
            "労働者への周知開始日"
        );
        assert_eq!(noun("5 倒産している"), "倒産している");
        assert_eq!(
            noun("6 が「はい」の場合、その内容"),
            "6 が「はい」の場合、その内容"
        );
    }

    #[test]
    fn a_field_is_its_label_and_key() {
        assert_eq!(
            field("claim.application_date"),
            "申請日（claim.application_date）"
        );
        assert_eq!(field("no.such_key"), "（no.such_key）");
    }

    #[test]
    fn a_change_sets_its_facts_in_the_file() {
        let mut t: toml::Table = toml::from_str(
            "[claim]\nround = 3\n[s]\nlist = [{ date = 2020-01-01 }, { date = 2020-02-01 }]\n",
        )
        .unwrap();
        let d = NaiveDate::from_ymd_opt(2020, 5, 1).unwrap();
        let c = Change::set("claim.round", 1, "x")
            .and("s.list[1].date", d)
            .and("new.table.key", true);
        apply(&mut t, &c.sets).unwrap();
        assert_eq!(lookup(&t, "claim.round"), Some(&toml::Value::Integer(1)));
        assert_eq!(t["s"]["list"][1]["date"].to_string(), "2020-05-01", "{t:?}");
        assert_eq!(
            lookup(&t, "new.table.key"),
            Some(&toml::Value::Boolean(true))
        );
        assert!(apply(&mut t, &[("s.list[5].date".into(), true.into_value())]).is_err());
    }

    trait IntoValue {
        fn into_value(self) -> toml::Value;
    }
    impl IntoValue for bool {
        fn into_value(self) -> toml::Value {
            toml::Value::Boolean(self)
        }
    }

    #[test]
    fn a_fact_is_said_in_japanese() {
        assert_eq!(Fact::from(true).said(), "「はい」");
        let m = YearMonth::parse("2020-05").unwrap();
        assert_eq!(Fact::from(m).said(), "令和2年5月");
        let d = NaiveDate::from_ymd_opt(2018, 4, 1).unwrap();
        assert_eq!(Fact::from(d).said(), "平成30年4月1日");
        assert_eq!(fiscal_year(d), "平成30年度");
    }
}
