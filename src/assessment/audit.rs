//! The audit trail: every recorded change, who made it and when, the old
//! and new value, hash-linked so that an edit made outside the tool is
//! detected.
//!
//! The trail is the whole record: an assessment file holds the trail and
//! nothing else that is believed, and everything an assessment shows is what
//! replaying it gives ([`super::replay`]). Each entry names the entries that
//! were the trail's tips when it was made (`parents`), so the trail is a
//! graph of what each author had seen, like a version history; the first
//! entry ([`Change::Started`]) fixes the plan and the criteria for good.
//! Merging reviewers' copies is the union of their entries, and each entry
//! names the entries whose value it replaced (`supersedes`), so a value
//! changed in two copies independently shows up as two current values, a
//! conflict, rather than one silently winning.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

/// What changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// The assessment begins: the plan (by fingerprint) and the criteria (by
    /// the SHA-256 of their text) are fixed here, and the person who starts
    /// it is the panel's first member.
    Started {
        id: String,
        csu_name: String,
        plan_file_name: String,
        plan_fingerprint: String,
        framework_id: String,
        framework_version: String,
        framework_fingerprint: String,
        role: String,
        /// The starter's public key: every entry of theirs must carry it.
        key: String,
    },
    /// An assessor's score for a criterion; `None` withdraws it.
    Score {
        criterion: String,
        assessor: String,
        score: Option<u8>,
        evidence: String,
        old_score: Option<u8>,
        old_evidence: Option<String>,
    },
    /// The panel's agreed score; `None` withdraws it.
    Consensus {
        criterion: String,
        score: Option<u8>,
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
    /// A panel member joins with their public key, or their role changes.
    Member {
        name: String,
        role: String,
        old_role: Option<String>,
        /// The joining member's public key (hex): their entries must carry it.
        key: Option<String>,
    },
    /// A member added by mistake leaves, before recording anything.
    MemberRemoved {
        name: String,
        role: String,
        key: String,
    },
    /// A member's new key (a stolen or replaced laptop): their entries from
    /// here on are signed with it. Recorded by the chair, or for the
    /// chair's own key by another member; whether the key is really the
    /// member's is the BDU roster's to say.
    KeyReplaced {
        name: String,
        key: String,
        reason: String,
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
    /// The chair reopens a signed-off result so that it can change.
    Reopened {
        reason: String,
    },
    /// A final letter was issued: its reference, the code printed on it,
    /// and the SHA-256 of the PDF's bytes, so the letter can be checked
    /// against the record.
    LetterIssued {
        reference: String,
        code: String,
        sha256: String,
        /// The letter's date, the SHA-256 of the wording file it was made
        /// with, and the reference of the letter it replaces, if any: what
        /// `verify` needs to make the letter again from the record. Absent
        /// in letters format 3 recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wording: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replaces: Option<String>,
        /// The version of the program that made the letter: the same
        /// version must make it again word for word; an earlier one's letter
        /// is checked by its decision and figures.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        program: Option<String>,
    },
    /// A member declares an interest in the CSU (worked for its host
    /// cluster, a relative on its staff): from then on they take no part in
    /// scoring or agreeing it, and their scores are kept out of its result.
    InterestDeclared {
        member: String,
        interest: String,
    },
    /// The assessment at the checkpoint before, linked: its development
    /// actions are copied here, so the record holds what was agreed then
    /// even when the earlier file is not at hand.
    EarlierLinked {
        id: String,
        csu_name: String,
        checkpoint: u8,
        /// The hash of the earlier record's last entry: which state of it was linked.
        last_entry: String,
        actions: Vec<CarriedAction>,
    },
    /// The panel's finding on a development action agreed at the checkpoint before.
    ActionReviewed {
        id: String,
        met: bool,
        evidence: String,
    },
    /// A CCG's interview, recorded by the member who held it; a later one
    /// for the same CCG corrects it.
    CcgInterview(Box<crate::ccg::Answers>),
    /// When and where the leaders' interview is held, with whom (the chair's).
    LeadersScheduled(Box<crate::leaders::Schedule>),
    /// The questions for the leaders' interview, in order (the chair's).
    LeadersScript {
        questions: Vec<crate::leaders::Question>,
    },
    /// The member the chair names to record the agreed account.
    NoteTaker {
        name: String,
    },
    /// A member's own notes on a question, committed to by hash: the text
    /// is kept beside the trail (see [`crate::leaders::private`]).
    LeadersNote {
        member: String,
        question: String,
        sha256: String,
    },
    /// The panel's agreed account of the answer to a question.
    LeadersAccount {
        question: String,
        text: String,
    },
}

/// A development action agreed at an earlier checkpoint, as carried into a later one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedAction {
    pub id: String,
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
}

impl Change {
    /// The item a change sets: one value per item at any time.
    pub fn item(&self) -> String {
        match self {
            Change::Started { .. } => "started".into(),
            Change::Score { criterion, assessor, .. } => format!("score/{criterion}/{assessor}"),
            Change::Consensus { criterion, .. } => format!("consensus/{criterion}"),
            Change::ActionAdded { id, .. } | Change::ActionRemoved { id, .. } => format!("action/{id}"),
            Change::Notes { .. } => "notes".into(),
            Change::Member { name, .. } | Change::MemberRemoved { name, .. } => format!("member/{name}"),
            Change::KeyReplaced { name, .. } => format!("key/{name}"),
            Change::ScoringDone { assessor } => format!("done/{assessor}"),
            Change::Discussion { criterion, note } => {
                format!("discussion/{criterion}/{}", &crate::plan::fingerprint(note.as_bytes())[..12])
            }
            Change::SignOff { .. } | Change::Reopened { .. } => "signoff".into(),
            Change::LetterIssued { reference, .. } => format!("letter/{reference}"),
            Change::InterestDeclared { member, .. } => format!("interest/{member}"),
            Change::EarlierLinked { .. } => "earlier".into(),
            Change::ActionReviewed { id, .. } => format!("review/{id}"),
            Change::CcgInterview(a) => format!("ccg/{}", crate::ccg::key(&a.ccg)),
            Change::LeadersScheduled(_) => "leaders/schedule".into(),
            Change::LeadersScript { .. } => "leaders/script".into(),
            Change::NoteTaker { .. } => "leaders/note-taker".into(),
            Change::LeadersNote { member, question, .. } => format!("leaders/note/{question}/{member}"),
            Change::LeadersAccount { question, .. } => format!("leaders/account/{question}"),
        }
    }

    /// One line for the printed trail.
    pub fn describe(&self) -> String {
        let level = |v: &Option<u8>, none: &str| v.map_or_else(|| none.to_string(), |o| o.to_string());
        match self {
            Change::Started { csu_name, plan_file_name, framework_id, framework_version, role, .. } => format!(
                "assessment of {csu_name} ({plan_file_name}) started against {framework_id} version {framework_version}; the starter joins as {role}"
            ),
            Change::Score { criterion, assessor, score: Some(score), evidence, old_score, .. } => format!(
                "score {criterion} by {assessor}: {} -> {score} (evidence: {evidence})",
                level(old_score, "unscored")
            ),
            Change::Score { criterion, assessor, score: None, old_score, .. } => {
                format!("score {criterion} by {assessor} withdrawn (was {})", level(old_score, "unscored"))
            }
            Change::Consensus { criterion, score: Some(score), rationale, old_score, .. } => {
                format!("consensus {criterion}: {} -> {score} (rationale: {rationale})", level(old_score, "none"))
            }
            Change::Consensus { criterion, score: None, old_score, .. } => {
                format!("consensus {criterion} withdrawn (was {})", level(old_score, "none"))
            }
            Change::ActionAdded { id, action, owner, due, .. } => {
                format!("development action {id} added: {action} (owner {owner}, due {due})")
            }
            Change::ActionRemoved { id, action } => format!("development action {id} removed: {action}"),
            Change::Notes { text, .. } => format!("decision notes set: {text}"),
            Change::Member { name, role, old_role: None, key } => format!(
                "{name} joins the panel as {role}, key {}",
                key.as_deref().map(crate::keys::short).unwrap_or_default()
            ),
            Change::Member { name, role, old_role: Some(old), .. } => {
                format!("{name}'s role changes from {old} to {role}")
            }
            Change::MemberRemoved { name, role, .. } => format!("{name} ({role}) removed from the panel"),
            Change::KeyReplaced { name, key, reason } => {
                format!("{name}'s entries are signed from now on with key {} ({reason})", crate::keys::short(key))
            }
            Change::ScoringDone { assessor } => format!("{assessor} finished scoring"),
            Change::Discussion { criterion, note } => format!("discussion of {criterion}: {note}"),
            Change::SignOff { chair } => format!("the panel's result signed off by {chair}"),
            Change::Reopened { reason } => format!("the signed-off result reopened: {reason}"),
            Change::InterestDeclared { member, interest } => {
                format!("{member} declares an interest in the CSU and stands aside from its scoring: {interest}")
            }
            Change::EarlierLinked { csu_name, checkpoint, actions, .. } => format!(
                "linked to the checkpoint {checkpoint} assessment of {csu_name}, with its {} development action(s)",
                actions.len()
            ),
            Change::ActionReviewed { id, met, evidence } => format!(
                "development action {id} from the earlier checkpoint {} (evidence: {evidence})",
                if *met { "met" } else { "NOT met" }
            ),
            Change::CcgInterview(a) => format!(
                "interview with {} ({}, {}) held on {}: SLA {}, affordable {}, after April 2013 {}",
                a.ccg, a.interviewee, a.interviewee_role, a.held_on, a.sla, a.affordable, a.after_april_2013
            ),
            Change::LeadersScheduled(s) => format!(
                "the leaders' interview set for {} at {}, with {} of the CSU",
                s.at,
                s.place,
                s.csu.iter().map(|p| format!("{} ({})", p.name, p.role)).collect::<Vec<_>>().join(", ")
            ),
            Change::LeadersScript { questions } => format!(
                "the leaders' interview script set: {}",
                questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
            Change::NoteTaker { name } => {
                format!("{name} named to record the agreed account of the leaders' interview")
            }
            Change::LeadersNote { member, question, sha256 } => {
                format!("{member}'s notes on {question} (private, committed as {})", &sha256[..12.min(sha256.len())])
            }
            Change::LeadersAccount { question, text } => {
                format!("the agreed account of {question}: {} characters", text.chars().count())
            }
            Change::LetterIssued { reference, code, sha256, replaces, .. } => {
                format!(
                    "letter {reference} issued (verification code {code}, PDF SHA-256 {}){}",
                    &sha256[..16.min(sha256.len())],
                    replaces.as_ref().map(|r| format!(", replacing {r}")).unwrap_or_default()
                )
            }
        }
    }
}

/// One change, linked to the entries its author had when making it, and
/// signed by its author.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub at: String,
    pub who: String,
    pub change: Change,
    /// The hashes of the trail's tips (entries no other entry follows) when
    /// this one was made; empty only for the first entry.
    pub parents: Vec<String>,
    /// The entries whose value for this item this one replaces.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// The author's public key (hex).
    pub signer: String,
    /// The author's position in their own chain of entries in this record
    /// (from 1), and the hash of their entry before it: each author's
    /// entries form one chain, so two entries by one key at one position (a
    /// copied key, or a member forking her own history) are seen, and the
    /// order of an author's entries comes from the links, not from clocks.
    /// Absent only in entries format 3 wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// SHA-256 of everything above.
    pub hash: String,
    /// The author's Ed25519 signature of the hash (hex).
    pub signature: String,
}

impl Entry {
    pub fn new(
        at: &str,
        who: &str,
        change: Change,
        parents: Vec<String>,
        supersedes: Vec<String>,
        chain: Chain,
        key: &crate::keys::Identity,
    ) -> Entry {
        let mut entry = Entry {
            at: at.into(),
            who: who.into(),
            change,
            parents,
            supersedes,
            signer: key.public(),
            seq: Some(chain.seq),
            prev: chain.prev,
            hash: String::new(),
            signature: String::new(),
        };
        entry.hash = entry.compute_hash();
        entry.signature = key.sign(&entry.hash);
        entry
    }

    pub fn compute_hash(&self) -> String {
        let mut body = serde_json::json!({
            "at": self.at, "who": self.who, "change": self.change, "parents": self.parents,
            "supersedes": self.supersedes, "signer": self.signer,
        });
        // Format 3 entries had no chain; theirs hash as they always did.
        if let (Some(seq), Some(map)) = (self.seq, body.as_object_mut()) {
            map.insert("seq".into(), seq.into());
            map.insert("prev".into(), self.prev.clone().into());
        }
        crate::plan::fingerprint(&serde_json::to_vec(&body).unwrap_or_default())
    }

    /// `entry 12 (2012-09-03T10:00:00Z, Ann Lee)`: how problems name an entry.
    pub fn named(&self, index: usize) -> String {
        format!("entry {} ({}, {})", index + 1, self.at, self.who)
    }
}

/// The furthest place in an author's chain a record may hold.
pub const MAX_SEQ: u64 = 1 << 40;

/// Where a new entry goes in its author's chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    pub seq: u64,
    pub prev: Option<String>,
}

impl Chain {
    /// The next position in `signer`'s chain of `trail`, or after the last
    /// entry the key remembers making in this record when that is further
    /// on (a backup of the record was restored, or another copy holds the
    /// newer entries): the new entry then continues the chain from there,
    /// never from a position already used.
    pub fn after(trail: &[Entry], signer: &str, remembered: Option<(u64, String)>) -> Chain {
        let mine = trail.iter().filter(|e| e.signer == signer);
        let last = mine.clone().filter(|e| e.seq.is_some()).max_by_key(|e| e.seq);
        let legacy = mine.clone().rfind(|e| e.seq.is_none());
        let here = match (last, legacy) {
            (Some(e), _) => Some((e.seq.unwrap_or(0), e.hash.clone())),
            (None, Some(e)) => Some((0, e.hash.clone())),
            (None, None) => None,
        };
        let from = match (here, remembered) {
            (Some(h), Some(r)) if r.0 > h.0 => Some(r),
            (None, r) => r,
            (h, _) => h,
        };
        match from {
            Some((seq, hash)) => Chain { seq: seq.saturating_add(1), prev: Some(hash) },
            None => Chain { seq: 1, prev: None },
        }
    }
}

/// A trail that does not hold together.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrailError {
    #[error("the audit trail is empty; every assessment file begins with the entry that started it")]
    Empty,
    #[error("{entry} should start the assessment but is \"{found}\"")]
    NoStart { entry: String, found: String },
    #[error("{entry} starts the assessment a second time")]
    StartedAgain { entry: String },
    #[error("{entry} was altered: its hash no longer matches its contents")]
    Altered { entry: String },
    #[error("{entry} is not signed by the key it names: it was written or changed by someone without that key")]
    BadSignature { entry: String },
    #[error("{entry} follows no earlier entry; only the first entry may stand alone")]
    Unlinked { entry: String },
    #[error("{entry} follows an entry that is missing from the trail (or comes after it)")]
    Broken { entry: String },
    #[error("{entry} appears twice in the trail")]
    Repeated { entry: String },
    #[error(
        "{entry} is dated {at}, before the entry it follows ({parent_at}): an entry is never older than what its author had already seen"
    )]
    BeforeItsParents { entry: String, at: String, parent_at: String },
    #[error(
        "{entry} and {other} are both signed by key {key} at one place in its chain: the key signed two different histories (it was copied, or a copy of the record was changed apart from the others), so neither can be believed"
    )]
    Forked { entry: String, other: String, key: String },
    #[error(
        "{entry} claims to follow its author's {prev_named}, which is not an earlier entry of the same author: the author's chain is broken"
    )]
    ChainBroken { entry: String, prev_named: String },
    #[error(
        "{entry} carries no place in its author's chain although entries with places come before it: it was written outside the program"
    )]
    ChainDropped { entry: String },
    #[error("{entry} is dated \"{at}\", which is no date and time (the program writes them as 2012-09-14T10:00:00Z)")]
    BadTime { entry: String, at: String },
    /// An entry breaks a rule of the panel; the sentence says which.
    #[error("{entry}: {problem}")]
    Refused { entry: String, problem: String },
}

/// Checks that the trail holds together: it begins with the one entry that
/// started the assessment, every entry's hash matches its contents and is
/// signed by the key it names, and every entry follows (and replaces) only
/// entries that come before it. Whether the key is the member's is a rule
/// of the panel ([`super::rules`]).
/// One pass, linear in the trail's length.
pub fn check_chain(trail: &[Entry]) -> Result<(), TrailError> {
    let first = trail.first().ok_or(TrailError::Empty)?;
    if !matches!(first.change, Change::Started { .. }) {
        return Err(TrailError::NoStart { entry: first.named(0), found: first.change.describe() });
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(trail.len());
    // Each entry's time, to refuse one dated before what it follows.
    type Dated<'a> = Option<(chrono::DateTime<chrono::FixedOffset>, &'a str)>;
    let mut dated: std::collections::HashMap<&str, Dated<'_>> = std::collections::HashMap::with_capacity(trail.len());
    let mut chained = Chains::new(trail);
    for (index, e) in trail.iter().enumerate() {
        if e.compute_hash() != e.hash {
            return Err(TrailError::Altered { entry: e.named(index) });
        }
        if !crate::keys::verify(&e.signer, &e.hash, &e.signature) {
            return Err(TrailError::BadSignature { entry: e.named(index) });
        }
        if index > 0 && matches!(e.change, Change::Started { .. }) {
            return Err(TrailError::StartedAgain { entry: e.named(index) });
        }
        if chrono::DateTime::parse_from_rfc3339(&e.at).is_err() {
            return Err(TrailError::BadTime { entry: e.named(index), at: e.at.clone() });
        }
        if index > 0 && e.parents.is_empty() || index == 0 && !e.parents.is_empty() {
            return Err(TrailError::Unlinked { entry: e.named(index) });
        }
        let linked = e.parents.iter().chain(&e.supersedes).all(|p| seen.contains(p.as_str()));
        if !linked {
            return Err(TrailError::Broken { entry: e.named(index) });
        }
        let at = chrono::DateTime::parse_from_rfc3339(&e.at).ok();
        for p in &e.parents {
            let parent_at = dated.get(p.as_str()).copied().flatten();
            if let (Some(mine), Some((theirs, text))) = (at, parent_at)
                && mine < theirs
            {
                return Err(TrailError::BeforeItsParents {
                    entry: e.named(index),
                    at: e.at.clone(),
                    parent_at: text.to_string(),
                });
            }
        }
        dated.insert(&e.hash, at.map(|d| (d, e.at.as_str())));
        if !seen.insert(&e.hash) {
            return Err(TrailError::Repeated { entry: e.named(index) });
        }
        chained.check(trail, index)?;
    }
    Ok(())
}

/// Each author's chain as the trail is read: the positions taken, so a
/// second entry at one position is a fork.
struct Chains<'t> {
    /// Every entry of the trail, to tell a gap from a link forward.
    all: HashSet<&'t str>,
    /// (signer, seq) and (signer, prev) -> the entry's index.
    at_seq: HashMap<(&'t str, u64), usize>,
    after: HashMap<(&'t str, Option<&'t str>), usize>,
    /// Signers with chained entries so far.
    chained: HashSet<&'t str>,
    /// Entries that are chained or follow a chained entry: a format 3
    /// entry (no chain) may only precede every format 4 one in its lineage.
    after_chained: HashSet<&'t str>,
    /// Where each entry is, to check an author's `prev`.
    index_of: HashMap<&'t str, usize>,
}

impl<'t> Chains<'t> {
    fn new(trail: &'t [Entry]) -> Chains<'t> {
        Chains {
            all: trail.iter().map(|e| e.hash.as_str()).collect(),
            at_seq: HashMap::new(),
            after: HashMap::new(),
            chained: HashSet::new(),
            after_chained: HashSet::new(),
            index_of: HashMap::with_capacity(trail.len()),
        }
    }

    fn check(&mut self, trail: &'t [Entry], index: usize) -> Result<(), TrailError> {
        let e = &trail[index];
        let forked = |other: usize| TrailError::Forked {
            entry: e.named(index),
            other: trail[other].named(other),
            key: crate::keys::short(&e.signer),
        };
        let follows_chained = e.parents.iter().any(|p| self.after_chained.contains(p.as_str()));
        let Some(seq) = e.seq else {
            if e.prev.is_some() || self.chained.contains(e.signer.as_str()) || follows_chained {
                return Err(TrailError::ChainDropped { entry: e.named(index) });
            }
            self.index_of.insert(&e.hash, index);
            return Ok(());
        };
        self.after_chained.insert(&e.hash);
        // A place no honest chain reaches (and past which the next would overflow).
        if seq > MAX_SEQ {
            return Err(TrailError::ChainBroken { entry: e.named(index), prev_named: format!("place {seq}") });
        }
        if let Some(prev) = &e.prev {
            match self.index_of.get(prev.as_str()) {
                // A gap: this copy does not hold the author's entry before
                // (another copy does); merging them closes it.
                None if !self.all.contains(prev.as_str()) => {}
                None => {
                    let p = trail.iter().position(|x| x.hash == *prev).unwrap_or_default();
                    return Err(TrailError::ChainBroken { entry: e.named(index), prev_named: trail[p].named(p) });
                }
                Some(&p) => {
                    let before = &trail[p];
                    if before.signer != e.signer || before.seq.is_some_and(|s| s >= seq) {
                        return Err(TrailError::ChainBroken { entry: e.named(index), prev_named: before.named(p) });
                    }
                }
            }
        }
        if seq == 0 {
            return Err(TrailError::ChainDropped { entry: e.named(index) });
        }
        if let Some(&other) = self.at_seq.get(&(e.signer.as_str(), seq)) {
            return Err(forked(other));
        }
        if let Some(&other) = self.after.get(&(e.signer.as_str(), e.prev.as_deref())) {
            return Err(forked(other));
        }
        self.at_seq.insert((&e.signer, seq), index);
        self.after.insert((&e.signer, e.prev.as_deref()), index);
        self.chained.insert(&e.signer);
        self.index_of.insert(&e.hash, index);
        Ok(())
    }
}

/// The trail's tips: entries no other entry names as a parent. A new entry
/// follows all of them.
pub fn tips(trail: &[Entry]) -> Vec<String> {
    let followed: HashSet<&str> = trail.iter().flat_map(|e| e.parents.iter().map(String::as_str)).collect();
    let mut out: Vec<String> =
        trail.iter().filter(|e| !followed.contains(e.hash.as_str())).map(|e| e.hash.clone()).collect();
    out.sort();
    out
}

/// The hashes of an entry and every entry it follows, directly or not.
pub fn ancestry<'t>(trail: &'t [Entry], hash: &str) -> HashSet<&'t str> {
    let by_hash: HashMap<&str, &Entry> = trail.iter().map(|e| (e.hash.as_str(), e)).collect();
    let mut out = HashSet::new();
    let mut stack = vec![hash];
    while let Some(h) = stack.pop() {
        if let Some(e) = by_hash.get(h)
            && out.insert(e.hash.as_str())
        {
            stack.extend(e.parents.iter().map(String::as_str));
        }
    }
    out
}

/// Entries from several copies, each once, in an order where every entry
/// comes after those it follows; among entries free to go next, the
/// earliest (by time, then hash) goes first. The order depends only on the
/// set of entries, so merging in any order writes the same file.
pub fn ordered(entries: impl IntoIterator<Item = Entry>) -> Vec<Entry> {
    let mut by_hash: BTreeMap<String, Entry> = BTreeMap::new();
    for e in entries {
        by_hash.entry(e.hash.clone()).or_insert(e);
    }
    let mut waiting: HashMap<&str, usize> = HashMap::new();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in by_hash.values() {
        // An entry comes after those it follows and after its author's
        // entry before it: order comes from the links, never the clocks.
        let mut before: Vec<&str> =
            e.parents.iter().chain(&e.prev).map(String::as_str).filter(|p| by_hash.contains_key(*p)).collect();
        before.sort_unstable();
        before.dedup();
        waiting.insert(&e.hash, before.len());
        for p in before {
            children.entry(p).or_default().push(&e.hash);
        }
    }
    let key = |h: &str| {
        let e = &by_hash[h];
        std::cmp::Reverse((e.at.clone(), e.hash.clone()))
    };
    let mut ready: BinaryHeap<_> = waiting.iter().filter(|(_, n)| **n == 0).map(|(h, _)| key(h)).collect();
    let mut order: Vec<String> = Vec::with_capacity(by_hash.len());
    while let Some(std::cmp::Reverse((_, hash))) = ready.pop() {
        for child in children.get(hash.as_str()).into_iter().flatten() {
            if let Some(n) = waiting.get_mut(child) {
                *n -= 1;
                if *n == 0 {
                    ready.push(key(child));
                }
            }
        }
        order.push(hash);
    }
    order.into_iter().filter_map(|h| by_hash.remove(&h)).collect()
}
