//! `csu-assess audit FILE [--verify]` and `csu-assess merge FILE... -o OUT`:
//! the record of an assessment, and joining reviewers' copies.

use csu_assess::assessment;
use csu_assess::store::{self, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Audit {
    file: PathBuf,
    /// Exit 0 only when the record checks and every entry counts under the BDU's roster: 1 when the record does not check (an entry altered, unsigned, forked or against the panel's rules), 6 when an entry does not count under the roster, 7 when there is no roster to check against.
    #[arg(long)]
    verify: bool,
    #[command(flatten)]
    trust: TrustArgs,
}

/// What a check relies on: the roster, and for a reader outside the BDU
/// the office key the BDU publishes.
#[derive(clap::Args, Debug)]
pub struct TrustArgs {
    /// The BDU's roster, when newer than the one installed with the program (or for a reader outside the BDU).
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// The BDU office's public key as the BDU publishes it, for a reader outside the BDU; on a BDU computer the pinned key is used.
    #[arg(long, value_name = "HEX")]
    pub office_key: Option<String>,
}

impl TrustArgs {
    pub fn trust(&self) -> Result<csu_assess::roster::Trust, String> {
        super::trust(self.office_key.as_deref(), self.roster.as_deref())
    }
}

/// The exit code when a record's entries do not count under the roster.
pub const EXIT_UNTRUSTED: u8 = 6;
/// The exit code when nothing could be checked against a roster.
pub const EXIT_NO_ROSTER: u8 = 7;

/// Says, on standard error, every entry that does not count under the
/// roster, and gives the exit code; `None` when every entry counts.
pub fn report_untrusted(
    file: &std::path::Path,
    trust: &csu_assess::roster::Trust,
    a: &assessment::Assessment,
) -> Option<ExitCode> {
    let untrusted = trust.check(a);
    let first = untrusted.first()?;
    if let csu_assess::roster::Untrusted::NoRoster(why) = first {
        esayln!("csu-assess: {}: {why}", file.display());
        return Some(ExitCode::from(EXIT_NO_ROSTER));
    }
    esayln!(
        "csu-assess: {}: {} entr{} do not count under the BDU's roster:",
        file.display(),
        untrusted.len(),
        if untrusted.len() == 1 { "y" } else { "ies" }
    );
    for u in &untrusted {
        esayln!("  - {u}");
    }
    esayln!("{}", trust.describe());
    Some(ExitCode::from(EXIT_UNTRUSTED))
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
    let trust = args.trust.trust()?;
    let view = super::assess::view_as(&a, None, &trust)?;
    let outcomes = if view.sees_panel { outcome_changes(&a, &args.file) } else { Vec::new() };
    let mut out = String::new();
    for (i, e) in a.audit.iter().enumerate() {
        if !view.assessment.audit.iter().any(|mine| mine.hash == e.hash) {
            continue;
        }
        out += &format!("{:>4}. {} {}: {}\n", i + 1, e.at, e.who, e.change.describe());
        out += &format!("        signed by {}\n", signed_by(&trust, &e.signer));
        if let Some(change) = outcomes.get(i).cloned().flatten() {
            out += &format!("        outcome: {change}\n");
        }
    }
    for c in &view.assessment.conflicts {
        out += &format!("CONFLICT {}: {}\n", c.item, c.versions.join(" | "));
    }
    if !view.sees_panel {
        let why = if view.member.is_empty() {
            "this computer is no member's, and members are still scoring".to_string()
        } else {
            format!("{} has not finished scoring", view.member)
        };
        out += &format!(
            "({} entries of the other members are not shown: {why}; they are checked all the same)\n",
            a.audit.len() - view.assessment.audit.len()
        );
    }
    say!("{out}");
    if args.verify {
        sayln!(
            "The record of {} holds together: {} entries, each intact, signed by the key it names, in its author's chain, linked to those before it and within the panel's rules.",
            args.file.display(),
            a.audit.len()
        );
        for (name, key) in a.signers() {
            sayln!("  {name}: {}", signed_by(&trust, &key));
        }
        if let Some(code) = report_untrusted(&args.file, &trust, &a) {
            return Ok(code);
        }
        sayln!("Every entry counts under the BDU's roster. {}", trust.describe());
    }
    Ok(ExitCode::SUCCESS)
}

/// `key 3f2a 9c1b 77d0 e4a5, Ann Lee's in the BDU's roster`, or says it is not.
fn signed_by(trust: &csu_assess::roster::Trust, key: &str) -> String {
    let short = csu_assess::keys::short(key);
    match (trust.roster.is_some(), trust.name_of(key)) {
        (_, Some(name)) => format!("key {short}, {name}'s in the BDU's roster"),
        (true, None) => format!("key {short}, not in the BDU's roster"),
        (false, None) => format!("key {short} (no roster here to say whose it is)"),
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
