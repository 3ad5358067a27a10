//! What a letter says, decided from an evaluation and its assessment,
//! before anything is laid out on a page.
//!
//! Nothing here reads the clock or the machine: the date is passed in, so
//! the same assessment and date always give the same letter.

use super::templates::{OutcomeKind, Templates, fill};
use crate::assessment::Assessment;
use crate::criteria::Framework;
use crate::plan::{Plan, PlanType};
use crate::scoring::Evaluation;
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
    /// Who receives a copy, named after the signature.
    pub copies: Vec<String>,
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

/// Evidence as one run of text: whitespace made single, never cut.
fn whole(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The assessors' evidence for a criterion, or the panel's rationale.
fn evidence_of(c: &crate::scoring::CriterionResult) -> Option<String> {
    c.rationale.as_deref().map(whole).or_else(|| c.panel.iter().map(|p| whole(&p.evidence)).find(|e| !e.is_empty()))
}

/// Words a full stop follows without ending a sentence.
const ABBREVIATIONS: [&str; 12] = ["Dr", "Mr", "Mrs", "Ms", "Prof", "St", "No", "e.g", "i.e", "etc", "vs", "approx"];

/// The first sentence of a text, whole: up to and including its first full
/// stop, question or exclamation mark followed by a space and a capital or
/// a figure, where the stop does not close an initial ("A. Patel") or an
/// abbreviation ("Dr. Shah"); all of it if none. A body that quotes evidence
/// never cuts it inside a sentence.
fn first_sentence(text: &str) -> String {
    let ends_here = |i: usize, c: char| {
        if !matches!(c, '.' | '?' | '!') {
            return false;
        }
        let after = &text[i + c.len_utf8()..];
        let next = after.strip_prefix(' ').and_then(|rest| rest.trim_start().chars().next());
        if !next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || n == '(' || n == '\u{201c}') {
            return false;
        }
        if c != '.' {
            return true;
        }
        let word = text[..i].rsplit(|w: char| w.is_whitespace() || w == '(').next().unwrap_or_default();
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        !initial && !ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    };
    match text.char_indices().find(|&(i, c)| ends_here(i, c)) {
        Some((i, c)) => text[..i + c.len_utf8()].to_string(),
        None => text.to_string(),
    }
}

/// Why a criterion was capped, from the concerns that capped it.
fn cap_reasons(evaluation: &Evaluation, c: &crate::scoring::CriterionResult) -> Option<String> {
    let why: Vec<String> =
        evaluation.concerns().filter(|k| k.criterion == c.id && k.cap == c.capped_at).map(in_words).collect();
    (!why.is_empty()).then(|| decapitalise(&why.join("; ")))
}

/// The bands of the outcomes, best first, in a sentence.
/// A cause of a fail in the wording file's sentence for it, with its figures.
fn cause_sentence(causes: &super::templates::Causes, cause: &crate::scoring::FailCause) -> String {
    use crate::scoring::FailCause;
    let percent = |p: f64| format!("{}%", trim_number(p));
    let (template, vars): (&str, Vec<(&str, String)>) = match cause {
        FailCause::Gateways(ids) if ids.len() == 1 => (&causes.gateway, vec![("criteria", ids[0].clone())]),
        FailCause::Gateways(ids) => (
            &causes.gateways,
            vec![("criteria", crate::assessment::rules::listed(&ids.iter().map(String::as_str).collect::<Vec<_>>()))],
        ),
        FailCause::Overall { overall, needed, outcome } => (
            &causes.overall,
            vec![
                ("overall", crate::scoring::percent(*overall)),
                ("needed", percent(*needed)),
                ("outcome", outcome.clone()),
            ],
        ),
        FailCause::Domain { title, score, floor, outcome } => (
            &causes.domain,
            vec![
                ("domain", title.clone()),
                ("score", crate::scoring::percent(*score)),
                ("floor", percent(*floor)),
                ("outcome", outcome.clone()),
            ],
        ),
        FailCause::ActionsNotMet(1) => (&causes.action, Vec::new()),
        FailCause::ActionsNotMet(n) => (&causes.actions, vec![("count", n.to_string())]),
    };
    fill(template, &vars.into_iter().collect())
}

/// What a level means for a criterion: its own descriptor, else the
/// scale's; a score between levels (a panel's median) is between their
/// meanings.
fn level_meaning(framework: &Framework, id: &str, score: f64) -> Option<String> {
    let descriptors = framework
        .criterion(id)
        .map(|c| &c.descriptors)
        .filter(|d| !d.is_empty())
        .unwrap_or(&framework.scale.descriptors);
    let at = |level: f64| {
        let index = usize::try_from(level as i64 - i64::from(framework.scale.min)).ok()?;
        descriptors.get(index).cloned()
    };
    if score.fract() == 0.0 {
        at(score).map(|d| format!("\"{d}\""))
    } else {
        Some(format!("between \"{}\" and \"{}\"", at(score.floor())?, at(score.ceil())?))
    }
}

fn bands(framework: &Framework) -> String {
    let n = framework.outcomes.len();
    let each: Vec<String> = framework
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| match i {
            0 => format!("{}, {:.0}% and above", o.label, o.min),
            _ if i + 1 == n => format!("{}, below {:.0}%", o.label, o.max),
            _ => format!("{}, {:.0}% to under {:.0}%", o.label, o.min, o.max),
        })
        .collect();
    format!("The outcome bands are: {}.", each.join("; "))
}

/// How far the result is from another outcome, in words: which criteria,
/// scored one level differently, would have changed it.
fn margin(framework: &Framework, evaluation: &Evaluation) -> String {
    let sentences = crate::scoring::sensitivity::score_changes_in_words(framework, &evaluation.sensitivity);
    if sentences.is_empty() {
        return "No single criterion scored one level higher or lower would have changed the outcome.".into();
    }
    sentences.join(" ")
}

/// Who decided: the panel and its chair's sign-off, or the assessor.
fn who_decided(assessment: &Assessment, draft: bool) -> String {
    // Who decided, truthfully: a member who declared an interest took no
    // part, so is named as standing aside, never as one of the panel.
    let aside = |name: &str| assessment.interests.iter().any(|i| i.member == name);
    let people: Vec<String> =
        assessment.assessors.iter().filter(|a| !aside(&a.name)).map(|a| format!("{} ({})", a.name, a.role)).collect();
    let people_ref: Vec<&str> = people.iter().map(String::as_str).collect();
    let stood_aside: Vec<&str> = assessment.interests.iter().map(|i| i.member.as_str()).collect();
    let aside_said = match stood_aside.len() {
        0 => String::new(),
        1 => format!(" {} stood aside, having declared an interest, and took no part.", stood_aside[0]),
        _ => format!(
            " {} stood aside, having declared interests, and took no part.",
            crate::assessment::rules::listed(&stood_aside)
        ),
    };
    if assessment.assessors.len() <= 1 {
        let verb = if draft { "is being assessed" } else { "was assessed" };
        return format!("The plan {verb} by {}.", crate::assessment::rules::listed(&people_ref));
    }
    let signed = match &assessment.sign_off {
        Some(s) => {
            let day =
                chrono::DateTime::parse_from_rfc3339(&s.at).map_or_else(|_| s.at.clone(), |d| uk_date(d.date_naive()));
            format!(" The chair, {}, signed off the panel's result on {day}.", s.chair)
        }
        None => " The chair has not signed off the panel's result.".to_string(),
    };
    format!("The assessment panel: {}.{aside_said}{signed}", crate::assessment::rules::listed(&people_ref))
}

/// When the CSU's leaders were interviewed, and by whom: said once the
/// panel has recorded an agreed account and the day has come (before that
/// the record does not show the interview was held).
fn leaders_interviewed(assessment: &Assessment, date: NaiveDate) -> Option<String> {
    let interview = &assessment.leaders;
    // Held: an account is recorded, and the day is not after the letter's.
    let schedule =
        interview.schedule.as_ref().filter(|s| interview.held() && s.day().is_some_and(|day| day <= date))?;
    let people: Vec<String> = schedule.csu.iter().map(|p| format!("{} ({})", p.name, p.role)).collect();
    let people: Vec<&str> = people.iter().map(String::as_str).collect();
    let panel: Vec<&str> = schedule.panel.iter().map(String::as_str).collect();
    let day = schedule.day().map_or_else(|| schedule.at.clone(), uk_date);
    let by = if panel.is_empty() { String::new() } else { format!(" by {}", crate::assessment::rules::listed(&panel)) };
    Some(format!(
        "The CSU's leaders, {}, were interviewed on {day} ({}){by}; the annex gives the panel's agreed account of each answer the evidence cites.",
        crate::assessment::rules::listed(&people),
        schedule.place
    ))
}

/// Composes the letter for an evaluated assessment, dated `date` (the
/// caller's clock, so the same assessment and date give the same letter):
/// a draft while the outcome is provisional.
pub fn compose(
    plan: &Plan,
    framework: &Framework,
    assessment: &Assessment,
    evaluation: &Evaluation,
    templates: &Templates,
    date: NaiveDate,
) -> Letter {
    compose_as(plan, framework, assessment, evaluation, templates, date, false)
}

/// [`compose`], as a draft whatever the record's state when `draft_asked`:
/// a draft of a complete record, made to read before issuing, is marked
/// on every page and in its metadata like any other, never the same as the
/// letter that decides.
pub fn compose_as(
    plan: &Plan,
    framework: &Framework,
    assessment: &Assessment,
    evaluation: &Evaluation,
    templates: &Templates,
    date: NaiveDate,
    draft_asked: bool,
) -> Letter {
    let timestamp = date.and_hms_opt(12, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let provisional = evaluation.outcome.provisional;
    // A letter whose wording lacks what a final letter must say (whom to
    // contact, how to ask for a review, whether to resubmit) is a draft.
    let unfilled = templates.unfilled();
    let draft = provisional || draft_asked || !unfilled.is_empty();
    let code = verification_code(&fingerprint(assessment));
    let reference = format!(
        "{}CP{}/{}/{}-{}",
        if draft { "DRAFT-" } else { "" },
        framework.checkpoint,
        slug(&plan.cover.csu_name),
        date.format("%Y%m%d"),
        &code[..4]
    );
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
    let outcome_label = if !evaluation.decided {
        "not yet decided".to_string()
    } else if provisional {
        format!("{} (provisional)", evaluation.outcome.label)
    } else if draft {
        format!("{} (draft, not issued)", evaluation.outcome.label)
    } else {
        evaluation.outcome.label.clone()
    };
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
        ("outcome", outcome_label),
        ("outcome_meaning", outcome.map(|o| o.meaning.clone()).unwrap_or_default()),
        ("overall", evaluation.overall.map_or_else(|| "not scored".into(), crate::scoring::percent)),
        ("date", uk_date(date)),
        ("reference", reference.clone()),
        ("scale_min", framework.scale.min.to_string()),
        ("scale_max", framework.scale.max.to_string()),
        // Who scored, truthfully: a sole assessor is no panel.
        ("panel", if assessment.assessors.len() > 1 { "the panel" } else { "the assessor" }.into()),
        ("Panel", if assessment.assessors.len() > 1 { "The panel" } else { "The assessor" }.into()),
        (
            "contact",
            templates.contact.as_ref().map_or_else(
                || "[the contact the BDU's wording gives]".to_string(),
                |c| {
                    let role = if c.role.trim().is_empty() { String::new() } else { format!(", {}", c.role.trim()) };
                    format!("{}{role}, telephone {}, e-mail {}", c.name.trim(), c.telephone.trim(), c.email.trim())
                },
            ),
        ),
    ]);
    let t = |template: &str| fill(template, &vars);
    let titles: BTreeMap<&str, &str> = framework.criteria().map(|(_, c)| (c.id.as_str(), c.title.as_str())).collect();

    // Page 1: the decision, and why.
    let mut body = vec![Block::Paragraph(t(&templates.text.opening)), Block::Heading("Decision".into())];
    body.push(Block::Emphasis(if draft && !evaluation.decided {
        format!(
            "No decision has been made: {} of {} criteria are scored, too few for the scores to decide the outcome.",
            evaluation.scored_count(),
            evaluation.criteria.len()
        )
    } else if provisional {
        format!(
            "No decision has been made. Were the assessment completed as it stands, the outcome would be: {}.",
            evaluation.outcome.label
        )
    } else if draft {
        format!(
            "This is a draft, not the decision: the decision is the letter the panel issues. As the record stands, the outcome is: {}.",
            evaluation.outcome.label
        )
    } else {
        t(&wording.decision)
    }));
    // A fail states its actual cause, with its figures, where the decision
    // is; while criteria are unscored, only the causes no score still to
    // come can undo (a gateway failed, a development plan not met).
    let unscored_count = evaluation.criteria.iter().filter(|c| c.score.is_none()).count();
    let mut causes = crate::scoring::fail_causes(framework, evaluation);
    if unscored_count > 0 {
        causes.retain(|c| {
            matches!(c, crate::scoring::FailCause::Gateways(_) | crate::scoring::FailCause::ActionsNotMet(_))
        });
    }
    // Failed gateways are set out in full below, under the gateway rule.
    let each = if causes.len() > 1 { ", each enough on its own" } else { "" };
    let stated: Vec<String> = causes
        .iter()
        .filter(|c| !matches!(c, crate::scoring::FailCause::Gateways(_)))
        .map(|c| format!("Because {}{each}.", cause_sentence(&templates.causes, c)))
        .collect();
    if !stated.is_empty() {
        body.push(Block::Bullets(stated));
    }
    if let (Some((low, high)), true) = (evaluation.possible, draft) {
        body.push(Block::Paragraph(format!(
            "Still open: {unscored_count} of {} criteria are not yet scored; with them, the overall score can end anywhere from {} to {}.",
            evaluation.criteria.len(),
            crate::scoring::percent(low),
            crate::scoring::percent(high)
        )));
    }
    if provisional {
        body.push(Block::Paragraph(
            if evaluation.decided {
                "This outcome is provisional: the assessment is not complete, and this draft decides nothing. Still to be done:"
            } else {
                "The assessment is not complete, and this draft decides nothing. Still to be done:"
            }
            .into(),
        ));
        body.push(Block::Bullets(evaluation.missing.clone()));
    }
    if !evaluation.unmet_actions.is_empty() {
        body.push(Block::Heading("Development plan not met".into()));
        let consequence = if framework.unmet_action_fails {
            "A development plan agreed at an earlier checkpoint binds the CSU: an action not met fails the plan, whatever its scores."
        } else {
            "The panel found these actions of the development plan agreed at an earlier checkpoint not met, and took that into account."
        };
        body.push(Block::Paragraph(consequence.into()));
        body.push(Block::Bullets(evaluation.unmet_actions.clone()));
    }
    let failed: Vec<&crate::scoring::CriterionResult> =
        evaluation.criteria.iter().filter(|c| c.gateway_met == Some(false)).collect();
    if !failed.is_empty() {
        body.push(Block::Paragraph(format!(
            "{}{}",
            if causes.len() > 1 { "And because gateway criteria are below their minimum. " } else { "" },
            t(&templates.text.gateway_rule)
        )));
        body.push(Block::Bullets(
            failed
                .iter()
                .map(|c| {
                    let counted = score_text(c.score.unwrap_or_default());
                    let scored = match (c.capped_at, c.assessed) {
                        (Some(_), Some(a)) => format!(
                            "scored {} and capped at {counted} ({})",
                            score_text(a),
                            cap_reasons(evaluation, c).unwrap_or_else(|| "a concern in the plan's figures".into())
                        ),
                        _ => format!("scored {counted}"),
                    };
                    let why = evidence_of(c).map(|e| format!(". {}", first_sentence(&e))).unwrap_or_default();
                    format!(
                        "{} {}: {scored}, below its minimum of {}{why}",
                        c.id,
                        c.title,
                        c.gateway.unwrap_or_default()
                    )
                })
                .collect(),
        ));
    }
    if let Some(overall) = evaluation.overall.filter(|_| evaluation.decided) {
        let (so_far, margin) = if unscored_count > 0 {
            (" of the criteria scored so far", String::new())
        } else {
            ("", margin(framework, evaluation))
        };
        body.push(Block::Paragraph(format!(
            "{} The overall score{so_far} is {}. {margin}",
            bands(framework),
            crate::scoring::percent(overall)
        )));
    }
    body.push(Block::Paragraph(who_decided(assessment, draft)));
    if let Some(said) = leaders_interviewed(assessment, date) {
        body.push(Block::Paragraph(said));
    }
    // A letter after a reopening says which letter it replaces, and why.
    if let Some((earlier, issued)) = assessment.last_letter() {
        let at = &issued.at;
        let why = assessment
            .audit
            .iter()
            .rev()
            .find_map(|e| match &e.change {
                crate::assessment::Change::Reopened { reason } => {
                    Some(format!(", after the result was reopened: {}", whole(reason).trim_end_matches('.')))
                }
                _ => None,
            })
            .unwrap_or_default();
        body.push(Block::Paragraph(format!(
            "This letter replaces the letter {earlier} of {}{why}.",
            chrono::DateTime::parse_from_rfc3339(at).map_or(at.clone(), |d| uk_date(d.date_naive()))
        )));
    }
    // The review route is for a decision: a draft shows only where it goes.
    if templates.text.review.trim().is_empty() {
        body.push(Block::Paragraph("[The review route goes here, from the BDU's letter wording: how, where and by when to ask for a review, who decides it, and whether an independent appeal follows.]".into()));
    } else if !draft {
        body.push(Block::Paragraph(t(&templates.text.review)));
    }
    if draft && !unfilled.is_empty() {
        body.push(Block::Paragraph(format!(
            "This draft cannot be issued as it stands: the letter wording does not yet give {}.",
            crate::assessment::rules::listed(
                &unfilled.iter().map(|u| u.split(':').next().unwrap_or(u)).collect::<Vec<_>>()
            )
        )));
    }

    body.push(Block::Heading("Scores by domain".into()));
    body.push(Block::Paragraph(t(&templates.text.scores)));
    let mut rows: Vec<Vec<String>> = evaluation
        .domains
        .iter()
        .map(|d| {
            vec![
                d.title.clone(),
                format!("{:.0}%", d.weight),
                d.score.map_or_else(|| "-".into(), crate::scoring::percent),
            ]
        })
        .collect();
    rows.push(vec![
        if unscored_count > 0 { "Overall, of the criteria scored so far".into() } else { "Overall".into() },
        "100%".into(),
        evaluation.overall.map_or_else(|| "-".into(), crate::scoring::percent),
    ]);
    body.push(Block::Table(Table {
        columns: vec![col("Domain", 0.6, false), col("Weight", 0.2, true), col("Score", 0.2, true)],
        bold_rows: vec![rows.len() - 1],
        rows,
    }));

    body.extend(ccgs_view(plan, framework, assessment));

    // Checks the figures could not feed are said, not passed over.
    let unchecked: Vec<String> = evaluation
        .unchecked()
        .map(|k| format!("{} ({}): {}", crate::assessment::rules::capitalised(&k.meaning), k.criterion, k.explanation))
        .collect();
    if !unchecked.is_empty() {
        body.push(Block::Heading("Checks that could not be made".into()));
        body.push(Block::Paragraph(
            "These checks could not be made, for the reason each gives; none of them lowered or raised a score:".into(),
        ));
        body.push(Block::Bullets(unchecked));
    }

    // Every scored criterion once, placed by the framework's own yardstick
    // (the level that meets a criterion), never by the letter's other
    // scores, with its level's meaning, its cap where it was capped, the
    // evidence, and the plan's figures where a check bears on it. A failed
    // gateway is set out above, under the gateway rule.
    let meets = f64::from(framework.scale.meets);
    let bullet = |c: &crate::scoring::CriterionResult,
                  s: f64,
                  checks: &mut dyn Iterator<Item = &crate::scoring::CheckResult>| {
        let mut text = format!("{} ({}), {} of {}", c.title, c.id, score_text(s), framework.scale.max);
        if let Some(meaning) = level_meaning(framework, &c.id, s) {
            text += &format!(", {meaning}");
        }
        if let (Some(cap), Some(assessed)) = (c.capped_at, c.assessed) {
            text += &format!(
                " (scored {} and capped at {cap}: {})",
                score_text(assessed),
                cap_reasons(evaluation, c).unwrap_or_else(|| "a concern in the plan's figures".into())
            );
        }
        if let Some(e) = evidence_of(c) {
            text += &format!(". {}", first_sentence(&e));
        }
        // A cap's reasons are given with the cap, not again.
        for k in checks.filter(|k| k.criterion == c.id && !(c.capped_at.is_some() && k.cap.is_some())) {
            text += &format!(" {}.", in_words(k));
        }
        text
    };
    let placed: Vec<(&crate::scoring::CriterionResult, f64)> = evaluation
        .criteria
        .iter()
        .filter(|c| c.gateway_met != Some(false))
        .filter_map(|c| c.score.map(|s| (c, s)))
        .collect();
    let group = |keep: &dyn Fn(f64) -> bool, concerns: bool| -> Vec<String> {
        placed
            .iter()
            .filter(|(_, s)| keep(*s))
            .map(|(c, s)| {
                if concerns {
                    bullet(c, *s, &mut evaluation.concerns())
                } else {
                    bullet(c, *s, &mut evaluation.strengths())
                }
            })
            .collect()
    };
    let sections = [
        ("Strengths", t(&templates.text.strengths), group(&|s| s > meets, false)),
        ("Criteria met", t(&templates.text.met), group(&|s| s == meets, false)),
        if kind == OutcomeKind::Fail {
            (
                "Below the level that meets the criterion",
                if wording.not_met.is_empty() { t(&templates.text.development) } else { t(&wording.not_met) },
                group(&|s| s < meets, true),
            )
        } else {
            ("Areas for development", t(&templates.text.development), group(&|s| s < meets, true))
        },
    ];
    for (heading, intro, bullets) in sections {
        if !bullets.is_empty() {
            body.push(Block::Heading(heading.into()));
            body.push(Block::Paragraph(intro));
            body.push(Block::Bullets(bullets));
        }
    }
    let unscored: Vec<String> =
        evaluation.criteria.iter().filter(|c| c.score.is_none()).map(|c| format!("{} ({})", c.title, c.id)).collect();
    if !unscored.is_empty() {
        body.push(Block::Heading("Not yet scored".into()));
        body.push(Block::Bullets(unscored));
    }

    if !assessment.actions.is_empty() && kind != OutcomeKind::Fail {
        body.push(Block::Heading(if draft { "Proposed development plan" } else { "Development plan" }.into()));
        body.push(Block::Paragraph(if draft {
            "The actions below are proposed; no development plan is agreed until the assessment is complete.".into()
        } else if !wording.development_plan.is_empty() {
            t(&wording.development_plan)
        } else {
            "These actions are recommended to the CSU; they are not a condition of this outcome.".into()
        }));
        let mut actions = assessment.actions.clone();
        actions.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| (a.id.len(), &a.id).cmp(&(b.id.len(), &b.id))));
        body.push(Block::Table(Table {
            columns: vec![
                col("No.", 0.07, true),
                col("Action", 0.5, false),
                col("Owner", 0.25, false),
                col("Due by", 0.18, false),
            ],
            rows: actions
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let about = a.criterion.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                    vec![(i + 1).to_string(), format!("{}{about}", a.action), a.owner.clone(), uk_date(a.due)]
                })
                .collect(),
            bold_rows: Vec::new(),
        }));
    }

    body.push(Block::Heading("Next steps".into()));
    // A draft names no next step of an outcome not yet reached.
    body.push(Block::Paragraph(if draft && (provisional || !evaluation.decided) {
        "The next steps follow the decision, in the letter the Business Development Unit issues once the assessment is complete.".into()
    } else {
        t(&wording.next_steps)
    }));

    if kind == OutcomeKind::Fail || templates.text.resubmission.trim().is_empty() {
        body.push(Block::Heading("Resubmission".into()));
        body.push(Block::Paragraph(if templates.text.resubmission.trim().is_empty() {
            "[Whether and when the CSU may resubmit goes here, from the BDU's letter wording.]".into()
        } else {
            t(&templates.text.resubmission)
        }));
    }
    body.push(Block::Heading("Contact".into()));
    body.push(Block::Paragraph(format!("About this letter, please contact {}.", t("{contact}"))));
    body.push(Block::Paragraph(t(&templates.text.other_formats)));
    // Copies go to the CSU's host cluster and the CCGs its plan lists,
    // named after the signature as a letter does.
    let copies: Vec<String> = plan
        .cover
        .host_cluster
        .iter()
        .cloned()
        .chain(plan.customers.iter().map(|c| c.ccg.clone()).filter(|c| !c.trim().is_empty()))
        .collect();

    let mut annex = vec![Block::Paragraph(t(&templates.text.annex_intro))];
    annex.push(Block::Table(Table {
        columns: vec![col("Criterion", 0.3, false), col("Score", 0.1, true), col("Evidence and rationale", 0.6, false)],
        rows: evaluation
            .criteria
            .iter()
            .map(|c| {
                let score = c.score.map_or_else(|| "not scored".into(), score_text);
                let mut evidence: Vec<String> = Vec::new();
                if let (Some(cap), Some(assessed)) = (c.capped_at, c.assessed) {
                    let why: Vec<String> = cap_reasons(evaluation, c).into_iter().collect();
                    evidence.push(format!(
                        "Scored {} by the {}, and capped at {cap} because {}.",
                        score_text(assessed),
                        if assessment.assessors.len() > 1 { "panel" } else { "assessor" },
                        if why.is_empty() {
                            "a check on the plan's figures raised a concern".to_string()
                        } else {
                            why.join("; ")
                        }
                    ));
                }
                if let Some(r) = &c.rationale {
                    evidence.push(format!("Panel: {}", whole(r)));
                }
                let several = c.panel.len() > 1;
                evidence.extend(c.panel.iter().filter(|p| several || !p.evidence.is_empty()).map(|p| {
                    let level = if several { format!(" ({})", p.score) } else { String::new() };
                    let said =
                        if p.evidence.is_empty() { "no evidence recorded".to_string() } else { whole(&p.evidence) };
                    format!("{}{level}: {said}", p.assessor)
                }));
                for d in assessment.discussions.iter().filter(|d| d.criterion == c.id) {
                    evidence.push(format!("Discussed: {}", whole(&d.note)));
                }
                // What the evidence cites of the leaders' interview, as the
                // panel agreed it was said.
                let texts = c.panel.iter().map(|p| p.evidence.as_str()).chain(c.rationale.as_deref());
                let mut cites: Vec<String> = Vec::new();
                for id in texts.flat_map(crate::leaders::cited) {
                    if !cites.contains(&id) {
                        cites.push(id);
                    }
                }
                for id in cites {
                    let question = assessment
                        .leaders
                        .question(&id)
                        .map_or("a question no longer in the script", |q| q.text.as_str());
                    let answer = assessment
                        .leaders
                        .account(&id)
                        .map_or_else(|| "no agreed account is recorded".to_string(), |a| whole(&a.text));
                    evidence.push(format!("[{id}] {question} Agreed account: {answer}"));
                }
                let title = titles.get(c.id.as_str()).copied().unwrap_or_default();
                vec![format!("{} {title}", c.id), score, evidence.join("\n")]
            })
            .collect(),
        bold_rows: Vec::new(),
    }));
    annex.extend(arithmetic(framework, evaluation));
    if !assessment.interests.is_empty() {
        annex.push(Block::Heading("Declared interests".into()));
        annex.push(Block::Paragraph(
            "These members declared an interest in the CSU and stood aside: any scores they recorded are not part of the result."
                .into(),
        ));
        annex.push(Block::Bullets(
            assessment
                .interests
                .iter()
                .map(|i| format!("{}: {} (declared {})", i.member, whole(&i.interest), crate::when::local(&i.at)))
                .collect(),
        ));
    }

    if !templates.text.glossary.is_empty() {
        annex.push(Block::Heading("Terms used in this letter".into()));
        annex.push(Block::Bullets(templates.text.glossary.iter().map(|g| t(g)).collect()));
    }

    let mut addressee = match &named_md {
        Some(name) => vec![name.clone(), "Managing Director".to_string()],
        None => vec!["The Managing Director".to_string()],
    };
    addressee.push(plan.cover.csu_name.clone());
    if let Some(host) = &plan.cover.host_cluster {
        addressee.push(format!("c/o {host}"));
    }
    // A draft is signed by no one.
    let (closing, signatory, signatory_title) = if draft {
        ("This draft is not signed and is not for issue.".to_string(), String::new(), String::new())
    } else {
        let on = match (&assessment.sign_off, assessment.assessors.first()) {
            (Some(s), _) => format!("on the assessment of the panel chaired by {}", s.chair),
            (None, Some(a)) => format!("on the assessment of {}", a.name),
            (None, None) => String::new(),
        };
        let title = if on.is_empty() {
            templates.signatory.title.clone()
        } else {
            format!("{}\n{}", templates.signatory.title, crate::assessment::rules::capitalised(&on))
        };
        (templates.signatory.closing.clone(), templates.signatory.name.clone(), title)
    };
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
        subject: format!("{}{}", if draft { "DRAFT: " } else { "" }, t(&templates.text.subject)),
        body,
        closing,
        signatory,
        signatory_title,
        copies,
        annex_title: t(&templates.text.annex_title),
        annex,
        fingerprint: fingerprint(assessment),
        code,
        draft,
    }
}

/// How every figure of the letter was worked out, for a reader to
/// recompute by hand: the framework it was scored against, each
/// criterion's weight, gateway minimum and score as a share of the scale,
/// each domain's and the overall weighted means, and the outcome bands.
/// What the CCGs said: who was interviewed, by whom and when, the CCGs'
/// figures, and each claim of the plan they contradicted. Said wherever the
/// framework holds CCG interviews or any was held.
fn ccgs_view(plan: &Plan, framework: &Framework, assessment: &Assessment) -> Vec<Block> {
    let interviews = &assessment.ccg_interviews;
    if framework.ccg_interviews.is_none() && interviews.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Block::Heading("What the CCGs said".into())];
    let missing = crate::ccg::not_interviewed(plan, assessment);
    let held = plan.customers.len() - missing.len();
    out.push(Block::Paragraph(format!(
        "The Business Development Unit interviewed {held} of the {} CCGs the plan lists{}:",
        plan.customers.len(),
        if interviews.len() > held { ", and CCGs the plan does not list" } else { "" }
    )));
    out.push(Block::Bullets(
        interviews
            .iter()
            .map(|i| {
                format!(
                    "{}: {} ({}), by {} on {}, interviewed by {}",
                    i.account.ccg,
                    i.account.interviewee,
                    i.account.interviewee_role,
                    crate::ccg::Choice::label(i.account.how).to_lowercase(),
                    uk_date(i.account.held_on),
                    i.by
                )
            })
            .collect(),
    ));
    if !missing.is_empty() {
        out.push(Block::Paragraph(format!(
            "Not interviewed: {}. The CCGs' figures are given only once every CCG is interviewed.",
            crate::assessment::rules::listed(&missing)
        )));
    }
    let sentences = crate::ccg::figures::sentences(plan, assessment);
    if !sentences.is_empty() {
        out.push(Block::Paragraph("Their answers, weighted by registered population:".into()));
        out.push(Block::Bullets(
            sentences.iter().map(|s| format!("{}.", crate::assessment::rules::capitalised(s))).collect(),
        ));
    }
    let claims: Vec<String> = crate::ccg::contradictions::find(plan, assessment)
        .into_iter()
        .filter(|c| c.is_claim())
        .map(|c| {
            format!(
                "{} ({}): {}.",
                crate::assessment::rules::capitalised(&c.finding.message),
                c.finding.location(),
                c.interview
            )
        })
        .collect();
    if claims.is_empty() && !interviews.is_empty() {
        out.push(Block::Paragraph("The CCGs interviewed contradicted none of the plan's claims.".into()));
    } else if !claims.is_empty() {
        out.push(Block::Paragraph("The CCGs contradicted these claims of the plan:".into()));
        out.push(Block::Bullets(claims));
    }
    out
}

fn arithmetic(framework: &Framework, evaluation: &Evaluation) -> Vec<Block> {
    let scale = &framework.scale;
    let share = |s: f64| crate::scoring::percent(100.0 * scale.fraction(s));
    let mut out = vec![
        Block::Heading("How the scores were worked out".into()),
        Block::Paragraph(format!(
            "The plan was scored against the framework {} ({}), version {}, whose criteria file has the SHA-256 fingerprint {}. Each criterion is scored from {} to {}; {} meets a criterion. A score counts as its share of the scale: (score - {}) / {}. A domain's score is the mean of its criteria's shares, each weighted by the criterion's weight; the overall score is the mean of the domains' scores, each weighted by the domain's weight. Only scored criteria count. A score the plan's own figures cap counts at the cap.",
            framework.title,
            framework.id,
            framework.version,
            framework.fingerprint,
            scale.min,
            scale.max,
            scale.meets,
            scale.min,
            scale.max - scale.min
        )),
    ];
    let results: BTreeMap<&str, &crate::scoring::CriterionResult> =
        evaluation.criteria.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut rows = Vec::new();
    let mut domain_rows = Vec::new();
    for (domain, result) in framework.domains.iter().zip(&evaluation.domains) {
        let mut terms = Vec::new();
        let mut weights = Vec::new();
        for c in &domain.criteria {
            let r = results.get(c.id.as_str());
            let score = r.and_then(|r| r.score);
            let counted = match (r.and_then(|r| r.capped_at), r.and_then(|r| r.assessed), score) {
                (Some(cap), Some(a), Some(_)) => format!("{} capped at {cap}", score_text(a)),
                (_, _, Some(s)) => score_text(s),
                _ => "not scored".into(),
            };
            rows.push(vec![
                format!("{} {}", c.id, c.title),
                trim_number(c.weight),
                c.gateway.map_or_else(|| "-".into(), |g| g.to_string()),
                counted,
                score.map_or_else(|| "-".into(), share),
            ]);
            if let Some(s) = score {
                terms.push(format!("{} x {}", trim_number(c.weight), share(s)));
                weights.push(trim_number(c.weight));
            }
        }
        domain_rows.push(vec![
            domain.title.clone(),
            trim_number(domain.weight),
            if terms.is_empty() {
                "no criterion scored".into()
            } else {
                format!("({}) / ({})", terms.join(" + "), weights.join(" + "))
            },
            result.score.map_or_else(|| "-".into(), crate::scoring::percent),
        ]);
    }
    out.push(Block::Table(Table {
        columns: vec![
            col("Criterion", 0.38, false),
            col("Weight", 0.1, true),
            col("Gateway minimum", 0.2, true),
            col("Score", 0.18, true),
            col("Share", 0.14, true),
        ],
        rows,
        bold_rows: Vec::new(),
    }));
    let scored: Vec<(&crate::criteria::Domain, f64)> =
        framework.domains.iter().zip(&evaluation.domains).filter_map(|(d, r)| r.score.map(|s| (d, s))).collect();
    domain_rows.push(vec![
        "Overall".into(),
        "".into(),
        format!(
            "({}) / ({})",
            scored
                .iter()
                .map(|(d, s)| format!("{} x {}", trim_number(d.weight), crate::scoring::percent(*s)))
                .collect::<Vec<_>>()
                .join(" + "),
            scored.iter().map(|(d, _)| trim_number(d.weight)).collect::<Vec<_>>().join(" + ")
        ),
        evaluation.overall.map_or_else(|| "-".into(), crate::scoring::percent),
    ]);
    let last = domain_rows.len() - 1;
    out.push(Block::Table(Table {
        columns: vec![
            col("Domain", 0.24, false),
            col("Weight", 0.1, true),
            col("Worked out", 0.52, false),
            col("Score", 0.14, true),
        ],
        rows: domain_rows,
        bold_rows: vec![last],
    }));
    out.push(Block::Paragraph(format!(
        "{} An outcome needs its band's overall score{}.",
        bands(framework),
        framework
            .outcomes
            .iter()
            .filter_map(|o| {
                let mut rules = Vec::new();
                if o.requires_all_gateways {
                    rules.push("every gateway criterion at or above its minimum".to_string());
                }
                if let Some(m) = o.min_domain_score {
                    rules.push(format!("every domain at {m:.0}% or more"));
                }
                if o.requires_development_plan {
                    rules.push("a development plan".to_string());
                }
                (!rules.is_empty()).then(|| format!("; {} also needs {}", o.label, rules.join(" and ")))
            })
            .collect::<String>()
    )));
    out
}

/// A weight as written in the criteria file: `3`, `2.5`.
fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 { format!("{n:.0}") } else { format!("{n}") }
}

/// A check's finding for a letter: what it means, then the figures.
fn in_words(check: &crate::scoring::CheckResult) -> String {
    if check.figures.is_empty() {
        crate::assessment::rules::capitalised(&check.meaning)
    } else {
        format!("{}: {}", crate::assessment::rules::capitalised(&check.meaning), check.figures)
    }
}

fn decapitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn a_sentence_ends_at_a_real_end_not_at_an_initial_or_an_abbreviation() {
        let evidence = "MD (A. Patel) and FD appointed in March. Fewer than 60% of CCGs have signed.";
        assert_eq!(first_sentence(evidence), "MD (A. Patel) and FD appointed in March.");
        assert_eq!(first_sentence("Dr. Shah chairs it. The rest follow."), "Dr. Shah chairs it.");
        assert_eq!(first_sentence("Signed, e.g. by NHS Leeds. More to come."), "Signed, e.g. by NHS Leeds.");
        assert_eq!(first_sentence("Is it affordable? Yes."), "Is it affordable?");
        assert_eq!(first_sentence("Costs rose 3.5% in 2012. Savings follow."), "Costs rose 3.5% in 2012.");
        assert_eq!(first_sentence("No full stop at all"), "No full stop at all");
    }
}
