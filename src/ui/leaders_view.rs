//! The leaders' interview page: the arrangements and the script (the
//! chair's), and on the day the current question large with the next one
//! beside it, a clock for the interview and one for the question against
//! its minutes, the member's own notes, and the agreed account.
//!
//! The notes box is a draft (`drafts.rs`) recorded on leaving the
//! question, the page, saving or closing, as the evidence box is; the
//! account box waits for its button. Alt+Right and Alt+Left move between
//! questions from the keyboard, whatever has the focus.

use super::Command;
use super::drafts::Field;
use super::forms::LeadersForms;
use super::state::AppState;
use crate::assessment::Edit;
use crate::assessment::rules::Act;
use crate::leaders::{self, Person, Question, Schedule};
use eframe::egui::{self, Key, Modifiers, RichText, Ui};
use std::time::Instant;

/// `mm:ss`, or `h:mm:ss` past the hour.
fn clock(seconds: u64) -> String {
    match seconds / 3600 {
        0 => format!("{}:{:02}", seconds / 60, seconds % 60),
        h => format!("{h}:{:02}:{:02}", (seconds / 60) % 60, seconds % 60),
    }
}

enum Asked {
    Edit(Edit, Vec<Field>),
    /// Moved to another question: the notes typed on the last are recorded.
    Moved,
}

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let me = state.acting();
    let Some(s) = &state.session else { return };
    let interview = &s.view.assessment.leaders;
    let record = s.record();
    let arrange = record.may(&me, Act::Arrange).map_err(|r| r.to_string());
    let take_notes = record.may(&me, Act::Interview).map_err(|r| r.to_string());
    let account_ok = record.may(&me, Act::Account).map_err(|r| r.to_string());
    let members: Vec<String> = s.view.assessment.assessors.iter().map(|a| a.name.clone()).collect();
    let criteria: Vec<String> = s.framework.criteria().map(|(_, c)| c.id.clone()).collect();
    let framework = s.framework.clone();
    let forms = &mut state.leaders;
    // The chair's script once recorded is the record's, no longer a change.
    if interview.scripted && forms.script.as_ref() == Some(&interview.script) {
        forms.script = None;
    }
    let drafts = &mut state.drafts;
    let mut asked: Vec<Asked> = Vec::new();

    let script: Vec<Question> = forms.script.clone().unwrap_or_else(|| interview.script.clone());
    if script.is_empty() {
        super::widgets::heading(ui, "Leaders' interview");
        ui.label("The framework gives no questions for the leaders' interview; the chair adds the panel's own.");
    }
    forms.selected = forms.selected.min(script.len().saturating_sub(1));
    // Keyboard first: the next and the previous question, whatever has the focus.
    let (next, previous) = ui
        .input_mut(|i| (i.consume_key(Modifiers::ALT, Key::ArrowRight), i.consume_key(Modifiers::ALT, Key::ArrowLeft)));
    let go = |forms: &mut LeadersForms, to: usize, asked: &mut Vec<Asked>| {
        if to != forms.selected && to < script.len() {
            forms.selected = to;
            if let Some((started, _)) = forms.live {
                forms.live = Some((started, Instant::now()));
            }
            asked.push(Asked::Moved);
        }
    };
    if next {
        go(forms, forms.selected + 1, &mut asked);
    }
    if previous && forms.selected > 0 {
        go(forms, forms.selected - 1, &mut asked);
    }

    egui::Panel::top("leaders-arrangements").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            super::widgets::heading(ui, "Leaders' interview");
            match &interview.schedule {
                Some(sch) => {
                    let people: Vec<String> = sch.csu.iter().map(|p| format!("{} ({})", p.name, p.role)).collect();
                    ui.label(format!("{} · {} · {}", sch.at, sch.place, people.join(", ")));
                    if !sch.panel.is_empty() {
                        ui.label(RichText::new(format!("Panel: {}", sch.panel.join(", "))).weak());
                    }
                }
                None => {
                    ui.label(RichText::new("Not scheduled yet").color(ui.visuals().warn_fg_color));
                }
            }
            if let Some(taker) = &interview.note_taker {
                ui.label(RichText::new(format!("Note-taker: {taker}")).weak());
            }
            // A built-in example's fictional interview, and the calibration
            // plan's script, to try the page with; recorded only when asked.
            if interview.schedule.is_none() && arrange.is_ok() {
                if let Some(example) = crate::examples::of_plan(&s.plan) {
                    if ui.button("Record the example's interview (fictional)").clicked() {
                        let (schedule, accounts) = example.leaders_interview(vec![me.clone()], &script);
                        asked.push(Asked::Edit(Edit::ScheduleLeaders(Box::new(schedule)), Vec::new()));
                        for (question, text) in accounts {
                            asked.push(Asked::Edit(Edit::LeadersAccount { question, text }, Vec::new()));
                        }
                    }
                } else if crate::calibration::plan_fingerprint() == Some(s.plan.source.fingerprint.as_str())
                    && !interview.scripted
                    && ui.button("Record the calibration's script").clicked()
                {
                    asked.push(Asked::Edit(
                        Edit::LeadersScript(crate::examples::calibration_script(&framework)),
                        Vec::new(),
                    ));
                }
            }
        });
        egui::CollapsingHeader::new("Arrangements (the chair)").default_open(false).show(ui, |ui| {
            if forms.at.is_empty()
                && let Some(sch) = &interview.schedule
            {
                forms.at = sch.at.clone();
                forms.place = sch.place.clone();
                forms.people = sch.csu.iter().map(|p| format!("{}, {}", p.name, p.role)).collect::<Vec<_>>().join("\n");
                forms.present = sch.panel.iter().cloned().collect();
            }
            ui.horizontal(|ui| {
                let l = ui.label("When");
                ui.add(egui::TextEdit::singleline(&mut forms.at).hint_text("2012-09-12 10:00").desired_width(140.0))
                    .labelled_by(l.id);
                let l = ui.label("Where");
                ui.add(egui::TextEdit::singleline(&mut forms.place).hint_text("a room, or call").desired_width(220.0))
                    .labelled_by(l.id);
            });
            let l = ui.label("The CSU's people, one a line: Name, Role");
            ui.add(egui::TextEdit::multiline(&mut forms.people).desired_rows(2).desired_width(480.0)).labelled_by(l.id);
            ui.horizontal_wrapped(|ui| {
                ui.label("Panel present:");
                for m in &members {
                    let mut on = forms.present.contains(m);
                    if ui.checkbox(&mut on, m).changed() {
                        if on {
                            forms.present.insert(m.clone());
                        } else {
                            forms.present.remove(m);
                        }
                    }
                }
            });
            ui.horizontal(|ui| {
                let why = arrange.as_ref().err().cloned().unwrap_or_default();
                if ui
                    .add_enabled(arrange.is_ok(), egui::Button::new("Record the arrangements"))
                    .on_disabled_hover_text(&why)
                    .clicked()
                {
                    let csu: Vec<Person> = forms
                        .people
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| {
                            let (name, role) = l.split_once(',').unwrap_or((l, ""));
                            Person { name: name.trim().to_string(), role: role.trim().to_string() }
                        })
                        .collect();
                    let schedule = Schedule {
                        at: forms.at.trim().to_string(),
                        place: forms.place.trim().to_string(),
                        csu,
                        panel: members.iter().filter(|m| forms.present.contains(*m)).cloned().collect(),
                    };
                    asked.push(Asked::Edit(Edit::ScheduleLeaders(Box::new(schedule)), Vec::new()));
                }
                ui.separator();
                let chosen = forms.note_taker.clone().or_else(|| interview.note_taker.clone()).unwrap_or_default();
                egui::ComboBox::from_label("Note-taker").selected_text(&chosen).show_ui(ui, |ui| {
                    for m in &members {
                        if ui.selectable_label(*m == chosen, m).clicked() {
                            forms.note_taker = Some(m.clone());
                        }
                    }
                });
                if ui
                    .add_enabled(arrange.is_ok() && !chosen.is_empty(), egui::Button::new("Name the note-taker"))
                    .clicked()
                {
                    asked.push(Asked::Edit(Edit::NameNoteTaker(chosen.clone()), Vec::new()));
                }
            });
        });
    });

    egui::Panel::left("leaders-script").resizable(true).default_size(430.0).show(ui, |ui| {
        ui.label(
            RichText::new(if interview.scripted {
                "Script"
            } else {
                "Script (the framework's until the chair records one)"
            })
            .strong(),
        );
        egui::ScrollArea::vertical().id_salt("leaders-script-list").max_height(ui.available_height() - 120.0).show(
            ui,
            |ui| {
                let mut change: Option<Vec<Question>> = None;
                for (i, q) in script.iter().enumerate() {
                    let mut mark = String::new();
                    if interview.account(&q.id).is_some() {
                        mark.push_str(" ✔");
                    }
                    if forms.marked.contains(&q.id) {
                        mark.push_str(" ⚑");
                    }
                    if forms.skipped.contains(&q.id) {
                        mark.push_str(" (skipped)");
                    }
                    let on = q.criterion.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
                    ui.horizontal(|ui| {
                        let text = format!("{}{on} {} ({} min){mark}", q.id, q.text, q.minutes);
                        if ui.selectable_label(forms.selected == i, text).clicked() {
                            go(forms, i, &mut asked);
                        }
                        if arrange.is_ok() {
                            if i > 0 && ui.small_button("↑").on_hover_text(format!("Move {} up", q.id)).clicked() {
                                let mut s = script.clone();
                                s.swap(i, i - 1);
                                change = Some(s);
                            }
                            if ui.small_button("✕").on_hover_text(format!("Take {} out of the script", q.id)).clicked()
                            {
                                let mut s = script.clone();
                                s.remove(i);
                                change = Some(s);
                            }
                        }
                    });
                }
                if change.is_some() {
                    forms.script = change;
                }
            },
        );
        if arrange.is_ok() {
            ui.separator();
            ui.horizontal(|ui| {
                let l = ui.label("Add a question");
                ui.add(egui::TextEdit::singleline(&mut forms.adding).desired_width(220.0)).labelled_by(l.id);
                egui::ComboBox::from_id_salt("leaders-add-criterion")
                    .selected_text(forms.adding_criterion.clone().unwrap_or_else(|| "no criterion".into()))
                    .show_ui(ui, |ui| {
                        if ui.selectable_label(forms.adding_criterion.is_none(), "no criterion").clicked() {
                            forms.adding_criterion = None;
                        }
                        for c in &criteria {
                            if ui.selectable_label(forms.adding_criterion.as_ref() == Some(c), c).clicked() {
                                forms.adding_criterion = Some(c.clone());
                            }
                        }
                    });
            });
            ui.horizontal(|ui| {
                if forms.adding_minutes == 0 {
                    forms.adding_minutes = leaders::DEFAULT_MINUTES;
                }
                ui.add(egui::DragValue::new(&mut forms.adding_minutes).range(1..=120).suffix(" min"));
                if ui.add_enabled(!forms.adding.trim().is_empty(), egui::Button::new("Add")).clicked() {
                    let mut s = script.clone();
                    s.push(Question {
                        id: leaders::next_id(
                            interview.used_ids.iter().chain(s.iter().map(|q| &q.id)).map(String::as_str),
                        ),
                        text: forms.adding.trim().to_string(),
                        criterion: forms.adding_criterion.clone(),
                        minutes: forms.adding_minutes,
                    });
                    forms.script = Some(s);
                    forms.adding.clear();
                }
                let pending = forms.script.as_ref().is_some_and(|s| *s != interview.script || !interview.scripted);
                if ui.add_enabled(pending, egui::Button::new("Record the script")).clicked()
                    && let Some(s) = forms.script.clone()
                {
                    asked.push(Asked::Edit(Edit::LeadersScript(s), Vec::new()));
                }
            });
        }
    });

    egui::CentralPanel::default().show(ui, |ui| {
        let Some(q) = script.get(forms.selected).cloned() else { return };
        ui.horizontal(|ui| {
            match forms.live {
                None => {
                    if ui.button("Start the interview clock").clicked() {
                        forms.live = Some((Instant::now(), Instant::now()));
                    }
                }
                Some((started, question)) => {
                    ui.ctx().request_repaint_after(std::time::Duration::from_millis(500));
                    let whole = started.elapsed().as_secs();
                    let this = question.elapsed().as_secs();
                    let allotted = u64::from(q.minutes) * 60;
                    ui.label(RichText::new(format!("Interview {}", clock(whole))).strong());
                    let colour = if this > allotted { ui.visuals().warn_fg_color } else { ui.visuals().text_color() };
                    ui.label(
                        RichText::new(format!("This question {} of {}", clock(this), clock(allotted))).color(colour),
                    );
                    if ui.button("Stop the clock").clicked() {
                        forms.live = None;
                    }
                }
            }
            ui.separator();
            if ui.button("◀ Previous").on_hover_text("Alt+Left").clicked() && forms.selected > 0 {
                go(forms, forms.selected - 1, &mut asked);
            }
            if ui.button("Next ▶").on_hover_text("Alt+Right").clicked() {
                go(forms, forms.selected + 1, &mut asked);
            }
            if ui.button("Skip").on_hover_text("Go on, noting it was skipped").clicked() {
                forms.skipped.insert(q.id.clone());
                go(forms, forms.selected + 1, &mut asked);
            }
            let marked = forms.marked.contains(&q.id);
            if ui.selectable_label(marked, "⚑ Come back to this").clicked() {
                if marked {
                    forms.marked.remove(&q.id);
                } else {
                    forms.marked.insert(q.id.clone());
                }
            }
        });
        let on = q.criterion.as_deref().map(|c| format!("  [{c}]")).unwrap_or_default();
        ui.label(RichText::new(format!("{}{on}", q.id)).weak());
        ui.label(RichText::new(&q.text).size(22.0).strong());
        if let Some(n) = script.get(forms.selected + 1) {
            ui.label(RichText::new(format!("Next: {} {}", n.id, n.text)).weak());
        }
        ui.add_space(6.0);
        egui::ScrollArea::vertical().id_salt("leaders-question").show(ui, |ui| {
            let mine = Field::LeadersNote { question: q.id.clone(), member: me.clone() };
            let recorded = interview
                .notes
                .iter()
                .find(|n| n.question == q.id && n.by == me)
                .and_then(|n| n.text.clone())
                .unwrap_or_default();
            let l = ui.label(format!("Your notes on {} (yours alone until you have finished scoring)", q.id));
            let notes = drafts.text(mine, &recorded);
            ui.add_enabled(
                take_notes.is_ok(),
                egui::TextEdit::multiline(notes).desired_rows(6).desired_width(f32::INFINITY),
            )
            .labelled_by(l.id)
            .on_disabled_hover_text(take_notes.as_ref().err().cloned().unwrap_or_default());
            for n in interview.notes.iter().filter(|n| n.question == q.id && n.by != me) {
                let text = n.text.clone().unwrap_or_else(|| "withheld from this copy".into());
                ui.label(RichText::new(format!("{}'s notes: {text}", n.by)).weak());
            }
            ui.add_space(6.0);
            let field = Field::LeadersAccount { question: q.id.clone() };
            let recorded = interview.account(&q.id).map(|a| a.text.clone()).unwrap_or_default();
            let l = ui.label("The agreed account of the answer (every member sees it)");
            let account = drafts.text(field.clone(), &recorded);
            ui.add_enabled(
                account_ok.is_ok(),
                egui::TextEdit::multiline(account).desired_rows(6).desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
            let why = account_ok.as_ref().err().cloned().unwrap_or_default();
            if ui
                .add_enabled(account_ok.is_ok(), egui::Button::new("Record the agreed account"))
                .on_disabled_hover_text(&why)
                .clicked()
            {
                let edit = Edit::LeadersAccount { question: q.id.clone(), text: account.clone() };
                asked.push(Asked::Edit(edit, vec![field]));
            }
            if let Some(a) = interview.account(&q.id) {
                ui.label(RichText::new(format!("Recorded by {} ({})", a.by, crate::when::local(&a.at))).weak());
            }
        });
    });

    for a in asked {
        match a {
            Asked::Edit(edit, typed) => state.push(Command::Record { edit, typed }),
            Asked::Moved => state.record_drafts(),
        }
    }
}
