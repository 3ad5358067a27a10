//! `csu-assess`: parses the command line and hands each verb to the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            use clap::CommandFactory;
            let _ = cli::Cli::command().print_help();
            ExitCode::SUCCESS
        }
    }
}
