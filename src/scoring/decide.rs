//! The arithmetic of a decision: criterion scores to domain and overall
//! percentages, gateways, and the outcome. Kept apart from the words so
//! sensitivity can re-run it many times cheaply with one thing changed.

use crate::criteria::Framework;

/// What a decision is computed from, criteria in framework order.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// The score the assessors gave (consensus or panel median), before caps.
    pub assessed: Vec<Option<f64>>,
    /// The lowest cap of the concerns that hold for each criterion.
    pub caps: Vec<Option<u8>>,
    /// Each domain's weight.
    pub domain_weights: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Scores after caps.
    pub effective: Vec<Option<f64>>,
    /// Domain percentages over the criteria scored so far.
    pub domains: Vec<Option<f64>>,
    /// Overall percentage over the domains scored so far.
    pub overall: Option<f64>,
    /// Indices of criteria below their gateway.
    pub gateways_failed: Vec<usize>,
    /// Index into the framework's outcomes.
    pub outcome: usize,
}

pub fn decide(framework: &Framework, inputs: &Inputs) -> Decision {
    let effective: Vec<Option<f64>> = inputs
        .assessed
        .iter()
        .zip(&inputs.caps)
        .map(|(score, cap)| score.map(|s| cap.map_or(s, |c| s.min(f64::from(c)))))
        .collect();
    let mut domains = Vec::with_capacity(framework.domains.len());
    let mut gateways_failed = Vec::new();
    let mut index = 0;
    for domain in &framework.domains {
        let (mut weighted, mut weights) = (0.0, 0.0);
        for criterion in &domain.criteria {
            if let Some(score) = effective[index] {
                weighted += criterion.weight * framework.scale.fraction(score);
                weights += criterion.weight;
                if criterion.gateway.is_some_and(|g| score < f64::from(g)) {
                    gateways_failed.push(index);
                }
            }
            index += 1;
        }
        domains.push((weights > 0.0).then(|| 100.0 * weighted / weights));
    }
    let (weighted, weights) = domains
        .iter()
        .zip(&inputs.domain_weights)
        .filter_map(|(score, w)| score.map(|s| (s * w, *w)))
        .fold((0.0, 0.0), |(a, b), (s, w)| (a + s, b + w));
    let overall = (weights > 0.0).then(|| weighted / weights);
    let reached = overall.unwrap_or(0.0);
    let outcome = framework
        .outcomes
        .iter()
        .position(|o| {
            reached + 1e-9 >= o.min
                && (!o.requires_all_gateways || gateways_failed.is_empty())
                && o.min_domain_score.is_none_or(|m| domains.iter().flatten().all(|d| *d + 1e-9 >= m))
        })
        .unwrap_or(framework.outcomes.len().saturating_sub(1));
    Decision { effective, domains, overall, gateways_failed, outcome }
}
