//! Merging copies of one assessment: a panel's file and the copies SHA
//! reviewers worked on offline.
//!
//! The merged trail is the union of the copies' trails, and the merged
//! state is what replaying it gives (see [`super::audit`]). Nothing is lost:
//! every entry of every copy is in the result, and an item two copies
//! changed independently keeps both values as a [`super::Conflict`].
//! Because union does not care about order or repetition, neither does
//! merging: the result is the same whatever order the files come in, and
//! merging a file twice changes nothing.

use super::{Assessment, Assessor, audit};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MergeError {
    #[error("nothing to merge")]
    Nothing,
    #[error(
        "copy {index} is a different assessment (id {found}, not {expected}); only copies of one assessment can be merged"
    )]
    DifferentAssessment { index: usize, expected: String, found: String },
    #[error("copy {index} assesses a different plan file than copy 1")]
    DifferentPlan { index: usize },
    #[error("copy {index} uses different criteria than copy 1")]
    DifferentFramework { index: usize },
    #[error("copy {index}'s audit trail does not check: {problem}")]
    Tampered { index: usize, problem: audit::TrailError },
}

/// Merges copies of one assessment.
pub fn merge(copies: &[Assessment]) -> Result<Assessment, MergeError> {
    let first = copies.first().ok_or(MergeError::Nothing)?;
    for (i, c) in copies.iter().enumerate() {
        let index = i + 1;
        if c.id != first.id {
            return Err(MergeError::DifferentAssessment { index, expected: first.id.clone(), found: c.id.clone() });
        }
        if c.plan.fingerprint != first.plan.fingerprint {
            return Err(MergeError::DifferentPlan { index });
        }
        if c.framework.fingerprint != first.framework.fingerprint {
            return Err(MergeError::DifferentFramework { index });
        }
        c.verify_audit().map_err(|problem| MergeError::Tampered { index, problem })?;
    }
    let mut entries: BTreeMap<String, audit::Entry> = BTreeMap::new();
    let mut assessors: BTreeMap<String, String> = BTreeMap::new();
    for c in copies {
        for e in &c.audit {
            entries.entry(e.hash.clone()).or_insert_with(|| e.clone());
        }
        for a in &c.assessors {
            let role = assessors.entry(a.name.clone()).or_default();
            if role.is_empty() || (!a.role.is_empty() && a.role < *role) {
                *role = a.role.clone();
            }
        }
    }
    // Fields that may differ between copies without being changes (where
    // each reviewer keeps the plan) are taken in an order-free way.
    let base =
        copies.iter().min_by(|a, b| (&a.created_at, &a.plan.path).cmp(&(&b.created_at, &b.plan.path))).unwrap_or(first);
    let mut merged = base.clone();
    merged.audit = entries.into_values().collect();
    audit::sorted(&mut merged.audit);
    merged.assessors = assessors.into_iter().map(|(name, role)| Assessor { name, role }).collect();
    merged.rebuild();
    merged.assessors.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(merged)
}
