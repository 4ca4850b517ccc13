//! File-system steps the writers share: hidden temporary paths, synced writes, renames that
//! never replace, directory locks, and content checks against a manifest.

use super::manifest::{staging_pid, Content, ManifestEntry, STAGING_PREFIX};
use super::signals::{register_temp, remove_any, unregister_temp};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where the lock lives on systems that cannot lock a directory.
#[cfg(not(unix))]
pub(crate) const LOCK_FILE: &str = ".johas-claim.lock";

/// The longest file name most file systems allow, in bytes.
pub(crate) const NAME_MAX: usize = 255;

pub(crate) fn random(salt: u32) -> u64 {
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

/// A hidden temporary path in `parent`: `.johas-claim-incomplete-<pid>-<random>`.
fn temp_name(attempt: u32) -> String {
    format!(
        "{STAGING_PREFIX}{}-{:016x}",
        std::process::id(),
        random(attempt)
    )
}

/// A temporary file or directory: registered for the signal handler, removed on drop
/// unless kept (renamed into place).
pub(crate) struct Temp {
    pub path: PathBuf,
    keep: bool,
}

impl Temp {
    /// Creates a new hidden directory in `parent`.
    pub fn dir_in(parent: &Path) -> io::Result<Temp> {
        Temp::create(parent, |p| fs::create_dir(p).map(|_| ()))
    }

    /// Creates a new hidden file in `parent` holding `bytes`, synced. Its mode is
    /// 0666 & ~umask, or `mode` (the permission bits of a file it will replace).
    pub fn file_in(parent: &Path, bytes: &[u8], mode: Option<fs::Permissions>) -> io::Result<Temp> {
        let t = Temp::create(parent, |p| {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p)
                .map(|_| ())
        })?;
        let mut f = OpenOptions::new().write(true).open(&t.path)?;
        if let Some(m) = mode {
            f.set_permissions(m)?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        Ok(t)
    }

    fn create(parent: &Path, make: impl Fn(&Path) -> io::Result<()>) -> io::Result<Temp> {
        for attempt in 0u32.. {
            let path = parent.join(temp_name(attempt));
            // Register first: a signal between creating and registering must not leak it.
            register_temp(&path);
            match make(&path) {
                Ok(()) => return Ok(Temp { path, keep: false }),
                Err(e) => {
                    unregister_temp(&path);
                    if e.kind() != io::ErrorKind::AlreadyExists || attempt > 100 {
                        return Err(e);
                    }
                }
            }
        }
        unreachable!()
    }

    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The path no longer exists under this name (renamed into place).
    pub fn kept(mut self) {
        self.keep = true;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            remove_any(&self.path);
        }
        unregister_temp(&self.path);
    }
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

/// A temporary file or staging directory left by a run that no longer runs.
pub(crate) fn dead_staging(dir: &Path, name: &str) -> bool {
    staging_pid(name).is_some_and(pid_is_gone)
        && fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_dir() || m.is_file())
}

/// Removes temporary files and staging directories of runs that no longer run from `dir`.
pub(crate) fn clean_dead_staging(dir: &Path) -> Vec<String> {
    let mut cleaned = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return cleaned;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if dead_staging(dir, &name) {
            remove_any(&dir.join(&name));
            if fs::symlink_metadata(dir.join(&name)).is_err() {
                cleaned.push(name);
            }
        }
    }
    cleaned.sort();
    cleaned
}

/// Writes a new file (never an existing one) and syncs it.
pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Asks the kernel to start writing the file's data now, without waiting (Linux:
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`); a later `sync_all` makes it durable.
pub(crate) fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor; the call only schedules write-back.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

pub(crate) fn sync_dir(path: &Path) -> io::Result<()> {
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
pub(crate) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
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

pub(crate) fn exists_error(e: &io::Error) -> bool {
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

/// The directory a path is in (`.` for a bare name).
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why a directory could not be locked.
pub(crate) enum LockError {
    Busy,
    Io(io::Error),
}

fn open_for_lock(dir: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        File::open(dir)
    }
    #[cfg(not(unix))]
    {
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
    }
}

/// An exclusive lock on the directory, held until the file is dropped; `Busy` at once when
/// another run holds it.
pub(crate) fn lock_dir(dir: &Path) -> Result<File, LockError> {
    let file = open_for_lock(dir).map_err(LockError::Io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(LockError::Busy),
        Err(fs::TryLockError::Error(e)) => Err(LockError::Io(e)),
    }
}

/// [`lock_dir`], waiting up to ten seconds for another run (a loose file's manifest update
/// takes milliseconds).
pub(crate) fn lock_dir_wait(dir: &Path) -> Result<File, LockError> {
    let start = std::time::Instant::now();
    loop {
        match lock_dir(dir) {
            Err(LockError::Busy) if start.elapsed() < std::time::Duration::from_secs(10) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// The path still names the directory we locked (not one swapped in meanwhile).
pub(crate) fn same_dir(dir: &Path, locked: &File) -> bool {
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

/// The file at `path` is a regular file whose content is one of `accepted`.
pub(crate) fn matches_any(path: &Path, accepted: &[&ManifestEntry]) -> bool {
    let Ok(md) = fs::symlink_metadata(path) else {
        return false;
    };
    if !md.is_file() || !accepted.iter().any(|e| e.size == md.len()) {
        return false;
    }
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    let content = Content::new(&bytes);
    accepted.iter().any(|e| content.is(e))
}

/// Why an I/O step failed, in Japanese, with the system's own words after it.
pub fn io_ja(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let why = match e.kind() {
        K::StorageFull => "ディスクの空き容量がありません",
        K::PermissionDenied => "書き込みの権限がありません",
        K::ReadOnlyFilesystem => "読み取り専用のファイルシステムです",
        K::NotFound => "フォルダまたはファイルがありません",
        K::AlreadyExists => "同じ名前のものが既にあります",
        K::InvalidFilename => "ファイル名が長すぎるか、使えない文字があります",
        K::NotADirectory => "途中の名前がフォルダではありません",
        K::IsADirectory => "同じ名前のフォルダがあります",
        K::QuotaExceeded => "ディスクの割り当て（クォータ）を超えました",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::BrokenPipe => "出力先が閉じられました",
        K::Interrupted => "中断されました",
        _ => "入出力のエラー",
    };
    format!("{why}: {e}")
}

/// Byte length check for one path component (file systems count bytes, not characters).
pub(crate) fn name_too_long(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().len() > NAME_MAX
}

/// Creates `dir` and any missing parents (0777 & ~umask); returns the ones it created,
/// outermost first.
pub(crate) fn create_dirs(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut cur = dir.to_path_buf();
    loop {
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => match fs::metadata(&cur) {
                // A link to a directory is used as it is.
                Ok(m) if m.is_dir() => break,
                _ => return Err(io::Error::from(io::ErrorKind::NotADirectory)),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                missing.push(cur.clone());
                match cur.parent() {
                    Some(p) if !p.as_os_str().is_empty() => cur = p.to_path_buf(),
                    _ => break,
                }
            }
            Err(e) => return Err(e),
        }
    }
    missing.reverse();
    let mut made = Vec::new();
    for d in missing {
        match fs::create_dir(&d) {
            Ok(()) => made.push(d),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => {
                remove_created(&made);
                return Err(e);
            }
        }
    }
    Ok(made)
}

/// Removes directories [`create_dirs`] made, innermost first, each only while empty.
pub(crate) fn remove_created(made: &[PathBuf]) {
    for d in made.iter().rev() {
        let _ = fs::remove_dir(d);
    }
}
