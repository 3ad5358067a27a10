//! `csu-assess audit FILE [--verify]` and `csu-assess merge FILE... -o OUT`:
//! the record of an assessment, and joining reviewers' copies.

use csu_assess::assessment;
use csu_assess::store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Audit {
    file: PathBuf,
    /// Exit 0 only when the trail is intact and agrees with the assessment (1 when not).
    #[arg(long)]
    verify: bool,
}

#[derive(clap::Args, Debug)]
pub struct Merge {
    /// Copies of one assessment (.csuassess).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(short, long)]
    output: PathBuf,
}

pub fn audit(args: &Audit) -> Result<ExitCode, String> {
    let a = store::load(&args.file).map_err(|e| e.to_string())?;
    let outcomes = outcome_changes(&a, &args.file);
    for (i, e) in a.audit.iter().enumerate() {
        println!("{:>4}. {} {}: {}", i + 1, e.at, e.who, e.change.describe());
        if let Some(change) = outcomes.get(i).cloned().flatten() {
            println!("        outcome: {change}");
        }
    }
    for c in &a.conflicts {
        println!("CONFLICT {}: {}", c.item, c.versions.join(" | "));
    }
    if args.verify {
        match a.verify_audit() {
            Ok(()) => println!(
                "The audit trail of {} is intact and agrees with the assessment ({} entries).",
                args.file.display(),
                a.audit.len()
            ),
            Err(e) => {
                eprintln!("csu-assess: {}: {e}", args.file.display());
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn merge(args: &Merge) -> Result<ExitCode, String> {
    let copies = args.files.iter().map(|f| store::load(f).map_err(|e| e.to_string())).collect::<Result<Vec<_>, _>>()?;
    let merged = assessment::merge(&copies).map_err(|e| {
        let named = |index: usize| args.files.get(index - 1).map(|f| f.display().to_string()).unwrap_or_default();
        match &e {
            assessment::MergeError::DifferentAssessment { index, .. }
            | assessment::MergeError::DifferentPlan { index }
            | assessment::MergeError::DifferentFramework { index }
            | assessment::MergeError::Tampered { index, .. } => format!("{}: {e}", named(*index)),
            assessment::MergeError::Nothing => e.to_string(),
        }
    })?;
    store::save(&args.output, &merged).map_err(|e| e.to_string())?;
    println!(
        "Merged {} copies into {}: {} changes from {} assessor(s)",
        args.files.len(),
        args.output.display(),
        merged.audit.len(),
        merged.assessors.len()
    );
    if merged.conflicts.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for c in &merged.conflicts {
        eprintln!("conflict: {} was changed differently in two copies:", c.item);
        for v in &c.versions {
            eprintln!("  - {v}");
        }
    }
    eprintln!("{} conflict(s) kept for a person to resolve: record the agreed value again.", merged.conflicts.len());
    Ok(ExitCode::from(3))
}

/// The outcome after each entry of the trail, where it changed: the
/// outcome is computed, never recorded, so it is recomputed here by
/// replaying the trail one entry at a time. Empty when the plan cannot be
/// found.
fn outcome_changes(a: &assessment::Assessment, file: &std::path::Path) -> Vec<Option<String>> {
    let (Ok(framework), Ok(plan)) = (a.framework(), a.open_plan(file)) else {
        return Vec::new();
    };
    let mut step = a.clone();
    let mut previous = String::new();
    (1..=a.audit.len())
        .map(|n| {
            step.audit = a.audit[..n].to_vec();
            step.rebuild();
            let e = csu_assess::scoring::evaluate(&plan, &framework, &step);
            let now = if e.scored_count() == 0 { "not scored".to_string() } else { e.outcome.label.clone() };
            let changed = (now != previous)
                .then(|| if previous.is_empty() { now.clone() } else { format!("{previous} -> {now}") });
            previous = now;
            changed
        })
        .collect()
}
