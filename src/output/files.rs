//! Loose files: every file the tool writes outside a packet directory, and the edits a user
//! asked for, written all or nothing.
//!
//! A [`Batch`] lists what to write:
//! - [`Batch::file`]: a file the tool writes (CSV, JSON, .ics, HTML, a claim file, a new
//!   client.toml, a backup). It may not exist yet, or (with `replace`) be the tool's own
//!   unchanged earlier output. It is listed in its directory's manifest (scope `files`).
//! - [`Batch::edit`]: a file the user asked the tool to rewrite (`import` updating
//!   client.toml, `new --resume FILE`). It must still hold what was read; it keeps its
//!   permission bits.
//! - [`Batch::dir`]: a folder to create if missing (removed again if the batch fails).
//!
//! [`Batch::commit`]:
//! 1. checks every path first and reports every refusal at once (nothing written);
//! 2. stages every file as a hidden temporary file beside its target, synced (a full disk
//!    shows here, before anything is visible);
//! 3. puts each in place by rename, the directory's manifest updated first under the
//!    directory's lock (while a file is replaced, its manifest lists the old and the new
//!    content, both the tool's);
//! 4. on any error or Ctrl-C, undoes what step 3 did, in reverse, and says exactly what (if
//!    anything) it could not put back.

use super::fsys::{
    clean_dead_staging, create_dirs, exists_error, lock_dir_wait, matches_any, name_too_long,
    parent_of, remove_created, rename_noreplace, sync_dir, LockError, Temp,
};
use super::manifest::{plain_name, Content, Manifest, ManifestEntry, MANIFEST};
use super::refusal::{NotOurs, OutputError, Refusal, Refuse};
use super::signals::{interrupted, interruptible};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, Permissions};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
enum Op {
    Dir(PathBuf),
    File {
        path: PathBuf,
        bytes: Vec<u8>,
        mode: Option<Permissions>,
    },
    Edit {
        path: PathBuf,
        expected: Vec<u8>,
        bytes: Vec<u8>,
    },
}

/// Files to write together, all or nothing. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    replace: bool,
    ops: Vec<Op>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Committed {
    /// Files written that did not exist.
    pub created: Vec<PathBuf>,
    /// The tool's earlier output, replaced (`--replace`).
    pub replaced: Vec<PathBuf>,
    /// Files edited as asked.
    pub edited: Vec<PathBuf>,
    /// Folders created.
    pub dirs: Vec<PathBuf>,
}

impl Batch {
    /// `replace`: the tool's own unchanged earlier output may be replaced (`--replace`).
    pub fn new(replace: bool) -> Batch {
        Batch {
            replace,
            ops: Vec::new(),
        }
    }

    /// A folder (and missing parents) to create if it does not exist.
    pub fn dir(&mut self, path: impl Into<PathBuf>) -> &mut Batch {
        self.ops.push(Op::Dir(path.into()));
        self
    }

    /// A file the tool writes (new: 0666 & ~umask; replacing: the old file's mode).
    pub fn file(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> &mut Batch {
        self.ops.push(Op::File {
            path: path.into(),
            bytes: bytes.into(),
            mode: None,
        });
        self
    }

    /// [`Batch::file`] with the given permission bits (a backup keeps its original's).
    pub fn file_with_mode(
        &mut self,
        path: impl Into<PathBuf>,
        bytes: impl Into<Vec<u8>>,
        mode: Permissions,
    ) -> &mut Batch {
        self.ops.push(Op::File {
            path: path.into(),
            bytes: bytes.into(),
            mode: Some(mode),
        });
        self
    }

    /// An edit the user asked for: `path` must still hold `expected`.
    pub fn edit(
        &mut self,
        path: impl Into<PathBuf>,
        expected: impl Into<Vec<u8>>,
        bytes: impl Into<Vec<u8>>,
    ) -> &mut Batch {
        self.ops.push(Op::Edit {
            path: path.into(),
            expected: expected.into(),
            bytes: bytes.into(),
        });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Says whether [`Batch::commit`] would refuse any path, with every reason at once.
    /// Changes nothing; call it before long work so the user hears at once.
    pub fn preflight(&self) -> Result<(), OutputError> {
        let refusals = self.refusals();
        if refusals.is_empty() {
            Ok(())
        } else {
            Err(OutputError::Refused(refusals))
        }
    }

    fn refusals(&self) -> Vec<Refusal> {
        let mut out = Vec::new();
        let mut planned: BTreeSet<PathBuf> = BTreeSet::new();
        // Folders already refused: what goes in them is not refused again.
        let mut failed: Vec<PathBuf> = Vec::new();
        let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
        let mut manifests: BTreeMap<PathBuf, Result<Option<Manifest>, Refusal>> = BTreeMap::new();
        let refuse = |out: &mut Vec<Refusal>, path: &Path, why: Refuse| {
            out.push(Refusal {
                path: path.to_path_buf(),
                why,
            })
        };
        for op in &self.ops {
            match op {
                Op::Dir(d) => match dir_state(d, &planned) {
                    DirState::Ready => {}
                    DirState::Missing => {
                        if let Some(bad) = too_long_component(d) {
                            refuse(&mut out, &bad, Refuse::NameTooLong);
                            failed.push(bad);
                        } else {
                            planned.insert(d.clone());
                            // Its missing parents are created too.
                            let mut p = d.parent();
                            while let Some(x) = p.filter(|x| !x.as_os_str().is_empty()) {
                                if fs::symlink_metadata(x).is_ok() {
                                    break;
                                }
                                planned.insert(x.to_path_buf());
                                p = x.parent();
                            }
                        }
                    }
                    DirState::Blocked(p) => {
                        if !failed.iter().any(|f| p.starts_with(f)) {
                            refuse(&mut out, &p, Refuse::NotAFolder);
                            failed.push(p);
                        }
                    }
                },
                Op::File { path, .. } => {
                    if failed.iter().any(|f| path.starts_with(f)) {
                        continue;
                    }
                    if !targets.insert(path.clone()) {
                        refuse(&mut out, path, Refuse::BadName);
                        continue;
                    }
                    let Some(name) = file_name(path) else {
                        refuse(&mut out, path, Refuse::BadName);
                        continue;
                    };
                    if name_too_long(path.file_name().unwrap_or_default()) {
                        refuse(&mut out, path, Refuse::NameTooLong);
                        continue;
                    }
                    let parent = parent_of(path);
                    match dir_state(&parent, &planned) {
                        DirState::Ready => {}
                        DirState::Missing => {
                            refuse(&mut out, &parent, Refuse::NoFolder);
                            continue;
                        }
                        DirState::Blocked(p) => {
                            refuse(&mut out, &p, Refuse::NotAFolder);
                            continue;
                        }
                    }
                    if planned.contains(&parent) {
                        continue; // a new folder holds nothing yet
                    }
                    let manifest = manifests
                        .entry(parent.clone())
                        .or_insert_with(|| read_loose_manifest(&parent));
                    match manifest {
                        Err(r) => {
                            if !out.contains(r) {
                                out.push(r.clone());
                            }
                        }
                        Ok(m) => {
                            if let Some(why) = target_refusal(path, &name, m.as_ref(), self.replace)
                            {
                                refuse(&mut out, path, why);
                            }
                        }
                    }
                }
                Op::Edit { path, expected, .. } => {
                    if !targets.insert(path.clone()) {
                        refuse(&mut out, path, Refuse::BadName);
                        continue;
                    }
                    if let Some(why) = edit_refusal(path, expected) {
                        refuse(&mut out, path, why);
                    }
                }
            }
        }
        out
    }

    /// Writes everything, or nothing. See the module documentation.
    pub fn commit(self) -> Result<Committed, OutputError> {
        self.preflight()?;
        let _active = interruptible();
        // 2. Stage every file beside its target (or in the nearest folder that exists).
        let mut temps: Vec<Option<Temp>> = Vec::with_capacity(self.ops.len());
        for op in &self.ops {
            if interrupted() {
                return Err(OutputError::Interrupted(op_path(op).to_path_buf()));
            }
            let staged = match op {
                Op::Dir(_) => None,
                Op::File { path, bytes, mode } => {
                    let mode = mode.clone().or_else(|| {
                        fs::symlink_metadata(path)
                            .ok()
                            .filter(|m| m.is_file())
                            .map(|m| m.permissions())
                    });
                    Some(
                        Temp::file_in(&existing_ancestor(path), bytes, mode)
                            .map_err(|e| OutputError::file_io(path, &e))?,
                    )
                }
                Op::Edit { path, bytes, .. } => {
                    let mode = fs::symlink_metadata(path).ok().map(|m| m.permissions());
                    Some(
                        Temp::file_in(&parent_of(path), bytes, mode)
                            .map_err(|e| OutputError::file_io(path, &e))?,
                    )
                }
            };
            temps.push(staged);
        }
        // 3. Put each in place, remembering how to undo it.
        let mut tx = Tx {
            replace: self.replace,
            undo: Vec::new(),
            done: Committed::default(),
            touched: BTreeMap::new(),
        };
        for (op, temp) in self.ops.iter().zip(temps.iter_mut()) {
            let step = if interrupted() {
                Err(OutputError::Interrupted(op_path(op).to_path_buf()))
            } else {
                tx.apply(op, temp.take())
            };
            if let Err(e) = step {
                let left = tx.undo();
                return Err(match e {
                    OutputError::FileIo { path, error, .. } => {
                        OutputError::FileIo { path, error, left }
                    }
                    other if left.is_empty() => other,
                    other => OutputError::FileIo {
                        path: op_path(op).to_path_buf(),
                        error: other.to_string(),
                        left,
                    },
                });
            }
        }
        tx.finish();
        Ok(tx.done)
    }
}

fn op_path(op: &Op) -> &Path {
    match op {
        Op::Dir(p) => p,
        Op::File { path, .. } | Op::Edit { path, .. } => path,
    }
}

fn file_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    plain_name(name).then(|| name.to_string())
}

enum DirState {
    /// Exists (or is created earlier in the batch).
    Ready,
    /// Does not exist, and nothing in the way of creating it.
    Missing,
    /// This path (the folder or a parent) is a file.
    Blocked(PathBuf),
}

fn dir_state(d: &Path, planned: &BTreeSet<PathBuf>) -> DirState {
    if planned.contains(d) {
        return DirState::Ready;
    }
    let mut cur = d.to_path_buf();
    let mut first = true;
    loop {
        match fs::metadata(&cur) {
            Ok(m) if m.is_dir() => {
                return if first {
                    DirState::Ready
                } else {
                    DirState::Missing
                };
            }
            Ok(_) => return DirState::Blocked(cur),
            Err(_) if fs::symlink_metadata(&cur).is_ok() => return DirState::Blocked(cur),
            Err(_) => {}
        }
        if planned.contains(&cur) {
            return DirState::Missing;
        }
        first = false;
        match cur.parent() {
            Some(p) if !p.as_os_str().is_empty() => cur = p.to_path_buf(),
            _ => return DirState::Missing,
        }
    }
}

fn too_long_component(d: &Path) -> Option<PathBuf> {
    let mut acc = PathBuf::new();
    for c in d.components() {
        acc.push(c);
        if name_too_long(c.as_os_str()) {
            return Some(acc);
        }
    }
    None
}

/// The nearest folder of `path` that exists (where its temporary file is staged).
fn existing_ancestor(path: &Path) -> PathBuf {
    let mut cur = parent_of(path);
    loop {
        if fs::metadata(&cur).is_ok_and(|m| m.is_dir()) {
            return cur;
        }
        match cur.parent() {
            Some(p) if !p.as_os_str().is_empty() => cur = p.to_path_buf(),
            _ => return PathBuf::from("."),
        }
    }
}

/// The loose-file manifest of `dir` (`None`: no manifest), or why `dir` cannot take a
/// loose file.
fn read_loose_manifest(dir: &Path) -> Result<Option<Manifest>, Refusal> {
    let path = dir.join(MANIFEST);
    let bad = |why| Refusal {
        path: path.clone(),
        why,
    };
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(_) => Err(bad(Refuse::NotOurs(NotOurs::BadManifest))),
        Ok(m) if !m.is_file() => Err(bad(Refuse::NotOurs(NotOurs::NotAFile))),
        Ok(_) => match super::manifest::read_manifest(&path)
            .ok()
            .and_then(|b| Manifest::parse(&b))
        {
            None => Err(bad(Refuse::NotOurs(NotOurs::BadManifest))),
            Some(m) if m.is_packet() => Err(Refusal {
                path: dir.to_path_buf(),
                why: Refuse::InPacket,
            }),
            Some(m) => Ok(Some(m)),
        },
    }
}

/// Why a file the tool writes may not go to `path` (`None`: it may).
fn target_refusal(
    path: &Path,
    name: &str,
    manifest: Option<&Manifest>,
    replace: bool,
) -> Option<Refuse> {
    let md = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(_) => return Some(Refuse::NotOurs(NotOurs::Unknown)),
        Ok(m) => m,
    };
    if !md.is_file() {
        return Some(Refuse::NotOurs(NotOurs::NotAFile));
    }
    let listed = manifest.map(|m| m.entries_for(name)).unwrap_or_default();
    if listed.is_empty() {
        return Some(Refuse::NotOurs(NotOurs::Unknown));
    }
    if !matches_any(path, &listed) {
        return Some(Refuse::NotOurs(NotOurs::Edited));
    }
    (!replace).then_some(Refuse::NeedsReplace)
}

/// Why `path` cannot be edited (`None`: it still holds `expected`, a plain file).
fn edit_refusal(path: &Path, expected: &[u8]) -> Option<Refuse> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Some(Refuse::NotOurs(NotOurs::NotAFile)),
        Err(_) => return Some(Refuse::Changed),
    }
    match fs::read(path) {
        Ok(now) if now == expected => None,
        _ => Some(Refuse::Changed),
    }
}

enum Undo {
    /// Folders created (outermost first).
    Dirs(Vec<PathBuf>),
    /// A new file: removed if it still holds what was written.
    NewFile { path: PathBuf, entry: ManifestEntry },
    /// A replaced or edited file: its old content put back.
    Restore {
        path: PathBuf,
        old: Vec<u8>,
        mode: Option<Permissions>,
    },
    /// A manifest: its old content put back (`None`: there was none).
    Manifest { dir: PathBuf, old: Option<Vec<u8>> },
}

struct Tx {
    replace: bool,
    undo: Vec<Undo>,
    done: Committed,
    /// Directories whose manifest changed, with the names written there (their superseded
    /// entries are dropped at the end).
    touched: BTreeMap<PathBuf, BTreeSet<String>>,
}

impl Tx {
    fn apply(&mut self, op: &Op, temp: Option<Temp>) -> Result<(), OutputError> {
        match op {
            Op::Dir(d) => {
                let made = create_dirs(d).map_err(|e| OutputError::file_io(d, &e))?;
                self.done.dirs.extend(made.iter().cloned());
                self.undo.push(Undo::Dirs(made));
                Ok(())
            }
            Op::File { path, bytes, .. } => {
                let temp = temp.expect("a staged file");
                self.place(path, bytes, temp, None)
            }
            Op::Edit {
                path,
                expected,
                bytes,
            } => {
                let temp = temp.expect("a staged file");
                self.place(path, bytes, temp, Some(expected))
            }
        }
    }

    /// Puts one staged file in place (`expected`: an edit).
    fn place(
        &mut self,
        path: &Path,
        bytes: &[u8],
        temp: Temp,
        expected: Option<&Vec<u8>>,
    ) -> Result<(), OutputError> {
        let io = |e: io::Error| OutputError::file_io(path, &e);
        let refused = |why| {
            OutputError::Refused(vec![Refusal {
                path: path.to_path_buf(),
                why,
            }])
        };
        let dir = parent_of(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lock = match lock_dir_wait(&dir) {
            Ok(l) => l,
            Err(LockError::Busy) => {
                return Err(OutputError::Refused(vec![Refusal {
                    path: dir.clone(),
                    why: Refuse::Busy,
                }]))
            }
            Err(LockError::Io(e)) => return Err(io(e)),
        };
        let manifest = match read_loose_manifest(&dir) {
            Ok(m) => m,
            Err(r) => return Err(OutputError::Refused(vec![r])),
        };
        // Check again, under the lock: the path may have changed since the preflight.
        let old = match expected {
            Some(exp) => {
                if let Some(why) = edit_refusal(path, exp) {
                    return Err(refused(why));
                }
                Some(exp.clone())
            }
            None => {
                if let Some(why) = target_refusal(path, &name, manifest.as_ref(), self.replace) {
                    return Err(refused(why));
                }
                match fs::symlink_metadata(path) {
                    Ok(_) => Some(fs::read(path).map_err(io)?),
                    Err(_) => None,
                }
            }
        };
        let old_mode = fs::symlink_metadata(path).ok().map(|m| m.permissions());
        let new_entry = ManifestEntry::of(&name, bytes);
        // The manifest first: once the file is in place, it is known to be the tool's. An
        // edit is recorded only when the file was the tool's unchanged output.
        let record = match (expected, &manifest) {
            (None, _) => true,
            (Some(exp), Some(m)) => {
                let content = Content::new(exp);
                m.entries_for(&name).iter().any(|e| content.is(e))
            }
            (Some(_), None) => false,
        };
        if record {
            let mut files = manifest
                .as_ref()
                .map(|m| m.files.clone())
                .unwrap_or_default();
            files.push(new_entry.clone());
            let old_bytes = manifest
                .as_ref()
                .and_then(|_| super::manifest::read_manifest(&dir.join(MANIFEST)).ok());
            put_manifest(&dir, &Manifest::loose(files))
                .map_err(|e| OutputError::file_io(&dir.join(MANIFEST), &e))?;
            self.undo.push(Undo::Manifest {
                dir: dir.clone(),
                old: old_bytes,
            });
            self.touched
                .entry(dir.clone())
                .or_default()
                .insert(name.clone());
        }
        match old {
            None => {
                match rename_noreplace(&temp.path, path) {
                    Ok(()) => temp.kept(),
                    Err(e) if exists_error(&e) => {
                        return Err(refused(Refuse::NotOurs(NotOurs::Unknown)))
                    }
                    Err(e) => return Err(io(e)),
                }
                self.undo.push(Undo::NewFile {
                    path: path.to_path_buf(),
                    entry: new_entry.clone(),
                });
                self.done.created.push(path.to_path_buf());
            }
            Some(old) => {
                fs::rename(&temp.path, path).map_err(io)?;
                temp.kept();
                self.undo.push(Undo::Restore {
                    path: path.to_path_buf(),
                    old,
                    mode: old_mode,
                });
                if expected.is_some() {
                    self.done.edited.push(path.to_path_buf());
                } else {
                    self.done.replaced.push(path.to_path_buf());
                }
            }
        }
        let _ = sync_dir(&dir);
        drop(lock);
        Ok(())
    }

    /// Undoes everything, newest first. Returns the paths it could not put back.
    fn undo(&mut self) -> Vec<PathBuf> {
        let mut left = Vec::new();
        for u in std::mem::take(&mut self.undo).into_iter().rev() {
            match u {
                Undo::Dirs(made) => {
                    remove_created(&made);
                    left.extend(made.into_iter().filter(|d| d.exists()));
                }
                Undo::NewFile { path, entry } => {
                    let ours = fs::read(&path).is_ok_and(|b| entry.matches(&b));
                    if !(ours && fs::remove_file(&path).is_ok()) {
                        left.push(path);
                    }
                }
                Undo::Restore { path, old, mode } => {
                    let back = Temp::file_in(&parent_of(&path), &old, mode)
                        .and_then(|t| fs::rename(&t.path, &path).map(|()| t.kept()));
                    if back.is_err() {
                        left.push(path);
                    }
                }
                Undo::Manifest { dir, old } => {
                    let _lock = lock_dir_wait(&dir);
                    let path = dir.join(MANIFEST);
                    let back = match old {
                        Some(bytes) => Temp::file_in(&dir, &bytes, manifest_mode(&dir))
                            .and_then(|t| fs::rename(&t.path, &path).map(|()| t.kept())),
                        None => fs::remove_file(&path),
                    };
                    if back.is_err() {
                        left.push(path);
                    }
                }
            }
        }
        left
    }

    /// Drops manifest entries this batch superseded (old contents of the names it wrote,
    /// names whose file is gone) and leftovers of dead runs. Best effort: an extra entry only
    /// names content the tool did write.
    fn finish(&mut self) {
        for (dir, names) in std::mem::take(&mut self.touched) {
            let Ok(_lock) = lock_dir_wait(&dir) else {
                continue;
            };
            let Ok(Some(m)) = read_loose_manifest(&dir) else {
                continue;
            };
            let mut keep: Vec<ManifestEntry> = Vec::new();
            let mut seen: BTreeSet<String> = BTreeSet::new();
            for e in &m.files {
                if !seen.insert(e.name.clone()) {
                    continue;
                }
                let path = dir.join(&e.name);
                if fs::symlink_metadata(&path).is_err() {
                    continue;
                }
                let listed = m.entries_for(&e.name);
                if names.contains(&e.name) {
                    // Only the content now in place.
                    let current = fs::read(&path).ok();
                    let content = current.as_deref().map(Content::new);
                    match listed
                        .iter()
                        .find(|x| content.as_ref().is_some_and(|c| c.is(x)))
                    {
                        Some(x) => keep.push((*x).clone()),
                        None => keep.extend(listed.into_iter().cloned()),
                    }
                } else {
                    keep.extend(listed.into_iter().cloned());
                }
            }
            if keep != m.files {
                let _ = put_manifest(&dir, &Manifest::loose(keep));
            }
            clean_dead_staging(&dir);
            let _ = sync_dir(&dir);
        }
    }
}

/// Replaces (or creates) `dir`'s manifest atomically. The caller holds the lock.
fn put_manifest(dir: &Path, m: &Manifest) -> io::Result<()> {
    let t = Temp::file_in(dir, &m.to_bytes(), manifest_mode(dir))?;
    fs::rename(&t.path, dir.join(MANIFEST))?;
    t.kept();
    Ok(())
}

fn manifest_mode(dir: &Path) -> Option<Permissions> {
    fs::symlink_metadata(dir.join(MANIFEST))
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions())
}

/// Writes one file the tool makes (see [`Batch::file`]).
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<Committed, OutputError> {
    let mut b = Batch::new(replace);
    b.file(path, bytes);
    b.commit()
}
