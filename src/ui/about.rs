//! The About box (Help > About CSU Assess): the version, the frameworks and
//! letter wording built in, and the licences of what the program ships, all
//! as the library lists them ([`crate::about::about`]), the same list
//! `csu-assess about` prints.

use crate::about::About;
use eframe::egui::{self, RichText};

/// Draws the About box while `about` holds what it lists; closing it
/// clears `about`.
pub fn show(ctx: &egui::Context, about: &mut Option<About>) {
    let Some(a) = about.as_ref() else { return };
    let mut open = true;
    let size = egui::vec2(820.0, ctx.content_rect().height() * 0.75);
    egui::Window::new("About CSU Assess").open(&mut open).collapsible(false).default_size(size).show(ctx, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false; 2]).show(ui, |ui| {
            super::widgets::heading(ui, format!("CSU Assess {}", a.version));
            ui.label("Assesses commissioning support units' business plans against the BDU's criteria, offline.");
            ui.label(format!("Licence: {}", a.licence));
            ui.add_space(8.0);
            ui.strong("Built-in frameworks and wording");
            egui::Grid::new("about-carried").striped(true).show(ui, |ui| {
                for c in a.frameworks.iter().chain(&a.wordings) {
                    ui.label(c.file_name);
                    ui.label(&c.title);
                    ui.label(c.version.as_deref().map(|v| format!("version {v}")).unwrap_or_default());
                    ui.label(RichText::new(format!("SHA-256 {}", &c.sha256[..16])).weak())
                        .on_hover_text(format!("SHA-256 {}", c.sha256));
                    ui.end_row();
                }
            });
            ui.add_space(8.0);
            ui.strong("Fonts");
            for (i, f) in a.fonts.iter().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(f.name);
                    ui.label(RichText::new(format!("({})", f.used_for)).weak());
                });
                egui::CollapsingHeader::new(f.licence).id_salt(("about-font", i)).show(ui, |ui| {
                    ui.label(RichText::new(f.licence_text).small());
                });
            }
            ui.add_space(8.0);
            egui::CollapsingHeader::new(format!("Rust crates built in ({})", a.crates.len())).show(ui, |ui| {
                for (licence, count) in a.licence_counts() {
                    ui.label(format!("{count} under {licence}"));
                }
                ui.separator();
                egui::Grid::new("about-crates").striped(true).show(ui, |ui| {
                    for c in &a.crates {
                        ui.label(c.name);
                        ui.label(c.version);
                        ui.label(c.licence);
                        ui.end_row();
                    }
                });
            });
        });
    });
    if !open {
        *about = None;
    }
}
