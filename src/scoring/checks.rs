//! Automatic checks: a framework's comparisons run against a plan's metrics,
//! each explained in a sentence an assessor can put in a letter.

use crate::criteria::{Check, Criterion, Effect};
use crate::plan::metrics::{self, MetricKind, MetricValue, Metrics, format_value};
use serde::{Deserialize, Serialize};

/// One check's result for one plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub criterion: String,
    pub metric: String,
    /// The metric's value; `None` when the plan does not give it.
    pub value: Option<f64>,
    /// Whether the comparison holds; `None` when it could not be run.
    pub holds: Option<bool>,
    pub effect: Effect,
    /// Whether the plan came out well: a concern that does not hold, or a
    /// strength that does. `None` when the check could not be run.
    pub passed: Option<bool>,
    /// The cap this check puts on the criterion's score, when it applies.
    pub cap: Option<u8>,
    /// The whole explanation: the figures, the threshold and what it means.
    pub explanation: String,
    /// What it means when the comparison holds, from the criteria file.
    pub meaning: String,
    /// The plan's figures in words, without the threshold.
    pub figures: String,
}

fn kind(metric: &str) -> MetricKind {
    metrics::info(metric).map_or(MetricKind::Ratio, |i| i.kind)
}

fn describe(metric: &str) -> String {
    metrics::info(metric).map_or_else(|| metric.replace('_', " "), |i| i.description.to_string())
}

/// A number shown as its metric shows it: `£9.90`, `84.0%`, `1.32`.
fn show(metric: &str, value: f64) -> String {
    let kind = kind(metric);
    if kind == MetricKind::Flag {
        return if value != 0.0 { "yes" } else { "no" }.into();
    }
    format_value(kind, &MetricValue::Number(value))
}

/// Fills `{metric}`, `{value}` and `{threshold}` placeholders from the plan.
fn fill(template: &str, check: &Check, value: f64, plan_metrics: &Metrics) -> String {
    let mut out = template.to_string();
    for name in crate::criteria::placeholders(template) {
        let text = match name {
            "value" => show(&check.metric, value),
            "threshold" => show(&check.metric, check.threshold),
            other => plan_metrics.number(other).map_or_else(|| "(not given)".to_string(), |v| show(other, v)),
        };
        out = out.replace(&format!("{{{name}}}"), &text);
    }
    out
}

/// Runs one criterion's checks against the plan's metrics and the CCGs'
/// figures; `not_interviewed` names the plan's CCGs whose interview is
/// not on the record (or conflicts), which is why a figure from the
/// interviews is unknown.
pub fn run(criterion: &Criterion, plan_metrics: &Metrics, not_interviewed: &[&str]) -> Vec<CheckResult> {
    criterion.checks.iter().map(|check| run_one(&criterion.id, check, plan_metrics, not_interviewed)).collect()
}

/// Why a check's figure is unknown, in a sentence.
fn unknown(metric: &str, not_interviewed: &[&str]) -> String {
    if !metrics::from_interviews(metric) {
        return format!("could not be checked: the plan gives no figure for {}", describe(metric));
    }
    match not_interviewed {
        [] => format!("could not be checked: the CCGs' interviews give no figure for {}", describe(metric)),
        [one] => {
            format!("could not be checked: {one} is still to be interviewed, so {} is not known", describe(metric))
        }
        many => format!(
            "could not be checked: {} of the plan's CCGs are still to be interviewed ({}), so {} is not known",
            many.len(),
            crate::assessment::rules::listed(many),
            describe(metric)
        ),
    }
}

fn run_one(criterion: &str, check: &Check, plan_metrics: &Metrics, not_interviewed: &[&str]) -> CheckResult {
    let Some(value) = plan_metrics.number(&check.metric) else {
        return CheckResult {
            criterion: criterion.to_string(),
            metric: check.metric.clone(),
            value: None,
            holds: None,
            effect: check.effect,
            passed: None,
            cap: None,
            explanation: unknown(&check.metric, not_interviewed),
            meaning: check.meaning.clone(),
            figures: String::new(),
        };
    };
    let holds = check.comparison.holds(value, check.threshold);
    let base = match &check.explain {
        Some(template) => fill(template, check, value, plan_metrics),
        None => format!("{} is {}", describe(&check.metric), show(&check.metric, value)),
    };
    let limit = format!("{} {}", check.comparison.words(), show(&check.metric, check.threshold));
    let explanation = match (holds, &check.explain) {
        (true, _) if kind(&check.metric) == MetricKind::Flag => check.meaning.clone(),
        (false, None) if kind(&check.metric) == MetricKind::Flag => {
            format!("{}: {}", describe(&check.metric), show(&check.metric, value))
        }
        (true, Some(_)) => format!("{base}: {}", check.meaning),
        (true, None) => format!("{base}, {limit}: {}", check.meaning),
        (false, _) => {
            // Where a check does not hold, say where the figure is, not
            // what it is not ("above 0.0%", never "not equal to 0.0%").
            use crate::criteria::Comparison as C;
            let side = match check.comparison {
                C::Less => "at or above",
                C::AtMost => "above",
                C::Greater => "at or below",
                C::AtLeast => "below",
                C::Equal if value > check.threshold => "above",
                C::Equal => "below",
                C::NotEqual => "equal to",
            };
            format!("{base}, {side} {}", show(&check.metric, check.threshold))
        }
    };
    CheckResult {
        criterion: criterion.to_string(),
        metric: check.metric.clone(),
        value: Some(value),
        holds: Some(holds),
        effect: check.effect,
        passed: Some(holds == (check.effect == Effect::Strength)),
        cap: if holds && check.effect == Effect::Concern { check.cap } else { None },
        explanation,
        meaning: check.meaning.clone(),
        figures: if kind(&check.metric) == MetricKind::Flag { String::new() } else { base },
    }
}
