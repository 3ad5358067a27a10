//! `csu-assess assess new|set|consensus|action|show`: starting and recording
//! an assessment from the command line.

use csu_assess::assessment::Assessment;
use csu_assess::{criteria, plan, store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Start an assessment of a plan (the framework follows the plan's checkpoint and type unless given).
    New {
        plan: PathBuf,
        /// A criteria file, or a built-in framework's id.
        #[arg(long)]
        criteria: Option<String>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Record an assessor's scores: CRITERION=SCORE[:EVIDENCE]...
    Set {
        file: PathBuf,
        #[arg(long)]
        assessor: String,
        #[arg(required = true, value_name = "CRITERION=SCORE[:EVIDENCE]")]
        scores: Vec<String>,
    },
    /// Record the panel's consensus score for a criterion, with its rationale.
    Consensus {
        file: PathBuf,
        #[arg(value_name = "CRITERION=SCORE")]
        score: String,
        #[arg(long)]
        rationale: String,
        /// Who recorded it (the chair).
        #[arg(long, default_value = "panel")]
        by: String,
    },
    /// Add an action to the development plan.
    Action {
        file: PathBuf,
        #[arg(long)]
        action: String,
        #[arg(long)]
        owner: String,
        /// Due date, such as 2013-03-31 or 31/03/2013.
        #[arg(long)]
        due: String,
        #[arg(long)]
        criterion: Option<String>,
    },
    /// Add a panel member, or change their role.
    Member {
        file: PathBuf,
        name: String,
        #[arg(long, default_value = "")]
        role: String,
    },
    /// Mark an assessor's scoring done (they then see the others' scores).
    Done {
        file: PathBuf,
        #[arg(long)]
        assessor: String,
    },
    /// Record the panel's discussion of a criterion.
    Discuss {
        file: PathBuf,
        criterion: String,
        #[arg(long)]
        note: String,
        #[arg(long, default_value = "panel")]
        by: String,
    },
    /// The chair signs off the panel's result.
    SignOff {
        file: PathBuf,
        #[arg(long)]
        chair: String,
    },
    /// Show an assessment's scores, consensus and actions.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// Now, as the timestamp every recorded change carries.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn framework_for(name: Option<&str>, p: &plan::Plan) -> Result<(criteria::Framework, String, String), String> {
    match name {
        Some(name) => match criteria::builtin(name) {
            Some(b) => {
                Ok((b.framework().map_err(|e| e.to_string())?, format!("built-in {}", b.file_name), b.text.into()))
            }
            None => {
                let (f, text) = criteria::load(Path::new(name)).map_err(|e| e.to_string())?;
                let source = Path::new(name).file_name().map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
                Ok((f, source, text))
            }
        },
        None => {
            let b = criteria::builtin_for(p.cover.checkpoint, p.cover.plan_type).ok_or_else(|| {
                format!(
                    "{}: the plan gives no checkpoint or plan type, so no framework can be chosen; name one with --criteria",
                    p.source.file_name
                )
            })?;
            Ok((b.framework().map_err(|e| e.to_string())?, format!("built-in {}", b.file_name), b.text.into()))
        }
    }
}

/// `CF1=3:evidence text` -> ("CF1", 3, "evidence text").
fn parse_score(arg: &str) -> Result<(String, u8, String), String> {
    let (criterion, rest) = arg.split_once('=').ok_or_else(|| format!("`{arg}` is not CRITERION=SCORE[:EVIDENCE]"))?;
    let (score, evidence) = rest.split_once(':').unwrap_or((rest, ""));
    let score =
        score.trim().parse::<u8>().map_err(|_| format!("`{arg}`: the score `{score}` is not a whole number"))?;
    Ok((criterion.trim().to_string(), score, evidence.trim().to_string()))
}

fn update(
    file: &Path,
    change: impl FnOnce(&mut Assessment, &criteria::Framework) -> Result<String, String>,
) -> Result<ExitCode, String> {
    let mut assessment = store::load(file).map_err(|e| e.to_string())?;
    let framework = assessment.framework().map_err(|e| format!("{}: {e}", file.display()))?;
    let said = change(&mut assessment, &framework).map_err(|e| format!("{}: {e}", file.display()))?;
    store::save(file, &assessment).map_err(|e| e.to_string())?;
    println!("{said}");
    Ok(ExitCode::SUCCESS)
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::New { plan: plan_path, criteria, output } => {
            let p = plan::import(plan_path).map_err(|e| e.to_string())?;
            let (framework, source, text) = framework_for(criteria.as_deref(), &p)?;
            let created = now();
            let id = plan::fingerprint(format!("{}{created}{}", p.source.fingerprint, std::process::id()).as_bytes());
            let recorded_path = relative_to(plan_path, output);
            let a = Assessment::new(&p, &recorded_path, &framework, &source, &text, &created, &id[..16]);
            store::save(output, &a).map_err(|e| e.to_string())?;
            println!(
                "Started {} for {} against {} ({} criteria)",
                output.display(),
                p.cover.csu_name,
                framework.title,
                framework.criterion_count()
            );
            Ok(ExitCode::SUCCESS)
        }
        Verb::Set { file, assessor, scores } => {
            let parsed = scores.iter().map(|s| parse_score(s)).collect::<Result<Vec<_>, _>>()?;
            update(file, |a, f| {
                let at = now();
                for (criterion, score, evidence) in &parsed {
                    a.set_score(f, criterion, assessor, *score, evidence, &at).map_err(|e| e.to_string())?;
                }
                Ok(format!("Recorded {} score(s) by {assessor}", parsed.len()))
            })
        }
        Verb::Consensus { file, score, rationale, by } => {
            let (criterion, level, _) = parse_score(score)?;
            update(file, |a, f| {
                a.set_consensus(f, &criterion, level, rationale, by, &now()).map_err(|e| e.to_string())?;
                Ok(format!("Recorded the consensus for {criterion}: {level}"))
            })
        }
        Verb::Action { file, action, owner, due, criterion } => {
            let due_date = match plan::values::date(Some(&plan::workbook::CellValue::Text(due.clone())), false) {
                plan::values::Reading::Value(d) => d,
                _ => return Err(format!("`{due}` is not a date; write it as 2013-03-31 or 31/03/2013")),
            };
            update(file, |a, f| {
                let criterion = match criterion {
                    Some(c) => Some(
                        f.criterion(c).map(|c| c.id.clone()).ok_or_else(|| format!("there is no criterion `{c}`"))?,
                    ),
                    None => None,
                };
                let id = a.add_action(action, owner, due_date, criterion, "command line", &now());
                Ok(format!("Added development action {id}"))
            })
        }
        Verb::Member { file, name, role } => update(file, |a, _| {
            a.add_member(name, role, "command line", &now()).map_err(|e| e.to_string())?;
            Ok(format!("{name} is on the panel"))
        }),
        Verb::Done { file, assessor } => update(file, |a, _| {
            a.mark_done(assessor, &now());
            Ok(format!("{assessor} has finished scoring"))
        }),
        Verb::Discuss { file, criterion, note, by } => update(file, |a, f| {
            a.record_discussion(f, criterion, note, by, &now()).map_err(|e| e.to_string())?;
            Ok(format!("Recorded the discussion of {criterion}"))
        }),
        Verb::SignOff { file, chair } => update(file, |a, _| {
            a.sign_off(chair, &now()).map_err(|e| e.to_string())?;
            Ok(format!("Signed off by {chair}"))
        }),
        Verb::Show { file, json } => {
            let a = store::load(file).map_err(|e| e.to_string())?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&a).map_err(|e| e.to_string())?);
            } else {
                print!("{}", summary(&a));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The plan's path as seen from the assessment file, so the pair can move together.
fn relative_to(plan: &Path, assessment: &Path) -> String {
    let plan_abs = std::path::absolute(plan).unwrap_or_else(|_| plan.to_path_buf());
    let dir = std::path::absolute(assessment).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    plan_abs.strip_prefix(&dir).map(|p| p.display().to_string()).unwrap_or_else(|_| plan_abs.display().to_string())
}

fn summary(a: &Assessment) -> String {
    let mut out = format!(
        "Assessment {} of {} ({})\nFramework {} version {} ({})\nStarted {}\n",
        a.id, a.plan.csu_name, a.plan.file_name, a.framework.id, a.framework.version, a.framework.source, a.created_at
    );
    out += &format!(
        "Assessors: {}\n",
        if a.assessors.is_empty() {
            "none yet".to_string()
        } else {
            a.assessors.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join(", ")
        }
    );
    if !a.scores.is_empty() {
        out += "\nScores\n";
        for s in &a.scores {
            out += &format!(
                "  {:<5} {} by {}: {}\n",
                s.criterion,
                s.score,
                s.assessor,
                if s.evidence.is_empty() { "(no evidence)" } else { &s.evidence }
            );
        }
    }
    if !a.consensus.is_empty() {
        out += "\nConsensus\n";
        for c in &a.consensus {
            out += &format!("  {:<5} {}: {}\n", c.criterion, c.score, c.rationale);
        }
    }
    if !a.actions.is_empty() {
        out += "\nDevelopment plan\n";
        for x in &a.actions {
            out += &format!("  {} {} (owner {}, due {})\n", x.id, x.action, x.owner, x.due.format("%d/%m/%Y"));
        }
    }
    out
}
