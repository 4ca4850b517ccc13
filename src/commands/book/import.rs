//! `import FILE`: the office's client list (CSV in UTF-8 with or without BOM or CP932 as
//! Excel writes it, or an .xlsx sheet) into the book's profiles (`<client>/client.toml`).
//!
//! Every bad cell is reported at once (row, column, value, the fix, in Japanese) and
//! nothing is written unless every row is good. Re-importing updates the profiles only
//! (claims are never touched), keeps comments and other keys, and says what changed. An
//! empty cell leaves the profile's value as it is.

use super::{names, PROFILE_FILE};
use crate::input::columns::{col, Column, Kind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One bad cell (or header, or row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// Spreadsheet row (the header is row 1); `None` for the whole file.
    pub row: Option<usize>,
    /// Column letter (A, B, …) and header.
    pub column: Option<(String, String)>,
    pub value: Option<String>,
    pub message: String,
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut place = Vec::new();
        if let Some(r) = self.row {
            place.push(format!("{r}行目"));
        }
        if let Some((letter, header)) = &self.column {
            place.push(format!("{letter}列「{header}」"));
        }
        if place.is_empty() {
            place.push("ファイル全体".into());
        }
        write!(f, "{}", place.join(" "))?;
        if let Some(v) = &self.value {
            write!(f, " = {}", shorten(v))?;
        }
        write!(f, "\n    → {}", self.message)
    }
}

fn shorten(v: &str) -> String {
    // Control characters and quotes escaped; a 全角 space stays as the user typed it.
    let escaped: String = v
        .chars()
        .flat_map(|c| match c {
            c if c.is_control() || c == '"' || c == '\\' => c.escape_debug().collect::<Vec<_>>(),
            c => vec![c],
        })
        .collect();
    let s: String = escaped.chars().take(40).collect();
    if escaped.chars().count() > 40 {
        format!("\"{s}…\"")
    } else {
        format!("\"{s}\"")
    }
}

/// The file could not be imported; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub errors: Vec<CellError>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "エラー: {} に {} 件の問題があります。ブックには何も書き込んでいません。",
            self.file,
            self.errors.len()
        )?;
        for e in &self.errors {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

/// The table as read: header and rows of trimmed text cells, and how the file was decoded.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// 「UTF-8」「UTF-8（BOM付き）」「CP932（Shift_JIS）」「Excel（シート名）」.
    pub encoding: String,
}

fn file_error(file: &str, message: String) -> ImportError {
    ImportError {
        file: file.into(),
        errors: vec![CellError {
            row: None,
            column: None,
            value: None,
            message,
        }],
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), else CP932 (Shift_JIS as Excel writes it).
pub fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .ok()
            .map(|s| (s.to_string(), "UTF-8（BOM付き）"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((s.to_string(), "UTF-8"));
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    (!had_errors).then(|| (text.into_owned(), "CP932（Shift_JIS）"))
}

/// The first stated limit a CSV record (line `line`, 1-based) is over: rows, columns, a
/// cell's length. A record with no value does not count.
fn csv_limits(file: &str, line: usize, r: &csv::StringRecord) -> Option<ImportError> {
    use crate::input::limits::{CELL, LIST_COLUMNS, LIST_ROWS};
    let at = |column: Option<usize>, message: String| ImportError {
        file: file.into(),
        errors: vec![CellError {
            row: Some(line),
            column: column.map(|c| (letter(c), String::new())),
            value: None,
            message,
        }],
    };
    let last = r
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.trim().is_empty())
        .last()?
        .0;
    if LIST_ROWS.over(line as u64 - 1) {
        return Some(at(Some(last), LIST_ROWS.exceeded(None)));
    }
    if LIST_COLUMNS.over(last as u64 + 1) {
        return Some(at(Some(last), LIST_COLUMNS.exceeded(None)));
    }
    for (i, c) in r.iter().enumerate() {
        // Bytes bound characters from above: count only when it could be over.
        if CELL.over(c.len() as u64) {
            let n = c.chars().count() as u64;
            if CELL.over(n) {
                return Some(at(Some(i), CELL.exceeded(Some(n))));
            }
        }
    }
    None
}

/// Reads a CSV file's table.
pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Sheet, ImportError> {
    let (text, encoding) = decode(bytes).ok_or_else(|| {
        file_error(
            file,
            "文字コードが UTF-8 でも CP932（Shift_JIS）でもありません。Excel で「CSV UTF-8（コンマ区切り）」として保存し直してください。".into(),
        )
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        match rec {
            Ok(r) => {
                if let Some(e) = csv_limits(file, i + 1, &r) {
                    return Err(e);
                }
                records.push(r.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>())
            }
            Err(e) => {
                return Err(file_error(
                    file,
                    format!(
                    "{}行目を CSV として読めません（{e}）。引用符（\"）の対応を確かめてください。",
                    i + 1
                ),
                ))
            }
        }
    }
    sheet_from(file, records, encoding.to_string())
}

/// Reads the first sheet (or the named one) of an .xlsx workbook, bounded by the stated
/// limits (see [`super::xlsx`]).
pub fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<Sheet, ImportError> {
    let file = path.display().to_string();
    let data = super::xlsx::read(path, sheet).map_err(|e| ImportError {
        file: file.clone(),
        errors: vec![CellError {
            row: e.row,
            column: e.column.map(|c| (letter(c), String::new())),
            value: None,
            message: e.message,
        }],
    })?;
    sheet_from(
        &file,
        data.rows,
        format!("Excel（シート「{}」）", data.name),
    )
}

fn sheet_from(
    file: &str,
    mut records: Vec<Vec<String>>,
    encoding: String,
) -> Result<Sheet, ImportError> {
    // Skip leading empty lines.
    while records
        .first()
        .is_some_and(|r| r.iter().all(|c| c.is_empty()))
    {
        records.remove(0);
    }
    if records.is_empty() {
        return Err(file_error(file, "表がありません。1行目に見出し（名称、所在地 …）、2行目からクライアントを1行ずつ書いてください。".into()));
    }
    let headers = records.remove(0);
    Ok(Sheet {
        headers,
        rows: records,
        encoding,
    })
}

fn letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

fn normalize_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{FEFF}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(to_halfwidth_ascii)
        .collect::<String>()
        .to_lowercase()
}

/// The header without its notes in brackets: 「電話番号（代表）」 → 「電話番号」.
fn without_brackets(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '（' | '[' | '［' | '【' | '〔' => depth += 1,
            ')' | '）' | ']' | '］' | '】' | '〕' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn to_halfwidth_ascii(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c)
        }
        'ー' | '－' | '‐' | '―' | '−' => '-',
        _ => c,
    }
}

/// The import's own column (the client's folder), then every programme's profile columns
/// in the registry's order, one per header: the programmes that name the same header (法人番号)
/// fill each its own key from the one cell.
fn columns() -> &'static [Merged] {
    static ALL: std::sync::OnceLock<Vec<Merged>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<Merged> = vec![Merged::of(&FOLDER)];
        for c in crate::programmes::profile_columns() {
            match out.iter_mut().find(|m| m.col.header == c.header) {
                Some(m) if !m.paths.contains(&c.path) => m.paths.push(c.path),
                Some(_) => {}
                None => out.push(Merged::of(c)),
            }
        }
        out
    })
}

/// The folder column: the import's own.
static FOLDER: Column = col(
    "フォルダ",
    &["folder"],
    "",
    Kind::Text,
    "ブックの中のクライアントのフォルダ名（省略すると名称から作ります）",
);

/// A header of the list: its column, and every profile key its cell fills.
pub struct Merged {
    pub col: &'static Column,
    pub paths: Vec<&'static str>,
}

impl Merged {
    fn of(col: &'static Column) -> Merged {
        Merged {
            col,
            paths: if col.path.is_empty() {
                Vec::new()
            } else {
                vec![col.path]
            },
        }
    }
}

fn find_column(h: &str) -> Option<&'static Merged> {
    let n = normalize_header(h);
    columns().iter().find(|m| {
        normalize_header(m.col.header) == n
            || m.col.aliases.iter().any(|a| normalize_header(a) == n)
    })
}

/// The known header an unknown one most likely means (もしかして): the same once a note in
/// brackets is removed (「電話番号（代表）」), else the nearest by edit distance
/// (「代表社氏名カナ」), else the longest known name of 3 or more characters inside it
/// (「法人番号13桁」).
fn suggest(h: &str) -> Option<&'static str> {
    let n = normalize_header(h);
    let stripped = normalize_header(&without_brackets(h));
    if !stripped.is_empty() && stripped != n {
        if let Some(m) = find_column(&stripped) {
            return Some(m.col.header);
        }
    }
    let names = || {
        columns().iter().flat_map(|m| {
            std::iter::once(m.col.header)
                .chain(m.col.aliases.iter().copied())
                .map(move |a| (normalize_header(a), m.col.header))
        })
    };
    let nearest = names()
        .map(|(a, header)| (strsim::levenshtein(&a, &n), header))
        .filter(|(d, _)| *d <= 2.max(n.chars().count() / 3))
        .min()
        .map(|(_, h)| h);
    nearest.or_else(|| {
        names()
            .filter(|(a, _)| a.chars().count() >= 3 && n.contains(a.as_str()))
            .max_by_key(|(a, _)| a.chars().count())
            .map(|(_, header)| header)
    })
}

/// A client read from one row.
#[derive(Debug, Clone)]
pub struct ImportedClient {
    pub row: usize,
    pub folder: String,
    pub profile: toml::Table,
    /// What was normalised on the way in (「2行目 B列「フリガナ」 "てすと" → "テスト" …」).
    pub notes: Vec<String>,
}

fn set_path(t: &mut toml::Table, path: &str, v: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut cur = t;
    for p in parts {
        cur = cur
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .expect("profile paths are tables");
    }
    cur.insert(last.to_string(), v);
}

fn convert(kind: Kind, raw: &str) -> Result<toml::Value, String> {
    let half: String = raw.chars().map(to_halfwidth_ascii).collect();
    match kind {
        Kind::Text => Ok(raw.to_string().into()),
        Kind::Kana => Ok(crate::input::lenient::to_katakana(raw).into()),
        Kind::Code => {
            let s = half.replace(['(', ')'], "-");
            // A 7-digit postal code is written with its hyphen.
            if s.len() == 7 && s.chars().all(|c| c.is_ascii_digit()) {
                return Ok(format!("{}-{}", &s[..3], &s[3..]).into());
            }
            Ok(s.into())
        }
        Kind::Digits => Ok(half.into()),
        Kind::Int => half
            .trim_end_matches(['人', '名'])
            .replace(',', "")
            .parse::<i64>()
            .map(Into::into)
            .map_err(|_| "整数で書いてください（例: 35）。".to_string()),
        Kind::Bool => match half.to_lowercase().as_str() {
            "はい" | "true" | "yes" | "1" | "○" | "〇" | "有" | "あり" => Ok(true.into()),
            "いいえ" | "false" | "no" | "0" | "×" | "無" | "なし" => Ok(false.into()),
            _ => Err("「はい」か「いいえ」で書いてください。".into()),
        },
        Kind::Entity => match raw {
            "法人" | "corporation" => Ok("corporation".into()),
            "個人" | "個人事業" | "individual" => Ok("individual".into()),
            _ => Err("「法人」か「個人」で書いてください。".into()),
        },
        Kind::Holder => match raw {
            "法人" | "法人名義" | "corporation" => Ok("corporation".into()),
            "個人" | "個人名義" | "personal" => Ok("personal".into()),
            _ => Err("「法人」（法人名義）か「個人」（個人名義）で書いてください。".into()),
        },
    }
}

/// The value a Code cell most likely had before Excel read it as a number and dropped its
/// leading zero (postal code `600001` → `060-0001`, phone `112345678` → `0112345678`):
/// `Some` when the cell is digits only, and the same digits after a `0` are a value the
/// claim file accepts for this column.
fn lost_leading_zero(col: &Column, path: &str, raw: &str) -> Option<String> {
    if !matches!(col.kind, Kind::Code | Kind::Digits) {
        return None;
    }
    let half = crate::input::lenient::fullwidth_to_ascii(raw.trim());
    if half.is_empty() || half.starts_with('0') || !half.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let fixed = convert(col.kind, &format!("0{half}")).ok()?;
    let mut profile = toml::Table::new();
    set_path(&mut profile, path, fixed.clone());
    let fits = !crate::programmes::profile_problems(&profile, "（名簿の行）")
        .iter()
        .any(|p| p.path == path);
    fits.then(|| fixed.as_str().map(str::to_string)).flatten()
}

/// Reads every row into a profile, or every problem at once.
pub fn parse_sheet(file: &str, sheet: &Sheet) -> Result<Vec<ImportedClient>, ImportError> {
    let (clients, errors) = read_rows(sheet);
    if errors.is_empty() {
        Ok(clients)
    } else {
        Err(ImportError {
            file: file.into(),
            errors,
        })
    }
}

/// Every row read: the clients (those with a bad cell too, so that the book can be
/// checked for them as well) and every problem.
fn read_rows(sheet: &Sheet) -> (Vec<ImportedClient>, Vec<CellError>) {
    let mut errors = Vec::new();
    let mut columns: Vec<Option<&'static Merged>> = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in sheet.headers.iter().enumerate() {
        if h.trim().is_empty() {
            columns.push(None);
            continue;
        }
        match find_column(h) {
            Some(c) => {
                if let Some(first) = seen.insert(c.col.header, i) {
                    errors.push(CellError {
                        row: Some(1),
                        column: Some((letter(i), h.clone())),
                        value: None,
                        message: format!(
                            "「{}」の列が2つあります（{}列にもあります）。どちらかを消してください。",
                            c.col.header,
                            letter(first)
                        ),
                    });
                }
                columns.push(Some(c));
            }
            None => {
                let message = match suggest(h) {
                    Some(s) => format!(
                        "知らない見出しです。もしかして「{s}」？ その列なら見出しを「{s}」に直してください（使える見出しは README の「顧客名簿の列」にあります）。"
                    ),
                    None => format!(
                        "知らない見出しです。使える見出しは README の「顧客名簿の列」を見てください（{}）。",
                        self::columns()
                            .iter()
                            .map(|m| m.col.header)
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                };
                errors.push(CellError {
                    row: Some(1),
                    column: Some((letter(i), h.clone())),
                    value: None,
                    message,
                });
                columns.push(None);
            }
        }
    }
    // The columns that name a client (名称, 法人名): a list needs one of them.
    let naming: Vec<&'static Column> = self::columns()
        .iter()
        .map(|m| m.col)
        .filter(|c| c.names_client)
        .collect();
    let said = || {
        naming
            .iter()
            .map(|c| format!("「{}」", c.header))
            .collect::<Vec<_>>()
            .join("・")
    };
    if !naming.iter().any(|c| seen.contains_key(c.header)) {
        errors.push(CellError {
            row: Some(1),
            column: None,
            value: None,
            message: format!("見出しに名称の列がありません（{}のどれか）。", said()),
        });
    }
    let name_column = naming.iter().find_map(|c| seen.get(c.header).copied());
    let mut clients: Vec<ImportedClient> = Vec::new();
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    for (ri, cells) in sheet.rows.iter().enumerate() {
        let row = ri + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut profile = toml::Table::new();
        let mut folder: Option<String> = None;
        let mut name: Option<String> = None;
        let mut cell_of: BTreeMap<&str, (usize, String)> = BTreeMap::new();
        let mut notes = Vec::new();
        for (ci, raw) in cells.iter().enumerate() {
            let raw = raw.trim();
            let Some(Some(col)) = columns.get(ci) else {
                if ci >= columns.len() && !raw.is_empty() {
                    errors.push(CellError {
                        row: Some(row),
                        column: Some((letter(ci), String::new())),
                        value: Some(raw.into()),
                        message:
                            "見出しのない列に値があります。見出しを付けるか、値を消してください。"
                                .into(),
                    });
                }
                continue;
            };
            if raw.is_empty() {
                continue;
            }
            if col.paths.is_empty() {
                folder = Some(raw.to_string());
                continue;
            }
            if col.col.names_client && name.is_none() {
                name = Some(raw.to_string());
            }
            let read = match col.col.read {
                Some(read) => read(raw),
                None => convert(col.col.kind, raw),
            };
            match read {
                Ok(v) => {
                    if col.col.kind == Kind::Kana
                        && crate::input::lenient::has_hiragana_or_half_kana(raw)
                    {
                        notes.push(format!(
                            "{row}行目 {}列「{}」 {} → {}（フリガナのひらがな・半角カナを全角カタカナにしました）",
                            letter(ci),
                            sheet.headers[ci],
                            shorten(raw),
                            shorten(v.as_str().unwrap_or_default()),
                        ));
                    }
                    for path in &col.paths {
                        set_path(&mut profile, path, v.clone());
                        cell_of.insert(path, (ci, raw.to_string()));
                    }
                }
                Err(m) => errors.push(CellError {
                    row: Some(row),
                    column: Some((letter(ci), sheet.headers[ci].clone())),
                    value: Some(raw.into()),
                    message: m,
                }),
            }
        }
        if name.is_none() {
            errors.push(CellError {
                row: Some(row),
                column: name_column.map(|i| (letter(i), sheet.headers[i].clone())),
                value: None,
                message: format!(
                    "名称が空です。どのクライアントか分かるように、{}のどれかを書いてください。",
                    said()
                ),
            });
        }
        // Every value as the claim file would accept it.
        for p in crate::programmes::profile_problems(&profile, "（名簿の行）") {
            let col = self::columns()
                .iter()
                .find(|m| m.paths.contains(&p.path.as_str()));
            let (column, value) = match cell_of.get(p.path.as_str()) {
                Some((ci, raw)) => (
                    Some((letter(*ci), sheet.headers[*ci].clone())),
                    Some(raw.clone()),
                ),
                None => (None, p.value.clone()),
            };
            // The validator's message says what to write; a number Excel shortened gets
            // the number it most likely was.
            let lost_zero = col
                .zip(cell_of.get(p.path.as_str()))
                .and_then(|(m, (_, raw))| lost_leading_zero(m.col, &p.path, raw));
            let message = match lost_zero {
                Some(fixed) => format!(
                    "{}先頭の 0 が消えているようです（Excel は数字だけの値の先頭の 0 を消します）。もしかして「{fixed}」？ Excel ではその列の書式を「文字列」にしてから入力してください。",
                    p.message
                ),
                None => p.message.clone(),
            };
            errors.push(CellError {
                row: Some(row),
                column,
                value,
                message,
            });
        }
        let folder = names::safe_component(folder.as_deref().or(name.as_deref()).unwrap_or(""));
        if let Some(first) = folders.insert(folder.to_lowercase(), row) {
            errors.push(CellError {
                row: Some(row),
                column: None,
                value: Some(folder.clone()),
                message: format!("{first}行目と同じフォルダ名になります。「フォルダ」の列で別の名前を付けてください。"),
            });
        }
        clients.push(ImportedClient {
            row,
            folder,
            profile,
            notes,
        });
    }
    if clients.is_empty() && errors.is_empty() {
        errors.push(CellError {
            row: None,
            column: None,
            value: None,
            message: "クライアントの行がありません。".into(),
        });
    }
    (clients, errors)
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub encoding: String,
    pub created: Vec<String>,
    /// Client folder and each change: `establishment.address: "旧" → "新"`.
    pub updated: Vec<(String, Vec<String>)>,
    pub unchanged: Vec<String>,
    /// What was normalised on the way in, one line each.
    pub notes: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}として読みました。新規 {} 件、更新 {} 件、変更なし {} 件。",
            self.encoding,
            self.created.len(),
            self.updated.len(),
            self.unchanged.len()
        )?;
        for n in &self.notes {
            writeln!(f, "  注記: {n}")?;
        }
        for c in &self.created {
            writeln!(f, "  + {c}/{PROFILE_FILE}（新規）")?;
        }
        for (c, changes) in &self.updated {
            writeln!(f, "  ~ {c}/{PROFILE_FILE}")?;
            for ch in changes {
                writeln!(f, "      {ch}")?;
            }
        }
        Ok(())
    }
}

fn show(v: Option<&toml_edit::Item>) -> String {
    match v.and_then(|i| i.as_value()) {
        Some(v) => v.clone().decorated("", "").to_string(),
        None => "（なし）".into(),
    }
}

/// The table at `parts` below `item`, made when missing. A table is written the way its
/// parent is: a key of an inline table (`establishment = { … }`) goes inside the braces,
/// a key under a dotted key (`establishment.name = …`) is dotted too, anything else gets
/// a `[header]`. `Err` names the first key that holds a value where a table must be.
fn descend<'a>(
    item: &'a mut toml_edit::Item,
    parts: &[&str],
    at: &str,
) -> Result<&'a mut dyn toml_edit::TableLike, String> {
    use toml_edit::{InlineTable, Item, Table, Value};
    let inline = matches!(item, Item::Value(Value::InlineTable(_)));
    let dotted = match item {
        Item::Table(t) => t.is_dotted(),
        Item::Value(Value::InlineTable(t)) => t.is_dotted(),
        _ => false,
    };
    let Some(table) = item.as_table_like_mut() else {
        return Err(at.to_string());
    };
    let Some((first, rest)) = parts.split_first() else {
        return Ok(table);
    };
    if table.get(first).is_none() {
        let sub = if inline {
            Item::Value(Value::InlineTable(InlineTable::new()))
        } else {
            let mut t = Table::new();
            t.set_implicit(true);
            t.set_dotted(dotted);
            Item::Table(t)
        };
        table.insert(first, sub);
    }
    let next = table.get_mut(first).ok_or_else(|| at.to_string())?;
    let path = if at.is_empty() {
        first.to_string()
    } else {
        format!("{at}.{first}")
    };
    descend(next, rest, &path)
}

/// Puts `profile`'s values into the document in the columns' order, reporting each change.
/// Comments and keys the import does not know are kept; tables may be written with
/// headers, dotted keys or inline (`establishment = { name = "…" }`). `Err` lists the
/// keys that hold something else than the import would write (a value where a table
/// must be, or a table where a value must be): the profile is left as it is.
fn update_doc(
    doc: &mut toml_edit::DocumentMut,
    profile: &toml::Table,
) -> Result<Vec<String>, Vec<String>> {
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    for path in columns().iter().flat_map(|m| m.paths.iter()) {
        let mut parts: Vec<&str> = path.split('.').collect();
        let key = parts.pop().unwrap_or_default();
        // The new value, if the row gives one.
        let mut cur = Some(profile);
        for p in &parts {
            cur = cur.and_then(|t| t.get(*p)).and_then(|v| v.as_table());
        }
        let Some(new) = cur.and_then(|t| t.get(key)) else {
            continue;
        };
        let new_value: toml_edit::Value = match new {
            toml::Value::String(s) => s.as_str().into(),
            toml::Value::Integer(i) => (*i).into(),
            toml::Value::Boolean(b) => (*b).into(),
            toml::Value::Float(f) => (*f).into(),
            other => other.to_string().into(),
        };
        let table = match descend(doc.as_item_mut(), &parts, "") {
            Ok(t) => t,
            Err(at) => {
                problems.push(format!(
                    "{at} が表（[{at}] や {at} = {{ … }}）ではありません"
                ));
                continue;
            }
        };
        let shown = new_value.clone().decorated("", "").to_string();
        let old = show(table.get(key));
        if old == shown {
            continue;
        }
        match table.get_mut(key) {
            Some(toml_edit::Item::Value(slot)) => {
                // Keep the comment after the value.
                let decor = slot.decor().clone();
                *slot = new_value;
                *slot.decor_mut() = decor;
            }
            Some(toml_edit::Item::None) | None => {
                table.insert(key, toml_edit::Item::Value(new_value));
            }
            Some(_) => {
                problems.push(format!("{} が値ではなく表です", path));
                continue;
            }
        }
        changes.push(format!("{}: {old} → {shown}", path));
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

fn new_profile_text(profile: &toml::Table, file: &str, row: usize) -> String {
    let mut doc = toml_edit::DocumentMut::new();
    // A new document holds nothing in the way.
    let _ = update_doc(&mut doc, profile);
    format!(
        "# クライアントのプロファイル（{file} の {row}行目から作成）。申請ファイルごとに書き直す必要はありません。\n{doc}"
    )
}

/// Why an import did not happen.
#[derive(Debug)]
pub enum ImportFailure {
    /// The list (or an existing profile) is wrong: nothing was written.
    Input(ImportError),
    /// The profiles could not be written. The writer's message says what is as before
    /// (everything, unless it names what it could not put back).
    Write {
        file: String,
        error: crate::output::OutputError,
    },
}

impl From<ImportError> for ImportFailure {
    fn from(e: ImportError) -> ImportFailure {
        ImportFailure::Input(e)
    }
}

impl std::fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportFailure::Input(e) => write!(f, "{e}"),
            ImportFailure::Write { file, error } => {
                write!(f, "エラー: {file} を取り込めません。{error}")?;
                if matches!(error, crate::output::OutputError::Refused(_)) {
                    write!(f, "（フォルダ名は名簿の「フォルダ」の列で指定できます。）")?;
                }
                writeln!(f)
            }
        }
    }
}

/// One profile to write.
struct Plan {
    path: PathBuf,
    folder: String,
    text: String,
    /// `Some`: an update of an existing profile (its bytes as read, and the changes).
    old: Option<(Vec<u8>, Vec<String>)>,
}

/// Plans every client's write, and finds every problem that writing would meet without
/// writing anything: the book or a client folder's name taken by a file, a name too long
/// for the file system, an existing profile that cannot be read or updated, a folder the
/// user may not write in.
fn plan(book: &Path, label: &str, clients: &[ImportedClient]) -> (Vec<Plan>, Vec<CellError>) {
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    let whole = |message: String| CellError {
        row: None,
        column: None,
        value: None,
        message,
    };
    match nearest_existing(book) {
        Some((p, false)) => errors.push(whole(format!(
            "{} はファイルなので、ブックのフォルダを作れません。--book にフォルダを指定してください。",
            p.display()
        ))),
        Some((p, true)) if !writable(&p) => errors.push(whole(format!(
            "{} に書き込む権限がありません。権限のあるフォルダを --book に指定してください。",
            p.display()
        ))),
        _ => {}
    }
    if !errors.is_empty() {
        return (plans, errors);
    }
    for c in clients {
        let row = |message: String| CellError {
            row: Some(c.row),
            column: None,
            value: Some(c.folder.clone()),
            message,
        };
        if c.folder.len() > names::NAME_MAX_BYTES {
            errors.push(row(format!(
                "フォルダ名が {} バイトあり、ファイルシステムの上限（{} バイト）を超えます。「フォルダ」の列で短い名前を付けてください。",
                c.folder.len(),
                names::NAME_MAX_BYTES
            )));
            continue;
        }
        let dir = book.join(&c.folder);
        let claims = dir.join(super::CLAIMS_DIR);
        let path = dir.join(PROFILE_FILE);
        let mut blocked = false;
        for (p, what) in [
            (&dir, "クライアントのフォルダ"),
            (&claims, "申請ファイルのフォルダ"),
        ] {
            if std::fs::metadata(p).is_ok_and(|m| !m.is_dir()) {
                errors.push(row(format!(
                    "{} はファイルなので、{what}を作れません。「フォルダ」の列で別の名前を付けるか、そのファイルを移動してください。",
                    p.display()
                )));
                blocked = true;
                break;
            }
        }
        if blocked {
            continue;
        }
        if let Some((p, true)) = nearest_existing(&claims) {
            if !writable(&p) || (dir.is_dir() && !writable(&dir)) {
                errors.push(row(format!(
                    "{} に書き込む権限がありません。",
                    if writable(&p) { &dir } else { &p }.display()
                )));
                continue;
            }
        }
        match std::fs::symlink_metadata(&path) {
            Err(_) => plans.push(Plan {
                path,
                folder: c.folder.clone(),
                text: new_profile_text(&c.profile, label, c.row),
                old: None,
            }),
            Ok(m) if !m.is_file() && !path.is_file() => errors.push(row(format!(
                "{} がファイルではないため、プロファイルを書けません。移動してから、もう一度実行してください。",
                path.display()
            ))),
            Ok(_) => match read_profile(&path) {
                Err(why) => errors.push(row(format!(
                    "既存の {} を{why}ため更新できません。直してから、もう一度実行してください。",
                    path.display()
                ))),
                Ok((bytes, mut doc)) => match update_doc(&mut doc, &c.profile) {
                    Ok(changes) => plans.push(Plan {
                        path,
                        folder: c.folder.clone(),
                        text: doc.to_string(),
                        old: Some((bytes, changes)),
                    }),
                    Err(mut why) => {
                        why.dedup();
                        errors.push(row(format!(
                            "既存の {} で、{}。名簿の値を書き込めないため、そのファイルを直してから、もう一度実行してください。",
                            path.display(),
                            why.join("。")
                        )))
                    }
                },
            },
        }
    }
    (plans, errors)
}

/// An existing client.toml, its bytes as read (the writer replaces it only if they are
/// still there) and as an editable document; `Err` says why not (「…読めない」).
fn read_profile(path: &Path) -> Result<(Vec<u8>, toml_edit::DocumentMut), String> {
    let bytes = crate::input::limits::read_file(path, crate::input::limits::FACTS_FILE).map_err(
        |e| match e {
            crate::input::limits::ReadError::Io(e) => format!("読めない（{e}）"),
            too_large => format!("読まない（{too_large}）"),
        },
    )?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| "UTF-8 のテキストとして読めない".to_string())?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let doc = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| format!("TOML として読めない（{}）", e.message().trim()))?;
    Ok((bytes, doc))
}

/// The path itself or its nearest ancestor that exists, and whether it is a directory.
fn nearest_existing(path: &Path) -> Option<(PathBuf, bool)> {
    let mut p = path;
    loop {
        if let Ok(m) = std::fs::metadata(p) {
            return Some((p.to_path_buf(), m.is_dir()));
        }
        p = match p.parent()? {
            q if q.as_os_str().is_empty() => Path::new("."),
            q => q,
        };
    }
}

/// Whether this process may create files in `dir` (always true where it cannot be told).
fn writable(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return true;
        };
        // SAFETY: `c` is a valid NUL-terminated path; access(2) only reads it.
        unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        true
    }
}

/// Reads `file` and creates or updates the profiles under `book`, all or nothing: every
/// new or updated client.toml is computed first, then written by one [`crate::output::Batch`]
/// (staged, then put in place; undone on any failure or Ctrl-C). With `dry_run` nothing is
/// written, but the paths are checked as the real run would.
pub fn import(
    file: &Path,
    book: &Path,
    sheet: Option<&str>,
    dry_run: bool,
) -> Result<ImportReport, ImportFailure> {
    let label = file.display().to_string();
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let table = match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(file, sheet)?,
        "xls" | "ods" | "numbers" => {
            return Err(file_error(
                &label,
                format!(
                    ".{ext} の形式は読みません。Excel か表計算ソフトで .xlsx か CSV（UTF-8）として保存し直してください。"
                ),
            )
            .into())
        }
        _ => {
            let bytes = crate::input::limits::read_file(file, crate::input::limits::LIST_FILE)
                .map_err(|e| file_error(&label, e.to_string()))?;
            read_csv(&label, &bytes)?
        }
    };
    // Every problem the writing would meet is found here, before anything is written, and
    // the same with --dry-run.
    let (clients, mut errors) = read_rows(&table);
    let (plans, problems) = plan(book, &label, &clients);
    errors.extend(problems);
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(ImportError {
            file: label,
            errors,
        }
        .into());
    }
    let mut report = ImportReport {
        encoding: table.encoding.clone(),
        notes: clients.iter().flat_map(|c| c.notes.clone()).collect(),
        ..Default::default()
    };
    let mut batch = crate::output::Batch::new(false);
    for p in plans {
        let dir = p.path.parent().expect("profile has a folder").to_path_buf();
        match p.old {
            Some((_, ch)) if ch.is_empty() => {
                report.unchanged.push(p.folder);
            }
            Some((old, ch)) => {
                report.updated.push((p.folder, ch));
                batch.dir(dir.join(super::CLAIMS_DIR));
                batch.edit(&p.path, old, p.text);
            }
            None => {
                report.created.push(p.folder);
                batch.dir(dir.join(super::CLAIMS_DIR));
                batch.file(&p.path, p.text);
            }
        }
    }
    let written = if dry_run {
        batch.preflight()
    } else {
        batch.commit().map(|_| ())
    };
    written.map_err(|error| ImportFailure::Write { file: label, error })?;
    Ok(report)
}
