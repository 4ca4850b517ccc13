//! Every input's stated limits, in one place.
//!
//! Each limit is checked before the work it protects: a file's size from its metadata
//! before it is read (and again while reading, in case it grows), a client list's rows,
//! columns and cells while they are read (the reading stops at the first one over), a
//! workbook's entries before they are decompressed. A refusal is a Japanese message that
//! names the limit, the value found and what to do; the command exits 2.
//!
//! The numbers are generous for real use (see each one's reason) and small enough that no
//! file can make the tool take more than a bounded time and amount of memory.

use std::io::Read;
use std::path::Path;

/// One stated limit: what it bounds (Japanese, for messages), the number, and its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// 「申請ファイルの大きさ」: completes 「…の上限」.
    pub what: &'static str,
    pub max: u64,
    pub unit: Unit,
    /// What to do when a file is over it (Japanese, one sentence).
    pub advice: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Chars,
    Items,
    Rows,
    Columns,
    Levels,
}

impl Limit {
    /// The limit as written in messages: 「1 MiB」「5,000文字」「10,000行」.
    pub fn shown(&self) -> String {
        self.amount(self.max)
    }

    /// An amount in this limit's unit.
    pub fn amount(&self, n: u64) -> String {
        match self.unit {
            Unit::Bytes => bytes(n),
            Unit::Chars => format!("{}文字", thousands(n)),
            Unit::Items => format!("{}件", thousands(n)),
            Unit::Rows => format!("{}行", thousands(n)),
            Unit::Columns => format!("{}列", thousands(n)),
            Unit::Levels => format!("{}段", thousands(n)),
        }
    }

    /// 「申請ファイルの大きさの上限（1 MiB）を超えています（200 MB）。…」; `found` is the
    /// amount seen (`None` when reading stopped at the limit without knowing the total).
    pub fn exceeded(&self, found: Option<u64>) -> String {
        let seen = match found {
            Some(n) => format!("（{}）", self.amount(n)),
            None => format!("（{}を超えたところで読むのをやめました）", self.shown()),
        };
        format!(
            "{}の上限（{}）を超えています{seen}。{}",
            self.what,
            self.shown(),
            self.advice
        )
    }

    pub fn over(&self, n: u64) -> bool {
        n > self.max
    }
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

// ------------------------------------------------------------------ facts (TOML / JSON)

/// A claim file, a client profile (client.toml), an answers file (`new --resume`) or a
/// claim on standard input: 1 MiB. A real claim is 2–10 KB (examples/ are 2–4 KB); the
/// largest one the forms can take (every text at its limit, every list full) stays far
/// below. Read and parsed in well under a second.
pub const FACTS_FILE: Limit = Limit {
    what: "申請ファイル・プロファイルの大きさ",
    max: MIB,
    unit: Unit::Bytes,
    advice: "申請ファイルはふつう数 KB です。指定したファイルが正しいか確かめ、長すぎる文章は短くしてください。",
};

/// One text value in a claim or profile: 5,000 characters. The longest free text the
/// forms take (様式第1号 「具体的な内容」「周知方法」, a row's 内容) is printed in its box
/// and continued on an annex page, which holds about 2,000 characters at 10.5 pt; real
/// texts are a few hundred characters. 5,000 leaves room for two full annex pages.
pub const TEXT: Limit = Limit {
    what: "1つの値の文字数",
    max: 5_000,
    unit: Unit::Chars,
    advice: "申請書の欄と別紙に収まる長さ（数百文字）に短くしてください。",
};

/// One list in a claim (equipment, guidance and improvement rows, previous claims): 2,000
/// entries. Real claims have a few (the 記載例 has 8 guidance rows; a year of weekly
/// guidance is about 50). The forms print at most 1,000 rows per table
/// (`forms::MAX_ROWS_PER_TABLE`), which `check` reports as a table it cannot print; this
/// limit is above it and only stops a file that is not a claim (a pasted log) before the
/// work it would cause.
pub const ARRAY: Limit = Limit {
    what: "1つの一覧（[[…]] の行）の件数",
    max: 2_000,
    unit: Unit::Items,
    advice: "同じ行を繰り返していないか確かめ、まとめられる行はまとめてください。",
};

/// Tables and lists inside each other: 8 levels. The deepest a claim needs is 4
/// (`section.rows[1].name`); the TOML and JSON parsers stop far deeper input (before
/// it can exhaust the stack), this names the limit in the file's own terms.
pub const NESTING: Limit = Limit {
    what: "表と配列の入れ子の深さ",
    max: 8,
    unit: Unit::Levels,
    advice: "申請ファイルの形（[表] と 項目 = 値）で書いてください。",
};

/// Problems reported for one file: 200. A file with more is not a claim file with
/// mistakes but something else (reporting each would take minutes and hide the point).
pub const PROBLEMS: Limit = Limit {
    what: "1つのファイルについて報告する問題の数",
    max: 200,
    unit: Unit::Items,
    advice: "申請ファイルとして書かれたファイルか確かめてください。最初の問題から直すと、残りの多くも消えます。",
};

/// book.toml: 64 KiB. It holds the office's name and a comment.
pub const BOOK_FILE: Limit = Limit {
    what: "book.toml の大きさ",
    max: 64 * KIB,
    unit: Unit::Bytes,
    advice: "book.toml には office = \"事務所名\" だけを書いてください。",
};

/// An output folder's manifest (`.johas-claim-manifest.json`), when read to decide what is
/// the tool's own: 1 MiB. The tool writes a few hundred bytes per file, about 3 KB per
/// packet; a larger one is not the tool's and the folder is left alone.
pub const MANIFEST: Limit = Limit {
    what: "出力フォルダの目録（.johas-claim-manifest.json）の大きさ",
    max: MIB,
    unit: Unit::Bytes,
    advice: "このツールが書いた目録ではありません。別の出力先を指定してください。",
};

/// An edition or form layout file given with `--editions DIR`: 4 MiB. The bundled ones
/// are 2–40 KB.
pub const DATA_FILE: Limit = Limit {
    what: "版・様式のデータファイルの大きさ",
    max: 4 * MIB,
    unit: Unit::Bytes,
    advice: "--editions に指定したフォルダの中身を確かめてください。",
};

// ------------------------------------------------------------------ client lists (import)

/// A client list file, CSV or .xlsx: 16 MiB. 10,000 clients with every column filled are
/// about 4.2 MB as CSV and 1.2 MB as .xlsx (measured on examples/clients.csv repeated).
pub const LIST_FILE: Limit = Limit {
    what: "顧客名簿ファイルの大きさ",
    max: 16 * MIB,
    unit: Unit::Bytes,
    advice: "名簿の列と行だけのファイルにするか、いくつかのファイルに分けて取り込んでください。",
};

/// Clients in one list: 10,000 rows (besides the header). A 社労士 office keeps a few
/// hundred to a few thousand clients.
pub const LIST_ROWS: Limit = Limit {
    what: "顧客名簿の行数",
    max: 10_000,
    unit: Unit::Rows,
    advice: "名簿をいくつかのファイルに分けて取り込んでください（空に見える行に書式や空白が残っていないかも確かめてください）。",
};

/// Columns in one list: 100. The list has 28 known columns.
pub const LIST_COLUMNS: Limit = Limit {
    what: "顧客名簿の列数",
    max: 100,
    unit: Unit::Columns,
    advice: "README の「顧客名簿の列」にある列だけを残してください。",
};

/// One cell of a list: 1,000 characters. The longest column is an address or a name,
/// each printed in one box of 様式第1号 (at most a few dozen characters).
pub const CELL: Limit = Limit {
    what: "名簿の1つのセルの文字数",
    max: 1_000,
    unit: Unit::Chars,
    advice: "セルには名称・住所などの値だけを書いてください。",
};

/// All the text read from an .xlsx sheet: 16 MiB, the same as the largest CSV (a cell may
/// repeat one long shared string many times: without this a 500 KB workbook could
/// expand into a 500 MB list).
pub const LIST_TEXT: Limit = Limit {
    what: "名簿のセルの文字の合計",
    max: 16 * MIB,
    unit: Unit::Bytes,
    advice: "同じ長い文字列がたくさんのセルに入っていないか確かめてください。",
};

/// One part of an .xlsx file (a sheet's XML, the shared strings), decompressed: 64 MiB.
/// 10,000 clients × 28 columns are about 16 MB of sheet XML. Checked against the size the
/// zip declares before decompressing, and again while decompressing (a zip can lie).
pub const XLSX_PART: Limit = Limit {
    what: "Excel ファイルの中の1つの部分（展開後）の大きさ",
    max: 64 * MIB,
    unit: Unit::Bytes,
    advice: "Excel で「名前を付けて保存」から .xlsx で保存し直すか、CSV にしてください。",
};

/// Parts in one .xlsx file: 1,000. A workbook has about 10, plus about 3 per sheet.
pub const XLSX_PARTS: Limit = Limit {
    what: "Excel ファイルの中の部分の数",
    max: 1_000,
    unit: Unit::Items,
    advice: "名簿のシートだけを新しいブックにコピーして保存し直してください。",
};

/// Shared strings (the workbook's table of distinct texts): 1,000,000, every cell of the
/// largest list distinct.
pub const SHARED_STRINGS: Limit = Limit {
    what: "Excel ファイルの共有文字列の数",
    max: 1_000_000,
    unit: Unit::Items,
    advice: "Excel で「名前を付けて保存」から .xlsx で保存し直すか、CSV にしてください。",
};

/// Every limit, for the README and the tests.
pub const ALL: [&Limit; 16] = [
    &FACTS_FILE,
    &TEXT,
    &ARRAY,
    &NESTING,
    &PROBLEMS,
    &BOOK_FILE,
    &MANIFEST,
    &DATA_FILE,
    &LIST_FILE,
    &LIST_ROWS,
    &LIST_COLUMNS,
    &CELL,
    &LIST_TEXT,
    &XLSX_PART,
    &XLSX_PARTS,
    &SHARED_STRINGS,
];

// ------------------------------------------------------------------ reading files

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Over `limit`; `size` when known.
    TooLarge {
        limit: Limit,
        size: Option<u64>,
    },
    Io(std::io::Error),
}

impl ReadError {
    /// The Japanese message for a file over its limit; `None` for an I/O error (the caller
    /// says that in its own words).
    pub fn too_large(&self) -> Option<String> {
        match self {
            ReadError::TooLarge { limit, size } => Some(limit.exceeded(*size)),
            ReadError::Io(_) => None,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge { limit, size } => f.write_str(&limit.exceeded(*size)),
            ReadError::Io(e) => write!(f, "ファイルを読めません（{e}）。"),
        }
    }
}

/// Reads at most `limit.max` bytes from `r`; more is an error (the rest is never read).
pub fn read_bounded(r: impl Read, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    r.take(limit.max + 1)
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if limit.over(buf.len() as u64) {
        return Err(ReadError::TooLarge { limit, size: None });
    }
    Ok(buf)
}

/// Reads a file of at most `limit.max` bytes: the size is checked before reading (a
/// 200 MB file is refused without reading it), and the reading stops at the limit in case
/// the file grows meanwhile or is not a regular file.
pub fn read_file(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    if let Ok(md) = file.metadata() {
        if md.is_file() && limit.over(md.len()) {
            return Err(ReadError::TooLarge {
                limit,
                size: Some(md.len()),
            });
        }
    }
    read_bounded(file, limit)
}

/// [`read_file`] as UTF-8 text (`InvalidData` when it is not).
pub fn read_text(path: &Path, limit: Limit) -> Result<String, ReadError> {
    let bytes = read_file(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// Whether a file is over `limit` by its metadata (false when it cannot be told).
pub fn file_over(path: &Path, limit: Limit) -> Option<u64> {
    std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file() && limit.over(m.len()))
        .map(|m| m.len())
}

/// Keeps the first [`PROBLEMS`] problems of a file and adds one (made by `note`) saying how
/// many more there are.
pub fn cap_problems<T>(problems: &mut Vec<T>, note: impl Fn(String) -> T) {
    let n = problems.len() as u64;
    if PROBLEMS.over(n) {
        problems.truncate(PROBLEMS.max as usize);
        problems.push(note(format!(
            "ほかにも {} 件の問題があります。{}の上限（{}）までを示しました。{}",
            thousands(n - PROBLEMS.max),
            PROBLEMS.what,
            PROBLEMS.shown(),
            PROBLEMS.advice
        )));
    }
}

// ------------------------------------------------------------------ numbers in messages

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 「1 MiB」「64 KiB」「200.0 MB」「512 バイト」.
pub fn bytes(n: u64) -> String {
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", thousands(n / MIB))
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", thousands(n / KIB))
    } else if n >= MIB {
        format!("{:.1} MB", n as f64 / 1_000_000.0)
    } else if n >= 10 * KIB {
        format!("{:.1} KB", n as f64 / 1_000.0)
    } else {
        format!("{} バイト", thousands(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit_and_the_amount() {
        assert_eq!(bytes(MIB), "1 MiB");
        assert_eq!(bytes(200_000_000), "200.0 MB");
        assert_eq!(bytes(300), "300 バイト");
        let m = FACTS_FILE.exceeded(Some(200_000_000));
        assert!(
            m.starts_with(
                "申請ファイル・プロファイルの大きさの上限（1 MiB）を超えています（200.0 MB）。"
            ),
            "{m}"
        );
        assert_eq!(TEXT.shown(), "5,000文字");
        assert_eq!(LIST_ROWS.shown(), "10,000行");
        assert!(LIST_ROWS
            .exceeded(None)
            .contains("（10,000行を超えたところで読むのをやめました）"));
    }

    #[test]
    fn bounded_read_stops_at_the_limit() {
        let limit = Limit {
            max: 10,
            ..FACTS_FILE
        };
        assert_eq!(read_bounded(&b"0123456789"[..], limit).unwrap().len(), 10);
        assert!(matches!(
            read_bounded(std::io::repeat(b'a'), limit),
            Err(ReadError::TooLarge { size: None, .. })
        ));
    }
}
