//! `csu-assess template -o FILE.xlsx`: the blank plan template.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to write the template (.xlsx).
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let bytes = csu_assess::examples::template().map_err(|e| format!("the template could not be built: {e}"))?;
    super::write_file(&args.output, &bytes)?;
    sayln!("Wrote the plan template to {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}
