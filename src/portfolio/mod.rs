//! The national picture: every CSU of a round side by side.
//!
//! A portfolio is read from a folder of plans and assessments. Each
//! assessment is matched to its plan by fingerprint (the plan it fixed when
//! it began), evaluated on the whole record, and becomes a row; a plan no
//! one has begun to assess is a row too, so no CSU is missed. A file that
//! cannot be read is listed with its reason, never dropped: a round where a
//! CSU silently vanished would not be treated alike.

pub mod ccgs;
pub mod consistency;
pub mod export;

use crate::assessment::{Assessment, Change};
use crate::plan::Plan;
use crate::scoring::{Evaluation, ScoreState};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The files a portfolio reads: plan workbooks and assessments.
const PLAN_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];
const ASSESSMENT_EXTENSION: &str = "csuassess";

/// How far an assessment has got, in the order it gets there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum Stage {
    NotStarted,
    Scoring {
        scored: usize,
        of: usize,
    },
    /// Every member has scored every criterion.
    Scored,
    /// The panel has agreed every criterion (or the sole assessor scored all).
    Agreed,
    SignedOff,
    LetterIssued,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stage::NotStarted => f.write_str("not started"),
            Stage::Scoring { scored, of } => write!(f, "scoring ({scored} of {of})"),
            Stage::Scored => f.write_str("scored"),
            Stage::Agreed => f.write_str("agreed"),
            Stage::SignedOff => f.write_str("signed off"),
            Stage::LetterIssued => f.write_str("letter issued"),
        }
    }
}

/// One CSU at one checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub csu: String,
    pub checkpoint: Option<u8>,
    pub region: Option<String>,
    pub plan_type: Option<String>,
    pub population: Option<f64>,
    pub price_per_head: Option<f64>,
    /// What the CCGs set aside a head, to set the price against.
    pub ccg_budget_per_head: Option<f64>,
    pub affordability_ratio: Option<f64>,
    pub min_surplus_margin: Option<f64>,
    pub scale_services: Option<f64>,
    /// The plan's CCGs interviewed, and what they said, weighted by
    /// population (unknown until every CCG is interviewed).
    pub ccgs_interviewed: Option<f64>,
    pub ccgs_sla_confirmed_share: Option<f64>,
    pub ccgs_affordable_share: Option<f64>,
    pub ccgs_confident_share: Option<f64>,
    pub ccgs_changing_share: Option<f64>,
    /// 0-100, over the criteria scored so far.
    pub overall: Option<f64>,
    /// Only once the scores decide it.
    pub outcome: Option<String>,
    pub stage: Stage,
    pub plan_file: PathBuf,
    pub assessment_file: Option<PathBuf>,
}

/// A file the portfolio could not take in, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unreadable {
    pub file: PathBuf,
    /// A sentence naming the file, as every refusal does.
    pub reason: String,
}

/// An assessment read into the portfolio, with what was worked out from it.
#[derive(Clone, Debug)]
pub struct Assessed {
    pub file: PathBuf,
    /// The assessment as the viewer may see it ([`Assessment::view_for_key`]):
    /// a member still scoring it sees their own scores and no outcome, here
    /// as on every other page.
    pub assessment: Assessment,
    pub plan: Plan,
    /// Where the plan was found.
    pub plan_file: PathBuf,
    pub evaluation: Evaluation,
}

/// Every CSU of a folder.
#[derive(Clone, Debug, Default)]
pub struct Portfolio {
    pub rows: Vec<Row>,
    pub unreadable: Vec<Unreadable>,
    /// The assessments behind the rows, for the figures across them
    /// (assessors' consistency, declared interests, every score).
    pub assessed: Vec<Assessed>,
    /// Each member's scoring of the calibration plan: who has calibrated,
    /// and how close they came. Never a row: the plan is no CSU's.
    pub calibrations: Vec<crate::calibration::Comparison>,
}

/// Why a folder could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}: the folder could not be read ({source})", folder.display())]
pub struct FolderError {
    pub folder: PathBuf,
    pub source: std::io::Error,
}

enum Loaded {
    Plan(PathBuf, Box<Result<Plan, String>>),
    Assessment(PathBuf, Box<Result<Assessment, String>>),
}

/// Reads every plan and assessment in a folder (and its subfolders, one
/// level down, where regions often keep theirs), on every core, as the
/// holder of `key` may see them (`None`: the whole record, for the BDU's
/// office), evaluated as of `as_of` as every page and verb evaluates.
pub fn open(folder: &Path, key: Option<&str>, as_of: crate::scoring::AsOf<'_>) -> Result<Portfolio, FolderError> {
    let files = files_in(folder, 1).map_err(|source| FolderError { folder: folder.to_path_buf(), source })?;
    let loaded = crate::parallel::map(&files, |file| load(file));
    let mut plans: Vec<(PathBuf, Plan)> = Vec::new();
    let mut assessments: Vec<(PathBuf, Assessment)> = Vec::new();
    let mut unreadable = Vec::new();
    for item in loaded {
        match item {
            Loaded::Plan(file, read) => match *read {
                Ok(plan) => plans.push((file, plan)),
                Err(reason) => unreadable.push(Unreadable { file, reason }),
            },
            Loaded::Assessment(file, read) => match *read {
                Ok(assessment) => assessments.push((file, assessment)),
                Err(reason) => unreadable.push(Unreadable { file, reason }),
            },
        }
    }
    let matched = crate::parallel::map(&assessments, |(file, assessment)| {
        let plan = match plans.iter().find(|(_, p)| p.source.fingerprint == assessment.plan.fingerprint) {
            Some((path, plan)) => Ok((path.clone(), plan.clone())),
            None => assessment.open_plan(file).map_err(|e| format!("{}: {e}", file.display())).map(|plan| {
                let path = assessment.plan_candidates(file).into_iter().find(|p| p.is_file()).unwrap_or_default();
                (path, plan)
            }),
        };
        plan.map(|(plan_file, plan)| {
            let seen =
                key.map_or_else(|| assessment.clone(), |key| assessment.view_for_key(key, as_of.trust).assessment);
            let evaluation = crate::scoring::evaluate_as_of(&plan, seen.framework(), &seen, as_of);
            Assessed { file: file.clone(), assessment: seen, plan, plan_file, evaluation }
        })
    });
    let mut assessed = Vec::new();
    let mut calibrations = Vec::new();
    for ((file, _), result) in assessments.iter().zip(matched) {
        match result {
            Ok(a) if crate::calibration::is_calibration(&a.assessment) => {
                calibrations.extend(
                    a.assessment
                        .assessors
                        .iter()
                        .filter_map(|m| crate::calibration::compare(&a.assessment, &m.name).ok()),
                );
            }
            Ok(a) => assessed.push(a),
            Err(reason) => unreadable.push(Unreadable { file: file.clone(), reason }),
        }
    }
    let mut rows: Vec<Row> = assessed.iter().map(row_of_assessed).collect();
    for (file, plan) in &plans {
        let calibration = crate::calibration::plan_fingerprint() == Some(plan.source.fingerprint.as_str());
        if !calibration && !assessed.iter().any(|a| a.plan.source.fingerprint == plan.source.fingerprint) {
            rows.push(row_of_plan(file, plan, None, Stage::NotStarted));
        }
    }
    rows.sort_by(|a, b| (&a.csu, a.checkpoint).cmp(&(&b.csu, b.checkpoint)));
    Ok(Portfolio { rows, unreadable, assessed, calibrations })
}

fn files_in(folder: &Path, depth: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        // Office suites' lock files (`~$plan.xlsx`, `.~lock.plan.ods#`) are
        // no one's plan.
        if name.starts_with("~$") || name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if depth > 0 {
                out.extend(files_in(&path, depth - 1).unwrap_or_default());
            }
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        if ext == ASSESSMENT_EXTENSION || PLAN_EXTENSIONS.contains(&ext.as_str()) {
            out.push(path);
        }
    }
    Ok(out)
}

fn load(file: &Path) -> Loaded {
    let is_assessment = file.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csuassess"));
    if is_assessment {
        Loaded::Assessment(file.to_path_buf(), Box::new(crate::store::load(file).map_err(|e| e.to_string())))
    } else {
        Loaded::Plan(file.to_path_buf(), Box::new(crate::plan::import(file).map_err(|e| e.to_string())))
    }
}

fn row_of_assessed(a: &Assessed) -> Row {
    let mut row = row_of_plan(&a.plan_file, &a.plan, Some(&a.evaluation), stage(&a.assessment, &a.evaluation));
    row.assessment_file = Some(a.file.clone());
    let figures = crate::ccg::figures::with_plan(&a.plan, &a.assessment);
    row.ccgs_interviewed = figures.number("ccgs_interviewed");
    row.ccgs_sla_confirmed_share = figures.number("ccgs_sla_confirmed_share");
    row.ccgs_affordable_share = figures.number("ccgs_affordable_share");
    row.ccgs_confident_share = figures.number("ccgs_confident_share");
    row.ccgs_changing_share = figures.number("ccgs_changing_share");
    row
}

fn row_of_plan(file: &Path, plan: &Plan, evaluation: Option<&Evaluation>, stage: Stage) -> Row {
    let m = |name: &str| plan.metrics.number(name);
    Row {
        csu: if plan.cover.csu_name.trim().is_empty() {
            plan.source.file_name.clone()
        } else {
            plan.cover.csu_name.clone()
        },
        checkpoint: plan.cover.checkpoint,
        region: plan.cover.region.map(|r| r.to_string()),
        plan_type: plan.cover.plan_type.map(|t| t.to_string()),
        population: m("population"),
        price_per_head: m("price_per_head"),
        ccg_budget_per_head: m("ccg_budget_per_head"),
        affordability_ratio: m("affordability_ratio"),
        min_surplus_margin: m("min_surplus_margin"),
        scale_services: m("scale_service_count"),
        ccgs_interviewed: None,
        ccgs_sla_confirmed_share: None,
        ccgs_affordable_share: None,
        ccgs_confident_share: None,
        ccgs_changing_share: None,
        overall: evaluation.and_then(|e| e.overall),
        outcome: evaluation.filter(|e| e.decided).map(|e| {
            if e.outcome.provisional { format!("{} (provisional)", e.outcome.label) } else { e.outcome.label.clone() }
        }),
        stage,
        plan_file: file.to_path_buf(),
        assessment_file: None,
    }
}

/// How far an assessment has got, from its record.
pub fn stage(assessment: &Assessment, evaluation: &Evaluation) -> Stage {
    if assessment.sign_off.is_some() {
        let issued = assessment.audit.iter().any(|e| matches!(e.change, Change::LetterIssued { .. }));
        return if issued { Stage::LetterIssued } else { Stage::SignedOff };
    }
    let of = evaluation.criteria.len();
    let all = |state: ScoreState| evaluation.criteria.iter().all(|c| c.state == state);
    if of > 0 && (all(ScoreState::Consensus) || all(ScoreState::Scored)) {
        return Stage::Agreed;
    }
    let finished = assessment.still_scoring().is_empty() && evaluation.scored_count() == of;
    if of > 0 && finished {
        return Stage::Scored;
    }
    Stage::Scoring { scored: evaluation.scored_count(), of }
}

/// A column of the portfolio: its heading, and the row's value as shown
/// and as sorted. The window's table, the command line's listing and the
/// exports all take their columns from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Csu,
    Checkpoint,
    Region,
    PlanType,
    Population,
    PricePerHead,
    CcgBudgetPerHead,
    Affordability,
    MinSurplusMargin,
    ScaleServices,
    CcgsInterviewed,
    CcgsSlaConfirmed,
    CcgsAffordable,
    CcgsConfident,
    CcgsChanging,
    Overall,
    Outcome,
    Stage,
}

/// A value in a cell: text, or a number shown in a given way.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64, Shown),
    Blank,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Whole,
    Pounds,
    Percent,
    Ratio,
    OneDecimal,
}

impl Column {
    pub const ALL: [Column; 18] = [
        Column::Csu,
        Column::Checkpoint,
        Column::Region,
        Column::PlanType,
        Column::Population,
        Column::PricePerHead,
        Column::CcgBudgetPerHead,
        Column::Affordability,
        Column::MinSurplusMargin,
        Column::ScaleServices,
        Column::CcgsInterviewed,
        Column::CcgsSlaConfirmed,
        Column::CcgsAffordable,
        Column::CcgsConfident,
        Column::CcgsChanging,
        Column::Overall,
        Column::Outcome,
        Column::Stage,
    ];

    /// What the CCGs said, a column each: the window shows them on their
    /// own tab, so the CSUs' table still fits a 1366-wide screen.
    pub const CCG_FIGURES: [Column; 5] = [
        Column::CcgsInterviewed,
        Column::CcgsSlaConfirmed,
        Column::CcgsAffordable,
        Column::CcgsConfident,
        Column::CcgsChanging,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Column::Csu => "CSU",
            Column::Checkpoint => "Checkpoint",
            Column::Region => "Region",
            Column::PlanType => "Plan type",
            Column::Population => "Population",
            Column::PricePerHead => "Price per head",
            Column::CcgBudgetPerHead => "CCG budget per head",
            Column::Affordability => "Affordability",
            Column::MinSurplusMargin => "Minimum surplus margin",
            Column::ScaleServices => "Scale services",
            Column::CcgsInterviewed => "CCGs heard",
            Column::CcgsSlaConfirmed => "SLA confirmed",
            Column::CcgsAffordable => "Affordable to CCGs",
            Column::CcgsConfident => "CCGs confident",
            Column::CcgsChanging => "CCGs to change",
            Column::Overall => "Overall score",
            Column::Outcome => "Outcome",
            Column::Stage => "Stage",
        }
    }

    /// The column a name on the command line means: its heading in any
    /// case, with or without spaces (`price-per-head`, `Outcome`).
    pub fn named(name: &str) -> Option<Column> {
        let key = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
        Column::ALL.into_iter().find(|c| key(c.heading()) == key(name))
    }

    pub fn value(self, row: &Row) -> Value {
        let number = |v: Option<f64>, shown| v.map_or(Value::Blank, |v| Value::Number(v, shown));
        let text = |v: &Option<String>| v.clone().map_or(Value::Blank, Value::Text);
        match self {
            Column::Csu => Value::Text(row.csu.clone()),
            Column::Checkpoint => number(row.checkpoint.map(f64::from), Shown::Whole),
            Column::Region => text(&row.region),
            Column::PlanType => text(&row.plan_type),
            Column::Population => number(row.population, Shown::Whole),
            Column::PricePerHead => number(row.price_per_head, Shown::Pounds),
            Column::CcgBudgetPerHead => number(row.ccg_budget_per_head, Shown::Pounds),
            Column::Affordability => number(row.affordability_ratio, Shown::Ratio),
            Column::MinSurplusMargin => number(row.min_surplus_margin, Shown::Percent),
            Column::ScaleServices => number(row.scale_services, Shown::Whole),
            Column::CcgsInterviewed => number(row.ccgs_interviewed, Shown::Whole),
            Column::CcgsSlaConfirmed => number(row.ccgs_sla_confirmed_share, Shown::Percent),
            Column::CcgsAffordable => number(row.ccgs_affordable_share, Shown::Percent),
            Column::CcgsConfident => number(row.ccgs_confident_share, Shown::Percent),
            Column::CcgsChanging => number(row.ccgs_changing_share, Shown::Percent),
            Column::Overall => number(row.overall, Shown::OneDecimal),
            Column::Outcome => text(&row.outcome),
            Column::Stage => Value::Text(row.stage.to_string()),
        }
    }
}

impl Value {
    /// As an assessor reads it: `£11.52`, `4.0%`, `1,250,000`.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Blank => String::new(),
            Value::Number(v, Shown::Whole) => crate::plan::fmt_count(v.round()),
            Value::Number(v, Shown::Pounds) => format!("£{v:.2}"),
            Value::Number(v, Shown::Percent) => crate::plan::metrics::format_value(
                crate::plan::MetricKind::Share,
                &crate::plan::MetricValue::Number(*v),
            ),
            Value::Number(v, Shown::Ratio) => format!("{v:.2}"),
            Value::Number(v, Shown::OneDecimal) => format!("{v:.1}"),
        }
    }
}

/// Which rows to show: every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub region: Option<String>,
    pub outcome: Option<String>,
    pub checkpoint: Option<u8>,
    /// Part of the CSU's name.
    pub text: Option<String>,
}

impl Filter {
    pub fn admits(&self, row: &Row) -> bool {
        let contains = |have: &Option<String>, want: &Option<String>| match want {
            None => true,
            Some(w) => have.as_deref().is_some_and(|h| h.to_lowercase().contains(&w.to_lowercase())),
        };
        contains(&row.region, &self.region)
            && contains(&row.outcome, &self.outcome)
            && self.checkpoint.is_none_or(|c| row.checkpoint == Some(c))
            && contains(&Some(row.csu.clone()), &self.text)
    }
}

/// A member's declared interest in a CSU, as the portfolio lists them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Declaration {
    pub csu: String,
    pub checkpoint: u8,
    pub member: String,
    pub interest: String,
    pub at: String,
}

impl Portfolio {
    /// Every declared interest of the round, CSU by CSU.
    pub fn declarations(&self) -> Vec<Declaration> {
        self.assessed
            .iter()
            .flat_map(|a| {
                a.assessment.interests.iter().map(|i| Declaration {
                    csu: a.assessment.plan.csu_name.clone(),
                    checkpoint: a.assessment.framework().checkpoint,
                    member: i.member.clone(),
                    interest: i.interest.clone(),
                    at: i.at.clone(),
                })
            })
            .collect()
    }

    /// The rows a filter admits, sorted by a column (blanks last either way).
    pub fn view(&self, filter: &Filter, sort: Option<(Column, bool)>) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows.iter().filter(|r| filter.admits(r)).collect();
        if let Some((column, ascending)) = sort {
            rows.sort_by(|a, b| compare(&column.value(a), &column.value(b), ascending));
        }
        rows
    }
}

fn compare(a: &Value, b: &Value, ascending: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let order = match (a, b) {
        (Value::Blank, Value::Blank) => return Ordering::Equal,
        (Value::Blank, _) => return Ordering::Greater,
        (_, Value::Blank) => return Ordering::Less,
        (Value::Number(x, _), Value::Number(y, _)) => x.total_cmp(y),
        (x, y) => x.shown().to_lowercase().cmp(&y.shown().to_lowercase()),
    };
    if ascending { order } else { order.reverse() }
}
