//! Checking and writing a whole book, one client per task on all cores. One bad client
//! never stops the others: its errors stay in its results.

use super::history::{self, Built};
use super::{load_client, names, Book, Client, State};
use crate::evaluate::{evaluate, Evaluation};
use crate::model::Claim;
use crate::validate::InputError;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Maps `f` over `items` on all cores, keeping the order. `tick` is called after each item.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    tick: &(dyn Fn() + Sync),
) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() {
                    break;
                }
                let r = f(&items[i]);
                slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                tick();
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

/// One claim of the book, checked.
#[derive(Debug, Clone)]
pub struct ClaimResult {
    pub stem: String,
    pub file: String,
    pub state: State,
    pub built: Option<Built>,
    pub claim: Option<Claim>,
    pub eval: Option<Evaluation>,
    /// Input errors: the claim file, its record, the profile, or an earlier claim.
    pub errors: Vec<InputError>,
    /// Set by [`write_packets`]: the folder written, or why none was.
    pub packet: Option<PacketOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketOutcome {
    Written(PathBuf),
    /// Not made, on purpose (submitted already, not eligible without --allow-ineligible).
    Skipped(String),
    /// Could not be made or written.
    Failed(String),
}

impl ClaimResult {
    pub fn contradictions(&self) -> &[String] {
        self.built
            .as_ref()
            .map(|b| b.contradictions.as_slice())
            .unwrap_or(&[])
    }
}

/// One client, checked.
#[derive(Debug, Clone)]
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
    let client = load_client(dir);
    let claims = (0..client.claims.len())
        .map(|i| check_claim(&client, i, today, preflight))
        .collect();
    ClientResult { client, claims }
}

fn check_claim(client: &Client, i: usize, today: NaiveDate, preflight: bool) -> ClaimResult {
    let c = &client.claims[i];
    let mut r = ClaimResult {
        stem: c.stem.clone(),
        file: c.src.label.clone(),
        state: c.state(),
        built: None,
        claim: None,
        eval: None,
        errors: Vec::new(),
        packet: None,
    };
    if let Some(e) = &c.error {
        r.errors.push(e.clone());
        return r;
    }
    if let Some(e) = &client.profile_error {
        r.errors.push(e.clone());
        return r;
    }
    let built = history::build(client, i);
    match history::parse(&built) {
        Ok(claim) => {
            let mut ev = evaluate(&claim, today);
            if preflight && r.state == State::Open {
                // `check` promises the packet: what would make it fail is found now.
                ev.form_problems = crate::packet::preflight(&claim, &ev);
            }
            r.eval = Some(ev);
            r.claim = Some(claim);
        }
        Err(errs) => r.errors = errs,
    }
    r.built = Some(built);
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

/// The output folder of each client (the establishment's name made safe; duplicates
/// numbered), in the order of `results`.
pub fn client_folder_names(results: &[ClientResult]) -> Vec<String> {
    names::dedupe(
        results
            .iter()
            .map(|r| names::safe_component(&r.client.display_name()))
            .collect(),
    )
}

/// The output folder of a claim inside its client's folder.
pub fn claim_folder_name(r: &ClaimResult) -> String {
    let grant = r
        .claim
        .as_ref()
        .map(|c| super::grant_short(c.grant.id()).to_string())
        .unwrap_or_default();
    let round = r
        .claim
        .as_ref()
        .map(|c| format!("{}回目", c.round))
        .unwrap_or_default();
    names::safe_component(&format!("{grant}{round}_{}", r.stem))
}

/// Makes the packet of every open claim, one folder per client and claim under `out`, on
/// all cores. Each claim's outcome is recorded in its result.
pub fn write_packets(
    results: &mut [ClientResult],
    out: &Path,
    opts: PacketOptions,
    tick: &(dyn Fn() + Sync),
) -> Result<(), String> {
    std::fs::create_dir_all(out)
        .map_err(|e| format!("出力先 {} を作れません（{e}）。", out.display()))?;
    let folders = client_folder_names(results);
    let jobs: Vec<(usize, PathBuf)> = folders
        .iter()
        .enumerate()
        .map(|(i, f)| (i, out.join(f)))
        .collect();
    let shared: &[ClientResult] = results;
    let outcomes: Vec<Vec<Option<PacketOutcome>>> = par_map(
        &jobs,
        |(i, dir)| {
            let cr = &shared[*i];
            let claim_names =
                names::dedupe(cr.claims.iter().map(claim_folder_name).collect::<Vec<_>>());
            cr.claims
                .iter()
                .zip(claim_names)
                .map(|(r, name)| packet_one(r, &dir.join(name), opts))
                .collect()
        },
        tick,
    );
    for (cr, outs) in results.iter_mut().zip(outcomes) {
        for (r, o) in cr.claims.iter_mut().zip(outs) {
            r.packet = o;
        }
    }
    Ok(())
}

fn packet_one(r: &ClaimResult, dir: &Path, opts: PacketOptions) -> Option<PacketOutcome> {
    if r.state != State::Open {
        return Some(PacketOutcome::Skipped(format!(
            "{}のため作成していません",
            r.state.label()
        )));
    }
    let (Some(claim), Some(ev)) = (&r.claim, &r.eval) else {
        return Some(PacketOutcome::Failed(
            "入力エラーのため作成していません".into(),
        ));
    };
    if ev.eligible == Some(false) && !opts.allow_ineligible {
        return Some(PacketOutcome::Skipped(
            "支給要件を満たさないため作成していません（--allow-ineligible で作成）".into(),
        ));
    }
    if crate::output::interrupted() {
        return Some(PacketOutcome::Failed("中断しました".into()));
    }
    let packet = match crate::packet::build(claim, ev) {
        Ok(p) => p,
        Err(e) => return Some(PacketOutcome::Failed(e.to_string())),
    };
    if let Some(parent) = dir.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            return Some(PacketOutcome::Failed(format!(
                "{} を作れません（{e}）",
                parent.display()
            )));
        }
    }
    match crate::output::write_packet(dir, &packet.files, opts.replace) {
        Ok(_) => Some(PacketOutcome::Written(dir.to_path_buf())),
        Err(e) => Some(PacketOutcome::Failed(e.to_string())),
    }
}
