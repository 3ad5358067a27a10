//! `csu-assess calibration write OUT.xlsx` and `csu-assess calibration compare FILE --as NAME`:
//! the calibration plan, and a member's scores of it against the BDU's.

use csu_assess::calibration;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Write the calibration plan (Westbrook CSU) to score: start an assessment of it as of any plan.
    Write { out: PathBuf },
    /// Compare a member's scores of the calibration plan with the BDU's agreed scores, with the BDU's reasons.
    Compare {
        file: PathBuf,
        #[arg(long = "as", value_name = "NAME")]
        member: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    match verb {
        Verb::Write { out } => {
            let bytes = calibration::plan_workbook().map_err(|e| e.to_string())?;
            super::write_file(out, &bytes)?;
            sayln!("Wrote the calibration plan to {}", out.display());
        }
        Verb::Compare { file, member, json } => {
            let assessment = csu_assess::store::load(file).map_err(|e| e.to_string())?;
            let c = calibration::compare(&assessment, member.trim()).map_err(|e| format!("{}: {e}", file.display()))?;
            if *json {
                sayln!("{}", serde_json::to_string_pretty(&c).map_err(|e| e.to_string())?);
                return Ok(ExitCode::SUCCESS);
            }
            sayln!(
                "{} scored {} of {} criteria: {} as the BDU did, {} within one level, on average {:+.2} levels from the BDU.",
                c.member,
                c.scored,
                c.scored + c.unscored.len(),
                c.same,
                c.within_one,
                c.mean_difference
            );
            for d in &c.criteria {
                let by = match d.by() {
                    0 => "same".to_string(),
                    by => format!("{by:+}"),
                };
                sayln!("  {:<5} yours {}, BDU {} ({by}): {}", d.criterion, d.yours, d.reference, d.rationale);
            }
            if !c.unscored.is_empty() {
                sayln!(
                    "Not scored yet (the BDU's scores of these are shown once you have scored them): {}",
                    c.unscored.join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
