//! The pages' form state: what is chosen on a page and not yet recorded
//! (the text typed is the session's, in `drafts.rs`). A leaf module, so the
//! window's state holds every page's forms without importing the pages.

use crate::assessment::Assessment;
use crate::ccg;
use crate::portfolio::consistency::{self, AssessorFigures};
use crate::portfolio::{Column, Declaration, Filter, Portfolio};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The panel page's forms: the criterion being moderated and the score
/// chosen for its consensus (what is typed is in the drafts).
#[derive(Clone, Debug, Default)]
pub struct Moderation {
    pub criterion: usize,
    pub score: Option<u8>,
    /// The interest waits for the member to confirm it: it cannot be withdrawn.
    pub confirm_interest: bool,
}

/// The Summary page's forms: the panel's finding on each development
/// action carried from the checkpoint before, and an earlier assessment the
/// record refused as another CSU's, offered to link anyway.
#[derive(Clone, Debug, Default)]
pub struct ReviewForms {
    /// By carried action's id: Met (true) or Not met (false) as chosen,
    /// until recorded (the evidence typed is a draft, `Field::Review`).
    pub chosen: BTreeMap<String, bool>,
    /// An assessment of a CSU by another name, with the record's refusal in
    /// words: linked only if the assessor says it is the same CSU renamed.
    pub other_csu: Option<(Box<Assessment>, String)>,
}

/// The CCG interviews page's forms: the CCG chosen, and for each CCG the
/// answers chosen and not yet recorded (the text typed is in the drafts),
/// keyed by the CCG and when its interview on the record was recorded.
#[derive(Clone, Debug, Default)]
pub struct InterviewForms {
    pub selected: usize,
    pub chosen: BTreeMap<String, Chosen>,
    /// CCGs the panel adds that the plan does not list, until their
    /// interview is on the record; and the name being typed.
    pub added: Vec<String>,
    pub adding: String,
}

/// One interview's answers as chosen on the form; `None` until chosen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chosen {
    pub how: Option<ccg::How>,
    pub sla: Option<ccg::Sla>,
    pub share: Option<ccg::Share>,
    pub affordable: Option<ccg::Affordable>,
    pub confidence: Option<ccg::Confidence>,
    pub met_leader: bool,
    pub after_april_2013: Option<ccg::Intent>,
    pub services: Vec<crate::plan::ServiceCategory>,
}

impl Chosen {
    /// The answers an interview on the record gave, to correct them.
    pub fn from(account: &ccg::Account) -> Chosen {
        Chosen {
            how: Some(account.how),
            sla: Some(account.sla),
            share: Some(account.share),
            affordable: Some(account.affordable),
            confidence: Some(account.confidence),
            met_leader: account.met_leader,
            after_april_2013: Some(account.after_april_2013),
            services: account.services.clone(),
        }
    }
}

/// The page's forms: the question chosen, the interview's clocks while it
/// runs, the questions skipped or marked to come back to, the script as
/// the chair is changing it, and the arrangements being typed.
#[derive(Debug, Default)]
pub struct LeadersForms {
    pub selected: usize,
    /// When the interview, and the question now asked, began.
    pub live: Option<(std::time::Instant, std::time::Instant)>,
    pub marked: std::collections::BTreeSet<String>,
    pub skipped: std::collections::BTreeSet<String>,
    /// The chair's script not yet recorded.
    pub script: Option<Vec<crate::leaders::Question>>,
    pub adding: String,
    pub adding_criterion: Option<String>,
    pub adding_minutes: u32,
    pub at: String,
    pub place: String,
    pub people: String,
    pub present: std::collections::BTreeSet<String>,
    pub note_taker: Option<String>,
}

/// The tabs of the page: one at a time fits the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Csus,
    Charts,
    Assessors,
    Interests,
    Ccgs,
}

/// A folder read as a portfolio, with how the page shows it.
pub struct PortfolioPage {
    pub folder: PathBuf,
    pub portfolio: Portfolio,
    /// Worked out once, when the folder is read: they go over every score
    /// of the round, too much to redo each frame.
    pub assessors: Vec<AssessorFigures>,
    pub declarations: Vec<Declaration>,
    pub tab: Tab,
    pub sort: Option<(Column, bool)>,
    pub region: Option<String>,
    pub checkpoint: Option<u8>,
    /// Part of an outcome, as typed.
    pub outcome: String,
    /// Part of a CSU's name, as typed.
    pub search: String,
}

impl PortfolioPage {
    /// The page for a folder just read; reading the same folder again keeps
    /// the tab, sort and filters the assessor had chosen.
    pub fn new(folder: PathBuf, portfolio: Portfolio, before: Option<PortfolioPage>) -> Self {
        let assessors = consistency::assessors(&portfolio);
        let declarations = portfolio.declarations();
        let page = PortfolioPage {
            folder,
            portfolio,
            assessors,
            declarations,
            tab: Tab::Csus,
            sort: None,
            region: None,
            checkpoint: None,
            outcome: String::new(),
            search: String::new(),
        };
        match before {
            Some(b) if b.folder == page.folder => PortfolioPage {
                tab: b.tab,
                sort: b.sort,
                region: b.region,
                checkpoint: b.checkpoint,
                outcome: b.outcome,
                search: b.search,
                ..page
            },
            _ => page,
        }
    }

    /// The library's filter for what the page's controls hold.
    pub fn filter(&self) -> Filter {
        let given = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        Filter {
            region: self.region.clone(),
            outcome: given(&self.outcome),
            checkpoint: self.checkpoint,
            text: given(&self.search),
        }
    }
}
