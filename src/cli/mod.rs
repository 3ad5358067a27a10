//! The command line: one file per verb, each turning arguments into calls
//! on the library and its result into output and an exit code.
//!
//! Exit codes: 0 done, 1 a letter or audit trail does not check, 2 input
//! refused or invalid (the reason on stderr), 3 a merge kept conflicts.

/// Prints to standard output. A reader that has gone (`| head -1`) is not
/// an error of the verb's: the rest of the output is dropped quietly and
/// the verb still ends with its own exit code.
macro_rules! sayln {
    () => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout());
    }};
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), "{}", crate::cli::printable(&format!($($t)*)));
    }};
}

/// [`sayln`] without the newline.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), "{}", crate::cli::printable(&format!($($t)*)));
    }};
}

/// Prints to standard error, quietly when it has been closed.
macro_rules! esayln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", crate::cli::printable(&format!($($t)*)));
    }};
}

/// Text for a terminal: control characters a record or a workbook carries
/// (an escape sequence in a rationale could hide or rewrite what is
/// printed) are shown as their code, never sent to the terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(
            |c| if c.is_control() && c != '\n' && c != '\t' { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() },
        )
        .collect()
}

mod about;
mod assess;
mod audit;
mod calibration;
mod ccg;
mod criteria;
mod examples;
mod inspect;
mod key;
mod leaders;
mod letter;
mod portfolio;
mod roster;
mod score;
mod template;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "csu-assess",
    version,
    about = "Assess CSU business plans against the BDU's criteria, offline.",
    long_about = "Assess CSU business plans against the BDU's criteria, offline.\n\nWith no verb, opens the window, on the plans or assessments named.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Plans (.xlsx, .xls, .xlsb, .ods) or assessments (.csuassess) to open in the window.
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read a plan workbook and show its cover, metrics and findings.
    Inspect(inspect::Args),
    /// Write the blank plan template for CSUs to fill in.
    Template(template::Args),
    /// Write the built-in example plans (and optionally the stress plan) to a folder.
    Examples(examples::Args),
    /// Check and show criteria frameworks.
    #[command(subcommand)]
    Criteria(criteria::Verb),
    /// Start and record assessments.
    #[command(subcommand)]
    Assess(assess::Verb),
    /// The CCGs' interviews: record one, or show what each CCG said and what it contradicts in the plan.
    #[command(subcommand)]
    Ccg(ccg::Verb),
    /// The leaders' interview: schedule it, set its script, keep notes, record the agreed account, show it.
    #[command(subcommand)]
    Leaders(leaders::Verb),
    /// Evaluate an assessment: scores, checks, outcome, what is missing, sensitivity.
    Score(score::Args),
    /// Write an assessment's letter as PDF.
    Letter(letter::One),
    /// Write the letters of many assessments at once, one PDF per CSU, using every core.
    Letters(letter::Many),
    /// Check a letter against its assessment: 0 genuine, 1 not the record's, 4 a draft, 5 the copy ends before it, 6/7 the roster's verdict, 8 superseded, 9 its content could not be made again here.
    Verify(letter::Verify),
    /// This computer's signing key: show it, or export it for the BDU.
    #[command(subcommand)]
    Key(key::Verb),
    /// The BDU office's signed roster: whose key is whose, who may chair, what is revoked.
    Roster(roster::Args),
    /// Print an assessment's audit trail; with --verify, check it against the BDU's roster (exit 0 only when every entry counts).
    Audit(audit::Audit),
    /// Join copies of one assessment (exit 3 when changes conflict, listed on stderr).
    Merge(audit::Merge),
    /// Every CSU of a folder side by side: key figures, overall score, outcome and stage; exports.
    Portfolio(portfolio::Args),
    /// The calibration plan, and a member's scores of it against the BDU's agreed scores.
    #[command(subcommand)]
    Calibration(calibration::Verb),
    /// The version, the frameworks and letter wording built in, and the licences of what ships.
    About(about::Args),
}

/// Runs a verb; the single place where errors become messages and exit codes.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Examples(args) => examples::run(&args),
        Command::Criteria(verb) => criteria::run(&verb),
        Command::Assess(verb) => assess::run(&verb),
        Command::Ccg(verb) => ccg::run(&verb),
        Command::Leaders(verb) => leaders::run(&verb),
        Command::Score(args) => score::run(&args),
        Command::Letter(args) => letter::one(&args),
        Command::Letters(args) => letter::many(&args),
        Command::Verify(args) => letter::verify(&args),
        Command::Key(verb) => key::run(&verb),
        Command::Roster(args) => roster::run(&args),
        Command::Audit(args) => audit::audit(&args),
        Command::Merge(args) => audit::merge(&args),
        Command::Portfolio(args) => portfolio::run(&args),
        Command::Calibration(verb) => calibration::run(&verb),
        Command::About(args) => about::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            esayln!("csu-assess: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes an output file atomically, with the file named in any error.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    csu_assess::store::write_atomic(path, bytes).map_err(|e| format!("{}: could not be written ({e})", path.display()))
}

/// What an outcome is stated as of: the BDU's roster and the day. Every
/// verb that states an outcome takes these, and evaluates through
/// `scoring::evaluate_as_of` as the window does, so none can disagree.
#[derive(clap::Args, Debug, Clone)]
pub struct AsOfArgs {
    /// The BDU's roster, when newer than the one installed with the program (it must be signed by the office key pinned here).
    #[arg(long, value_name = "FILE")]
    pub roster: Option<std::path::PathBuf>,
    /// The day stated (a letter's date), such as 2012-09-14 or 14/09/2012; today unless given.
    #[arg(long)]
    pub date: Option<String>,
}

impl AsOfArgs {
    pub fn trust(&self) -> Result<csu_assess::roster::Trust, String> {
        trust(None, self.roster.as_deref())
    }

    /// The day: as given, or today by this computer's clock.
    pub fn date(&self) -> Result<chrono::NaiveDate, String> {
        match &self.date {
            None => Ok(chrono::Local::now().date_naive()),
            Some(text) => match csu_assess::plan::values::date(
                Some(&csu_assess::plan::workbook::CellValue::Text(text.clone())),
                false,
            ) {
                csu_assess::plan::values::Reading::Value(d) => Ok(d),
                _ => Err(format!("`{text}` is not a date; write it as 2012-09-14 or 14/09/2012")),
            },
        }
    }
}

/// The roster in force: the office key pinned here (or named by a reader
/// outside the BDU) and the newest roster it signed.
pub fn trust(office_key: Option<&str>, roster: Option<&std::path::Path>) -> Result<csu_assess::roster::Trust, String> {
    let office = office_key.map(csu_assess::roster::OfficeKey::named).transpose().map_err(|e| e.to_string())?;
    csu_assess::roster::Trust::find(office, roster).map_err(|e| e.to_string())
}
