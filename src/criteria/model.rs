//! A validated framework: what the BDU scores a plan against.
//!
//! Everything here has passed validation, so the scoring engine can rely on
//! it: ids are unique, every level has a descriptor, weights are positive
//! and the domain weights add up to 100, outcome bands tile 0-100 with no
//! gap or overlap, and every metric a check names exists.

use crate::plan::PlanType;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    pub id: String,
    pub title: String,
    pub checkpoint: u8,
    /// The plan type this framework assesses; `None` for the prospectus
    /// review, which takes any plan.
    pub plan_type: Option<PlanType>,
    pub version: String,
    /// A development action from the checkpoint before, found not met,
    /// fails the plan: a breached development plan is a gateway.
    pub unmet_action_fails: bool,
    /// How many of the plan's CCGs must be interviewed before a decision;
    /// `None` where the checkpoint holds no CCG interviews.
    #[serde(default)]
    pub ccg_interviews: Option<CcgInterviews>,
    pub scale: Scale,
    pub domains: Vec<Domain>,
    /// Best first.
    pub outcomes: Vec<Outcome>,
    /// SHA-256 of the criteria file's text.
    pub fingerprint: String,
}

/// The CCG interviews a decision waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CcgInterviews {
    /// Every CCG the plan lists.
    All,
    /// At least this many of them (all, where the plan lists fewer).
    AtLeast(u32),
}

impl CcgInterviews {
    /// How many interviews a plan listing `listed` CCGs needs.
    pub fn needed(self, listed: usize) -> usize {
        match self {
            CcgInterviews::All => listed,
            CcgInterviews::AtLeast(n) => listed.min(n as usize),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub min: u8,
    pub max: u8,
    /// The level at which a criterion is met: above it is a strength,
    /// below it an area for development, in every letter alike (the
    /// framework's own yardstick, never the letter's other scores). One
    /// below the top unless the criteria file says.
    pub meets: u8,
    /// One descriptor a level, lowest first.
    pub descriptors: Vec<String>,
}

impl Scale {
    pub fn levels(&self) -> std::ops::RangeInclusive<u8> {
        self.min..=self.max
    }

    pub fn contains(&self, score: u8) -> bool {
        self.levels().contains(&score)
    }

    /// A score as a fraction of the scale, 0 at the minimum and 1 at the maximum.
    pub fn fraction(&self, score: f64) -> f64 {
        (score - f64::from(self.min)) / f64::from(self.max - self.min)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub id: String,
    pub title: String,
    /// Share of the overall score, in percent; domains add up to 100.
    pub weight: f64,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub guidance: String,
    /// Relative weight within its domain.
    pub weight: f64,
    /// The minimum score without which the plan cannot pass.
    pub gateway: Option<u8>,
    /// One descriptor a level of the scale, lowest first.
    pub descriptors: Vec<String>,
    pub evidence: EvidencePrompts,
    pub checks: Vec<Check>,
    /// Development actions to suggest when the criterion scores low.
    pub actions: Vec<String>,
}

/// What to look for, and where.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidencePrompts {
    pub plan: String,
    pub leaders_interview: String,
    pub ccg_interviews: String,
}

/// An automatic check of one plan metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub metric: String,
    pub comparison: Comparison,
    pub threshold: f64,
    pub effect: Effect,
    /// For a concern: the highest score the criterion may have while it holds.
    pub cap: Option<u8>,
    /// What it means when the comparison holds, in the BDU's words.
    pub meaning: String,
    /// A sentence with `{metric}` placeholders, filled from the plan.
    pub explain: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    #[serde(rename = "<")]
    Less,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = ">")]
    Greater,
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "==")]
    Equal,
    #[serde(rename = "!=")]
    NotEqual,
}

impl Comparison {
    pub const ALL: [(&'static str, Comparison); 6] = [
        ("<", Comparison::Less),
        ("<=", Comparison::AtMost),
        (">", Comparison::Greater),
        (">=", Comparison::AtLeast),
        ("==", Comparison::Equal),
        ("!=", Comparison::NotEqual),
    ];

    pub fn holds(self, value: f64, threshold: f64) -> bool {
        let eq = (value - threshold).abs() <= 1e-9 * threshold.abs().max(1.0);
        match self {
            Comparison::Less => value < threshold && !eq,
            Comparison::AtMost => value < threshold || eq,
            Comparison::Greater => value > threshold && !eq,
            Comparison::AtLeast => value > threshold || eq,
            Comparison::Equal => eq,
            Comparison::NotEqual => !eq,
        }
    }

    /// Words for explanations: "below", "at most".
    pub fn words(self) -> &'static str {
        match self {
            Comparison::Less => "below",
            Comparison::AtMost => "at most",
            Comparison::Greater => "above",
            Comparison::AtLeast => "at least",
            Comparison::Equal => "equal to",
            Comparison::NotEqual => "other than",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Concern,
    Strength,
}

/// An outcome band with its rules. Outcomes are listed best first; a plan
/// gets the first whose band it reaches and whose rules it meets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    pub label: String,
    /// Overall percentage band: from `min` (inclusive) up to `max`.
    pub min: f64,
    pub max: f64,
    pub requires_all_gateways: bool,
    /// A conditional outcome: the letter must set out a development plan.
    pub requires_development_plan: bool,
    /// Every domain must reach this percentage.
    pub min_domain_score: Option<f64>,
    pub meaning: String,
}

impl Framework {
    pub fn criteria(&self) -> impl Iterator<Item = (&Domain, &Criterion)> {
        self.domains.iter().flat_map(|d| d.criteria.iter().map(move |c| (d, c)))
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria().map(|(_, c)| c).find(|c| c.id.eq_ignore_ascii_case(id))
    }

    pub fn criterion_count(&self) -> usize {
        self.domains.iter().map(|d| d.criteria.len()).sum()
    }

    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.id == id)
    }
}
