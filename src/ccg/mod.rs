//! The CCGs' view: what each CCG said at interview about the CSU's offer.
//!
//! At checkpoint 2 the BDU interviews the CCGs a plan names, asking the
//! questions of the checkpoint 2 survey (`shared/domain.md`). An interview
//! is an entry of the record holding its [`Answers`] as written; the one
//! place an answer is held to its choices is [`Answers::check`], asked when
//! the interview is recorded and again for the entry on every reading, so an
//! answer edited into a file is refused as one typed in the program is.
//! What the CCGs said is evidence, like the plan: every member sees it.
//! [`figures`] turns the interviews into the named figures criteria use, and
//! [`contradictions`] sets them against the plan's own cells.

mod answers;
pub mod contradictions;
pub mod figures;

pub use answers::{
    Account, Affordable, AnswerError, Answers, Choice, Confidence, How, Intent, MAX_NOTES_BYTES, Share, Sla,
    service_code, service_from, set_aside_pence,
};

use crate::assessment::Assessment;
use crate::plan::vocab::normalize;
use crate::plan::{Customer, Plan};
use serde::Serialize;

/// One CCG's interview as the record holds it now: the account, who held
/// it and when it was recorded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interview {
    #[serde(flatten)]
    pub account: Account,
    /// The BDU member who held the interview and recorded it.
    pub by: String,
    pub recorded_at: String,
}

/// Where a CCG stands: interviewed, interviewed twice with different
/// accounts (in two merged copies, for the panel to resolve), or not yet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Status<'a> {
    pub ccg: String,
    /// The CCG's registered population, from the plan; none for a CCG the
    /// panel added that the plan does not list.
    pub population: Option<u64>,
    /// Whether the plan's Customers sheet lists it.
    pub in_plan: bool,
    pub interview: Option<&'a Interview>,
    /// Two accounts of its interview stand, recorded in copies merged since.
    pub conflicted: bool,
}

/// The key two names of one CCG share: case, spacing and punctuation aside.
pub fn key(ccg: &str) -> String {
    normalize(ccg)
}

/// The plan's CCGs, each once: a CCG the plan lists twice (the plan's
/// findings say so) is one CCG to interview.
pub fn plan_ccgs(plan: &Plan) -> Vec<&Customer> {
    let mut seen = std::collections::HashSet::new();
    plan.customers.iter().filter(|c| seen.insert(key(&c.ccg))).collect()
}

/// The interview on record for a CCG, if one stands.
pub fn interview_of<'a>(assessment: &'a Assessment, ccg: &str) -> Option<&'a Interview> {
    assessment.ccg_interviews.iter().find(|i| key(&i.account.ccg) == key(ccg))
}

/// Whether two accounts of a CCG's interview stand, from merged copies.
pub(super) fn conflicted(assessment: &Assessment, ccg: &str) -> bool {
    assessment.ccg_conflicted.iter().any(|c| key(c) == key(ccg))
}

/// Every CCG of the plan in its order, then each CCG the panel interviewed
/// that the plan does not list, each with its interview if held.
pub fn statuses<'a>(plan: &Plan, assessment: &'a Assessment) -> Vec<Status<'a>> {
    let listed = plan_ccgs(plan);
    let mut out: Vec<Status<'a>> = listed
        .iter()
        .map(|c| Status {
            ccg: c.ccg.clone(),
            population: c.population,
            in_plan: true,
            interview: interview_of(assessment, &c.ccg),
            conflicted: conflicted(assessment, &c.ccg),
        })
        .collect();
    for i in &assessment.ccg_interviews {
        if !listed.iter().any(|c| key(&c.ccg) == key(&i.account.ccg)) {
            out.push(Status {
                ccg: i.account.ccg.clone(),
                population: None,
                in_plan: false,
                interview: Some(i),
                conflicted: false,
            });
        }
    }
    out
}

/// The plan's CCGs no one has interviewed yet, in plan order (one whose
/// two accounts conflict was interviewed: see [`pending`]).
pub fn not_interviewed<'a>(plan: &'a Plan, assessment: &Assessment) -> Vec<&'a str> {
    plan_ccgs(plan)
        .into_iter()
        .filter(|c| interview_of(assessment, &c.ccg).is_none() && !conflicted(assessment, &c.ccg))
        .map(|c| c.ccg.as_str())
        .collect()
}

/// Why the CCGs' figures are not known yet: the plan's CCGs still to
/// interview, and those whose two accounts conflict, each said so.
pub fn pending(plan: &Plan, assessment: &Assessment) -> Vec<String> {
    plan_ccgs(plan)
        .into_iter()
        .filter(|c| interview_of(assessment, &c.ccg).is_none())
        .map(|c| {
            if conflicted(assessment, &c.ccg) {
                format!("{} (two accounts of its interview differ)", c.ccg)
            } else {
                c.ccg.clone()
            }
        })
        .collect()
}
