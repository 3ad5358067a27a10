//! The CCGs' answers across the round, beside the checkpoint 2 survey's.
//!
//! Every CCG interview on the round's records counted once a CCG (as the
//! survey counted), so a panel can see whether its CSUs' customers say what
//! CCGs said nationally in 2012 (`shared/domain.md`).

use super::Portfolio;
use crate::ccg::{Affordable, Choice, Intent, Interview, Share};
use serde::Serialize;

/// One answer: the share of the round's CCGs that gave it, and the
/// survey's national share where the survey reported one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    pub question: &'static str,
    pub answer: String,
    pub ccgs: usize,
    /// Of the CCGs interviewed in the round.
    pub share: f64,
    /// The checkpoint 2 survey's national figure, as a fraction.
    pub survey: Option<f64>,
}

/// The round's answers beside the survey, and how many CCGs were heard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct National {
    pub interviewed: usize,
    pub answers: Vec<Answer>,
}

fn rows<C: Choice>(
    all: &[&Interview],
    question: &'static str,
    of: impl Fn(&Interview) -> C,
    survey: &[(C, f64)],
) -> Vec<Answer> {
    C::ALL
        .iter()
        .map(|c| {
            let ccgs = all.iter().filter(|i| of(i) == *c).count();
            Answer {
                question,
                answer: c.label().to_string(),
                ccgs,
                share: ccgs as f64 / all.len().max(1) as f64,
                survey: survey.iter().find(|(s, _)| s == c).map(|(_, v)| *v),
            }
        })
        .collect()
}

impl Portfolio {
    /// Every CCG's answers across the round's records, beside the survey's.
    pub fn ccg_answers(&self) -> National {
        let all: Vec<&Interview> = self.assessed.iter().flat_map(|a| &a.assessment.ccg_interviews).collect();
        let mut answers = Vec::new();
        answers.extend(rows(
            &all,
            "Is the offer affordable?",
            |i| i.account.affordable,
            &[(Affordable::Yes, 0.45), (Affordable::DontKnow, 0.43), (Affordable::No, 0.12)],
        ));
        let confident = all.iter().filter(|i| i.account.confidence.confident()).count();
        answers.extend(rows(&all, "Confidence in a constructive relationship", |i| i.account.confidence, &[]));
        answers.push(Answer {
            question: "Confidence in a constructive relationship",
            answer: "Very or quite confident".into(),
            ccgs: confident,
            share: confident as f64 / all.len().max(1) as f64,
            survey: Some(0.79),
        });
        answers.extend(rows(
            &all,
            "After April 2013",
            |i| i.account.after_april_2013,
            &[(Intent::Change, 0.33), (Intent::DontKnow, 0.29)],
        ));
        answers.extend(rows(
            &all,
            "Support expected from the CSU",
            |i| i.account.share,
            &[(Share::AtLeastHalf, 0.5), (Share::ThirtyToFortyNine, 0.27), (Share::UnderThirty, 0.17)],
        ));
        let met = all.iter().filter(|i| i.account.met_leader).count();
        answers.push(Answer {
            question: "Has met the CSU's leader",
            answer: "Yes".into(),
            ccgs: met,
            share: met as f64 / all.len().max(1) as f64,
            survey: Some(0.80),
        });
        National { interviewed: all.len(), answers }
    }
}
