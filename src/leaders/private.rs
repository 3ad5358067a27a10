//! Texts the trail commits to by hash and keeps beside itself.
//!
//! A member's interview notes are theirs until they finish scoring, and a
//! copy of the record disclosed to a CSU may leave them out. So the entry
//! carries only the SHA-256 of a random nonce and the text (its `hash` and
//! signature cover that), and the text sits beside the trail, keyed by it.
//! A copy without the text still checks: every hash, signature and chain
//! holds, and it says which notes were withheld. The nonce keeps a short
//! note ("Yes.") from being found by hashing guesses.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A text beside the trail, with the nonce its commitment was made with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateText {
    pub nonce: String,
    pub text: String,
}

/// The texts a record holds, by commitment.
pub type Texts = BTreeMap<String, PrivateText>;

/// Longest note kept, in bytes: some 3,000 words on one question, typed
/// live. Bounded so that every member's notes on a full script stay well
/// inside what an assessment file may hold.
pub const MAX_NOTE_BYTES: usize = 20_000;

/// The commitment to a text: SHA-256 of its nonce, a newline and the text,
/// as lowercase hex.
pub fn commitment(p: &PrivateText) -> String {
    let mut h = Sha256::new();
    h.update(p.nonce.as_bytes());
    h.update(b"\n");
    h.update(p.text.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A new text with a fresh nonce, and its commitment.
pub fn commit(text: &str) -> (String, PrivateText) {
    let mut nonce = [0u8; 16];
    // Without the system's randomness the nonce is the clock's: still
    // unique, only guessable, which costs privacy and never integrity.
    if getrandom::fill(&mut nonce).is_err() {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        nonce = now.as_nanos().to_le_bytes();
    }
    let private = PrivateText { nonce: nonce.iter().map(|b| format!("{b:02x}")).collect(), text: text.to_string() };
    (commitment(&private), private)
}

/// Whether `s` is a commitment as entries write them: 64 lowercase hex digits.
pub fn is_commitment(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
