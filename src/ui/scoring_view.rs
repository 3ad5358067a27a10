//! The scoring view: the framework's criteria with their state, and for the
//! chosen one its guidance, descriptors to choose from (also keys 0-4),
//! evidence, the automatic checks that bear on it and the plan figures they
//! read.

use super::drafts::Field;
use super::state::AppState;
use crate::assessment::Edit;
use crate::assessment::rules::Act;
use crate::scoring::ScoreState;
use eframe::egui::{self, Key, RichText, Ui};

fn state_mark(state: ScoreState) -> (&'static str, &'static str) {
    match state {
        ScoreState::Unscored => ("○", "not scored"),
        ScoreState::Scored => ("●", "scored"),
        ScoreState::Unmoderated => ("◊", "scored by the panel, no consensus yet"),
        ScoreState::Consensus => ("■", "consensus agreed"),
    }
}

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    let total = s.framework.criterion_count();
    if total == 0 {
        return;
    }
    state.selected_criterion = state.selected_criterion.min(total - 1);
    let mut select = None;
    let mut change_to = None;
    let mut open_file = false;
    egui::Panel::top("acting-member").show(ui, |ui| super::widgets::acting_member_ui(ui, state));
    let Some(s) = &state.session else { return };
    egui::Panel::left("criteria-list").resizable(true).default_size(300.0).show(ui, |ui| {
        ui.label(RichText::new(format!("{} of {total} criteria scored", s.evaluation.scored_count())).strong());
        let unscored = s.record().audit.len() == 1;
        ui.horizontal(|ui| {
            let label = ui.label("Framework");
            ui.add_enabled_ui(unscored, |ui| {
                egui::ComboBox::from_id_salt("framework")
                    .selected_text(&s.framework.title)
                    .show_ui(ui, |ui| {
                        for b in crate::criteria::BUILTIN {
                            if let Ok(f) = b.framework()
                                && ui.selectable_label(f.id == s.framework.id, &f.title).clicked()
                            {
                                change_to = Some(b);
                            }
                        }
                        if ui.selectable_label(false, "Open a criteria file…").clicked() {
                            open_file = true;
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_disabled_hover_text("The framework is fixed once anything is recorded");
            });
        });
        egui::ScrollArea::vertical().show(ui, |ui| {
            let mut index = 0;
            for domain in &s.framework.domains {
                ui.label(RichText::new(format!("{} ({}%)", domain.title, domain.weight)).strong());
                for c in &domain.criteria {
                    // The evaluation is of the acting member's view, so while
                    // their scoring is blind this is their own score.
                    let result = &s.evaluation.criteria[index];
                    let (mark, meaning) = state_mark(result.state);
                    let score = result.score.map(|v| format!(" {v}")).unwrap_or_default();
                    let bare = s.view.own_score(&c.id).is_some_and(|x| x.evidence.trim().is_empty());
                    let flag = if bare { " ⚠" } else { "" };
                    let text = format!("{mark}{flag} {}{score} {}", c.id, c.title);
                    let hover = format!(
                        "{} {}: {meaning}{}",
                        c.id,
                        c.title,
                        if bare { "; your score has no evidence yet" } else { "" }
                    );
                    // One line a row, whatever the score or the panel's
                    // width, so scoring never moves the next row.
                    let selected = index == state.selected_criterion;
                    let row = ui
                        .scope(|ui| {
                            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                            ui.selectable_label(selected, text)
                        })
                        .inner;
                    // Its name for a screen reader: words, not the marks.
                    let spoken = format!(
                        "{} {}: {meaning}{}{}",
                        c.id,
                        c.title,
                        result.score.map(|v| format!(", {v}")).unwrap_or_default(),
                        if bare { ", no evidence yet" } else { "" }
                    );
                    row.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &spoken));
                    if selected && std::mem::take(&mut state.focus_criterion) {
                        row.request_focus();
                    }
                    // A row the keyboard reaches is the criterion the number
                    // keys score: never one the assessor is not looking at.
                    if row.gained_focus() || row.on_hover_text(hover).clicked() {
                        select = Some(index);
                    }
                    index += 1;
                }
            }
        });
    });
    if let Some(i) = select {
        state.selected_criterion = i;
    }
    if open_file {
        state.open_dialog(super::state::DialogPurpose::Criteria);
        return;
    }
    if let Some(b) = change_to {
        state.change_framework(b);
        state.page = super::state::Page::Scoring;
        return;
    }
    criterion_ui(ui, state);
}

fn criterion_ui(ui: &mut Ui, state: &mut AppState) {
    let Some(s) = &state.session else { return };
    let Some((domain, c)) = s.framework.criteria().nth(state.selected_criterion) else { return };
    let (domain, c) = (domain.clone(), c.clone());
    let result = s.evaluation.criteria[state.selected_criterion].clone();
    let mine = s.view.own_score(&c.id).cloned();
    let checks: Vec<_> = s.evaluation.checks.iter().filter(|k| k.criterion == c.id).cloned().collect();
    let scale = s.framework.scale.clone();
    let total = s.framework.criterion_count();
    let sees_panel = s.view.sees_panel;
    let field = Field::Evidence { criterion: c.id.clone() };
    let recorded_evidence = mine.as_ref().map(|m| m.evidence.clone()).unwrap_or_default();

    let mut chosen: Option<u8> = None;
    // Beside the descriptors and the evidence: what the plan's figures say
    // about this criterion, and where to look.
    let figures: Vec<(String, String)> = {
        let Some(s) = &state.session else { return };
        let mut metrics: Vec<&str> = checks.iter().map(|k| k.metric.as_str()).collect();
        metrics.dedup();
        metrics
            .into_iter()
            .filter_map(|m| {
                let info = crate::plan::metrics::info(m)?;
                let value = s.plan.metrics.get(m).map(|v| crate::plan::metrics::format_value(info.kind, v))?;
                let mut words = info.description.to_string();
                if let Some(first) = words.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                Some((words, value))
            })
            .collect()
    };
    // What the CCGs said, beside a criterion the framework asks them about.
    let ccgs_said: Option<(String, Vec<String>)> = {
        let Some(s) = &state.session else { return };
        let interviews = &s.view.assessment.ccg_interviews;
        (!c.evidence.ccg_interviews.is_empty() && (s.framework.ccg_interviews.is_some() || !interviews.is_empty()))
            .then(|| {
                let missing = crate::ccg::not_interviewed(&s.plan, &s.view.assessment);
                let heard = format!(
                    "{} of the plan's {} CCGs interviewed{}",
                    s.plan.customers.len() - missing.len(),
                    s.plan.customers.len(),
                    if missing.is_empty() { String::new() } else { format!("; still to hear: {}", missing.join(", ")) }
                );
                let mut lines: Vec<String> = crate::ccg::figures::sentences(&s.plan, &s.view.assessment)
                    .iter()
                    .map(|l| crate::assessment::rules::capitalised(l))
                    .collect();
                lines.extend(
                    crate::ccg::contradictions::find(&s.plan, &s.view.assessment)
                        .into_iter()
                        .filter(|k| k.is_claim())
                        .map(|k| format!("{} ({}); {}", k.finding.message, k.finding.location(), k.interview)),
                );
                (heard, lines)
            })
    };
    // What the leaders said to this criterion's questions: the agreed
    // account, and the acting member's own notes.
    let leaders_said: Vec<(String, Vec<String>)> = {
        let Some(s) = &state.session else { return };
        let interview = &s.view.assessment.leaders;
        let me = s.view.member.clone();
        interview
            .on(&c.id)
            .map(|q| {
                let mut lines = Vec::new();
                match interview.account(&q.id) {
                    Some(a) => lines.push(format!("Agreed account: {}", a.text)),
                    None => lines.push("No agreed account yet".to_string()),
                }
                for n in interview.notes.iter().filter(|n| n.question == q.id && n.by == me) {
                    lines.push(format!("Your notes: {}", n.text.as_deref().unwrap_or("withheld from this copy")));
                }
                (format!("[{}] {}", q.id, q.text), lines)
            })
            .collect()
    };
    egui::Panel::right("criterion-figures").resizable(true).default_size(380.0).show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("criterion-figures-scroll").show(ui, |ui| {
            if !figures.is_empty() {
                ui.label(RichText::new("The plan's figures").strong());
                egui::Grid::new("criterion-figures-grid").num_columns(2).striped(true).show(ui, |ui| {
                    for (words, value) in &figures {
                        ui.label(words);
                        ui.label(RichText::new(value).strong());
                        ui.end_row();
                    }
                });
            }
            if !checks.is_empty() {
                ui.add_space(6.0);
                ui.label(RichText::new("Automatic checks on the figures").strong());
                for k in &checks {
                    let colour = match k.passed {
                        Some(true) => super::theme::of(ui).good,
                        Some(false) => super::theme::of(ui).concern,
                        None => ui.visuals().weak_text_color(),
                    };
                    ui.label(
                        RichText::new(format!("{} {}", if k.passed == Some(false) { "▲" } else { "•" }, k.explanation))
                            .color(colour),
                    );
                }
            }
            if !leaders_said.is_empty() {
                ui.add_space(6.0);
                ui.label(RichText::new("The leaders' interview").strong())
                    .on_hover_text("Cite a question in your evidence as [L3]: the letter's annex prints what it cites");
                for (question, lines) in &leaders_said {
                    ui.label(RichText::new(question).italics());
                    for line in lines {
                        ui.label(format!("  {line}"));
                    }
                }
            }
            if let Some((heard, lines)) = &ccgs_said {
                ui.add_space(6.0);
                ui.label(RichText::new("What the CCGs said").strong());
                ui.label(RichText::new(heard).weak());
                for line in lines {
                    ui.label(format!("• {line}"));
                }
            }
            ui.add_space(6.0);
            egui::CollapsingHeader::new("What to look for").default_open(true).show(ui, |ui| {
                for (where_, text) in [
                    ("In the plan", &c.evidence.plan),
                    ("At the leaders' interview", &c.evidence.leaders_interview),
                    ("At the CCG interviews", &c.evidence.ccg_interviews),
                ] {
                    if !text.is_empty() {
                        ui.label(format!("{where_}: {text}"));
                    }
                }
            });
        });
    });
    egui::ScrollArea::vertical().id_salt("criterion").show(ui, |ui| {
        ui.horizontal(|ui| {
            // Named in words for a screen reader; the arrows are only drawn.
            let previous = ui.add_enabled(state.selected_criterion > 0, egui::Button::new("◄ Previous"));
            previous.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, previous.enabled(), "Previous criterion")
            });
            if previous.clicked() {
                state.selected_criterion -= 1;
            }
            let next = ui.add_enabled(state.selected_criterion + 1 < total, egui::Button::new("Next ►"));
            next.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, next.enabled(), "Next criterion"));
            if next.clicked() {
                state.selected_criterion += 1;
            }
        });
        // Every line above the evidence box is one line high whatever the
        // criterion, so the score buttons and the box stay where the mouse
        // left them from one criterion to the next; what wraps (the
        // descriptors in full, the guidance) comes below.
        ui.scope(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            super::widgets::heading(ui, format!("{} {}", c.id, c.title));
            ui.label(
                RichText::new(format!(
                    "{} · weight {}{}",
                    domain.title,
                    c.weight,
                    c.gateway.map(|g| format!(" · gateway: at least {g}")).unwrap_or_default()
                ))
                .weak(),
            );
        });
        ui.add_space(6.0);
        ui.label(RichText::new(format!("Score (press {}-{} when not typing)", scale.min, scale.max)).strong());
        let current = mine.as_ref().map(|m| m.score);
        let may_score = {
            let me = state.acting();
            state.session.as_ref().map_or(Ok(()), |s| s.record().may(&me, Act::Score)).map_err(|r| r.to_string())
        };
        let closed = may_score.as_ref().err().map(|why| format!("Your scores are closed: {why}"));
        ui.scope(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            ui.add_enabled_ui(may_score.is_ok(), |ui| {
                for (i, level) in scale.levels().enumerate() {
                    let descriptor = c.descriptors.get(i).cloned().unwrap_or_default();
                    let radio = ui.radio(current == Some(level), format!("{level}  {descriptor}"));
                    // egui has no radio group to name, so each says its criterion.
                    let name = format!("{} score {level}: {descriptor}", c.id);
                    let chosen_now = current == Some(level);
                    radio.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::RadioButton, may_score.is_ok(), chosen_now, &name)
                    });
                    let radio = radio.on_hover_text(&descriptor);
                    if radio.on_disabled_hover_text(closed.as_deref().unwrap_or_default()).clicked() {
                        chosen = Some(level);
                    }
                }
            });
            // Always one line, so the box below does not move when scoring closes.
            ui.label(RichText::new(closed.as_deref().unwrap_or(" ")).italics());
        });
        let label = ui.label(RichText::new("Evidence").strong());
        let evidence = ui.add(
            egui::TextEdit::multiline(state.drafts.text(field.clone(), &recorded_evidence))
                .desired_rows(4)
                .desired_width(f32::INFINITY)
                .hint_text("What in the plan or at interview supports this score?"),
        );
        let evidence = evidence.labelled_by(label.id);
        if std::mem::take(&mut state.focus_evidence) {
            evidence.request_focus();
        }
        // Esc leaves the box for the criterion's row, not for nowhere.
        if evidence.lost_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
            state.focus_criterion = true;
        }
        let typing = evidence.has_focus() || ui.ctx().text_edit_focused();
        if !typing && may_score.is_ok() {
            for (level, key) in scale.levels().zip([
                Key::Num0,
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num4,
                Key::Num5,
                Key::Num6,
                Key::Num7,
                Key::Num8,
                Key::Num9,
            ]) {
                if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                    chosen = Some(level);
                }
            }
        }
        ui.add_space(6.0);
        egui::CollapsingHeader::new("The levels in full").default_open(true).show(ui, |ui| {
            for (i, level) in scale.levels().enumerate() {
                let descriptor = c.descriptors.get(i).map(String::as_str).unwrap_or_default();
                let text = format!("{level}: {descriptor}");
                ui.label(if current == Some(level) { RichText::new(text).strong() } else { RichText::new(text) });
            }
        });
        ui.label(&c.guidance);
        ui.add_space(6.0);
        let summary = match (result.score, result.capped_at, result.state) {
            (Some(v), Some(cap), _) => format!("Counts as {v}: capped at {cap} by a concern below"),
            (Some(_), None, ScoreState::Unmoderated) if !sees_panel => {
                "Scored by the panel; the panel's median is hidden until you finish scoring".to_string()
            }
            (Some(v), None, ScoreState::Unmoderated) => format!("Counts as {v}, the panel's median (no consensus yet)"),
            (Some(v), None, _) => format!("Counts as {v}"),
            (None, _, _) => "Not scored yet".to_string(),
        };
        ui.label(RichText::new(summary).strong());
        if result.panel.len() > 1 {
            ui.label(RichText::new("Panel").strong());
            if sees_panel {
                for p in &result.panel {
                    ui.label(format!(
                        "{}: {} - {}",
                        p.assessor,
                        p.score,
                        if p.evidence.is_empty() { "(no evidence)" } else { &p.evidence }
                    ));
                }
            } else {
                ui.label("Other members' scores are hidden until you mark your scoring finished on the Panel page.");
            }
        }
    });
    if let Some(score) = chosen {
        let evidence = state.drafts.text(field.clone(), &recorded_evidence).trim().to_string();
        let edit = Edit::Score { criterion: c.id.clone(), score: Some(score), evidence };
        state.push(super::commands::Command::Record { edit, typed: vec![field] });
    }
}
