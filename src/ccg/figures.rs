//! What the CCGs said, as named figures criteria can check and cap on.
//!
//! Each figure is counted and weighted by the plan's registered population
//! ("7 of 9 CCGs, covering 82% of the population, confirm their SLA"). While
//! any CCG the plan lists is still to be interviewed, every figure but the
//! count of interviews is unknown, never 0: a check on it says it could not
//! be made and names the CCGs still to interview. A CCG the panel added
//! that the plan does not list is on the record and in the letter, but has
//! no population in the plan, so it is not in these figures.

use super::Interview;
use crate::assessment::Assessment;
use crate::plan::{MetricValue, Metrics, Plan};

/// One figure's name, and what counts towards it.
struct Figure {
    name: &'static str,
    says: fn(&Interview) -> bool,
}

const FIGURES: [Figure; 4] = [
    Figure { name: "ccgs_sla_confirmed", says: |i| i.account.sla.confirmed() },
    Figure { name: "ccgs_affordable", says: |i| i.account.affordable == super::Affordable::Yes },
    Figure { name: "ccgs_changing", says: |i| i.account.after_april_2013 == super::Intent::Change },
    Figure { name: "ccgs_confident", says: |i| i.account.confidence.confident() },
];

/// The figures, by name, for the plan's CCGs and the interviews on record;
/// `contradicted` is the number of the plan's claims its CCGs deny.
pub fn compute(plan: &Plan, assessment: &Assessment, contradicted: usize) -> Vec<(String, Option<MetricValue>)> {
    let listed = super::plan_ccgs(plan);
    let held: Vec<(Option<u64>, &Interview)> =
        listed.iter().filter_map(|c| Some((c.population, super::interview_of(assessment, &c.ccg)?))).collect();
    let complete = !listed.is_empty() && held.len() == listed.len();
    let mut out = vec![("ccgs_interviewed".to_string(), Some(MetricValue::Number(held.len() as f64)))];
    let total: Option<u64> = held.iter().map(|(p, _)| *p).sum();
    for f in FIGURES {
        let saying: Vec<&(Option<u64>, &Interview)> = held.iter().filter(|(_, i)| (f.says)(i)).collect();
        let count = complete.then_some(MetricValue::Number(saying.len() as f64));
        let share = complete
            .then(|| {
                let people: Option<u64> = saying.iter().map(|(p, _)| *p).sum();
                let (people, total) = (people?, total?);
                (total > 0).then(|| MetricValue::Number(people as f64 / total as f64))
            })
            .flatten();
        out.push((f.name.to_string(), count));
        out.push((format!("{}_share", f.name), share));
    }
    let set_aside = complete
        .then(|| {
            let weighted: Option<Vec<(f64, f64)>> =
                held.iter().map(|(p, i)| Some((i.account.set_aside?, (*p)? as f64))).collect();
            let weighted = weighted?;
            let people: f64 = weighted.iter().map(|(_, p)| p).sum();
            (people > 0.0).then(|| MetricValue::Number(weighted.iter().map(|(s, p)| s * p).sum::<f64>() / people))
        })
        .flatten();
    out.push(("ccgs_set_aside_per_head".to_string(), set_aside));
    out.push(("ccgs_contradicted_claims".to_string(), complete.then_some(MetricValue::Number(contradicted as f64))));
    out
}

/// The plan's metrics with the CCGs' figures beside them: what a
/// framework's checks run against.
pub fn with_plan(plan: &Plan, assessment: &Assessment) -> Metrics {
    let denied = super::contradictions::find(plan, assessment)
        .iter()
        .filter(|c| c.is_claim() && c.finding.severity == crate::plan::Severity::Error)
        .count();
    let mut metrics = plan.metrics.clone();
    metrics.0.extend(compute(plan, assessment, denied));
    metrics
}

/// The figures in a sentence each, as the letter and the Summary state
/// them; empty while CCGs remain to be interviewed.
pub fn sentences(plan: &Plan, assessment: &Assessment) -> Vec<String> {
    let n = super::plan_ccgs(plan).len();
    if n == 0 || !super::pending(plan, assessment).is_empty() {
        return Vec::new();
    }
    let figures = compute(plan, assessment, 0);
    let get = |name: &str| figures.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.clone());
    let number = |name: &str| match get(name) {
        Some(MetricValue::Number(v)) => Some(v),
        _ => None,
    };
    let said = |name: &str, what: &str| {
        let count = number(name).unwrap_or_default() as usize;
        let covering = number(&format!("{name}_share"))
            .map(|s| format!(", covering {} of the population,", crate::scoring::percent(s * 100.0)))
            .unwrap_or_default();
        format!("{count} of {n} CCGs{covering} {what}")
    };
    let mut out = vec![
        said("ccgs_sla_confirmed", "confirm their SLA"),
        said("ccgs_affordable", "find the offer affordable"),
        said("ccgs_confident", "are confident of a constructive relationship"),
        said("ccgs_changing", "mean to change CSU after April 2013"),
    ];
    if let Some(set_aside) = number("ccgs_set_aside_per_head") {
        out.push(format!("the CCGs have set aside £{set_aside:.2} a head on average, weighted by population"));
    }
    out
}
