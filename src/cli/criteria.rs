//! `csu-assess criteria check FILE...` and `csu-assess criteria show`.

use csu_assess::criteria::{self, Framework};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Validate criteria files; every problem is printed as file:line:column.
    Check {
        /// Criteria files (.toml).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show a framework's domains, criteria and outcomes.
    Show {
        /// A criteria file, or a built-in framework's id (cp1-prospectus, cp2-outline-plan, cp3-full-plan).
        file: Option<String>,
        /// Show the framework an assessment uses instead.
        #[arg(long = "for", value_name = "ASSESSMENT", conflicts_with = "file")]
        for_assessment: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::Check { files } => {
            let mut failed = false;
            for file in files {
                match criteria::load(file) {
                    Ok((f, _)) => sayln!(
                        "{}: valid: {} ({} domains, {} criteria, {} outcomes)",
                        file.display(),
                        f.title,
                        f.domains.len(),
                        f.criterion_count(),
                        f.outcomes.len()
                    ),
                    Err(e) => {
                        failed = true;
                        esayln!("{e}");
                    }
                }
            }
            Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
        }
        Verb::Show { file, for_assessment, json } => {
            let framework = match (file, for_assessment) {
                (_, Some(path)) => csu_assess::store::load(path).map_err(|e| e.to_string())?.framework().clone(),
                (Some(name), None) => match criteria::builtin(name) {
                    Some(b) => b.framework().map_err(|e| e.to_string())?,
                    None => criteria::load(std::path::Path::new(name)).map_err(|e| e.to_string())?.0,
                },
                (None, None) => return Err("name a criteria file, a built-in framework, or --for ASSESSMENT".into()),
            };
            if *json {
                sayln!("{}", serde_json::to_string_pretty(&to_json(&framework)).map_err(|e| e.to_string())?);
            } else {
                say!("{}", summary(&framework));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn to_json(f: &Framework) -> serde_json::Value {
    json!({
        "id": f.id,
        "title": f.title,
        "checkpoint": f.checkpoint,
        "plan_type": f.plan_type,
        "version": f.version,
        "fingerprint": f.fingerprint,
        "scale": { "min": f.scale.min, "max": f.scale.max, "descriptors": f.scale.descriptors },
        "domains": f.domains.iter().map(|d| json!({
            "id": d.id,
            "title": d.title,
            "weight": d.weight,
            "criteria": d.criteria.iter().map(|c| json!({
                "id": c.id,
                "title": c.title,
                "weight": c.weight,
                "gateway": c.gateway,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "outcomes": f.outcomes.iter().map(|o| json!({ "id": o.id, "label": o.label })).collect::<Vec<_>>(),
    })
}

fn summary(f: &Framework) -> String {
    let mut out = format!(
        "{} (id {}, version {}, checkpoint {}{})\nScale {}-{}\n",
        f.title,
        f.id,
        f.version,
        f.checkpoint,
        f.plan_type.map(|p| format!(", {p} plans")).unwrap_or_default(),
        f.scale.min,
        f.scale.max
    );
    for d in &f.domains {
        out += &format!("\n{} ({}%)\n", d.title, d.weight);
        for c in &d.criteria {
            let gateway = c.gateway.map(|g| format!(", gateway {g}")).unwrap_or_default();
            out += &format!("  {:<5} {} (weight {}{gateway})\n", c.id, c.title, c.weight);
        }
    }
    out += "\nOutcomes, best first\n";
    for o in &f.outcomes {
        out += &format!("  {:>3}-{:<3} {}\n", o.min, o.max, o.label);
    }
    out
}
