//! The start page: open a file or a folder (the portfolio), recent files,
//! the built-in example plans, the calibration plan and the frameworks,
//! and the work offered back after a crash.

use super::state::{AppState, DialogPurpose};
use eframe::egui::{self, RichText, Ui};

pub fn show(ui: &mut Ui, state: &mut AppState) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        super::widgets::heading(ui, "CSU Assess");
        ui.label("Assess commissioning support units' business plans against the BDU's criteria.");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let label = ui.label("Your name");
            ui.add(
                egui::TextEdit::singleline(&mut state.prefs.assessor)
                    .desired_width(240.0)
                    .hint_text("as the BDU knows you"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Recorded as the first member of the assessments you start here, and signed with this computer's key",
            );
        });
        ui.label(
            RichText::new(
                "An assessment already started keeps the names its panel was given; the Panel page shows them.",
            )
            .weak(),
        );
        ui.add_space(8.0);
        if let Some(path) = state.recovery.clone() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(
                    RichText::new("The program closed unexpectedly last time. Your work was saved as you went.")
                        .strong(),
                );
                ui.horizontal(|ui| {
                    if ui.button(format!("Reopen {}", path.display())).clicked() {
                        state.recovery = None;
                        state.open(&path);
                    }
                    if ui.button("Not now").clicked() {
                        state.recovery = None;
                    }
                });
            });
            ui.add_space(8.0);
        }
        if ui.button("Open a plan or assessment…  (Ctrl+O)").clicked() {
            state.open_dialog(DialogPurpose::Open);
        }
        let folder = super::commands::Action::OpenFolder;
        let key = folder.shortcut().map(|k| format!("  ({})", ui.ctx().format_shortcut(&k))).unwrap_or_default();
        if ui.button(format!("{}{key}", folder.label())).on_hover_text(folder.tooltip()).clicked() {
            state.open_dialog(DialogPurpose::OpenFolder);
        }
        ui.label(RichText::new("You can also drop a file on the window.").weak());
        ui.add_space(10.0);
        ui.label(RichText::new("Recent files").strong());
        if state.prefs.recent.is_empty() {
            ui.label(RichText::new("None yet.").weak());
        }
        let mut chosen = None;
        for path in &state.prefs.recent {
            if ui.link(path.display().to_string()).clicked() {
                chosen = Some(path.clone());
            }
        }
        if let Some(p) = chosen {
            state.open(&p);
        }
        ui.add_space(10.0);
        ui.label(RichText::new("Example plans").strong());
        let mut example = None;
        for e in crate::examples::EXAMPLES {
            ui.horizontal(|ui| {
                if ui.button(e.title).clicked() {
                    example = Some(e.slug);
                }
                ui.label(RichText::new(e.summary).weak());
            });
        }
        ui.add_space(10.0);
        ui.label(RichText::new("Calibration").strong());
        ui.horizontal(|ui| {
            let plan = crate::examples::CALIBRATION;
            if ui.button("Calibrate: score the reference plan").on_hover_text(plan.title).clicked() {
                example = Some(plan.slug);
            }
            ui.label(RichText::new(plan.summary).weak());
        });
        if let Some(slug) = example {
            state.open_example(slug);
        }
        ui.add_space(10.0);
        ui.label(RichText::new("Built-in frameworks").strong());
        for b in crate::criteria::BUILTIN {
            if let Ok(f) = b.framework() {
                ui.label(format!(
                    "{} (version {}): {} domains, {} criteria; outcomes: {}",
                    f.title,
                    f.version,
                    f.domains.len(),
                    f.criterion_count(),
                    f.outcomes.iter().map(|o| o.label.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    });
}
