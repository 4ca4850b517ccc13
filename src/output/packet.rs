//! Writing the packet directory. The rule: never lose or overwrite what this tool did not
//! write.
//!
//! Every output directory holds a manifest, [`super::manifest::MANIFEST`], listing each file the tool wrote
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
//!   [`super::signals::install_interrupt_handler`] is called (the command line does).

use super::fsys::{
    clean_dead_staging, create_dirs, dead_staging, exists_error, lock_dir, matches_any, parent_of,
    remove_created, rename_noreplace, same_dir, start_writeback, sync_dir, write_synced, LockError,
    Temp,
};
use super::manifest::{
    is_staging_name, plain_name, Manifest, ManifestEntry, ManifestState, MANIFEST,
};
use super::refusal::{Blocker, NotOurs, OutputError};
use super::signals::{interrupted, interruptible, remove_any};
use crate::model::doc::OutputFile;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

/// The manifest entries of `files`, in order. (Parallelism is decided by the caller: a book
/// writes many packets at once.)
fn entries(files: &[OutputFile]) -> Vec<ManifestEntry> {
    files
        .iter()
        .map(|f| ManifestEntry::of(&f.name, &f.bytes))
        .collect()
}

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
    let _active = interruptible();
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => write_in_place(dir, files, replace),
        Ok(_) => Err(OutputError::NotADirectory(dir.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => create_new(dir, files),
        Err(e) => Err(OutputError::Io {
            dir: dir.to_path_buf(),
            what: "出力先の確認".into(),
            error: super::fsys::io_ja(&e),
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
                error: super::fsys::io_ja(&e),
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

/// Removes a packet directory this tool wrote, only when everything in it is the tool's
/// unchanged output (else `NotOurs` naming what is not, and nothing is removed). A directory
/// without a packet manifest is not a packet: `NotOurs`. Returns the files removed.
pub fn remove_packet(dir: &Path) -> Result<Vec<String>, OutputError> {
    let _active = interruptible();
    let (lock, s) = lock_and_scan(dir)?;
    let io_err = |what: &str, e: io::Error| io_error(dir, what, e);
    if !s.blockers.is_empty() || s.manifest.is_none() {
        let mut files = s.blockers;
        if files.is_empty() {
            files.push(Blocker {
                name: MANIFEST.into(),
                why: NotOurs::Unknown,
            });
        }
        return Err(OutputError::NotOurs {
            dir: dir.to_path_buf(),
            files,
        });
    }
    check_interrupt(dir)?;
    // Out of sight first (one rename), then emptied: the folder never shows half a packet.
    let parent = parent_of(dir);
    let hidden = Temp::dir_in(&parent).map_err(|e| io_err("一時ディレクトリの作成", e))?;
    fs::remove_dir(&hidden.path).map_err(|e| io_err("一時ディレクトリの作成", e))?;
    fs::rename(dir, &hidden.path).map_err(|e| io_err("名前の変更", e))?;
    drop(lock);
    let mut removed: Vec<String> = s.ours.iter().cloned().collect();
    removed.sort();
    // `hidden` is removed with what it holds when dropped: only the files scanned as ours,
    // the manifest and our leftovers were in it (anything that appeared since the scan
    // would be the user's, so check once more and put the folder back if so).
    let now: Vec<String> = fs::read_dir(&hidden.path)
        .map_err(|e| io_err("中身の確認", e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let unexpected: Vec<String> = now
        .into_iter()
        .filter(|n| n != MANIFEST && !s.ours.contains(n) && !s.leftovers.contains(n))
        .collect();
    if !unexpected.is_empty() {
        let back = fs::rename(&hidden.path, dir);
        if back.is_ok() {
            hidden.kept();
        }
        return Err(OutputError::NotOurs {
            dir: dir.to_path_buf(),
            files: unexpected
                .into_iter()
                .map(|name| Blocker {
                    name,
                    why: NotOurs::Unknown,
                })
                .collect(),
        });
    }
    drop(hidden);
    let _ = sync_dir(&parent);
    Ok(removed)
}

/// An I/O error before anything changed.
fn io_error(dir: &Path, what: &str, e: io::Error) -> OutputError {
    OutputError::Io {
        dir: dir.to_path_buf(),
        what: what.to_string(),
        error: super::fsys::io_ja(&e),
        restored: true,
    }
}

/// Locks an existing directory (still the one the path names) and reads what it holds.
fn lock_and_scan(dir: &Path) -> Result<(std::fs::File, Scan), OutputError> {
    let lock = lock_dir(dir).map_err(|e| lock_error(dir, e))?;
    if !same_dir(dir, &lock) {
        return Err(OutputError::Appeared(dir.to_path_buf()));
    }
    let s = scan(dir).map_err(|e| io_error(dir, "中身の確認", e))?;
    Ok((lock, s))
}

fn lock_error(dir: &Path, e: LockError) -> OutputError {
    match e {
        LockError::Busy => OutputError::Busy(dir.to_path_buf()),
        LockError::Io(e) => OutputError::Io {
            dir: dir.to_path_buf(),
            what: "ロック".into(),
            error: super::fsys::io_ja(&e),
            restored: true,
        },
    }
}

/// Writes every file, new, into `dir`, then syncs them. The disk is asked to start writing
/// each file as soon as it is written ([`start_writeback`]), so the syncs mostly find the
/// data already on its way instead of waiting for one file after another (parallelism is
/// the caller's: a book writes many packets at once). `Err` names the file.
fn write_files_synced(
    dir: &Path,
    files: &[OutputFile],
    check: &dyn Fn() -> Result<(), OutputError>,
    fail: &dyn Fn(&str, io::Error) -> OutputError,
) -> Result<(), OutputError> {
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        check()?;
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(&f.name))
            .map_err(|e| fail(&f.name, e))?;
        file.write_all(&f.bytes).map_err(|e| fail(&f.name, e))?;
        start_writeback(&file);
        written.push((f.name.as_str(), file));
    }
    for (name, file) in &written {
        file.sync_all().map_err(|e| fail(name, e))?;
    }
    check()
}

fn check_interrupt(dir: &Path) -> Result<(), OutputError> {
    if interrupted() {
        Err(OutputError::Interrupted(dir.to_path_buf()))
    } else {
        Ok(())
    }
}

/// A new directory: staged beside it, then renamed into place if it still does not exist.
fn create_new(dir: &Path, files: &[OutputFile]) -> Result<WriteReport, OutputError> {
    let fail = |what: &str| {
        let what = what.to_string();
        move |e: io::Error| OutputError::Io {
            dir: dir.to_path_buf(),
            what,
            error: super::fsys::io_ja(&e),
            restored: true,
        }
    };
    let parent = parent_of(dir);
    let made = create_dirs(&parent).map_err(fail("親ディレクトリの作成"))?;
    let result = stage_and_place(dir, &parent, files);
    if result.is_err() {
        remove_created(&made);
    }
    result
}

fn stage_and_place(
    dir: &Path,
    parent: &Path,
    files: &[OutputFile],
) -> Result<WriteReport, OutputError> {
    let fail = |what: &str| {
        let what = what.to_string();
        move |e: io::Error| OutputError::Io {
            dir: dir.to_path_buf(),
            what,
            error: super::fsys::io_ja(&e),
            restored: true,
        }
    };
    let cleaned = clean_dead_staging(parent);
    let staging = Temp::dir_in(parent).map_err(fail("一時ディレクトリの作成"))?;
    write_files_synced(
        &staging.path,
        files,
        &|| check_interrupt(dir),
        &|name, e| fail(name)(e),
    )?;
    let manifest = Manifest::packet(ManifestState::Complete, None, entries(files));
    write_synced(&staging.path.join(MANIFEST), &manifest.to_bytes()).map_err(fail(MANIFEST))?;
    sync_dir(&staging.path).map_err(fail("一時ディレクトリ"))?;
    check_interrupt(dir)?;
    match rename_noreplace(&staging.path, dir) {
        Ok(()) => staging.kept(),
        Err(e) if exists_error(&e) => return Err(OutputError::Appeared(dir.to_path_buf())),
        Err(e) => return Err(fail("名前の変更")(e)),
    }
    let _ = sync_dir(parent);
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
    let mut loose: BTreeSet<String> = BTreeSet::new();
    match fs::symlink_metadata(&mpath) {
        Ok(m) if m.is_file() => {
            let bytes = super::manifest::read_manifest(&mpath)?;
            match Manifest::parse(&bytes) {
                Some(m) if m.is_packet() => {
                    s.manifest = Some(m);
                    s.manifest_bytes = Some(bytes);
                }
                Some(m) => {
                    // Loose files the tool wrote here: ours, but this is no packet folder.
                    s.blockers.push(Blocker {
                        name: MANIFEST.into(),
                        why: NotOurs::OtherOutput,
                    });
                    loose = m.files.into_iter().map(|e| e.name).collect();
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
                why: if loose.contains(&name) {
                    NotOurs::OtherOutput
                } else {
                    NotOurs::Unknown
                },
                name,
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
    let (lock, s) = lock_and_scan(dir)?;
    let io_before = |what: &str, e: io::Error| io_error(dir, what, e);
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
        remove_any(&dir.join(l));
        if fs::symlink_metadata(dir.join(l)).is_ok() {
            return Err(io_before(l, io::Error::other("削除できません")));
        }
        cleaned.push(l.clone());
    }

    let staging = Temp::dir_in(dir).map_err(|e| io_before("一時ディレクトリの作成", e))?;
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
            error: super::fsys::io_ja(&e),
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
        let pending = Manifest::packet(ManifestState::Pending, Some(self.staging.name()), pending);
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
        let done = Manifest::packet(ManifestState::Complete, None, new_entries);
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
