//! `csu-assess about`: what the window's About box shows, on the command
//! line: the version, the frameworks and letter wording built in, and the
//! licences of what the program ships.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Also print each font's licence in full.
    #[arg(long)]
    licence_texts: bool,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let about = csu_assess::about::about();
    sayln!("CSU Assess {} ({})", about.version, about.licence);
    sayln!();
    sayln!("Built-in frameworks and wording:");
    for c in about.frameworks.iter().chain(&about.wordings) {
        let version = c.version.as_deref().map(|v| format!("version {v}, ")).unwrap_or_default();
        sayln!("  {}: {} ({version}SHA-256 {})", c.file_name, c.title, c.sha256);
    }
    sayln!();
    sayln!("Fonts:");
    for f in &about.fonts {
        sayln!("  {}: {}; {}", f.name, f.used_for, f.licence);
        if args.licence_texts {
            sayln!();
            for line in f.licence_text.lines() {
                sayln!("    {line}");
            }
            sayln!();
        }
    }
    sayln!();
    sayln!("Rust crates ({}), by licence:", about.crates.len());
    for (licence, count) in about.licence_counts() {
        sayln!("  {count:>4}  {licence}");
    }
    sayln!();
    for c in &about.crates {
        sayln!("  {} {}: {}", c.name, c.version, c.licence);
    }
    Ok(ExitCode::SUCCESS)
}
