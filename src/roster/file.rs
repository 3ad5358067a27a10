//! The roster file: its contents, the office's signature over them, and
//! the office's edits, each a new version. A roster made before letters were
//! signed has no `office_ca` or `certificate`: it reads, and its signature
//! checks, as before (absent fields are not written).
//!
//! ```json
//! {
//!   "roster": {
//!     "format": "csu-assess roster", "version": 3, "issued_at": "2012-09-01T09:00:00Z",
//!     "office": "<office public key>",
//!     "assessors": [{"name": "Ann Chair", "key": "<public key>", "may_chair": true, "office": false, "retired": false,
//!                    "certificate": "<her letter-signing certificate, DER in hexadecimal>"}],
//!     "revoked": [{"key": "<public key>", "reason": "laptop stolen", "trusted": [{"record": "<id>", "last": "<entry hash>"}]}],
//!     "office_ca": "<the office's certificate authority, DER in hexadecimal>"
//!   },
//!   "signature": "<the office's Ed25519 signature of the SHA-256 of the roster's compact, key-sorted JSON>"
//! }
//! ```

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the file says it is.
pub const FORMAT: &str = "csu-assess roster";

/// What the office signs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub format: String,
    /// One more with every edit; a roster never gives way to a lower version.
    pub version: u64,
    pub issued_at: String,
    /// The office's public key: the key that must have signed this.
    pub office: String,
    pub assessors: Vec<Enrolled>,
    pub revoked: Vec<Revocation>,
    /// The office's certificate authority (DER, hexadecimal): it issues
    /// chairs' letter-signing certificates, and recipients trust it. Made
    /// by `roster init`, or by the first edit of a roster made before
    /// letters were signed (which lacks it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_ca: Option<String>,
}

/// One key of one person. A person with a new laptop has a second entry
/// under the same name; the old key, retired, keeps everything it signed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolled {
    pub name: String,
    pub key: String,
    /// May chair a panel: start one as chair, sign off, reopen, issue letters.
    pub may_chair: bool,
    /// Works in the BDU office: may see whole records, every member's scores.
    pub office: bool,
    /// No longer in use (a new laptop); what it signed still counts.
    pub retired: bool,
    /// The certificate the office issued for this person's letter-signing
    /// key (DER, hexadecimal): chairs have one, so their letters are signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

impl Enrolled {
    /// The letter-signing key the office certified for this key, if any
    /// (and readable).
    pub fn letter_key(&self) -> Option<p256::ecdsa::VerifyingKey> {
        let certificate = crate::certificates::from_hex(self.certificate.as_deref()?, &self.name).ok()?;
        crate::certificates::public_key(&certificate)
    }
}

/// A key that must no longer be believed (a stolen laptop). In each record
/// the office names, the key's entries up to and including the last one it
/// trusts still count; every other entry it signed, in any record, does not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub key: String,
    pub reason: String,
    pub trusted: Vec<Trusted>,
}

/// The last entry a revoked key signed that the office trusts, in one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trusted {
    /// The assessment's id.
    pub record: String,
    /// The entry's hash.
    pub last: String,
}

/// A roster whose signature has been checked against the office key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    #[serde(rename = "roster")]
    pub body: Body,
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{}: the roster could not be read ({source})", path.display())]
    Read { path: PathBuf, source: crate::files::ReadError },
    #[error("{}: this is not a CSU Assess roster ({problem})", path.display())]
    NotARoster { path: PathBuf, problem: String },
    #[error(
        "{}: the roster is signed for the office key {found}, not the BDU office key {expected} this check relies on; it is not the BDU's roster",
        path.display()
    )]
    OtherOffice { path: PathBuf, found: String, expected: String },
    #[error("{}: the roster's signature does not match its contents: it was changed after the office signed it", path.display())]
    Forged { path: PathBuf },
    #[error("{source_name}: the office key cannot be used ({problem})")]
    OfficeKey { source_name: String, problem: String },
    #[error("{}: could not be written ({source})", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error(
        "{}: the roster there is version {found}, newer than the version {ours} this edit started from; nothing was written (edit the newer roster)",
        path.display()
    )]
    Newer { path: PathBuf, found: u64, ours: u64 },
    #[error("{0}")]
    Edit(String),
}

/// From when the certificates a roster edit issues are valid: the start
/// of its day (UTC), so a letter dated that day (signed at its noon) falls
/// within them.
fn time_of(at: &str) -> chrono::DateTime<chrono::Utc> {
    let moment = chrono::DateTime::parse_from_rfc3339(at).map(|t| t.to_utc()).unwrap_or_default();
    moment.date_naive().and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(moment)
}

impl Body {
    /// Gives a roster made before letters were signed the office's
    /// certificate authority, valid from this edit's time.
    /// The office's certificate authority, if this roster has one.
    pub fn authority(&self) -> Result<Option<x509_cert::Certificate>, crate::certificates::CertificateError> {
        self.office_ca
            .as_deref()
            .map(|hex| crate::certificates::from_hex(hex, "the roster's office certificate authority"))
            .transpose()
    }

    fn give_authority(&mut self, office: &crate::keys::Identity) {
        if self.office_ca.is_none() {
            self.office_ca =
                crate::certificates::authority(office, crate::certificates::ORGANISATION, time_of(&self.issued_at))
                    .ok()
                    .map(|c| crate::certificates::to_hex(&c));
        }
    }

    /// Issues the enrolled `key`'s holder a certificate for their
    /// letter-signing key, from this edit's day: what lets a chair's
    /// letters show as the BDU's in a PDF reader. Only a chair's key in use
    /// is certified, once for its letter key (derived from it, it never
    /// changes; a new laptop is a new key), and a letter key certified for
    /// one person is never certified for another: a certificate in a
    /// reader's hands names its holder for good.
    pub fn certify(
        &mut self,
        office: &crate::keys::Identity,
        key: &str,
        letter_key: &p256::ecdsa::VerifyingKey,
    ) -> Result<(), String> {
        let authority = self
            .authority()
            .map_err(|_| "the roster's office certificate authority cannot be read")?
            .ok_or("the roster has no office certificate authority")?;
        let at = time_of(&self.issued_at);
        let short = crate::keys::short(key);
        if let Some(r) = self.revoked.iter().find(|r| r.key == key) {
            return Err(format!("key {short} is revoked ({}): its holder gets no certificate", r.reason));
        }
        let taken = self.assessors.iter().find(|e| e.key != key && e.letter_key().as_ref() == Some(letter_key));
        if let Some(other) = taken {
            return Err(format!(
                "this letter-signing key is already certified for {} (key {}): a letter-signing key is one person's",
                other.name,
                crate::keys::short(&other.key)
            ));
        }
        let entry = self
            .assessors
            .iter_mut()
            .find(|e| e.key == key)
            .ok_or_else(|| format!("key {short} is not in the roster"))?;
        if entry.retired {
            return Err(format!("key {short} is retired: certify {}'s key in use", entry.name));
        }
        if !entry.may_chair {
            return Err(format!(
                "{} may not chair, and only a chair issues letters, so their letter-signing key is not certified",
                entry.name
            ));
        }
        // A key's letter key is derived from it, so a certificate of this
        // entry's for any other letter key was never its holder's: it is
        // replaced (and the letters it signed are named by no one).
        if entry.letter_key().as_ref() == Some(letter_key) {
            return Err(format!(
                "{}'s letter-signing key (key {short}) is already certified; a new laptop is enrolled as a new key",
                entry.name
            ));
        }
        let certificate =
            crate::certificates::certify(office, &authority, &entry.name, letter_key, at).map_err(|e| e.to_string())?;
        entry.certificate = Some(crate::certificates::to_hex(&certificate));
        Ok(())
    }
}

/// The SHA-256 of a value's compact JSON, keys sorted: what is signed.
fn digest(body: &Body) -> String {
    let value = serde_json::to_value(body).unwrap_or_default();
    crate::plan::fingerprint(&serde_json::to_vec(&value).unwrap_or_default())
}

impl Roster {
    /// A first roster, version 1, listing no one, with the office's
    /// certificate authority.
    pub fn first(office: &crate::keys::Identity, at: &str) -> Roster {
        let mut body = Body {
            format: FORMAT.into(),
            version: 1,
            issued_at: at.into(),
            office: office.public(),
            assessors: Vec::new(),
            revoked: Vec::new(),
            office_ca: None,
        };
        body.give_authority(office);
        Roster { signature: office.sign(&digest(&body)), body }
    }

    /// Reads a roster and checks it was signed by `office`.
    pub fn load(path: &Path, office: &str) -> Result<Roster, RosterError> {
        let bytes = crate::files::read(path, crate::limits::MAX_CRITERIA_FILE_BYTES)
            .map_err(|source| RosterError::Read { path: path.into(), source })?;
        Roster::parse(path, &bytes, office)
    }

    pub fn parse(path: &Path, bytes: &[u8], office: &str) -> Result<Roster, RosterError> {
        let roster: Roster = serde_json::from_slice(bytes)
            .map_err(|e| RosterError::NotARoster { path: path.into(), problem: e.to_string() })?;
        if roster.body.format != FORMAT {
            return Err(RosterError::NotARoster {
                path: path.into(),
                problem: format!("it says it is `{}`", roster.body.format),
            });
        }
        if roster.body.office != office {
            return Err(RosterError::OtherOffice {
                path: path.into(),
                found: crate::keys::short(&roster.body.office),
                expected: crate::keys::short(office),
            });
        }
        if !crate::keys::verify(office, &digest(&roster.body), &roster.signature) {
            return Err(RosterError::Forged { path: path.into() });
        }
        Ok(roster)
    }

    /// The roster after an edit by the office: the next version, signed.
    pub fn edited(
        &self,
        office: &crate::keys::Identity,
        at: &str,
        edit: impl FnOnce(&mut Body) -> Result<(), String>,
    ) -> Result<Roster, RosterError> {
        if office.public() != self.body.office {
            return Err(RosterError::Edit(format!(
                "this office key ({}) is not the one that signs this roster ({}); edit it on the office's computer",
                crate::keys::short(&office.public()),
                crate::keys::short(&self.body.office)
            )));
        }
        let mut body = self.body.clone();
        body.issued_at = at.into();
        body.give_authority(office);
        edit(&mut body).map_err(RosterError::Edit)?;
        body.version = body
            .version
            .checked_add(1)
            .ok_or_else(|| RosterError::Edit("the roster's version cannot go higher; start a new roster".into()))?;
        Ok(Roster { signature: office.sign(&digest(&body)), body })
    }

    /// Writes the roster, never over a newer version of it.
    pub fn save(&self, path: &Path) -> Result<(), RosterError> {
        if let Ok(bytes) = std::fs::read(path)
            && let Ok(there) = serde_json::from_slice::<Roster>(&bytes)
            && there.body.office == self.body.office
            && there.body.version >= self.body.version
        {
            return Err(RosterError::Newer {
                path: path.into(),
                found: there.body.version,
                ours: self.body.version - 1,
            });
        }
        let bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        crate::store::write_atomic(path, &bytes).map_err(|source| RosterError::Write { path: path.into(), source })
    }

    /// The office's certificate authority, if this roster has one.
    pub fn authority(&self) -> Result<Option<x509_cert::Certificate>, crate::certificates::CertificateError> {
        self.body.authority()
    }

    /// The person a key is enrolled as.
    pub fn enrolled(&self, key: &str) -> Option<&Enrolled> {
        self.body.assessors.iter().find(|e| e.key == key)
    }

    pub fn revocation(&self, key: &str) -> Option<&Revocation> {
        self.body.revoked.iter().find(|r| r.key == key)
    }

    pub fn is_revoked(&self, key: &str) -> bool {
        self.revocation(key).is_some()
    }
}
