//! Checking and writing a whole book, one client per task on all cores. One bad client
//! never stops the others: its errors stay in its results.

use super::{names, Book, Client, State};
use crate::input::InputError;
use crate::programmes::Judgement;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Maps `f` over `items` on the process's one thread pool, keeping the order. `tick` is
/// called after each item.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    tick: &(dyn Fn() + Sync),
) -> Vec<R> {
    items
        .par_iter()
        .map(|x| {
            let r = f(x);
            tick();
            r
        })
        .collect()
}

/// One claim of the book, checked.
#[derive(Debug)]
pub struct ClaimResult {
    pub stem: String,
    pub file: String,
    pub state: State,
    /// The programme the file names (`claim.grant`, `programme`), even when it could not be
    /// read.
    pub programme: Option<String>,
    /// The facts judged, when the files could be read.
    pub judged: Option<Box<dyn Judgement>>,
    /// Contradictions between the claim and the book (the claim is then not complete).
    pub contradictions: Vec<String>,
    /// The book's remarks on it.
    pub notes: Vec<String>,
    /// The book's claims its history was derived from.
    pub derived_from: Vec<String>,
    /// Input errors: the claim file, its record, the profile, or an earlier claim.
    pub errors: Vec<InputError>,
    /// Set by [`write_packets`]: the folder written, or why none was.
    pub packet: Option<PacketOutcome>,
    /// The client's previous judged file of the same programme (its stem), when there is one.
    pub previous: Option<String>,
    /// What changed since [`ClaimResult::previous`] (`Judgement::changes_since`).
    pub changes: Vec<String>,
    /// A later file of the client that replaces this one (the newest visit's answers), by
    /// stem: this one then decides nothing and gets no packet or deadlines.
    pub superseded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketOutcome {
    Written(PathBuf),
    /// Not made, on purpose (submitted already, not eligible without --allow-ineligible).
    Skipped(String),
    /// Could not be made or written.
    Failed(String),
    /// Not made: the run was interrupted (Ctrl-C) first.
    Interrupted,
}

/// One client, checked.
#[derive(Debug)]
pub struct ClientResult {
    pub client: Client,
    pub claims: Vec<ClaimResult>,
}

/// Checks one client folder: every claim with its profile and history.
pub fn check_client(dir: &Path, today: NaiveDate) -> ClientResult {
    check_client_with(dir, today, true)
}

/// [`check_client`]; `preflight` = also find what would make an open claim's packet fail
/// (`deadlines` does not need it).
pub fn check_client_with(dir: &Path, today: NaiveDate, preflight: bool) -> ClientResult {
    let client = crate::programmes::load_client(dir);
    let mut claims: Vec<ClaimResult> = (0..client.claims.len())
        .map(|i| check_claim(&client, i, today, preflight))
        .collect();
    relate(&mut claims);
    ClientResult { client, claims }
}

/// The previous file of the same programme as the `i`-th, among the judged ones, in the
/// book's order.
pub fn previous_of(claims: &[ClaimResult], i: usize) -> Option<usize> {
    let id = claims[i].judged.as_ref()?.case().programme().id();
    (0..i).rev().find(|&k| {
        claims[k]
            .judged
            .as_ref()
            .is_some_and(|j| j.case().programme().id() == id)
    })
}

/// Each file's previous file of the same programme, what changed since it, and the newest
/// later file that replaces it.
fn relate(claims: &mut [ClaimResult]) {
    for i in 0..claims.len() {
        let Some(k) = previous_of(claims, i) else {
            continue;
        };
        let (changes, replaces) = match (&claims[i].judged, &claims[k].judged) {
            (Some(me), Some(prev)) => (
                me.changes_since(prev.as_ref()),
                me.supersedes(prev.as_ref()),
            ),
            _ => continue,
        };
        claims[i].previous = Some(claims[k].stem.clone());
        claims[i].changes = changes;
        if replaces {
            // Every earlier file this one replaces, not only the previous one.
            let stem = claims[i].stem.clone();
            for e in 0..i {
                let replaced = match (&claims[i].judged, &claims[e].judged) {
                    (Some(me), Some(old)) => {
                        old.case().programme().id() == me.case().programme().id()
                            && me.supersedes(old.as_ref())
                    }
                    _ => false,
                };
                if replaced {
                    claims[e].superseded_by = Some(stem.clone());
                }
            }
        }
    }
}

fn check_claim(client: &Client, i: usize, today: NaiveDate, preflight: bool) -> ClaimResult {
    let c = &client.claims[i];
    let mut r = ClaimResult {
        stem: c.stem.clone(),
        file: c.src.label.clone(),
        state: c.state(),
        programme: c.key.grant.clone(),
        judged: None,
        contradictions: Vec::new(),
        notes: Vec::new(),
        derived_from: Vec::new(),
        errors: Vec::new(),
        packet: None,
        previous: None,
        changes: Vec::new(),
        superseded_by: None,
    };
    let built = match crate::commands::load::book_input(client, i) {
        Ok(b) => b,
        Err(errors) => {
            r.errors = errors;
            return r;
        }
    };
    r.contradictions = built.contradictions;
    r.notes = built.notes;
    r.derived_from = built.derived_from;
    match crate::programmes::read(built.input) {
        Ok(case) => {
            // `check` promises the packet: what would make an open claim's fail is found now.
            r.judged = Some(case.judge(today, preflight && r.state == State::Open));
        }
        Err(e) => r.errors = e.by_file(),
    }
    r
}

/// Checks every client of the book on all cores.
pub fn check_book(book: &Book, today: NaiveDate, tick: &(dyn Fn() + Sync)) -> Vec<ClientResult> {
    check_book_with(book, today, true, tick)
}

/// [`check_book`], with or without the packet preflight.
pub fn check_book_with(
    book: &Book,
    today: NaiveDate,
    preflight: bool,
    tick: &(dyn Fn() + Sync),
) -> Vec<ClientResult> {
    par_map(
        &book.clients,
        |dir| check_client_with(dir, today, preflight),
        tick,
    )
}

/// Options for [`write_packets`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PacketOptions {
    pub allow_ineligible: bool,
    pub replace: bool,
}

/// The output folder of each client: the client's folder name in the book (which keeps the
/// office's client code, `241-青木商事`), made safe for every file system; names that
/// become the same are numbered. In the order of `results`.
pub fn client_folder_names(results: &[ClientResult]) -> Vec<String> {
    names::dedupe(
        results
            .iter()
            .map(|r| names::safe_component(&r.client.folder))
            .collect(),
    )
}

/// The output folder of a claim inside its client's folder.
pub fn claim_folder_name(r: &ClaimResult) -> String {
    let grant = r
        .judged
        .as_ref()
        .map(|j| j.case().programme().short_name().to_string())
        .unwrap_or_default();
    let round = r
        .judged
        .as_ref()
        .and_then(|j| j.case().round())
        .map(|n| format!("{n}回目"))
        .unwrap_or_default();
    names::safe_component(&format!("{grant}{round}_{}", r.stem))
}

/// One packet to make: the claim (indices into the results) and its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub client: usize,
    pub claim: usize,
    pub dir: PathBuf,
}

/// Why a claim's packet is not made (`None`: it is).
fn not_made(r: &ClaimResult, opts: PacketOptions) -> Option<PacketOutcome> {
    if let Some(newer) = &r.superseded_by {
        return Some(PacketOutcome::Skipped(format!(
            "新しいファイル（{newer}）があるため作成していません"
        )));
    }
    if r.state != State::Open {
        return Some(PacketOutcome::Skipped(format!(
            "{}のため作成していません",
            r.state.label()
        )));
    }
    let Some(j) = &r.judged else {
        return Some(PacketOutcome::Failed(
            "入力エラーのため作成していません".into(),
        ));
    };
    if j.eligible() == Some(false) && !opts.allow_ineligible {
        return Some(PacketOutcome::Skipped(
            "要件を満たさないため作成していません（--allow-ineligible で作成）".into(),
        ));
    }
    None
}

/// The packets to make, one folder per client and claim under `out`. Claims whose packet
/// is not made get their reason in their result now.
pub fn plan(results: &mut [ClientResult], out: &Path, opts: PacketOptions) -> Vec<Job> {
    let folders = client_folder_names(results);
    let mut jobs = Vec::new();
    for (ci, (cr, folder)) in results.iter_mut().zip(folders).enumerate() {
        let claim_names =
            names::dedupe(cr.claims.iter().map(claim_folder_name).collect::<Vec<_>>());
        for (k, (r, name)) in cr.claims.iter_mut().zip(claim_names).enumerate() {
            match not_made(r, opts) {
                Some(o) => r.packet = Some(o),
                None => jobs.push(Job {
                    client: ci,
                    claim: k,
                    dir: out.join(&folder).join(name),
                }),
            }
        }
    }
    jobs
}

/// `client/claim` of a folder under `out`.
fn label(out: &Path, dir: &Path) -> String {
    dir.strip_prefix(out)
        .unwrap_or(dir)
        .to_string_lossy()
        .into_owned()
}

/// Up to ten folders, then how many more.
pub fn folder_list(out: &Path, dirs: &[PathBuf]) -> String {
    let mut s: Vec<String> = dirs.iter().take(10).map(|d| label(out, d)).collect();
    if dirs.len() > 10 {
        s.push(format!("ほか {} 件", dirs.len() - 10));
    }
    s.join("、")
}

/// Says, before anything is written, whether any folder of `jobs` would be refused: one
/// message for all of them (Japanese).
pub fn check_targets(out: &Path, jobs: &[Job], replace: bool) -> Result<(), String> {
    use crate::output::{check_target, OutputError, MANIFEST};
    match std::fs::metadata(out) {
        Ok(m) if !m.is_dir() => {
            return Err(OutputError::NotADirectory(out.to_path_buf()).to_string());
        }
        Ok(_) => {
            let m = std::fs::read(out.join(MANIFEST))
                .ok()
                .and_then(|b| crate::output::Manifest::parse(&b));
            if m.is_some_and(|m| m.is_packet()) {
                return Err(format!(
                    "出力先 {} は、1件の申請の申請書類のフォルダです。ブックの申請書類は、新しいディレクトリ（またはブックの以前の出力先）を -o で指定してください。何も書き込んでいません。",
                    out.display()
                ));
            }
        }
        Err(_) => {}
    }
    let mut earlier: Vec<PathBuf> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for j in jobs {
        match check_target(&j.dir, replace) {
            Ok(()) => {}
            Err(OutputError::NeedsReplace { .. }) => earlier.push(j.dir.clone()),
            Err(OutputError::NotOurs { files, .. }) => others.push(format!(
                "  {}: {}",
                label(out, &j.dir),
                files
                    .iter()
                    .map(|b| format!("{}{}", b.name, b.why.note()))
                    .collect::<Vec<_>>()
                    .join("、")
            )),
            Err(e) => others.push(format!("  {}: {e}", label(out, &j.dir))),
        }
    }
    if earlier.is_empty() && others.is_empty() {
        return Ok(());
    }
    let mut msg = String::new();
    if !others.is_empty() {
        msg.push_str(&format!(
            "エラー: 出力先 {} の次の申請書類のフォルダには、このツールが書いたものではないファイルがあります（または使えません）。失わないように、何も書き込まず、何も消していません:\n{}\nそれらのファイルを移すか、新しい出力先を -o で指定してください。\n",
            out.display(),
            others.join("\n")
        ));
    }
    if !earlier.is_empty() {
        msg.push_str(&format!(
            "エラー: 出力先 {} には、このツールが以前に作成した申請書類のフォルダが {} 件あります: {}。何も書き込んでいません。置き換えるには --replace を付けてください（このツールが書き、その後変更されていないファイルだけを置き換えます）。別の出力先を -o で指定することもできます。\n",
            out.display(),
            earlier.len(),
            folder_list(out, &earlier)
        ));
    }
    Err(msg)
}

/// Makes the packet of every job, on all cores; each claim's outcome is recorded in its
/// result. Returns the folders written. After Ctrl-C no new packet is started, the one
/// being written is put back, and the finished ones stay.
pub fn write_packets(
    results: &mut [ClientResult],
    out: &Path,
    jobs: &[Job],
    opts: PacketOptions,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<PathBuf>, String> {
    // The output folder and the client folders; the ones made here go again if they stay
    // empty (nothing was written into them).
    let mut made: Vec<PathBuf> = crate::output::make_dirs(out).map_err(|e| {
        format!(
            "出力先 {} を作れません（{}）。",
            out.display(),
            crate::output::io_ja(&e)
        )
    })?;
    let mut parents: Vec<&Path> = jobs.iter().filter_map(|j| j.dir.parent()).collect();
    parents.dedup();
    for p in parents {
        match crate::output::make_dirs(p) {
            Ok(m) => made.extend(m),
            Err(e) => {
                crate::output::remove_made_dirs(&made);
                return Err(format!(
                    "{} を作れません（{}）。",
                    p.display(),
                    crate::output::io_ja(&e)
                ));
            }
        }
    }
    let shared: &[ClientResult] = results;
    let outcomes: Vec<PacketOutcome> = par_map(
        jobs,
        |j| packet_one(&shared[j.client].claims[j.claim], &j.dir, opts),
        tick,
    );
    let mut written = Vec::new();
    for (j, o) in jobs.iter().zip(outcomes) {
        if matches!(o, PacketOutcome::Written(_)) {
            written.push(j.dir.clone());
        }
        results[j.client].claims[j.claim].packet = Some(o);
    }
    crate::output::remove_made_dirs(&made);
    Ok(written)
}

fn packet_one(r: &ClaimResult, dir: &Path, opts: PacketOptions) -> PacketOutcome {
    if crate::output::interrupted() {
        return PacketOutcome::Interrupted;
    }
    let Some(j) = &r.judged else {
        return PacketOutcome::Failed("入力エラーのため作成していません".into());
    };
    let packet = match j.packet() {
        Ok(p) => p,
        Err(e) => return PacketOutcome::Failed(e.to_string()),
    };
    match crate::output::write_packet(dir, &packet.files, opts.replace) {
        Ok(_) => PacketOutcome::Written(dir.to_path_buf()),
        Err(e) if e.is_interrupt() => PacketOutcome::Interrupted,
        Err(e) => PacketOutcome::Failed(e.to_string()),
    }
}

/// The one message after Ctrl-C: what was not written, and how to finish.
pub fn interrupted_message(results: &[ClientResult], jobs: &[Job]) -> String {
    let missing: Vec<String> = jobs
        .iter()
        .filter(|j| {
            !matches!(
                results[j.client].claims[j.claim].packet,
                Some(PacketOutcome::Written(_))
            )
        })
        .map(|j| {
            format!(
                "{}/{}",
                results[j.client].client.folder, results[j.client].claims[j.claim].stem
            )
        })
        .collect();
    let done = jobs.len() - missing.len();
    let mut shown: Vec<String> = missing.iter().take(10).cloned().collect();
    if missing.len() > 10 {
        shown.push(format!("ほか {} 件", missing.len() - 10));
    }
    format!(
        "中断しました。{} 件の申請の申請書類を作成していません: {}。作成済みの {done} 件のフォルダは完全なまま残し、書きかけのフォルダは削除しました。残りを作成するには、同じコマンドに --replace を付けてもう一度実行してください（作成済みのフォルダは作り直します）。\n",
        missing.len(),
        shown.join("、")
    )
}

/// Packet folders under `out` (`out/<client>/<claim>/` holding a packet manifest) that
/// this run did not write.
pub fn stale_folders(out: &Path, written: &[PathBuf]) -> Vec<PathBuf> {
    use crate::output::{Manifest, MANIFEST};
    let written: std::collections::BTreeSet<&PathBuf> = written.iter().collect();
    let dirs = |p: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|it| {
                it.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    // A run's staging directory is not an output (a live run owns it; a
                    // dead one's is cleaned by the next write there).
                    .filter(|e| {
                        !e.file_name()
                            .to_string_lossy()
                            .starts_with(crate::output::STAGING_PREFIX)
                    })
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let mut stale = Vec::new();
    for client in dirs(out) {
        for claim in dirs(&client) {
            let is_packet = std::fs::read(claim.join(MANIFEST))
                .ok()
                .and_then(|b| Manifest::parse(&b))
                .is_some_and(|m| m.is_packet());
            if is_packet && !written.contains(&claim) {
                stale.push(claim);
            }
        }
    }
    stale
}

/// What [`remove_stale`] did.
#[derive(Debug, Clone, Default)]
pub struct Removal {
    /// `client/claim` folders removed.
    pub removed: Vec<String>,
    /// Folders left, with why.
    pub kept: Vec<(String, String)>,
}

/// Removes each stale packet folder that is wholly the tool's unchanged output (then its
/// client folder, if that is left empty); names the others.
pub fn remove_stale(out: &Path, stale: &[PathBuf]) -> Removal {
    let mut r = Removal::default();
    for dir in stale {
        match crate::output::remove_packet(dir) {
            Ok(_) => {
                r.removed.push(label(out, dir));
                if let Some(client) = dir.parent() {
                    // Only succeeds when nothing else is in it.
                    let _ = std::fs::remove_dir(client);
                }
            }
            Err(crate::output::OutputError::NotOurs { files, .. }) => r.kept.push((
                label(out, dir),
                format!(
                    "このツールが書いたものではないファイルがあります: {}",
                    files
                        .iter()
                        .map(|b| format!("{}{}", b.name, b.why.note()))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )),
            Err(e) => r.kept.push((label(out, dir), e.to_string())),
        }
    }
    r
}
