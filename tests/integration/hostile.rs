//! Hostile files (issue 13): malformed and oversized workbooks and lists, oversized claims,
//! formula-like names in the CSV, the .ics with text that needs escaping, import's checks
//! before writing, inline-table profiles, byte-capped folder names.
//!
//! Each hostile input is generated here and run by the release binary under a 1 GiB
//! address-space limit and a deadline: it must end by itself, exit 2 with a Japanese
//! message, and leave the book as it was.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/book");
/// The address space a hostile run may use.
const MEMORY: u64 = 1 << 30;
/// Generous: each run takes well under a second (see the README's figures).
const DEADLINE: Duration = Duration::from_secs(120);

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("johas-hostile-")
        .tempdir()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs the binary under [`MEMORY`] and [`DEADLINE`], with `stdin` fed when given.
fn run_bounded(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
    c.args(args)
        .env_remove("JOHAS_TODAY")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(|| {
                let lim = libc::rlimit {
                    rlim_cur: MEMORY,
                    rlim_max: MEMORY,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = c.spawn().expect("run johas-claim");
    let pid = child.id();
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            // The tool stops reading at its limit: a broken pipe here is expected.
            let _ = pipe.write_all(&bytes);
        });
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(o) => o.unwrap(),
        Err(_) => {
            #[cfg(target_os = "linux")]
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
            panic!("{args:?} did not end within {DEADLINE:?}");
        }
    }
}

/// Every file under `dir` with its bytes (the book's state).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    if !dir.exists() {
        return m;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                m.insert(p.clone(), b"<dir>".to_vec());
                stack.push(p);
            } else {
                m.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    m
}

/// A book with one client, to see that nothing is written.
fn one_client_book(root: &Path) -> PathBuf {
    let book = root.join("book");
    let dir = book.join("01-ろうあん");
    std::fs::create_dir_all(dir.join("claims")).unwrap();
    std::fs::copy(
        Path::new(EXAMPLE).join("01-ろうあん/client.toml"),
        dir.join("client.toml"),
    )
    .unwrap();
    book
}

/// `import FILE --book BOOK` under the limits: exit 2, a Japanese message containing
/// `expect`, and the book unchanged. Returns stderr.
fn refused(file: &Path, expect: &str) -> String {
    let book = file.parent().unwrap().join("book");
    if !book.exists() {
        one_client_book(file.parent().unwrap());
    }
    let before = snapshot(&book);
    let o = run_bounded(&["import", s(file), "--book", s(&book)], None);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{file:?}: {e}");
    assert!(
        e.contains(expect),
        "{file:?}: expected 「{expect}」 in:\n{e}"
    );
    assert!(e.contains("ブックには何も書き込んでいません"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert_eq!(snapshot(&book), before, "{file:?}: the book changed");
    e
}

// ------------------------------------------------------------------ workbooks

/// A zip of `parts` (deflated).
fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c><c r="B1" t="inlineStr"><is><t>所在地</t></is></c></row>"#;

/// The parts of a workbook with one sheet 「名簿」 holding `sheet_data` (the inside of
/// `<sheetData>`), and `shared` as its shared-string part when given.
fn workbook_parts(sheet_data: &str, shared: Option<&str>) -> Vec<(&'static str, Vec<u8>)> {
    let mut parts = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名簿" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes().to_vec(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_vec(),
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml(sheet_data).into_bytes()),
    ];
    if let Some(sst) = shared {
        parts.push(("xl/sharedStrings.xml", sst.as_bytes().to_vec()));
    }
    parts
}

fn sheet_xml(sheet_data: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    )
}

fn write_xlsx(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_good_workbook_is_read_with_shared_strings_rich_text_and_numbers() {
    let t = tmp();
    // Shared strings with a rich-text run and a phonetic guide (Excel writes ふりがな into
    // the string table): the guide is not part of the text.
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>名称</t></si><si><r><t>(株)</t></r><r><rPr><b/></rPr><t>ろうあん&amp;商会</t></r><rPh sb="0" eb="1"><t>カブシキ</t></rPh></si><si><t xml:space="preserve"> 労働者数 </t></si></sst>"#;
    let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="inlineStr"><is><t>労働保険適用</t></is></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>35</v></c><c r="C3" t="b"><v>1</v></c></row>"#;
    let file = write_xlsx(
        t.path(),
        "list.xlsx",
        &zip_of(&workbook_parts(data, Some(sst))),
    );
    let book = t.path().join("book");
    let o = run_bounded(&["import", s(&file), "--book", s(&book)], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("Excel（シート「名簿」）"), "{}", out(&o));
    let profile: toml::Table = toml::from_str(
        &std::fs::read_to_string(book.join("(株)ろうあん&商会/client.toml")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        profile["establishment"]["name"].as_str(),
        Some("(株)ろうあん&商会")
    );
    assert_eq!(profile["establishment"]["workers"].as_integer(), Some(35));
    assert_eq!(profile["labour_insurance"]["covered"].as_bool(), Some(true));
}

#[test]
fn a_forged_shared_string_count_is_not_trusted() {
    let t = tmp();
    // The count says four billion; two strings follow. Nothing is sized by the count.
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4294967295" uniqueCount="4294967295"><si><t>名称</t></si><si><t>(株)ろうあん</t></si></sst>"#;
    let good = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>"#;
    let file = write_xlsx(
        t.path(),
        "forged-count.xlsx",
        &zip_of(&workbook_parts(good, Some(sst))),
    );
    let o = run_bounded(
        &[
            "import",
            s(&file),
            "--book",
            s(&t.path().join("new")),
            "--dry-run",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // A cell that points past the strings there are.
    let bad = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>4294967294</v></c></row>"#;
    let file = write_xlsx(
        t.path(),
        "forged-index.xlsx",
        &zip_of(&workbook_parts(bad, Some(sst))),
    );
    let e = refused(
        &file,
        "共有文字列の 4294967294 番を指していますが、2 個しかありません",
    );
    assert!(e.contains("2行目 A列"), "{e}");
}

#[test]
fn a_far_cell_stops_the_reading_at_the_row_or_column_limit() {
    let t = tmp();
    let data = format!(
        r#"{HEADER_ROW}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let file = write_xlsx(t.path(), "far.xlsx", &zip_of(&workbook_parts(&data, None)));
    let e = refused(&file, "顧客名簿の行数の上限（10,000行）を超えています");
    assert!(e.contains("1048576行目 XFD列"), "{e}");
    let data = format!(
        r#"{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let file = write_xlsx(t.path(), "wide.xlsx", &zip_of(&workbook_parts(&data, None)));
    refused(&file, "顧客名簿の列数の上限（100列）を超えています");
    // A styled cell without a value far away is only formatting: not a row.
    let data = format!(
        r#"<dimension ref="A1:XFD1048576"/>{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>(株)ろうあん</t></is></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>"#
    );
    let file = write_xlsx(
        t.path(),
        "styled.xlsx",
        &zip_of(&workbook_parts(&data, None)),
    );
    let o = run_bounded(
        &[
            "import",
            s(&file),
            "--book",
            s(&t.path().join("new")),
            "--dry-run",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn a_huge_cell_and_a_long_shared_string_repeated() {
    let t = tmp();
    // 20 million characters in one cell (a 20 KB file).
    let data = format!(
        r#"{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "あ".repeat(20_000_000)
    );
    let file = write_xlsx(t.path(), "huge.xlsx", &zip_of(&workbook_parts(&data, None)));
    assert!(std::fs::metadata(&file).unwrap().len() < 1_000_000);
    let e = refused(
        &file,
        "名簿の1つのセルの文字数の上限（1,000文字）を超えています",
    );
    assert!(e.contains("2行目 A列"), "{e}");
    // One 900-character string referenced by 100,000 cells: 270 MB of text from a small file.
    let sst = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>名称</t></si><si><t>{}</t></si></sst>"#,
        "あ".repeat(900)
    );
    let mut rows = String::from(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    for r in 2..=9_000 {
        rows.push_str(&format!(r#"<row r="{r}">"#));
        for c in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"] {
            rows.push_str(&format!(r#"<c r="{c}{r}" t="s"><v>1</v></c>"#));
        }
        rows.push_str("</row>");
    }
    let file = write_xlsx(
        t.path(),
        "repeated.xlsx",
        &zip_of(&workbook_parts(&rows, Some(&sst))),
    );
    assert!(std::fs::metadata(&file).unwrap().len() < 2_000_000);
    refused(
        &file,
        "名簿のセルの文字の合計の上限（16 MiB）を超えています",
    );
}

#[test]
fn many_rows_stop_at_the_row_limit() {
    let t = tmp();
    // 3 million rows with a value each, without row numbers (each row follows the one
    // before): a small file after compression.
    let mut data = String::from(HEADER_ROW);
    data.push_str(&r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#.repeat(3_000_000));
    let file = write_xlsx(t.path(), "rows.xlsx", &zip_of(&workbook_parts(&data, None)));
    drop(data);
    assert!(std::fs::metadata(&file).unwrap().len() < 1_000_000);
    // The sheet's XML (147 MB) is over the part limit: refused before it is decompressed.
    refused(&file, "xl/worksheets/sheet1.xml: Excel ファイルの中の1つの部分（展開後）の大きさの上限（64 MiB）を超えています");
    // 20,000 rows: a small part, stopped at the first row over the limit.
    let mut data = String::from(HEADER_ROW);
    data.push_str(&r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#.repeat(20_000));
    let file = write_xlsx(
        t.path(),
        "rows2.xlsx",
        &zip_of(&workbook_parts(&data, None)),
    );
    let e = refused(&file, "顧客名簿の行数の上限（10,000行）を超えています");
    assert!(e.contains("10002行目 A列"), "{e}");
}

#[test]
fn zip_bombs_are_refused_before_and_while_decompressing() {
    let t = tmp();
    // 200 MB of spaces inside the sheet: the zip says so, refused before decompressing.
    let mut data = String::from(HEADER_ROW);
    data.push_str(&" ".repeat(200 << 20));
    let honest = zip_of(&workbook_parts(&data, None));
    drop(data);
    let file = write_xlsx(t.path(), "bomb.xlsx", &honest);
    refused(
        &file,
        "Excel ファイルの中の1つの部分（展開後）の大きさの上限（64 MiB）を超えています（209.7 MB）",
    );
    // The same with the declared size forged small (local header and central directory):
    // the decompressed bytes are counted.
    let name = b"xl/worksheets/sheet1.xml";
    let mut forged = honest.clone();
    let mut patched = 0;
    let mut i = 0;
    while i + 4 <= forged.len() {
        let (sig, size_at, name_len_at, name_at) = match &forged[i..i + 4] {
            b"PK\x03\x04" => (true, i + 22, i + 26, i + 30),
            b"PK\x01\x02" => (true, i + 24, i + 28, i + 46),
            _ => (false, 0, 0, 0),
        };
        if sig && name_at + name.len() <= forged.len() {
            let len = u16::from_le_bytes([forged[name_len_at], forged[name_len_at + 1]]);
            if len as usize == name.len() && &forged[name_at..name_at + name.len()] == name {
                let size = u32::from_le_bytes(forged[size_at..size_at + 4].try_into().unwrap());
                if size != u32::MAX {
                    forged[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
                    patched += 1;
                }
                // zip64: the extra field holds the size (large_file(true) writes one).
                let extra_len_at = if &forged[i..i + 4] == b"PK\x03\x04" {
                    i + 28
                } else {
                    i + 30
                };
                let extra_len =
                    u16::from_le_bytes([forged[extra_len_at], forged[extra_len_at + 1]]) as usize;
                let mut e = name_at + name.len();
                let end = e + extra_len;
                while e + 4 <= end {
                    let id = u16::from_le_bytes([forged[e], forged[e + 1]]);
                    let n = u16::from_le_bytes([forged[e + 2], forged[e + 3]]) as usize;
                    if id == 1 && n >= 8 {
                        forged[e + 4..e + 12].copy_from_slice(&1000u64.to_le_bytes());
                        patched += 1;
                    }
                    e += 4 + n;
                }
            }
        }
        i += 1;
    }
    assert!(patched >= 2, "sizes patched: {patched}");
    let file = write_xlsx(t.path(), "forged-size.xlsx", &forged);
    let e = refused(&file, "エラー:");
    assert!(
        e.contains("上限（64 MiB）") || e.contains("壊れています") || e.contains("読めません"),
        "{e}"
    );
    // Thousands of parts.
    let mut parts = workbook_parts(HEADER_ROW, None);
    let names: Vec<String> = (0..2_000).map(|i| format!("junk/{i}.bin")).collect();
    for n in &names {
        parts.push((Box::leak(n.clone().into_boxed_str()), vec![0]));
    }
    let file = write_xlsx(t.path(), "parts.xlsx", &zip_of(&parts));
    refused(
        &file,
        "Excel ファイルの中の部分の数の上限（1,000件）を超えています",
    );
}

#[test]
fn not_a_workbook() {
    let t = tmp();
    let file = write_xlsx(t.path(), "text.xlsx", "名称\n(株)ろうあん\n".as_bytes());
    refused(&file, "Excel ファイル（.xlsx）ではありません");
    // An OLE2 file: a password-protected workbook or an old .xls renamed.
    let file = write_xlsx(
        t.path(),
        "ole.xlsx",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
    );
    refused(&file, "パスワード付きのブックか、Excel 97-2003 形式");
    let mut truncated = zip_of(&workbook_parts(HEADER_ROW, None));
    truncated.truncate(truncated.len() / 2);
    let file = write_xlsx(t.path(), "truncated.xlsx", &truncated);
    refused(&file, "Excel ファイルとして読めません");
    let file = write_xlsx(t.path(), "old.xls", b"whatever");
    refused(&file, ".xls の形式は読みません");
}

// ------------------------------------------------------------------ CSV lists

#[test]
fn csv_lists_over_their_limits() {
    let t = tmp();
    // Over the file limit: refused by its size, not read (a sparse file).
    let big = t.path().join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200 << 20).unwrap();
    refused(
        &big,
        "顧客名簿ファイルの大きさの上限（16 MiB）を超えています（200 MiB）",
    );
    let rows = t.path().join("rows.csv");
    let mut text = String::from("名称,所在地\n");
    for i in 0..10_001 {
        text.push_str(&format!("会社{i},東京\n"));
    }
    std::fs::write(&rows, &text).unwrap();
    let e = refused(&rows, "顧客名簿の行数の上限（10,000行）を超えています");
    assert!(e.contains("10002行目"), "{e}");
    let wide = t.path().join("wide.csv");
    std::fs::write(&wide, format!("名称\n(株)ろうあん{}x\n", ",".repeat(100))).unwrap();
    let e = refused(&wide, "顧客名簿の列数の上限（100列）を超えています");
    assert!(e.contains("2行目 CW列"), "{e}");
    let cell = t.path().join("cell.csv");
    std::fs::write(
        &cell,
        format!("名称,所在地\n(株)ろうあん,{}\n", "あ".repeat(1_001)),
    )
    .unwrap();
    let e = refused(
        &cell,
        "名簿の1つのセルの文字数の上限（1,000文字）を超えています（1,001文字）",
    );
    assert!(e.contains("2行目 B列"), "{e}");
}

// ------------------------------------------------------------------ claims

fn example_claim() -> String {
    std::fs::read_to_string(Path::new(EXAMPLE).join("../sangyoui-rouan.toml")).unwrap()
}

#[test]
fn a_200_mb_text_field_is_refused_by_its_size() {
    let t = tmp();
    let file = t.path().join("huge.toml");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        let claim = example_claim();
        let (head, tail) = claim.split_once("mechanism = \"").unwrap();
        w.write_all(head.as_bytes()).unwrap();
        w.write_all(b"mechanism = \"").unwrap();
        let chunk = "あ".repeat(1 << 16);
        for _ in 0..(200 << 20) / chunk.len() {
            w.write_all(chunk.as_bytes()).unwrap();
        }
        w.write_all(tail.as_bytes()).unwrap();
    }
    let o = run_bounded(&["check", s(&file)], None);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("申請ファイル・プロファイルの大きさの上限（1 MiB）を超えています（209."),
        "{e}"
    );
    assert!(e.contains("huge.toml"), "{e}");
    // The same on standard input: the reading stops at the limit.
    let bytes = std::fs::read(&file).unwrap();
    let o = run_bounded(&["check", "-"], Some(bytes));
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("上限（1 MiB）を超えています（1 MiBを超えたところで読むのをやめました）"),
        "{e}"
    );
}

#[test]
fn texts_lists_and_problems_over_their_limits_in_a_claim() {
    let t = tmp();
    let claim = example_claim();
    let long = claim.replacen(
        "mechanism = \"",
        &format!("mechanism = \"{}", "あ".repeat(5_001)),
        1,
    );
    let line = long
        .lines()
        .position(|l| l.starts_with("mechanism ="))
        .unwrap()
        + 1;
    let file = t.path().join("long.toml");
    std::fs::write(&file, &long).unwrap();
    let o = run_bounded(&["check", s(&file)], None);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains(&format!("long.toml:{line} sangyoui.mechanism")),
        "{e}"
    );
    assert!(
        e.contains("1つの値の文字数の上限（5,000文字）を超えています"),
        "{e}"
    );
    // A flood of syntax errors is cut at the stated number (and ends quickly).
    let file = t.path().join("flood.toml");
    std::fs::write(&file, "x=\n".repeat(300_000)).unwrap();
    let o = run_bounded(&["check", s(&file)], None);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("1つのファイルについて報告する問題の数の上限（200件）を超えています"),
        "{}",
        &e[..e.len().min(2000)]
    );
    assert!(e.lines().count() < 600, "{} lines", e.lines().count());
    // A flood of unknown keys, too.
    let keys: String = (0..80_000).map(|i| format!("k{i} = 1\n")).collect();
    let file = t.path().join("keys.toml");
    std::fs::write(&file, format!("{keys}{claim}")).unwrap();
    let o = run_bounded(&["check", s(&file)], None);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("上限（200件）までを示しました"),
        "{}",
        &e[..e.len().min(2000)]
    );
}

// ------------------------------------------------------------------ CSV injection

/// The example book with client 01 renamed.
fn book_with_name(root: &Path, name: &str) -> PathBuf {
    let book = root.join("book");
    copy_dir(Path::new(EXAMPLE), &book);
    let p = book.join("01-ろうあん/client.toml");
    let text = std::fs::read_to_string(&p).unwrap().replacen(
        "name = \"(株)ろうあん\"",
        &format!("name = {}", toml_str(name)),
        1,
    );
    std::fs::write(&p, text).unwrap();
    book
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn csv_cells_that_excel_would_run_are_neutralised() {
    for name in [
        "=HYPERLINK(\"http://example.com\",\"請求書\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-1+1",
    ] {
        let t = tmp();
        let book = book_with_name(t.path(), name);
        let csv_path = t.path().join("summary.csv");
        // After the window of ろうあん's claim closed: its days left are negative.
        let o = run_bounded(
            &[
                "check",
                s(&book),
                "--today",
                "2020-11-03",
                "--csv",
                s(&csv_path),
            ],
            None,
        );
        assert!(
            matches!(o.status.code(), Some(0..=1)),
            "{name}: {}",
            err(&o)
        );
        let bytes = std::fs::read(&csv_path).unwrap();
        let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut rdr = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        let row = records
            .iter()
            .find(|r| r[0].contains(&name[1..]))
            .unwrap_or_else(|| panic!("{name}: {body}"));
        assert_eq!(&row[0], format!("'{name}"), "{name}");
        assert_eq!(&row[9], "-3", "days left stay a number");
        // No cell anywhere starts a formula.
        for r in &records {
            for c in r.iter() {
                assert!(!c.starts_with(['=', '+', '@', '\t', '\r']), "{c}");
                if c.starts_with('-') {
                    assert!(c.parse::<i64>().is_ok(), "{c}");
                }
            }
        }
    }
}

// ------------------------------------------------------------------ .ics

fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn ics_escapes_every_text_and_folds_at_75_octets() {
    let t = tmp();
    let name = "(株)ろうあん, 本店; \\支店\\ 長い名前の会社".to_string();
    let book = book_with_name(t.path(), &name);
    let office = "ろうあん事務所\n第2課, \"川崎\"; C:\\共有\r\nend";
    std::fs::write(
        book.join("book.toml"),
        format!("office = {}\n", toml_str(office)),
    )
    .unwrap();
    let ics = t.path().join("d.ics");
    let o = run_bounded(
        &[
            "deadlines",
            s(&book),
            "--today",
            "2020-10-01",
            "--ics",
            s(&ics),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let bytes = std::fs::read(&ics).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.ends_with("\r\n"));
    for l in text.split("\r\n") {
        assert!(l.len() <= 75, "{l:?}: {} octets", l.len());
        assert!(!l.contains('\r') && !l.contains('\n'));
    }
    let cals: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .map(|c| c.unwrap())
        .collect();
    assert_eq!(cals.len(), 1);
    let cal = &cals[0];
    let expected_office = format!("{} 助成金・認定の申請期限", office.replace("\r\n", "\n"));
    for key in ["NAME", "X-WR-CALNAME"] {
        let v = cal
            .properties
            .iter()
            .find(|p| p.name == key)
            .and_then(|p| p.value.clone())
            .unwrap();
        assert_eq!(unescape(&v), expected_office, "{key}");
    }
    let summaries: Vec<String> = cal
        .events
        .iter()
        .flat_map(|e| e.properties.iter())
        .filter(|p| p.name == "SUMMARY")
        .map(|p| unescape(p.value.as_deref().unwrap()))
        .collect();
    assert!(
        summaries
            .iter()
            .any(|s| s == &format!("申請期限: {name} 産業医活動 1回目")),
        "{summaries:?}"
    );
    // Each event is whole (a broken escape would have swallowed or split properties).
    // (20 of the grants' claims, 8 of the 健康経営 answers of client 07.)
    assert_eq!(cal.events.len(), 28);
    for e in &cal.events {
        for key in [
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "DESCRIPTION",
        ] {
            assert_eq!(
                e.properties.iter().filter(|p| p.name == key).count(),
                1,
                "{key}"
            );
        }
    }
}

// ------------------------------------------------------------------ import: all problems before writing

#[test]
fn import_finds_every_problem_before_writing_in_dry_run_and_real_run() {
    let t = tmp();
    let book = t.path().join("book");
    std::fs::create_dir_all(book.join("c")).unwrap();
    std::fs::write(book.join("a"), "a file, not a folder").unwrap();
    // A profile where a table must be holds a value.
    std::fs::write(book.join("c/client.toml"), "establishment = \"x\"\n").unwrap();
    std::fs::create_dir_all(book.join("d")).unwrap();
    std::fs::write(book.join("d/claims"), "").unwrap();
    let list = t.path().join("list.csv");
    let long = "𠀋".repeat(100);
    std::fs::write(
        &list,
        format!(
            "フォルダ,名称,所在地\na,会社A,東京\nb,会社B,大阪\nc,会社C,京都\nd,会社D,奈良\nB,会社B2,神戸\n{long},会社E,札幌\n"
        ),
    )
    .unwrap();
    let before = snapshot(&book);
    let dry = run_bounded(&["import", s(&list), "--book", s(&book), "--dry-run"], None);
    let real = run_bounded(&["import", s(&list), "--book", s(&book)], None);
    assert_eq!(dry.status.code(), Some(2), "{}", err(&dry));
    assert_eq!(real.status.code(), Some(2), "{}", err(&real));
    assert_eq!(
        err(&dry),
        err(&real),
        "--dry-run finds what the real run finds"
    );
    let e = err(&real);
    assert!(e.contains("4 件の問題があります"), "{e}");
    assert!(
        e.contains("2行目") && e.contains("book/a はファイルなので"),
        "{e}"
    );
    assert!(
        e.contains("4行目") && e.contains("establishment が表"),
        "{e}"
    );
    assert!(
        e.contains("5行目") && e.contains("claims はファイルなので"),
        "{e}"
    );
    assert!(
        e.contains("6行目") && e.contains("3行目と同じフォルダ名"),
        "{e}"
    );
    assert_eq!(snapshot(&book), before);
    // Fixed: the long folder name is cut to the byte limit, everything is written.
    std::fs::remove_file(book.join("a")).unwrap();
    std::fs::write(book.join("c/client.toml"), "").unwrap();
    std::fs::remove_file(book.join("d/claims")).unwrap();
    std::fs::write(
        &list,
        format!("フォルダ,名称,所在地\na,会社A,東京\nb,会社B,大阪\nc,会社C,京都\nd,会社D,奈良\n{long},会社E,札幌\n"),
    )
    .unwrap();
    let o = run_bounded(&["import", s(&list), "--book", s(&book)], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let cut = "𠀋".repeat(60);
    assert!(book.join(&cut).join("client.toml").is_file());
}

// ------------------------------------------------------------------ re-import of inline tables

#[test]
fn reimport_updates_inline_and_dotted_profiles() {
    for (style, profile) in [
        (
            "inline",
            "# 手書き\nestablishment = { name = \"会社C\", address = \"旧住所\", representative = { name = \"旧代表\" } }\n[bank]\nbank_name = \"旧銀行\"\n",
        ),
        (
            "dotted",
            "# 手書き\nestablishment.name = \"会社C\"\nestablishment.address = \"旧住所\" # 古い\nestablishment.representative.name = \"旧代表\"\nbank.bank_name = \"旧銀行\"\n",
        ),
    ] {
        let t = tmp();
        let book = t.path().join("book");
        std::fs::create_dir_all(book.join("c/claims")).unwrap();
        std::fs::write(book.join("c/client.toml"), profile).unwrap();
        let list = t.path().join("list.csv");
        std::fs::write(
            &list,
            "フォルダ,名称,所在地,代表者氏名,代表者役職,金融機関名,電話番号\nc,会社C,新住所,新代表,代表取締役,新銀行,044-000-0000\n",
        )
        .unwrap();
        let o = run_bounded(&["import", s(&list), "--book", s(&book)], None);
        let text = out(&o);
        assert_eq!(o.status.code(), Some(0), "{style}: {}", err(&o));
        assert!(text.contains("更新 1 件"), "{style}: {text}");
        assert!(
            text.contains("establishment.address: \"旧住所\" → \"新住所\""),
            "{style}: {text}"
        );
        let written = std::fs::read_to_string(book.join("c/client.toml")).unwrap();
        assert!(written.starts_with("# 手書き\n"), "{style}: {written}");
        let v: toml::Table = toml::from_str(&written).unwrap_or_else(|e| panic!("{style}: {e}\n{written}"));
        let est = &v["establishment"];
        assert_eq!(est["address"].as_str(), Some("新住所"), "{style}");
        assert_eq!(est["representative"]["name"].as_str(), Some("新代表"));
        assert_eq!(est["representative"]["title"].as_str(), Some("代表取締役"));
        assert_eq!(est["contact"]["phone"].as_str(), Some("044-000-0000"));
        assert_eq!(v["bank"]["bank_name"].as_str(), Some("新銀行"));
        if style == "inline" {
            assert!(written.contains("establishment = {"), "{written}");
        } else {
            assert!(written.contains("# 古い"), "{written}");
            assert!(!written.contains("[establishment"), "{written}");
        }
        // Again: nothing to change.
        let o = run_bounded(&["import", s(&list), "--book", s(&book)], None);
        assert!(out(&o).contains("変更なし 1 件"), "{style}: {}", out(&o));
    }
}

// ------------------------------------------------------------------ folder names in bytes

#[test]
fn four_byte_names_fit_the_file_system_and_check_promises_the_packet() {
    let t = tmp();
    let name = "𠀋".repeat(20);
    let book = book_with_name(t.path(), &name);
    // The output folder is the client's folder in the book: named with the same characters.
    std::fs::rename(book.join("01-ろうあん"), book.join(&name)).unwrap();
    // The claim's file name: 60 four-byte characters (245 bytes with .toml); with the
    // grant and round the tool puts before it, the packet folder would be 263 bytes.
    let claims = book.join(&name).join("claims");
    let stem = "𠀋".repeat(60);
    std::fs::rename(
        claims.join("2020-産業医1回目.toml"),
        claims.join(format!("{stem}.toml")),
    )
    .unwrap();
    let client = book.join(&name);
    let o = run_bounded(&["check", s(&client), "--today", "2020-10-01"], None);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let packets = t.path().join("out");
    let o = run_bounded(
        &[
            "packet",
            s(&client),
            "-o",
            s(&packets),
            "--today",
            "2020-10-01",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let dirs: Vec<PathBuf> = std::fs::read_dir(&packets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1);
    assert_eq!(dirs[0].file_name().unwrap().to_str().unwrap(), name);
    let inner: Vec<PathBuf> = std::fs::read_dir(&dirs[0])
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(inner.len(), 1);
    let folder = inner[0].file_name().unwrap().to_str().unwrap().to_string();
    assert!(folder.len() <= 240, "{} bytes", folder.len());
    assert!(folder.starts_with("産業医活動1回目_𠀋"), "{folder}");
    assert!(std::fs::read_dir(&inner[0]).unwrap().any(|e| e
        .unwrap()
        .path()
        .extension()
        .is_some_and(|x| x == "pdf")));
}

// ------------------------------------------------------------------ the README

#[test]
fn the_readme_states_every_limit() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("## 入力の上限")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README: ## 入力の上限");
    for l in johas_claim::input::limits::ALL {
        assert!(
            section.contains(&format!("| {} |", l.shown())),
            "README does not state 「{}」 = {}",
            l.what,
            l.shown()
        );
    }
}
