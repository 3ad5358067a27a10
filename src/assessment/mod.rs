//! An assessment: the assessors' work on one plan against one framework.
//!
//! An assessment *is* its trail ([`audit`]): who recorded what, when, each
//! entry linked to those before it. Scores with evidence, consensus with
//! rationale, development actions, the panel, who has finished, discussions
//! and the chair's sign-off are what replaying the trail gives
//! ([`replay`]), recomputed whenever it is read and never stored. Every
//! change goes through one function, [`Assessment::apply`], which checks
//! the panel's rules ([`rules`]) and records the change; the same rules are
//! checked again for every entry each time a file is read, so a record
//! edited by hand is refused rather than believed. The first entry fixes
//! the plan (by fingerprint) and the criteria (by the SHA-256 of their
//! text, which the assessment carries), so a reviewer on another laptop
//! scores against exactly the criteria used here, and neither can be
//! swapped later.

pub mod audit;
mod edit;
mod error;
mod merge;
mod replay;
pub mod rules;
mod view;

pub use audit::{CarriedAction, Chain, Change, Entry, TrailError};
pub use edit::Edit;
pub use error::AssessmentError;
pub use merge::{MergeError, merge};
pub use rules::{MODERATION_SPREAD, Refusal};
pub use view::{Progress, View};

use crate::criteria::{self, Framework};
use crate::plan::Plan;
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What the file says it is, so another JSON file is not mistaken for one.
pub const FORMAT: &str = "csu-assess assessment";

/// The version of the file format this build writes and reads. Version 3
/// made the trail the whole record; version 4 chains each author's entries
/// and carries the BDU's roster; version 5 adds the CCG interview, so a
/// program that cannot read one says it is newer rather than damaged.
/// Files of versions 3 and 4 are read (their entries keep their meaning);
/// files of versions 1 and 2 held state the trail could not vouch for, and
/// are refused.
pub const FORMAT_VERSION: u32 = 5;

/// The oldest format still read: 3, whose records the trail vouches for whole.
pub const OLDEST_FORMAT_READ: u32 = 3;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    /// A stable identifier, the same in every copy of this assessment.
    pub id: String,
    /// When the assessment was started (RFC 3339, UTC).
    pub created_at: String,
    pub plan: PlanRef,
    pub framework: FrameworkRef,
    /// Every change; everything below is what replaying it gives.
    pub audit: Vec<Entry>,
    pub assessors: Vec<Assessor>,
    pub scores: Vec<Score>,
    pub consensus: Vec<Consensus>,
    pub actions: Vec<DevelopmentAction>,
    pub decision_notes: String,
    /// Items changed independently in two merged copies, for a person to resolve.
    pub conflicts: Vec<Conflict>,
    /// Panel members who have finished scoring (and may see the others' scores).
    pub done: Vec<String>,
    /// The panel's discussions of criteria, in the order recorded.
    pub discussions: Vec<Discussion>,
    /// The chair's sign-off, while it covers every change on the record.
    pub sign_off: Option<SignOff>,
    /// Changes a sign-off does not cover (merged in from a copy the chair
    /// had not seen): while there are any, the result is not signed off.
    pub uncovered: Vec<String>,
    /// Members' declared interests in the CSU: each stands aside from it.
    pub interests: Vec<Interest>,
    /// The same CSU's assessment at the checkpoint before, when linked.
    pub earlier: Option<Earlier>,
    /// Each CCG's interview as it stands (a CCG whose interview was
    /// recorded differently in two copies is in `conflicts` instead).
    pub ccg_interviews: Vec<crate::ccg::Interview>,
    /// CCGs whose interview was recorded differently in two merged copies.
    pub ccg_conflicted: Vec<String>,
    /// The leaders' interview: schedule, script, notes (as this copy holds
    /// their texts) and the agreed account.
    pub leaders: crate::leaders::Interview,
    /// The private texts beside the trail, by commitment: never shown
    /// whole (`leaders.notes` shows what a viewer may see).
    #[serde(skip)]
    pub texts: crate::leaders::private::Texts,
    #[serde(skip)]
    criteria: Framework,
    #[serde(skip)]
    state: replay::State,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Discussion {
    pub criterion: String,
    pub note: String,
    pub who: String,
    pub at: String,
}

/// A member's declared interest in the CSU.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interest {
    pub member: String,
    pub interest: String,
    pub at: String,
}

/// The checkpoint before, as linked: its development actions, each with
/// the panel's finding once recorded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Earlier {
    pub id: String,
    pub csu_name: String,
    pub checkpoint: u8,
    pub actions: Vec<ReviewedAction>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewedAction {
    pub action: CarriedAction,
    pub review: Option<Review>,
}

/// Whether an earlier development action was met, on what evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Review {
    pub met: bool,
    pub evidence: String,
    pub by: String,
    pub at: String,
}

impl Earlier {
    /// The actions found not met: a breach of the development plan.
    pub fn unmet(&self) -> impl Iterator<Item = &ReviewedAction> {
        self.actions.iter().filter(|a| a.review.as_ref().is_some_and(|r| !r.met))
    }

    /// The actions no finding has been recorded for yet.
    pub fn unreviewed(&self) -> impl Iterator<Item = &ReviewedAction> {
        self.actions.iter().filter(|a| a.review.is_none())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SignOff {
    pub chair: String,
    pub at: String,
}

/// An item with more than one current value after a merge.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    pub item: String,
    /// Each competing change, described, with who made it and when.
    pub versions: Vec<String>,
}

/// The plan assessed: found again by path or file name, trusted by fingerprint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanRef {
    pub csu_name: String,
    pub file_name: String,
    /// Where the plan was when the assessment began; relative paths are
    /// relative to the assessment file. Only a hint: the fingerprint decides.
    pub path: String,
    pub fingerprint: String,
}

/// The framework used, with its full text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
    /// The criteria file's name, or `built-in <name>`.
    pub source: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessor {
    pub name: String,
    pub role: String,
}

/// One assessor's score for one criterion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub criterion: String,
    pub assessor: String,
    pub score: u8,
    pub evidence: String,
    pub recorded_at: String,
}

/// The panel's agreed score for a criterion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Consensus {
    pub criterion: String,
    pub score: u8,
    pub rationale: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// An action of the development plan a conditional outcome requires.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DevelopmentAction {
    pub id: String,
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
    pub criterion: Option<String>,
}

/// How an assessment begins. The clock is the caller's: `at` and `id` are
/// passed in so the library never reads it.
#[derive(Clone, Copy, Debug)]
pub struct Start<'a> {
    /// Where the plan is, as recorded (a hint for finding it again).
    pub plan_path: &'a str,
    /// The criteria file's name, or `built-in <name>`.
    pub source: &'a str,
    /// The criteria file's text, carried in the assessment.
    pub text: &'a str,
    pub at: &'a str,
    pub id: &'a str,
    /// The person starting it: the panel's first member.
    pub by: &'a str,
    pub role: &'a str,
    /// Their key: every entry they make is signed with it.
    pub key: &'a crate::keys::Identity,
}

impl Assessment {
    /// Starts an assessment of a plan against a framework: a trail of one
    /// entry, which fixes the plan and the criteria.
    pub fn start(plan: &Plan, framework: &Framework, start: Start) -> Result<Assessment, AssessmentError> {
        let by = start.by.trim();
        if by.is_empty() {
            return Err(AssessmentError::Refused(Refusal::NoName));
        }
        let change = Change::Started {
            id: start.id.to_string(),
            csu_name: plan.cover.csu_name.clone(),
            plan_file_name: plan.source.file_name.clone(),
            plan_fingerprint: plan.source.fingerprint.clone(),
            framework_id: framework.id.clone(),
            framework_version: framework.version.clone(),
            framework_fingerprint: crate::plan::fingerprint(start.text.as_bytes()),
            role: start.role.trim().to_string(),
            key: start.key.public(),
        };
        let chain = Chain { seq: 1, prev: None };
        let first = Entry::new(start.at, by, change, Vec::new(), Vec::new(), chain, start.key);
        start.key.remember_signed(start.id, 1, &first.hash);
        Assessment::from_record(start.plan_path, start.source, start.text, vec![first])
    }

    /// An assessment from its record: the trail, and the criteria text and
    /// plan path it carries beside it. The trail must hold together, the
    /// text must be the one the first entry fixed, and every entry must
    /// keep the panel's rules; otherwise the record is refused whole.
    pub fn from_record(
        plan_path: &str,
        framework_source: &str,
        framework_text: &str,
        trail: Vec<Entry>,
    ) -> Result<Assessment, AssessmentError> {
        audit::check_chain(&trail)?;
        let Change::Started {
            id,
            csu_name,
            plan_file_name,
            plan_fingerprint,
            framework_id,
            framework_version,
            framework_fingerprint,
            ..
        } = trail[0].change.clone()
        else {
            return Err(AssessmentError::Trail(TrailError::Empty));
        };
        if crate::plan::fingerprint(framework_text.as_bytes()) != framework_fingerprint {
            return Err(AssessmentError::FrameworkChanged { source_name: framework_source.to_string() });
        }
        let framework = criteria::parse(framework_source, framework_text)?;
        if framework.id != framework_id || framework.version != framework_version {
            return Err(AssessmentError::FrameworkChanged { source_name: framework_source.to_string() });
        }
        let mut state = replay::State::default();
        for (index, e) in trail.iter().enumerate() {
            let refused = |r: Refusal| TrailError::Refused { entry: e.named(index), problem: r.to_string() };
            rules::authority(&state, &framework, &e.who, &e.signer, &e.change, &e.parents).map_err(refused)?;
            // The rules see the trail as it stood when the entry was made.
            rules::process(&state, &framework, &trail[..index], &e.change).map_err(refused)?;
            // Nothing but a reopening descends from a sign-off (or a sole
            // assessor's letter) through the entry's own lineage, so a
            // reviewer's score made offline beside it still merges, while an
            // entry written after it is refused.
            if let Some(seal) = state.seal_over(&e.parents)
                && !rules::open_under(seal, &e.change)
            {
                return Err(refused(rules::sealed(seal)).into());
            }
            state.step(&trail, index);
        }
        let mut assessment = Assessment {
            id,
            created_at: trail[0].at.clone(),
            plan: PlanRef {
                csu_name,
                file_name: plan_file_name,
                path: plan_path.to_string(),
                fingerprint: plan_fingerprint,
            },
            framework: FrameworkRef {
                id: framework_id,
                version: framework_version,
                fingerprint: framework_fingerprint,
                source: framework_source.to_string(),
                text: framework_text.to_string(),
            },
            audit: trail,
            assessors: Vec::new(),
            scores: Vec::new(),
            consensus: Vec::new(),
            actions: Vec::new(),
            decision_notes: String::new(),
            conflicts: Vec::new(),
            done: Vec::new(),
            discussions: Vec::new(),
            sign_off: None,
            uncovered: Vec::new(),
            interests: Vec::new(),
            earlier: None,
            ccg_interviews: Vec::new(),
            ccg_conflicted: Vec::new(),
            leaders: Default::default(),
            texts: Default::default(),
            criteria: framework,
            state,
        };
        assessment.refresh();
        Ok(assessment)
    }

    /// Sets the shown state to what the trail gives.
    /// The record with the private texts kept beside its trail: each must
    /// be the text an entry committed to; one no entry commits to is
    /// refused, so nothing rides in the file unaccounted for. A text an
    /// entry commits to may be missing (withheld from a disclosed copy).
    pub fn with_texts(mut self, texts: crate::leaders::private::Texts) -> Result<Assessment, AssessmentError> {
        let committed: std::collections::HashSet<&str> = self
            .audit
            .iter()
            .filter_map(|e| match &e.change {
                Change::LeadersNote { sha256, .. } => Some(sha256.as_str()),
                _ => None,
            })
            .collect();
        for (hash, text) in &texts {
            if crate::leaders::private::commitment(text) != *hash {
                return Err(AssessmentError::TextAltered { hash: hash.chars().take(12).collect() });
            }
            if !committed.contains(hash.as_str()) {
                return Err(AssessmentError::TextUncommitted { hash: hash.chars().take(12).collect() });
            }
        }
        self.texts = texts;
        self.refresh();
        Ok(self)
    }

    /// A copy to disclose to the CSU: the members' private notes left out.
    /// Every entry stays, so the copy checks as the whole record does, and
    /// says which notes were withheld.
    pub fn disclosed(&self) -> Assessment {
        let mut copy = self.clone();
        copy.texts.clear();
        copy.refresh();
        copy
    }

    fn refresh(&mut self) {
        let state = std::mem::take(&mut self.state);
        state.fill(self);
        self.state = state;
    }

    /// Appends a change the rules have allowed, signed with `key`.
    fn record(&mut self, who: &str, key: &crate::keys::Identity, at: &str, change: Change) -> String {
        let supersedes = self.state.heads(&self.audit, &change.item()).iter().map(|e| e.hash.clone()).collect();
        let parents = self.state.tips();
        // Laptop clocks drift: an entry is stamped no earlier than the
        // entries it follows, so its time never contradicts the order.
        let latest = parents
            .iter()
            .filter_map(|p| self.audit.iter().rev().find(|e| &e.hash == p))
            .map(|e| e.at.as_str())
            .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok().map(|d| (d, t)))
            .max_by_key(|(d, _)| *d);
        let at = match (chrono::DateTime::parse_from_rfc3339(at), latest) {
            (Ok(mine), Some((theirs, text))) if mine < theirs => text.to_string(),
            _ => at.to_string(),
        };
        let chain = Chain::after(&self.audit, &key.public(), key.last_signed(&self.id));
        let seq = chain.seq;
        let entry = Entry::new(&at, who, change, parents, supersedes, chain, key);
        let hash = entry.hash.clone();
        key.remember_signed(&self.id, seq, &hash);
        self.audit.push(entry);
        self.state.step(&self.audit, self.audit.len() - 1);
        self.refresh();
        hash
    }

    /// Calls `f` with the assessment as it stood after each entry of the
    /// trail, in order. The state is built up once, entry by entry, so
    /// this is linear in the trail (the audit verb uses it to show where
    /// each change moved the outcome).
    pub fn each_step(&self, mut f: impl FnMut(usize, &Assessment)) {
        let mut step = self.clone();
        step.audit = Vec::with_capacity(self.audit.len());
        step.state = replay::State::default();
        for (index, e) in self.audit.iter().enumerate() {
            step.audit.push(e.clone());
            step.state.step(&step.audit, index);
            step.refresh();
            f(index, &step);
        }
    }

    /// The framework this assessment is scored against, as its first entry fixed it.
    pub fn framework(&self) -> &Framework {
        &self.criteria
    }

    /// Whether a member may see the other members' scores yet.
    pub fn sees_panel(&self, member: &str) -> bool {
        self.state.sees_panel(member)
    }

    pub fn is_member(&self, name: &str) -> bool {
        self.state.is_member(name)
    }

    /// Each member who signed entries, with the key they signed with, once
    /// each, in the order they first signed.
    pub fn signers(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for e in &self.audit {
            if !out.iter().any(|(n, k)| *n == e.who && *k == e.signer) {
                out.push((e.who.clone(), e.signer.clone()));
            }
        }
        out
    }

    /// The latest letter issued from this record, in trail order, with its
    /// reference: what a new letter replaces.
    pub fn last_letter(&self) -> Option<(&str, &Entry)> {
        self.audit.iter().rev().find_map(|e| match &e.change {
            Change::LetterIssued { reference, .. } => Some((reference.as_str(), e)),
            _ => None,
        })
    }

    /// The public key recorded for a member.
    pub fn key_of(&self, name: &str) -> Option<&str> {
        self.state.key_of(name)
    }

    /// The member a key belongs to.
    pub fn member_with_key(&self, key: &str) -> Option<&str> {
        self.state.member_with_key(key)
    }

    /// Whether `who` may do `act` now, and if not the refusal they would
    /// meet: for greying out controls before they are tried.
    pub fn may(&self, who: &str, act: rules::Act) -> Result<(), Refusal> {
        rules::may(&self.state, who, act)
    }

    /// The member whose role is Chair, if any.
    pub fn chair(&self) -> Option<String> {
        self.state.chair()
    }

    /// The spread of the panel's scores for a criterion: highest less lowest.
    pub fn spread(&self, criterion: &str) -> Option<u8> {
        let levels: Vec<u8> = self.scores.iter().filter(|s| s.criterion == criterion).map(|s| s.score).collect();
        Some(levels.iter().max()? - levels.iter().min()?)
    }

    /// Members of a panel of more than one who have not finished scoring;
    /// a member who declared an interest is not waited for. The replay's
    /// answer, which the consensus rule asks too.
    pub fn still_scoring(&self) -> Vec<&str> {
        self.state.still_scoring()
    }

    /// Where to look for the plan: its recorded path (relative to the
    /// assessment file when relative), then beside the assessment file.
    pub fn plan_candidates(&self, assessment_path: &Path) -> Vec<PathBuf> {
        let dir = assessment_path.parent().unwrap_or(Path::new("."));
        let recorded = Path::new(&self.plan.path);
        let mut out = vec![if recorded.is_absolute() { recorded.to_path_buf() } else { dir.join(recorded) }];
        out.push(dir.join(&self.plan.file_name));
        out.dedup();
        out
    }

    /// Finds and imports the plan, refusing one whose bytes differ from
    /// the plan that was assessed.
    pub fn open_plan(&self, assessment_path: &Path) -> Result<Plan, AssessmentError> {
        let candidates = self.plan_candidates(assessment_path);
        let Some(path) = candidates.iter().find(|p| p.is_file()) else {
            return Err(AssessmentError::PlanMissing {
                file_name: self.plan.file_name.clone(),
                looked: candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            });
        };
        // A file larger than any plan cannot be the plan assessed.
        let bytes = match crate::files::read(path, crate::limits::MAX_PLAN_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(crate::files::ReadError::TooLarge { .. }) => {
                return Err(AssessmentError::PlanChanged { path: path.clone() });
            }
            Err(e) => return Err(crate::plan::Refusal::NotAFile(e.to_string()).at(path).into()),
        };
        if crate::plan::fingerprint(&bytes) != self.plan.fingerprint {
            return Err(AssessmentError::PlanChanged { path: path.clone() });
        }
        crate::plan::import_bytes(&self.plan.file_name, &bytes).map_err(|r| AssessmentError::Plan(r.at(path)))
    }
}
