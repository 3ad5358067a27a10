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
    Account, Affordable, AnswerError, Answers, Choice, Confidence, How, Intent, Share, Sla, service_code, service_from,
    set_aside_pence,
};

use crate::plan::Plan;
use crate::plan::vocab::normalize;
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

/// Where a CCG stands: interviewed, or not yet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Status<'a> {
    pub ccg: String,
    /// The CCG's registered population, from the plan; none for a CCG the
    /// panel added that the plan does not list.
    pub population: Option<u64>,
    /// Whether the plan's Customers sheet lists it.
    pub in_plan: bool,
    pub interview: Option<&'a Interview>,
}

/// The key two names of one CCG share: case, spacing and punctuation aside.
pub fn key(ccg: &str) -> String {
    normalize(ccg)
}

/// Every CCG of the plan in its order, then each CCG the panel interviewed
/// that the plan does not list, each with its interview if held.
pub fn statuses<'a>(plan: &Plan, interviews: &'a [Interview]) -> Vec<Status<'a>> {
    let find = |name: &str| interviews.iter().find(|i| key(&i.account.ccg) == key(name));
    let mut out: Vec<Status<'a>> = plan
        .customers
        .iter()
        .map(|c| Status { ccg: c.ccg.clone(), population: c.population, in_plan: true, interview: find(&c.ccg) })
        .collect();
    for i in interviews {
        if !plan.customers.iter().any(|c| key(&c.ccg) == key(&i.account.ccg)) {
            out.push(Status { ccg: i.account.ccg.clone(), population: None, in_plan: false, interview: Some(i) });
        }
    }
    out
}

/// The plan's CCGs with no interview on the record yet, in plan order.
pub fn not_interviewed<'a>(plan: &'a Plan, interviews: &[Interview]) -> Vec<&'a str> {
    plan.customers
        .iter()
        .filter(|c| !interviews.iter().any(|i| key(&i.account.ccg) == key(&c.ccg)))
        .map(|c| c.ccg.as_str())
        .collect()
}
