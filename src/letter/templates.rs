//! Letter wording: the BDU's templates, with placeholders filled from the
//! plan and the evaluation.
//!
//! The wording ships beside the criteria (`criteria/letters.toml`, built in)
//! and can be replaced without rebuilding: a `letters.toml` beside the
//! program, or a file named on the command line. A template naming a
//! placeholder that does not exist is refused when loaded, not discovered
//! in a letter already sent.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in wording.
pub const BUILTIN: &str = include_str!("../../criteria/letters.toml");

/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "contact",
    "csu_name",
    "managing_director",
    "host_cluster",
    "checkpoint",
    "plan_type",
    "plan_version",
    "submission_date",
    "framework_title",
    "outcome",
    "outcome_meaning",
    "overall",
    "date",
    "reference",
    "scale_min",
    "scale_max",
    "panel",
    "Panel",
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    pub letterhead: Letterhead,
    pub signatory: Signatory,
    pub text: CommonText,
    /// By outcome id, or by kind: `pass`, `conditional`, `fail`.
    pub outcome: BTreeMap<String, OutcomeText>,
    /// Whom the CSU contacts about the letter: the BDU's own to give (the
    /// built-in wording gives none, so that no letter names an invented
    /// person).
    #[serde(default)]
    pub contact: Option<Contact>,
    /// A sentence for each cause of a fail, stated on page 1.
    #[serde(default)]
    pub causes: Causes,
    /// The SHA-256 of the wording file's text: recorded when a letter is
    /// issued, so that `verify` makes the letter again from the same wording.
    #[serde(skip)]
    pub fingerprint: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letterhead {
    pub organisation: String,
    pub parent: String,
    pub address: Vec<String>,
    #[serde(default)]
    pub contact: String,
}

/// Why a plan failed, a sentence for each cause, each following "Because"
/// on page 1. Their own placeholders ([`CAUSE_PLACEHOLDERS`]) give the
/// figures.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Causes {
    /// `{criteria}`: the one gateway criterion below its minimum.
    pub gateway: String,
    /// `{criteria}`: the gateway criteria below their minimum.
    pub gateways: String,
    /// `{overall}`, `{needed}`, `{outcome}`: the overall score below the band that passes.
    pub overall: String,
    /// `{domain}`, `{score}`, `{floor}`, `{outcome}`: a domain below the floor that outcome needs.
    pub domain: String,
    /// One development action from the checkpoint before not met.
    pub action: String,
    /// `{count}`: development actions from the checkpoint before not met.
    pub actions: String,
}

impl Default for Causes {
    fn default() -> Self {
        Causes {
            gateway: "the gateway criterion {criteria} is below its minimum".into(),
            gateways: "the gateway criteria {criteria} are below their minimum".into(),
            overall: "the overall score of {overall} is below the {needed} needed for {outcome}".into(),
            domain: "{domain} scored {score}, below the {floor} every domain needs for {outcome}".into(),
            action: "an action of the development plan agreed at the checkpoint before was not met, and a development plan not met fails the plan".into(),
            actions: "{count} actions of the development plan agreed at the checkpoint before were not met, and a development plan not met fails the plan".into(),
        }
    }
}

/// The placeholders of the cause sentences, besides the letter's own.
pub const CAUSE_PLACEHOLDERS: &[&str] =
    &["criteria", "overall", "needed", "outcome", "domain", "score", "floor", "count"];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub role: String,
    pub telephone: String,
    pub email: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub closing: String,
    pub name: String,
    pub title: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonText {
    pub subject: String,
    pub opening: String,
    pub scores: String,
    pub strengths: String,
    /// Introduces the criteria scored at the level that meets them.
    #[serde(default = "default_met")]
    pub met: String,
    pub development: String,
    pub annex_title: String,
    pub annex_intro: String,
    /// The rule that a gateway decides on its own, said where one failed.
    #[serde(default = "default_gateway_rule")]
    pub gateway_rule: String,
    /// How, where and by when the CSU may ask for the decision to be
    /// reviewed, who decides it, and whether an independent appeal follows.
    /// The BDU's to give: no default.
    #[serde(default)]
    pub review: String,
    /// Whether and when the CSU may resubmit. The BDU's to give.
    #[serde(default)]
    pub resubmission: String,
    /// How to ask for the letter in another format.
    #[serde(default = "default_other_formats")]
    pub other_formats: String,
    /// Plain-English glosses of the terms the letter uses.
    #[serde(default = "default_glossary")]
    pub glossary: Vec<String>,
}

fn default_other_formats() -> String {
    "If you need this letter in another format, such as large print, Braille, audio or another language, please ask {contact}.".into()
}

fn default_glossary() -> Vec<String> {
    [
        "Gateway criterion: a criterion a plan must reach a minimum score in to pass at all, whatever its other scores.",
        "Capped: a score held down to a level because the plan's own figures show a concern the criteria file names.",
        "SLA (service level agreement): the agreement under which a CCG buys services from the CSU.",
        "QIPP (quality, innovation, productivity and prevention): the NHS programme to improve care while saving money.",
        "CCG (clinical commissioning group): a group of GP practices that commissions care for its area and buys support from a CSU.",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

fn default_met() -> String {
    "These criteria meet the standard the framework sets:".into()
}

fn default_gateway_rule() -> String {
    "A gateway criterion decides on its own: a plan scored below a gateway's minimum cannot pass, whatever its overall score.".into()
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeText {
    pub decision: String,
    pub next_steps: String,
    #[serde(default)]
    pub development_plan: String,
    #[serde(default)]
    pub not_met: String,
}

/// The kind of outcome, which chooses the wording when no outcome-specific
/// wording is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeKind {
    Pass,
    Conditional,
    Fail,
}

impl OutcomeKind {
    fn key(self) -> &'static str {
        match self {
            OutcomeKind::Pass => "pass",
            OutcomeKind::Conditional => "conditional",
            OutcomeKind::Fail => "fail",
        }
    }
}

/// Why a templates file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{file}: could not be read ({source})")]
    Io { file: String, source: crate::files::ReadError },
    #[error("{file}:{line}:{column}: {message}")]
    Invalid { file: String, line: usize, column: usize, message: String },
}

impl Templates {
    pub fn builtin() -> Self {
        match Self::parse("letters.toml", BUILTIN) {
            Ok(t) => t,
            Err(e) => unreachable!("the built-in letter templates are checked by a test: {e}"),
        }
    }

    /// The entries a final letter needs that this wording does not give,
    /// each as the wording file names it: a final letter is refused until
    /// the BDU fills them (a draft shows where they go).
    pub fn unfilled(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let filled = |s: &str| !s.trim().is_empty();
        if !self.contact.as_ref().is_some_and(|c| filled(&c.name) && filled(&c.telephone) && filled(&c.email)) {
            out.push("[contact] name, telephone and email: whom the CSU contacts about the letter");
        }
        if !filled(&self.text.review) {
            out.push("[text] review: how, where and by when the CSU may ask for a review, who decides it, and whether an independent appeal follows");
        }
        if !filled(&self.text.resubmission) {
            out.push("[text] resubmission: whether and when the CSU may resubmit");
        }
        out
    }

    pub fn load(path: &Path) -> Result<Self, TemplateError> {
        let file = path.display().to_string();
        let bytes = crate::files::read(path, crate::limits::MAX_CRITERIA_FILE_BYTES)
            .map_err(|source| TemplateError::Io { file: file.clone(), source })?;
        Self::parse(&file, &String::from_utf8_lossy(&bytes))
    }

    /// The wording in use: a `letters.toml` beside the program if there is
    /// one, else the built-in wording.
    pub fn beside_program() -> Result<Self, TemplateError> {
        let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("letters.toml")));
        match beside {
            Some(path) if path.is_file() => Self::load(&path),
            _ => Ok(Self::builtin()),
        }
    }

    pub fn parse(file: &str, text: &str) -> Result<Self, TemplateError> {
        let at = |offset: usize| crate::criteria::line_column(text, offset);
        let mut templates: Templates = toml::from_str(text).map_err(|e| {
            let (line, column) = at(e.span().map_or(0, |s| s.start));
            TemplateError::Invalid { file: file.into(), line, column, message: e.message().trim().to_string() }
        })?;
        // The [causes] table has placeholders of its own.
        let causes = text.find("\n[causes]").map(|start| {
            let end = text[start + 1..].find("\n[").map_or(text.len(), |e| start + 1 + e);
            start..end
        });
        for (offset, _) in text.match_indices('{') {
            let name: String = text[offset + 1..].chars().take_while(|c| *c != '}' && *c != '\n').collect();
            let in_causes = causes.as_ref().is_some_and(|c| c.contains(&offset));
            let known = PLACEHOLDERS.contains(&name.trim()) || (in_causes && CAUSE_PLACEHOLDERS.contains(&name.trim()));
            if !known {
                let (line, column) = at(offset);
                return Err(TemplateError::Invalid {
                    file: file.into(),
                    line,
                    column,
                    message: format!("`{{{name}}}` is not a placeholder; use one of {}", PLACEHOLDERS.join(", ")),
                });
            }
        }
        for kind in ["pass", "conditional", "fail"] {
            if !templates.outcome.contains_key(kind) {
                return Err(TemplateError::Invalid {
                    file: file.into(),
                    line: 1,
                    column: 1,
                    message: format!("there is no [outcome.{kind}] wording"),
                });
            }
        }
        templates.fingerprint = crate::plan::fingerprint(text.as_bytes());
        Ok(templates)
    }

    /// The wording for an outcome: its own if given, else its kind's.
    pub fn for_outcome(&self, id: &str, kind: OutcomeKind) -> &OutcomeText {
        self.outcome
            .get(id)
            .or_else(|| self.outcome.get(kind.key()))
            .unwrap_or_else(|| unreachable!("parse() refuses templates without pass, conditional and fail wording"))
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, vars: &BTreeMap<&str, String>) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_are_valid() {
        Templates::parse("letters.toml", BUILTIN).expect("valid");
    }

    #[test]
    fn unknown_placeholders_are_refused_at_their_line() {
        let text = BUILTIN.replacen("{csu_name}", "{csu}", 1);
        let err = Templates::parse("letters.toml", &text).expect_err("refused").to_string();
        assert!(err.starts_with("letters.toml:"), "{err}");
        assert!(err.contains("`{csu}` is not a placeholder"), "{err}");
    }
}
