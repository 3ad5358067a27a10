//! Assessors alike: how each member's scores sit against the consensus
//! their panels agreed, across every CSU of a round.
//!
//! Figures are shown raw and adjusted side by side and never replace a
//! score: a lenient or harsh member shows up here, for calibration, while
//! every result stays what the panel agreed.

use super::Portfolio;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the figures are worked out, in words, to be shown beside them.
pub const METHOD: &str = "Difference is a member's score less the panel's consensus for the same criterion, over every criterion with a consensus. Raw figures are as scored: a positive mean difference is leniency, a negative one harshness. Adjusted figures first take the member's own mean difference off each of their scores, so what remains is how consistently they judge; agreement then counts scores within half a level of the consensus. Standardised leniency is the member's mean difference less the mean over all members, divided by the spread (standard deviation) of the members' means; beyond 1 either way stands out. No score or result is changed by these figures.";

/// A member's mean difference from the consensus this large (half a level)
/// or more is called lenient or harsh.
pub const NOTABLE: f64 = 0.5;

/// One member's figures across the round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssessorFigures {
    pub assessor: String,
    /// CSUs (assessments) they scored with a consensus to compare against.
    pub csus: usize,
    /// Scores compared.
    pub scores: usize,
    pub raw: Figures,
    pub adjusted: Figures,
    /// `None` with fewer than two members, or when every member's mean is the same.
    pub standardised_leniency: Option<f64>,
    /// Mean difference, domain by domain (the domain's title).
    pub by_domain: BTreeMap<String, f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Figures {
    pub mean_difference: f64,
    /// Standard deviation of the differences.
    pub spread: f64,
    /// Share of scores equal to the consensus (raw), or within half a level of it (adjusted).
    pub agreement: f64,
}

impl AssessorFigures {
    /// `lenient`, `harsh`, or nothing, from the raw mean difference.
    pub fn tendency(&self) -> Option<&'static str> {
        match self.raw.mean_difference {
            d if d >= NOTABLE => Some("lenient"),
            d if d <= -NOTABLE => Some("harsh"),
            _ => None,
        }
    }
}

/// Every member's figures, by name.
pub fn assessors(portfolio: &Portfolio) -> Vec<AssessorFigures> {
    // (difference, domain title, assessment index) per member.
    let mut differences: BTreeMap<String, Vec<(f64, String, usize)>> = BTreeMap::new();
    for (index, a) in portfolio.assessed.iter().enumerate() {
        let record = &a.assessment;
        for (domain, criterion) in record.framework().criteria() {
            let Some(agreed) = record.consensus.iter().find(|c| c.criterion == criterion.id) else { continue };
            for s in record.scores.iter().filter(|s| s.criterion == criterion.id) {
                let difference = f64::from(s.score) - f64::from(agreed.score);
                differences.entry(s.assessor.clone()).or_default().push((difference, domain.title.clone(), index));
            }
        }
    }
    let means: Vec<f64> = differences.values().map(|d| mean(d.iter().map(|x| x.0))).collect();
    let (pool_mean, pool_spread) = (mean(means.iter().copied()), deviation(&means));
    differences
        .into_iter()
        .map(|(assessor, diffs)| {
            let values: Vec<f64> = diffs.iter().map(|d| d.0).collect();
            let raw_mean = mean(values.iter().copied());
            let adjusted: Vec<f64> = values.iter().map(|d| d - raw_mean).collect();
            let share = |hits: usize| hits as f64 / values.len() as f64;
            let mut by_domain: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for (d, domain, _) in &diffs {
                by_domain.entry(domain.clone()).or_default().push(*d);
            }
            let mut csus: Vec<usize> = diffs.iter().map(|d| d.2).collect();
            csus.dedup();
            AssessorFigures {
                assessor,
                csus: csus.len(),
                scores: values.len(),
                raw: Figures {
                    mean_difference: raw_mean,
                    spread: deviation(&values),
                    agreement: share(values.iter().filter(|d| d.abs() < 1e-9).count()),
                },
                adjusted: Figures {
                    mean_difference: 0.0,
                    spread: deviation(&adjusted),
                    agreement: share(adjusted.iter().filter(|d| d.abs() < NOTABLE).count()),
                },
                standardised_leniency: (means.len() > 1 && pool_spread > 1e-9)
                    .then(|| (raw_mean - pool_mean) / pool_spread),
                by_domain: by_domain.into_iter().map(|(k, v)| (k, mean(v.into_iter()))).collect(),
            }
        })
        .collect()
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// Population standard deviation.
fn deviation(values: &[f64]) -> f64 {
    let m = mean(values.iter().copied());
    mean(values.iter().map(|v| (v - m) * (v - m))).sqrt()
}
