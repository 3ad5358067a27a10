//! Work done on other threads, so the window keeps drawing: reading a plan
//! or an assessment (and its plan), reading a folder into a portfolio, and
//! the platform's file dialog.

use crate::assessment::Assessment;
use crate::criteria::Framework;
use crate::plan::{self, Plan};
use crate::portfolio::{self, Portfolio};
use crate::store;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Work done on another thread.
pub enum Job {
    /// A plan or an assessment (and its plan) being read, and its path.
    Import { path: PathBuf, result: Receiver<Result<Opened, (String, Option<String>)>> },
    /// A file dialog; what it is for, and its answer with how long it took.
    Dialog { purpose: DialogPurpose, result: Receiver<(Option<PathBuf>, Duration)> },
    /// A folder of plans and assessments being read into a portfolio.
    Portfolio { folder: PathBuf, result: Receiver<Result<Portfolio, String>> },
}

/// What a file turned out to hold once read.
pub enum Opened {
    Plan(Box<Plan>),
    Assessment(Box<(Assessment, Framework, Plan)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    Open,
    ExportLetter,
    /// A reviewer's copy of the open assessment, to merge into it.
    Merge,
    /// A criteria file of the BDU's own.
    Criteria,
    /// A folder of plans and assessments, read as a portfolio.
    OpenFolder,
    /// Where to write the portfolio, in one of its exports.
    ExportPortfolio(PortfolioExport),
    /// The same CSU's assessment at the checkpoint before, to link.
    LinkEarlier,
    /// Where to write this computer's key for the BDU office to enrol.
    ExportKey,
}

impl DialogPurpose {
    /// Whether the dialog names a file to write, so a typed path that
    /// exists is asked about before it is replaced.
    pub fn saves(self) -> bool {
        matches!(self, DialogPurpose::ExportLetter | DialogPurpose::ExportPortfolio(_) | DialogPurpose::ExportKey)
    }

    /// What the typed path names, for the prompt's words.
    pub fn names(self) -> &'static str {
        if self == DialogPurpose::OpenFolder { "folder" } else { "file" }
    }
}

/// The portfolio's exports: one workbook with every sheet, or CSV of the
/// rows or of every score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortfolioExport {
    Workbook,
    Rows,
    Scores,
}

impl PortfolioExport {
    pub const ALL: [PortfolioExport; 3] = [PortfolioExport::Workbook, PortfolioExport::Rows, PortfolioExport::Scores];

    /// The button that starts it.
    pub fn label(self) -> &'static str {
        match self {
            PortfolioExport::Workbook => "Export workbook (.xlsx)…",
            PortfolioExport::Rows => "Export CSV…",
            PortfolioExport::Scores => "Export scores CSV…",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            PortfolioExport::Workbook => {
                "Every sheet: the CSUs, every score, the assessors' figures, declared interests and the files not read"
            }
            PortfolioExport::Rows => "One line a CSU and checkpoint, with every column of the table",
            PortfolioExport::Scores => "Every member's score with its evidence, beside the panel's consensus",
        }
    }

    /// The end of the suggested file name, after the folder's name.
    pub fn suffix(self) -> &'static str {
        match self {
            PortfolioExport::Workbook => "portfolio.xlsx",
            PortfolioExport::Rows => "portfolio.csv",
            PortfolioExport::Scores => "scores.csv",
        }
    }

    pub fn extension(self) -> &'static str {
        if self == PortfolioExport::Workbook { "xlsx" } else { "csv" }
    }

    /// The file's bytes, made by the library.
    pub fn bytes(self, p: &Portfolio) -> Result<Vec<u8>, String> {
        match self {
            PortfolioExport::Workbook => portfolio::export::xlsx(p).map_err(|e| e.to_string()),
            PortfolioExport::Rows => Ok(portfolio::export::portfolio_csv(p).into_bytes()),
            PortfolioExport::Scores => Ok(portfolio::export::scores_csv(p).into_bytes()),
        }
    }
}

/// A path typed by hand, when the platform's file dialog cannot open.
#[derive(Clone, Debug)]
pub struct PathPrompt {
    pub purpose: DialogPurpose,
    pub text: String,
    /// Whether the path field has been given the keyboard yet.
    pub focused: bool,
    /// A file that already exists at the typed path, waiting for the
    /// assessor to say it may be replaced (a system save dialog asks too).
    pub replacing: Option<PathBuf>,
}

/// Reads a plan or an assessment (and an assessment's plan) on another thread.
pub fn read(path: &Path) -> Job {
    let is_assessment = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csuassess"));
    let (tx, rx) = channel();
    let owned = path.to_path_buf();
    std::thread::spawn(move || {
        let read = if is_assessment {
            store::load(&owned)
                .map_err(|e| e.to_string())
                .and_then(|a| {
                    let framework = a.framework().clone();
                    let plan = a.open_plan(&owned).map_err(|e| format!("{}: {e}", owned.display()))?;
                    Ok(Opened::Assessment(Box::new((a, framework, plan))))
                })
                .map_err(|e| (e, None))
        } else {
            plan::import(&owned)
                .map(|p| Opened::Plan(Box::new(p)))
                .map_err(|e| (e.to_string(), e.details().map(String::from)))
        };
        let _ = tx.send(read);
    });
    Job::Import { path: path.to_path_buf(), result: rx }
}

/// Reads a folder into a portfolio on another thread (it imports every
/// plan in it), as the holder of `key` may see it, evaluated today with
/// the BDU's roster as every page is.
pub fn read_folder(folder: &Path, key: Option<String>, trust: crate::roster::Trust) -> Job {
    let (tx, rx) = channel();
    let owned = folder.to_path_buf();
    std::thread::spawn(move || {
        let as_of = crate::scoring::AsOf { trust: &trust, date: chrono::Local::now().date_naive() };
        let _ = tx.send(portfolio::open(&owned, key.as_deref(), as_of).map_err(|e| e.to_string()));
    });
    Job::Portfolio { folder: folder.to_path_buf(), result: rx }
}

/// Whether the platform's file dialog can open at all. On Linux the
/// portal's and zenity's dialogs need a display; without one, zenity fails
/// only once started, at times later than the quick answer
/// [`super::state::AppState::poll`] takes for "no dialog", which would
/// leave the assessor with neither a dialog nor the typed path.
pub fn dialog_possible() -> bool {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    cfg!(any(target_os = "windows", target_os = "macos")) || set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// Opens the platform's file dialog on another thread; `suggested` is
/// where a file to be written would go.
pub fn dialog(purpose: DialogPurpose, suggested: Option<PathBuf>) -> Job {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let dialog = rfd::FileDialog::new();
        let save = |mut d: rfd::FileDialog| {
            if let Some(s) = &suggested {
                if let Some(dir) = s.parent() {
                    d = d.set_directory(dir);
                }
                if let Some(name) = s.file_name() {
                    d = d.set_file_name(name.to_string_lossy());
                }
            }
            d.save_file()
        };
        let chosen = match purpose {
            DialogPurpose::Criteria => {
                dialog.set_title("Open a criteria file").add_filter("Criteria files", &["toml"]).pick_file()
            }
            DialogPurpose::Merge => dialog
                .set_title("Merge a reviewer's copy of this assessment")
                .add_filter("Assessments", &["csuassess"])
                .pick_file(),
            DialogPurpose::Open => dialog
                .set_title("Open a plan or assessment")
                .add_filter("Plans and assessments", &["xlsx", "xlsm", "xls", "xlsb", "ods", "csuassess"])
                .pick_file(),
            DialogPurpose::ExportLetter => save(dialog.set_title("Export the letter").add_filter("PDF", &["pdf"])),
            DialogPurpose::OpenFolder => dialog.set_title("Open a folder of plans and assessments").pick_folder(),
            DialogPurpose::LinkEarlier => dialog
                .set_title("Link the assessment of the checkpoint before")
                .add_filter("Assessments", &["csuassess"])
                .pick_file(),
            DialogPurpose::ExportKey => save(
                dialog.set_title("Export this computer's key for the BDU").add_filter("Known-keys entry", &["toml"]),
            ),
            DialogPurpose::ExportPortfolio(kind) => {
                let extension = kind.extension();
                save(dialog.set_title(kind.label().trim_end_matches('…')).add_filter(extension, &[extension]))
            }
        };
        let _ = tx.send((chosen, started.elapsed()));
    });
    Job::Dialog { purpose, result: rx }
}
