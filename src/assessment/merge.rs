//! Merging copies of one assessment: a panel's file and the copies SHA
//! reviewers worked on offline.
//!
//! The merged trail is the union of the copies' trails, and the merged
//! state is what replaying it gives (see [`super::audit`]). Nothing is lost:
//! every entry of every copy is in the result, and an item two copies
//! changed independently keeps both values as a [`super::Conflict`].
//! Because union does not care about order or repetition, neither does
//! merging: the result is the same whatever order the files come in, and
//! merging a file twice changes nothing. The merged record is checked like
//! any file read from disk, panel's rules included.

use super::{Assessment, AssessmentError, audit};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge")]
    Nothing,
    #[error(
        "copy {index} is a different assessment (id {found}, not {expected}); only copies of one assessment can be merged"
    )]
    DifferentAssessment { index: usize, expected: String, found: String },
    #[error("the copies cannot be joined: {0}")]
    Refused(AssessmentError),
}

/// Merges copies of one assessment (each already checked when it was read).
pub fn merge(copies: &[Assessment]) -> Result<Assessment, MergeError> {
    let first = copies.first().ok_or(MergeError::Nothing)?;
    for (i, c) in copies.iter().enumerate() {
        if c.audit[0].hash != first.audit[0].hash {
            let index = i + 1;
            return Err(MergeError::DifferentAssessment { index, expected: first.id.clone(), found: c.id.clone() });
        }
    }
    // Where each reviewer keeps the plan may differ between copies without
    // being a change; it is taken in an order-free way.
    let plan_path = copies.iter().map(|c| c.plan.path.as_str()).min().unwrap_or_default();
    let trail = audit::ordered(copies.iter().flat_map(|c| c.audit.iter().cloned()));
    let texts = copies.iter().flat_map(|c| c.texts.iter().map(|(h, t)| (h.clone(), t.clone()))).collect();
    Assessment::from_record(plan_path, &first.framework.source, &first.framework.text, trail)
        .and_then(|a| a.with_texts(texts))
        .map_err(MergeError::Refused)
}
