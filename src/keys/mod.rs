//! Who signed: every entry of a record is signed with its author's key.
//!
//! Each installation holds an Ed25519 key pair for its user ([`Identity`]),
//! made on first use in the user's data folder and readable by that user
//! only. A member's public key is recorded when they join a panel, and
//! every entry carries its author's signature, so an entry edited (or
//! written) by anyone without that member's private key is detected,
//! whatever hashes they recompute. Which keys belong to the BDU's assessors
//! is the BDU office's to say, in its signed roster ([`crate::roster`]).

mod known;

pub use known::{KnownKey, KnownKeys, KnownKeysError, known_entry};

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file in the key folder holding the private key (hex).
pub const KEY_FILE: &str = "signing-key";

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{}: the signing key could not be read or made ({source})", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: this is not a CSU Assess signing key (it was damaged or replaced); move it aside and a new key is made, which the BDU must then learn", path.display())]
    Damaged { path: PathBuf },
    #[error(
        "`{text}` is not a public key: a public key is 64 hexadecimal characters, as `csu-assess key show` prints it"
    )]
    NotAKey { text: String },
}

/// This installation's user: their private key.
#[derive(Clone)]
pub struct Identity {
    key: SigningKey,
    /// Where the key remembers the last place it signed in each record.
    memory: Memory,
}

/// Where a key remembers its chain positions: beside the key on disk, or,
/// for a key made from a seed, in this process (shared by its clones).
#[derive(Clone)]
enum Memory {
    Dir(PathBuf),
    Process(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, (u64, String)>>>),
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({})", self.public())
    }
}

/// Where this installation keeps its key: `CSU_ASSESS_KEY_DIR` when set (a
/// second "machine" in tests, a managed laptop's own place), else the
/// user's data folder.
pub fn key_dir() -> PathBuf {
    std::env::var_os("CSU_ASSESS_KEY_DIR").map(PathBuf::from).unwrap_or_else(|| crate::data_dir().join("keys"))
}

/// The file in the key folder remembering the key's place in a record.
fn chain_file(dir: &Path, record_id: &str) -> PathBuf {
    dir.join("chains").join(&crate::plan::fingerprint(record_id.as_bytes())[..32])
}

/// Lower-case hexadecimal.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hexadecimal of any length (either case).
pub fn hex_bytes(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2).map(|p| std::str::from_utf8(p).ok().and_then(|t| u8::from_str_radix(t, 16).ok())).collect()
}

/// Bytes from hexadecimal of exactly `N` bytes.
fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.trim();
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A public key as typed or pasted: 64 hexadecimal characters, spaces allowed.
pub fn parse_public(text: &str) -> Result<String, KeyError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    from_hex::<32>(&compact)
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .map(|k| to_hex(&k.to_bytes()))
        .ok_or_else(|| KeyError::NotAKey { text: text.trim().chars().take(80).collect() })
}

/// A public key as people compare it: the first 16 hexadecimal characters
/// in groups of four (`3f2a 9c1b 77d0 e4a5`).
pub fn short(public: &str) -> String {
    public.as_bytes().chunks(4).take(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Whether `signature` (hex) is `public`'s (hex) signature of `message`.
pub fn verify(public: &str, message: &str, signature: &str) -> bool {
    let (Some(key), Some(sig)) = (from_hex::<32>(public), from_hex::<64>(signature)) else { return false };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    key.verify_strict(message.as_bytes(), &ed25519_dalek::Signature::from_bytes(&sig)).is_ok()
}

impl Identity {
    /// A key made from a seed: for tests and benchmarks, never for people.
    pub fn from_seed(seed: [u8; 32]) -> Identity {
        Identity { key: SigningKey::from_bytes(&seed), memory: Memory::Process(Default::default()) }
    }

    /// The key kept in `dir`, made there on first use (readable by this
    /// user only). Two programs starting at once make one key between them.
    pub fn load_or_create(dir: &Path) -> Result<Identity, KeyError> {
        if let Some(existing) = Identity::existing(dir)? {
            return Ok(existing);
        }
        let path = dir.join(KEY_FILE);
        let io = |source| KeyError::Io { path: path.clone(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| io(std::io::Error::other(e.to_string())))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(mut f) => {
                f.write_all(format!("{}\n", to_hex(&seed)).as_bytes()).and_then(|()| f.sync_all()).map_err(io)?;
                Ok(Identity { key: SigningKey::from_bytes(&seed), memory: Memory::Dir(dir.to_path_buf()) })
            }
            // Another program made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Identity::load_or_create(dir),
            Err(e) => Err(io(e)),
        }
    }

    /// This installation's key, from [`key_dir`], made on first use: for
    /// the verbs that record.
    pub fn this_installation() -> Result<Identity, KeyError> {
        Identity::load_or_create(&key_dir())
    }

    /// This installation's key if it has one, never making one: reading
    /// (audit, verify, score, show, portfolio) writes nothing on a reader's
    /// computer.
    pub fn of_this_installation() -> Result<Option<Identity>, KeyError> {
        Identity::existing(&key_dir())
    }

    /// The key kept in `dir`, if there is one.
    pub fn existing(dir: &Path) -> Result<Option<Identity>, KeyError> {
        let path = dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => from_hex::<32>(&text)
                .map(|seed| {
                    Some(Identity { key: SigningKey::from_bytes(&seed), memory: Memory::Dir(dir.to_path_buf()) })
                })
                .ok_or(KeyError::Damaged { path }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::Io { path, source }),
        }
    }

    /// The public key, hex.
    pub fn public(&self) -> String {
        to_hex(&self.key.verifying_key().to_bytes())
    }

    /// Where this key last signed in the record `record_id`: its place in
    /// its chain there and the entry's hash. Kept with the key, so that a
    /// backup of the record restored over newer work continues the chain
    /// after the newer entries rather than signing a second history.
    pub fn last_signed(&self, record_id: &str) -> Option<(u64, String)> {
        match &self.memory {
            Memory::Dir(dir) => {
                let text = std::fs::read_to_string(chain_file(dir, record_id)).ok()?;
                let (seq, hash) = text.trim().split_once(' ')?;
                Some((seq.parse().ok()?, hash.to_string()))
            }
            Memory::Process(map) => map.lock().ok()?.get(record_id).cloned(),
        }
    }

    /// Remembers where this key last signed in `record_id`. A failure to
    /// write only loses the protection against restored backups, so it is
    /// not an error.
    pub fn remember_signed(&self, record_id: &str, seq: u64, hash: &str) {
        if self.last_signed(record_id).is_some_and(|(s, _)| s >= seq) {
            return;
        }
        match &self.memory {
            Memory::Dir(dir) => {
                let path = chain_file(dir, record_id);
                let _ = path.parent().map(std::fs::create_dir_all);
                let _ = crate::store::write_atomic(&path, format!("{seq} {hash}\n").as_bytes());
            }
            Memory::Process(map) => {
                if let Ok(mut map) = map.lock() {
                    map.insert(record_id.to_string(), (seq, hash.to_string()));
                }
            }
        }
    }

    /// The signature of `message`, hex.
    pub fn sign(&self, message: &str) -> String {
        to_hex(&self.key.sign(message.as_bytes()).to_bytes())
    }

    /// The public half of this installation's letter-signing key with the
    /// signatures saying it is this key's, as the office certifies it
    /// (`key show --letter`).
    pub fn letter_key(&self) -> String {
        crate::certificates::letter_key_card(self)
    }

    /// This installation's ECDSA P-256 key for `purpose`, derived from its
    /// own key: the key PDF readers check letters with, with nothing new
    /// to keep or lose. Each purpose has its own label, so no key signs as
    /// two things.
    pub fn p256(&self, purpose: Purpose) -> p256::ecdsa::SigningKey {
        use sha2::Digest;
        let label: &[u8] = match purpose {
            Purpose::LetterSigning => b"CSU Assess letter-signing key, ECDSA P-256, v1",
            Purpose::OfficeAuthority => b"CSU Assess office certificate authority key, ECDSA P-256, v1",
        };
        // A hash falls outside the curve's order about once in 2^32 tries:
        // the next counter's hash is then taken.
        let mut counter: u32 = 0;
        loop {
            let digest = sha2::Sha256::new()
                .chain_update(label)
                .chain_update(self.key.to_bytes())
                .chain_update(counter.to_be_bytes())
                .finalize();
            if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&digest) {
                return key;
            }
            counter = counter.wrapping_add(1);
        }
    }
}

/// What a P-256 key derived from an installation's key is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Purpose {
    /// Signing letters as a chair (or sole assessor), certified by the office.
    LetterSigning,
    /// The office's certificate authority, certifying chairs' keys.
    OfficeAuthority,
}
