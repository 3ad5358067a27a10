//! Assessment letters: what the BDU tells a CSU, as a PDF to print and file.
//!
//! [`compose`] decides the content from an evaluation (no page in sight),
//! [`layout`] places it on A4 pages, and [`pdf`] draws the pages. The
//! letter's footer and metadata carry a fingerprint of the plan, framework
//! and assessment, and [`verify`] says whether a letter still matches its
//! assessment.

mod compose;
pub mod layout;
pub mod pdf;
mod templates;

pub use compose::{Block, Column, Letter, Table, compose, fingerprint, last_change};
pub use templates::{OutcomeKind, PLACEHOLDERS, TemplateError, Templates};

use crate::assessment::Assessment;

/// Why a letter does not match an assessment.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Mismatch {
    #[error("this is not a readable PDF ({0})")]
    NotPdf(String),
    #[error("this PDF is not a CSU Assess letter: it carries no assessment fingerprint")]
    NoFingerprint,
    #[error(
        "the assessment has changed since the letter was made (the letter's fingerprint is {letter}, the assessment's is now {now})"
    )]
    Changed { letter: String, now: String },
}

/// The fingerprint a letter carries in its metadata.
pub fn letter_fingerprint(pdf_bytes: &[u8]) -> Result<String, Mismatch> {
    let doc = lopdf::Document::load_mem(pdf_bytes).map_err(|e| Mismatch::NotPdf(e.to_string()))?;
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| o.as_reference().ok())
        .and_then(|r| doc.get_object(r).ok())
        .and_then(|o| o.as_dict().ok())
        .ok_or(Mismatch::NoFingerprint)?;
    let keywords = info.get(b"Keywords").ok().and_then(|k| k.as_str().ok()).ok_or(Mismatch::NoFingerprint)?;
    let text = text_string(keywords);
    let at = text.find(pdf::FINGERPRINT_KEYWORD).ok_or(Mismatch::NoFingerprint)?;
    Ok(text[at + pdf::FINGERPRINT_KEYWORD.len()..].chars().take_while(char::is_ascii_hexdigit).collect())
}

/// A PDF text string: UTF-16BE after a byte-order mark, else bytes as written.
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Checks that a letter was made from the assessment as it is now.
pub fn verify(pdf_bytes: &[u8], assessment: &Assessment) -> Result<(), Mismatch> {
    let letter = letter_fingerprint(pdf_bytes)?;
    let now = fingerprint(assessment);
    if letter == now { Ok(()) } else { Err(Mismatch::Changed { letter, now }) }
}

/// Composes and draws the letter for an assessment: the one call the
/// window and the command line share.
pub fn write(
    plan: &crate::plan::Plan,
    framework: &crate::criteria::Framework,
    assessment: &Assessment,
    templates: &Templates,
) -> Result<(Letter, Vec<u8>), pdf::PdfError> {
    let evaluation = crate::scoring::evaluate(plan, framework, assessment);
    draw(plan, framework, assessment, &evaluation, templates)
}

/// Composes and draws the letter of an evaluation already made.
fn draw(
    plan: &crate::plan::Plan,
    framework: &crate::criteria::Framework,
    assessment: &Assessment,
    evaluation: &crate::scoring::Evaluation,
    templates: &Templates,
) -> Result<(Letter, Vec<u8>), pdf::PdfError> {
    let letter = compose(plan, framework, assessment, evaluation, templates);
    let bytes = pdf::render(&letter)?;
    Ok((letter, bytes))
}

/// Why a letter could not be made from an assessment file.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{}: {source}", file.display())]
    Assessment { file: std::path::PathBuf, source: crate::assessment::AssessmentError },
    #[error(
        "{}: the assessment is not complete, so no letter can be issued yet:\n  - {}\n(use --draft for a letter marked DRAFT)",
        file.display(),
        missing.join("\n  - ")
    )]
    Incomplete { file: std::path::PathBuf, missing: Vec<String> },
    #[error(
        "{}: {member} has not finished scoring, so the letter, which shows the panel's result, is hidden from them until they do",
        file.display()
    )]
    Hidden { file: std::path::PathBuf, member: String },
    #[error("{}: {member} is not a member of this panel", file.display())]
    NotAMember { file: std::path::PathBuf, member: String },
    #[error("{}: {source}", file.display())]
    Pdf { file: std::path::PathBuf, source: pdf::PdfError },
}

/// A letter made from an assessment file.
pub struct Made {
    pub assessment: Assessment,
    pub letter: Letter,
    pub pdf: Vec<u8>,
}

/// Loads an assessment and its plan and makes its letter. An incomplete
/// assessment is refused unless `draft`, when the letter is marked DRAFT.
/// Made for a `member`, it is refused while the panel's result is hidden
/// from them.
pub fn from_file(
    file: &std::path::Path,
    templates: &Templates,
    draft: bool,
    member: Option<&str>,
) -> Result<Made, LetterError> {
    let assessment = crate::store::load(file)?;
    if let Some(member) = member.map(str::trim) {
        if !assessment.is_member(member) {
            return Err(LetterError::NotAMember { file: file.to_path_buf(), member: member.to_string() });
        }
        if !assessment.sees_panel(member) {
            return Err(LetterError::Hidden { file: file.to_path_buf(), member: member.to_string() });
        }
    }
    let in_file = |source| LetterError::Assessment { file: file.to_path_buf(), source };
    let framework = assessment.framework().clone();
    let plan = assessment.open_plan(file).map_err(in_file)?;
    let evaluation = crate::scoring::evaluate(&plan, &framework, &assessment);
    if evaluation.outcome.provisional && !draft {
        return Err(LetterError::Incomplete { file: file.to_path_buf(), missing: evaluation.missing });
    }
    let (letter, pdf) = draw(&plan, &framework, &assessment, &evaluation, templates)
        .map_err(|source| LetterError::Pdf { file: file.to_path_buf(), source })?;
    Ok(Made { assessment, letter, pdf })
}

/// Makes many letters using every core, results in the order of `files`.
pub fn from_files(files: &[std::path::PathBuf], templates: &Templates, draft: bool) -> Vec<Result<Made, LetterError>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len()).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Made, LetterError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        mine.push((i, from_file(file, templates, draft, None)));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
