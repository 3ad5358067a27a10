//! The window's state: what is open, what is selected, what is pending.
//!
//! Widgets push [`super::commands::Command`]s; the window carries them out
//! once a frame, and every change to the assessment goes through
//! [`AppState::apply`], which records it, so undo, autosave and the unsaved
//! state see it. Everything slow (importing a plan, a file dialog) runs on
//! another thread (`jobs.rs`) and comes back through [`AppState::poll`].
//! The open session is `session.rs`, the text being typed `drafts.rs`, the
//! pages' other form state `forms.rs`: this module imports no page. The
//! state holds no egui types, so tests drive it as plain Rust
//! (`tests/session.rs`) or through the real widgets.

pub use super::forms::{Moderation, PortfolioPage, ReviewForms};
pub use super::jobs::{DialogPurpose, Job, Opened, PathPrompt, PortfolioExport};
pub use super::session::Session;
use super::session::disk_stamp;
use crate::assessment::{self, Assessment, Edit, Refusal};
use crate::criteria::{self, Framework};
use crate::plan::TemplateSheet;
use crate::plan::{self, Plan};
use crate::store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Now, as the timestamp every recorded change carries (RFC 3339, UTC).
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// How long after a change the assessment is saved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(300);

/// How often the open file is checked for changes saved by another program.
pub const DISK_CHECK_EVERY: Duration = Duration::from_secs(1);

/// The role of whoever starts an assessment in the window.
pub const STARTER_ROLE: &str = "Lead assessor";

/// The most recent files remembered.
const RECENT_LIMIT: usize = 10;

/// Which page fills the window (the member's view of the record is
/// `assessment::View`; this is only where the window is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Page {
    Start,
    Plan,
    Scoring,
    Summary,
    Letter,
    Panel,
    /// The CCGs' interviews: who said what, and what it contradicts.
    Interviews,
    /// The leaders' interview: arrangements, script, notes and account.
    Leaders,
    /// Every CSU of a folder side by side; open with or without a plan.
    Portfolio,
}

impl Page {
    /// The page's name, as its tab says it.
    pub fn title(self) -> &'static str {
        match self {
            Page::Start => "Start",
            Page::Plan => "Plan",
            Page::Scoring => "Scoring",
            Page::Summary => "Summary",
            Page::Letter => "Letter",
            Page::Panel => "Panel",
            Page::Interviews => "CCG interviews",
            Page::Leaders => "Leaders' interview",
            Page::Portfolio => "Portfolio",
        }
    }
}

/// The tabs of the plan view: the findings, then each of the template's
/// data sheets (`plan::TemplateSheet::DATA`), in the template's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanTab {
    Findings,
    Sheet(TemplateSheet),
}

impl PlanTab {
    pub fn all() -> impl Iterator<Item = PlanTab> {
        std::iter::once(PlanTab::Findings).chain(TemplateSheet::DATA.map(PlanTab::Sheet))
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanTab::Findings => "Findings",
            PlanTab::Sheet(sheet) => sheet.name(),
        }
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
    /// Undo and redo of the assessments last open here.
    pub undo: Vec<KeptUndo>,
}

/// An assessment's undo and redo, as entries' hashes, kept between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KeptUndo {
    pub assessment: PathBuf,
    pub undo: Vec<String>,
    pub redo: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// How long news (an info message) stays up; errors stay until dismissed,
/// so nothing that went wrong goes unread.
pub const NEWS_SHOWN_FOR: Duration = Duration::from_secs(8);

/// A message shown in the window: news for `NEWS_SHOWN_FOR`, an error
/// until dismissed.
#[derive(Clone, Debug)]
pub struct Message {
    pub level: Level,
    pub text: String,
    /// What a library said, for whoever asks (shown on hover).
    pub details: Option<String>,
    pub shown_at: Instant,
}

/// The user's documents folder, or their home folder.
fn documents_dir() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(dirs.document_dir().unwrap_or(dirs.home_dir()).to_path_buf())
}

pub struct AppState {
    pub page: Page,
    pub plan_tab: PlanTab,
    pub session: Option<Session>,
    pub prefs: Prefs,
    pub messages: Vec<Message>,
    pub jobs: Vec<Job>,
    /// Whether to try the system's file dialog (a desktop portal or
    /// zenity) before the typed path. Tests drive the typed path, which
    /// every machine has, and never pop up a dialog nobody will answer.
    pub system_dialogs: bool,
    pub prompt: Option<PathPrompt>,
    /// Offered after a crash: the assessment that was open.
    pub recovery: Option<PathBuf>,
    /// Where example plans and assessments without a better home are kept.
    pub data_dir: PathBuf,
    /// A damaged assessment file and its newest backup that checks, offered
    /// for restoring.
    pub backup_offer: Option<(PathBuf, PathBuf)>,
    pub selected_criterion: usize,
    /// Text typed in the boxes whose text goes on the record, kept until
    /// recorded whatever the assessor does meanwhile.
    pub drafts: super::drafts::Drafts,
    /// The page and criteria shown at the end of the last frame: leaving
    /// them records the drafts that leaving records.
    place: (Page, usize, usize),
    pub highlight_row: Option<u32>,
    /// The finding last chosen, shown above the tab it opened.
    pub shown_finding: Option<crate::plan::Finding>,
    pub narrative_search: String,
    /// The narrative row a finding last opened, so it is opened and
    /// scrolled to once and can then be closed like any other.
    pub narrative_revealed: Option<u32>,
    pub sort: Option<(PlanTab, usize, bool)>,
    /// The row order of the last sort, so it is computed once, not every frame.
    pub sort_cache: Option<SortCache>,
    pub last_letter: Option<PathBuf>,
    pub quit_requested: bool,
    /// The keyboard-shortcut list (F1) is open.
    pub show_shortcuts: bool,
    /// The last thing announced to a screen reader: a live region in the
    /// status bar reads it out (a score recorded, a page or criterion
    /// opened, a question asked). Messages are live regions of their own.
    pub announcement: String,
    /// What widgets asked this frame, applied once the pages are drawn.
    pub commands: Vec<super::commands::Command>,
    /// The page tab is to take the keyboard: after the page changes, focus
    /// goes to the page's own tab rather than to nowhere.
    pub focus_page: bool,
    /// A plan read that needs a new assessment, waiting for the person at
    /// the laptop to give their name: a name is never made up for them.
    pub name_needed: Option<(PathBuf, Box<Plan>)>,
    /// The My key window is open.
    pub show_my_key: bool,
    /// The My key window is to take the keyboard as it opens.
    pub focus_my_key: bool,
    /// The About box is open, listing this.
    pub about: Option<crate::about::About>,
    /// The evidence box is to take the keyboard on the next frame.
    pub focus_evidence: bool,
    /// The selected criterion's row is to take the keyboard (after Esc in
    /// the evidence box).
    pub focus_criterion: bool,
    /// The plan's table is to show its first row (after a sort).
    pub scroll_to_top: bool,
    /// The panel page's forms.
    pub moderation: Moderation,
    /// The Summary page's forms: the development plan from the checkpoint before.
    pub reviews: ReviewForms,
    /// The CCG interviews page's forms.
    pub interviews: super::forms::InterviewForms,
    /// The leaders' interview page's forms.
    pub leaders: super::forms::LeadersForms,
    /// The folder last read as a portfolio, with the page's filters and sort.
    pub portfolio: Option<PortfolioPage>,
    /// The letter wording: a `letters.toml` beside the program, or built in.
    pub templates: crate::letter::Templates,
    /// This installation's signing key: every change made here is signed
    /// with it, and it decides which member the window acts as.
    pub identity: Option<crate::keys::Identity>,
    /// The BDU's roster in force here: who is whom, to add a member by name,
    /// and what a letter waits on.
    pub(super) trust: crate::roster::Trust,
    /// The installed roster's time and size when read, so a newer one the BDU
    /// puts beside the program is taken in without a restart.
    roster_stamp: Option<(std::time::SystemTime, u64)>,
}

/// What the record holds for a text box, as the acting member sees it: a
/// draft differs from this.
pub fn recorded_text(view: &assessment::View, field: &super::drafts::Field) -> String {
    use super::drafts::Field;
    match field {
        Field::Evidence { criterion } => view.own_score(criterion).map(|x| x.evidence.clone()).unwrap_or_default(),
        Field::Review { action } => view
            .assessment
            .earlier
            .as_ref()
            .and_then(|e| e.actions.iter().find(|c| &c.action.id == action))
            .and_then(|c| c.review.as_ref())
            .map(|r| r.evidence.clone())
            .unwrap_or_default(),
        Field::LeadersNote { question, member } => view
            .assessment
            .leaders
            .notes
            .iter()
            .find(|n| &n.question == question && &n.by == member)
            .and_then(|n| n.text.clone())
            .unwrap_or_default(),
        Field::LeadersAccount { question } => {
            view.assessment.leaders.account(question).map(|a| a.text.clone()).unwrap_or_default()
        }
        Field::Interview { ccg, part } => view
            .assessment
            .ccg_interviews
            .iter()
            .find(|i| crate::ccg::key(&i.account.ccg) == crate::ccg::key(ccg))
            .map(|i| super::interviews_view::recorded(&i.account, *part))
            .unwrap_or_default(),
        Field::Rationale { .. }
        | Field::Discussion { .. }
        | Field::Action
        | Field::ActionOwner
        | Field::ActionDue
        | Field::Interest
        | Field::ReopenReason
        | Field::MemberName
        | Field::MemberRole
        | Field::MemberKey => String::new(),
    }
}

/// A table's row order, for the tab, sort and plan it was computed for.
pub struct SortCache {
    pub key: (PlanTab, Option<(PlanTab, usize, bool)>, String),
    pub order: std::rc::Rc<Vec<usize>>,
}

impl AppState {
    pub fn new(prefs: Prefs, data_dir: PathBuf) -> Self {
        let recovery = match (&prefs.open_assessment, prefs.clean_exit) {
            (Some(path), false) if path.is_file() => Some(path.clone()),
            _ => None,
        };
        let mut prefs = prefs;
        prefs.clean_exit = false;
        let (templates, problem) = match crate::letter::Templates::beside_program() {
            Ok(t) => (t, None),
            Err(e) => {
                (crate::letter::Templates::builtin(), Some(format!("{e}; the built-in letter wording is used instead")))
            }
        };
        let key_dir =
            std::env::var_os("CSU_ASSESS_KEY_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("keys"));
        let (identity, key_problem) = match crate::keys::Identity::load_or_create(&key_dir) {
            Ok(k) => (Some(k), None),
            Err(e) => (None, Some(format!("{e}; nothing can be recorded until this computer has a key"))),
        };
        let (trust, keys_problem) = match crate::roster::Trust::find(None, None) {
            Ok(t) => (t, None),
            Err(e) => (crate::roster::Trust::none(), Some(e.to_string())),
        };
        let roster_stamp = crate::roster::installed_path().as_deref().and_then(disk_stamp);
        let mut state = AppState {
            identity,
            trust,
            roster_stamp,
            templates,
            page: Page::Start,
            plan_tab: PlanTab::Findings,
            session: None,
            prefs,
            messages: Vec::new(),
            jobs: Vec::new(),
            system_dialogs: true,
            prompt: None,
            recovery,
            data_dir,
            backup_offer: None,
            selected_criterion: 0,
            drafts: super::drafts::Drafts::default(),
            place: (Page::Start, 0, 0),
            highlight_row: None,
            shown_finding: None,
            narrative_search: String::new(),
            narrative_revealed: None,
            sort: None,
            sort_cache: None,
            last_letter: None,
            quit_requested: false,
            show_shortcuts: false,
            show_my_key: false,
            focus_my_key: false,
            name_needed: None,
            announcement: String::new(),
            commands: Vec::new(),
            focus_page: false,
            about: None,
            focus_evidence: false,
            focus_criterion: false,
            scroll_to_top: false,
            moderation: Moderation::default(),
            reviews: ReviewForms::default(),
            interviews: Default::default(),
            leaders: Default::default(),
            portfolio: None,
        };
        for problem in [problem, key_problem, keys_problem].into_iter().flatten() {
            state.error(problem);
        }
        if let Some(path) = &state.recovery {
            state.announcement = format!(
                "The program closed unexpectedly last time. Your work was saved as you went; the start page offers to reopen {}",
                path.display()
            );
        }
        state
    }

    /// Shows an error; the same error again (a save retried every few
    /// hundred milliseconds) is not stacked a second time.
    pub fn error(&mut self, text: impl Into<String>) {
        let text = crate::assessment::rules::capitalised(&text.into());
        if !self.messages.iter().any(|m| m.level == Level::Error && m.text == text) {
            self.messages.push(Message { level: Level::Error, text, details: None, shown_at: Instant::now() });
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.messages.push(Message { level: Level::Info, text, details: None, shown_at: Instant::now() });
    }

    pub fn busy(&self) -> bool {
        self.jobs.iter().any(|j| matches!(j, Job::Import { .. } | Job::Portfolio { .. }))
    }

    fn remember(&mut self, path: &Path) {
        let path = self.forget(path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_LIMIT);
    }

    /// Opens a plan or an assessment, reading it (and an assessment's plan)
    /// on another thread.
    pub fn open(&mut self, path: &Path) {
        self.jobs.push(super::jobs::read(path));
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
            match store::load(&assessment_path) {
                Ok(existing) if existing.plan.fingerprint == plan.source.fingerprint => {
                    let framework = existing.framework().clone();
                    self.start_session(plan, framework, existing, assessment_path.clone());
                    self.remember(&assessment_path);
                    self.info(format!("Resumed the assessment saved in {}", assessment_path.display()));
                    return;
                }
                Ok(_) => self.error(format!(
                    "{} belongs to another version of this plan; the new assessment is saved as {}",
                    assessment_path.display(),
                    assessment_path.with_extension("new.csuassess").display()
                )),
                Err(e) => {
                    // The plan still opens: the damaged record is named and
                    // kept as it is, its newest good backup offered, and the
                    // work goes on beside it.
                    self.refused_file(&assessment_path, e.to_string());
                    let beside = assessment_path.with_extension("new.csuassess");
                    if let Ok(existing) = store::load(&beside)
                        && existing.plan.fingerprint == plan.source.fingerprint
                    {
                        let framework = existing.framework().clone();
                        self.start_session(plan, framework, existing, beside.clone());
                        self.remember(&beside);
                        self.info(format!(
                            "Opened the plan with the assessment saved beside the damaged one, {}",
                            beside.display()
                        ));
                        return;
                    }
                    self.info(format!(
                        "The plan is open; a new assessment is saved as {}, and {} is left as it is",
                        beside.display(),
                        assessment_path.display()
                    ));
                }
            }
        }
        if self.prefs.assessor.trim().is_empty() {
            // Recorded as the new assessment's first member and printed in
            // its letter: asked for, never assumed.
            self.name_needed = Some((path.to_path_buf(), Box::new(plan)));
            return;
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
        let Some(key) = &self.identity else {
            return self.error("this computer has no signing key, so no assessment can be started here");
        };
        let now = now();
        let id = plan::fingerprint(format!("{}{now}", plan.source.fingerprint).as_bytes());
        let recorded = plan_path.canonicalize().unwrap_or_else(|_| plan_path.to_path_buf()).display().to_string();
        let start = assessment::Start {
            plan_path: &recorded,
            source,
            text,
            at: &now,
            id: &id[..16],
            by: &self.prefs.assessor,
            role: STARTER_ROLE,
            key,
        };
        let replacing = self.session.as_ref().map(|s| s.record.audit[0].hash.clone());
        let created = Assessment::start(&plan, &framework, start).map_err(|e| e.to_string()).and_then(|a| {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            store::create(path, &a, replacing.as_deref()).map(|()| a).map_err(|e| e.to_string())
        });
        match created {
            Ok(assessment) => {
                self.start_session(plan, framework, assessment, path.to_path_buf());
                self.remember(path);
            }
            Err(e) => self.error(e),
        }
    }

    fn start_session(&mut self, plan: Plan, framework: Framework, assessment: Assessment, path: PathBuf) {
        // The assessment open until now keeps what was typed in it.
        self.save_all();
        self.prefs.open_assessment = Some(path.clone());
        let (undo, redo) = self.undo_kept_for(&path, &assessment);
        let view = assessment.view_for_key(&self.viewer(), &self.trust);
        let evaluation = super::session::evaluate(&plan, &framework, &view.assessment, &self.trust);
        self.session = Some(Session {
            plan,
            framework,
            record: assessment,
            view,
            evaluation,
            disk_stamp: disk_stamp(&path),
            path,
            unsaved_since: None,
            last_saved: None,
            undo,
            redo,
            last_disk_check: Instant::now(),
        });
        self.page = Page::Plan;
        self.plan_tab = PlanTab::Findings;
        self.selected_criterion = 0;
        self.shown_finding = None;
        self.put_back_drafts();
    }

    /// The name was given: the plan waiting for it starts its assessment.
    pub fn name_given(&mut self) {
        if self.prefs.assessor.trim().is_empty() {
            return;
        }
        if let Some((path, plan)) = self.name_needed.take() {
            self.plan_imported(&path, *plan);
        }
    }

    /// What undo and redo could take back when this assessment was last
    /// closed here: kept in the preferences, so undo works after a restart
    /// as it did before it. Only entries still on the record are kept.
    fn undo_kept_for(&self, path: &Path, assessment: &Assessment) -> (Vec<String>, Vec<String>) {
        let Some(kept) = self.prefs.undo.iter().find(|k| k.assessment == path) else { return Default::default() };
        let on_record = |h: &&String| assessment.audit.iter().any(|e| &e.hash == *h);
        (kept.undo.iter().filter(on_record).cloned().collect(), kept.redo.iter().filter(on_record).cloned().collect())
    }

    /// Keeps the open assessment's undo and redo in the preferences.
    fn keep_undo(&mut self) {
        let Some(s) = &self.session else { return };
        let kept = KeptUndo { assessment: s.path.clone(), undo: s.undo.clone(), redo: s.redo.clone() };
        self.prefs.undo.retain(|k| k.assessment != kept.assessment);
        self.prefs.undo.insert(0, kept);
        self.prefs.undo.truncate(RECENT_LIMIT);
    }

    /// The hash of the open assessment's first entry, which names it.
    fn assessment_id(&self) -> String {
        self.session.as_ref().and_then(|s| s.record.audit.first()).map(|e| e.hash.clone()).unwrap_or_default()
    }

    /// Puts back the drafts kept beside the assessment just opened: text
    /// typed before the program last stopped without recording it.
    fn put_back_drafts(&mut self) {
        self.drafts = super::drafts::Drafts::default();
        let Some(s) = &self.session else { return };
        let id = self.assessment_id();
        match super::drafts::Drafts::read_kept(&s.path, &id) {
            Ok(kept) if kept.is_empty() => {}
            Ok(kept) => {
                let names: Vec<String> = kept.iter().map(|(f, _)| f.describe()).collect();
                let view = &s.view;
                self.drafts.put_back(kept, |field| recorded_text(view, field));
                self.drafts.mark_written(&id);
                self.info(format!(
                    "Put back text typed here before the program last closed, not yet recorded: {}. It is in its box, and the status bar counts it as unsaved until it is recorded",
                    names.join("; ")
                ));
            }
            Err(e) => self.error(e),
        }
    }

    /// Records the drafts that leaving records (evidence for a criterion
    /// the acting member has scored); the rest stay drafts. Called on
    /// leaving a criterion or page, saving, closing and on a signal.
    pub fn record_drafts(&mut self) {
        for (field, text) in self.drafts.to_record() {
            let edit = match &field {
                super::drafts::Field::Evidence { criterion } => {
                    let score = self.session.as_ref().and_then(|s| s.view.own_score(criterion)).map(|x| x.score);
                    // Evidence typed before any score waits for the score.
                    let Some(score) = score else { continue };
                    Edit::Score { criterion: criterion.clone(), score: Some(score), evidence: text }
                }
                // Only the acting member's own: a draft of another's stays theirs.
                super::drafts::Field::LeadersNote { question, member } if *member == self.acting() => {
                    Edit::LeadersNote { question: question.clone(), text }
                }
                _ => continue,
            };
            if self.apply(edit) {
                self.drafts.recorded(&field);
            }
        }
    }

    /// Queues a widget's request for the end of the frame.
    pub fn push(&mut self, command: super::commands::Command) {
        self.commands.push(command);
    }

    /// Applies an edit sent from a text box's form; the box's draft is
    /// spent only when the record took the edit, so a refusal loses none
    /// of what was typed.
    pub fn apply_typed(&mut self, edit: Edit, fields: &[super::drafts::Field]) -> bool {
        let recorded = self.apply(edit);
        if recorded {
            for field in fields {
                self.drafts.recorded(field);
            }
        }
        recorded
    }

    /// Keeps the drafts' side file up to date: within
    /// `DRAFTS_WRITTEN_AFTER` of typing, or at once.
    fn keep_drafts(&mut self, at_once: bool) {
        let id = self.assessment_id();
        let Some(s) = &self.session else { return };
        let path = s.path.clone();
        if let Err(e) = self.drafts.keep(&path, &id, at_once) {
            self.error(e);
        }
    }

    /// Whether typed text is not yet in the side file.
    pub fn drafts_unwritten(&self) -> bool {
        self.session.is_some() && self.drafts.unwritten()
    }

    /// At the end of each frame, once the boxes have taken this frame's
    /// typing: a page or criterion left records its drafts; drafts that match
    /// the record are let go; the side file is kept up to date.
    pub fn end_frame(&mut self) {
        let place = (self.page, self.selected_criterion, self.moderation.criterion);
        if place != self.place {
            let page_changed = place.0 != self.place.0;
            self.place = place;
            self.record_drafts();
            if page_changed {
                self.focus_page = true;
            }
            // On leaving a page, text not yet recorded is said once; not
            // again on every criterion.
            let kept: Vec<String> = self.drafts.pending().map(|(f, _)| f.describe()).collect();
            self.announcement = match kept.len() {
                n if n > 0 && page_changed => {
                    format!("{}. Kept as typed, not yet recorded: {}", self.where_now(), kept.join("; "))
                }
                _ => self.where_now(),
            };
        }
        self.drafts.prune();
        self.keep_drafts(false);
    }

    /// The page, and on the Scoring page the criterion, in words.
    pub fn where_now(&self) -> String {
        let page = format!("{} page", self.page.title());
        let Some(s) = &self.session else { return page };
        match self.page {
            Page::Scoring => s
                .framework
                .criteria()
                .nth(self.selected_criterion)
                .map(|(_, c)| format!("{page}: criterion {} {}", c.id, c.title))
                .unwrap_or(page),
            _ => page,
        }
    }

    /// Ctrl+S: records what leaving records, saves, and keeps the rest of
    /// the drafts on disk.
    pub fn save_all(&mut self) {
        self.record_drafts();
        self.save_now();
        self.keep_drafts(true);
        self.keep_undo();
    }

    /// The member the window acts as: the one whose recorded key is this
    /// computer's. Empty when this computer's key is not on the panel.
    fn acting_in(&self, record: &Assessment) -> String {
        self.identity.as_ref().and_then(|k| record.member_with_key(&k.public()).map(String::from)).unwrap_or_default()
    }

    /// Whose view the window shows: this computer's key.
    fn viewer(&self) -> String {
        self.identity.as_ref().map(|k| k.public()).unwrap_or_default()
    }

    /// The member the window acts as in the open assessment.
    pub fn acting(&self) -> String {
        self.session.as_ref().map(|s| self.acting_in(&s.record)).unwrap_or_default()
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
        if s.record.audit.len() > 1 {
            return self.error(
                "the framework is fixed once anything is recorded; start a new assessment to use other criteria",
            );
        }
        let (plan, path) = (s.plan.clone(), s.path.clone());
        let plan_path = PathBuf::from(&s.record.plan.path);
        self.start_with(plan, &plan_path, &path, framework, source, text);
    }

    /// Closes the session after saving it; drafts that wait for their
    /// button stay in the side file, offered back at the next opening.
    pub fn close(&mut self) {
        self.save_all();
        self.drafts = super::drafts::Drafts::default();
        self.session = None;
        self.prefs.open_assessment = None;
        self.page = Page::Start;
    }

    /// Applies an edit as the acting member: the one place the window
    /// changes the assessment. The rules are the library's; a refusal is
    /// shown as it is worded there. Whether it was recorded, so a form can
    /// keep what was typed when it was not.
    pub fn apply(&mut self, edit: Edit) -> bool {
        self.try_apply(edit).unwrap_or_else(|refusal| {
            self.error(refusal.to_string());
            false
        })
    }

    /// Applies an edit as [`AppState::apply`] does, but hands a refusal
    /// back unshown, for a form that offers a way on (linking another
    /// CSU's assessment once the assessor says it is the same CSU).
    pub fn try_apply(&mut self, edit: Edit) -> Result<bool, Refusal> {
        let Some(hash) = self.recorded(edit)? else { return Ok(false) };
        if let Some(s) = &mut self.session {
            s.undo.push(hash);
            s.redo.clear();
        }
        Ok(true)
    }

    /// Records an edit; the new entry's hash, if one was recorded.
    fn record_edit(&mut self, edit: Edit) -> Option<String> {
        self.recorded(edit).unwrap_or_else(|refusal| {
            self.error(refusal.to_string());
            None
        })
    }

    /// Records an edit: the new entry's hash if one was recorded, or the
    /// record's refusal. A window that cannot record at all (no key, or a
    /// key not on the panel) says so and records nothing.
    fn recorded(&mut self, edit: Edit) -> Result<Option<String>, Refusal> {
        let member = self.acting();
        if member.is_empty() {
            self.error(
                "This computer's key is not on this panel, so nothing can be recorded here: ask the chair to add you with the key shown on the Panel page",
            );
            return Ok(None);
        }
        let Some(key) = &self.identity else {
            self.error("this computer has no signing key, so nothing can be recorded here");
            return Ok(None);
        };
        let Some(s) = self.session.as_mut() else { return Ok(None) };
        let hash = s.record.apply(&s.plan, &member, key, edit, &now())?;
        if let Some(hash) = &hash {
            s.unsaved_since.get_or_insert_with(Instant::now);
            s.refresh(&key.public(), &self.trust);
            if let Some(entry) = s.record.audit.iter().rev().find(|e| &e.hash == hash) {
                // Said aloud: words for the trail's arrow, no empty evidence.
                let said = entry.change.describe().replace(" -> ", " to ").replace(" (evidence: )", "");
                self.announcement = format!("Recorded: {said}");
            }
        }
        Ok(hash)
    }

    /// Takes back this window's last change by recording the change that
    /// restores the value before it.
    pub fn undo(&mut self) {
        self.take_back(false);
    }

    /// Makes again the change last undone, by recording it again.
    pub fn redo(&mut self) {
        self.take_back(true);
    }

    /// Undo (or, `again`, redo): the entry on top of one stack is taken
    /// back by recording the change that restores the value before it, and
    /// that new entry goes on the other stack.
    fn take_back(&mut self, again: bool) {
        let Some(s) = &mut self.session else { return };
        let from = if again { &mut s.redo } else { &mut s.undo };
        let Some(hash) = from.pop() else { return };
        match s.record.undo_of(&hash) {
            Ok(edit) => {
                if let Some(new) = self.record_edit(edit)
                    && let Some(s) = &mut self.session
                {
                    let what = s.record.audit.iter().rev().find(|e| e.hash == new).map(|e| e.change.describe());
                    if again { &mut s.undo } else { &mut s.redo }.push(new);
                    let done = if again { "Redone" } else { "Undone" };
                    self.info(format!("{done}, by recording: {}", what.unwrap_or_default()));
                }
            }
            Err(refusal) => self.error(format!("Nothing was {}: {refusal}", if again { "redone" } else { "undone" })),
        }
    }

    /// Takes in changes another program saved to the file: `joined` is the
    /// record with them, `count` how many there were.
    fn took_in(&mut self, joined: Assessment, count: usize) {
        let viewer = self.viewer();
        let Some(s) = &mut self.session else { return };
        s.record = joined;
        s.refresh(&viewer, &self.trust);
        let conflicts = s.record.conflicts.len();
        self.info(format!(
            "{count} change(s) saved to this assessment by another program were joined in; nothing was written over{}",
            if conflicts > 0 {
                format!(" ({conflicts} conflict(s) to resolve: see the Summary page)")
            } else {
                String::new()
            }
        ));
    }

    /// Saves the assessment now if it has unsaved changes, joining in any
    /// change another program saved to the file meanwhile.
    pub fn save_now(&mut self) {
        let Some(s) = &mut self.session else { return };
        if s.unsaved_since.is_none() {
            return;
        }
        match store::save(&s.path, &s.record) {
            Ok(saved) => {
                s.unsaved_since = None;
                s.last_saved = Some(chrono::Local::now());
                s.disk_stamp = disk_stamp(&s.path);
                if saved.merged_in > 0 {
                    self.took_in(saved.assessment, saved.merged_in);
                }
            }
            Err(e) => {
                // Keep trying at the next change; the work stays in memory.
                s.unsaved_since = Some(Instant::now());
                let text = e.to_string();
                self.error(text);
            }
        }
    }

    /// Reads in what another program saved to the open file since this
    /// window last read or wrote it.
    fn check_disk(&mut self) {
        let Some(s) = &mut self.session else { return };
        if s.last_disk_check.elapsed() < DISK_CHECK_EVERY {
            return;
        }
        s.last_disk_check = Instant::now();
        self.check_roster();
        let Some(s) = &mut self.session else { return };
        let stamp = disk_stamp(&s.path);
        if stamp.is_none() || stamp == s.disk_stamp {
            return;
        }
        s.disk_stamp = stamp;
        let joined = store::load(&s.path).map_err(|e| e.to_string()).and_then(|disk| {
            let known: std::collections::HashSet<&str> = s.record.audit.iter().map(|e| e.hash.as_str()).collect();
            let count = disk.audit.iter().filter(|e| !known.contains(e.hash.as_str())).count();
            if count == 0 {
                return Ok(None);
            }
            assessment::merge(&[s.record.clone(), disk]).map(|j| Some((j, count))).map_err(|e| e.to_string())
        });
        match joined {
            Ok(Some((joined, count))) => self.took_in(joined, count),
            Ok(None) => {}
            Err(e) => {
                let text = format!("{} changed on disk and could not be read in: {e}", s.path.display());
                self.error(text)
            }
        }
    }

    /// Puts the BDU's roster in place and works out again what the
    /// letter waits on.
    pub fn set_trust(&mut self, trust: crate::roster::Trust) {
        self.trust = trust;
        let viewer = self.viewer();
        if let Some(s) = &mut self.session {
            s.refresh(&viewer, &self.trust);
        }
    }

    /// Takes in the roster installed beside the program when it changed:
    /// letters wait on it, and the BDU may send a new one mid-assessment.
    fn check_roster(&mut self) {
        let stamp = crate::roster::installed_path().as_deref().and_then(disk_stamp);
        if stamp == self.roster_stamp {
            return;
        }
        self.roster_stamp = stamp;
        match crate::roster::Trust::find(None, None) {
            Ok(trust) => {
                self.set_trust(trust);
                self.info("The BDU's roster was read again");
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Takes a file off Recent files (a file that could not be read, so the
    /// list offers only what opens; or one about to go back on top), and
    /// gives the path as the list keeps it.
    fn forget(&mut self, path: &Path) -> PathBuf {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        path
    }

    /// An assessment file that could not be opened: say why, and, when it
    /// is damaged, offer its newest backup that checks.
    fn refused_file(&mut self, path: &Path, why: String) {
        self.forget(path);
        self.error(why);
        if store::load(path).is_err_and(|e| e.damaged())
            && let Some((backup, _)) = store::newest_good_backup(path)
        {
            self.backup_offer = Some((path.to_path_buf(), backup));
        }
    }

    /// Puts the offered backup in place of the damaged file (kept beside it)
    /// and opens it.
    pub fn restore_backup(&mut self) {
        let Some((path, backup)) = self.backup_offer.take() else { return };
        match store::restore_backup(&path, &backup) {
            Ok(kept) => {
                self.info(format!(
                    "Restored {} from {}; the damaged file was kept as {}",
                    path.display(),
                    backup.display(),
                    kept.display()
                ));
                self.open(&path);
            }
            Err(e) => self.error(e.to_string()),
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
                    Ok(Err((e, _))) if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csuassess")) => {
                        self.refused_file(&path, e)
                    }
                    Ok(Err((e, details))) => {
                        self.forget(&path);
                        self.error(e);
                        if let Some(last) = self.messages.last_mut() {
                            last.details = details;
                        }
                    }
                    Err(std::sync::mpsc::TryRecvError::Empty) => still.push(Job::Import { path, result }),
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                        self.error(format!("{}: reading it stopped unexpectedly", path.display()))
                    }
                },
                Job::Portfolio { folder, result } => match result.try_recv() {
                    Ok(Ok(portfolio)) => {
                        self.portfolio = Some(PortfolioPage::new(folder, portfolio, self.portfolio.take()))
                    }
                    Ok(Err(e)) => self.error(e),
                    Err(std::sync::mpsc::TryRecvError::Empty) => still.push(Job::Portfolio { folder, result }),
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                        self.error(format!("{}: reading the folder stopped unexpectedly", folder.display()))
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
        self.messages.retain(|m| m.level == Level::Error || m.shown_at.elapsed() < NEWS_SHOWN_FOR);
        self.check_disk();
        let due = self.session.as_ref().and_then(|s| s.unsaved_since).is_some_and(|t| t.elapsed() >= AUTOSAVE_AFTER);
        if due {
            self.save_now();
        }
    }

    pub fn ask_for_path(&mut self, purpose: DialogPurpose) {
        let text = self.suggested_path(purpose).map(|p| p.display().to_string()).unwrap_or_default();
        self.prompt = Some(PathPrompt { purpose, text, focused: false, replacing: None });
    }

    /// Where a file the dialog writes is suggested: a letter beside its
    /// assessment, a portfolio's export beside (never inside) its folder, so
    /// the next reading of the folder does not take the export for a plan.
    fn suggested_path(&self, purpose: DialogPurpose) -> Option<PathBuf> {
        match purpose {
            DialogPurpose::ExportLetter => self.letter_path(),
            DialogPurpose::ExportKey => {
                let name: String =
                    self.prefs.assessor.trim().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
                documents_dir().map(|d| d.join(format!("{name}-key.toml")))
            }
            DialogPurpose::ExportPortfolio(kind) => {
                let folder = &self.portfolio.as_ref()?.folder;
                let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let name =
                    if name.is_empty() { kind.suffix().to_string() } else { format!("{name}-{}", kind.suffix()) };
                Some(folder.parent().map(Path::to_path_buf).or_else(documents_dir)?.join(name))
            }
            _ => None,
        }
    }

    /// Where a letter is suggested: beside its assessment, unless that is
    /// in the program's own data folder (an example's), then the user's
    /// documents folder.
    fn letter_path(&self) -> Option<PathBuf> {
        let s = self.session.as_ref()?;
        let name = s.path.with_extension("pdf").file_name()?.to_os_string();
        if s.path.starts_with(&self.data_dir) {
            documents_dir().map(|d| d.join(name))
        } else {
            Some(s.path.with_extension("pdf"))
        }
    }

    /// Opens the platform's file dialog on another thread, or the typed
    /// path where dialogs are not to be tried.
    pub fn open_dialog(&mut self, purpose: DialogPurpose) {
        if !self.system_dialogs || !super::jobs::dialog_possible() {
            self.ask_for_path(purpose);
            return;
        }
        let suggested = self.suggested_path(purpose);
        self.jobs.push(super::jobs::dialog(purpose, suggested));
    }

    pub fn dialog_chose(&mut self, purpose: DialogPurpose, path: &Path) {
        match purpose {
            DialogPurpose::Open => self.open(path),
            DialogPurpose::ExportLetter => self.export_letter(path),
            DialogPurpose::Merge => self.merge_copy(path),
            DialogPurpose::Criteria => self.open_criteria_file(path),
            DialogPurpose::OpenFolder => self.open_folder(path),
            DialogPurpose::ExportPortfolio(kind) => self.export_portfolio(kind, path),
            DialogPurpose::LinkEarlier => self.link_earlier(path),
            DialogPurpose::ExportKey => self.export_key(path),
        }
    }

    /// Writes this computer's key, under the name on the start page, for the
    /// BDU office to enrol (`roster import`).
    pub fn export_key(&mut self, path: &Path) {
        let Some(key) = &self.identity else { return self.error("this computer has no signing key") };
        let entry = crate::keys::known_entry(&self.prefs.assessor, key);
        match store::write_atomic(path, entry.as_bytes()) {
            Ok(()) => self.info(format!(
                "Wrote {} for the BDU office to enrol in its roster: {} ({})",
                path.display(),
                self.prefs.assessor.trim(),
                crate::keys::short(&key.public())
            )),
            Err(e) => self.error(format!("{}: could not be written ({e})", path.display())),
        }
    }

    /// Reads a folder of plans and assessments as a portfolio, on another
    /// thread, as this computer's member may see each assessment.
    pub fn open_folder(&mut self, folder: &Path) {
        self.jobs.push(super::jobs::read_folder(folder, Some(self.viewer()), self.trust.clone()));
        self.page = Page::Portfolio;
    }

    /// Writes one of the portfolio's exports.
    pub fn export_portfolio(&mut self, kind: PortfolioExport, path: &Path) {
        let Some(page) = &self.portfolio else { return };
        match kind.bytes(&page.portfolio).and_then(|b| store::write_atomic(path, &b).map_err(|e| e.to_string())) {
            Ok(()) => self.info(format!("Wrote {}", path.display())),
            Err(e) => self.error(format!("{}: could not be written ({e})", path.display())),
        }
    }

    /// Links the assessment saved at `path` as the open one's checkpoint
    /// before. One of a CSU by another name is refused by the record; the
    /// Summary page then offers to link it anyway (a CSU renamed).
    pub fn link_earlier(&mut self, path: &Path) {
        self.reviews.other_csu = None;
        let earlier = match store::load(path) {
            Ok(earlier) => earlier,
            Err(e) => return self.error(e.to_string()),
        };
        match self.try_apply(Edit::link_earlier(&earlier, false)) {
            Ok(_) => {}
            Err(refusal @ Refusal::OtherCsu { .. }) => {
                self.reviews.other_csu =
                    Some((Box::new(earlier), crate::assessment::rules::capitalised(&refusal.to_string())))
            }
            Err(refusal) => self.error(refusal.to_string()),
        }
    }

    /// Merges a reviewer's copy into the open assessment: every change of
    /// both kept, conflicts listed for the panel to resolve. A merge adds
    /// others' entries to the record, so it is not undone.
    pub fn merge_copy(&mut self, path: &Path) {
        let Some(s) = &mut self.session else { return };
        let result = store::load(path).map_err(|e| e.to_string()).and_then(|copy| {
            assessment::merge(&[s.record.clone(), copy]).map_err(|e| format!("{}: {e}", path.display()))
        });
        match result {
            Ok(merged) => {
                let added = merged.audit.len().saturating_sub(s.record.audit.len());
                let conflicts = merged.conflicts.len();
                if added > 0 {
                    let viewer = self.identity.as_ref().map(|k| k.public()).unwrap_or_default();
                    s.record = merged;
                    s.refresh(&viewer, &self.trust);
                    s.unsaved_since.get_or_insert_with(Instant::now);
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
        if !s.view.sees_panel {
            return self.error(format!(
                "{} has not finished scoring, so the letter, which shows the panel's result, stays hidden until then",
                s.view.member
            ));
        }
        let today = chrono::Local::now().date_naive();
        let made = crate::letter::write(&s.plan, &s.framework, &s.record, &self.templates, &self.trust, today);
        let mut signed_by = String::new();
        let (letter, mut bytes) = match made {
            Ok(made) => made,
            Err(e) => return self.error(e.to_string()),
        };
        if !letter.draft {
            let Some(identity) = &self.identity else {
                return self.error("this computer has no signing key, so no letter can be issued here");
            };
            let signed = crate::letter::signature::Signer::for_key(&self.trust, identity)
                .and_then(|s| Ok((s.sign(&bytes, letter.timestamp)?, s.name())));
            (bytes, signed_by) = match signed {
                Ok(signed) => signed,
                Err(e) => return self.error(format!("the letter was not issued: {e}")),
            };
            // A final letter is issued: on the record, and saved, before it
            // is written out.
            let edit = Edit::IssueLetter {
                reference: letter.reference.clone(),
                code: letter.code.clone(),
                sha256: plan::fingerprint(&bytes),
                date: today,
                wording: self.templates.fingerprint.clone(),
            };
            if self.record_edit(edit).is_none() {
                return;
            }
            self.save_now();
            if self.session.as_ref().is_some_and(|s| s.unsaved_since.is_some()) {
                return self.error(
                    "the letter was recorded as issued but the record could not be saved, so it was not written",
                );
            }
        }
        match store::write_atomic(path, &bytes) {
            Ok(()) => {
                self.last_letter = Some(path.to_path_buf());
                self.info(if letter.draft {
                    format!("Wrote a DRAFT letter to {}", path.display())
                } else {
                    format!(
                        "Issued the letter {} (verification code {}), signed by {signed_by} for PDF readers, and wrote it to {}",
                        letter.reference,
                        letter.code,
                        path.display()
                    )
                });
            }
            Err(e) => self.error(format!("{}: could not be written ({e})", path.display())),
        }
    }

    /// Called as the window closes (or a signal ends the program): records
    /// what leaving records, saves, keeps the other drafts, and notes a
    /// clean exit.
    pub fn on_exit(&mut self) {
        self.save_all();
        self.prefs.clean_exit = true;
    }
}
