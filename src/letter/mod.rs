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

pub use compose::{Block, Column, Letter, Table, compose, compose_as, fingerprint, last_change, verification_code};
pub use templates::{BUILTIN as BUILTIN_WORDING, OutcomeKind, PLACEHOLDERS, TemplateError, Templates};

use crate::assessment::Assessment;

/// Why a PDF is not a letter issued from an assessment.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Mismatch {
    #[error("this is not a readable PDF ({0})")]
    NotPdf(String),
    #[error("this PDF is not a CSU Assess letter: it carries no assessment fingerprint")]
    NoFingerprint,
    #[error(
        "this PDF is not the letter issued from this record as {reference} ({at}, by {who}): its bytes differ, so it was changed after it was issued"
    )]
    Edited { reference: String, at: String, who: String },
    #[error(
        "no letter with these contents was issued from this record: it was edited, is a copy of another assessment's letter, or was never issued"
    )]
    NotIssued,
    /// The letter was made from exactly this record, but this copy holds
    /// no issuing of it: a copy taken before the letter was issued, which
    /// can neither confirm nor deny it.
    #[error(
        "this letter was made from this record as it stands, but this copy of the record ends before any letter was issued from it: check it against the record the BDU holds"
    )]
    CopyEndsBeforeIssue,
}

/// What a letter is, checked against a record.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// This exact PDF was issued from this record.
    Issued {
        reference: String,
        code: String,
        at: String,
        who: String,
        /// Changes recorded since it was issued, described.
        since: Vec<String>,
    },
    /// A draft: never issued, whatever it says.
    Draft,
}

/// The keywords a letter carries in its metadata (fingerprint, reference,
/// and the draft mark).
fn letter_keywords(pdf_bytes: &[u8]) -> Result<String, Mismatch> {
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
    Ok(text_string(keywords))
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

/// Checks a PDF against a record: issued from it (the record holds the
/// SHA-256 of exactly these bytes), a draft, or neither.
pub fn verify(pdf_bytes: &[u8], assessment: &Assessment) -> Result<Verdict, Mismatch> {
    let sha = crate::plan::fingerprint(pdf_bytes);
    let issued = assessment.audit.iter().find_map(|e| match &e.change {
        crate::assessment::Change::LetterIssued { reference, code, sha256 } if *sha256 == sha => {
            Some((e, reference.clone(), code.clone()))
        }
        _ => None,
    });
    if let Some((entry, reference, code)) = issued {
        let seen = crate::assessment::audit::ancestry(&assessment.audit, &entry.hash);
        let since = assessment
            .audit
            .iter()
            .filter(|e| !seen.contains(e.hash.as_str()))
            .map(|e| format!("{} ({}, {})", e.change.describe(), e.who, e.at))
            .collect();
        return Ok(Verdict::Issued { reference, code, at: entry.at.clone(), who: entry.who.clone(), since });
    }
    let keywords = letter_keywords(pdf_bytes)?;
    if keywords.contains(pdf::DRAFT_KEYWORD) {
        return Ok(Verdict::Draft);
    }
    if !keywords.contains(pdf::FINGERPRINT_KEYWORD) {
        return Err(Mismatch::NoFingerprint);
    }
    let same_reference = assessment.audit.iter().find(|e| {
        matches!(&e.change, crate::assessment::Change::LetterIssued { reference, .. } if keywords.contains(reference.as_str()))
    });
    let made_from_this = keywords.contains(&format!("{}{}", pdf::FINGERPRINT_KEYWORD, fingerprint(assessment)));
    match same_reference {
        None if made_from_this => Err(Mismatch::CopyEndsBeforeIssue),
        Some(e) => {
            let reference = match &e.change {
                crate::assessment::Change::LetterIssued { reference, .. } => reference.clone(),
                _ => String::new(),
            };
            Err(Mismatch::Edited { reference, at: e.at.clone(), who: e.who.clone() })
        }
        None => Err(Mismatch::NotIssued),
    }
}

/// Composes and draws the letter for an assessment: the one call the
/// window and the command line share.
pub fn write(
    plan: &crate::plan::Plan,
    framework: &crate::criteria::Framework,
    assessment: &Assessment,
    templates: &Templates,
    known: &crate::keys::KnownKeys,
    date: chrono::NaiveDate,
) -> Result<(Letter, Vec<u8>), pdf::PdfError> {
    let evaluation = crate::scoring::evaluate_as_of(plan, framework, assessment, crate::scoring::AsOf { known, date });
    draw(plan, framework, assessment, &evaluation, templates, date, false)
}

/// Composes and draws the letter of an evaluation already made.
fn draw(
    plan: &crate::plan::Plan,
    framework: &crate::criteria::Framework,
    assessment: &Assessment,
    evaluation: &crate::scoring::Evaluation,
    templates: &Templates,
    date: chrono::NaiveDate,
    draft_asked: bool,
) -> Result<(Letter, Vec<u8>), pdf::PdfError> {
    let letter = compose_as(plan, framework, assessment, evaluation, templates, date, draft_asked);
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
    /// A letter states a decision, so it is never dated before the chair
    /// signed that decision off.
    #[error(
        "{}: a letter dated {} would come before the chair's sign-off of {}; date it on or after the sign-off",
        file.display(),
        date.format("%-d %B %Y"),
        signed.format("%-d %B %Y")
    )]
    BeforeSignOff { file: std::path::PathBuf, date: chrono::NaiveDate, signed: chrono::NaiveDate },
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
    known: &crate::keys::KnownKeys,
    date: chrono::NaiveDate,
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
    let evaluation =
        crate::scoring::evaluate_as_of(&plan, &framework, &assessment, crate::scoring::AsOf { known, date });
    if evaluation.outcome.provisional && !draft {
        return Err(LetterError::Incomplete { file: file.to_path_buf(), missing: evaluation.missing });
    }
    if !draft
        && let Some(signed) = assessment.sign_off.as_ref()
        && let Ok(at) = chrono::DateTime::parse_from_rfc3339(&signed.at)
        && at.date_naive() > date
    {
        return Err(LetterError::BeforeSignOff { file: file.to_path_buf(), date, signed: at.date_naive() });
    }
    let (letter, pdf) = draw(&plan, &framework, &assessment, &evaluation, templates, date, draft)
        .map_err(|source| LetterError::Pdf { file: file.to_path_buf(), source })?;
    Ok(Made { assessment, letter, pdf })
}

/// Why a final letter could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("{0}")]
    Letter(#[from] LetterError),
    #[error("{}: this computer's key is not on the panel, so no letter can be issued from here; a letter is issued by the chair (or the assessor) on their own computer", file.display())]
    NotAMember { file: std::path::PathBuf },
    #[error("{}: the letter was not issued: {source}", file.display())]
    Refused { file: std::path::PathBuf, source: crate::assessment::Refusal },
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// Issues the final letter of an assessment file: makes it, records its
/// reference, code and SHA-256 on the trail (signed with `key`, as the
/// member whose key it is) and saves the record. The PDF's bytes are
/// returned for the caller to write; the record already vouches for them.
pub fn issue(
    file: &std::path::Path,
    templates: &Templates,
    known: &crate::keys::KnownKeys,
    key: &crate::keys::Identity,
    at: &str,
    date: chrono::NaiveDate,
) -> Result<Made, IssueError> {
    let made = from_file(file, templates, false, None, known, date)?;
    let mut assessment = made.assessment.clone();
    let who = assessment
        .member_with_key(&key.public())
        .map(String::from)
        .ok_or_else(|| IssueError::NotAMember { file: file.to_path_buf() })?;
    let plan =
        assessment.open_plan(file).map_err(|source| LetterError::Assessment { file: file.to_path_buf(), source })?;
    let edit = crate::assessment::Edit::IssueLetter {
        reference: made.letter.reference.clone(),
        code: made.letter.code.clone(),
        sha256: crate::plan::fingerprint(&made.pdf),
    };
    assessment
        .apply(&plan, &who, key, edit, at)
        .map_err(|source| IssueError::Refused { file: file.to_path_buf(), source })?;
    let saved = crate::store::save(file, &assessment)?;
    Ok(Made { assessment: saved.assessment, ..made })
}

/// Makes many letters using every core, with `make` for each file;
/// results in the order of `files`.
pub fn from_files<E: Send>(
    files: &[std::path::PathBuf],
    make: impl Fn(&std::path::Path) -> Result<Made, E> + Sync,
) -> Vec<Result<Made, E>> {
    crate::parallel::map(files, |file| make(file))
}
