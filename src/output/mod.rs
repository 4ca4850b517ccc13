//! Every file the tool writes goes through here, and every line it prints. The rule: never
//! lose or overwrite what this tool did not write.
//!
//! - [`write_packet`] writes a packet directory, owned whole ([`packet`]).
//! - [`Batch`] writes loose files (CSV, JSON, .ics, HTML, claim files, client.toml) and the
//!   edits a user asked for (`import` updating client.toml, `new --resume`), all or nothing
//!   ([`files`]).
//! - [`stream`] prints to stdout and stderr, and reports a closed or full stream.
//!
//! What the tool wrote is known from the manifest ([`manifest::MANIFEST`]) in the directory it
//! wrote into: a file is the tool's when it is listed there with the same size and content hash (xxh3-128).
//! An existing path that is not the tool's is never replaced, moved or removed; the tool's own
//! unchanged output is replaced only when the user asks (`--replace`). Writes are atomic (a
//! hidden temporary path, synced, then renamed), honour the umask (files 0666, directories
//! 0777, less the umask; a replaced file keeps its permission bits), and leave nothing behind
//! on an error or Ctrl-C.

pub mod csv;
pub mod files;
mod fsys;
pub mod manifest;
pub mod packet;
pub mod refusal;
pub mod signals;
pub mod stream;

use std::path::PathBuf;

pub use files::{write_file, Batch, Committed};
pub use fsys::io_ja;
pub use manifest::{
    content_hash, sha256_hex, Content, Manifest, ManifestEntry, ManifestState, Scope,
    HASH_ALGORITHM,
};
pub use manifest::{MANIFEST, STAGING_PREFIX};
pub use packet::{check_target, remove_packet, write_packet, WriteReport};
pub use refusal::{Blocker, NotOurs, OutputError, Refusal, Refuse};
pub use signals::{
    install_interrupt_handler, interrupted, interruptible, set_interrupt_message, Interruptible,
};

/// Creates `dir` and its missing parents (0777 & ~umask); returns the ones it created, for
/// [`remove_made_dirs`] to take away again if nothing is written into them.
pub fn make_dirs(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    fsys::create_dirs(dir)
}

/// Removes the directories [`make_dirs`] created, innermost first, each only while empty.
pub fn remove_made_dirs(made: &[PathBuf]) {
    fsys::remove_created(made)
}
