//! The plan's claims set against what its CCGs said at interview.
//!
//! Each contradiction is a plan finding (severity, the plan's sheet and
//! cell, a sentence) with the interview that contradicts it beside it: an
//! error where a claim the plan rests on is denied by the CCG (a signed SLA
//! the CCG says it does not have), a warning where it is weaker than the
//! plan says (agreed but not signed, a different budget a head, a scale
//! service no CCG means to buy), and a warning for each CCG the plan lists
//! that no one has interviewed.

use super::{Choice, Interview, Sla};
use crate::assessment::Assessment;
use crate::plan::vocab::Vocabulary;
use crate::plan::{Agreement, CellAt, Finding, Plan, Severity, TemplateSheet};
use serde::Serialize;

/// One claim of the plan and what the CCGs said against it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contradiction {
    /// The plan's side: severity, sheet!cell and the sentence.
    #[serde(flatten)]
    pub finding: Finding,
    /// The interviews' side: who said it, to whom and when; empty for a CCG
    /// never interviewed.
    pub interview: String,
}

impl Contradiction {
    /// A claim of the plan its CCGs deny or weaken (not a CCG left out).
    pub fn is_claim(&self) -> bool {
        !self.interview.is_empty()
    }
}

/// Where an interview comes from, as a contradiction cites it.
pub fn cited(i: &Interview) -> String {
    format!(
        "{} ({}) to {}, {} {}",
        i.account.interviewee,
        i.account.interviewee_role,
        i.by,
        i.account.how.label().to_lowercase(),
        i.account.held_on.format("%-d %B %Y")
    )
}

/// Every contradiction between the plan and the interviews, the plan's
/// CCGs in order, then the services.
pub fn find(plan: &Plan, assessment: &Assessment) -> Vec<Contradiction> {
    let interviews = &assessment.ccg_interviews;
    let sheet = plan.sheet_name(TemplateSheet::Customers).to_string();
    let finding = |severity, cell: Option<CellAt>, message: String, sheet: &str| Finding {
        severity,
        sheet: sheet.to_string(),
        template: Some(TemplateSheet::Customers),
        cell,
        message,
        value: None,
    };
    let mut out = Vec::new();
    for c in super::plan_ccgs(plan) {
        let Some(i) = super::interview_of(assessment, &c.ccg) else {
            // Heard twice, differently: a conflict to resolve, not a CCG unheard.
            if super::conflicted(assessment, &c.ccg) {
                continue;
            }
            out.push(Contradiction {
                finding: finding(
                    Severity::Warning,
                    c.ccg_at,
                    format!("the plan lists {} as a customer, and no one has interviewed it", c.ccg),
                    &sheet,
                ),
                interview: String::new(),
            });
            continue;
        };
        let a = &i.account;
        let said = |what: &str| format!("{} says {what} ({})", c.ccg, cited(i));
        let sla = match (c.agreement, a.sla) {
            (Some(Agreement::SignedSla), Sla::None | Sla::Negotiating) => Some((
                Severity::Error,
                format!("the plan shows a signed SLA with {}", c.ccg),
                said(&format!("it has {}", if a.sla == Sla::None { "no SLA" } else { "an SLA still in negotiation" })),
            )),
            (Some(Agreement::SignedSla), Sla::Agreed) => Some((
                Severity::Warning,
                format!("the plan shows a signed SLA with {}", c.ccg),
                said("its SLA is agreed but not signed"),
            )),
            (Some(Agreement::ShadowSla), Sla::None) => {
                Some((Severity::Warning, format!("the plan shows a shadow SLA with {}", c.ccg), said("it has no SLA")))
            }
            _ => None,
        };
        if let Some((severity, claim, said)) = sla {
            out.push(Contradiction { finding: finding(severity, c.agreement_at, claim, &sheet), interview: said });
        }
        if let (Some(plan_budget), Some(set_aside)) = (c.budget_per_head, a.set_aside)
            && (plan_budget - set_aside).abs() >= 0.005
        {
            out.push(Contradiction {
                finding: finding(
                    Severity::Warning,
                    c.budget_at,
                    format!("the plan gives {}'s budget as £{plan_budget:.2} a head", c.ccg),
                    &sheet,
                ),
                interview: said(&format!("it has set aside £{set_aside:.2} a head")),
            });
        }
    }
    if !interviews.is_empty() {
        let services = plan.sheet_name(TemplateSheet::Services).to_string();
        for category in crate::plan::ServiceCategory::SCALE {
            let Some(offered) = plan.services.iter().find(|s| s.category == category) else { continue };
            if interviews.iter().any(|i| i.account.services.contains(&category)) {
                continue;
            }
            let mut f = finding(
                Severity::Warning,
                offered.category_at,
                format!("the plan offers {} as a scale service", category.label().to_lowercase()),
                &services,
            );
            f.template = Some(TemplateSheet::Services);
            out.push(Contradiction {
                finding: f,
                interview: format!(
                    "none of the {} interviewed means to buy it",
                    if interviews.len() == 1 { "1 CCG".to_string() } else { format!("{} CCGs", interviews.len()) }
                ),
            });
        }
    }
    out
}
