//! Turning a criteria file into a [`Framework`], or saying everything that
//! is wrong with it at `file:line:column`.
//!
//! A broken file is refused whole: a framework half-loaded would score
//! plans against criteria nobody agreed. All problems are collected, so the
//! BDU's author can fix a file in one pass.

use super::file::*;
use super::model::*;
use crate::plan::metrics::{self, MetricKind};
use crate::plan::vocab::{Match, recognise};
use crate::plan::{PlanType, fingerprint};
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// One problem in a criteria file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A criteria file that was refused, with every problem found in it.
#[derive(Debug, thiserror::Error)]
pub struct CriteriaError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for CriteriaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

struct Checker<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(Problem { line, column, message: message.into() });
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Parses and validates a criteria file. `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Framework, CriteriaError> {
    let refuse = |problems| CriteriaError { file: file.to_string(), problems };
    let raw: FrameworkFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            let message = e.message().trim().to_string();
            return Err(refuse(vec![Problem { line, column, message }]));
        }
    };
    let mut c = Checker { text, problems: Vec::new() };
    let framework = build(&mut c, raw, text);
    if c.problems.is_empty() { Ok(framework) } else { Err(refuse(c.problems)) }
}

fn level(c: &mut Checker<'_>, value: &Spanned<i64>, scale: &Scale, what: &str) -> u8 {
    let v = *value.get_ref();
    match u8::try_from(v) {
        Ok(v) if scale.contains(v) => v,
        _ => {
            c.at(value.span(), format!("{what} {v} is not on the scale {}-{}", scale.min, scale.max));
            scale.min
        }
    }
}

fn positive(c: &mut Checker<'_>, value: &Spanned<f64>, what: &str) -> f64 {
    let v = *value.get_ref();
    if !(v.is_finite() && v > 0.0) {
        c.at(value.span(), format!("{what} must be a number above 0, not {v}"));
    } else if v > crate::limits::MAX_WEIGHT {
        c.at(value.span(), format!("{what} must be at most {}, not {v:e}", crate::limits::MAX_WEIGHT));
    }
    v
}

fn unique(c: &mut Checker<'_>, seen: &mut HashSet<String>, id: &Spanned<String>, what: &str) -> String {
    let value = id.get_ref().trim().to_string();
    if value.is_empty() {
        c.at(id.span(), format!("{what} id is empty"));
    } else if !seen.insert(value.to_ascii_lowercase()) {
        c.at(id.span(), format!("duplicate {what} id `{value}`"));
    }
    value
}

fn descriptors(c: &mut Checker<'_>, list: &Spanned<Vec<String>>, scale: &Scale, whose: &str) -> Vec<String> {
    let expected = usize::from(scale.max - scale.min) + 1;
    let got = list.get_ref();
    if got.len() != expected {
        c.at(
            list.span(),
            format!(
                "{whose} has {} descriptor(s) but the scale {}-{} needs {expected}, one a level",
                got.len(),
                scale.min,
                scale.max
            ),
        );
    } else if let Some(i) = got.iter().position(|d| d.trim().is_empty()) {
        c.at(list.span(), format!("{whose} has no descriptor for level {}", scale.min as usize + i));
    }
    got.clone()
}

fn build(c: &mut Checker<'_>, raw: FrameworkFile, text: &str) -> Framework {
    let h = raw.framework;
    let checkpoint = match *h.checkpoint.get_ref() {
        v @ 1..=3 => v as u8,
        v => {
            c.at(h.checkpoint.span(), format!("checkpoint {v} is not 1, 2 or 3"));
            1
        }
    };
    let plan_type = h.plan_type.as_ref().and_then(|p| match recognise::<PlanType>(p.get_ref()) {
        Some(Match::Exact(t)) => Some(t),
        _ => {
            c.at(p.span(), format!("plan_type `{}` is not Outline or Full", p.get_ref()));
            None
        }
    });
    let ccg_interviews = h.ccg_interviews.as_ref().and_then(|v| match v.get_ref() {
        toml::Value::String(s) if s.trim().eq_ignore_ascii_case("all") => Some(CcgInterviews::All),
        toml::Value::Integer(n) if (1..=i64::from(u16::MAX)).contains(n) => Some(CcgInterviews::AtLeast(*n as u32)),
        other => {
            c.at(v.span(), format!("ccg_interviews must be \"all\" or a number of CCGs from 1, not {other}"));
            None
        }
    });
    let scale = scale(c, &raw.scale);
    let mut ids = HashSet::new();
    let mut domains = Vec::new();
    for d in &raw.domains {
        let d_span = d.span();
        let d = d.get_ref();
        let id = unique(c, &mut ids, &d.id, "domain");
        let weight = positive(c, &d.weight, "domain weight");
        let mut criteria = Vec::new();
        for cr in &d.criteria {
            criteria.push(criterion(c, cr.get_ref(), &scale, &mut ids));
        }
        if criteria.is_empty() {
            c.at(d_span, format!("domain `{id}` has no criteria"));
        }
        domains.push(Domain { id, title: d.title.clone(), weight, criteria });
    }
    if domains.is_empty() {
        c.at(0..0, "the framework has no [[domains]]");
    }
    let total: f64 = domains.iter().map(|d| d.weight).sum();
    if !domains.is_empty() && (total - 100.0).abs() > 1e-6 {
        let span = raw.domains.first().map_or(0..0, |d| d.get_ref().weight.span());
        c.at(span, format!("domain weights add up to {total}, not 100"));
    }
    // The CCGs' figures are known only once every CCG is interviewed, so a
    // framework checking one waits for every interview before a decision.
    if ccg_interviews != Some(CcgInterviews::All)
        && let Some((criterion, metric)) = domains.iter().flat_map(|d| &d.criteria).find_map(|cr| {
            cr.checks
                .iter()
                .find(|k| metrics::from_interviews(&k.metric) && k.metric != "ccgs_interviewed")
                .map(|k| (cr.id.clone(), k.metric.clone()))
        })
    {
        let span = h.ccg_interviews.as_ref().map_or(0..0, |v| v.span());
        c.at(
            span,
            format!(
                "criterion `{criterion}` checks `{metric}`, a figure from the CCG interviews known only once every CCG is interviewed: set ccg_interviews = \"all\" in [framework]"
            ),
        );
    }
    let outcomes = outcomes(c, &raw.outcomes, &mut ids);
    Framework {
        id: h.id.get_ref().trim().to_string(),
        title: h.title,
        checkpoint,
        plan_type,
        version: h.version,
        unmet_action_fails: h.unmet_action_fails,
        ccg_interviews,
        scale,
        domains,
        outcomes,
        fingerprint: fingerprint(text.as_bytes()),
    }
}

fn scale(c: &mut Checker<'_>, raw: &Spanned<ScaleFile>) -> Scale {
    let s = raw.get_ref();
    let (min, max) = (s.min.unwrap_or(0), s.max.unwrap_or(4));
    let (min, max) = match (u8::try_from(min), u8::try_from(max)) {
        (Ok(a), Ok(b)) if a < b && b - a <= 10 => (a, b),
        _ => {
            c.at(raw.span(), format!("the scale {min}-{max} must run upwards, from 0 or more, over at most 10 levels"));
            (0, 4)
        }
    };
    let mut scale = Scale { min, max, meets: max - 1, descriptors: Vec::new() };
    if let Some(meets) = &s.meets {
        scale.meets = level(c, meets, &scale, "the level that meets a criterion");
    }
    scale.descriptors = descriptors(c, &s.descriptors, &scale, "the scale");
    scale
}

fn criterion(c: &mut Checker<'_>, raw: &CriterionFile, scale: &Scale, ids: &mut HashSet<String>) -> Criterion {
    let id = unique(c, ids, &raw.id, "criterion");
    let weight = positive(c, &raw.weight, "criterion weight");
    let gateway = raw.gateway.as_ref().map(|g| level(c, g, scale, "gateway"));
    let descriptors = descriptors(c, &raw.descriptors, scale, &format!("criterion `{id}`"));
    let checks = raw.checks.iter().map(|k| check(c, k.get_ref(), scale)).collect();
    Criterion {
        id,
        title: raw.title.clone(),
        guidance: raw.guidance.clone(),
        weight,
        gateway,
        descriptors,
        evidence: EvidencePrompts {
            plan: raw.evidence.plan.clone(),
            leaders_interview: raw.evidence.leaders_interview.clone(),
            ccg_interviews: raw.evidence.ccg_interviews.clone(),
        },
        checks,
        actions: raw.actions.clone(),
    }
}

/// The metric names closest to a misspelt one, for the message.
fn suggest(name: &str) -> String {
    let near: Vec<&str> = metrics::METRICS
        .iter()
        .map(|m| m.name)
        .filter(|m| {
            let shared = m.split('_').filter(|w| name.contains(w)).count();
            shared > 0
        })
        .take(3)
        .collect();
    if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(" or ")) }
}

fn check(c: &mut Checker<'_>, raw: &CheckFile, scale: &Scale) -> Check {
    let name = raw.metric.get_ref().trim().to_string();
    match metrics::info(&name) {
        None => c.at(raw.metric.span(), format!("unknown metric `{name}`{}", suggest(&name))),
        Some(info) if matches!(info.kind, MetricKind::MoneyPerYear | MetricKind::SharePerYear | MetricKind::Names) => {
            c.at(raw.metric.span(), format!("metric `{name}` is a list, not a single figure, so it cannot be compared"))
        }
        Some(_) => {}
    }
    let comparison = Comparison::ALL.iter().find(|(s, _)| *s == raw.comparison.get_ref().trim()).map(|(_, c)| *c);
    let comparison = comparison.unwrap_or_else(|| {
        c.at(
            raw.comparison.span(),
            format!("comparison `{}` is not one of <, <=, >, >=, ==, !=", raw.comparison.get_ref()),
        );
        Comparison::Less
    });
    let effect = match raw.effect.get_ref().trim() {
        "concern" => Effect::Concern,
        "strength" => Effect::Strength,
        other => {
            c.at(raw.effect.span(), format!("effect `{other}` is not concern or strength"));
            Effect::Concern
        }
    };
    let cap = raw.cap.as_ref().map(|cap| level(c, cap, scale, "cap"));
    if effect == Effect::Strength
        && let Some(span) = raw.cap.as_ref().map(Spanned::span)
    {
        c.at(span, "a cap limits the score when a concern holds; a strength cannot have one");
    }
    let threshold = *raw.threshold.get_ref();
    if !threshold.is_finite() {
        c.at(raw.threshold.span(), "threshold must be a number");
    }
    if let Some(explain) = &raw.explain {
        for placeholder in placeholders(explain.get_ref()) {
            if placeholder != "value" && placeholder != "threshold" && metrics::info(placeholder).is_none() {
                c.at(
                    explain.span(),
                    format!("explain names `{{{placeholder}}}`, which is not a metric, value or threshold"),
                );
            }
        }
    }
    Check {
        metric: name,
        comparison,
        threshold,
        effect,
        cap,
        meaning: raw.meaning.clone(),
        explain: raw.explain.as_ref().map(|e| e.get_ref().clone()),
    }
}

/// The `{name}` placeholders of a template.
pub fn placeholders(template: &str) -> Vec<&str> {
    template.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.trim())).collect()
}

fn outcomes(c: &mut Checker<'_>, raw: &[Spanned<OutcomeFile>], ids: &mut HashSet<String>) -> Vec<Outcome> {
    if raw.len() < 2 {
        c.at(raw.first().map_or(0..0, Spanned::span), "the framework needs at least two [[outcomes]], best first");
    }
    let mut out = Vec::new();
    for o in raw {
        let o = o.get_ref();
        let id = unique(c, ids, &o.id, "outcome");
        let (min, max) = (*o.min.get_ref(), *o.max.get_ref());
        if !(0.0..=100.0).contains(&min) || !(0.0..=100.0).contains(&max) || min >= max {
            c.at(o.min.span(), format!("outcome `{id}` has the band {min}-{max}; a band runs upwards within 0-100"));
        }
        let min_domain_score = o.min_domain_score.as_ref().map(|m| {
            let v = *m.get_ref();
            if !(0.0..=100.0).contains(&v) {
                c.at(m.span(), format!("min_domain_score {v} is not a percentage"));
            }
            v
        });
        out.push(Outcome {
            id,
            label: o.label.clone(),
            min,
            max,
            requires_all_gateways: o.requires_all_gateways,
            requires_development_plan: o.requires_development_plan,
            min_domain_score,
            meaning: o.meaning.clone(),
        });
    }
    if let (Some(first), Some(last)) = (raw.first(), raw.last()) {
        if (out[0].max - 100.0).abs() > 1e-9 {
            c.at(first.get_ref().max.span(), format!("the best outcome's band ends at {}, not 100", out[0].max));
        }
        let worst = &out[out.len() - 1];
        if worst.min.abs() > 1e-9 {
            c.at(
                last.get_ref().min.span(),
                format!("the last outcome's band starts at {}, not 0, leaving a gap", worst.min),
            );
        }
        if worst.requires_all_gateways || worst.min_domain_score.is_some() {
            c.at(last.span(), "the last outcome must have no rules, so that every plan gets an outcome");
        }
    }
    for (i, pair) in out.windows(2).enumerate() {
        let (better, worse) = (&pair[0], &pair[1]);
        let span = raw[i + 1].get_ref().max.span();
        if worse.max > better.min + 1e-9 {
            c.at(
                span,
                format!(
                    "the bands of `{}` and `{}` overlap ({} is above {})",
                    better.id, worse.id, worse.max, better.min
                ),
            );
        } else if worse.max < better.min - 1e-9 {
            c.at(
                span,
                format!(
                    "a gap between `{}` and `{}`: nothing covers {} to {}",
                    worse.id, better.id, worse.max, better.min
                ),
            );
        }
    }
    out
}
