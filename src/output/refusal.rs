//! Why the tool will not write where it was asked, said in Japanese: a file in the way that
//! is not the tool's ([`Refusal`]), and the errors of writing ([`OutputError`]).

use super::fsys::{self, io_ja};
use std::path::PathBuf;

/// Why something in an output directory is not ours to touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotOurs {
    /// Not written by this tool.
    Unknown,
    /// Written by this tool, changed since.
    Edited,
    /// A listed name that is now a directory or a link.
    NotAFile,
    /// The manifest itself cannot be read as ours.
    BadManifest,
    /// A staging directory of a run that may still be going.
    OtherRun,
    /// The tool's loose output (a CSV, a page …), not a packet: a packet directory must
    /// hold nothing else.
    OtherOutput,
}

impl NotOurs {
    /// Said after the file's name (empty for a file the tool never wrote).
    pub fn note(self) -> &'static str {
        match self {
            NotOurs::Unknown => "",
            NotOurs::Edited => "（このツールが書いた後に変更されています）",
            NotOurs::NotAFile => {
                "（このツールが書いたファイルではなく、ディレクトリまたはリンクです）"
            }
            NotOurs::BadManifest => "（このツールの記録として読めません）",
            NotOurs::OtherRun => "（実行中の別の johas-claim の一時ディレクトリかもしれません）",
            NotOurs::OtherOutput => {
                "（このツールが書いた別の出力です。申請書類のフォルダには使えません）"
            }
        }
    }
}

/// A file in the output directory that blocks writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub name: String,
    pub why: NotOurs,
}

/// Why one loose file (or the folder it goes in) cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refuse {
    /// The path exists and is not the tool's unchanged output.
    NotOurs(NotOurs),
    /// The path is the tool's unchanged earlier output and `--replace` was not given.
    NeedsReplace,
    /// A file being edited changed after it was read.
    Changed,
    /// A name that must be a folder is a file (or a link).
    NotAFolder,
    /// The folder to write into does not exist.
    NoFolder,
    /// The folder is a packet directory of this tool (owned whole).
    InPacket,
    /// A file or folder name longer than the file system allows (bytes).
    NameTooLong,
    /// Not a plain file name (or a name the tool keeps for itself).
    BadName,
    /// Another run is writing into the folder.
    Busy,
}

/// One path that cannot be written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: PathBuf,
    pub why: Refuse,
}

impl Refusal {
    fn line(&self) -> String {
        let p = self.path.display();
        match self.why {
            Refuse::NotOurs(NotOurs::Edited) => {
                format!("{p} は、このツールが書いた後に変更されています（変更は利用者のものとして扱います）。")
            }
            Refuse::NotOurs(NotOurs::NotAFile) => {
                format!("{p} は既にあり、ファイルではありません（フォルダまたはリンク）。")
            }
            Refuse::NotOurs(NotOurs::BadManifest) => {
                format!("{p} は、このツールの記録として読めません。")
            }
            Refuse::NotOurs(_) => {
                format!("{p} は既にあり、このツールが書いたファイルではありません。")
            }
            Refuse::NeedsReplace => {
                format!("{p} は、このツールが以前に書いたファイルです。")
            }
            Refuse::Changed => format!("{p} は、読み込んだ後に変更されています。"),
            Refuse::NotAFolder => {
                format!("{p} はフォルダではありません（同じ名前のファイルまたはリンクがあります）。")
            }
            Refuse::NoFolder => format!("フォルダ {p} がありません。"),
            Refuse::InPacket => format!(
                "{p} は、このツールが作成した申請書類のフォルダです（その中には、ほかのファイルを書きません）。"
            ),
            Refuse::NameTooLong => format!(
                "{p} は名前が長すぎます（ファイル名・フォルダ名はそれぞれ {} バイトまで。全角1文字は3〜4バイトです）。",
                fsys::NAME_MAX
            ),
            Refuse::BadName => format!("{p} は書き出すファイルの名前として使えません。"),
            Refuse::Busy => format!("{p} には、別の johas-claim が書き込み中です。"),
        }
    }
}

/// Why nothing (or, for `Io` with `restored: false`, not everything) was written. Messages
/// are Japanese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    NotADirectory(PathBuf),
    /// The directory holds things this tool did not write.
    NotOurs {
        dir: PathBuf,
        files: Vec<Blocker>,
    },
    /// The directory holds an earlier output and `replace` was not asked for.
    NeedsReplace {
        dir: PathBuf,
        pending: bool,
    },
    /// Another run holds the directory's lock.
    Busy(PathBuf),
    /// The directory appeared (or was swapped) while this run was writing.
    Appeared(PathBuf),
    /// An output file name that is not a plain file name (a bug in the caller).
    BadName(String),
    /// Ctrl-C or SIGTERM; everything was put back.
    Interrupted(PathBuf),
    Io {
        dir: PathBuf,
        what: String,
        error: String,
        /// Everything was put back (false: the directory is left as a pending output).
        restored: bool,
    },
    /// Loose files that cannot be written (every one at once); nothing was written.
    Refused(Vec<Refusal>),
    /// A loose file could not be written.
    FileIo {
        path: PathBuf,
        error: String,
        /// Paths this run could not put back (empty: everything is as before).
        left: Vec<PathBuf>,
    },
}

impl OutputError {
    /// A loose-file write error.
    pub(crate) fn file_io(path: &std::path::Path, e: &std::io::Error) -> OutputError {
        OutputError::FileIo {
            path: path.to_path_buf(),
            error: io_ja(e),
            left: Vec::new(),
        }
    }

    /// The process should exit with 130 (Ctrl-C) rather than 2.
    pub fn is_interrupt(&self) -> bool {
        matches!(self, OutputError::Interrupted(_))
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::NotADirectory(d) => write!(
                f,
                "出力先 {} はディレクトリではありません。何も書き込んでいません。別の出力先を -o で指定してください。",
                d.display()
            ),
            OutputError::NotOurs { dir, files } => {
                writeln!(
                    f,
                    "出力先 {} には、このツールが書いたものではないファイルがあります。失わないように、何も書き込まず、何も消していません:",
                    dir.display()
                )?;
                for b in files {
                    writeln!(f, "  {}{}", b.name, b.why.note())?;
                }
                write!(f, "新しいディレクトリか空のディレクトリを -o で指定してください。")
            }
            OutputError::NeedsReplace { dir, pending } => {
                write!(
                    f,
                    "出力先 {} には、このツールが以前に作成した申請書類があります。何も書き込んでいません。",
                    dir.display()
                )?;
                if *pending {
                    write!(f, "前回の書き出しは途中で止まっています。")?;
                }
                write!(f, "置き換えるには --replace を付けてください（このツールが書いたファイルだけを置き換えます）。別の出力先を -o で指定することもできます。")
            }
            OutputError::Busy(d) => write!(
                f,
                "出力先 {} には、別の johas-claim が書き込み中です。何も書き込んでいません。終わってから、もう一度実行してください。",
                d.display()
            ),
            OutputError::Appeared(d) => write!(
                f,
                "出力先 {} は、書き出しの途中に別の処理（同時に実行した johas-claim など）が作成しました。何も書き込んでいません（{} の中身はそのままです）。",
                d.display(),
                d.display()
            ),
            OutputError::BadName(n) => write!(
                f,
                "出力ファイル名 {n:?} は使えません（内部エラー）。何も書き込んでいません。"
            ),
            OutputError::Interrupted(d) => write!(
                f,
                "中断しました。書きかけのファイルを削除し、{} は元のままです。",
                d.display()
            ),
            OutputError::Io {
                dir,
                what,
                error,
                restored,
            } => {
                write!(f, "出力先 {} に書き込めません（{what}: {error}）。", dir.display())?;
                if *restored {
                    write!(f, "書きかけのファイルを削除し、出力先は元のままです。")
                } else {
                    write!(f, "出力先は書き出しの途中の状態です。原因を取り除いてから --replace を付けて、もう一度実行してください。")
                }
            }
            OutputError::Refused(list) => {
                if let [one] = list.as_slice() {
                    write!(f, "{}", one.line())?;
                } else {
                    writeln!(f, "次の {} か所に書き込めません:", list.len())?;
                    for r in list {
                        writeln!(f, "  {}", r.line())?;
                    }
                }
                write!(f, "何も書き込んでいません。")?;
                let has = |p: fn(Refuse) -> bool| list.iter().any(|r| p(r.why));
                if has(|w| matches!(w, Refuse::NotOurs(_) | Refuse::NotAFolder | Refuse::InPacket)) {
                    write!(f, "このツールは、自分が書いたのではないファイル（書いた後に変更されたものを含む）を上書き・移動・削除しません。別の名前を指定してください。")?;
                }
                if has(|w| w == Refuse::NeedsReplace) {
                    write!(f, "置き換えるには --replace を付けてください（--replace は、このツールが以前に書き、その後変更されていないファイルだけを置き換えます）。別の名前を指定することもできます。")?;
                }
                if has(|w| w == Refuse::Changed) {
                    write!(f, "変更を確かめてから、もう一度実行してください。")?;
                }
                if has(|w| w == Refuse::NoFolder) {
                    write!(f, "先にフォルダを作成するか、ある場所を指定してください。")?;
                }
                if has(|w| matches!(w, Refuse::NameTooLong | Refuse::BadName)) {
                    write!(f, "短い名前を指定してください。")?;
                }
                if has(|w| w == Refuse::Busy) {
                    write!(f, "終わってから、もう一度実行してください。")?;
                }
                Ok(())
            }
            OutputError::FileIo { path, error, left } => {
                write!(f, "{} に書き込めません（{error}）。", path.display())?;
                if left.is_empty() {
                    write!(f, "書きかけのファイルを削除し、すべて元のままです（何も書き込んでいません）。")
                } else {
                    write!(
                        f,
                        "元に戻せなかったものがあります: {}。確かめてから、もう一度実行してください。",
                        left.iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join("、")
                    )
                }
            }
        }
    }
}

impl std::error::Error for OutputError {}
