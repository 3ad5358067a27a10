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
pub mod signature;
mod templates;

pub use compose::{Block, Column, Letter, Table, compose, compose_as, fingerprint, last_change, verification_code};
pub use templates::{BUILTIN as BUILTIN_WORDING, OutcomeKind, PLACEHOLDERS, TemplateError, Templates};

use crate::assessment::{Assessment, Change};

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
    #[error(
        "the record lists this PDF as letter {reference} ({at}, by {who}), but the record as it stood then does not produce this letter: its text differs, so the letter or the entry that lists it was made outside the program"
    )]
    ContentDiffers { reference: String, at: String, who: String },
    #[error(
        "the record lists this PDF as letter {reference}, but the letter cannot be made again here to check its content: {why}"
    )]
    CannotRemake { reference: String, why: String },
    /// The letter was made from exactly this record, but this copy holds
    /// no issuing of it: a copy taken before the letter was issued, which
    /// can neither confirm nor deny it.
    #[error(
        "this PDF says it was made from this record as it stands, which this copy cannot confirm: it holds no letter issued from it (a copy taken before the letter was issued, or a PDF made to look like one); check it against the record the BDU holds"
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
        content: Content,
    },
    /// This exact PDF was issued from this record, but a later letter or a
    /// reopening of the result has taken its place.
    Superseded { reference: String, at: String, who: String, by: String },
    /// A draft: never issued, whatever it says.
    Draft,
}

/// How a letter's content was found to be the record's.
#[derive(Debug, PartialEq)]
pub enum Content {
    /// Made again from the record, byte for byte.
    Same,
    /// Made again from the record, the same text; laid out by an earlier
    /// version of the program.
    SameText,
    /// Worded by an earlier version (`program`): its decision and every
    /// figure (`facts` of them) are what the record gives.
    SameFacts { program: String, facts: usize },
}

/// Refuses a PDF whose streams would inflate past any letter's size,
/// before anything parses it: each stream is inflated within what is left
/// of [`crate::limits::MAX_LETTER_INFLATED_BYTES`], never whole.
fn bounded(pdf_bytes: &[u8]) -> Result<(), Mismatch> {
    use std::io::Read;
    let mut left = crate::limits::MAX_LETTER_INFLATED_BYTES;
    let mut at = 0;
    while let Some(start) = memchr::memmem::find(&pdf_bytes[at..], b"stream").map(|i| at + i + 6) {
        let body = pdf_bytes[start..].strip_prefix(b"\r\n").or_else(|| pdf_bytes[start..].strip_prefix(b"\n"));
        let Some(body) = body else {
            at = start;
            continue;
        };
        let end = memchr::memmem::find(body, b"endstream").unwrap_or(body.len());
        let mut inflated = flate2::read::ZlibDecoder::new(&body[..end]).take(left.saturating_add(1));
        let mut sink = std::io::sink();
        let n = std::io::copy(&mut inflated, &mut sink).unwrap_or(0).max(end as u64);
        left = left.checked_sub(n).ok_or_else(|| {
            Mismatch::NotPdf("its contents expand past any letter's size, so it is no letter of this program's".into())
        })?;
        at = pdf_bytes.len() - body.len() + end;
    }
    Ok(())
}

/// The keywords a letter carries in its metadata (fingerprint, reference,
/// and the draft mark). Only `verify` asks, after [`bounded`].
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
/// SHA-256 of exactly these bytes, and making the letter again from the
/// record as it stood at the issuing entry gives this letter), a draft, or
/// neither. `file` is where the record is (its plan is looked for beside
/// it); `wording` is a wording file the reader names, tried before the one
/// beside the program and the built-in one.
pub fn verify(
    pdf_bytes: &[u8],
    assessment: &Assessment,
    file: &std::path::Path,
    wording: Option<&Templates>,
) -> Result<Verdict, Mismatch> {
    bounded(pdf_bytes)?;
    let sha = crate::plan::fingerprint(pdf_bytes);
    let issued =
        assessment.audit.iter().find(|e| matches!(&e.change, Change::LetterIssued { sha256, .. } if *sha256 == sha));
    if let Some(entry) = issued {
        let Change::LetterIssued { reference, code, .. } = &entry.change else { return Err(Mismatch::NotIssued) };
        let content = remade(pdf_bytes, assessment, entry, file, wording)?;
        let seen = crate::assessment::audit::ancestry(&assessment.audit, &entry.hash);
        let later: Vec<&crate::assessment::Entry> =
            assessment.audit.iter().filter(|e| !seen.contains(e.hash.as_str())).collect();
        // A change recorded beside the sign-off it was issued under leaves
        // the result needing a new sign-off: the letter no longer stands.
        let uncovered = (!assessment.uncovered.is_empty()).then(|| {
            format!(
                "{} change(s) were recorded beside the sign-off it was issued under, so the result awaits a new sign-off",
                assessment.uncovered.len()
            )
        });
        let superseded_by = uncovered.or_else(|| {
            later.iter().find_map(|e| match &e.change {
                Change::LetterIssued { reference: other, .. } => Some(format!(
                    "letter {other} was issued from this record after it or beside it ({}, {})",
                    e.at, e.who
                )),
                Change::Reopened { reason } => {
                    Some(format!("the result was reopened after it ({}, {}: {reason})", e.at, e.who))
                }
                _ => None,
            })
        });
        if let Some(by) = superseded_by {
            return Ok(Verdict::Superseded {
                reference: reference.clone(),
                at: entry.at.clone(),
                who: entry.who.clone(),
                by,
            });
        }
        let since = later.iter().map(|e| format!("{} ({}, {})", e.change.describe(), e.who, e.at)).collect();
        return Ok(Verdict::Issued {
            reference: reference.clone(),
            code: code.clone(),
            at: entry.at.clone(),
            who: entry.who.clone(),
            since,
            content,
        });
    }
    let keywords = letter_keywords(pdf_bytes)?;
    if keywords.contains(pdf::DRAFT_KEYWORD) {
        return Ok(Verdict::Draft);
    }
    if !keywords.contains(pdf::FINGERPRINT_KEYWORD) {
        return Err(Mismatch::NoFingerprint);
    }
    let same_reference = assessment
        .audit
        .iter()
        .find(|e| matches!(&e.change, Change::LetterIssued { reference, .. } if keywords.contains(reference.as_str())));
    let made_from_this = keywords.contains(&format!("{}{}", pdf::FINGERPRINT_KEYWORD, fingerprint(assessment)));
    match same_reference {
        None if made_from_this => Err(Mismatch::CopyEndsBeforeIssue),
        Some(e) => {
            let reference = match &e.change {
                Change::LetterIssued { reference, .. } => reference.clone(),
                _ => String::new(),
            };
            Err(Mismatch::Edited { reference, at: e.at.clone(), who: e.who.clone() })
        }
        None => Err(Mismatch::NotIssued),
    }
}

/// Makes the letter again from the record as it stood when `entry` issued
/// it, and says how it compares with the PDF: the same bytes, or (for a
/// letter an earlier version of the program laid out) the same text.
fn remade(
    pdf_bytes: &[u8],
    assessment: &Assessment,
    entry: &crate::assessment::Entry,
    file: &std::path::Path,
    wording: Option<&Templates>,
) -> Result<Content, Mismatch> {
    let Change::LetterIssued { reference, date, wording: recorded, program, .. } = &entry.change else {
        return Err(Mismatch::NotIssued);
    };
    let cannot = |why: String| Mismatch::CannotRemake { reference: reference.clone(), why };
    let before = crate::assessment::audit::ancestry(&assessment.audit, &entry.hash);
    let trail: Vec<_> =
        assessment.audit.iter().filter(|e| e.hash != entry.hash && before.contains(e.hash.as_str())).cloned().collect();
    let then =
        Assessment::from_record(&assessment.plan.path, &assessment.framework.source, &assessment.framework.text, trail)
            .map_err(|e| cannot(e.to_string()))?;
    let plan = then.open_plan(file).map_err(|e| cannot(e.to_string()))?;
    // Format 3 recorded no date: the reference carries it (…/20120914-9BA9).
    let date = date
        .or_else(|| {
            let stamp = reference.rsplit('/').next()?.split('-').next()?;
            chrono::NaiveDate::parse_from_str(stamp, "%Y%m%d").ok()
        })
        .ok_or_else(|| cannot("the issuing entry gives no date".into()))?;
    let candidates: Vec<Templates> =
        wording.cloned().into_iter().chain(Templates::beside_program().ok()).chain([Templates::builtin()]).collect();
    let templates = match recorded {
        Some(fp) => candidates.iter().find(|t| &t.fingerprint == fp).ok_or_else(|| {
            cannot(format!(
                "it was made with a wording file (SHA-256 {}) that is not at hand here: name it with --templates",
                &fp[..16.min(fp.len())]
            ))
        })?,
        None => &candidates[0],
    };
    let framework = then.framework().clone();
    let evaluation = crate::scoring::evaluate(&plan, &framework, &then);
    let (letter, bytes) =
        draw(&plan, &framework, &then, &evaluation, templates, date, false).map_err(|e| cannot(e.to_string()))?;
    if bytes.as_slice() == signature::unsigned(pdf_bytes).as_ref() {
        return Ok(Content::Same);
    }
    let differs =
        || Mismatch::ContentDiffers { reference: reference.clone(), at: entry.at.clone(), who: entry.who.clone() };
    let theirs = pdf::text_of(pdf_bytes).ok_or_else(differs)?;
    if pdf::text_of(&bytes).as_deref() == Some(theirs.as_str()) {
        return Ok(Content::SameText);
    }
    // This version must make its own letters word for word; a letter an
    // earlier version worded is held to what no version may change: the
    // decision and every figure the record gives.
    // Held to its facts only where format 3 issued it (an entry with no
    // place in its author's chain, which a format 4 record cannot hold
    // after its first chained entry); a format 4 letter is this version's
    // word for word, or another version's to check.
    if entry.seq.is_some() {
        return match program.as_deref() {
            Some(v) if v != env!("CARGO_PKG_VERSION") => Err(cannot(format!(
                "it was made by version {v} of the program, whose wording this version does not make; check it with that version"
            ))),
            _ => Err(differs()),
        };
    }
    let by = "an earlier version (format 3)".to_string();
    if letter_keywords(pdf_bytes).is_ok_and(|k| k.contains(pdf::DRAFT_KEYWORD)) {
        return Err(differs());
    }
    let facts = decision_facts(&letter, &evaluation);
    match facts.iter().find(|f| !theirs.contains(f.as_str())) {
        None => Ok(Content::SameFacts { program: by, facts: facts.len() }),
        Some(_) => Err(differs()),
    }
}

/// What any version's letter of this record must say: its reference and
/// code, the outcome, the overall score and every domain's score.
fn decision_facts(letter: &Letter, evaluation: &crate::scoring::Evaluation) -> Vec<String> {
    let mut facts = vec![letter.reference.clone(), letter.code.clone(), evaluation.outcome.label.clone()];
    facts.extend(evaluation.overall.map(crate::scoring::percent));
    facts.extend(evaluation.domains.iter().filter_map(|d| d.score.map(crate::scoring::percent)));
    facts
}

/// Composes and draws the letter for an assessment: the one call the
/// window and the command line share.
pub fn write(
    plan: &crate::plan::Plan,
    framework: &crate::criteria::Framework,
    assessment: &Assessment,
    templates: &Templates,
    trust: &crate::roster::Trust,
    date: chrono::NaiveDate,
) -> Result<(Letter, Vec<u8>), pdf::PdfError> {
    let evaluation = crate::scoring::evaluate_as_of(plan, framework, assessment, crate::scoring::AsOf { trust, date });
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
    /// A final letter tells the CSU whom to contact and how to ask for a
    /// review: the BDU's wording must give them.
    #[error(
        "{}: the letter wording does not give what a final letter must, so only a draft can be made; fill these in the wording file (letters.toml beside the program, or --templates):\n  - {}",
        file.display(),
        entries.join("\n  - ")
    )]
    WordingUnfilled { file: std::path::PathBuf, entries: Vec<&'static str> },
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
    #[error("{}: {why}", file.display())]
    NotShown { file: std::path::PathBuf, why: String },
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
    /// Whose certificate signed the PDF, for readers; none for a draft.
    pub signed_by: Option<String>,
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
    viewer: Option<&str>,
    trust: &crate::roster::Trust,
    date: chrono::NaiveDate,
) -> Result<Made, LetterError> {
    let assessment = crate::store::load(file)?;
    // A letter shows the panel's scores: it is made only for a computer
    // that may see them, as every page and verb is (a member still
    // scoring, or a computer of nobody's while anyone is, sees none).
    let view = assessment
        .view_asked(viewer, member, trust)
        .map_err(|r| LetterError::NotShown { file: file.to_path_buf(), why: r.to_string() })?;
    if !view.sees_panel {
        if view.member.is_empty() {
            return Err(LetterError::NotShown {
                file: file.to_path_buf(),
                why: "this computer holds no panel member's key, and members are still scoring: the letter, which shows the panel's scores, is made on a member's computer once they have finished, or on the BDU office's".into(),
            });
        }
        return Err(LetterError::Hidden { file: file.to_path_buf(), member: view.member });
    }
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
        crate::scoring::evaluate_as_of(&plan, &framework, &assessment, crate::scoring::AsOf { trust, date });
    if evaluation.outcome.provisional && !draft {
        return Err(LetterError::Incomplete { file: file.to_path_buf(), missing: evaluation.missing });
    }
    if !draft && !templates.unfilled().is_empty() {
        return Err(LetterError::WordingUnfilled { file: file.to_path_buf(), entries: templates.unfilled() });
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
    Ok(Made { assessment, letter, pdf, signed_by: None })
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
    #[error("{}: the letter was not issued: {source}", file.display())]
    Unsigned { file: std::path::PathBuf, source: signature::SignError },
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// Issues the final letter of an assessment file: makes it, signs it as
/// PDF readers check (with the roster's certificate for `key`), records its
/// reference, code and the SHA-256 of the signed bytes on the trail (signed with `key`, as the
/// member whose key it is) and saves the record. The PDF's bytes are
/// returned for the caller to write; the record already vouches for them.
pub fn issue(
    file: &std::path::Path,
    templates: &Templates,
    trust: &crate::roster::Trust,
    key: &crate::keys::Identity,
    at: &str,
    date: chrono::NaiveDate,
) -> Result<Made, IssueError> {
    let mut made = from_file(file, templates, false, None, Some(&key.public()), trust, date)?;
    let mut assessment = made.assessment.clone();
    let who = assessment
        .member_with_key(&key.public())
        .map(String::from)
        .ok_or_else(|| IssueError::NotAMember { file: file.to_path_buf() })?;
    let unsigned = |source| IssueError::Unsigned { file: file.to_path_buf(), source };
    let signer = signature::Signer::for_key(trust, key).map_err(unsigned)?;
    made.pdf = signer.sign(&made.pdf, made.letter.timestamp).map_err(unsigned)?;
    made.signed_by = Some(signer.name());
    let plan =
        assessment.open_plan(file).map_err(|source| LetterError::Assessment { file: file.to_path_buf(), source })?;
    let edit = crate::assessment::Edit::IssueLetter {
        reference: made.letter.reference.clone(),
        code: made.letter.code.clone(),
        sha256: crate::plan::fingerprint(&made.pdf),
        date,
        wording: templates.fingerprint.clone(),
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
