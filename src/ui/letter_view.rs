//! The letter: the development plan's actions, the letter's content as it
//! will read, export to PDF and the folder it went to.

use super::commands::Command;
use super::drafts::Field;
use super::state::{AppState, DialogPurpose};
use crate::assessment::Edit;
use crate::letter::Block;
use eframe::egui::{self, RichText, Ui};

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    if !s.view.sees_panel {
        super::widgets::heading(ui, "Letter");
        ui.label("The development plan and the letter show the panel's result, so they stay hidden until you mark your scoring finished on the Panel page.");
        return;
    }
    let actions = s.view.assessment.actions.clone();
    let today = chrono::Local::now().date_naive();
    let evaluation = s.evaluation.clone();
    let missing = evaluation.missing.clone();
    let letter =
        crate::letter::compose(&s.plan, &s.framework, &s.view.assessment, &evaluation, &state.templates, today);
    // Whether this computer can sign what it would issue, said before the
    // assessor tries (the same rule issuing applies).
    let signing = match (missing.is_empty(), state.identity.as_ref()) {
        (true, Some(identity)) => Some(crate::letter::signature::Signer::for_key(&state.trust, identity)),
        _ => None,
    };
    let mut remove = None;
    let mut add = false;
    egui::ScrollArea::vertical().show(ui, |ui| {
        super::widgets::keyboard_scroll(ui);
        ui.horizontal(|ui| {
            if ui.button("Export letter as PDF…").on_hover_text("Ctrl+E").clicked() {
                state.open_dialog(DialogPurpose::ExportLetter);
            }
            if let Some(path) = state.last_letter.clone()
                && ui.button("Open the folder").clicked()
            {
                open_folder(state, path.parent().unwrap_or(std::path::Path::new(".")));
            }
        });
        if !missing.is_empty() {
            ui.label(
                RichText::new("Before a letter can be issued (until then an exported letter is marked DRAFT):")
                    .color(super::theme::of(ui).caution),
            );
            for m in &missing {
                ui.label(format!("• {m}"));
            }
        }
        match &signing {
            Some(Ok(signer)) => {
                ui.label(format!(
                    "Exported, the letter is issued: recorded on the trail and signed by {} for PDF readers.",
                    signer.name()
                ));
            }
            Some(Err(e)) => {
                ui.label(
                    RichText::new(format!("The letter cannot be issued from this computer yet: {e}."))
                        .color(super::theme::of(ui).caution),
                );
            }
            None => {}
        }
        ui.separator();
        ui.label(RichText::new("Development plan").strong());
        egui::Grid::new("actions").striped(true).show(ui, |ui| {
            ui.strong("Action");
            ui.strong("Owner");
            ui.strong("Due");
            ui.end_row();
            for a in &actions {
                ui.label(&a.action);
                ui.label(&a.owner);
                ui.label(a.due.format("%d/%m/%Y").to_string());
                if ui.button("Remove").on_hover_text(format!("Remove action {}", a.id)).clicked() {
                    remove = Some(a.id.clone());
                }
                ui.end_row();
            }
        });
        ui.horizontal(|ui| {
            for (field, label, width) in [
                (Field::Action, "New action", 260.0),
                (Field::ActionOwner, "Action owner", 140.0),
                (Field::ActionDue, "Due (dd/mm/yyyy)", 90.0),
            ] {
                let l = ui.label(label);
                ui.add(egui::TextEdit::singleline(state.drafts.text(field, "")).desired_width(width)).labelled_by(l.id);
            }
            if ui.button("Add action").clicked() {
                add = true;
            }
        });
        ui.separator();
        ui.label(RichText::new("The letter").strong());
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(format!("{} · {}", letter.date.format("%-d %B %Y"), letter.reference));
            ui.label(letter.addressee.join(", "));
            ui.label(&letter.salutation);
            ui.label(RichText::new(&letter.subject).strong());
            for block in &letter.body {
                match block {
                    Block::Heading(t) => {
                        ui.add_space(4.0);
                        ui.label(RichText::new(t).strong());
                    }
                    Block::Paragraph(t) => {
                        ui.label(t);
                    }
                    Block::Emphasis(t) => {
                        ui.label(RichText::new(t).strong());
                    }
                    Block::Bullets(items) => {
                        for i in items {
                            ui.label(format!("• {i}"));
                        }
                    }
                    Block::Table(t) => {
                        egui::Grid::new(format!("table-{}", t.columns[0].title)).striped(true).show(ui, |ui| {
                            for c in &t.columns {
                                ui.strong(&c.title);
                            }
                            ui.end_row();
                            for row in &t.rows {
                                for cell in row {
                                    ui.label(cell);
                                }
                                ui.end_row();
                            }
                        });
                    }
                }
            }
            ui.label(&letter.closing);
            ui.label(RichText::new(&letter.signatory).strong());
            ui.label(&letter.signatory_title);
        });
    });
    if let Some(id) = remove {
        state.push(Command::record(Edit::RemoveAction { id }));
    }
    if add {
        let [action, owner, typed_due] =
            [Field::Action, Field::ActionOwner, Field::ActionDue].map(|f| state.drafts.text(f, "").clone());
        let due = crate::plan::values::date(Some(&crate::plan::workbook::CellValue::Text(typed_due.clone())), false);
        match due {
            crate::plan::values::Reading::Value(due) => {
                let edit = Edit::AddAction { action, owner, due, criterion: None };
                state.push(Command::Record { edit, typed: vec![Field::Action, Field::ActionOwner, Field::ActionDue] });
            }
            _ => state.error(format!("\"{typed_due}\" is not a date; write it as 31/03/2013")),
        }
    }
}

/// Opens a folder in the system's file manager.
fn open_folder(state: &mut AppState, dir: &std::path::Path) {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(dir).spawn() {
        state.error(format!("{}: the folder could not be opened ({e})", dir.display()));
    }
}
