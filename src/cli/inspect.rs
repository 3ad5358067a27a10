//! `csu-assess inspect PLAN [--json]`: what the importer made of a plan.

use csu_assess::plan::{self, METRICS, Plan, metrics::format_value};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plan workbook (.xlsx, .xlsm, .xls, .xlsb or .ods).
    plan: PathBuf,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
    /// When a file is refused, also print what the reading library said.
    #[arg(long)]
    verbose: bool,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let plan = plan::import(&args.plan).map_err(|e| match e.details() {
        Some(details) if args.verbose => format!("{e}\n  details: {details}"),
        _ => e.to_string(),
    })?;
    if args.json {
        sayln!("{}", serde_json::to_string_pretty(&to_json(&plan)).map_err(|e| e.to_string())?);
    } else {
        say!("{}", summary(&plan));
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--json` object: the fields the issue names, in a stable shape.
pub fn to_json(plan: &Plan) -> serde_json::Value {
    json!({
        "file": plan.source.file_name,
        "format": plan.source.format,
        "csu_name": plan.cover.csu_name,
        "plan_type": plan.cover.plan_type,
        "checkpoint": plan.cover.checkpoint,
        "submission_date": plan.cover.submission_date.map(|d| d.format("%Y-%m-%d").to_string()),
        "metrics": plan.metrics,
        "findings": plan.findings,
        "fingerprint": plan.source.fingerprint,
    })
}

fn summary(plan: &Plan) -> String {
    let c = &plan.cover;
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let mut out = String::new();
    out += &format!("{}\n", if c.csu_name.is_empty() { "(no CSU name)" } else { &c.csu_name });
    out += &format!(
        "  {} plan, checkpoint {}, submitted {}, version {}\n",
        or_dash(c.plan_type.map(|p| p.to_string())),
        or_dash(c.checkpoint.map(|n| n.to_string())),
        or_dash(c.submission_date.map(|d| d.format("%d/%m/%Y").to_string())),
        or_dash(c.plan_version.clone()),
    );
    out += &format!(
        "  {} region, hosted by {}; managing director {}\n",
        or_dash(c.region.map(|r| r.to_string())),
        or_dash(c.host_cluster.clone()),
        or_dash(c.managing_director.clone()),
    );
    out += &format!(
        "  {} ({}), {} bytes, SHA-256 {}\n\n",
        plan.source.file_name,
        plan.source.format.label(),
        plan.source.bytes,
        plan.source.fingerprint
    );
    out += "Metrics\n";
    // The CCGs' figures come from the interviews on a record, not the plan.
    for info in METRICS.iter().filter(|i| !plan::metrics::from_interviews(i.name)) {
        let value =
            plan.metrics.get(info.name).map_or_else(|| "not available".to_string(), |v| format_value(info.kind, v));
        out += &format!("  {:<30} {}\n", info.name, value);
    }
    let count = |s| plan.findings.iter().filter(|f| f.severity == s).count();
    out += &format!(
        "\nFindings: {} errors, {} warnings, {} notes\n",
        count(plan::Severity::Error),
        count(plan::Severity::Warning),
        count(plan::Severity::Note)
    );
    for f in &plan.findings {
        out += &format!("  {f}\n");
    }
    out
}
