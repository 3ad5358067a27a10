//! An assessment: the assessors' work on one plan against one framework.
//!
//! It records what people decided, never what can be computed: scores with
//! evidence (each carrying its assessor), consensus scores with rationale,
//! development actions and decision notes. Evaluations are recomputed from
//! it by [`crate::scoring`]. It names the plan by fingerprint and carries
//! the framework's text, so a reviewer on another laptop scores against
//! exactly the criteria used here. Every score and consensus carries who
//! and when, ready for panels, merging and the audit trail.

mod error;

pub use error::AssessmentError;

use crate::criteria::{self, Framework};
use crate::plan::Plan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the file says it is, so another JSON file is not mistaken for one.
pub const FORMAT: &str = "csu-assess assessment";

/// The version of the file format this build writes. Older versions load
/// and are upgraded; newer ones are refused.
pub const FORMAT_VERSION: u32 = 1;

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
        let entry = Score { criterion, assessor, score, evidence: evidence.trim().to_string(), recorded_at: at.into() };
        match self.scores.iter_mut().find(|s| s.criterion == entry.criterion && s.assessor == entry.assessor) {
            Some(existing) => *existing = entry,
            None => self.scores.push(entry),
        }
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
        let entry = Consensus {
            criterion,
            score,
            rationale: rationale.trim().to_string(),
            recorded_by: by.trim().to_string(),
            recorded_at: at.to_string(),
        };
        match self.consensus.iter_mut().find(|c| c.criterion == entry.criterion) {
            Some(existing) => *existing = entry,
            None => self.consensus.push(entry),
        }
        Ok(())
    }

    /// Adds a development action; its id is the next free `A<n>`.
    pub fn add_action(&mut self, action: &str, owner: &str, due: NaiveDate, criterion: Option<String>) -> String {
        let n = (1..).find(|n| !self.actions.iter().any(|a| a.id == format!("A{n}"))).unwrap_or(1);
        let id = format!("A{n}");
        self.actions.push(DevelopmentAction {
            id: id.clone(),
            action: action.trim().to_string(),
            owner: owner.trim().to_string(),
            due,
            criterion,
        });
        id
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
