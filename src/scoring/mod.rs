//! Evaluation: a plan and an assessment scored against a framework, with
//! every number explained.
//!
//! [`evaluate`] is a pure function of its three inputs, so the window, the
//! command line and a letter all see the same result, and nothing derived
//! is ever stored as truth. A criterion's score is the panel's consensus
//! when recorded, otherwise the median of the panel's scores (marked
//! unmoderated); concerns found by automatic checks may cap it. Domain and
//! overall percentages are weighted means of scored criteria; the outcome
//! is the best one whose band the overall reaches and whose rules hold.

mod checks;
mod decide;
pub mod sensitivity;

pub use checks::CheckResult;
pub use decide::{Decision, Inputs, decide};
pub use sensitivity::Sensitivity;

use crate::assessment::Assessment;
use crate::assessment::rules::listed;
use crate::criteria::{Effect, Framework};
use crate::plan::Plan;
use serde::{Deserialize, Serialize};

/// Where a criterion's score comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreState {
    Unscored,
    /// Scored by the only assessor.
    Scored,
    /// The median of several assessors' scores, not yet agreed.
    Unmoderated,
    /// The panel's agreed score.
    Consensus,
}

/// One assessor's view of a criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelScore {
    pub assessor: String,
    pub score: u8,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: String,
    pub domain: String,
    pub title: String,
    pub state: ScoreState,
    /// The assessors' score before any cap.
    pub assessed: Option<f64>,
    /// The score that counts, after caps.
    pub score: Option<f64>,
    /// The cap applied, when it lowered the score.
    pub capped_at: Option<u8>,
    pub gateway: Option<u8>,
    pub gateway_met: Option<bool>,
    pub panel: Vec<PanelScore>,
    pub rationale: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainResult {
    pub id: String,
    pub title: String,
    pub weight: f64,
    /// 0-100 over the criteria scored so far.
    pub score: Option<f64>,
    pub scored: usize,
    pub criteria: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeResult {
    pub id: String,
    pub label: String,
    /// True while anything in [`Evaluation::missing`] is outstanding.
    pub provisional: bool,
    pub requires_development_plan: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub outcome: OutcomeResult,
    /// 0-100 over the criteria scored so far.
    pub overall: Option<f64>,
    pub domains: Vec<DomainResult>,
    pub criteria: Vec<CriterionResult>,
    /// Ids of criteria scored below their gateway.
    pub gateways_failed: Vec<String>,
    pub checks: Vec<CheckResult>,
    /// What must be done before a decision can be issued.
    pub missing: Vec<String>,
    pub sensitivity: Vec<Sensitivity>,
    /// The development actions agreed at the checkpoint before that the
    /// panel found not met, in words: a breached development plan.
    pub unmet_actions: Vec<String>,
    /// Whether the outcome is settled by what is scored: every criterion
    /// is, or the unscored ones could not change it whatever they were
    /// given (a failed gateway decides on its own). Until then no outcome
    /// is shown, only progress.
    pub decided: bool,
    /// While criteria are unscored, the overall scores the lowest and the
    /// highest levels for them would give (caps from the plan's figures
    /// applied): how far the result is still open.
    pub possible: Option<(f64, f64)>,
}

impl Evaluation {
    /// The outcome in a few words, only where one can be given: the
    /// outcome (provisional while anything is missing), else how far the
    /// scoring has got. What the status bar and the Summary's heading say.
    pub fn headline(&self) -> String {
        if !self.decided {
            return format!("not yet decided: {} of {} criteria scored", self.scored_count(), self.criteria.len());
        }
        let unscored = self.criteria.len() - self.scored_count();
        match (unscored, self.outcome.provisional) {
            (0, false) => self.outcome.label.clone(),
            (0, true) => format!("{} (provisional)", self.outcome.label),
            (n, _) => format!(
                "{} (already decided with {n} criteria unscored: a gateway is failed or out of reach of any score, by the scores or the caps the plan's figures set)",
                self.outcome.label
            ),
        }
    }

    pub fn scored_count(&self) -> usize {
        self.criteria.iter().filter(|c| c.state != ScoreState::Unscored).count()
    }

    /// The checks that could not be made, for want of the plan's figure:
    /// they neither cap nor count in the plan's favour.
    pub fn unchecked(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.holds.is_none())
    }

    /// The criteria's results that are concerns the plan's figures raise.
    pub fn concerns(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.effect == Effect::Concern && c.holds == Some(true))
    }

    pub fn strengths(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.effect == Effect::Strength && c.holds == Some(true))
    }
}

/// The middle score; for an even panel, the mean of the middle two.
fn median(scores: &mut [u8]) -> Option<f64> {
    scores.sort_unstable();
    let n = scores.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(scores[n / 2])),
        _ => Some((f64::from(scores[n / 2 - 1]) + f64::from(scores[n / 2])) / 2.0),
    }
}

/// One reason a plan failed, with its figures.
#[derive(Clone, Debug, PartialEq)]
pub enum FailCause {
    /// Gateway criteria below their minimum (their ids).
    Gateways(Vec<String>),
    /// The overall score below the band of the lowest outcome that passes.
    Overall { overall: f64, needed: f64, outcome: String },
    /// A domain below the floor every domain needs for that outcome.
    Domain { title: String, score: f64, floor: f64, outcome: String },
    /// Development actions agreed at the checkpoint before, not met, where
    /// the framework fails a plan for it.
    ActionsNotMet(usize),
}

impl std::fmt::Display for FailCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailCause::Gateways(ids) if ids.len() == 1 => {
                write!(f, "the gateway criterion {} is below its minimum", ids[0])
            }
            FailCause::Gateways(ids) => write!(
                f,
                "the gateway criteria {} are below their minimum",
                listed(&ids.iter().map(String::as_str).collect::<Vec<_>>())
            ),
            FailCause::Overall { overall, needed, outcome } => {
                write!(f, "the overall score of {} is below the {needed}% needed for {outcome}", percent(*overall))
            }
            FailCause::Domain { title, score, floor, outcome } => {
                write!(f, "{title} scored {}, below the {floor}% every domain needs for {outcome}", percent(*score))
            }
            FailCause::ActionsNotMet(1) => write!(
                f,
                "an action of the development plan agreed at the checkpoint before was not met, and a development plan not met fails the plan"
            ),
            FailCause::ActionsNotMet(n) => write!(
                f,
                "{n} actions of the development plan agreed at the checkpoint before were not met, and a development plan not met fails the plan"
            ),
        }
    }
}

/// Why a plan failed: what kept it from the lowest outcome that passes (a
/// gateway below its minimum, the overall below that outcome's band, a
/// domain below its floor) and a development plan not met where the
/// framework fails a plan for it. Empty unless the outcome is the
/// framework's last and decided. The letter states these on page 1:
/// "does not pass the key criteria" was printed for every fail, a low
/// overall score and an unmet action included.
pub fn fail_causes(framework: &Framework, e: &Evaluation) -> Vec<FailCause> {
    let last = framework.outcomes.last();
    if !e.decided || last.is_none_or(|o| o.id != e.outcome.id) {
        return Vec::new();
    }
    let mut causes = Vec::new();
    if framework.unmet_action_fails && !e.unmet_actions.is_empty() {
        causes.push(FailCause::ActionsNotMet(e.unmet_actions.len()));
    }
    let Some(pass) = framework.outcomes.len().checked_sub(2).and_then(|i| framework.outcomes.get(i)) else {
        return causes;
    };
    if pass.requires_all_gateways && !e.gateways_failed.is_empty() {
        let ids = e.criteria.iter().filter(|c| c.gateway_met == Some(false)).map(|c| c.id.clone()).collect();
        causes.push(FailCause::Gateways(ids));
    }
    if let Some(overall) = e.overall
        && overall + 1e-9 < pass.min
    {
        causes.push(FailCause::Overall { overall, needed: pass.min, outcome: pass.label.clone() });
    }
    if let Some(floor) = pass.min_domain_score {
        for d in e.domains.iter().filter(|d| d.score.is_some_and(|s| s + 1e-9 < floor)) {
            causes.push(FailCause::Domain {
                title: d.title.clone(),
                score: d.score.unwrap_or_default(),
                floor,
                outcome: pass.label.clone(),
            });
        }
    }
    causes
}

/// A score in percent as the program states it everywhere: one decimal,
/// a half rounded up (71.25 is 71.3%, as a reader working it out by hand
/// rounds), not to the nearest even digit.
pub fn percent(value: f64) -> String {
    format!("{:.1}%", (value * 10.0).round() / 10.0)
}

/// What a stated evaluation depends on beyond the record: the BDU's roster
/// and the day it is stated.
#[derive(Clone, Copy)]
pub struct AsOf<'a> {
    pub trust: &'a crate::roster::Trust,
    pub date: chrono::NaiveDate,
}

/// The evaluation every page of the window, every verb and every letter
/// states: the scores' ([`evaluate`]), with more missing while any entry
/// of the record does not count under the BDU's roster (or there is no
/// roster pinned here to check against), or a development
/// action falls due before `as_of.date`, so that nothing shown as decided
/// could only be issued as a draft. One function, so that the Summary page
/// and `score` cannot disagree on what is missing or what is provisional.
pub fn evaluate_as_of(plan: &Plan, framework: &Framework, assessment: &Assessment, as_of: AsOf<'_>) -> Evaluation {
    let mut evaluation = evaluate(plan, framework, assessment);
    for a in assessment.actions.iter().filter(|a| a.due < as_of.date) {
        evaluation.missing.push(format!(
            "the development action \"{}\" ({}) is due on {}, before the letter's date of {}: agree a later date",
            a.action,
            a.owner,
            a.due.format("%-d %B %Y"),
            as_of.date.format("%-d %B %Y")
        ));
        evaluation.outcome.provisional = true;
    }
    let untrusted = as_of.trust.check(assessment);
    for u in &untrusted {
        evaluation.missing.push(match u {
            crate::roster::Untrusted::NoRoster(_) => format!(
                "{}: no one's key is checked against it here. A final letter needs the BDU's roster; drafts can be made without it",
                if as_of.trust.office.is_none() {
                    "no BDU office key is installed with the program on this computer"
                } else {
                    "no roster signed by the BDU office is installed with the program on this computer"
                }
            ),
            _ => format!("{u}: the BDU office must put it right in its roster before a letter can be issued"),
        });
    }
    if untrusted.is_empty() && !as_of.trust.may_issue() {
        evaluation.missing.push(
            "the office key was named by hand, not pinned on this computer: letters are issued only on a BDU computer"
                .into(),
        );
    }
    if !untrusted.is_empty() || !as_of.trust.may_issue() {
        evaluation.outcome.provisional = true;
    }
    evaluation
}

/// Evaluates the scores of an assessment of a plan against its framework:
/// what the panel's rules weigh (a sign-off waits on its `missing`), and
/// the ground of [`evaluate_as_of`], which is what is shown and stated.
pub fn evaluate(plan: &Plan, framework: &Framework, assessment: &Assessment) -> Evaluation {
    let panel_size = assessment.assessors.len();
    let mut criteria = Vec::new();
    let mut all_checks = Vec::new();
    let mut inputs = Inputs {
        assessed: Vec::new(),
        caps: Vec::new(),
        domain_weights: framework.domains.iter().map(|d| d.weight).collect(),
    };
    let figures = crate::ccg::figures::with_plan(plan, assessment);
    let pending = crate::ccg::pending(plan, assessment);
    let pending: Vec<&str> = pending.iter().map(String::as_str).collect();
    let not_interviewed = crate::ccg::not_interviewed(plan, assessment);
    for (domain, criterion) in framework.criteria() {
        let panel: Vec<PanelScore> = assessment
            .scores
            .iter()
            .filter(|s| s.criterion == criterion.id)
            .map(|s| PanelScore { assessor: s.assessor.clone(), score: s.score, evidence: s.evidence.clone() })
            .collect();
        let consensus = assessment.consensus.iter().find(|c| c.criterion == criterion.id);
        let (state, assessed) = match consensus {
            Some(c) => (ScoreState::Consensus, Some(f64::from(c.score))),
            None => {
                let mut levels: Vec<u8> = panel.iter().map(|p| p.score).collect();
                match (median(&mut levels), panel.len()) {
                    (None, _) => (ScoreState::Unscored, None),
                    (m, 1) if panel_size <= 1 => (ScoreState::Scored, m),
                    (m, _) => (ScoreState::Unmoderated, m),
                }
            }
        };
        let results = checks::run(criterion, &figures, &pending);
        let cap = results.iter().filter_map(|r| r.cap).min();
        inputs.assessed.push(assessed);
        inputs.caps.push(cap);
        criteria.push(CriterionResult {
            id: criterion.id.clone(),
            domain: domain.id.clone(),
            title: criterion.title.clone(),
            state,
            assessed,
            score: None,
            capped_at: None,
            gateway: criterion.gateway,
            gateway_met: None,
            panel,
            rationale: consensus.map(|c| c.rationale.clone()),
        });
        all_checks.extend(results);
    }
    let decision = decide(framework, &inputs);
    // Decided when the unscored criteria, given the lowest or the highest
    // level, would leave the outcome as it is (the outcome never falls as a
    // score rises, so these two bound every other completion).
    let completed = |level: u8| {
        let mut filled = inputs.clone();
        for a in filled.assessed.iter_mut().filter(|a| a.is_none()) {
            *a = Some(f64::from(level));
        }
        decide(framework, &filled)
    };
    let (settled, possible) = if inputs.assessed.iter().all(Option::is_some) {
        (Some(decision.outcome), None)
    } else {
        let (low, high) = (completed(framework.scale.min), completed(framework.scale.max));
        let possible = low.overall.zip(high.overall);
        (Some(low.outcome).filter(|o| *o == high.outcome), possible)
    };
    let decided = settled.is_some();
    for (i, result) in criteria.iter_mut().enumerate() {
        result.score = decision.effective[i];
        result.capped_at = match (result.assessed, decision.effective[i], inputs.caps[i]) {
            (Some(a), Some(e), Some(cap)) if e < a => Some(cap),
            _ => None,
        };
        result.gateway_met = result.gateway.and(result.score).map(|_| !decision.gateways_failed.contains(&i));
    }
    let domains = framework
        .domains
        .iter()
        .zip(&decision.domains)
        .map(|(d, score)| DomainResult {
            id: d.id.clone(),
            title: d.title.clone(),
            weight: d.weight,
            score: *score,
            scored: criteria.iter().filter(|c| c.domain == d.id && c.score.is_some()).count(),
            criteria: d.criteria.len(),
        })
        .collect();
    let unmet_actions: Vec<String> = assessment
        .earlier
        .iter()
        .flat_map(|e| {
            e.unmet().map(move |a| {
                let evidence = a.review.as_ref().map(|r| r.evidence.as_str()).unwrap_or_default();
                // Said as the CSU knows it: its words, owner and date, never
                // the record's internal id.
                format!(
                    "\"{}\" ({}, due {}), agreed at checkpoint {}, was not met: {evidence}",
                    a.action.action,
                    a.action.owner,
                    a.action.due.format("%-d %B %Y"),
                    e.checkpoint
                )
            })
        })
        .collect();
    // A breached development plan fails the plan where the framework says
    // so, whatever the scores: the last (worst) outcome, decided now.
    let breached = framework.unmet_action_fails && !unmet_actions.is_empty();
    let settled = if breached { Some(framework.outcomes.len().saturating_sub(1)) } else { settled };
    let decided = decided || breached;
    // Where the unscored criteria cannot change it, the outcome is the one
    // every completion gives, not the one the scores so far give alone.
    let chosen = &framework.outcomes[settled.unwrap_or(decision.outcome)];
    let mut missing = missing(framework, assessment, &criteria, chosen.requires_development_plan);
    if let Some(required) = framework.ccg_interviews {
        let ccgs = crate::ccg::plan_ccgs(plan).len();
        let needed = required.needed(ccgs);
        let held = ccgs - not_interviewed.len();
        if held < needed {
            missing.push(format!(
                "{} of the plan's {} CCGs must be interviewed before a decision, and {held} {}: not yet interviewed: {}",
                needed,
                ccgs,
                if held == 1 { "has been" } else { "have been" },
                listed(&not_interviewed)
            ));
        }
    }
    let sensitivity = sensitivity::explore(framework, &inputs, &decision);
    Evaluation {
        outcome: OutcomeResult {
            id: chosen.id.clone(),
            label: chosen.label.clone(),
            provisional: !missing.is_empty(),
            requires_development_plan: chosen.requires_development_plan,
        },
        overall: decision.overall,
        domains,
        gateways_failed: decision.gateways_failed.iter().map(|&i| criteria[i].id.clone()).collect(),
        criteria,
        checks: all_checks,
        missing,
        sensitivity,
        unmet_actions,
        decided,
        possible,
    }
}

/// What [`Evaluation::missing`] says while a panel's result awaits the
/// chair's sign-off; the sign-off itself waits for everything else.
pub const NOT_SIGNED_OFF: &str = "the panel's chair has not signed off the result";

fn missing(
    framework: &Framework,
    assessment: &Assessment,
    criteria: &[CriterionResult],
    needs_development_plan: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let unscored: Vec<&str> =
        criteria.iter().filter(|c| c.state == ScoreState::Unscored).map(|c| c.id.as_str()).collect();
    if !unscored.is_empty() {
        out.push(format!(
            "{} of {} criteria are not scored: {}",
            unscored.len(),
            framework.criterion_count(),
            listed(&unscored)
        ));
    }
    let without_evidence: Vec<&str> = criteria
        .iter()
        .filter(|c| c.state != ScoreState::Consensus && c.panel.iter().any(|p| p.evidence.trim().is_empty()))
        .map(|c| c.id.as_str())
        .collect();
    if !without_evidence.is_empty() {
        out.push(format!("scores without evidence: {}", listed(&without_evidence)));
    }
    let unmoderated: Vec<&str> =
        criteria.iter().filter(|c| c.state == ScoreState::Unmoderated).map(|c| c.id.as_str()).collect();
    if !unmoderated.is_empty() {
        out.push(format!("the panel has not agreed a consensus for {}", listed(&unmoderated)));
    }
    if !assessment.conflicts.is_empty() {
        let items: Vec<&str> = assessment.conflicts.iter().map(|c| c.item.as_str()).collect();
        out.push(format!("changes that conflict between merged copies must be resolved: {}", listed(&items)));
    }
    let scoring = assessment.still_scoring();
    if !scoring.is_empty() {
        out.push(format!("still scoring (not finished): {}", listed(&scoring)));
    }
    if let Some(earlier) = &assessment.earlier {
        let unreviewed: Vec<&str> = earlier.unreviewed().map(|a| a.action.id.as_str()).collect();
        if !unreviewed.is_empty() {
            out.push(format!(
                "the development actions agreed at checkpoint {} need the panel's finding, met or not met: {}",
                earlier.checkpoint,
                listed(&unreviewed)
            ));
        }
    }
    if !assessment.uncovered.is_empty() {
        out.push(format!(
            "the chair's sign-off does not cover {} change(s) made since, in another copy: {}; the chair must sign off again",
            assessment.uncovered.len(),
            assessment.uncovered.join("; ")
        ));
    }
    if assessment.assessors.len() > 1 && assessment.sign_off.is_none() {
        out.push(NOT_SIGNED_OFF.into());
    }
    if needs_development_plan && assessment.actions.is_empty() {
        out.push("this outcome needs a development plan, and no development action is recorded".into());
    }
    out
}
