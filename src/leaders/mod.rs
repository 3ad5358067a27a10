//! The leaders' interview: when and with whom, the script of questions,
//! each member's own notes, and the panel's agreed account.
//!
//! At each checkpoint the BDU interviews the CSU's prospective leaders. The
//! script starts from the framework's `evidence.leaders_interview` prompts
//! in domain order ([`default_script`]); the chair reorders, trims and
//! extends it, and records it. On the day each member keeps notes per
//! question: their own, hidden from the others until they have finished
//! scoring (as scores are), and private, so each is committed to on the
//! trail by hash and kept beside it ([`private`]): a copy disclosed to a CSU
//! leaves them out and still checks. Afterwards the chair, or a note-taker
//! the chair names, records the agreed account of each answer, which every
//! member sees. An evidence text cites a question as `[L3]`; the letter's
//! annex prints what it cites.

pub mod private;

use crate::criteria::Framework;
use serde::{Deserialize, Serialize};

/// Someone at the interview: the CSU's people, by name and role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: String,
}

/// When and where the interview is held, with whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The day and time, written `2012-09-12 10:00`.
    pub at: String,
    /// The room, or "call".
    pub place: String,
    /// The CSU's people interviewed.
    pub csu: Vec<Person>,
    /// The panel's members present.
    pub panel: Vec<String>,
}

/// A question of the script: its stable id (`L3`, never reused, so a
/// citation keeps its meaning when the script is reordered), the
/// criterion it bears on, and the minutes allotted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    pub minutes: u32,
}

/// Minutes a question is allotted unless the chair says otherwise.
pub const DEFAULT_MINUTES: u32 = 5;

/// Most questions in a script: an interview is an hour or two.
pub const MAX_QUESTIONS: usize = 100;

/// The script the framework gives: each criterion's prompt for the
/// leaders' interview, in domain order.
pub fn default_script(framework: &Framework) -> Vec<Question> {
    framework
        .criteria()
        .filter(|(_, c)| !c.evidence.leaders_interview.trim().is_empty())
        .enumerate()
        .map(|(i, (_, c))| Question {
            id: format!("L{}", i + 1),
            text: c.evidence.leaders_interview.trim().to_string(),
            criterion: Some(c.id.clone()),
            minutes: DEFAULT_MINUTES,
        })
        .collect()
}

/// The highest question number: `L9999`.
pub const MAX_ID: u32 = 9_999;

/// The next id for a question the panel adds: one past every id the
/// record has ever used (`used`), so no id comes back for another question.
pub fn next_id<'a>(used: impl IntoIterator<Item = &'a str>) -> String {
    let highest = used.into_iter().filter_map(|id| id.get(1..)?.parse::<u32>().ok()).max().unwrap_or(0);
    format!("L{}", highest.saturating_add(1).min(MAX_ID))
}

/// The questions an evidence text cites: `[L3]`, in order, once each.
pub fn cited(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[L") {
        let after = &rest[start + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(']') {
            let id = format!("L{digits}");
            if !out.contains(&id) {
                out.push(id);
            }
        }
        rest = after;
    }
    out
}

/// Why a schedule or a script is refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ScriptError {
    #[error("\"{given}\" is not when the interview is held: write the day and time as 2012-09-12 10:00")]
    NotATime { given: String },
    #[error("the interview needs its place (a room, or \"call\") and at least one of the CSU's people with their role")]
    Incomplete,
    #[error("{what} must be one line of text, without control or direction-changing characters")]
    NotOneLine { what: String },
    #[error("{what} is too long: at most {most} characters")]
    TooLong { what: String, most: usize },
    #[error("{name} is not a member of the panel, so cannot be listed as present")]
    NotOnPanel { name: String },
    #[error("the script has no questions")]
    Empty,
    #[error("the script has {count} questions; at most {MAX_QUESTIONS}")]
    TooMany { count: usize },
    #[error("question {id}: an id is L and a number from 1 to 9999, such as L3, used once")]
    BadId { id: String },
    #[error(
        "question {id} was \"{was}\" on this record: a new question takes a new id, so a citation of {id} keeps its meaning"
    )]
    IdReused { id: String, was: String },
    #[error("{name} is named twice among the panel members present")]
    PresentTwice { name: String },
    #[error("question {id} has no text")]
    NoText { id: String },
    #[error("question {id} bears on {criterion}, which is not a criterion of this framework")]
    UnknownCriterion { id: String, criterion: String },
    #[error("question {id} is allotted {minutes} minutes: give 1 to 120")]
    BadMinutes { id: String, minutes: u32 },
}

fn one_line(what: &str, text: &str, most: usize) -> Result<(), ScriptError> {
    if text.chars().count() > most {
        return Err(ScriptError::TooLong { what: what.to_string(), most });
    }
    if !crate::text::is_one_line(text) {
        return Err(ScriptError::NotOneLine { what: what.to_string() });
    }
    Ok(())
}

/// Whether a note or an account holds only text, line ends and tabs.
pub fn plain_text(text: &str) -> bool {
    !text.chars().any(|c| crate::text::changes_layout(c) || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
}

impl Schedule {
    /// The schedule, held to its form; `members` are the panel's.
    pub fn check(&self, members: &[&str]) -> Result<(), ScriptError> {
        chrono::NaiveDateTime::parse_from_str(&self.at, "%Y-%m-%d %H:%M")
            .ok()
            .filter(|t| (2000..=2100).contains(&chrono::Datelike::year(t)))
            .ok_or_else(|| ScriptError::NotATime { given: self.at.chars().take(40).collect() })?;
        if self.place.trim().is_empty() || self.csu.is_empty() {
            return Err(ScriptError::Incomplete);
        }
        one_line("the place", &self.place, 200)?;
        for p in &self.csu {
            if p.name.trim().is_empty() || p.role.trim().is_empty() {
                return Err(ScriptError::Incomplete);
            }
            one_line("a name of the CSU's people", &p.name, 200)?;
            one_line("a role of the CSU's people", &p.role, 200)?;
        }
        if let Some(name) = self.panel.iter().find(|n| !members.contains(&n.as_str())) {
            return Err(ScriptError::NotOnPanel { name: name.clone() });
        }
        for (i, name) in self.panel.iter().enumerate() {
            if self.panel[..i].contains(name) {
                return Err(ScriptError::PresentTwice { name: name.clone() });
            }
        }
        Ok(())
    }

    /// The day it is held.
    pub fn day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDateTime::parse_from_str(&self.at, "%Y-%m-%d %H:%M").ok().map(|t| t.date())
    }
}

/// A script, held to its form against the framework.
pub fn check_script(questions: &[Question], framework: &Framework) -> Result<(), ScriptError> {
    if questions.is_empty() {
        return Err(ScriptError::Empty);
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(ScriptError::TooMany { count: questions.len() });
    }
    let mut seen = std::collections::HashSet::new();
    for q in questions {
        let well_formed = q.id.len() > 1
            && q.id.len() <= 5
            && q.id.starts_with('L')
            && q.id[1..].chars().all(|c| c.is_ascii_digit())
            && !q.id[1..].starts_with('0');
        if !well_formed || !seen.insert(q.id.as_str()) {
            return Err(ScriptError::BadId { id: q.id.chars().take(20).collect() });
        }
        if q.text.trim().is_empty() {
            return Err(ScriptError::NoText { id: q.id.clone() });
        }
        one_line(&format!("question {}", q.id), &q.text, 1_000)?;
        if let Some(c) = &q.criterion
            && framework.criterion(c).is_none_or(|known| known.id != *c)
        {
            return Err(ScriptError::UnknownCriterion { id: q.id.clone(), criterion: c.chars().take(20).collect() });
        }
        if !(1..=120).contains(&q.minutes) {
            return Err(ScriptError::BadMinutes { id: q.id.clone(), minutes: q.minutes });
        }
    }
    Ok(())
}

/// A member's notes on one question, as the record holds them now: the
/// text where this copy holds it, `None` where it was withheld.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    pub question: String,
    pub by: String,
    pub at: String,
    pub text: Option<String>,
}

/// The panel's agreed account of the answer to one question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Account {
    pub question: String,
    pub text: String,
    pub by: String,
    pub at: String,
}

/// The leaders' interview as the record holds it now.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Interview {
    pub schedule: Option<Schedule>,
    /// The script as the chair recorded it, or the framework's until then.
    pub script: Vec<Question>,
    /// Whether the chair has recorded a script.
    pub scripted: bool,
    /// Every question id the record has used, the framework's included:
    /// a new question takes one past them ([`next_id`]).
    pub used_ids: Vec<String>,
    pub note_taker: Option<String>,
    pub notes: Vec<Note>,
    pub accounts: Vec<Account>,
}

impl Interview {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.script.iter().find(|q| q.id == id)
    }

    pub fn account(&self, question: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.question == question)
    }

    /// The questions bearing on a criterion, in script order.
    pub fn on<'a>(&'a self, criterion: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.script.iter().filter(move |q| q.criterion.as_deref() == Some(criterion))
    }

    /// Whether the interview has been held: an account is on the record.
    pub fn held(&self) -> bool {
        !self.accounts.is_empty()
    }
}
