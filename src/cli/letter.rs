//! `csu-assess letter`, `letters` and `verify`: assessment letters as PDF.

use csu_assess::letter::{self, Templates};
use csu_assess::store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct One {
    /// The assessment (.csuassess).
    file: PathBuf,
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    options: Options,
    /// Make it as this member may see it: refused while they are still scoring.
    #[arg(long = "as", value_name = "NAME")]
    member: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct Many {
    /// Assessments (.csuassess).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Folder for the letters (created if missing); each is named after its CSU.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    options: Options,
}

#[derive(clap::Args, Debug, Clone)]
pub struct Options {
    /// Letter wording to use instead of the built-in (or a letters.toml beside the program).
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Write a letter marked DRAFT even though the assessment is not complete.
    #[arg(long)]
    draft: bool,
}

#[derive(clap::Args, Debug)]
pub struct Verify {
    /// The letter (.pdf).
    letter: PathBuf,
    /// The assessment it should come from.
    file: PathBuf,
}

fn templates(options: &Options) -> Result<Templates, String> {
    match &options.templates {
        Some(path) => Templates::load(path).map_err(|e| e.to_string()),
        None => Templates::beside_program().map_err(|e| e.to_string()),
    }
}

pub fn one(args: &One) -> Result<ExitCode, String> {
    let templates = templates(&args.options)?;
    let made = letter::from_file(&args.file, &templates, args.options.draft, args.member.as_deref())
        .map_err(|e| e.to_string())?;
    let (letter, bytes) = (made.letter, made.pdf);
    super::write_file(&args.output, &bytes)?;
    sayln!(
        "Wrote {} ({} bytes){}: {}",
        args.output.display(),
        bytes.len(),
        if letter.draft { ", marked DRAFT" } else { "" },
        letter.subject
    );
    Ok(ExitCode::SUCCESS)
}

/// `Northern Star CSU` -> `Northern-Star-CSU`.
fn file_stem(csu_name: &str) -> String {
    let words: Vec<&str> = csu_name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() { "CSU".into() } else { words.join("-") }
}

pub fn many(args: &Many) -> Result<ExitCode, String> {
    let templates = templates(&args.options)?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: could not be created ({e})", args.out.display()))?;
    let results = letter::from_files(&args.files, &templates, args.options.draft);
    let mut used = std::collections::HashSet::new();
    let mut failed = 0;
    for result in results {
        match result {
            Ok(letter::Made { assessment, letter, pdf: bytes }) => {
                let stem = file_stem(&assessment.plan.csu_name);
                let name = (1..)
                    .map(|n| if n == 1 { format!("{stem}.pdf") } else { format!("{stem}-{n}.pdf") })
                    .find(|n| used.insert(n.clone()))
                    .unwrap_or_default();
                let path = args.out.join(name);
                super::write_file(&path, &bytes)?;
                sayln!("{}  {}", path.display(), letter.subject);
            }
            Err(e) => {
                failed += 1;
                esayln!("csu-assess: {e}");
            }
        }
    }
    Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

pub fn verify(args: &Verify) -> Result<ExitCode, String> {
    let bytes = csu_assess::files::read(&args.letter, csu_assess::limits::MAX_LETTER_FILE_BYTES)
        .map_err(|e| format!("{}: could not be read ({e})", args.letter.display()))?;
    let assessment = store::load(&args.file).map_err(|e| e.to_string())?;
    match letter::verify(&bytes, &assessment) {
        Ok(()) => {
            sayln!("{} matches {} as it is now", args.letter.display(), args.file.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(m) => {
            esayln!("csu-assess: {}: {m}", args.letter.display());
            Ok(ExitCode::from(1))
        }
    }
}
