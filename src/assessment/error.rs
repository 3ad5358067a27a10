//! What can go wrong with an assessment's record, in words an assessor can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    /// The trail does not hold together, or an entry breaks a rule.
    #[error("the record does not check: {0}")]
    Trail(#[from] super::TrailError),
    /// A change the panel's rules do not allow.
    #[error("{0}")]
    Refused(#[from] super::Refusal),
    /// The criteria text carried in the file is not the one the record fixed.
    #[error(
        "the criteria stored in this assessment ({source_name}) are not the ones it was started with; the file was edited outside the program"
    )]
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
    /// A private text beside the trail is not the text its entry committed to.
    #[error(
        "the record does not check: the private text {hash}… beside the trail is not the text its entry committed to; the file was edited outside the program"
    )]
    TextAltered { hash: String },
    /// A text beside the trail that no entry commits to.
    #[error(
        "the record does not check: the text {hash}… beside the trail is committed to by no entry; the file was edited outside the program"
    )]
    TextUncommitted { hash: String },
}
