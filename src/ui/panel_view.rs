//! The panel page: members and their roles, who has finished scoring, the
//! moderation grid (every member's score per criterion side by side with
//! the spread), the discussion a wide spread needs, consensus with its
//! rationale, and the chair's sign-off.
//!
//! Scoring is blind: until the current assessor marks their own scoring
//! done, the grid shows only their scores. The rules themselves (a spread
//! of two levels needs a recorded discussion before a consensus) live in
//! the assessment, so the command line enforces them too.

use super::commands::Edit;
use super::state::AppState;
use crate::assessment::MODERATION_SPREAD;
use eframe::egui::{self, RichText, Ui};

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let me = state.prefs.assessor.trim().to_string();
    let Some(s) = &state.session else { return };
    let a = s.assessment.clone();
    let criteria: Vec<(String, String)> =
        s.framework.criteria().map(|(_, c)| (c.id.clone(), c.title.clone())).collect();
    let scale = s.framework.scale.clone();
    let sees = a.sees_panel(&me);
    let mut edits = Vec::new();
    egui::Panel::right("consensus").resizable(true).default_size(420.0).show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("consensus-form").show(ui, |ui| {
        let Some((id, title)) = criteria.get(state.moderation.criterion).cloned() else { return };
        ui.label(RichText::new(format!("Consensus for {id} {title}")).strong());
        let spread = a.spread(&id).unwrap_or(0);
        let discussed: Vec<_> = a.discussions.iter().filter(|d| d.criterion == id).collect();
        for d in &discussed {
            ui.label(format!("Discussed ({}, {}): {}", d.who, d.at, d.note));
        }
        let needs_discussion = spread >= MODERATION_SPREAD && discussed.is_empty();
        if needs_discussion {
            ui.label(RichText::new(format!("The scores are {spread} levels apart: record the panel's discussion before agreeing a consensus.")).color(egui::Color32::from_rgb(200, 60, 40)));
        }
        ui.horizontal(|ui| {
            let l = ui.label("Discussion");
            ui.add(egui::TextEdit::singleline(&mut state.moderation.discussion).desired_width(420.0)).labelled_by(l.id);
            if ui.button("Record discussion").clicked() {
                edits.push(Edit::Discussion { criterion: id.clone(), note: state.moderation.discussion.clone() });
                state.moderation.discussion.clear();
            }
        });
        ui.horizontal(|ui| {
            ui.label("Agreed score");
            for level in scale.levels() {
                if ui.radio(state.moderation.score == Some(level), level.to_string()).clicked() {
                    state.moderation.score = Some(level);
                }
            }
        });
        let l = ui.label("Rationale");
        ui.add(egui::TextEdit::multiline(&mut state.moderation.rationale).desired_rows(2).desired_width(f32::INFINITY)).labelled_by(l.id);
        let can = !needs_discussion && state.moderation.score.is_some() && !state.moderation.rationale.trim().is_empty();
        if ui.add_enabled(can, egui::Button::new("Record consensus")).clicked()
            && let Some(score) = state.moderation.score
        {
            edits.push(Edit::Consensus { criterion: id.clone(), score, rationale: state.moderation.rationale.clone() });
            state.moderation.rationale.clear();
        }
        ui.separator();
        match &a.sign_off {
            Some(so) => {
                ui.label(RichText::new(format!("Signed off by {} at {}", so.chair, so.at)).strong());
            }
            None => {
                if ui.button("Sign off the panel's result (chair)").clicked() {
                    edits.push(Edit::SignOff);
                }
            }
        }
        });
    });
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Panel");
        ui.label(RichText::new(format!("You are scoring as {me}; change this on the Scoring page.")).weak());
        egui::Grid::new("members").striped(true).show(ui, |ui| {
            ui.strong("Member");
            ui.strong("Role");
            ui.strong("Scoring");
            ui.end_row();
            for m in &a.assessors {
                ui.label(&m.name);
                ui.label(&m.role);
                let scored = a.scores.iter().filter(|x| x.assessor == m.name).count();
                ui.label(format!("{scored} scored{}", if a.done.contains(&m.name) { ", done" } else { "" }));
                ui.end_row();
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label("Name");
            ui.add(egui::TextEdit::singleline(&mut state.moderation.member_name).desired_width(160.0))
                .labelled_by(l.id);
            let l = ui.label("Role");
            ui.add(egui::TextEdit::singleline(&mut state.moderation.member_role).desired_width(160.0))
                .labelled_by(l.id);
            if ui.button("Add member").clicked() {
                edits.push(Edit::AddMember {
                    name: state.moderation.member_name.clone(),
                    role: state.moderation.member_role.clone(),
                });
                state.moderation.member_name.clear();
                state.moderation.member_role.clear();
            }
        });
        if !sees
            && ui
                .button("I have finished scoring")
                .on_hover_text("You will then see the other members' scores")
                .clicked()
        {
            edits.push(Edit::MarkDone);
        }
        ui.separator();
        ui.label(RichText::new("Moderation").strong());
        if !sees {
            ui.label("The other members' scores stay hidden until you mark your scoring finished.");
        }
        let members: Vec<String> =
            if sees { a.assessors.iter().map(|m| m.name.clone()).collect() } else { vec![me.clone()] };
        egui::Grid::new("moderation").striped(true).show(ui, |ui| {
            ui.strong("Criterion");
            for m in &members {
                ui.strong(m);
            }
            ui.strong("Spread");
            ui.strong("Consensus");
            ui.end_row();
            for (i, (id, title)) in criteria.iter().enumerate() {
                if ui.selectable_label(state.moderation.criterion == i, format!("{id} {title}")).clicked() {
                    state.moderation.criterion = i;
                    state.moderation.score = a.consensus.iter().find(|c| &c.criterion == id).map(|c| c.score);
                }
                for m in &members {
                    let score = a.scores.iter().find(|x| &x.criterion == id && &x.assessor == m).map(|x| x.score);
                    ui.label(score.map_or_else(|| "-".into(), |v| v.to_string()));
                }
                let spread = if sees { a.spread(id) } else { None };
                let wide = spread.is_some_and(|v| v >= MODERATION_SPREAD);
                let text = spread.map_or_else(|| "-".into(), |v| v.to_string());
                ui.label(if wide {
                    RichText::new(text).strong().color(egui::Color32::from_rgb(200, 60, 40))
                } else {
                    RichText::new(text)
                });
                ui.label(
                    a.consensus.iter().find(|c| &c.criterion == id).map_or_else(|| "-".into(), |c| c.score.to_string()),
                );
                ui.end_row();
            }
        });
    });
    for edit in edits {
        state.apply(edit);
    }
}
