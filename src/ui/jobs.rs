//! Work done on other threads, so the window keeps drawing: reading a plan
//! or an assessment (and its plan), and the platform's file dialog.

use crate::assessment::Assessment;
use crate::criteria::Framework;
use crate::plan::{self, Plan};
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
/// where a letter would go.
pub fn dialog(purpose: DialogPurpose, suggested: Option<PathBuf>) -> Job {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let dialog = rfd::FileDialog::new();
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
            DialogPurpose::ExportLetter => {
                let mut d = dialog.set_title("Export the letter").add_filter("PDF", &["pdf"]);
                if let Some(s) = &suggested {
                    if let Some(dir) = s.parent() {
                        d = d.set_directory(dir);
                    }
                    if let Some(name) = s.file_name() {
                        d = d.set_file_name(name.to_string_lossy());
                    }
                }
                d.save_file()
            }
        };
        let _ = tx.send((chosen, started.elapsed()));
    });
    Job::Dialog { purpose, result: rx }
}
