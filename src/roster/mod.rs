//! The BDU's roster: the trust root outside every record.
//!
//! A record proves only that each entry was signed by some key. Which key
//! is which assessor, who may chair, and which keys were stolen is said by
//! the BDU office in its roster, signed with the office's own key: a file
//! ([`FILE_NAME`]) listing each assessor's name and public keys and the
//! revocations, versioned so that an older roster never replaces a newer
//! one. The office's public key is pinned on every BDU computer where an
//! assessor cannot change it ([`OfficeKey::pinned`]), and a roster signed
//! by any other key is refused. Someone outside the BDU names the office
//! key the BDU publishes instead, and every verdict says which office key
//! it relied on ([`Trust::describe`]).
//!
//! A record's entries are then checked against the roster ([`Trust::check`]):
//! an entry counts only when its signer is a key the roster gives the name
//! it signs as, not revoked at that point of its chain, and a chair's act
//! only when the roster lets that person chair.

mod check;
mod file;

pub use check::{Untrusted, chair_act};
pub use file::{Body, Enrolled, Revocation, Roster, RosterError, Trusted};

use std::path::{Path, PathBuf};

/// The roster's file name, beside the program and as the verbs write it.
pub const FILE_NAME: &str = "roster.json";

/// The file beside the program holding the office's public key, where the
/// BDU's build does not carry it.
pub const OFFICE_KEY_FILE: &str = "office-key.txt";

/// The office key this build carries, if the BDU built it with one
/// (`CSU_ASSESS_OFFICE_KEY=<hex> cargo build --release`).
const BUILT_IN_OFFICE_KEY: Option<&str> = option_env!("CSU_ASSESS_OFFICE_KEY");

/// Where the office key a verdict relies on came from.
#[derive(Clone, Debug, PartialEq)]
pub enum OfficeSource {
    /// Compiled into this program by the BDU.
    BuiltIn,
    /// In the program's own folder, installed with it (which an assessor
    /// without administrator rights cannot change).
    BesideProgram(PathBuf),
    /// Named by the person checking (`--office-key`): for readers outside
    /// the BDU, who check against the key the BDU publishes. Never enough
    /// to issue a letter.
    Named,
}

/// The BDU office's public key, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct OfficeKey {
    pub key: String,
    pub source: OfficeSource,
}

impl OfficeKey {
    /// The office key pinned on this computer: the one built into the
    /// program, else the one installed beside it. Never a file in the
    /// user's own folders, which an assessor could change.
    pub fn pinned() -> Result<Option<OfficeKey>, RosterError> {
        if let Some(text) = BUILT_IN_OFFICE_KEY {
            let key = crate::keys::parse_public(text).map_err(|e| RosterError::OfficeKey {
                source_name: "the key built into this program".into(),
                problem: e.to_string(),
            })?;
            return Ok(Some(OfficeKey { key, source: OfficeSource::BuiltIn }));
        }
        let Some(path) = beside_program(OFFICE_KEY_FILE) else { return Ok(None) };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let key = crate::keys::parse_public(&text).map_err(|e| RosterError::OfficeKey {
                    source_name: path.display().to_string(),
                    problem: e.to_string(),
                })?;
                Ok(Some(OfficeKey { key, source: OfficeSource::BesideProgram(path) }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RosterError::OfficeKey { source_name: path.display().to_string(), problem: e.to_string() }),
        }
    }

    /// An office key named by a reader outside the BDU.
    pub fn named(text: &str) -> Result<OfficeKey, RosterError> {
        let key = crate::keys::parse_public(text)
            .map_err(|e| RosterError::OfficeKey { source_name: "--office-key".into(), problem: e.to_string() })?;
        Ok(OfficeKey { key, source: OfficeSource::Named })
    }

    /// `office key 3f2a 9c1b 77d0 e4a5 (built into this program)`.
    pub fn describe(&self) -> String {
        let from = match &self.source {
            OfficeSource::BuiltIn => "built into this program".to_string(),
            OfficeSource::BesideProgram(path) => format!("installed with the program, {}", path.display()),
            OfficeSource::Named => "as named with --office-key".to_string(),
        };
        format!("the BDU office key {} ({from})", crate::keys::short(&self.key))
    }
}

/// Where the roster installed with the program is.
pub fn installed_path() -> Option<PathBuf> {
    beside_program(FILE_NAME)
}

/// A file in the program's own folder.
fn beside_program(name: &str) -> Option<PathBuf> {
    std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join(name)))
}

/// What a record is checked against: the office key and the newest roster
/// it signed, or nothing (then nothing is checked against a roster, and no
/// final letter can be issued).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trust {
    pub office: Option<OfficeKey>,
    pub roster: Option<Roster>,
}

impl Trust {
    /// Nothing to check against.
    pub fn none() -> Trust {
        Trust::default()
    }

    /// The roster in force here: the office key pinned on this computer
    /// (or `office`, named by a reader outside the BDU), and the newest
    /// roster it signed among the one installed beside the program and
    /// `file`. A roster file signed by another key, or damaged, is refused
    /// with the file named.
    pub fn find(office: Option<OfficeKey>, file: Option<&Path>) -> Result<Trust, RosterError> {
        // On a computer that pins an office key, that key is the one used:
        // a key named by hand never stands in for it.
        let office = match (OfficeKey::pinned()?, office) {
            (Some(pinned), Some(named)) if named.key != pinned.key => {
                return Err(RosterError::OfficeKey {
                    source_name: "--office-key".into(),
                    problem: format!("this computer pins {}; a different key cannot be named here", pinned.describe()),
                });
            }
            (Some(pinned), _) => Some(pinned),
            (None, named) => named,
        };
        let Some(office) = office else {
            return Ok(Trust::none());
        };
        let mut newest: Option<Roster> = None;
        let installed = beside_program(FILE_NAME).filter(|p| p.is_file());
        for path in installed.iter().map(PathBuf::as_path).chain(file) {
            let roster = Roster::load(path, &office.key)?;
            if newest.as_ref().is_none_or(|n| roster.body.version > n.body.version) {
                newest = Some(roster);
            }
        }
        Ok(Trust { office: Some(office), roster: newest })
    }

    /// A trust from an office key and a roster already read (tests, the office's own verbs).
    pub fn with(office: OfficeKey, roster: Roster) -> Trust {
        Trust { office: Some(office), roster: Some(roster) }
    }

    /// Whether letters may be issued under this trust: a roster signed by
    /// the office key pinned on this computer, not one a user named.
    pub fn may_issue(&self) -> bool {
        self.roster.is_some() && self.office.as_ref().is_some_and(|o| o.source != OfficeSource::Named)
    }

    /// What a verdict relied on, in one sentence.
    pub fn describe(&self) -> String {
        match (&self.office, &self.roster) {
            (Some(office), Some(roster)) => {
                format!("Checked against roster version {} of {}.", roster.body.version, office.describe())
            }
            (Some(office), None) => format!(
                "No roster signed by {} was found here, so no entry was checked against the BDU's roster.",
                office.describe()
            ),
            (None, _) => "No BDU office key is pinned on this computer, so no entry was checked against the BDU's roster (name the key the BDU publishes with --office-key, and its roster with --roster).".to_string(),
        }
    }

    /// Whether the roster lets the holder of `key` see whole records (the
    /// office), scores of members still scoring included.
    pub fn sees_whole_records(&self, key: &str) -> bool {
        self.roster.as_ref().is_some_and(|r| r.enrolled(key).is_some_and(|e| e.office) && !r.is_revoked(key))
    }

    /// The name the roster gives a key, if any.
    pub fn name_of(&self, key: &str) -> Option<&str> {
        self.roster.as_ref()?.enrolled(key).map(|e| e.name.as_str())
    }

    /// The names the roster gives a key in use (not retired, not revoked),
    /// once each, in its order: whom a chair may add to a panel.
    pub fn names_in_use(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in self.roster.iter().flat_map(|r| &r.body.assessors) {
            if self.key_of(&e.name).is_some() && !out.contains(&e.name.as_str()) {
                out.push(&e.name);
            }
        }
        out
    }

    /// The key the roster gives a name, if it gives exactly one in use.
    pub fn key_of(&self, name: &str) -> Option<&str> {
        let roster = self.roster.as_ref()?;
        let mut found = roster.body.assessors.iter().filter(|e| e.name.trim() == name.trim() && !e.retired);
        match (found.next(), found.next()) {
            (Some(e), None) if !roster.is_revoked(&e.key) => Some(e.key.as_str()),
            _ => None,
        }
    }
}
