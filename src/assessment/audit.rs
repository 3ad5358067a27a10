//! The audit trail: every recorded change, who made it and when, the old
//! and new value, hash-chained so that an edit made outside the tool is
//! detected.
//!
//! The trail is the truth and the assessment's scores, consensus, actions
//! and notes are what replaying it gives ([`replay`]). That is what makes
//! merging reviewers' copies safe: the merged trail is the union of the
//! copies' entries, and each entry names the entries whose value it
//! replaced (`supersedes`), so a value changed in two copies independently
//! shows up as two current values, a conflict, rather than one silently
//! winning. Union is commutative, associative and idempotent, so merging is
//! too.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Score {
        criterion: String,
        assessor: String,
        score: u8,
        evidence: String,
        old_score: Option<u8>,
        old_evidence: Option<String>,
    },
    Consensus {
        criterion: String,
        score: u8,
        rationale: String,
        old_score: Option<u8>,
        old_rationale: Option<String>,
    },
    ActionAdded {
        id: String,
        action: String,
        owner: String,
        due: NaiveDate,
        criterion: Option<String>,
    },
    ActionRemoved {
        id: String,
        action: String,
    },
    Notes {
        text: String,
        old: String,
    },
    /// A panel member joins, or their role changes.
    Member {
        name: String,
        role: String,
    },
    /// A member has finished scoring and may now see the others' scores.
    ScoringDone {
        assessor: String,
    },
    /// The panel talked a criterion through (required before a consensus
    /// where the members' scores are two levels or more apart).
    Discussion {
        criterion: String,
        note: String,
    },
    /// The chair signs off the panel's result.
    SignOff {
        chair: String,
    },
}

impl Change {
    /// The item a change sets: one value per item at any time.
    pub fn item(&self) -> String {
        match self {
            Change::Score { criterion, assessor, .. } => format!("score/{criterion}/{assessor}"),
            Change::Consensus { criterion, .. } => format!("consensus/{criterion}"),
            Change::ActionAdded { id, .. } | Change::ActionRemoved { id, .. } => format!("action/{id}"),
            Change::Notes { .. } => "notes".into(),
            Change::Member { name, .. } => format!("member/{name}"),
            Change::ScoringDone { assessor } => format!("done/{assessor}"),
            Change::Discussion { criterion, note } => {
                format!("discussion/{criterion}/{}", &crate::plan::fingerprint(note.as_bytes())[..12])
            }
            Change::SignOff { .. } => "signoff".into(),
        }
    }

    /// One line for the printed trail.
    pub fn describe(&self) -> String {
        let was = |old: &Option<u8>| old.map_or_else(|| "unscored".to_string(), |o| o.to_string());
        match self {
            Change::Score { criterion, assessor, score, evidence, old_score, .. } => {
                format!("score {criterion} by {assessor}: {} -> {score} (evidence: {evidence})", was(old_score))
            }
            Change::Consensus { criterion, score, rationale, old_score, .. } => {
                format!("consensus {criterion}: {} -> {score} (rationale: {rationale})", was(old_score))
            }
            Change::ActionAdded { id, action, owner, due, .. } => {
                format!("development action {id} added: {action} (owner {owner}, due {due})")
            }
            Change::ActionRemoved { id, action } => format!("development action {id} removed: {action}"),
            Change::Notes { text, .. } => format!("decision notes set: {text}"),
            Change::Member { name, role } => format!("panel member {name} ({role})"),
            Change::ScoringDone { assessor } => format!("{assessor} finished scoring"),
            Change::Discussion { criterion, note } => format!("discussion of {criterion}: {note}"),
            Change::SignOff { chair } => format!("the panel's result signed off by {chair}"),
        }
    }
}

/// One change, chained to the entry before it in the copy that made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: String,
    pub who: String,
    pub change: Change,
    /// The hash of the entry made just before this one in the same copy.
    pub prev: String,
    /// The entries whose value for this item this one replaces.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// SHA-256 of everything above.
    pub hash: String,
}

impl Entry {
    pub fn new(at: &str, who: &str, change: Change, prev: &str, supersedes: Vec<String>) -> Entry {
        let mut entry =
            Entry { at: at.into(), who: who.into(), change, prev: prev.into(), supersedes, hash: String::new() };
        entry.hash = entry.compute_hash();
        entry
    }

    pub fn compute_hash(&self) -> String {
        let body = serde_json::json!({
            "at": self.at, "who": self.who, "change": self.change, "prev": self.prev, "supersedes": self.supersedes,
        });
        crate::plan::fingerprint(&serde_json::to_vec(&body).unwrap_or_default())
    }
}

/// The current entries for each item: those no other entry supersedes.
/// More than one means the item was changed in two copies independently.
pub fn heads(trail: &[Entry]) -> BTreeMap<String, Vec<&Entry>> {
    let superseded: BTreeSet<&str> = trail.iter().flat_map(|e| e.supersedes.iter().map(String::as_str)).collect();
    let mut out: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in trail.iter().filter(|e| !superseded.contains(e.hash.as_str())) {
        out.entry(e.change.item()).or_default().push(e);
    }
    for entries in out.values_mut() {
        entries.sort_by(|a, b| (&a.at, &a.hash).cmp(&(&b.at, &b.hash)));
    }
    out
}

/// The trail in a stable order: by time, then hash.
pub fn sorted(trail: &mut [Entry]) {
    trail.sort_by(|a, b| (&a.at, &a.hash).cmp(&(&b.at, &b.hash)));
}

/// A problem found when checking a trail.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrailError {
    #[error("entry {index} ({at}, {who}) was altered: its hash no longer matches its contents")]
    Altered { index: usize, at: String, who: String },
    #[error("entry {index} ({at}, {who}) follows an entry that is missing from the trail")]
    Broken { index: usize, at: String, who: String },
    #[error("{0}")]
    StateDiffers(String),
}

/// Checks every entry's hash and link.
pub fn check_chain(trail: &[Entry]) -> Result<(), TrailError> {
    let hashes: BTreeSet<&str> = trail.iter().map(|e| e.hash.as_str()).collect();
    for (index, e) in trail.iter().enumerate() {
        if e.compute_hash() != e.hash {
            return Err(TrailError::Altered { index: index + 1, at: e.at.clone(), who: e.who.clone() });
        }
        let linked = e.prev.is_empty() || hashes.contains(e.prev.as_str());
        let replaced = e.supersedes.iter().all(|s| hashes.contains(s.as_str()));
        if !linked || !replaced {
            return Err(TrailError::Broken { index: index + 1, at: e.at.clone(), who: e.who.clone() });
        }
    }
    Ok(())
}
