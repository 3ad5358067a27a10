//! An assessment: the assessors' work on one plan against one framework.
//!
//! It records what people decided, never what can be computed: scores with
//! evidence (each carrying its assessor), consensus scores with rationale,
//! development actions and decision notes. Evaluations are recomputed from
//! it by [`crate::scoring`]. It names the plan by fingerprint and carries
//! the framework's text, so a reviewer on another laptop scores against
//! exactly the criteria used here. Every score and consensus carries who
//! and when, ready for panels, merging and the audit trail.

pub mod audit;
mod error;
mod merge;

pub use audit::{Change, Entry};
pub use error::AssessmentError;
pub use merge::{MergeError, merge};

use crate::criteria::{self, Framework};
use crate::plan::Plan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the file says it is, so another JSON file is not mistaken for one.
pub const FORMAT: &str = "csu-assess assessment";

/// Scores this many levels apart must be talked through, and the
/// discussion recorded, before the panel can agree a consensus.
pub const MODERATION_SPREAD: u8 = 2;

/// The version of the file format this build writes. Older versions load
/// and are upgraded; newer ones are refused. Version 2 added the audit trail.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub format: String,
    pub format_version: u32,
    /// A stable identifier, the same in every copy of this assessment.
    pub id: String,
    /// When the assessment was started (RFC 3339, UTC).
    pub created_at: String,
    pub plan: PlanRef,
    pub framework: FrameworkRef,
    #[serde(default)]
    pub assessors: Vec<Assessor>,
    #[serde(default)]
    pub scores: Vec<Score>,
    #[serde(default)]
    pub consensus: Vec<Consensus>,
    #[serde(default)]
    pub actions: Vec<DevelopmentAction>,
    #[serde(default)]
    pub decision_notes: String,
    /// Every change, hash-chained; the fields above are what replaying it gives.
    #[serde(default)]
    pub audit: Vec<Entry>,
    /// Items changed independently in two merged copies, for a person to resolve.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// Panel members who have finished scoring (and may see the others' scores).
    #[serde(default)]
    pub done: Vec<String>,
    /// The panel's discussions of criteria, in the order recorded.
    #[serde(default)]
    pub discussions: Vec<Discussion>,
    /// The chair's sign-off of the panel's result.
    #[serde(default)]
    pub sign_off: Option<SignOff>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discussion {
    pub criterion: String,
    pub note: String,
    pub who: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub chair: String,
    pub at: String,
}

/// An item with more than one current value after a merge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub item: String,
    /// Each competing change, described, with who made it and when.
    pub versions: Vec<String>,
}

/// The plan assessed: found again by path or file name, trusted by fingerprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanRef {
    pub csu_name: String,
    pub file_name: String,
    /// Where the plan was when the assessment began; relative paths are
    /// relative to the assessment file.
    pub path: String,
    pub fingerprint: String,
}

/// The framework used, with its full text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
    /// The criteria file's name, or `built-in <name>`.
    pub source: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessor {
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// One assessor's score for one criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub criterion: String,
    pub assessor: String,
    pub score: u8,
    pub evidence: String,
    pub recorded_at: String,
}

/// The panel's agreed score for a criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    pub criterion: String,
    pub score: u8,
    pub rationale: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// An action of the development plan a conditional outcome requires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentAction {
    pub id: String,
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub criterion: Option<String>,
}

impl Assessment {
    /// Starts an assessment of a plan against a framework. The clock is the
    /// caller's: `created_at` and `id` are passed in so the library never
    /// reads it.
    pub fn new(
        plan: &Plan,
        plan_path: &str,
        framework: &Framework,
        source: &str,
        text: &str,
        created_at: &str,
        id: &str,
    ) -> Self {
        Assessment {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            id: id.to_string(),
            created_at: created_at.to_string(),
            plan: PlanRef {
                csu_name: plan.cover.csu_name.clone(),
                file_name: plan.source.file_name.clone(),
                path: plan_path.to_string(),
                fingerprint: plan.source.fingerprint.clone(),
            },
            framework: FrameworkRef {
                id: framework.id.clone(),
                version: framework.version.clone(),
                fingerprint: framework.fingerprint.clone(),
                source: source.to_string(),
                text: text.to_string(),
            },
            assessors: Vec::new(),
            scores: Vec::new(),
            consensus: Vec::new(),
            actions: Vec::new(),
            decision_notes: String::new(),
            audit: Vec::new(),
            conflicts: Vec::new(),
            done: Vec::new(),
            discussions: Vec::new(),
            sign_off: None,
        }
    }

    /// Appends a change to the trail and rebuilds the recorded state from it.
    /// A new value replaces every current value of its item, so recording
    /// one resolves a conflict.
    fn record(&mut self, who: &str, at: &str, change: Change) {
        let item = change.item();
        let supersedes: Vec<String> = audit::heads(&self.audit)
            .get(&item)
            .map(|h| h.iter().map(|e| e.hash.clone()).collect())
            .unwrap_or_default();
        let prev = self.audit.last().map(|e| e.hash.clone()).unwrap_or_default();
        self.audit.push(Entry::new(at, who, change, &prev, supersedes));
        self.rebuild();
    }

    /// The scores, consensus, actions, notes and conflicts the trail gives.
    fn replayed(&self) -> (Vec<Score>, Vec<Consensus>, Vec<DevelopmentAction>, String, Vec<Conflict>) {
        let (mut scores, mut consensus, mut actions, mut notes, mut conflicts) =
            (Vec::new(), Vec::new(), Vec::new(), String::new(), Vec::new());
        let mut current: Vec<&Entry> = Vec::new();
        for (item, heads) in audit::heads(&self.audit) {
            if heads.len() > 1 {
                conflicts.push(Conflict {
                    item: item.clone(),
                    versions: heads.iter().map(|e| format!("{} ({}, {})", e.change.describe(), e.who, e.at)).collect(),
                });
            }
            let keep_all = matches!(heads[0].change, Change::ActionAdded { .. } | Change::ActionRemoved { .. });
            if heads.len() == 1 || keep_all {
                current.extend(heads);
            }
        }
        current.sort_by(|a, b| (&a.at, &a.hash).cmp(&(&b.at, &b.hash)));
        for e in current {
            match &e.change {
                Change::Score { criterion, assessor, score, evidence, .. } => scores.push(Score {
                    criterion: criterion.clone(),
                    assessor: assessor.clone(),
                    score: *score,
                    evidence: evidence.clone(),
                    recorded_at: e.at.clone(),
                }),
                Change::Consensus { criterion, score, rationale, .. } => consensus.push(Consensus {
                    criterion: criterion.clone(),
                    score: *score,
                    rationale: rationale.clone(),
                    recorded_by: e.who.clone(),
                    recorded_at: e.at.clone(),
                }),
                Change::ActionAdded { id, action, owner, due, criterion } => {
                    if !actions.iter().any(|a: &DevelopmentAction| &a.id == id) {
                        actions.push(DevelopmentAction {
                            id: id.clone(),
                            action: action.clone(),
                            owner: owner.clone(),
                            due: *due,
                            criterion: criterion.clone(),
                        });
                    }
                }
                Change::ActionRemoved { .. } => {}
                Change::Notes { text, .. } => notes = text.clone(),
                Change::Member { .. }
                | Change::ScoringDone { .. }
                | Change::Discussion { .. }
                | Change::SignOff { .. } => {}
            }
        }
        (scores, consensus, actions, notes, conflicts)
    }

    /// Sets the recorded state to what the trail gives, and adds every
    /// assessor the trail names.
    pub fn rebuild(&mut self) {
        let (scores, consensus, actions, notes, conflicts) = self.replayed();
        self.scores = scores;
        self.consensus = consensus;
        self.actions = actions;
        self.decision_notes = notes;
        self.conflicts = conflicts;
        self.done.clear();
        self.discussions.clear();
        self.sign_off = None;
        let mut trail = self.audit.clone();
        audit::sorted(&mut trail);
        for e in &trail {
            match &e.change {
                Change::Score { assessor, .. } if !self.assessors.iter().any(|a| &a.name == assessor) => {
                    self.assessors.push(Assessor { name: assessor.clone(), role: String::new() });
                }
                Change::Member { name, role } => match self.assessors.iter_mut().find(|a| &a.name == name) {
                    Some(a) => a.role = role.clone(),
                    None => self.assessors.push(Assessor { name: name.clone(), role: role.clone() }),
                },
                Change::ScoringDone { assessor } if !self.done.contains(assessor) => self.done.push(assessor.clone()),
                Change::Discussion { criterion, note } => self.discussions.push(Discussion {
                    criterion: criterion.clone(),
                    note: note.clone(),
                    who: e.who.clone(),
                    at: e.at.clone(),
                }),
                Change::SignOff { chair } => self.sign_off = Some(SignOff { chair: chair.clone(), at: e.at.clone() }),
                _ => {}
            }
        }
    }

    /// Adds a panel member, or changes their role.
    pub fn add_member(&mut self, name: &str, role: &str, who: &str, at: &str) -> Result<(), AssessmentError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AssessmentError::NoAssessor);
        }
        if self.assessors.iter().any(|a| a.name == name && a.role == role.trim()) {
            return Ok(());
        }
        self.record(who, at, Change::Member { name: name.into(), role: role.trim().into() });
        Ok(())
    }

    /// Marks an assessor's scoring done: from now on they see the others' scores.
    pub fn mark_done(&mut self, assessor: &str, at: &str) {
        if !self.done.iter().any(|d| d == assessor) {
            self.record(assessor, at, Change::ScoringDone { assessor: assessor.into() });
        }
    }

    /// Whether an assessor may see the other members' scores yet.
    pub fn sees_panel(&self, assessor: &str) -> bool {
        self.done.iter().any(|d| d == assessor)
    }

    /// Records the panel's discussion of a criterion.
    pub fn record_discussion(
        &mut self,
        framework: &Framework,
        criterion: &str,
        note: &str,
        who: &str,
        at: &str,
    ) -> Result<(), AssessmentError> {
        let criterion = Self::criterion_id(framework, criterion)?;
        if note.trim().is_empty() {
            return Err(AssessmentError::NoDiscussionNote { criterion });
        }
        self.record(who, at, Change::Discussion { criterion, note: note.trim().into() });
        Ok(())
    }

    /// The spread of the panel's scores for a criterion: highest less lowest.
    pub fn spread(&self, criterion: &str) -> Option<u8> {
        let levels: Vec<u8> = self.scores.iter().filter(|s| s.criterion == criterion).map(|s| s.score).collect();
        Some(levels.iter().max()? - levels.iter().min()?)
    }

    /// The chair signs off the panel's result.
    pub fn sign_off(&mut self, chair: &str, at: &str) -> Result<(), AssessmentError> {
        if chair.trim().is_empty() {
            return Err(AssessmentError::NoAssessor);
        }
        self.record(chair.trim(), at, Change::SignOff { chair: chair.trim().into() });
        Ok(())
    }

    /// Checks the trail: every entry intact and linked, and the recorded
    /// state exactly what replaying it gives.
    pub fn verify_audit(&self) -> Result<(), audit::TrailError> {
        audit::check_chain(&self.audit)?;
        let (scores, consensus, actions, notes, _) = self.replayed();
        let differs = |what: &str| {
            Err(audit::TrailError::StateDiffers(format!(
                "the {what} in the file are not what its audit trail records; the file was edited outside the program"
            )))
        };
        let key = |s: &Score| (s.criterion.clone(), s.assessor.clone(), s.score, s.evidence.clone());
        let (mut a, mut b): (Vec<_>, Vec<_>) =
            (scores.iter().map(key).collect(), self.scores.iter().map(key).collect());
        a.sort();
        b.sort();
        if a != b {
            return differs("scores");
        }
        let key = |c: &Consensus| (c.criterion.clone(), c.score, c.rationale.clone());
        let (mut a, mut b): (Vec<_>, Vec<_>) =
            (consensus.iter().map(key).collect(), self.consensus.iter().map(key).collect());
        a.sort();
        b.sort();
        if a != b {
            return differs("consensus scores");
        }
        let key = |x: &DevelopmentAction| (x.id.clone(), x.action.clone(), x.owner.clone(), x.due, x.criterion.clone());
        let (mut a, mut b): (Vec<_>, Vec<_>) =
            (actions.iter().map(key).collect(), self.actions.iter().map(key).collect());
        a.sort();
        b.sort();
        if a != b {
            return differs("development actions");
        }
        if notes != self.decision_notes {
            return differs("decision notes");
        }
        Ok(())
    }

    /// Gives a file from format 1, which had no trail, a trail that records
    /// its state as it was found.
    pub fn upgrade_from_v1(&mut self) {
        if !self.audit.is_empty() {
            return;
        }
        let scores = std::mem::take(&mut self.scores);
        let consensus = std::mem::take(&mut self.consensus);
        let actions = std::mem::take(&mut self.actions);
        let notes = std::mem::take(&mut self.decision_notes);
        for s in scores {
            let change = Change::Score {
                criterion: s.criterion,
                assessor: s.assessor.clone(),
                score: s.score,
                evidence: s.evidence,
                old_score: None,
                old_evidence: None,
            };
            self.record(&s.assessor, &s.recorded_at, change);
        }
        for c in consensus {
            let change = Change::Consensus {
                criterion: c.criterion,
                score: c.score,
                rationale: c.rationale,
                old_score: None,
                old_rationale: None,
            };
            self.record(&c.recorded_by, &c.recorded_at, change);
        }
        let at = self.created_at.clone();
        for a in actions {
            let change =
                Change::ActionAdded { id: a.id, action: a.action, owner: a.owner, due: a.due, criterion: a.criterion };
            self.record("(format 1 file)", &at, change);
        }
        if !notes.is_empty() {
            self.record("(format 1 file)", &at, Change::Notes { text: notes, old: String::new() });
        }
    }

    /// The framework, re-read from the text this assessment carries.
    pub fn framework(&self) -> Result<Framework, AssessmentError> {
        let framework = criteria::parse(&self.framework.source, &self.framework.text)?;
        if framework.fingerprint != self.framework.fingerprint {
            return Err(AssessmentError::FrameworkChanged { source_name: self.framework.source.clone() });
        }
        Ok(framework)
    }

    /// The criterion id as the framework writes it, or an error naming the
    /// ids that are near.
    fn criterion_id(framework: &Framework, id: &str) -> Result<String, AssessmentError> {
        framework.criterion(id).map(|c| c.id.clone()).ok_or_else(|| AssessmentError::UnknownCriterion {
            id: id.to_string(),
            known: framework.criteria().map(|(_, c)| c.id.clone()).collect::<Vec<_>>().join(", "),
        })
    }

    fn check_level(framework: &Framework, score: u8) -> Result<(), AssessmentError> {
        if framework.scale.contains(score) {
            Ok(())
        } else {
            Err(AssessmentError::OffScale { score, min: framework.scale.min, max: framework.scale.max })
        }
    }

    /// Adds an assessor the first time they are named.
    pub fn ensure_assessor(&mut self, name: &str) -> Result<(), AssessmentError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AssessmentError::NoAssessor);
        }
        if !self.assessors.iter().any(|a| a.name == name) {
            self.assessors.push(Assessor { name: name.to_string(), role: String::new() });
        }
        Ok(())
    }

    /// Records (or replaces) an assessor's score and evidence for a criterion.
    pub fn set_score(
        &mut self,
        framework: &Framework,
        criterion: &str,
        assessor: &str,
        score: u8,
        evidence: &str,
        at: &str,
    ) -> Result<(), AssessmentError> {
        let criterion = Self::criterion_id(framework, criterion)?;
        Self::check_level(framework, score)?;
        self.ensure_assessor(assessor)?;
        let assessor = assessor.trim().to_string();
        let evidence = evidence.trim().to_string();
        let old = self.scores.iter().find(|s| s.criterion == criterion && s.assessor == assessor);
        if old.is_some_and(|o| o.score == score && o.evidence == evidence) {
            return Ok(());
        }
        let change = Change::Score {
            old_score: old.map(|o| o.score),
            old_evidence: old.map(|o| o.evidence.clone()),
            criterion,
            assessor: assessor.clone(),
            score,
            evidence,
        };
        self.record(&assessor, at, change);
        Ok(())
    }

    /// Records (or replaces) the panel's consensus for a criterion.
    pub fn set_consensus(
        &mut self,
        framework: &Framework,
        criterion: &str,
        score: u8,
        rationale: &str,
        by: &str,
        at: &str,
    ) -> Result<(), AssessmentError> {
        let criterion = Self::criterion_id(framework, criterion)?;
        Self::check_level(framework, score)?;
        if rationale.trim().is_empty() {
            return Err(AssessmentError::NoRationale { criterion });
        }
        if let Some(spread) = self.spread(&criterion).filter(|s| *s >= MODERATION_SPREAD)
            && !self.discussions.iter().any(|d| d.criterion == criterion)
        {
            return Err(AssessmentError::NeedsDiscussion { criterion, spread });
        }
        let rationale = rationale.trim().to_string();
        let old = self.consensus.iter().find(|c| c.criterion == criterion);
        if old.is_some_and(|o| o.score == score && o.rationale == rationale) {
            return Ok(());
        }
        let change = Change::Consensus {
            old_score: old.map(|o| o.score),
            old_rationale: old.map(|o| o.rationale.clone()),
            criterion,
            score,
            rationale,
        };
        self.record(by.trim(), at, change);
        Ok(())
    }

    /// Adds a development action. Its id comes from its content and
    /// moment, so actions added in two reviewers' copies never share one.
    #[allow(clippy::too_many_arguments)]
    pub fn add_action(
        &mut self,
        action: &str,
        owner: &str,
        due: NaiveDate,
        criterion: Option<String>,
        who: &str,
        at: &str,
    ) -> String {
        let seed = format!("{at}\n{who}\n{action}\n{owner}\n{due}\n{}", self.audit.len());
        let id = format!("A-{}", &crate::plan::fingerprint(seed.as_bytes())[..6]);
        let change = Change::ActionAdded {
            id: id.clone(),
            action: action.trim().to_string(),
            owner: owner.trim().to_string(),
            due,
            criterion,
        };
        self.record(who, at, change);
        id
    }

    /// Removes a development action, on the record.
    pub fn remove_action(&mut self, id: &str, who: &str, at: &str) {
        if let Some(a) = self.actions.iter().find(|a| a.id == id) {
            let change = Change::ActionRemoved { id: a.id.clone(), action: a.action.clone() };
            self.record(who, at, change);
        }
    }

    /// Sets the decision notes, on the record.
    pub fn set_notes(&mut self, text: &str, who: &str, at: &str) {
        if text != self.decision_notes {
            let change = Change::Notes { text: text.to_string(), old: self.decision_notes.clone() };
            self.record(who, at, change);
        }
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
        let size = std::fs::metadata(path).map_err(|e| crate::plan::Refusal::Io(e).at(path))?.len();
        if size > crate::limits::MAX_PLAN_FILE_BYTES {
            return Err(AssessmentError::PlanChanged { path: path.clone() });
        }
        let bytes = std::fs::read(path).map_err(|e| crate::plan::Refusal::Io(e).at(path))?;
        if crate::plan::fingerprint(&bytes) != self.plan.fingerprint {
            return Err(AssessmentError::PlanChanged { path: path.clone() });
        }
        crate::plan::import_bytes(&self.plan.file_name, &bytes).map_err(|r| AssessmentError::Plan(r.at(path)))
    }
}
