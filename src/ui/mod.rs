//! The desktop window: a thin layer over [`state::AppState`].
//!
//! [`app_ui`] draws the whole window from the state and is what the tests
//! drive; [`App`] adds only what needs eframe: persistence of window size,
//! theme and recent files (never assessment data), and the close request.
//! Views are one file each and change the assessment only through
//! [`commands::Edit`].

mod about;
pub mod commands;
pub mod drafts;
mod forms;
mod interviews_view;
mod jobs;
mod leaders_view;
mod letter_view;
mod panel_view;
mod plan_view;
mod portfolio_view;
mod scoring_view;
mod session;
mod start;
pub mod state;
mod summary_view;
pub mod theme;
mod widgets;

use commands::{Action, Command};
use eframe::egui::{self, RichText, Ui};
use state::{AppState, DialogPurpose, Level, Page, Prefs};
use std::path::PathBuf;

const PREFS_KEY: &str = "csu-assess-prefs";

/// The window's app id (Wayland) and class (X11): the desktop entry's name,
/// `csu-assess.desktop`, so the desktop shows the window with its entry's
/// icon and name.
const APP_ID: &str = "csu-assess";

/// Sets the window's text in Liberation Sans, the letters' typeface, with
/// DejaVu Sans (the letters' fallback) and egui's own fonts behind it, so a
/// name prints in the window as it does in the letter.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts
        .font_data
        .insert("liberation-sans".into(), std::sync::Arc::new(egui::FontData::from_static(crate::assets::REGULAR_TTF)));
    fonts.font_data.insert(
        "dejavu-sans".into(),
        std::sync::Arc::new(egui::FontData::from_static(crate::assets::FALLBACK_REGULAR_TTF)),
    );
    fonts
        .font_data
        .insert("droid-sans-fallback".into(), std::sync::Arc::new(egui::FontData::from_static(crate::assets::CJK_TTF)));
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        family.insert(0, "liberation-sans".into());
        family.insert(1, "dejavu-sans".into());
        family.push("droid-sans-fallback".into());
    }
    ctx.set_fonts(fonts);
}

/// Runs a menu action or shortcut.
pub fn run_action(ui: &Ui, state: &mut AppState, action: Action) {
    let has_session = state.session.is_some();
    match action {
        Action::OpenFolder => state.open_dialog(DialogPurpose::OpenFolder),
        Action::Open => state.open_dialog(DialogPurpose::Open),
        Action::Save => state.save_all(),
        Action::ExportLetter if has_session => state.open_dialog(DialogPurpose::ExportLetter),
        Action::MergeCopy if has_session => state.open_dialog(DialogPurpose::Merge),
        Action::CloseAssessment => state.close(),
        Action::Undo => state.undo(),
        Action::Redo => state.redo(),
        Action::ShowPlan if has_session => state.page = Page::Plan,
        Action::ShowScoring if has_session => state.page = Page::Scoring,
        Action::ShowSummary if has_session => state.page = Page::Summary,
        Action::ShowLetter if has_session => state.page = Page::Letter,
        Action::ShowPanel if has_session => state.page = Page::Panel,
        Action::ShowInterviews if has_session => state.page = Page::Interviews,
        Action::ShowLeaders if has_session => state.page = Page::Leaders,
        Action::ShowPortfolio => state.page = Page::Portfolio,
        Action::ToggleTheme => {
            state.prefs.dark = !state.prefs.dark;
            ui.ctx().set_theme(if state.prefs.dark { egui::Theme::Dark } else { egui::Theme::Light });
        }
        Action::ShowShortcuts => {
            state.show_shortcuts = !state.show_shortcuts;
            if state.show_shortcuts {
                state.announcement = "Keyboard shortcuts: Esc closes the list".into();
            }
        }
        Action::ShowAbout => state.about = if state.about.is_some() { None } else { Some(crate::about::about()) },
        Action::ShowMyKey => {
            state.show_my_key = !state.show_my_key;
            state.focus_my_key = state.show_my_key;
        }
        Action::NextCriterion if has_session => {
            let total = state.session.as_ref().map_or(0, |s| s.framework.criterion_count());
            state.page = Page::Scoring;
            state.selected_criterion = (state.selected_criterion + 1).min(total.saturating_sub(1));
            // The keyboard follows the selection (unless typing), so the
            // row it is on is always the one a number key scores.
            state.focus_criterion = !ui.ctx().text_edit_focused();
        }
        Action::PreviousCriterion if has_session => {
            state.page = Page::Scoring;
            state.selected_criterion = state.selected_criterion.saturating_sub(1);
            state.focus_criterion = !ui.ctx().text_edit_focused();
        }
        Action::FocusEvidence if has_session => {
            state.page = Page::Scoring;
            state.focus_evidence = true;
        }
        Action::Quit => state.quit_requested = true,
        _ => {}
    }
}

/// Carries out what widgets asked this frame, in order: the one place a
/// request becomes a change.
fn run_commands(ui: &Ui, state: &mut AppState) {
    let commands = std::mem::take(&mut state.commands);
    if !commands.is_empty() {
        // What they changed is drawn at once, not at the next input, so a
        // box asked to take the keyboard (Alt+E) has it before the next key.
        ui.ctx().request_repaint();
    }
    for command in commands {
        match command {
            Command::Run(action) => run_action(ui, state, action),
            Command::Record { edit, typed } => {
                state.apply_typed(edit, &typed);
            }
        }
    }
}

fn menu_item(ui: &mut Ui, state: &mut AppState, action: Action) {
    let shortcut = action.shortcut().map(|s| ui.ctx().format_shortcut(&s)).unwrap_or_default();
    let enabled = match action {
        Action::Undo => state.session.as_ref().is_some_and(|s| s.can_undo()),
        Action::Redo => state.session.as_ref().is_some_and(|s| s.can_redo()),
        Action::Open
        | Action::OpenFolder
        | Action::ShowPortfolio
        | Action::ToggleTheme
        | Action::ShowShortcuts
        | Action::ShowAbout
        | Action::ShowMyKey
        | Action::Quit => true,
        _ => state.session.is_some(),
    };
    let button = egui::Button::new(action.label()).shortcut_text(shortcut);
    if ui.add_enabled(enabled, button).on_hover_text(action.tooltip()).clicked() {
        state.push(Command::Run(action));
        ui.close();
    }
}

/// Draws the whole window: what the app shows and the tests drive.
pub fn app_ui(ui: &mut Ui, state: &mut AppState) {
    state.poll();
    // The window's name for a screen reader: the program, the CSU, the page.
    let name = match &state.session {
        Some(s) => format!("CSU Assess: {}, {}", s.plan.cover.csu_name, state.where_now()),
        None => format!("CSU Assess: {}", state.where_now()),
    };
    ui.ctx().accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(name));
    for action in Action::ALL {
        if let Some(shortcut) = action.shortcut()
            && ui.input_mut(|i| i.consume_shortcut(&shortcut))
        {
            state.push(Command::Run(action));
        }
    }
    let dropped: Vec<PathBuf> = ui.input(|i| {
        i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
    });
    for path in dropped {
        state.open(&path);
    }

    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for a in [
                    Action::Open,
                    Action::OpenFolder,
                    Action::Save,
                    Action::ExportLetter,
                    Action::MergeCopy,
                    Action::CloseAssessment,
                    Action::Quit,
                ] {
                    menu_item(ui, state, a);
                }
                let recent = state.prefs.recent.clone();
                if !recent.is_empty() {
                    ui.separator();
                    ui.menu_button("Recent files", |ui| {
                        for p in recent {
                            if ui.button(p.display().to_string()).clicked() {
                                state.open(&p);
                                ui.close();
                            }
                        }
                    });
                }
            });
            ui.menu_button("Edit", |ui| {
                menu_item(ui, state, Action::Undo);
                menu_item(ui, state, Action::Redo);
                ui.separator();
                menu_item(ui, state, Action::NextCriterion);
                menu_item(ui, state, Action::PreviousCriterion);
                menu_item(ui, state, Action::FocusEvidence);
            });
            ui.menu_button("View", |ui| {
                for a in [
                    Action::ShowPlan,
                    Action::ShowScoring,
                    Action::ShowSummary,
                    Action::ShowLetter,
                    Action::ShowPanel,
                    Action::ShowInterviews,
                    Action::ShowLeaders,
                    Action::ShowPortfolio,
                    Action::ToggleTheme,
                ] {
                    menu_item(ui, state, a);
                }
                ui.label(RichText::new("Zoom: Ctrl + / Ctrl - / Ctrl 0").weak());
            });
            // Last, where every desktop program keeps it.
            ui.menu_button("Help", |ui| {
                menu_item(ui, state, Action::ShowShortcuts);
                menu_item(ui, state, Action::ShowMyKey);
                menu_item(ui, state, Action::ShowAbout);
            });
            ui.separator();
            // With no plan open the start page is the way back from the
            // portfolio; with one open, its pages are.
            let pages: &[(Page, Action)] = if state.session.is_some() {
                &[
                    (Page::Plan, Action::ShowPlan),
                    (Page::Scoring, Action::ShowScoring),
                    (Page::Summary, Action::ShowSummary),
                    (Page::Letter, Action::ShowLetter),
                    (Page::Panel, Action::ShowPanel),
                    (Page::Interviews, Action::ShowInterviews),
                    (Page::Leaders, Action::ShowLeaders),
                    (Page::Portfolio, Action::ShowPortfolio),
                ]
            } else {
                &[(Page::Portfolio, Action::ShowPortfolio)]
            };
            if state.session.is_none()
                && ui.selectable_label(state.page == Page::Start, "Start").on_hover_text("The start page").clicked()
            {
                state.page = Page::Start;
            }
            for &(view, action) in pages {
                let tab = ui.selectable_label(state.page == view, action.label()).on_hover_text(action.tooltip());
                if state.page == view && std::mem::take(&mut state.focus_page) {
                    tab.request_focus();
                }
                if tab.clicked() {
                    state.page = view;
                }
            }
        });
    });

    egui::Panel::bottom("status").show(ui, |ui| {
        // Wraps onto a second line rather than running off the window when
        // zoomed in (140% at 1366 wide cut off the outcome).
        ui.horizontal_wrapped(|ui| {
            if let Some(s) = &state.session {
                let typed: Vec<String> = state.drafts.pending().map(|(f, _)| f.describe()).collect();
                let saved = match (&s.unsaved_since, &s.last_saved, typed.len()) {
                    (_, _, 1) => format!("Unsaved: {} not yet recorded", typed[0]),
                    (_, _, n @ 2..) => format!("Unsaved: {n} texts typed and not yet recorded"),
                    (Some(_), _, _) => "Unsaved changes (saving…)".to_string(),
                    (None, Some(t), _) => format!("Saved {}", t.format("%H:%M:%S")),
                    (None, None, _) => "No unsaved changes".to_string(),
                };
                let label = ui.label(saved);
                if !typed.is_empty() {
                    label.on_hover_text(format!(
                        "Typed, kept on disk in case the program stops, but not yet on the record: {}. Evidence is recorded when you leave its criterion or page, save (Ctrl+S) or close; the rest when you press its button.",
                        typed.join("; ")
                    ));
                }
                ui.separator();
                ui.label(s.path.display().to_string());
                ui.separator();
                ui.label(if s.view.member.is_empty() {
                    "Not on this panel: read only".to_string()
                } else {
                    format!("Acting as {}", s.view.member)
                });
                ui.separator();
                let outcome = if !s.view.sees_panel {
                    "outcome hidden until you finish scoring".to_string()
                } else {
                    s.evaluation.headline()
                };
                ui.label(format!("{}: {outcome}", s.framework.title));
            } else {
                ui.label("No plan open");
            }
            // A live region: what happened last is read out by a screen
            // reader without moving its focus.
            let said = ui.label(RichText::new(&state.announcement).weak());
            ui.ctx().accesskit_node_builder(said.id, |node| node.set_live(egui::accesskit::Live::Polite));
            for job in &state.jobs {
                if let state::Job::Import { path, .. } | state::Job::Portfolio { folder: path, .. } = job {
                    ui.separator();
                    ui.spinner();
                    ui.label(format!("Reading {}…", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
                }
            }
        });
    });

    if let Some((damaged, backup)) = state.backup_offer.clone() {
        egui::Panel::top("backup-offer").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} could not be opened; its newest backup that checks is {}.",
                    damaged.display(),
                    backup.display()
                ));
                if ui.button("Restore that backup").on_hover_text("The damaged file is kept beside it").clicked() {
                    state.restore_backup();
                }
                if ui.button("Not now").clicked() {
                    state.backup_offer = None;
                }
            });
        });
    }

    // Messages float above the status bar rather than sit above the page:
    // a banner that pushed the page down moved the control under the
    // pointer, and the next click landed on another one.
    if !state.messages.is_empty() {
        egui::Area::new(egui::Id::unique("messages"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -34.0))
            .order(egui::Order::Foreground)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width(ui.ctx().content_rect().width() - 80.0);
                    let mut dismiss = None;
                    for (i, m) in state.messages.iter().enumerate() {
                        ui.horizontal_wrapped(|ui| {
                            let text = match m.level {
                                Level::Error => RichText::new(&m.text).color(theme::of(ui).concern),
                                Level::Info => RichText::new(&m.text),
                            };
                            if ui.button("Dismiss").clicked() {
                                dismiss = Some(i);
                            }
                            // Read out as it appears: errors at once, news politely.
                            let shown = ui.label(text);
                            let live = match m.level {
                                Level::Error => egui::accesskit::Live::Assertive,
                                Level::Info => egui::accesskit::Live::Polite,
                            };
                            ui.ctx().accesskit_node_builder(shown.id, |node| node.set_live(live));
                            if let Some(details) = &m.details {
                                ui.label(RichText::new("Details").underline().weak()).on_hover_text(details);
                            }
                        });
                    }
                    if state.messages.len() > 1 && ui.button("Dismiss all").clicked() {
                        state.messages.clear();
                    } else if let Some(i) = dismiss {
                        state.messages.remove(i);
                    }
                });
            });
    }

    // Esc closes the window on top: the typed-path prompt (as Cancel), the
    // About box, the shortcut list.
    let window_open = state.prompt.is_some() || state.about.is_some() || state.show_shortcuts || state.show_my_key;
    if window_open && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        // The keyboard goes back to the page's tab, not to the window.
        state.focus_page = true;
        if state.prompt.is_some() {
            state.prompt = None;
        } else if state.about.is_some() {
            state.about = None;
        } else if state.show_my_key {
            state.show_my_key = false;
        } else {
            state.show_shortcuts = false;
        }
    }
    my_key_ui(ui.ctx(), state);
    name_needed_ui(ui.ctx(), state);

    if state.show_shortcuts {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts").open(&mut open).collapsible(false).show(ui.ctx(), |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for action in Action::ALL {
                    ui.label(action.label());
                    ui.label(
                        action.shortcut().map(|k| ui.ctx().format_shortcut(&k)).unwrap_or_else(|| "menu only".into()),
                    );
                    ui.label(RichText::new(action.tooltip()).weak());
                    ui.end_row();
                }
                ui.label("Score the selected criterion");
                ui.label("0-4");
                ui.label(RichText::new("On the Scoring page, when not typing").weak());
                ui.end_row();
            });
        });
        state.show_shortcuts &= open;
    }

    about::show(ui.ctx(), &mut state.about);

    if let Some(mut prompt) = state.prompt.take() {
        let mut keep = true;
        let names = prompt.purpose.names();
        // Modal: the keyboard stays in the prompt, never on the controls of
        // the page under it.
        egui::Modal::new(egui::Id::unique("typed-path")).show(ui.ctx(), |ui| {
            ui.set_max_width(720.0);
            widgets::heading(ui, format!("Type the {names}'s path"));
            ui.label(format!(
                "The system's file dialog could not open here. Type or paste the full path of the {names}."
            ));
            let label = ui.label("Path");
            let hint = directories::UserDirs::new()
                .map(|d| d.document_dir().unwrap_or(d.home_dir()).join("…").display().to_string())
                .unwrap_or_default();
            let response = ui
                .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(640.0).hint_text(hint))
                .labelled_by(label.id);
            if !prompt.focused {
                response.request_focus();
                prompt.focused = true;
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(existing) = prompt.replacing.clone() {
                let asked = ui.label(
                    RichText::new(format!("{} already exists. Replace it?", existing.display()))
                        .color(ui.visuals().warn_fg_color),
                );
                ui.ctx().accesskit_node_builder(asked.id, |node| node.set_live(egui::accesskit::Live::Assertive));
                ui.horizontal(|ui| {
                    if ui.button("Replace").clicked() {
                        state.dialog_chose(prompt.purpose, &existing);
                        keep = false;
                    }
                    if ui.button("Choose another name").clicked() {
                        prompt.replacing = None;
                        prompt.focused = false;
                    }
                });
            } else {
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() || enter {
                        let path = PathBuf::from(prompt.text.trim());
                        if prompt.purpose.saves() && path.exists() {
                            prompt.replacing = Some(path);
                        } else {
                            state.dialog_chose(prompt.purpose, &path);
                            keep = false;
                        }
                    }
                    if ui.button("Cancel").clicked() {
                        keep = false;
                    }
                });
            }
        });
        if keep {
            state.prompt = Some(prompt);
        } else {
            // Answered or cancelled, the keyboard goes back to the page.
            state.focus_page = true;
        }
    }

    egui::CentralPanel::default().show(ui, |ui| match (state.page, state.session.is_some()) {
        (Page::Portfolio, _) => portfolio_view::show(ui, state),
        (Page::Start, _) | (_, false) => start::show(ui, state),
        (Page::Plan, true) => plan_view::show(ui, state),
        (Page::Scoring, true) => scoring_view::show(ui, state),
        (Page::Summary, true) => summary_view::show(ui, state),
        (Page::Letter, true) => letter_view::show(ui, state),
        (Page::Panel, true) => panel_view::show(ui, state),
        (Page::Interviews, true) => interviews_view::show(ui, state),
        (Page::Leaders, true) => leaders_view::show(ui, state),
    });

    run_commands(ui, state);
    state.end_frame();
    // A control waiting to take the keyboard takes it on the next frame;
    // that frame comes now, before the next key.
    if state.focus_page || state.focus_evidence || state.focus_criterion || state.focus_my_key {
        ui.ctx().request_repaint();
    }
    if state.busy()
        || !state.jobs.is_empty()
        || state.session.as_ref().is_some_and(|s| s.unsaved_since.is_some())
        || state.drafts_unwritten()
    {
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
    } else if state.messages.iter().any(|m| m.level == Level::Info) {
        // News expires even while nothing else moves.
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(500));
    }
}

/// Asks the person at the laptop for their name before a new assessment
/// is started in it: the name is recorded as its first member and signed.
fn name_needed_ui(ctx: &egui::Context, state: &mut AppState) {
    let Some((path, _)) = &state.name_needed else { return };
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut start = false;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("name-needed")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        widgets::heading(ui, "Your name");
        ui.label(format!(
            "A new assessment of {file} is about to start. Your name is recorded as its first member, signed with this computer's key, and printed in its letter: type it as the BDU knows you."
        ));
        let l = ui.label("Your name as the BDU knows you");
        let response = ui.add(egui::TextEdit::singleline(&mut state.prefs.assessor).desired_width(300.0)).labelled_by(l.id);
        if !response.has_focus() && state.prefs.assessor.is_empty() {
            response.request_focus();
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let named = !state.prefs.assessor.trim().is_empty();
        ui.horizontal(|ui| {
            let button = ui
                .add_enabled(named, egui::Button::new("Start the assessment"))
                .on_disabled_hover_text("Type your name first");
            start = (button.clicked() || enter) && named;
            cancel = ui.button("Cancel").clicked();
        });
    });
    if start {
        state.name_given();
    } else if cancel {
        state.name_needed = None;
    }
}

/// This computer's public key: shown, copied for the chair, or exported
/// for the BDU office to enrol in its roster.
fn my_key_ui(ctx: &egui::Context, state: &mut AppState) {
    if !state.show_my_key {
        return;
    }
    let mut open = true;
    let key = state.identity.as_ref().map(|k| k.public()).unwrap_or_default();
    egui::Window::new("My key").open(&mut open).collapsible(false).show(ctx, |ui| {
        if key.is_empty() {
            ui.label("This computer has no signing key, so nothing can be recorded here.");
            return;
        }
        ui.label("This computer's public key. It is not secret: give it to the chair, who adds you to a panel with it, and to the BDU office, who enrols it in the BDU's roster under your name. The private key never leaves this computer.");
        let mut shown = key.clone();
        let l = ui.label("Public key");
        ui.add(egui::TextEdit::singleline(&mut shown).desired_width(560.0).font(egui::TextStyle::Monospace))
            .labelled_by(l.id);
        ui.horizontal(|ui| {
            let copy = ui.button("Copy the key");
            // Opened, the window has the keyboard, not the page behind it.
            if std::mem::take(&mut state.focus_my_key) {
                copy.request_focus();
            }
            if copy.clicked() {
                ui.ctx().copy_text(key.clone());
                state.info("Copied this computer's public key");
            }
            let named = !state.prefs.assessor.trim().is_empty();
            let export = ui
                .add_enabled(named, egui::Button::new("Export for the BDU…"))
                .on_hover_text("Writes your key with your name, for the BDU office to enrol (roster import)")
                .on_disabled_hover_text("Type your name on the start page first: the BDU lists the key under it");
            if export.clicked() {
                state.open_dialog(DialogPurpose::ExportKey);
            }
        });
        ui.label(match (state.trust.roster.is_some(), state.trust.name_of(&key)) {
            (_, Some(name)) => format!("The BDU's roster gives this key to {name}."),
            (true, None) => "The BDU's roster does not list this key yet: until the office enrols it, what it signs can only make drafts.".to_string(),
            (false, None) => "No BDU roster is installed with the program on this computer, so no key is checked here: letters can only be drafts.".to_string(),
        });
        // A chair's letters are signed for PDF readers with a second key,
        // which the office certifies; the export above carries it too.
        let Some(identity) = state.identity.as_ref() else { return };
        let mut letter_key = identity.letter_key();
        let certified = match crate::letter::signature::Signer::for_key(&state.trust, identity) {
            Ok(signer) => format!(
                "The BDU's roster certifies this letter-signing key: the letters you issue show as signed by {} in any PDF reader.",
                signer.name()
            ),
            Err(e) => format!("Letters cannot be signed here yet: {e}."),
        };
        let l = ui.label("Letter-signing key (for chairs)");
        ui.add(egui::TextEdit::singleline(&mut letter_key).desired_width(560.0).font(egui::TextStyle::Monospace))
            .labelled_by(l.id);
        if ui.button("Copy the letter-signing key").clicked() {
            ui.ctx().copy_text(letter_key);
            state.info("Copied this computer's letter-signing key, for the BDU office");
        }
        ui.label(certified);
    });
    state.show_my_key &= open;
}

/// The eframe application.
pub struct App {
    pub state: AppState,
    /// When `run` began, to report the time to the first frame when the
    /// `CSU_ASSESS_STARTUP_TIMING` environment variable is set.
    launched: Option<std::time::Instant>,
    /// Set when the system asked the program to end.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, files: Vec<PathBuf>, launched: std::time::Instant) -> Self {
        let prefs: Prefs = cc.storage.and_then(|s| eframe::get_value(s, PREFS_KEY)).unwrap_or_default();
        theme::install(&cc.egui_ctx);
        cc.egui_ctx.set_theme(if prefs.dark { egui::Theme::Dark } else { egui::Theme::Light });
        install_fonts(&cc.egui_ctx);
        let mut state = AppState::new(prefs, crate::data_dir());
        for f in files {
            state.open(&f);
        }
        let launched = std::env::var_os("CSU_ASSESS_STARTUP_TIMING").map(|_| launched);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        watch_signals(&cc.egui_ctx, &stop);
        App { state, launched, stop }
    }
}

/// On SIGTERM, SIGINT or SIGHUP (`kill`, Ctrl+C, logging out), asks the
/// window to save and close, as the Quit command does, instead of dying
/// with the last change unsaved. Should the window not answer within ten
/// seconds, the program ends: every save is atomic, so none is half-done.
#[cfg(unix)]
fn watch_signals(ctx: &egui::Context, stop: &std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else { return };
    let (ctx, stop) = (ctx.clone(), stop.clone());
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
            ctx.request_repaint();
            std::thread::sleep(std::time::Duration::from_secs(10));
            std::process::exit(0);
        }
    });
}

#[cfg(not(unix))]
fn watch_signals(_ctx: &egui::Context, _stop: &std::sync::Arc<std::sync::atomic::AtomicBool>) {}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        app_ui(ui, &mut self.state);
        if let Some(launched) = self.launched.take() {
            eprintln!("csu-assess: first frame drawn {:.0} ms after launch", launched.elapsed().as_secs_f64() * 1e3);
        }
        if self.stop.load(std::sync::atomic::Ordering::SeqCst) {
            self.state.quit_requested = true;
        }
        // Closing by any way (the window's button, Ctrl+Q, a signal) does
        // the exit's work here, before eframe keeps the preferences: it
        // keeps them before it calls `on_exit`, so a clean exit noted only
        // there was never kept, and every start said the last one crashed.
        let closing = ui.ctx().input(|i| i.viewport().close_requested());
        if self.state.quit_requested || closing {
            self.state.on_exit();
        }
        if self.state.quit_requested {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Preferences (theme, recent files, the open assessment) are kept
    /// within seconds of a change, not only at a clean exit.
    fn auto_save_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(2)
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.state.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.state.on_exit();
    }
}

/// Opens the window; the files given are opened in it. A renderer that
/// cannot start is reported in words, never as a blank window.
pub fn run(files: Vec<PathBuf>) -> Result<(), String> {
    let launched = std::time::Instant::now();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("CSU Assess")
        .with_app_id(APP_ID)
        .with_inner_size([1280.0, 720.0])
        .with_min_inner_size([800.0, 500.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(crate::assets::ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        // Where the preferences were kept before the window had an app id,
        // which would otherwise move them.
        persistence_path: eframe::storage_dir("CSU Assess").map(|d| d.join("app.ron")),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native("CSU Assess", options, Box::new(move |cc| Ok(Box::new(App::new(cc, files, launched)))))
        .map_err(|e| format!("the window could not open ({e}); the command-line verbs (csu-assess --help) still work"))
}
