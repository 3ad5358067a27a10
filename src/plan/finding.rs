//! Findings: what an assessor is told about an imperfect plan.
//!
//! A plan with problems still loads; each problem becomes a finding with a
//! severity, the sheet and cell it comes from, and a sentence an assessor
//! understands. Findings are collected, never thrown, so one bad cell never
//! hides the rest of the plan.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a finding matters to the assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the template requires is missing or unreadable.
    Error,
    /// A value was doubtful, ignored, or inconsistent with another.
    Warning,
    /// A value was read, but not exactly as written (a slip corrected, a unit assumed).
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// One problem found in a plan, located as precisely as the workbook allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// The sheet's name as written in the workbook, or the template's name
    /// when the sheet is missing altogether.
    pub sheet: String,
    /// An A1 reference such as `C7`, empty when the finding is about a whole sheet.
    pub cell: String,
    pub message: String,
}

impl Finding {
    /// `Customers!C7` or just `Customers`.
    pub fn location(&self) -> String {
        if self.cell.is_empty() { self.sheet.clone() } else { format!("{}!{}", self.sheet, self.cell) }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.severity, self.location(), self.message)
    }
}

/// Turns a zero-based (row, column) into an A1 reference.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// Zero-based column index to letters: 0 is `A`, 26 is `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// Collects findings up to [`crate::limits::MAX_FINDINGS`], then one that
/// says how many more there were.
#[derive(Debug, Default)]
pub struct Findings {
    list: Vec<Finding>,
    dropped: usize,
}

impl Findings {
    pub fn push(&mut self, severity: Severity, sheet: &str, cell: Option<(u32, u32)>, message: impl Into<String>) {
        if self.list.len() >= crate::limits::MAX_FINDINGS {
            self.dropped += 1;
            return;
        }
        self.list.push(Finding {
            severity,
            sheet: sheet.to_string(),
            cell: cell.map(|(r, c)| cell_ref(r, c)).unwrap_or_default(),
            message: message.into(),
        });
    }

    pub fn error(&mut self, sheet: &str, cell: Option<(u32, u32)>, message: impl Into<String>) {
        self.push(Severity::Error, sheet, cell, message);
    }

    pub fn warning(&mut self, sheet: &str, cell: Option<(u32, u32)>, message: impl Into<String>) {
        self.push(Severity::Warning, sheet, cell, message);
    }

    pub fn note(&mut self, sheet: &str, cell: Option<(u32, u32)>, message: impl Into<String>) {
        self.push(Severity::Note, sheet, cell, message);
    }

    /// The findings, most severe first, then in sheet order as found.
    pub fn into_vec(mut self) -> Vec<Finding> {
        if self.dropped > 0 {
            self.list.push(Finding {
                severity: Severity::Warning,
                sheet: String::new(),
                cell: String::new(),
                message: format!(
                    "{} further findings were not listed; correct the ones above and load the plan again",
                    self.dropped
                ),
            });
        }
        self.list.sort_by_key(|f| f.severity);
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_are_a1() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 2), "C7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
    }
}
