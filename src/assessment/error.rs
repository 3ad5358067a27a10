//! What can go wrong with an assessment, in words an assessor can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    /// The criterion named is not in the framework.
    #[error("there is no criterion `{id}` in this framework; its criteria are {known}")]
    UnknownCriterion { id: String, known: String },
    /// A score outside the framework's scale.
    #[error("a score of {score} is not on the scale {min}-{max}")]
    OffScale { score: u8, min: u8, max: u8 },
    /// A consensus needs its reasons recorded.
    #[error("the consensus for {criterion} needs a rationale: say why the panel agreed this score")]
    NoRationale { criterion: String },
    /// A wide spread of scores must be talked through first.
    #[error(
        "the panel's scores for {criterion} are {spread} levels apart: record the panel's discussion of it before a consensus"
    )]
    NeedsDiscussion { criterion: String, spread: u8 },
    /// A discussion needs its substance recorded.
    #[error("the discussion of {criterion} needs a note of what was said")]
    NoDiscussionNote { criterion: String },
    /// Every score carries its assessor.
    #[error("a score needs the assessor's name")]
    NoAssessor,
    /// The framework text in the file no longer matches its fingerprint.
    #[error("the criteria stored in this assessment ({source_name}) were changed outside the program")]
    FrameworkChanged { source_name: String },
    /// The framework text in the file is invalid.
    #[error("the criteria stored in this assessment are invalid:\n{0}")]
    Framework(#[from] crate::criteria::CriteriaError),
    /// The plan file cannot be found.
    #[error("the plan {file_name} was not found (looked at {looked}); put it beside the assessment file")]
    PlanMissing { file_name: String, looked: String },
    /// The plan file was found but is not the one assessed.
    #[error("{}: this is not the plan that was assessed (its contents have changed since)", path.display())]
    PlanChanged { path: PathBuf },
    /// The plan could not be read.
    #[error("{0}")]
    Plan(#[from] crate::plan::ImportError),
}
