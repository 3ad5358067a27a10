//! `csu-assess`: with no verb it opens the window (on the files named, if
//! any); with a verb it runs that verb. Both call the same library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => match csu_assess::ui::run(args.files) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                use std::io::Write as _;
                let _ = writeln!(std::io::stderr(), "csu-assess: {message}");
                ExitCode::from(2)
            }
        },
    }
}
