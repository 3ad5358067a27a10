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
    /// The letter wording the BDU issued it with, if not the built-in wording or the one beside the program.
    #[arg(long)]
    templates: Option<PathBuf>,
    #[command(flatten)]
    trust: super::audit::TrustArgs,
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
    trust: &csu_assess::roster::Trust,
    key: Option<&csu_assess::keys::Identity>,
) -> Result<letter::Made, String> {
    let date = options.as_of.date()?;
    match key {
        Some(key) if !options.draft => {
            letter::issue(file, templates, trust, key, &super::assess::now(), date).map_err(|e| e.to_string())
        }
        _ => {
            let viewer =
                csu_assess::keys::Identity::of_this_installation().map_err(|e| e.to_string())?.map(|k| k.public());
            letter::from_file(file, templates, true, member, viewer.as_deref(), trust, date).map_err(|e| e.to_string())
        }
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
    let trust = args.options.as_of.trust()?;
    let key = issuing_key(&args.options)?;
    let made = make(&args.file, &templates, &args.options, args.member.as_deref(), &trust, key.as_ref())?;
    let (letter, bytes) = (made.letter, made.pdf);
    super::write_file(&args.output, &bytes)?;
    let kind = match &made.signed_by {
        _ if letter.draft => ", marked DRAFT".to_string(),
        Some(name) => format!(", signed by {name} for PDF readers"),
        None => String::new(),
    };
    sayln!("Wrote {} ({} bytes){kind}: {}", args.output.display(), bytes.len(), letter.subject);
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
    let trust = args.options.as_of.trust()?;
    let key = issuing_key(&args.options)?;
    let results = letter::from_files(&args.files, |f| make(f, &templates, &args.options, None, &trust, key.as_ref()));
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
    let trust = args.trust.trust()?;
    let wording = args.templates.as_deref().map(Templates::load).transpose().map_err(|e| e.to_string())?;
    let name = args.letter.display();
    // Whoever the record says issued it, a letter counts only when every
    // entry of the record counts under the BDU's roster: said first.
    let untrusted = super::audit::report_untrusted(&args.file, &trust, &assessment);
    let verdict = match letter::verify(&bytes, &assessment, &args.file, wording.as_ref()) {
        Ok(letter::Verdict::Draft) => {
            sayln!("{name} is a draft: it was never issued, and decides nothing.");
            return Ok(ExitCode::from(EXIT_DRAFT));
        }
        _ if untrusted.is_some() => {
            esayln!("csu-assess: {name}: so this letter is not confirmed as the BDU's.");
            return Ok(untrusted.unwrap_or(ExitCode::FAILURE));
        }
        Ok(v) => v,
        Err(m) => {
            esayln!("csu-assess: {name}: {m}");
            let seal = letter::signature::check(&bytes, &trust);
            if seal != letter::signature::Seal::Unsigned {
                esayln!("{}", seal.describe());
            }
            return Ok(ExitCode::from(match m {
                letter::Mismatch::CopyEndsBeforeIssue => EXIT_COPY_ENDS,
                letter::Mismatch::CannotRemake { .. } => EXIT_CANNOT_REMAKE,
                _ => 1,
            }));
        }
    };
    match verdict {
        letter::Verdict::Issued { reference, code, at, who, since, content } => {
            sayln!(
                "{name} is the letter {reference} (verification code {code}) issued from {} on {at} by {who}, a chair in the BDU's roster.",
                args.file.display()
            );
            sayln!(
                "{}",
                match content {
                    letter::Content::Same =>
                        "Made again from the record as it stood when it was issued, it is the same, byte for byte.".to_string(),
                    letter::Content::SameText =>
                        "Made again from the record as it stood when it was issued, its text is the same (it was laid out by an earlier version of the program).".to_string(),
                    letter::Content::SameFacts { program, facts } => format!(
                        "It was worded by {program} of the program, not this one: its decision and figures ({facts} of them: reference, code, outcome, overall and domain scores) are what the record as it stood then gives; its other wording was not checked."
                    ),
                }
            );
            sayln!("{}", letter::signature::check(&bytes, &trust).describe());
            if since.is_empty() {
                sayln!("This copy of the record holds nothing recorded after it (another copy may).");
            } else {
                sayln!("Recorded after it in this copy of the record ({}):", since.len());
                for s in since {
                    sayln!("  - {s}");
                }
            }
            sayln!("{}", trust.describe());
            Ok(ExitCode::SUCCESS)
        }
        letter::Verdict::Superseded { reference, at, who, by } => {
            sayln!(
                "{name} is the letter {reference} issued from {} on {at} by {who}, but it no longer stands: {by}.",
                args.file.display()
            );
            sayln!("{}", letter::signature::check(&bytes, &trust).describe());
            sayln!("{}", trust.describe());
            Ok(ExitCode::from(EXIT_SUPERSEDED))
        }
        letter::Verdict::Draft => Ok(ExitCode::from(EXIT_DRAFT)),
    }
}

/// `verify`'s exit codes besides 0 (genuine), 1 (not from this record, or
/// its content is not the record's), 6 and 7 (the roster's, as `audit`).
const EXIT_DRAFT: u8 = 4;
const EXIT_COPY_ENDS: u8 = 5;
const EXIT_SUPERSEDED: u8 = 8;
const EXIT_CANNOT_REMAKE: u8 = 9;
