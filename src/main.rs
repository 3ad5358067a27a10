//! `csu-assess`: with no verb it opens the window (on the files named, if
//! any); with a verb it runs that verb. Both call the same library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => match window(args.files) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                use std::io::Write as _;
                let _ = writeln!(std::io::stderr(), "csu-assess: {message}");
                ExitCode::from(2)
            }
        },
    }
}

#[cfg(feature = "window")]
fn window(files: Vec<std::path::PathBuf>) -> Result<(), String> {
    csu_assess::ui::run(files)
}

/// Built without the window: say so, and point at the verbs.
#[cfg(not(feature = "window"))]
fn window(_files: Vec<std::path::PathBuf>) -> Result<(), String> {
    Err("this build has no window (it was built without the `window` feature); the command-line verbs (csu-assess --help) work".into())
}
