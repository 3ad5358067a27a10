//! The open session: a plan, its assessment's whole record, what this
//! computer's member may see of it, and what undo can take back. Plain
//! Rust, no window types: the window's state holds one and asks it to
//! change; tests drive it directly.

use crate::assessment::{self, Assessment};
use crate::criteria::Framework;
use crate::plan::Plan;
use crate::scoring::{self, Evaluation};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The open plan and its assessment.
pub struct Session {
    pub plan: Plan,
    pub framework: Framework,
    /// The whole record. Pages never draw from it: they draw from `view`.
    pub(super) record: Assessment,
    /// What the acting member may see ([`Assessment::view_for`]); every
    /// page, the status bar and the letter preview draw from this.
    pub view: assessment::View,
    /// The evaluation of what the view holds.
    pub evaluation: Evaluation,
    /// Where the assessment is saved.
    pub path: PathBuf,
    /// When the last unsaved change was made.
    pub unsaved_since: Option<Instant>,
    pub last_saved: Option<chrono::DateTime<chrono::Local>>,
    /// Entries this window recorded that undo can take back, newest last;
    /// and the entries undo recorded, for redo. Undo and redo record new
    /// entries: nothing is ever taken off the trail.
    pub(super) undo: Vec<String>,
    pub(super) redo: Vec<String>,
    /// The file's size and time when last read or written, to notice a
    /// change saved by another program.
    pub(super) disk_stamp: Option<(std::time::SystemTime, u64)>,
    pub(super) last_disk_check: Instant,
}

impl Session {
    /// The whole record (for the trail and saving, never for showing).
    pub fn record(&self) -> &Assessment {
        &self.record
    }

    /// Recomputes the view and evaluation after the record, the acting
    /// member or the BDU's roster changed. The evaluation is the
    /// letter's, so every page lists the same things still to do before a
    /// letter can go (entries the roster does not vouch for and overdue actions included).
    pub(super) fn refresh(&mut self, key: &str, trust: &crate::roster::Trust) {
        self.view = self.record.view_for_key(key, trust);
        self.evaluation = evaluate(&self.plan, &self.framework, &self.view.assessment, trust);
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// The file's time and size, to notice a change saved by another program.
pub(super) fn disk_stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    std::fs::metadata(path).ok().and_then(|m| Some((m.modified().ok()?, m.len())))
}

/// The evaluation the window shows: the letter's, as of today.
pub(super) fn evaluate(
    plan: &crate::plan::Plan,
    framework: &crate::criteria::Framework,
    assessment: &Assessment,
    trust: &crate::roster::Trust,
) -> scoring::Evaluation {
    let as_of = scoring::AsOf { trust, date: chrono::Local::now().date_naive() };
    scoring::evaluate_as_of(plan, framework, assessment, as_of)
}
