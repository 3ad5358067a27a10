//! The window's state: what is open, what is selected, what is pending.
//!
//! Everything the window does to the assessment goes through
//! [`AppState::apply`]; everything slow (importing a plan, a file dialog)
//! runs on another thread and comes back through [`AppState::poll`]. The
//! state holds no egui types beyond plain values, so tests drive it
//! directly or through the real widgets.

use super::commands::Edit;
use crate::assessment::Assessment;
use crate::criteria::{self, Framework};
use crate::plan::{self, Plan};
use crate::scoring::{self, Evaluation};
use crate::store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Now, as the timestamp every recorded change carries (RFC 3339, UTC).
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// How long after a change the assessment is saved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(2);

/// The most recent files remembered.
const RECENT_LIMIT: usize = 10;

/// Which view fills the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    Start,
    Plan,
    Scoring,
    Summary,
    Letter,
    Panel,
}

/// The tabs of the plan view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanTab {
    Findings,
    Customers,
    Services,
    Finance,
    Workforce,
    Leadership,
    Risks,
    Narrative,
}

impl PlanTab {
    pub const ALL: [PlanTab; 8] = [
        PlanTab::Findings,
        PlanTab::Customers,
        PlanTab::Services,
        PlanTab::Finance,
        PlanTab::Workforce,
        PlanTab::Leadership,
        PlanTab::Risks,
        PlanTab::Narrative,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PlanTab::Findings => "Findings",
            PlanTab::Customers => "Customers",
            PlanTab::Services => "Services",
            PlanTab::Finance => "Finance",
            PlanTab::Workforce => "Workforce",
            PlanTab::Leadership => "Leadership",
            PlanTab::Risks => "Risks",
            PlanTab::Narrative => "Narrative",
        }
    }

    /// The tab showing a sheet's data, for a finding on that sheet.
    pub fn for_sheet(sheet: &str) -> Option<PlanTab> {
        let key = crate::plan::table::sheet_key(sheet);
        PlanTab::ALL.into_iter().find(|t| crate::plan::vocab::normalize(t.label()) == key)
    }
}

/// What the window remembers between runs (never assessment data).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent: Vec<PathBuf>,
    pub dark: bool,
    pub assessor: String,
    /// The assessment open when the program last ran, and whether it closed
    /// cleanly: how a crash is noticed at the next start.
    pub open_assessment: Option<PathBuf>,
    pub clean_exit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// A message shown in the window until dismissed.
#[derive(Clone, Debug)]
pub struct Message {
    pub level: Level,
    pub text: String,
}

/// The open plan and its assessment.
pub struct Session {
    pub plan: Plan,
    pub framework: Framework,
    pub assessment: Assessment,
    /// Where the assessment is saved.
    pub path: PathBuf,
    pub evaluation: Evaluation,
    /// When the last unsaved change was made.
    pub unsaved_since: Option<Instant>,
    pub last_saved: Option<chrono::DateTime<chrono::Local>>,
    /// Assessments before each change, for undo; and undone ones, for redo.
    undo: Vec<Assessment>,
    redo: Vec<Assessment>,
    /// The lock while this window edits the file.
    _lock: Option<store::Lock>,
    /// Who is editing the file elsewhere, when it was opened read-only.
    pub read_only: Option<store::LockHolder>,
}

impl Session {
    pub fn evaluate(&mut self) {
        self.evaluation = scoring::evaluate(&self.plan, &self.framework, &self.assessment);
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// Work done on another thread.
pub enum Job {
    /// A plan or an assessment (and its plan) being read, and its path.
    Import { path: PathBuf, result: Receiver<Result<Opened, String>> },
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
}

pub struct AppState {
    pub view: View,
    pub plan_tab: PlanTab,
    pub session: Option<Session>,
    pub prefs: Prefs,
    pub messages: Vec<Message>,
    pub jobs: Vec<Job>,
    pub prompt: Option<PathPrompt>,
    /// Offered after a crash: the assessment that was open.
    pub recovery: Option<PathBuf>,
    /// Where example plans and assessments without a better home are kept.
    pub data_dir: PathBuf,
    pub selected_criterion: usize,
    /// Evidence being typed for the selected criterion, not yet applied.
    pub evidence_draft: String,
    pub draft_for: Option<String>,
    pub highlight_row: Option<u32>,
    pub narrative_search: String,
    pub sort: Option<(PlanTab, usize, bool)>,
    /// The row order of the last sort, so it is computed once, not every frame.
    pub sort_cache: Option<SortCache>,
    pub new_action: NewAction,
    pub last_letter: Option<PathBuf>,
    pub quit_requested: bool,
    /// The panel page's forms.
    pub moderation: Moderation,
    /// The letter wording: a `letters.toml` beside the program, or built in.
    pub templates: crate::letter::Templates,
}

/// A table's row order, for the tab, sort and plan it was computed for.
pub struct SortCache {
    pub key: (PlanTab, Option<(PlanTab, usize, bool)>, String),
    pub order: std::rc::Rc<Vec<usize>>,
}

/// The panel page's forms: a new member, and the consensus being agreed.
#[derive(Clone, Debug, Default)]
pub struct Moderation {
    pub member_name: String,
    pub member_role: String,
    pub criterion: usize,
    pub score: Option<u8>,
    pub rationale: String,
    pub discussion: String,
}

/// The development-action form.
#[derive(Clone, Debug, Default)]
pub struct NewAction {
    pub action: String,
    pub owner: String,
    pub due: String,
}

impl AppState {
    pub fn new(prefs: Prefs, data_dir: PathBuf) -> Self {
        let recovery = match (&prefs.open_assessment, prefs.clean_exit) {
            (Some(path), false) if path.is_file() => Some(path.clone()),
            _ => None,
        };
        let mut prefs = prefs;
        prefs.clean_exit = false;
        if prefs.assessor.trim().is_empty() {
            prefs.assessor =
                std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "Assessor".into());
        }
        let (templates, problem) = match crate::letter::Templates::beside_program() {
            Ok(t) => (t, None),
            Err(e) => {
                (crate::letter::Templates::builtin(), Some(format!("{e}; the built-in letter wording is used instead")))
            }
        };
        let mut state = AppState {
            templates,
            view: View::Start,
            plan_tab: PlanTab::Findings,
            session: None,
            prefs,
            messages: Vec::new(),
            jobs: Vec::new(),
            prompt: None,
            recovery,
            data_dir,
            selected_criterion: 0,
            evidence_draft: String::new(),
            draft_for: None,
            highlight_row: None,
            narrative_search: String::new(),
            sort: None,
            sort_cache: None,
            new_action: NewAction::default(),
            last_letter: None,
            quit_requested: false,
            moderation: Moderation::default(),
        };
        if let Some(problem) = problem {
            state.error(problem);
        }
        state
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.messages.push(Message { level: Level::Error, text: text.into() });
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.messages.push(Message { level: Level::Info, text: text.into() });
    }

    pub fn busy(&self) -> bool {
        self.jobs.iter().any(|j| matches!(j, Job::Import { .. }))
    }

    fn remember(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_LIMIT);
    }

    /// Opens a plan or an assessment, reading it (and an assessment's plan)
    /// on another thread.
    pub fn open(&mut self, path: &Path) {
        let is_assessment = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csuassess"));
        let (tx, rx) = channel();
        let owned = path.to_path_buf();
        std::thread::spawn(move || {
            let read = if is_assessment {
                store::load(&owned).map_err(|e| e.to_string()).and_then(|a| {
                    let framework = a.framework().map_err(|e| format!("{}: {e}", owned.display()))?;
                    let plan = a.open_plan(&owned).map_err(|e| format!("{}: {e}", owned.display()))?;
                    Ok(Opened::Assessment(Box::new((a, framework, plan))))
                })
            } else {
                plan::import(&owned).map(|p| Opened::Plan(Box::new(p))).map_err(|e| e.to_string())
            };
            let _ = tx.send(read);
        });
        self.jobs.push(Job::Import { path: path.to_path_buf(), result: rx });
    }

    /// Writes a built-in example to the data folder and opens it.
    pub fn open_example(&mut self, slug: &str) {
        let Some(example) = crate::examples::find(slug) else {
            self.error(format!("there is no example called {slug}"));
            return;
        };
        let dir = self.data_dir.join("examples");
        let path = dir.join(example.file_name());
        let written = std::fs::create_dir_all(&dir)
            .map_err(|e| e.to_string())
            .and_then(|()| example.workbook().map_err(|e| e.to_string()))
            .and_then(|bytes| {
                if std::fs::read(&path).is_ok_and(|old| old == bytes) {
                    Ok(())
                } else {
                    store::write_atomic(&path, &bytes).map_err(|e| e.to_string())
                }
            });
        match written {
            Ok(()) => self.open(&path),
            Err(e) => self.error(format!("{}: the example could not be written ({e})", path.display())),
        }
    }

    /// Where a new assessment of this plan is kept: beside the plan, or in
    /// the data folder when the plan's folder cannot be written.
    fn assessment_path_for(&self, plan_path: &Path) -> PathBuf {
        let stem = plan_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "plan".into());
        let beside = plan_path.with_file_name(format!("{stem}.csuassess"));
        let dir_writable =
            plan_path.parent().is_some_and(|d| std::fs::metadata(d).is_ok_and(|m| !m.permissions().readonly()));
        if dir_writable { beside } else { self.data_dir.join("assessments").join(format!("{stem}.csuassess")) }
    }

    /// A plan has been imported: resume its assessment or start one.
    fn plan_imported(&mut self, path: &Path, plan: Plan) {
        self.remember(path);
        let assessment_path = self.assessment_path_for(path);
        if assessment_path.is_file() {
            if let Ok(existing) = store::load(&assessment_path)
                && existing.plan.fingerprint == plan.source.fingerprint
            {
                match existing.framework() {
                    Ok(framework) => {
                        self.start_session(plan, framework, existing, assessment_path.clone());
                        self.remember(&assessment_path);
                        self.info(format!("Resumed the assessment saved in {}", assessment_path.display()));
                    }
                    Err(e) => self.error(format!("{}: {e}", assessment_path.display())),
                }
                return;
            }
            self.error(format!(
                "{} belongs to another version of this plan; the new assessment is saved as {}",
                assessment_path.display(),
                assessment_path.with_extension("new.csuassess").display()
            ));
        }
        let assessment_path =
            if assessment_path.is_file() { assessment_path.with_extension("new.csuassess") } else { assessment_path };
        let Some(builtin) = criteria::builtin_for(plan.cover.checkpoint, plan.cover.plan_type) else {
            self.error(format!(
                "{}: the plan gives no checkpoint or plan type, so no framework could be chosen; choose one on the Scoring page",
                path.display()
            ));
            return self.start_with_framework(plan, path, &assessment_path, &crate::criteria::BUILTIN[2]);
        };
        self.start_with_framework(plan, path, &assessment_path, builtin);
    }

    fn start_with_framework(&mut self, plan: Plan, plan_path: &Path, path: &Path, builtin: &criteria::Builtin) {
        match builtin.framework() {
            Ok(f) => {
                self.start_with(plan, plan_path, path, f, &format!("built-in {}", builtin.file_name), builtin.text)
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn start_with(
        &mut self,
        plan: Plan,
        plan_path: &Path,
        path: &Path,
        framework: Framework,
        source: &str,
        text: &str,
    ) {
        let now = now();
        let id = plan::fingerprint(format!("{}{now}", plan.source.fingerprint).as_bytes());
        let recorded = plan_path.canonicalize().unwrap_or_else(|_| plan_path.to_path_buf()).display().to_string();
        let assessment = Assessment::new(&plan, &recorded, &framework, source, text, &now, &id[..16]);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        self.start_session(plan, framework, assessment, path.to_path_buf());
        self.save_now();
        if let Some(s) = &self.session {
            let saved = s.path.clone();
            self.remember(&saved);
        }
    }

    fn start_session(&mut self, plan: Plan, framework: Framework, assessment: Assessment, path: PathBuf) {
        let evaluation = scoring::evaluate(&plan, &framework, &assessment);
        self.session = None;
        let now = chrono::Local::now().format("%d/%m/%Y %H:%M").to_string();
        let (lock, read_only) = match store::Lock::acquire(&path, &now) {
            Ok(lock) => (Some(lock), None),
            Err(holder) => {
                self.info(format!("{} is being edited by {holder}, so it is open read-only", path.display()));
                (None, Some(holder))
            }
        };
        self.prefs.open_assessment = Some(path.clone());
        self.session = Some(Session {
            plan,
            framework,
            assessment,
            path,
            evaluation,
            unsaved_since: None,
            last_saved: None,
            undo: Vec::new(),
            redo: Vec::new(),
            _lock: lock,
            read_only,
        });
        self.view = View::Plan;
        self.plan_tab = PlanTab::Findings;
        self.selected_criterion = 0;
        self.draft_for = None;
    }

    /// Swaps the framework of an assessment that has no scores yet.
    pub fn change_framework(&mut self, builtin: &criteria::Builtin) {
        match builtin.framework() {
            Ok(f) => self.change_framework_to(f, &format!("built-in {}", builtin.file_name), builtin.text),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Uses the BDU's own criteria file for the open plan (before scoring).
    pub fn open_criteria_file(&mut self, path: &Path) {
        match criteria::load(path) {
            Ok((f, text)) => {
                let source =
                    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                self.change_framework_to(f, &source, &text);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn change_framework_to(&mut self, framework: Framework, source: &str, text: &str) {
        let Some(s) = &self.session else { return };
        if !s.assessment.scores.is_empty() || !s.assessment.consensus.is_empty() {
            return self.error("the framework can only be changed before any criterion is scored");
        }
        let (plan, path) = (s.plan.clone(), s.path.clone());
        let plan_path = PathBuf::from(&s.assessment.plan.path);
        self.session = None;
        self.start_with(plan, &plan_path, &path, framework, source, text);
    }

    /// Closes the session after saving it.
    pub fn close(&mut self) {
        self.save_now();
        self.session = None;
        self.prefs.open_assessment = None;
        self.view = View::Start;
    }

    /// Applies an edit: the one place the assessment changes.
    pub fn apply(&mut self, edit: Edit) {
        let assessor = self.prefs.assessor.trim().to_string();
        let Some(s) = &mut self.session else { return };
        if let Some(holder) = &s.read_only {
            let text = format!("This assessment is open read-only because {holder} is editing it; nothing was changed");
            return self.error(text);
        }
        let before = s.assessment.clone();
        let at = now();
        let result = match edit {
            Edit::Score { criterion, score, evidence } => s
                .assessment
                .set_score(&s.framework, &criterion, &assessor, score, &evidence, &at)
                .map_err(|e| e.to_string()),
            Edit::Consensus { criterion, score, rationale } => s
                .assessment
                .set_consensus(&s.framework, &criterion, score, &rationale, &assessor, &at)
                .map_err(|e| e.to_string()),
            Edit::AddAction { action, owner, due, criterion } => {
                if action.trim().is_empty() || owner.trim().is_empty() {
                    Err("a development action needs the action and its owner".to_string())
                } else {
                    s.assessment.add_action(&action, &owner, due, criterion, &assessor, &at);
                    Ok(())
                }
            }
            Edit::RemoveAction { id } => {
                s.assessment.remove_action(&id, &assessor, &at);
                Ok(())
            }
            Edit::DecisionNotes(text) => {
                s.assessment.set_notes(&text, &assessor, &at);
                Ok(())
            }
            Edit::AddMember { name, role } => {
                s.assessment.add_member(&name, &role, &assessor, &at).map_err(|e| e.to_string())
            }
            Edit::MarkDone => {
                s.assessment.mark_done(&assessor, &at);
                Ok(())
            }
            Edit::Discussion { criterion, note } => s
                .assessment
                .record_discussion(&s.framework, &criterion, &note, &assessor, &at)
                .map_err(|e| e.to_string()),
            Edit::SignOff => s.assessment.sign_off(&assessor, &at).map_err(|e| e.to_string()),
        };
        match result {
            Ok(()) if s.assessment != before => {
                s.undo.push(before);
                s.redo.clear();
                s.unsaved_since.get_or_insert_with(Instant::now);
                s.evaluate();
            }
            Ok(()) => {}
            Err(e) => self.error(e),
        }
    }

    pub fn undo(&mut self) {
        if let Some(s) = &mut self.session
            && let Some(previous) = s.undo.pop()
        {
            s.redo.push(std::mem::replace(&mut s.assessment, previous));
            s.unsaved_since.get_or_insert_with(Instant::now);
            s.evaluate();
            self.draft_for = None;
        }
    }

    pub fn redo(&mut self) {
        if let Some(s) = &mut self.session
            && let Some(next) = s.redo.pop()
        {
            s.undo.push(std::mem::replace(&mut s.assessment, next));
            s.unsaved_since.get_or_insert_with(Instant::now);
            s.evaluate();
            self.draft_for = None;
        }
    }

    /// Saves the assessment now if it has unsaved changes (or was never saved).
    pub fn save_now(&mut self) {
        let Some(s) = &mut self.session else { return };
        if s.read_only.is_some() || (s.unsaved_since.is_none() && s.last_saved.is_some()) {
            return;
        }
        match store::save(&s.path, &s.assessment) {
            Ok(()) => {
                s.unsaved_since = None;
                s.last_saved = Some(chrono::Local::now());
            }
            Err(e) => {
                let text = e.to_string();
                self.error(text);
            }
        }
    }

    /// Per-frame housekeeping: finished jobs, autosave.
    pub fn poll(&mut self) {
        let mut still = Vec::new();
        for job in std::mem::take(&mut self.jobs) {
            match job {
                Job::Import { path, result } => match result.try_recv() {
                    Ok(Ok(Opened::Plan(plan))) => self.plan_imported(&path, *plan),
                    Ok(Ok(Opened::Assessment(opened))) => {
                        let (assessment, framework, plan) = *opened;
                        self.start_session(plan, framework, assessment, path.clone());
                        self.remember(&path);
                    }
                    Ok(Err(e)) => self.error(e),
                    Err(std::sync::mpsc::TryRecvError::Empty) => still.push(Job::Import { path, result }),
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                        self.error(format!("{}: reading it stopped unexpectedly", path.display()))
                    }
                },
                Job::Dialog { purpose, result } => match result.try_recv() {
                    Ok((Some(path), _)) => self.dialog_chose(purpose, &path),
                    // A dialog that answers at once never opened (rfd says
                    // nothing else when there is no portal or zenity): offer
                    // a typed path rather than silently doing nothing.
                    Ok((None, took)) if took < Duration::from_millis(150) => self.ask_for_path(purpose),
                    Ok((None, _)) => {}
                    Err(std::sync::mpsc::TryRecvError::Empty) => still.push(Job::Dialog { purpose, result }),
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => self.ask_for_path(purpose),
                },
            }
        }
        self.jobs.extend(still);
        let due = self.session.as_ref().and_then(|s| s.unsaved_since).is_some_and(|t| t.elapsed() >= AUTOSAVE_AFTER);
        if due {
            self.save_now();
        }
    }

    pub fn ask_for_path(&mut self, purpose: DialogPurpose) {
        let text = match (purpose, &self.session) {
            (DialogPurpose::ExportLetter, Some(s)) => s.path.with_extension("pdf").display().to_string(),
            _ => String::new(),
        };
        self.prompt = Some(PathPrompt { purpose, text });
    }

    /// Opens the platform's file dialog on another thread.
    pub fn open_dialog(&mut self, purpose: DialogPurpose) {
        let (tx, rx) = channel();
        let suggested = self.session.as_ref().map(|s| s.path.with_extension("pdf"));
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
        self.jobs.push(Job::Dialog { purpose, result: rx });
    }

    pub fn dialog_chose(&mut self, purpose: DialogPurpose, path: &Path) {
        match purpose {
            DialogPurpose::Open => self.open(path),
            DialogPurpose::ExportLetter => self.export_letter(path),
            DialogPurpose::Merge => self.merge_copy(path),
            DialogPurpose::Criteria => self.open_criteria_file(path),
        }
    }

    /// Merges a reviewer's copy into the open assessment: every change of
    /// both kept, conflicts listed for the panel to resolve. Undoable.
    pub fn merge_copy(&mut self, path: &Path) {
        let Some(s) = &mut self.session else { return };
        if let Some(holder) = &s.read_only {
            let text = format!("This assessment is open read-only because {holder} is editing it; nothing was merged");
            return self.error(text);
        }
        let result = store::load(path).map_err(|e| e.to_string()).and_then(|copy| {
            crate::assessment::merge(&[s.assessment.clone(), copy]).map_err(|e| format!("{}: {e}", path.display()))
        });
        match result {
            Ok(merged) => {
                let added = merged.audit.len().saturating_sub(s.assessment.audit.len());
                let conflicts = merged.conflicts.len();
                if merged != s.assessment {
                    s.undo.push(std::mem::replace(&mut s.assessment, merged));
                    s.redo.clear();
                    s.unsaved_since.get_or_insert_with(Instant::now);
                    s.evaluate();
                }
                self.info(format!(
                    "Merged {}: {added} change(s) added{}",
                    path.display(),
                    if conflicts > 0 {
                        format!(", {conflicts} conflict(s) to resolve (see the Summary page)")
                    } else {
                        String::new()
                    }
                ));
            }
            Err(e) => self.error(e),
        }
    }

    /// Writes the letter; a draft when the assessment is incomplete.
    pub fn export_letter(&mut self, path: &Path) {
        let Some(s) = &self.session else { return };
        let result = crate::letter::write(&s.plan, &s.framework, &s.assessment, &self.templates)
            .map_err(|e| e.to_string())
            .and_then(|(letter, bytes)| {
                store::write_atomic(path, &bytes)
                    .map(|()| letter.draft)
                    .map_err(|e| format!("{}: could not be written ({e})", path.display()))
            });
        match result {
            Ok(draft) => {
                self.last_letter = Some(path.to_path_buf());
                self.info(format!(
                    "Wrote the letter{} to {}",
                    if draft { " (marked DRAFT)" } else { "" },
                    path.display()
                ));
            }
            Err(e) => self.error(e),
        }
    }

    /// Called as the window closes: save, and note a clean exit.
    pub fn on_exit(&mut self) {
        self.save_now();
        self.prefs.clean_exit = true;
    }
}
