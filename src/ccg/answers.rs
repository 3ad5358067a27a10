//! A CCG interview's questions, their choices, and the check that an
//! answer is one of them.

use crate::plan::ServiceCategory;
use crate::plan::vocab::Vocabulary;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A closed set of answers to one question: the code the record and the
/// command line write, and the words the window and the letter show.
pub trait Choice: Copy + PartialEq + 'static {
    /// The question, as a refusal names it.
    const QUESTION: &'static str;
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    /// The answer a record holds: its code exactly.
    fn from_code(given: &str) -> Result<Self, AnswerError> {
        Self::ALL.iter().copied().find(|c| c.code() == given).ok_or_else(|| Self::refused(given))
    }

    /// The answer a person typed: its code or its words, in any case.
    fn parse(given: &str) -> Result<Self, AnswerError> {
        let g = given.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(g) || c.label().eq_ignore_ascii_case(g))
            .ok_or_else(|| Self::refused(g))
    }

    fn refused(given: &str) -> AnswerError {
        AnswerError::NotAChoice {
            question: Self::QUESTION,
            given: given.chars().take(60).collect(),
            choices: Self::ALL.iter().map(|c| format!("{} ({})", c.code(), c.label())).collect::<Vec<_>>().join(", "),
        }
    }
}

macro_rules! choices {
    ($(#[$meta:meta])* $name:ident, $question:literal { $($variant:ident => $code:literal, $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl Choice for $name {
            const QUESTION: &'static str = $question;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

choices!(
    /// How the interview was held.
    How, "how the interview was held" {
        Meeting => "meeting", "Meeting",
        Call => "call", "Call",
    }
);

choices!(
    /// The CCG's agreement with the CSU, as the CCG states it.
    Sla, "the SLA as the CCG states it" {
        Signed => "signed", "Signed",
        Agreed => "agreed", "Agreed, not signed",
        Negotiating => "in_negotiation", "In negotiation",
        None => "none", "None",
    }
);

choices!(
    /// The share of its commissioning support the CCG expects from this CSU.
    Share, "the share of its support the CCG expects from this CSU" {
        AtLeastHalf => "at_least_half", "At least half",
        ThirtyToFortyNine => "30_to_49", "30-49%",
        UnderThirty => "under_30", "Under 30%",
    }
);

choices!(
    /// Whether the offer is affordable within the CCG's running-cost allowance.
    Affordable, "whether the offer is affordable" {
        Yes => "yes", "Yes",
        No => "no", "No",
        DontKnow => "dont_know", "Don't know",
    }
);

choices!(
    /// The CCG's confidence in a constructive relationship with the CSU.
    Confidence, "the CCG's confidence in a constructive relationship" {
        Very => "very", "Very confident",
        Quite => "quite", "Quite confident",
        NotVery => "not_very", "Not very confident",
        NotAtAll => "not_at_all", "Not at all confident",
    }
);

choices!(
    /// Whether the CCG means to stay with this CSU after April 2013.
    Intent, "whether the CCG means to stay after April 2013" {
        Stay => "stay", "Stay",
        Change => "change", "Change",
        DontKnow => "dont_know", "Don't know",
    }
);

impl Sla {
    /// Signed or agreed: the CCG confirms it has an SLA with the CSU.
    pub fn confirmed(self) -> bool {
        matches!(self, Sla::Signed | Sla::Agreed)
    }
}

impl Confidence {
    /// Very or quite confident, as the survey counted "confident".
    pub fn confident(self) -> bool {
        matches!(self, Confidence::Very | Confidence::Quite)
    }
}

/// A scale service as the record and the command line write it:
/// `business_intelligence`.
pub fn service_code(category: ServiceCategory) -> String {
    category.label().to_lowercase().replace(' ', "_")
}

/// The scale service a code or its words name.
pub fn service_from(given: &str) -> Result<ServiceCategory, AnswerError> {
    let g = given.trim();
    ServiceCategory::SCALE
        .into_iter()
        .find(|c| service_code(*c) == g.to_lowercase() || c.label().eq_ignore_ascii_case(g))
        .ok_or_else(|| not_a_service(g))
}

fn not_a_service(given: &str) -> AnswerError {
    AnswerError::NotAService {
        given: given.chars().take(60).collect(),
        choices: ServiceCategory::SCALE.iter().map(|c| service_code(*c)).collect::<Vec<_>>().join(", "),
    }
}

/// The most a CCG can have set aside a head: the survey's range is £3 to
/// £25, so a figure past this is a slip (a total, or pence).
pub const MAX_SET_ASIDE_PENCE: u32 = 10_000;

/// What a CCG has set aside a head, typed in pounds (`11.52`, `£11.52`),
/// in whole pence; blank is no figure given.
pub fn set_aside_pence(typed: &str) -> Result<Option<u32>, AnswerError> {
    let t = typed.trim().trim_start_matches('£').trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(p) if (0.0..=1e6).contains(&p) => Ok(Some((p * 100.0).round() as u32)),
        _ => Err(AnswerError::NotAnAmount { given: typed.chars().take(40).collect() }),
    }
}

/// Longest notes kept, in bytes: a page or two of text. Bytes, not
/// characters, so a record of the most CCGs a CSU has stays well inside
/// what an assessment file may hold.
pub const MAX_NOTES_BYTES: usize = 20_000;

/// Longest name, interviewee or role, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// An interview as the record holds it: each answer as written, so an
/// answer outside its choices reaches [`Answers::check`] and is refused
/// there with a sentence, whether typed or edited into a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    pub ccg: String,
    /// Who at the CCG answered, and their role there.
    pub interviewee: String,
    pub interviewee_role: String,
    /// The day it was held, written 2012-09-14.
    pub held_on: String,
    pub how: String,
    pub sla: String,
    pub share: String,
    pub affordable: String,
    /// What the CCG has set aside a head for commissioning support, in
    /// pence (whole, so the record's hash never depends on how a decimal is
    /// printed); absent when the CCG gave no figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_aside_pence: Option<u32>,
    pub confidence: String,
    pub met_leader: bool,
    pub after_april_2013: String,
    /// The scale services the CCG means to buy, as codes.
    pub services: Vec<String>,
    #[serde(default)]
    pub notes: String,
}

/// An interview's answers, each one of its choices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Account {
    pub ccg: String,
    pub interviewee: String,
    pub interviewee_role: String,
    pub held_on: NaiveDate,
    pub how: How,
    pub sla: Sla,
    pub share: Share,
    pub affordable: Affordable,
    /// Pounds a head.
    pub set_aside: Option<f64>,
    pub confidence: Confidence,
    pub met_leader: bool,
    pub after_april_2013: Intent,
    #[serde(serialize_with = "services_as_codes")]
    pub services: Vec<ServiceCategory>,
    pub notes: String,
}

impl Account {
    /// The answers in a line, as the window's list and `ccg show` give them.
    pub fn summary(&self) -> String {
        let services: Vec<String> = self.services.iter().map(|s| s.label().to_lowercase()).collect();
        format!(
            "SLA: {}; expects {} of its support from this CSU; affordable: {}{}; {}, {} the leader; after April 2013: {}; means to buy: {}",
            self.sla.label().to_lowercase(),
            self.share.label().to_lowercase(),
            self.affordable.label().to_lowercase(),
            self.set_aside.map(|p| format!(" (£{p:.2} a head set aside)")).unwrap_or_default(),
            self.confidence.label().to_lowercase(),
            if self.met_leader { "has met" } else { "has not met" },
            self.after_april_2013.label().to_lowercase(),
            if services.is_empty() { "no scale service".to_string() } else { services.join(", ") }
        )
    }
}

fn services_as_codes<S: serde::Serializer>(services: &[ServiceCategory], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(services.iter().map(|c| service_code(*c)))
}

/// Why an interview's answers are refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AnswerError {
    #[error("a CCG interview needs the CCG's name")]
    NoCcg,
    #[error("the interview with {ccg} needs the name and role of the person interviewed there")]
    NoInterviewee { ccg: String },
    #[error("\"{given}\" is not an answer to {question}: the answers are {choices}")]
    NotAChoice { question: &'static str, given: String, choices: String },
    #[error("\"{given}\" is not one of the four scale services: they are {choices}")]
    NotAService { given: String, choices: String },
    #[error("{service} is named twice among the services the CCG means to buy")]
    ServiceTwice { service: String },
    #[error("\"{given}\" is not an amount a head in pounds, such as 11.52")]
    NotAnAmount { given: String },
    #[error("\"{given}\" is not the day the interview was held: write it as 2012-09-14")]
    NotADate { given: String },
    #[error(
        "£{:.2} a head is far above what CCGs set aside (£3 to £25 in 2012; at most £100 is taken): give the amount a head, not a total", f64::from(*pence) / 100.0
    )]
    SetAsideTooHigh { pence: u32 },
    #[error("the {what} of the interview is too long: at most {most}")]
    TooLong { what: &'static str, most: &'static str },
    #[error("the {what} of the interview must be one line of text, without control or direction-changing characters")]
    NotOneLine { what: &'static str },
    #[error("the notes of the interview hold control or direction-changing characters: keep to text, lines and tabs")]
    ControlInNotes,
    #[error("\"{given}\" is not a CCG's name: a name has letters or digits")]
    NoLetters { given: String },
}

impl Answers {
    /// The answers, each held to its choices: the one check, on recording
    /// and on reading.
    pub fn check(&self) -> Result<Account, AnswerError> {
        let ccg = self.ccg.trim();
        if ccg.is_empty() {
            return Err(AnswerError::NoCcg);
        }
        if self.interviewee.trim().is_empty() || self.interviewee_role.trim().is_empty() {
            return Err(AnswerError::NoInterviewee { ccg: ccg.to_string() });
        }
        // Names are printed on one line in the trail, the letter and the
        // terminal: a newline or a direction override would let a name
        // write lines of its own.
        for (what, text) in
            [("CCG's name", &self.ccg), ("interviewee", &self.interviewee), ("role", &self.interviewee_role)]
        {
            if text.chars().count() > MAX_NAME_CHARS {
                return Err(AnswerError::TooLong { what, most: "200 characters" });
            }
            if !crate::text::is_one_line(text) {
                return Err(AnswerError::NotOneLine { what });
            }
        }
        if super::key(ccg).is_empty() {
            return Err(AnswerError::NoLetters { given: ccg.chars().take(60).collect() });
        }
        if self.notes.len() > MAX_NOTES_BYTES {
            return Err(AnswerError::TooLong { what: "notes", most: "20,000 bytes" });
        }
        if self.notes.chars().any(|c| crate::text::changes_layout(c) || (c.is_control() && c != '\n' && c != '\t')) {
            return Err(AnswerError::ControlInNotes);
        }
        let held_on = NaiveDate::parse_from_str(&self.held_on, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == self.held_on && (2000..=2100).contains(&d.year()))
            .ok_or_else(|| AnswerError::NotADate { given: self.held_on.chars().take(40).collect() })?;
        if let Some(pence) = self.set_aside_pence.filter(|p| *p > MAX_SET_ASIDE_PENCE) {
            return Err(AnswerError::SetAsideTooHigh { pence });
        }
        let mut services = Vec::new();
        for code in &self.services {
            let service = ServiceCategory::SCALE
                .into_iter()
                .find(|c| service_code(*c) == *code)
                .ok_or_else(|| not_a_service(code))?;
            if services.contains(&service) {
                return Err(AnswerError::ServiceTwice { service: service.label().to_string() });
            }
            services.push(service);
        }
        Ok(Account {
            ccg: ccg.to_string(),
            interviewee: self.interviewee.trim().to_string(),
            interviewee_role: self.interviewee_role.trim().to_string(),
            held_on,
            how: How::from_code(&self.how)?,
            sla: Sla::from_code(&self.sla)?,
            share: Share::from_code(&self.share)?,
            affordable: Affordable::from_code(&self.affordable)?,
            set_aside: self.set_aside_pence.map(|p| f64::from(p) / 100.0),
            confidence: Confidence::from_code(&self.confidence)?,
            met_leader: self.met_leader,
            after_april_2013: Intent::from_code(&self.after_april_2013)?,
            services,
            notes: self.notes.clone(),
        })
    }
}
