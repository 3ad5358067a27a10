//! The command line: one file per verb, each turning arguments into calls
//! on the library and its result into output and an exit code.
//!
//! Exit codes: 0 done, 2 input refused or invalid (the reason on stderr).

mod examples;
mod inspect;
mod template;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "csu-assess", version, about = "Assess CSU business plans against the BDU's criteria, offline.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read a plan workbook and show its cover, metrics and findings.
    Inspect(inspect::Args),
    /// Write the blank plan template for CSUs to fill in.
    Template(template::Args),
    /// Write the built-in example plans (and optionally the stress plan) to a folder.
    Examples(examples::Args),
}

/// Runs a verb; the single place where errors become messages and exit codes.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Examples(args) => examples::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("csu-assess: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes bytes to a file through a temporary file and a rename, so an
/// interrupted write never leaves half a file under the name asked for.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: could not be written ({e})", path.display())
    })
}
