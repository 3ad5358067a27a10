//! What the window can be asked to do: every menu item and shortcut
//! ([`Action`]), with its label, shortcut and tooltip in one table that the
//! menus and the keyboard handler both read, and the [`Command`]s widgets
//! push. The window applies the queue in one place per frame, after the
//! pages are drawn (`run_commands` in `ui/mod.rs`): that one
//! place records every change (the library's
//! [`crate::assessment::Edit`], its rules the record's), so undo, autosave
//! and the unsaved state see them all.

use super::drafts::Field;
use crate::assessment::Edit;
use eframe::egui::{Key, KeyboardShortcut, Modifiers};

/// A widget's request, queued until the frame's pages are drawn.
#[derive(Clone, Debug)]
pub enum Command {
    /// A menu item or shortcut.
    Run(Action),
    /// An edit to record as the acting member, and the text boxes whose
    /// drafts it spends once it is recorded (a refusal spends none).
    Record { edit: Edit, typed: Vec<Field> },
}

impl Command {
    /// An edit typed in no text box.
    pub fn record(edit: Edit) -> Command {
        Command::Record { edit, typed: Vec::new() }
    }
}

/// A menu item or shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    OpenFolder,
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
    ShowInterviews,
    ShowLeaders,
    ShowPortfolio,
    ToggleTheme,
    ShowShortcuts,
    ShowAbout,
    ShowMyKey,
    NextCriterion,
    PreviousCriterion,
    FocusEvidence,
    Quit,
}

impl Action {
    /// Ctrl+Shift+O comes before Ctrl+O: egui matches a shortcut with
    /// Shift ignored, so the plainer one first would take both.
    pub const ALL: [Action; 24] = [
        Action::OpenFolder,
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
        Action::ShowInterviews,
        Action::ShowLeaders,
        Action::ShowPortfolio,
        Action::ToggleTheme,
        Action::ShowShortcuts,
        Action::ShowAbout,
        Action::ShowMyKey,
        Action::NextCriterion,
        Action::PreviousCriterion,
        Action::FocusEvidence,
        Action::Quit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::OpenFolder => "Open a folder of plans and assessments…",
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
            Action::ShowInterviews => "CCG interviews",
            Action::ShowLeaders => "Leaders' interview",
            Action::ShowPortfolio => "Portfolio",
            Action::ToggleTheme => "Switch light and dark theme",
            Action::ShowShortcuts => "Keyboard shortcuts",
            Action::ShowAbout => "About CSU Assess",
            Action::ShowMyKey => "My key…",
            Action::NextCriterion => "Next criterion",
            Action::PreviousCriterion => "Previous criterion",
            Action::FocusEvidence => "Write the evidence",
            Action::Quit => "Quit",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Action::OpenFolder => {
                "Every CSU of a round side by side: the plans and assessments of a folder and its subfolders"
            }
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
            Action::ShowInterviews => "The CCGs' interviews: what each said, and what it contradicts in the plan",
            Action::ShowLeaders => "The leaders' interview: arrangements, script, your notes and the agreed account",
            Action::ShowPortfolio => "The folder last opened: every CSU, charts, assessors alike, declared interests",
            Action::ToggleTheme => "Light or dark colours",
            Action::ShowShortcuts => "Every command and its key",
            Action::ShowAbout => "The version, the frameworks and wording built in, and the licences of what it ships",
            Action::ShowMyKey => {
                "This computer's public key: copy it for the chair, or export it for the BDU to list among the keys it knows"
            }
            Action::NextCriterion => "Score the next criterion (works while typing too)",
            Action::PreviousCriterion => "Go back to the previous criterion",
            Action::FocusEvidence => "Put the cursor in the evidence box of the criterion being scored",
            Action::Quit => "Close the program; your work is saved",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let ctrl = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        match self {
            Action::OpenFolder => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::O)),
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
            Action::ShowInterviews => ctrl(Key::Num7),
            Action::ShowLeaders => ctrl(Key::Num8),
            Action::ShowPortfolio => ctrl(Key::Num6),
            Action::ToggleTheme | Action::ShowAbout | Action::ShowMyKey => None,
            Action::ShowShortcuts => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F1)),
            Action::NextCriterion => Some(KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown)),
            Action::PreviousCriterion => Some(KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp)),
            Action::FocusEvidence => Some(KeyboardShortcut::new(Modifiers::ALT, Key::E)),
            Action::Quit => ctrl(Key::Q),
        }
    }
}
