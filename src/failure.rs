//! The one way a command stops with an error: every failure is a [`Failure`], printed in one
//! place by `cli::run` (ripgrep-style) with its exit status.

use std::path::PathBuf;

/// Everything that stops a command, printed in one place by `cli::run` (ripgrep-style).
/// "Your file is wrong" (`Input`, `Packet`, `Output`) and "the tool's data is wrong"
/// (`Data`) are different errors with different words; all exit 2, an interrupted write 130.
#[derive(Debug)]
pub enum Failure {
    /// The tool's own edition or form data (bundled or `--editions`) is wrong.
    Data(crate::model::DataError),
    /// The file of facts cannot be used.
    Input(crate::input::InputError),
    /// The documents cannot be made from the file's facts (every problem, by key).
    Packet {
        file: PathBuf,
        error: crate::model::doc::PacketError,
    },
    /// The output directory cannot be written (nothing was written or replaced).
    Output(crate::output::OutputError),
    /// Standard output or standard error could not be written (a closed pipe ends the
    /// command quietly; anything else is exit 2).
    Stream(crate::output::stream::StreamError),
    /// Any other reason a command cannot run (a grant name that fits none, a page that cannot
    /// be written …), already in Japanese; `code` is the exit status (2, or 130 when
    /// interrupted).
    Message { text: String, code: u8 },
}

impl Failure {
    /// An error message (exit 2).
    pub fn message(text: impl Into<String>) -> Failure {
        Failure::Message {
            text: text.into(),
            code: 2,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Output(e) if e.is_interrupt() => 130,
            Failure::Message { code, .. } => *code,
            _ => 2,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Data(e) => write!(f, "{e}本ツールのデータの不具合です。--editions で指定したフォルダなら、その版のファイルを直してください。"),
            Failure::Input(e) => write!(f, "{e}申請書類は作成していません。"),
            Failure::Packet {
                file,
                error: crate::model::doc::PacketError::Problems(list),
            } => write!(
                f,
                "エラー: {}: {list}申請書類は作成していません。上の項目を申請ファイルで直してから、もう一度実行してください。",
                file.display(),
            ),
            Failure::Packet { file, error } => write!(
                f,
                "エラー: {}: {error}\n申請書類は作成していません。申請ファイルに不足している事実を書いてから、もう一度実行してください。",
                file.display()
            ),
            Failure::Output(e) => write!(f, "エラー: {e}"),
            Failure::Stream(e) => write!(f, "{e}"),
            Failure::Message { text, .. } => f.write_str(text),
        }
    }
}

impl From<crate::output::stream::StreamError> for Failure {
    fn from(e: crate::output::stream::StreamError) -> Failure {
        Failure::Stream(e)
    }
}

impl From<crate::output::OutputError> for Failure {
    fn from(e: crate::output::OutputError) -> Failure {
        Failure::Output(e)
    }
}
