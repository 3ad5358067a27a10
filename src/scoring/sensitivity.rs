//! Sensitivity: the smallest changes that would change the outcome.
//!
//! A decision that turns on one criterion's score, or on a domain's weight
//! being a little different, must be talked through before a letter goes.
//! Two kinds of change are tried: one criterion's score one level up or
//! down, and one domain's weight up or down in steps of 5% to 20%.

use super::decide::{Decision, Inputs, decide};
use crate::criteria::Framework;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Sensitivity {
    /// One criterion scored one level differently.
    Score { criterion: String, from: f64, to: f64, outcome: String, description: String },
    /// One domain weighted differently.
    Weight { domain: String, change_percent: f64, outcome: String, description: String },
}

impl Sensitivity {
    pub fn description(&self) -> &str {
        match self {
            Sensitivity::Score { description, .. } | Sensitivity::Weight { description, .. } => description,
        }
    }
}

const WEIGHT_STEPS_PERCENT: [f64; 4] = [5.0, 10.0, 15.0, 20.0];

pub fn explore(framework: &Framework, inputs: &Inputs, current: &Decision) -> Vec<Sensitivity> {
    let mut out = Vec::new();
    if current.overall.is_none() {
        return out;
    }
    let label = |i: usize| framework.outcomes[i].label.clone();
    let ids: Vec<&str> = framework.criteria().map(|(_, c)| c.id.as_str()).collect();
    let (min, max) = (f64::from(framework.scale.min), f64::from(framework.scale.max));
    for (i, assessed) in inputs.assessed.iter().enumerate() {
        let Some(from) = *assessed else { continue };
        for to in [from + 1.0, from - 1.0] {
            if !(min..=max).contains(&to) {
                continue;
            }
            let mut changed = inputs.clone();
            changed.assessed[i] = Some(to);
            let outcome = decide(framework, &changed).outcome;
            if outcome != current.outcome {
                out.push(Sensitivity::Score {
                    criterion: ids[i].to_string(),
                    from,
                    to,
                    outcome: framework.outcomes[outcome].id.clone(),
                    description: format!(
                        "{} scored {to} instead of {from} would make the outcome {}",
                        ids[i],
                        label(outcome)
                    ),
                });
            }
        }
    }
    for (d, domain) in framework.domains.iter().enumerate() {
        for sign in [1.0, -1.0] {
            let found = WEIGHT_STEPS_PERCENT.iter().find_map(|step| {
                let mut changed = inputs.clone();
                changed.domain_weights[d] *= 1.0 + sign * step / 100.0;
                let outcome = decide(framework, &changed).outcome;
                (outcome != current.outcome).then_some((sign * step, outcome))
            });
            if let Some((change, outcome)) = found {
                out.push(Sensitivity::Weight {
                    domain: domain.id.clone(),
                    change_percent: change,
                    outcome: framework.outcomes[outcome].id.clone(),
                    description: format!(
                        "the weight of {} {} by {}% would make the outcome {}",
                        domain.title,
                        if change > 0.0 { "raised" } else { "lowered" },
                        change.abs(),
                        label(outcome)
                    ),
                });
            }
        }
    }
    out
}

/// Score changes in sentences, one per direction and outcome ("Had any one
/// of CF1, CF2 or LG1 been scored one level lower, ..."), so twenty
/// criteria that all tip the same way read as one finding, not twenty.
pub fn score_changes_in_words(framework: &Framework, sensitivity: &[Sensitivity]) -> Vec<String> {
    let mut by_change: BTreeMap<(bool, String), Vec<&str>> = BTreeMap::new();
    for s in sensitivity {
        if let Sensitivity::Score { criterion, from, to, outcome, .. } = s {
            let label = framework.outcome(outcome).map_or_else(|| outcome.clone(), |o| o.label.clone());
            by_change.entry((to < from, label)).or_default().push(criterion);
        }
    }
    by_change
        .into_iter()
        .map(|((lower, label), ids)| {
            let which = match ids.as_slice() {
                [one] => (*one).to_string(),
                _ => format!("any one of {}", crate::assessment::rules::listed_or(&ids)),
            };
            format!(
                "Had {which} been scored one level {}, the outcome would have been {label}.",
                if lower { "lower" } else { "higher" }
            )
        })
        .collect()
}

/// Every finding in sentences: the grouped score changes, then each
/// domain weight change.
pub fn in_words(framework: &Framework, sensitivity: &[Sensitivity]) -> Vec<String> {
    let weights = sensitivity.iter().filter_map(|s| match s {
        Sensitivity::Weight { description, .. } => Some(crate::assessment::rules::capitalised(description) + "."),
        Sensitivity::Score { .. } => None,
    });
    score_changes_in_words(framework, sensitivity).into_iter().chain(weights).collect()
}
