//! `csu-assess examples --out DIR`: the built-in example plans as files.

use csu_assess::examples::{self, EXAMPLES};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder to write the examples into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Also write the stress plan used by the benchmarks.
    #[arg(long)]
    stress: bool,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: could not be created ({e})", args.out.display()))?;
    let build_error = |e: rust_xlsxwriter::XlsxError| format!("an example could not be built: {e}");
    for example in EXAMPLES {
        let path = args.out.join(example.file_name());
        super::write_file(&path, &example.workbook().map_err(build_error)?)?;
        sayln!("{}  {}", path.display(), example.title);
        let interviews = args.out.join(format!("{}.interviews.json", example.slug));
        let json = serde_json::to_vec_pretty(&example.interviews()).map_err(|e| e.to_string())?;
        super::write_file(&interviews, &json)?;
        sayln!("{}  its CCGs' interviews (fictional), for `csu-assess ccg record --from`", interviews.display());
    }
    if args.stress {
        let path = args.out.join("stress-plan.xlsx");
        super::write_file(&path, &examples::stress_plan().map_err(build_error)?)?;
        sayln!("{}  212 CCGs, 3,000 services, 10,000 risks", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
