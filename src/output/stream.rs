//! Standard output and standard error, checked. Every line the tool prints goes through
//! [`out!`](crate::out), [`outln!`](crate::outln), [`err!`](crate::err) or
//! [`errln!`](crate::errln), which return `Result<(), StreamError>` instead of panicking
//! as `print!` does. The command line's `run` decides once what an error means: a closed
//! stdout (`| head`) ends the command quietly with exit 0, as ripgrep does; any other error
//! (`> /dev/full`) is reported on stderr with exit 2. A closed stderr loses only the
//! message.

use std::fmt;
use std::io::{self, Write};

/// Which stream failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A write to stdout or stderr failed.
#[derive(Debug)]
pub struct StreamError {
    pub stream: Stream,
    pub error: io::Error,
}

impl StreamError {
    /// The reader went away (`| head`): not an error of the command.
    pub fn is_broken_pipe(&self) -> bool {
        self.error.kind() == io::ErrorKind::BrokenPipe
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.stream {
            Stream::Stdout => "標準出力",
            Stream::Stderr => "標準エラー出力",
        };
        write!(
            f,
            "エラー: {name}に書き込めません（{}）。出力は途中までしか書かれていません。",
            super::fsys::io_ja(&self.error)
        )
    }
}

impl std::error::Error for StreamError {}

/// Writes formatted text to stdout (line-buffered; [`flush`] at the end).
pub fn write_out(args: fmt::Arguments<'_>) -> Result<(), StreamError> {
    io::stdout()
        .lock()
        .write_fmt(args)
        .map_err(|error| StreamError {
            stream: Stream::Stdout,
            error,
        })
}

/// Writes bytes to stdout.
pub fn write_out_bytes(bytes: &[u8]) -> Result<(), StreamError> {
    io::stdout()
        .lock()
        .write_all(bytes)
        .map_err(|error| StreamError {
            stream: Stream::Stdout,
            error,
        })
}

/// Writes formatted text to stderr (unbuffered). A closed stderr (`2>&1 | head` after the
/// reader left) only loses the message: the command goes on and ends with its own status
/// (its stdout, if it is the same pipe, ends it quietly).
pub fn write_err(args: fmt::Arguments<'_>) -> Result<(), StreamError> {
    match io::stderr().lock().write_fmt(args) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|error| StreamError {
            stream: Stream::Stderr,
            error,
        }),
    }
}

/// Flushes stdout: a write error of the last, partial line shows here.
pub fn flush() -> Result<(), StreamError> {
    io::stdout().lock().flush().map_err(|error| StreamError {
        stream: Stream::Stdout,
        error,
    })
}

/// `print!`, checked: `Result<(), StreamError>`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::stream::write_out(format_args!($($arg)*)) };
}

/// `println!`, checked: `Result<(), StreamError>`.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::stream::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::stream::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!`, checked: `Result<(), StreamError>`.
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::output::stream::write_err(format_args!($($arg)*)) };
}

/// `eprintln!`, checked: `Result<(), StreamError>`.
#[macro_export]
macro_rules! errln {
    () => { $crate::output::stream::write_err(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::stream::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}
