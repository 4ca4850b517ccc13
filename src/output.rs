//! Writing the packet directory. The rule: never lose or overwrite what this tool did not
//! write.
//!
//! Every output directory holds a manifest, [`MANIFEST`], listing each file the tool wrote
//! with its size and SHA-256. An existing directory is written into only when everything in
//! it is provably ours: the manifest, files it lists whose content still matches, and
//! leftovers of an interrupted run. Anything else (the user's claim file, an output file the
//! user has since edited) makes [`write_packet`] refuse and name it.
//!
//! - A new directory is staged in a hidden sibling `.johas-claim-incomplete-<pid>-<rand>`,
//!   synced, and renamed into place without replacing anything that appeared meanwhile
//!   (`renameat2(RENAME_NOREPLACE)` on Linux).
//! - An existing directory (empty, or an earlier output with `replace`) is written in place,
//!   never renamed (it may be the current directory), under an exclusive lock on the
//!   directory. First a *pending* manifest accepting both the old and the new content is
//!   written, then each file goes in by rename (the old one moved into the staging
//!   directory as a backup), then the final manifest. On an error or Ctrl-C everything is
//!   put back; after `kill -9` the pending manifest still describes every file, and names the
//!   staging directory so a later run can remove it.
//! - Temporary paths are removed on error, and on Ctrl-C/SIGTERM once
//!   [`install_interrupt_handler`] is called (the command line does).

use crate::packet::OutputFile;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".johas-claim-manifest.json";
/// Prefix of staging directories: `.johas-claim-incomplete-<pid>-<hex>`.
pub const STAGING_PREFIX: &str = ".johas-claim-incomplete-";
/// Where the lock lives on systems that cannot lock a directory.
#[cfg(not(unix))]
const LOCK_FILE: &str = ".johas-claim.lock";
const TOOL: &str = "johas-claim";
const FORMAT: u32 = 1;

/// One file the tool wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// `complete`: the directory holds exactly the listed files. `pending`: a run was replacing
/// the output; each name may appear twice (old and new content are both ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManifestState {
    Complete,
    Pending,
}

/// The record of what the tool wrote into a directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub format: u32,
    pub state: ManifestState,
    /// The staging directory of a pending run (ours to remove).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staging: Option<String>,
    pub files: Vec<ManifestEntry>,
}

impl Manifest {
    fn new(state: ManifestState, staging: Option<String>, files: Vec<ManifestEntry>) -> Self {
        Manifest {
            tool: TOOL.into(),
            format: FORMAT,
            state,
            staging,
            files,
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).expect("a manifest serialises");
        s.push('\n');
        s.into_bytes()
    }

    /// Reads a manifest; `None` when it is not one of ours or lists an unsafe name.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes).ok()?;
        let names_ok = m.files.iter().all(|e| plain_name(&e.name))
            && m.staging.as_deref().is_none_or(is_staging_name);
        (m.tool == TOOL && m.format == FORMAT && names_ok).then_some(m)
    }
}

/// SHA-256 as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn entry(f: &OutputFile) -> ManifestEntry {
    ManifestEntry {
        name: f.name.clone(),
        size: f.bytes.len() as u64,
        sha256: sha256_hex(&f.bytes),
    }
}

/// The manifest entries of `files`, in order, hashed on all cores (hashing a packet's
/// half megabyte took a tenth of its CPU time, all of it on one core).
fn entries(files: &[OutputFile]) -> Vec<ManifestEntry> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || files.len() <= 1 {
        return files.iter().map(entry).collect();
    }
    // Deal the files out largest first, each to the thread with the fewest bytes so far.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(files[*i].bytes.len()));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads.min(files.len())];
    for i in order {
        if let Some(share) = shares.iter_mut().min_by_key(|(bytes, _)| *bytes) {
            share.0 += files[i].bytes.len();
            share.1.push(i);
        }
    }
    let mut out: Vec<Option<ManifestEntry>> = vec![None; files.len()];
    std::thread::scope(|scope| {
        let (mine, others) = shares
            .split_first()
            .map_or((Vec::new(), &[][..]), |(m, o)| (m.1.clone(), o));
        let handles: Vec<_> = others
            .iter()
            .map(|(_, idx)| {
                scope.spawn(move || {
                    idx.iter()
                        .map(|i| (*i, entry(&files[*i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for i in mine {
            out[i] = Some(entry(&files[i]));
        }
        for h in handles {
            // A hashing thread cannot panic short of running out of memory; its files are
            // then hashed here.
            for (i, e) in h.join().unwrap_or_default() {
                out[i] = Some(e);
            }
        }
    });
    out.into_iter()
        .zip(files)
        .map(|(e, f)| e.unwrap_or_else(|| entry(f)))
        .collect()
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub dir: PathBuf,
    /// The directory did not exist and was created.
    pub created: bool,
    /// Every file written, in order.
    pub written: Vec<String>,
    /// Files of an earlier output that were overwritten.
    pub replaced: Vec<String>,
    /// Files of an earlier output that the new one no longer has (deleted).
    pub removed: Vec<String>,
    /// Leftovers of an interrupted run that were removed.
    pub cleaned: Vec<String>,
}

/// Why something in the output directory is not ours to touch.
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
}

/// A file in the output directory that blocks writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub name: String,
    pub why: NotOurs,
}

/// Why the packet was not written. Messages are Japanese; nothing was changed unless said.
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
                    let why = match b.why {
                        NotOurs::Unknown => "",
                        NotOurs::Edited => "（このツールが書いた後に変更されています）",
                        NotOurs::NotAFile => "（このツールが書いたファイルではなく、ディレクトリまたはリンクです）",
                        NotOurs::BadManifest => "（このツールの記録として読めません）",
                        NotOurs::OtherRun => "（実行中の別の johas-claim の一時ディレクトリかもしれません）",
                    };
                    writeln!(f, "  {}{why}", b.name)?;
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
                "中断しました。書きかけのファイルを削除し、出力先 {} は元のままです。",
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
        }
    }
}

impl std::error::Error for OutputError {}

// ---------------------------------------------------------------- interrupts

struct Signals {
    /// Writes in progress: an interrupt then only sets `interrupted`, and the writer puts
    /// everything back at its next step.
    active: usize,
    interrupted: bool,
    /// Temporary directories to remove when exiting on a signal.
    temps: Vec<PathBuf>,
}

static SIGNALS: Mutex<Signals> = Mutex::new(Signals {
    active: 0,
    interrupted: false,
    temps: Vec::new(),
});

fn signals() -> std::sync::MutexGuard<'static, Signals> {
    SIGNALS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs the Ctrl-C / SIGTERM handler (once per process). Outside a write it removes any
/// registered temporary directory and exits with 130. During a write it lets the writer
/// undo its work and return [`OutputError::Interrupted`]; a second signal exits at once.
pub fn install_interrupt_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let mut s = signals();
            if s.active > 0 && !s.interrupted {
                s.interrupted = true;
                return;
            }
            for p in &s.temps {
                let _ = fs::remove_dir_all(p);
            }
            std::process::exit(130);
        });
    });
}

/// True once an interrupt arrived during a write.
pub fn interrupted() -> bool {
    signals().interrupted
}

struct Active;

impl Active {
    fn enter() -> Active {
        signals().active += 1;
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        signals().active -= 1;
    }
}

/// A temporary directory: registered for the signal handler, removed on drop unless kept.
struct Temp {
    path: PathBuf,
    keep: bool,
}

impl Temp {
    /// Creates `<parent>/.johas-claim-incomplete-<pid>-<random>` (never an existing one).
    fn create_in(parent: &Path) -> io::Result<Temp> {
        let pid = std::process::id();
        for attempt in 0u32.. {
            let name = format!("{STAGING_PREFIX}{pid}-{:016x}", random(attempt));
            let path = parent.join(&name);
            // Register first: a signal between mkdir and registration must not leak it.
            signals().temps.push(path.clone());
            match fs::create_dir(&path) {
                Ok(()) => return Ok(Temp { path, keep: false }),
                Err(e) => {
                    signals().temps.retain(|p| p != &path);
                    if e.kind() != io::ErrorKind::AlreadyExists || attempt > 100 {
                        return Err(e);
                    }
                }
            }
        }
        unreachable!()
    }

    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The directory no longer exists under this name (renamed into place).
    fn kept(mut self) {
        self.keep = true;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
        signals().temps.retain(|p| p != &self.path);
    }
}

fn random(salt: u32) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(salt);
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

// ---------------------------------------------------------------- names

/// A file name without directory parts.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && name != MANIFEST
        && !name.starts_with(STAGING_PREFIX)
}

/// `.johas-claim-incomplete-<pid>-<hex>`; the pid when it is one.
fn staging_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(STAGING_PREFIX)?;
    let (pid, rand) = rest.split_once('-')?;
    let hex = !rand.is_empty() && rand.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    if hex && digits {
        pid.parse().ok()
    } else {
        None
    }
}

fn is_staging_name(name: &str) -> bool {
    staging_pid(name).is_some()
}

/// Provably no longer running (Linux: no /proc/<pid>). Elsewhere nothing is provable.
fn pid_is_gone(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    false
}

/// A staging directory left by a run that no longer runs.
fn dead_staging(dir: &Path, name: &str) -> bool {
    staging_pid(name).is_some_and(pid_is_gone)
        && fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_dir())
}

// ---------------------------------------------------------------- file system

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Writes every file, new, into `dir`, then syncs them all at once, one thread per file:
/// the disk gets the files' data together instead of one file after another (a packet's
/// seven files waited about 2.5 ms for their syncs in turn). `Err` names the file.
fn write_files_synced(
    dir: &Path,
    files: &[OutputFile],
    check: &dyn Fn() -> Result<(), OutputError>,
    fail: &dyn Fn(&str, io::Error) -> OutputError,
) -> Result<(), OutputError> {
    let mut written: Vec<(&str, File)> = Vec::with_capacity(files.len());
    for f in files {
        check()?;
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(&f.name))
            .map_err(|e| fail(&f.name, e))?;
        file.write_all(&f.bytes).map_err(|e| fail(&f.name, e))?;
        written.push((&f.name, file));
    }
    check()?;
    let results: Vec<io::Result<()>> = std::thread::scope(|scope| {
        let others: Vec<_> = written
            .iter()
            .skip(1)
            .map(|(_, file)| scope.spawn(move || file.sync_all()))
            .collect();
        let mut results = vec![written.first().map_or(Ok(()), |(_, f)| f.sync_all())];
        for h in others {
            results.push(
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("sync thread panicked"))),
            );
        }
        results
    });
    for ((name, _), result) in written.iter().zip(results) {
        result.map_err(|e| fail(name, e))?;
    }
    Ok(())
}

fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(path)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Renames `from` to `to` only if `to` does not exist (atomically on Linux).
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let f = CString::new(from.as_os_str().as_bytes())?;
        let t = CString::new(to.as_os_str().as_bytes())?;
        // SAFETY: two valid NUL-terminated paths; renameat2 does not keep them.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                f.as_ptr(),
                libc::AT_FDCWD,
                t.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(e);
        }
        // The file system cannot do it: fall through to check-then-rename.
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

fn exists_error(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::AlreadyExists || e.kind() == io::ErrorKind::DirectoryNotEmpty {
        return true;
    }
    #[cfg(unix)]
    {
        // ENOTEMPTY / EEXIST by number, for targets where the kind is not mapped.
        matches!(e.raw_os_error(), Some(17 | 39 | 66))
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Holds an exclusive lock on the directory until dropped.
fn lock_dir(dir: &Path) -> Result<File, OutputError> {
    let io_err = |e: io::Error| OutputError::Io {
        dir: dir.to_path_buf(),
        what: "ロック".into(),
        error: e.to_string(),
        restored: true,
    };
    #[cfg(unix)]
    let file = File::open(dir).map_err(io_err)?;
    #[cfg(not(unix))]
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(io_err)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(OutputError::Busy(dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(io_err(e)),
    }
}

/// The path still names the directory we locked (not one swapped in meanwhile).
fn same_dir(dir: &Path, locked: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(dir), locked.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, locked);
        true
    }
}

fn matches_any(path: &Path, accepted: &[&ManifestEntry]) -> bool {
    let Ok(md) = fs::symlink_metadata(path) else {
        return false;
    };
    if !md.is_file() || !accepted.iter().any(|e| e.size == md.len()) {
        return false;
    }
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    let sha = sha256_hex(&bytes);
    accepted
        .iter()
        .any(|e| e.size == bytes.len() as u64 && e.sha256 == sha)
}

// ---------------------------------------------------------------- writing

/// Writes `files` into `dir`, with the manifest. `dir` may be new, an empty directory, or
/// (with `replace`) an earlier output of this tool holding nothing else. See the module
/// documentation for how nothing is lost.
pub fn write_packet(
    dir: &Path,
    files: &[OutputFile],
    replace: bool,
) -> Result<WriteReport, OutputError> {
    let mut seen = BTreeSet::new();
    for f in files {
        if !plain_name(&f.name) || !seen.insert(f.name.as_str()) {
            return Err(OutputError::BadName(f.name.clone()));
        }
    }
    let _active = Active::enter();
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => write_in_place(dir, files, replace),
        Ok(_) => Err(OutputError::NotADirectory(dir.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => create_new(dir, files),
        Err(e) => Err(OutputError::Io {
            dir: dir.to_path_buf(),
            what: "出力先の確認".into(),
            error: e.to_string(),
            restored: true,
        }),
    }
}

/// Says, before anything is built or written, whether [`write_packet`] would refuse `dir`
/// for what it holds (so the user hears at once). Changes nothing.
pub fn check_target(dir: &Path, replace: bool) -> Result<(), OutputError> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {
            let s = scan(dir).map_err(|e| OutputError::Io {
                dir: dir.to_path_buf(),
                what: "中身の確認".into(),
                error: e.to_string(),
                restored: true,
            })?;
            if !s.blockers.is_empty() {
                return Err(OutputError::NotOurs {
                    dir: dir.to_path_buf(),
                    files: s.blockers,
                });
            }
            match &s.manifest {
                Some(m) if !replace => Err(OutputError::NeedsReplace {
                    dir: dir.to_path_buf(),
                    pending: m.state == ManifestState::Pending,
                }),
                _ => Ok(()),
            }
        }
        Ok(_) => Err(OutputError::NotADirectory(dir.to_path_buf())),
        Err(_) => Ok(()),
    }
}

fn check_interrupt(dir: &Path) -> Result<(), OutputError> {
    if interrupted() {
        Err(OutputError::Interrupted(dir.to_path_buf()))
    } else {
        Ok(())
    }
}

/// Removes staging directories of runs that no longer run from `parent`.
fn clean_dead_staging(parent: &Path) -> Vec<String> {
    let mut cleaned = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return cleaned;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if dead_staging(parent, &name) && fs::remove_dir_all(parent.join(&name)).is_ok() {
            cleaned.push(name);
        }
    }
    cleaned.sort();
    cleaned
}

/// A new directory: staged beside it, then renamed into place if it still does not exist.
fn create_new(dir: &Path, files: &[OutputFile]) -> Result<WriteReport, OutputError> {
    let fail = |what: &str| {
        let what = what.to_string();
        move |e: io::Error| OutputError::Io {
            dir: dir.to_path_buf(),
            what,
            error: e.to_string(),
            restored: true,
        }
    };
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(fail("親ディレクトリの作成"))?;
    let cleaned = clean_dead_staging(&parent);
    let staging = Temp::create_in(&parent).map_err(fail("一時ディレクトリの作成"))?;
    write_files_synced(
        &staging.path,
        files,
        &|| check_interrupt(dir),
        &|name, e| fail(name)(e),
    )?;
    let manifest = Manifest::new(ManifestState::Complete, None, entries(files));
    write_synced(&staging.path.join(MANIFEST), &manifest.to_bytes()).map_err(fail(MANIFEST))?;
    sync_dir(&staging.path).map_err(fail("一時ディレクトリ"))?;
    check_interrupt(dir)?;
    match rename_noreplace(&staging.path, dir) {
        Ok(()) => staging.kept(),
        Err(e) if exists_error(&e) => return Err(OutputError::Appeared(dir.to_path_buf())),
        Err(e) => return Err(fail("名前の変更")(e)),
    }
    let _ = sync_dir(&parent);
    Ok(WriteReport {
        dir: dir.to_path_buf(),
        created: true,
        written: files.iter().map(|f| f.name.clone()).collect(),
        replaced: Vec::new(),
        removed: Vec::new(),
        cleaned,
    })
}

/// What an existing directory holds.
struct Scan {
    manifest: Option<Manifest>,
    manifest_bytes: Option<Vec<u8>>,
    /// Files listed in the manifest whose content matches.
    ours: BTreeSet<String>,
    /// Staging directories of interrupted runs.
    leftovers: Vec<String>,
    blockers: Vec<Blocker>,
}

fn scan(dir: &Path) -> io::Result<Scan> {
    let mut s = Scan {
        manifest: None,
        manifest_bytes: None,
        ours: BTreeSet::new(),
        leftovers: Vec::new(),
        blockers: Vec::new(),
    };
    let mpath = dir.join(MANIFEST);
    match fs::symlink_metadata(&mpath) {
        Ok(m) if m.is_file() && crate::limits::MANIFEST.over(m.len()) => s.blockers.push(Blocker {
            name: MANIFEST.into(),
            why: NotOurs::BadManifest,
        }),
        Ok(m) if m.is_file() => {
            let bytes = match crate::limits::read_file(&mpath, crate::limits::MANIFEST) {
                Ok(bytes) => bytes,
                Err(crate::limits::ReadError::Io(e)) => return Err(e),
                Err(_) => Vec::new(),
            };
            match Manifest::parse(&bytes) {
                Some(m) => {
                    s.manifest = Some(m);
                    s.manifest_bytes = Some(bytes);
                }
                None => s.blockers.push(Blocker {
                    name: MANIFEST.into(),
                    why: NotOurs::BadManifest,
                }),
            }
        }
        Ok(_) => s.blockers.push(Blocker {
            name: MANIFEST.into(),
            why: NotOurs::NotAFile,
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut accepted: BTreeMap<&str, Vec<&ManifestEntry>> = BTreeMap::new();
    if let Some(m) = &s.manifest {
        for e in &m.files {
            accepted.entry(e.name.as_str()).or_default().push(e);
        }
    }
    let pending_staging = s
        .manifest
        .as_ref()
        .filter(|m| m.state == ManifestState::Pending)
        .and_then(|m| m.staging.clone());
    let mut names: Vec<_> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    for os in names {
        let Some(name) = os.to_str().map(str::to_string) else {
            s.blockers.push(Blocker {
                name: os.to_string_lossy().into_owned(),
                why: NotOurs::Unknown,
            });
            continue;
        };
        if name == MANIFEST {
            continue;
        }
        #[cfg(not(unix))]
        if name == LOCK_FILE {
            continue;
        }
        if is_staging_name(&name) {
            if pending_staging.as_deref() == Some(name.as_str()) || dead_staging(dir, &name) {
                s.leftovers.push(name);
            } else {
                s.blockers.push(Blocker {
                    name,
                    why: NotOurs::OtherRun,
                });
            }
            continue;
        }
        match accepted.get(name.as_str()) {
            Some(acc) => {
                let path = dir.join(&name);
                if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                    s.blockers.push(Blocker {
                        name,
                        why: NotOurs::NotAFile,
                    });
                } else if matches_any(&path, acc) {
                    s.ours.insert(name);
                } else {
                    s.blockers.push(Blocker {
                        name,
                        why: NotOurs::Edited,
                    });
                }
            }
            None => s.blockers.push(Blocker {
                name,
                why: NotOurs::Unknown,
            }),
        }
    }
    Ok(s)
}

/// An existing directory, written in place under its lock.
fn write_in_place(
    dir: &Path,
    files: &[OutputFile],
    replace: bool,
) -> Result<WriteReport, OutputError> {
    let lock = lock_dir(dir)?;
    if !same_dir(dir, &lock) {
        return Err(OutputError::Appeared(dir.to_path_buf()));
    }
    let io_before = |what: &str, e: io::Error| OutputError::Io {
        dir: dir.to_path_buf(),
        what: what.to_string(),
        error: e.to_string(),
        restored: true,
    };
    let s = scan(dir).map_err(|e| io_before("中身の確認", e))?;
    if !s.blockers.is_empty() {
        return Err(OutputError::NotOurs {
            dir: dir.to_path_buf(),
            files: s.blockers,
        });
    }
    if let Some(m) = &s.manifest {
        if !replace {
            return Err(OutputError::NeedsReplace {
                dir: dir.to_path_buf(),
                pending: m.state == ManifestState::Pending,
            });
        }
    }
    check_interrupt(dir)?;
    let mut cleaned = Vec::new();
    for l in &s.leftovers {
        fs::remove_dir_all(dir.join(l)).map_err(|e| io_before(l, e))?;
        cleaned.push(l.clone());
    }

    let staging = Temp::create_in(dir).map_err(|e| io_before("一時ディレクトリの作成", e))?;
    let mut tx = Replace {
        dir,
        staging: &staging,
        old_manifest: s.manifest_bytes.clone(),
        manifest_touched: false,
        placed: Vec::new(),
        moved_away: Vec::new(),
        tmp_counter: 0,
    };
    match tx.run(files, &s) {
        Ok((replaced, removed)) => {
            drop(tx);
            drop(staging); // removes the backups of the old output
            let _ = sync_dir(dir);
            drop(lock);
            Ok(WriteReport {
                dir: dir.to_path_buf(),
                created: false,
                written: files.iter().map(|f| f.name.clone()).collect(),
                replaced,
                removed,
                cleaned,
            })
        }
        Err(err) => {
            let restored = tx.undo();
            drop(tx);
            if restored {
                drop(staging);
            } else {
                // The pending manifest names the staging directory, which still holds
                // backups of the old output: leave it for a later run (or the user).
                staging.kept();
            }
            let _ = sync_dir(dir);
            Err(match err {
                OutputError::Io {
                    dir, what, error, ..
                } => OutputError::Io {
                    dir,
                    what,
                    error,
                    restored,
                },
                other if restored => other,
                other => OutputError::Io {
                    dir: dir.to_path_buf(),
                    what: "元に戻す処理".into(),
                    error: other.to_string(),
                    restored,
                },
            })
        }
    }
}

/// One in-place replacement, with what it has done so far (to undo it).
struct Replace<'a> {
    dir: &'a Path,
    staging: &'a Temp,
    old_manifest: Option<Vec<u8>>,
    manifest_touched: bool,
    /// New files put in place; `true` when an old file was moved away for it.
    placed: Vec<(String, bool)>,
    /// Old files moved into the staging directory without a replacement.
    moved_away: Vec<String>,
    tmp_counter: u32,
}

impl Replace<'_> {
    fn io(&self, what: &str) -> impl Fn(io::Error) -> OutputError + '_ {
        let what = what.to_string();
        move |e| OutputError::Io {
            dir: self.dir.to_path_buf(),
            what: what.clone(),
            error: e.to_string(),
            restored: true,
        }
    }

    fn new_path(&self, name: &str) -> PathBuf {
        self.staging.path.join("new").join(name)
    }

    fn old_path(&self, name: &str) -> PathBuf {
        self.staging.path.join("old").join(name)
    }

    /// Replaces the manifest atomically (write in staging, sync, rename).
    fn put_manifest(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.tmp_counter += 1;
        let tmp = self
            .staging
            .path
            .join(format!("manifest-{}.tmp", self.tmp_counter));
        write_synced(&tmp, bytes)?;
        fs::rename(&tmp, self.dir.join(MANIFEST))?;
        sync_dir(self.dir)
    }

    fn run(
        &mut self,
        files: &[OutputFile],
        s: &Scan,
    ) -> Result<(Vec<String>, Vec<String>), OutputError> {
        let dir = self.dir;
        let new_entries: Vec<ManifestEntry> = entries(files);
        let old_entries: Vec<ManifestEntry> = s
            .manifest
            .as_ref()
            .map(|m| m.files.clone())
            .unwrap_or_default();
        let accepted = |name: &str| -> Vec<&ManifestEntry> {
            old_entries.iter().filter(|e| e.name == name).collect()
        };

        // 1. The new files, complete and synced, in the staging directory.
        fs::create_dir(self.staging.path.join("new")).map_err(self.io("一時ディレクトリ"))?;
        fs::create_dir(self.staging.path.join("old")).map_err(self.io("一時ディレクトリ"))?;
        let new_dir = self.staging.path.join("new");
        write_files_synced(&new_dir, files, &|| check_interrupt(dir), &|name, e| {
            self.io(name)(e)
        })?;
        sync_dir(&self.staging.path.join("new")).map_err(self.io("一時ディレクトリ"))?;
        check_interrupt(dir)?;

        // 2. A pending manifest: old and new content are both ours, the staging is ours.
        let mut pending = old_entries.clone();
        pending.extend(new_entries.iter().cloned());
        let pending = Manifest::new(ManifestState::Pending, Some(self.staging.name()), pending);
        self.manifest_touched = true;
        self.put_manifest(&pending.to_bytes())
            .map_err(self.io(MANIFEST))?;

        // 3. Each new file by rename, the old one (verified again) moved into the staging.
        let mut replaced = Vec::new();
        for f in files {
            check_interrupt(dir)?;
            let target = dir.join(&f.name);
            let had_old = fs::symlink_metadata(&target).is_ok();
            if had_old {
                if !s.ours.contains(&f.name) || !matches_any(&target, &accepted(&f.name)) {
                    return Err(OutputError::NotOurs {
                        dir: dir.to_path_buf(),
                        files: vec![Blocker {
                            name: f.name.clone(),
                            why: NotOurs::Edited,
                        }],
                    });
                }
                fs::rename(&target, self.old_path(&f.name)).map_err(self.io(&f.name))?;
            }
            if let Err(e) = fs::rename(self.new_path(&f.name), &target) {
                if had_old {
                    let _ = fs::rename(self.old_path(&f.name), &target);
                }
                return Err(self.io(&f.name)(e));
            }
            self.placed.push((f.name.clone(), had_old));
            if had_old {
                replaced.push(f.name.clone());
            }
        }

        // 4. Files of the old output that the new one does not have.
        let new_names: BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let mut removed = Vec::new();
        for name in &s.ours {
            if new_names.contains(name.as_str()) {
                continue;
            }
            check_interrupt(dir)?;
            let target = dir.join(name);
            if !matches_any(&target, &accepted(name)) {
                return Err(OutputError::NotOurs {
                    dir: dir.to_path_buf(),
                    files: vec![Blocker {
                        name: name.clone(),
                        why: NotOurs::Edited,
                    }],
                });
            }
            fs::rename(&target, self.old_path(name)).map_err(self.io(name))?;
            self.moved_away.push(name.clone());
            removed.push(name.clone());
        }
        check_interrupt(dir)?;

        // 5. The final manifest: from here on the new output stands.
        let done = Manifest::new(ManifestState::Complete, None, new_entries);
        self.put_manifest(&done.to_bytes())
            .map_err(self.io(MANIFEST))?;
        Ok((replaced, removed))
    }

    /// Puts the old output back. True when everything was restored.
    fn undo(&mut self) -> bool {
        let mut ok = true;
        for name in self.moved_away.drain(..).rev() {
            ok &= fs::rename(
                self.staging.path.join("old").join(&name),
                self.dir.join(&name),
            )
            .is_ok();
        }
        for (name, had_old) in std::mem::take(&mut self.placed).into_iter().rev() {
            let target = self.dir.join(&name);
            ok &= if had_old {
                fs::rename(self.staging.path.join("old").join(&name), &target).is_ok()
            } else {
                fs::remove_file(&target).is_ok()
            };
        }
        if self.manifest_touched && ok {
            ok &= match self.old_manifest.clone() {
                Some(bytes) => self.put_manifest(&bytes).is_ok(),
                None => fs::remove_file(self.dir.join(MANIFEST)).is_ok(),
            };
        }
        ok
    }
}
