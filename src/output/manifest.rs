//! The manifest: what the tool wrote into a directory, by name, size and content hash
//! (`hash`: `xxh3-128:<hex>`, a hash made for speed: it tells the tool's own files from
//! edited ones, it is no guard against an attacker; manifests written before `hash`
//! existed give `sha256` instead, and are still read).
//!
//! Two kinds, told apart by `scope`:
//! - **packet** (`"scope": "packet"`, format 1; manifests written before `scope` existed have
//!   no `scope` and are packets): the directory is owned whole. It holds exactly the listed
//!   files (plus the tool's own staging directories) and is replaced as a whole.
//! - **files** (`"scope": "files"`, format 2): loose files the tool wrote into a directory
//!   that also holds other things (a CSV beside a roster, an HTML page, client.toml). Only
//!   the listed files are the tool's; a name may be listed with more than one content while
//!   a file is being replaced (every listed content is the tool's). Format 2 keeps a version
//!   that knows only packets from mistaking such a directory for its own packet.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name.
pub const MANIFEST: &str = ".johas-claim-manifest.json";
/// Prefix of the tool's temporary files and staging directories:
/// `.johas-claim-incomplete-<pid>-<hex>`.
pub const STAGING_PREFIX: &str = ".johas-claim-incomplete-";
pub(crate) const TOOL: &str = "johas-claim";
const FORMAT_PACKET: u32 = 1;
const FORMAT_FILES: u32 = 2;

/// The algorithm of [`ManifestEntry::hash`], as its value names it.
pub const HASH_ALGORITHM: &str = "xxh3-128";

/// One file the tool wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub size: u64,
    /// SHA-256 as lower-case hex: what manifests written before `hash` give (still read;
    /// no longer written).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// The content hash as `<algorithm>:<lower-case hex>` ([`content_hash`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl ManifestEntry {
    pub fn of(name: &str, bytes: &[u8]) -> ManifestEntry {
        ManifestEntry {
            name: name.to_string(),
            size: bytes.len() as u64,
            sha256: String::new(),
            hash: Some(content_hash(bytes)),
        }
    }

    /// Whether `bytes` are this entry's content (by `hash`, or by `sha256` in an older
    /// manifest; an entry with neither matches nothing).
    pub fn matches(&self, bytes: &[u8]) -> bool {
        Content::new(bytes).is(self)
    }
}

/// A file's content, hashed at most once per algorithm however many entries it is
/// compared with.
pub struct Content<'a> {
    bytes: &'a [u8],
    hash: std::cell::OnceCell<String>,
    sha256: std::cell::OnceCell<String>,
}

impl<'a> Content<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Content {
            bytes,
            hash: Default::default(),
            sha256: Default::default(),
        }
    }

    /// Whether this is the content `e` lists.
    pub fn is(&self, e: &ManifestEntry) -> bool {
        if e.size != self.bytes.len() as u64 {
            return false;
        }
        match &e.hash {
            Some(h) => *h == *self.hash.get_or_init(|| content_hash(self.bytes)),
            None => {
                !e.sha256.is_empty()
                    && e.sha256 == *self.sha256.get_or_init(|| sha256_hex(self.bytes))
            }
        }
    }
}

/// The content hash a manifest records: `xxh3-128:` and 32 lower-case hex digits.
pub fn content_hash(bytes: &[u8]) -> String {
    format!(
        "{HASH_ALGORITHM}:{:032x}",
        xxhash_rust::xxh3::xxh3_128(bytes)
    )
}

/// `complete`: the directory holds exactly the listed files. `pending`: a run was replacing
/// a packet; each name may appear twice (old and new content are both ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManifestState {
    Complete,
    Pending,
}

/// What a manifest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The whole directory is one output (a packet).
    Packet,
    /// Only the listed files are the tool's.
    Files,
}

/// The record of what the tool wrote into a directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub format: u32,
    /// `None`: written before scopes existed, a packet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    pub state: ManifestState,
    /// The staging directory of a pending run (ours to remove).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staging: Option<String>,
    pub files: Vec<ManifestEntry>,
}

impl Manifest {
    /// A packet directory's manifest.
    pub fn packet(
        state: ManifestState,
        staging: Option<String>,
        files: Vec<ManifestEntry>,
    ) -> Manifest {
        Manifest {
            tool: TOOL.into(),
            format: FORMAT_PACKET,
            scope: Some(Scope::Packet),
            state,
            staging,
            files,
        }
    }

    /// A loose-file manifest.
    pub fn loose(files: Vec<ManifestEntry>) -> Manifest {
        Manifest {
            tool: TOOL.into(),
            format: FORMAT_FILES,
            scope: Some(Scope::Files),
            state: ManifestState::Complete,
            staging: None,
            files,
        }
    }

    /// The directory is owned whole (a packet).
    pub fn is_packet(&self) -> bool {
        self.scope != Some(Scope::Files)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).expect("a manifest serialises");
        s.push('\n');
        s.into_bytes()
    }

    /// Reads a manifest; `None` when it is not one of ours or lists an unsafe name.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes).ok()?;
        let names_ok = m.files.iter().all(|e| plain_name(&e.name))
            && m.staging.as_deref().is_none_or(is_staging_name);
        let format_ok = match m.format {
            FORMAT_PACKET => true,
            FORMAT_FILES => m.scope == Some(Scope::Files),
            _ => false,
        };
        (m.tool == TOOL && format_ok && names_ok).then_some(m)
    }

    /// The entries listed under `name`.
    pub fn entries_for(&self, name: &str) -> Vec<&ManifestEntry> {
        self.files.iter().filter(|e| e.name == name).collect()
    }
}

/// SHA-256 as lower-case hex (the `sha256` of older manifests).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file name without directory parts, and none the tool keeps for itself.
pub(crate) fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && name != MANIFEST
        && !name.starts_with(STAGING_PREFIX)
}

/// `.johas-claim-incomplete-<pid>-<hex>`; the pid when it is one.
pub(crate) fn staging_pid(name: &str) -> Option<u32> {
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

pub(crate) fn is_staging_name(name: &str) -> bool {
    staging_pid(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_written_with_hash_and_read_with_sha256_too() {
        let e = ManifestEntry::of("a.pdf", b"abc");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "a.pdf", "size": 3,
                "hash": "xxh3-128:06b05ab6733a618578af5f94892f3950"})
        );
        assert!(e.matches(b"abc"));
        assert!(!e.matches(b"abd"));
        // A manifest written before `hash`: only `sha256`.
        let old: ManifestEntry = serde_json::from_value(serde_json::json!({"name": "a.pdf",
            "size": 3, "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}))
        .unwrap();
        assert!(old.matches(b"abc"));
        assert!(!old.matches(b"abd"));
        // Neither: nothing is ours.
        let none: ManifestEntry =
            serde_json::from_value(serde_json::json!({"name": "a.pdf", "size": 3})).unwrap();
        assert!(!none.matches(b"abc"));
    }

    #[test]
    fn old_manifests_are_packets_and_loose_ones_are_told_apart() {
        let old = br#"{"tool":"johas-claim","format":1,"state":"complete","files":[]}"#;
        let m = Manifest::parse(old).unwrap();
        assert!(m.is_packet());
        let loose = Manifest::loose(vec![ManifestEntry::of("a.csv", b"x")]);
        let back = Manifest::parse(&loose.to_bytes()).unwrap();
        assert!(!back.is_packet());
        assert_eq!(back.format, 2);
        let packet = Manifest::packet(ManifestState::Complete, None, vec![]);
        assert!(Manifest::parse(&packet.to_bytes()).unwrap().is_packet());
        // Format 2 is only for loose files; an unknown format is not ours.
        let bad = br#"{"tool":"johas-claim","format":2,"state":"complete","files":[]}"#;
        assert!(Manifest::parse(bad).is_none());
        let future =
            br#"{"tool":"johas-claim","format":3,"scope":"files","state":"complete","files":[]}"#;
        assert!(Manifest::parse(future).is_none());
    }
}

/// Reads a manifest file's bytes, never more than its limit (`crate::input::limits::MANIFEST`):
/// a larger file is not one of ours (empty bytes, which no manifest parses from).
pub fn read_manifest(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    match crate::input::limits::read_file(path, crate::input::limits::MANIFEST) {
        Ok(bytes) => Ok(bytes),
        Err(crate::input::limits::ReadError::Io(e)) => Err(e),
        Err(_) => Ok(Vec::new()),
    }
}
