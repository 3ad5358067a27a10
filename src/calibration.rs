//! Calibration: before live work an assessor scores a reference plan the
//! BDU has agreed scores for, and sees criterion by criterion where they
//! differ and why. The reference ships in the binary
//! (`criteria/calibration.toml`, with the built-in calibration plan), and
//! an assessment of that plan is recognised by the plan's fingerprint, so
//! the portfolio can say who has calibrated.

use crate::assessment::Assessment;
use crate::criteria::Framework;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The BDU's agreed scores, as shipped.
pub const REFERENCE_TEXT: &str = include_str!("../criteria/calibration.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The built-in example the scores are for.
    pub plan: String,
    /// The framework they are on.
    pub framework: String,
    #[serde(rename = "score")]
    pub scores: Vec<ReferenceScore>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReferenceScore {
    pub criterion: String,
    pub score: u8,
    pub rationale: String,
}

/// Why the reference, or a comparison with it, cannot be made.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum CalibrationError {
    #[error("the calibration reference (criteria/calibration.toml) is not valid: {0}")]
    Reference(String),
    #[error("this assessment is not of the calibration plan, so there is nothing to compare it with")]
    NotCalibration,
    #[error("{member} has not scored the calibration plan yet")]
    NothingScored { member: String },
}

/// The reference and its framework, checked once: every criterion of the
/// framework scored once, on its scale, with a rationale.
pub fn reference() -> Result<&'static (Reference, Framework), CalibrationError> {
    static CHECKED: OnceLock<Result<(Reference, Framework), CalibrationError>> = OnceLock::new();
    CHECKED.get_or_init(check).as_ref().map_err(Clone::clone)
}

fn check() -> Result<(Reference, Framework), CalibrationError> {
    let bad = |m: String| CalibrationError::Reference(m);
    let reference: Reference = toml::from_str(REFERENCE_TEXT).map_err(|e| bad(e.message().to_string()))?;
    let builtin = crate::criteria::builtin(&reference.framework)
        .ok_or_else(|| bad(format!("there is no built-in framework `{}`", reference.framework)))?;
    let framework = builtin.framework().map_err(|e| bad(e.to_string()))?;
    if crate::examples::find(&reference.plan).is_none() {
        return Err(bad(format!("there is no built-in plan `{}`", reference.plan)));
    }
    for (_, c) in framework.criteria() {
        let scored: Vec<&ReferenceScore> = reference.scores.iter().filter(|s| s.criterion == c.id).collect();
        match scored.as_slice() {
            [one] if framework.scale.contains(one.score) && !one.rationale.trim().is_empty() => {}
            [] => return Err(bad(format!("{} has no reference score", c.id))),
            [_] => return Err(bad(format!("{}'s reference score is off the scale or has no rationale", c.id))),
            _ => return Err(bad(format!("{} is scored more than once", c.id))),
        }
    }
    if let Some(s) = reference.scores.iter().find(|s| framework.criterion(&s.criterion).is_none()) {
        return Err(bad(format!("{} is not a criterion of {}", s.criterion, framework.id)));
    }
    Ok((reference, framework))
}

/// The calibration plan's workbook, as built in.
pub fn plan_workbook() -> Result<Vec<u8>, CalibrationError> {
    let (reference, _) = reference()?;
    let example = crate::examples::find(&reference.plan).ok_or(CalibrationError::NotCalibration)?;
    example.workbook().map_err(|e| CalibrationError::Reference(e.to_string()))
}

/// The calibration plan's fingerprint, worked out once.
pub fn plan_fingerprint() -> Option<&'static str> {
    static PRINT: OnceLock<Option<String>> = OnceLock::new();
    PRINT.get_or_init(|| plan_workbook().ok().map(|b| crate::plan::fingerprint(&b))).as_deref()
}

/// Whether an assessment is of the calibration plan (a rehearsal, not a CSU).
pub fn is_calibration(assessment: &Assessment) -> bool {
    plan_fingerprint() == Some(assessment.plan.fingerprint.as_str())
}

/// One criterion: the member's score beside the BDU's, and the BDU's reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    pub criterion: String,
    pub title: String,
    pub yours: u8,
    pub reference: u8,
    pub rationale: String,
}

impl Difference {
    /// Yours less the reference: positive is more generous than the BDU.
    pub fn by(&self) -> i16 {
        i16::from(self.yours) - i16::from(self.reference)
    }
}

/// A member's calibration: the criteria they have scored, each beside the
/// BDU's score and reason, and how close they came. The BDU's score of a
/// criterion the member has not scored yet is not given: it would lead
/// their scoring, and calibration is worth only what they judged alone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub member: String,
    pub criteria: Vec<Difference>,
    /// The criteria still to score, by id.
    pub unscored: Vec<String>,
    /// Criteria scored as the BDU did.
    pub same: usize,
    /// Within one level.
    pub within_one: usize,
    pub scored: usize,
    /// Mean of (yours - reference) over the scored criteria.
    pub mean_difference: f64,
}

/// How `member`'s scores of the calibration plan compare with the BDU's.
pub fn compare(assessment: &Assessment, member: &str) -> Result<Comparison, CalibrationError> {
    if !is_calibration(assessment) {
        return Err(CalibrationError::NotCalibration);
    }
    let (reference, framework) = reference()?;
    let (mut criteria, mut unscored) = (Vec::new(), Vec::new());
    for (_, c) in framework.criteria() {
        let Some(r) = reference.scores.iter().find(|s| s.criterion == c.id) else { continue };
        match assessment.scores.iter().find(|s| s.criterion == c.id && s.assessor == member) {
            Some(own) => criteria.push(Difference {
                criterion: c.id.clone(),
                title: c.title.clone(),
                yours: own.score,
                reference: r.score,
                rationale: r.rationale.clone(),
            }),
            None => unscored.push(c.id.clone()),
        }
    }
    let by: Vec<i16> = criteria.iter().map(Difference::by).collect();
    if by.is_empty() {
        return Err(CalibrationError::NothingScored { member: member.to_string() });
    }
    Ok(Comparison {
        member: member.to_string(),
        same: by.iter().filter(|d| **d == 0).count(),
        within_one: by.iter().filter(|d| d.abs() <= 1).count(),
        scored: by.len(),
        mean_difference: by.iter().map(|d| f64::from(*d)).sum::<f64>() / by.len() as f64,
        criteria,
        unscored,
    })
}
