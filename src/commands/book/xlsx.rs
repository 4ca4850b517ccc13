//! The first (or a named) worksheet of an .xlsx workbook, read as a bounded stream.
//!
//! A workbook is a zip of XML parts. A general spreadsheet library trusts what the parts
//! declare (a shared-string count, a sheet's dimension) and builds the whole grid in
//! memory, so a forged 5 KB file can make it allocate gigabytes or abort. This reader
//! trusts nothing it has not read:
//!
//! - every part's declared size is checked before it is decompressed, and the
//!   decompressed bytes are counted while they are read ([`limits::XLSX_PART`]);
//! - counts written in the file are never used to allocate; shared strings are kept as
//!   they are read, up to [`limits::SHARED_STRINGS`];
//! - the sheet is read row by row, and only cells with a value are kept: the reading stops
//!   at the first value beyond [`limits::LIST_ROWS`] or [`limits::LIST_COLUMNS`], a cell
//!   over [`limits::CELL`], or text over [`limits::LIST_TEXT`] in all;
//! - entity references other than XML's five are never expanded.
//!
//! Read: shared strings (rich text runs joined, phonetic guides left out), inline strings,
//! formula results, numbers (whole numbers without `.0`), booleans (はい / いいえ), error
//! values as written. Not read: styles (a date is its serial number), formulas themselves.

use crate::input::limits::{self, Limit};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// The sheet as read: its name and its rows of trimmed cell texts (row 1 first; a row or
/// cell with no value is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetData {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// Why the workbook was not read, and where when known (row 1-based, column 0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxError {
    pub row: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn whole(message: impl Into<String>) -> XlsxError {
    XlsxError {
        row: None,
        column: None,
        message: message.into(),
    }
}

const RESAVE: &str =
    "Excel で開いて「名前を付けて保存」から .xlsx で保存し直すか、CSV（UTF-8）にしてください。";

/// Reads `sheet` (or the first sheet) of the workbook at `path`.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<SheetData, XlsxError> {
    let file =
        std::fs::File::open(path).map_err(|e| whole(format!("ファイルを読めません（{e}）。")))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if limits::LIST_FILE.over(size) {
        return Err(whole(limits::LIST_FILE.exceeded(Some(size))));
    }
    let mut head = [0u8; 8];
    let mut probe = &file;
    let n = probe.read(&mut head).unwrap_or(0);
    if head[..n].starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(whole(format!(
            "パスワード付きのブックか、Excel 97-2003 形式（.xls）のファイルです。パスワードを外して {RESAVE}"
        )));
    }
    if !head[..n].starts_with(b"PK") {
        return Err(whole(format!(
            "Excel ファイル（.xlsx）ではありません。{RESAVE}"
        )));
    }
    read_from(BufReader::new(file), sheet)
}

/// [`read`] from any seekable bytes (the tests give an in-memory workbook).
pub fn read_from<R: Read + Seek>(r: R, sheet: Option<&str>) -> Result<SheetData, XlsxError> {
    let zip = zip::ZipArchive::new(r).map_err(|e| {
        whole(format!(
            "Excel ファイルとして読めません（zip として壊れています: {e}）。{RESAVE}"
        ))
    })?;
    if limits::XLSX_PARTS.over(zip.len() as u64) {
        return Err(whole(limits::XLSX_PARTS.exceeded(Some(zip.len() as u64))));
    }
    // Part names are case-insensitive (Open Packaging Conventions).
    let names: HashMap<String, String> = zip
        .file_names()
        .flatten()
        .map(|n| (n.trim_start_matches('/').to_lowercase(), n.to_string()))
        .collect();
    let mut book = Parts { zip, names };

    let workbook = book
        .relations("")?
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| r.target)
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let sheets = book.sheets(&workbook)?;
    let rels = book.relations(&workbook)?;
    let (name, rid) = match sheet {
        Some(s) => sheets
            .iter()
            .find(|(n, _)| n == s)
            .cloned()
            .ok_or_else(|| {
                whole(format!(
                    "シート「{s}」がありません（あるシート: {}）。",
                    sheets
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ))
            })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| whole("シートがありません。"))?,
    };
    let target = rels
        .iter()
        .find(|r| r.id == rid)
        .ok_or_else(|| whole(format!("シート「{name}」の中身がありません。{RESAVE}")))?;
    if !target.kind.ends_with("/worksheet") {
        return Err(whole(format!(
            "シート「{name}」は表のシートではありません（グラフなど）。--sheet で名簿のシートを指定してください。"
        )));
    }
    let sheet_part = target.target.clone();
    let shared_part = rels
        .iter()
        .find(|r| r.kind.ends_with("/sharedStrings"))
        .map(|r| r.target.clone())
        .or_else(|| {
            book.has("xl/sharedStrings.xml")
                .then(|| "xl/sharedStrings.xml".to_string())
        });
    let shared = match shared_part {
        Some(p) if book.has(&p) => book.shared_strings(&p)?,
        _ => Vec::new(),
    };
    let rows = book.sheet_rows(&sheet_part, &shared)?;
    Ok(SheetData { name, rows })
}

// ------------------------------------------------------------------ bounded parts

/// A reader that fails once more than `left` bytes come out of `inner` (a zip entry's
/// decompressed bytes): the decompression stops there.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte past the limit tells "exactly at" from "over".
        let want = (self.left + 1).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.over = true;
            return Err(std::io::Error::other("part over its limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

struct Rel {
    id: String,
    kind: String,
    /// The part's name in the zip, resolved against the source part.
    target: String,
}

struct Parts<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    /// Lower-case name → name in the zip.
    names: HashMap<String, String>,
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// `target` of a relationship of `source` (a part name), as a part name.
fn resolve(source: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = source.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

impl<R: Read + Seek> Parts<R> {
    fn has(&self, part: &str) -> bool {
        self.names.contains_key(&part.to_lowercase())
    }

    /// Streams one part through `each` (an XML reader over at most [`limits::XLSX_PART`]
    /// decompressed bytes). `Ok(None)` when the part is absent.
    fn with_part<T>(
        &mut self,
        part: &str,
        each: impl FnOnce(
            &mut Reader<BufReader<Capped<zip::read::ZipFile<'_, R>>>>,
        ) -> Result<T, XlsxError>,
    ) -> Result<Option<T>, XlsxError> {
        let Some(name) = self.names.get(&part.to_lowercase()).cloned() else {
            return Ok(None);
        };
        let entry = self.zip.by_name(&name).map_err(|e| {
            whole(format!(
                "Excel ファイルの {name} を読めません（{e}）。{RESAVE}"
            ))
        })?;
        let declared = entry.size();
        if limits::XLSX_PART.over(declared) {
            return Err(whole(format!(
                "{name}: {}",
                limits::XLSX_PART.exceeded(Some(declared))
            )));
        }
        let capped = Capped {
            inner: entry,
            left: limits::XLSX_PART.max,
            over: false,
        };
        let mut reader = Reader::from_reader(BufReader::new(capped));
        let result = each(&mut reader);
        if reader.get_ref().get_ref().over {
            return Err(whole(format!(
                "{name}: {}",
                limits::XLSX_PART.exceeded(None)
            )));
        }
        result.map(Some)
    }

    /// The relationships of `source` (`""` for the package).
    fn relations(&mut self, source: &str) -> Result<Vec<Rel>, XlsxError> {
        let rels_part = match source.rsplit_once('/') {
            Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
            None if source.is_empty() => "_rels/.rels".to_string(),
            None => format!("_rels/{source}.rels"),
        };
        let src = source.to_string();
        let rels = self.with_part(&rels_part, |r| {
            let mut out = Vec::new();
            let mut buf = Vec::new();
            loop {
                match r
                    .read_event_into(&mut buf)
                    .map_err(|e| broken(&rels_part, e))?
                {
                    Event::Start(e) | Event::Empty(e)
                        if e.local_name().as_ref() == "Relationship" =>
                    {
                        if attr(&e, "TargetMode").as_deref() == Some("External") {
                            continue;
                        }
                        if limits::XLSX_PARTS.over(out.len() as u64 + 1) {
                            return Err(whole(limits::XLSX_PARTS.exceeded(None)));
                        }
                        out.push(Rel {
                            id: attr(&e, "Id").unwrap_or_default(),
                            kind: attr(&e, "Type").unwrap_or_default(),
                            target: resolve(&src, &attr(&e, "Target").unwrap_or_default()),
                        });
                    }
                    Event::Eof => break,
                    _ => {}
                }
                buf.clear();
            }
            Ok(out)
        })?;
        Ok(rels.unwrap_or_default())
    }

    /// The sheets in the workbook's order: name and relationship id.
    fn sheets(&mut self, workbook: &str) -> Result<Vec<(String, String)>, XlsxError> {
        let sheets = self.with_part(workbook, |r| {
            let mut out = Vec::new();
            let mut buf = Vec::new();
            loop {
                match r
                    .read_event_into(&mut buf)
                    .map_err(|e| broken(workbook, e))?
                {
                    Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                        if limits::XLSX_PARTS.over(out.len() as u64 + 1) {
                            return Err(whole(limits::XLSX_PARTS.exceeded(None)));
                        }
                        out.push((
                            attr(&e, "name").unwrap_or_default(),
                            attr(&e, "id").unwrap_or_default(),
                        ));
                    }
                    Event::Eof => break,
                    _ => {}
                }
                buf.clear();
            }
            Ok(out)
        })?;
        sheets.ok_or_else(|| {
            whole(format!(
                "Excel ファイルに {workbook} がありません。{RESAVE}"
            ))
        })
    }

    /// The shared-string table, as read (never sized by the count the file declares).
    fn shared_strings(&mut self, part: &str) -> Result<Vec<String>, XlsxError> {
        let strings = self.with_part(part, |r| {
            let mut out: Vec<String> = Vec::new();
            let mut buf = Vec::new();
            let mut text = Bounded::default();
            let (mut in_si, mut in_t, mut in_phonetic) = (false, false, false);
            loop {
                match r.read_event_into(&mut buf).map_err(|e| broken(part, e))? {
                    Event::Start(e) => match e.local_name().as_ref() {
                        "si" => {
                            in_si = true;
                            text = Bounded::default();
                        }
                        "t" => in_t = true,
                        "rPh" => in_phonetic = true,
                        _ => {}
                    },
                    Event::Empty(e) if e.local_name().as_ref() == "si" => {
                        if limits::SHARED_STRINGS.over(out.len() as u64 + 1) {
                            return Err(whole(limits::SHARED_STRINGS.exceeded(None)));
                        }
                        out.push(String::new());
                    }
                    Event::End(e) => match e.local_name().as_ref() {
                        "si" => {
                            in_si = false;
                            if limits::SHARED_STRINGS.over(out.len() as u64 + 1) {
                                return Err(whole(limits::SHARED_STRINGS.exceeded(None)));
                            }
                            out.push(std::mem::take(&mut text).text);
                        }
                        "t" => in_t = false,
                        "rPh" => in_phonetic = false,
                        _ => {}
                    },
                    Event::Text(t) if in_si && in_t && !in_phonetic => {
                        text.push(&t.xml10_content())
                    }
                    Event::CData(t) if in_si && in_t && !in_phonetic => {
                        text.push(&t.xml10_content())
                    }
                    Event::GeneralRef(g) if in_si && in_t && !in_phonetic => text.push_ref(&g),
                    Event::Eof => break,
                    _ => {}
                }
                buf.clear();
            }
            Ok(out)
        })?;
        Ok(strings.unwrap_or_default())
    }

    /// The rows of the sheet part, bounded (see the module documentation).
    fn sheet_rows(&mut self, part: &str, shared: &[String]) -> Result<Vec<Vec<String>>, XlsxError> {
        let rows = self.with_part(part, |r| {
            let mut grid = Grid::default();
            let mut buf = Vec::new();
            let mut row = 0usize;
            let mut col = 0usize;
            let mut cell: Option<Cell> = None;
            let (mut in_v, mut in_is, mut in_t, mut in_phonetic) = (false, false, false, false);
            loop {
                let event = r.read_event_into(&mut buf).map_err(|e| broken(part, e))?;
                match event {
                    Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                        row = attr(&e, "r")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(row + 1);
                        col = 0;
                    }
                    Event::Start(ref e) | Event::Empty(ref e) if e.local_name().as_ref() == "c" => {
                        let (r_row, r_col) = attr(e, "r")
                            .and_then(|v| cell_ref(&v))
                            .unwrap_or((row.max(1), col + 1));
                        row = r_row;
                        col = r_col;
                        if matches!(event, Event::Start(_)) {
                            cell = Some(Cell {
                                kind: attr(e, "t").unwrap_or_default(),
                                text: Bounded::default(),
                            });
                        }
                    }
                    Event::Start(e) => match e.local_name().as_ref() {
                        "v" => in_v = true,
                        "is" => in_is = true,
                        "t" => in_t = true,
                        "rPh" => in_phonetic = true,
                        _ => {}
                    },
                    Event::End(e) => match e.local_name().as_ref() {
                        "v" => in_v = false,
                        "is" => in_is = false,
                        "t" => in_t = false,
                        "rPh" => in_phonetic = false,
                        "c" => {
                            if let Some(c) = cell.take() {
                                grid.put(row, col, c.value(shared, row, col)?)?;
                            }
                        }
                        "sheetData" => break,
                        _ => {}
                    },
                    Event::Text(t) => {
                        if let Some(c) = cell.as_mut() {
                            if in_v || (in_is && in_t && !in_phonetic) {
                                c.text.push(&t.xml10_content());
                            }
                        }
                    }
                    Event::CData(t) => {
                        if let Some(c) = cell.as_mut() {
                            if in_v || (in_is && in_t && !in_phonetic) {
                                c.text.push(&t.xml10_content());
                            }
                        }
                    }
                    Event::GeneralRef(g) => {
                        if let Some(c) = cell.as_mut() {
                            if in_v || (in_is && in_t && !in_phonetic) {
                                c.text.push_ref(&g);
                            }
                        }
                    }
                    Event::Eof => break,
                    _ => {}
                }
                buf.clear();
            }
            Ok(grid.rows)
        })?;
        rows.ok_or_else(|| whole(format!("Excel ファイルに {part} がありません。{RESAVE}")))
    }
}

fn broken(part: &str, e: quick_xml::Error) -> XlsxError {
    whole(format!(
        "Excel ファイルの {part} が壊れています（{e}）。{RESAVE}"
    ))
}

/// `B12` → (12, 2): row and column, both 1-based. `None` when not a cell reference.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0usize;
    for b in r[..letters].bytes() {
        col = col * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
    }
    let digits = &r[letters..];
    if digits.is_empty() || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let row: usize = digits.parse().ok()?;
    (row > 0).then_some((row, col))
}

/// Text collected up to one character past [`limits::CELL`] (the rest is not kept).
#[derive(Default)]
struct Bounded {
    text: String,
    chars: u64,
}

impl Bounded {
    fn push(&mut self, s: &str) {
        for c in s.chars() {
            if limits::CELL.over(self.chars) {
                return;
            }
            self.text.push(c);
            self.chars += 1;
        }
    }

    /// `&amp;` and the other four XML entities, and character references. Any other
    /// entity is kept as written (a workbook declares none).
    fn push_ref(&mut self, r: &quick_xml::events::BytesRef<'_>) {
        match r.resolve_char_ref() {
            Ok(Some(c)) => self.push(c.encode_utf8(&mut [0; 4])),
            Ok(None) => match quick_xml::escape::resolve_predefined_entity(r) {
                Some(s) => self.push(s),
                None => self.push(&format!("&{};", &**r)),
            },
            Err(_) => self.push(&format!("&{};", &**r)),
        }
    }
}

struct Cell {
    /// The `t` attribute: `s` shared string, `inlineStr`, `str` formula text, `b`
    /// boolean, `e` error, `d` date, `n` or none a number.
    kind: String,
    text: Bounded,
}

impl Cell {
    fn value(self, shared: &[String], row: usize, col: usize) -> Result<String, XlsxError> {
        let raw = self.text.text;
        let text = match self.kind.as_str() {
            "s" => {
                let i: usize = raw.trim().parse().map_err(|_| XlsxError {
                    row: Some(row),
                    column: Some(col - 1),
                    message: format!("共有文字列の番号 {raw:?} を読めません。{RESAVE}"),
                })?;
                shared.get(i).cloned().ok_or_else(|| XlsxError {
                    row: Some(row),
                    column: Some(col - 1),
                    message: format!(
                        "共有文字列の {i} 番を指していますが、{} 個しかありません（ファイルが壊れています）。{RESAVE}",
                        shared.len()
                    ),
                })?
            }
            "b" => match raw.trim() {
                "1" | "true" => "はい".to_string(),
                "0" | "false" => "いいえ".to_string(),
                _ => raw,
            },
            "" | "n" => {
                let t = raw.trim();
                match t.parse::<f64>() {
                    Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", f as i64)
                    }
                    Ok(f) if f.is_finite() => f.to_string(),
                    _ => t.to_string(),
                }
            }
            _ => raw,
        };
        Ok(text.trim().to_string())
    }
}

/// The cells with a value, in rows, bounded by the stated limits.
#[derive(Default)]
struct Grid {
    rows: Vec<Vec<String>>,
    text_bytes: u64,
}

impl Grid {
    /// Puts `value` at (row, col), both 1-based; empty values are not kept.
    fn put(&mut self, row: usize, col: usize, value: String) -> Result<(), XlsxError> {
        if value.is_empty() {
            return Ok(());
        }
        let at = |limit: &Limit, found: Option<u64>| XlsxError {
            row: Some(row),
            column: Some(col - 1),
            message: limit.exceeded(found),
        };
        // The header is row 1: LIST_ROWS clients below it.
        if limits::LIST_ROWS.over(row as u64 - 1) {
            return Err(at(&limits::LIST_ROWS, None));
        }
        if limits::LIST_COLUMNS.over(col as u64) {
            return Err(at(&limits::LIST_COLUMNS, None));
        }
        if limits::CELL.over(value.chars().count() as u64) {
            return Err(at(&limits::CELL, None));
        }
        self.text_bytes += value.len() as u64;
        if limits::LIST_TEXT.over(self.text_bytes) {
            return Err(at(&limits::LIST_TEXT, None));
        }
        if self.rows.len() < row {
            self.rows.resize_with(row, Vec::new);
        }
        let cells = &mut self.rows[row - 1];
        if cells.len() < col {
            cells.resize(col, String::new());
        }
        cells[col - 1] = value;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((1, 1)));
        assert_eq!(cell_ref("B12"), Some((12, 2)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref("1A"), None);
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("ABCD1"), None);
        assert_eq!(cell_ref("A99999999"), None);
    }

    #[test]
    fn relationship_targets() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "../docProps/app.xml"),
            "docProps/app.xml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
