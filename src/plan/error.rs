//! Why a file could not be loaded as a plan at all.
//!
//! Almost every problem in a plan is a [`super::Finding`]; these are the few
//! that leave nothing to assess. Each message names the file and says what
//! to do, because the person reading it has a CSU's submission in hand and
//! needs to know whether to ask the CSU for a new copy.

use std::path::PathBuf;

/// A plan file that was refused, with the file it came from.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct ImportError {
    pub path: PathBuf,
    pub problem: Refusal,
}

/// What was wrong with a refused file.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The file could not be opened or read from disk.
    #[error("could not be read ({0})")]
    Io(#[from] std::io::Error),
    /// The reader stopped on something in the file it cannot handle.
    #[error(
        "could not be read: something in it stops the spreadsheet reader; open it in Excel or LibreOffice and save it as .xlsx (or ask the CSU to)"
    )]
    ReaderFailed,
    /// The name is a folder, pipe or device, not a file.
    #[error("{0}")]
    NotAFile(String),
    /// The file has no bytes.
    #[error("the file is empty; ask the CSU to send the plan again")]
    Empty,
    /// The file is larger than any plan could reasonably be.
    #[error("the file is {:.1} MB, more than the {:.0} MB a plan workbook may be", megabytes(*bytes), megabytes(*limit))]
    TooLarge { bytes: u64, limit: u64 },
    /// The file is some other kind of document.
    #[error("this is {what}, not a spreadsheet workbook; ask the CSU for the plan as .xlsx, .xls, .xlsb or .ods")]
    NotAWorkbook { what: String },
    /// The workbook is password-protected.
    #[error("the workbook is password-protected (encrypted); ask the CSU to remove the password and send it again")]
    Encrypted,
    /// The container is a zip or compound file but damaged. The library's
    /// own words are kept for `--verbose`, never put in front of an assessor.
    #[error("the workbook is damaged and cannot be read; ask the CSU to save it again as .xlsx and send it again")]
    Corrupt { detail: String },
    /// An Excel 2.x, 3.0 or 4.0 worksheet: a format older than any reader here.
    #[error(
        "this is an {version} worksheet, a format too old to read; open it in Excel or LibreOffice and save it as .xlsx"
    )]
    OldExcel { version: &'static str },
    /// An Excel 2003 XML spreadsheet (SpreadsheetML), which no reader here reads.
    #[error(
        "this is an Excel 2003 XML spreadsheet, which cannot be read; open it in Excel or LibreOffice and save it as .xlsx"
    )]
    ExcelXml,
    /// A part of the zip would inflate beyond what a plan needs (a zip bomb).
    #[error(
        "part `{part}` would unpack to {declared} bytes from {compressed}, far more than a plan holds; the file was not opened"
    )]
    Inflates { part: String, declared: u64, compressed: u64 },
    /// A sheet holds more cells than the template could ever need.
    #[error("sheet `{sheet}` {what}; a plan workbook needs far fewer, so the file was not opened")]
    SheetTooLarge { sheet: String, what: String },
    /// The workbook has too many sheets.
    #[error("the workbook has {count} sheets, more than the {limit} a plan may have")]
    TooManySheets { count: usize, limit: usize },
    /// Neither a Cover sheet nor a CSU name anywhere.
    #[error(
        "no Cover sheet and no `CSU name` anywhere in the workbook, so this is not a CSU plan; is it the right file?"
    )]
    NoCsuName,
    /// A workbook with a Cover sheet but nothing of a plan.
    #[error(
        "this workbook has a Cover sheet but no CSU name and none of the plan's sheets (Customers, Services, Finance, Workforce, Leadership, Risks, Narrative), so it is not a CSU plan; is it the right file?"
    )]
    NotAPlan,
}

impl Refusal {
    /// What the reading library said, for `--verbose` and a window's
    /// details: useful to a developer, never the message itself.
    pub fn details(&self) -> Option<&str> {
        match self {
            Refusal::Corrupt { detail } => Some(detail),
            _ => None,
        }
    }
}

impl ImportError {
    pub fn details(&self) -> Option<&str> {
        self.problem.details()
    }
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl Refusal {
    pub fn at(self, path: impl Into<PathBuf>) -> ImportError {
        ImportError { path: path.into(), problem: self }
    }
}
