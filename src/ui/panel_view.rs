//! The panel page: members and their roles, who has finished scoring, the
//! moderation grid (every member's score per criterion side by side with
//! the spread), the discussion a wide spread needs, consensus with its
//! rationale, the chair's sign-off, and declared interests (a member
//! declares their own, and stands aside from the CSU).
//!
//! Everything shown comes from the acting member's view
//! ([`crate::assessment::Assessment::view_for`]), so a member who has not
//! finished sees only their own scores; every rule (who may add members,
//! finish, agree a consensus, sign off, reopen) is the library's, which
//! refuses with its reason.

use super::commands::Command;
use super::drafts::Field;
use super::state::AppState;
use crate::assessment::Edit;
use crate::assessment::MODERATION_SPREAD;
use crate::assessment::rules::Act;
use eframe::egui::{self, RichText, Ui};

pub fn show(ui: &mut Ui, state: &mut AppState) {
    let me = state.acting();
    let Some(s) = &state.session else { return };
    let a = s.view.assessment.clone();
    let sees = s.view.sees_panel;
    let progress = s.view.progress.clone();
    let chair = s.record().chair();
    let on_panel = s.record().is_member(&me);
    let signed = a.sign_off.clone();
    let may = |act| s.record().may(&me, act).map_err(|r| r.to_string());
    let (may_manage, may_sign, may_reopen) = (may(Act::ManageMembers), may(Act::SignOff), may(Act::Reopen));
    let may_finish = may(Act::Finish);
    let criteria: Vec<(String, String)> =
        s.framework.criteria().map(|(_, c)| (c.id.clone(), c.title.clone())).collect();
    let total = criteria.len();
    let scale = s.framework.scale.clone();
    let mut edits = Vec::new();
    if sees {
        egui::Panel::right("consensus").resizable(true).default_size(420.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("consensus-form").show(ui, |ui| {
                consensus_ui(ui, state, &a, &criteria, &scale, &mut edits);
            });
        });
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        super::widgets::heading(ui, "Panel");
        super::widgets::acting_member_ui(ui, state);
        ui.label(match &chair {
            Some(c) => format!("The chair is {c}."),
            None => "No member has the role Chair yet; the chair signs off the panel's result.".to_string(),
        });
        egui::Grid::new("members").striped(true).show(ui, |ui| {
            ui.strong("Member");
            ui.strong("Role");
            ui.strong("Scoring");
            ui.end_row();
            for p in &progress {
                let aside = a.interests.iter().any(|i| i.member == p.name);
                ui.label(&p.name);
                ui.label(&p.role);
                ui.label(if aside {
                    "stood aside: declared an interest".to_string()
                } else {
                    format!("{} of {total} scored{}", p.scored, if p.finished { ", finished" } else { "" })
                });
                ui.end_row();
            }
        });
        let enrolled: Vec<String> =
            state.trust.names_in_use().into_iter().filter(|n| !a.is_member(n)).map(String::from).collect();
        let form = ui.add_enabled_ui(may_manage.is_ok(), |ui| ui.horizontal_wrapped(|ui| {
            if !enrolled.is_empty() {
                let l = ui.label("From the BDU's roster");
                egui::ComboBox::from_id_salt("roster-member")
                    .selected_text("Choose a member")
                    .show_ui(ui, |ui| {
                        for name in &enrolled {
                            if ui.selectable_label(false, name).clicked() {
                                *state.drafts.text(Field::MemberName, "") = name.clone();
                                state.drafts.text(Field::MemberKey, "").clear();
                            }
                        }
                    })
                    .response
                    .labelled_by(l.id)
                    .on_hover_text("Fills in the name; the key is the one the BDU's roster gives that name");
            }
            let l = ui.label("Member's name");
            ui.add(egui::TextEdit::singleline(state.drafts.text(Field::MemberName, "")).desired_width(160.0))
                .labelled_by(l.id);
            let l = ui.label("Member's role");
            ui.add(
                egui::TextEdit::singleline(state.drafts.text(Field::MemberRole, ""))
                    .desired_width(160.0)
                    .hint_text("Chair, Finance lead…"),
            )
            .labelled_by(l.id);
            let l = ui.label("Member's key");
            ui.add(
                egui::TextEdit::singleline(state.drafts.text(Field::MemberKey, ""))
                    .desired_width(200.0)
                    .hint_text("from their Help > My key"),
            )
            .labelled_by(l.id)
            .on_hover_text("Their public key; left empty, the key the BDU's roster gives that name is used");
            if ui
                .button("Add member or change role")
                .on_hover_text("The role Chair makes a member the chair, who signs off the result")
                .clicked()
            {
                let [name, role, typed] =
                    [Field::MemberName, Field::MemberRole, Field::MemberKey].map(|f| state.drafts.text(f, "").trim().to_string());
                let key = if typed.is_empty() { state.trust.key_of(&name).map(String::from) } else { Some(typed) };
                edits.push((Edit::AddMember { name, role, key }, vec![Field::MemberName, Field::MemberRole, Field::MemberKey]));
            }
        }));
        if let Err(why) = &may_manage {
            form.response.on_disabled_hover_text(why.as_str());
        }
        if on_panel && !sees {
            let finish = ui
                .add_enabled(may_finish.is_ok(), egui::Button::new("I have finished scoring"))
                .on_hover_text("Once every criterion has your score; you will then see the other members' scores");
            if let Err(why) = &may_finish {
                finish.clone().on_disabled_hover_text(why.as_str());
            }
            if finish.clicked() {
                edits.push((Edit::FinishScoring, vec![]));
            }
        }
        ui.separator();
        interests_ui(ui, state, &a, &me, on_panel, &mut edits);
        ui.separator();
        match &signed {
            Some(so) => {
                ui.label(RichText::new(format!("Signed off by {} on {}", so.chair, crate::when::local(&so.at))).strong());
                ui.horizontal(|ui| {
                    let l = ui.label("Reason for reopening");
                    let reason = state.drafts.text(Field::ReopenReason, "");
                    ui.add(egui::TextEdit::singleline(reason).desired_width(300.0)).labelled_by(l.id);
                    if ui
                        .add_enabled(may_reopen.is_ok(), egui::Button::new("Reopen the result (chair)"))
                        .on_disabled_hover_text(may_reopen.as_ref().err().map_or("", String::as_str))
                        .clicked()
                    {
                        let reason = state.drafts.text(Field::ReopenReason, "").clone();
                        edits.push((Edit::Reopen { reason }, vec![Field::ReopenReason]));
                    }
                });
            }
            None => {
                if ui
                    .add_enabled(may_sign.is_ok(), egui::Button::new("Sign off the panel's result (chair)"))
                    .on_hover_text("Only the chair, once every criterion has a consensus and nothing else is missing")
                    .on_disabled_hover_text(may_sign.as_ref().err().map_or("", String::as_str))
                    .clicked()
                {
                    edits.push((Edit::SignOff, vec![]));
                }
            }
        }
        ui.separator();
        ui.label(RichText::new("Moderation").strong());
        if !sees {
            ui.label("The other members' scores, the spreads, discussions and consensus stay hidden until you mark your scoring finished.");
        }
        let members: Vec<String> =
            if sees { a.assessors.iter().map(|m| m.name.clone()).collect() } else { vec![me.clone()] };
        egui::Grid::new("moderation").striped(true).show(ui, |ui| {
            ui.strong("Criterion");
            for m in &members {
                ui.strong(m);
            }
            if sees {
                ui.strong("Spread");
                ui.strong("Consensus");
            }
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
                if sees {
                    let spread = a.spread(id).filter(|_| a.scores.iter().filter(|x| &x.criterion == id).count() > 1);
                    let wide = spread.is_some_and(|v| v >= MODERATION_SPREAD);
                    let text = spread.map_or_else(|| "-".into(), |v| v.to_string());
                    ui.label(if wide {
                        RichText::new(text).strong().color(super::theme::of(ui).concern)
                    } else {
                        RichText::new(text)
                    });
                    match a.consensus.iter().find(|c| &c.criterion == id) {
                        Some(c) => ui.label(c.score.to_string()).on_hover_text(format!("Agreed because: {}", c.rationale)),
                        None => ui.label("-"),
                    };
                }
                ui.end_row();
            }
        });
    });
    for (edit, typed) in edits {
        state.push(Command::Record { edit, typed });
    }
}

/// The interests declared in this CSU, and the acting member's own
/// declaration, confirmed first because it cannot be withdrawn.
fn interests_ui(
    ui: &mut Ui,
    state: &mut AppState,
    a: &crate::assessment::Assessment,
    me: &str,
    on_panel: bool,
    edits: &mut Vec<(Edit, Vec<Field>)>,
) {
    super::widgets::declared_interests(ui, a);
    if !on_panel {
        return;
    }
    let interest = state.drafts.text(Field::Interest, "");
    let typed = interest.trim().to_string();
    let form = &mut state.moderation;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Your interest in this CSU");
        ui.add(
            egui::TextEdit::singleline(interest)
                .desired_width(380.0)
                .hint_text("worked for its host cluster, a relative on its staff…"),
        )
        .labelled_by(l.id);
        if ui
            .button("Declare an interest")
            .on_hover_text(
                "Declare any interest you have in this CSU; you then stand aside from scoring and agreeing it",
            )
            .clicked()
        {
            form.confirm_interest = true;
        }
    });
    if form.confirm_interest {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "A declared interest cannot be withdrawn. From then on {me} takes no part in scoring or agreeing this CSU, and {me}'s scores are kept out of its result. Declare \u{201c}{typed}\u{201d}?",
                ))
                .color(ui.visuals().warn_fg_color),
            );
            ui.horizontal(|ui| {
                if ui.button("Yes, declare it").clicked() {
                    edits.push((Edit::DeclareInterest { interest: typed.clone() }, vec![Field::Interest]));
                    form.confirm_interest = false;
                }
                if ui.button("Cancel").clicked() {
                    form.confirm_interest = false;
                }
            });
        });
    }
}

/// The consensus form for the selected criterion, shown only to a member
/// who sees the panel's scores.
fn consensus_ui(
    ui: &mut Ui,
    state: &mut AppState,
    a: &crate::assessment::Assessment,
    criteria: &[(String, String)],
    scale: &crate::criteria::Scale,
    edits: &mut Vec<(Edit, Vec<Field>)>,
) {
    let Some((id, title)) = criteria.get(state.moderation.criterion).cloned() else { return };
    ui.label(RichText::new(format!("Consensus for {id} {title}")).strong());
    if let Some(c) = a.consensus.iter().find(|c| c.criterion == id) {
        ui.label(format!(
            "Agreed {} ({}, {}): {}",
            c.score,
            c.recorded_by,
            crate::when::local(&c.recorded_at),
            c.rationale
        ));
    }
    let spread = a.spread(&id).unwrap_or(0);
    let discussed: Vec<_> = a.discussions.iter().filter(|d| d.criterion == id).collect();
    for d in &discussed {
        ui.label(format!("Discussed ({}, {}): {}", d.who, crate::when::local(&d.at), d.note));
    }
    if spread >= MODERATION_SPREAD && discussed.is_empty() {
        ui.label(
            RichText::new(format!(
                "The scores are {spread} levels apart: record the panel's discussion before agreeing a consensus."
            ))
            .color(super::theme::of(ui).concern),
        );
    }
    ui.horizontal(|ui| {
        let l = ui.label("Discussion");
        let field = Field::Discussion { criterion: id.clone() };
        let note = state.drafts.text(field.clone(), "");
        ui.add(egui::TextEdit::singleline(note).desired_width(300.0)).labelled_by(l.id);
        if ui.button("Record discussion").clicked() {
            edits.push((Edit::Discussion { criterion: id.clone(), note: note.clone() }, vec![field]));
        }
    });
    let me = state.acting();
    let allowed = state.session.as_ref().map_or(Ok(()), |s| s.record().may(&me, Act::Consensus));
    let form = ui.add_enabled_ui(allowed.is_ok(), |ui| {
        ui.horizontal(|ui| {
            ui.label("Agreed score");
            for level in scale.levels() {
                let chosen = state.moderation.score == Some(level);
                let radio = ui.radio(chosen, level.to_string());
                // Named with what it is for, not the bare digit.
                let name = format!("Agreed score {level} for {id}");
                radio.widget_info(|| egui::WidgetInfo::selected(egui::Role::RadioButton, true, chosen, &name));
                if radio.clicked() {
                    state.moderation.score = Some(level);
                }
            }
        });
        let l = ui.label("Rationale");
        let field = Field::Rationale { criterion: id.clone() };
        let rationale = state.drafts.text(field.clone(), "");
        ui.add(egui::TextEdit::multiline(rationale).desired_rows(2).desired_width(f32::INFINITY)).labelled_by(l.id);
        let rationale = rationale.clone();
        if ui.button("Record consensus").clicked()
            && let Some(score) = state.moderation.score
        {
            edits.push((Edit::Consensus { criterion: id.clone(), score: Some(score), rationale }, vec![field]));
        }
    });
    if let Err(why) = allowed {
        form.response.on_disabled_hover_text(why.to_string());
    }
}
