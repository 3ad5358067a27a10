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
    #[command(flatten)]
    as_of: super::AsOfArgs,
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

/// A final letter is issued (recorded on the trail with its SHA-256);
/// a draft is only made.
fn make(
    file: &std::path::Path,
    templates: &Templates,
    options: &Options,
    member: Option<&str>,
    known: &csu_assess::keys::KnownKeys,
    key: Option<&csu_assess::keys::Identity>,
) -> Result<letter::Made, String> {
    let date = options.as_of.date()?;
    match key {
        Some(key) if !options.draft => {
            letter::issue(file, templates, known, key, &super::assess::now(), date).map_err(|e| e.to_string())
        }
        _ => letter::from_file(file, templates, true, member, known, date).map_err(|e| e.to_string()),
    }
}

fn issuing_key(options: &Options) -> Result<Option<csu_assess::keys::Identity>, String> {
    if options.draft {
        return Ok(None);
    }
    csu_assess::keys::Identity::this_installation().map(Some).map_err(|e| e.to_string())
}

pub fn one(args: &One) -> Result<ExitCode, String> {
    let templates = templates(&args.options)?;
    let known = args.options.as_of.known()?;
    let key = issuing_key(&args.options)?;
    let made = make(&args.file, &templates, &args.options, args.member.as_deref(), &known, key.as_ref())?;
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

/// A name fit for a file: `CP3/NORTHERN-STAR-CSU/20120914-9BA9` ->
/// `CP3-NORTHERN-STAR-CSU-20120914-9BA9`.
fn file_stem(csu_name: &str) -> String {
    let words: Vec<&str> = csu_name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() { "CSU".into() } else { words.join("-") }
}

pub fn many(args: &Many) -> Result<ExitCode, String> {
    let templates = templates(&args.options)?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: could not be created ({e})", args.out.display()))?;
    let known = args.options.as_of.known()?;
    let key = issuing_key(&args.options)?;
    let results = letter::from_files(&args.files, |f| make(f, &templates, &args.options, None, &known, key.as_ref()));
    let mut used = std::collections::HashSet::new();
    let mut failed = 0;
    for result in results {
        match result {
            Ok(letter::Made { letter, pdf: bytes, .. }) => {
                // Named by the letter's reference (checkpoint, CSU, date,
                // code), so a later batch for the same CSU never lands on a
                // letter already issued; and nothing there is written over:
                // the same bytes are left as they are, other bytes go beside.
                let stem = file_stem(&letter.reference);
                let path = (1..)
                    .map(|n| args.out.join(if n == 1 { format!("{stem}.pdf") } else { format!("{stem}-{n}.pdf") }))
                    .find(|p| used.insert(p.clone()) && std::fs::read(p).map_or(true, |old| old == bytes))
                    .unwrap_or_default();
                if !path.exists() {
                    super::write_file(&path, &bytes)?;
                }
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
        Ok(letter::Verdict::Issued { reference, code, at, who, since }) => {
            sayln!(
                "{} is the letter {reference} (verification code {code}) issued from {} on {at} by {who}.",
                args.letter.display(),
                args.file.display()
            );
            if since.is_empty() {
                sayln!("Nothing has been recorded since in this copy of the record.");
            } else {
                sayln!("Recorded since it was issued, in this copy of the record ({}):", since.len());
                for s in since {
                    sayln!("  - {s}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Ok(letter::Verdict::Draft) => {
            sayln!("{} is a draft: it was never issued, and decides nothing.", args.letter.display());
            Ok(ExitCode::from(4))
        }
        Err(m @ letter::Mismatch::CopyEndsBeforeIssue) => {
            esayln!("csu-assess: {}: {m}", args.letter.display());
            Ok(ExitCode::from(5))
        }
        Err(m) => {
            esayln!("csu-assess: {}: {m}", args.letter.display());
            Ok(ExitCode::from(1))
        }
    }
}
