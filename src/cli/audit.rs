//! `csu-assess audit FILE [--verify]` and `csu-assess merge FILE... -o OUT`:
//! the record of an assessment, and joining reviewers' copies.

use csu_assess::assessment;
use csu_assess::store::{self, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Audit {
    file: PathBuf,
    /// Exit 0 only when the record checks: every entry intact, signed by its member's key, linked and within the panel's rules (1 when not).
    #[arg(long)]
    verify: bool,
    /// The BDU's list of known keys (instead of the one beside the program).
    #[arg(long, value_name = "FILE")]
    known_keys: Option<PathBuf>,
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
    let a = match store::load(&args.file) {
        Ok(a) => a,
        Err(
            e @ (StoreError::Record { .. }
            | StoreError::Unverifiable { .. }
            | StoreError::Foreign { .. }
            | StoreError::Malformed { .. }),
        ) if args.verify => {
            esayln!("csu-assess: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.to_string()),
    };
    let known = super::known_keys(args.known_keys.as_deref())?;
    let view = super::assess::view_as(&a, None)?;
    let outcomes = if view.sees_panel { outcome_changes(&a, &args.file) } else { Vec::new() };
    let mut out = String::new();
    for (i, e) in a.audit.iter().enumerate() {
        if !view.assessment.audit.iter().any(|mine| mine.hash == e.hash) {
            continue;
        }
        out += &format!("{:>4}. {} {}: {}\n", i + 1, e.at, e.who, e.change.describe());
        out += &format!("        signed by {}\n", signed_by(&known, &e.signer));
        if let Some(change) = outcomes.get(i).cloned().flatten() {
            out += &format!("        outcome: {change}\n");
        }
    }
    for c in &view.assessment.conflicts {
        out += &format!("CONFLICT {}: {}\n", c.item, c.versions.join(" | "));
    }
    if !view.sees_panel {
        out += &format!(
            "({} entries of the other members are not shown: {} has not finished scoring; they are checked all the same)\n",
            a.audit.len() - view.assessment.audit.len(),
            view.member
        );
    }
    say!("{out}");
    if args.verify {
        sayln!(
            "The record of {} checks: {} entries, each intact, signed by its member's key, linked to those before it and within the panel's rules.",
            args.file.display(),
            a.audit.len()
        );
        for (name, key) in a.signers() {
            sayln!("  {name}: {}", signed_by(&known, &key));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `key 3f2a 9c1b 77d0 e4a5, a key the BDU knows (Ann Lee)`, or says it does not.
fn signed_by(known: &csu_assess::keys::KnownKeys, key: &str) -> String {
    match known.name_of(key) {
        Some(name) => format!("key {}, a key the BDU knows ({name})", csu_assess::keys::short(key)),
        None => format!(
            "key {}, an unknown key (not in the BDU's known keys, {})",
            csu_assess::keys::short(key),
            known.source
        ),
    }
}

pub fn merge(args: &Merge) -> Result<ExitCode, String> {
    let copies = args.files.iter().map(|f| store::load(f).map_err(|e| e.to_string())).collect::<Result<Vec<_>, _>>()?;
    let merged = assessment::merge(&copies).map_err(|e| {
        let named = |index: usize| args.files.get(index - 1).map(|f| f.display().to_string()).unwrap_or_default();
        match &e {
            assessment::MergeError::DifferentAssessment { index, .. } => format!("{}: {e}", named(*index)),
            _ => e.to_string(),
        }
    })?;
    let saved = store::save(&args.output, &merged).map_err(|e| e.to_string())?;
    let merged = saved.assessment;
    sayln!(
        "Merged {} copies into {}: {} changes from {} member(s)",
        args.files.len(),
        args.output.display(),
        merged.audit.len(),
        merged.assessors.len()
    );
    if merged.conflicts.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for c in &merged.conflicts {
        esayln!("conflict: {} was changed differently in two copies:", c.item);
        for v in &c.versions {
            esayln!("  - {v}");
        }
    }
    esayln!("{} conflict(s) kept for a person to resolve: record the agreed value again.", merged.conflicts.len());
    Ok(ExitCode::from(3))
}

/// The outcome after each entry of the trail, where it changed: the
/// outcome is computed, never recorded, so it is recomputed by replaying
/// the trail once, entry by entry. Empty when the plan cannot be found.
fn outcome_changes(a: &assessment::Assessment, file: &std::path::Path) -> Vec<Option<String>> {
    let Ok(plan) = a.open_plan(file) else {
        return Vec::new();
    };
    let mut previous = String::new();
    let mut out = Vec::with_capacity(a.audit.len());
    a.each_step(|_, step| {
        let e = csu_assess::scoring::evaluate(&plan, step.framework(), step);
        let now = if e.scored_count() == 0 { "not scored".to_string() } else { e.outcome.label.clone() };
        let changed =
            (now != previous).then(|| if previous.is_empty() { now.clone() } else { format!("{previous} -> {now}") });
        previous = now;
        out.push(changed);
    });
    out
}
