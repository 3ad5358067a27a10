//! What a letter says, decided from an evaluation and its assessment,
//! before anything is laid out on a page.
//!
//! Nothing here reads the clock or the machine: the date is the date of the
//! assessment's last recorded change, so the same assessment always gives
//! the same letter.

use super::templates::{OutcomeKind, Templates, fill};
use crate::assessment::Assessment;
use crate::criteria::Framework;
use crate::plan::{Plan, PlanType};
use crate::scoring::{Evaluation, ScoreState};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A letter's content, ready to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct Letter {
    pub organisation: String,
    pub parent: String,
    pub address: Vec<String>,
    pub contact: String,
    pub date: NaiveDate,
    /// When the letter's content was last changed, for the PDF's dates.
    pub timestamp: chrono::DateTime<chrono::Utc>,
    pub reference: String,
    pub addressee: Vec<String>,
    pub salutation: String,
    pub subject: String,
    pub body: Vec<Block>,
    pub closing: String,
    pub signatory: String,
    pub signatory_title: String,
    pub annex_title: String,
    pub annex: Vec<Block>,
    /// Ties the letter to the plan, framework and assessment it came from.
    pub fingerprint: String,
    /// The verification code printed on every page ([`verification_code`]).
    pub code: String,
    /// Draft letters are marked as such on every page.
    pub draft: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// A paragraph set apart: the decision.
    Emphasis(String),
    Bullets(Vec<String>),
    Table(Table),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Rows drawn bold (a total).
    pub bold_rows: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    /// Share of the text width.
    pub width: f64,
    pub right_aligned: bool,
}

fn col(title: &str, width: f64, right_aligned: bool) -> Column {
    Column { title: title.into(), width, right_aligned }
}

/// The fingerprint that ties a letter to exactly this assessment: the plan's
/// and framework's fingerprints and every entry of the record.
pub fn fingerprint(assessment: &Assessment) -> String {
    let mut text = format!(
        "csu-assess letter fingerprint v2\n{}\n{}\n",
        assessment.plan.fingerprint, assessment.framework.fingerprint
    );
    for e in &assessment.audit {
        text.push_str(&e.hash);
        text.push('\n');
    }
    crate::plan::fingerprint(text.as_bytes())
}

/// The code printed on a letter, from its fingerprint: short enough to
/// read out on the telephone (`3F2A-9C1B-77D0`), and found again by
/// `verify` in the record.
pub fn verification_code(fingerprint: &str) -> String {
    let upper = fingerprint.to_ascii_uppercase();
    upper.as_bytes().chunks(4).take(3).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The assessment's last recorded change: the letter's date.
pub fn last_change(assessment: &Assessment) -> chrono::DateTime<chrono::Utc> {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok().map(|d| d.to_utc());
    std::iter::once(assessment.created_at.as_str())
        .chain(assessment.scores.iter().map(|s| s.recorded_at.as_str()))
        .chain(assessment.consensus.iter().map(|c| c.recorded_at.as_str()))
        .filter_map(parse)
        .max()
        .unwrap_or_default()
}

/// `Northern Star CSU` -> `NORTHERN-STAR-CSU`, cut after whole words to
/// keep a reference short enough to quote.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() && out.len() + word.len() + 1 > 24 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_uppercase());
    }
    if out.is_empty() { "CSU".into() } else { out }
}

fn uk_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn score_text(score: f64) -> String {
    if score.fract() == 0.0 { format!("{score:.0}") } else { format!("{score:.1}") }
}

/// Shortens evidence for the annex at a word boundary.
fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{} …", cut[..at].trim_end_matches([',', ';', ':', '.']))
}

/// Composes the letter for an evaluated assessment.
pub fn compose(
    plan: &Plan,
    framework: &Framework,
    assessment: &Assessment,
    evaluation: &Evaluation,
    templates: &Templates,
) -> Letter {
    let timestamp = last_change(assessment);
    let date = timestamp.date_naive();
    let code = verification_code(&fingerprint(assessment));
    let reference =
        format!("CP{}/{}/{}-{}", framework.checkpoint, slug(&plan.cover.csu_name), date.format("%Y%m%d"), &code[..4]);
    let outcome = framework.outcome(&evaluation.outcome.id);
    let is_last = framework.outcomes.last().is_some_and(|o| o.id == evaluation.outcome.id);
    let kind = if is_last {
        OutcomeKind::Fail
    } else if evaluation.outcome.requires_development_plan {
        OutcomeKind::Conditional
    } else {
        OutcomeKind::Pass
    };
    let wording = templates.for_outcome(&evaluation.outcome.id, kind);
    let named_md = plan.cover.managing_director.clone().filter(|m| !m.trim().is_empty());
    let md = named_md.clone().unwrap_or_else(|| "The Managing Director".into());
    let vars: BTreeMap<&str, String> = BTreeMap::from([
        ("csu_name", plan.cover.csu_name.clone()),
        ("managing_director", md.clone()),
        ("host_cluster", plan.cover.host_cluster.clone().unwrap_or_default()),
        ("checkpoint", framework.checkpoint.to_string()),
        (
            "plan_type",
            match plan.cover.plan_type {
                Some(PlanType::Full) => "full".into(),
                Some(PlanType::Outline) => "outline".into(),
                None => "business".into(),
            },
        ),
        ("plan_version", plan.cover.plan_version.clone().unwrap_or_else(|| "not stated".into())),
        ("submission_date", plan.cover.submission_date.map_or_else(|| "undated".into(), uk_date)),
        ("framework_title", framework.title.clone()),
        ("outcome", evaluation.outcome.label.clone()),
        ("outcome_meaning", outcome.map(|o| o.meaning.clone()).unwrap_or_default()),
        ("overall", evaluation.overall.map_or_else(|| "not scored".into(), |o| format!("{o:.1}%"))),
        ("date", uk_date(date)),
        ("reference", reference.clone()),
        ("scale_min", framework.scale.min.to_string()),
        ("scale_max", framework.scale.max.to_string()),
    ]);
    let t = |template: &str| fill(template, &vars);

    let mut body = vec![Block::Paragraph(t(&templates.text.opening)), Block::Heading("Decision".into())];
    body.push(Block::Emphasis(t(&wording.decision)));

    body.push(Block::Heading("Scores by domain".into()));
    body.push(Block::Paragraph(t(&templates.text.scores)));
    let mut rows: Vec<Vec<String>> = evaluation
        .domains
        .iter()
        .map(|d| {
            vec![
                d.title.clone(),
                format!("{:.0}%", d.weight),
                d.score.map_or_else(|| "-".into(), |s| format!("{s:.1}%")),
            ]
        })
        .collect();
    rows.push(vec![
        "Overall".into(),
        "100%".into(),
        evaluation.overall.map_or_else(|| "-".into(), |s| format!("{s:.1}%")),
    ]);
    body.push(Block::Table(Table {
        columns: vec![col("Domain", 0.6, false), col("Weight", 0.2, true), col("Score", 0.2, true)],
        bold_rows: vec![rows.len() - 1],
        rows,
    }));

    let max = f64::from(framework.scale.max);
    let titles: BTreeMap<&str, &str> = framework.criteria().map(|(_, c)| (c.id.as_str(), c.title.as_str())).collect();
    let scored = |keep: &dyn Fn(f64) -> bool| -> Vec<String> {
        evaluation
            .criteria
            .iter()
            .filter_map(|c| c.score.filter(|s| keep(*s)).map(|s| (c, s)))
            .map(|(c, s)| format!("{} ({}, scored {} of {})", c.title, c.id, score_text(s), framework.scale.max))
            .collect()
    };
    let mut strengths = scored(&|s| s >= max);
    strengths.extend(evaluation.strengths().map(in_words));
    if !strengths.is_empty() {
        body.push(Block::Heading("Strengths".into()));
        body.push(Block::Paragraph(t(&templates.text.strengths)));
        body.push(Block::Bullets(strengths));
    }
    let mut development = scored(&|s| s <= max / 2.0);
    development.extend(evaluation.concerns().map(in_words));
    if !development.is_empty() {
        body.push(Block::Heading("Areas for development".into()));
        body.push(Block::Paragraph(t(&templates.text.development)));
        body.push(Block::Bullets(development));
    }

    if kind == OutcomeKind::Conditional || (!assessment.actions.is_empty() && kind != OutcomeKind::Fail) {
        body.push(Block::Heading("Development plan".into()));
        if !wording.development_plan.is_empty() {
            body.push(Block::Paragraph(t(&wording.development_plan)));
        }
        let mut actions = assessment.actions.clone();
        actions.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| (a.id.len(), &a.id).cmp(&(b.id.len(), &b.id))));
        body.push(Block::Table(Table {
            columns: vec![col("Action", 0.55, false), col("Owner", 0.25, false), col("Due by", 0.2, false)],
            rows: actions
                .iter()
                .map(|a| {
                    let about = a.criterion.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                    vec![format!("{}{about}", a.action), a.owner.clone(), uk_date(a.due)]
                })
                .collect(),
            bold_rows: Vec::new(),
        }));
    }

    if kind == OutcomeKind::Fail {
        body.push(Block::Heading("Criteria not met".into()));
        if !wording.not_met.is_empty() {
            body.push(Block::Paragraph(t(&wording.not_met)));
        }
        let mut not_met: Vec<String> = evaluation
            .criteria
            .iter()
            .filter(|c| c.gateway_met == Some(false))
            .map(|c| {
                format!(
                    "{} ({}): scored {}, below the minimum of {} this criterion requires to pass",
                    c.title,
                    c.id,
                    score_text(c.score.unwrap_or_default()),
                    c.gateway.unwrap_or_default()
                )
            })
            .collect();
        not_met.extend(
            evaluation
                .criteria
                .iter()
                .filter(|c| c.gateway_met != Some(false) && c.score.is_some_and(|s| s < max / 2.0))
                .map(|c| {
                    format!(
                        "{} ({}): scored {} of {}",
                        c.title,
                        c.id,
                        score_text(c.score.unwrap_or_default()),
                        framework.scale.max
                    )
                }),
        );
        if let Some(o) = evaluation.overall {
            let pass_mark = framework.outcomes.iter().rev().nth(1).map_or(0.0, |o| o.min);
            if o < pass_mark {
                not_met.push(format!(
                    "The overall score of {o:.1}% is below the {pass_mark:.0}% needed for any other outcome"
                ));
            }
        }
        body.push(Block::Bullets(not_met));
    }

    body.push(Block::Heading("Next steps".into()));
    body.push(Block::Paragraph(t(&wording.next_steps)));

    let mut annex = vec![Block::Paragraph(t(&templates.text.annex_intro))];
    annex.push(Block::Table(Table {
        columns: vec![col("Criterion", 0.3, false), col("Score", 0.1, true), col("Evidence and rationale", 0.6, false)],
        rows: evaluation
            .criteria
            .iter()
            .map(|c| {
                let score = match (c.score, c.capped_at) {
                    (Some(s), Some(_)) => {
                        format!("{} (scored {}, capped)", score_text(s), score_text(c.assessed.unwrap_or(s)))
                    }
                    (Some(s), None) => score_text(s),
                    (None, _) => "not scored".into(),
                };
                let mut evidence: Vec<String> = Vec::new();
                if let Some(r) = &c.rationale {
                    evidence.push(format!("Panel: {}", excerpt(r, 300)));
                }
                if c.state != ScoreState::Consensus || evidence.is_empty() {
                    evidence.extend(
                        c.panel
                            .iter()
                            .filter(|p| !p.evidence.is_empty())
                            .map(|p| format!("{}: {}", p.assessor, excerpt(&p.evidence, 300))),
                    );
                }
                let title = titles.get(c.id.as_str()).copied().unwrap_or_default();
                vec![format!("{} {title}", c.id), score, evidence.join("\n")]
            })
            .collect(),
        bold_rows: Vec::new(),
    }));

    let mut addressee = match &named_md {
        Some(name) => vec![name.clone(), "Managing Director".to_string()],
        None => vec!["The Managing Director".to_string()],
    };
    addressee.push(plan.cover.csu_name.clone());
    if let Some(host) = &plan.cover.host_cluster {
        addressee.push(format!("c/o {host}"));
    }
    Letter {
        organisation: templates.letterhead.organisation.clone(),
        parent: templates.letterhead.parent.clone(),
        address: templates.letterhead.address.clone(),
        contact: templates.letterhead.contact.clone(),
        date,
        timestamp,
        reference,
        addressee,
        salutation: format!("Dear {},", named_md.as_deref().unwrap_or("Managing Director")),
        subject: t(&templates.text.subject),
        body,
        closing: templates.signatory.closing.clone(),
        signatory: templates.signatory.name.clone(),
        signatory_title: templates.signatory.title.clone(),
        annex_title: t(&templates.text.annex_title),
        annex,
        fingerprint: fingerprint(assessment),
        code,
        draft: evaluation.outcome.provisional,
    }
}

/// A check's finding for a letter: what it means, then the figures.
fn in_words(check: &crate::scoring::CheckResult) -> String {
    if check.figures.is_empty() {
        capitalise(&check.meaning)
    } else {
        format!("{}: {}", capitalise(&check.meaning), check.figures)
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
