//! CSU Assess: the domain core.
//!
//! Assessors of the Business Development Unit load a commissioning support
//! unit's business plan workbook ([`plan`]), and everything else the program
//! does (the window, the command line) calls into these modules. None of them
//! knows about the window, so each can be tested and reused on its own.
//!
//! - [`plan`]: reading plan workbooks into a plan with findings and metrics.
//! - [`portfolio`]: every CSU of a round side by side, and how alike the assessors score.
//! - [`parallel`]: independent work spread over every core.
//! - [`about`]: the version, what is built in and the licences of what ships.
//! - [`assessment`]: the assessors' work: scores with evidence, consensus, actions.
//! - [`certificates`]: the BDU office's certificate authority and chairs' letter-signing certificates.
//! - [`criteria`]: the BDU's criteria frameworks, read and validated.
//! - [`ccg`]: the CCGs' interviews, their figures, and the plan's claims they contradict.
//! - [`calibration`]: the reference plan and the BDU's agreed scores for it.
//! - [`examples`]: the built-in example plans and the blank template.
//! - [`files`]: reading user-named files: regular files only, bounded.
//! - [`leaders`]: the leaders' interview: its schedule, script, members' private notes and the agreed account.
//! - [`keys`]: each installation's signing key, and the keys the BDU knows.
//! - [`letter`]: assessment letters, composed, laid out and drawn as PDF.
//! - [`limits`]: every bound on input, in one place.
//! - [`roster`]: the BDU's signed roster: whose key is whose, who may chair, what is revoked.
//! - [`scoring`]: evaluating a plan and an assessment against a framework.
//! - [`store`]: assessment files on disk, saved atomically.
//! - [`text`]: what a person's text may hold: a name is one line.
//! - `ui` (with the default `window` feature): the desktop window, a thin
//!   layer over the modules above; none of them depends on it, and without
//!   the feature the crate builds without eframe, egui or rfd.

pub mod about;
pub mod assessment;
pub mod assets;
pub mod calibration;
pub mod ccg;
pub mod certificates;
pub mod criteria;
pub mod examples;
pub mod files;
pub mod keys;
pub mod leaders;
pub mod letter;
pub mod limits;
pub mod parallel;
pub mod plan;
pub mod portfolio;
pub mod roster;
pub mod scoring;
pub mod store;
pub mod text;
#[cfg(feature = "window")]
pub mod ui;
pub mod when;

/// The user's data folder for the program: examples, homeless assessments,
/// the signing key. Never beside the program, which may be read-only.
pub fn data_dir() -> std::path::PathBuf {
    directories::ProjectDirs::from("uk.nhs", "BDU", "CSU Assess")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("csu-assess"))
}
