//! Findings: what an assessor is told about an imperfect plan.
//!
//! A plan with problems still loads; each problem becomes a finding with a
//! severity, the sheet and cell it comes from, and a sentence an assessor
//! understands. Findings are collected, never thrown, so one bad cell never
//! hides the rest of the plan.

use super::template::TemplateSheet;
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
    /// The template sheet it stands for; none for a sheet the template does
    /// not have (a macro sheet, the sheet a stray cover was found on).
    pub template: Option<TemplateSheet>,
    /// The cell, absent when the finding is about a whole sheet.
    pub cell: Option<CellAt>,
    pub message: String,
    /// What the cell holds, as the workbook has it ("Maybe", a formula
    /// without its result), so the window can show it beside the finding
    /// even where the reading made nothing of it; absent for a blank cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Finding {
    /// `Customers!C7` or just `Customers`.
    pub fn location(&self) -> String {
        match self.cell {
            Some(cell) => format!("{}!{cell}", self.sheet),
            None => self.sheet.clone(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.severity, self.location(), self.message)
    }
}

/// A cell by zero-based row and column; shown, and written in JSON, as an
/// A1 reference because that is how an assessor finds it in the workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct CellAt {
    pub row: u32,
    pub col: u32,
}

impl fmt::Display for CellAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&cell_ref(self.row, self.col))
    }
}

impl From<CellAt> for String {
    fn from(cell: CellAt) -> String {
        cell.to_string()
    }
}

impl TryFrom<String> for CellAt {
    type Error = String;

    fn try_from(a1: String) -> Result<CellAt, String> {
        let letters: String = a1.chars().take_while(char::is_ascii_uppercase).collect();
        let row: u32 = a1[letters.len()..].parse().map_err(|_| format!("{a1} is not a cell reference"))?;
        let col = letters.bytes().try_fold(0u32, |n, b| n.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1));
        match (col, row.checked_sub(1)) {
            (Some(col @ 1..), Some(row)) => Ok(CellAt { row, col: col - 1 }),
            _ => Err(format!("{a1} is not a cell reference")),
        }
    }
}

/// The sheet a finding is about: its name in the workbook and the template
/// sheet it stands for.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub name: &'a str,
    pub template: Option<TemplateSheet>,
}

impl<'a> Place<'a> {
    pub fn of(name: &'a str, which: TemplateSheet) -> Place<'a> {
        Place { name, template: Some(which) }
    }

    /// A template sheet the workbook does not have, named as the template names it.
    pub fn missing(which: TemplateSheet) -> Place<'static> {
        Place { name: which.name(), template: Some(which) }
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
    pub fn push(&mut self, severity: Severity, sheet: Place<'_>, cell: Option<(u32, u32)>, message: impl Into<String>) {
        if self.list.len() >= crate::limits::MAX_FINDINGS {
            self.dropped += 1;
            return;
        }
        self.list.push(Finding {
            severity,
            sheet: sheet.name.to_string(),
            template: sheet.template,
            cell: cell.map(|(row, col)| CellAt { row, col }),
            message: message.into(),
            value: None,
        });
    }

    pub fn error(&mut self, sheet: Place<'_>, cell: Option<(u32, u32)>, message: impl Into<String>) {
        self.push(Severity::Error, sheet, cell, message);
    }

    pub fn warning(&mut self, sheet: Place<'_>, cell: Option<(u32, u32)>, message: impl Into<String>) {
        self.push(Severity::Warning, sheet, cell, message);
    }

    pub fn note(&mut self, sheet: Place<'_>, cell: Option<(u32, u32)>, message: impl Into<String>) {
        self.push(Severity::Note, sheet, cell, message);
    }

    /// The findings, most severe first, then in sheet order as found.
    pub fn into_vec(mut self) -> Vec<Finding> {
        if self.dropped > 0 {
            self.list.push(Finding {
                severity: Severity::Warning,
                sheet: String::new(),
                template: None,
                cell: None,
                message: format!(
                    "{} further findings were not listed; correct the ones above and load the plan again",
                    self.dropped
                ),
                value: None,
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

    #[test]
    fn cells_read_back_from_a1() {
        for (row, col) in [(0, 0), (6, 2), (0, 26), (1_048_575, 16_383)] {
            let cell = CellAt { row, col };
            assert_eq!(CellAt::try_from(cell.to_string()), Ok(cell));
        }
        for bad in ["", "7", "C", "C0", "c7", "ZZZZZZZZ1"] {
            assert!(CellAt::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }
}
