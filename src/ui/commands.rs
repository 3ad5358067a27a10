//! What the user can ask for, in two tables.
//!
//! [`Edit`] is every change to the assessment a widget can request. Widgets
//! never change the assessment themselves: they push an `Edit`, and
//! [`super::state::AppState::apply`] applies it in one place, where undo,
//! autosave and the evaluation see every change.
//!
//! [`Action`] is every menu item and shortcut, with its label, shortcut and
//! tooltip in one table that the menus and the keyboard handler both read.

use chrono::NaiveDate;
use eframe::egui::{Key, KeyboardShortcut, Modifiers};

/// A change to the open assessment.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// The current assessor's score (and evidence) for a criterion.
    Score {
        criterion: String,
        score: u8,
        evidence: String,
    },
    /// The panel's consensus for a criterion.
    Consensus {
        criterion: String,
        score: u8,
        rationale: String,
    },
    AddAction {
        action: String,
        owner: String,
        due: NaiveDate,
        criterion: Option<String>,
    },
    RemoveAction {
        id: String,
    },
    DecisionNotes(String),
    AddMember {
        name: String,
        role: String,
    },
    /// The current assessor has finished scoring.
    MarkDone,
    Discussion {
        criterion: String,
        note: String,
    },
    /// The current assessor, as chair, signs off the panel's result.
    SignOff,
}

/// A menu item or shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Open,
    Save,
    ExportLetter,
    MergeCopy,
    CloseAssessment,
    Undo,
    Redo,
    ShowPlan,
    ShowScoring,
    ShowSummary,
    ShowLetter,
    ShowPanel,
    ToggleTheme,
    Quit,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::Open,
        Action::Save,
        Action::ExportLetter,
        Action::MergeCopy,
        Action::CloseAssessment,
        Action::Undo,
        Action::Redo,
        Action::ShowPlan,
        Action::ShowScoring,
        Action::ShowSummary,
        Action::ShowLetter,
        Action::ShowPanel,
        Action::ToggleTheme,
        Action::Quit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::Open => "Open plan or assessment…",
            Action::Save => "Save now",
            Action::ExportLetter => "Export letter as PDF…",
            Action::MergeCopy => "Merge a reviewer's copy…",
            Action::CloseAssessment => "Close",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::ShowPlan => "Plan",
            Action::ShowScoring => "Scoring",
            Action::ShowSummary => "Summary",
            Action::ShowLetter => "Letter",
            Action::ShowPanel => "Panel",
            Action::ToggleTheme => "Switch light and dark theme",
            Action::Quit => "Quit",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Action::Open => "Open a plan workbook (.xlsx, .xls, .xlsb, .ods) or an assessment (.csuassess)",
            Action::Save => "Assessments save themselves within seconds of every change; this saves at once",
            Action::ExportLetter => "Write the assessment letter as a PDF",
            Action::MergeCopy => "Join a copy of this assessment scored elsewhere; every change of both is kept",
            Action::CloseAssessment => "Close the plan and assessment and return to the start page",
            Action::Undo => "Undo the last change to the assessment",
            Action::Redo => "Redo the change last undone",
            Action::ShowPlan => "The plan: cover, figures, tables, finance and narrative",
            Action::ShowScoring => "Score each criterion with evidence",
            Action::ShowSummary => "Scores, outcome, what is missing and sensitivity",
            Action::ShowLetter => "Development plan and the letter",
            Action::ShowPanel => "Panel members, moderation, consensus and the chair's sign-off",
            Action::ToggleTheme => "Light or dark colours",
            Action::Quit => "Close the program; your work is saved",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let ctrl = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        match self {
            Action::Open => ctrl(Key::O),
            Action::Save => ctrl(Key::S),
            Action::ExportLetter => ctrl(Key::E),
            Action::MergeCopy => ctrl(Key::M),
            Action::CloseAssessment => ctrl(Key::W),
            Action::Undo => ctrl(Key::Z),
            Action::Redo => ctrl(Key::Y),
            Action::ShowPlan => ctrl(Key::Num1),
            Action::ShowScoring => ctrl(Key::Num2),
            Action::ShowSummary => ctrl(Key::Num3),
            Action::ShowLetter => ctrl(Key::Num4),
            Action::ShowPanel => ctrl(Key::Num5),
            Action::ToggleTheme => None,
            Action::Quit => ctrl(Key::Q),
        }
    }
}
